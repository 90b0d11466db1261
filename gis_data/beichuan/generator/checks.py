"""Read the written dataset back and check it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from .base import COMMITTED, DEVELOPED, METRIC_CRS, MU_M2, PROTECTED, VACANT, s
from .geometry import polygons


def check(out_dir: Path) -> list[str]:
    """Read the written files back and check them; return the problems found."""
    problems: list[str] = []
    gdf = read_layers(out_dir, problems)
    for step in CHECKS:
        problems += step(gdf)
    return problems


def read_layers(out_dir: Path, problems: list[str]) -> dict[str, Any]:
    """Read every layer, check it against the schema and RFC 7946, return it in EPSG:4543."""
    import geopandas as gpd

    gdf = {}
    for name in ("zones", "parcels", "constraints", "infrastructure", "context"):
        path = out_dir / f"{name}.geojson"
        raw = json.loads(path.read_text(encoding="utf-8"))
        if "crs" in raw:
            problems.append(f"{name}: has a crs member")
        for f in raw["features"]:
            g = shape(f["geometry"])
            for poly in polygons(g):
                if not poly.exterior.is_ccw or any(r.is_ccw for r in poly.interiors):
                    problems.append(f"{name}: ring orientation not RFC 7946")
        frame = gpd.read_file(path)
        layer = s.LAYER_BY_NAME[name]
        if list(frame.columns[:-1]) != [f.name for f in layer.fields]:
            problems.append(f"{name}: columns {list(frame.columns)}")
        for spec in layer.fields:
            if spec.required and frame[spec.name].isna().any():
                problems.append(f"{name}: missing {spec.name}")
            if spec.choices and not frame[spec.name].isin(spec.choices).all():
                problems.append(f"{name}: bad {spec.name} values")
        if not set(frame.geom_type) <= set(layer.geometry_types):
            problems.append(f"{name}: geometry types {set(frame.geom_type)}")
        if not frame.is_valid.all():
            problems.append(f"{name}: invalid geometries")
        minx, _, maxx, _ = frame.total_bounds
        if minx < 100.5 or maxx > 103.5:
            problems.append(f"{name}: outside 100.5-103.5 E")
        gdf[name] = frame.to_crs(METRIC_CRS)

    return gdf


def _county_problems(gdf: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    county = gdf["context"].loc[gdf["context"][s.KIND] == "county_boundary"].geometry.iloc[0]
    for name in ("zones", "parcels", "constraints", "infrastructure"):
        if not gdf[name].covered_by(county).all():
            problems.append(f"{name}: not inside Datong County")

    return problems


def _coverage_problems(gdf: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    zones, parcels = gdf["zones"], gdf["parcels"]
    zg = list(zones.geometry)
    for i in range(len(zg)):
        for j in range(i + 1, len(zg)):
            if zg[i].intersection(zg[j]).area >= 1.0:
                problems.append(f"zones {i} and {j} overlap")
    if not shapely.coverage_is_valid(np.asarray(zg)):
        problems.append("zones: not a valid coverage")
    if not shapely.coverage_is_valid(np.asarray(parcels.geometry)):
        problems.append("parcels: not a valid coverage (overlaps or unmatched shared edges)")

    n_zones = np.asarray([sum(z.covers(p) for z in zg) for p in parcels.geometry])
    if (n_zones != 1).any():
        bad = list(parcels.loc[n_zones != 1, s.PARCEL_ID])
        problems.append(f"parcels not covered by exactly one zone: {bad}")

    return problems


def _constraint_problems(gdf: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    zones, parcels, cons = gdf["zones"], gdf["parcels"], gdf["constraints"]
    zg = list(zones.geometry)
    not_protected = parcels[s.STATUS] != PROTECTED
    for _, c in cons.iterrows():
        if c[s.KIND] == s.ConstraintKind.SENSITIVE_AREA:
            continue
        hit = parcels.geometry.intersection(c.geometry).area >= 1.0
        if c[s.KIND] == s.ConstraintKind.ECOLOGICAL_PROTECTION:
            hit &= not_protected
        if hit.any():
            problems.append(f"parcels {list(parcels.loc[hit, s.PARCEL_ID])} in {c[s.KIND]}")
    town = cons.loc[cons[s.KIND] == s.ConstraintKind.SENSITIVE_AREA].geometry.iloc[0]
    if town.intersection(shapely.union_all(zg)).area > 0:
        problems.append("the town built-up area overlaps the park")

    tree = shapely.STRtree(parcels.geometry)
    left, right = tree.query(parcels.geometry, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j and parcels.geometry.iloc[i].intersection(parcels.geometry.iloc[j]).area > 1.0:
            problems.append(f"parcels {i} and {j} overlap")

    return problems


def _anchor_problems(gdf: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    zones, parcels, cons = gdf["zones"], gdf["parcels"], gdf["constraints"]
    almg = zones.loc[zones[s.ZONE_ID] == "almg"].geometry.iloc[0]
    plants = gdf["context"].loc[gdf["context"][s.KIND] == "coal_power_plant"]
    for pt in plants.geometry:
        hosts = parcels.loc[parcels.covers(pt)]
        if (
            len(hosts) != 1
            or not ((hosts[s.STATUS] == DEVELOPED) & (hosts[s.LAND_USE_CODE] == "100103")).all()
        ):
            problems.append(f"power-station point {pt} not in one developed 100103 parcel")
        if not almg.contains(pt) or cons.intersects(pt).any():
            problems.append(f"power-station point {pt} outside almg or inside a constraint")
    if gdf["context"].loc[gdf["context"][s.KIND] == "county_seat"].intersects(almg).any():
        problems.append("the town centre lies in the park")

    return problems


def _statistics_problems(gdf: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    zones, parcels = gdf["zones"], gdf["parcels"]
    zg = list(zones.geometry)
    not_protected = parcels[s.STATUS] != PROTECTED
    n = len(parcels)
    if not 350 <= n <= 450:
        problems.append(f"{n} parcels")
    vacant = (parcels[s.STATUS] == VACANT).mean()
    if not 0.55 <= vacant <= 0.65:
        problems.append(f"vacant share {vacant:.2f}")
    active = parcels[s.STATUS].isin([DEVELOPED, COMMITTED])
    ww = parcels.loc[active, s.WASTEWATER_TPD].sum()
    if not 7600 <= ww <= 8300:
        problems.append(f"developed+committed wastewater {ww:.0f} t/d")
    if (parcels.loc[~active, [s.WASTEWATER_TPD, s.POWER_MW]] != 0).any().any():
        problems.append("vacant or protected parcels with loads")
    area_mu = parcels.area / MU_M2
    in_zone = {z: parcels.covered_by(g) for z, g in zip(zones[s.ZONE_ID], zg, strict=True)}
    industrial = ~in_zone["integration"] & not_protected
    share = area_mu[industrial].between(20, 300).mean()
    if share < 0.8:
        problems.append(f"only {share:.0%} of industrial-zone parcels are 20-300 mu")
    share = area_mu[in_zone["integration"] & not_protected].between(8, 60).mean()
    if share < 0.8:
        problems.append(f"only {share:.0%} of integration parcels are 8-60 mu")
    if not (parcels.geom_type == "MultiPolygon").any():
        problems.append("no MultiPolygon parcel")
    if not any(len(q.interiors) for g in parcels.geometry for q in polygons(g)):
        problems.append("no parcel with a hole")
    return problems


#: the checks on the layers read back, in the order their problems are reported
CHECKS: tuple[Callable[[dict[str, Any]], list[str]], ...] = (
    _county_problems,
    _coverage_problems,
    _constraint_problems,
    _anchor_problems,
    _statistics_problems,
)
