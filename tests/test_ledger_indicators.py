"""The park indicators reproduce a hand computation on a small park; targets and their gaps."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.conftest import metric_box, tiny_layers
from zoning import schema as s
from zoning.ledger import evaluate
from zoning.park import Park, build_park
from zoning.rulebook import build_rulebook

RULEBOOK = {
    "rulebook": {"park_id": "tiny", "name": "Tiny", "version": "1"},
    "industries": [
        {"code": "3216", "name_zh": "铝冶炼", "name_en": "Smelting", "land_use_code": "100103",
         "produces": ["molten_aluminium"]},
        {"code": "3252", "name_zh": "铝压延加工", "name_en": "Rolling", "land_use_code": "100102",
         "consumes": ["molten_aluminium"]},
    ],
    "targets": [
        {"id": "industrial_output", "name_zh": "工业总产值", "name_en": "Output", "value": 10,
         "unit": "亿元", "year": 2025, "source": "test"},
        {"id": "green_aluminium_share", "name_zh": "绿电铝", "name_en": "Green", "value": 90,
         "unit": "%", "year": 2025, "source": "test"},
    ],
    "ledger": {
        "chain": {"uses": [{"industry": "3252", "input_share_of_output": 0.5}]},
    },
}  # fmt: skip


def small_park(*, road: bool) -> Park:
    """The tiny park: P1 (90,000 m², developed 100103), P2 vacant (90,000 m²), P3 vacant and
    P4 developed housing (40,000 m² each); P2 split into P2a (committed 100102) and P2b."""
    layers = tiny_layers()
    parcels = layers["parcels"]
    parcels = pd.concat(
        [
            parcels[parcels["parcel_id"] != "P2"],
            gpd.GeoDataFrame(
                {
                    "parcel_id": ["P2a", "P2b"],
                    "land_use_code": ["100102", "100102"],
                    "status": ["committed", "vacant"],
                },
                geometry=[metric_box(300, 0, 450, 300), metric_box(450, 0, 600, 300)],
                crs="EPSG:4543",
            ),
        ],
        ignore_index=True,
    )
    parcels["floor_area_m2"] = parcels["parcel_id"].map({"P1": 54_000.0, "P4": 80_000.0})
    parcels["footprint_m2"] = parcels["parcel_id"].map({"P1": 36_000.0, "P4": 10_000.0})
    layers["parcels"] = gpd.GeoDataFrame(parcels, crs="EPSG:4543")
    if road:
        # a built road 10 m north of P2b (P3 is 110 m from it)
        layers["infrastructure"] = gpd.GeoDataFrame(
            {"infra_id": ["R1"], "kind": ["road"], "name": ["Road"], "status": ["built"],
             "source": ["test"]},
            geometry=[shapely.LineString([(472_450, 4_086_310), (473_200, 4_086_310)])],
            crs="EPSG:4543",
        )  # fmt: skip
    return build_park(layers, build_rulebook(RULEBOOK))


def enterprises() -> pd.DataFrame:
    rows = []
    for e in (
        {"enterprise_id": "E1", "industry_code": "3216", "parcel_ids": "P1",
         "output_wan": "27000", "tax_wan": "1350", "investment_actual_wan": "40500",
         "started_on": "2010-01-01", "completed_on": "2012-01-01", "built_share": "1"},
        {"enterprise_id": "E2", "industry_code": "3252", "parcel_ids": "P2a",
         "output_wan": "0", "investment_actual_wan": "100", "started_on": "2023-01-01",
         "built_share": "0.4"},
    ):  # fmt: skip
        row = dict.fromkeys(s.ENTERPRISE_COLUMNS, "")
        row.update(
            supplied_on="2009-01-01", contract_start_by="2010-06-01",
            contract_complete_by="2025-01-01", investment_contract_wan="40000",
        )  # fmt: skip
        row.update(e)
        rows.append(row)
    return pd.DataFrame(rows)


def test_indicators_by_hand_without_roads() -> None:
    got = evaluate(small_park(road=False), enterprises(), as_of="2023-12-31").indicators
    value = got[s.VALUE]
    # available: 90,000 + 45,000 + 45,000 + 40,000 + 40,000 = 260,000 m² (nothing protected)
    # supplied: P1, P2a, P4 = 175,000 m²; ready = supplied (no built road); built: P1, P4
    assert value["development_rate"] == pytest.approx(100 * 175_000 / 260_000)
    assert value["supply_rate"] == pytest.approx(100.0)
    assert value["built_rate"] == pytest.approx(100 * 130_000 / 175_000)
    assert value["idle_share"] == pytest.approx(0.0)
    assert value["industrial_share"] == pytest.approx(100 * 90_000 / 130_000)
    assert value["far"] == pytest.approx(134_000 / 130_000)
    assert value["industrial_far"] == pytest.approx(0.6)
    assert value["building_density"] == pytest.approx(100 * 46_000 / 130_000)
    assert value["building_coefficient"] == pytest.approx(40.0)
    # built-up enterprise land: E1 on P1, 9 ha = 135 mu
    assert value["investment_per_ha"] == pytest.approx(40_500 / 9)
    assert value["tax_per_ha"] == pytest.approx(1350 / 9)
    assert value["output_per_mu"] == pytest.approx(200.0)
    assert value["industrial_output"] == pytest.approx(2.7)
    assert value["above_size_share"] == pytest.approx(50.0)
    # the rolling mill takes in nothing yet: 0 / 27,000
    assert value["local_conversion"] == pytest.approx(0.0)
    for column in (s.UNIT, s.NAME, s.DEFINITION, s.SOURCE):
        assert got[column].ne("").all(), column


def test_a_built_road_makes_vacant_land_ready_to_supply() -> None:
    got = evaluate(small_park(road=True), enterprises(), as_of="2023-12-31").indicators
    # P2b is within 45 m of the built road, P3 is not: ready = 175,000 + 45,000
    assert got.loc["development_rate", s.VALUE] == pytest.approx(100 * 220_000 / 260_000)
    assert got.loc["supply_rate", s.VALUE] == pytest.approx(100 * 175_000 / 220_000)


def test_idle_share_and_local_conversion_and_targets() -> None:
    rows = enterprises()
    rows.loc[1, ["started_on", "built_share"]] = ["", "0"]  # E2 never started: idle
    rows.loc[1, "output_wan"] = "5400"  # and, say, its mill were producing on the side
    result = evaluate(small_park(road=False), rows, as_of="2023-12-31")
    value = result.indicators[s.VALUE]
    assert value["idle_share"] == pytest.approx(100 * 45_000 / 175_000)
    assert result.land.loc["P2a", s.LAND_STATUS] == "idle_recovery"
    # 5,400 × 0.5 taken in of 27,000 made
    assert value["local_conversion"] == pytest.approx(10.0)
    targets = result.targets.set_index("target_id")
    assert targets.loc["industrial_output", s.VALUE] == pytest.approx(3.24)
    assert targets.loc["industrial_output", s.GAP] == pytest.approx(10 - 3.24)
    assert pd.isna(targets.loc["green_aluminium_share", s.GAP])


def test_each_parcel_carries_its_holders_grade_and_land_status() -> None:
    result = evaluate(small_park(road=False), enterprises(), as_of="2023-12-31")
    land = result.land
    assert sorted(land.index) == ["P1", "P2a"]
    assert land.loc["P1", s.ENTERPRISE_ID] == "E1"
    assert land.loc["P1", s.GRADE] == result.enterprises.loc["E1", s.GRADE]
    assert land.loc["P2a", s.GRADE] is None
    assert land.loc["P2a", s.NEXT_DUE] == "2025-01-01"
