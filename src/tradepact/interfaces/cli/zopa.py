"""``tradepact zopa``: zone of possible agreement, Pareto frontier and where each proposal lies."""

from __future__ import annotations

import math
from pathlib import Path

import click

from ...core import limits
from ...core.errors import Location, with_value
from . import allow_path_option
from .progress import progress_bar


def _pairs(items: tuple[str, ...], option: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise with_value("expected DIMENSION=VALUE", location=Location(field=option), value=item,
                             expected="e.g. annual_cap_usd_bn=20")
        out[key.strip()] = value.strip()
    return out


def _floats(text: str, option: str) -> list[float]:
    try:
        values = [float(x) for x in text.replace(":", ",").split(",") if x.strip()]
    except ValueError:
        raise with_value("not a number", location=Location(field=option), value=text[:40],
                         expected="numbers such as 0.5 or 5:120") from None
    if not all(math.isfinite(v) for v in values):
        raise with_value("a number that is not finite", location=Location(field=option), value=text[:40],
                         expected="finite numbers such as 0.5 or 5:120")
    return values


def _design_values(items: tuple[str, ...], option: str, count: int) -> dict[str, list[float]]:
    """``DIM=VALUE`` (``count`` 1) or ``DIM=LOW:HIGH`` (``count`` 2) options by dimension."""
    out = {}
    for key, text in _pairs(items, option).items():
        values = _floats(text, option)
        if len(values) != count:
            raise with_value("expected one number" if count == 1 else "expected two numbers, LOW:HIGH",
                             location=Location(field=option), value=f"{key}={text}",
                             expected="e.g. annual_cap_usd_bn=20" if count == 1 else "e.g. annual_cap_usd_bn=10:30")
        out[key] = values
    return out


@click.command("zopa")
@click.option("--base", default="us_kr_2025/final", show_default=True, metavar="FILE|NAME",
              help="Scenario whose terms, horizon and pledge the designs share.")
@click.option("--proposal", "proposals", multiple=True, metavar="FILE|NAME",
              help="Proposal to place against the frontier; repeatable. Default: the four shipped scenarios.")
@click.option("--fix", multiple=True, metavar="DIM=VALUE", help="Hold a design dimension fixed; repeatable.")
@click.option("--bounds", multiple=True, metavar="DIM=LOW:HIGH", help="Search bounds of a dimension; repeatable.")
@click.option("--draws", type=click.IntRange(min=0, max=limits.MAX_DRAWS), default=0, show_default=True,
              help="Expected payoffs over this many draws of the uncertainty (0: point values).")
@click.option("--seed", type=click.IntRange(min=0, max=2**63 - 1), default=0, show_default=True)
@click.option("--uncertainty", default=None, metavar="FILE|NAME",
              help="Uncertainty to draw from with --draws (default: the base's own, else "
                   "us_kr_2025/final_uncertain).")
@click.option("--stress", type=click.Choice(["hard", "penalty"]), default="hard", show_default=True,
              help="Investor's treatment of years over capacity.")
@click.option("--refine", type=click.IntRange(min=0, max=limits.MAX_REFINE), default=8, show_default=True,
              help="Frontier points refined by the optimiser (0: grid only).")
@click.option("--workers", type=click.IntRange(min=1, max=limits.MAX_WORKERS), default=None,
              help="Dask LocalCluster workers.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Run on the Dask cluster at ADDRESS.")
@click.option("--json", "as_json", is_flag=True, help="Print the frontier and proposals as JSON.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Also write a report with the frontier chart to this folder.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--max-memory", default=None, metavar="SIZE",
              help="Refuse runs estimated to need more memory (e.g. 4GB; default: half the machine's RAM).")
@allow_path_option
def zopa_cmd(base: str, proposals: tuple[str, ...], fix: tuple[str, ...], bounds: tuple[str, ...], draws: int,
             seed: int, uncertainty: str | None, stress: str, refine: int, workers: int | None,
             scheduler: str | None, as_json: bool, out: Path | None, no_progress: bool,
             max_memory: str | None) -> None:
    """Zone of possible agreement, Pareto frontier, and where each proposal lies."""
    from ...core.scenario import Scenario
    from ...studies.assess import DEFAULT_SCENARIOS
    from ...studies.budget import check_memory, estimate_years, parse_size, zopa_bytes
    from ...studies.zopa import find_zopa
    fixed = {k: v[0] for k, v in _design_values(fix, "--fix", 1).items()}
    given = {k: (v[0], v[1]) for k, v in _design_values(bounds, "--bounds", 2).items()}
    limit = parse_size(max_memory)
    check_memory(zopa_bytes(draws, estimate_years([Scenario.load(base)]), refine), limit,
                 f"a zone of agreement over {draws:,} draws with {refine} refined points",
                 "fewer --draws (expected payoffs converge slowly beyond a few thousand) or a lower --refine")
    names = proposals or DEFAULT_SCENARIOS
    with progress_bar("pricing designs", not no_progress and draws > 1) as bar:
        zone = find_zopa(base, fix=fixed, bounds=given, proposals=names, n_draws=draws, seed=seed,
                         uncertainty_from=uncertainty, stress_treatment=stress, refine=refine, workers=workers,
                         scheduler=scheduler, progress=bar, with_assessment=out is not None)
    if as_json:
        from ..export import dumps
        click.echo(dumps(zone.to_dict()))
    else:
        from rich.console import Console
        from rich.table import Table
        console = Console()
        front = zone.frontier_points(zone_only=True)
        t = Table(title=f"Pareto frontier inside the zone of possible agreement ({len(front)} points; "
                        f"{int(zone.in_zone.sum()):,} of {zone.feasible.size:,} grid designs in the zone)",
                  title_justify="left")
        for c in ("cash share", "cap USD bn/yr", "non-cash years", "guarantee share", "inv. share before",
                  "inv. share after", "investor payoff", "host payoff", "source"):
            t.add_column(c, justify="right")
        for q in front:
            d = q.design
            t.add_row(f"{d['cash_share']:.2f}", f"{d['annual_cap_usd_bn']:.1f}", f"{d['years']:.1f}",
                      f"{d['guarantee_share']:.2f}", f"{d['investor_share_before_recoup']:.2f}",
                      f"{d['investor_share_after_recoup']:.2f}", f"{q.investor:,.1f}", f"{q.host:,.1f}", q.source)
        console.print(t)
        p = Table(title="Proposals against the frontier (USD bn, PV against no deal)", title_justify="left")
        for c in ("proposal", "investor payoff", "host payoff", "feasible", "in zone", "equal gain to frontier"):
            p.add_column(c, justify="right")
        for pr in zone.proposals:
            p.add_row(pr.name.split("/")[-1], f"{pr.investor:,.1f}", f"{pr.host:,.1f}", "yes" if pr.feasible else "no",
                      "yes" if pr.in_zone else "no", f"{pr.equal_gain_to_frontier:,.1f}")
        console.print(p)
        if zone.nash is not None:
            console.print(f"Nash bargaining solution: investor {zone.nash.investor:,.1f}, host "
                          f"{zone.nash.host:,.1f} USD bn. Tariff relief: {zone.relief_source}.")
    if out is not None:
        from rich.console import Console

        from ..report import write_report
        path = write_report(zone.assessment, out, zone=zone)
        Console(stderr=True).print(f"Report written to [bold]{path}[/bold].")
