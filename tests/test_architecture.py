"""The shape of the code: no import circle between the pipeline's modules
(lazy imports inside functions count too), and no module much over 400
lines without a reason written here."""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
LONG_BY_DESIGN: dict[str, str] = {}   # module -> why it is longer than LIMIT
LIMIT = 420


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("pipeline")]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_circle():
    graph = imports()
    # a package's own __init__ may import its modules; a module importing its package back is a circle
    assert cycles(graph) == []


def test_modules_stay_small():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert {m: n for m, n in long.items() if m not in LONG_BY_DESIGN} == {}


ERROR_CODE = re.compile(r'"((?:usage|parse|input|encrypted|output|rules|no-budget|timeout)\.[a-z0-9-]+)"')


def test_readme_lists_every_error_code():
    """A script may rely on an error code only if the README documents it."""
    raised = {m for p in PACKAGE.rglob("*.py") for m in ERROR_CODE.findall(p.read_text(encoding="utf-8"))}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(raised) > 20
    assert sorted(c for c in raised if f"`{c}`" not in readme) == []


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"(?m)^([a-z][a-z-]*):(?!=)", makefile))
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"(?m)^make ([a-z-]+)", shown))
    assert {"extract", "test", "lint", "typecheck", "help"} <= targets
    assert targets == listed
