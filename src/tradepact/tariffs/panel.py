"""`RatePanel`: interval-encoded rates over a declared (product, partner) universe.

The panel holds one row per product × partner × *run* of identical rates:
``valid_from`` (inclusive) and ``valid_until`` (exclusive), with the wide
``rate_<authority>`` schema. Breakpoints are the union of every measure's
start and end dates in the window (one clock: no separate revision dates, no
after-the-fact expiry patches). The universe is declared up front and the
panel is checked dense — every pair has rows tiling the whole window — so a
pair can never be silently zero-filled downstream (the tracker's sparse
snapshot problem).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..core.errors import Location, with_value
from .engine import TariffEngine
from .measures import AUTHORITIES, TariffError

_COLS = tuple(f"rate_{a}" for a in AUTHORITIES) + ("total_rate",)


@dataclass(frozen=True)
class RatePanel:
    frame: pl.DataFrame                 # product, partner, valid_from, valid_until, rate_*, total_rate
    products: tuple[str, ...]
    partners: tuple[str, ...]
    start: _dt.date
    stop: _dt.date
    regime: str

    @classmethod
    def build(cls, engine: TariffEngine, products: Sequence[str], partners: Sequence[str],
              start: _dt.date | str, stop: _dt.date | str) -> "RatePanel":
        """Rates for the universe ``products × partners`` over ``[start, stop)``."""
        s = engine.check_date(start)
        e = engine.check_date(stop - _dt.timedelta(days=1) if isinstance(stop, _dt.date)
                              else _dt.date.fromisoformat(stop) - _dt.timedelta(days=1))
        e = e + _dt.timedelta(days=1)
        prods = tuple(dict.fromkeys(products))
        parts = tuple(dict.fromkeys(partners))
        if len(prods) != len(products) or len(parts) != len(partners):
            raise with_value("the universe lists a code twice", location=Location(field="universe"),
                             value=len(products) - len(prods) + len(partners) - len(parts),
                             expected="each product and partner once", cls=TariffError)
        P, C = len(prods), len(parts)
        current: np.ndarray | None = None
        opened = np.zeros((P, C), dtype="datetime64[D]")
        chunks: list[pl.DataFrame] = []

        def emit(mask: np.ndarray, until: _dt.date, vals: np.ndarray) -> None:
            pi, ci = np.nonzero(mask)
            if len(pi) == 0:
                return
            chunks.append(pl.DataFrame({
                "product": np.asarray(prods)[pi], "partner": np.asarray(parts)[ci],
                "valid_from": opened[pi, ci].astype("datetime64[D]"),
                "valid_until": np.full(len(pi), np.datetime64(until, "D")),
                **{c: vals[k][pi, ci] for k, c in enumerate(_COLS)},
            }))

        for a, _b in engine.intervals(s, e):
            g = engine.grid(prods, parts, a)
            vals = np.stack([g.rates[x] for x in AUTHORITIES] + [g.total])
            if current is None:
                opened[:, :] = np.datetime64(a, "D")
            else:
                changed = np.any(np.abs(vals - current) > 1e-12, axis=0)
                emit(changed, a, current)
                opened[changed] = np.datetime64(a, "D")
            current = vals
        assert current is not None
        emit(np.ones((P, C), dtype=bool), e, current)
        frame = pl.concat(chunks).with_columns(pl.col("valid_from").cast(pl.Date),
                                               pl.col("valid_until").cast(pl.Date))
        panel = cls(frame.sort("product", "partner", "valid_from"), prods, parts, s, e,
                    engine.measures.regime)
        panel.assert_dense()
        return panel

    def assert_dense(self) -> None:
        """Every (product, partner) of the universe tiles [start, stop) with no gap or overlap."""
        f = self.frame
        n_pairs = f.select(pl.struct("product", "partner").n_unique()).item()
        expected = len(self.products) * len(self.partners)
        if n_pairs != expected or f["total_rate"].null_count() or f["total_rate"].is_nan().any():
            raise with_value("the rate panel does not cover its universe",
                             location=Location(field="panel"), value=f"{n_pairs} of {expected} pairs",
                             expected="every declared product × partner pair", cls=TariffError)
        g = f.with_columns(pl.col("valid_until").shift(1).over("product", "partner").alias("_prev"))
        first = g.group_by("product", "partner").agg(pl.col("valid_from").min(), pl.col("valid_until").max())
        bad_ends = first.filter((pl.col("valid_from") != self.start) | (pl.col("valid_until") != self.stop))
        gaps = g.filter(pl.col("_prev").is_not_null() & (pl.col("_prev") != pl.col("valid_from")))
        if bad_ends.height or gaps.height:
            row = (bad_ends if bad_ends.height else gaps).row(0, named=True)
            raise with_value("the rate panel has a gap or overlap", location=Location(field="panel"),
                             value=f"{row['product']} × {row['partner']}",
                             expected=f"intervals tiling {self.start} to {self.stop}", cls=TariffError)

    def at(self, on: _dt.date | str) -> pl.DataFrame:
        """The rates in force on ``on``: exactly one row per pair of the universe."""
        d = on if isinstance(on, _dt.date) else _dt.date.fromisoformat(on)
        if not (self.start <= d < self.stop):
            raise with_value("date is outside the panel", location=Location(field="date"),
                             value=d.isoformat(), expected=f"a date in [{self.start}, {self.stop})",
                             cls=TariffError)
        out = self.frame.filter((pl.col("valid_from") <= d) & (pl.col("valid_until") > d))
        assert out.height == len(self.products) * len(self.partners)
        return out
