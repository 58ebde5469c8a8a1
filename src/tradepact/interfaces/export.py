"""Writing an Assessment to files: JSON, CSV, Excel. Renders only; computes nothing.

A report folder is written **as a whole**: every file goes into a temporary
sibling folder (``.NAME.tmp-*`` beside the output), which is swapped in for
the old folder at the end in one atomic step (``renameat2(RENAME_EXCHANGE)``
on Linux, else two renames). An interrupted run leaves the old report whole;
a finished one leaves the new report whole. An advisory lock (``flock`` on
the output's parent folder) makes a second run on the same folder wait
(up to :data:`~tradepact.core.limits.REPORT_LOCK_WAIT_S` s), then fail with a
clear message. Temporary files, the Excel writer's included, live inside
the temporary folder and are removed on every exit path (``SIGKILL`` aside:
a later run removes what a killed one left). Files in an old report folder
that tradepact did not write there are carried over into the new one.

JSON is strict: ``allow_nan=False`` everywhere; a figure that cannot be
computed is ``null`` and named under ``"null_reasons"``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import json
import math
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import limits
from ..core.errors import InputFileError, Location

try:  # the fast JSON writer (a base dependency; the standard library's writer if absent)
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None

if TYPE_CHECKING:  # the JSON writer serves every command; pandas loads only with an assessment
    from ..results.assessment import Assessment

#: Files a report folder holds (anything else found in an old one is carried over).
REPORT_FILES = ("assessment.json", "headline.csv", "annual.csv", "provenance.csv", "tariffs.csv",
                "tariff_timeline.csv", "assessment.xlsx", "index.html")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then move ``tmp`` over ``path`` (one file)."""
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
    """Check the output path and create its parent; refuse a path that is a file."""
    out = Path(out)
    try:
        if out.exists() and not out.is_dir():
            raise InputFileError("the output path is a file, not a folder", location=Location(str(out)),
                                 expected="a folder path for the report (it is created if missing)")
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise InputFileError(f"cannot create the output folder ({getattr(exc, 'strerror', None) or exc})",
                             location=Location(str(out)), expected="a writable folder") from None
    return out


# ---------------------------------------------------------------- folder swap and lock
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(new: Path, out: Path) -> None:
    """Make ``new`` the folder at ``out``; afterwards ``new`` holds the old folder (if any)."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return
    old = new.with_name(new.name + ".old")
    os.rename(out, old)        # pragma: no cover - kernels without renameat2
    os.rename(new, out)
    os.rename(old, new)


@contextmanager
def _locked(parent: Path, out: Path) -> Iterator[None]:
    """Hold an advisory lock on the output's parent folder while a report is written."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + limits.REPORT_LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InputFileError(
                        f"another tradepact run is writing a report here and did not finish within "
                        f"{limits.REPORT_LOCK_WAIT_S:g} s", location=Location(str(out)),
                        expected="one run per output folder at a time (wait, or choose another --out)"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)   # releases the lock


def _stale(parent: Path, name: str) -> list[Path]:
    return [p for p in parent.glob(f".{name}.tmp-*")]


@contextmanager
def report_folder(out: Path | str) -> Iterator[Path]:
    """A temporary sibling folder to write a report into, swapped in for ``out``
    as a whole when the block ends without an error. Errors name ``out``."""
    out = prepare_dir(Path(out)).absolute()
    parent = out.parent
    try:
        with _locked(parent, out):
            for p in _stale(parent, out.name):     # left by a killed run
                shutil.rmtree(p, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
            saved_tempdir = tempfile.tempdir
            try:
                scratch = tmp / ".scratch"
                scratch.mkdir()
                tempfile.tempdir = str(scratch)      # the Excel writers' temporary files
                try:
                    yield tmp
                finally:
                    tempfile.tempdir = saved_tempdir
                shutil.rmtree(scratch, ignore_errors=True)
                _carry_over(out, tmp)
                os.chmod(tmp, 0o777 & ~_umask())
                _swap_in(tmp, out)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except PermissionError as exc:
        raise InputFileError(f"cannot write the report ({exc.strerror})", location=Location(str(out)),
                             expected="a folder you may write to (and its parent)") from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.ENAMETOOLONG, errno.ENOTDIR,
                         errno.EACCES):
            raise InputFileError(f"cannot write the report ({exc.strerror})", location=Location(str(out)),
                                 expected="a writable folder with free space") from None
        raise


def _carry_over(old: Path, new: Path) -> None:
    """Keep files of an old report folder that tradepact did not write."""
    if not old.is_dir():
        return
    for entry in old.iterdir():
        if entry.name in REPORT_FILES or (new / entry.name).exists():
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            try:
                os.link(entry, new / entry.name, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry, new / entry.name, follow_symlinks=False)


# ---------------------------------------------------------------- strict JSON
def strict(obj: Any) -> Any:
    """``obj`` with every non-finite float replaced by ``None`` and, if any was,
    a ``"null_reasons"`` entry (path → reason) at the top of a mapping."""
    reasons: dict[str, str] = {}
    out = _clean(obj, "", reasons)
    if reasons and isinstance(out, dict):
        out = {**out, "null_reasons": {**out.get("null_reasons", {}), **reasons}}
    return out


def _reason(x: float) -> str:
    if math.isnan(x):
        return "cannot be computed (not a number)"
    return "never reached (infinite)" if x > 0 else "unbounded below (minus infinity)"


_PLAIN = (str, int, bool, type(None))


def _clean(o: Any, path: str, reasons: dict[str, str]) -> Any:
    """``o`` as plain JSON types, each non-finite float ``None`` with its path
    and reason in ``reasons``. Plain values and finite floats are kept as they
    are without building their path (only a value that turns null needs it)."""
    t = type(o)
    if t is float:
        if math.isfinite(o):
            return o
        reasons[path or "value"] = _reason(o)
        return None
    if t in _PLAIN:
        return o
    if t is dict or isinstance(o, dict):
        out = {}
        for k, v in o.items():
            tv = type(v)
            if tv in _PLAIN or (tv is float and math.isfinite(v)):
                out[k] = v
            else:
                out[k] = _clean(v, f"{path}.{k}" if path else str(k), reasons)
        return out
    if t is list or t is tuple or isinstance(o, (list, tuple)):
        items = []
        for i, v in enumerate(o):
            tv = type(v)
            if tv in _PLAIN or (tv is float and math.isfinite(v)):
                items.append(v)
            else:
                items.append(_clean(v, f"{path}[{i}]", reasons))
        return items
    return _clean_other(o, path, reasons)


def _clean_other(o: Any, path: str, reasons: dict[str, str]) -> Any:
    """Numbers of other types (NumPy scalars, float subclasses) and arrays."""
    if isinstance(o, float) or (hasattr(o, "dtype") and getattr(o, "ndim", 1) == 0):
        try:
            x = float(o)
        except (TypeError, ValueError):
            return o
        if not math.isfinite(x):
            reasons[path or "value"] = _reason(x)
            return None
        return x if isinstance(o, float) or getattr(o.dtype, "kind", "") == "f" else o.item()
    if hasattr(o, "tolist") and not isinstance(o, (str, bytes)):
        return _clean(o.tolist(), path, reasons)
    return o


#: ``dumps`` options the fast writer (orjson) renders exactly as :func:`json.dumps` would parse back.
_FAST_KWARGS = {"indent", "ensure_ascii", "sort_keys"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _escape(m: re.Match[str]) -> str:
    """``\\uXXXX`` escape of one character (a surrogate pair above U+FFFF), as ``json.dumps``."""
    c = ord(m.group())
    if c < 0x10000:
        return f"\\u{c:04x}"
    c -= 0x10000
    return f"\\u{0xD800 + (c >> 10):04x}\\u{0xDC00 + (c & 0x3FF):04x}"


def dumps(obj: Any, **kwargs: Any) -> str:
    """Strict JSON text of ``obj`` (non-finite numbers become null with a reason).

    Written by orjson when it is installed and the options are ``indent=2``,
    ``ensure_ascii`` and ``sort_keys``: the text of :func:`json.dumps` (same
    keys, order, indentation, escapes, dates through :func:`_json_default`)
    except that a float may be spelt differently (``0.00001`` for ``1e-05``),
    the same number once parsed. Other options take the standard writer."""
    kwargs.setdefault("indent", 2)
    clean = strict(obj)
    if _orjson is not None and set(kwargs) <= _FAST_KWARGS and kwargs["indent"] == 2:
        option = _orjson.OPT_NON_STR_KEYS | _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_INDENT_2
        if kwargs.get("sort_keys"):
            option |= _orjson.OPT_SORT_KEYS
        try:
            text = _orjson.dumps(clean, default=_json_default, option=option).decode()
        except TypeError:       # a type orjson does not know (e.g. an int beyond 64 bits): the standard writer
            pass
        else:
            if kwargs.get("ensure_ascii", True) and not text.isascii():
                text = _NON_ASCII.sub(_escape, text)
            return text
    return json.dumps(clean, default=_json_default, allow_nan=False, **kwargs)


def assessment_json(assessment: Assessment) -> str:
    return dumps(assessment.to_dict())


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def write_tables(assessment: Assessment, out: Path) -> list[Path]:
    """JSON, five CSVs and one Excel workbook of the assessment, written as a whole."""
    with report_folder(out) as tmp:
        names = tables_into(assessment, tmp)
    final = prepare_dir(Path(out))
    return [final / n for n in names]


def tables_into(assessment: Assessment, folder: Path, *, excel: bool = True) -> list[str]:
    """Write the tables into ``folder`` (a report folder being built); their
    names. ``excel``: also the workbook (needs xlsxwriter, else openpyxl)."""
    headline = assessment.headline_frame()
    annual = assessment.annual_frame()
    provenance = assessment.provenance()
    tariffs = assessment.tariffs_frame()
    timeline = assessment.timeline_frame()
    written: list[str] = []

    def put(name: str, write: Callable[[Path], None]) -> None:
        write(folder / name)
        written.append(name)

    put("assessment.json", lambda p: p.write_text(assessment_json(assessment), encoding="utf-8"))
    put("headline.csv", lambda p: headline.to_csv(p, index_label="figure"))
    put("annual.csv", lambda p: annual.to_csv(p, index=False))
    put("provenance.csv", lambda p: provenance.to_csv(p, index=False))
    put("tariffs.csv", lambda p: tariffs.to_csv(p, index=False))
    put("tariff_timeline.csv", lambda p: timeline.to_csv(p, index=False))

    if not excel:
        return written
    sheets = [("headline", headline, "figure"), ("annual", annual, None), ("tariffs", tariffs, None),
              ("tariff_timeline", timeline, None), ("provenance", provenance, None)]
    from .xlsx import write_xlsx, write_xlsx_pandas
    if _has("xlsxwriter"):
        put("assessment.xlsx", lambda p: write_xlsx(p, sheets))
    elif _has("openpyxl"):
        put("assessment.xlsx", lambda p: write_xlsx_pandas(p, sheets))
    return written


def _has(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None
