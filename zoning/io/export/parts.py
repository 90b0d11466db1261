"""The parts of an export: each layer split by geometry family, in one geometry type each.

GeoPackage layers, shapefiles and PostGIS tables hold one geometry type: polygons are
stored as MultiPolygon, lines as MultiLineString, and a layer mixing families is split
(``infrastructure_point``, ``infrastructure_line``, ``infrastructure_polygon``). Polygon
exteriors are counter-clockwise and holes clockwise (``ST_IsPolygonCCW`` is true); the
shapefile writer (GDAL) stores them the other way round, as the shapefile specification
requires, and readers turn them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import datadict as dd
from zoning.errors import ExportError
from zoning.io.export.bundle import ExportBundle

GEOMETRY_TYPE: Final[dict[dd.GeometryFamily, str]] = {
    "point": "Point",
    "line": "MultiLineString",
    "polygon": "MultiPolygon",
}
_MULTI_POINT: Final = "MultiPoint"


def is_present(geoms: np.ndarray) -> np.ndarray:
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
    present = is_present(out)
    single = {"point": "Point", "line": "LineString", "polygon": "Polygon"}[family]
    type_ids = shapely.get_type_id(out)
    is_single = present & (type_ids == shapely.GeometryType[single.upper()].value)
    if family == "point":
        if not (present & ~is_single).any():
            return out, "Point"
        build, declared = shapely.multipoints, _MULTI_POINT
    elif family == "line":
        build, declared = shapely.multilinestrings, GEOMETRY_TYPE["line"]
    else:
        build, declared = shapely.multipolygons, GEOMETRY_TYPE["polygon"]
    if is_single.any():
        parts = out[is_single]
        out[is_single] = build(parts, indices=np.arange(len(parts)))
    out[~present] = None
    return out, declared


@dataclass(frozen=True)
class Part:
    """One single-geometry-type part of a layer (a GeoPackage layer, shapefile, table)."""

    layer: dd.ExportLayer
    name: str
    geometry_type: str | None
    frame: pd.DataFrame
    geoms: np.ndarray


def export_parts(bundle: ExportBundle, crs: str) -> list[Part]:
    """Split every layer of ``bundle`` (but the metadata) into its parts, in ``crs``.

    Raises
    ------
    ExportError
        If a layer holds geometries of a family it may not hold.
    """
    parts: list[Part] = []
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        frame = bundle.layers[layer.name]
        projected = frame.geometry.to_crs(crs)
        # counter-clockwise exteriors, clockwise holes (OGC simple features, RFC 7946)
        projected = gpd.GeoSeries(
            shapely.orient_polygons(projected.to_numpy(), exterior_cw=False),
            crs=projected.crs,
        )
        family = _family_of(projected)
        foreign = is_present(projected.to_numpy()) & ~np.isin(family, list(layer.families))
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
                Part(
                    layer=layer,
                    name=layer.part_name(fam),
                    geometry_type=declared,
                    frame=frame.loc[mask].reset_index(drop=True),
                    geoms=geoms,
                )
            )
    return parts


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


__all__ = ["GEOMETRY_TYPE", "Part", "export_parts", "is_present", "table_names"]
