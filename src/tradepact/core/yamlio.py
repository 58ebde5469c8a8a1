"""Strict YAML reading with line numbers, and pydantic errors that name them.

* Dates stay strings (no implicit ``datetime.date`` conversion), so that a
  key ``2025-11-14`` is the text the author wrote.
* A duplicate key is an error naming both lines (PyYAML silently keeps the
  last one, which hides a changed value).
* Every mapping is a :class:`LineDict` that remembers the line of each key, so
  that a validation error deep in a document can name its line, and the file
  it came from (``source``; a merged scenario keeps, key by key, the file that
  wrote each value: ``files``).
* Hostile input stops with a located error, never a crash: files larger than
  :data:`~tradepact.core.limits.MAX_FILE_BYTES`, nesting deeper than
  :data:`~tradepact.core.limits.MAX_NESTING`, integers longer than
  :data:`~tradepact.core.limits.MAX_INTEGER_DIGITS` digits, numbers that are
  not finite (``.inf``, ``.nan``, ``1e400``) and control characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from . import limits
from .errors import InputFileError, Location, TradepactError


class LineDict(dict):
    """A dict that remembers the (1-based) line of each key, the file it was
    read from (``source``) and, after a merge, the file of each key (``files``)."""

    lines: dict[Any, int]
    line: int
    source: str | None
    files: dict[Any, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}
        self.line = 0
        self.source = None
        self.files = {}


class LineList(list):
    """A list that remembers the (1-based) line of each item, the file it was
    read from and, after a merge, the file of each item (``files``)."""

    lines: list[int]
    line: int
    source: str | None
    files: list[str | None]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines = []
        self.line = 0
        self.source = None
        self.files = []


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text, rejects duplicate keys,
    deep nesting, long integers and numbers that are not finite."""

    source_name: str = "<string>"
    _depth: int = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D401 - PyYAML hook
        self._depth += 1
        try:
            if self._depth > limits.MAX_NESTING:
                mark = self.peek_event().start_mark
                raise InputFileError(
                    f"nested more than {limits.MAX_NESTING} levels deep",
                    location=Location(self.source_name, mark.line + 1),
                    expected=f"at most {limits.MAX_NESTING} levels of mappings and lists")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_int(loader: _StrictLoader, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    digits = sum(ch.isdigit() for ch in text)
    if digits > limits.MAX_INTEGER_DIGITS:
        raise InputFileError(
            f"an integer of {digits} digits", location=Location(loader.source_name, node.start_mark.line + 1),
            expected=f"a number of at most {limits.MAX_INTEGER_DIGITS} digits")
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        raise InputFileError("not a valid integer", location=Location(
            loader.source_name, node.start_mark.line + 1), expected="a whole number") from None


def _construct_float(loader: _StrictLoader, node: yaml.ScalarNode) -> float:
    text = str(node.value)
    if len(text) > limits.MAX_INTEGER_DIGITS + 20:
        raise InputFileError(
            f"a number written with {len(text)} characters",
            location=Location(loader.source_name, node.start_mark.line + 1),
            expected=f"a number of at most {limits.MAX_INTEGER_DIGITS} digits")
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise InputFileError(
            "a number that is not finite (infinity, NaN or too large)",
            location=Location(loader.source_name, node.start_mark.line + 1),
            value=text if len(text) <= 40 else text[:40] + "...", has_value=True,
            expected="a finite number")
    return value


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.source = loader.source_name
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise InputFileError(
                "a mapping key must be a plain value", location=Location(
                    loader.source_name, key_node.start_mark.line + 1)) from None
        line = key_node.start_mark.line + 1
        if key in out:
            raise InputFileError(
                f"duplicate key {key!r} (first on line {out.lines[key]}); "
                "each key may appear once", location=Location(loader.source_name, line))
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList()
    out.line = node.start_mark.line + 1
    out.source = loader.source_name
    for child in node.value:
        out.append(loader.construct_object(child, deep=True))
        out.lines.append(child.start_mark.line + 1)
    return out


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


#: Characters refused anywhere in YAML text: C0 controls but tab and line breaks,
#: DEL, C1 controls, a byte-order mark past the start, and non-characters.
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x20)
                                    if chr(c) not in limits.ALLOWED_CONTROL)
                      + "\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


def _check_text(text: str, source: str) -> None:
    """Refuse oversized text and control characters, naming the line."""
    if len(text) > limits.MAX_FILE_BYTES:
        raise InputFileError(f"is too large ({len(text):,} characters)", location=Location(source),
                             expected=f"a file of at most {limits.MAX_FILE_BYTES:,} bytes")
    bad = _CONTROL.search(text, 1 if text.startswith("\ufeff") else 0)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputFileError(f"contains a control character (U+{ord(bad.group()):04X})",
                             location=Location(source, line),
                             expected="printable text (tabs and line breaks are fine)")


def load_yaml_text(text: str, source: str) -> Any:
    """Parse YAML text strictly; ``source`` names it in errors."""
    _check_text(text, source)
    loader = _StrictLoader(text)
    loader.source_name = source
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "cannot be parsed"
        raise InputFileError(
            f"is not valid YAML: {problem}", location=Location(source, line),
            expected="a YAML document (check indentation, colons and quotes)") from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise InputFileError(f"is not valid YAML: {exc}", location=Location(source)) from None
    except RecursionError:
        raise InputFileError("is nested too deeply", location=Location(source),
                             expected=f"at most {limits.MAX_NESTING} levels of mappings and lists") from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path | str) -> Any:
    """Read and parse one YAML file strictly."""
    p = Path(path)
    try:
        size = p.stat().st_size if p.is_file() else 0
        if size > limits.MAX_FILE_BYTES:
            raise InputFileError(f"is too large ({size:,} bytes)", location=Location(str(p)),
                                 expected=f"a file of at most {limits.MAX_FILE_BYTES:,} bytes")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError("file not found", location=Location(str(p)),
                             expected="an existing YAML file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(f"cannot be read ({exc.__class__.__name__})",
                             location=Location(repr(str(p))[1:-1])) from None
    return load_yaml_text(text, str(p))


def where_of(data: Any, loc: tuple[Any, ...]) -> tuple[str | None, int | None]:
    """Best (file, line) for a location path inside data built by the strict
    loader (merged data names the file that wrote each value)."""
    line = getattr(data, "line", None) or None
    source = getattr(data, "source", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.lines.get(part, line) or None
            source = node.files.get(part) or node.source or source
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = (node.lines[part] if part < len(node.lines) else line) or None
            source = (node.files[part] if part < len(node.files) else None) or node.source or source
            node = node[part]
        else:
            break
    return source, line


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Best line for a location path inside data built by the strict loader."""
    return where_of(data, loc)[1]


def _describe_error(err: dict[str, Any]) -> tuple[str, str]:
    """Turn a pydantic error into (problem, expected)."""
    kind = err.get("type", "")
    msg = err.get("msg", "")
    if kind == "extra_forbidden":
        return "unknown key", "only the documented keys (see `tradepact schema`)"
    if kind == "missing":
        return "required key is missing", "this key to be present"
    if kind.startswith("literal_error"):
        return "value not allowed", msg.replace("Input should be ", "one of ")
    if kind == "finite_number":
        return "a number that is not finite", "a finite number"
    if kind.startswith(("greater_than", "less_than", "too_long", "too_short")):
        return "value out of range", msg.replace("Input should be ", "a value ").replace(
            "List should have", "a list with").replace("Dictionary should have", "a mapping with")
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return "wrong type", msg.replace("Input should be ", "").rstrip(".")
    return "invalid value", msg.removeprefix("Value error, ").rstrip(".")


def _clean_loc(raw: tuple[Any, ...]) -> tuple[Any, ...]:
    """Strip pydantic's union/tag noise from a location: keep the keys that
    exist in the data."""
    return tuple(p for p in raw if not (isinstance(p, str) and (
        p.startswith(("function-", "constrained-", "lax-or-strict", "json-or-python")) or "[" in p
        or p in ("list", "dict", "str", "int", "float", "bool", "ParamRef", "date"))))


def _fit_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop union tags (``selection_window``) that pydantic puts in a location
    but the data does not have: a text part absent from its mapping whose next
    part is present."""
    out: list[Any] = []
    node = data
    parts = list(loc)
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(node, dict) and part not in node and isinstance(part, str) and i + 1 < len(parts) \
                and parts[i + 1] in node:
            i += 1
            continue
        out.append(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
        i += 1
    return tuple(out)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def validation_error(exc: ValidationError, data: Any, source: str,
                     cls: type[TradepactError] = InputFileError,
                     prefix: tuple[Any, ...] = (),
                     locate: Callable[[tuple[Any, ...]], Location] | None = None) -> TradepactError:
    """Convert a pydantic error into one paragraph naming file, line, field.

    ``locate`` maps a path in ``data`` to its location (for merged data whose
    values come from several files)."""
    errs = exc.errors()
    first = errs[0]
    loc = _fit_loc(data, _clean_loc(first["loc"]))
    n_places = len({_clean_loc(e["loc"]) for e in errs})
    problem, expected = _describe_error(first)
    if locate is not None and not prefix:
        location = locate(loc)
    else:
        location = Location(source, line_of(data, loc), _field_path(prefix + loc) or None)
    more = f" ({n_places - 1} more problem(s) in this file)" if n_places > 1 else ""
    value = first.get("input")
    show_value = first.get("type") != "missing" and not isinstance(value, (dict, list))
    if isinstance(value, str) and len(value) > 80:
        value = value[:80] + "..."
    return cls(problem + more, location=location, value=value, expected=expected, has_value=show_value)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, source: str, *,
             cls: type[TradepactError] = InputFileError, context: dict | None = None) -> M:
    """Validate parsed YAML into a pydantic model, with a located error."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise validation_error(exc, data, source, cls) from None
