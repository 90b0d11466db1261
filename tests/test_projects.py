"""The projects table: normalising values, per-row problems, table problems, and reading files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from tests.conftest import metric_box
from zoning import schema as s
from zoning.errors import ExportError, ProjectInputError
from zoning.io._atomic import write_atomic
from zoning.io.projects import (
    dumps_check_results,
    read_projects,
    write_check_results,
    write_text_atomic,
)
from zoning.projects import (
    NORMALIZED_COLUMNS,
    find_project_table_issues,
    normalize_projects,
    validate_project_table,
)
from zoning.units import METRIC_CRS, WGS84

CATALOGUE = {"3252", "3831", "5211", "0511"}

#: a 0.001 x 0.001 degree square near Qiaotou (about 89 m x 111 m)
SQUARE = "POLYGON ((101.70 36.92, 101.701 36.92, 101.701 36.921, 101.70 36.921, 101.70 36.92))"
SQUARE_GEOM = shapely.from_wkt(SQUARE)


def table(**columns: list[Any]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base: dict[str, list[Any]] = {
        "project_id": [f"P{i}" for i in range(n)],
        "industry_code": ["3252"] * n,
    }
    return pd.DataFrame(base | columns)


def errors_of(frame: pd.DataFrame) -> list[list[str]]:
    out: list[list[str]] = normalize_projects(frame, industry_codes=CATALOGUE)[
        s.INPUT_ERROR
    ].tolist()
    return out


# --------------------------------------------------------------------------- values
def test_normalised_columns_and_types() -> None:
    out = normalize_projects(table(area_mu=["60"], far=["1.2"]))
    assert tuple(c for c in out.columns if c != "geometry") == NORMALIZED_COLUMNS
    assert out.crs.to_epsg() == 4543
    assert out[s.AREA_MU].tolist() == [60.0]
    assert out[s.FAR].tolist() == [1.2]
    assert np.isnan(out[s.INVESTMENT_WAN].iloc[0])
    assert out[s.NAME].tolist() == [""]
    assert out.geometry.isna().all()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1,200", 1200.0),
        (" 35 ", 35.0),
        ("", np.nan),
        ("—", np.nan),
        ("NA", np.nan),
        (1200, 1200.0),
    ],
    ids=["thousands-comma", "spaces", "empty", "dash", "na", "number"],
)
def test_numbers_as_written(given: object, expected: float) -> None:
    out = normalize_projects(table(area_mu=[10], investment_wan=[given]))
    assert out[s.INVESTMENT_WAN].iloc[0] == pytest.approx(expected, nan_ok=True)
    assert out[s.INPUT_ERROR].iloc[0] == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [("0.35", 0.35), ("35%", 0.35), ("7 %", 0.07), ("1", 1.0)],
    ids=["share", "percent", "percent-space", "one"],
)
def test_shares_accept_percent(given: str, expected: float) -> None:
    out = normalize_projects(table(area_mu=[10], building_coefficient=[given]))
    assert out[s.BUILDING_COEFFICIENT].iloc[0] == pytest.approx(expected)


def test_integer_like_codes_from_geojson_become_text() -> None:
    out = normalize_projects(table(industry_code=[3252.0], area_mu=[10]))
    assert out[s.INDUSTRY_CODE].tolist() == ["3252"]


# --------------------------------------------------------------------------- row problems
@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"industry_code": ["32x"]}, "'32x' is not a GB/T 4754-2017 class code"),
        ({"industry_code": [""]}, "industry_code is empty"),
        ({"industry_code": ["9999"]}, "unknown industry code 9999"),
        ({"area_mu": ["-5"]}, "area_mu must be greater than 0 (given -5)"),
        ({"area_mu": ["0"]}, "area_mu must be greater than 0 (given 0)"),
        ({"area_mu": ["sixty"]}, "area_mu is not a number (given 'sixty')"),
        ({"far": ["-1"]}, "far must be zero or more (given -1)"),
        ({"green_ratio": ["35"]}, "green_ratio must be a share between 0 and 1 (given 35; "),
        ({"site_wkt": ["POLYGON ((0 0, 1 1"]}, "site_wkt is not readable WKT"),
        ({"site_wkt": ["POINT (101.7 36.9)"]}, "site is a Point, expected a Polygon"),
        (
            {
                "site_wkt": [
                    "POLYGON ((560000 4086000, 560100 4086000, 560100 4086100, 560000 4086000))"
                ]
            },
            "coordinates impossible for EPSG:4326",
        ),
        (
            {
                "site_wkt": [
                    "POLYGON ((101.70 36.92, 101.71 36.93, 101.71 36.92, 101.70 36.93, "
                    "101.70 36.92))"
                ]
            },
            "invalid site polygon: Self-intersection",
        ),
    ],
    ids=[
        "code-format",
        "code-empty",
        "code-unknown",
        "area-negative",
        "area-zero",
        "area-text",
        "far-negative",
        "share-as-percent-number",
        "wkt-unreadable",
        "wkt-point",
        "wkt-metres",
        "wkt-bow-tie",
    ],
)
def test_bad_rows_are_reported_not_raised(columns: dict[str, list[str]], message: str) -> None:
    frame = table(**({"area_mu": ["10"]} | columns))
    reasons = errors_of(frame)[0]
    assert any(message in r for r in reasons), reasons


def test_share_hint_suggests_the_fix() -> None:
    reasons = errors_of(table(area_mu=["10"], green_ratio=["35"]))[0]
    assert "for 35% write 0.35 or 35%" in reasons[0]


def test_no_area_and_no_site() -> None:
    reasons = errors_of(table(area_mu=[""]))[0]
    assert reasons == [
        "area_mu is missing and there is no site: give the land needed in mu, or a site polygon"
    ]


def test_every_problem_of_a_row_is_listed() -> None:
    reasons = errors_of(table(industry_code=["12"], area_mu=["-1"], far=["x"]))[0]
    assert len(reasons) == 3


def test_requested_zone_must_exist() -> None:
    out = normalize_projects(table(area_mu=[10], requested_zone=["nowhere"]), zone_ids=["a", "b"])
    assert out[s.INPUT_ERROR].iloc[0] == [
        "requested_zone 'nowhere' is not a zone of the park (a, b)"
    ]


def test_good_rows_next_to_bad_rows_are_untouched() -> None:
    reasons = errors_of(table(area_mu=["10", "-1", "20"]))
    assert [bool(r) for r in reasons] == [False, True, False]


# --------------------------------------------------------------------------- sites
def test_site_from_wkt_is_projected_and_measured() -> None:
    out = normalize_projects(table(site_wkt=[SQUARE]))
    geom = out.geometry.iloc[0]
    assert geom.bounds[0] > 100_000  # metres, not degrees
    expected_m2 = gpd.GeoSeries([shapely.from_wkt(SQUARE)], crs=WGS84).to_crs(METRIC_CRS).area[0]
    assert out[s.SITE_AREA_MU].iloc[0] == pytest.approx(expected_m2 / (10000 / 15))
    assert out[s.AREA_MU].iloc[0] == out[s.SITE_AREA_MU].iloc[0]


def test_given_area_is_kept_beside_the_site() -> None:
    out = normalize_projects(table(site_wkt=[SQUARE], area_mu=["12"]))
    assert out[s.AREA_MU].iloc[0] == 12.0
    assert out[s.SITE_AREA_MU].iloc[0] > 13


def _geoms() -> dict[str, shapely.Geometry]:
    outer = metric_box(0, 0, 200, 200)
    return {
        "hole": shapely.Polygon(outer.exterior, [metric_box(50, 50, 100, 100).exterior]),
        "multipart": shapely.MultiPolygon([metric_box(0, 0, 50, 50), metric_box(100, 0, 150, 50)]),
        "touching-corner": shapely.MultiPolygon(
            [metric_box(0, 0, 50, 50), metric_box(50, 50, 100, 100)]
        ),
        "sliver": metric_box(0, 0, 200, 0.01),
        "bow-tie": shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100), (0, 0)]),
        "empty": shapely.Polygon(),
        "line": shapely.LineString([(0, 0), (100, 0)]),
    }


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("hole", None),
        ("multipart", None),
        ("touching-corner", None),
        ("sliver", None),
        ("bow-tie", "invalid site polygon: Self-intersection"),
        ("empty", None),
        ("line", "site is a LineString"),
    ],
    ids=["hole", "multipart", "touching-corner", "sliver", "bow-tie", "empty", "line"],
)
def test_awkward_site_geometries(kind: str, problem: str | None) -> None:
    geom = _geoms()[kind]
    frame = gpd.GeoDataFrame(
        {"project_id": ["A"], "industry_code": ["3252"], "area_mu": [10]},
        geometry=[geom],
        crs=METRIC_CRS,
    )
    out = normalize_projects(frame)
    reasons = out[s.INPUT_ERROR].iloc[0]
    if problem is None:
        assert reasons == []
        if kind == "empty":
            assert out.geometry.isna().iloc[0]  # an empty site is no site
        else:
            assert out[s.SITE_AREA_MU].iloc[0] == pytest.approx(geom.area / (10000 / 15))
    else:
        assert any(problem in r for r in reasons), reasons
        assert out.geometry.isna().iloc[0]


def test_geodataframe_in_wgs84_is_projected() -> None:
    frame = gpd.GeoDataFrame(
        {"project_id": ["A"], "industry_code": ["3252"]},
        geometry=[shapely.from_wkt(SQUARE)],
        crs=WGS84,
    )
    out = normalize_projects(frame)
    assert out.crs.to_epsg() == 4543
    assert out[s.AREA_MU].iloc[0] > 10


# --------------------------------------------------------------------------- table problems
@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"project_id": [], "industry_code": []}), "the table has no projects"),
        (
            pd.DataFrame({"project_id": ["A"], "area": [3]}),
            "missing required column.*industry_code",
        ),
        (
            pd.DataFrame({"project_id": ["A", ""], "industry_code": ["3252"] * 2}),
            r"empty 'project_id'.*row 2",
        ),
        (
            pd.DataFrame({"project_id": ["A", "A"], "industry_code": ["3252"] * 2}),
            "duplicate project id.*A",
        ),
        (
            gpd.GeoDataFrame(
                {"project_id": ["A"], "industry_code": ["3252"]}, geometry=[metric_box(0, 0, 1, 1)]
            ),
            "the sites have no coordinate reference system",
        ),
        ([{"project_id": "A"}], "not a table: got list"),
        (
            pd.DataFrame(
                {"project_id": ["A"], "industry_code": ["3252"], "geometry": [SQUARE_GEOM]}
            ),
            "a 'geometry' column of a plain DataFrame",
        ),
    ],
    ids=[
        "no-rows",
        "missing-column",
        "empty-id",
        "duplicate-id",
        "no-crs",
        "not-a-table",
        "plain-geometry",
    ],
)
def test_table_problems_raise(frame: object, match: str) -> None:
    with pytest.raises(ProjectInputError, match=match):
        validate_project_table(frame)


def test_every_table_problem_is_collected() -> None:
    frame = pd.DataFrame({"project_id": ["A", "A", ""], "name": ["x", "y", "z"]})
    problems = find_project_table_issues(frame)
    assert [p.what for p in problems] == [
        "missing required column(s): industry_code",
        "empty 'project_id'",
        "duplicate project id(s) in 'project_id'",
    ]


# --------------------------------------------------------------------------- reading files
CSV = (
    "project_id,name,industry_code,area_mu,site_wkt\n"
    "A,铝型材 Extrusions,3252,60,\n"
    f'B,Cable,3831,,"{SQUARE}"\n'
)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf8", "utf8-bom"])
def test_read_csv(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "projects.csv"
    path.write_bytes(bom + CSV.encode("utf-8"))
    frame = read_projects(path)
    assert list(frame.columns) == ["project_id", "name", "industry_code", "area_mu", "site_wkt"]
    assert frame["name"].tolist() == ["铝型材 Extrusions", "Cable"]
    out = normalize_projects(frame, industry_codes=CATALOGUE)
    assert out[s.INPUT_ERROR].tolist() == [[], []]
    assert out.geometry.isna().tolist() == [True, False]


def test_read_csv_normalises_headers_and_drops_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(" Project_ID , Industry_Code,AREA_MU\nA,0511,10\n,,\n\n", encoding="utf-8")
    frame = read_projects(path)
    assert list(frame.columns) == ["project_id", "industry_code", "area_mu"]
    assert frame["industry_code"].tolist() == ["0511"]  # leading zero kept: read as text


@pytest.mark.parametrize(
    ("content", "name", "match"),
    [
        (b"", "p.csv", "the file is empty"),
        (
            "project_id,industry_code\nA,3252\n".encode("gbk") + "项目".encode("gbk"),
            "p.csv",
            "not UTF-8 text.*GBK/GB18030",
        ),
        (
            b"project_id,industry_code\nA,3252,extra,cells\n",
            "p.csv",
            r"more cells than header columns on line\(s\) 2",
        ),
        (
            b"project_id,project_id,industry_code\nA,B,3252\n",
            "p.csv",
            "duplicate column.*project_id",
        ),
        (b"project_id,,industry_code\nA,x,3252\n", "p.csv", "a column of the header has no name"),
        (b"project_id\tindustry_code\n", "p.xlsx", "unreadable workbook: BadZipFile"),
        (b"project_id\tindustry_code\n", "p.ods", "unsupported file type '.ods'"),
        (b'{"type": "FeatureCollection", "features": [', "p.geojson", "invalid JSON at line 1"),
        (b'{"type": "Feature", "properties": {}}', "p.geojson", "top-level type is 'Feature'"),
        (b'{"type": "FeatureCollection", "features": []}', "p.geojson", "has no features"),
    ],
    ids=[
        "empty",
        "gbk",
        "ragged",
        "duplicate-header",
        "unnamed-column",
        "xlsx",
        "ods",
        "bad-json",
        "not-collection",
        "no-features",
    ],
)
def test_unreadable_files_raise(tmp_path: Path, content: bytes, name: str, match: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ProjectInputError, match=match):
        read_projects(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ProjectInputError, match="file not found"):
        read_projects(tmp_path / "nope.csv")


def _feature(props: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def test_read_geojson_keeps_codes_as_written(tmp_path: Path) -> None:
    square = shapely.geometry.mapping(shapely.from_wkt(SQUARE))
    doc = {
        "type": "FeatureCollection",
        "features": [
            _feature({"project_id": 1, "industry_code": 3252, "area_mu": 5}, square),
            _feature({"project_id": "B", "industry_code": "0511", "area_mu": 20}, None),
        ],
    }
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    frame = read_projects(path)
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame["industry_code"].tolist() == [3252, "0511"]
    out = normalize_projects(frame, industry_codes=CATALOGUE)
    assert out[s.PROJECT_ID].tolist() == ["1", "B"]
    assert out[s.INDUSTRY_CODE].tolist() == ["3252", "0511"]
    assert out.geometry.isna().tolist() == [False, True]
    assert out[s.INPUT_ERROR].tolist() == [[], []]


# --------------------------------------------------------------------------- writing
def _results() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "project_id": ["P1"],
            "name": ["Cable"],
            "industry_code": ["3831"],
            "zone_id": ["almg"],
            "verdict": ["fits"],
            "best": [True],
            "area_mu": [np.nan],
            "findings": [[{"rule": "industry", "status": "pass", "measured": np.float64(1.5)}]],
        },
        geometry=[metric_box(0, 0, 10, 10)],
        crs=METRIC_CRS,
    )


def test_write_json_and_geojson(tmp_path: Path) -> None:
    target = write_check_results(_results(), tmp_path / "r.json", fmt="json")
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert rows[0]["area_mu"] is None
    assert rows[0]["findings"][0]["measured"] == 1.5
    geo = write_check_results(_results(), tmp_path / "r.geojson", fmt="geojson")
    doc = json.loads(geo.read_text(encoding="utf-8"))
    assert doc["features"][0]["geometry"]["type"] == "Polygon"
    assert os.listdir(tmp_path) == sorted(["r.json", "r.geojson"]) or set(os.listdir(tmp_path)) == {
        "r.json",
        "r.geojson",
    }


def test_unknown_format_raises() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        dumps_check_results(_results(), fmt="xml")  # type: ignore[arg-type]


def test_write_into_a_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_text_atomic(tmp_path / "no" / "r.json", "[]")


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(fh: Any) -> None:
        fh.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="no space left on device"):
        write_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["r.json"]


def test_geojson_with_an_unreadable_geometry_gives_an_error_row(tmp_path: Path) -> None:
    square = shapely.geometry.mapping(shapely.from_wkt(SQUARE))
    broken = {"type": "Polygon", "coordinates": [[[101.7, 36.9], [101.71]]]}
    doc = {
        "type": "FeatureCollection",
        "features": [
            _feature({"project_id": "A", "industry_code": "3252"}, square),
            _feature({"project_id": "B", "industry_code": 3831, "area_mu": 20}, broken),
        ],
    }
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = normalize_projects(read_projects(path), industry_codes=CATALOGUE)
    assert out[s.INPUT_ERROR].iloc[0] == []
    assert out[s.INPUT_ERROR].iloc[1][0].startswith("feature 2: the site geometry cannot be read")
