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
