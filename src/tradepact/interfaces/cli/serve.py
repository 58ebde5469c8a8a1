"""``tradepact serve``: the web app and JSON API on this machine (uvicorn)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. The default serves this machine only; 0.0.0.0 exposes it to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--draws", type=click.IntRange(min=0), default=10_000, show_default=True,
              help="Monte Carlo draws behind each verdict's P(better off).")
@click.option("--warm/--no-warm", default=True, show_default=True,
              help="Compute the overview's verdicts before accepting requests.")
def serve_cmd(host: str, port: int, draws: int, warm: bool) -> None:
    """Serve the web app (overview, deal designer, tariff explorer, negotiation map) and /api/v1."""
    import uvicorn

    from ..web.app import create_app
    click.echo(f"tradepact: loading the shipped parameters{' and computing the overview' if warm else ''}…",
               err=True)
    app = create_app(verdict_draws=draws, warm=warm)
    click.echo(f"tradepact: serving on http://{host}:{port}/ (API docs at /docs; Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
