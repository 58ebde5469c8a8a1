"""Terminal tables of results (rich). Renders only: every figure comes from a result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from ..results.assessment import HEADLINE, Assessment

if TYPE_CHECKING:  # pragma: no cover
    from ..results.verdict import Verdict
from .format import format_value


def columns(a: Assessment) -> tuple[str, list[str]]:
    """A common name prefix (for the title) and short column names."""
    heads = {s.name.rpartition("/")[0] for s in a.scenarios}
    if len(heads) == 1 and next(iter(heads)):
        return f" ({next(iter(heads))})", [s.name.rpartition("/")[2] for s in a.scenarios]
    return "", a.names


def headline_table(a: Assessment) -> Table:
    suffix, names = columns(a)
    t = Table(title="Pledge designs side by side" + suffix, title_justify="left")
    t.add_column("Figure")
    for name in names:
        t.add_column(name, justify="right")
    for key, (label, unit, _) in HEADLINE.items():
        t.add_row(f"{label} [dim]({unit})[/dim]", *[format_value(key, s.headline.get(key))
                                                   for s in a.scenarios])
    return t


def annual_table(a: Assessment) -> Table:
    _, names = columns(a)
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


def tariff_tables(a: Assessment, last_year: int) -> list[Table]:
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


def year_ranges(years: "tuple[int, ...] | list[int]") -> str:
    """Years as ranges: (2026, 2027, 2028, 2031) → "2026-28, 2031"."""
    out: list[str] = []
    ys = sorted(years)
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(str(ys[i]) if i == j else f"{ys[i]}-{str(ys[j])[-2:]}")
        i = j + 1
    return ", ".join(out)


def verdict_table(v: "Verdict") -> Table:
    """The verdict first: each side better or worse off than no deal, how likely, and the reserve test.
    Fits 80 columns."""
    from ..results.verdict import party_name
    first = v.scenarios[0]
    inv = party_name(first.investor.party).removeprefix("the ")
    host = party_name(first.host.party).removeprefix("the ")
    draws = next((s.n_draws for s in v.scenarios if s.n_draws), 0)
    t = Table(title="Verdict: payoff against no deal (PV, USD bn)"
                    + (f"; P over {draws:,} draws" if draws else ""), title_justify="left")
    t.add_column("Scenario", ratio=1)
    t.add_column(inv, justify="right", no_wrap=True)
    t.add_column("P(better)", justify="right", no_wrap=True)
    t.add_column(host, justify="right", no_wrap=True)
    t.add_column("Reserves ≤ capacity", no_wrap=True)
    for s in v.scenarios:
        p = s.investor.probability_better_off
        test = "[green]yes[/green]" if s.stress_test_holds else f"[red]no: {year_ranges(s.failing_years)}[/red]"
        t.add_row(s.title, f"{s.investor.deal_npv_usd_bn:+,.1f}", "n/a" if p is None else f"{p * 100:.0f} %",
                  f"{s.host.deal_npv_usd_bn:+,.1f}", test)
    return t


def verdict_lines(v: "Verdict") -> list[str]:
    """One sentence per scenario (with its title)."""
    return [f"[bold]{s.title}[/bold]: {s.sentence}" for s in v.scenarios]
