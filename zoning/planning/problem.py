"""The phase-planning problem: a park and its options in numeric form, with no solver in it.

:func:`build_sequencing_problem` turns a park and :class:`SequencingOptions` into a
:class:`SequencingProblem`, in named steps:

1. :func:`resolve_options` fills the options left at ``None`` from the rulebook's
   ``[sequencing]`` table and collects every out-of-range value (one :class:`InputError`);
2. the parcels are put in ``parcel_id`` order (node ``k`` is the ``k``-th smallest id) and the
   adjacency graph is built on them (:mod:`zoning.planning.adjacency`);
3. :func:`parcel_arrays` reads each parcel's state: developed, vacant, protected, serviced
   frontage, mostly inside a no-build constraint, area, perimeter;
4. :func:`zone_arrays` reads each parcel's zone: the first phase it may open, its priority
   weight and tier, whether it is a priority zone;
5. :func:`check_seeds` refuses a park with nothing to open or nothing to grow from;
6. :func:`static_reasons` gives the reason of every parcel that can never open (protected,
   zone held, constrained, larger than the quota, isolated) and leaves the others eligible;
7. :func:`capacity_limits` adds the optional wastewater and power limits.

The heuristic (:mod:`zoning.planning.heuristic`), the exact model
(:mod:`zoning.planning.exact`) and the project placement (:mod:`zoning.planning.placement`)
all read the same problem; :func:`zoning.planning.metrics.evaluate_plan` scores them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Final, TypedDict, Unpack

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import InfeasiblePlanError, InputError, Problem
from zoning.park import Park
from zoning.planning.adjacency import (
    FRONTAGE_TOLERANCE_M,
    ParcelAdjacency,
    build_parcel_adjacency,
    component_labels,
    find_serviced_parcels,
)
from zoning.planning.infrastructure import InfrastructureNeeds, infrastructure_needs, no_needs
from zoning.planning.types import BoolArray, FloatArray, IntArray

#: default block penalty, mu-equivalents per block opened in a phase
BLOCK_PENALTY_MU: Final = 1.0
#: default perimeter penalty, mu per km of developed-area perimeter per phase
PERIMETER_PENALTY_MU_PER_KM: Final = 0.5
#: default infrastructure penalty, mu-equivalents per million yuan (100 万元) of lines to build
INFRASTRUCTURE_PENALTY_MU_PER_MILLION_YUAN: Final = 1.0
#: priority weight of the best-ranked zone (the worst-ranked zone weighs 1)
TOP_PRIORITY_WEIGHT: Final = 2.0
#: constraint kinds on which nothing may be built (one home: :mod:`zoning.schema`)
NO_BUILD_CONSTRAINTS: Final = frozenset(s.NO_BUILD_CONSTRAINTS)
#: a parcel at least this much inside no-build constraints is ``constrained``
CONSTRAINED_SHARE: Final = 0.5
#: areas and capacities are compared with this relative slack (rounding of coordinates)
FIT_TOLERANCE: Final = 1e-9
#: default time limit of the exact solver, seconds
EXACT_TIME_LIMIT_S: Final = 60.0
#: phase value of a parcel that is not opened
NOT_OPENED: Final = 0


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the fragmentation penalties of the objective (see :mod:`zoning.planning`).

    Parameters
    ----------
    block_penalty_mu
        Cost of each block opened in a phase, in mu-equivalents (opening 1 mu of the
        worst-ranked zone in phase 1 earns 1).
    perimeter_penalty_mu_per_km
        Cost of each km of perimeter of the developed area, per phase it stands, in
        mu-equivalents.
    infrastructure_penalty_mu_per_million_yuan
        Cost of the planned roads and utility lines the opened land needs built, in
        mu-equivalents per million yuan (100 万元) at the rulebook's unit costs; each
        segment is paid once.
    """

    block_penalty_mu: float = BLOCK_PENALTY_MU
    perimeter_penalty_mu_per_km: float = PERIMETER_PENALTY_MU_PER_KM
    infrastructure_penalty_mu_per_million_yuan: float = INFRASTRUCTURE_PENALTY_MU_PER_MILLION_YUAN


@dataclass(frozen=True)
class SequencingOptions:
    """The options of a phase plan; ``None`` takes the rulebook's ``[sequencing]`` value.

    Parameters
    ----------
    quota_mu
        Land that may be opened per phase, mu; default ``sequencing.default_quota_mu``.
    phases
        Number of phases ``K``; default ``sequencing.default_phases``.
    max_tracts_per_phase
        Most tracts (connected groups of parcels) a phase opens; default
        ``sequencing.max_tracts_per_phase``.
    min_shared_boundary_m, max_road_gap_m
        Adjacency thresholds; default the rulebook's.
    frontage_tolerance_m
        Slack beyond a road's half width within which a parcel fronts it.
    weights
        Fragmentation penalties of the objective; default :class:`ObjectiveWeights`.
    wastewater_tpd_per_phase, power_mw_per_phase
        Capacity added in each phase; when given, the cumulative demand of the opened land
        stays within the rulebook's spare capacity plus what has been added by then.
    wastewater_tpd_per_mu, power_mw_per_mu
        Demand per mu of a vacant parcel (whose own value is 0); default the mean
        intensity of the park's developed and committed parcels.
    time_limit_s
        Time limit of the exact solver, seconds.

    Examples
    --------
    >>> options = SequencingOptions(quota_mu=1500)
    >>> options.replace(phases=4).phases
    4
    """

    quota_mu: float | None = None
    phases: int | None = None
    max_tracts_per_phase: int | None = None
    min_shared_boundary_m: float | None = None
    max_road_gap_m: float | None = None
    frontage_tolerance_m: float = FRONTAGE_TOLERANCE_M
    weights: ObjectiveWeights | None = None
    wastewater_tpd_per_phase: float | None = None
    power_mw_per_phase: float | None = None
    wastewater_tpd_per_mu: float | None = None
    power_mw_per_mu: float | None = None
    time_limit_s: float = EXACT_TIME_LIMIT_S

    def replace(self, **changes: Unpack[OptionOverrides]) -> SequencingOptions:
        """Return a copy with some options changed (unknown names raise ``TypeError``)."""
        return dataclasses.replace(self, **changes)


class OptionOverrides(TypedDict, total=False):
    """The fields of :class:`SequencingOptions`, as keyword arguments of :func:`sequence`."""

    quota_mu: float | None
    phases: int | None
    max_tracts_per_phase: int | None
    min_shared_boundary_m: float | None
    max_road_gap_m: float | None
    frontage_tolerance_m: float
    weights: ObjectiveWeights | None
    wastewater_tpd_per_phase: float | None
    power_mw_per_phase: float | None
    wastewater_tpd_per_mu: float | None
    power_mw_per_mu: float | None
    time_limit_s: float


def merge_options(
    options: SequencingOptions | None, overrides: OptionOverrides
) -> SequencingOptions:
    """Return ``options`` (default :class:`SequencingOptions`) with ``overrides`` applied."""
    base = options if options is not None else SequencingOptions()
    return base.replace(**overrides) if overrides else base


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

    Built by :func:`build_sequencing_problem`; every solver reads it and
    :func:`~zoning.planning.metrics.evaluate_plan` scores their answers. Arrays are indexed
    by *node*: node ``k`` is the parcel with the ``k``-th smallest ``parcel_id`` (so ties
    are broken by id).

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
    max_tracts
        Most tracts (blocks) a phase may open.
    infrastructure
        The planned road and utility segments each parcel needs built
        (:mod:`zoning.planning.infrastructure`).
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
    max_tracts: int = 1_000_000
    infrastructure: InfrastructureNeeds | None = None

    @property
    def needs(self) -> InfrastructureNeeds:
        """The infrastructure needs (none when the problem was built without)."""
        if self.infrastructure is None:
            return no_needs(self.n)
        return self.infrastructure

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


# --------------------------------------------------------------------------- step 1: options


@dataclass(frozen=True)
class ResolvedOptions:
    """The options with the rulebook's defaults filled in and checked."""

    quota_mu: float
    phases: int
    min_shared_boundary_m: float
    max_road_gap_m: float
    weights: ObjectiveWeights
    max_tracts: int


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


def resolve_options(park: Park, options: SequencingOptions) -> ResolvedOptions:
    """Fill the options left at ``None`` from the rulebook and check every value.

    Raises
    ------
    InputError
        With every out-of-range option (a quota of 0 or less, no phase, a negative length,
        capacity or weight).
    """
    settings = park.rulebook.sequencing
    quota = float(settings.default_quota_mu if options.quota_mu is None else options.quota_mu)
    k = settings.default_phases if options.phases is None else options.phases
    min_shared = float(
        settings.min_shared_boundary_m
        if options.min_shared_boundary_m is None
        else options.min_shared_boundary_m
    )
    gap = float(
        settings.max_road_gap_m if options.max_road_gap_m is None else options.max_road_gap_m
    )
    problems = _option_problems(quota, k, min_shared, gap)
    for name in (
        "wastewater_tpd_per_phase",
        "power_mw_per_phase",
        "wastewater_tpd_per_mu",
        "power_mw_per_mu",
    ):
        value = getattr(options, name)
        if value is not None and (not math.isfinite(value) or value < 0):
            problems.append(Problem(name, f"{name} must be >= 0, got {value}"))
    weights = options.weights or ObjectiveWeights()
    if (
        weights.perimeter_penalty_mu_per_km < 0
        or weights.block_penalty_mu < 0
        or weights.infrastructure_penalty_mu_per_million_yuan < 0
    ):
        problems.append(Problem("weights", "objective weights must be >= 0", expected=">= 0"))
    tracts = (
        settings.max_tracts_per_phase
        if options.max_tracts_per_phase is None
        else options.max_tracts_per_phase
    )
    if int(tracts) != tracts or tracts < 1:
        problems.append(
            Problem(
                "max_tracts_per_phase",
                f"the most tracts a phase opens must be a whole number of at least 1, got {tracts}",
                expected="1, 2, 3, ... (the rulebook's default is 3)",
            )
        )
    if problems:
        raise InputError("cannot make a phase plan with these options", problems)
    return ResolvedOptions(quota, int(k), min_shared, gap, weights, int(tracts))


# --------------------------------------------------------------------------- step 2-3: parcels


@dataclass(frozen=True)
class ParcelArrays:
    """The state of each parcel, in node order."""

    developed: BoolArray
    vacant: BoolArray
    protected: BoolArray
    serviced: BoolArray
    constrained: BoolArray
    area_mu: FloatArray
    perimeter_m: FloatArray


def constrained_parcels(parcels: gpd.GeoDataFrame, constraints: gpd.GeoDataFrame) -> BoolArray:
    """Return which parcels lie at least :data:`CONSTRAINED_SHARE` inside no-build land."""
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


def parcel_arrays(
    park: Park, ordered: gpd.GeoDataFrame, frontage_tolerance_m: float
) -> ParcelArrays:
    """Read the state of each parcel of ``ordered`` (the parcels in node order)."""
    status = ordered[s.STATUS].astype(str).to_numpy()
    serviced = find_serviced_parcels(
        ordered, park.infrastructure, tolerance_m=frontage_tolerance_m
    ).to_numpy(dtype=bool)
    return ParcelArrays(
        developed=np.isin(status, [s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED]),
        vacant=status == s.ParcelStatus.VACANT,
        protected=status == s.ParcelStatus.PROTECTED,
        serviced=serviced,
        constrained=constrained_parcels(ordered, park.constraints),
        area_mu=ordered[s.AREA_MU].to_numpy(dtype=float),
        perimeter_m=np.asarray(shapely.length(ordered.geometry.to_numpy()), dtype=float),
    )


# --------------------------------------------------------------------------- step 4: zones


@dataclass(frozen=True)
class ZoneArrays:
    """What each parcel's zone says, in node order."""

    zone: npt.NDArray[np.object_]
    open_phase: IntArray
    weight: FloatArray
    tier: IntArray
    priority_zone: BoolArray


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


def zone_arrays(park: Park, ordered: gpd.GeoDataFrame, phases: int) -> ZoneArrays:
    """Read the open phase, weight, tier and priority mode of each parcel's zone."""
    open_phase_z, weight_z, tier_z, priority_zones = _zone_tables(park, phases)
    zone = ordered[s.ZONE_ID].astype(str).to_numpy(dtype=object)
    never = phases + 1
    worst = max(tier_z.values(), default=0)
    return ZoneArrays(
        zone=zone,
        open_phase=np.array([open_phase_z.get(z, never) for z in zone], dtype=np.int64),
        weight=np.array([weight_z.get(z, 1.0) for z in zone], dtype=float),
        tier=np.array([tier_z.get(z, worst) for z in zone], dtype=np.int64),
        priority_zone=np.array([z in priority_zones for z in zone], dtype=bool),
    )


# --------------------------------------------------------------------------- step 5-6: seeds


def check_seeds(parcels: ParcelArrays) -> None:
    """Refuse a park with no vacant parcel, or with nothing a plan could grow from.

    Raises
    ------
    InfeasiblePlanError
        If no parcel is vacant, or none is developed or committed and no vacant parcel
        fronts a built road or utility trunk.
    """
    if not parcels.vacant.any():
        raise InfeasiblePlanError(
            "no plan can be made: the park has no vacant parcel to open "
            f"({len(parcels.vacant)} parcels, all developed, committed or protected)"
        )
    if not parcels.developed.any() and not (parcels.serviced & parcels.vacant).any():
        raise InfeasiblePlanError(
            "no plan can be made: there are no seeds - no parcel is developed or committed, "
            "and no vacant parcel fronts a built road or utility trunk; mark the existing "
            "development in the parcels' status, or add the built roads to the "
            "infrastructure layer"
        )


def static_reasons(
    ids: npt.NDArray[np.str_],
    parcels: ParcelArrays,
    open_phase: IntArray,
    adjacency: ParcelAdjacency,
    *,
    quota_mu: float,
    phases: int,
) -> tuple[IntArray, BoolArray]:
    """Return the reason code of each parcel that can never open, and the eligible parcels.

    Raises
    ------
    InfeasiblePlanError
        If the quota is smaller than every vacant parcel that could be opened.
    """
    n = len(ids)
    area_mu = parcels.area_mu
    vacant = parcels.vacant
    reason = np.full(n, -1, dtype=np.int64)
    codes = {r: i for i, r in enumerate(s.UnscheduledReason)}
    too_large = area_mu > quota_mu + FIT_TOLERANCE * max(quota_mu, 1.0)
    for mask, why in (
        (parcels.protected, s.UnscheduledReason.PROTECTED),
        (vacant & (open_phase > phases), s.UnscheduledReason.ZONE_HELD),
        (vacant & parcels.constrained, s.UnscheduledReason.CONSTRAINED),
        (vacant & too_large, s.UnscheduledReason.LARGER_THAN_QUOTA),
    ):
        reason[mask & (reason < 0)] = codes[why]
    candidates = vacant & (open_phase <= phases) & ~parcels.constrained
    if candidates.any() and too_large[candidates].all():
        smallest = int(np.flatnonzero(candidates)[np.argmin(area_mu[candidates])])
        raise InfeasiblePlanError(
            f"no plan can be made: the quota of {quota_mu:,.1f} mu per phase is smaller than "
            f"every vacant parcel that could be opened (the smallest, {ids[smallest]}, has "
            f"{area_mu[smallest]:,.1f} mu); raise --quota-mu to at least that"
        )
    eligible = vacant & (reason < 0)
    # isolated: eligible land with no path to development or serviced frontage
    developed = parcels.developed
    keep = (eligible | developed)[adjacency.left] & (eligible | developed)[adjacency.right]
    labels = component_labels(n, adjacency.left[keep], adjacency.right[keep])
    anchored_labels = np.unique(labels[developed | (parcels.serviced & eligible)])
    isolated = eligible & ~np.isin(labels, anchored_labels)
    reason[isolated] = codes[s.UnscheduledReason.ISOLATED]
    return reason, eligible & ~isolated


# --------------------------------------------------------------------------- step 7: capacity


def capacity_limits(
    park: Park, rows: IntArray, phases: int, options: SequencingOptions
) -> tuple[Capacity, ...]:
    """Return the wastewater and power limits asked for by ``options`` (node order)."""
    parcels = park.parcels
    out = []
    status = parcels[s.STATUS].astype(str).to_numpy()
    built = np.isin(status, [s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED])
    area = parcels[s.AREA_MU].to_numpy(dtype=float)
    for name, per_phase, per_mu in (
        (s.WASTEWATER_TPD, options.wastewater_tpd_per_phase, options.wastewater_tpd_per_mu),
        (s.POWER_MW, options.power_mw_per_phase, options.power_mw_per_mu),
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


# --------------------------------------------------------------------------- the whole


def build_sequencing_problem(
    park: Park,
    options: SequencingOptions | None = None,
    *,
    adjacency: ParcelAdjacency | None = None,
    **overrides: Unpack[OptionOverrides],
) -> SequencingProblem:
    """Turn a park and planning options into a :class:`SequencingProblem`.

    Parameters
    ----------
    park
        The park.
    options
        The options (:class:`SequencingOptions`); any of its fields may also be given as a
        keyword argument (``quota_mu=1500, phases=4``), which wins.
    adjacency
        A prebuilt adjacency of the parcels sorted by id (see :func:`zoning.sequence`).
    **overrides
        Fields of :class:`SequencingOptions`.

    Raises
    ------
    InputError
        If an option is out of range (a quota of 0 or less, no phase, a negative length).
    InfeasiblePlanError
        If no plan can be made: no vacant parcel, no seed, a quota below every parcel.
    """
    chosen = merge_options(options, overrides)
    resolved = resolve_options(park, chosen)
    k = resolved.phases
    parcels = park.parcels
    ids_all = parcels[s.PARCEL_ID].astype(str).to_numpy()
    rows = np.argsort(ids_all, kind="stable").astype(np.int64)
    ordered = parcels.iloc[rows]
    ids = ids_all[rows]
    if adjacency is None:
        adjacency = build_parcel_adjacency(
            ordered,
            min_shared_boundary_m=resolved.min_shared_boundary_m,
            max_road_gap_m=resolved.max_road_gap_m,
        )
    elif adjacency.n != len(parcels):
        raise ValueError(f"the adjacency holds {adjacency.n} parcels, the park {len(parcels)}")
    state = parcel_arrays(park, ordered, chosen.frontage_tolerance_m)
    zones = zone_arrays(park, ordered, k)
    check_seeds(state)
    reason, eligible = static_reasons(
        ids, state, zones.open_phase, adjacency, quota_mu=resolved.quota_mu, phases=k
    )
    indptr, indices = adjacency.csr()
    c_indptr, c_indices, c_length = adjacency.contact_csr()
    return SequencingProblem(
        ids=ids,
        rows=rows,
        area_mu=state.area_mu,
        perimeter_m=state.perimeter_m,
        weight=zones.weight,
        tier=zones.tier,
        developed=state.developed,
        serviced=state.serviced,
        eligible=eligible,
        open_phase=zones.open_phase,
        static_reason=reason,
        priority_zone=zones.priority_zone,
        zone=zones.zone,
        adjacency=adjacency,
        indptr=indptr,
        indices=indices,
        contact_indptr=c_indptr,
        contact_indices=c_indices,
        contact_length_m=c_length,
        quota_mu=resolved.quota_mu,
        phases=k,
        block_penalty_mu=float(resolved.weights.block_penalty_mu),
        perimeter_penalty_mu_per_m=resolved.weights.perimeter_penalty_mu_per_km / 1000.0,
        capacities=capacity_limits(park, rows, k, chosen),
        max_tracts=resolved.max_tracts,
        infrastructure=_needs(park, ordered, resolved, chosen),
    )


def _needs(
    park: Park, ordered: gpd.GeoDataFrame, resolved: ResolvedOptions, chosen: SequencingOptions
) -> InfrastructureNeeds:
    """Return the planned segments each parcel needs, at the rulebook's unit costs."""
    return infrastructure_needs(
        ordered,
        park.infrastructure,
        cost_wan_yuan_per_km=park.rulebook.sequencing.infrastructure_cost_wan_yuan_per_km,
        penalty_mu_per_million_yuan=resolved.weights.infrastructure_penalty_mu_per_million_yuan,
        tolerance_m=chosen.frontage_tolerance_m,
    )


__all__ = [
    "BLOCK_PENALTY_MU",
    "CONSTRAINED_SHARE",
    "EXACT_TIME_LIMIT_S",
    "FIT_TOLERANCE",
    "INFRASTRUCTURE_PENALTY_MU_PER_MILLION_YUAN",
    "NOT_OPENED",
    "NO_BUILD_CONSTRAINTS",
    "PERIMETER_PENALTY_MU_PER_KM",
    "TOP_PRIORITY_WEIGHT",
    "Capacity",
    "ObjectiveWeights",
    "OptionOverrides",
    "ParcelArrays",
    "ResolvedOptions",
    "SequencingOptions",
    "SequencingProblem",
    "ZoneArrays",
    "build_sequencing_problem",
    "capacity_limits",
    "check_seeds",
    "constrained_parcels",
    "merge_options",
    "parcel_arrays",
    "resolve_options",
    "static_reasons",
    "zone_arrays",
]
