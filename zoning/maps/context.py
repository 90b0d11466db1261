"""The vector background and the real context data (county, power stations, towns).

The **background** (底图, on at start, under every overlay, not clickable) makes a map
readable with no tiles at all: the county boundary from the context layer, the river and
its setback, the town (the park's sensitive areas) and the built-up land (developed and
committed parcels, dissolved), and the roads of the infrastructure layer, in light greys
and a pale blue.

The **context** layer (off at start) holds the real data with its credits: the county
boundary, the power stations and the towns, each with kind, accuracy, source and licence.
"""

from __future__ import annotations

import html
import re
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.i18n import N_, _
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, POPUP, TIP, DerivedGeoJson, Display, add_geojson
from zoning.maps.parcels import P_STATUS
from zoning.maps.style import (
    BACKGROUND_COLOURS,
    BACKGROUND_PANE,
    BUILT_PANE,
    CONTEXT_PLANT_KINDS,
    LAYER_BACKGROUND,
    LAYER_CONTEXT,
    POINT_PANE,
)
from zoning.maps.text import clean_source, esc, popup_html
from zoning.park import Park
from zoning.units import METRIC_CRS, to_metric


def _background_parts(park: Park) -> gpd.GeoDataFrame:
    """Return the background's features, in EPSG:4543, with a ``key`` naming what each one is."""
    parts: list[tuple[str, Any]] = []
    ctx = to_metric(park.context) if not park.context.empty else park.context
    for geom in ctx.geometry[ctx.geom_type.isin(["Polygon", "MultiPolygon"])] if len(ctx) else []:
        parts.append(("county", shapely.boundary(geom)))
    cons = to_metric(park.constraints) if not park.constraints.empty else park.constraints
    for key, kind in (
        ("town", s.ConstraintKind.SENSITIVE_AREA),
        ("river", s.ConstraintKind.RIVER_SETBACK),
    ):
        for geom in cons.geometry[cons[s.KIND] == kind] if len(cons) else []:
            parts.append((key, geom))
    infra = to_metric(park.infrastructure) if not park.infrastructure.empty else None
    if infra is not None:
        roads = infra[infra[s.KIND] == s.InfrastructureKind.ROAD]
        widths = pd.to_numeric(roads.get(s.WIDTH_M), errors="coerce")
        for geom, width in zip(roads.geometry, widths.fillna(18.0), strict=True):
            parts.append((f"road:{float(width):.0f}", geom))
    return gpd.GeoDataFrame(
        {KEY: [k for k, _g in parts]}, geometry=[g for _k, g in parts], crs=METRIC_CRS
    )


def _background_style(feature: dict[str, Any]) -> dict[str, Any]:
    key = str(feature["properties"][KEY])
    base: dict[str, Any] = {}
    if key == "county":
        return {**base, "color": BACKGROUND_COLOURS["county"], "weight": 2, "dashArray": "8 5"}
    if key.startswith("road:"):
        width_m = float(key.partition(":")[2])
        weight = float(np.clip(width_m / 9.0, 1.5, 5.0))
        return {**base, "color": BACKGROUND_COLOURS["road"], "weight": weight, "opacity": 0.9}
    colour = BACKGROUND_COLOURS.get(key, BACKGROUND_COLOURS["built"])
    return {**base, "color": colour, "weight": 0.5, "fillColor": colour, "fillOpacity": 0.85}


#: parcel statuses drawn as built-up land in the background
BUILT_STATUSES: Final = (s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED)


def add_background(m: folium.Map, park: Park, display: Display) -> tuple[folium.FeatureGroup, str]:
    """Draw the vector background; return its group and its legend section.

    The built-up land is added to the group by :func:`add_built_up`, once the parcels are
    drawn.
    """
    parts = _background_parts(park)
    group = folium.FeatureGroup(name=LAYER_BACKGROUND)
    has_built = bool(park.parcels[s.STATUS].isin(BUILT_STATUSES).any())
    if parts.empty and not has_built:
        return group, ""  # nothing to draw: the group is left off the map
    folium.map.CustomPane(BUILT_PANE, z_index=240, pointer_events=False).add_to(m)
    folium.map.CustomPane(BACKGROUND_PANE, z_index=250, pointer_events=False).add_to(m)
    add_geojson(
        group,
        display.geometries(parts),
        pd.DataFrame({KEY: parts[KEY].to_numpy()}),
        _background_style,
        name="background",
        interactive=False,
        pane=BACKGROUND_PANE,
        attribution=context_attribution(park.context) if not park.context.empty else None,
    )
    group.add_to(m)
    present = {k.partition(":")[0] for k in parts[KEY]}
    if has_built:
        present.add("built")
    entries = [
        (swatch(BACKGROUND_COLOURS[k], kind, extra), html.escape(_(text)))
        for k, kind, extra, text in (
            ("county", "line", "border-top-style:dashed", N_("county boundary")),
            ("built", "", "", N_("built-up land (developed, committed)")),
            ("town", "", "", N_("town")),
            ("river", "", "", N_("river and its setback")),
            ("road", "line", "border-top-width:3px", N_("road")),
        )
        if k in present
    ]
    return group, legend_section(LAYER_BACKGROUND, entries, open_=False)


def add_built_up(
    m: folium.Map, background: folium.FeatureGroup, parcels_layer: folium.GeoJson | None
) -> None:
    """Draw the developed and committed parcels in the background, from the parcel layer.

    The page builds them from the parcels' features already written
    (:class:`~zoning.maps.features.DerivedGeoJson`): the geometry is not written twice.
    """
    if parcels_layer is None:
        return
    colour = BACKGROUND_COLOURS["built"]
    DerivedGeoJson(
        parcels_layer,
        None,
        keep={P_STATUS: [html.escape(str(v)) for v in BUILT_STATUSES]},
        style={"color": colour, "weight": 0.5, "fillColor": colour, "fillOpacity": 0.9},
        pane=BUILT_PANE,
        target=background,
    ).add_to(m)


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
    credits = [f"{esc(src)} ({esc(lic)})" for lic, src in first_source.items()]
    return "真实数据 Real data: " + " · ".join(credits)


def _context_style(feature: dict[str, Any]) -> dict[str, Any]:
    if feature["geometry"]["type"] in ("Polygon", "MultiPolygon"):
        return {"color": "#4d4d4d", "weight": 2, "dashArray": "8 4", "fill": False}
    plant = feature["properties"][KEY] in CONTEXT_PLANT_KINDS
    return {
        "color": "#ffffff" if plant else "#000000",
        "weight": 1.5,
        "fill": True,
        "fillColor": "#252525" if plant else "#ffffff",
        "fillOpacity": 1.0,
        "radius": 6 if plant else 5,
        "pane": POINT_PANE,
    }


def add_context(m: folium.Map, park: Park, display: Display) -> str:
    """Draw the real context data (off at start); return its legend section."""
    ctx = park.context
    if ctx.empty:
        return ""
    popups = [
        popup_html(
            esc(row[s.NAME]),
            [
                (_("Kind"), esc(row[s.KIND])),
                (_("Accuracy"), esc(row.get(s.ACCURACY))),
                (_("Source"), esc(clean_source(row[s.SOURCE]))),
                (_("Licence"), esc(row[s.LICENCE])),
            ],
        )
        for _i, row in ctx.iterrows()
    ]
    props = pd.DataFrame(
        {
            KEY: ctx[s.KIND].astype(str).to_numpy(),
            TIP: [esc(v) for v in ctx[s.NAME]],
            POPUP: popups,
        }
    )
    group = folium.FeatureGroup(name=LAYER_CONTEXT, show=False)
    add_geojson(
        group,
        display.geometries(ctx),
        props,
        _context_style,
        name="context",
        highlight=False,
        attribution=context_attribution(ctx),
    )
    group.add_to(m)
    entries = [
        (swatch("#4d4d4d", "line", "border-top-style:dashed"), html.escape(_("county boundary"))),
        (swatch("#252525", "dot"), html.escape(_("power station"))),
        (swatch("#ffffff", "dot"), html.escape(_("town or city"))),
    ]
    return legend_section(LAYER_CONTEXT, entries, open_=False)
