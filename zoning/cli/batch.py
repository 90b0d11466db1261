"""``zoning batch``: the fit check or the ledger of many parks at once, here or on Dask.

``zoning batch check PARK_DIR… -o OUT`` checks each park's ``projects.csv`` against its own
rulebook and ``zoning batch ledger PARK_DIR… -o OUT`` evaluates each park's
``enterprises.csv``; both write one file set per park under ``OUT/<park_id>/`` and
``OUT/summary.csv``, and print one summary line per park. ``--dask tcp://HOST:8786`` runs the
work on that Dask cluster (:mod:`zoning.io.cluster`). The computing and the writing are in
:mod:`zoning.io.batch`; this module parses, calls and prints.
"""

from __future__ import annotations

from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from zoning import batch as b
from zoning.cli._common import console, progress_steps, report_user_errors
from zoning.cli.ledger import parse_day
from zoning.i18n import _, get_lang
from zoning.io.batch import check_parks, ledger_parks, write_summary
from zoning.io.cluster import connect
from zoning.schema import Grade, Verdict, label


class BatchLedgerFormat(StrEnum):
    """File formats of ``zoning batch ledger``."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


app = typer.Typer(
    name="batch",
    help="Run the fit check or the ledger over many parks at once, here or on a Dask cluster.",
    no_args_is_help=True,
)

ParksArgument = Annotated[
    list[Path],
    typer.Argument(
        metavar="PARK_DIR",
        help="Park directories, each with its layers, rulebook.toml and projects.csv "
        "(check) or enterprises.csv (ledger).",
        show_default=False,
    ),
]
OutDirOption = Annotated[
    Path,
    typer.Option(
        "--output-dir",
        "-o",
        help="Directory of the outputs: one folder per park (named by its park_id) and "
        "summary.csv.",
        show_default=False,
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        help="Address of a Dask scheduler (tcp://HOST:8786) to run on; its workers must "
        "reach the output directory by the same path. Needs the dask extra.",
        show_default=False,
    ),
]


def _headers() -> dict[str, str]:
    return {
        "park_id": _("park"),
        b.PROJECTS: _("projects"),
        **{v.value: label(v) for v in Verdict},
        b.ROWS: _("rows"),
        b.FINDINGS_COUNT: _("findings"),
        b.PARTITIONS: _("partitions"),
        "enterprises": _("enterprises"),
        "error_rows": _("error rows"),
        "flagged_parcels": _("flagged parcels"),
        **{f"grade_{g.value}": g.value for g in Grade},
    }


def print_summary(summary: pd.DataFrame, *, title: str) -> None:
    """Print a batch's summary: one line per park (the files written are in summary.csv)."""
    headers = _headers()
    table = Table(title=title)
    summary = summary.drop(columns=["files"], errors="ignore")
    for column in summary.columns:
        numeric = pd.api.types.is_numeric_dtype(summary[column])
        table.add_column(headers.get(column, column), justify="right" if numeric else "left")
    for row in summary.itertuples(index=False):
        table.add_row(*(escape(f"{v:,}" if isinstance(v, int) else str(v)) for v in row))
    console.print(table)


def _client(stack: ExitStack, address: str | None) -> Any:
    if address is None:
        return None
    client = connect(address)
    stack.callback(client.close)
    return client


@app.command("check")
@report_user_errors
def batch_check(
    parks: ParksArgument,
    output_dir: OutDirOption,
    dask: DaskOption = None,
    partitions: Annotated[
        int | None,
        typer.Option(
            "--partitions",
            min=1,
            help="With --dask: partitions per park (default: four per worker thread).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check every park's project pipeline; write verdicts and findings as GeoParquet per park.

    Writes OUT/<park_id>/verdicts/part-*.parquet (one row per project and zone, with the
    deciding rule) and OUT/<park_id>/findings/part-*.parquet (one row per finding). A park
    that cannot be read exits 2 before anything is written.
    """
    with ExitStack() as stack, progress_steps() as step:
        client = _client(stack, dask)
        step(_("checking the parks"))
        summary = check_parks(parks, output_dir, client=client, partitions_per_park=partitions)
        write_summary(summary, output_dir)
    print_summary(summary, title=_("Fit check of {count} park(s)").format(count=len(summary)))
    console.print(_("wrote one folder per park to {path}").format(path=escape(str(output_dir))))


@app.command("ledger")
@report_user_errors
def batch_ledger(
    parks: ParksArgument,
    output_dir: OutDirOption,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day of the ledgers, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        BatchLedgerFormat,
        typer.Option("--format", "-f", help="json, csv or xlsx (one file set per park)."),
    ] = BatchLedgerFormat.JSON,
    dask: DaskOption = None,
) -> None:
    """Evaluate every park's yearly ledger; write OUT/<park_id>/ledger.FORMAT per park."""
    day = parse_day(as_of)
    with ExitStack() as stack, progress_steps() as step:
        client = _client(stack, dask)
        step(_("evaluating the parks"))
        summary = ledger_parks(
            parks, output_dir, as_of=day, fmt=fmt.value, lang=get_lang(), client=client
        )
        write_summary(summary, output_dir)
    print_summary(summary, title=_("Ledger of {count} park(s)").format(count=len(summary)))
    console.print(_("wrote one folder per park to {path}").format(path=escape(str(output_dir))))
