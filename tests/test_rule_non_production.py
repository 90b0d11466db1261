"""``site.non_production``: no housing or hotels on industrial land (2008 control indicators)."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import pytest

import zoning
from zoning.io import read_projects
from zoning.io.park import bundled_park_dir
from zoning.park import Park
from zoning.rulebook import RuleSetting
from zoning.rules import RULES, RULES_BY_ID, check
from zoning.rules.examples import box, two_zone_park
from zoning.units import METRIC_CRS

RULE = RULES_BY_ID["site.non_production"]


def with_setting(park: Park, *, binding: bool = False) -> Park:
    setting = RuleSetting(
        applies_to=["07", "090104"], binding=binding, confidence="secondary", source="2008 table"
    )
    rulebook = park.rulebook.model_copy(update={"rules": {"site.non_production": setting}})
    return replace(park, rulebook=rulebook)


def homes(*sites: tuple[float, float, float, float], code: str = "7010") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"project_id": [f"H{i}" for i in range(len(sites))], "industry_code": [code] * len(sites)},
        geometry=[box(*b) for b in sites],
        crs=METRIC_CRS,
    )


def only(result: gpd.GeoDataFrame, project: str) -> dict[str, object]:
    (found,) = [
        f
        for fs in result.loc[result.project_id == project, "findings"]
        for f in fs
        if f["rule"] == RULE.id
    ]
    return found


@pytest.mark.parametrize(("binding", "status"), [(False, "warn"), (True, "fail")])
def test_housing_on_industrial_land_warns_or_fails_by_force(binding: bool, status: str) -> None:
    park = with_setting(two_zone_park(), binding=binding)
    result = check(park, homes((100, 100, 300, 300)), rules=[RULE])
    f = only(result, "H0")
    assert (f["status"], f["reason"], f["measured"], f["unit"]) == (
        status,
        "overlaps",
        40_000.0,
        "m²",
    )
    assert "p1 (vacant) 100102" in f["message"]
    assert "工业用地" in f["message_zh"]
    assert "rules.site.non_production" in f["source"]


def test_housing_on_residential_land_passes_and_touching_is_not_overlapping() -> None:
    park = with_setting(two_zone_park())
    # h1 is residential land; the second site only touches industrial parcel p1 (x = 500)
    result = check(park, homes((1600, 600, 1800, 800), (500, 0, 700, 200)), rules=[RULE])
    assert [only(result, p)["status"] for p in ("H0", "H1")] == ["pass", "pass"]


def test_other_uses_projects_without_a_site_and_parks_without_the_entry_get_no_finding() -> None:
    park = with_setting(two_zone_park())
    plant = homes((100, 100, 300, 300), code="3252")
    assert check(park, plant, rules=[RULE])["findings"].map(len).sum() == 0
    siteless = gpd.GeoDataFrame(
        {"project_id": ["H"], "industry_code": ["7010"], "area_mu": [10.0]},
        geometry=[None],
        crs=METRIC_CRS,
    )
    assert check(park, siteless, rules=[RULE])["findings"].map(len).sum() == 0
    bare = check(two_zone_park(), homes((100, 100, 300, 300)), rules=[RULE])
    assert bare["findings"].map(len).sum() == 0


def test_bundled_housing_in_the_cluster_is_flagged_and_its_verdict_holds() -> None:
    park = zoning.load_park()
    assert park.rulebook.rules["site.non_production"].binding is False
    result = check(park, read_projects(bundled_park_dir() / "projects.csv"), rules=RULES)
    f = only(result, "BP16")
    assert (f["status"], f["reason"]) == ("warn", "overlaps")
    assert "BC-0208" in f["message"]
    flagged = {
        p
        for p, fs in zip(result.project_id, result.findings, strict=True)
        for x in fs
        if x["rule"] == RULE.id and x["status"] != "pass"
    }
    assert flagged == {"BP16"}
