"""Project-aware planning: each project that fits a zone gets a contiguous block, in order.

Given the fit-check result of a project pipeline (``projects``: one row per project and zone
with a ``verdict``), each project whose verdict is ``fits`` or ``conditional`` in some zone
gets a contiguous block of vacant parcels of at least its ``area_mu`` in such a zone, phase
by phase in pipeline order, under the rules of the plan (no leap-frogging, quota,
capacities, zones held); the plan then says which project opens which land when, and lists
the projects that could not be placed with the reason
(:class:`~zoning.schema.UnplacedReason`). A project with a site takes the parcels under its
site (with the least land connecting them to development); one without grows the smallest
block of at least its area from land anchored in the phase.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.i18n import LANGS, N_, Lang, bilingual
from zoning.planning.heuristic import PhaseState, anchored_candidates, fill_phase
from zoning.planning.problem import FIT_TOLERANCE, NOT_OPENED, SequencingProblem
from zoning.planning.site_checks import Candidate, SiteChecks
from zoning.planning.types import IntArray
from zoning.units import METRIC_CRS

#: most anchored parcels tried as the start of one project's block
PROJECT_START_LIMIT: Final = 200
#: a parcel is under a project's site when this share of the smaller of the two overlaps
SITE_OVERLAP_SHARE: Final = 0.05
#: internal column of the project table holding the site geometry (or None)
SITE: Final = "_site"
#: verdicts of the fit check under which a project may be placed in a zone
PLACEABLE_VERDICTS: Final = s.PLACEABLE_VERDICTS  # one home: zoning.schema

#: reasons a project keeps when later no land is found for it
_KEPT_REASONS: Final = (s.UnplacedReason.QUOTA_EXHAUSTED, s.UnplacedReason.SITE_FAILS_A_RULE)
_OWN_SITE: Final = N_("on its own site")
_BEST_CANDIDATE: Final = N_("on its best candidate site (rank 1)")
_OTHER_CANDIDATE: Final = N_("on candidate site rank {rank}, the best one free ({better})")
_GROWN: Final = N_("on land grown from development in zone {zone}")
_GROWN_NOT_CANDIDATE: Final = N_(
    "on land grown from development in zone {zone}, no candidate site being free: {better}"
)
_NOT_TAKEN: Final = N_("rank {rank} not taken ({reason})")


#: a project left unplaced: its id, the reason code, and the failing rules' words if any
Unplaced = tuple[str, str, dict[Lang, str] | None]


@dataclass
class Placement:
    """One project placed: its zone, phase, block (node positions) and area."""

    project_id: str
    zone_id: str
    phase: int
    nodes: list[int]
    area_mu: float
    site_rank: int | None = None
    why: dict[Lang, str] | None = None


def project_table(projects: pd.DataFrame) -> pd.DataFrame:
    """Return the fit-check result as the table the placement reads (a row per project, zone).

    Raises
    ------
    InputError
        If the frame lacks a column of the fit check's result.
    """
    missing = [c for c in (s.PROJECT_ID, s.ZONE_ID, s.VERDICT, s.AREA_MU) if c not in projects]
    if missing:
        raise InputError(
            "cannot place projects",
            [
                Problem(
                    "projects",
                    f"the fit-check result lacks column(s) {', '.join(missing)}",
                    expected="the result of zoning.check(park, projects): one row per "
                    "project and zone with project_id, zone_id, verdict, area_mu",
                    fix="pass the output of zoning.check, not the raw projects table",
                )
            ],
        )
    table = pd.DataFrame(
        {
            s.PROJECT_ID: projects[s.PROJECT_ID].astype(str).to_numpy(),
            s.ZONE_ID: projects[s.ZONE_ID].astype("string").fillna("").astype(str).to_numpy(),
            s.VERDICT: projects[s.VERDICT].astype(str).to_numpy(),
            s.AREA_MU: pd.to_numeric(projects[s.AREA_MU], errors="coerce").to_numpy(dtype=float),
            s.BEST: (
                projects[s.BEST].fillna(False).astype(bool).to_numpy()
                if s.BEST in projects
                else np.zeros(len(projects), dtype=bool)
            ),
        }
    )
    for name in (s.WASTEWATER_TPD, s.POWER_MW):
        if name in projects:
            table[name] = pd.to_numeric(projects[name], errors="coerce").to_numpy(dtype=float)
    sites = np.full(len(projects), None, dtype=object)
    if isinstance(projects, gpd.GeoDataFrame) and projects.geometry.name in projects:
        geoms = projects.geometry
        if geoms.crs is not None and not geoms.crs.equals(METRIC_CRS):
            geoms = geoms.to_crs(METRIC_CRS)
        values = geoms.to_numpy()
        present = ~(shapely.is_missing(values) | shapely.is_empty(values))
        sites[present] = values[present]
    table[SITE] = sites
    return table


def _grow_block(
    state: PhaseState,
    starts: list[int],
    allowed: set[int],
    need_mu: float,
) -> list[int] | None:
    """Find a small contiguous block of ``allowed`` parcels of at least ``need_mu``.

    Greedy from each start: add the neighbour that completes the need with the least
    spare land, else the one sharing the longest boundary with the block.
    """
    best: tuple[int, float, int, int] | None = None
    best_block: list[int] | None = None
    area = state.area
    for start in starts[:PROJECT_START_LIMIT]:
        block = [start]
        members = {start}
        total = area[start]
        contact: dict[int, float] = {}
        while total < need_mu * (1 - FIT_TOLERANCE):
            last = block[-1]
            for e in range(state.c_indptr[last], state.c_indptr[last + 1]):
                j = state.c_indices[e]
                if j in allowed and j not in members and j in contact:
                    contact[j] += state.c_length[e]
            for j in state.indices[state.indptr[last] : state.indptr[last + 1]]:
                if j in allowed and j not in members and j not in contact:
                    contact[j] = sum(
                        state.c_length[e]
                        for e in range(state.c_indptr[j], state.c_indptr[j + 1])
                        if state.c_indices[e] in members
                    )
            if not contact:
                break
            remaining = need_mu - total
            completing = [j for j in contact if area[j] >= remaining]
            if completing:
                nxt = min(completing, key=lambda j: (area[j], j))
            else:
                nxt = max(contact, key=lambda j: (contact[j], area[j], -j))
            del contact[nxt]
            block.append(nxt)
            members.add(nxt)
            total += area[nxt]
        if total < need_mu * (1 - FIT_TOLERANCE):
            continue
        # inside a tract the phase opens already, if it can be: one extension of services
        joins = any(
            j in state.block_parent
            for i in block
            for j in state.indices[state.indptr[i] : state.indptr[i + 1]]
        )
        key = (int(not joins), total - need_mu, len(block), start)
        if best is None or key < best:
            best, best_block = key, sorted(block)
    return best_block


def _site_nodes(
    site: shapely.Geometry, geoms: npt.NDArray[np.object_], tree: shapely.STRtree
) -> list[int]:
    """Return the nodes of the parcels a project's site lies on."""
    hits = tree.query(site, predicate="intersects")
    if hits.size == 0:
        return []
    overlap = shapely.area(shapely.intersection(geoms[hits], site))
    floor = SITE_OVERLAP_SHARE * np.minimum(shapely.area(geoms[hits]), shapely.area(site))
    return sorted(int(i) for i in hits[overlap >= floor])


def _pieces(state: PhaseState, nodes: list[int]) -> list[list[int]]:
    """Split ``nodes`` into their connected pieces in the adjacency graph."""
    members = set(nodes)
    seen: set[int] = set()
    pieces = []
    for start in nodes:
        if start in seen:
            continue
        piece, stack = [], [start]
        seen.add(start)
        while stack:
            i = stack.pop()
            piece.append(i)
            for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
                if j in members and j not in seen:
                    seen.add(j)
                    stack.append(j)
        pieces.append(sorted(piece))
    return pieces


def _connect(state: PhaseState, nodes: list[int], phase: int) -> list[int] | None:
    """Find the least land that connects every piece of ``nodes`` to development.

    Returns the extra parcels to open with ``nodes`` (empty when every piece is anchored
    already), or ``None`` when a piece cannot be reached. Pieces are connected one after
    the other by the path of vacant parcels open in ``phase`` with the least area
    (Dijkstra from the piece to the nearest anchored parcel).
    """
    extra: list[int] = []
    taken = set(nodes)
    for piece in _pieces(state, nodes):
        if any(state.anchored(i) or i in state.block_parent for i in piece):
            continue
        linked = set(extra)
        if any(
            j in linked for i in piece for j in state.indices[state.indptr[i] : state.indptr[i + 1]]
        ):
            continue  # joined through the path found for an earlier piece
        dist = dict.fromkeys(piece, 0.0)
        back: dict[int, int] = {}
        heap = [(0.0, i) for i in piece]
        heapq.heapify(heap)
        found = -1
        while heap:
            d, i = heapq.heappop(heap)
            if d > dist.get(i, math.inf):
                continue
            if i not in taken and (state.anchored(i) or i in state.block_parent):
                found = i
                break
            for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
                if j in taken or state.phase_of[j] != NOT_OPENED:
                    continue
                if not (state.eligible[j] and state.open_phase[j] <= phase):
                    continue
                nd = d + state.area[j]
                if nd < dist.get(j, math.inf) - 1e-12:
                    dist[j] = nd
                    back[j] = i
                    heapq.heappush(heap, (nd, j))
        if found < 0:
            return None
        node = found
        while node not in piece:
            extra.append(node)
            taken.add(node)
            node = back[node]
    return sorted(extra)


def _reach(state: PhaseState, targets: set[int], phase: int) -> tuple[int | None, list[int]]:
    """Find the parcel of ``targets`` reached from development with the least other land.

    Returns that parcel and the parcels to open on the way (Dijkstra over the vacant
    parcels open in ``phase``, starting from the anchored ones), or ``(None, [])``.
    """
    dist: dict[int, float] = {}
    back: dict[int, int] = {}
    heap: list[tuple[float, int]] = []
    for i in range(state.problem.n):
        if (
            state.eligible[i]
            and state.open_phase[i] <= phase
            and state.phase_of[i] == NOT_OPENED
            and i not in targets
            and state.anchored(i)
        ):
            dist[i] = state.area[i]
            heap.append((state.area[i], i))
    heapq.heapify(heap)
    while heap:
        d, i = heapq.heappop(heap)
        if d > dist.get(i, math.inf):
            continue
        for j in state.indices[state.indptr[i] : state.indptr[i + 1]]:
            if j in targets:
                path = [i]
                while path[-1] in back:
                    path.append(back[path[-1]])
                return j, sorted(path)
            if state.phase_of[j] != NOT_OPENED or not (
                state.eligible[j] and state.open_phase[j] <= phase
            ):
                continue
            nd = d + state.area[j]
            if nd < dist.get(j, math.inf) - 1e-12:
                dist[j] = nd
                back[j] = i
                heapq.heappush(heap, (nd, j))
    return None, []


@dataclass
class _Project:
    project_id: str
    need_mu: float
    zones: list[str]
    demand: list[float | None]
    site: shapely.Geometry | None


def _projects_in_order(
    problem: SequencingProblem, table: pd.DataFrame
) -> tuple[list[_Project], dict[str, str], list[str]]:
    """Return the placeable projects in pipeline order, with their zones best first."""
    order = list(dict.fromkeys(table[s.PROJECT_ID]))
    verdict_rank = {str(v): i for i, v in enumerate(PLACEABLE_VERDICTS)}
    zone_tier = {z: int(t) for z, t in zip(problem.zone, problem.tier, strict=True)}
    projects: list[_Project] = []
    unplaced: dict[str, str] = {}
    for pid, rows in table.groupby(s.PROJECT_ID, sort=False):
        ok = rows[rows[s.VERDICT].isin(verdict_rank)]
        areas = rows[s.AREA_MU].dropna()
        if ok.empty:
            unplaced[str(pid)] = s.UnplacedReason.NO_FITTING_ZONE
            continue
        if areas.empty or float(areas.iloc[0]) <= 0:
            unplaced[str(pid)] = s.UnplacedReason.NO_AREA
            continue
        ranked = sorted(
            ok.itertuples(index=False),
            key=lambda r: (
                not getattr(r, s.BEST),
                verdict_rank[getattr(r, s.VERDICT)],
                zone_tier.get(getattr(r, s.ZONE_ID), 1 << 30),
                getattr(r, s.ZONE_ID),
            ),
        )
        demand = [
            float(rows[c.name].dropna().iloc[0])
            if c.name in rows and not rows[c.name].dropna().empty
            else None
            for c in problem.capacities
        ]
        sites = [g for g in rows[SITE] if g is not None]
        projects.append(
            _Project(
                project_id=str(pid),
                need_mu=float(areas.iloc[0]),
                zones=list(dict.fromkeys(str(getattr(r, s.ZONE_ID)) for r in ranked)),
                demand=demand,
                site=sites[0] if sites else None,
            )
        )
    rank = {pid: i for i, pid in enumerate(order)}
    projects.sort(key=lambda p: rank[p.project_id])
    return projects, unplaced, order


@dataclass
class _Context:
    """What the placement of every project reads: the problem, the geometry, the zones."""

    problem: SequencingProblem
    state: PhaseState
    geoms: npt.NDArray[np.object_]
    tree: shapely.STRtree
    zone_nodes: dict[str, list[int]]
    zone_open: dict[str, int]
    blocked_by: dict[str, str]
    checks: SiteChecks | None = None
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    failures: dict[str, dict[Lang, str]] = field(default_factory=dict)
    notes: dict[str, list[dict[Lang, str]]] = field(default_factory=dict)


def _site_block(
    ctx: _Context, pid: str, site: shapely.Geometry, zone_id: str, phase: int
) -> tuple[list[int], list[int]] | None:
    """Return the parcels to open (under the site and connecting it) and the site's, or ``None``.

    The site was checked by the fit check itself: no site check runs again here.
    """
    problem, state = ctx.problem, ctx.state
    block = _site_nodes(site, ctx.geoms, ctx.tree)
    usable = bool(block) and all(
        problem.eligible[i] and str(problem.zone[i]) == zone_id and state.phase_of[i] == NOT_OPENED
        for i in block
    )
    if not usable:
        ctx.blocked_by[pid] = s.UnplacedReason.SITE_UNAVAILABLE
        return None
    connection = _connect(state, block, phase)
    if connection is None:
        ctx.blocked_by[pid] = s.UnplacedReason.NO_CONTIGUOUS_LAND
        return None
    return sorted(block + connection), block


def _grown_block(
    ctx: _Context, project: _Project, zone_id: str, phase: int
) -> tuple[list[int], list[int]] | None:
    """Return the land to open and the project's site in it, or ``None``.

    The site is the smallest block of the zone's land of at least the project's area; the
    land to open adds the parcels reaching it from development, if any. The site rules run
    on the site (:func:`_site_passes`).
    """
    state = ctx.state
    pid = project.project_id
    allowed = {i for i in ctx.zone_nodes.get(zone_id, []) if state.phase_of[i] == NOT_OPENED}
    starts = sorted(i for i in allowed if state.anchored(i))
    link: list[int] = []
    if not starts and allowed:
        # the zone does not touch development yet: reach it with the least land
        start, link = _reach(state, allowed, phase)
        starts = [] if start is None else [start]
    grown = _grow_block(state, starts, allowed, project.need_mu)
    if grown is None:
        # a reason said before stays: the quota, or a rule failing on the land it could take
        if ctx.blocked_by.get(pid) not in _KEPT_REASONS:
            ctx.blocked_by[pid] = s.UnplacedReason.NO_CONTIGUOUS_LAND
        return None
    if not _site_passes(ctx, pid, grown):
        return None
    return sorted(grown + link), grown


def _new_blocks(state: PhaseState, block: list[int]) -> int:
    """How many blocks opening ``block`` adds to the phase (0 when it joins one, or less)."""
    members = set(block)
    roots = {
        state.find(j)
        for i in block
        for j in state.indices[state.indptr[i] : state.indptr[i + 1]]
        if j in state.block_parent and j not in members
    }
    return 1 - len(roots)


def _site_passes(ctx: _Context, pid: str, nodes: list[int]) -> bool:
    """Run the site rules on ``nodes`` as the project's site; record a failure's words."""
    failure = None if ctx.checks is None else ctx.checks.failure(pid, nodes)
    if failure is None:
        return True
    ctx.blocked_by[pid] = s.UnplacedReason.SITE_FAILS_A_RULE
    ctx.failures[pid] = failure
    return False


def _reason_words(ctx: _Context, pid: str) -> dict[Lang, str]:
    """Return the last reason the project could not take land, in both languages."""
    reason = ctx.blocked_by.get(pid, s.UnplacedReason.NO_CONTIGUOUS_LAND)
    if reason == s.UnplacedReason.SITE_FAILS_A_RULE and pid in ctx.failures:
        return ctx.failures[pid]
    return bilingual(s.LABELS[s.UnplacedReason][s.UnplacedReason(reason)])


def _try_candidate(
    ctx: _Context, project: _Project, candidate: Candidate, phase: int, slack_mu: float
) -> Placement | None:
    """Open one candidate site (and the land connecting it) for ``project``, if it can."""
    problem, state = ctx.problem, ctx.state
    pid = project.project_id
    if ctx.zone_open.get(candidate.zone_id, problem.phases + 1) > phase:
        ctx.blocked_by[pid] = s.UnplacedReason.ZONE_HELD
        return None
    nodes = list(candidate.nodes)
    if not all(problem.eligible[i] and state.phase_of[i] == NOT_OPENED for i in nodes):
        ctx.blocked_by[pid] = s.UnplacedReason.SITE_UNAVAILABLE
        return None
    connection = _connect(state, nodes, phase)
    if connection is None:
        ctx.blocked_by[pid] = s.UnplacedReason.NO_CONTIGUOUS_LAND
        return None
    if not _site_passes(ctx, pid, nodes):
        return None
    return _commit(ctx, project, candidate.zone_id, phase, slack_mu, (nodes + connection, nodes))


def _take_candidate(
    ctx: _Context, project: _Project, phase: int, slack_mu: float
) -> Placement | None:
    """Place ``project`` on its candidate sites, best first; note why better ones were not."""
    pid = project.project_id
    notes: list[dict[Lang, str]] = []
    ctx.notes[pid] = notes
    for candidate in ctx.candidates.get(pid, []):
        placement = _try_candidate(ctx, project, candidate, phase, slack_mu)
        if placement is not None:
            placement.site_rank = candidate.rank
            placement.why = (
                _with_notes(_OTHER_CANDIDATE, notes, rank=candidate.rank)
                if notes
                else bilingual(_BEST_CANDIDATE)
            )
            return placement
        reason = _reason_words(ctx, pid)
        notes.append(
            {
                lang: bilingual(_NOT_TAKEN, rank=candidate.rank, reason=reason[lang])[lang]
                for lang in LANGS
            }
        )
    return None


def _with_notes(message: str, notes: list[dict[Lang, str]], **params: object) -> dict[Lang, str]:
    """``message`` in both languages, with the notes of each language as ``{better}``."""
    return {
        lang: bilingual(message, better="; ".join(n[lang] for n in notes), **params)[lang]
        for lang in LANGS
    }


def _take_block(
    ctx: _Context, project: _Project, zone_id: str, phase: int, slack_mu: float
) -> Placement | None:
    """Open a block for ``project`` in ``zone_id`` if one fits the quota and capacities."""
    pid = project.project_id
    if project.site is not None:
        found = _site_block(ctx, pid, project.site, zone_id, phase)
    else:
        found = _grown_block(ctx, project, zone_id, phase)
    if found is None:
        return None
    placement = _commit(ctx, project, zone_id, phase, slack_mu, found)
    if placement is not None:
        notes = ctx.notes.get(pid)
        if project.site is not None:
            placement.why = bilingual(_OWN_SITE)
        elif notes:
            placement.why = _with_notes(_GROWN_NOT_CANDIDATE, notes, zone=zone_id)
        else:
            placement.why = bilingual(_GROWN, zone=zone_id)
    return placement


def _commit(
    ctx: _Context,
    project: _Project,
    zone_id: str,
    phase: int,
    slack_mu: float,
    land: tuple[list[int], list[int]],
) -> Placement | None:
    """Open the land ``(block, site)`` if the tract limit, quota and capacities allow.

    ``block`` is all the land opened, ``site`` the project's part of it; the rest connects
    the site to development and opens as reserve land.
    """
    problem, state = ctx.problem, ctx.state
    pid = project.project_id
    block, site = land
    if _new_blocks(state, block) + state.blocks() > problem.max_tracts:
        ctx.blocked_by[pid] = s.UnplacedReason.NO_TRACT_ROOM
        return None
    block_mu = float(sum(state.area[i] for i in block))
    if not problem.fits(block_mu, slack_mu):
        ctx.blocked_by[pid] = s.UnplacedReason.QUOTA_EXHAUSTED
        return None
    estimated = [float(sum(d[i] for i in site)) for d in state.demand]
    connecting = [
        float(sum(d[i] for i in block)) - e for d, e in zip(state.demand, estimated, strict=True)
    ]
    extra = [
        (estimated[r] if d is None else d) + connecting[r] for r, d in enumerate(project.demand)
    ]
    if any(
        state.used[r] + extra[r] > float(cap.available[phase - 1]) * (1 + FIT_TOLERANCE) + 1e-9
        for r, cap in enumerate(problem.capacities)
    ):
        ctx.blocked_by[pid] = s.UnplacedReason.CAPACITY_EXHAUSTED
        return None
    for i in block:
        state.open(i, phase)
    for r in range(len(extra)):
        # the project's own demand replaces its parcels' estimated demand
        state.used[r] += extra[r] - estimated[r] - connecting[r]
    return Placement(pid, zone_id, phase, sorted(site), float(sum(state.area[i] for i in site)))


def _place_in_phase(
    ctx: _Context, pending: list[_Project], phase: int
) -> tuple[list[Placement], float]:
    """Place the pending projects that find land in ``phase``, in pipeline order.

    Returns the placements and the quota they leave.
    """
    problem = ctx.problem
    ctx.state.block_parent = {}
    slack = problem.quota_mu
    placements: list[Placement] = []
    for project in pending:
        placement = _take_candidate(ctx, project, phase, slack)
        for zone_id in project.zones:
            if placement is not None:
                break
            if ctx.zone_open.get(zone_id, problem.phases + 1) > phase:
                ctx.blocked_by.setdefault(project.project_id, s.UnplacedReason.ZONE_HELD)
                continue
            placement = _take_block(ctx, project, zone_id, phase, slack)
        if placement is not None:
            # the quota pays for all the land opened, the site and the land connecting it
            slack = problem.quota_mu - sum(ctx.state.area[i] for i in ctx.state.block_parent)
            placements.append(placement)
    return placements, slack


def place_projects(
    problem: SequencingProblem,
    table: pd.DataFrame,
    geoms: npt.NDArray[np.object_],
    *,
    reserve: bool = True,
    checks: SiteChecks | None = None,
    candidates: dict[str, list[Candidate]] | None = None,
) -> tuple[IntArray, list[Placement], list[Unplaced]]:
    """Give each placeable project a contiguous block, phase by phase, in pipeline order.

    Within a phase, projects go first (inside a tract the phase opens already when they
    can), within the phase's tract limit; with ``reserve`` the rest of the quota is then
    filled with reserve land (储备用地) by the heuristic's tracts, so that one plan holds
    both the land supply and the placement.

    Parameters
    ----------
    problem
        The planning problem.
    table
        The projects (:func:`project_table`).
    geoms
        The parcels' geometries in node order (EPSG:4543).
    reserve
        Fill the rest of each phase's quota with reserve land.
    checks
        The site rules run at the parcels a placement would take
        (:func:`zoning.planning.site_checks.build_site_checks`); none when not given.
    candidates
        Per project without a site, its candidate sites best first: the placement tries
        them before growing land, and each placement says why it is where it is.

    Returns
    -------
    tuple
        The phase of each node, the placements, and ``(project_id, reason, why)`` of each
        project left unplaced, in pipeline order (``why``: the failing rules' messages in
        both languages when a binding rule fails on the land, else ``None``).
    """
    projects, unplaced, order = _projects_in_order(problem, table)
    zone_nodes: dict[str, list[int]] = {}
    for i in np.flatnonzero(problem.eligible).tolist():
        zone_nodes.setdefault(str(problem.zone[i]), []).append(i)
    ctx = _Context(
        problem=problem,
        state=PhaseState(problem),
        geoms=geoms,
        tree=shapely.STRtree(geoms),
        zone_nodes=zone_nodes,
        zone_open={z: int(o) for z, o in zip(problem.zone, problem.open_phase, strict=True)},
        blocked_by={},
        checks=checks,
        candidates=candidates or {},
    )
    placements: list[Placement] = []
    pending = projects
    worst_tier = int(problem.tier[problem.eligible].max()) if problem.eligible.any() else 0
    for phase in range(1, problem.phases + 1):
        start = anchored_candidates(ctx.state, phase)
        placed, slack = _place_in_phase(ctx, pending, phase)
        if reserve:
            # reserve land fills the rest of the quota, in the phase's tracts first
            fill_phase(ctx.state, phase, worst_tier, slack=slack, start=start)
        placements += placed
        done = {p.project_id for p in placed}
        pending = [p for p in pending if p.project_id not in done]
    for project in pending:
        unplaced[project.project_id] = ctx.blocked_by.get(
            project.project_id, s.UnplacedReason.NO_CONTIGUOUS_LAND
        )
    unplaced_list = [
        (
            pid,
            str(unplaced[pid]),
            ctx.failures.get(pid) if unplaced[pid] == s.UnplacedReason.SITE_FAILS_A_RULE else None,
        )
        for pid in order
        if pid in unplaced
    ]
    return np.asarray(ctx.state.phase_of, dtype=np.int64), placements, unplaced_list


__all__ = [
    "PLACEABLE_VERDICTS",
    "PROJECT_START_LIMIT",
    "SITE",
    "SITE_OVERLAP_SHARE",
    "Placement",
    "Unplaced",
    "place_projects",
    "project_table",
]
