"""Shapefile export: one shapefile per layer and geometry family, with short field names."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from zoning import datadict as dd
from zoning import schema as s
from zoning.errors import ExportError
from zoning.io.export._fiona import fiona_feature, load_fiona
from zoning.io.export.bundle import DEFAULT_CRS, ExportBundle
from zoning.io.export.naming import export_file_name
from zoning.io.export.parts import Part, export_parts
from zoning.io.export.values import column_values

#: name of the file mapping shapefile field names to full names, in a shapefile set
FIELD_NAMES_FILE: Final = "field_names.csv"


def _cut_utf8(text: str, limit: int = dd.SHAPEFILE_MAX_TEXT_BYTES) -> str:
    """Cut ``text`` to at most ``limit`` bytes of UTF-8 without splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _shapefile_columns(
    part: Part, short: Mapping[str, str], warnings: list[str]
) -> tuple[dict[str, str], dict[str, list[Any]]]:
    """Return the dBASE schema and the values of one shapefile, texts cut to 254 bytes."""
    schema: dict[str, str] = {}
    values: dict[str, list[Any]] = {}
    ids = part.frame[part.layer.key[0]].astype(str).tolist() if len(part.frame) else []
    for spec in part.layer.shapefile_fields:
        column = column_values(part.frame[spec.name], spec.type)
        name = short[spec.name]
        if spec.type in ("str", "list[str]"):
            if spec.type == "list[str]":
                column = [dd.LIST_SEPARATOR.join(v) for v in column]
            long_ids = [
                i
                for i, v in zip(ids, column, strict=True)
                if v is not None and _utf8_len(v) > dd.SHAPEFILE_MAX_TEXT_BYTES
            ]
            if long_ids:
                warnings.append(
                    f"{part.name}.shp: {len(long_ids)} value(s) of {spec.name} cut to "
                    f"{dd.SHAPEFILE_MAX_TEXT_BYTES} bytes (ids {', '.join(long_ids[:5])}); "
                    "the GeoPackage and GeoJSON keep the full text"
                )
                column = [None if v is None else _cut_utf8(v) for v in column]
            width = max([1, *(_utf8_len(v) for v in column if v is not None)])
            schema[name] = f"str:{width}"
        elif spec.type == "int":
            schema[name] = "int:18"
        elif spec.type == "float":
            finite = [abs(v) for v in column if v is not None]
            digits = len(str(int(max(finite)))) if finite else 1
            schema[name] = f"float:24.{max(0, min(15, 24 - digits - 2))}"
        else:
            schema[name] = "bool"
        values[name] = column
    return schema, values


def _check_list_separators(part: Part) -> None:
    """Refuse list values that contain the separator (they could not be split again)."""
    for spec in part.layer.shapefile_fields:
        if spec.type != "list[str]":
            continue
        lists = column_values(part.frame[spec.name], spec.type)
        bad = [v for values in lists for v in values if dd.LIST_SEPARATOR in v]
        if bad:
            raise ExportError(
                f"cannot write {part.name}.shp: values of {spec.name} contain the list "
                f"separator '{dd.LIST_SEPARATOR}': {bad[:5]}"
            )


def _write_metadata_table(fiona: Any, path: Path, record: Mapping[str, Any]) -> None:
    """Write the metadata record as the key/value table ``metadata.dbf`` (long texts split)."""
    kv_rows: list[dict[str, Any]] = []
    for spec in dd.METADATA.fields:
        value = record[spec.name]
        if spec.type == "list[str]":
            texts = [str(v) for v in value]
        elif spec.type == "bool":
            texts = ["true" if value else "false"]
        else:
            texts = ["" if value is None else str(value)]
        for text in texts:
            for part_no, chunk in enumerate(_chunks(text), start=1):
                kv_rows.append(
                    {s.METADATA_KEY: spec.name, s.METADATA_PART: part_no, s.METADATA_VALUE: chunk}
                )
    with fiona.open(
        path,
        "w",
        driver="ESRI Shapefile",
        schema={
            "geometry": "None",
            "properties": {
                s.METADATA_KEY: "str:20",
                s.METADATA_PART: "int:4",
                s.METADATA_VALUE: f"str:{dd.SHAPEFILE_MAX_TEXT_BYTES}",
            },
        },
        encoding="utf-8",
    ) as sink:
        sink.writerecords(fiona_feature(fiona, None, row) for row in kv_rows)


def write_shapefiles(bundle: ExportBundle, directory: Path, *, crs: str = DEFAULT_CRS) -> list[str]:
    """Write a shapefile set into ``directory`` (created) in ``crs``.

    One shapefile per layer and geometry family, named by
    :func:`~zoning.io.export.naming.export_file_name` (``beichuan_zones_epsg4490.shp``,
    ``beichuan_infrastructure_point_epsg4490.shp``, ...), UTF-8
    with a ``.cpg`` file; field names of at most 10 characters, mapped from the full names
    by :func:`zoning.datadict.shapefile_field_names` and listed in ``field_names.csv``; list
    fields joined with ``;``; the metadata record as the key/value table
    ``<park_id>_metadata_epsg<code>.dbf``.

    Returns
    -------
    list of str
        Warnings: texts longer than a dBASE field holds (254 bytes) are cut, and said so.

    Raises
    ------
    ExportError
        If a list value contains the separator ``;`` (it could not be split again).
    """
    fiona = load_fiona()
    directory.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    mapping_rows: list[tuple[str, str, str]] = []
    for part in export_parts(bundle, crs):
        _check_list_separators(part)
        short = dd.shapefile_field_names(f.name for f in part.layer.shapefile_fields)
        schema, values = _shapefile_columns(part, short, warnings)
        file_name = export_file_name(bundle.park_id, part.name, crs, ".shp")
        mapping_rows += [(file_name, short[k], k) for k in short]
        with fiona.open(
            directory / file_name,
            "w",
            driver="ESRI Shapefile",
            schema={"geometry": part.geometry_type, "properties": schema},
            crs=crs,
            encoding="utf-8",
        ) as sink:
            rows = [{k: v[i] for k, v in values.items()} for i in range(len(part.frame))]
            sink.writerecords(
                fiona_feature(fiona, geom, rec) for geom, rec in zip(part.geoms, rows, strict=True)
            )
    metadata_name = export_file_name(bundle.park_id, dd.METADATA.name, crs, ".dbf")
    _write_metadata_table(fiona, directory / metadata_name, bundle.metadata_record(crs))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "shapefile_field", "full_name"])
    writer.writerows(mapping_rows)
    (directory / FIELD_NAMES_FILE).write_text(buffer.getvalue(), encoding="utf-8")
    return warnings


def _chunks(text: str, limit: int = dd.SHAPEFILE_MAX_TEXT_BYTES) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` UTF-8 bytes (at least one piece).

    dBASE pads values with spaces and readers strip them, at either end: a piece never
    begins or ends with whitespace, so the pieces joined give ``text`` back exactly. (Only a
    text with no two adjacent non-space characters in a whole piece's length, which no
    notice or credit line is, has to be cut at a space.)

    Examples
    --------
    >>> _chunks("ab cd ef", limit=4)
    ['ab c', 'd ef']
    >>> "".join(_chunks("示意数据 Illustrative", limit=13))
    '示意数据 Illustrative'
    """
    pieces: list[str] = []
    while _utf8_len(text) > limit:
        cut = len(_cut_utf8(text, limit))
        while cut > 1 and (text[cut - 1].isspace() or text[cut].isspace()):
            cut -= 1
        if cut <= 1:  # whitespace all the way: cut where the bytes run out
            cut = len(_cut_utf8(text, limit))
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


__all__ = ["FIELD_NAMES_FILE", "write_shapefiles"]
