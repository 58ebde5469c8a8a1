"""The contract every result shares (:class:`Result`) and named collections (:class:`ResultSet`).

A result is a frozen dataclass that

* ``to_dict()`` — a JSON-ready dict, versioned by ``"schema"`` (``kind/N``);
* ``frame()`` — its main table as a tidy pandas DataFrame, numbers not text;
* ``compare()`` — figures side by side as a DataFrame (one column per
  scenario, or per the result's natural unit), with a ``unit`` column;
* ``summary()`` — a short plain-text account;
* ``_repr_html_()`` — the comparison as HTML, units included, for notebooks;
* ``provenance()`` — every input behind it: parameter path, date, value,
  unit, status and source, as a DataFrame.

Formatting (thousands separators, percentages, "never") belongs to the
interfaces. The public surface speaks pandas: it is what analysts and
economists work in and what notebooks, Excel and CSV writers take; Polars
stays inside the tariff engine, where it earns its speed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..core.parameters import ParameterUse

PROVENANCE_COLUMNS = ("path", "date", "value", "unit", "valid_from", "status", "note", "reference", "href",
                      "pinpoint")


def provenance_frame(uses: Iterable[ParameterUse], **extra: str) -> pd.DataFrame:
    """Provenance records as a DataFrame (first reference of each)."""
    rows = []
    for u in uses:
        ref = u.references[0] if u.references else None
        rows.append({**extra, "path": u.path, "date": u.date.isoformat(), "value": u.value, "unit": u.unit,
                     "valid_from": u.valid_from.isoformat(), "status": u.status, "note": u.note or "",
                     "reference": ref.short() if ref else "", "href": ref.href if ref else "",
                     "pinpoint": ref.pinpoint if ref else ""})
    import pandas as pd
    return pd.DataFrame(rows, columns=list(extra) + list(PROVENANCE_COLUMNS))


class Result:
    """Mixin of the shared contract; subclasses define ``SCHEMA`` and the five methods."""

    SCHEMA: str = "result/1"

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - each result defines it
        raise NotImplementedError

    def frame(self) -> pd.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def compare(self) -> pd.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def provenance(self) -> pd.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def summary(self) -> str:
        return self.compare().to_string()

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """The comparison as an HTML table; units come from its ``unit`` column or,
        where the columns have one unit each, from ``attrs["units"]`` in a caption."""
        import html
        table = self.compare()
        units = table.attrs.get("units") or {}
        caption = ("<p>Units: " + "; ".join(f"{html.escape(str(k))} in {html.escape(str(v))}"
                                            for k, v in units.items()) + "</p>") if units else ""
        return (f"<p><b>{type(self).__name__}</b></p>" + table.to_html(float_format=lambda v: f"{v:,.4g}")
                + caption)


R = TypeVar("R")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of Python values (what
    ``frame.to_dict(orient="records")`` gives, built column by column: several
    times faster on the long tables of a JSON document)."""
    cols = list(frame.columns)
    return [dict(zip(cols, row)) for row in zip(*(frame[c].tolist() for c in cols))]


def short_name_lookup(items: Sequence[R], name: str, *, kind: str = "scenario") -> R:
    """The item whose ``name`` is ``name``, or whose last ``/`` part is, when
    only one item has it (``a["final"]`` for ``us_kr_2025/final``)."""
    for item in items:
        if getattr(item, "name") == name:
            return item
    hits = [item for item in items if getattr(item, "name").rpartition("/")[2] == name]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(getattr(i, "name") for i in items)
    if hits:
        raise KeyError(f"{name!r} is ambiguous: {names}")
    raise KeyError(f"no {kind} named {name!r}; have {names}")


class ResultSet(Result, Generic[R]):
    """Named results side by side; ``items`` is a tuple of results with ``name``."""

    items: tuple

    def __getitem__(self, name: str) -> R:
        return short_name_lookup(self.items, name)

    def __iter__(self) -> Iterator[R]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def names(self) -> list[str]:
        return [getattr(i, "name") for i in self.items]
