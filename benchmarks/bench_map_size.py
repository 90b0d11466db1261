"""Size of the HTML map: the Beichuan park, and a synthetic park of 10,000 parcels.

Run: ``python benchmarks/bench_map_size.py``. Prints the size of each page (raw and gzipped,
as a web server would send it), the bytes per parcel, the share of each layer, and the time
to build and render the map. Coordinates are rounded to 6 decimals (about 0.1 m).
"""

from __future__ import annotations

import gzip
import json
import time

import folium
import geopandas as gpd
import numpy as np
import shapely

import zoning
from zoning import maps
from zoning import schema as s
from zoning.park import Park

N_SIDE = 100  # 100 x 100 = 10,000 parcels
CELL_M = 60.0  # parcel pitch, metres (parcels of 55 x 55 m, about 4.5 mu)
X0, Y0 = 465_000.0, 4_080_000.0  # EPSG:4543, near Qiaotou
LAND_USES = ("100101", "100102", "100103", "110101", "090101", "070102", "1401", "0802")


def synthetic_park(rng: np.random.Generator) -> Park:
    """Four zones side by side and N_SIDE² square parcels, with the Beichuan rulebook."""
    beichuan = zoning.load_park()
    side = N_SIDE * CELL_M
    quarter = side / 4
    zones = beichuan.zones.drop(columns=["geometry", s.AREA_M2, s.AREA_HA, s.AREA_MU]).copy()
    zones = gpd.GeoDataFrame(
        zones.reset_index(drop=True),
        geometry=[
            shapely.box(X0 + i * quarter, Y0, X0 + (i + 1) * quarter, Y0 + side)
            for i in range(len(zones))
        ],
        crs="EPSG:4543",
    )
    ix, iy = np.meshgrid(np.arange(N_SIDE), np.arange(N_SIDE))
    x = X0 + ix.ravel() * CELL_M + 2.5
    y = Y0 + iy.ravel() * CELL_M + 2.5
    n = len(x)
    parcels = gpd.GeoDataFrame(
        {
            s.PARCEL_ID: [f"S{i:05d}" for i in range(n)],
            s.LAND_USE_CODE: rng.choice(LAND_USES, n),
            s.STATUS: rng.choice([str(v) for v in s.ParcelStatus], n, p=[0.4, 0.1, 0.45, 0.05]),
            s.OCCUPANT: "",
        },
        geometry=shapely.box(x, y, x + CELL_M - 5, y + CELL_M - 5),
        crs="EPSG:4543",
    )
    layers = {"zones": zones, "parcels": parcels}
    return zoning.build_park(layers, beichuan.rulebook, metadata=dict(beichuan.metadata))


def measure(label: str, park: Park, **kwargs: object) -> None:
    start = time.perf_counter()
    m = maps.make_map(park, basemap="none", **kwargs)  # type: ignore[arg-type]
    built = time.perf_counter()
    page = m.get_root().render().encode("utf-8")
    rendered = time.perf_counter()
    packed = gzip.compress(page, compresslevel=6)
    n = len(park.parcels)
    print(
        f"{label}: {n:,} parcels, HTML {len(page) / 1e6:.2f} MB "
        f"({len(page) / n:,.0f} B/parcel), gzipped {len(packed) / 1e6:.2f} MB; "
        f"build {built - start:.2f} s, render {rendered - built:.2f} s"
    )
    shares = []
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup):
            size = sum(
                len(json.dumps(g.data))
                for g in child._children.values()
                if isinstance(g, folium.GeoJson)
            )
            shares.append(f"{child.layer_name}: {size / len(page):.0%}")
    print("    layer shares of the page: " + "; ".join(shares))
    assets = len(maps.assets.inline_html().encode("utf-8"))
    print(f"    inlined Leaflet and plugins: {assets / 1e6:.2f} MB ({assets / len(page):.0%})")


def main() -> None:
    rng = np.random.default_rng(20240201)
    beichuan = zoning.load_park()
    measure("Beichuan (park only)", beichuan)
    try:
        plan = zoning.sequence(beichuan, quota_mu=1500.0)  # type: ignore[attr-defined]
        results = zoning.check(
            beichuan,
            gpd.pd.DataFrame(
                {
                    s.PROJECT_ID: ["W1", "C1"],
                    s.INDUSTRY_CODE: ["3670", "3831"],
                    s.AREA_MU: ["120", "60"],
                }
            ),
        )
        measure("Beichuan (with fit results and phase plan)", beichuan, results=results, plan=plan)
    except AttributeError:
        print("Beichuan with a phase plan: zoning.sequence is not available yet")
    start = time.perf_counter()
    synthetic = synthetic_park(rng)
    print(f"(synthetic park built and validated in {time.perf_counter() - start:.1f} s)")
    measure("Synthetic", synthetic)


if __name__ == "__main__":
    main()
