"""Paths, shared constants, the schema and the ledger module, loaded beside the data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parents[1]  # gis_data/beichuan, the data folder
REPO_ROOT = HERE.parents[1]
SOURCES = HERE / "sources"
COUNTY_FILE = "datong_630121_ctamap_wgs84.geojson"
POINTS_FILE = "context_points_wgs84.geojson"
LICENCE_FILE = "LICENSE-tudigong-MIT.txt"

SEED = 20240201  # the article's publication date
METRIC_CRS = "EPSG:4543"
MU_M2 = 10000.0 / 15.0
GRID_M = 0.01  # metric coordinates are snapped to this grid before transforming
DECIMALS = 7  # WGS84 decimals written (about 1 cm)
NODE_TOLERANCE_M = 0.02
SLIVER_AREA_M2 = 2000.0  # 3 mu: smaller bits of land are left unparcelled
SLIVER_WIDTH_M = 15.0  # thinner pieces are merged into a neighbour

COUNTY_LICENCE = (
    "MIT, Tudigong project (thebamboogrove/tudigong); boundaries from CTAmap v1.30 (2021)"
)
LAYOUT_SOURCE = "illustrative layout (gis_data/beichuan/generate.py)"


def _load_schema() -> ModuleType:
    """Import ``zoning.schema``; fall back to loading the file if the package is in flux."""
    sys.path.insert(0, str(REPO_ROOT))
    try:
        from zoning import schema
    except Exception:
        path = REPO_ROOT / "zoning" / "schema.py"
        spec = importlib.util.spec_from_file_location("_zoning_schema", path)
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    return schema


s = _load_schema()


def _load_ledger() -> ModuleType:
    """Import the enterprise-table generator beside this script (generate_ledger.py)."""
    spec = importlib.util.spec_from_file_location("_beichuan_ledger", HERE / "generate_ledger.py")
    if spec is None or spec.loader is None:
        raise ImportError("generate_ledger.py not found beside generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ledger = _load_ledger()
DEVELOPED = str(s.ParcelStatus.DEVELOPED)
COMMITTED = str(s.ParcelStatus.COMMITTED)
VACANT = str(s.ParcelStatus.VACANT)
PROTECTED = str(s.ParcelStatus.PROTECTED)
BUILT = str(s.InfrastructureStatus.BUILT)
PLANNED = str(s.InfrastructureStatus.PLANNED)
