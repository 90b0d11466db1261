"""The command line in Chinese or English: from the locale, ``ZONING_LANG`` or ``--lang``.

Every run passes ``LANG`` and ``LC_ALL`` explicitly, so the machine's locale decides nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.test_validation import bow_tie
from zoning.errors import Problem, ProjectInputError
from zoning.i18n import use_lang
from zoning.io import bundled_park_dir, read_projects
from zoning.projects import find_project_table_issues, normalize_projects
from zoning.schema import Verdict, label

BUNDLED = bundled_park_dir() / "projects.csv"
ZH = "zh_CN.UTF-8"
EN = "C.UTF-8"


def run(
    *args: str | Path, lang: str, zoning_lang: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``zoning`` under the locale ``lang`` (and ``ZONING_LANG`` when given)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_MESSAGES", "ZONING_LANG")
    }
    env.update({"COLUMNS": "200", "LANG": lang, "LC_ALL": lang})
    if zoning_lang is not None:
        env["ZONING_LANG"] = zoning_lang
    return subprocess.run(
        [sys.executable, "-m", "zoning", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        env=env,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_check_answers_in_chinese_under_a_chinese_locale() -> None:
    result = run("check", BUNDLED, lang=ZH)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for words in ("项目准入核查", "项目", "分区", "结论", "不符合", "有条件符合", "符合"):
        assert words in out, words
    assert "尚无选址项目的候选用地" in out
    assert "共 22 个项目，按推荐分区：" in out
    assert "注意：示例数据" in out
    # the candidate sites' reasons are still English (zoning.siting makes them)
    for english in ("does not fit", "Project fit check", "failing and warning", "Candidate sites"):
        assert english not in out, english


def test_english_is_the_default_under_the_c_locale() -> None:
    result = run("check", BUNDLED, lang=EN)
    assert result.returncode == 0, result.stderr
    assert "Project fit check" in result.stdout
    assert "does not fit" in result.stdout
    assert "22 project(s), by recommended zone:" in result.stdout
    assert "不符合" not in result.stdout
    assert "结论" not in result.stdout


def test_lang_option_overrides_the_locale() -> None:
    result = run("--lang", "en", "check", BUNDLED, lang=ZH)
    assert result.returncode == 0, result.stderr
    assert "Project fit check" in result.stdout
    assert "不符合" not in result.stdout
    result = run("--lang", "zh", "check", BUNDLED, lang=EN)
    assert "项目准入核查" in result.stdout


def test_zoning_lang_environment_variable() -> None:
    result = run("check", BUNDLED, lang=EN, zoning_lang="zh")
    assert result.returncode == 0, result.stderr
    assert "项目准入核查" in result.stdout


def test_unknown_language_is_a_usage_error() -> None:
    result = run("--lang", "fr", "check", BUNDLED, lang=EN)
    assert result.returncode == 2
    assert "unknown language 'fr'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "文件为空"),
        ("header.csv", "project_id,name\nA,x\n", "缺少必填列：industry_code"),
        ("dupes.csv", "project_id,industry_code\nA,3252\nA,3831\n", "中有重复的项目编号"),
        ("ragged.csv", "project_id,industry_code\nA,3252,1,2\n", "的单元格数多于表头列数"),
        ("bad.geojson", '{"type": "FeatureCollection", "features": [', "JSON 格式错误"),
        ("projects.ods", "x", "不支持的文件类型 '.ods'"),
        ("projects.xlsx", "x", "无法读取的工作簿"),
    ],
    ids=["empty", "missing-column", "duplicate-ids", "ragged", "bad-json", "unsupported", "xlsx"],
)
def test_a_bad_projects_file_is_explained_in_chinese(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    result = run("check", write(tmp_path / name, content), lang=ZH)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith("错误：")
    assert "无法读取项目文件" in first or "项目表无法使用" in first
    assert "个问题）" in first
    assert message in result.stderr


def test_a_missing_projects_file_in_chinese(tmp_path: Path) -> None:
    result = run("check", tmp_path / "nowhere.csv", lang=ZH)
    assert result.returncode == 2
    assert "找不到文件" in result.stderr
    assert "应为：项目文件（.csv、.xlsx、.geojson、.shp、.gpkg、.kml 或 .dxf）" in result.stderr


def test_bad_rows_are_error_rows_in_chinese(tmp_path: Path) -> None:
    projects = write(
        tmp_path / "rows.csv", "project_id,industry_code,area_mu\nA,1234,10\nB,3252,-5\n"
    )
    result = run("check", projects, "--no-sites", lang=ZH)
    assert result.returncode == 0, result.stderr
    assert label(Verdict.ERROR, "zh") in result.stdout
    assert "未知行业代码 1234" in result.stdout
    assert "area_mu 必须大于 0（填写的是 -5）" in result.stdout


def test_an_invalid_park_is_explained_in_chinese(tiny_park_dir: Path) -> None:
    bow_tie(tiny_park_dir)
    result = run("validate", tiny_park_dir, lang=ZH)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "错误：园区数据无效（共 1 个问题）" in result.stderr
    assert "几何无效：Self-intersection" in result.stderr
    assert "修改方法：请用 shapely.make_valid" in result.stderr


def test_a_missing_park_directory_in_chinese(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "no-park", lang=ZH)
    assert result.returncode == 2
    assert "错误：无法读取园区数据" in result.stderr
    assert "不是文件夹" in result.stderr


def test_validate_in_chinese(tiny_park_dir: Path) -> None:
    result = run("validate", tiny_park_dir, lang=ZH)
    assert result.returncode == 0, result.stderr
    assert "有效：" in result.stdout
    assert "2 个分区，4 个地块" in result.stdout


def test_sequence_in_chinese() -> None:
    result = run("sequence", lang=ZH)
    assert result.returncode == 0, result.stderr
    assert "分期供地计划：共 5 期，每期供地指标 1,500 亩（启发式）" in result.stdout
    assert "分区维持现状 53 个" in result.stdout


# ------------------------------------------------------------------ messages made in place


def test_problem_renders_in_the_current_language() -> None:
    problem = Problem("zones", "x", ids=tuple(f"Z{i}" for i in range(12)), expected="e", fix="f")
    assert (
        str(problem) == "[zones] x — ids: Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9 (+2 more). "
        "Expected: e. Fix: f"
    )
    with use_lang("zh"):
        assert str(problem) == (
            "[zones] x — 编号：Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9 （另有 2 个）"
            "。应为：e。修改方法：f"
        )


def test_problems_are_made_in_the_current_language() -> None:
    table = pd.DataFrame({"project_id": ["A", "A"], "area_mu": [10, 20]})
    with use_lang("zh"):
        chinese = [p.what for p in find_project_table_issues(table)]
    english = [p.what for p in find_project_table_issues(table)]
    assert chinese == ["缺少必填列：industry_code", "'project_id' 中有重复的项目编号"]
    assert english == [
        "missing required column(s): industry_code",
        "duplicate project id(s) in 'project_id'",
    ]


def test_row_reasons_are_made_in_the_current_language() -> None:
    rows = pd.DataFrame({"project_id": ["A"], "industry_code": ["12"], "area_mu": ["x"]})
    with use_lang("zh"):
        reasons = normalize_projects(rows)["input_error"].iloc[0]
    assert (
        "industry_code '12' 不是 GB/T 4754-2017 行业小类代码（应为 4 位数字，如 3252）" in reasons
    )
    assert "area_mu 不是数字（填写的是 'x'）" in reasons


def test_a_projects_file_error_keeps_its_data_in_chinese(tmp_path: Path) -> None:
    with use_lang("zh"), pytest.raises(ProjectInputError, match="无法读取项目文件") as info:
        read_projects(write(tmp_path / "p.txt", ""))
    (problem,) = info.value.problems
    assert problem.where == "p.txt"
    assert problem.what == "文件为空"
    assert problem.fix == "请每行填写一个项目，并带表头"


def test_the_language_is_restored_after_an_in_process_run() -> None:
    from typer.testing import CliRunner

    from zoning.cli import app
    from zoning.i18n import get_lang

    result = CliRunner().invoke(app, ["--lang", "zh", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("有效：")
    assert get_lang() == "en"
