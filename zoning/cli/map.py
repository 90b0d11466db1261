"""``zoning map``: draw the park, and optionally fit results and a phase plan, as HTML.

When the park folder has an enterprise table (``enterprises.csv``) the map also shows the
yearly ledger: the per-mu grades and the idle and inefficient land (off at start).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from zoning import schema as s
from zoning.cli._common import (
    ParkOption,
    TilesAttributionOption,
    TilesOption,
    check_if_given,
    console,
    err_console,
    labelled,
    plan_if_given,
    report_user_errors,
)
from zoning.i18n import _
from zoning.io import read_park
from zoning.io.outputs import output_path

#: where the map goes when -o is not given; {park_id} is the park's identifier
DEFAULT_OUTPUT = "maps/{park_id}_map.html"
#: the folder and the file name of :data:`DEFAULT_OUTPUT`
DEFAULT_FOLDER, DEFAULT_NAME = DEFAULT_OUTPUT.split("/")


@report_user_errors
def map_command(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="HTML file to write (folders are created). Default: maps/<park id>_map.html.",
            show_default=False,
        ),
    ] = None,
    park_dir: ParkOption = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Projects file (CSV or GeoJSON) to check: each project is drawn at its site "
            "or best zone, coloured by verdict, with candidate sites for those without one.",
            show_default=False,
        ),
    ] = None,
    quota_mu: Annotated[
        float | None,
        typer.Option(
            "--quota-mu",
            min=0.0,
            help="Land opened per phase, mu (亩): draws the phase plan, one layer per phase.",
            show_default=False,
        ),
    ] = None,
    basemap: Annotated[
        s.Basemap,
        typer.Option(
            "--basemap",
            help=f"Background tiles: osm; tianditu (天地图, needs ${s.TIANDITU_KEY_ENV}); "
            "amap (高德, GCJ-02: overlays are shifted to match); none (no tiles). The map "
            "needs no network: without tiles it shows a vector background of the park.",
            case_sensitive=False,
        ),
    ] = s.Basemap.OSM,
    tiles: TilesOption = None,
    tiles_attribution: TilesAttributionOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day of the yearly ledger drawn when the park has enterprises.csv, "
            "YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write an interactive HTML map of the park: zones, parcels, constraints, infrastructure.

    --projects adds the fit check and the candidate sites of projects without a site, and
    --quota-mu the phase plan; open the file in a browser.
    """
    from zoning.cli.ledger import parse_day
    from zoning.cli.plan import ledger_if_any
    from zoning.io.maps import write_map
    from zoning.maps import make_map
    from zoning.planning.siting import propose_sites

    day = parse_day(as_of)
    park = read_park(park_dir)
    ledger, warnings = ledger_if_any(park, park_dir, day)
    results = check_if_given(park, projects)
    sites = propose_sites(park, results) if results is not None else None
    plan = plan_if_given(park, quota_mu)
    m = make_map(
        park,
        results=results,
        plan=plan,
        sites=sites,
        basemap=basemap,
        tianditu_key=os.environ.get(s.TIANDITU_KEY_ENV),
        tiles_url=tiles,
        tiles_attribution=tiles_attribution,
        ledger=ledger,
    )
    target = (
        output
        if output is not None  # the planner's own choice
        else output_path(DEFAULT_FOLDER, DEFAULT_NAME.format(park_id=park.park_id))
    )
    written = write_map(m, target)
    size_kb = written.stat().st_size / 1024
    shown = "tiles " + tiles if tiles is not None else f"basemap {basemap.value}"
    console.print(f"map written: {written} ({size_kb:,.0f} KB, {shown})")
    for warning in warnings:
        err_console.print(labelled("yellow", _("warning:"), escape(warning)), soft_wrap=True)
    if park.notice:
        console.print("[yellow]Note:[/] the map shows an illustrative layout (see its notice).")
