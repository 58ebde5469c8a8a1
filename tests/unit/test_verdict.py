"""The verdict: point payoffs, the tornado against scenario overlays, the reserve test, its rendering."""

import math

import pytest

from tradepact.core.scenario import load_scenario_text
from tradepact.studies.assess import assess
from tradepact.studies.verdict import scenario_verdict, verdict

YIELD = "assumptions.vehicle.project_cash_yield_rate"


@pytest.fixture(scope="module")
def final():
    return scenario_verdict("us_kr_2025/final", n_draws=200, seed=3)


@pytest.fixture(scope="module")
def initial():
    return scenario_verdict("us_kr_2025/us_initial", n_draws=0, with_tornado=False)


def overlay(path, value):
    return load_scenario_text(f"name: user/swing\ntitle: Swing\nbase: us_kr_2025/final\nas_of: 2025-11-14\n"
                              f"parameters:\n  {path}: {value!r}\n")


def test_point_payoffs_are_the_assessment_s(final):
    a = assess(["us_kr_2025/final"]).scenarios[0].headline
    assert final.investor.deal_npv_usd_bn == pytest.approx(a["deal_npv_investor_usd_bn"])
    assert final.host.deal_npv_usd_bn == pytest.approx(a["deal_npv_host_usd_bn"])
    assert final.investor.better_off == (a["deal_npv_investor_usd_bn"] >= 0)


def test_yield_swing_is_the_overlay_at_the_5th_percentile(final):
    bar = next(s for s in final.tornado if s.path == YIELD)
    # triangular(0.05, 0.07, 0.09): F(x) = (x - a)^2 / ((b - a)(c - a)) below the mode, so
    # the 5th percentile is a + sqrt(0.05 (b - a)(c - a)).
    p5 = 0.05 + math.sqrt(0.05 * 0.04 * 0.02)
    assert bar.low_value == pytest.approx(p5, rel=1e-9)
    assert bar.high_value == pytest.approx(0.09 - math.sqrt(0.05 * 0.04 * 0.02), rel=1e-9)
    at_low = assess([overlay(YIELD, bar.low_value)]).scenarios[0].headline
    assert bar.investor_low_usd_bn == pytest.approx(at_low["deal_npv_investor_usd_bn"], rel=1e-9)
    assert bar.host_low_usd_bn == pytest.approx(at_low["deal_npv_host_usd_bn"], rel=1e-9)


def test_drivers_are_the_widest_bars(final):
    drivers = final.drivers("investor")
    assert 1 <= len(drivers) <= 3
    widths = sorted((s.swing("investor") for s in final.tornado), reverse=True)
    assert [d.swing("investor") for d in drivers] == widths[: len(drivers)]
    assert all(d.swing("investor") > 0 for d in drivers)


def test_probability_and_its_standard_error(final):
    p = final.investor.probability_better_off
    assert 0 <= p <= 1
    assert final.investor.probability_standard_error == pytest.approx(math.sqrt(p * (1 - p) / 200))
    assert final.n_draws == 200


def test_reserve_test_fails_in_the_years_over_capacity(initial):
    a = assess(["us_kr_2025/us_initial"]).scenarios[0].annual
    by_hand = tuple(int(y) for y, out, cap in zip(a["year"], a["reserve_funded_outflow_usd_bn"],
                                                 a["usd_supply_capacity_usd_bn"]) if out > cap + 1e-9)
    assert initial.failing_years == by_hand and by_hand
    assert not initial.stress_test_holds
    assert "exceeds capacity in " + ", ".join(map(str, by_hand)) in initial.sentence
    assert initial.investor.probability_better_off is None and initial.drivers() == ()


def test_verdict_set_contract(final):
    v = verdict(["us_kr_2025/final"], n_draws=0, with_tornado=False)
    d = v.to_dict()
    assert d["schema"] == "verdict/1" and d["scenarios"][0]["name"] == "us_kr_2025/final"
    assert v["final"].name == "us_kr_2025/final"
    assert list(v.compare().columns) == ["unit", "us_kr_2025/final"]
    assert not v.provenance().empty
    assert final.frame().shape[0] == len(final.tornado)


def test_terminal_verdict_fits_80_columns(final, initial):
    from rich.console import Console

    from tradepact.interfaces.terminal import verdict_table, year_ranges
    from tradepact.results.verdict import Verdict
    assert year_ranges((2026, 2027, 2028, 2031)) == "2026-28, 2031"
    con = Console(width=80, record=True)
    con.print(verdict_table(Verdict((initial, final))))
    text = con.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    for header in ("Scenario", "Korea", "P(better)", "United States", "Reserves ≤ capacity"):
        assert header in text
    assert "no: " + year_ranges(initial.failing_years) in text


def test_report_opens_with_the_verdict_and_draws_outflow_against_capacity(final):
    from tradepact.interfaces.report import render_html
    from tradepact.results.verdict import Verdict
    html = render_html(assess(["us_kr_2025/final"]), verdict=Verdict((final,)))
    assert html.index("Verdict: better or worse off") < html.index("Headline figures")
    assert "Outflow paid from reserves against capacity" in html
    assert "Total cash outflow (all instruments" in html
    assert "<th>Final deal (MOU of 14 November 2025)</th>" in html
