"""The objective ``J`` of a phase plan and its per-phase metrics, for any solver's answer.

A plan is ``phase_of``: the phase of each node of a
:class:`~zoning.planning.problem.SequencingProblem`, :data:`NOT_OPENED` (0) for a parcel left
closed. :func:`evaluate_plan` computes ``J`` (the one function every method is scored by,
see :mod:`zoning.planning`); :func:`phase_metrics` gives the table a planner reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.planning.adjacency import component_labels
from zoning.planning.infrastructure import INFRASTRUCTURE_KINDS
from zoning.planning.problem import NOT_OPENED, SequencingProblem
from zoning.planning.types import FloatArray, IntArray

#: name of the compactness measure reported in the metrics
COMPACTNESS_MEASURE: Final = "polsby_popper"
#: name of the compactness measure of each tract
TRACT_COMPACTNESS_MEASURE: Final = "convex_hull_ratio"
#: metrics column: tracts opened in the phase (the blocks, counted with across-road edges)
TRACTS: Final = "tracts"
#: metrics column: share of the phase's land in its largest tract
LARGEST_TRACT_SHARE: Final = "largest_tract_share"
#: metrics column: area-weighted mean compactness of the phase's tracts
TRACT_COMPACTNESS: Final = "tract_compactness"
#: metrics column: cost of the planned lines built in the phase, 万元
INFRASTRUCTURE_COST_WAN_YUAN: Final = "infrastructure_cost_wan_yuan"


@dataclass(frozen=True)
class ObjectiveValue:
    """The objective of a plan and its parts (all in mu, see :mod:`zoning.planning`)."""

    value: float
    reward: float
    block_penalty: float
    perimeter_penalty: float
    infrastructure_penalty: float = 0.0


def phase_blocks(problem: SequencingProblem, phase_of: IntArray) -> IntArray:
    """Return the number of blocks opened in each phase (index ``p - 1``).

    A block is a connected piece of the adjacency graph among the parcels of one phase.
    """
    left, right = problem.adjacency.left, problem.adjacency.right
    same = (phase_of[left] == phase_of[right]) & (phase_of[left] > NOT_OPENED)
    opened = np.flatnonzero(phase_of > NOT_OPENED)
    counts = np.zeros(problem.phases, dtype=np.int64)
    if opened.size == 0:
        return counts
    labels = component_labels(problem.n, left[same], right[same])
    roots = np.unique(labels[opened])
    np.add.at(counts, phase_of[roots] - 1, 1)
    return counts


def block_labels(problem: SequencingProblem, phase_of: IntArray) -> IntArray:
    """Return the block (tract) of each node: the smallest node of its block, -1 if closed.

    A block is a connected piece of the adjacency graph (shared boundaries and
    ``across_road`` edges) among the parcels opened in one phase.
    """
    left, right = problem.adjacency.left, problem.adjacency.right
    same = (phase_of[left] == phase_of[right]) & (phase_of[left] > NOT_OPENED)
    labels = component_labels(problem.n, left[same], right[same])
    out: IntArray = np.where(phase_of > NOT_OPENED, labels, -1).astype(np.int64)
    return out


def segment_phase(problem: SequencingProblem, phase_of: IntArray) -> IntArray:
    """Return the phase in which each planned segment must be built (0: never).

    A segment is built in the first phase that opens a parcel needing it.
    """
    needs = problem.needs
    out = np.zeros(needs.n_segments, dtype=np.int64)
    if needs.n_segments == 0:
        return out
    counts = np.diff(needs.indptr)
    owner = np.repeat(np.arange(problem.n), counts)
    when = phase_of[owner]
    keep = when > NOT_OPENED
    first = np.full(needs.n_segments, problem.phases + 1, dtype=np.int64)
    np.minimum.at(first, needs.indices[keep], when[keep])
    out[:] = np.where(first <= problem.phases, first, 0)
    return out


def perimeter_by_phase(problem: SequencingProblem, phase_of: IntArray) -> FloatArray:
    """Return the perimeter (m) of the developed area before phase 1 and after each phase.

    Index 0 is the existing development; index ``p`` is after phase ``p``. The perimeter
    of a union of parcels is their summed perimeters less twice their shared boundaries.
    """
    k = problem.phases
    when = np.where(problem.developed, 0, np.where(phase_of > NOT_OPENED, phase_of, k + 1))
    adj = problem.adjacency
    inside = np.maximum(when[adj.contact_left], when[adj.contact_right])
    own = np.bincount(when, weights=problem.perimeter_m, minlength=k + 2)[: k + 1]
    shared = np.bincount(inside, weights=adj.contact_length_m, minlength=k + 2)[: k + 1]
    out: FloatArray = np.cumsum(own - 2.0 * shared)
    return out


def evaluate_plan(problem: SequencingProblem, phase_of: IntArray) -> ObjectiveValue:
    """Compute the objective ``J`` of a plan (the one function both methods are scored by).

    Parameters
    ----------
    problem
        The planning problem.
    phase_of
        Phase of each node, :data:`NOT_OPENED` (0) for a parcel not opened.

    Returns
    -------
    ObjectiveValue
    """
    k = problem.phases
    opened = phase_of > NOT_OPENED
    time_weight = np.where(opened, (k + 1 - phase_of) / k, 0.0)
    reward = float(np.sum(problem.weight * problem.area_mu * time_weight))
    blocks = phase_blocks(problem, phase_of)
    block_penalty = problem.block_penalty_mu * float(blocks.sum())
    perimeter = perimeter_by_phase(problem, phase_of)
    perimeter_penalty = problem.perimeter_penalty_mu_per_m * float(
        np.sum(perimeter[1:] - perimeter[0])
    )
    built = segment_phase(problem, phase_of) > NOT_OPENED
    infrastructure_penalty = float(problem.needs.penalty_mu[built].sum())
    return ObjectiveValue(
        value=reward - block_penalty - perimeter_penalty - infrastructure_penalty,
        reward=reward,
        block_penalty=block_penalty,
        perimeter_penalty=perimeter_penalty,
        infrastructure_penalty=infrastructure_penalty,
    )


def phase_metrics(problem: SequencingProblem, phase_of: IntArray) -> pd.DataFrame:
    """Return the per-phase metrics of a plan (see :class:`PhasePlan`)."""
    k = problem.phases
    phases = np.arange(1, k + 1)
    opened = phase_of > NOT_OPENED
    area = np.bincount(phase_of[opened], weights=problem.area_mu[opened], minlength=k + 1)[1:]
    count = np.bincount(phase_of[opened], minlength=k + 1)[1:]
    prio = opened & problem.priority_zone
    prio_area = np.bincount(phase_of[prio], weights=problem.area_mu[prio], minlength=k + 1)[1:]
    perimeter = perimeter_by_phase(problem, phase_of)[1:]
    existing_m2 = float(problem.area_m2[problem.developed].sum())
    developed_m2 = existing_m2 + np.cumsum(area) * (10000.0 / 15.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        compactness = np.where(
            perimeter > 0, 4.0 * np.pi * developed_m2 / np.square(perimeter), np.nan
        )
        share = np.where(area > 0, prio_area / area, np.nan)
    out = pd.DataFrame(
        {
            s.PHASE: phases,
            s.AREA_MU: area,
            s.CUMULATIVE_MU: np.cumsum(area),
            s.N_PARCELS: count,
            s.BLOCKS: phase_blocks(problem, phase_of),
            s.PERIMETER_M: perimeter,
            s.COMPACTNESS: compactness,
            s.PRIORITY_SHARE: share,
        }
    )
    labels = block_labels(problem, phase_of)
    largest = np.full(k, np.nan)
    for p in phases:
        members = labels[phase_of == p]
        if members.size:
            _, where = np.unique(members, return_inverse=True)
            sizes = np.bincount(where, weights=problem.area_mu[phase_of == p])
            largest[p - 1] = float(sizes.max() / sizes.sum()) if sizes.sum() > 0 else np.nan
    out[TRACTS] = out[s.BLOCKS]
    out[LARGEST_TRACT_SHARE] = largest
    when = segment_phase(problem, phase_of)
    needs = problem.needs
    for kind in INFRASTRUCTURE_KINDS:
        mask = (needs.kind == str(kind)) & (when > NOT_OPENED)
        out[f"{kind}_m"] = np.bincount(when[mask], weights=needs.length_m[mask], minlength=k + 1)[
            1:
        ]
    built = when > NOT_OPENED
    out[INFRASTRUCTURE_COST_WAN_YUAN] = np.bincount(
        when[built], weights=needs.cost_wan_yuan[built], minlength=k + 1
    )[1:]
    for cap in problem.capacities:
        out[cap.name] = np.bincount(phase_of[opened], weights=cap.demand[opened], minlength=k + 1)[
            1:
        ]
    return out


__all__ = [
    "COMPACTNESS_MEASURE",
    "INFRASTRUCTURE_COST_WAN_YUAN",
    "LARGEST_TRACT_SHARE",
    "TRACTS",
    "TRACT_COMPACTNESS",
    "TRACT_COMPACTNESS_MEASURE",
    "ObjectiveValue",
    "block_labels",
    "evaluate_plan",
    "perimeter_by_phase",
    "phase_blocks",
    "phase_metrics",
    "segment_phase",
]
