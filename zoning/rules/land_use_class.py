"""``land_use_class``: the zone admits the nuisance class of land the industry needs.

**Checks** the nuisance class of the land-use class the industry needs (the rulebook
industry's ``land_use_code``: ``100101``/``100102``/``100103`` class-1/2/3 industrial land,
or the logistics classes ``1101xx``) against the zone's ``max_industrial_class``.

**Why**: the 2023 land-use classification (用地用海分类, 自然资发〔2023〕234号) grades
industrial land by its nuisance to the surroundings; a zone planned for class-2 industry
cannot take a class-3 plant. Class-3 industry is never admitted in an industry-city
integration area (产城融合区): a zone whose permitted list admits homes, schools, clinics or
care homes, whatever its class.

**Fails** when the class is above the zone's, or class 3 in an integration area. Uses that
are not industrial or logistics land **pass** here (the finding says so): whether they belong
in the zone is the ``industry`` rule's question. Evaluated once per (zone, industry code).

**Reads**: the rulebook's ``industries.land_use_code`` and ``industries.land_use_basis``;
the zones layer (``max_industrial_class``, ``permitted``).

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0]})
>>> result = check(two_zone_park(), projects, rules=[RULES_BY_ID["land_use_class"]])
>>> [(z, f[0]["status"], f[0]["reason"]) for z, f in zip(result.zone_id, result.findings)]
[('a', 'pass', 'class_admitted'), ('b', 'fail', 'class_above_zone')]
>>> result.findings[1][0]["message_zh"]
'需要 100102 二类工业用地，但分区 b 乙 最多只允许 100101 一类工业用地'
"""

from __future__ import annotations

from typing import Final

import numpy as np

from zoning import landuse
from zoning import schema as s
from zoning.i18n import N_
from zoning.rules.base import (
    FAIL,
    PASS,
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
from zoning.rules.facts import ParkFacts, land_use_label_zh
from zoning.schema import FitRule

LAND_USE_SOURCE: Final = "用地用海分类 自然资发〔2023〕234号; zones layer: max_industrial_class"

_NOT_INDUSTRIAL: Final = Template(
    N_(
        "{needs} is not an industrial or logistics class, so no nuisance class applies; "
        "whether it belongs in the zone is decided by the industry rule"
    )
)
_CLASS3_INTEGRATION: Final = Template(
    N_(
        "class-3 industry ({needs}) is never admitted in zone {zone}, an industry-city "
        "integration area ({evidence})"
    )
)
_ABOVE: Final = Template(N_("needs {needs}, but zone {zone} admits at most {zone_class}"))
_ADMITTED: Final = Template(N_("needs {needs}; zone {zone} admits up to {zone_class}"))


def _judge_class(
    level: int | None, zone_level: int, evidence: tuple[str, ...]
) -> tuple[int, Reason, Template]:
    if level is None:
        return PASS, Reason.NOT_INDUSTRIAL, _NOT_INDUSTRIAL
    if level == 3 and evidence:
        return FAIL, Reason.CLASS3_IN_INTEGRATION_AREA, _CLASS3_INTEGRATION
    if level > zone_level:
        return FAIL, Reason.CLASS_ABOVE_ZONE, _ABOVE
    return PASS, Reason.CLASS_ADMITTED, _ADMITTED


def land_use_class_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``land_use_class``, evaluated once per (zone, code)."""
    zones = facts.park.zones
    status: list[int] = []
    findings: list[Finding | None] = []
    for z in range(facts.n_zones):
        zone_level = int(facts.zone_max_level[z])
        zone_class = str(zones.iloc[z][s.MAX_INDUSTRIAL_CLASS])
        evidence = facts.zone_sensitive[z]
        for industry in batch.industries:
            level = landuse.nuisance_level(industry.land_use_code)
            code_, reason, template = _judge_class(level, zone_level, evidence)
            message = template.both(
                needs=Words(
                    landuse.label(industry.land_use_code),
                    land_use_label_zh(industry.land_use_code),
                ),
                zone=facts.zone_labels[z],
                zone_class=Words(landuse.label(zone_class), land_use_label_zh(zone_class)),
                evidence="; ".join(evidence),
            )
            basis = industry.land_use_basis or industry.source
            status.append(code_)
            findings.append(
                make_finding(
                    FitRule.LAND_USE_CLASS,
                    code_,
                    reason,
                    message,
                    level if level is not None else industry.land_use_code,
                    zone_level,
                    "nuisance class (1-3)",
                    f"{LAND_USE_SOURCE}; industry class: {basis}",
                )
            )
    return [per_zone_code(batch, np.array(status, dtype=np.int8), findings)]


RULE: Final = Rule(
    id=FitRule.LAND_USE_CLASS.value,
    title=N_("Nuisance class of the land admitted by the zone"),
    reads=("industries.land_use_code", "zones.max_industrial_class", "zones.permitted"),
    evaluate=land_use_class_rule,
)
