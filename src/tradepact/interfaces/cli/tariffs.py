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


def _day(text: str) -> str:
    """The ``--date`` option checked: an ISO date in the documented years."""
    from ...core import limits
    from ...core.dates import date_field
    from ...core.errors import Location, with_value
    day = date_field(text, "--date")
    if not limits.YEAR_MIN <= day.year <= limits.YEAR_MAX:
        raise with_value("date out of range", location=Location(field="--date"), value=str(text)[:40],
                         expected=f"a date from {limits.YEAR_MIN} to {limits.YEAR_MAX}")
    return day.isoformat()


@tariffs_cmd.command("regimes")
@click.option("--json", "as_json", is_flag=True)
def regimes(as_json: bool) -> None:
    """Named tariff regimes (a scenario's tariffs.with_deal and tariffs.without_deal)."""
    from ...resolve.tariff_files import default_tariff_system
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
@click.option("--lines", "show_lines", is_flag=True,
              help="Also each HTS10 line's trade weight and rate (JSON: 'lines').")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (rates as fractions).")
def rate(partner: str, hs: str, on: str, regime: str | None, method: str, show_lines: bool, as_json: bool) -> None:
    """Total rate and each authority's part, with the measures and references behind it.

    A code shorter than an HTS10 line is the mean over its lines weighted by the
    partner's 2024 imports (basis ``trade_weighted``), or their simple mean when the
    partner has none (``simple_mean``); an HTS10 line is ``exact``."""
    from ...studies.tariffs import TariffEngine
    on = _day(on)
    result = TariffEngine(regime=regime, method=method).rate(partner, hs, on)
    if as_json:
        from ..export import dumps
        click.echo(dumps(result.to_dict(lines=show_lines), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table
    x = result.explanation
    con = Console()
    basis = x.basis if x.basis == "exact" else f"{x.basis} over {len(x.lines)} lines"
    t = Table(title=f"{x.partner} · HS {x.hs} · {x.on} · regime {x.regime} · basis {basis}")
    t.add_column("authority")
    t.add_column("rate", justify="right")
    for row in result.frame().itertuples():
        label = f"[bold]{row.label}[/bold]" if row.authority == "total" else row.label
        t.add_row(label, pct(row.rate))
    con.print(t)
    if show_lines:
        lt = Table(title="HTS lines (weight: share of the partner's 2024 imports, or equal)")
        for c in ("line", "weight", "rate"):
            lt.add_column(c, justify="left" if c == "line" else "right")
        for ln in x.lines:
            lt.add_row(ln["hs"], pct(ln["weight"]), pct(ln["total_rate"]))
        con.print(lt)
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
@click.option("--by", type=click.Choice(["partner", "sector", "hs2", "authority"]), default="partner",
              show_default=True, help="Rows: partner (with ALL), sector (NAICS groups), HS chapter, authority.")
@click.option("--partner", "partners", multiple=True,
              help="Only this partner, ISO alpha-3 (repeat for several; default all).")
@click.option("--regime", default=None)
@click.option("--method", default="legal", type=click.Choice(["legal", "additive"]), show_default=True)
@click.option("--json", "as_json", is_flag=True)
def etr(on: str, data: Path | None, by: str, partners: tuple[str, ...], regime: str | None, method: str,
        as_json: bool) -> None:
    """Effective tariff rates and duties by partner, sector, HS chapter or authority."""
    from ...io.frame import read_import_csv
    from ...studies.tariffs import TariffEngine
    on = _day(on)
    imports = read_import_csv(data) if data is not None else None
    result = TariffEngine(regime=regime, method=method).effective_rates(on, by=by, imports=imports,
                                                                           partners=list(partners) or None)
    if as_json:
        from ..export import dumps
        click.echo(dumps(result.to_dict()))
        return
    from rich.console import Console
    from rich.table import Table
    only = f" · partners {', '.join(p.upper() for p in partners)}" if partners else ""
    t = Table(title=f"Effective tariff rates by {by} · {result.on} · regime {result.regime}{only}")
    t.add_column(by)
    t.add_column("customs value (USD bn)", justify="right")
    t.add_column("duties (USD bn)", justify="right")
    t.add_column("ETR", justify="right")
    for r in result.frame().to_dict(orient="records"):
        t.add_row(str(r[by]), f"{r['customs_value'] / 1e9:,.2f}", f"{r['duty'] / 1e9:,.2f}",
                  pct(None if r["etr"] != r["etr"] else r["etr"]))
    Console().print(t)
