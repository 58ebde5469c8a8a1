"""The ASGI app: :func:`create_app` (FastAPI), served by ``tradepact serve`` (uvicorn).

* Everything it needs ships with Python packages: the templates, script and
  style of this package, plotly.js from the ``plotly`` wheel, and Swagger UI
  from the ``swagger-ui-bundle-v2`` wheel (for ``/docs``). No page loads
  anything from another host.
* Errors are JSON ``{"error": "<one paragraph>", "field": ...}`` with a 4xx
  status, never a traceback; a request body over :data:`MAX_BODY_BYTES` gets 413.
* No CORS headers: the API answers pages of its own origin only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ... import __version__
from ...core.errors import TradepactError
from . import api, pages
from .jobs import QueueFull
from .state import MAX_BODY_BYTES, WebState

HERE = Path(__file__).resolve().parent


def _plotly_js() -> Path:
    import plotly
    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def _error(status: int, message: str, field: Any = None) -> JSONResponse:
    return JSONResponse({"error": message, "field": field}, status_code=status)


def _field_of(loc: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or None


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes (declared or streamed) with 413."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = _error(413, f"the request body is larger than {self.limit:,} bytes", "body")
        if declared is not None:
            try:
                if int(declared) > self.limit:
                    return await too_big(scope, receive, send)
            except ValueError:
                return await _error(400, "bad Content-Length", "body")(scope, receive, send)
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooBig()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooBig:
            await too_big(scope, receive, send)


class _TooBig(Exception):
    pass


def create_app(*, verdict_draws: int | None = None, overview: list[str] | None = None,
               max_jobs: int | None = None, warm: bool = False) -> FastAPI:
    """The web app. ``verdict_draws`` (default 10,000, or ``TRADEPACT_VERDICT_DRAWS``) sizes the Monte
    Carlo behind each verdict; ``overview`` names the scenarios on the overview (default: the four
    US–Korea ones); ``warm`` computes them at start-up instead of on the first visit."""
    draws = verdict_draws if verdict_draws is not None else int(os.environ.get("TRADEPACT_VERDICT_DRAWS", 10_000))
    app = FastAPI(title="tradepact", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Price, stress-test and negotiate investment-for-tariff-relief deals. "
                              "The JSON documents are those of the `tradepact` CLI's `--json`.")
    state = WebState(verdict_draws=draws, overview=overview, **({"max_jobs": max_jobs} if max_jobs else {}))
    app.state.web = state
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))

    @app.exception_handler(TradepactError)
    async def tradepact_error(request: Request, exc: TradepactError) -> JSONResponse:
        status = 404 if isinstance(exc, api.NotFound) else 400
        return _error(status, str(exc), exc.location.field if exc.location is not None else None)

    @app.exception_handler(QueueFull)
    async def queue_full(request: Request, exc: QueueFull) -> JSONResponse:
        return JSONResponse({"error": f"the job queue is full: {exc}; try again when one has finished",
                             "field": None}, status_code=429, headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errs = exc.errors()
        first = errs[0] if errs else {}
        field = _field_of(tuple(first.get("loc", ())))
        found = first.get("input")
        shown = found if isinstance(found, (int, float, bool)) or found is None else str(found)[:60]
        msg = f"{'request' if field is None else field}: {first.get('msg', 'invalid input')}"
        if "input" in first and not isinstance(found, dict):
            msg += f" (found {shown!r})"
        return _error(422, msg, field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _error(500, f"internal error ({exc.__class__.__name__}); the server log has the details", None)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    swagger = _swagger_dir()
    if swagger is not None:
        app.mount("/vendor/swagger", StaticFiles(directory=str(swagger)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if swagger is not None:
            from fastapi.openapi.docs import get_swagger_ui_html
            return get_swagger_ui_html(openapi_url="/openapi.json", title="tradepact API",
                                       swagger_js_url="/vendor/swagger/swagger-ui-bundle.js",
                                       swagger_css_url="/vendor/swagger/swagger-ui.css",
                                       swagger_favicon_url="/vendor/swagger/favicon-32x32.png",
                                       swagger_ui_parameters={"validatorUrl": None})
        return HTMLResponse((HERE / "templates" / "docs_fallback.html").read_text(encoding="utf-8"))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    if warm:
        for name in state.overview_names:
            state.assessment_of(name)
            state.verdict_of(name)

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        t0 = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - t0) * 1000:.1f}"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    return app
