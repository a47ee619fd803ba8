"""YAML read safely for the records files and the bundled data, dates kept as text."""

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


if hasattr(yaml, "CSafeLoader"):

    class _FastLoader(yaml.CSafeLoader):
        """:class:`_Loader` on libyaml's parser, when PyYAML was built with it (forty times
        faster on a long file: the bundled records, a ten-megabyte line)."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = None


def yaml_load(text: str):
    """Parse YAML safely, keeping dates as text (see :class:`_Loader`). libyaml parses when
    it can; text it refuses is parsed again by the pure-Python loader, whose message (and
    position) is the one users are shown, as before libyaml was used."""
    if _FastLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
