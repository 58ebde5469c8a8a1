"""The main job's fast paths import no plotting library (issue 11, item 5)."""

import subprocess
import sys

import pytest

CODE = ("import sys, contextlib, io\n"
        "from tradepact.interfaces.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(sys.argv[1:])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'plotly', 'openpyxl'})\n"
        "print(rc, ','.join(heavy) or '-')\n")


@pytest.mark.parametrize("args", [["assess", "--json"], ["assess", "--out", "{tmp}/report", "--draws", "64"]])
def test_assess_does_not_import_matplotlib(args, tmp_path):
    argv = [a.format(tmp=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, "-c", CODE, *argv], capture_output=True, text=True, cwd=tmp_path,
                          check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["0", "-"]
