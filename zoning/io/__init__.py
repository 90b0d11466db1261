"""The I/O layer: the only part of zoning that reads or writes files and databases.

- :mod:`zoning.io.park` reads a park directory (layers, rulebook, metadata).
- :mod:`zoning.io.projects` reads a projects file (CSV or GeoJSON) and writes check results.
"""

from zoning.io.park import bundled_park_dir, read_park, read_rulebook
from zoning.io.projects import read_projects, write_check_results

__all__ = [
    "bundled_park_dir",
    "read_park",
    "read_projects",
    "read_rulebook",
    "write_check_results",
]
