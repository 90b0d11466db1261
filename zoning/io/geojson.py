"""Write GeoJSON files: the one writer of :mod:`zoning.geojson`, to disk, atomically.

Building the text (RFC 7946, WGS84, :data:`~zoning.geojson.GEOJSON_DECIMALS` decimals,
counter-clockwise rings) is a computation and lives in :mod:`zoning.geojson`, where the maps
use it too; this module only writes it, and re-exports the builder's names for the callers
that import them from here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd

from zoning.geojson import (
    GEOJSON_DECIMALS,
    PlanWithFeatures,
    feature_collection_text,
    frame_records,
    frame_to_feature_collection,
    geometry_texts,
    json_value,
    plan_to_feature_collection,
    to_feature_collection,
)
from zoning.io._atomic import write_text_atomic

__all__ = [
    "GEOJSON_DECIMALS",
    "PlanWithFeatures",
    "feature_collection_text",
    "frame_records",
    "frame_to_feature_collection",
    "geometry_texts",
    "json_value",
    "plan_to_feature_collection",
    "to_feature_collection",
    "write_feature_collection",
]


def write_feature_collection(
    path: str | os.PathLike[str],
    frame: gpd.GeoDataFrame,
    *,
    columns: Sequence[str] | None = None,
    name: str | None = None,
) -> Path:
    """Write a GeoDataFrame to ``path`` as RFC 7946 GeoJSON, atomically.

    Raises
    ------
    ExportError
        If the file cannot be written (an existing file is left as it was).
    """
    text = feature_collection_text(frame.geometry, frame_records(frame, columns), name=name)
    return write_text_atomic(path, text)
