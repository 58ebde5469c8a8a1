"""``make bench``: every benchmark, one table of figures against targets, ``results.json``.

Each benchmark module's ``main(runs)`` returns rows (see ``harness.figure``);
every measured run happens in its own process, engine, baseline and floor
interleaved. The load average at the start is printed and recorded: on a
loaded machine every figure is worse, alike.

Environment: ``BENCH_RUNS`` (default 3), ``BENCH_ONLY`` (comma-separated
module names), and each module's own sizes (see their docstrings).
``bench_tariffs`` (on the same harness) is included when present unless
``BENCH_SKIP_TARIFFS=1``. ``bench_evidence`` (1,000 replicated pages) and
``bench_web`` (a load test of ``tradepact serve``) report their own figures
once per run; their rows are built from the runs here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import statistics
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BENCHES = ["bench_vehicle", "bench_montecarlo", "bench_zopa", "bench_cli"]
RESULTS = HERE / "results.json"


def _tariff_rows(runs: int) -> list[dict]:
    """The tariff-engine benchmark (the lead's ``bench_tariffs``: its cases run
    interleaved in their own processes through the harness), as table rows."""
    out = importlib.import_module("bench_tariffs").main(runs)
    return list(out.get("rows", []))


def _row(name: str, unit: str, vals: list[float], target: float | None, better: str, note: str = "") -> dict:
    """A results row from figures measured once per run (as ``harness.figure``)."""
    best = min(vals) if better == "lower" else max(vals)
    med = statistics.median(vals)
    ratio = med / target if target else None
    meets = None if ratio is None else (ratio <= 1 if better == "lower" else ratio >= 1)
    return {"figure": name, "unit": unit, "min": best, "median": med, "target": target, "better": better,
            "ratio": ratio, "meets": meets, "runs": len(vals), "note": note, "values": vals, "detail": {}}


def _evidence_rows(runs: int) -> list[dict]:
    """Ingest and extraction of 1,000 pages (target 50 pages/s), store size per 1,000 pages."""
    bench = importlib.import_module("bench_evidence")
    res = [bench.main() for _ in range(runs)]
    col = lambda k: [float(r[k]) for r in res]  # noqa: E731
    return [_row("evidence: extract, 1 process", "pages/s", col("extract_pages_per_s"), 50, "higher",
                 f"per CPU-second {statistics.median(col('extract_pages_per_cpu_s')):.0f}"),
            _row("evidence: ingest, 1 process", "pages/s", col("ingest_pages_per_s"), 50, "higher",
                 f"per CPU-second {statistics.median(col('ingest_pages_per_cpu_s')):.0f}"),
            _row("evidence: ingest, 2 workers", "pages/s", col("ingest_pages_per_s_2_workers"), 50, "higher"),
            _row("evidence: store size per 1,000 pages", "MB", col("store_mb_per_1000_pages"), None, "lower")]


def _web_rows(runs: int) -> list[dict]:
    """Load test of the web app: tariffs/rate p99 (target 100 ms), assess p99 (1 s), memory."""
    bench = importlib.import_module("bench_web")
    res = [bench.main() for _ in range(runs)]
    return [_row("web: tariffs/rate p99, 50 clients", "ms", [r["tariffs_rate"]["p99_ms"] for r in res], 100, "lower"),
            _row("web: assess p99, 10 clients", "ms", [r["assess_final"]["p99_ms"] for r in res], 1000, "lower"),
            _row("web: server RSS growth under load", "MB",
                 [r["server_rss_mb"]["end"] - r["server_rss_mb"]["after_warmup"] for r in res], None, "lower")]


EXTRA = {"bench_tariffs": _tariff_rows, "bench_evidence": _evidence_rows, "bench_web": _web_rows}


def _fmt(v, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "draw-years/s":
        return f"{v / 1e6:,.2f} M"
    if unit == "s":
        return f"{v:,.3f}"
    if unit == "x":
        return f"{v:,.2f}"
    return f"{v:,.1f}"


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", 3))
    only = {x.strip() for x in os.environ.get("BENCH_ONLY", "").split(",") if x.strip()}
    load = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc)
    print(f"make bench: {started:%Y-%m-%d %H:%M:%S} UTC, {os.cpu_count()} cores, "
          f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {runs} runs per case", flush=True)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("  (PYTHONDONTWRITEBYTECODE is set here; the measured processes run without it, "
              "as Python does by default: see benchmarks/harness.py)", flush=True)
    rows: list[dict] = []
    errors: dict[str, str] = {}
    names = [b for b in BENCHES if not only or b in only]
    if os.environ.get("BENCH_SKIP_TARIFFS") == "1":
        only.discard("bench_tariffs")
    names += [n for n in EXTRA if (not only or n in only)
              and not (n == "bench_tariffs" and os.environ.get("BENCH_SKIP_TARIFFS") == "1")]
    for name in names:
        print(f"  running {name} ...", flush=True)
        try:
            rows += EXTRA[name](runs) if name in EXTRA else importlib.import_module(name).main(runs)
        except Exception as exc:  # a failing benchmark is reported, not hidden
            errors[name] = f"{exc.__class__.__name__}: {exc}"
            traceback.print_exc()
    finished = dt.datetime.now(dt.timezone.utc)
    RESULTS.write_text(json.dumps({
        "started_utc": started.isoformat(), "finished_utc": finished.isoformat(),
        "load_average_start": load, "load_average_end": os.getloadavg(), "cores": os.cpu_count(),
        "machine": platform.platform(), "python": sys.version.split()[0], "runs_per_case": runs,
        "figures": rows, "errors": errors}, indent=2, default=float))
    w = max([len(r["figure"]) for r in rows] + [10])
    print(f"\nload average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores); "
          f"min = best run, ratio = median / target")
    print(f"{'figure':<{w}}  {'unit':<13}{'min':>12}{'median':>12}{'target':>12}{'ratio':>8}  met  runs")
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        met = "—" if r["meets"] is None else ("yes" if r["meets"] else "NO")
        tgt = ("≥ " if r["better"] == "higher" else "≤ ") + _fmt(r["target"], r["unit"]) if r["target"] else "—"
        print(f"{r['figure']:<{w}}  {r['unit']:<13}{_fmt(r['min'], r['unit']):>12}{_fmt(r['median'], r['unit']):>12}"
              f"{tgt:>12}{ratio:>8}  {met:<4} {r['runs']}")
    for r in rows:
        if r.get("note"):
            print(f"  · {r['figure']}: {r['note']}")
    for name, err in errors.items():
        print(f"  ! {name} failed: {err}")
    print(f"\nwrote {RESULTS.relative_to(HERE.parent)} ({(finished - started).total_seconds():,.0f} s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
