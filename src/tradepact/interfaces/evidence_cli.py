"""``tradepact evidence``: ingest news pages, extract claims, check parameters.

Exit codes: 0 when everything was read; 1 when some files failed (each is
named on stderr, one paragraph each, and the rest of the batch was done);
2 for an error that stops the command (bad store, bad option).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

_STORE = click.option("--store", "store", default=None, metavar="FILE",
                      help="Evidence store (default: $TRADEPACT_EVIDENCE_DB or "
                           "~/.local/share/tradepact/evidence.db; readers fall back to the "
                           "store shipped with the package).")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
_WORKERS = click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                        help="Processes that read and extract pages.")


def _user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a user error as one paragraph on stderr and exit with 2."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..core.errors import TradepactError
        try:
            return fn(*args, **kwargs)
        except TradepactError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(2) from None
    return wrapper


def _report_failures(failed: list) -> None:
    for f in failed:
        click.echo(f"error: {f.error}", err=True)
    if failed:
        click.echo(f"{len(failed)} file(s) failed: " + ", ".join(f.file for f in failed), err=True)
        raise SystemExit(1)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group("evidence")
def evidence() -> None:
    """News as evidence: reports, the claims in them, and the parameters they bear on."""


@evidence.command("extract")
@click.argument("files", nargs=-1, required=True)
@_WORKERS
@_JSON
@_user_errors
def extract_cmd(files: tuple[str, ...], workers: int, as_json: bool) -> None:
    """Extract the claims of FILES (or folders) without storing anything."""
    from ..evidence.pipeline import extract_paths
    docs, failed = extract_paths(files, workers=workers)
    if as_json:
        _echo_json({"documents": docs})
    else:
        for d in docs:
            click.echo(f"{d['file']}: {d['title']} ({d['publisher'] or '?'}, "
                       f"{d['published'] or 'undated'})")
            for c in d["claims"]:
                click.echo(f"  {c['kind']:<18} {c['value']:>10g} {c['unit']:<16} {c['partner'] or '-':<4} "
                           f"{c['scope'] or '-':<22} {c['attributed_to'] or 'third party'}")
    _report_failures(failed)


@evidence.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@_STORE
@_WORKERS
@_JSON
@_user_errors
def ingest_cmd(paths: tuple[str, ...], store: str | None, workers: int, as_json: bool) -> None:
    """Store the pages in PATHS (files or folders) and their claims."""
    from ..evidence.pipeline import ingest_paths
    from ..evidence.store import EvidenceStore, resolve_store
    target = resolve_store(store, for_writing=True)
    with EvidenceStore(target) as st:
        report = ingest_paths(paths, st, workers=workers)
        docs, claims = st.counts()
    if as_json:
        _echo_json({"store": str(target), **report.to_dict()})
    else:
        click.echo(f"{target}: {len(report.added)} added, {len(report.unchanged)} already stored, "
                   f"{len(report.failed)} failed; the store holds {docs} documents, {claims} claims")
    _report_failures(report.failed)


@evidence.command("list")
@_STORE
@_JSON
@_user_errors
def list_cmd(store: str | None, as_json: bool) -> None:
    """List the stored documents."""
    from ..evidence.store import EvidenceStore, resolve_store
    with EvidenceStore(resolve_store(store, for_writing=False), readonly=True) as st:
        docs = st.documents()
    if as_json:
        _echo_json({"documents": [d.to_dict() for d in docs]})
        return
    from rich.console import Console
    from rich.table import Table
    table = Table("id", "published", "publisher", "title", "claims")
    for d in docs:
        table.add_row(str(d.id), d.published.isoformat() if d.published else "-", d.publisher or "-",
                      (d.title or d.file)[:70], str(d.claims))
    Console().print(table)


@evidence.command("check")
@_STORE
@click.option("--on", "on", default=None, metavar="DATE", help="Check the values in force on DATE.")
@click.option("--path", "prefix", default=None, help="Only parameters under this dotted path.")
@_JSON
@_user_errors
def check_cmd(store: str | None, on: str | None, prefix: str | None, as_json: bool) -> None:
    """Hold every parameter that declares evidence against the stored claims."""
    from ..evidence.check import check_all
    from ..evidence.store import EvidenceStore, resolve_store
    with EvidenceStore(resolve_store(store, for_writing=False), readonly=True) as st:
        results = check_all(st, on=on)
    if prefix:
        results = [r for r in results if r.path == prefix or r.path.startswith(prefix + ".")]
    if as_json:
        _echo_json({"parameters": [r.to_dict() for r in results]})
        return
    for r in results:
        flag = "  FLAGGED: an assumption the evidence contradicts" if r.flagged else ""
        click.echo(f"{r.path} = {r.value:g} {r.unit} on {r.date.isoformat()} ({r.status}): "
                   f"{len(r.supports)} support, {len(r.contradicts)} contradict, "
                   f"{len(r.proposals)} about proposals{flag}")
        for label, items in (("+", r.supports), ("-", r.contradicts), ("~", r.proposals)):
            for f in items:
                extra = f" -> {f.proposal_path}" if f.proposal_path else ""
                click.echo(f"   {label} {f.compared_value:g}{extra}  {f.sentence()[:220]}")


@evidence.command("timeline")
@click.option("--kind", required=True, help="Claim kind, e.g. cash_annual.")
@click.option("--partner", default=None, help="Partner code, e.g. KOR.")
@click.option("--scope", default=None, help="Scope, e.g. autos or before_recoup.")
@click.option("--chart", default=None, metavar="FILE", help="Also draw a step chart (PNG/SVG).")
@_STORE
@_JSON
@_user_errors
def timeline_cmd(kind: str, partner: str | None, scope: str | None, chart: str | None,
                 store: str | None, as_json: bool) -> None:
    """How a figure moved: who said what, and when."""
    from ..core.errors import Location, with_value
    from ..evidence.models import KINDS
    from ..evidence.store import EvidenceStore, resolve_store
    from ..evidence.timeline import step_chart, timeline
    if kind not in KINDS:
        raise with_value("unknown claim kind", location=Location(field="--kind"), value=kind,
                         expected="one of " + ", ".join(KINDS))
    with EvidenceStore(resolve_store(store, for_writing=False), readonly=True) as st:
        tl = timeline(st, kind, partner, scope)
    if chart:
        step_chart(tl, chart)
    if as_json:
        _echo_json(tl.to_dict())
        return
    from rich.console import Console
    from rich.table import Table
    table = Table("date", "said by", "value", "scope", "publisher", "sentence")
    for row in tl.to_dict()["rows"] + tl.to_dict()["undated"]:
        table.add_row(row["date"] or "undated", row["said_by"], f"{row['value']:g}",
                      row["scope"] or "-", row["publisher"] or "-", row["quote"][:90])
    console = Console()
    console.print(table)
    if tl.final:
        console.print(f"final: {tl.final['value']:g} ({tl.final['path']}, from {tl.final['date']})")


#: The name the main CLI's lazy loader looks for.
evidence_cmd = evidence

if __name__ == "__main__":  # pragma: no cover
    sys.exit(evidence.main(standalone_mode=True))
