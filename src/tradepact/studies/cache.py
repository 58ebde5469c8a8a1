"""A disk cache of tariff-engine tables, keyed by the content of their inputs.

The tariff relief and the rate timeline of a scenario depend only on the
measures of its two regimes, the HTS schedule, the trade data, the partner and
the years, and they take seconds on the full HTS10 data. They are kept as
Parquet under ``$TRADEPACT_CACHE_DIR`` (default ``~/.cache/tradepact``), named
by the SHA-256 of a description of every input and of the package version, so
a changed measure, list, schedule or code version is a different key (never a
stale answer). ``TRADEPACT_CACHE_DIR=off`` disables it. A cache that cannot be
written is skipped silently: it only saves time.

Results of whole studies on shipped inputs (the verdict) are kept as pickles
by :func:`cached_object` under :func:`results_key`: the package's content
hash (:func:`tradepact.core.yamlfast.package_digest`: code, parameters,
scenarios, data), the study's own arguments, and the versions of Python and
of the numeric libraries (NumPy, SciPy, numba or none, pandas, Polars,
PyArrow), which decide the last bits of a float.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import __version__
from ..core.yamlfast import cache_dir, cached_pickle

if TYPE_CHECKING:
    import pandas as pd


def inputs_key(kind: str, inputs: Any, extra: Any = None) -> str:
    """SHA-256 of everything a tariff table depends on (measures, schedule and
    trade sources, partner, firms, method, response, extra arguments)."""
    from ..io.shipped import manifest
    parts = {
        "kind": kind, "version": __version__,
        "with": [m.model_dump_json() for m in inputs.with_deal], "without": [m.model_dump_json() for m in
                                                                             inputs.without_deal],
        "regimes": [inputs.with_deal.regime, inputs.without_deal.regime],
        "partner": inputs.partner, "method": inputs.method,
        "firms": sorted((inputs.firm_shares or {}).items()),
        "costs": sorted((k, list(v)) for k, v in (inputs.disclosed_costs_usd_bn or {}).items()),
        "response": repr(inputs.response), "data": json.dumps(manifest(), sort_keys=True, default=str),
        "groups": sorted(inputs.system.groups.prefixes.items()), "extra": extra,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _entry(key: str) -> Path | None:
    root = cache_dir()
    return root / f"{key}.parquet" if root is not None else None


def _store(path: Path | None, columns: Mapping[str, Any], attrs: Mapping[str, Any]) -> None:
    """Write ``columns`` (and ``attrs``, as JSON beside them) under ``path``; skipped if it fails."""
    if path is None:
        return
    tmp = None
    try:
        import polars as pl
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        pl.DataFrame({c: np.asarray(v) for c, v in columns.items()}).write_parquet(tmp)
        os.replace(tmp, path)
        if attrs:
            path.with_suffix(".json").write_text(json.dumps({k: list(v) if isinstance(v, tuple) else v
                                                             for k, v in attrs.items()}, default=str))
    except Exception:  # noqa: BLE001 - caching is optional
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def cached_columns(key: str, compute: Callable[[], Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The table stored under ``key`` as NumPy columns (text as object arrays),
    computing and storing it if absent. No pandas: the payoffs read the relief this way."""
    path = _entry(key)
    if path is not None and path.is_file():
        try:
            import polars as pl
            table = pl.read_parquet(path)
            return {c: table[c].to_numpy() for c in table.columns}
        except Exception:  # noqa: BLE001 - a damaged cache entry is recomputed
            pass
    columns = dict(compute())
    _store(path, columns, {})
    return columns


def cached_frame(key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The frame stored under ``key``, computing and storing it if absent."""
    path = _entry(key)
    if path is not None and path.is_file():
        try:
            import polars as pl

            from ..io.frame import polars_to_pandas
            frame = polars_to_pandas(pl.read_parquet(path))
            for col in frame.columns:
                if str(frame[col].dtype).startswith("datetime64"):
                    frame[col] = frame[col].astype("datetime64[ns]")
            attrs = path.with_suffix(".json")
            if attrs.is_file():
                frame.attrs.update(json.loads(attrs.read_text()))
            return frame
        except Exception:  # noqa: BLE001 - a damaged cache entry is recomputed
            pass
    frame = compute()
    _store(path, {c: frame[c].to_numpy() for c in frame.columns}, frame.attrs)
    return frame


#: Libraries whose versions can change a study's last bits (numba: the compiled kernel or NumPy).
_NUMERIC_STACK = ("numpy", "scipy", "numba", "pandas", "polars", "pyarrow")


@functools.lru_cache(maxsize=1)
def _stack() -> dict[str, str | None]:
    """Python's and the numeric libraries' versions (None: not installed)."""
    import platform
    import sys
    from importlib import metadata

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None
    return {"python": sys.version, "machine": platform.machine(), **{d: version(d) for d in _NUMERIC_STACK}}


def results_key(kind: str, arguments: Any) -> str:
    """SHA-256 naming a study's result: ``kind``, its ``arguments`` (JSON), the
    package's content hash and the numeric stack."""
    from ..core.yamlfast import package_digest
    parts = {"kind": kind, "version": __version__, "package": package_digest(), "arguments": arguments,
             "stack": _stack()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def cached_object(key: str, compute: Callable[[], Any]) -> Any:
    """The object pickled under ``key``, computing and storing it if absent
    (an unreadable entry is recomputed; a failed write is skipped)."""
    root = cache_dir()
    if root is None:
        return compute()
    return cached_pickle(root / "results" / f"{key}.pickle", compute, keep=MAX_RESULTS)


#: Results kept in the cache; the least recently written beyond it are removed.
MAX_RESULTS = 64
