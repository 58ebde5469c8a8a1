"""The HTML report: headline table, charts, tranches, provenance. Renders only."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..results import HEADLINE, Assessment, format_value
from .charts import all_charts
from .export import atomic_write, prepare_dir, write_tables


def render_html(assessment: Assessment) -> str:
    env = Environment(loader=PackageLoader("tradepact.interfaces", "templates"),
                      autoescape=select_autoescape(["html"]))
    rows = [(HEADLINE[k][0], HEADLINE[k][1],
             [format_value(k, s.headline.get(k)) for s in assessment.scenarios]) for k in HEADLINE]
    return env.get_template("report.html").render(
        a=assessment, rows=rows, charts=all_charts(assessment))


def write_report(assessment: Assessment, out: Path | str) -> Path:
    """Write index.html plus JSON/CSV/Excel tables into ``out``; return the HTML path."""
    out = prepare_dir(Path(out))
    write_tables(assessment, out)
    html = render_html(assessment)
    path = out / "index.html"
    atomic_write(path, lambda p: p.write_text(html, encoding="utf-8"))
    return path
