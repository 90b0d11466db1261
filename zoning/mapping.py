"""Folium maps of a park: zones, parcels, constraints, infrastructure, fit verdicts, phases.

This is the only module of zoning that imports folium. :func:`make_map` turns a
:class:`~zoning.park.Park` (and, optionally, the results of :func:`zoning.check` and a
phase plan from :func:`zoning.sequence`) into a :class:`folium.Map`; writing it to disk is
:func:`zoning.io.maps.write_map`'s job.

What the map shows, each part in a layer of its own that the layer control toggles:

- context: the real county boundary and power-station points, credited in the attribution;
- zones, coloured per zone, with purpose, permitted industries, priority, development mode
  and the total and vacant land in mu;
- parcels by status (shown) and by land-use class (hidden until switched on);
- constraints and infrastructure;
- fit results: each project at its site, or near the representative point of its best zone
  when it has no site, coloured by verdict, with every failing or warning finding;
- candidate sites (from :func:`zoning.siting.propose_sites`) for the projects without one,
  dashed outlines coloured by rank, with the area, the parcels and the ranking reason;
- the phase plan, one layer per phase, coloured in order.

Every string that comes from data (names, notes, project names) is HTML-escaped before it
reaches the page: folium's tooltips and popups insert values as HTML, so the values are
escaped here, once. Coordinates are rounded to 6 decimals (about 0.1 m), which is all the
data supports and keeps the file small.

Basemaps: ``osm`` (default), ``tianditu`` (天地图; CGCS2000 is WGS84 to the centimetre, so
no shift; needs a browser key), ``amap`` (高德; its tiles are in GCJ-02, so every overlay is
shifted with :mod:`zoning.gcj02`), ``none`` (no tiles, for offline use).

Examples
--------
>>> import zoning
>>> m = make_map(zoning.load_park(), basemap="none")
>>> sorted(layer_names(m))[:3]
['分区 Zones', '地块现状 Parcels by status', '地块用地分类 Parcels by land-use class']
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol, cast

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from zoning import gcj02, landuse
from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.park import Park
from zoning.summary import summarize_zones
from zoning.units import METRIC_CRS, WGS84, mu_from_m2, to_metric, to_wgs84

#: decimals kept in longitude/latitude: 1e-6° is 0.11 m north-south, 0.09 m east-west here
COORD_DECIMALS: Final = 6

# --------------------------------------------------------------------------- layer names
LAYER_CONTEXT: Final = "背景 Context (real data)"
LAYER_ZONES: Final = "分区 Zones"
LAYER_PARCELS_STATUS: Final = "地块现状 Parcels by status"
LAYER_PARCELS_LAND_USE: Final = "地块用地分类 Parcels by land-use class"
LAYER_CONSTRAINTS: Final = "限制区 Constraints"
LAYER_INFRASTRUCTURE: Final = "基础设施 Infrastructure"
LAYER_FIT: Final = "项目适配 Project fit"
LAYER_SITES: Final = "候选用地 Candidate sites"


def phase_layer_name(phase: int) -> str:
    """Name of the layer of one phase, as the layer control lists it.

    Examples
    --------
    >>> phase_layer_name(2)
    '第2期 Phase 2'
    """
    return f"第{phase}期 Phase {phase}"


# --------------------------------------------------------------------------- labels
STATUS_LABELS: Final[dict[str, str]] = {
    s.ParcelStatus.DEVELOPED: "已建 developed",
    s.ParcelStatus.COMMITTED: "已供地 committed",
    s.ParcelStatus.VACANT: "空闲 vacant",
    s.ParcelStatus.PROTECTED: "保护 protected",
}
VERDICT_LABELS: Final[dict[str, str]] = {
    s.Verdict.FITS: "符合 fits",
    s.Verdict.CONDITIONAL: "有条件符合 conditional",
    s.Verdict.DOES_NOT_FIT: "不符合 does not fit",
    s.Verdict.ERROR: "输入有误 input error",
}
FINDING_LABELS: Final[dict[str, str]] = {
    s.FindingStatus.FAIL: "✗ 不通过 fail",
    s.FindingStatus.WARN: "⚠ 注意 warning",
    s.FindingStatus.PASS: "✓ 通过 pass",
}
CONSTRAINT_LABELS: Final[dict[str, str]] = {
    s.ConstraintKind.RIVER_SETBACK: "河道退让 river setback",
    s.ConstraintKind.ECOLOGICAL_PROTECTION: "生态保护 ecological protection",
    s.ConstraintKind.NO_BUILD: "禁建 no-build",
    s.ConstraintKind.SENSITIVE_AREA: "敏感区 sensitive area",
}
INFRASTRUCTURE_LABELS: Final[dict[str, str]] = {
    s.InfrastructureKind.ROAD: "道路 road",
    s.InfrastructureKind.WATER_MAIN: "给水干管 water main",
    s.InfrastructureKind.POWER_LINE: "电力线 power line",
    s.InfrastructureKind.GAS_MAIN: "燃气干管 gas main",
    s.InfrastructureKind.WASTEWATER_PLANT: "污水处理厂 wastewater plant",
    s.InfrastructureKind.SUBSTATION: "变电站 substation",
}
INFRASTRUCTURE_STATUS_LABELS: Final[dict[str, str]] = {
    s.InfrastructureStatus.BUILT: "已建 built",
    s.InfrastructureStatus.PLANNED: "规划 planned",
}
DEVELOPMENT_MODE_LABELS: Final[dict[str, str]] = {
    s.DevelopmentMode.PRIORITY_CONTIGUOUS: (
        "重点区域优先连片开发 key area, developed first and contiguously"
    ),
    s.DevelopmentMode.MAINTAIN_CURRENT: "短期维持现状功能 keeps its current use for now",
}

# --------------------------------------------------------------------------- colours
#: zone colours, in priority order (ColorBrewer Dark2, colour-blind safe for 4-6 classes)
ZONE_COLOURS: Final = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
)
#: parcel status: vacant land is white ("free"), so that it clashes neither with the
#: verdict traffic lights nor with the phase ramp drawn over it
STATUS_COLOURS: Final[dict[str, str]] = {
    s.ParcelStatus.DEVELOPED: "#8c8c8c",
    s.ParcelStatus.COMMITTED: "#c8a27a",
    s.ParcelStatus.VACANT: "#ffffff",
    s.ParcelStatus.PROTECTED: "#3cb44b",
}
VERDICT_COLOURS: Final[dict[str, str]] = {
    s.Verdict.FITS: "#1a9850",
    s.Verdict.CONDITIONAL: "#fdae61",
    s.Verdict.DOES_NOT_FIT: "#d73027",
    s.Verdict.ERROR: "#7b3294",
}
CONSTRAINT_COLOURS: Final[dict[str, str]] = {
    s.ConstraintKind.RIVER_SETBACK: "#2171b5",
    s.ConstraintKind.ECOLOGICAL_PROTECTION: "#006d2c",
    s.ConstraintKind.NO_BUILD: "#cb181d",
    s.ConstraintKind.SENSITIVE_AREA: "#6a51a3",
}
INFRASTRUCTURE_COLOURS: Final[dict[str, str]] = {
    s.InfrastructureKind.ROAD: "#404040",
    s.InfrastructureKind.WATER_MAIN: "#0570b0",
    s.InfrastructureKind.POWER_LINE: "#e31a1c",
    s.InfrastructureKind.GAS_MAIN: "#ec7014",
    s.InfrastructureKind.WASTEWATER_PLANT: "#225ea8",
    s.InfrastructureKind.SUBSTATION: "#bd0026",
}
#: land-use colours by class prefix, longest prefix wins; close to the customary planning
#: palette (residential yellow, commercial red, industrial brown, storage purple, green green)
LAND_USE_COLOURS: Final[dict[str, str]] = {
    "07": "#ffff2d",
    "08": "#ff7fbf",
    "09": "#ff2d2d",
    "10": "#bb9674",
    "100101": "#d9bfa0",
    "100102": "#bb9674",
    "100103": "#8c6239",
    "11": "#8761d3",
    "12": "#a3a3a3",
    "13": "#0063ff",
    "14": "#30c030",
    "16": "#ffffff",
    "23": "#e0e0c0",
}
UNKNOWN_COLOUR: Final = "#bdbdbd"
#: context kinds drawn as power stations (dark dots); other points are towns (white dots)
CONTEXT_PLANT_KINDS: Final = frozenset({"coal_power_plant", "power_plant", "power_station"})
#: phase ramp (viridis, dark to light): phase 1 is the darkest
PHASE_RAMP: Final = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
#: candidate-site outlines by rank, best strongest: a hot pink that no phase, verdict or status
#: colour comes near; later ranks reuse the last
SITE_RANK_COLOURS: Final = ("#ff0090", "#ff5cb8", "#ffa3d7")

#: spacing, metres, of projects without a site drawn around their best zone's point
PROJECT_SPACING_M: Final = 110.0
GOLDEN_ANGLE: Final = np.pi * (3.0 - np.sqrt(5.0))
#: radius in pixels of point features
POINT_RADIUS_PX: Final = 7
#: map pane of point features, above every polygon and line (overlayPane is at 400)
POINT_PANE: Final = "zoning-points"

# --------------------------------------------------------------------------- tiles
OSM_MAX_ZOOM: Final = 19
TIANDITU_URL: Final = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
TIANDITU_ATTRIBUTION: Final = "© 天地图 Tianditu (国家地理信息公共服务平台), GS(2024)0568号"
AMAP_URL: Final = (
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}"
)
AMAP_ATTRIBUTION: Final = "© 高德地图 AutoNavi (GCJ-02; overlays shifted to match)"
CHINA_TILES_MAX_ZOOM: Final = 18

#: folium's default stylesheets that these maps do not use (Bootstrap 3 glyphicons and
#: rotated awesome-markers): left out so the page loads nothing it does not need
UNUSED_DEFAULT_CSS: Final = frozenset({"glyphicons_css", "awesome_rotate_css"})

# --------------------------------------------------------------------------- properties
# keys of the GeoJSON properties written for tooltips and popups
_TIP: Final = "tip"
_POPUP: Final = "popup"
_KEY: Final = "key"

_CSS: Final = """
<style>
.zoning-box{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:5px;
 box-shadow:0 1px 5px rgba(0,0,0,.4);font:12px/1.35 "Noto Sans CJK SC","Microsoft YaHei",
 "PingFang SC",sans-serif;max-width:330px}
.zoning-box h4{margin:0 0 3px;font-size:14px;font-weight:600}
.zoning-legend{max-height:calc(100vh - 230px);overflow-y:auto}
.zoning-legend summary{font-weight:600;cursor:pointer;margin-top:3px}
.zoning-legend i{display:inline-block;width:14px;height:11px;margin-right:5px;
 vertical-align:-1px;border:1px solid rgba(0,0,0,.45)}
.zoning-legend i.line{height:0;border-width:2px 0 0;border-style:solid;vertical-align:3px}
.zoning-legend i.dot{border-radius:50%;width:11px}
.zoning-notice .warn{color:#8a4b00;font-weight:600}
.zoning-notice details{margin-top:3px;max-height:30vh;overflow-y:auto}
.zoning-pop{font:12px/1.4 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:360px}
.zoning-pop h4{margin:0 0 4px;font-size:13px;font-weight:700}
.zoning-pop table{border-collapse:collapse}
.zoning-pop th{text-align:left;padding:1px 8px 1px 0;font-weight:600;vertical-align:top;
 white-space:nowrap}
.zoning-pop td{padding:1px 0;vertical-align:top}
.zoning-pop ul{margin:2px 0 0;padding-left:16px}
.zoning-pop li{margin-bottom:3px}
.zoning-pop .src{color:#555;font-size:11px}
.leaflet-control-attribution{max-width:62vw;font-size:10px}
.leaflet-control-layers{font-size:13px}
.leaflet-control-layers-overlays label{margin-bottom:1px}
</style>
"""


class _HasParcels(Protocol):
    """What the map needs of a phase plan: its parcels with an Int64 ``phase`` column."""

    @property
    def parcels(self) -> gpd.GeoDataFrame: ...


class _HtmlControl(MacroElement):
    """A Leaflet control holding a block of (already escaped) HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.class_name|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str, class_name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.class_name = class_name


class _VectorMiniMap(folium.plugins.MiniMap):
    """A mini-map drawing a few outlines instead of tiles, for maps without a basemap."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = L.geoJson({{ this.data|tojson }}, {
                style: function (f) { return f.properties.style; },
                interactive: false
            });
            var {{ this.get_name() }} = new L.Control.MiniMap(
                {{ this.get_name() }}_layer,
                {{ this.options|tojavascript }}
            );
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.data = data


@dataclass(frozen=True)
class _Display:
    """How layers are turned into map coordinates (WGS84, or GCJ-02 for Amap tiles)."""

    gcj02: bool

    def geometries(self, gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
        """Return the geometries in display coordinates, rounded to :data:`COORD_DECIMALS`."""
        shown = gcj02.to_gcj02(gdf) if self.gcj02 else to_wgs84(gdf)
        rounded = shapely.transform(
            shown.geometry.to_numpy(), lambda xy: np.round(xy, COORD_DECIMALS)
        )
        return gpd.GeoSeries(rounded, index=gdf.index, crs=WGS84)


# --------------------------------------------------------------------------- text helpers
def _esc(value: object) -> str:
    """Escape a value for HTML; missing values become an empty string."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def _num(value: object, *, decimals: int = 1) -> str:
    """Format a number with thousands separators, or escape whatever else it is."""
    if isinstance(value, bool):
        return _esc(value)
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return f"{float(value):,.{decimals}f}"
    if isinstance(value, list | tuple):
        return ", ".join(_num(v, decimals=decimals) for v in value)
    return _esc(value)


def _label(table: Mapping[str, str], value: object) -> str:
    """Return the escaped bilingual label of a categorical value (the value when unknown)."""
    return html.escape(table.get(str(value), str(value)))


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    """Return a table of (escaped header, escaped value) rows, skipping empty values."""
    body = "".join(f"<tr><th>{h}</th><td>{v}</td></tr>" for h, v in rows if v)
    return f"<table>{body}</table>"


def _popup(title: str, rows: Iterable[tuple[str, str]], extra: str = "") -> str:
    return f'<div class="zoning-pop"><h4>{title}</h4>{_rows(rows)}{extra}</div>'


def _colour_for_land_use(code: str) -> str:
    for length in (6, 4, 2):
        colour = LAND_USE_COLOURS.get(code[:length]) if len(code) >= length else None
        if colour is not None:
            return colour
    return UNKNOWN_COLOUR


def _interpolate_colour(ramp: Sequence[str], t: float) -> str:
    """Colour at ``t`` in [0, 1] along a ramp of hex colours."""
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in ramp], dtype=float)
    pos = np.clip(t, 0.0, 1.0) * (len(ramp) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(ramp) - 1)
    mixed = rgb[lo] + (rgb[hi] - rgb[lo]) * (pos - lo)
    return "#" + "".join(f"{round(v):02x}" for v in mixed)


def phase_colours(n_phases: int) -> list[str]:
    """Colours of phases 1..n, dark to light along the viridis ramp.

    Examples
    --------
    >>> phase_colours(3)
    ['#440154', '#21918c', '#fde725']
    """
    if n_phases <= 1:
        return [PHASE_RAMP[0]] * max(n_phases, 0)
    return [_interpolate_colour(PHASE_RAMP, i / (n_phases - 1)) for i in range(n_phases)]


# --------------------------------------------------------------------------- GeoJSON
def _feature_collection(geometries: gpd.GeoSeries, properties: pd.DataFrame) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of display geometries and (string) properties.

    Features with a missing or empty geometry are left out: there is nothing to draw.
    """
    keep = ~(geometries.isna() | geometries.is_empty).to_numpy()
    frame = gpd.GeoDataFrame(
        properties.loc[keep].reset_index(drop=True),
        geometry=geometries.loc[keep].reset_index(drop=True),
        crs=WGS84,
    )
    collection: dict[str, Any] = frame.to_geo_dict(drop_id=True)
    return collection


def _add_geojson(
    group: folium.FeatureGroup,
    geometries: gpd.GeoSeries,
    properties: pd.DataFrame,
    style: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    tooltip: folium.GeoJsonTooltip | None,
    popup: folium.GeoJsonPopup | None,
    name: str,
    highlight: bool = True,
    attribution: str | None = None,
) -> int:
    """Add one GeoJson layer to ``group``; return the number of features drawn."""
    data = _feature_collection(geometries, properties)
    if not data["features"]:
        return 0
    extra: dict[str, Any] = {"attribution": attribution} if attribution else {}
    folium.GeoJson(
        data,
        name=name,
        style_function=style,
        highlight_function=_highlight if highlight else None,
        tooltip=tooltip,
        popup=popup,
        marker=folium.CircleMarker(radius=POINT_RADIUS_PX, fill=True),
        smooth_factor=0.5,
        control=False,
        **extra,
    ).add_to(group)
    return len(data["features"])


def _highlight(_feature: dict[str, Any]) -> dict[str, Any]:
    return {"weight": 4, "fillOpacity": 0.75}


def _tooltip() -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=[_TIP], labels=False, sticky=True)


def _html_popup() -> folium.GeoJsonPopup:
    return folium.GeoJsonPopup(fields=[_POPUP], labels=False, max_width=380)


# --------------------------------------------------------------------------- validation
def _find_result_issues(results: gpd.GeoDataFrame) -> list[Problem]:
    needed = (s.PROJECT_ID, s.NAME, s.ZONE_ID, s.VERDICT, s.FINDINGS, s.BEST)
    missing = [c for c in needed if c not in results.columns]
    problems = []
    if missing:
        problems.append(
            Problem(
                "results",
                f"missing columns: {', '.join(missing)}",
                expected=f"the frame zoning.check returns, with columns {', '.join(needed)}",
                fix="pass the output of zoning.check(park, projects)",
            )
        )
    if not isinstance(results, gpd.GeoDataFrame) or results.crs is None:
        problems.append(
            Problem(
                "results",
                "not a GeoDataFrame with a CRS",
                expected="a GeoDataFrame in EPSG:4543 (site polygons or None)",
                fix="pass the output of zoning.check(park, projects)",
            )
        )
    return problems


def _find_site_issues(sites: gpd.GeoDataFrame) -> list[Problem]:
    needed = (s.PROJECT_ID, s.ZONE_ID, s.RANK, s.PARCEL_IDS, s.CANDIDATE_MU, s.REASON)
    missing = [c for c in needed if c not in sites.columns]
    problems = []
    if missing:
        problems.append(
            Problem(
                "sites",
                f"missing columns: {', '.join(missing)}",
                expected=f"the frame zoning.siting.propose_sites returns, with columns "
                f"{', '.join(needed)}",
                fix="pass the output of propose_sites(park, results)",
            )
        )
    if not isinstance(sites, gpd.GeoDataFrame) or sites.crs is None:
        problems.append(
            Problem(
                "sites",
                "not a GeoDataFrame with a CRS",
                expected="a GeoDataFrame in EPSG:4543 (the candidates' polygons)",
                fix="pass the output of propose_sites(park, results)",
            )
        )
    return problems


def _find_plan_issues(plan: object) -> list[Problem]:
    parcels = getattr(plan, "parcels", None)
    if not isinstance(parcels, gpd.GeoDataFrame):
        return [
            Problem(
                "plan",
                "the plan has no parcels GeoDataFrame",
                expected="a PhasePlan from zoning.sequence, with .parcels",
                fix="pass the output of zoning.sequence(park, quota_mu=...)",
            )
        ]
    missing = [c for c in (s.PARCEL_ID, s.PHASE) if c not in parcels.columns]
    if missing:
        return [
            Problem(
                "plan.parcels",
                f"missing columns: {', '.join(missing)}",
                expected="parcel_id and an Int64 phase column (<NA> = not opened)",
                fix="pass the output of zoning.sequence(park, quota_mu=...)",
            )
        ]
    if parcels.crs is None:
        return [Problem("plan.parcels", "no CRS", expected="parcels in EPSG:4543")]
    return []


def _resolve_basemap(basemap: str | s.Basemap, tianditu_key: str | None) -> tuple[s.Basemap, str]:
    try:
        chosen = s.Basemap(str(basemap).strip().lower())
    except ValueError:
        raise InputError(
            "cannot make the map",
            [
                Problem(
                    "basemap",
                    f"unknown basemap {basemap!r}",
                    expected=f"one of {', '.join(b.value for b in s.Basemap)}",
                )
            ],
        ) from None
    key = ""
    if chosen is s.Basemap.TIANDITU:
        key = (tianditu_key or os.environ.get(s.TIANDITU_KEY_ENV, "")).strip()
        if not key:
            raise InputError(
                "cannot make the map",
                [
                    Problem(
                        "basemap",
                        "the Tianditu (天地图) basemap needs a key, and none was given",
                        expected=f"a browser key in the environment variable {s.TIANDITU_KEY_ENV}",
                        fix=f"get a key at console.tianditu.gov.cn and run "
                        f"`export {s.TIANDITU_KEY_ENV}=...`, or use --basemap osm",
                    )
                ],
            )
        if any(ch.isspace() or ch in "&?#/<>\"'" for ch in key):
            raise InputError(
                "cannot make the map",
                [
                    Problem(
                        "basemap",
                        "the Tianditu key has characters a key never has",
                        expected="the 32 hexadecimal characters of a Tianditu key",
                        fix=f"check {s.TIANDITU_KEY_ENV}",
                    )
                ],
            )
    return chosen, key


# --------------------------------------------------------------------------- the map
def make_map(
    park: Park,
    *,
    results: gpd.GeoDataFrame | None = None,
    plan: _HasParcels | None = None,
    sites: gpd.GeoDataFrame | None = None,
    basemap: str | s.Basemap = s.Basemap.OSM,
    tianditu_key: str | None = None,
) -> folium.Map:
    """Draw a park, and optionally fit results, a phase plan and candidate sites, on a map.

    Parameters
    ----------
    park
        The park to draw.
    results
        Output of :func:`zoning.check`: one row per (project, zone) with ``verdict``,
        ``findings``, ``best`` and the site polygon (or None). Each project is drawn once,
        from its best row: at its site, or near its best zone's representative point.
    plan
        Output of :func:`zoning.sequence`: its ``parcels`` carry an Int64 ``phase``
        (<NA> = not opened). One layer per phase.
    sites
        Output of :func:`zoning.siting.propose_sites`: ranked candidate sites for the
        projects without one, drawn as dashed outlines coloured by rank in one layer (left
        out when there is no candidate). Project names are taken from ``results`` when given.
    basemap
        ``osm`` (default), ``tianditu``, ``amap`` (overlays shifted to GCJ-02) or ``none``.
    tianditu_key
        Tianditu browser key; default: the ``ZONING_TIANDITU_KEY`` environment variable.
        It ends up in the HTML, as any browser key does: use a key restricted to your
        domain.

    Returns
    -------
    folium.Map
        The map; write it with :func:`zoning.io.maps.write_map`.

    Raises
    ------
    InputError
        For an unknown basemap, a Tianditu basemap without a key, or results, a plan or
        sites that lack the columns the map needs.

    Examples
    --------
    >>> import zoning
    >>> m = make_map(zoning.load_park(), basemap="none")
    >>> LAYER_ZONES in layer_names(m)
    True
    """
    chosen, key = _resolve_basemap(basemap, tianditu_key)
    problems: list[Problem] = []
    if results is not None:
        problems += _find_result_issues(results)
    if plan is not None:
        problems += _find_plan_issues(plan)
    if sites is not None:
        problems += _find_site_issues(sites)
    if problems:
        raise InputError("cannot make the map", problems)

    display = _Display(gcj02=chosen is s.Basemap.AMAP)
    extent = display.geometries(pd.concat([park.zones[["geometry"]], park.parcels[["geometry"]]]))
    minx, miny, maxx, maxy = extent.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=14,
        tiles=None,
        control_scale=True,
        max_zoom=OSM_MAX_ZOOM,
    )
    m.default_css = [pair for pair in m.default_css if pair[0] not in UNUSED_DEFAULT_CSS]
    root = cast(Figure, m.get_root())
    root.header.add_child(folium.Element(_CSS), name="zoning_css")
    _add_basemap(m, chosen, key)
    folium.map.CustomPane(POINT_PANE, z_index=450, pointer_events=True).add_to(m)

    legend: list[str] = []
    _add_context(m, park, display, legend)
    _add_zones(m, park, display, legend)
    _add_parcels(m, park, display, legend)
    _add_constraints(m, park, display, legend)
    _add_infrastructure(m, park, display, legend)
    if plan is not None:
        _add_phases(m, park, plan.parcels, display, legend)
    if sites is not None:
        _add_sites(m, sites, results, display, legend)
    if results is not None:
        _add_results(m, park, results, display, legend)

    m.add_child(
        _HtmlControl(_title_html(park), position="topright", class_name="zoning-box zoning-notice")
    )
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.add_child(
        _HtmlControl(
            '<div class="zoning-legend">' + "".join(legend) + "</div>",
            position="bottomleft",
            class_name="zoning-box",
        )
    )
    folium.plugins.Fullscreen(  # type: ignore[no-untyped-call]
        position="topleft", title="全屏 Full screen", title_cancel="退出全屏 Exit full screen"
    ).add_to(m)
    folium.plugins.MeasureControl(  # type: ignore[no-untyped-call]
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="mu",
        secondary_area_unit="hectares",
        units={"mu": {"factor": 0.0015, "display": "亩 mu", "decimals": 1}},
    ).add_to(m)
    _add_minimap(m, park, chosen, key, display)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def layer_names(m: folium.Map) -> list[str]:
    """Names of the overlay layers of a map made by :func:`make_map`, in drawing order."""
    return [
        child.layer_name
        for child in m._children.values()
        if isinstance(child, folium.FeatureGroup) and child.control
    ]


# --------------------------------------------------------------------------- basemaps
def _add_basemap(m: folium.Map, basemap: s.Basemap, key: str) -> None:
    if basemap is s.Basemap.OSM:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=OSM_MAX_ZOOM).add_to(m)
    elif basemap is s.Basemap.TIANDITU:
        for layer, name, overlay in (("vec", "天地图 Tianditu", False), ("cva", "注记", True)):
            folium.TileLayer(
                tiles=TIANDITU_URL.replace("{layer}", layer).replace("{key}", key),
                attr=TIANDITU_ATTRIBUTION,
                name=name,
                subdomains="01234567",
                max_zoom=CHINA_TILES_MAX_ZOOM,
                overlay=overlay,
                control=not overlay,
            ).add_to(m)
    elif basemap is s.Basemap.AMAP:
        folium.TileLayer(
            tiles=AMAP_URL,
            attr=AMAP_ATTRIBUTION,
            name="高德 Amap",
            subdomains="1234",
            max_zoom=CHINA_TILES_MAX_ZOOM,
        ).add_to(m)


def _add_minimap(
    m: folium.Map, park: Park, basemap: s.Basemap, key: str, display: _Display
) -> None:
    options: dict[str, Any] = {
        "position": "bottomright",
        "toggle_display": True,
        "zoom_level_offset": -4,
        "width": 140,
        "height": 140,
    }
    if basemap is s.Basemap.OSM:
        folium.plugins.MiniMap(tile_layer="OpenStreetMap", **options).add_to(m)  # type: ignore[no-untyped-call]
        return
    if basemap is s.Basemap.TIANDITU:
        tiles = TIANDITU_URL.replace("{layer}", "vec").replace("{key}", key)
        folium.plugins.MiniMap(  # type: ignore[no-untyped-call]
            tile_layer=folium.TileLayer(
                tiles=tiles, attr=TIANDITU_ATTRIBUTION, subdomains="01234567"
            ),
            **options,
        ).add_to(m)
        return
    if basemap is s.Basemap.AMAP:
        folium.plugins.MiniMap(  # type: ignore[no-untyped-call]
            tile_layer=folium.TileLayer(tiles=AMAP_URL, attr=AMAP_ATTRIBUTION, subdomains="1234"),
            **options,
        ).add_to(m)
        return
    # no tiles: outline the county and the zones, simplified to 20 m
    county = park.context[park.context.geom_type.isin(["Polygon", "MultiPolygon"])]
    parts = [
        (county, "#555555", 0.0),
        (park.zones, "#1b9e77", 0.5),
    ]
    features: list[dict[str, Any]] = []
    for gdf, colour, fill in parts:
        if gdf.empty:
            continue
        simple = gdf[["geometry"]].copy()
        simple["geometry"] = to_metric(gdf).geometry.simplify(20.0).to_numpy()
        simple = simple.set_crs(METRIC_CRS, allow_override=True)
        style = {"color": colour, "weight": 1, "fill": fill > 0, "fillOpacity": fill}
        props = pd.DataFrame({"style": [style] * len(simple)})
        features += _feature_collection(display.geometries(simple), props)["features"]
    _VectorMiniMap({"type": "FeatureCollection", "features": features}, **options).add_to(m)


# --------------------------------------------------------------------------- layers
def _add_context(m: folium.Map, park: Park, display: _Display, legend: list[str]) -> None:
    ctx = park.context
    if ctx.empty:
        return
    group = folium.FeatureGroup(name=LAYER_CONTEXT)
    props = pd.DataFrame(
        {
            _KEY: ctx[s.KIND].astype(str).to_numpy(),
            _TIP: [_esc(v) for v in ctx[s.NAME]],
            _POPUP: [
                _popup(
                    _esc(row[s.NAME]),
                    [
                        ("类型 Kind", _esc(row[s.KIND])),
                        ("精度 Accuracy", _esc(row.get(s.ACCURACY))),
                        ("来源 Source", _esc(row[s.SOURCE])),
                        ("许可 Licence", _esc(row[s.LICENCE])),
                    ],
                )
                for _, row in ctx.iterrows()
            ],
        }
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        polygonal = feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        if polygonal:
            return {"color": "#4d4d4d", "weight": 2, "dashArray": "8 4", "fill": False}
        plant = feature["properties"][_KEY] in CONTEXT_PLANT_KINDS
        return {
            "color": "#ffffff" if plant else "#000000",
            "weight": 1.5,
            "fill": True,
            "fillColor": "#252525" if plant else "#ffffff",
            "fillOpacity": 1.0,
            "radius": 6 if plant else 5,
            "pane": POINT_PANE,
        }

    _add_geojson(
        group,
        display.geometries(ctx),
        props,
        style,
        tooltip=_tooltip(),
        popup=_html_popup(),
        name="context",
        highlight=False,
        attribution=context_attribution(ctx),
    )
    group.add_to(m)
    legend.append(
        _legend_section(
            LAYER_CONTEXT,
            [
                (
                    '<i class="line" style="border-color:#4d4d4d;border-top-style:dashed"></i>',
                    "县界 county boundary",
                ),
                ('<i class="dot" style="background:#252525"></i>', "电厂 power station"),
                ('<i class="dot" style="background:#ffffff"></i>', "城镇 town or city"),
            ],
            open_=False,
        )
    )


def context_attribution(context: gpd.GeoDataFrame) -> str:
    """Return the attribution line crediting the real context data, as escaped HTML.

    One entry per licence, naming the first source published under it.

    Examples
    --------
    >>> ctx = gpd.GeoDataFrame({"source": ["GEM", "GEM wiki", "Natural Earth"],
    ...     "licence": ["CC BY 4.0", "CC BY 4.0", "public domain"]}, geometry=[None] * 3)
    >>> context_attribution(ctx)
    '真实数据 Real data: GEM (CC BY 4.0) · Natural Earth (public domain)'
    """
    first_source: dict[str, str] = {}
    for source, licence in zip(context[s.SOURCE], context[s.LICENCE], strict=True):
        # the name of the source, without commit ids, paths or asides (popups have them all)
        short = re.split(r" @| \(| / |; ", str(source), maxsplit=1)[0]
        first_source.setdefault(str(licence), short)
    credits = [f"{_esc(src)} ({_esc(lic)})" for lic, src in first_source.items()]
    return "真实数据 Real data: " + " · ".join(credits)


def _zone_colours(zones: gpd.GeoDataFrame) -> dict[str, str]:
    ordered = zones.sort_values([s.PRIORITY, s.ZONE_ID])[s.ZONE_ID].astype(str)
    return {z: ZONE_COLOURS[i % len(ZONE_COLOURS)] for i, z in enumerate(ordered)}


def _industries_text(park: Park, prefixes: Sequence[str]) -> str:
    """Prefixes with the catalogue industries they cover, escaped."""
    parts = []
    for prefix in prefixes:
        names = [
            f"{i.name_zh} {i.name_en}"
            for i in park.rulebook.industries
            if i.code.startswith(prefix)
        ]
        shown = "; ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
        parts.append(f"<b>{_esc(prefix)}</b> {_esc(shown)}" if shown else f"<b>{_esc(prefix)}</b>")
    return "<br>".join(parts)


def _add_zones(m: folium.Map, park: Park, display: _Display, legend: list[str]) -> None:
    zones = park.zones
    colours = _zone_colours(zones)
    vacant_mu = summarize_zones(park)[f"{s.ParcelStatus.VACANT}_mu"].astype(float)
    popups = []
    for _, row in zones.iterrows():
        zone_id = str(row[s.ZONE_ID])
        vacant = float(vacant_mu.get(zone_id, 0.0))
        popups.append(
            _popup(
                f"{_esc(row[s.NAME_ZH])} {_esc(row[s.NAME_EN])}",
                [
                    ("分区 Zone", _esc(zone_id)),
                    (
                        "功能 Purpose",
                        "<br>".join(
                            v
                            for v in (_esc(row.get(s.PURPOSE_ZH)), _esc(row.get(s.PURPOSE_EN)))
                            if v
                        ),
                    ),
                    ("允许产业 Permitted", _industries_text(park, row[s.PERMITTED])),
                    ("有条件 Conditional", _industries_text(park, row[s.CONDITIONAL])),
                    ("禁止 Prohibited", _esc(", ".join(row[s.PROHIBITED]))),
                    (
                        "最高工业类别 Max industrial class",
                        _esc(landuse.label(str(row[s.MAX_INDUSTRIAL_CLASS]))),
                    ),
                    ("优先级 Priority", _num(int(row[s.PRIORITY]))),
                    (
                        "开发方式 Development mode",
                        _label(DEVELOPMENT_MODE_LABELS, row[s.DEVELOPMENT_MODE]),
                    ),
                    ("总面积 Total", f"{_num(float(row[s.AREA_MU]), decimals=0)} 亩 mu"),
                    ("空闲 Vacant", f"{_num(float(vacant), decimals=0)} 亩 mu"),
                ],
            )
        )
    props = pd.DataFrame(
        {
            _KEY: zones[s.ZONE_ID].astype(str).to_numpy(),
            _TIP: [
                f"{_esc(zh)}<br>{_esc(en)}"
                for zh, en in zip(zones[s.NAME_ZH], zones[s.NAME_EN], strict=True)
            ],
            _POPUP: popups,
        }
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = colours.get(feature["properties"][_KEY], UNKNOWN_COLOUR)
        return {"color": colour, "weight": 3, "fillColor": colour, "fillOpacity": 0.12}

    group = folium.FeatureGroup(name=LAYER_ZONES)
    _add_geojson(
        group,
        display.geometries(zones),
        props,
        style,
        tooltip=_tooltip(),
        popup=_html_popup(),
        name="zones",
        highlight=False,
    )
    group.add_to(m)
    legend.append(
        _legend_section(
            LAYER_ZONES,
            [
                (
                    f'<i style="background:{colours[str(z)]};opacity:.8"></i>',
                    f"{_esc(zh)} {_esc(en)}",
                )
                for z, zh, en in zones.sort_values([s.PRIORITY, s.ZONE_ID])[
                    [s.ZONE_ID, s.NAME_ZH, s.NAME_EN]
                ].itertuples(index=False)
            ],
        )
    )


# keys of the lean parcel properties (the parcel layers are most of a map's weight)
_P_ID: Final = "i"
_P_STATUS: Final = "k"
_P_CODE: Final = "c"
_P_AREA: Final = "a"
_P_ZONE: Final = "z"
_P_OCCUPANT: Final = "o"


def _js_string(text: str) -> str:
    """Return ``text`` as a JavaScript string literal that is safe inside a script element."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


def _lean_binder(
    name: str,
    *,
    styles: Mapping[str, Mapping[str, Any]],
    style_key: str | None,
    labels: Mapping[str, Mapping[str, str]],
    tooltip: str,
    popup: str | None = None,
    weight: float,
) -> JsCode:
    """JavaScript that styles a feature and binds its tooltip and popup from short properties.

    Used for the parcel and phase layers: the per-feature properties hold only short,
    already escaped values (:data:`_P_ID`, ...); the style tables and bilingual labels are
    written once per layer instead of once per feature. ``tooltip`` and ``popup`` are
    JavaScript expressions over ``p`` (the properties) and ``L`` (the label tables) that
    concatenate escaped values only.
    """
    tables = _js_string(json.dumps({"S": styles, "L": labels}, ensure_ascii=False))
    style = 'S[""]' if style_key is None else f'g(S, p.{style_key}, S[""])'
    bind_popup = f"layer.bindPopup({popup}, {{maxWidth: 380}});" if popup else ""
    return JsCode(
        f"""function (feature, layer) {{
    var T = window.{name} || (window.{name} = JSON.parse({tables}));
    var S = T.S, L = T.L, p = feature.properties;
    var g = function (table, key, otherwise) {{
        if (Object.prototype.hasOwnProperty.call(table, key)) return table[key];
        return otherwise === undefined ? key : otherwise;
    }};
    layer.setStyle({style});
    layer.bindTooltip({tooltip}, {{sticky: true}});
    {bind_popup}
    layer.on({{
        mouseover: function (e) {{ e.target.setStyle({{weight: {weight * 3}}}); }},
        mouseout: function (e) {{ e.target.setStyle({{weight: {weight}}}); }}
    }});
}}"""
    )


def _add_lean_geojson(
    group: folium.FeatureGroup,
    geometries: gpd.GeoSeries,
    properties: pd.DataFrame,
    binder: JsCode,
    *,
    name: str,
) -> folium.GeoJson | None:
    data = _feature_collection(geometries, properties)
    if not data["features"]:
        return None
    layer = folium.GeoJson(
        data, name=name, on_each_feature=binder, smooth_factor=0.5, control=False
    )
    layer.add_to(group)
    return layer


class _DerivedGeoJson(MacroElement):
    """A second view of a GeoJson layer's features, drawn from the same data in the page.

    The parcels by land-use class are the parcels by status, styled differently: instead of
    writing every parcel's geometry twice, the page builds this layer from the other one
    (``toGeoJSON``, 6 decimals as written), which halves the weight of the parcels.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJson(
                {{ this.source.get_name() }}.toGeoJSON({{ this.decimals }}),
                {onEachFeature: {{ this.binder }}, smoothFactor: 0.5}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, source: folium.GeoJson, binder: JsCode) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "DerivedGeoJson"
        self.source = source
        self.binder = binder
        self.decimals = COORD_DECIMALS


def _parcel_properties(parcels: gpd.GeoDataFrame, area_mu: Sequence[float]) -> pd.DataFrame:
    """Short, escaped properties of parcels: id, status, land-use code, area, zone, occupant."""
    occupant = parcels[s.OCCUPANT] if s.OCCUPANT in parcels.columns else [""] * len(parcels)
    zone = parcels[s.ZONE_ID] if s.ZONE_ID in parcels.columns else [""] * len(parcels)
    return pd.DataFrame(
        {
            _P_ID: [_esc(v) for v in parcels[s.PARCEL_ID]],
            _P_STATUS: [_esc(v) for v in parcels[s.STATUS]],
            _P_CODE: [_esc(v) for v in parcels[s.LAND_USE_CODE]],
            _P_AREA: [f"{float(mu):,.1f}" for mu in area_mu],
            _P_ZONE: [_esc(v) for v in zone],
            _P_OCCUPANT: [_esc(v) for v in occupant],
        }
    )


def _parcel_popup_js(title: str) -> str:
    """JavaScript expression of a parcel's popup (over ``p`` and ``L``)."""

    def row(header: str, value: str) -> str:
        return f"{_js_string(f'<tr><th>{header}</th><td>')} + {value} + {_js_string('</td></tr>')}"

    return " + ".join(
        [
            _js_string('<div class="zoning-pop"><h4>')
            + f" + {title} + "
            + _js_string("</h4><table>"),
            row("现状 Status", f"g(L.st, p.{_P_STATUS})"),
            row("用地 Land use", f"g(L.lu, p.{_P_CODE})"),
            row("面积 Area", f"p.{_P_AREA} + {_js_string(' 亩 mu')}"),
            row("分区 Zone", f"p.{_P_ZONE}"),
            f"(p.{_P_OCCUPANT} ? " + row("使用者 Occupant", f"p.{_P_OCCUPANT}") + ' : "")',
            _js_string("</table></div>"),
        ]
    )


def _add_parcels(m: folium.Map, park: Park, display: _Display, legend: list[str]) -> None:
    parcels = park.parcels
    if parcels.empty:
        return
    geometries = display.geometries(parcels)
    codes = sorted(set(parcels[s.LAND_USE_CODE].astype(str)))
    status = parcels[s.STATUS].astype(str)
    labels = {
        "st": {html.escape(k): html.escape(v) for k, v in STATUS_LABELS.items()},
        "lu": {html.escape(c): _esc(landuse.label(c)) for c in codes},
    }
    props = _parcel_properties(parcels, parcels[s.AREA_MU].to_numpy())
    tooltip = (
        f"p.{_P_ID} + ' · ' + g(L.st, p.{_P_STATUS}) + ' · ' + p.{_P_AREA}"
        f" + ' 亩 mu<br>' + g(L.lu, p.{_P_CODE})"
    )
    weight = 0.8
    status_styles = {
        html.escape(st): {
            "color": "#555555",
            "weight": weight,
            "fillColor": colour,
            "fillOpacity": 0.7,
        }
        for st, colour in STATUS_COLOURS.items()
    }
    status_styles[""] = {**status_styles[s.ParcelStatus.DEVELOPED], "fillColor": UNKNOWN_COLOUR}
    group = folium.FeatureGroup(name=LAYER_PARCELS_STATUS)
    status_layer = _add_lean_geojson(
        group,
        geometries,
        props,
        _lean_binder(
            "zoningParcelStatus",
            styles=status_styles,
            style_key=_P_STATUS,
            labels=labels,
            tooltip=tooltip,
            popup=_parcel_popup_js(f"p.{_P_ID}"),
            weight=weight,
        ),
        name="parcels",
    )
    group.add_to(m)
    legend.append(
        _legend_section(
            LAYER_PARCELS_STATUS,
            [
                (f'<i style="background:{STATUS_COLOURS[st]}"></i>', html.escape(STATUS_LABELS[st]))
                for st in s.ParcelStatus
                if (status == st).any()
            ],
        )
    )

    land_use_styles = {
        html.escape(c): {
            "color": "#555555",
            "weight": weight,
            "fillColor": _colour_for_land_use(c),
            "fillOpacity": 0.7,
        }
        for c in codes
    }
    land_use_styles[""] = {**next(iter(land_use_styles.values())), "fillColor": UNKNOWN_COLOUR}
    lu_group = folium.FeatureGroup(name=LAYER_PARCELS_LAND_USE, show=False)
    if status_layer is not None:
        _DerivedGeoJson(
            status_layer,
            _lean_binder(
                "zoningParcelLandUse",
                styles=land_use_styles,
                style_key=_P_CODE,
                labels=labels,
                tooltip=f"p.{_P_ID} + '<br>' + g(L.lu, p.{_P_CODE})",
                weight=weight,
            ),
        ).add_to(lu_group)
    lu_group.add_to(m)
    legend.append(
        _legend_section(
            LAYER_PARCELS_LAND_USE,
            [
                (f'<i style="background:{_colour_for_land_use(c)}"></i>', _esc(landuse.label(c)))
                for c in codes
            ],
            open_=False,
        )
    )


def _add_constraints(m: folium.Map, park: Park, display: _Display, legend: list[str]) -> None:
    cons = park.constraints
    if cons.empty:
        return
    props = pd.DataFrame(
        {
            _KEY: cons[s.KIND].astype(str).to_numpy(),
            _TIP: [
                f"{_label(CONSTRAINT_LABELS, k)}<br>{_esc(n)}"
                for k, n in zip(cons[s.KIND], cons[s.NAME], strict=True)
            ],
            _POPUP: [
                _popup(
                    _esc(row[s.NAME]),
                    [
                        ("类型 Kind", _label(CONSTRAINT_LABELS, row[s.KIND])),
                        ("来源 Source", _esc(row[s.SOURCE])),
                        ("说明 Note", _esc(row.get(s.NOTE))),
                    ],
                )
                for _, row in cons.iterrows()
            ],
        }
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = CONSTRAINT_COLOURS.get(feature["properties"][_KEY], UNKNOWN_COLOUR)
        return {
            "color": colour,
            "weight": 1.5,
            "dashArray": "5 3",
            "fillColor": colour,
            "fillOpacity": 0.25,
        }

    group = folium.FeatureGroup(name=LAYER_CONSTRAINTS)
    _add_geojson(
        group,
        display.geometries(cons),
        props,
        style,
        tooltip=_tooltip(),
        popup=_html_popup(),
        name="constraints",
        highlight=False,
    )
    group.add_to(m)
    kinds = set(cons[s.KIND].astype(str))
    legend.append(
        _legend_section(
            LAYER_CONSTRAINTS,
            [
                (
                    f'<i style="background:{CONSTRAINT_COLOURS[k]};opacity:.6"></i>',
                    html.escape(CONSTRAINT_LABELS[k]),
                )
                for k in s.ConstraintKind
                if k in kinds
            ],
        )
    )


def _add_infrastructure(m: folium.Map, park: Park, display: _Display, legend: list[str]) -> None:
    infra = park.infrastructure
    if infra.empty:
        return
    keys = [
        f"{k}|{st}"
        for k, st in zip(infra[s.KIND].astype(str), infra[s.STATUS].astype(str), strict=True)
    ]
    popups = []
    for _, row in infra.iterrows():
        capacity = row.get(s.CAPACITY)
        cap_text = (
            f"{_num(capacity, decimals=0)} {_esc(row.get(s.CAPACITY_UNIT))}"
            if pd.notna(capacity)
            else ""
        )
        width = row.get(s.WIDTH_M)
        popups.append(
            _popup(
                _esc(row[s.NAME]),
                [
                    ("类型 Kind", _label(INFRASTRUCTURE_LABELS, row[s.KIND])),
                    ("状态 Status", _label(INFRASTRUCTURE_STATUS_LABELS, row[s.STATUS])),
                    ("能力 Capacity", cap_text),
                    ("宽度 Width", f"{_num(width, decimals=0)} m" if pd.notna(width) else ""),
                    ("来源 Source", _esc(row[s.SOURCE])),
                ],
            )
        )
    props = pd.DataFrame(
        {
            _KEY: keys,
            _TIP: [
                f"{_esc(n)} · {_label(INFRASTRUCTURE_STATUS_LABELS, st)}"
                for n, st in zip(infra[s.NAME], infra[s.STATUS], strict=True)
            ],
            _POPUP: popups,
        }
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        kind, _, status = feature["properties"][_KEY].partition("|")
        colour = INFRASTRUCTURE_COLOURS.get(kind, UNKNOWN_COLOUR)
        if feature["geometry"]["type"] == "Point":
            return {
                "color": "#ffffff",
                "weight": 1.5,
                "fill": True,
                "fillColor": colour,
                "fillOpacity": 1.0,
                "radius": POINT_RADIUS_PX,
                "pane": POINT_PANE,
            }
        dash = "6 5" if status == s.InfrastructureStatus.PLANNED else None
        weight = 3.5 if kind == s.InfrastructureKind.ROAD else 2.5
        return {"color": colour, "weight": weight, "opacity": 0.85, "dashArray": dash}

    group = folium.FeatureGroup(name=LAYER_INFRASTRUCTURE)
    _add_geojson(
        group,
        display.geometries(infra),
        props,
        style,
        tooltip=_tooltip(),
        popup=_html_popup(),
        name="infrastructure",
        highlight=False,
    )
    group.add_to(m)
    present = set(infra[s.KIND].astype(str))
    entries = []
    for kind in s.InfrastructureKind:
        if kind not in present:
            continue
        colour = INFRASTRUCTURE_COLOURS[kind]
        swatch = (
            f'<i class="line" style="border-color:{colour}"></i>'
            if kind in s.LINEAR_INFRASTRUCTURE
            else f'<i class="dot" style="background:{colour}"></i>'
        )
        entries.append((swatch, html.escape(INFRASTRUCTURE_LABELS[kind])))
    if (infra[s.STATUS].astype(str) == s.InfrastructureStatus.PLANNED).any():
        entries.append(
            (
                '<i class="line" style="border-color:#404040;border-top-style:dashed"></i>',
                "规划 planned (dashed)",
            )
        )
    legend.append(_legend_section(LAYER_INFRASTRUCTURE, entries))


def _add_phases(
    m: folium.Map, park: Park, parcels: gpd.GeoDataFrame, display: _Display, legend: list[str]
) -> None:
    phase = pd.array(parcels[s.PHASE], dtype="Int64")
    opened = parcels.loc[~pd.isna(phase)].copy()
    opened[s.PHASE] = pd.array(opened[s.PHASE], dtype="Int64").astype(int)
    phases = sorted(int(p) for p in opened[s.PHASE].unique())
    colours = dict(zip(phases, phase_colours(len(phases)), strict=True))
    area_mu = mu_from_m2(to_metric(opened).geometry.area.to_numpy())
    props = _parcel_properties(opened, area_mu)
    labels = {
        "st": {html.escape(k): html.escape(v) for k, v in STATUS_LABELS.items()},
        "lu": {
            html.escape(c): _esc(landuse.label(c))
            for c in sorted(set(opened[s.LAND_USE_CODE].astype(str)))
        },
    }
    weight = 1.2
    entries = []
    for p in phases:
        in_phase = (opened[s.PHASE] == p).to_numpy()
        colour = colours[p]
        name = html.escape(phase_layer_name(p))
        total = float(area_mu[in_phase].sum())
        title = _js_string(f"{name} · ") + f" + p.{_P_ID}"
        group = folium.FeatureGroup(name=phase_layer_name(p))
        _add_lean_geojson(
            group,
            display.geometries(opened.loc[in_phase]),
            props.loc[in_phase],
            _lean_binder(
                f"zoningPhase{p}",
                styles={
                    "": {
                        "color": colour,
                        "weight": weight,
                        "fillColor": colour,
                        "fillOpacity": 0.65,
                    }
                },
                style_key=None,
                labels=labels,
                tooltip=f"{title} + ' · ' + p.{_P_AREA} + ' 亩 mu · ' + p.{_P_ZONE}",
                popup=_parcel_popup_js(title),
                weight=weight,
            ),
            name=f"phase_{p}",
        )
        group.add_to(m)
        entries.append(
            (
                f'<i style="background:{colour}"></i>',
                f"{name}: {int(in_phase.sum())} 块 parcels, {_num(total, decimals=0)} 亩 mu",
            )
        )
    legend.append(_legend_section("开发时序 Phases", entries))


def _finding_html(finding: Mapping[str, Any]) -> str:
    status = str(finding.get(s.STATUS, ""))
    label = FINDING_LABELS.get(status, status)
    unit = _esc(finding.get(s.UNIT))
    measured = finding.get(s.MEASURED)
    required = finding.get(s.REQUIRED)
    numbers = ""
    if measured is not None or required is not None:
        numbers = (
            f"<br>实测 measured <b>{_num(measured, decimals=2)}</b> {unit} · "
            f"要求 required <b>{_num(required, decimals=2)}</b> {unit}"
        )
    source = _esc(finding.get(s.SOURCE))
    return (
        f"<li>{html.escape(label)} <code>{_esc(finding.get(s.RULE))}</code>: "
        f"{_esc(finding.get(s.MESSAGE))}{numbers}"
        + (f'<br><span class="src">依据 source: {source}</span>' if source else "")
        + "</li>"
    )


def _findings_html(findings: object) -> str:
    if not isinstance(findings, list | tuple):
        return ""
    shown = [
        f
        for f in findings
        if isinstance(f, Mapping)
        and str(f.get(s.STATUS)) in (s.FindingStatus.FAIL, s.FindingStatus.WARN)
    ]
    shown.sort(key=lambda f: 0 if str(f.get(s.STATUS)) == s.FindingStatus.FAIL else 1)
    if not shown:
        return "<p>全部规则通过 every rule passes</p>"
    return "<ul>" + "".join(_finding_html(f) for f in shown) + "</ul>"


def _best_rows(results: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per project: its best zone's row, or its first row when none is best."""
    ranked = results.assign(
        _order=np.arange(len(results)), _best=~results[s.BEST].fillna(False).astype(bool)
    )
    ranked = ranked.sort_values(["_best", "_order"])
    best = ranked.drop_duplicates(subset=s.PROJECT_ID, keep="first").sort_values("_order")
    return best.drop(columns=["_order", "_best"])


def _project_geometries(park: Park, best: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Return the site polygons, or points near the best zone's representative point.

    Also returns whether each project has a site. Projects without a site in the same zone
    are spread on a sunflower pattern (:data:`PROJECT_SPACING_M` apart) so none hides another.
    """
    sites = to_metric(best).geometry
    has_site = (~(sites.isna() | sites.is_empty)).to_numpy()
    zone_points = to_metric(park.zones).set_index(s.ZONE_ID).geometry.representative_point()
    geoms = list(sites.to_numpy())
    unsited = [i for i in range(len(best)) if not has_site[i]]
    by_zone: dict[str, list[int]] = {}
    for i in unsited:
        by_zone.setdefault(str(best.iloc[i][s.ZONE_ID]), []).append(i)
    for zone_id, rows in by_zone.items():
        if zone_id not in zone_points.index:
            centre = shapely.Point(
                *to_metric(park.zones).union_all().representative_point().coords[0]
            )
        else:
            centre = zone_points.loc[zone_id]
        # a sunflower around the point: the first project on it, the others spread evenly
        k = np.arange(len(rows))
        radius = PROJECT_SPACING_M * np.sqrt(k)
        angle = k * GOLDEN_ANGLE
        points = shapely.points(
            centre.x + radius * np.cos(angle), centre.y + radius * np.sin(angle)
        )
        for i, point in zip(rows, points, strict=True):
            geoms[i] = point
    return gpd.GeoSeries(geoms, index=best.index, crs=METRIC_CRS), has_site


def _add_results(
    m: folium.Map, park: Park, results: gpd.GeoDataFrame, display: _Display, legend: list[str]
) -> None:
    if results.empty:
        return
    best = _best_rows(results)
    geoms, has_site = _project_geometries(park, best)
    others: dict[str, list[str]] = {}
    for pid, zone, verdict, is_best in zip(
        results[s.PROJECT_ID],
        results[s.ZONE_ID],
        results[s.VERDICT],
        results[s.BEST].fillna(False),
        strict=True,
    ):
        if not bool(is_best):
            others.setdefault(str(pid), []).append(
                f"{_esc(zone)}: {_label(VERDICT_LABELS, verdict)}"
            )
    tips, popups = [], []
    for i, (_, row) in enumerate(best.iterrows()):
        name = _esc(row[s.NAME])
        verdict = _label(VERDICT_LABELS, row[s.VERDICT])
        colour = VERDICT_COLOURS.get(str(row[s.VERDICT]), UNKNOWN_COLOUR)
        where = (
            "用地 site" if has_site[i] else "无用地，示于推荐分区 no site: shown in its best zone"
        )
        tips.append(f"<b>{name}</b> · {verdict}")
        rows = [
            ("项目 Project", _esc(row[s.PROJECT_ID])),
            ("行业 Industry", _esc(row.get(s.INDUSTRY_CODE))),
            ("分区 Zone", _esc(row[s.ZONE_ID])),
            (
                "结论 Verdict",
                f'<b style="color:{colour}">{verdict}</b>',
            ),
            (
                "面积 Area",
                f"{_num(row.get(s.AREA_MU))} 亩 mu" if pd.notna(row.get(s.AREA_MU)) else "",
            ),
            ("位置 Location", where),
            ("其他分区 Other zones", "<br>".join(others.get(str(row[s.PROJECT_ID]), []))),
        ]
        popups.append(_popup(name, rows, _findings_html(row[s.FINDINGS])))
    props = pd.DataFrame({_KEY: best[s.VERDICT].astype(str).to_numpy(), _TIP: tips, _POPUP: popups})

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = VERDICT_COLOURS.get(feature["properties"][_KEY], UNKNOWN_COLOUR)
        if feature["geometry"]["type"] == "Point":
            return {
                "color": "#ffffff",
                "weight": 2,
                "fill": True,
                "fillColor": colour,
                "fillOpacity": 1.0,
                "radius": POINT_RADIUS_PX + 2,
                "pane": POINT_PANE,
            }
        return {"color": colour, "weight": 3, "fillColor": colour, "fillOpacity": 0.5}

    group = folium.FeatureGroup(name=LAYER_FIT)
    _add_geojson(
        group,
        display.geometries(gpd.GeoDataFrame(geometry=geoms)),
        props,
        style,
        tooltip=_tooltip(),
        popup=_html_popup(),
        name="fit",
    )
    group.add_to(m)
    verdicts = set(best[s.VERDICT].astype(str))
    legend.append(
        _legend_section(
            LAYER_FIT,
            [
                (f'<i style="background:{VERDICT_COLOURS[v]}"></i>', html.escape(VERDICT_LABELS[v]))
                for v in s.Verdict
                if v in verdicts
            ],
        )
    )


def site_colour(rank: int) -> str:
    """Outline colour of a candidate site of ``rank`` (1 is best, darkest).

    Examples
    --------
    >>> site_colour(1), site_colour(5) == site_colour(3)
    ('#ff0090', True)
    """
    return SITE_RANK_COLOURS[min(max(rank, 1), len(SITE_RANK_COLOURS)) - 1]


def _add_sites(
    m: folium.Map,
    sites: gpd.GeoDataFrame,
    results: gpd.GeoDataFrame | None,
    display: _Display,
    legend: list[str],
) -> None:
    if sites.empty:
        return
    names: dict[str, object] = {}
    if results is not None:
        for pid, name in zip(results[s.PROJECT_ID], results[s.NAME], strict=True):
            names.setdefault(str(pid), name)
    # the best candidates last, so that they are drawn on top of the others
    shown = sites.assign(_order=np.arange(len(sites))).sort_values(
        [s.RANK, "_order"], ascending=[False, True]
    )
    counts = shown[s.PROJECT_ID].astype(str).value_counts()
    tips, popups = [], []
    for _, row in shown.iterrows():
        pid = str(row[s.PROJECT_ID])
        rank = int(row[s.RANK])
        name = _esc(names.get(pid, ""))
        title = f"{name} ({_esc(pid)})" if name else _esc(pid)
        rank_text = f"第{rank}候选 rank {rank} of {int(counts[pid])}"
        tips.append(f"<b>{title}</b> · {rank_text}")
        parcel_ids = row[s.PARCEL_IDS]
        parcel_list = (
            list(parcel_ids) if isinstance(parcel_ids, list | tuple | np.ndarray) else [parcel_ids]
        )
        rows = [
            ("项目 Project", _esc(pid)),
            ("排名 Rank", rank_text),
            ("分区 Zone", _esc(row[s.ZONE_ID])),
            ("面积 Area", f"{_num(float(row[s.CANDIDATE_MU]))} 亩 mu"),
            (
                "富余 Spare",
                f"{_num(float(row[s.SPARE_MU]))} 亩 mu" if pd.notna(row.get(s.SPARE_MU)) else "",
            ),
            (f"地块 Parcels ({len(parcel_list)})", ", ".join(_esc(p) for p in parcel_list)),
            ("理由 Reason", _esc(row[s.REASON])),
        ]
        popups.append(_popup(f"候选用地 Candidate site · {title}", rows))
    props = pd.DataFrame(
        {_KEY: shown[s.RANK].astype(int).astype(str).to_numpy(), _TIP: tips, _POPUP: popups}
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        rank = int(feature["properties"][_KEY])
        colour = site_colour(rank)
        return {
            "color": colour,
            "weight": 3.5 if rank == 1 else 2.5,
            "dashArray": "7 5",
            "fillColor": colour,
            "fillOpacity": 0.08,
        }

    group = folium.FeatureGroup(name=LAYER_SITES)
    _add_geojson(
        group,
        display.geometries(shown),
        props,
        style,
        tooltip=_tooltip(),
        popup=_html_popup(),
        name="sites",
    )
    group.add_to(m)
    top = int(shown[s.RANK].max())
    shades = min(top, len(SITE_RANK_COLOURS))
    entries = []
    for rank in range(1, shades + 1):
        label = f"第{rank}候选 rank {rank}" + (" 最佳 best" if rank == 1 else "")
        if rank == shades and top > shades:
            label += f" – {top}"
        swatch = (
            f'<i class="line" style="border-color:{site_colour(rank)};border-top-style:dashed"></i>'
        )
        entries.append((swatch, label))
    legend.append(_legend_section(LAYER_SITES, entries))


# --------------------------------------------------------------------------- legend, notice
def _legend_section(title: str, entries: Sequence[tuple[str, str]], *, open_: bool = True) -> str:
    """Return a collapsible legend section; ``entries`` are (swatch HTML, escaped label)."""
    if not entries:
        return ""
    items = "".join(f"<div>{swatch}{label}</div>" for swatch, label in entries)
    opened = " open" if open_ else ""
    return f"<details{opened}><summary>{html.escape(title)}</summary>{items}</details>"


def _title_html(park: Park) -> str:
    parts = [f"<h4>{_esc(park.name)}</h4>"]
    if park.notice:
        parts.append(
            '<div class="warn">⚠ 示意数据，非官方规划 Illustrative data, not an official plan</div>'
        )
        credit_lines = "".join(f"<li>{_esc(c)}</li>" for c in _credit_lines(park))
        parts.append(
            f"<details><summary>说明与数据来源 Notice and credits</summary>"
            f"<p>{_esc(park.notice)}</p><ul>{credit_lines}</ul></details>"
        )
    return "".join(parts)


def _credit_lines(park: Park) -> list[str]:
    raw = park.metadata.get("credits", [])
    lines = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, Mapping):
            text = " — ".join(str(item[k]) for k in ("data", "source", "licence") if item.get(k))
            lines.append(text)
        else:
            lines.append(str(item))
    return lines
