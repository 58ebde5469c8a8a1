"""``simulate`` end to end, in one process and on Dask, and its peak memory at 10 M draws.

Cases (each in its own process, interleaved, ``MIN_RUNS`` = 5 runs unless said):

* **engine**: :func:`tradepact.studies.simulate.simulate` on the shipped
  ``us_kr_2025/final_uncertain``, ``SIM_DRAWS`` draws, one process
  (sampling, resolving, the fused kernel, headline figures, payoffs, IRR,
  streaming sketches of the headline figures and the fan-chart series);
* **baseline**: the same with the fused kernel switched off (the NumPy engines);
* **floor**: the fused kernel alone on the same number of draws (inputs
  resolved before timing; ``bench_vehicle.engine``): ``simulate`` cannot be
  faster;
* **dask2**: the same ``simulate`` on a ``LocalCluster`` of 2 single-threaded
  worker processes (cluster start-up excluded), whose JSON output must be
  byte-identical to one process (SHA-256 of ``to_dict()``);
* **memory**: ``tradepact simulate --draws 10000000 --json`` for the four
  shipped scenarios (peak RSS of the process; ``--max-memory`` raised so the
  up-front estimate does not refuse it). ``MEMORY_RUNS`` runs (default 1: a
  run takes minutes).

Figure: draw-years per second (draws × modelled years / wall time).
"""

from __future__ import annotations

import hashlib
import json
import os
import time

SCENARIO = "us_kr_2025/final_uncertain"
TARGET = 10_000_000
SIM_DRAWS = int(os.environ.get("BENCH_MC_SIM_DRAWS", 1_048_576))
BASELINE_DRAWS = int(os.environ.get("BENCH_MC_BASELINE_DRAWS", 262_144))
MEMORY_DRAWS = int(os.environ.get("BENCH_MEMORY_DRAWS", 10_000_000))
MEMORY_RUNS = int(os.environ.get("BENCH_MEMORY_RUNS", 1))
MEMORY_TARGET_MB = 2048
SEED = 20251114


def _digest(result) -> str:
    return hashlib.sha256(json.dumps(result.to_dict(), sort_keys=True, default=str).encode()).hexdigest()


def engine(draws: int = SIM_DRAWS, fused: bool = True) -> dict:
    from tradepact.studies.simulate import simulate
    from tradepact.negotiation import kernel
    if not fused:
        kernel.AVAILABLE = False
    simulate(SCENARIO, 4096, SEED, keep_draws=False)                 # load code, caches, compiled kernel
    c0, t0 = time.process_time(), time.perf_counter()
    r = simulate(SCENARIO, draws, SEED, workers=1, keep_draws=False)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": wall, "cpu": cpu, "draws": draws, "years": len(r.years), "digest": _digest(r),
            "fused": kernel.AVAILABLE}


def baseline(draws: int = BASELINE_DRAWS) -> dict:
    return engine(draws, fused=False)


def dask2(draws: int = SIM_DRAWS) -> dict:
    from tradepact.studies.scale import dask_client
    from tradepact.studies.simulate import simulate
    from harness import vmhwm_mb
    with dask_client(workers=2) as client:
        # warm the workers: past the first two chunks (run here until the sketches have their
        # grids), chunks run on the workers
        simulate(SCENARIO, 6 * 65_536, SEED, client=client, keep_draws=False)
        c0, t0 = time.process_time(), time.perf_counter()
        r = simulate(SCENARIO, draws, SEED, client=client, keep_draws=False)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        workers = client.run(vmhwm_mb)
        worker_cpu = client.run(time.process_time)
    return {"seconds": wall, "cpu": cpu, "draws": draws, "years": len(r.years), "digest": _digest(r),
            "worker_peak_mb": max(workers.values()), "worker_cpu_s_total": sum(worker_cpu.values())}


#: Rounds of the 1-process, baseline, floor and Dask cases (at least): a round takes
#: about half a minute, and on a shared host one slow spell can take one run in three.
MIN_RUNS = int(os.environ.get("BENCH_MC_RUNS", 5))


def main(runs: int = 3) -> list[dict]:
    from harness import PYTHON, figure, interleave, run_command, run_python
    res = interleave({"engine": lambda: run_python("bench_montecarlo:engine"),
                      "baseline": lambda: run_python("bench_montecarlo:baseline"),
                      "floor": lambda: run_python("bench_vehicle:engine", draws=SIM_DRAWS),
                      "dask2": lambda: run_python("bench_montecarlo:dask2")}, max(runs, MIN_RUNS))

    def rate(s):
        return s.extra["draws"] * s.extra["years"] / s.wall

    one = figure("simulate, 1 process (fused)", "draw-years/s", res["engine"], TARGET, better="higher",
                 value=rate, note=f"{SIM_DRAWS:,} draws of {SCENARIO}, streaming")
    identical = len({s.extra["digest"] for s in res["engine"] + res["dask2"]}) == 1
    two = figure("simulate, Dask 2 workers", "draw-years/s", res["dask2"], one["median"], better="higher",
                 value=rate, note=f"target: the 1-process median; JSON identical to 1 process: "
                                  f"{'yes' if identical else 'NO'}; worker peak "
                                  f"{max(s.extra['worker_peak_mb'] for s in res['dask2']):,.0f} MB")
    two["identical_to_one_process"] = identical
    rows = [
        one,
        figure("simulate, 1 process, per CPU-second", "draw-years/s", res["engine"], None, better="higher",
               value=lambda s: s.extra["draws"] * s.extra["years"] / s.cpu,
               note="the same runs by CPU time: less sensitive to other load on the machine"),
        figure("simulate, NumPy engines (baseline)", "draw-years/s", res["baseline"], None, better="higher",
               value=rate, note=f"{BASELINE_DRAWS:,} draws"),
        figure("simulate floor: fused kernel alone", "draw-years/s", res["floor"], None, better="higher",
               value=rate, note="same draws, inputs resolved before timing"),
        two,
        figure("simulate, 1 process: peak RSS", "MB", res["engine"], MEMORY_TARGET_MB, better="lower",
               value=lambda s: s.peak_mb, note=f"{SIM_DRAWS:,} draws"),
    ]
    argv = [os.path.join(os.path.dirname(PYTHON), "tradepact"), "simulate", "--draws", str(MEMORY_DRAWS),
            "--json", "--no-progress", "--max-memory", "1TB"]
    mem = [run_command(argv) for _ in range(MEMORY_RUNS)]
    rows.append(figure(f"simulate --draws {MEMORY_DRAWS:,}, 4 scenarios: peak RSS", "MB", mem, MEMORY_TARGET_MB,
                       better="lower", value=lambda s: s.peak_mb,
                       note=f"{MEMORY_RUNS} run(s); wall {min(s.wall for s in mem):,.0f} s = "
                            f"{4 * MEMORY_DRAWS * 40 / min(s.wall for s in mem) / 1e6:.1f} M draw-years/s"))
    return rows
