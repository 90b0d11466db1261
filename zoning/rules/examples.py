"""A two-zone park of ``shapely.box`` squares, for the examples in the rules' documentation.

Zone ``a`` (x 0–1000 m) permits GB/T 4754 prefix ``32`` (non-ferrous metals) and ``3091``
(carbon products) and admits class-3 industrial land; zone ``b`` (x 1000–2000 m) permits
``70`` (housing), prohibits ``3`` and admits class-1 land only. Parcels: ``p1`` (vacant, in
a, x 0–500), ``p2`` (vacant, in b, x 1000–1500) and ``h1`` (developed homes, in b, x
1500–2000, y 500–1000). The rulebook knows four industries, a binding 1000 m
health-protection distance for carbon plants and a binding wastewater capacity of 100 t/d.

>>> park = two_zone_park()
>>> park.zones["zone_id"].tolist(), park.parcels["parcel_id"].tolist()
(['a', 'b'], ['p1', 'p2', 'h1'])
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.park import Park, build_park
from zoning.rulebook import build_rulebook
from zoning.units import METRIC_CRS

#: lower-left corner of the example park (EPSG:4543, metres)
X0: Final = 500_000.0
Y0: Final = 4_000_000.0


def box(minx: float, miny: float, maxx: float, maxy: float) -> shapely.Polygon:
    """Return a rectangle in metres from the example park's corner."""
    return shapely.box(X0 + minx, Y0 + miny, X0 + maxx, Y0 + maxy)


def two_zone_park() -> Park:
    """Build the example park described in the module docstring."""
    industry = [
        ("3252", "铝压延加工", "Aluminium rolling", "100102"),
        ("3091", "石墨及碳素制品制造", "Carbon products", "100103"),
        ("3670", "汽车零部件及配件制造", "Auto parts", "100102"),
        ("7010", "房地产开发经营", "Housing", "070102"),
    ]
    rb = build_rulebook(
        {
            "rulebook": {"park_id": "demo", "name": "Demo", "version": "1"},
            "industries": [
                {"code": c, "name_zh": zh, "name_en": en, "land_use_code": lu}
                for c, zh, en, lu in industry
            ],
            "health_distances": [
                {
                    "id": "carbon_plant",
                    "applies_to": ["3091"],
                    "distance_m": 1000,
                    "binding": True,
                    "confidence": "secondary",
                    "source": "GB 18073-2000",
                }
            ],
            "capacities": {
                "wastewater_tpd": {
                    "value": 100,
                    "unit": "t/d",
                    "confidence": "article",
                    "source": "demo",
                }
            },
        }
    )
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["a", "b"],
            "name_zh": ["甲", "乙"],
            "name_en": ["A", "B"],
            "permitted": [["32", "3091", "367"], ["70"]],
            "conditional": [[], []],
            "prohibited": [[], ["3"]],
            "max_industrial_class": ["100103", "100101"],
            "priority": [1, 2],
            "development_mode": ["priority_contiguous"] * 2,
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=METRIC_CRS,
    )
    parcels = gpd.GeoDataFrame(
        pd.DataFrame(
            {
                "parcel_id": ["p1", "p2", "h1"],
                "land_use_code": ["100102", "100101", "070102"],
                "status": ["vacant", "vacant", "developed"],
            }
        ),
        geometry=[box(0, 0, 500, 500), box(1000, 0, 1500, 500), box(1500, 500, 2000, 1000)],
        crs=METRIC_CRS,
    )
    return build_park({"zones": zones, "parcels": parcels}, rb)


def synthetic_projects(park: Park, n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Return ``n`` synthetic projects for benchmarks and tests.

    Half have a rectangular site (60–250 m a side) centred inside the park's zones, half
    only an area; industry codes come from the rulebook's catalogue and each optional
    value is missing one time in five.

    Examples
    --------
    >>> import numpy as np
    >>> projects = synthetic_projects(two_zone_park(), 4, np.random.default_rng(0))
    >>> len(projects), int(projects.geometry.notna().sum())
    (4, 2)
    """
    union = shapely.union_all(park.zones.geometry.to_numpy())
    minx, miny, maxx, maxy = union.bounds
    n_sited = n // 2
    xs = np.empty(0)
    ys = np.empty(0)
    while len(xs) < n_sited:
        x = rng.uniform(minx, maxx, n_sited * 4)
        y = rng.uniform(miny, maxy, n_sited * 4)
        inside = shapely.contains_xy(union, x, y)
        xs, ys = np.concatenate([xs, x[inside]]), np.concatenate([ys, y[inside]])
    xs, ys = xs[:n_sited], ys[:n_sited]
    w, h = rng.uniform(60, 250, n_sited), rng.uniform(60, 250, n_sited)
    sites = list(shapely.box(xs - w / 2, ys - h / 2, xs + w / 2, ys + h / 2))
    codes = sorted(park.rulebook.industry_codes)

    def maybe(values: np.ndarray, share_missing: float = 0.2) -> np.ndarray:
        return np.where(rng.random(n) < share_missing, np.nan, values)

    return gpd.GeoDataFrame(
        {
            s.PROJECT_ID: [f"S{i:06d}" for i in range(n)],
            s.INDUSTRY_CODE: rng.choice(codes, n),
            s.AREA_MU: np.where(np.arange(n) < n_sited, np.nan, rng.uniform(10, 200, n)),
            s.FAR: maybe(rng.uniform(0.3, 2.0, n)),
            s.BUILDING_COEFFICIENT: maybe(rng.uniform(0.2, 0.6, n)),
            s.ADMIN_SHARE: maybe(rng.uniform(0.02, 0.1, n)),
            s.GREEN_RATIO: maybe(rng.uniform(0.05, 0.25, n)),
            s.INVESTMENT_WAN: maybe(rng.uniform(1_000, 60_000, n)),
            s.OUTPUT_WAN: maybe(rng.uniform(1_000, 80_000, n)),
            s.TAX_WAN: maybe(rng.uniform(50, 3_000, n)),
            s.WASTEWATER_TPD: maybe(rng.uniform(0, 2_500, n)),
            s.POWER_MW: maybe(rng.uniform(0, 300, n)),
        },
        geometry=sites + [None] * (n - n_sited),
        crs=METRIC_CRS,
    )


# --------------------------------------------------------------------------- per-row baseline
