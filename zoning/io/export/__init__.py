"""Export a park, its fit results and its phase plan for the municipal GIS.

Formats (the layers and their fields are described in :mod:`zoning.datadict` and
``docs/data-dictionary.md``; the formats in ``docs/exports.md``):

Every file name carries the park and the CRS (:mod:`zoning.io.export.naming`).

GeoJSON (``<park_id>-geojson/<park_id>_<layer>_epsg4326.geojson``)
    RFC 7946: WGS84 longitude/latitude, counter-clockwise exterior rings (clockwise holes),
    no ``crs`` member, coordinates rounded to 7 decimals (about 1 cm), UTF-8 with Chinese
    text as is, list fields as JSON arrays, missing values ``null``. A layer mixing
    geometry types (infrastructure, context) is one file per type
    (``..._infrastructure_point_epsg4326.geojson``); features without geometry have
    ``"geometry": null``; a ``fields`` member keeps the schema of an empty layer.
GeoPackage (``<park_id>_epsg<code>.gpkg``)
    One file with every layer, in CGCS2000 (EPSG:4490) by default, or EPSG:4543, EPSG:4522
    or EPSG:4326. Each layer has one geometry type: polygons are stored as MultiPolygon,
    lines as MultiLineString, and a layer mixing families is split
    (``infrastructure_point``, ``infrastructure_line``, ``infrastructure_polygon``). The
    metadata record is an attribute table. Field titles and descriptions (Chinese and
    English) are in ``gpkg_data_columns``.
Shapefile set (``<park_id>-shapefile/<park_id>_<layer>_epsg<code>.shp``)
    One shapefile per layer and geometry family, UTF-8 with a ``.cpg`` file, field names of
    at most 10 characters (:func:`zoning.datadict.shapefile_field_names`, shipped as
    ``field_names.csv``), list fields joined with ``;``; the metadata record is the
    key/value table ``<park_id>_metadata_epsg<code>.dbf``.
PostGIS (``postgresql://...``)
    The same tables in a database schema (default ``zoning``), each with a ``park_id``
    column, a primary key and a GIST index on ``geom``; an export replaces the earlier
    export of the same park in one transaction.

No partial output: every file is written into a staging directory inside the target
directory (same file system) and moved into place only when all formats were written; a
failure leaves the previous export as it was. One export writes into a folder at a time
(a lock file with its pid; a stale one is taken over); each item is swapped with its
predecessor in one step where the platform allows, and a run killed half way is rolled
back by the next (:mod:`zoning.io.outputs`). In PostGIS the replacement is one transaction.

Modules: :mod:`~zoning.io.export.bundle` (the layers in memory and the metadata record),
:mod:`~zoning.io.export.geojson`, :mod:`~zoning.io.export.gpkg`,
:mod:`~zoning.io.export.shapefile`, :mod:`~zoning.io.export.postgis` (one writer per
format), and this module, which checks the options and writes the files all or nothing
(:func:`zoning.io.outputs.write_items`).

Examples
--------
>>> import tempfile, zoning
>>> park = zoning.load_park()
>>> with tempfile.TemporaryDirectory() as tmp:
...     report = export_park(park, tmp, formats=("geojson",))
...     sorted(p.name for p in (Path(tmp) / "beichuan-geojson").iterdir())[1:3]
['beichuan_constraints_epsg4326.geojson', 'beichuan_context_point_epsg4326.geojson']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
from pyproj import CRS

from zoning.errors import ExportError, InputError, Problem
from zoning.io.export._fiona import file_errors
from zoning.io.export.bundle import (
    ALL_FORMATS,
    DEFAULT_CRS,
    EXPORT_CRS,
    ExportBundle,
    ExportFormat,
    ExportReport,
    PhasePlanLike,
    to_export_bundle,
)
from zoning.io.export.geojson import write_geojson
from zoning.io.export.gpkg import write_geopackage
from zoning.io.export.naming import crs_tag, export_file_name, export_items
from zoning.io.export.parts import table_names
from zoning.io.export.postgis import (
    DEFAULT_PG_SCHEMA,
    PG_CONNECT_TIMEOUT_S,
    PG_GEOMETRY,
    POSTGRES_SCHEMES,
    is_postgres_dsn,
    redact_dsn,
    srid_of,
    write_postgis,
)
from zoning.io.export.shapefile import FIELD_NAMES_FILE, write_shapefiles
from zoning.io.geojson import GEOJSON_DECIMALS
from zoning.io.outputs import write_items
from zoning.park import Park

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult

_SAFE_NAME: Final = re.compile(r"[^\W][\w.-]{0,63}")  # = zoning.park.PARK_ID_RE (Unicode)


_Writer = Callable[[ExportBundle, Path], list[str]]


def write_export_set(
    bundle: ExportBundle,
    target: Path,
    *,
    formats: Iterable[ExportFormat | str] = ALL_FORMATS,
    crs: str = DEFAULT_CRS,
) -> tuple[list[str], list[str]]:
    """Write the formats into ``target`` all or nothing; return (items written, warnings).

    Everything is first written into a staging directory inside ``target`` (same file
    system), then each item is moved into place; if anything fails before, the previous
    items stay untouched and the staging directory is removed. The folder is locked
    meanwhile, and what killed exports left in it is recovered first
    (:func:`zoning.io.outputs.write_items`).
    """
    if not _SAFE_NAME.fullmatch(bundle.park_id):
        raise InputError(
            "cannot name the export files after the park",
            [
                Problem(
                    "metadata.json",
                    f"park_id {bundle.park_id!r} is not usable in a file name",
                    expected="letters, digits, '_', '-' or '.' (e.g. beichuan)",
                    fix="set park_id in metadata.json or in rulebook.toml [rulebook]",
                )
            ],
        )
    items = export_items(bundle.park_id, formats, crs)
    writers: dict[ExportFormat, _Writer] = {
        ExportFormat.GEOJSON: write_geojson,
        ExportFormat.GPKG: lambda b, p: write_geopackage(b, p, crs=crs),
        ExportFormat.SHP: lambda b, p: write_shapefiles(b, p, crs=crs),
    }
    # under the folder's lock, after recovering killed runs (zoning.io.outputs.write_items)
    return write_items(
        target, {item: functools.partial(writers[fmt], bundle) for fmt, item in items.items()}
    )


def export_park(  # noqa: PLR0913 -- park, target and 7 keyword-only options of one export
    park: Park,
    target: str | Path,
    *,
    formats: Iterable[ExportFormat | str] = ALL_FORMATS,
    crs: str = DEFAULT_CRS,
    results: pd.DataFrame | None = None,
    plan: PhasePlanLike | None = None,
    generated_at: datetime | None = None,
    pg_schema: str = DEFAULT_PG_SCHEMA,
    ledger: LedgerResult | None = None,
) -> ExportReport:
    """Export a park, its fit results and phase plan to files or to PostGIS.

    Parameters
    ----------
    park
        The park.
    target
        A directory (created if needed) or a PostgreSQL URI ``postgresql://user@host/db``.
        In a directory each format replaces only its own item: ``<park_id>-geojson/``,
        ``<park_id>_epsg<code>.gpkg``, ``<park_id>-shapefile/``
        (:func:`~zoning.io.export.naming.export_items`); other files are left alone.
    formats
        File formats (``geojson``, ``gpkg``, ``shp``); ignored for PostGIS.
    crs
        CRS of GeoPackage, Shapefile and PostGIS geometries: ``EPSG:4490`` (CGCS2000,
        default), ``EPSG:4543`` (CGCS2000 / Gauss-Krüger CM 102E), ``EPSG:4522``
        (CGCS2000 / Gauss-Krüger zone 34, X prefixed with 34) or ``EPSG:4326``. GeoJSON
        is always WGS84 (RFC 7946).
    results
        Fit results from ``zoning.check``; exported as the ``fit_results`` layer, and the
        candidate sites of the projects without a site
        (:func:`zoning.siting.propose_sites`) as the ``candidate_sites`` layer.
    plan
        Phase plan from ``zoning.sequence``; its phases go to the parcels.
    generated_at
        Time stamp of the metadata record (timezone-aware); default now.
    pg_schema
        PostgreSQL schema of the tables (PostGIS only).
    ledger
        The yearly ledger from ``zoning.ledger.evaluate``: each parcel's holder, grade and
        land clock (``idle_fee`` ... ``normal``, reason, due date) go to the parcels.

    Returns
    -------
    ExportReport
        What was written, the feature counts and any format warnings.

    Raises
    ------
    ExportError
        If the export cannot be written (disk, permissions, database); nothing of the
        earlier export is changed.
    InputError
        If ``formats`` or ``crs`` are not supported, or results or plan do not fit the park.
    """
    formats = tuple(formats)
    crs_name = _check_options(formats, crs)
    bundle = to_export_bundle(
        park, results=results, plan=plan, generated_at=generated_at, ledger=ledger
    )
    counts = {name: len(frame) for name, frame in bundle.layers.items()}
    if is_postgres_dsn(target):
        dsn = str(target)
        warnings = write_postgis(bundle, dsn, crs=crs_name, pg_schema=pg_schema)
        tables = [f"{pg_schema}.{name}" for name in table_names()]
        return ExportReport(redact_dsn(dsn), tuple(tables), counts, crs_name, tuple(warnings))
    directory = Path(target)
    try:
        written, warnings = write_export_set(bundle, directory, formats=formats, crs=crs_name)
    except ExportError:
        raise
    except Exception as exc:
        if not isinstance(exc, (OSError, *file_errors())):
            raise
        raise ExportError(
            f"cannot write the export into {directory}: {exc}; the earlier export is unchanged"
        ) from exc
    return ExportReport(str(directory), tuple(written), counts, crs_name, tuple(warnings))


def _check_options(formats: Iterable[ExportFormat | str], crs: str) -> str:
    problems = []
    known = {str(f) for f in ExportFormat}
    unknown = [str(f) for f in formats if str(f) not in known]
    if unknown:
        problems.append(
            Problem(
                "formats",
                f"unknown format(s): {', '.join(unknown)}",
                expected=", ".join(sorted(known)),
            )
        )
    try:
        epsg = CRS.from_user_input(crs).to_epsg()
    except Exception:  # pyproj raises CRSError for any unreadable input
        epsg = None
    allowed = {srid_of(c): c for c in EXPORT_CRS}
    if epsg not in allowed:
        problems.append(
            Problem(
                "crs",
                f"unsupported CRS {crs!r}",
                expected="EPSG:4490 (CGCS2000), EPSG:4543 (CGCS2000 / GK CM 102E), EPSG:4522 "
                "(CGCS2000 / GK zone 34, X prefixed with 34) or EPSG:4326",
            )
        )
    if problems:
        raise InputError("cannot export with these options", problems)
    return allowed[int(epsg)]  # type: ignore[arg-type]


__all__ = [
    "ALL_FORMATS",
    "DEFAULT_CRS",
    "DEFAULT_PG_SCHEMA",
    "EXPORT_CRS",
    "FIELD_NAMES_FILE",
    "GEOJSON_DECIMALS",
    "PG_CONNECT_TIMEOUT_S",
    "PG_GEOMETRY",
    "POSTGRES_SCHEMES",
    "ExportBundle",
    "ExportFormat",
    "ExportReport",
    "Park",
    "PhasePlanLike",
    "crs_tag",
    "export_file_name",
    "export_items",
    "export_park",
    "is_postgres_dsn",
    "redact_dsn",
    "table_names",
    "to_export_bundle",
    "write_export_set",
    "write_geojson",
    "write_geopackage",
    "write_postgis",
    "write_shapefiles",
]
