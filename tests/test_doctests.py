"""Run every docstring example in the package as a test."""

import doctest
import importlib
import pkgutil

import pytest

import inspectgraph


def modules():
    names = ["inspectgraph"]
    for info in pkgutil.walk_packages(inspectgraph.__path__, "inspectgraph."):
        if info.name.endswith(("__main__", "ontology.generate")):
            continue
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
