"""fiona, loaded only when a GeoPackage or shapefile is written (the core never loads it)."""

from __future__ import annotations

from typing import Any, Final

from zoning import datadict as dd

FIONA_TYPE: Final[dict[dd.ExportFieldType, str]] = {
    "str": "str",
    "int": "int64",
    "float": "float",
    "bool": "bool",
    "list[str]": "json",
    "json": "json",
}


def load_fiona() -> Any:
    """Import and return fiona."""
    import fiona  # imported here: the core never loads fiona

    return fiona


def file_errors() -> tuple[type[Exception], ...]:
    """Return the exceptions fiona raises when GDAL cannot write (disk full, bad path)."""
    from fiona._err import CPLE_BaseError
    from fiona.errors import FionaError

    return (FionaError, CPLE_BaseError)


def fiona_feature(fiona: Any, geom: Any, props: dict[str, Any]) -> Any:
    """Return a fiona feature of a shapely geometry (or ``None``) and its properties."""
    geometry = None if geom is None else fiona.Geometry.from_dict(geom.__geo_interface__)
    return fiona.Feature(geometry=geometry, properties=fiona.Properties(**props))


__all__ = ["FIONA_TYPE", "file_errors", "fiona_feature", "load_fiona"]
