"""Loaders: real files from ../shared/data where present, small files in the
publishers' documented layouts otherwise (tests/unit/io/data/, written for
these tests: Census API JSON, BACI CSV, Comtrade+ bulk CSV, WITS concordance)."""

from pathlib import Path

import polars as pl
import pytest

from tradepact.core.errors import TradepactError
from tradepact.io import (Column1Schedule, ImportFrame, load_baci, load_census_country_codes,
                          load_census_imports, load_comtrade_bulk, load_hs_concordance,
                          load_partner_table, parse_rate, parse_special)

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "raw" / "us-hts-2025"
needs_shared = pytest.mark.skipif(not (SHARED / "hts_2025_basic_edition.csv").exists(),
                                  reason="../shared/data/raw/us-hts-2025 not present")


def test_parse_rates():
    assert parse_rate("Free") == (0.0, "free")
    assert parse_rate("2.5%") == (0.025, "ad_valorem")
    assert parse_rate("52.5¢/bbl") == (0.0, "specific")
    assert parse_rate("58¢ each + 4.6% on the case") == (0.046, "compound")
    sp = parse_special("Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,MA,OM,P,PA,PE,S,SG)25% (KR)")
    assert sp["KR"] == "25%" and sp["S"] == "Free" and "A+" in sp


@needs_shared
def test_real_hts_korus_rates():
    s = Column1Schedule.from_hts_csv(SHARED / "hts_2025_basic_edition.csv")
    assert s.lines.height > 19000
    assert s.general_rate("87032301") == pytest.approx(0.025)     # 8703.23.01 2.5 %
    assert s.special_rate("87032301", "KR") == 0.0                # KORUS Free
    assert s.special_rate("87043101", "KR") == pytest.approx(0.25)  # light trucks 25 % under KORUS
    assert s.special_rate("85076000", "KR") == 0.0 and s.general_rate("85076000") == pytest.approx(0.034)
    with pytest.raises(TradepactError, match="not in the column-1 schedule"):
        s.rates(["87039999"])


@needs_shared
def test_shipped_schedule_agrees_with_the_hts_basic_edition():
    import datetime as dt

    from tradepact.resolve.tariff_files import default_schedule
    full = Column1Schedule.from_hts_csv(SHARED / "hts_2025_basic_edition.csv")
    shipped = default_schedule().at(dt.date(2025, 1, 1))
    codes = sorted(set(shipped.leaf_codes()) & set(full.leaf_codes()))[::37]     # a spread sample
    a = shipped.rates(codes, program="KR").sort("product")
    b = full.rates(codes, program="KR").sort("product")
    assert a["general_rate"].to_list() == pytest.approx(b["general_rate"].to_list())
    assert a["special_rate"].to_list() == pytest.approx(b["special_rate"].to_list())


@needs_shared
def test_mfn_file_agrees_with_parsed_hts():
    full = Column1Schedule.from_hts_csv(SHARED / "hts_2025_basic_edition.csv")
    mfn = pl.read_csv(SHARED / "mfn_rates_2025.csv", schema_overrides={"hs8": pl.Utf8})
    mfn = mfn.filter(pl.col("rate_type").is_in(["ad_valorem", "free"]) & ~pl.col("hs8").str.starts_with("99"))
    sample = mfn.sample(500, seed=1)
    got = full.rates(sample["hs8"].to_list()).sort("product")
    exp = sample.sort("hs8")
    assert got["general_rate"].to_list() == pytest.approx(exp["mfn_rate"].cast(pl.Float64).to_list(), abs=1e-9)


@needs_shared
def test_hs_groups_name_real_lines():
    from tradepact.resolve.tariff_files import load_hs_groups
    full = Column1Schedule.from_hts_csv(SHARED / "hts_2025_basic_edition.csv")
    leaves = full.leaf_codes()
    groups = load_hs_groups()
    for g, prefixes in groups.prefixes.items():
        for p in prefixes:
            assert any(c.startswith(p) or p.startswith(c) for c in leaves), (g, p)


@needs_shared
def test_shipped_census_codes_agree_with_the_crosswalk():
    real = load_census_country_codes(SHARED / "census_to_iso3.csv")
    shipped = load_partner_table().census_to_iso3()
    for code, iso in shipped.items():
        assert real.get(code) == iso, code


def test_census_api_json_sums_months_and_drops_aggregates():
    f = load_census_imports(DATA / "census_imports_hs10_sample.json")
    d = {(r["product"], r["partner"]): r for r in f.data.iter_rows(named=True)}
    assert d[("8703230190", "KOR")]["customs_value"] == pytest.approx(3.2e9)
    assert d[("8703230190", "KOR")]["quantity"] == pytest.approx(128000)
    assert ("8703230190", "JPN") in d and len(d) == 3            # EU aggregate and total dropped
    assert set(f.data["period"].to_list()) == {2024}


@needs_shared
def test_census_with_the_shared_crosswalk():
    f = load_census_imports(DATA / "census_imports_hs10_sample.json",
                            country_codes=SHARED / "census_to_iso3.csv")
    assert set(f.data["partner"].to_list()) == {"KOR", "JPN"}


def test_census_unknown_country_is_an_error(tmp_path):
    p = tmp_path / "c.json"
    p.write_text('[["I_COMMODITY","CTY_CODE","GEN_VAL_MO","time"],["8703230190","9999","1","2024-01"]]')
    with pytest.raises(TradepactError, match="no ISO alpha-3 mapping"):
        load_census_imports(p)


def test_baci_keeps_us_imports_in_dollars():
    f = load_baci(DATA / "baci_sample.csv", country_codes=DATA / "baci_country_codes_sample.csv")
    rows = {(r["product"], r["partner"]): r for r in f.data.iter_rows(named=True)}
    assert rows[("870323", "KOR")]["customs_value"] == pytest.approx(34_012_500.0)
    assert rows[("030111", "KOR")]["customs_value"] == pytest.approx(1250.0)
    assert ("870323", "JPN") in rows and len(rows) == 3        # China-bound flow dropped


def test_comtrade_bulk_keeps_totals_only():
    f = load_comtrade_bulk(DATA / "comtrade_bulk_sample.csv")
    rows = {(r["product"], r["partner"]): r["customs_value"] for r in f.data.iter_rows(named=True)}
    assert rows == {("870323", "KOR"): 30e9, ("870323", "JPN"): 35e9}


def test_concordance_splits_one_to_many_equally():
    c = load_hs_concordance(DATA / "hs_concordance_sample.csv")
    f = ImportFrame.from_records([
        {"product": "841780", "partner": "KOR", "period": 2023, "customs_value": 100.0},
        {"product": "870323", "partner": "KOR", "period": 2023, "customs_value": 7.0}])
    out = {r["product"]: r["customs_value"] for r in c.convert(f).data.iter_rows(named=True)}
    assert out == {"841780": 50.0, "841720": 50.0, "870323": 7.0}
    with pytest.raises(TradepactError, match="not in the concordance"):
        c.convert(ImportFrame.from_records([{"product": "010121", "partner": "KOR", "period": 2023,
                                             "customs_value": 1.0}]))


@pytest.mark.parametrize("row, message", [
    ({"product": "8703", "partner": "KOR", "period": 2024, "customs_value": -1.0}, "negative"),
    ({"product": "87032", "partner": "KOR", "period": 2024, "customs_value": 1.0}, "malformed HS code"),
    ({"product": "870323", "partner": "KR", "period": 2024, "customs_value": 1.0}, "malformed partner"),
    ({"product": "870323", "partner": "KOR", "period": 1024, "customs_value": 1.0}, "calendar year"),
])
def test_import_frame_rejects_bad_rows(row, message):
    with pytest.raises(TradepactError, match=message):
        ImportFrame.from_records([row])


def test_import_frame_missing_column_and_unknown_partner():
    with pytest.raises(TradepactError, match="required column is missing"):
        ImportFrame.from_records([{"product": "870323", "partner": "KOR"}])
    with pytest.raises(TradepactError, match="unknown partner"):
        ImportFrame.from_records([{"product": "870323", "partner": "QQQ", "period": 2024,
                                   "customs_value": 1.0}], known_partners=load_partner_table().codes)


def test_aggregate_to_hs6():
    f = ImportFrame.from_records([
        {"product": "8703230190", "partner": "KOR", "period": 2024, "customs_value": 1.0},
        {"product": "8703230110", "partner": "KOR", "period": 2024, "customs_value": 2.0}])
    a = f.aggregate(6)
    assert a.data["product"].to_list() == ["870323"] and a.data["customs_value"][0] == 3.0
