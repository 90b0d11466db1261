"""The phase plan a planner reads: which land opens when, why the rest stays closed.

:func:`make_phase_plan` turns a solver's answer (``phase_of``, in node order) into a
:class:`PhasePlan`: the parcels with their phase and reason, the parcels left closed, the
per-phase metrics (:func:`zoning.planning.metrics.phase_metrics`), the objective and, in
project-aware mode, the projects placed and those that got no land.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import InfeasiblePlanError
from zoning.i18n import LANGS, N_, translate
from zoning.park import Park
from zoning.planning.metrics import (
    COMPACTNESS_MEASURE,
    TRACT_COMPACTNESS,
    TRACT_COMPACTNESS_MEASURE,
    block_labels,
    evaluate_plan,
    phase_metrics,
)
from zoning.planning.placement import Placement, Unplaced
from zoning.planning.problem import FIT_TOLERANCE, NOT_OPENED, SequencingProblem
from zoning.planning.tracts import TRACT_COLUMNS, TRACT_ID, WHY, tract_table
from zoning.planning.types import IntArray

#: words of the reason ``outside_tracts`` (in :data:`zoning.schema.LABELS`; marked here so the
#: planning catalogue translates them)
OUTSIDE_TRACTS_WORDS: Final = N_("not reached by the tracts the phases open")
#: words of the unplaced reason ``no_tract_room`` (same)
NO_TRACT_ROOM_WORDS: Final = N_("its phase opens all its tracts elsewhere")
#: columns of a plan's redevelopment table (:mod:`zoning.planning.redevelopment`)
REDEVELOPMENT_COLUMNS: Final = (
    s.PARCEL_ID,
    s.ZONE_ID,
    s.ENTERPRISE_ID,
    s.FORMER_STATUS,
    s.LAND_STATUS,
    s.REASON,
    s.DUE,
    s.AS_OF,
    s.AREA_MU,
    s.PHASE,
    TRACT_ID,
)
#: words of the unplaced reason ``site_fails_a_rule`` (same)
SITE_FAILS_WORDS: Final = N_("a binding rule fails on the land it could take")
#: column of :attr:`PhasePlan.assignments`: the rank of the candidate site the project took
SITE_RANK: Final = "site_rank"
#: parcel fields of a plan's features (:meth:`PhasePlan.to_feature_frame`), before the phase
FEATURE_FIELDS: Final = (s.PARCEL_ID, s.ZONE_ID, s.STATUS, s.LAND_USE_CODE, s.AREA_MU)


@dataclass(frozen=True)
class PhasePlan:
    """A phase plan of a park: which land opens in which phase, and why the rest does not.

    Attributes
    ----------
    parcels
        All the park's parcels (EPSG:4543, in the park's order) with ``phase`` (Int64,
        ``1..K`` for opened parcels, missing otherwise) and ``reason`` (why a vacant or
        protected parcel stays closed, missing otherwise).
    unscheduled
        ``parcel_id`` and ``reason`` of every vacant or protected parcel left closed,
        sorted by id. Reasons: :class:`~zoning.schema.UnscheduledReason`.
    metrics
        One row per phase: ``phase``, ``area_mu`` opened, ``cumulative_mu`` opened so far,
        ``parcels`` opened, ``blocks`` opened, ``perimeter_m`` and ``compactness``
        (Polsby-Popper ``4πA/P²``) of the whole developed area after the phase (existing
        development included), ``priority_share`` (share of the area opened that lies in
        ``priority_contiguous`` zones), ``wastewater_tpd`` and ``power_mw`` demand added
        (when capacities are planned).
    objective, reward, block_penalty, perimeter_penalty
        The objective ``J`` and its parts, in mu (:func:`evaluate_plan`).
    assignments
        In project-aware mode, one row per placed project: ``project_id``, ``zone_id``,
        ``phase``, ``parcel_ids`` (list) and ``area_mu`` of its block, ``site_rank`` (the
        rank of the candidate site of :func:`~zoning.planning.siting.propose_sites` it
        took; missing on its own site or on land grown from development) and ``why``
        (``{"zh": …, "en": …}``: its own site, its best candidate, or why the better
        candidates were not taken); empty otherwise.
    unplaced
        In project-aware mode, ``project_id``, ``reason`` of the projects that got no land
        (:class:`~zoning.schema.UnplacedReason`) and ``why`` (the failing rules' messages
        in both languages for ``site_fails_a_rule``, else missing); empty otherwise.
    method
        ``heuristic`` or ``exact``.
    quota_mu, phases
        The land supply per phase and the number of phases.
    optimal
        For the exact method, whether the solver proved the plan optimal.
    bound
        For the exact method, the solver's upper bound on the objective.
    infrastructure_penalty
        The part of ``J`` charged for the planned roads and utility lines to build, mu.
    tracts
        One row per tract opened (:func:`zoning.planning.tracts.tract_table`): phase,
        ``tract_id``, kind (``extension`` or ``infill``), parcels, area, share of the
        phase, compactness (convex-hull ratio), metres of road, water, power and gas to
        build and their cost, the segments, the projects placed and ``why`` (both
        languages).
    max_tracts
        The most tracts a phase may open.
    redevelopment
        Idle and inefficient land the plan was offered as supply
        (:mod:`zoning.planning.redevelopment`), one row per parcel: its former status, its
        land-clock status, ``reason`` (both languages), ``due``, the ledger's ``as_of``,
        ``phase`` and ``tract_id`` when opened; empty for a plan of vacant land only.
    """

    parcels: gpd.GeoDataFrame
    unscheduled: pd.DataFrame
    metrics: pd.DataFrame
    objective: float
    reward: float
    block_penalty: float
    perimeter_penalty: float
    assignments: pd.DataFrame
    unplaced: pd.DataFrame
    method: str
    quota_mu: float
    phases: int
    optimal: bool | None = None
    bound: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    infrastructure_penalty: float = 0.0
    tracts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TRACT_COLUMNS))
    max_tracts: int | None = None
    redevelopment: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=REDEVELOPMENT_COLUMNS)
    )

    @property
    def plan_id(self) -> str:
        """A fingerprint of the plan: which parcel opens in which phase, and which project.

        The exports carry it in their metadata, so a reader can tell which plan a file
        holds; two plans with the same id open the same land in the same phases and
        place the same projects on it.
        """
        ids = self.parcels[s.PARCEL_ID].astype(str).tolist()
        phases = self.parcels[s.PHASE].fillna(0).astype(int).tolist()
        text = ";".join(f"{i}:{p}" for i, p in sorted(zip(ids, phases, strict=True)))
        for row in self.assignments.itertuples(index=False):
            parcels = ",".join(sorted(str(x) for x in getattr(row, s.PARCEL_IDS)))
            text += f"|{getattr(row, s.PROJECT_ID)}@{parcels}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def closed_explanations(self) -> pd.DataFrame:
        """Return why each parcel left closed stays closed, in words in both languages.

        Columns ``parcel_id``, ``reason`` (the code) and one column per language
        (``zh``, ``en``) with the words of :data:`zoning.schema.LABELS`.
        """
        words = s.LABELS[s.UnscheduledReason]
        out = self.unscheduled.copy()
        for lang in LANGS:
            out[lang] = [translate(words[str(r)], lang) for r in out[s.REASON]]
        return out

    @property
    def components(self) -> dict[str, float]:
        """The parts of the objective, in mu."""
        return {
            "reward": self.reward,
            "block_penalty": self.block_penalty,
            "perimeter_penalty": self.perimeter_penalty,
            "infrastructure_penalty": self.infrastructure_penalty,
        }

    def phase_parcels(self, phase: int) -> gpd.GeoDataFrame:
        """Return the parcels opened in ``phase``."""
        frame: gpd.GeoDataFrame = self.parcels[self.parcels[s.PHASE] == phase]
        return frame

    def _union_of(self, groups: list[list[str]]) -> list[Any]:
        by_id = dict(
            zip(
                self.parcels[s.PARCEL_ID].astype(str),
                self.parcels.geometry.to_numpy(),
                strict=True,
            )
        )
        return [shapely.union_all([by_id[str(i)] for i in group]) for group in groups]

    def tract_frame(self) -> gpd.GeoDataFrame:
        """Return the tracts as features (EPSG:4543): :attr:`tracts` with their outline.

        The geometry of a tract is the union of its parcels; ``why`` becomes ``why_zh`` and
        ``why_en``. The map and the export draw the tracts from this frame.
        """
        frame = self.tracts.drop(columns=["why"]).copy()
        frame["why_zh"] = [str(w["zh"]) for w in self.tracts["why"]]
        frame["why_en"] = [str(w["en"]) for w in self.tracts["why"]]
        ids = [[str(i) for i in group] for group in self.tracts[s.PARCEL_IDS]]
        frame[s.PARCEL_IDS] = ids
        return gpd.GeoDataFrame(frame, geometry=self._union_of(ids), crs=self.parcels.crs)

    def placement_frame(self) -> gpd.GeoDataFrame:
        """Return the placed projects as features (EPSG:4543), with the tract they lie in.

        Columns ``project_id``, ``zone_id``, ``phase``, ``tract_id``, ``parcel_ids``,
        ``area_mu``; the geometry is the union of the project's parcels.
        """
        tract_of = {
            str(i): str(tract)
            for tract, group in zip(self.tracts["tract_id"], self.tracts[s.PARCEL_IDS], strict=True)
            for i in group
        }
        ids = [[str(i) for i in group] for group in self.assignments[s.PARCEL_IDS]]
        frame = pd.DataFrame(
            {
                s.PROJECT_ID: self.assignments[s.PROJECT_ID].astype(str).to_numpy(),
                s.ZONE_ID: self.assignments[s.ZONE_ID].astype(str).to_numpy(),
                s.PHASE: [int(p) for p in self.assignments[s.PHASE]],
                "tract_id": [tract_of.get(group[0]) if group else None for group in ids],
                s.PARCEL_IDS: ids,
                s.AREA_MU: self.assignments[s.AREA_MU].to_numpy(dtype=float),
            }
        )
        return gpd.GeoDataFrame(frame, geometry=self._union_of(ids), crs=self.parcels.crs)

    def to_feature_frame(self) -> gpd.GeoDataFrame:
        """Return the plan's parcels as the features of its GeoJSON form (EPSG:4543).

        Columns ``parcel_id``, ``zone_id``, ``status``, ``land_use_code``, ``area_mu``
        (rounded to 0.01 mu), ``phase`` (missing when closed), ``reason`` (why a vacant or
        protected parcel stays closed) and ``project_id`` (the project that opens it, if
        any), and the geometry; :func:`zoning.io.geojson.plan_to_feature_collection` writes
        it as RFC 7946 GeoJSON.
        """
        parcels = self.parcels
        fields = [f for f in FEATURE_FIELDS if f in parcels.columns]
        project_of: dict[str, str] = {}
        for row in self.assignments.itertuples(index=False):
            for pid in getattr(row, s.PARCEL_IDS):
                project_of[str(pid)] = str(getattr(row, s.PROJECT_ID))
        frame = parcels[[*fields, s.PHASE, s.REASON]].astype(object)
        frame = frame.where(frame.notna(), None)
        if s.AREA_MU in frame.columns:
            frame[s.AREA_MU] = [None if v is None else round(float(v), 2) for v in frame[s.AREA_MU]]
        frame[s.PHASE] = [None if v is None else int(v) for v in frame[s.PHASE]]
        frame[s.PROJECT_ID] = [project_of.get(str(pid)) for pid in frame[s.PARCEL_ID]]
        out = gpd.GeoDataFrame(frame, geometry=parcels.geometry.to_numpy(), crs=parcels.crs)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as plain JSON-ready data.

        ``{"phases": [{"phase", "area_mu", "parcels", "projects"}], "unscheduled":
        [{"parcel_id", "reason"}], "metrics": {...}, "assignments": [...],
        "unplaced": [...], "tracts": [...], "redevelopment": [...]}``; areas rounded to
        0.01 mu; each tract with its ``why`` in both languages, each redevelopment parcel
        with its ``reason``; ``metrics.plan_id`` names the plan.
        """
        phase_col = self.parcels[s.PHASE]
        ids = self.parcels[s.PARCEL_ID].astype(str)
        phases = []
        for row in self.metrics.itertuples(index=False):
            p = int(getattr(row, s.PHASE))
            projects = (
                self.assignments.loc[self.assignments[s.PHASE] == p, s.PROJECT_ID].tolist()
                if not self.assignments.empty
                else []
            )
            phases.append(
                {
                    s.PHASE: p,
                    s.AREA_MU: round(float(getattr(row, s.AREA_MU)), 2),
                    s.N_PARCELS: sorted(ids[(phase_col == p).fillna(False).to_numpy()].tolist()),
                    "projects": [str(x) for x in projects],
                }
            )
        per_phase = [
            {k: _json_value(v) for k, v in record.items()}
            for record in self.metrics.to_dict("records")
        ]
        return {
            "phases": phases,
            "unscheduled": [
                {s.PARCEL_ID: str(pid), s.REASON: str(why)}
                for pid, why in zip(
                    self.unscheduled[s.PARCEL_ID], self.unscheduled[s.REASON], strict=True
                )
            ],
            "metrics": {
                "method": self.method,
                "quota_mu": self.quota_mu,
                "phases": self.phases,
                "objective": round(self.objective, 4),
                **{k: round(v, 4) for k, v in self.components.items()},
                "optimal": self.optimal,
                "bound": None if self.bound is None else round(self.bound, 4),
                "compactness_measure": COMPACTNESS_MEASURE,
                "tract_compactness_measure": TRACT_COMPACTNESS_MEASURE,
                "max_tracts_per_phase": self.max_tracts,
                "plan_id": self.plan_id,
                "opened_mu": round(float(self.metrics[s.AREA_MU].sum()), 2),
                "unscheduled_by_reason": {
                    str(k): int(v)
                    for k, v in self.unscheduled[s.REASON].value_counts().sort_index().items()
                },
                "per_phase": per_phase,
            },
            "assignments": [
                {
                    s.PROJECT_ID: str(r[s.PROJECT_ID]),
                    s.ZONE_ID: str(r[s.ZONE_ID]),
                    s.PHASE: int(r[s.PHASE]),
                    s.PARCEL_IDS: [str(x) for x in r[s.PARCEL_IDS]],
                    s.AREA_MU: round(float(r[s.AREA_MU]), 2),
                }
                for r in self.assignments.to_dict("records")
            ],
            "unplaced": [
                {s.PROJECT_ID: str(r[s.PROJECT_ID]), s.REASON: str(r[s.REASON])}
                for r in self.unplaced.to_dict("records")
            ],
            "tracts": [_tract_record(r) for r in self.tracts.to_dict("records")],
            "redevelopment": [
                _redevelopment_record(r) for r in self.redevelopment.to_dict("records")
            ],
        }


def _tract_record(record: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key_, value in record.items():
        key = str(key_)
        if isinstance(value, list | dict):
            out[key] = value
        else:
            out[key] = _json_value(value)
    return out


def _redevelopment_record(record: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key_, value in record.items():
        key = str(key_)
        if isinstance(value, dict):
            out[key] = value
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        else:
            out[key] = _json_value(value)
    return out


def _json_value(value: object) -> object:
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    return value


def make_phase_plan(
    park: Park,
    problem: SequencingProblem,
    phase_of: IntArray,
    *,
    method: str,
    placements: list[Placement] | None = None,
    unplaced: list[Unplaced] | None = None,
    optimal: bool | None = None,
    bound: float | None = None,
) -> PhasePlan:
    """Assemble a :class:`PhasePlan` from a solution (``phase_of`` in node order).

    The project placement fills its phases with reserve land, so closed land has the
    reasons of a land-supply plan (not ``not_needed``) in both modes.
    """
    reasons = unscheduled_reasons(problem, phase_of, project_mode=False)
    n = problem.n
    phase_rows = np.zeros(n, dtype=np.int64)
    phase_rows[problem.rows] = phase_of
    reason_rows = np.full(n, None, dtype=object)
    reason_rows[problem.rows] = reasons
    parcels = park.parcels.copy()
    phase_column = pd.Series(phase_rows, index=parcels.index, dtype="Int64")
    phase_column[phase_rows == NOT_OPENED] = pd.NA
    parcels[s.PHASE] = phase_column
    parcels[s.REASON] = pd.Series(reason_rows, index=parcels.index, dtype="string")
    closed = np.array([r is not None for r in reasons], dtype=bool)
    unscheduled = pd.DataFrame(
        {
            s.PARCEL_ID: problem.ids[closed].astype(str),
            s.REASON: reasons[closed].astype(str),
        }
    )
    value = evaluate_plan(problem, phase_of)
    placements = placements or []
    project_of = {i: p.project_id for p in placements for i in p.nodes}
    geoms = np.asarray(park.parcels.geometry.to_numpy()[problem.rows], dtype=object)
    tracts = tract_table(problem, phase_of, geoms, project_of)
    metrics = phase_metrics(problem, phase_of)
    metrics[TRACT_COMPACTNESS] = [
        _weighted_compactness(tracts[tracts[s.PHASE] == p]) for p in metrics[s.PHASE]
    ]
    assignments = pd.DataFrame(
        {
            s.PROJECT_ID: [p.project_id for p in placements],
            s.ZONE_ID: [p.zone_id for p in placements],
            s.PHASE: pd.array([p.phase for p in placements], dtype="Int64"),
            s.PARCEL_IDS: [[str(problem.ids[i]) for i in p.nodes] for p in placements],
            s.AREA_MU: np.array([p.area_mu for p in placements], dtype=float),
            SITE_RANK: pd.array([p.site_rank for p in placements], dtype="Int64"),
            WHY: [p.why for p in placements],
        }
    )
    unplaced_frame = pd.DataFrame(
        {
            s.PROJECT_ID: [u[0] for u in unplaced or []],
            s.REASON: [u[1] for u in unplaced or []],
            WHY: [u[2] for u in unplaced or []],
        },
        dtype=object,
    )
    return PhasePlan(
        parcels=parcels,
        unscheduled=unscheduled,
        metrics=metrics,
        objective=value.value,
        reward=value.reward,
        block_penalty=value.block_penalty,
        perimeter_penalty=value.perimeter_penalty,
        assignments=assignments,
        unplaced=unplaced_frame,
        method=method,
        quota_mu=problem.quota_mu,
        phases=problem.phases,
        optimal=optimal,
        bound=bound,
        infrastructure_penalty=value.infrastructure_penalty,
        tracts=tracts,
        max_tracts=problem.max_tracts,
    )


def _weighted_compactness(tracts: pd.DataFrame) -> float:
    """Area-weighted mean compactness of a phase's tracts (NaN when none)."""
    area = tracts[s.AREA_MU].to_numpy(dtype=float)
    if area.sum() <= 0:
        return float("nan")
    return float(np.sum(area * tracts[s.COMPACTNESS].to_numpy(dtype=float)) / area.sum())


def raise_if_empty(problem: SequencingProblem, phase_of: IntArray) -> None:
    """Raise when a plan opens nothing, with the count of closed parcels by reason.

    Raises
    ------
    InfeasiblePlanError
        If no parcel opens in any phase.
    """
    if (phase_of > NOT_OPENED).any():
        return
    reasons = unscheduled_reasons(problem, phase_of, project_mode=False)
    counts = pd.Series([r for r in reasons if r is not None]).value_counts().sort_index()
    detail = ", ".join(f"{v} {k}" for k, v in counts.items())
    hint = ""
    if counts.get(str(s.UnscheduledReason.ZONE_HELD), 0):
        hint += "; zones in maintain_current mode open only from the phase named in the "
        hint += "rulebook's [sequencing.open_from_phase]"
    if counts.get(str(s.UnscheduledReason.ISOLATED), 0):
        hint += "; isolated parcels neither touch development nor front a built road"
    raise InfeasiblePlanError(
        f"no plan can be made: no vacant parcel can be opened in any phase ({detail}){hint}"
    )


def unscheduled_reasons(
    problem: SequencingProblem, phase_of: IntArray, *, project_mode: bool
) -> npt.NDArray[np.object_]:
    """Return the reason of each node left closed (``None`` for developed and opened parcels).

    Reasons known before planning come from the problem; an eligible parcel left closed is
    ``not_needed`` in project-aware mode, otherwise ``capacity_exhausted``,
    ``outside_tracts`` (it would fit the last phase's quota, but the last phase has all its
    tracts or none reaches it), ``fragmenting`` (it would fit and is anchored, but its
    block costs more than it is worth) or ``quota_exhausted``.
    """
    reasons = list(s.UnscheduledReason)
    out = np.full(problem.n, None, dtype=object)
    static = problem.static_reason >= 0
    out[static] = [str(reasons[c]) for c in problem.static_reason[static]]
    closed = problem.eligible & (phase_of == NOT_OPENED)
    if not closed.any():
        return out
    if project_mode:
        out[closed] = str(s.UnscheduledReason.NOT_NEEDED)
        return out
    k = problem.phases
    last_slack = problem.quota_mu - float(problem.area_mu[phase_of == k].sum())
    developed = problem.developed | (phase_of > NOT_OPENED)
    touches = np.zeros(problem.n, dtype=bool)
    left, right = problem.adjacency.left, problem.adjacency.right
    touches[left[developed[right]]] = True
    touches[right[developed[left]]] = True
    anchored = problem.serviced | touches
    over_capacity = np.zeros(problem.n, dtype=bool)
    for cap in problem.capacities:
        used = float(cap.demand[phase_of > NOT_OPENED].sum())
        over_capacity |= used + cap.demand > cap.available[-1] * (1 + FIT_TOLERANCE) + 1e-9
    fits_quota = problem.area_mu <= last_slack + FIT_TOLERANCE * max(problem.quota_mu, 1.0)
    labels = block_labels(problem, phase_of)
    last_tracts = len(np.unique(labels[phase_of == k]))
    for i in np.flatnonzero(closed):
        if fits_quota[i] and over_capacity[i]:
            why = s.UnscheduledReason.CAPACITY_EXHAUSTED
        elif fits_quota[i] and (last_tracts >= problem.max_tracts or not anchored[i]):
            why = s.UnscheduledReason.OUTSIDE_TRACTS
        elif fits_quota[i] and anchored[i]:
            why = s.UnscheduledReason.FRAGMENTING
        else:
            why = s.UnscheduledReason.QUOTA_EXHAUSTED
        out[i] = str(why)
    return out


__all__ = [
    "FEATURE_FIELDS",
    "PhasePlan",
    "make_phase_plan",
    "raise_if_empty",
    "unscheduled_reasons",
]
