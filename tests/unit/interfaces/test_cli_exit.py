"""The console entry point leaves without the interpreter's teardown, but only
after the exit handlers ran and everything written reached its reader."""

import json
import subprocess
import sys

CODE = ("import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('exit handler ran\\n'))\n"
        "from tradepact.interfaces.cli import run\n"
        "sys.argv = ['tradepact', *sys.argv[1:]]\n"
        "run()\n")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=600)


def test_a_long_document_reaches_a_pipe_whole_and_the_exit_handlers_run():
    proc = _run("assess", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)          # every byte of a document of some MB, through a pipe
    assert len(proc.stdout) > 1_000_000 and len(doc["scenarios"]) == 4
    assert proc.stderr.endswith("exit handler ran\n")


def test_a_user_error_keeps_its_exit_code_and_its_paragraph():
    proc = _run("tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-13-01")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "2025-13-01" in proc.stderr
    assert proc.stderr.endswith("exit handler ran\n")
