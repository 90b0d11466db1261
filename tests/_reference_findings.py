"""Today's (eager) findings path, kept as the reference for the columnar findings table.

The per-row rules as they were before their findings became columns (every finding a dict
with both messages formatted at once) and the list-of-lists assembly of the driver. Used by
tests/test_findings_table.py only: the columnar form must give the same verdicts and findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from zoning import schema as s
from zoning._types import Codes, Floats, fmt_num
from zoning.i18n import translate
from zoning.rulebook import IndicatorKind
from zoning.rules import capacity as capacity_module
from zoning.rules import intensity, vacant_land
from zoning.rules.base import (
    FAIL,
    NA,
    PASS,
    STATUS_NAMES,
    WARN,
    Finding,
    Outcome,
    Reason,
    Rule,
    judge,
    make_finding,
    round_or_none,
    rule_source,
)
from zoning.rules.batch import Batch
from zoning.rules.capacity import _BUDGET, _EXCEEDS, _NOT_PROVIDED, _WITHIN, CAPACITY_LABELS
from zoning.rules.facts import ParkFacts
from zoning.rules.intensity import (
    INTENSITY_RULES,
    PER_MU_KINDS,
    SHARE_KINDS,
    _indicator_table,
    _not_provided,
    _show,
    _Texts,
)
from zoning.rules.registry import RULES
from zoning.rules.vacant_land import _ENOUGH, _SHORT, _SOURCE
from zoning.schema import FitRule


def indicator_outcome(facts: ParkFacts, batch: Batch, kind: IndicatorKind) -> list[Outcome]:
    """Return the outcome of one kind of control indicator (none when no code has one)."""
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
    # findings 0 .. len(table)-1: the shared finding of the projects that give no value
    findings: list[Finding | None] = [
        _not_provided(kind, ind, column, label) if ind else None for ind in table
    ]
    ref = batch.code_index.copy()
    rows = np.flatnonzero(applies & provided)
    ref[rows] = np.arange(len(findings), len(findings) + len(rows))
    texts = [_Texts.compose(kind, ind, label) if ind else None for ind in table]
    sources = [
        rule_source(ind.source, ind.id, ind.confidence, ind.binding) if ind else "" for ind in table
    ]
    reasons = (
        (Reason.BELOW_MINIMUM if kind.is_minimum else Reason.ABOVE_MAXIMUM).value,
        Reason.MEETS_THRESHOLD.value,
    )
    shares, per_mu = kind in SHARE_KINDS, kind in PER_MU_KINDS
    shown = "{:.0%}" if shares else ("{:,.1f}" if per_mu else "{:.2f}")
    rule_id = str(rule)
    for c, m, g, a, m_r, o, st in zip(
        batch.code_index[rows].tolist(),
        measured[rows].tolist(),
        given[rows].tolist(),
        land_mu[rows].tolist(),
        np.round(measured[rows], 3).tolist(),
        ok[rows].tolist(),
        status[rows].tolist(),
        strict=True,
    ):
        ind, text = table[c], texts[c]
        assert ind is not None
        assert text is not None
        u, v = ind.unit, ind.value
        m_text = shown.format(m)
        g_text, a_text = (f"{g:,.0f}", f"{a:,.1f}") if per_mu else ("", "")
        if o:
            en, zh = text.meets
            gap = points = rel = ""
        else:
            en, zh = text.misses
            d = abs(m - v)
            gap = "" if shares else _show(d, u, kind)
            points = f"{d * 100:.0f}"
            rel = f"{d / v:.0%}" if v else "∞"
        findings.append(
            Finding(
                {
                    s.RULE: rule_id,
                    s.STATUS: STATUS_NAMES[st],
                    s.REASON: reasons[o],
                    s.MESSAGE: en(m_text, g_text, a_text, u, gap, points, rel),
                    s.MESSAGE_ZH: zh(m_text, g_text, a_text, u, gap, points, rel),
                    s.MEASURED: m_r,
                    s.REQUIRED: v,
                    s.UNIT: u,
                    s.SOURCE: sources[c],
                }
            )
        )
    return [Outcome(status[batch.pp], ref[batch.pp], findings)]


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
        # one shared finding for every project that gives no value
        missing = make_finding(
            rule,
            WARN,
            Reason.NOT_PROVIDED,
            (
                _NOT_PROVIDED.en.format(key=key, label=label[0], budget=budget[0]),
                _NOT_PROVIDED.zh.format(key=key, label=label[1], budget=budget[1]),
            ),
            None,
            left_r,
            unit,
            source,
        )
        findings: list[Finding | None] = [missing]
        ref = np.zeros(len(proj), dtype=np.intp)
        rows = np.flatnonzero(provided)
        ref[rows] = np.arange(1, len(rows) + 1)
        names = ("label", "demand", "unit", "budget", "over")
        within, exceeds = _WITHIN.compiled(*names), _EXCEEDS.compiled(*names)
        reasons = (Reason.ABOVE_CAPACITY.value, Reason.WITHIN_CAPACITY.value)
        for d, o, st in zip(
            np.round(demand[rows], 3).tolist(),
            ok[rows].tolist(),
            status[rows].tolist(),
            strict=True,
        ):
            en, zh = within if o else exceeds
            demand_text, over = f"{d:,.1f}", "" if o else f"{d - left:,.1f}"
            findings.append(
                Finding(
                    {
                        s.RULE: rule,
                        s.STATUS: STATUS_NAMES[st],
                        s.REASON: reasons[o],
                        s.MESSAGE: en(label[0], demand_text, unit, budget[0], over),
                        s.MESSAGE_ZH: zh(label[1], demand_text, unit, budget[1], over),
                        s.MEASURED: d,
                        s.REQUIRED: left_r,
                        s.UNIT: unit,
                        s.SOURCE: source,
                    }
                )
            )
        out.append(Outcome(status[batch.pp], ref[batch.pp], findings))
    return out


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
    rows = np.flatnonzero(siteless)
    rule_id = str(FitRule.VACANT_LAND)
    zone_mu_r = np.round(zone_mu, 1).tolist()
    zone_mu_text = [f"{a:,.0f}" for a in zone_mu_r]
    enough_en, enough_zh = _ENOUGH.compiled("zone", "area", "need", "short")
    short_en, short_zh = _SHORT.compiled("zone", "area", "need", "short")
    reasons = (Reason.ENOUGH_VACANT_LAND.value, Reason.NOT_ENOUGH_VACANT_LAND.value)
    findings: list[Finding | None] = [None] * batch.n_pairs
    for k, z, nd, st in zip(
        rows.tolist(),
        batch.pz[rows].tolist(),
        np.round(need[rows], 2).tolist(),
        status[rows].tolist(),
        strict=True,
    ):
        a, area = zone_mu_r[z], zone_mu_text[z]
        zone = facts.zone_labels[z]
        need_text = f"{nd:,.1f}"
        if st == PASS:
            en, zh = enough_en(zone, area, need_text, ""), enough_zh(zone, area, need_text, "")
        else:
            short = f"{nd - a:,.0f}"
            en, zh = short_en(zone, area, need_text, short), short_zh(zone, area, need_text, short)
        findings[k] = Finding(
            {
                s.RULE: rule_id,
                s.STATUS: STATUS_NAMES[st],
                s.REASON: reasons[st != PASS],
                s.MESSAGE: en,
                s.MESSAGE_ZH: zh,
                s.MEASURED: a,
                s.REQUIRED: nd,
                s.UNIT: "mu",
                s.SOURCE: _SOURCE,
            }
        )
    return [Outcome(status, np.arange(batch.n_pairs), findings)]


def assemble(outcomes: Sequence[Outcome], n_pairs: int) -> tuple[list[list[Finding]], Codes]:
    """Today's driver assembly: the findings list and the worst status of each pair."""
    if not outcomes:
        return [[] for _ in range(n_pairs)], np.zeros(n_pairs, dtype=np.int8)
    stack = np.vstack([o.status for o in outcomes])
    worst = stack.max(axis=0).clip(min=PASS).astype(np.int8)
    columns = []
    for o in outcomes:
        assert isinstance(o.findings, list)
        table = np.empty(len(o.findings) + 1, dtype=object)
        table[:-1] = o.findings
        columns.append(table[np.where(o.status >= 0, o.ref, len(o.findings))].tolist())
    return [list(filter(None, row)) for row in zip(*columns, strict=True)], worst


def _eager(rule: Rule) -> Rule:
    if rule is capacity_module.RULE:
        return replace(rule, evaluate=capacity_rule)
    if rule is vacant_land.RULE:
        return replace(rule, evaluate=vacant_land_rule)
    for kind, (rule_id, _, _) in INTENSITY_RULES.items():
        if rule.id == rule_id.value and rule in intensity.RULES:
            return replace(rule, evaluate=lambda f, b, k=kind: indicator_outcome(f, b, k))
    return rule


#: the registry with today's eager per-row rules
REFERENCE_RULES = tuple(_eager(rule) for rule in RULES)
