"""Server-rendered pages: overview, deal designer, tariff explorer, negotiation map, sources.

Pages render results of the studies (cached in :class:`~.state.WebState`)
with Jinja; the charts are drawn in the browser by plotly.js (served from the
plotly package) from JSON embedded in the page or fetched from the API.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from ...core.scenario import load_scenario_text
from ...results.assessment import HEADLINE
from ..format import format_value
from ..labels import partner_label, scenario_title
from .designer import FIELDS, Design, default_design
from .i18n import LANGS, krw_of, translator
from .state import WebState

router = APIRouter(include_in_schema=False)

#: Headline rows of the overview (the rest are in the report).
OVERVIEW_KEYS = ("pledge_usd_bn", "cash_pledge_usd_bn", "peak_annual_reserve_funded_outflow_usd_bn",
                 "peak_annual_cash_outflow_usd_bn", "years_over_capacity", "investor_npv_usd_bn",
                 "deal_npv_investor_usd_bn", "deal_npv_host_usd_bn", "investor_irr", "recoup_year",
                 "min_reserves_usd_bn", "tariff_savings_usd_bn_per_year")
#: Yearly series the designer draws.
DESIGN_SERIES = ("reserves_usd_bn", "baseline_reserves_usd_bn", "reserve_funded_outflow_usd_bn",
                 "cash_outflow_usd_bn", "usd_supply_capacity_usd_bn")


def _state(request: Request) -> WebState:
    return request.app.state.web


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"t": translator(lang), "lang": lang, "party": partner_label,
                                                      "krw": krw_of, "page": name.removesuffix(".html"),
                                                      **context})


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _fx(assessment: Any) -> float | None:
    """The won-dollar rate the assessment read (KRW per USD), if the investor is Korea."""
    for u in assessment.sources:
        if u.path.endswith("exchange_rate_krw_per_usd"):
            return float(u.value)
    return None


def headline_rows(items: list[Any], t: Any) -> list[dict[str, Any]]:
    """Overview table rows: label, unit and each scenario's formatted value (KRW beside USD for Korea)."""
    rows = []
    for key in OVERVIEW_KEYS:
        label, unit, _ = HEADLINE[key]
        cells = []
        for a in items:
            v = a.headline.get(key)
            text = format_value(key, v)
            fx = _fx(a) if unit == "USD bn" else None
            cells.append({"text": text, "krw": krw_of(v, fx) if fx else None})
        rows.append({"key": key, "label": t(label), "unit": unit, "cells": cells})
    return rows


# ---------------------------------------------------------------- pages
@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    st = _state(request)
    t = translator(_lang(request))
    items = [st.assessment_of(n) for n in st.overview_names]
    verdicts = [st.verdict_of(n) for n in st.overview_names]
    others = [{"name": n, "title": scenario_title(n)} for n in st.shipped
              if n not in st.overview_names and not n.endswith("_uncertain")]
    chart = {"names": [a.title for a in items],
             "years": [list(map(int, a.annual["year"])) for a in items],
             "reserve_out": [[_clean(float(x)) for x in a.annual["reserve_funded_outflow_usd_bn"]] for a in items],
             "total_out": [[_clean(float(x)) for x in a.annual["cash_outflow_usd_bn"]] for a in items],
             "capacity": [_clean(float(x)) for x in items[0].annual["usd_supply_capacity_usd_bn"]]}
    return _render(request, "overview.html", items=items, verdicts=verdicts, rows=headline_rows(items, t),
                   others=others, chart=json.dumps(chart))


@router.get("/designer", response_class=HTMLResponse)
def designer(request: Request) -> HTMLResponse:
    st = _state(request)
    base = default_design(st.assessment_of("us_kr_2025/final"), st.tree)
    design = Design.from_query(request.query_params, base)
    fields = [{"key": k, "label": translator(_lang(request))(lab), "low": lo, "high": hi, "step": step,
               "value": getattr(design, k)} for k, (lab, lo, hi, step) in FIELDS.items()]
    return _render(request, "designer.html", fields=fields, design=design,
                   fdi_of_rest=(base.fdi_share / (1 - base.guarantee_share)) if base.guarantee_share < 1 else 0.5)


@router.get("/designer/scenario.yaml", response_class=PlainTextResponse)
def designer_yaml(request: Request) -> PlainTextResponse:
    st = _state(request)
    design = Design.from_query(request.query_params, default_design(st.assessment_of("us_kr_2025/final"), st.tree))
    return PlainTextResponse(design.yaml(), media_type="application/yaml",
                             headers={"Content-Disposition": 'attachment; filename="designed_deal.yaml"'})


@router.get("/tariffs", response_class=HTMLResponse)
def tariffs(request: Request) -> HTMLResponse:
    return _render(request, "tariffs.html")


@router.get("/negotiation", response_class=HTMLResponse)
def negotiation(request: Request) -> HTMLResponse:
    st = _state(request)
    base = default_design(st.assessment_of("us_kr_2025/final"), st.tree)
    return _render(request, "negotiation.html",
                   fdi_of_rest=(base.fdi_share / (1 - base.guarantee_share)) if base.guarantee_share < 1 else 0.5)


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request) -> HTMLResponse:
    return _render(request, "sources.html")


# ---------------------------------------------------------------- designer recompute
def design_payload(st: WebState, values: dict[str, Any], *, draws: int = 0, seed: int = 0) -> dict[str, Any]:
    """One evaluation of the designed scenario: its YAML, verdict, headline and yearly paths."""
    from ...resolve import resolve
    from ...results.assessment import ScenarioAssessment
    from ...studies.assess import evaluate
    from ...studies.verdict import scenario_verdict
    base = default_design(st.assessment_of("us_kr_2025/final"), st.tree)
    design = Design.from_query(values, base)
    text = design.yaml()
    sc = load_scenario_text(text, "<designer>")
    outcome = evaluate(resolve(sc, st.tree))
    a = ScenarioAssessment.from_outcome(outcome)
    v = scenario_verdict(sc, n_draws=draws, seed=seed, with_tornado=False, tree=st.tree, outcome=outcome)
    fx = design.exchange_rate_krw_per_usd
    annual = {k: [_clean(float(x)) for x in a.annual[k]] for k in DESIGN_SERIES}
    return {"yaml": text, "query": design.query(), "verdict": v.to_dict(),
            "headline": {k: _clean(a.headline.get(k)) for k in OVERVIEW_KEYS},
            "headline_text": {k: format_value(k, a.headline.get(k)) for k in OVERVIEW_KEYS},
            "labels": {k: HEADLINE[k][:2] for k in OVERVIEW_KEYS},
            "krw_per_usd": fx,
            "years": [int(y) for y in a.annual["year"]], "annual": annual}
