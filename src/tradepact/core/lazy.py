"""Lazy re-exports (PEP 562): a package names its public objects without importing them.

``tradepact --help`` must start in well under a second, so packages do not
import their modules (and numpy, pandas, Polars, pydantic behind them) until
an attribute is first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps a name to
    the submodule (relative, e.g. ``".engine"``) that defines it."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__


class LazyModule:
    """A module imported when one of its attributes is first read.

    ``pd = LazyModule("pandas")`` at the top of a module that only builds
    frames in some of its functions: commands that never call them (the
    zone of agreement, the Monte Carlo) do not pay for importing pandas."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"
