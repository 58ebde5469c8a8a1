"""``tradepact simulate``: Monte Carlo quantiles, probabilities and fan charts."""

from __future__ import annotations

from pathlib import Path

import click

from ...core import limits
from . import allow_path_option
from .progress import progress_bar

#: Figures the terminal table shows (p5 / p50 / p95).
TABLE_KEYS = ("investor_npv_usd_bn", "deal_npv_investor_usd_bn", "deal_npv_host_usd_bn", "recoup_year",
              "profit_split_switch_year", "peak_annual_reserve_funded_outflow_usd_bn", "years_over_capacity",
              "min_reserves_usd_bn")


@click.command("simulate")
@click.option("--scenario", "scenarios", multiple=True, metavar="FILE|NAME",
              help="Scenario file or shipped name; repeatable. Default: the four shipped US–Korea scenarios.")
@click.option("--draws", type=click.IntRange(min=1, max=limits.MAX_DRAWS), default=10_000, show_default=True,
              help=f"Monte Carlo draws (at most {limits.MAX_DRAWS:,}).")
@click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=0, show_default=True,
              help="Seed of every draw.")
@click.option("--uncertainty", "uncertainty", default="us_kr_2025/final_uncertain", show_default=True,
              metavar="FILE|NAME|none",
              help="Uncertainty applied to scenarios that declare none of their own ('none': only their own).")
@click.option("--stress", type=click.Choice(["hard", "penalty"]), default="hard", show_default=True,
              help="Investor's treatment of years over capacity in the payoffs.")
@click.option("--workers", type=click.IntRange(min=1, max=limits.MAX_WORKERS), default=None,
              help="Dask LocalCluster workers (default 1: in process, which streams within bounded memory). "
                   "Past the first chunks each worker sends back only its chunks' summaries; a cluster takes "
                   "seconds to start, so it pays off from a few million draws.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Run on the Dask cluster at ADDRESS.")
@click.option("--chunk", type=click.IntRange(min=1, max=limits.MAX_DRAWS), default=None,
              help="Draws per chunk (default 65,536).")
@click.option("--json", "as_json", is_flag=True, help="Print quantiles and probabilities as JSON on stdout.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Also write a report with fan charts to this folder.")
@click.option("--keep-annual", is_flag=True,
              help="Keep every draw's fan-chart series (exact fans; memory grows with --draws). "
                   "Default: fans from streaming sketches.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--max-memory", default=None, metavar="SIZE",
              help="Refuse runs estimated to need more memory (e.g. 4GB; default: half the machine's RAM).")
@allow_path_option
def simulate_cmd(scenarios: tuple[str, ...], draws: int, seed: int, uncertainty: str, stress: str,
                 workers: int | None, scheduler: str | None, chunk: int | None, as_json: bool, out: Path | None,
                 no_progress: bool, max_memory: str | None, keep_annual: bool = False) -> None:
    """Monte Carlo of pledge designs: quantiles, fan charts, probabilities."""
    from ...core.scenario import Scenario
    from ...studies.assess import DEFAULT_SCENARIOS
    from ...studies.budget import check_memory, estimate_years, parse_size, simulation_bytes
    from ...studies.simulate import simulate_many
    names = scenarios or DEFAULT_SCENARIOS
    limit = parse_size(max_memory)
    loaded = [Scenario.load(n) for n in names]
    check_memory(simulation_bytes(draws, estimate_years(loaded), len(loaded), chunk, keep_annual=keep_annual), limit,
                 f"{draws:,} draws of {len(loaded)} scenario(s)",
                 "fewer --draws per run (run several seeds and pool them), or fewer scenarios per run")
    holder = None if uncertainty.lower() == "none" else uncertainty
    kwargs = {"stress": stress, "workers": workers, "scheduler": scheduler, "keep_annual": keep_annual}
    if chunk:
        kwargs["chunk_size"] = chunk
    with progress_bar("simulating", not no_progress) as bar:
        sims = simulate_many(names, draws, seed, uncertainty_from=holder, progress=bar,
                             with_assessment=out is not None, **kwargs)
    if as_json:
        from ..export import dumps
        click.echo(dumps(sims.to_dict(fans=False)))
    else:
        from rich.console import Console
        from rich.table import Table

        from ...results.simulation import label_of
        from ..format import format_quantile
        console = Console()
        results = sims.results
        t = Table(title=f"Monte Carlo, {draws:,} draws, seed {seed}: p5 / p50 / p95", title_justify="left")
        t.add_column("Figure")
        for r in results:
            t.add_column(r.name.split("/")[-1], justify="right")
        ccy = [k for k in results[0].figures if k.startswith("peak_annual_cash_outflow_") and k.endswith("_tn")]
        for key in TABLE_KEYS + tuple(ccy[:1]):
            label, unit = label_of(key)
            t.add_row(f"{label} [dim]({unit})[/dim]" if unit else label,
                      *[" / ".join(format_quantile(v, key) for v in r.quantiles(keys=[key]).iloc[0])
                        for r in results])
        for key in results[0].probabilities:
            t.add_row(f"P({key.replace('_', ' ')})", *[f"{r.probabilities[key]:.1%}" for r in results])
        console.print(t)
        for r in results:
            if r.uncertainty.unused:
                console.print(f"[dim]{r.name}: not used by this scenario: {', '.join(r.uncertainty.unused)}[/dim]")
    if out is not None:
        from rich.console import Console

        from ..report import write_report
        path = write_report(sims.assessment, out, simulations=sims)
        Console(stderr=True).print(f"Report written to [bold]{path}[/bold].")
