"""The fit-check rules: does a project fit a zone, and exactly why not.

:func:`check` takes a park and a table of proposed projects and returns one row per
(project, zone) considered, with a verdict and the findings that explain it. Every finding
names its rule, its status (``pass``, ``warn``, ``fail``) and machine-readable ``reason``,
its message in English and Chinese (``message``, ``message_zh``), the measured and the
required value with their unit, and the source of the threshold. Thresholds come only from
the park's rulebook and layers; a threshold the rulebook does not mark ``binding`` yields a
warning, never a hard failure, and a value the project does not give yields a warning with
reason ``not_provided``, never a silent pass.

One module per rule group, each documented in its docstring (``zoning rules ID`` prints it),
listed in the order of the findings by the registry, :data:`RULES`. The shared parts:
:mod:`~zoning.rules.base` (rule record, findings, status codes, the outcome helpers),
:mod:`~zoning.rules.facts` (what a check needs from the park), :mod:`~zoning.rules.batch`
(the pairs), :mod:`~zoning.rules.registry` (the ordered :data:`RULES`) and
:mod:`~zoning.rules.driver` (the driver).

Verdict: any ``fail`` gives ``does_not_fit``; otherwise any ``warn`` (which includes a
conditional industry) gives ``conditional``; otherwise ``fits``. A row that could not be
checked (bad input) has verdict ``error``, zone ``""`` and findings of rule ``input``.

Examples
--------
>>> import pandas as pd
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0], "wastewater_tpd": [5.0]})
>>> result = check(two_zone_park(), projects)
>>> result[["zone_id", "verdict", "best"]].values.tolist()
[['a', 'fits', True], ['b', 'does_not_fit', False]]
>>> [f["rule"] for f in result.loc[1, "findings"] if f["status"] == "fail"]
['industry', 'land_use_class']
>>> subset = [RULES_BY_ID["industry"]]
>>> check(two_zone_park(), projects, rules=subset)["verdict"].tolist()
['fits', 'does_not_fit']
"""

from zoning.rules.base import Finding, Reason, Rule, Threshold
from zoning.rules.driver import RESULT_COLUMNS, check
from zoning.rules.facts import ParkFacts, build_park_facts
from zoning.rules.records import RECORD_KEYS, rules_with_status, to_feature_collection, to_records
from zoning.rules.registry import RULES, RULES_BY_ID
from zoning.rules.table import FindingsView, findings_table

__all__ = [
    "RECORD_KEYS",
    "RESULT_COLUMNS",
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "FindingsView",
    "ParkFacts",
    "Reason",
    "Rule",
    "Threshold",
    "build_park_facts",
    "check",
    "findings_table",
    "rules_with_status",
    "to_feature_collection",
    "to_records",
]
