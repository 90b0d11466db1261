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
import pandas as pd
import shapely

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
