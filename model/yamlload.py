"""Reading YAML safely, dates kept as text, with libyaml's parser when PyYAML has it."""

from __future__ import annotations

import yaml

__all__ = ["yaml_load"]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so impossible dates get our own clear message
    (PyYAML's timestamp constructor raises a bare ValueError on 2019-02-30)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CLoader = None
if getattr(yaml, "CSafeLoader", None) is not None:  # PyYAML built with libyaml

    class _CLoader(yaml.CSafeLoader):
        """:class:`_Loader` on libyaml's parser: the same constructor and resolvers, a
        parser several times faster (the records files are read twice a build)."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def yaml_load(text: str):
    """Parse YAML safely, keeping dates as text (see :class:`_Loader`).

    libyaml parses when PyYAML has it; input it refuses (or anything it fails on) is
    parsed again by the pure-Python parser, whose messages (line, column, problem) are the
    ones reported, so a bad file reads the same either way."""
    if _CLoader is not None:
        try:
            return yaml.load(text, Loader=_CLoader)  # noqa: S506 - a SafeLoader
        except Exception:  # noqa: BLE001 - the pure-Python parser decides and explains
            pass
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
