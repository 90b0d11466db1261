r"""Contiguous phased development: which vacant land opens in which phase.

The park's rule is to rank areas, open key areas first and in contiguous blocks, and keep
other areas in their current use for now (重点区域优先连片开发，其他区域短期内原则上维持现状功能).
:func:`sequence` turns that rule into a phase plan: every vacant parcel is either opened in
one of the phases ``1..K`` or listed as unscheduled with its reason.

Rules every plan keeps
----------------------
*Seeds.* Land that is developed or committed is the starting point, and so is the frontage
of serviced infrastructure: a vacant parcel fronting a *built* road or utility trunk
(:func:`zoning.planning.adjacency.find_serviced_parcels`) may start a block.

*No leap-frogging.* The parcels opened in one phase form blocks (connected pieces of the
adjacency graph, :mod:`zoning.planning.adjacency`); every block contains a parcel that is *anchored*
at the start of the phase: it fronts serviced infrastructure or neighbours land developed,
committed or opened in an earlier phase.

*Tracts (连片开发).* The blocks of a phase are its *tracts*: a phase opens at most
``max_tracts_per_phase`` of them (rulebook ``[sequencing]``, default 3), so that roads and
utilities are extended once per tract rather than to scattered patches. Each tract's own
compactness and the planned roads and utility lines it needs built are reported
(:attr:`PhasePlan.tracts`).

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
better: lower-ranked land never takes the room of better-ranked land that could open. Once
a phase has all its tracts, better-ranked land none of them touches no longer counts.

Objective
---------
Among plans that keep the rules, a better plan opens high-priority land early and opens it
compactly. With ``K`` phases, parcel ``i`` of area ``a_i`` (mu) opened in phase ``p_i``:

.. math::

    J = \sum_i w_i a_i \frac{K + 1 - p_i}{K}
        - \beta \sum_{p=1}^{K} B_p
        - \gamma \sum_{p=1}^{K} (P_p - P_0) / 1000
        - \delta \sum_{f \in F} c_f

``w_i`` is the priority weight of the parcel's zone, from 2 for the best-ranked zone to 1
for the worst (linear in rank); ``B_p`` is the number of blocks opened in phase ``p``;
``P_p`` is the perimeter (m) of the developed area after phase ``p`` (existing development
included, ``P_0`` before phase 1), computed as the parcels' perimeters less twice their
shared boundaries; ``β`` (:attr:`ObjectiveWeights.block_penalty_mu`, default 1) and ``γ``
(:attr:`ObjectiveWeights.perimeter_penalty_mu_per_km`, default 0.5) are weights; ``F`` is the
set of planned road and utility segments the opened land needs built, ``c_f`` their cost in
million yuan at the rulebook's unit costs and ``δ``
(:attr:`ObjectiveWeights.infrastructure_penalty_mu_per_million_yuan`, default 1) a weight,
each segment paid once (:mod:`zoning.planning.infrastructure`). ``J`` is in
mu-equivalents: opening 1 mu of the worst-ranked zone in phase 1 earns 1. The defaults make
land supply dominate (any parcel worth more than 1 mu-equivalent pays for the block it opens)
while fragmentation decides between plans that open similar land. :func:`evaluate_plan`
computes ``J`` for any plan; the heuristic and the exact mode
(:mod:`zoning.planning.exact`) are both scored by it.

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

Modules
-------
:mod:`~zoning.planning.problem`
    the problem in numeric form, no solver in it (:func:`build_sequencing_problem`);
:mod:`~zoning.planning.heuristic`, :mod:`~zoning.planning.exact`
    the two solvers, chosen through :data:`SOLVERS`;
:mod:`~zoning.planning.placement`, :mod:`~zoning.planning.site_checks`
    the project-aware mode; the candidate sites it tries first and the site rules it runs
    at the parcels it places a project on;
:mod:`~zoning.planning.metrics`, :mod:`~zoning.planning.plan`
    the objective, the per-phase metrics and the :class:`PhasePlan`;
:mod:`~zoning.planning.sequencer`
    :func:`sequence`, which ties them together;
:mod:`~zoning.planning.adjacency`, :mod:`~zoning.planning.siting`
    the parcel adjacency graph, and candidate sites for projects without one;
:mod:`~zoning.planning.infrastructure`, :mod:`~zoning.planning.tracts`
    the planned roads and utility lines opening land needs built, and the tracts of a plan;
:mod:`~zoning.planning.scenarios`
    plans side by side (:func:`compare_scenarios`);
:mod:`~zoning.planning.redevelopment`
    idle and inefficient land of the yearly ledger offered as supply
    (:func:`~zoning.planning.redevelopment.sequence_with_redevelopment`).

The modules import one another in one direction only (types → adjacency → infrastructure →
problem → metrics → heuristic → siting → site_checks → placement → tracts → plan → exact →
sequencer → scenarios, redevelopment); ``tests/test_architecture.py`` holds the import graph
acyclic.

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

from zoning.planning.metrics import ObjectiveValue, evaluate_plan, phase_metrics
from zoning.planning.plan import PhasePlan, make_phase_plan
from zoning.planning.problem import (
    ObjectiveWeights,
    SequencingOptions,
    SequencingProblem,
    build_sequencing_problem,
)
from zoning.planning.scenarios import Scenario, compare_scenarios
from zoning.planning.sequencer import SOLVERS, sequence

__all__ = [
    "SOLVERS",
    "ObjectiveValue",
    "ObjectiveWeights",
    "PhasePlan",
    "Scenario",
    "SequencingOptions",
    "SequencingProblem",
    "build_sequencing_problem",
    "compare_scenarios",
    "evaluate_plan",
    "make_phase_plan",
    "phase_metrics",
    "sequence",
]
