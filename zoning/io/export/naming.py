"""File names of an export: one function names every file, with the park and the CRS.

A file that leaves the planner says which park it holds and in which coordinate reference
system, so that a receiving GIS cannot mistake EPSG:4490 degrees for EPSG:4543 metres:

- GeoJSON: ``<park_id>-geojson/<park_id>_<layer>_epsg4326.geojson`` (RFC 7946 is WGS84);
- GeoPackage: ``<park_id>_epsg<code>.gpkg`` (its layers keep the plain layer names);
- Shapefile: ``<park_id>-shapefile/<park_id>_<layer>_epsg<code>.shp`` (and ``.dbf``,
  ``.shx``, ``.prj``, ``.cpg``), the metadata table ``<park_id>_metadata_epsg<code>.dbf``.

Other engineers' code (the plan command, the import of an export) names files through
:func:`export_file_name` and :func:`export_items`, never by hand.

Examples
--------
>>> export_file_name("beichuan", "zones", "EPSG:4543", ".shp")
'beichuan_zones_epsg4543.shp'
>>> crs_tag("EPSG:4522")
'epsg4522'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from pyproj import CRS

from zoning.io.export.bundle import ExportFormat
from zoning.units import WGS84

#: the CRS of every GeoJSON file (RFC 7946)
GEOJSON_CRS: Final = WGS84


def crs_tag(crs: str) -> str:
    """Return the CRS part of a file name, ``epsg<code>``.

    Raises
    ------
    ValueError
        If ``crs`` has no EPSG code.
    """
    epsg = CRS.from_user_input(crs).to_epsg()
    if epsg is None:
        raise ValueError(f"no EPSG code for {crs!r}; export files are named by EPSG code")
    return f"epsg{epsg}"


def export_file_name(park_id: str, part: str, crs: str, suffix: str) -> str:
    """Return the name of one exported file: ``<park_id>_<part>_epsg<code><suffix>``.

    Parameters
    ----------
    park_id
        The park.
    part
        The layer or layer part (``zones``, ``infrastructure_point``, ``metadata``).
    crs
        The CRS of the file's coordinates (GeoJSON: always EPSG:4326).
    suffix
        ``.geojson``, ``.shp``, ``.dbf``.
    """
    return f"{park_id}_{part}_{crs_tag(crs)}{suffix}"


def export_items(
    park_id: str, formats: Iterable[ExportFormat | str], crs: str
) -> dict[ExportFormat, str]:
    """Names of what each format writes in the target directory.

    Examples
    --------
    >>> list(export_items("beichuan", ["geojson", "gpkg", "shp"], "EPSG:4490").values())
    ['beichuan-geojson', 'beichuan_epsg4490.gpkg', 'beichuan-shapefile']
    """
    names = {
        ExportFormat.GEOJSON: f"{park_id}-geojson",
        ExportFormat.GPKG: f"{park_id}_{crs_tag(crs)}.gpkg",
        ExportFormat.SHP: f"{park_id}-shapefile",
    }
    return {ExportFormat(f): names[ExportFormat(f)] for f in formats}


__all__ = ["GEOJSON_CRS", "crs_tag", "export_file_name", "export_items"]
