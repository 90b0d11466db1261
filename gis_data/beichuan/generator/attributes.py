"""The parcels' attributes: ids, land uses, status, loads and floor areas."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import COMMITTED, DEVELOPED, PROTECTED, SEED, VACANT, ledger, s
from .frame import Anchors
from .geometry import sort_key
from .layout import (
    CORE_RADIUS_M,
    DITCH_HOLDING_WEST,
    SMELTER_CHALCO_AT,
    SMELTER_QIAOTOU_AT,
    SUBSTATION_BONDED_AT,
    SUBSTATION_EAST_AT,
    SUBSTATION_HOLE_AT,
    TRUNK_V,
    WWTP_AT,
)
from .parcels import Parcel, parcel_index


class Use(NamedTuple):
    """A land use: land-use code, occupant, GB/T 4754-2017 industry code, weight in a draw."""

    code: str
    occupant: str = ""
    industry: str | None = None
    weight: int = 1


def _vacant(*code_weights: tuple[str, int]) -> tuple[Use, ...]:
    """Planned uses of vacant land: no occupant, no industry."""
    return tuple(Use(code, weight=w) for code, w in code_weights)


# the industry codes are among the rulebook's [[industries]]
ALMG_DEVELOPED = (
    Use("100102", "铝杆及线缆厂 Aluminium rod and cable plant", "3831", 3),
    Use("100102", "铝合金车轮厂 Aluminium alloy wheel plant", "3670", 2),
    Use("100102", "铝型材挤压厂 Aluminium extrusion plant", "3252", 3),
    Use("100102", "铝板带轧制厂 Aluminium plate and strip mill", "3252", 2),
    Use("100102", "铝合金压铸件厂 Aluminium die-casting plant", "3392", 2),
    Use("100102", "节能门窗厂 Energy-saving doors and windows plant", "3312", 2),
    Use("100102", "冶金装备制造厂 Metallurgical equipment plant", "3516", 2),
    Use("100103", "预焙阳极炭素厂 Prebaked carbon anode plant", "3091", 1),
    Use("110102", "铝锭及原料仓储 Aluminium ingot and raw material storage", "5920", 2),
)
ALMG_COMMITTED = (
    Use("100103", "拟建镁合金项目 Magnesium alloy project", "3240", 2),
    Use("100102", "拟建锅炉及辅助设备项目 Boiler and auxiliary equipment project", "3411", 2),
    Use("100102", "拟建硬质合金项目 Hard alloy project", "3240", 1),
    Use("100102", "拟建汽车轻量化部件项目 Vehicle light-weighting parts project", "3670", 2),
    Use("100102", "拟建铝合金线缆扩建项目 Aluminium alloy cable extension", "3831", 1),
)
ALMG_VACANT = _vacant(("100102", 13), ("100103", 4), ("1101", 3))
BONDED_DEVELOPED = (
    Use("110102", "保税物流仓库 Bonded logistics warehouse", "5920", 3),
    Use("110101", "保税仓储 Bonded storage", "5920", 2),
    Use("0902", "综保服务中心 Bonded-zone service centre", "5821", 1),
)
BONDED_COMMITTED = (
    Use("100102", "拟建保税加工项目 Bonded aluminium processing project", "3252", 2),
    Use("110101", "拟建冷链物流项目 Cold-chain logistics project", "5930", 1),
    Use("0902", "拟建外贸企业总部 Export trade headquarters", "7211", 1),
)
BONDED_VACANT = _vacant(("110101", 4), ("110102", 3), ("100102", 3), ("100101", 2), ("0902", 2),
                        ("090101", 1))  # fmt: skip
INCUBATION_DEVELOPED = (
    Use("100101", "菜籽油加工厂 Rapeseed oil mill", "1331", 2),
    Use("100101", "青稞制品厂 Highland barley products plant", "1314", 1),
    Use("100102", "牦牛肉制品厂 Yak meat processing plant", "1353", 1),
)
INCUBATION_COMMITTED = (
    Use("100101", "拟建牦牛乳制品项目 Yak dairy project", "1441", 2),
    Use("110101", "拟建冷链仓储项目 Cold storage project", "5930", 1),
)
INCUBATION_VACANT = _vacant(("100101", 5), ("100102", 3), ("1101", 2))
INTEGRATION_HOUSING = Use("070102", "城镇住宅小区 Town-edge housing estate")
INTEGRATION_SHOPS = Use("090101", "沿街商铺 Shops along the avenue", "5211")
INTEGRATION_COMMITTED = (
    Use("090104", "拟建酒店 Hotel project", "6110"),
    Use("0807", "拟建康养中心 Recreation and health centre project", "8416"),
    Use("0903", "拟建文体娱乐中心 Culture and leisure centre project", "8870"),
    Use("0902", "拟建商务办公 Office project", "7211"),
    Use("0802", "拟建研发中心 R&D centre project", "7320"),
)
INTEGRATION_VACANT = _vacant(("070102", 3), ("090101", 2), ("0902", 2), ("0803", 1), ("0805", 1),
                             ("0802", 2), ("1401", 2), ("100101", 1))  # fmt: skip
ECO_USE = Use("1402", "生态屏障绿带 Ecological barrier green belt (protected)")
INTEGRATION_DEVELOPED_U_MAX = 680.0  # the existing town edge reaches this far

#: wastewater (t/d per ha) and power (MW per ha) of developed/committed land, by code prefix
INTENSITY = {
    "100103": (15.0, 1.2),
    "100102": (12.0, 1.0),
    "100101": (10.0, 0.3),
    "11": (2.0, 0.1),
    "070102": (30.0, 0.15),
    "0804": (20.0, 0.2),
    "0806": (45.0, 0.3),
    "0807": (25.0, 0.2),
    "0802": (10.0, 0.3),
    "0803": (5.0, 0.1),
    "09": (20.0, 0.4),
    "13": (0.0, 0.0),
    "14": (0.0, 0.0),
}
WASTEWATER_TARGET_TPD = 7950.0  # developed + committed; the park plant treats 10,000 t/d


def _pick(rng: np.random.Generator, options: Sequence[Use]) -> Use:
    weights = np.asarray([u.weight for u in options], dtype=float)
    return options[int(rng.choice(len(options), p=weights / weights.sum()))]


@dataclass(frozen=True)
class SpecialUse:
    """A hand-placed use: the parcel covering ``at`` (a (u, v) point or an anchor name)."""

    at: tuple[float, float] | str
    code: str
    status: str
    occupant: str
    wastewater_tpd: float | None = None  # None: from the land-use intensity
    power_mw: float | None = None
    industry: str | None = None


SPECIAL_USES = (
    SpecialUse("plant", "100103", DEVELOPED, "青海省投桥头铝电 桥头发电厂 Qiaotou Aluminium & "
               "Power, Qiaotou power station (illustrative footprint)", 900.0, 0.0, "4411"),
    SpecialUse("plant_phase2", "100103", DEVELOPED, "青海省投 桥头电厂二期 3×660 MW 上大压小 "
               "Qiaotou power station phase 2 (illustrative footprint)", 1300.0, 0.0, "4411"),
    SpecialUse(SMELTER_QIAOTOU_AT, "100103", DEVELOPED, "青海省投桥头铝电 电解铝厂 Qiaotou "
               "Aluminium & Power smelter (illustrative footprint)", 300.0, 45.0, "3216"),
    SpecialUse(SMELTER_CHALCO_AT, "100103", DEVELOPED, "中铝青海分公司 电解铝厂 Chalco Qinghai "
               "branch smelter (illustrative footprint)", 320.0, 48.0, "3216"),
    SpecialUse(SUBSTATION_HOLE_AT, "1303", DEVELOPED, "北川330千伏变电站 Beichuan 330 kV "
               "substation (illustrative)", 0.0, 0.0),
    SpecialUse(WWTP_AT, "1302", DEVELOPED, "北川工业园区污水处理厂 Park wastewater treatment "
               "plant, 10,000 t/d (position illustrative)", 0.0, 1.5),
    SpecialUse(SUBSTATION_BONDED_AT, "1303", DEVELOPED, "综保区110千伏变电站 Bonded-area 110 kV "
               "substation (illustrative)", 0.0, 0.0),
    SpecialUse(SUBSTATION_EAST_AT, "1303", DEVELOPED, "东区110千伏变电站 East 110 kV substation "
               "(illustrative)", 0.0, 0.0),
    SpecialUse(DITCH_HOLDING_WEST, "100102", DEVELOPED, "铝型材挤压厂（排洪沟两侧） Extrusion "
               "plant on both banks of a drainage ditch (illustrative)", industry="3252"),
    SpecialUse((470.0, 60.0), "080403", DEVELOPED, "桥头镇中学 Town middle school (illustrative)"),
    SpecialUse((520.0, 560.0), "080402", DEVELOPED, "县职业技术学校 County vocational school "
               "(illustrative)", industry="8336"),
    SpecialUse((560.0, -260.0), "0806", DEVELOPED, "社区卫生服务中心 Community health centre "
               "(illustrative)"),
    SpecialUse((1180.0, 520.0), "0803", PROTECTED, "文物保护点 Cultural-relic site, protected "
               "(illustrative)"),
)  # fmt: skip


def assign_attributes(
    rng: np.random.Generator, parcels: list[Parcel], anchors: Anchors
) -> list[Parcel]:
    """Sort the parcels along the axis, number them, and give each a use and a status."""
    parcels = sorted(parcels, key=lambda p: sort_key(p.geom))
    special: dict[int, SpecialUse] = {}
    for use in SPECIAL_USES:
        at = use.at if isinstance(use.at, tuple) else getattr(anchors, use.at).coords[0]
        k = parcel_index(parcels, at)
        if k in special:
            raise RuntimeError(f"two special uses fall on one parcel at {at}")
        special[k] = use

    fixed_loads = {}
    for k, parcel in enumerate(parcels):
        parcel.props[s.PARCEL_ID] = f"BC-{k + 1:04d}"
        if k in special:
            sp = special[k]
            use, status = Use(sp.code, sp.occupant, sp.industry), sp.status
            fixed_loads[k] = (sp.wastewater_tpd, sp.power_mw)
        elif parcel.props.get(s.STATUS) == PROTECTED:
            use, status = ECO_USE, PROTECTED
        else:
            use, status = _ZONE_RULES[parcel.zone_id](rng, parcel, anchors)
            if use.occupant:
                use = use._replace(occupant=f"{use.occupant} (illustrative)")
        parcel.props.update(
            {
                s.LAND_USE_CODE: use.code,
                s.STATUS: status,
                s.OCCUPANT: use.occupant,
                s.INDUSTRY_CODE: use.industry,
            }
        )
    _set_loads(rng, parcels, fixed_loads)
    floors_rng = np.random.default_rng([SEED, 11])  # its own stream: the loads stay as they were
    for parcel in parcels:
        built = parcel.props[s.STATUS] == DEVELOPED
        floor_m2, footprint_m2 = ledger.floor_and_footprint(
            floors_rng, parcel.props[s.LAND_USE_CODE], parcel.geom.area
        )
        parcel.props[s.FLOOR_AREA_M2] = float(floor_m2) if built else None
        parcel.props[s.FOOTPRINT_M2] = float(footprint_m2) if built else None
    return parcels


def _almg_use(rng: np.random.Generator, parcel: Parcel, anchors: Anchors) -> tuple[Use, str]:
    c = parcel.geom.centroid
    d = min(c.distance(anchors.plant), c.distance(anchors.plant_phase2))
    r = rng.random()
    if d <= CORE_RADIUS_M:
        if r < 0.62:
            return _pick(rng, ALMG_DEVELOPED), DEVELOPED
        if r < 0.76:
            return _pick(rng, ALMG_COMMITTED), COMMITTED
    elif d <= CORE_RADIUS_M + 500.0 and r < 0.3:
        return _pick(rng, ALMG_COMMITTED), COMMITTED
    return _pick(rng, ALMG_VACANT), VACANT


UseRule = Callable[[np.random.Generator, "Parcel", Anchors], tuple[Use, str]]


def _zone_use(
    developed: Sequence[Use],
    committed: Sequence[Use],
    vacant: Sequence[Use],
    p_dev: float,
    p_com: float,
    dev_u_max: float = math.inf,
) -> UseRule:
    def use(rng: np.random.Generator, parcel: Parcel, anchors: Anchors) -> tuple[Use, str]:
        r = rng.random()
        if r < p_dev and parcel.geom.centroid.x < dev_u_max:
            return _pick(rng, developed), DEVELOPED
        if p_dev <= r < p_dev + p_com:
            return _pick(rng, committed), COMMITTED
        return _pick(rng, vacant), VACANT

    return use


def _integration_use(rng: np.random.Generator, parcel: Parcel, anchors: Anchors) -> tuple[Use, str]:
    c = parcel.geom.centroid
    r = rng.random()
    if c.x < INTEGRATION_DEVELOPED_U_MAX:
        if abs(c.y - TRUNK_V) < 230.0 and r < 0.5:
            return INTEGRATION_SHOPS, DEVELOPED
        return INTEGRATION_HOUSING, DEVELOPED
    if r < 0.15:
        return _pick(rng, INTEGRATION_COMMITTED), COMMITTED
    return _pick(rng, INTEGRATION_VACANT), VACANT


_ZONE_RULES: dict[str, UseRule] = {
    "almg": _almg_use,
    "bonded": _zone_use(BONDED_DEVELOPED, BONDED_COMMITTED, BONDED_VACANT, 0.14, 0.12, 1900.0),
    "incubation": _zone_use(
        INCUBATION_DEVELOPED, INCUBATION_COMMITTED, INCUBATION_VACANT, 0.07, 0.06
    ),
    "integration": _integration_use,
}


def _intensity(code: str) -> tuple[float, float]:
    for prefix in sorted(INTENSITY, key=len, reverse=True):
        if code.startswith(prefix):
            return INTENSITY[prefix]
    return (0.0, 0.0)


def _set_loads(
    rng: np.random.Generator,
    parcels: Sequence[Parcel],
    fixed: dict[int, tuple[float | None, float | None]],
) -> None:
    """Wastewater and power of developed and committed parcels (vacant and protected: 0).

    Loads are land-use intensities times area with some noise, or the ``fixed`` values of
    hand-placed uses; wastewater is then scaled to :data:`WASTEWATER_TARGET_TPD` in total.
    """
    raw_ww = []
    for k, parcel in enumerate(parcels):
        noise = rng.uniform(0.75, 1.25)
        ww, mw = 0.0, 0.0
        if parcel.props[s.STATUS] in (DEVELOPED, COMMITTED):
            ww_ha, mw_ha = _intensity(parcel.props[s.LAND_USE_CODE])
            ha = parcel.geom.area / 10000.0
            fixed_ww, fixed_mw = fixed.get(k, (None, None))
            ww = ww_ha * ha * noise if fixed_ww is None else fixed_ww
            mw = mw_ha * ha * noise if fixed_mw is None else fixed_mw
        raw_ww.append(ww)
        parcel.props[s.POWER_MW] = round(float(mw), 1)
    scale = WASTEWATER_TARGET_TPD / sum(raw_ww)
    for parcel, ww in zip(parcels, raw_ww, strict=True):
        parcel.props[s.WASTEWATER_TPD] = round(float(ww * scale), 1)
