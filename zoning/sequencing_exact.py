"""The exact phase plan: the sequencing model solved with OR-Tools CP-SAT.

The model is the one of :mod:`zoning.sequencing` (same rules, same objective ``J``), written
as a constraint program over the eligible parcels ``i`` and phases ``p``:

``x[i, p]``
    parcel ``i`` is open by the end of phase ``p`` (monotone in ``p``; 0 before its zone
    opens); ``z[i, p] = x[i, p] - x[i, p - 1]`` says it opens *in* phase ``p``.
``a[i, p]``
    ``i`` is anchored at the start of phase ``p``: it fronts serviced infrastructure, or a
    neighbour is developed, committed, or open by the end of phase ``p - 1``.
``f[j, i, p]``, ``o[i]``
    contiguity: a parcel opened in phase ``p`` either is a *root* ``r[i, p]`` (and then
    anchored) or has a *parent* ``j``, a neighbour opened in the same phase with a smaller
    order ``o[j] < o[i]``. Following parents reaches a root inside the same block, so every
    block of a phase touches earlier development; the objective charges ``β`` per root, and
    an optimal plan has exactly one root per block, so ``Σ r = Σ_p B_p``.
``y[i, j, p]``
    both parcels of a boundary contact are developed after phase ``p`` (for the perimeter).
Quota and capacities are linear constraints per phase. The priority rule reads: if a phase
opens a parcel of a lower-ranked zone, any closed better-ranked parcel anchored at its
start must not fit in the quota (or a capacity) left by the phase's land of its rank or
better.

Areas are scaled to integers of 0.0001 mu and the objective to 0.001 mu-equivalents; the
plan the solver returns is scored again by :func:`zoning.sequencing.evaluate_plan`.
CP-SAT is exact but exponential: keep to a few dozen eligible parcels
(:data:`MAX_EXACT_PARCELS`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from zoning.errors import InputError, Problem
from zoning.sequencing import SequencingProblem, evaluate_plan

#: largest number of eligible parcels the exact mode accepts
MAX_EXACT_PARCELS: Final = 150
#: integer units per mu in the model
AREA_SCALE: Final = 10_000
#: integer units per mu-equivalent of the objective
OBJECTIVE_SCALE: Final = 1_000
#: integer units per unit of capacity (t/d, MW)
CAPACITY_SCALE: Final = 1_000

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ExactSolution:
    """The answer of the CP-SAT solver.

    Attributes
    ----------
    phase_of
        Phase of each node (0 when not opened), as in :func:`zoning.sequencing.evaluate_plan`.
    optimal
        Whether CP-SAT proved the plan optimal.
    objective
        ``J`` of the plan, scored by :func:`~zoning.sequencing.evaluate_plan`.
    bound
        Upper bound on ``J`` proved by the solver (equal to ``objective`` when optimal, up
        to the integer scaling).
    model_objective
        The solver's own value of its plan (integer-scaled objective, back in
        mu-equivalents); it matches ``objective`` up to the rounding of coefficients.
    status
        CP-SAT status name.
    wall_time_s
        Solver time, seconds.
    """

    phase_of: IntArray
    optimal: bool
    objective: float
    bound: float
    model_objective: float
    status: str
    wall_time_s: float


def _lin(terms: list[tuple[int, cp_model.IntVar]]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms])


def solve_exact(
    problem: SequencingProblem,
    *,
    time_limit_s: float = 60.0,
    workers: int = 2,
    hint: IntArray | None = None,
) -> ExactSolution:
    """Solve a sequencing problem to optimality with CP-SAT (small problems only).

    Parameters
    ----------
    problem
        The problem (:func:`zoning.sequencing.build_sequencing_problem`).
    time_limit_s
        Time limit, seconds; the best plan found is returned when it runs out.
    workers
        CP-SAT search workers; the search is interleaved, so the answer does not depend
        on thread timing.
    hint
        A plan (``phase_of``) to start from, e.g. the heuristic's.

    Returns
    -------
    ExactSolution

    Raises
    ------
    InputError
        If the problem has more than :data:`MAX_EXACT_PARCELS` eligible parcels.
    InfeasiblePlanError
        Never for a problem that :func:`~zoning.sequencing.build_sequencing_problem`
        accepted: opening nothing is always feasible.
    """
    vacant = np.flatnonzero(problem.eligible).tolist()
    if len(vacant) > MAX_EXACT_PARCELS:
        raise InputError(
            "the exact method is for small parks",
            [
                Problem(
                    "method",
                    f"{len(vacant)} parcels could be opened; the exact method takes at most "
                    f"{MAX_EXACT_PARCELS}",
                    fix="use the heuristic method (the default)",
                )
            ],
        )
    k = problem.phases
    model = cp_model.CpModel()
    in_v = set(vacant)
    developed = problem.developed
    indptr, indices = problem.indptr, problem.indices
    adj = problem.adjacency
    phases = range(1, k + 1)

    # x[i, p]: open by the end of p (absent: certainly closed); z[i, p]: opens in p
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    z: dict[tuple[int, int], cp_model.IntVar] = {}
    for i in vacant:
        first = int(problem.open_phase[i])
        for p in range(first, k + 1):
            var = model.new_bool_var(f"x_{i}_{p}")
            opens = model.new_bool_var(f"z_{i}_{p}")
            if (i, p - 1) in x:
                model.add_implication(x[i, p - 1], var)
                model.add(opens == var - x[i, p - 1])
            else:
                model.add(opens == var)
            x[i, p] = var
            z[i, p] = opens

    # anchors at the start of each phase (absent: not anchored; None: always anchored)
    anchor: dict[tuple[int, int], cp_model.IntVar | None] = {}
    for i in vacant:
        neighbours = indices[indptr[i] : indptr[i + 1]].tolist()
        fixed = bool(problem.serviced[i]) or any(developed[j] for j in neighbours)
        for p in phases:
            if (i, p) not in z:
                continue
            if fixed:
                anchor[i, p] = None
                continue
            earlier = [x[j, p - 1] for j in neighbours if (j, p - 1) in x]
            if earlier:
                anchored = model.new_bool_var(f"a_{i}_{p}")
                model.add_max_equality(anchored, earlier)
                anchor[i, p] = anchored

    # contiguity: each parcel opened in a phase is a root (anchored) or has a parent
    order = {i: model.new_int_var(0, len(vacant), f"o_{i}") for i in vacant}
    roots_in: dict[int, list[cp_model.IntVar]] = {p: [] for p in phases}
    for i in vacant:
        neighbours = [j for j in indices[indptr[i] : indptr[i + 1]].tolist() if j in in_v]
        for p in phases:
            if (i, p) not in z:
                continue
            zi = z[i, p]
            options: list[cp_model.IntVar] = []
            if (i, p) in anchor:
                root = model.new_bool_var(f"r_{i}_{p}")
                model.add_implication(root, zi)
                start_anchor = anchor[i, p]
                if start_anchor is not None:
                    model.add_implication(root, start_anchor)
                roots_in[p].append(root)
                options.append(root)
            for j in neighbours:
                if (j, p) not in z:
                    continue
                f = model.new_bool_var(f"f_{j}_{i}_{p}")
                model.add_implication(f, zi)
                model.add_implication(f, z[j, p])
                model.add(order[j] + 1 <= order[i]).only_enforce_if(f)
                options.append(f)
            if options:
                model.add_bool_or(options).only_enforce_if(zi)
            else:
                model.add(zi == 0)

    # quota and capacities
    area = {i: round(float(problem.area_mu[i]) * AREA_SCALE) for i in vacant}
    quota = round(problem.quota_mu * AREA_SCALE)
    used: dict[int, cp_model.LinearExpr] = {}
    for p in phases:
        used[p] = _lin([(area[i], z[i, p]) for i in vacant if (i, p) in z])
        model.add(used[p] <= quota)
    cap_demand: list[dict[int, int]] = []
    cap_limit: list[list[int]] = []
    for cap in problem.capacities:
        demand = {i: round(float(cap.demand[i]) * CAPACITY_SCALE) for i in vacant}
        limits = [round(float(v) * CAPACITY_SCALE) for v in cap.available]
        per_phase: dict[int, cp_model.LinearExpr] = {}
        for p in phases:
            per_phase[p] = _lin([(demand[i], x[i, p]) for i in vacant if (i, p) in x])
            model.add(per_phase[p] <= limits[p - 1])
        cap_demand.append(demand)
        cap_limit.append(limits)

    # priority order: lower-ranked land opens in a phase only when no better-ranked land,
    # anchored at its start and still closed, fits in the room left by land of its rank
    # or better (so lower-ranked land never takes the room of better-ranked land)
    tiers = sorted({int(problem.tier[i]) for i in vacant})
    for p in phases:
        for t in tiers[:-1]:
            lower = [z[j, p] for j in vacant if int(problem.tier[j]) > t and (j, p) in z]
            if not lower:
                continue
            opens_lower = model.new_bool_var(f"h_{t}_{p}")
            model.add_max_equality(opens_lower, lower)
            ranked = [i for i in vacant if int(problem.tier[i]) <= t]
            used_ranked = _lin([(area[i], z[i, p]) for i in ranked if (i, p) in z])
            cap_ranked = [
                _lin(
                    [(demand[i], x[i, p - 1]) for i in vacant if (i, p - 1) in x]
                    + [(demand[i], z[i, p]) for i in ranked if (i, p) in z]
                )
                for demand in cap_demand
            ]
            for i in ranked:
                if int(problem.tier[i]) != t or (i, p) not in anchor:
                    continue
                full = model.new_bool_var(f"fullq_{i}_{p}")
                model.add(used_ranked >= quota - area[i] + 1).only_enforce_if(full)
                clause = [opens_lower.Not(), x[i, p], full]
                for c, cap_phase in enumerate(cap_ranked):
                    over = model.new_bool_var(f"fullc{c}_{i}_{p}")
                    model.add(
                        cap_phase >= cap_limit[c][p - 1] - cap_demand[c][i] + 1
                    ).only_enforce_if(over)
                    clause.append(over)
                start_anchor = anchor[i, p]
                if start_anchor is not None:
                    clause.append(start_anchor.Not())
                model.add_bool_or(clause)

    # objective: reward, perimeter (own perimeter less contacts with developed land)
    objective: list[tuple[int, cp_model.IntVar]] = []
    gamma = problem.perimeter_penalty_mu_per_m
    for i in vacant:
        value = float(problem.weight[i] * problem.area_mu[i])
        c0, c1 = int(problem.contact_indptr[i]), int(problem.contact_indptr[i + 1])
        with_developed = sum(
            float(length)
            for j, length in zip(
                problem.contact_indices[c0:c1].tolist(),
                problem.contact_length_m[c0:c1].tolist(),
                strict=True,
            )
            if developed[j]
        )
        added = float(problem.perimeter_m[i]) - 2.0 * with_developed
        for p in phases:
            if (i, p) in z:
                objective.append((round(OBJECTIVE_SCALE * value * (k + 1 - p) / k), z[i, p]))
                objective.append((-round(OBJECTIVE_SCALE * gamma * added), x[i, p]))
    for a_, b_, length in zip(
        adj.contact_left.tolist(),
        adj.contact_right.tolist(),
        adj.contact_length_m.tolist(),
        strict=True,
    ):
        coef = round(OBJECTIVE_SCALE * gamma * 2.0 * length)
        if a_ not in in_v or b_ not in in_v or coef == 0:
            continue
        for p in phases:
            if (a_, p) in x and (b_, p) in x:
                y = model.new_bool_var(f"y_{a_}_{b_}_{p}")
                model.add_implication(y, x[a_, p])
                model.add_implication(y, x[b_, p])
                objective.append((coef, y))
    # valid cuts on the number of blocks (they tighten the bound, not the model):
    # a phase that opens anything has a block, and blocks >= parcels - edges inside
    for p in phases:
        opened_p = [z[i, p] for i in vacant if (i, p) in z]
        if not opened_p:
            continue
        n_roots = sum(roots_in[p])
        for zi in opened_p:
            model.add(n_roots >= zi)
        inner = []
        for a_, b_ in zip(adj.left.tolist(), adj.right.tolist(), strict=True):
            if (a_, p) in z and (b_, p) in z:
                w = model.new_bool_var(f"w_{a_}_{b_}_{p}")
                model.add_implication(w, z[a_, p])
                model.add_implication(w, z[b_, p])
                inner.append(w)
        model.add(n_roots >= sum(opened_p) - sum(inner))
    beta = round(OBJECTIVE_SCALE * problem.block_penalty_mu)
    objective += [(-beta, root) for p in phases for root in roots_in[p]]
    model.maximize(_lin(objective))

    if hint is not None:
        for (i, p), var in x.items():
            model.add_hint(var, bool(0 < hint[i] <= p))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.interleave_search = True
    solver.parameters.random_seed = 0
    started = time.perf_counter()
    status = solver.solve(model)
    elapsed = time.perf_counter() - started
    phase_of = np.zeros(problem.n, dtype=np.int64)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (i, p), var in sorted(x.items(), reverse=True):
            if solver.boolean_value(var):
                phase_of[i] = p  # the smallest p wins: keys run from the last phase down
    score = evaluate_plan(problem, phase_of)
    bound = solver.best_objective_bound / OBJECTIVE_SCALE if status != cp_model.UNKNOWN else np.inf
    if status == cp_model.OPTIMAL:
        bound = max(bound, score.value)
    return ExactSolution(
        phase_of=phase_of,
        optimal=status == cp_model.OPTIMAL,
        objective=score.value,
        bound=float(bound),
        model_objective=(
            solver.objective_value / OBJECTIVE_SCALE
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            else float("nan")
        ),
        status=solver.status_name(status),
        wall_time_s=elapsed,
    )


__all__ = ["MAX_EXACT_PARCELS", "ExactSolution", "solve_exact"]
