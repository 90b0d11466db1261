"""Checks of park data: every problem collected and reported together.

``find_*_issues`` functions return a list of :class:`~zoning.errors.Problem` and never
raise; :func:`validate_park_layers` raises one :class:`~zoning.errors.ParkValidationError`
listing them all. The checks work on GeoDataFrames in memory; reading files is the I/O
layer's job.

Boundary convention: a parcel belongs to the zone that *covers* it (shapely
``covered_by``), so a parcel whose edge runs along the zone boundary is inside. A tolerance
of :data:`BOUNDARY_TOLERANCE_M` absorbs the rounding of coordinates to 7 decimals in
GeoJSON (about 1 cm).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import landuse
from zoning import schema as s
from zoning.errors import ParkValidationError, Problem, Severity
from zoning.i18n import N_, _
from zoning.rulebook import CODE_PREFIX_RE, Rulebook
from zoning.units import METRIC_CRS, METRIC_CRS_LON_RANGE

#: distance within which a parcel edge counts as lying on a zone boundary, metres
BOUNDARY_TOLERANCE_M: Final = 0.5
#: overlap area between zones that is reported, square metres
OVERLAP_TOLERANCE_M2: Final = 1.0
#: the generalised county boundary is accurate to a few hundred metres
COUNTY_TOLERANCE_M: Final = 500.0
#: the summary of an invalid park (translated when raised, see :func:`raise_for_problems`)
PARK_INVALID: Final = N_("the park data is invalid")


def _ids(gdf: pd.DataFrame, mask: np.ndarray | pd.Series, id_field: str) -> tuple[str, ...]:
    selected = gdf.loc[np.asarray(mask, dtype=bool)]
    if id_field in selected.columns:
        return tuple(str(v) for v in selected[id_field])
    return tuple(_("row {number}").format(number=i) for i in selected.index)


def _unit_issue(gdf: gpd.GeoDataFrame, geoms: gpd.GeoSeries, layer: str) -> Problem | None:
    """Find coordinates whose units contradict the declared CRS (metres as degrees, or back)."""
    minx, miny, maxx, maxy = geoms.total_bounds
    if gdf.crs.is_geographic and (
        min(minx, maxx) < -180 or max(minx, maxx) > 180 or min(miny, maxy) < -90 or maxy > 90
    ):
        return Problem(
            layer,
            _(
                "coordinates impossible for the declared CRS: it says degrees ({crs}) but "
                "coordinates reach ({minx}, {miny}) - ({maxx}, {maxy}), which look like "
                "projected metres"
            ).format(
                crs=gdf.crs.to_string(),
                minx=f"{minx:.0f}",
                miny=f"{miny:.0f}",
                maxx=f"{maxx:.0f}",
                maxy=f"{maxy:.0f}",
            ),
            expected=_("longitude -180..180 and latitude -90..90"),
            fix=_(
                "declare the CRS the coordinates are in (probably {crs}) or reproject them to WGS84"
            ).format(crs=METRIC_CRS),
        )
    if (
        gdf.crs.is_projected
        and max(abs(minx), abs(maxx)) <= 180
        and max(abs(miny), abs(maxy)) <= 90
    ):
        return Problem(
            layer,
            _(
                "coordinates impossible for the declared CRS: it says projected units "
                "({crs}) but coordinates stay within ({minx}, {miny}) - ({maxx}, {maxy}), "
                "which look like longitude/latitude degrees"
            ).format(
                crs=gdf.crs.to_string(),
                minx=f"{minx:.4f}",
                miny=f"{miny:.4f}",
                maxx=f"{maxx:.4f}",
                maxy=f"{maxy:.4f}",
            ),
            expected=_("coordinates in the units of the declared CRS"),
            fix=_(
                "remove the old-style 'crs' member (GeoJSON is WGS84 lon/lat, RFC 7946) or "
                "declare the CRS the coordinates are in (EPSG:4326 or EPSG:4490)"
            ),
        )
    return None


def find_crs_issues(gdf: gpd.GeoDataFrame, layer: str) -> list[Problem]:
    """Check that a layer declares a CRS and that its coordinates are possible in it.

    Returns
    -------
    list of Problem
        Missing CRS, projected metres labelled as degrees, or data outside the metric zone.
    """
    if gdf.crs is None:
        return [
            Problem(
                layer,
                _("missing CRS: the layer declares no coordinate reference system"),
                expected=_("GeoJSON in WGS84 lon/lat (RFC 7946), or a file with a declared CRS"),
                fix=_("write the layer as GeoJSON, or add the .prj file / SRS definition"),
            )
        ]
    geoms = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if geoms.empty:
        return []
    unit_problem = _unit_issue(gdf, geoms, layer)
    if unit_problem is not None:
        return [unit_problem]
    try:
        lon_min, lat_min, lon_max, lat_max = geoms.to_crs("EPSG:4326").total_bounds
    except Exception as exc:  # pyproj raises several types for impossible transforms
        return [Problem(layer, f"coordinates cannot be transformed to lon/lat: {exc}")]
    outside = _outside_area_of_use(gdf, (lon_min, lat_min, lon_max, lat_max), layer)
    if outside is not None:
        return [outside]
    lo, hi = METRIC_CRS_LON_RANGE
    if lon_min < lo or lon_max > hi:
        return [
            Problem(
                layer,
                f"data reach longitudes {lon_min:.3f}..{lon_max:.3f}, outside the "
                f"{lo}-{hi}°E band of {METRIC_CRS} where areas and distances are computed",
                expected=f"features between {lo}°E and {hi}°E",
                fix="check the coordinates; parks elsewhere need another Gauss-Krüger zone",
                severity=Severity.WARNING,
            )
        ]
    return []


#: largest value of a whole-number field (``priority``), checked before it is cast to int64
MAX_WHOLE_NUMBER: Final = 1_000_000

#: how far (degrees) data may reach beyond its CRS's area of use before it is refused
AREA_OF_USE_MARGIN_DEG: Final = 10.0


def _outside_area_of_use(
    gdf: gpd.GeoDataFrame, lonlat: tuple[float, float, float, float], layer: str
) -> Problem | None:
    """Return an error when the data lie wholly outside the declared CRS's area of use."""
    area = gdf.crs.area_of_use if gdf.crs is not None else None
    lon_min, lat_min, lon_max, lat_max = lonlat
    if not all(np.isfinite(lonlat)):
        return Problem(
            layer,
            _("coordinates cannot be placed on the earth in the declared CRS ({crs})").format(
                crs=gdf.crs.to_string() if gdf.crs is not None else "?"
            ),
            fix=_("declare the CRS the coordinates are in"),
        )
    if area is None or area.west > area.east:  # unknown, or crossing the antimeridian
        return None
    m = AREA_OF_USE_MARGIN_DEG
    if (
        lon_max < area.west - m
        or lon_min > area.east + m
        or lat_max < area.south - m
        or lat_min > area.north + m
    ):
        return Problem(
            layer,
            _(
                "coordinates outside the area of use of the declared CRS {crs} ({name}: "
                "{west}..{east}°E, {south}..{north}°N): the data would lie at "
                "{lon_min:.3f}..{lon_max:.3f}°E, {lat_min:.3f}..{lat_max:.3f}°N"
            ).format(
                crs=gdf.crs.to_string(),
                name=area.name,
                west=area.west,
                east=area.east,
                south=area.south,
                north=area.north,
                lon_min=lon_min,
                lon_max=lon_max,
                lat_min=lat_min,
                lat_max=lat_max,
            ),
            expected=_("coordinates inside the area the CRS is defined for"),
            fix=_("declare the CRS the coordinates are in, or reproject them"),
        )
    return None


def find_field_issues(gdf: pd.DataFrame, layer: s.LayerSchema) -> list[Problem]:
    """Check required fields, nulls, categorical values, numbers, codes and duplicate ids."""
    problems: list[Problem] = []
    name = layer.name
    missing = [f for f in layer.required if f not in gdf.columns]
    if missing:
        problems.append(
            Problem(
                name,
                _("missing required field(s): {fields}").format(fields=", ".join(missing)),
                expected=_("fields {fields}").format(fields=", ".join(layer.required)),
                fix=_("add the fields (see docs/data-model.md)"),
            )
        )
    for spec in layer.fields:
        if spec.name in gdf.columns:
            problems += _field_spec_issues(gdf, spec, layer)
    problems += _duplicate_id_issues(gdf, layer)
    if layer is s.PARCELS and s.LAND_USE_CODE in gdf.columns:
        problems += _land_use_code_issues(gdf, layer)
    return problems


def _field_spec_issues(gdf: pd.DataFrame, spec: s.FieldSpec, layer: s.LayerSchema) -> list[Problem]:
    """Check one field: empty required values, unknown categories, numbers and code lists."""
    problems: list[Problem] = []
    name = layer.name
    col = gdf[spec.name]
    null = col.isna().to_numpy().copy()
    if spec.type == "str":
        null = null | col.astype("string").str.strip().fillna("").eq("").to_numpy(dtype=bool)
    if spec.required and null.any():
        problems.append(
            Problem(
                name,
                _("empty value in required field '{field}'").format(field=spec.name),
                ids=_ids(gdf, null, layer.id_field),
                fix=_("fill in '{field}' for every feature").format(field=spec.name),
            )
        )
    present = ~null
    if spec.choices:
        bad = present & ~col.astype("string").isin(spec.choices).to_numpy()
        if bad.any():
            given = sorted({str(v) for v in col[bad]})
            problems.append(
                Problem(
                    name,
                    _("unknown value(s) {values} in '{field}'").format(
                        values=given, field=spec.name
                    ),
                    ids=_ids(gdf, bad, layer.id_field),
                    expected=" | ".join(spec.choices),
                )
            )
    if spec.type in ("int", "float"):
        problems += _numeric_issues(gdf, spec, present, layer)
    if spec.type == "list[str]":
        problems += _prefix_issues(gdf, spec, present, layer)
    return problems


def _duplicate_id_issues(gdf: pd.DataFrame, layer: s.LayerSchema) -> list[Problem]:
    """Check that every feature has its own id."""
    problems: list[Problem] = []
    name = layer.name
    if layer.id_field in gdf.columns:
        ids = gdf[layer.id_field].astype("string")
        dup = ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()
        if dup.any():
            problems.append(
                Problem(
                    name,
                    _("duplicate id(s) in '{field}'").format(field=layer.id_field),
                    ids=tuple(sorted({str(v) for v in ids[dup]})),
                    fix=_("give every feature its own id"),
                )
            )
    return problems


def _land_use_code_issues(gdf: pd.DataFrame, layer: s.LayerSchema) -> list[Problem]:
    """Check the parcels' land-use codes: text, and of the 2023 classification."""
    problems: list[Problem] = []
    name = layer.name
    raw = gdf[s.LAND_USE_CODE]
    codes = raw.astype("string")
    unknown = codes.notna().to_numpy() & ~codes.isin(list(landuse.LAND_USE_CLASSES)).to_numpy()
    as_number = unknown & np.array(
        [isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in raw],
        dtype=bool,
    )
    if as_number.any():
        problems.append(
            Problem(
                name,
                _(
                    "land-use code(s) {codes} written as numbers: a number loses the "
                    "leading zero of codes such as 070102"
                ).format(codes=sorted({str(c) for c in codes[as_number]})),
                ids=_ids(gdf, as_number, layer.id_field),
                expected=_('the code as text, in quotes ("070102")'),
                fix=_(
                    "write land_use_code as a text field (in GeoJSON in double quotes; in "
                    "a GeoPackage or Shapefile as a text column)"
                ),
            )
        )
        unknown = unknown & ~as_number
    if unknown.any():
        problems.append(
            Problem(
                name,
                _("unknown land-use code(s) {codes}").format(
                    codes=sorted({str(c) for c in codes[unknown]})
                ),
                ids=_ids(gdf, unknown, layer.id_field),
                expected=_(
                    "a code of the 2023 classification (自然资发〔2023〕234号), e.g. 100102 "
                    "for class-2 industrial land"
                ),
                fix=_("see zoning.landuse.LAND_USE_CLASSES for the codes"),
            )
        )
    return problems


def _numeric_issues(
    gdf: pd.DataFrame, spec: s.FieldSpec, present: np.ndarray, layer: s.LayerSchema
) -> list[Problem]:
    col = gdf[spec.name]
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    problems = []
    not_number = present & np.isnan(values)
    if not_number.any():
        problems.append(
            Problem(
                layer.name,
                _("'{field}' is not a number: {values}").format(
                    field=spec.name, values=sorted({str(v) for v in col[not_number]})
                ),
                ids=_ids(gdf, not_number, layer.id_field),
                expected=_("a number"),
            )
        )
    negative = present & ~np.isnan(values) & (values < 0)
    if negative.any():
        problems.append(
            Problem(
                layer.name,
                _("negative value in '{field}'").format(field=spec.name),
                ids=_ids(gdf, negative, layer.id_field),
                expected=_("zero or more"),
            )
        )
    if spec.type == "int":
        finite = present & np.isfinite(values)
        bad = finite & ((values != np.round(values)) | (values < 1))
        if bad.any():
            problems.append(
                Problem(
                    layer.name,
                    _("'{field}' must be a whole number of at least 1").format(field=spec.name),
                    ids=_ids(gdf, bad, layer.id_field),
                    expected=_("1, 2, 3, ... (1 is developed first)"),
                )
            )
        too_big = present & ~bad & (~np.isfinite(values) | (values > MAX_WHOLE_NUMBER))
        if too_big.any():
            problems.append(
                Problem(
                    layer.name,
                    _("'{field}' out of range: {values}").format(
                        field=spec.name, values=sorted({str(v) for v in col[too_big]})
                    ),
                    ids=_ids(gdf, too_big, layer.id_field),
                    expected=_("a whole number from 1 to {max}").format(
                        max=f"{MAX_WHOLE_NUMBER:,}"
                    ),
                    fix=_("number the priorities 1, 2, 3, ..."),
                )
            )
    return problems


def _prefix_issues(
    gdf: pd.DataFrame, spec: s.FieldSpec, present: np.ndarray, layer: s.LayerSchema
) -> list[Problem]:
    bad_rows = []
    bad_values: set[str] = set()
    for row, value in zip(np.flatnonzero(present), gdf[spec.name].to_numpy()[present], strict=True):
        items = value if isinstance(value, list | tuple | np.ndarray) else None
        if items is None or not all(isinstance(v, str) and CODE_PREFIX_RE.match(v) for v in items):
            bad_rows.append(row)
            bad_values.add(repr(value))
    if not bad_rows:
        return []
    mask = np.zeros(len(gdf), dtype=bool)
    mask[bad_rows] = True
    return [
        Problem(
            layer.name,
            _("'{field}' must be a list of GB/T 4754-2017 code prefixes, got {values}").format(
                field=spec.name, values=sorted(bad_values)[:3]
            ),
            ids=_ids(gdf, mask, layer.id_field),
            expected=_('a JSON array of 1- to 4-digit strings, e.g. ["3252", "34"]'),
        )
    ]


def find_geometry_issues(gdf: gpd.GeoDataFrame, layer: s.LayerSchema) -> list[Problem]:
    """Check for missing, empty, wrongly typed and invalid geometries (with shapely's reason)."""
    problems: list[Problem] = []
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        problems.append(
            Problem(
                layer.name, _("missing or empty geometry"), ids=_ids(gdf, missing, layer.id_field)
            )
        )
    types = np.asarray(shapely.get_type_id(geoms))
    type_names = np.array(
        [
            "Point",
            "LineString",
            "LinearRing",
            "Polygon",
            "MultiPoint",
            "MultiLineString",
            "MultiPolygon",
            "GeometryCollection",
        ]
    )
    present = ~missing
    wrong = present & ~np.isin(type_names[np.clip(types, 0, 7)], layer.geometry_types)
    if wrong.any():
        problems.append(
            Problem(
                layer.name,
                _("wrong geometry type {types}").format(
                    types=sorted(set(type_names[types[wrong]]))
                ),
                ids=_ids(gdf, wrong, layer.id_field),
                expected=_(" or ").join(layer.geometry_types),
            )
        )
    invalid = present & ~shapely.is_valid(geoms)
    if invalid.any():
        reasons = pd.Series(shapely.is_valid_reason(geoms[invalid]))
        idx = np.flatnonzero(invalid)
        for reason, positions in reasons.groupby(reasons.str.split("[", regex=False).str[0]):
            mask = np.zeros(len(gdf), dtype=bool)
            mask[idx[positions.index.to_numpy()]] = True
            problems.append(
                Problem(
                    layer.name,
                    _("invalid geometry: {reason}").format(reason=positions.iloc[0]),
                    ids=_ids(gdf, mask, layer.id_field),
                    expected=_("valid {types} (no self-intersection, closed rings)").format(
                        types="/".join(layer.geometry_types)
                    ),
                    fix=_(
                        "repair with shapely.make_valid or QGIS 'Fix geometries' ({reason})"
                    ).format(reason=reason.strip()),
                )
            )
    return problems


def find_zone_overlaps(zones: gpd.GeoDataFrame) -> list[Problem]:
    """Report pairs of zones that overlap by more than :data:`OVERLAP_TOLERANCE_M2`."""
    geoms = zones.geometry.to_numpy()
    left, right = zones.sindex.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if left.size == 0:
        return []
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    ids = zones[s.ZONE_ID].astype(str).to_numpy()
    return [
        Problem(
            "zones",
            _("overlapping zones: {first} and {second} share {area} m²").format(
                first=ids[i], second=ids[j], area=f"{a:,.0f}"
            ),
            ids=(ids[i], ids[j]),
            expected=_("zones that meet along shared boundaries without overlapping"),
            fix=_("snap the boundaries so each point of the park lies in one zone"),
        )
        for i, j, a in zip(left, right, areas, strict=True)
        if a > OVERLAP_TOLERANCE_M2
    ]


def derive_parcel_zones(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> pd.Series:
    """Return the zone of each parcel: the zone that covers it (within the tolerance).

    A parcel that lies in no zone, or crosses a zone boundary, gets a missing value.
    Both frames must be in the same metric CRS.

    Examples
    --------
    >>> import shapely
    >>> zones = gpd.GeoDataFrame({"zone_id": ["a", "b"]},
    ...     geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)], crs=METRIC_CRS)
    >>> parcels = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 5),
    ...     shapely.box(12, 2, 14, 4), shapely.box(8, 0, 12, 2)], crs=METRIC_CRS)
    >>> derive_parcel_zones(parcels, zones).tolist()
    ['a', 'b', <NA>]
    """
    grown = zones.geometry.buffer(BOUNDARY_TOLERANCE_M).to_numpy()
    tree = shapely.STRtree(grown)
    part, zone = tree.query(parcels.geometry.to_numpy(), predicate="covered_by")
    zone_ids = zones[s.ZONE_ID].astype("string").to_numpy()
    out = pd.Series(pd.NA, index=parcels.index, dtype="string", name=s.ZONE_ID)
    # a parcel covered by two grown zones is a sliver on the boundary: take the larger overlap
    order = np.lexsort((zone, part))
    part, zone = part[order], zone[order]
    first = np.unique(part, return_index=True)[1]
    single = np.bincount(part, minlength=len(parcels))[part[first]] == 1
    out.iloc[part[first][single]] = zone_ids[zone[first][single]]
    for p in part[first][~single]:
        candidates = zone[part == p]
        overlap = shapely.area(
            shapely.intersection(parcels.geometry.iloc[p], zones.geometry.to_numpy()[candidates])
        )
        out.iloc[p] = zone_ids[candidates[int(np.argmax(overlap))]]
    return out


def find_parcel_zone_issues(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> list[Problem]:
    """Report parcels outside every zone, outside the park, or across a zone boundary."""
    zone_of = derive_parcel_zones(parcels, zones)
    unassigned = zone_of.isna().to_numpy()
    if not unassigned.any():
        return []
    geoms = parcels.geometry.to_numpy()[unassigned]
    park = shapely.union_all(zones.geometry.to_numpy())
    touches_any = shapely.intersects(geoms, park)
    inside_park = shapely.covered_by(geoms, shapely.buffer(park, BOUNDARY_TOLERANCE_M))
    idx = np.flatnonzero(unassigned)
    problems = []
    for mask, what, fix in (
        (~touches_any, _("parcel outside every zone (outside the park)"), _("move or delete it")),
        (
            touches_any & ~inside_park,
            _("parcel extends outside the park boundary"),
            _("clip it to the park's zones"),
        ),
        (
            inside_park,
            _("parcel crosses a zone boundary (it must lie in exactly one zone)"),
            _("split it along the zone boundary"),
        ),
    ):
        if mask.any():
            full = np.zeros(len(parcels), dtype=bool)
            full[idx[mask]] = True
            problems.append(Problem("parcels", what, ids=_ids(parcels, full, s.PARCEL_ID), fix=fix))
    return problems


def find_county_issues(zones: gpd.GeoDataFrame, context: gpd.GeoDataFrame) -> list[Problem]:
    """Warn about zones outside the county boundary of the context layer (if present)."""
    if s.KIND not in context.columns:
        return []
    county = context[context[s.KIND] == "county_boundary"]
    if county.empty:
        return []
    area = shapely.buffer(shapely.union_all(county.geometry.to_numpy()), COUNTY_TOLERANCE_M)
    outside = ~shapely.covered_by(zones.geometry.to_numpy(), area)
    if not outside.any():
        return []
    return [
        Problem(
            "zones",
            _("zone outside the county boundary of the context layer"),
            ids=_ids(zones, outside, s.ZONE_ID),
            expected=_("zones within the county (tolerance {tolerance} m)").format(
                tolerance=f"{COUNTY_TOLERANCE_M:.0f}"
            ),
            severity=Severity.WARNING,
        )
    ]


def _parcel_industry_issues(rulebook: Rulebook, parcels: pd.DataFrame | None) -> list[Problem]:
    if parcels is None or s.INDUSTRY_CODE not in parcels.columns:
        return []
    codes = parcels[s.INDUSTRY_CODE].astype("string").fillna("").str.strip()
    unknown = codes.ne("").to_numpy() & ~codes.isin(list(rulebook.industry_codes)).to_numpy()
    if not unknown.any():
        return []
    return [
        Problem(
            "parcels",
            _("unknown industry code(s) {codes} in '{field}'").format(
                codes=sorted({str(c) for c in codes[unknown]}), field=s.INDUSTRY_CODE
            ),
            ids=_ids(parcels, unknown, s.PARCEL_ID),
            expected=_("a GB/T 4754-2017 code listed in the rulebook's [[industries]]"),
            fix=_("add the industry to the rulebook or correct the code"),
        )
    ]


def find_rulebook_issues(
    rulebook: Rulebook, zones: pd.DataFrame, parcels: pd.DataFrame | None = None
) -> list[Problem]:
    """Cross-check the rulebook against the zones and the parcels' industry codes."""
    problems: list[Problem] = []
    if s.ZONE_ID not in zones.columns:
        return problems
    zone_ids = set(zones[s.ZONE_ID].astype(str))
    unknown = sorted(set(rulebook.sequencing.open_from_phase) - zone_ids)
    if unknown:
        problems.append(
            Problem(
                "rulebook",
                f"sequencing.open_from_phase names unknown zone(s) {unknown}",
                expected=f"zone ids among {sorted(zone_ids)}",
            )
        )
    codes = rulebook.industry_codes
    problems += _parcel_industry_issues(rulebook, parcels)
    for column in (s.PERMITTED, s.CONDITIONAL):
        if column not in zones.columns:
            continue
        for zone_id, prefixes in zip(zones[s.ZONE_ID], zones[column], strict=True):
            if not isinstance(prefixes, list | tuple | np.ndarray):
                continue
            dead = [p for p in prefixes if not any(c.startswith(str(p)) for c in codes)]
            if dead:
                problems.append(
                    Problem(
                        "zones",
                        f"zone {zone_id}: {column} prefix(es) {dead} match no industry of the "
                        "rulebook's catalogue",
                        ids=(str(zone_id),),
                        fix="add the industries to [[industries]] or drop the prefixes",
                        severity=Severity.WARNING,
                    )
                )
    return problems


def find_park_issues(
    layers: Mapping[str, gpd.GeoDataFrame], rulebook: Rulebook | None = None
) -> list[Problem]:
    """Check every layer and their relations; return all problems found.

    Parameters
    ----------
    layers
        The park's layers by name (``zones``, ``parcels``, ``constraints``,
        ``infrastructure``, ``context``), in any CRS.
    rulebook
        The park's rulebook, when it could be built.

    Returns
    -------
    list of Problem
        Errors and warnings, in layer order. Never raises.
    """
    problems: list[Problem] = []
    usable: dict[str, gpd.GeoDataFrame] = {}
    for layer in s.LAYERS:
        gdf = layers.get(layer.name)
        if gdf is None:
            continue
        if len(gdf) == 0 and layer.name in ("zones", "parcels"):
            problems.append(
                Problem(layer.name, _("the layer has no features"), fix=_("add features"))
            )
            continue
        layer_problems = find_crs_issues(gdf, layer.name)
        layer_problems += find_field_issues(gdf, layer)
        layer_problems += find_geometry_issues(gdf, layer)
        problems += layer_problems
        if not any(p.severity is Severity.ERROR for p in layer_problems):
            usable[layer.name] = gdf.to_crs(METRIC_CRS)
    if "zones" in usable:
        zones = usable["zones"]
        problems += find_zone_overlaps(zones)
        if "parcels" in usable:
            problems += find_parcel_zone_issues(usable["parcels"], zones)
        if "context" in usable:
            problems += find_county_issues(zones, usable["context"])
    if rulebook is not None and "zones" in layers:
        problems += find_rulebook_issues(rulebook, layers["zones"], layers.get("parcels"))
    return problems


def raise_for_problems(problems: Sequence[Problem], summary: str) -> list[Problem]:
    """Raise :class:`ParkValidationError` if any problem is an error; return the warnings."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise ParkValidationError(_(summary), errors)
    return [p for p in problems if p.severity is Severity.WARNING]
