"""Cold start of the command line, and the size of a base installation.

Each command runs in a fresh process from an empty folder (nothing cached in
the process; the OS file cache is warm after the first round):

* ``tradepact --help``;
* ``tradepact tariffs rate --partner KOR --hs 870323 --date 2025-12-01 --json``;
* ``tradepact assess --json`` (target < 1.5 s; must not import matplotlib:
  checked with ``python -X importtime``);
* ``tradepact assess``, what ``make run`` runs once the environment is
  installed (terminal tables and the HTML report; target < 3 s), with the
  disk cache as a previous run left it (``~/.cache/tradepact``: parsed
  parameters and measures, tariff tables, the verdict on shipped inputs),
  and again with an empty cache (the first run after installing or after any
  change to the package), which is what the cache saves. Neither imports
  matplotlib.

Installed size: a throwaway virtual environment with ``pip install .`` (no
extras) in a temporary folder, measured with ``du -s``; cached in
``benchmarks/.cache/`` by the hash of ``pyproject.toml`` and ``src/``, so it
is rebuilt only when they change.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
TARGET_ASSESS_JSON = 1.5
TARGET_MAKE_RUN = 3.0


def _tree_hash() -> str:
    h = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for p in sorted((ROOT / "src").rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith((".nbi", ".nbc")):
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(str(p.stat().st_size).encode())
    return h.hexdigest()[:16]


def installed_size_mb() -> dict:
    """``du -s`` of a fresh venv with ``pip install .`` (no extras), cached by source hash."""
    CACHE.mkdir(exist_ok=True)
    key = _tree_hash()
    cached = CACHE / f"base-env-{key}.json"
    if cached.exists():
        return {**json.loads(cached.read_text()), "cached": True}
    with tempfile.TemporaryDirectory(prefix="tradepact-base-env-") as tmp:
        env = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        pip = env / "bin" / "pip"
        subprocess.run([str(pip), "install", "--quiet", "--no-cache-dir", str(ROOT)], check=True,
                       stdout=subprocess.DEVNULL)
        du = subprocess.run(["du", "-sk", str(env)], check=True, capture_output=True, text=True)
        size_mb = int(du.stdout.split()[0]) / 1024.0
        frozen = subprocess.run([str(pip), "freeze"], capture_output=True, text=True).stdout.split()
    out = {"size_mb": size_mb, "packages": len(frozen), "key": key}
    for old in CACHE.glob("base-env-*.json"):
        old.unlink()
    cached.write_text(json.dumps(out))
    return {**out, "cached": False}


def imports_matplotlib(argv: list[str], cwd: Path) -> bool:
    """Whether running ``argv`` (a tradepact command) imports matplotlib."""
    code = ("import sys; from tradepact.interfaces.cli import main; rc = main(sys.argv[1:]); "
            "print('MPL', any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules), "
            "file=sys.stderr); sys.exit(rc)")
    p = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True)
    return "MPL True" in p.stderr


def main(runs: int = 3) -> list[dict]:
    from harness import PYTHON, figure, interleave, run_command
    exe = os.path.join(os.path.dirname(PYTHON), "tradepact")
    work = Path(tempfile.mkdtemp(prefix="tradepact-bench-cli-"))
    try:
        cmds = {
            "help": [exe, "--help"],
            "rate": [exe, "tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-12-01", "--json"],
            "assess_json": [exe, "assess", "--json"],
            "make_run": [exe, "assess"],
        }
        cases = {k: (lambda a=a: run_command(a, cwd=work)) for k, a in cmds.items()}
        cases["make_run_cold"] = lambda: run_command([exe, "assess"], cwd=work, env={
            "TRADEPACT_CACHE_DIR": tempfile.mkdtemp(prefix="cache-", dir=work)})
        res = interleave(cases, runs)
        mpl = imports_matplotlib(["assess", "--json"], work)
        mpl_run = imports_matplotlib(["assess"], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = installed_size_mb()
    from harness import Sample
    size_row = figure("installed size, base env (pip install ., no extras)", "MB",
                      [Sample(0.0, 0.0, 0.0)], None, better="lower", value=lambda s: size["size_mb"],
                      note=f"{size['packages']} packages; {'cached' if size['cached'] else 'built now'}")
    size_row["runs"] = 1
    return [
        figure("tradepact --help, cold", "s", res["help"], None, better="lower"),
        figure("tradepact tariffs rate --json, cold", "s", res["rate"], None, better="lower"),
        figure("tradepact assess --json, end to end", "s", res["assess_json"], TARGET_ASSESS_JSON, better="lower",
               note=f"imports matplotlib: {'YES' if mpl else 'no'}"),
        figure("tradepact assess (make run, env installed)", "s", res["make_run"], TARGET_MAKE_RUN,
               better="lower", note="terminal tables + HTML report; disk cache as the last run left it; "
                                    f"imports matplotlib: {'YES' if mpl_run else 'no'}"),
        figure("tradepact assess, empty disk cache", "s", res["make_run_cold"], None, better="lower",
               note="first run after install or after any change to the package"),
        figure("tradepact assess: peak RSS", "MB", res["make_run"], None, better="lower",
               value=lambda s: s.peak_mb),
        size_row,
    ]
