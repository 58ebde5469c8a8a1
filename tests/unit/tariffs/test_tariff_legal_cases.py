"""Dated rates from the legal texts (each case cites its source in the YAML file)."""

from pathlib import Path

import pytest

from tradepact.core.yamlio import load_yaml_file

CASES = load_yaml_file(Path(__file__).resolve().parents[2] / "cases" / "tariffs" / "legal_cases.yaml")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rate_matches_legal_text(engine, case):
    assert case["source"]
    x = engine.explain(case["partner"], case["hs"], case["date"])
    assert x.total_rate == pytest.approx(case["total_rate"], abs=1e-9)
    for authority, rate in (case.get("by_authority") or {}).items():
        assert x.by_authority[authority] == pytest.approx(rate, abs=1e-9), authority


def test_explanation_lists_the_measures_and_references(engine):
    x = engine.explain("KOR", "870323", "2025-11-20")
    ids = {m["id"] for m in x.measures}
    assert {"s232_autos_kor_floor_15", "fta_korus", "mfn_column1_general"} <= ids
    assert any("2025-21940" in r.href for r in x.references)
    d = x.to_dict()
    assert set(d) >= {"partner", "hs", "date", "total_rate", "by_authority", "references"}
    assert d["total_rate"] == pytest.approx(0.15)


def test_explanation_names_the_stacking_rule_and_its_source(engine):
    x = engine.explain("KOR", "870323", "2025-10-01")   # s232 autos excludes the stacked reciprocal
    assert "S4" in x.stacking_rules
    assert any("2025-06063" in r.href for r in x.references)   # EO 14257
    assert "S4" not in engine.explain("KOR", "392690", "2025-10-01").stacking_rules
