"""`zoning check` as a planner runs it: real subprocesses, exit codes, outputs and messages."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console

import zoning
from tests.conftest import run_zoning as run
from zoning.cli.check import run_pipeline_check
from zoning.io import bundled_park_dir

BUNDLED = bundled_park_dir() / "projects.csv"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A batch with a fitting project, one that does not fit, and two bad rows."""
    return write(
        tmp_path / "mixed.csv",
        "project_id,name,industry_code,area_mu,wastewater_tpd\n"
        "OK,Cable,3831,60,40\n"
        "NO,Silicon smelter,3218,30,20\n"
        "BAD1,Unknown code,1234,20,\n"
        "BAD2,Negative area,3252,-20,\n",
    )


def test_bundled_pipeline_as_a_table() -> None:
    result = run("check", BUNDLED)
    assert result.returncode == 0, result.stderr  # "does not fit" is a result
    assert "BP15" in result.stdout
    assert "does not fit" in result.stdout
    assert "health_distance" in result.stdout
    assert "Candidate sites" in result.stdout
    assert "22 project(s)" in result.stdout


def test_json_output_and_error_rows(mixed: Path) -> None:
    result = run("check", mixed, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    by_project: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        assert {"project_id", "zone_id", "verdict", "findings", "name", "best"} <= set(row)
        by_project.setdefault(str(row["project_id"]), []).append(row)
    assert [r["verdict"] for r in by_project["BAD1"]] == ["error"]
    assert by_project["BAD1"][0]["zone_id"] == ""
    message = by_project["BAD1"][0]["findings"][0]["message"]  # type: ignore[index]
    assert "unknown industry code 1234" in message
    assert [r["verdict"] for r in by_project["BAD2"]] == ["error"]
    assert {r["verdict"] for r in by_project["NO"]} == {"does_not_fit"}
    ok = [r for r in by_project["OK"] if r["best"]]
    assert [r["zone_id"] for r in ok] == ["almg"]
    assert ok[0]["candidate_sites"]  # site-less: ranked vacant land proposed


def test_geojson_output_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "verdicts.geojson"
    target.parent.mkdir()
    result = run("check", BUNDLED, "--format", "geojson", "-o", target)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    sited = [f for f in doc["features"] if f["geometry"] is not None]
    assert {f["properties"]["project_id"] for f in sited} >= {"BP01", "BP15", "BP22"}
    lon, lat = sited[0]["geometry"]["coordinates"][0][0]
    assert 101 < lon < 102
    assert 36 < lat < 38
    assert os.listdir(target.parent) == ["verdicts.geojson"]  # no temporary file left


def test_table_to_a_file_is_plain_text(tmp_path: Path, mixed: Path) -> None:
    target = tmp_path / "verdicts.txt"
    result = run("check", mixed, "-o", target, "--no-sites")
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text  # no terminal colour codes in a file
    assert "does not fit" in text
    assert "Candidate sites" not in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "the file is empty"),
        ("header.csv", "project_id,name\nA,x\n", "missing required column(s): industry_code"),
        ("dupes.csv", "project_id,industry_code\nA,3252\nA,3831\n", "duplicate project id"),
        ("ragged.csv", "project_id,industry_code\nA,3252,1,2\n", "more cells than header"),
        ("bad.geojson", '{"type": "FeatureCollection", "features": [', "invalid JSON"),
    ],
    ids=["empty", "missing-column", "duplicate-ids", "ragged", "bad-json"],
)
def test_malformed_files_exit_2_with_a_clear_message(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    result = run("check", write(tmp_path / name, content))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unwritable_output_exits_2(tmp_path: Path, mixed: Path) -> None:
    result = run("check", mixed, "-f", "json", "-o", tmp_path / "missing" / "out.json")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_custom_park(tiny_park_dir: Path, tmp_path: Path) -> None:
    projects = write(
        tmp_path / "p.csv",
        "project_id,industry_code,area_mu,far\nW,5920,10,\nS,3252,20,0.8\n",
    )
    result = run("check", projects, "--park", tiny_park_dir, "-f", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["zone_id"] for r in rows} == {"ind", "city"}


def test_pipeline_check_for_zoning_plan(tiny_park_dir: Path) -> None:
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, color_system=None)
    checked = run_pipeline_check(zoning.load_park(), out=out)
    assert checked is not None
    results, sites = checked
    assert set(results["project_id"]) >= {"BP01", "BP22"}
    assert set(sites["project_id"]) <= set(results["project_id"])
    assert not sites.empty
    text = buffer.getvalue()
    assert "Project pipeline fit check (projects.csv)" in text
    assert "Candidate sites" in text
    buffer.truncate(0)
    assert run_pipeline_check(zoning.load_park(tiny_park_dir), tiny_park_dir, out=out) is None
    assert "no project pipeline" in buffer.getvalue()
