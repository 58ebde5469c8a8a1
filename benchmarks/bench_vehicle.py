"""Pledge engine + macro stress on 1 M draws of the final US–Korea deal.

Each draw is one full assessment (cash flows of all four tranches, the profit
waterfall, NPV, IRR, recoup year and the reserves path with its ratios),
with the project yield, reserves, reserve income and capacity drawn. Draws
run in chunks so memory stays bounded; the figure is assessments per second
and draw-years per second, with peak memory.
"""

from __future__ import annotations

import resource
import time

import numpy as np

from tradepact.assess import evaluate
from tradepact.core.scenario import shipped_scenario
from tradepact.resolve import resolve

N_DRAWS = 1_000_000
CHUNK = 100_000


def _draws(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "assumptions.vehicle.project_cash_yield_rate": rng.uniform(0.03, 0.11, n),
        "kr.macro.fx_reserves_usd_bn": rng.normal(428.82, 10.0, n),
        "kr.macro.reserve_income_usd_bn": rng.uniform(12.0, 18.0, n),
        "kr.macro.usd_supply_capacity_usd_bn": rng.uniform(15.0, 25.0, n),
    }


def main(n_draws: int = N_DRAWS, chunk: int = CHUNK) -> dict[str, float]:
    scenario = shipped_scenario("us_kr_2025/final")
    rng = np.random.default_rng(20251114)
    evaluate(resolve(scenario, draws=_draws(rng, 1000))).headline  # warm up
    done, years = 0, 0
    npv_sum = 0.0
    t0 = time.perf_counter()
    while done < n_draws:
        n = min(chunk, n_draws - done)
        out = evaluate(resolve(scenario, draws=_draws(rng, n)))
        h = out.headline
        npv_sum += float(h["investor_npv_usd_bn"].sum())
        years = out.years.size
        done += n
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "draws": float(done),
        "seconds": elapsed,
        "assessments_per_second": done / elapsed,
        "draw_years_per_second": done * years / elapsed,
        "mean_investor_npv_usd_bn": npv_sum / done,
        "peak_memory_mb": peak_mb,
    }
    print(f"pledge engine + macro stress, {done:,} draws x {years} years in chunks of {chunk:,}")
    print(f"  {elapsed:8.2f} s   {figures['assessments_per_second']:12,.0f} assessments/s   "
          f"{figures['draw_years_per_second']:14,.0f} draw-years/s   peak {peak_mb:,.0f} MB")
    return figures


if __name__ == "__main__":
    main()
