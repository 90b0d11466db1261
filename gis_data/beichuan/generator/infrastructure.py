"""The infrastructure layer: road segments, utility trunks, plant, substations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, Point, Polygon

from .base import BUILT, PLANNED, s
from .geometry import sort_key
from .layout import (
    CORE_U_MAX,
    PARK_U,
    SUBSTATION_BONDED_AT,
    SUBSTATION_EAST_AT,
    SUBSTATION_HOLE_AT,
    TRUNK_V,
    WWTP_AT,
)
from .parcels import Parcel, parcel_at
from .roads import RoadPlan, road_segments


def build_infrastructure(
    plan: RoadPlan, zones: dict[str, Polygon], parcels: Sequence[Parcel]
) -> list[dict]:
    """Roads, utility trunks, the wastewater plant and the substations (uv frame)."""
    return road_features(plan, zones) + utility_trunks() + facilities(parcels)


def road_features(plan: RoadPlan, zones: dict[str, Polygon]) -> list[dict]:
    """The road segments, sorted along the axis and numbered ``R-001`` ..."""
    feats = sorted(road_segments(plan, zones), key=lambda f: sort_key(f["geometry"]))
    for k, f in enumerate(feats, start=1):
        f[s.INFRA_ID] = f"R-{k:03d}"
    return feats


UTILITY_SOURCE = (
    "illustrative alignment in the trunk road; the article says water, power, roads "
    "and gas (水电路气) are still to be solved"
)


def _trunk_line(dv: float, u1: float) -> LineString:
    return LineString([(PARK_U[0], TRUNK_V + dv), (u1, TRUNK_V + dv)])


def utility_trunks() -> list[dict]:
    """The water main, the 110 kV line and the planned gas main along the trunk road."""
    return [
        _infra(
            "W-01",
            s.InfrastructureKind.WATER_MAIN,
            "给水干管 DN600 Water main DN600",
            BUILT,
            20000.0,
            "t/d",
            None,
            UTILITY_SOURCE,
            _trunk_line(-14.0, CORE_U_MAX),
        ),
        _infra(
            "E-01",
            s.InfrastructureKind.POWER_LINE,
            "110千伏电力干线 110 kV power line",
            BUILT,
            None,
            None,
            None,
            UTILITY_SOURCE,
            _trunk_line(14.0, CORE_U_MAX),
        ),
        _infra(
            "G-01",
            s.InfrastructureKind.GAS_MAIN,
            "天然气中压干管 Natural gas main (planned)",
            PLANNED,
            None,
            None,
            None,
            UTILITY_SOURCE,
            _trunk_line(-6.0, PARK_U[1]),
        ),
    ]


def facilities(parcels: Sequence[Parcel]) -> list[dict]:
    """The wastewater plant and the substations, as points on their parcels."""

    def point_of(code: str, at: tuple[float, float]) -> Point:
        parcel = parcel_at(parcels, at)
        if parcel.props[s.LAND_USE_CODE] != code:
            raise RuntimeError(f"expected a {code} parcel at {at}")
        c = parcel.geom.centroid
        return c if parcel.geom.contains(c) else parcel.geom.point_on_surface()

    return [
        _infra(
            "WW-01",
            s.InfrastructureKind.WASTEWATER_PLANT,
            "北川工业园区污水处理厂 Park wastewater treatment plant",
            BUILT,
            10000.0,
            "t/d",
            None,
            "article: 污水处理厂 in operation, 10,000 t/d; position illustrative",
            point_of("1302", WWTP_AT),
        ),
        _infra(
            "S-01",
            s.InfrastructureKind.SUBSTATION,
            "北川330千伏变电站 Beichuan 330 kV substation",
            BUILT,
            300.0,
            "MW",
            None,
            "illustrative: position and usable load capacity assumed",
            point_of("1303", SUBSTATION_HOLE_AT),
        ),
        _infra(
            "S-02",
            s.InfrastructureKind.SUBSTATION,
            "综保区110千伏变电站 Bonded-area 110 kV substation",
            BUILT,
            150.0,
            "MW",
            None,
            "illustrative: position and usable load capacity assumed",
            point_of("1303", SUBSTATION_BONDED_AT),
        ),
        _infra(
            "S-03",
            s.InfrastructureKind.SUBSTATION,
            "东区110千伏变电站 East 110 kV substation",
            BUILT,
            150.0,
            "MW",
            None,
            "illustrative: position and usable load capacity assumed",
            point_of("1303", SUBSTATION_EAST_AT),
        ),
    ]


def _infra(
    infra_id: str,
    kind: str,
    name: str,
    status: str,
    capacity: float | None,
    unit: str | None,
    width: float | None,
    source: str,
    geom: shapely.Geometry,
) -> dict[str, Any]:
    return {
        s.INFRA_ID: infra_id,
        s.KIND: str(kind),
        s.NAME: name,
        s.STATUS: status,
        s.CAPACITY: capacity,
        s.CAPACITY_UNIT: unit,
        s.WIDTH_M: width,
        s.SOURCE: source,
        "geometry": geom,
    }
