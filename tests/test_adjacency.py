"""The parcel adjacency graph on hand-made layouts, compared as sets of edges."""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from zoning import schema as s
from zoning.planning.adjacency import (
    CORNER_GUARD_M,
    build_parcel_adjacency,
    build_parcel_graph,
    find_serviced_parcels,
)

SHARED = s.AdjacencyKind.SHARED
ACROSS = s.AdjacencyKind.ACROSS_ROAD
X0, Y0 = 470_000.0, 4_080_000.0


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def frame(geoms: dict[str, shapely.Geometry | None]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"parcel_id": list(geoms)}, geometry=list(geoms.values()), crs="EPSG:4543"
    )


def edges(graph: nx.Graph) -> set[tuple[str, str, str]]:
    """The graph as a set of (a, b, kind) with a < b."""
    return {(*sorted((a, b)), str(kind)) for a, b, kind in graph.edges(data=s.KIND)}


def graph_of(
    geoms: dict[str, shapely.Geometry | None], *, min_shared: float = 10.0, gap: float = 45.0
) -> nx.Graph:
    return build_parcel_graph(frame(geoms), min_shared_boundary_m=min_shared, max_road_gap_m=gap)


# a catalogue of layouts and the edges they must give (min_shared 10 m, gap 45 m)
LAYOUTS: dict[str, tuple[dict[str, shapely.Geometry | None], set[tuple[str, str, str]]]] = {
    "shared-edge": (
        {"a": box(0, 0, 100, 100), "b": box(100, 0, 200, 100)},
        {("a", "b", SHARED)},
    ),
    "partial-shared-edge": (
        {"a": box(0, 0, 100, 100), "b": box(100, 60, 200, 160)},
        {("a", "b", SHARED)},
    ),
    "corner-touch": (
        {"a": box(0, 0, 100, 100), "b": box(100, 100, 200, 200)},
        set(),
    ),
    "short-shared-edge": (
        {"a": box(0, 0, 100, 100), "b": box(100, 95, 200, 195)},
        set(),
    ),
    "across-road-20m": (
        {"a": box(0, 0, 100, 100), "b": box(120, 0, 220, 100)},
        {("a", "b", ACROSS)},
    ),
    "across-road-40m": (
        {"a": box(0, 0, 100, 100), "b": box(140, 0, 240, 100)},
        {("a", "b", ACROSS)},
    ),
    "road-wider-than-gap": (
        {"a": box(0, 0, 100, 100), "b": box(150, 0, 250, 100)},
        set(),
    ),
    "diagonal-across-crossroads": (
        {"a": box(0, 0, 100, 100), "b": box(120, 120, 220, 220)},
        set(),
    ),
    "offset-across-road": (
        {"a": box(0, 0, 100, 100), "b": box(120, 70, 220, 170)},
        {("a", "b", ACROSS)},
    ),
    "barely-facing-across-road": (
        {"a": box(0, 0, 100, 100), "b": box(120, 95, 220, 195)},
        set(),
    ),
    "end-to-end-across-road": (
        {"a": box(0, 0, 100, 100), "b": box(130, 100, 230, 200)},
        set(),
    ),
    "narrow-parcel-between": (
        {"a": box(0, 0, 100, 100), "m": box(100, 0, 130, 100), "c": box(130, 0, 230, 100)},
        {("a", "m", SHARED), ("c", "m", SHARED)},
    ),
    "parcel-in-a-hole": (
        {
            "ring": shapely.Polygon(
                box(0, 0, 300, 300).exterior.coords, [box(100, 100, 200, 200).exterior.coords]
            ),
            "inner": box(100, 100, 200, 200),
        },
        {("inner", "ring", SHARED)},
    ),
    "multipart-parcel": (
        {
            "multi": shapely.MultiPolygon([box(0, 0, 100, 100), box(300, 0, 400, 100)]),
            "left": box(-100, 0, 0, 100),
            "right": box(400, 0, 500, 100),
            "middle": box(150, 0, 250, 100),
        },
        {("left", "multi", SHARED), ("multi", "right", SHARED)},
    ),
    "centimetre-gap-still-shared": (
        {"a": box(0, 0, 100, 100), "b": box(100.01, 0, 200, 100)},
        {("a", "b", SHARED)},
    ),
    "sliver-overlap-still-shared": (
        {"a": box(0, 0, 100.02, 100), "b": box(100, 0, 200, 100)},
        {("a", "b", SHARED)},
    ),
    "isolated-parcel": (
        {"a": box(0, 0, 100, 100), "far": box(1000, 1000, 1100, 1100)},
        set(),
    ),
}


@pytest.mark.parametrize(("layout", "expected"), LAYOUTS.values(), ids=LAYOUTS.keys())
def test_edges_of_hand_made_layouts(
    layout: dict[str, shapely.Geometry], expected: set[tuple[str, str, str]]
) -> None:
    graph = graph_of(layout)
    assert edges(graph) == {(a, b, str(k)) for a, b, k in expected}
    assert set(graph.nodes) == set(layout)


def test_lengths_are_metres_of_shared_and_facing_boundary() -> None:
    graph = graph_of(LAYOUTS["partial-shared-edge"][0])
    assert graph.edges["a", "b"][s.SHARED_LENGTH_M] == pytest.approx(40.0, abs=0.1)
    graph = graph_of(LAYOUTS["offset-across-road"][0])
    # the facing stretch is 30 m (the buffers' polygonal arcs cost ~1 %)
    assert graph.edges["a", "b"][s.SHARED_LENGTH_M] == pytest.approx(30.0, abs=1.0)
    graph = graph_of(LAYOUTS["across-road-20m"][0])
    # ends lined up: never longer than the 100 m facing, short by at most 0.21 * gap
    facing = graph.edges["a", "b"][s.SHARED_LENGTH_M]
    assert 100.0 - 0.21 * 45.0 <= facing <= 100.0 + 1.0
    graph = graph_of(LAYOUTS["parcel-in-a-hole"][0])
    assert graph.edges["inner", "ring"][s.SHARED_LENGTH_M] == pytest.approx(400.0, abs=0.1)


@pytest.mark.parametrize(
    ("min_shared", "expected"),
    [(4.0, {("a", "b", SHARED)}), (10.0, set()), (0.0, {("a", "b", SHARED)})],
    ids=["below-threshold-counts", "above-threshold-drops", "zero-threshold"],
)
def test_threshold_on_shared_length(min_shared: float, expected: set[tuple[str, str, str]]) -> None:
    layout = {"a": box(0, 0, 100, 100), "b": box(100, 95, 200, 195)}  # 5 m shared
    assert edges(graph_of(layout, min_shared=min_shared)) == expected


@pytest.mark.parametrize("min_shared", [0.0, 1.0], ids=["zero", "one-metre"])
def test_corner_touch_never_counts_whatever_the_threshold(min_shared: float) -> None:
    layout = {"a": box(0, 0, 100, 100), "b": box(100, 100, 200, 200)}
    assert edges(graph_of(layout, min_shared=min_shared, gap=0.0)) == set()
    assert CORNER_GUARD_M > 0


def test_gap_zero_turns_roads_off() -> None:
    assert edges(graph_of(LAYOUTS["across-road-20m"][0], gap=0.0)) == set()


def test_nodes_are_index_labels_without_parcel_id() -> None:
    gdf = gpd.GeoDataFrame(
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], index=[7, 9], crs="EPSG:4543"
    )
    graph = build_parcel_graph(gdf, min_shared_boundary_m=5, max_road_gap_m=0)
    assert set(graph.edges) == {(7, 9)}


def test_missing_and_empty_geometries_get_no_neighbours() -> None:
    layout = {"a": box(0, 0, 100, 100), "b": box(100, 0, 200, 100), "none": None}
    layout["empty"] = shapely.Polygon()
    graph = graph_of(layout)
    assert edges(graph) == {("a", "b", str(SHARED))}
    assert graph.degree("none") == 0
    assert graph.degree("empty") == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_shared_boundary_m": -1.0, "max_road_gap_m": 45.0}, "min_shared_boundary_m"),
        ({"min_shared_boundary_m": 10.0, "max_road_gap_m": -5.0}, "max_road_gap_m"),
        ({"min_shared_boundary_m": math.nan, "max_road_gap_m": 45.0}, "min_shared_boundary_m"),
    ],
    ids=["negative-shared", "negative-gap", "nan-shared"],
)
def test_bad_thresholds_raise(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        build_parcel_graph(frame(LAYOUTS["shared-edge"][0]), **kwargs)


def test_degrees_are_refused() -> None:
    gdf = frame(LAYOUTS["shared-edge"][0]).to_crs("EPSG:4326")
    with pytest.raises(ValueError, match="geographic CRS"):
        build_parcel_graph(gdf, min_shared_boundary_m=10, max_road_gap_m=45)


def test_graph_matches_brute_force_on_a_street_grid() -> None:
    """Blocks of 2 x 2 parcels with 20 m roads: each parcel has 2 shared and 2 road edges."""
    geoms = {}
    for bx in range(3):
        for by in range(3):
            for i in range(2):
                for j in range(2):
                    x, y = bx * 220 + i * 100, by * 220 + j * 100
                    geoms[f"{bx}{by}{i}{j}"] = box(x, y, x + 100, y + 100)
    graph = graph_of(geoms)
    expected = set()
    names = list(geoms)
    for a in names:
        for b in names:
            if a >= b:
                continue
            ga, gb = geoms[a], geoms[b]
            d = ga.distance(gb)
            shared = ga.boundary.intersection(gb.boundary).length
            if shared >= 10:
                expected.add((a, b, str(SHARED)))
            elif 0 < d <= 45:
                ax0, ay0, ax1, ay1 = ga.bounds
                bx0, by0, bx1, by1 = gb.bounds
                overlap = max(min(ax1, bx1) - max(ax0, bx0), min(ay1, by1) - max(ay0, by0))
                if overlap >= 10:
                    expected.add((a, b, str(ACROSS)))
    assert edges(graph) == expected
    assert {str(k) for *_, k in expected} == {str(SHARED), str(ACROSS)}


@st.composite
def tilings(draw: st.DrawFn) -> list[shapely.Polygon]:
    """Parcels tiling a grid, with some cells merged and some left out (holes)."""
    nx_, ny_ = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    size = draw(st.floats(20, 120))
    cells = [(i, j) for i in range(nx_) for j in range(ny_)]
    dropped = draw(st.sets(st.sampled_from(cells), max_size=len(cells) // 3))
    parcels = []
    taken: set[tuple[int, int]] = set(dropped)
    for i, j in cells:
        if (i, j) in taken:
            continue
        width = 2 if i + 1 < nx_ and (i + 1, j) not in taken and draw(st.booleans()) else 1
        taken.update((i + k, j) for k in range(width))
        parcels.append(box(i * size, j * size, (i + width) * size, (j + 1) * size))
    return parcels


@settings(max_examples=40, deadline=None)
@given(tilings())
def test_contacts_give_the_perimeter_of_any_union(parcels: list[shapely.Polygon]) -> None:
    """Summed perimeters less twice the contacts is the perimeter of the union."""
    gdf = gpd.GeoDataFrame(geometry=parcels, crs="EPSG:4543")
    adj = build_parcel_adjacency(gdf, min_shared_boundary_m=10, max_road_gap_m=0)
    rng = np.random.default_rng(len(parcels))
    chosen = rng.random(len(parcels)) < 0.6
    inside = chosen[adj.contact_left] & chosen[adj.contact_right]
    perimeter = shapely.length(gdf.geometry.to_numpy()[chosen]).sum()
    perimeter -= 2 * adj.contact_length_m[inside].sum()
    union = shapely.union_all(gdf.geometry.to_numpy()[chosen])
    assert perimeter == pytest.approx(union.length, abs=1e-6 * max(union.length, 1.0) + 1e-6)
    # and neighbours are symmetric, sorted, without self-loops
    assert (adj.left < adj.right).all()
    indptr, _indices = adj.csr()
    assert indptr[-1] == 2 * adj.left.size


def test_serviced_parcels_front_built_lines_only() -> None:
    parcels = frame(
        {
            "on-road": box(0, 12, 100, 112),  # 12 m from the centre line of a 24 m road
            "behind": box(0, 112, 100, 212),
            "on-planned": box(300, 12, 400, 112),
            "near-plant": box(600, 12, 700, 112),
            "on-water-main": box(0, -60, 100, -4),
        }
    )
    infra = gpd.GeoDataFrame(
        {
            "kind": ["road", "road", "wastewater_plant", "water_main"],
            "status": ["built", "planned", "built", "built"],
            "width_m": [24.0, 24.0, np.nan, np.nan],
        },
        geometry=[
            shapely.LineString([(X0 - 50, Y0), (X0 + 150, Y0)]),
            shapely.LineString([(X0 + 250, Y0), (X0 + 450, Y0)]),
            shapely.Point(X0 + 650, Y0),
            shapely.LineString([(X0 - 50, Y0 - 1), (X0 + 150, Y0 - 1)]),
        ],
        crs="EPSG:4543",
    )
    serviced = find_serviced_parcels(parcels, infra)
    assert dict(zip(parcels["parcel_id"], serviced, strict=True)) == {
        "on-road": True,
        "behind": False,
        "on-planned": False,
        "near-plant": False,
        "on-water-main": True,
    }
    assert serviced.index.equals(parcels.index)


def test_serviced_with_empty_infrastructure() -> None:
    parcels = frame(LAYOUTS["shared-edge"][0])
    empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4543")
    assert not find_serviced_parcels(parcels, empty).any()


def test_bundled_park_graph_is_connected_and_uses_both_kinds() -> None:
    import zoning

    park = zoning.load_park()
    settings_ = park.rulebook.sequencing
    graph = build_parcel_graph(
        park.parcels,
        min_shared_boundary_m=settings_.min_shared_boundary_m,
        max_road_gap_m=settings_.max_road_gap_m,
    )
    assert graph.number_of_nodes() == len(park.parcels)
    kinds = {k for *_, k in graph.edges(data=s.KIND)}
    assert kinds == {str(SHARED), str(ACROSS)}
    # the built-up strip along the valley is one piece of land across its roads
    assert nx.number_connected_components(graph) == 1


def test_a_parcel_in_the_road_blocks_only_where_it_stands() -> None:
    """A kiosk between two parcels across a road blocks them; one off to the side does not."""
    base = {"a": box(0, 0, 100, 100), "b": box(120, 0, 220, 100)}
    blocked = graph_of({**base, "kiosk": box(102, 0, 118, 100)})
    assert ("a", "b", str(ACROSS)) not in edges(blocked)
    aside = graph_of({**base, "kiosk": box(102, 150, 118, 170)})
    assert ("a", "b", str(ACROSS)) in edges(aside)


# -- the shortcuts of build_parcel_adjacency change nothing -------------------------------------
# The reference below measures every pair the spatial index returns, both directions of every
# contact and the meeting strip of every pair within the gap: the rules without the bounds
# that let the module skip pairs. The fast path must give the same edges and lengths.


def _reference_pairs(
    geoms: np.ndarray, min_shared: float, gap: float
) -> tuple[set[tuple[int, int, int]], dict[tuple[int, int], float]]:
    from zoning.planning import adjacency as adj

    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="dwithin", distance=adj.SNAP_TOLERANCE_M)
    a, b = a[a < b], b[a < b]
    boundary, grown = (
        shapely.boundary(geoms),
        shapely.buffer(geoms, adj.SNAP_TOLERANCE_M, quad_segs=2),
    )
    ab = adj._run_length(shapely.intersection(boundary[a], grown[b]))
    ba = adj._run_length(shapely.intersection(boundary[b], grown[a]))
    length = np.minimum(ab, ba)
    contacts = {(int(i), int(j)): float(v) for i, j, v in zip(a, b, length, strict=True) if v > 0}
    threshold = max(min_shared, np.nextafter(adj.CORNER_GUARD_M, np.inf))
    found = {(i, j, 0) for (i, j), v in contacts.items() if v >= threshold}
    shared = {(i, j) for i, j, _ in found}
    if gap <= 0:  # no road gap: only shared boundaries join parcels (build_parcel_adjacency)
        return found, contacts
    c, d = tree.query(geoms, predicate="dwithin", distance=gap)
    pairs = [(int(i), int(j)) for i, j in zip(c, d, strict=True) if i < j and (i, j) not in shared]
    if not pairs:
        return found, contacts
    c, d = np.array(pairs).T
    half = shapely.buffer(geoms, gap / 2.0, quad_segs=adj.BUFFER_QUAD_SEGS)
    meet = shapely.intersection(half[c], half[d])
    cap = adj._cap_m(shapely.distance(geoms[c], geoms[d]), gap / 2.0)
    facing = adj._long_side(meet) - 2.0 * cap
    ok = facing >= max(min_shared, adj.CORNER_GUARD_M)
    c, d, meet = c[ok], d[ok], meet[ok]
    middle = shapely.centroid(meet)
    ends = [shapely.get_point(shapely.shortest_line(middle, geoms[side]), 1) for side in (c, d)]
    lines = shapely.linestrings(np.stack([shapely.get_coordinates(e) for e in ends], axis=1))
    for k, line in enumerate(lines):
        others = [o for o in tree.query(line, predicate="intersects") if o not in (c[k], d[k])]
        if all(shapely.touches(line, geoms[o]) for o in others):
            found.add((int(c[k]), int(d[k]), 1))
    return found, contacts


def _jittered_grid(rng: np.random.Generator, n_side: int, angle_deg: float) -> np.ndarray:
    """Blocks of 2 x 2 irregular parcels (shared jittered vertices) with roads of 15-50 m,
    rotated: the bounding boxes do not follow the streets."""
    geoms = []
    for bx in range(n_side):
        for by in range(n_side):
            road = rng.uniform(15, 50)
            x0, y0 = bx * (200 + road), by * (160 + road)
            xs = x0 + np.array([0, 100, 200]) + np.r_[0, rng.uniform(-20, 20), 0]
            ys = y0 + np.array([0, 80, 160]) + np.r_[0, rng.uniform(-15, 15), 0]
            for i in range(2):
                for j in range(2):
                    geoms.append(
                        shapely.Polygon(
                            [
                                (xs[i], ys[j]),
                                (xs[i + 1], ys[j]),
                                (xs[i + 1], ys[j + 1]),
                                (xs[i], ys[j + 1]),
                            ]
                        )
                    )
    rotated = shapely.affinity.rotate(shapely.GeometryCollection(geoms), angle_deg, (0, 0))
    return np.asarray([shapely.affinity.translate(g, X0, Y0) for g in rotated.geoms], dtype=object)


def _assert_same_as_reference(geoms: np.ndarray, min_shared: float, gap: float) -> int:
    frame_ = gpd.GeoDataFrame(geometry=list(geoms), crs="EPSG:4543")
    fast = build_parcel_adjacency(frame_, min_shared_boundary_m=min_shared, max_road_gap_m=gap)
    edges_ref, contacts_ref = _reference_pairs(geoms, min_shared, gap)
    fast_edges = set(zip(fast.left.tolist(), fast.right.tolist(), fast.kind.tolist(), strict=True))
    assert fast_edges == edges_ref
    fast_contacts = dict(
        zip(
            zip(fast.contact_left.tolist(), fast.contact_right.tolist(), strict=True),
            fast.contact_length_m.tolist(),
            strict=True,
        )
    )
    assert fast_contacts.keys() == contacts_ref.keys()
    for key, value in contacts_ref.items():
        assert fast_contacts[key] == pytest.approx(value)
    return len(edges_ref)


@pytest.mark.parametrize("angle_deg", [0.0, 17.0, 45.0])
def test_fast_adjacency_has_the_edges_of_every_pair_measured(angle_deg: float) -> None:
    geoms = _jittered_grid(np.random.default_rng(7), 5, angle_deg)
    count = _assert_same_as_reference(geoms, 10.0, 45.0)
    assert count > len(geoms)  # shared and across-road edges both found


def test_fast_adjacency_has_the_edges_of_every_pair_measured_on_the_bundled_park() -> None:
    import zoning

    park = zoning.load_park()
    geoms = np.asarray(park.parcels.geometry.to_numpy(), dtype=object)
    rules = park.rulebook.sequencing
    _assert_same_as_reference(geoms, rules.min_shared_boundary_m, rules.max_road_gap_m)


@settings(max_examples=30, deadline=None)
@given(
    tilings(),
    st.floats(0, 90),
    st.floats(0, 30),
    st.sampled_from([0.0, 20.0, 45.0]),
)
def test_fast_adjacency_equals_the_reference_on_any_tiling(
    parcels: list[shapely.Polygon], angle_deg: float, min_shared: float, gap: float
) -> None:
    """Tilings with holes, pulled apart every 100 m to open roads, and rotated."""
    moved = [
        shapely.affinity.translate(p, 25.0 * ((p.bounds[0] - X0) // 100), 0.0) for p in parcels
    ]
    collection = shapely.affinity.rotate(shapely.GeometryCollection(moved), angle_deg, (X0, Y0))
    _assert_same_as_reference(np.asarray(list(collection.geoms), dtype=object), min_shared, gap)
