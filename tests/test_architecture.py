"""The computing core imports neither folium nor fiona (maps and files stay at the edges)."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "zoning",
    "zoning.schema",
    "zoning.units",
    "zoning.landuse",
    "zoning.rulebook",
    "zoning.validation",
    "zoning.park",
    "zoning.summary",
]
OPTIONAL_CORE = [
    "zoning.fit",
    "zoning.projects",
    "zoning.siting",
    "zoning.adjacency",
    "zoning.sequencing",
    "zoning.sequencing_exact",
    "zoning.gcj02",
]


def test_core_imports_neither_folium_nor_fiona() -> None:
    code = (
        "import importlib, importlib.util, sys\n"
        f"mods = {CORE_MODULES!r} + [m for m in {OPTIONAL_CORE!r} "
        "if importlib.util.find_spec(m) is not None]\n"
        "for m in mods: importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('folium', 'fiona'))\n"
        "print(len(mods), bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
