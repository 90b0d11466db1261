"""The export holds the same plan as ``zoning.sequence`` returns: parcels, tracts, placements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import zoning
from tests.test_export import (
    GENERATED,
    assert_layer_equal,
    expected_layers,
    gj,
    read_all,
    read_geojson_layer,
    read_gpkg_layer,
    read_shapefile_layer,
)
from zoning import datadict as dd
from zoning.io import bundled_park_dir, read_projects
from zoning.io import export as ex
from zoning.park import Park

QUOTA_MU = 800.0


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Park, Any, Any, Path]:
    """The bundled park, its project pipeline's fit check, one plan of both, exported."""
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    plan = zoning.sequence(park, quota_mu=QUOTA_MU, projects=results)
    target = tmp_path_factory.mktemp("beichuan-one-plan")
    ex.export_park(park, target, results=results, plan=plan, generated_at=GENERATED)
    return park, results, plan, target


def test_the_plan_places_projects_and_opens_tracts(exported: tuple[Park, Any, Any, Path]) -> None:
    _, _, plan, _ = exported
    assert not plan.assignments.empty
    assert not plan.tracts.empty
    assert plan.metrics["tracts"].max() <= 3


@pytest.mark.parametrize("layer_name", ["parcels", "tracts", "placements"])
@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp"])
def test_export_holds_the_same_plan_as_sequence(
    exported: tuple[Park, Any, Any, Path], fmt: str, layer_name: str
) -> None:
    park, results, _, target = exported
    # planned again, independently of the exported object: the same plan
    plan = zoning.sequence(park, quota_mu=QUOTA_MU, projects=results)
    want = expected_layers(park, results, plan)[layer_name]
    assert want, layer_name
    if fmt == "geojson":
        got = read_geojson_layer(target / "beichuan-geojson", layer_name)
        assert_layer_equal(got, want, layer_name, "EPSG:4326", 1.01e-7)
    elif fmt == "gpkg":
        got = read_gpkg_layer(target / "beichuan_epsg4490.gpkg", layer_name, "EPSG:4490")
        assert_layer_equal(got, want, layer_name, "EPSG:4490", 1e-9)
    else:
        got = read_shapefile_layer(target / "beichuan-shapefile", layer_name, "EPSG:4490")
        assert_layer_equal(got, want, layer_name, "EPSG:4490", 1e-9, shapefile=True)


def test_metadata_names_the_plan(exported: tuple[Park, Any, Any, Path]) -> None:
    park, results, plan, target = exported
    props, _, _ = read_all(target / "beichuan_epsg4490.gpkg", layer="metadata")
    assert props[0]["plan_id"] == plan.plan_id
    assert props[0]["max_tracts_per_phase"] == park.rulebook.sequencing.max_tracts_per_phase
    doc = json.loads(gj(target / "beichuan-geojson", "metadata").read_text("utf-8"))
    assert doc["features"][0]["properties"]["plan_id"] == plan.plan_id
    # another plan has another id
    other = zoning.sequence(park, quota_mu=1500, projects=results)
    assert other.plan_id != plan.plan_id
    assert plan.to_dict()["metrics"]["plan_id"] == plan.plan_id


def test_tract_and_placement_layers_agree_with_the_parcels(
    exported: tuple[Park, Any, Any, Path],
) -> None:
    _, _, _, target = exported
    parcels = read_geojson_layer(target / "beichuan-geojson", "parcels")
    tracts = read_geojson_layer(target / "beichuan-geojson", "tracts")
    placements = read_geojson_layer(target / "beichuan-geojson", "placements")
    phase_of = {key[0]: props["phase"] for key, (props, _) in parcels.items()}
    in_tracts = set()
    for props, _ in tracts.values():
        assert {phase_of[p] for p in props["parcel_ids"]} == {props["phase"]}
        in_tracts.update(props["parcel_ids"])
    assert in_tracts == {p for p, ph in phase_of.items() if ph is not None}
    for props, _ in placements.values():
        # each placed project inside land its phase (or an earlier one) opens
        assert all(phase_of[p] is not None for p in props["parcel_ids"])
        assert max(phase_of[p] for p in props["parcel_ids"]) <= props["phase"]
    assert dd.TRACTS.name in {layer.name for layer in dd.EXPORT_LAYERS}
