"""Reliability catalogue (issue 13): every bad input a clear answer, nothing written, no secret.

Each test names the case of issue 13 it covers. Cases 1 and 3 (export-folder lock and
interrupted replacement) belong to the export package and are not here.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TINY_RULEBOOK, run_zoning, tiny_layers, write_geojson
from zoning.errors import (
    ExportError,
    ParkValidationError,
    ProjectInputError,
    RulebookError,
    ZoningError,
)
from zoning.io import read_park
from zoning.io._atomic import is_disk_full, write_atomic, write_error_reason, write_text_atomic
from zoning.io.dsn import is_dsn, mask_dsn, mask_text, normalise_dsn
from zoning.io.enterprises import read_enterprises
from zoning.io.park import bundled_park_dir, read_metadata, read_rulebook
from zoning.io.projects import read_projects
from zoning.io.reading import MAX_JSON_DEPTH, Reader, json_depth
from zoning.park import park_id_problems
from zoning.rulebook import INDUSTRY_CODE_RE, build_rulebook

# a point inside the tiny park, in WGS84
_TINY_CENTRE = gpd.GeoSeries([shapely.Point(472_150.0, 4_086_150.0)], crs="EPSG:4543").to_crs(
    "EPSG:4326"
)[0]


def _no_new_files(before: set[Path], root: Path) -> None:
    after = set(root.rglob("*"))
    assert after == before, sorted(map(str, after - before))


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _set_property(path: Path, layer_index: int, key: str, value: object) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][layer_index]["properties"][key] = value
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


# --- case 4: tracebacks instead of messages --------------------------------------------------


def test_gbk_rulebook_is_named_as_gbk(tiny_park_dir: Path) -> None:
    (tiny_park_dir / "rulebook.toml").write_bytes(TINY_RULEBOOK.encode("gbk"))
    with pytest.raises(ParkValidationError, match=r"rulebook\.toml\].*not UTF-8.*GBK/GB18030"):
        read_park(tiny_park_dir)


def test_rulebook_that_is_a_directory(tiny_park_dir: Path) -> None:
    (tiny_park_dir / "rulebook.toml").unlink()
    (tiny_park_dir / "rulebook.toml").mkdir()
    with pytest.raises(RulebookError, match="is a directory, not a file"):
        read_rulebook(tiny_park_dir / "rulebook.toml")
    result = run_zoning("validate", tiny_park_dir)
    assert result.returncode == 2
    assert "is a directory, not a file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["parcels.geojson", "rulebook.toml", "metadata.json"])
def test_file_without_read_permission(
    tiny_park_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # the tests may run as root, who reads every file: the OS refusal is simulated at the
    # one call the reader layer makes, Path.read_bytes / Path.open, for that file only
    target = tiny_park_dir / name
    if not target.exists():
        target.write_text('{"park_id": "tiny"}', encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ParkValidationError, match=rf"{name}\] no permission to read"):
        read_park(tiny_park_dir)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"park_id": "tiny",', r"metadata\.json\] invalid JSON at line 1"),
        ('{"name_zh": "北川"}'.encode("gbk"), r"not UTF-8.*GBK"),
        (b"[1, 2]", "metadata must be a JSON object"),
        (_deep_json(3000).encode(), "JSON nested too deeply"),
        ('{"a": 1}'.encode("utf-16"), "UTF-16"),
    ],
    ids=["malformed", "gbk", "not-an-object", "nested-3000", "utf-16"],
)
def test_bad_metadata_is_a_message(tiny_park_dir: Path, content: bytes, message: str) -> None:
    (tiny_park_dir / "metadata.json").write_bytes(content)
    with pytest.raises(ParkValidationError, match=message):
        read_metadata(tiny_park_dir / "metadata.json")
    with pytest.raises(ParkValidationError, match=message):
        read_park(tiny_park_dir)


def test_json_nested_3000_deep_in_a_layer_and_a_projects_file(
    tiny_park_dir: Path, tmp_path: Path
) -> None:
    (tiny_park_dir / "parcels.geojson").write_text(
        '{"type": "FeatureCollection", "features": ' + _deep_json(3000) + "}", encoding="utf-8"
    )
    with pytest.raises(ParkValidationError, match=r"parcels\.geojson\].*nested too deeply"):
        read_park(tiny_park_dir)
    projects = tmp_path / "p.geojson"
    projects.write_text(_deep_json(3000), encoding="utf-8")
    with pytest.raises(ProjectInputError, match="nested too deeply"):
        read_projects(projects)


def test_json_depth_limit_is_generous_for_geojson() -> None:
    reader = Reader(ProjectInputError, "cannot read")
    assert json_depth(reader.parse_json(_deep_json(MAX_JSON_DEPTH), where="x")) == MAX_JSON_DEPTH
    with pytest.raises(ProjectInputError, match="nested too deeply"):
        reader.parse_json(_deep_json(MAX_JSON_DEPTH + 1), where="x")


def _site_of_6000_vertices() -> str:
    circle = _TINY_CENTRE.buffer(0.001, quad_segs=1500)
    assert len(circle.exterior.coords) > 6000
    return shapely.to_wkt(circle, rounding_precision=7)


def test_projects_csv_with_a_site_of_6000_vertices(tmp_path: Path) -> None:
    wkt = _site_of_6000_vertices()
    assert len(wkt) > 131_072  # beyond the csv module's default field limit
    path = tmp_path / "projects.csv"
    path.write_text(f'project_id,industry_code,site_wkt\nP1,3252,"{wkt}"\n', encoding="utf-8")
    table = read_projects(path)
    assert table["project_id"].tolist() == ["P1"]
    assert table["site_wkt"].iloc[0] == wkt


def test_enterprises_csv_with_a_long_cell(tmp_path: Path) -> None:
    text = (bundled_park_dir() / "enterprises.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1] + "x" * 200_000
    path = tmp_path / "enterprises.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    table = read_enterprises(path)
    assert len(table.iloc[0]["note"]) > 200_000


def test_enterprises_gbk_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "enterprises.csv"
    path.write_bytes("enterprise_id,name_zh\nE1,商贸企业\n".encode("gbk"))
    with pytest.raises(ZoningError, match=r"not UTF-8.*GBK"):
        read_enterprises(path)


# --- case 5: a misleading message -----------------------------------------------------------


def test_text_in_a_numeric_property_names_field_and_parcel(tiny_park_dir: Path) -> None:
    _set_property(tiny_park_dir / "parcels.geojson", 0, "wastewater_tpd", "N/A")
    with pytest.raises(ParkValidationError) as caught:
        read_park(tiny_park_dir)
    message = str(caught.value)
    assert "'wastewater_tpd' is not a number: ['N/A']" in message
    assert "P1" in message
    assert "JSONDecodeError" not in message


# --- case 2: park_id reaches file names -----------------------------------------------------


@pytest.mark.parametrize("bad", ["../../escaped", "..", "a/b", "a\\b", "", "x" * 65, 3])
def test_unusable_park_ids_are_refused(bad: object) -> None:
    assert park_id_problems(bad)


@pytest.mark.parametrize("good", ["beichuan", "北川", "北川-2", "park_1.v2"])
def test_usable_park_ids(good: str) -> None:
    assert park_id_problems(good) == []


def test_escaping_park_id_writes_nothing(tiny_park_dir: Path, tmp_path: Path) -> None:
    (tiny_park_dir / "metadata.json").write_text(
        json.dumps({"park_id": "../../escaped"}), encoding="utf-8"
    )
    with pytest.raises(ParkValidationError, match=r"park_id '\.\./\.\./escaped' cannot name"):
        read_park(tiny_park_dir)
    before = _files(tmp_path)
    out = tmp_path / "a" / "b" / "out"
    result = run_zoning("plan", "--park", tiny_park_dir, "--out", out)
    assert result.returncode == 2
    assert "cannot name output files" in result.stderr
    assert "Traceback" not in result.stderr
    _no_new_files(before, tmp_path)


def test_chinese_park_id_works_for_every_output(tiny_park_dir: Path, tmp_path: Path) -> None:
    (tiny_park_dir / "metadata.json").write_text(
        json.dumps({"park_id": "北川"}, ensure_ascii=False), encoding="utf-8"
    )
    out = tmp_path / "plan"
    result = run_zoning("plan", "--park", tiny_park_dir, "--out", out)
    assert result.returncode == 0, result.stderr
    assert (out / "北川_plan.html").is_file()
    assert (out / "北川-geojson").is_dir()
    exported = tmp_path / "export"
    result = run_zoning("export", "--park", tiny_park_dir, "--to", exported)
    assert result.returncode == 0, result.stderr
    names = {p.name for p in exported.iterdir()}
    assert names == {"北川-geojson", "北川_epsg4490.gpkg", "北川-shapefile"}


# --- case 7: secrets and schemes ------------------------------------------------------------


def test_dsn_schemes_are_case_insensitive() -> None:
    assert is_dsn("PostgreSQL://u@h:1/db")
    assert is_dsn("POSTGRES://u@h/db")
    assert not is_dsn("out/postgresql")
    assert normalise_dsn("PostgreSQL://u@h:1/db") == "postgresql://u@h:1/db"


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://u@h:1/db?password=SECRET",
        "postgresql://u:SECRET@h:1/db",
        "PostgreSQL://u@h:1/db?sslmode=disable&password=SECRET",
        "postgresql://u:S%40CRET@h:1/db",
    ],
)
def test_passwords_are_masked(dsn: str) -> None:
    masked = mask_dsn(dsn)
    for secret in ("SECRET", "S%40CRET", "S@CRET"):
        assert secret not in masked
    assert "***" in masked
    assert "SECRET" not in mask_text(f"cannot connect to {dsn}: refused", dsn)


def test_export_to_unreachable_database_masks_the_password(tmp_path: Path) -> None:
    dsn = "PostgreSQL://postgres@127.0.0.1:1/zoning?password=SECRET&connect_timeout=2"
    result = subprocess.run(
        [sys.executable, "-m", "zoning", "export", "--to", dsn],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 2
    assert "SECRET" not in result.stdout + result.stderr
    assert "password=***" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no folder named after the DSN


# --- case 8: wrong CRS honoured -------------------------------------------------------------


def _label_3857(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_lon_lat_layer_labelled_web_mercator_is_refused(tiny_park_dir: Path) -> None:
    _label_3857(tiny_park_dir / "zones.geojson")
    with pytest.raises(
        ParkValidationError, match=r"(?s)\[zones\] coordinates impossible.*EPSG:3857.*degrees"
    ):
        read_park(tiny_park_dir)


def test_lon_lat_projects_labelled_web_mercator_is_refused(tmp_path: Path) -> None:
    site = _TINY_CENTRE.buffer(0.0005)
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"project_id": "P1", "industry_code": "3252"},
                "geometry": shapely.geometry.mapping(site),
            }
        ],
    }
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ProjectInputError, match=r"(?s)EPSG:3857.*look like longitude/latitude"):
        read_projects(path)


# --- case 9: overflow and hangs -------------------------------------------------------------


def test_huge_priority_is_refused_with_the_range(tiny_park_dir: Path) -> None:
    _set_property(tiny_park_dir / "zones.geojson", 0, "priority", 1e30)
    with pytest.raises(ParkValidationError, match=r"'priority' out of range.*from 1 to 1,000,000"):
        read_park(tiny_park_dir)


@pytest.mark.parametrize("command", ["sequence", "plan"])
def test_too_many_phases_is_refused_at_once(
    tiny_park_dir: Path, tmp_path: Path, command: str
) -> None:
    extra = ("--out", str(tmp_path / "out")) if command == "plan" else ()
    result = run_zoning(
        command, "--park", tiny_park_dir, "--phases", "1000000000", *extra, timeout_s=60
    )
    assert result.returncode == 2
    assert "number of phases too large: 1,000,000,000" in result.stderr
    assert "1 to 50 phases" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_rulebook_bounds_max_phases() -> None:
    head = {"rulebook": {"park_id": "d", "name": "D", "version": "1"}}
    assert build_rulebook({**head, "sequencing": {"max_phases": 80}}).sequencing.max_phases == 80
    with pytest.raises(RulebookError, match="max_phases"):
        build_rulebook({**head, "sequencing": {"max_phases": 10**9}})
    with pytest.raises(RulebookError, match="open_from_phase"):
        build_rulebook({**head, "sequencing": {"open_from_phase": {"a": 1e30}}})


# --- case 10: smaller ------------------------------------------------------------------------


def test_disk_full_is_named(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")

    def fill_the_disk(fh: Any) -> None:
        fh.write("<html>")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ExportError, match="no space left on device"):
        write_atomic(target, fill_the_disk)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    gdal = RuntimeError("Failure seeking to position before writing DBF record 44")
    assert is_disk_full(gdal)
    assert write_error_reason(gdal) == "no space left on device"


def test_unwritable_directory_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        write_text_atomic(tmp_path / "missing" / "x.txt", "x")


def test_utf8_bom_in_a_layer_is_accepted(tiny_park_dir: Path) -> None:
    path = tiny_park_dir / "zones.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    park = read_park(tiny_park_dir)
    assert sorted(park.zones["zone_id"]) == ["city", "ind"]


def test_integer_land_use_code_is_refused_with_advice(tiny_park_dir: Path) -> None:
    _set_property(tiny_park_dir / "parcels.geojson", 3, "land_use_code", 70102)
    with pytest.raises(
        ParkValidationError, match=r"(?s)\['70102'\] written as numbers.*P4.*in quotes"
    ):
        read_park(tiny_park_dir)


def test_credits_given_as_a_string_stay_one_credit(tiny_park_dir: Path) -> None:
    (tiny_park_dir / "metadata.json").write_text(
        json.dumps({"park_id": "tiny", "credits": "CTAmap 2021"}), encoding="utf-8"
    )
    assert read_park(tiny_park_dir).credits == ["CTAmap 2021"]


def test_full_width_digits_fail_the_four_digit_check() -> None:
    head = {"rulebook": {"park_id": "d", "name": "D", "version": "1"}}
    industry = {"name_zh": "铝", "name_en": "Al", "land_use_code": "100102"}
    with pytest.raises(RulebookError, match="4 digits"):
        build_rulebook({**head, "industries": [{**industry, "code": "３２５２"}]})
    # the same pattern checks a projects file's industry_code
    assert INDUSTRY_CODE_RE.match("３２５２") is None
    assert INDUSTRY_CODE_RE.match("3252\n") is None
    assert INDUSTRY_CODE_RE.match("3252") is not None


# --- property test: random bytes and JSON never give a traceback ----------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_FEATURE_JSON = st.dictionaries(
    st.sampled_from(["type", "features", "crs", "properties", "geometry", "coordinates"]),
    _JSON,
    max_size=4,
).map(lambda d: {"type": "FeatureCollection", **d})


@pytest.fixture(scope="module")
def template_park(tmp_path_factory: pytest.TempPathFactory) -> Path:
    park_dir = tmp_path_factory.mktemp("template") / "tiny"
    park_dir.mkdir()
    for name, gdf in tiny_layers().items():
        write_geojson(park_dir / f"{name}.geojson", gdf)
    (park_dir / "rulebook.toml").write_text(TINY_RULEBOOK, encoding="utf-8")
    (park_dir / "metadata.json").write_text('{"park_id": "tiny"}', encoding="utf-8")
    shutil.copy(bundled_park_dir() / "enterprises.csv", park_dir / "enterprises.csv")
    return park_dir


@pytest.fixture
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def _only_zoning_errors(call: Any) -> None:
    with contextlib.suppress(ZoningError):
        call()


_PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_PARK_FILES = ["parcels.geojson", "zones.geojson", "rulebook.toml", "metadata.json"]


def _park_copy(template: Path, scratch: Path) -> Path:
    target = scratch / "park"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    return target


@_PROPERTY
@given(name=st.sampled_from(_PARK_FILES), content=st.binary(max_size=300))
def test_random_bytes_in_park_files(
    template_park: Path, scratch: Path, name: str, content: bytes
) -> None:
    park_dir = _park_copy(template_park, scratch)
    (park_dir / name).write_bytes(content)
    _only_zoning_errors(lambda: read_park(park_dir))


@_PROPERTY
@given(name=st.sampled_from(_PARK_FILES), value=_JSON | _FEATURE_JSON)
def test_random_json_in_park_files(
    template_park: Path, scratch: Path, name: str, value: Any
) -> None:
    park_dir = _park_copy(template_park, scratch)
    (park_dir / name).write_text(json.dumps(value), encoding="utf-8")
    _only_zoning_errors(lambda: read_park(park_dir))


@_PROPERTY
@given(key=st.sampled_from(["wastewater_tpd", "land_use_code", "status", "parcel_id"]), value=_JSON)
def test_random_json_property_values(
    template_park: Path, scratch: Path, key: str, value: Any
) -> None:
    park_dir = _park_copy(template_park, scratch)
    _set_property(park_dir / "parcels.geojson", 1, key, value)
    _only_zoning_errors(lambda: read_park(park_dir))


@_PROPERTY
@given(
    suffix=st.sampled_from([".csv", ".geojson"]),
    content=st.binary(max_size=300) | _JSON.map(lambda v: json.dumps(v).encode()),
)
def test_random_projects_files(scratch: Path, suffix: str, content: bytes) -> None:
    path = scratch / f"projects{suffix}"
    path.write_bytes(content)
    _only_zoning_errors(lambda: read_projects(path))


@_PROPERTY
@given(content=st.binary(max_size=300) | _JSON.map(lambda v: json.dumps(v).encode()))
def test_random_enterprises_files(scratch: Path, content: bytes) -> None:
    path = scratch / "enterprises.csv"
    path.write_bytes(content)
    _only_zoning_errors(lambda: read_enterprises(path))
