"""GeoPackage export: one file with every layer, one geometry type per layer."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from zoning import datadict as dd
from zoning import schema as s
from zoning.datadict_zh import field_comment, field_title_zh
from zoning.io.export._fiona import FIONA_TYPE, fiona_feature, load_fiona
from zoning.io.export.bundle import DEFAULT_CRS, ExportBundle
from zoning.io.export.parts import export_parts
from zoning.io.export.values import layer_records


def write_geopackage(bundle: ExportBundle, path: Path, *, crs: str = DEFAULT_CRS) -> list[str]:
    """Write every layer into one GeoPackage at ``path`` in ``crs``.

    Each layer has one geometry type (MultiPolygon, MultiLineString, Point); a layer mixing
    families is split into ``<layer>_<family>``; list fields are JSON arrays (TEXT with the
    JSON subtype); the metadata record is an attribute table. Every column has its Chinese
    title and description (Chinese and English) in ``gpkg_data_columns``.

    Returns
    -------
    list of str
        Warnings (none: the GeoPackage holds every value).
    """
    fiona = load_fiona()
    parts = export_parts(bundle, crs)
    for part in parts:
        schema = {
            "geometry": part.geometry_type,
            "properties": {f.name: FIONA_TYPE[f.type] for f in part.layer.fields},
        }
        records = layer_records(part.frame, part.layer)
        for record in records:
            for spec in part.layer.fields:
                is_json = spec.type in ("list[str]", "json")
                if is_json and record[spec.name] is not None:
                    record[spec.name] = json.dumps(record[spec.name], ensure_ascii=False)
        with fiona.open(
            path,
            "w",
            driver="GPKG",
            layer=part.name,
            schema=schema,
            crs=crs,
            encoding="utf-8",
            DESCRIPTION=part.layer.description,
        ) as sink:
            sink.writerecords(
                fiona_feature(fiona, geom, rec)
                for geom, rec in zip(part.geoms, records, strict=True)
            )
    meta_schema = {
        "geometry": "None",
        "properties": {f.name: FIONA_TYPE[f.type] for f in dd.METADATA.fields},
    }
    record = bundle.metadata_record(crs)
    record[s.CREDITS] = json.dumps(record[s.CREDITS], ensure_ascii=False)
    with fiona.open(
        path,
        "w",
        driver="GPKG",
        layer=dd.METADATA.name,
        schema=meta_schema,
        encoding="utf-8",
        DESCRIPTION=dd.METADATA.description,
    ) as sink:
        sink.write(fiona_feature(fiona, None, record))
    _write_data_columns(
        path, [(p.name, p.layer) for p in parts] + [(dd.METADATA.name, dd.METADATA)]
    )
    return []


def _write_data_columns(path: Path, tables: list[tuple[str, dd.ExportLayer]]) -> None:
    """Give every column its Chinese title and description in ``gpkg_data_columns``.

    The schema extension (``gpkg_schema``) is registered for the table; QGIS shows the
    title as the field's alias. GDAL's rows (the JSON mime type of list fields) are kept.
    """
    rows = [
        (
            table,
            spec.name,
            field_title_zh(layer.name, spec.name),
            field_title_zh(layer.name, spec.name),
            field_comment(layer.name, spec.name, spec.description),
        )
        for table, layer in tables
        for spec in layer.fields
    ]
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, "
            "column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT, "
            "mime_type TEXT, constraint_name TEXT, "
            "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
            "CONSTRAINT gdc_tn UNIQUE (table_name, name))"
        )
        db.execute(
            "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
            "scope) SELECT 'gpkg_data_columns', NULL, 'gpkg_schema', "
            "'http://www.geopackage.org/spec121/#extension_schema', 'read-write' WHERE NOT "
            "EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = 'gpkg_data_columns' "
            "AND extension_name = 'gpkg_schema')"
        )
        db.executemany(
            "INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (table_name, column_name) DO UPDATE SET "
            "name = excluded.name, title = excluded.title, description = excluded.description",
            rows,
        )


__all__ = ["write_geopackage"]
