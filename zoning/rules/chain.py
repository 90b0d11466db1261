"""``chain`` (advisory): a consumer of molten aluminium near a smelter to take it direct.

**Checks**, for a project whose industry consumes the rulebook's ``chain.product`` (molten
aluminium, 铝液直供), the distance from the site — or, without a site, from the zone's
nearest vacant parcel — to the nearest developed or committed parcel whose occupant's
``industry_code`` produces it.

**Why**: molten metal delivered by ladle truck saves re-melting ingot; the park targets
≥ 95% local conversion of its electrolytic aluminium.

**Passes** with a note within ``chain.max_distance_m``; **warns** beyond it, when the zone
has no vacant land, or when no producer is known. Never fails (park policy, advisory).

**Reads**: the rulebook's ``chain`` (``product``, ``max_distance_m``, ``source``) and the
``produces`` / ``consumes`` lists of ``industries``; the parcels' ``industry_code``.

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0]})
>>> park = two_zone_park()
>>> park.rulebook.industry("3252").consumes
[]
>>> check(park, projects, rules=[RULES_BY_ID["chain"]]).findings.tolist()
[[], []]
"""

from __future__ import annotations

from typing import Final

import numpy as np

from zoning import schema as s
from zoning._types import IntArray, fmt_num
from zoning.i18n import N_
from zoning.rulebook import Rulebook
from zoning.rules.base import (
    PASS,
    WARN,
    Finding,
    Outcome,
    Reason,
    Rule,
    Template,
    Threshold,
    make_finding,
    round_or_none,
    rule_source,
    site_else_vacant_land,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.schema import FitRule

_NO_PRODUCER: Final = Template(
    N_(
        "no developed or committed parcel in the park data is occupied by a producer of "
        "{product} (parcels' industry_code with 'produces' in the rulebook), so direct "
        "supply cannot be assessed"
    )
)
_ZONE_NO_PRODUCER: Final = Template(N_("no site given; {no_producer}"))
_ZONE_NO_VACANT: Final = Template(N_("no site given and zone {zone} has no vacant land"))
_WITHIN: Final = Template(
    N_(
        "note: {origin} is {distance} m from the {product} producer {near}, within {limit} m: "
        "direct supply of molten metal (铝液直供) is possible"
    )
)
_BEYOND: Final = Template(
    N_(
        "{origin} is {distance} m from the nearest {product} producer {near}, beyond {limit} m: "
        "metal would arrive as ingot to be re-melted, against the park's target of ≥ 95% local "
        "conversion of molten aluminium"
    )
)
_THE_SITE: Final = Template(N_("the site"))
_NEAREST_VACANT: Final = Template(
    N_("no site given: the nearest vacant parcel of zone {zone}, {parcel},")
)


def chain_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``chain``: from the site, or from the zone's nearest vacant parcel."""
    chain = facts.park.rulebook.chain
    consumer = np.array([chain.product in i.consumes for i in batch.industries])
    if not consumer.any():
        return []
    limit = chain.max_distance_m
    source = rule_source(chain.source, "chain.max_distance_m", "park policy", False)
    product = chain.product.replace("_", " ")
    no_producer = _NO_PRODUCER.both(product=product)

    def judged(d: float, origin: tuple[str, str], i: int) -> tuple[int, Reason, tuple[str, str]]:
        near = (str(facts.producers.labels[i]), str(facts.producers.labels_zh[i]))
        params = {"distance": fmt_num(d), "product": product}
        template, code, reason = (
            (_WITHIN, PASS, Reason.WITHIN_SUPPLY_DISTANCE)
            if d <= limit
            else (_BEYOND, WARN, Reason.BEYOND_SUPPLY_DISTANCE)
        )
        text = (
            template.en.format(origin=origin[0], near=near[0], limit=fmt_num(limit), **params),
            template.zh.format(origin=origin[1], near=near[1], limit=fmt_num(limit), **params),
        )
        return code, reason, text

    def finding(code: int, reason: Reason, text: tuple[str, str], d: float | None) -> Finding:
        return make_finding(FitRule.CHAIN, code, reason, text, d, limit, "m", source)

    def at_site(rows: IntArray) -> tuple[list[int], list[Finding]]:
        dist, idx = facts.producers.nearest(batch.sites[rows])
        codes, found = [], []
        for d, i in zip(dist.tolist(), idx.tolist(), strict=True):
            if i < 0:
                code, reason, text, measured = WARN, Reason.NO_PRODUCER, no_producer, None
            else:
                code, reason, text = judged(d, (_THE_SITE.en, _THE_SITE.zh), i)
                measured = round_or_none(d, 1)
            codes.append(code)
            found.append(finding(code, reason, text, measured))
        return codes, found

    vacant = facts.vacant
    v_zone = vacant["zone_pos"].to_numpy()
    v_ids = vacant[s.PARCEL_ID].astype(str).to_numpy(dtype=object)
    v_dist = vacant[s.CHAIN_DISTANCE_M].to_numpy(float)
    v_prod = vacant["producer_index"].to_numpy()
    zone_findings: dict[int, Finding] = {}

    def zone_finding(z: int) -> Finding:
        in_zone = np.flatnonzero(v_zone == z)
        zone = facts.zone_labels[z]
        if len(facts.producers) == 0:
            text = (
                _ZONE_NO_PRODUCER.en.format(no_producer=no_producer[0]),
                _ZONE_NO_PRODUCER.zh.format(no_producer=no_producer[1]),
            )
            return finding(WARN, Reason.NO_PRODUCER, text, None)
        if len(in_zone) == 0:
            return finding(WARN, Reason.NO_VACANT_LAND, _ZONE_NO_VACANT.both(zone=zone), None)
        best = in_zone[np.argmin(v_dist[in_zone])]
        origin = _NEAREST_VACANT.both(zone=zone, parcel=v_ids[best])
        d = float(v_dist[best])
        code, reason, text = judged(d, origin, int(v_prod[best]))
        return finding(code, reason, text, round_or_none(d, 1))

    def over_zone(z: int, c: int) -> Finding:
        # one finding per zone, shared by every consumer code
        if z not in zone_findings:
            zone_findings[z] = zone_finding(z)
        return zone_findings[z]

    return [site_else_vacant_land(batch, facts.n_zones, consumer, at_site, over_zone)]


def _thresholds(rulebook: Rulebook) -> list[Threshold]:
    chain = rulebook.chain
    return [Threshold("chain.max_distance_m", chain.max_distance_m, "m", False, chain.source)]


RULE: Final = Rule(
    id=FitRule.CHAIN.value,
    title=N_("Distance to a molten-aluminium producer (advisory)"),
    reads=("chain.product", "chain.max_distance_m", "industries.produces", "industries.consumes"),
    evaluate=chain_rule,
    thresholds=_thresholds,
)
