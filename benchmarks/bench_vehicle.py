"""The pledge engine per draw: cash flows, waterfall, value, IRR, FX stress and payoffs.

Inputs: draws of the shipped ``us_kr_2025/final_uncertain`` scenario (its
joint distribution: project yield, won rate, USD supply capacity, call and
default probabilities, relief withdrawal), resolved once per chunk of 65,536
draws before timing. Timed, per chunk, on the same inputs:

* **engine**: the fused kernel (:mod:`tradepact.negotiation.kernel`: ``prepare``
  + ``run``), every headline figure of the vehicle, the stress and both payoffs;
* **baseline**: the NumPy engines (``kernel.reference``: ``build_cash_flows``,
  ``VehicleResult``, ``stress``, ``payoffs``), the same figures;
* **floor**: one NumPy pass that reads an ``(n, years)`` float array and
  writes its running sum (``np.cumsum`` along years): the memory-speed floor
  of anything that touches every draw-year once.

Figure: draw-years per second (draws × modelled years / timed wall time).
"""

from __future__ import annotations

import os
import time

import numpy as np

SCENARIO = "us_kr_2025/final_uncertain"
DRAWS = int(os.environ.get("BENCH_VEHICLE_DRAWS", 1_048_576))
BASELINE_DRAWS = int(os.environ.get("BENCH_VEHICLE_BASELINE_DRAWS", 262_144))
CHUNK = 65_536
SEED = 20251114
TARGET = 10_000_000


def _inputs(n: int):
    from tradepact.core.scenario import Scenario
    from tradepact.resolve import resolve
    from tradepact.studies.simulate import _relief_of, load_uncertainty
    sc = Scenario.load(SCENARIO)
    model = load_uncertainty(sc)
    out = []
    for a in range(0, n, CHUNK):
        b = min(a + CHUNK, n)
        r = resolve(sc, draws=model.shock.sample(SEED, a, b))
        p = r.parties
        stream, _ = _relief_of(r, None)
        out.append((r.vehicle, r.position, p.investor, p.host, stream, b - a))
    return out, model.n_years


def engine(draws: int = DRAWS) -> dict:
    from tradepact.negotiation import kernel
    chunks, years = _inputs(draws)
    kernel.run(kernel.prepare(*chunks[0]))                # load the compiled kernel
    npv = 0.0
    c0, t0 = time.process_time(), time.perf_counter()
    for c in chunks:
        figs, _, _ = kernel.run(kernel.prepare(*c))
        npv += float(figs["investor_npv_usd_bn"].sum())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": wall, "cpu": cpu, "draws": draws, "years": years, "mean_npv": npv / draws,
            "numba": kernel.AVAILABLE}


def baseline(draws: int = BASELINE_DRAWS) -> dict:
    from tradepact.negotiation import kernel
    chunks, years = _inputs(draws)
    npv = 0.0
    c0, t0 = time.process_time(), time.perf_counter()
    for c in chunks:
        figs, _, _ = kernel.reference(*c)
        npv += float(figs["investor_npv_usd_bn"].sum())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": wall, "cpu": cpu, "draws": draws, "years": years, "mean_npv": npv / draws}


def floor(draws: int = DRAWS, years: int = 40) -> dict:
    x = np.random.default_rng(0).random((CHUNK, years))
    out = np.empty_like(x)
    n = 0
    c0, t0 = time.process_time(), time.perf_counter()
    while n < draws:
        np.cumsum(x, axis=1, out=out)
        n += CHUNK
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": wall, "cpu": cpu, "draws": n, "years": years}


def main(runs: int = 3) -> list[dict]:
    from harness import figure, interleave, run_python
    res = interleave({"engine": lambda: run_python("bench_vehicle:engine"),
                      "baseline": lambda: run_python("bench_vehicle:baseline"),
                      "floor": lambda: run_python("bench_vehicle:floor")}, runs)

    def rate(s):
        return s.extra["draws"] * s.extra["years"] / s.wall

    return [
        figure("vehicle kernel (fused, 1 process)", "draw-years/s", res["engine"], TARGET, better="higher",
               value=rate, note=f"{DRAWS:,} draws of {SCENARIO}; inputs resolved before timing"),
        figure("vehicle NumPy engines (baseline)", "draw-years/s", res["baseline"], None, better="higher",
               value=rate, note=f"{BASELINE_DRAWS:,} draws, same figures"),
        figure("memory-speed floor (np.cumsum over draw-years)", "draw-years/s", res["floor"], None,
               better="higher", value=rate),
    ]
