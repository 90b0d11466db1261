"""The work of a batch of parks, per park and per partition: read, check or evaluate, write.

Used by :mod:`zoning.io.batch` in this process and by :mod:`zoning.io.cluster` on Dask
workers: :func:`read_park_inputs` reads every park before any work, :func:`check_part` checks
one partition of a park's projects and writes its verdicts (GeoParquet) and long findings
(Parquet) as ``<park_id>/verdicts|findings/part-NNNNN.parquet``, :func:`ledger_part` writes a
park's ledger. Each returns only counts.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import pandas as pd

from zoning import batch as b
from zoning import schema as s
from zoning.errors import ExportError, InputError, Problem
from zoning.i18n import _
from zoning.io._atomic import write_error_reason
from zoning.io.enterprises import enterprises_path, read_enterprises, write_ledger
from zoning.io.park import read_park
from zoning.io.projects import read_projects
from zoning.ledger import evaluate
from zoning.ledger.run import LedgerResult
from zoning.park import Park
from zoning.projects import validate_project_table
from zoning.rules import ParkFacts, check

#: the project pipeline each park directory carries
PROJECTS_FILE: Final = "projects.csv"
#: the sub-directories of a park's output: the verdict table and the long findings
VERDICTS_DIR: Final = "verdicts"
#: see :data:`VERDICTS_DIR`
FINDINGS_DIR: Final = "findings"
#: the ledger's file name, without its suffix
LEDGER_STEM: Final = "ledger"
#: the file formats of a batch ledger
LedgerFormat = Literal["json", "csv", "xlsx"]
#: the summary columns of an evaluated park
LEDGER_SUMMARY_COLUMNS: Final = (
    s.PARK_ID,
    "enterprises",
    *(f"grade_{g.value}" for g in s.Grade),
    "error_rows",
    "flagged_parcels",
    "files",
)


@dataclass(frozen=True)
class ParkInput:
    """A park read from its directory, with the table a batch runs on.

    Attributes
    ----------
    park_dir
        The directory read.
    park
        The validated park.
    table
        Its projects (for a check) or enterprises (for a ledger), as read.
    """

    park_dir: Path
    park: Park
    table: pd.DataFrame


def _duplicate_id_problems(parks: Sequence[ParkInput]) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for item in parks:
        first = seen.setdefault(item.park.park_id, item.park_dir)
        if first is not item.park_dir:
            problems.append(
                Problem(
                    str(item.park_dir),
                    _("park id {park_id!r} is also the id of {other}").format(
                        park_id=item.park.park_id, other=first
                    ),
                    expected=_("a different park_id in each park's metadata.json"),
                    fix=_("give each park its own park_id (its outputs go to a folder named so)"),
                )
            )
    return problems


def _in_park(park_dir: Path, exc: InputError) -> list[Problem]:
    """Return an input error's problems, each saying which park directory it is in."""
    if not exc.problems:
        return [Problem(str(park_dir), exc.summary)]
    return [
        p if p.where.startswith(str(park_dir)) else replace(p, where=f"{park_dir}: {p.where}")
        for p in exc.problems
    ]


def read_park_inputs(park_dirs: Sequence[str | Path], *, table: str) -> list[ParkInput]:
    """Read every park directory and its projects or enterprises, all before any work.

    Parameters
    ----------
    park_dirs
        The park directories, at least one.
    table
        ``"projects"`` (each park's ``projects.csv``) or ``"enterprises"``
        (``enterprises.csv``).

    Raises
    ------
    InputError
        Listing every park that cannot be read (its layers, rulebook or table) and every
        park id given twice; nothing is checked or written then.
    """
    if not park_dirs:
        raise InputError(
            _("no park to run"),
            [Problem("--parks", _("no park directory given"), fix=_("name one or more"))],
        )
    problems: list[Problem] = []
    parks = []
    for park_dir in map(Path, park_dirs):
        try:
            park = read_park(park_dir)
            rows = (
                read_projects(park_dir / PROJECTS_FILE)
                if table == "projects"
                else read_enterprises(enterprises_path(park_dir))
            )
            if table == "projects":
                validate_project_table(rows)
        except InputError as exc:
            problems.extend(_in_park(park_dir, exc))
            continue
        parks.append(ParkInput(park_dir, park, rows))
    problems.extend(_duplicate_id_problems(parks))
    if problems:
        raise InputError(_("cannot run the batch"), problems)
    return parks


def part_path(park_out: Path, kind: str, number: int) -> Path:
    """Return where partition ``number`` of a park's ``verdicts`` or ``findings`` goes."""
    return park_out / kind / f"part-{number:05d}.parquet"


def prepare_park_output(
    park_out: Path, *, kinds: Sequence[str] = (VERDICTS_DIR, FINDINGS_DIR)
) -> None:
    """Create a park's output directory and remove the parts a previous run left in ``kinds``.

    Raises
    ------
    ExportError
        If the directories cannot be created or cleared.
    """
    try:
        park_out.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            directory = park_out / kind
            directory.mkdir(parents=True, exist_ok=True)
            for old in directory.glob("part-*.parquet"):
                old.unlink()
    except OSError as exc:
        raise ExportError(
            _("cannot prepare {path}: {reason}").format(
                path=park_out, reason=write_error_reason(exc)
            )
        ) from None


def _write_parquet(frame: pd.DataFrame, target: Path) -> None:
    """Write a (Geo)Parquet file atomically: a temporary file beside it, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(
            _("cannot write {path}: {reason}").format(path=target, reason=write_error_reason(exc))
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_checked_part(results: gpd.GeoDataFrame, park_out: Path, number: int) -> dict[str, int]:
    """Write one partition's verdict table and findings; return its counts.

    Returns
    -------
    dict
        :func:`zoning.batch.count_verdicts` plus ``rows`` and ``findings`` written.
    """
    findings = b.to_finding_rows(results)
    _write_parquet(b.to_verdict_table(results), part_path(park_out, VERDICTS_DIR, number))
    _write_parquet(findings, part_path(park_out, FINDINGS_DIR, number))
    counts = b.count_verdicts(results)
    counts[b.ROWS] = len(results)
    counts[b.FINDINGS_COUNT] = len(findings)
    return counts


def check_part(
    projects: pd.DataFrame,
    park: Park,
    facts: ParkFacts,
    *,
    park_out: str,
    number: int,
) -> dict[str, int]:
    """Check one partition of a park's projects and write its files; return its counts.

    This is what a Dask worker runs on each partition: it writes what it computed and gives
    back only the counts. An empty partition writes nothing and counts zero.
    """
    if not len(projects):
        counts = b.count_verdicts(pd.DataFrame())
        counts.update({b.ROWS: 0, b.FINDINGS_COUNT: 0})
        return counts
    results = check(park, projects, facts=facts)
    return write_checked_part(results, Path(park_out), number)


def ledger_part(
    park: Park,
    enterprises: pd.DataFrame,
    *,
    as_of: dt.date,
    park_out: str,
    fmt: LedgerFormat = "json",
    lang: Literal["en", "zh"] = "zh",
) -> dict[str, Any]:
    """Evaluate one park's ledger, write it under ``park_out`` and return its summary row."""
    result: LedgerResult = evaluate(park, enterprises, as_of=as_of)
    target = Path(park_out) / f"{LEDGER_STEM}.{fmt}"
    written = write_ledger(
        result, target, fmt=fmt, lang=lang, park_id=park.park_id, notice=park.notice
    )
    grades = result.enterprises[s.GRADE].value_counts()
    flagged = result.land[s.LAND_STATUS].ne(s.LandStatus.NORMAL).sum()
    row: dict[str, Any] = {s.PARK_ID: park.park_id, "enterprises": len(result.enterprises)}
    row.update({f"grade_{g.value}": int(grades.get(g.value, 0)) for g in s.Grade})
    row["error_rows"] = len(result.errors)
    row["flagged_parcels"] = int(flagged)
    row["files"] = ", ".join(str(p) for p in written)
    return row
