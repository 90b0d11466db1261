"""`zoning check --format csv|xlsx|parquet|json|geojson`: the files, read back by other tools."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook

import zoning
from tests.conftest import run_zoning as run
from zoning import schema as s
from zoning.i18n import use_lang
from zoning.io import bundled_park_dir, read_projects
from zoning.io.check_results import (
    FINDINGS_SUFFIX,
    ResultFormat,
    header_row,
    write_check_results,
)
from zoning.rules import check, findings_table, to_records

BUNDLED = bundled_park_dir() / "projects.csv"


@pytest.fixture(scope="module")
def results() -> gpd.GeoDataFrame:
    return check(zoning.load_park(), read_projects(BUNDLED))


def _expected_reasons(results: gpd.GeoDataFrame, zh: bool) -> list[str]:
    """Independently of the writer: the fail then warn messages of each row, from the dicts."""
    key = s.MESSAGE_ZH if zh else s.MESSAGE
    out = []
    for found in results[s.FINDINGS]:
        fails = [f"✗ {f[key]}" for f in found if f[s.STATUS] == "fail"]
        warns = [f"! {f[key]}" for f in found if f[s.STATUS] == "warn"]
        out.append("; ".join(fails + warns))
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_rows_in_words(results: gpd.GeoDataFrame, tmp_path: Path, lang: str) -> None:
    target = tmp_path / "fit.csv"
    with use_lang(lang):  # type: ignore[arg-type]
        write_check_results(results, target, ResultFormat.CSV)
        header = header_row()
        verdict_words = {v.value: s.label(v) for v in s.Verdict}
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel and WPS read the Chinese
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == header
    assert ("项目编号" in header) == (lang == "zh")
    body = rows[1:]
    assert len(body) == len(results)
    assert [r[0] for r in body] == results[s.PROJECT_ID].tolist()
    assert [r[4] for r in body] == [verdict_words[v] for v in results[s.VERDICT]]
    assert [r[7] for r in body] == _expected_reasons(results, zh=lang == "zh")


def test_xlsx_matches_csv(results: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with use_lang("zh"):
        write_check_results(results, tmp_path / "fit.csv", ResultFormat.CSV)
        write_check_results(results, tmp_path / "fit.xlsx", ResultFormat.XLSX)
    book = load_workbook(tmp_path / "fit.xlsx", read_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        cells = [["" if v is None else str(v) for v in row] for row in rows]
    finally:
        book.close()
    text = (tmp_path / "fit.csv").read_text(encoding="utf-8-sig").splitlines()
    from_csv = list(csv.reader(text))
    assert len(cells) == len(from_csv) == len(results) + 1
    for a, b in zip(cells, from_csv, strict=True):
        assert a[:6] == b[:6]
        assert a[7:] == b[7:]
    assert [r[7] for r in cells[1:]] == _expected_reasons(results, zh=True)


def test_parquet_verdicts_and_findings(results: gpd.GeoDataFrame, tmp_path: Path) -> None:
    written = write_check_results(results, tmp_path / "fit.parquet", ResultFormat.PARQUET)
    assert [p.name for p in written] == ["fit.parquet", "fit" + FINDINGS_SUFFIX]
    verdicts = gpd.read_parquet(written[0])
    assert verdicts.crs.to_epsg() == 4326
    assert verdicts[s.VERDICT].tolist() == results[s.VERDICT].tolist()
    assert verdicts[s.PROJECT_ID].tolist() == results[s.PROJECT_ID].tolist()
    back = pd.read_parquet(written[1])
    table = findings_table(results, messages=True)
    assert len(back) == len(table)
    assert back[s.RULE].astype(str).tolist() == table[s.RULE].astype(str).tolist()
    assert back[s.MESSAGE_ZH].tolist() == table[s.MESSAGE_ZH].tolist()
    numeric = [
        v if isinstance(v, int | float) and not isinstance(v, bool) else None
        for v in table[s.MEASURED]
    ]
    got = back[s.MEASURED].astype(object).where(back[s.MEASURED].notna(), None).tolist()
    assert got == [None if v is None else float(v) for v in numeric]
    texts = back[f"{s.MEASURED}_text"].dropna().tolist()
    assert texts == [str(v) for v in table[s.MEASURED] if isinstance(v, str)]
    # the verdict table joins to the findings by key
    joined = back.merge(
        verdicts[[s.PROJECT_ID, s.ZONE_ID, s.VERDICT]], on=[s.PROJECT_ID, s.ZONE_ID]
    )
    assert len(joined) == len(back)


def test_geojson_and_json_stream_the_same_rows(results: gpd.GeoDataFrame, tmp_path: Path) -> None:
    write_check_results(results, tmp_path / "fit.geojson", ResultFormat.GEOJSON, notice="n")
    write_check_results(results, tmp_path / "fit.json", ResultFormat.JSON)
    doc = json.loads((tmp_path / "fit.geojson").read_text(encoding="utf-8"))
    records = json.loads(json.dumps(to_records(results), ensure_ascii=False))
    assert [f["properties"] for f in doc["features"]] == records
    assert doc["notice"] == "n"
    assert json.loads((tmp_path / "fit.json").read_text(encoding="utf-8")) == records
    ogr = subprocess.run(
        ["ogrinfo", "-so", "-al", str(tmp_path / "fit.geojson")], capture_output=True, text=True
    )
    assert ogr.returncode == 0, ogr.stderr
    assert f"Feature Count: {len(results)}" in ogr.stdout


def test_cli_writes_each_format(tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx", "parquet"):
        target = tmp_path / f"out.{fmt}"
        done = run("check", BUNDLED, "--format", fmt, "--output", target, "--no-sites")
        assert done.returncode == 0, done.stderr
        assert target.is_file()
    assert (tmp_path / ("out" + FINDINGS_SUFFIX)).is_file()
    zh = run("--lang", "zh", "check", BUNDLED, "--format", "csv", "--no-sites")
    assert zh.returncode == 0, zh.stderr
    assert "项目编号" in zh.stdout.splitlines()[0]


def test_cli_binary_format_needs_an_output(tmp_path: Path) -> None:
    done = run("check", BUNDLED, "--format", "xlsx")
    assert done.returncode == 2
    assert "--output" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_directory_writes_nothing(results: gpd.GeoDataFrame, tmp_path: Path) -> None:
    from zoning.errors import ExportError

    for fmt in ResultFormat:
        with pytest.raises(ExportError, match="does not exist"):
            write_check_results(results, tmp_path / "no" / f"x.{fmt}", fmt)
    assert list(tmp_path.iterdir()) == []
