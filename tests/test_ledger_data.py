"""The bundled enterprise table: illustrative, deterministic, consistent with the article."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from zoning import load_park
from zoning import schema as s
from zoning.errors import RulebookError
from zoning.io import bundled_park_dir
from zoning.io.enterprises import read_enterprises
from zoning.ledger import LedgerResult, evaluate
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


@pytest.fixture(scope="module")
def bundled_result(table: pd.DataFrame) -> LedgerResult:
    return evaluate(load_park(), table, as_of="2023-12-31")


def _above_size(result: LedgerResult) -> pd.Series:
    return result.enterprises[s.OUTPUT_WAN] >= 2000


def _tax_share_of_output(result: LedgerResult) -> float:
    e = result.enterprises[_above_size(result)]
    return float(e[s.TAX_WAN].sum() / e[s.OUTPUT_WAN].sum())


#: (the article's figure, how the ledger gives it, the value, the tolerance and why)
ARTICLE_AGGREGATES = [
    pytest.param(
        lambda r: r.indicators.loc["output_per_mu", s.VALUE], 198.0, 0.05,
        id="output per mu of the built-up area 198 万元/亩 (outputs rounded to 0.1 万元)",
    ),
    pytest.param(
        lambda r: int(_above_size(r).sum()), 40, 0,
        id="40 enterprises above designated size (exact)",
    ),
    pytest.param(
        lambda r: r.indicators.loc["above_size_share", s.VALUE], 58.9, 0.1,
        id="58.9% of the enterprises above designated size (40 of 68 is 58.8%)",
    ),
    pytest.param(
        lambda r: r.indicators.loc["local_conversion", s.VALUE], 92.0, 0.05,
        id="local conversion over 90% today and under the 95% target (92%, outputs rounded)",
    ),
    pytest.param(
        _tax_share_of_output, 111_000 / (3_210_000 * 1.08), 0.0005,
        id="tax of key enterprises 11.1 亿 over 2022 output 321 亿 grown 8% (a ratio)",
    ),
    pytest.param(
        lambda r: int((pd.to_datetime(r.enterprises[s.SUPPLIED_ON]) >= "2021-01-01").sum()), 30, 0,
        id="30 enterprises brought in since 2021 (land supplied from 2021-01-01; exact)",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("measure", "article", "tolerance"), ARTICLE_AGGREGATES)
def test_the_bundled_enterprises_reproduce_the_articles_aggregates(
    bundled_result: LedgerResult,
    measure: Callable[[LedgerResult], float],
    article: float,
    tolerance: float,
) -> None:
    # the layout's built-up land is far smaller than the real park's, so the article's
    # absolute totals (321 亿元 of output, 11.1 亿元 of tax, 104.8 亿元 of investment) are
    # kept as ratios, not totals; see gis_data/beichuan/generate_ledger.py
    assert measure(bundled_result) == pytest.approx(article, abs=tolerance)


def test_the_conversion_is_over_90_and_short_of_the_target(bundled_result: LedgerResult) -> None:
    value = bundled_result.indicators.loc["local_conversion", s.VALUE]
    assert 90.0 < value < 95.0
    gaps = bundled_result.targets.set_index("target_id")
    assert 0 < gaps.loc["local_conversion", s.GAP] < 5
    assert len(bundled_result.enterprises) == 68
    assert bundled_result.errors.empty


def test_the_generator_reads_the_rulebooks_chain_links(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "_ledger_generator_under_test"
    spec = importlib.util.spec_from_file_location(name, bundled_park_dir() / "generate_ledger.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    links = module.read_chain_links(bundled_park_dir() / "rulebook.toml")
    rulebook = load_park().rulebook
    chain = rulebook.ledger.chain if rulebook.ledger else None
    assert chain is not None
    assert links.producers == {i.code for i in rulebook.industries if chain.product in i.produces}
    expected = {u.industry: u.input_share_of_output for u in chain.uses}
    for code, share in links.input_shares.items():
        assert share == expected.get(code, chain.default_input_share)


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
