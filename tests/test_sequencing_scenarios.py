"""Phase plans side by side (``compare_scenarios``)."""

from __future__ import annotations

import pytest

import zoning
from zoning import schema as s
from zoning.planning import Scenario, SequencingOptions, compare_scenarios, sequence
from zoning.planning.scenarios import SCENARIO_COLUMNS


def test_scenarios_side_by_side_match_their_own_plans() -> None:
    park = zoning.load_park()
    scenarios = {
        "800 mu": SequencingOptions(quota_mu=800, phases=3),
        "1500 mu, one tract": SequencingOptions(quota_mu=1500, phases=3, max_tracts_per_phase=1),
        "bonded first": Scenario(
            SequencingOptions(quota_mu=1500, phases=3), zone_priorities={"bonded": 1, "almg": 2}
        ),
    }
    table = compare_scenarios(park, scenarios)
    assert list(table.columns) == list(SCENARIO_COLUMNS)
    assert list(dict.fromkeys(table["scenario"])) == list(scenarios)
    assert len(table) == 9
    own = sequence(park, quota_mu=1500, phases=3, max_tracts_per_phase=1)
    rows = table[table["scenario"] == "1500 mu, one tract"]
    assert rows[s.AREA_MU].tolist() == pytest.approx(own.metrics[s.AREA_MU].tolist())
    assert rows["tracts"].tolist() == own.metrics["tracts"].tolist()
    assert rows["road_m"].tolist() == pytest.approx(own.metrics["road_m"].tolist())
    assert (rows["tracts"] <= 1).all()
    # other priorities give another plan: bonded land opens in phase 1
    bonded = table[(table["scenario"] == "bonded first") & (table[s.PHASE] == 1)]
    default = sequence(park, quota_mu=1500, phases=3)
    assert bonded["objective"].iloc[0] != pytest.approx(default.objective)


def test_projects_placed_are_counted_per_phase() -> None:
    from zoning.io import bundled_park_dir, read_projects

    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    table = compare_scenarios(
        park, {"300 mu": SequencingOptions(quota_mu=300, phases=4)}, projects=results
    )
    plan = sequence(park, quota_mu=300, phases=4, projects=results)
    assert table["projects_placed"].sum() == len(plan.assignments)
