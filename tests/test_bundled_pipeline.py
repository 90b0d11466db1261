"""The bundled Beichuan project pipeline: every proposal's verdict, with the rule that decides it.

``gis_data/beichuan/projects.csv`` holds 22 proposals drawn from the article's chains and zones;
each row's ``note`` says why it is there. Sites were computed from the bundled parcels and
frozen as WKT; the last tests check that they still sit where their notes say.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import zoning
from zoning import schema as s
from zoning.batch import project_verdicts
from zoning.cli.check import OutputFormat, render_check_results
from zoning.fit import build_park_facts
from zoning.io import bundled_park_dir, read_projects
from zoning.park import Park
from zoning.siting import propose_sites
from zoning.units import METRIC_CRS, WGS84


@pytest.fixture(scope="module")
def park() -> Park:
    return zoning.load_park()


@pytest.fixture(scope="module")
def projects() -> pd.DataFrame:
    return read_projects(bundled_park_dir() / "projects.csv")


@pytest.fixture(scope="module")
def results(park: Park, projects: pd.DataFrame) -> gpd.GeoDataFrame:
    return zoning.check(park, projects)


def rules(row: pd.Series, status: str) -> set[str]:
    return {f["rule"] for f in row[s.FINDINGS] if f["status"] == status}


def finding(row: pd.Series, rule: str) -> dict[str, Any]:
    (found,) = [f for f in row[s.FINDINGS] if f["rule"] == rule]
    return found


#: project -> (deciding zone, verdict there, is it the recommended zone, failed rules, warned rules)
EXPECTED: dict[str, tuple[str, str, bool, set[str], set[str]]] = {
    "BP01": ("almg", "fits", True, set(), set()),
    "BP02": ("almg", "fits", True, set(), set()),
    "BP03": ("almg", "fits", True, set(), set()),
    "BP04": ("almg", "fits", True, set(), set()),
    "BP05": ("almg", "fits", True, set(), set()),
    "BP06": ("almg", "fits", True, set(), set()),
    "BP07": ("almg", "conditional", True, set(), {"industry"}),
    "BP08": ("incubation", "fits", True, set(), set()),
    "BP09": ("incubation", "fits", True, set(), set()),
    "BP10": ("incubation", "fits", True, set(), set()),
    "BP11": ("bonded", "fits", True, set(), set()),
    "BP12": ("bonded", "fits", True, set(), set()),
    "BP13": ("integration", "fits", True, set(), set()),
    "BP14": ("integration", "fits", True, set(), set()),
    "BP15": ("almg", "does_not_fit", False, {"health_distance"}, set()),
    "BP16": (
        "almg",
        "does_not_fit",
        False,
        {"industry", "health_distance.sensitive_use"},
        {"site.non_production"},  # housing on industrial land BC-0208 (advisory)
    ),
    "BP17": ("almg", "conditional", True, set(), {"intensity.far"}),
    "BP18": ("almg", "does_not_fit", False, {"site.constraints"}, set()),
    "BP19": ("almg", "does_not_fit", False, {"capacity.wastewater_tpd"}, {"industry"}),
    "BP20": ("almg", "conditional", True, set(), {"industry"}),
    "BP21": ("almg", "does_not_fit", False, {"industry"}, set()),
    "BP22": ("almg", "does_not_fit", False, {"site.zone"}, {"industry", "zone.requested"}),
}


def test_every_project_is_in_the_expectations(projects: pd.DataFrame) -> None:
    assert sorted(projects[s.PROJECT_ID]) == sorted(EXPECTED)
    assert projects[s.NOTE].str.len().gt(20).all()  # each project says why it is there


@pytest.mark.parametrize("project_id", list(EXPECTED), ids=list(EXPECTED))
def test_verdict_and_deciding_rule(results: gpd.GeoDataFrame, project_id: str) -> None:
    zone, verdict, best, fails, warns = EXPECTED[project_id]
    rows = results[results[s.PROJECT_ID] == project_id].set_index(s.ZONE_ID)
    row = rows.loc[zone]
    assert row[s.VERDICT] == verdict
    assert bool(row[s.BEST]) is best
    assert rules(row, "fail") == fails
    assert rules(row, "warn") == warns
    if best:
        assert rows[s.BEST].sum() == 1, "one recommended zone"


def test_project_verdicts_summary(results: gpd.GeoDataFrame) -> None:
    overall = project_verdicts(results)
    expected = {pid: (v if b else "does_not_fit") for pid, (_, v, b, _, _) in EXPECTED.items()}
    assert overall.to_dict() == expected


def test_carbon_anode_plant_too_close_to_the_homes(park: Park, results: gpd.GeoDataFrame) -> None:
    row = results[results[s.PROJECT_ID] == "BP15"].iloc[0]
    f = finding(row, "health_distance")
    assert f["required"] == 1000
    assert 700 < f["measured"] < 1000
    assert f["unit"] == "m"
    assert "GB 18073-2000" in f["source"]
    nearest = re.search(r"sensitive use, (BC-\d{4})", f["message"])
    assert nearest is not None
    parcel = park.parcels.set_index(s.PARCEL_ID).loc[nearest.group(1)]
    assert parcel[s.LAND_USE_CODE].startswith("07")  # the town-edge homes
    assert parcel.geometry.distance(row.geometry) == pytest.approx(f["measured"], abs=0.1)


def test_school_keeps_the_health_distance_from_existing_carbon_plants(
    park: Park, results: gpd.GeoDataFrame
) -> None:
    row = results[results[s.PROJECT_ID] == "BP13"].iloc[0]
    f = finding(row, "health_distance.sensitive_use")
    assert (f["status"], f["required"], f["unit"]) == ("pass", 1000, "m")
    assert "GB 18073-2000" in f["source"]
    plant = re.search(r"margin is to (BC-\d{4}) ", f["message"])
    assert plant is not None
    parcel = park.parcels.set_index(s.PARCEL_ID).loc[plant.group(1)]
    assert (parcel[s.STATUS], parcel[s.INDUSTRY_CODE]) == ("developed", "3091")
    assert parcel.geometry.distance(row.geometry) == pytest.approx(f["measured"], abs=0.1)
    assert f["measured"] > 1000


def test_housing_too_close_to_an_existing_carbon_plant(
    park: Park, results: gpd.GeoDataFrame
) -> None:
    row = results[results[s.PROJECT_ID] == "BP16"].iloc[0]
    f = finding(row, "health_distance.sensitive_use")
    assert (f["status"], f["required"], f["unit"]) == ("fail", 1000, "m")
    plant = re.search(r"from (BC-\d{4}) ", f["message"])
    assert plant is not None
    parcel = park.parcels.set_index(s.PARCEL_ID).loc[plant.group(1)]
    assert parcel[s.INDUSTRY_CODE] == "3091"
    assert parcel.geometry.distance(row.geometry) == pytest.approx(f["measured"], abs=0.1)
    assert f["measured"] < 1000


def test_housing_prohibited_in_the_aluminium_cluster(results: gpd.GeoDataFrame) -> None:
    row = results[results[s.PROJECT_ID] == "BP16"].iloc[0]
    f = finding(row, "industry")
    assert (f["measured"], f["required"]) == ("prohibited", "permitted or conditional")
    assert "prefix '70' of the prohibited list" in f["message"]


def test_cable_plant_far_below_the_far_minimum(results: gpd.GeoDataFrame) -> None:
    row = results[(results[s.PROJECT_ID] == "BP17") & (results[s.ZONE_ID] == "almg")].iloc[0]
    f = finding(row, "intensity.far")
    assert (f["status"], f["measured"], f["required"]) == ("warn", 0.25, 0.7)
    assert "far_min.38" in f["source"]
    assert "advisory" in f["source"]


def test_cable_plant_does_not_fit_once_the_park_makes_the_far_binding(
    park: Park, projects: pd.DataFrame
) -> None:
    data = park.rulebook.model_dump()
    for indicator in data["indicators"]:
        if indicator["id"] == "far_min.38":
            indicator["binding"] = True
    binding = zoning.build_park(
        {"zones": park.zones, "parcels": park.parcels, "constraints": park.constraints},
        zoning.build_rulebook(data),
    )
    result = zoning.check(binding, projects[projects[s.PROJECT_ID] == "BP17"])
    row = result.set_index(s.ZONE_ID).loc["almg"]
    assert row[s.VERDICT] == "does_not_fit"
    assert rules(row, "fail") == {"intensity.far"}


def test_site_across_the_river_setback(results: gpd.GeoDataFrame, park: Park) -> None:
    row = results[results[s.PROJECT_ID] == "BP18"].iloc[0]
    f = finding(row, "site.constraints")
    river = park.constraints.set_index(s.CONSTRAINT_ID).geometry["C-RIVER"]
    assert f["measured"] == pytest.approx(row.geometry.intersection(river).area, abs=1)
    assert f["measured"] > 1000
    assert f["required"] == 0.0
    assert "C-RIVER" in f["message"]


def test_wastewater_heavy_plant_beyond_the_capacity_left(
    results: gpd.GeoDataFrame, park: Park
) -> None:
    in_use = park.parcels[park.parcels[s.STATUS].isin(["developed", "committed"])]
    left = park.rulebook.capacities["wastewater_tpd"].value - in_use[s.WASTEWATER_TPD].sum()
    row = results[(results[s.PROJECT_ID] == "BP19") & (results[s.ZONE_ID] == "almg")].iloc[0]
    f = finding(row, "capacity.wastewater_tpd")
    assert f["measured"] == 2600.0
    assert f["required"] == pytest.approx(left, abs=0.01)
    assert f["measured"] > f["required"]


def test_site_straddling_two_zones(results: gpd.GeoDataFrame) -> None:
    rows = results[results[s.PROJECT_ID] == "BP22"].set_index(s.ZONE_ID)
    assert sorted(rows.index) == ["almg", "bonded"]
    shares = [finding(rows.loc[z], "site.zone")["measured"] for z in ("almg", "bonded")]
    assert sum(shares) == pytest.approx(1.0, abs=0.01)
    assert all(0 < sh < 1 for sh in shares)


def test_requested_zone_is_not_recommended_when_another_fits_better(
    results: gpd.GeoDataFrame,
) -> None:
    rows = results[results[s.PROJECT_ID] == "BP04"].set_index(s.ZONE_ID)
    assert rows.loc["bonded", s.VERDICT] == "conditional"
    assert finding(rows.loc["bonded"], "zone.requested")["status"] == "pass"
    assert rows[rows[s.BEST]].index.tolist() == ["almg"]


def test_wheel_plant_gets_the_direct_supply_note(results: gpd.GeoDataFrame) -> None:
    row = results[results[s.PROJECT_ID] == "BP01"].iloc[0]
    f = finding(row, "chain")
    assert f["status"] == "pass"
    assert f["measured"] < f["required"] == 3000
    assert "铝液直供" in f["message"]


def test_candidate_sites_for_projects_without_one(park: Park, results: gpd.GeoDataFrame) -> None:
    sites = propose_sites(park, results, facts=build_park_facts(park))
    cable = sites[sites[s.PROJECT_ID] == "BP02"]
    assert cable[s.RANK].tolist() == [1, 2, 3]
    assert (cable[s.ZONE_ID] == "almg").all()
    assert (cable[s.CANDIDATE_MU] >= 120).all()
    vacant = set(park.parcels.loc[park.parcels[s.STATUS] == "vacant", s.PARCEL_ID])
    assert all(set(ids) <= vacant for ids in sites[s.PARCEL_IDS])
    sited = set(results.loc[results.geometry.notna(), s.PROJECT_ID])
    assert not sited & set(sites[s.PROJECT_ID])
    assert "BP21" not in set(sites[s.PROJECT_ID])  # fits nowhere


def test_the_table_a_planner_reads(park: Park, results: gpd.GeoDataFrame) -> None:
    text = render_check_results(results, park=park, fmt=OutputFormat.TABLE)
    for project_id in EXPECTED:
        assert project_id in text
    assert "health_distance" in text
    assert "ILLUSTRATIVE" in text  # the dataset's notice travels with the output
    assert "22 project(s), by recommended zone:" in text


# --------------------------------------------------------------------------- frozen sites
def _sites(projects: pd.DataFrame) -> gpd.GeoDataFrame:
    sited = projects[projects[s.SITE_WKT] != ""]
    return gpd.GeoDataFrame(
        sited[[s.PROJECT_ID, s.NOTE]].reset_index(drop=True),
        geometry=gpd.GeoSeries.from_wkt(sited[s.SITE_WKT].tolist(), crs=WGS84).to_crs(METRIC_CRS),
    )


def test_frozen_sites_still_sit_on_their_parcels(park: Park, projects: pd.DataFrame) -> None:
    parcels = park.parcels.set_index(s.PARCEL_ID)
    sites = _sites(projects)
    assert len(sites) == 9
    for row in sites.itertuples():
        named = re.findall(r"vacant parcels? (BC-\d{4})|and (BC-\d{4})", row.note)
        ids = [a or b for a, b in named]
        assert ids, row.project_id
        for pid in ids:
            assert parcels.loc[pid, s.STATUS] == "vacant", (row.project_id, pid)
        union = shapely.union_all(parcels.loc[ids].geometry.to_numpy())
        assert row.geometry.covers(union.buffer(-1.5)), row.project_id
        if "shrunk 1 m" in row.note:
            assert union.covers(row.geometry), row.project_id
