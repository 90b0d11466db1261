"""Geometry helpers: polygon parts, sort keys, slivers, shared-vertex noding."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .base import SLIVER_WIDTH_M


def polygons(geom: shapely.Geometry) -> list[Polygon]:
    """The non-empty polygons in ``geom``."""
    return [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]


def sort_key(geom: shapely.Geometry) -> tuple[float, float]:
    c = geom.centroid
    return (round(c.x, 3), round(c.y, 3))


def is_sliver(poly: shapely.Geometry, min_area: float) -> bool:
    return poly.area < min_area or 2.0 * poly.area / poly.length < SLIVER_WIDTH_M


def insert_ring_vertices(ring: np.ndarray, pts: np.ndarray, tol: float) -> np.ndarray:
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
        shell = insert_ring_vertices(np.asarray(poly.exterior.coords), pts, tol)
        holes = [insert_ring_vertices(np.asarray(r.coords), pts, tol) for r in poly.interiors]
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
