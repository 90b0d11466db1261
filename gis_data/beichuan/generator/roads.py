"""The road grid and its segments with their status."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box

from .base import BUILT, LAYOUT_SOURCE, PLANNED, s
from .layout import (
    CORE_U_MAX,
    INTERIOR_CROSS_ROADS,
    LONGITUDINAL_ROADS,
    PARK_U,
    TRUNK_V,
    ZONE_BOUNDARY_ROADS,
)


@dataclass
class RoadPlan:
    """Road centrelines (uv) and the road surface polygon."""

    cross_widths: dict[float, float]
    centrelines: list[tuple[LineString, float, str]] = field(default_factory=list)
    surface: shapely.Geometry = None


def build_roads(rng: np.random.Generator, zones: dict[str, Polygon]) -> RoadPlan:
    """The road grid: longitudinal roads along the strip, cross roads across it."""
    widths = dict.fromkeys(ZONE_BOUNDARY_ROADS, 24.0)
    for u in INTERIOR_CROSS_ROADS:
        widths[u] = float(rng.choice([18.0, 20.0, 24.0]))
    plan = RoadPlan(dict(sorted(widths.items())))
    park = shapely.union_all(list(zones.values()))

    cross_u = sorted(widths)
    for v, width, name in LONGITUDINAL_ROADS:
        line = LineString([(PARK_U[0], v), (PARK_U[1], v)])
        plan.centrelines.append((line, width, name))
    for number, u in enumerate(cross_u, start=1):
        _, v0, _, v1 = LineString([(u, -2000.0), (u, 2000.0)]).intersection(park).bounds
        span = LineString([(u, v0), (u, v1)])
        plan.centrelines.append((span, widths[u], f"经{_zh_number(number)}路 Jing {number} Road"))

    surfaces = [
        line.buffer(width / 2.0, cap_style="flat", join_style="mitre")
        for line, width, _ in plan.centrelines
    ]
    # the longitudinal surfaces run past the park ends so that the blocks end cleanly
    surfaces += [box(-500.0, v - w / 2.0, 8500.0, v + w / 2.0) for v, w, _ in LONGITUDINAL_ROADS]
    surfaces += [box(u - widths[u] / 2.0, -2000.0, u + widths[u] / 2.0, 2000.0) for u in cross_u]
    plan.surface = shapely.union_all(surfaces)
    return plan


def _zh_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def road_segments(plan: RoadPlan, zones: dict[str, Polygon]) -> list[dict]:
    """Road centrelines split at every junction, each with its status."""
    lines = [line for line, _, _ in plan.centrelines]
    features = []
    for part in shapely.get_parts(shapely.node(shapely.MultiLineString(lines))):
        mid = part.interpolate(0.5, normalized=True)
        idx = next(i for i, line in enumerate(lines) if line.distance(mid) < 1e-6)
        _, width, name = plan.centrelines[idx]
        in_integration = zones["integration"].covers(mid)
        in_core = mid.x <= CORE_U_MAX and (zones["almg"].covers(mid) or abs(mid.y - TRUNK_V) < 1e-6)
        features.append(
            {
                s.KIND: str(s.InfrastructureKind.ROAD),
                s.NAME: name,
                s.STATUS: BUILT if in_integration or in_core else PLANNED,
                s.CAPACITY: None,
                s.CAPACITY_UNIT: None,
                s.WIDTH_M: width,
                s.SOURCE: LAYOUT_SOURCE + "; alignment, width and status assumed",
                "geometry": part,
            }
        )
    return features
