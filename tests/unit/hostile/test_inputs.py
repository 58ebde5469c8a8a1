"""Issue 12: one regression test per class of hostile scenario input, each with
a minimal reproducer. Every case must end in a TradepactError whose message
names the file (and line where one exists), the field and what was expected —
never a traceback, never a silent wrong answer."""

from __future__ import annotations

import os

import pytest

from tradepact.core import limits
from tradepact.core.errors import TradepactError
from tradepact.core.scenario import allow_paths, load_scenario
from tradepact.core.yamlio import load_yaml_text
from tradepact.resolve import resolve
from tradepact.studies.assess import evaluate

from .conftest import CHILD, MINIMAL, one_paragraph


def _error(path) -> str:
    with pytest.raises(TradepactError) as info:
        evaluate(resolve(load_scenario(path)))
    text = str(info.value)
    assert one_paragraph(text), text
    return text


def _replace(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


# ------------------------------------------------------------------ tracebacks before (59 inputs)
TRACEBACKS = [
    # (id, scenario text, needles that must all be in the message)
    ("tranche-name-list", CHILD + "tranches:\n  - name: [a, b]\n    amount_usd_bn: 5\n",
     ["s.yaml:6", "tranches[0].name", "text"]),
    ("amount-inf", _replace("amount_usd_bn: 100", "amount_usd_bn: .inf"), ["s.yaml:11", "not finite"]),
    ("amount-1e400", _replace("amount_usd_bn: 100", "amount_usd_bn: 1.0e+400"), ["s.yaml:11", "not finite"]),
    ("deadline-9999", _replace("schedule: {kind: capped_annual, cap_usd_bn: 10}",
                               "schedule: {kind: selection_window, deadline: 9999-12-31}"),
     ["s.yaml:12", "tranches[0].schedule.deadline", f"{limits.YEAR_MAX}"]),
    ("start-year-0", _replace("start_year: 2026", "start_year: 0"), ["s.yaml:4", "start_year", "1990"]),
    ("horizon-9999", _replace("horizon_end_year: 2065", "horizon_end_year: 9999"),
     ["s.yaml:5", "horizon_end_year", "2200"]),
    ("horizon-2147483648", _replace("horizon_end_year: 2065", "horizon_end_year: 2147483648"),
     ["s.yaml:5", "horizon_end_year"]),
    ("nan-in-times", _replace("amount_usd_bn: 100",
                              "amount_usd_bn: {param: deals.us_kr_2025.cash.amount_usd_bn, times: [.nan]}"),
     ["s.yaml:11", "not finite"]),
    ("digits-5000", _replace("amount_usd_bn: 100", "amount_usd_bn: " + "9" * 5000),
     ["s.yaml:11", "5000 digits", str(limits.MAX_INTEGER_DIGITS)]),
    ("nul-byte", _replace("title: A 100", "title: A \x00 100"), ["s.yaml:2", "U+0000"]),
    ("bel-byte", _replace("title: A 100", "title: A \x07 100"), ["s.yaml:2", "U+0007"]),
    ("nesting-1000", MINIMAL + "description: " + "[" * 1000 + "]" * 1000 + "\n",
     ["s.yaml:14", f"{limits.MAX_NESTING} levels"]),
    ("horizon-over-100-years", _replace("start_year: 2026", "start_year: 1990").replace(
        "horizon_end_year: 2065", "horizon_end_year: 2200"),
     ["s.yaml:5", "horizon_end_year", f"{limits.MAX_HORIZON_YEARS} modelled years"]),
]


@pytest.mark.parametrize("text, needles", [c[1:] for c in TRACEBACKS], ids=[c[0] for c in TRACEBACKS])
def test_former_tracebacks_are_located_errors(scenario_file, text, needles):
    message = _error(scenario_file(text))
    for needle in needles:
        assert needle in message, (needle, message)


def test_a_1200_file_base_chain_stops_at_the_limit(tmp_path):
    n = 1200
    for i in range(n):
        base = f"base: s{i + 1}.yaml\n" if i + 1 < n else ""
        (tmp_path / f"s{i}.yaml").write_text(f"name: c/s{i}\n{base}title: t\nas_of: 2025-11-14\n")
    with pytest.raises(TradepactError) as info:
        load_scenario(tmp_path / "s0.yaml")
    text = str(info.value)
    assert f"longer than {limits.MAX_BASE_CHAIN} files" in text and "field 'base'" in text
    assert f"s{limits.MAX_BASE_CHAIN - 1}.yaml:2" in text and one_paragraph(text)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("description: '" + "x" * (limits.MAX_FILE_BYTES + 10) + "'\n")
    with pytest.raises(TradepactError, match="too large"):
        load_scenario(p)


# ------------------------------------------------------------------ nonsense accepted before
ACCEPTED = [
    ("reserves-negative", MINIMAL + "parameters:\n  kr.macro.fx_reserves_usd_bn: -500\n",
     ["s.yaml:15", "parameters.kr.macro.fx_reserves_usd_bn", "-500", "reserves above 0"]),
    ("duplicate-new-tranches", CHILD + "tranches:\n"
     "  - {name: extra, instrument: loan, amount_usd_bn: 10, schedule: {kind: upfront}}\n"
     "  - {name: extra, instrument: loan, amount_usd_bn: 10, schedule: {kind: upfront}}\n",
     ["s.yaml:7", "tranches[1].name", "duplicate tranche name"]),
    ("remove-string-false", CHILD + "tranches:\n  - name: cash\n    remove: 'false'\n",
     ["s.yaml:7", "tranches[0].remove", "true or false"]),
    ("discount-yes", _replace("discount_rate: 0.04", "discount_rate: yes"),
     ["s.yaml:6", "discount_rate", "found True"]),
    ("funding-lag-negative", _replace(
        "schedule: {kind: capped_annual, cap_usd_bn: 10}",
        "schedule: {kind: selection_window, deadline: 2029-01-19, funding_lag_business_days: -3}"),
     ["s.yaml:12", "funding_lag_business_days", "found -3"]),
    ("as-of-unix-seconds", _replace("as_of: 2025-11-14", "as_of: 1763078400"),
     ["s.yaml:3", "as_of", "not a number"]),
    ("response-string-bool", MINIMAL + "tariffs: {response: 'yes'}\n", ["s.yaml:14", "tariffs.response"]),
    ("amount-as-string", _replace("amount_usd_bn: 100", "amount_usd_bn: '100'"),
     ["s.yaml:11", "tranches[0].amount_usd_bn", "(tranche 'cash')"]),
    ("share-above-one", _replace("investor_share_before_recoup: 0.5", "investor_share_before_recoup: 1.5"),
     ["s.yaml:7", "profit_split.investor_share_before_recoup", "from 0 to 1"]),
    ("overlay-nan-date-far", MINIMAL + "parameters:\n  kr.macro.gdp_usd_bn: {\"9999-01-01\": 1}\n",
     ["s.yaml:15", "date out of range"]),
]


@pytest.mark.parametrize("text, needles", [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_nonsense_is_refused(scenario_file, text, needles):
    message = _error(scenario_file(text))
    for needle in needles:
        assert needle in message, (needle, message)


def test_remove_true_still_removes_and_the_pledge_reconciles(scenario_file):
    """Two new tranches of 10 and 20 on the final deal (350) minus a removed
    one: the pledge is the sum of the tranches that remain."""
    base = evaluate(resolve(load_scenario("src/tradepact/scenarios/us_kr_2025/final.yaml")))
    text = CHILD + ("tranches:\n"
                    "  - {name: a, instrument: loan, amount_usd_bn: 10, schedule: {kind: upfront}}\n"
                    "  - {name: b, instrument: loan, amount_usd_bn: 20, schedule: {kind: upfront}}\n")
    out = evaluate(resolve(load_scenario(scenario_file(text))))
    assert out.headline["pledge_usd_bn"][0] == pytest.approx(base.headline["pledge_usd_bn"][0] + 30)


def test_yaml_loader_refuses_non_finite_and_control_characters():
    for text in ("a: .inf", "a: -.inf", "a: .nan", "a: 1.0e+999"):
        with pytest.raises(TradepactError, match="not finite"):
            load_yaml_text(text, "f.yaml")
    with pytest.raises(TradepactError, match=r"U\+001B"):
        load_yaml_text("a: \x1b[31m", "f.yaml")
    assert load_yaml_text("a: 1.0e+3\nb: '\t'\n", "f.yaml") == {"a": 1000.0, "b": "\t"}


# ------------------------------------------------------------------ errors in the right place
def test_a_childs_tranche_error_names_the_child_line_and_the_tranche(scenario_file):
    text = CHILD + ("tranches:\n"
                    "  - {name: extra, instrument: loan, amount_usd_bn: 10, schedule: {kind: upfront}}\n"
                    "  - name: ship_finance\n    amount_usd_bn: -7\n")
    message = _error(scenario_file(text))
    # ship_finance is the 4th tranche of the merged list but the child's 2nd, on line 8.
    assert "s.yaml:8, field 'tranches[1].amount_usd_bn' (tranche 'ship_finance')" in message


def test_an_error_inside_a_base_is_blamed_on_the_base(scenario_file, tmp_path):
    scenario_file(_replace("amount_usd_bn: 100", "amount_usd_bn: -5"), "base.yaml")
    child = scenario_file("name: c/hild\nbase: base.yaml\ntitle: child\nas_of: 2025-11-14\n", "child.yaml")
    message = _error(child)
    assert "base.yaml:11, field 'tranches[0].amount_usd_bn' (tranche 'cash')" in message
    assert "child.yaml" not in message


def test_a_validation_error_inside_a_base_is_blamed_on_the_base(scenario_file):
    scenario_file(_replace("discount_rate: 0.04", "discount_rate: '4%'"), "base.yaml")
    child = scenario_file("name: c/hild\nbase: base.yaml\ntitle: child\nas_of: 2025-11-14\n", "child.yaml")
    message = _error(child)
    assert "base.yaml:6, field 'discount_rate'" in message


def test_start_year_true_is_blamed_on_the_scenario(scenario_file):
    message = _error(scenario_file(_replace("start_year: 2026", "start_year: true")))
    assert "s.yaml:4, field 'start_year'" in message and ".csv" not in message


def test_a_loan_with_tenor_not_above_grace_names_the_file(scenario_file):
    text = CHILD + "tranches:\n  - name: ship_finance\n    terms: {tenor_years: 2, grace_years: 3}\n"
    message = _error(scenario_file(text))
    assert "s.yaml:" in message and "tranches[0].terms.tenor_years" in message and "grace" in message


# ------------------------------------------------------------------ paths and leaks
def test_base_outside_the_folder_is_refused_without_quoting_it(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: s/ecret\ntitle: t\nas_of: 2025-11-14\ndiscount_rate: TOPSECRET\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    child = inner / "c.yaml"
    child.write_text("name: c/hild\nbase: ../secret.yaml\ntitle: t\nas_of: 2025-11-14\n")
    with pytest.raises(TradepactError) as info:
        load_scenario(child)
    text = str(info.value)
    assert "leaves the scenario's folder" in text and "--allow-path" in text and "TOPSECRET" not in text
    previous = allow_paths([tmp_path])
    try:
        with pytest.raises(TradepactError, match="discount_rate"):
            load_scenario(child)          # now allowed: a scenario file the user chose to allow
    finally:
        allow_paths(previous)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.yaml").write_text(MINIMAL)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "link.yaml").symlink_to(outside / "b.yaml")
    child = inner / "c.yaml"
    child.write_text("name: c/hild\nbase: link.yaml\ntitle: t\nas_of: 2025-11-14\n")
    with pytest.raises(TradepactError, match="leaves the scenario's folder"):
        load_scenario(child)


def _empirical_child(tmp_path, file: str, column: str | None = None) -> "os.PathLike":
    col = f", column: {column}" if column else ""
    p = tmp_path / "u.yaml"
    p.write_text(CHILD + "uncertainty:\n  kr.macro.exchange_rate_krw_per_usd: {dist: empirical, file: "
                 f"{file}{col}}}\n")
    return p


def test_empirical_file_through_a_symlink_to_environ_is_refused(tmp_path, monkeypatch):
    from tradepact.studies.simulate import load_uncertainty
    monkeypatch.setenv("TRADEPACT_CANARY", "canary-value-XYZ")
    (tmp_path / "env.csv").symlink_to("/proc/self/environ")
    sc = load_scenario(_empirical_child(tmp_path, "env.csv"))
    with pytest.raises(TradepactError) as info:
        load_uncertainty(sc)
    text = str(info.value)
    assert "leaves the scenario's folder" in text and "canary" not in text and "PATH" not in text


def test_empirical_csv_errors_name_the_file_not_its_contents(tmp_path):
    from tradepact.studies.simulate import load_uncertainty
    (tmp_path / "two.csv").write_text("private_col_a,private_col_b\n1,2\n3,4\n")
    (tmp_path / "bad.csv").write_text("rate\n1400\nprivate-token-123\n")
    for file, column, needle in (("two.csv", None, "2 columns"), ("two.csv", "nope", "no such column"),
                                 ("bad.csv", None, "not a number (data row 2, line 3)")):
        sc = load_scenario(_empirical_child(tmp_path, file, column))
        with pytest.raises(TradepactError) as info:
            load_uncertainty(sc)
        text = str(info.value)
        assert needle in text and "private" not in text and "u.yaml:6" in text, text


def test_uncertainty_on_the_annual_cap_simulates(tmp_path):
    """Issue 12: a uniform distribution over the cash cap crashed with a numpy
    broadcast error. Draws of the cap must give one row per draw, and every
    draw must disburse the whole cash tranche."""
    from tradepact.studies.simulate import simulate
    p = tmp_path / "cap.yaml"
    p.write_text(CHILD + "uncertainty:\n  deals.us_kr_2025.cash.annual_cap_usd_bn: "
                         "{dist: uniform, low: 15, high: 25}\n")
    sim = simulate(load_scenario(p), 64, seed=1, workers=1)
    assert sim.n_draws == 64
    q = sim.quantiles(q=(0.0, 1.0), keys=["peak_annual_reserve_funded_outflow_usd_bn"]).iloc[0]
    lo, hi = float(q.iloc[0]), float(q.iloc[1])
    # The peak year moves the drawn cap (15..25) plus nothing else: it lies inside the draws' range
    # and the draws differ (a cap that was ignored would give one value).
    assert 15 - 1e-6 <= lo < hi <= 25 + 1e-6


def test_a_start_year_before_the_trade_data_is_blamed_on_the_scenario(scenario_file):
    message = _error(scenario_file(_replace("start_year: 2026", "start_year: 2021")))
    assert "s.yaml:4, field 'start_year'" in message and ".parquet" not in message
