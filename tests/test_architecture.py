"""Tree-wide checks of how cradle's modules import each other.

The import graph is read from the source with `ast` (nothing is imported): module-level and function-level imports,
relative imports resolved, and `from package import module` counted as importing that module. Imports under
`if TYPE_CHECKING:` are left out: they never run, so they cannot close a cycle.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def modules(src: Path, top: str = "cradle") -> dict[str, Path]:
    """Every module under `src/top`, by dotted name (a package by its own name, for its `__init__.py`)."""
    found = {}
    for path in sorted((src / top).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def import_nodes(tree: ast.Module):
    """(import node, inside a function?) for every import that runs, walking the tree in source order."""

    def walk(node: ast.AST, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                for stmt in child.orelse:  # the `else:` of `if TYPE_CHECKING:` runs
                    yield from walk_one(stmt, in_function)
                continue
            yield from walk_one(child, in_function)

    def walk_one(node: ast.AST, in_function: bool):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, in_function
            return
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from walk(node, inner)

    yield from walk(tree, False)


def imported(node: ast.Import | ast.ImportFrom, module: str, path: Path, known: set[str]) -> set[str]:
    """The modules in `known` that one import statement of `module` (at `path`) loads by name."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module if _is_package(path) else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        # `from package import module` imports the module; `from module import name` imports the module.
        targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    found = set()
    for target in targets:
        while target and target not in known:  # `import cradle.x.y` where y is a name, not a module
            target = target.rpartition(".")[0]
        if target:
            found.add(target)
    return found


def import_graph(src: Path, top: str = "cradle") -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports (anywhere in its body)."""
    mods = modules(src, top)
    known = set(mods)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for module, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, _ in import_nodes(tree):
            graph[module] |= imported(node, module, path, known) - {module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def _reasons(source: str) -> tuple[set[int], set[int]]:
    """Lines holding a comment that gives a reason (not a bare `noqa` or `type:` pragma), and of those the ones
    that hold nothing else."""
    anywhere, alone = set(), set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            text = tok.string.lstrip("#").strip()
            if text and not text.startswith(("noqa", "type:", "pragma")):
                anywhere.add(tok.start[0])
                if not tok.line[: tok.start[1]].strip():
                    alone.add(tok.start[0])
    return anywhere, alone


def unexplained_deferred_imports(src: Path, top: str = "cradle", within: tuple[str, ...] = ()) -> list[str]:
    """`path:line` of each function-level import of the tree's own modules with no comment saying why it is
    deferred: on its line(s), on the line above, or above the run of imports it ends (one reason for a block);
    `within` limits the check to those modules and packages."""
    mods = modules(src, top)
    known = set(mods)
    found = []
    for module, path in mods.items():
        if within and not any(module == w or module.startswith(w + ".") for w in within):
            continue
        source = path.read_text(encoding="utf-8")
        anywhere, alone = _reasons(source)
        # the last lines of explained imports: an import on the next line shares the reason
        explained_to: set[int] = set()
        for node, in_function in import_nodes(ast.parse(source, str(path))):
            if not in_function:
                continue
            end = node.end_lineno or node.lineno
            if anywhere & set(range(node.lineno, end + 1)) or {node.lineno - 1} & (alone | explained_to):
                explained_to.add(end)
            elif imported(node, module, path, known):
                found.append(f"{path.relative_to(src)}:{node.lineno}")
    return found


def test_no_import_cycles_among_cradle_modules():
    found = cycles(import_graph(SRC))
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_every_function_level_import_of_cradle_says_why_it_is_deferred():
    found = unexplained_deferred_imports(SRC)
    assert not found, "function-level imports with no reason:\n" + "\n".join(found)


# The checks themselves, on a small tree written here.


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_graph_resolves_relative_function_level_and_package_imports(tmp_path):
    src = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from . import b\n",
            "b.py": "def f():\n    from .sub import c\n",
            "sub/__init__.py": "",
            "sub/c.py": "from ..a import thing\nimport pkg.sub\n",
            "d.py": "import pkg.a.thing\nfrom pkg.sub import name\n",
            "e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import d\nelse:\n    import pkg.b\n",
        },
    )
    graph = import_graph(src, "pkg")
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.sub.c"}
    assert graph["pkg.sub.c"] == {"pkg.a", "pkg.sub"}
    assert graph["pkg.d"] == {"pkg.a", "pkg.sub"}
    assert graph["pkg.e"] == {"pkg.b"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]


def test_cycles_are_listed_each_once(tmp_path):
    graph = {"x": {"y"}, "y": {"x", "z"}, "z": set(), "p": {"q"}, "q": {"r"}, "r": {"p", "x"}}
    assert cycles(graph) == [["p", "q", "r"], ["x", "y"]]
    assert cycles({"x": {"y"}, "y": {"z"}, "z": set()}) == []


def test_a_deferred_import_needs_a_reason_on_its_line_or_the_one_above(tmp_path):
    src = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "import json\n",
            "b.py": (
                "def plain():\n    from pkg import a\n"
                "def same_line():\n    from pkg import a  # deferred: a reads a large table\n"
                "def above():\n    # deferred: a reads a large table\n    from pkg import a\n"
                "def pragma_only():\n    from pkg import a  # noqa: F401\n"
                "def after_code():\n    x = 1  # a comment on other code\n    from pkg import a\n"
                "def block():\n    # deferred: a reads a large table\n    import json\n    from pkg import a\n"
                "def broken_block():\n    # deferred: a reads a large table\n    import json\n\n    from pkg import a\n"
                "def outside():\n    import json\n"
            ),
        },
    )
    assert unexplained_deferred_imports(src, "pkg") == [
        "pkg/b.py:2",
        "pkg/b.py:9",
        "pkg/b.py:12",
        "pkg/b.py:21",
    ]
    assert unexplained_deferred_imports(src, "pkg", within=("pkg.a",)) == []
