"""GeoJSON export: one RFC 7946 file per layer and geometry type, by :mod:`zoning.geojson`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from zoning import datadict as dd
from zoning.io.export.bundle import ExportBundle
from zoning.io.export.naming import GEOJSON_CRS, export_file_name
from zoning.io.export.values import layer_records
from zoning.io.geojson import feature_collection_text


def _family_masks(frame: gpd.GeoDataFrame, layer: dd.ExportLayer) -> list[tuple[str, Any]]:
    """Return (file part, row mask) of a layer: one part per geometry family of a mixed one.

    Features without geometry go to the first part, as in the other formats; every
    feature is in exactly one part.
    """
    if len(layer.families) <= 1:
        return [(layer.name, np.ones(len(frame), dtype=bool))]
    types = frame.geometry.geom_type.to_numpy(dtype=object)
    known = np.isin(types, [t for f in layer.families for t in dd.GEOMETRY_FAMILIES[f]])
    parts = []
    for i, family in enumerate(layer.families):
        mask = np.isin(types, dd.GEOMETRY_FAMILIES[family])
        if i == 0:
            mask |= ~known  # no geometry (or an empty collection): the first part
        parts.append((layer.part_name(family), mask))
    return parts


def _field_members(layer: dd.ExportLayer) -> dict[str, Any]:
    """Return the ``fields`` member: the layer's schema, kept when it has no feature."""
    return {"fields": [{"name": f.name, "type": f.type} for f in layer.fields]}


def write_geojson(bundle: ExportBundle, directory: Path) -> list[str]:
    """Write one RFC 7946 GeoJSON file per layer and geometry type into ``directory``.

    Files are named by :func:`~zoning.io.export.naming.export_file_name`
    (``beichuan_zones_epsg4326.geojson``). A layer mixing geometry types (infrastructure:
    points, lines and polygons; context) is split into one file per type
    (``beichuan_infrastructure_point_epsg4326.geojson``, ``..._line_...``,
    ``..._polygon_...``), as QGIS and ``ogr2ogr`` to shapefile want one type per layer.
    Each file is a FeatureCollection in WGS84 longitude/latitude with no ``crs`` member,
    counter-clockwise exterior rings, 7 decimals, UTF-8, lists as JSON arrays, and a
    ``fields`` member listing the layer's fields and types (so an empty layer keeps its
    schema); the metadata record is one feature without geometry.

    Returns
    -------
    list of str
        Warnings (none: GeoJSON holds every value).
    """
    directory.mkdir(parents=True, exist_ok=True)
    for layer in dd.EXPORT_LAYERS:
        members = _field_members(layer)
        if layer is dd.METADATA:
            record = bundle.metadata_record(GEOJSON_CRS)
            texts = {
                layer.name: feature_collection_text(
                    None, [record], name=layer.name, members=members
                )
            }
        else:
            frame = bundle.layers[layer.name]
            texts = {}
            for part, mask in _family_masks(frame, layer):
                subset = frame.loc[mask].reset_index(drop=True)
                texts[part] = feature_collection_text(
                    subset.geometry, layer_records(subset, layer), name=part, members=members
                )
        for part, text in texts.items():
            name = export_file_name(bundle.park_id, part, GEOJSON_CRS, ".geojson")
            (directory / name).write_text(text, encoding="utf-8")
    return []


__all__ = ["write_geojson"]
