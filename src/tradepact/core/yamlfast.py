"""Fast strict YAML for the package's own files (parameters, measures, scenarios shipped).

The package ships a few hundred small YAML files that are read on every
start. They are ours and tested, so they are parsed with LibYAML's C parser
(when PyYAML has it), keeping the strict constructors of :mod:`.yamlio`
(dates as text, duplicate keys rejected, line numbers kept, finite numbers).
A user's file always goes through :func:`tradepact.core.yamlio.load_yaml_file`,
which also bounds nesting depth and size.

What is built from those files on every start (the parameter tree, the
tariff measures and regimes) is also kept on disk by :func:`cached_build`:
a pickle under ``$TRADEPACT_CACHE_DIR`` (default ``~/.cache/tradepact``)
named by :func:`package_digest`, the SHA-256 of the path and content of
every file of the installed package (code, parameters, measures, scenarios,
data). Any change to any of them is a different name, so an entry is never
stale; ``TRADEPACT_CACHE_DIR=off`` disables the cache. Only pickles the
user owns are read (unpickling runs code); the cache folder is trusted as
much as the user's own files.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import yamlio
from .errors import InputFileError, Location

_Base = getattr(yaml, "CSafeLoader", None)


if _Base is not None:
    class _FastLoader(_Base):  # type: ignore[misc, valid-type]
        source_name: str = "<package>"

    for _tag, _fn in (("tag:yaml.org,2002:timestamp", yamlio._construct_timestamp_as_text),
                      (yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yamlio._construct_mapping),
                      (yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, yamlio._construct_sequence),
                      ("tag:yaml.org,2002:int", yamlio._construct_int),
                      ("tag:yaml.org,2002:float", yamlio._construct_float)):
        _FastLoader.add_constructor(_tag, _fn)


def load_package_yaml(path: Path | str) -> Any:
    """Read one of the package's own YAML files strictly (C parser when available)."""
    if _Base is None:
        return yamlio.load_yaml_file(path)
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot be read ({exc.__class__.__name__})", location=Location(str(p))) from None
    loader = _FastLoader(text)
    loader.source_name = str(p)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputFileError(f"is not valid YAML: {exc.problem or exc.context}",
                             location=Location(str(p), mark.line + 1 if mark else None)) from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------- built objects, cached on disk
T = TypeVar("T")

#: The installed package's folder (code, policy files, data).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
#: Entries of one kind kept in the cache (one per package version seen last).
KEEP_VERSIONS = 4


def cache_dir() -> Path | None:
    """The disk cache's folder (``$TRADEPACT_CACHE_DIR``, default ``~/.cache/tradepact``); None if ``off``."""
    env = os.environ.get("TRADEPACT_CACHE_DIR", "")
    if env.lower() == "off":
        return None
    return Path(env) if env else Path.home() / ".cache" / "tradepact"


@functools.lru_cache(maxsize=1)
def package_digest(root: Path = PACKAGE_ROOT) -> str:
    """SHA-256 of the path and bytes of every file under ``root`` (compiled
    caches aside): about 400 files, 5 MB, read in ~20 ms."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".nbi", ".nbc")):
                continue
            path = os.path.join(folder, name)
            h.update(path.encode("utf-8", "surrogateescape") + b"\0")
            with open(path, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def cached_build(kind: str, build: Callable[[], T]) -> T:
    """``build()``, kept in the disk cache under ``kind`` and :func:`package_digest`.

    An entry that cannot be read is rebuilt; a cache that cannot be written is
    skipped silently (it only saves time). Errors of ``build`` propagate and
    nothing is stored. Of the entries for ``kind``, the :data:`KEEP_VERSIONS`
    written last are kept."""
    root = cache_dir()
    if root is None:
        return build()
    # Keep a few versions (checkouts sharing the cache do not evict each other every run).
    return cached_pickle(root / f"{kind}-{package_digest()[:40]}.pickle", build, keep=KEEP_VERSIONS,
                         family=f"{kind}-*.pickle")


def cached_pickle(path: Path, compute: Callable[[], T], *, keep: int, family: str = "*.pickle") -> T:
    """The object pickled at ``path``, else ``compute()`` stored there; of the
    entries of its folder matching ``family``, the ``keep`` written last stay.
    An unreadable entry is recomputed; a failed write or prune is skipped."""
    cached = load_pickle(path)
    if cached is not MISSING:
        return cached
    value = compute()
    if store_pickle(path, value):
        try:
            entries = sorted(path.parent.glob(family), key=lambda f: f.stat().st_mtime, reverse=True)
            for old in entries[keep:]:
                old.unlink(missing_ok=True)
        except OSError:          # another run pruning at the same time
            pass
    return value


#: What :func:`load_pickle` returns for an absent or unreadable entry.
MISSING = object()


def load_pickle(path: Path) -> Any:
    """The object pickled at ``path``, or :data:`MISSING` if it is absent,
    cannot be read (a damaged cache entry is then rebuilt by the caller) or
    belongs to another user (a pickle runs code: only the user's own are read)."""
    try:
        with open(path, "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return MISSING
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - absent, truncated, from another version: rebuilt
        return MISSING


def store_pickle(path: Path, value: Any) -> bool:
    """Pickle ``value`` to ``path`` atomically (a temporary file in the same
    folder, then renamed); False if it cannot be written (caching is optional)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:20]}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except Exception:  # noqa: BLE001 - a full disk or an unpicklable value only costs time
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
