"""The columnar findings of a check equal today's eager findings, row by row and as a table.

The reference is today's path, kept in tests/_reference_findings.py: the per-row rules
formatting both messages of every finding at once, and the driver's list-of-lists assembly.
"""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import zoning
from zoning import schema as s
from zoning.io import bundled_park_dir, read_projects
from zoning.park import Park
from zoning.projects import normalize_projects
from zoning.rules import check, findings_table, to_records
from zoning.rules.batch import layout
from zoning.rules.examples import synthetic_projects
from zoning.rules.facts import build_park_facts
from zoning.rules.table import CATEGORICAL, TABLE_COLUMNS, FindingsView
from zoning.schema import Verdict

from ._reference_findings import REFERENCE_RULES, assemble

_VERDICTS = (Verdict.FITS.value, Verdict.CONDITIONAL.value, Verdict.DOES_NOT_FIT.value)
_KEYS = (s.RULE, s.STATUS, s.REASON, s.MEASURED, s.REQUIRED, s.UNIT, s.SOURCE)


@pytest.fixture(scope="module")
def park() -> Park:
    return zoning.load_park()


def reference_rows(park: Park, projects: pd.DataFrame) -> dict[tuple[str, str], Any]:
    """Today's path: per (project, zone) of the usable projects, the verdict and findings."""
    facts = build_park_facts(park)
    table = normalize_projects(
        projects,
        industry_codes=park.rulebook.industry_codes,
        zone_ids=[str(z) for z in facts.zone_ids],
    )
    good = table[table[s.INPUT_ERROR].map(len).eq(0)].reset_index(drop=True)
    batch = layout(facts, good)
    outcomes = [o for rule in REFERENCE_RULES for o in rule.evaluate(facts, batch)]
    findings, worst = assemble(outcomes, batch.n_pairs)
    ids = good[s.PROJECT_ID].to_numpy(dtype=object)[batch.pp]
    zones = facts.zone_ids[batch.pz]
    return {
        (str(p), str(z)): (_VERDICTS[w], [dict(f) for f in fs])
        for p, z, w, fs in zip(ids, zones, worst.tolist(), findings, strict=True)
    }


def assert_same_as_reference(park: Park, projects: pd.DataFrame) -> gpd.GeoDataFrame:
    result = check(park, projects)
    expected = reference_rows(park, projects)
    checked = result[result[s.ZONE_ID] != ""]
    assert len(checked) == len(expected)
    n_findings = 0
    for pid, zid, verdict, found in zip(
        checked[s.PROJECT_ID],
        checked[s.ZONE_ID],
        checked[s.VERDICT],
        checked[s.FINDINGS],
        strict=True,
    ):
        want_verdict, want = expected[(pid, zid)]
        assert isinstance(found, FindingsView)
        assert verdict == want_verdict, (pid, zid)
        assert [dict(f) for f in found] == want, (pid, zid)
        n_findings += len(want)

    table = findings_table(checked, messages=True)
    assert list(table.columns) == [*TABLE_COLUMNS, s.MESSAGE, s.MESSAGE_ZH]
    assert all(isinstance(table[c].dtype, pd.CategoricalDtype) for c in CATEGORICAL)
    assert len(table) == n_findings
    got = table.astype(object).where(table.notna(), None)
    want_rows = [
        (pid, zid, *[f[k] for k in (*_KEYS, s.MESSAGE, s.MESSAGE_ZH)])
        for pid, zid in zip(checked[s.PROJECT_ID], checked[s.ZONE_ID], strict=True)
        for f in expected[(pid, zid)][1]
    ]
    assert [tuple(r) for r in got.itertuples(index=False)] == want_rows
    return result


def test_bundled_pipeline_same_as_today(park: Park) -> None:
    projects = read_projects(bundled_park_dir() / "projects.csv")
    result = assert_same_as_reference(park, projects)
    assert set(result[s.VERDICT]) >= {Verdict.FITS.value, Verdict.DOES_NOT_FIT.value}


def test_ten_thousand_synthetic_projects_same_as_today(park: Park) -> None:
    projects = synthetic_projects(park, 10_000, np.random.default_rng(20_261_206))
    assert_same_as_reference(park, projects)


def test_table_joins_to_verdicts_by_key(park: Park) -> None:
    projects = synthetic_projects(park, 200, np.random.default_rng(7))
    result = check(park, projects)
    table = findings_table(result)
    worst = (
        table.assign(code=table[s.STATUS].map({"pass": 0, "warn": 1, "fail": 2}).astype(int))
        .groupby([s.PROJECT_ID, s.ZONE_ID])["code"]
        .max()
        .rename("worst")
    )
    joined = result.join(worst, on=[s.PROJECT_ID, s.ZONE_ID])
    assert (joined["worst"].map(dict(enumerate(_VERDICTS))) == joined[s.VERDICT]).all()
    # a subset of the rows, in another order, gives exactly their findings
    part = result.iloc[::-7]
    sub = findings_table(part)
    assert len(sub) == int(part[s.FINDINGS].map(len).sum())
    assert sub[s.PROJECT_ID].iloc[0] == part[s.PROJECT_ID].iloc[0]


def test_view_behaves_like_the_list(park: Park) -> None:
    projects = synthetic_projects(park, 40, np.random.default_rng(3))
    result = check(park, projects)
    view = result.loc[0, s.FINDINGS]
    as_list = list(view)
    assert view == as_list
    assert as_list == view
    assert len(view) == len(as_list) > 0
    assert view[-1] == as_list[-1]
    assert view[1:3] == as_list[1:3]
    assert pickle.loads(pickle.dumps(view)) == as_list
    assert type(copy.deepcopy(view)) is list
    record = to_records(result.iloc[:1])[0]
    assert json.loads(json.dumps(record))[s.FINDINGS] == json.loads(json.dumps(as_list))
    with pytest.raises(TypeError, match="unhashable"):
        hash(view)


def test_error_rows_keep_plain_lists(park: Park) -> None:
    projects = pd.DataFrame(
        {"project_id": ["OK", "BAD"], "industry_code": ["3831", "3831"], "area_mu": [20.0, -1.0]}
    )
    result = check(park, projects)
    table = findings_table(result)
    bad = table[table[s.PROJECT_ID] == "BAD"]
    assert bad[s.RULE].tolist() == ["input"]
    assert bad[s.ZONE_ID].tolist() == [""]
    assert set(table[table[s.PROJECT_ID] == "OK"][s.ZONE_ID]) == set(park.zones[s.ZONE_ID])
