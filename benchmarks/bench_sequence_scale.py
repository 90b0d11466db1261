"""Scaling benchmark of the phase planner: time and peak memory for 1k, 10k and 100k parcels.

Generated parks (:func:`make_grid_park`) are grids of street blocks separated by roads of
18-40 m, each block cut into parcels with random merges; a corner of the park is developed,
the trunk road is built, the rest of the roads are planned. The script times the whole
default pipeline, ``zoning.sequence(park, quota_mu=..., phases=5)`` (adjacency graph,
seeds, heuristic, metrics), the adjacency graph alone with its exact shortcuts and measuring
every pair (the graph before the shortcuts; the two edge sets are compared), the pipeline
as it was before them (every-pair graph plus the plan on it), and reports the peak memory
of the process (``ru_maxrss``, which only grows, so sizes run from small to large) and the
peak Python allocation during the call (tracemalloc, in a second, untimed run, because
tracing slows Python down).

Usage::

    python benchmarks/bench_sequence_scale.py            # 1k, 10k, 100k parcels
    python benchmarks/bench_sequence_scale.py 1000 5000  # chosen sizes

The 10k run must take less than 30 s on a 2-core machine.
"""

from __future__ import annotations

import math
import os
import resource
import sys
import time
import tracemalloc

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import zoning
from zoning.park import Park, build_park
from zoning.planning.adjacency import ParcelAdjacency, _build_adjacency
from zoning.rulebook import build_rulebook

#: origin of generated parks in EPSG:4543 (near Qiaotou, Datong County)
X0, Y0 = 470_000.0, 4_080_000.0
BLOCK_W_M, BLOCK_H_M = 240.0, 180.0
ROAD_WIDTHS_M = (18.0, 24.0, 40.0)
TIME_LIMIT_10K_S = 30.0

ZONE_FIELDS = {
    "permitted": ["3252"],
    "conditional": [],
    "prohibited": [],
    "max_industrial_class": "100102",
}


def make_grid_park(
    blocks_x: int,
    blocks_y: int,
    *,
    rng: np.random.Generator,
    cells: tuple[int, int] = (3, 2),
    merge_share: float = 0.25,
    developed_share: float = 0.12,
    protected_share: float = 0.03,
    zones: int = 4,
    held_zone_opens: int | None = 3,
    scatter: bool = False,
    shuffle_priorities: bool = False,
    planned_water: bool = False,
) -> Park:
    """Build a park of ``blocks_x`` x ``blocks_y`` street blocks, cut into parcels.

    Zones are vertical strips of block columns, with priorities 1..``zones`` from west to
    east; the last zone is in ``maintain_current`` mode and opens from phase
    ``held_zone_opens`` (never when ``None``). Development starts in the south-west corner
    (the first blocks in row-major order) and the southern trunk road is built. With
    ``scatter`` the developed blocks are drawn at random instead, and with
    ``shuffle_priorities`` the zones' priorities are a random permutation. With
    ``planned_water`` a planned water main (no width: it reaches parcels within 25 m) runs
    along the street between the first and second rows of blocks, so that opening the land
    along it means building it.
    """
    zones = max(1, min(zones, blocks_x))
    widths = rng.choice(ROAD_WIDTHS_M, size=blocks_x + 1)
    heights = rng.choice(ROAD_WIDTHS_M, size=blocks_y + 1)
    xs = np.concatenate([[0.0], np.cumsum(BLOCK_W_M + widths[:-1])])
    ys = np.concatenate([[0.0], np.cumsum(BLOCK_H_M + heights[:-1])])
    cx, cy = cells
    geoms: list[shapely.Geometry] = []
    block_rank: list[int] = []
    for by in range(blocks_y):
        for bx in range(blocks_x):
            x0, y0 = xs[bx] + widths[bx] / 2, ys[by] + heights[by] / 2
            cw, ch = BLOCK_W_M / cx, BLOCK_H_M / cy
            taken = np.zeros((cx, cy), dtype=bool)
            for j in range(cy):
                for i in range(cx):
                    if taken[i, j]:
                        continue
                    w = 1
                    if i + 1 < cx and not taken[i + 1, j] and rng.random() < merge_share:
                        w = 2
                    taken[i : i + w, j] = True
                    geoms.append(
                        shapely.box(
                            X0 + x0 + i * cw,
                            Y0 + y0 + j * ch,
                            X0 + x0 + (i + w) * cw,
                            Y0 + y0 + (j + 1) * ch,
                        )
                    )
                    block_rank.append(by * blocks_x + bx)
    n = len(geoms)
    rank = np.asarray(block_rank)
    status = np.full(n, "vacant", dtype=object)
    n_blocks = blocks_x * blocks_y
    developed_blocks = max(1, round(developed_share * n_blocks))
    if scatter:
        chosen = rng.choice(n_blocks, size=developed_blocks, replace=False)
        status[np.isin(rank, chosen)] = "developed"
    else:
        # the developed corner: the first blocks along the southern rows
        status[rank < developed_blocks] = "developed"
    committed = (status == "vacant") & (rng.random(n) < 0.03)
    status[committed] = "committed"
    protected = (status == "vacant") & (rng.random(n) < protected_share)
    status[protected] = "protected"
    zone_of_col = np.minimum((np.arange(blocks_x) * zones) // blocks_x, zones - 1)
    zone_ids = [f"z{i + 1}" for i in range(zones)]
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": [f"P{i:06d}" for i in range(n)],
            "land_use_code": ["100102"] * n,
            "status": status,
        },
        geometry=geoms,
        crs="EPSG:4543",
    )
    zone_geoms = []
    for z in range(zones):
        cols = np.flatnonzero(zone_of_col == z)
        left = xs[cols[0]]
        right = xs[cols[-1] + 1] if cols[-1] + 1 < len(xs) else xs[-1] + BLOCK_W_M + widths[-1]
        zone_geoms.append(
            shapely.box(X0 + left, Y0, X0 + right, Y0 + ys[-1] + BLOCK_H_M + heights[-1])
        )
    priorities = list(range(1, zones + 1))
    if shuffle_priorities:
        priorities = [int(p) for p in rng.permutation(priorities)]
    modes = ["priority_contiguous"] * zones
    modes[-1] = "maintain_current"
    zones_gdf = gpd.GeoDataFrame(
        {
            "zone_id": zone_ids,
            "name_zh": zone_ids,
            "name_en": zone_ids,
            **{k: [v] * zones for k, v in ZONE_FIELDS.items()},
            "priority": priorities,
            "development_mode": modes,
        },
        geometry=zone_geoms,
        crs="EPSG:4543",
    )
    trunk_y = Y0  # centre line of the southern road
    roads = gpd.GeoDataFrame(
        {
            "infra_id": ["R-trunk", "R-north"],
            "kind": ["road", "road"],
            "name": ["trunk", "north"],
            "status": ["built", "planned"],
            "width_m": [float(heights[0]), float(heights[-1])],
            "source": ["generated", "generated"],
        },
        geometry=[
            shapely.LineString([(X0, trunk_y), (X0 + xs[-1] + BLOCK_W_M, trunk_y)]),
            shapely.LineString(
                [
                    (X0, Y0 + ys[-1] + BLOCK_H_M + heights[-1] / 2),
                    (X0 + xs[-1], Y0 + ys[-1] + BLOCK_H_M),
                ]
            ),
        ],
        crs="EPSG:4543",
    )
    if planned_water and blocks_y > 1:
        street_y = Y0 + ys[1] - heights[1] / 2
        water = gpd.GeoDataFrame(
            {
                "infra_id": ["W-planned"],
                "kind": ["water_main"],
                "name": ["planned water main"],
                "status": ["planned"],
                "width_m": [float("nan")],
                "source": ["generated"],
            },
            geometry=[shapely.LineString([(X0, street_y), (X0 + xs[-1] + BLOCK_W_M, street_y)])],
            crs="EPSG:4543",
        )
        roads = pd.concat([roads, water], ignore_index=True)
    rulebook = build_rulebook(
        {
            "rulebook": {"park_id": "grid", "name": "Generated grid park", "version": "bench"},
            "industries": [
                {
                    "code": "3252",
                    "name_zh": "铝压延加工",
                    "name_en": "Aluminium rolling",
                    "land_use_code": "100102",
                }
            ],
            "sequencing": {
                "open_from_phase": {}
                if held_zone_opens is None
                else {zone_ids[-1]: held_zone_opens}
            },
        }
    )
    return build_park({"zones": zones_gdf, "parcels": parcels, "infrastructure": roads}, rulebook)


def park_with_about(n_parcels: int, *, rng: np.random.Generator) -> Park:
    """A generated park with about ``n_parcels`` parcels (square-ish grid of blocks)."""
    per_block = 6 * (1 - 0.25 / 2)  # 3 x 2 cells, a quarter merged in pairs
    blocks = max(1, round(n_parcels / per_block))
    bx = max(1, round(math.sqrt(blocks * 1.3)))
    by = max(1, round(blocks / bx))
    return make_grid_park(bx, by, rng=rng)


def _rss_mib() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _time_graph(park: Park, *, shortcuts: bool) -> tuple[float, ParcelAdjacency]:
    """Build the adjacency of the parcels sorted by id, as ``zoning.sequence`` does."""
    rules = park.rulebook.sequencing
    ordered = park.parcels.sort_values("parcel_id", kind="stable")
    started = time.perf_counter()
    adjacency = _build_adjacency(
        ordered, rules.min_shared_boundary_m, rules.max_road_gap_m, shortcuts=shortcuts
    )
    return time.perf_counter() - started, adjacency


def _edge_set(adjacency: ParcelAdjacency) -> set[tuple[int, int, int]]:
    return set(
        zip(
            adjacency.left.tolist(),
            adjacency.right.tolist(),
            adjacency.kind.tolist(),
            strict=True,
        )
    )


def main(sizes: list[int]) -> int:
    print(
        f"zoning {zoning.__version__}: phase-planner scaling (heuristic), {os.cpu_count()} CPU(s)"
    )
    print(
        "graph s: the adjacency graph as built now; 'every pair': the same graph measuring "
        "every pair (before the shortcuts); plan s: zoning.sequence end to end (graph "
        "included); 'before': the every-pair graph plus the plan on it."
    )
    print(
        f"{'parcels':>8} {'vacant':>7} {'edges':>8} {'park s':>7} {'graph s':>8} "
        f"{'every pair':>10} {'ratio':>6} {'same':>5} {'plan s':>7} {'before':>7} "
        f"{'opened':>7} {'peak RSS MiB':>13} {'py peak MiB':>12}"
    )
    failed = False
    for size in sizes:
        rng = np.random.default_rng(size)
        started = time.perf_counter()
        park = park_with_about(size, rng=rng)
        built = time.perf_counter() - started
        quota = float(park.parcels["area_mu"].sum()) * 0.08
        started = time.perf_counter()
        plan = zoning.sequence(park, quota_mu=quota, phases=5)
        elapsed = time.perf_counter() - started
        rss = _rss_mib()
        graph_s, adjacency = _time_graph(park, shortcuts=True)
        every_s, reference = _time_graph(park, shortcuts=False)
        started = time.perf_counter()
        zoning.sequence(park, quota_mu=quota, phases=5, adjacency=reference)
        before = every_s + time.perf_counter() - started
        same = _edge_set(adjacency) == _edge_set(reference)
        tracemalloc.start()
        zoning.sequence(park, quota_mu=quota, phases=5, adjacency=adjacency)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        vacant = int((park.parcels["status"] == "vacant").sum())
        opened = int(plan.parcels["phase"].notna().sum())
        print(
            f"{len(park.parcels):>8} {vacant:>7} {len(adjacency.left):>8} {built:>7.1f} "
            f"{graph_s:>8.2f} {every_s:>10.2f} {every_s / graph_s:>6.2f} {same!s:>5} "
            f"{elapsed:>7.2f} {before:>7.2f} {opened:>7} {rss:>13.0f} {peak / 2**20:>12.0f}",
            flush=True,
        )
        if not same:
            print(f"FAIL: {len(park.parcels)} parcels: the graph differs from every pair measured")
            failed = True
        if 9_000 <= len(park.parcels) <= 11_000 and elapsed >= TIME_LIMIT_10K_S:
            limit = TIME_LIMIT_10K_S
            print(f"FAIL: {len(park.parcels)} parcels took {elapsed:.1f} s (limit {limit} s)")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    sys.exit(main(args))
