"""Design sweep and zone of agreement: 10,000 designs with their frontier, and ``zopa --json``.

* **engine**: 10,000 designs drawn uniformly (seeded) from the default
  design space around ``us_kr_2025/final``, all six dimensions free, priced
  by :func:`~tradepact.negotiation.design.evaluate_designs` (fused kernel),
  then feasibility and :func:`~tradepact.negotiation.frontier.pareto_front`.
  The template (scenario, parameters, tariff relief) is built before timing.
* **baseline**: the same sweep through the NumPy engines (kernel off).
* ``tradepact zopa --json`` end to end (cold process: imports, template,
  19,800-design grid, 8 optimiser points, the four proposals).

Target: sweep < 0.1 s (median), ``zopa --json`` < 1.5 s.
"""

from __future__ import annotations

import os
import time

import numpy as np

N_DESIGNS = 10_000
SEED = 20251114
TARGET_SWEEP = 0.1
TARGET_CLI = 1.5


def sweep(fused: bool = True, n_designs: int = N_DESIGNS) -> dict:
    from tradepact.core.scenario import Scenario
    from tradepact.negotiation.design import DEFAULT_BOUNDS, DIMENSIONS, evaluate_designs
    from tradepact.negotiation.frontier import pareto_front
    from tradepact.studies.zopa import template_from_scenario
    from tradepact.negotiation import kernel
    if not fused:
        kernel.AVAILABLE = False
    template = template_from_scenario(Scenario.load("us_kr_2025/final"))
    rng = np.random.default_rng(SEED)
    designs = {d: rng.uniform(*DEFAULT_BOUNDS[d], n_designs) for d in DIMENSIONS}
    evaluate_designs(template, {d: v[:64] for d, v in designs.items()})          # load compiled code
    c0, t0 = time.process_time(), time.perf_counter()
    pay = evaluate_designs(template, designs)
    ok = pay.feasible(template.investor)
    front = pareto_front(pay.investor, pay.host, ok)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": wall, "cpu": cpu, "feasible": int(ok.sum()), "frontier": int(front.size)}


def baseline() -> dict:
    return sweep(fused=False)


def main(runs: int = 3) -> list[dict]:
    from harness import PYTHON, figure, interleave, run_command, run_python
    cli = [os.path.join(os.path.dirname(PYTHON), "tradepact"), "zopa", "--json", "--no-progress"]
    res = interleave({"engine": lambda: run_python("bench_zopa:sweep"),
                      "baseline": lambda: run_python("bench_zopa:baseline"),
                      "cli": lambda: run_command(cli)}, runs)
    e = res["engine"][0].extra
    return [
        figure("zopa: 10k designs + frontier (fused)", "s", res["engine"], TARGET_SWEEP, better="lower",
               note=f"{e['feasible']:,} feasible, {e['frontier']} on the frontier"),
        figure("zopa: 10k designs + frontier (NumPy baseline)", "s", res["baseline"], None, better="lower"),
        figure("tradepact zopa --json, end to end", "s", res["cli"], TARGET_CLI, better="lower"),
        figure("tradepact zopa --json: peak RSS", "MB", res["cli"], None, better="lower",
               value=lambda s: s.peak_mb),
    ]
