"""zoning: a zoning and land-use planner for industrial parks.

The computing core (data model, validation, fit checks, adjacency, sequencing) works on
GeoDataFrames in memory and imports neither folium nor fiona; :mod:`zoning.io` reads and
writes files, :mod:`zoning.cli` is the ``zoning`` command.

Examples
--------
>>> import zoning
>>> park = zoning.load_park()          # the bundled Beichuan Industrial Park
>>> park.zones.crs.to_epsg()
4543
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from zoning.errors import (
    ExportError,
    InfeasiblePlanError,
    InputError,
    ParkValidationError,
    Problem,
    ProjectInputError,
    RulebookError,
    ZoningError,
)
from zoning.io.export import export_park
from zoning.park import Park, build_park
from zoning.planning import PhasePlan, sequence
from zoning.rulebook import Rulebook, build_rulebook
from zoning.rules import check
from zoning.summary import summarize_zones
from zoning.validation import find_park_issues

try:
    __version__ = version("zoning")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"


def load_park(path: str | Path | None = None) -> Park:
    """Read and validate a park directory (default: the bundled Beichuan park).

    See :func:`zoning.io.park.read_park`.
    """
    from zoning.io.park import read_park

    return read_park(path)


__all__ = [
    "ExportError",
    "InfeasiblePlanError",
    "InputError",
    "Park",
    "ParkValidationError",
    "PhasePlan",
    "Problem",
    "ProjectInputError",
    "Rulebook",
    "RulebookError",
    "ZoningError",
    "__version__",
    "build_park",
    "build_rulebook",
    "check",
    "export_park",
    "find_park_issues",
    "load_park",
    "sequence",
    "summarize_zones",
]
