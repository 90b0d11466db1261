"""Checks of what :func:`zoning.maps.make_map` is given: results, plan, sites, basemap, tiles.

Every problem is collected and raised together in one :class:`~zoning.errors.InputError`,
saying what was expected and how to fix it.

Examples
--------
>>> check_tiles_url("https://tiles.intranet/{z}/{x}/{y}.png")
[]
>>> [p.what for p in check_tiles_url("https://tiles.intranet/{z}/{x}.png")]
['the tile URL template has no {y}']
"""

from __future__ import annotations

import os
import re
from typing import Final
from urllib.parse import urlsplit

import geopandas as gpd

from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.i18n import _

#: placeholders Leaflet fills in a tile URL template
TILE_PLACEHOLDERS: Final = frozenset({"z", "x", "y", "-y", "s", "r"})
_PLACEHOLDER: Final = re.compile(r"\{([^{}]*)\}")


def _missing_columns(
    where: str, frame: object, needed: tuple[str, ...], producer: str, crs_text: str
) -> list[Problem]:
    columns = getattr(frame, "columns", ())
    missing = [c for c in needed if c not in columns]
    fix = _("pass the output of {producer}").format(producer=producer)
    problems = []
    if missing:
        problems.append(
            Problem(
                where,
                _("missing columns: {columns}").format(columns=", ".join(missing)),
                expected=_("the frame {producer} returns, with columns {columns}").format(
                    producer=producer, columns=", ".join(needed)
                ),
                fix=fix,
            )
        )
    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
        problems.append(
            Problem(where, _("not a GeoDataFrame with a CRS"), expected=crs_text, fix=fix)
        )
    return problems


def result_issues(results: gpd.GeoDataFrame) -> list[Problem]:
    """Problems of a fit-check result frame (``zoning.check``'s output)."""
    needed = (s.PROJECT_ID, s.NAME, s.ZONE_ID, s.VERDICT, s.FINDINGS, s.BEST)
    return _missing_columns(
        "results",
        results,
        needed,
        "zoning.check(park, projects)",
        _("a GeoDataFrame in EPSG:4543 (site polygons or None)"),
    )


def site_issues(sites: gpd.GeoDataFrame) -> list[Problem]:
    """Problems of a candidate-site frame (``zoning.siting.propose_sites``'s output)."""
    needed = (s.PROJECT_ID, s.ZONE_ID, s.RANK, s.PARCEL_IDS, s.CANDIDATE_MU, s.REASON)
    return _missing_columns(
        "sites",
        sites,
        needed,
        "propose_sites(park, results)",
        _("a GeoDataFrame in EPSG:4543 (the candidates' polygons)"),
    )


def plan_issues(plan: object) -> list[Problem]:
    """Problems of a phase plan (``zoning.sequence``'s output)."""
    parcels = getattr(plan, "parcels", None)
    fix = _("pass the output of zoning.sequence(park, quota_mu=...)")
    if not isinstance(parcels, gpd.GeoDataFrame):
        return [
            Problem(
                "plan",
                _("the plan has no parcels GeoDataFrame"),
                expected=_("a PhasePlan from zoning.sequence, with .parcels"),
                fix=fix,
            )
        ]
    missing = [c for c in (s.PARCEL_ID, s.PHASE) if c not in parcels.columns]
    if missing:
        return [
            Problem(
                "plan.parcels",
                _("missing columns: {columns}").format(columns=", ".join(missing)),
                expected=_("parcel_id and an Int64 phase column (<NA> = not opened)"),
                fix=fix,
            )
        ]
    if parcels.crs is None:
        return [Problem("plan.parcels", _("no CRS"), expected=_("parcels in EPSG:4543"))]
    return []


def check_tiles_url(url: str) -> list[Problem]:
    """Problems of a tile URL template: placeholders {z}, {x}, {y}; http(s) or relative."""
    problems = []
    expected = _(
        "a URL template such as https://tiles.example.gov.cn/{z}/{x}/{y}.png "
        "(http, https or a relative path), with {z}, {x} and {y}"
    )
    names = set(_PLACEHOLDER.findall(url))
    for needed in ("z", "x", "y"):
        if needed not in names and not (needed == "y" and "-y" in names):
            problems.append(
                Problem(
                    "tiles",
                    _("the tile URL template has no {placeholder}").format(
                        placeholder="{" + needed + "}"
                    ),
                    expected=expected,
                )
            )
    unknown = sorted(names - TILE_PLACEHOLDERS)
    if unknown:
        problems.append(
            Problem(
                "tiles",
                _("the tile URL template has placeholders Leaflet cannot fill: {names}").format(
                    names=", ".join("{" + n + "}" for n in unknown)
                ),
                expected=expected,
                fix=_("write the value (a key, a layer name) into the URL itself"),
            )
        )
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("", "http", "https") or url.startswith("//"):
        problems.append(
            Problem("tiles", _("a tile URL must be http, https or relative"), expected=expected)
        )
    if not url.strip() or any(ch.isspace() or ch in "<>\"'`\\" for ch in url):
        problems.append(
            Problem(
                "tiles",
                _("the tile URL template is empty or has spaces, quotes or angle brackets"),
                expected=expected,
            )
        )
    return problems


def resolve_basemap(
    basemap: str | s.Basemap, tianditu_key: str | None, *, tiles_given: bool = False
) -> tuple[s.Basemap, str]:
    """Return the chosen basemap and its key (Tianditu's; empty for the others).

    With ``tiles_given`` (a tile URL template replaces the basemap's tiles) no key is needed.
    """
    try:
        chosen = s.Basemap(str(basemap).strip().lower())
    except ValueError:
        raise InputError(
            _("cannot make the map"),
            [
                Problem(
                    "basemap",
                    _("unknown basemap {name!r}").format(name=basemap),
                    expected=_("one of {names}").format(
                        names=", ".join(b.value for b in s.Basemap)
                    ),
                )
            ],
        ) from None
    if chosen is not s.Basemap.TIANDITU or tiles_given:
        return chosen, ""
    key = (tianditu_key or os.environ.get(s.TIANDITU_KEY_ENV, "")).strip()
    if not key:
        problem = Problem(
            "basemap",
            _("the Tianditu (天地图) basemap needs a key, and none was given"),
            expected=_("a browser key in the environment variable {env}").format(
                env=s.TIANDITU_KEY_ENV
            ),
            fix=_(
                "get a key at console.tianditu.gov.cn and run `export {env}=...`, "
                "or use --basemap osm"
            ).format(env=s.TIANDITU_KEY_ENV),
        )
        raise InputError(_("cannot make the map"), [problem])
    if any(ch.isspace() or ch in "&?#/<>\"'" for ch in key):
        problem = Problem(
            "basemap",
            _("the Tianditu key has characters a key never has"),
            expected=_("the 32 hexadecimal characters of a Tianditu key"),
            fix=_("check {env}").format(env=s.TIANDITU_KEY_ENV),
        )
        raise InputError(_("cannot make the map"), [problem])
    return chosen, key
