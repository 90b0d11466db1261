"""The layout constants: zones, roads, river, belts, parcel cuts, hand-set blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import MU_M2, s

ZONE_SPECS: dict[str, dict[str, Any]] = {
    "integration": {
        s.NAME_ZH: "产城融合发展区",
        s.NAME_EN: "Industry-city integration area",
        s.PURPOSE_ZH: "文化休闲、商业服务、娱乐康体、教育科研",
        s.PURPOSE_EN: "Culture and leisure, commercial services, recreation and health, "
        "education and research",
        s.PERMITTED: ["52", "61", "62", "70", "72", "73", "83", "84", "85", "88", "89", "90"],
        s.CONDITIONAL: ["5920", "7491"],
        s.PROHIBITED: ["1", "2", "3", "4"],
        s.MAX_INDUSTRIAL_CLASS: "100101",
        s.PRIORITY: 4,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.MAINTAIN_CURRENT),
        "outline": [(300, -400), (1400, -400), (1400, 900), (850, 900), (300, 820)],
    },
    "bonded": {
        s.NAME_ZH: "综保服务配套区",
        s.NAME_EN: "Bonded-zone service support area",
        s.PURPOSE_ZH: "保税加工、保税物流及配套服务",
        s.PURPOSE_EN: "Bonded processing, bonded logistics and supporting services",
        s.PERMITTED: ["5431", "5442", "58", "59", "51", "52", "72"],
        s.CONDITIONAL: ["3252", "3312", "3670", "39"],
        s.PROHIBITED: ["3216", "3217", "3091", "2613", "4411", "5942", "5435", "70"],
        s.MAX_INDUSTRIAL_CLASS: "100102",
        s.PRIORITY: 2,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.PRIORITY_CONTIGUOUS),
        "outline": [(1400, -450), (2200, -450), (2200, 1000), (1400, 1000)],
    },
    "almg": {
        s.NAME_ZH: "铝镁产业聚集区",
        s.NAME_EN: "Aluminium-magnesium industry cluster",
        s.PURPOSE_ZH: "铝延压加工、新材料、装备制造",
        s.PURPOSE_EN: "Aluminium rolling and extrusion processing, new materials, "
        "equipment manufacturing",
        s.PERMITTED: [
            "3216",
            "3217",
            "3240",
            "325",
            "3311",
            "3312",
            "3392",
            "3670",
            "3831",
            "34",
            "35",
            "4411",
            "4412",
            "4430",
            "3091",
        ],
        s.CONDITIONAL: ["2613", "5920", "5942"],
        s.PROHIBITED: ["70", "83", "84", "85", "13", "14"],
        s.MAX_INDUSTRIAL_CLASS: "100103",
        s.PRIORITY: 1,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.PRIORITY_CONTIGUOUS),
        "outline": [(2200, -450), (6000, -450), (6000, 1100), (4000, 1100), (2200, 1050)],
    },
    "incubation": {
        s.NAME_ZH: "新型产业培育区",
        s.NAME_EN: "Emerging-industry incubation area",
        s.PURPOSE_ZH: "高原特色农副产品精深加工及关联产业",
        s.PURPOSE_EN: "Deep processing of plateau agricultural and livestock by-products",
        s.PERMITTED: ["13", "14", "15", "5930"],
        s.CONDITIONAL: ["1351", "1352", "7320"],
        s.PROHIBITED: ["32", "3091", "2613", "4411", "70"],
        s.MAX_INDUSTRIAL_CLASS: "100102",
        s.PRIORITY: 3,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.MAINTAIN_CURRENT),
        "outline": [(6000, -450), (7500, -450), (7500, 850), (6000, 1000)],
    },
}
ZONE_ORDER = ("integration", "bonded", "almg", "incubation")  # along u

#: longitudinal roads: (v of the centreline, width, name)
LONGITUDINAL_ROADS = (
    (-150.0, 24.0, "滨河路 Binhe Road (riverside secondary road)"),
    (300.0, 40.0, "北川大道 Beichuan Avenue (trunk road)"),
    (750.0, 24.0, "北山路 Beishan Road (hillside secondary road)"),
)
TRUNK_V = 300.0
#: cross roads: u of the centreline; the zone boundaries carry 24 m roads, the others 18-24 m
ZONE_BOUNDARY_ROADS = (1400.0, 2200.0, 6000.0)
INTERIOR_CROSS_ROADS = (
    650.0,
    1000.0,
    1800.0,
    2600.0,
    3150.0,
    3700.0,
    4300.0,
    4800.0,
    5400.0,
    6500.0,
    7000.0,
)
PARK_U = (300.0, 7500.0)
CORE_U_MAX = 5400.0  # the built-up core of the cluster ends here (roads built west of it)
CORE_RADIUS_M = 1300.0  # parcels this close to a power-station point are mostly developed

RIVER_V = -480.0
RIVER_HALF_WIDTH_M = 15.0  # 30 m bank to bank (illustrative)
RIVER_SETBACK_M = 50.0
ECO_OUTLINE = [(4950, 762), (6750, 762), (6830, 960), (6600, 1120), (6100, 1170), (5500, 1160),
               (5050, 1120), (4930, 1000)]  # fmt: skip
HV_CORRIDOR_WIDTH_M = 40.0

# parcel geometry per zone: (min width, max width) of a parcel across the strip, metres
CUT_WIDTHS = {
    "integration": (45.0, 120.0),
    "bonded": (55.0, 180.0),
    "almg": (60.0, 210.0),
    "incubation": (60.0, 210.0),
}
LENGTHWISE_SPLIT_DEPTH_M = 360.0
#: smaller pieces of a block are merged into a neighbour, m2 (8 mu in town, 15 mu elsewhere)
MIN_PARCEL_M2 = {"integration": 8 * MU_M2, "bonded": 15 * MU_M2, "almg": 15 * MU_M2,
                 "incubation": 15 * MU_M2}  # fmt: skip


@dataclass(frozen=True)
class BlockRule:
    """A hand-set rule for the block that contains ``at``."""

    at: tuple[float, float]
    whole: bool = False
    split: bool | None = None
    cuts: tuple[float, ...] = ()
    keep_u: tuple[float, ...] = ()


# forced subdivisions (points in the (u, v) frame); the power-station blocks are added at run time
SMELTER_QIAOTOU_AT = (2875.0, 530.0)
SMELTER_CHALCO_AT = (3800.0, 530.0)
SUBSTATION_HOLE = (3950.0, 470.0, 4070.0, 550.0)  # a plot inside the Chalco smelter parcel
SUBSTATION_HOLE_AT = (4010.0, 510.0)
WWTP_AT = (3220.0, -300.0)
SUBSTATION_BONDED_AT = (1440.0, -300.0)
SUBSTATION_EAST_AT = (5440.0, -300.0)
DITCH_HOLDING_AT = (5100.0, 100.0)
DITCH_HOLDING_WEST = (5060.0, 100.0)  # a point in the western piece of that holding
DITCH_WIDTH_M = 8.0
BLOCK_RULES = (
    BlockRule(SMELTER_QIAOTOU_AT, whole=True),
    BlockRule(SMELTER_CHALCO_AT, whole=True),
    BlockRule(WWTP_AT, split=False, cuts=(3290.0,), keep_u=(WWTP_AT[0],)),
    BlockRule(SUBSTATION_BONDED_AT, split=False, cuts=(1470.0,), keep_u=(1440.0,)),
    BlockRule(SUBSTATION_EAST_AT, split=False, cuts=(5470.0,), keep_u=(5440.0,)),
    BlockRule(DITCH_HOLDING_AT, split=False, cuts=(5000.0, 5200.0), keep_u=(5100.0,)),
)
