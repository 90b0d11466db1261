"""The project verdicts: each project once, at its site or in its best zone's vacant land.

A project with a site is its site polygon, filled in its verdict's colour (green fits,
amber conditional, red does not fit, grey input error). A project without a site is a
hollow, dashed ring of that colour labelled "no site yet", drawn on a vacant parcel of its
best zone (the zone of its first row when none is best): the one nearest its best candidate
site when the candidate sites are given, else nearest the middle of the zone's vacant land;
two projects never share a parcel, and none is ever drawn on an existing plant. Every
project's id is written on the map; the popup gives the verdict, the other zones' verdicts
and every failing or warning finding.
"""

from __future__ import annotations

import html
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.i18n import _
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, LABEL, POPUP, TIP, Display, add_geojson
from zoning.maps.findings import findings_html
from zoning.maps.style import (
    LAYER_FIT,
    POINT_PANE,
    POINT_RADIUS_PX,
    UNKNOWN_COLOUR,
    VERDICT_COLOURS,
)
from zoning.maps.text import esc, mu, popup_html, word
from zoning.maps.zones import industry_text, zone_names, zone_text
from zoning.park import Park
from zoning.units import METRIC_CRS, to_metric


def best_rows(results: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per project: its best zone's row, or its first row when none is best."""
    ranked = results.assign(
        _order=np.arange(len(results)), _best=~results[s.BEST].fillna(False).astype(bool)
    )
    ranked = ranked.sort_values(["_best", "_order"])
    best = ranked.drop_duplicates(subset=s.PROJECT_ID, keep="first").sort_values("_order")
    return best.drop(columns=["_order", "_best"])


def _site_targets(sites: gpd.GeoDataFrame | None) -> dict[str, shapely.Point]:
    """Per project, the representative point of its best candidate site (EPSG:4543)."""
    if sites is None or sites.empty:
        return {}
    best = to_metric(sites).sort_values(s.RANK).drop_duplicates(s.PROJECT_ID)
    return {
        str(pid): geom.representative_point()
        for pid, geom in zip(best[s.PROJECT_ID], best.geometry, strict=True)
        if geom is not None and not geom.is_empty
    }


#: least distance, metres, between two projects without a site drawn in one zone (when the
#: zone's vacant land allows it), so that their labels do not cover each other
PROJECT_SPACING_M = 400.0


def _pick_parcel(
    spots: np.ndarray, candidates: np.ndarray, used: np.ndarray, target: shapely.Point
) -> int:
    """Return the candidate parcel nearest ``target``, far enough from those already used.

    Far enough is :data:`PROJECT_SPACING_M`; when no candidate is, the nearest of all.
    """
    distances = shapely.distance(spots[candidates], target)
    taken = spots[np.flatnonzero(used)]
    if len(taken):
        gap = np.min(shapely.distance(spots[candidates][:, None], taken[None, :]), axis=1)
        far = gap >= PROJECT_SPACING_M
        if far.any():
            distances = np.where(far, distances, np.inf)
    return int(candidates[int(np.argmin(distances))])


def project_geometries(
    park: Park, best: gpd.GeoDataFrame, sites: gpd.GeoDataFrame | None = None
) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Return each project's site, or a point on a vacant parcel of its best zone.

    Also returns whether each project has a site. See the module's docstring for where a
    project without a site is drawn.
    """
    geoms = to_metric(best).geometry
    has_site = (~(geoms.isna() | geoms.is_empty)).to_numpy()
    out = list(geoms.to_numpy())
    parcels = to_metric(park.parcels)
    vacant = parcels[parcels[s.STATUS] == s.ParcelStatus.VACANT]
    spots = vacant.geometry.representative_point()
    used = np.zeros(len(vacant), dtype=bool)
    targets = _site_targets(sites)
    zones = to_metric(park.zones).set_index(s.ZONE_ID).geometry
    for i in np.flatnonzero(~has_site):
        row = best.iloc[i]
        zone_id = str(row[s.ZONE_ID])
        in_zone = (vacant[s.ZONE_ID].astype(str) == zone_id).to_numpy() & ~used
        if zone_id in zones.index:
            fallback = zones[zone_id].representative_point()
        else:
            fallback = shapely.union_all(zones.to_numpy()).representative_point()
        if not in_zone.any():
            out[i] = fallback
            continue
        target = targets.get(str(row[s.PROJECT_ID]))
        if target is None:
            target = shapely.union_all(vacant.geometry[in_zone].to_numpy()).representative_point()
        chosen = _pick_parcel(spots.to_numpy(), np.flatnonzero(in_zone), used, target)
        used[chosen] = True
        out[i] = spots.iloc[chosen]
    return gpd.GeoSeries(out, index=best.index, crs=METRIC_CRS), has_site


def _other_zones(
    results: gpd.GeoDataFrame, best: gpd.GeoDataFrame, names: dict[str, str]
) -> dict[str, list[str]]:
    """Per project, the verdicts in the zones other than the one it is drawn for."""
    drawn = dict(zip(best[s.PROJECT_ID].astype(str), best[s.ZONE_ID].astype(str), strict=True))
    others: dict[str, list[str]] = {}
    for pid, zone, verdict in zip(
        results[s.PROJECT_ID].astype(str),
        results[s.ZONE_ID].astype(str),
        results[s.VERDICT],
        strict=True,
    ):
        if zone != drawn.get(pid):
            others.setdefault(pid, []).append(
                f"{zone_text(names, zone)}: {word(s.Verdict, verdict)}"
            )
    return others


def _project_popup(park: Park, row: Any, sited: bool, others: list[str]) -> str:
    name = esc(row[s.NAME])
    colour = VERDICT_COLOURS.get(str(row[s.VERDICT]), UNKNOWN_COLOUR)
    area = row.get(s.AREA_MU)
    where = (
        html.escape(_("its site"))
        if sited
        else '<span class="nosite">'
        + html.escape(_("no site yet: shown on vacant land of its best zone"))
        + "</span>"
    )
    rows = [
        (_("Project"), esc(row[s.PROJECT_ID])),
        (_("Industry"), industry_text(park, row.get(s.INDUSTRY_CODE))),
        (_("Zone"), zone_text(zone_names(park), row[s.ZONE_ID])),
        (_("Verdict"), f'<b style="color:{colour}">{word(s.Verdict, row[s.VERDICT])}</b>'),
        (_("Area"), mu(float(area)) if pd.notna(area) else ""),
        (_("Location"), where),
        (_("Other zones"), "<br>".join(others)),
    ]
    return popup_html(name or esc(row[s.PROJECT_ID]), rows, findings_html(row[s.FINDINGS]))


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    colour = VERDICT_COLOURS.get(str(feature["properties"][KEY]), UNKNOWN_COLOUR)
    if feature["geometry"]["type"] == "Point":
        return {
            "color": colour,
            "weight": 3,
            "dashArray": "3 2",
            "fill": True,
            "fillColor": "#ffffff",
            "fillOpacity": 0.9,
            "radius": POINT_RADIUS_PX + 1,
            "pane": POINT_PANE,
        }
    return {"color": colour, "weight": 3, "fillColor": colour, "fillOpacity": 0.55}


def add_results(
    m: folium.Map,
    park: Park,
    results: gpd.GeoDataFrame,
    display: Display,
    sites: gpd.GeoDataFrame | None = None,
) -> str:
    """Draw each project once, labelled with its id; return the legend section."""
    if results.empty:
        return ""
    best = best_rows(results)
    geoms, has_site = project_geometries(park, best, sites)
    others = _other_zones(results, best, zone_names(park))
    no_site = html.escape(_("no site yet"))
    tips, popups, labels = [], [], []
    for i, (_i, row) in enumerate(best.iterrows()):
        pid = esc(row[s.PROJECT_ID])
        verdict = word(s.Verdict, row[s.VERDICT])
        tips.append(
            f"<b>{esc(row[s.NAME])}</b> · {verdict}" + ("" if has_site[i] else f" · {no_site}")
        )
        popups.append(
            _project_popup(park, row, bool(has_site[i]), others.get(str(row[s.PROJECT_ID]), []))
        )
        labels.append(pid if has_site[i] else f'{pid} <span class="nosite">{no_site}</span>')
    props = pd.DataFrame(
        {
            KEY: best[s.VERDICT].astype(str).to_numpy(),
            TIP: tips,
            POPUP: popups,
            LABEL: labels,
            "label_at": [
                [p.y, p.x]
                for p in display.geometries(
                    gpd.GeoDataFrame(geometry=geoms.representative_point(), crs=METRIC_CRS)
                )
            ],
        }
    )
    group = folium.FeatureGroup(name=LAYER_FIT)
    gdf = gpd.GeoDataFrame(geometry=geoms, crs=METRIC_CRS)
    add_geojson(group, display.geometries(gdf), props, _style, name="fit", label_class="project")
    group.add_to(m)
    verdicts = set(best[s.VERDICT].astype(str))
    entries = [(swatch(VERDICT_COLOURS[v]), word(s.Verdict, v)) for v in s.Verdict if v in verdicts]
    if not has_site.all():
        entries.append((swatch("#555555", "ring"), html.escape(_("no site yet (on vacant land)"))))
    return legend_section(LAYER_FIT, entries)
