"""Old home of the fit check, kept one release as a thin re-export of :mod:`zoning.rules`.

Import from :mod:`zoning.rules` (and its modules) in new code; every name below is what
other modules, tests and notebooks imported from here.
"""

from zoning._types import Bools, Codes, Floats, IntArray, Objects
from zoning.rules import (
    RECORD_KEYS,
    RESULT_COLUMNS,
    RULES,
    RULES_BY_ID,
    Finding,
    ParkFacts,
    Reason,
    Rule,
    build_park_facts,
    check,
    rules_with_status,
    to_feature_collection,
    to_records,
)
from zoning.rules.facts import (
    IN_USE_STATUSES,
    OCCUPIED_STATUSES,
    PLANT_STATUS,
    STATUS_FAIL,
    STATUS_WARN,
    NuisancePlants,
)
from zoning.rules.geometry import (
    MAX_PIECE_VERTICES,
    MAX_THREADS,
    PARALLEL_MIN_PAIRS,
    PIECE_SIZE_M,
    FeatureSet,
)
from zoning.rules.geometry import overlap_area as _overlap_area
from zoning.rules.industry import match_industry
from zoning.rules.intensity import INTENSITY_RULES
from zoning.rules.site import SITE_AREA_TOLERANCE
from zoning.schema import NO_BUILD_CONSTRAINTS as BLOCKING_KINDS
from zoning.schema import PLACEABLE_VERDICTS as PLACEABLE

__all__ = [
    "BLOCKING_KINDS",
    "INTENSITY_RULES",
    "IN_USE_STATUSES",
    "MAX_PIECE_VERTICES",
    "MAX_THREADS",
    "OCCUPIED_STATUSES",
    "PARALLEL_MIN_PAIRS",
    "PIECE_SIZE_M",
    "PLACEABLE",
    "PLANT_STATUS",
    "RECORD_KEYS",
    "RESULT_COLUMNS",
    "RULES",
    "RULES_BY_ID",
    "SITE_AREA_TOLERANCE",
    "STATUS_FAIL",
    "STATUS_WARN",
    "Bools",
    "Codes",
    "FeatureSet",
    "Finding",
    "Floats",
    "IntArray",
    "NuisancePlants",
    "Objects",
    "ParkFacts",
    "Reason",
    "Rule",
    "_overlap_area",
    "build_park_facts",
    "check",
    "match_industry",
    "rules_with_status",
    "to_feature_collection",
    "to_records",
]
