"""The main job's fast paths import no library they do not use (issue 11, item 5):
no plotting library for ``assess``, and no pandas for ``zopa --json``, whose
payoffs read the tariff relief as NumPy columns."""

import subprocess
import sys

import pytest

CODE = ("import sys, contextlib, io\n"
        "from tradepact.interfaces.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(sys.argv[1:])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'plotly', 'openpyxl', 'pandas'})\n"
        "print(rc, ','.join(heavy) or '-')\n")


def _imported(args: list[str], tmp_path) -> list[str]:
    argv = [a.format(tmp=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, "-c", CODE, *argv], capture_output=True, text=True, cwd=tmp_path,
                          check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rc, heavy = proc.stdout.split()
    assert rc == "0"
    return [] if heavy == "-" else heavy.split(",")


@pytest.mark.parametrize("args", [["assess", "--json"], ["assess", "--out", "{tmp}/report", "--draws", "64"]])
def test_assess_does_not_import_matplotlib(args, tmp_path):
    assert set(_imported(args, tmp_path)) <= {"pandas"}


def test_the_zone_of_agreement_as_json_does_not_import_pandas(tmp_path):
    assert _imported(["zopa", "--json", "--refine", "2", "--no-progress"], tmp_path) == []
