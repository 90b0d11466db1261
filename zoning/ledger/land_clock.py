"""The land clock: idle, late and inefficient land as of a date.

Idle land follows 《闲置土地处置办法》 (国土资源部令第53号, 2012):

- **Art. 2**: land is idle when construction has not started one full year after the start
  date agreed in the land-use contract; land that has started, but where less than one third
  of the area to be built is built **or** less than 25 % of the total investment is made, and
  where construction has been stopped for one full year, may also be found idle;
- **Art. 14**: idle one full year, an idle-land fee of 20 % of the land price is levied
  (``idle_fee``); idle two full years, the land is recovered without compensation
  (``idle_recovery``). For land that started and stopped, the clock runs from the stop.

Periods are counted as the Civil Code counts them (《民法典》 Art. 201–202): a period of years
ends on the corresponding day of the last year, and on the last day of February when that year
has no 29 February. A stage falls due on that anniversary and holds from it on (a status "as
of" a date is the status at the end of that day): land whose contracted start was 2022-03-01
and that has not started is normal on 2023-02-28 and at the fee stage on 2023-03-01.

Land is ``late_completion`` from the day after its contracted completion date while it is not
completed, and ``inefficient`` (低效用地) when a criterion of the rulebook's
``[ledger.inefficient]`` holds. A parcel takes the status of the enterprise that holds it; the
most serious status wins (:class:`zoning.schema.LandStatus` is ordered), and every finding is
kept in ``findings``.

Examples
--------
>>> anniversary(pd.Series(pd.to_datetime(["2020-02-29", "2021-03-15"])), 1).dt.date.tolist()
[datetime.date(2021, 2, 28), datetime.date(2022, 3, 15)]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.i18n import N_, Lang, bilingual
from zoning.ledger.settings import IdleLandRules, InefficientLandRules

#: the rule each status applies, as cited in the output
ARTICLE_IDLE_NOT_STARTED: Final = N_("《闲置土地处置办法》 (国土资源部令第53号) Art. 2, Art. 14")
ARTICLE_IDLE_STOPPED: Final = N_(
    "《闲置土地处置办法》 (国土资源部令第53号) Art. 2 (started, stopped), Art. 14"
)
ARTICLE_LATE: Final = N_("land-use contract (出让合同): contracted completion date")
ARTICLE_INEFFICIENT: Final = N_("rulebook [ledger.inefficient]: local 低效用地 criteria")

#: plain words of each land status
STATUS_LABELS: Final = {
    s.LandStatus.IDLE_RECOVERY: N_("idle two years: recovery without compensation"),
    s.LandStatus.IDLE_FEE: N_("idle one year: idle-land fee"),
    s.LandStatus.INEFFICIENT: N_("inefficient land"),
    s.LandStatus.LATE_COMPLETION: N_("late completion"),
    s.LandStatus.NORMAL: N_("normal"),
}

#: column with the list of every finding of an enterprise or parcel
FINDINGS: Final = s.FINDINGS
_ORDER: Final = list(s.LandStatus)


def anniversary(dates: pd.Series, years: int) -> pd.Series:
    """Return the date ``years`` calendar years after each date (29 February → 28 February).

    Parameters
    ----------
    dates
        ``datetime64`` values (NaT stays NaT).
    years
        Whole years to add (negative to go back).
    """
    values = pd.to_datetime(dates)
    year = values.dt.year + years
    month = values.dt.month
    day = values.dt.day
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = day.where(~((month == 2) & (day == 29) & ~leap), 28)
    parts = pd.DataFrame({"year": year, "month": month, "day": day})
    ok = values.notna()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.to_datetime(parts[ok].astype(int))
    return out


def _finding(
    status: s.LandStatus, due: Any, article: str, reason: dict[Lang, str]
) -> dict[str, Any]:
    return {
        s.LAND_STATUS: str(status),
        s.DUE: None if pd.isna(due) else pd.Timestamp(due).date().isoformat(),
        s.ARTICLE: article,
        s.REASON: reason,
    }


@dataclass(frozen=True)
class _Progress:
    """What has happened on an enterprise's land by the day (one mask or value per row)."""

    day: pd.Timestamp
    started: pd.Series
    completed: pd.Series
    stopped: pd.Series
    invest_share: pd.Series
    start_by: pd.Series
    stop: pd.Series
    complete_by: pd.Series


@dataclass(frozen=True)
class _IdleClock:
    """The two idle-land clocks of Art. 2 (from the contracted start, from the stop)."""

    not_started: pd.Series
    stalled: pd.Series
    idle_from_start: pd.Series
    idle_from_stop: pd.Series
    recovery_start: pd.Series
    recovery_stop: pd.Series
    idle_start: pd.Series
    idle_stop: pd.Series
    fee: pd.Series
    recovery: pd.Series
    fee_due: pd.Series
    recovery_due: pd.Series


#: one check: the rows it holds for, its status, the date it fell due, its article and reason
_Check = tuple[pd.Series, s.LandStatus, pd.Series, str, Callable[[Any], dict[Lang, str]]]


def land_clock(
    enterprises: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    idle: IdleLandRules,
    inefficient: InefficientLandRules,
    output_standard_per_mu: pd.Series,
    area_mu: pd.Series,
    zone_prohibited: pd.Series,
) -> pd.DataFrame:
    """Find the land status of each enterprise's land as of ``as_of``.

    Parameters
    ----------
    enterprises
        Typed enterprise rows (:func:`zoning.ledger.validation.parse_enterprises`) without
        error rows.
    as_of
        The day the status is for (its end).
    idle, inefficient
        The rulebook's rules.
    output_standard_per_mu
        The output-per-mu standard (标准地) of each enterprise, 万元/亩 (NaN: none applies).
    area_mu
        The area each enterprise holds, mu.
    zone_prohibited
        Whether an enterprise's industry is prohibited in the zone of one of its parcels.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``enterprises``: ``land_status``, ``reason`` (``{"zh", "en"}``), ``due``
        (the date the status fell due, ISO text or ``None``), ``next_due`` (the next stage of
        the clock), ``article``, and ``findings`` (every status that holds, most serious
        first).
    """
    e = enterprises
    progress = _progress(e, pd.Timestamp(as_of).normalize())
    clock = _idle_clock(e, progress, idle)
    late = (
        ~progress.completed & progress.complete_by.notna() & (progress.day > progress.complete_by)
    )
    checks = [
        *_idle_checks(e, progress, clock, idle),
        *_inefficient_checks(
            e, progress, inefficient, output_standard_per_mu, area_mu, zone_prohibited
        ),
        _late_check(progress, late),
    ]
    findings: dict[Any, list[dict[str, Any]]] = {i: [] for i in e.index}
    for mask, status, due, article, reason in checks:
        for i in e.index[mask.to_numpy(dtype=bool)]:
            findings[i].append(_finding(status, due[i], article, reason(i)))
    next_due = _next_due(progress, clock, late)

    normal = {
        s.LAND_STATUS: str(s.LandStatus.NORMAL),
        s.DUE: None,
        s.ARTICLE: "",
        s.REASON: bilingual("no idle, late or inefficient finding"),
    }
    top = [findings[i][0] if findings[i] else normal for i in e.index]
    out = pd.DataFrame(top, index=e.index)
    out[s.NEXT_DUE] = [_iso(d) or None for d in next_due]
    out[FINDINGS] = pd.Series([findings[i] for i in e.index], index=e.index, dtype=object)
    return out[[s.LAND_STATUS, s.REASON, s.DUE, s.NEXT_DUE, s.ARTICLE, FINDINGS]]


def _progress(e: pd.DataFrame, day: pd.Timestamp) -> _Progress:
    """Read what has been started, completed, stopped and invested by the end of ``day``."""
    contract = e[s.INVESTMENT_CONTRACT_WAN]
    return _Progress(
        day=day,
        started=e[s.STARTED_ON].notna() & (e[s.STARTED_ON] <= day),
        completed=e[s.COMPLETED_ON].notna() & (e[s.COMPLETED_ON] <= day),
        stopped=e[s.STOPPED_SINCE].notna() & (e[s.STOPPED_SINCE] <= day),
        invest_share=(e[s.INVESTMENT_ACTUAL_WAN] / contract.where(contract > 0)).fillna(1.0),
        start_by=e[s.CONTRACT_START_BY],
        stop=e[s.STOPPED_SINCE],
        complete_by=e[s.CONTRACT_COMPLETE_BY],
    )


def _idle_clock(e: pd.DataFrame, p: _Progress, idle: IdleLandRules) -> _IdleClock:
    """Art. 2's two clauses and Art. 14's fee and recovery stages, as masks and due dates."""
    day = p.day
    # Art. 2 first clause: not started a full year after the contracted start
    idle_from_start = anniversary(p.start_by, idle.not_started_years)
    fee_start = anniversary(p.start_by, idle.fee_years)
    recovery_start = anniversary(p.start_by, idle.recovery_years)
    not_started = ~p.started & p.start_by.notna()
    # Art. 2 second clause: started, under a third built or a quarter invested, stopped a year
    thin = (e[s.BUILT_SHARE] < idle.built_share_below) | (
        p.invest_share < idle.investment_share_below
    )
    stalled = p.started & ~p.completed & p.stopped & thin
    idle_from_stop = anniversary(p.stop, idle.stopped_years)
    fee_stop = anniversary(p.stop, idle.fee_years)
    recovery_stop = anniversary(p.stop, idle.recovery_years)

    idle_start = not_started & (day >= idle_from_start)
    idle_stop = stalled & (day >= idle_from_stop)
    fee_due = fee_start.where(not_started, fee_stop)
    recovery_due = recovery_start.where(not_started, recovery_stop)
    is_idle = idle_start | idle_stop
    recovery = is_idle & (day >= recovery_due)
    fee = is_idle & ~recovery & (day >= fee_due)
    return _IdleClock(
        not_started=not_started,
        stalled=stalled,
        idle_from_start=idle_from_start,
        idle_from_stop=idle_from_stop,
        recovery_start=recovery_start,
        recovery_stop=recovery_stop,
        idle_start=idle_start,
        idle_stop=idle_stop,
        fee=fee,
        recovery=recovery,
        fee_due=fee_due,
        recovery_due=recovery_due,
    )


def _idle_checks(e: pd.DataFrame, p: _Progress, c: _IdleClock, idle: IdleLandRules) -> list[_Check]:
    """Return the idle-land checks, recovery before fee."""
    built_pct = (e[s.BUILT_SHARE] * 100).round(0)
    invest_pct = (p.invest_share * 100).round(0)
    start_by, stop = p.start_by, p.stop
    return [
        (
            c.recovery & c.idle_start,
            s.LandStatus.IDLE_RECOVERY,
            c.recovery_due,
            ARTICLE_IDLE_NOT_STARTED,
            lambda i: bilingual(
                "not started {years} full years after the contracted start {start}",
                years=idle.recovery_years,
                start=_iso(start_by[i]),
            ),
        ),
        (
            c.recovery & c.idle_stop,
            s.LandStatus.IDLE_RECOVERY,
            c.recovery_due,
            ARTICLE_IDLE_STOPPED,
            lambda i: bilingual(
                "construction stopped since {stop} ({years} full years) with {built}% built "
                "and {invested}% invested",
                stop=_iso(stop[i]),
                years=idle.recovery_years,
                built=int(built_pct[i]),
                invested=int(invest_pct[i]),
            ),
        ),
        (
            c.fee & c.idle_start,
            s.LandStatus.IDLE_FEE,
            c.fee_due,
            ARTICLE_IDLE_NOT_STARTED,
            lambda i: bilingual(
                "not started {years} full year(s) after the contracted start {start}; "
                "idle-land fee {fee}% of the land price",
                years=idle.fee_years,
                start=_iso(start_by[i]),
                fee=round(idle.fee_share_of_land_price * 100),
            ),
        ),
        (
            c.fee & c.idle_stop,
            s.LandStatus.IDLE_FEE,
            c.fee_due,
            ARTICLE_IDLE_STOPPED,
            lambda i: bilingual(
                "construction stopped since {stop} with {built}% built and {invested}% "
                "invested; idle-land fee {fee}% of the land price",
                stop=_iso(stop[i]),
                built=int(built_pct[i]),
                invested=int(invest_pct[i]),
                fee=round(idle.fee_share_of_land_price * 100),
            ),
        ),
    ]


def _inefficient_checks(
    e: pd.DataFrame,
    p: _Progress,
    inefficient: InefficientLandRules,
    output_standard_per_mu: pd.Series,
    area_mu: pd.Series,
    zone_prohibited: pd.Series,
) -> list[_Check]:
    """Return the inefficient-land (低效用地) checks of the rulebook's criteria."""
    day, stop, complete_by = p.day, p.stop, p.complete_by
    late_long_due = anniversary(complete_by, inefficient.late_years)
    settled_due = anniversary(e[s.COMPLETED_ON], inefficient.completed_years)
    settled = p.completed & (day >= settled_due)
    invest_pct = (p.invest_share * 100).round(0)
    output_per_mu = e[s.OUTPUT_WAN] / area_mu.where(area_mu > 0)
    stop_due = anniversary(stop, inefficient.stopped_years)
    prohibited_codes = tuple(inefficient.prohibited)
    prohibited = (
        e[s.INDUSTRY_CODE].str.startswith(prohibited_codes)
        if prohibited_codes
        else pd.Series(False, index=e.index)
    )
    if inefficient.zone_prohibited:
        prohibited = prohibited | zone_prohibited.reindex(e.index, fill_value=False)
    return [
        (
            ~p.completed & (day >= late_long_due),
            s.LandStatus.INEFFICIENT,
            late_long_due,
            ARTICLE_INEFFICIENT,
            lambda i: bilingual(
                "not completed {years} years after the contracted completion {date}",
                years=inefficient.late_years,
                date=_iso(complete_by[i]),
            ),
        ),
        (
            settled & (p.invest_share < inefficient.investment_share_below),
            s.LandStatus.INEFFICIENT,
            settled_due,
            ARTICLE_INEFFICIENT,
            lambda i: bilingual(
                "investment {invested}% of the contract, under {limit}%",
                invested=int(invest_pct[i]),
                limit=round(inefficient.investment_share_below * 100),
            ),
        ),
        (
            settled & (output_per_mu < inefficient.output_share_below * output_standard_per_mu),
            s.LandStatus.INEFFICIENT,
            settled_due,
            ARTICLE_INEFFICIENT,
            lambda i: bilingual(
                "output {value:.0f} 万元/亩, under {limit}% of the standard {standard:.0f} 万元/亩",
                value=output_per_mu[i],
                limit=round(inefficient.output_share_below * 100),
                standard=output_standard_per_mu[i],
            ),
        ),
        (
            p.completed & p.stopped & (day >= stop_due),
            s.LandStatus.INEFFICIENT,
            stop_due,
            ARTICLE_INEFFICIENT,
            lambda i: bilingual("production stopped since {stop}", stop=_iso(stop[i])),
        ),
        (
            prohibited,
            s.LandStatus.INEFFICIENT,
            pd.Series(pd.NaT, index=e.index),
            ARTICLE_INEFFICIENT,
            lambda i: bilingual(
                "industry {code} is prohibited by current policy or its zone",
                code=e.loc[i, s.INDUSTRY_CODE],
            ),
        ),
    ]


def _late_check(p: _Progress, late: pd.Series) -> _Check:
    """Return the late-completion check, against the contracted completion date."""
    complete_by = p.complete_by
    return (
        late,
        s.LandStatus.LATE_COMPLETION,
        complete_by,
        ARTICLE_LATE,
        lambda i: bilingual(
            "not completed by the contracted date {date}", date=_iso(complete_by[i])
        ),
    )


def _next_due(p: _Progress, c: _IdleClock, late: pd.Series) -> pd.Series:
    """Return the next date the clock would act on, for land still normal or on a stage."""
    day = p.day
    next_due = pd.Series(pd.NaT, index=p.start_by.index, dtype="datetime64[ns]")
    next_due = next_due.where(~(c.not_started & (day < c.idle_from_start)), c.idle_from_start)
    next_due = next_due.where(~(c.fee & c.idle_start), c.recovery_start)
    next_due = next_due.where(~(c.stalled & (day < c.idle_from_stop)), c.idle_from_stop)
    next_due = next_due.where(~(c.fee & c.idle_stop), c.recovery_stop)
    on_time = ~p.completed & ~late & p.complete_by.notna() & next_due.isna()
    return next_due.where(~on_time, p.complete_by)


def _iso(value: Any) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def most_serious(statuses: pd.Series) -> pd.Series:
    """Rank of each land status (0 = most serious), for sorting."""
    order = {str(k): n for n, k in enumerate(_ORDER)}
    return statuses.map(order).astype(np.int64)
