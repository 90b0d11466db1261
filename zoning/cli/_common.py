"""Shared pieces of the command-line interface: consoles, options and error handling."""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from zoning.errors import InputError, ZoningError

if TYPE_CHECKING:
    import geopandas as gpd

    from zoning.park import Park
    from zoning.sequencing import PhasePlan

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

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of the terminal."),
]


class OutputFormat(StrEnum):
    """Output formats of ``zoning check`` and ``zoning sequence``."""

    TABLE = "table"
    JSON = "json"
    GEOJSON = "geojson"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table (for people), json or geojson."),
]


def check_if_given(park: Park, projects: Path | None) -> gpd.GeoDataFrame | None:
    """Read and check a projects file given on the command line; ``None`` when absent."""
    if projects is None:
        return None
    from zoning.fit import check
    from zoning.io import read_projects

    return check(park, read_projects(projects))


def plan_if_given(park: Park, quota_mu: float | None) -> PhasePlan | None:
    """Make the land-supply phase plan when ``--quota-mu`` is given; ``None`` otherwise."""
    if quota_mu is None:
        return None
    from zoning.sequencing import sequence

    return sequence(park, quota_mu=quota_mu)


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
