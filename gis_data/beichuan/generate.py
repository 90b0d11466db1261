"""Generate the bundled GIS dataset of the Beichuan Industrial Park (北川工业园区).

THE LAYOUT IS ILLUSTRATIVE. No official zoning map of the park is public. The zones, parcels,
roads, constraints and infrastructure written here are an invented but plausible layout,
placed consistently with a few real anchors and with the newspaper article that describes the
park ("one park, multiple zones", 一园多区). Real are only: the Datong County boundary, the
Qiaotou power-station points, the approximate town centre (all in ``sources/``), and the
national land-use and industry codes the attributes use.

Layout
------
Everything is built in a local frame in metres, then placed on the ground in CGCS2000 /
3-degree Gauss-Kruger CM 102E (EPSG:4543) and written as WGS84 GeoJSON (RFC 7946):

* axis ``u`` runs from the Qiaotou town centre (the county seat) towards the phase-2 units of
  the Qiaotou power station, about 4 km away on a bearing of ~134 degrees, down the Beichuan
  River (北川河) valley; axis ``v`` is perpendicular to it, positive on the north-east side;
* the four zones are adjacent pieces of one strip along ``u``: the industry-city integration
  area beside the town (u 300-1400 m), the bonded-zone service area (1400-2200), the
  aluminium-magnesium cluster (2200-6000), which holds both power-station points, and the
  emerging-industry incubation area (6000-7500);
* a 40 m trunk road runs along the strip at v = 300 m, 24 m secondary roads at v = -150 and
  750 m, cross roads every 400-600 m (on the zone boundaries too); the blocks between roads
  are cut into parcels by random guillotine cuts (seeded generator, so the output is fixed);
* the river meanders along the south-west side; its corridor and a 50 m setback cut into the
  zones, and parcels are cut to stay clear of it; a hillside ecological belt (生态屏障) covers
  the north-east of the east cluster and the incubation area; a 330 kV line corridor is a
  no-build strip; the town's built-up area is a sensitive area just outside the park.

The steps are modules of the ``generator/`` package beside this script (one per step: the
frame, the layout constants, geometry helpers, zones, constraints, roads, parcels, parcel
attributes, infrastructure, context, output, metadata, the pipeline, the checks); the
enterprise table comes from ``generate_ledger.py``. This file is only the entry point.

Usage::

    python gis_data/beichuan/generate.py            # (re)write the files next to this script
    python gis_data/beichuan/generate.py --check    # write, then read back and check them

The output is byte-stable: running the script twice gives identical files.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
PACKAGE = "_beichuan_generator"  # a private name: the folder is scripts beside data


def _load_generator() -> ModuleType:
    """Import the ``generator/`` folder beside this script as the package ``PACKAGE``."""
    folder = HERE / "generator"
    spec = importlib.util.spec_from_file_location(
        PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"the generator package is missing: {folder}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)
    return package


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output directory")
    parser.add_argument("--check", action="store_true", help="read back and check the output")
    args = parser.parse_args(argv)
    _load_generator()
    base = importlib.import_module(f"{PACKAGE}.base")
    pipeline = importlib.import_module(f"{PACKAGE}.pipeline")
    layers = pipeline.generate(args.out)
    print(pipeline.summary(layers))
    base.ledger.write_enterprises(
        args.out, [{**p, "area_m2": p["geometry"].area} for p in layers["parcels"]]
    )
    if args.check:
        problems = importlib.import_module(f"{PACKAGE}.checks").check(args.out)
        for p in problems:
            print("PROBLEM:", p)
        print("checks passed" if not problems else f"{len(problems)} problems")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
