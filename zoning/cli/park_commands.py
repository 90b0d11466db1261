"""``zoning validate`` and the park summary part of ``zoning plan``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zoning import schema as s
from zoning.cli._common import console, err_console, report_user_errors
from zoning.io import read_park
from zoning.park import Park
from zoning.summary import summarize_zones


def print_park_summary(park: Park) -> None:
    """Print the park's name, notice, warnings and the land budget per zone."""
    console.print(f"[bold]{park.name}[/]  (rulebook {park.rulebook.version})")
    if park.notice:
        console.print(f"[yellow]Note:[/] {escape(park.notice)}")
    for warning in park.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(str(warning))}")
    summary = summarize_zones(park)
    table = Table(title="Land budget per zone (areas in mu, 1 mu = 666.67 m²)")
    table.add_column("zone")
    table.add_column("name")
    table.add_column("priority", justify="right")
    table.add_column("mode")
    table.add_column("zone mu", justify="right")
    table.add_column("vacant mu", justify="right")
    for status in s.ParcelStatus:
        table.add_column(f"{status}", justify="right")
    for zone_id, row in summary.iterrows():
        table.add_row(
            str(zone_id),
            f"{row[s.NAME_ZH]} {row[s.NAME_EN]}",
            str(row[s.PRIORITY]),
            str(row[s.DEVELOPMENT_MODE]),
            f"{row[s.AREA_MU]:,.0f}",
            f"{row['vacant_mu']:,.0f}",
            *(str(row[f"n_{status}"]) for status in s.ParcelStatus),
        )
    table.add_section()
    table.add_row(
        "total",
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
    for warning in park.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(str(warning))}")
    console.print(
        f"[green]valid:[/] {park.name}: {len(park.zones)} zones, {len(park.parcels)} parcels, "
        f"{len(park.constraints)} constraints, {len(park.infrastructure)} infrastructure "
        f"features, {len(park.rulebook.industries)} industries in the rulebook"
        + (f", {len(park.warnings)} warning(s)" if park.warnings else "")
    )
