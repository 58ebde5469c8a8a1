"""Design sweep: price 10,000 pledge designs and find the Pareto frontier.

The designs are drawn uniformly (seeded) from the default design space around
the shipped ``us_kr_2025/final`` deal: all six dimensions free (cash share,
annual cap, years for the non-cash part, guarantee share, investor share
before and after recoup). Timed: building the designs' vehicles, their cash
flows, the FX stress of each, both sides' payoffs, feasibility and the
frontier (:func:`evaluate_designs` then :func:`pareto_front`); the template
(reading the base scenario, its parameters and the tariff relief) is built
once beforehand and timed apart. Target: < 1 s. Also timed, for context: the
same with 64 draws of the shipped uncertainty per design (expected payoffs),
and ``find_zopa`` as ``tradepact zopa`` runs it (default grid of 19,800
designs, 8 optimiser points, the four proposals).

Memory: the peak of allocations during the timed sweep (tracemalloc, which
sees NumPy's buffers), the peak resident set while sweeping (VmHWM, reset
first) and the process's peak resident set over its life (ru_maxrss).
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

import numpy as np

N_DESIGNS = 10_000
TARGET_SECONDS = 1.0
SEED = 20251114


def _peak_rss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024.0 if sys.platform != "darwin" else r / 1024.0 / 1024.0


def random_designs(n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    from tradepact.negotiation.zopa import DEFAULT_BOUNDS, DIMENSIONS
    rng = np.random.default_rng(seed)
    return {d: rng.uniform(*DEFAULT_BOUNDS[d], n) for d in DIMENSIONS}


def sweep(template, designs):
    from tradepact.negotiation.zopa import evaluate_designs, pareto_front
    pay = evaluate_designs(template, designs)
    ok = pay.feasible(template.investor)
    return pay, ok, pareto_front(pay.investor, pay.host, ok)


def main(n_designs: int = N_DESIGNS) -> dict[str, float]:
    from tradepact.assess import DEFAULT_SCENARIOS, load
    from tradepact.macro.montecarlo import uncertainty_model
    from tradepact.negotiation.zopa import find_zopa, template_from_scenario

    base = load("us_kr_2025/final")
    designs = random_designs(n_designs)
    t0 = time.perf_counter()
    template = template_from_scenario(base)
    t_template = time.perf_counter() - t0
    sweep(template, random_designs(100, seed=1))                    # warm up

    from bench_montecarlo import peak_since_reset_mb, reset_peak
    reset_peak()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        pay, ok, front = sweep(template, designs)
        times.append(time.perf_counter() - t0)
    seconds = min(times)
    rss_sweep = peak_since_reset_mb()
    tracemalloc.start()
    sweep(template, designs)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Expected payoffs over 64 draws per design (640,000 rows).
    shock = uncertainty_model(load("us_kr_2025/final_uncertain")).shock
    drawn = template_from_scenario(base, draws=shock.draw(64, SEED))
    t0 = time.perf_counter()
    sweep(drawn, designs)
    seconds_64 = time.perf_counter() - t0

    t0 = time.perf_counter()
    zone = find_zopa(base, proposals=DEFAULT_SCENARIOS)
    seconds_cli = time.perf_counter() - t0

    figures = {
        "designs": float(n_designs),
        "feasible": float(ok.sum()),
        "frontier_points": float(front.size),
        "seconds": seconds,
        "target_seconds": TARGET_SECONDS,
        "ratio_to_target": seconds / TARGET_SECONDS,
        "designs_per_second": n_designs / seconds,
        "template_seconds": t_template,
        "seconds_64_draws": seconds_64,
        "find_zopa_default_seconds": seconds_cli,
        "find_zopa_default_designs": float(zone.feasible.size),
        "peak_traced_mb": traced_peak / 2 ** 20,
        "peak_rss_sweep_mb": rss_sweep,
        "peak_memory_mb": _peak_rss_mb(),
    }
    print(f"design sweep around us_kr_2025/final: {n_designs:,} random designs, 6 free dimensions, "
          f"{int(ok.sum()):,} feasible, {front.size} on the frontier")
    print(f"  price + frontier        {seconds:7.3f} s (best of 3)   target < {TARGET_SECONDS:.0f} s: "
          f"ratio {figures['ratio_to_target']:.2f}   ({figures['designs_per_second']:,.0f} designs/s)")
    print(f"  template (once)         {t_template:7.3f} s")
    print(f"  with 64 draws/design    {seconds_64:7.3f} s   ({n_designs * 64:,} design-draws)")
    print(f"  find_zopa as the CLI    {seconds_cli:7.3f} s   ({zone.feasible.size:,} grid designs, "
          f"{len(zone.refined)} optimiser points, {len(zone.proposals)} proposals)")
    print(f"  memory: sweep peak {figures['peak_traced_mb']:,.0f} MB allocated (tracemalloc), peak RSS "
          f"{figures['peak_rss_sweep_mb']:,.0f} MB while sweeping (VmHWM), process {figures['peak_memory_mb']:,.0f} MB "
          f"(ru_maxrss, all runs)")
    return figures


if __name__ == "__main__":
    main()
