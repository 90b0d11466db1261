"""The zones layer: one outline colour per zone, its name written on the map, a full popup.

The popup tells the zone's purpose, the permitted and conditional industries by name (from
the rulebook), the prohibited prefixes, the highest industrial class, the priority, the
development mode and the total and vacant land in mu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from zoning import landuse
from zoning import schema as s
from zoning.i18n import _, get_lang
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, LABEL, POPUP, TIP, Display, add_geojson
from zoning.maps.style import LAYER_ZONES, UNKNOWN_COLOUR, ZONE_COLOURS
from zoning.maps.text import esc, mu, num, popup_html, word
from zoning.park import Park
from zoning.summary import summarize_zones
from zoning.units import to_metric


def zone_colours(zones: gpd.GeoDataFrame) -> dict[str, str]:
    """Return the outline colour of each zone, in priority order."""
    ordered = zones.sort_values([s.PRIORITY, s.ZONE_ID])[s.ZONE_ID].astype(str)
    return {z: ZONE_COLOURS[i % len(ZONE_COLOURS)] for i, z in enumerate(ordered)}


def zone_name(row: Any) -> str:
    """Return the zone's name in the current language (escaped), the other one when missing."""
    first, second = (s.NAME_ZH, s.NAME_EN) if get_lang() == "zh" else (s.NAME_EN, s.NAME_ZH)
    return esc(row.get(first)) or esc(row.get(second)) or esc(row.get(s.ZONE_ID))


def zone_names(park: Park) -> dict[str, str]:
    """Return each zone's escaped name in the current language, by zone id."""
    return {str(row[s.ZONE_ID]): zone_name(row) for _i, row in park.zones.iterrows()}


def zone_text(names: dict[str, str], zone_id: object) -> str:
    """Return a zone as a planner reads it, "铝镁产业聚集区 (almg)" (escaped), or its id."""
    key = esc(zone_id)
    name = names.get(str(zone_id))
    return f"{name} ({key})" if name else key


def industry_text(park: Park, code: object) -> str:
    """Return an industry code with its name in the current language (escaped)."""
    zh = get_lang() == "zh"
    for industry in park.rulebook.industries:
        if industry.code == str(code):
            return f"{esc(code)} {esc(industry.name_zh if zh else industry.name_en)}"
    return esc(code)


def _industries_text(park: Park, prefixes: Sequence[str]) -> str:
    """Prefixes with the catalogue industries they cover, escaped."""
    zh = get_lang() == "zh"
    parts = []
    for prefix in prefixes:
        names = [
            i.name_zh if zh else i.name_en
            for i in park.rulebook.industries
            if i.code.startswith(prefix)
        ]
        shown = "; ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
        parts.append(f"<b>{esc(prefix)}</b> {esc(shown)}" if shown else f"<b>{esc(prefix)}</b>")
    return "<br>".join(parts)


def _zone_popup(park: Park, row: Any, vacant_mu: float) -> str:
    zh = get_lang() == "zh"
    purpose = row.get(s.PURPOSE_ZH) if zh else row.get(s.PURPOSE_EN)
    return popup_html(
        f"{esc(row[s.NAME_ZH])} {esc(row[s.NAME_EN])} <small>({esc(row[s.ZONE_ID])})</small>",
        [
            (_("Purpose"), esc(purpose)),
            (_("Total land"), mu(float(row[s.AREA_MU]), decimals=0)),
            (_("Vacant land"), mu(vacant_mu, decimals=0)),
            (_("Development mode"), word(s.DevelopmentMode, row[s.DEVELOPMENT_MODE])),
            (_("Priority"), num(int(row[s.PRIORITY]))),
            (
                _("Highest industrial class"),
                esc(landuse.label(str(row[s.MAX_INDUSTRIAL_CLASS]))),
            ),
            (_("Permitted"), _industries_text(park, row[s.PERMITTED])),
            (_("Conditional"), _industries_text(park, row[s.CONDITIONAL])),
            (_("Prohibited"), esc(", ".join(row[s.PROHIBITED]))),
        ],
    )


def add_zones(m: folium.Map, park: Park, display: Display) -> str:
    """Draw the zones, outlined and labelled; return the legend section."""
    zones = park.zones
    colours = zone_colours(zones)
    vacant_mu = summarize_zones(park)[f"{s.ParcelStatus.VACANT}_mu"].astype(float)
    rows = [row for _i, row in zones.iterrows()]
    points = display.geometries(
        gpd.GeoDataFrame(geometry=to_metric(zones).geometry.representative_point())
    )
    props = pd.DataFrame(
        {
            KEY: zones[s.ZONE_ID].astype(str).to_numpy(),
            TIP: [
                f"{esc(zh)}<br>{esc(en)}"
                for zh, en in zip(zones[s.NAME_ZH], zones[s.NAME_EN], strict=True)
            ],
            POPUP: [
                _zone_popup(park, row, float(vacant_mu.get(str(row[s.ZONE_ID]), 0.0)))
                for row in rows
            ],
            LABEL: [
                f'<span style="color:{colours[str(row[s.ZONE_ID])]}">{zone_name(row)}</span>'
                for row in rows
            ],
            "label_at": [[p.y, p.x] for p in points],
        }
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = colours.get(feature["properties"][KEY], UNKNOWN_COLOUR)
        return {"color": colour, "weight": 3, "fillColor": colour, "fillOpacity": 0.05}

    group = folium.FeatureGroup(name=LAYER_ZONES)
    add_geojson(
        group,
        display.geometries(zones),
        props,
        style,
        name="zones",
        highlight=False,
        label_class="zone",
    )
    group.add_to(m)
    ordered = zones.sort_values([s.PRIORITY, s.ZONE_ID])
    entries = [
        (swatch(colours[str(row[s.ZONE_ID])], "outline"), zone_name(row))
        for _i, row in ordered.iterrows()
    ]
    return legend_section(LAYER_ZONES, entries)
