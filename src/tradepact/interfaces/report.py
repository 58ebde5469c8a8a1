"""The HTML report: headline table, charts, tranches, provenance. Renders only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape

from ..results.assessment import HEADLINE, Assessment
from .format import format_value
from .labels import sector_label
from .charts import all_charts, rate_timeline_chart
from .export import report_folder, tables_into


def _uncertainty_section(simulations: Any) -> dict[str, Any] | None:
    """Quantile and probability tables and charts of a Monte Carlo run (optional)."""
    if simulations is None:
        return None
    from .charts import fan_chart, payoff_chart
    results = list(getattr(simulations, "results", simulations))
    keys = ["investor_npv_usd_bn", "deal_npv_investor_usd_bn", "deal_npv_host_usd_bn", "recoup_year",
            "peak_annual_reserve_funded_outflow_usd_bn", "years_over_capacity", "min_reserves_usd_bn"]
    labels = {k: HEADLINE[k][0] for k in keys}
    rows = []
    for k in keys:
        cells = []
        for r in results:
            q = r.quantiles(keys=[k]).iloc[0]
            cells.append(" / ".join(_fmt(k, q[c]) for c in ("p5", "p50", "p95")))
        rows.append((labels[k], cells))
    probs = [(k.replace("_", " "), [f"{r.probabilities[k]:.1%}" for r in results])
             for k in results[0].probabilities] if results else []
    return {"results": results, "rows": rows, "probabilities": probs,
            "fan": fan_chart(results), "payoffs": payoff_chart(results)}


def _fmt(key: str, v: float) -> str:
    if v == float("inf"):
        return "never"
    if v == float("-inf"):
        return "none"
    if key in HEADLINE:
        return format_value(key, v)
    return f"{v:,.1f}"


def _zone_section(zone: Any) -> dict[str, Any] | None:
    """Frontier chart and tables of a zone of possible agreement (optional)."""
    if zone is None:
        return None
    from .charts import frontier_chart
    return {"zone": zone, "chart": frontier_chart(zone), "proposals": zone.proposals,
            "frontier": zone.frontier_points(zone_only=True), "nash": zone.nash}


def _tariff_sections(assessment: Assessment) -> list[dict[str, Any]]:
    """One section per pair of tariff regimes: sectors in the pledge's first two
    years and the automakers' modelled bills beside their disclosed costs."""
    out = []
    for (with_deal, without_deal), members in assessment.tariff_groups():
        s = members[0]
        y1 = int(s.annual["year"].min())
        first, second = s.tariff_sectors(y1), s.tariff_sectors(y1 + 1)
        rows = [(sector, [f"{first.at[sector, c]:,.2f}" for c in first.columns]
                 + [f"{second.at[sector, 'tariff_savings_usd_bn']:,.2f}"]) for sector in first.index]
        firms = [(y, s.firm_tariffs(y)) for y in s.disclosure_years]
        out.append({"with_deal": with_deal, "without_deal": without_deal, "names": [m.name for m in members],
                    "timeline": rate_timeline_chart(s.rate_timeline),
                    "year": y1, "rows": rows, "firms": firms,
                    "basis": sorted(set(s.tariffs.loc[s.tariffs["year"].isin([y1, y1 + 1]), "basis"]))})
    return out


def _verdict_section(verdict: Any) -> list[dict[str, Any]] | None:
    """The verdict block at the top of the report: one card per scenario (optional)."""
    if verdict is None:
        return None
    from ..results.verdict import party_name
    return [{"v": s, "sides": [(party_name(x.party), x) for x in s.sides],
             "drivers": s.drivers("investor")} for s in verdict.scenarios]


def _evidence_section(evidence: Any) -> dict[str, Any] | None:
    """Documents, the timeline chart, contradictions and supporting sentences (optional)."""
    if evidence is None:
        return None
    from .charts import evidence_timeline_chart
    chart = evidence_timeline_chart(evidence.timeline) if evidence.timeline is not None and \
        evidence.timeline.series else None
    return {"report": evidence, "chart": chart, "sentences": evidence.sentences()}


def _peers_section(assessment: Assessment) -> Any:
    """The deals side by side when the assessment covers more than one investor."""
    from ..results.peers import peer_comparison
    investors = {s.name.split("/")[0] for s in assessment.scenarios}
    return peer_comparison(assessment) if len(investors) > 1 else None


def _peer_columns() -> dict:
    from ..results.peers import PEER_COLUMNS
    return PEER_COLUMNS


def _bytecode_cache() -> Any:
    """Compiled templates kept in the disk cache (Jinja checks each against its
    source's checksum and the Python version); none if the cache is off or
    its folder is not the user's own and closed to others (compiled code runs)."""
    import os
    import stat

    from ..core.yamlfast import cache_dir
    root = cache_dir()
    if root is None:
        return None
    folder = root / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None
    return FileSystemBytecodeCache(str(folder))


def render_html(assessment: Assessment, *, simulations: Any = None, zone: Any = None,
                verdict: Any = None, evidence: Any = None) -> str:
    """The report; ``simulations`` (a SimulationSet or list of SimulationResult) adds
    the uncertainty section with fan charts, ``zone`` (a ZoneOfAgreement) the
    negotiation section with the frontier chart."""
    env = Environment(loader=PackageLoader("tradepact.interfaces", "templates"),
                      autoescape=select_autoescape(["html"]), bytecode_cache=_bytecode_cache())
    rows = [(HEADLINE[k][0], HEADLINE[k][1],
             [format_value(k, s.headline.get(k)) for s in assessment.scenarios]) for k in HEADLINE]
    return env.get_template("report.html").render(
        a=assessment, rows=rows, charts=all_charts(assessment), tariffs=_tariff_sections(assessment),
        uncertainty=_uncertainty_section(simulations), negotiation=_zone_section(zone),
        verdict=_verdict_section(verdict), titles={s.name: s.title for s in assessment.scenarios},
        sector_label=sector_label, evidence=_evidence_section(evidence), peers=_peers_section(assessment),
        peer_columns=_peer_columns())


def write_report(assessment: Assessment, out: Path | str, *, simulations: Any = None,
                 zone: Any = None, verdict: Any = None, evidence: Any = None, excel: bool = True) -> Path:
    """Write index.html plus JSON/CSV tables (and the Excel workbook if
    ``excel``) into ``out`` as a whole (a temporary sibling folder swapped in
    at the end, under a lock; see :mod:`.export`); return the HTML path."""
    html = render_html(assessment, simulations=simulations, zone=zone, verdict=verdict, evidence=evidence)
    with report_folder(out) as tmp:
        tables_into(assessment, tmp, excel=excel)
        (tmp / "index.html").write_text(html, encoding="utf-8")
    return Path(out) / "index.html"
