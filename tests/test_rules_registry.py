"""The rule registry: any subset runs, the whole registry is the check.

The size gates of the rule modules are those of the whole package, in
``tests/test_architecture.py``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

import zoning
from zoning.io import read_projects
from zoning.io.park import bundled_park_dir
from zoning.park import Park
from zoning.rules import RULES, RULES_BY_ID, Reason, build_park_facts, check
from zoning.rules import docs as rule_docs
from zoning.rules.registry import rule_for
from zoning.schema import FitRule

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def park() -> Park:
    return zoning.load_park()


@pytest.fixture(scope="module")
def pipeline() -> gpd.GeoDataFrame:
    return read_projects(bundled_park_dir() / "projects.csv")


@pytest.fixture(scope="module")
def full(park: Park, pipeline: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return check(park, pipeline)


def test_rule_ids_are_unique_and_cover_every_fit_rule() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in FitRule:
        if rule is FitRule.INPUT:
            continue
        assert rule_for(rule) is not None, rule


def test_the_whole_registry_is_the_default(
    park: Park, pipeline: gpd.GeoDataFrame, full: gpd.GeoDataFrame
) -> None:
    explicit = check(park, pipeline, rules=RULES, facts=build_park_facts(park))
    assert explicit.drop(columns="geometry").equals(full.drop(columns="geometry"))


@pytest.mark.parametrize(
    "subset",
    [["industry"], ["capacity", "health_distance"], ["site.zone", "chain", "intensity.far"]],
    ids=lambda ids: "+".join(ids),
)
def test_a_subset_runs_only_its_rules_with_the_same_findings(
    park: Park, pipeline: gpd.GeoDataFrame, full: gpd.GeoDataFrame, subset: list[str]
) -> None:
    rules = [r for r in RULES if r.id in subset]  # in registry order, as in a full row
    result = check(park, pipeline, rules=rules)

    def of_subset(rule: str) -> bool:
        found = rule_for(rule)
        return found is not None and found.id in subset

    assert result[["project_id", "zone_id"]].equals(full[["project_id", "zone_id"]])
    for got, whole, verdict in zip(result.findings, full.findings, full.verdict, strict=True):
        if verdict == "error":
            assert got == whole
            continue
        assert got == [f for f in whole if of_subset(f["rule"])]
    # the verdict is made from the rules run: the industry rule alone admits more
    if subset == ["industry"]:
        fails = {"fits": 0, "conditional": 1, "does_not_fit": 2, "error": 3}
        assert all(fails[a] <= fails[b] for a, b in zip(result.verdict, full.verdict, strict=True))
        assert (result.verdict != full.verdict).any()


def test_an_empty_registry_checks_only_the_input(park: Park, pipeline: gpd.GeoDataFrame) -> None:
    result = check(park, pipeline, rules=[])
    assert set(result.verdict) == {"fits"}
    assert result.findings.map(len).sum() == 0


def test_every_finding_has_a_reason_and_a_chinese_message(full: gpd.GeoDataFrame) -> None:
    reasons = {r.value for r in Reason}
    for findings in full.findings:
        for f in findings:
            assert f["reason"] in reasons, f
            assert f["message_zh"], f
            assert any("\u4e00" <= c <= "\u9fff" for c in f["message_zh"]), f["message_zh"]


def test_a_missing_value_is_known_by_its_reason_not_its_words(park: Park) -> None:
    projects = gpd.GeoDataFrame(
        {"project_id": ["P"], "industry_code": ["3252"], "area_mu": [50.0]},
        geometry=[None],
        crs="EPSG:4543",
    )
    result = check(park, projects, rules=[RULES_BY_ID["intensity.far"], RULES_BY_ID["capacity"]])
    found = {(f["rule"], f["reason"]) for f in result.findings[0]}
    assert found == {
        ("intensity.far", "not_provided"),
        ("capacity.wastewater_tpd", "not_provided"),
        ("capacity.power_mw", "not_provided"),
    }


def test_rule_documentation_and_titles(park: Park) -> None:
    for rule in RULES:
        assert rule.doc.startswith(f"``{rule.id.split('.')[0]}"), rule.id
        for heading in ("**Checks**", "**Why**", "**Reads**", "Examples\n--------"):
            assert heading in rule.doc, (rule.id, heading)
    thresholds = RULES_BY_ID["health_distance"].thresholds(park.rulebook)
    assert {(t.key, t.value, t.binding) for t in thresholds} >= {
        ("health_distances.carbon_plant", 1000.0, True)
    }


def test_fit_check_document_is_generated_from_the_registry() -> None:
    committed = (ROOT / rule_docs.DOCUMENT).read_text(encoding="utf-8")
    assert committed == rule_docs.replace_section(committed), (
        "docs/fit-check.md is stale: run "
        'python -c "import zoning.rules.docs as d; d.write_rules_section()"'
    )
    for rule in RULES:
        assert f"| `{rule.id}` |" in committed


def test_compiled_templates_match_str_format_and_refuse_anything_but_fields() -> None:
    from zoning.rules.base import compile_template

    template = "{label}: {n:,.1f} 万元 on {share:.0%} {{literal}} 'quoted' \\ back"
    fast = compile_template(template, ("label", "n", "share"))
    assert fast("容积率", 1234.56, 0.35) == template.format(label="容积率", n=1234.56, share=0.35)
    for bad in ("{n.__class__}", "{n[0]}", "{n!r}", "{other}", "{n:{w}}"):
        with pytest.raises(ValueError, match="unsupported field"):
            compile_template(bad, ("n", "w"))
