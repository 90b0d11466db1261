"""The export bundle: every layer of a park in memory, with the metadata record.

:func:`to_export_bundle` gathers the park's layers, the fit results and the phase plan into
an :class:`ExportBundle` in EPSG:4543 with exactly the fields of the data dictionary
(:mod:`zoning.datadict`); each writer (:mod:`zoning.io.export.geojson`, ``gpkg``,
``shapefile``, ``postgis``) turns the same bundle into its format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Final, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from zoning import datadict as dd
from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.io.export.columns import add_labels, candidate_sites_layer, ledger_columns
from zoning.io.export.values import is_missing
from zoning.park import Park
from zoning.planning.siting import propose_sites
from zoning.units import CGCS2000, METRIC_CRS, METRIC_CRS_ZONE_PREFIX, WGS84

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult


class ExportFormat(StrEnum):
    """File formats of :func:`export_park`."""

    GEOJSON = "geojson"
    GPKG = "gpkg"
    SHP = "shp"


#: every file format, in the order they are written
ALL_FORMATS: Final = tuple(ExportFormat)
#: the coordinate reference systems GeoPackage, Shapefile and PostGIS exports may use
EXPORT_CRS: Final = (CGCS2000, METRIC_CRS, METRIC_CRS_ZONE_PREFIX, WGS84)
#: the default CRS of GeoPackage, Shapefile and PostGIS exports: CGCS2000 geographic
DEFAULT_CRS: Final = CGCS2000


class PhasePlanLike(Protocol):
    """What the exporter needs of a phase plan (``zoning.sequence`` returns one).

    ``parcels`` holds ``parcel_id``, ``phase`` (nullable integer) and ``reason``; a plan
    may also carry ``quota_mu``, ``phases``, ``max_tracts`` and ``plan_id``, which go to the
    metadata record, and ``tract_frame()`` and ``placement_frame()`` (as
    :class:`~zoning.planning.PhasePlan`), which become the ``tracts`` and ``placements``
    layers.
    """

    @property
    def parcels(self) -> pd.DataFrame:
        """Parcels with ``parcel_id``, ``phase`` (nullable integer) and ``reason``."""
        ...


@dataclass(frozen=True)
class ExportBundle:
    """The exported layers of one park, in memory, ready for any writer.

    Attributes
    ----------
    park_id
        The park's identifier (file names, PostGIS ``park_id``).
    layers
        Every layer of :data:`zoning.datadict.EXPORT_LAYERS` except ``metadata``, in
        EPSG:4543, with exactly the layer's fields (in order) and a ``geometry`` column.
    metadata
        The metadata record without its ``crs`` (each writer adds the CRS it writes).
    """

    park_id: str
    layers: Mapping[str, gpd.GeoDataFrame]
    metadata: Mapping[str, Any]

    def metadata_record(self, crs: str) -> dict[str, Any]:
        """Return the metadata record of an export in ``crs``, in field order."""
        record = {**self.metadata, s.CRS: crs}
        return {name: record[name] for name in dd.METADATA.field_names}


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote.

    Attributes
    ----------
    target
        The directory or the database (with any password removed).
    written
        Files and directories written (relative to ``target``), or PostGIS tables.
    counts
        Number of features per layer.
    crs
        CRS of the GeoPackage, Shapefile or PostGIS geometries (GeoJSON is WGS84).
    warnings
        Format limits met on the way (a text cut to the 254 bytes of a dBASE field).
    """

    target: str
    written: tuple[str, ...]
    counts: Mapping[str, int]
    crs: str
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- bundle


def _credit_lines(metadata: Mapping[str, Any]) -> list[str]:
    lines = []
    for credit in metadata.get("credits", []) or []:
        if isinstance(credit, Mapping):
            parts = (credit.get(k, "") for k in ("data", "source", "licence"))
            lines.append(" — ".join(str(p) for p in parts if p))
        else:
            lines.append(str(credit))
    return lines


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (datetime.now(UTC))")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty_frame(layer: dd.ExportLayer) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {name: pd.Series(dtype=object) for name in layer.field_names},
        geometry=gpd.GeoSeries([], crs=METRIC_CRS),
        crs=METRIC_CRS,
    )


def _blank_text_as_null(frame: gpd.GeoDataFrame, layer: dd.ExportLayer) -> gpd.GeoDataFrame:
    """Return ``frame`` with blank optional texts (``""``, spaces) as null.

    A missing value is NULL in every format, so that ``WHERE occupant IS NULL`` finds it;
    the park's files may hold it as an empty string.
    """
    out = frame.copy()
    for spec in layer.fields:
        if spec.type != "str" or spec.required:
            continue
        column = out[spec.name].astype(object)
        blank = column.map(lambda v: isinstance(v, str) and not v.strip())
        out[spec.name] = column.where(~blank.astype(bool), None)
    return out


def _findings_list(value: object) -> list[dict[str, Any]]:
    if isinstance(value, Mapping):
        return [dict(value)]
    if isinstance(value, Sequence | np.ndarray) and not isinstance(value, str):
        return [dict(v) for v in value if isinstance(v, Mapping)]
    return []


def _rules_with(findings: list[dict[str, Any]], status: s.FindingStatus) -> list[str]:
    return [str(f.get(s.RULE, "")) for f in findings if f.get(s.STATUS) == status]


def _fit_results_layer(results: pd.DataFrame) -> gpd.GeoDataFrame:
    needed = (s.PROJECT_ID, s.NAME, s.INDUSTRY_CODE, s.ZONE_ID, s.VERDICT, s.BEST, s.FINDINGS)
    missing = [c for c in needed if c not in results.columns]
    if missing:
        raise InputError(
            "the fit results cannot be exported",
            [
                Problem(
                    "results",
                    f"missing column(s): {', '.join(missing)}",
                    expected="the frame returned by zoning.check(park, projects)",
                    fix="pass the fit check's result unchanged",
                )
            ],
        )
    if isinstance(results, gpd.GeoDataFrame) and results.geometry.name in results.columns:
        geometry = results.geometry
        if geometry.crs is None and geometry.notna().any():
            raise InputError(
                "the fit results cannot be exported",
                [Problem("results", "sites without a CRS", fix="set_crs('EPSG:4543')")],
            )
        if geometry.crs is not None:
            geometry = geometry.to_crs(METRIC_CRS)
        geoms = geometry.to_numpy()
    else:
        geoms = np.full(len(results), None, dtype=object)
    findings = [_findings_list(v) for v in results[s.FINDINGS]]
    failures = [
        [
            f"{f.get(s.RULE, '')}: {f.get(s.MESSAGE, '')}"
            for f in row
            if f.get(s.STATUS) == s.FindingStatus.FAIL
        ]
        for row in findings
    ]
    out = pd.DataFrame(
        {
            s.PROJECT_ID: results[s.PROJECT_ID].to_numpy(),
            s.NAME: results[s.NAME].to_numpy(),
            s.INDUSTRY_CODE: results[s.INDUSTRY_CODE].to_numpy(),
            s.ZONE_ID: results[s.ZONE_ID].to_numpy(),
            s.VERDICT: results[s.VERDICT].astype(str).to_numpy(),
            s.BEST: results[s.BEST].to_numpy(),
            s.AREA_MU: (
                pd.to_numeric(results[s.AREA_MU]).to_numpy(dtype=float)
                if s.AREA_MU in results.columns
                else np.full(len(results), np.nan)
            ),
            s.FAILED_RULES: [_rules_with(f, s.FindingStatus.FAIL) for f in findings],
            s.WARNED_RULES: [_rules_with(f, s.FindingStatus.WARN) for f in findings],
            s.FAILURES: failures,
            s.FINDINGS: findings,
        }
    )
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs=METRIC_CRS), crs=METRIC_CRS)


def _parcels_with_phases(park: Park, plan: PhasePlanLike | None) -> gpd.GeoDataFrame:
    parcels = park.parcels.copy()
    if plan is None:
        parcels[s.PHASE] = pd.array([pd.NA] * len(parcels), dtype="Int64")
        parcels[s.PHASE_REASON] = pd.Series([None] * len(parcels), dtype=object)
        return parcels
    phases = plan.parcels
    missing = [c for c in (s.PARCEL_ID, s.PHASE) if c not in phases.columns]
    unknown = sorted(set(phases.get(s.PARCEL_ID, [])) - set(parcels[s.PARCEL_ID]))
    problems = []
    if missing:
        problems.append(
            Problem("plan", f"plan.parcels lacks column(s) {', '.join(missing)}"),
        )
    if unknown:
        problems.append(
            Problem(
                "plan",
                "parcels of the plan are not in the park",
                ids=tuple(map(str, unknown)),
                fix="export the park the plan was made for",
            )
        )
    if problems:
        raise InputError("the phase plan cannot be exported with this park", problems)
    table = phases.set_index(s.PARCEL_ID)
    ids = parcels[s.PARCEL_ID]
    parcels[s.PHASE] = pd.array(table[s.PHASE].reindex(ids).to_numpy(dtype=object), dtype="Int64")
    if s.REASON in table.columns:
        reasons = table[s.REASON].reindex(ids)
        parcels[s.PHASE_REASON] = reasons.astype(object).where(reasons.notna(), None).to_numpy()
    else:
        parcels[s.PHASE_REASON] = None
    return parcels


def _plan_frame(plan: PhasePlanLike | None, method: str, layer: dd.ExportLayer) -> gpd.GeoDataFrame:
    """Return the plan's tracts or placements (``PhasePlan.tract_frame`` and alike)."""
    make = getattr(plan, method, None)
    if make is None:
        return _empty_frame(layer)
    frame: gpd.GeoDataFrame = make()
    if frame.empty:
        return _empty_frame(layer)
    return frame.to_crs(METRIC_CRS)


def _plan_number(plan: PhasePlanLike | None, name: str, kind: type[float] | type[int]) -> Any:
    value = getattr(plan, name, None)
    return None if value is None or is_missing(value) else kind(value)


def _software_version() -> str:
    """Return the installed version of zoning (as ``zoning.__version__`` reads it).

    Read from the package metadata rather than from ``zoning``, which imports this module.
    """
    try:
        return version("zoning")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0.0.0"


def to_export_bundle(
    park: Park,
    *,
    results: pd.DataFrame | None = None,
    plan: PhasePlanLike | None = None,
    generated_at: datetime | None = None,
    sites: gpd.GeoDataFrame | None = None,
    ledger: LedgerResult | None = None,
) -> ExportBundle:
    """Gather the layers of an export in memory.

    Parameters
    ----------
    park
        The park.
    results
        Fit results, as returned by ``zoning.check(park, projects)``: one row per (project,
        zone) with ``findings``; sites as geometry (rows without a site are kept, without
        geometry). ``None`` exports an empty ``fit_results`` layer.
    plan
        A phase plan (``zoning.sequence(park, quota_mu=...)``); its parcels' ``phase`` and
        ``reason`` become the parcels' ``phase`` and ``phase_reason``. ``None`` leaves them
        null.
    generated_at
        Time stamp of the export (timezone-aware); default now.
    sites
        Candidate sites (``zoning.siting.propose_sites(park, results)``); ``None`` proposes
        them from ``results`` (an empty ``candidate_sites`` layer without results).
    ledger
        The yearly ledger (``zoning.ledger.evaluate``); its holders, grades and land clock
        go to the parcels, its day to the metadata. ``None`` leaves them null.

    Returns
    -------
    ExportBundle
        Every layer in EPSG:4543 with exactly the fields of the data dictionary.

    Raises
    ------
    InputError
        If the results lack the fit check's columns, or the plan is not of this park.

    Examples
    --------
    >>> import zoning
    >>> bundle = to_export_bundle(zoning.load_park())
    >>> list(bundle.layers)[:6]
    ['zones', 'parcels', 'constraints', 'infrastructure', 'context', 'fit_results']
    >>> list(bundle.layers)[6:]
    ['candidate_sites', 'tracts', 'placements']
    >>> bundle.layers["parcels"]["phase"].isna().all()
    np.True_
    """
    frames: dict[str, gpd.GeoDataFrame] = {}
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        if layer is dd.FIT_RESULTS:
            frame = _empty_frame(layer) if results is None else _fit_results_layer(results)
            if sites is None and results is not None:  # the results are valid: propose
                sites = propose_sites(park, results)
        elif layer is dd.PARCELS:
            frame = ledger_columns(_parcels_with_phases(park, plan), ledger)
        elif layer is dd.CANDIDATE_SITES:
            frame = candidate_sites_layer(sites)
        elif layer is dd.TRACTS:
            frame = _plan_frame(plan, "tract_frame", layer)
        elif layer is dd.PLACEMENTS:
            frame = _plan_frame(plan, "placement_frame", layer)
        else:
            frame = park.layer(layer.name)
        frame = add_labels(frame, layer, park)
        columns = [*layer.field_names, frame.geometry.name]
        selected = frame[columns].reset_index(drop=True)
        if selected.geometry.name != s.GEOMETRY:
            selected = selected.rename_geometry(s.GEOMETRY)
        frames[layer.name] = _blank_text_as_null(selected.to_crs(METRIC_CRS), layer)
    moment = generated_at if generated_at is not None else datetime.now(UTC)
    metadata = {
        s.PARK_ID: park.park_id,
        s.PARK_NAME: park.name,
        s.RULEBOOK_VERSION: park.rulebook.version,
        s.GENERATED_AT: _utc_iso(moment),
        s.SOFTWARE_VERSION: f"zoning {_software_version()}",
        s.PHASE_QUOTA_MU: _plan_number(plan, "quota_mu", float),
        s.PHASES: _plan_number(plan, "phases", int),
        "max_tracts_per_phase": _plan_number(plan, "max_tracts", int),
        "plan_id": None if plan is None or not hasattr(plan, "plan_id") else str(plan.plan_id),
        "ledger_as_of": None if ledger is None else ledger.as_of.isoformat(),
        s.ILLUSTRATIVE: park.illustrative,
        s.NOTICE: park.notice or None,
        s.CREDITS: _credit_lines(park.metadata),
    }
    return ExportBundle(park_id=park.park_id, layers=frames, metadata=metadata)


__all__ = [
    "ALL_FORMATS",
    "DEFAULT_CRS",
    "EXPORT_CRS",
    "ExportBundle",
    "ExportFormat",
    "ExportReport",
    "PhasePlanLike",
    "to_export_bundle",
]
