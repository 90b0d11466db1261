"""Read a park's enterprise table (``enterprises.csv``) and write the yearly ledger.

The table is UTF-8 CSV (with or without a byte-order mark), one enterprise per row, with the
columns of :data:`zoning.schema.ENTERPRISE_COLUMNS` (and optionally ``note``). Reading only
reads: a file that cannot be read as a table, or that misses a column, raises
:class:`~zoning.ledger.validation.EnterpriseInputError`; problems of single rows are left to
:func:`zoning.ledger.validation.parse_enterprises`, which makes them error rows.

The ledger is written atomically (a temporary file beside the target, then a rename) as JSON,
CSV (four files: the enterprises at the path given, and ``<stem>.land.csv``,
``<stem>.indicators.csv`` and ``<stem>.targets.csv`` beside it) or an ``.xlsx`` workbook with
one sheet per table (openpyxl).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Final, Literal

import pandas as pd

from zoning.errors import ExportError, Problem
from zoning.i18n import Lang
from zoning.io._atomic import write_text_atomic
from zoning.io.park import bundled_park_dir
from zoning.io.reading import Reader
from zoning.ledger.records import to_json_dict, to_tables
from zoning.ledger.run import LedgerResult
from zoning.ledger.validation import EnterpriseInputError, validate_enterprise_columns

ENTERPRISES_FILE: Final = "enterprises.csv"
LedgerFormat = Literal["json", "csv", "xlsx"]
_SUMMARY: Final = "cannot read the enterprise table"


def _fail(where: str, what: str, *, expected: str = "", fix: str = "") -> EnterpriseInputError:
    return EnterpriseInputError(_SUMMARY, [Problem(where, what, expected=expected, fix=fix)])


def enterprises_path(park_dir: str | Path | None = None) -> Path:
    """Return the enterprise table of a park directory (default: the bundled park)."""
    base = bundled_park_dir() if park_dir is None else Path(park_dir)
    return base / ENTERPRISES_FILE


def read_enterprises(path: str | Path | None = None) -> pd.DataFrame:
    """Read an enterprise table as text cells.

    Parameters
    ----------
    path
        The CSV file, or a park directory holding ``enterprises.csv``; default: the bundled
        park's.

    Returns
    -------
    pandas.DataFrame
        One row per enterprise, every cell as text (column names stripped and lower-cased,
        blank rows dropped). Pass it to :func:`zoning.ledger.evaluate`.

    Raises
    ------
    EnterpriseInputError
        If the file is missing, empty, not UTF-8, has duplicate columns, rows longer than the
        header, or misses a column.
    """
    target = enterprises_path() if path is None else Path(path)
    if target.is_dir():
        target = target / ENTERPRISES_FILE
    reader = Reader(EnterpriseInputError, _SUMMARY)
    if not target.exists():
        raise _fail(
            str(target),
            "file not found",
            expected=f"a park directory with {ENTERPRISES_FILE}, or the CSV file itself",
        )
    data = reader.read_bytes(target, fix_empty="write one enterprise per row")
    text = reader.decode(data, where=target.name)
    rows = reader.csv_rows(text, where=target.name)
    names = [h.strip().lower() for h in rows[0]]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise _fail(
            target.name,
            f"duplicate column(s) in the header: {', '.join(dupes)}",
            expected="each column once",
        )
    long_rows = [
        i
        for i, row in enumerate(rows[1:], start=2)
        if len(row) > len(names) and any(row[len(names) :])
    ]
    if long_rows:
        raise _fail(
            target.name,
            f"more cells than header columns on line(s) {', '.join(map(str, long_rows[:10]))}",
            expected=f"at most {len(names)} cells per row",
            fix="quote cells that contain commas, or remove the extra cells",
        )
    cells = [(row + [""] * len(names))[: len(names)] for row in rows[1:]]
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    blank = frame.apply(lambda col: col.str.strip().eq("")).all(axis=1).to_numpy(dtype=bool)
    kept: pd.DataFrame = frame[~blank].reset_index(drop=True)
    validate_enterprise_columns(kept, where=target.name)
    return kept


def _write_binary_atomic(target: Path, write: Callable[[BinaryIO], object]) -> Path:
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise ExportError(f"cannot write {target}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def dumps_ledger_json(result: LedgerResult, *, park_id: str = "", notice: str = "") -> str:
    """Return the ledger as JSON text."""
    doc = to_json_dict(result, park_id=park_id, notice=notice)
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def dumps_ledger_csv(result: LedgerResult, *, lang: Lang, table: str = "enterprises") -> str:
    """Return one table of the ledger as CSV text."""
    return str(to_tables(result, lang)[table].to_csv(index=False, lineterminator="\n"))


def write_ledger(
    result: LedgerResult,
    path: str | Path,
    *,
    fmt: LedgerFormat,
    lang: Lang = "zh",
    park_id: str = "",
    notice: str = "",
) -> list[Path]:
    """Write the ledger atomically; return the files written.

    Raises
    ------
    ExportError
        If a file cannot be written (files already there are left as they were).
    """
    target = Path(path)
    if fmt == "json":
        return [write_text_atomic(target, dumps_ledger_json(result, park_id=park_id,
                                                            notice=notice))]  # fmt: skip
    tables = to_tables(result, lang)
    if fmt == "csv":
        written = []
        for name, frame in tables.items():
            out = target if name == "enterprises" else target.with_suffix(f".{name}.csv")
            written.append(write_text_atomic(out, frame.to_csv(index=False, lineterminator="\n")))
        return written
    if fmt == "xlsx":
        return [_write_binary_atomic(target, lambda fh: _xlsx(tables, fh, notice))]
    raise ValueError(f"unknown format {fmt!r}: expected json, csv or xlsx")


def _xlsx(tables: dict[str, pd.DataFrame], fh: BinaryIO, notice: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = True
    for name, frame in tables.items():
        sheet = book.active if first and book.active is not None else book.create_sheet()
        first = False
        sheet.title = name
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
    if notice:
        book.create_sheet("notice").append([notice])
    book.save(fh)


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "item"):
        return value.item()
    return value


__all__ = [
    "ENTERPRISES_FILE",
    "dumps_ledger_csv",
    "dumps_ledger_json",
    "enterprises_path",
    "read_enterprises",
    "write_ledger",
]
