"""Monte Carlo throughput on the shipped ``us_kr_2025/final_uncertain`` scenario.

Two workloads, each run in this process and on a Dask ``LocalCluster`` of two
single-threaded worker processes (one per core), on the same draws (same seed,
same chunks):

* **engine**: pledge cash flows plus FX stress. Each chunk draws its inputs
  from the scenario's joint distribution (project yield, won rate, USD supply
  capacity, call and default probabilities, relief withdrawal; Gaussian
  copula), resolves the scenario with them, builds every tranche's cash flows
  with the profit waterfall and runs the reserves path against capacity;
  it returns per-chunk sums so the two runs can be compared exactly.
* **simulate**: :func:`tradepact.macro.montecarlo.simulate`, all that
  ``tradepact simulate`` does per draw (the above plus valuation, IRR,
  recoup year, the tariff relief, both sides' payoffs and the kept annual series).

The figure is draw-years per second (draws x modelled years / wall time,
cluster start-up excluded, workers warmed up). Target: >= 10 M draw-years/s
on 2 cores. Peak memory: ``ru_maxrss`` of this process (its whole life), and
the peak resident set (VmHWM, reset before measuring) of the in-process runs
and of each worker.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

SCENARIO = "us_kr_2025/final_uncertain"
TARGET = 10_000_000                      # draw-years per second on 2 cores
ENGINE_DRAWS = int(os.environ.get("BENCH_MC_ENGINE_DRAWS", 1_048_576))
ENGINE_CHUNK = 32_768
SIM_DRAWS = int(os.environ.get("BENCH_MC_SIM_DRAWS", 262_144))
SEED = 20251114


@dataclass(frozen=True)
class _Plan:
    scenario: Any
    shock: Any
    seed: int


def engine_chunk(plan: _Plan, start: int, stop: int) -> np.ndarray:
    """Draws ``[start, stop)`` through the pledge engine and the FX stress; per-chunk sums."""
    from tradepact.macro.stress import stress
    from tradepact.resolve import resolve
    from tradepact.vehicle.cashflows import build_cash_flows

    draws = plan.shock.sample(plan.seed, start, stop)
    r = resolve(plan.scenario, draws=draws)
    flows = build_cash_flows(r.vehicle, stop - start)
    st = stress(r.position, flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
    return np.array([
        float(st.over_capacity.any(axis=1).sum()),          # draws with a year over capacity
        float(st.min_reserves.sum()),                        # lowest reserves
        float(st.outflow_krw_tn.max(axis=1).sum()),          # peak outflow in won
        float(flows.cash_in.sum()),                          # receipts
    ])


def _peak_mb() -> float:
    """Peak resident set of this process over its whole life (ru_maxrss, MB)."""
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024.0 if sys.platform != "darwin" else r / 1024.0 / 1024.0


def reset_peak() -> None:
    """Start a new peak-RSS measurement (Linux: VmHWM is reset by clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_since_reset_mb() -> float:
    """Peak resident set since :func:`reset_peak` (VmHWM, MB); ru_maxrss where there is no /proc.

    ru_maxrss alone misleads here: Linux carries it across exec, so a spawned
    worker starts with the peak of the process that started it, and under
    ``make bench`` this process carries the peaks of the benchmarks run before.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return _peak_mb()


def _line(label: str, draws: int, years: int, seconds: float) -> float:
    rate = draws * years / seconds
    print(f"  {label:<34} {draws:>9,} draws x {years} y in {seconds:6.2f} s  {rate / 1e6:7.2f} M draw-years/s"
          f"   target >= {TARGET / 1e6:.0f} M on 2 cores: ratio {rate / TARGET:5.2f}")
    return rate


def main(engine_draws: int = ENGINE_DRAWS, sim_draws: int = SIM_DRAWS) -> dict[str, float]:
    import cloudpickle

    from tradepact.assess import load
    from tradepact.macro.montecarlo import DEFAULT_CHUNK, simulate, uncertainty_model
    from tradepact.scale import chunk_ranges, dask_client, map_chunks

    # Workers import this module by value (it is not installed).
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    sc = load(SCENARIO)
    model = uncertainty_model(sc)
    years = model.n_years
    plan = _Plan(sc, model.shock, SEED)
    ranges = chunk_ranges(engine_draws, ENGINE_CHUNK)
    figures: dict[str, float] = {"target_draw_years_per_second": TARGET, "years": years}
    print(f"Monte Carlo on {SCENARIO}: {years} modelled years, {len(model.paths)} uncertain inputs, "
          f"{os.cpu_count()} cores")

    # ---- in this process
    reset_peak()
    engine_chunk(plan, 0, 256)
    simulate(sc, 2 * DEFAULT_CHUNK, SEED, workers=1)                      # warm up caches
    t0 = time.perf_counter()
    one = np.sum(map_chunks(engine_chunk, plan, ranges, workers=1), axis=0)
    figures["engine_1proc_draw_years_per_second"] = _line(
        "engine (cash flows + FX stress), 1", engine_draws, years, time.perf_counter() - t0)
    t0 = time.perf_counter()
    sim_one = simulate(sc, sim_draws, SEED, workers=1)
    figures["simulate_1proc_draw_years_per_second"] = _line(
        "simulate (everything), 1 process", sim_draws, years, time.perf_counter() - t0)
    figures["peak_memory_mb_1proc"] = peak_since_reset_mb()

    # ---- on a LocalCluster of 2 worker processes
    t0 = time.perf_counter()
    with dask_client(workers=2) as client:
        figures["cluster_start_seconds"] = time.perf_counter() - t0
        map_chunks(engine_chunk, plan, chunk_ranges(2 * 256, 256), client=client)
        simulate(sc, 2 * DEFAULT_CHUNK, SEED, client=client)
        client.run(reset_peak)
        t0 = time.perf_counter()
        two = np.sum(map_chunks(engine_chunk, plan, ranges, client=client), axis=0)
        figures["engine_2workers_draw_years_per_second"] = _line(
            "engine (cash flows + FX stress), 2", engine_draws, years, time.perf_counter() - t0)
        t0 = time.perf_counter()
        sim_two = simulate(sc, sim_draws, SEED, client=client)
        figures["simulate_2workers_draw_years_per_second"] = _line(
            "simulate (everything), 2 workers", sim_draws, years, time.perf_counter() - t0)
        worker_mb = client.run(peak_since_reset_mb)
    identical = bool(np.array_equal(one, two)) and all(
        np.array_equal(sim_one.headline[k], sim_two.headline[k], equal_nan=True) for k in sim_one.headline)
    figures["identical_to_single_process"] = float(identical)
    figures["peak_memory_mb_worker_max"] = max(worker_mb.values())
    figures["peak_memory_mb_main_ru_maxrss"] = _peak_mb()
    best = figures["engine_2workers_draw_years_per_second"]
    figures["ratio_to_target"] = best / TARGET
    print(f"  cluster start-up {figures['cluster_start_seconds']:.1f} s (not counted); 2-worker results "
          f"identical to 1 process: {'yes' if identical else 'NO'}")
    print(f"  peak RSS: 1 process {figures['peak_memory_mb_1proc']:,.0f} MB (VmHWM over the in-process runs), "
          f"each worker <= {figures['peak_memory_mb_worker_max']:,.0f} MB (VmHWM over the timed runs); "
          f"ru_maxrss of this process {figures['peak_memory_mb_main_ru_maxrss']:,.0f} MB")
    return figures


if __name__ == "__main__":
    main()
