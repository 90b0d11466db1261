"""``zoning export``: write the park, fit results and phase plan for the municipal GIS."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zoning.cli._common import (
    ParkOption,
    check_if_given,
    console,
    err_console,
    labelled,
    plan_if_given,
    report_user_errors,
)
from zoning.cli.ledger import parse_day
from zoning.cli.plan import ledger_if_any
from zoning.errors import ExportError, ZoningError
from zoning.i18n import _
from zoning.io import read_park
from zoning.io._atomic import disk_full_message, is_disk_full
from zoning.io.dsn import is_dsn, mask_dsn, mask_text, normalise_dsn
from zoning.io.export import (
    ALL_FORMATS,
    DEFAULT_PG_SCHEMA,
    ExportFormat,
    export_park,
)


class FormatChoice(StrEnum):
    """``--format`` values."""

    GEOJSON = "geojson"
    GPKG = "gpkg"
    SHP = "shp"
    ALL = "all"


class CrsChoice(StrEnum):
    """``--crs`` values (EPSG codes)."""

    CGCS2000 = "4490"
    CGCS2000_GK_CM_102E = "4543"
    CGCS2000_GK_ZONE_34 = "4522"
    WGS84 = "4326"


@report_user_errors
def export(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Target directory, or a PostGIS database as postgresql://user@host:port/db.",
            show_default=False,
        ),
    ],
    park_dir: ParkOption = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Projects file (CSV or GeoJSON) to check; exported as the fit_results layer.",
            show_default=False,
        ),
    ] = None,
    quota_mu: Annotated[
        float | None,
        typer.Option(
            "--quota-mu",
            min=0.0,
            help="Land quota per phase in mu; makes a phase plan and exports each parcel's phase.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        FormatChoice,
        typer.Option("--format", help="File format(s) to write; ignored for PostGIS."),
    ] = FormatChoice.ALL,
    crs: Annotated[
        CrsChoice,
        typer.Option(
            "--crs",
            help="EPSG code of GeoPackage, Shapefile and PostGIS geometries: 4490 CGCS2000, "
            "4543 CGCS2000 / Gauss-Krüger CM 102E, 4522 CGCS2000 / Gauss-Krüger zone 34 "
            "(X prefixed with 34), 4326 WGS84. GeoJSON is always WGS84. The EPSG code is in "
            "every file name.",
        ),
    ] = CrsChoice.CGCS2000,
    pg_schema: Annotated[
        str, typer.Option("--pg-schema", help="PostgreSQL schema of the tables (PostGIS only).")
    ] = DEFAULT_PG_SCHEMA,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day of the yearly ledger whose grades and land clock the parcels carry, "
            "YYYY-MM-DD (default: today), when the park has enterprises.csv.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export zones, parcels, constraints, infrastructure, fit results and metadata.

    Files go to TO as <park>-geojson/ (RFC 7946, WGS84), <park>_epsg<code>.gpkg and
    <park>-shapefile/, every file named with its CRS; each replaces only its own earlier
    version, and nothing is replaced unless everything was written. With projects the
    candidate sites are exported; with enterprises.csv each parcel carries its holder's
    grade and its land clock. A postgresql:// target writes the same layers as PostGIS tables and
    replaces the park's earlier export in one transaction.
    """
    day = parse_day(as_of)
    park = read_park(park_dir)
    results = check_if_given(park, projects)
    plan = plan_if_given(park, quota_mu)
    ledger, ledger_warnings = ledger_if_any(park, park_dir, day)
    for warning in ledger_warnings:
        err_console.print(labelled("yellow", _("warning:"), escape(warning)))
    formats = ALL_FORMATS if fmt is FormatChoice.ALL else (ExportFormat(fmt.value),)
    to_database = is_dsn(to)
    try:
        report = export_park(
            park,
            normalise_dsn(to) if to_database else to,
            formats=formats,
            crs=f"EPSG:{crs.value}",
            results=results,
            plan=plan,
            pg_schema=pg_schema,
            ledger=ledger,
        )
    except ZoningError as exc:
        if to_database:
            raise ExportError(mask_text(str(exc), to)) from None
        cause = exc.__cause__
        if isinstance(exc, ExportError) and cause is not None and is_disk_full(cause):
            raise ExportError(disk_full_message(Path(to))) from None
        raise
    if park.notice:  # the full notice: exported layers go on to other systems
        console.print(labelled("yellow", _("Note:"), escape(park.notice)))
    for warning in report.warnings:
        err_console.print(labelled("yellow", _("warning:"), escape(str(warning))))
    table = Table(title=_("{park}: features exported").format(park=escape(park.name)))
    table.add_column(_("layer"))
    table.add_column(_("features"), justify="right")
    for name, count in report.counts.items():
        table.add_row(escape(name), str(count))
    console.print(table)
    where = (
        _("PostGIS tables in {target} ({crs}; GeoJSON in EPSG:4326):")
        if to_database
        else _("written in {target} ({crs}; GeoJSON in EPSG:4326):")
    )
    target = mask_dsn(to) if to_database else str(report.target)
    console.print(where.format(target=target, crs=report.crs), markup=False)
    for item in report.written:
        console.print(f"  {item}", markup=False)
