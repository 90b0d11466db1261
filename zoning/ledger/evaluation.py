"""The per-mu evaluation of enterprises (亩均效益评价): indicators, scores, grades.

Indicators of an enterprise (:func:`enterprise_indicators`), over the area of every parcel it
holds: tax, value added and output per mu (万元/亩), value added per tonne of standard coal
(万元/tce), labour productivity (value added per employee, 万元/人) and R&D share (R&D
spending ÷ output). An indicator whose denominator is zero (no energy on file, no employees)
does not apply, and its weight is left out.

Scores (:func:`score_enterprises`), with ``n`` the normalised value of an indicator and ``w``
its weight, over the indicators that apply:

- ``benchmark``: ``n = min(value ÷ benchmark, cap)``, score ``= 100 × Σ w·n ÷ Σ w`` (an
  enterprise exactly at every benchmark scores 100);
- ``minmax``: ``n = (value − min) ÷ (max − min)`` over the graded enterprises, clipped to 0–1
  (1 when all are equal), score ``= 20 + 80 × Σ w·n ÷ Σ w``.

Enterprises below designated size are scored on the rulebook's ``small_indicators`` only. The
indicator that pulls a score down is the one that loses the most points, ``w × (1 − min(n, 1))``
(with equal weights: the lowest normalised value).

Grades (:func:`grade_enterprises`): by rank share, an enterprise whose rank (1 = best; tied
scores share the best rank of the tie) divided by the number graded is at most a grade's share
gets that grade, so with the Anhui shares and 20 enterprises, ranks 1–5 are A, 6–14 B, 15–19 C
and 20 D; by score, the first grade whose ``min_score`` the score reaches. Exempt enterprises
(utilities, start-ups) are scored but not graded, and get the grade they are treated as;
enterprises not yet producing are not evaluated.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.i18n import N_
from zoning.ledger.land_clock import anniversary
from zoning.ledger.settings import (
    ExemptionKind,
    GradeBy,
    IndicatorId,
    LedgerSettings,
    Method,
)

#: why an enterprise has no grade of its own
NOT_PRODUCING: Final = "not_producing"
EXEMPTION_LABELS: Final = {
    str(ExemptionKind.UTILITY): N_("utility: evaluated, not graded"),
    str(ExemptionKind.START_UP): N_("start-up: evaluated, not graded"),
    NOT_PRODUCING: N_("not producing yet: not evaluated"),
}
#: the words and units of each enterprise indicator
INDICATOR_LABELS: Final = {
    IndicatorId.TAX_PER_MU: (N_("tax per mu"), "万元/亩"),
    IndicatorId.VALUE_ADDED_PER_MU: (N_("value added per mu"), "万元/亩"),
    IndicatorId.OUTPUT_PER_MU: (N_("output per mu"), "万元/亩"),
    IndicatorId.VALUE_ADDED_PER_TCE: (N_("value added per tonne of standard coal"), "万元/tce"),
    IndicatorId.LABOUR_PRODUCTIVITY: (N_("value added per employee"), "万元/人"),
    IndicatorId.RD_SHARE: (N_("R&D share of output"), "ratio"),
}
#: column of the area an enterprise holds
HELD_MU: Final = "held_mu"


def enterprise_indicators(enterprises: pd.DataFrame, held_mu: pd.Series) -> pd.DataFrame:
    """Compute the per-mu indicators of each enterprise (NaN where a denominator is zero).

    Examples
    --------
    >>> e = pd.DataFrame({"tax_wan": [30.0], "value_added_wan": [120.0], "output_wan": [600.0],
    ...                   "energy_tce": [0.0], "employees": [10.0], "rd_wan": [6.0]})
    >>> enterprise_indicators(e, pd.Series([3.0])).round(3).iloc[0].to_dict()
    {'tax_per_mu': 10.0, 'value_added_per_mu': 40.0, 'output_per_mu': 200.0,
     'value_added_per_tce': nan, 'labour_productivity': 12.0, 'rd_share': 0.01}
    """
    mu = held_mu.where(held_mu > 0)
    va = enterprises[s.VALUE_ADDED_WAN]
    energy = enterprises[s.ENERGY_TCE]
    staff = enterprises[s.EMPLOYEES]
    output = enterprises[s.OUTPUT_WAN]
    return pd.DataFrame(
        {
            IndicatorId.TAX_PER_MU.value: enterprises[s.TAX_WAN] / mu,
            IndicatorId.VALUE_ADDED_PER_MU.value: va / mu,
            IndicatorId.OUTPUT_PER_MU.value: output / mu,
            IndicatorId.VALUE_ADDED_PER_TCE.value: va / energy.where(energy > 0),
            IndicatorId.LABOUR_PRODUCTIVITY.value: va / staff.where(staff > 0),
            IndicatorId.RD_SHARE.value: enterprises[s.RD_WAN] / output.where(output > 0),
        },
        index=enterprises.index,
    )


def score_enterprises(
    indicators: pd.DataFrame,
    *,
    settings: LedgerSettings,
    evaluated: pd.Series,
    graded: pd.Series,
    small: pd.Series,
) -> pd.DataFrame:
    """Score each evaluated enterprise and name the indicator that pulls it down.

    Parameters
    ----------
    indicators
        From :func:`enterprise_indicators`.
    settings
        The ledger settings (method, weights, benchmarks).
    evaluated
        Enterprises that get a score (producing).
    graded
        Enterprises ranked against each other (evaluated and not exempt); the min–max range
        is taken over them.
    small
        Enterprises below designated size (scored on ``small_indicators`` only).

    Returns
    -------
    pandas.DataFrame
        ``score`` (NaN when not evaluated) and ``pulled_down_by`` (an indicator id or None).
    """
    ids = [str(i.id) for i in settings.indicators]
    weights = pd.Series({str(i.id): i.weight for i in settings.indicators}, dtype=float)
    values = indicators[ids]
    if settings.method is Method.BENCHMARK:
        bench = pd.Series({str(i.id): i.benchmark for i in settings.indicators}, dtype=float)
        norm = (values / bench).clip(lower=0.0, upper=settings.benchmark_cap)
    else:
        pool = values[graded.to_numpy(dtype=bool)]
        lo, hi = pool.min(), pool.max()
        span = (hi - lo).where(hi > lo)
        norm = ((values - lo) / span).clip(lower=0.0, upper=1.0)
        norm = norm.mask(values.notna() & norm.isna(), 1.0)  # all equal: full marks
    small_only = {str(i) for i in settings.small_indicators}
    applies = values.notna()
    applies.loc[small.to_numpy(dtype=bool), [c for c in ids if c not in small_only]] = False
    applies = applies & evaluated.to_numpy(dtype=bool)[:, None]
    w = applies.mul(weights, axis=1).astype(float)
    total_w = w.sum(axis=1)
    weighted = (norm.where(applies, 0.0) * w).sum(axis=1) / total_w.where(total_w > 0)
    benchmark = settings.method is Method.BENCHMARK
    score = 100.0 * weighted if benchmark else 20.0 + 80.0 * weighted
    lost = (w * (1.0 - norm.clip(upper=1.0))).where(applies)
    has_loss = lost.fillna(0.0).gt(1e-12).any(axis=1)
    pulled = lost.fillna(-1.0).idxmax(axis=1).astype(object).where(has_loss, None)
    return pd.DataFrame({s.SCORE: score.round(2), s.PULLED_DOWN_BY: pulled}, index=indicators.index)


def grade_enterprises(
    scores: pd.Series, *, graded: pd.Series, settings: LedgerSettings
) -> pd.Series:
    """Grade each graded enterprise (None for the others).

    Examples
    --------
    >>> scores = pd.Series([90.0, 80.0, 80.0, 70.0])
    >>> grade_enterprises(scores, graded=pd.Series([True] * 4),
    ...                   settings=LedgerSettings()).tolist()
    ['A', 'B', 'B', 'D']
    """
    cutoffs = settings.grades.cutoffs
    grades = pd.Series(None, index=scores.index, dtype=object)
    mask = graded.to_numpy(dtype=bool) & scores.notna().to_numpy()
    pool = scores[mask]
    if pool.empty:
        return grades
    if settings.grades.by is GradeBy.RANK_SHARE:
        share = pool.rank(method="min", ascending=False) / len(pool)
        conditions = [share <= (c.rank_share or 0.0) + 1e-9 for c in cutoffs]
    else:
        conditions = [pool >= (c.min_score or 0.0) - 1e-9 for c in cutoffs]
    labels = [str(c.grade) for c in cutoffs]
    chosen = np.select(conditions, labels, default=labels[-1])
    grades[mask] = chosen
    return grades


def exemptions(
    enterprises: pd.DataFrame, *, as_of: pd.Timestamp, settings: LedgerSettings
) -> pd.Series:
    """Why each enterprise is not graded: ``utility``, ``start_up``, ``not_producing`` or ''."""
    day = pd.Timestamp(as_of).normalize()
    completed = enterprises[s.COMPLETED_ON]
    producing = completed.notna() & (completed <= day)
    out = pd.Series("", index=enterprises.index, dtype=object)
    start_up = settings.exemption(ExemptionKind.START_UP)
    if start_up is not None and start_up.producing_years_below is not None:
        young = producing & (day < anniversary(completed, start_up.producing_years_below))
        out[young] = str(ExemptionKind.START_UP)
    utility = settings.exemption(ExemptionKind.UTILITY)
    if utility is not None and utility.applies_to:
        util = enterprises[s.INDUSTRY_CODE].str.startswith(tuple(utility.applies_to))
        out[util] = str(ExemptionKind.UTILITY)
    out[~producing] = NOT_PRODUCING
    return out


def evaluate_enterprises(
    enterprises: pd.DataFrame,
    held_mu: pd.Series,
    *,
    as_of: pd.Timestamp,
    settings: LedgerSettings,
) -> pd.DataFrame:
    """Evaluate each enterprise: indicators, score, grade, exemption, what pulls it down.

    Parameters
    ----------
    enterprises
        Typed, valid enterprise rows.
    held_mu
        The area each holds, mu (indexed like ``enterprises``).
    as_of
        The day of the evaluation (start-ups and producing are judged on it).
    settings
        The ledger settings.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``enterprises``: ``held_mu``, one column per indicator, ``score``,
        ``grade``, ``exemption`` ('' when graded) and ``pulled_down_by``.
    """
    indicators = enterprise_indicators(enterprises, held_mu)
    exempt = exemptions(enterprises, as_of=as_of, settings=settings)
    evaluated = exempt.ne(NOT_PRODUCING)
    graded = exempt.eq("")
    small = enterprises[s.OUTPUT_WAN] < settings.small_output_wan
    scored = score_enterprises(
        indicators, settings=settings, evaluated=evaluated, graded=graded, small=small
    )
    grade = grade_enterprises(scored[s.SCORE], graded=graded, settings=settings)
    treated = {str(e.id): str(e.treated_as) for e in settings.exemptions}
    grade = grade.where(~exempt.isin(list(treated)), exempt.map(treated))
    grade = grade.astype(object).where(grade.notna(), None)
    out = pd.concat([held_mu.rename(HELD_MU), indicators, scored], axis=1)
    out[s.GRADE] = grade
    out[s.EXEMPTION] = exempt
    return out[[HELD_MU, *indicators.columns, s.SCORE, s.GRADE, s.EXEMPTION, s.PULLED_DOWN_BY]]
