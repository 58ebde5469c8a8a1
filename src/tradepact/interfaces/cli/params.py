"""``tradepact params``: the shipped parameters, their dated values and sources."""

from __future__ import annotations

import json

import click

@click.group("params")
def params_cmd() -> None:
    """Inspect the shipped parameters and their sources."""


def _param_dict(p) -> dict:
    return {"path": p.path, "description": p.description, "unit": p.unit, "file": p.file,
            "values": [{"from": dv.start.isoformat(), "value": dv.value, "status": dv.status,
                        "note": dv.note,
                        "references": [r.model_dump(mode="json", exclude_none=True) for r in dv.references]}
                       for dv in p.values]}


@params_cmd.command("show")
@click.argument("path")
@click.option("--at", "at", default=None, metavar="DATE", help="Show the value in force on DATE (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--store", default=None, metavar="FILE", help="Evidence store (default: yours, else the shipped one).")
def params_show(path: str, at: str | None, as_json: bool, store: str | None) -> None:
    """Print a parameter's dated values with their sources."""
    from rich.console import Console
    from rich.table import Table

    from ...core.dates import date_field
    from ...studies.api import one_parameter, params
    console = Console()
    node = one_parameter(params(path), path, "PATH")
    day = date_field(at, "--at") if at is not None else None
    evidence = _evidence(node, day, store)
    if as_json:
        d = _param_dict(node)
        if day is not None:
            use = node.use(day)
            d["at"] = {"date": day.isoformat(), "value": use.value, "valid_from": use.valid_from.isoformat()}
        if evidence is not None:
            d["evidence"] = evidence.to_dict()
        click.echo(json.dumps(d, indent=2, default=str))
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
    if evidence is not None:
        for label, findings in (("Supported by", evidence.supports), ("Contradicted by", evidence.contradicts),
                                ("Claims about proposals", evidence.proposals)):
            if findings:
                console.print(f"[bold]{label}[/bold] ({len(findings)}):")
                for f in findings:
                    console.print(f"  {f.claim.claim.value:g} {f.claim.claim.unit}: {f.sentence()}", highlight=False)
        if evidence.flagged:
            console.print("[bold red]An assumption that the news evidence contradicts.[/bold red]")
    console.print(f"[dim]file: {node.file}[/dim]")


def _evidence(node, day, store):
    """The news evidence on a parameter that declares claim kinds (None without any)."""
    if not getattr(node, "evidence", None):
        return None
    from ...evidence import for_parameter, open_store
    with open_store(store) as st:
        return for_parameter(node.path, st, on=day)


@params_cmd.command("list")
@click.argument("prefix", required=False, default="")
def params_list(prefix: str) -> None:
    """List parameter paths (under PREFIX)."""
    from ...core.parameters import Parameter
    from ...studies.api import params
    tree = params()
    node = tree.get(prefix) if prefix else tree
    items = [node] if isinstance(node, Parameter) else list(node.walk())
    for p in items:
        click.echo(f"{p.path}  ({p.unit})")
