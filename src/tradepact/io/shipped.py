"""Readers of the derived data shipped in ``tradepact/data/`` (built by ``make data``).

Each function returns a polars DataFrame, read once and cached. The files and their
columns are described in ``tradepact/data/LISTS.md`` and ``scripts/build_data.py``;
``manifest()`` gives each file's raw sources and sha256. Dates are ``pl.Date`` and
intervals are half-open: ``valid_from`` ≤ date < ``valid_until`` (null = open).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputFileError, Location

if TYPE_CHECKING:
    import polars as pl

DATA_ROOT = Path(__file__).resolve().parents[1] / "data"

_COLUMNS: dict[str, tuple[str, ...]] = {
    "hts.parquet": ("code", "description", "general_text", "general_rate", "general_kind",
                    "column2_rate", "valid_from", "valid_until"),
    "hts_special.parquet": ("code", "program", "rate", "kind", "valid_from", "valid_until"),
    "imports_2024.parquet": ("hs10", "partner", "customs_value_usd", "calculated_duty_usd"),
    "product_lists.parquet": ("list", "hts_prefix", "share", "valid_from", "valid_until", "source"),
    "product_shares.parquet": ("table", "hs10", "partner", "share"),
    "concordance.parquet": ("hs10", "naics6", "naics4", "naics3", "naics_source", "gtap"),
    "fx_monthly.parquet": ("month", "currency", "lcu_per_usd"),
}


def _read(name: str, root: Path | None = None) -> "pl.DataFrame":
    """Read one shipped Parquet file and check its columns; raise a located error if it cannot."""
    import polars as pl

    path = (root or DATA_ROOT) / name
    if not path.is_file():
        raise InputFileError("shipped data file is missing", location=Location(str(path)),
                             expected="the files built by `make data` in tradepact/data/ "
                                      "(reinstall the package, or run `make data`)")
    try:
        frame = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputFileError(f"shipped data file cannot be read ({exc.__class__.__name__})",
                             location=Location(str(path)),
                             expected="a Parquet file written by scripts/build_data.py") from None
    missing = [c for c in _COLUMNS[name] if c not in frame.columns]
    if missing:
        raise InputFileError("shipped data file lacks a column", location=Location(str(path), None, missing[0]),
                             expected=f"the columns {', '.join(_COLUMNS[name])}")
    return frame


@lru_cache(maxsize=None)
def hts_lines() -> "pl.DataFrame":
    """HTS leaf lines over time: general (MFN) rate as a fraction, its kind, column 2 rate."""
    return _read("hts.parquet")


@lru_cache(maxsize=None)
def hts_special() -> "pl.DataFrame":
    """Special-program rates (KR, JP, S, S+, AU, ...) per HTS leaf line over time."""
    return _read("hts_special.parquet")


@lru_cache(maxsize=None)
def imports_2024() -> "pl.DataFrame":
    """Census 2024 imports for consumption and calculated duty, USD, HS10 × partner (ISO3; EU = EUN)."""
    return _read("imports_2024.parquet")


@lru_cache(maxsize=None)
def product_lists() -> "pl.DataFrame":
    """Product lists of the tariff measures by name (see LISTS.md), one row per prefix."""
    return _read("product_lists.parquet")


@lru_cache(maxsize=None)
def product_shares() -> "pl.DataFrame":
    """Per-product shares: ``usmca_claims`` (CAN/MEX), ``metal_content_*``, ``auto_parts_applicability``."""
    return _read("product_shares.parquet")


@lru_cache(maxsize=None)
def concordance() -> "pl.DataFrame":
    """HS10 → NAICS (6, 4, 3 digits) and GTAP sector."""
    return _read("concordance.parquet")


@lru_cache(maxsize=None)
def fx_monthly() -> "pl.DataFrame":
    """Monthly average exchange rates, local currency units per USD (Fed H.10)."""
    return _read("fx_monthly.parquet")


@lru_cache(maxsize=None)
def manifest() -> "pl.DataFrame":
    """The build manifest, one row per output × raw input.

    Columns: ``file, rows, bytes, sha256`` of the output and ``input_path`` (relative to
    the raw folder), ``input_sha256``, ``input_bytes`` of each raw file it was built from.
    """
    import polars as pl

    path = DATA_ROOT / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [(o["file"], o["rows"], o["bytes"], o["sha256"], i["path"], i["sha256"], i["bytes"])
                for o in data["outputs"].values() for i in o["inputs"]]
    except FileNotFoundError:
        raise InputFileError("shipped data manifest is missing", location=Location(str(path)),
                             expected="manifest.json written by `make data`") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputFileError(f"shipped data manifest cannot be read ({exc.__class__.__name__})",
                             location=Location(str(path)),
                             expected="the JSON manifest written by scripts/build_data.py") from None
    return pl.DataFrame(rows, schema=["file", "rows", "bytes", "sha256", "input_path", "input_sha256",
                                      "input_bytes"], orient="row")
