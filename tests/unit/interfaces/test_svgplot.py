"""The SVG drawing layer of the report's charts: ticks, geometry, well-formed pages."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from tradepact.interfaces.svgplot import (
    Figure,
    _Line,
    date_ticks,
    days,
    nice_ticks,
    tick_labels,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("lo, hi, kwargs, expected", [
    # raw step 113/8 = 14.1 -> the next nice step is 20
    (0, 113, {}, [0, 20, 40, 60, 80, 100]),
    # years 2025.2-2041.8, at most 10 ticks: raw 1.66 -> whole step 2
    (2025.2, 2041.8, {"integer": True, "max_ticks": 10}, list(range(2026, 2041, 2))),
    # raw 0.219 -> 0.25
    (0, 1.75, {}, [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75]),
    # negative ranges: raw 12.5 -> 20
    (-45, 55, {}, [-40, -20, 0, 20, 40]),
])
def test_nice_ticks(lo, hi, kwargs, expected):
    assert nice_ticks(lo, hi, **kwargs) == pytest.approx(expected)


def test_tick_labels_use_the_fewest_decimals_and_a_true_minus():
    assert tick_labels([-20.0, 0.0, 20.0]) == ["\u221220", "0", "20"]
    assert tick_labels([0.0, 0.25, 0.5]) == ["0.00", "0.25", "0.50"]
    assert tick_labels([0.0, 25.0, 50.0], suffix="%") == ["0%", "25%", "50%"]


def test_date_ticks_every_six_months_with_concise_labels():
    lo, hi = days(dt.date(2024, 12, 1)), days(dt.date(2027, 2, 1))
    ticks, labels = date_ticks(lo, hi)
    want = [dt.date(2025, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1), dt.date(2026, 7, 1), dt.date(2027, 1, 1)]
    assert ticks == [(d - dt.date(1970, 1, 1)).days for d in want]
    assert labels == ["2025", "Jul", "2026", "Jul", "2027"]


def test_steps_post_and_mid():
    post = _Line([0, 1, 2], [1, 2, 3], "black", step="post").points()
    assert post == [(0, 1), (1, 1), (1, 2), (2, 2), (2, 3)]
    mid = _Line([0, 1, 2], [1, 2, 3], "black", step="mid").points()
    assert mid == [(0, 1), (0.5, 1), (0.5, 2), (1.5, 2), (1.5, 3), (2, 3)]


def _frame(svg):
    """The plot area: the first unfilled black rectangle."""
    root = ET.fromstring(svg)
    for r in root.iter(f"{SVG}rect"):
        if "fill: none" in (r.get("style") or ""):
            return root, [float(r.get(k)) for k in ("x", "y", "width", "height")]
    raise AssertionError("no frame")


def test_a_diagonal_runs_corner_to_corner_and_a_bar_fills_its_share():
    fig = Figure(4, 3)
    (ax,), = fig.grid(1, 1)
    ax.xlim, ax.ylim = (0.0, 10.0), (0.0, 8.0)
    ax.plot([0, 10], [0, 8], color="#123456", gid="diag")
    ax.bar([5], [4], 2, color="#654321")
    root, (x, y, w, h) = _frame(fig.svg())
    path = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "diag").find(f"{SVG}path")
    nums = [float(v) for v in re.findall(r"-?[\d.]+", path.get("d"))]
    assert nums == pytest.approx([x, y + h, x + w, y], abs=0.01)
    bar = next(r for r in root.iter(f"{SVG}rect") if "#654321" in (r.get("style") or ""))
    assert float(bar.get("height")) == pytest.approx(h / 2, abs=0.02)         # 4 of 8
    assert float(bar.get("width")) == pytest.approx(w / 5, abs=0.02)          # 2 of 10
    assert float(bar.get("x")) == pytest.approx(x + 0.4 * w, abs=0.02)        # starts at 4 of 10


def test_text_is_escaped_and_dashes_scale_with_width():
    fig = Figure(4, 3)
    (ax,), = fig.grid(1, 1, title="A & B <C>")
    ax.plot([0, 1], [0, 1], color="black", width=2, dash="--")
    svg = fig.svg()
    root = ET.fromstring(svg)
    assert "A & B <C>" in "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    style = next(p.get("style") for p in root.iter(f"{SVG}path") if "dasharray" in (p.get("style") or ""))
    assert "stroke-dasharray: 7.4,3.2" in style      # matplotlib's (3.7, 1.6) x line width 2


def test_report_charts_are_well_formed_and_ids_unique_on_the_page():
    from tradepact.interfaces.charts import all_charts
    from tradepact.studies.assess import assess
    a = assess(["us_kr_2025/final", "us_kr_2025/us_october"])
    page = "".join(all_charts(a).values()) + "".join(all_charts(a).values())
    for svg in re.findall(r"<svg.*?</svg>", page, re.DOTALL):
        ET.fromstring(svg)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) > 0
    assert "Final deal (MOU of 14 November 2025)" in page and "stated USD supply capacity (20 USD bn/yr)" in page


def test_degenerate_inputs_still_draw():
    fig = Figure(4, 3)
    (ax,), = fig.grid(1, 1, xaxis="date")
    ax.plot([dt.date(2025, 1, 1)], [float("nan")], color="black")      # one date, no finite value
    ax.bar([0.0], [0.0], 1.0, color="red")
    fig.suptitle("empty")
    ET.fromstring(fig.svg())
    fig = Figure(4, 3)
    (ax,), = fig.grid(1, 1)
    ax.ylim = (0.0, 0.0)                                                 # a zero-height range is widened
    ax.plot([0, 1], [0, 0], color="black")
    ET.fromstring(fig.svg())


def test_rate_timeline_without_any_sector():
    import pandas as pd

    from tradepact.interfaces.charts import rate_timeline_chart
    empty = pd.DataFrame({"start": pd.to_datetime([]), "stop": pd.to_datetime([]), "case": [], "partner": [],
                          "sector": [], "etr": []})
    svg = rate_timeline_chart(empty)
    assert svg.startswith("<svg") and 'id="rt-' not in svg
