"""The wheel carries the bundled park: `pip install .` outside the repo still runs the job."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_the_bundled_park_and_runs_outside_the_repo(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("zoning-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    for layer in ("zones", "parcels", "constraints", "infrastructure", "context"):
        assert f"zoning/_bundled/beichuan/{layer}.geojson" in names
    assert "zoning/_bundled/beichuan/rulebook.toml" in names
    assert "zoning/py.typed" in names
    assert "zoning/maps/vendor/MANIFEST.json" in names  # the maps' inlined assets
    assert "zoning/maps/vendor/leaflet/leaflet.js" in names

    # run from an empty directory with only the unpacked wheel on the path
    code = (
        "import zoning, zoning.io\n"
        "park = zoning.load_park()\n"
        "print(zoning.__file__)\n"
        "print(zoning.io.bundled_park_dir())\n"
        "print(len(park.zones), len(park.parcels))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    module_file, park_dir, counts = run.stdout.strip().splitlines()
    assert module_file.startswith(str(tmp_path / "site"))
    assert park_dir == str(tmp_path / "site" / "zoning" / "_bundled" / "beichuan")
    assert counts.split()[0] == "4"
