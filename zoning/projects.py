"""Proposed projects: the fields of a projects table, and how a table is checked and normalised.

A projects table has one row per proposed project (项目). It may be a
:class:`pandas.DataFrame` (a CSV read as text, sites as WKT in :data:`~zoning.schema.SITE_WKT`)
or a :class:`geopandas.GeoDataFrame` (a GeoJSON, sites as the geometry). Two kinds of
problem are kept apart:

- a table that cannot be used *as a whole* (no rows, a required column missing, empty or
  duplicate project ids, sites without a CRS) raises :class:`~zoning.errors.ProjectInputError`
  listing every problem (:func:`validate_project_table`);
- a single bad *row* (unknown industry code, negative area, invalid site, a value that is
  not a number) does not stop the batch: :func:`normalize_projects` records the reasons in
  :data:`~zoning.schema.INPUT_ERROR` and the fit check turns the row into a
  ``verdict: "error"`` result while the other rows are checked.

Units: areas in mu (亩, 1 mu = 666.67 m²), money in 万元 (10,000 yuan), wastewater in t/d,
power in MW; ``building_coefficient``, ``admin_share`` and ``green_ratio`` are shares of the
site area between 0 and 1 (``"35%"`` is accepted and read as 0.35).

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"project_id": ["A", "B"], "industry_code": ["3252", "32x"],
...                       "area_mu": ["60", "-5"]})
>>> out = normalize_projects(table)
>>> out["area_mu"].tolist()
[60.0, nan]
>>> out["input_error"].tolist()[1]
["industry_code '32x' is not a GB/T 4754-2017 class code (expected 4 digits, e.g. 3252)", \
'area_mu must be greater than 0 (given -5)']
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import Problem, ProjectInputError
from zoning.i18n import _
from zoning.rulebook import INDUSTRY_CODE_RE
from zoning.units import METRIC_CRS, WGS84, mu_from_m2

#: the fields of a projects table
PROJECT_FIELDS: Final = (
    s.FieldSpec(s.PROJECT_ID, "str", True, "Project identifier, unique in the table."),
    s.FieldSpec(s.NAME, "str", False, "Project name (Chinese and/or English)."),
    s.FieldSpec(
        s.INDUSTRY_CODE,
        "str",
        True,
        "GB/T 4754-2017 four-digit industry class, listed in the rulebook's [[industries]].",
    ),
    s.FieldSpec(s.AREA_MU, "float", False, "Land needed, mu (亩); required when there is no site."),
    s.FieldSpec(s.INVESTMENT_WAN, "float", False, "Fixed-asset investment, 万元."),
    s.FieldSpec(s.OUTPUT_WAN, "float", False, "Annual output value at full production, 万元."),
    s.FieldSpec(s.TAX_WAN, "float", False, "Annual tax paid at full production, 万元."),
    s.FieldSpec(s.FAR, "float", False, "Floor-area ratio (容积率)."),
    s.FieldSpec(
        s.BUILDING_COEFFICIENT, "float", False, "Building coefficient (建筑系数), share 0-1."
    ),
    s.FieldSpec(
        s.ADMIN_SHARE,
        "float",
        False,
        "Share of the site for administration and living (行政办公及生活服务设施), 0-1.",
    ),
    s.FieldSpec(s.GREEN_RATIO, "float", False, "Green ratio (绿地率), share 0-1."),
    s.FieldSpec(s.WASTEWATER_TPD, "float", False, "Wastewater discharge, t/d."),
    s.FieldSpec(s.POWER_MW, "float", False, "Electric power demand, MW."),
    s.FieldSpec(s.REQUESTED_ZONE, "str", False, "Zone the applicant asks for (zone_id)."),
    s.FieldSpec(s.NOTE, "str", False, "Remarks (why the project is in the list)."),
    s.FieldSpec(
        s.SITE_WKT,
        "str",
        False,
        "Site polygon as WKT in WGS84 lon/lat (CSV); a GeoJSON uses its geometry instead.",
    ),
)
PROJECT_FIELD_NAMES: Final = tuple(f.name for f in PROJECT_FIELDS)
REQUIRED_COLUMNS: Final = tuple(f.name for f in PROJECT_FIELDS if f.required)
NUMERIC_FIELDS: Final = tuple(f.name for f in PROJECT_FIELDS if f.type == "float")
TEXT_FIELDS: Final = (s.PROJECT_ID, s.NAME, s.INDUSTRY_CODE, s.REQUESTED_ZONE, s.NOTE)
#: fields given as a share of the site area, 0 to 1
SHARE_FIELDS: Final = (s.BUILDING_COEFFICIENT, s.ADMIN_SHARE, s.GREEN_RATIO)
#: geometry types a site may have
SITE_GEOMETRY_TYPES: Final = ("Polygon", "MultiPolygon")
#: cell values read as "not given"
MISSING_TOKENS: Final = frozenset({"", "-", "—", "na", "n/a", "nan", "null", "none"})

#: columns of a normalised projects table, in order (plus the geometry)
NORMALIZED_COLUMNS: Final = (
    *TEXT_FIELDS,
    *(f for f in NUMERIC_FIELDS if f != s.AREA_MU),
    s.AREA_MU,
    s.SITE_AREA_MU,
    s.INPUT_ERROR,
)

_WHERE: Final = "projects"


def _row_labels(mask: npt.NDArray[np.bool_]) -> tuple[str, ...]:
    return tuple(_("row {number}").format(number=i + 1) for i in np.flatnonzero(mask))


def _text(column: pd.Series) -> pd.Series:
    """Cells as stripped strings; missing cells become ``""``; 3252.0 becomes ``"3252"``."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        out = column.astype(object).where(column.notna(), "").astype(str).str.strip()
        return out.astype(object)
    values = column.to_numpy(dtype=object)
    cells = []
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            cells.append("")
        elif isinstance(value, float) and value.is_integer():
            cells.append(str(int(value)))
        else:
            cells.append(str(value).strip())
    return pd.Series(cells, index=column.index, dtype=object)


def _cell(value: object) -> str:
    """Show a cell as the user wrote it (``60`` rather than ``60.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class _NumberMessage:
    """Build the reason for a bad number in row ``i``, only for the rows that need one."""

    field: str
    raw: npt.NDArray[np.object_]
    values: npt.NDArray[np.float64]
    problem: str

    def __call__(self, i: int) -> str:
        given = _cell(self.raw[i])
        if self.problem == "not a number":
            return _("{field} is not a number (given {given})").format(
                field=self.field, given=repr(given)
            )
        if self.problem == "not positive":
            return _("{field} must be greater than 0 (given {given})").format(
                field=self.field, given=given
            )
        if self.problem == "negative":
            return _("{field} must be zero or more (given {given})").format(
                field=self.field, given=given
            )
        share = float(self.values[i]) / 100
        return _(
            "{field} must be a share between 0 and 1 (given {given}; for {given}% write "
            "{share} or {given}%)"
        ).format(field=self.field, given=given, share=f"{share:g}")


def _given(column: pd.Series) -> npt.NDArray[np.bool_]:
    """Return which cells hold a value (not empty, not a 'not given' token)."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.notna().to_numpy(dtype=bool)
    return ~_text(column).str.lower().isin(MISSING_TOKENS).to_numpy(dtype=bool)


def _site_column(projects: pd.DataFrame) -> gpd.GeoSeries | None:
    """Return the active geometry of a GeoDataFrame, or ``None`` for a plain table."""
    if not isinstance(projects, gpd.GeoDataFrame):
        return None
    try:
        return projects.geometry
    except AttributeError:  # a GeoDataFrame without an active geometry column
        return None


def find_project_table_issues(projects: object) -> list[Problem]:
    """Return the problems that make a projects table unusable as a whole; never raises.

    Row-level defects (a bad code, a negative area, an invalid site) are not reported here:
    they become ``error`` rows of the fit check (see :func:`normalize_projects`).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"project_id": ["A", "A"], "area_mu": [10, 20]})
    >>> [p.what for p in find_project_table_issues(table)]
    ['missing required column(s): industry_code', "duplicate project id(s) in 'project_id'"]
    """
    if not isinstance(projects, pd.DataFrame):
        return [
            Problem(
                _WHERE,
                _("not a table: got {type}").format(type=type(projects).__name__),
                expected=_("a pandas DataFrame or geopandas GeoDataFrame, one row per project"),
                fix=_("read the file with zoning.io.read_projects"),
            )
        ]
    if len(projects) == 0:
        return [
            Problem(
                _WHERE,
                _("the table has no projects"),
                expected=_("one row per project"),
                fix=_("add at least one project row below the header"),
            )
        ]
    return [
        *_missing_columns(projects),
        *_project_id_problems(projects),
        *_site_problems(projects),
    ]


def _missing_columns(projects: pd.DataFrame) -> list[Problem]:
    """Return the problem of missing required columns, if any."""
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in projects.columns]
    if missing:
        given = ", ".join(str(c) for c in projects.columns) or _("(none)")
        problems.append(
            Problem(
                _WHERE,
                _("missing required column(s): {columns}").format(columns=", ".join(missing)),
                expected=_("a header with at least {required} (known columns: {known})").format(
                    required=", ".join(REQUIRED_COLUMNS), known=", ".join(PROJECT_FIELD_NAMES)
                ),
                fix=_("rename or add the columns; the header read was: {header}").format(
                    header=given
                ),
            )
        )
    return problems


def _project_id_problems(projects: pd.DataFrame) -> list[Problem]:
    """Return the problems of empty and duplicate project ids."""
    if s.PROJECT_ID not in projects.columns:
        return []
    problems: list[Problem] = []
    ids = _text(projects[s.PROJECT_ID])
    empty = ids.eq("").to_numpy(dtype=bool)
    if empty.any():
        problems.append(
            Problem(
                _WHERE,
                _("empty '{field}'").format(field=s.PROJECT_ID),
                ids=_row_labels(empty),
                expected=_("an identifier on every row (results are keyed by it)"),
                fix=_("give every project an id"),
            )
        )
    dup = ids.duplicated(keep=False).to_numpy(dtype=bool) & ~empty
    if dup.any():
        problems.append(
            Problem(
                _WHERE,
                _("duplicate project id(s) in '{field}'").format(field=s.PROJECT_ID),
                ids=tuple(sorted(set(ids[dup]))),
                expected=_("each id once (results are keyed by it)"),
                fix=_("give every project its own id"),
            )
        )
    return problems


def _site_problems(projects: pd.DataFrame) -> list[Problem]:
    """Return the problems of sites without a coordinate reference system."""
    problems: list[Problem] = []
    if (
        not isinstance(projects, gpd.GeoDataFrame)
        and s.GEOMETRY in projects.columns
        and projects[s.GEOMETRY].map(lambda g: isinstance(g, shapely.Geometry)).any()
    ):
        problems.append(
            Problem(
                _WHERE,
                _(
                    "a 'geometry' column of a plain DataFrame: its sites have no CRS and would "
                    "be ignored"
                ),
                expected=_("a GeoDataFrame with a CRS, or sites as WKT (WGS84) in 'site_wkt'"),
                fix=_("wrap it: geopandas.GeoDataFrame(df, geometry='geometry', crs='EPSG:4326')"),
            )
        )
    sites = _site_column(projects)
    if sites is not None and sites.crs is None and sites.notna().any():
        problems.append(
            Problem(
                _WHERE,
                _("the sites have no coordinate reference system"),
                expected=_("GeoJSON in WGS84 lon/lat (RFC 7946), or a GeoDataFrame with a CRS"),
                fix=_("set the CRS (gdf.set_crs('EPSG:4326') for lon/lat)"),
            )
        )
    return problems


def validate_project_table(projects: object) -> None:
    """Raise if the projects table cannot be used as a whole.

    Raises
    ------
    ProjectInputError
        Listing every table-level problem (see :func:`find_project_table_issues`).

    Examples
    --------
    >>> import pandas as pd
    >>> validate_project_table(pd.DataFrame({"project_id": []}))
    Traceback (most recent call last):
    ...
    zoning.errors.ProjectInputError: the projects table cannot be used (1 problem(s)):
      1. [projects] the table has no projects. Expected: one row per project. Fix: add at \
least one project row below the header
    """
    problems = find_project_table_issues(projects)
    if problems:
        raise ProjectInputError(_("the projects table cannot be used"), problems)


def _parse_numbers(
    column: pd.Series, *, allow_percent: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Return the values (NaN where not given) and a mask of cells that are not numbers."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) & ~np.isnan(values)
        values = np.where(bad, np.nan, values)
        return values, bad
    text = _text(column)
    lowered = text.str.lower()
    missing = lowered.isin(MISSING_TOKENS).to_numpy(dtype=bool)
    cleaned = text.str.replace(",", "", regex=False).str.replace("，", "", regex=False)
    percent = cleaned.str.endswith("%").to_numpy(dtype=bool) if allow_percent else None
    if percent is not None:
        cleaned = cleaned.str.rstrip("%").str.strip()
    values = pd.to_numeric(cleaned.where(~missing, None), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    if percent is not None:
        values = np.where(percent, values / 100.0, values)
    bad = ~missing & ~np.isfinite(values)
    return np.where(bad, np.nan, values), bad


def _sites(
    projects: pd.DataFrame, *, wkt_crs: str
) -> tuple[npt.NDArray[np.object_], list[list[str]]]:
    """Return the sites in EPSG:4543 (None where absent or unusable) and per-row reasons."""
    n = len(projects)
    reasons: list[list[str]] = [[] for _row in range(n)]
    geoms = np.full(n, None, dtype=object)
    crs_of = np.full(n, "", dtype=object)
    sites = _site_column(projects)
    if sites is not None:
        given = sites.to_numpy()
        present = ~shapely.is_missing(given)
        geoms[present] = given[present]
        crs_of[present] = "geometry"
    if s.SITE_WKT in projects.columns:
        wkt = _text(projects[s.SITE_WKT]).to_numpy(dtype=object)
        use = (crs_of == "") & (wkt != "")
        to_parse = wkt.copy()
        to_parse[~use] = None
        parsed = shapely.from_wkt(to_parse, on_invalid="ignore")
        unreadable = use & shapely.is_missing(parsed)
        for i in np.flatnonzero(unreadable):
            reasons[i].append(
                _(
                    "site_wkt is not readable WKT (starts {start}); expected e.g. "
                    "'POLYGON ((101.70 36.91, 101.71 36.91, 101.71 36.92, 101.70 36.91))'"
                ).format(start=repr(str(wkt[i])[:40]))
            )
        ok = use & ~unreadable
        geoms[ok] = parsed[ok]
        crs_of[ok] = "wkt"
    present = crs_of != ""
    empty = present & shapely.is_empty(geoms.astype(object))
    geoms[empty] = None
    present &= ~empty
    type_ids = shapely.get_type_id(geoms)
    polygonal = np.isin(type_ids, (3, 6))
    for i in np.flatnonzero(present & ~polygonal):
        reasons[i].append(
            _("site is a {type}, expected a Polygon or MultiPolygon").format(
                type=geoms[i].geom_type
            )
        )
    invalid = present & polygonal & ~shapely.is_valid(geoms)
    for i in np.flatnonzero(invalid):
        reasons[i].append(
            _(
                "invalid site polygon: {reason}; repair it with shapely.make_valid or QGIS "
                "'Fix geometries'"
            ).format(reason=shapely.is_valid_reason(geoms[i]))
        )
    usable = present & polygonal & ~invalid
    out = np.full(n, None, dtype=object)
    for source, crs in (("geometry", None if sites is None else sites.crs), ("wkt", wkt_crs)):
        rows = usable & (crs_of == source)
        if not rows.any() or crs is None:
            continue
        frame = gpd.GeoSeries(geoms[rows], crs=crs)
        bad_coords = np.zeros(int(rows.sum()), dtype=bool)
        if frame.crs is not None and frame.crs.is_geographic:
            bounds = shapely.bounds(geoms[rows])
            bad_coords = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (
                np.abs(bounds[:, [1, 3]]) > 90
            ).any(axis=1)
        projected = frame.to_crs(METRIC_CRS).to_numpy()
        finite = np.isfinite(shapely.bounds(projected)).all(axis=1)
        bad_coords |= ~finite
        idx = np.flatnonzero(rows)
        for i in idx[bad_coords]:
            where = "site_wkt" if source == "wkt" else _("the site geometry")
            reasons[i].append(
                _(
                    "{where} has coordinates impossible for {crs} (bounds {bounds}); give "
                    "sites in WGS84 longitude/latitude"
                ).format(
                    where=where, crs=crs, bounds=np.round(shapely.bounds(geoms[i]), 1).tolist()
                )
            )
        out[idx[~bad_coords]] = projected[~bad_coords]
    return out, reasons


def normalize_projects(
    projects: pd.DataFrame,
    *,
    industry_codes: Collection[str] | None = None,
    zone_ids: Collection[str] | None = None,
    wkt_crs: str = WGS84,
) -> gpd.GeoDataFrame:
    """Check a projects table and return it typed, with sites in EPSG:4543.

    Parameters
    ----------
    projects
        One row per project: a DataFrame (cells may be text, as read from a CSV; sites as
        WKT in ``site_wkt``) or a GeoDataFrame (sites as its geometry, any CRS).
    industry_codes
        The codes of the rulebook's industry catalogue; a code outside it makes the row an
        error. ``None`` checks only the format (four digits).
    zone_ids
        The park's zones; a ``requested_zone`` outside them makes the row an error.
    wkt_crs
        CRS of the ``site_wkt`` coordinates (default WGS84 lon/lat).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`NORMALIZED_COLUMNS` and the site geometry (EPSG:4543, ``None`` when
        there is no usable site), in input order with a fresh integer index. Text fields are
        ``""`` when not given, numbers ``NaN``. ``area_mu`` is the area given or, failing that,
        the site's; ``site_area_mu`` the site's area. ``input_error`` is a list of reasons,
        empty for a usable row; reasons already in an ``input_error`` column of ``projects``
        (a reader's findings, e.g. an unreadable GeoJSON geometry) are kept.

    Raises
    ------
    ProjectInputError
        If the table cannot be used as a whole (see :func:`validate_project_table`).
    """
    validate_project_table(projects)
    n = len(projects)
    reasons: list[list[str]] = [[] for _row in range(n)]
    if s.INPUT_ERROR in projects.columns:  # problems a reader found in a row
        _add_reader_reasons(projects[s.INPUT_ERROR], reasons)
    out: dict[str, object] = {}
    for field in TEXT_FIELDS:
        column = projects[field] if field in projects.columns else pd.Series([""] * n)
        out[field] = _text(column).to_numpy(dtype=object)
    _check_industry_codes(np.asarray(out[s.INDUSTRY_CODE], dtype=object), industry_codes, reasons)
    if zone_ids is not None:
        _check_requested_zones(np.asarray(out[s.REQUESTED_ZONE], dtype=object), zone_ids, reasons)
    for field in NUMERIC_FIELDS:
        out[field] = (
            _number_field(projects[field], field, reasons)
            if field in projects.columns
            else np.full(n, np.nan)
        )

    area_flagged = np.zeros(n, dtype=bool)  # area_mu given but unusable: already reported
    if s.AREA_MU in projects.columns:
        area_flagged = _given(projects[s.AREA_MU]) & np.isnan(np.asarray(out[s.AREA_MU], float))
    geoms, site_reasons = _sites(projects, wkt_crs=wkt_crs)
    site_flagged = np.array([bool(r) for r in site_reasons], dtype=bool)
    for i, extra in enumerate(site_reasons):
        reasons[i].extend(extra)
    has_site = ~shapely.is_missing(geoms)
    site_mu = np.full(n, np.nan)
    site_mu[has_site] = mu_from_m2(shapely.area(geoms[has_site]))
    given_mu = np.asarray(out[s.AREA_MU], dtype=float)
    no_area = np.isnan(given_mu) & ~has_site
    _flag(
        reasons,
        no_area & ~area_flagged & ~site_flagged,
        _("area_mu is missing and there is no site: give the land needed in mu, or a site polygon"),
    )
    out[s.SITE_AREA_MU] = site_mu
    out[s.AREA_MU] = np.where(np.isnan(given_mu), site_mu, given_mu)
    out[s.INPUT_ERROR] = reasons
    frame = pd.DataFrame({c: out[c] for c in NORMALIZED_COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=METRIC_CRS), crs=METRIC_CRS)


def _flag(
    reasons: list[list[str]], mask: npt.NDArray[np.bool_], text: str | Callable[[int], str]
) -> None:
    """Add a reason to the flagged rows; a callable builds it for row ``i`` only then."""
    for i in np.flatnonzero(mask).tolist():
        reasons[i].append(text if isinstance(text, str) else text(i))


def _add_reader_reasons(given: pd.Series, reasons: list[list[str]]) -> None:
    """Keep the problems a reader already found in a row (text, or a list of texts)."""
    for i, value in enumerate(given.tolist()):
        if isinstance(value, str) and value.strip():
            reasons[i].append(value.strip())
        elif isinstance(value, list | tuple | np.ndarray):
            reasons[i].extend(str(g) for g in value)


def _check_industry_codes(
    codes: npt.NDArray[np.object_],
    industry_codes: Collection[str] | None,
    reasons: list[list[str]],
) -> None:
    """Flag empty, malformed and (given a catalogue) unknown industry codes."""
    bad_format = ~pd.Series(codes).str.fullmatch(INDUSTRY_CODE_RE.pattern).to_numpy(dtype=bool)
    _flag(
        reasons,
        bad_format & (codes == ""),
        _("industry_code is empty; give the GB/T 4754-2017 four-digit class, e.g. 3252"),
    )
    _flag(
        reasons,
        bad_format & (codes != ""),
        lambda i: _(
            "industry_code {code} is not a GB/T 4754-2017 class code (expected 4 digits, e.g. 3252)"
        ).format(code=repr(codes[i])),
    )
    if industry_codes is not None:
        known = frozenset(industry_codes)
        unknown = ~bad_format & ~np.isin(codes, list(known))
        _flag(
            reasons,
            unknown,
            lambda i: _(
                "unknown industry code {code}: not in the rulebook's industry catalogue (add "
                "it to [[industries]] in rulebook.toml, or correct the code)"
            ).format(code=codes[i]),
        )


def _check_requested_zones(
    requested: npt.NDArray[np.object_], zone_ids: Collection[str], reasons: list[list[str]]
) -> None:
    """Flag a requested zone that is not a zone of the park."""
    zones = sorted(zone_ids)
    _flag(
        reasons,
        (requested != "") & ~np.isin(requested, zones),
        lambda i: _("requested_zone {zone} is not a zone of the park ({zones})").format(
            zone=repr(requested[i]), zones=", ".join(zones)
        ),
    )


def _number_field(
    column: pd.Series, field: str, reasons: list[list[str]]
) -> npt.NDArray[np.float64]:
    """Parse a numeric field: flag and blank what is not a number, not positive or above 1."""
    is_share = field in SHARE_FIELDS
    values, not_number = _parse_numbers(column, allow_percent=is_share)
    raw = column.to_numpy(dtype=object)
    _flag(reasons, not_number, _NumberMessage(field, raw, values, "not a number"))
    if field == s.AREA_MU:
        _flag(reasons, values <= 0, _NumberMessage(field, raw, values, "not positive"))
        values = np.where(values > 0, values, np.nan)
    else:
        _flag(reasons, values < 0, _NumberMessage(field, raw, values, "negative"))
        values = np.where(values < 0, np.nan, values)
    if is_share:
        _flag(reasons, values > 1, _NumberMessage(field, raw, values, "share above 1"))
        values = np.where(values > 1, np.nan, values)
    return values
