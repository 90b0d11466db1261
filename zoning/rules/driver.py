"""The check driver: run the registered rules over a batch and assemble the verdicts.

:func:`check` lays out the (project, zone) pairs (:mod:`zoning.rules.batch`), runs each rule
of ``rules`` (by default the whole registry, :data:`~zoning.rules.registry.RULES`) over all
of them at once, and turns the outcomes into one row per pair: its findings in registry
order, its verdict (the worst status) and whether it is a recommended zone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from zoning import schema as s
from zoning._types import Bools, Codes, IntArray
from zoning.park import Park
from zoning.projects import normalize_projects
from zoning.rules.base import (
    FAIL,
    WARN,
    Outcome,
    Reason,
    Rule,
    make_finding,
)
from zoning.rules.batch import layout
from zoning.rules.facts import ParkFacts, build_park_facts
from zoning.rules.registry import RULES
from zoning.rules.table import FindingsView, build_store, worst_of
from zoning.schema import FitRule, Verdict
from zoning.units import METRIC_CRS

#: the columns of a check result, in order
RESULT_COLUMNS: Final = (
    s.PROJECT_ID,
    s.NAME,
    s.INDUSTRY_CODE,
    s.ZONE_ID,
    s.VERDICT,
    s.BEST,
    s.AREA_MU,
    s.FINDINGS,
    s.GEOMETRY,
)
_VERDICT_OF_CODE: Final = (
    Verdict.FITS.value,
    Verdict.CONDITIONAL.value,
    Verdict.DOES_NOT_FIT.value,
)


def assemble(
    outcomes: Sequence[Outcome], n_pairs: int
) -> tuple[list[FindingsView], Codes, IntArray]:
    """Return the findings (a view per pair), the worst status and the number of warnings."""
    worst, n_warn = worst_of(outcomes, n_pairs)
    return build_store(outcomes, n_pairs).views(), worst, n_warn


def best_rows(projects: IntArray, verdict_code: Codes, n_warn: IntArray, requested: Bools) -> Bools:
    """Mark the recommended zone(s) of each project among the rows that fit or are conditional.

    The rows with the best verdict, then the fewest warnings; the requested zone breaks a tie.
    """
    placeable = verdict_code <= WARN
    score = verdict_code.astype(np.int64) * 1_000_000 + n_warn.astype(np.int64) * 10 + ~requested
    frame = pd.DataFrame(
        {"p": projects, "score": np.where(placeable, score, np.iinfo(np.int64).max)}
    )
    top = (frame["score"] == frame.groupby("p")["score"].transform("min")).to_numpy(dtype=bool)
    return placeable & top


def _error_rows(bad: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One ``error`` row per unusable project, a finding of rule ``input`` per problem."""
    findings = [
        [
            make_finding(
                FitRule.INPUT,
                FAIL,
                Reason.INVALID_INPUT,
                (reason, reason),
                None,
                None,
                None,
                "projects table",
            )
            for reason in reasons
        ]
        for reasons in bad[s.INPUT_ERROR]
    ]
    return gpd.GeoDataFrame(
        {
            s.PROJECT_ID: bad[s.PROJECT_ID].to_numpy(dtype=object),
            s.NAME: bad[s.NAME].to_numpy(dtype=object),
            s.INDUSTRY_CODE: bad[s.INDUSTRY_CODE].to_numpy(dtype=object),
            s.ZONE_ID: np.full(len(bad), "", dtype=object),
            s.VERDICT: np.full(len(bad), Verdict.ERROR.value, dtype=object),
            s.BEST: np.zeros(len(bad), dtype=bool),
            s.AREA_MU: bad[s.AREA_MU].to_numpy(float),
            s.FINDINGS: findings,
        },
        geometry=gpd.GeoSeries(bad.geometry.to_numpy(), crs=METRIC_CRS),
        crs=METRIC_CRS,
    )


def check(
    park: Park,
    projects: pd.DataFrame,
    *,
    facts: ParkFacts | None = None,
    rules: Sequence[Rule] = RULES,
) -> gpd.GeoDataFrame:
    """Check proposed projects against the park's zones and rules, explaining every verdict.

    Parameters
    ----------
    park
        The park (zones, parcels, constraints and rulebook).
    projects
        One row per project, as returned by :func:`zoning.io.read_projects`: a DataFrame
        (cells may be text; sites as WKT in WGS84 in ``site_wkt``) or a GeoDataFrame (sites as
        its geometry, any CRS), with at least ``project_id`` and ``industry_code``; see
        :data:`zoning.projects.PROJECT_FIELDS` for every field and unit.
    facts
        Precomputed park facts (:func:`~zoning.rules.facts.build_park_facts`), to check
        several batches against one park without recomputing them.
    rules
        The rules to run, in the order of their findings (default: every registered rule,
        :data:`~zoning.rules.registry.RULES`); a verdict is made from these rules only.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4543, columns :data:`RESULT_COLUMNS`: one row per (project, zone) considered
        — every zone for a project without a site, the zone(s) the site touches (or the
        nearest zone when it lies outside the park) for a project with one — and one row with
        ``zone_id == ""`` and verdict ``error`` for a row that could not be checked. Rows
        follow the input order of the projects, then zone priority. ``findings`` is a
        read-only sequence (:class:`~zoning.rules.table.FindingsView`, equal to a list; the
        whole batch as one table: :func:`~zoning.rules.table.findings_table`) of dicts
        with keys ``rule``, ``status``, ``reason``, ``message``, ``message_zh``,
        ``measured``, ``required``, ``unit``, ``source``; ``best`` marks the recommended
        zone(s); ``area_mu`` is the land the project needs (given, or the site's area); the
        geometry is the site (``None`` without one).

    Raises
    ------
    ProjectInputError
        If the table cannot be used as a whole (no rows, missing required columns, empty or
        duplicate ids, sites without a CRS). A bad row is a result, not an error.
    """
    with _no_cyclic_gc():
        return _check(park, projects, facts, rules)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Suspend the cyclic garbage collector while a batch's findings are built.

    A large batch allocates millions of small dicts and lists, none of them in reference
    cycles; the collector would rescan them over and over (a third of the run time for
    100,000 projects). Reference counting still frees memory; the previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pair_rows(facts: ParkFacts, good: gpd.GeoDataFrame, rules: Sequence[Rule]) -> gpd.GeoDataFrame:
    """Return the result rows of the usable projects: one per pair, before ordering."""
    batch = layout(facts, good)
    outcomes = [o for rule in rules for o in rule.evaluate(facts, batch)]
    findings, worst, n_warn = assemble(outcomes, batch.n_pairs)
    requested = good[s.REQUESTED_ZONE].to_numpy(dtype=object)[batch.pp] == facts.zone_ids[batch.pz]
    pairs = gpd.GeoDataFrame(
        {
            s.PROJECT_ID: good[s.PROJECT_ID].to_numpy(dtype=object)[batch.pp],
            s.NAME: good[s.NAME].to_numpy(dtype=object)[batch.pp],
            s.INDUSTRY_CODE: good[s.INDUSTRY_CODE].to_numpy(dtype=object)[batch.pp],
            s.ZONE_ID: facts.zone_ids[batch.pz],
            s.VERDICT: np.array(_VERDICT_OF_CODE, dtype=object)[worst],
            s.BEST: best_rows(batch.pp, worst, n_warn, requested),
            s.AREA_MU: good[s.AREA_MU].to_numpy(float)[batch.pp],
            s.FINDINGS: findings,
        },
        geometry=gpd.GeoSeries(batch.sites[batch.pp], crs=METRIC_CRS),
        crs=METRIC_CRS,
    )
    pairs["_z"] = facts.zone_order[batch.pz]
    return pairs


def _check(
    park: Park, projects: pd.DataFrame, facts: ParkFacts | None, rules: Sequence[Rule]
) -> gpd.GeoDataFrame:
    facts = build_park_facts(park) if facts is None else facts
    table = normalize_projects(
        projects,
        industry_codes=park.rulebook.industry_codes,
        zone_ids=[str(z) for z in facts.zone_ids],
    )
    usable = table[s.INPUT_ERROR].map(len).eq(0).to_numpy(dtype=bool)
    order_of = pd.Series(np.arange(len(table)), index=table[s.PROJECT_ID])
    parts = []
    good = table[usable].reset_index(drop=True)
    if len(good):
        parts.append(_pair_rows(facts, good, rules))
    if (~usable).any():
        errors = _error_rows(table[~usable])
        errors["_z"] = -1
        parts.append(errors)
    result = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    result["_p"] = order_of.loc[result[s.PROJECT_ID]].to_numpy()
    result = result.sort_values(["_p", "_z"], kind="stable").drop(columns=["_p", "_z"])
    result = gpd.GeoDataFrame(result.reset_index(drop=True), geometry=s.GEOMETRY, crs=METRIC_CRS)
    return result[list(RESULT_COLUMNS)]
