"""Strict YAML reading with line numbers, and pydantic errors that name them.

* Dates stay strings (no implicit ``datetime.date`` conversion), so that a
  key ``2025-11-14`` is the text the author wrote.
* A duplicate key is an error naming both lines (PyYAML silently keeps the
  last one, which hides a changed value).
* Every mapping is a :class:`LineDict` that remembers the line of each key, so
  that a validation error deep in a document can name its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputFileError, Location, TradepactError


class LineDict(dict):
    """A dict that remembers the (1-based) line of each key."""

    lines: dict[Any, int]
    line: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}
        self.line = 0


class LineList(list):
    """A list that remembers the (1-based) line of each item."""

    lines: list[int]
    line: int

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines = []
        self.line = 0


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text and rejects duplicate keys."""

    source_name: str = "<string>"


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
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
    for child in node.value:
        out.append(loader.construct_object(child, deep=True))
        out.lines.append(child.start_mark.line + 1)
    return out


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_text(text: str, source: str) -> Any:
    """Parse YAML text strictly; ``source`` names it in errors."""
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
    finally:
        loader.dispose()


def load_yaml_file(path: Path | str) -> Any:
    """Read and parse one YAML file strictly."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError("file not found", location=Location(str(p)),
                             expected="an existing YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot be read ({exc.__class__.__name__})",
                             location=Location(str(p))) from None
    return load_yaml_text(text, str(p))


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Best line for a location path inside data built by the strict loader."""
    line = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line


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
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return "wrong type", msg.replace("Input should be ", "").rstrip(".")
    return "invalid value", msg.removeprefix("Value error, ").rstrip(".")


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
                     prefix: tuple[Any, ...] = ()) -> TradepactError:
    """Convert a pydantic error into one paragraph naming file, line, field."""
    errs = exc.errors()
    first = errs[0]
    # Strip pydantic's union/tag noise from the location: keep the keys that
    # exist in the data.
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and (
        p.startswith("function-") or "[" in p or p in ("list", "dict", "str", "int", "float"))))
    line = line_of(data, loc)
    problem, expected = _describe_error(first)
    field = _field_path(prefix + loc) or None
    more = f" ({len(errs) - 1} more problem(s) in this file)" if len(errs) > 1 else ""
    value = first.get("input")
    show_value = first.get("type") != "missing" and not isinstance(value, (dict, list))
    return cls(problem + more, location=Location(source, line, field),
               value=value, expected=expected, has_value=show_value)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, source: str, *,
             cls: type[TradepactError] = InputFileError, context: dict | None = None) -> M:
    """Validate parsed YAML into a pydantic model, with a located error."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise validation_error(exc, data, source, cls) from None
