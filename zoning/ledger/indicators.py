"""The park's intensive-use indicators (开发区土地集约利用评价) and its targets.

Each indicator is computed from the parcels (areas, statuses, land uses, floor areas and
footprints), the enterprises and the land clock, with its definition and source
(:data:`DEFINITIONS`). Land classes:

- *available for development*: every parcel that is not protected;
- *ready to supply* (已达到供地条件): supplied land, and vacant land within the rulebook's road
  gap (``[sequencing] max_road_gap_m``) of a built road, a proxy for serviced land (五通一平);
- *supplied* (已供应): developed and committed parcels;
- *built* (已建成): developed parcels;
- *industrial* (工矿仓储): built parcels of industrial (1001xx) and storage (1101xx) land;
- *built-up enterprise land*: the built industrial parcels of enterprises whose every parcel is
  built industrial land, the base of the per-area economic indicators.

The national figures beside them (``reference``) are the 2022 monitoring of 579 national
development zones (自然资办函〔2023〕215号, secondary), another year's bulletin for floor-area
ratios, investment and tax, and the 2024 national average building density.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.i18n import N_
from zoning.ledger.settings import ChainEstimate
from zoning.rulebook import Rulebook, Target

#: land-use prefixes of industrial and storage land (工矿仓储用地)
INDUSTRIAL_PREFIXES: Final = ("1001", "1101")
#: GB/T 4754-2017 divisions of industry (mining, manufacturing, power/gas/water): 06–46
INDUSTRY_DIVISIONS: Final = tuple(f"{d:02d}" for d in range(6, 47))
#: output of an enterprise above designated size (规模以上工业), 万元
ABOVE_SIZE_OUTPUT_WAN: Final = 2000.0

NATIONAL_2022: Final = "2022 national monitoring of 579 zones (自然资办函〔2023〕215号, secondary)"
NATIONAL_BULLETIN: Final = "national development-zone bulletin (secondary)"


@dataclass(frozen=True)
class Definition:
    """What an indicator is, its unit and source, and a national or article reference."""

    name: str
    unit: str
    definition: str
    source: str
    reference: float | None = None
    reference_source: str = ""


_RULES: Final = "开发区土地集约利用评价规程 (TD/T 1029); definitions as in docs/ledger.md"
DEFINITIONS: Final[dict[str, Definition]] = {
    "development_rate": Definition(
        N_("land development rate"), "%",
        N_("land ready to supply ÷ land available for development"), _RULES, 89.66,
        NATIONAL_2022,
    ),
    "supply_rate": Definition(
        N_("land supply rate"), "%", N_("supplied land ÷ land ready to supply"), _RULES, 92.84,
        NATIONAL_2022,
    ),
    "built_rate": Definition(
        N_("land built rate"), "%", N_("built land ÷ supplied land"), _RULES, 92.47,
        NATIONAL_2022,
    ),
    "idle_share": Definition(
        N_("idle-land share"), "%",
        N_("idle land (fee or recovery stage) ÷ supplied land"), _RULES,
    ),
    "industrial_share": Definition(
        N_("industrial-land share"), "%",
        N_("built industrial and storage land ÷ built land"), _RULES, 47.78, NATIONAL_2022,
    ),
    "far": Definition(
        N_("overall floor-area ratio"), "ratio", N_("floor area ÷ built land"), _RULES, 0.98,
        NATIONAL_BULLETIN,
    ),
    "industrial_far": Definition(
        N_("industrial floor-area ratio"), "ratio",
        N_("floor area on industrial land ÷ built industrial land"), _RULES, 0.93,
        NATIONAL_BULLETIN,
    ),
    "building_density": Definition(
        N_("building density"), "%", N_("building footprint ÷ built land"), _RULES, 33.87,
        "2024 national average (secondary)",
    ),
    "building_coefficient": Definition(
        N_("industrial building coefficient"), "%",
        N_("building footprint on industrial land ÷ built industrial land"), _RULES,
    ),
    "investment_per_ha": Definition(
        N_("fixed-asset investment per hectare"), "万元/ha",
        N_("actual investment of the enterprises on built-up enterprise land ÷ its area"),
        _RULES, 8984.3, NATIONAL_BULLETIN,
    ),
    "tax_per_ha": Definition(
        N_("tax per hectare"), "万元/ha",
        N_("tax of the enterprises on built-up enterprise land ÷ its area"), _RULES, 678.99,
        NATIONAL_BULLETIN,
    ),
    "output_per_mu": Definition(
        N_("output per mu of the built-up area"), "万元/亩",
        N_("output of the enterprises on built-up enterprise land ÷ its area"),
        "source article (亩均产值, built-up area)", 198.0, "source article, 2023",
    ),
    "industrial_output": Definition(
        N_("industrial output"), "亿元",
        N_("output of the enterprises in industry (GB/T 4754-2017 divisions 06–46)"),
        "enterprise table", None, "",
    ),
    "above_size_share": Definition(
        N_("share of enterprises above designated size"), "%",
        N_("enterprises with output of 2,000 万元 or more ÷ enterprises"),
        "国家统计局 规模以上工业 threshold (2,000 万元 revenue)", 58.9,
        "source article (40 enterprises)",
    ),
    "local_conversion": Definition(
        N_("local conversion of molten aluminium (estimate)"), "%",
        N_("aluminium taken in by the park's consumers of molten aluminium (output × input "
           "share) ÷ output of its producers, at most 100%: an estimate from output values, "
           "not a measurement of deliveries"),
        "rulebook [ledger.chain] and the industries' produces/consumes links", 90.0,
        "source article: over 90% converted on site today",
    ),
}  # fmt: skip
#: the target each indicator is compared with (rulebook target id → indicator id)
TARGET_INDICATORS: Final = {
    "industrial_output": "industrial_output",
    "local_conversion": "local_conversion",
}


def _ratio(numerator: float, denominator: float, scale: float = 1.0) -> float:
    return float(numerator / denominator * scale) if denominator > 0 else float("nan")


def local_conversion_pct(
    enterprises: pd.DataFrame, *, rulebook: Rulebook, chain: ChainEstimate
) -> float:
    """Estimated share (%) of the producers' molten aluminium that the park's consumers take in.

    Producers and consumers are the enterprises whose industry ``produces`` or ``consumes``
    the chain product in the rulebook's catalogue; a consumer takes in its output times the
    input share of its industry (``[[ledger.chain.uses]]``, else ``default_input_share``).
    """
    produces = {i.code for i in rulebook.industries if chain.product in i.produces}
    consumes = {i.code for i in rulebook.industries if chain.product in i.consumes}
    shares = {u.industry: u.input_share_of_output for u in chain.uses}
    codes = enterprises[s.INDUSTRY_CODE]
    made = enterprises.loc[codes.isin(produces), s.OUTPUT_WAN].sum()
    use = codes.map(shares).fillna(chain.default_input_share)
    taken = (enterprises[s.OUTPUT_WAN] * use)[codes.isin(consumes)].sum()
    return min(100.0, _ratio(taken, made, 100.0)) if made > 0 else float("nan")


def park_indicators(
    parcels: pd.DataFrame,
    enterprises: pd.DataFrame,
    land: pd.DataFrame,
    *,
    built_roads: Sequence[shapely.Geometry],
    road_gap_m: float,
    rulebook: Rulebook,
    chain: ChainEstimate,
) -> pd.DataFrame:
    """Compute the intensive-use indicators of the park.

    Parameters
    ----------
    parcels
        The park's parcels (metric CRS, with ``area_m2``, ``status``, ``land_use_code``,
        ``floor_area_m2``, ``footprint_m2``).
    enterprises
        Valid enterprise rows with ``held_mu`` and ``parcel_ids``.
    land
        The land clock per parcel (indexed by parcel id, with ``land_status``).
    built_roads
        Geometries of the built roads.
    road_gap_m
        Vacant land this close to a built road counts as ready to supply.
    rulebook
        For the chain links of the local-conversion estimate.
    chain
        The local-conversion parameters.

    Returns
    -------
    pandas.DataFrame
        Indexed by indicator id: ``value``, ``unit``, ``name``, ``definition``, ``source``,
        ``reference`` and ``reference_source`` (names and definitions are English source
        strings; translate them with :func:`zoning.i18n.translate`).
    """
    status = parcels[s.STATUS]
    area = parcels[s.AREA_M2].astype(float)
    protected = status.eq(s.ParcelStatus.PROTECTED)
    supplied = status.isin([s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED])
    built = status.eq(s.ParcelStatus.DEVELOPED)
    industrial = built & parcels[s.LAND_USE_CODE].astype(str).str.startswith(INDUSTRIAL_PREFIXES)
    vacant = status.eq(s.ParcelStatus.VACANT)
    if len(built_roads):
        near = shapely.dwithin(
            np.asarray(parcels.geometry), shapely.union_all(np.asarray(built_roads)), road_gap_m
        )
    else:
        near = np.zeros(len(parcels), dtype=bool)
    ready = supplied | (vacant & near)
    floor = parcels[s.FLOOR_AREA_M2].astype(float).fillna(0.0)
    footprint = parcels[s.FOOTPRINT_M2].astype(float).fillna(0.0)
    ids = parcels[s.PARCEL_ID].astype(str)
    idle_ids = land.index[
        land[s.LAND_STATUS].isin([s.LandStatus.IDLE_FEE, s.LandStatus.IDLE_RECOVERY])
    ]
    idle = ids.isin(idle_ids)

    # built-up enterprise land: enterprises all of whose parcels are built industrial land
    industrial_ids = set(ids[industrial])
    all_industrial = enterprises[s.PARCEL_IDS].map(lambda held: set(held) <= industrial_ids)
    base = enterprises[all_industrial.astype(bool)]
    base_mu = float(base["held_mu"].sum())
    industry = enterprises[s.INDUSTRY_CODE].str[:2].isin(INDUSTRY_DIVISIONS)
    values = {
        "development_rate": _ratio(area[ready].sum(), area[~protected].sum(), 100),
        "supply_rate": _ratio(area[supplied].sum(), area[ready].sum(), 100),
        "built_rate": _ratio(area[built].sum(), area[supplied].sum(), 100),
        "idle_share": _ratio(area[idle].sum(), area[supplied].sum(), 100),
        "industrial_share": _ratio(area[industrial].sum(), area[built].sum(), 100),
        "far": _ratio(floor[built].sum(), area[built].sum()),
        "industrial_far": _ratio(floor[industrial].sum(), area[industrial].sum()),
        "building_density": _ratio(footprint[built].sum(), area[built].sum(), 100),
        "building_coefficient": _ratio(footprint[industrial].sum(), area[industrial].sum(), 100),
        "investment_per_ha": _ratio(base[s.INVESTMENT_ACTUAL_WAN].sum(), base_mu / 15.0),
        "tax_per_ha": _ratio(base[s.TAX_WAN].sum(), base_mu / 15.0),
        "output_per_mu": _ratio(base[s.OUTPUT_WAN].sum(), base_mu),
        "industrial_output": float(enterprises.loc[industry, s.OUTPUT_WAN].sum()) / 1e4,
        "above_size_share": _ratio(
            float((enterprises[s.OUTPUT_WAN] >= ABOVE_SIZE_OUTPUT_WAN).sum()),
            float(len(enterprises)),
            100,
        ),
        "local_conversion": local_conversion_pct(enterprises, rulebook=rulebook, chain=chain),
    }
    rows = []
    for key, d in DEFINITIONS.items():
        rows.append(
            {
                s.INDICATOR: key,
                s.VALUE: values[key],
                s.UNIT: d.unit,
                s.NAME: d.name,
                s.DEFINITION: d.definition,
                s.SOURCE: d.source,
                "reference": d.reference,
                "reference_source": d.reference_source,
            }
        )
    return pd.DataFrame(rows).set_index(s.INDICATOR)


def target_gaps(indicators: pd.DataFrame, targets: Sequence[Target]) -> pd.DataFrame:
    """Set the rulebook's targets beside the indicator each is measured by, with the gap.

    ``gap`` is target − value in the target's unit (positive: still to go); NaN when the
    ledger has no indicator for the target.
    """
    rows = []
    for t in targets:
        key = TARGET_INDICATORS.get(t.id, "")
        value = float(indicators[s.VALUE].get(key, np.nan))
        rows.append(
            {
                "target_id": t.id,
                s.NAME_ZH: t.name_zh,
                s.NAME_EN: t.name_en,
                s.TARGET: t.value,
                s.UNIT: t.unit,
                "year": t.year,
                s.INDICATOR: key,
                s.VALUE: value,
                s.GAP: t.value - value,
                s.SOURCE: t.source,
            }
        )
    columns = ["target_id", s.NAME_ZH, s.NAME_EN, s.TARGET, s.UNIT, "year", s.INDICATOR,
               s.VALUE, s.GAP, s.SOURCE]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
