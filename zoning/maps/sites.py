"""Candidate sites (a detail layer, off at start) for the projects without a site.

Each candidate of :func:`zoning.siting.propose_sites` is a dashed outline, darkest for rank
1 (drawn on top of the others), with its project, rank, zone, area, spare land, parcels
and the ranking reason.
"""

from __future__ import annotations

import html
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.i18n import _
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, POPUP, TIP, Display, add_geojson
from zoning.maps.style import LAYER_SITES, SITE_RANK_COLOURS, site_colour
from zoning.maps.text import esc, mu, popup_html
from zoning.maps.zones import zone_names, zone_text
from zoning.park import Park


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    rank = int(feature["properties"][KEY])
    colour = site_colour(rank)
    return {
        "color": colour,
        "weight": 3.5 if rank == 1 else 2.5,
        "dashArray": "7 5",
        "fillColor": colour,
        "fillOpacity": 0.06,
    }


def _names(results: gpd.GeoDataFrame | None) -> dict[str, object]:
    names: dict[str, object] = {}
    if results is not None:
        for pid, name in zip(results[s.PROJECT_ID], results[s.NAME], strict=True):
            names.setdefault(str(pid), name)
    return names


def _popup(row: Any, title: str, rank_text: str, zones: dict[str, str]) -> str:
    parcel_ids = row[s.PARCEL_IDS]
    parcels = (
        list(parcel_ids) if isinstance(parcel_ids, list | tuple | np.ndarray) else [parcel_ids]
    )
    spare = row.get(s.SPARE_MU)
    rows = [
        (_("Project"), esc(row[s.PROJECT_ID])),
        (_("Rank"), rank_text),
        (_("Zone"), zone_text(zones, row[s.ZONE_ID])),
        (_("Area"), mu(float(row[s.CANDIDATE_MU]))),
        (_("Spare"), mu(float(spare)) if pd.notna(spare) else ""),
        (
            _("Parcels ({count})").format(count=len(parcels)),
            ", ".join(esc(p) for p in parcels),
        ),
        (_("Reason"), esc(row[s.REASON])),
    ]
    return popup_html(html.escape(_("Candidate site")) + f" · {title}", rows)


def add_sites(
    m: folium.Map,
    park: Park,
    sites: gpd.GeoDataFrame,
    results: gpd.GeoDataFrame | None,
    display: Display,
) -> str:
    """Draw the candidate sites (off at start); return the legend section."""
    if sites.empty:
        return ""
    names = _names(results)
    zones = zone_names(park)
    # the best candidates last, so that they are drawn on top of the others
    shown = sites.assign(_order=np.arange(len(sites))).sort_values(
        [s.RANK, "_order"], ascending=[False, True]
    )
    counts = shown[s.PROJECT_ID].astype(str).value_counts()
    tips, popups = [], []
    for _i, row in shown.iterrows():
        pid = str(row[s.PROJECT_ID])
        rank = int(row[s.RANK])
        name = esc(names.get(pid, ""))
        title = f"{name} ({esc(pid)})" if name else esc(pid)
        rank_text = html.escape(
            _("rank {rank} of {count}").format(rank=rank, count=int(counts[pid]))
        )
        tips.append(f"<b>{title}</b> · {rank_text}")
        popups.append(_popup(row, title, rank_text, zones))
    props = pd.DataFrame(
        {KEY: shown[s.RANK].astype(int).astype(str).to_numpy(), TIP: tips, POPUP: popups}
    )
    group = folium.FeatureGroup(name=LAYER_SITES, show=False)
    add_geojson(group, display.geometries(shown), props, _style, name="sites")
    group.add_to(m)
    top = int(shown[s.RANK].max())
    shades = min(top, len(SITE_RANK_COLOURS))
    entries = []
    for rank in range(1, shades + 1):
        text = _("rank {rank}").format(rank=rank)
        if rank == 1:
            text = _("rank 1 (best)")
        if rank == shades and top > shades:
            text += f" – {top}"
        entries.append(
            (swatch(site_colour(rank), "line", "border-top-style:dashed"), html.escape(text))
        )
    return legend_section(LAYER_SITES, entries, open_=False)
