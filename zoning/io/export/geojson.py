"""GeoJSON export: one RFC 7946 file per layer, written by :mod:`zoning.io.geojson`."""

from __future__ import annotations

from pathlib import Path

from zoning import datadict as dd
from zoning.io.export.bundle import ExportBundle
from zoning.io.export.values import layer_records
from zoning.io.geojson import feature_collection_text
from zoning.units import WGS84


def write_geojson(bundle: ExportBundle, directory: Path) -> list[str]:
    """Write one RFC 7946 GeoJSON file per layer into ``directory`` (created).

    Every layer, the metadata record included (one feature without geometry), becomes
    ``<layer>.geojson``: a FeatureCollection in WGS84 longitude/latitude with no ``crs``
    member, counter-clockwise exterior rings, 7 decimals, UTF-8, lists as JSON arrays.

    Returns
    -------
    list of str
        Warnings (none: GeoJSON holds every value).
    """
    directory.mkdir(parents=True, exist_ok=True)
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            text = feature_collection_text(None, [bundle.metadata_record(WGS84)], name=layer.name)
        else:
            frame = bundle.layers[layer.name]
            text = feature_collection_text(
                frame.geometry, layer_records(frame, layer), name=layer.name
            )
        (directory / f"{layer.name}.geojson").write_text(text, encoding="utf-8")
    return []


__all__ = ["write_geojson"]
