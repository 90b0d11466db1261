"""``zoning import``: a municipal delivery becomes a park that validates, with the same
areas and verdicts; bad deliveries are refused with a clear message and nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import ezdxf
import geopandas as gpd
import pandas as pd
import pytest
import shapely

import zoning
from tests.conftest import need_tool, run_zoning
from zoning import schema as s
from zoning.exchange.crs import detect_crs, recognise_crs
from zoning.exchange.landcodes import conversion_table, convert_land_use_codes
from zoning.io import read_park, read_projects
from zoning.io.importing import ImportInputError, import_park, mask_password
from zoning.io.park import bundled_park_dir
from zoning.landuse import LAND_USE_CLASSES

#: the 2023 codes of the bundled park written back as GB 50137-2011 codes
TO_2011 = {
    "100101": "M1",
    "100102": "M2",
    "100103": "M3",
    "110101": "W1",
    "110102": "W2",
    "1101": "W",
    "070102": "R2",
    "090101": "B11",
    "090104": "B14",
    "0902": "B2",
    "0903": "B3",
    "0802": "A35",
    "0803": "A2",
    "0805": "A4",
    "0806": "A5",
    "0807": "A6",
    "080402": "A32",
    "080403": "A33",
    "1401": "G1",
    "1402": "G2",
    "1302": "U21",
    "1303": "U12",
}
STATUS_ZH = {"developed": "已建", "committed": "已批", "vacant": "空闲", "protected": "保护"}
MODE_ZH = {"priority_contiguous": "重点区域优先连片开发", "maintain_current": "维持现状"}
KIND_ZH = {
    "river_setback": "河道退让",
    "ecological_protection": "生态保护红线",
    "no_build": "禁建区",
    "sensitive_area": "敏感区",
}


def _bundled() -> dict[str, gpd.GeoDataFrame]:
    park = bundled_park_dir()
    return {
        n: gpd.read_file(park / f"{n}.geojson")
        for n in ("zones", "parcels", "constraints", "infrastructure")
    }


def municipal_layers(crs: str = "EPSG:4522") -> dict[str, gpd.GeoDataFrame]:
    """The bundled park as the administration would deliver it: Chinese fields, old codes."""
    b = _bundled()
    z = b["zones"]
    zones = gpd.GeoDataFrame(
        {
            "分区编号": z.zone_id,
            "分区名称": z.name_zh,
            "英文名称": z.name_en,
            "功能定位": z.purpose_zh,
            "允许类": [";".join(v) for v in z.permitted],
            "限制类": ["、".join(v) for v in z.conditional],
            "禁止类": [",".join(v) for v in z.prohibited],
            "工业类别": z.max_industrial_class.map(TO_2011),
            "开发时序": z.priority,
            "开发模式": z.development_mode.map(MODE_ZH),
        },
        geometry=z.geometry,
    ).to_crs(crs)
    p = b["parcels"]
    metric = p.geometry.to_crs("EPSG:4543")
    parcels = gpd.GeoDataFrame(
        {
            "地块编号": p.parcel_id,
            "用地代码": p.land_use_code.map(TO_2011),
            "现状": p.status.map(STATUS_ZH),
            "使用权人": p.occupant.str.slice(0, 40),
            "行业代码": p.industry_code,
            "污水排放量": p.wastewater_tpd,
            "用电负荷": p.power_mw,
            "建筑面积": p.floor_area_m2,
            "基底面积": p.footprint_m2,
            "面积": metric.area.round(1),
            "备注": "控规2019",
        },
        geometry=p.geometry,
    ).to_crs(crs)
    c = b["constraints"]
    constraints = gpd.GeoDataFrame(
        {
            "编号": c.constraint_id,
            "类型": c.kind.map(KIND_ZH),
            "名称": c.name.str.slice(0, 60),
            "来源": c.source.str.slice(0, 60),
            "备注": c.note.str.slice(0, 60),
        },
        geometry=c.geometry,
    ).to_crs(crs)
    infrastructure = b["infrastructure"].to_crs(crs)
    return {
        "zones": zones,
        "parcels": parcels,
        "constraints": constraints,
        "infrastructure": infrastructure,
    }


def write_gbk_shapefile(frame: gpd.GeoDataFrame, path: Path, *, prj: bool = True) -> Path:
    """Write a GBK shapefile without .cpg (and without .prj when asked), as old tools do."""
    frame.to_file(path, engine="fiona", encoding="gbk")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if not prj:
        path.with_suffix(".prj").unlink()
    return path


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A municipal delivery: GBK shapefiles without .cpg, EPSG:4522, GB 50137-2011 codes."""
    folder = tmp_path_factory.mktemp("delivery")
    layers = municipal_layers()
    sources = {}
    for name in ("zones", "parcels", "constraints"):
        # parcels come without .prj: the zone prefix 34 of the eastings gives EPSG:4522
        sources[name] = str(
            write_gbk_shapefile(layers[name], folder / f"kg_{name}.shp", prj=name != "parcels")
        )
    layers["infrastructure"].to_file(folder / "infra.gpkg", layer="设施", engine="fiona")
    sources["infrastructure"] = str(folder / "infra.gpkg#设施")
    return sources


@pytest.fixture(scope="module")
def imported(delivery: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("out") / "beichuan"
    import_park(target, delivery, park_id="beichuan", name_zh="北川工业园区")
    return target


def test_delivery_is_gbk_without_cpg(delivery: dict[str, str]) -> None:
    shp = Path(delivery["parcels"])
    assert not shp.with_suffix(".cpg").exists()
    assert not shp.with_suffix(".prj").exists()
    raw = shp.with_suffix(".dbf").read_bytes()
    assert "地块编号".encode("gbk") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_imported_park_has_the_same_areas(imported: Path) -> None:
    park, bundled = read_park(imported), zoning.load_park()
    for layer, key in (("zones", s.ZONE_ID), ("parcels", s.PARCEL_ID)):
        got = park.layer(layer).set_index(key)[s.AREA_M2]
        want = bundled.layer(layer).set_index(key)[s.AREA_M2]
        assert sorted(got.index) == sorted(want.index)
        rel = ((got - want.loc[got.index]).abs() / want.loc[got.index]).max()
        assert rel < 1e-4, layer


def test_imported_park_keeps_codes_status_and_text(imported: Path) -> None:
    park, bundled = read_park(imported), zoning.load_park()
    got = park.parcels.set_index(s.PARCEL_ID).sort_index()
    want = bundled.parcels.set_index(s.PARCEL_ID).sort_index()
    for column in (s.LAND_USE_CODE, s.STATUS, s.INDUSTRY_CODE, s.ZONE_ID):
        assert got[column].tolist() == want[column].tolist(), column
    assert got[s.OCCUPANT].tolist() == want[s.OCCUPANT].str.slice(0, 40).str.strip().tolist()
    zones = park.zones.set_index(s.ZONE_ID).sort_index()
    bz = bundled.zones.set_index(s.ZONE_ID).sort_index()
    for column in (
        s.NAME_ZH,
        s.PERMITTED,
        s.CONDITIONAL,
        s.PROHIBITED,
        s.MAX_INDUSTRIAL_CLASS,
        s.PRIORITY,
        s.DEVELOPMENT_MODE,
    ):
        assert zones[column].tolist() == bz[column].tolist(), column


def test_imported_park_gives_the_same_verdicts(imported: Path) -> None:
    projects = read_projects(bundled_park_dir() / "projects.csv")
    got = zoning.check(read_park(imported), projects)
    want = zoning.check(zoning.load_park(), projects)
    key = [s.PROJECT_ID, s.ZONE_ID]
    a = got.set_index(key)[s.VERDICT].sort_index()
    b = want.set_index(key)[s.VERDICT].sort_index()
    assert len(b) > 10
    assert a.to_dict() == b.to_dict()


def test_metadata_holds_the_park_id_and_the_report(imported: Path) -> None:
    meta = json.loads((imported / "metadata.json").read_text(encoding="utf-8"))
    assert meta["park_id"] == "beichuan"
    report = "\n".join(meta["imported"]["report"])
    assert "GBK" in report
    assert "EPSG:4522" in report
    assert "34" in report
    assert "parcel_id ← 地块编号" in report
    assert "status ← 现状" in report
    assert "M2 → 100102" in report
    assert any("B3" in w for w in meta["imported"]["warnings"])  # ambiguous class reported
    assert (imported / "rulebook.toml").read_bytes() == (
        bundled_park_dir() / "rulebook.toml"
    ).read_bytes()
    assert not [p for p in imported.parent.iterdir() if p.name.startswith(".")]


def test_cli_import_reports_encoding_crs_and_fields(
    delivery: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "park"
    result = run_zoning(
        "import",
        target,
        "--zones",
        delivery["zones"],
        "--parcels",
        delivery["parcels"],
        "--park-id",
        "beichuan",
    )
    assert result.returncode == 0, result.stderr
    assert "encoding GBK" in result.stdout
    assert "EPSG:4522" in result.stdout
    assert "zone number 34" in result.stdout
    assert "用地代码" in result.stdout
    assert "imported:" in result.stdout
    assert run_zoning("validate", target).returncode == 0


def _import_from(frames: dict[str, gpd.GeoDataFrame], tmp_path: Path, suffix: str) -> Path:
    sources = {}
    for name, frame in frames.items():
        path = tmp_path / f"{name}{suffix}"
        if suffix == ".geojson":
            frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON", engine="fiona")
        else:
            frame.to_file(path, engine="fiona")
        sources[name] = str(path)
    target = tmp_path / "park"
    import_park(target, sources)
    return target


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_geopackage_and_geojson_deliveries(suffix: str, tmp_path: Path) -> None:
    layers = municipal_layers("EPSG:4543" if suffix == ".gpkg" else "EPSG:4522")
    target = _import_from({k: layers[k] for k in ("zones", "parcels")}, tmp_path, suffix)
    park = read_park(target)
    assert len(park.parcels) == 394
    assert park.parcels[s.LAND_USE_CODE].isin(list(LAND_USE_CLASSES)).all()


def test_dxf_delivery_from_closed_polylines_and_labels(tmp_path: Path) -> None:
    layers = municipal_layers()
    parcels = layers["parcels"]
    simple = (parcels.geom_type == "Polygon") & (
        shapely.get_num_interior_rings(parcels.geometry.to_numpy()) == 0
    )
    parcels = parcels[simple]
    assert len(parcels) > 300
    doc = ezdxf.new()
    msp = doc.modelspace()
    for pid, code, geom in zip(
        parcels["地块编号"], parcels["用地代码"], parcels.geometry, strict=True
    ):
        ring = list(geom.exterior.coords)
        msp.add_lwpolyline(ring[:-1], close=True, dxfattribs={"layer": code})
        point = geom.representative_point()
        msp.add_text(pid, dxfattribs={"layer": "标注", "insert": (point.x, point.y)})
    dxf = tmp_path / "parcels.dxf"
    doc.saveas(dxf)
    zones = write_gbk_shapefile(layers["zones"], tmp_path / "zones.shp")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[parcels.fields]\nparcel_id = "Text"\nland_use_code = "Layer"\n'
        '[parcels.constants]\nstatus = "vacant"\n',
        encoding="utf-8",
    )
    target = tmp_path / "park"
    import_park(
        target, {"zones": str(zones), "parcels": str(dxf)}, mapping=mapping, crs="EPSG:4522"
    )
    park, bundled = read_park(target), zoning.load_park()
    got = park.parcels.set_index(s.PARCEL_ID).sort_index()
    want = bundled.parcels.set_index(s.PARCEL_ID).loc[got.index]
    assert len(got) == len(parcels)
    assert got[s.LAND_USE_CODE].tolist() == want[s.LAND_USE_CODE].tolist()
    assert ((got[s.AREA_M2] - want[s.AREA_M2]).abs() / want[s.AREA_M2]).max() < 1e-4


def _pg_dsn() -> str | None:
    return os.environ.get("ZONING_TEST_PG_DSN")


@pytest.mark.postgis
def test_postgis_delivery(tmp_path: Path) -> None:
    dsn = _pg_dsn()
    need_tool(bool(dsn), "ZONING_TEST_PG_DSN names no PostGIS server")
    assert dsn is not None
    import psycopg2

    layers = municipal_layers()
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("DROP TABLE IF EXISTS import_test_parcels")
        cur.execute(
            'CREATE TABLE import_test_parcels ("地块编号" text, "用地代码" text, '
            '"现状" text, geom geometry(Geometry, 4522))'
        )
        p = layers["parcels"]
        cur.executemany(
            "INSERT INTO import_test_parcels VALUES (%s, %s, %s, ST_GeomFromText(%s, 4522))",
            [
                (a, b, c, g.wkt)
                for a, b, c, g in zip(
                    p["地块编号"], p["用地代码"], p["现状"], p.geometry, strict=True
                )
            ],
        )
    zones = write_gbk_shapefile(layers["zones"], tmp_path / "zones.shp")
    target = tmp_path / "park"
    result = import_park(target, {"zones": str(zones), "parcels": f"{dsn}#import_test_parcels"})
    assert any("PostGIS" in line for line in result.report)
    assert len(read_park(target).parcels) == 394


# --------------------------------------------------------------------------- bad input


def _refused(tmp_path: Path, *args: str | Path) -> str:
    target = tmp_path / "refused"
    result = run_zoning("import", target, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".refused")]
    return result.stderr


def test_unreadable_file_is_refused(delivery: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "parcels.shp"
    bad.write_bytes(b"not a shapefile")
    (tmp_path / "parcels.dbf").write_bytes(b"")
    err = _refused(tmp_path, "--zones", delivery["zones"], "--parcels", bad)
    assert "unreadable file" in err
    assert "nothing was written" in err


def test_unknown_crs_is_refused(delivery: dict[str, str], tmp_path: Path) -> None:
    local = municipal_layers("EPSG:4543")["parcels"]
    local = local.set_geometry(local.geometry.translate(-400_000, -4_000_000), crs=None)
    shp = write_gbk_shapefile(local.set_crs(None, allow_override=True), tmp_path / "p.shp")
    err = _refused(tmp_path, "--zones", delivery["zones"], "--parcels", shp)
    assert "no CRS declared" in err
    assert "--crs" in err


def test_xian80_is_refused(delivery: dict[str, str], tmp_path: Path) -> None:
    parcels = municipal_layers()["parcels"].set_crs("EPSG:2360", allow_override=True)
    shp = write_gbk_shapefile(parcels, tmp_path / "p.shp")
    err = _refused(tmp_path, "--zones", delivery["zones"], "--parcels", shp)
    assert "Xi'an 1980" in err
    assert "transformation" in err
    assert "CGCS2000" in err


def test_mapping_naming_a_missing_field_is_refused(
    delivery: dict[str, str], tmp_path: Path
) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[parcels.fields]\nparcel_id = "地块编码"\n', encoding="utf-8")
    err = _refused(
        tmp_path,
        "--zones",
        delivery["zones"],
        "--parcels",
        delivery["parcels"],
        "--mapping",
        mapping,
    )
    assert "地块编码" in err
    assert "not in the file" in err
    assert "地块编号" in err


def test_dxf_without_closed_polygons_is_refused(delivery: dict[str, str], tmp_path: Path) -> None:
    lines = gpd.GeoDataFrame(
        {"Layer": ["道路"]}, geometry=[shapely.LineString([(0, 0), (100, 50), (200, 0)])]
    )
    dxf = tmp_path / "roads.dxf"
    lines.to_file(dxf, driver="DXF", engine="fiona")
    err = _refused(tmp_path, "--zones", delivery["zones"], "--parcels", dxf)
    assert "no closed polygons" in err


def test_invalid_park_is_refused_and_nothing_written(
    delivery: dict[str, str], tmp_path: Path
) -> None:
    rulebook = tmp_path / "rulebook.toml"
    text = (bundled_park_dir() / "rulebook.toml").read_text(encoding="utf-8")
    rulebook.write_text(text.replace('code = "3216"', 'code = "9999"', 1), encoding="utf-8")
    err = _refused(
        tmp_path,
        "--zones",
        delivery["zones"],
        "--parcels",
        delivery["parcels"],
        "--rulebook",
        rulebook,
    )
    assert "does not validate" in err


def test_bad_park_id_is_refused(delivery: dict[str, str], tmp_path: Path) -> None:
    err = _refused(
        tmp_path,
        "--zones",
        delivery["zones"],
        "--parcels",
        delivery["parcels"],
        "--park-id",
        "../x",
    )
    assert "invalid park id" in err


# --------------------------------------------------------------------------- core pieces


def test_every_conversion_lands_on_a_known_2023_class() -> None:
    table = conversion_table()
    assert {"M1", "M2", "M3", "W1", "W2", "W3", "R2", "A33", "B1", "S4", "U21", "G1"} <= set(table)
    assert all(row.new_code in LAND_USE_CLASSES for row in table.values())
    assert all(row.note for row in table.values() if row.ambiguous)


def test_codes_report_ambiguous_and_unconvertible() -> None:
    codes, report = convert_land_use_codes(pd.Series(["M2二类工业用地", "S4", "E1", 70102.0]))
    assert codes.tolist() == ["100102", "1208", "E1", "070102"]
    assert [r.old_code for r in report.ambiguous] == ["S4"]
    assert report.unconvertible == {"E1": 1}


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((34_470_000.0, 4_080_000.0, 34_480_000.0, 4_090_000.0), "EPSG:4522"),
        ((35_470_000.0, 4_080_000.0, 35_480_000.0, 4_090_000.0), "EPSG:4523"),
        ((18_470_000.0, 4_080_000.0, 18_480_000.0, 4_090_000.0), "EPSG:4496"),
        ((101.6, 36.9, 101.8, 37.0), "EPSG:4490"),
        ((470_000.0, 4_080_000.0, 480_000.0, 4_090_000.0), None),
    ],
)
def test_crs_recognised_from_coordinates(
    bounds: tuple[float, float, float, float], expected: str | None
) -> None:
    assert recognise_crs(bounds, where="x").crs == expected


@pytest.mark.parametrize("code", ["EPSG:4610", "EPSG:4214", "EPSG:2383", "EPSG:21413"])
def test_xian80_and_beijing54_refused(code: str) -> None:
    problem = detect_crs(code, (0.0, 0.0, 1.0, 1.0), where="x").problem
    assert problem is not None
    assert "transformation" in problem.what


def test_declared_crs_mismatch_names_the_likely_one() -> None:
    decision = detect_crs(
        "EPSG:4543", (34_470_000.0, 4_080_000.0, 34_480_000.0, 4_090_000.0), where="x"
    )
    assert decision.problem is not None
    assert "EPSG:4522" in decision.problem.fix


def test_passwords_are_masked() -> None:
    assert "s3cret" not in mask_password("postgresql://u:s3cret@h/db#t password=s3cret")


def test_existing_target_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "park").mkdir()
    (tmp_path / "park" / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ImportInputError, match="exists already"):
        import_park(tmp_path / "park", {})
    assert [p.name for p in (tmp_path / "park").iterdir()] == ["keep.txt"]


# --------------------------------------------------------------------------- encodings, mapping


def test_utf8_shapefile_with_and_without_cpg(tmp_path: Path) -> None:
    from zoning.io.importing import detect_shapefile_encoding

    zones = municipal_layers()["zones"][["分区编号", "分区名称", "geometry"]]
    zones = zones.rename(columns={"分区编号": "编号", "分区名称": "名称"})
    with_cpg = tmp_path / "a.shp"
    zones.to_file(with_cpg, engine="fiona", encoding="utf-8")
    assert with_cpg.with_suffix(".cpg").exists()
    codec, how, problem = detect_shapefile_encoding(with_cpg)
    assert (codec, problem) == ("utf-8", None)
    assert "a.cpg" in how
    with_cpg.with_suffix(".cpg").unlink()
    codec, how, problem = detect_shapefile_encoding(with_cpg)
    assert (codec, problem) == ("utf-8", None)
    assert "UTF-8" in how


def test_text_in_neither_utf8_nor_gbk_is_refused(tmp_path: Path) -> None:
    from zoning.io.importing import detect_shapefile_encoding

    shp = write_gbk_shapefile(municipal_layers()["zones"], tmp_path / "z.shp")
    dbf = shp.with_suffix(".dbf")
    raw = bytearray(dbf.read_bytes())
    at = raw.index("北川".encode("gbk")) if "北川".encode("gbk") in raw else len(raw) - 10
    raw[at : at + 2] = b"\xff\xff"
    dbf.write_bytes(bytes(raw))
    codec, _, problem = detect_shapefile_encoding(shp)
    assert codec is None
    assert problem is not None
    assert "neither UTF-8 nor GBK" in problem.what


def test_a_wrong_cpg_is_refused_not_garbled(tmp_path: Path) -> None:
    from zoning.io.importing import detect_shapefile_encoding

    shp = write_gbk_shapefile(municipal_layers()["zones"], tmp_path / "z.shp")
    shp.with_suffix(".cpg").write_text("UTF-8", encoding="ascii")
    codec, _, problem = detect_shapefile_encoding(shp)
    assert codec is None
    assert problem is not None
    assert "do not decode" in problem.what


def test_bare_zones_completed_by_the_mapping_file(delivery: dict[str, str], tmp_path: Path) -> None:
    """A zone layer with only 区号 and 名称, its policy given per zone in the mapping file."""
    b = _bundled()["zones"]
    bare = gpd.GeoDataFrame(
        {"区号": b.zone_id, "名称": b.name_zh, "面积亩": 0.0}, geometry=b.geometry
    ).to_crs("EPSG:4522")
    bare["面积亩"] = bare.geometry.area * 15 / 10000
    shp = write_gbk_shapefile(bare, tmp_path / "bare.shp")
    rows = []
    for z in b.itertuples():
        rows.append(
            f'[zones.rows.{z.zone_id}]\nname_en = "{z.name_en}"\n'
            f"permitted = {json.dumps(list(z.permitted))}\n"
            f"conditional = {json.dumps(list(z.conditional))}\n"
            f"prohibited = {json.dumps(list(z.prohibited))}\n"
            f'max_industrial_class = "{z.max_industrial_class}"\npriority = {z.priority}\n'
            f'development_mode = "{z.development_mode}"\n'
        )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[zones.fields]\nzone_id = "区号"\n' + "".join(rows), encoding="utf-8")
    target = tmp_path / "park"
    result = import_park(
        target, {"zones": str(shp), "parcels": delivery["parcels"]}, mapping=mapping
    )
    report = "\n".join(result.report)
    assert "zone_id ← 区号 (mapping file)" in report
    assert "name_zh ← 名称 (default alias)" in report
    assert "面积亩 (mu) checked against the geometry: 4 of 4" in report
    park = read_park(target)
    assert park.zones.set_index(s.ZONE_ID).loc["almg", s.PRIORITY] == 1
    assert sorted(park.zones[s.ZONE_ID]) == sorted(b.zone_id)


def test_area_in_hectares_warns(tmp_path: Path) -> None:
    from zoning.exchange.fields import check_stated_area

    area_m2 = pd.Series([10_000.0, 20_000.0, 66_666.7])
    _, problems = check_stated_area(
        area_m2 / 10_000,
        area_m2,
        pd.Series(["a", "b", "c"]),
        field_name="面积",
        unit=None,
        where="p.shp",
    )
    assert len(problems) == 1
    assert "looks like it is in ha" in problems[0].what
    _, problems = check_stated_area(
        area_m2 * [1, 1, 1.2],
        area_m2,
        pd.Series(["a", "b", "c"]),
        field_name="面积",
        unit=None,
        where="p.shp",
    )
    assert problems[0].ids == ("c",)


def test_refusals_speak_chinese() -> None:
    from zoning.i18n import use_lang

    with use_lang("zh"):
        problem = detect_crs("EPSG:2360", (0.0, 0.0, 1.0, 1.0), where="x").problem
    assert problem is not None
    assert "西安80" in problem.what
    assert "七参数" in problem.what


def test_the_documented_mapping_example_is_valid() -> None:
    import tomllib

    from zoning.exchange.fields import mapping_from_dict

    text = (Path(__file__).parents[1] / "docs" / "import.md").read_text(encoding="utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    mapping, problems = mapping_from_dict(tomllib.loads(block), where="docs/import.md")
    assert problems == []
    assert mapping.layer("parcels").fields["parcel_id"] == "DKBH"
    assert mapping.land_use_codes["A3"] == "0802"


def test_exchange_core_reads_no_files_and_draws_no_maps() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import zoning.exchange.delivery, zoning.exchange.project_columns\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in "
        "('fiona', 'folium', 'psycopg2', 'openpyxl', 'pyogrio'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgis_errors_never_show_the_password() -> None:
    from zoning.io.importing import read_source

    source, problems = read_source("postgresql://gis:s3cret@127.0.0.1:1/kg#parcels", "parcels")
    assert source is None
    text = " ".join(str(p) for p in problems)
    assert "cannot read the PostGIS table" in text
    assert "s3cret" not in text
    assert "gis:***@" in text
