"""The tracts of a plan (连片地块): what each phase opens, how compact, what it needs built.

A *tract* is a block of a phase: a connected piece of the adjacency graph (shared boundaries
and ``across_road`` edges) among the parcels opened in that phase
(:func:`zoning.planning.metrics.block_labels`). :func:`tract_table` describes each one: its
parcels and area, its own compactness (the convex-hull ratio of its parcels: their area over
the area of their convex hull, 1 for a convex tract, lower for a ragged or strung-out one),
its kind, the planned roads and utility lines built for it and why it opens in its phase, in
words in both languages.

Kinds: ``infill`` when every parcel fronts serviced infrastructure and at least
:data:`INFILL_SHARE` of the tract's outline is shared with land developed before the phase
(a serviced gap inside the developed core); ``extension`` otherwise.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.i18n import LANGS, N_, Lang, bilingual, translate
from zoning.planning.infrastructure import INFRASTRUCTURE_KINDS, InfrastructureNeeds
from zoning.planning.metrics import block_labels, segment_phase
from zoning.planning.problem import NOT_OPENED, SequencingProblem
from zoning.planning.types import IntArray

#: share of a tract's outline shared with earlier development from which it is infill
INFILL_SHARE: Final = 0.5
#: tract kinds
INFILL: Final = "infill"
EXTENSION: Final = "extension"
#: columns of the tract table
TRACT_ID: Final = "tract_id"
TRACT_KIND: Final = "kind"
SEGMENT_IDS: Final = "segment_ids"
PROJECT_IDS: Final = "project_ids"
PHASE_SHARE: Final = "phase_share"
WHY: Final = "why"
TRACT_COLUMNS: Final = (
    s.PHASE,
    TRACT_ID,
    TRACT_KIND,
    s.PARCEL_IDS,
    s.N_PARCELS,
    s.AREA_MU,
    PHASE_SHARE,
    s.COMPACTNESS,
    *(f"{k}_m" for k in INFRASTRUCTURE_KINDS),
    "infrastructure_cost_wan_yuan",
    SEGMENT_IDS,
    PROJECT_IDS,
    WHY,
)

_KIND_WORDS: Final = {
    INFILL: N_("infill of serviced land inside the developed core"),
    EXTENSION: N_("extension of the developed area"),
}
_WHY: Final = N_(
    "Phase {phase}, tract {tract}: {kind}; {area} mu in {parcels} parcels, zone {zones}; "
    "{anchor}; {infrastructure}; {projects}."
)
_ANCHOR_SERVICED: Final = N_("grows from the serviced core (fronts a built road or utility line)")
_ANCHOR_DEVELOPED: Final = N_("grows from the serviced core (next to land developed before)")
_NO_BUILDING: Final = N_("needs no new road or utility line")
_BUILDING: Final = N_("needs {metres} m of planned lines built ({detail}), {cost} 万元: {traces}")
_EXTENDS: Final = N_("{segment} extends {built} from its built end ({distance} m on)")
_JOINS_NOTHING: Final = N_("{segment} joins no built line of its kind")
_NO_PROJECTS: Final = N_("no project placed")
_PROJECTS: Final = N_("projects placed: {projects}")


def _convex_hull_ratio(geoms: npt.NDArray[np.object_]) -> float:
    area = float(shapely.area(geoms).sum())
    hull = float(shapely.area(shapely.convex_hull(shapely.geometrycollections(list(geoms)))))
    return area / hull if hull > 0 else float("nan")


def _is_infill(problem: SequencingProblem, phase_of: IntArray, nodes: IntArray) -> bool:
    if not problem.serviced[nodes].all():
        return False
    p = int(phase_of[nodes[0]])
    inside = set(nodes.tolist())
    before = problem.developed | ((phase_of > NOT_OPENED) & (phase_of < p))
    shared_before = 0.0
    shared_inside = 0.0
    for i in nodes.tolist():
        c0, c1 = int(problem.contact_indptr[i]), int(problem.contact_indptr[i + 1])
        for j, length in zip(
            problem.contact_indices[c0:c1].tolist(),
            problem.contact_length_m[c0:c1].tolist(),
            strict=True,
        ):
            if j in inside:
                shared_inside += float(length)
            elif before[j]:
                shared_before += float(length)
    outline = float(problem.perimeter_m[nodes].sum()) - shared_inside  # each inner pair twice
    return outline > 0 and shared_before >= INFILL_SHARE * outline


def _metres(name: str, metres: float) -> str:
    return f"{name} {metres:,.0f} m"


def _traces(needs: InfrastructureNeeds, segments: list[int]) -> dict[Lang, str]:
    """Return each segment traced back to the built line it extends, in both languages."""
    parts = []
    for f in segments:
        built = str(needs.extends[f]) if len(needs.extends) else ""
        if built:
            distance = f"{float(needs.from_built_m[f]):,.0f}"
            parts.append(
                bilingual(_EXTENDS, segment=needs.segment_id[f], built=built, distance=distance)
            )
        else:
            parts.append(bilingual(_JOINS_NOTHING, segment=needs.segment_id[f]))
    return {lang: "; ".join(p[lang] for p in parts) for lang in LANGS}


def _words(
    row: dict[str, object],
    anchor: str,
    kinds: dict[str, float],
    zones: str,
    traces: dict[Lang, str],
) -> dict[str, str]:
    metres = sum(kinds.values())
    if metres > 0:
        words = s.LABELS[s.InfrastructureKind]
        infrastructure = {
            lang: translate(_BUILDING, lang).format(
                metres=f"{metres:,.0f}",
                detail=", ".join(
                    _metres(translate(words[k], lang), v) for k, v in kinds.items() if v > 0
                ),
                cost=f"{row['infrastructure_cost_wan_yuan']:,.0f}",
                traces=traces[lang],
            )
            for lang in LANGS
        }
    else:
        infrastructure = bilingual(_NO_BUILDING)
    projects_ = list(row[PROJECT_IDS])  # type: ignore[call-overload]
    projects = (
        bilingual(_PROJECTS, projects=", ".join(str(p) for p in projects_))
        if projects_
        else bilingual(_NO_PROJECTS)
    )
    kind = bilingual(_KIND_WORDS[str(row[TRACT_KIND])])
    anchor_words = bilingual(anchor)
    area = f"{float(row[s.AREA_MU]):,.1f}"  # type: ignore[arg-type]
    return {
        lang: bilingual(
            _WHY,
            phase=row[s.PHASE],
            tract=row[TRACT_ID],
            kind=kind[lang],
            area=area,
            parcels=row[s.N_PARCELS],
            zones=zones,
            anchor=anchor_words[lang],
            infrastructure=infrastructure[lang],
            projects=projects[lang],
        )[lang]
        for lang in LANGS
    }


def tract_table(
    problem: SequencingProblem,
    phase_of: IntArray,
    geoms: npt.NDArray[np.object_],
    project_of: dict[int, str] | None = None,
) -> pd.DataFrame:
    """Return one row per tract of a plan (module docstring for the columns' meaning).

    Parameters
    ----------
    problem
        The planning problem.
    phase_of
        Phase of each node (0 when closed).
    geoms
        The parcels' geometries in node order (metric CRS).
    project_of
        The project placed on each node, if any.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRACT_COLUMNS`, sorted by phase and by area (largest first); the
        tract id is ``P<phase>-T<k>``. ``why`` holds ``{"zh": …, "en": …}``.
    """
    labels = block_labels(problem, phase_of)
    needs = problem.needs
    built_in = segment_phase(problem, phase_of)
    project_of = project_of or {}
    developed_before = problem.developed
    rows: list[dict[str, object]] = []
    for p in range(1, problem.phases + 1):
        here = np.flatnonzero(phase_of == p)
        if here.size == 0:
            continue
        pieces = [here[labels[here] == lab] for lab in np.unique(labels[here])]
        pieces.sort(key=lambda nodes: (-float(problem.area_mu[nodes].sum()), int(nodes[0])))
        phase_area = float(problem.area_mu[here].sum())
        claimed: set[int] = set()
        for k, nodes in enumerate(pieces, start=1):
            segments = [
                int(f)
                for f in needs.segments_of(nodes).tolist()
                if built_in[f] == p and int(f) not in claimed
            ]
            claimed.update(segments)
            by_kind = {
                str(kind): float(
                    sum(needs.length_m[f] for f in segments if needs.kind[f] == str(kind))
                )
                for kind in INFRASTRUCTURE_KINDS
            }
            area = float(problem.area_mu[nodes].sum())
            row: dict[str, object] = {
                s.PHASE: p,
                TRACT_ID: f"P{p}-T{k}",
                TRACT_KIND: INFILL if _is_infill(problem, phase_of, nodes) else EXTENSION,
                s.PARCEL_IDS: [str(problem.ids[i]) for i in nodes],
                s.N_PARCELS: int(nodes.size),
                s.AREA_MU: area,
                PHASE_SHARE: area / phase_area if phase_area > 0 else float("nan"),
                s.COMPACTNESS: _convex_hull_ratio(geoms[nodes]),
                **{f"{kind}_m": v for kind, v in by_kind.items()},
                "infrastructure_cost_wan_yuan": float(
                    sum(needs.cost_wan_yuan[f] for f in segments)
                ),
                SEGMENT_IDS: [str(needs.segment_id[f]) for f in segments],
                PROJECT_IDS: sorted({project_of[i] for i in nodes.tolist() if i in project_of}),
            }
            before = developed_before | ((phase_of > NOT_OPENED) & (phase_of < p))
            touches = any(
                before[j]
                for i in nodes.tolist()
                for j in problem.indices[problem.indptr[i] : problem.indptr[i + 1]].tolist()
            )
            anchor = _ANCHOR_DEVELOPED if touches else _ANCHOR_SERVICED
            zones = ", ".join(sorted({str(problem.zone[i]) for i in nodes.tolist()}))
            row[WHY] = _words(row, anchor, by_kind, zones, _traces(needs, segments))
            rows.append(row)
    return pd.DataFrame(rows, columns=list(TRACT_COLUMNS))


__all__ = [
    "EXTENSION",
    "INFILL",
    "INFILL_SHARE",
    "TRACT_COLUMNS",
    "tract_table",
]
