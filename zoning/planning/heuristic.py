"""The default phase planner: grow the plan phase by phase, best-ranked land first.

For each phase the heuristic keeps the candidate parcels (anchored at the start of the
phase, or next to land opened in the phase) in a priority queue ordered by zone rank, then
by marginal gain in ``J`` per mu (area value less the perimeter and block they add, like a
knapsack greedy), opens the best one that fits the quota and capacities, updates its
neighbours and repeats until the phase is full. It is deterministic (ties broken by
``parcel_id``) and runs in ``O(E log N)``. :class:`PhaseState` is also the book-keeping of
the project placement (:mod:`zoning.planning.placement`).
"""

from __future__ import annotations

import heapq

import numpy as np

from zoning.planning.problem import FIT_TOLERANCE, NOT_OPENED, SequencingProblem
from zoning.planning.types import IntArray

#: an entry of the candidate queue: (tier, -gain per mu, node, version)
_Entry = tuple[int, float, int, int]


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


def _fill_phase(state: PhaseState, phase: int, worst_tier: int) -> None:
    """Open the best candidates of ``phase`` until nothing more fits or is worth opening."""
    problem = state.problem
    eligible, open_phase, tier, area = state.eligible, state.open_phase, state.tier, state.area
    indptr, indices = state.indptr, state.indices
    state.block_parent = {}
    slack = problem.quota_mu
    version: dict[int, int] = {}
    heap: list[_Entry] = []

    def push(i: int) -> None:
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
            j for j in state.c_indices[state.c_indptr[i] : state.c_indptr[i + 1]] if j in version
        )
        for j in sorted(touched):
            if eligible[j] and open_phase[j] <= phase and state.phase_of[j] == NOT_OPENED:
                push(j)


def solve_heuristic(problem: SequencingProblem) -> IntArray:
    """Plan with the default heuristic: grow the plan phase by phase (module docstring).

    Returns
    -------
    numpy.ndarray
        Phase of each node (0 when not opened), scored by
        :func:`~zoning.planning.metrics.evaluate_plan`.
    """
    state = PhaseState(problem)
    worst_tier = int(problem.tier[problem.eligible].max()) if problem.eligible.any() else 0
    for phase in range(1, problem.phases + 1):
        _fill_phase(state, phase, worst_tier)
    return np.asarray(state.phase_of, dtype=np.int64)


__all__ = ["PhaseState", "solve_heuristic"]
