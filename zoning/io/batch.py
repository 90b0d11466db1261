"""Many parks at once: check or evaluate several park directories, write one file set each.

Each park directory holds its own layers, rulebook (``rulebook.toml``), project pipeline
(``projects.csv``) and enterprise table (``enterprises.csv``). :func:`check_parks` runs the
fit check of every park's pipeline and :func:`ledger_parks` its yearly ledger, writing one
file set per park under ``out_dir/<park_id>/`` and returning one summary row per park. With a
``dask.distributed.Client`` the work runs on its cluster (:mod:`zoning.io.cluster`); without
one, in this process. Both write the same files (:mod:`zoning.io.batch_work`):

- ``<park_id>/verdicts/part-NNNNN.parquet``: GeoParquet, one row per (project, zone) with its
  verdict and deciding finding (:func:`zoning.batch.to_verdict_table`), EPSG:4543;
- ``<park_id>/findings/part-NNNNN.parquet``: Parquet, one row per finding
  (:func:`zoning.batch.to_finding_rows`);
- ``<park_id>/ledger.json`` (or ``.csv``, ``.xlsx``): the ledger (:func:`ledger_parks`).

One process writes a single part per park; a cluster writes one per partition, each by the
worker that checked it. Read a park's table whole with ``geopandas.read_parquet(directory)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from zoning import batch as b
from zoning.io._atomic import write_text_atomic
from zoning.io.batch_work import (
    LEDGER_SUMMARY_COLUMNS,
    LedgerFormat,
    check_part,
    ledger_part,
    prepare_park_output,
    read_park_inputs,
)
from zoning.io.cluster import check_on_cluster, ledger_on_cluster
from zoning.rules import build_park_facts

#: the summary table written beside the parks' folders
SUMMARY_FILE: Final = "summary.csv"


def check_parks(
    park_dirs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    client: Any = None,
    partitions_per_park: int | None = None,
) -> pd.DataFrame:
    """Check every park's project pipeline and write its verdicts and findings per park.

    Parameters
    ----------
    park_dirs
        Park directories, each with its layers, rulebook and ``projects.csv``.
    out_dir
        Where the file sets go: ``out_dir/<park_id>/verdicts/`` and ``.../findings/``.
    client
        A ``dask.distributed.Client``: run on its cluster (needs the ``dask`` extra; the
        workers must be able to write to ``out_dir``). ``None``: run in this process.
    partitions_per_park
        On a cluster, how many partitions each park's projects are cut into (default: four
        per worker thread). Ignored without a client.

    Returns
    -------
    pandas.DataFrame
        One row per park (:data:`zoning.batch.SUMMARY_COLUMNS`): projects, the count of
        each overall verdict, rows and findings written, partitions.

    Raises
    ------
    InputError
        If a park or its projects cannot be read, or two parks share an id.
    ExportError
        If an output cannot be written.
    """
    parks = read_park_inputs(park_dirs, table="projects")
    out = Path(out_dir)
    for item in parks:
        prepare_park_output(out / item.park.park_id)
    if client is not None:
        counts = check_on_cluster(parks, out, client, partitions_per_park=partitions_per_park)
        return b.summary_table(counts)
    summary: dict[str, list[dict[str, int]]] = {}
    for item in parks:
        facts = build_park_facts(item.park)
        park_out = str(out / item.park.park_id)
        summary[item.park.park_id] = [
            check_part(item.table, item.park, facts, park_out=park_out, number=0)
        ]
    return b.summary_table(summary)


def ledger_parks(
    park_dirs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    as_of: dt.date,
    fmt: LedgerFormat = "json",
    lang: Literal["en", "zh"] = "zh",
    client: Any = None,
) -> pd.DataFrame:
    """Evaluate every park's yearly ledger and write it as ``out_dir/<park_id>/ledger.FMT``.

    With a ``dask.distributed.Client`` each park is one task on its cluster, which writes the
    park's ledger where it ran; without one, the parks are evaluated in this process.

    Returns
    -------
    pandas.DataFrame
        One row per park (:data:`LEDGER_SUMMARY_COLUMNS`): enterprises, the count of each
        grade, error rows, parcels flagged on the land clock, the files written.

    Raises
    ------
    InputError
        If a park or its enterprise table cannot be read, or two parks share an id.
    ExportError
        If an output cannot be written.
    """
    parks = read_park_inputs(park_dirs, table="enterprises")
    out = Path(out_dir)
    for item in parks:
        prepare_park_output(out / item.park.park_id, kinds=())
    kwargs: dict[str, Any] = {"as_of": as_of, "fmt": fmt, "lang": lang}
    if client is not None:
        rows = ledger_on_cluster(parks, out, client, **kwargs)
    else:
        rows = [
            ledger_part(item.park, item.table, park_out=str(out / item.park.park_id), **kwargs)
            for item in parks
        ]
    return pd.DataFrame(rows, columns=list(LEDGER_SUMMARY_COLUMNS))


def write_summary(summary: pd.DataFrame, out_dir: str | Path) -> Path:
    """Write a batch's summary as ``out_dir/summary.csv`` (UTF-8 with a BOM, for Excel/WPS).

    Raises
    ------
    ExportError
        If the file cannot be written.
    """
    text = "\ufeff" + summary.to_csv(index=False, lineterminator="\n")
    return write_text_atomic(Path(out_dir) / SUMMARY_FILE, text, create_dirs=True)
