"""``zoning import``: build a park folder from the administration's own layers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from zoning.cli._common import console, err_console, report_user_errors

SourceOption = Annotated[
    str | None,
    typer.Option(
        help="Shapefile, GeoPackage (FILE.gpkg#LAYER), GeoJSON, DXF, or a PostGIS table "
        "(postgresql://user@host:port/db#schema.table).",
        show_default=False,
    ),
]


@report_user_errors
def import_command(
    target: Annotated[Path, typer.Argument(help="The park folder to create (it must not exist).")],
    zones: SourceOption = None,
    parcels: SourceOption = None,
    constraints: SourceOption = None,
    infrastructure: SourceOption = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Field-mapping file (TOML): their field names and values to ours."),
    ] = None,
    rulebook: Annotated[
        Path | None,
        typer.Option(help="Rulebook to copy. Default: the bundled Beichuan rulebook."),
    ] = None,
    park_id: Annotated[
        str | None, typer.Option(help="Park id. Default: the target folder's name.")
    ] = None,
    crs: Annotated[
        str | None,
        typer.Option(help="CRS of every layer (EPSG:4543 …), replacing what the files say."),
    ] = None,
    name_zh: Annotated[str, typer.Option(help="The park's name in Chinese.")] = "",
    name_en: Annotated[str, typer.Option(help="The park's name in English.")] = "",
) -> None:
    """Import zones, parcels, constraints and infrastructure into a new park folder.

    Detects the encoding of shapefiles (.cpg, else UTF-8, else GBK), the CRS (declared, or
    recognised from the coordinates, e.g. the zone prefix 34 of EPSG:4522), maps Chinese
    field names and converts GB 50137-2011 land-use codes, then validates the park. Writes
    nothing when anything is wrong (exit 2).
    """
    from zoning.io.importing import import_park

    given = {
        "zones": zones,
        "parcels": parcels,
        "constraints": constraints,
        "infrastructure": infrastructure,
    }
    sources = {name: spec for name, spec in given.items() if spec is not None}
    result = import_park(
        target,
        sources,
        mapping=mapping,
        rulebook=rulebook,
        park_id=park_id,
        crs=crs,
        name_zh=name_zh,
        name_en=name_en,
    )
    for line in result.report:
        console.print(escape(line))
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(str(warning))}")
    console.print(f"[green]imported:[/] {escape(str(result.park_dir))}")
