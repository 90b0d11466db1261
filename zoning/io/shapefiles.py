"""Read a park layer stored as shapefiles: its encoding, its short field names, its parts.

dBASE limits field names to 10 characters and stores text in an encoding named by the
``.cpg`` file, when there is one. This module reads a shapefile layer so that a park
exported by ``zoning export --format shp`` reads back as a park:

- **Encoding** (:func:`detect_shapefile_encoding`, also used by ``zoning import``): the
  ``.cpg`` decides when there is one; otherwise UTF-8 is tried strictly, then GB 18030 (a
  superset of GBK). A GBK file without ``.cpg`` is read as GBK with a warning, and text that
  decodes in neither is refused with advice: never garbled.
- **Field names**: the short names are mapped back to the full ones, from the set's
  ``field_names.csv`` when it is there, otherwise from the documented short names of the data
  dictionary (:func:`zoning.datadict.shapefile_field_names`); compared without case, as dBASE
  readers do. Values of list fields (joined with ``;``) are split again.
- **Parts**: a layer the export splits by geometry (``infrastructure_point.shp``,
  ``infrastructure_line.shp``, ...) is read from all its parts together.
"""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from zoning import datadict as dd
from zoning import schema as s
from zoning.errors import Problem, Severity
from zoning.i18n import _

#: the file of a shapefile set mapping short field names to full names (zoning export)
FIELD_NAMES_FILE: Final = "field_names.csv"
#: the parts a layer split by geometry is exported as, in this order
PART_SUFFIXES: Final = ("_point", "_line", "_polygon")
#: .cpg values and the Python codec they name
_CPG_CODECS: Final = {
    "936": "gbk",
    "cp936": "gbk",
    "gbk": "gbk",
    "gb2312": "gbk",
    "gb18030": "gb18030",
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
}


def _dbf_text_bytes(dbf: Path) -> bytes:
    data = dbf.read_bytes()
    if len(data) < 32:
        return b""
    header_len = int.from_bytes(data[8:10], "little")
    names = b"".join(data[i : i + 11].split(b"\x00")[0] for i in range(32, header_len - 1, 32))
    return names + b"\n" + data[header_len:].rstrip(b"\x1a")


def detect_shapefile_encoding(shp: Path) -> tuple[str | None, str, Problem | None]:
    """Return the codec of a shapefile's attributes, how it was found, or the problem.

    The ``.cpg`` decides when there is one (and the text must decode in it); otherwise UTF-8
    is tried strictly, then GB 18030 (a superset of GBK and GB 2312).
    """
    dbf = shp.with_suffix(".dbf")
    if not dbf.is_file():
        return (
            None,
            "",
            Problem(
                shp.name,
                "missing .dbf file beside the .shp",
                fix="deliver the .shp, .shx, .dbf and .prj together",
            ),
        )
    raw = _dbf_text_bytes(dbf)
    cpg = shp.with_suffix(".cpg")
    if cpg.is_file():
        declared = cpg.read_text(encoding="ascii", errors="replace").strip().lower()
        codec = _CPG_CODECS.get(declared, declared)
        try:
            raw.decode(codec)
        except (LookupError, UnicodeDecodeError) as exc:
            return (
                None,
                "",
                Problem(
                    shp.name,
                    f"the .cpg names the encoding {declared!r}, but the attributes do not decode "
                    f"in it ({exc})",
                    fix="correct or delete the .cpg file (without one, UTF-8 and GBK are tried)",
                ),
            )
        return codec, f"encoding {codec} (from {cpg.name})", None
    if raw.isascii():
        return "utf-8", "encoding: plain ASCII text, read as UTF-8 (no .cpg)", None
    try:
        raw.decode("utf-8")
        return "utf-8", "encoding UTF-8 (no .cpg; the text is valid UTF-8)", None
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        return (
            None,
            "",
            Problem(
                shp.name,
                f"the attribute text is neither UTF-8 nor GBK/GB 18030 ({exc.reason} at byte "
                f"{exc.start}); it is not loaded, to avoid garbled names",
                fix="add a .cpg file naming the encoding (for example 936 for GBK)",
            ),
        )
    return "gb18030", "encoding GBK/GB 18030 (no .cpg; the text is not UTF-8, decodes as GBK)", None


def shapefile_parts(folder: Path, layer: str) -> list[Path]:
    """Return the shapefiles of ``layer`` in ``folder``: ``<layer>.shp``, its parts or the export's.

    Examples
    --------
    >>> shapefile_parts(Path("."), "no-such-layer")
    []

    The export's names (``beichuan_zones_epsg4543.shp``,
    ``beichuan_infrastructure_point_epsg4543.shp``) are recognised too.
    """
    whole = folder / f"{layer}.shp"
    if whole.is_file():
        return [whole]
    parts = [p for x in PART_SUFFIXES if (p := folder / f"{layer}{x}.shp").is_file()]
    if parts or not folder.is_dir():
        return parts
    # the export's own names: <park_id>_<layer>[_<geometry>]_epsg<code>.shp
    pattern = re.compile(rf"(?:.+_)?{re.escape(layer)}(?:{'|'.join(PART_SUFFIXES)})?_epsg\d+")
    return sorted(p for p in folder.glob("*.shp") if pattern.fullmatch(p.stem))


def _full_names(shp: Path, layer: str) -> dict[str, str]:
    """Short field name (lower case) to full name for one shapefile of ``layer``."""
    names = shp.parent / FIELD_NAMES_FILE
    if names.is_file():
        with names.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r.get("file", "").lower() == shp.name.lower()]
        if rows:
            return {r["shapefile_field"].lower(): r["full_name"] for r in rows}
    spec = dd.EXPORT_LAYER_BY_NAME.get(layer)
    if spec is None:
        return {}
    short = dd.shapefile_field_names(f.name for f in spec.shapefile_fields)
    return {v.lower(): k for k, v in short.items()}


def _list_fields(layer: str) -> set[str]:
    spec = s.LAYER_BY_NAME.get(layer)
    return {f.name for f in spec.fields if f.type == "list[str]"} if spec is not None else set()


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [v.strip() for v in value.split(dd.LIST_SEPARATOR) if v.strip()]
    return value


def read_shapefile_layer(shp: Path, layer: str) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Read a park layer from ``shp`` and the other parts of its layer, with full field names.

    Returns
    -------
    tuple of (GeoDataFrame or None, list of Problem)
        The layer (None if it cannot be read) and its problems: an encoding that would
        garble the text is an error; a GBK file without ``.cpg`` read as GBK is a warning.
    """
    parts = shapefile_parts(shp.parent, layer) or [shp]
    frames: list[gpd.GeoDataFrame] = []
    problems: list[Problem] = []
    for part in parts:
        codec, how, problem = detect_shapefile_encoding(part)
        if problem is not None:
            return None, [*problems, problem]
        if codec == "gb18030" and not part.with_suffix(".cpg").is_file():
            problems.append(
                Problem(
                    part.name,
                    _("no .cpg file: the text was read as GBK/GB 18030 ({how})").format(how=how),
                    fix=_("add {cpg} holding 936 (GBK), or save the layer as UTF-8").format(
                        cpg=part.with_suffix(".cpg").name
                    ),
                    severity=Severity.WARNING,
                )
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame: gpd.GeoDataFrame = gpd.read_file(part, engine="fiona", encoding=codec)
        full = _full_names(part, layer)
        frames.append(frame.rename(columns={c: full.get(str(c).lower(), c) for c in frame.columns}))
    gdf = frames[0] if len(frames) == 1 else _concat(frames)
    for name in _list_fields(layer) & set(gdf.columns):
        gdf[name] = gdf[name].map(_split_list)
    return gdf, problems


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    crs = frames[0].crs
    same = [f if f.crs == crs else f.to_crs(crs) for f in frames]
    return gpd.GeoDataFrame(pd.concat(same, ignore_index=True), geometry="geometry", crs=crs)
