"""The import graph of the package flows one way: no upward edge, no cycle.

Floors, bottom to top (DESIGN.md): core -> io, evidence -> engines (tariffs,
vehicle, macro, negotiation) -> resolve -> studies -> results -> interfaces.
Every import in every module is read from its syntax tree, function-level
ones included, so a lazy import cannot hide an upward edge.
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "src" / "tradepact"

#: Floor of each top-level part of the package (higher imports lower, never the reverse).
FLOOR = {"core": 0, "io": 1, "evidence": 1, "tariffs": 2, "vehicle": 2, "macro": 2, "negotiation": 2,
         "resolve": 3, "studies": 4, "results": 5, "interfaces": 6}
ENGINES = ("core", "io", "vehicle", "tariffs", "macro", "negotiation")
#: Edges allowed against the floors, each with its reason.
ALLOWED = {
    # results hold what studies return and are built by them; a study may import its result type, and a
    # result type may not import a study (checked below).
    ("studies", "results"): "studies build results",
}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "tradepact" else ""


def _imports(path: Path) -> list[tuple[str, int]]:
    """Absolute tradepact modules imported by the file (function-level imports included)."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    here = list(rel.parts)
    if here[-1] == "__init__":
        here = here[:-1]
    else:
        here = here[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.startswith("tradepact")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("tradepact"):
                out.append((mod, node.lineno))
                if node.module is None or mod.count(".") <= 1:      # "from . import x": x may be a module
                    out += [(f"{mod}.{a.name}", node.lineno) for a in node.names]
    return out


def _modules():
    return sorted(p for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_no_upward_import(path):
    mine = _part(".".join(path.relative_to(PKG.parent).with_suffix("").parts))
    if mine not in FLOOR:
        return
    for mod, line in _imports(path):
        theirs = _part(mod)
        if theirs not in FLOOR or theirs == mine:
            continue
        if (mine, theirs) in ALLOWED:
            continue
        assert FLOOR[theirs] <= FLOOR[mine], (
            f"{path.relative_to(PKG)}:{line} imports {mod}: {mine} (floor {FLOOR[mine]}) may not import "
            f"{theirs} (floor {FLOOR[theirs]})")


def test_engines_never_import_studies_resolve_results_or_interfaces():
    bad = []
    for path in _modules():
        mine = _part(".".join(path.relative_to(PKG.parent).with_suffix("").parts))
        if mine not in ENGINES:
            continue
        for mod, line in _imports(path):
            if _part(mod) in ("studies", "resolve", "results", "interfaces"):
                bad.append(f"{path.relative_to(PKG)}:{line} -> {mod}")
    assert not bad, bad


def test_no_import_cycle_between_parts():
    edges: dict[str, set[str]] = {}
    for path in _modules():
        mine = _part(".".join(path.relative_to(PKG.parent).with_suffix("").parts))
        for mod, _ in _imports(path):
            theirs = _part(mod)
            if mine in FLOOR and theirs in FLOOR and theirs != mine:
                edges.setdefault(mine, set()).add(theirs)
    # depth-first search for a cycle among the parts
    state: dict[str, int] = {}

    def visit(n, stack):
        state[n] = 1
        for m in edges.get(n, ()):
            if state.get(m) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack + [n, m]))
            if state.get(m) is None:
                visit(m, stack + [n])
        state[n] = 2

    for n in list(edges):
        if n not in state:
            visit(n, [])


def test_modules_stay_small_or_say_why():
    long = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > 400 and "longer than 400 lines" not in "\n".join(lines[:40]).lower():
            long.append(f"{path.relative_to(PKG)} ({len(lines)} lines)")
    assert not long, long
