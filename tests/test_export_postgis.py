"""PostGIS export against a real server (``ZONING_TEST_PG_DSN``, started by ``.ci/run``).

Everything is queried back with SQL: counts, SRIDs, Chinese text, arrays, JSON, geometries,
the GIST indexes, and that a re-export replaces the park's rows in one transaction.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import shapely
from typer.testing import CliRunner

import zoning
from tests.conftest import need_tool
from tests.test_export import (
    GENERATED,
    LONG_NOTICE,
    assert_same_geometry,
    expected_counts,
    expected_layers,
    sample_park,
    sample_plan,
    sample_results,
    to_crs,
)
from zoning import datadict as dd
from zoning.cli import app
from zoning.errors import ExportError
from zoning.io import bundled_park_dir, read_projects
from zoning.io import export as ex
from zoning.io.export import postgis as pg_export

pytestmark = pytest.mark.postgis

DSN_ENV = "ZONING_TEST_PG_DSN"


@pytest.fixture(scope="module")
def dsn() -> str:
    value = os.environ.get(DSN_ENV, "")
    need_tool(bool(value), f"a PostGIS server ({DSN_ENV}=postgresql://...)")
    return value


@pytest.fixture
def pg_schema(dsn: str) -> Iterator[str]:
    """A fresh schema for one test, dropped afterwards."""
    name = f"zoning_test_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    conn.close()


def query(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())
    finally:
        conn.close()


def export(dsn: str, pg_schema: str, **kwargs: Any) -> ex.ExportReport:
    park = kwargs.pop("park", None) or sample_park()
    kwargs.setdefault("results", sample_results())
    kwargs.setdefault("plan", sample_plan(park))
    kwargs.setdefault("generated_at", GENERATED)
    return ex.export_park(park, dsn, pg_schema=pg_schema, **kwargs)


def test_layers_arrive_with_counts_srid_and_indexes(dsn: str, pg_schema: str) -> None:
    report = export(dsn, pg_schema)
    assert list(report.written) == [f"{pg_schema}.{n}" for n in ex.table_names()]
    park = sample_park()
    counts = expected_counts(expected_layers(park, sample_results(), sample_plan(park)))
    for table, count in counts.items():
        rows = query(
            dsn,
            "SELECT count(*), count(DISTINCT ST_SRID(geom)), min(ST_SRID(geom)) "
            f'FROM "{pg_schema}"."{table}" WHERE park_id = %s',
            ("tiny",),
        )
        n, n_srid, srid = rows[0]
        assert n == count, table
        if count and table != "fit_results":
            assert (n_srid, srid) == (1, 4490), table
        typed = query(
            dsn,
            "SELECT type, srid FROM geometry_columns "
            "WHERE f_table_schema = %s AND f_table_name = %s",
            (pg_schema, table),
        )
        assert len(typed) == 1, table
        assert typed[0][1] == 4490, table
        indexes = query(
            dsn,
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
            (pg_schema, table),
        )
        assert any("USING gist (geom)" in d for (d,) in indexes), (table, indexes)
        assert any("PRIMARY KEY" in d or "UNIQUE" in d or "_pkey" in d for (d,) in indexes)


def test_values_and_geometries_round_trip(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema)
    park = sample_park()
    expected = expected_layers(park, sample_results(), sample_plan(park))
    for layer in dd.EXPORT_LAYERS:
        if layer is dd.METADATA:
            continue
        got = {}
        for family in layer.families:
            table = layer.part_name(family)
            columns = ", ".join(f'"{f.name}"' for f in layer.fields)
            rows = query(
                dsn,
                f'SELECT {columns}, ST_AsBinary(geom) FROM "{pg_schema}"."{table}" '
                "WHERE park_id = %s",
                ("tiny",),
            )
            for row in rows:
                props = dict(zip(layer.field_names, row[:-1], strict=True))
                geom = None if row[-1] is None else shapely.from_wkb(bytes(row[-1]))
                got[tuple(str(props[k]) for k in layer.key)] = (props, geom)
        want = expected[layer.name]
        assert got.keys() == want.keys(), layer.name
        for key, (want_props, want_geom) in want.items():
            have_props, have_geom = got[key]
            assert have_props == want_props, (layer.name, key)
            assert_same_geometry(have_geom, to_crs(want_geom, "EPSG:4490"), tolerance=1e-9)


def test_chinese_text_arrays_and_json_are_queryable(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema)
    rows = query(
        dsn,
        f'SELECT name_zh, permitted FROM "{pg_schema}".zones '
        "WHERE park_id = %s AND %s = ANY(permitted)",
        ("tiny", "3252"),
    )
    assert rows == [("工业区", ["3252", "3216"])]
    rows = query(
        dsn,
        f"SELECT project_id, zone_id, f->>'message' FROM \"{pg_schema}\".fit_results, "
        "jsonb_array_elements(findings) AS f "
        "WHERE f->>'status' = 'fail' AND f->>'rule' = 'industry' ORDER BY 1",
    )
    message = "3252 is not permitted in 城区 (prohibited prefix 3)"
    assert rows == [("A1", "city", message), ("B2", "city", message)]
    rows = query(
        dsn,
        f'SELECT parcel_id, phase FROM "{pg_schema}".parcels '
        "WHERE phase IS NOT NULL ORDER BY phase",
    )
    assert rows == [("P2", 1), ("P5", 2)]


def test_metadata_record(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema)
    rows = query(
        dsn,
        "SELECT park_id, park_name, rulebook_version, generated_at, crs, phase_quota_mu, "
        f'phases, illustrative, notice, credits FROM "{pg_schema}".metadata',
    )
    assert rows == [
        (
            "tiny",
            "小园区 Tiny park",
            "t1",
            "2026-01-31T08:00:00Z",
            "EPSG:4490",
            300.0,
            2,
            True,
            LONG_NOTICE,
            ["county box — test — CC0", "桥头电厂 point — GEM — CC BY 4.0"],
        )
    ]
    comments = query(dsn, "SELECT obj_description(%s::regclass)", (f'"{pg_schema}".parcels',))
    assert comments == [(dd.PARCELS.description,)]


def test_reexport_replaces_rather_than_duplicates(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema)
    export(dsn, pg_schema, park=sample_park("other"), generated_at=datetime(2026, 2, 1, tzinfo=UTC))
    later = datetime(2026, 3, 1, tzinfo=UTC)
    export(dsn, pg_schema, results=sample_results().iloc[:2], generated_at=later)
    rows = query(
        dsn, f'SELECT park_id, count(*) FROM "{pg_schema}".fit_results GROUP BY 1 ORDER BY 1'
    )
    assert rows == [("other", 5), ("tiny", 2)]
    rows = query(dsn, f'SELECT park_id, count(*) FROM "{pg_schema}".parcels GROUP BY 1 ORDER BY 1')
    assert rows == [("other", 5), ("tiny", 5)]
    rows = query(dsn, f'SELECT park_id, generated_at FROM "{pg_schema}".metadata ORDER BY 1')
    assert rows == [("other", "2026-02-01T00:00:00Z"), ("tiny", "2026-03-01T00:00:00Z")]


def test_failing_export_rolls_back_and_keeps_the_earlier_one(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema)
    before = query(dsn, f'SELECT count(*) FROM "{pg_schema}".parcels')
    results = sample_results()
    duplicated = results.iloc[[0, 0, 1]].reset_index(drop=True)  # (A1, ind) twice
    with pytest.raises(
        ExportError, match=r"rolled back.*earlier export is unchanged.*duplicate key"
    ):
        export(dsn, pg_schema, results=duplicated, generated_at=datetime(2026, 4, 1, tzinfo=UTC))
    assert query(dsn, f'SELECT count(*) FROM "{pg_schema}".parcels') == before
    assert query(dsn, f'SELECT count(*) FROM "{pg_schema}".fit_results') == [(5,)]
    assert query(dsn, f'SELECT generated_at FROM "{pg_schema}".metadata') == [
        ("2026-01-31T08:00:00Z",)
    ]


def test_any_error_inside_the_transaction_rolls_back(
    dsn: str, pg_schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(dsn, pg_schema)
    real = pg_export._replace_rows
    done: list[str] = []

    def fail_after_first_table(cur: Any, schema: str, table: str, *args: Any, **kw: Any) -> None:
        if done:
            raise RuntimeError("connection dropped mid-export")
        real(cur, schema, table, *args, **kw)
        done.append(table)

    monkeypatch.setattr(pg_export, "_replace_rows", fail_after_first_table)
    changed = sample_park()
    zones = changed.zones.copy()
    zones["name_zh"] = ["改名", "改名"]
    changed = ex.Park(**{**changed.__dict__, "zones": zones})
    with pytest.raises(RuntimeError, match="mid-export"):
        export(dsn, pg_schema, park=changed)
    assert done == ["zones"]
    rows = query(dsn, f'SELECT name_zh FROM "{pg_schema}".zones ORDER BY zone_id')
    assert rows == [("城区",), ("工业区",)]


def test_crs_of_an_earlier_export_is_kept_or_refused(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema)
    with pytest.raises(ExportError, match=r"holds MULTIPOLYGON, SRID 4490.*SRID 4543"):
        export(dsn, pg_schema, crs="EPSG:4543")
    assert query(dsn, f'SELECT count(*) FROM "{pg_schema}".zones') == [(2,)]


def test_other_crs_in_a_fresh_schema(dsn: str, pg_schema: str) -> None:
    export(dsn, pg_schema, crs="EPSG:4543")
    rows = query(dsn, f'SELECT DISTINCT ST_SRID(geom) FROM "{pg_schema}".parcels')
    assert rows == [(4543,)]
    ((x, y),) = query(
        dsn,
        f'SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM "{pg_schema}".zones LIMIT 1',
    )
    assert 400_000 < x < 600_000  # metres, easting first
    assert 4_000_000 < y < 4_200_000


def test_real_fit_results_and_plan(dsn: str, pg_schema: str) -> None:
    park = zoning.load_park()
    results = zoning.check(park, read_projects(bundled_park_dir() / "projects.csv"))
    plan = zoning.sequence(park, quota_mu=800)
    ex.export_park(park, dsn, results=results, plan=plan, pg_schema=pg_schema)
    expected = expected_layers(park, results, plan)
    for layer in (dd.FIT_RESULTS, dd.PARCELS, dd.TRACTS):
        columns = ", ".join(f'"{f.name}"' for f in layer.fields)
        rows = query(
            dsn,
            f'SELECT {columns}, ST_AsBinary(geom) FROM "{pg_schema}"."{layer.name}" '
            "WHERE park_id = %s",
            ("beichuan",),
        )
        got = {}
        for row in rows:
            props = dict(zip(layer.field_names, row[:-1], strict=True))
            geom = None if row[-1] is None else shapely.from_wkb(bytes(row[-1]))
            got[tuple(str(props[k]) for k in layer.key)] = (props, geom)
        want = expected[layer.name]
        assert got.keys() == want.keys()
        for key, (want_props, want_geom) in want.items():
            assert got[key][0] == want_props, key
            assert_same_geometry(got[key][1], to_crs(want_geom, "EPSG:4490"), tolerance=1e-9)


def test_unreachable_server_is_an_export_error() -> None:
    with pytest.raises(
        ExportError, match=r"cannot connect to postgresql://gis:\*\*\*@127\.0\.0\.1:1/x"
    ):
        ex.export_park(sample_park(), "postgresql://gis:secret@127.0.0.1:1/x?connect_timeout=2")


def test_cli_exports_to_postgis(dsn: str, pg_schema: str, tiny_park_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--park", str(tiny_park_dir), "--to", dsn, "--pg-schema", pg_schema]
    )
    assert result.exit_code == 0, result.output
    assert f"{pg_schema}.parcels" in result.output
    assert query(dsn, f'SELECT count(*) FROM "{pg_schema}".parcels') == [(4,)]
