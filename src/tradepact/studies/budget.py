"""Memory a run needs, estimated before anything is allocated.

A Monte Carlo run keeps, per scenario, its headline figures per draw (up to
a limit of draws, else quantile sketches of fixed size) and sketches of the
fan-chart series, and works on one chunk of draws at a time (a few dozen
``(chunk, years)`` arrays). A zone-of-agreement
run prices the design grid on chunks of draws (``designs × chunk × years``
arrays) and refines ``refine`` frontier points. A run whose estimate exceeds
the limit (``--max-memory``; default :data:`~tradepact.core.limits.DEFAULT_MEMORY_SHARE`
of the machine's RAM) is refused with a message saying how to split it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core import limits
from ..core.errors import Location, TradepactError, with_value

#: Bytes per stored number (float64).
CELL = 8
#: Headline figures stored per draw and scenario.
FIGURES_PER_DRAW = 40
#: Annual series kept per draw for fan charts (``simulate.FAN_SERIES``).
SERIES_PER_DRAW = 3
#: ``(chunk, years)`` working arrays the engines hold at once for one chunk.
WORK_ARRAYS = 80
#: Default design grid of ``zopa`` (``negotiation.design``).
DEFAULT_GRID = 19_800

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def machine_memory_bytes(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Total RAM from ``/proc/meminfo`` (``MemTotal``), or None where it cannot be read."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def default_max_memory() -> int:
    """The default limit: a share of the machine's RAM (8 GB where RAM is unknown)."""
    total = machine_memory_bytes()
    return int(total * limits.DEFAULT_MEMORY_SHARE) if total else 8 * 10**9


def parse_size(text: str | None, option: str = "--max-memory") -> int:
    """Bytes from ``4GB``, ``512MiB``, ``2e9`` (None: the default limit)."""
    if text is None:
        return default_max_memory()
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?(?:[eE][0-9]{1,2})?)\s*([A-Za-z]{0,3})\s*", str(text))
    unit = m.group(2).lower() if m else ""
    if m is None or unit not in _UNITS:
        raise with_value("not a memory size", location=Location(field=option), value=str(text)[:40],
                         expected="a size such as 4GB, 512MB or 2GiB")
    size = float(m.group(1)) * _UNITS[unit]
    if not 10**6 <= size <= 2**60:
        raise with_value("memory size out of range", location=Location(field=option), value=str(text)[:40],
                         expected="a size from 1MB to 1EiB")
    return int(size)


def simulation_bytes(n_draws: int, n_years: int, n_scenarios: int, chunk: int | None = None, *,
                     keep_draws: bool | None = None, keep_annual: bool = False) -> int:
    """Bytes a Monte Carlo run of ``n_scenarios`` × ``n_draws`` over ``n_years`` needs,
    as :func:`~tradepact.studies.simulate.simulate` stores it.

    Per scenario: every draw's headline figures when the draws are kept
    (``keep_draws``; default up to ``KEEP_DRAWS_MAX`` draws) and its fan-chart
    series with ``keep_annual``; every other figure or series cell is a
    stream whose values are all kept up to ``EXACT_MAX`` draws, else a sketch
    of ``BINS + 2`` counts. At one time (scenarios run one after the other):
    the exact phase of one scenario's streams (up to ``2 × EXACT_MAX`` rows
    before the grid is laid) and one chunk's working arrays."""
    from ..results.sketch import BINS, EXACT_MAX
    from .simulate import DEFAULT_CHUNK, KEEP_DRAWS_MAX
    chunk = DEFAULT_CHUNK if chunk is None else chunk
    keep = n_draws <= KEEP_DRAWS_MAX if keep_draws is None else keep_draws
    fan = SERIES_PER_DRAW * n_years
    per_draw = (FIGURES_PER_DRAW if keep else 0) + (fan if keep_annual else 0)
    streams = (0 if keep else FIGURES_PER_DRAW) + (0 if keep_annual else fan)
    kept_streams = streams * (n_draws if n_draws <= EXACT_MAX else BINS + 2)
    exact_phase = streams * min(n_draws, 2 * EXACT_MAX)
    working = min(chunk, n_draws) * n_years * WORK_ARRAYS
    return int(CELL * (n_scenarios * (n_draws * per_draw + kept_streams) + exact_phase + working))


def zopa_bytes(n_draws: int, n_years: int, refine: int, n_designs: int = DEFAULT_GRID,
               chunk_draws: int = 256) -> int:
    """Bytes a zone-of-agreement run needs: the grid priced on one chunk of draws
    at a time, the grid's payoffs, and the refined frontier points."""
    draws = max(1, min(n_draws, chunk_draws))
    grid = n_designs * draws * n_years * 4 * CELL
    payoffs = n_designs * 8 * CELL
    refined = refine * max(1, n_draws) * n_years * WORK_ARRAYS * CELL // 16
    return int(grid + payoffs + refined)


def _fmt(n: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n / 1e3:,.0f} kB"


def check_memory(needed: int, limit: int, what: str, how: str) -> None:
    """Refuse a run whose estimate ``needed`` exceeds ``limit`` bytes."""
    if needed > limit:
        raise TradepactError(
            f"{what} would need about {_fmt(needed)} of memory, more than the limit of {_fmt(limit)}",
            location=Location(field="--max-memory"),
            expected=f"a smaller run: {how}; or raise --max-memory if the machine has the memory")


def estimate_years(scenarios: list) -> int:
    """Modelled years of the longest scenario (literal years, else the shipped defaults,
    else the longest horizon allowed)."""
    from ..core.parameters import ParameterReader, default_parameters
    from ..core.scenario import ParamRef
    longest = 1
    reader = None
    for sc in scenarios:
        ends = []
        for v in (sc.spec.start_year, sc.spec.horizon_end_year):
            if isinstance(v, ParamRef):
                try:
                    reader = reader or ParameterReader(default_parameters(), sc.spec.as_of)
                    v = int(reader.number(v.param))
                except (TradepactError, TypeError, ValueError):
                    v = None
            ends.append(v)
        if None in ends:
            return limits.MAX_HORIZON_YEARS
        longest = max(longest, min(limits.MAX_HORIZON_YEARS, ends[1] - ends[0] + 1))
    return longest


__all__ = ["check_memory", "default_max_memory", "estimate_years", "machine_memory_bytes", "parse_size",
           "simulation_bytes", "zopa_bytes"]
