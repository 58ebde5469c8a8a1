"""One clock: ISO dates and half-open intervals.

Every query names a date. An :class:`Interval` is half-open,
``[start, stop)``: ``Interval(2026-01-01, 2028-01-01)`` covers the calendar
years 2026 and 2027 and nothing of 2028. The textual form used in scenario
files is ``"START.STOP"`` with the same meaning (``"2026-01-01.2028-01-01"``);
a single date ``"START"`` means ``[START, ∞)``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

Date = _dt.date

#: Sentinels for open ends.
MIN_DATE = _dt.date(1, 1, 1)
MAX_DATE = _dt.date(9999, 12, 31)


def parse_date(text: object) -> Date:
    """Parse an ISO date (``YYYY-MM-DD``); accepts :class:`datetime.date`.

    Raises ``ValueError`` with the offending text; callers add the location.
    """
    if isinstance(text, _dt.datetime):
        return text.date()
    if isinstance(text, _dt.date):
        return text
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def date_field(value: object, field: str, *, cls: type | None = None) -> Date:
    """:func:`parse_date` for a named input (an option, a query field): a bad
    value is a located one-paragraph error naming ``field`` (``cls``, by
    default :class:`~tradepact.core.errors.TradepactError`)."""
    from .errors import Location, TradepactError, with_value
    try:
        return parse_date(value)
    except ValueError:
        raise with_value("not a date", location=Location(field=field), value=str(value)[:40],
                         expected="an ISO date YYYY-MM-DD", cls=cls or TradepactError) from None


@dataclass(frozen=True, order=True)
class Interval:
    """Half-open date interval ``[start, stop)``; ``stop=None`` is unbounded."""

    start: Date
    stop: Date | None = None

    def __post_init__(self) -> None:
        if self.stop is not None and self.stop <= self.start:
            raise ValueError(
                f"interval stop {self.stop.isoformat()} is not after its start {self.start.isoformat()}")

    @classmethod
    def parse(cls, text: object) -> "Interval":
        """Parse ``"START"`` or ``"START.STOP"`` (STOP exclusive)."""
        if isinstance(text, _dt.date):
            return cls(parse_date(text))
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date or a 'START.STOP' range")
        head, sep, tail = text.partition(".")
        start = parse_date(head)
        return cls(start, parse_date(tail) if sep else None)

    def contains(self, day: Date) -> bool:
        return self.start <= day and (self.stop is None or day < self.stop)

    def overlaps(self, other: "Interval") -> bool:
        a_stop = self.stop or MAX_DATE
        b_stop = other.stop or MAX_DATE
        return self.start < b_stop and other.start < a_stop

    def __str__(self) -> str:
        return self.start.isoformat() + ("" if self.stop is None else "." + self.stop.isoformat())
