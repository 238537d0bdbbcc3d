"""Dependencies point one way, counting every import: module level and inside functions.

The graph has one node per module of the package (a package is its ``__init__``) and one
edge per import statement anywhere in a module's source, except those under
``if TYPE_CHECKING:`` (they never run). ``from . import x`` is an edge to ``x`` when ``x`` is
a module. The only upward edges allowed are the convenience methods of ``Workload``, which
hand the result to its exporter on call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
PACKAGE = "arbetstyngd"

#: ``Workload`` methods that import their implementation when called (and nothing else may).
CONVENIENCE = {
    "to_csv",
    "to_excel",
    "to_html",
    "to_parquet",
    "plot",
    "_repr_html_",
    "impact",
    "staff_need",
    "what_if",
}
#: ``score`` and ``timeline`` hand dask frames to the distributed path (the only other edge
#: that points back: the distributed path runs the engine once per unit).
DISPATCH = {
    ("arbetstyngd._engine.scoring", "arbetstyngd.distributed", ("score",)),
    ("arbetstyngd._engine.timeline", "arbetstyngd.distributed", ("timeline",)),
}
#: The engine: the data contract, the arithmetic, the scheme and the result.
ENGINE = (
    "scheme",
    "schemes",
    "_contract",
    "_engine",
    "distributed",
    "result",
    "errors",
    "_version",
)
#: What the engine must never import, not even inside a function.
OUTER = ("io", "report", "plot", "cli", "calibrate", "decide", "archive", "datasets")
#: Modules other helpers are moving as this test is written (listed so that the test fails
#: on any new edge; the lead removes each entry when its fix merges).
PENDING: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def walk(node: ast.AST, scope: tuple[str, ...] = ()) -> Iterator[tuple[ast.AST, tuple[str, ...]]]:
    """Every node below ``node`` with the names of the functions and classes around it."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and is_type_checking(child):
            for other in child.orelse:
                yield other, scope
                yield from walk(other, scope)
            continue
        inner = scope
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = (*scope, child.name)
        yield child, inner
        yield from walk(child, inner)


def imports(name: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """``(imported module, scope)`` for every import of a package module in ``name``."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node, scope in walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield alias.name, scope
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            submodules = [
                f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES
            ]
            # `from . import x` of module x loads x (its package is loading already)
            if node.module or len(submodules) < len(node.names):
                yield target, scope
            yield from ((m, scope) for m in submodules)


def allowed_upward(name: str, scope: tuple[str, ...]) -> bool:
    return (
        name == "arbetstyngd.result"
        and scope[:1] == ("Workload",)
        and bool(set(scope[1:2]) & CONVENIENCE)
    )


EDGES = [
    (name, target, scope)
    for name in MODULES
    for target, scope in imports(name)
    if target in MODULES and target != name
]
GRAPH: dict[str, set[str]] = {name: set() for name in MODULES}
for source, target, scope in EDGES:
    if not allowed_upward(source, scope) and (source, target, scope[:1]) not in DISPATCH:
        GRAPH[source].add(target)


def is_in(name: str, layer: tuple[str, ...]) -> bool:
    rest = name.removeprefix(f"{PACKAGE}.")
    return name != PACKAGE and rest.split(".")[0] in layer


def closure(start: str, with_parents: bool) -> set[str]:
    """Every module ``start`` loads; with ``with_parents`` also each package's ``__init__``.

    Edges listed in :data:`PENDING` are left out.
    """
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(t for t in GRAPH[name] if (name, t) not in PENDING)
        if with_parents:
            parts = name.split(".")
            todo.extend(".".join(parts[:i]) for i in range(2, len(parts)))
    return seen


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_function_level_imports():
    # a function-level import the old top-level-only test could not see
    assert "arbetstyngd.report" in {t for (s, t, _) in EDGES if s == "arbetstyngd.result"}
    assert allowed_upward("arbetstyngd.result", ("Workload", "to_html"))
    assert not allowed_upward("arbetstyngd.result", ("Workload", "unit"))
    assert len(MODULES) > 40


def test_no_import_cycles():
    assert cycles() == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if is_in(n, ENGINE)))
def test_the_engine_imports_no_outer_layer(name):
    outer = sorted(t for t in GRAPH[name] if is_in(t, OUTER) and (name, t) not in PENDING)
    assert outer == [], f"{name} imports {outer}"


def test_only_the_convenience_methods_of_workload_import_upward():
    upward = [
        (s, t, scope)
        for s, t, scope in EDGES
        if is_in(t, OUTER) and not is_in(s, OUTER) and s != PACKAGE and (s, t) not in PENDING
    ]
    assert upward, "the convenience methods are expected to import their exporters"
    assert all(allowed_upward(s, scope) for s, _, scope in upward), upward


def test_plot_does_not_load_the_html_report():
    # with each package's __init__: importing report.labels would run report/__init__.py
    loaded = closure("arbetstyngd.plot", with_parents=True)
    assert "arbetstyngd.report.html" not in loaded
    assert not any(is_in(n, ("cli", "io", "calibrate")) for n in loaded), sorted(loaded)


def test_io_does_not_import_datasets():
    for name in MODULES:
        if is_in(name, ("io",)):
            assert not any(is_in(t, ("datasets",)) for t in GRAPH[name]), name


def test_calibrate_reads_files_through_the_readers_public_entry_point():
    readers = {n for n in MODULES if is_in(n, ("io",))} - {"arbetstyngd.io"}
    for name in MODULES:
        if is_in(name, ("calibrate", "cli")) and name.startswith("arbetstyngd.calibrate"):
            private = sorted(t for t in GRAPH[name] & readers if (name, t) not in PENDING)
            assert private == [], f"{name} imports {private}; use arbetstyngd.io"


def test_no_private_name_is_imported_from_another_module():
    """``from .x import _name`` across modules: make the name public within the package."""
    offenders = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, _ in walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                private = [a.name for a in node.names if a.name.startswith("_")]
                private = [p for p in private if p not in ("__version__",)]
                if private:
                    offenders.append((name, node.module, private))
    assert offenders == []
