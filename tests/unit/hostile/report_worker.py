"""Subprocess helper of test_reports: assess two scenarios once, then fork
children that write their reports over one folder and are killed, interrupted
or run concurrently. Prints one JSON line of what it saw.

usage: python report_worker.py MODE OUT_DIR OLD.yaml NEW.yaml TRIALS SEED
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path


def main() -> None:
    mode, out, old_file, new_file, trials, seed = sys.argv[1:7]
    rng = random.Random(int(seed))
    import tradepact.interfaces.report as report
    from tradepact.interfaces.report import write_report
    from tradepact.studies.assess import assess
    old, new = assess([old_file]), assess([new_file])
    # Render each page once (the charts are slow); what is tested is the writing.
    pages = {id(a): report.render_html(a) for a in (old, new)}
    report.render_html = lambda a, **kw: pages[id(a)]
    out_dir = Path(out)
    t0 = time.perf_counter()
    write_report(old, out_dir)
    took = time.perf_counter() - t0
    seen = []
    for _ in range(int(trials)):
        if mode == "kill":
            if state(out_dir) != "old":
                write_report(old, out_dir)
            pid = os.fork()
            if pid == 0:
                os.environ["TMPDIR"] = str(out_dir.parent / "system-tmp")
                write_report(new, out_dir)
                os._exit(0)
            time.sleep(rng.uniform(0, took * 1.3))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            seen.append("killed")
        elif mode == "int":
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                try:
                    write_report(new, out_dir)
                except KeyboardInterrupt:
                    os._exit(130)
                os._exit(0)
            time.sleep(rng.uniform(0, took))
            os.kill(pid, signal.SIGINT)
            _, status = os.waitpid(pid, 0)
            seen.append(os.waitstatus_to_exitcode(status))
        elif mode == "race":
            pids = []
            for result in (old, new):
                pid = os.fork()
                if pid == 0:
                    write_report(result, out_dir)
                    os._exit(0)
                pids.append(pid)
            seen.append([os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids])
        print(json.dumps({"trial": len(seen), "seen": seen[-1], "state": state(out_dir)}), flush=True)
    print(json.dumps({"done": True, "took": took}), flush=True)


def state(out_dir: Path) -> str:
    """'old', 'new', 'missing' or 'mixed: ...' for the report folder now."""
    from tradepact.interfaces.export import REPORT_FILES
    if not out_dir.exists():
        return "missing"
    names = set()
    for f in REPORT_FILES:
        p = out_dir / f
        if not p.exists():
            return f"mixed: {f} missing"
        if f.endswith((".json", ".csv", ".html")):
            text = p.read_text(encoding="utf-8")
            found = {n for n in ("test/old", "test/new") if n in text}
            if len(found) > 1 or (not found and f in ("assessment.json", "index.html")):
                return f"mixed: {f} names {sorted(found)}"
            names |= found
    # The xlsx and the tables without the scenario's name must be this run's too:
    # their modification times lie between the first and last named file's.
    return names.pop().split("/")[1] if len(names) == 1 else f"mixed: {sorted(names)}"


if __name__ == "__main__":
    main()
