"""``health_distance``: a new plant keeps its health-protection distance from homes.

**Checks** the health-protection distance (卫生防护距离) of the project's industry — the
rulebook's ``health_distances`` entry with the most specific ``applies_to`` prefix of its
code — from the nearest sensitive use: parcels of residential, education, medical or
welfare land (any status: planned homes count) and ``sensitive_area`` constraints. With a
site, the nearest distance from the site (measured, m) against the rule (required, m).
Without a site, the zone's vacant parcels are measured instead: the rule passes when at
least one lies far enough, and says how many and how much land; otherwise it reports the
farthest.

**Why**: the national standards set the distance a nuisance plant keeps from where people
live (GB 18073-2000 for carbon plants, the magnesium industry's entry conditions, …); the
park treats them as binding for siting.

**Fails** when the distance is short and the rule is ``binding``; **warns** when it is
advisory. Industries without a distance get no finding.

**Reads**: the rulebook's ``health_distances`` (``applies_to``, ``distance_m``,
``condition``, ``binding``, ``confidence``, ``source``); the parcels' ``land_use_code`` and
the ``sensitive_area`` constraints.

Examples
--------
>>> import geopandas as gpd, pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import box, two_zone_park
>>> projects = gpd.GeoDataFrame({"project_id": ["P1", "P2"], "industry_code": ["3091"] * 2,
...     "area_mu": [None, 50.0]}, geometry=[box(600, 600, 800, 800), None], crs="EPSG:4543")
>>> result = check(two_zone_park(), projects, rules=[RULES_BY_ID["health_distance"]])
>>> [(p, z, f[0]["reason"]) for p, z, f in
...  zip(result.project_id, result.zone_id, result.findings)]
[('P1', 'a', 'too_close'), ('P2', 'a', 'far_enough'), ('P2', 'b', 'too_close')]
>>> result.findings[0][0]["message_zh"]
'最近的敏感用地 h1（已建成）070102 二类城镇住宅用地 距场地 700 m：比 1,000 m
卫生防护距离（carbon_plant）少 300 m'
"""

from __future__ import annotations

from typing import Final

import numpy as np

from zoning import schema as s
from zoning._types import IntArray, fmt_num
from zoning.i18n import N_
from zoning.rulebook import HealthDistance, Rulebook
from zoning.rules.base import (
    CODE_OF_STATUS,
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
    round_or_none,
    rule_source,
    site_else_vacant_land,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.schema import FitRule

_NO_SENSITIVE: Final = Template(N_("no sensitive use (homes, schools, clinics) in the park data"))
_FAR: Final = Template(
    N_(
        "the nearest sensitive use, {near}, is {distance} m from the site (at least "
        "{required} m required)"
    )
)
_SHORT: Final = Template(
    N_(
        "the nearest sensitive use, {near}, is {distance} m from the site: {short} m short of "
        "the {required} m health-protection distance ({condition})"
    )
)
_ZONE_NO_SENSITIVE: Final = Template(
    N_("no site given; no sensitive use (homes, schools, clinics) in the park data")
)
_ZONE_FAR: Final = Template(
    N_(
        "no site given: {far} of {total} vacant parcels of zone {zone} ({area} mu) lie at least "
        "{required} m from sensitive uses; the site must be one of them"
    )
)
_ZONE_SHORT: Final = Template(
    N_(
        "no site given: no vacant parcel of zone {zone} lies {required} m from sensitive uses "
        "(the farthest, {parcel}, is {distance} m away)"
    )
)
_ZONE_NO_VACANT: Final = Template(
    N_("no site given and zone {zone} has no vacant parcel to keep the distance on")
)


def _source(hd: HealthDistance) -> str:
    return rule_source(hd.source, hd.id, hd.confidence, hd.binding)


def _site_finding(facts: ParkFacts, hd: HealthDistance, d: float, i: int) -> Finding:
    """Return the finding of one site, ``d`` m from sensitive use ``i`` (``-1``: there is none)."""
    if i < 0:
        code, reason, text, measured = PASS, Reason.NO_SENSITIVE_USE, _NO_SENSITIVE.both(), None
    else:
        code = judge_one(d >= hd.distance_m, hd.binding)
        measured = round_or_none(d, 1)
        params = {
            "near": Words(facts.sensitive.labels[i], facts.sensitive.labels_zh[i]),
            "distance": fmt_num(d),
            "required": fmt_num(hd.distance_m),
        }
        if code == PASS:
            reason, text = Reason.FAR_ENOUGH, _FAR.both(**params)
        else:
            reason = Reason.TOO_CLOSE
            text = _SHORT.both(
                short=fmt_num(hd.distance_m - d), condition=hd.condition or hd.id, **params
            )
    return make_finding(
        FitRule.HEALTH_DISTANCE, code, reason, text, measured, hd.distance_m, "m", _source(hd)
    )


def _zone_finding(facts: ParkFacts, hd: HealthDistance, z: int) -> Finding:
    """Return the finding of a site-less project in zone ``z``, from its vacant parcels."""
    vacant = facts.vacant
    in_zone = vacant["zone_pos"].to_numpy() == z
    v_dist = vacant[s.SENSITIVE_DISTANCE_M].to_numpy(float)
    zone = facts.zone_labels[z]
    required = fmt_num(hd.distance_m)
    farthest = float(v_dist[in_zone].max()) if in_zone.any() else np.nan
    if len(facts.sensitive) == 0:
        code, reason, text = PASS, Reason.NO_SENSITIVE_USE, _ZONE_NO_SENSITIVE.both()
        farthest = np.nan
    elif (far := in_zone & (v_dist >= hd.distance_m)).any():
        code, reason = PASS, Reason.FAR_ENOUGH
        text = _ZONE_FAR.both(
            far=int(far.sum()),
            total=int(in_zone.sum()),
            zone=zone,
            area=fmt_num(vacant[s.AREA_MU].to_numpy(float)[far].sum()),
            required=required,
        )
    elif in_zone.any():
        code, reason = judge_one(False, hd.binding), Reason.TOO_CLOSE
        v_ids = vacant[s.PARCEL_ID].astype(str).to_numpy(dtype=object)
        text = _ZONE_SHORT.both(
            zone=zone,
            required=required,
            distance=fmt_num(farthest),
            parcel=v_ids[in_zone][np.argmax(v_dist[in_zone])],
        )
    else:
        code, reason = judge_one(False, hd.binding), Reason.NO_VACANT_LAND
        text = _ZONE_NO_VACANT.both(zone=zone)
    return make_finding(
        FitRule.HEALTH_DISTANCE,
        code,
        reason,
        text,
        round_or_none(farthest, 1),
        hd.distance_m,
        "m",
        _source(hd),
    )


def health_distance_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``health_distance``: from the site, or from the zone's vacant land."""
    rb = facts.park.rulebook
    rules: list[HealthDistance | None] = [rb.health_distance_for(c) for c in batch.codes]
    if not any(r is not None for r in rules):
        return []

    def rule_of(c: int) -> HealthDistance:
        hd = rules[c]
        assert hd is not None
        return hd

    def at_site(rows: IntArray) -> tuple[list[int], list[Finding]]:
        dist, idx = facts.sensitive.nearest(batch.sites[rows])
        found = [
            _site_finding(facts, rule_of(batch.code_index[p]), d, i)
            for p, d, i in zip(rows.tolist(), dist.tolist(), idx.tolist(), strict=True)
        ]
        return [CODE_OF_STATUS[f[s.STATUS]] for f in found], found

    def over_zone(z: int, c: int) -> Finding:
        return _zone_finding(facts, rule_of(c), z)

    applies = np.array([r is not None for r in rules])
    return [site_else_vacant_land(batch, facts.n_zones, applies, at_site, over_zone)]


def health_distance_thresholds(rulebook: Rulebook) -> list[Threshold]:
    """Return the rulebook's health-protection distances."""
    return [
        Threshold(f"health_distances.{h.id}", h.distance_m, "m", h.binding, h.source)
        for h in rulebook.health_distances
    ]


RULE: Final = Rule(
    id=FitRule.HEALTH_DISTANCE.value,
    title=N_("Health-protection distance of a new plant from sensitive uses"),
    reads=("health_distances", "parcels.land_use_code", "constraints.kind = sensitive_area"),
    evaluate=health_distance_rule,
    thresholds=health_distance_thresholds,
)
