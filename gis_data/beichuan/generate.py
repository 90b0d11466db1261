"""Generate the bundled GIS dataset of the Beichuan Industrial Park (北川工业园区).

THE LAYOUT IS ILLUSTRATIVE. No official zoning map of the park is public. The zones, parcels,
roads, constraints and infrastructure written here are an invented but plausible layout,
placed consistently with a few real anchors and with the newspaper article that describes the
park ("one park, multiple zones", 一园多区). Real are only: the Datong County boundary, the
Qiaotou power-station points, the approximate town centre (all in ``sources/``), and the
national land-use and industry codes the attributes use.

Layout
------
Everything is built in a local frame in metres, then placed on the ground in CGCS2000 /
3-degree Gauss-Kruger CM 102E (EPSG:4543) and written as WGS84 GeoJSON (RFC 7946):

* axis ``u`` runs from the Qiaotou town centre (the county seat) towards the phase-2 units of
  the Qiaotou power station, about 4 km away on a bearing of ~134 degrees, down the Beichuan
  River (北川河) valley; axis ``v`` is perpendicular to it, positive on the north-east side;
* the four zones are adjacent pieces of one strip along ``u``: the industry-city integration
  area beside the town (u 300-1400 m), the bonded-zone service area (1400-2200), the
  aluminium-magnesium cluster (2200-6000), which holds both power-station points, and the
  emerging-industry incubation area (6000-7500);
* a 40 m trunk road runs along the strip at v = 300 m, 24 m secondary roads at v = -150 and
  750 m, cross roads every 400-600 m (on the zone boundaries too); the blocks between roads
  are cut into parcels by random guillotine cuts (seeded generator, so the output is fixed);
* the river meanders along the south-west side; its corridor and a 50 m setback cut into the
  zones, and parcels are cut to stay clear of it; a hillside ecological belt (生态屏障) covers
  the north-east of the east cluster and the incubation area; a 330 kV line corridor is a
  no-build strip; the town's built-up area is a sensitive area just outside the park.

Usage::

    python gis_data/beichuan/generate.py            # (re)write the files next to this script
    python gis_data/beichuan/generate.py --check    # write, then read back and check them

The output is byte-stable: running the script twice gives identical files.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import math
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping, shape

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SOURCES = HERE / "sources"
COUNTY_FILE = "datong_630121_ctamap_wgs84.geojson"
POINTS_FILE = "context_points_wgs84.geojson"
LICENCE_FILE = "LICENSE-tudigong-MIT.txt"

SEED = 20240201  # the article's publication date
METRIC_CRS = "EPSG:4543"
MU_M2 = 10000.0 / 15.0
GRID_M = 0.01  # metric coordinates are snapped to this grid before transforming
DECIMALS = 7  # WGS84 decimals written (about 1 cm)
NODE_TOLERANCE_M = 0.02
SLIVER_AREA_M2 = 2000.0  # 3 mu: smaller bits of land are left unparcelled
SLIVER_WIDTH_M = 15.0  # thinner pieces are merged into a neighbour

COUNTY_LICENCE = (
    "MIT, Tudigong project (thebamboogrove/tudigong); boundaries from CTAmap v1.30 (2021)"
)
LAYOUT_SOURCE = "illustrative layout (gis_data/beichuan/generate.py)"


def _load_schema() -> ModuleType:
    """Import ``zoning.schema``; fall back to loading the file if the package is in flux."""
    sys.path.insert(0, str(REPO_ROOT))
    try:
        from zoning import schema
    except Exception:
        path = REPO_ROOT / "zoning" / "schema.py"
        spec = importlib.util.spec_from_file_location("_zoning_schema", path)
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    return schema


s = _load_schema()


def _load_ledger() -> ModuleType:
    """Import the enterprise-table generator beside this script (generate_ledger.py)."""
    spec = importlib.util.spec_from_file_location("_beichuan_ledger", HERE / "generate_ledger.py")
    if spec is None or spec.loader is None:
        raise ImportError("generate_ledger.py not found beside generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ledger = _load_ledger()
DEVELOPED = str(s.ParcelStatus.DEVELOPED)
COMMITTED = str(s.ParcelStatus.COMMITTED)
VACANT = str(s.ParcelStatus.VACANT)
PROTECTED = str(s.ParcelStatus.PROTECTED)
BUILT = str(s.InfrastructureStatus.BUILT)
PLANNED = str(s.InfrastructureStatus.PLANNED)

# --------------------------------------------------------------------------- the frame


@dataclass(frozen=True)
class Frame:
    """The local (u, v) frame in metres, anchored in EPSG:4543."""

    origin: tuple[float, float]
    eu: tuple[float, float]
    ev: tuple[float, float]

    @classmethod
    def from_anchors(cls, town_xy: Sequence[float], phase2_xy: Sequence[float]) -> Frame:
        d = np.asarray(phase2_xy, dtype=float) - np.asarray(town_xy, dtype=float)
        eu = d / math.hypot(*d)
        return cls(
            (float(town_xy[0]), float(town_xy[1])),
            (float(eu[0]), float(eu[1])),
            (float(-eu[1]), float(eu[0])),
        )

    def uv_to_xy(self, uv: np.ndarray) -> np.ndarray:
        o, eu, ev = (np.asarray(a) for a in (self.origin, self.eu, self.ev))
        return o + uv[:, :1] * eu + uv[:, 1:2] * ev

    def xy_to_uv(self, xy: np.ndarray) -> np.ndarray:
        d = np.asarray(xy, dtype=float).reshape(-1, 2) - np.asarray(self.origin)
        return np.column_stack([d @ np.asarray(self.eu), d @ np.asarray(self.ev)])


@dataclass(frozen=True)
class Anchors:
    """The real points the layout is placed by, in the (u, v) frame."""

    plant: Point
    plant_phase2: Point


# --------------------------------------------------------------------------- layout constants

ZONE_SPECS: dict[str, dict[str, Any]] = {
    "integration": {
        s.NAME_ZH: "产城融合发展区",
        s.NAME_EN: "Industry-city integration area",
        s.PURPOSE_ZH: "文化休闲、商业服务、娱乐康体、教育科研",
        s.PURPOSE_EN: "Culture and leisure, commercial services, recreation and health, "
        "education and research",
        s.PERMITTED: ["52", "61", "62", "70", "72", "73", "83", "84", "85", "88", "89", "90"],
        s.CONDITIONAL: ["5920", "7491"],
        s.PROHIBITED: ["1", "2", "3", "4"],
        s.MAX_INDUSTRIAL_CLASS: "100101",
        s.PRIORITY: 4,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.MAINTAIN_CURRENT),
        "outline": [(300, -400), (1400, -400), (1400, 900), (850, 900), (300, 820)],
    },
    "bonded": {
        s.NAME_ZH: "综保服务配套区",
        s.NAME_EN: "Bonded-zone service support area",
        s.PURPOSE_ZH: "保税加工、保税物流及配套服务",
        s.PURPOSE_EN: "Bonded processing, bonded logistics and supporting services",
        s.PERMITTED: ["5431", "5442", "58", "59", "51", "52", "72"],
        s.CONDITIONAL: ["3252", "3312", "3670", "39"],
        s.PROHIBITED: ["3216", "3217", "3091", "2613", "4411", "5942", "5435", "70"],
        s.MAX_INDUSTRIAL_CLASS: "100102",
        s.PRIORITY: 2,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.PRIORITY_CONTIGUOUS),
        "outline": [(1400, -450), (2200, -450), (2200, 1000), (1400, 1000)],
    },
    "almg": {
        s.NAME_ZH: "铝镁产业聚集区",
        s.NAME_EN: "Aluminium-magnesium industry cluster",
        s.PURPOSE_ZH: "铝延压加工、新材料、装备制造",
        s.PURPOSE_EN: "Aluminium rolling and extrusion processing, new materials, "
        "equipment manufacturing",
        s.PERMITTED: [
            "3216",
            "3217",
            "3240",
            "325",
            "3311",
            "3312",
            "3392",
            "3670",
            "3831",
            "34",
            "35",
            "4411",
            "4412",
            "4430",
            "3091",
        ],
        s.CONDITIONAL: ["2613", "5920", "5942"],
        s.PROHIBITED: ["70", "83", "84", "85", "13", "14"],
        s.MAX_INDUSTRIAL_CLASS: "100103",
        s.PRIORITY: 1,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.PRIORITY_CONTIGUOUS),
        "outline": [(2200, -450), (6000, -450), (6000, 1100), (4000, 1100), (2200, 1050)],
    },
    "incubation": {
        s.NAME_ZH: "新型产业培育区",
        s.NAME_EN: "Emerging-industry incubation area",
        s.PURPOSE_ZH: "高原特色农副产品精深加工及关联产业",
        s.PURPOSE_EN: "Deep processing of plateau agricultural and livestock by-products",
        s.PERMITTED: ["13", "14", "15", "5930"],
        s.CONDITIONAL: ["1351", "1352", "7320"],
        s.PROHIBITED: ["32", "3091", "2613", "4411", "70"],
        s.MAX_INDUSTRIAL_CLASS: "100102",
        s.PRIORITY: 3,
        s.DEVELOPMENT_MODE: str(s.DevelopmentMode.MAINTAIN_CURRENT),
        "outline": [(6000, -450), (7500, -450), (7500, 850), (6000, 1000)],
    },
}
ZONE_ORDER = ("integration", "bonded", "almg", "incubation")  # along u

#: longitudinal roads: (v of the centreline, width, name)
LONGITUDINAL_ROADS = (
    (-150.0, 24.0, "滨河路 Binhe Road (riverside secondary road)"),
    (300.0, 40.0, "北川大道 Beichuan Avenue (trunk road)"),
    (750.0, 24.0, "北山路 Beishan Road (hillside secondary road)"),
)
TRUNK_V = 300.0
#: cross roads: u of the centreline; the zone boundaries carry 24 m roads, the others 18-24 m
ZONE_BOUNDARY_ROADS = (1400.0, 2200.0, 6000.0)
INTERIOR_CROSS_ROADS = (
    650.0,
    1000.0,
    1800.0,
    2600.0,
    3150.0,
    3700.0,
    4300.0,
    4800.0,
    5400.0,
    6500.0,
    7000.0,
)
PARK_U = (300.0, 7500.0)
CORE_U_MAX = 5400.0  # the built-up core of the cluster ends here (roads built west of it)
CORE_RADIUS_M = 1300.0  # parcels this close to a power-station point are mostly developed

RIVER_V = -480.0
RIVER_HALF_WIDTH_M = 15.0  # 30 m bank to bank (illustrative)
RIVER_SETBACK_M = 50.0
ECO_OUTLINE = [(4950, 762), (6750, 762), (6830, 960), (6600, 1120), (6100, 1170), (5500, 1160),
               (5050, 1120), (4930, 1000)]  # fmt: skip
HV_CORRIDOR_WIDTH_M = 40.0

# parcel geometry per zone: (min width, max width) of a parcel across the strip, metres
CUT_WIDTHS = {
    "integration": (45.0, 120.0),
    "bonded": (55.0, 180.0),
    "almg": (60.0, 210.0),
    "incubation": (60.0, 210.0),
}
LENGTHWISE_SPLIT_DEPTH_M = 360.0
#: smaller pieces of a block are merged into a neighbour, m2 (8 mu in town, 15 mu elsewhere)
MIN_PARCEL_M2 = {"integration": 8 * MU_M2, "bonded": 15 * MU_M2, "almg": 15 * MU_M2,
                 "incubation": 15 * MU_M2}  # fmt: skip


@dataclass(frozen=True)
class BlockRule:
    """A hand-set rule for the block that contains ``at``."""

    at: tuple[float, float]
    whole: bool = False
    split: bool | None = None
    cuts: tuple[float, ...] = ()
    keep_u: tuple[float, ...] = ()


# forced subdivisions (points in the (u, v) frame); the power-station blocks are added at run time
SMELTER_QIAOTOU_AT = (2875.0, 530.0)
SMELTER_CHALCO_AT = (3800.0, 530.0)
SUBSTATION_HOLE = (3950.0, 470.0, 4070.0, 550.0)  # a plot inside the Chalco smelter parcel
SUBSTATION_HOLE_AT = (4010.0, 510.0)
WWTP_AT = (3220.0, -300.0)
SUBSTATION_BONDED_AT = (1440.0, -300.0)
SUBSTATION_EAST_AT = (5440.0, -300.0)
DITCH_HOLDING_AT = (5100.0, 100.0)
DITCH_HOLDING_WEST = (5060.0, 100.0)  # a point in the western piece of that holding
DITCH_WIDTH_M = 8.0
BLOCK_RULES = (
    BlockRule(SMELTER_QIAOTOU_AT, whole=True),
    BlockRule(SMELTER_CHALCO_AT, whole=True),
    BlockRule(WWTP_AT, split=False, cuts=(3290.0,), keep_u=(WWTP_AT[0],)),
    BlockRule(SUBSTATION_BONDED_AT, split=False, cuts=(1470.0,), keep_u=(1440.0,)),
    BlockRule(SUBSTATION_EAST_AT, split=False, cuts=(5470.0,), keep_u=(5440.0,)),
    BlockRule(DITCH_HOLDING_AT, split=False, cuts=(5000.0, 5200.0), keep_u=(5100.0,)),
)

# --------------------------------------------------------------------------- geometry helpers


def _polygons(geom: shapely.Geometry) -> list[Polygon]:
    """The non-empty polygons in ``geom``."""
    return [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]


def _sort_key(geom: shapely.Geometry) -> tuple[float, float]:
    c = geom.centroid
    return (round(c.x, 3), round(c.y, 3))


def _is_sliver(poly: shapely.Geometry, min_area: float) -> bool:
    return poly.area < min_area or 2.0 * poly.area / poly.length < SLIVER_WIDTH_M


def _insert_ring_vertices(ring: np.ndarray, pts: np.ndarray, tol: float) -> np.ndarray:
    """Snap ``ring`` vertices onto nearby ``pts`` and insert the ``pts`` lying on its edges."""
    ring = ring.copy()
    for i in range(len(ring) - 1):
        close = pts[np.hypot(*(pts - ring[i]).T) <= tol]
        if len(close):
            # canonical choice, the same from both sides: the lexicographically smallest point
            best = close[np.lexsort((close[:, 1], close[:, 0]))[0]]
            if tuple(best) < tuple(ring[i]):
                ring[i] = best
    ring[-1] = ring[0]
    out = [ring[0]]
    for a, b in itertools.pairwise(ring):
        d = b - a
        length = math.hypot(*d)
        if length > 0:
            t = (pts - a) @ d / (length * length)
            dist = np.hypot(*(pts - (a + np.outer(t, d))).T)
            on = (dist <= tol) & (t * length > tol) & ((1.0 - t) * length > tol)
            if on.any():
                sel = pts[on]
                out.extend(sel[np.argsort(t[on], kind="stable")])
        out.append(b)
    return np.asarray(out)


def _insert_vertices(geom: shapely.Geometry, pts: np.ndarray, tol: float) -> shapely.Geometry:
    def fix(poly: Polygon) -> Polygon:
        shell = _insert_ring_vertices(np.asarray(poly.exterior.coords), pts, tol)
        holes = [_insert_ring_vertices(np.asarray(r.coords), pts, tol) for r in poly.interiors]
        return Polygon(shell, holes)

    if isinstance(geom, Polygon):
        return fix(geom)
    return MultiPolygon([fix(p) for p in geom.geoms])


def node_shared_vertices(geoms: Sequence[shapely.Geometry], tol: float) -> list[shapely.Geometry]:
    """Make touching polygons share their vertices exactly (no T-junctions, no near-misses).

    Every vertex of a neighbour that lies within ``tol`` of an edge is inserted into it, and
    vertices within ``tol`` of a neighbour's vertex are snapped to one canonical point.
    """
    tree = shapely.STRtree(geoms)
    coords = [shapely.get_coordinates(g) for g in geoms]
    out = []
    for i, geom in enumerate(geoms):
        near = [j for j in tree.query(geom, predicate="dwithin", distance=tol) if j != i]
        if not near:
            out.append(geom)
            continue
        pts = np.unique(np.vstack([coords[j] for j in near]), axis=0)
        out.append(_insert_vertices(geom, pts, tol))
    return out


# --------------------------------------------------------------------------- zones


def build_zones() -> dict[str, Polygon]:
    """The four zones as adjacent pieces of one strip, in the (u, v) frame."""
    outlines = {z: np.asarray(spec["outline"], dtype=float) for z, spec in ZONE_SPECS.items()}
    closed = {z: np.vstack([o, o[:1]]) for z, o in outlines.items()}
    zones = {}
    for zone_id in ZONE_ORDER:
        others = np.vstack([o for z, o in outlines.items() if z != zone_id])
        zones[zone_id] = Polygon(_insert_ring_vertices(closed[zone_id], others, 1e-9))
    return zones


# --------------------------------------------------------------------------- constraints


def river_centreline() -> LineString:
    """An illustrative meandering centreline of the Beichuan River, a few km beyond the park."""
    u = np.arange(-3000.0, 10500.0 + 1.0, 50.0)
    v = (
        RIVER_V
        + 28.0 * np.sin(2.0 * np.pi * (u + 300.0) / 1900.0)
        + 12.0 * np.sin(2.0 * np.pi * u / 700.0 + 1.0)
    )
    return LineString(np.column_stack([u, np.round(v, 2)]))


def build_constraints(rng: np.random.Generator, cross_roads: dict[float, float]) -> list[dict]:
    """Constraint polygons (uv) with their attributes."""
    setback = river_centreline().buffer(RIVER_HALF_WIDTH_M + RIVER_SETBACK_M, quad_segs=4)
    setback = setback.intersection(box(PARK_U[0] - 200.0, -1500.0, PARK_U[1] + 200.0, 1500.0))

    eco = Polygon(ECO_OUTLINE)

    hv_u0 = 4300.0 + cross_roads[4300.0] / 2.0
    hv = box(hv_u0, TRUNK_V - 20.0, hv_u0 + HV_CORRIDOR_WIDTH_M, 1400.0)

    # the town's built-up area: an irregular oval around the town centre, ending 50 m before
    # the integration zone starts
    angles = np.arange(0.0, 360.0, 20.0)
    radius = 580.0 * (1.0 + 0.08 * rng.uniform(-1.0, 1.0, angles.size))
    town = Polygon(
        np.column_stack(
            [-60.0 + radius * np.cos(np.radians(angles)), radius * np.sin(np.radians(angles))]
        ).round(2)
    ).intersection(box(-2000.0, -2000.0, PARK_U[0] - 50.0, 2000.0))

    return [
        {
            s.CONSTRAINT_ID: "C-RIVER",
            s.KIND: str(s.ConstraintKind.RIVER_SETBACK),
            s.NAME: "北川河河道及50米退让线 Beichuan River corridor and 50 m setback "
            "(illustrative alignment)",
            s.SOURCE: "illustrative alignment of the Beichuan River (北川河) along the valley; "
            "30 m channel and the 50 m setback are this layout's assumptions",
            s.NOTE: "No parcel overlaps it: parcels are cut to stay clear. Clipped to a little "
            "beyond the park.",
            "geometry": setback,
        },
        {
            s.CONSTRAINT_ID: "C-ECO",
            s.KIND: str(s.ConstraintKind.ECOLOGICAL_PROTECTION),
            s.NAME: "北山生态屏障绿带 North hillside ecological barrier green belt (illustrative)",
            s.SOURCE: "illustrative; the article's aim of an ecological barrier north of Xining "
            "(筑牢西宁北部生态屏障); extent assumed",
            s.NOTE: "Parcels inside it are protected (protective green, 1402).",
            "geometry": eco,
        },
        {
            s.CONSTRAINT_ID: "C-HV330",
            s.KIND: str(s.ConstraintKind.NO_BUILD),
            s.NAME: "330千伏出线走廊 330 kV overhead line corridor, 40 m (illustrative)",
            s.SOURCE: "illustrative; corridor width assumed for a 330 kV line",
            s.NOTE: "No building under the line; parcels are cut to stay clear.",
            "geometry": hv,
        },
        {
            s.CONSTRAINT_ID: "C-TOWN",
            s.KIND: str(s.ConstraintKind.SENSITIVE_AREA),
            s.NAME: "桥头镇建成区 Qiaotou town built-up area (county seat; approximate)",
            s.SOURCE: "approximate: illustrative polygon of radius ~600 m around the estimated "
            "town centre (DataV centre converted GCJ-02 to WGS84); not surveyed",
            s.NOTE: "Residential and public uses outside the park; ends 50 m before the "
            "integration area.",
            "geometry": town,
        },
    ]


# --------------------------------------------------------------------------- roads


@dataclass
class RoadPlan:
    """Road centrelines (uv) and the road surface polygon."""

    cross_widths: dict[float, float]
    centrelines: list[tuple[LineString, float, str]] = field(default_factory=list)
    surface: shapely.Geometry = None


def build_roads(rng: np.random.Generator, zones: dict[str, Polygon]) -> RoadPlan:
    """The road grid: longitudinal roads along the strip, cross roads across it."""
    widths = dict.fromkeys(ZONE_BOUNDARY_ROADS, 24.0)
    for u in INTERIOR_CROSS_ROADS:
        widths[u] = float(rng.choice([18.0, 20.0, 24.0]))
    plan = RoadPlan(dict(sorted(widths.items())))
    park = shapely.union_all(list(zones.values()))

    cross_u = sorted(widths)
    for v, width, name in LONGITUDINAL_ROADS:
        line = LineString([(PARK_U[0], v), (PARK_U[1], v)])
        plan.centrelines.append((line, width, name))
    for number, u in enumerate(cross_u, start=1):
        _, v0, _, v1 = LineString([(u, -2000.0), (u, 2000.0)]).intersection(park).bounds
        span = LineString([(u, v0), (u, v1)])
        plan.centrelines.append((span, widths[u], f"经{_zh_number(number)}路 Jing {number} Road"))

    surfaces = [
        line.buffer(width / 2.0, cap_style="flat", join_style="mitre")
        for line, width, _ in plan.centrelines
    ]
    # the longitudinal surfaces run past the park ends so that the blocks end cleanly
    surfaces += [box(-500.0, v - w / 2.0, 8500.0, v + w / 2.0) for v, w, _ in LONGITUDINAL_ROADS]
    surfaces += [box(u - widths[u] / 2.0, -2000.0, u + widths[u] / 2.0, 2000.0) for u in cross_u]
    plan.surface = shapely.union_all(surfaces)
    return plan


def _zh_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def road_segments(plan: RoadPlan, zones: dict[str, Polygon]) -> list[dict]:
    """Road centrelines split at every junction, each with its status."""
    lines = [line for line, _, _ in plan.centrelines]
    features = []
    for part in shapely.get_parts(shapely.node(shapely.MultiLineString(lines))):
        mid = part.interpolate(0.5, normalized=True)
        idx = next(i for i, line in enumerate(lines) if line.distance(mid) < 1e-6)
        _, width, name = plan.centrelines[idx]
        in_integration = zones["integration"].covers(mid)
        in_core = mid.x <= CORE_U_MAX and (zones["almg"].covers(mid) or abs(mid.y - TRUNK_V) < 1e-6)
        features.append(
            {
                s.KIND: str(s.InfrastructureKind.ROAD),
                s.NAME: name,
                s.STATUS: BUILT if in_integration or in_core else PLANNED,
                s.CAPACITY: None,
                s.CAPACITY_UNIT: None,
                s.WIDTH_M: width,
                s.SOURCE: LAYOUT_SOURCE + "; alignment, width and status assumed",
                "geometry": part,
            }
        )
    return features


# --------------------------------------------------------------------------- parcels


@dataclass
class Parcel:
    """A parcel under construction: its zone, geometry (uv, later metric) and attributes."""

    zone_id: str
    geom: shapely.Geometry
    props: dict[str, Any] = field(default_factory=dict)


def _guillotine(
    a: float,
    b: float,
    rng: np.random.Generator,
    widths: tuple[float, float],
    cuts: Iterable[float] = (),
    keep_u: Iterable[float] = (),
) -> list[tuple[float, float]]:
    """Cut the interval [a, b] at the forced ``cuts``, then at random, into parcel widths."""
    min_w, max_w = widths
    edges = [a, *sorted(c for c in cuts if a < c < b), b]
    keep = tuple(keep_u)

    def recurse(lo: float, hi: float) -> list[tuple[float, float]]:
        w = hi - lo
        if w < 2.0 * min_w or (w <= max_w and rng.random() < 0.35):
            return [(lo, hi)]
        c = float(round(lo + w * rng.uniform(0.3, 0.7)))
        c = min(max(c, lo + min_w), hi - min_w)
        return recurse(lo, c) + recurse(c, hi)

    out: list[tuple[float, float]] = []
    for lo, hi in itertools.pairwise(edges):
        out += [(lo, hi)] if any(lo < k < hi for k in keep) else recurse(lo, hi)
    return out


def _cells(
    region: Polygon, zone_id: str, rng: np.random.Generator, rule: BlockRule | None
) -> list[Polygon]:
    """Guillotine cells (rectangles) covering the bounding box of a block region."""
    minu, minv, maxu, maxv = region.bounds
    if rule is not None and rule.whole:
        return [box(minu, minv, maxu, maxv)]
    split = (maxv - minv) >= LENGTHWISE_SPLIT_DEPTH_M
    if rule is not None and rule.split is not None:
        split = rule.split
    strips = [(minv, maxv)]
    if split:
        vcut = float(round(minv + (maxv - minv) * rng.uniform(0.42, 0.58)))
        strips = [(minv, vcut), (vcut, maxv)]
    cuts = rule.cuts if rule else ()
    keep = rule.keep_u if rule else ()
    cells = []
    for v0, v1 in strips:
        for u0, u1 in _guillotine(minu, maxu, rng, CUT_WIDTHS[zone_id], cuts, keep):
            cells.append(box(u0, v0, u1, v1))
    return cells


def _merge_slivers(pieces: list[Polygon], min_area: float) -> list[Polygon]:
    """Merge pieces that are too small or too thin into the neighbour they share most with."""
    pieces = sorted(pieces, key=lambda p: p.area)
    while pieces and _is_sliver(pieces[0], min_area):
        small = pieces.pop(0)
        shared = [small.boundary.intersection(p.boundary).length for p in pieces]
        if shared and max(shared) > 1.0:
            k = int(np.argmax(shared))
            merged = shapely.union(pieces[k], small)
            if isinstance(merged, Polygon):
                pieces[k] = merged
        pieces.sort(key=lambda p: p.area)
    return pieces


def build_parcels(
    rng: np.random.Generator,
    zones: dict[str, Polygon],
    roads: RoadPlan,
    constraints: list[dict],
    rules: Sequence[BlockRule],
) -> list[Parcel]:
    """Cut every block between the roads into parcels (uv frame)."""
    by_kind = {c[s.KIND]: c["geometry"] for c in constraints}
    keep_clear = shapely.union_all(
        [by_kind[str(s.ConstraintKind.RIVER_SETBACK)], by_kind[str(s.ConstraintKind.NO_BUILD)]]
    )
    eco = by_kind[str(s.ConstraintKind.ECOLOGICAL_PROTECTION)]
    parcels: list[Parcel] = []
    for zone_id in ZONE_ORDER:
        land = zones[zone_id].difference(roads.surface).difference(keep_clear)
        blocks = sorted(_polygons(land), key=lambda p: p.bounds)
        for block in blocks:
            if block.area < SLIVER_AREA_M2:
                continue
            for piece in sorted(_polygons(block.intersection(eco)), key=_sort_key):
                if piece.area >= SLIVER_AREA_M2:
                    parcels.append(Parcel(zone_id, piece, {s.STATUS: PROTECTED}))
            for region in sorted(_polygons(block.difference(eco)), key=lambda p: p.bounds):
                if region.area < SLIVER_AREA_M2:
                    continue
                rule = next((r for r in rules if region.contains(Point(r.at))), None)
                pieces = []
                for cell in _cells(region, zone_id, rng, rule):
                    pieces += _polygons(cell.intersection(region))
                for piece in sorted(_merge_slivers(pieces, MIN_PARCEL_M2[zone_id]), key=_sort_key):
                    parcels.append(Parcel(zone_id, piece))
    return parcels


def add_hole_and_ditch(parcels: list[Parcel]) -> None:
    """Give one parcel a hole (a substation plot) and split one holding by a drainage ditch."""
    smelter = _parcel_at(parcels, SMELTER_CHALCO_AT)
    plot = box(*SUBSTATION_HOLE)
    if not smelter.geom.contains(plot):
        raise RuntimeError("the substation plot must lie inside the smelter parcel")
    smelter.geom = smelter.geom.difference(plot)
    parcels.append(Parcel(smelter.zone_id, plot))

    holding = _parcel_at(parcels, DITCH_HOLDING_AT)
    c = DITCH_HOLDING_AT[0]
    ditch = box(c - DITCH_WIDTH_M / 2.0, -2000.0, c + DITCH_WIDTH_M / 2.0, 2000.0)
    holding.geom = MultiPolygon(_polygons(holding.geom.difference(ditch)))
    if len(holding.geom.geoms) != 2:
        raise RuntimeError("the drainage ditch must split the holding in two")


def _parcel_index(parcels: Sequence[Parcel], at: tuple[float, float]) -> int:
    point = Point(at)
    found = [k for k, p in enumerate(parcels) if p.geom.covers(point)]
    if len(found) != 1:
        raise RuntimeError(f"expected one parcel at {at}, found {len(found)}")
    return found[0]


def _parcel_at(parcels: Sequence[Parcel], at: tuple[float, float]) -> Parcel:
    return parcels[_parcel_index(parcels, at)]


# --------------------------------------------------------------------------- parcel attributes


class Use(NamedTuple):
    """A land use: land-use code, occupant, GB/T 4754-2017 industry code, weight in a draw."""

    code: str
    occupant: str = ""
    industry: str | None = None
    weight: int = 1


def _vacant(*code_weights: tuple[str, int]) -> tuple[Use, ...]:
    """Planned uses of vacant land: no occupant, no industry."""
    return tuple(Use(code, weight=w) for code, w in code_weights)


# the industry codes are among the rulebook's [[industries]]
ALMG_DEVELOPED = (
    Use("100102", "铝杆及线缆厂 Aluminium rod and cable plant", "3831", 3),
    Use("100102", "铝合金车轮厂 Aluminium alloy wheel plant", "3670", 2),
    Use("100102", "铝型材挤压厂 Aluminium extrusion plant", "3252", 3),
    Use("100102", "铝板带轧制厂 Aluminium plate and strip mill", "3252", 2),
    Use("100102", "铝合金压铸件厂 Aluminium die-casting plant", "3392", 2),
    Use("100102", "节能门窗厂 Energy-saving doors and windows plant", "3312", 2),
    Use("100102", "冶金装备制造厂 Metallurgical equipment plant", "3516", 2),
    Use("100103", "预焙阳极炭素厂 Prebaked carbon anode plant", "3091", 1),
    Use("110102", "铝锭及原料仓储 Aluminium ingot and raw material storage", "5920", 2),
)
ALMG_COMMITTED = (
    Use("100103", "拟建镁合金项目 Magnesium alloy project", "3240", 2),
    Use("100102", "拟建锅炉及辅助设备项目 Boiler and auxiliary equipment project", "3411", 2),
    Use("100102", "拟建硬质合金项目 Hard alloy project", "3240", 1),
    Use("100102", "拟建汽车轻量化部件项目 Vehicle light-weighting parts project", "3670", 2),
    Use("100102", "拟建铝合金线缆扩建项目 Aluminium alloy cable extension", "3831", 1),
)
ALMG_VACANT = _vacant(("100102", 13), ("100103", 4), ("1101", 3))
BONDED_DEVELOPED = (
    Use("110102", "保税物流仓库 Bonded logistics warehouse", "5920", 3),
    Use("110101", "保税仓储 Bonded storage", "5920", 2),
    Use("0902", "综保服务中心 Bonded-zone service centre", "5821", 1),
)
BONDED_COMMITTED = (
    Use("100102", "拟建保税加工项目 Bonded aluminium processing project", "3252", 2),
    Use("110101", "拟建冷链物流项目 Cold-chain logistics project", "5930", 1),
    Use("0902", "拟建外贸企业总部 Export trade headquarters", "7211", 1),
)
BONDED_VACANT = _vacant(("110101", 4), ("110102", 3), ("100102", 3), ("100101", 2), ("0902", 2),
                        ("090101", 1))  # fmt: skip
INCUBATION_DEVELOPED = (
    Use("100101", "菜籽油加工厂 Rapeseed oil mill", "1331", 2),
    Use("100101", "青稞制品厂 Highland barley products plant", "1314", 1),
    Use("100102", "牦牛肉制品厂 Yak meat processing plant", "1353", 1),
)
INCUBATION_COMMITTED = (
    Use("100101", "拟建牦牛乳制品项目 Yak dairy project", "1441", 2),
    Use("110101", "拟建冷链仓储项目 Cold storage project", "5930", 1),
)
INCUBATION_VACANT = _vacant(("100101", 5), ("100102", 3), ("1101", 2))
INTEGRATION_HOUSING = Use("070102", "城镇住宅小区 Town-edge housing estate")
INTEGRATION_SHOPS = Use("090101", "沿街商铺 Shops along the avenue", "5211")
INTEGRATION_COMMITTED = (
    Use("090104", "拟建酒店 Hotel project", "6110"),
    Use("0807", "拟建康养中心 Recreation and health centre project", "8416"),
    Use("0903", "拟建文体娱乐中心 Culture and leisure centre project", "8870"),
    Use("0902", "拟建商务办公 Office project", "7211"),
    Use("0802", "拟建研发中心 R&D centre project", "7320"),
)
INTEGRATION_VACANT = _vacant(("070102", 3), ("090101", 2), ("0902", 2), ("0803", 1), ("0805", 1),
                             ("0802", 2), ("1401", 2), ("100101", 1))  # fmt: skip
ECO_USE = Use("1402", "生态屏障绿带 Ecological barrier green belt (protected)")
INTEGRATION_DEVELOPED_U_MAX = 680.0  # the existing town edge reaches this far

#: wastewater (t/d per ha) and power (MW per ha) of developed/committed land, by code prefix
INTENSITY = {
    "100103": (15.0, 1.2),
    "100102": (12.0, 1.0),
    "100101": (10.0, 0.3),
    "11": (2.0, 0.1),
    "070102": (30.0, 0.15),
    "0804": (20.0, 0.2),
    "0806": (45.0, 0.3),
    "0807": (25.0, 0.2),
    "0802": (10.0, 0.3),
    "0803": (5.0, 0.1),
    "09": (20.0, 0.4),
    "13": (0.0, 0.0),
    "14": (0.0, 0.0),
}
WASTEWATER_TARGET_TPD = 7950.0  # developed + committed; the park plant treats 10,000 t/d


def _pick(rng: np.random.Generator, options: Sequence[Use]) -> Use:
    weights = np.asarray([u.weight for u in options], dtype=float)
    return options[int(rng.choice(len(options), p=weights / weights.sum()))]


@dataclass(frozen=True)
class SpecialUse:
    """A hand-placed use: the parcel covering ``at`` (a (u, v) point or an anchor name)."""

    at: tuple[float, float] | str
    code: str
    status: str
    occupant: str
    wastewater_tpd: float | None = None  # None: from the land-use intensity
    power_mw: float | None = None
    industry: str | None = None


SPECIAL_USES = (
    SpecialUse("plant", "100103", DEVELOPED, "青海省投桥头铝电 桥头发电厂 Qiaotou Aluminium & "
               "Power, Qiaotou power station (illustrative footprint)", 900.0, 0.0, "4411"),
    SpecialUse("plant_phase2", "100103", DEVELOPED, "青海省投 桥头电厂二期 3×660 MW 上大压小 "
               "Qiaotou power station phase 2 (illustrative footprint)", 1300.0, 0.0, "4411"),
    SpecialUse(SMELTER_QIAOTOU_AT, "100103", DEVELOPED, "青海省投桥头铝电 电解铝厂 Qiaotou "
               "Aluminium & Power smelter (illustrative footprint)", 300.0, 45.0, "3216"),
    SpecialUse(SMELTER_CHALCO_AT, "100103", DEVELOPED, "中铝青海分公司 电解铝厂 Chalco Qinghai "
               "branch smelter (illustrative footprint)", 320.0, 48.0, "3216"),
    SpecialUse(SUBSTATION_HOLE_AT, "1303", DEVELOPED, "北川330千伏变电站 Beichuan 330 kV "
               "substation (illustrative)", 0.0, 0.0),
    SpecialUse(WWTP_AT, "1302", DEVELOPED, "北川工业园区污水处理厂 Park wastewater treatment "
               "plant, 10,000 t/d (position illustrative)", 0.0, 1.5),
    SpecialUse(SUBSTATION_BONDED_AT, "1303", DEVELOPED, "综保区110千伏变电站 Bonded-area 110 kV "
               "substation (illustrative)", 0.0, 0.0),
    SpecialUse(SUBSTATION_EAST_AT, "1303", DEVELOPED, "东区110千伏变电站 East 110 kV substation "
               "(illustrative)", 0.0, 0.0),
    SpecialUse(DITCH_HOLDING_WEST, "100102", DEVELOPED, "铝型材挤压厂（排洪沟两侧） Extrusion "
               "plant on both banks of a drainage ditch (illustrative)", industry="3252"),
    SpecialUse((470.0, 60.0), "080403", DEVELOPED, "桥头镇中学 Town middle school (illustrative)"),
    SpecialUse((520.0, 560.0), "080402", DEVELOPED, "县职业技术学校 County vocational school "
               "(illustrative)", industry="8336"),
    SpecialUse((560.0, -260.0), "0806", DEVELOPED, "社区卫生服务中心 Community health centre "
               "(illustrative)"),
    SpecialUse((1180.0, 520.0), "0803", PROTECTED, "文物保护点 Cultural-relic site, protected "
               "(illustrative)"),
)  # fmt: skip


def assign_attributes(
    rng: np.random.Generator, parcels: list[Parcel], anchors: Anchors
) -> list[Parcel]:
    """Sort the parcels along the axis, number them, and give each a use and a status."""
    parcels = sorted(parcels, key=lambda p: _sort_key(p.geom))
    special: dict[int, SpecialUse] = {}
    for use in SPECIAL_USES:
        at = use.at if isinstance(use.at, tuple) else getattr(anchors, use.at).coords[0]
        k = _parcel_index(parcels, at)
        if k in special:
            raise RuntimeError(f"two special uses fall on one parcel at {at}")
        special[k] = use

    fixed_loads = {}
    for k, parcel in enumerate(parcels):
        parcel.props[s.PARCEL_ID] = f"BC-{k + 1:04d}"
        if k in special:
            sp = special[k]
            use, status = Use(sp.code, sp.occupant, sp.industry), sp.status
            fixed_loads[k] = (sp.wastewater_tpd, sp.power_mw)
        elif parcel.props.get(s.STATUS) == PROTECTED:
            use, status = ECO_USE, PROTECTED
        else:
            use, status = _ZONE_RULES[parcel.zone_id](rng, parcel, anchors)
            if use.occupant:
                use = use._replace(occupant=f"{use.occupant} (illustrative)")
        parcel.props.update(
            {
                s.LAND_USE_CODE: use.code,
                s.STATUS: status,
                s.OCCUPANT: use.occupant,
                s.INDUSTRY_CODE: use.industry,
            }
        )
    _set_loads(rng, parcels, fixed_loads)
    floors_rng = np.random.default_rng([SEED, 11])  # its own stream: the loads stay as they were
    for parcel in parcels:
        built = parcel.props[s.STATUS] == DEVELOPED
        floor_m2, footprint_m2 = ledger.floor_and_footprint(
            floors_rng, parcel.props[s.LAND_USE_CODE], parcel.geom.area
        )
        parcel.props[s.FLOOR_AREA_M2] = float(floor_m2) if built else None
        parcel.props[s.FOOTPRINT_M2] = float(footprint_m2) if built else None
    return parcels


def _almg_use(rng: np.random.Generator, parcel: Parcel, anchors: Anchors) -> tuple[Use, str]:
    c = parcel.geom.centroid
    d = min(c.distance(anchors.plant), c.distance(anchors.plant_phase2))
    r = rng.random()
    if d <= CORE_RADIUS_M:
        if r < 0.62:
            return _pick(rng, ALMG_DEVELOPED), DEVELOPED
        if r < 0.76:
            return _pick(rng, ALMG_COMMITTED), COMMITTED
    elif d <= CORE_RADIUS_M + 500.0 and r < 0.3:
        return _pick(rng, ALMG_COMMITTED), COMMITTED
    return _pick(rng, ALMG_VACANT), VACANT


UseRule = Callable[[np.random.Generator, "Parcel", Anchors], tuple[Use, str]]


def _zone_use(
    developed: Sequence[Use],
    committed: Sequence[Use],
    vacant: Sequence[Use],
    p_dev: float,
    p_com: float,
    dev_u_max: float = math.inf,
) -> UseRule:
    def use(rng: np.random.Generator, parcel: Parcel, anchors: Anchors) -> tuple[Use, str]:
        r = rng.random()
        if r < p_dev and parcel.geom.centroid.x < dev_u_max:
            return _pick(rng, developed), DEVELOPED
        if p_dev <= r < p_dev + p_com:
            return _pick(rng, committed), COMMITTED
        return _pick(rng, vacant), VACANT

    return use


def _integration_use(rng: np.random.Generator, parcel: Parcel, anchors: Anchors) -> tuple[Use, str]:
    c = parcel.geom.centroid
    r = rng.random()
    if c.x < INTEGRATION_DEVELOPED_U_MAX:
        if abs(c.y - TRUNK_V) < 230.0 and r < 0.5:
            return INTEGRATION_SHOPS, DEVELOPED
        return INTEGRATION_HOUSING, DEVELOPED
    if r < 0.15:
        return _pick(rng, INTEGRATION_COMMITTED), COMMITTED
    return _pick(rng, INTEGRATION_VACANT), VACANT


_ZONE_RULES: dict[str, UseRule] = {
    "almg": _almg_use,
    "bonded": _zone_use(BONDED_DEVELOPED, BONDED_COMMITTED, BONDED_VACANT, 0.14, 0.12, 1900.0),
    "incubation": _zone_use(
        INCUBATION_DEVELOPED, INCUBATION_COMMITTED, INCUBATION_VACANT, 0.07, 0.06
    ),
    "integration": _integration_use,
}


def _intensity(code: str) -> tuple[float, float]:
    for prefix in sorted(INTENSITY, key=len, reverse=True):
        if code.startswith(prefix):
            return INTENSITY[prefix]
    return (0.0, 0.0)


def _set_loads(
    rng: np.random.Generator,
    parcels: Sequence[Parcel],
    fixed: dict[int, tuple[float | None, float | None]],
) -> None:
    """Wastewater and power of developed and committed parcels (vacant and protected: 0).

    Loads are land-use intensities times area with some noise, or the ``fixed`` values of
    hand-placed uses; wastewater is then scaled to :data:`WASTEWATER_TARGET_TPD` in total.
    """
    raw_ww = []
    for k, parcel in enumerate(parcels):
        noise = rng.uniform(0.75, 1.25)
        ww, mw = 0.0, 0.0
        if parcel.props[s.STATUS] in (DEVELOPED, COMMITTED):
            ww_ha, mw_ha = _intensity(parcel.props[s.LAND_USE_CODE])
            ha = parcel.geom.area / 10000.0
            fixed_ww, fixed_mw = fixed.get(k, (None, None))
            ww = ww_ha * ha * noise if fixed_ww is None else fixed_ww
            mw = mw_ha * ha * noise if fixed_mw is None else fixed_mw
        raw_ww.append(ww)
        parcel.props[s.POWER_MW] = round(float(mw), 1)
    scale = WASTEWATER_TARGET_TPD / sum(raw_ww)
    for parcel, ww in zip(parcels, raw_ww, strict=True):
        parcel.props[s.WASTEWATER_TPD] = round(float(ww * scale), 1)


# --------------------------------------------------------------------------- infrastructure


def build_infrastructure(
    plan: RoadPlan, zones: dict[str, Polygon], parcels: Sequence[Parcel]
) -> list[dict]:
    """Roads, utility trunks, the wastewater plant and the substations (uv frame)."""
    feats = sorted(road_segments(plan, zones), key=lambda f: _sort_key(f["geometry"]))
    for k, f in enumerate(feats, start=1):
        f[s.INFRA_ID] = f"R-{k:03d}"

    def trunk_line(dv: float, u1: float) -> LineString:
        return LineString([(PARK_U[0], TRUNK_V + dv), (u1, TRUNK_V + dv)])

    def point_of(code: str, at: tuple[float, float]) -> Point:
        parcel = _parcel_at(parcels, at)
        if parcel.props[s.LAND_USE_CODE] != code:
            raise RuntimeError(f"expected a {code} parcel at {at}")
        c = parcel.geom.centroid
        return c if parcel.geom.contains(c) else parcel.geom.point_on_surface()

    utility = (
        "illustrative alignment in the trunk road; the article says water, power, roads "
        "and gas (水电路气) are still to be solved"
    )
    feats += [
        _infra(
            "W-01",
            s.InfrastructureKind.WATER_MAIN,
            "给水干管 DN600 Water main DN600",
            BUILT,
            20000.0,
            "t/d",
            None,
            utility,
            trunk_line(-14.0, CORE_U_MAX),
        ),
        _infra(
            "E-01",
            s.InfrastructureKind.POWER_LINE,
            "110千伏电力干线 110 kV power line",
            BUILT,
            None,
            None,
            None,
            utility,
            trunk_line(14.0, CORE_U_MAX),
        ),
        _infra(
            "G-01",
            s.InfrastructureKind.GAS_MAIN,
            "天然气中压干管 Natural gas main (planned)",
            PLANNED,
            None,
            None,
            None,
            utility,
            trunk_line(-6.0, PARK_U[1]),
        ),
        _infra(
            "WW-01",
            s.InfrastructureKind.WASTEWATER_PLANT,
            "北川工业园区污水处理厂 Park wastewater treatment plant",
            BUILT,
            10000.0,
            "t/d",
            None,
            "article: 污水处理厂 in operation, 10,000 t/d; position illustrative",
            point_of("1302", WWTP_AT),
        ),
        _infra(
            "S-01",
            s.InfrastructureKind.SUBSTATION,
            "北川330千伏变电站 Beichuan 330 kV substation",
            BUILT,
            300.0,
            "MW",
            None,
            "illustrative: position and usable load capacity assumed",
            point_of("1303", SUBSTATION_HOLE_AT),
        ),
        _infra(
            "S-02",
            s.InfrastructureKind.SUBSTATION,
            "综保区110千伏变电站 Bonded-area 110 kV substation",
            BUILT,
            150.0,
            "MW",
            None,
            "illustrative: position and usable load capacity assumed",
            point_of("1303", SUBSTATION_BONDED_AT),
        ),
        _infra(
            "S-03",
            s.InfrastructureKind.SUBSTATION,
            "东区110千伏变电站 East 110 kV substation",
            BUILT,
            150.0,
            "MW",
            None,
            "illustrative: position and usable load capacity assumed",
            point_of("1303", SUBSTATION_EAST_AT),
        ),
    ]
    return feats


def _infra(
    infra_id: str,
    kind: str,
    name: str,
    status: str,
    capacity: float | None,
    unit: str | None,
    width: float | None,
    source: str,
    geom: shapely.Geometry,
) -> dict[str, Any]:
    return {
        s.INFRA_ID: infra_id,
        s.KIND: str(kind),
        s.NAME: name,
        s.STATUS: status,
        s.CAPACITY: capacity,
        s.CAPACITY_UNIT: unit,
        s.WIDTH_M: width,
        s.SOURCE: source,
        "geometry": geom,
    }


# --------------------------------------------------------------------------- context (real data)


def read_sources(source_dir: Path) -> tuple[dict, dict]:
    county = json.loads((source_dir / COUNTY_FILE).read_text(encoding="utf-8"))
    points = json.loads((source_dir / POINTS_FILE).read_text(encoding="utf-8"))
    return county, points


def _point_by(points: dict, kind: str, phase2: bool | None = None) -> dict:
    found = [
        f
        for f in points["features"]
        if f["properties"]["kind"] == kind
        and (phase2 is None or ("Phase 2" in f["properties"]["name"]) == phase2)
    ]
    if len(found) != 1:
        raise RuntimeError(f"expected one {kind} point in {POINTS_FILE}, found {len(found)}")
    return found[0]


CONTEXT_IDS = {
    ("coal_power_plant", False): "CTX-QIAOTOU-PS",
    ("coal_power_plant", True): "CTX-QIAOTOU-PS2",
    ("city", False): "CTX-XINING",
    ("county_seat", False): "CTX-QIAOTOU-TOWN",
}


def build_context(county: dict, points: dict) -> list[dict]:
    """The real context features, with their published source and licence, unaltered."""
    (boundary,) = county["features"]
    meta = county["metadata"]
    feats = [
        {
            s.CONTEXT_ID: "CTX-DATONG",
            s.KIND: "county_boundary",
            s.NAME: boundary["properties"]["name"],
            s.ACCURACY: meta["accuracy"],
            s.SOURCE: meta["source"],
            s.LICENCE: COUNTY_LICENCE,
            "geojson": boundary["geometry"],
        }
    ]
    for f in points["features"]:
        p = f["properties"]
        feats.append(
            {
                s.CONTEXT_ID: CONTEXT_IDS[(p["kind"], "Phase 2" in p["name"])],
                s.KIND: p["kind"],
                s.NAME: p["name"],
                s.ACCURACY: p["accuracy"],
                s.SOURCE: p["source"],
                s.LICENCE: p["licence"],
                "geojson": f["geometry"],
            }
        )
    return feats


# --------------------------------------------------------------------------- output


class Placer:
    """Put (u, v) geometry on the ground: metric grid, shared vertices, then WGS84."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.to_wgs84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def metric(self, geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.set_precision(shapely.transform(geom, self.frame.uv_to_xy), GRID_M)

    def wgs84(self, geom: shapely.Geometry) -> shapely.Geometry:
        def project(xy: np.ndarray) -> np.ndarray:
            lon, lat = self.to_wgs84.transform(xy[:, 0], xy[:, 1])
            return np.round(np.column_stack([lon, lat]), DECIMALS)

        out = shapely.remove_repeated_points(shapely.transform(geom, project))
        return shapely.orient_polygons(out, exterior_cw=False)


def _coords(obj: Any) -> Any:
    if isinstance(obj, list | tuple):
        if obj and isinstance(obj[0], float | int):
            return [round(float(x), DECIMALS) for x in obj]
        return [_coords(x) for x in obj]
    return obj


def _feature(props: dict[str, Any], layer: Any, geometry: dict) -> dict:
    ordered = {f.name: props.get(f.name) for f in layer.fields}
    for spec in layer.fields:
        if spec.type == "float" and ordered[spec.name] is not None:
            ordered[spec.name] = float(ordered[spec.name])
    return {"type": "Feature", "properties": ordered, "geometry": geometry}


def write_geojson(path: Path, features: Sequence[dict]) -> None:
    """Write a FeatureCollection, one feature per line, byte-stable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def geojson_geometry(geom: shapely.Geometry) -> dict:
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _coords(g["coordinates"])}


# --------------------------------------------------------------------------- metadata


def build_metadata(points: dict) -> dict[str, Any]:
    plant = _point_by(points, "coal_power_plant", phase2=False)["properties"]
    return {
        "park_id": "beichuan",
        "name_zh": "北川工业园区",
        "name_en": "Beichuan Industrial Park",
        "county": "大通回族土族自治县 Datong Hui and Tu Autonomous County (630121), "
        "Xining, Qinghai",
        "illustrative": True,
        "notice": "The zones, parcels, roads, constraints and infrastructure of this dataset are "
        "an ILLUSTRATIVE layout: no official zoning map of the park is public, so they are "
        "invented and placed consistently with a few real anchors and the source article. "
        "Real are the Datong County boundary, the Qiaotou power-station points, the approximate "
        "town centre, and the national land-use (2023) and industry (GB/T 4754-2017) codes.",
        "credits": [
            {
                "data": "Datong County boundary (context.geojson CTX-DATONG)",
                "source": "Tudigong project (thebamboogrove/tudigong), boundaries from CTAmap "
                "v1.30 (Rui Cheng, shengshixian.com), 2021 edition; cite CTAmap (Rui C., Zhang H.,"
                " Chen B., SPIE ERSGIT 2024, doi:10.1117/12.3059430)",
                "licence": "MIT (LICENSE-tudigong-MIT.txt)",
            },
            {
                "data": "Qiaotou power station and phase-2 points (CTX-QIAOTOU-PS, "
                "CTX-QIAOTOU-PS2); they anchor the aluminium-magnesium cluster",
                "source": plant["source"],
                "licence": plant["licence"],
            },
            {
                "data": "Xining city point (CTX-XINING)",
                "source": "Natural Earth 10m populated places",
                "licence": "public domain",
            },
            {
                "data": "Qiaotou town centre (CTX-QIAOTOU-TOWN), approximate; origin of the "
                "layout frame",
                "source": "DataV areas_v2 630121 properties.center, converted GCJ-02 to WGS84",
                "licence": "single derived coordinate; DataV data itself carries no open licence",
            },
            {
                "data": "land-use codes (parcels.land_use_code, zones.max_industrial_class)",
                "source": "国土空间调查、规划、用途管制用地用海分类指南 (自然资发〔2023〕234号)",
                "licence": "official classification (codes as facts)",
            },
            {
                "data": "industry code prefixes (zones.permitted / conditional / prohibited)",
                "source": "GB/T 4754-2017 国民经济行业分类",
                "licence": "national standard (codes as facts)",
            },
        ],
        "generator": "gis_data/beichuan/generate.py",
        "seed": SEED,
        "source_article": "《北川工业园区奋力描绘高质量发展蓝图》 (The Beichuan Industrial "
        "Park strives to draw a blueprint for high-quality development), newspaper feature "
        "by intern reporter 李静, page 17A, 1 February 2024: the one-park-multiple-zones layout "
        "(一园多区), the four zones and their purposes, the 10,000 t/d wastewater plant in "
        "operation, and water, power, roads and gas still to be solved",
        "crs": "EPSG:4326 (RFC 7946)",
        "metric_crs": METRIC_CRS,
    }


# --------------------------------------------------------------------------- the pipeline


def generate(out_dir: Path, source_dir: Path = SOURCES) -> dict[str, list[dict]]:
    """Build every layer and write the dataset into ``out_dir``; return the metric layers."""
    rng = np.random.default_rng(SEED)
    county, points = read_sources(source_dir)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)

    def metric_of(feature: dict) -> tuple[float, float]:
        lon, lat = feature["geometry"]["coordinates"]
        return to_metric.transform(lon, lat)

    town_xy = metric_of(_point_by(points, "county_seat"))
    frame = Frame.from_anchors(town_xy, metric_of(_point_by(points, "coal_power_plant", True)))
    plant_uv = frame.xy_to_uv(metric_of(_point_by(points, "coal_power_plant", False)))[0]
    phase2_uv = frame.xy_to_uv(metric_of(_point_by(points, "coal_power_plant", True)))[0]
    anchors = Anchors(Point(plant_uv), Point(phase2_uv))

    zones = build_zones()
    roads = build_roads(rng, zones)
    constraints = build_constraints(rng, roads.cross_widths)
    rules = (
        BlockRule((anchors.plant.x, anchors.plant.y), whole=True),
        BlockRule((anchors.plant_phase2.x, anchors.plant_phase2.y), whole=True),
        *BLOCK_RULES,
    )
    parcels = build_parcels(rng, zones, roads, constraints, rules)
    add_hole_and_ditch(parcels)
    parcels = assign_attributes(rng, parcels, anchors)
    infra = build_infrastructure(roads, zones, parcels)

    # on the ground: snap to the metric grid, then make touching polygons share vertices
    placer = Placer(frame)
    zone_feats = [
        {
            s.ZONE_ID: z,
            **{k: v for k, v in ZONE_SPECS[z].items() if k != "outline"},
            "geometry": zones[z],
        }
        for z in ZONE_ORDER
    ]
    parcel_feats = [{**p.props, "geometry": p.geom} for p in parcels]
    polygonal = zone_feats + parcel_feats + constraints
    noded = node_shared_vertices(
        [placer.metric(f["geometry"]) for f in polygonal], NODE_TOLERANCE_M
    )
    for f, geom in zip(polygonal, noded, strict=True):
        if not geom.is_valid:
            raise RuntimeError(f"invalid geometry after noding: {shapely.is_valid_reason(geom)}")
        f["geometry"] = geom
    for f in infra:
        f["geometry"] = placer.metric(f["geometry"])

    out_dir.mkdir(parents=True, exist_ok=True)
    layers = {
        "zones": (s.ZONES, zone_feats),
        "parcels": (s.PARCELS, parcel_feats),
        "constraints": (s.CONSTRAINTS, constraints),
        "infrastructure": (s.INFRASTRUCTURE, infra),
    }
    for name, (layer, feats) in layers.items():
        out = [_feature(f, layer, geojson_geometry(placer.wgs84(f["geometry"]))) for f in feats]
        write_geojson(out_dir / f"{name}.geojson", out)
    context = build_context(county, points)
    write_geojson(
        out_dir / "context.geojson", [_feature(f, s.CONTEXT, f["geojson"]) for f in context]
    )
    metadata = json.dumps(build_metadata(points), ensure_ascii=False, indent=2) + "\n"
    (out_dir / "metadata.json").write_text(metadata, encoding="utf-8")
    shutil.copyfile(source_dir / LICENCE_FILE, out_dir / LICENCE_FILE)
    return {name: feats for name, (_, feats) in layers.items()}


def summary(layers: dict[str, list[dict]]) -> str:
    """Markdown tables of zone areas and parcel statuses, measured in EPSG:4543."""
    statuses = (DEVELOPED, COMMITTED, VACANT, PROTECTED)
    rows = [
        "| zone | area (mu) | area (ha) | parcels | " + " | ".join(statuses) + " |",
        "|---|---:|---:|---:|" + "---:|" * len(statuses),
    ]
    parcels = layers["parcels"]
    zone_of = {}
    for z in layers["zones"]:
        for p in parcels:
            if z["geometry"].covers(p["geometry"]):
                zone_of[p[s.PARCEL_ID]] = z[s.ZONE_ID]
    totals = dict.fromkeys(statuses, 0)
    for z in layers["zones"]:
        zid = z[s.ZONE_ID]
        mine = [p for p in parcels if zone_of.get(p[s.PARCEL_ID]) == zid]
        counts = [sum(p[s.STATUS] == st for p in mine) for st in statuses]
        for st, n in zip(statuses, counts, strict=True):
            totals[st] += n
        area = z["geometry"].area
        rows.append(
            f"| {zid} {z[s.NAME_ZH]} | {area / MU_M2:,.0f} | {area / 1e4:,.1f} | {len(mine)} | "
            + " | ".join(str(n) for n in counts)
            + " |"
        )
    park_area = sum(z["geometry"].area for z in layers["zones"])
    rows.append(
        f"| **park** | {park_area / MU_M2:,.0f} | {park_area / 1e4:,.1f} | {len(parcels)} | "
        + " | ".join(str(totals[st]) for st in statuses)
        + " |"
    )
    active = [p for p in parcels if p[s.STATUS] in (DEVELOPED, COMMITTED)]
    ww = {st: sum(p[s.WASTEWATER_TPD] for p in active if p[s.STATUS] == st) for st in statuses}
    mw = {st: sum(p[s.POWER_MW] for p in active if p[s.STATUS] == st) for st in statuses}
    areas_mu = sorted(p["geometry"].area / MU_M2 for p in parcels)
    rows += [
        "",
        f"Parcel area: median {np.median(areas_mu):.0f} mu, "
        f"min {areas_mu[0]:.1f} mu, max {areas_mu[-1]:.0f} mu; "
        f"vacant share {totals[VACANT] / len(parcels):.0%}.",
        f"Wastewater: developed {ww[DEVELOPED]:,.0f} t/d + committed {ww[COMMITTED]:,.0f} t/d "
        f"= {ww[DEVELOPED] + ww[COMMITTED]:,.0f} t/d (plant: 10,000 t/d).",
        f"Power demand: developed {mw[DEVELOPED]:,.1f} MW + committed {mw[COMMITTED]:,.1f} MW "
        f"= {mw[DEVELOPED] + mw[COMMITTED]:,.1f} MW (substations: 600 MW usable).",
    ]
    return "\n".join(rows)


# --------------------------------------------------------------------------- checks


def check(out_dir: Path) -> list[str]:
    """Read the written files back and check them; return the problems found."""
    import geopandas as gpd

    problems: list[str] = []
    gdf = {}
    for name in ("zones", "parcels", "constraints", "infrastructure", "context"):
        path = out_dir / f"{name}.geojson"
        raw = json.loads(path.read_text(encoding="utf-8"))
        if "crs" in raw:
            problems.append(f"{name}: has a crs member")
        for f in raw["features"]:
            g = shape(f["geometry"])
            for poly in _polygons(g):
                if not poly.exterior.is_ccw or any(r.is_ccw for r in poly.interiors):
                    problems.append(f"{name}: ring orientation not RFC 7946")
        frame = gpd.read_file(path)
        layer = s.LAYER_BY_NAME[name]
        if list(frame.columns[:-1]) != [f.name for f in layer.fields]:
            problems.append(f"{name}: columns {list(frame.columns)}")
        for spec in layer.fields:
            if spec.required and frame[spec.name].isna().any():
                problems.append(f"{name}: missing {spec.name}")
            if spec.choices and not frame[spec.name].isin(spec.choices).all():
                problems.append(f"{name}: bad {spec.name} values")
        if not set(frame.geom_type) <= set(layer.geometry_types):
            problems.append(f"{name}: geometry types {set(frame.geom_type)}")
        if not frame.is_valid.all():
            problems.append(f"{name}: invalid geometries")
        minx, _, maxx, _ = frame.total_bounds
        if minx < 100.5 or maxx > 103.5:
            problems.append(f"{name}: outside 100.5-103.5 E")
        gdf[name] = frame.to_crs(METRIC_CRS)

    zones, parcels, cons = gdf["zones"], gdf["parcels"], gdf["constraints"]
    county = gdf["context"].loc[gdf["context"][s.KIND] == "county_boundary"].geometry.iloc[0]
    for name in ("zones", "parcels", "constraints", "infrastructure"):
        if not gdf[name].covered_by(county).all():
            problems.append(f"{name}: not inside Datong County")

    zg = list(zones.geometry)
    for i in range(len(zg)):
        for j in range(i + 1, len(zg)):
            if zg[i].intersection(zg[j]).area >= 1.0:
                problems.append(f"zones {i} and {j} overlap")
    if not shapely.coverage_is_valid(np.asarray(zg)):
        problems.append("zones: not a valid coverage")
    if not shapely.coverage_is_valid(np.asarray(parcels.geometry)):
        problems.append("parcels: not a valid coverage (overlaps or unmatched shared edges)")

    n_zones = np.asarray([sum(z.covers(p) for z in zg) for p in parcels.geometry])
    if (n_zones != 1).any():
        bad = list(parcels.loc[n_zones != 1, s.PARCEL_ID])
        problems.append(f"parcels not covered by exactly one zone: {bad}")

    not_protected = parcels[s.STATUS] != PROTECTED
    for _, c in cons.iterrows():
        if c[s.KIND] == s.ConstraintKind.SENSITIVE_AREA:
            continue
        hit = parcels.geometry.intersection(c.geometry).area >= 1.0
        if c[s.KIND] == s.ConstraintKind.ECOLOGICAL_PROTECTION:
            hit &= not_protected
        if hit.any():
            problems.append(f"parcels {list(parcels.loc[hit, s.PARCEL_ID])} in {c[s.KIND]}")
    town = cons.loc[cons[s.KIND] == s.ConstraintKind.SENSITIVE_AREA].geometry.iloc[0]
    if town.intersection(shapely.union_all(zg)).area > 0:
        problems.append("the town built-up area overlaps the park")

    tree = shapely.STRtree(parcels.geometry)
    left, right = tree.query(parcels.geometry, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j and parcels.geometry.iloc[i].intersection(parcels.geometry.iloc[j]).area > 1.0:
            problems.append(f"parcels {i} and {j} overlap")

    almg = zones.loc[zones[s.ZONE_ID] == "almg"].geometry.iloc[0]
    plants = gdf["context"].loc[gdf["context"][s.KIND] == "coal_power_plant"]
    for pt in plants.geometry:
        hosts = parcels.loc[parcels.covers(pt)]
        if (
            len(hosts) != 1
            or not ((hosts[s.STATUS] == DEVELOPED) & (hosts[s.LAND_USE_CODE] == "100103")).all()
        ):
            problems.append(f"power-station point {pt} not in one developed 100103 parcel")
        if not almg.contains(pt) or cons.intersects(pt).any():
            problems.append(f"power-station point {pt} outside almg or inside a constraint")
    if gdf["context"].loc[gdf["context"][s.KIND] == "county_seat"].intersects(almg).any():
        problems.append("the town centre lies in the park")

    n = len(parcels)
    if not 350 <= n <= 450:
        problems.append(f"{n} parcels")
    vacant = (parcels[s.STATUS] == VACANT).mean()
    if not 0.55 <= vacant <= 0.65:
        problems.append(f"vacant share {vacant:.2f}")
    active = parcels[s.STATUS].isin([DEVELOPED, COMMITTED])
    ww = parcels.loc[active, s.WASTEWATER_TPD].sum()
    if not 7600 <= ww <= 8300:
        problems.append(f"developed+committed wastewater {ww:.0f} t/d")
    if (parcels.loc[~active, [s.WASTEWATER_TPD, s.POWER_MW]] != 0).any().any():
        problems.append("vacant or protected parcels with loads")
    area_mu = parcels.area / MU_M2
    in_zone = {z: parcels.covered_by(g) for z, g in zip(zones[s.ZONE_ID], zg, strict=True)}
    industrial = ~in_zone["integration"] & not_protected
    share = area_mu[industrial].between(20, 300).mean()
    if share < 0.8:
        problems.append(f"only {share:.0%} of industrial-zone parcels are 20-300 mu")
    share = area_mu[in_zone["integration"] & not_protected].between(8, 60).mean()
    if share < 0.8:
        problems.append(f"only {share:.0%} of integration parcels are 8-60 mu")
    if not (parcels.geom_type == "MultiPolygon").any():
        problems.append("no MultiPolygon parcel")
    if not any(len(q.interiors) for g in parcels.geometry for q in _polygons(g)):
        problems.append("no parcel with a hole")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output directory")
    parser.add_argument("--check", action="store_true", help="read back and check the output")
    args = parser.parse_args(argv)
    layers = generate(args.out)
    print(summary(layers))
    ledger.write_enterprises(
        args.out, [{**p, "area_m2": p["geometry"].area} for p in layers["parcels"]]
    )
    if args.check:
        problems = check(args.out)
        for p in problems:
            print("PROBLEM:", p)
        print("checks passed" if not problems else f"{len(problems)} problems")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
