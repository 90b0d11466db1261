"""Projects files beyond CSV and GeoJSON: Excel, Shapefile, GeoPackage, KML and DXF sites.

- ``.xlsx``: the first sheet (or one named ``projects`` / ``项目``), one project per row
  below a header; sites, if any, as WKT in WGS84 in ``site_wkt``; read with openpyxl.
- ``.shp`` (encoding detected as for ``zoning import``), ``.gpkg`` (the layer ``projects``
  or the only one) and ``.kml`` (WGS84, ExtendedData fields): the geometry is the site.
- ``.dxf``: the sites are closed polylines, each with a text label holding its
  ``project_id``; the attributes come from a table beside the drawing with the same name
  (``sites.xlsx`` or ``sites.csv`` next to ``sites.dxf``), joined by ``project_id``.

Sites in any declared CRS are reprojected to WGS84, and the CRS is named in the read notes;
a file that declares none is recognised from its coordinates as in ``zoning import`` (the
zone prefix 34 of EPSG:4522). Every table, CSV and GeoJSON included, goes through
:func:`zoning.exchange.project_columns.with_project_aliases` (Chinese headers, shapefile
names) and :func:`~zoning.exchange.project_columns.find_project_area_issues`; the warnings
are kept in the table's ``attrs["read_warnings"]`` (:func:`project_read_warnings`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd

from zoning import schema as s
from zoning.errors import Problem, ProjectInputError, Severity
from zoning.exchange.crs import detect_crs
from zoning.exchange.project_columns import find_project_area_issues, with_project_aliases
from zoning.i18n import N_, _
from zoning.units import WGS84

#: the projects file types this module reads
PROJECT_SUFFIXES: Final = (".xlsx", ".shp", ".gpkg", ".kml", ".dxf")
#: where the read warnings are kept on the table
READ_WARNINGS: Final = "read_warnings"
_SUMMARY: Final = N_("cannot read the projects file")


def project_read_warnings(table: pd.DataFrame) -> list[Problem]:
    """Return the warnings found while reading a projects table (columns, areas, CRS)."""
    found = table.attrs.get(READ_WARNINGS, [])
    return [p for p in found if isinstance(p, Problem)]


def _fail(where: str, what: str, *, expected: str = "", fix: str = "") -> ProjectInputError:
    return ProjectInputError(_(_SUMMARY), [Problem(where, what, expected=expected, fix=fix)])


def _read_xlsx(path: Path) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise _fail(
            path.name,
            _("unreadable workbook: {error}").format(error=f"{type(exc).__name__}: {exc}"),
            expected=_("an Excel .xlsx workbook"),
        ) from None
    names = book.sheetnames
    sheet = next(
        (book[n] for n in names if n.strip().lower() in ("projects", "项目")), book[names[0]]
    )
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if len(rows) < 2:
        raise _fail(
            path.name,
            _("the sheet {sheet} has no project rows").format(sheet=repr(sheet.title)),
            fix=_("write a header row and one project per row below it"),
        )
    header = [str(v).strip() if v is not None else "" for v in rows[0]]
    if any(not h for h in header):
        raise _fail(
            path.name,
            _("a column of the header has no name"),
            fix=_("name the column or delete it"),
        )
    cells = [(r + [None] * len(header))[: len(header)] for r in rows[1:]]
    return pd.DataFrame(cells, columns=header, dtype=object)


def _to_wgs84(frame: gpd.GeoDataFrame, where: str) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    geoms = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if geoms.empty:
        return frame.set_crs(WGS84, allow_override=True), []
    minx, miny, maxx, maxy = (float(v) for v in geoms.total_bounds)
    decision = detect_crs(frame.crs, (minx, miny, maxx, maxy), where=where)
    if decision.crs is None:
        assert decision.problem is not None
        raise ProjectInputError(_(_SUMMARY), [decision.problem])
    out = frame.set_crs(decision.crs, allow_override=True).to_crs(WGS84)
    note = Problem(
        where,
        decision.note.removeprefix(f"{where}: ") + "; sites reprojected to WGS84 (EPSG:4326)",
        severity=Severity.WARNING,
    )
    return out, [note]


def _read_shapefile(path: Path) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    from zoning.io.importing import detect_shapefile_encoding, read_vector_file

    codec, how, problem = detect_shapefile_encoding(path)
    if problem is not None:
        raise ProjectInputError(_(_SUMMARY), [problem])
    note = Problem(path.name, how, severity=Severity.WARNING)
    return read_vector_file(path, encoding=codec), [note]


def _read_geopackage(path: Path) -> gpd.GeoDataFrame:
    import fiona

    from zoning.io.importing import read_vector_file

    layers = fiona.listlayers(path)
    layer = "projects" if "projects" in layers else (layers[0] if len(layers) == 1 else None)
    if layer is None:
        raise _fail(
            path.name,
            "several layers and none named 'projects'",
            expected=f"one of {layers} named projects",
        )
    return read_vector_file(path, layer=layer)


def _read_kml(path: Path) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        frame = gpd.read_file(path, engine="pyogrio")
    empty = [c for c in ("Name", "Description") if c in frame.columns and frame[c].isna().all()]
    return frame.drop(columns=empty)


def _read_dxf_sites(
    path: Path, read_table: Callable[[Path], pd.DataFrame]
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    from zoning.io.importing import dxf_polygons, read_vector_file

    drawing = read_vector_file(path)
    sites = dxf_polygons(drawing)
    if sites.empty:
        raise _fail(
            path.name,
            "the DXF drawing holds no closed polygons",
            fix="draw each site as a closed polyline with its project_id as a text label inside",
        )
    sidecar = next(
        (p for p in (path.with_suffix(".xlsx"), path.with_suffix(".csv")) if p.is_file()), None
    )
    if sidecar is None:
        raise _fail(
            path.name,
            "a DXF holds the sites only: no table of the projects beside it",
            expected=f"{path.stem}.xlsx or {path.stem}.csv next to the drawing, one row per "
            "project_id",
        )
    table, _ = with_project_aliases(read_table(sidecar))
    labelled = sites[sites["Text"].notna()]
    labelled = labelled.assign(**{s.PROJECT_ID: labelled["Text"].astype(str).str.strip()})
    # a site drawn in several parts (each part labelled) is one multipolygon
    parts = labelled[[s.PROJECT_ID, "geometry"]].dissolve(by=s.PROJECT_ID).reset_index()
    joined = table.merge(parts, on=s.PROJECT_ID, how="left")
    frame = gpd.GeoDataFrame(
        joined.drop(columns=[s.SITE_WKT], errors="ignore"), geometry="geometry", crs=drawing.crs
    )
    note = Problem(
        path.name,
        f"{int(joined['geometry'].notna().sum())} site(s) from the drawing, attributes from "
        f"{sidecar.name}",
        severity=Severity.WARNING,
    )
    return frame, [note]


def _read_spatial(
    path: Path, read_table: Callable[[Path], pd.DataFrame]
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    suffix = path.suffix.lower()
    notes: list[Problem] = []
    try:
        if suffix == ".shp":
            frame, notes = _read_shapefile(path)
        elif suffix == ".gpkg":
            frame = _read_geopackage(path)
        elif suffix == ".kml":
            frame = _read_kml(path)
        else:
            frame, notes = _read_dxf_sites(path, read_table)
    except ProjectInputError:
        raise
    except Exception as exc:  # fiona/GDAL raise many types for unreadable data
        raise _fail(
            path.name, _("unreadable file: {error}").format(error=f"{type(exc).__name__}: {exc}")
        ) from None
    frame, crs_notes = _to_wgs84(frame, path.name)
    return frame, notes + crs_notes


def finish_project_table(table: pd.DataFrame, notes: list[Problem] | None = None) -> pd.DataFrame:
    """Apply the column aliases and the area checks; keep the warnings on the table."""
    out, problems = with_project_aliases(table)
    problems = [*(notes or []), *problems, *find_project_area_issues(out)]
    out.attrs[READ_WARNINGS] = problems
    return out


def read_project_file(path: Path, *, read_table: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """Read an Excel, Shapefile, GeoPackage, KML or DXF projects file (see the module).

    Parameters
    ----------
    path
        The file.
    read_table
        Reads the table beside a DXF drawing (``zoning.io.read_projects``).

    Raises
    ------
    ProjectInputError
        If the file cannot be read as a table, or its sites' CRS cannot be used.
    """
    if path.suffix.lower() == ".xlsx":
        return finish_project_table(_read_xlsx(path))
    frame, notes = _read_spatial(path, read_table)
    return finish_project_table(frame, notes)
