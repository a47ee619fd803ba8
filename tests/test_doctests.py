"""Run every docstring example in the package as a test."""

import doctest
import importlib
import pkgutil

import pytest

import inspectgraph
import tools


def modules():
    names = ["inspectgraph", "tools"]
    walk = [*pkgutil.walk_packages(inspectgraph.__path__, "inspectgraph.")]
    walk += [*pkgutil.walk_packages(tools.__path__, "tools.")]
    for info in walk:
        if info.name.endswith("__main__") or info.name.startswith(
            ("inspectgraph.tools", "inspectgraph.tests", "tools.generate_ontology")
        ):
            continue
        names.append(info.name)
    return sorted(names)


# The API's examples build and query a store (about five seconds): the full suite only.
SLOW = {"inspectgraph.api"}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in modules()]
)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
