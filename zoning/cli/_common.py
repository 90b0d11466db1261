"""Shared pieces of the command-line interface: consoles, options, language, errors, progress."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from zoning.errors import InputError, ZoningError, summary_line
from zoning.i18n import _, get_lang, lang_from_env, parse_lang, use_lang

if TYPE_CHECKING:
    import geopandas as gpd

    from zoning.park import Park
    from zoning.planning import PhasePlan

#: normal output
console = Console(highlight=False, soft_wrap=True)
#: problems and warnings
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

#: exit code of a user error (bad input); 0 is success, 1 is reserved for bugs
EXIT_USER_ERROR = 2
#: the environment variable that chooses the interface language (beside --lang and the locale)
LANG_ENV: Final = "ZONING_LANG"
#: -h is --help, on the app and on every command (click passes it down to subcommands)
CONTEXT_SETTINGS: Final = {"help_option_names": ["-h", "--help"]}


def _version_callback(value: bool) -> None:
    if value:
        from zoning import __version__

        console.print(f"zoning {__version__}")
        raise typer.Exit()


def main_callback(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar=LANG_ENV,
            help="Language of the output: zh (中文) or en (English). Default: from the locale "
            f"(LANG=zh_CN.UTF-8 gives Chinese), or ${LANG_ENV}.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the version of zoning and exit.",
        ),
    ] = False,
) -> None:
    """Zoning and land-use planner for industrial parks (default: Beichuan, 北川工业园区).

    Start with `zoning plan`; `zoning COMMAND -h` explains each command.
    """
    try:
        chosen = lang_from_env(os.environ) if lang is None else parse_lang(lang)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--lang") from None
    # the language holds while the command runs and is restored after it (for callers that
    # run the app in-process, such as tests with typer's CliRunner)
    ctx.with_resource(use_lang(chosen))


#: a bilingual name as the data write it, Chinese first: "铝型材挤压项目 Aluminium extrusion plant"
_BILINGUAL_NAME = re.compile(r"^(?P<zh>[^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s+(?P<en>[A-Za-z].*)$")


def name_in_lang(name: str) -> str:
    """Return the current language's half of a bilingual name (the name if it is not one).

    Examples
    --------
    >>> name_in_lang("铝型材挤压项目 Aluminium extrusion plant")
    'Aluminium extrusion plant'
    >>> name_in_lang("Cable")
    'Cable'
    """
    match = _BILINGUAL_NAME.match(name.strip())
    if match is None:
        return name.strip()
    return match["zh" if get_lang() == "zh" else "en"].strip()


def list_words(items: list[str]) -> str:
    """Join words into a list in the current language ("a, b" in English, "a，b" in Chinese)."""
    return _(", ").join(items)


def some_ids(ids: list[str], *, at_most: int | None = None, sep: str = ", ") -> str:
    """Join ids, the first ``at_most`` of them and "(+N more)" when there are more.

    Examples
    --------
    >>> some_ids(["A", "B", "C"], at_most=2)
    'A, B (+1 more)'
    """
    if at_most is None or len(ids) <= at_most:
        return sep.join(ids)
    more = _("(+{count} more)").format(count=len(ids) - at_most)
    return sep.join(ids[:at_most]) + " " + more


def counted(count: int, words: str) -> str:
    """Return a count with its words in the current language ("3 fits", "符合 3 个")."""
    return _("{count} {words}").format(count=count, words=words)


def labelled(style: str, label: str, text: str) -> str:
    """Return ``label`` styled, then ``text`` (markup), spaced as the language writes it."""
    space = "" if label.endswith(("：", "）")) else " "
    return styled(style, label) + space + text


def styled(style: str, text: str) -> str:
    """Return ``text`` as console markup in ``style``, its own markup escaped."""
    return f"[{style}]{escape(text)}[/]"


def notice_line() -> str:
    """Return the illustrative-data notice as one short line (the full text is in the files)."""
    return labelled(
        "yellow",
        _("Note:"),
        escape(_("illustrative data (invented zones and parcels), not an official plan.")),
    )


@contextmanager
def progress_steps(*, enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """Show the step a long job is at, on a terminal only; yields ``step(description)``.

    In a pipe, a file or a test (``console.is_terminal`` false) nothing is shown.
    """
    if not (enabled and console.is_terminal):
        yield lambda _description: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)

        def step(description: str) -> None:
            progress.update(task, description=description, refresh=True)  # shown at once

        yield step


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


TilesOption = Annotated[
    str | None,
    typer.Option(
        "--tiles",
        help="Tile URL template of an intranet tile service, with {z}, {x} and {y} "
        "(http, https or relative), drawn instead of the basemap's tiles. Without tiles "
        "the map still shows a vector background of the park's own layers.",
        show_default=False,
    ),
]

TilesAttributionOption = Annotated[
    str | None,
    typer.Option(
        "--tiles-attribution",
        help="Credit line of the --tiles service, shown in the map's corner.",
        show_default=False,
    ),
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
    from zoning.io import read_projects
    from zoning.rules import check

    return check(park, read_projects(projects))


def plan_if_given(park: Park, quota_mu: float | None) -> PhasePlan | None:
    """Make the land-supply phase plan when ``--quota-mu`` is given; ``None`` otherwise."""
    if quota_mu is None:
        return None
    from zoning.planning import sequence

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
            err_console.print(
                labelled(
                    "bold red", _("error:"), escape(summary_line(exc.summary, len(exc.problems)))
                )
            )
            for i, problem in enumerate(exc.problems, start=1):
                err_console.print(f"  {i}. {problem}", markup=False)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except ZoningError as exc:
            err_console.print(labelled("bold red", _("error:"), escape(str(exc))))
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper
