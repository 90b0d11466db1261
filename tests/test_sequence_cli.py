"""`zoning sequence` as a planner runs it: real subprocesses, exit codes, outputs, messages."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

import zoning
from tests.conftest import run_zoning as run
from zoning.cli.sequence import plan_to_geojson, print_phase_plan
from zoning.io import bundled_park_dir

PROJECTS = bundled_park_dir() / "projects.csv"


def test_table_on_the_bundled_park() -> None:
    result = run("sequence")
    assert result.returncode == 0, result.stderr
    assert "Phase plan: 5 phase(s), quota 1,500 mu per phase (heuristic)" in result.stdout
    # each tract's own compactness and the infrastructure to build, per phase (连片开发)
    assert "convex hull" in result.stdout
    assert "tracts" in result.stdout
    assert "road m" in result.stdout
    # the reasons in words (zone_held), not as codes
    assert "53 zone kept in current use" in result.stdout
    assert "zone_held" not in result.stdout
    assert "Traceback" not in result.stderr


def test_compare_quotas_side_by_side(tmp_path: Path) -> None:
    out = tmp_path / "compare.json"
    result = run("sequence", "--compare", "800,1500", "--phases", "2", "-f", "json", "-o", out)
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["scenario"], r["phase"]) for r in rows] == [
        ("800 mu", 1), ("800 mu", 2), ("1,500 mu", 1), ("1,500 mu", 2),
    ]  # fmt: skip
    quota = {"800 mu": 800.0, "1,500 mu": 1500.0}
    assert all(r["area_mu"] <= quota[r["scenario"]] + 1e-6 for r in rows)
    assert all(1 <= r["tracts"] <= 3 for r in rows if r["area_mu"] > 0)


def test_compare_refuses_a_bad_quota_list() -> None:
    result = run("sequence", "--compare", "800,abc")
    assert result.returncode == 2
    assert "not a list of quotas: '800,abc'" in result.stderr
    assert "Traceback" not in result.stderr


def test_max_tracts_limits_every_phase() -> None:
    result = run("sequence", "--max-tracts", "1", "--phases", "2", "-f", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["tracts"]
    per_phase = Counter(t["phase"] for t in doc["tracts"])
    assert max(per_phase.values()) == 1


def test_json_to_stdout_is_the_issue_format() -> None:
    result = run("sequence", "--quota-mu", "800", "--phases", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {"phases", "unscheduled", "metrics"} <= set(doc)
    assert [p["phase"] for p in doc["phases"]] == [1, 2, 3]
    assert all(p["area_mu"] <= 800 for p in doc["phases"])
    assert set(doc["phases"][0]) == {"phase", "area_mu", "parcels", "projects"}
    assert all(set(u) == {"parcel_id", "reason"} for u in doc["unscheduled"])
    assert doc["metrics"]["quota_mu"] == 800
    assert len(doc["metrics"]["per_phase"]) == 3
    assert "ILLUSTRATIVE" in doc["notice"]


def test_geojson_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "phases.geojson"
    result = run("sequence", "--phases", "4", "--format", "geojson", "-o", target)
    assert result.returncode == 0, result.stderr
    assert "wrote the phase plan" in result.stdout
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    park = zoning.load_park()
    assert len(doc["features"]) == len(park.parcels)
    phases = {f["properties"]["phase"] for f in doc["features"]}
    assert phases <= {None, 1, 2, 3, 4}
    assert {1, 2} <= phases
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0]
    assert 101 < lon < 102.5
    assert 36 < lat < 37.5
    assert [p.name for p in tmp_path.iterdir()] == ["phases.geojson"]


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    result = run("sequence", "--format", "json", "-o", tmp_path / "missing" / "plan.json")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_infeasible_quota_exits_2_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old plan", encoding="utf-8")
    result = run("sequence", "--quota-mu", "1", "--format", "json", "-o", target)
    assert result.returncode == 2
    assert "smaller than every vacant parcel" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "old plan"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--quota-mu", "0"), "quota must be a positive number"),
        (("--phases", "0"), "number of phases"),
        (("--method", "exact"), "takes at most"),
    ],
    ids=["zero-quota", "no-phase", "exact-on-a-large-park"],
)
def test_bad_requests_exit_2_with_the_cause(args: tuple[str, ...], message: str) -> None:
    result = run("sequence", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_exact_method_on_a_small_park(tiny_park_dir: Path) -> None:
    result = run(
        "sequence", "--park", tiny_park_dir, "--quota-mu", "200", "--phases", "2",
        "--method", "exact", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["metrics"]["method"] == "exact"
    assert doc["metrics"]["optimal"] is True
    assert doc["phases"][0]["parcels"] == ["P2"]
    # P3 lies in the town zone, kept in its current use (maintain_current, not scheduled)
    assert doc["unscheduled"] == [{"parcel_id": "P3", "reason": "zone_held"}]


def test_projects_are_placed_phase_by_phase() -> None:
    result = run(
        "sequence", "--projects", PROJECTS, "--quota-mu", "300", "--phases", "4",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    placed = [p for phase in doc["phases"] for p in phase["projects"]]
    assert placed
    assert len(placed) == len(set(placed))
    assert {a["project_id"] for a in doc["assignments"]} == set(placed)
    assert doc["unplaced"]
    assert all(u["reason"] for u in doc["unplaced"])
    # one plan (issue 14): reserve land fills what the projects leave of each quota
    assert "not_needed" not in {u["reason"] for u in doc["unscheduled"]}


def test_print_phase_plan_for_zoning_plan() -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=1000, phases=3)
    buffer = io.StringIO()
    print_phase_plan(plan, out=Console(file=buffer, width=140, color_system=None))
    text = buffer.getvalue()
    assert "Phase plan: 3 phase(s), quota 1,000 mu per phase (heuristic)" in text
    for value in plan.metrics["area_mu"]:
        assert f"{value:,.1f}" in text
    doc = plan_to_geojson(plan)
    assert sum(f["properties"]["phase"] == 1 for f in doc["features"]) == int(
        plan.metrics["parcels"].iloc[0]
    )
