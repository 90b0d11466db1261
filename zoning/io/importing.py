"""Read a municipal delivery (Shapefile, GeoPackage, GeoJSON, DXF, PostGIS) and write a park.

A source is a file path, optionally followed by ``#LAYER`` (a GeoPackage layer), or a
PostGIS DSN followed by ``#TABLE`` (``postgresql://user@host:5432/db#public.parcels``).
Shapefiles are decoded in the encoding their ``.cpg`` names; without one, UTF-8 is tried
strictly, then GB 18030 (which contains GBK); the encoding used is always reported, and text
that decodes in neither is refused rather than loaded garbled. DXF drawings (GDAL's driver)
give polygons from closed polylines and hatches, with the drawing layer (``Layer``), the
entity handle (``EntityHandle``) and the text of a label lying inside each polygon
(``Text``) as fields.

:func:`import_park` builds the park in a temporary folder beside the target, validates it
with the park's own validation, and moves it into place with one rename: a failed import
leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import InputError, ParkValidationError, Problem, Severity
from zoning.exchange.delivery import IMPORT_LAYERS, Delivery, LayerSource, build_delivery
from zoning.exchange.fields import FieldMapping, mapping_from_dict
from zoning.io.geojson import write_feature_collection
from zoning.io.park import METADATA_FILE, RULEBOOK_FILE, bundled_park_dir, read_park
from zoning.io.shapefiles import detect_shapefile_encoding as detect_shapefile_encoding
from zoning.park import Park

#: a park id: lower-case letters, digits, ``-`` and ``_``, starting with a letter
PARK_ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_PASSWORD: Final = re.compile(r"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]*@")
_PASSWORD_KV: Final = re.compile(r"(password\s*=\s*)\S+", re.IGNORECASE)


class ImportInputError(InputError):
    """The delivery cannot be imported; nothing was written."""


def mask_password(text: str) -> str:
    """Hide the password of every PostgreSQL DSN in ``text``.

    Examples
    --------
    >>> mask_password("postgresql://gis:s3cret@10.0.0.5:5432/kg#parcels")
    'postgresql://gis:***@10.0.0.5:5432/kg#parcels'
    """
    return _PASSWORD_KV.sub(r"\1***", _PASSWORD.sub(r"\1***@", text))


def is_postgis(spec: str) -> bool:
    """Whether a source names a PostGIS table."""
    return spec.startswith(("postgresql://", "postgres://"))


def read_vector_file(
    path: Path, *, layer: str | None = None, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read a vector file with fiona (GDAL's warnings about the data silenced)."""
    kwargs: dict[str, Any] = {"engine": "fiona"}
    if layer is not None:
        kwargs["layer"] = layer
    if encoding is not None:
        kwargs["encoding"] = encoding
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        frame: gpd.GeoDataFrame = gpd.read_file(path, **kwargs)
    return frame


def dxf_polygons(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Polygons of a DXF drawing as GDAL reads it, with the text of the labels inside them.

    Closed polylines (first point equal to the last, at least four points) become polygons;
    polygons (hatches) stay; other entities are dropped, except text points, whose ``Text``
    is given to the polygon that contains them.
    """
    geoms = frame.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    lines = types == shapely.GeometryType.LINESTRING
    closed = np.zeros(len(geoms), dtype=bool)
    closed[lines] = shapely.is_closed(geoms[lines]) & (
        shapely.get_num_coordinates(geoms[lines]) >= 4
    )
    polygons = np.isin(types, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    keep = closed | polygons
    out_geoms = geoms.copy()
    out_geoms[closed] = (
        shapely.polygons(
            shapely.linearrings(
                shapely.get_coordinates(geoms[closed]),
                indices=np.repeat(
                    np.arange(int(closed.sum())), shapely.get_num_coordinates(geoms[closed])
                ),
            )
        )
        if closed.any()
        else out_geoms[closed]
    )
    columns = [c for c in ("Layer", "EntityHandle") if c in frame.columns]
    out = gpd.GeoDataFrame(
        frame.loc[keep, columns].reset_index(drop=True), geometry=out_geoms[keep], crs=frame.crs
    )
    out["Text"] = None
    if "Text" in frame.columns:
        points = (types == shapely.GeometryType.POINT) & frame["Text"].notna().to_numpy()
        if points.any() and len(out):
            tree = shapely.STRtree(out.geometry.to_numpy())
            p_idx, g_idx = tree.query(geoms[points], predicate="within")
            texts = frame.loc[points, "Text"].to_numpy()
            first = pd.Series(texts[p_idx], index=g_idx).groupby(level=0).first()
            out.loc[first.index, "Text"] = first.to_numpy()
    return out


def read_postgis_table(dsn: str, table: str) -> gpd.GeoDataFrame:
    """Read a PostGIS table (its first geometry column) with its SRID as the CRS."""
    import psycopg2
    from psycopg2 import sql

    schema_name, _, name = table.rpartition(".")
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT f_geometry_column, srid FROM geometry_columns "
            "WHERE f_table_name = %s AND (%s = '' OR f_table_schema = %s) LIMIT 1",
            (name, schema_name, schema_name),
        )
        found = cur.fetchone()
        if found is None:
            raise LookupError(f"no table {table!r} with a geometry column")
        geom_col, srid = str(found[0]), int(found[1])
        ident = sql.Identifier(schema_name, name) if schema_name else sql.Identifier(name)
        cur.execute(
            sql.SQL("SELECT *, ST_AsBinary({g}) AS __wkb FROM {t}").format(
                g=sql.Identifier(geom_col), t=ident
            )
        )
        names = [d.name for d in cur.description or ()]
        rows = cur.fetchall()
    frame = pd.DataFrame(rows, columns=names).drop(columns=[geom_col])
    wkb = frame.pop("__wkb")
    geoms = shapely.from_wkb([bytes(w) if w is not None else None for w in wkb])
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=f"EPSG:{srid}" if srid > 0 else None)


class _RefusedError(Exception):
    """A source cannot be read; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.what)
        self.problem = problem


def _read_postgis_source(spec: str, shown: str) -> LayerSource:
    dsn, _, table = spec.partition("#")
    if not table:
        raise _RefusedError(
            Problem(
                shown,
                "a PostGIS source needs the table after '#'",
                expected="postgresql://user@host:port/db#schema.table",
            )
        )
    try:
        frame = read_postgis_table(dsn, table)
    except Exception as exc:  # psycopg2 raises many types; the DSN is masked
        raise _RefusedError(
            Problem(shown, f"cannot read the PostGIS table: {mask_password(str(exc)).strip()}")
        ) from None
    return LayerSource(frame, shown, (f"PostGIS table {table}",))


def _read_shapefile(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    encoding, how, problem = detect_shapefile_encoding(path)
    if problem is not None:
        raise _RefusedError(problem)
    notes = [f"Shapefile, {how}"]
    if not path.with_suffix(".prj").is_file():
        notes.append("no .prj: the CRS is recognised from the coordinates")
    return read_vector_file(path, encoding=encoding), notes


def _read_geopackage(path: Path, sublayer: str, layer: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    import fiona

    layers = fiona.listlayers(path)
    chosen = sublayer or (layer if layer in layers else (layers[0] if len(layers) == 1 else ""))
    if chosen not in layers:
        raise _RefusedError(
            Problem(
                path.name,
                f"no layer {chosen or layer!r} in the GeoPackage",
                expected=f"one of {layers}",
                fix=f"write {path}#LAYER",
            )
        )
    return read_vector_file(path, layer=chosen), [f"GeoPackage layer {chosen}"]


def _read_dxf(path: Path, layer: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    drawing = read_vector_file(path)
    frame = dxf_polygons(drawing)
    if frame.empty:
        raise _RefusedError(
            Problem(
                path.name,
                f"the DXF drawing holds no closed polygons ({len(drawing)} entities: "
                "lines, points or text only)",
                expected=f"the {layer} drawn as closed polylines or hatches",
                fix="close the polylines in CAD (PEDIT → Close) or export polygons",
            )
        )
    note = (
        f"DXF: {len(frame)} polygon(s) from {len(drawing)} entities "
        "(closed polylines and hatches; fields Layer, EntityHandle, Text)"
    )
    return frame, [note]


def _read_file_source(path: Path, sublayer: str, layer: str) -> LayerSource:
    suffix = path.suffix.lower()
    if suffix not in (".shp", ".gpkg", ".geojson", ".json", ".dxf"):
        raise _RefusedError(
            Problem(
                path.name,
                f"unsupported file type {suffix!r}",
                expected=".shp, .gpkg, .geojson, .json, .dxf or postgresql://",
            )
        )
    try:
        if suffix == ".shp":
            frame, notes = _read_shapefile(path)
        elif suffix == ".gpkg":
            frame, notes = _read_geopackage(path, sublayer, layer)
        elif suffix == ".dxf":
            frame, notes = _read_dxf(path, layer)
        else:
            frame, notes = read_vector_file(path), ["GeoJSON"]
    except _RefusedError:
        raise
    except Exception as exc:  # fiona/GDAL raise many types for unreadable data
        raise _RefusedError(
            Problem(path.name, f"unreadable file: {type(exc).__name__}: {exc}")
        ) from None
    return LayerSource(frame, path.name, tuple(notes))


def read_source(spec: str, layer: str) -> tuple[LayerSource | None, list[Problem]]:
    """Read one delivered layer; return it or the problems that prevent it.

    Parameters
    ----------
    spec
        A file path (``#LAYER`` for a GeoPackage layer) or ``postgresql://…#table``.
    layer
        Our layer it is meant for (``parcels``), for messages and the GeoPackage layer.
    """
    shown = mask_password(spec)
    try:
        if is_postgis(spec):
            return _read_postgis_source(spec, shown), []
        path_text, _, sublayer = spec.partition("#")
        path = Path(path_text)
        if not path.is_file():
            raise _RefusedError(
                Problem(
                    shown,
                    "file not found" if not path.exists() else "not a file",
                    expected=f"a Shapefile, GeoPackage, GeoJSON or DXF of {layer}",
                )
            )
        return _read_file_source(path, sublayer, layer), []
    except _RefusedError as refused:
        return None, [refused.problem]


def read_field_mapping(path: Path | None) -> tuple[FieldMapping, list[Problem]]:
    """Read the mapping file (TOML); ``None`` gives the defaults."""
    if path is None:
        return FieldMapping(), []
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return FieldMapping(), [Problem(str(path), "mapping file not found")]
    except tomllib.TOMLDecodeError as exc:
        return FieldMapping(), [Problem(path.name, f"TOML syntax error: {exc}")]
    return mapping_from_dict(data, where=path.name)


@dataclass
class ImportResult:
    """What an import wrote and said."""

    park_dir: Path
    report: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check_park_id(park_id: str) -> list[Problem]:
    """Problems of a park id (empty when it is valid)."""
    if PARK_ID_PATTERN.fullmatch(park_id):
        return []
    return [
        Problem(
            "--park-id",
            f"invalid park id {park_id!r}",
            expected="lower-case letters, digits, '-' or '_', starting with a letter, "
            "at most 40 characters, no path separators",
            fix="for example --park-id beichuan",
        )
    ]


def _request_problems(
    target: Path, sources: Mapping[str, str], park_id: str, rulebook_path: Path
) -> list[Problem]:
    problems = check_park_id(park_id)
    if target.exists():
        problems.append(
            Problem(
                str(target),
                "the target folder exists already",
                fix="choose a new folder, or remove the old one first",
            )
        )
    for required in ("zones", "parcels"):
        if required not in sources:
            problems.append(
                Problem(required, f"no source given for {required}", fix=f"give --{required} FILE")
            )
    unknown = sorted(set(sources) - set(IMPORT_LAYERS))
    if unknown:
        problems.append(
            Problem("sources", f"unknown layer(s) {unknown}", expected=", ".join(IMPORT_LAYERS))
        )
    if not rulebook_path.is_file():
        problems.append(
            Problem(
                str(rulebook_path),
                "rulebook not found",
                fix="give --rulebook FILE, or leave it out for the template",
            )
        )
    parent = target.parent if str(target.parent) else Path()
    if not parent.is_dir():
        problems.append(
            Problem(str(parent), "the parent folder does not exist", fix="create it first")
        )
    return problems


def _metadata(
    delivery: Delivery,
    sources: Mapping[str, str],
    *,
    park_id: str,
    names: tuple[str, str],
    mapping: Path | None,
    rulebook_path: Path,
) -> dict[str, Any]:
    rules = tomllib.loads(rulebook_path.read_text(encoding="utf-8")).get("rulebook", {})
    return {
        s.PARK_ID: park_id,
        "name_zh": names[0],
        "name_en": names[1] or str(rules.get("name", park_id)),
        "illustrative": False,
        "imported": {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sources": {k: mask_password(v) for k, v in sources.items()},
            "mapping": str(mapping) if mapping else None,
            "rulebook_template": str(rulebook_path),
            "report": delivery.report,
            "warnings": [str(w) for w in delivery.warnings],
        },
    }


def _write_and_validate(
    target: Path, delivery: Delivery, rulebook_path: Path, metadata: Mapping[str, Any]
) -> Park:
    """Write the park beside ``target``, validate it, then move it into place (one rename)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=target.parent))
    try:
        for name, frame in delivery.layers.items():
            write_feature_collection(staging / f"{name}.geojson", frame, name=name)
        shutil.copyfile(rulebook_path, staging / RULEBOOK_FILE)
        (staging / METADATA_FILE).write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        try:
            park = read_park(staging)
        except ParkValidationError as exc:
            raise ImportInputError(
                "the imported park does not validate; nothing was written",
                [*exc.problems, *delivery.warnings],
            ) from None
        staging.chmod(0o755)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return park


def import_park(
    target: str | os.PathLike[str],
    sources: Mapping[str, str],
    *,
    mapping: Path | None = None,
    rulebook: Path | None = None,
    park_id: str | None = None,
    crs: str | None = None,
    name_zh: str = "",
    name_en: str = "",
) -> ImportResult:
    """Build a park folder at ``target`` from the administration's layers.

    Parameters
    ----------
    target
        The park folder to create; it must not exist.
    sources
        A source per layer (``zones`` and ``parcels`` required; ``constraints``,
        ``infrastructure`` optional): a file path (``#LAYER`` for a GeoPackage layer) or a
        PostGIS ``postgresql://…#table``.
    mapping
        The field-mapping file (TOML); without it the defaults apply.
    rulebook
        The rulebook to copy (default: the bundled Beichuan rulebook as a template).
    park_id
        The park's id (default: the target folder's name).
    crs
        A CRS for every layer, replacing what the files declare.
    name_zh, name_en
        The park's name (default: the rulebook's).

    Raises
    ------
    ImportInputError
        Listing every problem (unreadable sources, CRS refused, mapping naming a missing
        field, invalid park); nothing is written.
    """
    target = Path(target)
    park_id = park_id or target.name
    rulebook_path = rulebook or bundled_park_dir() / RULEBOOK_FILE
    problems = _request_problems(target, sources, park_id, rulebook_path)
    field_mapping, mapping_problems = read_field_mapping(mapping)
    problems += mapping_problems
    read: dict[str, LayerSource] = {}
    for name in IMPORT_LAYERS:
        if name in sources:
            source, found = read_source(sources[name], name)
            problems += found
            if source is not None:
                read[name] = source
    delivery = build_delivery(read, field_mapping, crs=crs)
    problems += delivery.problems
    if any(p.severity is Severity.ERROR for p in problems):
        raise ImportInputError("the delivery cannot be imported; nothing was written", problems)
    metadata = _metadata(
        delivery,
        sources,
        park_id=park_id,
        names=(name_zh, name_en),
        mapping=mapping,
        rulebook_path=rulebook_path,
    )
    park = _write_and_validate(target, delivery, rulebook_path, metadata)
    return ImportResult(target, delivery.report, [*delivery.warnings, *park.warnings])
