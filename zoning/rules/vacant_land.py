"""``land.vacant``: the zone has the vacant land a project without a site needs.

**Checks**, for a project without a site, the zone's vacant land (the sum of its vacant
parcels' ``area_mu``) against the land the project needs (``area_mu``).

**Why**: a zone that admits the industry but has no land left cannot take the project; the
candidate sites (:func:`zoning.siting.propose_sites`) then say whether that land is
contiguous.

**Fails** when the zone has less vacant land than needed. Projects with a site get no
finding (the ``site.*`` rules speak for them).

**Reads**: the parcels layer (``status``, ``area_mu``); no rulebook threshold.

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [400.0]})
>>> result = check(two_zone_park(), projects, rules=[RULES_BY_ID["land.vacant"]])
>>> result.findings[0][0]["message"]
'no site given: zone a 甲 has only 375 mu of vacant land, 25 mu short of the 400.0 mu needed'
>>> result.findings[0][0]["message_zh"]
'未给出场地：分区 a 甲 仅有 375 亩空闲用地，比所需 400.0 亩少 25 亩'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from zoning import schema as s
from zoning._types import Codes, Floats, IntArray, Objects
from zoning.i18n import N_
from zoning.rules.base import (
    FAIL,
    NA,
    PASS,
    Formatter,
    Outcome,
    Reason,
    Rows,
    Rule,
    Template,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.schema import FitRule

_ENOUGH: Final = Template(
    N_(
        "no site given: zone {zone} has {area} mu of vacant land for the {need} mu needed (see "
        "the candidate sites for contiguous land)"
    )
)
_SHORT: Final = Template(
    N_(
        "no site given: zone {zone} has only {area} mu of vacant land, {short} mu short of the "
        "{need} mu needed"
    )
)
_SOURCE: Final = "parcels layer: vacant parcels of the zone"


def vacant_land_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``land.vacant``, per pair of a project without a site."""
    vacant = facts.vacant
    zone_mu = np.bincount(
        vacant["zone_pos"].clip(lower=0).to_numpy(),
        weights=vacant[s.AREA_MU].to_numpy(float) * (vacant["zone_pos"].to_numpy() >= 0),
        minlength=facts.n_zones,
    )
    need = batch.projects[s.AREA_MU].to_numpy(float)[batch.pp]
    avail = zone_mu[batch.pz]
    siteless = ~batch.has_site[batch.pp]
    status = np.where(siteless, np.where(avail >= need, PASS, FAIL), NA).astype(np.int8)
    zone_mu_r: Floats = np.round(zone_mu, 1).astype(np.float64)
    need_r = np.round(need, 2)
    land = _Land(
        batch.pz,
        zone_mu_r,
        [f"{a:,.0f}" for a in zone_mu_r.tolist()],
        need_r,
        status,
        facts.zone_labels,
        (
            _ENOUGH.compiled("zone", "area", "need", "short"),
            _SHORT.compiled("zone", "area", "need", "short"),
        ),
    )
    rows = Rows(
        str(FitRule.VACANT_LAND),
        status,
        (status != PASS).astype(np.int8),
        (Reason.ENOUGH_VACANT_LAND.value, Reason.NOT_ENOUGH_VACANT_LAND.value),
        zone_mu_r[batch.pz],
        need_r,
        "mu",
        _SOURCE,
        land.render,
    )
    return [Outcome(status, np.arange(batch.n_pairs), rows)]


@dataclass(frozen=True)
class _Land:
    """The vacant land of each pair's zone and the land the project needs, per pair."""

    pz: IntArray
    zone_mu: Floats
    zone_mu_text: list[str]
    need: Floats
    status: Codes
    zone_labels: Objects
    texts: tuple[tuple[Formatter, Formatter], tuple[Formatter, Formatter]]

    def render(self, k: int) -> tuple[str, str]:
        """Return the messages of pair ``k`` in English and Chinese."""
        z = int(self.pz[k])
        a, area, nd = float(self.zone_mu[z]), self.zone_mu_text[z], float(self.need[k])
        zone, need_text = self.zone_labels[z], f"{nd:,.1f}"
        if self.status[k] == PASS:
            en, zh = self.texts[0]
            return en(zone, area, need_text, ""), zh(zone, area, need_text, "")
        en, zh = self.texts[1]
        short = f"{nd - a:,.0f}"
        return en(zone, area, need_text, short), zh(zone, area, need_text, short)


RULE: Final = Rule(
    id=FitRule.VACANT_LAND.value,
    title=N_("Vacant land in the zone (projects without a site)"),
    reads=("parcels.status", "parcels.area_mu"),
    evaluate=vacant_land_rule,
)
