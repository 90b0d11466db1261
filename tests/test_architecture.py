"""The package's shape: layered imports with no cycle, small modules, short functions.

This is the one home of these gates over the whole ``zoning/`` package (issue 10); ruff's
``C90`` and ``PLR0913`` (``pyproject.toml``) hold complexity and argument counts.

Layers, lowest first: the core (data model, validation, units, languages, the ledger, the
exchange formats), the fit-check rules, planning, then maps and I/O side by side, then the
command line; the package's ``__init__`` (the facade) sits just under the command line. A
module may import its own layer and the layers below it, never above; maps and I/O do not
import each other. Imports inside functions count (a cycle hidden in a function is still a
cycle); imports under ``if TYPE_CHECKING:`` do not (they never run). The implicit import of a
parent package (``zoning.maps`` for ``zoning.maps.style``) is not an edge.

Sizes are read from the source with :mod:`ast`: a module's lines, and a function's body from
its first statement after the docstring to its last line (signature, decorators and docstring
left out).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "zoning"

#: the longest module and function body we accept
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80

#: layer of a module, by the first part of its name under ``zoning`` (anything else: core)
LAYER_OF_PREFIX = {
    "rules": "rules",
    "fit": "rules",
    "batch": "rules",
    "planning": "planning",
    "sequencing": "planning",
    "sequencing_exact": "planning",
    "adjacency": "planning",
    "siting": "planning",
    "maps": "maps",
    "mapping": "maps",
    "io": "io",
    "cli": "cli",
    "__main__": "cli",
}
#: which layers each layer may import
ALLOWED = {
    "core": {"core"},
    "rules": {"core", "rules"},
    "planning": {"core", "rules", "planning"},
    "maps": {"core", "rules", "planning", "maps"},
    "io": {"core", "rules", "planning", "io"},
    "facade": {"core", "rules", "planning", "maps", "io", "facade"},
    "cli": {"core", "rules", "planning", "maps", "io", "facade", "cli"},
}


# --- reading the package ---------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "facade"
    return LAYER_OF_PREFIX.get(parts[1], "core")


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def where(path: Path, line: int | None = None) -> str:
    shown = str(path.relative_to(PACKAGE.parent))
    return shown if line is None else f"{shown}:{line}"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement run at some point (in functions too), but ``TYPE_CHECKING``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)  # the body never runs
        else:
            stack.extend(ast.iter_child_nodes(node))


def imported_modules(source: str, name: str, *, is_package: bool, known: set[str]) -> set[str]:
    """The ``known`` modules that module ``name`` imports at run time.

    ``from a import b`` names module ``a.b`` when it exists, else ``a``.
    """
    targets: set[str] = set()
    for node in runtime_imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = name.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            targets.add(full if full in known else base)
    return {t for t in targets if t in known and t != name}


def import_graph() -> nx.DiGraph:
    """The graph of ``zoning`` modules, an edge from each module to every module it imports."""
    modules = all_modules()
    known = set(modules)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        is_package = path.name == "__init__.py"
        for target in imported_modules(source, name, is_package=is_package, known=known):
            graph.add_edge(name, target)
    return graph


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, its docstring left out."""
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return (node.end_lineno or body[-1].lineno) - body[0].lineno + 1


def long_functions(source: str) -> list[tuple[int, str, int]]:
    """``(line, name, body lines)`` of every function whose body is over the limit."""
    return [
        (node.lineno, node.name, length)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := body_lines(node)) > MAX_FUNCTION_LINES
    ]


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle through each group of modules that import each other, shortest first."""
    found = []
    for group in nx.strongly_connected_components(graph):
        if len(group) > 1:
            found.append(min(nx.simple_cycles(graph.subgraph(group), length_bound=8), key=len))
    return sorted(found, key=len)


def listing(lines: list[str]) -> str:
    return "\n  " + "\n  ".join(lines)


# --- the gates --------------------------------------------------------------------------------


def test_the_import_graph_has_no_cycle() -> None:
    found = cycles(import_graph())
    assert found == [], "zoning modules that import each other:" + listing(
        [" → ".join([*c, c[0]]) for c in found]
    )


def test_modules_import_only_their_layer_and_below() -> None:
    wrong = sorted(
        f"{a} ({layer(a)}) imports {b} ({layer(b)}); {layer(a)} may import "
        + ", ".join(sorted(ALLOWED[layer(a)]))
        for a, b in import_graph().edges
        if layer(b) not in ALLOWED[layer(a)]
    )
    assert wrong == [], "imports against the layers core → rules → planning → maps | io → cli:" + (
        listing(wrong)
    )


def test_no_module_is_over_800_lines() -> None:
    big = [
        f"{where(path)}: {lines} lines"
        for path in all_modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert big == [], f"modules over {MAX_MODULE_LINES} lines (split them by concern):" + listing(
        big
    )


def test_no_function_body_is_over_80_lines() -> None:
    long = [
        f"{where(path, line)} {name}: {length} lines"
        for path in all_modules().values()
        for line, name, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert long == [], (
        f"function bodies over {MAX_FUNCTION_LINES} lines, docstring left out (split them into "
        "named steps):" + listing(long)
    )


#: the one-release re-export shims of the old module paths (tests/test_layout.py)
SHIMS = {
    "zoning.fit",
    "zoning.mapping",
    "zoning.sequencing",
    "zoning.sequencing_exact",
    "zoning.adjacency",
    "zoning.siting",
}


def test_no_module_of_the_package_imports_a_re_export_shim() -> None:
    graph = import_graph()
    assert SHIMS <= set(graph), SHIMS - set(graph)
    back = sorted(
        f"{n} imports {t}"
        for n in graph
        if n not in SHIMS
        for t in graph.successors(n)
        if t in SHIMS
    )
    assert back == [], "import from the new home, not the one-release shim:" + listing(back)


def test_core_imports_neither_folium_nor_fiona() -> None:
    """The computing core imports neither folium nor fiona (maps and files stay at the edges)."""
    core = [
        "zoning",
        "zoning.schema",
        "zoning.units",
        "zoning.landuse",
        "zoning.rulebook",
        "zoning.validation",
        "zoning.park",
        "zoning.summary",
    ]
    optional_core = [
        "zoning.fit",
        "zoning.projects",
        "zoning.siting",
        "zoning.adjacency",
        "zoning.sequencing",
        "zoning.sequencing_exact",
        "zoning.gcj02",
    ]
    code = (
        "import importlib, importlib.util, sys\n"
        f"mods = {core!r} + [m for m in {optional_core!r} "
        "if importlib.util.find_spec(m) is not None]\n"
        "for m in mods: importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('folium', 'fiona'))\n"
        "print(len(mods), bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the gates measure what they say ----------------------------------------------------------


def test_a_function_one_line_over_the_limit_is_found_and_its_docstring_is_not_counted() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    docstring = '    """Doc.\n\n    More doc.\n    """\n'
    at_limit = f"def f():\n{docstring}{body}\n"
    over = f"def g():\n{docstring}{body}\n    return x0\n"
    assert long_functions(at_limit) == []
    assert long_functions(over) == [(1, "g", MAX_FUNCTION_LINES + 1)]


def test_imports_in_functions_count_and_type_checking_imports_do_not() -> None:
    known = {"zoning", "zoning.a", "zoning.b", "zoning.c", "zoning.d", "zoning.pkg.e"}
    source = (
        "from typing import TYPE_CHECKING\n"
        "import zoning.a\n"
        "if TYPE_CHECKING:\n"
        "    from zoning import b\n"
        "else:\n"
        "    from . import d\n"
        "def f():\n"
        "    from zoning.c import thing\n"
        "    from .pkg import e\n"
    )
    found = imported_modules(source, "zoning.x", is_package=False, known=known)
    assert found == {"zoning.a", "zoning.c", "zoning.d", "zoning.pkg.e"}


def test_each_cycle_is_reported_through_its_modules() -> None:
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "d"), ("f", "a")])
    assert [set(c) for c in cycles(graph)] == [{"d", "e"}, {"a", "b", "c"}]
    assert cycles(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])) == []


def test_the_layers_name_modules_that_exist_and_the_graph_sees_known_imports() -> None:
    modules = all_modules()
    prefixes = {name.split(".")[1] for name in modules if "." in name}
    assert set(LAYER_OF_PREFIX) <= prefixes, set(LAYER_OF_PREFIX) - prefixes
    graph = import_graph()
    for edge in [
        ("zoning.planning.problem", "zoning.planning.adjacency"),
        ("zoning.planning.sequencer", "zoning.planning.exact"),  # in a function
        ("zoning.planning.siting", "zoning.rules"),
        ("zoning.sequencing", "zoning.planning.sequencer"),
        ("zoning.io.export", "zoning.io.export.shapefile"),
        ("zoning.cli.map", "zoning.maps"),
    ]:
        assert graph.has_edge(*edge), edge
    assert {layer(m) for m in modules} == set(ALLOWED)
