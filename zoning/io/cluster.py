"""Run a batch of parks on a Dask cluster (dask.distributed and dask-geopandas).

Nothing here is a scheduler of its own: Dask schedules, this module only lays out the work.
For each park, the client reads the park and its projects, builds the park facts once and
scatters them to every worker (``client.scatter(..., broadcast=True)``). The projects are
scattered in slices; the workers read where each site is and keep the slices in memory. The
projects with a site are sorted by the Hilbert distance of their site's centre over the
sites' extent (dask-geopandas ``total_bounds``, geopandas ``hilbert_distance``, then
``set_index``: what dask-geopandas ``spatial_shuffle`` does, which fails on a filtered frame
with dask 2026.8) and cut into partitions, so that a partition's sites are near each other
and meet few zones; those without one (checked against every zone) are cut in even slices by
row. Each partition is checked by a worker (:func:`zoning.io.batch_work.check_part`), which
writes its verdicts and findings as (Geo)Parquet and gives back only its counts. The client
gathers the counts, nothing else.

The workers write to the output directory by its path: on a real cluster it must be a
directory every worker can reach under the same path (a shared disk).

Dask is an optional extra (``pip install 'zoning[dask]'``): importing :mod:`zoning` never
imports it, and :func:`require_dask` says how to install it when it is missing.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import batch as b
from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.i18n import _
from zoning.io.batch_work import ParkInput, check_part, ledger_part
from zoning.rules import build_park_facts
from zoning.units import METRIC_CRS, WGS84

#: the modules the Dask path needs (the ``dask`` extra)
DASK_MODULES: Final = ("dask", "distributed", "dask_geopandas")
#: the column of the sites (EPSG:4543) the projects are partitioned by
SITE_KEY: Final = "_batch_site"
#: whether a project has a usable site (the partitions of the sited projects are spatial)
HAS_SITE: Final = "_batch_has_site"
#: the distance of a site's centre along the Hilbert curve over all sites' extent
HILBERT: Final = "_batch_hilbert"
#: a project's row in the table as read (the unsited projects are cut in even slices by it)
ROW: Final = "_batch_row"
#: partitions per worker thread, by default: enough for the threads to share the work evenly
PARTITIONS_PER_THREAD: Final = 4
#: how long to wait for a scheduler before giving up, in seconds
CONNECT_TIMEOUT_S: Final = 20
#: the count columns each partition returns
COUNT_COLUMNS: Final = (b.PROJECTS, *b.VERDICT_COUNTS, b.ROWS, b.FINDINGS_COUNT)


def require_dask() -> None:
    """Import the Dask extra's modules, or say how to install them.

    Raises
    ------
    InputError
        If ``dask``, ``distributed`` or ``dask_geopandas`` cannot be imported.
    """
    missing = []
    for name in DASK_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise InputError(
            _("cannot run on a Dask cluster"),
            [
                Problem(
                    "--dask",
                    _("missing Python package(s): {names}").format(names=", ".join(missing)),
                    expected=_("the dask extra: dask[distributed], dask-geopandas, pyarrow"),
                    fix=_("install it with: pip install 'zoning[dask]'"),
                )
            ],
        )


def connect(address: str, *, timeout_s: float = CONNECT_TIMEOUT_S) -> Any:
    """Connect to the Dask scheduler at ``address`` (``tcp://host:8786``); return the client.

    ``timeout_s`` is how long to wait for it.

    Raises
    ------
    InputError
        If the extra is missing or no scheduler answers at ``address`` in time.
    """
    require_dask()
    from distributed import Client

    try:
        return Client(address, timeout=timeout_s)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        raise InputError(
            _("cannot run on a Dask cluster"),
            [
                Problem(
                    "--dask",
                    _("no Dask scheduler answers at {address}: {reason}").format(
                        address=address, reason=exc
                    ),
                    expected=_("the address a running 'dask scheduler' prints (tcp://HOST:8786)"),
                    fix=_("start 'dask scheduler' and 'dask worker ADDRESS', then try again"),
                )
            ],
        ) from None


def site_keys(table: pd.DataFrame) -> npt.NDArray[np.object_]:
    """Return each project's site in EPSG:4543 for partitioning, None where there is none.

    A light reading, for the partitions only: the geometry of a GeoDataFrame, else the
    ``site_wkt`` text (WGS84) where it parses. The fit check reads the sites again, fully
    (:func:`zoning.projects.normalize_projects`), and reports the unusable ones.
    """
    n = len(table)
    keys = np.full(n, None, dtype=object)
    if isinstance(table, gpd.GeoDataFrame) and table.crs is not None:
        keys[:] = table.geometry.to_crs(METRIC_CRS).to_numpy()
    if s.SITE_WKT in table.columns:
        text = np.fromiter(
            (v if isinstance(v, str) and v.strip() else None for v in table[s.SITE_WKT]),
            dtype=object,
            count=n,
        )
        use = np.asarray(shapely.is_missing(keys), dtype=bool) & (text != None)  # noqa: E711
        if use.any():
            parsed = shapely.from_wkt(text[use], on_invalid="ignore")
            keys[use] = gpd.GeoSeries(parsed, crs=WGS84).to_crs(METRIC_CRS).to_numpy()
    present = ~np.asarray(shapely.is_missing(keys), dtype=bool)
    finite = np.isfinite(shapely.bounds(keys)).all(axis=1) if n else present
    keys[~(present & finite)] = None
    return keys


def _with_site_key(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the projects as read, with their sites' key (:func:`site_keys`) as geometry."""
    frame = pd.DataFrame(table)
    if isinstance(table, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=table.geometry.name, crs=table.crs)
    frame[SITE_KEY] = gpd.GeoSeries(site_keys(table), index=frame.index, crs=METRIC_CRS)
    frame[HAS_SITE] = frame[SITE_KEY].notna().to_numpy(dtype=bool)
    frame[ROW] = frame.index.to_numpy(dtype=np.int64)
    return gpd.GeoDataFrame(frame, geometry=SITE_KEY, crs=METRIC_CRS)


def _split(n_parts: int, n_sited: int, n_unsited: int, *, n_zones: int) -> tuple[int, int]:
    """Share ``n_parts`` partitions between the sited and the unsited projects, by work.

    A project without a site is checked against every zone, one with a site against the
    zone(s) it touches (about one): the partitions are shared by (project, zone) rows.
    """
    if not n_sited or not n_unsited:
        return min(n_parts, n_sited), min(n_parts, n_unsited)
    work_sited, work_unsited = n_sited, n_unsited * max(1, n_zones)
    share = n_parts * work_sited / (work_sited + work_unsited)
    sited = min(n_sited, max(1, round(share)))
    return sited, min(n_unsited, max(1, n_parts - sited))


def _sited_rows(frame: gpd.GeoDataFrame, *, total_bounds: Any) -> gpd.GeoDataFrame:
    """Return the rows of a partition with a usable site, with their Hilbert distance."""
    sited = frame[frame[HAS_SITE].to_numpy(dtype=bool)].copy()
    sited[HILBERT] = sited.geometry.hilbert_distance(total_bounds=total_bounds).astype(np.int64)
    return sited


def _unsited_rows(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the rows of a partition without a usable site."""
    return frame[~frame[HAS_SITE].to_numpy(dtype=bool)]


def _slices(table: pd.DataFrame, n_parts: int) -> list[pd.DataFrame]:
    """Cut a table into ``n_parts`` even slices of consecutive rows (fewer for a short one)."""
    n = max(1, min(n_parts, len(table)))
    edges = np.linspace(0, len(table), n + 1).astype(int)
    return [table.iloc[start:stop] for start, stop in itertools.pairwise(edges)]


def partition_projects(item: ParkInput, n_parts: int, client: Any) -> Any:
    """Return the park's projects as a dask-geopandas frame, partitioned spatially.

    The table is scattered to the workers in slices, which read the sites' positions (the
    key, :func:`site_keys`) and keep them in memory; the sited projects are then sorted by
    the Hilbert distance of their sites and cut into partitions, the rest in even slices by
    row. Only the number of sited projects and the sites' extent come back to the client.

    Parameters
    ----------
    item
        The park and its projects, as read.
    n_parts
        How many partitions to make.
    client
        The ``dask.distributed.Client``.
    """
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401 (makes frames of GeoDataFrames dask-geopandas frames)

    table = item.table.reset_index(drop=True)
    meta = _with_site_key(table.iloc[:0])
    slices = client.scatter(_slices(table, n_parts), hash=False)
    raw = dd.from_delayed(slices, meta=table.iloc[:0], verify_meta=False)
    keyed = raw.map_partitions(_with_site_key, meta=meta).persist()
    n_with_site = int(client.compute(keyed[HAS_SITE].sum()).result())
    bounds = np.asarray(client.compute(keyed.total_bounds).result())
    n_sited, n_unsited = _split(
        max(1, n_parts),
        n_with_site,
        len(table) - n_with_site,
        n_zones=len(item.park.zones),
    )
    parts = []
    if n_sited:
        sited_meta = meta.assign(**{HILBERT: pd.Series(dtype=np.int64)})
        located = keyed.map_partitions(_sited_rows, total_bounds=bounds, meta=sited_meta)
        parts.append(located.set_index(HILBERT, npartitions=n_sited, shuffle_method="tasks"))
    if n_unsited:
        unsited = keyed.map_partitions(_unsited_rows, meta=meta)
        parts.append(unsited.set_index(ROW, npartitions=n_unsited, shuffle_method="tasks"))
    return parts[0] if len(parts) == 1 else dd.concat(parts)  # type: ignore[no-untyped-call]


def _check_partition(
    part: gpd.GeoDataFrame,
    park: Any,
    facts: Any,
    *,
    park_out: str,
    geometry: str | None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """On a worker: restore the projects as read, check and write them; one row of counts."""
    extra = [c for c in (SITE_KEY, HAS_SITE, ROW) if c in part.columns]
    projects = pd.DataFrame(part.drop(columns=extra)).reset_index(drop=True)
    if geometry is not None:
        projects = gpd.GeoDataFrame(projects, geometry=geometry)
    number = 0 if partition_info is None else int(partition_info["number"])
    counts = check_part(projects, park, facts, park_out=park_out, number=number)
    return pd.DataFrame([counts], columns=list(COUNT_COLUMNS)).astype(np.int64)


def _threads(client: Any) -> int:
    threads: dict[str, int] = client.nthreads()
    return max(1, sum(threads.values()))


def check_on_cluster(
    parks: Sequence[ParkInput],
    out: Path,
    client: Any,
    *,
    partitions_per_park: int | None = None,
) -> dict[str, list[dict[str, int]]]:
    """Check every park's projects on the client's cluster; return each partition's counts.

    Every park's partitions are computed together (the parks run side by side); only the
    counts come back to the client.
    """
    require_dask()
    n_parts = partitions_per_park or PARTITIONS_PER_THREAD * _threads(client)
    meta = pd.DataFrame({c: pd.Series(dtype=np.int64) for c in COUNT_COLUMNS})
    counted = []
    for item in parks:
        facts = build_park_facts(item.park)
        park_f = client.scatter(item.park, broadcast=True, hash=False)
        facts_f = client.scatter(facts, broadcast=True, hash=False)
        table = item.table
        geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
        counted.append(
            partition_projects(item, n_parts, client).map_partitions(
                _check_partition,
                park_f,
                facts_f,
                park_out=str(out / item.park.park_id),
                geometry=geometry,
                meta=meta,
                align_dataframes=False,
            )
        )
    frames = client.gather(client.compute(counted))
    return {
        item.park.park_id: frame.to_dict("records")
        for item, frame in zip(parks, frames, strict=True)
    }


def ledger_on_cluster(
    parks: Sequence[ParkInput], out: Path, client: Any, **kwargs: Any
) -> list[dict[str, Any]]:
    """Evaluate each park's ledger as one task on the cluster; return the summary rows."""
    require_dask()
    futures = [
        client.submit(
            ledger_part,
            client.scatter(item.park, hash=False),
            item.table,
            park_out=str(out / item.park.park_id),
            pure=False,
            **kwargs,
        )
        for item in parks
    ]
    rows: list[dict[str, Any]] = client.gather(futures)
    return rows
