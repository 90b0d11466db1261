"""The park facts: what the fit rules need from a park, computed once per check.

:func:`build_park_facts` indexes the park's layers (zones, occupied parcels, no-build
constraints, sensitive uses, chain producers, nuisance plants), measures every vacant parcel
once (distance to sensitive uses, to producers, to the plant that matters most) and works
out what is left of each capacity. Pass the result to :func:`zoning.rules.check`
(``facts=``) to check several batches against one park without recomputing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import landuse
from zoning import schema as s
from zoning._types import Codes, Floats, IntArray, Objects
from zoning.i18n import N_, translate
from zoning.park import Park
from zoning.rulebook import Capacity, HealthDistance
from zoning.rules.base import FAIL, NA, WARN, judge
from zoning.rules.geometry import (
    FeatureSet,
    constraint_label,
    features,
    parcel_label,
    parcel_label_zh,
    status_zh,
)
from zoning.validation import BOUNDARY_TOLERANCE_M

#: parcel statuses a site must not overlap
OCCUPIED_STATUSES: Final = (
    s.ParcelStatus.DEVELOPED,
    s.ParcelStatus.COMMITTED,
    s.ParcelStatus.PROTECTED,
)
#: parcel statuses whose demand uses capacity and whose occupants produce for the chain
IN_USE_STATUSES: Final = (s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED)
#: status codes of the per-parcel measures in :class:`ParkFacts` (for siting)
STATUS_WARN: Final = WARN
STATUS_FAIL: Final = FAIL
#: column of ``ParkFacts.vacant``: the parcel's status against existing nuisance plants
PLANT_STATUS: Final = "plant_status"
#: the status of a vacant sensitive parcel in a label (its use is planned, not yet there)
_VACANT_PLANNED: Final = N_("vacant, planned")
_INDUSTRY: Final = N_("industry")


def land_use_label_zh(code: str) -> str:
    """Return the Chinese label of a land-use code (``"100103 三类工业用地"``), or the code."""
    found = landuse.LAND_USE_CLASSES.get(code)
    return f"{code} {found.name_zh}" if found else code


@dataclass(frozen=True)
class NuisancePlants:
    """Developed and committed parcels whose occupant's industry has a health-protection distance.

    The plants are grouped by the rule that applies to their ``industry_code`` (the most
    specific prefix of the rulebook's ``health_distances``): ``groups[k]`` holds the plants of
    ``rules[k]``.
    """

    rules: tuple[HealthDistance, ...]
    groups: tuple[FeatureSet, ...]

    def __len__(self) -> int:
        return sum(len(g) for g in self.groups)

    def worst(self, geoms: Objects) -> tuple[Codes, Floats, IntArray, IntArray]:
        """Return, per geometry, the outcome against the plant that matters most.

        That is the plant with the worst status (a binding shortfall fails, an advisory one
        warns), then the smallest margin (distance minus the rule's distance): one nearest
        query per rule, vectorised over ``geoms``.

        Returns
        -------
        tuple of numpy.ndarray
            Status code (``NA`` when there is no plant), distance in metres, index of the
            rule in :attr:`rules` and of the plant in its group (``-1`` when there is none).
        """
        n = len(geoms)
        if len(self) == 0 or n == 0:
            return (
                np.full(n, NA, dtype=np.int8),
                np.full(n, np.inf),
                np.full(n, -1, dtype=np.intp),
                np.full(n, -1, dtype=np.intp),
            )
        found = [group.nearest(geoms) for group in self.groups]
        dist = np.vstack([d for d, _ in found])
        plant = np.vstack([i for _, i in found])
        required = np.array([r.distance_m for r in self.rules], dtype=float)[:, None]
        binding = np.array([r.binding for r in self.rules], dtype=bool)[:, None]
        status = np.where(plant >= 0, judge(dist >= required, binding), NA).astype(np.int8)
        top = status.max(axis=0)
        margin = np.where(status == top, dist - required, np.inf)
        rule = np.argmin(margin, axis=0).astype(np.intp)
        cols = np.arange(n)
        return top.astype(np.int8), dist[rule, cols], rule, plant[rule, cols]


def nuisance_plants(park: Park) -> NuisancePlants:
    """Group the park's developed and committed nuisance plants by health-distance rule."""
    parcels = park.parcels
    rb = park.rulebook
    if s.INDUSTRY_CODE not in parcels.columns or not rb.health_distances:
        return NuisancePlants((), ())
    codes = parcels[s.INDUSTRY_CODE].astype("string").fillna("").str.strip()
    in_use = parcels[s.STATUS].astype(str).isin(list(IN_USE_STATUSES)).to_numpy(dtype=bool)
    rule_of_code = {
        c: rb.health_distance_for(c) for c in codes[in_use].unique().tolist() if c != ""
    }
    rule_ids = codes.map(lambda c: r.id if (r := rule_of_code.get(c)) else "").to_numpy()
    names = {i.code: i.name_en for i in rb.industries}
    names_zh = {i.code: i.name_zh for i in rb.industries}
    rules: list[HealthDistance] = []
    groups: list[FeatureSet] = []
    for hd in rb.health_distances:
        mask = in_use & (rule_ids == hd.id)
        if not mask.any():
            continue
        frame = parcels[mask]
        plant_codes = codes[mask]
        industry = plant_codes + " " + plant_codes.map(lambda c: names.get(c, "")).str.strip()
        industry_zh = plant_codes + " " + plant_codes.map(lambda c: names_zh.get(c, "")).str.strip()

        def label(f: pd.DataFrame, industry: pd.Series = industry) -> pd.Series:
            return parcel_label(f) + ", industry " + industry.str.strip()

        def label_zh(f: pd.DataFrame, industry: pd.Series = industry_zh) -> pd.Series:
            return (
                parcel_label_zh(f) + "，" + translate(_INDUSTRY, "zh") + " " + industry.str.strip()
            )

        rules.append(hd)
        groups.append(features(frame, s.PARCEL_ID, label, label_zh))
    return NuisancePlants(tuple(rules), tuple(groups))


@dataclass(frozen=True)
class ParkFacts:
    """What the fit rules need from a park, computed once per check.

    Build it with :func:`build_park_facts`; pass it to :func:`zoning.rules.check`
    (``facts=``) to check several batches against one park without recomputing it.
    """

    park: Park
    zone_ids: Objects
    zone_labels: Objects
    zone_geoms: Objects
    zone_grown: Objects
    zone_tree: shapely.STRtree
    zone_order: IntArray
    zone_max_level: npt.NDArray[np.int64]
    zone_sensitive: tuple[tuple[str, ...], ...]
    park_union: shapely.Geometry
    park_grown: shapely.Geometry
    occupied: FeatureSet
    blocking: FeatureSet
    sensitive: FeatureSet
    producers: FeatureSet
    plants: NuisancePlants
    vacant: gpd.GeoDataFrame
    remaining: dict[str, tuple[Capacity, float, float]]

    @property
    def n_zones(self) -> int:
        """Number of zones."""
        return len(self.zone_ids)


def sensitive_uses_of_zones(park: Park) -> tuple[tuple[str, ...], ...]:
    """Evidence that a zone is an industry-city integration area, per zone (empty if not).

    A zone is one when its ``permitted`` list admits an industry of the catalogue that needs
    sensitive land (homes, schools, clinics, care homes): the zone is *planned* for living.
    Sensitive parcels that merely lie in a zone do not make it one; the health-protection
    distances deal with them.
    """
    parcels = park.parcels
    sensitive = parcels[parcels[s.LAND_USE_CODE].astype(str).map(landuse.is_sensitive)]
    catalogue = park.rulebook.industries
    out: list[tuple[str, ...]] = []
    for zone_id, permitted in zip(park.zones[s.ZONE_ID], park.zones[s.PERMITTED], strict=True):
        homes = sorted(
            {
                str(p)
                for p in permitted
                for ind in catalogue
                if ind.code.startswith(str(p)) and landuse.is_sensitive(ind.land_use_code)
            }
        )
        if not homes:
            out.append(())
            continue
        evidence = [f"it permits sensitive uses (prefixes {', '.join(homes)})"]
        ids = tuple(sensitive.loc[sensitive[s.ZONE_ID] == zone_id, s.PARCEL_ID].astype(str))
        if ids:
            more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
            evidence.append(f"holds sensitive parcels {', '.join(ids[:3])}{more}")
        out.append(tuple(evidence))
    return tuple(out)


def _sensitive_features(park: Park) -> FeatureSet:
    """Sensitive parcels (any status: planned homes count) and ``sensitive_area`` constraints."""
    parcels = park.parcels
    kinds = park.constraints[s.KIND].astype(str)
    land_use = parcels[s.LAND_USE_CODE].astype(str)
    sens_parcels = parcels[land_use.map(landuse.is_sensitive).to_numpy(dtype=bool)]
    sens_areas = park.constraints[(kinds == s.ConstraintKind.SENSITIVE_AREA).to_numpy()]
    sens_labels = pd.concat(
        [
            sens_parcels[s.PARCEL_ID].astype(str)
            + " ("
            + sens_parcels[s.STATUS].astype(str).replace({"vacant": _VACANT_PLANNED})
            + ") "
            + sens_parcels[s.LAND_USE_CODE].astype(str).map(landuse.label),
            constraint_label(sens_areas) if len(sens_areas) else pd.Series(dtype=str),
        ]
    )
    planned_zh = translate(_VACANT_PLANNED, "zh")
    sens_labels_zh = pd.concat(
        [
            sens_parcels[s.PARCEL_ID].astype(str)
            + "（"
            + status_zh(sens_parcels[s.STATUS]).where(
                sens_parcels[s.STATUS].astype(str) != "vacant", planned_zh
            )
            + "）"
            + sens_parcels[s.LAND_USE_CODE].astype(str).map(land_use_label_zh),
            constraint_label(sens_areas) if len(sens_areas) else pd.Series(dtype=str),
        ]
    )
    sens_geoms = np.concatenate(
        [sens_parcels.geometry.to_numpy(), sens_areas.geometry.to_numpy()]
    ).astype(object)
    sens_ids = np.concatenate(
        [
            sens_parcels[s.PARCEL_ID].astype(str).to_numpy(dtype=object),
            sens_areas[s.CONSTRAINT_ID].astype(str).to_numpy(dtype=object),
        ]
    ).astype(object)
    return FeatureSet.build(
        sens_geoms,
        sens_ids,
        sens_labels.to_numpy(dtype=object),
        sens_labels_zh.to_numpy(dtype=object),
    )


def _producer_features(park: Park) -> FeatureSet:
    """Developed and committed parcels whose occupant's industry produces the chain product."""
    rb = park.rulebook
    parcels = park.parcels
    status = parcels[s.STATUS].astype(str)
    producer_codes = [i.code for i in rb.industries if rb.chain.product in i.produces]
    if s.INDUSTRY_CODE in parcels.columns:
        codes = parcels[s.INDUSTRY_CODE].astype("string").fillna("").str.strip()
        is_producer = (codes.isin(producer_codes) & status.isin(list(IN_USE_STATUSES))).to_numpy(
            dtype=bool
        )
    else:
        is_producer = np.zeros(len(parcels), dtype=bool)
    return features(parcels[is_producer], s.PARCEL_ID, parcel_label, parcel_label_zh)


def _vacant_parcels(
    park: Park, sensitive: FeatureSet, producers: FeatureSet, plants: NuisancePlants
) -> gpd.GeoDataFrame:
    """Return the vacant parcels, each measured once: zone position, distances, plant outcome."""
    parcels = park.parcels
    status = parcels[s.STATUS].astype(str)
    vacant = parcels[(status == s.ParcelStatus.VACANT).to_numpy()].copy()
    zone_pos = {z: i for i, z in enumerate(park.zones[s.ZONE_ID].astype(str))}
    vacant["zone_pos"] = vacant[s.ZONE_ID].astype(str).map(zone_pos).fillna(-1).astype(int)
    vgeoms = vacant.geometry.to_numpy()
    vacant[s.SENSITIVE_DISTANCE_M], vacant["sensitive_index"] = sensitive.nearest(vgeoms)
    vacant[s.CHAIN_DISTANCE_M], vacant["producer_index"] = producers.nearest(vgeoms)
    (
        vacant[PLANT_STATUS],
        vacant["plant_distance_m"],
        vacant["plant_rule"],
        vacant["plant_index"],
    ) = plants.worst(vgeoms)
    return vacant.reset_index(drop=True)


def _remaining_capacity(park: Park) -> dict[str, tuple[Capacity, float, float]]:
    """Per capacity: the rulebook's entry, what developed and committed parcels use, the rest."""
    parcels = park.parcels
    status = parcels[s.STATUS].astype(str)
    in_use = parcels[status.isin(list(IN_USE_STATUSES)).to_numpy()]
    remaining: dict[str, tuple[Capacity, float, float]] = {}
    for key, capacity in park.rulebook.capacities.items():
        used = (
            float(pd.to_numeric(in_use[key], errors="coerce").fillna(0).sum())
            if key in in_use
            else 0.0
        )
        remaining[key] = (capacity, used, capacity.value - used)
    return remaining


def build_park_facts(park: Park) -> ParkFacts:
    """Precompute what the fit rules need from ``park``: indexes, remainders, distances.

    Examples
    --------
    >>> import zoning
    >>> facts = build_park_facts(zoning.load_park())
    >>> sorted(facts.zone_ids)
    ['almg', 'bonded', 'incubation', 'integration']
    """
    zones = park.zones
    parcels = park.parcels
    zone_geoms = zones.geometry.to_numpy()
    zone_grown = shapely.buffer(zone_geoms, BOUNDARY_TOLERANCE_M)
    park_union = shapely.union_all(zone_geoms)
    park_grown = shapely.buffer(park_union, BOUNDARY_TOLERANCE_M)
    shapely.prepare(park_grown)
    shapely.prepare(zone_grown)
    status = parcels[s.STATUS].astype(str)
    occupied = parcels[status.isin(list(OCCUPIED_STATUSES)).to_numpy()]
    kinds = park.constraints[s.KIND].astype(str)
    blocking = park.constraints[kinds.isin(list(s.NO_BUILD_CONSTRAINTS)).to_numpy()]
    sensitive = _sensitive_features(park)
    producers = _producer_features(park)
    plants = nuisance_plants(park)
    max_level = np.array(
        [landuse.nuisance_level(str(c)) or 3 for c in zones[s.MAX_INDUSTRIAL_CLASS]], dtype=np.int64
    )
    return ParkFacts(
        park=park,
        zone_ids=zones[s.ZONE_ID].astype(str).to_numpy(dtype=object),
        zone_labels=(zones[s.ZONE_ID].astype(str) + " " + zones[s.NAME_ZH].astype(str)).to_numpy(
            dtype=object
        ),
        zone_geoms=zone_geoms,
        zone_grown=zone_grown,
        zone_tree=shapely.STRtree(zone_geoms),
        zone_order=np.argsort(zones[s.PRIORITY].to_numpy(), kind="stable").argsort(),
        zone_max_level=max_level,
        zone_sensitive=sensitive_uses_of_zones(park),
        park_union=park_union,
        park_grown=park_grown,
        occupied=features(occupied, s.PARCEL_ID, parcel_label, parcel_label_zh),
        blocking=features(blocking, s.CONSTRAINT_ID, constraint_label),
        sensitive=sensitive,
        producers=producers,
        plants=plants,
        vacant=_vacant_parcels(park, sensitive, producers, plants),
        remaining=_remaining_capacity(park),
    )
