"""The ``inspectgraph`` command line: one click group, verbs as subcommands."""

from __future__ import annotations

import click

from ..errors import InspectgraphError, ValidationFailed
from ..version import __version__
from .demo import demo
from .letters import extract_command, fetch
from .linking import describe, link
from .partnerships import partnerships
from .queries import list_queries, query
from .serving import serve
from .store import build, export, validate
from .tables import findings_command, grades_command, keys_command, load_command, release_command
from .trends import compare_command, trends_command
from .viz import viz


class Group(click.Group):
    """Turns inspectgraph errors into one clear line and a documented exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            click.echo(f"Error: {exc}", err=True)
            if exc.report:
                click.echo(exc.report, err=True)
            ctx.exit(exc.exit_code)
        except InspectgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            if getattr(exc, "report", ""):
                click.echo(exc.report, err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="inspectgraph")
def cli():
    """A knowledge graph of public-service inspections: which partnerships of
    agencies recur in inspectors' criticisms.

    Start with `inspectgraph demo`, or `inspectgraph build` then
    `inspectgraph partnerships`.

    Exit codes: 0 success, 1 validation failed, 2 error.
    """


# every command, by family: each module defines its commands, the group is made here
for command in (
    build,
    validate,
    export,
    fetch,
    extract_command,
    link,
    describe,
    list_queries,
    query,
    partnerships,
    viz,
    serve,
    demo,
    keys_command,
    findings_command,
    grades_command,
    release_command,
    load_command,
    trends_command,
    compare_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="inspectgraph")


if __name__ == "__main__":
    main()
