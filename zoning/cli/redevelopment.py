"""Redevelopment land in ``zoning plan`` and ``zoning sequence``: when to offer it, how to show it.

Idle and inefficient land (the ledger's land clock) becomes supply of the phase plan when
the command is asked (``--redevelopment``) or when the rulebook switches it on
(``[ledger.redevelopment] enabled = true``) and the park has an enterprise table; see
:mod:`zoning.planning.redevelopment`. The plan's redevelopment tracts are printed apart from
the land that was vacant, each parcel with its reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Final

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zoning import schema as s
from zoning.cli._common import console, some_ids
from zoning.errors import InputError, Problem
from zoning.i18n import N_, _, get_lang, translate
from zoning.io.enterprises import enterprises_path, read_enterprises
from zoning.ledger import evaluate
from zoning.ledger.run import LedgerResult
from zoning.park import Park
from zoning.planning import PhasePlan, sequence
from zoning.planning.redevelopment import (
    RedevelopmentSupply,
    redevelopment_from_ledger,
    sequence_with_redevelopment,
)

#: ``--redevelopment/--no-redevelopment`` (default: the rulebook's choice)
RedevelopmentOption = Annotated[
    bool | None,
    typer.Option(
        "--redevelopment/--no-redevelopment",
        help="Offer idle and inefficient land (the ledger's land clock, as of --as-of) to "
        "the phase plan as redevelopment tracts. Default: the rulebook's "
        "[ledger.redevelopment] enabled.",
        show_default=False,
    ),
]
#: the most parcel ids the plan's summary line lists
MAX_IDS: Final = 6
#: the words of each land-clock status offered
STATUS_WORDS: Final = {
    s.LandStatus.IDLE_RECOVERY: N_("idle, to recover"),
    s.LandStatus.IDLE_FEE: N_("idle, fee stage"),
    s.LandStatus.INEFFICIENT: N_("inefficient"),
}


def wanted(park: Park, asked: bool | None) -> bool:
    """Whether redevelopment land is offered: as asked, else as the rulebook says."""
    if asked is not None:
        return asked
    return park.rulebook.ledger is not None and park.rulebook.ledger.redevelopment.enabled


def supply_from(
    park: Park, ledger: LedgerResult | None, *, asked: bool | None
) -> RedevelopmentSupply | None:
    """Return the supply to offer, from a ledger already evaluated (None: offer none).

    Raises
    ------
    InputError
        When ``--redevelopment`` is asked and the park has no ledger to take it from.
    """
    if not wanted(park, asked):
        return None
    if ledger is None:
        if asked:
            raise _no_ledger()
        return None
    return redevelopment_from_ledger(ledger)


def _no_ledger() -> InputError:
    return InputError(
        "cannot offer redevelopment land",
        [
            Problem(
                "--redevelopment",
                "the park has no enterprise table that can be read, so no land clock",
                expected="enterprises.csv in the park folder (see docs/ledger.md)",
                fix="add enterprises.csv (check it with `zoning ledger`), or leave out "
                "--redevelopment",
            )
        ],
    )


def supply_for_park(
    park: Park, park_dir: Path | None, *, asked: bool | None, as_of: dt.date
) -> RedevelopmentSupply | None:
    """Evaluate the park's ledger when redevelopment land is wanted, and take its supply.

    Raises
    ------
    InputError
        When ``--redevelopment`` is asked and the park has no enterprise table.
    EnterpriseInputError
        When the enterprise table cannot be read.
    """
    if not wanted(park, asked):
        return None
    path = enterprises_path(park_dir)
    if not path.is_file():
        if asked:
            raise _no_ledger()
        return None
    return redevelopment_from_ledger(evaluate(park, read_enterprises(path), as_of=as_of))


def plan_with(park: Park, supply: RedevelopmentSupply | None, **kwargs: Any) -> PhasePlan:
    """:func:`zoning.sequence`, with the redevelopment supply offered when there is one."""
    if supply is None:
        return sequence(park, **kwargs)
    return sequence_with_redevelopment(park, supply, **kwargs)


def _reason_text(reason: object) -> str:
    if isinstance(reason, dict):
        return str(reason.get(get_lang(), reason.get("en", "")))
    return str(reason)


def print_redevelopment(plan: PhasePlan, *, out: Console | None = None) -> None:
    """Print the redevelopment land of a plan: phase, tract, parcel, status, mu, reason."""
    table_ = plan.redevelopment
    if table_.empty:
        return
    out = console if out is None else out
    as_of = table_[s.AS_OF].iloc[0]
    table = Table(
        title=_("Redevelopment land offered to the plan (ledger as of {day})").format(
            day=as_of.isoformat() if hasattr(as_of, "isoformat") else str(as_of)
        )
    )
    for column in (_("phase"), _("tract"), _("parcel"), _("land status"), _("mu"), _("reason")):
        table.add_column(column, overflow="fold")
    ordered = table_.assign(_open=table_[s.PHASE].isna()).sort_values(
        ["_open", s.PHASE, s.PARCEL_ID]
    )
    for row in ordered.to_dict("records"):
        phase = row[s.PHASE]
        status = s.LandStatus(str(row[s.LAND_STATUS]))
        table.add_row(
            "—" if pd.isna(phase) else str(int(phase)),
            escape(str(row["tract_id"] or "—")),
            escape(str(row[s.PARCEL_ID])),
            escape(translate(STATUS_WORDS[status], get_lang())),
            f"{float(row[s.AREA_MU]):,.1f}",
            escape(_reason_text(row[s.REASON])),
        )
    out.print(table)
    out.print(
        _(
            "Redevelopment land is planned as vacant land: the parcels without a phase stay "
            "closed for the reason the plan lists (a held zone, the quota)."
        )
    )


def redevelopment_line(plan: PhasePlan) -> str | None:
    """One line of the plan's summary: the redevelopment land opened, by phase (None: none)."""
    table_ = plan.redevelopment
    if table_.empty:
        return None
    opened = table_[table_[s.PHASE].notna()]
    phases = ", ".join(str(int(p)) for p in sorted(opened[s.PHASE].unique()))
    ids = some_ids(sorted(str(i) for i in opened[s.PARCEL_ID]), at_most=MAX_IDS, sep=" ")
    return _(
        "Redevelopment: {opened} of {offered} idle or inefficient parcel(s) open, {mu} mu, "
        "in phase(s) {phases} ({ids}); `--detail` gives each reason"
    ).format(
        opened=len(opened),
        offered=len(table_),
        mu=f"{opened[s.AREA_MU].astype(float).sum():,.0f}",
        phases=phases or "—",
        ids=ids or "—",
    )


__all__ = [
    "RedevelopmentOption",
    "plan_with",
    "print_redevelopment",
    "redevelopment_line",
    "supply_for_park",
    "supply_from",
    "wanted",
]
