"""Exceptions with the exit codes the command line gives them.

Exit codes: 0 success, 1 validation failed (the data is readable but breaks the
shapes or the rules), 2 error (unreadable input, bad option, store problem).
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "InspectgraphError",
    "ProblemsError",
    "StoreError",
    "ValidationFailed",
    "one_line",
]


def one_line(exc: BaseException | str, limit: int = 300) -> str:
    """An exception's message on one line, shortened: parsers' messages can run to pages.

    >>> one_line(ValueError("expected one of\\n  a, b"))
    'expected one of a, b'
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InspectgraphError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 2


class InputError(InspectgraphError):
    """Input that cannot be read or parsed; the message names the file and the problem."""


class ProblemsError(InputError):
    """Input with problems that were all collected before stopping, so that one run shows
    them all: the message gives the first and how many more, ``problems`` has one line
    per problem and ``report`` lists them when there is more than one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")
        self.report = "\n".join(problems) if len(problems) > 1 else ""


class StoreError(InspectgraphError):
    """The store cannot be opened, read or written."""


class ValidationFailed(InspectgraphError):
    """Data that parses but violates the SHACL shapes."""

    exit_code = 1

    def __init__(self, message: str, report: str = ""):
        super().__init__(message)
        self.report = report
