"""The command-line reference (docs/cli.md), generated from the commands' own help.

``python -m tools.clidoc`` rewrites the section of docs/cli.md between the
``cli-reference`` markers; a test fails while the two disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from inspectgraph.cli.main import cli

__all__ = ["START", "END", "cli_reference", "update_reference"]

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name in sorted(group.commands):
        command = group.commands[name]
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def cli_reference() -> str:
    """Markdown: every command's ``--help`` text, in a fixed terminal width."""
    parts = []
    root = click.Context(
        cli,
        info_name="inspectgraph",
        terminal_width=100,
        max_content_width=100,
        **cli.context_settings,
    )
    for path, command in _commands(cli):
        ctx = root
        for depth, name in enumerate(path):  # nested, so settings inherit as on the command line
            ctx = click.Context(
                ctx.command.commands[name] if depth else cli.commands[name],
                info_name=name,
                parent=ctx,
            )
        parts.append(f"### `inspectgraph {' '.join(path)}`\n\n```\n{command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


def update_reference(page: Path) -> bool:
    """Rewrite the reference section of ``page``; True if it changed."""
    text = page.read_text(encoding="utf-8")
    new = re.sub(
        re.escape(START) + ".*?" + re.escape(END),
        lambda _m: f"{START}\n{cli_reference()}{END}",
        text,
        flags=re.S,
    )
    if new != text:
        page.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/cli.md")
    print(f"{path}: {'updated' if update_reference(path) else 'already up to date'}")
