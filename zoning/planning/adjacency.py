"""The parcel adjacency graph: which parcels are neighbours, built once from geometry.

Two parcels are **neighbours** when either

``shared``
    they share a boundary at least ``min_shared_boundary_m`` long. The shared length is the
    length of one parcel's boundary lying within :data:`SNAP_TOLERANCE_M` of the other
    parcel, taken in both directions and the smaller kept, so that coordinates rounded to
    the centimetre (GeoJSON) or slightly overlapping digitising still count as shared
    (less ``SNAP_TOLERANCE_M`` at each end for the bit of the edge leaving the shared line).
    Parcels that only touch at a corner never count, whatever the threshold: a contact
    must also be longer than :data:`CORNER_GUARD_M`.
``across_road``
    they do not share such a boundary but **face each other across a gap** (a road, a
    green strip) no wider than ``max_road_gap_m``. Facing is measured on the *meeting
    strip*, the region within ``r = g/2`` of both parcels (``g = max_road_gap_m``): it runs
    along the stretch ``L`` where the parcels face each other and reaches past each end
    by a cap no longer than ``c(d) = r`` for a gap ``d <= r`` and ``sqrt(r² - (d - r)²)``
    beyond. The **facing length** is the long side of the strip's minimum rotated
    rectangle minus ``2 c(d)``: it is never longer than ``L``, exact when the facing
    edges are offset, and short by at most ``0.21 g`` (about 5 m across a 20 m road with
    ``g = 45`` m) when their ends line up. Parcels diagonally across a crossroads, or
    whose facing edges only meet end to end, get a length of zero or less and never
    count. The gap must be open: when the line across the gap (from one parcel to the
    other through the middle of the meeting strip) runs through another parcel, more than
    along its edge, that parcel stands between them and they are not neighbours across
    the road; they may still be neighbours of it.

The graph is built with a spatial index (:class:`shapely.STRtree` queries with the
``dwithin`` predicate) and vectorised shapely 2 operations; no pair of parcels is tested
unless the index says they are close. Two exact shortcuts skip the costly overlays where
the answer is known without them: a contact whose first direction measures 0 (a corner
touch) is not measured the other way, and a pair within the gap whose meeting strip could
not be long enough even if it filled the overlap of the parcels' bounding boxes grown by
``g/2`` (the long side of a shape's minimum rotated rectangle is at most its diameter) is
not intersected. The edges and lengths are those of measuring every pair (a test compares
them as sets).

All lengths are in metres: the parcels must be in a metric CRS (EPSG:4543 for a park).

Examples
--------
Three parcels in a row: A and B share a 100 m edge, C faces B across a 20 m road.

>>> import geopandas as gpd, shapely
>>> parcels = gpd.GeoDataFrame({"parcel_id": ["A", "B", "C"]}, geometry=[
...     shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
...     shapely.box(220, 0, 320, 100)], crs="EPSG:4543")
>>> graph = build_parcel_graph(parcels, min_shared_boundary_m=10, max_road_gap_m=45)
>>> sorted(graph.edges(data="kind"))
[('A', 'B', 'shared'), ('B', 'C', 'across_road')]
>>> round(graph.edges["A", "B"]["shared_length_m"])
100
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.planning.types import FloatArray, IntArray

#: distance within which two parcel boundaries count as the same line, metres
SNAP_TOLERANCE_M: Final = 0.5
#: a contact no longer than this is a corner touch and never makes neighbours, metres
CORNER_GUARD_M: Final = 4 * SNAP_TOLERANCE_M
#: segments per quarter circle of the buffers used to measure facing (precision ~1 %)
BUFFER_QUAD_SEGS: Final = 4
#: distance from a serviced line's edge within which a parcel fronts it, metres
FRONTAGE_TOLERANCE_M: Final = 5.0

#: codes of :class:`~zoning.schema.AdjacencyKind` in :attr:`ParcelAdjacency.kind`
KIND_CODES: Final = (s.AdjacencyKind.SHARED, s.AdjacencyKind.ACROSS_ROAD)


@dataclass(frozen=True)
class ParcelAdjacency:
    """Neighbour pairs and boundary contacts of parcels, as arrays of row positions.

    Attributes
    ----------
    n
        Number of parcels (rows of the frame the adjacency was built from).
    left, right
        Row positions of each neighbour pair, ``left < right``, sorted.
    length_m
        Shared or facing length of each pair, metres.
    kind
        0 for ``shared``, 1 for ``across_road`` (see :data:`KIND_CODES`).
    contact_left, contact_right, contact_length_m
        Every pair of parcels whose boundaries touch along some length (also those below
        the neighbour threshold), with that length: the perimeter of a union of parcels is
        the sum of their perimeters minus twice the contacts inside the union.
    """

    n: int
    left: IntArray
    right: IntArray
    length_m: FloatArray
    kind: npt.NDArray[np.int8]
    contact_left: IntArray
    contact_right: IntArray
    contact_length_m: FloatArray

    def csr(self) -> tuple[IntArray, IntArray]:
        """Return the neighbour lists in compressed form ``(indptr, indices)``.

        The neighbours of parcel ``i`` are ``indices[indptr[i]:indptr[i + 1]]``, sorted.
        """
        return _csr(self.n, self.left, self.right)

    def contact_csr(self) -> tuple[IntArray, IntArray, FloatArray]:
        """Return the contacts in compressed form ``(indptr, indices, length_m)``."""
        indptr, indices, order = _csr_with_order(self.n, self.contact_left, self.contact_right)
        both = np.concatenate([self.contact_length_m, self.contact_length_m])
        return indptr, indices, both[order]


def _csr_with_order(n: int, left: IntArray, right: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    src = np.concatenate([left, right])
    dst = np.concatenate([right, left])
    order = np.lexsort((dst, src))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst[order].astype(np.int64), order


def _csr(n: int, left: IntArray, right: IntArray) -> tuple[IntArray, IntArray]:
    indptr, indices, _ = _csr_with_order(n, left, right)
    return indptr, indices


def _validate_options(min_shared_boundary_m: float, max_road_gap_m: float) -> None:
    bad = []
    if not np.isfinite(min_shared_boundary_m) or min_shared_boundary_m < 0:
        bad.append(f"min_shared_boundary_m must be >= 0 metres, got {min_shared_boundary_m}")
    if not np.isfinite(max_road_gap_m) or max_road_gap_m < 0:
        bad.append(f"max_road_gap_m must be >= 0 metres, got {max_road_gap_m}")
    if bad:
        raise ValueError("; ".join(bad))


def _check_metric(parcels: gpd.GeoDataFrame) -> None:
    if parcels.crs is not None and parcels.crs.is_geographic:
        raise ValueError(
            f"parcels are in a geographic CRS ({parcels.crs.to_string()}); adjacency lengths "
            "are metres: reproject first (zoning.units.to_metric)"
        )


def _long_side(geoms: npt.NDArray[np.object_]) -> FloatArray:
    """Long side of each geometry's minimum rotated rectangle (its length for a line)."""
    env = shapely.oriented_envelope(geoms)
    perimeter = shapely.length(env)
    area = shapely.area(env)
    polygonal = shapely.get_type_id(env) == 3
    quarter = perimeter / 4.0
    side = quarter + np.sqrt(np.maximum(quarter * quarter - area, 0.0))
    out: FloatArray = np.where(polygonal, side, perimeter)
    return out


def _cap_m(distance_m: FloatArray, radius_m: float) -> FloatArray:
    """Longest reach of a meeting strip past the end of the stretch where parcels face.

    Past a corner of one parcel whose facing edge stops while the other parcel's edge runs
    on, the strip still reaches ``r`` (gap ``d <= r``) or ``sqrt(r² - (d - r)²)``
    (``d > r``); subtracting it at both ends gives a facing length that is never too long.
    """
    over = np.maximum(distance_m - radius_m, 0.0)
    out: FloatArray = np.sqrt(np.maximum(radius_m * radius_m - over * over, 0.0))
    return out


def _facing_bound(bounds: FloatArray, c: IntArray, d: IntArray, radius_m: float) -> FloatArray:
    """Upper bound of the long side of the meeting strips of pairs ``(c, d)``, metres.

    The strip lies within ``radius_m`` of both parcels, so inside the overlap of their
    bounding boxes grown by ``radius_m``; each side of its minimum rotated rectangle is the
    strip's width in some direction, never more than the diagonal of that overlap.
    """
    low = np.maximum(bounds[c, :2], bounds[d, :2]) - radius_m
    high = np.minimum(bounds[c, 2:], bounds[d, 2:]) + radius_m
    extent = np.maximum(high - low, 0.0)
    out: FloatArray = np.hypot(extent[:, 0], extent[:, 1])
    return out


def _run_length(lines: npt.NDArray[np.object_]) -> FloatArray:
    """Length of boundary pieces lying along another parcel, less the ends picked up.

    A boundary running along another parcel also picks up ``SNAP_TOLERANCE_M`` of the
    edge leaving it at each open end: take it off, so that a shared edge of ``L`` metres
    measures ``L`` (and a closed ring around a parcel in a hole its full length).
    """
    merged = shapely.line_merge(lines)
    parts, owner = shapely.get_parts(merged, return_index=True)
    open_ends = 2 * np.bincount(owner, weights=~shapely.is_closed(parts), minlength=len(lines))
    out: FloatArray = np.maximum(shapely.length(lines) - SNAP_TOLERANCE_M * open_ends, 0.0)
    return out


def _contacts(
    geoms: npt.NDArray[np.object_], tree: shapely.STRtree, *, shortcuts: bool = True
) -> tuple[IntArray, IntArray, FloatArray]:
    """Pairs ``i < j`` whose boundaries run together, and the length they share.

    Without ``shortcuts`` both directions of every pair are measured (the reference the
    tests and the scaling benchmark compare with).
    """
    a, b = tree.query(geoms, predicate="dwithin", distance=SNAP_TOLERANCE_M)
    keep = a < b
    a, b = a[keep].astype(np.int64), b[keep].astype(np.int64)
    if a.size == 0:
        return a, b, np.zeros(0)
    involved = np.unique(np.concatenate([a, b]))
    boundary = np.empty(len(geoms), dtype=object)
    grown = np.empty(len(geoms), dtype=object)
    boundary[involved] = shapely.boundary(geoms[involved])
    grown[involved] = shapely.buffer(geoms[involved], SNAP_TOLERANCE_M, quad_segs=2)
    ab = _run_length(shapely.intersection(boundary[a], grown[b]))
    # the length kept is the smaller of both directions: where one is 0 (a corner touch),
    # the other is not measured
    if shortcuts:
        a, b, ab = a[ab > 0], b[ab > 0], ab[ab > 0]
    ba = _run_length(shapely.intersection(boundary[b], grown[a]))
    length = np.minimum(ab, ba)
    touching = length > 0
    return a[touching], b[touching], length[touching]


def _facing(
    geoms: npt.NDArray[np.object_],
    tree: shapely.STRtree,
    gap_m: float,
    min_length_m: float,
    exclude: set[tuple[int, int]],
    *,
    shortcuts: bool = True,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Pairs ``i < j`` facing each other across an open gap, with their facing length.

    Without ``shortcuts`` the meeting strip of every pair within the gap is measured.
    """
    c, d = tree.query(geoms, predicate="dwithin", distance=gap_m)
    keep = c < d
    c, d = c[keep].astype(np.int64), d[keep].astype(np.int64)
    if exclude and c.size:
        n = len(geoms)
        excluded = np.fromiter((i * n + j for i, j in exclude), dtype=np.int64, count=len(exclude))
        keep = ~np.isin(c * n + d, excluded)
        c, d = c[keep], d[keep]
    shortest = max(min_length_m, CORNER_GUARD_M)
    distance = shapely.distance(geoms[c], geoms[d])
    cap = _cap_m(distance, gap_m / 2.0)
    # a pair whose meeting strip cannot be long enough, whatever the parcels' shapes, is
    # not measured (the strip's bounding box bounds its long side)
    bound = _facing_bound(shapely.bounds(geoms), c, d, gap_m / 2.0) - 2.0 * cap
    may = (bound >= shortest) | (not shortcuts)
    c, d, distance, cap = c[may], d[may], distance[may], cap[may]
    if c.size == 0:
        return c, d, np.zeros(0)
    involved = np.unique(np.concatenate([c, d]))
    half = np.empty(len(geoms), dtype=object)
    half[involved] = shapely.buffer(geoms[involved], gap_m / 2.0, quad_segs=BUFFER_QUAD_SEGS)
    meet = shapely.intersection(half[c], half[d])
    facing = _long_side(meet) - 2.0 * cap
    ok = facing >= shortest
    c, d, meet, facing = c[ok], d[ok], meet[ok], facing[ok]
    if c.size == 0:
        return c, d, facing
    # the gap must be open: the line across it, from one parcel to the other through the
    # middle of the meeting strip, runs through no other parcel
    middle = shapely.centroid(meet)
    ends = np.stack(
        [
            shapely.get_coordinates(shapely.get_point(shapely.shortest_line(middle, geoms[c]), 1)),
            shapely.get_coordinates(shapely.get_point(shapely.shortest_line(middle, geoms[d]), 1)),
        ],
        axis=1,
    )
    lines = shapely.linestrings(ends)
    m, k = tree.query(lines, predicate="intersects")
    third = (k != c[m]) & (k != d[m])
    m, k = m[third], k[third]
    through = ~shapely.touches(lines[m], geoms[k])
    open_gap = np.ones(c.size, dtype=bool)
    open_gap[m[through]] = False
    return c[open_gap], d[open_gap], facing[open_gap]


def build_parcel_adjacency(
    parcels: gpd.GeoDataFrame,
    *,
    min_shared_boundary_m: float,
    max_road_gap_m: float,
) -> ParcelAdjacency:
    """Find neighbour pairs and boundary contacts of parcels, as arrays of row positions.

    This is the numeric form of :func:`build_parcel_graph` (same rules), used by the
    sequencer on large parks where a networkx graph would be slow.

    Parameters
    ----------
    parcels
        Parcels in a metric CRS; missing or empty geometries get no neighbours.
    min_shared_boundary_m
        Shortest shared boundary (or facing length across a gap) that makes neighbours.
    max_road_gap_m
        Widest gap (road, green strip) across which facing parcels are neighbours; 0 turns
        neighbours across roads off.

    Returns
    -------
    ParcelAdjacency

    Raises
    ------
    ValueError
        If a threshold is negative or the parcels are in degrees.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> parcels = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10),
    ...     shapely.box(10, 0, 20, 10), shapely.box(20, 10, 30, 20)], crs="EPSG:4543")
    >>> adj = build_parcel_adjacency(parcels, min_shared_boundary_m=5, max_road_gap_m=0)
    >>> adj.left.tolist(), adj.right.tolist(), adj.length_m.round(1).tolist()
    ([0], [1], [10.0])
    """
    return _build_adjacency(parcels, min_shared_boundary_m, max_road_gap_m, shortcuts=True)


def _build_adjacency(
    parcels: gpd.GeoDataFrame,
    min_shared_boundary_m: float,
    max_road_gap_m: float,
    *,
    shortcuts: bool,
) -> ParcelAdjacency:
    """:func:`build_parcel_adjacency`, with or without the shortcuts that skip pairs."""
    _validate_options(min_shared_boundary_m, max_road_gap_m)
    _check_metric(parcels)
    geoms = np.asarray(parcels.geometry.to_numpy(), dtype=object)
    n = len(geoms)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    clean = geoms.copy()
    clean[~usable] = None
    tree = shapely.STRtree(clean)
    ca, cb, clen = _contacts(clean, tree, shortcuts=shortcuts)
    threshold = max(min_shared_boundary_m, np.nextafter(CORNER_GUARD_M, np.inf))
    shared = clen >= threshold
    sl, sr, slen = ca[shared], cb[shared], clen[shared]
    if max_road_gap_m > 0:
        exclude = set(zip(sl.tolist(), sr.tolist(), strict=True))
        fl, fr, flen = _facing(
            clean, tree, max_road_gap_m, min_shared_boundary_m, exclude, shortcuts=shortcuts
        )
    else:
        fl = fr = np.zeros(0, dtype=np.int64)
        flen = np.zeros(0)
    left = np.concatenate([sl, fl])
    right = np.concatenate([sr, fr])
    length = np.concatenate([slen, flen])
    kind = np.concatenate([np.zeros(sl.size, np.int8), np.ones(fl.size, np.int8)])
    order = np.lexsort((right, left))
    return ParcelAdjacency(
        n=n,
        left=left[order],
        right=right[order],
        length_m=length[order],
        kind=kind[order],
        contact_left=ca,
        contact_right=cb,
        contact_length_m=clen,
    )


def graph_from_adjacency(adjacency: ParcelAdjacency, ids: pd.Index | list[str]) -> nx.Graph:
    """Turn a :class:`ParcelAdjacency` into a networkx graph whose nodes are ``ids``.

    Every parcel is a node, also one without neighbours. Edges carry ``shared_length_m``
    (metres) and ``kind`` (``shared`` or ``across_road``).
    """
    labels = list(ids)
    if len(labels) != adjacency.n:
        raise ValueError(f"{len(labels)} ids given for {adjacency.n} parcels")
    graph = nx.Graph()
    graph.add_nodes_from(labels)
    kinds = [str(KIND_CODES[k]) for k in adjacency.kind.tolist()]
    graph.add_edges_from(
        (labels[i], labels[j], {s.SHARED_LENGTH_M: float(length), s.KIND: kind})
        for i, j, length, kind in zip(
            adjacency.left.tolist(),
            adjacency.right.tolist(),
            adjacency.length_m.tolist(),
            kinds,
            strict=True,
        )
    )
    return graph


def build_parcel_graph(
    parcels: gpd.GeoDataFrame,
    *,
    min_shared_boundary_m: float,
    max_road_gap_m: float,
) -> nx.Graph:
    """Build the adjacency graph of parcels (see the module docstring for the rules).

    Parameters
    ----------
    parcels
        Parcels in a metric CRS. Nodes are the ``parcel_id`` values when the column exists,
        else the index labels.
    min_shared_boundary_m
        Shortest shared boundary (or facing length across a gap) that makes neighbours,
        metres. Corner touches never count.
    max_road_gap_m
        Widest gap across which facing parcels are neighbours, metres; 0 turns it off.

    Returns
    -------
    networkx.Graph
        One node per parcel; edges carry ``shared_length_m`` and ``kind``
        (``"shared"`` or ``"across_road"``).

    Raises
    ------
    ValueError
        If a threshold is negative or the parcels are in degrees.

    Examples
    --------
    Two parcels touching at a corner are not neighbours:

    >>> import geopandas as gpd, shapely
    >>> parcels = gpd.GeoDataFrame({"parcel_id": ["a", "b"]}, geometry=[
    ...     shapely.box(0, 0, 50, 50), shapely.box(50, 50, 100, 100)], crs="EPSG:4543")
    >>> build_parcel_graph(parcels, min_shared_boundary_m=0, max_road_gap_m=45).number_of_edges()
    0
    """
    adjacency = build_parcel_adjacency(
        parcels, min_shared_boundary_m=min_shared_boundary_m, max_road_gap_m=max_road_gap_m
    )
    ids = parcels[s.PARCEL_ID].astype(str).tolist() if s.PARCEL_ID in parcels else parcels.index
    return graph_from_adjacency(adjacency, ids)


def find_serviced_parcels(
    parcels: gpd.GeoDataFrame,
    infrastructure: gpd.GeoDataFrame,
    *,
    tolerance_m: float = FRONTAGE_TOLERANCE_M,
) -> pd.Series:
    """Say which parcels front serviced (built) linear infrastructure.

    A parcel fronts a road or utility trunk (:data:`~zoning.schema.LINEAR_INFRASTRUCTURE`)
    whose status is ``built`` when it comes within half the feature's ``width_m`` (0 when
    unknown) plus ``tolerance_m`` of its centre line. Planned features do not serve.

    Parameters
    ----------
    parcels
        Parcels in a metric CRS.
    infrastructure
        The infrastructure layer, in the same CRS, with ``kind`` and ``status`` columns.
    tolerance_m
        Slack beyond the half width, metres.

    Returns
    -------
    pandas.Series
        Boolean, indexed like ``parcels``, named ``serviced``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> parcels = gpd.GeoDataFrame(geometry=[shapely.box(0, 12, 100, 112),
    ...     shapely.box(0, 200, 100, 300)], crs="EPSG:4543")
    >>> roads = gpd.GeoDataFrame({"kind": ["road"], "status": ["built"], "width_m": [24.0]},
    ...     geometry=[shapely.LineString([(-50, 0), (150, 0)])], crs="EPSG:4543")
    >>> find_serviced_parcels(parcels, roads).tolist()
    [True, False]
    """
    _check_metric(parcels)
    out = pd.Series(False, index=parcels.index, name="serviced")
    if infrastructure.empty or s.KIND not in infrastructure or s.STATUS not in infrastructure:
        return out
    kinds = infrastructure[s.KIND].astype(str)
    built = infrastructure[s.STATUS].astype(str) == s.InfrastructureStatus.BUILT
    lines = infrastructure[kinds.isin([str(k) for k in s.LINEAR_INFRASTRUCTURE]) & built]
    if lines.empty:
        return out
    width = (
        pd.to_numeric(lines[s.WIDTH_M], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        if s.WIDTH_M in lines
        else np.zeros(len(lines))
    )
    reach = shapely.buffer(lines.geometry.to_numpy(), width / 2.0 + tolerance_m, quad_segs=2)
    geoms = parcels.geometry.to_numpy()
    hit = np.unique(shapely.STRtree(reach).query(geoms, predicate="intersects")[0])
    values = out.to_numpy(copy=True)
    values[hit] = True
    return pd.Series(values, index=parcels.index, name="serviced")


def component_labels(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Label the connected components of the graph on ``n`` nodes with edges ``(left, right)``.

    Each node gets the smallest node of its component (union-find with path halving).

    Examples
    --------
    >>> component_labels(4, np.array([0, 2]), np.array([1, 3])).tolist()
    [0, 0, 2, 2]
    """
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    return np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
