"""The yearly ledger in one call: :func:`evaluate` a park's enterprises as of a date.

>>> from zoning.io import read_park
>>> from zoning.io.enterprises import read_enterprises
>>> park = read_park()
>>> result = evaluate(park, read_enterprises(), as_of="2023-12-31")
>>> result.land.loc["BC-0031", "land_status"]
'idle_recovery'
>>> round(float(result.indicators.loc["output_per_mu", "value"]), 1)
198.0
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import pandas as pd

from zoning import schema as s
from zoning.ledger.evaluation import HELD_MU, evaluate_enterprises
from zoning.ledger.indicators import park_indicators, target_gaps
from zoning.ledger.land_clock import FINDINGS, land_clock
from zoning.ledger.settings import LedgerSettings
from zoning.ledger.validation import parse_enterprises
from zoning.park import Park
from zoning.rulebook import IndicatorKind

#: the columns of the per-parcel land table, beside the land clock's
LAND_COLUMNS: Final = (
    s.ENTERPRISE_ID, s.ZONE_ID, s.STATUS, s.LAND_USE_CODE, s.AREA_MU, s.GRADE, s.LAND_STATUS,
    s.REASON, s.DUE, s.NEXT_DUE, s.ARTICLE, FINDINGS,
)  # fmt: skip


@dataclass(frozen=True)
class LedgerResult:
    """The ledger of a park as of a date.

    Attributes
    ----------
    as_of
        The day the ledger is for.
    enterprises
        One row per enterprise of the table (error rows included, with their ``input_error``
        reasons and no score), indexed by ``enterprise_id`` (error rows without an id get
        ``row N``): the table's columns, ``held_mu``, the indicators, ``score``, ``grade``,
        ``exemption``, ``pulled_down_by`` and the land clock of its land.
    land
        One row per parcel held by a valid enterprise, indexed by ``parcel_id``: holder,
        zone, parcel status, area, the holder's grade and the land clock (``land_status``,
        ``reason``, ``due``, ``next_due``, ``article``, ``findings``).
    indicators
        The park's intensive-use indicators, indexed by indicator id.
    targets
        The rulebook's targets with the value reached and the gap.
    settings
        The ledger settings used.
    """

    as_of: dt.date
    enterprises: pd.DataFrame
    land: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    settings: LedgerSettings

    @property
    def errors(self) -> pd.DataFrame:
        """The enterprise rows that could not be evaluated, with their reasons."""
        bad = self.enterprises[s.INPUT_ERROR].map(len).gt(0)
        return self.enterprises[bad]


def _as_day(as_of: dt.date | str | pd.Timestamp | None) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp(dt.date.today())
    return pd.Timestamp(as_of).normalize()


def _output_standards(
    enterprises: pd.DataFrame, first_land_use: pd.Series, park: Park
) -> pd.Series:
    """Look up the rulebook's output-per-mu standard of each enterprise (NaN where none applies)."""
    values = {}
    for code, land_use in set(zip(enterprises[s.INDUSTRY_CODE], first_land_use, strict=True)):
        rule = park.rulebook.indicator_for(IndicatorKind.OUTPUT_PER_MU_MIN, code)
        applies = rule is not None and str(land_use).startswith(tuple(rule.land_use_prefixes))
        values[(code, land_use)] = rule.value if rule is not None and applies else float("nan")
    keys = list(zip(enterprises[s.INDUSTRY_CODE], first_land_use, strict=True))
    return pd.Series([values[k] for k in keys], index=enterprises.index, dtype=float)


def _zone_prohibited(held: pd.DataFrame, park: Park) -> pd.Series:
    """Whether an enterprise's industry is prohibited in the zone of one of its parcels."""
    hit = pd.Series(False, index=held.index)
    for zone_id, prohibited in zip(park.zones[s.ZONE_ID], park.zones[s.PROHIBITED], strict=True):
        prefixes = tuple(str(p) for p in prohibited)
        if prefixes:
            hit |= held[s.ZONE_ID].eq(zone_id) & held[s.INDUSTRY_CODE].str.startswith(prefixes)
    return hit


def evaluate(
    park: Park,
    enterprises: pd.DataFrame,
    *,
    as_of: dt.date | str | pd.Timestamp | None = None,
    settings: LedgerSettings | None = None,
) -> LedgerResult:
    """Evaluate a park's enterprises and land as of a date.

    Parameters
    ----------
    park
        The park (its parcels, zones, rulebook).
    enterprises
        The enterprise table: text cells as read by
        :func:`zoning.io.enterprises.read_enterprises`, or rows already typed by
        :func:`zoning.ledger.validation.parse_enterprises`.
    as_of
        The day of the ledger (default: today).
    settings
        The ledger settings (default: the rulebook's ``[ledger]``, else the published
        examples of :class:`~zoning.ledger.settings.LedgerSettings`).

    Raises
    ------
    EnterpriseInputError
        If the table misses a column. Bad rows are not raised: they are the error rows of
        the result.
    """
    day = _as_day(as_of)
    rules = settings or park.rulebook.ledger or LedgerSettings()
    parcels = park.parcels.set_index(s.PARCEL_ID, drop=False)
    table = (
        enterprises
        if s.INPUT_ERROR in enterprises.columns
        else parse_enterprises(
            enterprises,
            parcel_ids=parcels.index.astype(str),
            industry_codes=park.rulebook.industry_codes,
        )
    )
    ids = table[s.ENTERPRISE_ID].where(
        table[s.ENTERPRISE_ID].ne(""), pd.Series([f"row {i + 2}" for i in table.index])
    )
    table = table.set_index(pd.Index(ids, name=s.ENTERPRISE_ID), drop=False)
    ok = table[s.INPUT_ERROR].map(len).eq(0)
    valid = table[ok.to_numpy()]

    held = valid[[s.PARCEL_IDS, s.INDUSTRY_CODE]].explode(s.PARCEL_IDS)
    held = held.rename(columns={s.PARCEL_IDS: s.PARCEL_ID})
    held[s.AREA_MU] = held[s.PARCEL_ID].map(parcels[s.AREA_MU]).astype(float)
    held[s.ZONE_ID] = held[s.PARCEL_ID].map(parcels[s.ZONE_ID])
    held[s.LAND_USE_CODE] = held[s.PARCEL_ID].map(parcels[s.LAND_USE_CODE])
    held_mu = held.groupby(level=0)[s.AREA_MU].sum().reindex(valid.index).fillna(0.0)
    first_use = held.groupby(level=0)[s.LAND_USE_CODE].first().reindex(valid.index)

    evaluation = evaluate_enterprises(valid, held_mu, as_of=day, settings=rules)
    clock = land_clock(
        valid,
        as_of=day,
        idle=rules.idle,
        inefficient=rules.inefficient,
        output_standard_per_mu=_output_standards(valid, first_use, park),
        area_mu=held_mu,
        zone_prohibited=_zone_prohibited(held, park).groupby(level=0).any(),
    )
    result = pd.concat([table, evaluation.reindex(table.index), clock.reindex(table.index)], axis=1)
    result[s.FINDINGS] = result[s.FINDINGS].map(lambda v: v if isinstance(v, list) else [])

    land = held[[s.PARCEL_ID, s.ZONE_ID, s.LAND_USE_CODE, s.AREA_MU]].copy()
    land[s.ENTERPRISE_ID] = land.index
    land[s.STATUS] = land[s.PARCEL_ID].map(parcels[s.STATUS])
    land[s.GRADE] = evaluation[s.GRADE].reindex(land.index).to_numpy()
    land = land.join(clock)
    land = land.set_index(s.PARCEL_ID)[list(LAND_COLUMNS)].sort_index()
    for frame in (land, result):
        for column in (s.GRADE, s.DUE, s.NEXT_DUE):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)

    enterprise_view = valid.assign(**{HELD_MU: held_mu})
    indicators = park_indicators(
        park.parcels,
        enterprise_view,
        land,
        built_roads=_built_roads(park),
        road_gap_m=park.rulebook.sequencing.max_road_gap_m,
        rulebook=park.rulebook,
        chain=rules.chain,
    )
    targets = target_gaps(indicators, park.rulebook.targets)
    return LedgerResult(
        as_of=day.date(),
        enterprises=result,
        land=land,
        indicators=indicators,
        targets=targets,
        settings=rules,
    )


def _built_roads(park: Park) -> list[object]:
    infra = park.infrastructure
    roads = infra[
        infra[s.KIND].eq(s.InfrastructureKind.ROAD)
        & infra[s.STATUS].eq(s.InfrastructureStatus.BUILT)
    ]
    return list(roads.geometry)
