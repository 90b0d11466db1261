"""Idle and inefficient land as supply of the phase plan (收回闲置土地, 低效用地再开发).

The yearly ledger's land clock (:mod:`zoning.ledger.land_clock`) finds land given out but not
used: idle two full years, to be recovered without compensation (``idle_recovery``,
《闲置土地处置办法》 Art. 14); idle one year, in the fee stage (``idle_fee``); inefficient by
the rulebook's criteria (``inefficient``). Land recovered or redeveloped goes back to the
supply, so the phase plan may open it again, as a *redevelopment tract*.

This module does it in three steps, none of them a change to the planning model:

1. :func:`find_redevelopment_supply` picks, from the ledger's land table, the parcels whose
   status is one of the statuses asked for (default: ``idle_recovery`` only; the rulebook's
   ``[ledger.redevelopment] statuses`` may add ``idle_fee`` and ``inefficient``), each with
   the reason of the land clock, the day it fell due and the ledger's date;
2. :func:`open_for_redevelopment` gives the planner a copy of the park in which those parcels
   are vacant: they are candidate supply under every rule of the plan (quota, contiguity,
   zone priority and holds, constraints), and no longer seeds;
3. :func:`sequence_with_redevelopment` plans that park with :func:`zoning.planning.sequence`
   and :func:`attach_redevelopment` sets the supply beside the plan
   (:attr:`~zoning.planning.PhasePlan.redevelopment`: the phase and tract each parcel opens
   in, its reason) and marks the tracts that hold redevelopment land.

Nothing happens unless the caller passes the supply: ``zoning plan`` and ``zoning sequence``
do when asked (``--redevelopment``) or when the rulebook switches it on
(``[ledger.redevelopment] enabled = true``) and the park has enterprises.

Examples
--------
>>> import datetime as dt
>>> import pandas as pd
>>> land = pd.DataFrame(
...     {"enterprise_id": ["E1", "E2"], "zone_id": ["a", "a"],
...      "status": ["committed", "developed"], "area_mu": [15.0, 20.0],
...      "land_status": ["idle_recovery", "normal"],
...      "reason": [{"zh": "未动工", "en": "not started"}, {"zh": "正常", "en": "normal"}],
...      "due": [dt.date(2023, 3, 10), None]},
...     index=pd.Index(["p1", "p2"], name="parcel_id"),
... )
>>> supply = find_redevelopment_supply(land, as_of=dt.date(2023, 12, 31))
>>> supply.parcels[["former_status", "land_status"]].to_dict("index")
{'p1': {'former_status': 'committed', 'land_status': 'idle_recovery'}}
>>> print(supply.parcels.loc["p1", "reason"]["en"])  # doctest: +NORMALIZE_WHITESPACE
recover the idle land without compensation and supply it again: not started;
recoverable since 2023-03-10 (ledger as of 2023-12-31)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Unpack

import pandas as pd

from zoning import schema as s
from zoning.i18n import LANGS, N_, translate
from zoning.park import Park
from zoning.planning.adjacency import ParcelAdjacency
from zoning.planning.plan import REDEVELOPMENT_COLUMNS, PhasePlan
from zoning.planning.problem import OptionOverrides, SequencingOptions
from zoning.planning.sequencer import sequence
from zoning.planning.tracts import TRACT_ID

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult

#: the statuses offered by default: land recovered without compensation after two idle years
DEFAULT_STATUSES: Final = (s.LandStatus.IDLE_RECOVERY,)
#: column of the tract table: the redevelopment parcels a tract holds
REDEVELOPMENT_IDS: Final = "redevelopment_ids"
#: the words of each redevelopment reason; ``{reason}`` is the land clock's
_REASON_WORDS: Final = {
    s.LandStatus.IDLE_RECOVERY: N_(
        "recover the idle land without compensation and supply it again: {reason}; "
        "recoverable since {due} (ledger as of {as_of})"
    ),
    s.LandStatus.IDLE_FEE: N_(
        "idle land in the fee stage, to be recovered by agreement and supplied again: "
        "{reason}; fee due since {due} (ledger as of {as_of})"
    ),
    s.LandStatus.INEFFICIENT: N_("redevelop the inefficient land: {reason} (ledger as of {as_of})"),
}


@dataclass(frozen=True)
class RedevelopmentSupply:
    """Land given out that the phase plan may open again, from a ledger as of a day.

    Attributes
    ----------
    as_of
        The day of the ledger the statuses are for.
    parcels
        Indexed by ``parcel_id``: ``zone_id``, ``enterprise_id`` (the holder), the parcel's
        ``former_status`` (developed or committed), ``land_status``, ``reason`` (both
        languages: why the land is supply again, with the land clock's reason), ``due`` (the
        day the status fell due) and ``area_mu``.
    """

    as_of: dt.date
    parcels: pd.DataFrame

    @property
    def parcel_ids(self) -> list[str]:
        """The parcel ids of the supply, sorted."""
        return sorted(str(i) for i in self.parcels.index)


def _reason(status: str, clock_reason: object, due: object, as_of: dt.date) -> dict[str, str]:
    """Return the reason of a redevelopment parcel in both languages."""
    words = _REASON_WORDS[s.LandStatus(status)]
    clock = clock_reason if isinstance(clock_reason, dict) else {}
    missing = due is None or (isinstance(due, float) and due != due) or due is pd.NaT
    due_text = "—" if missing else pd.Timestamp(str(due)).date().isoformat()
    return {
        lang: translate(words, lang).format(
            reason=str(clock.get(lang, clock.get("en", ""))),
            due=due_text,
            as_of=as_of.isoformat(),
        )
        for lang in LANGS
    }


def find_redevelopment_supply(
    land: pd.DataFrame,
    *,
    as_of: dt.date,
    statuses: Iterable[s.LandStatus | str] = DEFAULT_STATUSES,
) -> RedevelopmentSupply:
    """Pick the parcels of a ledger's land table that become supply again.

    Parameters
    ----------
    land
        The land clock per parcel (:attr:`zoning.ledger.LedgerResult.land`): indexed by
        ``parcel_id``, with ``land_status``, ``reason``, ``due``, ``status``, ``zone_id``,
        ``enterprise_id`` and ``area_mu``.
    as_of
        The day of the ledger.
    statuses
        The land-clock statuses offered: ``idle_recovery`` (default), ``idle_fee``,
        ``inefficient``. Land in ``normal`` or ``late_completion`` status never is.

    Returns
    -------
    RedevelopmentSupply

    Raises
    ------
    ValueError
        If a status cannot be redeveloped (``normal``, ``late_completion``, unknown).
    """
    wanted = {s.LandStatus(x) for x in statuses}
    wrong = sorted(str(x) for x in wanted if x not in _REASON_WORDS)
    if wrong:
        allowed = ", ".join(str(x) for x in _REASON_WORDS)
        raise ValueError(f"only {allowed} land can be redeveloped, got {wrong}")
    picked = land[land[s.LAND_STATUS].astype(str).isin([str(x) for x in wanted])]
    frame = pd.DataFrame(
        {
            s.ZONE_ID: picked[s.ZONE_ID].astype(str),
            s.ENTERPRISE_ID: picked[s.ENTERPRISE_ID].astype(str),
            s.FORMER_STATUS: picked[s.STATUS].astype(str),
            s.LAND_STATUS: picked[s.LAND_STATUS].astype(str),
            s.REASON: [
                _reason(st_, why, due, as_of)
                for st_, why, due in zip(
                    picked[s.LAND_STATUS], picked[s.REASON], picked[s.DUE], strict=True
                )
            ],
            s.DUE: picked[s.DUE],
            s.AREA_MU: picked[s.AREA_MU].astype(float),
        },
        index=picked.index.astype(str),
    )
    frame.index.name = s.PARCEL_ID
    return RedevelopmentSupply(as_of=as_of, parcels=frame.sort_index())


def redevelopment_from_ledger(
    ledger: LedgerResult, *, statuses: Iterable[s.LandStatus | str] | None = None
) -> RedevelopmentSupply:
    """Return the redevelopment supply of a ledger (``statuses``: default the rulebook's)."""
    chosen = ledger.settings.redevelopment.statuses if statuses is None else statuses
    return find_redevelopment_supply(ledger.land, as_of=ledger.as_of, statuses=chosen)


def open_for_redevelopment(park: Park, supply: RedevelopmentSupply) -> Park:
    """Return a copy of ``park`` in which the supply's parcels are vacant.

    Only developed and committed parcels of the park change; an id the park does not have
    is ignored (the ledger only lists parcels of the park).
    """
    parcels = park.parcels.copy()
    ids = parcels[s.PARCEL_ID].astype(str)
    held = parcels[s.STATUS].astype(str).isin([s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED])
    offered = ids.isin(supply.parcel_ids) & held
    parcels.loc[offered, s.STATUS] = str(s.ParcelStatus.VACANT)
    return dataclasses.replace(park, parcels=parcels)


def attach_redevelopment(plan: PhasePlan, supply: RedevelopmentSupply) -> PhasePlan:
    """Set the supply beside a plan of the opened park: its phases, tracts and reasons.

    The tract table gains :data:`REDEVELOPMENT_IDS`, the redevelopment parcels each tract
    holds (empty for a tract of vacant land only).
    """
    phase = plan.parcels.set_index(plan.parcels[s.PARCEL_ID].astype(str))[s.PHASE]
    tract_of: dict[str, str] = {}
    for tract_id, ids in zip(plan.tracts[TRACT_ID], plan.tracts[s.PARCEL_IDS], strict=True):
        for pid in ids:
            tract_of[str(pid)] = str(tract_id)
    table = supply.parcels.reset_index()
    table[s.AS_OF] = supply.as_of
    table[s.PHASE] = pd.array([phase.get(pid, pd.NA) for pid in table[s.PARCEL_ID]], dtype="Int64")
    table[TRACT_ID] = [tract_of.get(str(pid)) for pid in table[s.PARCEL_ID]]
    offered = set(supply.parcel_ids)
    tracts = plan.tracts.copy()
    tracts[REDEVELOPMENT_IDS] = [
        sorted(str(i) for i in ids if str(i) in offered) for ids in tracts[s.PARCEL_IDS]
    ]
    return dataclasses.replace(
        plan, redevelopment=table[list(REDEVELOPMENT_COLUMNS)], tracts=tracts
    )


def sequence_with_redevelopment(
    park: Park,
    supply: RedevelopmentSupply,
    options: SequencingOptions | None = None,
    *,
    projects: pd.DataFrame | None = None,
    method: str = s.SequencingMethod.HEURISTIC,
    adjacency: ParcelAdjacency | None = None,
    **overrides: Unpack[OptionOverrides],
) -> PhasePlan:
    """Plan the park with its idle and inefficient land offered as supply.

    The parameters after ``supply`` are those of :func:`zoning.planning.sequence`. The
    plan's ``parcels`` carry the status the planner saw (``vacant`` for the land offered);
    :attr:`~zoning.planning.PhasePlan.redevelopment` lists it with its former status.

    Examples
    --------
    >>> import datetime as dt
    >>> import zoning
    >>> from zoning.io.enterprises import read_enterprises
    >>> from zoning.ledger import evaluate
    >>> park = zoning.load_park()
    >>> ledger = evaluate(park, read_enterprises(), as_of=dt.date(2026, 1, 1))
    >>> plan = sequence_with_redevelopment(park, redevelopment_from_ledger(ledger))
    >>> bool(plan.redevelopment["land_status"].eq("idle_recovery").all())
    True
    """
    planned = sequence(
        open_for_redevelopment(park, supply),
        options,
        projects=projects,
        method=method,
        adjacency=adjacency,
        **overrides,
    )
    return attach_redevelopment(planned, supply)


__all__ = [
    "DEFAULT_STATUSES",
    "REDEVELOPMENT_IDS",
    "RedevelopmentSupply",
    "attach_redevelopment",
    "find_redevelopment_supply",
    "open_for_redevelopment",
    "redevelopment_from_ledger",
    "sequence_with_redevelopment",
]
