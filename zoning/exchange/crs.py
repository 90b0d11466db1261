"""The coordinate reference system of a delivered layer: declared, recognised, or refused.

Accepted are CGCS2000 (China 2000 datum: EPSG:4490 lon/lat, the Gauss-Krüger projections
EPSG:4491-4554, with or without the zone number in the false easting) and WGS84
(EPSG:4326, UTM). A layer that declares no CRS is recognised from its coordinates when that
is unambiguous:

- degrees inside China are read as CGCS2000 lon/lat (EPSG:4490; WGS84 differs by less than
  a metre);
- eastings of 8 digits carry the Gauss-Krüger zone number in front of the 500 000 m false
  easting: ``34 5xx xxx`` is 3-degree zone 34 (central meridian 102°E), EPSG:4522; zones
  25-45 are 3-degree zones (EPSG:4513-4533), zones 13-23 are 6-degree zones
  (EPSG:4491-4501);
- 6-digit eastings without a zone number do not say their central meridian: refused, the
  user names the CRS.

Xi'an 80 (西安80, EPSG:4610, 2327-2390 …) and Beijing 54 (北京54, EPSG:4214, 2401-2442,
21413-21483 …) are refused: turning them into CGCS2000 needs transformation parameters
published for the area, and a file carries none.

Examples
--------
>>> decision = detect_crs(None, (34_471_000.0, 4_085_000.0, 34_474_000.0, 4_088_000.0),
...                       where="parcels.shp")
>>> decision.crs, decision.problem is None
('EPSG:4522', True)
>>> detect_crs("EPSG:2383", (0.0, 0.0, 1.0, 1.0), where="zones").problem is not None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyproj
from pyproj.exceptions import CRSError

from zoning.errors import Problem
from zoning.i18n import _

Bounds = tuple[float, float, float, float]

#: datums accepted without a transformation (names as PROJ gives them, normalised)
ACCEPTED_DATUMS: Final = ("china 2000", "cgcs2000", "world geodetic system 1984", "wgs 1984")
#: datums refused: (normalised name fragment, Chinese and English name)
REFUSED_DATUMS: Final = (
    ("xian 1980", "西安80 Xi'an 1980"),
    ("xian1980", "西安80 Xi'an 1980"),
    ("beijing 1954", "北京54 Beijing 1954"),
    ("beijing1954", "北京54 Beijing 1954"),
    ("new beijing", "新北京54 New Beijing"),
)
#: longitude and latitude range of China, degrees (minx, miny, maxx, maxy)
CHINA_LONLAT: Final = (73.0, 3.0, 136.0, 54.0)
#: 3-degree Gauss-Krüger zones: zone number -> EPSG code (CGCS2000, zone-prefixed eastings)
GK3_ZONE_EPSG: Final = {zone: 4513 + zone - 25 for zone in range(25, 46)}
#: 6-degree Gauss-Krüger zones: zone number -> EPSG code (CGCS2000, zone-prefixed eastings)
GK6_ZONE_EPSG: Final = {zone: 4491 + zone - 13 for zone in range(13, 24)}


@dataclass(frozen=True)
class CrsDecision:
    """The CRS chosen for a layer and why, or the problem that prevents a choice.

    Parameters
    ----------
    crs
        ``"EPSG:NNNN"`` or a WKT/PROJ string; ``None`` when refused.
    note
        One sentence saying where the CRS comes from (shown in the import report).
    problem
        Why no CRS can be used (an error), or ``None``.
    """

    crs: str | None
    note: str
    problem: Problem | None = None


def _normalise(name: str) -> str:
    return name.lower().replace("_", " ").replace("d china", "china").strip()


def _datum_name(crs: pyproj.CRS) -> str:
    geodetic = crs.geodetic_crs
    datum = geodetic.datum if geodetic is not None else crs.datum
    return datum.name if datum is not None else ""


def _label(crs: pyproj.CRS) -> str:
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code} ({crs.name})" if code else crs.name


def _refusal(where: str, datum: str, given: str) -> Problem:
    return Problem(
        where,
        _(
            "the coordinates are in {datum} ({given}): they cannot be used without a "
            "transformation to CGCS2000, and the file holds no published transformation "
            "parameters (the seven parameters the surveying authority publishes for an "
            "area); guessing them would shift every parcel by tens of metres"
        ).format(datum=datum, given=given),
        expected=_("CGCS2000 (2000国家大地坐标系) or WGS84 coordinates"),
        fix=_(
            "ask the supplier for the layer in CGCS2000 (for example EPSG:4543 or EPSG:4522), "
            "or convert it with the official parameters first"
        ),
    )


def _inside(bounds: Bounds, box: Bounds) -> bool:
    return (
        box[0] <= bounds[0] and bounds[2] <= box[2] and box[1] <= bounds[1] and bounds[3] <= box[3]
    )


def _lonlat_bounds(crs: pyproj.CRS, bounds: Bounds) -> Bounds | None:
    try:
        transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        minx, miny, maxx, maxy = transformer.transform_bounds(*bounds)
    except (CRSError, pyproj.exceptions.ProjError):
        return None
    values = (float(minx), float(miny), float(maxx), float(maxy))
    if not all(abs(v) < 1e30 for v in values):
        return None
    return values


def recognise_crs(bounds: Bounds, *, where: str) -> CrsDecision:
    """Recognise the CRS of a layer that declares none, from its coordinates alone.

    Parameters
    ----------
    bounds
        ``(minx, miny, maxx, maxy)`` of the layer's coordinates.
    where
        The layer or file, for messages.

    Examples
    --------
    >>> recognise_crs((101.6, 36.9, 101.7, 37.0), where="zones").crs
    'EPSG:4490'
    >>> recognise_crs((471_000.0, 4_085_000.0, 474_000.0, 4_088_000.0), where="zones").crs is None
    True
    """
    minx, miny, maxx, maxy = bounds
    if _inside(bounds, CHINA_LONLAT):
        return CrsDecision(
            "EPSG:4490",
            _(
                "{where}: no CRS declared; the coordinates are degrees inside China, read as "
                "CGCS2000 longitude/latitude (EPSG:4490; WGS84 differs from it by less than a "
                "metre)"
            ).format(where=where),
        )
    zone_min, zone_max = int(minx // 1_000_000), int(maxx // 1_000_000)
    northing_ok = miny >= 0 and maxy <= 6_500_000
    if minx >= 10_000_000 and maxx < 100_000_000 and northing_ok and zone_min == zone_max:
        zone = zone_min
        in_zone = minx - zone * 1_000_000 >= 300_000 and maxx - zone * 1_000_000 <= 700_000
        if zone in GK3_ZONE_EPSG and in_zone:
            code = GK3_ZONE_EPSG[zone]
            return CrsDecision(
                f"EPSG:{code}",
                _(
                    "{where}: no CRS declared; the eastings have 8 digits and begin with "
                    "{zone} ({minx:,.0f} m): the Gauss-Krüger zone number {zone} is written in "
                    "front of the 500 000 m false easting, so these are CGCS2000 / 3-degree "
                    "Gauss-Krüger zone {zone} coordinates (central meridian {cm}°E, "
                    "EPSG:{code}). If they are Xi'an 80 or Beijing 54, stop: ask for CGCS2000 "
                    "data"
                ).format(where=where, zone=zone, minx=minx, cm=zone * 3, code=code),
            )
        if zone in GK6_ZONE_EPSG and in_zone:
            code = GK6_ZONE_EPSG[zone]
            return CrsDecision(
                f"EPSG:{code}",
                _(
                    "{where}: no CRS declared; the eastings have 8 digits and begin with "
                    "{zone} ({minx:,.0f} m): the 6-degree Gauss-Krüger zone number {zone} is "
                    "written in front of the false easting, so these are CGCS2000 / "
                    "Gauss-Krüger zone {zone} coordinates (central meridian {cm}°E, "
                    "EPSG:{code}). If they are Xi'an 80 or Beijing 54, stop: ask for CGCS2000 "
                    "data"
                ).format(where=where, zone=zone, minx=minx, cm=zone * 6 - 3, code=code),
            )
    if minx >= 100_000 and maxx < 1_000_000 and northing_ok:
        what = _(
            "no CRS declared, and the coordinates are projected metres without a zone number "
            "(eastings {minx:,.0f}-{maxx:,.0f} m): their central meridian cannot be told from "
            "them"
        ).format(minx=minx, maxx=maxx)
    else:
        what = _(
            "no CRS declared, and the coordinates ({minx:,.0f}, {miny:,.0f}) - ({maxx:,.0f}, "
            "{maxy:,.0f}) are neither degrees inside China nor Gauss-Krüger metres"
        ).format(minx=minx, miny=miny, maxx=maxx, maxy=maxy)
    return CrsDecision(
        None,
        "",
        Problem(
            where,
            what,
            expected=_("a .prj file, a declared SRS, or --crs"),
            fix=_(
                "add the .prj file, or name the CRS with --crs (EPSG:4543 is CGCS2000 / "
                "3-degree Gauss-Krüger CM 102E, the Beichuan park's)"
            ),
        ),
    )


def detect_crs(
    declared: pyproj.CRS | str | None,
    bounds: Bounds,
    *,
    where: str,
    given: str | None = None,
) -> CrsDecision:
    """Decide the CRS of a delivered layer, or say why none can be used.

    Parameters
    ----------
    declared
        The CRS the file declares (``.prj``, GeoPackage SRS, PostGIS SRID), or ``None``.
    bounds
        ``(minx, miny, maxx, maxy)`` of the layer's coordinates.
    where
        The layer or file, for messages.
    given
        A CRS named by the user (``--crs``); it replaces the declared one.

    Returns
    -------
    CrsDecision
        The CRS and a note on where it comes from; or ``crs=None`` and the problem.
    """
    source = _("named with --crs") if given else _("declared by the file")
    chosen = given if given else declared
    if chosen is None:
        return recognise_crs(bounds, where=where)
    try:
        crs = pyproj.CRS.from_user_input(chosen)
    except CRSError as exc:
        return CrsDecision(
            None,
            "",
            Problem(
                where,
                _("unknown CRS {given!r}: {reason}").format(given=str(chosen)[:80], reason=exc),
                expected=_("an EPSG code such as EPSG:4543, or a valid .prj"),
                fix=_("name the CRS with --crs EPSG:NNNN"),
            ),
        )
    label = _label(crs)
    datum = _normalise(_datum_name(crs))
    for fragment, name in REFUSED_DATUMS:
        if fragment in datum or fragment in _normalise(crs.name):
            return CrsDecision(None, "", _refusal(where, name, label))
    if not any(accepted in datum for accepted in ACCEPTED_DATUMS):
        return CrsDecision(
            None,
            "",
            Problem(
                where,
                _(
                    "unsupported CRS {crs} (datum {datum}): zoning takes CGCS2000 or WGS84 "
                    "coordinates"
                ).format(crs=label, datum=_datum_name(crs) or "?"),
                expected=_("CGCS2000 (EPSG:4490, 4543, 4522 …) or WGS84 (EPSG:4326)"),
                fix=_("ask the supplier for CGCS2000 data, or name the right CRS with --crs"),
            ),
        )
    lonlat = _lonlat_bounds(crs, bounds)
    if (
        lonlat is None
        or not _inside(lonlat, CHINA_LONLAT)
        or (crs.is_geographic and not _inside(bounds, (-180.0, -90.0, 180.0, 90.0)))
    ):
        guess = recognise_crs(bounds, where=where)
        hint = (
            _("the coordinates look like {crs}").format(crs=guess.crs)
            if guess.crs
            else _("check which CRS the coordinates are in")
        )
        return CrsDecision(
            None,
            "",
            Problem(
                where,
                _(
                    "coordinates impossible for the CRS {crs} {source}: ({minx:,.0f}, "
                    "{miny:,.0f}) - ({maxx:,.0f}, {maxy:,.0f}) do not fall inside China in it"
                ).format(
                    crs=label,
                    source=source,
                    minx=bounds[0],
                    miny=bounds[1],
                    maxx=bounds[2],
                    maxy=bounds[3],
                ),
                expected=_("coordinates that fall inside China in the declared CRS"),
                fix=hint + _("; correct the .prj or name the CRS with --crs"),
            ),
        )
    note = _("{where}: CRS {crs}, {source}").format(where=where, crs=label, source=source)
    code = crs.to_epsg(min_confidence=70)
    return CrsDecision(f"EPSG:{code}" if code else crs.to_wkt(), note)
