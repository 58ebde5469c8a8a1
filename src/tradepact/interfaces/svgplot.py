"""A small SVG plotting layer for the report's charts (no plotting library).

The report's charts are lines, step lines, grouped bars and markers on
linear, whole-number (years) or date x axes, with titles, axis labels,
grids and legends. Drawing them as SVG text directly takes milliseconds
where matplotlib took seconds (its text layout dominates), and the text
stays text (searchable, selectable, small).

Units are points (1/72 inch), as matplotlib's SVG backend writes them, so a
figure of ``figsize=(11, 4)`` inches is 792 x 288 pt. Conventions follow
matplotlib's defaults: 5 % margins around the data on each axis (a bar
chart's floor stays at zero), ticks at "nice" steps (1, 2, 2.5, 5 x 10^k),
a minus sign U+2212, and the step styles ``post`` (the value holds until the
next x) and ``mid`` (steps half-way between xs).

The module is longer than 400 lines because it is the whole drawing layer
(ticks, artists, panels with their legends, the figure); its parts are only
used together.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

FONT = "DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif"
#: Width of an average character relative to the font size (DejaVu Sans), for layout.
CHAR_WIDTH = 0.6
MARGIN = 0.05
_FIGURES = itertools.count(1)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = _dt.date(1970, 1, 1).toordinal()


def esc(text: Any) -> str:
    """``text`` escaped for SVG text and attributes."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _n(v: float) -> str:
    """A coordinate: two decimals, no trailing zeros."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` in points at font ``size``."""
    return len(text) * size * CHAR_WIDTH


def days(value: Any) -> float:
    """A date or timestamp as days since 1970-01-01 (the date axis' number)."""
    if isinstance(value, _dt.datetime):
        return value.toordinal() - _EPOCH + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, _dt.date):
        return float(value.toordinal() - _EPOCH)
    if hasattr(value, "to_pydatetime"):
        return days(value.to_pydatetime())
    return float(value)


# ---------------------------------------------------------------- ticks
def nice_ticks(lo: float, hi: float, *, max_ticks: int = 8, integer: bool = False) -> list[float]:
    """Ticks at a "nice" step (1, 2, 2.5, 5 x 10^k; whole numbers if ``integer``)
    inside ``[lo, hi]``, at most ``max_ticks + 1`` of them."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max_ticks
    mag = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(s * mag for s in steps if s * mag >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, round(step))
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def tick_labels(ticks: Sequence[float], *, suffix: str = "") -> list[str]:
    """Labels with the fewest decimals that tell the ticks apart (minus sign U+2212)."""
    decimals = 0
    while decimals < 6 and any(abs(round(t, decimals) - t) > 1e-9 * max(1.0, abs(t)) for t in ticks):
        decimals += 1
    out = []
    for t in ticks:
        s = f"{t:.{decimals}f}"
        if s.startswith("-") and float(s) != 0:
            s = "\u2212" + s[1:]
        elif s.startswith("-"):
            s = s[1:]
        out.append(s + suffix)
    return out


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def date_ticks(lo: float, hi: float, *, min_ticks: int = 3, max_ticks: int = 6) -> tuple[list[float], list[str]]:
    """Ticks on the first day of months every 1, 2, 3, 4, 6, 12, 24 ... months
    (the densest with at most ``max_ticks``) and concise labels: the year on
    January, the month's name otherwise (as matplotlib's ConciseDateFormatter)."""
    a = _dt.date.fromordinal(math.floor(lo) + _EPOCH)
    b = _dt.date.fromordinal(math.floor(hi) + _EPOCH)
    chosen: list[_dt.date] = []
    for every in (1, 2, 3, 4, 6, 12, 24, 60, 120):
        y, m = a.year, a.month
        ticks = []
        while (y, m) <= (b.year, b.month):
            d = _dt.date(y, m, 1)
            if (m - 1) % min(every, 12) == 0 and (every <= 12 or y % (every // 12) == 0) and lo <= days(d) <= hi:
                ticks.append(d)
            y, m = _add_months(y, m, 1)
        chosen = ticks
        if len(ticks) <= max_ticks and (len(ticks) >= min_ticks or every >= 12):
            break
    labels = [str(d.year) if d.month == 1 else _MONTHS[d.month - 1] for d in chosen]
    if chosen and all(d.month != 1 for d in chosen):
        labels[0] = f"{labels[0]} {chosen[0].year}"
    return [days(d) for d in chosen], labels


# ---------------------------------------------------------------- artists
@dataclass
class _Line:
    x: list[float]
    y: list[float]
    color: str
    width: float = 1.5
    dash: str | None = None
    step: str | None = None
    gid: str | None = None
    label: str | None = None
    marker: bool = False
    marker_size: float = 6.0
    opacity: float = 1.0
    show_line: bool = True

    def points(self) -> list[tuple[float, float]]:
        """Vertices of the drawn path in data units (steps expanded; NaN gaps kept)."""
        xs, ys = self.x, self.y
        if self.step is None or len(xs) < 2:
            return list(zip(xs, ys))
        out = [(xs[0], ys[0])]
        for i in range(1, len(xs)):
            if self.step == "post":
                out += [(xs[i], ys[i - 1]), (xs[i], ys[i])]
            else:
                mid = (xs[i - 1] + xs[i]) / 2
                out += [(mid, ys[i - 1]), (mid, ys[i])]
        if self.step == "mid":
            out.append((xs[-1], ys[-1]))
        return out


@dataclass
class _Bars:
    x: list[float]
    height: list[float]
    width: float
    color: str
    opacity: float = 1.0
    label: str | None = None


@dataclass
class _HLine:
    y: float
    color: str
    width: float = 1.0
    dash: str | None = None
    label: str | None = None


@dataclass
class Legend:
    """A legend inside a panel; ``loc="best"``: where it hides the fewest points."""

    entries: list[tuple[str, dict[str, Any]]]
    loc: str = "best"
    size: float = 8.0


def _dash(dash: str | None, width: float) -> str:
    """matplotlib's dash patterns, scaled by the line width."""
    pattern = {"--": (3.7, 1.6), ":": (1.0, 1.65), "-.": (6.4, 1.6, 1.0, 1.6)}.get(dash or "")
    if not pattern:
        return ""
    return "; stroke-dasharray: " + ",".join(_n(p * width) for p in pattern)


def _stroke_style(color: str, width: float, dash: str | None, opacity: float = 1.0) -> str:
    style = f"fill: none; stroke: {color}; stroke-width: {_n(width)}; stroke-linecap: butt; stroke-linejoin: round"
    if opacity < 1:
        style += f"; stroke-opacity: {_n(opacity)}"
    return style + _dash(dash, width)


# ---------------------------------------------------------------- axes
@dataclass
class Axes:
    """One panel: artists in data units, drawn into a cell of the figure."""

    fig: Figure
    cell: tuple[float, float, float, float]          # x, y, width, height of the cell, points
    xaxis: str = "linear"                           # linear | integer | date
    title: str = ""
    title_size: float = 10.0
    ylabel: str = ""
    label_size: float = 10.0
    tick_size: float = 10.0
    grid: str | None = None                           # x | y | both
    grid_alpha: float = 0.3
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    yfmt_suffix: str = ""
    yscale: float = 1.0                              # tick labels show y * yscale (e.g. 100 for percent)
    show_xlabels: bool = True
    legend: Legend | None = None
    visible: bool = True
    artists: list[Any] = field(default_factory=list)

    # -- building
    def plot(self, x: Sequence[Any], y: Sequence[float], *, color: str, width: float = 1.5,
             dash: str | None = None, step: str | None = None, gid: str | None = None,
             label: str | None = None, marker: bool = False, marker_size: float = 6.0,
             show_line: bool = True) -> _Line:
        xs = [days(v) for v in x] if self.xaxis == "date" else [float(v) for v in x]
        line = _Line(xs, [float(v) for v in y], color, width, dash, step, gid, label, marker, marker_size,
                     show_line=show_line)
        self.artists.append(line)
        return line

    def bar(self, x: Sequence[float], height: Sequence[float], width: float, *, color: str,
            opacity: float = 1.0, label: str | None = None) -> None:
        self.artists.append(_Bars([float(v) for v in x], [float(v) for v in height], width, color, opacity, label))

    def hline(self, y: float, *, color: str, width: float = 1.0, dash: str | None = None,
              label: str | None = None) -> None:
        self.artists.append(_HLine(float(y), color, width, dash, label))

    def data_limits(self) -> tuple[float, float, float, float]:
        """x and y range of the data (bars include their floor and their width)."""
        xs: list[float] = []
        ys: list[float] = []
        for a in self.artists:
            if isinstance(a, _Line):
                pts = [(x, y) for x, y in zip(a.x, a.y) if math.isfinite(x) and math.isfinite(y)]
                xs += [p[0] for p in pts]
                ys += [p[1] for p in pts]
            elif isinstance(a, _Bars):
                xs += [v - a.width / 2 for v in a.x] + [v + a.width / 2 for v in a.x]
                ys += [0.0] + [h for h in a.height if math.isfinite(h)]
            elif isinstance(a, _HLine):
                ys.append(a.y)
        if not xs:
            xs = [0.0, 1.0]
        if not ys:
            ys = [0.0, 1.0]
        return min(xs), max(xs), min(ys), max(ys)

    def auto_limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Data limits with 5 % margins (none below a bar chart's zero floor)."""
        x0, x1, y0, y1 = self.data_limits()
        bars = any(isinstance(a, _Bars) for a in self.artists)

        def pad(lo: float, hi: float, floor_zero: bool = False) -> tuple[float, float]:
            if hi == lo:
                d = abs(lo) * MARGIN or 1.0
                return lo - d, hi + d
            m = (hi - lo) * MARGIN
            return (lo if floor_zero and lo == 0 else lo - m), hi + m
        return pad(x0, x1), pad(y0, y1, floor_zero=bars)

    def limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The axes' limits: set ones, else the data's with margins (never empty)."""
        ax, ay = self.auto_limits()

        def wide(lim: tuple[float, float]) -> tuple[float, float]:
            lo, hi = lim
            return (lo, hi) if hi > lo else (lo - 0.5, lo + 0.5)
        return wide(self.xlim or ax), wide(self.ylim or ay)

    # -- drawing
    def _xticks(self, lo: float, hi: float) -> tuple[list[float], list[str]]:
        if self.xaxis == "date":
            return date_ticks(lo, hi)
        ticks = nice_ticks(lo, hi, max_ticks=10 if self.xaxis == "integer" else 8, integer=self.xaxis == "integer")
        return ticks, tick_labels(ticks)

    def render(self) -> str:
        if not self.visible:
            return ""
        (x0, x1), (y0, y1) = self.limits()
        yt = nice_ticks(y0 * self.yscale, y1 * self.yscale, max_ticks=8)
        ylabels = tick_labels(yt, suffix=self.yfmt_suffix)
        yt = [t / self.yscale for t in yt]
        xt, xlabels = self._xticks(x0, x1)
        cx, cy, cw, ch = self.cell
        title_lines = self.title.split("\n") if self.title else []
        left = cx + (self.label_size * 1.6 if self.ylabel else 0) + max(
            (text_width(s, self.tick_size) for s in ylabels), default=0) + 8
        top = cy + len(title_lines) * self.title_size * 1.25 + (6 if title_lines else 2)
        bottom = cy + ch - (self.tick_size * 1.4 + 6 if self.show_xlabels else 6)
        right = cx + cw - 6
        w, h = max(right - left, 10), max(bottom - top, 10)

        def px(v: float) -> float:
            return left + (v - x0) / (x1 - x0) * w

        def py(v: float) -> float:
            return top + h - (v - y0) / (y1 - y0) * h

        out = ['<g class="axes">']
        out.append(f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(w)}" height="{_n(h)}" style="fill: #ffffff"/>')
        grid = []
        if self.grid in ("y", "both"):
            grid += [f'M {_n(left)} {_n(py(t))} H {_n(left + w)}' for t in yt]
        if self.grid in ("x", "both"):
            grid += [f'M {_n(px(t))} {_n(top)} V {_n(top + h)}' for t in xt]
        if grid:
            out.append(f'<path d="{" ".join(grid)}" style="fill: none; stroke: #b0b0b0; stroke-width: 0.8; '
                       f'stroke-opacity: {_n(self.grid_alpha)}"/>')
        clip = self.fig.new_id("clip")
        out.append(f'<clipPath id="{clip}"><rect x="{_n(left)}" y="{_n(top)}" width="{_n(w)}" '
                   f'height="{_n(h)}"/></clipPath>')
        out.append(f'<g clip-path="url(#{clip})">')
        for a in self.artists:
            out.append(self._artist(a, px, py, left, w))
        out.append("</g>")
        # frame and ticks
        out.append(f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(w)}" height="{_n(h)}" '
                   f'style="fill: none; stroke: #000000; stroke-width: 0.8"/>')
        ticks = [f"M {_n(px(t))} {_n(top + h)} v 3.5" for t in xt] + [f"M {_n(left)} {_n(py(t))} h -3.5" for t in yt]
        out.append(f'<path d="{" ".join(ticks)}" style="fill: none; stroke: #000000; stroke-width: 0.8"/>')
        ts = self.tick_size
        for t, s in zip(yt, ylabels):
            out.append(f'<text x="{_n(left - 6)}" y="{_n(py(t) + ts * 0.35)}" text-anchor="end" '
                       f'font-size="{_n(ts)}">{esc(s)}</text>')
        if self.show_xlabels:
            for t, s in zip(xt, xlabels):
                out.append(f'<text x="{_n(px(t))}" y="{_n(top + h + 5 + ts)}" text-anchor="middle" '
                           f'font-size="{_n(ts)}">{esc(s)}</text>')
        if self.ylabel:
            yx, yy = cx + self.label_size, top + h / 2
            out.append(f'<text transform="translate({_n(yx)} {_n(yy)}) rotate(-90)" text-anchor="middle" '
                       f'font-size="{_n(self.label_size)}">{esc(self.ylabel)}</text>')
        for i, line in enumerate(title_lines):
            out.append(f'<text x="{_n(left + w / 2)}" y="{_n(cy + (i + 1) * self.title_size * 1.2)}" '
                       f'text-anchor="middle" font-size="{_n(self.title_size)}">{esc(line)}</text>')
        if self.legend is not None and self.legend.entries:
            out.append(self._legend(px, py, left, top, w, h))
        out.append("</g>")
        return "\n".join(out)

    def _artist(self, a: Any, px: Callable[[float], float], py: Callable[[float], float],
                left: float, w: float) -> str:
        if isinstance(a, _Line):
            parts = []
            if a.show_line:
                d, pen = [], "M"
                for x, y in a.points():
                    if not (math.isfinite(x) and math.isfinite(y)):
                        pen = "M"
                        continue
                    d.append(f"{pen} {_n(px(x))} {_n(py(y))}")
                    pen = "L"
                if d:
                    parts.append(f'<path d="{" ".join(d)}" style="{_stroke_style(a.color, a.width, a.dash)}"/>')
            if a.marker:
                r = a.marker_size / 2
                parts += [f'<circle cx="{_n(px(x))}" cy="{_n(py(y))}" r="{_n(r)}" style="fill: {a.color}; '
                          f'stroke: {a.color}"/>' for x, y in zip(a.x, a.y) if math.isfinite(x) and math.isfinite(y)]
            gid = f' id="{esc(a.gid)}"' if a.gid else ""
            return f"<g{gid}>" + "".join(parts) + "</g>"
        if isinstance(a, _Bars):
            rects = []
            op = f"; fill-opacity: {_n(a.opacity)}" if a.opacity < 1 else ""
            for x, hgt in zip(a.x, a.height):
                if not math.isfinite(hgt):
                    continue
                xa, xb = px(x - a.width / 2), px(x + a.width / 2)
                ya, yb = sorted((py(0.0), py(hgt)))
                rects.append(f'<rect x="{_n(xa)}" y="{_n(ya)}" width="{_n(xb - xa)}" height="{_n(yb - ya)}" '
                             f'style="fill: {a.color}{op}"/>')
            return "<g>" + "".join(rects) + "</g>"
        if isinstance(a, _HLine):
            y = py(a.y)
            return (f'<path d="M {_n(left)} {_n(y)} H {_n(left + w)}" '
                    f'style="{_stroke_style(a.color, a.width, a.dash)}"/>')
        raise TypeError(type(a).__name__)

    def _legend(self, px: Callable[[float], float], py: Callable[[float], float], left: float, top: float,
                w: float, h: float) -> str:
        lg = self.legend
        assert lg is not None
        size = lg.size
        row = size * 1.4
        bw = max(text_width(t, size) for t, _ in lg.entries) + 2.8 * size
        bh = row * len(lg.entries) + size * 0.4
        pad = size * 0.5
        spots = {"upper right": (left + w - bw - pad, top + pad), "upper left": (left + pad, top + pad),
                 "lower left": (left + pad, top + h - bh - pad),
                 "lower right": (left + w - bw - pad, top + h - bh - pad),
                 "upper center": (left + (w - bw) / 2, top + pad)}
        if lg.loc == "best":
            pts = [(px(x), py(y)) for a in self.artists if isinstance(a, _Line)
                   for x, y in a.points() if math.isfinite(x) and math.isfinite(y)]
            pts += [(px(x), py(hh)) for a in self.artists if isinstance(a, _Bars) for x, hh in zip(a.x, a.height)]

            def hits(spot: tuple[float, float]) -> int:
                sx, sy = spot
                return sum(sx <= x <= sx + bw and sy <= y <= sy + bh for x, y in pts)
            order = ("upper right", "upper left", "lower left", "lower right")
            loc = min(order, key=lambda k: (hits(spots[k]), order.index(k)))
        else:
            loc = lg.loc
        x, y = spots[loc]
        return legend_entries(lg.entries, x, y, size)


def legend_entries(entries: Sequence[tuple[str, dict[str, Any]]], x: float, y: float, size: float,
                   *, horizontal: bool = False) -> str:
    """Legend rows (or one row if ``horizontal``) starting at ``x, y``: a sample
    (line, dashed line, bar patch or marker) and the label."""
    out = ['<g class="legend">']
    row = size * 1.4
    for i, (label, style) in enumerate(entries):
        yy = y + row * (i if not horizontal else 0) + row / 2
        kind = style.get("kind", "line")
        color = style.get("color", "#000000")
        if kind == "patch":
            op = style.get("opacity", 1.0)
            out.append(f'<rect x="{_n(x)}" y="{_n(yy - size * 0.35)}" width="{_n(size * 2)}" height="{_n(size * 0.7)}" '
                       f'style="fill: {color}' + (f"; fill-opacity: {_n(op)}" if op < 1 else "") + '"/>')
        if kind in ("line", "marker"):
            if style.get("show_line", True):
                out.append(f'<path d="M {_n(x)} {_n(yy)} h {_n(size * 2)}" '
                           f'style="{_stroke_style(color, style.get("width", 1.5), style.get("dash"))}"/>')
            if style.get("marker"):
                out.append(f'<circle cx="{_n(x + size)}" cy="{_n(yy)}" r="{_n(size * 0.35)}" style="fill: {color}"/>')
        out.append(f'<text x="{_n(x + size * 2.6)}" y="{_n(yy + size * 0.35)}" font-size="{_n(size)}">'
                   f'{esc(label)}</text>')
        if horizontal:
            x += size * 2.6 + text_width(label, size) + size * 1.5
    out.append("</g>")
    return "\n".join(out)


def line_entry(line: _Line) -> dict[str, Any]:
    """Legend style of a line."""
    return {"kind": "line", "color": line.color, "width": line.width, "dash": line.dash,
            "marker": line.marker, "show_line": line.show_line}


# ---------------------------------------------------------------- figure
class Figure:
    """A figure of ``width x height`` inches split into a grid of panels."""

    def __init__(self, width_in: float, height_in: float) -> None:
        self.width, self.height = width_in * 72.0, height_in * 72.0
        self.number = next(_FIGURES)
        self._ids = itertools.count(1)
        self.axes: list[Axes] = []
        self.top_text: list[str] = []
        self.extra: list[str] = []

    def new_id(self, kind: str) -> str:
        """An id unique in a page holding several figures of this process."""
        return f"tp{self.number}-{kind}{next(self._ids)}"

    def grid(self, nrows: int, ncols: int, *, top: float = 0.0, bottom: float = 0.0, hspace: float = 8.0,
             wspace: float = 12.0, **kwargs: Any) -> list[list[Axes]]:
        """``nrows x ncols`` panels in the figure less ``top`` and ``bottom`` points."""
        cw = (self.width - 8 - wspace * (ncols - 1)) / ncols
        ch = (self.height - top - bottom - hspace * (nrows - 1)) / nrows
        rows = []
        for r in range(nrows):
            row = []
            for c in range(ncols):
                ax = Axes(self, (4 + c * (cw + wspace), top + r * (ch + hspace), cw, ch), **kwargs)
                self.axes.append(ax)
                row.append(ax)
            rows.append(row)
        return rows

    def suptitle(self, text: str, size: float = 10.0) -> None:
        self.top_text.append(f'<text x="{_n(self.width / 2)}" y="{_n(size * 1.4)}" text-anchor="middle" '
                             f'font-size="{_n(size)}">{esc(text)}</text>')

    def legend(self, entries: Sequence[tuple[str, dict[str, Any]]], *, size: float = 8.0) -> None:
        """A one-row legend centred at the bottom of the figure."""
        width = sum(size * 2.6 + text_width(t, size) + size * 1.5 for t, _ in entries) - size * 1.5
        self.extra.append(legend_entries(entries, (self.width - width) / 2, self.height - size * 2.2, size,
                                         horizontal=True))

    def svg(self) -> str:
        body = "\n".join([*self.top_text, *(ax.render() for ax in self.axes), *self.extra])
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(self.width)}pt" height="{_n(self.height)}pt" '
                f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" version="1.1" '
                f'font-family="{FONT}" fill="#000000">\n'
                f'<rect width="100%" height="100%" style="fill: #ffffff"/>\n{body}\n</svg>\n')
