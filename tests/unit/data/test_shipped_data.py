"""Shipped derived data (src/tradepact/data): published anchors and internal consistency.

Anchors are published figures, read by hand from their sources:
* Korea 2024 imports: 8,327 HS10 lines, USD 130.46 bn customs value, USD 0.249 bn
  calculated duty (US Census via us-imports-hs10-2024/SOURCE.md, checked 2026-12-01);
* HTS 8703.23.01 (passenger cars 1,500-3,000 cc): general rate 2.5 %, special
  "Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,...)" (USITC HTS 2025 basic edition, line 8703.23.01);
* China 301 list 3 (9903.88.03, "+ 25%"; USTR 83 FR 47974, 2018-09-21) covers 9403.60.80
  (wooden furniture, other) and 8415.10.30;
* KRW per USD, June 2026 monthly average 1529.46 (Fed H.10 via fx-fred-h10-monthly/SOURCE.md);
  the euro's and the pound's historic USD ranges since 2000 fix the series' orientation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import polars as pl
import pytest

from tradepact.core.errors import InputFileError
from tradepact.io import shipped

FAR = dt.date(2100, 1, 1)


def _in_force(frame: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    return frame.filter((pl.col("valid_from") <= day)
                        & (pl.col("valid_until").is_null() | (pl.col("valid_until") > day)))


# ------------------------------------------------------------------ imports 2024
def test_korea_totals_match_census_published_figures():
    kor = shipped.imports_2024().filter(pl.col("partner") == "KOR")
    assert kor.height == 8327
    assert kor["customs_value_usd"].sum() / 1e9 == pytest.approx(130.46, abs=0.005)
    assert kor["calculated_duty_usd"].sum() / 1e9 == pytest.approx(0.249, abs=0.0005)


def test_fifty_one_partners_and_all_rows():
    imp = shipped.imports_2024()
    assert imp["partner"].n_unique() == 51
    assert imp.height == 209_616          # SOURCE.md: 51 partners, 209,616 rows
    assert {"KOR", "JPN", "CHN", "MEX", "CAN", "EUN", "SVK", "TWN"} <= set(imp["partner"])
    assert imp.select(pl.struct("hs10", "partner").is_duplicated().any()).item() is False
    assert imp["hs10"].str.contains(r"^\d{10}$").all()


def test_eu_aggregate_contains_slovakia_and_is_kept_apart():
    """EUN is the EU aggregate (Census 0003): it includes Slovakia, so on every line it
    trades at least as much as SVK; the two stay separate partners."""
    imp = shipped.imports_2024()
    eun = imp.filter(pl.col("partner") == "EUN").select("hs10", pl.col("customs_value_usd").alias("eu"))
    svk = imp.filter(pl.col("partner") == "SVK").select("hs10", pl.col("customs_value_usd").alias("sk"))
    both = svk.join(eun, on="hs10", how="left")
    assert both["eu"].null_count() == 0                       # every Slovak line is an EU line
    assert (both["eu"] >= both["sk"] - 1.0).all()
    assert eun["eu"].sum() > 10 * svk["sk"].sum()


# ------------------------------------------------------------------ HTS
def test_passenger_car_line_general_and_korus_rates():
    day = dt.date(2025, 5, 1)
    line = _in_force(shipped.hts_lines(), day).filter(pl.col("code") == "8703230140")
    assert line.height == 1
    assert line["general_rate"][0] == pytest.approx(0.025)
    assert line["general_kind"][0] == "ad_valorem"
    sp = _in_force(shipped.hts_special(), day).filter(pl.col("code").str.starts_with("870323"))
    kr = sp.filter(pl.col("program") == "KR")
    assert kr.height == sp["code"].n_unique() >= 7        # every 8703.23 line has KORUS Free
    assert (kr["rate"] == 0.0).all() and (kr["kind"] == "free").all()


def test_lines_in_force_every_quarter_and_no_chapter_99():
    hts = shipped.hts_lines()
    assert not hts["code"].str.starts_with("99").any()
    assert hts["code"].str.len_chars().is_in([8, 10]).all()
    for day in (dt.date(2025, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 3, 1), dt.date(2026, 12, 31)):
        assert 18_000 < _in_force(hts, day).height < 22_000


@pytest.mark.parametrize("name,key", [("hts_lines", ["code"]), ("hts_special", ["code", "program"])])
def test_hts_intervals_do_not_overlap(name, key):
    f = getattr(shipped, name)().sort([*key, "valid_from"])
    assert (f["valid_until"].is_null() | (f["valid_until"] > f["valid_from"])).all()
    nxt = f.with_columns(pl.col("valid_from").shift(-1).over(key).alias("next_from"))
    bad = nxt.filter(pl.col("next_from").is_not_null()
                     & (pl.col("valid_until").is_null() | (pl.col("valid_until") > pl.col("next_from"))))
    assert bad.height == 0


def test_other_lines_name_their_parents():
    hts = shipped.hts_lines()
    assert (hts["description"].str.len_chars() <= 200).all()
    desc = hts.filter(pl.col("code") == "8703230140")["description"][0]
    assert "1,500 cc" in desc and desc.endswith("Other")


# ------------------------------------------------------------------ product lists
def test_china_301_list_3_covers_known_lines():
    lists = shipped.product_lists()
    l3 = lists.filter(pl.col("list") == "s301_china_list_3")
    assert {"94036080", "84151030"} <= set(l3["hts_prefix"])
    assert l3["source"].str.contains("9903.88.03").all()


def test_list_names_are_the_documented_ones():
    from pathlib import Path
    doc = (Path(shipped.DATA_ROOT) / "LISTS.md").read_text()
    names = set(shipped.product_lists()["list"])
    missing = sorted(n for n in names if f"`{n}`" not in doc and not n.startswith("s301fl_exempt_"))
    assert missing == []
    assert all(n.islower() and " " not in n for n in names)


def test_lists_unique_and_every_prefix_in_force_in_its_window():
    lists = shipped.product_lists()
    assert lists.select(pl.struct("list", "hts_prefix").is_duplicated().any()).item() is False
    assert lists["hts_prefix"].str.contains(r"^\d{2,10}$").all()
    assert ((lists["share"] >= 0) & (lists["share"] <= 1)).all()
    hts = shipped.hts_lines().select("code", pl.col("valid_from").alias("h0"),
                                     pl.col("valid_until").fill_null(FAR).alias("h1"))
    rows = lists.with_columns(pl.col("valid_from").fill_null(dt.date(1900, 1, 1)).alias("l0"),
                              pl.col("valid_until").fill_null(FAR).alias("l1"))
    matched = []
    for k in range(2, 11):
        sub = rows.filter(pl.col("hts_prefix").str.len_chars() == k)
        j = sub.join(hts.with_columns(pl.col("code").str.slice(0, k).alias("hts_prefix")), on="hts_prefix")
        matched.append(j.filter((pl.col("h0") < pl.col("l1")) & (pl.col("h1") > pl.col("l0")))
                       .select("list", "hts_prefix").unique())
    unmatched = lists.join(pl.concat(matched), on=["list", "hts_prefix"], how="anti")
    unmatched = list(zip(unmatched["list"], unmatched["hts_prefix"]))
    assert unmatched == []


def test_semiconductor_share_and_annex_move_dates():
    lists = shipped.product_lists()
    semi = lists.filter(pl.col("list") == "s232_semiconductors")
    assert semi.height > 0 and ((semi["share"] >= 0) & (semi["share"] <= 1)).all()
    annex = lists.filter(pl.col("list").str.starts_with("s232_annex_"))
    assert annex["valid_from"].min() == dt.date(2026, 4, 6)
    assert dt.date(2026, 6, 8) in set(annex["valid_from"])


# ------------------------------------------------------------------ shares, concordance, fx
def test_shares_tables_and_bounds():
    sh = shipped.product_shares()
    assert {"usmca_claims", "metal_content_steel", "metal_content_aluminum", "metal_content_copper",
            "metal_content_metal", "auto_parts_applicability"} <= set(sh["table"])
    assert set(sh.filter(pl.col("table") == "usmca_claims")["partner"]) == {"CAN", "MEX"}
    bounded = sh.filter(~pl.col("table").str.starts_with("metal_content_"))
    assert ((bounded["share"] >= 0) & (bounded["share"] <= 1)).all()
    # BEA total-requirement coefficients: >= 0, and above 1 on a few metal-intensive lines
    assert (sh["share"] >= 0).all() and sh["share"].is_not_nan().all()


def test_concordance_covers_every_hts10_line_and_cars_are_naics_336111():
    conc = shipped.concordance()
    hts10 = set(shipped.hts_lines().filter(pl.col("code").str.len_chars() == 10)["code"])
    assert hts10 <= set(conc["hs10"])
    # NAICS 336111 = Automobile Manufacturing (Census NAICS 2017)
    assert conc.filter(pl.col("hs10") == "8703230140")["naics6"][0] == "336111"
    assert conc["naics6"].null_count() / conc.height < 0.01


def test_fx_matches_fed_h10_published_rates():
    fx = shipped.fx_monthly()
    krw = fx.filter((pl.col("currency") == "KRW") & (pl.col("month") == dt.date(2026, 6, 1)))
    assert krw["lcu_per_usd"][0] == pytest.approx(1529.46, abs=0.01)
    # orientation: since 2000 the euro traded between about USD 0.82 (Oct 2000) and 1.60
    # (Jul 2008), the pound between about USD 1.03 (Sep 2022) and 2.11 (Nov 2007)
    eur = fx.filter(pl.col("currency") == "EUR")["lcu_per_usd"]
    assert eur.min() > 1 / 1.61 and eur.max() < 1 / 0.82
    gbp = fx.filter(pl.col("currency") == "GBP")["lcu_per_usd"]
    assert gbp.min() > 1 / 2.12 and gbp.max() < 1 / 1.03
    assert fx.select(pl.struct("month", "currency").is_duplicated().any()).item() is False


# ------------------------------------------------------------------ files, manifest, readers
def test_total_size_and_manifest_hashes_match_the_shipped_files():
    root = shipped.DATA_ROOT
    total = sum(p.stat().st_size for p in root.iterdir() if p.is_file())
    assert total < 15e6
    data = json.loads((root / "manifest.json").read_text())
    assert "build_date" not in json.dumps(data)
    for name, out in data["outputs"].items():
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == out["sha256"]
        assert pl.read_parquet(root / name).height == out["rows"]
        assert out["inputs"], name
    m = shipped.manifest()
    assert set(m["file"]) == set(data["outputs"])


def test_missing_and_corrupt_files_raise_located_errors(tmp_path):
    with pytest.raises(InputFileError, match="hts.parquet"):
        shipped._read("hts.parquet", root=tmp_path)
    (tmp_path / "hts.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputFileError, match="cannot be read"):
        shipped._read("hts.parquet", root=tmp_path)
    pl.DataFrame({"code": ["01"]}).write_parquet(tmp_path / "hts.parquet")
    with pytest.raises(InputFileError, match="description"):
        shipped._read("hts.parquet", root=tmp_path)
