"""Errors that reach a user.

Every error a user can cause (a bad file, an unknown parameter, a schedule
that cannot work) is a :class:`TradepactError`. Its message is one paragraph
that names where the problem is (file, line, field), the value found and what
was expected, so that interfaces can print it as it is, without a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a bad value sits: a file, an optional line, a field path."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) if parts else "<input>"


class TradepactError(Exception):
    """Base class of every error tradepact raises on bad input."""

    def __init__(self, message: str, *, location: Location | None = None,
                 value: object = None, expected: str | None = None,
                 has_value: bool = False) -> None:
        self.location = location
        self.value = value
        self.expected = expected
        parts = []
        if location is not None:
            parts.append(f"{location}:")
        parts.append(message)
        if has_value:
            parts.append(f"(found {value!r})")
        text = " ".join(parts)
        if expected:
            text = text.rstrip(".") + f". Expected {expected.rstrip('.')}."
        super().__init__(text)


class InputFileError(TradepactError):
    """A file a user or the package provides cannot be read or is malformed."""


class ParameterError(TradepactError):
    """A parameter file, path or value is invalid."""


class ScenarioError(TradepactError):
    """A scenario is invalid."""


class ScheduleError(TradepactError):
    """A disbursement schedule cannot do what it is asked."""


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean A, B?)`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(value, sorted(choices), n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def with_value(message: str, *, location: Location | None, value: object,
               expected: str, cls: type[TradepactError] = TradepactError) -> TradepactError:
    """Build an error that names the value found and what was expected."""
    return cls(message, location=location, value=value, expected=expected, has_value=True)
