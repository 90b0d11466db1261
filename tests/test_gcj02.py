"""WGS84 <-> GCJ-02: published reference pairs, the offset near the park, round trips."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.testing import assert_geometries_equal

from zoning import gcj02
from zoning.units import METRIC_CRS, WGS84

GEOD = Geod(ellps="WGS84")

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat): the test vectors of eviltransform
# (github.com/googollee/eviltransform, python/test.py and go/transform_test.go), whose
# GCJ-02 values were published with the reverse-engineered algorithm.
REFERENCE_PAIRS = [
    pytest.param(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597, id="shanghai"),
    pytest.param(113.912316, 22.543847, 113.9171764808363, 22.540796131694766, id="shenzhen"),
    pytest.param(116.377817, 39.911954, 116.38404722455657, 39.91334545536069, id="beijing"),
]


def shift_m(lon: float, lat: float, to_lon: float, to_lat: float) -> tuple[float, float]:
    """East and north components, metres, of the move from one point to another."""
    azimuth, _, distance = GEOD.inv(lon, lat, to_lon, to_lat)
    rad = np.radians(azimuth)
    return float(distance * np.sin(rad)), float(distance * np.cos(rad))


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), REFERENCE_PAIRS)
def test_forward_matches_published_pairs(wlon: float, wlat: float, glon: float, glat: float):
    lon, lat = gcj02.wgs84_to_gcj02(wlon, wlat)
    assert float(lon) == pytest.approx(glon, abs=1e-9)
    assert float(lat) == pytest.approx(glat, abs=1e-9)


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), REFERENCE_PAIRS)
def test_inverse_recovers_published_wgs84(wlon: float, wlat: float, glon: float, glat: float):
    # eviltransform's "exact" inverse promises < 0.5 m; the iteration here does far better
    lon, lat = gcj02.gcj02_to_wgs84(glon, glat)
    _, _, error_m = GEOD.inv(float(lon), float(lat), wlon, wlat)
    assert error_m < 0.01


@pytest.mark.parametrize(
    ("lon", "lat", "east_m", "north_m"),
    [
        # shared/reference/crs_and_units.csv: computed with the public algorithm
        pytest.param(101.68, 36.93, 168.0, 6.0, id="qiaotou-datong"),
        pytest.param(101.78, 36.62, 172.0, -9.0, id="xining"),
    ],
)
def test_offset_near_the_park(lon: float, lat: float, east_m: float, north_m: float):
    glon, glat = gcj02.wgs84_to_gcj02(lon, lat)
    east, north = shift_m(lon, lat, float(glon), float(glat))
    assert east == pytest.approx(east_m, abs=1.5)
    assert north == pytest.approx(north_m, abs=1.5)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        pytest.param(2.35, 48.85, id="paris"),
        pytest.param(139.69, 35.69, id="tokyo-east-of-box"),
        pytest.param(0.0, 0.0, id="null-island"),
        pytest.param(101.7, 56.0, id="north-of-box"),
    ],
)
def test_outside_china_is_identity(lon: float, lat: float):
    assert gcj02.out_of_china(lon, lat)
    assert gcj02.wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02.gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_vectorised_keeps_shape_and_nan():
    lon = np.array([[101.68, 2.35], [np.nan, 116.377817]])
    lat = np.array([[36.93, 48.85], [30.0, 39.911954]])
    glon, glat = gcj02.wgs84_to_gcj02(lon, lat)
    assert glon.shape == glat.shape == (2, 2)
    assert np.isnan(glon[1, 0])
    assert np.isnan(glat[1, 0])  # a point with a missing coordinate stays missing
    assert glon[0, 1] == 2.35  # Paris untouched beside Chinese points
    assert glon[1, 1] == pytest.approx(116.38404722455657, abs=1e-9)
    back_lon, back_lat = gcj02.gcj02_to_wgs84(glon, glat)
    known = ~np.isnan(lon)
    np.testing.assert_allclose(back_lon[known], lon[known], atol=1e-9)
    np.testing.assert_allclose(back_lat[known], lat[known], atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    lon=st.floats(min_value=73.0, max_value=135.0),
    lat=st.floats(min_value=18.0, max_value=53.5),
)
def test_round_trip_inside_china(lon: float, lat: float):
    glon, glat = gcj02.wgs84_to_gcj02(lon, lat)
    _, _, offset_m = GEOD.inv(lon, lat, float(glon), float(glat))
    assert 1.0 < offset_m < 1000.0  # GCJ-02 always moves a point, by hundreds of metres
    back_lon, back_lat = gcj02.gcj02_to_wgs84(glon, glat)
    assert float(back_lon) == pytest.approx(lon, abs=1e-9)
    assert float(back_lat) == pytest.approx(lat, abs=1e-9)


def test_to_gcj02_shifts_every_vertex_and_keeps_attributes():
    square = shapely.box(471_500, 4_087_000, 472_000, 4_087_400)  # EPSG:4543, at Qiaotou
    line = shapely.LineString([(471_500, 4_087_000), (472_500, 4_088_000)])
    gdf = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[square, line], crs=METRIC_CRS)
    shifted = gcj02.to_gcj02(gdf)
    assert shifted.crs.equals(WGS84)
    assert shifted["name"].tolist() == ["a", "b"]
    before = gdf.to_crs(WGS84).get_coordinates()
    after = shifted.get_coordinates()
    assert len(before) == len(after)
    for (x0, y0), (x1, y1) in zip(before.to_numpy(), after.to_numpy(), strict=True):
        east, north = shift_m(x0, y0, x1, y1)
        assert 160.0 < east < 180.0
        assert abs(north) < 15.0
    # nearly a translation: GCJ-02's wobble stretches the square by well under 1 %
    area_before = gdf.geometry.area.iloc[0]
    area_after = shifted.to_crs(METRIC_CRS).geometry.area.iloc[0]
    assert area_after == pytest.approx(area_before, rel=1e-2)
    assert area_after != pytest.approx(area_before, rel=1e-6)
    # and the input is left alone
    assert gdf.crs.equals(METRIC_CRS)


def test_from_gcj02_undoes_to_gcj02():
    gdf = gpd.GeoDataFrame(
        geometry=[shapely.box(101.70, 36.90, 101.71, 36.91), shapely.Point(101.68, 36.93)],
        crs=WGS84,
    )
    back = gcj02.from_gcj02(gcj02.to_gcj02(gdf))
    assert_geometries_equal(back.geometry.to_numpy(), gdf.geometry.to_numpy(), tolerance=1e-9)


@pytest.mark.parametrize("func", [gcj02.to_gcj02, gcj02.from_gcj02], ids=["to", "from"])
def test_shifting_needs_a_crs(func):
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(101.68, 36.93)])
    with pytest.raises(ValueError, match="no CRS"):
        func(gdf)
