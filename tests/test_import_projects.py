"""Projects in: Excel, Shapefile, GeoPackage, KML and DXF give the same verdicts as the CSV;
Chinese headers are aliases; unknown columns and hectares warn while the batch runs."""

from __future__ import annotations

from pathlib import Path

import ezdxf
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from openpyxl import Workbook

import zoning
from zoning import schema as s
from zoning.datadict import shapefile_field_names
from zoning.io import read_projects
from zoning.io.park import bundled_park_dir
from zoning.io.project_formats import project_read_warnings

CSV = bundled_park_dir() / "projects.csv"
#: Chinese headers of an administration's project list (Excel)
ZH_HEADERS = {
    "project_id": "项目编号",
    "name": "项目名称",
    "industry_code": "行业代码",
    "area_mu": "用地面积（亩）",
    "investment_wan": "总投资（万元）",
    "far": "容积率",
    "building_coefficient": "建筑系数",
    "green_ratio": "绿地率",
    "note": "备注",
}


@pytest.fixture(scope="module")
def park() -> zoning.Park:
    return zoning.load_park()


def verdicts(park: zoning.Park, table: pd.DataFrame) -> dict[tuple[str, str], str]:
    results = zoning.check(park, table)
    return {
        (str(p), str(z)): str(v)
        for p, z, v in zip(
            results[s.PROJECT_ID], results[s.ZONE_ID], results[s.VERDICT], strict=True
        )
    }


@pytest.fixture(scope="module")
def expected(park: zoning.Park) -> dict[tuple[str, str], str]:
    return verdicts(park, read_projects(CSV))


def sited(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    table = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    sites = shapely.from_wkt([w or None for w in table.pop(s.SITE_WKT)])
    return gpd.GeoDataFrame(table, geometry=sites, crs="EPSG:4326").to_crs(crs)


def test_xlsx_with_chinese_headers(
    tmp_path: Path, park: zoning.Park, expected: dict[tuple[str, str], str]
) -> None:
    table = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "项目"
    headers = [ZH_HEADERS.get(c, c) for c in table.columns]
    sheet.append(headers)
    for row in table.itertuples(index=False):
        sheet.append([_excel_value(v) for v in row])
    path = tmp_path / "projects.xlsx"
    book.save(path)
    read = read_projects(path)
    assert {"project_id", "industry_code", "area_mu", "investment_wan"} <= set(read.columns)
    assert verdicts(park, read) == expected
    assert not [w for w in project_read_warnings(read) if "unknown column" in w.what]


def _excel_value(value: str) -> object:
    try:
        return float(value) if value and not value.isdigit() else (int(value) if value else None)
    except ValueError:
        return value


def test_shapefile_in_epsg4522_without_prj(
    tmp_path: Path, park: zoning.Park, expected: dict[tuple[str, str], str]
) -> None:
    frame = sited("EPSG:4522")
    short = shapefile_field_names([c for c in frame.columns if c != "geometry"])
    frame = frame.rename(columns={**short, "project_id": "项目编号", "industry_code": "行业代码"})
    path = tmp_path / "sites.shp"
    frame.to_file(path, engine="fiona", encoding="gbk")
    path.with_suffix(".prj").unlink()
    path.with_suffix(".cpg").unlink(missing_ok=True)
    read = read_projects(path)
    assert verdicts(park, read) == expected
    notes = " ".join(w.what for w in project_read_warnings(read))
    assert "EPSG:4522" in notes
    assert "reprojected to WGS84" in notes
    assert "GBK" in notes


@pytest.mark.parametrize(("suffix", "crs"), [(".gpkg", "EPSG:4543"), (".kml", "EPSG:4326")])
def test_geopackage_and_kml(
    suffix: str, crs: str, tmp_path: Path, park: zoning.Park, expected: dict[tuple[str, str], str]
) -> None:
    frame = sited(crs)
    path = tmp_path / f"projects{suffix}"
    if suffix == ".kml":
        frame.to_file(path, driver="KML", engine="pyogrio")
    else:
        frame.to_file(path, layer="projects", engine="fiona")
    assert verdicts(park, read_projects(path)) == expected


def test_dxf_sites_with_a_table_beside(
    tmp_path: Path, park: zoning.Park, expected: dict[tuple[str, str], str]
) -> None:
    frame = sited("EPSG:4522")
    doc = ezdxf.new()
    msp = doc.modelspace()
    for pid, geom in zip(frame[s.PROJECT_ID], frame.geometry, strict=True):
        if geom is None:
            continue
        for part in getattr(geom, "geoms", [geom]):
            msp.add_lwpolyline(list(part.exterior.coords)[:-1], close=True)
            point = part.representative_point()
            msp.add_text(pid, dxfattribs={"insert": (point.x, point.y)})
    doc.saveas(tmp_path / "sites.dxf")
    table = pd.read_csv(CSV, dtype=str, keep_default_na=False).drop(columns=[s.SITE_WKT])
    table.to_csv(tmp_path / "sites.csv", index=False)
    assert verdicts(park, read_projects(tmp_path / "sites.dxf")) == expected


def test_unknown_columns_warn_with_the_nearest_name_and_the_batch_runs(
    tmp_path: Path, park: zoning.Park
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "project_id,industry_code,area_mu,building_ratio,green_rate\nP1,3252,60,0.4,0.1\n",
        encoding="utf-8",
    )
    read = read_projects(path)
    messages = [w.what for w in project_read_warnings(read)]
    assert any("'building_ratio'" in m and "building_coefficient" in m for m in messages)
    assert any("'green_rate'" in m and "green_ratio" in m for m in messages)
    assert len(zoning.check(park, read)) > 0


def test_area_in_hectares_warns(tmp_path: Path) -> None:
    frame = sited().iloc[:1].copy()
    site_mu = float(frame.to_crs("EPSG:4543").area.iloc[0]) * 15 / 10000
    frame[s.AREA_MU] = f"{site_mu / 15:.2f}"
    path = tmp_path / "p.gpkg"
    frame.to_file(path, layer="projects", engine="fiona")
    warnings = project_read_warnings(read_projects(path))
    assert any("looks like hectares" in w.what for w in warnings)
    csv = tmp_path / "p.csv"
    csv.write_text("项目编号,行业代码,用地面积,总投资（亿元）\nP9,3252,5,3\n", encoding="utf-8")
    read = read_projects(csv)
    assert read[s.INVESTMENT_WAN].tolist() == [30000.0]
    assert any("hectares" in w.what and w.ids == ("P9",) for w in project_read_warnings(read))


def test_area_disagreeing_with_the_site_warns(tmp_path: Path) -> None:
    frame = sited().iloc[:1].copy()
    site_mu = float(frame.to_crs("EPSG:4543").area.iloc[0]) * 15 / 10000
    frame[s.AREA_MU] = f"{site_mu * 1.5:.2f}"
    path = tmp_path / "p.gpkg"
    frame.to_file(path, layer="projects", engine="fiona")
    warnings = project_read_warnings(read_projects(path))
    assert any("differs from the site" in w.what for w in warnings)
