"""Candidate sites for projects without one: single parcels, contiguous groups, ranking.

The siting park (EPSG:4543, metres from the tiny park's origin), one zone 1000 m x 1000 m:

    H (homes, 0-100 x 900-1000)                          S (smelter, 900-1000 x 900-1000)
    L (planned retail, 0-100 x 600-700)
    D (0-100 x 124-224)   -- a 24 m road between A and D --
    A (0-100) | B (100-200) | C (200-300)   (y 0-100, 15 mu each, sharing 100 m edges)
                                  E (300-400 x 100-200) touches C at one corner only
                                          G (600-700 x 700-800, 223 m from S)
                                                 F (500-800 x 0-300, 135 mu)
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from tests.conftest import metric_box
from zoning import schema as s
from zoning.fit import check
from zoning.park import Park, build_park
from zoning.planning.siting import SITE_COLUMNS, land_use_serves, propose_sites
from zoning.rulebook import build_rulebook
from zoning.units import M2_PER_MU, METRIC_CRS

PARCELS = {
    "A": ((0, 0, 100, 100), "100102", "vacant"),
    "B": ((100, 0, 200, 100), "100102", "vacant"),
    "C": ((200, 0, 300, 100), "100102", "vacant"),
    "D": ((0, 124, 100, 224), "100102", "vacant"),
    "E": ((300, 100, 400, 200), "100102", "vacant"),
    "F": ((500, 0, 800, 300), "100102", "vacant"),
    "G": ((600, 700, 700, 800), "100102", "vacant"),
    "L": ((0, 600, 100, 700), "090101", "vacant"),
    "H": ((0, 900, 100, 1000), "070102", "developed"),
    "S": ((900, 900, 1000, 1000), "100103", "developed"),
}


def _industry(code: str, land_use: str, **extra: Any) -> dict[str, Any]:
    base = {"code": code, "name_zh": code, "name_en": code, "land_use_code": land_use}
    return base | extra


def siting_park(
    *, health_binding: bool = True, plant_code: str = "3216", schools: bool = False
) -> Park:
    rulebook = build_rulebook(
        {
            "rulebook": {"park_id": "siting", "name": "Siting park", "version": "1"},
            "industries": [
                _industry("3216", "100103", produces=["molten_aluminium"]),
                _industry("3252", "100102", consumes=["molten_aluminium"]),
                _industry("3311", "100102"),
                _industry("3091", "100103"),
                _industry("5211", "090101"),
                _industry("8336", "080402"),
            ],
            "health_distances": [
                {
                    "id": "carbon",
                    "applies_to": ["3091"],
                    "distance_m": 750,
                    "binding": health_binding,
                    "confidence": "secondary",
                    "source": "test",
                }
            ],
            "chain": {"product": "molten_aluminium", "max_distance_m": 900},
            "sequencing": {"min_shared_boundary_m": 10},
        }
    )
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["z"],
            "name_zh": ["区"],
            "name_en": ["Zone"],
            "permitted": [["32", "33", "3091", "52", *(["83"] if schools else [])]],
            "conditional": [[]],
            "prohibited": [[]],
            "max_industrial_class": ["100103"],
            "priority": [1],
            "development_mode": ["priority_contiguous"],
        },
        geometry=[metric_box(0, 0, 1000, 1000)],
        crs=METRIC_CRS,
    )
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": list(PARCELS),
            "land_use_code": [v[1] for v in PARCELS.values()],
            "status": [v[2] for v in PARCELS.values()],
            "industry_code": [plant_code if k == "S" else "" for k in PARCELS],
        },
        geometry=[metric_box(*v[0]) for v in PARCELS.values()],
        crs=METRIC_CRS,
    )
    return build_park({"zones": zones, "parcels": parcels}, rulebook)


@pytest.fixture(scope="module")
def park() -> Park:
    return siting_park()


def sites_for(park: Park, code: str, area_mu: float, **kwargs: Any) -> gpd.GeoDataFrame:
    projects = pd.DataFrame({"project_id": ["P"], "industry_code": [code], "area_mu": [area_mu]})
    return propose_sites(park, check(park, projects), **kwargs)


def parcels_of(sites: gpd.GeoDataFrame) -> list[list[str]]:
    return [list(p) for p in sites[s.PARCEL_IDS]]


MU_15 = 10_000 / M2_PER_MU  # a 100 m x 100 m parcel


def test_single_parcels_with_least_spare_land_first(park: Park) -> None:
    sites = sites_for(park, "3311", 14)
    assert tuple(sites.columns) == SITE_COLUMNS
    assert parcels_of(sites) == [["A"], ["B"], ["C"]]
    assert sites[s.RANK].tolist() == [1, 2, 3]
    assert sites[s.CANDIDATE_MU].tolist() == pytest.approx([MU_15] * 3)
    assert sites[s.SPARE_MU].tolist() == pytest.approx([MU_15 - 14] * 3)
    assert "vacant parcel A of 15.0 mu in zone z holds the 14.0 mu needed" in sites[s.REASON][0]
    assert sites.crs.to_epsg() == 4543


def test_contiguous_groups_share_a_boundary(park: Park) -> None:
    sites = sites_for(park, "3311", 28, max_candidates=5)
    groups = parcels_of(sites)
    assert groups[:2] == [["A", "B"], ["B", "C"]]
    assert ["F"] in groups
    for group in groups:
        # D is across a road from A, E touches C at a corner: neither is contiguous
        assert "D" not in group or group == ["D"]
        assert "E" not in group or group == ["E"]
    assert "2 contiguous vacant parcels" in sites[s.REASON][0]
    assert sites.geometry.iloc[0].area == pytest.approx(20_000)  # the union of A and B


def test_no_candidate_when_no_land_holds_the_project(park: Park) -> None:
    assert parcels_of(sites_for(park, "3311", 50)) == [["F"]]
    empty = sites_for(park, "3311", 500)
    assert len(empty) == 0
    assert tuple(empty.columns) == SITE_COLUMNS


def test_max_parcels_limits_groups(park: Park) -> None:
    assert parcels_of(sites_for(park, "3311", 28, max_parcels=1)) == [["F"]]


def test_binding_health_distance_excludes_near_parcels(park: Park) -> None:
    # homes H at y 900-1000: A, B, C are 800 m away or more; D (676 m), F (721 m) are not
    sites = sites_for(park, "3091", 14, max_candidates=10)
    assert sorted(p for group in parcels_of(sites) for p in group) == ["A", "B", "C"]
    assert (sites[s.SENSITIVE_DISTANCE_M] >= 750).all()


def test_advisory_health_distance_only_lowers_the_rank() -> None:
    park = siting_park(health_binding=False)
    sites = sites_for(park, "3091", 14, max_candidates=10)
    groups = parcels_of(sites)
    assert ["D"] in groups
    assert groups.index(["D"]) > groups.index(["C"])
    d_reason = sites[s.REASON][groups.index(["D"])]
    assert "inside the advisory 750 m" in d_reason


@pytest.mark.parametrize("binding", [True, False], ids=["binding", "advisory"])
def test_new_sensitive_use_keeps_away_from_an_existing_plant(binding: bool) -> None:
    # S is now a carbon plant (750 m): F (608 m) and G (223 m) lie inside its distance
    park = siting_park(health_binding=binding, plant_code="3091", schools=True)
    sites = sites_for(park, "8336", 14, max_candidates=20)
    groups = parcels_of(sites)
    near = [g for g in groups if {"F", "G"} & set(g)]
    if binding:
        assert near == []
        assert ["A"] in groups
    else:
        assert ["G"] in groups
        assert groups.index(["G"]) > groups.index(["A"])
        reason = sites[s.REASON][groups.index(["G"])]
        assert "advisory health-protection distance of an existing plant" in reason


def test_chain_consumers_prefer_land_near_the_producer(park: Park) -> None:
    # E (860 m) and G (223 m) are within 900 m of the smelter S; L too, but it is planned
    # retail; A, B, C (as large) are more than 900 m away
    sites = sites_for(park, "3252", 14, max_candidates=10)
    groups = parcels_of(sites)
    assert groups[:6] == [["E"], ["G"], ["L"], ["A"], ["B"], ["C"]]
    by_parcels = {tuple(p): r for p, r in zip(sites[s.PARCEL_IDS], sites[s.REASON], strict=True)}
    assert "224 m from a molten aluminium producer (direct supply)" in by_parcels[("G",)]
    assert "beyond 900 m of direct supply (1,131 m)" in by_parcels[("A",)]
    assert sites[s.CHAIN_DISTANCE_M].iloc[:2].tolist() == pytest.approx([860.2, 223.6], abs=0.1)


def test_planned_land_use_mismatch_ranks_lower(park: Park) -> None:
    sites = sites_for(park, "5211", 14, max_candidates=10)
    groups = parcels_of(sites)
    assert groups[0] == ["L"]  # planned retail
    assert "planned land use serves 090101" in sites[s.REASON][0]
    assert "re-zoning needed" in sites[s.REASON][1]


def test_projects_with_a_site_and_errors_are_ignored(park: Park) -> None:
    projects = gpd.GeoDataFrame(
        {
            "project_id": ["sited", "bad", "free"],
            "industry_code": ["3311", "12", "3311"],
            "area_mu": [None, 10, 14],
        },
        geometry=[metric_box(0, 0, 100, 100), None, None],
        crs=METRIC_CRS,
    )
    sites = propose_sites(park, check(park, projects))
    assert set(sites[s.PROJECT_ID]) == {"free"}


def test_projects_that_fit_nowhere_get_no_site(park: Park) -> None:
    assert len(sites_for(park, "3216", 14)) == 3  # permitted via "32"
    rows = pd.DataFrame({"project_id": ["P"], "industry_code": ["3091"], "area_mu": [14]})
    results = check(park, rows)
    results[s.VERDICT] = "does_not_fit"
    assert len(propose_sites(park, results)) == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"max_candidates": 0}, "max_candidates and max_parcels"), ({"max_parcels": 0}, "at least 1")],
    ids=["candidates", "parcels"],
)
def test_bad_limits_raise(park: Park, kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sites_for(park, "3311", 14, **kwargs)


@pytest.mark.parametrize(
    ("planned", "needed", "serves"),
    [
        ("100102", "100102", True),
        ("100103", "100102", True),
        ("100101", "100102", False),
        ("1001", "100102", True),
        ("110102", "110101", True),
        ("100103", "110101", False),
        ("0901", "090101", True),
        ("0902", "090101", False),
    ],
    ids=[
        "same",
        "higher-class",
        "lower-class",
        "parent",
        "logistics",
        "family",
        "retail",
        "office",
    ],
)
def test_land_use_serves(planned: str, needed: str, serves: bool) -> None:
    assert land_use_serves(planned, needed) is serves
