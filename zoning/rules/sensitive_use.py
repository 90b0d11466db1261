"""``health_distance.sensitive_use``: a new home, school or clinic keeps clear of plants.

**Checks** the health-protection distances the other way round: a project whose industry
needs sensitive land (``land_use_code`` residential 07, education 0804, medical 0806,
welfare 0807) from the developed and committed parcels whose ``industry_code`` has a
health-protection distance (the most specific prefix of ``health_distances``; one nearest
query per rule). With a site: measured is the distance to the plant that matters most — the
worst status (a binding shortfall before an advisory one), then the smallest margin — and
required is that plant's distance; the message names the plant parcel and its industry.
Without a site, the zone's vacant parcels (measured once per park): the rule passes when at
least one lies outside every plant's distance, and otherwise reports the best of them.

**Why**: a distance protects the people, not the plant: a new school next to an existing
carbon plant is as wrong as a new carbon plant next to a school.

**Fails** when the plant's rule is ``binding``, **warns** when it is advisory. Other
projects get no finding.

**Reads**: the rulebook's ``health_distances``; the parcels' ``industry_code`` and status.

Examples
--------
>>> import geopandas as gpd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import box, two_zone_park
>>> projects = gpd.GeoDataFrame({"project_id": ["H"], "industry_code": ["7010"]},
...     geometry=[box(1000, 0, 1200, 200)], crs="EPSG:4543")
>>> result = check(two_zone_park(), projects,
...     rules=[RULES_BY_ID["health_distance.sensitive_use"]])
>>> f = result.findings[0][0]
>>> f["status"], f["reason"]
('pass', 'no_nuisance_plant')
"""

from __future__ import annotations

from typing import Final

import numpy as np

from zoning import landuse
from zoning import schema as s
from zoning._types import IntArray, Objects, fmt_num
from zoning.i18n import N_
from zoning.rules.base import (
    FAIL,
    PASS,
    WARN,
    Finding,
    Outcome,
    Reason,
    Rule,
    Template,
    Words,
    make_finding,
    round_or_none,
    rule_source,
    site_else_vacant_land,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import PLANT_STATUS, NuisancePlants, ParkFacts
from zoning.rules.health_distance import health_distance_thresholds
from zoning.schema import FitRule

_NONE_HERE: Final = Template(
    N_(
        "no developed or committed parcel in the park data is occupied by an industry with a "
        "health-protection distance (parcels' industry_code)"
    )
)
_ZONE_NONE_HERE: Final = Template(N_("no site given; {none_here}"))
_KEEPS: Final = Template(
    N_(
        "the site keeps the health-protection distance of every nuisance plant; the smallest "
        "margin is to {plant}, {distance} m away (at least {required} m required)"
    )
)
_SHORT: Final = Template(
    N_(
        "the site is {distance} m from {plant}: {short} m short of the plant's {required} m "
        "health-protection distance ({condition}); a new sensitive use must keep it as a new "
        "plant must"
    )
)
_ZONE_NO_VACANT: Final = Template(
    N_(
        "no site given and zone {zone} has no vacant parcel to keep the health-protection "
        "distances of the park's nuisance plants on"
    )
)
_ZONE_CLEAR: Final = Template(
    N_(
        "no site given: {clear} of {total} vacant parcels of zone {zone} ({area} mu) lie "
        "outside the health-protection distance of every nuisance plant; the site must be one "
        "of them"
    )
)
_ZONE_WITHIN: Final = Template(
    N_(
        "no site given: every vacant parcel of zone {zone} lies within the health-protection "
        "distance of a nuisance plant (the best, {parcel}, is {distance} m from {plant}, "
        "{required} m required)"
    )
)


_RULE_ID: Final = FitRule.HEALTH_DISTANCE_SENSITIVE_USE.value


def _source(plants: NuisancePlants, k: int) -> str:
    hd = plants.rules[k]
    return rule_source(hd.source, hd.id, hd.confidence, hd.binding)


def _site_findings(plants: NuisancePlants, sites: Objects) -> tuple[list[int], list[Finding]]:
    """Return the status and finding of each site against the plant that matters most."""
    if len(plants) == 0:
        shared = make_finding(
            _RULE_ID,
            PASS,
            Reason.NO_NUISANCE_PLANT,
            _NONE_HERE.both(),
            None,
            None,
            "m",
            "park layers (parcels)",
        )
        return [PASS] * len(sites), [shared] * len(sites)
    found, dist, rule, plant = plants.worst(sites)
    out: list[Finding] = []
    for c, d, k, j in zip(
        found.tolist(), dist.tolist(), rule.tolist(), plant.tolist(), strict=True
    ):
        hd = plants.rules[k]
        params = {
            "plant": Words(plants.groups[k].labels[j], plants.groups[k].labels_zh[j]),
            "distance": fmt_num(d),
            "required": fmt_num(hd.distance_m),
        }
        if c == PASS:
            reason, text = Reason.FAR_ENOUGH, _KEEPS.both(**params)
        else:
            reason = Reason.TOO_CLOSE
            text = _SHORT.both(
                short=fmt_num(hd.distance_m - d), condition=hd.condition or hd.id, **params
            )
        out.append(
            make_finding(
                _RULE_ID,
                c,
                reason,
                text,
                round_or_none(d, 1),
                hd.distance_m,
                "m",
                _source(plants, k),
            )
        )
    return found.tolist(), out


def _zone_finding(facts: ParkFacts, z: int) -> Finding:
    """Return the finding of a site-less project in zone ``z``: its best vacant parcel."""
    plants = facts.plants
    zone = facts.zone_labels[z]
    vacant = facts.vacant
    in_zone = np.flatnonzero(vacant["zone_pos"].to_numpy() == z)
    if len(plants) == 0:
        none_here = _NONE_HERE.both()
        text = (
            _ZONE_NONE_HERE.en.format(none_here=none_here[0]),
            _ZONE_NONE_HERE.zh.format(none_here=none_here[1]),
        )
        return make_finding(
            _RULE_ID, PASS, Reason.NO_NUISANCE_PLANT, text, None, None, "m", "park layers"
        )
    required = np.array([hd.distance_m for hd in plants.rules], dtype=float)
    if len(in_zone) == 0:
        k = int(np.argmax(required))
        code = FAIL if any(hd.binding for hd in plants.rules) else WARN
        text = _ZONE_NO_VACANT.both(zone=zone)
        return make_finding(
            _RULE_ID,
            code,
            Reason.NO_VACANT_LAND,
            text,
            None,
            required[k],
            "m",
            _source(plants, k),
        )
    # the best vacant parcel: the best status, then the largest margin
    v_status = vacant[PLANT_STATUS].to_numpy()[in_zone]
    v_dist = vacant["plant_distance_m"].to_numpy(float)[in_zone]
    v_rule = vacant["plant_rule"].to_numpy()[in_zone]
    best_status = v_status.min()
    best = int(np.argmax(np.where(v_status == best_status, v_dist - required[v_rule], -np.inf)))
    k, d = int(v_rule[best]), float(v_dist[best])
    group, plant = plants.groups[k], int(vacant["plant_index"].to_numpy()[in_zone[best]])
    clear = in_zone[v_status == PASS]
    if len(clear):
        reason = Reason.FAR_ENOUGH
        area = fmt_num(vacant[s.AREA_MU].to_numpy(float)[clear].sum())
        text = _ZONE_CLEAR.both(clear=len(clear), total=len(in_zone), zone=zone, area=area)
    else:
        reason = Reason.TOO_CLOSE
        text = _ZONE_WITHIN.both(
            zone=zone,
            parcel=vacant[s.PARCEL_ID].astype(str).to_numpy(dtype=object)[in_zone[best]],
            distance=fmt_num(d),
            plant=Words(group.labels[plant], group.labels_zh[plant]),
            required=fmt_num(required[k]),
        )
    return make_finding(
        _RULE_ID,
        int(best_status),
        reason,
        text,
        round_or_none(d, 1),
        plants.rules[k].distance_m,
        "m",
        _source(plants, k),
    )


def sensitive_use_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``health_distance.sensitive_use``: a new sensitive use from existing nuisance plants.

    From the site (one nearest query per health-distance rule), or, without a site, from the
    zone's vacant parcels (precomputed in :func:`~zoning.rules.facts.build_park_facts`).
    """
    sensitive = np.array([landuse.is_sensitive(i.land_use_code) for i in batch.industries])
    if not sensitive.any():
        return []

    def at_site(rows: IntArray) -> tuple[list[int], list[Finding]]:
        return _site_findings(facts.plants, batch.sites[rows])

    zone_findings: dict[int, Finding] = {}

    def over_zone(z: int, c: int) -> Finding:
        # one finding per zone, shared by every sensitive code
        if z not in zone_findings:
            zone_findings[z] = _zone_finding(facts, z)
        return zone_findings[z]

    return [site_else_vacant_land(batch, facts.n_zones, sensitive, at_site, over_zone)]


RULE: Final = Rule(
    id=FitRule.HEALTH_DISTANCE_SENSITIVE_USE.value,
    title=N_("Health-protection distance of a new sensitive use from existing plants"),
    reads=("health_distances", "parcels.industry_code", "parcels.status"),
    evaluate=sensitive_use_rule,
    thresholds=health_distance_thresholds,
)
