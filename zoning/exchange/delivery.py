"""A municipal delivery turned into park layers: CRS, fields, values and codes, with a report.

:func:`build_delivery` takes the delivered layers as read (a GeoDataFrame per layer, with
the CRS its file declares, or none) and a :class:`~zoning.exchange.fields.FieldMapping`, and
returns our layers in WGS84 with the report of what was decided and every problem found.
It writes nothing; :func:`zoning.io.importing.import_park` reads the files and writes the park.

Examples
--------
>>> import geopandas as gpd, shapely
>>> parcels = gpd.GeoDataFrame({"地块编号": ["P1"], "用地性质": ["M2"], "现状": ["空闲"]},
...     geometry=[shapely.box(34_472_000, 4_086_000, 34_472_100, 4_086_100)])
>>> result = build_delivery({"parcels": LayerSource(parcels, "parcels.shp")}, FieldMapping())
>>> result.layers["parcels"][["parcel_id", "land_use_code", "status"]].values.tolist()
[['P1', '100102', 'vacant']]
>>> [p.severity.value for p in result.problems]
['warning']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import Problem, Severity
from zoning.exchange.crs import detect_crs
from zoning.exchange.fields import FieldMapping, check_stated_area, map_fields
from zoning.exchange.landcodes import convert_land_use_codes
from zoning.i18n import _
from zoning.units import METRIC_CRS, WGS84

#: the layers an import may bring in (context is real reference data, not delivered)
IMPORT_LAYERS: tuple[str, ...] = ("zones", "parcels", "constraints", "infrastructure")


@dataclass(frozen=True)
class LayerSource:
    """One delivered layer as read: the frame (with its declared CRS), where it came from."""

    frame: gpd.GeoDataFrame
    where: str
    notes: tuple[str, ...] = ()


@dataclass
class Delivery:
    """Our layers (WGS84), the report lines and every problem found."""

    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the import."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported while the import goes on."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


def _bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    geoms = frame.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(geoms[present])
    return float(minx), float(miny), float(maxx), float(maxy)


def _convert_codes(
    out: pd.DataFrame, column: str, layer: s.LayerSchema, mapping: FieldMapping, where: str
) -> tuple[list[str], list[Problem]]:
    if column not in out.columns:
        return [], []
    codes, report = convert_land_use_codes(out[column], mapping.land_use_codes)
    out[column] = codes
    lines: list[str] = []
    problems: list[Problem] = []
    if report.converted:
        shown = ", ".join(f"{a} → {b} ({n})" for (a, b), n in sorted(report.converted.items()))
        lines.append(
            "  "
            + _("{field} converted to the 2023 classes: {pairs}").format(field=column, pairs=shown)
        )
    if report.already_2023:
        lines.append(
            "  "
            + _("{field}: {n} value(s) already in the 2023 classes").format(
                field=column, n=report.already_2023
            )
        )
    ids = out[layer.id_field].astype(str) if layer.id_field in out.columns else None
    given = out[column]
    for row in report.ambiguous:
        hit = given == row.new_code
        problems.append(
            Problem(
                where,
                _(
                    "ambiguous conversion of GB 50137-2011 class {old} {name} to {new}: {note}"
                ).format(old=row.old_code, name=row.old_name_zh, new=row.new_code, note=row.note),
                ids=tuple(ids[hit]) if ids is not None else (),
                fix=_(
                    'confirm it, or set [land_use_codes] {old} = "CODE" in the mapping file'
                ).format(old=row.old_code),
                severity=Severity.WARNING,
            )
        )
    if report.unconvertible:
        bad = sorted(report.unconvertible)
        hit = given.astype(str).isin(bad)
        problems.append(
            Problem(
                where,
                _("no 2023 land-use class for {values} in {field}").format(
                    values=bad, field=column
                ),
                ids=tuple(ids[hit]) if ids is not None else (),
                expected=_("a 2023 code (100102), a GB 50137-2011 code (M2) or a class name"),
                fix=_(
                    'add the reading to the mapping file: [land_use_codes] "{value}" = "CODE"'
                ).format(value=bad[0]),
            )
        )
    return lines, problems


def build_layer(
    name: str, source: LayerSource, mapping: FieldMapping, *, crs: str | None = None
) -> Delivery:
    """Turn one delivered layer into ours (see :func:`build_delivery`)."""
    result = Delivery()
    layer = s.LAYER_BY_NAME[name]
    where = source.where
    result.report.append(f"{name}: {where}, " + _("{n} feature(s)").format(n=len(source.frame)))
    result.report += [f"  {note}" for note in source.notes]
    bounds = _bounds(source.frame)
    if bounds is None:
        result.problems.append(
            Problem(
                where,
                _("no features with a geometry"),
                fix=_("check that the right file or layer was given"),
            )
        )
        return result
    decision = detect_crs(source.frame.crs, bounds, where=where, given=crs)
    if decision.crs is None:
        if decision.problem is not None:
            result.problems.append(decision.problem)
        return result
    result.report.append(f"  {decision.note}")
    if source.frame.crs is None and crs is None:
        result.problems.append(
            Problem(where, decision.note.removeprefix(f"{where}: "), severity=Severity.WARNING)
        )
    frame = source.frame.set_crs(decision.crs, allow_override=True)
    attrs, lines, problems = map_fields(
        pd.DataFrame(frame.drop(columns=frame.geometry.name)),
        layer,
        mapping.layer(name),
        where=where,
    )
    result.report += lines
    result.problems += problems
    if name == "parcels":
        lines, problems = _convert_codes(attrs, s.LAND_USE_CODE, layer, mapping, where)
        result.report += lines
        result.problems += problems
    metric = frame.geometry.to_crs(METRIC_CRS)
    area_source = attrs.attrs.get("area_source")
    if area_source is not None:
        ids = (
            attrs[layer.id_field]
            if layer.id_field in attrs.columns
            else pd.Series([f"row {i}" for i in range(len(attrs))], index=attrs.index)
        )
        line, problems = check_stated_area(
            frame[area_source],
            pd.Series(np.asarray(metric.area), index=frame.index),
            ids,
            field_name=str(area_source),
            unit=mapping.layer(name).area_unit,
            where=where,
        )
        result.report.append(line)
        result.problems += problems
    out = gpd.GeoDataFrame(attrs, geometry=frame.geometry.to_crs(WGS84).to_numpy(), crs=WGS84)
    result.layers[name] = out
    return result


def build_delivery(
    sources: Mapping[str, LayerSource], mapping: FieldMapping, *, crs: str | None = None
) -> Delivery:
    """Turn delivered layers into park layers, with the report and every problem.

    Parameters
    ----------
    sources
        Delivered layers by our layer name (``zones``, ``parcels``, ``constraints``,
        ``infrastructure``).
    mapping
        The field mapping (empty: defaults only).
    crs
        A CRS named by the user; it replaces what the files declare.

    Returns
    -------
    Delivery
        Our layers in WGS84 (those that could be built), the report, the problems.
    """
    result = Delivery()
    for name in IMPORT_LAYERS:
        if name not in sources:
            continue
        one = build_layer(name, sources[name], mapping, crs=crs)
        result.layers.update(one.layers)
        result.report += one.report
        result.problems += one.problems
    return result
