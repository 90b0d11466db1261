"""`zoning plan` as a planner reads it: one screen at 80 columns, every table with --detail."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

import zoning
from zoning.io import bundled_park_dir, read_projects
from zoning.summary import summarize_phases

ZH = "zh_CN.UTF-8"
#: a screen of the bundled park's summary, at most
SCREEN_LINES = 60
#: words of the optimiser and raw codes that a planner should not meet in the summary
NOT_FOR_PLANNERS = (
    "objective",
    "reward",
    "perimeter",
    "mu-equivalents",
    "not_needed",
    "zone_held",
    "does_not_fit",
    "no_fitting_zone",
    "priority_contiguous",
    "maintain_current",
    "Polsby",
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run80(
    *args: str | Path, lang: str = "C.UTF-8", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``zoning`` at 80 columns with the locale given (never the machine's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_MESSAGES")}
    env.update({"COLUMNS": "80", "LANG": lang, "LC_ALL": lang})
    env.pop("ZONING_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "zoning", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        env=env,
        cwd=cwd,
    )


def screen_rows(text: str, width: int = 80) -> int:
    """Rows the text takes on a terminal ``width`` cells wide (long lines wrap)."""
    return sum(max(1, math.ceil(cell_len(line) / width)) for line in text.splitlines())


@pytest.fixture(scope="module", params=["C.UTF-8", "zh_CN.UTF-8"], ids=["en", "zh"])
def summary(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    work = tmp_path_factory.mktemp("planner")
    result = run80("plan", "--basemap", "none", lang=request.param, cwd=work)  # as in the README
    assert result.returncode == 0, result.stderr
    assert (work / "maps" / "beichuan_plan.html").is_file()
    return result.stdout + result.stderr


def test_summary_fits_one_screen_at_80_columns(summary: str) -> None:
    assert screen_rows(summary) <= SCREEN_LINES, summary
    assert max(cell_len(line) for line in summary.splitlines()) <= 80  # nothing cut or wrapped


def test_summary_speaks_to_planners(summary: str) -> None:
    for word in NOT_FOR_PLANNERS:
        assert word not in summary, word
    for project_id in (f"BP{i:02d}" for i in range(1, 23)):
        assert re.search(rf"^{project_id} ", summary, re.MULTILINE), project_id
    assert "maps/beichuan_plan.html" in summary
    assert "maps/beichuan-geojson" in summary
    assert "zoning check" in summary
    assert "--detail" in summary
    assert "\x1b[" not in summary  # no colours or progress in a pipe


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        (
            "C.UTF-8",
            [
                "Land budget",
                "Aluminium-magnesium industry cluster",
                "Projects (projects.csv): 13 fits, 3 fits with conditions, 6 does not fit",
                "BP15 Prebaked carbon anode plant",
                "does not fit",
                "✗ the nearest sensitive use",
                "Phase plan: 5 phase(s) of up to 1,500 mu",
                "projects not placed (no zone where it fits): BP15",
                "53 zone kept in current use",
                "it needs no network",
                "Note: illustrative data",
                # the ledger's gap to the targets (the park has enterprises.csv)
                "Targets 2025: Annual industrial output of the park 81.5 of 500 亿元",
                "  Local conversion of electrolytic aluminium liquid 92.0% of 95%",
            ],
            ["铝镁产业聚集区 ", "符合", "用地台账"],
        ),
        (
            "zh_CN.UTF-8",
            [
                "用地台账",
                "铝镁产业聚集区",
                "项目（projects.csv）：符合 13 个，有条件符合 3 个，不符合 6 个",
                "BP15 预焙阳极炭素项目",
                "分期供地计划：共 5 期，每期不超过 1,500 亩",
                "未落位项目（没有符合的分区）：BP15",
                "分区维持现状 53 个",
                "无需联网",
                "注意：示例数据",
                "下一步：",
                "2025 年目标：园区工业总产值 已达 81.5／500 亿元",
                "  电解铝液就地转化率 已达 92.0%／95%",
            ],
            ["Aluminium-magnesium industry cluster", "Land budget", "does not fit", "Next:"],
        ),
    ],
    ids=["en", "zh"],
)
def test_summary_content(tmp_path: Path, lang: str, expected: list[str], absent: list[str]) -> None:
    result = run80("plan", "--basemap", "none", lang=lang, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout, text
    for text in absent:
        assert text not in result.stdout, text
    # the notice is one short line; the full text stays in the map and the files
    assert "ILLUSTRATIVE" not in result.stdout


def test_detail_keeps_every_table(tmp_path: Path) -> None:
    result = run80(
        "plan", "--detail", "--basemap", "none", "--out", tmp_path, "--as-of", "2023-12-31"
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for title in (
        "Land budget per zone (areas in mu, 1 mu = 666.67 m²)",
        "ILLUSTRATIVE",  # the full notice
        "Project pipeline fit check (projects.csv)",
        "Candidate sites for projects without one (rank 1 is best)",
        "Summary: one line per project",
        "22 project(s), by recommended zone:",
        "Land supply phase plan: 5 phase(s), quota 1,500 mu per phase (heuristic)",
        "Project placement phase plan: which fitting project opens which land",
        "Projects placed",
        "convex hull",  # each tract's own compactness (连片开发), explained under the table
        "objective",
        "projects not placed (no zone where it fits)",
        "parcel(s) left closed",
        "beichuan_plan.html",
        "Targets (ledger as of 2023-12-31)",
        "Share of green electrolytic",  # a target the ledger does not measure is listed too
        "Land clock (as of 2023-12-31)",
    ):
        assert title in text, title
    # the land clock's counts: parcels and mu per status
    assert re.search(r"│ idle one year: idle-land fee due\s+│\s+5 │\s+118\.1 │", text), text
    assert re.search(r"│ normal\s+│\s+115 │", text)
    # the two phase plans have distinct titles, each once
    assert text.count("Land supply phase plan:") == 1
    assert text.count("Project placement phase plan:") == 1


def test_quiet_prints_only_the_files(tmp_path: Path) -> None:
    result = run80("plan", "--quiet", "--basemap", "none", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith(("map:", "GeoJSON:")) for line in lines), lines
    assert (tmp_path / "beichuan_plan.html").is_file()


def test_quiet_still_reports_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("project_id,name\nA,x\n", encoding="utf-8")
    out = tmp_path / "maps"
    result = run80("plan", "--quiet", "--projects", bad, "--out", out)
    assert result.returncode == 2
    assert "missing required column(s): industry_code" in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_progress_is_shown_on_a_terminal(tmp_path: Path) -> None:
    import pty

    main, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm"}
    env.pop("ZONING_LANG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoning", "plan", "--quiet", "--basemap", "none", "--out", tmp_path],
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=180) == 0
    os.close(main)
    shown = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))
    for step in ("reading the park", "checking the projects", "making the phase plan"):
        assert step in shown, step  # every step is drawn when it starts
    assert "beichuan_plan.html" in shown


def test_summarize_phases_lists_zones_and_placed_projects() -> None:
    park = zoning.load_park()
    plan = zoning.sequence(park, quota_mu=1000, phases=3)
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    placement = zoning.sequence(park, quota_mu=1000, phases=3, projects=results)
    rows = summarize_phases(plan, placement=placement)
    assert list(rows.index) == [1, 2, 3]
    assert rows["area_mu"].tolist() == plan.metrics["area_mu"].tolist()
    opened = plan.parcels[plan.parcels["phase"].notna()]
    for phase, row in rows.iterrows():
        in_phase = opened[opened["phase"] == phase]
        assert set(row["zone_ids"]) == set(in_phase["zone_id"])
        if row["zone_ids"]:  # the zone with most land opened comes first
            areas = in_phase.groupby("zone_id")["area_mu"].sum()
            assert row["zone_ids"][0] == areas.idxmax()
    placed = [p for ids in rows["project_ids"] for p in ids]
    assert sorted(placed) == sorted(placement.assignments["project_id"])
    assert all(ids == [] for ids in summarize_phases(plan)["project_ids"])


def test_summary_of_a_park_without_a_pipeline(tiny_park_dir: Path, tmp_path: Path) -> None:
    result = run80("plan", "--park", tiny_park_dir, "--basemap", "none", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"no project pipeline ({tiny_park_dir / 'projects.csv'} not found)" in " ".join(
        result.stdout.split()
    )
    assert "Industry" in result.stdout  # the zones' English names
    assert "Phase plan: 5 phase(s)" in result.stdout
    # no enterprises.csv: no ledger, no warning, as before
    assert "Targets" not in result.stdout
    assert "warning" not in result.stderr
    assert "Per-mu performance grades" not in (tmp_path / "tiny_plan.html").read_text("utf-8")


def test_summary_of_a_projects_file(tiny_park_dir: Path, tmp_path: Path) -> None:
    projects = tmp_path / "p.csv"
    projects.write_text("project_id,industry_code,area_mu\nW,5920,10\nS,3252,20\n", "utf-8")
    result = run80(
        "plan", "--park", tiny_park_dir, "--projects", projects, "--out", tmp_path / "maps",
        lang="zh_CN.UTF-8",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "项目（p.csv）：符合 1 个，有条件符合 1 个" in lines
    (w,) = [i for i, line in enumerate(lines) if line.startswith("W ")]
    assert lines[w].split() == ["W", "ind", "有条件符合"]
    assert lines[w + 1].lstrip().startswith("! 5920")  # the deciding warning, under it
    assert "未落位项目（没有足够大的连片空闲用地）：S" in lines


def test_a_long_pipeline_still_fits_one_screen(tmp_path: Path) -> None:
    rows = ["project_id,industry_code,area_mu"]
    rows += [f"F{i:02d},3252,5" for i in range(60)]
    rows += ["W1,5920,5", "X1,1234,5"]
    projects = tmp_path / "many.csv"
    projects.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run80("plan", "--projects", projects, "--basemap", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert screen_rows(result.stdout + result.stderr) <= SCREEN_LINES
    lines = result.stdout.splitlines()
    # the worst verdict comes first, though last in the file; the others are counted
    assert lines[lines.index(next(x for x in lines if x.startswith("project "))) + 1].startswith(
        "X1 "
    )
    (more,) = [line for line in lines if line.startswith("… and ")]
    listed = sum(1 for line in lines if re.match(r"^(F\d\d|W1|X1) ", line))
    assert more.startswith(f"… and {62 - listed} more project(s)")
    assert "(+" in result.stdout  # the phase with the most projects lists some, counts the rest


def test_a_broken_enterprise_table_is_a_warning(bundled_copy: Path, tmp_path: Path) -> None:
    (bundled_copy / "enterprises.csv").write_text("enterprise_id,name_zh\nE-1,甲\n", "utf-8")
    out = tmp_path / "maps"
    result = run80("plan", "--park", bundled_copy, "--basemap", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert "enterprises.csv not read, no ledger in this plan: missing column(s): name_en" in warning
    assert "`zoning ledger` says how to fix it" in warning
    assert screen_rows(warning) <= 2
    assert "missing column" in result.stderr
    assert "Targets" not in result.stdout
    assert "Phase plan: 5 phase(s)" in result.stdout  # the rest of the plan as before
    page = (out / "beichuan_plan.html").read_text("utf-8")
    assert "Per-mu performance grades" not in page
    assert (out / "beichuan-geojson").is_dir()
    assert screen_rows(result.stdout + result.stderr) <= SCREEN_LINES
    # zoning map goes on the same way
    drawn = run80("map", "--park", bundled_copy, "--basemap", "none", "-o", tmp_path / "m.html")
    assert drawn.returncode == 0, drawn.stderr
    assert "enterprises.csv not read" in drawn.stderr
    assert "Per-mu performance grades" not in (tmp_path / "m.html").read_text("utf-8")


def test_error_rows_are_counted_and_the_ledger_drawn(bundled_copy: Path, tmp_path: Path) -> None:
    table = bundled_copy / "enterprises.csv"
    lines = table.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    assert header[0] == "enterprise_id"
    lines[1] = lines[1].replace(lines[1].split(",")[0], "", 1)  # no id: an error row
    table.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "maps"
    result = run80("plan", "--park", bundled_copy, "--basemap", "none", lang=ZH, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "警告：enterprises.csv：1 行有误，未计入台账；`zoning ledger` 列出原因" in result.stderr
    assert "2025 年目标：" in result.stdout
    assert screen_rows(result.stdout + result.stderr) <= SCREEN_LINES
    page = (out / "beichuan_plan.html").read_text("utf-8")
    assert "Per-mu performance grades" in page
    assert "Idle and inefficient land" in page
    drawn = run80("map", "--park", bundled_copy, "--basemap", "none", "-o", tmp_path / "m.html")
    assert drawn.returncode == 0, drawn.stderr
    assert "Idle and inefficient land" in (tmp_path / "m.html").read_text("utf-8")


def test_a_wrong_as_of_is_a_clear_error(tmp_path: Path) -> None:
    result = run80("plan", "--as-of", "2023/12/31", "--out", tmp_path / "maps")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "maps").exists()
