"""Old home of the phase planner, kept one release as a re-export of :mod:`zoning.planning`.

Import from :mod:`zoning.planning` (``zoning.planning.sequence``,
``zoning.planning.problem``, ``zoning.planning.metrics``, ...) in new code.
"""

from zoning.planning.heuristic import solve_heuristic
from zoning.planning.metrics import (
    COMPACTNESS_MEASURE,
    ObjectiveValue,
    evaluate_plan,
    perimeter_by_phase,
    phase_blocks,
    phase_metrics,
)
from zoning.planning.placement import (
    PLACEABLE_VERDICTS,
    PROJECT_START_LIMIT,
    SITE,
    SITE_OVERLAP_SHARE,
)
from zoning.planning.plan import PhasePlan, make_phase_plan
from zoning.planning.problem import (
    BLOCK_PENALTY_MU,
    CONSTRAINED_SHARE,
    FIT_TOLERANCE,
    NO_BUILD_CONSTRAINTS,
    NOT_OPENED,
    PERIMETER_PENALTY_MU_PER_KM,
    TOP_PRIORITY_WEIGHT,
    Capacity,
    ObjectiveWeights,
    SequencingOptions,
    SequencingProblem,
    build_sequencing_problem,
)
from zoning.planning.sequencer import sequence
from zoning.planning.types import BoolArray, FloatArray, IntArray

__all__ = [
    "BLOCK_PENALTY_MU",
    "COMPACTNESS_MEASURE",
    "CONSTRAINED_SHARE",
    "FIT_TOLERANCE",
    "NOT_OPENED",
    "NO_BUILD_CONSTRAINTS",
    "PERIMETER_PENALTY_MU_PER_KM",
    "PLACEABLE_VERDICTS",
    "PROJECT_START_LIMIT",
    "SITE",
    "SITE_OVERLAP_SHARE",
    "TOP_PRIORITY_WEIGHT",
    "BoolArray",
    "Capacity",
    "FloatArray",
    "IntArray",
    "ObjectiveValue",
    "ObjectiveWeights",
    "PhasePlan",
    "SequencingOptions",
    "SequencingProblem",
    "build_sequencing_problem",
    "evaluate_plan",
    "make_phase_plan",
    "perimeter_by_phase",
    "phase_blocks",
    "phase_metrics",
    "sequence",
    "solve_heuristic",
]
