"""``zone.requested``: the row is the zone the applicant asked for.

**Checks** the project's ``requested_zone`` (a ``zone_id``, optional) against the zone of
each row.

**Why**: the applicant's choice matters to the park (it breaks a tie between zones that
fit equally well), and a site drawn in another zone than the one asked for is worth a
second look.

**Passes** on the requested zone; **warns** when a site lies in another zone. A project
without a site and without a request gets no finding; a project without a site gets none
on the zones it did not ask for (every zone is considered for it).

**Reads**: the projects' ``requested_zone``; no rulebook threshold.

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [40.0], "requested_zone": ["b"]})
>>> result = check(two_zone_park(), projects, rules=[RULES_BY_ID["zone.requested"]])
>>> result.findings.tolist()[1][0]["message_zh"]
'申请人申请的分区为 b'
"""

from __future__ import annotations

from typing import Final

import numpy as np

from zoning import schema as s
from zoning.i18n import N_
from zoning.rules.base import (
    NA,
    PASS,
    WARN,
    Finding,
    Outcome,
    Reason,
    Rule,
    Template,
    make_finding,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.schema import FitRule

_HERE: Final = Template(N_("the applicant requested zone {zone}"))
_ELSEWHERE: Final = Template(
    N_("the site lies in zone {zone}, but the applicant requested zone {requested}")
)


def requested_zone_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``zone.requested``, per pair."""
    requested = batch.projects[s.REQUESTED_ZONE].to_numpy(dtype=object)[batch.pp]
    zone_of_pair = facts.zone_ids[batch.pz]
    asked = requested != ""
    here = asked & (requested == zone_of_pair)
    elsewhere = asked & ~here & batch.has_site[batch.pp]
    status = np.where(here, PASS, np.where(elsewhere, WARN, NA)).astype(np.int8)
    findings: list[Finding | None] = [None] * batch.n_pairs
    for k in np.flatnonzero(here | elsewhere).tolist():
        if here[k]:
            reason, text = Reason.REQUESTED_ZONE, _HERE.both(zone=zone_of_pair[k])
        else:
            reason = Reason.OTHER_ZONE_REQUESTED
            text = _ELSEWHERE.both(zone=zone_of_pair[k], requested=requested[k])
        findings[k] = make_finding(
            FitRule.REQUESTED_ZONE,
            int(status[k]),
            reason,
            text,
            zone_of_pair[k],
            requested[k],
            None,
            "project requested_zone",
        )
    return [Outcome(status, np.arange(batch.n_pairs), findings)]


RULE: Final = Rule(
    id=FitRule.REQUESTED_ZONE.value,
    title=N_("The zone the applicant asked for"),
    reads=("projects.requested_zone",),
    evaluate=requested_zone_rule,
)
