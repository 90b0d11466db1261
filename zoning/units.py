"""Coordinate reference systems and area units.

Storage and exchange use WGS84 longitude/latitude (RFC 7946) or CGCS2000 (EPSG:4490);
every metric computation (area, distance, buffer) happens in CGCS2000 / 3-degree
Gauss-Krüger CM 102E (EPSG:4543), never in degrees.

Examples
--------
>>> round(mu_from_m2(10000 / 15), 6)
1.0
>>> ha_from_m2(15_000.0)
1.5
"""

from __future__ import annotations

from typing import Final, TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt

from zoning import schema as s

#: WGS84 longitude/latitude, the exchange CRS of GeoJSON (RFC 7946)
WGS84: Final = "EPSG:4326"
#: CGCS2000 geographic, China's national datum
CGCS2000: Final = "EPSG:4490"
#: CGCS2000 / 3-degree Gauss-Krüger CM 102E (no zone prefix): all metric work happens here
METRIC_CRS: Final = "EPSG:4543"
#: CGCS2000 / 3-degree Gauss-Krüger zone 34 (with the zone prefix in the false easting)
METRIC_CRS_ZONE_PREFIX: Final = "EPSG:4522"
#: longitudes covered by the 3-degree zone of CM 102E
METRIC_CRS_LON_RANGE: Final = (100.5, 103.5)

#: square metres in one mu (亩), exactly 10000/15
M2_PER_MU: Final = 10000.0 / 15.0
#: square metres in one hectare
M2_PER_HA: Final = 10000.0

FloatArray = npt.NDArray[np.float64]
ArrayOrFloat = TypeVar("ArrayOrFloat", float, FloatArray)


def mu_from_m2(area_m2: ArrayOrFloat) -> ArrayOrFloat:
    """Convert square metres to mu (1 mu = 10000/15 m²)."""
    return area_m2 / M2_PER_MU


def m2_from_mu(area_mu: ArrayOrFloat) -> ArrayOrFloat:
    """Convert mu to square metres."""
    return area_mu * M2_PER_MU


def ha_from_m2(area_m2: ArrayOrFloat) -> ArrayOrFloat:
    """Convert square metres to hectares."""
    return area_m2 / M2_PER_HA


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` in the metric CRS (EPSG:4543); a no-op when it already is.

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS: reprojecting unknown coordinates would be a guess.
    """
    if gdf.crs is None:
        raise ValueError(
            "the GeoDataFrame has no CRS; set it first (gdf.set_crs('EPSG:4326') for lon/lat)"
        )
    if gdf.crs.equals(METRIC_CRS):
        return gdf
    return gdf.to_crs(METRIC_CRS)


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` in WGS84 longitude/latitude; a no-op when it already is."""
    if gdf.crs is None:
        raise ValueError("the GeoDataFrame has no CRS; set it before reprojecting")
    if gdf.crs.equals(WGS84):
        return gdf
    return gdf.to_crs(WGS84)


def with_area_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``area_m2``, ``area_ha`` and ``area_mu`` computed in the metric CRS.

    The input may be in any CRS; areas are always computed after projecting to EPSG:4543.

    Examples
    --------
    >>> import shapely
    >>> gdf = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 100, 150)], crs=METRIC_CRS)
    >>> with_area_columns(gdf)[["area_m2", "area_ha", "area_mu"]].round(3).values.tolist()
    [[15000.0, 1.5, 22.5]]
    """
    area_m2 = to_metric(gdf).geometry.area.to_numpy(dtype=float)
    out = gdf.copy()
    out[s.AREA_M2] = area_m2
    out[s.AREA_HA] = ha_from_m2(area_m2)
    out[s.AREA_MU] = mu_from_m2(area_m2)
    return out
