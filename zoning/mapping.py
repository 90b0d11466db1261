"""The maps' former home, kept one release as a thin re-export of :mod:`zoning.maps`.

Import from :mod:`zoning.maps` instead.
"""

from __future__ import annotations

from zoning.maps import (
    COORD_DECIMALS,
    LAYER_BACKGROUND,
    LAYER_CONSTRAINTS,
    LAYER_CONTEXT,
    LAYER_FIT,
    LAYER_INFRASTRUCTURE,
    LAYER_PARCELS_LAND_USE,
    LAYER_PARCELS_STATUS,
    LAYER_SITES,
    LAYER_ZONES,
    STATUS_COLOURS,
    VERDICT_COLOURS,
    DerivedGeoJson,
    HtmlControl,
    context_attribution,
    layer_names,
    make_map,
    phase_colours,
    phase_layer_name,
    site_colour,
)

__all__ = [
    "COORD_DECIMALS",
    "LAYER_BACKGROUND",
    "LAYER_CONSTRAINTS",
    "LAYER_CONTEXT",
    "LAYER_FIT",
    "LAYER_INFRASTRUCTURE",
    "LAYER_PARCELS_LAND_USE",
    "LAYER_PARCELS_STATUS",
    "LAYER_SITES",
    "LAYER_ZONES",
    "STATUS_COLOURS",
    "VERDICT_COLOURS",
    "DerivedGeoJson",
    "HtmlControl",
    "context_attribution",
    "layer_names",
    "make_map",
    "phase_colours",
    "phase_layer_name",
    "site_colour",
]
