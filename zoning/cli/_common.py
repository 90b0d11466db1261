"""Shared pieces of the command-line interface: consoles, options and error handling."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from zoning.errors import InputError, ZoningError

#: normal output
console = Console(highlight=False, soft_wrap=True)
#: problems and warnings
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

#: exit code of a user error (bad input); 0 is success, 1 is reserved for bugs
EXIT_USER_ERROR = 2

ParkOption = Annotated[
    Path | None,
    typer.Option(
        "--park",
        help="Park directory (zones, parcels, rulebook.toml). Default: the bundled Beichuan park.",
        show_default=False,
    ),
]

P = ParamSpec("P")
R = TypeVar("R")


def report_user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn zoning's user errors into a clear message on stderr and exit code 2.

    Bugs still raise with a traceback: only errors that describe bad input are caught.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            count = f" ({len(exc.problems)} problem(s))" if exc.problems else ""
            err_console.print(f"[bold red]error:[/] {exc.summary}{count}")
            for i, problem in enumerate(exc.problems, start=1):
                err_console.print(f"  {i}. {problem}", markup=False)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except ZoningError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper
