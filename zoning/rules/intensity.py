"""``intensity.*``: the control indicators of industrial land (工业项目建设用地控制指标).

**Checks**, per project, the indicator of each kind that the rulebook's
``indicator_for(kind, code)`` returns (the most specific ``applies_to`` prefix wins), for the
industries whose land use it applies to (``land_use_prefixes``, by default industrial land
``1001``):

- ``intensity.far`` floor-area ratio (容积率) ≥ minimum;
- ``intensity.building_coefficient`` building coefficient (建筑系数) ≥ minimum;
- ``intensity.admin_share`` administration and living share ≤ maximum;
- ``intensity.green_ratio`` green ratio (绿地率) ≤ maximum;
- ``intensity.investment_per_mu``, ``.output_per_mu``, ``.tax_per_mu``: ``investment_wan``,
  ``output_wan``, ``tax_wan`` divided by the land (the site's area, else ``area_mu``), in
  万元/亩, ≥ minimum.

**Why**: the national control indicators keep industrial land used intensively (节约集约用地);
the park's rulebook carries their values, sources and force.

**Fails** below a minimum / above a maximum when the indicator is ``binding``; **warns**
when it is advisory (the rulebook's default for values from secondary copies), and when the
project does not give the value (``reason`` ``not_provided``, never a silent pass).

**Reads**: the rulebook's ``indicators`` (``kind``, ``value``, ``unit``, ``applies_to``,
``land_use_prefixes``, ``binding``, ``confidence``, ``source``).

Examples
--------
>>> import pandas as pd
>>> from zoning.rulebook import build_rulebook
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import two_zone_park
>>> park = two_zone_park()
>>> rb = park.rulebook.model_copy(update={"indicators": build_rulebook({
...     "rulebook": {"park_id": "d", "name": "D", "version": "1"},
...     "indicators": [{"id": "far_min.32", "kind": "far_min", "value": 0.6, "unit": "ratio",
...                     "applies_to": ["32"], "confidence": "secondary", "source": "2008"}],
... }).indicators})
>>> from dataclasses import replace
>>> projects = pd.DataFrame({"project_id": ["P1", "P2"], "industry_code": ["3252"] * 2,
...     "area_mu": [50.0] * 2, "far": [0.4, None]})
>>> result = check(replace(park, rulebook=rb), projects, rules=[RULES_BY_ID["intensity.far"]])
>>> [f[0]["reason"] for f in result[result.zone_id == "a"].findings]
['below_minimum', 'not_provided']
>>> result.findings[0][0]["message"]
'floor-area ratio (容积率) 0.40 is below the minimum 0.60 by 0.20 (33%)
(advisory threshold: a warning)'
>>> result.findings[0][0]["message_zh"]
'容积率 0.40，低于下限 0.60，相差 0.20（33%）（建议性指标：不符合时仅警告）'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np

from zoning import schema as s
from zoning._types import Bools, Floats, IntArray
from zoning.i18n import N_, translate
from zoning.rulebook import Indicator, IndicatorKind, Rulebook
from zoning.rules.base import (
    NA,
    WARN,
    Finding,
    Formatter,
    Outcome,
    Reason,
    Rows,
    Rule,
    Template,
    Threshold,
    compile_template,
    judge,
    make_finding,
    rule_source,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.schema import FitRule

#: the rule, project column and label of each control indicator
INTENSITY_RULES: Final = {
    IndicatorKind.FAR_MIN: (FitRule.FAR, s.FAR, N_("floor-area ratio (容积率)")),
    IndicatorKind.BUILDING_COEFFICIENT_MIN: (
        FitRule.BUILDING_COEFFICIENT,
        s.BUILDING_COEFFICIENT,
        N_("building coefficient (建筑系数)"),
    ),
    IndicatorKind.ADMIN_SHARE_MAX: (
        FitRule.ADMIN_SHARE,
        s.ADMIN_SHARE,
        N_("administration and living share (行政办公及生活服务设施用地比重)"),
    ),
    IndicatorKind.GREEN_RATIO_MAX: (
        FitRule.GREEN_RATIO,
        s.GREEN_RATIO,
        N_("green ratio (绿地率)"),
    ),
    IndicatorKind.INVESTMENT_PER_MU_MIN: (
        FitRule.INVESTMENT_PER_MU,
        s.INVESTMENT_WAN,
        N_("investment intensity (投资强度)"),
    ),
    IndicatorKind.OUTPUT_PER_MU_MIN: (
        FitRule.OUTPUT_PER_MU,
        s.OUTPUT_WAN,
        N_("output per mu (亩均产值)"),
    ),
    IndicatorKind.TAX_PER_MU_MIN: (FitRule.TAX_PER_MU, s.TAX_WAN, N_("tax per mu (亩均税收)")),
}
PER_MU_KINDS: Final = frozenset(
    {
        IndicatorKind.INVESTMENT_PER_MU_MIN,
        IndicatorKind.OUTPUT_PER_MU_MIN,
        IndicatorKind.TAX_PER_MU_MIN,
    }
)
SHARE_KINDS: Final = frozenset(
    {
        IndicatorKind.BUILDING_COEFFICIENT_MIN,
        IndicatorKind.ADMIN_SHARE_MAX,
        IndicatorKind.GREEN_RATIO_MAX,
    }
)
_TITLES: Final = {
    IndicatorKind.FAR_MIN: N_("Minimum floor-area ratio"),
    IndicatorKind.BUILDING_COEFFICIENT_MIN: N_("Minimum building coefficient"),
    IndicatorKind.ADMIN_SHARE_MAX: N_("Maximum administration and living share"),
    IndicatorKind.GREEN_RATIO_MAX: N_("Maximum green ratio"),
    IndicatorKind.INVESTMENT_PER_MU_MIN: N_("Minimum investment per mu"),
    IndicatorKind.OUTPUT_PER_MU_MIN: N_("Minimum output per mu"),
    IndicatorKind.TAX_PER_MU_MIN: N_("Minimum tax per mu"),
}

# numbers are formatted once per row (measured, given, land, points) and shared by both
# languages: "{measured}" is "1.20", "35%" or "312.5" as the kind of indicator has it
_HEAD_PER_MU: Final = Template(N_("{label}: {given} 万元 on {land} mu = {measured} {unit}"))
_HEAD_VALUE: Final = Template(N_("{label} {measured}"))
_MEETS: Final = {
    True: Template(N_("{head} meets the minimum {threshold}")),
    False: Template(N_("{head} meets the maximum {threshold}")),
}
_MISSES: Final = {
    True: Template(N_("{head} is below the minimum {threshold} by {gap} ({rel}){advisory}")),
    False: Template(N_("{head} is above the maximum {threshold} by {gap} ({rel}){advisory}")),
}
_NOT_PROVIDED: Final = {
    True: Template(
        N_("{column} not provided: the {label} minimum {threshold} ({ident}) cannot be checked")
    ),
    False: Template(
        N_("{column} not provided: the {label} maximum {threshold} ({ident}) cannot be checked")
    ),
}
_POINTS: Final = Template(N_("{points} points"))
_ADVISORY: Final = Template(N_(" (advisory threshold: a warning)"))


def _show(x: float, unit: str, kind: IndicatorKind) -> str:
    if kind in SHARE_KINDS:
        return f"{x:.0%}"
    return f"{x:,.1f} {unit}" if kind in PER_MU_KINDS else f"{x:.2f}"


def _indicator_table(
    batch: Batch, kind: IndicatorKind, rulebook: Rulebook
) -> list[Indicator | None]:
    """Per industry code of the batch: the indicator of ``kind`` that applies, if any."""
    out: list[Indicator | None] = []
    for code, industry in zip(batch.codes, batch.industries, strict=True):
        ind = rulebook.indicator_for(kind, code)
        if ind is not None and not industry.land_use_code.startswith(tuple(ind.land_use_prefixes)):
            ind = None
        out.append(ind)
    return out


@dataclass(frozen=True)
class _Texts:
    """The message templates of one indicator, composed once: one ``format`` per message.

    The head (what was measured), the threshold, the label and the advisory note are filled
    in when the templates are composed; a row fills only its own values.
    """

    meets: tuple[Formatter, Formatter]
    misses: tuple[Formatter, Formatter]

    @classmethod
    def compose(cls, kind: IndicatorKind, ind: Indicator, label: tuple[str, str]) -> _Texts:
        """Compose the templates of ``ind`` in both languages."""
        head = _HEAD_PER_MU if kind in PER_MU_KINDS else _HEAD_VALUE
        threshold = _show(ind.value, ind.unit, kind)
        advisory = ("", "") if ind.binding else (_ADVISORY.en, _ADVISORY.zh)
        gap = (_POINTS.en, _POINTS.zh) if kind in SHARE_KINDS else ("{gap}", "{gap}")
        meets, misses = _MEETS[kind.is_minimum], _MISSES[kind.is_minimum]

        def fill(template: str, lang: int) -> str:
            text = template.replace("{head}", (head.en, head.zh)[lang])
            text = text.replace("{gap}", gap[lang]).replace("{advisory}", advisory[lang])
            return text.replace("{label}", label[lang]).replace("{threshold}", threshold)

        names = ("measured", "given", "land", "unit", "gap", "points", "rel")
        return cls(
            (
                compile_template(fill(meets.en, 0), names),
                compile_template(fill(meets.zh, 1), names),
            ),
            (
                compile_template(fill(misses.en, 0), names),
                compile_template(fill(misses.zh, 1), names),
            ),
        )


def _not_provided(
    kind: IndicatorKind, ind: Indicator, column: str, label: tuple[str, str]
) -> Finding:
    rule = INTENSITY_RULES[kind][0]
    message = _NOT_PROVIDED[kind.is_minimum]
    params = {"column": column, "threshold": _show(ind.value, ind.unit, kind), "ident": ind.id}
    text = (
        message.en.format(label=label[0], **params),
        message.zh.format(label=label[1], **params),
    )
    source = rule_source(ind.source, ind.id, ind.confidence, ind.binding)
    return make_finding(rule, WARN, Reason.NOT_PROVIDED, text, None, ind.value, ind.unit, source)


@dataclass(frozen=True)
class _Measured:
    """The values of one kind of indicator per project, from which its messages are made."""

    kind: IndicatorKind
    table: list[Indicator | None]
    texts: list[_Texts | None]
    code_index: IntArray
    measured: Floats
    given: Floats
    land_mu: Floats
    ok: Bools
    not_provided: list[tuple[str, str] | None]

    def render(self, p: int) -> tuple[str, str]:
        """Return the messages of project ``p`` in English and Chinese."""
        c = int(self.code_index[p])
        m = float(self.measured[p])
        if m != m:  # no value given: the shared message of the code
            missing = self.not_provided[c]
            assert missing is not None
            return missing
        ind, text = self.table[c], self.texts[c]
        assert ind is not None
        assert text is not None
        kind, u, v = self.kind, ind.unit, ind.value
        shares, per_mu = kind in SHARE_KINDS, kind in PER_MU_KINDS
        m_text = f"{m:.0%}" if shares else (f"{m:,.1f}" if per_mu else f"{m:.2f}")
        g_text, a_text = (
            (f"{float(self.given[p]):,.0f}", f"{float(self.land_mu[p]):,.1f}")
            if per_mu
            else ("", "")
        )
        if self.ok[p]:
            en, zh = text.meets
            gap = points = rel = ""
        else:
            en, zh = text.misses
            d = abs(m - v)
            gap = "" if shares else _show(d, u, kind)
            points = f"{d * 100:.0f}"
            rel = f"{d / v:.0%}" if v else "∞"
        return (
            en(m_text, g_text, a_text, u, gap, points, rel),
            zh(m_text, g_text, a_text, u, gap, points, rel),
        )


def indicator_outcome(facts: ParkFacts, batch: Batch, kind: IndicatorKind) -> list[Outcome]:
    """Return the outcome of one kind of control indicator (none when no code has one).

    One row of findings per project (:class:`~zoning.rules.base.Rows`); the messages are
    rendered when read.
    """
    rule, column, label_en = INTENSITY_RULES[kind]
    table = _indicator_table(batch, kind, facts.park.rulebook)
    if not any(t is not None for t in table):
        return []
    label = (label_en, translate(label_en, "zh"))
    proj = batch.projects
    land_mu: Floats = np.where(
        batch.has_site, proj[s.SITE_AREA_MU].to_numpy(float), proj[s.AREA_MU].to_numpy(float)
    )
    applies = np.array([t is not None for t in table])[batch.code_index]
    given = proj[column].to_numpy(float)
    measured = given / land_mu if kind in PER_MU_KINDS else given
    value = np.array([t.value if t else np.nan for t in table])[batch.code_index]
    binding = np.array([t.binding if t else False for t in table])[batch.code_index]
    provided = ~np.isnan(measured)
    ok = measured >= value if kind.is_minimum else measured <= value
    status = np.where(applies, np.where(provided, judge(ok, binding), WARN), NA).astype(np.int8)
    missing = [_not_provided(kind, ind, column, label) if ind else None for ind in table]
    sources = np.array(
        [rule_source(i.source, i.id, i.confidence, i.binding) if i else "" for i in table],
        dtype=object,
    )
    units = np.array([i.unit if i else "" for i in table], dtype=object)
    reasons = (
        Reason.NOT_PROVIDED.value,
        (Reason.BELOW_MINIMUM if kind.is_minimum else Reason.ABOVE_MAXIMUM).value,
        Reason.MEETS_THRESHOLD.value,
    )
    reason = np.where(provided, np.where(ok, 2, 1), 0).astype(np.int8)
    values = _Measured(
        kind,
        table,
        [_Texts.compose(kind, ind, label) if ind else None for ind in table],
        batch.code_index,
        np.where(provided, measured, np.nan),
        given,
        land_mu,
        ok,
        [(f[s.MESSAGE], f[s.MESSAGE_ZH]) if f else None for f in missing],
    )
    rows = Rows(
        str(rule),
        status,
        reason,
        reasons,
        np.round(values.measured, 3),
        value,
        units[batch.code_index],
        sources[batch.code_index],
        values.render,
    )
    return [Outcome(status[batch.pp], batch.pp, rows)]


def _evaluate(kind: IndicatorKind) -> Callable[[ParkFacts, Batch], list[Outcome]]:
    def evaluate(facts: ParkFacts, batch: Batch) -> list[Outcome]:
        return indicator_outcome(facts, batch, kind)

    evaluate.__doc__ = f"``{INTENSITY_RULES[kind][0]}``, per project."
    return evaluate


def _thresholds(kind: IndicatorKind) -> Callable[[Rulebook], list[Threshold]]:
    def thresholds(rulebook: Rulebook) -> list[Threshold]:
        return [
            Threshold(f"indicators.{i.id}", i.value, i.unit, i.binding, i.source)
            for i in rulebook.indicators
            if i.kind is kind
        ]

    return thresholds


#: one rule per kind of indicator, in the order of :data:`INTENSITY_RULES`
RULES: Final = tuple(
    Rule(
        id=rule.value,
        title=_TITLES[kind],
        reads=(f"indicators (kind = {kind.value})",),
        evaluate=_evaluate(kind),
        thresholds=_thresholds(kind),
    )
    for kind, (rule, _, _) in INTENSITY_RULES.items()
)
