"""The constraints layer (a detail layer, off at start): dashed outlines per kind.

River setbacks, ecological protection, no-build corridors and sensitive areas are outlined
in dashes over a faint fill, so that they read over the zones and the phases without hiding
them; the popup gives the kind, the name, the source (without file paths) and the note.
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
from zoning.maps.style import CONSTRAINT_COLOURS, LAYER_CONSTRAINTS, UNKNOWN_COLOUR
from zoning.maps.text import clean_source, esc, popup_html, word
from zoning.park import Park


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    colour = CONSTRAINT_COLOURS.get(feature["properties"][KEY], UNKNOWN_COLOUR)
    return {
        "color": colour,
        "weight": 2,
        "dashArray": "6 4",
        "fillColor": colour,
        "fillOpacity": 0.12,
    }


def add_constraints(m: folium.Map, park: Park, display: Display) -> str:
    """Draw the constraints (off at start); return the legend section."""
    cons = park.constraints
    if cons.empty:
        return ""
    props = pd.DataFrame(
        {
            KEY: cons[s.KIND].astype(str).to_numpy(),
            TIP: [
                f"{word(s.ConstraintKind, k)}<br>{esc(n)}"
                for k, n in zip(cons[s.KIND], cons[s.NAME], strict=True)
            ],
            POPUP: [
                popup_html(
                    esc(row[s.NAME]),
                    [
                        (_("Kind"), word(s.ConstraintKind, row[s.KIND])),
                        (_("Source"), esc(clean_source(row[s.SOURCE]))),
                        (_("Note"), esc(row.get(s.NOTE))),
                    ],
                )
                for _i, row in cons.iterrows()
            ],
        }
    )
    group = folium.FeatureGroup(name=LAYER_CONSTRAINTS, show=False)
    add_geojson(group, display.geometries(cons), props, _style, name="constraints", highlight=False)
    group.add_to(m)
    kinds = set(cons[s.KIND].astype(str))
    entries = [
        (
            swatch(CONSTRAINT_COLOURS[k], "outline", "border-style:dashed"),
            html.escape(s.label(k)),
        )
        for k in s.ConstraintKind
        if k in kinds
    ]
    return legend_section(LAYER_CONSTRAINTS, entries, open_=False)
