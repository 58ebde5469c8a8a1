"""Fast strict YAML for the package's own files (parameters, measures, scenarios shipped).

The package ships a few hundred small YAML files that are read on every
start. They are ours and tested, so they are parsed with LibYAML's C parser
(when PyYAML has it), keeping the strict constructors of :mod:`.yamlio`
(dates as text, duplicate keys rejected, line numbers kept, finite numbers).
A user's file always goes through :func:`tradepact.core.yamlio.load_yaml_file`,
which also bounds nesting depth and size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
