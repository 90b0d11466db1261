"""The parcels: guillotine cuts of the blocks between the roads."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from .base import PROTECTED, SLIVER_AREA_M2, s
from .geometry import is_sliver, polygons, sort_key
from .layout import (
    CUT_WIDTHS,
    DITCH_HOLDING_AT,
    DITCH_WIDTH_M,
    LENGTHWISE_SPLIT_DEPTH_M,
    MIN_PARCEL_M2,
    SMELTER_CHALCO_AT,
    SUBSTATION_HOLE,
    ZONE_ORDER,
    BlockRule,
)
from .roads import RoadPlan


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
    while pieces and is_sliver(pieces[0], min_area):
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
        blocks = sorted(polygons(land), key=lambda p: p.bounds)
        for block in blocks:
            if block.area < SLIVER_AREA_M2:
                continue
            for piece in sorted(polygons(block.intersection(eco)), key=sort_key):
                if piece.area >= SLIVER_AREA_M2:
                    parcels.append(Parcel(zone_id, piece, {s.STATUS: PROTECTED}))
            for region in sorted(polygons(block.difference(eco)), key=lambda p: p.bounds):
                if region.area < SLIVER_AREA_M2:
                    continue
                rule = next((r for r in rules if region.contains(Point(r.at))), None)
                pieces = []
                for cell in _cells(region, zone_id, rng, rule):
                    pieces += polygons(cell.intersection(region))
                for piece in sorted(_merge_slivers(pieces, MIN_PARCEL_M2[zone_id]), key=sort_key):
                    parcels.append(Parcel(zone_id, piece))
    return parcels


def add_hole_and_ditch(parcels: list[Parcel]) -> None:
    """Give one parcel a hole (a substation plot) and split one holding by a drainage ditch."""
    smelter = parcel_at(parcels, SMELTER_CHALCO_AT)
    plot = box(*SUBSTATION_HOLE)
    if not smelter.geom.contains(plot):
        raise RuntimeError("the substation plot must lie inside the smelter parcel")
    smelter.geom = smelter.geom.difference(plot)
    parcels.append(Parcel(smelter.zone_id, plot))

    holding = parcel_at(parcels, DITCH_HOLDING_AT)
    c = DITCH_HOLDING_AT[0]
    ditch = box(c - DITCH_WIDTH_M / 2.0, -2000.0, c + DITCH_WIDTH_M / 2.0, 2000.0)
    holding.geom = MultiPolygon(polygons(holding.geom.difference(ditch)))
    if len(holding.geom.geoms) != 2:
        raise RuntimeError("the drainage ditch must split the holding in two")


def parcel_index(parcels: Sequence[Parcel], at: tuple[float, float]) -> int:
    point = Point(at)
    found = [k for k, p in enumerate(parcels) if p.geom.covers(point)]
    if len(found) != 1:
        raise RuntimeError(f"expected one parcel at {at}, found {len(found)}")
    return found[0]


def parcel_at(parcels: Sequence[Parcel], at: tuple[float, float]) -> Parcel:
    return parcels[parcel_index(parcels, at)]
