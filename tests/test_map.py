"""Folium maps: layers, popups, escaping, basemaps and the HTML file, in Python and in a browser.

The browser tests render the maps in Debian's Chromium through Playwright with every network
request but the page itself aborted (tests/browser.py): the map must draw from the one HTML
file. They skip locally when Chromium is missing, and fail in CI.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import zoning
from zoning import maps as mapping
from zoning import schema as s
from zoning.errors import ExportError, InputError
from zoning.fit import RESULT_COLUMNS
from zoning.i18n import use_lang
from zoning.io import read_projects
from zoning.io.maps import write_map
from zoning.io.park import bundled_park_dir
from zoning.maps import make_map
from zoning.siting import propose_sites
from zoning.units import METRIC_CRS, WGS84

ARTIFACTS = Path(__file__).parent / "artifacts"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>alert(2)</script>"
BASE_LAYERS = [
    mapping.LAYER_BACKGROUND,
    mapping.LAYER_CONTEXT,
    mapping.LAYER_ZONES,
    mapping.LAYER_PARCELS_STATUS,
    mapping.LAYER_PARCELS_LAND_USE,
    mapping.LAYER_CONSTRAINTS,
    mapping.LAYER_INFRASTRUCTURE,
]


# --------------------------------------------------------------------------- test inputs
@pytest.fixture(scope="module")
def park() -> zoning.Park:
    return zoning.load_park()


def finding(rule: str, status: str, message: str, measured: Any, required: Any, unit: str):
    return {
        s.RULE: rule,
        s.STATUS: status,
        s.MESSAGE: message,
        s.MEASURED: measured,
        s.REQUIRED: required,
        s.UNIT: unit,
        s.SOURCE: f"source of {rule}",
    }


def contract_results(park: zoning.Park, *, hostile: bool = False) -> gpd.GeoDataFrame:
    """Fit results in the shape zoning.check returns (test input built by hand).

    P1 has a site (two vacant parcels of almg) and fits; P2 has no site, is conditional in
    bonded (best) and does not fit elsewhere; P3 fits nowhere and has no best zone; P4 is an
    input error row (zone_id "").
    """
    vacant = park.parcels[
        (park.parcels[s.STATUS] == s.ParcelStatus.VACANT) & (park.parcels[s.ZONE_ID] == "almg")
    ]
    site = shapely.union_all(vacant.geometry.iloc[:2].to_numpy())
    passing = finding("industry", "pass", "permitted here", "permitted", "permitted", "")
    warn = finding("intensity.far", "warn", "FAR is low", 0.6, 0.8, "")
    fail = finding("industry", "fail", "prohibited here", "prohibited", "permitted", "")
    name2 = HOSTILE_NAME if hostile else "Cold store 冷库"
    rows = [
        ("P1", "Wheel plant 轮毂厂", "3670", "almg", "fits", True, 80.0, [passing], site),
        ("P2", name2, "5930", "bonded", "conditional", True, 40.0, [passing, warn], None),
        ("P2", name2, "5930", "almg", "does_not_fit", False, 40.0, [fail, warn], None),
        (
            "P3",
            HOSTILE_SCRIPT if hostile else "Smelter",
            "3216",
            "bonded",
            "does_not_fit",
            False,
            300.0,
            [fail],
            None,
        ),
        (
            "P3",
            HOSTILE_SCRIPT if hostile else "Smelter",
            "3216",
            "integration",
            "does_not_fit",
            False,
            300.0,
            [fail],
            None,
        ),
        (
            "P4",
            "bad row",
            "9999",
            "",
            "error",
            False,
            np.nan,
            [
                finding(
                    "input", "fail", "unknown industry code 9999", "9999", "a catalogue code", ""
                )
            ],
            None,
        ),
    ]
    columns = list(RESULT_COLUMNS)
    frame = pd.DataFrame(rows, columns=columns)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS)


def contract_plan(park: zoning.Park) -> SimpleNamespace:
    """A phase plan in the shape zoning.sequence returns: parcels with an Int64 phase."""
    parcels = park.parcels.copy()
    phase = pd.array([pd.NA] * len(parcels), dtype="Int64")
    vacant = (parcels[s.STATUS] == s.ParcelStatus.VACANT).to_numpy()
    for number, zone in enumerate(["almg", "bonded", "incubation"], start=1):
        phase[vacant & (parcels[s.ZONE_ID] == zone).to_numpy()] = number
    parcels[s.PHASE] = phase
    return SimpleNamespace(parcels=parcels)


def sample_projects(*, hostile_name: str = "Wheel plant 轮毂厂") -> pd.DataFrame:
    """A projects table as read from a CSV (text cells), for zoning.check."""
    return pd.DataFrame(
        {
            s.PROJECT_ID: ["W1", "C1", "S1", "H1"],
            s.NAME: [hostile_name, "Cable plant 电缆厂", "Smelter 电解铝", "Hotel 酒店"],
            s.INDUSTRY_CODE: ["3670", "3831", "3216", "6110"],
            s.AREA_MU: ["120", "60", "400", "30"],
        }
    )


# --------------------------------------------------------------------------- map inspection
def groups(m: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {
        child.layer_name: child
        for child in m._children.values()
        if isinstance(child, folium.FeatureGroup)
    }


def features(m: folium.Map, layer: str) -> list[dict[str, Any]]:
    group = groups(m)[layer]
    out: list[dict[str, Any]] = []
    for child in group._children.values():
        if isinstance(child, folium.GeoJson):
            out += child.data["features"]
        elif isinstance(child, mapping.DerivedGeoJson):  # drawn from another layer's data
            out += [f for f in child.source.data["features"] if child.keeps(f["properties"])]
    for child in m._children.values():  # drawn into the group from a layer written later
        if isinstance(child, mapping.DerivedGeoJson) and child.target is group:
            out += [f for f in child.source.data["features"] if child.keeps(f["properties"])]
    return out


def as_gdf(feats: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame.from_features(feats, crs=WGS84)


def all_coordinates(geometry: dict[str, Any]) -> list[float]:
    return [
        float(v) for v in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", json.dumps(geometry["coordinates"]))
    ]


# --------------------------------------------------------------------------- Python-level tests
def test_park_map_has_one_layer_per_part(park):
    m = make_map(park, basemap="none")
    assert mapping.layer_names(m) == BASE_LAYERS


def test_park_without_optional_layers(tiny_park_dir):
    tiny = zoning.load_park(tiny_park_dir)
    m = make_map(tiny, basemap="none")
    # empty layers are left out rather than listed with nothing in them
    assert mapping.layer_names(m) == [
        mapping.LAYER_BACKGROUND,  # the tiny park's developed parcels
        mapping.LAYER_ZONES,
        mapping.LAYER_PARCELS_STATUS,
        mapping.LAYER_PARCELS_LAND_USE,
    ]
    assert len(features(m, mapping.LAYER_PARCELS_STATUS)) == len(tiny.parcels) == 4
    assert "Illustrative" not in m.get_root().render()  # no notice for a park that is real


@pytest.mark.parametrize(
    ("layer", "source"),
    [
        (mapping.LAYER_CONTEXT, "context"),
        (mapping.LAYER_ZONES, "zones"),
        (mapping.LAYER_PARCELS_STATUS, "parcels"),
        (mapping.LAYER_PARCELS_LAND_USE, "parcels"),
        (mapping.LAYER_CONSTRAINTS, "constraints"),
        (mapping.LAYER_INFRASTRUCTURE, "infrastructure"),
    ],
    ids=["context", "zones", "parcels", "land-use", "constraints", "infrastructure"],
)
def test_one_feature_per_row(park, layer, source):
    m = make_map(park, basemap="none")
    assert len(features(m, layer)) == len(park.layer(source)) > 0


def test_coordinates_are_rounded_to_a_decimetre(park):
    m = make_map(park, basemap="none")
    for layer in BASE_LAYERS:
        for feat in features(m, layer):
            for value in all_coordinates(feat["geometry"]):
                assert round(value, mapping.COORD_DECIMALS) == value
    # and rounding moved nothing by more than 0.1 m
    drawn = as_gdf(features(m, mapping.LAYER_ZONES)).to_crs(METRIC_CRS)
    assert drawn.geometry.hausdorff_distance(park.zones.geometry).max() < 0.1


def test_zone_popup_tells_purpose_rules_and_land(park):
    m = make_map(park, basemap="none")
    feats = features(m, mapping.LAYER_ZONES)
    zone = park.zones.set_index(s.ZONE_ID).loc["almg"]
    popup = next(f["properties"]["popup"] for f in feats if f["properties"]["key"] == "almg")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", popup)).split())
    vacant_mu = park.parcels.loc[
        (park.parcels[s.ZONE_ID] == "almg") & (park.parcels[s.STATUS] == "vacant"), s.AREA_MU
    ].sum()
    assert zone[s.NAME_ZH] in text
    assert zone[s.NAME_EN] in text
    assert zone[s.PURPOSE_EN] in text
    rolling = next(i for i in park.rulebook.industries if i.name_zh == "铝压延加工")
    assert rolling.name_en in text  # a permitted industry by name, from the rulebook
    assert f"{zone[s.AREA_MU]:,.0f} mu" in text
    assert f"Vacant land {vacant_mu:,.0f} mu" in text
    assert s.label(s.DevelopmentMode(zone[s.DEVELOPMENT_MODE])) in text
    tip = next(f["properties"]["tip"] for f in feats if f["properties"]["key"] == "almg")
    assert zone[s.NAME_ZH] in tip
    assert zone[s.NAME_EN] in tip


def test_zone_popup_in_chinese(park):
    m = make_map(park, basemap="none", lang="zh")
    feats = features(m, mapping.LAYER_ZONES)
    popup = next(f["properties"]["popup"] for f in feats if f["properties"]["key"] == "almg")
    text = popup_text(popup)
    zone = park.zones.set_index(s.ZONE_ID).loc["almg"]
    assert zone[s.PURPOSE_ZH] in text
    assert "铝压延加工" in text
    assert f"总面积 {zone[s.AREA_MU]:,.0f} 亩" in text
    assert s.label(s.DevelopmentMode(zone[s.DEVELOPMENT_MODE]), "zh") in text
    assert " mu" not in text
    labels = [f["properties"]["label"] for f in feats]
    assert any(zone[s.NAME_ZH] in label for label in labels)  # written on the map


def test_fit_layer_draws_each_project_once_at_its_site_or_best_zone(park):
    results = contract_results(park)
    m = make_map(park, results=results, basemap="none")
    assert mapping.layer_names(m)[-1] == mapping.LAYER_FIT
    feats = features(m, mapping.LAYER_FIT)
    assert len(feats) == results[s.PROJECT_ID].nunique() == 4
    drawn = as_gdf(feats).to_crs(METRIC_CRS)
    drawn["pid"] = ["P1", "P2", "P3", "P4"]
    drawn = drawn.set_index("pid")
    zones = park.zones.set_index(s.ZONE_ID).geometry
    # P1 at its site, P2 in its best zone, P3 (no best zone) in the zone of its first row
    site = results.geometry.iloc[0]
    assert drawn.geometry["P1"].hausdorff_distance(site) < 0.1
    assert drawn.geometry["P2"].within(zones["bonded"])
    assert drawn.geometry["P3"].within(zones["bonded"])
    assert drawn.geometry["P4"].within(park.zones.union_all().buffer(1000))
    verdicts = [f["properties"]["key"] for f in feats]
    assert verdicts == ["fits", "conditional", "does_not_fit", "error"]


def test_fit_popup_lists_failing_and_warning_findings_only(park):
    m = make_map(park, results=contract_results(park), basemap="none")
    popup = features(m, mapping.LAYER_FIT)[1]["properties"]["popup"]  # P2, best zone bonded
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", popup)).split())
    assert "FAR is low" in text
    assert "0.60" in text
    assert "0.80" in text
    assert "source of intensity.far" in text
    assert "permitted here" not in text  # a passing rule is not listed
    assert "Aluminium-magnesium industry cluster (almg): does not fit" in text  # other zone
    assert "Requested zone" not in text
    assert "Land-use intensity" in text or "Floor area ratio" in text  # the rule in words


def test_fit_layer_from_the_real_fit_check(park):
    projects = sample_projects()
    results = zoning.check(park, projects)
    m = make_map(park, results=results, basemap="none")
    feats = features(m, mapping.LAYER_FIT)
    assert len(feats) == len(projects)
    best = results[results[s.BEST]].drop_duplicates(s.PROJECT_ID).set_index(s.PROJECT_ID)
    for pid, feat in zip(projects[s.PROJECT_ID], feats, strict=True):
        if pid in best.index:
            assert feat["properties"]["key"] == best.loc[pid, s.VERDICT]
        else:  # no best zone: drawn with the verdict of its first row
            first = results[results[s.PROJECT_ID] == pid].iloc[0]
            assert feat["properties"]["key"] == first[s.VERDICT]


def popup_text(popup: str) -> str:
    """The text a person reads in a popup's HTML."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", popup)).split())


def test_candidate_sites_layer_draws_one_outline_per_candidate(park):
    results = zoning.check(park, sample_projects())
    sites = propose_sites(park, results)
    assert len(sites) > 3
    m = make_map(park, results=results, sites=sites, basemap="none")
    assert mapping.layer_names(m) == [*BASE_LAYERS, mapping.LAYER_SITES, mapping.LAYER_FIT]
    feats = features(m, mapping.LAYER_SITES)
    assert len(feats) == len(sites)
    for feat in feats:
        assert all(round(v, 6) == v for v in all_coordinates(feat["geometry"]))
    # drawn best last (on top); every candidate once, where propose_sites put it
    ranks = [int(f["properties"]["key"]) for f in feats]
    assert ranks == sorted(ranks, reverse=True)
    drawn = as_gdf(feats).to_crs(METRIC_CRS)
    for geometry in sites.geometry:
        assert drawn.geometry.hausdorff_distance(geometry).min() < 0.1
    # the popup of W1's best candidate: project, rank, area in mu, parcels, reason
    best = sites[(sites[s.PROJECT_ID] == "W1") & (sites[s.RANK] == 1)].iloc[0]
    feat = next(
        f for f in feats if f["properties"]["key"] == "1" and "(W1)" in f["properties"]["tip"]
    )
    text = popup_text(feat["properties"]["popup"])
    assert "Wheel plant 轮毂厂" in text
    assert "rank 1 of 3" in text
    assert f"{best[s.CANDIDATE_MU]:,.1f} mu" in text
    assert ", ".join(best[s.PARCEL_IDS]) in text
    assert best[s.REASON] in text
    assert "rank 1" in feat["properties"]["tip"]
    legend = next(
        c.html
        for c in m._children.values()
        if isinstance(c, mapping.HtmlControl) and "zoning-legend" in c.html
    )
    assert mapping.LAYER_SITES in legend
    assert mapping.site_colour(1) in legend


def test_candidate_sites_without_results_or_candidates(park):
    results = zoning.check(park, sample_projects())
    sites = propose_sites(park, results)
    alone = make_map(park, sites=sites, basemap="none")  # named by project id only
    assert mapping.layer_names(alone)[-1] == mapping.LAYER_SITES
    tips = [f["properties"]["tip"] for f in features(alone, mapping.LAYER_SITES)]
    assert sum(tip.startswith("<b>W1</b> · ") for tip in tips) == 3
    none = make_map(park, results=results, sites=sites.iloc[:0], basemap="none")
    assert mapping.LAYER_SITES not in mapping.layer_names(none)  # no candidate, no layer


def test_candidate_sites_without_the_siting_columns_are_refused(park):
    sites = propose_sites(park, zoning.check(park, sample_projects()))
    with pytest.raises(InputError, match="missing columns: rank, parcel_ids"):
        make_map(park, sites=sites.drop(columns=[s.RANK, s.PARCEL_IDS]), basemap="none")


def test_phase_layers_in_order(park):
    plan = contract_plan(park)
    m = make_map(park, plan=plan, basemap="none")
    names = [mapping.phase_layer_name(p) for p in (1, 2, 3)]
    assert mapping.layer_names(m) == BASE_LAYERS + names
    counts = plan.parcels[s.PHASE].value_counts()
    colours = mapping.phase_colours(3)
    for phase, name, colour in zip((1, 2, 3), names, colours, strict=True):
        assert len(features(m, name)) == counts[phase]
        geojson = next(
            c for c in groups(m)[name]._children.values() if isinstance(c, folium.GeoJson)
        )
        assert colour in str(geojson.on_each_feature)  # the layer is drawn in its colour
    assert luminance(colours) == sorted(luminance(colours))  # phase 1 darkest, last lightest
    assert len(set(colours)) == 3


def test_phase_layers_from_the_real_sequencer(park):
    plan = zoning.sequence(park, quota_mu=1500.0)
    m = make_map(park, plan=plan, basemap="none")
    phases = sorted(int(p) for p in plan.parcels[s.PHASE].dropna().unique())
    assert phases
    assert mapping.layer_names(m) == BASE_LAYERS + [mapping.phase_layer_name(p) for p in phases]
    for p in phases:
        opened = plan.parcels.loc[plan.parcels[s.PHASE] == p, s.PARCEL_ID]
        shapes = features(m, mapping.phase_layer_name(p))
        drawn = [f["properties"]["i"] for f in shapes if "i" in f["properties"]]
        assert drawn == [html.escape(v) for v in opened]
        # the phase's tracts (连片地块) are outlined in its layer, one outline per tract
        tracts = plan.tracts.loc[plan.tracts[s.PHASE] == p, "tract_id"].astype(str)
        outlined = [f["properties"]["key"] for f in shapes if "i" not in f["properties"]]
        assert sorted(outlined) == sorted(tracts)
        assert 1 <= len(outlined) <= plan.max_tracts


def test_tracts_and_placements_are_explained_on_the_map(park):
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    plan = zoning.sequence(park, quota_mu=1500.0, projects=results)
    m = make_map(park, plan=plan, results=results, basemap="none")
    placed = plan.placement_frame()
    assert len(placed) > 0
    for p in sorted(plan.tracts[s.PHASE].unique()):
        props = [f["properties"] for f in features(m, mapping.phase_layer_name(int(p)))]
        popups = " ".join(str(q.get("popup", "")) for q in props)
        for why in plan.tracts.loc[plan.tracts[s.PHASE] == p, "why"]:
            assert html.escape(str(why["en"])) in popups  # why this tract in this phase
        for project in placed.loc[placed[s.PHASE] == p, s.PROJECT_ID]:
            assert f"{project} placed here" in popups


def plan_for(park: zoning.Park) -> Any:
    """The real phase plan of the park at the default quota."""
    return zoning.sequence(park, quota_mu=1500.0)


def luminance(colours: list[str]) -> list[float]:
    return [
        0.2126 * int(c[1:3], 16) + 0.7152 * int(c[3:5], 16) + 0.0722 * int(c[5:7], 16)
        for c in colours
    ]


HOSTILE_OCCUPANT = HOSTILE_NAME + HOSTILE_SCRIPT


def hostile_park(park: zoning.Park) -> zoning.Park:
    """The park with markup in a zone name and in the occupant of parcel 0."""
    zones = park.zones.copy()
    zones.loc[0, s.NAME_EN] = "<b>bold</b> zone"
    parcels = park.parcels.copy()
    parcels.loc[0, s.OCCUPANT] = HOSTILE_OCCUPANT
    return zoning.Park(
        zones=zones,
        parcels=parcels,
        constraints=park.constraints,
        infrastructure=park.infrastructure,
        context=park.context,
        rulebook=park.rulebook,
        metadata=park.metadata,
    )


def test_user_strings_are_escaped(park):
    hostile = hostile_park(park)
    m = make_map(hostile, results=contract_results(park, hostile=True), basemap="none")
    fit = features(m, mapping.LAYER_FIT)
    assert html.escape(HOSTILE_NAME) in fit[1]["properties"]["tip"]
    assert html.escape(HOSTILE_NAME) in fit[1]["properties"]["popup"]
    assert html.escape(HOSTILE_SCRIPT) in fit[2]["properties"]["popup"]
    assert (
        "&lt;b&gt;bold&lt;/b&gt; zone" in features(m, mapping.LAYER_ZONES)[0]["properties"]["tip"]
    )
    parcel = features(m, mapping.LAYER_PARCELS_STATUS)[0]["properties"]
    assert parcel["o"] == html.escape(HOSTILE_OCCUPANT)
    legend = next(
        c.html
        for c in m._children.values()
        if isinstance(c, mapping.HtmlControl) and "zoning-legend" in c.html
    )
    assert "&lt;b&gt;bold&lt;/b&gt; zone" in legend
    page = m.get_root().render()
    for raw in (HOSTILE_NAME, HOSTILE_SCRIPT, "<b>bold</b>"):
        assert raw not in page


def test_candidate_site_strings_are_escaped(park):
    results = zoning.check(park, sample_projects(hostile_name=HOSTILE_NAME))
    sites = propose_sites(park, results)
    sites.loc[sites.index[0], s.PARCEL_IDS] = [HOSTILE_SCRIPT, "BC-0001"]
    sites.loc[sites.index[0], s.REASON] = HOSTILE_SCRIPT
    m = make_map(park, results=results, sites=sites, basemap="none")
    hostile = [f for f in features(m, mapping.LAYER_SITES) if "(W1)" in f["properties"]["tip"]]
    assert len(hostile) == (sites[s.PROJECT_ID] == "W1").sum() > 0
    for feat in hostile:
        assert html.escape(HOSTILE_NAME) in feat["properties"]["tip"]
        assert html.escape(HOSTILE_NAME) in feat["properties"]["popup"]
    assert sum(html.escape(HOSTILE_SCRIPT) in f["properties"]["popup"] for f in hostile) == 1
    page = m.get_root().render()
    for raw in (HOSTILE_NAME, HOSTILE_SCRIPT):
        assert raw not in page


def test_amap_overlays_are_shifted_to_gcj02(park):
    plain = as_gdf(features(make_map(park, basemap="none"), mapping.LAYER_ZONES))
    m = make_map(park, basemap="amap")
    shifted = as_gdf(features(m, mapping.LAYER_ZONES))
    dx = shifted.to_crs(METRIC_CRS).get_coordinates() - plain.to_crs(METRIC_CRS).get_coordinates()
    assert dx["x"].between(160, 180).all()  # ≈ 168 m east near Qiaotou
    assert dx["y"].abs().lt(20).all()
    page = m.get_root().render()
    assert "webrd0{s}.is.autonavi.com" in page
    assert "openstreetmap" not in page.lower()


def test_osm_is_the_default_basemap(park):
    page = make_map(park).get_root().render()
    assert "tile.openstreetmap.org" in page
    assert "L.Control.MiniMap" in page


def test_tianditu_key_comes_from_the_environment(park, monkeypatch):
    monkeypatch.setenv(s.TIANDITU_KEY_ENV, "0123456789abcdef0123456789abcdef")
    page = make_map(park, basemap="tianditu").get_root().render()
    assert "tk=0123456789abcdef0123456789abcdef" in page
    assert "vec_w/wmts" in page
    assert "cva_w/wmts" in page
    # CGCS2000 tiles: overlays are drawn unshifted
    m = make_map(park, basemap="tianditu")
    assert features(m, mapping.LAYER_ZONES) == features(
        make_map(park, basemap="none"), mapping.LAYER_ZONES
    )


@pytest.mark.parametrize(
    ("basemap", "env_key", "match"),
    [
        ("tianditu", None, "needs a key"),
        ("tianditu", "abc&callback=evil", "characters a key never has"),
        ("bing", None, "unknown basemap 'bing'"),
    ],
    ids=["tianditu-no-key", "tianditu-bad-key", "unknown"],
)
def test_basemap_errors(park, monkeypatch, basemap, env_key, match):
    monkeypatch.delenv(s.TIANDITU_KEY_ENV, raising=False)
    if env_key is not None:
        monkeypatch.setenv(s.TIANDITU_KEY_ENV, env_key)
    with pytest.raises(InputError, match=match):
        make_map(park, basemap=basemap)


def test_results_without_the_check_columns_are_refused(park):
    results = contract_results(park).drop(columns=[s.VERDICT, s.FINDINGS])
    with pytest.raises(InputError, match="missing columns: verdict, findings"):
        make_map(park, results=results, basemap="none")


def test_plan_without_phase_is_refused(park):
    with pytest.raises(InputError, match="missing columns: phase"):
        make_map(park, plan=SimpleNamespace(parcels=park.parcels), basemap="none")
    with pytest.raises(InputError, match="no parcels GeoDataFrame"):
        make_map(park, plan=object(), basemap="none")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- writing the file
def test_write_map_writes_atomically(park, tmp_path):
    target = tmp_path / "maps" / "beichuan.html"
    m = make_map(park, basemap="none")
    assert write_map(m, target) == target
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>")
    assert first.rstrip().endswith("</html>")
    write_map(make_map(park, results=contract_results(park), basemap="none"), target)
    assert target.read_text(encoding="utf-8") != first
    assert sorted(p.name for p in target.parent.iterdir()) == ["beichuan.html"]


def test_failed_write_keeps_the_previous_map(park, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("previous map", encoding="utf-8")

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match=r"cannot write .*map\.html: Permission denied"):
        write_map(make_map(park, basemap="none"), target)
    assert target.read_text(encoding="utf-8") == "previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary file left


def test_write_map_into_a_file_path_is_an_export_error(park, tmp_path):
    blocker = tmp_path / "maps"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot create the directory .*maps: File exists"):
        write_map(make_map(park, basemap="none"), blocker / "x.html")
    assert isinstance(ExportError("x"), OSError)


def test_map_writer_and_transform_do_not_import_folium():
    code = (
        "import sys, zoning.io.maps, zoning.gcj02\n"
        "sys.exit(1 if any(k.split('.')[0] == 'folium' for k in sys.modules) else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- the command
def run_zoning(*args: str | Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "zoning", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def test_cli_map_with_projects(tmp_path):
    projects = tmp_path / "projects.csv"
    sample_projects().to_csv(projects, index=False)
    target = tmp_path / "out" / "plan.html"
    result = run_zoning("map", "--projects", projects, "--basemap", "none", "-o", target)
    assert result.returncode == 0, result.stderr
    assert f"map written: {target}" in result.stdout
    page = target.read_text(encoding="utf-8")
    assert json.dumps(mapping.LAYER_FIT)[1:-1] in page  # the fit layer, JSON-escaped
    assert json.dumps(mapping.LAYER_SITES)[1:-1] in page  # and the candidate sites
    assert "Cable plant" in page


def test_cli_map_tianditu_without_key_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != s.TIANDITU_KEY_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "zoning", "map", "--basemap", "tianditu", "-o", tmp_path / "x.html"],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        env={**env, "COLUMNS": "200"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert s.TIANDITU_KEY_ENV in result.stderr
    assert not (tmp_path / "x.html").exists()


# --------------------------------------------------------------------------- tiles, language
def test_intranet_tiles_replace_the_basemap(park):
    m = make_map(
        park,
        tiles_url="https://gis.datong.intranet/tiles/{z}/{x}/{y}.png",
        tiles_attribution="大通县自然资源局 <Datong>",
    )
    page = m.get_root().render()
    assert "https://gis.datong.intranet/tiles/{z}/{x}/{y}.png" in page
    assert "tile.openstreetmap.org" not in page
    (layer,) = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert layer.options["attribution"] == "大通县自然资源局 &lt;Datong&gt;"  # shown as text
    assert "<Datong>" not in page
    # a relative template, and the Tianditu basemap needing no key once tiles are given
    relative = make_map(park, basemap="tianditu", tiles_url="tiles/{z}/{x}/{-y}.png")
    assert "tiles/{z}/{x}/{-y}.png" in relative.get_root().render()


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("https://tiles.intranet/{z}/{x}.png", r"has no \{y\}"),
        ("https://tiles.intranet/{z}/{x}/{y}.png?tk={key}", r"cannot fill: \{key\}"),
        ("ftp://tiles.intranet/{z}/{x}/{y}.png", "http, https or relative"),
        ("//tiles.intranet/{z}/{x}/{y}.png", "http, https or relative"),
        ('https://t/{z}/{x}/{y}.png"><script>', "quotes or angle brackets"),
    ],
    ids=["no-y", "unknown-placeholder", "ftp", "protocol-relative", "markup"],
)
def test_bad_tile_templates_are_refused(park, url, match):
    with pytest.raises(InputError, match=match) as caught:
        make_map(park, tiles_url=url)
    assert all(p.expected for p in caught.value.problems)  # says what was expected


def test_bad_tile_template_every_problem_at_once(park):
    with pytest.raises(InputError) as caught:
        make_map(park, tiles_url="ftp://t/{q}.png")
    whats = [p.what for p in caught.value.problems]
    assert len(whats) == 5  # no {z}, no {x}, no {y}, {q}, ftp


def test_cli_map_with_intranet_tiles(tmp_path):
    target = tmp_path / "tiles.html"
    url = "http://10.1.2.3/tiles/{z}/{x}/{y}.png"
    result = run_zoning("map", "--tiles", url, "--tiles-attribution", "园区 GIS", "-o", target)
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert url in page
    assert json.dumps("园区 GIS")[1:-1] in page  # JSON-escaped in the script
    bad = run_zoning("map", "--tiles", "http://10.1.2.3/{z}.png", "-o", tmp_path / "bad.html")
    assert bad.returncode == 2
    assert "{x}" in bad.stderr
    assert not (tmp_path / "bad.html").exists()


def test_map_text_in_both_languages(park):
    results = contract_results(park)
    pages = {}
    for lang in ("zh", "en"):
        m = make_map(park, results=results, plan=contract_plan(park), basemap="none", lang=lang)
        pages[lang] = m.get_root().render()

    def js(text: str) -> str:  # as the page's scripts hold it
        return json.dumps(text)[1:-1]

    assert js("图例") in pages["zh"]
    assert js("Legend") in pages["en"]
    assert js("未定选址") in pages["zh"]
    assert js("no site yet") in pages["en"]
    assert js("Legend") not in pages["zh"]
    with use_lang("zh"):  # the current language is the default
        assert js("图例") in make_map(park, basemap="none").get_root().render()


def test_project_popup_words_for_rules_sources_and_zones(park):
    results = contract_results(park)
    fail = results.loc[4, s.FINDINGS][0]
    fail[s.SOURCE] = (
        "2008 table (secondary; shared/reference/far_min.csv) [far_min.26; secondary; advisory]"
    )
    fail["message_zh"] = "该行业禁止入驻"
    m = make_map(park, results=results, basemap="none", lang="zh")
    feats = features(m, mapping.LAYER_FIT)
    p3 = popup_text(feats[2]["properties"]["popup"])
    assert "产业准入" in p3  # the rule in words
    assert "该行业禁止入驻" in p3  # the Chinese message when the check gives one
    assert "shared/reference" not in p3
    assert "far_min.26" not in p3
    # P3 is drawn for its first zone (bonded): that zone is not among "other zones"
    others = p3.split("其他分区", 1)[1]
    assert "integration" in others
    assert "bonded" not in others
    p2 = popup_text(feats[1]["properties"]["popup"])
    assert "未定选址" in p2
    assert "容积率" in p2


def test_projects_without_a_site_are_drawn_on_vacant_land_apart(park):
    results = zoning.check(park, sample_projects())
    m = make_map(park, results=results, basemap="none")
    drawn = as_gdf(features(m, mapping.LAYER_FIT)).to_crs(METRIC_CRS)
    vacant = park.parcels[park.parcels[s.STATUS] == s.ParcelStatus.VACANT]
    developed = park.parcels[park.parcels[s.STATUS] != s.ParcelStatus.VACANT]
    for point in drawn.geometry:
        assert vacant.geometry.buffer(0.5).contains(point).any()  # on vacant land
        assert not developed.geometry.contains(point).any()  # never on an existing plant
    gaps = drawn.geometry.apply(lambda p: drawn.geometry.distance(p).replace(0, np.inf).min())
    assert gaps.min() > 100


def test_only_the_maps_package_imports_folium():
    root = Path(zoning.__file__).parent
    importers = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import (folium|branca)|from (folium|branca)[\s.])", text, re.M):
            importers.add(path.relative_to(root).as_posix())
    assert importers
    assert all(p.startswith("maps/") for p in importers), importers


def test_map_modules_and_functions_are_small():
    import ast

    root = Path(mapping.__file__).parent
    for path in [*root.glob("*.py"), root.parent / "mapping.py"]:
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 800, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef):
                body = node.end_lineno - node.body[0].lineno + 1
                assert body <= 80, f"{path.name}:{node.name} has {body} lines"


# --------------------------------------------------------------------------- the yearly ledger
LEDGER_DAY = "2023-12-31"


def bundled_ledger(park: zoning.Park, *, hostile: bool = False) -> Any:
    """The ledger of the bundled park as of :data:`LEDGER_DAY` (a hostile first name)."""
    from zoning.io import bundled_park_dir
    from zoning.io.enterprises import read_enterprises
    from zoning.ledger import evaluate

    table = read_enterprises(bundled_park_dir() / "enterprises.csv")
    if hostile:
        first = table.index[table["enterprise_id"] == "E-006"][0]  # holds BC-0031, idle
        table.loc[first, "name_en"] = HOSTILE_NAME
        table.loc[first, "name_zh"] = HOSTILE_SCRIPT
    return evaluate(park, table, as_of=LEDGER_DAY)


@pytest.fixture(scope="module")
def ledger(park):
    return bundled_ledger(park)


def feature_styles(m: folium.Map, layer: str) -> list[dict[str, Any]]:
    """The style of each feature of a layer drawn with a style function, in feature order."""
    out = []
    for child in groups(m)[layer]._children.values():
        if isinstance(child, folium.GeoJson):
            out += [child.style_function(f) for f in child.data["features"]]
    return out


def test_ledger_layers_are_detail_layers_off_at_start(park, ledger):
    assert mapping.LAYER_GRADES not in mapping.layer_names(make_map(park, basemap="none"))
    m = make_map(park, basemap="none", ledger=ledger)
    assert mapping.layer_names(m) == [
        *BASE_LAYERS,
        mapping.LAYER_GRADES,
        mapping.LAYER_IDLE_LAND,
    ]
    for name in (mapping.LAYER_GRADES, mapping.LAYER_IDLE_LAND):
        assert groups(m)[name].show is False, name


def test_grade_layer_fills_each_held_parcel_in_its_holders_grade(park, ledger):
    from zoning.maps.style import GRADE_COLOURS, GRADE_EXEMPT_COLOUR, GRADE_UNGRADED_COLOUR

    m = make_map(park, basemap="none", ledger=ledger)
    feats = features(m, mapping.LAYER_GRADES)
    assert len(feats) == len(ledger.land) == 136
    land = ledger.land
    exemption = land["enterprise_id"].map(ledger.enterprises["exemption"])
    expected = {}
    for parcel_id, grade in land["grade"].items():
        if exemption[parcel_id] in ("utility", "start_up"):
            expected[parcel_id] = GRADE_EXEMPT_COLOUR
        elif exemption[parcel_id] == "not_producing":
            expected[parcel_id] = GRADE_UNGRADED_COLOUR
        else:
            expected[parcel_id] = GRADE_COLOURS[grade]
    styles = feature_styles(m, mapping.LAYER_GRADES)
    ids = [f["properties"]["tip"].split(" · ")[0] for f in feats]
    assert [st["fillColor"] for st in styles] == [expected[i] for i in ids]
    # every kind is on the bundled park: four grades, exempt and not yet producing
    assert set(expected.values()) == {*GRADE_COLOURS.values(), GRADE_EXEMPT_COLOUR,
                                      GRADE_UNGRADED_COLOUR}  # fmt: skip
    ungraded = [st for st, i in zip(styles, ids, strict=True) if i == "BC-0031"]
    assert ungraded[0]["dashArray"]  # not evaluated: a dashed outline
    by_id = dict(zip(ids, feats, strict=True))
    holder = land.loc["BC-0002", "enterprise_id"]
    popup = popup_text(by_id["BC-0002"]["properties"]["popup"])
    assert holder in popup
    assert f"grade {land.loc['BC-0002', 'grade']}" in popup
    assert "Score" in popup
    assert "mu" in popup


def test_idle_land_layer_gives_status_reason_and_due_in_both_languages(park, ledger):
    from zoning.maps.style import LAND_STATUS_COLOURS

    flagged = ledger.land[ledger.land["land_status"] != "normal"]
    assert len(flagged) == 21
    for lang, words in (
        ("en", "idle two years: to be recovered without compensation"),
        ("zh", "闲置满两年：无偿收回"),
    ):
        m = make_map(park, basemap="none", ledger=ledger, lang=lang)
        feats = features(m, mapping.LAYER_IDLE_LAND)
        assert len(feats) == len(flagged)
        styles = feature_styles(m, mapping.LAYER_IDLE_LAND)
        ids = [f["properties"]["tip"].split(" · ")[0] for f in feats]
        assert [st["fillColor"] for st in styles] == [
            LAND_STATUS_COLOURS[flagged.loc[i, "land_status"]] for i in ids
        ]
        idle = feats[ids.index("BC-0031")]["properties"]
        assert words in idle["tip"]
        popup = popup_text(idle["popup"])
        assert words in popup
        assert html.unescape(flagged.loc["BC-0031", "reason"][lang]) in popup
        assert flagged.loc["BC-0031", "due"] == "2023-03-10"
        assert "2023-03-10" in popup
        assert "53" in popup  # the rule: 国土资源部令第53号
        assert ("亩" if lang == "zh" else "mu") in popup
        fee = popup_text(feats[ids.index("BC-0036")]["properties"]["popup"])
        assert "2024-06-20" in fee  # the next date the clock acts on (recovery)
        legend = legend_html(m)
        assert mapping.LAYER_IDLE_LAND in legend
        assert mapping.LAYER_GRADES in legend
        assert ("5 宗" if lang == "zh" else "5 parcel(s)") in legend  # idle one year


def legend_html(m: folium.Map) -> str:
    return next(
        c.html
        for c in m._children.values()
        if isinstance(c, mapping.HtmlControl) and "zoning-legend" in c.html
    )


def test_ledger_layer_colours_stay_apart_from_the_layers_on_at_start():
    from zoning.maps import style

    def rgb(colour: str) -> np.ndarray:
        return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)

    mine = [*style.GRADE_COLOURS.values(), style.GRADE_EXEMPT_COLOUR,
            *style.LAND_STATUS_COLOURS.values()]  # fmt: skip
    on_at_start = [*style.ZONE_COLOURS, *style.VERDICT_COLOURS.values(),
                   *style.phase_colours(8), *style.BACKGROUND_COLOURS.values(),
                   style.PAPER_COLOUR]  # fmt: skip
    for colour in mine:
        nearest = min(float(np.linalg.norm(rgb(colour) - rgb(o))) for o in on_at_start)
        assert nearest > 45, colour
    assert len(set(mine)) == len(mine)


def test_ledger_strings_are_escaped(park):
    hostile = bundled_ledger(park, hostile=True)
    m = make_map(park, basemap="none", ledger=hostile, lang="en")
    for layer in (mapping.LAYER_GRADES, mapping.LAYER_IDLE_LAND):
        (idle,) = [
            f["properties"]
            for f in features(m, layer)
            if f["properties"]["tip"].startswith("BC-0031")
        ]
        assert html.escape(HOSTILE_NAME) in idle["tip"]
        assert html.escape(HOSTILE_NAME) in idle["popup"]
    with use_lang("zh"):
        zh = make_map(park, basemap="none", ledger=hostile)
    for layer in (mapping.LAYER_GRADES, mapping.LAYER_IDLE_LAND):  # the Chinese name
        assert any(
            html.escape(HOSTILE_SCRIPT) in f["properties"]["popup"] for f in features(zh, layer)
        ), layer
    for page in (m.get_root().render(), zh.get_root().render()):
        for raw in (HOSTILE_NAME, HOSTILE_SCRIPT):
            assert raw not in page
