"""Reading scenario files: tranche checks, base merging with the file and line
of every value kept, located errors after merging, and the path rules of
``base:`` and ``file:``.

* Each file's tranches are checked before any merge: a mapping each, a text
  name unique within the file, ``remove:`` a real boolean.
* A merge keeps, key by key, the file that wrote each value (``LineDict.files``)
  and, tranche by tranche, its index in each file (``positions``), so that
  :func:`locate_in` names the child or the base, the line, the field as
  written there and the tranche by its name.
* Paths resolve relative to the file naming them and may not leave its folder
  tree (symlinks resolved) unless a folder is allowed (:func:`allow_paths`,
  the CLI's ``--allow-path``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Location, ScenarioError, with_value
from .yamlio import LineDict, LineList, where_of


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out




@dataclass(frozen=True)
class TrancheLocation(Location):
    """A location inside a tranche, which the message also names by its name."""

    tranche: str | None = None

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} (tranche '{self.tranche}')" if self.tranche else text


def locate_in(data: Any, loc: tuple[Any, ...], default_source: str) -> Location:
    """The file, line and field (as written in that file) of ``loc`` in merged data."""
    file, line = where_of(data, loc)
    file = file or default_source
    field_loc = loc
    tranche = None
    items = data.get("tranches") if isinstance(data, dict) else None
    if len(loc) >= 2 and loc[0] == "tranches" and isinstance(loc[1], int) and isinstance(items, list) \
            and 0 <= loc[1] < len(items):
        item = items[loc[1]]
        name = item.get("name") if isinstance(item, dict) else None
        tranche = name if isinstance(name, str) else None
        positions = getattr(items, "positions", None)
        if positions is not None and loc[1] < len(positions) and file in positions[loc[1]]:
            field_loc = ("tranches", positions[loc[1]][file]) + tuple(loc[2:])
    if tranche is not None:
        return TrancheLocation(file, line, dotted(field_loc), tranche)
    return Location(file, line, dotted(field_loc))


# ---------------------------------------------------------------- paths
_ALLOWED_DIRS: tuple[Path, ...] = ()


def allow_paths(dirs: tuple[str | Path, ...] | list[str | Path]) -> tuple[Path, ...]:
    """Folders outside a scenario's own tree that ``base:`` and ``file:`` may
    name (the CLI's ``--allow-path``); returns the previous setting."""
    global _ALLOWED_DIRS
    previous = _ALLOWED_DIRS
    _ALLOWED_DIRS = tuple(Path(d).expanduser().resolve() for d in dirs)
    return previous


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def checked_path(written: str, naming_file: Path, location: Location, what: str) -> Path:
    """The path ``written`` in ``naming_file``, resolved relative to that file,
    if it stays inside the file's folder tree (symlinks resolved), the shipped
    scenarios or a folder allowed with ``--allow-path``."""
    p = Path(written).expanduser()
    target = p if p.is_absolute() else naming_file.parent / p
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        raise with_value(f"{what}: the path cannot be resolved", location=location, value=written,
                         expected="a path without symlink loops", cls=ScenarioError) from None
    home = naming_file.resolve().parent
    roots = (home, *_ALLOWED_DIRS) + ((_shipped_root(),) if _inside(home, _shipped_root()) else ())
    if not any(_inside(real, r) for r in roots):
        raise with_value(f"{what}: the path leaves the scenario's folder", location=location, value=written,
                         expected=f"a path inside {home} (symlinks included), or pass "
                                  "--allow-path DIR to allow another folder", cls=ScenarioError)
    return target


def _check_tranches(data: LineDict, source: str) -> None:
    """One file's tranche list: mappings with a text name, unique within the
    file, ``remove`` a real boolean (checked before any merge)."""
    items = data.get("tranches")
    if items is None or not isinstance(items, list):
        return
    seen: dict[str, int] = {}
    for j, t in enumerate(items):
        line = items.lines[j] if isinstance(items, LineList) and j < len(items.lines) else None
        where = Location(source, line, f"tranches[{j}]")
        if not isinstance(t, dict):
            raise with_value("a tranche must be a mapping", location=where, value=_kind(t),
                             expected="keys such as name, instrument, amount_usd_bn, schedule",
                             cls=ScenarioError)
        name = t.get("name")
        nline = t.lines.get("name", line) if isinstance(t, LineDict) else line
        if not isinstance(name, str):
            raise with_value("a tranche name must be text" if "name" in t else "each tranche needs a 'name'",
                             location=Location(source, nline, f"tranches[{j}].name"),
                             value=_kind(name),
                             expected="a name of lower-case letters, digits and _", cls=ScenarioError)
        if name in seen:
            raise with_value(f"duplicate tranche name (first as tranches[{seen[name]}])",
                             location=Location(source, nline, f"tranches[{j}].name"), value=name,
                             expected="a different name for each tranche", cls=ScenarioError)
        seen[name] = j
        if "remove" in t and not isinstance(t["remove"], bool):
            rline = t.lines.get("remove", line) if isinstance(t, LineDict) else line
            raise with_value("'remove' takes true or false", location=Location(
                source, rline, f"tranches[{j}].remove"), value=t["remove"],
                expected="true or false (not text or a number)", cls=ScenarioError)


def _kind(v: Any) -> Any:
    """A value to show in an error: scalars as they are, containers by kind."""
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    return v


def _own_tranches(data: LineDict, source: str) -> None:
    """Record where each tranche of one file sits (for errors after merging)."""
    items = data.get("tranches")
    if isinstance(items, LineList):
        items.positions = [{source: j} for j in range(len(items))]
        items.files = [source] * len(items)


def _merge_tranches(base: list, child: list, source: str) -> LineList:
    out = LineList([dict(t) if isinstance(t, dict) else t for t in base])
    out.lines = list(getattr(base, "lines", [0] * len(base)))
    out.files = list(getattr(base, "files", [None] * len(base)))
    out.source = getattr(base, "source", None)
    positions = [dict(p) for p in getattr(base, "positions", [{} for _ in base])]
    for i, t in enumerate(base):
        if isinstance(t, LineDict):
            out[i] = t
    index = {t.get("name"): i for i, t in enumerate(out) if isinstance(t, dict)}
    for j, t in enumerate(child):
        line = child.lines[j] if isinstance(child, LineList) else None
        name = t["name"]
        if t.get("remove") is True:
            if name not in index or out[index[name]] is None:
                raise with_value("cannot remove an unknown tranche",
                                 location=Location(source, line, f"tranches[{j}].remove"),
                                 value=name, expected="the name of a tranche of the base scenario",
                                 cls=ScenarioError)
            out[index[name]] = None
            continue
        t = LineDict({k: v for k, v in t.items() if k != "remove"}) if "remove" in t else t
        if "remove" in child[j]:
            t.lines, t.source = dict(child[j].lines), child[j].source
        if name in index and out[index[name]] is not None:
            old = out[index[name]]
            merged = LineDict(old)
            merged.lines = dict(getattr(old, "lines", {}))
            old_src = getattr(old, "source", None)
            merged.files = {k: getattr(old, "files", {}).get(k) or old_src for k in old}
            merged.source = source
            merged.line = getattr(old, "line", 0)
            for k, v in t.items():
                if k == "terms" and isinstance(v, dict) and isinstance(merged.get("terms"), dict):
                    terms = LineDict({**merged["terms"], **v})
                    old_terms = merged["terms"]
                    terms.lines = {**getattr(old_terms, "lines", {}), **getattr(v, "lines", {})}
                    terms.files = {**{k2: getattr(old_terms, "source", None) for k2 in old_terms},
                                   **{k2: source for k2 in v}}
                    terms.source = source
                    merged[k] = terms
                else:
                    merged[k] = v
                merged.lines[k] = t.lines.get(k, 0) if isinstance(t, LineDict) else 0
                merged.files[k] = source
            out[index[name]] = merged
            out.lines[index[name]] = line or 0
            out.files[index[name]] = source
            positions[index[name]][source] = j
        else:
            index[name] = len(out)
            out.append(t)
            out.lines.append(line or 0)
            out.files.append(source)
            positions.append({source: j})
    keep = [i for i, t in enumerate(out) if t is not None]
    kept = LineList([out[i] for i in keep])
    kept.lines = [out.lines[i] for i in keep]
    kept.files = [out.files[i] for i in keep]
    kept.source = source
    kept.line = getattr(child, "line", 0)
    kept.positions = [positions[i] for i in keep]
    return kept


def _merge(base: LineDict, child: LineDict, source: str) -> LineDict:
    out = LineDict(base)
    out.lines = dict(base.lines)
    out.files = {k: base.files.get(k) or base.source for k in base}
    out.source = source
    out.line = child.line
    for key, value in child.items():
        if key in ("parameters", "tariffs") and isinstance(value, dict) and isinstance(base.get(key), dict):
            merged = LineDict({**base[key], **value})
            merged.lines = {**getattr(base[key], "lines", {}), **getattr(value, "lines", {})}
            old = base[key]
            merged.files = {**{k: getattr(old, "files", {}).get(k) or getattr(old, "source", None) for k in old},
                            **{k: source for k in value}}
            merged.source = source
            out[key] = merged
        elif key == "tranches" and isinstance(value, list) and isinstance(base.get(key), list):
            out[key] = _merge_tranches(base[key], value, source)
        else:
            out[key] = value
        out.lines[key] = child.lines.get(key, 0)
        out.files[key] = source
    out.pop("base", None)
    return out


def _shipped_root() -> Path:
    from .scenario import SCENARIO_ROOT
    return SCENARIO_ROOT


__all__ = ["TrancheLocation", "allow_paths", "checked_path", "dotted", "locate_in"]
