"""The ``tradepact`` command. Thin: parses options, calls the public API, renders.

Every error a user can cause is a :class:`TradepactError`, printed as one
paragraph on stderr with exit code 2 and no traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .assess import DEFAULT_SCENARIOS, assess
from .core.dates import parse_date
from .core.errors import Location, TradepactError, with_value
from .core.parameters import Parameter, ParameterNode, default_parameters
from .core.scenario import SCENARIO_ROOT, scenario_json_schema, shipped_scenarios
from .results import HEADLINE, Assessment, format_value

console = Console()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tradepact")
def cli() -> None:
    """Price, stress-test and negotiate investment-for-tariff-relief trade deals."""


# ---------------------------------------------------------------- assess
def _columns(a: Assessment) -> tuple[str, list[str]]:
    """A common name prefix (for the title) and short column names."""
    heads = {s.name.rpartition("/")[0] for s in a.scenarios}
    if len(heads) == 1 and next(iter(heads)):
        return f" ({next(iter(heads))})", [s.name.rpartition("/")[2] for s in a.scenarios]
    return "", a.names


def _headline_table(a: Assessment) -> Table:
    suffix, names = _columns(a)
    t = Table(title="Pledge designs side by side" + suffix, title_justify="left")
    t.add_column("Figure")
    for name in names:
        t.add_column(name, justify="right")
    for key, (label, unit, _) in HEADLINE.items():
        t.add_row(f"{label} [dim]({unit})[/dim]", *[format_value(key, s.headline.get(key))
                                                   for s in a.scenarios])
    return t


def _annual_table(a: Assessment) -> Table:
    _, names = _columns(a)
    t = Table(title="Cash outflow by year, USD bn (paid from reserves in brackets; * over capacity)",
              title_justify="left")
    t.add_column("Year")
    for name in names:
        t.add_column(name, justify="right")
    years = sorted({int(y) for s in a.scenarios
                    for y, v in zip(s.annual["year"], s.annual["cash_outflow_usd_bn"]) if v > 0.05})
    for y in years:
        cells = []
        for s in a.scenarios:
            row = s.annual[s.annual["year"] == y].iloc[0]
            mark = "*" if row["over_capacity"] else " "
            cells.append(f"{row['cash_outflow_usd_bn']:.1f} ({row['reserve_funded_outflow_usd_bn']:.1f}){mark}")
        t.add_row(str(y), *cells)
    return t


def _tariff_tables(a: Assessment, last_year: int) -> list[Table]:
    """One table per pair of tariff regimes: the investor's bill, savings and the
    host's revenue forgone by year, up to ``last_year``."""
    tables = []
    for (with_deal, without_deal), members in a.tariff_groups():
        wide = members[0].tariff_years(last_year)
        firms = [c[: -len("_tariff_savings_usd_bn")] for c in wide.columns
                 if c.endswith("_tariff_savings_usd_bn") and c != "tariff_savings_usd_bn"]
        cols = [("tariff_bill_without_deal_usd_bn", "bill without deal"), ("tariff_bill_with_deal_usd_bn", "bill with deal"),
                ("tariff_savings_usd_bn", "savings")]
        cols += [(f"{firm}_tariff_savings_usd_bn", f"of which {firm}") for firm in firms]
        cols += [("us_revenue_forgone_usd_bn", "host revenue forgone")]
        who = ", ".join(m.name.rpartition("/")[2] for m in members)
        t = Table(title=f"Tariffs on the investor's exports, USD bn: regime {with_deal} against {without_deal} ({who})",
                  title_justify="left")
        t.add_column("Year")
        for _, label in cols:
            t.add_column(label, justify="right")
        t.add_column("rates")
        for y in wide.index:
            t.add_row(str(int(y)), *[f"{wide.at[y, c]:.2f}" if c in wide.columns else "" for c, _ in cols],
                      "proj." if wide.at[y, "basis"] == "projected" else "in force")
        tables.append(t)
    return tables


@cli.command("assess")
@click.option("--scenario", "scenarios", multiple=True, metavar="FILE|NAME",
              help="Scenario file or shipped name; repeatable. Default: the four shipped US–Korea scenarios.")
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON on stdout (no report).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Report folder (default ./tradepact-report).")
@click.option("--no-report", is_flag=True, help="Do not write the report folder.")
def assess_cmd(scenarios: tuple[str, ...], as_json: bool, out: Path | None, no_report: bool) -> None:
    """Assess pledge designs: cash by year, FX stress, value, provenance."""
    from .interfaces.export import assessment_json
    from .interfaces.report import write_report
    a = assess(scenarios or DEFAULT_SCENARIOS)
    if as_json:
        click.echo(assessment_json(a))
        if out is not None and not no_report:
            write_report(a, out)
        return
    console.print(_headline_table(a))
    console.print(_annual_table(a))
    for t in _tariff_tables(a, last_year=int(a.scenarios[0].annual["year"].min()) + 2):
        console.print(t)
    if not no_report:
        path = write_report(a, out or Path("tradepact-report"))
        console.print(f"Report written to [bold]{path}[/bold] (with assessment.json, CSV and Excel tables).")


# ---------------------------------------------------------------- params
@cli.group()
def params() -> None:
    """Inspect the shipped parameters and their sources."""


def _param_dict(p: Parameter) -> dict:
    return {"path": p.path, "description": p.description, "unit": p.unit, "file": p.file,
            "values": [{"from": dv.start.isoformat(), "value": dv.value, "status": dv.status,
                        "note": dv.note,
                        "references": [r.model_dump(mode="json", exclude_none=True) for r in dv.references]}
                       for dv in p.values]}


@params.command("show")
@click.argument("path")
@click.option("--at", "at", default=None, metavar="DATE", help="Show the value in force on DATE (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def params_show(path: str, at: str | None, as_json: bool) -> None:
    """Print a parameter's dated values with their sources."""
    node = default_parameters().get(path)
    if isinstance(node, ParameterNode):
        names = [p.path for p in node.walk()]
        raise with_value("path names a folder of parameters", location=Location(field="PATH"), value=path,
                         expected="one parameter, such as " + ", ".join(names[:5]))
    day = None
    if at is not None:
        try:
            day = parse_date(at)
        except ValueError:
            raise with_value("not a date", location=Location(field="--at"), value=at,
                             expected="an ISO date YYYY-MM-DD") from None
    if as_json:
        d = _param_dict(node)
        if day is not None:
            use = node.use(day)
            d["at"] = {"date": day.isoformat(), "value": use.value, "valid_from": use.valid_from.isoformat()}
        click.echo(json.dumps(d, indent=2))
        return
    console.print(f"[bold]{node.path}[/bold]  [dim]({node.unit})[/dim]")
    console.print(node.description)
    if day is not None:
        use = node.use(day)
        console.print(f"On {day.isoformat()}: [bold]{use.value}[/bold] (in force from {use.valid_from.isoformat()})")
    t = Table(show_lines=True)
    for col in ("From", "Value", "Status", "Sources"):
        t.add_column(col)
    current = node.dated_at(day).start if day is not None else None
    for dv in node.values:
        refs = "\n".join(f"{r.short()}\n  {r.href}\n  [dim]{r.pinpoint}[/dim]" for r in dv.references)
        status = dv.status + (f"\n[dim]{dv.note}[/dim]" if dv.note else "")
        style = "bold" if dv.start == current else None
        t.add_row(dv.start.isoformat(), "null (ended)" if dv.value is None else str(dv.value), status,
                  refs, style=style)
    console.print(t)
    console.print(f"[dim]file: {node.file}[/dim]")


@params.command("list")
@click.argument("prefix", required=False, default="")
def params_list(prefix: str) -> None:
    """List parameter paths (under PREFIX)."""
    tree = default_parameters()
    node = tree.get(prefix) if prefix else tree
    items = [node] if isinstance(node, Parameter) else list(node.walk())
    for p in items:
        click.echo(f"{p.path}  ({p.unit})")


# ---------------------------------------------------------------- schema, scenarios
@cli.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the scenario file format."""
    click.echo(json.dumps(scenario_json_schema(), indent=2))


@cli.group()
def scenarios() -> None:
    """List or print the shipped scenarios."""


@scenarios.command("list")
def scenarios_list() -> None:
    for name in shipped_scenarios():
        click.echo(name)


@scenarios.command("show")
@click.argument("name")
def scenarios_show(name: str) -> None:
    """Print a shipped scenario file (a starting point for your own)."""
    if name not in shipped_scenarios():
        raise with_value("unknown scenario", location=Location(field="NAME"), value=name,
                         expected="one of " + ", ".join(shipped_scenarios()))
    click.echo((SCENARIO_ROOT / f"{name}.yaml").read_text(encoding="utf-8"), nl=False)



# ---------------------------------------------------------------- simulate, zopa
def _progress(label: str, enabled: bool):
    """A rich progress bar on stderr, as a ``(done, total)`` callback."""
    from contextlib import nullcontext

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    if not enabled:
        return nullcontext(None)

    class _Bar:
        def __enter__(self):
            self.p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.p.__enter__()
            self.task = self.p.add_task(label, total=None)
            return self.update

        def update(self, done: int, total: int) -> None:
            self.p.update(self.task, completed=done, total=total)

        def __exit__(self, *exc):
            return self.p.__exit__(*exc)

    return _Bar()


_SIM_KEYS = ("investor_npv_usd_bn", "deal_npv_investor_usd_bn", "deal_npv_host_usd_bn", "recoup_year",
             "profit_split_switch_year", "peak_annual_reserve_funded_outflow_usd_bn", "years_over_capacity",
             "min_reserves_usd_bn", "peak_annual_cash_outflow_krw_tn")


def _fmt_q(v: float, key: str = "") -> str:
    if v == float("inf"):
        return "never"
    if v == float("-inf") or v != v:
        return "n/a"
    if key.endswith("_year"):
        return f"{v:.0f}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}"


@cli.command("simulate")
@click.option("--scenario", "scenarios", multiple=True, metavar="FILE|NAME",
              help="Scenario file or shipped name; repeatable. Default: the four shipped US–Korea scenarios.")
@click.option("--draws", type=click.IntRange(min=1), default=10_000, show_default=True, help="Monte Carlo draws.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of every draw.")
@click.option("--uncertainty", "uncertainty", default="us_kr_2025/final_uncertain", show_default=True,
              metavar="FILE|NAME|none",
              help="Uncertainty applied to scenarios that declare none of their own ('none': only their own).")
@click.option("--stress", type=click.Choice(["hard", "penalty"]), default="hard", show_default=True,
              help="Investor's treatment of years over capacity in the payoffs.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Dask LocalCluster workers (1: in process). Default: in process for small runs, "
                   "a LocalCluster with one worker per core for large ones.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Run on the Dask cluster at ADDRESS.")
@click.option("--chunk", type=click.IntRange(min=1), default=None, help="Draws per chunk (default 8192).")
@click.option("--json", "as_json", is_flag=True, help="Print quantiles and probabilities as JSON on stdout.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Also write a report with fan charts to this folder.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def simulate_cmd(scenarios: tuple[str, ...], draws: int, seed: int, uncertainty: str, stress: str,
                 workers: int | None, scheduler: str | None, chunk: int | None, as_json: bool, out: Path | None,
                 no_progress: bool) -> None:
    """Monte Carlo of pledge designs: quantiles, fan charts, probabilities."""
    from .macro.montecarlo import DEFAULT_CHUNK, PAYOFF_LABELS, SimulationSet, simulate
    from .assess import load
    names = scenarios or DEFAULT_SCENARIOS
    holder = None if uncertainty.lower() == "none" else load(uncertainty)
    results = []
    for name in names:
        sc = load(name)
        with _progress(f"simulating {sc.name}", not no_progress) as bar:
            results.append(simulate(sc, draws, seed, uncertainty_from=None if sc.spec.uncertainty else holder,
                                    stress=stress, workers=workers, scheduler=scheduler,
                                    chunk_size=chunk or DEFAULT_CHUNK, progress=bar))
    sims = SimulationSet(tuple(results))
    if as_json:
        click.echo(json.dumps(sims.to_dict(fans=False), indent=2))
    else:
        t = Table(title=f"Monte Carlo, {draws:,} draws, seed {seed}: p5 / p50 / p95", title_justify="left")
        t.add_column("Figure")
        for r in results:
            t.add_column(r.name.split("/")[-1], justify="right")
        for key in _SIM_KEYS:
            label = (HEADLINE[key][0] if key in HEADLINE else PAYOFF_LABELS[key][0] if key in PAYOFF_LABELS
                     else key.replace("_", " "))
            t.add_row(label, *[" / ".join(_fmt_q(v, key) for v in r.quantiles(keys=[key]).iloc[0]) for r in results])
        for key in results[0].probabilities:
            t.add_row(f"P({key.replace('_', ' ')})", *[f"{r.probabilities[key]:.1%}" for r in results])
        console.print(t)
        for r in results:
            if r.uncertainty.unused:
                console.print(f"[dim]{r.name}: not used by this scenario: {', '.join(r.uncertainty.unused)}[/dim]")
    if out is not None:
        from .interfaces.report import write_report
        path = write_report(assess(names), out, simulations=sims)
        Console(stderr=True).print(f"Report written to [bold]{path}[/bold].")


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
        return [float(x) for x in text.replace(":", ",").split(",") if x.strip()]
    except ValueError:
        raise with_value("not a number", location=Location(field=option), value=text,
                         expected="numbers such as 0.5 or 5:120") from None


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


@cli.command("zopa")
@click.option("--base", default="us_kr_2025/final", show_default=True, metavar="FILE|NAME",
              help="Scenario whose terms, horizon and pledge the designs share.")
@click.option("--proposal", "proposals", multiple=True, metavar="FILE|NAME",
              help="Proposal to place against the frontier; repeatable. Default: the four shipped scenarios.")
@click.option("--fix", multiple=True, metavar="DIM=VALUE", help="Hold a design dimension fixed; repeatable.")
@click.option("--bounds", multiple=True, metavar="DIM=LOW:HIGH", help="Search bounds of a dimension; repeatable.")
@click.option("--draws", type=click.IntRange(min=0), default=0, show_default=True,
              help="Expected payoffs over this many draws of the uncertainty (0: point values).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--uncertainty", default=None, metavar="FILE|NAME",
              help="Uncertainty to draw from with --draws (default: the base's own, else "
                   "us_kr_2025/final_uncertain).")
@click.option("--stress", type=click.Choice(["hard", "penalty"]), default="hard", show_default=True,
              help="Investor's treatment of years over capacity.")
@click.option("--refine", type=click.IntRange(min=0), default=8, show_default=True,
              help="Frontier points refined by the optimiser (0: grid only).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Dask LocalCluster workers.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Run on the Dask cluster at ADDRESS.")
@click.option("--json", "as_json", is_flag=True, help="Print the frontier and proposals as JSON.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Also write a report with the frontier chart to this folder.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def zopa_cmd(base: str, proposals: tuple[str, ...], fix: tuple[str, ...], bounds: tuple[str, ...], draws: int,
             seed: int, uncertainty: str | None, stress: str, refine: int, workers: int | None,
             scheduler: str | None, as_json: bool, out: Path | None, no_progress: bool) -> None:
    """Zone of possible agreement, Pareto frontier, and where each proposal lies."""
    from .assess import load
    from .macro.montecarlo import DEFAULT_UNCERTAINTY
    from .negotiation.zopa import DEFAULT_BOUNDS, DesignSpace, find_zopa
    fixed = {k: v[0] for k, v in _design_values(fix, "--fix", 1).items()}
    given = {k: (v[0], v[1]) for k, v in _design_values(bounds, "--bounds", 2).items()}
    # Unknown dimensions are passed on, so that DesignSpace names them in its error.
    space = DesignSpace({**{k: v for k, v in DEFAULT_BOUNDS.items() if k not in fixed}, **given}, fixed)
    names = proposals or DEFAULT_SCENARIOS
    holder = uncertainty
    if draws > 1 and holder is None and not load(base).spec.uncertainty:
        holder = DEFAULT_UNCERTAINTY
    with _progress("pricing designs", not no_progress and draws > 1) as bar:
        zone = find_zopa(base, space=space, proposals=names, n_draws=draws, seed=seed, uncertainty_from=holder,
                         stress_treatment=stress, refine=refine, workers=workers, scheduler=scheduler,
                         progress=bar)
    if as_json:
        click.echo(json.dumps(zone.to_dict(), indent=2))
    else:
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
        from .interfaces.report import write_report
        path = write_report(assess(names), out, zone=zone)
        Console(stderr=True).print(f"Report written to [bold]{path}[/bold].")


def _register_optional() -> None:
    """Attach command groups of optional parts that are present."""
    try:
        from .tariffs.cli import tariffs
    except ImportError:
        return
    cli.add_command(tariffs)


_register_optional()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user errors into exit code 2."""
    try:
        cli.main(args=argv, prog_name="tradepact", standalone_mode=False)
    except TradepactError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 2
    except OSError as exc:
        click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
