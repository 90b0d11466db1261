"""The exact (CP-SAT) phase plan: brute force on tiny layouts, invariants, heuristic bound."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import zoning
from tests.test_sequencing import (
    PARCEL_MU,
    Layout,
    check_plan,
    layouts,
    plan_or_cause,
    strip_park,
)
from zoning import schema as s
from zoning.errors import InputError
from zoning.planning import SequencingProblem, build_sequencing_problem, evaluate_plan, sequence
from zoning.planning.exact import MAX_EXACT_PARCELS, best_subset_sum, solve_exact
from zoning.planning.problem import FIT_TOLERANCE, ObjectiveWeights

#: largest number of eligible parcels enumerated by brute force
BRUTE_FORCE_PARCELS = 6


def feasible(problem: SequencingProblem, phase_of: np.ndarray) -> bool:
    """Check the rules of a plan directly on the problem's arrays (written independently)."""
    k = problem.phases
    tol = FIT_TOLERANCE * max(problem.quota_mu, 1.0)
    neighbours = [
        problem.indices[problem.indptr[i] : problem.indptr[i + 1]].tolist()
        for i in range(problem.n)
    ]
    for i in np.flatnonzero(phase_of > 0):
        if not problem.eligible[i] or phase_of[i] < problem.open_phase[i]:
            return False
    used = np.zeros(k + 1)
    np.add.at(used, phase_of, problem.area_mu)
    if (used[1:] > problem.quota_mu + tol).any():
        return False
    for cap in problem.capacities:
        for p in range(1, k + 1):
            if cap.demand[(phase_of > 0) & (phase_of <= p)].sum() > cap.available[p - 1] + 1e-9:
                return False

    def developed_before(j: int, p: int) -> bool:
        return bool(problem.developed[j]) or 0 < phase_of[j] < p

    def anchored(i: int, p: int) -> bool:
        return bool(problem.serviced[i]) or any(developed_before(j, p) for j in neighbours[i])

    for p in range(1, k + 1):
        members = set(np.flatnonzero(phase_of == p).tolist())
        seen: set[int] = set()
        pieces = 0
        for start in members:
            if start in seen:
                continue
            piece, stack = [], [start]
            seen.add(start)
            while stack:
                i = stack.pop()
                piece.append(i)
                for j in neighbours[i]:
                    if j in members and j not in seen:
                        seen.add(j)
                        stack.append(j)
            if not any(anchored(i, p) for i in piece):
                return False
            pieces += 1
        if pieces > problem.max_tracts:
            return False
        if not members:
            continue
        worst = max(problem.tier[i] for i in members)
        for j in range(problem.n):
            if (
                problem.eligible[j]
                and problem.tier[j] < worst
                and problem.open_phase[j] <= p
                and not 0 < phase_of[j] <= p
                and anchored(j, p)
                and (pieces < problem.max_tracts or any(phase_of[q] == p for q in neighbours[j]))
            ):
                ranked = (phase_of == p) & (problem.tier <= problem.tier[j])
                room = problem.quota_mu - problem.area_mu[ranked].sum()
                fits_capacity = all(
                    cap.demand[(phase_of > 0) & (phase_of < p)].sum()
                    + cap.demand[ranked].sum()
                    + cap.demand[j]
                    <= cap.available[p - 1] + 1e-9
                    for cap in problem.capacities
                )
                if problem.area_mu[j] <= room + tol and fits_capacity:
                    return False
    return True


def brute_force_optimum(problem: SequencingProblem) -> float:
    """The best objective over every assignment of the eligible parcels to phases."""
    vacant = np.flatnonzero(problem.eligible)
    best = -np.inf
    for combo in itertools.product(range(problem.phases + 1), repeat=len(vacant)):
        phase_of = np.zeros(problem.n, dtype=np.int64)
        phase_of[vacant] = combo
        if feasible(problem, phase_of):
            best = max(best, evaluate_plan(problem, phase_of).value)
    return float(best)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(layouts(max_cols=3, max_rows=3))
def test_exact_matches_brute_force_on_tiny_layouts(layout: Layout) -> None:
    try:
        problem = build_sequencing_problem(
            layout.park, quota_mu=layout.quota_mu, phases=min(layout.phases, 2)
        )
    except zoning.InfeasiblePlanError:
        assume(False)
        return
    assume(0 < int(problem.eligible.sum()) <= BRUTE_FORCE_PARCELS)
    solution = solve_exact(problem, time_limit_s=20.0)
    assert solution.optimal
    assert feasible(problem, solution.phase_of)
    assert solution.objective == pytest.approx(brute_force_optimum(problem), abs=1e-6)
    # the model's own objective is the evaluation function, up to integer rounding
    assert solution.model_objective == pytest.approx(solution.objective, abs=0.02)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(max_cols=4, max_rows=3))
def test_exact_plans_keep_every_invariant_and_bound_the_heuristic(layout: Layout) -> None:
    heuristic = plan_or_cause(layout)
    if heuristic is None:
        return
    exact = sequence(
        layout.park, quota_mu=layout.quota_mu, phases=layout.phases, method="exact", time_limit_s=30
    )
    check_plan(layout.park, exact, quota_mu=layout.quota_mu, phases=layout.phases)
    assert exact.method == "exact"
    assert exact.optimal
    assert exact.objective >= heuristic.objective - 1e-6
    assert exact.bound is not None
    assert exact.bound >= exact.objective - 1e-6


def test_exact_plan_is_deterministic() -> None:
    park = strip_park(["vacant", "vacant", "developed", "vacant", "vacant", "vacant"])
    plans = [
        sequence(park, quota_mu=2 * PARCEL_MU + 0.1, phases=2, method="exact") for _ in range(2)
    ]
    assert plans[0].parcels[s.PHASE].equals(plans[1].parcels[s.PHASE])
    assert plans[0].optimal


def test_exact_respects_capacity_added_per_phase() -> None:
    park = strip_park(["developed"] + ["vacant"] * 5)
    plan = sequence(
        park,
        quota_mu=10 * PARCEL_MU,
        phases=3,
        method="exact",
        wastewater_tpd_per_phase=35.0,
        wastewater_tpd_per_mu=2.0,
    )
    demand = plan.metrics[s.WASTEWATER_TPD].cumsum().to_numpy()
    assert (demand <= 35.0 * np.arange(1, 4) + 1e-9).all()
    assert plan.metrics[s.N_PARCELS].tolist() == [1, 1, 1]


def test_exact_refuses_large_parks() -> None:
    park = zoning.load_park()
    with pytest.raises(InputError, match=f"takes at most {MAX_EXACT_PARCELS}"):
        sequence(park, method="exact")


def test_priority_rule_binds_in_the_exact_model() -> None:
    """Lower-ranked land that would pay better may not open while better-ranked land fits.

    D is developed; B (zone b, priority 2) is wrapped by development on three sides, so
    opening it shortens the developed perimeter; A (zone a, priority 1) touches D along
    15 m only. With a steep perimeter penalty B pays and A does not, but the priority
    rule forbids opening B while A is anchored and fits, so the optimum opens nothing
    in phase 1.
    """
    from tests.test_sequencing import priority_versus_perimeter_park

    park = priority_versus_perimeter_park()
    weights = ObjectiveWeights(perimeter_penalty_mu_per_km=100.0)
    problem = build_sequencing_problem(park, quota_mu=PARCEL_MU + 0.1, phases=1, weights=weights)
    solution = solve_exact(problem, time_limit_s=10.0)
    assert solution.optimal
    assert solution.objective == pytest.approx(brute_force_optimum(problem), abs=1e-6)
    assert not (solution.phase_of > 0).any()
    # without the rule B alone would be better: the rule is what keeps it closed
    only_b = np.zeros(problem.n, dtype=np.int64)
    only_b[list(problem.ids).index("B")] = 1
    assert evaluate_plan(problem, only_b).value > solution.objective
    assert not feasible(problem, only_b)


@given(
    st.lists(st.integers(min_value=0, max_value=60), max_size=8),
    st.integers(min_value=-5, max_value=250),
)
def test_best_subset_sum_is_the_largest_reachable_area(sizes: list[int], limit: int) -> None:
    """The quota cut of the exact model: the largest subset sum up to the limit."""
    sums = {
        sum(chosen)
        for r in range(len(sizes) + 1)
        for chosen in itertools.combinations(sizes, r)
        if sum(chosen) <= limit
    }
    assert best_subset_sum(sizes, limit) == max(sums, default=0)
