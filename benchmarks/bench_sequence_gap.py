"""Optimality gap of the default phase planner against the exact CP-SAT optimum.

Generated parks of 15 to about 60 parcels (street blocks cut into parcels, see
``bench_sequence_scale.make_grid_park``) with varied development, zone priorities, a zone
held until a later phase, tight and loose quotas, 3 to 5 phases and, in some instances, a
wastewater capacity added per phase. For each instance the script plans with the heuristic
(the default), solves the same model with CP-SAT (``zoning.planning.exact``, seeded with
the heuristic's plan), scores both with ``zoning.planning.metrics.evaluate_plan``, and prints

    ratio = J(heuristic) / J(optimum)

When CP-SAT proves optimality within its time limit the optimum is exact; otherwise the
ratio is taken against the solver's proven upper bound, which can only make it smaller, so
the printed ratio is a guaranteed lower bound on the true one. The default must reach at
least 99 % on every instance (exit code 1 otherwise). Some instances limit the phases to one
or two tracts (``T``); ``max`` is the most tracts a phase of the heuristic's plan opens and
``lines m`` the metres of planned road and water main it builds (the generated parks have a
planned northern road; the ``water`` instances a planned water main along the first street).
After the gap table the script prints the scaling figures of ``bench_sequence_scale.py``
(1,000, 10,000 and 100,000 parcels; ``--scale`` to choose, ``--scale ''`` to skip), so one
run gives both.

Usage::

    python benchmarks/bench_sequence_gap.py             # all instances, 120 s per solve
    python benchmarks/bench_sequence_gap.py --quick     # the small instances, 30 s
    python benchmarks/bench_sequence_gap.py --scale 1000,10000   # smaller scaling run
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_sequence_scale
from bench_sequence_scale import make_grid_park

import zoning
from zoning.planning.exact import solve_exact
from zoning.planning.heuristic import solve_heuristic
from zoning.planning.metrics import evaluate_plan
from zoning.planning.problem import build_sequencing_problem

REQUIRED_RATIO = 0.99


@dataclass(frozen=True)
class Instance:
    """One generated instance."""

    name: str
    blocks: tuple[int, int]
    seed: int
    quota_share: float  # quota as a share of the vacant land
    phases: int
    scatter: bool = False
    shuffle: bool = False
    zones: int = 3
    capacity: bool = False
    tracts: int = 3  # max_tracts_per_phase
    water: bool = False  # a planned water main to build


INSTANCES = (
    Instance("2x2-corner", (2, 2), 11, 0.25, 3),
    Instance("2x2-scatter", (2, 2), 12, 0.20, 4, scatter=True, shuffle=True),
    Instance("3x2-corner", (3, 2), 13, 0.22, 4),
    Instance("3x2-tight", (3, 2), 14, 0.08, 5, scatter=True),
    Instance("3x2-capacity", (3, 2), 15, 0.30, 3, capacity=True),
    Instance("3x2-one-tract", (3, 2), 21, 0.25, 4, scatter=True, tracts=1),
    Instance("3x3-corner", (3, 3), 16, 0.20, 4),
    Instance("3x3-scatter", (3, 3), 17, 0.15, 4, scatter=True, shuffle=True),
    Instance("3x3-loose", (3, 3), 18, 0.40, 3, shuffle=True),
    Instance("3x3-two-tracts", (3, 3), 22, 0.25, 4, scatter=True, shuffle=True, tracts=2),
    Instance("3x2-water", (3, 2), 23, 0.30, 3, water=True),
    Instance("3x3-water-2", (3, 3), 24, 0.25, 4, scatter=True, tracts=2, water=True),
    Instance("4x3-corner", (4, 3), 19, 0.18, 4, zones=4),
    Instance("4x3-scatter", (4, 3), 20, 0.12, 5, scatter=True, shuffle=True, zones=4),
)
QUICK = frozenset(
    {
        "2x2-corner",
        "2x2-scatter",
        "3x2-corner",
        "3x2-tight",
        "3x2-capacity",
        "3x2-one-tract",
        "3x2-water",
    }
)


def run(instance: Instance, time_limit_s: float) -> tuple[bool, str]:
    rng = np.random.default_rng(instance.seed)
    bx, by = instance.blocks
    park = make_grid_park(
        bx,
        by,
        rng=rng,
        zones=instance.zones,
        held_zone_opens=2,
        scatter=instance.scatter,
        shuffle_priorities=instance.shuffle,
        developed_share=0.2,
        planned_water=instance.water,
    )
    parcels = park.parcels
    vacant_mu = float(parcels.loc[parcels["status"] == "vacant", "area_mu"].sum())
    quota = max(instance.quota_share * vacant_mu, float(parcels["area_mu"].max()) + 0.5)
    options: dict[str, float] = {"max_tracts_per_phase": instance.tracts}
    if instance.capacity:
        # 1.5 t/d per mu; each phase adds room for ~ a fifth of the vacant land
        options |= {
            "wastewater_tpd_per_mu": 1.5,
            "wastewater_tpd_per_phase": 0.2 * 1.5 * vacant_mu,
        }
    started = time.perf_counter()
    plan = zoning.sequence(park, quota_mu=quota, phases=instance.phases, **options)  # type: ignore[arg-type]
    heuristic_s = time.perf_counter() - started
    problem = build_sequencing_problem(
        park,
        quota_mu=quota,
        phases=instance.phases,
        **options,  # type: ignore[arg-type]
    )
    phase_of = solve_heuristic(problem)
    heuristic = evaluate_plan(problem, phase_of).value
    assert abs(heuristic - plan.objective) < 1e-6
    exact = solve_exact(problem, time_limit_s=time_limit_s, hint=phase_of)
    reference = exact.objective if exact.optimal else exact.bound
    ratio = heuristic / reference
    metrics = plan.metrics
    line = (
        f"{instance.name:<15} {len(parcels):>7} {int(problem.eligible.sum()):>6} "
        f"{instance.phases:>2} {instance.tracts:>2} {int(metrics['tracts'].max()):>3} "
        f"{float(metrics['road_m'].sum() + metrics['water_main_m'].sum()):>7.0f} "
        f"{quota:>8.1f} {heuristic:>10.2f} "
        f"{exact.objective:>10.2f} {exact.bound:>10.2f} "
        f"{'optimal' if exact.optimal else 'bound':>8} "
        f"{ratio:>7.2%} {heuristic_s:>6.2f} {exact.wall_time_s:>7.1f}"
    )
    return ratio >= REQUIRED_RATIO, line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small instances, 30 s per solve")
    parser.add_argument("--time-limit", type=float, default=None, help="CP-SAT seconds")
    parser.add_argument(
        "--scale",
        default="1000,10000,100000",
        help="parcel counts of the scaling run after the gap table ('' to skip)",
    )
    parser.add_argument("--only", default="", help="comma-separated instance names to run")
    args = parser.parse_args()
    limit = args.time_limit or (30.0 if args.quick else 120.0)
    chosen = [i for i in INSTANCES if not args.quick or i.name in QUICK]
    if args.only:
        names = set(args.only.split(","))
        chosen = [i for i in chosen if i.name in names]
    print(
        f"zoning {zoning.__version__}: heuristic vs CP-SAT optimum, {os.cpu_count()} CPU(s), "
        f"CP-SAT limit {limit:.0f} s; ratio = J(heuristic) / J(optimum), or / proven bound"
    )
    print(
        f"{'instance':<15} {'parcels':>7} {'vacant':>6} {'K':>2} {'T':>2} {'max':>3} "
        f"{'lines m':>7} {'quota mu':>8} {'J heur':>10} {'J exact':>10} {'bound':>10} "
        f"{'status':>8} {'ratio':>7} {'heur s':>6} {'exact s':>7}"
    )
    ratios_ok = []
    for instance in chosen:
        ok, line = run(instance, limit)
        ratios_ok.append(ok)
        print(line, flush=True)
    gap_ok = all(ratios_ok)
    if gap_ok:
        print(f"PASS: the heuristic reaches at least {REQUIRED_RATIO:.0%} on every instance")
    else:
        print(f"FAIL: some instance is below {REQUIRED_RATIO:.0%}")
    sizes = [int(v) for v in args.scale.split(",") if v.strip()]
    scale_ok = True
    if sizes:
        print()
        scale_ok = bench_sequence_scale.main(sizes) == 0
    return 0 if gap_ok and scale_ok else 1


if __name__ == "__main__":
    sys.exit(main())
