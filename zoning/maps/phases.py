"""The phase plan: one layer per phase, on a sequential scale of blues, dark to light.

Each phase's parcels are filled in its colour; the tooltip and popup give the phase, the
parcel, its area, zone and land use. The tracts a phase opens (连片地块) are outlined in the
same layer, dark and dashed, with why the tract opens in that phase; the projects placed in
the phase are outlined thinly with their id. The legend gives, per phase, the parcels, the
tracts and the mu opened.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

from zoning import schema as s
from zoning.i18n import _, get_lang
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import (
    KEY,
    POPUP,
    TIP,
    Display,
    add_geojson,
    add_lean_geojson,
    lean_binder,
)
from zoning.maps.parcels import (
    P_AREA,
    P_ID,
    P_ZONE,
    parcel_labels,
    parcel_popup_js,
    parcel_properties,
)
from zoning.maps.style import phase_colours, phase_layer_name
from zoning.maps.text import esc, js_string, mu
from zoning.park import Park
from zoning.units import mu_from_m2, to_metric

_WEIGHT = 1.2
#: outline of a tract: darker than any phase fill, dashed, so that joined-up tracts read as one
TRACT_COLOUR = "#08172e"
PLACEMENT_COLOUR = "#ffffff"


def plan_outlines(plan: object) -> dict[str, gpd.GeoDataFrame]:
    """Return a plan's tract and placement outlines, when it has them (a :class:`PhasePlan`)."""
    outlines: dict[str, gpd.GeoDataFrame] = {}
    for key, method in (("tracts", "tract_frame"), ("placements", "placement_frame")):
        frame = getattr(plan, method, None)
        if callable(frame):
            outlines[key] = frame()
    return outlines


def _add_tracts(group: folium.FeatureGroup, tracts: gpd.GeoDataFrame, display: Display) -> None:
    why = "why_zh" if get_lang() == "zh" else "why_en"
    tips = [
        esc(_("tract {tract}: {area}").format(tract=t, area=mu(float(a), decimals=0)))
        for t, a in zip(tracts["tract_id"], tracts[s.AREA_MU], strict=True)
    ]
    props = pd.DataFrame(
        {
            KEY: tracts["tract_id"].astype(str).to_numpy(),
            TIP: tips,
            POPUP: [f"<b>{tip}</b><br>{esc(w)}" for tip, w in zip(tips, tracts[why], strict=True)],
        }
    )

    def style(_feature: dict[str, object]) -> dict[str, object]:
        return {"color": TRACT_COLOUR, "weight": 2.6, "dashArray": "7 4", "fillOpacity": 0.0}

    add_geojson(group, display.geometries(tracts), props, style, name="tracts", highlight=False)


def _add_placements(
    group: folium.FeatureGroup, placements: gpd.GeoDataFrame, display: Display
) -> None:
    tips = [
        esc(_("{project} placed here ({area})").format(project=p, area=mu(float(a), decimals=1)))
        for p, a in zip(placements[s.PROJECT_ID], placements[s.AREA_MU], strict=True)
    ]
    props = pd.DataFrame(
        {KEY: placements[s.PROJECT_ID].astype(str).to_numpy(), TIP: tips, POPUP: tips}
    )

    def style(_feature: dict[str, object]) -> dict[str, object]:
        return {"color": PLACEMENT_COLOUR, "weight": 1.6, "fillOpacity": 0.0}

    add_geojson(group, display.geometries(placements), props, style, name="placements")


def add_phases(
    m: folium.Map,
    park: Park,
    parcels: gpd.GeoDataFrame,
    display: Display,
    *,
    tracts: gpd.GeoDataFrame | None = None,
    placements: gpd.GeoDataFrame | None = None,
) -> str:
    """Draw one layer per phase of a plan's ``parcels``; return the legend section.

    ``tracts`` and ``placements`` (:meth:`zoning.planning.PhasePlan.tract_frame` and
    :meth:`~zoning.planning.PhasePlan.placement_frame`) are outlined in their phase's layer.
    """
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
        n_tracts = 0
        if tracts is not None and len(tracts):
            here = tracts.loc[(tracts[s.PHASE].astype(int) == p).to_numpy()]
            n_tracts = len(here)
            if n_tracts:
                _add_tracts(group, here, display)
        if placements is not None and len(placements):
            placed = placements.loc[(placements[s.PHASE].astype(int) == p).to_numpy()]
            if len(placed):
                _add_placements(group, placed, display)
        group.add_to(m)
        text = _("phase {phase}: {parcels} parcels, {area}").format(
            phase=p,
            parcels=int(in_phase.sum()),
            area=mu(float(area_mu[in_phase].sum()), decimals=0),
        )
        if n_tracts:
            text += _(", {tracts} tract(s)").format(tracts=n_tracts)
        entries.append((swatch(colour), html.escape(text)))
    return legend_section(_("Phase plan"), entries)
