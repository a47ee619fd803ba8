"""Query parameters on the command line: ``-p NAME=VALUE`` and ``-p NAME VALUE`` alike.

A two-value click option would take ``-p la=Sunderland --store s`` as the pair
``("la=Sunderland", "--store")`` and blame ``s`` as an extra argument. The option takes one
value instead, and :class:`ParamCommand` first joins the spaced form into ``NAME=VALUE``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import click

__all__ = ["ParamCommand", "join_param_pairs", "split_params"]

_NAME_EQ = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
PARAM_FLAGS = ("-p", "--param")


def join_param_pairs(args: Sequence[str], flags: Iterable[str] = PARAM_FLAGS) -> list[str]:
    """``args`` with each ``-p NAME VALUE`` written ``-p NAME=VALUE``.

    >>> join_param_pairs(["q", "-p", "la", "Sunderland", "-p", "area=", "--csv"])
    ['q', '-p', 'la=Sunderland', '-p', 'area=', '--csv']
    >>> join_param_pairs(["-p", "la", "a=b", "--", "-p", "x", "y"])
    ['-p', 'la=a=b', '--', '-p', 'x', 'y']
    """
    flags = tuple(flags)
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":  # everything after is an argument, never an option
            out.extend(args[i:])
            break
        if arg in flags and i + 1 < len(args):
            value = args[i + 1]
            if not _NAME_EQ.match(value) and i + 2 < len(args):
                out += [arg, f"{value}={args[i + 2]}"]
                i += 3
                continue
            out += [arg, value]
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def split_params(values: Iterable[str]) -> dict[str, str]:
    """``{name: value}`` from ``NAME=VALUE`` strings; a usage error for a bad or repeated one.

    >>> split_params(["la=Sunderland", "since=2019-01-01"])
    {'la': 'Sunderland', 'since': '2019-01-01'}
    """
    out: dict[str, str] = {}
    for item in values:
        name, eq, value = item.partition("=")
        if not eq or not _NAME_EQ.match(item):
            raise click.UsageError(
                f"parameter {item!r}: expected NAME=VALUE or NAME VALUE (e.g. -p la=Sunderland)"
            )
        if name in out:
            raise click.UsageError(f"parameter {name!r} given twice")
        out[name] = value
    return out


class ParamCommand(click.Command):
    """A command whose ``-p``/``--param`` accepts ``NAME=VALUE`` beside ``NAME VALUE``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, join_param_pairs(args))
