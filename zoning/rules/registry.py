"""The registry of fit rules: every rule the check runs, in the order of its findings.

Adding a rule is one new module (its docstring is its documentation, its ``RULE`` the
record), one line here and one test file. The order is the order of the findings in each
result row.

>>> [r.id for r in RULES][:3]
['industry', 'land_use_class', 'land.vacant']
>>> RULES_BY_ID["health_distance"].title
'Health-protection distance of a new plant from sensitive uses'
"""

from __future__ import annotations

from typing import Final

from zoning.rules import (
    capacity,
    chain,
    health_distance,
    industry,
    intensity,
    land_use_class,
    non_production,
    sensitive_use,
    site,
    vacant_land,
    zone_request,
)
from zoning.rules.base import Rule

#: every rule, in the order of the findings of a result row
RULES: Final[tuple[Rule, ...]] = (
    industry.RULE,
    land_use_class.RULE,
    vacant_land.RULE,
    zone_request.RULE,
    *site.RULES,
    non_production.RULE,
    health_distance.RULE,
    chain.RULE,
    sensitive_use.RULE,
    *intensity.RULES,
    capacity.RULE,
)
#: the rules by id
RULES_BY_ID: Final = {rule.id: rule for rule in RULES}


def rule_for(rule_id: str) -> Rule | None:
    """Return the registered rule that makes findings of ``rule_id``, if any.

    An exact id wins; otherwise the rule whose id is the longest ``<id>.`` prefix
    (``capacity.wastewater_tpd`` is a finding of ``capacity``).

    Examples
    --------
    >>> rule_for("capacity.power_mw").id, rule_for("health_distance.sensitive_use").id
    ('capacity', 'health_distance.sensitive_use')
    >>> rule_for("site.slope") is None
    True
    """
    if rule_id in RULES_BY_ID:
        return RULES_BY_ID[rule_id]
    groups = [r for r in RULES if rule_id.startswith(r.id + ".")]
    return max(groups, key=lambda r: len(r.id)) if groups else None
