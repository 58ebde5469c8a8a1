"""The command line: output, report files, errors without tracebacks."""

import json
import subprocess
import sys

import pytest

from tradepact.interfaces.cli import main


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_assess_json_contract(capsys):
    code, out, _ = run(["assess", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert [s["name"] for s in data["scenarios"]] == [
        "us_kr_2025/us_initial", "us_kr_2025/us_october", "us_kr_2025/kr_october", "us_kr_2025/final"]


def test_assess_writes_report(tmp_path, capsys):
    out_dir = tmp_path / "rep"
    (tmp_path / "rep").mkdir()
    keep = out_dir / "notes.txt"
    keep.write_text("mine")
    code, out, _ = run(["assess", "--out", str(out_dir), "--excel"], capsys)
    assert code == 0 and (out_dir / "assessment.xlsx").stat().st_size > 0
    # Without --excel the workbook is not written, and the previous run's is not left behind.
    code, out, _ = run(["assess", "--out", str(out_dir)], capsys)
    assert code == 0
    for name in ("index.html", "assessment.json", "headline.csv", "annual.csv", "provenance.csv",
                 "tariffs.csv", "tariff_timeline.csv"):
        assert (out_dir / name).stat().st_size > 0
    assert not (out_dir / "assessment.xlsx").exists() and "--excel adds the workbook" in out
    html = (out_dir / "index.html").read_text()
    # Outflow, reserves, waterfall, one rate timeline (the four scenarios share their regimes)
    # and the evidence timeline (the shipped store: the October 2025 reports).
    assert html.count("<svg") == 5 and "Where the numbers come from" in html
    assert "Evidence: what the news record says" in html and "Supported by" in html
    assert html.count('id="rt-') > 0 and "Automaker, 2025" in html
    assert keep.read_text() == "mine"            # other files are left alone
    assert "final" in out


def test_out_path_that_is_a_file_is_refused(tmp_path, capsys):
    f = tmp_path / "report"
    f.write_text("do not overwrite")
    code, _, err = run(["assess", "--out", str(f)], capsys)
    assert code == 2 and "is a file" in err and f.read_text() == "do not overwrite"


def test_params_show(capsys):
    code, out, _ = run(["params", "show", "kr.macro.fx_reserves_usd_bn", "--at", "2025-11-14"], capsys)
    assert code == 0 and "428.82" in out and "JoongAng" in out


def test_params_show_json(capsys):
    code, out, _ = run(["params", "show", "deals.us_kr_2025.cash.annual_cap_usd_bn", "--json",
                        "--at", "2025-11-14"], capsys)
    d = json.loads(out)
    assert code == 0 and d["at"]["value"] == 20 and d["values"][0]["references"]


def test_schema(capsys):
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["title"] == "tradepact scenario"


@pytest.mark.parametrize("args, needle", [
    (["params", "show", "kr.macro.nothing"], "unknown parameter path"),
    (["params", "show", "kr.macro.gdp_usd_bn", "--at", "2025-02-30"], "not a date"),
    (["assess", "--scenario", "no/such/file.yaml"], "file not found"),
])
def test_errors_exit_2_without_traceback(args, needle, capsys):
    code, _, err = run(args, capsys)
    assert code == 2 and needle in err and "Traceback" not in err


def test_bad_scenario_file_via_the_installed_command(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x/y\nbase: us_kr_2025/final\ntitle: t\nas_of: 2025-11-14\n"
                   "tranches:\n  - name: cash\n    amount_usd_bn: -5\n")
    proc = subprocess.run([sys.executable, "-m", "tradepact", "assess", "--scenario", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "bad.yaml:7, field 'tranches[0].amount_usd_bn'" in proc.stderr
    assert "found -5" in proc.stderr and "Traceback" not in proc.stderr
