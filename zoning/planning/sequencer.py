"""``sequence()``: build the problem, pick the solver from :data:`SOLVERS`, assemble the plan.

A solver is a function ``(problem, options) -> Solution``; :data:`SOLVERS` maps each
:class:`~zoning.schema.SequencingMethod` to one. The project-aware mode is not a solver of
the same problem (it places projects rather than opening the best land) and runs only with
the heuristic method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Unpack

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.park import Park
from zoning.planning.adjacency import ParcelAdjacency
from zoning.planning.heuristic import solve_heuristic
from zoning.planning.placement import place_projects, project_table
from zoning.planning.plan import PhasePlan, make_phase_plan, raise_if_empty
from zoning.planning.problem import (
    OptionOverrides,
    SequencingOptions,
    SequencingProblem,
    build_sequencing_problem,
    merge_options,
)
from zoning.planning.site_checks import build_site_checks
from zoning.planning.types import IntArray


@dataclass(frozen=True)
class Solution:
    """A solver's answer: the phase of each node, and what the solver proved (if anything)."""

    phase_of: IntArray
    optimal: bool | None = None
    bound: float | None = None


Solver = Callable[[SequencingProblem, SequencingOptions], Solution]


def heuristic_solver(problem: SequencingProblem, options: SequencingOptions) -> Solution:
    """Solve with the default heuristic (:mod:`zoning.planning.heuristic`)."""
    return Solution(solve_heuristic(problem))


def exact_solver(problem: SequencingProblem, options: SequencingOptions) -> Solution:
    """Solve with CP-SAT (:mod:`zoning.planning.exact`, imported only when asked for)."""
    from zoning.planning.exact import solve_exact  # OR-Tools loads only for this method

    solution = solve_exact(problem, time_limit_s=options.time_limit_s)
    return Solution(solution.phase_of, optimal=solution.optimal, bound=solution.bound)


#: the solver of each method
SOLVERS: dict[s.SequencingMethod, Solver] = {
    s.SequencingMethod.HEURISTIC: heuristic_solver,
    s.SequencingMethod.EXACT: exact_solver,
}


def _method(method: str, projects: pd.DataFrame | None) -> s.SequencingMethod:
    """Return the method asked for, or refuse an unknown one or one that cannot place."""
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
    if chosen is not s.SequencingMethod.HEURISTIC and projects is not None:
        raise InputError(
            "cannot make a phase plan with these options",
            [
                Problem(
                    "method",
                    f"the {chosen} method does not place projects",
                    fix="use the heuristic method with --projects",
                )
            ],
        )
    return chosen


def sequence(
    park: Park,
    options: SequencingOptions | None = None,
    *,
    projects: pd.DataFrame | None = None,
    method: str = s.SequencingMethod.HEURISTIC,
    adjacency: ParcelAdjacency | None = None,
    **overrides: Unpack[OptionOverrides],
) -> PhasePlan:
    """Plan which vacant land opens in which phase (see :mod:`zoning.planning` for the rules).

    Parameters
    ----------
    park
        The park.
    options
        The planning options (:class:`~zoning.planning.problem.SequencingOptions`: quota,
        phases, adjacency thresholds, objective weights, capacities, time limit); default
        the rulebook's ``[sequencing]`` values.
    projects
        The fit-check result of a project pipeline (columns ``project_id``, ``zone_id``,
        ``verdict``, ``area_mu``, optionally ``wastewater_tpd`` and ``power_mw``): turns on
        the project-aware mode, in which land opens only for the projects placed.
    method
        ``heuristic`` (default) or ``exact`` (OR-Tools CP-SAT, small parks only; not with
        ``projects``); the solver is ``SOLVERS[method]``.
    adjacency
        A prebuilt adjacency, to plan several quotas without rebuilding it: it must be
        built from the parcels sorted by id,
        ``build_parcel_adjacency(park.parcels.sort_values("parcel_id"), ...)``.
    **overrides
        Any field of ``SequencingOptions`` by name (``quota_mu=1500, phases=4,
        wastewater_tpd_per_phase=35``); it replaces the value in ``options``.

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
    chosen = _method(method, projects)
    merged = merge_options(options, overrides)
    problem = build_sequencing_problem(park, merged, adjacency=adjacency)
    if projects is not None:
        table = project_table(projects)
        geoms = np.asarray(park.parcels.geometry.to_numpy()[problem.rows], dtype=object)
        checks, candidates = build_site_checks(park, projects, problem.ids, geoms)
        phase_of, placements, unplaced = place_projects(
            problem, table, geoms, checks=checks, candidates=candidates
        )
        return make_phase_plan(
            park, problem, phase_of, method=chosen, placements=placements, unplaced=unplaced
        )
    solution = SOLVERS[chosen](problem, merged)
    raise_if_empty(problem, solution.phase_of)
    return make_phase_plan(
        park,
        problem,
        solution.phase_of,
        method=chosen,
        optimal=solution.optimal,
        bound=solution.bound,
    )


__all__ = ["SOLVERS", "Solution", "Solver", "exact_solver", "heuristic_solver", "sequence"]
