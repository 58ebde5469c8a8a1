"""Writing an Assessment to files: JSON, CSV, Excel. Renders only; computes nothing.

Files are written atomically (a temporary file in the same folder, then a
rename), so a failed write never leaves a half-written file or destroys an
earlier one; other files in the output folder are left alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, Location
from ..results.assessment import Assessment


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then move ``tmp`` over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_dir(out: Path) -> Path:
    """Create the output folder; refuse a path that is a file."""
    if out.exists() and not out.is_dir():
        raise InputFileError("the output path is a file, not a folder", location=Location(str(out)),
                             expected="a folder path for the report (it is created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputFileError(f"cannot create the output folder ({exc.strerror})",
                             location=Location(str(out)), expected="a writable folder") from None
    return out


def assessment_json(assessment: Assessment) -> str:
    return json.dumps(assessment.to_dict(), indent=2, default=_json_default, allow_nan=False)


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def write_tables(assessment: Assessment, out: Path) -> list[Path]:
    """JSON, five CSVs and one Excel workbook of the assessment."""
    out = prepare_dir(out)
    headline = assessment.headline_frame()
    annual = assessment.annual_frame()
    provenance = assessment.provenance()
    tariffs = assessment.tariffs_frame()
    timeline = assessment.timeline_frame()
    written = []

    def put(name: str, write: Callable[[Path], None]) -> None:
        path = out / name
        atomic_write(path, write)
        written.append(path)

    put("assessment.json", lambda p: p.write_text(assessment_json(assessment), encoding="utf-8"))
    put("headline.csv", lambda p: headline.to_csv(p, index_label="figure"))
    put("annual.csv", lambda p: annual.to_csv(p, index=False))
    put("provenance.csv", lambda p: provenance.to_csv(p, index=False))
    put("tariffs.csv", lambda p: tariffs.to_csv(p, index=False))
    put("tariff_timeline.csv", lambda p: timeline.to_csv(p, index=False))

    def excel(p: Path) -> None:
        import pandas as pd
        # xlsxwriter writes a workbook several times faster than openpyxl (Excel extra).
        engine = "xlsxwriter" if _has("xlsxwriter") else "openpyxl"
        with pd.ExcelWriter(p, engine=engine) as xl:
            headline.to_excel(xl, sheet_name="headline", index_label="figure")
            annual.to_excel(xl, sheet_name="annual", index=False)
            tariffs.to_excel(xl, sheet_name="tariffs", index=False)
            timeline.to_excel(xl, sheet_name="tariff_timeline", index=False)
            provenance.to_excel(xl, sheet_name="provenance", index=False)
    if _has("xlsxwriter") or _has("openpyxl"):
        put("assessment.xlsx", excel)
    return written


def _has(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None
