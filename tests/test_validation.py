"""A catalogue of broken parks: each has one defect and must fail naming it."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tests.conftest import metric_box, tiny_layers, write_geojson
from zoning import ParkValidationError, load_park
from zoning.errors import Severity
from zoning.validation import find_park_issues


def _rewrite(
    park_dir: Path, layer: str, edit: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
) -> None:
    gdf = tiny_layers()[layer]
    write_geojson(park_dir / f"{layer}.geojson", edit(gdf))


def bow_tie(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        x, y = 472_000.0, 4_086_000.0
        bow = shapely.Polygon([(x, y), (x + 300, y + 300), (x + 300, y), (x, y + 300)])
        gdf.loc[1, "geometry"] = shapely.affinity.translate(bow, 300, 0)
        return gdf

    _rewrite(park_dir, "parcels", edit)


def overlapping_zones(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[1, "geometry"] = metric_box(900, 0, 1600, 600)
        return gdf

    _rewrite(park_dir, "zones", edit)


def missing_crs(park_dir: Path) -> None:
    gdf = tiny_layers()["zones"]
    (park_dir / "zones.geojson").unlink()
    gdf = gdf.drop(columns=["permitted", "conditional", "prohibited"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # shapefile field names are truncated
        gdf.to_file(park_dir / "zones.shp", engine="fiona")
    (park_dir / "zones.prj").unlink()


def metres_as_degrees(park_dir: Path) -> None:
    gdf = tiny_layers()["parcels"]
    features = json.loads(gdf.to_json())  # EPSG:4543 metres, written without reprojecting
    features.pop("crs", None)
    (park_dir / "parcels.geojson").write_text(json.dumps(features), encoding="utf-8")


def duplicate_id(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[1, "parcel_id"] = "P1"
        return gdf

    _rewrite(park_dir, "parcels", edit)


def unknown_land_use_code(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[2, "land_use_code"] = "999999"
        return gdf

    _rewrite(park_dir, "parcels", edit)


def unknown_industry_code(park_dir: Path) -> None:
    rulebook = park_dir / "rulebook.toml"
    rulebook.write_text(
        rulebook.read_text(encoding="utf-8").replace('code = "3252"', 'code = "32A2"'),
        encoding="utf-8",
    )


def parcel_outside_park(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[1, "geometry"] = metric_box(3000, 3000, 3100, 3100)
        return gdf

    _rewrite(park_dir, "parcels", edit)


def parcel_across_zones(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[1, "geometry"] = metric_box(900, 300, 1100, 500)
        return gdf

    _rewrite(park_dir, "parcels", edit)


def empty_file(park_dir: Path) -> None:
    (park_dir / "zones.geojson").write_bytes(b"")


def not_geojson(park_dir: Path) -> None:
    (park_dir / "parcels.geojson").write_text("parcel_id,status\nP1,vacant\n", encoding="utf-8")


def missing_field(park_dir: Path) -> None:
    _rewrite(park_dir, "zones", lambda gdf: gdf.drop(columns=["priority"]))


def negative_value(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[0, "wastewater_tpd"] = -5.0
        return gdf

    _rewrite(park_dir, "parcels", edit)


def nan_priority(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf["priority"] = [1.0, float("nan")]
        return gdf

    _rewrite(park_dir, "zones", edit)


def bad_status(park_dir: Path) -> None:
    def edit(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        gdf.loc[3, "status"] = "sold"
        return gdf

    _rewrite(park_dir, "parcels", edit)


def missing_rulebook(park_dir: Path) -> None:
    (park_dir / "rulebook.toml").unlink()


def toml_syntax(park_dir: Path) -> None:
    (park_dir / "rulebook.toml").write_text("[rulebook\npark_id = 1\n", encoding="utf-8")


CATALOGUE = [
    (bow_tie, r"parcels.*invalid geometry: Self-intersection.*P2"),
    (overlapping_zones, r"overlapping zones: ind and city share 60,000 m²"),
    (missing_crs, r"missing CRS"),
    (metres_as_degrees, r"coordinates impossible for the declared CRS.*projected metres"),
    (duplicate_id, r"duplicate id\(s\) in 'parcel_id'.*P1"),
    (unknown_land_use_code, r"unknown land-use code\(s\) \['999999'\].*P3"),
    (unknown_industry_code, r"industries\.0\.code.*4 digits.*'32A2'"),
    (parcel_outside_park, r"parcel outside every zone \(outside the park\).*P2"),
    (parcel_across_zones, r"parcel crosses a zone boundary.*P2"),
    (empty_file, r"zones\.geojson\] empty file"),
    (not_geojson, r"parcels\.geojson\] not a GeoJSON file: invalid JSON"),
    (missing_field, r"missing required field\(s\): priority"),
    (negative_value, r"negative value in 'wastewater_tpd'.*P1"),
    (nan_priority, r"empty value in required field 'priority'.*city"),
    (bad_status, r"unknown value\(s\) \['sold'\] in 'status'.*P4"),
    (missing_rulebook, r"rulebook\.toml\] file not found"),
    (toml_syntax, r"TOML syntax error"),
]


@pytest.mark.parametrize(("breaker", "message"), CATALOGUE, ids=[b.__name__ for b, _ in CATALOGUE])
def test_broken_park_names_its_defect(
    tiny_park_dir: Path, breaker: Callable[[Path], None], message: str
) -> None:
    breaker(tiny_park_dir)
    with pytest.raises(ParkValidationError, match=f"(?s){message}"):
        load_park(tiny_park_dir)


def test_tiny_park_is_valid(tiny_park_dir: Path) -> None:
    park = load_park(tiny_park_dir)
    assert park.parcels["zone_id"].tolist() == ["ind", "ind", "city", "city"]
    assert park.warnings == ()


def test_every_problem_is_reported_at_once(tiny_park_dir: Path) -> None:
    duplicate_id(tiny_park_dir)
    overlapping_zones(tiny_park_dir)
    unknown_industry_code(tiny_park_dir)
    with pytest.raises(ParkValidationError) as info:
        load_park(tiny_park_dir)
    text = str(info.value)
    assert "duplicate id" in text
    assert "overlapping zones" in text
    assert "32A2" in text
    assert len(info.value.problems) == 3


def test_error_is_a_value_error(tiny_park_dir: Path) -> None:
    empty_file(tiny_park_dir)
    with pytest.raises(ValueError, match="empty file"):
        load_park(tiny_park_dir)


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ParkValidationError, match="not a directory"):
        load_park(tmp_path / "nowhere")


def test_find_park_issues_never_raises_and_returns_warnings() -> None:
    layers = tiny_layers()
    layers["zones"] = layers["zones"].set_crs(None, allow_override=True)
    problems = find_park_issues(layers)
    errors = [p.what for p in problems if p.severity is Severity.ERROR]
    assert errors
    assert errors[0].startswith("missing CRS")


def test_data_outside_metric_band_is_a_warning() -> None:
    layers = tiny_layers()
    far = layers["parcels"].to_crs("EPSG:4326").translate(xoff=5.0)
    layers["parcels"] = layers["parcels"].set_geometry(far.to_crs("EPSG:4543").values)
    problems = find_park_issues(layers)
    assert any(p.severity is Severity.WARNING and "100.5-103.5" in p.what for p in problems)
