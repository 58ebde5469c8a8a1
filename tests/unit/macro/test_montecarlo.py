"""Monte Carlo: distributions against closed forms, reproducibility, validation errors."""

import json

import numpy as np
import pytest
from scipy import stats

from tradepact.interfaces.cli import main
from tradepact.core.errors import InputFileError, ScenarioError, TradepactError
from tradepact.core.scenario import load_scenario
from tradepact.studies.simulate import load_uncertainty as uncertainty_model, simulate, simulate_many
from tradepact.macro.shocks import BLOCK, Empirical, LogNormal, Normal, ShockSpec, Triangular, Uniform

YIELD = "assumptions.vehicle.project_cash_yield_rate"
CAPACITY = "kr.macro.usd_supply_capacity_usd_bn"

# One cash tranche of 100 under a 10 a year cap, yield read from the parameter,
# a split that does not switch (so the investor's receipts are linear in the yield).
LINEAR = """\
name: test/linear
title: Linear in the yield
as_of: 2025-11-14
start_year: 2026
horizon_end_year: 2045
discount_rate: 0.04
profit_split: {investor_share_before_recoup: 0.5, investor_share_after_recoup: 0.5}
tranches:
  - name: cash
    instrument: cash_equity
    amount_usd_bn: 100
    schedule: {kind: capped_annual, cap_usd_bn: 10}
"""


def _linear(write_yaml, uncertainty: str, name: str = "s.yaml"):
    return load_scenario(write_yaml(name, LINEAR + uncertainty))


# ---------------------------------------------------------------- closed forms
def test_lognormal_yield_gives_the_known_mean_of_discounted_distributions(write_yaml):
    sc = _linear(write_yaml, f"uncertainty:\n  {YIELD}: {{dist: lognormal, mean: 0.07, sd: 0.02}}\n")
    r = simulate(sc, 20_000, seed=11)
    y = r.inputs[YIELD]
    # The lognormal's own moments.
    assert y.mean() == pytest.approx(0.07, abs=4 * 0.02 / np.sqrt(y.size))
    assert y.std() == pytest.approx(0.02, rel=0.03)
    assert stats.kstest(np.log(y), "norm", args=(np.log(0.07) - np.log1p((0.02 / 0.07) ** 2) / 2,
                                                  np.sqrt(np.log1p((0.02 / 0.07) ** 2)))).pvalue > 1e-3
    # Closed form: capital K_t = min(10 (t+1), 100), outflow 10 a year for 10 years at
    # the start of each year, half the distributions y K_t at the end of each year.
    v = 1 / 1.04
    k = np.arange(20)
    capital = np.minimum(10 * (k + 1), 100)
    cost = sum(10 * v ** i for i in range(10))
    pv_capital = float((capital * v ** (k + 1)).sum())
    expected_npv = -cost + 0.5 * 0.07 * pv_capital
    npv = r.headline["investor_npv_usd_bn"]
    se = npv.std(ddof=1) / np.sqrt(npv.size)
    assert npv.mean() == pytest.approx(expected_npv, abs=4 * se)
    # Draw by draw the NPV is exactly linear in the drawn yield.
    assert np.allclose(npv, -cost + 0.5 * y * pv_capital)


def test_truncated_normal_and_other_families_match_their_moments():
    n = 200_000
    spec = ShockSpec(("n", "u", "t", "ln"), (Normal(0.1, 0.05, 0.0, 1.0), Uniform(1, 3), Triangular(0, 1, 4),
                                             LogNormal(2.0, 1.0)))
    d = spec.draw(n, 3)
    a, b = (0 - 0.1) / 0.05, (1 - 0.1) / 0.05
    assert d["n"].mean() == pytest.approx(stats.truncnorm(a, b, 0.1, 0.05).mean(), abs=5e-4)
    assert d["n"].mean() == pytest.approx(Normal(0.1, 0.05, 0.0, 1.0).expected, abs=5e-4)
    assert d["n"].min() >= 0
    assert d["u"].mean() == pytest.approx(2, abs=0.01) and d["u"].var() == pytest.approx(4 / 12, rel=0.02)
    assert d["t"].mean() == pytest.approx(5 / 3, abs=0.01)
    assert d["t"].var() == pytest.approx((0 + 1 + 16 - 0 - 0 - 4) / 18, rel=0.02)
    assert d["ln"].mean() == pytest.approx(2.0, rel=0.01) and d["ln"].std() == pytest.approx(1.0, rel=0.05)


def test_gaussian_copula_correlations():
    rho = 0.6
    c = np.array([[1, rho, 0], [rho, 1, 0], [0, 0, 1.0]])
    spec = ShockSpec(("a", "b", "c"), (Normal(0, 1), Normal(5, 2), Uniform(0, 1)), c)
    d = spec.draw(100_000, 7)
    assert np.corrcoef(d["a"], d["b"])[0, 1] == pytest.approx(rho, abs=0.01)
    assert abs(np.corrcoef(d["a"], d["c"])[0, 1]) < 0.015
    spec_u = ShockSpec(("x", "y"), (Uniform(0, 1), Triangular(0, 1, 2)), c[:2, :2])
    du = spec_u.draw(100_000, 7)
    spearman = stats.spearmanr(du["x"], du["y"]).statistic
    assert spearman == pytest.approx(6 / np.pi * np.arcsin(rho / 2), abs=0.01)


def test_empirical_resamples_the_values():
    values = np.array([0.03, 0.05, 0.08, 0.12])
    d = ShockSpec(("e",), (Empirical(values),)).draw(40_000, 1)["e"]
    assert set(np.unique(d)) == set(values)
    counts = np.array([(d == v).mean() for v in values])
    assert np.allclose(counts, 0.25, atol=0.01)


def test_probability_over_capacity_matches_the_uniform_closed_form(write_yaml):
    # Reserve-funded calls of exactly 20 a year; capacity uniform on [15, 25]:
    # P(any year over) = P(capacity < 20) = 1/2.
    sc = load_scenario(write_yaml("c.yaml", """\
        name: test/cap
        base: us_kr_2025/final
        title: capacity
        as_of: 2025-11-14
        uncertainty:
          kr.macro.usd_supply_capacity_usd_bn: {dist: uniform, low: 15, high: 25}
        """))
    r = simulate(sc, 4000, seed=2)
    p = r.probabilities["any_year_over_capacity"]
    assert p == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / 4000))
    assert np.array_equal(r.over_capacity_any, r.inputs[CAPACITY] < 20 - 1e-9)
    assert r.probabilities["investor_recoups_within_horizon"] == 1.0
    fan = r.fan("reserves_usd_bn")
    assert list(fan.columns) == ["p5", "p25", "p50", "p75", "p95"]
    assert (fan["p5"] <= fan["p50"]).all() and (fan["p50"] <= fan["p95"]).all()
    assert len(fan) == len(r.years)


# ---------------------------------------------------------------- reproducibility
def test_seed_reproducibility_and_chunking_invariance():
    a = simulate("us_kr_2025/final_uncertain", 3000, seed=42, chunk_size=3000)
    b = simulate("us_kr_2025/final_uncertain", 3000, seed=42, chunk_size=700)
    c = simulate("us_kr_2025/final_uncertain", 3000, seed=43, chunk_size=3000)
    for k in a.inputs:
        assert np.array_equal(a.inputs[k], b.inputs[k])
        assert not np.array_equal(a.inputs[k], c.inputs[k])
    for k in a.headline:
        np.testing.assert_allclose(a.headline[k], b.headline[k], rtol=1e-12, atol=1e-9, equal_nan=True)
    again = simulate("us_kr_2025/final_uncertain", 3000, seed=42, chunk_size=3000)
    for k in a.headline:
        assert np.array_equal(a.headline[k], again.headline[k], equal_nan=True)


def test_block_streams_are_random_access():
    spec = ShockSpec(("a", "b"), (Normal(0, 1), Uniform(0, 1)))
    full = spec.draw(3 * BLOCK + 17, 9)
    part = spec.sample(9, BLOCK - 5, 2 * BLOCK + 3)
    for k in full:
        assert np.array_equal(full[k][BLOCK - 5:2 * BLOCK + 3], part[k])


def test_common_random_numbers_across_designs():
    s = simulate_many(["us_kr_2025/final", "us_kr_2025/kr_october"], 500, seed=1)
    a, b = s.results
    assert np.array_equal(a.inputs[YIELD], b.inputs[YIELD])
    assert a.uncertainty.source.endswith("final_uncertain.yaml")
    assert s.compare("deal_npv_investor_usd_bn").shape == (3, 2)


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize("dist, message, field", [
    ("{dist: lognormal, mean: 0.07, sd: -0.02}", "standard deviation", f"uncertainty.{YIELD}.sd"),
    ("{dist: normal, sd: 0}", "standard deviation", f"uncertainty.{YIELD}.sd"),
    ("{dist: uniform, low: 0.09, high: 0.05}", "reversed", f"uncertainty.{YIELD}"),
    ("{dist: triangular, low: 0.05, mode: 0.10, high: 0.09}", "mode", f"uncertainty.{YIELD}"),
    ("{dist: gamma, mean: 0.07}", "known family", f"uncertainty.{YIELD}"),
    ("{dist: normal, sd: 0.01, truncate: [0.1, 0.0]}", "truncate", f"uncertainty.{YIELD}"),
])
def test_invalid_distributions_name_file_line_and_path(write_yaml, dist, message, field):
    path = write_yaml("bad.yaml", LINEAR + f"uncertainty:\n  {YIELD}: {dist}\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = str(exc.value)
    assert f"{path}:14" in text and field in text and message in text


@pytest.mark.parametrize("block, message", [
    (f"uncertainty:\n  {YIELD}x: {{dist: normal, sd: 0.01}}\n", "unknown parameter path"),
    (f"uncertainty:\n  {YIELD}: {{dist: uniform, low: 0.5, high: 1.5}}\n", "outside the range of unit"),
    ("uncertainty:\n  assumptions.instruments.loan.loss_given_default_share: {dist: normal, sd: 0.3}\n",
     "truncate"),
    ("uncertainty:\n  deals.us_kr_2025.funding_window_business_days: {dist: normal, sd: 3}\n",
     "cannot carry a distribution"),
    (f"uncertainty:\n  {YIELD}: {{dist: normal, sd: 0.01, truncate: [-2, 0.1]}}\n", "truncation bounds"),
    (f"uncertainty:\n  {YIELD}: {{dist: normal, sd: {{param: kr.macro.gdp_usd_bn, times: [-1]}}}}\n",
     "standard deviation must be above 0"),
    (f"uncertainty:\n  {YIELD}: {{dist: normal, sd: 0.01}}\n"
     f"correlations:\n  - {{between: [{YIELD}, {CAPACITY}], rho: 0.3}}\n", "without a distribution"),
    (f"uncertainty:\n  {YIELD}: {{dist: normal, sd: 0.01}}\n  {CAPACITY}: {{dist: normal, sd: 1}}\n"
     "  kr.macro.gdp_usd_bn: {dist: normal, sd: 10}\n"
     f"correlations:\n  - {{between: [{YIELD}, {CAPACITY}], rho: 0.9}}\n"
     f"  - {{between: [{YIELD}, kr.macro.gdp_usd_bn], rho: 0.9}}\n"
     f"  - {{between: [{CAPACITY}, kr.macro.gdp_usd_bn], rho: -0.9}}\n", "jointly possible"),
])
def test_semantic_errors_name_the_file_and_parameter_path(write_yaml, block, message):
    path = write_yaml("bad.yaml", LINEAR + block)
    with pytest.raises(TradepactError) as exc:
        uncertainty_model(load_scenario(path))
    text = str(exc.value)
    assert str(path) in text and message in text and "uncertainty" in text or "correlations" in text


def test_unit_range_truncation_keeps_draws_inside(write_yaml):
    sc = _linear(write_yaml, "uncertainty:\n  assumptions.instruments.loan.loss_given_default_share:"
                             " {dist: normal, mean: 0.45, sd: 0.3, truncate: [0, 1]}\n")
    m = uncertainty_model(sc)
    d = m.shock.draw(5000, 1)["assumptions.instruments.loan.loss_given_default_share"]
    assert d.min() >= 0 and d.max() <= 1
    assert m.inputs[0].truncated_to == (0.0, 1.0)
    assert not m.inputs[0].used          # no loan tranche in this scenario: reported, not an error


def test_empirical_files_relative_to_the_scenario(write_yaml, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "yields.csv").write_text("year,yield\n2019,0.05\n2020,0.06\n2021,0.09\n")
    np.save(tmp_path / "data" / "cap.npy", np.array([15.0, 18.0, 20.0]))
    sc = _linear(write_yaml, f"uncertainty:\n  {YIELD}: {{dist: empirical, file: data/yields.csv, column: yield}}\n"
                             f"  {CAPACITY}: {{dist: empirical, file: data/cap.npy}}\n")
    r = simulate(sc, 600, seed=4)
    assert set(np.unique(r.inputs[YIELD])) == {0.05, 0.06, 0.09}
    assert set(np.unique(r.inputs[CAPACITY])) == {15.0, 18.0, 20.0}
    bad = _linear(write_yaml, f"uncertainty:\n  {YIELD}: {{dist: empirical, file: data/missing.csv}}\n", "b.yaml")
    with pytest.raises(InputFileError, match="file not found"):
        uncertainty_model(bad)
    several = _linear(write_yaml, f"uncertainty:\n  {YIELD}: {{dist: empirical, file: data/yields.csv}}\n", "c.yaml")
    with pytest.raises(ScenarioError, match=r"has 2 columns. Expected a .column. key"):
        uncertainty_model(several)


def test_simulate_rejects_bad_arguments():
    with pytest.raises(TradepactError, match="draws"):
        simulate("us_kr_2025/final_uncertain", 0)
    with pytest.raises(TradepactError, match="seed"):
        simulate("us_kr_2025/final_uncertain", 10, seed=-1)


# ---------------------------------------------------------------- CLI
def test_simulate_json(capsys):
    args = ["simulate", "--scenario", "us_kr_2025/final", "--scenario", "us_kr_2025/us_october",
            "--draws", "300", "--seed", "5", "--json", "--no-progress"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    sims = data["simulations"]
    assert [s["name"] for s in sims] == ["us_kr_2025/final", "us_kr_2025/us_october"]
    q = sims[0]["quantiles"]["investor_npv_usd_bn"]
    assert set(q) == {"p5", "p50", "p95"} and q["p5"] <= q["p50"] <= q["p95"]
    assert sims[1]["probabilities"]["any_year_over_capacity"] == 1.0      # 25 a year > any capacity draw
    assert 0 <= sims[0]["probabilities"]["investor_recoups_within_horizon"] <= 1
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == data                     # same seed, same output


def test_simulate_error_is_one_paragraph(write_yaml, capsys):
    path = write_yaml("bad.yaml", LINEAR + f"uncertainty:\n  {YIELD}: {{dist: lognormal, mean: 0.07, sd: -1}}\n")
    assert main(["simulate", "--scenario", str(path), "--draws", "10", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and YIELD in err and "Traceback" not in err


def test_simulate_report_has_fan_charts(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["simulate", "--scenario", "us_kr_2025/final", "--draws", "200", "--no-progress",
                 "--out", str(out)]) == 0
    html = (out / "index.html").read_text()
    assert "Fan charts" in html and "Uncertainty: the distribution of outcomes" in html
    assert html.count("<svg") == 6          # 3 assessment charts, rate timeline, payoffs, fan chart
