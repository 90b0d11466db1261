"""GeoPackage export: one file with every layer, one geometry type per layer."""

from __future__ import annotations

import json
from pathlib import Path

from zoning import datadict as dd
from zoning import schema as s
from zoning.io.export._fiona import FIONA_TYPE, fiona_feature, load_fiona
from zoning.io.export.bundle import DEFAULT_CRS, ExportBundle
from zoning.io.export.parts import export_parts
from zoning.io.export.values import layer_records


def write_geopackage(bundle: ExportBundle, path: Path, *, crs: str = DEFAULT_CRS) -> list[str]:
    """Write every layer into one GeoPackage at ``path`` in ``crs``.

    Each layer has one geometry type (MultiPolygon, MultiLineString, Point); a layer mixing
    families is split into ``<layer>_<family>``; list fields are JSON arrays (TEXT with the
    JSON subtype); the metadata record is an attribute table.

    Returns
    -------
    list of str
        Warnings (none: the GeoPackage holds every value).
    """
    fiona = load_fiona()
    for part in export_parts(bundle, crs):
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
    return []


__all__ = ["write_geopackage"]
