"""Benchmark of the columnar findings: this checkout against earlier ones, run interleaved.

Each run is a fresh interpreter that imports ``zoning`` from one checkout (this one, or a
directory given with ``--compare``, e.g. a ``git worktree`` of the commit before the rule
registry), checks the same synthetic projects (made once, by this checkout, and handed over
as a pickle) and reports the CPU and wall seconds of ``zoning.check``, the process's peak
resident memory (``ru_maxrss``) and a digest of its verdicts and findings. The checkouts take
turns round after round, so that the load of a shared machine falls on all of them alike;
the table prints the median per checkout, its ratio to the first one and whether the
verdicts and the findings (rule, status, measured, required of every finding of
every row) agree with this checkout's.

Run: ``python benchmarks/bench_findings.py --compare /tmp/pre_refactor --sizes 100000
--rounds 3``; ``--sizes 1000000 --rounds 1`` for the one-million target (60 s, 3 GB).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_CHILD = r"""
import gc, hashlib, json, pickle, resource, sys, time
import zoning
projects = pickle.load(open(sys.argv[1], "rb"))
park = zoning.load_park()
zoning.check(park, projects.iloc[:50])  # imports and catalogues warmed
gc.collect()
cpu, wall = time.process_time(), time.perf_counter()
result = zoning.check(park, projects)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
read = time.perf_counter()
verdicts = hashlib.sha256()
findings = hashlib.sha256()
for pid, zid, verdict, found in zip(result["project_id"], result["zone_id"],
                                    result["verdict"], result["findings"]):
    verdicts.update(f"{pid}|{zid}|{verdict}\n".encode())
    for f in found:
        findings.update(repr((pid, zid, f["rule"], f["status"],
                              f["measured"], f["required"])).encode())
read = time.perf_counter() - read
print(json.dumps({"read": read, "cpu": cpu, "wall": wall, "peak_mb": peak_mb, "rows": len(result),
                  "verdicts": verdicts.hexdigest(), "findings": findings.hexdigest()}))
"""


def _run(checkout: Path, projects_file: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(projects_file)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=checkout,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, nargs="*", default=[])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20_261_129)
    parser.add_argument("--only-this", action="store_true", help="skip the checkouts to compare")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from bench_check import synthetic_projects

    import zoning

    park = zoning.load_park()
    checkouts = [ROOT, *([] if args.only_this else args.compare)]
    names = ["this checkout", *[str(c) for c in checkouts[1:]]]
    print(
        f"zoning {zoning.__version__} columnar-findings benchmark: {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}, seed {args.seed}, {args.rounds} round(s), "
        "interleaved"
    )
    print(
        f"{'projects':>9} {'checkout':<34} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} "
        f"{'wall x':>7} {'CPU x':>6} {'read s':>7} {'verdicts':>9} {'findings':>9}"
    )
    for n in args.sizes:
        projects = synthetic_projects(park, n, np.random.default_rng(args.seed))
        with tempfile.TemporaryDirectory() as tmp:
            projects_file = Path(tmp) / "projects.pickle"
            projects_file.write_bytes(pickle.dumps(projects))
            del projects
            runs: list[list[dict[str, Any]]] = [[] for _ in checkouts]
            for _ in range(args.rounds):
                for i, checkout in enumerate(checkouts):
                    runs[i].append(_run(checkout, projects_file))
        medians = [
            {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "peak_mb", "read")}
            for rs in runs
        ]
        mine = runs[0][0]
        for name, rs, m in zip(names, runs, medians, strict=True):
            same_v = "same" if rs[0]["verdicts"] == mine["verdicts"] else "DIFFER"
            same_f = "same" if rs[0]["findings"] == mine["findings"] else "DIFFER"
            print(
                f"{n:>9,} {name[-34:]:<34} {m['wall']:>7.2f} {m['cpu']:>7.2f} "
                f"{m['peak_mb']:>8,.0f} {m['wall'] / medians[0]['wall']:>6.2f}x "
                f"{m['cpu'] / medians[0]['cpu']:>5.2f}x {m['read']:>7.2f} {same_v:>9} {same_f:>9}"
            )
        digest = hashlib.sha256(mine["verdicts"].encode()).hexdigest()[:12]
        print(f"{'':>9} (rows {mine['rows']:,}; verdict digest {digest})")
    print(
        "Medians over the rounds; x = ratio to this checkout (above 1: slower than this one). "
        "read s = reading every row's findings afterwards (the dict view: messages are "
        "rendered then in this checkout, during the check in the others). peak MB = the "
        "child process's maximum resident memory (data, park and interpreter). "
        "verdicts / findings: the digests of every row's verdict and of every finding's "
        "rule, status, measured and required equal this checkout's."
    )


if __name__ == "__main__":
    main()
