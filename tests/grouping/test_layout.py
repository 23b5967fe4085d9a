"""How the engine's modules depend on each other: one way only (no module imports one that
imports it back, even for type hints), each importable on its own, none importing Django."""

import ast
import subprocess
import sys
from pathlib import Path

import revans.grouping

PACKAGE = Path(revans.grouping.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py"))


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its text (at the top, inside
    functions, under TYPE_CHECKING): ``__init__`` for ``from . import x``."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found |= {a.name for a in node.names if a.name in MODULES} or {"__init__"}
            elif (node.module or "").startswith("revans.grouping"):
                rest = node.module.removeprefix("revans.grouping").lstrip(".")
                found.add(rest.split(".")[0] or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("revans.grouping."):
                    found.add(alias.name.split(".")[2])
    return found - {module}


def test_the_engine_modules_import_each_other_one_way_only():
    graph = {m: imports_of(m) for m in MODULES}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for other in sorted(graph.get(module, ())):
            if other in path:
                cycles.append(" → ".join([*path[path.index(other) :], other]))
            elif len(path) < len(MODULES):
                visit(other, [*path, other])

    for module in MODULES:
        visit(module, [module])
    assert cycles == []


def test_each_engine_module_imports_alone_without_django():
    running = {}
    for module in MODULES:
        name = "revans.grouping" if module == "__init__" else f"revans.grouping.{module}"
        code = (
            f"import sys, importlib; importlib.import_module({name!r}); "
            "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
        )
        running[module] = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    failed = {m: p.communicate()[1].decode()[-300:] for m, p in running.items() if p.wait()}
    assert failed == {}
