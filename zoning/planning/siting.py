"""Candidate sites for projects without one: vacant parcels, alone or in contiguous groups.

For every project that has no site polygon and fits (or fits on conditions) in some zone,
:func:`propose_sites` looks among the vacant parcels of those zones for a single parcel, or a
group of parcels that share boundaries, holding the land the project needs, and ranks them.

A parcel is eligible when it is vacant, lies in a zone where the project fits or is
conditional, overlaps no river setback, ecological protection or no-build area, and — for an
industry with a *binding* health-protection distance — lies at least that distance from every
sensitive use; for a new sensitive use (homes, schools, clinics), it lies outside the binding
health-protection distance of every existing nuisance plant (developed or committed parcels
whose ``industry_code`` has one). Parcels are contiguous when they share at least
``rulebook.sequencing.min_shared_boundary_m`` of boundary (parcels across a road are not).

Ranking: candidates are ordered by a score, lower is better, and the reason names each term:

- spare land: the share of the candidate's area beyond what the project needs (land is to be
  used intensively, 节约集约用地);
- 0.15 per parcel beyond the first (parcels to merge);
- 0.25 when the parcels' planned land use differs from the class the industry needs;
- 0.5 for a consumer of the chain product farther than ``chain.max_distance_m`` from the
  nearest producer (铝液直供), and 0.5 when an advisory health distance is not kept (either
  way: a new plant near sensitive uses, or a new sensitive use near a plant);
- 0.1 when the zone's verdict is ``conditional`` rather than ``fits``.

Examples
--------
>>> import shapely, pandas as pd, geopandas as gpd
>>> from zoning.park import build_park
>>> from zoning.rulebook import build_rulebook
>>> from zoning.rules import check
>>> rb = build_rulebook({"rulebook": {"park_id": "demo", "name": "Demo", "version": "1"},
...     "industries": [{"code": "3252", "name_zh": "铝压延加工", "name_en": "Aluminium rolling",
...                     "land_use_code": "100102"}]})
>>> zones = gpd.GeoDataFrame({"zone_id": ["a"], "name_zh": ["甲"], "name_en": ["A"],
...     "permitted": [["32"]], "conditional": [[]], "prohibited": [[]],
...     "max_industrial_class": ["100102"], "priority": [1],
...     "development_mode": ["priority_contiguous"]},
...     geometry=[shapely.box(500000, 4000000, 501000, 4001000)], crs="EPSG:4543")
>>> parcels = gpd.GeoDataFrame({"parcel_id": ["p1", "p2", "p3"],
...     "land_use_code": ["100102"] * 3, "status": ["vacant"] * 3},
...     geometry=[shapely.box(500000, 4000000, 500100, 4000200),
...               shapely.box(500100, 4000000, 500200, 4000200),
...               shapely.box(500500, 4000500, 500900, 4000900)], crs="EPSG:4543")
>>> park = build_park({"zones": zones, "parcels": parcels}, rb)
>>> results = check(park, pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...                                     "area_mu": [55.0]}))
>>> sites = propose_sites(park, results)
>>> sites[["rank", "parcel_ids", "candidate_mu"]].round(1).values.tolist()
[[1, ['p1', 'p2'], 60.0], [2, ['p3'], 240.0]]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import landuse
from zoning import schema as s
from zoning.park import Park
from zoning.rules import ParkFacts, build_park_facts
from zoning.rules.facts import PLANT_STATUS, STATUS_FAIL, STATUS_WARN
from zoning.schema import PLACEABLE_VERDICTS as PLACEABLE
from zoning.schema import Verdict
from zoning.units import METRIC_CRS
from zoning.validation import BOUNDARY_TOLERANCE_M

#: the columns of :func:`propose_sites`' result, in order
SITE_COLUMNS: Final = (
    s.PROJECT_ID,
    s.ZONE_ID,
    s.RANK,
    s.PARCEL_IDS,
    s.CANDIDATE_MU,
    s.SPARE_MU,
    s.CHAIN_DISTANCE_M,
    s.SENSITIVE_DISTANCE_M,
    s.REASON,
    s.GEOMETRY,
)
#: score added per parcel beyond the first
PARCEL_PENALTY: Final = 0.15
#: score added when the planned land use of a parcel is not the class the industry needs
LAND_USE_PENALTY: Final = 0.25
#: score added for a chain consumer beyond the direct-supply distance
CHAIN_PENALTY: Final = 0.5
#: score added when an advisory health-protection distance is not kept
HEALTH_PENALTY: Final = 0.5
#: score added when the zone's verdict is conditional
CONDITIONAL_PENALTY: Final = 0.1
#: most parcels merged into one candidate
DEFAULT_MAX_PARCELS: Final = 6


@dataclass(frozen=True)
class _Vacant:
    """The vacant parcels that can be built on, with their contiguity."""

    ids: npt.NDArray[np.object_]
    zone: npt.NDArray[np.int64]
    area_mu: npt.NDArray[np.float64]
    land_use: npt.NDArray[np.object_]
    sensitive_m: npt.NDArray[np.float64]
    plant_status: npt.NDArray[np.int8]
    chain_m: npt.NDArray[np.float64]
    geoms: npt.NDArray[np.object_]
    neighbours: list[list[int]]


def _buildable_vacant(facts: ParkFacts) -> _Vacant:
    vacant = facts.vacant
    geoms = vacant.geometry.to_numpy()
    blocked, _ = facts.blocking.overlaps(geoms)
    keep = (blocked == 0) & (vacant["zone_pos"].to_numpy() >= 0)
    vacant = vacant[keep].reset_index(drop=True)
    geoms = vacant.geometry.to_numpy()
    min_shared = facts.park.rulebook.sequencing.min_shared_boundary_m
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=BOUNDARY_TOLERANCE_M)
    keep_pairs = left < right
    left, right = left[keep_pairs], right[keep_pairs]
    shared = shapely.length(
        shapely.intersection(
            shapely.boundary(geoms[left]), shapely.buffer(geoms[right], BOUNDARY_TOLERANCE_M)
        )
    )
    neighbours: list[list[int]] = [[] for _ in range(len(geoms))]
    for a, b in zip(
        left[shared >= min_shared].tolist(), right[shared >= min_shared].tolist(), strict=True
    ):
        neighbours[a].append(b)
        neighbours[b].append(a)
    return _Vacant(
        ids=vacant[s.PARCEL_ID].astype(str).to_numpy(dtype=object),
        zone=vacant["zone_pos"].to_numpy(dtype=np.int64),
        area_mu=vacant[s.AREA_MU].to_numpy(float),
        land_use=vacant[s.LAND_USE_CODE].astype(str).to_numpy(dtype=object),
        sensitive_m=vacant[s.SENSITIVE_DISTANCE_M].to_numpy(float),
        plant_status=vacant[PLANT_STATUS].to_numpy(np.int8),
        chain_m=vacant[s.CHAIN_DISTANCE_M].to_numpy(float),
        geoms=geoms,
        neighbours=neighbours,
    )


def _groups(
    eligible: Iterable[int], vacant: _Vacant, need_mu: float, *, max_parcels: int
) -> set[frozenset[int]]:
    """Single parcels and contiguous groups, grown greedily from each seed, holding ``need_mu``.

    A group grows by the neighbour that completes it with the least spare land, or, when
    none does, by the largest neighbour; it stops when it holds the need or has
    ``max_parcels`` parcels.
    """
    allowed = set(eligible)
    area = vacant.area_mu
    found: set[frozenset[int]] = set()
    for seed in allowed:
        group = [seed]
        total = float(area[seed])
        while total < need_mu and len(group) < max_parcels:
            frontier = {n for g in group for n in vacant.neighbours[g] if n in allowed} - set(group)
            if not frontier:
                break
            completing = [n for n in frontier if total + area[n] >= need_mu]
            pick = (
                min(completing, key=lambda n: (area[n], n))
                if completing
                else max(frontier, key=lambda n: (area[n], -n))
            )
            group.append(pick)
            total += float(area[pick])
        if total >= need_mu:
            found.add(frozenset(group))
    return found


def _project_candidates(
    park: Park,
    project_rows: pd.DataFrame,
    vacant: _Vacant,
    zone_pos: dict[str, int],
    max_parcels: int,
) -> list[dict[str, object]]:
    """Return every candidate site of one project, in the zones where it fits (unranked)."""
    rb = park.rulebook
    limit = rb.chain.max_distance_m
    code = str(project_rows[s.INDUSTRY_CODE].iloc[0])
    need = float(project_rows[s.AREA_MU].iloc[0])
    industry = rb.industry(code)
    health = rb.health_distance_for(code)
    consumer = rb.chain.product in industry.consumes
    sensitive_use = landuse.is_sensitive(industry.land_use_code)
    candidates = []
    for zone_id, verdict in zip(project_rows[s.ZONE_ID], project_rows[s.VERDICT], strict=True):
        z = zone_pos[str(zone_id)]
        eligible = np.flatnonzero(vacant.zone == z)
        if health is not None and health.binding:
            eligible = eligible[vacant.sensitive_m[eligible] >= health.distance_m]
        if sensitive_use:  # a new home, school or clinic keeps existing plants' distances
            eligible = eligible[vacant.plant_status[eligible] != STATUS_FAIL]
        for group in _groups(eligible.tolist(), vacant, need, max_parcels=max_parcels):
            members = sorted(group, key=lambda i: vacant.ids[i])
            candidates.append(
                _candidate(
                    vacant,
                    members,
                    need,
                    str(zone_id),
                    str(verdict),
                    industry.land_use_code,
                    rb.chain.product.replace("_", " ") if consumer else None,
                    limit,
                    None if health is None or health.binding else health.distance_m,
                    sensitive_use=sensitive_use,
                )
            )
    return candidates


def propose_sites(
    park: Park,
    results: pd.DataFrame,
    *,
    max_candidates: int = 3,
    max_parcels: int = DEFAULT_MAX_PARCELS,
    facts: ParkFacts | None = None,
) -> gpd.GeoDataFrame:
    """Propose ranked candidate sites for the projects of ``results`` that have no site.

    Parameters
    ----------
    park
        The park the results were checked against.
    results
        The output of :func:`zoning.check`. Rows with a site, errors, and zones where the
        project does not fit are ignored.
    max_candidates
        Candidates kept per project (best first).
    max_parcels
        Most vacant parcels merged into one candidate.
    facts
        Precomputed park facts (:func:`zoning.fit.build_park_facts`).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4543, columns :data:`SITE_COLUMNS`: ``rank`` (1 is best, per project),
        ``parcel_ids``, ``candidate_mu`` (area of the parcels), ``spare_mu`` (beyond the
        need), ``chain_distance_m`` and ``sensitive_distance_m`` (nearest producer and
        sensitive use, from the closest of the parcels), ``reason`` and the union of the
        parcels as geometry. A project for which no candidate exists has no row.

    Raises
    ------
    ValueError
        If ``max_candidates`` or ``max_parcels`` is less than 1.
    """
    if max_candidates < 1 or max_parcels < 1:
        raise ValueError(
            f"max_candidates and max_parcels must be at least 1, got {max_candidates} and "
            f"{max_parcels}"
        )
    facts = build_park_facts(park) if facts is None else facts
    rows = results[
        results[s.VERDICT].isin(PLACEABLE).to_numpy(dtype=bool)
        & shapely.is_missing(results.geometry.to_numpy())
    ]
    vacant = _buildable_vacant(facts)
    zone_pos = {str(z): i for i, z in enumerate(facts.zone_ids)}
    records: list[dict[str, object]] = []
    for project_id, project_rows in rows.groupby(s.PROJECT_ID, sort=False):
        candidates = _project_candidates(park, project_rows, vacant, zone_pos, max_parcels)
        candidates.sort(key=lambda c: (c["_score"], c[s.CANDIDATE_MU], c[s.PARCEL_IDS]))
        for rank, cand in enumerate(candidates[:max_candidates], start=1):
            cand[s.PROJECT_ID] = str(project_id)
            cand[s.RANK] = rank
            records.append(cand)
    if not records:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in SITE_COLUMNS if c != s.GEOMETRY},
            geometry=gpd.GeoSeries([], crs=METRIC_CRS),
            crs=METRIC_CRS,
        )
    frame = pd.DataFrame(records)
    return gpd.GeoDataFrame(frame[list(SITE_COLUMNS)], geometry=s.GEOMETRY, crs=METRIC_CRS)


def land_use_serves(planned: str, needed: str) -> bool:
    """Whether land planned as ``planned`` can take a use that needs ``needed`` as it is.

    The same class, a class and its parent, or — for industrial and logistics land — a
    class of the same family with a higher nuisance level (class-2 industry on class-3 land).

    Examples
    --------
    >>> land_use_serves("100103", "100102"), land_use_serves("100101", "100102")
    (True, False)
    >>> land_use_serves("0901", "090101"), land_use_serves("0902", "090101")
    (True, False)
    """
    if planned.startswith(needed) or needed.startswith(planned):
        return True
    planned_level, needed_level = landuse.nuisance_level(planned), landuse.nuisance_level(needed)
    return (
        planned_level is not None
        and needed_level is not None
        and planned[:4] == needed[:4]
        and planned_level >= needed_level
    )


def _candidate(  # noqa: PLR0913 -- 10 args, fixed after the tracts merge
    vacant: _Vacant,
    members: list[int],
    need: float,
    zone_id: str,
    verdict: str,
    needed_land_use: str,
    chain_product: str | None,
    chain_limit_m: float,
    advisory_health_m: float | None,
    *,
    sensitive_use: bool,
) -> dict[str, object]:
    idx = np.array(members)
    area = float(vacant.area_mu[idx].sum())
    spare = area - need
    ids = [str(vacant.ids[i]) for i in members]
    chain_m = float(vacant.chain_m[idx].min())
    sensitive_m = float(vacant.sensitive_m[idx].min())
    score = spare / need + PARCEL_PENALTY * (len(idx) - 1)
    what = f"vacant parcel {ids[0]}" if len(ids) == 1 else f"{len(ids)} contiguous vacant parcels"
    reasons = [
        f"{what} of {area:,.1f} mu in zone {zone_id} {'holds' if len(ids) == 1 else 'hold'} "
        f"the {need:,.1f} mu needed "
        f"({spare:,.1f} mu spare, {spare / need:.0%})"
    ]
    mismatched = [
        i for i in members if not land_use_serves(str(vacant.land_use[i]), needed_land_use)
    ]
    if mismatched:
        score += LAND_USE_PENALTY
        planned = sorted({landuse.label(str(vacant.land_use[i])) for i in mismatched})
        reasons.append(
            f"planned land use {', '.join(planned)} differs from the "
            f"{needed_land_use} the industry needs (re-zoning needed)"
        )
    else:
        reasons.append(f"planned land use serves {needed_land_use}")
    if chain_product is not None:
        if np.isfinite(chain_m) and chain_m <= chain_limit_m:
            reasons.append(f"{chain_m:,.0f} m from a {chain_product} producer (direct supply)")
        else:
            score += CHAIN_PENALTY
            shown = f"{chain_m:,.0f} m" if np.isfinite(chain_m) else "no producer known"
            reasons.append(f"beyond {chain_limit_m:,.0f} m of direct supply ({shown})")
    if advisory_health_m is not None and sensitive_m < advisory_health_m:
        score += HEALTH_PENALTY
        reasons.append(
            f"{sensitive_m:,.0f} m from sensitive uses, inside the advisory "
            f"{advisory_health_m:,.0f} m"
        )
    if sensitive_use and (vacant.plant_status[idx] == STATUS_WARN).any():
        score += HEALTH_PENALTY
        reasons.append("inside the advisory health-protection distance of an existing plant")
    if verdict == Verdict.CONDITIONAL:
        score += CONDITIONAL_PENALTY
        reasons.append("the zone's verdict is conditional")
    return {
        s.ZONE_ID: zone_id,
        s.PARCEL_IDS: ids,
        s.CANDIDATE_MU: area,
        s.SPARE_MU: spare,
        s.CHAIN_DISTANCE_M: chain_m if np.isfinite(chain_m) else np.nan,
        s.SENSITIVE_DISTANCE_M: sensitive_m if np.isfinite(sensitive_m) else np.nan,
        s.REASON: f"score {score:.2f}: " + "; ".join(reasons),
        s.GEOMETRY: shapely.union_all(vacant.geoms[idx]),
        "_score": score,
    }
