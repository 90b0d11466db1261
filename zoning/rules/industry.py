"""``industry``: the project's industry is admitted in the zone.

**Checks** the project's GB/T 4754-2017 industry code against the zone's ``permitted``,
``conditional`` and ``prohibited`` lists of code prefixes (zones layer). The most specific
(longest) matching prefix decides; at equal length the stricter list wins (prohibited over
conditional over permitted). The message names the prefix that decided.

**Why**: the zones' industry lists are the park's positioning (产业定位) of each area.

**Fails** when the industry is prohibited, or listed in neither the permitted nor the
conditional list; **warns** when it is conditional (admitted on conditions set by the park
administration). Evaluated once per (zone, industry code).

**Reads**: the zones layer (``permitted``, ``conditional``, ``prohibited``) and the
rulebook's ``industries`` (names of the code).

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0]})
>>> result = check(two_zone_park(), projects, rules=[RULES_BY_ID["industry"]])
>>> [(z, f[0]["status"], f[0]["reason"]) for z, f in zip(result.zone_id, result.findings)]
[('a', 'pass', 'permitted'), ('b', 'fail', 'prohibited_industry')]
>>> result.findings[1][0]["message"]
"3252 铝压延加工 Aluminium rolling is prohibited in zone b 乙 (prefix '3' of the prohibited list)"
>>> result.findings[1][0]["message_zh"]
'3252 铝压延加工 在分区 b 乙 中禁止（禁止清单前缀“3”）'
>>> match_industry("3252", permitted=["325"], conditional=[], prohibited=["3"])
('permitted', '325')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from zoning import schema as s
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
    per_zone_code,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.schema import FitRule

ZONES_SOURCE: Final = "zones layer: permitted / conditional / prohibited industry lists"

#: (status code, reason, message) per outcome of :func:`match_industry`
_OUTCOMES: Final = {
    s.PERMITTED: (
        PASS,
        Reason.PERMITTED,
        Template(
            N_("{what} is permitted in zone {zone} (prefix '{prefix}' of the permitted list)")
        ),
    ),
    s.CONDITIONAL: (
        WARN,
        Reason.CONDITIONAL_INDUSTRY,
        Template(
            N_(
                "{what} is conditional in zone {zone} (prefix '{prefix}' of the conditional "
                "list): admitted only on conditions set by the park administration"
            )
        ),
    ),
    s.PROHIBITED: (
        FAIL,
        Reason.PROHIBITED_INDUSTRY,
        Template(
            N_("{what} is prohibited in zone {zone} (prefix '{prefix}' of the prohibited list)")
        ),
    ),
    "not listed": (
        FAIL,
        Reason.NOT_LISTED,
        Template(
            N_(
                "{what} is not listed in zone {zone}: no prefix of its permitted or "
                "conditional lists matches"
            )
        ),
    ),
}


def match_industry(
    code: str,
    *,
    permitted: Sequence[str],
    conditional: Sequence[str],
    prohibited: Sequence[str],
) -> tuple[str, str]:
    """Return how a zone's lists treat an industry code, and the prefix that decided it.

    The most specific (longest) matching prefix wins; at equal length the stricter list
    wins (prohibited over conditional over permitted).

    Returns
    -------
    tuple of str
        (``"permitted"``, ``"conditional"``, ``"prohibited"`` or ``"not listed"``, prefix);
        the prefix is ``""`` when nothing matched.

    Examples
    --------
    >>> match_industry("3252", permitted=["325"], conditional=[], prohibited=["3"])
    ('permitted', '325')
    >>> match_industry("1351", permitted=["13"], conditional=["1351"], prohibited=[])
    ('conditional', '1351')
    >>> match_industry("7010", permitted=["52"], conditional=[], prohibited=[])
    ('not listed', '')
    """
    best = ("not listed", "")
    best_key = (-1, -1)
    for strictness, (category, prefixes) in enumerate(
        ((s.PERMITTED, permitted), (s.CONDITIONAL, conditional), (s.PROHIBITED, prohibited))
    ):
        for prefix in prefixes:
            key = (len(prefix), strictness)
            if code.startswith(prefix) and key > best_key:
                best, best_key = (category, prefix), key
    return best


def industry_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``industry``, evaluated once per (zone, code)."""
    zones = facts.park.zones
    status: list[int] = []
    findings: list[Finding | None] = []
    for z in range(facts.n_zones):
        row = zones.iloc[z]
        lists = {k: [str(p) for p in row[k]] for k in (s.PERMITTED, s.CONDITIONAL, s.PROHIBITED)}
        source = f"{ZONES_SOURCE} (zone {facts.zone_ids[z]}); most specific prefix wins"
        for code, industry in zip(batch.codes, batch.industries, strict=True):
            category, prefix = match_industry(
                code,
                permitted=lists[s.PERMITTED],
                conditional=lists[s.CONDITIONAL],
                prohibited=lists[s.PROHIBITED],
            )
            code_, reason, template = _OUTCOMES[category]
            message = template.both(
                what=Words(
                    f"{code} {industry.name_zh} {industry.name_en}", f"{code} {industry.name_zh}"
                ),
                zone=facts.zone_labels[z],
                prefix=prefix,
            )
            status.append(code_)
            findings.append(
                make_finding(
                    FitRule.INDUSTRY,
                    code_,
                    reason,
                    message,
                    category,
                    f"{s.PERMITTED} or {s.CONDITIONAL}",
                    None,
                    source,
                )
            )
    return [per_zone_code(batch, np.array(status, dtype=np.int8), findings)]


RULE: Final = Rule(
    id=FitRule.INDUSTRY.value,
    title=N_("Industry admitted in the zone"),
    reads=("zones.permitted", "zones.conditional", "zones.prohibited", "industries"),
    evaluate=industry_rule,
)
