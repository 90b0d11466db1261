"""Read a park directory: layer files, ``rulebook.toml`` and ``metadata.json``.

A park directory holds one file per layer, named after the layer: ``zones``,
``parcels`` (required), ``constraints``, ``infrastructure``, ``context`` (optional), each as
``.geojson`` (preferred), ``.gpkg`` or ``.shp``; a ``rulebook.toml``; and optionally a
``metadata.json``. Files are read with fiona (``engine="fiona"``). Every problem, from an
unreadable file to an invalid polygon, is collected and reported at once.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import json
import warnings
from importlib import resources
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import pyproj
import shapely

from zoning import schema as s
from zoning.errors import InputError, ParkValidationError, Problem, RulebookError
from zoning.i18n import N_, _
from zoning.io.reading import Reader
from zoning.io.shapefiles import read_shapefile_layer, shapefile_parts
from zoning.park import Park, build_park
from zoning.rulebook import Rulebook, build_rulebook

LAYER_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp")
RULEBOOK_FILE: Final = "rulebook.toml"
METADATA_FILE: Final = "metadata.json"
REQUIRED_LAYERS: Final = ("zones", "parcels")
BUNDLED_PARK: Final = "beichuan"


def bundled_park_dir(name: str = BUNDLED_PARK) -> Path:
    """Return the directory of a park bundled with the package (default: Beichuan).

    In an installed wheel the data sits in ``zoning/_bundled/``; in a source checkout
    (editable install) it is read from ``gis_data/`` at the repository root.
    """
    packaged = resources.files("zoning").joinpath("_bundled", name)
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "gis_data" / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled park {name!r} not found (looked in {packaged}, {checkout})")


def find_layer_file(park_dir: Path, layer: str) -> Path | None:
    """Return the file holding ``layer`` in ``park_dir``, or ``None``."""
    for suffix in LAYER_SUFFIXES:
        candidate = park_dir / f"{layer}{suffix}"
        if candidate.is_file():
            return candidate
    parts = shapefile_parts(park_dir, layer)  # a shapefile set split by geometry (export)
    return parts[0] if parts else None


_LAYERS_READER: Final = N_("the park data is invalid")


def _reader(error: type[InputError] = ParkValidationError) -> Reader:
    return Reader(error, _(_LAYERS_READER))


def read_layer(path: Path, layer: str) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Read one layer file; return the frame or the problems that prevent it.

    A GeoJSON layer is read and parsed by the reader layer first (encoding, JSON, depth);
    fiona then builds the frame, and when fiona cannot (a text in a numeric property, for
    instance) the frame is built from the parsed features, so that the field check names the
    field and the feature.
    """
    reader = _reader()
    expected = _("a GeoJSON, GeoPackage or Shapefile layer")
    try:
        if path.suffix in (".geojson", ".json"):
            return _read_geojson_layer(reader, path, layer), []
        reader.check_readable(path, expected=expected)
        size = path.stat().st_size
    except InputError as exc:
        return None, exc.problems
    if size == 0:
        return None, [_empty(path, layer)]
    try:
        if path.suffix == ".shp":  # encoding detected, short field names mapped back
            return read_shapefile_layer(path, layer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = gpd.read_file(path, engine="fiona")
    except Exception as exc:  # fiona/GDAL raise many types for unreadable data
        return None, [
            Problem(
                path.name,
                _("unreadable file: {reason}").format(reason=f"{type(exc).__name__}: {exc}"),
                expected=expected,
            )
        ]
    return gdf, []


def _empty(path: Path, layer: str) -> Problem:
    return Problem(
        path.name,
        _("empty file (0 bytes)"),
        fix=_("write the {layer} features into it").format(layer=layer),
    )


def _read_geojson_layer(reader: Reader, path: Path, layer: str) -> gpd.GeoDataFrame:
    expected = _('a GeoJSON FeatureCollection ({"type": "FeatureCollection", "features": [...]})')
    if path.is_file() and path.stat().st_size == 0:
        raise ParkValidationError(_(_LAYERS_READER), [_empty(path, layer)])
    data = reader.read_bytes(path, expected=expected)
    try:
        text = reader.decode(data, where=path.name, fix=_("save the layer as UTF-8 GeoJSON"))
        doc = reader.parse_json(text, where=path.name, expected=expected)
    except InputError as exc:
        raise ParkValidationError(
            exc.summary,
            [
                dataclasses.replace(p, what=_("not a GeoJSON file: {reason}").format(reason=p.what))
                for p in exc.problems
            ],
        ) from None
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        given = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise reader.fail(
            path.name,
            _("not a GeoJSON file: top-level type is {given}").format(given=repr(given)),
            expected=expected,
        )
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise reader.fail(
            path.name, _("'features' must be a list of GeoJSON Feature objects"), expected=expected
        )
    crs = _declared_crs(reader, path, doc)
    source: Path | io.BytesIO = path
    if data.startswith(codecs.BOM_UTF8):
        source = io.BytesIO(data[len(codecs.BOM_UTF8) :])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf: gpd.GeoDataFrame = gpd.read_file(source, engine="fiona")
    except Exception:  # fiona/GDAL raise many types; build the frame from the parsed JSON
        gdf = _features_frame(reader, path, features, crs)
    if crs is not None and (gdf.crs is None or not gdf.crs.equals(crs)):
        gdf = gdf.set_crs(crs, allow_override=True)
    return _keep_raw_text(gdf, features, layer)


def _declared_crs(reader: Reader, path: Path, doc: dict[str, Any]) -> pyproj.CRS | None:
    """Return the CRS of an old-style ``crs`` member, WGS84 without one."""
    member = doc.get("crs")
    if member is None:
        return pyproj.CRS.from_epsg(4326)
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    try:
        return pyproj.CRS.from_user_input(str(name))
    except (pyproj.exceptions.CRSError, TypeError, AttributeError):
        raise reader.fail(
            path.name,
            _("the 'crs' member names no known coordinate reference system: {given}").format(
                given=json.dumps(member, ensure_ascii=False)[:200]
            ),
            expected=_("no 'crs' member (RFC 7946: WGS84 lon/lat), or a known CRS name"),
            fix=_("remove the 'crs' member and write lon/lat coordinates"),
        ) from None


def _features_frame(
    reader: Reader, path: Path, features: list[dict[str, Any]], crs: pyproj.CRS | None
) -> gpd.GeoDataFrame:
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry | None] = []
    bad: list[str] = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties")
        rows.append(dict(props) if isinstance(props, dict) else {})
        raw = feature.get("geometry")
        try:
            geoms.append(None if raw is None else shapely.geometry.shape(raw))
        except Exception as exc:  # shapely raises several types for bad GeoJSON geometry
            bad.append(_("feature {number}: {reason}").format(number=number, reason=exc))
            geoms.append(None)
    if bad:
        raise reader.fail(
            path.name,
            _("unreadable geometry: {reasons}").format(reasons="; ".join(bad[:5])),
            expected=_("GeoJSON geometries with coordinates as arrays of numbers"),
        )
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=crs)


def _keep_raw_text(
    gdf: gpd.GeoDataFrame, features: list[dict[str, Any]], layer: str
) -> gpd.GeoDataFrame:
    """Keep text fields as written (fiona may read the code "0511" of a mixed column as 511)."""
    spec = s.LAYER_BY_NAME.get(layer)
    if spec is None or len(gdf) != len(features):
        return gdf
    for field in spec.fields:
        if field.type == "str" and field.name in gdf.columns:
            raw = [
                f["properties"].get(field.name) if isinstance(f.get("properties"), dict) else None
                for f in features
            ]
            if any(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
                gdf[field.name] = pd.Series(raw, index=gdf.index, dtype=object)
    return gdf


def read_rulebook(path: Path) -> Rulebook:
    """Read and check a rulebook TOML file.

    Raises
    ------
    RulebookError
        If the file is missing, unreadable, not UTF-8, not valid TOML, or holds invalid
        entries.
    """
    summary = _("no rulebook") if not path.exists() else _("the rulebook cannot be read")
    reader = Reader(RulebookError, summary)
    text = reader.read_text(
        path,
        expected=_("a TOML file (see docs/rulebook.md)"),
        fix_missing=_("add a {file} (copy the bundled one)").format(file=RULEBOOK_FILE),
    )
    data = reader.parse_toml(text, where=path.name)
    return build_rulebook(data, where=path.name)


def read_metadata(path: Path) -> dict[str, Any]:
    """Read ``metadata.json``; a missing file gives an empty mapping.

    Raises
    ------
    ParkValidationError
        If the file is unreadable, not UTF-8, not JSON or not a JSON object.
    """
    if not path.exists() and not path.is_symlink():
        return {}
    reader = Reader(ParkValidationError, _("the park metadata is invalid"))
    expected = _('a JSON object ({"park_id": "...", "name_zh": "...", ...})')
    text = reader.read_text(path, expected=expected)
    data = reader.parse_json(text, where=path.name, expected=expected)
    if not isinstance(data, dict):
        raise reader.fail(path.name, _("metadata must be a JSON object"), expected=expected)
    return data


def read_park(path: str | Path | None = None) -> Park:
    """Read, validate and return the park in ``path`` (default: the bundled Beichuan park).

    Parameters
    ----------
    path
        A park directory. ``None`` reads the park bundled with the package.

    Raises
    ------
    ParkValidationError
        Listing every problem: unreadable or missing files, invalid rulebook entries and
        every defect of the layers.

    Examples
    --------
    >>> park = read_park()
    >>> sorted(park.zones["zone_id"])
    ['almg', 'bonded', 'incubation', 'integration']
    """
    park_dir = bundled_park_dir() if path is None else Path(path)
    if not park_dir.is_dir():
        raise ParkValidationError(
            _("cannot read the park"),
            [
                Problem(
                    str(park_dir),
                    _("not a directory"),
                    expected=_(
                        "a park directory with zones.geojson, parcels.geojson and {file}"
                    ).format(file=RULEBOOK_FILE),
                )
            ],
        )
    problems: list[Problem] = []
    layers: dict[str, gpd.GeoDataFrame] = {}
    for layer in s.LAYERS:
        file = find_layer_file(park_dir, layer.name)
        if file is None:
            if layer.name in REQUIRED_LAYERS:
                problems.append(
                    Problem(
                        layer.name,
                        _("missing layer file {file}").format(file=f"{layer.name}.geojson"),
                        expected=_("one of {files}").format(
                            files=", ".join(layer.name + x for x in LAYER_SUFFIXES)
                        ),
                    )
                )
            continue
        gdf, read_problems = read_layer(file, layer.name)
        problems += read_problems
        if gdf is not None:
            layers[layer.name] = gdf
    rulebook: Rulebook | None = None
    try:
        rulebook = read_rulebook(park_dir / RULEBOOK_FILE)
    except RulebookError as exc:
        problems += exc.problems
    metadata: dict[str, Any] = {}
    try:
        metadata = read_metadata(park_dir / METADATA_FILE)
    except ParkValidationError as exc:
        problems += exc.problems
    if rulebook is None:
        # report the rulebook's problems together with every layer problem
        from zoning.validation import PARK_INVALID, find_park_issues, raise_for_problems

        raise_for_problems(problems + find_park_issues(layers), PARK_INVALID)
        raise AssertionError("unreachable: a missing rulebook is an error")  # pragma: no cover
    return build_park(layers, rulebook, metadata=metadata, extra_problems=tuple(problems))
