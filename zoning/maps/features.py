"""GeoJSON layers of the maps: display coordinates, feature collections, tooltips and popups.

Two ways to draw a layer:

- :func:`add_geojson`, for the small layers (zones, constraints, results ...): each feature
  carries its ready-made, escaped tooltip and popup;
- :func:`add_lean_geojson` with :func:`lean_binder`, for the parcel layers that are most of a
  map's weight: each feature carries only short escaped values, and the style tables and the
  words are written once per layer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypedDict, Unpack, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from zoning import gcj02
from zoning.geojson import frame_records, to_feature_collection
from zoning.maps.style import (
    COORD_DECIMALS,
    POINT_RADIUS_PX,
    POPUP_HEIGHT_SHARE,
    POPUP_MAX_WIDTH_PX,
)
from zoning.maps.text import js_string
from zoning.units import WGS84, to_wgs84

# keys of the GeoJSON properties written for tooltips and popups
TIP: Final = "tip"
POPUP: Final = "popup"
KEY: Final = "key"
#: key of a permanent label drawn on the map (zone names, project ids)
LABEL: Final = "label"

#: popup options: at most a share of the window high (scrolling inside), no auto-pan that
#: throws the park off the screen, only a small nudge to bring it into view
POPUP_OPTIONS: Final[dict[str, Any]] = {
    "max_width": POPUP_MAX_WIDTH_PX,
    "max_height": JsCode(f"Math.round(window.innerHeight * {POPUP_HEIGHT_SHARE})"),
    "auto_pan_padding": [10, 10],
    "keep_in_view": False,
}
_POPUP_JS: Final = (
    f"{{maxWidth: {POPUP_MAX_WIDTH_PX}, "
    f"maxHeight: Math.round(window.innerHeight * {POPUP_HEIGHT_SHARE}), "
    "autoPanPadding: [10, 10]}"
)


@dataclass(frozen=True)
class Display:
    """How layers are turned into map coordinates (WGS84, or GCJ-02 for Amap tiles)."""

    gcj02: bool

    def geometries(self, gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoSeries:
        """Return the geometries in display coordinates, rounded to :data:`COORD_DECIMALS`."""
        shown = gcj02.to_gcj02(gdf) if self.gcj02 else to_wgs84(gdf)
        rounded = shapely.transform(
            shown.geometry.to_numpy(), lambda xy: np.round(xy, COORD_DECIMALS)
        )
        return gpd.GeoSeries(rounded, index=gdf.index, crs=WGS84)


def feature_collection(geometries: gpd.GeoSeries, properties: pd.DataFrame) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of display geometries and (string) properties.

    Built by the one GeoJSON writer (:mod:`zoning.geojson`) at :data:`COORD_DECIMALS`
    decimals. Features with a missing or empty geometry are left out: there is nothing to
    draw.
    """
    return to_feature_collection(
        geometries.reset_index(drop=True),
        frame_records(properties.reset_index(drop=True)),
        decimals=COORD_DECIMALS,
        drop_empty=True,
    )


class LabelledGeoJson(folium.GeoJson):
    """A GeoJson layer whose features with a ``label`` property show it permanently.

    The label is a Leaflet tooltip that stays open, centred on the feature, styled by the
    CSS class ``zoning-label`` (and ``class_name``); the hover tooltip and the popup are
    folium's.
    """

    _label_template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this.get_name() }}.eachLayer(function (layer) {
                var text = layer.feature.properties.label;
                if (!text) { return; }
                var point = !!layer.getLatLng;
                var label = L.tooltip({permanent: true,
                    direction: point ? "right" : "center", offset: point ? [8, 0] : [0, 0],
                    className: {{ this.label_class|tojson }}, interactive: false,
                    opacity: 1}).setContent(text);
                layer.zoningLabel = label;
                var place = function () {
                    var at = layer.getLatLng ? layer.getLatLng() :
                        L.latLng(layer.feature.properties.label_at);
                    label.setLatLng(at);
                };
                layer.on("add", function () { place(); label.addTo(layer._map); });
                layer.on("remove", function () { label.remove(); });
                if (layer._map) { place(); label.addTo(layer._map); }
            });
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], *, label_class: str, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.label_class = f"zoning-label {label_class}"

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Render the layer, then bind its permanent labels."""
        super().render(**kwargs)  # type: ignore[no-untyped-call]
        figure = cast(Figure, self.get_root())
        script = self._label_template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(folium.Element(script), name=self.get_name() + "_labels")


class GeoJsonOptions(TypedDict, total=False):
    """How :func:`add_geojson` draws a layer, each option given by name.

    ``highlight`` (default True) thickens a feature under the pointer; ``attribution`` is
    the layer's source credit; with ``interactive`` (default True), every feature has the
    ``tip`` tooltip and ``popup`` popup of its properties; with ``label_class``, the
    ``label`` property is written on the map; ``pane`` is the map pane every feature is
    drawn in.
    """

    highlight: bool
    attribution: str | None
    label_class: str | None
    interactive: bool
    pane: str | None


def add_geojson(
    group: folium.FeatureGroup,
    geometries: gpd.GeoSeries,
    properties: pd.DataFrame,
    style: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    name: str,
    **options: Unpack[GeoJsonOptions],
) -> int:
    """Add one GeoJson layer to ``group``; return the number of features drawn.

    The ``options`` (:class:`GeoJsonOptions`) say how: ``highlight``, ``attribution``,
    ``label_class``, ``interactive`` and ``pane``.
    """
    highlight = options.get("highlight", True)
    attribution = options.get("attribution")
    label_class = options.get("label_class")
    interactive = options.get("interactive", True)
    pane = options.get("pane")
    data = feature_collection(geometries, properties)
    if not data["features"]:
        return 0
    extra: dict[str, Any] = {"attribution": attribution} if attribution else {}
    if interactive:
        extra["tooltip"] = folium.GeoJsonTooltip(fields=[TIP], labels=False, sticky=True)
        extra["popup"] = folium.GeoJsonPopup(fields=[POPUP], labels=False, **POPUP_OPTIONS)
    else:
        extra["interactive"] = False
    if pane is not None:
        extra["pane"] = pane
    kwargs: dict[str, Any] = {
        "name": name,
        "style_function": style,
        "highlight_function": _highlight if highlight and interactive else None,
        "marker": folium.CircleMarker(radius=POINT_RADIUS_PX, fill=True),
        "smooth_factor": 0.5,
        "control": False,
        **extra,
    }
    layer: folium.GeoJson = (
        LabelledGeoJson(data, label_class=label_class, **kwargs)
        if label_class is not None
        else folium.GeoJson(data, **kwargs)
    )
    layer.add_to(group)
    return len(data["features"])


def _highlight(_feature: dict[str, Any]) -> dict[str, Any]:
    return {"weight": 4, "fillOpacity": 0.6}


def lean_binder(
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

    ``tooltip`` and ``popup`` are JavaScript expressions over ``p`` (the properties), ``L``
    (the label tables) and ``g`` (a table look-up) that concatenate escaped values only.
    """
    tables = js_string(json.dumps({"S": styles, "L": labels}, ensure_ascii=False))
    style = 'S[""]' if style_key is None else f'g(S, p.{style_key}, S[""])'
    bind_popup = f"layer.bindPopup({popup}, {_POPUP_JS});" if popup else ""
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


def add_lean_geojson(
    group: folium.FeatureGroup,
    geometries: gpd.GeoSeries,
    properties: pd.DataFrame,
    binder: JsCode,
    *,
    name: str,
) -> folium.GeoJson | None:
    """Add a GeoJson layer styled and bound by ``binder``; None when there is nothing."""
    data = feature_collection(geometries, properties)
    if not data["features"]:
        return None
    layer = folium.GeoJson(
        data, name=name, on_each_feature=binder, smooth_factor=0.5, control=False
    )
    layer.add_to(group)
    return layer


class DerivedGeoJson(MacroElement):
    """A second view of a GeoJson layer's features, drawn from the same data in the page.

    The parcels by land-use class are the parcels by status, styled differently, and the
    background's built-up land is the developed and committed parcels: instead of writing
    the parcels' geometry again, the page builds these layers from the status layer
    (``toGeoJSON``, 6 decimals as written).

    Parameters
    ----------
    source
        The layer whose features are drawn again.
    binder
        JavaScript ``onEachFeature`` (styles, tooltips), or None with ``style``.
    keep
        Property -> the values a feature must have to be drawn; None draws every feature.
    style
        A fixed style of every feature (with no ``binder``).
    pane
        The map pane to draw in; None for the default overlay pane.
    target
        The layer group to add the features to; None for the element's parent. An element
        added to the map after ``source`` with a ``target`` drawn before it lets a group
        drawn first (the background) show features of a layer written later.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJson(
                {{ this.source.get_name() }}.toGeoJSON({{ this.decimals }}),
                {
                {%- if this.binder %}
                    onEachFeature: {{ this.binder }},
                {%- endif %}
                {%- if this.keep %}
                    filter: function (f) {
                        var keep = {{ this.keep|tojson }};
                        return Object.keys(keep).every(function (key) {
                            return keep[key].indexOf(f.properties[key]) >= 0;
                        });
                    },
                {%- endif %}
                {%- if this.style %}
                    style: function () { return {{ this.style|tojson }}; },
                {%- endif %}
                {%- if this.pane %}
                    pane: {{ this.pane|tojson }},
                {%- endif %}
                    interactive: {{ this.interactive|tojson }},
                    smoothFactor: 0.5
                }
            ).addTo({{ (this.target or this._parent).get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        source: folium.GeoJson,
        binder: JsCode | None,
        *,
        keep: Mapping[str, Sequence[str]] | None = None,
        style: Mapping[str, Any] | None = None,
        pane: str | None = None,
        target: folium.FeatureGroup | None = None,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "DerivedGeoJson"
        self.source = source
        self.binder = binder
        self.keep = {k: list(v) for k, v in keep.items()} if keep else None
        self.style = dict(style) if style else None
        self.pane = pane
        self.target = target
        self.interactive = binder is not None
        self.decimals = COORD_DECIMALS

    def keeps(self, properties: Mapping[str, Any]) -> bool:
        """Whether a feature of ``source`` with these properties is drawn."""
        return self.keep is None or all(properties.get(k) in v for k, v in self.keep.items())
