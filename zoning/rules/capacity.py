"""``capacity.<name>``: the wastewater and power capacity left for the project.

**Checks** the project's demand (``wastewater_tpd``, ``power_mw``: any rulebook capacity
whose name is a project column) against what is left of the rulebook's capacity after the
developed and committed parcels' demand (``required`` is what is left).

**Why**: a plant the wastewater works or the substations cannot serve cannot open, whatever
its zone.

**Fails** when the demand exceeds what is left and the capacity is ``binding``; **warns**
when it is advisory, and when the project does not give its demand (``not_provided``).
Each project is checked on its own against the remainder: the projects of one batch are
not added up (they compete for it; the sequencer allocates).

**Reads**: the rulebook's ``capacities`` (``value``, ``unit``, ``binding``, ``confidence``,
``source``); the parcels' ``wastewater_tpd`` and ``power_mw``.

Examples
--------
>>> import pandas as pd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0], "wastewater_tpd": [120.0]})
>>> result = check(two_zone_park(), projects, rules=[RULES_BY_ID["capacity"]])
>>> f = result.findings[0][0]
>>> f["rule"], f["status"], f["reason"], f["required"]
('capacity.wastewater_tpd', 'fail', 'above_capacity', 100.0)
>>> f["message_zh"]
'废水排放量 120.0 t/d，超出剩余容量 100.0 t/d（总量 100 t/d，现状及已批地块占用 0.0 t/d）20.0 t/d'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from zoning import schema as s
from zoning._types import Bools, Floats, fmt_num
from zoning.i18n import N_, translate
from zoning.rulebook import Rulebook
from zoning.rules.base import (
    WARN,
    Formatter,
    Outcome,
    Reason,
    Rows,
    Rule,
    Template,
    Threshold,
    judge,
    round_or_none,
    rule_source,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts

CAPACITY_LABELS: Final = {s.WASTEWATER_TPD: N_("wastewater"), s.POWER_MW: N_("power demand")}

_BUDGET: Final = Template(
    N_(
        "the {left} {unit} left of {total} {unit} ({used} {unit} taken by developed and "
        "committed parcels)"
    )
)
_NOT_PROVIDED: Final = Template(
    N_("{key} not provided: the project's {label} cannot be checked against {budget}")
)
_WITHIN: Final = Template(N_("{label} {demand} {unit} fits within {budget}"))
_EXCEEDS: Final = Template(N_("{label} {demand} {unit} exceeds {budget} by {over} {unit}"))


@dataclass(frozen=True)
class _Demands:
    """The demands of the projects on one capacity, from which their messages are made."""

    measured: Floats
    ok: Bools
    texts: tuple[tuple[Formatter, Formatter], tuple[Formatter, Formatter]]
    not_provided: tuple[str, str]
    words: tuple[tuple[str, str], tuple[str, str]]  # the label and the budget, both languages
    unit: str
    left: float

    def render(self, p: int) -> tuple[str, str]:
        """Return the messages of project ``p`` in English and Chinese."""
        d = float(self.measured[p])
        if d != d:  # no value given
            return self.not_provided
        (label, budget), o = self.words, bool(self.ok[p])
        en, zh = self.texts[o]
        demand_text, over = f"{d:,.1f}", "" if o else f"{d - self.left:,.1f}"
        return (
            en(label[0], demand_text, self.unit, budget[0], over),
            zh(label[1], demand_text, self.unit, budget[1], over),
        )


def capacity_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``capacity.<name>`` for each rulebook capacity the projects table has a column of."""
    proj = batch.projects
    out = []
    for key, (capacity, used, left) in facts.remaining.items():
        if key not in proj.columns:
            continue
        rule = f"capacity.{key}"
        label_en = CAPACITY_LABELS.get(key, key)
        label = (label_en, translate(label_en, "zh"))
        demand = proj[key].to_numpy(float)
        provided = ~np.isnan(demand)
        ok = demand <= left
        status = np.where(provided, judge(ok, capacity.binding), WARN).astype(np.int8)
        source = rule_source(
            capacity.source, f"capacities.{key}", capacity.confidence, capacity.binding
        )
        unit = capacity.unit
        budget = _BUDGET.both(
            left=fmt_num(left, 1), unit=unit, total=fmt_num(capacity.value), used=fmt_num(used, 1)
        )
        left_r = round_or_none(left, 3)
        not_provided = (
            _NOT_PROVIDED.en.format(key=key, label=label[0], budget=budget[0]),
            _NOT_PROVIDED.zh.format(key=key, label=label[1], budget=budget[1]),
        )
        names = ("label", "demand", "unit", "budget", "over")
        demands = _Demands(
            np.round(demand, 3),
            ok,
            (_EXCEEDS.compiled(*names), _WITHIN.compiled(*names)),
            not_provided,
            (label, budget),
            unit,
            left,
        )
        reasons = (
            Reason.NOT_PROVIDED.value,
            Reason.ABOVE_CAPACITY.value,
            Reason.WITHIN_CAPACITY.value,
        )
        rows = Rows(
            rule,
            status,
            np.where(provided, np.where(ok, 2, 1), 0).astype(np.int8),
            reasons,
            demands.measured,
            np.full(len(proj), np.nan if left_r is None else left_r),
            unit,
            source,
            demands.render,
        )
        out.append(Outcome(status[batch.pp], batch.pp, rows))
    return out


def _thresholds(rulebook: Rulebook) -> list[Threshold]:
    return [
        Threshold(f"capacities.{k}", c.value, c.unit, c.binding, c.source)
        for k, c in rulebook.capacities.items()
    ]


RULE: Final = Rule(
    id="capacity",
    title=N_("Wastewater and power capacity left"),
    reads=("capacities", "parcels.wastewater_tpd", "parcels.power_mw"),
    evaluate=capacity_rule,
    thresholds=_thresholds,
)
