"""Issue 12, "done means": every CLI command, walked with a table of hostile
arguments, exits 2 with one paragraph on stderr and no traceback.

Most rows run in process (``main([...])``, fast); a few run the installed
command in a subprocess with a timeout, to prove the same of the real entry
point (signals, interpreter exit)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tradepact.core import limits
from tradepact.interfaces.cli import COMMANDS, main

from .conftest import CHILD, MINIMAL, one_paragraph

FILES = {
    "nul.yaml": MINIMAL.replace("title: A", "title: A\x00"),
    "bel.yaml": MINIMAL.replace("title: A", "title: A\x07"),
    "inf.yaml": MINIMAL.replace("amount_usd_bn: 100", "amount_usd_bn: .inf"),
    "big.yaml": MINIMAL.replace("amount_usd_bn: 100", "amount_usd_bn: 1.0e+400"),
    "digits.yaml": MINIMAL.replace("amount_usd_bn: 100", "amount_usd_bn: " + "7" * 5000),
    "deep.yaml": MINIMAL + "description: " + "[" * 1000 + "]" * 1000 + "\n",
    "namelist.yaml": CHILD + "tranches:\n  - name: [a]\n",
    "deadline.yaml": MINIMAL.replace("schedule: {kind: capped_annual, cap_usd_bn: 10}",
                                     "schedule: {kind: selection_window, deadline: 9999-12-31}"),
    "start0.yaml": MINIMAL.replace("start_year: 2026", "start_year: 0"),
    "horizon.yaml": MINIMAL.replace("horizon_end_year: 2065", "horizon_end_year: 2147483648"),
    "reserves.yaml": MINIMAL + "parameters:\n  kr.macro.fx_reserves_usd_bn: -500\n",
    "dupes.yaml": CHILD + "tranches:\n  - {name: a, instrument: loan, amount_usd_bn: 1, schedule: {kind: upfront}}\n"
                          "  - {name: a, instrument: loan, amount_usd_bn: 1, schedule: {kind: upfront}}\n",
    "remove.yaml": CHILD + "tranches:\n  - {name: cash, remove: 'false'}\n",
    "yes.yaml": MINIMAL.replace("discount_rate: 0.04", "discount_rate: yes"),
    "lag.yaml": MINIMAL.replace("schedule: {kind: capped_annual, cap_usd_bn: 10}",
                                "schedule: {kind: selection_window, deadline: 2029-01-01, "
                                "funding_lag_business_days: -1}"),
    "asof.yaml": MINIMAL.replace("as_of: 2025-11-14", "as_of: 1763078400"),
    "escape.yaml": CHILD.replace("base: us_kr_2025/final", "base: ../outside.yaml"),
    "notmap.yaml": "- just\n- a list\n",
    "empty.yaml": "",
    "binary.yaml": "\xff\xfe garbage",
    "secret_cols.csv": "SECRET_COLUMN_NAME,other\n1,2\n",
    "binary.csv": "\x00\x01\x02",
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "outside.yaml").write_text(MINIMAL)
    inner = root / "in"
    inner.mkdir()
    for name, text in FILES.items():
        (inner / name).write_bytes(text.encode("utf-8", "surrogateescape") if name != "binary.yaml"
                                   else b"\xff\xfe\x00garbage")
    (inner / "a_file").write_text("not a folder")
    ro = inner / "readonly"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield inner
    ro.chmod(stat.S_IRWXU)


# Each row: a command line with {d} for the folder of hostile files. Every row must exit 2.
ROWS: list[list[str]] = [
    # assess: every kind of bad scenario file
    *[["assess", "--no-report", "--scenario", "{d}/" + n] for n in FILES if n.endswith(".yaml")],
    ["assess", "--no-report", "--scenario", "{d}/missing.yaml"],
    ["assess", "--no-report", "--scenario", "{d}"],
    ["assess", "--no-report", "--scenario", "{d}/bad\x00name.yaml"],
    ["assess", "--no-report", "--scenario", "no/such/shipped"],
    ["assess", "--no-report", "--scenario", "{d}/escape.yaml", "--allow-path", "{d}/nope"],
    ["assess", "--scenario", "us_kr_2025/final", "--out", "{d}/a_file"],
    ["assess", "--no-report", "--bogus"],
    # simulate: counts, memory, scheduler, uncertainty
    ["simulate", "--draws", "1000000000000"],
    ["simulate", "--draws", "0"],
    ["simulate", "--draws", "-5"],
    ["simulate", "--draws", "nan"],
    ["simulate", "--draws", "9" * 5000],
    ["simulate", "--seed", "-1"],
    ["simulate", "--workers", "0"],
    ["simulate", "--workers", str(limits.MAX_WORKERS + 1)],
    ["simulate", "--chunk", "0"],
    ["simulate", "--stress", "bogus"],
    ["simulate", "--scenario", "us_kr_2025/final", "--draws", str(limits.MAX_DRAWS), "--max-memory", "10MB",
     "--no-progress"],
    ["simulate", "--scenario", "us_kr_2025/final", "--max-memory", "lots", "--no-progress"],
    ["simulate", "--scenario", "us_kr_2025/final", "--max-memory", "1KB", "--no-progress"],
    ["simulate", "--scenario", "us_kr_2025/final", "--draws", "8", "--scheduler", "tcp://nohost:::",
     "--no-progress"],
    ["simulate", "--scenario", "us_kr_2025/final", "--draws", "8", "--scheduler", "tcp://127.0.0.1:1",
     "--no-progress"],
    ["simulate", "--scenario", "{d}/inf.yaml", "--draws", "8", "--no-progress"],
    ["simulate", "--scenario", "us_kr_2025/final", "--uncertainty", "{d}/deep.yaml", "--draws", "8",
     "--no-progress"],
    # zopa: refine, fix, bounds, draws, memory
    ["zopa", "--refine", "1000000000"],
    ["zopa", "--refine", "-1"],
    ["zopa", "--fix", "cash_share=nan", "--no-progress"],
    ["zopa", "--fix", "cash_share=inf", "--no-progress"],
    ["zopa", "--fix", "cash_share", "--no-progress"],
    ["zopa", "--fix", "cash_share=1:2", "--no-progress"],
    ["zopa", "--bounds", "cash_share=0.5", "--no-progress"],
    ["zopa", "--bounds", "cash_share=-inf:inf", "--no-progress"],
    ["zopa", "--draws", "1000000000000"],
    ["zopa", "--max-memory", "-3GB"],
    ["zopa", "--base", "{d}/start0.yaml", "--no-progress"],
    ["zopa", "--base", "{d}/escape.yaml", "--no-progress"],
    # tariffs
    ["tariffs", "rate", "--partner", "USA", "--hs", "870323", "--date", "2025-10-01"],
    ["tariffs", "rate", "--partner", "", "--hs", "870323", "--date", "2025-10-01"],
    ["tariffs", "rate", "--partner", "K\x07R", "--hs", "870323", "--date", "2025-10-01"],
    ["tariffs", "rate", "--partner", "KOR", "--hs", "abc", "--date", "2025-10-01"],
    ["tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "9999-12-31"],
    ["tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "1763078400"],
    ["tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-02-30"],
    ["tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-10-01", "--regime", "nope"],
    ["tariffs", "etr", "--date", "2025-10-01", "--data", "{d}/secret_cols.csv"],
    ["tariffs", "etr", "--date", "2025-10-01", "--data", "{d}/binary.csv"],
    ["tariffs", "etr", "--date", "2025-10-01", "--data", "{d}/missing.csv"],
    ["tariffs", "etr", "--date", "bogus"],
    ["tariffs", "etr", "--date", "2025-10-01", "--by", "bogus"],
    ["tariffs", "regimes", "--bogus"],
    # params, scenarios, schema
    ["params", "show", "kr.macro.nothing"],
    ["params", "show", "kr.macro"],
    ["params", "show", "kr.macro.gdp_usd_bn", "--at", "99999-01-01"],
    ["params", "show", "\x00"],
    ["params", "list", "no.such.folder"],
    ["scenarios", "show", "../../etc/passwd"],
    ["scenarios", "show", ""],
    ["schema", "--bogus"],
    ["nosuchcommand"],
]


def _ids(row: list[str]) -> str:
    return " ".join(a if len(a) < 30 else a[:27] + "..." for a in row).replace("\x00", "NUL").replace("\x07", "BEL")


def _expand(row: list[str], d: Path) -> list[str]:
    return [a.replace("{d}", str(d)) for a in row]


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_hostile_arguments_exit_2_with_one_paragraph(row, hostile_dir, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(limits, "SCHEDULER_CONNECT_TIMEOUT_S", 2.0)
    if os.geteuid() == 0 and "readonly" in " ".join(row):
        pytest.skip("root may write anywhere")
    code = main(_expand(row, hostile_dir))
    out, err = capsys.readouterr()
    assert code == 2, (code, err[-2000:])
    assert one_paragraph(err), err[-2000:]
    assert "SECRET_COLUMN_NAME" not in err + out


def test_every_command_is_walked():
    walked = {r[0] for r in ROWS}
    assert set(COMMANDS) - {"evidence", "serve"} <= walked


SUBPROCESS_ROWS = [
    ["assess", "--no-report", "--scenario", "{d}/nul.yaml"],
    ["assess", "--no-report", "--scenario", "{d}/deep.yaml"],
    ["simulate", "--draws", "1000000000000"],
    ["zopa", "--fix", "cash_share=nan", "--no-progress"],
    ["tariffs", "rate", "--partner", "USA", "--hs", "870323", "--date", "2025-10-01"],
]


@pytest.mark.parametrize("row", SUBPROCESS_ROWS, ids=[_ids(r) for r in SUBPROCESS_ROWS])
def test_the_installed_command_exits_2_without_traceback(row, hostile_dir, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tradepact", *_expand(row, hostile_dir)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert one_paragraph(proc.stderr) and "Traceback" not in proc.stderr
