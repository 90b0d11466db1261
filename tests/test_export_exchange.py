"""What a receiving GIS meets first, checked with GDAL's ogrinfo and a real PostGIS.

The bundled park is exported with its projects' fit results, candidate sites, the phase
plan and the yearly ledger, in every format: missing values are NULL, polygons are wound
counter-clockwise, GeoJSON coordinates have at most 7 decimals in the file's own text, a
mixed layer is one file per geometry type, empty layers keep their columns, every file
name carries its CRS (EPSG:4522 included), code columns have their Chinese words, fields
their Chinese titles (``gpkg_data_columns``, PostGIS comments), and every parcel carries
its holder's grade and its land clock.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fiona
import psycopg2
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import zoning
from tests.conftest import need_tool
from tests.test_export import (
    gj,
    read_all,
    read_geojson_layer,
    read_gpkg_layer,
    read_shapefile_layer,
    sample_park,
    shp,
)
from zoning import datadict as dd
from zoning.cli import app
from zoning.datadict_zh import LAND_STATUS_ZH, field_title_zh
from zoning.io import bundled_park_dir, read_projects
from zoning.io import export as ex
from zoning.io.enterprises import enterprises_path, read_enterprises
from zoning.io.export.shapefile import _chunks
from zoning.ledger import evaluate

GENERATED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
AS_OF = "2026-12-01"
#: a number with more than 7 decimals in a GeoJSON text
LONG_DECIMALS = re.compile(r"-?\d+\.\d{8,}")


@pytest.fixture(scope="module")
def beichuan() -> dict[str, Any]:
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    plan = zoning.sequence(park, quota_mu=300, projects=results)
    ledger = evaluate(park, read_enterprises(enterprises_path(bundled_park_dir())), as_of=AS_OF)
    return {"park": park, "results": results, "plan": plan, "ledger": ledger}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, beichuan: dict[str, Any]) -> Path:
    out = tmp_path_factory.mktemp("exchange")
    ex.export_park(
        beichuan["park"],
        out,
        results=beichuan["results"],
        plan=beichuan["plan"],
        ledger=beichuan["ledger"],
        generated_at=GENERATED,
    )
    ex.export_park(
        beichuan["park"],
        out / "zone34",
        formats=("gpkg", "shp"),
        crs="4522",
        generated_at=GENERATED,
    )
    return out


def ogr_sql(path: Path, sql: str) -> list[dict[str, str]]:
    """Rows of an ogrinfo SQL query, each ``{field: text}``; stderr must be empty."""
    need_tool(bool(subprocess.run(["which", "ogrinfo"], capture_output=True).stdout), "ogrinfo")
    done = subprocess.run(
        ["ogrinfo", "-q", "-sql", sql, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
    rows: list[dict[str, str]] = []
    for block in done.stdout.split("OGRFeature(")[1:]:
        found = re.findall(r"^\s+(\w+) \(\w+(?:\(\w+\))?\) = (.*)$", block, re.M)
        rows.append(dict(found))
    return rows


GPKG = "beichuan_epsg4490.gpkg"


# --------------------------------------------------------------------------- NULL, not ""


@pytest.mark.gdal
def test_missing_values_are_null_in_every_file_format(target: Path) -> None:
    sources = [
        (target / GPKG, "parcels", "industry_code"),
        (gj(target / "beichuan-geojson", "parcels"), "parcels", "industry_code"),
        (shp(target / "beichuan-shapefile", "parcels"), "beichuan_parcels_epsg4490", "indus_code"),
    ]
    for path, table, column in sources:
        (null,) = ogr_sql(path, f"SELECT COUNT(*) AS n FROM {table} WHERE {column} IS NULL")
        (empty,) = ogr_sql(path, f"SELECT COUNT(*) AS n FROM {table} WHERE {column} = ''")
        assert int(null["n"]) > 100, path  # vacant land has no industry
        assert int(empty["n"]) == 0, path
    raw = gj(target / "beichuan-geojson", "parcels").read_text(encoding="utf-8")
    assert '"industry_code": ""' not in raw
    assert '"industry_code": null' in raw
    assert '""' not in raw


# --------------------------------------------------------------------------- winding


def exteriors_ccw(geoms: list[Any]) -> list[bool]:
    polygons = [p for g in geoms if g is not None for p in getattr(g, "geoms", [g])]
    return [bool(shapely.is_ccw(p.exterior)) for p in polygons if p.geom_type == "Polygon"]


def test_geopackage_polygons_are_counter_clockwise(target: Path) -> None:
    for name in ("zones", "parcels", "fit_results", "candidate_sites", "tracts", "placements"):
        _, geoms, _ = read_all(target / GPKG, layer=name)
        winding = exteriors_ccw(geoms)
        assert winding, name
        assert all(winding), name
        for g in geoms:
            for p in getattr(g, "geoms", [g]) if g is not None else []:
                assert all(not shapely.is_ccw(r) for r in p.interiors), name


def test_project_sites_come_clockwise(beichuan: dict[str, Any]) -> None:
    """The check above is meaningful: sites, candidates and tracts come wound clockwise."""
    bundle = ex.to_export_bundle(beichuan["park"], results=beichuan["results"],
                                 plan=beichuan["plan"])  # fmt: skip
    for name in ("fit_results", "candidate_sites", "tracts", "placements"):
        assert not all(exteriors_ccw(list(bundle.layers[name].geometry))), name


# --------------------------------------------------------------------------- precision


def test_geojson_text_has_at_most_seven_decimals(target: Path) -> None:
    for path in sorted((target / "beichuan-geojson").iterdir()):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            geometry = line.partition('"geometry":')[2]
            assert not LONG_DECIMALS.findall(geometry), (path.name, LONG_DECIMALS.findall(geometry))


# --------------------------------------------------------------------------- metadata.dbf


WORDS = st.sampled_from(["示意", "数据", "ab", "Illustrative", "地块编号"])


@given(st.lists(st.tuples(WORDS, st.sampled_from([" ", "  ", "\n", ""])), max_size=80))
def test_metadata_pieces_join_to_the_text_and_never_end_in_space(
    words: list[tuple[str, str]],
) -> None:
    """Pieces never begin or end with whitespace (dBASE readers strip it) when words allow."""
    text = "".join(w + sep for w, sep in words).strip()
    pieces = _chunks(text, limit=20)
    assert "".join(pieces) == text
    assert all(len(p.encode("utf-8")) <= 20 for p in pieces)
    assert all(p == p.strip() for p in pieces)


def test_notice_cut_at_a_space_reads_back_whole(tmp_path: Path) -> None:
    park = sample_park()
    notice = "x" * 253 + " 示意数据 Illustrative layout, not an official plan."
    metadata = {**park.metadata, "notice": notice}
    park = zoning.park.Park(**{**park.__dict__, "metadata": metadata})
    ex.export_park(park, tmp_path, formats=("shp",), generated_at=GENERATED)
    props, _, _ = read_all(shp(tmp_path / "tiny-shapefile", "metadata", suffix=".dbf"))
    parts = [p["value"] for p in props if p["key"] == "notice"]
    assert len(parts) == 2
    assert "".join(parts) == notice


# --------------------------------------------------------------------------- file layout


@pytest.mark.gdal
def test_mixed_layers_are_one_geojson_file_per_geometry_type(target: Path) -> None:
    for name, family in (("infrastructure_point", "Point"), ("infrastructure_line", "Line")):
        path = gj(target / "beichuan-geojson", name)
        doc = json.loads(path.read_text(encoding="utf-8"))
        types = {f["geometry"]["type"] for f in doc["features"] if f["geometry"]}
        assert types, name
        assert all(family in t for t in types), (name, types)


@pytest.mark.gdal
@pytest.mark.parametrize(
    ("path", "epsg"),
    [
        ("zone34/beichuan_epsg4522.gpkg", 4522),
        ("zone34/beichuan-shapefile/beichuan_parcels_epsg4522.shp", 4522),
        ("beichuan-geojson/beichuan_parcels_epsg4326.geojson", 4326),
    ],
)
def test_ogrinfo_reports_the_crs_in_the_file_name(target: Path, path: str, epsg: int) -> None:
    done = subprocess.run(
        ["ogrinfo", "-so", "-al", str(target / path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().count(f'ID["EPSG",{epsg}]') >= 1
    assert f"epsg{epsg}" in Path(path).name
    if epsg == 4522:  # the zone-numbered form: easting prefixed with the zone, 34
        extent = re.search(r"Extent: \((\d+)\.", done.stdout)
        assert extent is not None
        assert extent.group(1).startswith("34")


def test_the_crs_is_in_every_file_name(target: Path) -> None:
    for directory in ("beichuan-geojson", "beichuan-shapefile"):
        for path in (target / directory).iterdir():
            if path.name != ex.FIELD_NAMES_FILE:
                assert re.fullmatch(r"beichuan_\w+_epsg(4326|4490|4522)\.\w+", path.name), path


def test_empty_layers_keep_their_columns(tmp_path: Path) -> None:
    park = sample_park()
    ex.export_park(park, tmp_path, generated_at=GENERATED)  # no results, no plan
    for layer in (dd.FIT_RESULTS, dd.CANDIDATE_SITES, dd.TRACTS, dd.PLACEMENTS):
        with fiona.open(tmp_path / "tiny_epsg4490.gpkg", layer=layer.name) as src:
            assert len(src) == 0
            assert list(src.schema["properties"]) == list(layer.field_names)
        with fiona.open(shp(tmp_path / "tiny-shapefile", layer.name)) as src:
            assert len(src) == 0
            assert len(src.schema["properties"]) == len(layer.shapefile_fields)
        doc = json.loads(gj(tmp_path / "tiny-geojson", layer.name).read_text(encoding="utf-8"))
        assert doc["features"] == []
        assert [f["name"] for f in doc["fields"]] == list(layer.field_names)


# --------------------------------------------------------------------------- the plan held


def test_every_format_names_the_plan(target: Path, beichuan: dict[str, Any]) -> None:
    plan_id = beichuan["plan"].plan_id
    props, _, _ = read_all(target / GPKG, layer="metadata")
    assert props[0]["plan_id"] == plan_id
    assert props[0]["ledger_as_of"] == AS_OF
    doc = json.loads(gj(target / "beichuan-geojson", "metadata").read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["plan_id"] == plan_id
    rows, _, _ = read_all(shp(target / "beichuan-shapefile", "metadata", suffix=".dbf"))
    assert {r["key"] for r in rows} >= {"plan_id", "ledger_as_of", "phase_quota_mu"}


# --------------------------------------------------------------------------- layers


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_candidate_sites_round_trip(target: Path, beichuan: dict[str, Any], fmt: str) -> None:
    want = zoning.siting.propose_sites(beichuan["park"], beichuan["results"])
    assert len(want) > 0
    got = (
        read_geojson_layer(target / "beichuan-geojson", "candidate_sites")
        if fmt == "geojson"
        else read_gpkg_layer(target / GPKG, "candidate_sites", "EPSG:4490")
    )
    keys = zip(want["project_id"], want["rank"], strict=True)
    assert set(got) == {(str(p), str(r)) for p, r in keys}
    for row in want.to_dict("records"):
        props, _ = got[(str(row["project_id"]), str(row["rank"]))]
        assert props["parcel_ids"] == list(row["parcel_ids"])
        assert props["candidate_mu"] == pytest.approx(row["candidate_mu"])
        assert props["reason"] == row["reason"]


def test_codes_are_paired_with_their_chinese_words(target: Path) -> None:
    rows = read_gpkg_layer(target / GPKG, "parcels", "EPSG:4490")
    words = {"developed": "已建成", "vacant": "空闲", "committed": "已供地", "protected": "保护"}
    named = 0
    for props, _ in rows.values():
        assert props["status_zh"] == words[props["status"]]
        if props["land_use_code"] == "100102":
            assert props["land_use_name_zh"] == "二类工业用地"
        if props["industry_code"] == "3252":
            assert props["industry_name_zh"] == "铝压延加工"
            named += 1
    assert named > 0
    fit = read_geojson_layer(target / "beichuan-geojson", "fit_results")
    zh = {"fits": "符合", "conditional": "有条件符合", "does_not_fit": "不符合"}
    zh["error"] = "输入有误"
    assert all(p["verdict_zh"] == zh[p["verdict"]] for p, _ in fit.values())


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp"])
def test_parcels_carry_the_ledger(target: Path, beichuan: dict[str, Any], fmt: str) -> None:
    land = beichuan["ledger"].land
    if fmt == "geojson":
        rows = read_geojson_layer(target / "beichuan-geojson", "parcels")
    elif fmt == "gpkg":
        rows = read_gpkg_layer(target / GPKG, "parcels", "EPSG:4490")
    else:
        rows = read_shapefile_layer(target / "beichuan-shapefile", "parcels", "EPSG:4490")
    statuses = set()
    for (parcel_id,), (props, _) in rows.items():
        if parcel_id not in land.index:
            assert props["holder_id"] is None
            assert props["land_status"] is None
            continue
        record = land.loc[parcel_id]
        assert props["holder_id"] == record["enterprise_id"]
        assert props["grade"] == (record["grade"] if isinstance(record["grade"], str) else None)
        assert props["land_status"] == record["land_status"]
        assert props["land_status_zh"] == LAND_STATUS_ZH[record["land_status"]]
        assert props["land_due"] == record["due"]
        if fmt != "shp" or len(record["reason"]["zh"].encode()) <= 254:
            assert props["land_reason_zh"] == record["reason"]["zh"]
        statuses.add(props["land_status"])
    assert {"idle_recovery", "inefficient", "normal"} <= statuses


# --------------------------------------------------------------------------- titles


@pytest.mark.gdal
def test_geopackage_columns_have_chinese_titles_and_descriptions(target: Path) -> None:
    rows = ogr_sql(
        target / GPKG,
        "SELECT table_name, column_name, name, title, description FROM gpkg_data_columns",
    )
    by_column = {(r["table_name"], r["column_name"]): r for r in rows}
    for part in ex.table_names():
        layer = next(
            lay
            for lay in dd.EXPORT_LAYERS
            if part in ([lay.part_name(f) for f in lay.families] or [lay.name])
        )
        for spec in layer.fields:
            row = by_column[(part, spec.name)]
            assert row["title"] == field_title_zh(layer.name, spec.name)
            assert spec.description.rstrip(".") in row["description"]
    assert by_column[("parcels", "land_use_name_zh")]["title"] == "用地名称"
    assert by_column[("parcels", "parcel_id")]["title"] == "地块编号"
    ext = ogr_sql(target / GPKG, "SELECT table_name FROM gpkg_extensions WHERE "
                  "extension_name = 'gpkg_schema'")  # fmt: skip
    assert {"gpkg_data_columns"} <= {r["table_name"] for r in ext}


def test_every_field_has_a_chinese_title_unique_in_its_layer() -> None:
    for layer in dd.EXPORT_LAYERS:
        titles = [field_title_zh(layer.name, f.name) for f in layer.fields]
        assert len(set(titles)) == len(titles), layer.name
        assert all(re.search(r"[\u4e00-\u9fff]", t) for t in titles), layer.name


# --------------------------------------------------------------------------- PostGIS


@pytest.fixture
def pg(beichuan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    dsn = os.environ.get("ZONING_TEST_PG_DSN", "")
    need_tool(bool(dsn), "a PostGIS server (ZONING_TEST_PG_DSN=postgresql://...)")
    schema = f"zoning_test_{uuid.uuid4().hex[:10]}"
    ex.export_park(
        beichuan["park"],
        dsn,
        results=beichuan["results"],
        plan=beichuan["plan"],
        ledger=beichuan["ledger"],
        generated_at=GENERATED,
        pg_schema=schema,
    )
    yield dsn, schema
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    conn.close()


def pg_query(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return list(cur.fetchall())
    finally:
        conn.close()


@pytest.mark.postgis
def test_postgis_nulls_winding_comments_and_ledger(pg: tuple[str, str]) -> None:
    dsn, schema = pg
    ((nulls, empties),) = pg_query(
        dsn,
        f"SELECT count(*) FILTER (WHERE industry_code IS NULL), "
        f"count(*) FILTER (WHERE industry_code = '') FROM {schema}.parcels",
    )
    assert nulls > 100
    assert empties == 0
    for table in ("zones", "parcels", "candidate_sites", "tracts", "placements"):
        ((ccw, total),) = pg_query(
            dsn,
            f"SELECT count(*) FILTER (WHERE ST_IsPolygonCCW(geom)), count(*) FROM {schema}.{table}",
        )
        assert total > 0, table
        assert ccw == total, table
    ((comment,),) = pg_query(
        dsn,
        f"SELECT col_description('{schema}.parcels'::regclass, attnum) FROM pg_attribute "
        f"WHERE attrelid = '{schema}.parcels'::regclass AND attname = 'land_use_name_zh'",
    )
    assert comment.startswith("用地名称：")
    rows = pg_query(
        dsn,
        f"SELECT land_status, land_status_zh, count(*) FROM {schema}.parcels "
        "WHERE land_status IS NOT NULL GROUP BY 1, 2 ORDER BY 1",
    )
    assert ("idle_recovery", "闲置满两年（无偿收回）") in [r[:2] for r in rows]
    ((plan_id, as_of),) = pg_query(dsn, f"SELECT plan_id, ledger_as_of FROM {schema}.metadata")
    assert plan_id
    assert as_of == AS_OF


# --------------------------------------------------------------------------- CLI


def test_cli_export_carries_the_ledger_in_epsg4522(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--to", str(tmp_path), "--format", "gpkg", "--crs", "4522",
              "--as-of", AS_OF],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    gpkg = tmp_path / "beichuan_epsg4522.gpkg"
    assert "beichuan_epsg4522.gpkg" in result.output
    props, _, crs = read_all(gpkg, layer="parcels")
    assert crs.to_epsg() == 4522
    assert {p["land_status"] for p in props} >= {"idle_recovery", "normal", None}
    meta, _, _ = read_all(gpkg, layer="metadata")
    assert meta[0]["ledger_as_of"] == AS_OF


def test_cli_export_refuses_a_bad_day(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--to", str(tmp_path), "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_every_feature_of_a_mixed_layer_is_in_exactly_one_geojson_file(tmp_path: Path) -> None:
    bundle = ex.to_export_bundle(sample_park(), generated_at=GENERATED)
    infra = bundle.layers["infrastructure"].copy()
    odd = [None, shapely.Polygon(), shapely.GeometryCollection(), shapely.Point()]
    infra.loc[: len(odd) - 1, "geometry"] = odd
    layers = {**bundle.layers, "infrastructure": infra}
    directory = tmp_path / "tiny-geojson"
    ex.write_geojson(ex.ExportBundle(bundle.park_id, layers, bundle.metadata), directory)
    ids = []
    for part in ("infrastructure_point", "infrastructure_line", "infrastructure_polygon"):
        doc = json.loads(gj(directory, part).read_text("utf-8"))
        ids += [f["properties"]["infra_id"] for f in doc["features"]]
    assert sorted(ids) == sorted(infra["infra_id"])
