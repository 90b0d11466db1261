"""Background tiles and the mini-map.

Basemaps: ``osm`` (default), ``tianditu`` (天地图; CGCS2000 is WGS84 to the centimetre, so
no shift; needs a browser key), ``amap`` (高德; its tiles are in GCJ-02, so every overlay is
shifted with :mod:`zoning.gcj02`), ``none`` (no tiles). A tile URL template of the
administration's own (intranet) service replaces the basemap's tiles; the basemap then only
says which datum the tiles use (``amap``: GCJ-02, any other: WGS84 / CGCS2000).

Tiles are never needed: the vector background (:mod:`zoning.maps.context`) is drawn under
the overlays whatever the basemap, so a map whose tiles do not load is still readable.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from folium.template import Template

from zoning import schema as s
from zoning.i18n import _
from zoning.maps.features import Display, feature_collection
from zoning.maps.style import BACKGROUND_COLOURS, ZONE_COLOURS
from zoning.park import Park
from zoning.units import METRIC_CRS, to_metric

OSM_MAX_ZOOM: Final = 19
OSM_URL: Final = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION: Final = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
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


@dataclass(frozen=True)
class Tiles:
    """One tile layer: URL template, attribution (HTML), subdomains, name, overlay or base."""

    url: str
    attribution: str
    name: str
    subdomains: str = "abc"
    max_zoom: int = CHINA_TILES_MAX_ZOOM
    overlay: bool = False


def tile_layers(
    basemap: s.Basemap, key: str, tiles_url: str | None, tiles_attribution: str | None
) -> list[Tiles]:
    """Return the tile layers of a basemap, or of the given URL template; none for ``none``."""
    if tiles_url is not None:
        host = urlsplit(tiles_url).netloc or _("this server")
        words = tiles_attribution or _("Tiles: {host}").format(host=host)
        return [Tiles(tiles_url, html.escape(words), _("Tiles"), max_zoom=OSM_MAX_ZOOM)]
    if basemap is s.Basemap.OSM:
        return [Tiles(OSM_URL, OSM_ATTRIBUTION, "OpenStreetMap", max_zoom=OSM_MAX_ZOOM)]
    if basemap is s.Basemap.TIANDITU:
        return [
            Tiles(
                TIANDITU_URL.replace("{layer}", layer).replace("{key}", key),
                TIANDITU_ATTRIBUTION,
                name,
                subdomains="01234567",
                overlay=overlay,
            )
            for layer, name, overlay in (("vec", "天地图 Tianditu", False), ("cva", "注记", True))
        ]
    if basemap is s.Basemap.AMAP:
        return [Tiles(AMAP_URL, AMAP_ATTRIBUTION, "高德 Amap", subdomains="1234")]
    return []


def add_tiles(m: folium.Map, layers: list[Tiles]) -> None:
    """Add the tile layers (the base one listed in the layer control's base section)."""
    for tiles in layers:
        folium.TileLayer(
            tiles=tiles.url,
            attr=tiles.attribution,
            name=tiles.name,
            subdomains=tiles.subdomains,
            max_zoom=tiles.max_zoom,
            overlay=tiles.overlay,
            control=not tiles.overlay,
        ).add_to(m)


class VectorMiniMap(folium.plugins.MiniMap):
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


def add_minimap(m: folium.Map, park: Park, layers: list[Tiles], display: Display) -> None:
    """Add the mini-map: the first tile layer at a smaller scale, or the park's outlines.

    Without tiles, the mini-map draws the county and the zones simplified to 20 m.
    """
    options: dict[str, Any] = {
        "position": "bottomright",
        "toggle_display": True,
        "zoom_level_offset": -4,
        "width": 130,
        "height": 130,
    }
    if layers:
        first = layers[0]
        folium.plugins.MiniMap(  # type: ignore[no-untyped-call]
            tile_layer=folium.TileLayer(
                tiles=first.url, attr=first.attribution, subdomains=first.subdomains
            ),
            **options,
        ).add_to(m)
        return
    county = park.context[park.context.geom_type.isin(["Polygon", "MultiPolygon"])]
    parts = [(county, BACKGROUND_COLOURS["county"], 0.0), (park.zones, ZONE_COLOURS[0], 0.4)]
    features: list[dict[str, Any]] = []
    for gdf, colour, fill in parts:
        if gdf.empty:
            continue
        simple = gpd.GeoDataFrame(
            geometry=to_metric(gdf).geometry.simplify(20.0).to_numpy(), crs=METRIC_CRS
        )
        style = {"color": colour, "weight": 1, "fill": fill > 0, "fillOpacity": fill}
        props = pd.DataFrame({"style": [style] * len(simple)})
        features += feature_collection(display.geometries(simple), props)["features"]
    VectorMiniMap({"type": "FeatureCollection", "features": features}, **options).add_to(m)
