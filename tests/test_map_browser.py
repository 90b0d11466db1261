"""The maps in a real browser with no network: every layer drawn, the default view, tiles.

Debian's Chromium through Playwright (tests/browser.py) opens the written HTML file and
aborts every request but the page itself, as on the park's intranet: the map must render
from the one file. Screenshots of the default view at 1366×768 and 1920×1080 are written to
``tests/artifacts/`` (not in git). The tests skip locally when Chromium is missing and fail
in CI.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

import geopandas as gpd
import pytest
import shapely

import zoning
from tests.browser import browser_missing, open_map
from tests.conftest import need_tool
from tests.test_map import (
    ARTIFACTS,
    HOSTILE_NAME,
    HOSTILE_OCCUPANT,
    as_gdf,
    bundled_ledger,
    features,
    hostile_park,
    plan_for,
    sample_projects,
)
from zoning import maps
from zoning import schema as s
from zoning.io import bundled_park_dir, read_projects
from zoning.io.maps import write_map
from zoning.maps import make_map
from zoning.siting import propose_sites
from zoning.units import METRIC_CRS, WGS84

#: the layers a planner sees at start; every other one is listed in the control, off
DEFAULT_ON = {maps.LAYER_BACKGROUND, maps.LAYER_ZONES, maps.LAYER_FIT}


@pytest.fixture(scope="module")
def park() -> zoning.Park:
    return zoning.load_park()


@pytest.fixture(scope="module")
def ledger(park: zoning.Park) -> Any:
    """The bundled park's yearly ledger (grades and the land clock)."""
    return bundled_ledger(park)


@pytest.fixture(scope="module")
def pipeline(park: zoning.Park) -> tuple[gpd.GeoDataFrame, Any, gpd.GeoDataFrame]:
    """The bundled pipeline's fit results, the phase plan and the candidate sites."""
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    return results, plan_for(park), propose_sites(park, results)


def need_browser() -> None:
    reason = browser_missing()
    need_tool(reason is None, reason or "")


def expected_counts(
    park: zoning.Park, results: gpd.GeoDataFrame, plan: Any, sites: gpd.GeoDataFrame, ledger: Any
) -> dict[str, int]:
    m = make_map(park, results=results, plan=plan, sites=sites, basemap="none", ledger=ledger)
    counts = {name: len(features(m, name)) for name in maps.layer_names(m)}
    assert counts[maps.LAYER_CONTEXT] == len(park.context)
    assert counts[maps.LAYER_ZONES] == len(park.zones)
    assert counts[maps.LAYER_PARCELS_STATUS] == len(park.parcels)
    assert counts[maps.LAYER_FIT] == results[s.PROJECT_ID].nunique()
    assert counts[maps.LAYER_SITES] == len(sites)
    assert counts[maps.LAYER_GRADES] == len(ledger.land)
    assert counts[maps.LAYER_IDLE_LAND] == int((ledger.land[s.LAND_STATUS] != "normal").sum())
    outlines = maps.plan_outlines(plan)  # each phase's tracts and placed projects
    for phase, n in plan.parcels[s.PHASE].value_counts().items():
        extra = sum(int((frame[s.PHASE] == phase).sum()) for frame in outlines.values())
        assert counts[maps.phase_layer_name(int(phase))] == int(n) + extra
    return counts


#: pairs of labels written on the map whose boxes overlap by more than 2 px
_JS_LABEL_OVERLAPS = """
() => {
    const boxes = [...document.querySelectorAll(".zoning-label")].map(
        (el) => [el.innerText, el.getBoundingClientRect()]);
    const out = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [ta, a] = boxes[i], [tb, b] = boxes[j];
            const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (dx > 2 && dy > 2) out.push(ta + " / " + tb);
        }
    }
    return out;
}
"""


def is_default_on(name: str) -> bool:
    return name in DEFAULT_ON or name.endswith(tuple(f"Phase {p}" for p in range(1, 20)))


@pytest.mark.browser
def test_plan_map_draws_every_layer_with_every_request_aborted(park, pipeline, ledger, tmp_path):
    need_browser()
    results, plan, sites = pipeline
    m = make_map(
        park, results=results, plan=plan, sites=sites, basemap="none", lang="zh", ledger=ledger
    )
    page_file = write_map(m, tmp_path / "beichuan_plan.html")
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', page_file.read_text())
    counts = expected_counts(park, results, plan, sites, ledger)
    # the layer control is walked below: every layer of the map, the ledger's included
    assert {maps.LAYER_GRADES, maps.LAYER_IDLE_LAND} <= set(counts)
    with open_map(page_file) as view:
        assert view.log.page_errors == []
        assert view.log.console_errors == []
        assert view.log.aborted == []  # the page asked for nothing beyond itself
        assert view.overlay_labels() == maps.layer_names(m)
        overlays = view.overlays()
        # the default view: zones, phases and verdicts on, the detail layers off
        for name, state in overlays.items():
            assert state["on_map"] == is_default_on(name), name
        # every layer, switched on, draws one shape per feature
        for name, expected in counts.items():
            view.set_overlay(name, shown=True)
            view.page.wait_for_timeout(50)
            state = view.overlays()[name]
            assert state["features"] == expected, name
            assert state["in_dom"] == expected, name
            if name not in (maps.LAYER_CONTEXT, maps.LAYER_BACKGROUND):  # reach beyond the view
                assert state["visible"] == expected, name
        # the parcels are coloured as the legend says
        assert view.fills(maps.LAYER_PARCELS_STATUS) == [
            maps.STATUS_COLOURS[v] for v in park.parcels[s.STATUS]
        ]
        view.set_overlay(maps.LAYER_ZONES, shown=False)
        view.page.wait_for_timeout(400)  # labels fade out in 200 ms
        assert view.overlays()[maps.LAYER_ZONES]["in_dom"] == 0
        assert view.page.locator(".zoning-label.zone").count() == 0  # labels go with the layer
        for selector in (
            ".leaflet-control-zoom-fullscreen",
            ".leaflet-control-measure",
            ".leaflet-control-minimap",
            ".leaflet-control-scale",
            ".leaflet-control-layers",
            ".zoning-legend",
        ):
            assert view.page.locator(selector).count() == 1, selector
        scale = view.page.locator(".leaflet-control-scale").inner_text()
        assert "ft" not in scale  # metric only
        assert "mi" not in scale
        legend = view.page.locator(".zoning-legend").inner_text()
        for name in maps.layer_names(m):
            if not name.startswith("第"):
                assert name in legend, name  # a section per layer
        assert "第1期" in legend
        assert "未定选址" in legend
        attribution = view.page.locator(".leaflet-control-attribution").inner_text()
        assert "Global Energy Monitor" in attribution
        assert view.log.console_errors == []
        assert view.log.page_errors == []
        assert view.log.aborted == []


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_default_view_fits_the_screen_and_is_labelled(park, pipeline, tmp_path, width, height):
    need_browser()
    results, plan, sites = pipeline
    m = make_map(park, results=results, plan=plan, sites=sites, basemap="none", lang="zh")
    page_file = write_map(m, tmp_path / "plan.html")
    with open_map(page_file, viewport={"width": width, "height": height}) as view:
        ARTIFACTS.mkdir(exist_ok=True)
        view.page.screenshot(path=str(ARTIFACTS / f"beichuan_plan_{width}x{height}.png"))
        labels = view.page.locator(".zoning-label").all_inner_texts()
        for zone_zh in park.zones[s.NAME_ZH]:
            assert zone_zh in labels  # every zone named on the map
        for pid in results[s.PROJECT_ID].unique():
            assert any(label.split()[0] == pid for label in labels), pid
        # the legend and the layer control are inside the window (the legend scrolls)
        for selector in (".zoning-legend", ".leaflet-control-layers"):
            box = view.page.locator(selector).bounding_box()
            assert box is not None
            assert box["y"] >= 0, selector
            assert box["y"] + box["height"] <= height, selector
            assert box["x"] >= 0, selector
            assert box["x"] + box["width"] <= width, selector
        view.page.wait_for_timeout(400)  # labels are moved apart after the map settles
        overlapping = view.page.evaluate(_JS_LABEL_OVERLAPS)
        assert overlapping == [], overlapping  # no label written over another
        legend_sections = view.page.locator(".zoning-legend summary").all_inner_texts()
        assert legend_sections[:3] == [maps.LAYER_ZONES, "开发时序", maps.LAYER_FIT]
        assert view.log.console_errors == []
        assert view.log.page_errors == []


@pytest.mark.browser
def test_blocked_tiles_leave_the_vector_background(park, tmp_path):
    need_browser()
    m = make_map(
        park,
        basemap="none",
        tiles_url="https://tiles.park.intranet/{z}/{x}/{y}.png",
        tiles_attribution="园区管委会 Park GIS",
    )
    page_file = write_map(m, tmp_path / "tiles.html")
    with open_map(page_file) as view:
        tiles = [u for u in view.log.aborted if u.startswith("https://tiles.park.intranet/")]
        assert tiles, "the tiles were not even asked for"
        assert set(view.log.aborted) == set(tiles)
        background = view.overlays()[maps.LAYER_BACKGROUND]
        assert background["on_map"]
        assert background["in_dom"] == background["features"] > 50  # roads, river, town
        assert background["visible"] >= background["features"] - 1
        attribution = view.page.locator(".leaflet-control-attribution").inner_text()
        assert "园区管委会 Park GIS" in attribution
        assert view.log.page_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("basemap", "host"),
    [
        ("osm", "tile.openstreetmap.org"),
        ("amap", "is.autonavi.com"),
        ("tianditu", "tianditu.gov.cn"),
    ],
)
def test_online_basemaps_are_requested_when_chosen(park, tmp_path, monkeypatch, basemap, host):
    need_browser()
    monkeypatch.setenv(s.TIANDITU_KEY_ENV, "0123456789abcdef0123456789abcdef")
    page_file = write_map(make_map(park, basemap=basemap), tmp_path / f"{basemap}.html")
    with open_map(page_file) as view:
        view.page.wait_for_timeout(300)
        asked = [u for u in view.log.aborted if host in u]
        assert len(asked) >= 4, view.log.aborted[:5]  # the map's tiles and the mini-map's
        assert all(host in u for u in view.log.aborted)
        assert view.overlays()[maps.LAYER_ZONES]["in_dom"] == len(park.zones)
        assert view.log.page_errors == []


@pytest.mark.browser
def test_map_file_copied_alone_still_renders(park, tmp_path):
    need_browser()
    written = write_map(make_map(park, basemap="none"), tmp_path / "a" / "map.html")
    alone = tmp_path / "elsewhere" / "map.html"
    alone.parent.mkdir()
    shutil.copyfile(written, alone)
    with open_map(alone) as view:
        assert view.overlays()[maps.LAYER_ZONES]["in_dom"] == len(park.zones)
        assert view.log.aborted == []
        assert view.log.page_errors == []


def interior_points(polygon: shapely.Geometry, n: int = 60) -> list[shapely.Point]:
    """The representative point, then points of a grid inside the polygon."""
    import numpy as np

    minx, miny, maxx, maxy = polygon.bounds
    xs, ys = np.meshgrid(np.linspace(minx, maxx, 12), np.linspace(miny, maxy, 12))
    grid = shapely.points(xs.ravel(), ys.ravel())
    inside = grid[
        shapely.contains_xy(polygon.buffer(-polygon.length * 0.002), xs.ravel(), ys.ravel())
    ]
    return [polygon.representative_point(), *list(inside)[:n]]


def click_inside(view, polygon_wgs84: shapely.Geometry) -> str:
    """Click the first visible point of a polygon (not under a control); return the popup.

    A layer just switched on may take a moment to be drawn on a loaded machine: look again
    for up to about five seconds before giving up.
    """
    for _ in range(20):
        for point in interior_points(polygon_wgs84):
            spot = view.screen_point(point.y, point.x)
            if spot["tag"] == "path" and spot["interactive"]:
                return view.click(point.y, point.x)
        view.page.wait_for_timeout(250)
    raise AssertionError("no visible point of the polygon to click")


def popup_box(view) -> dict[str, float]:
    box = view.page.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert box is not None
    return box


@pytest.mark.browser
def test_popups_open_on_click_fit_the_screen_and_keep_the_park(park, tmp_path):
    need_browser()
    page_file = write_map(make_map(park, basemap="none", lang="zh"), tmp_path / "map.html")
    zone = park.zones.to_crs(WGS84).set_index(s.ZONE_ID).loc["almg"]
    vacant_mu = park.parcels.loc[
        (park.parcels[s.ZONE_ID] == "almg") & (park.parcels[s.STATUS] == "vacant"), s.AREA_MU
    ].sum()
    parcel = park.parcels.to_crs(WGS84).iloc[10]
    with open_map(page_file, viewport={"width": 1366, "height": 768}) as view:
        view.show_only({maps.LAYER_ZONES})
        centre_before = view.page.evaluate(
            "() => Object.values(window).find((v) => v instanceof L.Map).getCenter()"
        )
        text = " ".join(click_inside(view, zone.geometry).split())
        assert zone[s.NAME_ZH] in text
        assert f"空闲用地 {vacant_mu:,.0f} 亩" in text
        view.page.wait_for_timeout(400)  # the popup nudges the map into view
        box = popup_box(view)
        assert box["height"] <= 768 * 0.7  # the zone's long popup scrolls inside
        assert view.page.locator(".leaflet-popup-content.leaflet-popup-scrolled").count() == 1
        assert box["y"] >= 0
        centre_after = view.page.evaluate(
            "() => Object.values(window).find((v) => v instanceof L.Map).getCenter()"
        )
        drawn = gpd.GeoSeries(
            [shapely.Point(c["lng"], c["lat"]) for c in (centre_before, centre_after)], crs=WGS84
        ).to_crs(METRIC_CRS)
        assert drawn.iloc[0].distance(drawn.iloc[1]) < 1500  # the park stays on the screen
        view.close_popups()
        view.show_only({maps.LAYER_PARCELS_STATUS})
        text = click_inside(view, parcel.geometry)
        assert parcel[s.PARCEL_ID] in text
        assert s.label(s.ParcelStatus(parcel[s.STATUS]), "zh") in text
        assert view.log.console_errors == []
        assert view.log.page_errors == []


@pytest.mark.browser
def test_idle_land_popup_opens_on_click_and_fits_the_screen(park, ledger, tmp_path):
    need_browser()
    page_file = write_map(
        make_map(park, basemap="none", lang="zh", ledger=ledger), tmp_path / "ledger.html"
    )
    parcels = park.parcels.to_crs(WGS84).set_index(s.PARCEL_ID)
    with open_map(page_file, viewport={"width": 1366, "height": 768}) as view:
        assert maps.LAYER_IDLE_LAND in view.overlay_labels()
        view.show_only({maps.LAYER_IDLE_LAND})
        text = " ".join(click_inside(view, parcels.loc["BC-0050"].geometry).split())
        assert "闲置满一年：征缴土地闲置费" in text
        assert "2023-09-01" in text  # due
        assert "2024-09-01" in text  # next due
        assert "亩" in text
        view.page.wait_for_timeout(300)
        box = popup_box(view)
        assert 0 <= box["y"]
        assert box["height"] <= 768 * 0.6
        view.close_popups()
        view.show_only({maps.LAYER_GRADES})
        text = " ".join(click_inside(view, parcels.loc["BC-0002"].geometry).split())
        assert f"{ledger.land.loc['BC-0002', s.GRADE]} 类" in text
        assert view.log.console_errors == []
        assert view.log.page_errors == []


@pytest.mark.browser
def test_candidate_site_popup_opens_on_click(park, tmp_path):
    need_browser()
    results = zoning.check(park, sample_projects())
    sites = propose_sites(park, results)
    sites = sites[sites[s.PROJECT_ID] == "W1"]  # rank 1 drawn on top of ranks 2 and 3
    best = sites[sites[s.RANK] == 1].iloc[0]
    outline = gpd.GeoSeries([best.geometry], crs=METRIC_CRS).to_crs(WGS84).iloc[0]
    page_file = write_map(
        make_map(park, results=results, sites=sites, basemap="none"), tmp_path / "sites.html"
    )
    with open_map(page_file) as view:
        assert maps.LAYER_SITES in view.overlay_labels()
        view.show_only({maps.LAYER_SITES})
        centre = outline.representative_point()
        view.center_on(centre.y, centre.x, 16)
        text = click_inside(view, outline)
        assert "Wheel plant 轮毂厂" in text
        assert "rank 1 of 3" in text
        assert f"{best[s.CANDIDATE_MU]:,.1f} mu" in text
        for parcel_id in best[s.PARCEL_IDS]:
            assert parcel_id in text
        assert "contiguous vacant parcels" in text  # the ranking reason
        assert view.log.console_errors == []
        assert view.log.page_errors == []


@pytest.mark.browser
def test_hostile_project_name_shows_as_text_and_runs_nothing(park, tmp_path):
    need_browser()
    results = zoning.check(park, sample_projects(hostile_name=HOSTILE_NAME))
    assert (results[s.NAME] == HOSTILE_NAME).any()
    m = make_map(hostile_park(park), results=results, basemap="none")
    parcel = park.parcels.to_crs(WGS84).geometry.iloc[0]
    page_file = write_map(m, tmp_path / "hostile.html")
    drawn = as_gdf(features(m, maps.LAYER_FIT)).iloc[0].geometry  # project W1
    with open_map(page_file) as view:
        view.show_only({maps.LAYER_FIT})
        view.center_on(drawn.y, drawn.x, 17)
        tooltip = view.hover(drawn.y, drawn.x)
        assert HOSTILE_NAME in tooltip
        popup = view.click(drawn.y, drawn.x)
        assert HOSTILE_NAME in popup
        view.page.wait_for_timeout(300)  # time for a broken image's onerror to fire
        view.close_popups()
        view.show_only({maps.LAYER_PARCELS_STATUS})
        centre = parcel.representative_point()
        view.center_on(centre.y, centre.x, 17)
        text = click_inside(view, parcel)
        assert HOSTILE_OCCUPANT in text  # the occupant, markup and all, as plain text
        view.page.wait_for_timeout(300)
        assert view.alerts() == []
        assert view.page.locator('img[src="x"]').count() == 0
        assert view.log.console_errors == []
        assert view.log.page_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Hectares", "mu", "Meters")), ("zh", ("公顷", "亩", "米"))],
)
def test_measuring_tool_speaks_metric_and_asks_for_nothing(park, tmp_path, lang, words):
    need_browser()
    page_file = write_map(make_map(park, basemap="none", lang=lang), tmp_path / "measure.html")
    with open_map(page_file) as view:
        page = view.page
        page.locator(".leaflet-control-measure-toggle").dispatch_event("mouseover")
        page.wait_for_timeout(200)
        page.click(".js-start")
        for x, y in ((600, 400), (700, 420), (680, 520)):
            page.mouse.click(x, y)
            page.wait_for_timeout(150)
        page.click(".js-finish")
        page.wait_for_timeout(300)
        text = " ".join(page.locator(".leaflet-popup-content").all_inner_texts())
        for word in words:
            assert word in text
        for imperial in ("Feet", "Acres", "Miles", "英尺", "英亩", "英里"):
            assert imperial not in text
        assert view.log.aborted == []  # its marker icons are inlined too
        assert view.log.console_errors == []
        assert view.log.page_errors == []
