"""The maps' vendored front-end assets: the npm packages' files, byte for byte, and inlined.

``zoning/maps/vendor/`` is copied from ``node_modules`` by ``tools/vendor_map_assets.py``;
these tests hold the copies to the packages pinned in ``package.json`` (they need
``npm ci``: skipped locally without it, failing in CI) and check that a written map
references no file beside it and nothing online.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path

import zoning
from tests.conftest import need_tool
from zoning.io.maps import render_map
from zoning.maps import assets, make_map

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
VENDOR = REPO / "zoning" / "maps" / "vendor"


def load_tool():
    spec = importlib.util.spec_from_file_location(
        "vendor_tool", REPO / "tools/vendor_map_assets.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_matches_the_vendored_files():
    rows = assets.manifest()
    assert {r["role"] for r in rows} == {"script", "style", "image", "licence"}
    for row in rows:
        data = (VENDOR / row["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["path"]
    # every file in vendor/ is in the manifest, and each package ships its licence
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert on_disk == {r["path"] for r in rows} | {"MANIFEST.json"}
    packages = {r["package"] for r in rows}
    licensed = {r["package"] for r in rows if r["role"] == "licence"}
    assert packages == licensed


def test_manifest_versions_are_the_ones_package_json_pins():
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    versions = {r["package"]: r["version"] for r in assets.manifest()}
    assert versions == pinned  # no package vendored that is not pinned, none pinned unused


def test_vendored_files_equal_node_modules_byte_for_byte():
    need_tool(
        (NODE_MODULES / "leaflet" / "package.json").is_file(),
        "node_modules is missing: run `npm ci` at the repository root",
    )
    tool = load_tool()
    rows = assets.manifest()
    assert [(r["package"], r["file"], r["role"]) for r in rows] == list(tool.ASSETS)
    assert rows == tool.manifest_entries()  # versions and hashes as installed now
    for row in rows:
        installed = (NODE_MODULES / row["package"] / row["file"]).read_bytes()
        assert (VENDOR / row["path"]).read_bytes() == installed, row["path"]


def test_the_page_holds_every_asset_and_links_nothing():
    page = render_map(make_map(zoning.load_park(), basemap="none"))
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page)
    assert "url(images/" not in page
    assert "url(icon-fullscreen.svg)" not in page
    assert "data:image/png;base64," in page  # Leaflet's layer icon, inlined
    for row in assets.manifest():
        if row["role"] in ("script", "style"):
            assert f"{row['package']} {row['version']}" in page
    # folium's defaults the maps do not use are left out
    for unused in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert unused not in page.lower(), unused
