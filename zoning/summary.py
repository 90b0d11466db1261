"""Land budget summaries of a park."""

from __future__ import annotations

import pandas as pd

from zoning import schema as s
from zoning.park import Park


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
