"""The exact phase plan: the sequencing model solved with OR-Tools CP-SAT.

The model is the one of :mod:`zoning.planning` (same rules, same objective ``J``), written
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
``Σ_i r[i, p] ≤ T``
    the tract limit: a phase opens at most ``max_tracts_per_phase`` blocks (roots bound the
    blocks from above).
``b[f]``
    planned segment ``f`` is built: ``b[f] ≥ x[i, K]`` for every parcel needing it; the
    objective charges its cost once.
Quota and capacities are linear constraints per phase; the quota's right-hand side is the
largest sum of parcel areas under it, and a phase's blocks are at least its opened area over
that room (valid cuts: they change no integer plan, only tighten the bound when parcels are
spread fractionally in the linear relaxation). The priority rule reads: if a phase
opens a parcel of a lower-ranked zone, any closed better-ranked parcel anchored at its
start must not fit in the quota (or a capacity) left by the phase's land of its rank or
better, unless the phase has all its tracts and none touches it (``e[i, p]``).

The model is built in named steps, each a function adding one family of variables or
constraints to an :class:`ExactModel`: :func:`add_phase_variables`, :func:`add_anchors`,
:func:`add_contiguity`, :func:`add_tract_limit`, :func:`add_supply_limits`,
:func:`add_priority_rule`, :func:`add_objective` (with :func:`add_block_cuts` and
:func:`infrastructure_terms`), then :func:`run_solver`.

Areas are scaled to integers of 0.0001 mu and the objective to 0.001 mu-equivalents; the
plan the solver returns is scored again by :func:`zoning.planning.metrics.evaluate_plan`.
CP-SAT is exact but exponential: keep to a few dozen eligible parcels
(:data:`MAX_EXACT_PARCELS`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from ortools.sat.python import cp_model

from zoning.errors import InputError, Problem
from zoning.planning.metrics import evaluate_plan
from zoning.planning.problem import EXACT_TIME_LIMIT_S, SequencingProblem
from zoning.planning.types import IntArray

#: largest number of eligible parcels the exact mode accepts
MAX_EXACT_PARCELS: Final = 150
#: integer units per mu in the model
AREA_SCALE: Final = 10_000
#: integer units per mu-equivalent of the objective
OBJECTIVE_SCALE: Final = 1_000
#: integer units per unit of capacity (t/d, MW)
CAPACITY_SCALE: Final = 1_000

#: a variable of the model keyed by (node, phase)
_ByPhase = dict[tuple[int, int], cp_model.IntVar]
#: integer coefficient and variable of a linear term
_Term = tuple[int, cp_model.IntVar]


@dataclass(frozen=True)
class ExactSolution:
    """The answer of the CP-SAT solver.

    Attributes
    ----------
    phase_of
        Phase of each node (0 when not opened), as in
        :func:`zoning.planning.metrics.evaluate_plan`.
    optimal
        Whether CP-SAT proved the plan optimal.
    objective
        ``J`` of the plan, scored by :func:`~zoning.planning.metrics.evaluate_plan`.
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


@dataclass
class ExactModel:
    """The CP-SAT model of a problem and its variables, filled in by the ``add_*`` steps.

    Attributes
    ----------
    problem
        The problem modelled.
    model
        The CP-SAT model.
    vacant
        The eligible nodes (the only ones with variables).
    x, z
        Open by the end of a phase; opens in a phase.
    anchor
        Anchored at the start of a phase (absent: not anchored; ``None``: always).
    roots
        The block roots of each phase.
    area, quota
        Scaled parcel areas and quota.
    room
        Largest scaled area a phase can open: a sum of parcel areas up to the quota.
    cap_demand, cap_limit
        Scaled demand of each parcel and limit of each phase, per capacity.
    """

    problem: SequencingProblem
    model: cp_model.CpModel
    vacant: list[int]
    x: _ByPhase = field(default_factory=dict)
    z: _ByPhase = field(default_factory=dict)
    anchor: dict[tuple[int, int], cp_model.IntVar | None] = field(default_factory=dict)
    roots: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    root_node: dict[int, list[tuple[cp_model.IntVar, int]]] = field(default_factory=dict)
    area: dict[int, int] = field(default_factory=dict)
    quota: int = 0
    room: dict[int, int] = field(default_factory=dict)
    cap_demand: list[dict[int, int]] = field(default_factory=list)
    cap_limit: list[list[int]] = field(default_factory=list)
    near: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    tracts_full: dict[int, cp_model.IntVar] = field(default_factory=dict)

    @property
    def phases(self) -> range:
        """The phases ``1..K``."""
        return range(1, self.problem.phases + 1)


def _lin(terms: list[_Term]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms])


def check_size(problem: SequencingProblem) -> list[int]:
    """Return the eligible nodes, or refuse a problem too large for the exact method.

    Raises
    ------
    InputError
        If the problem has more than :data:`MAX_EXACT_PARCELS` eligible parcels.
    """
    vacant: list[int] = np.flatnonzero(problem.eligible).tolist()
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
    return vacant


def add_phase_variables(m: ExactModel) -> None:
    """Add ``x[i, p]`` (open by the end of ``p``, monotone) and ``z[i, p]`` (opens in ``p``)."""
    model, k = m.model, m.problem.phases
    for i in m.vacant:
        first = int(m.problem.open_phase[i])
        for p in range(first, k + 1):
            var = model.new_bool_var(f"x_{i}_{p}")
            opens = model.new_bool_var(f"z_{i}_{p}")
            if (i, p - 1) in m.x:
                model.add_implication(m.x[i, p - 1], var)
                model.add(opens == var - m.x[i, p - 1])
            else:
                model.add(opens == var)
            m.x[i, p] = var
            m.z[i, p] = opens


def add_anchors(m: ExactModel) -> None:
    """Add ``a[i, p]``: a neighbour is open by the end of ``p - 1`` (or ``i`` always is)."""
    problem = m.problem
    indptr, indices = problem.indptr, problem.indices
    for i in m.vacant:
        neighbours = indices[indptr[i] : indptr[i + 1]].tolist()
        fixed = bool(problem.serviced[i]) or any(problem.developed[j] for j in neighbours)
        for p in m.phases:
            if (i, p) not in m.z:
                continue
            if fixed:
                m.anchor[i, p] = None
                continue
            earlier = [m.x[j, p - 1] for j in neighbours if (j, p - 1) in m.x]
            if earlier:
                anchored = m.model.new_bool_var(f"a_{i}_{p}")
                m.model.add_max_equality(anchored, earlier)
                m.anchor[i, p] = anchored


def _parent_options(
    m: ExactModel, i: int, p: int, neighbours: list[int], order: dict[int, cp_model.IntVar]
) -> list[cp_model.IntVar]:
    """Return the root and parent variables of which one must hold if ``i`` opens in ``p``."""
    model, zi = m.model, m.z[i, p]
    options: list[cp_model.IntVar] = []
    if (i, p) in m.anchor:
        root = model.new_bool_var(f"r_{i}_{p}")
        model.add_implication(root, zi)
        start_anchor = m.anchor[i, p]
        if start_anchor is not None:
            model.add_implication(root, start_anchor)
        m.roots[p].append(root)
        m.root_node[p].append((root, i))
        options.append(root)
    for j in neighbours:
        if (j, p) not in m.z:
            continue
        f = model.new_bool_var(f"f_{j}_{i}_{p}")
        model.add_implication(f, zi)
        model.add_implication(f, m.z[j, p])
        model.add(order[j] + 1 <= order[i]).only_enforce_if(f)
        options.append(f)
    return options


def add_contiguity(m: ExactModel) -> None:
    """Add the contiguity: each parcel opened in a phase is an anchored root or has a parent."""
    problem = m.problem
    indptr, indices = problem.indptr, problem.indices
    in_v = set(m.vacant)
    order = {i: m.model.new_int_var(0, len(m.vacant), f"o_{i}") for i in m.vacant}
    m.roots = {p: [] for p in m.phases}
    m.root_node = {p: [] for p in m.phases}
    for i in m.vacant:
        neighbours = [j for j in indices[indptr[i] : indptr[i + 1]].tolist() if j in in_v]
        for p in m.phases:
            if (i, p) not in m.z:
                continue
            options = _parent_options(m, i, p, neighbours, order)
            if options:
                m.model.add_bool_or(options).only_enforce_if(m.z[i, p])
            else:
                m.model.add(m.z[i, p] == 0)


def add_tract_limit(m: ExactModel) -> None:
    """Add the tract limit: exactly one root per block, at most ``max_tracts`` per phase.

    Each opened parcel carries a label ``l[i]``; neighbours opened in the same phase have
    the same label and a root's label is its own node number, so a block holds one root
    and the roots of a phase count its tracts exactly.
    """
    problem, model = m.problem, m.model
    limit = problem.max_tracts
    n = max(problem.n, 1)
    label = {i: model.new_int_var(0, n - 1, f"l_{i}") for i in m.vacant}
    for p in m.phases:
        for root_var, i in m.root_node[p]:
            model.add(label[i] == i).only_enforce_if(root_var)
    in_v = set(m.vacant)
    for a_, b_ in zip(
        problem.adjacency.left.tolist(), problem.adjacency.right.tolist(), strict=True
    ):
        if a_ not in in_v or b_ not in in_v:
            continue
        for p in m.phases:
            if (a_, p) in m.z and (b_, p) in m.z:
                model.add(label[a_] == label[b_]).only_enforce_if([m.z[a_, p], m.z[b_, p]])
    for p in m.phases:
        if len(m.roots[p]) > limit:
            model.add(sum(m.roots[p]) <= limit)


def best_subset_sum(sizes: list[int], limit: int) -> int:
    """Return the largest sum of a subset of ``sizes`` (non-negative integers) up to ``limit``.

    Examples
    --------
    >>> best_subset_sum([108, 108, 216], 300)
    216
    >>> best_subset_sum([], 5)
    0
    """
    if sum(sizes) <= limit:
        return sum(sizes)
    if limit <= 0:
        return 0
    mask = (1 << (limit + 1)) - 1
    reachable = 1
    for size in sizes:
        if 0 < size <= limit:
            reachable |= (reachable << size) & mask
    return reachable.bit_length() - 1


def add_supply_limits(m: ExactModel) -> None:
    """Add the quota of each phase and the cumulative capacity limits.

    The quota's right-hand side is lowered to the largest area a set of parcels can
    actually reach under it (:func:`best_subset_sum`), and the land open by the end of a
    phase is bounded likewise: the same integer plans, a tighter linear relaxation (with
    parcels of equal areas a phase can open a whole number of them only).
    """
    problem, model = m.problem, m.model
    m.area = {i: round(float(problem.area_mu[i]) * AREA_SCALE) for i in m.vacant}
    m.quota = round(problem.quota_mu * AREA_SCALE)
    rooms = 0
    for p in m.phases:
        phase_nodes = [i for i in m.vacant if (i, p) in m.z]
        room = best_subset_sum([m.area[i] for i in phase_nodes], m.quota)
        model.add(_lin([(m.area[i], m.z[i, p]) for i in phase_nodes]) <= room)
        m.room[p] = room
        rooms += room
        if p > 1:
            total = best_subset_sum([m.area[i] for i in phase_nodes], rooms)
            model.add(_lin([(m.area[i], m.x[i, p]) for i in phase_nodes]) <= total)
    for cap in problem.capacities:
        demand = {i: round(float(cap.demand[i]) * CAPACITY_SCALE) for i in m.vacant}
        limits = [round(float(v) * CAPACITY_SCALE) for v in cap.available]
        for p in m.phases:
            used = _lin([(demand[i], m.x[i, p]) for i in m.vacant if (i, p) in m.x])
            model.add(used <= limits[p - 1])
        m.cap_demand.append(demand)
        m.cap_limit.append(limits)


def _add_priority_tier(m: ExactModel, t: int, p: int) -> None:
    """Add the priority rule for the land of tier ``t`` or better in phase ``p``."""
    problem, model, x, z = m.problem, m.model, m.x, m.z
    lower = [z[j, p] for j in m.vacant if int(problem.tier[j]) > t and (j, p) in z]
    if not lower:
        return
    opens_lower = model.new_bool_var(f"h_{t}_{p}")
    model.add_max_equality(opens_lower, lower)
    ranked = [i for i in m.vacant if int(problem.tier[i]) <= t]
    used_ranked = _lin([(m.area[i], z[i, p]) for i in ranked if (i, p) in z])
    cap_ranked = [
        _lin(
            [(demand[i], x[i, p - 1]) for i in m.vacant if (i, p - 1) in x]
            + [(demand[i], z[i, p]) for i in ranked if (i, p) in z]
        )
        for demand in m.cap_demand
    ]
    for i in ranked:
        if int(problem.tier[i]) != t or (i, p) not in m.anchor:
            continue
        full = model.new_bool_var(f"fullq_{i}_{p}")
        model.add(used_ranked >= m.quota - m.area[i] + 1).only_enforce_if(full)
        clause = [opens_lower.Not(), x[i, p], full]
        for c, cap_phase in enumerate(cap_ranked):
            over = model.new_bool_var(f"fullc{c}_{i}_{p}")
            model.add(cap_phase >= m.cap_limit[c][p - 1] - m.cap_demand[c][i] + 1).only_enforce_if(
                over
            )
            clause.append(over)
        start_anchor = m.anchor[i, p]
        if start_anchor is not None:
            clause.append(start_anchor.Not())
        clause.append(_out_of_reach(m, i, p))
        model.add_bool_or(clause)


def _out_of_reach(m: ExactModel, i: int, p: int) -> cp_model.IntVar:
    """Return a variable that holds only if phase ``p`` has all its tracts, none touching ``i``."""
    model = m.model
    excused = model.new_bool_var(f"e_{i}_{p}")
    if p not in m.tracts_full:
        full = model.new_bool_var(f"tfull_{p}")
        model.add(sum(m.roots[p]) >= m.problem.max_tracts).only_enforce_if(full)
        m.tracts_full[p] = full
    model.add_implication(excused, m.tracts_full[p])
    model.add_implication(excused, _next_to_phase_land(m, i, p).Not())
    return excused


def _next_to_phase_land(m: ExactModel, i: int, p: int) -> cp_model.IntVar:
    """Return a variable that must hold when a neighbour of ``i`` opens in ``p``."""
    key = (i, p)
    if key in m.near:
        return m.near[key]
    near = m.model.new_bool_var(f"n_{i}_{p}")
    problem = m.problem
    for j in problem.indices[problem.indptr[i] : problem.indptr[i + 1]].tolist():
        if (j, p) in m.z:
            m.model.add_implication(m.z[j, p], near)
    m.near[key] = near
    return near


def add_priority_rule(m: ExactModel) -> None:
    """Add the priority order of zones.

    Lower-ranked land opens in a phase only when no better-ranked land, anchored at its
    start and still closed, fits in the room left by land of its rank or better (so
    lower-ranked land never takes the room of better-ranked land), unless the phase has all
    its tracts and none of them touches that land.
    """
    tiers = sorted({int(m.problem.tier[i]) for i in m.vacant})
    for p in m.phases:
        for t in tiers[:-1]:
            _add_priority_tier(m, t, p)


def _parcel_terms(m: ExactModel) -> list[_Term]:
    """Reward and own perimeter (less contacts with developed land) of each parcel."""
    problem = m.problem
    k = problem.phases
    gamma = problem.perimeter_penalty_mu_per_m
    terms: list[_Term] = []
    for i in m.vacant:
        value = float(problem.weight[i] * problem.area_mu[i])
        c0, c1 = int(problem.contact_indptr[i]), int(problem.contact_indptr[i + 1])
        with_developed = sum(
            float(length)
            for j, length in zip(
                problem.contact_indices[c0:c1].tolist(),
                problem.contact_length_m[c0:c1].tolist(),
                strict=True,
            )
            if problem.developed[j]
        )
        added = float(problem.perimeter_m[i]) - 2.0 * with_developed
        for p in m.phases:
            if (i, p) in m.z:
                terms.append((round(OBJECTIVE_SCALE * value * (k + 1 - p) / k), m.z[i, p]))
                terms.append((-round(OBJECTIVE_SCALE * gamma * added), m.x[i, p]))
    return terms


def _contact_terms(m: ExactModel) -> list[_Term]:
    """Perimeter saved by each contact of two opened parcels (``y[i, j, p]``)."""
    adj = m.problem.adjacency
    gamma = m.problem.perimeter_penalty_mu_per_m
    in_v = set(m.vacant)
    terms: list[_Term] = []
    for a_, b_, length in zip(
        adj.contact_left.tolist(),
        adj.contact_right.tolist(),
        adj.contact_length_m.tolist(),
        strict=True,
    ):
        coef = round(OBJECTIVE_SCALE * gamma * 2.0 * length)
        if a_ not in in_v or b_ not in in_v or coef == 0:
            continue
        for p in m.phases:
            if (a_, p) in m.x and (b_, p) in m.x:
                y = m.model.new_bool_var(f"y_{a_}_{b_}_{p}")
                m.model.add_implication(y, m.x[a_, p])
                m.model.add_implication(y, m.x[b_, p])
                terms.append((coef, y))
    return terms


def add_block_cuts(m: ExactModel) -> None:
    """Add valid cuts on the number of blocks (they tighten the bound, not the model).

    A phase that opens anything has a block (so blocks >= each ``z[i, p]`` and >= the area
    opened over the most a phase can open), and blocks >= parcels - edges inside.
    """
    adj, model, z = m.problem.adjacency, m.model, m.z
    for p in m.phases:
        opened_p = [z[i, p] for i in m.vacant if (i, p) in z]
        if not opened_p:
            continue
        n_roots = sum(m.roots[p])
        for zi in opened_p:
            model.add(n_roots >= zi)
        room = m.room.get(p, 0)
        if room > 0:
            # a phase opening any land has a block, and opens at most `room`
            opened_area = _lin([(m.area[i], z[i, p]) for i in m.vacant if (i, p) in z])
            model.add(opened_area <= room * n_roots)
        inner = []
        for a_, b_ in zip(adj.left.tolist(), adj.right.tolist(), strict=True):
            if (a_, p) in z and (b_, p) in z:
                w = model.new_bool_var(f"w_{a_}_{b_}_{p}")
                model.add_implication(w, z[a_, p])
                model.add_implication(w, z[b_, p])
                inner.append(w)
        model.add(n_roots >= sum(opened_p) - sum(inner))


def infrastructure_terms(m: ExactModel) -> list[_Term]:
    """Cost of each planned segment some opened parcel needs (``b[f]``, paid once)."""
    needs = m.problem.needs
    k = m.problem.phases
    users: dict[int, list[int]] = {}
    for i in m.vacant:
        if (i, k) not in m.x:
            continue
        for f in needs.needed_by(i).tolist():
            users.setdefault(int(f), []).append(i)
    terms: list[_Term] = []
    for f, nodes in sorted(users.items()):
        coef = round(OBJECTIVE_SCALE * float(needs.penalty_mu[f]))
        if coef == 0:
            continue
        built = m.model.new_bool_var(f"b_{f}")
        for i in nodes:
            m.model.add_implication(m.x[i, k], built)
        terms.append((-coef, built))
    return terms


def add_objective(m: ExactModel) -> None:
    """Add the objective ``J``: reward less perimeter, roots and planned lines to build."""
    objective = _parcel_terms(m) + _contact_terms(m) + infrastructure_terms(m)
    add_block_cuts(m)
    beta = round(OBJECTIVE_SCALE * m.problem.block_penalty_mu)
    objective += [(-beta, root) for p in m.phases for root in m.roots[p]]
    m.model.maximize(_lin(objective))


def build_exact_model(problem: SequencingProblem, *, hint: IntArray | None = None) -> ExactModel:
    """Build the CP-SAT model of ``problem``, step by step (see the module docstring).

    Raises
    ------
    InputError
        If the problem has more than :data:`MAX_EXACT_PARCELS` eligible parcels.
    """
    m = ExactModel(problem=problem, model=cp_model.CpModel(), vacant=check_size(problem))
    add_phase_variables(m)
    add_anchors(m)
    add_contiguity(m)
    add_tract_limit(m)
    add_supply_limits(m)
    add_priority_rule(m)
    add_objective(m)
    if hint is not None:
        for (i, p), var in m.x.items():
            m.model.add_hint(var, bool(0 < hint[i] <= p))
    return m


def run_solver(m: ExactModel, *, time_limit_s: float, workers: int) -> ExactSolution:
    """Solve the model and read the plan back, scored by ``evaluate_plan``."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.interleave_search = True
    solver.parameters.random_seed = 0
    started = time.perf_counter()
    status = solver.solve(m.model)
    elapsed = time.perf_counter() - started
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    phase_of = np.zeros(m.problem.n, dtype=np.int64)
    if found:
        for (i, p), var in sorted(m.x.items(), reverse=True):
            if solver.boolean_value(var):
                phase_of[i] = p  # the smallest p wins: keys run from the last phase down
    score = evaluate_plan(m.problem, phase_of)
    bound = solver.best_objective_bound / OBJECTIVE_SCALE if status != cp_model.UNKNOWN else np.inf
    if status == cp_model.OPTIMAL:
        bound = max(bound, score.value)
    return ExactSolution(
        phase_of=phase_of,
        optimal=status == cp_model.OPTIMAL,
        objective=score.value,
        bound=float(bound),
        model_objective=solver.objective_value / OBJECTIVE_SCALE if found else float("nan"),
        status=solver.status_name(status),
        wall_time_s=elapsed,
    )


def solve_exact(
    problem: SequencingProblem,
    *,
    time_limit_s: float = EXACT_TIME_LIMIT_S,
    workers: int = 2,
    hint: IntArray | None = None,
) -> ExactSolution:
    """Solve a sequencing problem to optimality with CP-SAT (small problems only).

    Parameters
    ----------
    problem
        The problem (:func:`zoning.planning.problem.build_sequencing_problem`).
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
        Never for a problem that
        :func:`~zoning.planning.problem.build_sequencing_problem` accepted: opening nothing
        is always feasible.
    """
    m = build_exact_model(problem, hint=hint)
    return run_solver(m, time_limit_s=time_limit_s, workers=workers)


__all__ = [
    "AREA_SCALE",
    "CAPACITY_SCALE",
    "MAX_EXACT_PARCELS",
    "OBJECTIVE_SCALE",
    "ExactModel",
    "ExactSolution",
    "add_anchors",
    "add_block_cuts",
    "add_contiguity",
    "add_objective",
    "add_phase_variables",
    "add_priority_rule",
    "add_supply_limits",
    "add_tract_limit",
    "best_subset_sum",
    "build_exact_model",
    "check_size",
    "infrastructure_terms",
    "run_solver",
    "solve_exact",
]
