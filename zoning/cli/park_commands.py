"""``zoning validate`` and the park summary part of ``zoning plan``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zoning import schema as s
from zoning.cli._common import console, err_console, labelled, report_user_errors
from zoning.i18n import _, get_lang
from zoning.io import read_park
from zoning.park import Park
from zoning.summary import summarize_zones


def print_warnings(park: Park) -> None:
    """Print the park's data warnings on standard error."""
    for warning in park.warnings:
        err_console.print(labelled("yellow", _("warning:"), escape(str(warning))))


def park_heading(park: Park, *, name: str = "") -> str:
    """Return the park's name (default: both languages') and rulebook version, in bold."""
    return f"[bold]{escape(name or park.name)}[/]  " + _("(rulebook {version})").format(
        version=escape(park.rulebook.version)
    )


def zone_name(row: pd.Series) -> str:
    """Return a zone's name in the current language (the other one when it is missing)."""
    first, second = (s.NAME_ZH, s.NAME_EN) if get_lang() == "zh" else (s.NAME_EN, s.NAME_ZH)
    return str(row.get(first) or row.get(second) or "")


def print_land_budget(park: Park, *, out: Console | None = None) -> None:
    """Print the compact land budget: per zone, its name, total and vacant mu."""
    out = console if out is None else out
    summary = summarize_zones(park)
    table = Table(
        title=_("Land budget (mu; 1 mu = 666.67 m²)"),
        box=None,
        title_justify="left",
        header_style="bold",
        pad_edge=False,
    )
    table.add_column(_("zone"), no_wrap=True)
    table.add_column(_("name"), overflow="fold")
    table.add_column(_("total mu"), justify="right", no_wrap=True)
    table.add_column(_("vacant mu"), justify="right", no_wrap=True)
    for zone_id, row in summary.iterrows():
        table.add_row(
            escape(str(zone_id)),
            escape(zone_name(row)),
            f"{row[s.AREA_MU]:,.0f}",
            f"{row['vacant_mu']:,.0f}",
        )
    table.add_row(
        _("total"), "", f"{summary[s.AREA_MU].sum():,.0f}", f"{summary['vacant_mu'].sum():,.0f}"
    )
    out.print(table)


def print_park_summary(park: Park) -> None:
    """Print the park's name, notice, warnings and the land budget per zone, in full."""
    console.print(park_heading(park))
    if park.notice:
        console.print(labelled("yellow", _("Note:"), escape(park.notice)))
    print_warnings(park)
    summary = summarize_zones(park)
    table = Table(title=_("Land budget per zone (areas in mu, 1 mu = 666.67 m²)"))
    table.add_column(_("zone"))
    table.add_column(_("name"))
    table.add_column(_("priority"), justify="right")
    table.add_column(_("mode"))
    table.add_column(_("zone mu"), justify="right")
    table.add_column(_("vacant mu"), justify="right")
    for status in s.ParcelStatus:
        table.add_column(escape(s.label(status)), justify="right")
    for zone_id, row in summary.iterrows():
        table.add_row(
            str(zone_id),
            f"{row[s.NAME_ZH]} {row[s.NAME_EN]}",
            str(row[s.PRIORITY]),
            escape(s.label(s.DevelopmentMode(row[s.DEVELOPMENT_MODE]))),
            f"{row[s.AREA_MU]:,.0f}",
            f"{row['vacant_mu']:,.0f}",
            *(str(row[f"n_{status}"]) for status in s.ParcelStatus),
        )
    table.add_section()
    table.add_row(
        _("total"),
        "",
        "",
        "",
        f"{summary[s.AREA_MU].sum():,.0f}",
        f"{summary['vacant_mu'].sum():,.0f}",
        *(str(summary[f"n_{status}"].sum()) for status in s.ParcelStatus),
    )
    console.print(table)


@report_user_errors
def validate(
    park_dir: Annotated[
        Path | None,
        typer.Argument(
            help="Park directory to check. Default: the bundled Beichuan park.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a park's layers and rulebook and report every problem found.

    Exits 0 when the park is valid (warnings are printed), 2 when it is not.
    """
    park = read_park(park_dir)
    print_warnings(park)
    counts = _(
        "{zones} zones, {parcels} parcels, {constraints} constraints, {infrastructure} "
        "infrastructure features, {industries} industries in the rulebook"
    ).format(
        zones=len(park.zones),
        parcels=len(park.parcels),
        constraints=len(park.constraints),
        infrastructure=len(park.infrastructure),
        industries=len(park.rulebook.industries),
    )
    if park.warnings:
        counts += _(", ") + _("{count} warning(s)").format(count=len(park.warnings))
    console.print(labelled("green", _("valid:"), f"{escape(park.name)}: {counts}"))
