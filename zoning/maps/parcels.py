"""The parcel layers (detail layers, off at start): by status, and by land-use class.

The parcels are nearly all of a map's weight, so each feature carries only short, escaped
values (id, status, land-use code, area, zone, occupant); the words, colours and the tooltip
and popup layout are written once per layer (:func:`~zoning.maps.features.lean_binder`).
The land-use view is built in the page from the status layer's features
(:class:`~zoning.maps.features.DerivedGeoJson`), so the geometry is written once.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Final

import folium
import geopandas as gpd
import pandas as pd

from zoning import landuse
from zoning import schema as s
from zoning.i18n import _
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import (
    DerivedGeoJson,
    Display,
    add_lean_geojson,
    lean_binder,
)
from zoning.maps.style import (
    LAYER_PARCELS_LAND_USE,
    LAYER_PARCELS_STATUS,
    STATUS_COLOURS,
    UNKNOWN_COLOUR,
    land_use_colour,
)
from zoning.maps.text import esc, js_string
from zoning.maps.zones import zone_names, zone_text
from zoning.park import Park

# keys of the lean parcel properties
P_ID: Final = "i"
P_STATUS: Final = "k"
P_CODE: Final = "c"
P_AREA: Final = "a"
P_ZONE: Final = "z"
P_OCCUPANT: Final = "o"
_WEIGHT: Final = 0.8


def parcel_properties(parcels: gpd.GeoDataFrame, area_mu: Sequence[float]) -> pd.DataFrame:
    """Short, escaped properties of parcels: id, status, land-use code, area, zone, occupant."""
    occupant = parcels[s.OCCUPANT] if s.OCCUPANT in parcels.columns else [""] * len(parcels)
    zone = parcels[s.ZONE_ID] if s.ZONE_ID in parcels.columns else [""] * len(parcels)
    return pd.DataFrame(
        {
            P_ID: [esc(v) for v in parcels[s.PARCEL_ID]],
            P_STATUS: [esc(v) for v in parcels[s.STATUS]],
            P_CODE: [esc(v) for v in parcels[s.LAND_USE_CODE]],
            P_AREA: [f"{float(a):,.1f}" for a in area_mu],
            P_ZONE: [esc(v) for v in zone],
            P_OCCUPANT: [esc(v) for v in occupant],
        }
    )


def parcel_labels(park: Park, codes: Sequence[str]) -> dict[str, dict[str, str]]:
    """Return the words of the lean parcel properties: status, land-use class, zone."""
    return {
        "st": {html.escape(str(k)): html.escape(s.label(k)) for k in s.ParcelStatus},
        "lu": {html.escape(c): esc(landuse.label(c)) for c in codes},
        "zn": {esc(z): zone_text(zone_names(park), z) for z in park.zones[s.ZONE_ID]},
    }


def parcel_popup_js(title: str) -> str:
    """JavaScript expression of a parcel's popup (over ``p``, ``L`` and ``g``)."""

    def row(header: str, value: str) -> str:
        head = js_string(f"<tr><th>{html.escape(header)}</th><td>")
        return f"{head} + {value} + {js_string('</td></tr>')}"

    unit = js_string(" " + _("mu"))
    return " + ".join(
        [
            js_string('<div class="zoning-pop"><h4>')
            + f" + {title} + "
            + js_string("</h4><table>"),
            row(_("Status"), f"g(L.st, p.{P_STATUS})"),
            row(_("Land use"), f"g(L.lu, p.{P_CODE})"),
            row(_("Area"), f"p.{P_AREA} + {unit}"),
            row(_("Zone"), f"g(L.zn, p.{P_ZONE})"),
            f"(p.{P_OCCUPANT} ? " + row(_("Occupant"), f"p.{P_OCCUPANT}") + ' : "")',
            js_string("</table></div>"),
        ]
    )


def _style(colour: str) -> dict[str, object]:
    return {"color": "#555555", "weight": _WEIGHT, "fillColor": colour, "fillOpacity": 0.7}


def add_parcels(
    m: folium.Map, park: Park, display: Display
) -> tuple[list[str], folium.GeoJson | None]:
    """Draw the parcels by status and by land-use class.

    Return their legend sections and the status layer, which other views draw from.
    """
    parcels = park.parcels
    if parcels.empty:
        return [], None
    codes = sorted(set(parcels[s.LAND_USE_CODE].astype(str)))
    labels = parcel_labels(park, codes)
    unit = js_string(" " + _("mu"))
    tooltip = (
        f"p.{P_ID} + ' · ' + g(L.st, p.{P_STATUS}) + ' · ' + p.{P_AREA}"
        f" + {unit} + '<br>' + g(L.lu, p.{P_CODE})"
    )
    status_styles = {html.escape(st): _style(c) for st, c in STATUS_COLOURS.items()}
    status_styles[""] = _style(UNKNOWN_COLOUR)
    group = folium.FeatureGroup(name=LAYER_PARCELS_STATUS, show=False)
    status_layer = add_lean_geojson(
        group,
        display.geometries(parcels),
        parcel_properties(parcels, parcels[s.AREA_MU].to_numpy()),
        lean_binder(
            "zoningParcelStatus",
            styles=status_styles,
            style_key=P_STATUS,
            labels=labels,
            tooltip=tooltip,
            popup=parcel_popup_js(f"p.{P_ID}"),
            weight=_WEIGHT,
        ),
        name="parcels",
    )
    group.add_to(m)
    status = set(parcels[s.STATUS].astype(str))
    sections = [
        legend_section(
            LAYER_PARCELS_STATUS,
            [
                (swatch(STATUS_COLOURS[st]), html.escape(s.label(st)))
                for st in s.ParcelStatus
                if st in status
            ],
            open_=False,
        )
    ]
    land_use_styles = {html.escape(c): _style(land_use_colour(c)) for c in codes}
    land_use_styles[""] = _style(UNKNOWN_COLOUR)
    lu_group = folium.FeatureGroup(name=LAYER_PARCELS_LAND_USE, show=False)
    if status_layer is not None:
        DerivedGeoJson(
            status_layer,
            lean_binder(
                "zoningParcelLandUse",
                styles=land_use_styles,
                style_key=P_CODE,
                labels=labels,
                tooltip=f"p.{P_ID} + '<br>' + g(L.lu, p.{P_CODE})",
                weight=_WEIGHT,
            ),
        ).add_to(lu_group)
    lu_group.add_to(m)
    sections.append(
        legend_section(
            LAYER_PARCELS_LAND_USE,
            [(swatch(land_use_colour(c)), esc(landuse.label(c))) for c in codes],
            open_=False,
        )
    )
    return sections, status_layer
