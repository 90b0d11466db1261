"""``zoning ledger`` as a planner runs it: JSON shape, error rows, clear messages, exit codes."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from tests.conftest import run_zoning as run
from zoning import schema as s

AS_OF = "2023-12-31"


def ledger_json(*args: str | Path) -> dict:
    result = run("ledger", "--as-of", AS_OF, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    doc: dict = json.loads(result.stdout)
    return doc


def test_json_shape_on_the_bundled_park() -> None:
    start = time.perf_counter()
    doc = ledger_json()
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"zoning ledger took {elapsed:.1f} s"
    assert list(doc)[:1] == ["as_of"]
    assert {"as_of", "enterprises", "land", "indicators", "targets"} <= set(doc)
    assert doc["as_of"] == AS_OF
    assert len(doc["enterprises"]) == 68
    first = doc["enterprises"][0]
    for key in ("enterprise_id", "score", "grade", "pulled_down_by", "land_status", "input_error"):
        assert key in first
    land = doc["land"]
    for key in ("parcel_id", "status", "reason", "due"):
        assert key in land[0]
    assert {row["status"] for row in land} == {
        "normal", "idle_fee", "idle_recovery", "late_completion", "inefficient",
    }  # fmt: skip
    idle = next(row for row in land if row["parcel_id"] == "BC-0031")
    assert (idle["status"], idle["due"]) == ("idle_recovery", "2023-03-10")
    assert set(idle["reason"]) == {"zh", "en"}
    assert "第二条" in idle["article"]["zh"]
    assert doc["indicators"]["output_per_mu"]["value"] == pytest.approx(198.0, abs=0.05)
    assert doc["indicators"]["output_per_mu"]["unit"] == "万元/亩"
    assert {t["target_id"] for t in doc["targets"]} >= {"industrial_output", "local_conversion"}
    grades = [e["grade"] for e in doc["enterprises"] if e["grade"]]
    assert set(grades) == {"A", "B", "C", "D"}


def test_table_output_names_the_statuses() -> None:
    result = run("ledger", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert "idle two years" in result.stdout
    assert "output per mu of the built-up area" in result.stdout


def edit_rows(park_dir: Path, changes: dict[str, dict[str, str]]) -> None:
    path = park_dir / "enterprises.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row.update(changes.get(row["enterprise_id"], {}))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_bad_rows_are_error_rows_with_reasons(bundled_copy: Path) -> None:
    edit_rows(
        bundled_copy,
        {
            "E-001": {"parcel_ids": "BC-0002;BC-9999"},
            "E-002": {"tax_wan": "-5"},
            "E-003": {"supplied_on": "2017/10/25"},
            "E-004": {"parcel_ids": "BC-0002"},  # E-001 holds it too
            "E-005": {"industry_code": "9999", "built_share": "1.5"},
        },
    )
    result = run("ledger", "--park", bundled_copy, "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "error row" in result.stderr
    doc = json.loads(result.stdout)
    errors = {e["enterprise_id"]: [r["en"] for r in e["input_error"]] for e in doc["enterprises"]}
    assert any("unknown parcel id(s) BC-9999" in r for r in errors["E-001"])
    assert any("parcel BC-0002 is held by more than one enterprise" in r for r in errors["E-001"])
    assert any("parcel BC-0002 is held" in r for r in errors["E-004"])
    assert errors["E-002"] == ["tax_wan: negative value; expected 0 or more"]
    assert errors["E-003"] == ["supplied_on: '2017/10/25' is not a date written YYYY-MM-DD"]
    assert any("industry_code '9999'" in r for r in errors["E-005"])
    assert any("built_share" in r for r in errors["E-005"])
    assert sum(1 for v in errors.values() if v) == 5
    bad = {e["enterprise_id"]: e for e in doc["enterprises"] if e["input_error"]}
    assert all(e["grade"] is None and e["score"] is None for e in bad.values())
    # the rest of the batch goes on
    assert sum(1 for e in doc["enterprises"] if e["grade"]) > 40
    assert not {row["parcel_id"] for row in doc["land"]} & {"BC-0002", "BC-0003"}


def test_a_missing_column_is_a_structural_error(bundled_copy: Path) -> None:
    path = bundled_copy / "enterprises.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    col = header.index("tax_wan")
    cut = [",".join(c for i, c in enumerate(line.split(",")) if i != col) for line in lines]
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    result = run("ledger", "--park", bundled_copy, "--as-of", AS_OF)
    assert result.returncode == 2
    assert "missing column(s): tax_wan" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_a_structural_error(bundled_copy: Path) -> None:
    (bundled_copy / "enterprises.csv").unlink()
    result = run("ledger", "--park", bundled_copy)
    assert result.returncode == 2
    assert "file not found" in result.stderr


@pytest.mark.parametrize("bad", ["2023/12/31", "31-12-2023", "2023-02-30", "today"])
def test_a_wrongly_formatted_as_of_gets_a_clear_message(bad: str) -> None:
    result = run("ledger", "--as-of", bad)
    assert result.returncode == 2
    assert "is not a date written YYYY-MM-DD" in result.stderr
    assert "--as-of 2023-12-31" in result.stderr


def test_xlsx_and_csv_files(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book_path = tmp_path / "ledger.xlsx"
    result = run("ledger", "--as-of", AS_OF, "--format", "xlsx", "-o", book_path)
    assert result.returncode == 0, result.stderr
    book = load_workbook(book_path, read_only=True)
    assert book.sheetnames[:4] == ["enterprises", "land", "indicators", "targets"]
    header = next(book["enterprises"].iter_rows(values_only=True))
    assert {s.ENTERPRISE_ID, s.SCORE, s.GRADE, s.LAND_STATUS} <= set(header)
    csv_path = tmp_path / "ledger.csv"
    result = run("ledger", "--as-of", AS_OF, "--format", "csv", "-o", csv_path)
    assert result.returncode == 0, result.stderr
    for name in ("ledger.csv", "ledger.land.csv", "ledger.indicators.csv", "ledger.targets.csv"):
        assert (tmp_path / name).is_file(), name
    assert not list(tmp_path.glob(".*.tmp"))


def test_xlsx_needs_an_output_file() -> None:
    result = run("ledger", "--as-of", AS_OF, "--format", "xlsx")
    assert result.returncode == 2
    assert "-o ledger.xlsx" in result.stderr
