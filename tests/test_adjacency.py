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
