"""The `zoning` command as a planner runs it: real subprocesses, exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import zoning
from tests.conftest import run_zoning as run
from tests.test_validation import bow_tie, not_geojson, overlapping_zones


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("plan", "validate"):
        assert command in result.stdout


@pytest.mark.parametrize("command", [(), ("plan",), ("check",), ("sequence",), ("validate",)])
def test_short_help_is_help(command: tuple[str, ...]) -> None:
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout
    assert "Usage:" in short.stdout


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"zoning {zoning.__version__}"


def test_validate_a_valid_park(tiny_park_dir: Path) -> None:
    result = run("validate", tiny_park_dir)
    assert result.returncode == 0, result.stderr
    assert "valid:" in result.stdout
    assert "2 zones, 4 parcels" in result.stdout


def test_validate_reports_every_defect_without_traceback(tiny_park_dir: Path) -> None:
    bow_tie(tiny_park_dir)
    overlapping_zones(tiny_park_dir)
    result = run("validate", tiny_park_dir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "the park data is invalid (2 problem(s))" in result.stderr
    assert "invalid geometry: Self-intersection" in result.stderr
    assert "overlapping zones: ind and city" in result.stderr


def test_validate_unreadable_file(tiny_park_dir: Path) -> None:
    not_geojson(tiny_park_dir)
    result = run("validate", tiny_park_dir)
    assert result.returncode == 2
    assert "not a GeoJSON file" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_missing_directory(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "no-such-park")
    assert result.returncode == 2
    assert "not a directory" in result.stderr


def test_plan_on_a_park_directory(tiny_park_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("plan", "--park", tiny_park_dir, "--basemap", "none", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Industry" in result.stdout
    assert "Town" in result.stdout
    assert (out / "tiny_plan.html").is_file()
    assert (out / "tiny-geojson" / "tiny_parcels_epsg4326.geojson").is_file()


def test_plan_on_the_bundled_park_writes_map_and_geojson(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    # --detail: every table, as `zoning plan` printed before the one-screen summary
    result = run("plan", "--detail", "--basemap", "none", "--out", out)
    assert result.returncode == 0, result.stderr
    for expected in (
        "铝镁产业聚集区",
        "Project pipeline fit check",
        "does not fit",
        "Land supply phase plan",
    ):
        assert expected in result.stdout
    html = (out / "beichuan_plan.html").read_text(encoding="utf-8")
    assert "Illustrative" in html
    assert "Candidate sites" in html  # the pipeline's candidate sites, drawn on the map
    layers = {p.name for p in (out / "beichuan-geojson").iterdir()}
    assert {
        f"beichuan_{name}_epsg4326.geojson" for name in ("zones", "parcels", "fit_results")
    } <= layers


def test_plan_writes_nothing_when_the_park_is_bad(tiny_park_dir: Path, tmp_path: Path) -> None:
    bow_tie(tiny_park_dir)
    out = tmp_path / "maps"
    result = run("plan", "--park", tiny_park_dir, "--out", out)
    assert result.returncode == 2
    assert "invalid geometry" in result.stderr
    assert not out.exists()


def test_plan_draws_an_intranet_tile_service(tiny_park_dir: Path, tmp_path: Path) -> None:
    template = "https://gis.datong.intranet/tiles/{z}/{x}/{y}.png"
    result = run(
        "plan", "--park", tiny_park_dir, "--out", tmp_path / "out",
        "--tiles", template, "--tiles-attribution", "大通县自然资源局",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = next((tmp_path / "out").glob("*_plan.html")).read_text(encoding="utf-8")
    assert template in page
    assert json.dumps("大通县自然资源局") in page  # the tile layer's attribution option


def test_plan_refuses_a_bad_tile_template_and_writes_nothing(
    tiny_park_dir: Path, tmp_path: Path
) -> None:
    result = run(
        "plan", "--park", tiny_park_dir, "--out", tmp_path / "out",
        "--tiles", "https://gis.datong.intranet/tiles/{z}/{x}.png",
    )  # fmt: skip
    assert result.returncode == 2
    assert "{y}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
