"""The layout: every import names a folder that exists, and imports flow one way between stages.

The repository's root is the package ``inspectgraph``; its stage folders, in the order
imports may flow (a stage imports only from stages before it, and from the root's ``errors``):
``ontology/``, ``model/``, ``sources/``, ``extract/``, ``graph/``, ``queries/``, ``analysis/``, ``viz/``, ``endpoint/``, ``linking/``, ``cli/``. The maintainer tools (``tools/``) may import anything; nothing installed imports them.
"""

import ast
import re
from pathlib import Path

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


def package_modules():
    """Dotted name (without ``inspectgraph.``) -> path, for every installed module."""
    modules = {}
    for package in installed_packages():
        folder = ROOT.joinpath(*package.split(".")[1:])
        for path in folder.glob("*.py"):
            parts = package.split(".")[1:] + ([] if path.stem == "__init__" else [path.stem])
            modules[".".join(parts)] = path
    return modules


def imports(name, path):
    """The installed modules ``name`` imports (relative and absolute, lazy ones too)."""
    modules = package_modules()
    is_pkg = path.name == "__init__.py"
    here = name.split(".") if name else []
    package = here if is_pkg else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "inspectgraph":
                target = node.module.partition(".")[2]
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}".strip(".")
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("inspectgraph."):
                    found.add(alias.name.partition(".")[2])
    return found


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
