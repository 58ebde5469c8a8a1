"""The joint distribution a simulation draws from, read from the scenario files
(light to import: the samplers load when a distribution is read).

:func:`load_uncertainty` finds the file of a scenario's base chain that declares
its ``uncertainty`` (for line numbers in errors), reads the values of any
empirical distribution (CSV or ``.npy``, confined to the declaring file's
folder) and validates the whole (:func:`tradepact.resolve.uncertainty.uncertainty_model`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import InputFileError, Location, ScenarioError, TradepactError, with_value
from ..core.parameters import ParameterNode
from ..core.scenario import SCENARIO_ROOT, EmpiricalDistSpec, Scenario
from ..core.yamlio import load_yaml_file

#: Largest file of empirical values read.
EMPIRICAL_MAX_BYTES = 200_000_000
#: The shipped uncertainty that ``tradepact simulate`` and the verdict apply to scenarios without their own.
DEFAULT_UNCERTAINTY = "us_kr_2025/final_uncertain"


def _declaring_file(scenario: Scenario) -> tuple[Path | None, Any]:
    """The file of the base chain whose ``uncertainty`` the scenario uses, and its data."""
    path: Path | None = Path(scenario.source)
    seen: set[str] = set()
    while path is not None and path.is_file() and str(path.resolve()) not in seen:
        seen.add(str(path.resolve()))
        data = load_yaml_file(path)
        if not isinstance(data, dict):
            break
        if "uncertainty" in data or "correlations" in data:
            return path, data
        base = data.get("base")
        if not isinstance(base, str):
            break
        path = (path.parent / base) if base.endswith((".yaml", ".yml")) else (SCENARIO_ROOT / f"{base}.yaml")
    return (Path(scenario.source) if Path(scenario.source).is_file() else None), scenario.own


def _load_empirical(spec: EmpiricalDistSpec, base_dir: Path | None, where: Location,
                    declaring: Path | None = None) -> np.ndarray:
    """Values of an empirical distribution. The path resolves relative to the
    declaring scenario file and may not leave its folder (``--allow-path``);
    errors name the file and the problem, never the file's contents."""
    import pandas as pd
    from ..core.scenario import checked_path
    if declaring is not None:
        p = checked_path(spec.file, declaring, where, "empirical draws")
    else:
        p = Path(spec.file)
        if not p.is_absolute() and base_dir is not None:
            p = base_dir / p
    if not p.is_file():
        raise with_value("empirical draws: file not found", location=where, value=spec.file,
                         expected=f"a CSV or .npy file relative to {base_dir or 'the scenario file'}",
                         cls=InputFileError)
    if p.stat().st_size > EMPIRICAL_MAX_BYTES:
        raise InputFileError(f"empirical draws: {p.name} is larger than {EMPIRICAL_MAX_BYTES // 10**6} MB",
                             location=where, expected="a smaller file of observed values")
    try:
        if p.suffix.lower() == ".npy":
            if spec.column is not None:
                raise with_value("a .npy file has no columns", location=where, value=spec.column,
                                 expected="no 'column' key for a .npy file", cls=ScenarioError)
            arr = np.load(p, allow_pickle=False)
            if arr.ndim == 2 and 1 in arr.shape:
                arr = arr.reshape(-1)
            if arr.ndim != 1:
                raise with_value("empirical draws: the array is not one-dimensional", location=where,
                                 value=list(arr.shape), expected="a 1-D array of values", cls=InputFileError)
            values = arr.astype(float)
        elif p.suffix.lower() in (".csv", ".txt"):
            frame = pd.read_csv(p)
            if spec.column is None:
                if frame.shape[1] != 1:
                    raise ScenarioError(f"empirical draws: {p.name} has {frame.shape[1]} columns",
                                        location=where, expected="a 'column' key naming one of them")
                series = frame.iloc[:, 0]
            else:
                if spec.column not in frame.columns:
                    raise with_value(f"empirical draws: {p.name} has no such column", location=where,
                                     value=spec.column, expected="the name of a column in the file's header",
                                     cls=ScenarioError)
                series = frame[spec.column]
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            if np.isnan(values).any():
                row = int(np.flatnonzero(np.isnan(values))[0]) + 2
                raise InputFileError(f"empirical draws: {p.name} has a value that is not a number "
                                     f"(data row {row - 1}, line {row})", location=where,
                                     expected="numbers only")
        else:
            raise with_value("empirical draws: unknown file type", location=where, value=p.name,
                             expected="a .csv or .npy file", cls=InputFileError)
    except TradepactError:
        raise
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputFileError(f"empirical draws: cannot read {p.name} ({exc.__class__.__name__})",
                             location=where, expected="a readable CSV or .npy file") from None
    if values.size < 2 or not np.all(np.isfinite(values)):
        raise with_value("empirical draws need at least 2 finite values", location=where,
                         value=int(values.size), expected="a file of 2 or more finite numbers",
                         cls=InputFileError)
    return values


def load_uncertainty(scenario: Scenario, tree: ParameterNode | None = None,
                     holder: Scenario | None = None):
    """The validated joint distribution of ``scenario``'s uncertain inputs
    (those of ``holder`` if given), with the declaring file and any empirical
    values read here."""
    from ..resolve.uncertainty import uncertainty_model    # with the samplers (SciPy): only when drawing
    src = holder or scenario
    file, data = _declaring_file(src)
    empirical = {}
    for path, dist in src.spec.uncertainty.items():
        if isinstance(dist, EmpiricalDistSpec):
            from ..core.yamlio import line_of
            where = Location(str(file or src.source), line_of(data, ("uncertainty", path, "file")) if data else None,
                             f"uncertainty.{path}.file")
            empirical[path] = _load_empirical(dist, file.parent if file is not None else None, where, file)
    return uncertainty_model(scenario, tree, uncertainty_from=holder, declared_in=(file, data),
                             empirical=empirical)


__all__ = ["DEFAULT_UNCERTAINTY", "EMPIRICAL_MAX_BYTES", "load_uncertainty"]
