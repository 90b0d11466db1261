"""The bundled Beichuan park: valid, illustrative, and placed on the real anchors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from zoning import load_park, summarize_zones
from zoning.io import bundled_park_dir
from zoning.park import Park
from zoning.units import METRIC_CRS

POWER_STATION_WGS84 = [(101.706243, 36.914661), (101.715099, 36.906390)]
QIAOTOU_TOWN_WGS84 = (101.6823, 36.9313)


@pytest.fixture(scope="module")
def park() -> Park:
    return load_park()


def _metric_points(points: list[tuple[float, float]]) -> gpd.GeoSeries:
    return gpd.GeoSeries([shapely.Point(p) for p in points], crs="EPSG:4326").to_crs(METRIC_CRS)


def test_loads_without_warnings(park: Park) -> None:
    assert park.zones.crs.to_epsg() == 4543
    assert park.warnings == ()


def test_four_zones_of_the_article(park: Park) -> None:
    zones = park.zones.set_index("zone_id")
    assert set(zones.index) == {"almg", "bonded", "incubation", "integration"}
    assert zones.loc["almg", "name_zh"] == "铝镁产业聚集区"
    assert zones.loc["integration", "name_zh"] == "产城融合发展区"
    assert zones.loc["almg", "priority"] == 1
    assert zones.loc["integration", "development_mode"] == "maintain_current"


def test_is_labelled_illustrative(park: Park) -> None:
    assert park.illustrative
    assert "illustrative" in park.notice.lower()
    readme = (bundled_park_dir() / "README.md").read_text(encoding="utf-8")
    assert "illustrative" in readme.lower()
    meta = json.loads((bundled_park_dir() / "metadata.json").read_text(encoding="utf-8"))
    assert meta["illustrative"] is True
    assert any("CC BY 4.0" in json.dumps(c, ensure_ascii=False) for c in meta["credits"])


def test_power_station_points_lie_in_developed_cluster_parcels(park: Park) -> None:
    points = _metric_points(POWER_STATION_WGS84)
    almg = park.zones.loc[park.zones["zone_id"] == "almg"].geometry.iloc[0]
    assert shapely.contains(almg, points.to_numpy()).all()
    hit = park.parcels.sindex.query(points.to_numpy(), predicate="within")
    assert len(hit[0]) == 2
    assert set(park.parcels.iloc[hit[1]]["status"]) == {"developed"}


def test_integration_area_is_beside_the_town_and_the_cluster_is_not(park: Park) -> None:
    town = _metric_points([QIAOTOU_TOWN_WGS84]).iloc[0]
    distance_m = park.zones.set_index("zone_id").distance(town)
    assert distance_m["integration"] < 1000
    assert distance_m["integration"] == distance_m.min()
    assert distance_m["almg"] > 1500


def test_several_hundred_parcels_of_industrial_sizes(park: Park) -> None:
    assert 300 <= len(park.parcels) <= 600
    industrial = park.parcels[park.parcels["zone_id"] != "integration"]["area_mu"]
    assert industrial.median() >= 20
    assert industrial.max() <= 600
    status_share = park.parcels["status"].value_counts(normalize=True)
    assert 0.4 <= status_share["vacant"] <= 0.75
    assert status_share["developed"] >= 0.1
    assert {"committed", "protected"} <= set(status_share.index)


def test_land_budget_adds_up(park: Park) -> None:
    summary = summarize_zones(park)
    assert summary["parcels"].sum() == len(park.parcels)
    statuses = ["developed_mu", "committed_mu", "vacant_mu", "protected_mu"]
    assert summary[statuses].sum(axis=1).to_numpy() == pytest.approx(summary["parcel_mu"])
    # parcels never exceed their zone (roads and setbacks take the rest)
    assert (summary["parcel_mu"] <= summary["area_mu"]).all()


def test_wastewater_demand_leaves_capacity(park: Park) -> None:
    used = park.parcels.loc[
        park.parcels["status"].isin(["developed", "committed"]), "wastewater_tpd"
    ].sum()
    assert 0 < used < park.rulebook.capacities["wastewater_tpd"].value


def test_has_a_river_setback_crossing_the_zones(park: Park) -> None:
    setback = park.constraints[park.constraints["kind"] == "river_setback"]
    assert len(setback) >= 1
    assert setback.intersects(park.zones.union_all()).any()
    overlap_m2 = shapely.area(
        shapely.intersection(park.parcels.geometry.to_numpy(), setback.union_all())
    )
    assert overlap_m2.sum() < 1.0


def test_generator_is_deterministic(tmp_path: Path) -> None:
    script = bundled_park_dir() / "generate.py"
    result = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in ("zones", "parcels", "constraints", "infrastructure", "context"):
        fresh = (tmp_path / f"{name}.geojson").read_bytes()
        assert fresh == (bundled_park_dir() / f"{name}.geojson").read_bytes(), name
