"""The layout: every import names a folder that exists, and imports flow one way between stages.

The repository's root is the package ``inspectgraph``; its stage folders, in the order
imports may flow (a stage imports only from stages before it, and from the root's ``errors``):
``ontology/``, ``model/``, ``sources/``, ``extract/``, ``graph/``, ``queries/``, ``analysis/``, ``viz/``, ``endpoint/``, ``linking/``, ``cli/``. The maintainer tools (``tools/``) may import anything; nothing installed imports them.
"""

import ast
import re
from functools import cache
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
STAGES = [
    "ontology",
    "model",
    "sources",
    "extract",
    "graph",
    "queries",
    "analysis",
    "viz",
    "endpoint",
    "linking",
    "cli",
]
# Upward imports that exist today, each with why and what removes it; a new one fails.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def installed_packages():
    """The packages pyproject.toml installs (its ``packages`` list)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    [listed] = re.findall(r"^packages = \[(.*)\]$", text, flags=re.M)
    return re.findall(r'"([\w.]+)"', listed)


@cache  # read-only to its callers; each test walked every folder once a module
def package_modules():
    """Dotted name (without ``inspectgraph.``) -> path, for every installed module."""
    modules = {}
    for package in installed_packages():
        folder = ROOT.joinpath(*package.split(".")[1:])
        for path in folder.glob("*.py"):
            parts = package.split(".")[1:] + ([] if path.stem == "__init__" else [path.stem])
            modules[".".join(parts)] = path
    return modules


@cache
def imported(name, path):
    """``(module, where)`` for every installed module ``name`` imports (relative and absolute):
    ``where`` is ``"top"`` for an import that runs when ``name`` is loaded, ``"lazy"`` for one
    inside a function and ``"typing"`` for one under ``if TYPE_CHECKING``."""
    modules = package_modules()
    is_pkg = path.name == "__init__.py"
    here = name.split(".") if name else []
    package = here if is_pkg else here[:-1]
    found = set()

    def visit(node, where):
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                inner = "lazy"
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = "typing"
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[: len(package) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                elif (child.module or "").split(".")[0] == "inspectgraph":
                    target = child.module.partition(".")[2]
                else:
                    continue
                for alias in child.names:
                    sub = f"{target}.{alias.name}".strip(".")
                    found.add((sub if sub in modules else target, inner))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("inspectgraph."):
                        found.add((alias.name.partition(".")[2], inner))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), "top")
    return found


def imports(name, path):
    """The installed modules ``name`` imports (relative and absolute, lazy ones too)."""
    return {target for target, _ in imported(name, path)}


def import_cycles(kinds):
    """The import cycles among installed modules, counting the imports of the given kinds
    (see :func:`imported`): each a strongly connected component, as sorted module names
    (``""`` is the root package)."""
    modules = package_modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for target, where in imported(name, path):
            if where in kinds and target in modules and target != name:
                graph.add_edge(name, target)
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]


def stage(module):
    head = module.split(".")[0]
    return head if head in STAGES else None


def test_every_installed_import_names_a_module_that_exists():
    modules = package_modules()
    missing = [
        (name, target)
        for name, path in modules.items()
        for target in imports(name, path)
        if target and target not in modules
    ]
    assert not missing


def test_imports_flow_one_way_between_stages():
    modules = package_modules()
    upward = set()
    for name, path in modules.items():
        for target in imports(name, path):
            a, b = stage(name), stage(target)
            if a and b and STAGES.index(b) > STAGES.index(a):
                upward.add((name, target))
    assert upward == KNOWN_UPWARD


def test_no_import_cycle_among_the_imports_a_module_runs_when_loaded():
    assert import_cycles({"top"}) == []


def test_no_import_cycle_even_through_imports_inside_functions():
    # e.g. ``from .. import __version__`` reached the root package, whose lazy
    # ``__getattr__`` imports ``api``, which imports the importer: the version is in version.py
    assert import_cycles({"top", "lazy"}) == []


def test_the_root_errors_module_imports_nothing_of_the_package():
    assert imports("errors", ROOT / "errors.py") == set()


def test_nothing_installed_imports_a_tool():
    offenders = []
    for name, path in package_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level:
                named = [node.module or ""]
            elif isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            else:
                continue
            offenders += [(name, n) for n in named if n.split(".")[0] == "tools"]
    assert not offenders


def test_every_package_folder_is_installed():
    folders = {
        "inspectgraph." + ".".join(p.parent.relative_to(ROOT).parts)
        for p in ROOT.rglob("__init__.py")
        if p.parent != ROOT
        and p.relative_to(ROOT).parts[0] not in ("tools", "tests", "build", ".venv")
        and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
    } | {"inspectgraph"}
    assert folders == set(installed_packages())


def test_no_module_of_the_package_or_its_tools_runs_past_six_hundred_lines():
    """Issue 18's ceiling: a module past 600 lines holds more than one job (split it)."""
    paths = [path for _name, path in package_modules().items()]
    paths += sorted((ROOT / "tools").glob("*.py"))
    long = {
        str(p.relative_to(ROOT)): n for p in paths if (n := len(p.read_text().splitlines())) > 600
    }
    assert not long, long
