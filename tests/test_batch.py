"""Many parks at once: the flat tables, the batch in one process, and the same batch on Dask.

The Dask tests run a real ``LocalCluster`` (two worker processes, one thread each, on
loopback, no dashboard) and compare what its workers wrote, partition by partition, with what
one process writes for the same parks: the verdict tables and the long findings must be equal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

import zoning
from tests.conftest import run_zoning
from zoning import batch as b
from zoning import schema as s
from zoning.errors import InputError
from zoning.io import read_projects
from zoning.io.batch import check_parks, ledger_parks
from zoning.io.batch_work import FINDINGS_DIR, PROJECTS_FILE, VERDICTS_DIR
from zoning.io.cluster import connect, require_dask, site_keys
from zoning.io.park import bundled_park_dir
from zoning.units import METRIC_CRS

AS_OF = "2023-12-31"
#: the synthetic park's projects: enough for several partitions, few enough to stay quick
N_SYNTHETIC = 240
BAD_ROWS = {"S-BAD-CODE": ("9999x", ""), "S-BAD-SITE": ("3252", "POLYGON((1 2, 3")}


def copy_park(target: Path, park_id: str) -> Path:
    """Copy the bundled park's data (not its generator) under a new park id."""
    shutil.copytree(
        bundled_park_dir(), target, ignore=shutil.ignore_patterns("generator", "sources", "*.py")
    )
    meta_path = target / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["park_id"] = park_id
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return target


def synthetic_pipeline(park: zoning.Park, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` projects as a CSV reads them: half with a WKT site (WGS84), plus two bad rows."""
    union = shapely.union_all(park.zones.geometry.to_numpy())
    minx, miny, maxx, maxy = union.bounds
    n_sited = n // 2
    points: list[shapely.Point] = []
    while len(points) < n_sited:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if union.contains(shapely.Point(x, y)):
            points.append(shapely.Point(x, y))
    w, h = rng.uniform(60, 250, n_sited), rng.uniform(60, 250, n_sited)
    boxes = [
        shapely.box(p.x - wi / 2, p.y - hi / 2, p.x + wi / 2, p.y + hi / 2)
        for p, wi, hi in zip(points, w, h, strict=True)
    ]
    wkt = gpd.GeoSeries(boxes, crs=METRIC_CRS).to_crs("EPSG:4326").to_wkt().tolist()
    codes = sorted(park.rulebook.industry_codes)
    table = pd.DataFrame(
        {
            s.PROJECT_ID: [f"S{i:04d}" for i in range(n)],
            s.INDUSTRY_CODE: rng.choice(codes, n),
            s.AREA_MU: [
                "" if i < n_sited else f"{a:.1f}" for i, a in enumerate(rng.uniform(10, 200, n))
            ],
            s.WASTEWATER_TPD: [f"{v:.0f}" for v in rng.uniform(0, 2_500, n)],
            "site_wkt": wkt + [""] * (n - n_sited),
        }
    )
    bad = pd.DataFrame(
        {
            s.PROJECT_ID: list(BAD_ROWS),
            s.INDUSTRY_CODE: [code for code, _ in BAD_ROWS.values()],
            s.AREA_MU: ["30", ""],
            s.WASTEWATER_TPD: ["", ""],
            "site_wkt": [site for _, site in BAD_ROWS.values()],
        }
    )
    return pd.concat([table, bad], ignore_index=True)


@pytest.fixture(scope="module")
def parks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three parks: two copies of the bundled one, one with a synthetic pipeline."""
    root = tmp_path_factory.mktemp("parks")
    first = copy_park(root / "north", "north")
    second = copy_park(root / "south", "south")
    third = copy_park(root / "synthetic", "synthetic")
    pipeline = synthetic_pipeline(zoning.load_park(third), N_SYNTHETIC, np.random.default_rng(7))
    pipeline.to_csv(third / PROJECTS_FILE, index=False)
    return [first, second, third]


@pytest.fixture(scope="module")
def one_process(
    parks: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, pd.DataFrame]:
    """The three parks checked in this process: the output directory and the summary."""
    out = tmp_path_factory.mktemp("one")
    return out, check_parks(parks, out)


def read_part_tables(out: Path, park_id: str) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """A park's verdicts and findings, every part read, in a canonical order."""
    verdicts = gpd.read_parquet(out / park_id / VERDICTS_DIR)
    verdicts = verdicts.sort_values([s.PROJECT_ID, s.ZONE_ID]).reset_index(drop=True)
    findings = pd.read_parquet(out / park_id / FINDINGS_DIR)
    findings = findings.sort_values([s.PROJECT_ID, s.ZONE_ID, b.FINDING_INDEX])
    return verdicts, findings.reset_index(drop=True)


# --- the flat tables ---------------------------------------------------------------------------


def test_finding_rows_hold_every_finding_of_the_bundled_pipeline() -> None:
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / PROJECTS_FILE))
    rows = b.to_finding_rows(results)
    assert len(rows) == int(results[s.FINDINGS].map(len).sum())
    rebuilt: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in rows.to_dict("records"):
        text_m, text_r = row[b.MEASURED_TEXT], row[b.REQUIRED_TEXT]
        measured = text_m if isinstance(text_m, str) else row[s.MEASURED]
        required = text_r if isinstance(text_r, str) else row[s.REQUIRED]
        rebuilt.setdefault((row[s.PROJECT_ID], row[s.ZONE_ID]), []).append(
            {
                s.RULE: row[s.RULE],
                s.STATUS: row[s.STATUS],
                s.MEASURED: measured,
                s.REQUIRED: required,
                s.MESSAGE_ZH: row[s.MESSAGE_ZH],
            }
        )
    for pid, zone, findings in zip(
        results[s.PROJECT_ID], results[s.ZONE_ID], results[s.FINDINGS], strict=True
    ):
        expected = [
            {k: f[k] for k in (s.RULE, s.STATUS, s.MEASURED, s.REQUIRED, s.MESSAGE_ZH)}
            for f in findings
        ]
        got = rebuilt.get((pid, zone), [])
        for g, e in zip(got, expected, strict=True):
            if e[s.MEASURED] is None:
                assert np.isnan(g[s.MEASURED])  # type: ignore[arg-type]
                g[s.MEASURED] = None
            if e[s.REQUIRED] is None:
                assert np.isnan(g[s.REQUIRED])  # type: ignore[arg-type]
                g[s.REQUIRED] = None
        assert got == expected


def test_verdict_table_names_the_first_failing_rule_else_the_first_warning() -> None:
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / PROJECTS_FILE))
    table = b.to_verdict_table(results)
    assert list(table.columns) == list(b.VERDICT_COLUMNS)
    assert table.crs == results.crs
    for verdict, rule, findings in zip(
        table[s.VERDICT], table[b.DECIDING_RULE], results[s.FINDINGS], strict=True
    ):
        fails = [f[s.RULE] for f in findings if f[s.STATUS] == "fail"]
        warns = [f[s.RULE] for f in findings if f[s.STATUS] == "warn"]
        assert rule == (fails or warns or [""])[0]
        assert (verdict == "fits") == (rule == "")


def test_verdict_counts_add_up_over_any_split_of_the_projects() -> None:
    park = zoning.load_park()
    projects = read_projects(bundled_park_dir() / PROJECTS_FILE)
    whole = b.count_verdicts(zoning.check(park, projects))
    assert whole[b.PROJECTS] == len(projects)
    halves = [b.count_verdicts(zoning.check(park, part)) for part in (projects[:9], projects[9:])]
    assert {k: halves[0][k] + halves[1][k] for k in whole} == whole


# --- one process -------------------------------------------------------------------------------


def test_one_process_writes_each_park_the_check_of_its_own_pipeline(
    parks: list[Path], one_process: tuple[Path, pd.DataFrame]
) -> None:
    out, summary = one_process
    assert summary[s.PARK_ID].tolist() == ["north", "south", "synthetic"]
    assert summary[b.PARTITIONS].tolist() == [1, 1, 1]
    assert summary[b.PROJECTS].tolist() == [22, 22, N_SYNTHETIC + len(BAD_ROWS)]
    assert summary["error"].tolist()[2] == len(BAD_ROWS)
    verdict_sums = summary[list(b.VERDICT_COUNTS)].sum(axis=1)
    assert (verdict_sums == summary[b.PROJECTS]).all()
    park = zoning.load_park(parks[2])
    results = zoning.check(park, read_projects(parks[2] / PROJECTS_FILE))
    verdicts, findings = read_part_tables(out, "synthetic")
    expected = b.to_verdict_table(results).sort_values([s.PROJECT_ID, s.ZONE_ID])
    assert_geodataframe_equal(verdicts, expected.reset_index(drop=True))
    assert len(findings) == summary[b.FINDINGS_COUNT].iloc[2]


def test_a_park_that_cannot_be_read_stops_the_batch_before_anything_is_written(
    parks: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputError, match=r"(?s)cannot run the batch.*nowhere\] not a directory"):
        check_parks([parks[0], tmp_path / "nowhere"], out)
    with pytest.raises(InputError, match=r"park id 'north' is also the id of"):
        check_parks([parks[0], parks[0]], out)
    with pytest.raises(InputError, match="no park directory given"):
        check_parks([], out)
    assert not out.exists()


def test_the_command_prints_one_line_per_park_and_writes_the_summary(
    parks: list[Path], tmp_path: Path
) -> None:
    result = run_zoning("batch", "check", parks[0], parks[1], "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "north" in result.stdout
    assert "south" in result.stdout
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert summary[s.PARK_ID].tolist() == ["north", "south"]
    assert summary[b.PROJECTS].tolist() == [22, 22]
    bad = run_zoning("batch", "check", parks[0], tmp_path / "nowhere", "-o", tmp_path / "x")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "nowhere" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_the_ledger_of_each_park_is_the_ledger_of_that_park(
    parks: list[Path], tmp_path: Path
) -> None:
    result = run_zoning("batch", "ledger", parks[0], parks[1], "-o", tmp_path, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    single = run_zoning("ledger", "--park", parks[0], "--as-of", AS_OF, "--format", "json")
    expected = json.loads(single.stdout)
    got = json.loads((tmp_path / "north" / "ledger.json").read_text(encoding="utf-8"))
    assert got == expected
    summary = pd.read_csv(tmp_path / "summary.csv", encoding="utf-8-sig")
    assert summary["enterprises"].tolist() == [68, 68]


def test_the_partition_key_reads_geometry_or_wkt_and_skips_what_has_no_position() -> None:
    wkt = ["POINT (101.6 36.9)", "", None, "POLYGON((bad", "POINT EMPTY", "POINT (nan 1)"]
    keys = site_keys(pd.DataFrame({"site_wkt": wkt}))
    assert [k is None for k in keys] == [False, True, True, True, True, True]
    assert 4_080_000 < keys[0].y < 4_090_000  # EPSG:4543 northing near Datong
    frame = gpd.GeoDataFrame(
        {"site_wkt": ["", "POINT (101.7 36.9)"]},
        geometry=[shapely.Point(101.6, 36.9), None],
        crs="EPSG:4326",
    )
    keys = site_keys(frame)
    assert keys[0].x < keys[1].x  # the geometry first, the WKT where it has none
    assert len(site_keys(pd.DataFrame({"site_wkt": []}))) == 0


@pytest.mark.parametrize("command", [("batch",), ("batch", "check"), ("batch", "ledger")])
def test_short_help_is_help(command: tuple[str, ...]) -> None:
    short, long = run_zoning(*command, "-h"), run_zoning(*command, "--help")
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout
    assert "Usage:" in short.stdout


def test_importing_zoning_imports_no_dask() -> None:
    code = (
        "import sys, zoning, zoning.io.batch, zoning.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'dask_geopandas')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_missing_dask_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(InputError, match=r"dask_geopandas.*pip install 'zoning\[dask\]'"):
        require_dask()


def test_an_address_without_a_scheduler_is_a_user_error() -> None:
    with pytest.raises(InputError, match=r"no Dask scheduler answers at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout_s=1)


# --- on a Dask cluster -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A two-process local cluster on loopback, closed after the module's tests."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


@pytest.fixture(scope="module")
def on_dask(
    parks: list[Path], client: object, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, pd.DataFrame]:
    out = tmp_path_factory.mktemp("dask")
    return out, check_parks(parks, out, client=client, partitions_per_park=10)


@pytest.mark.slow
def test_dask_gives_the_counts_of_one_process(
    one_process: tuple[Path, pd.DataFrame], on_dask: tuple[Path, pd.DataFrame]
) -> None:
    _, here = one_process
    _, there = on_dask
    assert (there[b.PARTITIONS] >= 2).all()
    columns = [s.PARK_ID, b.PROJECTS, *b.VERDICT_COUNTS, b.ROWS, b.FINDINGS_COUNT]
    assert_frame_equal(there[columns], here[columns])


@pytest.mark.slow
@pytest.mark.parametrize("park_id", ["north", "synthetic"])
def test_dask_writes_the_verdicts_and_findings_of_one_process(
    park_id: str, one_process: tuple[Path, pd.DataFrame], on_dask: tuple[Path, pd.DataFrame]
) -> None:
    here_verdicts, here_findings = read_part_tables(one_process[0], park_id)
    there_verdicts, there_findings = read_part_tables(on_dask[0], park_id)
    parts = sorted(p.name for p in (on_dask[0] / park_id / VERDICTS_DIR).iterdir())
    assert 2 <= len(parts) <= 10
    assert all(p.startswith("part-") and p.endswith(".parquet") for p in parts)
    assert_geodataframe_equal(there_verdicts, here_verdicts)
    assert_frame_equal(there_findings, here_findings)


@pytest.mark.slow
def test_dask_partitions_the_sited_projects_along_the_hilbert_curve(
    on_dask: tuple[Path, pd.DataFrame],
) -> None:
    """The sited projects' parts cover compact areas: their extents are smaller than the park's."""
    out = on_dask[0] / "synthetic" / VERDICTS_DIR
    whole = gpd.read_parquet(out)
    park_area = shapely.box(*whole.geometry.dropna().total_bounds).area
    sited_parts = []
    for part in sorted(out.iterdir()):
        sites = gpd.read_parquet(part).geometry.dropna()
        if len(sites):
            sited_parts.append(shapely.box(*sites.total_bounds).area)
    assert len(sited_parts) >= 2
    assert sum(sited_parts) < 1.5 * park_area
    assert max(sited_parts) < park_area


@pytest.mark.slow
def test_the_ledger_on_dask_is_the_ledger_in_one_process(
    parks: list[Path], client: object, tmp_path: Path
) -> None:
    day = pd.Timestamp(AS_OF).date()
    here = ledger_parks(parks[:2], tmp_path / "here", as_of=day)
    there = ledger_parks(parks[:2], tmp_path / "there", as_of=day, client=client)
    assert_frame_equal(there.drop(columns="files"), here.drop(columns="files"))
    for park_id in ("north", "south"):
        a = (tmp_path / "here" / park_id / "ledger.json").read_text(encoding="utf-8")
        c = (tmp_path / "there" / park_id / "ledger.json").read_text(encoding="utf-8")
        assert json.loads(a) == json.loads(c)
