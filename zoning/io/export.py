"""Export a park, its fit results and its phase plan for the municipal GIS.

Formats (the layers and their fields are described in :mod:`zoning.datadict` and
``docs/data-dictionary.md``; the formats in ``docs/exports.md``):

GeoJSON (``<park_id>-geojson/<layer>.geojson``)
    RFC 7946: WGS84 longitude/latitude, counter-clockwise exterior rings (clockwise holes),
    no ``crs`` member, coordinates rounded to 7 decimals (about 1 cm), UTF-8 with Chinese
    text as is, list fields as JSON arrays. A mixed layer (infrastructure: points and lines)
    stays one file; features without geometry have ``"geometry": null``.
GeoPackage (``<park_id>.gpkg``)
    One file with every layer, in CGCS2000 (EPSG:4490) by default, or EPSG:4543 / EPSG:4326.
    Each layer has one geometry type: polygons are stored as MultiPolygon, lines as
    MultiLineString, and a layer mixing families is split (``infrastructure_point``,
    ``infrastructure_line``, ``infrastructure_polygon``). The metadata record is an
    attribute table.
Shapefile set (``<park_id>-shapefile/``)
    One shapefile per layer and geometry family, UTF-8 with a ``.cpg`` file, field names of
    at most 10 characters (:func:`zoning.datadict.shapefile_field_names`, shipped as
    ``field_names.csv``), list fields joined with ``;``; the metadata record is the
    key/value table ``metadata.dbf``.
PostGIS (``postgresql://...``)
    The same tables in a database schema (default ``zoning``), each with a ``park_id``
    column, a primary key and a GIST index on ``geom``; an export replaces the earlier
    export of the same park in one transaction.

No partial output: every file is written into a staging directory inside the target
directory (same file system) and moved into place only when all formats were written; a
failure leaves the previous export as it was. In PostGIS the replacement is one transaction.

Examples
--------
>>> import tempfile, zoning
>>> park = zoning.load_park()
>>> with tempfile.TemporaryDirectory() as tmp:
...     report = export_park(park, tmp, formats=("geojson",))
...     sorted(p.name for p in (Path(tmp) / "beichuan-geojson").iterdir())[:3]
['constraints.geojson', 'context.geojson', 'fit_results.geojson']
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from zoning import datadict as dd
from zoning import schema as s
from zoning.errors import ExportError, InputError, Problem
from zoning.park import Park
from zoning.units import CGCS2000, METRIC_CRS, WGS84

if TYPE_CHECKING:
    from psycopg2.extensions import cursor as pg_cursor


class ExportFormat(StrEnum):
    """File formats of :func:`export_park`."""

    GEOJSON = "geojson"
    GPKG = "gpkg"
    SHP = "shp"


#: every file format, in the order they are written
ALL_FORMATS: Final = tuple(ExportFormat)
#: the coordinate reference systems GeoPackage, Shapefile and PostGIS exports may use
EXPORT_CRS: Final = (CGCS2000, METRIC_CRS, WGS84)
#: the default CRS of GeoPackage, Shapefile and PostGIS exports: CGCS2000 geographic
DEFAULT_CRS: Final = CGCS2000
#: decimals of GeoJSON coordinates (1e-7 degree is about 1 cm)
GEOJSON_DECIMALS: Final = 7
#: default PostGIS schema
DEFAULT_PG_SCHEMA: Final = "zoning"
#: name of the file mapping shapefile field names to full names, in a shapefile set
FIELD_NAMES_FILE: Final = "field_names.csv"
#: geometry column of the PostGIS tables
PG_GEOMETRY: Final = "geom"
#: seconds to wait for the database server unless the URI says otherwise
PG_CONNECT_TIMEOUT_S: Final = 15
#: URI schemes that make :func:`export_park` write to PostGIS
POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")

_GEOMETRY_TYPE: Final[dict[dd.GeometryFamily, str]] = {
    "point": "Point",
    "line": "MultiLineString",
    "polygon": "MultiPolygon",
}
_MULTI_POINT: Final = "MultiPoint"
_FIONA_TYPE: Final[dict[dd.ExportFieldType, str]] = {
    "str": "str",
    "int": "int64",
    "float": "float",
    "bool": "bool",
    "list[str]": "json",
    "json": "json",
}
_PG_TYPE: Final[dict[dd.ExportFieldType, str]] = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "list[str]": "text[]",
    "json": "jsonb",
}
_STAGING_PREFIX: Final = ".zoning-export-"
_SAFE_NAME: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class PhasePlanLike(Protocol):
    """What the exporter needs of a phase plan (``zoning.sequence`` returns one).

    ``parcels`` holds ``parcel_id``, ``phase`` (nullable integer) and ``reason``; a plan
    may also carry ``quota_mu`` and ``phases``, which go to the metadata record.
    """

    @property
    def parcels(self) -> pd.DataFrame:
        """Parcels with ``parcel_id``, ``phase`` (nullable integer) and ``reason``."""
        ...


@dataclass(frozen=True)
class ExportBundle:
    """The exported layers of one park, in memory, ready for any writer.

    Attributes
    ----------
    park_id
        The park's identifier (file names, PostGIS ``park_id``).
    layers
        Every layer of :data:`zoning.datadict.EXPORT_LAYERS` except ``metadata``, in
        EPSG:4543, with exactly the layer's fields (in order) and a ``geometry`` column.
    metadata
        The metadata record without its ``crs`` (each writer adds the CRS it writes).
    """

    park_id: str
    layers: Mapping[str, gpd.GeoDataFrame]
    metadata: Mapping[str, Any]

    def metadata_record(self, crs: str) -> dict[str, Any]:
        """Return the metadata record of an export in ``crs``, in field order."""
        record = {**self.metadata, s.CRS: crs}
        return {name: record[name] for name in dd.METADATA.field_names}


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote.

    Attributes
    ----------
    target
        The directory or the database (with any password removed).
    written
        Files and directories written (relative to ``target``), or PostGIS tables.
    counts
        Number of features per layer.
    crs
        CRS of the GeoPackage, Shapefile or PostGIS geometries (GeoJSON is WGS84).
    warnings
        Format limits met on the way (a text cut to the 254 bytes of a dBASE field).
    """

    target: str
    written: tuple[str, ...]
    counts: Mapping[str, int]
    crs: str
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- bundle


def _credit_lines(metadata: Mapping[str, Any]) -> list[str]:
    lines = []
    for credit in metadata.get("credits", []) or []:
        if isinstance(credit, Mapping):
            parts = (credit.get(k, "") for k in ("data", "source", "licence"))
            lines.append(" — ".join(str(p) for p in parts if p))
        else:
            lines.append(str(credit))
    return lines


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (datetime.now(UTC))")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty_frame(layer: dd.ExportLayer) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {name: pd.Series(dtype=object) for name in layer.field_names},
        geometry=gpd.GeoSeries([], crs=METRIC_CRS),
        crs=METRIC_CRS,
    )


def _findings_list(value: object) -> list[dict[str, Any]]:
    if isinstance(value, Mapping):
        return [dict(value)]
    if isinstance(value, list | tuple | np.ndarray):
        return [dict(v) for v in value if isinstance(v, Mapping)]
    return []


def _rules_with(findings: list[dict[str, Any]], status: s.FindingStatus) -> list[str]:
    return [str(f.get(s.RULE, "")) for f in findings if f.get(s.STATUS) == status]


def _fit_results_layer(results: pd.DataFrame) -> gpd.GeoDataFrame:
    needed = (s.PROJECT_ID, s.NAME, s.INDUSTRY_CODE, s.ZONE_ID, s.VERDICT, s.BEST, s.FINDINGS)
    missing = [c for c in needed if c not in results.columns]
    if missing:
        raise InputError(
            "the fit results cannot be exported",
            [
                Problem(
                    "results",
                    f"missing column(s): {', '.join(missing)}",
                    expected="the frame returned by zoning.check(park, projects)",
                    fix="pass the fit check's result unchanged",
                )
            ],
        )
    if isinstance(results, gpd.GeoDataFrame) and results.geometry.name in results.columns:
        geometry = results.geometry
        if geometry.crs is None and geometry.notna().any():
            raise InputError(
                "the fit results cannot be exported",
                [Problem("results", "sites without a CRS", fix="set_crs('EPSG:4543')")],
            )
        if geometry.crs is not None:
            geometry = geometry.to_crs(METRIC_CRS)
        geoms = geometry.to_numpy()
    else:
        geoms = np.full(len(results), None, dtype=object)
    findings = [_findings_list(v) for v in results[s.FINDINGS]]
    failures = [
        [
            f"{f.get(s.RULE, '')}: {f.get(s.MESSAGE, '')}"
            for f in row
            if f.get(s.STATUS) == s.FindingStatus.FAIL
        ]
        for row in findings
    ]
    out = pd.DataFrame(
        {
            s.PROJECT_ID: results[s.PROJECT_ID].to_numpy(),
            s.NAME: results[s.NAME].to_numpy(),
            s.INDUSTRY_CODE: results[s.INDUSTRY_CODE].to_numpy(),
            s.ZONE_ID: results[s.ZONE_ID].to_numpy(),
            s.VERDICT: results[s.VERDICT].astype(str).to_numpy(),
            s.BEST: results[s.BEST].to_numpy(),
            s.AREA_MU: (
                pd.to_numeric(results[s.AREA_MU]).to_numpy(dtype=float)
                if s.AREA_MU in results.columns
                else np.full(len(results), np.nan)
            ),
            s.FAILED_RULES: [_rules_with(f, s.FindingStatus.FAIL) for f in findings],
            s.WARNED_RULES: [_rules_with(f, s.FindingStatus.WARN) for f in findings],
            s.FAILURES: failures,
            s.FINDINGS: findings,
        }
    )
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs=METRIC_CRS), crs=METRIC_CRS)


def _parcels_with_phases(park: Park, plan: PhasePlanLike | None) -> gpd.GeoDataFrame:
    parcels = park.parcels.copy()
    if plan is None:
        parcels[s.PHASE] = pd.array([pd.NA] * len(parcels), dtype="Int64")
        parcels[s.PHASE_REASON] = pd.Series([None] * len(parcels), dtype=object)
        return parcels
    phases = plan.parcels
    missing = [c for c in (s.PARCEL_ID, s.PHASE) if c not in phases.columns]
    unknown = sorted(set(phases.get(s.PARCEL_ID, [])) - set(parcels[s.PARCEL_ID]))
    problems = []
    if missing:
        problems.append(
            Problem("plan", f"plan.parcels lacks column(s) {', '.join(missing)}"),
        )
    if unknown:
        problems.append(
            Problem(
                "plan",
                "parcels of the plan are not in the park",
                ids=tuple(map(str, unknown)),
                fix="export the park the plan was made for",
            )
        )
    if problems:
        raise InputError("the phase plan cannot be exported with this park", problems)
    table = phases.set_index(s.PARCEL_ID)
    ids = parcels[s.PARCEL_ID]
    parcels[s.PHASE] = pd.array(table[s.PHASE].reindex(ids).to_numpy(dtype=object), dtype="Int64")
    if s.REASON in table.columns:
        reasons = table[s.REASON].reindex(ids)
        parcels[s.PHASE_REASON] = reasons.astype(object).where(reasons.notna(), None).to_numpy()
    else:
        parcels[s.PHASE_REASON] = None
    return parcels


def _plan_number(plan: PhasePlanLike | None, name: str, kind: type[float] | type[int]) -> Any:
    value = getattr(plan, name, None)
    return None if value is None or _is_missing(value) else kind(value)


def _software_version() -> str:
    import zoning  # the package imports this module: read its version when needed

    return str(zoning.__version__)


def to_export_bundle(
    park: Park,
    *,
    results: pd.DataFrame | None = None,
    plan: PhasePlanLike | None = None,
    generated_at: datetime | None = None,
) -> ExportBundle:
    """Gather the layers of an export in memory.

    Parameters
    ----------
    park
        The park.
    results
        Fit results, as returned by ``zoning.check(park, projects)``: one row per (project,
        zone) with ``findings``; sites as geometry (rows without a site are kept, without
        geometry). ``None`` exports an empty ``fit_results`` layer.
    plan
        A phase plan (``zoning.sequence(park, quota_mu=...)``); its parcels' ``phase`` and
        ``reason`` become the parcels' ``phase`` and ``phase_reason``. ``None`` leaves them
        null.
    generated_at
        Time stamp of the export (timezone-aware); default now.

    Returns
    -------
    ExportBundle
        Every layer in EPSG:4543 with exactly the fields of the data dictionary.

    Raises
    ------
    InputError
        If the results lack the fit check's columns, or the plan is not of this park.

    Examples
    --------
    >>> import zoning
    >>> bundle = to_export_bundle(zoning.load_park())
    >>> list(bundle.layers)
    ['zones', 'parcels', 'constraints', 'infrastructure', 'context', 'fit_results']
    >>> bundle.layers["parcels"]["phase"].isna().all()
    np.True_
    """
    frames: dict[str, gpd.GeoDataFrame] = {}
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        if layer is dd.FIT_RESULTS:
            frame = _empty_frame(layer) if results is None else _fit_results_layer(results)
        elif layer is dd.PARCELS:
            frame = _parcels_with_phases(park, plan)
        else:
            frame = park.layer(layer.name)
        columns = [*layer.field_names, frame.geometry.name]
        selected = frame[columns].reset_index(drop=True)
        if selected.geometry.name != s.GEOMETRY:
            selected = selected.rename_geometry(s.GEOMETRY)
        frames[layer.name] = selected.to_crs(METRIC_CRS)
    moment = generated_at if generated_at is not None else datetime.now(UTC)
    metadata = {
        s.PARK_ID: park.park_id,
        s.PARK_NAME: park.name,
        s.RULEBOOK_VERSION: park.rulebook.version,
        s.GENERATED_AT: _utc_iso(moment),
        s.SOFTWARE_VERSION: f"zoning {_software_version()}",
        s.PHASE_QUOTA_MU: _plan_number(plan, "quota_mu", float),
        s.PHASES: _plan_number(plan, "phases", int),
        s.ILLUSTRATIVE: park.illustrative,
        s.NOTICE: park.notice or None,
        s.CREDITS: _credit_lines(park.metadata),
    }
    return ExportBundle(park_id=park.park_id, layers=frames, metadata=metadata)


# --------------------------------------------------------------------------- values


def _plain(value: Any) -> Any:
    """Turn numpy and pandas scalars, NaN and containers into JSON-ready Python values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def _column_values(values: Iterable[Any], ftype: dd.ExportFieldType) -> list[Any]:
    """Python values of one column in its logical type (``None`` for null)."""
    out: list[Any] = []
    for value in values:
        if ftype in ("list[str]", "json"):
            if ftype == "list[str]":
                items = [] if _is_missing(value) else _plain(value)
                out.append([str(v) for v in items] if isinstance(items, list) else [str(items)])
            else:
                out.append(_plain(value))
            continue
        if _is_missing(value):
            out.append(None)
        elif ftype == "str":
            out.append(str(value))
        elif ftype == "int":
            out.append(int(value))
        elif ftype == "float":
            out.append(float(value))
        else:
            out.append(bool(value))
    return out


def _records(frame: pd.DataFrame, layer: dd.ExportLayer) -> list[dict[str, Any]]:
    columns = {f.name: _column_values(frame[f.name], f.type) for f in layer.fields}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


# --------------------------------------------------------------------------- geometry


def _present(geoms: np.ndarray) -> np.ndarray:
    """Return which geometries exist and are not empty (missing and empty count as null)."""
    return np.asarray(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms), dtype=bool)


def _family_of(geoms: gpd.GeoSeries) -> np.ndarray:
    """Return the geometry family of each geometry (``None`` for a missing geometry)."""
    types = geoms.geom_type.to_numpy(dtype=object)
    family = np.full(len(types), None, dtype=object)
    for name, members in dd.GEOMETRY_FAMILIES.items():
        family[np.isin(types, members)] = name
    return family


def _promote(geoms: np.ndarray, family: dd.GeometryFamily) -> tuple[np.ndarray, str]:
    """Make every geometry of one family the same type (Multi* for lines and polygons)."""
    out = geoms.copy()
    present = _present(out)
    single = {"point": "Point", "line": "LineString", "polygon": "Polygon"}[family]
    type_ids = shapely.get_type_id(out)
    is_single = present & (type_ids == shapely.GeometryType[single.upper()].value)
    if family == "point":
        if not (present & ~is_single).any():
            return out, "Point"
        build, declared = shapely.multipoints, _MULTI_POINT
    elif family == "line":
        build, declared = shapely.multilinestrings, _GEOMETRY_TYPE["line"]
    else:
        build, declared = shapely.multipolygons, _GEOMETRY_TYPE["polygon"]
    if is_single.any():
        parts = out[is_single]
        out[is_single] = build(parts, indices=np.arange(len(parts)))
    out[~present] = None
    return out, declared


@dataclass(frozen=True)
class _Part:
    """One single-geometry-type part of a layer (a GeoPackage layer, shapefile, table)."""

    layer: dd.ExportLayer
    name: str
    geometry_type: str | None
    frame: pd.DataFrame
    geoms: np.ndarray


def _parts(bundle: ExportBundle, crs: str) -> list[_Part]:
    parts: list[_Part] = []
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        frame = bundle.layers[layer.name]
        projected = frame.geometry.to_crs(crs)
        family = _family_of(projected)
        foreign = _present(projected.to_numpy()) & ~np.isin(family, list(layer.families))
        if foreign.any():
            ids = frame.loc[foreign, layer.key[0]].astype(str).tolist()
            kinds = sorted(set(projected[foreign].geom_type))
            raise ExportError(
                f"layer {layer.name} holds {', '.join(kinds)} geometries "
                f"(ids {', '.join(ids[:5])}); it can hold {' / '.join(layer.families)} "
                "geometries only"
            )
        for i, fam in enumerate(layer.families):
            mask = family == fam
            if i == 0:
                mask |= pd.isna(family)  # features without geometry go to the first part
            geoms, declared = _promote(projected.to_numpy()[mask], fam)
            parts.append(
                _Part(
                    layer=layer,
                    name=layer.part_name(fam),
                    geometry_type=declared,
                    frame=frame.loc[mask].reset_index(drop=True),
                    geoms=geoms,
                )
            )
    return parts


def _geojson_geometries(geoms: gpd.GeoSeries) -> list[str]:
    """RFC 7946 geometry texts: WGS84, rounded to 7 decimals, exterior rings CCW."""
    wgs = geoms.to_crs(WGS84).to_numpy()
    present = _present(wgs)
    out = np.full(len(wgs), None, dtype=object)
    if present.any():
        rounded = shapely.transform(wgs[present], lambda coords: np.round(coords, GEOJSON_DECIMALS))
        out[present] = shapely.orient_polygons(rounded, exterior_cw=False)
    texts = shapely.to_geojson(out)
    return ["null" if t is None else str(t) for t in texts]


# --------------------------------------------------------------------------- writers


def write_geojson(bundle: ExportBundle, directory: Path) -> list[str]:
    """Write one RFC 7946 GeoJSON file per layer into ``directory`` (created).

    Every layer, the metadata record included (one feature without geometry), becomes
    ``<layer>.geojson``: a FeatureCollection in WGS84 longitude/latitude with no ``crs``
    member, counter-clockwise exterior rings, 7 decimals, UTF-8, lists as JSON arrays.

    Returns
    -------
    list of str
        Warnings (none: GeoJSON holds every value).
    """
    directory.mkdir(parents=True, exist_ok=True)
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            records = [bundle.metadata_record(WGS84)]
            geometries = ["null"]
        else:
            frame = bundle.layers[layer.name]
            records = _records(frame, layer)
            geometries = _geojson_geometries(frame.geometry)
        features = [
            '{"type":"Feature","properties":'
            + json.dumps(props, ensure_ascii=False, allow_nan=False)
            + ',"geometry":'
            + geometry
            + "}"
            for props, geometry in zip(records, geometries, strict=True)
        ]
        text = (
            '{"type":"FeatureCollection","name":'
            + json.dumps(layer.name)
            + ',"features":[\n'
            + ",\n".join(features)
            + "\n]}\n"
        )
        (directory / f"{layer.name}.geojson").write_text(text, encoding="utf-8")
    return []


def _fiona() -> Any:
    import fiona  # imported here: the core never loads fiona

    return fiona


def _file_errors() -> tuple[type[Exception], ...]:
    """Return the exceptions fiona raises when GDAL cannot write (disk full, bad path)."""
    from fiona._err import CPLE_BaseError
    from fiona.errors import FionaError

    return (FionaError, CPLE_BaseError)


def _feature(fiona: Any, geom: Any, props: dict[str, Any]) -> Any:
    geometry = None if geom is None else fiona.Geometry.from_dict(geom.__geo_interface__)
    return fiona.Feature(geometry=geometry, properties=fiona.Properties(**props))


def write_geopackage(bundle: ExportBundle, path: Path, *, crs: str = DEFAULT_CRS) -> list[str]:
    """Write every layer into one GeoPackage at ``path`` in ``crs``.

    Each layer has one geometry type (MultiPolygon, MultiLineString, Point); a layer mixing
    families is split into ``<layer>_<family>``; list fields are JSON arrays (TEXT with the
    JSON subtype); the metadata record is an attribute table.

    Returns
    -------
    list of str
        Warnings (none: the GeoPackage holds every value).
    """
    fiona = _fiona()
    for part in _parts(bundle, crs):
        schema = {
            "geometry": part.geometry_type,
            "properties": {f.name: _FIONA_TYPE[f.type] for f in part.layer.fields},
        }
        records = _records(part.frame, part.layer)
        for record in records:
            for spec in part.layer.fields:
                is_json = spec.type in ("list[str]", "json")
                if is_json and record[spec.name] is not None:
                    record[spec.name] = json.dumps(record[spec.name], ensure_ascii=False)
        with fiona.open(
            path,
            "w",
            driver="GPKG",
            layer=part.name,
            schema=schema,
            crs=crs,
            encoding="utf-8",
            DESCRIPTION=part.layer.description,
        ) as sink:
            sink.writerecords(
                _feature(fiona, geom, rec) for geom, rec in zip(part.geoms, records, strict=True)
            )
    meta_schema = {
        "geometry": "None",
        "properties": {f.name: _FIONA_TYPE[f.type] for f in dd.METADATA.fields},
    }
    record = bundle.metadata_record(crs)
    record[s.CREDITS] = json.dumps(record[s.CREDITS], ensure_ascii=False)
    with fiona.open(
        path,
        "w",
        driver="GPKG",
        layer=dd.METADATA.name,
        schema=meta_schema,
        encoding="utf-8",
        DESCRIPTION=dd.METADATA.description,
    ) as sink:
        sink.write(_feature(fiona, None, record))
    return []


def _cut_utf8(text: str, limit: int = dd.SHAPEFILE_MAX_TEXT_BYTES) -> str:
    """Cut ``text`` to at most ``limit`` bytes of UTF-8 without splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _shapefile_columns(
    part: _Part, short: Mapping[str, str], warnings: list[str]
) -> tuple[dict[str, str], dict[str, list[Any]]]:
    """Return the dBASE schema and the values of one shapefile, texts cut to 254 bytes."""
    schema: dict[str, str] = {}
    values: dict[str, list[Any]] = {}
    ids = part.frame[part.layer.key[0]].astype(str).tolist() if len(part.frame) else []
    for spec in part.layer.shapefile_fields:
        column = _column_values(part.frame[spec.name], spec.type)
        name = short[spec.name]
        if spec.type in ("str", "list[str]"):
            if spec.type == "list[str]":
                column = [dd.LIST_SEPARATOR.join(v) for v in column]
            long_ids = [
                i
                for i, v in zip(ids, column, strict=True)
                if v is not None and _utf8_len(v) > dd.SHAPEFILE_MAX_TEXT_BYTES
            ]
            if long_ids:
                warnings.append(
                    f"{part.name}.shp: {len(long_ids)} value(s) of {spec.name} cut to "
                    f"{dd.SHAPEFILE_MAX_TEXT_BYTES} bytes (ids {', '.join(long_ids[:5])}); "
                    "the GeoPackage and GeoJSON keep the full text"
                )
                column = [None if v is None else _cut_utf8(v) for v in column]
            width = max([1, *(_utf8_len(v) for v in column if v is not None)])
            schema[name] = f"str:{width}"
        elif spec.type == "int":
            schema[name] = "int:18"
        elif spec.type == "float":
            finite = [abs(v) for v in column if v is not None]
            digits = len(str(int(max(finite)))) if finite else 1
            schema[name] = f"float:24.{max(0, min(15, 24 - digits - 2))}"
        else:
            schema[name] = "bool"
        values[name] = column
    return schema, values


def write_shapefiles(bundle: ExportBundle, directory: Path, *, crs: str = DEFAULT_CRS) -> list[str]:
    """Write a shapefile set into ``directory`` (created) in ``crs``.

    One shapefile per layer and geometry family (``infrastructure_point.shp``, ...), UTF-8
    with a ``.cpg`` file; field names of at most 10 characters, mapped from the full names
    by :func:`zoning.datadict.shapefile_field_names` and listed in ``field_names.csv``; list
    fields joined with ``;``; the metadata record as the key/value table ``metadata.dbf``.

    Returns
    -------
    list of str
        Warnings: texts longer than a dBASE field holds (254 bytes) are cut, and said so.

    Raises
    ------
    ExportError
        If a list value contains the separator ``;`` (it could not be split again).
    """
    fiona = _fiona()
    directory.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    mapping_rows: list[tuple[str, str, str]] = []
    for part in _parts(bundle, crs):
        for spec in part.layer.shapefile_fields:
            if spec.type != "list[str]":
                continue
            lists = _column_values(part.frame[spec.name], spec.type)
            bad = [v for values in lists for v in values if dd.LIST_SEPARATOR in v]
            if bad:
                raise ExportError(
                    f"cannot write {part.name}.shp: values of {spec.name} contain the list "
                    f"separator '{dd.LIST_SEPARATOR}': {bad[:5]}"
                )
        short = dd.shapefile_field_names(f.name for f in part.layer.shapefile_fields)
        schema, values = _shapefile_columns(part, short, warnings)
        mapping_rows += [(f"{part.name}.shp", short[k], k) for k in short]
        with fiona.open(
            directory / f"{part.name}.shp",
            "w",
            driver="ESRI Shapefile",
            schema={"geometry": part.geometry_type, "properties": schema},
            crs=crs,
            encoding="utf-8",
        ) as sink:
            rows = [{k: v[i] for k, v in values.items()} for i in range(len(part.frame))]
            sink.writerecords(
                _feature(fiona, geom, rec) for geom, rec in zip(part.geoms, rows, strict=True)
            )
    record = bundle.metadata_record(crs)
    kv_rows: list[dict[str, Any]] = []
    for spec in dd.METADATA.fields:
        value = record[spec.name]
        if spec.type == "list[str]":
            texts = [str(v) for v in value]
        elif spec.type == "bool":
            texts = ["true" if value else "false"]
        else:
            texts = ["" if value is None else str(value)]
        for text in texts:
            for part_no, chunk in enumerate(_chunks(text), start=1):
                kv_rows.append(
                    {s.METADATA_KEY: spec.name, s.METADATA_PART: part_no, s.METADATA_VALUE: chunk}
                )
    with fiona.open(
        directory / f"{dd.METADATA.name}.dbf",
        "w",
        driver="ESRI Shapefile",
        schema={
            "geometry": "None",
            "properties": {
                s.METADATA_KEY: "str:20",
                s.METADATA_PART: "int:4",
                s.METADATA_VALUE: f"str:{dd.SHAPEFILE_MAX_TEXT_BYTES}",
            },
        },
        encoding="utf-8",
    ) as sink:
        sink.writerecords(_feature(fiona, None, row) for row in kv_rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "shapefile_field", "full_name"])
    writer.writerows(mapping_rows)
    (directory / FIELD_NAMES_FILE).write_text(buffer.getvalue(), encoding="utf-8")
    return warnings


def _chunks(text: str, limit: int = dd.SHAPEFILE_MAX_TEXT_BYTES) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` UTF-8 bytes (at least one piece)."""
    pieces: list[str] = []
    while _utf8_len(text) > limit:
        head = _cut_utf8(text, limit)
        # dBASE pads with spaces and readers strip them: never end a piece with whitespace
        head = head.rstrip() or head
        pieces.append(head)
        text = text[len(head) :]
    pieces.append(text)
    return pieces


# --------------------------------------------------------------------------- PostGIS


def table_names() -> list[str]:
    """Names of the GeoPackage layers, shapefiles (without suffix) and PostGIS tables.

    Examples
    --------
    >>> table_names()[3:6]
    ['infrastructure_point', 'infrastructure_line', 'infrastructure_polygon']
    """
    return [
        name
        for layer in dd.EXPORT_LAYERS
        for name in ([layer.part_name(f) for f in layer.families] or [layer.name])
    ]


def is_postgres_dsn(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database (``postgresql://...``)."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def redact_dsn(dsn: str) -> str:
    """Return ``dsn`` with any password replaced by ``***`` (for messages).

    Examples
    --------
    >>> redact_dsn("postgresql://gis:secret@db.example:5432/city")
    'postgresql://gis:***@db.example:5432/city'
    """
    scheme, sep, rest = dsn.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return dsn
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


def _srid(crs: str) -> int:
    epsg = CRS.from_user_input(crs).to_epsg()
    if epsg is None:  # pragma: no cover - EXPORT_CRS are all EPSG codes
        raise ValueError(f"no EPSG code for {crs}")
    return int(epsg)


def _pg_columns(layer: dd.ExportLayer) -> list[tuple[str, str, bool]]:
    """(name, SQL type, not null) of a table, ``park_id`` first."""
    columns = [] if s.PARK_ID in layer.field_names else [(s.PARK_ID, "text", True)]
    columns += [(f.name, _PG_TYPE[f.type], f.required) for f in layer.fields]
    return columns


def _ensure_table(
    cur: pg_cursor,
    pg_schema: str,
    table: str,
    layer: dd.ExportLayer,
    geometry: str | None,
    srid: int,
) -> None:
    """Create the table if needed, add missing columns, check its geometry type and SRID."""
    from psycopg2 import sql

    columns = _pg_columns(layer)
    key = [s.PARK_ID] + [k for k in layer.key if k != s.PARK_ID]
    ident = sql.Identifier(pg_schema, table)
    definitions = [
        sql.SQL("{} {}{}").format(
            sql.Identifier(name), sql.SQL(sqltype), sql.SQL(" NOT NULL" if not_null else "")
        )
        for name, sqltype, not_null in columns
    ]
    if geometry is not None:
        definitions.append(
            sql.SQL("{} geometry({}, {})").format(
                sql.Identifier(PG_GEOMETRY), sql.SQL(geometry), sql.Literal(srid)
            )
        )
    definitions.append(
        sql.SQL("PRIMARY KEY ({})").format(sql.SQL(", ").join(map(sql.Identifier, key)))
    )
    cur.execute(
        sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(ident, sql.SQL(", ").join(definitions))
    )
    cur.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s",
        (pg_schema, table),
    )
    present = {row[0] for row in cur.fetchall()}
    for name, sqltype, _ in columns:
        if name not in present:
            cur.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                    ident, sql.Identifier(name), sql.SQL(sqltype)
                )
            )
    if geometry is not None:
        cur.execute(
            "SELECT upper(type), srid FROM geometry_columns "
            "WHERE f_table_schema = %s AND f_table_name = %s AND f_geometry_column = %s",
            (pg_schema, table, PG_GEOMETRY),
        )
        found = cur.fetchone()
        if found is None or (found[0], found[1]) != (geometry.upper(), srid):
            given = "no geometry column" if found is None else f"{found[0]}, SRID {found[1]}"
            raise ExportError(
                f"table {pg_schema}.{table} holds {given}; this export writes "
                f"{geometry.upper()} in SRID {srid}. Export with the CRS of the earlier "
                "export (--crs), or into another schema, or drop the table"
            )
        cur.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING GIST ({})").format(
                sql.Identifier(f"{table}_{PG_GEOMETRY}_gist"), ident, sql.Identifier(PG_GEOMETRY)
            )
        )
    cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(ident, sql.Literal(layer.description)))
    for spec in layer.fields:
        cur.execute(
            sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                ident, sql.Identifier(spec.name), sql.Literal(spec.description)
            )
        )


def _pg_rows(
    park_id: str, layer: dd.ExportLayer, records: list[dict[str, Any]], ewkb: list[str | None]
) -> list[tuple[Any, ...]]:
    from psycopg2.extras import Json

    rows = []
    for record, geom in zip(records, ewkb, strict=True):
        values: list[Any] = [] if s.PARK_ID in layer.field_names else [park_id]
        for spec in layer.fields:
            value = record[spec.name]
            values.append(Json(value) if spec.type == "json" and value is not None else value)
        rows.append((*values, geom))
    return rows


def _replace_rows(
    cur: pg_cursor,
    pg_schema: str,
    table: str,
    layer: dd.ExportLayer,
    park_id: str,
    rows: list[tuple[Any, ...]],
    *,
    spatial: bool,
) -> None:
    from psycopg2 import sql
    from psycopg2.extras import execute_values

    ident = sql.Identifier(pg_schema, table)
    cur.execute(
        sql.SQL("DELETE FROM {} WHERE {} = %s").format(ident, sql.Identifier(s.PARK_ID)),
        (park_id,),
    )
    if not rows:
        return
    names = [name for name, _, _ in _pg_columns(layer)]
    placeholders = ["%s"] * len(names)
    if spatial:
        names.append(PG_GEOMETRY)
        placeholders.append("%s::geometry")
    else:
        rows = [row[:-1] for row in rows]
    statement = sql.SQL("INSERT INTO {} ({}) VALUES %s").format(
        ident, sql.SQL(", ").join(map(sql.Identifier, names))
    )
    execute_values(
        cur, statement.as_string(cur), rows, template="(" + ", ".join(placeholders) + ")"
    )


def write_postgis(
    bundle: ExportBundle,
    dsn: str,
    *,
    crs: str = DEFAULT_CRS,
    pg_schema: str = DEFAULT_PG_SCHEMA,
) -> list[str]:
    """Write every layer into PostGIS, replacing the park's earlier export in one transaction.

    Tables are ``<pg_schema>.<layer>`` (a mixed layer is split into
    ``infrastructure_point``, ``infrastructure_line``, ...), each with ``park_id``, the
    layer's fields, a typed ``geom`` column in ``crs``, a primary key (``park_id`` and the
    layer key), a GIST index on ``geom`` and comments from the data dictionary. Tables of
    other parks' exports are shared: rows of this park are deleted and inserted again, so
    views and grants on the tables survive. Concurrent exports of the same park wait for
    each other (advisory lock).

    Returns
    -------
    list of str
        Warnings (none).

    Raises
    ------
    ExportError
        If the database cannot be reached, lacks PostGIS, holds a table of another
        geometry type or SRID, or any statement fails; the transaction is then rolled back
        and the earlier export stays as it was.
    """
    import psycopg2
    from psycopg2 import sql

    srid = _srid(crs)
    where = redact_dsn(dsn)
    options = {} if "connect_timeout" in dsn else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    try:
        conn = psycopg2.connect(dsn, **options)
    except psycopg2.Error as exc:
        raise ExportError(f"cannot connect to {where}: {str(exc).strip()}") from None
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            if cur.fetchone() is None:
                raise ExportError(
                    f"the database {where} has no PostGIS extension; "
                    "run CREATE EXTENSION postgis in it (as a superuser) and export again"
                )
            cur.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (f"zoning export {pg_schema}.{bundle.park_id}",),
            )
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(pg_schema)))
            for part in _parts(bundle, crs):
                _ensure_table(cur, pg_schema, part.name, part.layer, part.geometry_type, srid)
                geoms = shapely.set_srid(part.geoms, srid)
                ewkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
                records = _records(part.frame, part.layer)
                rows = _pg_rows(bundle.park_id, part.layer, records, list(ewkb))
                _replace_rows(
                    cur, pg_schema, part.name, part.layer, bundle.park_id, rows, spatial=True
                )
            _ensure_table(cur, pg_schema, dd.METADATA.name, dd.METADATA, None, srid)
            record = bundle.metadata_record(crs)
            rows = _pg_rows(bundle.park_id, dd.METADATA, [record], [None])
            _replace_rows(
                cur, pg_schema, dd.METADATA.name, dd.METADATA, bundle.park_id, rows, spatial=False
            )
    except psycopg2.Error as exc:
        detail = (exc.pgerror or str(exc)).strip()
        raise ExportError(
            f"the PostGIS export to {where} failed and was rolled back; the earlier export "
            f"is unchanged: {detail}"
        ) from None
    finally:
        conn.close()
    return []


# --------------------------------------------------------------------------- files, atomically


def export_items(park_id: str, formats: Iterable[ExportFormat | str]) -> dict[ExportFormat, str]:
    """Names of what each format writes in the target directory.

    Examples
    --------
    >>> list(export_items("beichuan", ["geojson", "gpkg", "shp"]).values())
    ['beichuan-geojson', 'beichuan.gpkg', 'beichuan-shapefile']
    """
    names = {
        ExportFormat.GEOJSON: f"{park_id}-geojson",
        ExportFormat.GPKG: f"{park_id}.gpkg",
        ExportFormat.SHP: f"{park_id}-shapefile",
    }
    return {ExportFormat(f): names[ExportFormat(f)] for f in formats}


def _move_into_place(staging: Path, target: Path, items: Sequence[str]) -> None:
    """Move staged items into ``target``; on failure put every previous item back."""
    previous = staging / ".previous"
    previous.mkdir()
    saved: list[str] = []
    placed: list[str] = []
    try:
        for item in items:
            dest = target / item
            if dest.is_file() and not dest.is_symlink():
                try:  # keep the old file for a roll-back; the replace below is atomic
                    os.link(dest, previous / item)
                except OSError:  # a file system without hard links
                    shutil.copy2(dest, previous / item)
                saved.append(item)
            elif dest.exists() or dest.is_symlink():
                os.replace(dest, previous / item)
                saved.append(item)
            os.replace(staging / item, dest)
            placed.append(item)
    except OSError:
        for item in placed:  # remove what this export put in place ...
            path = target / item
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif item not in saved:
                path.unlink(missing_ok=True)
        for item in saved:  # ... and put back what was there before
            try:
                os.replace(previous / item, target / item)
            except OSError:  # pragma: no cover - keep restoring the others
                continue
        raise


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
    items stay untouched and the staging directory is removed.
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
    items = export_items(bundle.park_id, formats)
    writers: dict[ExportFormat, _Writer] = {
        ExportFormat.GEOJSON: write_geojson,
        ExportFormat.GPKG: lambda b, p: write_geopackage(b, p, crs=crs),
        ExportFormat.SHP: lambda b, p: write_shapefiles(b, p, crs=crs),
    }
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target))
    warnings: list[str] = []
    try:
        for fmt, item in items.items():
            warnings += writers[fmt](bundle, staging / item)
        _move_into_place(staging, target, list(items.values()))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return list(items.values()), warnings


def export_park(
    park: Park,
    target: str | Path,
    *,
    formats: Iterable[ExportFormat | str] = ALL_FORMATS,
    crs: str = DEFAULT_CRS,
    results: pd.DataFrame | None = None,
    plan: PhasePlanLike | None = None,
    generated_at: datetime | None = None,
    pg_schema: str = DEFAULT_PG_SCHEMA,
) -> ExportReport:
    """Export a park, its fit results and phase plan to files or to PostGIS.

    Parameters
    ----------
    park
        The park.
    target
        A directory (created if needed) or a PostgreSQL URI ``postgresql://user@host/db``.
        In a directory each format replaces only its own item: ``<park_id>-geojson/``,
        ``<park_id>.gpkg``, ``<park_id>-shapefile/``; other files are left alone.
    formats
        File formats (``geojson``, ``gpkg``, ``shp``); ignored for PostGIS.
    crs
        CRS of GeoPackage, Shapefile and PostGIS geometries: ``EPSG:4490`` (CGCS2000,
        default), ``EPSG:4543`` (CGCS2000 / Gauss-Krüger CM 102E) or ``EPSG:4326``. GeoJSON
        is always WGS84 (RFC 7946).
    results
        Fit results from ``zoning.check``; exported as the ``fit_results`` layer.
    plan
        Phase plan from ``zoning.sequence``; its phases go to the parcels.
    generated_at
        Time stamp of the metadata record (timezone-aware); default now.
    pg_schema
        PostgreSQL schema of the tables (PostGIS only).

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
    bundle = to_export_bundle(park, results=results, plan=plan, generated_at=generated_at)
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
        if not isinstance(exc, (OSError, *_file_errors())):
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
    allowed = {_srid(c): c for c in EXPORT_CRS}
    if epsg not in allowed:
        problems.append(
            Problem(
                "crs",
                f"unsupported CRS {crs!r}",
                expected="EPSG:4490 (CGCS2000), EPSG:4543 (CGCS2000 / GK CM 102E) or EPSG:4326",
            )
        )
    if problems:
        raise InputError("cannot export with these options", problems)
    return allowed[int(epsg)]  # type: ignore[arg-type]
