"""Benchmark of ``zoning check``'s outputs: the command line per format against the API's check.

The synthetic projects of ``bench_check.py`` (half with a site) are written once as a
GeoPackage. Each round times, in this order and each in a fresh interpreter: the API
(``zoning.check`` on the projects already in memory, reading excluded) and then
``zoning check PROJECTS --format F --output FILE --no-sites`` as a subprocess, for every
format, wall clock of the whole command (start-up, reading the park and the projects,
checking, writing). The target of issue 15: each format under 3 times the API's check.
The table format (Rich tables for people, not streamed) is left out unless named in --formats.

Run: ``python benchmarks/bench_check_outputs.py [--projects 100000] [--rounds 1]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FORMATS = ("json", "geojson", "csv", "xlsx", "parquet")

_API = r"""
import gc, sys, time
import geopandas as gpd
import zoning
projects = gpd.read_file(sys.argv[1])
park = zoning.load_park()
gc.collect()
start = time.perf_counter()
result = zoning.check(park, projects)
print(time.perf_counter() - start, len(result))
"""


def _api(projects: Path) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", _API, str(projects)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds, rows = done.stdout.split()
    return float(seconds), int(rows)


def _cli(projects: Path, fmt: str, out: Path) -> tuple[float, int]:
    target = out / f"result.{fmt if fmt != 'table' else 'txt'}"
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "zoning",
            "check",
            str(projects),
            "--format",
            fmt,
            "--output",
            str(target),
            "--no-sites",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in out.iterdir() if p.name.startswith("result."))
    for p in out.iterdir():
        p.unlink()
    return seconds, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS))
    parser.add_argument("--seed", type=int, default=20_261_129)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from bench_check import synthetic_projects

    import zoning
    from zoning.units import WGS84

    park = zoning.load_park()
    projects = synthetic_projects(park, args.projects, np.random.default_rng(args.seed))
    print(
        f"zoning {zoning.__version__} check-output benchmark: {args.projects:,} projects, "
        f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, {args.rounds} round(s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "projects.gpkg"
        projects.to_crs(WGS84).to_file(source, driver="GPKG")
        out = Path(tmp) / "out"
        out.mkdir()
        api: list[float] = []
        cli: dict[str, list[float]] = {f: [] for f in args.formats}
        sizes: dict[str, int] = {}
        rows = 0
        for _ in range(args.rounds):
            seconds, rows = _api(source)
            api.append(seconds)
            for fmt in args.formats:
                seconds, sizes[fmt] = _cli(source, fmt, out)
                cli[fmt].append(seconds)
    api_s = statistics.median(api)
    print(f"API zoning.check: {api_s:.2f} s wall ({rows:,} result rows)")
    print(f"{'format':>8} {'CLI wall s':>11} {'x API':>7} {'MB':>8}  target < 3x")
    for fmt in args.formats:
        seconds = statistics.median(cli[fmt])
        ok = "met" if seconds < 3 * api_s else "NOT met"
        print(f"{fmt:>8} {seconds:>11.2f} {seconds / api_s:>6.2f}x {sizes[fmt] / 1e6:>8.1f}  {ok}")
    print(
        "CLI = the whole command in a subprocess (start-up, reading the park and the "
        "projects GeoPackage, checking, writing the file atomically); API = zoning.check "
        "alone. Medians over the rounds; run on a shared machine, so compare within one run."
    )


if __name__ == "__main__":
    main()
