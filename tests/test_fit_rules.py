"""Each fit rule passing and failing on purpose-built projects, with measured and required values.

The rule park (EPSG:4543, metres from the tiny park's origin):

    y=1500 +--------------------------+
           | logi (59 permitted, 3252 |
           | conditional, class <= 2) |
    y=1000 +------+--+--------+--ECO--+------------+
           |         |        |       |  town      |      TOWN (sensitive area,
           |   ind   | RIVER  |  P1   |  (52, 70;  |      outside the park)
           | (32 ... | setback|       |   class 1) |
           |  S1 V1  |        |   V2  |    V3 H1   |
    y=0    +---------+--------+-------+------------+
          x=0       800     1000     2000        3000

S1 is a developed smelter (3216, produces molten aluminium), H1 developed housing (sensitive),
V1-V4 vacant parcels, P1 a protected green belt.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import X0, Y0, metric_box
from zoning import schema as s
from zoning.errors import ProjectInputError
from zoning.fit import (
    RESULT_COLUMNS,
    _overlap_area,
    build_park_facts,
    check,
    match_industry,
    rules_with_status,
    to_feature_collection,
    to_records,
)
from zoning.park import Park, build_park
from zoning.rulebook import build_rulebook
from zoning.units import M2_PER_MU, METRIC_CRS

FINDING_KEYS = {
    "rule", "status", "reason", "message", "message_zh", "measured", "required", "unit", "source"
}


def _industry(code: str, land_use: str, **extra: Any) -> dict[str, Any]:
    base = {"code": code, "name_zh": code, "name_en": f"industry {code}", "land_use_code": land_use}
    return base | extra


def _indicator(ident: str, kind: str, value: float, unit: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": kind,
        "value": value,
        "unit": unit,
        "confidence": "secondary",
        "source": f"test source {ident}",
    } | extra


RULEBOOK: dict[str, Any] = {
    "rulebook": {"park_id": "rules", "name": "Rule park", "version": "r1"},
    "industries": [
        _industry("3216", "100103", produces=["molten_aluminium"]),
        _industry("3217", "100103"),
        _industry("3252", "100102", consumes=["molten_aluminium"]),
        _industry("3831", "100102", consumes=["molten_aluminium"]),
        _industry("2613", "100103"),
        _industry("3091", "100103"),
        _industry("5211", "090101"),
        _industry("7010", "070102"),
        _industry("5920", "110101"),
        _industry("5942", "110103"),
    ],
    "indicators": [
        _indicator("far_min.32", "far_min", 0.6, "ratio", applies_to=["32"]),
        _indicator("far_min.38", "far_min", 0.7, "ratio", applies_to=["38"], binding=True),
        _indicator("bc_min", "building_coefficient_min", 0.3, "share of site area"),
        _indicator("admin_max", "admin_share_max", 0.07, "share of site area"),
        _indicator("green_max", "green_ratio_max", 0.2, "share of site area"),
        _indicator("inv_min", "investment_per_mu_min", 285.1, "万元/亩"),
        _indicator("out_min", "output_per_mu_min", 198.0, "万元/亩"),
        _indicator("tax_min", "tax_per_mu_min", 9.6, "万元/亩", applies_to=["38"]),
    ],
    "health_distances": [
        {
            "id": "carbon",
            "applies_to": ["3091"],
            "distance_m": 1000,
            "binding": True,
            "confidence": "secondary",
            "source": "GB 18073-2000",
        },
        {
            "id": "rolling_reference",
            "applies_to": ["3252"],
            "distance_m": 500,
            "binding": False,
            "confidence": "secondary",
            "source": "advisory reference",
        },
    ],
    "capacities": {
        "wastewater_tpd": {
            "value": 1000,
            "unit": "t/d",
            "binding": True,
            "confidence": "article",
            "source": "plant",
        },
        "power_mw": {
            "value": 150,
            "unit": "MW",
            "binding": False,
            "confidence": "illustrative",
            "source": "substations",
        },
    },
    "chain": {"product": "molten_aluminium", "max_distance_m": 1000, "source": "chain policy"},
}


def rule_layers() -> dict[str, gpd.GeoDataFrame]:
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["ind", "town", "logi"],
            "name_zh": ["工业", "城镇", "物流"],
            "name_en": ["Industry", "Town", "Logistics"],
            "permitted": [["32", "3831", "3091"], ["52", "70"], ["59"]],
            "conditional": [["2613", "5942"], [], ["3252"]],
            "prohibited": [["3217", "70"], ["3"], ["3217"]],
            "max_industrial_class": ["100103", "100101", "100102"],
            "priority": [1, 2, 3],
            "development_mode": ["priority_contiguous"] * 3,
        },
        geometry=[
            metric_box(0, 0, 2000, 1000),
            metric_box(2000, 0, 3000, 1000),
            metric_box(0, 1000, 2000, 1500),
        ],
        crs=METRIC_CRS,
    )
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["S1", "H1", "V1", "V2", "V3", "V4", "P1"],
            "land_use_code": ["100103", "070102", "100102", "100103", "090101", "110101", "1402"],
            "status": [
                "developed",
                "developed",
                "vacant",
                "vacant",
                "vacant",
                "vacant",
                "protected",
            ],
            "occupant": ["smelter", "homes", "", "", "", "", "green belt"],
            "industry_code": ["3216", "", "", "", "", "", ""],
            "wastewater_tpd": [500.0, 100.0, 0, 0, 0, 0, 0],
            "power_mw": [100.0, 1.0, 0, 0, 0, 0, 0],
        },
        geometry=[
            metric_box(0, 0, 300, 300),
            metric_box(2600, 0, 2800, 200),
            metric_box(300, 0, 600, 300),
            metric_box(1500, 0, 1800, 300),
            metric_box(2200, 500, 2400, 700),
            metric_box(0, 1000, 300, 1300),
            metric_box(1000, 600, 1200, 800),
        ],
        crs=METRIC_CRS,
    )
    constraints = gpd.GeoDataFrame(
        {
            "constraint_id": ["RIVER", "ECO", "TOWN"],
            "kind": ["river_setback", "ecological_protection", "sensitive_area"],
            "name": ["river setback", "eco belt", "town"],
            "source": ["test"] * 3,
        },
        geometry=[
            metric_box(800, 0, 1000, 1000),
            metric_box(1200, 800, 1400, 1000),
            metric_box(3100, 0, 3500, 400),
        ],
        crs=METRIC_CRS,
    )
    return {"zones": zones, "parcels": parcels, "constraints": constraints}


def make_park(
    rulebook: dict[str, Any] | None = None, layers: dict[str, gpd.GeoDataFrame] | None = None
) -> Park:
    return build_park(layers or rule_layers(), build_rulebook(rulebook or RULEBOOK))


@pytest.fixture(scope="module")
def park() -> Park:
    return make_park()


GOOD_INDUSTRY = {
    "far": 1.0,
    "building_coefficient": 0.4,
    "admin_share": 0.05,
    "green_ratio": 0.1,
    "investment_wan": 30_000.0,
    "output_wan": 30_000.0,
    "tax_wan": 1_000.0,
    "wastewater_tpd": 100.0,
    "power_mw": 10.0,
}


def site(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return metric_box(x0, y0, x1, y1)


def run(park: Park, **fields: Any) -> gpd.GeoDataFrame:
    """Check one project; ``geometry`` (EPSG:4543) is its site."""
    geometry = fields.pop("geometry", None)
    row = {"project_id": "T1", "industry_code": "3252", **fields}
    frame = gpd.GeoDataFrame([row], geometry=[geometry], crs=METRIC_CRS)
    return check(park, frame)


def finding(result: pd.DataFrame, rule: str, zone: str | None = None) -> dict[str, Any]:
    rows = result if zone is None else result[result[s.ZONE_ID] == zone]
    assert len(rows) >= 1, f"no row for zone {zone}"
    found = [f for f in rows[s.FINDINGS].iloc[0] if f["rule"] == rule]
    assert len(found) == 1, f"rule {rule}: {found}"
    return found[0]


def rules_of(result: pd.DataFrame, zone: str) -> set[str]:
    row = result[result[s.ZONE_ID] == zone].iloc[0]
    return {f["rule"] for f in row[s.FINDINGS]}


# --------------------------------------------------------------------------- industry
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("3216", ("permitted", "32")),
        ("3217", ("prohibited", "3217")),
        ("2613", ("conditional", "2613")),
        ("5920", ("not listed", "")),
    ],
    ids=["prefix-permits", "longer-prefix-prohibits", "conditional", "unlisted"],
)
def test_match_industry_most_specific_wins(code: str, expected: tuple[str, str]) -> None:
    assert (
        match_industry(
            code,
            permitted=["32", "3831"],
            conditional=["2613"],
            prohibited=["3217", "70"],
        )
        == expected
    )


def test_match_industry_equal_prefix_stricter_list_wins() -> None:
    assert match_industry("3252", permitted=["3252"], conditional=[], prohibited=["3252"]) == (
        "prohibited",
        "3252",
    )


@pytest.mark.parametrize(
    ("code", "status", "measured", "prefix", "verdict"),
    [
        ("3216", "pass", "permitted", "'32'", "fits"),
        ("3217", "fail", "prohibited", "'3217'", "does_not_fit"),
        ("2613", "warn", "conditional", "'2613'", "conditional"),
        ("5920", "fail", "not listed", "no prefix", "does_not_fit"),
    ],
    ids=["permitted", "prohibited", "conditional", "not-listed"],
)
def test_industry_rule(
    park: Park, code: str, status: str, measured: str, prefix: str, verdict: str
) -> None:
    result = run(park, industry_code=code, geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    assert result[s.ZONE_ID].tolist() == ["ind"]
    f = finding(result, "industry")
    assert (f["status"], f["measured"], f["required"]) == (
        status,
        measured,
        "permitted or conditional",
    )
    assert prefix in f["message"]
    assert "zones layer" in f["source"]
    assert result[s.VERDICT].iloc[0] == verdict


# --------------------------------------------------------------------------- land-use class
def test_land_use_class_above_zone_maximum_fails(park: Park) -> None:
    result = run(park, industry_code="3217", area_mu=20, **GOOD_INDUSTRY)
    f = finding(result, "land_use_class", "logi")
    assert (f["status"], f["measured"], f["required"]) == ("fail", 3, 2)
    assert "100103" in f["message"]
    assert "100102" in f["message"]
    ok = finding(result, "land_use_class", "ind")
    assert (ok["status"], ok["measured"], ok["required"]) == ("pass", 3, 3)


def test_logistics_class_is_compared_too(park: Park) -> None:
    result = run(park, industry_code="5942", area_mu=20, wastewater_tpd=1, power_mw=1)
    f = finding(result, "land_use_class", "logi")
    assert (f["status"], f["measured"], f["required"]) == ("fail", 3, 2)


def test_class_three_never_in_integration_area_even_if_its_class_allows() -> None:
    layers = rule_layers()
    layers["zones"].loc[1, "max_industrial_class"] = "100103"
    layers["zones"].loc[1, "permitted"] = ["52", "70", "3091"]
    layers["zones"].loc[1, "prohibited"] = []
    park = make_park(layers=layers)
    result = run(park, industry_code="3091", area_mu=20, **GOOD_INDUSTRY)
    f = finding(result, "land_use_class", "town")
    assert f["status"] == "fail"
    assert (f["measured"], f["required"]) == (3, 3)
    assert "industry-city integration area" in f["message"]
    assert "H1" in f["message"]  # the evidence: the housing parcel in the zone
    assert result.set_index(s.ZONE_ID).loc["town", s.VERDICT] == "does_not_fit"


def test_non_industrial_use_is_governed_by_the_industry_rule(park: Park) -> None:
    result = run(park, industry_code="5211", area_mu=10, wastewater_tpd=5, power_mw=1)
    f = finding(result, "land_use_class", "town")
    assert f["status"] == "pass"
    assert f["measured"] == "090101"
    assert "decided by the industry rule" in f["message"]
    assert result.set_index(s.ZONE_ID).loc["town", s.VERDICT] == "fits"
    assert result.set_index(s.ZONE_ID).loc["ind", s.VERDICT] == "does_not_fit"


# --------------------------------------------------------------------------- intensity
def test_intensity_all_met_gives_fits(park: Park) -> None:
    result = run(park, industry_code="3831", geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    assert result[s.VERDICT].tolist() == ["fits"]
    far = finding(result, "intensity.far")
    assert (far["status"], far["measured"], far["required"], far["unit"]) == (
        "pass",
        1.0,
        0.7,
        "ratio",
    )
    assert "far_min.38" in far["source"]
    assert "binding" in far["source"]


def test_binding_far_below_minimum_fails_and_advisory_warns(park: Park) -> None:
    low = {**GOOD_INDUSTRY, "far": 0.35}
    binding = run(park, industry_code="3831", area_mu=30, **low)
    f = finding(binding, "intensity.far", "ind")
    assert (f["status"], f["measured"], f["required"]) == ("fail", 0.35, 0.7)
    assert "below the minimum 0.70 by 0.35 (50%)" in f["message"]
    assert binding.set_index(s.ZONE_ID).loc["ind", s.VERDICT] == "does_not_fit"

    advisory = run(park, industry_code="3252", area_mu=30, **low)
    g = finding(advisory, "intensity.far", "ind")
    assert (g["status"], g["measured"], g["required"]) == ("warn", 0.35, 0.6)
    assert "advisory" in g["message"]
    assert "advisory" in g["source"]


@pytest.mark.parametrize(
    ("field", "value", "rule", "status", "required"),
    [
        ("building_coefficient", 0.25, "intensity.building_coefficient", "warn", 0.3),
        ("building_coefficient", 0.30, "intensity.building_coefficient", "pass", 0.3),
        ("admin_share", 0.10, "intensity.admin_share", "warn", 0.07),
        ("admin_share", 0.07, "intensity.admin_share", "pass", 0.07),
        ("green_ratio", 0.25, "intensity.green_ratio", "warn", 0.2),
        ("green_ratio", 0.0, "intensity.green_ratio", "pass", 0.2),
    ],
    ids=["bc-low", "bc-at-min", "admin-high", "admin-at-max", "green-high", "green-zero"],
)
def test_share_indicators(
    park: Park, field: str, value: float, rule: str, status: str, required: float
) -> None:
    result = run(park, area_mu=30, **{**GOOD_INDUSTRY, field: value})
    f = finding(result, rule, "ind")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == (
        status,
        value,
        required,
        "share of site area",
    )


def test_per_mu_indicators_use_the_land_area(park: Park) -> None:
    # 3831: investment 6,000 万元 on 30 mu = 200 万元/亩 < 285.1; tax 240 / 30 = 8 < 9.6
    values = {**GOOD_INDUSTRY, "investment_wan": 6000, "output_wan": 6000, "tax_wan": 240}
    result = run(park, industry_code="3831", area_mu=30, **values)
    inv = finding(result, "intensity.investment_per_mu", "ind")
    assert (inv["status"], inv["measured"], inv["required"], inv["unit"]) == (
        "warn",
        200.0,
        285.1,
        "万元/亩",
    )
    assert "6,000 万元 on 30.0 mu = 200.0 万元/亩" in inv["message"]
    out = finding(result, "intensity.output_per_mu", "ind")
    assert (out["status"], out["measured"]) == ("pass", 200.0)
    tax = finding(result, "intensity.tax_per_mu", "ind")
    assert (tax["status"], tax["measured"], tax["required"]) == ("warn", 8.0, 9.6)


def test_per_mu_indicators_use_the_site_area_when_there_is_a_site(park: Park) -> None:
    # a 200 m x 200 m site is 60 mu; the 30 mu asked for is not what is used
    result = run(
        park,
        industry_code="3831",
        area_mu=30,
        geometry=site(350, 50, 550, 250),
        **{**GOOD_INDUSTRY, "investment_wan": 18_000},
    )
    inv = finding(result, "intensity.investment_per_mu")
    assert inv["measured"] == pytest.approx(300.0)
    area = finding(result, "site.area")
    assert (area["status"], area["measured"], area["required"], area["unit"]) == (
        "warn",
        60.0,
        30.0,
        "mu",
    )
    assert result[s.AREA_MU].iloc[0] == 30.0  # the area asked for stays the project's need


def test_indicator_scoped_by_prefix_is_not_applied_elsewhere(park: Park) -> None:
    result = run(park, industry_code="3252", area_mu=30, **GOOD_INDUSTRY)
    assert "intensity.tax_per_mu" not in rules_of(result, "ind")  # tax_min applies to 38 only


def test_indicators_do_not_apply_to_non_industrial_land(park: Park) -> None:
    result = run(park, industry_code="5211", area_mu=10, **GOOD_INDUSTRY)
    assert not {r for r in rules_of(result, "town") if r.startswith("intensity.")}


def test_missing_values_warn_not_provided_never_pass(park: Park) -> None:
    result = run(park, industry_code="3831", geometry=site(350, 50, 550, 250))
    findings = result[s.FINDINGS].iloc[0]
    missing = {f["rule"] for f in findings if "not provided" in f["message"]}
    assert missing == {
        "intensity.far",
        "intensity.building_coefficient",
        "intensity.admin_share",
        "intensity.green_ratio",
        "intensity.investment_per_mu",
        "intensity.output_per_mu",
        "intensity.tax_per_mu",
        "capacity.wastewater_tpd",
        "capacity.power_mw",
    }
    for f in findings:
        if f["rule"] in missing:
            assert f["status"] == "warn"
            assert f["measured"] is None
            assert f["required"] is not None
    assert result[s.VERDICT].tolist() == ["conditional"]


# --------------------------------------------------------------------------- site rules
def test_site_in_one_zone_passes_with_the_boundary_convention(park: Park) -> None:
    # the site's edge runs along the zone boundary x=2000: covered_by counts it inside
    result = run(park, geometry=site(1850, 400, 2000, 600), area_mu=45, **GOOD_INDUSTRY)
    assert result[s.ZONE_ID].tolist() == ["ind"]
    f = finding(result, "site.zone")
    assert (f["status"], f["measured"], f["required"]) == ("pass", 1.0, 1.0)
    assert "covered_by" in f["message"]
    assert "0.5 m" in f["message"]


def test_site_across_a_zone_boundary_fails_in_both_zones(park: Park) -> None:
    result = run(park, geometry=site(1900, 400, 2100, 600), **GOOD_INDUSTRY)
    assert sorted(result[s.ZONE_ID]) == ["ind", "town"]
    for zone in ("ind", "town"):
        f = finding(result, "site.zone", zone)
        assert (f["status"], f["measured"], f["required"]) == ("fail", 0.5, 1.0)
        assert "straddles zones" in f["message"]
    assert set(result[s.VERDICT]) == {"does_not_fit"}
    assert not result[s.BEST].any()


def test_site_outside_the_park_is_checked_against_the_nearest_zone(park: Park) -> None:
    result = run(park, geometry=site(-400, 100, -200, 300), **GOOD_INDUSTRY)
    assert result[s.ZONE_ID].tolist() == ["ind"]
    zone = finding(result, "site.zone")
    assert (zone["status"], zone["measured"]) == ("fail", 0.0)
    assert "200 m from zone ind" in zone["message"]
    park_rule = finding(result, "site.in_park")
    assert (park_rule["status"], park_rule["measured"], park_rule["required"]) == (
        "fail",
        40_000.0,
        0.0,
    )


def test_site_partly_outside_the_park(park: Park) -> None:
    result = run(park, geometry=site(-100, 400, 100, 600), **GOOD_INDUSTRY)
    f = finding(result, "site.in_park")
    assert (f["status"], f["measured"]) == ("fail", 20_000.0)
    assert "(50%)" in f["message"]


def test_site_overlapping_developed_and_protected_parcels(park: Park) -> None:
    # 50 m x 100 m over the smelter S1; 100 m x 100 m over the protected belt P1
    result = run(park, geometry=site(250, 100, 400, 200), **GOOD_INDUSTRY)
    f = finding(result, "site.parcels")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("fail", 5_000.0, 0.0, "m²")
    assert "S1 (developed) smelter (5,000 m²)" in f["message"]
    protected = run(park, geometry=site(1100, 500, 1300, 700), **GOOD_INDUSTRY)
    g = finding(protected, "site.parcels")
    assert (g["status"], g["measured"]) == ("fail", 10_000.0)
    assert "P1 (protected)" in g["message"]


def test_site_touching_an_occupied_parcel_is_not_an_overlap(park: Park) -> None:
    result = run(park, geometry=site(300, 0, 600, 300), **GOOD_INDUSTRY)
    f = finding(result, "site.parcels")
    assert (f["status"], f["measured"]) == ("pass", 0.0)


def test_site_across_the_river_setback(park: Park) -> None:
    result = run(park, geometry=site(700, 400, 900, 600), **GOOD_INDUSTRY)
    f = finding(result, "site.constraints")
    assert (f["status"], f["measured"], f["required"]) == ("fail", 20_000.0, 0.0)
    assert "RIVER river setback (20,000 m²)" in f["message"]
    assert result[s.VERDICT].tolist() == ["does_not_fit"]


def test_site_in_the_ecological_belt(park: Park) -> None:
    result = run(park, geometry=site(1250, 850, 1350, 950), **GOOD_INDUSTRY)
    f = finding(result, "site.constraints")
    assert (f["status"], f["measured"]) == ("fail", 10_000.0)
    assert "ECO eco belt" in f["message"]


def test_site_area_within_tolerance_passes(park: Park) -> None:
    result = run(park, geometry=site(350, 50, 550, 250), **{**GOOD_INDUSTRY}, area_mu=58.0)
    f = finding(result, "site.area")
    assert (f["status"], f["measured"], f["required"]) == ("pass", 60.0, 58.0)


# --------------------------------------------------------------------------- health distance
def test_health_distance_from_a_site_fails_when_binding(park: Park) -> None:
    # V2 ends at x=1800; the housing H1 starts at x=2600: 800 m
    result = run(park, industry_code="3091", geometry=site(1500, 0, 1800, 300), **GOOD_INDUSTRY)
    f = finding(result, "health_distance")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("fail", 800.0, 1000, "m")
    assert "H1" in f["message"]
    assert "200 m short" in f["message"]
    assert "GB 18073-2000" in f["source"]
    assert result[s.VERDICT].tolist() == ["does_not_fit"]


def test_health_distance_counts_sensitive_area_constraints() -> None:
    layers = rule_layers()
    layers["parcels"] = layers["parcels"][layers["parcels"]["parcel_id"] != "H1"]
    park = make_park(layers=layers)
    result = run(park, industry_code="3091", geometry=site(1500, 0, 1800, 300), **GOOD_INDUSTRY)
    f = finding(result, "health_distance")
    assert (f["status"], f["measured"], f["required"]) == ("pass", 1300.0, 1000)
    assert "TOWN" in f["message"]


def test_health_distance_kept_passes(park: Park) -> None:
    result = run(park, industry_code="3091", geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    f = finding(result, "health_distance")
    assert (f["status"], f["measured"], f["required"]) == ("pass", 2050.0, 1000)


def test_advisory_health_distance_warns(park: Park) -> None:
    result = run(park, industry_code="3252", geometry=site(0, 1200, 200, 1400), **GOOD_INDUSTRY)
    f = finding(result, "health_distance")
    assert f["status"] == "pass"  # far from homes
    near = run(park, industry_code="3252", geometry=site(2300, 250, 2400, 350), **GOOD_INDUSTRY)
    g = finding(near, "health_distance")
    assert (g["status"], g["required"]) == ("warn", 500)
    assert g["measured"] == pytest.approx(np.hypot(200, 50), abs=0.1)


def test_health_distance_without_a_site_looks_at_the_zone_vacant_land(park: Park) -> None:
    result = run(park, industry_code="3091", area_mu=20, **GOOD_INDUSTRY)
    ind = finding(result, "health_distance", "ind")
    # V1 (x 300-600) is 2000 m from H1, V2 800 m: the farthest vacant parcel is measured
    assert (ind["status"], ind["measured"], ind["required"]) == ("pass", 2000.0, 1000)
    assert "1 of 2 vacant parcels" in ind["message"]
    town = finding(result, "health_distance", "town")
    assert town["status"] == "fail"
    assert town["measured"] == pytest.approx(np.hypot(200, 300), abs=0.1)  # V3 to H1
    assert "no vacant parcel of zone town" in town["message"]


# --------------------------------------------------------------------------- sensitive use
HOUSING = {"industry_code": "7010", "wastewater_tpd": 10.0, "power_mw": 1.0}


def plant_park(*plants: tuple[str, str, str, shapely.Polygon], vacant: bool = False) -> Park:
    """The rule park with nuisance plants (id, industry code, status, geometry) added.

    With ``vacant``, the town zone also gets V5, a vacant parcel at its far east end.
    """
    layers = rule_layers()
    rows = [
        {
            "parcel_id": pid,
            "land_use_code": "100103",
            "status": status,
            "occupant": f"plant {pid}",
            "industry_code": code,
            "wastewater_tpd": 0.0,
            "power_mw": 0.0,
            "geometry": geom,
        }
        for pid, code, status, geom in plants
    ]
    if vacant:
        rows.append(
            {
                "parcel_id": "V5",
                "land_use_code": "070102",
                "status": "vacant",
                "occupant": "",
                "industry_code": "",
                "wastewater_tpd": 0.0,
                "power_mw": 0.0,
                "geometry": metric_box(2800, 700, 3000, 900),
            }
        )
    extra = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)
    layers["parcels"] = pd.concat([layers["parcels"], extra], ignore_index=True)
    return make_park(layers=layers)


#: K1, a developed carbon plant (3091: 1000 m, binding) in the industry zone
CARBON = ("K1", "3091", "developed", metric_box(1500, 500, 1700, 700))


def test_sensitive_use_too_close_to_a_binding_plant_fails() -> None:
    park = plant_park(CARBON)
    # the site starts at x=2100, K1 ends at x=1700 on the same rows: 400 m
    result = run(park, geometry=site(2100, 500, 2200, 600), **HOUSING)
    f = finding(result, "health_distance.sensitive_use")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("fail", 400.0, 1000, "m")
    assert "K1 (developed) plant K1, industry 3091" in f["message"]
    assert "600 m short" in f["message"]
    assert "GB 18073-2000" in f["source"]
    assert "binding" in f["source"]
    assert result[s.VERDICT].tolist() == ["does_not_fit"]
    assert rules_with_status(result, "fail").tolist() == [["health_distance.sensitive_use"]]


def test_sensitive_use_beyond_the_plant_distance_passes() -> None:
    park = plant_park(CARBON)
    result = run(park, geometry=site(2800, 500, 2900, 700), **HOUSING)
    f = finding(result, "health_distance.sensitive_use")
    assert (f["status"], f["measured"], f["required"]) == ("pass", 1100.0, 1000)
    assert "K1" in f["message"]
    assert result[s.VERDICT].tolist() == ["fits"]


def test_sensitive_use_near_an_advisory_plant_warns() -> None:
    # A1: a committed rolling mill (3252: 500 m, advisory)
    park = plant_park(("A1", "3252", "committed", metric_box(1500, 500, 1700, 700)))
    result = run(park, geometry=site(2100, 500, 2200, 600), **HOUSING)
    f = finding(result, "health_distance.sensitive_use")
    assert (f["status"], f["measured"], f["required"]) == ("warn", 400.0, 500)
    assert "A1 (committed) plant A1, industry 3252" in f["message"]
    assert "advisory" in f["source"]
    assert result[s.VERDICT].tolist() == ["conditional"]


def test_sensitive_use_reports_a_binding_shortfall_before_a_deeper_advisory_one() -> None:
    park = plant_park(
        ("K1", "3091", "developed", metric_box(1100, 300, 1200, 400)),  # 905.5 m: 94.5 m short
        ("A1", "3252", "developed", metric_box(2100, 650, 2180, 700)),  # 50 m: 450 m short
    )
    result = run(park, geometry=site(2100, 500, 2200, 600), **HOUSING)
    f = finding(result, "health_distance.sensitive_use")
    assert (f["status"], f["required"]) == ("fail", 1000)
    assert f["measured"] == pytest.approx(np.hypot(900, 100), abs=0.1)
    assert "K1" in f["message"]
    assert "A1" not in f["message"]


def test_sensitive_use_ignores_vacant_plants_and_plants_without_a_rule(park: Park) -> None:
    # S1 (3216) has no health-protection distance; a vacant carbon parcel is no plant yet
    vacant_plant = plant_park(("K1", "3091", "vacant", CARBON[3]))
    for p in (park, vacant_plant):
        f = finding(
            run(p, geometry=site(2100, 500, 2200, 600), **HOUSING), "health_distance.sensitive_use"
        )
        assert (f["status"], f["measured"]) == ("pass", None)
        assert "no developed or committed parcel" in f["message"]


def test_sensitive_use_rule_does_not_apply_to_industry() -> None:
    park = plant_park(CARBON)
    result = run(park, geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    assert "health_distance.sensitive_use" not in rules_of(result, "ind")


def test_sensitive_use_without_a_site_looks_at_the_zone_vacant_land() -> None:
    park = plant_park(CARBON, vacant=True)
    result = run(park, area_mu=20, **HOUSING)
    town = finding(result, "health_distance.sensitive_use", "town")
    # V3 (x 2200-2400) is 500 m from K1, V5 (x 2800-3000) 1100 m: V5 is the best parcel
    assert (town["status"], town["measured"], town["required"]) == ("pass", 1100.0, 1000)
    assert "1 of 2 vacant parcels of zone town" in town["message"]
    ind = finding(result, "health_distance.sensitive_use", "ind")
    # V1 (x 300-600, y 0-300) is the farthest from K1 (x 1500-1700, y 500-700), still too near
    assert (ind["status"], ind["required"]) == ("fail", 1000)
    assert ind["measured"] == pytest.approx(np.hypot(900, 200), abs=0.1)
    assert "the best, V1" in ind["message"]
    assert "K1" in ind["message"]
    logi = finding(result, "health_distance.sensitive_use", "logi")
    # V4 (x 0-300, y 1000-1300) is clear of K1 (x 1500-1700, y 500-700)
    assert (logi["status"], logi["required"]) == ("pass", 1000)
    assert logi["measured"] == pytest.approx(np.hypot(1200, 300), abs=0.1)


# --------------------------------------------------------------------------- capacity
def test_wastewater_within_and_beyond_what_is_left(park: Park) -> None:
    # 1000 t/d capacity - 600 t/d used by developed parcels = 400 t/d left
    ok = run(park, area_mu=30, **{**GOOD_INDUSTRY, "wastewater_tpd": 400})
    f = finding(ok, "capacity.wastewater_tpd", "ind")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("pass", 400.0, 400.0, "t/d")
    over = run(park, area_mu=30, **{**GOOD_INDUSTRY, "wastewater_tpd": 450})
    g = finding(over, "capacity.wastewater_tpd", "ind")
    assert (g["status"], g["measured"], g["required"]) == ("fail", 450.0, 400.0)
    assert "by 50.0 t/d" in g["message"]
    assert "600.0 t/d taken" in g["message"]
    assert over.set_index(s.ZONE_ID).loc["ind", s.VERDICT] == "does_not_fit"


def test_advisory_power_capacity_warns(park: Park) -> None:
    result = run(park, area_mu=30, **{**GOOD_INDUSTRY, "power_mw": 60})
    f = finding(result, "capacity.power_mw", "ind")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("warn", 60.0, 49.0, "MW")


# --------------------------------------------------------------------------- chain
def test_chain_consumer_next_to_the_smelter_gets_a_note(park: Park) -> None:
    result = run(park, industry_code="3831", geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    f = finding(result, "chain")
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("pass", 50.0, 1000.0, "m")
    assert f["message"].startswith("note:")
    assert "S1" in f["message"]


def test_chain_consumer_far_from_the_smelter_warns(park: Park) -> None:
    result = run(park, industry_code="3831", geometry=site(1700, 700, 1900, 900), **GOOD_INDUSTRY)
    f = finding(result, "chain")
    assert (f["status"], f["required"]) == ("warn", 1000.0)
    assert f["measured"] == pytest.approx(np.hypot(1400, 400), abs=0.1)
    assert "95%" in f["message"]
    assert result[s.VERDICT].tolist() == ["conditional"]


def test_chain_without_a_site_measures_the_zone_vacant_land(park: Park) -> None:
    result = run(park, industry_code="3831", area_mu=20, **GOOD_INDUSTRY)
    ind = finding(result, "chain", "ind")
    assert (ind["status"], ind["measured"]) == ("pass", 0.0)  # V1 touches the smelter
    assert "V1" in ind["message"]


def test_chain_without_known_producers_warns() -> None:
    layers = rule_layers()
    layers["parcels"]["industry_code"] = ""
    park = make_park(layers=layers)
    result = run(park, industry_code="3831", geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    f = finding(result, "chain")
    assert (f["status"], f["measured"]) == ("warn", None)
    assert "no developed or committed parcel" in f["message"]


def test_chain_does_not_apply_to_non_consumers(park: Park) -> None:
    result = run(park, industry_code="3216", geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    assert "chain" not in rules_of(result, "ind")


# --------------------------------------------------------------------------- zone rules
def test_vacant_land_without_a_site(park: Park) -> None:
    result = run(park, industry_code="3831", area_mu=300, **GOOD_INDUSTRY)
    f = finding(result, "land.vacant", "ind")
    # V1 + V2: 2 x 90,000 m² = 270 mu of vacant land
    assert (f["status"], f["measured"], f["required"], f["unit"]) == ("fail", 270.0, 300.0, "mu")
    small = run(park, industry_code="3831", area_mu=100, **GOOD_INDUSTRY)
    assert finding(small, "land.vacant", "ind")["status"] == "pass"


def test_requested_zone(park: Park) -> None:
    siteless = run(
        park, industry_code="5920", area_mu=10, requested_zone="logi", wastewater_tpd=1, power_mw=1
    )
    f = finding(siteless, "zone.requested", "logi")
    assert (f["status"], f["measured"], f["required"]) == ("pass", "logi", "logi")
    assert "zone.requested" not in rules_of(siteless, "ind")
    sited = run(park, geometry=site(350, 50, 550, 250), requested_zone="logi", **GOOD_INDUSTRY)
    g = finding(sited, "zone.requested")
    assert (g["status"], g["measured"], g["required"]) == ("warn", "ind", "logi")


# --------------------------------------------------------------------------- verdict, best
def test_best_is_the_best_verdict_then_the_requested_zone() -> None:
    layers = rule_layers()
    layers["zones"].loc[2, "permitted"] = ["59", "3252"]  # logi now also permits 3252
    layers["zones"].loc[2, "conditional"] = []
    park = make_park(layers=layers)
    both = run(park, area_mu=30, **GOOD_INDUSTRY)
    best = both[both[s.BEST]][s.ZONE_ID].tolist()
    assert best == ["ind", "logi"]  # a tie: both fit with the same findings
    requested = run(park, area_mu=30, requested_zone="logi", **GOOD_INDUSTRY)
    assert requested[requested[s.BEST]][s.ZONE_ID].tolist() == ["logi"]


def test_requested_zone_does_not_beat_a_better_verdict(park: Park) -> None:
    result = run(park, area_mu=30, requested_zone="logi", **GOOD_INDUSTRY)
    verdicts = result.set_index(s.ZONE_ID)[s.VERDICT]
    assert (verdicts["ind"], verdicts["logi"]) == ("fits", "conditional")
    assert result[result[s.BEST]][s.ZONE_ID].tolist() == ["ind"]


def test_no_best_when_nothing_fits(park: Park) -> None:
    result = run(park, industry_code="3217", area_mu=30, **GOOD_INDUSTRY)
    assert set(result[s.VERDICT]) == {"does_not_fit"}
    assert not result[s.BEST].any()


# --------------------------------------------------------------------------- the table
def test_result_contract(park: Park) -> None:
    frame = pd.DataFrame(
        {
            "project_id": ["A", "B", "C"],
            "industry_code": ["3831", "9999", "5211"],
            "area_mu": ["30", "10", "-1"],
        }
    )
    result = check(park, frame)
    assert tuple(result.columns) == RESULT_COLUMNS
    assert result.crs.to_epsg() == 4543
    assert result[s.PROJECT_ID].tolist() == ["A", "A", "A", "B", "C"]
    assert result[s.ZONE_ID].tolist() == ["ind", "town", "logi", "", ""]
    errors = result[result[s.VERDICT] == "error"]
    assert errors[s.BEST].tolist() == [False, False]
    b_findings = errors[s.FINDINGS].iloc[0]
    assert [f["rule"] for f in b_findings] == ["input"]
    assert "unknown industry code 9999" in b_findings[0]["message"]
    assert "area_mu must be greater than 0" in errors[s.FINDINGS].iloc[1][0]["message"]
    for findings in result[s.FINDINGS]:
        for f in findings:
            assert set(f) == FINDING_KEYS
            assert f["status"] in ("pass", "warn", "fail")


def test_verdict_is_the_worst_finding(park: Park) -> None:
    frame = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(6)],
            "industry_code": ["3831", "3252", "3217", "5920", "2613", "5211"],
            "area_mu": [30, 30, 30, 30, 30, 30],
            "far": [1.0, 0.1, 1.0, np.nan, 1.0, np.nan],
        }
    )
    result = check(park, frame)
    worst = {"pass": "fits", "warn": "conditional", "fail": "does_not_fit"}
    order = ["pass", "warn", "fail"]
    for row in result.itertuples():
        statuses = [f["status"] for f in row.findings]
        assert row.verdict == worst[max(statuses, key=order.index)]


def test_error_rows_keep_the_batch_going(park: Park) -> None:
    frame = pd.DataFrame(
        {
            "project_id": ["ok", "bad-code", "neg", "bowtie", "ok2"],
            "industry_code": ["3831", "12", "3831", "3831", "5211"],
            "area_mu": ["30", "30", "-5", "", "10"],
            "site_wkt": ["", "", "", "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))", ""],
        }
    )
    result = check(park, frame)
    verdict_of = result.drop_duplicates(s.PROJECT_ID).set_index(s.PROJECT_ID)[s.VERDICT]
    assert verdict_of["bad-code"] == verdict_of["neg"] == verdict_of["bowtie"] == "error"
    assert verdict_of["ok"] != "error"
    assert verdict_of["ok2"] != "error"
    bowtie = result.set_index(s.PROJECT_ID).loc["bowtie", s.FINDINGS]
    assert "Self-intersection" in bowtie[0]["message"]


def test_table_level_problems_raise(park: Park) -> None:
    with pytest.raises(ProjectInputError, match="missing required column"):
        check(park, pd.DataFrame({"project_id": ["A"]}))
    with pytest.raises(ProjectInputError, match="duplicate project id"):
        check(park, pd.DataFrame({"project_id": ["A", "A"], "industry_code": ["3831"] * 2}))


def test_facts_can_be_reused(park: Park) -> None:
    facts = build_park_facts(park)
    frame = pd.DataFrame({"project_id": ["A"], "industry_code": ["3831"], "area_mu": [30]})
    a = check(park, frame, facts=facts)
    b = check(park, frame)
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))


def test_failed_rules_helper(park: Park) -> None:
    result = run(park, industry_code="3217", area_mu=30, **GOOD_INDUSTRY)
    failed = rules_with_status(result, "fail")
    assert failed.tolist()[0] == ["industry"]
    assert failed.name == "fail_rules"


def test_json_forms(park: Park) -> None:
    result = run(park, geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    records = to_records(result)
    assert set(records[0]) == {
        "project_id",
        "name",
        "industry_code",
        "zone_id",
        "verdict",
        "best",
        "area_mu",
        "findings",
    }
    doc = to_feature_collection(result)
    geometry = doc["features"][0]["geometry"]
    assert geometry["type"] == "Polygon"
    lon, lat = geometry["coordinates"][0][0]
    assert 100 < lon < 104
    assert 35 < lat < 38
    assert doc["features"][0]["properties"]["verdict"] == records[0]["verdict"]


def test_json_forms_carry_reason_and_both_languages(park: Park) -> None:
    import json

    result = run(park, geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    text = json.dumps(to_feature_collection(result), ensure_ascii=False, allow_nan=False)
    back = json.loads(text)["features"][0]["properties"]["findings"]
    assert back == json.loads(json.dumps(to_records(result)[0]["findings"], allow_nan=False))
    for finding in back:
        assert set(finding) == FINDING_KEYS
        assert finding["message_zh"]
        assert finding["reason"]
    assert any(f["reason"] == "in_zone" and "场地位于分区" in f["message_zh"] for f in back)


# --------------------------------------------------------------------------- batch = row by row
CODES = ["3216", "3217", "3252", "3831", "2613", "3091", "5211", "7010", "5920", "5942"]


@st.composite
def projects(draw: st.DrawFn) -> gpd.GeoDataFrame:
    n = draw(st.integers(min_value=1, max_value=6))
    rows, geoms = [], []
    for i in range(n):
        row: dict[str, Any] = {"project_id": f"P{i}", "industry_code": draw(st.sampled_from(CODES))}
        for field in ("far", "investment_wan", "wastewater_tpd", "green_ratio"):
            row[field] = draw(
                st.one_of(
                    st.none(),
                    st.floats(0, 3) if field != "investment_wan" else st.floats(0, 50_000),
                )
            )
        if draw(st.booleans()):
            x = draw(st.floats(-300, 3200))
            y = draw(st.floats(-300, 1600))
            w = draw(st.floats(20, 400))
            geoms.append(shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + w))
            row["area_mu"] = None
        else:
            geoms.append(None)
            row["area_mu"] = draw(st.floats(1, 400))
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=METRIC_CRS)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=projects())
def test_batch_equals_one_by_one(park: Park, batch: gpd.GeoDataFrame) -> None:
    facts = build_park_facts(park)
    together = check(park, batch, facts=facts)
    alone = pd.concat(
        [check(park, batch.iloc[[i]], facts=facts) for i in range(len(batch))], ignore_index=True
    )
    assert together.drop(columns="geometry").to_dict("records") == alone.drop(
        columns="geometry"
    ).to_dict("records")
    for pid, rows in together.groupby(s.PROJECT_ID):
        sited = not rows.geometry.isna().all()
        if not sited and rows[s.VERDICT].iloc[0] != "error":
            assert len(rows) == 3  # every zone
        placeable = rows[s.VERDICT].isin(["fits", "conditional"])
        assert not (rows[s.BEST] & ~placeable).any(), pid
        if placeable.any():
            assert rows[s.BEST].any(), pid


def test_area_from_the_site(park: Park) -> None:
    result = run(park, geometry=site(350, 50, 550, 250), **GOOD_INDUSTRY)
    assert result[s.AREA_MU].iloc[0] == pytest.approx(40_000 / M2_PER_MU)


def test_threaded_overlay_equals_serial() -> None:
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 1000, (500, 2))
    a = shapely.box(xy[:, 0], xy[:, 1], xy[:, 0] + 80, xy[:, 1] + 60)
    b = shapely.buffer(shapely.points(xy + rng.uniform(-50, 50, (500, 2))), 40)
    serial = shapely.area(shapely.intersection(a, b))
    threaded = _overlap_area(a, b, min_pairs=1)
    np.testing.assert_array_equal(threaded, serial)
