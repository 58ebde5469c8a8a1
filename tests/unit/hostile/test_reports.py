"""Issue 12: reports are written as a whole, under a lock, and leave no
temporary files. Interrupts and races run in subprocesses (forked children of
``report_worker.py``, so the engines are imported once)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradepact.core.errors import TradepactError

from .conftest import MINIMAL, one_paragraph

WORKER = Path(__file__).with_name("report_worker.py")


def _scenarios(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(MINIMAL.replace("test/minimal", "test/old"))
    new.write_text(MINIMAL.replace("test/minimal", "test/new").replace("amount_usd_bn: 100", "amount_usd_bn: 90"))
    return old, new


def _run_worker(tmp_path: Path, mode: str, trials: int) -> list[dict]:
    old, new = _scenarios(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "system-tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(work / "system-tmp")}
    proc = subprocess.run([sys.executable, str(WORKER), mode, str(work / "report"), str(old), str(new),
                           str(trials), "12"], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def _leftovers(work: Path) -> list[str]:
    return sorted(p.name for p in work.iterdir() if p.name not in ("report", "system-tmp")) + \
        sorted(p.name for p in (work / "system-tmp").iterdir())


def test_sigkill_at_random_points_leaves_the_old_or_the_new_report_whole(tmp_path):
    lines = _run_worker(tmp_path, "kill", 10)
    states = [ln["state"] for ln in lines if "state" in ln]
    assert len(states) == 10
    assert set(states) <= {"old", "new"}, states
    # A later run cleans what killed ones left, and ends with no temporary file anywhere.
    from tradepact.interfaces.report import write_report
    from tradepact.studies.assess import assess
    write_report(assess([str(tmp_path / "new.yaml")]), tmp_path / "work" / "report")
    assert _leftovers(tmp_path / "work") == []


def test_two_concurrent_runs_on_one_folder_never_mix(tmp_path):
    lines = _run_worker(tmp_path, "race", 4)
    trials = [ln for ln in lines if "state" in ln]
    assert len(trials) == 4
    assert all(ln["seen"] == [0, 0] for ln in trials), trials
    assert {ln["state"] for ln in trials} <= {"old", "new"}, trials
    assert _leftovers(tmp_path / "work") == []


def test_sigint_during_writing_leaves_no_temporary_file(tmp_path):
    lines = _run_worker(tmp_path, "int", 6)
    trials = [ln for ln in lines if "state" in ln]
    assert all(ln["seen"] in (0, 130) for ln in trials) and any(ln["seen"] == 130 for ln in trials), trials
    assert {ln["state"] for ln in trials} <= {"old", "new"}, trials
    assert _leftovers(tmp_path / "work") == []


#: Runs the CLI in a process that sends itself SIGINT while the report is being
#: written (its temporary folder exists): the signal comes from the system, at a
#: known point, however fast the machine.
_INTERRUPTED_CLI = """
import os, signal, sys
import tradepact.interfaces.report as report
real = report.tables_into
def tables_into(assessment, tmp, **kw):
    real(assessment, tmp, **kw)
    print("writing into", "existing" if tmp.is_dir() else "missing", "folder", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGINT)
report.tables_into = tables_into
from tradepact.interfaces.cli import run
sys.argv = ["tradepact", *sys.argv[1:]]
run()
"""


def test_the_command_exits_130_on_sigint_and_leaves_no_temporary_file(tmp_path):
    old, _ = _scenarios(tmp_path)
    work = tmp_path / "work"
    (work / "system-tmp").mkdir(parents=True)
    env = {**os.environ, "TMPDIR": str(work / "system-tmp")}
    cmd = [sys.executable, "-c", _INTERRUPTED_CLI, "assess", "--scenario", str(old), "--out", str(work / "report")]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, timeout=300)
    assert "writing into existing folder" in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 130, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert _leftovers(work) == []


def test_a_read_only_output_names_the_output_not_a_temp_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    from tradepact.interfaces.report import write_report
    from tradepact.studies.assess import assess
    old, _ = _scenarios(tmp_path)
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        with pytest.raises(TradepactError) as info:
            write_report(assess([str(old)]), parent / "report")
    finally:
        parent.chmod(0o700)
    text = str(info.value)
    assert str(parent / "report") in text and ".tmp-" not in text and one_paragraph(text)


def test_files_a_user_put_in_the_report_folder_are_kept(tmp_path):
    from tradepact.interfaces.report import write_report
    from tradepact.studies.assess import assess
    old, _ = _scenarios(tmp_path)
    out = tmp_path / "report"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    write_report(assess([str(old)]), out)
    assert (out / "notes.txt").read_text() == "mine" and (out / "index.html").is_file()


def test_a_failed_write_names_the_output_not_a_temp_file(tmp_path, monkeypatch):
    """Root-proof variant of the read-only case: the writer fails with an OSError
    naming its temporary file; the message names --out and the old report stays."""
    import tradepact.interfaces.report as report
    from tradepact.studies.assess import assess
    old, _ = _scenarios(tmp_path)
    a = assess([str(old)])
    out = tmp_path / "report"
    report.write_report(a, out)
    before = (out / "assessment.json").read_text()

    def fail(assessment, folder, **_):
        raise PermissionError(13, "Permission denied", str(folder / "assessment.json"))
    monkeypatch.setattr(report, "tables_into", fail)
    with pytest.raises(TradepactError) as info:
        report.write_report(a, out)
    text = str(info.value)
    assert str(out) in text and ".tmp-" not in text and "Permission denied" in text and one_paragraph(text)
    assert (out / "assessment.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml", "old.yaml", "report"]


def test_an_output_under_a_file_is_one_paragraph(tmp_path):
    from tradepact.interfaces.report import write_report
    from tradepact.studies.assess import assess
    old, _ = _scenarios(tmp_path)
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(TradepactError) as info:
        write_report(assess([str(old)]), tmp_path / "a_file" / "report")
    assert "a_file" in str(info.value) and one_paragraph(str(info.value))
