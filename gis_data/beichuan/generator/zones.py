"""The four zones as adjacent pieces of one strip along the valley."""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon

from .geometry import insert_ring_vertices
from .layout import ZONE_ORDER, ZONE_SPECS


def build_zones() -> dict[str, Polygon]:
    """The four zones as adjacent pieces of one strip, in the (u, v) frame."""
    outlines = {z: np.asarray(spec["outline"], dtype=float) for z, spec in ZONE_SPECS.items()}
    closed = {z: np.vstack([o, o[:1]]) for z, o in outlines.items()}
    zones = {}
    for zone_id in ZONE_ORDER:
        others = np.vstack([o for z, o in outlines.items() if z != zone_id])
        zones[zone_id] = Polygon(insert_ring_vertices(closed[zone_id], others, 1e-9))
    return zones
