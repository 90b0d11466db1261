"""``zoning plan``: the main job on a park (default: the bundled Beichuan park).

It validates the park, checks its project pipeline, makes the phase plan of land supply,
places the fitting projects phase by phase, draws the web map and writes the GeoJSON set
beside it. Everything is read and computed before anything is
written, so bad input leaves no files behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import geopandas as gpd
import typer
from rich.markup import escape

from zoning import schema as s
from zoning.cli._common import ParkOption, console, report_user_errors
from zoning.cli.check import print_check_results, run_pipeline_check
from zoning.cli.park_commands import print_park_summary
from zoning.cli.sequence import print_phase_plan
from zoning.fit import build_park_facts
from zoning.fit import check as check_projects
from zoning.io import read_park, read_projects
from zoning.io.export import export_park
from zoning.io.maps import write_map
from zoning.mapping import make_map
from zoning.park import Park
from zoning.sequencing import sequence
from zoning.siting import propose_sites


def _check(
    park: Park, park_dir: Path | None, projects: Path | None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None:
    """Check the projects (default: the park's pipeline), print them; results and sites."""
    if projects is None:
        return run_pipeline_check(park, park_dir)
    facts = build_park_facts(park)
    results = check_projects(park, read_projects(projects), facts=facts)
    sites = propose_sites(park, results, facts=facts)
    print_check_results(results, sites=sites, title=f"Project fit check ({projects.name})")
    return results, sites


@report_user_errors
def plan(
    park_dir: ParkOption = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Projects file (CSV or GeoJSON) to check and place. Default: the park's own "
            "pipeline, projects.csv in the park directory.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    quota_mu: Annotated[
        float | None,
        typer.Option(
            "--quota-mu",
            min=0.0,
            help="Land opened per phase, in mu. Default: the rulebook's default_quota_mu.",
            show_default=False,
        ),
    ] = None,
    phases: Annotated[
        int | None,
        typer.Option(
            "--phases",
            min=1,
            help="Number of phases. Default: the rulebook's default_phases.",
            show_default=False,
        ),
    ] = None,
    basemap: Annotated[
        s.Basemap,
        typer.Option("--basemap", help="Basemap of the web map (none works offline)."),
    ] = s.Basemap.OSM,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            file_okay=False,
            help="Folder for the map (<park>_plan.html) and the GeoJSON set (<park>-geojson/).",
        ),
    ] = Path("maps"),
) -> None:
    """Run the whole job: validate, check the project pipeline, phase the land, map, export.

    With no options it runs on the bundled Beichuan Industrial Park (illustrative layout) and
    writes maps/beichuan_plan.html and maps/beichuan-geojson/.
    """
    park = read_park(park_dir)
    print_park_summary(park)
    checked = _check(park, park_dir, projects)
    results, sites = (None, None) if checked is None else checked
    phase_plan = sequence(park, quota_mu=quota_mu, phases=phases)
    print_phase_plan(phase_plan)
    if results is not None:
        placement = sequence(park, quota_mu=quota_mu, phases=phases, projects=results)
        print_phase_plan(
            placement,
            title=f"Project placement: which fitting project opens which land, quota "
            f"{placement.quota_mu:,.0f} mu per phase",
        )
    html = write_map(
        make_map(park, results=results, plan=phase_plan, sites=sites, basemap=basemap),
        out_dir / f"{park.park_id}_plan.html",
    )
    report = export_park(park, out_dir, formats=("geojson",), results=results, plan=phase_plan)
    console.print(f"[green]map:[/] {escape(str(html))}")
    for name in report.written:
        console.print(f"[green]GeoJSON:[/] {escape(str(Path(report.target) / name))}")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(str(warning))}")
