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
