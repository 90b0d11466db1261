"""Land budget summaries of a park."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from zoning import schema as s
from zoning.park import Park

if TYPE_CHECKING:
    from zoning.planning import PhasePlan


def summarize_zones(park: Park) -> pd.DataFrame:
    """Return one row per zone: names, priority, mode, areas and parcel counts by status.

    Areas are in mu (亩) and hectares, computed in EPSG:4543. The frame is indexed by
    ``zone_id`` and ordered by priority.

    Returns
    -------
    pandas.DataFrame
        Columns ``name_zh``, ``name_en``, ``priority``, ``development_mode``,
        ``area_mu``, ``area_ha``, ``parcels``, ``parcel_mu``, one ``<status>_mu`` and one
        ``n_<status>`` column per parcel status.
    """
    zones = park.zones.set_index(s.ZONE_ID)
    out = zones[[s.NAME_ZH, s.NAME_EN, s.PRIORITY, s.DEVELOPMENT_MODE, s.AREA_MU, s.AREA_HA]].copy()
    parcels = park.parcels
    by_zone = parcels.groupby(s.ZONE_ID)
    out["parcels"] = by_zone.size().reindex(out.index, fill_value=0)
    out["parcel_mu"] = by_zone[s.AREA_MU].sum().reindex(out.index, fill_value=0.0)
    pivot_mu = parcels.pivot_table(
        index=s.ZONE_ID, columns=s.STATUS, values=s.AREA_MU, aggfunc="sum", fill_value=0.0
    )
    pivot_n = parcels.pivot_table(
        index=s.ZONE_ID, columns=s.STATUS, values=s.AREA_MU, aggfunc="count", fill_value=0
    )
    for status in s.ParcelStatus:
        mu = pivot_mu[status] if status in pivot_mu.columns else pd.Series(dtype=float)
        n = pivot_n[status] if status in pivot_n.columns else pd.Series(dtype=int)
        out[f"{status}_mu"] = mu.reindex(out.index, fill_value=0.0).astype(float)
        out[f"n_{status}"] = n.reindex(out.index, fill_value=0).astype(int)
    ordered: pd.DataFrame = out.sort_values(s.PRIORITY)
    return ordered


def summarize_phases(plan: PhasePlan, *, placement: PhasePlan | None = None) -> pd.DataFrame:
    """Return one row per phase of a plan: land opened, where, and the projects placed.

    Parameters
    ----------
    plan
        The land-supply phase plan (:func:`zoning.sequence`).
    placement
        Optionally, a project-aware plan of the same park; its placed projects are listed
        against the phase they open in.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``phase`` (1..K): ``area_mu`` and ``parcels`` opened, ``blocks`` opened,
        ``zone_ids`` (the zones the land lies in, the largest share first) and
        ``project_ids`` (the projects the placement puts in the phase, sorted; empty
        without a placement).
    """
    metrics = plan.metrics.set_index(s.PHASE)
    out = metrics[[s.AREA_MU, s.N_PARCELS, s.BLOCKS]].copy()
    opened = plan.parcels[plan.parcels[s.PHASE].notna()]
    by_zone = opened.groupby([s.PHASE, s.ZONE_ID])[s.AREA_MU].sum()
    zones: dict[int, list[str]] = {}
    for (phase, zone_id), _area in by_zone.sort_values(ascending=False).items():
        zones.setdefault(int(phase), []).append(str(zone_id))
    out["zone_ids"] = [zones.get(int(p), []) for p in out.index]
    projects: dict[int, list[str]] = {}
    if placement is not None and not placement.assignments.empty:
        for row in placement.assignments.itertuples(index=False):
            projects.setdefault(int(getattr(row, s.PHASE)), []).append(
                str(getattr(row, s.PROJECT_ID))
            )
    out["project_ids"] = [sorted(projects.get(int(p), [])) for p in out.index]
    return out
