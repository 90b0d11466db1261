"""Read a park directory: layer files, ``rulebook.toml`` and ``metadata.json``.

A park directory holds one file per layer, named after the layer: ``zones``,
``parcels`` (required), ``constraints``, ``infrastructure``, ``context`` (optional), each as
``.geojson`` (preferred), ``.gpkg`` or ``.shp``; a ``rulebook.toml``; and optionally a
``metadata.json``. Files are read with fiona (``engine="fiona"``). Every problem, from an
unreadable file to an invalid polygon, is collected and reported at once.
"""

from __future__ import annotations

import json
import tomllib
import warnings
from importlib import resources
from pathlib import Path
from typing import Any, Final

import geopandas as gpd

from zoning import schema as s
from zoning.errors import ParkValidationError, Problem, RulebookError
from zoning.i18n import _
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
    return None


def read_layer(path: Path, layer: str) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Read one layer file with fiona; return the frame or the problems that prevent it."""
    where = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(where, _("unreadable file: {reason}").format(reason=exc.strerror))]
    if size == 0:
        return None, [
            Problem(
                where,
                _("empty file (0 bytes)"),
                fix=_("write the {layer} features into it").format(layer=layer),
            )
        ]
    if path.suffix in (".geojson", ".json"):
        problem = _sniff_geojson(path)
        if problem is not None:
            return None, [problem]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = gpd.read_file(path, engine="fiona")
    except Exception as exc:  # fiona/GDAL raise many types for unreadable data
        return None, [
            Problem(
                where,
                _("unreadable file: {reason}").format(reason=f"{type(exc).__name__}: {exc}"),
                expected=_("a GeoJSON, GeoPackage or Shapefile layer"),
            )
        ]
    return gdf, []


def _sniff_geojson(path: Path) -> Problem | None:
    expected = _('a GeoJSON FeatureCollection ({"type": "FeatureCollection", "features": [...]})')
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Problem(
            path.name,
            _("not a GeoJSON file: not UTF-8 text ({reason})").format(reason=exc.reason),
            expected=expected,
        )
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(
            path.name,
            _("not a GeoJSON file: invalid JSON at line {line} column {column} ({reason})").format(
                line=exc.lineno, column=exc.colno, reason=exc.msg
            ),
            expected=expected,
        )
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        given = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        return Problem(
            path.name,
            _("not a GeoJSON file: top-level type is {given}").format(given=repr(given)),
            expected=expected,
        )
    return None


def read_rulebook(path: Path) -> Rulebook:
    """Read and check a rulebook TOML file.

    Raises
    ------
    RulebookError
        If the file is missing, is not valid TOML, or holds invalid entries.
    """
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise RulebookError(
            _("no rulebook"),
            [
                Problem(
                    path.name,
                    _("file not found: {path}").format(path=path),
                    fix=_("add a {file} (copy the bundled one)").format(file=RULEBOOK_FILE),
                )
            ],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(
            _("the rulebook is not valid TOML"),
            [Problem(path.name, _("TOML syntax error: {reason}").format(reason=exc))],
        ) from None
    return build_rulebook(data, where=path.name)


def read_metadata(path: Path) -> dict[str, Any]:
    """Read ``metadata.json``; a missing file gives an empty mapping."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ParkValidationError(
            _("the park metadata is invalid"),
            [Problem(path.name, _("metadata must be a JSON object"))],
        )
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
    metadata = read_metadata(park_dir / METADATA_FILE)
    if rulebook is None:
        # report the rulebook's problems together with every layer problem
        from zoning.validation import PARK_INVALID, find_park_issues, raise_for_problems

        raise_for_problems(problems + find_park_issues(layers), PARK_INVALID)
        raise AssertionError("unreachable: a missing rulebook is an error")  # pragma: no cover
    return build_park(layers, rulebook, metadata=metadata, extra_problems=tuple(problems))
