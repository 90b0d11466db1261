"""Phase plans side by side: quotas, tract limits or zone priorities, one row per phase.

:func:`compare_scenarios` plans the same park under several scenarios and returns, for each
scenario and phase, the land opened, the tracts, the metres of road, water, power and gas to
build and the projects placed, so that a planner can set, say, 800 against 1,500 mu a phase,
or one tract against three, and read the difference (``zoning sequence --compare``, and the
notebook ``notebooks/06_phase_scenarios.ipynb``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from zoning import schema as s
from zoning.park import Park
from zoning.planning.adjacency import ParcelAdjacency, build_parcel_adjacency
from zoning.planning.infrastructure import INFRASTRUCTURE_KINDS
from zoning.planning.metrics import (
    INFRASTRUCTURE_COST_WAN_YUAN,
    LARGEST_TRACT_SHARE,
    TRACT_COMPACTNESS,
    TRACTS,
)
from zoning.planning.problem import SequencingOptions
from zoning.planning.sequencer import sequence

#: column of the scenario's name
SCENARIO: Final = "scenario"
#: column of the projects placed in the phase
PROJECTS_PLACED: Final = "projects_placed"
#: column of the plan's objective (the same on every row of a scenario)
OBJECTIVE: Final = "objective"
#: columns of :func:`compare_scenarios`, in order
SCENARIO_COLUMNS: Final = (
    SCENARIO,
    s.PHASE,
    s.AREA_MU,
    s.CUMULATIVE_MU,
    s.N_PARCELS,
    TRACTS,
    LARGEST_TRACT_SHARE,
    TRACT_COMPACTNESS,
    *(f"{k}_m" for k in INFRASTRUCTURE_KINDS),
    INFRASTRUCTURE_COST_WAN_YUAN,
    PROJECTS_PLACED,
    OBJECTIVE,
)


@dataclass(frozen=True)
class Scenario:
    """One scenario: planning options and, optionally, other zone priorities.

    Parameters
    ----------
    options
        The planning options (quota, phases, ``max_tracts_per_phase``, ...).
    zone_priorities
        ``zone_id -> priority`` (1 first) replacing the zones' own priorities.
    """

    options: SequencingOptions = field(default_factory=SequencingOptions)
    zone_priorities: Mapping[str, int] | None = None


def _with_priorities(park: Park, priorities: Mapping[str, int] | None) -> Park:
    if not priorities:
        return park
    zones = park.zones.copy()
    ids = zones[s.ZONE_ID].astype(str)
    zones[s.PRIORITY] = [
        int(priorities.get(z, p)) for z, p in zip(ids, zones[s.PRIORITY], strict=True)
    ]
    return Park(**{**park.__dict__, "zones": zones})


def _thresholds(park: Park, options: SequencingOptions) -> tuple[float, float]:
    """Return the adjacency thresholds a scenario plans with (the graph is shared by them)."""
    settings = park.rulebook.sequencing
    shared = options.min_shared_boundary_m
    gap = options.max_road_gap_m
    return (
        float(settings.min_shared_boundary_m if shared is None else shared),
        float(settings.max_road_gap_m if gap is None else gap),
    )


def compare_scenarios(
    park: Park,
    scenarios: Mapping[str, Scenario | SequencingOptions],
    *,
    projects: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Plan ``park`` under each scenario and return the plans' phases side by side.

    Parameters
    ----------
    park
        The park.
    scenarios
        Scenario name -> :class:`Scenario` (or bare :class:`SequencingOptions`), in the
        order the table should show them.
    projects
        The fit-check result of a project pipeline (``zoning.check``), placed in every
        scenario; without it ``projects_placed`` is 0.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and phase, columns :data:`SCENARIO_COLUMNS`: land opened,
        tracts, largest-tract share, tract compactness, metres of road / water main /
        power line / gas main to build and their cost (万元), projects placed, the plan's
        objective.

    Raises
    ------
    InputError, InfeasiblePlanError
        As :func:`zoning.sequence`, for the first scenario that cannot be planned.

    Examples
    --------
    >>> import zoning
    >>> from zoning.planning import SequencingOptions
    >>> table = compare_scenarios(zoning.load_park(), {
    ...     "800 mu": SequencingOptions(quota_mu=800, phases=2),
    ...     "1500 mu": SequencingOptions(quota_mu=1500, phases=2)})
    >>> table.groupby("scenario", sort=False)["tracts"].max().le(3).all()
    np.True_
    """
    frames = []
    adjacency: dict[tuple[float, float], ParcelAdjacency] = {}
    ordered = park.parcels.sort_values(s.PARCEL_ID)
    for name, scenario in scenarios.items():
        chosen = scenario if isinstance(scenario, Scenario) else Scenario(options=scenario)
        options = chosen.options
        key = _thresholds(park, options)
        if key not in adjacency:
            adjacency[key] = build_parcel_adjacency(
                ordered, min_shared_boundary_m=key[0], max_road_gap_m=key[1]
            )
        plan = sequence(
            _with_priorities(park, chosen.zone_priorities),
            options,
            projects=projects,
            adjacency=adjacency[key],
        )
        frame = plan.metrics.copy()
        placed = (
            plan.assignments.groupby(s.PHASE).size()
            if not plan.assignments.empty
            else pd.Series(dtype=int)
        )
        frame[PROJECTS_PLACED] = [int(placed.get(p, 0)) for p in frame[s.PHASE]]
        frame[OBJECTIVE] = plan.objective
        frame.insert(0, SCENARIO, name)
        frames.append(frame[list(SCENARIO_COLUMNS)])
    if not frames:
        return pd.DataFrame(columns=list(SCENARIO_COLUMNS))
    return pd.concat(frames, ignore_index=True)


__all__ = ["SCENARIO", "SCENARIO_COLUMNS", "Scenario", "compare_scenarios"]
