"""Old home of the exact phase planner, kept one release as a re-export.

Import from :mod:`zoning.planning.exact` in new code.
"""

from zoning.planning.exact import (
    AREA_SCALE,
    CAPACITY_SCALE,
    MAX_EXACT_PARCELS,
    OBJECTIVE_SCALE,
    ExactSolution,
    solve_exact,
)

__all__ = [
    "AREA_SCALE",
    "CAPACITY_SCALE",
    "MAX_EXACT_PARCELS",
    "OBJECTIVE_SCALE",
    "ExactSolution",
    "solve_exact",
]
