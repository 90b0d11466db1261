"""Shared fixtures: a tiny valid park written to disk, and helpers to break it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from zoning.io.park import bundled_park_dir

#: origin of the tiny park in EPSG:4543 (near Qiaotou, Datong County)
X0, Y0 = 472_000.0, 4_086_000.0

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def run_zoning(*args: str | Path, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the ``zoning`` command in a subprocess, as a planner would, with a wide terminal."""
    return subprocess.run(
        [sys.executable, "-m", "zoning", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout_s,
        env={**os.environ, "COLUMNS": "200"},
    )


def need_tool(available: bool, reason: str) -> None:
    """Skip a test when an external tool is missing, except in CI where it must be there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


def metric_box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A rectangle in metres relative to the tiny park's origin."""
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def write_geojson(path: Path, gdf: gpd.GeoDataFrame) -> None:
    """Write a GeoDataFrame as RFC 7946 GeoJSON (WGS84) with list properties intact."""
    wgs = gdf.to_crs("EPSG:4326") if gdf.crs is not None else gdf
    features = []
    for row, geom in zip(
        wgs.drop(columns="geometry").to_dict("records"), wgs.geometry, strict=True
    ):
        features.append(
            {
                "type": "Feature",
                "properties": row,
                "geometry": None if geom is None else shapely.geometry.mapping(geom),
            }
        )
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )


def tiny_layers() -> dict[str, gpd.GeoDataFrame]:
    """Two zones side by side and four parcels, in EPSG:4543."""
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["ind", "city"],
            "name_zh": ["工业区", "城区"],
            "name_en": ["Industry", "Town"],
            "permitted": [["3252", "3216"], ["5211"]],
            "conditional": [["5920"], []],
            "prohibited": [["7010"], ["3"]],
            "max_industrial_class": ["100103", "100101"],
            "priority": [1, 2],
            "development_mode": ["priority_contiguous", "maintain_current"],
        },
        geometry=[metric_box(0, 0, 1000, 600), metric_box(1000, 0, 1600, 600)],
        crs="EPSG:4543",
    )
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["P1", "P2", "P3", "P4"],
            "land_use_code": ["100103", "100102", "090101", "070102"],
            "status": ["developed", "vacant", "vacant", "developed"],
            "wastewater_tpd": [500.0, 0.0, 0.0, 20.0],
            "power_mw": [50.0, 0.0, 0.0, 1.0],
        },
        geometry=[
            metric_box(0, 0, 300, 300),
            metric_box(300, 0, 600, 300),
            metric_box(1000, 0, 1200, 200),
            metric_box(1200, 0, 1400, 200),
        ],
        crs="EPSG:4543",
    )
    return {"zones": zones, "parcels": parcels}


TINY_RULEBOOK = """
[rulebook]
park_id = "tiny"
name = "Tiny test park"
version = "t1"

[[industries]]
code = "3252"
name_zh = "铝压延加工"
name_en = "Aluminium rolling"
land_use_code = "100102"

[[industries]]
code = "3216"
name_zh = "铝冶炼"
name_en = "Aluminium smelting"
land_use_code = "100103"
produces = ["molten_aluminium"]

[[industries]]
code = "5211"
name_zh = "百货零售"
name_en = "Department store"
land_use_code = "090101"

[[industries]]
code = "5920"
name_zh = "通用仓储"
name_en = "Warehousing"
land_use_code = "110101"
"""


@pytest.fixture
def tiny_park_dir(tmp_path: Path) -> Path:
    """A valid two-zone park directory."""
    park_dir = tmp_path / "tiny"
    park_dir.mkdir()
    for name, gdf in tiny_layers().items():
        write_geojson(park_dir / f"{name}.geojson", gdf)
    (park_dir / "rulebook.toml").write_text(TINY_RULEBOOK, encoding="utf-8")
    return park_dir


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled Beichuan park."""
    target = tmp_path / "beichuan"
    shutil.copytree(bundled_park_dir(), target)
    return target


def load_features(path: Path) -> dict[str, Any]:
    """Read a GeoJSON file as a plain dict."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc
