"""`ImportFrame`: the one validated shape of trade data the engines take.

An :class:`ImportFrame` is a Polars table of import flows into one market
(by default the United States) with these columns:

========================  ==========  ==============================================
column                    type        meaning
========================  ==========  ==============================================
``product``               str         HS code, 2, 4, 6, 8 or 10 digits (``870323``)
``partner``               str         exporter, ISO 3166 alpha-3 (``KOR``), or one of
                                      the aggregates in ``policy/codes/partners.csv``
``period``                int         calendar year of the flow
``customs_value``         float       customs value in US dollars (not billions)
``quantity``              float       optional; the publisher's first quantity unit
========================  ==========  ==============================================

Loaders in :mod:`tradepact.io.loaders` turn publishers' files (CEPII BACI,
UN Comtrade bulk CSV, US Census imports) into this shape; every check here
is vectorised and a failure names the source, the column, the first bad
value and what was expected (linearmodels' ``PanelData`` pattern: one input
adapter, one canonical shape).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..core.errors import InputFileError, Location, with_value

REQUIRED = ("product", "partner", "period", "customs_value")
OPTIONAL = ("quantity",)
HS_LENGTHS = (2, 4, 6, 8, 10)


class TradeDataError(InputFileError):
    """Trade data that cannot be used as it is."""


def _fail(source: str, column: str, message: str, value: object, expected: str) -> TradeDataError:
    err = with_value(message, location=Location(source, None, column), value=value,
                     expected=expected, cls=TradeDataError)
    assert isinstance(err, TradeDataError)
    return err


@dataclass(frozen=True)
class ImportFrame:
    """Validated import flows ``product × partner × period`` with customs value (USD)."""

    data: pl.DataFrame
    source: str = "<memory>"

    # ------------------------------------------------------------ building
    @classmethod
    def from_polars(cls, df: pl.DataFrame, *, source: str = "<memory>",
                    known_partners: Iterable[str] | None = None) -> "ImportFrame":
        """Validate and normalise a Polars frame (column types are coerced)."""
        missing = [c for c in REQUIRED if c not in df.columns]
        if missing:
            raise _fail(source, missing[0], "required column is missing", sorted(df.columns),
                        "columns " + ", ".join(REQUIRED) + " (quantity optional)")
        cols = list(REQUIRED) + [c for c in OPTIONAL if c in df.columns]
        df = df.select(cols)
        try:
            df = df.with_columns(
                pl.col("product").cast(pl.Utf8).str.strip_chars(),
                pl.col("partner").cast(pl.Utf8).str.strip_chars().str.to_uppercase(),
                pl.col("period").cast(pl.Int32, strict=True),
                pl.col("customs_value").cast(pl.Float64, strict=True),
                *([pl.col("quantity").cast(pl.Float64, strict=True)] if "quantity" in cols else []),
            )
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            raise TradeDataError(f"a column has values of the wrong type ({str(exc).splitlines()[0]})",
                                 location=Location(source),
                                 expected="product and partner as text, period as a whole "
                                          "year, customs_value as a number") from None
        cls._check(df, source, known_partners)
        return cls(df, source)

    @classmethod
    def from_pandas(cls, df: Any, *, source: str = "<memory>",
                    known_partners: Iterable[str] | None = None) -> "ImportFrame":
        return cls.from_polars(pl.from_pandas(df), source=source, known_partners=known_partners)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, source: str = "<memory>",
                     known_partners: Iterable[str] | None = None) -> "ImportFrame":
        return cls.from_polars(pl.DataFrame(list(records)), source=source,
                               known_partners=known_partners)

    @staticmethod
    def _check(df: pl.DataFrame, source: str, known_partners: Iterable[str] | None) -> None:
        for col in df.columns:
            if col != "quantity" and df[col].null_count():
                row = int(df[col].is_null().arg_max() or 0)
                raise _fail(source, col, f"empty value in row {row + 1}", None, "a value in every row")
        bad = df.filter(~pl.col("product").str.contains(r"^\d+$")
                        | ~pl.col("product").str.len_chars().is_in(list(HS_LENGTHS)))
        if bad.height:
            raise _fail(source, "product", f"{bad.height} row(s) have a malformed HS code",
                        bad["product"][0], "an HS code of 2, 4, 6, 8 or 10 digits as text "
                        "(keep leading zeros: '010121')")
        bad = df.filter(~pl.col("partner").str.contains(r"^[A-Z]{3}$"))
        if bad.height:
            raise _fail(source, "partner", f"{bad.height} row(s) have a malformed partner code",
                        bad["partner"][0], "an ISO 3166 alpha-3 code such as KOR")
        if known_partners is not None:
            known = sorted(set(known_partners))
            bad = df.filter(~pl.col("partner").is_in(known))
            if bad.height:
                raise _fail(source, "partner", f"{bad.height} row(s) name an unknown partner",
                            bad["partner"][0], "a code listed in policy/codes/partners.csv")
        bad = df.filter(~pl.col("period").is_between(1900, 2200))
        if bad.height:
            raise _fail(source, "period", "period is not a calendar year", bad["period"][0],
                        "a year from 1900 to 2200")
        bad = df.filter(~pl.col("customs_value").is_finite() | (pl.col("customs_value") < 0))
        if bad.height:
            raise _fail(source, "customs_value", "customs value is negative or not finite",
                        bad["customs_value"][0], "a non-negative number of US dollars")
        if "quantity" in df.columns:
            bad = df.filter(pl.col("quantity") < 0)
            if bad.height:
                raise _fail(source, "quantity", "quantity is negative", bad["quantity"][0],
                            "a non-negative number or empty")

    # ------------------------------------------------------------ views
    def __len__(self) -> int:
        return self.data.height

    @property
    def periods(self) -> list[int]:
        return sorted(self.data["period"].unique().to_list())

    def to_pandas(self) -> Any:
        return polars_to_pandas(self.data)

    def aggregate(self, hs_digits: int = 6) -> "ImportFrame":
        """Sum flows up to ``hs_digits`` (2, 4, 6, 8) by product prefix."""
        if hs_digits not in HS_LENGTHS:
            raise _fail(self.source, "product", "cannot aggregate to this HS level", hs_digits,
                        "one of 2, 4, 6, 8, 10")
        too_short = self.data.filter(pl.col("product").str.len_chars() < hs_digits)
        if too_short.height:
            raise _fail(self.source, "product", f"codes are shorter than {hs_digits} digits",
                        too_short["product"][0], f"codes of at least {hs_digits} digits")
        aggs = [pl.col("customs_value").sum()]
        if "quantity" in self.data.columns:
            aggs.append(pl.col("quantity").sum())
        out = (self.data.with_columns(pl.col("product").str.slice(0, hs_digits))
               .group_by(["product", "partner", "period"], maintain_order=True).agg(aggs))
        return ImportFrame(out, self.source)

    def filter(self, *, partners: Iterable[str] | None = None,
               periods: Iterable[int] | None = None) -> "ImportFrame":
        df = self.data
        if partners is not None:
            df = df.filter(pl.col("partner").is_in(list(partners)))
        if periods is not None:
            df = df.filter(pl.col("period").is_in(list(periods)))
        return ImportFrame(df, self.source)


def polars_to_pandas(df: pl.DataFrame) -> "Any":
    """A Polars frame as a pandas frame, column by column through NumPy (no
    pyarrow needed); categorical and enum columns become strings, dates numpy dates."""
    import pandas as pd
    cols = {}
    for name, s in zip(df.columns, df.get_columns()):
        if s.dtype in (pl.Categorical,) or isinstance(s.dtype, pl.Enum):
            s = s.cast(pl.Utf8)
        cols[name] = s.to_numpy()
    return pd.DataFrame(cols, columns=df.columns)


def read_import_csv(path: "str | Any") -> ImportFrame:
    """An :class:`ImportFrame` from a CSV with ``product, partner, period, customs_value``
    (a user's file: errors name the file and the problem, never its contents)."""
    from pathlib import Path
    p = Path(path)
    if not p.is_file():
        raise InputFileError("file not found", location=Location(str(p)),
                             expected="a CSV with product, partner, period, customs_value")
    try:
        df = pl.read_csv(p, schema_overrides={"product": pl.Utf8, "partner": pl.Utf8})
    except (OSError, pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot be read as CSV ({exc.__class__.__name__})", location=Location(str(p)),
                             expected="a UTF-8 CSV with a header line") from None
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputFileError(f"column '{missing[0]}' is missing", location=Location(str(p), 1, missing[0]),
                             expected="a header with product, partner, period, customs_value")
    return ImportFrame.from_polars(df, source=str(p))
