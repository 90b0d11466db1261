"""``zoning map``: draw the park, and optionally fit results and a phase plan, as HTML."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zoning import schema as s
from zoning.cli._common import ParkOption, console, report_user_errors
from zoning.errors import InputError, Problem
from zoning.io import read_park

if TYPE_CHECKING:
    import geopandas as gpd

    from zoning.park import Park

#: where the map goes when -o is not given; {park_id} is the park's identifier
DEFAULT_OUTPUT = "maps/{park_id}_map.html"


def _check_projects(park: Park, projects: Path | None) -> gpd.GeoDataFrame | None:
    if projects is None:
        return None
    import zoning
    from zoning.io import read_projects

    results: gpd.GeoDataFrame = zoning.check(park, read_projects(projects))
    return results


def _sequence(park: Park, quota_mu: float | None) -> object | None:
    if quota_mu is None:
        return None
    import zoning

    sequence = getattr(zoning, "sequence", None)
    if sequence is None:  # pragma: no cover - until the sequencer is part of the package
        raise InputError(
            "cannot draw the phase plan",
            [Problem("--quota-mu", "phase planning is not available in this version")],
        )
    plan: object = sequence(park, quota_mu=quota_mu)
    return plan


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
            "or best zone, coloured by verdict.",
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
            "amap (高德, GCJ-02: overlays are shifted to match); none (offline).",
            case_sensitive=False,
        ),
    ] = s.Basemap.OSM,
) -> None:
    """Write an interactive HTML map of the park: zones, parcels, constraints, infrastructure.

    --projects adds the fit check and --quota-mu the phase plan; open the file in a browser.
    """
    from zoning.io.maps import write_map
    from zoning.mapping import make_map

    park = read_park(park_dir)
    results = _check_projects(park, projects)
    plan = _sequence(park, quota_mu)
    m = make_map(
        park,
        results=results,
        plan=plan,  # type: ignore[arg-type]
        basemap=basemap,
        tianditu_key=os.environ.get(s.TIANDITU_KEY_ENV),
    )
    target = output if output is not None else Path(DEFAULT_OUTPUT.format(park_id=park.park_id))
    written = write_map(m, target)
    size_kb = written.stat().st_size / 1024
    console.print(f"map written: {written} ({size_kb:,.0f} KB, basemap {basemap.value})")
    if park.notice:
        console.print("[yellow]Note:[/] the map shows an illustrative layout (see its notice).")
