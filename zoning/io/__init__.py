"""The I/O layer: the only part of zoning that reads or writes files and databases.

- :mod:`zoning.io.park` reads a park directory (layers, rulebook, metadata).
"""

from zoning.io.park import bundled_park_dir, read_park, read_rulebook

__all__ = ["bundled_park_dir", "read_park", "read_rulebook"]
