"""The phase plan: one layer per phase, on a sequential scale of blues, dark to light.

Each phase's parcels are filled in its colour; the tooltip and popup give the phase, the
parcel, its area, zone and land use. The legend gives, per phase, the parcels and the mu
opened.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

from zoning import schema as s
from zoning.i18n import _
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import Display, add_lean_geojson, lean_binder
from zoning.maps.parcels import (
    P_AREA,
    P_ID,
    P_ZONE,
    parcel_labels,
    parcel_popup_js,
    parcel_properties,
)
from zoning.maps.style import phase_colours, phase_layer_name
from zoning.maps.text import js_string, mu
from zoning.park import Park
from zoning.units import mu_from_m2, to_metric

_WEIGHT = 1.2


def add_phases(m: folium.Map, park: Park, parcels: gpd.GeoDataFrame, display: Display) -> str:
    """Draw one layer per phase of a plan's ``parcels``; return the legend section."""
    phase = pd.array(parcels[s.PHASE], dtype="Int64")
    opened = parcels.loc[~pd.isna(phase)].copy()
    opened[s.PHASE] = pd.array(opened[s.PHASE], dtype="Int64").astype(int)
    phases = sorted(int(p) for p in opened[s.PHASE].unique())
    colours = dict(zip(phases, phase_colours(len(phases)), strict=True))
    area_mu = mu_from_m2(to_metric(opened).geometry.area.to_numpy())
    props = parcel_properties(opened, area_mu)
    labels = parcel_labels(park, sorted(set(opened[s.LAND_USE_CODE].astype(str))))
    unit = js_string(" " + _("mu") + " · ")
    entries = []
    for p in phases:
        in_phase = (opened[s.PHASE] == p).to_numpy()
        colour = colours[p]
        name = html.escape(phase_layer_name(p))
        title = js_string(f"{name} · ") + f" + p.{P_ID}"
        group = folium.FeatureGroup(name=phase_layer_name(p))
        style = {"color": colour, "weight": _WEIGHT, "fillColor": colour, "fillOpacity": 0.6}
        add_lean_geojson(
            group,
            display.geometries(opened.loc[in_phase]),
            props.loc[in_phase],
            lean_binder(
                f"zoningPhase{p}",
                styles={"": style},
                style_key=None,
                labels=labels,
                tooltip=f"{title} + ' · ' + p.{P_AREA} + {unit} + g(L.zn, p.{P_ZONE})",
                popup=parcel_popup_js(title),
                weight=_WEIGHT,
            ),
            name=f"phase_{p}",
        )
        group.add_to(m)
        text = _("phase {phase}: {parcels} parcels, {area}").format(
            phase=p,
            parcels=int(in_phase.sum()),
            area=mu(float(area_mu[in_phase].sum()), decimals=0),
        )
        entries.append((swatch(colour), html.escape(text)))
    return legend_section(_("Phase plan"), entries)
