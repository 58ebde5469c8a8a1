"""Measures as data: strict schema, located errors, regimes."""

import shutil
from pathlib import Path

import pytest

from tradepact.core.errors import TradepactError
from tradepact.resolve.tariff_files import load_measures
from tradepact.resolve.tariff_files import MEASURES_ROOT
from tradepact.tariffs.measures import Regime


def write_measures(tmp_path, text):
    root = tmp_path / "m"
    root.mkdir()
    shutil.copy(MEASURES_ROOT / "_sources.yaml", root / "_sources.yaml")
    (root / "x.yaml").write_text(text)
    return root


GOOD = """\
description: test
measures:
  - id: a
    title: Test measure
    authority: ieepa_recip
    kind: floor
    rate: 0.15
    product_scope: {all: true}
    partner_scope: {include: [KOR]}
    legal_effective: 2025-11-14
    cite: [eo14257]
"""


def test_good_file_loads(tmp_path):
    ms = load_measures(write_measures(tmp_path, GOOD))
    m = ms.get("a")
    assert m.rate == 0.15 and m.interval.contains(__import__("datetime").date(2025, 11, 14))


@pytest.mark.parametrize("change, message", [
    (("    rate: 0.15\n", ""), "needs a 'rate'"),
    (("    rate: 0.15\n", "    rate: 15\n"), "less than or equal to 2"),
    (("[KOR]", "[KOX]"), "unknown partner"),
    (("{all: true}", "{groups: [no_such_group]}"), "unknown product group"),
    (("[eo14257]", "[nope]"), "unknown source key"),
    (("    cite:", "    colour: red\n    cite:"), "unknown key"),
    (("legal_effective: 2025-11-14", "legal_effective: 2025-11-14\n    ends: 2025-01-01"), "after 'legal_effective'"),
])
def test_errors_name_file_line_and_value(tmp_path, change, message):
    root = write_measures(tmp_path, GOOD.replace(*change))
    with pytest.raises(TradepactError) as exc:
        load_measures(root)
    assert message in str(exc.value)
    assert "x.yaml" in str(exc.value)


def test_duplicate_id(tmp_path):
    root = write_measures(tmp_path, GOOD + GOOD.split("measures:\n")[1])
    with pytest.raises(TradepactError, match="duplicate measure id"):
        load_measures(root)


def test_regime_with_unknown_measure_fails_before_any_change(system):
    with pytest.raises(TradepactError, match="unknown measure"):
        system.measures.with_regime(Regime("bad", "x", disable=("recip_kor_floor_15", "nope")))


def test_override_is_validated(system):
    ms = system.custom_regime("t", overrides={"s232_steel_50": {"rate": 0.4}})
    assert ms.get("s232_steel_50").rate == 0.4
    with pytest.raises(TradepactError):
        system.custom_regime("t2", overrides={"s232_steel_50": {"rate": "high"}})


def test_every_shipped_measure_is_cited_and_dated(system):
    for m in system.measures:
        assert system.measures.references(m), m.id
        assert system.coverage.start <= m.legal_effective, m.id
        if m.status == "assumption":
            assert m.note, m.id


def test_unverified_variants_are_off_by_default(system):
    enacted = system.regime("enacted")
    for mid in ("recip_kor_threat_25", "s232_autos_kor_threat_25", "s122_surcharge_15_announced",
                "recip_kor_no_deal_25", "s122_extended_10"):
        assert not enacted.get(mid).in_effect


def test_no_inline_hs_codes_in_measure_files():
    import re
    for p in MEASURES_ROOT.rglob("*.yaml"):
        if p.name.startswith("_"):
            continue  # references may carry page and document numbers
        text = p.read_text()
        assert not re.search(r"\b\d{6,10}\b", text.replace("2025", "").replace("2026", "")), p


def test_overlapping_measures_of_equal_rank_are_an_error(system, tmp_path):
    from tradepact.resolve.tariff_files import default_schedule
    from tradepact.studies.tariffs import TariffEngine
    dup = GOOD.replace("id: a", "id: b").split("measures:\n")[1]
    root = write_measures(tmp_path, GOOD + dup)
    ms = load_measures(root)
    e = TariffEngine(system, default_schedule(), regime=ms)
    with pytest.raises(TradepactError, match="overlap"):
        e.explain("KOR", "39269099", "2025-12-01")


def test_every_source_is_cited_and_documented(system):
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[3] / "docs" / "DATA_SOURCES.md").read_text()
    from tradepact.tariffs.stacking import RULE_SOURCES
    cited = {k for m in system.measures for k in m.cite} | {k for ks in RULE_SOURCES.values() for k in ks}
    assert {k for ks in RULE_SOURCES.values() for k in ks} <= set(system.measures.sources)
    for key in system.measures.sources:
        assert key in cited, f"source {key} is not cited by any measure"
        assert f"`{key}`" in doc, f"source {key} missing from docs/DATA_SOURCES.md"


def test_the_no_ieepa_regimes_disable_every_ieepa_measure_in_force():
    """no_ieepa and ieepa_refunded list their measures by id: a new IEEPA measure
    left off the lists would still be charged in those counterfactuals."""
    from tradepact.resolve.tariff_files import default_tariff_system
    system = default_tariff_system()
    in_force = {m.id for m in system.measures if m.authority.startswith("ieepa") and m.in_effect}
    assert len(in_force) > 60
    for name in ("no_ieepa", "ieepa_refunded"):
        missing = in_force - set(system.regimes[name].disable)
        assert not missing, (name, sorted(missing))
