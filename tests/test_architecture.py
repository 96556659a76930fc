"""Who may import whom, checked by parsing every import (module level and inside functions)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("queue_server", "printer", "sounds")

# What each part may import from the project (itself always). README's architecture
# section shows the same table.
ALLOWED = {
    "printer": set(),
    "sounds": set(),
    "queue_server.platform": set(),
    "queue_server.web": {"queue_server.platform", "queue_server.auth"},
    "queue_server.auth": {"queue_server.platform", "queue_server.web"},
    "queue_server.tickets": {"queue_server.platform", "queue_server.web", "queue_server.auth"},
    "queue_server.tv": {"queue_server.platform", "queue_server.web", "queue_server.auth",
                        "queue_server.tickets", "sounds"},
    "queue_server.printing": {"queue_server.platform", "queue_server.web", "queue_server.auth",
                              "queue_server.tickets", "printer"},
    "queue_server.reports": {"queue_server.platform", "queue_server.web", "queue_server.auth",
                             "queue_server.tickets"},
    "queue_server.procedure": {"queue_server.platform", "queue_server.web",
                               "queue_server.auth", "queue_server.tickets",
                               "queue_server.printing", "queue_server.reports", "sounds"},
    "queue_server.notify": {"queue_server.platform", "queue_server.web", "queue_server.auth",
                            "queue_server.tickets"},
    "queue_server.kiosk": {"queue_server.platform", "queue_server.web", "queue_server.auth",
                           "queue_server.tickets", "queue_server.printing", "sounds"},
    "queue_server.cli": {"queue_server", "printer", "sounds"},
    "queue_server.app": {"queue_server"},
    "queue_server": {"queue_server.app"},
}
# Alembic compares the migrations with every subsystem's models: its env script is the one
# module of platform/ that imports them.
EXCEPTIONS = {("queue_server.platform.migrations.env", "queue_server.auth"),
              ("queue_server.platform.migrations.env", "queue_server.tickets"),
              ("queue_server.platform.migrations.env", "queue_server.printing"),
              ("queue_server.platform.migrations.env", "queue_server.procedure"),
              ("queue_server.platform.migrations.env", "queue_server.notify")}
NO_FLASK = ("queue_server.platform", "printer", "sounds")
FLASK = ("flask", "flask_socketio", "werkzeug")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[tuple[str, list[str], int]]:
    """Every import in the file: (module imported, names taken from it, line)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            names = [alias.name for alias in node.names]
            found.append((base, names, node.lineno))
    return found


def collect(root: Path) -> dict[str, Path]:
    modules = {}
    for top in PROJECT:
        for path in sorted((root / top).rglob("*.py")):
            if "versions" in path.parts:  # Alembic revisions: generated, import only alembic
                continue
            modules[module_name(path, root)] = path
    return modules


def part_of(module: str) -> str:
    """The ALLOWED key a module belongs to: its longest matching prefix."""
    best = ""
    for key in ALLOWED:
        if (module == key or module.startswith(key + ".")) and len(key) > len(best):
            best = key
    return best


def resolve(target: str, names: list[str], modules: dict[str, Path]) -> list[str]:
    """The project modules an import loads: `from pkg import mod` names a module too."""
    result = []
    for name in names:
        if f"{target}.{name}" in modules:
            result.append(f"{target}.{name}")
    if target in modules and len(result) < len(names) or not names:
        result.append(target)
    return [module for module in result if module in modules]


def violations(root: Path) -> list[str]:
    """Every broken rule in the tree under root, as readable lines."""
    modules = collect(root)
    problems: list[str] = []
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for module, path in modules.items():
        where = f"{path.relative_to(root)}"
        own = part_of(module)
        for target, names, line in imports_of(path, module):
            problems.extend(import_problems(module, own, f"{where}:{line}", target, names,
                                            modules, graph))
    problems.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph))
    return problems


def import_problems(module: str, own: str, where: str, target: str, names: list[str],
                    modules: dict[str, Path], graph: dict[str, set[str]]) -> list[str]:
    """The rules one import breaks; the project modules it loads go into graph."""
    problems = []
    top = target.split(".")[0]
    if top in FLASK and any(module == p or module.startswith(p + ".") for p in NO_FLASK):
        problems.append(f"{where}: {module} imports {target} (no Flask here)")
    if top not in PROJECT:
        return problems
    for name in names:
        if name.startswith("_") and not name.startswith("__"):
            problems.append(f"{where}: imports the private name {target}.{name}")
    for imported in resolve(target, names, modules) or [target]:
        if imported in modules:
            graph[module].add(imported)
        if not may_import(module, own, part_of(imported)):
            problems.append(f"{where}: {module} may not import {imported}")
    return problems


def may_import(module: str, own: str, other: str) -> bool:
    """Whether a module of part `own` may import from part `other`."""
    if other == own or not other:
        return True
    allowed = ALLOWED[own]
    if any(other == a or other.startswith(a + ".") or a == "queue_server"
           and other.startswith("queue_server") for a in allowed):
        return True
    return (module, other) in EXCEPTIONS


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a self-import)."""
    search = ComponentSearch(graph)
    for node in sorted(graph):
        if node not in search.index:
            search.visit(node)
    return search.found


class ComponentSearch:
    """Tarjan's strongly connected components; keeps those that are import cycles."""

    def __init__(self, graph: dict[str, set[str]]) -> None:
        self.graph = graph
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.found: list[list[str]] = []

    def visit(self, node: str) -> None:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        for successor in sorted(self.graph.get(node, ())):
            if successor not in self.index:
                self.visit(successor)
                self.low[node] = min(self.low[node], self.low[successor])
            elif successor in self.on_stack:
                self.low[node] = min(self.low[node], self.index[successor])
        if self.low[node] == self.index[node]:
            component = self.pop_component(node)
            if len(component) > 1 or node in self.graph.get(node, ()):
                self.found.append(sorted(component))

    def pop_component(self, root: str) -> list[str]:
        """Take the component rooted at root off the stack."""
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == root:
                return component


def test_the_project_keeps_its_import_rules():
    assert violations(ROOT) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for top in PROJECT:
        (tmp_path / top).mkdir(exist_ok=True)
        (tmp_path / top / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize("files, expected", [
    ({"queue_server/tickets/__init__.py": "", "queue_server/printing/__init__.py": "",
      "queue_server/printing/outbox.py": "",
      "queue_server/tickets/issuing.py": "from queue_server.printing import outbox\n"},
     "queue_server.tickets.issuing may not import queue_server.printing.outbox"),
    ({"queue_server/platform/__init__.py": "",
      "queue_server/platform/events.py": "def f():\n    import flask\n"},
     "imports flask (no Flask here)"),
    ({"printer/layout.py": "from queue_server.app import create_app\n",
      "queue_server/app.py": ""},
     "printer.layout may not import queue_server.app"),
    ({"sounds/text.py": "from printer import layout\n", "printer/layout.py": ""},
     "sounds.text may not import printer.layout"),
    ({"queue_server/tv/__init__.py": "", "queue_server/procedure/__init__.py": "",
      "queue_server/procedure/visits.py": "",
      "queue_server/tv/state.py": "from queue_server.procedure.visits import x\n"},
     "queue_server.tv.state may not import queue_server.procedure.visits"),
    ({"queue_server/tickets/__init__.py": "",
      "queue_server/tickets/desk.py": "from queue_server.tickets.reading import _record\n",
      "queue_server/tickets/reading.py": "def _record():\n    pass\n"},
     "imports the private name queue_server.tickets.reading._record"),
    ({"queue_server/tickets/__init__.py": "",
      "queue_server/tickets/a.py": "from queue_server.tickets import b\n",
      "queue_server/tickets/b.py": "def f():\n    from queue_server.tickets import a\n"},
     "import cycle: queue_server.tickets.a -> queue_server.tickets.b"),
])
def test_a_forbidden_import_or_a_cycle_is_caught(tmp_path, files, expected):
    problems = violations(_tree(tmp_path, files))
    assert any(expected in problem for problem in problems), problems
