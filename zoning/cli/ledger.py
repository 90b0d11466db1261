"""``zoning ledger``: the park's yearly ledger (per-mu grades, land clock, indicators, targets).

The words it prints come from :mod:`zoning.ledger.records` (the ``ledger`` catalogue), so this
module marks no string of its own.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Final

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from zoning import schema as s
from zoning.cli._common import OutputOption, ParkOption, console, err_console, report_user_errors
from zoning.errors import Problem
from zoning.i18n import Lang, get_lang, translate
from zoning.io import read_park
from zoning.io.enterprises import (
    LedgerFormat as LedgerFileFormat,
)
from zoning.io.enterprises import (
    dumps_ledger_csv,
    dumps_ledger_json,
    enterprises_path,
    read_enterprises,
    write_ledger,
)
from zoning.ledger import evaluate
from zoning.ledger.records import HEADERS, indicator_label, status_label
from zoning.ledger.run import LedgerResult
from zoning.ledger.validation import EnterpriseInputError

_DAY_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LedgerFormat(StrEnum):
    """Output formats of ``zoning ledger``."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


#: the file format written for each output format
FILE_FORMATS: Final[dict[LedgerFormat, LedgerFileFormat]] = {
    LedgerFormat.JSON: "json",
    LedgerFormat.CSV: "csv",
    LedgerFormat.XLSX: "xlsx",
}


def parse_day(text: str | None) -> dt.date:
    """Read ``--as-of`` (YYYY-MM-DD; default today).

    Raises
    ------
    EnterpriseInputError
        When the text is not a calendar date written YYYY-MM-DD.
    """
    if text is None:
        return dt.date.today()
    try:
        if not _DAY_RE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EnterpriseInputError(
            "cannot read --as-of",
            [
                Problem(
                    "--as-of",
                    f"{text!r} is not a date written YYYY-MM-DD",
                    expected="a calendar date such as 2023-12-31",
                    fix="write the year, month and day with dashes: --as-of 2023-12-31",
                )
            ],
        ) from None


def _h(column: str, lang: Lang) -> str:
    return translate(HEADERS.get(column, column), lang)


def _num(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def _day(value: object) -> str:
    return value if isinstance(value, str) else ""


def print_ledger(result: LedgerResult, *, lang: Lang, notice: str = "") -> None:
    """Print the ledger as tables a planner reads: grades, land clock, indicators, targets."""
    e = result.enterprises
    name = s.NAME_ZH if lang == "zh" else s.NAME_EN
    counts = e[s.GRADE].value_counts()
    grades = "  ".join(f"{g}: {int(counts.get(g, 0))}" for g in s.Grade)
    console.print(f"[bold]{escape(str(result.as_of))}[/]  {grades}")
    if notice:
        console.print(f"[yellow]Note:[/] {escape(notice)}")
    table = Table(title=_h(s.GRADE, lang))
    for column in (s.ENTERPRISE_ID, name, s.INDUSTRY_CODE, "held_mu", s.SCORE, s.GRADE,
                   s.PULLED_DOWN_BY, s.LAND_STATUS):  # fmt: skip
        table.add_column(_h(column, lang))
    for enterprise_id, row in e.iterrows():
        table.add_row(
            str(enterprise_id),
            escape(str(row[name])),
            str(row[s.INDUSTRY_CODE]),
            _num(row.get("held_mu")),
            _num(row.get(s.SCORE)),
            str(row[s.GRADE] or "—") if isinstance(row[s.GRADE], str) else "—",
            indicator_label(row.get(s.PULLED_DOWN_BY), lang),
            status_label(row[s.LAND_STATUS], lang) if isinstance(row[s.LAND_STATUS], str) else "",
        )
    console.print(table)

    land = result.land[result.land[s.LAND_STATUS].ne(s.LandStatus.NORMAL)]
    clock = Table(title=_h(s.LAND_STATUS, lang))
    for column in (s.PARCEL_ID, s.ENTERPRISE_ID, s.ZONE_ID, s.AREA_MU, s.LAND_STATUS, s.DUE,
                   s.NEXT_DUE, s.REASON, s.ARTICLE):  # fmt: skip
        clock.add_column(_h(column, lang))
    for parcel_id, row in land.iterrows():
        clock.add_row(
            str(parcel_id),
            str(row[s.ENTERPRISE_ID]),
            str(row[s.ZONE_ID]),
            _num(row[s.AREA_MU]),
            status_label(row[s.LAND_STATUS], lang),
            _day(row[s.DUE]),
            _day(row[s.NEXT_DUE]),
            escape(row[s.REASON][lang]),
            escape(translate(row[s.ARTICLE], lang) if row[s.ARTICLE] else ""),
        )
    console.print(clock)

    ind = Table(title=_h(s.INDICATOR, lang))
    for column in (s.NAME, s.VALUE, s.UNIT, "reference", "reference_source"):
        ind.add_column(_h(column, lang))
    for _, row in result.indicators.iterrows():
        ind.add_row(
            escape(translate(row[s.NAME], lang)),
            _num(row[s.VALUE], 2),
            str(row[s.UNIT]),
            _num(row["reference"], 2),
            escape(str(row["reference_source"])),
        )
    console.print(ind)

    targets = Table(title=_h("target_id", lang))
    for column in (s.NAME, s.TARGET, s.VALUE, s.GAP, s.UNIT, "year"):
        targets.add_column(_h(column, lang))
    for _, row in result.targets.iterrows():
        targets.add_row(
            escape(str(row[name])),
            _num(row[s.TARGET]),
            _num(row[s.VALUE]),
            _num(row[s.GAP]),
            str(row[s.UNIT]),
            str(row["year"]),
        )
    console.print(targets)


def _print_errors(result: LedgerResult, lang: Lang) -> None:
    for enterprise_id, row in result.errors.iterrows():
        reasons = "; ".join(r[lang] for r in row[s.INPUT_ERROR])
        err_console.print(f"[yellow]error row:[/] {escape(str(enterprise_id))}: {escape(reasons)}")


@report_user_errors
def ledger_command(
    park_dir: ParkOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day of the ledger, YYYY-MM-DD (default: today); the land clock runs to it.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        LedgerFormat,
        typer.Option("--format", "-f", help="table (for people), json, csv or xlsx."),
    ] = LedgerFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Evaluate the park's year: per-mu grades, idle and inefficient land, indicators, targets.

    Reads enterprises.csv from the park directory. Bad enterprise rows are reported as error
    rows (exit 0); a missing column, an unreadable file or a wrong --as-of exits 2. csv with
    -o FILE also writes FILE's .land.csv, .indicators.csv and .targets.csv beside it; xlsx
    needs -o.
    """
    day = parse_day(as_of)
    park = read_park(park_dir)
    raw = read_enterprises(enterprises_path(park_dir))
    result = evaluate(park, raw, as_of=day)
    lang = get_lang()
    _print_errors(result, lang)
    if fmt is LedgerFormat.TABLE:
        print_ledger(result, lang=lang, notice=park.notice)
        return
    if output is None:
        if fmt is LedgerFormat.XLSX:
            raise EnterpriseInputError(
                "cannot write a workbook to the terminal",
                [Problem("--format xlsx", "no output file", fix="add -o ledger.xlsx")],
            )
        text = (
            dumps_ledger_json(result, park_id=park.park_id, notice=park.notice)
            if fmt is LedgerFormat.JSON
            else dumps_ledger_csv(result, lang=lang)
        )
        sys.stdout.write(text)
        return
    written = write_ledger(
        result,
        Path(output),
        fmt=FILE_FORMATS[fmt],
        lang=lang,
        park_id=park.park_id,
        notice=park.notice,
    )
    console.print("written: " + ", ".join(str(p) for p in written))
