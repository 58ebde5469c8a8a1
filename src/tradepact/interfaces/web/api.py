"""The JSON API, ``/api/v1``: the same documents as the CLI's ``--json``.

``assess`` returns ``Assessment.to_dict()`` (``tradepact assess --json``),
``tariffs/rate`` and ``tariffs/etr`` return ``TariffRate.to_dict()`` and
``EffectiveRates.to_dict()``, ``params/{path}`` the ``params show --json``
document; ``simulate`` and ``zopa`` run as jobs whose result is the
``simulate --json`` / ``zopa --json`` document. A few more routes serve the
web pages (verdict, designer, HS search, rate timeline, parameter search).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ... import __version__
from ...core.errors import Location, TradepactError, with_value
from .state import MAX_DRAWS, MAX_SCENARIOS, MAX_ZOPA_DRAWS, WebState

router = APIRouter(prefix="/api/v1", tags=["api"])
ERRORS = {400: {"description": "Bad input: `{\"error\": \"<one paragraph>\", \"field\": \"<field or null>\"}`"}}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenariosBody(_Body):
    scenarios: list[str] | None = Field(None, max_length=MAX_SCENARIOS, examples=[["us_kr_2025/final"]],
                                        description="Shipped scenario names")
    scenario_yaml: str | None = Field(None, max_length=100_000,
                                      description="One scenario's YAML text; `base:` may name only a shipped "
                                                  "scenario and no distribution may read a file")


class VerdictBody(ScenariosBody):
    draws: int = Field(10_000, ge=0, le=MAX_DRAWS, description="Monte Carlo draws behind P(better off); 0: none")
    seed: int = Field(0, ge=0, le=2**32 - 1)
    tornado: bool = Field(True, description="Swing each uncertain parameter to find the drivers")


class SimulateBody(ScenariosBody):
    draws: int = Field(10_000, ge=1, le=MAX_DRAWS)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    uncertainty: str | None = Field("us_kr_2025/final_uncertain",
                                    description="Shipped scenario whose uncertainty applies to scenarios "
                                                "without their own; null: none")


class ZopaBody(_Body):
    base: str = Field("us_kr_2025/final", description="Shipped base scenario")
    proposals: list[str] | None = Field(None, max_length=MAX_SCENARIOS,
                                        description="Shipped scenarios to place (default: the four US–Korea ones)")
    draws: int = Field(0, ge=0, le=MAX_ZOPA_DRAWS)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    refine: int = Field(4, ge=0, le=16)
    fix: dict[str, float] = Field(default_factory=dict)


class DesignBody(_Body):
    values: dict[str, float] = Field(default_factory=dict, description="Designer fields (see /designer)")
    draws: int = Field(0, ge=0, le=5_000)
    seed: int = Field(0, ge=0, le=2**32 - 1)


def _state(request: Request) -> WebState:
    return request.app.state.web


# ---------------------------------------------------------------- small reads
@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    st = _state(request)
    return {"status": "ok", "tradepact_version": __version__, "scenarios": len(st.shipped),
            "parameters": sum(1 for _ in st.tree.walk()), "jobs_active": st.jobs.active()}


@router.get("/scenarios")
def scenarios(request: Request) -> dict[str, Any]:
    st = _state(request)
    out = []
    for name in st.shipped:
        s = st.scenario(name).spec
        out.append({"name": name, "title": s.title, "status": s.status, "description": s.description,
                    "as_of": s.as_of.isoformat(), "investor": s.investor, "host": s.host,
                    "has_uncertainty": bool(s.uncertainty)})
    return {"scenarios": out}


@router.get("/params/{path:path}", responses=ERRORS)
def params_show(request: Request, path: str, at: str | None = Query(None, description="ISO date")) -> dict:
    """A parameter's dated values with their sources (``tradepact params show PATH --json``)."""
    from ...core.dates import date_field
    from ...studies.api import one_parameter
    from ..cli.params import _evidence, _param_dict
    st = _state(request)
    node = one_parameter(st.tree.get(path), path, "path")
    d = _param_dict(node)
    d.pop("file", None)            # no server path leaves the server
    day = date_field(at, "at") if at is not None else None
    if day is not None:
        use = node.use(day)
        d["at"] = {"date": day.isoformat(), "value": use.value, "valid_from": use.valid_from.isoformat()}
    evidence = _evidence(node, day, None)
    if evidence is not None:
        d["evidence"] = json.loads(json.dumps(evidence.to_dict(), default=str))
    return d


@router.get("/params", responses=ERRORS)
def params_search(request: Request, q: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=500)):
    """Parameters whose path, label or description contains ``q`` (case-insensitive)."""
    st = _state(request)
    needle = q.lower().strip()
    hits = []
    for p in st.tree.walk():
        text = f"{p.path} {p.label or ''} {p.description}".lower()
        if needle in text:
            last = p.values[-1]
            hits.append({"path": p.path, "label": p.label or p.description, "unit": p.unit,
                         "latest": {"from": last.start.isoformat(), "value": last.value, "status": last.status}})
            if len(hits) >= limit:
                break
    return {"query": q, "parameters": hits}


# ---------------------------------------------------------------- tariffs
def _date(text: str, field: str = "date") -> str:
    """An ISO date from a query (400 with the field named if not)."""
    from ...core.dates import date_field
    return date_field(text, field).isoformat()


def _check_method(method: str) -> str:
    if method not in ("legal", "additive"):
        raise with_value("unknown stacking method", location=Location(field="method"), value=method,
                         expected="legal or additive")
    return method


@router.get("/tariffs/rate", responses=ERRORS)
async def tariffs_rate(request: Request, partner: str = Query(..., max_length=3, examples=["KOR"]),
                 hs: str = Query(..., max_length=12, examples=["870323"]),
                 date: str = Query(..., max_length=10, examples=["2025-10-01"]),
                 regime: str | None = Query(None, max_length=60), method: str = "legal") -> dict:
    """The rate of one HS code from one partner on one date, by authority, cited (``tariffs rate --json``)."""
    from starlette.concurrency import run_in_threadpool
    st = _state(request)
    key = (partner.strip().upper(), hs.strip(), _date(date), regime, _check_method(method))
    hit = st.cached_rate(key)           # a lookup already made: answered on the event loop
    if hit is None:
        hit = await run_in_threadpool(st.rate_doc, *key)
    return Response(hit, media_type="application/json")


@router.get("/tariffs/etr", responses=ERRORS)
def tariffs_etr(request: Request, date: str = Query(..., max_length=10), by: str = "partner",
                regime: str | None = Query(None, max_length=60), method: str = "legal") -> dict:
    """Effective tariff rates on the shipped trade data (``tariffs etr --json``)."""
    if by not in ("partner", "sector"):
        raise with_value("unknown grouping", location=Location(field="by"), value=by,
                         expected="partner or sector")
    return _state(request).engine(regime, _check_method(method)).effective_rates(_date(date), by=by).to_dict()


@router.get("/tariffs/hs")
def tariffs_hs(request: Request, q: str = Query(..., min_length=1, max_length=60),
               limit: int = Query(25, ge=1, le=200)) -> dict:
    """HTS lines whose code starts with ``q`` (digits) or whose description contains it."""
    codes, descs, lower = _state(request).hts()
    needle = q.strip().replace(".", "")
    if needle.isdigit():
        hits = [i for i, c in enumerate(codes) if c.startswith(needle)]
    else:
        n = q.strip().lower()
        hits = [i for i, d in enumerate(lower) if n in d]
    return {"query": q, "lines": [{"code": codes[i], "description": descs[i]} for i in hits[:limit]],
            "more": max(0, len(hits) - limit)}


@router.get("/tariffs/timeline")
def tariffs_timeline(request: Request, sector: str = Query("all", max_length=40)) -> dict:
    """Effective tariff rates over time by partner (with the deal, and KOR without it), from the final deal's
    assessment: one row per interval."""
    st = _state(request)
    f = st.assessment_of("us_kr_2025/final").rate_timeline
    f = f[f["sector"] == sector]
    rows = [{"start": str(r["start"])[:10], "stop": str(r["stop"])[:10], "partner": r["partner"],
             "case": r.get("case", "with_deal"), "etr": None if r["etr"] != r["etr"] else float(r["etr"])}
            for r in f.to_dict(orient="records")]
    return {"sector": sector, "rows": rows}


# ---------------------------------------------------------------- studies
@router.post("/assess", responses=ERRORS)
def assess(request: Request, body: ScenariosBody) -> dict:
    """Scenarios side by side: exactly the ``tradepact assess --json`` document."""
    from ...results.assessment import Assessment
    from ...studies.assess import assess as run
    st = _state(request)
    if body.scenario_yaml is None and body.scenarios:
        names = tuple(st.scenario(n).name for n in body.scenarios)
        doc = st.shipped_json("assess", names, lambda: Assessment(tuple(st.assessment_of(n) for n in names)).to_dict())
        return Response(doc, media_type="application/json")
    return run(st.scenarios_from(body.scenarios, body.scenario_yaml), parameters=st.tree).to_dict()


@router.post("/verdict", responses=ERRORS)
def verdict(request: Request, body: VerdictBody) -> dict:
    """Better or worse off than no deal, P(better off), drivers and the stress test, per scenario."""
    from ...results.verdict import Verdict
    from ...studies.verdict import scenario_verdict
    st = _state(request)
    if body.scenario_yaml is None and body.scenarios and body.seed == 0 and body.tornado:
        return Verdict(tuple(st.verdict_of(st.scenario(n).name, body.draws) for n in body.scenarios)).to_dict()
    items = st.scenarios_from(body.scenarios, body.scenario_yaml)
    return Verdict(tuple(scenario_verdict(sc, n_draws=body.draws, seed=body.seed, with_tornado=body.tornado,
                                          tree=st.tree) for sc in items)).to_dict()


@router.post("/design", responses=ERRORS)
def design(request: Request, body: DesignBody) -> dict:
    """The designer's recompute: the designed scenario's YAML, its verdict, headline and yearly paths."""
    from .pages import design_payload
    return design_payload(_state(request), body.values, draws=body.draws, seed=body.seed)


def _job_response(job: Any) -> JSONResponse:
    return JSONResponse(job.to_dict(with_result=False), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{job.id}"})


@router.post("/simulate", status_code=202, responses={**ERRORS, 429: {"description": "Job queue full"}})
def simulate(request: Request, body: SimulateBody) -> JSONResponse:
    """Monte Carlo as a job; its result is the ``tradepact simulate --json`` document."""
    from ...studies.simulate import simulate as run_one
    from ...results.simulation import SimulationSet
    st = _state(request)
    items = st.scenarios_from(body.scenarios, body.scenario_yaml)
    holder = st.scenario(body.uncertainty, "uncertainty") if body.uncertainty is not None else None
    total = body.draws * len(items)

    def work(progress):
        out, done = [], 0
        for sc in items:
            def each(d: int, n: int, base=done) -> None:
                progress(base + d * body.draws // max(n, 1), total)
            own = bool(sc.spec.uncertainty)
            out.append(run_one(sc, body.draws, body.seed, tree=st.tree, uncertainty_from=None if own else holder,
                               progress=each))
            done += body.draws
            progress(done, total)
        return SimulationSet(tuple(out)).to_dict(fans=False)

    return _job_response(st.jobs.submit("simulate", work))


@router.post("/zopa", status_code=202, responses={**ERRORS, 429: {"description": "Job queue full"}})
def zopa(request: Request, body: ZopaBody) -> JSONResponse:
    """Zone of possible agreement as a job; its result is the ``tradepact zopa --json`` document."""
    from ...studies.assess import DEFAULT_SCENARIOS
    from ...studies.zopa import find_zopa
    st = _state(request)
    base = st.scenario(body.base, "base")
    proposals = [st.scenario(n, "proposals") for n in (body.proposals or DEFAULT_SCENARIOS)]
    return _job_response(st.jobs.submit("zopa", lambda progress: find_zopa(
        base, proposals=proposals, fix=body.fix, n_draws=body.draws, seed=body.seed, refine=body.refine,
        tree=st.tree, progress=progress).to_dict()))


@router.get("/jobs/{job_id}", responses={404: {"description": "No such job"}})
def job(request: Request, job_id: str) -> dict:
    j = _state(request).jobs.get(job_id)
    if j is None:
        raise with_value("no such job (finished jobs are kept for a while)", location=Location(field="job_id"),
                         value=job_id[:40], expected="an id returned by POST /api/v1/simulate or /zopa",
                         cls=NotFound)
    return j.to_dict()


@router.get("/jobs/{job_id}/events", responses={404: {"description": "No such job"}})
async def job_events(request: Request, job_id: str) -> StreamingResponse:
    """Server-sent events: ``progress`` while the job runs, then one ``done`` or ``failed`` event."""
    st = _state(request)
    if st.jobs.get(job_id) is None:
        raise with_value("no such job", location=Location(field="job_id"), value=job_id[:40],
                         expected="an id returned by POST /api/v1/simulate or /zopa", cls=NotFound)

    async def stream():
        last = None
        while True:
            j = st.jobs.get(job_id)
            if j is None or await request.is_disconnected():
                return
            now = (j.state, j.done, j.total)
            if j.state in ("done", "failed"):
                yield f"event: {j.state}\ndata: {json.dumps(j.to_dict(with_result=False))}\n\n"
                return
            if now != last:
                yield f"event: progress\ndata: {json.dumps(j.to_dict(with_result=False))}\n\n"
                last = now
            await asyncio.sleep(0.2)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


class NotFound(TradepactError):
    """A request named something that does not exist (HTTP 404)."""
