"""The one GeoJSON writer: RFC 7946 FeatureCollections from geometries and properties.

Every GeoJSON zoning writes goes through :func:`feature_collection_text` (as text) or
:func:`to_feature_collection` (as a dict):

- coordinates are WGS84 longitude/latitude (geometries in another CRS are transformed;
  a GeoSeries without a CRS is refused, since guessing would misplace it), with no ``crs``
  member;
- coordinates are rounded to :data:`GEOJSON_DECIMALS` decimals (1e-7 degree is about 1 cm);
  a caller drawing on a screen may ask for fewer;
- exterior rings are counter-clockwise and holes clockwise (RFC 7946 §3.1.6);
- a missing or empty geometry is ``"geometry": null`` (or the feature is left out, with
  ``drop_empty``);
- properties are JSON values (numpy and pandas scalars become Python values, NaN and
  missing become ``null``), Chinese text as is, lists as JSON arrays.

Examples
--------
>>> import geopandas as gpd, shapely
>>> zones = gpd.GeoSeries([shapely.box(0, 0, 1, 1), None], crs="EPSG:4326")
>>> doc = to_feature_collection(zones, [{"zone_id": "a"}, {"zone_id": "b"}], name="zones")
>>> doc["name"], [f["geometry"] is None for f in doc["features"]]
('zones', [False, True])
>>> doc["features"][0]["geometry"]["coordinates"][0][:2]  # counter-clockwise
[[1.0, 0.0], [1.0, 1.0]]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning.units import WGS84

#: decimals of GeoJSON coordinates (1e-7 degree is about 1 cm)
GEOJSON_DECIMALS: Final = 7


def _is_row_sequence(value: object) -> bool:
    """Tell a read-only sequence, such as the findings of a check row, from a text."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def json_value(value: Any) -> Any:
    """Turn numpy and pandas scalars, NaN and containers into JSON-ready Python values.

    Examples
    --------
    >>> json_value({"a": np.float64("nan"), "b": [np.int64(2), pd.NA]})
    {'a': None, 'b': [2, None]}
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray) or _is_row_sequence(value):
        return [json_value(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _present(geoms: np.ndarray) -> np.ndarray:
    """Return which geometries exist and are not empty (missing and empty count as null)."""
    return np.asarray(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms), dtype=bool)


def geometry_texts(geometries: gpd.GeoSeries, *, decimals: int = GEOJSON_DECIMALS) -> list[str]:
    """Return the RFC 7946 text of each geometry (``"null"`` for a missing or empty one).

    Parameters
    ----------
    geometries
        Geometries with a CRS; transformed to WGS84 unless they are in it already.
    decimals
        Decimals kept of each coordinate.

    Raises
    ------
    ValueError
        If the geometries have no CRS.
    """
    if geometries.crs is None:
        raise ValueError(
            "GeoJSON needs to know the geometries' CRS, and this GeoSeries has none; "
            "set it (set_crs('EPSG:4543')) before writing"
        )
    wgs = geometries if geometries.crs.equals(WGS84) else geometries.to_crs(WGS84)
    values = wgs.to_numpy()
    present = _present(values)
    out = np.full(len(values), None, dtype=object)
    if present.any():
        rounded = shapely.transform(values[present], lambda coords: np.round(coords, decimals))
        out[present] = shapely.orient_polygons(rounded, exterior_cw=False)
    return ["null" if g is None else _geometry_text(g) for g in out]


def _geometry_text(geometry: shapely.Geometry) -> str:
    """Return the GeoJSON text of one geometry, each coordinate in its shortest form.

    ``shapely.to_geojson`` (GEOS) prints 17 significant digits, so a coordinate rounded to
    7 decimals can come out as ``101.70392819999999``; Python prints the shortest text
    that reads back as the same number (``101.7039282``).

    Examples
    --------
    >>> _geometry_text(shapely.Point(101.7039282, 36.9))
    '{"type":"Point","coordinates":[101.7039282,36.9]}'
    """
    return json.dumps(shapely.geometry.mapping(geometry), separators=(",", ":"))


def feature_collection_text(
    geometries: gpd.GeoSeries | None,
    properties: Sequence[Mapping[str, Any]],
    *,
    name: str | None = None,
    decimals: int = GEOJSON_DECIMALS,
    drop_empty: bool = False,
    members: Mapping[str, Any] | None = None,
) -> str:
    """Return an RFC 7946 FeatureCollection as text, one feature a line.

    Parameters
    ----------
    geometries
        One geometry per feature (with a CRS), or ``None`` for features without geometry.
    properties
        One mapping per feature (made JSON-ready by :func:`json_value`).
    name
        The collection's ``name`` member (as GDAL writes it), or none.
    decimals
        Decimals kept of each coordinate.
    drop_empty
        Leave out the features whose geometry is missing or empty.
    members
        Further top-level members written after the features (e.g. a ``notice``).

    Raises
    ------
    ValueError
        If there are not as many geometries as properties, or the geometries lack a CRS.
    """
    if geometries is None:
        texts = ["null"] * len(properties)
    else:
        if len(geometries) != len(properties):
            raise ValueError(
                f"{len(geometries)} geometries for {len(properties)} sets of properties"
            )
        texts = geometry_texts(geometries, decimals=decimals)
    features = [
        '{"type":"Feature","properties":'
        + json.dumps(json_value(props), ensure_ascii=False, allow_nan=False)
        + ',"geometry":'
        + geometry
        + "}"
        for props, geometry in zip(properties, texts, strict=True)
        if not (drop_empty and geometry == "null")
    ]
    head = '{"type":"FeatureCollection",'
    if name is not None:
        head += '"name":' + json.dumps(name, ensure_ascii=False) + ","
    tail = "".join(
        ","
        + json.dumps(str(k), ensure_ascii=False)
        + ":"
        + json.dumps(json_value(v), ensure_ascii=False, allow_nan=False)
        for k, v in (members or {}).items()
    )
    return head + '"features":[\n' + ",\n".join(features) + "\n]" + tail + "}\n"


def to_feature_collection(
    geometries: gpd.GeoSeries | None,
    properties: Sequence[Mapping[str, Any]],
    *,
    name: str | None = None,
    decimals: int = GEOJSON_DECIMALS,
    drop_empty: bool = False,
    members: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection as a dict (see :func:`feature_collection_text`)."""
    doc: dict[str, Any] = json.loads(
        feature_collection_text(
            geometries,
            properties,
            name=name,
            decimals=decimals,
            drop_empty=drop_empty,
            members=members,
        )
    )
    return doc


def frame_records(
    frame: pd.DataFrame, columns: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Return the rows of ``frame`` (its non-geometry columns, or ``columns``) as dicts."""
    if columns is None:
        geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
        columns = [c for c in frame.columns if c != geometry]
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def frame_to_feature_collection(
    frame: gpd.GeoDataFrame,
    *,
    columns: Sequence[str] | None = None,
    name: str | None = None,
    decimals: int = GEOJSON_DECIMALS,
    drop_empty: bool = False,
    members: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a GeoDataFrame as an RFC 7946 FeatureCollection (its columns as properties).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> frame = gpd.GeoDataFrame({"parcel_id": ["p1"], "area_mu": [1.5]},
    ...     geometry=[shapely.box(470000, 4080000, 470100, 4080100)], crs="EPSG:4543")
    >>> frame_to_feature_collection(frame)["features"][0]["properties"]
    {'parcel_id': 'p1', 'area_mu': 1.5}
    """
    return to_feature_collection(
        frame.geometry,
        frame_records(frame, columns),
        name=name,
        decimals=decimals,
        drop_empty=drop_empty,
        members=members,
    )


class PlanWithFeatures(Protocol):
    """A phase plan that can list its parcels as features (:class:`zoning.planning.PhasePlan`)."""

    def to_feature_frame(self) -> gpd.GeoDataFrame:
        """Return the parcels with their phase, reason and project, as features."""
        ...


def plan_to_feature_collection(plan: PlanWithFeatures, *, notice: str = "") -> dict[str, Any]:
    """Return a phase plan's parcels as an RFC 7946 FeatureCollection (WGS84 lon/lat).

    Each feature carries ``parcel_id``, ``zone_id``, ``status``, ``land_use_code``,
    ``area_mu``, ``phase`` (null when closed), ``reason`` (why a vacant or protected
    parcel stays closed) and ``project_id`` (the project that opens it, if any)
    (:meth:`zoning.planning.PhasePlan.to_feature_frame`); a park's ``notice`` (an
    illustrative dataset says so) is a top-level member.
    """
    return frame_to_feature_collection(
        plan.to_feature_frame(), members={"notice": notice} if notice else None
    )


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
]
