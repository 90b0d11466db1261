"""The pipeline: build every layer, place it on the ground and write the dataset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point

from .attributes import assign_attributes
from .base import (
    COMMITTED,
    DEVELOPED,
    LICENCE_FILE,
    METRIC_CRS,
    MU_M2,
    NODE_TOLERANCE_M,
    PROTECTED,
    SEED,
    SOURCES,
    VACANT,
    s,
)
from .constraints import build_constraints
from .context import build_context, point_by, read_sources
from .frame import Anchors, Frame
from .geometry import node_shared_vertices
from .infrastructure import build_infrastructure
from .layout import BLOCK_RULES, ZONE_ORDER, ZONE_SPECS, BlockRule
from .metadata import build_metadata
from .output import Placer, geojson_geometry, layer_feature, write_geojson
from .parcels import add_hole_and_ditch, build_parcels
from .roads import build_roads
from .zones import build_zones


def generate(out_dir: Path, source_dir: Path = SOURCES) -> dict[str, list[dict]]:
    """Build every layer and write the dataset into ``out_dir``; return the metric layers."""
    rng = np.random.default_rng(SEED)
    county, points = read_sources(source_dir)
    frame, anchors = place_frame(points)
    zone_feats, parcel_feats, constraints, infra = build_layers(rng, anchors)
    placer = Placer(frame)
    put_on_ground(placer, zone_feats + parcel_feats + constraints, infra)
    layers = {
        "zones": (s.ZONES, zone_feats),
        "parcels": (s.PARCELS, parcel_feats),
        "constraints": (s.CONSTRAINTS, constraints),
        "infrastructure": (s.INFRASTRUCTURE, infra),
    }
    write_dataset(out_dir, source_dir, placer, layers, county, points)
    return {name: feats for name, (_, feats) in layers.items()}


def place_frame(points: dict) -> tuple[Frame, Anchors]:
    """The (u, v) frame from the town centre to phase 2, and the power-station anchors in it."""
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)

    def metric_of(feature: dict) -> tuple[float, float]:
        lon, lat = feature["geometry"]["coordinates"]
        return to_metric.transform(lon, lat)

    town_xy = metric_of(point_by(points, "county_seat"))
    frame = Frame.from_anchors(town_xy, metric_of(point_by(points, "coal_power_plant", True)))
    plant_uv = frame.xy_to_uv(metric_of(point_by(points, "coal_power_plant", False)))[0]
    phase2_uv = frame.xy_to_uv(metric_of(point_by(points, "coal_power_plant", True)))[0]
    return frame, Anchors(Point(plant_uv), Point(phase2_uv))


def build_layers(
    rng: np.random.Generator, anchors: Anchors
) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Zones, parcels, constraints and infrastructure as features in the (u, v) frame.

    The steps draw from ``rng`` in a fixed order: roads, constraints, parcels, attributes.
    """
    zones = build_zones()
    roads = build_roads(rng, zones)
    constraints = build_constraints(rng, roads.cross_widths)
    rules = (
        BlockRule((anchors.plant.x, anchors.plant.y), whole=True),
        BlockRule((anchors.plant_phase2.x, anchors.plant_phase2.y), whole=True),
        *BLOCK_RULES,
    )
    parcels = build_parcels(rng, zones, roads, constraints, rules)
    add_hole_and_ditch(parcels)
    parcels = assign_attributes(rng, parcels, anchors)
    infra = build_infrastructure(roads, zones, parcels)
    zone_feats = [
        {
            s.ZONE_ID: z,
            **{k: v for k, v in ZONE_SPECS[z].items() if k != "outline"},
            "geometry": zones[z],
        }
        for z in ZONE_ORDER
    ]
    parcel_feats = [{**p.props, "geometry": p.geom} for p in parcels]
    return zone_feats, parcel_feats, constraints, infra


def put_on_ground(placer: Placer, polygonal: list[dict], infra: list[dict]) -> None:
    """Snap to the metric grid, then make touching polygons share vertices (in place)."""
    noded = node_shared_vertices(
        [placer.metric(f["geometry"]) for f in polygonal], NODE_TOLERANCE_M
    )
    for f, geom in zip(polygonal, noded, strict=True):
        if not geom.is_valid:
            raise RuntimeError(f"invalid geometry after noding: {shapely.is_valid_reason(geom)}")
        f["geometry"] = geom
    for f in infra:
        f["geometry"] = placer.metric(f["geometry"])


def write_dataset(
    out_dir: Path,
    source_dir: Path,
    placer: Placer,
    layers: dict[str, tuple[Any, list[dict]]],
    county: dict,
    points: dict,
) -> None:
    """Write the layers, the context, the metadata and the licence into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (layer, feats) in layers.items():
        out = [
            layer_feature(f, layer, geojson_geometry(placer.wgs84(f["geometry"]))) for f in feats
        ]
        write_geojson(out_dir / f"{name}.geojson", out)
    context = build_context(county, points)
    write_geojson(
        out_dir / "context.geojson", [layer_feature(f, s.CONTEXT, f["geojson"]) for f in context]
    )
    metadata = json.dumps(build_metadata(points), ensure_ascii=False, indent=2) + "\n"
    (out_dir / "metadata.json").write_text(metadata, encoding="utf-8")
    shutil.copyfile(source_dir / LICENCE_FILE, out_dir / LICENCE_FILE)


def summary(layers: dict[str, list[dict]]) -> str:
    """Markdown tables of zone areas and parcel statuses, measured in EPSG:4543."""
    statuses = (DEVELOPED, COMMITTED, VACANT, PROTECTED)
    rows = [
        "| zone | area (mu) | area (ha) | parcels | " + " | ".join(statuses) + " |",
        "|---|---:|---:|---:|" + "---:|" * len(statuses),
    ]
    parcels = layers["parcels"]
    zone_of = {}
    for z in layers["zones"]:
        for p in parcels:
            if z["geometry"].covers(p["geometry"]):
                zone_of[p[s.PARCEL_ID]] = z[s.ZONE_ID]
    totals = dict.fromkeys(statuses, 0)
    for z in layers["zones"]:
        zid = z[s.ZONE_ID]
        mine = [p for p in parcels if zone_of.get(p[s.PARCEL_ID]) == zid]
        counts = [sum(p[s.STATUS] == st for p in mine) for st in statuses]
        for st, n in zip(statuses, counts, strict=True):
            totals[st] += n
        area = z["geometry"].area
        rows.append(
            f"| {zid} {z[s.NAME_ZH]} | {area / MU_M2:,.0f} | {area / 1e4:,.1f} | {len(mine)} | "
            + " | ".join(str(n) for n in counts)
            + " |"
        )
    park_area = sum(z["geometry"].area for z in layers["zones"])
    rows.append(
        f"| **park** | {park_area / MU_M2:,.0f} | {park_area / 1e4:,.1f} | {len(parcels)} | "
        + " | ".join(str(totals[st]) for st in statuses)
        + " |"
    )
    active = [p for p in parcels if p[s.STATUS] in (DEVELOPED, COMMITTED)]
    ww = {st: sum(p[s.WASTEWATER_TPD] for p in active if p[s.STATUS] == st) for st in statuses}
    mw = {st: sum(p[s.POWER_MW] for p in active if p[s.STATUS] == st) for st in statuses}
    areas_mu = sorted(p["geometry"].area / MU_M2 for p in parcels)
    rows += [
        "",
        f"Parcel area: median {np.median(areas_mu):.0f} mu, "
        f"min {areas_mu[0]:.1f} mu, max {areas_mu[-1]:.0f} mu; "
        f"vacant share {totals[VACANT] / len(parcels):.0%}.",
        f"Wastewater: developed {ww[DEVELOPED]:,.0f} t/d + committed {ww[COMMITTED]:,.0f} t/d "
        f"= {ww[DEVELOPED] + ww[COMMITTED]:,.0f} t/d (plant: 10,000 t/d).",
        f"Power demand: developed {mw[DEVELOPED]:,.1f} MW + committed {mw[COMMITTED]:,.1f} MW "
        f"= {mw[DEVELOPED] + mw[COMMITTED]:,.1f} MW (substations: 600 MW usable).",
    ]
    return "\n".join(rows)
