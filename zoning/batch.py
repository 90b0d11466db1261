"""Many parks at once: the tables a batch writes and the counts it reports, in memory.

A batch runs the fit check (or the ledger) over several parks, each with its own rulebook,
and writes one file set per park (:mod:`zoning.io.batch`, on one process or a Dask cluster).
This module holds the pure part, shared by both: the flat tables written per partition and
the counts gathered from them. It reads no file and imports no cluster library.

- :func:`to_verdict_table`: one row per (project, zone) with its verdict and the deciding
  finding (the first failing one, else the first warning);
- :func:`to_finding_rows`: the findings flattened to long rows, one per finding (the one
  place that knows the nested ``findings`` lists, so it can switch to a columnar table);
- :func:`count_verdicts`: per-project verdict counts of a check result, which add up over
  partitions because a project's rows never straddle two;
- :func:`summary_table`: the counts of each park as one table.

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0], "wastewater_tpd": [5.0]})
>>> result = check(two_zone_park(), projects)
>>> to_verdict_table(result)[["zone_id", "verdict", "deciding_rule"]].values.tolist()
[['a', 'fits', ''], ['b', 'does_not_fit', 'industry']]
>>> count_verdicts(result)
{'projects': 1, 'fits': 1, 'conditional': 0, 'does_not_fit': 0, 'error': 0}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from zoning import schema as s
from zoning.rules.table import findings_table
from zoning.schema import FindingStatus, Verdict

#: the rule of the finding that decides a row's verdict ("" when every rule passes)
DECIDING_RULE: Final = "deciding_rule"
#: that finding's machine-readable reason
DECIDING_REASON: Final = "deciding_reason"
#: a measured or required value that is not a number (a land-use code, a zone id), as text
MEASURED_TEXT: Final = "measured_text"
#: see :data:`MEASURED_TEXT`
REQUIRED_TEXT: Final = "required_text"
#: the position of a finding among its row's findings (registry order)
FINDING_INDEX: Final = "finding_index"
#: the count columns of a park's summary
PROJECTS: Final = "projects"
#: the number of (project, zone) rows and of findings written
ROWS: Final = "rows"
#: see :data:`ROWS`
FINDINGS_COUNT: Final = "findings"
#: the number of partitions a park's projects were checked in
PARTITIONS: Final = "partitions"
#: the verdict count columns, in the order of :class:`~zoning.schema.Verdict`
VERDICT_COUNTS: Final = tuple(v.value for v in Verdict)
#: the columns of the summary of a checked park
SUMMARY_COLUMNS: Final = (s.PARK_ID, PROJECTS, *VERDICT_COUNTS, ROWS, FINDINGS_COUNT, PARTITIONS)

#: the columns of the verdict table, in order
VERDICT_COLUMNS: Final = (
    s.PROJECT_ID,
    s.NAME,
    s.INDUSTRY_CODE,
    s.ZONE_ID,
    s.VERDICT,
    s.BEST,
    s.AREA_MU,
    DECIDING_RULE,
    DECIDING_REASON,
    s.GEOMETRY,
)
#: the columns of the long findings table, in order
FINDING_COLUMNS: Final = (
    s.PROJECT_ID,
    s.ZONE_ID,
    FINDING_INDEX,
    s.RULE,
    s.STATUS,
    s.REASON,
    s.MEASURED,
    MEASURED_TEXT,
    s.REQUIRED,
    REQUIRED_TEXT,
    s.UNIT,
    s.SOURCE,
    s.MESSAGE,
    s.MESSAGE_ZH,
)


def _deciding(findings: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """Return the rule and reason of the first failing finding, else of the first warning."""
    warned: tuple[str, str] | None = None
    for f in findings:
        if f[s.STATUS] == FindingStatus.FAIL:
            return str(f[s.RULE]), str(f[s.REASON])
        if warned is None and f[s.STATUS] == FindingStatus.WARN:
            warned = (str(f[s.RULE]), str(f[s.REASON]))
    return warned if warned is not None else ("", "")


def to_verdict_table(results: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return one row per (project, zone) with its verdict and the finding that decides it.

    Parameters
    ----------
    results
        A fit-check result (:func:`zoning.check`).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`VERDICT_COLUMNS`, indexed like ``results``: the result without its
        nested findings, plus ``deciding_rule`` and ``deciding_reason`` (the first failing
        finding, else the first warning; ``""`` when every rule passes).
    """
    deciding = [_deciding(findings) for findings in results[s.FINDINGS]]
    table = results.drop(columns=[s.FINDINGS])
    table[DECIDING_RULE] = [rule for rule, _ in deciding]
    table[DECIDING_REASON] = [reason for _, reason in deciding]
    return gpd.GeoDataFrame(table[list(VERDICT_COLUMNS)], geometry=s.GEOMETRY, crs=results.crs)


def split_numbers(values: Iterable[Any]) -> tuple[npt.NDArray[np.float64], list[str | None]]:
    """Split values into numbers (NaN where not a number) and texts (``None`` where a number).

    Examples
    --------
    >>> split_numbers([1, "M1", None, 2.5])
    (array([1. , nan, nan, 2.5]), [None, 'M1', None, None])
    """
    listed = list(values)
    numbers = np.full(len(listed), np.nan)
    texts: list[str | None] = [None] * len(listed)
    for i, value in enumerate(listed):
        if isinstance(value, int | float | np.number) and not isinstance(value, bool):
            numbers[i] = float(value)
        elif value is not None:
            texts[i] = str(value)
    return numbers, texts


def to_finding_rows(results: pd.DataFrame) -> pd.DataFrame:
    """Flatten the findings of a check result to long rows, one per finding.

    The long table of :func:`zoning.rules.findings_table` with its messages, each row's
    findings numbered, and the measured and required values split into numbers and texts
    (the form of a columnar file: GeoParquet, a database table).

    Parameters
    ----------
    results
        A fit-check result (:func:`zoning.check`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FINDING_COLUMNS`, keyed to the verdict table by ``project_id`` and
        ``zone_id``, in the result's row order then the findings' order (``finding_index``).
        ``measured`` and ``required`` are numbers (NaN when not one); a value that is text (a
        land-use code, a zone id) is in ``measured_text`` / ``required_text``.
    """
    rows = findings_table(results, messages=True)
    for column in rows.select_dtypes("category"):  # plain texts: the same however partitioned
        rows[column] = rows[column].astype(object).where(rows[column].notna(), None)
    lengths = results[s.FINDINGS].map(len).to_numpy(dtype=np.intp)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows[FINDING_INDEX] = (np.arange(len(rows)) - starts).astype(np.int16)
    for column, text in ((s.MEASURED, MEASURED_TEXT), (s.REQUIRED, REQUIRED_TEXT)):
        rows[column], rows[text] = split_numbers(rows[column])
    return rows[list(FINDING_COLUMNS)]


def project_verdicts(results: pd.DataFrame) -> pd.Series:
    """Return the overall verdict of each project: its best zone's, else the worst outcome.

    A project with a recommended zone takes that zone's verdict; one without takes
    ``does_not_fit`` (or ``error`` for a row that could not be checked).
    """
    best = results[results[s.BEST]].drop_duplicates(s.PROJECT_ID).set_index(s.PROJECT_ID)
    overall = results.drop_duplicates(s.PROJECT_ID).set_index(s.PROJECT_ID)[s.VERDICT]
    overall = overall.where(overall == Verdict.ERROR, Verdict.DOES_NOT_FIT.value)
    overall.loc[best.index] = best[s.VERDICT]
    return overall


def count_verdicts(results: pd.DataFrame) -> dict[str, int]:
    """Count the projects of a check result by overall verdict (:func:`project_verdicts`).

    Returns
    -------
    dict
        ``projects`` and one count per verdict (``fits``, ``conditional``,
        ``does_not_fit``, ``error``). The counts of disjoint sets of projects add up.
    """
    if not len(results):
        return dict.fromkeys((PROJECTS, *VERDICT_COUNTS), 0)
    verdicts = project_verdicts(results).value_counts()
    counts = {PROJECTS: int(verdicts.sum())}
    counts.update({v: int(verdicts.get(v, 0)) for v in VERDICT_COUNTS})
    return counts


def summary_table(counts: Mapping[str, Iterable[Mapping[str, int]]]) -> pd.DataFrame:
    """Return the summary of checked parks: the partition counts of each park added up.

    Parameters
    ----------
    counts
        For each park id, the counts of its partitions: dicts with the count columns of
        :data:`SUMMARY_COLUMNS` (``partitions`` excepted: it is the number of dicts).

    Returns
    -------
    pandas.DataFrame
        One row per park, in the order given, columns :data:`SUMMARY_COLUMNS`.

    Examples
    --------
    >>> parts = [{"projects": 2, "fits": 1, "conditional": 0, "does_not_fit": 1, "error": 0,
    ...           "rows": 5, "findings": 40}] * 2
    >>> summary_table({"p": parts})[["park_id", "projects", "fits", "partitions"]].values.tolist()
    [['p', 4, 2, 2]]
    """
    rows = []
    for park_id, parts in counts.items():
        listed = list(parts)
        row: dict[str, Any] = {s.PARK_ID: park_id}
        for column in SUMMARY_COLUMNS[1:-1]:
            row[column] = sum(int(part.get(column, 0)) for part in listed)
        row[PARTITIONS] = len(listed)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
