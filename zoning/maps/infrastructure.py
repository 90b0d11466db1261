"""The infrastructure layer (a detail layer, off at start): networks and plants.

Roads dark grey, water blue, power red, gas orange, planned ones dashed; the wastewater
plant and the substations as dots above every polygon. The popup gives kind, status,
capacity with its unit, width and source (without file paths).
"""

from __future__ import annotations

import html
from typing import Any

import folium
import pandas as pd

from zoning import schema as s
from zoning.i18n import _
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, POPUP, TIP, Display, add_geojson
from zoning.maps.style import (
    INFRASTRUCTURE_COLOURS,
    LAYER_INFRASTRUCTURE,
    POINT_PANE,
    POINT_RADIUS_PX,
    UNKNOWN_COLOUR,
)
from zoning.maps.text import clean_source, esc, num, popup_html, word
from zoning.park import Park


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    kind, _sep, status = feature["properties"][KEY].partition("|")
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


def _popup(row: Any) -> str:
    capacity = row.get(s.CAPACITY)
    cap_text = (
        f"{num(capacity, decimals=0)} {esc(row.get(s.CAPACITY_UNIT))}" if pd.notna(capacity) else ""
    )
    width = row.get(s.WIDTH_M)
    return popup_html(
        esc(row[s.NAME]),
        [
            (_("Kind"), word(s.InfrastructureKind, row[s.KIND])),
            (_("Status"), word(s.InfrastructureStatus, row[s.STATUS])),
            (_("Capacity"), cap_text),
            (_("Width"), f"{num(width, decimals=0)} m" if pd.notna(width) else ""),
            (_("Source"), esc(clean_source(row[s.SOURCE]))),
        ],
    )


def add_infrastructure(m: folium.Map, park: Park, display: Display) -> str:
    """Draw the infrastructure (off at start); return the legend section."""
    infra = park.infrastructure
    if infra.empty:
        return ""
    props = pd.DataFrame(
        {
            KEY: [
                f"{k}|{st}"
                for k, st in zip(
                    infra[s.KIND].astype(str), infra[s.STATUS].astype(str), strict=True
                )
            ],
            TIP: [
                f"{esc(n)} · {word(s.InfrastructureStatus, st)}"
                for n, st in zip(infra[s.NAME], infra[s.STATUS], strict=True)
            ],
            POPUP: [_popup(row) for _i, row in infra.iterrows()],
        }
    )
    group = folium.FeatureGroup(name=LAYER_INFRASTRUCTURE, show=False)
    add_geojson(
        group, display.geometries(infra), props, _style, name="infrastructure", highlight=False
    )
    group.add_to(m)
    present = set(infra[s.KIND].astype(str))
    entries = [
        (
            swatch(INFRASTRUCTURE_COLOURS[k], "line" if k in s.LINEAR_INFRASTRUCTURE else "dot"),
            html.escape(s.label(k)),
        )
        for k in s.InfrastructureKind
        if k in present
    ]
    if (infra[s.STATUS].astype(str) == s.InfrastructureStatus.PLANNED).any():
        entries.append(
            (
                swatch("#404040", "line", "border-top-style:dashed"),
                html.escape(_("planned (dashed)")),
            )
        )
    return legend_section(LAYER_INFRASTRUCTURE, entries, open_=False)
