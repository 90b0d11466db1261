"""Exports: GeoJSON (RFC 7946), GeoPackage and Shapefile read back with fiona and GDAL.

The expected values are built here from the park, the fit results and the plan, following
the data dictionary; the files are read back with fiona directly and with GDAL's ogrinfo,
and the GeoJSON is checked against RFC 7946 by code that shares nothing with the exporter.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fiona
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS
from typer.testing import CliRunner

import zoning
from tests.conftest import TINY_RULEBOOK, X0, Y0, metric_box, need_tool, tiny_layers
from zoning import datadict as dd
from zoning import schema as s
from zoning.cli import app
from zoning.errors import ExportError, InputError
from zoning.io import bundled_park_dir, read_projects
from zoning.io import export as ex
from zoning.landuse import LAND_USE_CLASSES
from zoning.park import Park, build_park
from zoning.rulebook import build_rulebook
from zoning.shapefile_names import SHAPEFILE_ABBREVIATIONS
from zoning.siting import propose_sites

GENERATED = datetime(2026, 1, 31, 8, 0, 0, tzinfo=UTC)
LONG_NOTICE = " ".join(["示意数据 Illustrative layout, not an official plan."] * 12)  # > 254 B
#: park box in degrees (the tiny park and Beichuan are near Qiaotou, 101.7 E 36.9 N)
LON_RANGE, LAT_RANGE = (100.5, 103.0), (36.0, 38.0)


# --------------------------------------------------------------------------- inputs


def sample_park(park_id: str = "tiny") -> Park:
    """A small park with every layer, Chinese text, a zone with a hole and mixed geometries."""
    layers = tiny_layers()
    zones = layers["zones"].copy()
    ring = shapely.get_exterior_ring(zones.geometry.iloc[0])
    hole = metric_box(800, 450, 900, 550).exterior
    zones.loc[0, "geometry"] = shapely.Polygon(ring, [hole])
    # the second zone's exterior ring is clockwise, the hole counter-clockwise: RFC 7946
    # wants the opposite, so the GeoJSON writer has something to fix
    zones.loc[1, "geometry"] = shapely.orient_polygons(zones.geometry.iloc[1], exterior_cw=True)
    zones["purpose_zh"] = ["铝镁深加工", "商业服务"]
    parcels = layers["parcels"].copy()
    parcels["occupant"] = ["青海铝业 Aluminium Co.", "", "沿街商铺 Shops", "住宅 Housing"]
    extra = gpd.GeoDataFrame(
        {
            "parcel_id": ["P5"],
            "land_use_code": ["100102"],
            "status": ["vacant"],
            "occupant": [""],
            "wastewater_tpd": [0.0],
            "power_mw": [0.0],
        },
        geometry=[
            shapely.MultiPolygon([metric_box(600, 0, 700, 100), metric_box(600, 200, 700, 300)])
        ],
        crs="EPSG:4543",
    )
    parcels = pd.concat([parcels, extra], ignore_index=True)
    constraints = gpd.GeoDataFrame(
        {
            "constraint_id": ["C1"],
            "kind": ["river_setback"],
            "name": ["北川河 河道管理范围 Beichuan River setback"],
            "source": ["示意 illustrative"],
            "note": ["30 m"],
        },
        geometry=[metric_box(0, 560, 1000, 600)],
        crs="EPSG:4543",
    )
    infrastructure = gpd.GeoDataFrame(
        {
            "infra_id": ["R1", "W1", "WWTP", "S1", "WWTP-A"],
            "kind": ["road", "water_main", "wastewater_plant", "substation", "wastewater_plant"],
            "name": ["北川大道 Beichuan Ave", "给水干管", "污水处理厂", "变电站", "污水厂用地"],
            "status": ["built", "planned", "built", "built", "built"],
            "capacity": [np.nan, np.nan, 10000.0, 50.0, np.nan],
            "capacity_unit": ["", "", "t/d", "MVA", ""],
            "width_m": [40.0, np.nan, np.nan, np.nan, np.nan],
            "source": ["示意 illustrative"] * 5,
        },
        geometry=[
            shapely.LineString([(X0 + 0, Y0 + 300), (X0 + 1600, Y0 + 300)]),
            shapely.MultiLineString(
                [
                    [(X0 + 100, Y0 + 0), (X0 + 100, Y0 + 600)],
                    [(X0 + 1100, Y0 + 0), (X0 + 1100, Y0 + 600)],
                ]
            ),
            shapely.Point(X0 + 950, Y0 + 550),
            shapely.Point(X0 + 1500, Y0 + 550),
            metric_box(920, 500, 980, 540),
        ],
        crs="EPSG:4543",
    )
    context = gpd.GeoDataFrame(
        {
            "context_id": ["CTX-COUNTY", "CTX-PS"],
            "kind": ["county_boundary", "coal_power_plant"],
            "name": ["大通回族土族自治县 (test box)", "桥头电厂 Qiaotou power station"],
            "accuracy": ["box", "exact"],
            "source": ["test", "test"],
            "licence": ["CC0", "CC BY 4.0"],
        },
        geometry=[metric_box(-5000, -5000, 7000, 7000), shapely.Point(X0 + 1200, Y0 + 800)],
        crs="EPSG:4543",
    )
    rulebook_data = tomllib.loads(TINY_RULEBOOK)
    rulebook_data["rulebook"]["park_id"] = park_id
    return build_park(
        {
            "zones": zones,
            "parcels": parcels,
            "constraints": constraints,
            "infrastructure": infrastructure,
            "context": context,
        },
        build_rulebook(rulebook_data),
        metadata={
            "park_id": park_id,
            "name_zh": "小园区",
            "name_en": "Tiny park",
            "illustrative": True,
            "notice": LONG_NOTICE,
            "credits": [
                {"data": "county box", "source": "test", "licence": "CC0"},
                "桥头电厂 point — GEM — CC BY 4.0",
            ],
        },
    )


def _finding(rule: str, status: str, message: str, **extra: Any) -> dict[str, Any]:
    base = {
        "rule": rule,
        "status": status,
        "message": message,
        "measured": None,
        "required": None,
        "unit": "",
        "source": "",
    }
    return {**base, **extra}


def sample_results() -> gpd.GeoDataFrame:
    """Fit results in the shape of ``zoning.check``: sites and rows without a site."""
    site = metric_box(300, 0, 600, 300)
    findings_ok = [
        _finding("industry", "pass", "3252 铝压延加工 is permitted in 工业区"),
        _finding(
            "intensity.far",
            "warn",
            "容积率 0.9 below the advisory 1.0",
            measured=0.9,
            required=1.0,
            source="工业项目建设用地控制指标 (2008)",
        ),
    ]
    findings_no = [
        _finding("industry", "fail", "3252 is not permitted in 城区 (prohibited prefix 3)"),
        _finding("site.zone", "fail", "the site is outside zone city", measured=0.0, unit="mu"),
    ]
    findings_err = [_finding("input", "fail", "industry_code '32x' is not a GB/T 4754-2017 code")]
    return gpd.GeoDataFrame(
        {
            "project_id": ["A1", "A1", "B2", "B2", "C3"],
            "name": ["铝板带项目", "铝板带项目", "Warehouse 仓储", "Warehouse 仓储", "bad row"],
            "industry_code": ["3252", "3252", "5920", "5920", "32x"],
            "zone_id": ["ind", "city", "ind", "city", "ind"],
            "verdict": ["fits", "does_not_fit", "conditional", "does_not_fit", "error"],
            "findings": [findings_ok, findings_no, findings_ok[1:], findings_no[:1], findings_err],
            "best": [True, False, True, False, False],
            "area_mu": [45.0, 45.0, 20.0, 20.0, np.nan],
        },
        geometry=[site, site, None, None, None],
        crs="EPSG:4543",
    )


@dataclass
class Plan:
    """The part of a phase plan the exporter reads (``zoning.sequence`` returns more)."""

    parcels: gpd.GeoDataFrame
    quota_mu: float
    phases: int


def sample_plan(park: Park) -> Plan:
    """Two vacant parcels opened in phases 1 and 2, one held back; built parcels have neither."""
    parcels = park.parcels.copy()
    phase = {"P2": 1, "P5": 2}
    reason = {"P3": "zone_held"}
    parcels["phase"] = pd.array([phase.get(p, pd.NA) for p in parcels["parcel_id"]], dtype="Int64")
    parcels["reason"] = pd.array(
        [reason.get(p, pd.NA) for p in parcels["parcel_id"]], dtype="string"
    )
    return Plan(parcels, quota_mu=300.0, phases=2)


# --------------------------------------------------------------------------- expected values


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def expected_layers(
    park: Park, results: gpd.GeoDataFrame | None, plan: Plan | None
) -> dict[str, dict[tuple[str, ...], tuple[dict[str, Any], Any]]]:
    """Layer -> {key: (properties, geometry in EPSG:4543)}, built from the inputs."""
    out: dict[str, dict[tuple[str, ...], tuple[dict[str, Any], Any]]] = {}
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        if layer in (dd.TRACTS, dd.PLACEMENTS):
            out[layer.name] = expected_plan_layer(park, plan, layer)
            continue
        if layer is dd.FIT_RESULTS:
            if results is None:
                out[layer.name] = {}
                continue
            frame = results.copy()
            findings = frame["findings"]
            frame["failed_rules"] = [
                [f["rule"] for f in fs if f["status"] == "fail"] for fs in findings
            ]
            frame["warned_rules"] = [
                [f["rule"] for f in fs if f["status"] == "warn"] for fs in findings
            ]
            frame["failures"] = [
                [f"{f['rule']}: {f['message']}" for f in fs if f["status"] == "fail"]
                for fs in findings
            ]
        elif layer is dd.CANDIDATE_SITES:
            frame = gpd.GeoDataFrame({n: [] for n in layer.field_names}, geometry=[])
        else:
            frame = park.layer(layer.name).copy()
            if layer is dd.PARCELS:
                phases = (
                    {}
                    if plan is None
                    else dict(zip(plan.parcels["parcel_id"], plan.parcels["phase"], strict=True))
                )
                reasons = (
                    {}
                    if plan is None
                    else dict(zip(plan.parcels["parcel_id"], plan.parcels["reason"], strict=True))
                )
                frame["phase"] = [plain(phases.get(p)) for p in frame["parcel_id"]]
                frame["phase_reason"] = [reasons.get(p) for p in frame["parcel_id"]]
        if layer is dd.CANDIDATE_SITES:
            frame = propose_sites(park, results) if results is not None else frame.iloc[:0]
        else:
            frame = expected_labels(frame, layer, park)
        rows = {}
        for i in range(len(frame)):
            props = {name: plain(frame[name].iloc[i]) for name in layer.field_names}
            for spec in layer.fields:  # a missing text is null, whatever the park's file held
                if spec.type == "str" and not spec.required and props[spec.name] == "":
                    props[spec.name] = None
            key = tuple(str(props[k]) for k in layer.key)
            rows[key] = (props, frame.geometry.iloc[i])
        out[layer.name] = rows
    return out


#: the Chinese words of each coded column's values, as a reader of the export expects them
WORDS_ZH = {
    column: {str(m): s.label(m, "zh") for enum in enums for m in enum}
    for column, enums in {
        "status": (s.ParcelStatus, s.InfrastructureStatus),
        "verdict": (s.Verdict,),
        "phase_reason": (s.UnscheduledReason,),
        "development_mode": (s.DevelopmentMode,),
        "kind": (s.ConstraintKind, s.InfrastructureKind),
    }.items()
}


def expected_labels(frame: pd.DataFrame, layer: dd.ExportLayer, park: Park) -> pd.DataFrame:
    """The label and ledger columns a layer should carry (no ledger: ledger columns null)."""
    out = frame.copy()
    industries = {i.code: i.name_zh for i in park.rulebook.industries}

    def land_use(code: Any) -> Any:
        found = LAND_USE_CLASSES.get(code) if isinstance(code, str) else None
        return found.name_zh if found else None

    for spec in layer.fields:
        if spec.origin == "ledger":
            out[spec.name] = None
        elif spec.name in ("land_use_name_zh", "max_industrial_class_zh"):
            source = "land_use_code" if spec.name == "land_use_name_zh" else "max_industrial_class"
            out[spec.name] = [land_use(c) for c in out[source]]
        elif spec.name == "industry_name_zh":
            out[spec.name] = [industries.get(c) for c in out["industry_code"]]
        elif spec.origin == "label":
            code = spec.name.removesuffix("_zh")
            out[spec.name] = [WORDS_ZH[code].get(c) for c in out[code]]
    return out


def expected_plan_layer(
    park: Park, plan: Any, layer: dd.ExportLayer
) -> dict[tuple[str, ...], tuple[dict[str, Any], Any]]:
    """The tracts or placements of a plan as the export should hold them (or none)."""
    geom_of = dict(zip(park.parcels["parcel_id"], park.parcels.geometry, strict=True))
    rows: dict[tuple[str, ...], tuple[dict[str, Any], Any]] = {}
    if layer is dd.TRACTS:
        table = getattr(plan, "tracts", None)
        if table is None:
            return rows
        for record in table.to_dict("records"):
            props = {
                name: plain(record[name])
                for name in layer.field_names
                if name not in ("why_zh", "why_en")
            }
            props["why_zh"], props["why_en"] = record["why"]["zh"], record["why"]["en"]
            geom = shapely.union_all([geom_of[i] for i in record["parcel_ids"]])
            rows[(str(props["tract_id"]),)] = ({n: props[n] for n in layer.field_names}, geom)
        return rows
    table = getattr(plan, "assignments", None)
    if table is None or table.empty:
        return rows
    tracts = zip(plan.tracts["tract_id"], plan.tracts["parcel_ids"], strict=True)
    tract_of = {i: t for t, ids in tracts for i in ids}
    for record in table.to_dict("records"):
        ids = [str(i) for i in record["parcel_ids"]]
        props = {
            "project_id": str(record["project_id"]),
            "zone_id": str(record["zone_id"]),
            "phase": int(record["phase"]),
            "tract_id": tract_of.get(ids[0]),
            "parcel_ids": ids,
            "area_mu": float(record["area_mu"]),
        }
        rows[(props["project_id"],)] = (props, shapely.union_all([geom_of[i] for i in ids]))
    return rows


def single(geom: Any) -> Any:
    if geom is None or shapely.is_empty(geom):
        return None
    if shapely.get_type_id(geom) in (4, 5, 6) and shapely.get_num_geometries(geom) == 1:
        return shapely.get_geometry(geom, 0)
    return geom


def assert_same_geometry(actual: Any, expected: Any, tolerance: float) -> None:
    a, b = single(actual), single(expected)
    if b is None:
        assert a is None
        return
    assert a is not None
    if shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=tolerance):
        return
    # a sliver's vertices may be ordered differently by normalize once rounded: compare the
    # structure and the largest vertex displacement instead
    assert a.geom_type == b.geom_type, (a.wkt[:200], b.wkt[:200])
    assert shapely.get_num_coordinates(a) == shapely.get_num_coordinates(b)
    assert shapely.get_num_geometries(a) == shapely.get_num_geometries(b)
    assert shapely.hausdorff_distance(a, b) <= tolerance * 1.5, (a.wkt[:200], b.wkt[:200])


def to_crs(geom: Any, crs: str) -> Any:
    if geom is None:
        return None
    return gpd.GeoSeries([geom], crs="EPSG:4543").to_crs(crs).iloc[0]


def read_all(path: Path, layer: str | None = None) -> tuple[list[dict[str, Any]], list[Any], Any]:
    """Properties, shapely geometries and CRS of a file read with fiona directly."""
    with fiona.open(path, layer=layer) as src:
        features = list(src)
        crs = src.crs
    props = [dict(f.properties) for f in features]
    geoms = [None if f.geometry is None else shapely.geometry.shape(f.geometry) for f in features]
    return props, geoms, crs


Rows = dict[tuple[str, ...], tuple[dict[str, Any], Any]]


def gj(directory: Path, part: str) -> Path:
    """The GeoJSON file of a layer part in ``<park>-geojson/`` (the CRS in its name)."""
    park_id = directory.name.removesuffix("-geojson")
    return directory / ex.export_file_name(park_id, part, "EPSG:4326", ".geojson")


def shp(directory: Path, part: str, crs: str = "EPSG:4490", suffix: str = ".shp") -> Path:
    """A file of the shapefile set in ``<park>-shapefile/`` (the CRS in its name)."""
    park_id = directory.name.removesuffix("-shapefile")
    return directory / ex.export_file_name(park_id, part, crs, suffix)


def gpkg(target: Path, park_id: str = "tiny", crs: str = "EPSG:4490") -> Path:
    """The GeoPackage of an export (the CRS in its name)."""
    return target / ex.export_items(park_id, ["gpkg"], crs)["gpkg"]


def keyed(layer: dd.ExportLayer, props: list[dict[str, Any]], geoms: list[Any]) -> Rows:
    return {tuple(str(p[k]) for k in layer.key): (p, g) for p, g in zip(props, geoms, strict=True)}


def read_geojson_layer(directory: Path, layer_name: str) -> Rows:
    """Every GeoJSON file of a layer (one per geometry type of a mixed layer)."""
    layer = dd.EXPORT_LAYER_BY_NAME[layer_name]
    got: Rows = {}
    for part in [layer.part_name(f) for f in layer.families]:
        props, geoms, crs = read_all(gj(directory, part))
        assert CRS.from_user_input(crs).to_epsg() == 4326
        for p in props:
            assert list(p) == list(layer.field_names)
        got.update(keyed(layer, props, geoms))
    return got


def read_gpkg_layer(gpkg: Path, layer_name: str, crs: str) -> Rows:
    """Every part of a layer from the GeoPackage, checking its CRS and geometry types."""
    layer = dd.EXPORT_LAYER_BY_NAME[layer_name]
    got: Rows = {}
    for family in layer.families:
        props, geoms, file_crs = read_all(gpkg, layer=layer.part_name(family))
        assert CRS.from_user_input(file_crs).to_epsg() == int(crs.split(":")[1])
        for g in geoms:
            assert g is None or g.geom_type in dd.GEOMETRY_FAMILIES[family]
        got.update(keyed(layer, props, geoms))
    return got


def read_shapefile_layer(directory: Path, layer_name: str, crs: str) -> Rows:
    """Every shapefile of a layer, with full field names from field_names.csv."""
    layer = dd.EXPORT_LAYER_BY_NAME[layer_name]
    mapping = field_mapping(directory)
    got: Rows = {}
    for family in layer.families:
        path = shp(directory, layer.part_name(family), crs)
        name = path.name
        assert path.with_suffix(".cpg").read_text() == "UTF-8"
        props, geoms, file_crs = read_all(path)
        assert CRS.from_user_input(file_crs).to_epsg() == int(crs.split(":")[1])
        rows = []
        for p in props:
            assert all(len(k) <= 10 for k in p)
            full = {mapping[name][k]: v for k, v in p.items()}
            rows.append({f.name: shapefile_value(full[f.name], f) for f in layer.shapefile_fields})
        got.update(keyed(layer, rows, geoms))
    return got


def assert_layer_equal(
    got: Rows, want: Rows, layer_name: str, crs: str, tolerance: float, *, shapefile: bool = False
) -> None:
    """Same features, attributes and geometries (``want`` geometries are in EPSG:4543)."""
    layer = dd.EXPORT_LAYER_BY_NAME[layer_name]
    assert got.keys() == want.keys()
    for key, (want_props, want_geom) in want.items():
        have_props, have_geom = got[key]
        if shapefile:
            for spec in layer.shapefile_fields:
                value = comparable(have_props[spec.name], spec)
                wanted = comparable(want_props[spec.name], spec)
                if spec.type == "str" and wanted and len(wanted.encode()) > 254:
                    cut = wanted.encode()[:254].decode("utf-8", errors="ignore")
                    wanted = cut.rstrip()  # cut and said so; dBASE drops trailing spaces
                if spec.type == "float" and wanted is not None:
                    assert value == pytest.approx(wanted, rel=1e-12), (key, spec.name)
                else:
                    assert value == wanted, (key, spec.name)
        else:
            assert have_props == want_props, key
        assert_same_geometry(have_geom, to_crs(want_geom, crs), tolerance=tolerance)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def park() -> Park:
    return sample_park()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, park: Park) -> Path:
    target = tmp_path_factory.mktemp("export")
    report = ex.export_park(
        park,
        target,
        results=sample_results(),
        plan=sample_plan(park),
        generated_at=GENERATED,
    )
    assert set(report.written) == {"tiny-geojson", "tiny_epsg4490.gpkg", "tiny-shapefile"}
    assert report.counts["fit_results"] == 5
    return target


@pytest.fixture(scope="module")
def exported_4543(tmp_path_factory: pytest.TempPathFactory, park: Park) -> Path:
    target = tmp_path_factory.mktemp("export4543")
    ex.export_park(
        park,
        target,
        formats=("gpkg", "shp"),
        crs="EPSG:4543",
        results=sample_results(),
        plan=sample_plan(park),
        generated_at=GENERATED,
    )
    return target


@pytest.fixture(scope="module")
def beichuan_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("beichuan")
    ex.export_park(zoning.load_park(), target, generated_at=GENERATED)
    return target


@pytest.fixture(scope="module")
def expected(park: Park) -> dict[str, dict[tuple[str, ...], tuple[dict[str, Any], Any]]]:
    return expected_layers(park, sample_results(), sample_plan(park))


def metadata_expected(crs: str) -> dict[str, Any]:
    return {
        "park_id": "tiny",
        "park_name": "小园区 Tiny park",
        "rulebook_version": "t1",
        "generated_at": "2026-01-31T08:00:00Z",
        "software_version": f"zoning {zoning.__version__}",
        "crs": crs,
        "phase_quota_mu": 300.0,
        "phases": 2,
        "max_tracts_per_phase": None,
        "plan_id": None,
        "ledger_as_of": None,
        "illustrative": True,
        "notice": LONG_NOTICE,
        "credits": ["county box — test — CC0", "桥头电厂 point — GEM — CC BY 4.0"],
    }


GEO_LAYERS = [layer.name for layer in dd.EXPORT_LAYERS if layer is not dd.METADATA]


# --------------------------------------------------------------------------- GeoJSON round trip


@pytest.mark.parametrize("layer_name", GEO_LAYERS)
def test_geojson_round_trip(exported: Path, expected: dict[str, Any], layer_name: str) -> None:
    got = read_geojson_layer(exported / "tiny-geojson", layer_name)
    assert_layer_equal(got, expected[layer_name], layer_name, "EPSG:4326", 1.01e-7)


def test_geojson_metadata_record(exported: Path) -> None:
    path = gj(exported / "tiny-geojson", "metadata")
    props, geoms, _ = read_all(path)
    assert geoms == [None]
    want = metadata_expected("EPSG:4326")
    # GDAL recognises the ISO 8601 text as a date-time and fiona returns it as +00:00
    stamp = props[0].pop("generated_at")
    assert datetime.fromisoformat(stamp) == GENERATED
    assert props == [{k: v for k, v in want.items() if k != "generated_at"}]
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["features"][0]["properties"] == want


# --------------------------------------------------------------------------- GeoPackage round trip


@pytest.mark.parametrize(
    ("fixture", "crs", "tolerance"),
    [("exported", "EPSG:4490", 1e-9), ("exported_4543", "EPSG:4543", 1e-4)],
    ids=["4490", "4543"],
)
@pytest.mark.parametrize("layer_name", GEO_LAYERS)
def test_geopackage_round_trip(
    request: pytest.FixtureRequest,
    expected: dict[str, Any],
    layer_name: str,
    fixture: str,
    crs: str,
    tolerance: float,
) -> None:
    target: Path = request.getfixturevalue(fixture)
    got = read_gpkg_layer(gpkg(target, crs=crs), layer_name, crs)
    assert_layer_equal(got, expected[layer_name], layer_name, crs, tolerance)


def test_geopackage_layers_and_metadata(exported: Path) -> None:
    assert fiona.listlayers(exported / "tiny_epsg4490.gpkg") == ex.table_names()
    props, geoms, _ = read_all(exported / "tiny_epsg4490.gpkg", layer="metadata")
    assert geoms == [None]
    assert props == [metadata_expected("EPSG:4490")]


# --------------------------------------------------------------------------- Shapefile round trip


def field_mapping(directory: Path) -> dict[str, dict[str, str]]:
    """file -> {shapefile field -> full name}, from field_names.csv."""
    mapping: dict[str, dict[str, str]] = {}
    with (directory / ex.FIELD_NAMES_FILE).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            mapping.setdefault(row["file"], {})[row["shapefile_field"]] = row["full_name"]
    return mapping


def shapefile_value(value: Any, spec: dd.ExportField) -> Any:
    if spec.type == "list[str]":
        return [] if not value else value.split(dd.LIST_SEPARATOR)
    return value


def comparable(value: Any, spec: dd.ExportField) -> Any:
    """Values as a dBASE table can hold them: empty text and null are the same."""
    if spec.type == "str" and value == "":
        return None
    return value


@pytest.mark.parametrize(
    ("fixture", "crs", "tolerance"),
    [("exported", "EPSG:4490", 1e-9), ("exported_4543", "EPSG:4543", 1e-4)],
    ids=["4490", "4543"],
)
@pytest.mark.parametrize("layer_name", GEO_LAYERS)
def test_shapefile_round_trip(
    request: pytest.FixtureRequest,
    expected: dict[str, Any],
    layer_name: str,
    fixture: str,
    crs: str,
    tolerance: float,
) -> None:
    directory: Path = request.getfixturevalue(fixture) / "tiny-shapefile"
    got = read_shapefile_layer(directory, layer_name, crs)
    assert_layer_equal(got, expected[layer_name], layer_name, crs, tolerance, shapefile=True)


def reassemble_metadata(path: Path) -> dict[str, list[str]]:
    """Rebuild the metadata values from the key/value table: part 1 starts a value."""
    props, _, _ = read_all(path)
    values: dict[str, list[str]] = {}
    for row in props:
        texts = values.setdefault(row["key"], [])
        if row["part"] == 1:
            texts.append(row["value"] or "")
        else:
            texts[-1] += row["value"]
    return values


def test_shapefile_metadata_keeps_long_text_whole(exported: Path) -> None:
    path = shp(exported / "tiny-shapefile", "metadata", suffix=".dbf")
    assert not path.with_suffix(".shp").exists()
    values = reassemble_metadata(path)
    want = metadata_expected("EPSG:4490")
    assert values["notice"] == [LONG_NOTICE]
    assert len(LONG_NOTICE.encode()) > dd.SHAPEFILE_MAX_TEXT_BYTES
    assert values["credits"] == want["credits"]
    assert values["illustrative"] == ["true"]
    assert values["phase_quota_mu"] == ["300.0"]
    assert values["phases"] == ["2"]
    for key in ("park_id", "park_name", "rulebook_version", "generated_at", "crs"):
        assert values[key] == [want[key]]


def test_shapefile_field_names_file_matches_mapping(exported: Path) -> None:
    mapping = field_mapping(exported / "tiny-shapefile")
    assert mapping["tiny_parcels_epsg4490.shp"]["land_use"] == "land_use_code"
    assert mapping["tiny_zones_epsg4490.shp"]["max_ind_cl"] == "max_industrial_class"
    for name in ex.table_names():
        if name == "metadata":
            continue
        layer_name = next(
            lay.name for lay in dd.EXPORT_LAYERS if name in [lay.part_name(f) for f in lay.families]
        )
        layer = dd.EXPORT_LAYER_BY_NAME[layer_name]
        short = dd.shapefile_field_names(f.name for f in layer.shapefile_fields)
        assert mapping[f"tiny_{name}_epsg4490.shp"] == {v: k for k, v in short.items()}


def test_shapefile_cuts_long_text_and_says_so(tmp_path: Path) -> None:
    park = sample_park()
    long_occupant = "青海北川铝镁合金精深加工产业园" * 20  # 600 bytes of UTF-8
    parcels = park.parcels.copy()
    parcels.loc[parcels["parcel_id"] == "P2", "occupant"] = long_occupant
    park = Park(**{**park.__dict__, "parcels": parcels})
    report = ex.export_park(park, tmp_path, formats=("shp", "gpkg"))
    assert len(report.warnings) == 1
    assert "parcels.shp" in report.warnings[0]
    assert "occupant" in report.warnings[0]
    assert "P2" in report.warnings[0]
    props, _, _ = read_all(shp(tmp_path / "tiny-shapefile", "parcels"))
    cut = next(p["occupant"] for p in props if p["parcel_id"] == "P2")
    assert len(cut.encode("utf-8")) <= dd.SHAPEFILE_MAX_TEXT_BYTES
    assert long_occupant.startswith(cut)
    assert len(cut) == dd.SHAPEFILE_MAX_TEXT_BYTES // 3  # whole characters of 3 bytes
    gpkg_props, _, _ = read_all(tmp_path / "tiny_epsg4490.gpkg", layer="parcels")
    assert next(p["occupant"] for p in gpkg_props if p["parcel_id"] == "P2") == long_occupant


def test_list_value_with_separator_is_refused(tmp_path: Path) -> None:
    results = sample_results()
    findings = [dict(f) for f in results.loc[0, "findings"]]
    findings[0] = {**findings[0], "status": "fail", "rule": "a;b"}
    results["findings"] = [findings, *results["findings"].iloc[1:]]
    with pytest.raises(ExportError, match=r"fit_results\.shp: values of failed_rules contain"):
        ex.export_park(sample_park(), tmp_path, formats=("shp",), results=results)
    assert not (tmp_path / "tiny-shapefile").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


# --------------------------------------------------------------------------- field names


def test_shapefile_names_of_every_layer_are_short_unique_and_documented() -> None:
    for layer in dd.EXPORT_LAYERS:
        names = [f.name for f in layer.shapefile_fields]
        short = dd.shapefile_field_names(names)
        assert list(short) == names
        assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,9}", v) for v in short.values())
        assert len({v.lower() for v in short.values()}) == len(names)
        for full, abbreviation in SHAPEFILE_ABBREVIATIONS.items():
            if full in short:
                assert short[full] == abbreviation
        for full in names:
            if len(full) <= 10:
                assert short[full] == full


@pytest.mark.parametrize(
    ("names", "want"),
    [
        (["zone_id"], {"zone_id": "zone_id"}),
        (["land_use_code"], {"land_use_code": "land_use"}),
        (["Area M²"], {"Area M²": "area_m_"}),
        (["2023_code"], {"2023_code": "f2023_code"}),
        (["temperature_max"], {"temperature_max": "tmprtr_mx"}),
        (
            ["abcdefghijkl", "abcdefghijk"],
            {"abcdefghijkl": "abcdfghjkl", "abcdefghijk": "abcdfghjk"},
        ),
        (
            ["observation_a1", "observation_aa1", "observation_aaa1"],
            {
                "observation_a1": "obsrvtn_a1",
                "observation_aa1": "obsrvtn_1",
                "observation_aaa1": "obsrvtn_2",
            },
        ),
        (["land_use", "land_use_code"], {"land_use": "land_use", "land_use_code": "land_use_1"}),
    ],
    ids=["kept", "table", "unicode", "digit-first", "vowels", "cut", "clash-suffix", "table-clash"],
)
def test_shapefile_field_names_rules(names: list[str], want: dict[str, str]) -> None:
    assert dd.shapefile_field_names(names) == want


def test_shapefile_field_names_refuses_duplicates() -> None:
    with pytest.raises(ValueError, match=r"unique, got \['zone_id'\]"):
        dd.shapefile_field_names(["zone_id", "name", "zone_id"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=24),
        min_size=1,
        max_size=30,
        unique=True,
    ),
    st.randoms(use_true_random=False),
)
def test_shapefile_field_names_are_short_unique_and_order_free(names: list[str], rnd: Any) -> None:
    short = dd.shapefile_field_names(names)
    assert list(short) == names
    assert all(1 <= len(v) <= 10 and v[0].isalpha() for v in short.values())
    assert len({v.lower() for v in short.values()}) == len(names)
    shuffled = list(names)
    rnd.shuffle(shuffled)
    assert dd.shapefile_field_names(shuffled) == {n: short[n] for n in shuffled}


# --------------------------------------------------------------------------- real fit results


@pytest.fixture(scope="module")
def beichuan_checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Park, Any, Path]:
    """The bundled park and its bundled proposals, checked by ``zoning.check`` and exported."""
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    target = tmp_path_factory.mktemp("beichuan-checked")
    report = ex.export_park(park, target, results=results, generated_at=GENERATED)
    assert report.counts["fit_results"] == len(results)
    return park, results, target


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp"])
def test_real_fit_results_round_trip(beichuan_checked: tuple[Park, Any, Path], fmt: str) -> None:
    park, results, target = beichuan_checked
    assert results.geometry.isna().any()
    assert results.geometry.notna().any()  # sited and unsited projects
    assert set(results["verdict"]) >= {"fits", "does_not_fit"}
    want = expected_layers(park, results, None)["fit_results"]
    if fmt == "geojson":
        got = read_geojson_layer(target / "beichuan-geojson", "fit_results")
        assert_layer_equal(got, want, "fit_results", "EPSG:4326", 1.01e-7)
    elif fmt == "gpkg":
        got = read_gpkg_layer(target / "beichuan_epsg4490.gpkg", "fit_results", "EPSG:4490")
        assert_layer_equal(got, want, "fit_results", "EPSG:4490", 1e-9)
    else:
        got = read_shapefile_layer(target / "beichuan-shapefile", "fit_results", "EPSG:4490")
        assert_layer_equal(got, want, "fit_results", "EPSG:4490", 1e-9, shapefile=True)


@pytest.mark.parametrize("layer_name", ["zones", "parcels", "infrastructure", "context"])
def test_real_park_layers_round_trip(
    beichuan_checked: tuple[Park, Any, Path], layer_name: str
) -> None:
    park, results, target = beichuan_checked
    want = expected_layers(park, results, None)[layer_name]
    got = read_gpkg_layer(target / "beichuan_epsg4490.gpkg", layer_name, "EPSG:4490")
    assert_layer_equal(got, want, layer_name, "EPSG:4490", 1e-9)
    got = read_geojson_layer(target / "beichuan-geojson", layer_name)
    assert_layer_equal(got, want, layer_name, "EPSG:4326", 1.01e-7)


@pytest.fixture(scope="module")
def beichuan_planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Park, Any, Path]:
    """The bundled park and a phase plan of ``zoning.sequence``, exported."""
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=800)
    target = tmp_path_factory.mktemp("beichuan-planned")
    ex.export_park(park, target, plan=plan, generated_at=GENERATED)
    return park, plan, target


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp"])
def test_real_phase_plan_round_trip(beichuan_planned: tuple[Park, Any, Path], fmt: str) -> None:
    park, plan, target = beichuan_planned
    assert plan.parcels["phase"].notna().any()
    assert plan.parcels["reason"].notna().any()
    want = expected_layers(park, None, plan)["parcels"]
    if fmt == "geojson":
        got = read_geojson_layer(target / "beichuan-geojson", "parcels")
        assert_layer_equal(got, want, "parcels", "EPSG:4326", 1.01e-7)
    elif fmt == "gpkg":
        got = read_gpkg_layer(target / "beichuan_epsg4490.gpkg", "parcels", "EPSG:4490")
        assert_layer_equal(got, want, "parcels", "EPSG:4490", 1e-9)
    else:
        got = read_shapefile_layer(target / "beichuan-shapefile", "parcels", "EPSG:4490")
        assert_layer_equal(got, want, "parcels", "EPSG:4490", 1e-9, shapefile=True)
    phases = {p["phase"] for p, _ in got.values()} - {None}
    assert phases == set(range(1, plan.phases + 1))


def test_real_phase_plan_in_the_metadata(beichuan_planned: tuple[Park, Any, Path]) -> None:
    _, plan, target = beichuan_planned
    props, _, _ = read_all(target / "beichuan_epsg4490.gpkg", layer="metadata")
    assert props[0]["phase_quota_mu"] == 800.0
    assert props[0]["phases"] == plan.phases


def test_cli_export_with_quota_writes_phases(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--quota-mu", "800", "--to", str(tmp_path), "--format", "gpkg"]
    )
    assert result.exit_code == 0, result.output
    props, _, _ = read_all(tmp_path / "beichuan_epsg4490.gpkg", layer="parcels")
    plan = zoning.sequence(zoning.load_park(), quota_mu=800)
    assert {p["parcel_id"]: p["phase"] for p in props} == {
        pid: (None if pd.isna(ph) else int(ph))
        for pid, ph in zip(plan.parcels["parcel_id"], plan.parcels["phase"], strict=True)
    }


# --------------------------------------------------------------------------- RFC 7946


NUMBER = re.compile(r"-?\d+(?:\.(\d+))?(?:[eE][-+]?\d+)?")


def ring_area(ring: list[list[float]]) -> float:
    """Signed area by the shoelace formula: positive when counter-clockwise."""
    total = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        total += x0 * y1 - x1 * y0
    return total / 2.0


def polygons_of(geometry: dict[str, Any]) -> Iterator[list[list[list[float]]]]:
    kind = geometry["type"]
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    elif kind == "GeometryCollection":
        for g in geometry["geometries"]:
            yield from polygons_of(g)


def positions_of(coords: Any) -> Iterator[list[float]]:
    if coords and isinstance(coords[0], int | float):
        yield coords
    else:
        for c in coords:
            yield from positions_of(c)


def has_key(obj: Any, key: str) -> bool:
    if isinstance(obj, dict):
        return key in obj or any(has_key(v, key) for k, v in obj.items() if k != "properties")
    if isinstance(obj, list):
        return any(has_key(v, key) for v in obj)
    return False


def check_rfc7946(path: Path) -> int:
    """Check one file against RFC 7946; return the number of rings checked."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # strict: UTF-8 only (RFC 7946 section 11)
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection"
    assert not has_key(doc, "crs"), "RFC 7946 removed the crs member"
    rings = 0
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        geometry_text = json.dumps(geometry)
        for match in NUMBER.finditer(geometry_text):
            assert match.group(1) is None or len(match.group(1)) <= 7, match.group(0)
        for lon, lat, *rest in positions_of(geometry["coordinates"]):
            assert not rest, "2D positions"
            assert -180 <= lon <= 180
            assert -90 <= lat <= 90
            assert LON_RANGE[0] < lon < LON_RANGE[1], "longitude first, in the park's region"
            assert LAT_RANGE[0] < lat < LAT_RANGE[1], "latitude second, in the park's region"
        for polygon in polygons_of(geometry):
            for i, ring in enumerate(polygon):
                assert len(ring) >= 4, "a linear ring has at least four positions"
                assert ring[0] == ring[-1], "closed linear ring"
                area = ring_area(ring)
                assert (area > 0) if i == 0 else (area < 0), "exterior CCW, holes CW"
                rings += 1
    return rings


GEOJSON_PARTS = [
    part
    for layer in dd.EXPORT_LAYERS
    for part in ([layer.part_name(f) for f in layer.families] or [layer.name])
]


@pytest.mark.parametrize("layer_name", GEOJSON_PARTS)
def test_geojson_follows_rfc7946(exported: Path, beichuan_export: Path, layer_name: str) -> None:
    rings = check_rfc7946(gj(exported / "tiny-geojson", layer_name))
    check_rfc7946(gj(beichuan_export / "beichuan-geojson", layer_name))
    if layer_name == "zones":
        assert rings == 3  # two exteriors and one hole
    raw = (gj(exported / "tiny-geojson", layer_name)).read_text(encoding="utf-8")
    assert "\\u" not in raw  # Chinese text is written as is, not escaped


def _ring(x0: float, y0: float, x1: float, y1: float, *, cw: bool) -> list[tuple[float, float]]:
    ring = [(X0 + x0, Y0 + y0), (X0 + x1, Y0 + y0), (X0 + x1, Y0 + y1), (X0 + x0, Y0 + y1)]
    return ring[::-1] if cw else ring


AWKWARD_SITES = {
    "hole-wrongly-wound": shapely.Polygon(
        _ring(0, 0, 300, 300, cw=True), [_ring(100, 100, 200, 200, cw=False)]
    ),
    "multipart": shapely.MultiPolygon([metric_box(0, 0, 50, 50), metric_box(100, 0, 150, 50)]),
    "touching-corner": shapely.MultiPolygon(
        [metric_box(0, 0, 50, 50), metric_box(50, 50, 100, 100)]
    ),
    "sliver": metric_box(0, 0, 500, 0.05),
    "empty": shapely.Polygon(),
    "none": None,
}


@pytest.mark.parametrize("case", list(AWKWARD_SITES), ids=list(AWKWARD_SITES))
def test_awkward_sites_are_written_per_rfc7946_and_read_back(tmp_path: Path, case: str) -> None:
    site = AWKWARD_SITES[case]
    results = sample_results().iloc[:1].copy()
    results = results.set_geometry([site], crs="EPSG:4543")
    ex.export_park(sample_park(), tmp_path, formats=("geojson", "gpkg"), results=results)
    path = gj(tmp_path / "tiny-geojson", "fit_results")
    check_rfc7946(path)
    (feature,) = json.loads(path.read_text(encoding="utf-8"))["features"]
    want = None if site is None or site.is_empty else to_crs(site, "EPSG:4326")
    have = None if feature["geometry"] is None else shapely.geometry.shape(feature["geometry"])
    assert_same_geometry(have, want, tolerance=1.01e-7)
    ((_, gpkg_geom),) = read_gpkg_layer(gpkg(tmp_path), "fit_results", "EPSG:4490").values()
    want = None if site is None or site.is_empty else to_crs(site, "EPSG:4490")
    assert_same_geometry(gpkg_geom, want, tolerance=1e-9)


def test_source_rings_are_wrongly_wound(park: Park) -> None:
    """The winding check above is meaningful: the input has rings RFC 7946 forbids."""
    ind, city = park.zones.to_crs("EPSG:4326").geometry
    assert not shapely.is_ccw(shapely.get_exterior_ring(city))
    assert shapely.is_ccw(shapely.get_interior_ring(ind, 0))


def test_geojson_lists_are_arrays(exported: Path) -> None:
    doc = json.loads((gj(exported / "tiny-geojson", "zones")).read_text(encoding="utf-8"))
    ind = next(f for f in doc["features"] if f["properties"]["zone_id"] == "ind")
    assert ind["properties"]["permitted"] == ["3252", "3216"]
    results = json.loads((gj(exported / "tiny-geojson", "fit_results")).read_text("utf-8"))
    first = next(f for f in results["features"] if f["properties"]["zone_id"] == "city")
    assert first["properties"]["failed_rules"] == ["industry", "site.zone"]
    assert first["properties"]["findings"][1]["measured"] == 0.0
    no_site = [f for f in results["features"] if f["properties"]["project_id"] == "C3"]
    assert no_site[0]["geometry"] is None


# --------------------------------------------------------------------------- GDAL's ogrinfo


def ogrinfo(path: Path, *args: str, layer: str = "") -> subprocess.CompletedProcess[str]:
    need_tool(shutil.which("ogrinfo") is not None, "GDAL's ogrinfo (Debian gdal-bin)")
    return subprocess.run(
        ["ogrinfo", "-ro", *args, str(path), *([layer] if layer else [])],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LANG": "C.UTF-8"},
    )


def ogr_layers(path: Path) -> dict[str, dict[str, Any]]:
    """Layer name -> {count, geometry, epsg} from ``ogrinfo -so -al``; stderr must be empty."""
    summary = ogrinfo(path, "-so", "-al")
    assert summary.returncode == 0, summary.stderr
    assert summary.stderr == "", summary.stderr
    full = ogrinfo(path, "-al", "-q")  # reads every feature
    assert full.returncode == 0, full.stderr
    assert full.stderr == "", full.stderr
    layers: dict[str, dict[str, Any]] = {}
    for block in summary.stdout.split("Layer name: ")[1:]:
        name = block.splitlines()[0].strip()
        count = int(re.search(r"Feature Count: (\d+)", block).group(1))  # type: ignore[union-attr]
        geometry = re.search(r"Geometry: (.+)", block).group(1).strip()  # type: ignore[union-attr]
        wkt = re.search(r"Layer SRS WKT:\n(.*?)\n(?:Data axis|FID Column|\w+: )", block, re.S)
        epsg = None
        if wkt is not None and wkt.group(1).strip() != "(unknown)":
            epsg = CRS.from_wkt(wkt.group(1)).to_epsg()
        layers[name] = {"count": count, "geometry": geometry, "epsg": epsg}
    return layers


#: how ogrinfo names the geometry types of each family
GDAL_TYPES = {
    "point": ("Point", "Multi Point"),
    "line": ("Line String", "Multi Line String"),
    "polygon": ("Polygon", "Multi Polygon"),
}


def expected_counts(expected: dict[str, Any]) -> dict[str, int]:
    counts = {}
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        for family in layer.families:
            geoms = [g for _, g in expected[layer.name].values()]
            counts[layer.part_name(family)] = sum(
                1
                for g in geoms
                if (g is None and family == layer.families[0])
                or (g is not None and g.geom_type in dd.GEOMETRY_FAMILIES[family])
            )
    return counts


@pytest.mark.gdal
@pytest.mark.parametrize(
    ("fixture", "epsg"), [("exported", 4490), ("exported_4543", 4543)], ids=["4490", "4543"]
)
def test_ogrinfo_reads_geopackage(
    request: pytest.FixtureRequest, expected: dict[str, Any], fixture: str, epsg: int
) -> None:
    layers = ogr_layers(gpkg(request.getfixturevalue(fixture), crs=f"EPSG:{epsg}"))
    counts = expected_counts(expected)
    assert list(layers) == ex.table_names()
    for name, info in layers.items():
        if name == "metadata":
            assert info["geometry"] == "None"
            assert info["count"] == 1
            continue
        assert info["epsg"] == epsg, name
        assert info["count"] == counts[name], name


@pytest.mark.gdal
@pytest.mark.parametrize(
    ("fixture", "epsg"), [("exported", 4490), ("exported_4543", 4543)], ids=["4490", "4543"]
)
def test_ogrinfo_reads_shapefiles(
    request: pytest.FixtureRequest, expected: dict[str, Any], fixture: str, epsg: int
) -> None:
    directory = request.getfixturevalue(fixture) / "tiny-shapefile"
    counts = expected_counts(expected)
    for name, count in counts.items():
        path = shp(directory, name, f"EPSG:{epsg}")
        layers = ogr_layers(path)
        assert layers == {
            path.stem: {"count": count, "geometry": layers[path.stem]["geometry"], "epsg": epsg}
        }
    meta_path = shp(directory, "metadata", f"EPSG:{epsg}", ".dbf")
    meta = ogr_layers(meta_path)
    assert meta[meta_path.stem]["geometry"] == "None"


@pytest.mark.gdal
@pytest.mark.parametrize("part", GEOJSON_PARTS)
def test_ogrinfo_reads_geojson(
    exported: Path, beichuan_export: Path, expected: dict[str, Any], part: str
) -> None:
    layers = ogr_layers(gj(exported / "tiny-geojson", part))
    assert layers[part]["epsg"] == 4326
    want = 1 if part == "metadata" else expected_counts(expected)[part]
    assert layers[part]["count"] == want
    beichuan = ogr_layers(gj(beichuan_export / "beichuan-geojson", part))
    assert beichuan[part]["epsg"] == 4326
    family = part.rsplit("_", 1)[-1]
    if family in dd.GEOMETRY_FAMILIES and beichuan[part]["count"]:
        assert beichuan[part]["geometry"] in GDAL_TYPES[family], part  # one type a file


@pytest.mark.gdal
def test_ogrinfo_reads_chinese_attributes(exported: Path) -> None:
    for path in (
        exported / "tiny_epsg4490.gpkg",
        shp(exported / "tiny-shapefile", "zones"),
        gj(exported / "tiny-geojson", "zones"),
    ):
        result = ogrinfo(path, "-al", layer="zones" if path.suffix == ".gpkg" else "")
        assert "工业区" in result.stdout, path
        assert "铝镁深加工" in result.stdout, path


# --------------------------------------------------------------------------- no partial output


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_forced_failure_mid_export_leaves_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    park = sample_park()
    ex.export_park(park, tmp_path, generated_at=GENERATED)
    (tmp_path / "map.html").write_text("<html>the planner's map</html>", encoding="utf-8")
    before = snapshot(tmp_path)
    real = ex.write_shapefiles

    def first_file_then_fail(bundle: ex.ExportBundle, directory: Path, *, crs: str) -> list[str]:
        directory.mkdir(parents=True)
        (directory / "tiny_zones_epsg4490.shp").write_bytes(b"half written")
        raise RuntimeError("disk gone after the first file")

    monkeypatch.setattr(ex, "write_shapefiles", first_file_then_fail)
    later = datetime(2026, 2, 1, tzinfo=UTC)
    with pytest.raises(RuntimeError, match="disk gone"):
        ex.export_park(park, tmp_path, generated_at=later, results=sample_results())
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["map.html", "tiny-geojson", "tiny_epsg4490.gpkg", "tiny-shapefile"]
    )
    monkeypatch.setattr(ex, "write_shapefiles", real)
    ex.export_park(park, tmp_path, generated_at=later, results=sample_results())
    after = snapshot(tmp_path)
    assert after["map.html"] == before["map.html"]
    results_file = "tiny-geojson/tiny_fit_results_epsg4326.geojson"
    assert after[results_file] != before[results_file]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "move-aside"])
def test_failure_while_moving_into_place_restores_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    park = sample_park()
    ex.export_park(park, tmp_path, generated_at=GENERATED)
    before = snapshot(tmp_path)
    # the first two items are in place when moving the third fails
    monkeypatch.setenv("ZONING_TEST_CHECKPOINT", "placed-2:fail")
    if not exchange:
        monkeypatch.setenv("ZONING_TEST_NO_EXCHANGE", "1")
    with pytest.raises(ExportError, match=r"test hook: failure at placed-2.*earlier export is"):
        ex.export_park(park, tmp_path, generated_at=datetime(2026, 3, 1, tzinfo=UTC))
    monkeypatch.undo()
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tiny-geojson",
        "tiny-shapefile",
        "tiny_epsg4490.gpkg",
    ]


def test_failed_first_export_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def fail_on_shapefiles(src: Any, dst: Any) -> None:
        if Path(src).name == "tiny-shapefile":
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_shapefiles)
    with pytest.raises(ExportError, match="Permission denied"):
        ex.export_park(sample_park(), tmp_path / "new")
    monkeypatch.undo()
    assert list((tmp_path / "new").iterdir()) == []


def test_park_id_unusable_as_file_name_is_refused(tmp_path: Path) -> None:
    park = sample_park()
    park = Park(**{**park.__dict__, "metadata": {**park.metadata, "park_id": "../escape"}})
    with pytest.raises(InputError, match=r"park_id '\.\./escape' is not usable in a file name"):
        ex.export_park(park, tmp_path / "out", formats=("geojson",))
    assert list(tmp_path.iterdir()) == []


def test_reexport_replaces_whole_sets_and_leaves_other_files(tmp_path: Path) -> None:
    park = sample_park()
    ex.export_park(park, tmp_path, formats=("geojson",), generated_at=GENERATED)
    stale = gj(tmp_path / "tiny-geojson", "old_layer")
    stale.write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    ex.export_park(
        park, tmp_path, formats=("geojson",), generated_at=datetime(2026, 5, 1, tzinfo=UTC)
    )
    assert not stale.exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    props, _, _ = read_all(gj(tmp_path / "tiny-geojson", "metadata"))
    assert datetime.fromisoformat(props[0]["generated_at"]) == datetime(2026, 5, 1, tzinfo=UTC)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".zoning-export-")]


def test_unwritable_target_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot write the export into .*a-file"):
        ex.export_park(sample_park(), blocker / "out", formats=("geojson",))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"formats": ("geojson", "kml")}, r"unknown format\(s\): kml"),
        ({"crs": "EPSG:3857"}, r"unsupported CRS 'EPSG:3857'"),
        ({"crs": "not a crs"}, r"unsupported CRS 'not a crs'"),
    ],
    ids=["format", "crs", "garbage-crs"],
)
def test_bad_options_are_input_errors(tmp_path: Path, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InputError, match=match):
        ex.export_park(sample_park(), tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_crs_given_as_number_string_or_pyproj_is_accepted(tmp_path: Path) -> None:
    report = ex.export_park(sample_park(), tmp_path, formats=("gpkg",), crs="epsg:4543")
    assert report.crs == "EPSG:4543"


def test_results_without_fit_columns_are_refused(tmp_path: Path) -> None:
    results = sample_results().drop(columns=["verdict", "findings"])
    with pytest.raises(InputError, match=r"missing column\(s\): verdict, findings"):
        ex.export_park(sample_park(), tmp_path, results=results)


def test_plan_of_another_park_is_refused(tmp_path: Path) -> None:
    park = sample_park()
    plan = sample_plan(park)
    plan.parcels.loc[0, "parcel_id"] = "ELSEWHERE-1"
    with pytest.raises(InputError, match=r"parcels of the plan are not in the park.*ELSEWHERE-1"):
        ex.export_park(park, tmp_path, plan=plan)


def test_geometry_a_layer_cannot_hold_is_refused(tmp_path: Path) -> None:
    results = sample_results()
    results = results.set_geometry(
        [shapely.Point(X0, Y0), *results.geometry.iloc[1:]], crs=results.crs
    )
    with pytest.raises(ExportError, match=r"fit_results holds Point geometries \(ids A1\)"):
        ex.export_park(sample_park(), tmp_path, formats=("geojson", "gpkg"), results=results)
    assert list(tmp_path.iterdir()) == []


def test_naive_timestamp_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ex.export_park(sample_park(), tmp_path, generated_at=datetime(2026, 1, 1))


def test_without_plan_and_results_layers_are_empty_not_missing(tmp_path: Path) -> None:
    ex.export_park(sample_park(), tmp_path, formats=("geojson", "gpkg"))
    props, _, _ = read_all(gj(tmp_path / "tiny-geojson", "parcels"))
    assert {p["phase"] for p in props} == {None}
    assert {p["phase_reason"] for p in props} == {None}
    props, _, _ = read_all(tmp_path / "tiny_epsg4490.gpkg", layer="fit_results")
    assert props == []


# --------------------------------------------------------------------------- data dictionary


def test_data_dictionary_document_is_generated_from_the_code() -> None:
    committed = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"
    assert committed.read_text(encoding="utf-8") == dd.render_data_dictionary(), (
        "docs/data-dictionary.md is stale: run "
        "python -c 'import zoning.datadict as d; print(d.render_data_dictionary(), end=\"\")' "
        "> docs/data-dictionary.md"
    )


def test_data_dictionary_lists_every_exported_field(exported: Path) -> None:
    text = dd.render_data_dictionary()
    for layer in dd.EXPORT_LAYERS:
        section = text.split(f"## `{layer.name}`")[1].split("\n## ")[0]
        for spec in layer.fields:
            assert f"| `{spec.name}` |" in section, (layer.name, spec.name)
    for name in ex.table_names():
        assert f"`{name}`" in text
    assert {p.name for p in (exported / "tiny-geojson").iterdir()} == {
        gj(exported / "tiny-geojson", part).name for part in GEOJSON_PARTS
    }


def test_every_park_schema_field_is_exported() -> None:
    for layer in s.LAYERS:
        exported_names = dd.EXPORT_LAYER_BY_NAME[layer.name].field_names
        assert [f.name for f in layer.fields] == [
            n for n in exported_names if n in {f.name for f in layer.fields}
        ]


# --------------------------------------------------------------------------- architecture, CLI


def test_exporter_modules_do_not_load_fiona_or_psycopg2_on_import() -> None:
    code = (
        "import sys, zoning.datadict, zoning.io.export\n"
        "heavy = ('fiona', 'psycopg2', 'folium')\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in heavy)\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_export_writes_the_chosen_format(tmp_path: Path, tiny_park_dir: Path) -> None:
    tmp_path = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--park",
            str(tiny_park_dir),
            "--to",
            str(tmp_path),
            "--format",
            "gpkg",
            "--crs",
            "4543",
        ],
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["tiny_epsg4543.gpkg"]
    _, _, crs = read_all(tmp_path / "tiny_epsg4543.gpkg", layer="zones")
    assert CRS.from_user_input(crs).to_epsg() == 4543
    assert "tiny_epsg4543.gpkg" in result.output


def test_cli_export_with_projects_writes_fit_results(tmp_path: Path) -> None:
    projects = bundled_park_dir() / "projects.csv"
    result = CliRunner().invoke(
        app, ["export", "--projects", str(projects), "--to", str(tmp_path), "--format", "geojson"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((gj(tmp_path / "beichuan-geojson", "fit_results")).read_text("utf-8"))
    ids = {f["properties"]["project_id"] for f in doc["features"]}
    assert ids == set(read_projects(projects)["project_id"])
    assert "ILLUSTRATIVE" in result.output  # the notice goes with every output


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--crs", "3857"], "3857"),
        (["--format", "kml"], "kml"),
    ],
    ids=["crs", "format"],
)
def test_cli_export_rejects_bad_options(tmp_path: Path, args: list[str], match: str) -> None:
    result = CliRunner().invoke(app, ["export", "--to", str(tmp_path), *args])
    assert result.exit_code == 2
    assert match in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_export_reports_unwritable_target_without_traceback(
    tmp_path: Path, tiny_park_dir: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--park",
            str(tiny_park_dir),
            "--to",
            str(blocker / "out"),
            "--format",
            "geojson",
        ],
    )
    assert result.exit_code == 2
    assert "cannot write the export" in result.output
    assert "Traceback" not in result.output
