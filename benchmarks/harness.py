"""Shared timing helper of the benchmarks: every measured run in its own process.

A *case* is either a Python function (``"module:function"`` in this folder,
called in a fresh interpreter: ``run_python``) or a command line
(``run_command``). Each run reports

* ``wall``: wall time of the timed section (the function says what it times
  by returning ``seconds``; a command is timed from start to exit);
* ``cpu``: CPU time of the same section (user + system, all threads of the
  process; for a command, of the process and what it waited for);
* ``peak_mb``: the peak resident set of that process over its whole life
  (``VmHWM`` read by the child itself; for a command, ``ru_maxrss`` from
  ``wait4``, which is the same figure for one process).

:func:`interleave` runs several cases in turn, ``runs`` rounds of each (engine,
baseline, floor, engine, baseline, floor, ...), so that load on the machine
hits them alike; :func:`summary` gives min and median. Nothing is scaled up
from a smaller run: a rate is work done over the time it took.

Every case runs with Python's default of keeping compiled bytecode in
``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is removed from the children's
environment): with it set, as in some sandboxes, each cold command compiles
the package from source again, about 0.15 s that no installed copy pays.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
_MARK = "HARNESS-RESULT "


@dataclass
class Sample:
    """One run of one case."""

    wall: float
    cpu: float
    peak_mb: float
    extra: dict[str, Any] = field(default_factory=dict)


def vmhwm_mb() -> float:
    """Peak resident set of this process (VmHWM, MB); ru_maxrss where there is no /proc."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover
        return (float("nan"),) * 3


def timed(fn, *args, **kwargs) -> tuple[Any, float, float]:
    """``(result, wall seconds, cpu seconds)`` of one call."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0, time.process_time() - c0


# ---------------------------------------------------------------- child side
def _child(spec: str, args_json: str) -> None:
    sys.path.insert(0, str(HERE))
    module, func = spec.split(":")
    import importlib
    fn = getattr(importlib.import_module(module), func)
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn(**json.loads(args_json)) or {}
    total_wall, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    out.setdefault("seconds", total_wall)
    out.setdefault("cpu", total_cpu)
    out["peak_mb"] = vmhwm_mb()
    sys.stdout.flush()
    print(_MARK + json.dumps(out, default=float), flush=True)


# ---------------------------------------------------------------- parent side
def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process: this one's, plus ``env``, with Python's
    default bytecode caching (see the module docstring)."""
    out = {**os.environ, **(env or {})}
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def run_python(spec: str, *, env: dict[str, str] | None = None, timeout: float = 3600, **kwargs: Any) -> Sample:
    """Run ``module:function(**kwargs)`` in a fresh interpreter; the function
    returns a dict with ``seconds`` (and ``cpu``) of its timed section, plus figures."""
    cmd = [PYTHON, str(HERE / "harness.py"), "--child", spec, json.dumps(kwargs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=child_env(env))
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(_MARK)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout)[-2000:]
        raise RuntimeError(f"{spec} failed (exit {proc.returncode}):\n{tail}")
    out = json.loads(lines[-1][len(_MARK):])
    return Sample(float(out.pop("seconds")), float(out.pop("cpu")), float(out.pop("peak_mb")), out)


def run_command(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
                timeout: float = 3600) -> Sample:
    """Run a command; wall from start to exit, CPU and peak RSS of the process from ``wait4``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd or ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=child_env(env))
    import threading
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        chunks[name] = stream.read()

    threads = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in threads:
        t.start()
    deadline = time.time() + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.time() > deadline:
            proc.kill()
            raise RuntimeError(f"{' '.join(argv)} timed out")
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed (exit {proc.returncode}):\n"
                           f"{chunks.get('err', b'').decode(errors='replace')[-2000:]}")
    return Sample(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0,
                  {"stdout_bytes": len(chunks.get("out", b""))})


def interleave(cases: dict[str, Any], runs: int = 3) -> dict[str, list[Sample]]:
    """``runs`` rounds of every case in turn; a case is a zero-argument callable returning a Sample."""
    out: dict[str, list[Sample]] = {k: [] for k in cases}
    for _ in range(runs):
        for name, case in cases.items():
            out[name].append(case())
    return out


def summary(samples: list[Sample]) -> dict[str, Any]:
    """Min and median of wall, CPU and peak RSS over the runs."""
    def mm(xs: list[float]) -> dict[str, float]:
        return {"min": min(xs), "median": statistics.median(xs), "max": max(xs)}
    return {"runs": len(samples), "wall": mm([s.wall for s in samples]), "cpu": mm([s.cpu for s in samples]),
            "peak_mb": mm([s.peak_mb for s in samples]), "samples": [asdict(s) for s in samples]}


def figure(name: str, unit: str, samples: list[Sample], target: float | None, *, better: str,
           value=None, note: str = "") -> dict[str, Any]:
    """A row of the results table.

    ``value(sample)`` turns a run into the figure (default: its wall time).
    ``better`` is ``"lower"`` or ``"higher"``: ``min`` is the best run's
    figure, ``median`` the median run's; ``ratio`` is median / target, and
    the target is met when the ratio is <= 1 (lower) or >= 1 (higher).
    """
    vals = [value(s) if value else s.wall for s in samples]
    best = min(vals) if better == "lower" else max(vals)
    med = statistics.median(vals)
    ratio = med / target if target else None
    meets = None if ratio is None else (ratio <= 1 if better == "lower" else ratio >= 1)
    return {"figure": name, "unit": unit, "min": best, "median": med, "target": target, "better": better,
            "ratio": ratio, "meets": meets, "runs": len(vals), "note": note, "values": vals,
            "detail": summary(samples)}


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--child":
    _child(sys.argv[2], sys.argv[3])
