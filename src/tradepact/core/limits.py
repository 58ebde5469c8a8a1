"""The documented ranges and size limits of every input, in one place.

Validation (the strict YAML loader, the scenario model, the resolver, the CLI
options and the memory budget) reads its bounds from here, so that the limit
a message names is the limit that is enforced. This docstring is the written
list of the ranges.

Years and dates
    Calendar years from :data:`YEAR_MIN` to :data:`YEAR_MAX`; a modelled
    horizon of at most :data:`MAX_HORIZON_YEARS` years. Dates (``as_of``,
    selection deadlines, overlay date ranges) lie in the same years.
Counts
    Monte Carlo draws at most :data:`MAX_DRAWS`; optimiser refinement points at
    most :data:`MAX_REFINE`; Dask workers at most :data:`MAX_WORKERS`; a
    funding lag at most :data:`MAX_FUNDING_LAG_BUSINESS_DAYS` business days.
Files
    A YAML file at most :data:`MAX_FILE_BYTES` bytes, nested at most
    :data:`MAX_NESTING` levels, with integers of at most
    :data:`MAX_INTEGER_DIGITS` digits and no control characters other than
    tab, line feed and carriage return; a ``base:`` chain at most
    :data:`MAX_BASE_CHAIN` files long.
Memory
    A run whose estimated memory exceeds ``--max-memory`` is refused; the
    default is :data:`DEFAULT_MEMORY_SHARE` of the machine's RAM.
"""

from __future__ import annotations

#: Lowest and highest calendar year of any year or date in a scenario.
YEAR_MIN = 1990
YEAR_MAX = 2200
#: Longest modelled horizon (end year - start year + 1), in years.
MAX_HORIZON_YEARS = 100

#: Most Monte Carlo draws one run may ask for (chunk beyond that).
MAX_DRAWS = 100_000_000
#: Most frontier points the optimiser may refine.
MAX_REFINE = 1_000
#: Most Dask workers one run may start.
MAX_WORKERS = 1_024
#: Most business days to fund a selected project (about four years).
MAX_FUNDING_LAG_BUSINESS_DAYS = 1_000

#: Largest YAML file read (bytes).
MAX_FILE_BYTES = 2_000_000
#: Deepest nesting of mappings and lists in a YAML file.
MAX_NESTING = 32
#: Most digits of an integer written in a YAML file.
MAX_INTEGER_DIGITS = 30
#: Longest chain of ``base:`` scenarios (the file itself included).
MAX_BASE_CHAIN = 16

#: Share of the machine's RAM a run may use unless ``--max-memory`` says otherwise.
DEFAULT_MEMORY_SHARE = 0.5

#: Seconds to wait for a Dask scheduler to answer.
SCHEDULER_CONNECT_TIMEOUT_S = 10.0
#: Seconds a report waits for another run writing the same folder.
REPORT_LOCK_WAIT_S = 120.0

#: Characters allowed in YAML text below U+0020.
ALLOWED_CONTROL = {"\t", "\n", "\r"}


def year_range_text() -> str:
    return f"a calendar year from {YEAR_MIN} to {YEAR_MAX}"


__all__ = [n for n in dir() if n.isupper()] + ["year_range_text"]
