"""Write check results to files, streaming: JSON, GeoJSON, CSV, Excel and GeoParquet.

Every writer goes through the rows in chunks of :data:`CHUNK_ROWS`, so that no whole
document is built in memory, and calls ``progress(rows_done)`` after each chunk (the command
line shows it on a terminal). Every file is written atomically: a temporary file beside the
target, then a rename (:mod:`zoning.io._atomic`); the two files of ``parquet`` are put in
place together.

- ``json``: an array, one result row per line (the JSON form of
  :func:`zoning.rules.to_records`, with ``candidate_sites`` where given).
- ``geojson``: an RFC 7946 FeatureCollection in WGS84, one feature per line.
- ``csv`` and ``xlsx``: one row per (project, zone) with the verdict and the reasons in words
  of the current language, under a header in that language; CSV as UTF-8 with a byte-order
  mark (so that Excel and WPS read the Chinese), xlsx through openpyxl's write-only mode.
- ``parquet``: GeoParquet of the verdicts (sites in WGS84) and, beside it,
  ``<name>.findings.parquet``: the long findings table (:func:`zoning.batch.to_finding_rows`),
  ``measured`` and ``required`` split into numbers and texts.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, TextIO

import geopandas as gpd
import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.batch import to_finding_rows
from zoning.errors import ExportError
from zoning.geojson import geometry_texts, json_value
from zoning.i18n import N_, _, get_lang
from zoning.io._atomic import disk_full_message, is_disk_full, replace_items, write_atomic
from zoning.rules import to_records
from zoning.rules.base import PASS, WARN
from zoning.rules.table import rows_at_least
from zoning.schema import FindingStatus, Verdict
from zoning.units import WGS84

#: rows written between two progress reports
CHUNK_ROWS: Final = 5_000
#: the suffix of the findings file beside a GeoParquet of verdicts
FINDINGS_SUFFIX: Final = ".findings.parquet"


class ResultFormat(StrEnum):
    """The file formats of :func:`write_check_results`."""

    JSON = "json"
    GEOJSON = "geojson"
    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"


#: the columns of the CSV and Excel forms and their headers (translated when written)
WORD_COLUMNS: Final = (
    (s.PROJECT_ID, N_("project id")),
    (s.NAME, N_("project name")),
    (s.INDUSTRY_CODE, N_("industry code")),
    (s.ZONE_ID, N_("zone")),
    (s.VERDICT, N_("verdict")),
    (s.BEST, N_("recommended zone")),
    (s.AREA_MU, N_("land (mu)")),
    ("reasons", N_("reasons (failing, then warnings)")),
    ("failed_rules", N_("failed rules")),
    ("warned_rules", N_("warned rules")),
)

Progress = Callable[[int], None]
SiteRecords = Mapping[tuple[str, str], list[dict[str, Any]]]


def _chunks(n: int) -> Iterator[slice]:
    for start in range(0, n, CHUNK_ROWS):
        yield slice(start, min(n, start + CHUNK_ROWS))


def _done(progress: Progress | None, rows: int) -> None:
    if progress is not None:
        progress(rows)


# --------------------------------------------------------------------------- text formats
def write_json_rows(
    fh: TextIO,
    results: pd.DataFrame,
    *,
    sites: SiteRecords | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the JSON array of the result rows to ``fh``, one row a line.

    ``sites`` maps (project id, zone id) to the candidate sites of a placeable row.
    """
    fh.write("[")
    first = True
    for part in _chunks(len(results)):
        lines = []
        for record in _records(results.iloc[part]):
            key = (record[s.PROJECT_ID], record[s.ZONE_ID])
            if sites and key in sites and record[s.VERDICT] in s.PLACEABLE_VERDICTS:
                record["candidate_sites"] = sites[key]
            lines.append(_dumps(record))
        if lines:
            fh.write(("\n" if first else ",\n") + ",\n".join(lines))
            first = False
        _done(progress, part.stop)
    fh.write("\n]\n")


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the JSON form of rows (:func:`zoning.rules.to_records`), findings as they are.

    A finding holds plain Python values already; :func:`_dumps` falls back to
    :func:`~zoning.geojson.json_value` for one that does not.
    """
    if s.FINDINGS not in rows.columns:
        return to_records(rows)
    records = to_records(rows.drop(columns=[s.FINDINGS]))
    every = rows_at_least(rows[s.FINDINGS].tolist(), PASS)  # a chunk's findings in one pass
    for record, found in zip(records, every, strict=True):
        record[s.FINDINGS] = found
    return records


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # numpy values or NaN in a finding made by hand
        return json.dumps(json_value(value), ensure_ascii=False, allow_nan=False)


def write_geojson_rows(
    fh: TextIO,
    results: gpd.GeoDataFrame,
    *,
    notice: str = "",
    progress: Progress | None = None,
) -> None:
    """Write the result rows as an RFC 7946 FeatureCollection (WGS84), one feature a line."""
    fh.write('{"type":"FeatureCollection","features":[')
    located = isinstance(results, gpd.GeoDataFrame) and results.crs is not None
    first = True
    for part in _chunks(len(results)):
        rows = results.iloc[part]
        texts = geometry_texts(rows.geometry) if located else ["null"] * len(rows)
        features = [
            '{"type":"Feature","properties":' + _dumps(props) + ',"geometry":' + geometry + "}"
            for props, geometry in zip(_records(rows), texts, strict=True)
        ]
        if features:
            fh.write(("\n" if first else ",\n") + ",\n".join(features))
            first = False
        _done(progress, part.stop)
    tail = (
        "," + json.dumps("notice") + ":" + json.dumps(notice, ensure_ascii=False) if notice else ""
    )
    fh.write("\n]" + tail + "}\n")


# --------------------------------------------------------------------------- words
def _message(finding: Mapping[str, Any], zh: bool) -> str:
    text = finding.get(s.MESSAGE_ZH) if zh else None
    return str(text or finding.get(s.MESSAGE, ""))


def word_rows(results: pd.DataFrame, part: slice) -> Iterator[list[Any]]:
    """Yield the CSV / Excel rows of ``results.iloc[part]``: verdicts and reasons in words.

    Only the failing and warning findings of a row are read (and their messages rendered).
    """
    zh = get_lang() == "zh"
    verdict_words = {v.value: s.label(v) for v in Verdict}
    yes, no = _("yes"), ""
    rows = results.iloc[part]
    area = rows[s.AREA_MU].to_numpy(dtype=float)
    columns = [rows[c].tolist() for c in (s.PROJECT_ID, s.NAME, s.INDUSTRY_CODE, s.ZONE_ID)]
    selected = rows_at_least(rows[s.FINDINGS].tolist(), WARN)
    for k, (pid, name, code, zone, verdict, best, found) in enumerate(
        zip(*columns, rows[s.VERDICT], rows[s.BEST], selected, strict=True)
    ):
        failed = [f for f in found if f.get(s.STATUS) == FindingStatus.FAIL]
        warned = [f for f in found if f.get(s.STATUS) == FindingStatus.WARN]
        reasons = [f"✗ {_message(f, zh)}" for f in failed] + [
            f"! {_message(f, zh)}" for f in warned
        ]
        yield [
            pid,
            name,
            code,
            zone,
            verdict_words.get(verdict, verdict),
            yes if best else no,
            None if np.isnan(area[k]) else round(float(area[k]), 2),
            "; ".join(reasons),
            ", ".join(str(f.get(s.RULE)) for f in failed),
            ", ".join(str(f.get(s.RULE)) for f in warned),
        ]


def header_row() -> list[str]:
    """Return the header of the CSV and Excel forms, in the current language."""
    return [_(title) for _key, title in WORD_COLUMNS]


def write_csv_rows(fh: TextIO, results: pd.DataFrame, *, progress: Progress | None = None) -> None:
    """Write the CSV form (UTF-8 with a byte-order mark) to ``fh``."""
    import csv

    fh.write("\ufeff")
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(header_row())
    for part in _chunks(len(results)):
        writer.writerows(["" if v is None else v for v in row] for row in word_rows(results, part))
        _done(progress, part.stop)


# --------------------------------------------------------------------------- binary formats
def _staged(target: Path, write: Callable[[Path], Sequence[str]]) -> list[Path]:
    """Write files into a staging folder beside ``target``, then put them all in place."""
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise ExportError(
            f"cannot write {target}: directory {directory} does not exist; create it first"
        )
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=directory))
    try:
        names = write(staging)
        replace_items(staging, directory, names)
    except OSError as exc:
        if is_disk_full(exc):
            raise ExportError(disk_full_message(target)) from None
        raise ExportError(
            f"cannot write {target}: {exc.strerror or exc}. Check that the directory is "
            "writable and that the path is not a directory."
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [directory / name for name in names]


def write_xlsx(target: Path, results: pd.DataFrame, *, progress: Progress | None = None) -> Path:
    """Write the Excel form (one sheet, header in the current language), atomically."""
    from openpyxl import Workbook

    def write(staging: Path) -> list[str]:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("fit check"))
        sheet.append(header_row())
        for part in _chunks(len(results)):
            for row in word_rows(results, part):
                sheet.append(row)
            _done(progress, part.stop)
        book.save(staging / target.name)
        return [target.name]

    return _staged(target, write)[0]


def write_parquet(
    target: Path, results: gpd.GeoDataFrame, *, progress: Progress | None = None
) -> list[Path]:
    """Write the verdicts as GeoParquet (WGS84) and the findings table beside, atomically."""
    findings_name = target.name.removesuffix(".parquet") + FINDINGS_SUFFIX

    def write(staging: Path) -> list[str]:
        verdicts = gpd.GeoDataFrame(results.drop(columns=[s.FINDINGS]), crs=results.crs)
        verdicts = verdicts.to_crs(WGS84) if verdicts.crs is not None else verdicts
        verdicts.to_parquet(staging / target.name, index=False)
        _done(progress, len(results) // 2)
        table = to_finding_rows(results)
        table.to_parquet(staging / findings_name, index=False)
        _done(progress, len(results))
        return [target.name, findings_name]

    return _staged(target, write)


def write_check_results(
    results: gpd.GeoDataFrame,
    target: Path,
    fmt: ResultFormat,
    *,
    notice: str = "",
    sites: SiteRecords | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write check results to ``target`` in ``fmt``, atomically; return the files written.

    Parameters
    ----------
    results
        The rows of :func:`zoning.rules.check`.
    target
        The file (for ``parquet`` the verdicts; the findings go beside it).
    fmt
        The format.
    notice
        The park's notice, written into the GeoJSON.
    sites
        Candidate sites per (project id, zone id), written into the JSON.
    progress
        Called with the number of rows written so far.

    Raises
    ------
    ExportError
        If the directory does not exist or cannot be written; an existing file is left as is.
    """
    if fmt is ResultFormat.XLSX:
        return [write_xlsx(target, results, progress=progress)]
    if fmt is ResultFormat.PARQUET:
        return write_parquet(target, results, progress=progress)
    writers: dict[ResultFormat, Callable[[TextIO], None]] = {
        ResultFormat.JSON: lambda fh: write_json_rows(fh, results, sites=sites, progress=progress),
        ResultFormat.GEOJSON: lambda fh: write_geojson_rows(
            fh, results, notice=notice, progress=progress
        ),
        ResultFormat.CSV: lambda fh: write_csv_rows(fh, results, progress=progress),
    }
    return [write_atomic(target, writers[fmt])]


__all__ = [
    "CHUNK_ROWS",
    "FINDINGS_SUFFIX",
    "WORD_COLUMNS",
    "ResultFormat",
    "header_row",
    "word_rows",
    "write_check_results",
    "write_csv_rows",
    "write_geojson_rows",
    "write_json_rows",
    "write_parquet",
    "write_xlsx",
]
