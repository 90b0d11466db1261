"""The bundled enterprise table: illustrative, deterministic, consistent with the article."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from zoning import load_park
from zoning import schema as s
from zoning.errors import RulebookError
from zoning.io import bundled_park_dir
from zoning.io.enterprises import read_enterprises
from zoning.ledger import evaluate
from zoning.ledger.settings import LedgerSettings
from zoning.ledger.validation import EnterpriseInputError, parse_enterprises
from zoning.rulebook import build_rulebook


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read_enterprises()


def test_is_labelled_illustrative(table: pd.DataFrame) -> None:
    assert table[s.NOTE].str.contains("illustrative").all()
    readme = (bundled_park_dir() / "README.md").read_text(encoding="utf-8")
    assert "Enterprise ledger (`enterprises.csv`): ILLUSTRATIVE" in readme


def test_the_articles_aggregates(table: pd.DataFrame) -> None:
    park = load_park()
    result = evaluate(park, table, as_of="2023-12-31")
    e = result.enterprises
    assert len(e) == 68
    above = e[s.OUTPUT_WAN] >= 2000
    assert int(above.sum()) == 40  # 58.8% (the article: 58.9%)
    assert result.indicators.loc["output_per_mu", s.VALUE] == pytest.approx(198.0, abs=0.05)
    tax_share = e.loc[above, s.TAX_WAN].sum() / e.loc[above, s.OUTPUT_WAN].sum()
    assert tax_share == pytest.approx(111_000 / (3_210_000 * 1.08), abs=0.0005)
    assert result.errors.empty


def test_every_enterprise_parcel_is_held_once(table: pd.DataFrame) -> None:
    park = load_park()
    parsed = parse_enterprises(
        table, parcel_ids=park.parcels[s.PARCEL_ID], industry_codes=park.rulebook.industry_codes
    )
    held = parsed[s.PARCEL_IDS].explode()
    assert held.is_unique
    p = park.parcels.set_index(s.PARCEL_ID)
    enterprise_land = p[
        p[s.STATUS].isin(["developed", "committed"])
        & p[s.INDUSTRY_CODE].ne("")
        & ~p[s.LAND_USE_CODE].str.startswith(("07", "0804", "0806", "13"))
    ]
    assert set(held) == set(enterprise_land.index)


def test_developed_parcels_have_floor_areas() -> None:
    parcels = load_park().parcels
    built = parcels[s.STATUS] == "developed"
    assert (parcels.loc[built, s.FLOOR_AREA_M2] > 0).all()
    assert (parcels.loc[built, s.FOOTPRINT_M2] < parcels.loc[built, s.AREA_M2]).all()
    assert (parcels.loc[~built, s.FLOOR_AREA_M2] == 0).all()


def test_the_ledger_data_is_regenerated_byte_identically(tmp_path: Path) -> None:
    script = bundled_park_dir() / "generate.py"
    result = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in ("enterprises.csv", "parcels.geojson"):
        assert (tmp_path / name).read_bytes() == (bundled_park_dir() / name).read_bytes(), name


def test_the_rulebook_section_is_checked() -> None:
    park = load_park()
    assert park.rulebook.ledger is not None
    assert park.rulebook.ledger.illustrative
    assert all(i.source for i in park.rulebook.ledger.indicators)
    data = {
        "rulebook": {"park_id": "x", "name": "x", "version": "1"},
        "ledger": {"grades": {"cutoffs": [{"grade": "A", "rank_share": 0.3}]}, "wieghts": 1},
    }
    with pytest.raises(RulebookError, match=r"ledger.wieghts"):
        build_rulebook(data)
    with pytest.raises(ValueError, match="benchmark method needs a benchmark"):
        LedgerSettings(indicators=[{"id": "tax_per_mu", "weight": 1}])


def test_a_table_without_a_column_is_refused() -> None:
    with pytest.raises(EnterpriseInputError, match=r"missing column\(s\): .*stopped_since"):
        parse_enterprises(pd.DataFrame({"enterprise_id": ["E1"]}), parcel_ids=[], industry_codes=[])


def test_the_ledger_core_imports_neither_folium_nor_fiona() -> None:
    code = (
        "import sys, zoning.ledger.run, zoning.ledger.records\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('folium', 'fiona'))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
