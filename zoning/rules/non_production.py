"""``site.non_production``: no housing or hotels built on industrial land.

**Checks**, for a project with a site whose industry needs one of the land-use classes of
the rulebook entry ``rules."site.non_production"`` (``applies_to``: land-use code prefixes,
for Beichuan ``07`` residential and ``090104`` hotel land), whether the site overlaps parcels
of industrial land (``1001xx``, any status) by more than
:data:`~zoning.validation.OVERLAP_TOLERANCE_M2`; measured is the overlap in m².

**Why**: the national control indicators for industrial land (工业项目建设用地控制指标, 2008)
forbid building housing, expert apartments, hotels, guest houses and training centres on an
industrial project's land (严禁在工业项目用地范围内建造成套住宅、专家楼、宾馆、招待所和
培训中心等非生产性配套设施); the administration and living share of ≤ 7% (rule
``intensity.admin_share``) is the only non-production use allowed there. Training centres
are not told apart from schools by the land-use classification (both education land,
``0804``), so the bundled rulebook leaves them out.

**Fails** when the entry is ``binding``, **warns** when it is advisory (the bundled
rulebook: secondary copies of the 2008 table). The rule runs only when the rulebook has the
entry; projects without a site, or of other land uses, get no finding.

**Reads**: the rulebook's ``rules."site.non_production"`` (``applies_to``, ``binding``,
``confidence``, ``source``) and ``industries.land_use_code``; the parcels' ``land_use_code``.

Examples
--------
>>> import geopandas as gpd
>>> from dataclasses import replace
>>> from zoning.rulebook import RuleSetting
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import box, two_zone_park
>>> park = two_zone_park()
>>> setting = RuleSetting(applies_to=["07"], confidence="secondary", source="2008")
>>> park = replace(park, rulebook=park.rulebook.model_copy(
...     update={"rules": {"site.non_production": setting}}))
>>> homes = gpd.GeoDataFrame({"project_id": ["H1", "H2"], "industry_code": ["7010"] * 2},
...     geometry=[box(100, 100, 300, 300), box(1600, 600, 1800, 800)], crs="EPSG:4543")
>>> result = check(park, homes, rules=[RULES_BY_ID["site.non_production"]])
>>> [(p, f[0]["status"], f[0]["reason"]) for p, f in zip(result.project_id, result.findings)]
[('H1', 'warn', 'overlaps'), ('H2', 'pass', 'no_overlap')]
>>> result.findings[0][0]["message_zh"]
'场地占用工业用地 p1（空闲）100102（40,000 m²），共 40,000
m²：工业项目用地范围内不得建设成套住宅、宾馆等非生产性配套设施'
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning._types import fmt_num
from zoning.i18n import N_
from zoning.rulebook import Rulebook
from zoning.rules.base import (
    NA,
    PASS,
    Finding,
    Outcome,
    Reason,
    Rule,
    Template,
    Threshold,
    Words,
    judge_one,
    make_finding,
    per_project,
    round_or_none,
    rule_source,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.rules.geometry import features, status_zh

RULE_ID: Final = "site.non_production"
#: land-use code prefix of industrial land (2023 classification, 工业用地)
INDUSTRIAL_LAND: Final = "1001"

_CLEAR: Final = Template(N_("the site lies on no industrial land"))
_ON_INDUSTRIAL: Final = Template(
    N_(
        "the site overlaps industrial land {parcels}, {area} m² in all: housing, hotels and "
        "other non-production facilities must not be built on an industrial project's land"
    )
)


def _label_zh(frame: pd.DataFrame) -> pd.Series:
    """``"BC-0208（空闲）100102"`` per parcel."""
    return (
        frame[s.PARCEL_ID].astype(str)
        + "（"
        + status_zh(frame[s.STATUS])
        + "）"
        + frame[s.LAND_USE_CODE].astype(str)
    )


def _label(frame: pd.DataFrame) -> pd.Series:
    """``"BC-0208 (vacant) 100102"`` per parcel."""
    return (
        frame[s.PARCEL_ID].astype(str)
        + " ("
        + frame[s.STATUS].astype(str)
        + ") "
        + frame[s.LAND_USE_CODE].astype(str)
    )


def non_production_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``site.non_production``, per project with a site of a listed land use."""
    setting = facts.park.rulebook.rules.get(RULE_ID)
    if setting is None:
        return []
    listed = tuple(setting.applies_to)
    applies = np.array([i.land_use_code.startswith(listed) for i in batch.industries])
    rows = np.flatnonzero(applies[batch.code_index] & batch.has_site)
    if len(rows) == 0:
        return []
    parcels = facts.park.parcels
    industrial = parcels[parcels[s.LAND_USE_CODE].astype(str).str.startswith(INDUSTRIAL_LAND)]
    layer = features(industrial, s.PARCEL_ID, _label, _label_zh)
    total, details, details_zh = layer.overlaps_both(batch.sites[rows])
    source = rule_source(setting.source, f"rules.{RULE_ID}", setting.confidence, setting.binding)
    status = np.full(len(batch.projects), NA, dtype=np.int8)
    findings: list[Finding | None] = [None] * len(batch.projects)
    clear = make_finding(RULE_ID, PASS, Reason.NO_OVERLAP, _CLEAR.both(), 0.0, 0.0, "m²", source)
    for p, area, found, found_zh in zip(
        rows.tolist(), total.tolist(), details, details_zh, strict=True
    ):
        if area <= 0:
            status[p], findings[p] = PASS, clear
            continue
        code = judge_one(False, setting.binding)
        parcels = Words("; ".join(found), "；".join(found_zh))
        text = _ON_INDUSTRIAL.both(parcels=parcels, area=fmt_num(area))
        status[p] = code
        findings[p] = make_finding(
            RULE_ID,
            code,
            Reason.OVERLAPS,
            text,
            round_or_none(area, 1),
            0.0,
            "m²",
            source,
        )
    return [per_project(batch, status, findings)]


def _thresholds(rulebook: Rulebook) -> list[Threshold]:
    setting = rulebook.rules.get(RULE_ID)
    if setting is None:
        return []
    prefixes = ", ".join(setting.applies_to)
    unit = f"m² of industrial land under uses {prefixes}"
    return [Threshold(f"rules.{RULE_ID}", 0.0, unit, setting.binding, setting.source)]


RULE: Final = Rule(
    id=RULE_ID,
    title=N_("No housing or hotels on industrial land"),
    reads=(f'rules."{RULE_ID}"', "industries.land_use_code", "parcels.land_use_code"),
    evaluate=non_production_rule,
    thresholds=_thresholds,
)
