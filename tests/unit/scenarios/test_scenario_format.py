"""User scenario files: base merging, overlays, validation errors."""

from pathlib import Path

import numpy as np
import pytest

from tradepact.studies.assess import assess, evaluate
from tradepact.core.errors import ScenarioError, ScheduleError, TradepactError
from tradepact.core.scenario import load_scenario, scenario_json_schema
from tradepact.resolve import resolve

#: A 100 bn cash package under a 10 bn cap: the smallest valid scenario file.
MINIMAL = (Path(__file__).resolve().parents[2] / "cases" / "scenarios" / "minimal.yaml").read_text()


def test_minimal_scenario_by_hand(write_yaml):
    out = evaluate(resolve(load_scenario(write_yaml("s.yaml", MINIMAL))))
    h = out.headline
    assert h["years_to_disburse"][0] == 10
    assert h["recoup_year"][0] == 2050          # see test_cashflows for the arithmetic
    assert h["peak_annual_reserve_funded_outflow_usd_bn"][0] == pytest.approx(10)


def test_literal_numbers_are_in_provenance(write_yaml):
    r = resolve(load_scenario(write_yaml("s.yaml", MINIMAL)))
    paths = {u.path for u in r.provenance}
    assert "scenario:test/minimal:tranches[0].amount_usd_bn" in paths
    assert "kr.macro.fx_reserves_usd_bn" in paths


def test_child_changes_the_cap_of_the_final_deal(write_yaml):
    path = write_yaml("mine.yaml", """\
        name: mine/cap15
        base: us_kr_2025/final
        title: Final deal with a 15 bn cap
        as_of: 2025-11-14
        tranches:
          - name: cash
            schedule: {kind: capped_annual, cap_usd_bn: 15}
        """)
    sc = load_scenario(path)
    assert [t.name for t in sc.spec.tranches] == ["cash", "shipbuilding_fdi",
                                                   "shipbuilding_guarantees", "ship_finance"]
    out = evaluate(resolve(sc))
    # 200 at 15 a year: 13 full years (195) and 5 in the 14th.
    cash = out.flows.by_instrument("cash_out", "cash_equity")[0]
    assert np.allclose(cash[:13], 15) and cash[13] == pytest.approx(5) and cash[14:].sum() == 0


def test_overlay_changes_a_parameter_everywhere_it_is_used(write_yaml):
    path = write_yaml("o.yaml", """\
        name: mine/cap25
        base: us_kr_2025/final
        title: Final deal if the cap were 25
        as_of: 2025-11-14
        parameters:
          deals.us_kr_2025.cash.annual_cap_usd_bn: {"2025-01-01": 25}
        """)
    r = resolve(load_scenario(path))
    cash = [t for t in r.vehicle.tranches if t.name == "cash"][0]
    assert cash.schedule.cap_usd_bn == 25
    use = [u for u in r.provenance if u.path == "deals.us_kr_2025.cash.annual_cap_usd_bn"][0]
    assert use.status == "assumption" and use.references[0].kind == "scenario"


def test_bounded_overlay_restores_value(write_yaml):
    path = write_yaml("o.yaml", """\
        name: mine/bounded
        base: us_kr_2025/final
        title: t
        as_of: 2025-11-14
        parameters:
          kr.macro.fx_reserves_usd_bn: {"2025-11-01.2025-12-01": 300}
        """)
    sc = load_scenario(path)
    tree = sc.apply_overlay(__import__("tradepact").core.default_parameters())
    p = tree.parameter("kr.macro.fx_reserves_usd_bn")
    assert p.at("2025-11-14") == 300 and p.at("2025-12-02") != 300


@pytest.mark.parametrize("body, message", [
    ("tranches:\n  - name: cash\n    amount_usd_bn: -5\n", "amount_usd_bn.*out of range.*found -5"),
    ("tranches:\n  - name: cash\n    schedule: {kind: capped_annual, cap_usd_bn: 1}\n", "only by 2225"),
    ("tranches:\n  - name: cash\n    schedule: {kind: monthly}\n", "schedule.*monthly"),
    ("tranches:\n  - name: cash\n    colour: red\n", r"tranches\[0\].colour.*unknown key"),
    ("tranches:\n  - name: cash\n    terms: {interest_rate: 0.05}\n",
     "interest_rate.*does not apply to instrument 'cash_equity'"),
    ("parameters:\n  kr.macro.fx_reserve_usd_bn: 300\n", "unknown parameter path.*fx_reserves_usd_bn"),
    ("parameters:\n  deals.us_kr_2025.profit_split.investor_share_before_recoup: 50\n",
     r"found 50\).*from 0 to 1"),
    ("parameters:\n  kr.macro.gdp_usd_bn: {\"2026-01-01\": 1, \"2025-01-01.2027-01-01\": 2}\n",
     "date ranges overlap"),
    ("parameters:\n  kr.macro.gdp_usd_bn: {\"2026-13-01\": 1}\n", "bad date range"),
])
def test_bad_input_names_file_field_value(write_yaml, body, message):
    head = "name: mine/bad\nbase: us_kr_2025/final\ntitle: t\nas_of: 2025-11-14\n"
    path = write_yaml("bad.yaml", head + body)
    with pytest.raises(TradepactError, match=message) as info:
        resolve(load_scenario(path))
    assert "bad.yaml" in str(info.value)


def test_explicit_schedule_must_add_up(write_yaml):
    path = write_yaml("e.yaml", MINIMAL.replace("{kind: capped_annual, cap_usd_bn: 10}",
                                                "{kind: explicit, amounts_usd_bn: {2026: 50, 2027: 40}}"))
    with pytest.raises(ScheduleError, match=r"e.yaml:\d+, field 'tranches\[0\].schedule.amounts_usd_bn'.*add up to 90"):
        resolve(load_scenario(path))


def test_unknown_base_lists_shipped(write_yaml):
    path = write_yaml("b.yaml", "name: x/y\nbase: us_kr_2025/fnal\ntitle: t\nas_of: 2025-11-14\n")
    with pytest.raises(ScenarioError, match="b.yaml:2, field 'base': unknown base scenario.*us_kr_2025/final"):
        load_scenario(path)


def test_missing_required_key(write_yaml):
    path = write_yaml("m.yaml", MINIMAL.replace("as_of: 2025-11-14\n", ""))
    with pytest.raises(ScenarioError, match="field 'as_of': required key is missing"):
        load_scenario(path)


def test_schema_is_exported():
    s = scenario_json_schema()
    assert s["additionalProperties"] is False
    assert {"name", "tranches", "profit_split", "parameters"} <= set(s["properties"])


def test_assess_accepts_a_user_file_beside_shipped(write_yaml):
    a = assess(["us_kr_2025/final", write_yaml("s.yaml", MINIMAL)])
    assert a.names == ["us_kr_2025/final", "test/minimal"]
