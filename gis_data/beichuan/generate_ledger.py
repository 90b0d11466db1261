"""Generate the ILLUSTRATIVE enterprise table of the Beichuan park (``enterprises.csv``).

No enterprise figures of the park are public beyond the source article's aggregates, so the
table is invented: every enterprise, name and number is illustrative. It is built
deterministically from the parcels written by ``generate.py`` (``numpy.random.default_rng``
with a fixed seed, no clock) and kept consistent with the article where the article gives a
figure (see the park README, "Enterprise ledger"):

* 68 enterprises, 40 of them above designated size (规模以上, output ≥ 2,000 万元), i.e.
  58.8 % (the article: 40 enterprises above designated size, 58.9 % of the park's);
* output per mu of the built-up area (亩均产值) 198 万元/亩 in 2023, computed exactly as
  ``zoning ledger`` computes it (industrial output of the enterprises on developed industrial
  and storage parcels, over those parcels' area);
* local conversion of molten aluminium (电解铝液就地转化率) of 92 %: the article has "over 90 %"
  today and ≥ 95 % as the 2025 target. It is computed exactly as ``zoning ledger`` estimates
  it, from the chain links of the park's rulebook (``rulebook.toml``: the industries that
  produce and consume ``molten_aluminium`` and ``[[ledger.chain.uses]]``, read here so that
  the data and the estimate use the same links): the smelters' output and the processors'
  output are scaled together so that both this share and the output per mu hold;
* 30 enterprises brought in since the 14th plan began (“十四五”以来累计招商落地企业30户):
  the land of 30 enterprises was supplied on or after 2021-01-01, the 21 still building and
  9 already producing (the start-ups, the wheel plant and the cable plants the article names
  among the plan's achievements, built on 18-month contracts);
* tax of the enterprises above designated size as a share of output equal to the article's
  (1.11 billion yuan of tax from key enterprises in 2023 over 32.1 billion yuan of output in
  2022 grown by 8 %): the layout's built-up land is far smaller than the real park's, so the
  ratios are kept, not the absolute totals.

It also gives developed parcels their floor area and building footprint
(:func:`floor_and_footprint`), called from the parcel-attribute step (``generator/attributes.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20240201  # the article's publication date, as generate.py
YEAR = 2023  # the evaluation year of the figures
MU_M2 = 10000.0 / 15.0
OUTPUT_PER_MU_TARGET = 198.0  # 万元/亩, built-up area 2023 (article)
ABOVE_SIZE_OUTPUT_WAN = 2000.0  # 规模以上工业: main business revenue ≥ 2,000 万元
ABOVE_SIZE_COUNT = 40  # article
#: tax of key enterprises 2023 (111,000 万元) over 2023 output (2022: 3,210,000 万元, +8 %)
TAX_SHARE_OF_OUTPUT = 111_000.0 / (3_210_000.0 * 1.08)
#: local conversion of molten aluminium: over 90 % today, below the 2025 target of 95 % (article)
LOCAL_CONVERSION = 0.92
#: enterprises brought in since the 14th plan began (2021-01-01): 30 (article, 招商落地企业)
ARRIVED_SINCE = dt.date(2021, 1, 1)
ARRIVED_COUNT = 30
#: the industries of the producing arrivals beyond the start-ups: the wheel plant (the
#: province's first, built in the 14th plan) and the cable plants (article)
ARRIVAL_INDUSTRIES = ("3670", "3831")
#: producing arrivals beyond the start-ups (with the 21 enterprises on land supplied since
#: 2021 and still building, and the 3 start-ups, they make the 30)
ARRIVING_PRODUCERS = 6
RULEBOOK = Path(__file__).resolve().parent / "rulebook.toml"
NOTE = "illustrative 示例数据 (gis_data/beichuan/generate_ledger.py)"

COLUMNS = (
    "enterprise_id", "name_zh", "name_en", "industry_code", "parcel_ids", "output_wan",
    "value_added_wan", "tax_wan", "energy_tce", "employees", "rd_wan",
    "investment_contract_wan", "investment_actual_wan", "supplied_on", "contract_start_by",
    "started_on", "contract_complete_by", "completed_on", "built_share", "stopped_since", "note",
)  # fmt: skip

# --------------------------------------------------------------------------- floors


#: (building coefficient range, floor-area ratio range) of developed land, by code prefix
FLOOR_PROFILES = {
    "100103": ((0.40, 0.55), (0.55, 0.90)),
    "100102": ((0.40, 0.60), (0.70, 1.30)),
    "100101": ((0.40, 0.55), (0.90, 1.50)),
    "11": ((0.45, 0.60), (0.60, 1.00)),
    "070102": ((0.20, 0.28), (1.60, 2.40)),
    "08": ((0.25, 0.35), (0.80, 1.40)),
    "09": ((0.35, 0.50), (1.20, 2.50)),
    "13": ((0.20, 0.35), (0.20, 0.50)),
}


def floor_and_footprint(
    rng: np.random.Generator, land_use_code: str, area_m2: float
) -> tuple[float, float]:
    """Floor area and building footprint (m², rounded to 1 m²) of a developed parcel."""
    for prefix in sorted(FLOOR_PROFILES, key=len, reverse=True):
        if land_use_code.startswith(prefix):
            (c0, c1), (f0, f1) = FLOOR_PROFILES[prefix]
            break
    else:
        (c0, c1), (f0, f1) = (0.3, 0.4), (0.5, 1.0)
    coefficient = rng.uniform(c0, c1)
    far = rng.uniform(f0, f1)
    return round(float(far * area_m2)), round(float(coefficient * area_m2))


# --------------------------------------------------------------------------- enterprises


@dataclass(frozen=True)
class Profile:
    """How an industry's figures are drawn (per mu, shares of output)."""

    output_per_mu: float  # 万元/亩
    va_share: float
    tax_share: float
    tce_per_wan: float  # tonnes of standard coal per 万元 of output
    output_per_employee: float  # 万元/人
    rd_share: float
    invest_per_mu: float  # contracted investment, 万元/亩


PROFILES = {
    "3216": Profile(1200.0, 0.18, 0.05, 0.30, 500.0, 0.004, 900.0),
    "4411": Profile(300.0, 0.35, 0.06, 9.00, 400.0, 0.002, 1200.0),
    "3091": Profile(400.0, 0.20, 0.04, 0.40, 150.0, 0.010, 500.0),
    "3252": Profile(240.0, 0.22, 0.035, 0.05, 140.0, 0.015, 380.0),
    "3312": Profile(150.0, 0.25, 0.03, 0.02, 60.0, 0.020, 300.0),
    "3392": Profile(220.0, 0.23, 0.035, 0.06, 110.0, 0.018, 360.0),
    "3516": Profile(130.0, 0.28, 0.03, 0.02, 55.0, 0.030, 320.0),
    "3670": Profile(300.0, 0.24, 0.04, 0.05, 130.0, 0.025, 420.0),
    "3831": Profile(330.0, 0.18, 0.03, 0.02, 180.0, 0.012, 380.0),
    "5920": Profile(80.0, 0.45, 0.05, 0.01, 40.0, 0.000, 200.0),
    "1331": Profile(120.0, 0.22, 0.03, 0.03, 50.0, 0.010, 250.0),
    "1353": Profile(90.0, 0.25, 0.03, 0.03, 35.0, 0.008, 250.0),
    "1314": Profile(80.0, 0.25, 0.03, 0.03, 35.0, 0.008, 220.0),
    "5211": Profile(60.0, 0.30, 0.04, 0.01, 15.0, 0.000, 300.0),
}
DEFAULT_PROFILE = Profile(150.0, 0.25, 0.03, 0.03, 60.0, 0.01, 300.0)

#: how many enterprises hold the parcels of one occupant (keyed by the occupant's Chinese
#: name), and the enterprise names (zh, en); other occupants: one enterprise per 2 parcels
GROUPS: dict[str, tuple[int, str, str]] = {
    "铝型材挤压厂": (7, "铝型材企业", "Aluminium extrusion company"),
    "铝型材挤压厂（排洪沟两侧）": (
        1,
        "铝型材（排洪沟）企业",
        "Aluminium extrusion company (ditch)",
    ),
    "铝板带轧制厂": (1, "铝板带企业", "Aluminium plate and strip company"),
    "节能门窗厂": (5, "节能门窗企业", "Energy-saving windows company"),
    "铝合金压铸件厂": (5, "铝合金压铸企业", "Aluminium die-casting company"),
    "冶金装备制造厂": (3, "冶金装备企业", "Metallurgical equipment company"),
    "铝合金车轮厂": (2, "铝合金车轮企业", "Aluminium wheel company"),
    "铝杆及线缆厂": (5, "铝杆线缆企业", "Aluminium rod and cable company"),
    "预焙阳极炭素厂": (2, "炭素企业", "Carbon anode company"),
    "铝锭及原料仓储": (3, "铝锭仓储企业", "Aluminium ingot storage company"),
    "保税仓储": (1, "保税仓储企业", "Bonded storage company"),
    "保税物流仓库": (1, "保税物流企业", "Bonded logistics company"),
    "菜籽油加工厂": (1, "菜籽油企业", "Rapeseed oil company"),
    "青稞制品厂": (1, "青稞制品企业", "Highland barley company"),
    "牦牛肉制品厂": (1, "牦牛肉制品企业", "Yak meat company"),
    "沿街商铺": (5, "商贸企业", "Retail company"),
    "拟建硬质合金项目": (2, "硬质合金项目公司", "Hard alloy project company"),
    "拟建锅炉及辅助设备项目": (2, "锅炉设备项目公司", "Boiler equipment project company"),
    "拟建汽车轻量化部件项目": (2, "轻量化部件项目公司", "Light-weighting parts project company"),
    "拟建铝合金线缆扩建项目": (2, "线缆扩建项目公司", "Cable extension project company"),
    "拟建镁合金项目": (2, "镁合金项目公司", "Magnesium alloy project company"),
    "拟建保税加工项目": (3, "保税加工项目公司", "Bonded processing project company"),
    "拟建冷链物流项目": (1, "冷链物流项目公司", "Cold-chain logistics project company"),
    "拟建牦牛乳制品项目": (1, "牦牛乳制品项目公司", "Yak dairy project company"),
    "拟建冷链仓储项目": (1, "冷链仓储项目公司", "Cold storage project company"),
    "拟建康养中心": (1, "康养项目公司", "Recreation and health project company"),
    "拟建酒店": (1, "酒店项目公司", "Hotel project company"),
}
#: the smelters and power stations: generic names, never the real companies' figures
GENERIC_NAMES = {"3216": ("电解铝企业", "Electrolytic aluminium smelter"),
                 "4411": ("火电企业", "Thermal power company")}  # fmt: skip
ORDINALS_ZH = "甲乙丙丁戊己庚辛壬癸"
#: occupants that are not enterprises evaluated per mu: housing, public services
NOT_ENTERPRISE_PREFIXES = ("07", "0804", "0806", "13")
#: producing enterprises below designated size (retail, the two small bonded warehouses)
SMALL_GROUPS = ("沿街商铺", "保税物流仓库", "保税仓储")


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _plus_days(day: dt.date, days: float) -> dt.date:
    return day + dt.timedelta(days=round(days))


def _split(rng: np.random.Generator, ids: Sequence[str], k: int) -> list[list[str]]:
    """Split ``ids`` (in order) into ``k`` non-empty contiguous runs at random cuts."""
    k = max(1, min(k, len(ids)))
    cuts = sorted(rng.choice(np.arange(1, len(ids)), size=k - 1, replace=False).tolist())
    bounds = [0, *cuts, len(ids)]
    return [list(ids[a:b]) for a, b in itertools.pairwise(bounds)]


def _occupant_key(occupant: str) -> str:
    return occupant.split(" ")[0]


def enterprise_groups(
    rng: np.random.Generator, parcels: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The enterprises and the parcels each holds (developed and committed enterprise land)."""
    by_occupant: dict[str, list[dict[str, Any]]] = {}
    for p in parcels:
        if p["status"] not in ("developed", "committed") or not p.get("industry_code"):
            continue
        if str(p["land_use_code"]).startswith(NOT_ENTERPRISE_PREFIXES):
            continue
        by_occupant.setdefault(str(p["occupant"]), []).append(p)
    out: list[dict[str, Any]] = []
    for occupant in sorted(by_occupant, key=lambda o: by_occupant[o][0]["parcel_id"]):
        held = sorted(by_occupant[occupant], key=lambda p: p["parcel_id"])
        key = _occupant_key(occupant)
        code = str(held[0]["industry_code"])
        english = occupant.partition(" ")[2].replace(" (illustrative)", "")
        zh_default = f"{key.removeprefix('拟建')}项目公司"
        default = (math.ceil(len(held) / 2), zh_default, f"{english} company")
        count, zh, en = GROUPS.get(key, default)
        if code in GENERIC_NAMES:
            zh, en = GENERIC_NAMES[code]
        runs = _split(rng, [p["parcel_id"] for p in held], count)
        area = {p["parcel_id"]: float(p["area_m2"]) for p in held}
        for run in runs:
            out.append(
                {
                    "key": key,
                    "base_zh": zh,
                    "base_en": en,
                    "industry_code": code,
                    "parcel_ids": run,
                    "area_mu": sum(area[i] for i in run) / MU_M2,
                    "status": held[0]["status"],
                    "land_use_code": str(held[0]["land_use_code"]),
                }
            )
    # name generic runs with ordinals, in the order of their first parcel
    seen: dict[str, int] = {}
    out.sort(key=lambda e: e["parcel_ids"][0])
    for e in out:
        n = seen.get(e["base_zh"], 0)
        seen[e["base_zh"]] = n + 1
        e["name_zh"] = f"{e['base_zh']}{ORDINALS_ZH[n % 10]}"
        e["name_en"] = f"{e['base_en']} {chr(ord('A') + n)}"
    return out


def _producing_figures(rng: np.random.Generator, e: dict[str, Any]) -> None:
    prof = PROFILES.get(e["industry_code"], DEFAULT_PROFILE)
    e["output_wan"] = prof.output_per_mu * e["area_mu"] * float(rng.lognormal(0.0, 0.25))
    e["profile"] = prof


def _finish_figures(rng: np.random.Generator, e: dict[str, Any]) -> None:
    prof: Profile = e["profile"]
    out = e["output_wan"]
    e["value_added_wan"] = out * prof.va_share * float(rng.uniform(0.85, 1.15))
    e["tax_wan"] = out * prof.tax_share * float(rng.uniform(0.6, 1.4))
    e["energy_tce"] = out * prof.tce_per_wan * float(rng.uniform(0.8, 1.2))
    e["employees"] = max(3, round(out / prof.output_per_employee * float(rng.uniform(0.8, 1.25))))
    e["rd_wan"] = out * prof.rd_share * float(rng.uniform(0.3, 1.7))


def _dates_producing(rng: np.random.Generator, e: dict[str, Any], completed_year: int) -> None:
    completed = dt.date(completed_year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    contract_complete = _plus_days(completed, -rng.integers(-60, 240))
    start_by = _plus_days(contract_complete, -730)
    started = _plus_days(start_by, -rng.integers(0, 60))
    supplied = _plus_days(start_by, -rng.integers(120, 240))
    e.update(
        supplied_on=supplied,
        contract_start_by=start_by,
        started_on=started,
        contract_complete_by=contract_complete,
        completed_on=completed,
        built_share=1.0,
        stopped_since=None,
    )


def _dates_arrived(rng: np.random.Generator, e: dict[str, Any]) -> None:
    """Dates of an enterprise brought in during 2021, built on an 18-month contract."""
    supplied = dt.date(ARRIVED_SINCE.year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    start_by = _plus_days(supplied, rng.integers(90, 180))
    contract_complete = _plus_days(start_by, 540)
    e.update(
        supplied_on=supplied,
        contract_start_by=start_by,
        started_on=_plus_days(start_by, -rng.integers(0, 45)),
        contract_complete_by=contract_complete,
        completed_on=_plus_days(contract_complete, -rng.integers(0, 90)),
        built_share=1.0,
        stopped_since=None,
    )


def build_enterprises(parcels: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Build the enterprise rows from the parcels (dicts with ``area_m2``), deterministically.

    The steps draw from one stream in a fixed order: groups, contracted investment, the
    producing enterprises' figures and edge cases, the output scaling, the remaining figures,
    the committed land's dates.
    """
    rng = np.random.default_rng([SEED, 12])
    ents = enterprise_groups(rng, parcels)
    producing = [e for e in ents if e["status"] == "developed"]
    building = [e for e in ents if e["status"] == "committed"]
    for e in ents:
        prof = PROFILES.get(e["industry_code"], DEFAULT_PROFILE)
        e["investment_contract_wan"] = prof.invest_per_mu * e["area_mu"] * rng.uniform(0.9, 1.3)

    fixed = _producing_enterprises(rng, producing)
    _scale_to_output_per_mu(rng, producing, fixed, read_chain_links())
    _finish_producing(rng, producing, len(ents))
    _committed_land(rng, building)
    arrived = sum(1 for e in ents if e["supplied_on"] >= ARRIVED_SINCE)
    if arrived != ARRIVED_COUNT:
        raise RuntimeError(f"{arrived} enterprises supplied since 2021, expected {ARRIVED_COUNT}")
    return [_row(k, e) for k, e in enumerate(ents, start=1)]


def _producing_enterprises(rng: np.random.Generator, producing: list[dict[str, Any]]) -> set[int]:
    """Figures and dates of the producing enterprises, and their edge cases.

    Returns the ids of the enterprises whose output is fixed (small ones, under-producers).
    """
    for e in producing:
        _producing_figures(rng, e)
        _dates_producing(rng, e, int(rng.integers(2008, 2021)))
        e["investment_actual_wan"] = e["investment_contract_wan"] * rng.uniform(0.9, 1.2)
    small = [e for e in producing if e["key"] in SMALL_GROUPS]
    large = [e for e in producing if e["key"] not in SMALL_GROUPS]
    for e in small:
        e["output_wan"] = min(e["output_wan"], float(rng.uniform(300.0, 1900.0)))

    # edge cases among the producing enterprises (chosen by a fixed rule, not by hand)
    cases = sorted(
        (e for e in large if e["industry_code"] not in ("3216", "4411")),
        key=lambda e: e["parcel_ids"][0],
    )
    startups, stopped, under_invested = cases[1:4], cases[10], cases[13]
    under = [e for e in cases[5:10] if e["area_mu"] >= 40.0][:2]
    edge = {id(e) for e in (*startups, stopped, under_invested, *under)}
    arrivals = [*startups] + [
        e for e in cases if id(e) not in edge and e["industry_code"] in ARRIVAL_INDUSTRIES
    ]
    for e in arrivals[: len(startups) + ARRIVING_PRODUCERS]:  # brought in since 2021
        _dates_arrived(rng, e)
    for e in under:  # output per mu under half the 标准地 standard, long completed
        e["output_wan"] = max(OUTPUT_PER_MU_TARGET * 0.35 * e["area_mu"], 2100.0)
    stopped["stopped_since"] = dt.date(YEAR - 1, 8, 15)  # production stopped for over a year
    stopped["output_wan"] *= 0.3
    under_invested["investment_actual_wan"] = under_invested["investment_contract_wan"] * 0.42
    return {id(e) for e in under} | {id(e) for e in small}


@dataclass(frozen=True)
class ChainLinks:
    """The chain links of the local-conversion estimate, as the rulebook gives them."""

    producers: frozenset[str]  # industry codes that produce the chain product
    input_shares: dict[str, float]  # consuming industry code → share of output taken in

    def made(self, e: dict[str, Any]) -> float:
        """Molten aluminium made by enterprise ``e`` (万元 of output)."""
        return float(e["output_wan"]) if e["industry_code"] in self.producers else 0.0

    def taken(self, e: dict[str, Any]) -> float:
        """Molten aluminium taken in by enterprise ``e`` (万元 of its output × input share)."""
        return float(e["output_wan"]) * self.input_shares.get(e["industry_code"], 0.0)


def read_chain_links(path: Path = RULEBOOK) -> ChainLinks:
    """The ``[ledger.chain]`` links and the industries' produces/consumes from the rulebook."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    chain = data.get("ledger", {}).get("chain", {})
    product = chain.get("product", "molten_aluminium")
    default = float(chain.get("default_input_share", 0.6))
    uses = {u["industry"]: float(u["input_share_of_output"]) for u in chain.get("uses", [])}
    industries = data.get("industries", [])
    return ChainLinks(
        producers=frozenset(i["code"] for i in industries if product in i.get("produces", [])),
        input_shares={
            i["code"]: uses.get(i["code"], default)
            for i in industries
            if product in i.get("consumes", [])
        },
    )


def _scale_factors(
    built_up: list[dict[str, Any]], others: list[dict[str, Any]], fixed: set[int], chain: ChainLinks
) -> tuple[float, float]:
    """Scale factors (smelters, other scalable enterprises) for both article figures.

    With S the smelters' output, N and C the output and intake of the other scalable
    enterprises, F the output of the fixed ones on built-up land and Cf the intake of the
    fixed or not built-up consumers, solve ``a·S + b·N + F = 198 × mu`` and
    ``b·C + Cf = r·a·S`` (r the local conversion).
    """
    target = OUTPUT_PER_MU_TARGET * sum(e["area_mu"] for e in built_up)
    scalable = [e for e in built_up if id(e) not in fixed]
    smelters = [e for e in scalable if chain.made(e) > 0]
    rest = [e for e in scalable if chain.made(e) == 0]
    s_out = sum(e["output_wan"] for e in smelters)
    n_out = sum(e["output_wan"] for e in rest)
    f_out = sum(e["output_wan"] for e in built_up if id(e) in fixed)
    c_in = sum(chain.taken(e) for e in rest)
    movable = {id(e) for e in rest}
    cf_in = sum(chain.taken(e) for e in others if id(e) not in movable)
    r = LOCAL_CONVERSION
    b = (target - f_out - cf_in / r) / (c_in / r + n_out)
    a = (b * c_in + cf_in) / (r * s_out)
    return a, b


def _scale_to_output_per_mu(
    rng: np.random.Generator,
    producing: list[dict[str, Any]],
    fixed: set[int],
    chain: ChainLinks,
) -> None:
    """Scale the large enterprises to the article's built-up output per mu and conversion.

    The smelters and the other scalable enterprises are scaled by two factors
    (:func:`_scale_factors`); enterprises that fall under the floor of designated size are
    lifted and fixed, and the factors solved again.
    """
    built_up = [e for e in producing if e["land_use_code"].startswith(("1001", "1101"))]
    if any(id(e) in fixed and chain.made(e) > 0 for e in producing) or not any(
        chain.made(e) > 0 for e in built_up
    ):
        raise RuntimeError("the smelters must be on built-up land and scalable")

    def floor_wan(e: dict[str, Any]) -> float:
        return max(1.05 * ABOVE_SIZE_OUTPUT_WAN, 0.6 * OUTPUT_PER_MU_TARGET * e["area_mu"])

    for _ in range(20):  # large enterprises stay above designated size
        a, b = _scale_factors(built_up, producing, fixed, chain)
        scalable = [e for e in built_up if id(e) not in fixed]
        for e in scalable:
            e["output_wan"] *= a if chain.made(e) > 0 else b
        lifted = [e for e in scalable if chain.made(e) == 0 and e["output_wan"] < floor_wan(e)]
        if not lifted:
            return
        for e in lifted:
            e["output_wan"] = floor_wan(e) * float(rng.uniform(1.0, 1.3))
            fixed.add(id(e))
    raise RuntimeError("the output scaling did not settle in 20 rounds")


def _finish_producing(
    rng: np.random.Generator, producing: list[dict[str, Any]], n_ents: int
) -> None:
    """Round the output, draw the other figures, scale the tax of those above designated size."""
    for e in producing:
        e["output_wan"] = round(e["output_wan"], 1)
        _finish_figures(rng, e)
    above = [e for e in producing if e["output_wan"] >= ABOVE_SIZE_OUTPUT_WAN]
    if len(above) != ABOVE_SIZE_COUNT or n_ents != 68:
        raise RuntimeError(f"{len(above)} above-size of {n_ents} enterprises, expected 40/68")
    tax_scale = (
        TAX_SHARE_OF_OUTPUT * sum(e["output_wan"] for e in above) / sum(e["tax_wan"] for e in above)
    )
    for e in above:
        e["tax_wan"] *= tax_scale


def _committed_land(rng: np.random.Generator, building: list[dict[str, Any]]) -> None:
    """Enterprises on committed land: supply and contract dates, and the land clock's cases."""
    evaluation_day = dt.date(YEAR, 12, 31)
    for i, e in enumerate(building):
        supplied = dt.date(YEAR - 1 + i % 2, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        start_by = _plus_days(supplied, 180)
        started: dt.date | None = _plus_days(start_by, -rng.integers(0, 60))
        if started is not None and started > evaluation_day:
            started = None
        e.update(
            output_wan=0.0, value_added_wan=0.0, tax_wan=0.0, energy_tce=0.0, employees=0,
            rd_wan=0.0, supplied_on=supplied, contract_start_by=start_by, started_on=started,
            contract_complete_by=_plus_days(start_by, 730), completed_on=None,
            stopped_since=None,
        )  # fmt: skip
        progress = 0.0 if started is None else (evaluation_day - started).days / 730.0
        e["built_share"] = round(min(1.0, progress * float(rng.uniform(0.6, 1.0))), 2)
        e["investment_actual_wan"] = e["investment_contract_wan"] * e["built_share"] * 0.9
    idle_recovery, idle_fee, stalled, late, late2 = building[:5]
    for e, start_by in ((idle_recovery, dt.date(YEAR - 2, 3, 10)),
                        (idle_fee, dt.date(YEAR - 1, 6, 20))):  # fmt: skip
        e.update(
            supplied_on=_plus_days(start_by, -60), contract_start_by=start_by,
            started_on=None, contract_complete_by=_plus_days(start_by, 730), built_share=0.0,
            investment_actual_wan=0.0,
        )  # fmt: skip
    stalled.update(
        supplied_on=dt.date(YEAR - 2, 1, 15), contract_start_by=dt.date(YEAR - 2, 7, 15),
        started_on=dt.date(YEAR - 2, 7, 1), contract_complete_by=dt.date(YEAR, 7, 15),
        built_share=0.2, stopped_since=dt.date(YEAR - 1, 9, 1),
    )  # fmt: skip
    stalled["investment_actual_wan"] = stalled["investment_contract_wan"] * 0.15
    for e, due in ((late, dt.date(YEAR, 6, 30)), (late2, dt.date(YEAR - 1, 10, 31))):
        e.update(
            contract_start_by=_plus_days(due, -540), started_on=_plus_days(due, -550),
            contract_complete_by=due, built_share=0.7, supplied_on=_plus_days(due, -660),
        )  # fmt: skip
        e["investment_actual_wan"] = e["investment_contract_wan"] * 0.6


def _row(k: int, e: dict[str, Any]) -> dict[str, str]:
    """The CSV row of enterprise number ``k``."""
    return {
        "enterprise_id": f"E-{k:03d}",
        "name_zh": e["name_zh"],
        "name_en": e["name_en"],
        "industry_code": e["industry_code"],
        "parcel_ids": ";".join(e["parcel_ids"]),
        "output_wan": f"{e['output_wan']:.1f}",
        "value_added_wan": f"{e['value_added_wan']:.1f}",
        "tax_wan": f"{e['tax_wan']:.1f}",
        "energy_tce": f"{e['energy_tce']:.0f}",
        "employees": str(int(e["employees"])),
        "rd_wan": f"{e['rd_wan']:.1f}",
        "investment_contract_wan": f"{e['investment_contract_wan']:.0f}",
        "investment_actual_wan": f"{e['investment_actual_wan']:.0f}",
        "supplied_on": _iso(e["supplied_on"]),
        "contract_start_by": _iso(e["contract_start_by"]),
        "started_on": _iso(e["started_on"]),
        "contract_complete_by": _iso(e["contract_complete_by"]),
        "completed_on": _iso(e["completed_on"]),
        "built_share": f"{e['built_share']:.2f}",
        "stopped_since": _iso(e["stopped_since"]),
        "note": NOTE,
    }


def render_csv(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as CSV text (UTF-8, LF line ends, header first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_enterprises(out_dir: Path, parcels: Iterable[dict[str, Any]]) -> Path:
    """Write ``enterprises.csv`` into ``out_dir``; return its path."""
    path = out_dir / "enterprises.csv"
    path.write_text(render_csv(build_enterprises(parcels)), encoding="utf-8")
    return path
