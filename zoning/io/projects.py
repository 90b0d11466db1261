"""Read a projects file (CSV or GeoJSON) and write fit-check results.

A projects file has one project per row (CSV) or feature (GeoJSON); the fields are listed in
:data:`zoning.projects.PROJECT_FIELDS`. A CSV is UTF-8, with or without a byte-order mark
(Excel's "CSV UTF-8"); its sites, if any, are WKT polygons in WGS84 longitude/latitude in a
``site_wkt`` column. A GeoJSON is a FeatureCollection in WGS84 (RFC 7946) whose geometry is
the site (``null`` for a project without one); it is read with fiona.

:func:`read_projects` only reads: a file that cannot be read as a table raises
:class:`~zoning.errors.ProjectInputError` with every problem found, while row-level defects
are left to the fit check, which reports them as ``error`` rows. Results are written
atomically: to a temporary file beside the target, then renamed over it, so a reader never
sees a half-written file and a failed write leaves any earlier file untouched.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import Problem, ProjectInputError, Severity
from zoning.i18n import N_, _
from zoning.io._atomic import write_text_atomic
from zoning.io.project_formats import PROJECT_SUFFIXES, finish_project_table, read_project_file
from zoning.io.reading import Reader
from zoning.projects import TEXT_FIELDS
from zoning.rules import to_feature_collection, to_records
from zoning.units import WGS84
from zoning.validation import find_crs_issues

CSV_SUFFIXES: Final = (".csv", ".txt")
GEOJSON_SUFFIXES: Final = (".geojson", ".json")
ResultFormat = Literal["json", "geojson"]

_SUMMARY: Final = N_("cannot read the projects file")
_SAVE_AS_UTF8: Final = N_(
    "in Excel use 'Save as' → 'CSV UTF-8 (comma delimited)'; in WPS choose UTF-8 encoding"
)
_FEATURE_COLLECTION: Final = N_(
    'a GeoJSON FeatureCollection ({"type": "FeatureCollection", "features": [...]})'
)


def _fail(where: str, what: str, *, expected: str = "", fix: str = "") -> ProjectInputError:
    return ProjectInputError(_(_SUMMARY), [Problem(where, what, expected=expected, fix=fix)])


def _reader() -> Reader:
    return Reader(ProjectInputError, _(_SUMMARY))


def _read_text(path: Path) -> str:
    reader = _reader()
    data = reader.read_bytes(path, fix_empty=_("write one project per row, with a header"))
    return reader.decode(data, where=path.name, fix=_(_SAVE_AS_UTF8))


def _read_csv(path: Path) -> pd.DataFrame:
    text = _read_text(path)
    all_rows = _reader().csv_rows(text, where=path.name)
    header = all_rows[0] if all_rows else []
    names = [h.strip().lower() for h in header]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    problems = []
    if dupes:
        problems.append(
            Problem(
                path.name,
                _("duplicate column(s) in the header: {columns}").format(columns=", ".join(dupes)),
                expected=_("each column once"),
                fix=_("delete or rename the repeated columns"),
            )
        )
    if any(not n for n in names):
        problems.append(
            Problem(
                path.name,
                _("a column of the header has no name"),
                expected=_("a name for every column (project_id, industry_code, ...)"),
                fix=_("name the column or delete it (check for a trailing comma in the header)"),
            )
        )
    if problems:
        raise ProjectInputError(_(_SUMMARY), problems)
    rows = all_rows[1:]
    long_rows = [
        i for i, row in enumerate(rows, start=2) if len(row) > len(names) and any(row[len(names) :])
    ]
    if long_rows:
        shown = ", ".join(str(n) for n in long_rows[:10])
        more = (
            " " + _("(+{count} more)").format(count=len(long_rows) - 10)
            if len(long_rows) > 10
            else ""
        )
        raise _fail(
            path.name,
            _("more cells than header columns on line(s) {lines}").format(lines=shown) + more,
            expected=_("at most {count} cells per row, as in the header").format(count=len(names)),
            fix=_('quote cells that contain commas ("1,200" or "a, b"), or remove the extra cells'),
        )
    cells = [(row + [""] * len(names))[: len(names)] for row in rows]
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    blank = frame.apply(lambda col: col.str.strip().eq("")).all(axis=1).to_numpy(dtype=bool)
    kept: pd.DataFrame = frame[~blank].reset_index(drop=True)
    return kept


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    text = _read_text(path)
    expected = _(_FEATURE_COLLECTION)
    doc = _reader().parse_json(text, where=path.name, expected=expected)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        given = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise _fail(
            path.name,
            _("not a GeoJSON FeatureCollection: top-level type is {given}").format(
                given=repr(given)
            ),
            expected=expected,
        )
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise _fail(path.name, _("the FeatureCollection has no features"), expected=expected)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path, engine="fiona")
    except Exception:
        frame = _features_to_frame(doc, features)
    crs_errors = [p for p in find_crs_issues(frame, path.name) if p.severity is Severity.ERROR]
    if crs_errors:
        raise ProjectInputError(_(_SUMMARY), crs_errors)
    frame.columns = [
        c if c == frame.geometry.name else str(c).strip().lower() for c in frame.columns
    ]
    # keep text fields as written: fiona turns "0511" into the integer 511 when it guesses a
    # numeric type from the first features
    if len(frame) == len(features):
        for field in TEXT_FIELDS:
            if field in frame.columns:
                frame[field] = [_raw_property(f, field) for f in features]
        # a geometry GDAL could not build comes back as None: never let a given site vanish
        lost = frame.geometry.isna().to_numpy() & np.array(
            [isinstance(f, dict) and f.get("geometry") is not None for f in features]
        )
        if lost.any():
            known = frame[s.INPUT_ERROR] if s.INPUT_ERROR in frame.columns else None
            reasons = [list(known.iloc[i]) if known is not None else [] for i in range(len(frame))]
            for i in np.flatnonzero(lost).tolist():
                raw = features[i]["geometry"]
                kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
                if not reasons[i]:
                    reasons[i].append(
                        _(
                            "feature {number}: the site geometry cannot be read (type {kind}); "
                            "expected a valid GeoJSON Polygon or MultiPolygon"
                        ).format(number=i + 1, kind=repr(kind))
                    )
            frame[s.INPUT_ERROR] = reasons
    return frame


def _features_to_frame(doc: dict[str, Any], features: list[Any]) -> gpd.GeoDataFrame:
    """Build the table from the parsed JSON when fiona cannot read the file.

    A feature whose geometry cannot be built gets no site and the reason in ``input_error``,
    so that it becomes an error row while the others are checked.
    """
    crs_member = doc.get("crs")
    crs = WGS84
    if isinstance(crs_member, dict) and isinstance(crs_member.get("properties"), dict):
        crs = str(crs_member["properties"].get("name", WGS84))
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry | None] = []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        row = dict(props) if isinstance(props, dict) else {}
        reasons: list[str] = []
        raw = feature.get("geometry") if isinstance(feature, dict) else None
        geom = None
        if raw is not None:
            try:
                geom = shapely.geometry.shape(raw)
            except Exception as exc:
                reasons.append(
                    _("feature {number}: the site geometry cannot be read ({reason})").format(
                        number=i, reason=exc
                    )
                )
        row[s.INPUT_ERROR] = reasons
        rows.append(row)
        geoms.append(geom)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=crs)


def _raw_property(feature: Any, field: str) -> object:
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return None
    for key, value in props.items():
        if str(key).strip().lower() == field:
            return value
    return None


def read_projects(path: str | Path) -> pd.DataFrame:
    """Read a projects file: CSV (sites as WKT) or GeoJSON (sites as geometry).

    Parameters
    ----------
    path
        A ``.csv`` file (UTF-8, with or without BOM) or a ``.geojson`` / ``.json``
        FeatureCollection.

    Returns
    -------
    pandas.DataFrame
        For a CSV, a DataFrame of text cells (column names stripped and lower-cased, blank
        rows dropped); for a GeoJSON, a GeoDataFrame in the file's CRS. Pass it to
        :func:`zoning.check`, which parses and checks every value.

    Raises
    ------
    ProjectInputError
        If the file is missing, empty, of an unknown type, not UTF-8, not a readable table or
        FeatureCollection, or has duplicate or unnamed header columns. Problems of single rows
        are not raised: they become ``error`` rows of the fit check.
    """
    path = Path(path)
    if not path.is_file():
        raise _fail(
            str(path),
            _("file not found") if not path.exists() else _("not a file"),
            expected=_("a projects file (.csv, .xlsx, .geojson, .shp, .gpkg, .kml or .dxf)"),
        )
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return finish_project_table(_read_csv(path))
    if suffix in GEOJSON_SUFFIXES:
        features: pd.DataFrame = finish_project_table(_read_geojson(path))
        return features
    if suffix in PROJECT_SUFFIXES:  # .xlsx, .shp, .gpkg, .kml, .dxf
        return read_project_file(path, read_table=read_projects)
    raise _fail(
        path.name,
        _("unsupported file type {suffix}").format(suffix=repr(suffix or _("(none)"))),
        expected=_(
            "a .csv (sites as WKT in site_wkt), an Excel .xlsx, a .geojson FeatureCollection, "
            "or sites in a .shp, .gpkg, .kml or .dxf"
        ),
        fix=_("save the table as Excel .xlsx or CSV UTF-8, or the sites as GeoJSON"),
    )


def dumps_check_results(results: pd.DataFrame, *, fmt: ResultFormat) -> str:
    """Serialise check results as JSON (a list of rows) or GeoJSON (WGS84 features).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"project_id": ["P1"], "name": ["Cable"], "industry_code": ["3831"],
    ...     "zone_id": ["almg"], "verdict": ["fits"], "best": [True], "area_mu": [60.0],
    ...     "findings": [[]]})
    >>> print(dumps_check_results(rows, fmt="json"))  # doctest: +NORMALIZE_WHITESPACE
    [{"project_id": "P1", "name": "Cable", "industry_code": "3831", "zone_id": "almg",
      "verdict": "fits", "best": true, "area_mu": 60.0, "findings": []}]
    """
    if fmt == "geojson":
        return json.dumps(to_feature_collection(results), ensure_ascii=False) + "\n"
    if fmt == "json":
        return json.dumps(to_records(results), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}: expected 'json' or 'geojson'")


def write_check_results(
    results: pd.DataFrame, path: str | Path, *, fmt: ResultFormat = "json"
) -> Path:
    """Write check results to ``path`` atomically as JSON or GeoJSON.

    Raises
    ------
    ExportError
        If the file cannot be written (an existing file is left untouched).
    """
    return write_text_atomic(path, dumps_check_results(results, fmt=fmt))


__all__ = [
    "dumps_check_results",
    "read_projects",
    "write_check_results",
    "write_text_atomic",
]
