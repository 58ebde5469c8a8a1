"""``tradepact tariffs …``: a thin click group over the tariff engine.

The lead registers :data:`tariffs` under the main command
(``main.add_command(tariffs)``). Errors are :class:`TradepactError`
subclasses; the main CLI prints them without a traceback and exits 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import polars as pl
from rich.console import Console
from rich.table import Table

from ..core.errors import InputFileError, Location
from ..io.frame import ImportFrame
from .data import load_trade_table
from .engine import TariffEngine
from .measures import AUTHORITIES, AUTHORITY_LABELS


def _engine(regime: str | None, method: str) -> TariffEngine:
    return TariffEngine(regime=regime, method=method)


def _pct(x: float) -> str:
    return f"{x * 100:.2f} %"


@click.group("tariffs")
def tariffs() -> None:
    """US tariff rates, duties and effective tariff rates by authority."""


@tariffs.command("regimes")
@click.option("--json", "as_json", is_flag=True)
def regimes(as_json: bool) -> None:
    """Named tariff regimes (a scenario's tariffs.with_deal and tariffs.without_deal)."""
    from .measures import default_tariff_system
    system = default_tariff_system()
    rows = [{"name": r.name, "default": r.name == system.default_regime, "description": r.description,
             "enable": list(r.enable), "disable": list(r.disable)} for r in system.regimes.values()]
    if as_json:
        click.echo(json.dumps({"coverage": str(system.coverage), "regimes": rows}, indent=2))
        return
    t = Table(title=f"Tariff regimes (measures cover {system.coverage})", title_justify="left")
    t.add_column("regime")
    t.add_column("description")
    for r in rows:
        t.add_row(r["name"] + (" (default)" if r["default"] else ""), r["description"])
    Console().print(t)


@tariffs.command("rate")
@click.option("--partner", required=True, help="Exporter, ISO alpha-3 (KOR).")
@click.option("--hs", required=True, help="HS code, 2 to 10 digits (870323).")
@click.option("--date", "on", required=True, help="ISO date (2025-10-01).")
@click.option("--regime", default=None, help="Named regime (default: enacted).")
@click.option("--method", default="legal", type=click.Choice(["legal", "additive"]), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (rates as fractions).")
def rate(partner: str, hs: str, on: str, regime: str | None, method: str, as_json: bool) -> None:
    """Total rate and each authority's part, with the measures and references behind it."""
    x = _engine(regime, method).explain(partner, hs, on)
    if as_json:
        click.echo(json.dumps(x.to_dict(), indent=2, ensure_ascii=False))
        return
    con = Console()
    t = Table(title=f"{x.partner} · HS {x.hs} · {x.on} · regime {x.regime}")
    t.add_column("authority")
    t.add_column("rate", justify="right")
    for a in AUTHORITIES:
        if x.by_authority[a] != 0.0:
            t.add_row(AUTHORITY_LABELS[a], _pct(x.by_authority[a]))
    t.add_row("[bold]total[/bold]", f"[bold]{_pct(x.total_rate)}[/bold]")
    con.print(t)
    m = Table(title="measures")
    for c in ("id", "kind", "rate", "from", "to", "applies"):
        m.add_column(c)
    for r in x.measures:
        m.add_row(r["id"], r["kind"], "" if r["rate"] is None else _pct(r["rate"]),
                  r["legal_effective"], r["ends"] or "", "yes" if r["contributes"] else "excluded/zero")
    con.print(m)
    for rule, text in x.stacking_rules.items():
        con.print(f"stacking {rule}: {text}", highlight=False)
    for i, ref in enumerate(x.references, 1):
        con.print(f"[{i}] {ref.short()} — {ref.pinpoint} <{ref.href}>", highlight=False)


@tariffs.command("etr")
@click.option("--date", "on", required=True, help="ISO date.")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="CSV with product, partner, period, customs_value (default: shipped 2024 table).")
@click.option("--by", type=click.Choice(["sector", "partner"]), default="partner", show_default=True)
@click.option("--regime", default=None)
@click.option("--method", default="legal", type=click.Choice(["legal", "additive"]), show_default=True)
@click.option("--json", "as_json", is_flag=True)
def etr(on: str, data: Path | None, by: str, regime: str | None, method: str, as_json: bool) -> None:
    """Effective tariff rates and duties by partner or sector."""
    if data is None:
        imports = load_trade_table().imports
    else:
        if not data.exists():
            raise InputFileError("file not found", location=Location(str(data)),
                                 expected="a CSV with product, partner, period, customs_value")
        df = pl.read_csv(data, schema_overrides={"product": pl.Utf8, "partner": pl.Utf8})
        imports = ImportFrame.from_polars(df, source=str(data))
    result = _engine(regime, method).apply(imports, on)
    table = result.etr(by)
    if as_json:
        rows = [{by: r[by], "customs_value_usd": r["customs_value"], "duty_usd": r["duty"], "etr": r["etr"]}
                for r in table.iter_rows(named=True)]
        click.echo(json.dumps({"date": result.on.isoformat(), "regime": result.regime, "by": by,
                               "rows": rows}, indent=2))
        return
    t = Table(title=f"Effective tariff rates by {by} · {result.on} · regime {result.regime}")
    t.add_column(by)
    t.add_column("customs value (USD bn)", justify="right")
    t.add_column("duties (USD bn)", justify="right")
    t.add_column("ETR", justify="right")
    for r in table.iter_rows(named=True):
        etr_v = r["etr"]
        t.add_row(str(r[by]), f"{r['customs_value'] / 1e9:,.2f}", f"{r['duty'] / 1e9:,.2f}",
                  "n/a" if etr_v is None else _pct(etr_v))
    Console().print(t)
