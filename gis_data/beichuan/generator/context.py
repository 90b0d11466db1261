"""The real context features (county boundary, points), unaltered."""

from __future__ import annotations

import json
from pathlib import Path

from .base import COUNTY_FILE, COUNTY_LICENCE, POINTS_FILE, s


def read_sources(source_dir: Path) -> tuple[dict, dict]:
    county = json.loads((source_dir / COUNTY_FILE).read_text(encoding="utf-8"))
    points = json.loads((source_dir / POINTS_FILE).read_text(encoding="utf-8"))
    return county, points


def point_by(points: dict, kind: str, phase2: bool | None = None) -> dict:
    found = [
        f
        for f in points["features"]
        if f["properties"]["kind"] == kind
        and (phase2 is None or ("Phase 2" in f["properties"]["name"]) == phase2)
    ]
    if len(found) != 1:
        raise RuntimeError(f"expected one {kind} point in {POINTS_FILE}, found {len(found)}")
    return found[0]


CONTEXT_IDS = {
    ("coal_power_plant", False): "CTX-QIAOTOU-PS",
    ("coal_power_plant", True): "CTX-QIAOTOU-PS2",
    ("city", False): "CTX-XINING",
    ("county_seat", False): "CTX-QIAOTOU-TOWN",
}


def build_context(county: dict, points: dict) -> list[dict]:
    """The real context features, with their published source and licence, unaltered."""
    (boundary,) = county["features"]
    meta = county["metadata"]
    feats = [
        {
            s.CONTEXT_ID: "CTX-DATONG",
            s.KIND: "county_boundary",
            s.NAME: boundary["properties"]["name"],
            s.ACCURACY: meta["accuracy"],
            s.SOURCE: meta["source"],
            s.LICENCE: COUNTY_LICENCE,
            "geojson": boundary["geometry"],
        }
    ]
    for f in points["features"]:
        p = f["properties"]
        feats.append(
            {
                s.CONTEXT_ID: CONTEXT_IDS[(p["kind"], "Phase 2" in p["name"])],
                s.KIND: p["kind"],
                s.NAME: p["name"],
                s.ACCURACY: p["accuracy"],
                s.SOURCE: p["source"],
                s.LICENCE: p["licence"],
                "geojson": f["geometry"],
            }
        )
    return feats
