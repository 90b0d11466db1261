r"""Contiguous phased development: which vacant land opens in which phase.

The park's rule is to rank areas, open key areas first and in contiguous blocks, and keep
other areas in their current use for now (重点区域优先连片开发，其他区域短期内原则上维持现状功能).
:func:`sequence` turns that rule into a phase plan: every vacant parcel is either opened in
one of the phases ``1..K`` or listed as unscheduled with its reason.

Rules every plan keeps
----------------------
*Seeds.* Land that is developed or committed is the starting point, and so is the frontage
of serviced infrastructure: a vacant parcel fronting a *built* road or utility trunk
(:func:`zoning.adjacency.find_serviced_parcels`) may start a block.

*No leap-frogging.* The parcels opened in one phase form blocks (connected pieces of the
adjacency graph, :mod:`zoning.adjacency`); every block contains a parcel that is *anchored*
at the start of the phase: it fronts serviced infrastructure or neighbours land developed,
committed or opened in an earlier phase.

*Land supply.* The area opened in a phase is at most ``quota_mu``. Optionally, wastewater
and power capacity is added phase by phase, and the cumulative demand of the opened land
stays within the capacity available by then.

*Zones.* A zone in ``maintain_current`` mode opens no earlier than the phase named in the
rulebook (``[sequencing.open_from_phase]``) and never if it is not named; other zones are
open from phase 1 (or from the phase named). Protected parcels and parcels mostly inside a
no-build constraint (river setback, ecological protection, no-build corridor) never open.

*Priority.* Zones are ranked by ``priority`` (1 first). A phase opens land of a lower-ranked
zone only when no closed parcel of a better-ranked zone that was anchored at the start of
the phase would fit in the quota (and capacity) left by the phase's land of that rank or
better: lower-ranked land never takes the room of better-ranked land that could open.

Objective
---------
Among plans that keep the rules, a better plan opens high-priority land early and opens it
compactly. With ``K`` phases, parcel ``i`` of area ``a_i`` (mu) opened in phase ``p_i``:

.. math::

    J = \sum_i w_i a_i \frac{K + 1 - p_i}{K}
        - \beta \sum_{p=1}^{K} B_p
        - \gamma \sum_{p=1}^{K} (P_p - P_0) / 1000

``w_i`` is the priority weight of the parcel's zone, from 2 for the best-ranked zone to 1
for the worst (linear in rank); ``B_p`` is the number of blocks opened in phase ``p``;
``P_p`` is the perimeter (m) of the developed area after phase ``p`` (existing development
included, ``P_0`` before phase 1), computed as the parcels' perimeters less twice their
shared boundaries; ``β`` (:attr:`ObjectiveWeights.block_penalty_mu`, default 1) and ``γ``
(:attr:`ObjectiveWeights.perimeter_penalty_mu_per_km`, default 0.5) are weights. ``J`` is in
mu-equivalents: opening 1 mu of the worst-ranked zone in phase 1 earns 1. The defaults make
land supply dominate (any parcel worth more than 1 mu-equivalent pays for the block it opens)
while fragmentation decides between plans that open similar land. :func:`evaluate_plan`
computes ``J`` for any plan; the heuristic and the exact mode
(:mod:`zoning.sequencing_exact`) are both scored by it.

Methods
-------
``heuristic`` (default) grows the plan phase by phase: it keeps the candidate parcels
(anchored, or next to land opened in the phase) in a priority queue ordered by zone rank,
then by marginal gain in ``J`` per mu (area value less the perimeter and block they add,
like a knapsack greedy), opens the best one that fits, updates its neighbours and repeats
until the phase is full. It is deterministic (ties broken by
``parcel_id``) and runs in ``O(E log N)``. ``exact`` solves the same model with OR-Tools
CP-SAT; it is meant for small instances (a few dozen vacant parcels) and for measuring the
heuristic.

Project-aware mode
------------------
Given the fit-check result of a project pipeline (``projects``: one row per project and
zone with a ``verdict``), each project whose verdict is ``fits`` or ``conditional`` in some
zone gets a contiguous block of vacant parcels of at least its ``area_mu`` in such a zone,
phase by phase in pipeline order, under the same rules; the plan then says which project
opens which land when, and lists the projects that could not be placed with the reason.

Examples
--------
>>> import zoning
>>> park = zoning.load_park()
>>> plan = sequence(park, quota_mu=1500, phases=4)
>>> bool(plan.metrics["area_mu"].le(1500).all())
True
>>> sorted(plan.to_dict())[:3]
['assignments', 'metrics', 'phases']
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning._types import IntArray
from zoning.adjacency import (
    FRONTAGE_TOLERANCE_M,
    ParcelAdjacency,
    build_parcel_adjacency,
    find_serviced_parcels,
)
from zoning.errors import InfeasiblePlanError, InputError, Problem
from zoning.park import Park
from zoning.schema import NO_BUILD_CONSTRAINTS, PLACEABLE_VERDICTS
from zoning.units import METRIC_CRS

#: default block penalty, mu-equivalents per block opened in a phase
BLOCK_PENALTY_MU: Final = 1.0
#: default perimeter penalty, mu per km of developed-area perimeter per phase
PERIMETER_PENALTY_MU_PER_KM: Final = 0.5
#: priority weight of the best-ranked zone (the worst-ranked zone weighs 1)
TOP_PRIORITY_WEIGHT: Final = 2.0
#: a parcel at least this much inside no-build constraints is ``constrained``
CONSTRAINED_SHARE: Final = 0.5
#: areas and capacities are compared with this relative slack (rounding of coordinates)
FIT_TOLERANCE: Final = 1e-9
#: most anchored parcels tried as the start of one project's block
PROJECT_START_LIMIT: Final = 200
#: a parcel is under a project's site when this share of the smaller of the two overlaps
SITE_OVERLAP_SHARE: Final = 0.05
#: internal column of the project table holding the site geometry (or None)
SITE: Final = "_site"
#: name of the compactness measure reported in the metrics
COMPACTNESS_MEASURE: Final = "polsby_popper"

#: phase value of a parcel that is not opened
NOT_OPENED: Final = 0

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_STATIC_REASON_ORDER: Final = (
    s.UnscheduledReason.PROTECTED,
    s.UnscheduledReason.ZONE_HELD,
    s.UnscheduledReason.CONSTRAINED,
    s.UnscheduledReason.LARGER_THAN_QUOTA,
    s.UnscheduledReason.ISOLATED,
)

# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the fragmentation penalties of the objective (see the module docstring).

    Parameters
    ----------
    block_penalty_mu
        Cost of each block opened in a phase, in mu-equivalents (opening 1 mu of the
        worst-ranked zone in phase 1 earns 1).
    perimeter_penalty_mu_per_km
        Cost of each km of perimeter of the developed area, per phase it stands, in
        mu-equivalents.
    """

    block_penalty_mu: float = BLOCK_PENALTY_MU
    perimeter_penalty_mu_per_km: float = PERIMETER_PENALTY_MU_PER_KM


@dataclass(frozen=True)
class Capacity:
    """Infrastructure capacity available to newly opened land, by the end of each phase.

    Attributes
    ----------
    name
        ``wastewater_tpd`` or ``power_mw``.
    available
        Cumulative capacity available to new land by the end of phase ``p`` at index
        ``p - 1``.
    demand
        Demand of each parcel (in problem order).
    """

    name: str
    available: FloatArray
    demand: FloatArray


@dataclass(frozen=True)
class SequencingProblem:
    """The numeric form of a phase-planning problem, in ``parcel_id`` order.

    Built by :func:`build_sequencing_problem`; both methods solve it and
    :func:`evaluate_plan` scores their answers. Arrays are indexed by *node*: node ``k`` is
    the parcel with the ``k``-th smallest ``parcel_id`` (so ties are broken by id).

    Attributes
    ----------
    ids
        Parcel ids, sorted.
    rows
        Row position of each node in ``park.parcels``.
    area_mu, perimeter_m
        Parcel area (mu) and perimeter (m).
    weight
        Priority weight ``w_i`` of the parcel's zone.
    tier
        Dense rank of the zone's priority, 0 for the best-ranked zones.
    developed
        Developed or committed today.
    serviced
        Fronts serviced (built) linear infrastructure.
    eligible
        Vacant, not protected, not constrained, no larger than the quota, in a zone that
        opens within the plan: may be opened.
    open_phase
        First phase the parcel's zone may open (``phases + 1`` when never).
    static_reason
        Reason code (index into :class:`~zoning.schema.UnscheduledReason`, ``-1`` none)
        known before planning: protected, zone held, constrained, larger than the quota,
        isolated.
    priority_zone
        In a ``priority_contiguous`` zone (重点区域).
    zone
        Zone id of each node.
    adjacency
        Neighbours and contacts, with node positions.
    indptr, indices
        Neighbour lists (CSR) of the adjacency graph.
    contact_indptr, contact_indices, contact_length_m
        Boundary contacts (CSR), for the perimeter.
    quota_mu, phases
        Land supply per phase and number of phases.
    block_penalty_mu, perimeter_penalty_mu_per_m
        Resolved objective weights.
    capacities
        Optional capacity limits.
    """

    ids: npt.NDArray[np.str_]
    rows: IntArray
    area_mu: FloatArray
    perimeter_m: FloatArray
    weight: FloatArray
    tier: IntArray
    developed: BoolArray
    serviced: BoolArray
    eligible: BoolArray
    open_phase: IntArray
    static_reason: IntArray
    priority_zone: BoolArray
    zone: npt.NDArray[np.object_]
    adjacency: ParcelAdjacency
    indptr: IntArray
    indices: IntArray
    contact_indptr: IntArray
    contact_indices: IntArray
    contact_length_m: FloatArray
    quota_mu: float
    phases: int
    block_penalty_mu: float
    perimeter_penalty_mu_per_m: float
    capacities: tuple[Capacity, ...] = ()

    @property
    def n(self) -> int:
        """Number of parcels."""
        return len(self.ids)

    @property
    def area_m2(self) -> FloatArray:
        """Parcel areas in square metres."""
        out: FloatArray = self.area_mu * (10000.0 / 15.0)
        return out

    def fits(self, need_mu: float, slack_mu: float) -> bool:
        """Whether ``need_mu`` fits in ``slack_mu`` (with the rounding tolerance)."""
        return need_mu <= slack_mu + FIT_TOLERANCE * max(self.quota_mu, 1.0)


@dataclass(frozen=True)
class ObjectiveValue:
    """The objective of a plan and its parts (all in mu, see the module docstring)."""

    value: float
    reward: float
    block_penalty: float
    perimeter_penalty: float


# --------------------------------------------------------------------------- union-find


def _component_labels(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Label the connected components of the graph on ``n`` nodes with edges (left, right)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    return np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)


# --------------------------------------------------------------------------- evaluation


def phase_blocks(problem: SequencingProblem, phase_of: IntArray) -> IntArray:
    """Return the number of blocks opened in each phase (index ``p - 1``).

    A block is a connected piece of the adjacency graph among the parcels of one phase.
    """
    left, right = problem.adjacency.left, problem.adjacency.right
    same = (phase_of[left] == phase_of[right]) & (phase_of[left] > NOT_OPENED)
    opened = np.flatnonzero(phase_of > NOT_OPENED)
    counts = np.zeros(problem.phases, dtype=np.int64)
    if opened.size == 0:
        return counts
    labels = _component_labels(problem.n, left[same], right[same])
    roots = np.unique(labels[opened])
    np.add.at(counts, phase_of[roots] - 1, 1)
    return counts


def perimeter_by_phase(problem: SequencingProblem, phase_of: IntArray) -> FloatArray:
    """Return the perimeter (m) of the developed area before phase 1 and after each phase.

    Index 0 is the existing development; index ``p`` is after phase ``p``. The perimeter
    of a union of parcels is their summed perimeters less twice their shared boundaries.
    """
    k = problem.phases
    when = np.where(problem.developed, 0, np.where(phase_of > NOT_OPENED, phase_of, k + 1))
    adj = problem.adjacency
    inside = np.maximum(when[adj.contact_left], when[adj.contact_right])
    own = np.bincount(when, weights=problem.perimeter_m, minlength=k + 2)[: k + 1]
    shared = np.bincount(inside, weights=adj.contact_length_m, minlength=k + 2)[: k + 1]
    out: FloatArray = np.cumsum(own - 2.0 * shared)
    return out


def evaluate_plan(problem: SequencingProblem, phase_of: IntArray) -> ObjectiveValue:
    """Compute the objective ``J`` of a plan (the one function both methods are scored by).

    Parameters
    ----------
    problem
        The planning problem.
    phase_of
        Phase of each node, :data:`NOT_OPENED` (0) for a parcel not opened.

    Returns
    -------
    ObjectiveValue
    """
    k = problem.phases
    opened = phase_of > NOT_OPENED
    time_weight = np.where(opened, (k + 1 - phase_of) / k, 0.0)
    reward = float(np.sum(problem.weight * problem.area_mu * time_weight))
    blocks = phase_blocks(problem, phase_of)
    block_penalty = problem.block_penalty_mu * float(blocks.sum())
    perimeter = perimeter_by_phase(problem, phase_of)
    perimeter_penalty = problem.perimeter_penalty_mu_per_m * float(
        np.sum(perimeter[1:] - perimeter[0])
    )
    return ObjectiveValue(
        value=reward - block_penalty - perimeter_penalty,
        reward=reward,
        block_penalty=block_penalty,
        perimeter_penalty=perimeter_penalty,
    )


# --------------------------------------------------------------------------- problem building


def _option_problems(
    quota_mu: float, phases: int, min_shared_boundary_m: float, max_road_gap_m: float
) -> list[Problem]:
    problems = []
    if not math.isfinite(quota_mu) or quota_mu <= 0:
        problems.append(
            Problem(
                "quota_mu",
                f"the land-supply quota must be a positive number of mu, got {quota_mu}",
                expected="quota_mu > 0 (e.g. 1500)",
                fix="pass --quota-mu with the land each phase may open, in mu",
            )
        )
    if int(phases) != phases or phases < 1:
        problems.append(
            Problem(
                "phases",
                f"the number of phases must be a whole number of at least 1, got {phases}",
                expected="1, 2, 3, ...",
            )
        )
    for name, value in (
        ("min_shared_boundary_m", min_shared_boundary_m),
        ("max_road_gap_m", max_road_gap_m),
    ):
        if not math.isfinite(value) or value < 0:
            problems.append(Problem(name, f"{name} must be >= 0 metres, got {value}"))
    return problems


def _constrained(parcels: gpd.GeoDataFrame, constraints: gpd.GeoDataFrame) -> BoolArray:
    out = np.zeros(len(parcels), dtype=bool)
    if constraints.empty or s.KIND not in constraints:
        return out
    no_build = constraints[
        constraints[s.KIND].astype(str).isin([str(k) for k in NO_BUILD_CONSTRAINTS])
    ]
    if no_build.empty:
        return out
    zones = no_build.geometry.to_numpy()
    geoms = parcels.geometry.to_numpy()
    part, zone = shapely.STRtree(zones).query(geoms, predicate="intersects")
    if part.size == 0:
        return out
    # overlapping constraints are unioned per parcel so no area counts twice
    covered = np.zeros(len(parcels))
    for p in np.unique(part):
        union = shapely.union_all(zones[zone[part == p]])
        covered[p] = shapely.area(shapely.intersection(geoms[p], union))
    area = shapely.area(geoms)
    out[:] = covered >= CONSTRAINED_SHARE * np.maximum(area, 1e-9)
    return out


def _zone_tables(
    park: Park, phases: int
) -> tuple[dict[str, int], dict[str, float], dict[str, int], set[str]]:
    """Open phase, priority weight, tier of each zone, and the priority zones."""
    zones = park.zones
    ids = zones[s.ZONE_ID].astype(str).tolist()
    priority = pd.to_numeric(zones[s.PRIORITY]).astype(float).tolist()
    modes = zones[s.DEVELOPMENT_MODE].astype(str).tolist()
    open_from = park.rulebook.sequencing.open_from_phase
    never = phases + 1
    open_phase: dict[str, int] = {}
    for zone_id, mode in zip(ids, modes, strict=True):
        if zone_id in open_from:
            open_phase[zone_id] = min(max(1, int(open_from[zone_id])), never)
        elif mode == s.DevelopmentMode.MAINTAIN_CURRENT:
            open_phase[zone_id] = never
        else:
            open_phase[zone_id] = 1
    distinct = sorted(set(priority))
    tier = {z: distinct.index(p) for z, p in zip(ids, priority, strict=True)}
    lo, hi = (distinct[0], distinct[-1]) if distinct else (1.0, 1.0)
    span = hi - lo
    weight = {
        z: (1.0 + (TOP_PRIORITY_WEIGHT - 1.0) * (hi - p) / span)
        if span > 0
        else TOP_PRIORITY_WEIGHT
        for z, p in zip(ids, priority, strict=True)
    }
    priority_zones = {
        z for z, m in zip(ids, modes, strict=True) if m == s.DevelopmentMode.PRIORITY_CONTIGUOUS
    }
    return open_phase, weight, tier, priority_zones


def _capacities(
    park: Park,
    parcels: gpd.GeoDataFrame,
    rows: IntArray,
    phases: int,
    *,
    wastewater_tpd_per_phase: float | None,
    power_mw_per_phase: float | None,
    wastewater_tpd_per_mu: float | None,
    power_mw_per_mu: float | None,
) -> tuple[Capacity, ...]:
    out = []
    status = parcels[s.STATUS].astype(str).to_numpy()
    built = np.isin(status, [s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED])
    area = parcels[s.AREA_MU].to_numpy(dtype=float)
    for name, per_phase, per_mu in (
        (s.WASTEWATER_TPD, wastewater_tpd_per_phase, wastewater_tpd_per_mu),
        (s.POWER_MW, power_mw_per_phase, power_mw_per_mu),
    ):
        if per_phase is None:
            continue
        values = (
            pd.to_numeric(parcels[name], errors="coerce").fillna(0.0).to_numpy(dtype=float)
            if name in parcels
            else np.zeros(len(parcels))
        )
        existing = float(values[built].sum())
        if per_mu is None:
            built_mu = float(area[built].sum())
            per_mu = existing / built_mu if built_mu > 0 else 0.0
        demand = np.where(values > 0, values, area * per_mu)
        total = park.rulebook.capacities.get(name)
        spare = max((total.value if total is not None else 0.0) - existing, 0.0)
        available = spare + per_phase * np.arange(1, phases + 1, dtype=float)
        out.append(Capacity(name=name, available=available, demand=demand[rows]))
    return tuple(out)


def build_sequencing_problem(
    park: Park,
    *,
    quota_mu: float | None = None,
    phases: int | None = None,
    min_shared_boundary_m: float | None = None,
    max_road_gap_m: float | None = None,
    frontage_tolerance_m: float = FRONTAGE_TOLERANCE_M,
    weights: ObjectiveWeights | None = None,
    wastewater_tpd_per_phase: float | None = None,
    power_mw_per_phase: float | None = None,
    wastewater_tpd_per_mu: float | None = None,
    power_mw_per_mu: float | None = None,
    adjacency: ParcelAdjacency | None = None,
) -> SequencingProblem:
    """Turn a park and planning options into a :class:`SequencingProblem`.

    Options left at ``None`` take the rulebook's ``[sequencing]`` values. See
    :func:`sequence` for the parameters.

    Raises
    ------
    InputError
        If an option is out of range (a quota of 0 or less, no phase, a negative length).
    InfeasiblePlanError
        If no plan can be made: no vacant parcel, no seed (nothing developed and no
        serviced frontage), a quota smaller than every parcel that could be opened.
    """
    settings = park.rulebook.sequencing
    quota = float(settings.default_quota_mu if quota_mu is None else quota_mu)
    k = settings.default_phases if phases is None else phases
    min_shared = float(
        settings.min_shared_boundary_m if min_shared_boundary_m is None else min_shared_boundary_m
    )
    gap = float(settings.max_road_gap_m if max_road_gap_m is None else max_road_gap_m)
    problems = _option_problems(quota, k, min_shared, gap)
    for name, value in (
        ("wastewater_tpd_per_phase", wastewater_tpd_per_phase),
        ("power_mw_per_phase", power_mw_per_phase),
        ("wastewater_tpd_per_mu", wastewater_tpd_per_mu),
        ("power_mw_per_mu", power_mw_per_mu),
    ):
        if value is not None and (not math.isfinite(value) or value < 0):
            problems.append(Problem(name, f"{name} must be >= 0, got {value}"))
    weights = weights or ObjectiveWeights()
    if weights.perimeter_penalty_mu_per_km < 0 or weights.block_penalty_mu < 0:
        problems.append(Problem("weights", "objective weights must be >= 0", expected=">= 0"))
    if problems:
        raise InputError("cannot make a phase plan with these options", problems)
    k = int(k)

    parcels = park.parcels
    ids_all = parcels[s.PARCEL_ID].astype(str).to_numpy()
    rows = np.argsort(ids_all, kind="stable").astype(np.int64)
    ordered = parcels.iloc[rows]
    ids = ids_all[rows]
    if adjacency is None:
        adjacency = build_parcel_adjacency(
            ordered, min_shared_boundary_m=min_shared, max_road_gap_m=gap
        )
    elif adjacency.n != len(parcels):
        raise ValueError(f"the adjacency holds {adjacency.n} parcels, the park {len(parcels)}")
    n = len(ids)

    status = ordered[s.STATUS].astype(str).to_numpy()
    developed = np.isin(status, [s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED])
    vacant = status == s.ParcelStatus.VACANT
    protected = status == s.ParcelStatus.PROTECTED
    serviced = find_serviced_parcels(
        ordered, park.infrastructure, tolerance_m=frontage_tolerance_m
    ).to_numpy(dtype=bool)
    constrained = _constrained(ordered, park.constraints)
    area_mu = ordered[s.AREA_MU].to_numpy(dtype=float)
    perimeter = np.asarray(shapely.length(ordered.geometry.to_numpy()), dtype=float)

    open_phase_z, weight_z, tier_z, priority_zones = _zone_tables(park, k)
    zone = ordered[s.ZONE_ID].astype(str).to_numpy(dtype=object)
    never = k + 1
    open_phase = np.array([open_phase_z.get(z, never) for z in zone], dtype=np.int64)
    weight = np.array([weight_z.get(z, 1.0) for z in zone], dtype=float)
    worst = max(tier_z.values(), default=0)
    tier = np.array([tier_z.get(z, worst) for z in zone], dtype=np.int64)
    priority_zone = np.array([z in priority_zones for z in zone], dtype=bool)

    if not vacant.any():
        raise InfeasiblePlanError(
            "no plan can be made: the park has no vacant parcel to open "
            f"({n} parcels, all developed, committed or protected)"
        )
    if not developed.any() and not (serviced & vacant).any():
        raise InfeasiblePlanError(
            "no plan can be made: there are no seeds - no parcel is developed or committed, "
            "and no vacant parcel fronts a built road or utility trunk; mark the existing "
            "development in the parcels' status, or add the built roads to the "
            "infrastructure layer"
        )

    reason = np.full(n, -1, dtype=np.int64)
    codes = {r: i for i, r in enumerate(s.UnscheduledReason)}
    tol = FIT_TOLERANCE * max(quota, 1.0)
    too_large = area_mu > quota + tol
    for mask, why in (
        (protected, s.UnscheduledReason.PROTECTED),
        (vacant & (open_phase > k), s.UnscheduledReason.ZONE_HELD),
        (vacant & constrained, s.UnscheduledReason.CONSTRAINED),
        (vacant & too_large, s.UnscheduledReason.LARGER_THAN_QUOTA),
    ):
        reason[mask & (reason < 0)] = codes[why]
    candidates = vacant & (open_phase <= k) & ~constrained
    if candidates.any() and too_large[candidates].all():
        smallest = int(np.flatnonzero(candidates)[np.argmin(area_mu[candidates])])
        raise InfeasiblePlanError(
            f"no plan can be made: the quota of {quota:,.1f} mu per phase is smaller than "
            f"every vacant parcel that could be opened (the smallest, {ids[smallest]}, has "
            f"{area_mu[smallest]:,.1f} mu); raise --quota-mu to at least that"
        )
    eligible = vacant & (reason < 0)

    indptr, indices = adjacency.csr()
    c_indptr, c_indices, c_length = adjacency.contact_csr()
    # isolated: eligible land with no path to development or serviced frontage
    keep = (eligible | developed)[adjacency.left] & (eligible | developed)[adjacency.right]
    labels = _component_labels(n, adjacency.left[keep], adjacency.right[keep])
    anchored_labels = np.unique(labels[developed | (serviced & eligible)])
    isolated = eligible & ~np.isin(labels, anchored_labels)
    reason[isolated] = codes[s.UnscheduledReason.ISOLATED]
    eligible &= ~isolated

    capacities = _capacities(
        park,
        parcels,
        rows,
        k,
        wastewater_tpd_per_phase=wastewater_tpd_per_phase,
        power_mw_per_phase=power_mw_per_phase,
        wastewater_tpd_per_mu=wastewater_tpd_per_mu,
        power_mw_per_mu=power_mw_per_mu,
    )
    return SequencingProblem(
        ids=ids,
        rows=rows,
        area_mu=area_mu,
        perimeter_m=perimeter,
        weight=weight,
        tier=tier,
        developed=developed,
        serviced=serviced,
        eligible=eligible,
        open_phase=open_phase,
        static_reason=reason,
        priority_zone=priority_zone,
        zone=zone,
        adjacency=adjacency,
        indptr=indptr,
        indices=indices,
        contact_indptr=c_indptr,
        contact_indices=c_indices,
        contact_length_m=c_length,
        quota_mu=quota,
        phases=k,
        block_penalty_mu=float(weights.block_penalty_mu),
        perimeter_penalty_mu_per_m=weights.perimeter_penalty_mu_per_km / 1000.0,
        capacities=capacities,
    )


# --------------------------------------------------------------------------- the heuristic


class _PhaseState:
    """Book-keeping of the heuristic: what is developed, the blocks of the current phase."""

    def __init__(self, problem: SequencingProblem) -> None:
        self.problem = problem
        n = problem.n
        self.phase_of = [NOT_OPENED] * n
        self.developed = problem.developed.tolist()
        self.area = problem.area_mu.tolist()
        self.perimeter = problem.perimeter_m.tolist()
        self.value = (problem.weight * problem.area_mu).tolist()
        self.tier = problem.tier.tolist()
        self.serviced = problem.serviced.tolist()
        self.eligible = problem.eligible.tolist()
        self.open_phase = problem.open_phase.tolist()
        self.indptr = problem.indptr.tolist()
        self.indices = problem.indices.tolist()
        self.c_indptr = problem.contact_indptr.tolist()
        self.c_indices = problem.contact_indices.tolist()
        self.c_length = problem.contact_length_m.tolist()
        # length of each parcel's boundary shared with developed land
        self.developed_contact = [0.0] * n
        for i in range(n):
            if self.developed[i]:
                self._add_contacts(i)
        self.demand = [c.demand.tolist() for c in problem.capacities]
        self.used = [0.0] * len(problem.capacities)
        self.block_parent: dict[int, int] = {}

    def _add_contacts(self, i: int) -> None:
        for e in range(self.c_indptr[i], self.c_indptr[i + 1]):
            self.developed_contact[self.c_indices[e]] += self.c_length[e]

    def find(self, x: int) -> int:
        parent = self.block_parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def anchored(self, i: int) -> bool:
        """Whether ``i`` fronts serviced infrastructure or neighbours developed land."""
        if self.serviced[i]:
            return True
        return any(self.developed[j] for j in self.indices[self.indptr[i] : self.indptr[i + 1]])

    def gain(self, i: int, phase: int) -> float:
        """Marginal change of the objective if ``i`` opens in ``phase`` now."""
        problem = self.problem
        k = problem.phases
        remaining = k + 1 - phase
        added_perimeter = self.perimeter[i] - 2.0 * self.developed_contact[i]
        roots = {
            self.find(j)
            for j in self.indices[self.indptr[i] : self.indptr[i + 1]]
            if j in self.block_parent
        }
        new_blocks = 1 - len(roots)
        return float(
            remaining * (self.value[i] / k - problem.perimeter_penalty_mu_per_m * added_perimeter)
            - problem.block_penalty_mu * new_blocks
        )

    def fits(self, i: int, slack_mu: float, phase: int) -> bool:
        """Whether ``i`` fits in the quota slack and the capacities of ``phase``."""
        problem = self.problem
        if not problem.fits(self.area[i], slack_mu):
            return False
        for r, cap in enumerate(problem.capacities):
            limit = float(cap.available[phase - 1])
            if self.used[r] + self.demand[r][i] > limit + FIT_TOLERANCE * max(limit, 1.0):
                return False
        return True

    def open(self, i: int, phase: int) -> None:
        """Open ``i`` in ``phase`` and merge it into the phase's blocks."""
        self.phase_of[i] = phase
        self.developed[i] = True
        self._add_contacts(i)
        for r in range(len(self.used)):
            self.used[r] += self.demand[r][i]
        self.block_parent[i] = i
        for j in self.indices[self.indptr[i] : self.indptr[i + 1]]:
            if j in self.block_parent:
                ri, rj = self.find(i), self.find(j)
                if ri != rj:
                    self.block_parent[max(ri, rj)] = min(ri, rj)


def solve_heuristic(problem: SequencingProblem) -> IntArray:
    """Plan with the default heuristic: grow the plan phase by phase (module docstring).

    Returns
    -------
    numpy.ndarray
        Phase of each node (0 when not opened), scored by :func:`evaluate_plan`.
    """
    state = _PhaseState(problem)
    eligible, open_phase, tier, area = state.eligible, state.open_phase, state.tier, state.area
    indptr, indices = state.indptr, state.indices
    worst_tier = int(problem.tier[problem.eligible].max()) if problem.eligible.any() else 0
    for phase in range(1, problem.phases + 1):
        state.block_parent = {}
        slack = problem.quota_mu
        version: dict[int, int] = {}
        heap: list[tuple[int, float, int, int]] = []

        def push(
            i: int,
            phase: int = phase,
            heap: list[tuple[int, float, int, int]] = heap,
            version: dict[int, int] = version,
        ) -> None:
            version[i] = version.get(i, 0) + 1
            heapq.heappush(heap, (tier[i], -state.gain(i, phase) / area[i], i, version[i]))

        open_now = [
            i
            for i in range(problem.n)
            if eligible[i] and open_phase[i] <= phase and state.phase_of[i] == NOT_OPENED
        ]
        start = {i for i in open_now if state.anchored(i)}
        for i in sorted(start):
            push(i)
        while heap:
            t, neg_density, i, ver = heapq.heappop(heap)
            if state.phase_of[i] != NOT_OPENED or version.get(i) != ver:
                continue
            if not state.fits(i, slack, phase):
                continue  # the slack only shrinks: it will not fit later in this phase
            gain = state.gain(i, phase)
            if gain / area[i] < -neg_density - 1e-12:
                push(i)  # stale: its gain fell since it was queued
                continue
            if gain <= 0.0 and t == worst_tier:
                # not worth opening, and no lower-ranked land waits behind it (better-ranked
                # land that fits is opened anyway, so lower-ranked land keeps its place)
                continue
            state.open(i, phase)
            slack -= area[i]
            # its neighbours become candidates; parcels it touches change their gain
            touched = set(indices[indptr[i] : indptr[i + 1]])
            touched.update(
                j
                for j in state.c_indices[state.c_indptr[i] : state.c_indptr[i + 1]]
                if j in version
            )
            for j in sorted(touched):
                if eligible[j] and open_phase[j] <= phase and state.phase_of[j] == NOT_OPENED:
                    push(j)
    return np.asarray(state.phase_of, dtype=np.int64)


def _neighbours_set(state: _PhaseState, j: int) -> set[int]:
    """Return the parcels opened in this phase among the neighbours of ``j``."""
    return {
        i for i in state.indices[state.indptr[j] : state.indptr[j + 1]] if i in state.block_parent
    }


# --------------------------------------------------------------------------- reasons


def _unscheduled_reasons(
    problem: SequencingProblem, phase_of: IntArray, *, project_mode: bool
) -> npt.NDArray[np.object_]:
    """Reason of each node left closed (``None`` for developed and opened parcels)."""
    reasons = list(s.UnscheduledReason)
    out = np.full(problem.n, None, dtype=object)
    static = problem.static_reason >= 0
    out[static] = [str(reasons[c]) for c in problem.static_reason[static]]
    closed = problem.eligible & (phase_of == NOT_OPENED)
    if not closed.any():
        return out
    if project_mode:
        out[closed] = str(s.UnscheduledReason.NOT_NEEDED)
        return out
    k = problem.phases
    last_slack = problem.quota_mu - float(problem.area_mu[phase_of == k].sum())
    developed = problem.developed | (phase_of > NOT_OPENED)
    touches = np.zeros(problem.n, dtype=bool)
    left, right = problem.adjacency.left, problem.adjacency.right
    touches[left[developed[right]]] = True
    touches[right[developed[left]]] = True
    anchored = problem.serviced | touches
    over_capacity = np.zeros(problem.n, dtype=bool)
    for cap in problem.capacities:
        used = float(cap.demand[phase_of > NOT_OPENED].sum())
        over_capacity |= used + cap.demand > cap.available[-1] * (1 + FIT_TOLERANCE) + 1e-9
    fits_quota = problem.area_mu <= last_slack + FIT_TOLERANCE * max(problem.quota_mu, 1.0)
    for i in np.flatnonzero(closed):
        if fits_quota[i] and over_capacity[i]:
            why = s.UnscheduledReason.CAPACITY_EXHAUSTED
        elif fits_quota[i] and anchored[i]:
            why = s.UnscheduledReason.FRAGMENTING
        else:
            why = s.UnscheduledReason.QUOTA_EXHAUSTED
        out[i] = str(why)
    return out


# --------------------------------------------------------------------------- projects


@dataclass
class _Placement:
    project_id: str
    zone_id: str
    phase: int
    nodes: list[int]
    area_mu: float


def _project_table(projects: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in (s.PROJECT_ID, s.ZONE_ID, s.VERDICT, s.AREA_MU) if c not in projects]
    if missing:
        raise InputError(
            "cannot place projects",
            [
                Problem(
                    "projects",
                    f"the fit-check result lacks column(s) {', '.join(missing)}",
                    expected="the result of zoning.check(park, projects): one row per "
                    "project and zone with project_id, zone_id, verdict, area_mu",
                    fix="pass the output of zoning.check, not the raw projects table",
                )
            ],
        )
    table = pd.DataFrame(
        {
            s.PROJECT_ID: projects[s.PROJECT_ID].astype(str).to_numpy(),
            s.ZONE_ID: projects[s.ZONE_ID].astype("string").fillna("").astype(str).to_numpy(),
            s.VERDICT: projects[s.VERDICT].astype(str).to_numpy(),
            s.AREA_MU: pd.to_numeric(projects[s.AREA_MU], errors="coerce").to_numpy(dtype=float),
            s.BEST: (
                projects[s.BEST].fillna(False).astype(bool).to_numpy()
                if s.BEST in projects
                else np.zeros(len(projects), dtype=bool)
            ),
        }
    )
    for name in (s.WASTEWATER_TPD, s.POWER_MW):
        if name in projects:
            table[name] = pd.to_numeric(projects[name], errors="coerce").to_numpy(dtype=float)
    sites = np.full(len(projects), None, dtype=object)
    if isinstance(projects, gpd.GeoDataFrame) and projects.geometry.name in projects:
        geoms = projects.geometry
        if geoms.crs is not None and not geoms.crs.equals(METRIC_CRS):
            geoms = geoms.to_crs(METRIC_CRS)
        values = geoms.to_numpy()
        present = ~(shapely.is_missing(values) | shapely.is_empty(values))
        sites[present] = values[present]
    table[SITE] = sites
    return table


def _grow_block(
    state: _PhaseState,
    starts: list[int],
    allowed: set[int],
    need_mu: float,
) -> list[int] | None:
    """Find a small contiguous block of ``allowed`` parcels of at least ``need_mu``.

    Greedy from each start: add the neighbour that completes the need with the least
    spare land, else the one sharing the longest boundary with the block.
    """
    best: tuple[float, int, int] | None = None
    best_block: list[int] | None = None
    area = state.area
    for start in starts[:PROJECT_START_LIMIT]:
        block = [start]
        members = {start}
        total = area[start]
        contact: dict[int, float] = {}
        while total < need_mu * (1 - FIT_TOLERANCE):
            last = block[-1]
            for e in range(state.c_indptr[last], state.c_indptr[last + 1]):
                j = state.c_indices[e]
                if j in allowed and j not in members and j in contact:
                    contact[j] += state.c_length[e]
            for j in state.indices[state.indptr[last] : state.indptr[last + 1]]:
                if j in allowed and j not in members and j not in contact:
                    contact[j] = sum(
                        state.c_length[e]
                        for e in range(state.c_indptr[j], state.c_indptr[j + 1])
                        if state.c_indices[e] in members
                    )
            if not contact:
                break
            remaining = need_mu - total
            completing = [j for j in contact if area[j] >= remaining]
            if completing:
                nxt = min(completing, key=lambda j: (area[j], j))
            else:
                nxt = max(contact, key=lambda j: (contact[j], area[j], -j))
            del contact[nxt]
            block.append(nxt)
            members.add(nxt)
            total += area[nxt]
        if total < need_mu * (1 - FIT_TOLERANCE):
            continue
        key = (total - need_mu, len(block), start)
        if best is None or key < best:
            best, best_block = key, sorted(block)
    return best_block


def _site_nodes(
    site: shapely.Geometry, geoms: npt.NDArray[np.object_], tree: shapely.STRtree
) -> list[int]:
    """Return the nodes of the parcels a project's site lies on."""
    hits = tree.query(site, predicate="intersects")
    if hits.size == 0:
        return []
    overlap = shapely.area(shapely.intersection(geoms[hits], site))
    floor = SITE_OVERLAP_SHARE * np.minimum(shapely.area(geoms[hits]), shapely.area(site))
    return sorted(int(i) for i in hits[overlap >= floor])


def _pieces(state: _PhaseState, nodes: list[int]) -> list[list[int]]:
    """Split ``nodes`` into their connected pieces in the adjacency graph."""
    members = set(nodes)
    seen: set[int] = set()
    pieces = []
    for start in nodes:
        if start in seen:
            continue
        piece, stack = [], [start]
        seen.add(start)
        while stack:
            i = stack.pop()
            piece.append(i)
            for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
                if j in members and j not in seen:
                    seen.add(j)
                    stack.append(j)
        pieces.append(sorted(piece))
    return pieces


def _connect(state: _PhaseState, nodes: list[int], phase: int) -> list[int] | None:
    """Find the least land that connects every piece of ``nodes`` to development.

    Returns the extra parcels to open with ``nodes`` (empty when every piece is anchored
    already), or ``None`` when a piece cannot be reached. Pieces are connected one after
    the other by the path of vacant parcels open in ``phase`` with the least area
    (Dijkstra from the piece to the nearest anchored parcel).
    """
    extra: list[int] = []
    taken = set(nodes)
    for piece in _pieces(state, nodes):
        if any(state.anchored(i) or i in state.block_parent for i in piece):
            continue
        linked = set(extra)
        if any(
            j in linked for i in piece for j in state.indices[state.indptr[i] : state.indptr[i + 1]]
        ):
            continue  # joined through the path found for an earlier piece
        dist = dict.fromkeys(piece, 0.0)
        back: dict[int, int] = {}
        heap = [(0.0, i) for i in piece]
        heapq.heapify(heap)
        found = -1
        while heap:
            d, i = heapq.heappop(heap)
            if d > dist.get(i, math.inf):
                continue
            if i not in taken and (state.anchored(i) or i in state.block_parent):
                found = i
                break
            for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
                if j in taken or state.phase_of[j] != NOT_OPENED:
                    continue
                if not (state.eligible[j] and state.open_phase[j] <= phase):
                    continue
                nd = d + state.area[j]
                if nd < dist.get(j, math.inf) - 1e-12:
                    dist[j] = nd
                    back[j] = i
                    heapq.heappush(heap, (nd, j))
        if found < 0:
            return None
        node = found
        while node not in piece:
            extra.append(node)
            taken.add(node)
            node = back[node]
    return sorted(extra)


def _reach(state: _PhaseState, targets: set[int], phase: int) -> tuple[int | None, list[int]]:
    """Find the parcel of ``targets`` reached from development with the least other land.

    Returns that parcel and the parcels to open on the way (Dijkstra over the vacant
    parcels open in ``phase``, starting from the anchored ones), or ``(None, [])``.
    """
    dist: dict[int, float] = {}
    back: dict[int, int] = {}
    heap: list[tuple[float, int]] = []
    for i in range(state.problem.n):
        if (
            state.eligible[i]
            and state.open_phase[i] <= phase
            and state.phase_of[i] == NOT_OPENED
            and i not in targets
            and state.anchored(i)
        ):
            dist[i] = state.area[i]
            heap.append((state.area[i], i))
    heapq.heapify(heap)
    while heap:
        d, i = heapq.heappop(heap)
        if d > dist.get(i, math.inf):
            continue
        for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
            if j in targets:
                path = [i]
                while path[-1] in back:
                    path.append(back[path[-1]])
                return j, sorted(path)
            if state.phase_of[j] != NOT_OPENED or not (
                state.eligible[j] and state.open_phase[j] <= phase
            ):
                continue
            nd = d + state.area[j]
            if nd < dist.get(j, math.inf) - 1e-12:
                dist[j] = nd
                back[j] = i
                heapq.heappush(heap, (nd, j))
    return None, []


@dataclass
class _Project:
    project_id: str
    need_mu: float
    zones: list[str]
    demand: list[float | None]
    site: shapely.Geometry | None


def _projects_in_order(
    problem: SequencingProblem, table: pd.DataFrame
) -> tuple[list[_Project], dict[str, str], list[str]]:
    """Return the placeable projects in pipeline order, with their zones best first."""
    order = list(dict.fromkeys(table[s.PROJECT_ID]))
    verdict_rank = {str(v): i for i, v in enumerate(PLACEABLE_VERDICTS)}
    zone_tier = {z: int(t) for z, t in zip(problem.zone, problem.tier, strict=True)}
    projects: list[_Project] = []
    unplaced: dict[str, str] = {}
    for pid, rows in table.groupby(s.PROJECT_ID, sort=False):
        ok = rows[rows[s.VERDICT].isin(verdict_rank)]
        areas = rows[s.AREA_MU].dropna()
        if ok.empty:
            unplaced[str(pid)] = s.UnplacedReason.NO_FITTING_ZONE
            continue
        if areas.empty or float(areas.iloc[0]) <= 0:
            unplaced[str(pid)] = s.UnplacedReason.NO_AREA
            continue
        ranked = sorted(
            ok.itertuples(index=False),
            key=lambda r: (
                not getattr(r, s.BEST),
                verdict_rank[getattr(r, s.VERDICT)],
                zone_tier.get(getattr(r, s.ZONE_ID), 1 << 30),
                getattr(r, s.ZONE_ID),
            ),
        )
        demand = [
            float(rows[c.name].dropna().iloc[0])
            if c.name in rows and not rows[c.name].dropna().empty
            else None
            for c in problem.capacities
        ]
        sites = [g for g in rows[SITE] if g is not None]
        projects.append(
            _Project(
                project_id=str(pid),
                need_mu=float(areas.iloc[0]),
                zones=list(dict.fromkeys(str(getattr(r, s.ZONE_ID)) for r in ranked)),
                demand=demand,
                site=sites[0] if sites else None,
            )
        )
    rank = {pid: i for i, pid in enumerate(order)}
    projects.sort(key=lambda p: rank[p.project_id])
    return projects, unplaced, order


def _place_projects(
    problem: SequencingProblem, table: pd.DataFrame, geoms: npt.NDArray[np.object_]
) -> tuple[IntArray, list[_Placement], list[tuple[str, str]]]:
    """Give each placeable project a contiguous block, phase by phase, in pipeline order.

    A project with a site takes the parcels under its site; one without grows the
    smallest block of at least its area from land anchored in the phase.
    """
    state = _PhaseState(problem)
    projects, unplaced, order = _projects_in_order(problem, table)
    zone_open = {z: int(o) for z, o in zip(problem.zone, problem.open_phase, strict=True)}
    tree = shapely.STRtree(geoms)
    zone_nodes: dict[str, list[int]] = {}
    for i in np.flatnonzero(problem.eligible).tolist():
        zone_nodes.setdefault(str(problem.zone[i]), []).append(i)
    blocked_by: dict[str, str] = {}
    placements: list[_Placement] = []
    pending = projects
    for phase in range(1, problem.phases + 1):
        state.block_parent = {}
        slack = problem.quota_mu
        still: list[_Project] = []
        for project in pending:
            pid = project.project_id
            placed = False
            for zone_id in project.zones:
                if zone_open.get(zone_id, problem.phases + 1) > phase:
                    blocked_by.setdefault(pid, s.UnplacedReason.ZONE_HELD)
                    continue
                if project.site is not None:
                    block = _site_nodes(project.site, geoms, tree)
                    usable = bool(block) and all(
                        problem.eligible[i]
                        and str(problem.zone[i]) == zone_id
                        and state.phase_of[i] == NOT_OPENED
                        for i in block
                    )
                    if not usable:
                        blocked_by[pid] = s.UnplacedReason.SITE_UNAVAILABLE
                        continue
                    connection = _connect(state, block, phase)
                    if connection is None:
                        blocked_by[pid] = s.UnplacedReason.NO_CONTIGUOUS_LAND
                        continue
                    block = sorted(block + connection)
                else:
                    allowed = {
                        i for i in zone_nodes.get(zone_id, []) if state.phase_of[i] == NOT_OPENED
                    }
                    starts = sorted(i for i in allowed if state.anchored(i))
                    link: list[int] = []
                    if not starts and allowed:
                        # the zone does not touch development yet: reach it with the least land
                        start, link = _reach(state, allowed, phase)
                        starts = [] if start is None else [start]
                    grown = _grow_block(state, starts, allowed, project.need_mu)
                    if grown is not None and link:
                        grown = sorted(grown + link)
                    if grown is None:
                        if blocked_by.get(pid) != s.UnplacedReason.QUOTA_EXHAUSTED:
                            blocked_by[pid] = s.UnplacedReason.NO_CONTIGUOUS_LAND
                        continue
                    block = grown
                block_mu = float(sum(state.area[i] for i in block))
                if not problem.fits(block_mu, slack):
                    blocked_by[pid] = s.UnplacedReason.QUOTA_EXHAUSTED
                    continue
                estimated = [float(sum(d[i] for i in block)) for d in state.demand]
                extra = [estimated[r] if d is None else d for r, d in enumerate(project.demand)]
                if any(
                    state.used[r] + extra[r]
                    > float(cap.available[phase - 1]) * (1 + FIT_TOLERANCE) + 1e-9
                    for r, cap in enumerate(problem.capacities)
                ):
                    blocked_by[pid] = s.UnplacedReason.CAPACITY_EXHAUSTED
                    continue
                for i in block:
                    state.open(i, phase)
                for r in range(len(extra)):
                    # the project's own demand replaces the parcels' estimated demand
                    state.used[r] += extra[r] - estimated[r]
                slack -= block_mu
                placements.append(_Placement(pid, zone_id, phase, sorted(block), block_mu))
                placed = True
                break
            if not placed:
                still.append(project)
        pending = still
    for project in pending:
        unplaced[project.project_id] = blocked_by.get(
            project.project_id, s.UnplacedReason.NO_CONTIGUOUS_LAND
        )
    unplaced_list = [(pid, str(unplaced[pid])) for pid in order if pid in unplaced]
    return np.asarray(state.phase_of, dtype=np.int64), placements, unplaced_list


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PhasePlan:
    """A phase plan of a park: which land opens in which phase, and why the rest does not.

    Attributes
    ----------
    parcels
        All the park's parcels (EPSG:4543, in the park's order) with ``phase`` (Int64,
        ``1..K`` for opened parcels, missing otherwise) and ``reason`` (why a vacant or
        protected parcel stays closed, missing otherwise).
    unscheduled
        ``parcel_id`` and ``reason`` of every vacant or protected parcel left closed,
        sorted by id. Reasons: :class:`~zoning.schema.UnscheduledReason`.
    metrics
        One row per phase: ``phase``, ``area_mu`` opened, ``cumulative_mu`` opened so far,
        ``parcels`` opened, ``blocks`` opened, ``perimeter_m`` and ``compactness``
        (Polsby-Popper ``4πA/P²``) of the whole developed area after the phase (existing
        development included), ``priority_share`` (share of the area opened that lies in
        ``priority_contiguous`` zones), ``wastewater_tpd`` and ``power_mw`` demand added
        (when capacities are planned).
    objective, reward, block_penalty, perimeter_penalty
        The objective ``J`` and its parts, in mu (:func:`evaluate_plan`).
    assignments
        In project-aware mode, one row per placed project: ``project_id``, ``zone_id``,
        ``phase``, ``parcel_ids`` (list) and ``area_mu`` of its block; empty otherwise.
    unplaced
        In project-aware mode, ``project_id`` and ``reason`` of the projects that got no
        land (:class:`~zoning.schema.UnplacedReason`); empty otherwise.
    method
        ``heuristic`` or ``exact``.
    quota_mu, phases
        The land supply per phase and the number of phases.
    optimal
        For the exact method, whether the solver proved the plan optimal.
    bound
        For the exact method, the solver's upper bound on the objective.
    """

    parcels: gpd.GeoDataFrame
    unscheduled: pd.DataFrame
    metrics: pd.DataFrame
    objective: float
    reward: float
    block_penalty: float
    perimeter_penalty: float
    assignments: pd.DataFrame
    unplaced: pd.DataFrame
    method: str
    quota_mu: float
    phases: int
    optimal: bool | None = None
    bound: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def components(self) -> dict[str, float]:
        """The parts of the objective, in mu."""
        return {
            "reward": self.reward,
            "block_penalty": self.block_penalty,
            "perimeter_penalty": self.perimeter_penalty,
        }

    def phase_parcels(self, phase: int) -> gpd.GeoDataFrame:
        """Return the parcels opened in ``phase``."""
        frame: gpd.GeoDataFrame = self.parcels[self.parcels[s.PHASE] == phase]
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as plain JSON-ready data.

        ``{"phases": [{"phase", "area_mu", "parcels", "projects"}], "unscheduled":
        [{"parcel_id", "reason"}], "metrics": {...}, "assignments": [...],
        "unplaced": [...]}``; areas rounded to 0.01 mu.
        """
        phase_col = self.parcels[s.PHASE]
        ids = self.parcels[s.PARCEL_ID].astype(str)
        phases = []
        for row in self.metrics.itertuples(index=False):
            p = int(getattr(row, s.PHASE))
            projects = (
                self.assignments.loc[self.assignments[s.PHASE] == p, s.PROJECT_ID].tolist()
                if not self.assignments.empty
                else []
            )
            phases.append(
                {
                    s.PHASE: p,
                    s.AREA_MU: round(float(getattr(row, s.AREA_MU)), 2),
                    s.N_PARCELS: sorted(ids[(phase_col == p).fillna(False).to_numpy()].tolist()),
                    "projects": [str(x) for x in projects],
                }
            )
        per_phase = [
            {k: _json_value(v) for k, v in record.items()}
            for record in self.metrics.to_dict("records")
        ]
        return {
            "phases": phases,
            "unscheduled": [
                {s.PARCEL_ID: str(pid), s.REASON: str(why)}
                for pid, why in zip(
                    self.unscheduled[s.PARCEL_ID], self.unscheduled[s.REASON], strict=True
                )
            ],
            "metrics": {
                "method": self.method,
                "quota_mu": self.quota_mu,
                "phases": self.phases,
                "objective": round(self.objective, 4),
                **{k: round(v, 4) for k, v in self.components.items()},
                "optimal": self.optimal,
                "bound": None if self.bound is None else round(self.bound, 4),
                "compactness_measure": COMPACTNESS_MEASURE,
                "opened_mu": round(float(self.metrics[s.AREA_MU].sum()), 2),
                "unscheduled_by_reason": {
                    str(k): int(v)
                    for k, v in self.unscheduled[s.REASON].value_counts().sort_index().items()
                },
                "per_phase": per_phase,
            },
            "assignments": [
                {
                    s.PROJECT_ID: str(r[s.PROJECT_ID]),
                    s.ZONE_ID: str(r[s.ZONE_ID]),
                    s.PHASE: int(r[s.PHASE]),
                    s.PARCEL_IDS: [str(x) for x in r[s.PARCEL_IDS]],
                    s.AREA_MU: round(float(r[s.AREA_MU]), 2),
                }
                for r in self.assignments.to_dict("records")
            ],
            "unplaced": [
                {s.PROJECT_ID: str(r[s.PROJECT_ID]), s.REASON: str(r[s.REASON])}
                for r in self.unplaced.to_dict("records")
            ],
        }


def _json_value(value: object) -> object:
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    return value


def phase_metrics(problem: SequencingProblem, phase_of: IntArray) -> pd.DataFrame:
    """Return the per-phase metrics of a plan (see :class:`PhasePlan`)."""
    k = problem.phases
    phases = np.arange(1, k + 1)
    opened = phase_of > NOT_OPENED
    area = np.bincount(phase_of[opened], weights=problem.area_mu[opened], minlength=k + 1)[1:]
    count = np.bincount(phase_of[opened], minlength=k + 1)[1:]
    prio = opened & problem.priority_zone
    prio_area = np.bincount(phase_of[prio], weights=problem.area_mu[prio], minlength=k + 1)[1:]
    perimeter = perimeter_by_phase(problem, phase_of)[1:]
    existing_m2 = float(problem.area_m2[problem.developed].sum())
    developed_m2 = existing_m2 + np.cumsum(area) * (10000.0 / 15.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        compactness = np.where(
            perimeter > 0, 4.0 * np.pi * developed_m2 / np.square(perimeter), np.nan
        )
        share = np.where(area > 0, prio_area / area, np.nan)
    out = pd.DataFrame(
        {
            s.PHASE: phases,
            s.AREA_MU: area,
            s.CUMULATIVE_MU: np.cumsum(area),
            s.N_PARCELS: count,
            s.BLOCKS: phase_blocks(problem, phase_of),
            s.PERIMETER_M: perimeter,
            s.COMPACTNESS: compactness,
            s.PRIORITY_SHARE: share,
        }
    )
    for cap in problem.capacities:
        out[cap.name] = np.bincount(phase_of[opened], weights=cap.demand[opened], minlength=k + 1)[
            1:
        ]
    return out


def make_phase_plan(
    park: Park,
    problem: SequencingProblem,
    phase_of: IntArray,
    *,
    method: str,
    placements: list[_Placement] | None = None,
    unplaced: list[tuple[str, str]] | None = None,
    optimal: bool | None = None,
    bound: float | None = None,
) -> PhasePlan:
    """Assemble a :class:`PhasePlan` from a solution (``phase_of`` in node order)."""
    project_mode = placements is not None
    reasons = _unscheduled_reasons(problem, phase_of, project_mode=project_mode)
    n = problem.n
    phase_rows = np.zeros(n, dtype=np.int64)
    phase_rows[problem.rows] = phase_of
    reason_rows = np.full(n, None, dtype=object)
    reason_rows[problem.rows] = reasons
    parcels = park.parcels.copy()
    phase_column = pd.Series(phase_rows, index=parcels.index, dtype="Int64")
    phase_column[phase_rows == NOT_OPENED] = pd.NA
    parcels[s.PHASE] = phase_column
    parcels[s.REASON] = pd.Series(reason_rows, index=parcels.index, dtype="string")
    closed = np.array([r is not None for r in reasons], dtype=bool)
    unscheduled = pd.DataFrame(
        {
            s.PARCEL_ID: problem.ids[closed].astype(str),
            s.REASON: reasons[closed].astype(str),
        }
    )
    value = evaluate_plan(problem, phase_of)
    placements = placements or []
    assignments = pd.DataFrame(
        {
            s.PROJECT_ID: [p.project_id for p in placements],
            s.ZONE_ID: [p.zone_id for p in placements],
            s.PHASE: pd.array([p.phase for p in placements], dtype="Int64"),
            s.PARCEL_IDS: [[str(problem.ids[i]) for i in p.nodes] for p in placements],
            s.AREA_MU: np.array([p.area_mu for p in placements], dtype=float),
        }
    )
    unplaced_frame = pd.DataFrame(
        {
            s.PROJECT_ID: [u[0] for u in unplaced or []],
            s.REASON: [u[1] for u in unplaced or []],
        },
        dtype=object,
    )
    return PhasePlan(
        parcels=parcels,
        unscheduled=unscheduled,
        metrics=phase_metrics(problem, phase_of),
        objective=value.value,
        reward=value.reward,
        block_penalty=value.block_penalty,
        perimeter_penalty=value.perimeter_penalty,
        assignments=assignments,
        unplaced=unplaced_frame,
        method=method,
        quota_mu=problem.quota_mu,
        phases=problem.phases,
        optimal=optimal,
        bound=bound,
    )


def _raise_if_empty(problem: SequencingProblem, phase_of: IntArray) -> None:
    if (phase_of > NOT_OPENED).any():
        return
    reasons = _unscheduled_reasons(problem, phase_of, project_mode=False)
    counts = pd.Series([r for r in reasons if r is not None]).value_counts().sort_index()
    detail = ", ".join(f"{v} {k}" for k, v in counts.items())
    hint = ""
    if counts.get(str(s.UnscheduledReason.ZONE_HELD), 0):
        hint += "; zones in maintain_current mode open only from the phase named in the "
        hint += "rulebook's [sequencing.open_from_phase]"
    if counts.get(str(s.UnscheduledReason.ISOLATED), 0):
        hint += "; isolated parcels neither touch development nor front a built road"
    raise InfeasiblePlanError(
        f"no plan can be made: no vacant parcel can be opened in any phase ({detail}){hint}"
    )


def sequence(
    park: Park,
    *,
    quota_mu: float | None = None,
    phases: int | None = None,
    projects: pd.DataFrame | None = None,
    method: str = s.SequencingMethod.HEURISTIC,
    min_shared_boundary_m: float | None = None,
    max_road_gap_m: float | None = None,
    frontage_tolerance_m: float = FRONTAGE_TOLERANCE_M,
    weights: ObjectiveWeights | None = None,
    wastewater_tpd_per_phase: float | None = None,
    power_mw_per_phase: float | None = None,
    wastewater_tpd_per_mu: float | None = None,
    power_mw_per_mu: float | None = None,
    time_limit_s: float = 60.0,
    adjacency: ParcelAdjacency | None = None,
) -> PhasePlan:
    """Plan which vacant land opens in which phase (see the module docstring for the rules).

    Parameters
    ----------
    park
        The park.
    quota_mu
        Land that may be opened per phase, mu; default the rulebook's
        ``sequencing.default_quota_mu``.
    phases
        Number of phases ``K``; default ``sequencing.default_phases``.
    projects
        The fit-check result of a project pipeline (columns ``project_id``, ``zone_id``,
        ``verdict``, ``area_mu``, optionally ``wastewater_tpd`` and ``power_mw``): turns on
        the project-aware mode, in which land opens only for the projects placed.
    method
        ``heuristic`` (default) or ``exact`` (OR-Tools CP-SAT, small parks only; not with
        ``projects``).
    min_shared_boundary_m, max_road_gap_m
        Adjacency thresholds; default the rulebook's.
    frontage_tolerance_m
        Slack beyond a road's half width within which a parcel fronts it.
    weights
        Fragmentation penalties of the objective.
    wastewater_tpd_per_phase, power_mw_per_phase
        Capacity added in each phase; when given, the cumulative demand of the opened land
        stays within the rulebook's spare capacity plus what has been added by then.
    wastewater_tpd_per_mu, power_mw_per_mu
        Demand per mu of a vacant parcel (whose own value is 0); default the mean
        intensity of the park's developed and committed parcels.
    time_limit_s
        Time limit of the exact solver, seconds.
    adjacency
        A prebuilt adjacency, to plan several quotas without rebuilding it: it must be
        built from the parcels sorted by id,
        ``build_parcel_adjacency(park.parcels.sort_values("parcel_id"), ...)``.

    Returns
    -------
    PhasePlan

    Raises
    ------
    InputError
        If an option is out of range or the projects table lacks a column.
    InfeasiblePlanError
        If no plan can be made, with the cause: no vacant parcel, no seed, a quota smaller
        than every parcel, or no parcel that can be opened in any phase.

    Examples
    --------
    >>> import zoning
    >>> plan = zoning.sequence(zoning.load_park(), quota_mu=1200, phases=3)
    >>> list(plan.metrics.columns[:4])
    ['phase', 'area_mu', 'cumulative_mu', 'parcels']
    >>> bool(plan.parcels["phase"].dropna().between(1, 3).all())
    True
    """
    try:
        chosen = s.SequencingMethod(method)
    except ValueError:
        raise InputError(
            "cannot make a phase plan with these options",
            [
                Problem(
                    "method",
                    f"unknown method {method!r}",
                    expected=" | ".join(m.value for m in s.SequencingMethod),
                )
            ],
        ) from None
    if chosen is s.SequencingMethod.EXACT and projects is not None:
        raise InputError(
            "cannot make a phase plan with these options",
            [
                Problem(
                    "method",
                    "the exact method does not place projects",
                    fix="use the heuristic method with --projects",
                )
            ],
        )
    problem = build_sequencing_problem(
        park,
        quota_mu=quota_mu,
        phases=phases,
        min_shared_boundary_m=min_shared_boundary_m,
        max_road_gap_m=max_road_gap_m,
        frontage_tolerance_m=frontage_tolerance_m,
        weights=weights,
        wastewater_tpd_per_phase=wastewater_tpd_per_phase,
        power_mw_per_phase=power_mw_per_phase,
        wastewater_tpd_per_mu=wastewater_tpd_per_mu,
        power_mw_per_mu=power_mw_per_mu,
        adjacency=adjacency,
    )
    if projects is not None:
        table = _project_table(projects)
        geoms = np.asarray(park.parcels.geometry.to_numpy()[problem.rows], dtype=object)
        phase_of, placements, unplaced = _place_projects(problem, table, geoms)
        return make_phase_plan(
            park, problem, phase_of, method=chosen, placements=placements, unplaced=unplaced
        )
    if chosen is s.SequencingMethod.EXACT:
        from zoning.sequencing_exact import solve_exact

        solution = solve_exact(problem, time_limit_s=time_limit_s)
        _raise_if_empty(problem, solution.phase_of)
        return make_phase_plan(
            park,
            problem,
            solution.phase_of,
            method=chosen,
            optimal=solution.optimal,
            bound=solution.bound,
        )
    phase_of = solve_heuristic(problem)
    _raise_if_empty(problem, phase_of)
    return make_phase_plan(park, problem, phase_of, method=chosen)


__all__ = [
    "Capacity",
    "ObjectiveValue",
    "ObjectiveWeights",
    "PhasePlan",
    "SequencingProblem",
    "build_sequencing_problem",
    "evaluate_plan",
    "make_phase_plan",
    "perimeter_by_phase",
    "phase_blocks",
    "phase_metrics",
    "sequence",
    "solve_heuristic",
]
