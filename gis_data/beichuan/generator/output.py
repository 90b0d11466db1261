"""Output: placing (u, v) geometry on the ground and writing byte-stable GeoJSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping

from .base import DECIMALS, GRID_M, METRIC_CRS
from .frame import Frame


class Placer:
    """Put (u, v) geometry on the ground: metric grid, shared vertices, then WGS84."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.to_wgs84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def metric(self, geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.set_precision(shapely.transform(geom, self.frame.uv_to_xy), GRID_M)

    def wgs84(self, geom: shapely.Geometry) -> shapely.Geometry:
        def project(xy: np.ndarray) -> np.ndarray:
            lon, lat = self.to_wgs84.transform(xy[:, 0], xy[:, 1])
            return np.round(np.column_stack([lon, lat]), DECIMALS)

        out = shapely.remove_repeated_points(shapely.transform(geom, project))
        return shapely.orient_polygons(out, exterior_cw=False)


def _coords(obj: Any) -> Any:
    if isinstance(obj, list | tuple):
        if obj and isinstance(obj[0], float | int):
            return [round(float(x), DECIMALS) for x in obj]
        return [_coords(x) for x in obj]
    return obj


def layer_feature(props: dict[str, Any], layer: Any, geometry: dict) -> dict:
    ordered = {f.name: props.get(f.name) for f in layer.fields}
    for spec in layer.fields:
        if spec.type == "float" and ordered[spec.name] is not None:
            ordered[spec.name] = float(ordered[spec.name])
    return {"type": "Feature", "properties": ordered, "geometry": geometry}


def write_geojson(path: Path, features: Sequence[dict]) -> None:
    """Write a FeatureCollection, one feature per line, byte-stable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def geojson_geometry(geom: shapely.Geometry) -> dict:
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _coords(g["coordinates"])}
