"""The phase planner: invariants on generated layouts (Hypothesis), errors, projects, contract."""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import zoning
from zoning import schema as s
from zoning.errors import InfeasiblePlanError, InputError
from zoning.park import Park, build_park
from zoning.planning import (
    SOLVERS,
    ObjectiveWeights,
    PhasePlan,
    SequencingOptions,
    build_sequencing_problem,
    evaluate_plan,
    sequence,
)
from zoning.planning.adjacency import build_parcel_graph, find_serviced_parcels
from zoning.rulebook import build_rulebook

X0, Y0 = 470_000.0, 4_080_000.0
TOLERANCE = 1e-6


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """A generated park and the options to plan it with."""

    park: Park
    quota_mu: float
    phases: int


def make_park(
    parcels: list[tuple[str, shapely.Polygon, str]],
    zones: list[tuple[str, shapely.Polygon, int, str]],
    *,
    open_from: dict[str, int] | None = None,
    roads: list[tuple[shapely.LineString, str, float]] = (),  # type: ignore[assignment]
    max_tracts: int = 3,
) -> Park:
    """A park from (id, geometry, status) parcels and (id, geometry, priority, mode) zones."""
    zones_gdf = gpd.GeoDataFrame(
        {
            "zone_id": [z[0] for z in zones],
            "name_zh": [z[0] for z in zones],
            "name_en": [z[0] for z in zones],
            "permitted": [["3252"]] * len(zones),
            "conditional": [[]] * len(zones),
            "prohibited": [[]] * len(zones),
            "max_industrial_class": ["100102"] * len(zones),
            "priority": [z[2] for z in zones],
            "development_mode": [z[3] for z in zones],
        },
        geometry=[z[1] for z in zones],
        crs="EPSG:4543",
    )
    parcels_gdf = gpd.GeoDataFrame(
        {
            "parcel_id": [p[0] for p in parcels],
            "land_use_code": ["100102"] * len(parcels),
            "status": [p[2] for p in parcels],
        },
        geometry=[p[1] for p in parcels],
        crs="EPSG:4543",
    )
    layers = {"zones": zones_gdf, "parcels": parcels_gdf}
    if roads:
        layers["infrastructure"] = gpd.GeoDataFrame(
            {
                "infra_id": [f"R{i}" for i in range(len(roads))],
                "kind": ["road"] * len(roads),
                "name": ["road"] * len(roads),
                "status": [r[1] for r in roads],
                "width_m": [r[2] for r in roads],
                "source": ["test"] * len(roads),
            },
            geometry=[r[0] for r in roads],
            crs="EPSG:4543",
        )
    rulebook = build_rulebook(
        {
            "rulebook": {"park_id": "t", "name": "Test park", "version": "1"},
            "industries": [
                {
                    "code": "3252",
                    "name_zh": "铝压延加工",
                    "name_en": "Aluminium rolling",
                    "land_use_code": "100102",
                }
            ],
            "sequencing": {"open_from_phase": open_from or {}, "max_tracts_per_phase": max_tracts},
        }
    )
    return build_park(layers, rulebook)


STATUSES = ["vacant", "developed", "committed", "protected"]


@st.composite
def layouts(draw: st.DrawFn, *, max_cols: int = 6, max_rows: int = 5) -> Layout:
    """Grids of parcels with random merges, holes, road gaps, statuses, zones, priorities."""
    cols = draw(st.integers(2, max_cols))
    rows = draw(st.integers(2, max_rows))
    size = draw(st.sampled_from([60.0, 90.0, 120.0]))
    # gap after each column / row: 0 (shared edge), a road, or a road wider than the gap
    col_gaps = draw(
        st.lists(
            st.sampled_from([0.0, 0.0, 20.0, 40.0, 60.0]), min_size=cols - 1, max_size=cols - 1
        )
    )
    row_gaps = draw(
        st.lists(st.sampled_from([0.0, 0.0, 20.0, 40.0]), min_size=rows - 1, max_size=rows - 1)
    )
    xs = np.concatenate([[0.0], np.cumsum(size + np.asarray(col_gaps))])
    ys = np.concatenate([[0.0], np.cumsum(size + np.asarray(row_gaps))])
    n_zones = draw(st.integers(1, min(3, cols)))
    # zone boundaries fall between columns
    cuts = sorted(
        draw(st.sets(st.integers(1, cols - 1), min_size=n_zones - 1, max_size=n_zones - 1))
    )
    bounds = [0, *cuts, cols]
    zone_of_col = np.zeros(cols, dtype=int)
    for z in range(n_zones):
        zone_of_col[bounds[z] : bounds[z + 1]] = z
    priorities = draw(st.permutations(list(range(1, n_zones + 1))))
    modes = draw(
        st.lists(st.sampled_from(list(s.DevelopmentMode)), min_size=n_zones, max_size=n_zones)
    )
    open_from: dict[str, int] = {}
    zones = []
    top = ys[-1] + size
    for z in range(n_zones):
        left = xs[bounds[z]] - (col_gaps[bounds[z] - 1] / 2 if bounds[z] > 0 else 0.0)
        right_col = bounds[z + 1]
        right = (
            xs[right_col - 1] + size + (col_gaps[right_col - 1] / 2 if right_col < cols else 0.0)
        )
        zid = f"z{z}"
        zones.append((zid, box(left, -30.0, right, top + 30.0), priorities[z], str(modes[z])))
        if modes[z] == s.DevelopmentMode.MAINTAIN_CURRENT:
            opens = draw(st.one_of(st.none(), st.integers(1, 4)))
            if opens is not None:
                open_from[zid] = opens
    holes = draw(
        st.sets(
            st.tuples(st.integers(0, cols - 1), st.integers(0, rows - 1)),
            max_size=(cols * rows) // 4,
        )
    )
    parcels = []
    taken: set[tuple[int, int]] = set(holes)
    for j in range(rows):
        for i in range(cols):
            if (i, j) in taken:
                continue
            merge = (
                i + 1 < cols
                and (i + 1, j) not in taken
                and col_gaps[i] == 0.0
                and zone_of_col[i] == zone_of_col[i + 1]
                and draw(st.booleans())
            )
            width = 2 if merge else 1
            taken.update((i + k, j) for k in range(width))
            x1 = xs[i + width - 1] + size
            # mostly vacant land, with development, commitments and protected land here and there
            status = "vacant" if draw(st.integers(0, 9)) < 6 else draw(st.sampled_from(STATUSES))
            parcels.append((f"p{j:02d}{i:02d}", box(xs[i], ys[j], x1, ys[j] + size), status))
    assume(parcels)
    if draw(st.sampled_from([True, False])):  # most layouts have some development to grow from
        k = draw(st.integers(0, len(parcels) - 1))
        parcels[k] = (parcels[k][0], parcels[k][1], "developed")
    roads = []
    if draw(st.booleans()):
        roads.append(
            (
                shapely.LineString([(X0 - 10, Y0 - 10), (X0 + xs[-1] + size + 10, Y0 - 10)]),
                "built",
                20.0,
            )
        )
    if draw(st.booleans()):
        roads.append(
            (
                shapely.LineString(
                    [(X0 - 10, Y0 + top + 10), (X0 + xs[-1] + size + 10, Y0 + top + 10)]
                ),
                "planned",
                20.0,
            )
        )
    max_tracts = draw(st.sampled_from([1, 2, 3]))
    park = make_park(parcels, zones, open_from=open_from, roads=roads, max_tracts=max_tracts)
    areas = park.parcels[s.AREA_MU]
    quota = float(draw(st.sampled_from([1.5, 2.5, 4.0, 8.0, 0.9])) * areas.median())
    phases = draw(st.integers(1, 4))
    return Layout(park, quota, phases)


# --------------------------------------------------------------------------- an independent checker


def check_plan(
    park: Park, plan: PhasePlan, *, quota_mu: float, phases: int, projects: bool = False
) -> None:
    """Assert every invariant of a plan, from the plan and the park alone.

    In project-aware mode land opens in pipeline order, so the priority order of zones
    is not checked (``projects=True``).
    """
    settings_ = park.rulebook.sequencing
    parcels = plan.parcels
    assert parcels.crs.equals("EPSG:4543")
    assert len(parcels) == len(park.parcels)
    assert str(parcels[s.PHASE].dtype) == "Int64"
    ids = parcels[s.PARCEL_ID].astype(str).to_numpy()
    status = parcels[s.STATUS].astype(str).to_numpy()
    phase = parcels[s.PHASE].fillna(0).astype(int).to_numpy()
    opened = phase > 0
    area = parcels[s.AREA_MU].to_numpy(dtype=float)
    zone = parcels[s.ZONE_ID].astype(str).to_numpy()
    unscheduled = dict(zip(plan.unscheduled[s.PARCEL_ID], plan.unscheduled[s.REASON], strict=True))
    assert len(unscheduled) == len(plan.unscheduled), "a parcel is listed twice"

    # every vacant or protected parcel exactly once: in a phase or unscheduled
    built = np.isin(status, ["developed", "committed"])
    assert not opened[built].any()
    assert not set(ids[built]) & set(unscheduled)
    for pid, is_open, st_ in zip(ids, opened, status, strict=True):
        if st_ in ("vacant", "protected"):
            assert is_open != (pid in unscheduled), pid
    assert set(unscheduled.values()) <= {str(r) for r in s.UnscheduledReason}
    reasons = parcels[s.REASON].astype(object).where(parcels[s.REASON].notna(), None).tolist()
    assert {i: r for i, r in zip(ids, reasons, strict=True) if r is not None} == unscheduled
    assert ((phase >= 0) & (phase <= phases)).all()

    # protected never, held zones untouched
    assert not opened[status == "protected"].any()
    assert all(unscheduled[i] == "protected" for i in ids[status == "protected"])
    modes = dict(zip(park.zones[s.ZONE_ID], park.zones[s.DEVELOPMENT_MODE], strict=True))
    for z, mode in modes.items():
        first = settings_.open_from_phase.get(z)
        in_zone = opened & (zone == z)
        if first is not None:
            assert (phase[in_zone] >= first).all(), f"zone {z} opened before phase {first}"
        elif mode == s.DevelopmentMode.MAINTAIN_CURRENT:
            assert not in_zone.any(), f"held zone {z} was opened"

    # quotas held
    per_phase = np.bincount(phase[opened], weights=area[opened], minlength=phases + 1)[1:]
    assert (per_phase <= quota_mu * (1 + TOLERANCE)).all()
    assert np.allclose(plan.metrics[s.AREA_MU].to_numpy(), per_phase)
    assert np.allclose(plan.metrics[s.CUMULATIVE_MU].to_numpy(), np.cumsum(per_phase))

    # contiguity: every block of every phase touches earlier development or serviced frontage
    graph = build_parcel_graph(
        park.parcels,
        min_shared_boundary_m=settings_.min_shared_boundary_m,
        max_road_gap_m=settings_.max_road_gap_m,
    )
    serviced = dict(zip(ids, find_serviced_parcels(park.parcels, park.infrastructure), strict=True))
    phase_of = dict(zip(ids, phase, strict=True))
    status_of = dict(zip(ids, status, strict=True))

    def developed_before(pid: str, p: int) -> bool:
        return status_of[pid] in ("developed", "committed") or 0 < phase_of[pid] < p

    def anchored(pid: str, p: int) -> bool:
        return bool(serviced[pid]) or any(developed_before(q, p) for q in graph[pid])

    blocks = []
    for p in range(1, phases + 1):
        members = [pid for pid in ids if phase_of[pid] == p]
        pieces = list(nx.connected_components(graph.subgraph(members)))
        blocks.append(len(pieces))
        for piece in pieces:
            assert any(anchored(pid, p) for pid in piece), f"leap-frog in phase {p}: {piece}"
    assert plan.metrics[s.BLOCKS].tolist() == blocks

    # tract limit, counted independently: parcels within 45 m of each other form one tract
    limit = settings_.max_tracts_per_phase
    assert max(blocks, default=0) <= limit
    for p in range(1, phases + 1):
        assert independent_tract_count(parcels[phase == p]) <= limit, f"phase {p}"
    tracts = plan.tracts
    assert tracts.groupby(s.PHASE).size().reindex(range(1, phases + 1), fill_value=0).tolist() == (
        blocks
    )
    in_tracts = sorted(pid for ids_ in tracts[s.PARCEL_IDS] for pid in ids_)
    assert in_tracts == sorted(ids[opened])

    # priority order: lower-ranked land opens only when better-ranked anchored land is full
    priority = dict(zip(park.zones[s.ZONE_ID], park.zones[s.PRIORITY], strict=True))
    ranks = sorted(set(priority.values()))
    tier = {z: ranks.index(v) for z, v in priority.items()}

    def zone_open(z: str, p: int) -> bool:
        first = settings_.open_from_phase.get(z)
        if first is not None:
            return p >= first
        return modes[z] != s.DevelopmentMode.MAINTAIN_CURRENT

    tier_of = np.array([tier[z] for z in zone])
    for p in range(1, phases + 1):
        here = phase == p
        if not here.any() or projects:
            continue
        worst = int(tier_of[here].max())
        for k, pid in enumerate(ids):
            t = int(tier_of[k])
            if t >= worst or status[k] != "vacant" or not zone_open(zone[k], p):
                continue
            if 0 < phase[k] <= p or area[k] > quota_mu * (1 + TOLERANCE):
                continue
            tracts_full = blocks[p - 1] >= limit
            if anchored(pid, p) and not (
                tracts_full and not any(phase_of[q] == p for q in graph[pid])
            ):
                # reachable by the phase's tracts: the room left by its land of rank t or better
                room = quota_mu - float(area[here & (tier_of <= t)].sum())
                assert area[k] > room - TOLERANCE * quota_mu, (
                    f"phase {p} opened rank {worst} while {pid} (rank {t}) fitted"
                )

    # the objective and its parts add up
    assert plan.objective == pytest.approx(
        plan.reward - plan.block_penalty - plan.perimeter_penalty - plan.infrastructure_penalty
    )
    json.dumps(plan.to_dict())


def independent_tract_count(opened: gpd.GeoDataFrame, distance_m: float = 45.0) -> int:
    """Tracts of a set of parcels: connected components of "within 45 m of each other"."""
    if opened.empty:
        return 0
    geoms = opened.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=distance_m)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(geoms)))
    graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
    return nx.number_connected_components(graph)


def plan_or_cause(layout: Layout, **kwargs: Any) -> PhasePlan | None:
    """Plan a layout; when it is infeasible, check that the cause is real and return None."""
    park = layout.park
    try:
        return sequence(park, quota_mu=layout.quota_mu, phases=layout.phases, **kwargs)
    except InfeasiblePlanError as exc:
        message = str(exc)
        status = park.parcels[s.STATUS]
        serviced = find_serviced_parcels(park.parcels, park.infrastructure)
        vacant = status == "vacant"
        if "no seeds" in message:
            assert not status.isin(["developed", "committed"]).any()
            assert not (serviced & vacant).any()
        elif "no vacant parcel to open" in message:
            assert not vacant.any()
        elif "smaller than every vacant parcel" in message:
            assert (park.parcels.loc[vacant, s.AREA_MU] > layout.quota_mu).any()
        else:
            assert "no vacant parcel can be opened" in message, message
        return None


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_heuristic_plans_keep_every_invariant(layout: Layout) -> None:
    plan = plan_or_cause(layout)
    if plan is not None:
        check_plan(layout.park, plan, quota_mu=layout.quota_mu, phases=layout.phases)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_same_input_same_plan(layout: Layout) -> None:
    first = plan_or_cause(layout)
    if first is None:
        return
    second = sequence(layout.park, quota_mu=layout.quota_mu, phases=layout.phases)
    pd.testing.assert_series_equal(first.parcels[s.PHASE], second.parcels[s.PHASE])
    pd.testing.assert_frame_equal(first.unscheduled, second.unscheduled)
    # shuffling the rows of the parcels does not change the plan either
    shuffled = layout.park.parcels.sample(frac=1.0, random_state=1).reset_index(drop=True)
    park = Park(**{**layout.park.__dict__, "parcels": shuffled})
    third = sequence(park, quota_mu=layout.quota_mu, phases=layout.phases)
    by_id = third.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    expected = first.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    pd.testing.assert_series_equal(by_id.loc[expected.index], expected)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(), st.floats(0.0, 20.0), st.floats(0.0, 5.0))
def test_objective_is_the_one_evaluation_function(
    layout: Layout, block: float, perimeter: float
) -> None:
    weights = ObjectiveWeights(block_penalty_mu=block, perimeter_penalty_mu_per_km=perimeter)
    plan = plan_or_cause(layout, weights=weights)
    if plan is None:
        return
    problem = build_sequencing_problem(
        layout.park, quota_mu=layout.quota_mu, phases=layout.phases, weights=weights
    )
    phase_by_id = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE].fillna(0).astype(int)
    phase_of = phase_by_id.loc[list(problem.ids)].to_numpy()
    value = evaluate_plan(problem, phase_of)
    assert value.value == pytest.approx(plan.objective)
    assert value.block_penalty == pytest.approx(block * plan.metrics[s.BLOCKS].sum())
    check_plan(layout.park, plan, quota_mu=layout.quota_mu, phases=layout.phases)


# --------------------------------------------------------------------------- small fixed parks


def strip_park(
    statuses: list[str],
    *,
    zones: str = "a",
    open_from: dict[str, int] | None = None,
    road: bool = False,
) -> Park:
    """Parcels of 100 x 100 m in a row sharing edges; zone letters per parcel (``zones``)."""
    letters = (zones * len(statuses))[: len(statuses)] if len(zones) == 1 else zones
    parcels = [
        (f"p{i}", box(i * 100, 0, (i + 1) * 100, 100), st_) for i, st_ in enumerate(statuses)
    ]
    zone_list = []
    for z in dict.fromkeys(letters):
        cols = [i for i, c in enumerate(letters) if c == z]
        mode = "maintain_current" if z.isupper() else "priority_contiguous"
        zone_list.append(
            (z, box(cols[0] * 100, -20, (cols[-1] + 1) * 100, 120), ord(z.lower()) - 96, mode)
        )
    roads = (
        [(shapely.LineString([(X0, Y0 - 10), (X0 + 100 * len(statuses), Y0 - 10)]), "built", 20.0)]
        if road
        else []
    )
    return make_park(parcels, zone_list, open_from=open_from, roads=roads)


PARCEL_MU = 100 * 100 / (10000 / 15)  # 15 mu


def test_a_row_of_parcels_opens_outward_from_development() -> None:
    park = strip_park(["vacant", "vacant", "developed", "vacant", "vacant", "vacant"])
    plan = sequence(park, quota_mu=2 * PARCEL_MU + 0.1, phases=2)
    by_phase = plan.parcels.groupby(s.PHASE)[s.PARCEL_ID].apply(sorted).to_dict()
    # one contiguous block per phase: extending the block beats opening a second front
    assert by_phase == {1: ["p0", "p1"], 2: ["p3", "p4"]}
    assert plan.metrics[s.BLOCKS].tolist() == [1, 1]
    check_plan(park, plan, quota_mu=2 * PARCEL_MU + 0.1, phases=2)
    assert plan.metrics[s.AREA_MU].sum() == pytest.approx(4 * PARCEL_MU)
    assert plan.unscheduled[s.REASON].tolist() == ["quota_exhausted"]


def test_priority_zone_fills_first() -> None:
    # zone a (priority 1) on the left, zone b (priority 2) on the right of a developed parcel
    park = strip_park(["vacant", "vacant", "developed", "vacant", "vacant"], zones="aaabb")
    plan = sequence(park, quota_mu=2 * PARCEL_MU + 0.1, phases=2)
    by_id = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    assert by_id["p1"] == 1
    assert by_id["p0"] == 1
    assert by_id["p3"] == 2
    assert by_id["p4"] == 2
    assert plan.metrics[s.PRIORITY_SHARE].tolist() == [1.0, 1.0]


def test_held_zone_opens_from_its_phase_and_never_otherwise() -> None:
    park = strip_park(["developed", "vacant", "vacant", "vacant"], zones="aaBB", open_from={"B": 2})
    plan = sequence(park, quota_mu=10 * PARCEL_MU, phases=3)
    by_id = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    assert by_id["p1"] == 1
    assert by_id["p2"] == 2
    assert by_id["p3"] == 2
    never = strip_park(["developed", "vacant", "vacant"], zones="aaB")
    plan = sequence(never, quota_mu=10 * PARCEL_MU, phases=3)
    assert plan.unscheduled.set_index(s.PARCEL_ID)[s.REASON].to_dict() == {"p2": "zone_held"}


def test_serviced_frontage_is_a_seed_without_development() -> None:
    park = strip_park(["vacant", "vacant", "vacant"], road=True)
    plan = sequence(park, quota_mu=PARCEL_MU + 0.1, phases=3)
    assert plan.parcels[s.PHASE].notna().all()


def test_isolated_land_is_listed_with_its_reason() -> None:
    parcels = [
        ("dev", box(0, 0, 100, 100), "developed"),
        ("next", box(100, 0, 200, 100), "vacant"),
        ("island", box(1000, 0, 1100, 100), "vacant"),
        ("green", box(200, 0, 300, 100), "protected"),
    ]
    park = make_park(parcels, [("a", box(0, -20, 1200, 120), 1, "priority_contiguous")])
    plan = sequence(park, quota_mu=100, phases=2)
    reasons = plan.unscheduled.set_index(s.PARCEL_ID)[s.REASON].to_dict()
    assert reasons == {"island": "isolated", "green": "protected"}


# --------------------------------------------------------------------------- errors


def test_no_seeds_names_the_cause() -> None:
    park = strip_park(["vacant", "vacant", "vacant"])
    with pytest.raises(InfeasiblePlanError, match="no seeds"):
        sequence(park, quota_mu=100)


def test_quota_smaller_than_every_parcel_names_the_cause() -> None:
    park = strip_park(["developed", "vacant", "vacant"])
    with pytest.raises(
        InfeasiblePlanError,
        match=r"quota of 10\.0 mu .* smaller than every vacant parcel .* 15\.0 mu",
    ):
        sequence(park, quota_mu=10)


def test_no_vacant_land_names_the_cause() -> None:
    park = strip_park(["developed", "committed"])
    with pytest.raises(InfeasiblePlanError, match="no vacant parcel to open"):
        sequence(park, quota_mu=100)


def test_nothing_openable_names_the_reasons() -> None:
    park = strip_park(["developed", "vacant"], zones="aB")
    with pytest.raises(
        InfeasiblePlanError, match=r"no vacant parcel can be opened .*1 zone_held.*open_from_phase"
    ):
        sequence(park, quota_mu=100)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"quota_mu": 0}, "quota must be a positive number"),
        ({"quota_mu": -5}, "quota must be a positive number"),
        ({"quota_mu": float("nan")}, "quota must be a positive number"),
        ({"quota_mu": 100, "phases": 0}, "number of phases"),
        ({"quota_mu": 100, "method": "magic"}, "unknown method 'magic'"),
        ({"quota_mu": 100, "max_road_gap_m": -1}, "max_road_gap_m"),
        ({"quota_mu": 100, "wastewater_tpd_per_phase": -1}, "wastewater_tpd_per_phase"),
        ({"quota_mu": 100, "weights": ObjectiveWeights(block_penalty_mu=-1)}, "weights"),
    ],
    ids=[
        "zero-quota",
        "negative-quota",
        "nan-quota",
        "no-phase",
        "bad-method",
        "negative-gap",
        "negative-capacity",
        "negative-weight",
    ],
)
def test_bad_options_are_input_errors(kwargs: dict[str, Any], match: str) -> None:
    park = strip_park(["developed", "vacant"])
    with pytest.raises(InputError, match=match):
        sequence(park, **kwargs)


def test_quota_and_phases_default_to_the_rulebook() -> None:
    park = strip_park(["developed", "vacant", "vacant"])
    plan = sequence(park)
    assert plan.quota_mu == park.rulebook.sequencing.default_quota_mu
    assert plan.phases == park.rulebook.sequencing.default_phases
    assert len(plan.metrics) == plan.phases


# --------------------------------------------------------------------------- capacity


def test_capacity_added_per_phase_limits_the_land_opened() -> None:
    park = strip_park(["developed"] + ["vacant"] * 6)
    # 2 t/d per mu: a parcel needs 30 t/d; 35 t/d are added per phase (nothing spare today)
    plan = sequence(
        park,
        quota_mu=10 * PARCEL_MU,
        phases=3,
        wastewater_tpd_per_phase=35.0,
        wastewater_tpd_per_mu=2.0,
    )
    demand = plan.metrics[s.WASTEWATER_TPD].cumsum().to_numpy()
    assert (demand <= 35.0 * np.arange(1, 4) + 1e-9).all()
    assert plan.metrics[s.N_PARCELS].tolist() == [1, 1, 1]
    assert set(plan.unscheduled[s.REASON]) == {"capacity_exhausted"}


# --------------------------------------------------------------------------- projects


def fit_result(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[s.PROJECT_ID, s.ZONE_ID, s.VERDICT, s.AREA_MU])


def test_projects_get_contiguous_blocks_in_a_zone_where_they_fit() -> None:
    park = strip_park(["developed"] + ["vacant"] * 8, zones="aaaaabbbb")
    result = fit_result(
        [
            ("big", "a", "fits", 2.5 * PARCEL_MU),  # three parcels in zone a
            ("big", "b", "does_not_fit", 2.5 * PARCEL_MU),
            ("small", "b", "conditional", 0.5 * PARCEL_MU),
            ("small", "a", "does_not_fit", 0.5 * PARCEL_MU),
            ("nowhere", "a", "does_not_fit", 10.0),
            ("huge", "a", "fits", 50 * PARCEL_MU),
            ("no-area", "a", "fits", float("nan")),
        ]
    )
    plan = sequence(park, quota_mu=4 * PARCEL_MU, phases=3, projects=result)
    placed = plan.assignments.set_index(s.PROJECT_ID)
    assert placed.loc["big", s.ZONE_ID] == "a"
    assert len(placed.loc["big", s.PARCEL_IDS]) == 3
    assert placed.loc["big", s.AREA_MU] >= 2.5 * PARCEL_MU
    assert placed.loc["small", s.ZONE_ID] == "b"
    assert plan.unplaced.set_index(s.PROJECT_ID)[s.REASON].to_dict() == {
        "nowhere": "no_fitting_zone",
        "huge": "no_contiguous_land",
        "no-area": "no_area",
    }
    # one plan: each project's block opens where and when it is placed, reserve land fills
    # the rest of the quota (changed by design, issue 14: land no longer opens only for projects)
    opened = plan.parcels.dropna(subset=[s.PHASE])
    assigned = {pid for ids in plan.assignments[s.PARCEL_IDS] for pid in ids}
    assert assigned <= set(opened[s.PARCEL_ID])
    per_phase = opened.groupby(s.PHASE)[s.AREA_MU].sum()
    assert (per_phase <= 4 * PARCEL_MU * (1 + TOLERANCE)).all()
    for row in plan.assignments.itertuples(index=False):
        rows = plan.parcels[plan.parcels[s.PARCEL_ID].isin(getattr(row, s.PARCEL_IDS))]
        assert (rows[s.PHASE] == getattr(row, s.PHASE)).all()
        # the project's own land lies in its zone; a zone away from development is
        # reached through the least connecting land, opened with it
        own = rows[rows[s.ZONE_ID] == getattr(row, s.ZONE_ID)]
        need = result.set_index(s.PROJECT_ID)[s.AREA_MU].groupby(level=0).first()
        assert own[s.AREA_MU].sum() >= need[getattr(row, s.PROJECT_ID)] - 1e-9
    # p4 opened as reserve land in phase 1, so zone b is reached without connecting land
    # (changed by design, issue 14; it was ["p4", "p5"] when land opened only for projects)
    assert placed.loc["small", s.PARCEL_IDS] == ["p5"]
    assert "not_needed" not in set(plan.unscheduled[s.REASON])
    check_plan(park, plan, quota_mu=4 * PARCEL_MU, phases=3, projects=True)
    doc = plan.to_dict()
    assert sorted(p for ph in doc["phases"] for p in ph["projects"]) == ["big", "small"]


def test_projects_wait_for_held_zones_and_quota() -> None:
    park = strip_park(["developed"] + ["vacant"] * 4, zones="aaaBB", open_from={"B": 2})
    result = fit_result(
        [
            ("first", "a", "fits", 2 * PARCEL_MU),
            ("second", "a", "fits", 2 * PARCEL_MU),
            ("held", "B", "fits", PARCEL_MU),
        ]
    )
    plan = sequence(park, quota_mu=2 * PARCEL_MU + 0.1, phases=3, projects=result)
    phase = plan.assignments.set_index(s.PROJECT_ID)[s.PHASE].to_dict()
    assert phase["first"] == 1
    assert phase["held"] >= 2
    check_plan(park, plan, quota_mu=2 * PARCEL_MU + 0.1, phases=3, projects=True)


def test_projects_table_without_verdicts_is_refused() -> None:
    park = strip_park(["developed", "vacant"])
    with pytest.raises(InputError, match=r"lacks column.*verdict"):
        sequence(
            park,
            quota_mu=100,
            projects=pd.DataFrame({s.PROJECT_ID: ["x"], s.AREA_MU: [5.0], s.ZONE_ID: ["a"]}),
        )


def test_exact_method_does_not_take_projects() -> None:
    park = strip_park(["developed", "vacant"])
    with pytest.raises(InputError, match="exact method does not place projects"):
        sequence(park, quota_mu=100, method="exact", projects=fit_result([("x", "a", "fits", 5.0)]))


def test_bundled_pipeline_projects_are_placed_where_they_fit() -> None:
    from zoning.io import bundled_park_dir, read_projects

    park = zoning.load_park()
    projects = read_projects(bundled_park_dir() / "projects.csv")
    result = zoning.check(park, projects)
    plan = zoning.sequence(park, quota_mu=300, phases=4, projects=result)
    placeable = result[result[s.VERDICT].isin(["fits", "conditional"])]
    allowed = set(zip(placeable[s.PROJECT_ID], placeable[s.ZONE_ID], strict=True))
    assert len(plan.assignments) > 0
    for row in plan.assignments.itertuples(index=False):
        assert (getattr(row, s.PROJECT_ID), getattr(row, s.ZONE_ID)) in allowed
    # every project is either placed or unplaced with a reason, once
    placed = set(plan.assignments[s.PROJECT_ID])
    unplaced = dict(zip(plan.unplaced[s.PROJECT_ID], plan.unplaced[s.REASON], strict=True))
    assert placed.isdisjoint(unplaced)
    assert placed | set(unplaced) == set(result[s.PROJECT_ID])
    never = set(result[s.PROJECT_ID]) - {p for p, _ in allowed}
    assert {p for p, r in unplaced.items() if r == "no_fitting_zone"} == never
    # a project with a site opens the parcels under its site
    sited = result[result.geometry.notna() & result[s.PROJECT_ID].isin(placed)]
    for pid, site in zip(sited[s.PROJECT_ID], sited.geometry, strict=True):
        ids = plan.assignments.set_index(s.PROJECT_ID).loc[pid, s.PARCEL_IDS]
        under = park.parcels[park.parcels.intersection(site).area > 0.5 * site.area]
        assert set(under[s.PARCEL_ID]) <= set(ids)
    check_plan(park, plan, quota_mu=300, phases=4, projects=True)


# --------------------------------------------------------------------------- the bundled park


def test_bundled_park_plan() -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park)
    settings_ = park.rulebook.sequencing
    check_plan(park, plan, quota_mu=settings_.default_quota_mu, phases=settings_.default_phases)
    assert plan.metrics[s.COMPACTNESS].between(0, 1).all()
    assert plan.metrics[s.AREA_MU].iloc[0] > 0.9 * settings_.default_quota_mu
    # integration is maintain_current and not named in open_from_phase: held
    held = plan.parcels[
        (plan.parcels[s.ZONE_ID] == "integration") & (plan.parcels[s.STATUS] == "vacant")
    ]
    assert (held[s.REASON] == "zone_held").all()
    doc = plan.to_dict()
    assert set(doc) >= {"phases", "unscheduled", "metrics"}
    assert set(doc["phases"][0]) == {"phase", "area_mu", "parcels", "projects"}
    assert len(doc["tracts"]) == len(plan.tracts)
    assert all(set(t["why"]) == {"zh", "en"} for t in doc["tracts"])
    assert set(doc["unscheduled"][0]) == {"parcel_id", "reason"}
    assert doc["metrics"]["compactness_measure"] == "polsby_popper"


def test_plan_contract_columns() -> None:
    park = strip_park(["developed", "vacant", "vacant", "protected"])
    plan = sequence(park, quota_mu=100, phases=2)
    assert isinstance(plan.parcels, gpd.GeoDataFrame)
    assert plan.parcels.index.equals(park.parcels.index)
    assert list(plan.unscheduled.columns) == [s.PARCEL_ID, s.REASON]
    assert list(plan.metrics.columns[:8]) == [
        s.PHASE,
        s.AREA_MU,
        s.CUMULATIVE_MU,
        s.N_PARCELS,
        s.BLOCKS,
        s.PERIMETER_M,
        s.COMPACTNESS,
        s.PRIORITY_SHARE,
    ]
    # site_rank and why added (issue 14: candidate sites and the placement agree)
    assert list(plan.assignments.columns) == [
        s.PROJECT_ID,
        s.ZONE_ID,
        s.PHASE,
        s.PARCEL_IDS,
        s.AREA_MU,
        "site_rank",
        "why",
    ]
    assert list(plan.unplaced.columns) == [s.PROJECT_ID, s.REASON, "why"]
    assert plan.phase_parcels(1)[s.PARCEL_ID].tolist() == ["p1", "p2"]
    with pytest.raises(AttributeError):
        plan.objective = 0.0  # type: ignore[misc]


def priority_versus_perimeter_park() -> Park:
    """A (zone rank 1) sticks out from the development; B (rank 2) fills a notch in it."""
    parcels = [
        ("A", box(-100, 85, 0, 185), "vacant"),
        ("B", box(100, 0, 200, 100), "vacant"),
        ("D1", box(0, 0, 100, 100), "developed"),
        ("D2", box(100, 100, 200, 200), "developed"),
        ("D3", box(100, -100, 200, 0), "developed"),
    ]
    zones = [
        ("a", box(-100, -120, 0, 220), 1, "priority_contiguous"),
        ("b", box(0, -120, 200, 220), 2, "priority_contiguous"),
    ]
    return make_park(parcels, zones)


def test_priority_holds_when_better_ranked_land_does_not_pay() -> None:
    """B (rank 2) pays better than A (rank 1) under a steep perimeter penalty; A opens first."""
    park = priority_versus_perimeter_park()
    weights = ObjectiveWeights(perimeter_penalty_mu_per_km=100.0)
    plan = sequence(park, quota_mu=PARCEL_MU + 0.1, phases=2, weights=weights)
    check_plan(park, plan, quota_mu=PARCEL_MU + 0.1, phases=2)
    assert plan.parcels.set_index(s.PARCEL_ID)[s.PHASE].to_dict()["A"] == 1


@st.composite
def pipelines(draw: st.DrawFn) -> tuple[Layout, pd.DataFrame]:
    """A layout and a fit-check result of a few projects over its zones."""
    layout = draw(layouts())
    zones = layout.park.zones[s.ZONE_ID].tolist()
    rows = []
    for k in range(draw(st.integers(1, 5))):
        need = draw(st.sampled_from([0.5, 1.0, 2.5, 6.0])) * PARCEL_MU
        for zone_id in zones:
            verdict = draw(st.sampled_from(["fits", "conditional", "does_not_fit", "error"]))
            rows.append((f"P{k}", zone_id, verdict, need))
    return layout, fit_result(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pipelines())
def test_project_plans_keep_every_invariant(case: tuple[Layout, pd.DataFrame]) -> None:
    layout, result = case
    plan = plan_or_cause(layout, projects=result)
    if plan is None:
        return
    check_plan(layout.park, plan, quota_mu=layout.quota_mu, phases=layout.phases, projects=True)
    # each project once, placed or not; placed only where it fits; no parcel given twice
    placed = plan.assignments[s.PROJECT_ID].tolist()
    unplaced = plan.unplaced[s.PROJECT_ID].tolist()
    assert sorted(placed + unplaced) == sorted(result[s.PROJECT_ID].unique())
    ok = result[result[s.VERDICT].isin(["fits", "conditional"])]
    allowed = set(zip(ok[s.PROJECT_ID], ok[s.ZONE_ID], strict=True))
    given_out = [pid for ids in plan.assignments[s.PARCEL_IDS] for pid in ids]
    assert len(given_out) == len(set(given_out))
    opened = set(plan.parcels.loc[plan.parcels[s.PHASE].notna(), s.PARCEL_ID])
    # one plan (issue 14): projects' land and reserve land; it was opened == given_out
    assert set(given_out) <= opened
    phase_of = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    for row in plan.assignments.itertuples(index=False):
        # each placed project inside land opened in (or before) its phase
        assert (phase_of.loc[list(getattr(row, s.PARCEL_IDS))] <= getattr(row, s.PHASE)).all()
    zone_of = dict(zip(plan.parcels[s.PARCEL_ID], plan.parcels[s.ZONE_ID], strict=True))
    area_of = dict(zip(plan.parcels[s.PARCEL_ID], plan.parcels[s.AREA_MU], strict=True))
    need = result.groupby(s.PROJECT_ID)[s.AREA_MU].first()
    for row in plan.assignments.itertuples(index=False):
        pid, zone_id = getattr(row, s.PROJECT_ID), getattr(row, s.ZONE_ID)
        assert (pid, zone_id) in allowed
        own = sum(area_of[p] for p in getattr(row, s.PARCEL_IDS) if zone_of[p] == zone_id)
        assert own >= need[pid] - 1e-9
    no_zone = {p for p in result[s.PROJECT_ID] if p not in {a for a, _ in allowed}}
    reasons = dict(zip(plan.unplaced[s.PROJECT_ID], plan.unplaced[s.REASON], strict=True))
    assert {p for p, r in reasons.items() if r == "no_fitting_zone"} == no_zone


def test_a_prebuilt_adjacency_gives_the_same_plan() -> None:
    from zoning.planning.adjacency import build_parcel_adjacency

    park = zoning.load_park()
    rules = park.rulebook.sequencing
    adjacency = build_parcel_adjacency(
        park.parcels.sort_values(s.PARCEL_ID),
        min_shared_boundary_m=rules.min_shared_boundary_m,
        max_road_gap_m=rules.max_road_gap_m,
    )
    for quota in (600.0, 1200.0):
        fresh = sequence(park, quota_mu=quota, phases=3)
        reused = sequence(park, quota_mu=quota, phases=3, adjacency=adjacency)
        pd.testing.assert_series_equal(fresh.parcels[s.PHASE], reused.parcels[s.PHASE])


# --------------------------------------------------------------------------- options, solvers


def test_options_dataclass_and_keywords_give_the_same_plan() -> None:
    park = strip_park(["developed", "vacant", "vacant", "vacant"])
    options = SequencingOptions(quota_mu=PARCEL_MU + 0.1, phases=2)
    by_options = sequence(park, options)
    by_keywords = sequence(park, quota_mu=PARCEL_MU + 0.1, phases=2)
    pd.testing.assert_series_equal(by_options.parcels[s.PHASE], by_keywords.parcels[s.PHASE])
    assert by_options.objective == by_keywords.objective
    # a keyword replaces the field of the options it is given with
    three = sequence(park, options, phases=3)
    assert three.phases == 3
    assert three.quota_mu == options.quota_mu
    assert options.phases == 2  # the options are frozen: the call changed a copy


def test_unknown_option_is_a_type_error() -> None:
    park = strip_park(["developed", "vacant"])
    with pytest.raises(TypeError, match="quota_ha"):
        sequence(park, quota_ha=5)  # type: ignore[call-arg]


def test_every_method_has_a_solver() -> None:
    assert set(SOLVERS) == set(s.SequencingMethod)


def test_sequence_takes_at_most_eight_parameters() -> None:
    parameters = inspect.signature(sequence).parameters
    assert len(parameters) <= 8
    assert [p.name for p in parameters.values()][:2] == ["park", "options"]


# --------------------------------------------------------------------------- tracts (issue 14)


@pytest.mark.parametrize("quota_mu", [800.0, 1500.0])
def test_bundled_park_opens_at_most_three_tracts_a_phase(quota_mu: float) -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=quota_mu)
    check_plan(park, plan, quota_mu=quota_mu, phases=plan.phases)
    for p in range(1, plan.phases + 1):
        # counted independently of the planner: parcels within 45 m of each other
        assert independent_tract_count(plan.phase_parcels(p)) <= 3, p
    metrics = plan.metrics
    assert (metrics["tracts"] <= 3).all()
    opened = metrics[s.AREA_MU] > 0
    assert metrics.loc[opened, "largest_tract_share"].between(0, 1).all()
    assert metrics.loc[opened, "tract_compactness"].between(0, 1).all()
    # the plan builds planned lines and says for which tract; the metres add up per phase
    tracts = plan.tracts
    for kind in ("road", "water_main", "power_line", "gas_main"):
        per_phase = tracts.groupby(s.PHASE)[f"{kind}_m"].sum()
        assert np.allclose(
            per_phase.reindex(metrics[s.PHASE], fill_value=0.0).to_numpy(),
            metrics[f"{kind}_m"].to_numpy(),
        )
    assert metrics["road_m"].sum() > 0
    segments = [seg for ids in tracts["segment_ids"] for seg in ids]
    assert len(segments) == len(set(segments)), "a shared segment is paid once"


def test_every_tract_and_every_closed_parcel_says_why_in_both_languages() -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=800.0)
    for why, tract_id, phase in zip(
        plan.tracts["why"], plan.tracts["tract_id"], plan.tracts[s.PHASE], strict=True
    ):
        assert set(why) == {"zh", "en"}
        assert tract_id in why["en"]
        assert f"Phase {phase}" in why["en"]
        assert f"第{phase}期" in why["zh"]
    closed = plan.closed_explanations()
    vacant = park.parcels.loc[park.parcels[s.STATUS] == "vacant", s.PARCEL_ID]
    opened = set(plan.parcels.loc[plan.parcels[s.PHASE].notna(), s.PARCEL_ID])
    assert set(vacant) <= opened | set(closed[s.PARCEL_ID])
    assert closed["zh"].str.len().gt(0).all()
    assert closed["en"].str.len().gt(0).all()
    assert (closed["zh"] != closed["en"]).all()


def test_a_one_tract_limit_gives_one_block_a_phase() -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=1500.0, max_tracts_per_phase=1)
    assert (plan.metrics["tracts"] <= 1).all()
    assert plan.max_tracts == 1
    with pytest.raises(InputError, match="max_tracts_per_phase"):
        zoning.sequence(park, quota_mu=1500.0, max_tracts_per_phase=0)


def test_unit_costs_of_unknown_kinds_are_refused() -> None:
    from zoning.errors import RulebookError

    base = {"rulebook": {"park_id": "d", "name": "D", "version": "1"}}
    with pytest.raises(RulebookError, match=r"unknown kind\(s\) rail"):
        build_rulebook({**base, "sequencing": {"infrastructure_cost_wan_yuan_per_km": {"rail": 5}}})
    with pytest.raises(RulebookError, match="must be >= 0"):
        build_rulebook(
            {**base, "sequencing": {"infrastructure_cost_wan_yuan_per_km": {"road": -1}}}
        )
    settings_ = zoning.load_park().rulebook.sequencing
    assert settings_.max_tracts_per_phase == 3
    assert settings_.infrastructure_cost_source == "illustrative"
