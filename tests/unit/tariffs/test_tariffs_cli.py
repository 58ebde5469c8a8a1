import json

import pytest
from click.testing import CliRunner

from tradepact.core.errors import TradepactError
from tradepact.interfaces.cli.tariffs import tariffs_cmd as tariffs


def run(*args):
    return CliRunner().invoke(tariffs, list(args))


def test_rate_json_contract():
    r = run("rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-10-01", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {"partner", "hs", "date", "total_rate", "by_authority", "references"} <= set(d)
    assert d["total_rate"] == pytest.approx(0.25)          # Proclamation 10908, before the deal rate
    assert d["by_authority"]["s232"] == pytest.approx(0.25)
    assert all("href" in ref for ref in d["references"])


def test_rate_table_names_authorities_and_sources():
    r = run("rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-12-01")
    assert r.exit_code == 0
    assert "Section 232" in r.output and "15.00 %" in r.output and "2025-21940" in r.output


def test_etr_default_table_and_json():
    r = run("etr", "--date", "2025-12-01", "--by", "sector")
    assert r.exit_code == 0 and "cars" in r.output
    j = json.loads(run("etr", "--date", "2025-12-01", "--json").output)
    kor = next(row for row in j["rows"] if row["partner"] == "KOR")
    assert 0.10 < kor["etr"] < 0.20


def test_etr_with_a_csv(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("product,partner,period,customs_value\n87032301,KOR,2024,100\n39269099,KOR,2024,50\n")
    j = json.loads(run("etr", "--date", "2025-10-01", "--data", str(p), "--json").output)
    assert j["rows"][0]["etr"] == pytest.approx(32.5 / 150)


@pytest.mark.parametrize("args", [
    ("rate", "--partner", "KOR", "--hs", "999999", "--date", "2025-10-01"),
    ("rate", "--partner", "KOR", "--hs", "870323", "--date", "2027-01-01"),
    ("rate", "--partner", "ZZZ", "--hs", "870323", "--date", "2025-10-01"),
    ("etr", "--date", "2025-10-01", "--data", "/no/such/file.csv"),
])
def test_errors_are_tradepact_errors(args):
    r = run(*args)
    assert isinstance(r.exception, TradepactError)


# ---------------------------------------------------------------- --by, --partner, --lines
def _json(*args):
    r = run(*args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_etr_partner_filter_keeps_the_shape_and_all_is_their_sum():
    j = _json("etr", "--date", "2025-12-01", "--partner", "KOR", "--partner", "jpn")
    assert set(j) == {"date", "regime", "by", "rows"} and j["by"] == "partner"
    rows = {r["partner"]: r for r in j["rows"]}
    assert set(rows) == {"KOR", "JPN", "ALL"}
    assert set(rows["KOR"]) == {"partner", "customs_value_usd", "duty_usd", "etr"}
    for k in ("customs_value_usd", "duty_usd"):
        assert rows["ALL"][k] == pytest.approx(rows["KOR"][k] + rows["JPN"][k], rel=1e-12)
    # Census 2024: Korea USD 130.46 bn imports for consumption (us-imports-hs10-2024/SOURCE.md)
    assert rows["KOR"]["customs_value_usd"] / 1e9 == pytest.approx(130.46, abs=0.01)
    full = {r["partner"]: r for r in _json("etr", "--date", "2025-12-01")["rows"]}
    assert rows["KOR"]["duty_usd"] == pytest.approx(full["KOR"]["duty_usd"], rel=1e-12)


@pytest.mark.parametrize("by", ["hs2", "sector", "authority"])
def test_etr_groupings_add_up_to_the_partner_total(by):
    kor = _json("etr", "--date", "2025-12-01", "--partner", "KOR")["rows"][0]
    j = _json("etr", "--date", "2025-12-01", "--partner", "KOR", "--by", by)
    assert j["by"] == by and all(by in r for r in j["rows"])
    assert sum(r["duty_usd"] for r in j["rows"]) == pytest.approx(kor["duty_usd"], rel=1e-9)
    if by == "authority":   # each row's value is the whole table's
        assert all(r["customs_value_usd"] == pytest.approx(kor["customs_value_usd"]) for r in j["rows"])
    else:
        assert sum(r["customs_value_usd"] for r in j["rows"]) == pytest.approx(kor["customs_value_usd"], rel=1e-12)
    if by == "hs2":
        assert all(len(r["hs2"]) == 2 for r in j["rows"])


def test_etr_unknown_partner_is_a_tradepact_error():
    r = run("etr", "--date", "2025-12-01", "--partner", "ZZZ")
    assert isinstance(r.exception, TradepactError)


def test_rate_lines_are_the_partners_2024_import_shares():
    import polars as pl

    from tradepact.io.shipped import imports_2024
    d = _json("rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-12-01", "--lines")
    assert d["basis"] == "trade_weighted" and d["n_lines"] == len(d["lines"]) > 1
    kor = imports_2024().filter((pl.col("partner") == "KOR") & pl.col("hs10").str.starts_with("870323"))
    value = dict(zip(kor["hs10"].to_list(), kor["customs_value_usd"].to_list()))
    total = sum(value.values())
    for ln in d["lines"]:
        assert ln["weight"] == pytest.approx(value.get(ln["hs"], 0.0) / total, abs=1e-9)
    assert d["total_rate"] == pytest.approx(sum(ln["weight"] * ln["total_rate"] for ln in d["lines"]), abs=1e-9)
    # every Korean car line is at the deal's 15 % all-in s232 rate on 2025-12-01 (FR 2025-21940)
    assert d["total_rate"] == pytest.approx(0.15)
    assert "lines" not in _json("rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-12-01")


def test_rate_table_shows_the_basis():
    exact = run("rate", "--partner", "KOR", "--hs", "8703230140", "--date", "2025-12-01")
    assert exact.exit_code == 0 and "basis exact" in exact.output
    mean = run("rate", "--partner", "KOR", "--hs", "8703", "--date", "2025-12-01", "--lines")
    assert mean.exit_code == 0 and "trade_weighted" in mean.output and "8703230140" in mean.output
