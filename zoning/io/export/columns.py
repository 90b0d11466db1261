"""Columns the export adds to the park's layers: code labels, the ledger, candidate sites.

- Label columns (origin ``label`` in :mod:`zoning.datadict`): the Chinese words beside each
  code, so that a receiving GIS shows 用地名称 next to ``land_use_code``, 已建成 next to
  ``developed``, the industry's name next to its GB/T 4754 code; null when the code is
  unknown (a land-use code outside :data:`zoning.landuse.LAND_USE_CLASSES`, an industry the
  rulebook does not name).
- Ledger columns of the parcels (origin ``ledger``): the holder and its per-mu grade and the
  land clock (:func:`zoning.ledger.evaluate`), null for parcels no enterprise holds and when
  the park has no enterprise table.
- The ``candidate_sites`` layer from :func:`zoning.siting.propose_sites`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from zoning import datadict as dd
from zoning import landuse
from zoning import schema as s
from zoning.datadict_zh import LAND_STATUS_ZH
from zoning.park import Park
from zoning.units import METRIC_CRS

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult

#: the code enums whose Chinese words label a ``<field>_zh`` column
_ENUMS: dict[str, tuple[type[Any], ...]] = {
    s.STATUS: (s.ParcelStatus, s.InfrastructureStatus),
    "kind": (s.ConstraintKind, s.InfrastructureKind),
    s.VERDICT: (s.Verdict,),
    s.PHASE_REASON: (s.UnscheduledReason,),
    s.DEVELOPMENT_MODE: (s.DevelopmentMode,),
}


def _words(enums: tuple[type[Any], ...]) -> dict[str, str]:
    return {str(m): s.label(m, "zh") for enum in enums for m in enum}


def _mapped(values: pd.Series, lookup: Callable[[str], str | None]) -> list[str | None]:
    return [None if pd.isna(v) or str(v) == "" else lookup(str(v)) for v in values]


def _land_use_name(code: str) -> str | None:
    found = landuse.LAND_USE_CLASSES.get(code)
    return found.name_zh if found else None


def add_labels(frame: gpd.GeoDataFrame, layer: dd.ExportLayer, park: Park) -> gpd.GeoDataFrame:
    """Return ``frame`` with the layer's label columns (``<code>_zh``, ``land_use_name_zh``).

    Examples
    --------
    >>> import zoning
    >>> park = zoning.load_park()
    >>> labelled = add_labels(park.parcels.assign(phase_reason=None), dd.PARCELS, park)
    >>> labelled[["land_use_code", "land_use_name_zh", "status_zh"]].iloc[0].tolist()
    ['070102', '二类城镇住宅用地', '已建成']
    """
    out = frame.copy()
    industries = {i.code: i.name_zh for i in park.rulebook.industries}
    for spec in layer.fields:
        if spec.origin != "label":
            continue
        if spec.name == "land_use_name_zh":
            out[spec.name] = _mapped(out[s.LAND_USE_CODE], _land_use_name)
        elif spec.name == f"{s.MAX_INDUSTRIAL_CLASS}_zh":
            out[spec.name] = _mapped(out[s.MAX_INDUSTRIAL_CLASS], _land_use_name)
        elif spec.name == "industry_name_zh":
            out[spec.name] = _mapped(out[s.INDUSTRY_CODE], industries.get)
        else:
            code = spec.name.removesuffix("_zh")
            words = _words(_ENUMS[code])
            out[spec.name] = _mapped(out[code], words.get)
    return out


def _bilingual(value: object, lang: str) -> str | None:
    if isinstance(value, Mapping):
        text = value.get(lang)
        return str(text) if text else None
    return str(value) if isinstance(value, str) and value else None


def ledger_columns(parcels: gpd.GeoDataFrame, ledger: LedgerResult | None) -> gpd.GeoDataFrame:
    """Return ``parcels`` with the ledger columns of :data:`zoning.datadict.PARCELS`.

    Each held parcel carries its holder (``holder_id``, ``holder_name_zh``), the holder's
    grade and the land clock (``land_status`` and its words, reason in Chinese and English,
    ``land_due``, ``land_next_due``, ``land_article``); the other parcels, and every parcel
    without a ledger, have nulls.
    """
    out = parcels.copy()
    names = [f.name for f in dd.PARCELS.fields if f.origin == "ledger"]
    if ledger is None:
        for name in names:
            out[name] = None
        return out
    land = ledger.land.reindex(out[s.PARCEL_ID].astype(str).to_numpy())
    holders = ledger.enterprises.reindex(land[s.ENTERPRISE_ID].to_numpy())
    status = land[s.LAND_STATUS]
    columns: dict[str, list[Any]] = {
        "holder_id": land[s.ENTERPRISE_ID].tolist(),
        "holder_name_zh": (
            holders[s.NAME_ZH].tolist() if s.NAME_ZH in holders else [None] * len(land)
        ),
        s.GRADE: land[s.GRADE].tolist(),
        s.LAND_STATUS: status.tolist(),
        "land_status_zh": [LAND_STATUS_ZH.get(str(v)) if pd.notna(v) else None for v in status],
        "land_reason_zh": [_bilingual(v, "zh") for v in land[s.REASON]],
        "land_reason_en": [_bilingual(v, "en") for v in land[s.REASON]],
        "land_due": [_bilingual(v, "zh") for v in land[s.DUE]],
        "land_next_due": [_bilingual(v, "zh") for v in land[s.NEXT_DUE]],
        "land_article": [_bilingual(v, "zh") for v in land[s.ARTICLE]],
    }
    for name in names:
        values = columns[name]
        out[name] = [None if v is None or pd.isna(v) or v == "" else str(v) for v in values]
    return out


def candidate_sites_layer(sites: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Return the ``candidate_sites`` layer of :func:`zoning.siting.propose_sites`' result."""
    names = list(dd.CANDIDATE_SITES.field_names)
    if sites is None or sites.empty:
        return gpd.GeoDataFrame(
            {name: pd.Series(dtype=object) for name in names},
            geometry=gpd.GeoSeries([], crs=METRIC_CRS),
            crs=METRIC_CRS,
        )
    frame = sites.to_crs(METRIC_CRS)
    return gpd.GeoDataFrame(
        frame[names].reset_index(drop=True),
        geometry=frame.geometry.to_numpy(),
        crs=METRIC_CRS,
    )


__all__ = ["add_labels", "candidate_sites_layer", "ledger_columns"]
