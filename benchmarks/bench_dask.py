"""Benchmark of a batch on Dask: a local cluster of 2 workers against one process.

The synthetic projects of ``bench_check.py`` (half with a site inside the park, half without)
are written as the ``projects.csv`` of one or more copies of the bundled park. The same
batch, :func:`zoning.io.batch.check_parks`, then runs twice on the same directories: in this
process (one part per park) and on a ``LocalCluster`` of 2 worker processes with one thread
each (spatial partitions, park facts scattered, each partition written by its worker, only
counts gathered). Both wall times include reading the parks and projects and writing the
GeoParquet; the cluster's start-up is timed apart. The summaries must agree; the verdict
tables are compared on a sample of projects. Then each partition's output files are listed.

Run: ``python benchmarks/bench_dask.py [--projects 100000] [--parks 1] [--partitions 4]``.
Point it at a real cluster with ``--scheduler tcp://HOST:8786`` (the workers must see the
output directory, ``--out``, under the same path).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import synthetic_projects

import zoning
from zoning import batch as b
from zoning import schema as s
from zoning.io.batch import check_parks
from zoning.io.batch_work import FINDINGS_DIR, PROJECTS_FILE, VERDICTS_DIR
from zoning.io.park import bundled_park_dir


def write_parks(root: Path, n_parks: int, n_projects: int, seed: int) -> list[Path]:
    """Copies of the bundled park, each with ``n_projects`` synthetic projects as its CSV."""
    rng = np.random.default_rng(seed)
    park = zoning.load_park()
    dirs = []
    for i in range(n_parks):
        target = root / f"park{i}"
        shutil.copytree(
            bundled_park_dir(),
            target,
            ignore=shutil.ignore_patterns("generator", "sources"),
            dirs_exist_ok=True,
        )
        meta = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
        meta["park_id"] = f"park{i}"
        (target / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        projects = synthetic_projects(park, n_projects, rng)
        table = pd.DataFrame(projects.drop(columns="geometry"))
        sites = projects.geometry.to_crs("EPSG:4326")
        table["site_wkt"] = np.where(sites.isna(), "", sites.to_wkt(rounding_precision=9))
        table.to_csv(target / PROJECTS_FILE, index=False)
        dirs.append(target)
    return dirs


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    wall = time.perf_counter() - start
    print(f"{label:<44} {wall:8.2f} s")
    return result, wall


def compare(out_one: Path, out_dask: Path, park_ids: list[str]) -> str:
    """Compare the whole verdict and findings tables the two runs wrote, in one order."""
    rows = 0
    for park_id in park_ids:
        key = [s.PROJECT_ID, s.ZONE_ID]
        here, there = (
            gpd.read_parquet(out / park_id / VERDICTS_DIR).sort_values(key).reset_index(drop=True)
            for out in (out_one, out_dask)
        )
        fkey = [*key, b.FINDING_INDEX]
        f_here, f_there = (
            pd.read_parquet(out / park_id / FINDINGS_DIR).sort_values(fkey).reset_index(drop=True)
            for out in (out_one, out_dask)
        )
        try:
            assert_geodataframe_equal(here, there)
            assert_frame_equal(f_here, f_there)
        except AssertionError as exc:
            return f"DIFFER on park {park_id}: {exc}"
        rows += len(here) + len(f_here)
    return f"equal ({rows:,} verdict and finding rows compared)"


def list_parts(out: Path, park_ids: list[str]) -> None:
    print(f"{'park':<8} {'part':<20} {'verdict rows':>12} {'MB':>6} {'finding rows':>13} {'MB':>6}")
    for park_id in park_ids:
        for part in sorted((out / park_id / VERDICTS_DIR).glob("part-*.parquet")):
            findings = out / park_id / FINDINGS_DIR / part.name
            n_verdicts = len(pd.read_parquet(part, columns=[s.PROJECT_ID]))
            n_findings = len(pd.read_parquet(findings, columns=[s.PROJECT_ID]))
            print(
                f"{park_id:<8} {part.name:<20} {n_verdicts:>12,} "
                f"{part.stat().st_size / 1e6:>6.1f} {n_findings:>13,} "
                f"{findings.stat().st_size / 1e6:>6.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000, help="per park")
    parser.add_argument("--parks", type=int, default=1)
    parser.add_argument("--partitions", type=int, default=None, help="per park on Dask")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", default=None, help="a running cluster instead")
    parser.add_argument("--out", type=Path, default=None, help="default: a temporary directory")
    parser.add_argument("--seed", type=int, default=20_261_206)
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    root = args.out or Path(tempfile.mkdtemp(prefix="bench_dask_"))
    print(
        f"zoning {zoning.__version__} Dask batch benchmark: {args.parks} park(s) x "
        f"{args.projects:,} synthetic projects; {os.cpu_count()} CPU(s), Python "
        f"{platform.python_version()}, {platform.machine()}, seed {args.seed}; output in {root}"
    )
    dirs, _ = timed("writing the parks' projects.csv", write_parks, root / "parks",
                    args.parks, args.projects, args.seed)  # fmt: skip
    park_ids = [d.name for d in dirs]
    one, one_wall = timed("one process: check_parks", check_parks, dirs, root / "one")
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        start = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)  # fmt: skip
        client = Client(cluster)
        print(f"{'starting a LocalCluster (not counted)':<44} {time.perf_counter() - start:8.2f} s")
    workers = len(client.nthreads())
    try:
        on_dask, dask_wall = timed(
            f"Dask, {workers} workers: check_parks(client=…)",
            check_parks,
            dirs,
            root / "dask",
            client=client,
            partitions_per_park=args.partitions,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    columns = [s.PARK_ID, b.PROJECTS, *b.VERDICT_COUNTS, b.ROWS, b.FINDINGS_COUNT]
    same = one[columns].equals(on_dask[columns])
    print(f"speed-up of Dask over one process: {one_wall / dask_wall:.2f}x "
          f"(one process {one_wall:.2f} s / Dask {dask_wall:.2f} s)")  # fmt: skip
    print(f"summaries {'equal' if same else 'DIFFER'}; tables "
          f"{compare(root / 'one', root / 'dask', park_ids)}")  # fmt: skip
    print(on_dask.to_string(index=False))
    list_parts(root / "dask", park_ids)


if __name__ == "__main__":
    main()
