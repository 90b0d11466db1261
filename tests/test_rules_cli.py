"""``zoning rules``: the registry as a planner reads it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_zoning
from zoning.rules import RULES


def test_rules_lists_every_rule_with_its_title_and_thresholds() -> None:
    result = run_zoning("rules")
    assert result.returncode == 0, result.stderr
    for rule in RULES:
        assert rule.id in result.stdout
    assert "新建企业与敏感用地的卫生防护距离" in result.stdout
    assert "health_distances.carbon_plant = 1000 m (binding" in result.stdout
    assert "capacities.power_mw = 600 MW (advisory" in result.stdout


def test_rules_prints_one_rules_documentation() -> None:
    result = run_zoning("rules", "health_distance")
    assert result.returncode == 0, result.stderr
    assert "health-protection distance (卫生防护距离)" in result.stdout
    assert "GB 18073-2000" in result.stdout
    # a finding's rule id leads to the rule that makes it
    grouped = run_zoning("rules", "capacity.wastewater_tpd")
    assert grouped.returncode == 0, grouped.stderr
    assert "capacities.wastewater_tpd = 10000 t/d (binding" in grouped.stdout


def test_unknown_rule_exits_2_and_lists_the_known_ids() -> None:
    result = run_zoning("rules", "site.slope")
    assert result.returncode == 2
    assert "unknown rule 'site.slope'" in result.stderr
    assert "health_distance.sensitive_use" in result.stderr


def test_rules_reads_the_thresholds_of_the_park_given(bundled_copy: Path) -> None:
    rulebook = bundled_copy / "rulebook.toml"
    text = rulebook.read_text(encoding="utf-8")
    rulebook.write_text(text.replace("distance_m = 500", "distance_m = 650"), encoding="utf-8")
    result = run_zoning("rules", "health_distance", "--park", bundled_copy)
    assert result.returncode == 0, result.stderr
    assert "health_distances.auto_plant_reference = 650 m (advisory" in result.stdout
