"""The one GeoJSON writer (zoning.geojson, written to disk by zoning.io.geojson): RFC 7946 output
for check, sequence, export and maps."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

import zoning
from tests.conftest import need_tool
from zoning import schema as s
from zoning.errors import ExportError
from zoning.fit import to_feature_collection as fit_feature_collection
from zoning.fit import to_records
from zoning.io import bundled_park_dir, read_projects
from zoning.io.geojson import (
    GEOJSON_DECIMALS,
    feature_collection_text,
    frame_records,
    frame_to_feature_collection,
    geometry_texts,
    json_value,
    plan_to_feature_collection,
    to_feature_collection,
    write_feature_collection,
)

X0, Y0 = 470_000.0, 4_080_000.0


def clockwise_square_with_hole() -> shapely.Polygon:
    outer = [(X0, Y0), (X0, Y0 + 100), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0)]
    hole = [(X0 + 40, Y0 + 40), (X0 + 60, Y0 + 40), (X0 + 60, Y0 + 60), (X0 + 40, Y0 + 60)]
    return shapely.Polygon(outer, [hole])


def metric(geoms: list[shapely.Geometry | None]) -> gpd.GeoSeries:
    return gpd.GeoSeries(geoms, crs="EPSG:4543")


def test_coordinates_are_wgs84_lon_lat_rounded_to_seven_decimals() -> None:
    doc = to_feature_collection(metric([shapely.Point(X0 + 0.123, Y0 + 0.456)]), [{}])
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    expected = Transformer.from_crs("EPSG:4543", "EPSG:4326", always_xy=True).transform(
        X0 + 0.123, Y0 + 0.456
    )
    assert (lon, lat) == (round(expected[0], 7), round(expected[1], 7))
    assert 101 < lon < 103
    assert 36 < lat < 37.5
    assert "crs" not in doc
    assert GEOJSON_DECIMALS == 7


def test_exterior_rings_counter_clockwise_and_holes_clockwise() -> None:
    doc = to_feature_collection(metric([clockwise_square_with_hole()]), [{}])
    written = shapely.geometry.shape(doc["features"][0]["geometry"])
    assert written.exterior.is_ccw
    assert not written.interiors[0].is_ccw


def test_missing_and_empty_geometries_are_null_or_dropped() -> None:
    geoms = metric([shapely.box(X0, Y0, X0 + 10, Y0 + 10), None, shapely.Polygon()])
    props = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    doc = to_feature_collection(geoms, props)
    assert [f["geometry"] is None for f in doc["features"]] == [False, True, True]
    dropped = to_feature_collection(geoms, props, drop_empty=True)
    assert [f["properties"]["id"] for f in dropped["features"]] == ["a"]
    none = to_feature_collection(None, props)
    assert all(f["geometry"] is None for f in none["features"])


def test_geometries_without_crs_are_refused() -> None:
    with pytest.raises(ValueError, match=r"GeoJSON needs to know the geometries' CRS"):
        geometry_texts(gpd.GeoSeries([shapely.Point(1, 1)]))


def test_one_geometry_per_set_of_properties() -> None:
    with pytest.raises(ValueError, match="2 geometries for 1 sets of properties"):
        feature_collection_text(metric([shapely.Point(X0, Y0)] * 2), [{}])


def test_properties_become_json_values_and_chinese_stays_as_is() -> None:
    props = [
        {
            "name_zh": "北川工业园区",
            "n": np.int64(3),
            "x": np.float64("nan"),
            "missing": pd.NA,
            "rules": ("a", "b"),
        }
    ]
    text = feature_collection_text(None, props, name="zones", members={"notice": "示意数据"})
    assert "北川工业园区" in text
    assert "示意数据" in text
    doc = json.loads(text)
    assert doc["name"] == "zones"
    assert doc["notice"] == "示意数据"
    assert doc["features"][0]["properties"] == {
        "name_zh": "北川工业园区",
        "n": 3,
        "x": None,
        "missing": None,
        "rules": ["a", "b"],
    }
    assert json_value([np.bool_(True), float("inf")]) == [True, None]


def test_fewer_decimals_for_a_screen() -> None:
    geoms = metric([shapely.Point(X0 + 0.123, Y0 + 0.456)])
    lon, _ = to_feature_collection(geoms, [{}], decimals=5)["features"][0]["geometry"][
        "coordinates"
    ]
    assert lon == round(lon, 5)


def test_frame_columns_are_the_properties() -> None:
    frame = gpd.GeoDataFrame(
        {"parcel_id": ["p1", "p2"], "area_mu": [1.5, np.nan]},
        geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10), None],
        crs="EPSG:4543",
    )
    doc = frame_to_feature_collection(frame, columns=["parcel_id"])
    assert [f["properties"] for f in doc["features"]] == [{"parcel_id": "p1"}, {"parcel_id": "p2"}]
    assert frame_records(frame)[0] == {"parcel_id": "p1", "area_mu": 1.5}
    assert frame_to_feature_collection(frame)["features"][1]["properties"]["area_mu"] is None


def test_written_file_is_read_back_by_geopandas(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"zone_id": ["城区"]}, geometry=[clockwise_square_with_hole()], crs="EPSG:4543"
    )
    target = write_feature_collection(tmp_path / "zones.geojson", frame, name="zones")
    back = gpd.read_file(target)
    assert back.crs.to_epsg() == 4326
    assert back["zone_id"].tolist() == ["城区"]
    area = back.to_crs("EPSG:4543").area.iloc[0]
    assert area == pytest.approx(frame.area.iloc[0], rel=1e-4)
    assert [p.name for p in tmp_path.iterdir()] == ["zones.geojson"]


def test_write_into_a_missing_directory_is_an_export_error(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(X0, Y0)], crs="EPSG:4543")
    with pytest.raises(ExportError, match="does not exist"):
        write_feature_collection(tmp_path / "nowhere" / "x.geojson", frame)


@pytest.mark.gdal
def test_gdal_reads_the_text_as_geojson(tmp_path: Path) -> None:
    need_tool(shutil.which("ogrinfo") is not None, "GDAL's ogrinfo (Debian gdal-bin)")
    target = tmp_path / "parcels.geojson"
    text = feature_collection_text(
        metric([clockwise_square_with_hole(), None]), [{"id": "a"}, {"id": "b"}], name="parcels"
    )
    target.write_text(text, encoding="utf-8")
    out = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(target)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LANG": "C.UTF-8"},
    ).stdout
    assert "Layer name: parcels" in out
    assert "Feature Count: 2" in out
    assert "WGS 84" in out


# --------------------------------------------------------------------------- the call sites


def test_phase_plan_features() -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=1000, phases=3)
    doc = plan_to_feature_collection(plan, notice=park.notice)
    assert len(doc["features"]) == len(park.parcels)
    props = [f["properties"] for f in doc["features"]]
    assert list(props[0]) == [
        s.PARCEL_ID,
        s.ZONE_ID,
        s.STATUS,
        s.LAND_USE_CODE,
        s.AREA_MU,
        s.PHASE,
        s.REASON,
        s.PROJECT_ID,
    ]
    per_phase = pd.Series([p[s.PHASE] for p in props]).value_counts()
    assert per_phase.get(1) == int(plan.metrics[s.N_PARCELS].iloc[0])
    assert all(p[s.AREA_MU] == round(p[s.AREA_MU], 2) for p in props)
    assert all(p[s.PROJECT_ID] is None for p in props)
    closed = {p[s.PARCEL_ID]: p[s.REASON] for p in props if p[s.REASON] is not None}
    assert closed == dict(
        zip(plan.unscheduled[s.PARCEL_ID], plan.unscheduled[s.REASON], strict=True)
    )
    assert doc.get("notice") == (park.notice or None)


def test_phase_plan_features_name_the_project_that_opens_each_parcel() -> None:
    park = zoning.load_park()
    fit = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    plan = zoning.sequence(park, quota_mu=1500, phases=3, projects=fit)
    doc = plan_to_feature_collection(plan)
    opened_by = {
        f["properties"][s.PARCEL_ID]: f["properties"][s.PROJECT_ID]
        for f in doc["features"]
        if f["properties"][s.PROJECT_ID] is not None
    }
    expected = {
        pid: row[s.PROJECT_ID]
        for row in plan.assignments.to_dict("records")
        for pid in row[s.PARCEL_IDS]
    }
    assert expected
    assert opened_by == expected


def test_check_results_as_features_match_the_fit_collection() -> None:
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    ours = to_feature_collection(results.geometry, to_records(results))
    theirs = fit_feature_collection(results)
    assert [f["properties"] for f in ours["features"]] == [
        json.loads(json.dumps(f["properties"])) for f in theirs["features"]
    ]
    for mine, old in zip(ours["features"], theirs["features"], strict=True):
        assert (mine["geometry"] is None) == (old["geometry"] is None)
        if mine["geometry"] is not None:
            a = shapely.geometry.shape(mine["geometry"])
            b = shapely.geometry.shape(old["geometry"])
            assert shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), 1e-6)
