"""The constraints: the river and its setback, the eco belt, the 330 kV corridor, the town."""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString, Polygon, box

from .base import s
from .layout import (
    ECO_OUTLINE,
    HV_CORRIDOR_WIDTH_M,
    PARK_U,
    RIVER_HALF_WIDTH_M,
    RIVER_SETBACK_M,
    RIVER_V,
    TRUNK_V,
)


def river_centreline() -> LineString:
    """An illustrative meandering centreline of the Beichuan River, a few km beyond the park."""
    u = np.arange(-3000.0, 10500.0 + 1.0, 50.0)
    v = (
        RIVER_V
        + 28.0 * np.sin(2.0 * np.pi * (u + 300.0) / 1900.0)
        + 12.0 * np.sin(2.0 * np.pi * u / 700.0 + 1.0)
    )
    return LineString(np.column_stack([u, np.round(v, 2)]))


def build_constraints(rng: np.random.Generator, cross_roads: dict[float, float]) -> list[dict]:
    """Constraint polygons (uv) with their attributes."""
    setback = river_centreline().buffer(RIVER_HALF_WIDTH_M + RIVER_SETBACK_M, quad_segs=4)
    setback = setback.intersection(box(PARK_U[0] - 200.0, -1500.0, PARK_U[1] + 200.0, 1500.0))

    eco = Polygon(ECO_OUTLINE)

    hv_u0 = 4300.0 + cross_roads[4300.0] / 2.0
    hv = box(hv_u0, TRUNK_V - 20.0, hv_u0 + HV_CORRIDOR_WIDTH_M, 1400.0)

    # the town's built-up area: an irregular oval around the town centre, ending 50 m before
    # the integration zone starts
    angles = np.arange(0.0, 360.0, 20.0)
    radius = 580.0 * (1.0 + 0.08 * rng.uniform(-1.0, 1.0, angles.size))
    town = Polygon(
        np.column_stack(
            [-60.0 + radius * np.cos(np.radians(angles)), radius * np.sin(np.radians(angles))]
        ).round(2)
    ).intersection(box(-2000.0, -2000.0, PARK_U[0] - 50.0, 2000.0))

    return [
        {
            s.CONSTRAINT_ID: "C-RIVER",
            s.KIND: str(s.ConstraintKind.RIVER_SETBACK),
            s.NAME: "北川河河道及50米退让线 Beichuan River corridor and 50 m setback "
            "(illustrative alignment)",
            s.SOURCE: "illustrative alignment of the Beichuan River (北川河) along the valley; "
            "30 m channel and the 50 m setback are this layout's assumptions",
            s.NOTE: "No parcel overlaps it: parcels are cut to stay clear. Clipped to a little "
            "beyond the park.",
            "geometry": setback,
        },
        {
            s.CONSTRAINT_ID: "C-ECO",
            s.KIND: str(s.ConstraintKind.ECOLOGICAL_PROTECTION),
            s.NAME: "北山生态屏障绿带 North hillside ecological barrier green belt (illustrative)",
            s.SOURCE: "illustrative; the article's aim of an ecological barrier north of Xining "
            "(筑牢西宁北部生态屏障); extent assumed",
            s.NOTE: "Parcels inside it are protected (protective green, 1402).",
            "geometry": eco,
        },
        {
            s.CONSTRAINT_ID: "C-HV330",
            s.KIND: str(s.ConstraintKind.NO_BUILD),
            s.NAME: "330千伏出线走廊 330 kV overhead line corridor, 40 m (illustrative)",
            s.SOURCE: "illustrative; corridor width assumed for a 330 kV line",
            s.NOTE: "No building under the line; parcels are cut to stay clear.",
            "geometry": hv,
        },
        {
            s.CONSTRAINT_ID: "C-TOWN",
            s.KIND: str(s.ConstraintKind.SENSITIVE_AREA),
            s.NAME: "桥头镇建成区 Qiaotou town built-up area (county seat; approximate)",
            s.SOURCE: "approximate: illustrative polygon of radius ~600 m around the estimated "
            "town centre (DataV centre converted GCJ-02 to WGS84); not surveyed",
            s.NOTE: "Residential and public uses outside the park; ends 50 m before the "
            "integration area.",
            "geometry": town,
        },
    ]
