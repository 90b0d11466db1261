"""Old home of the candidate sites of projects without one, kept one release as a re-export.

Import from :mod:`zoning.planning.siting` in new code.
"""

from zoning.planning.siting import (
    CHAIN_PENALTY,
    CONDITIONAL_PENALTY,
    DEFAULT_MAX_PARCELS,
    HEALTH_PENALTY,
    LAND_USE_PENALTY,
    PARCEL_PENALTY,
    SITE_COLUMNS,
    land_use_serves,
    propose_sites,
)

__all__ = [
    "CHAIN_PENALTY",
    "CONDITIONAL_PENALTY",
    "DEFAULT_MAX_PARCELS",
    "HEALTH_PENALTY",
    "LAND_USE_PENALTY",
    "PARCEL_PENALTY",
    "SITE_COLUMNS",
    "land_use_serves",
    "propose_sites",
]
