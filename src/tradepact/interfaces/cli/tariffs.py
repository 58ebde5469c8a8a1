"""``tradepact tariffs …``: US tariff rates by authority, effective rates, regimes.

Renders :class:`~tradepact.results.tariffs.TariffRate` and
:class:`~tradepact.results.tariffs.EffectiveRates`; the JSON is their ``to_dict()``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..format import pct


@click.group("tariffs")
def tariffs_cmd() -> None:
    """US tariff rates, duties and effective tariff rates by authority."""


@tariffs_cmd.command("regimes")
@click.option("--json", "as_json", is_flag=True)
def regimes(as_json: bool) -> None:
    """Named tariff regimes (a scenario's tariffs.with_deal and tariffs.without_deal)."""
    from ...io.tariff_data import default_tariff_system
    system = default_tariff_system()
    rows = [{"name": r.name, "default": r.name == system.default_regime, "description": r.description,
             "enable": list(r.enable), "disable": list(r.disable)} for r in system.regimes.values()]
    if as_json:
        click.echo(json.dumps({"coverage": str(system.coverage), "regimes": rows}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    t = Table(title=f"Tariff regimes (measures cover {system.coverage})", title_justify="left")
    t.add_column("regime")
    t.add_column("description")
    for r in rows:
        t.add_row(r["name"] + (" (default)" if r["default"] else ""), r["description"])
    Console().print(t)


@tariffs_cmd.command("rate")
@click.option("--partner", required=True, help="Exporter, ISO alpha-3 (KOR).")
@click.option("--hs", required=True, help="HS code, 2 to 10 digits (870323).")
@click.option("--date", "on", required=True, help="ISO date (2025-10-01).")
@click.option("--regime", default=None, help="Named regime (default: enacted).")
@click.option("--method", default="legal", type=click.Choice(["legal", "additive"]), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (rates as fractions).")
def rate(partner: str, hs: str, on: str, regime: str | None, method: str, as_json: bool) -> None:
    """Total rate and each authority's part, with the measures and references behind it."""
    from ...studies.tariffs import TariffEngine
    result = TariffEngine(regime=regime, method=method).rate(partner, hs, on)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
        return
    from rich.console import Console
    from rich.table import Table
    x = result.explanation
    con = Console()
    t = Table(title=f"{x.partner} · HS {x.hs} · {x.on} · regime {x.regime}")
    t.add_column("authority")
    t.add_column("rate", justify="right")
    for row in result.frame().itertuples():
        label = f"[bold]{row.label}[/bold]" if row.authority == "total" else row.label
        t.add_row(label, pct(row.rate))
    con.print(t)
    m = Table(title="measures")
    for c in ("id", "kind", "rate", "from", "to", "applies"):
        m.add_column(c)
    for r in x.measures:
        m.add_row(r["id"], r["kind"], "" if r["rate"] is None else pct(r["rate"]),
                  r["legal_effective"], r["ends"] or "", "yes" if r["contributes"] else "excluded/zero")
    con.print(m)
    for rule, text in x.stacking_rules.items():
        con.print(f"stacking {rule}: {text}", highlight=False)
    for i, ref in enumerate(x.references, 1):
        con.print(f"[{i}] {ref.short()} — {ref.pinpoint} <{ref.href}>", highlight=False)


@tariffs_cmd.command("etr")
@click.option("--date", "on", required=True, help="ISO date.")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="CSV with product, partner, period, customs_value (default: shipped trade data).")
@click.option("--by", type=click.Choice(["sector", "partner"]), default="partner", show_default=True)
@click.option("--regime", default=None)
@click.option("--method", default="legal", type=click.Choice(["legal", "additive"]), show_default=True)
@click.option("--json", "as_json", is_flag=True)
def etr(on: str, data: Path | None, by: str, regime: str | None, method: str, as_json: bool) -> None:
    """Effective tariff rates and duties by partner or sector."""
    from ...io.frame import read_import_csv
    from ...studies.tariffs import TariffEngine
    imports = read_import_csv(data) if data is not None else None
    result = TariffEngine(regime=regime, method=method).effective_rates(on, by=by, imports=imports)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False))
        return
    from rich.console import Console
    from rich.table import Table
    t = Table(title=f"Effective tariff rates by {by} · {result.on} · regime {result.regime}")
    t.add_column(by)
    t.add_column("customs value (USD bn)", justify="right")
    t.add_column("duties (USD bn)", justify="right")
    t.add_column("ETR", justify="right")
    for r in result.frame().to_dict(orient="records"):
        t.add_row(str(r[by]), f"{r['customs_value'] / 1e9:,.2f}", f"{r['duty'] / 1e9:,.2f}",
                  pct(None if r["etr"] != r["etr"] else r["etr"]))
    Console().print(t)
