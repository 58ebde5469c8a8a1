"""The column-1 tariff schedule (HTSUS): general (MFN) and special-program rates.

:class:`Column1Schedule` holds, for every leaf line of the Harmonized Tariff
Schedule of the United States (HTS10 statistical lines, or HTS8 lines that
have none), the column-1 *general* rate and the *special* rates by program
code (``KR`` = KORUS, ``S``/``S+`` = USMCA, ``JP`` = US–Japan Trade
Agreement, ...), parsed from the published text:

* ``Free`` → 0; ``2.5%`` → 0.025;
* specific rates (``52.5¢/bbl``) have no ad valorem part → 0, ``kind=specific``;
* compound rates (``58¢ each + 4.6%``) keep their ad valorem part, ``kind=compound``.
  Specific parts are **not** converted to ad valorem equivalents (that needs
  unit values); the ``kind`` column says where this matters.

The special column reads like ``Free (A+,AU,...,KR,...) 25% (KR)``: each
``RATE (CODES)`` segment grants RATE to every program in CODES.

A query code may be shorter than the leaves (``870323`` → the mean of the
leaf lines under it, flagged ``mixed`` when they differ) or longer (an HS10
code under an HS8 leaf takes the HS8 rate). A code with no line is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import numpy as np
import polars as pl

from ..core.errors import InputFileError, Location, with_value

_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_SEGMENT = re.compile(r"([^()]*?)\s*\(([^()]*)\)")
_SPECIFIC = re.compile(r"[¢$/]|\beach\b|\bkg\b", re.I)


class ScheduleError(InputFileError):
    """A tariff schedule file is malformed, or a code is not in it."""


def parse_rate(text: str | None) -> tuple[float, str]:
    """Ad valorem part of a column-1 rate text and its kind.

    >>> parse_rate("Free"), parse_rate("2.5%"), parse_rate("52.5¢/bbl")
    ((0.0, 'free'), (0.025, 'ad_valorem'), (0.0, 'specific'))
    """
    t = (text or "").strip()
    if not t:
        return float("nan"), "missing"
    if t.lower().startswith("free"):
        return 0.0, "free"
    pct = _PCT.findall(t)
    specific = bool(_SPECIFIC.search(t))
    if pct and not specific:
        return float(pct[0]) / 100.0, "ad_valorem"
    if pct and specific:
        return float(pct[0]) / 100.0, "compound"
    if specific:
        return 0.0, "specific"
    return float("nan"), "other"


def parse_special(text: str | None) -> dict[str, str]:
    """Map program code → rate text from an HTS special-rate cell."""
    out: dict[str, str] = {}
    for rate, codes in _SEGMENT.findall(text or ""):
        rate = rate.strip()
        if not rate or rate.lower().startswith("see"):
            continue
        for code in codes.split(","):
            code = code.strip().lstrip(".").strip()
            if code and re.fullmatch(r"[A-Z]{1,2}[+*]?", code):
                out.setdefault(code, rate)
    return out


@dataclass(frozen=True, eq=False)
class Column1Schedule:
    """Leaf lines of a column-1 schedule with general and special rates.

    ``lines``: code (8 or 10 digits), general_rate, general_kind.
    ``special``: code, program, rate, kind (one row per line × program).
    A dated schedule (:meth:`from_dated`) also has ``valid_from`` and
    ``valid_until`` (exclusive, null = open) on both, one row per run of
    HTS revisions in which the line is unchanged; :meth:`at` gives the
    schedule in force on a date.
    """

    lines: pl.DataFrame
    special: pl.DataFrame
    source: str
    #: Whether a code that is not (or no longer) a line takes the lines of its HS8,
    #: else HS6 parent (trade data of an earlier year: codes renumbered since).
    renumbered_parents: bool = False

    @classmethod
    def from_dated(cls, lines: pl.DataFrame, special: pl.DataFrame, *, source: str) -> "Column1Schedule":
        """A schedule over time from the shipped HTS tables (see :mod:`tradepact.io.shipped`).
        Codes of the 2024 trade data that were renumbered take their parent's lines."""
        return cls(lines, special, source, renumbered_parents=True)

    @property
    def dated(self) -> bool:
        return "valid_from" in self.lines.columns

    def revision_dates(self) -> list:
        """Dates on which some line changes (the HTS revisions, one clock with the measures)."""
        if not self.dated:
            return []
        cache = self.__dict__.setdefault("_revisions", [])
        if not cache:
            out = set(self.lines["valid_from"].unique().to_list()) | set(
                self.lines["valid_until"].drop_nulls().unique().to_list())
            cache.extend(sorted(out))
        return cache

    def at(self, on: Any) -> "Column1Schedule":
        """The schedule in force on ``on`` (itself if not dated); cached per revision interval."""
        if not self.dated:
            return self
        import datetime as _dt
        cuts = self.revision_dates()
        key = max([c for c in cuts if c <= on], default=cuts[0])
        cache = self.__dict__.setdefault("_at_cache", {})
        if key not in cache:
            def live(df: pl.DataFrame) -> pl.DataFrame:
                return df.filter((pl.col("valid_from") <= key)
                                 & (pl.col("valid_until").is_null() | (pl.col("valid_until") > key)))
            cache[key] = Column1Schedule(live(self.lines), live(self.special), f"{self.source} (in force {key})",
                                         self.renumbered_parents)
        assert isinstance(on, _dt.date)
        return cache[key]

    # ------------------------------------------------------------ loading
    @classmethod
    def from_text_rows(cls, rows: pl.DataFrame, *, source: str) -> "Column1Schedule":
        """Build from a frame with ``hts_number``, ``general``, ``special`` as published."""
        for col in ("hts_number", "general", "special"):
            if col not in rows.columns:
                raise with_value("column is missing", location=Location(source, None, col),
                                 value=sorted(rows.columns),
                                 expected="hts_number, general and special columns",
                                 cls=ScheduleError)
        rows = rows.with_columns(
            pl.col("hts_number").fill_null("").str.replace_all(r"\.", "").alias("code"),
            pl.col("general").fill_null(""), pl.col("special").fill_null(""))
        rows = rows.filter(pl.col("code").str.len_chars().is_in([8, 10])
                           & pl.col("code").str.contains(r"^\d+$")
                           & ~pl.col("code").str.starts_with("99"))
        if rows.height == 0:
            raise ScheduleError("no HTS8 or HTS10 line found", location=Location(source),
                                expected="HTS numbers such as 8703.23.01 or 8703.23.01.10")
        codes = rows["code"].to_list()
        general = rows["general"].to_list()
        special = rows["special"].to_list()
        # HTS8 lines carry the rates; HTS10 lines without their own text inherit them.
        rate_of8: dict[str, tuple[str, str]] = {}
        for c, g, s in zip(codes, general, special):
            if len(c) == 8:
                rate_of8[c] = (g, s)
        has_child = {c[:8] for c in codes if len(c) == 10}
        leaf_code, leaf_g, leaf_s = [], [], []
        for c, g, s in zip(codes, general, special):
            if len(c) == 8 and c in has_child:
                continue
            if len(c) == 10 and not g:
                g, s = rate_of8.get(c[:8], ("", ""))
            leaf_code.append(c)
            leaf_g.append(g)
            leaf_s.append(s)
        parsed = [parse_rate(g) for g in leaf_g]
        lines = pl.DataFrame({
            "code": leaf_code,
            "general_rate": [p[0] for p in parsed],
            "general_kind": [p[1] for p in parsed],
            "general_text": leaf_g,
        }).unique("code", keep="first", maintain_order=True)
        sp_code, sp_prog, sp_rate, sp_kind = [], [], [], []
        for c, s in zip(leaf_code, leaf_s):
            for prog, rtext in parse_special(s).items():
                r, k = parse_rate(rtext)
                if np.isnan(r):
                    continue
                sp_code.append(c)
                sp_prog.append(prog)
                sp_rate.append(r)
                sp_kind.append(k)
        special_df = pl.DataFrame({"code": sp_code, "program": sp_prog, "rate": sp_rate,
                                   "kind": sp_kind},
                                  schema={"code": pl.Utf8, "program": pl.Utf8, "rate": pl.Float64,
                                          "kind": pl.Utf8}).unique(["code", "program"])
        return cls(lines, special_df, source)

    @classmethod
    def from_hts_csv(cls, path: Path | str) -> "Column1Schedule":
        """Read the USITC HTS CSV export (``HTS Number``, ``General Rate of Duty``, ...)."""
        p = Path(path)
        try:
            raw = pl.read_csv(p, infer_schema=False, encoding="utf8-lossy")
        except (OSError, pl.exceptions.ComputeError) as exc:
            raise ScheduleError(f"cannot be read ({exc.__class__.__name__})",
                                location=Location(str(p))) from None
        raw = raw.rename({c: c.lstrip("\ufeff").strip() for c in raw.columns})
        mapping = {"HTS Number": "hts_number", "General Rate of Duty": "general",
                   "Special Rate of Duty": "special"}
        missing = [k for k in mapping if k not in raw.columns]
        if missing:
            raise with_value("not an HTS export: column missing", location=Location(str(p), 1, missing[0]),
                             value=raw.columns[:6], expected="the USITC HTS CSV columns "
                             "'HTS Number', 'General Rate of Duty', 'Special Rate of Duty'",
                             cls=ScheduleError)
        return cls.from_text_rows(raw.rename(mapping), source=str(p))

    @classmethod
    def from_excerpt_csv(cls, path: Path | str) -> "Column1Schedule":
        """Read a small excerpt with columns hts_number, description, general, special."""
        p = Path(path)
        raw = pl.read_csv(p, infer_schema=False)
        return cls.from_text_rows(raw, source=str(p))

    # ------------------------------------------------------------ queries
    @property
    def programs(self) -> list[str]:
        return sorted(self.special["program"].unique().to_list())

    def _resolve(self, codes: Sequence[str]) -> pl.DataFrame:
        """Map query codes to leaf codes: (query, leaf) pairs."""
        q = pl.DataFrame({"query": list(dict.fromkeys(codes))}, schema={"query": pl.Utf8})
        leaves = self.lines.select("code")
        pairs = []
        for length in (2, 4, 6, 8, 10):
            sub = q.filter(pl.col("query").str.len_chars() == length)
            if sub.height == 0:
                continue
            # leaves under the query (query shorter than or equal to leaf)
            under = leaves.with_columns(pl.col("code").str.slice(0, length).alias("query")).join(
                sub, on="query", how="inner")
            pairs.append(under.select("query", pl.col("code").alias("leaf")))
            # query longer than an HTS8 leaf: HTS10 query → its HTS8 leaf
            if length == 10:
                up = sub.with_columns(pl.col("query").str.slice(0, 8).alias("code")).join(
                    leaves, on="code", how="inner")
                pairs.append(up.select("query", pl.col("code").alias("leaf")))
        found = pl.concat(pairs) if pairs else pl.DataFrame(schema={"query": pl.Utf8, "leaf": pl.Utf8})
        missing = q.join(found.select("query").unique(), on="query", how="anti")
        for length in (8, 6, 4):         # a line renumbered since the data's year: its parent's lines
            if not (missing.height and self.renumbered_parents):
                break
            up = missing.with_columns(pl.col("query").str.slice(0, length).alias("parent")).join(
                leaves.with_columns(pl.col("code").str.slice(0, length).alias("parent")), on="parent")
            found = pl.concat([found, up.select("query", pl.col("code").alias("leaf"))])
            missing = missing.join(up.select("query").unique(), on="query", how="anti")
        if missing.height and self.renumbered_parents:
            # Census statistical codes of chapter 99 (e.g. 9999.95 low-value shipments) have no
            # tariff line: they stand for themselves at no column-1 duty.
            stat = missing.filter(pl.col("query").str.starts_with("99"))
            found = pl.concat([found, stat.select("query", pl.col("query").alias("leaf"))])
            missing = missing.join(stat, on="query", how="anti")
        if missing.height:
            ex = ", ".join(missing["query"].head(5).to_list())
            raise with_value(f"{missing.height} HS code(s) are not in the column-1 schedule",
                             location=Location(self.source, None, "product"), value=ex,
                             expected="codes that exist in the HTS (check the HS version and "
                                      "leading zeros)", cls=ScheduleError)
        return found.unique()

    def rates(self, codes: Sequence[str], *, program: str | None = None,
              share: float = 1.0) -> pl.DataFrame:
        """General and (optionally) preferential rate per query code.

        Returns ``product, general_rate, special_rate, kind, mixed``: rates are
        simple means over the leaf lines under each code; ``special_rate`` is
        the program's rate where granted, the general rate elsewhere.
        """
        pairs = self._resolve(codes)
        leaf = pairs.join(self.lines, left_on="leaf", right_on="code", how="left").with_columns(
            pl.col("general_rate").fill_null(0.0), pl.col("general_kind").fill_null("free"))
        if program is not None:
            sp = self.special.filter(pl.col("program") == program).select(
                pl.col("code").alias("leaf"), pl.col("rate").alias("program_rate"))
            leaf = leaf.join(sp, on="leaf", how="left").with_columns(
                pl.min_horizontal(pl.col("program_rate").fill_null(pl.col("general_rate")),
                                  pl.col("general_rate")).alias("special_rate"))
        else:
            leaf = leaf.with_columns(pl.col("general_rate").alias("special_rate"))
        out = leaf.group_by("query").agg(
            pl.col("general_rate").fill_nan(0.0).mean().alias("general_rate"),
            pl.col("special_rate").fill_nan(0.0).mean().alias("special_rate"),
            pl.col("general_kind").first().alias("kind"),
            (pl.col("general_rate").n_unique() > 1).alias("mixed"),
        ).rename({"query": "product"})
        return out

    def general_rate(self, code: str) -> float:
        return float(self.rates([code])["general_rate"][0])

    def special_rate(self, code: str, program: str) -> float:
        return float(self.rates([code], program=program)["special_rate"][0])

    def leaf_codes(self) -> list[str]:
        return self.lines["code"].to_list()


def union(schedules: Iterable[Column1Schedule]) -> Column1Schedule:
    """Concatenate schedules (first wins on duplicate codes)."""
    items = list(schedules)
    lines = pl.concat([s.lines for s in items]).unique("code", keep="first", maintain_order=True)
    special = pl.concat([s.special for s in items]).unique(["code", "program"], keep="first")
    return Column1Schedule(lines, special, " + ".join(s.source for s in items))
