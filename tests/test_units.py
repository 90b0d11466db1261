"""Areas and CRS handling, checked against independent computations."""

from __future__ import annotations

import geopandas as gpd
import pyproj
import pytest
import shapely

from zoning.units import (
    M2_PER_MU,
    METRIC_CRS,
    WGS84,
    ha_from_m2,
    m2_from_mu,
    mu_from_m2,
    to_metric,
    to_wgs84,
    with_area_columns,
)


def test_mu_is_exactly_ten_thousand_fifteenths_of_a_square_metre() -> None:
    assert M2_PER_MU == pytest.approx(666.6666667, abs=1e-7)
    assert mu_from_m2(1_000_000.0) == pytest.approx(1500.0)  # 1 km² = 1500 mu
    assert ha_from_m2(10_000.0) == 1.0
    assert m2_from_mu(15.0) == pytest.approx(10_000.0)  # 15 mu = 1 ha


def test_area_of_a_known_rectangle_in_gauss_kruger() -> None:
    # a 300 m x 200 m rectangle near Qiaotou, defined in EPSG:4543, stored as WGS84
    rect = shapely.box(472_000, 4_086_000, 472_300, 4_086_200)
    wgs = gpd.GeoDataFrame(geometry=[rect], crs=METRIC_CRS).to_crs(WGS84)
    out = with_area_columns(wgs)
    assert out["area_m2"].iloc[0] == pytest.approx(60_000.0, abs=0.05)
    assert out["area_ha"].iloc[0] == pytest.approx(6.0, abs=1e-5)
    assert out["area_mu"].iloc[0] == pytest.approx(90.0, abs=1e-4)


def test_area_agrees_with_geodesic_area_on_the_ellipsoid() -> None:
    # independent: geodesic area on GRS80 with pyproj.Geod, from the lon/lat polygon
    lonlat = shapely.Polygon([(101.70, 36.90), (101.72, 36.90), (101.72, 36.915), (101.70, 36.915)])
    geod = pyproj.Geod(ellps="GRS80")
    geodesic_m2 = abs(geod.geometry_area_perimeter(lonlat)[0])
    gdf = gpd.GeoDataFrame(geometry=[lonlat], crs=WGS84)
    metric_m2 = with_area_columns(gdf)["area_m2"].iloc[0]
    # Gauss-Krüger scale error ~0.3° from the central meridian is about 1e-5
    assert metric_m2 == pytest.approx(geodesic_m2, rel=5e-5)


def test_metric_crs_is_cgcs2000_gauss_kruger_cm_102() -> None:
    crs = pyproj.CRS(METRIC_CRS)
    params = {p.name: p.value for p in crs.coordinate_operation.params}
    assert params["Longitude of natural origin"] == 102
    assert params["False easting"] == 500_000
    assert crs.geodetic_crs.name == "China Geodetic Coordinate System 2000"


def test_round_trip_metric_wgs84_is_centimetre_exact() -> None:
    pt = shapely.Point(101.7062, 36.9147)
    gdf = gpd.GeoDataFrame(geometry=[pt], crs=WGS84)
    back = to_wgs84(to_metric(gdf)).geometry.iloc[0]
    to_m = pyproj.Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
    (x0, x1), (y0, y1) = to_m.transform([pt.x, back.x], [pt.y, back.y])
    assert abs(x1 - x0) < 0.01
    assert abs(y1 - y0) < 0.01


def test_reprojecting_without_crs_is_refused() -> None:
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    with pytest.raises(ValueError, match="has no CRS"):
        to_metric(gdf)
    with pytest.raises(ValueError, match="has no CRS"):
        to_wgs84(gdf)
