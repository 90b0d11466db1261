"""The default phase planner: each phase opens a few consolidated tracts, best-ranked land first.

连片开发: a phase opens at most ``max_tracts_per_phase`` *tracts* (blocks: connected groups
of parcels, across local roads), each grown from land anchored at the start of the phase.
For each new tract the planner grows a trial tract from each of the best anchored parcels
(:data:`TRACT_START_LIMIT` distinct starts, best-ranked and highest-gain first): a
priority queue holds the trial's frontier ordered by zone rank, then by marginal gain of
``J`` per mu (its value less the perimeter it adds and the planned roads and utility lines
it needs built, a shared segment paid once), and the best frontier parcel that fits the
quota and capacities joins, until nothing more fits or is worth adding. The trial of the
best-ranked start with the highest gain is kept. When the phase has its tracts, or no start
is left, the existing tracts of the phase are extended the same way (land that waited for
better-ranked land to fill first). A parcel of a lower-ranked zone joins only when no
closed better-ranked parcel anchored at the start of the phase fits in the room left by
the phase's land of its rank or better (the priority rule). It is deterministic (ties
broken by ``parcel_id``). :class:`PhaseState` is also the book-keeping of the project
placement (:mod:`zoning.planning.placement`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from zoning.planning.problem import FIT_TOLERANCE, NOT_OPENED, SequencingProblem
from zoning.planning.types import IntArray

#: an entry of the candidate queue: (tier, -gain per mu, node, version)
_Entry = tuple[int, float, int, int]
#: most distinct starts tried for one new tract
TRACT_START_LIMIT: Final = 12


class PhaseState:
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
        needs = problem.needs
        self.needs = [needs.needed_by(i).tolist() for i in range(n)]
        self.segment_penalty = needs.penalty_mu.tolist()
        self.built_segments: set[int] = set()

    def infrastructure_cost(self, i: int, paid: set[int] | None = None) -> float:
        """Penalty of the planned segments ``i`` needs that are not built (nor in ``paid``)."""
        return float(
            sum(
                self.segment_penalty[f]
                for f in self.needs[i]
                if f not in self.built_segments and (paid is None or f not in paid)
            )
        )

    def blocks(self) -> int:
        """Return the number of blocks (tracts) opened so far in the current phase."""
        return sum(1 for x in self.block_parent if self.find(x) == x)

    def _add_contacts(self, i: int) -> None:
        for e in range(self.c_indptr[i], self.c_indptr[i + 1]):
            self.developed_contact[self.c_indices[e]] += self.c_length[e]

    def find(self, x: int) -> int:
        """Return the root of the block of this phase that ``x`` belongs to."""
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
            - self.infrastructure_cost(i)
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
        self.built_segments.update(self.needs[i])
        self._add_contacts(i)
        for r in range(len(self.used)):
            self.used[r] += self.demand[r][i]
        self.block_parent[i] = i
        for j in self.indices[self.indptr[i] : self.indptr[i + 1]]:
            if j in self.block_parent:
                ri, rj = self.find(i), self.find(j)
                if ri != rj:
                    self.block_parent[max(ri, rj)] = min(ri, rj)


@dataclass
class _PhaseContext:
    """What the growth of a phase's tracts reads: slack, rooms by rank, anchored starts."""

    phase: int
    slack: float
    worst_tier: int
    tier_area: list[float]
    tier_demand: list[list[float]]
    used_before: list[float]
    starts_by_tier: list[list[tuple[float, int]]]
    start: set[int]


@dataclass
class _Trial:
    """A tentative tract (or extension): the parcels in the order they join, and its gain."""

    nodes: list[int] = field(default_factory=list)
    members: set[int] = field(default_factory=set)
    gain: float = 0.0
    start_tier: int = 0


class _Grower:
    """Grow one trial tract on top of a :class:`PhaseState`, without changing it."""

    def __init__(self, state: PhaseState, ctx: _PhaseContext, *, new_tract: bool) -> None:
        self.state = state
        self.ctx = ctx
        self.new_tract = new_tract
        # a better-ranked parcel away from the phase's land could still get a tract of its own
        self.room_for_tract = state.blocks() + int(new_tract) < state.problem.max_tracts
        problem = state.problem
        self.quota = problem.quota_mu
        self.tol = FIT_TOLERANCE * max(problem.quota_mu, 1.0)
        self.slack = ctx.slack
        self.tier_area = list(ctx.tier_area)
        self.tier_demand = [list(d) for d in ctx.tier_demand]
        self.used = list(state.used)
        self.contact: dict[int, float] = {}
        self.paid: set[int] = set()
        self.trial = _Trial()
        self.remaining = problem.phases + 1 - ctx.phase
        self.k = problem.phases
        self.gamma = problem.perimeter_penalty_mu_per_m
        # closed parcels anchored at the start of the phase and next to the phase's land
        # (committed or in the trial): the better-ranked land the priority rule can see once
        # the phase has all its tracts
        self.near: set[int] = set()
        for i in state.block_parent:
            self._see(i)

    def gain(self, i: int) -> float:
        """Marginal change of ``J`` if ``i`` joins the trial (without the block term)."""
        s = self.state
        added = s.perimeter[i] - 2.0 * (s.developed_contact[i] + self.contact.get(i, 0.0))
        return float(
            self.remaining * (s.value[i] / self.k - self.gamma * added)
            - s.infrastructure_cost(i, self.paid)
        )

    def fits(self, i: int) -> bool:
        """Whether ``i`` fits the slack and the capacities of the phase."""
        s = self.state
        if s.area[i] > self.slack + self.tol:
            return False
        for r, cap in enumerate(s.problem.capacities):
            limit = float(cap.available[self.ctx.phase - 1])
            if self.used[r] + s.demand[r][i] > limit + FIT_TOLERANCE * max(limit, 1.0):
                return False
        return True

    def better_land_waits(self, tier: int) -> bool:
        """Whether a closed anchored parcel ranked better than ``tier`` still fits its room.

        Once the phase has all its tracts, only parcels next to the phase's land count.
        """
        s, ctx = self.state, self.ctx
        if not self.room_for_tract:
            # the phase has all its tracts: only land next to them counts
            return any(s.tier[j] < tier and self.fits_room(j) for j in self.near)
        caps = s.problem.capacities
        ranked_area = 0.0
        ranked_demand = [0.0] * len(caps)
        for t in range(tier):
            ranked_area += self.tier_area[t]
            for r in range(len(caps)):
                ranked_demand[r] += self.tier_demand[r][t]
            room = self.quota - ranked_area
            for a, j in ctx.starts_by_tier[t]:
                if a > room + self.tol:
                    break
                if s.phase_of[j] != NOT_OPENED or j in self.trial.members:
                    continue
                if all(
                    self.used_before(r) + ranked_demand[r] + s.demand[r][j]
                    <= float(cap.available[ctx.phase - 1]) * (1 + FIT_TOLERANCE) + 1e-9
                    for r, cap in enumerate(caps)
                ):
                    return True
        return False

    def fits_room(self, j: int, extra_mu: float = 0.0) -> bool:
        """Whether ``j`` fits the room left by the phase's land of its rank or better."""
        s, ctx = self.state, self.ctx
        t = s.tier[j]
        room = self.quota - sum(self.tier_area[: t + 1]) - extra_mu
        if s.area[j] > room + self.tol:
            return False
        for r, cap in enumerate(s.problem.capacities):
            ranked = sum(self.tier_demand[r][: t + 1])
            limit = float(cap.available[ctx.phase - 1])
            if ctx.used_before[r] + ranked + s.demand[r][j] > limit * (1 + FIT_TOLERANCE) + 1e-9:
                return False
        return True

    def exposes_waiting_land(self, i: int) -> bool:
        """Whether adding ``i`` would bring better-ranked land next to the phase too late.

        A closed anchored parcel ranked better than land the phase opens must open when a
        tract reaches it and it fits its room; if ``i`` reaches it after lower-ranked land
        has taken the quota it needs, ``i`` may not join.
        """
        s = self.state
        worst = max(self.worst_tier_opened(), s.tier[i])
        for j in s.indices[s.indptr[i] : s.indptr[i + 1]]:
            if (
                j not in self.ctx.start
                or s.phase_of[j] != NOT_OPENED
                or j in self.trial.members
                or s.tier[j] >= worst
                or self.next_to_phase_land(j)
            ):
                continue
            extra = s.area[i] if s.tier[i] <= s.tier[j] else 0.0
            if not self.fits_room(j, extra):
                continue
            if s.area[j] <= self.slack - s.area[i] + self.tol:
                continue  # it still fits: it joins next, ahead of lower-ranked land
            return True
        return False

    def worst_tier_opened(self) -> int:
        """Worst tier of the land opened in the phase so far (-1 when none)."""
        worst = -1
        for t, a in enumerate(self.tier_area):
            if a > 0:
                worst = t
        return worst

    def _see(self, i: int) -> None:
        """Add the anchored closed neighbours of ``i`` (opened in the phase) to ``near``."""
        s = self.state
        for j in s.indices[s.indptr[i] : s.indptr[i + 1]]:
            if j in self.ctx.start and s.phase_of[j] == NOT_OPENED and j not in self.trial.members:
                self.near.add(j)

    def next_to_phase_land(self, j: int) -> bool:
        """Whether ``j`` (anchored at the start, closed) neighbours land opened in the phase."""
        return j in self.near

    def used_before(self, r: int) -> float:
        """Capacity ``r`` used by the land opened before the phase."""
        return self.ctx.used_before[r]

    def add(self, i: int, gain: float) -> None:
        """Let ``i`` join the trial."""
        s = self.state
        self.trial.nodes.append(i)
        self.trial.members.add(i)
        self.trial.gain += gain
        self.slack -= s.area[i]
        t = s.tier[i]
        self.tier_area[t] += s.area[i]
        for r in range(len(self.used)):
            self.used[r] += s.demand[r][i]
            self.tier_demand[r][t] += s.demand[r][i]
        self.paid.update(s.needs[i])
        self.near.discard(i)
        self._see(i)
        for e in range(s.c_indptr[i], s.c_indptr[i + 1]):
            j = s.c_indices[e]
            self.contact[j] = self.contact.get(j, 0.0) + s.c_length[e]

    def candidate(self, j: int) -> bool:
        """Whether ``j`` may join: eligible, its zone open, closed, not in the trial.

        The phase's count of tracts must not fall under the trial (a fall would let
        better-ranked land the trial passed over claim a tract): a new tract keeps apart
        from the phase's other tracts, and an extension of a phase that has all its
        tracts does not join two of them.
        """
        s = self.state
        if not (
            s.eligible[j]
            and s.open_phase[j] <= self.ctx.phase
            and s.phase_of[j] == NOT_OPENED
            and j not in self.trial.members
        ):
            return False
        touched = {
            s.find(n) for n in s.indices[s.indptr[j] : s.indptr[j + 1]] if n in s.block_parent
        }
        if self.new_tract:
            return not touched
        return len(touched) <= 1 or self.room_for_tract

    def _decide(self, i: int, tier: int, neg_density: float) -> tuple[str, float]:
        """Say what to do with a parcel taken from the queue: skip, requeue, defer or add."""
        s = self.state
        if not self.candidate(i):
            return "skip", 0.0
        if not self.fits(i):
            return "skip", 0.0  # the slack only shrinks: it will not fit later in this trial
        gain = self.gain(i)
        if gain / s.area[i] < -neg_density - 1e-12:
            return "requeue", gain  # stale: its gain fell since it was queued
        if gain <= 0.0 and tier == self.ctx.worst_tier:
            return "skip", gain  # not worth opening, and no lower-ranked land waits behind it
        if tier > 0 and self.better_land_waits(tier):
            return "defer", gain  # better-ranked land would fit: wait for it
        if self.exposes_waiting_land(i):
            return "skip", gain
        return "add", gain

    def _neighbours(self, i: int, version: dict[int, int]) -> list[int]:
        """Return the candidates next to ``i`` (and the queued ones it competes with), sorted."""
        s = self.state
        touched = set(s.indices[s.indptr[i] : s.indptr[i + 1]])
        touched.update(j for j in s.c_indices[s.c_indptr[i] : s.c_indptr[i + 1]] if j in version)
        return [j for j in sorted(touched) if self.candidate(j)]

    def grow(self, seeds: list[int]) -> _Trial:
        """Grow the trial from ``seeds`` (its first frontier) until nothing more joins."""
        s = self.state
        version: dict[int, int] = {}
        heap: list[_Entry] = []
        deferred: list[int] = []

        def push(j: int) -> None:
            version[j] = version.get(j, 0) + 1
            heapq.heappush(heap, (s.tier[j], -self.gain(j) / s.area[j], j, version[j]))

        for j in sorted(seeds):
            if self.candidate(j):
                push(j)
        while heap:
            t, neg_density, i, ver = heapq.heappop(heap)
            if version.get(i) != ver:
                continue
            action, gain = self._decide(i, t, neg_density)
            if action == "requeue":
                push(i)
            elif action == "defer":
                deferred.append(i)
            elif action == "add":
                self.add(i, gain)
                if t < self.ctx.worst_tier and deferred:
                    for j in deferred:
                        push(j)
                    deferred = []
                for j in self._neighbours(i, version):
                    push(j)
        return self.trial


def _merged_blocks(state: PhaseState, nodes: list[int]) -> int:
    """Return the number of distinct blocks of the phase that ``nodes`` touch."""
    roots = set()
    for i in nodes:
        for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
            if j in state.block_parent:
                roots.add(state.find(j))
    return len(roots)


def _context(state: PhaseState, phase: int, worst_tier: int, slack: float) -> _PhaseContext:
    """Return the context of a phase after the tracts committed so far."""
    problem = state.problem
    n_tiers = int(problem.tier.max()) + 1 if problem.n else 1
    tier_area = [0.0] * n_tiers
    tier_demand = [[0.0] * n_tiers for _ in problem.capacities]
    for i in state.block_parent:
        tier_area[state.tier[i]] += state.area[i]
        for r in range(len(problem.capacities)):
            tier_demand[r][state.tier[i]] += state.demand[r][i]
    used_before = [state.used[r] - sum(tier_demand[r]) for r in range(len(problem.capacities))]
    return _PhaseContext(
        phase=phase,
        slack=slack,
        worst_tier=worst_tier,
        tier_area=tier_area,
        tier_demand=tier_demand,
        used_before=used_before,
        starts_by_tier=[[] for _ in range(n_tiers)],
        start=set(),
    )


def _reachable_value(state: PhaseState, phase: int) -> dict[int, float]:
    """Area of closed land that can open in ``phase`` connected to each such parcel, mu.

    It ranks the starts of new tracts: a start in a pocket of a few parcels is tried after
    one that leads into open land, so the few tracts of a phase are not spent on pockets.
    """
    problem = state.problem
    free = [
        state.eligible[i] and state.open_phase[i] <= phase and state.phase_of[i] == NOT_OPENED
        for i in range(problem.n)
    ]
    out: dict[int, float] = {}
    for i in range(problem.n):
        if not free[i] or i in out:
            continue
        piece, stack = [i], [i]
        seen = {i}
        while stack:
            a = stack.pop()
            for b in state.indices[state.indptr[a] : state.indptr[a + 1]]:
                if free[b] and b not in seen:
                    seen.add(b)
                    piece.append(b)
                    stack.append(b)
        total = float(sum(state.area[j] for j in piece))
        for j in piece:
            out[j] = total
    return out


def _trial_key(trial: _Trial) -> tuple[float, int, int]:
    """Order of trials: highest gain, then best-ranked start, then smallest start id."""
    return (-round(trial.gain, 9), trial.start_tier, trial.nodes[0])


def _new_tract(state: PhaseState, ctx: _PhaseContext) -> _Trial | None:
    """Grow trial tracts from the best anchored starts and return the best, if any."""
    starts = [
        i
        for i in ctx.start
        if state.phase_of[i] == NOT_OPENED and state.area[i] <= ctx.slack * (1 + FIT_TOLERANCE)
    ]
    phase = ctx.phase
    reach = _reachable_value(state, phase)
    starts.sort(
        key=lambda i: (
            -min(reach.get(i, 0.0), ctx.slack),
            state.tier[i],
            -state.gain(i, phase) / state.area[i],
            i,
        )
    )
    beta = state.problem.block_penalty_mu
    best: _Trial | None = None
    covered: set[int] = set()
    tried = 0
    probe = _Grower(state, ctx, new_tract=True)
    for i in starts:
        if tried >= TRACT_START_LIMIT:
            break
        if i in covered:
            continue
        if state.tier[i] > 0 and probe.better_land_waits(state.tier[i]):
            continue  # better-ranked land must open first: a trial from here would be empty
        tried += 1
        trial = _Grower(state, ctx, new_tract=True).grow([i])
        if not trial.nodes:
            covered.add(i)
            continue
        covered |= trial.members
        trial.start_tier = state.tier[trial.nodes[0]]
        trial.gain -= beta * (1 - _merged_blocks(state, trial.nodes))
        if trial.start_tier == ctx.worst_tier and trial.gain <= 0.0:
            continue
        if best is None or _trial_key(trial) < _trial_key(best):
            best = trial
    return best


def _commit(state: PhaseState, trial: _Trial, phase: int) -> float:
    """Open the parcels of a trial; return the area opened."""
    for i in trial.nodes:
        state.open(i, phase)
    return float(sum(state.area[i] for i in trial.nodes))


def anchored_candidates(state: PhaseState, phase: int) -> set[int]:
    """Return the closed parcels that may open in ``phase``, anchored now (at its start)."""
    return {
        i
        for i in range(state.problem.n)
        if state.eligible[i]
        and state.open_phase[i] <= phase
        and state.phase_of[i] == NOT_OPENED
        and state.anchored(i)
    }


def fill_phase(
    state: PhaseState,
    phase: int,
    worst_tier: int,
    *,
    slack: float | None = None,
    start: set[int] | None = None,
) -> None:
    """Open the phase's tracts, then extend them, until nothing more fits or pays.

    Parameters
    ----------
    state
        The plan so far.
    phase
        The phase to fill.
    worst_tier
        Tier of the worst-ranked eligible land.
    slack
        Quota left in the phase; ``None`` starts the phase afresh (no block yet, the whole
        quota). The project placement passes what its projects left, keeping their blocks.
    start
        The parcels anchored at the start of the phase (default: computed now).
    """
    problem = state.problem
    if slack is None:
        state.block_parent = {}
        slack = problem.quota_mu
    if start is None:
        start = anchored_candidates(state, phase)
    while True:
        ctx = _context(state, phase, worst_tier, slack)
        ctx.start = start
        for i in sorted(start, key=lambda j: (state.area[j], j)):
            if state.phase_of[i] == NOT_OPENED:
                ctx.starts_by_tier[state.tier[i]].append((state.area[i], i))
        trial = _new_tract(state, ctx) if state.blocks() < problem.max_tracts else None
        if trial is None:
            frontier = {
                j
                for i in state.block_parent
                for j in state.indices[state.indptr[i] : state.indptr[i + 1]]
            }
            trial = _Grower(state, ctx, new_tract=False).grow(sorted(frontier))
        if not trial.nodes:
            return
        slack -= _commit(state, trial, phase)


def solve_heuristic(problem: SequencingProblem) -> IntArray:
    """Plan with the default heuristic: a few tracts per phase (module docstring).

    Returns
    -------
    numpy.ndarray
        Phase of each node (0 when not opened), scored by
        :func:`~zoning.planning.metrics.evaluate_plan`.
    """
    state = PhaseState(problem)
    worst_tier = int(problem.tier[problem.eligible].max()) if problem.eligible.any() else 0
    for phase in range(1, problem.phases + 1):
        fill_phase(state, phase, worst_tier)
    return np.asarray(state.phase_of, dtype=np.int64)


__all__ = [
    "TRACT_START_LIMIT",
    "PhaseState",
    "anchored_candidates",
    "fill_phase",
    "solve_heuristic",
]
