"""The dataset's metadata.json: notice, credits, seed and CRS."""

from __future__ import annotations

from typing import Any

from .base import METRIC_CRS, SEED
from .context import point_by


def build_metadata(points: dict) -> dict[str, Any]:
    plant = point_by(points, "coal_power_plant", phase2=False)["properties"]
    return {
        "park_id": "beichuan",
        "name_zh": "北川工业园区",
        "name_en": "Beichuan Industrial Park",
        "county": "大通回族土族自治县 Datong Hui and Tu Autonomous County (630121), "
        "Xining, Qinghai",
        "illustrative": True,
        "notice": "The zones, parcels, roads, constraints and infrastructure of this dataset are "
        "an ILLUSTRATIVE layout: no official zoning map of the park is public, so they are "
        "invented and placed consistently with a few real anchors and the source article. "
        "Real are the Datong County boundary, the Qiaotou power-station points, the approximate "
        "town centre, and the national land-use (2023) and industry (GB/T 4754-2017) codes.",
        "credits": [
            {
                "data": "Datong County boundary (context.geojson CTX-DATONG)",
                "source": "Tudigong project (thebamboogrove/tudigong), boundaries from CTAmap "
                "v1.30 (Rui Cheng, shengshixian.com), 2021 edition; cite CTAmap (Rui C., Zhang H.,"
                " Chen B., SPIE ERSGIT 2024, doi:10.1117/12.3059430)",
                "licence": "MIT (LICENSE-tudigong-MIT.txt)",
            },
            {
                "data": "Qiaotou power station and phase-2 points (CTX-QIAOTOU-PS, "
                "CTX-QIAOTOU-PS2); they anchor the aluminium-magnesium cluster",
                "source": plant["source"],
                "licence": plant["licence"],
            },
            {
                "data": "Xining city point (CTX-XINING)",
                "source": "Natural Earth 10m populated places",
                "licence": "public domain",
            },
            {
                "data": "Qiaotou town centre (CTX-QIAOTOU-TOWN), approximate; origin of the "
                "layout frame",
                "source": "DataV areas_v2 630121 properties.center, converted GCJ-02 to WGS84",
                "licence": "single derived coordinate; DataV data itself carries no open licence",
            },
            {
                "data": "land-use codes (parcels.land_use_code, zones.max_industrial_class)",
                "source": "国土空间调查、规划、用途管制用地用海分类指南 (自然资发〔2023〕234号)",
                "licence": "official classification (codes as facts)",
            },
            {
                "data": "industry code prefixes (zones.permitted / conditional / prohibited)",
                "source": "GB/T 4754-2017 国民经济行业分类",
                "licence": "national standard (codes as facts)",
            },
        ],
        "generator": "gis_data/beichuan/generate.py",
        "seed": SEED,
        "source_article": "《北川工业园区奋力描绘高质量发展蓝图》 (The Beichuan Industrial "
        "Park strives to draw a blueprint for high-quality development), newspaper feature "
        "by intern reporter 李静, page 17A, 1 February 2024: the one-park-multiple-zones layout "
        "(一园多区), the four zones and their purposes, the 10,000 t/d wastewater plant in "
        "operation, and water, power, roads and gas still to be solved",
        "crs": "EPSG:4326 (RFC 7946)",
        "metric_crs": METRIC_CRS,
    }
