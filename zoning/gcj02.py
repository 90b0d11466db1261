"""WGS84 ↔ GCJ-02 ("Mars coordinates"), the datum of Amap/Gaode tiles.

Web maps published in China (Amap/Gaode, Tencent, Google's China tiles) draw their tiles in
GCJ-02, an obfuscated variant of WGS84 whose offset varies smoothly over the country (about
170 m near Xining). Overlays in WGS84 or CGCS2000 must therefore be shifted into GCJ-02
before they are drawn on such tiles, or roads and parcels will not line up. Outside China the
transform is the identity.

The forward formula is the public reverse-engineered one (ellipsoid ``a = 6378245.0``,
``ee = 0.00669342162296594323``, used by eviltransform and its many ports). It has no closed
inverse; :func:`gcj02_to_wgs84` inverts it by fixed-point iteration to well under a
millimetre, far better than the 1–2 m of the usual one-step inverse.

Everything is vectorised with numpy: scalars or arrays of any shape go in, the same shape comes
out. Coordinates are (longitude, latitude) in degrees, in that order, as in GeoJSON.

Examples
--------
>>> lon, lat = wgs84_to_gcj02(121.5272106, 31.1774276)   # Shanghai
>>> round(float(lon), 6), round(float(lat), 6)
(121.531542, 31.175304)
>>> back = gcj02_to_wgs84(lon, lat)
>>> round(float(back[0]), 7), round(float(back[1]), 7)
(121.5272106, 31.1774276)
>>> wgs84_to_gcj02(2.35, 48.85)                           # Paris: outside China, unchanged
(array(2.35), array(48.85))
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from zoning.units import WGS84

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | npt.ArrayLike

#: semi-major axis of the Krasovsky 1940 ellipsoid used by the GCJ-02 formula, metres
A_M: Final = 6378245.0
#: first eccentricity squared of that ellipsoid
EE: Final = 0.00669342162296594323
#: the box outside which GCJ-02 equals WGS84: (min_lon, min_lat, max_lon, max_lat)
CHINA_BOUNDS: Final = (72.004, 0.8293, 137.8347, 55.8271)
#: the inverse stops when a step moves less than this, degrees (≈ 0.01 mm)
INVERSE_TOLERANCE_DEG: Final = 1e-10
#: the inverse stops after this many steps in any case (it needs 3–5 near the park)
INVERSE_MAX_ITERATIONS: Final = 30


def out_of_china(lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.bool_]:
    """Return True where a point lies outside the box in which GCJ-02 applies.

    Parameters
    ----------
    lon, lat
        Longitude and latitude in degrees (scalars or arrays of one shape).

    Examples
    --------
    >>> out_of_china([101.68, 2.35], [36.93, 48.85]).tolist()
    [False, True]
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    min_lon, min_lat, max_lon, max_lat = CHINA_BOUNDS
    result: npt.NDArray[np.bool_] = (x < min_lon) | (x > max_lon) | (y < min_lat) | (y > max_lat)
    return result


def _offset_deg(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return the GCJ-02 offset (dlon, dlat) in degrees at WGS84 points inside China."""
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    # the periodic "noise" terms shared by both components
    common = (20.0 * np.sin(6.0 * np.pi * x) + 20.0 * np.sin(2.0 * np.pi * x)) * 2.0 / 3.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * sqrt_abs_x
        + common
        + (20.0 * np.sin(np.pi * y) + 40.0 * np.sin(np.pi * y / 3.0)) * 2.0 / 3.0
        + (160.0 * np.sin(np.pi * y / 12.0) + 320.0 * np.sin(np.pi * y / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * sqrt_abs_x
        + common
        + (20.0 * np.sin(np.pi * x) + 40.0 * np.sin(np.pi * x / 3.0)) * 2.0 / 3.0
        + (150.0 * np.sin(np.pi * x / 12.0) + 300.0 * np.sin(np.pi * x / 30.0)) * 2.0 / 3.0
    )
    rad_lat = np.radians(lat)
    magic = 1.0 - EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat_deg = (dlat * 180.0) / ((A_M * (1.0 - EE)) / (magic * sqrt_magic) * np.pi)
    dlon_deg = (dlon * 180.0) / (A_M / sqrt_magic * np.cos(rad_lat) * np.pi)
    return dlon_deg, dlat_deg


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Shift WGS84 (or CGCS2000) coordinates into GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS84 longitude and latitude in degrees, scalars or arrays of one shape.

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 longitude and latitude, of the input's shape. Points outside China are
        returned unchanged; a point with a NaN coordinate comes out as NaN.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02([116.377817], [39.911954])      # Beijing
    >>> [round(float(lon[0]), 6), round(float(lat[0]), 6)]
    [116.384047, 39.913345]
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    dlon, dlat = _offset_deg(x, y)
    outside = out_of_china(x, y)
    return np.where(outside, x, x + dlon), np.where(outside, y, y + dlat)


def gcj02_to_wgs84(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    tolerance_deg: float = INVERSE_TOLERANCE_DEG,
    max_iterations: int = INVERSE_MAX_ITERATIONS,
) -> tuple[FloatArray, FloatArray]:
    """Shift GCJ-02 coordinates back to WGS84, by fixed-point iteration.

    The forward offset changes slowly in space, so ``w ← w − (f(w) − g)`` converges fast:
    each step shrinks the error about a thousandfold.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitude and latitude in degrees, scalars or arrays of one shape.
    tolerance_deg
        Stop when no point moves more than this in a step, degrees.
    max_iterations
        Stop after this many steps in any case.

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitude and latitude, of the input's shape; unchanged outside China.

    Examples
    --------
    >>> lon, lat = gcj02_to_wgs84(116.38404722455657, 39.91334545536069)   # Beijing
    >>> round(float(lon), 6), round(float(lat), 6)
    (116.377817, 39.911954)
    """
    gx = np.asarray(lon, dtype=float)
    gy = np.asarray(lat, dtype=float)
    wx, wy = gx.copy(), gy.copy()
    for _ in range(max_iterations):
        fx, fy = wgs84_to_gcj02(wx, wy)
        step_x, step_y = fx - gx, fy - gy
        wx, wy = wx - step_x, wy - step_y
        finite = np.isfinite(step_x) & np.isfinite(step_y)
        if (
            not finite.any()
            or max(
                float(np.max(np.abs(step_x[finite]), initial=0.0)),
                float(np.max(np.abs(step_y[finite]), initial=0.0)),
            )
            < tolerance_deg
        ):
            break
    return wx, wy


def _forward_xy(coords: FloatArray) -> FloatArray:
    lon, lat = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _inverse_xy(coords: FloatArray) -> FloatArray:
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def to_gcj02(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` in WGS84 with every vertex shifted into GCJ-02.

    The result is only for drawing on GCJ-02 tiles: its CRS stays labelled EPSG:4326
    because no EPSG code describes GCJ-02, so never compute with it or write it out as
    WGS84.

    Parameters
    ----------
    gdf
        Features in any CRS (projected to WGS84 first).

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS.

    Examples
    --------
    >>> gdf = gpd.GeoDataFrame(geometry=[shapely.Point(101.68, 36.93)], crs="EPSG:4326")
    >>> shifted = to_gcj02(gdf)          # Qiaotou: about 168 m east, 6 m north
    >>> from zoning.units import to_metric
    >>> dx, dy = (to_metric(shifted).get_coordinates() - to_metric(gdf).get_coordinates()).iloc[0]
    >>> round(float(dx)), round(float(dy))
    (168, 6)
    """
    if gdf.crs is None:
        raise ValueError("the GeoDataFrame has no CRS; set it before shifting to GCJ-02")
    out = gdf.to_crs(WGS84) if not gdf.crs.equals(WGS84) else gdf.copy()
    out[out.geometry.name] = shapely.transform(out.geometry.to_numpy(), _forward_xy)
    return out


def from_gcj02(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` (GCJ-02 coordinates labelled WGS84) shifted back to WGS84.

    Use it for coordinates digitised on Amap/Gaode tiles or copied from Amap's API.

    Examples
    --------
    >>> gdf = gpd.GeoDataFrame(geometry=[shapely.Point(101.68, 36.93)], crs="EPSG:4326")
    >>> back = from_gcj02(to_gcj02(gdf))
    >>> [round(float(v), 9) for v in (back.geometry.x[0], back.geometry.y[0])]
    [101.68, 36.93]
    """
    if gdf.crs is None:
        raise ValueError("the GeoDataFrame has no CRS; set it to EPSG:4326 for GCJ-02 input")
    out = gdf.copy()
    out[out.geometry.name] = shapely.transform(out.geometry.to_numpy(), _inverse_xy)
    return out
