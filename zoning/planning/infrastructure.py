"""Which planned roads and utility lines opening a parcel means building (水电路气).

A vacant parcel is *served* by a kind of linear infrastructure (road, water main, power
line, gas main) when it fronts a **built** feature of that kind: it comes within half the
feature's ``width_m`` plus the frontage tolerance of its centre line, as in
:func:`zoning.planning.adjacency.find_serviced_parcels`, or within :data:`UTILITY_REACH_M`
of a line drawn without a width (a utility main laid in a road reserve). When it is not, but
it fronts a **planned** feature of that kind, opening it means building that line along its
frontage: planned lines are cut into *segments* of at most :data:`SEGMENT_MAX_M` metres and
the parcel needs the nearest segment of each kind it lacks (ties by segment id). A segment
needed by several parcels is paid once, by the first phase that opens one of them. A kind
with no feature near the parcel, built or planned, costs nothing here (the layer says
nothing about it).

Each segment is **traced back to the built network**: the built feature of its kind that
its planned line joins (within :data:`JOIN_TOLERANCE_M`; the nearest junction along the
line when it joins several) and how far along the planned line the segment starts from
that junction, so that a plan can say "extend road X from its built end, 0–500 m". A
planned line that joins no built line of its kind is traced to nothing.

The cost of a segment is its length times the rulebook's unit cost of its kind
(``sequencing.infrastructure_cost_wan_yuan_per_km``, 万元 per km); the objective charges
``infrastructure_penalty_mu_per_million_yuan`` mu-equivalents per million yuan (100 万元).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import shapely.ops

from zoning import schema as s
from zoning.planning.types import FloatArray, IntArray

#: planned lines are cut into segments of at most this length, metres
SEGMENT_MAX_M: Final = 500.0
#: the kinds of linear infrastructure whose building the plan counts, in report order
INFRASTRUCTURE_KINDS: Final = (
    s.InfrastructureKind.ROAD,
    s.InfrastructureKind.WATER_MAIN,
    s.InfrastructureKind.POWER_LINE,
    s.InfrastructureKind.GAS_MAIN,
)
#: a line drawn without a width (a utility main in a road reserve) reaches parcels this near
UTILITY_REACH_M: Final = 25.0
#: a planned line joins a built line of its kind that comes this near it, metres
JOIN_TOLERANCE_M: Final = 30.0
#: 万元 in a million yuan
WAN_YUAN_PER_MILLION: Final = 100.0


@dataclass(frozen=True)
class InfrastructureNeeds:
    """The planned segments and which parcels need them (node order).

    Attributes
    ----------
    segment_id
        ``<infra_id>/<k>`` for the ``k``-th piece (from 1) of a planned feature.
    kind
        Kind of each segment (``road``, ``water_main``, ``power_line``, ``gas_main``).
    length_m
        Length of each segment, metres.
    cost_wan_yuan
        Cost of building each segment, 万元.
    penalty_mu
        Its cost in the objective, mu-equivalents.
    indptr, indices
        For node ``i``, ``indices[indptr[i]:indptr[i + 1]]`` are the segments it needs.
    geometry
        The segments' lines (metric CRS).
    extends
        ``infra_id`` of the built feature each segment's planned line extends ("" when its
        line joins no built line of its kind).
    from_built_m
        Distance along the planned line from that junction to the segment's nearer end,
        metres (0 for the piece at the junction; NaN when traced to nothing).
    """

    segment_id: npt.NDArray[np.str_]
    kind: npt.NDArray[np.str_]
    length_m: FloatArray
    cost_wan_yuan: FloatArray
    penalty_mu: FloatArray
    indptr: IntArray
    indices: IntArray
    geometry: npt.NDArray[np.object_]
    extends: npt.NDArray[np.str_] = field(default_factory=lambda: np.zeros(0, dtype=str))
    from_built_m: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=float))

    @property
    def n_segments(self) -> int:
        """Number of planned segments."""
        return len(self.segment_id)

    def needed_by(self, i: int) -> IntArray:
        """Return the segments node ``i`` needs."""
        out: IntArray = self.indices[self.indptr[i] : self.indptr[i + 1]]
        return out

    def segments_of(self, nodes: IntArray) -> IntArray:
        """Return the sorted, distinct segments a set of nodes needs."""
        if len(nodes) == 0:
            return np.zeros(0, dtype=np.int64)
        parts = [self.needed_by(int(i)) for i in nodes]
        return np.unique(np.concatenate(parts)).astype(np.int64)


def no_needs(n: int) -> InfrastructureNeeds:
    """Return needs with no segment (a park without planned lines)."""
    empty_f = np.zeros(0, dtype=float)
    return InfrastructureNeeds(
        segment_id=np.zeros(0, dtype=str),
        kind=np.zeros(0, dtype=str),
        length_m=empty_f,
        cost_wan_yuan=empty_f,
        penalty_mu=empty_f,
        indptr=np.zeros(n + 1, dtype=np.int64),
        indices=np.zeros(0, dtype=np.int64),
        geometry=np.zeros(0, dtype=object),
    )


def _width(lines: gpd.GeoDataFrame) -> FloatArray:
    if s.WIDTH_M not in lines:
        return np.zeros(len(lines))
    out: FloatArray = (
        pd.to_numeric(lines[s.WIDTH_M], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    )
    return out


def _cut(line: shapely.LineString, max_m: float) -> list[shapely.LineString]:
    """Cut a line into equal pieces of at most ``max_m`` metres."""
    length = float(line.length)
    pieces = max(1, int(np.ceil(length / max_m - 1e-9)))
    step = length / pieces
    return [shapely.ops.substring(line, k * step, (k + 1) * step) for k in range(pieces)]


def _built_lines(infrastructure: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the built roads and utility lines of the kinds the plan counts."""
    kinds = infrastructure[s.KIND].astype(str)
    out: gpd.GeoDataFrame = infrastructure[
        kinds.isin([str(k) for k in INFRASTRUCTURE_KINDS])
        & (infrastructure[s.STATUS].astype(str) == s.InfrastructureStatus.BUILT)
    ]
    return out


def _junctions(
    line: shapely.LineString, kind: str, built: gpd.GeoDataFrame
) -> list[tuple[float, str]]:
    """Where ``line`` joins a built line of ``kind``: (measure along ``line``, infra_id)."""
    if built.empty:
        return []
    same = built[built[s.KIND].astype(str) == kind]
    geoms = same.geometry.to_numpy()
    near = shapely.dwithin(geoms, line, JOIN_TOLERANCE_M)
    ids = (
        same[s.INFRA_ID].astype(str).to_numpy()
        if s.INFRA_ID in same
        else np.array([f"built-{k + 1}" for k in range(len(same))])
    )
    out = []
    for geom, infra_id in zip(geoms[near], ids[near], strict=True):
        point = shapely.shortest_line(line, geom)
        out.append((float(line.project(shapely.get_point(point, 0))), str(infra_id)))
    return sorted(out)


def _trace(start_m: float, end_m: float, junctions: list[tuple[float, str]]) -> tuple[str, float]:
    """Return the built line a piece ``[start_m, end_m]`` of a line extends, and how far on."""
    best: tuple[float, str] | None = None
    for at, infra_id in junctions:
        gap = max(start_m - at, at - end_m, 0.0)
        if best is None or (gap, infra_id) < best:
            best = (gap, infra_id)
    return ("", float("nan")) if best is None else (best[1], best[0])


def planned_segments(
    infrastructure: gpd.GeoDataFrame, *, max_m: float = SEGMENT_MAX_M
) -> gpd.GeoDataFrame:
    """Return the planned linear features cut into segments of at most ``max_m`` metres.

    Columns ``segment_id``, ``infra_id``, ``kind``, ``width_m``, ``extends`` (the built
    feature its line joins, "" when none), ``from_built_m`` (metres along the line from
    that junction to the segment) and the geometry.

    Examples
    --------
    A planned road continuing a built one, 800 m long: two pieces of 400 m, the second
    starting 400 m from the built end.

    >>> import geopandas as gpd, shapely
    >>> layer = gpd.GeoDataFrame({"infra_id": ["R1", "R2"], "kind": ["road", "road"],
    ...     "status": ["built", "planned"], "width_m": [20.0, 20.0]},
    ...     geometry=[shapely.LineString([(0, 0), (500, 0)]),
    ...               shapely.LineString([(1300, 0), (500, 0)])], crs="EPSG:4543")
    >>> planned_segments(layer)[["segment_id", "extends", "from_built_m"]].values.tolist()
    [['R2/1', 'R1', 400.0], ['R2/2', 'R1', 0.0]]
    """
    columns = ["segment_id", s.INFRA_ID, s.KIND, s.WIDTH_M, "extends", "from_built_m"]
    if infrastructure.empty or s.KIND not in infrastructure or s.STATUS not in infrastructure:
        return gpd.GeoDataFrame(columns=columns, geometry=[], crs=infrastructure.crs)
    kinds = infrastructure[s.KIND].astype(str)
    planned = infrastructure[
        kinds.isin([str(k) for k in INFRASTRUCTURE_KINDS])
        & (infrastructure[s.STATUS].astype(str) == s.InfrastructureStatus.PLANNED)
    ]
    built = _built_lines(infrastructure)
    rows: list[tuple[str, str, str, float, str, float]] = []
    geoms: list[shapely.LineString] = []
    widths = _width(planned)
    ids = (
        planned[s.INFRA_ID].astype(str).tolist()
        if s.INFRA_ID in planned
        else [f"line-{k + 1}" for k in range(len(planned))]
    )
    for infra_id, kind, width, geom in zip(
        ids, planned[s.KIND].astype(str), widths, planned.geometry, strict=True
    ):
        if geom is None or geom.is_empty:
            continue
        lines = list(geom.geoms) if geom.geom_type == "MultiLineString" else [geom]
        k = 0
        for line in lines:
            junctions = _junctions(line, kind, built)
            pieces = _cut(line, max_m)
            step = float(line.length) / len(pieces)
            for m, piece in enumerate(pieces):
                k += 1
                extends, from_built = _trace(m * step, (m + 1) * step, junctions)
                rows.append((f"{infra_id}/{k}", infra_id, kind, float(width), extends, from_built))
                geoms.append(piece)
    frame = pd.DataFrame(rows, columns=columns)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=infrastructure.crs)


def _reach(lines: gpd.GeoDataFrame, tolerance_m: float) -> npt.NDArray[np.object_]:
    width = _width(lines)
    distance = np.where(width > 0, width / 2.0 + tolerance_m, UTILITY_REACH_M)
    out: npt.NDArray[np.object_] = shapely.buffer(lines.geometry.to_numpy(), distance, quad_segs=2)
    return out


def infrastructure_needs(
    parcels: gpd.GeoDataFrame,
    infrastructure: gpd.GeoDataFrame,
    *,
    cost_wan_yuan_per_km: dict[str, float],
    penalty_mu_per_million_yuan: float,
    tolerance_m: float,
) -> InfrastructureNeeds:
    """Return the planned segments each parcel needs built to be served (module docstring).

    Parameters
    ----------
    parcels
        The parcels in node order, metric CRS.
    infrastructure
        The infrastructure layer, same CRS.
    cost_wan_yuan_per_km
        Unit cost of each kind, 万元 per km (a kind not listed costs 0).
    penalty_mu_per_million_yuan
        Objective weight, mu-equivalents per million yuan.
    tolerance_m
        Frontage tolerance beyond a line's half width, metres.
    """
    n = len(parcels)
    segments = planned_segments(infrastructure)
    if segments.empty:
        return no_needs(n)
    geoms = parcels.geometry.to_numpy()
    built = _built_lines(infrastructure)
    served = {str(k): np.zeros(n, dtype=bool) for k in INFRASTRUCTURE_KINDS}
    if not built.empty:
        part, line = shapely.STRtree(_reach(built, tolerance_m)).query(
            geoms, predicate="intersects"
        )
        built_kind = built[s.KIND].astype(str).to_numpy()
        for kind in served:
            hit = part[built_kind[line] == kind]
            served[kind][hit] = True
    seg_geom = segments.geometry.to_numpy()
    part, seg = shapely.STRtree(_reach(segments, tolerance_m)).query(geoms, predicate="intersects")
    seg_kind = segments[s.KIND].astype(str).to_numpy()
    seg_ids = segments["segment_id"].astype(str).to_numpy()
    need_pairs: set[tuple[int, int]] = set()
    if part.size:
        distance = shapely.distance(geoms[part], seg_geom[seg])
        order = np.lexsort((seg_ids[seg], distance, seg_kind[seg], part))
        seen: set[tuple[int, str]] = set()
        for k in order.tolist():
            i, f = int(part[k]), int(seg[k])
            key = (i, str(seg_kind[f]))
            if key in seen or served[key[1]][i]:
                continue
            seen.add(key)
            need_pairs.add((i, f))
    pairs = sorted(need_pairs)
    left = np.array([p[0] for p in pairs], dtype=np.int64)
    right = np.array([p[1] for p in pairs], dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, left + 1, 1)
    length = shapely.length(seg_geom).astype(float)
    unit = np.array([float(cost_wan_yuan_per_km.get(k, 0.0)) for k in seg_kind], dtype=float)
    cost = unit * length / 1000.0
    return InfrastructureNeeds(
        segment_id=seg_ids,
        kind=seg_kind,
        length_m=length,
        cost_wan_yuan=cost,
        penalty_mu=cost / WAN_YUAN_PER_MILLION * penalty_mu_per_million_yuan,
        indptr=np.cumsum(indptr),
        indices=right,
        geometry=seg_geom,
        extends=segments["extends"].astype(str).to_numpy(),
        from_built_m=segments["from_built_m"].to_numpy(dtype=float),
    )


__all__ = [
    "INFRASTRUCTURE_KINDS",
    "JOIN_TOLERANCE_M",
    "SEGMENT_MAX_M",
    "UTILITY_REACH_M",
    "WAN_YUAN_PER_MILLION",
    "InfrastructureNeeds",
    "infrastructure_needs",
    "no_needs",
    "planned_segments",
]
