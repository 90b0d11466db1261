"""Does a project fit a zone, and exactly why not: the fit-check rules.

:func:`check` takes a park and a table of proposed projects and returns one row per
(project, zone) considered, with a verdict and the findings that explain it. Every finding
names its rule, its status (``pass``, ``warn``, ``fail``), the measured and the required value
with their unit, and the source of the threshold. Thresholds come only from the park's
rulebook and layers; a threshold the rulebook does not mark ``binding`` yields a warning,
never a hard failure, and a value the project does not give yields ``warn: not provided``,
never a silent pass.

The rules (identifiers in :class:`zoning.schema.FitRule`):

``industry``
    The industry code against the zone's ``permitted`` / ``conditional`` / ``prohibited``
    code prefixes: the most specific (longest) matching prefix decides; at equal length the
    stricter list wins. Conditional gives ``warn``; prohibited or not listed gives ``fail``.
``land_use_class``
    The nuisance class of the land the industry needs (``100101``/``100102``/``100103``, or
    the logistics classes ``1101xx``) against the zone's ``max_industrial_class``. Class-3
    industry is never admitted in an industry-city integration area: a zone whose permitted
    list admits homes, schools, clinics or care homes. Non-industrial uses pass here and are
    governed by the industry rule.
``intensity.*``
    The control indicators for industrial land (floor-area ratio, building coefficient,
    administration share, green ratio, investment, output and tax per mu), for projects whose
    land use they apply to (``land_use_prefixes``, by default industrial land ``1001``).
``site.*`` (projects with a site polygon)
    ``site.zone``: covered by exactly one zone. Boundary convention: shapely ``covered_by``
    against the zone grown by :data:`~zoning.validation.BOUNDARY_TOLERANCE_M` (0.5 m), so a
    site whose edge runs along the zone boundary is inside; a site crossing it is not.
    ``site.in_park``, ``site.parcels`` (no overlap with developed, committed or protected
    parcels), ``site.constraints`` (no overlap with river setbacks, ecological protection or
    no-build areas) and ``site.area`` (the site holds the area asked for, within 5%).
    Overlaps below :data:`~zoning.validation.OVERLAP_TOLERANCE_M2` are ignored.
``land.vacant`` (projects without a site)
    The zone has at least as much vacant land as the project needs.
``health_distance``
    The health-protection distance (卫生防护距离) of the industry, from the nearest sensitive
    use: parcels of residential, education, medical or welfare land (any status: planned homes
    count) and ``sensitive_area`` constraints. Without a site, the zone's vacant parcels are
    measured instead and the rule passes when at least one lies far enough.
``health_distance.sensitive_use``
    The same distances the other way round: a new sensitive use (an industry whose land use
    is residential, education, medical or welfare land) from the developed and committed
    parcels whose ``industry_code`` has a health-protection distance. The plant with the
    worst outcome is reported (a binding shortfall before an advisory one, then the smallest
    margin). Without a site, as above: the rule passes when at least one vacant parcel of
    the zone lies outside every plant's distance.
``capacity.<name>``
    Wastewater and power demand against what is left of the rulebook's capacity after the
    developed and committed parcels. Each project is checked on its own against that
    remainder; projects of one batch are not added up (the sequencer allocates).
``chain`` (advisory)
    A consumer of the chain product (molten aluminium, 铝液直供) is measured to the nearest
    developed or committed parcel whose occupant's industry produces it: within
    ``chain.max_distance_m`` passes with a note, farther warns.
``zone.requested``
    The zone the applicant asked for: ``pass`` on that zone; ``warn`` when a site lies in
    another zone.

Verdict: any ``fail`` gives ``does_not_fit``; otherwise any ``warn`` (which includes a
conditional industry) gives ``conditional``; otherwise ``fits``. A row that could not be
checked (bad input) has verdict ``error``, zone ``""`` and findings of rule ``input``.

Examples
--------
>>> import shapely, pandas as pd, geopandas as gpd
>>> from zoning.park import build_park
>>> from zoning.rulebook import build_rulebook
>>> rb = build_rulebook({"rulebook": {"park_id": "demo", "name": "Demo", "version": "1"},
...     "industries": [{"code": "3252", "name_zh": "铝压延加工", "name_en": "Aluminium rolling",
...                     "land_use_code": "100102"}]})
>>> zones = gpd.GeoDataFrame({"zone_id": ["a", "b"], "name_zh": ["甲", "乙"],
...     "name_en": ["A", "B"], "permitted": [["32"], []], "conditional": [[], []],
...     "prohibited": [[], ["3"]], "max_industrial_class": ["100102", "100101"],
...     "priority": [1, 2], "development_mode": ["priority_contiguous"] * 2},
...     geometry=[shapely.box(500000, 4000000, 501000, 4001000),
...               shapely.box(501000, 4000000, 502000, 4001000)], crs="EPSG:4543")
>>> parcels = gpd.GeoDataFrame({"parcel_id": ["p1", "p2"], "land_use_code": ["100102"] * 2,
...     "status": ["vacant"] * 2}, geometry=[shapely.box(500000, 4000000, 500500, 4000500),
...     shapely.box(501000, 4000000, 501500, 4000500)], crs="EPSG:4543")
>>> park = build_park({"zones": zones, "parcels": parcels}, rb)
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0], "far": [1.2]})
>>> result = check(park, projects)
>>> result[["zone_id", "verdict", "best"]].values.tolist()
[['a', 'fits', True], ['b', 'does_not_fit', False]]
>>> [f["rule"] for f in result.loc[1, "findings"] if f["status"] == "fail"]
['industry', 'land_use_class']
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Final, NoReturn

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import landuse
from zoning import schema as s
from zoning.park import Park
from zoning.projects import normalize_projects
from zoning.rulebook import Capacity, HealthDistance, Indicator, IndicatorKind, Industry
from zoning.schema import FindingStatus, FitRule, Verdict
from zoning.units import METRIC_CRS
from zoning.validation import BOUNDARY_TOLERANCE_M, OVERLAP_TOLERANCE_M2

#: overlays of at least this many pairs are split across threads
PARALLEL_MIN_PAIRS: Final = 20_000
#: most threads used for an overlay
MAX_THREADS: Final = 8
#: features with more vertices are cut into tiles for the spatial queries
MAX_PIECE_VERTICES: Final = 64
#: side of the tiles, metres
PIECE_SIZE_M: Final = 200.0
#: a site may differ from the area asked for by this share before ``site.area`` warns
SITE_AREA_TOLERANCE: Final = 0.05
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
#: verdicts of the rows the sequencer may place
PLACEABLE: Final = (Verdict.FITS.value, Verdict.CONDITIONAL.value)

# status codes, ordered by severity; the verdict is the maximum over the findings
_NA: Final = -1
_PASS: Final = 0
_WARN: Final = 1
_FAIL: Final = 2
#: status codes of the per-parcel measures in :class:`ParkFacts` (for siting)
STATUS_WARN: Final = _WARN
STATUS_FAIL: Final = _FAIL
#: column of ``ParkFacts.vacant``: the parcel's status against existing nuisance plants
PLANT_STATUS: Final = "plant_status"
_STATUS: Final = (FindingStatus.PASS.value, FindingStatus.WARN.value, FindingStatus.FAIL.value)
_VERDICT_OF_CODE: Final = (
    Verdict.FITS.value,
    Verdict.CONDITIONAL.value,
    Verdict.DOES_NOT_FIT.value,
)

_ZONES_SOURCE: Final = "zones layer: permitted / conditional / prohibited industry lists"
_LAND_USE_SOURCE: Final = "用地用海分类 自然资发〔2023〕234号; zones layer: max_industrial_class"
_SITE_SOURCE: Final = "park layers (zones, parcels, constraints)"


class Finding(dict[str, Any]):
    """One rule's outcome: a read-only dict.

    Its keys are ``rule``, ``status``, ``message``, ``measured``, ``required``, ``unit`` and
    ``source``.
    Identical findings (the industry rule of one code in one zone, a project's indicator
    findings on each of its zone rows) are one object shared by the rows that hold them,
    which keeps a check of 100,000 projects fast; being read-only, sharing is safe. Copy one
    with ``dict(finding)`` to change it.

    Examples
    --------
    >>> f = Finding(rule="chain", status="pass")
    >>> f["status"], isinstance(f, dict)
    ('pass', True)
    >>> f["status"] = "fail"
    Traceback (most recent call last):
    ...
    TypeError: a finding is read-only; copy it with dict(finding) to change it
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a finding is read-only; copy it with dict(finding) to change it")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __reduce__(self) -> tuple[type[Finding], tuple[dict[str, Any]]]:
        """Pickle and copy as a plain mapping (the mutators are disabled)."""
        return (type(self), (dict(self),))


IntArray = npt.NDArray[np.intp]
Codes = npt.NDArray[np.int8]
Objects = npt.NDArray[np.object_]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: the rule, project column and label of each control indicator
INTENSITY_RULES: Final = {
    IndicatorKind.FAR_MIN: (FitRule.FAR, s.FAR, "floor-area ratio (容积率)"),
    IndicatorKind.BUILDING_COEFFICIENT_MIN: (
        FitRule.BUILDING_COEFFICIENT,
        s.BUILDING_COEFFICIENT,
        "building coefficient (建筑系数)",
    ),
    IndicatorKind.ADMIN_SHARE_MAX: (
        FitRule.ADMIN_SHARE,
        s.ADMIN_SHARE,
        "administration and living share (行政办公及生活服务设施用地比重)",
    ),
    IndicatorKind.GREEN_RATIO_MAX: (FitRule.GREEN_RATIO, s.GREEN_RATIO, "green ratio (绿地率)"),
    IndicatorKind.INVESTMENT_PER_MU_MIN: (
        FitRule.INVESTMENT_PER_MU,
        s.INVESTMENT_WAN,
        "investment intensity (投资强度)",
    ),
    IndicatorKind.OUTPUT_PER_MU_MIN: (
        FitRule.OUTPUT_PER_MU,
        s.OUTPUT_WAN,
        "output per mu (亩均产值)",
    ),
    IndicatorKind.TAX_PER_MU_MIN: (FitRule.TAX_PER_MU, s.TAX_WAN, "tax per mu (亩均税收)"),
}
_PER_MU_KINDS: Final = frozenset(
    {
        IndicatorKind.INVESTMENT_PER_MU_MIN,
        IndicatorKind.OUTPUT_PER_MU_MIN,
        IndicatorKind.TAX_PER_MU_MIN,
    }
)
_SHARE_KINDS: Final = frozenset(
    {
        IndicatorKind.BUILDING_COEFFICIENT_MIN,
        IndicatorKind.ADMIN_SHARE_MAX,
        IndicatorKind.GREEN_RATIO_MAX,
    }
)
_CAPACITY_LABELS: Final = {s.WASTEWATER_TPD: "wastewater", s.POWER_MW: "power demand"}
#: constraint kinds a site must stay clear of
BLOCKING_KINDS: Final = (
    s.ConstraintKind.RIVER_SETBACK,
    s.ConstraintKind.ECOLOGICAL_PROTECTION,
    s.ConstraintKind.NO_BUILD,
)
#: parcel statuses a site must not overlap
OCCUPIED_STATUSES: Final = (
    s.ParcelStatus.DEVELOPED,
    s.ParcelStatus.COMMITTED,
    s.ParcelStatus.PROTECTED,
)
#: parcel statuses whose demand uses capacity and whose occupants produce for the chain
IN_USE_STATUSES: Final = (s.ParcelStatus.DEVELOPED, s.ParcelStatus.COMMITTED)


# --------------------------------------------------------------------------- formatting
def _num(value: float, digits: int = 0) -> str:
    """Format a number with thousands separators (``1,234.5``)."""
    return f"{value:,.{digits}f}"


def _round(value: float, digits: int) -> float | None:
    return None if not np.isfinite(value) else round(float(value), digits)


def _finding(
    rule: str,
    code: int,
    message: str,
    measured: object = None,
    required: object = None,
    unit: str | None = None,
    source: str = "",
) -> Finding:
    return Finding(
        {
            s.RULE: str(rule),
            s.STATUS: _STATUS[code],
            s.MESSAGE: message,
            s.MEASURED: measured,
            s.REQUIRED: required,
            s.UNIT: unit,
            s.SOURCE: source,
        }
    )


def _judge(ok: Bools, binding: Bools | bool) -> Codes:
    """PASS where ``ok``; otherwise FAIL when binding, WARN when advisory."""
    return np.where(ok, _PASS, np.where(binding, _FAIL, _WARN)).astype(np.int8)


def _rule_source(source: str, ident: str, confidence: str, binding: bool) -> str:
    return f"{source} [{ident}; {confidence}; {'binding' if binding else 'advisory'}]"


def _overlap_area(a: Objects, b: Objects, *, min_pairs: int = PARALLEL_MIN_PAIRS) -> Floats:
    """Return the area of ``a[i] ∩ b[i]``; large batches run on every core.

    GEOS releases the GIL during the overlay, so chunks run in parallel threads; the result
    does not depend on the number of threads.
    """
    workers = min(os.cpu_count() or 1, MAX_THREADS)
    if len(a) < min_pairs or workers < 2:
        return np.asarray(shapely.area(shapely.intersection(a, b)), dtype=float)
    bounds = np.linspace(0, len(a), workers + 1).astype(int).tolist()

    def chunk(ij: tuple[int, int]) -> Floats:
        i, j = ij
        return np.asarray(shapely.area(shapely.intersection(a[i:j], b[i:j])), dtype=float)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(chunk, pairwise(bounds)))
    return np.concatenate(parts)


# --------------------------------------------------------------------------- industry match
def match_industry(
    code: str,
    *,
    permitted: Sequence[str],
    conditional: Sequence[str],
    prohibited: Sequence[str],
) -> tuple[str, str]:
    """Return how a zone's lists treat an industry code, and the prefix that decided it.

    The most specific (longest) matching prefix wins; at equal length the stricter list
    wins (prohibited over conditional over permitted).

    Returns
    -------
    tuple of str
        (``"permitted"``, ``"conditional"``, ``"prohibited"`` or ``"not listed"``, prefix);
        the prefix is ``""`` when nothing matched.

    Examples
    --------
    >>> match_industry("3252", permitted=["325"], conditional=[], prohibited=["3"])
    ('permitted', '325')
    >>> match_industry("1351", permitted=["13"], conditional=["1351"], prohibited=[])
    ('conditional', '1351')
    >>> match_industry("7010", permitted=["52"], conditional=[], prohibited=[])
    ('not listed', '')
    """
    best = ("not listed", "")
    best_key = (-1, -1)
    for strictness, (category, prefixes) in enumerate(
        ((s.PERMITTED, permitted), (s.CONDITIONAL, conditional), (s.PROHIBITED, prohibited))
    ):
        for prefix in prefixes:
            key = (len(prefix), strictness)
            if code.startswith(prefix) and key > best_key:
                best, best_key = (category, prefix), key
    return best


# --------------------------------------------------------------------------- park facts
@dataclass(frozen=True)
class FeatureSet:
    """Geometries of one kind of park feature, with ids, labels and a spatial index.

    Features with many vertices (a river setback drawn along the valley) are cut into tiles
    of :data:`PIECE_SIZE_M` for the index, so that an overlay with a small site works on a
    few vertices; overlaps and distances are reported per whole feature.
    """

    geoms: Objects
    ids: Objects
    labels: Objects
    pieces: Objects
    owner: IntArray
    tree: shapely.STRtree

    @classmethod
    def build(cls, geoms: Objects, ids: Objects, labels: Objects) -> FeatureSet:
        """Index ``geoms``, tiling those of more than :data:`MAX_PIECE_VERTICES` vertices."""
        pieces: list[shapely.Geometry] = []
        owner: list[int] = []
        for i, geom in enumerate(geoms):
            parts = (
                _tiles(geom) if shapely.get_num_coordinates(geom) > MAX_PIECE_VERTICES else [geom]
            )
            pieces.extend(parts)
            owner.extend([i] * len(parts))
        piece_array = np.array(pieces, dtype=object)
        return cls(
            geoms,
            ids,
            labels,
            piece_array,
            np.array(owner, dtype=np.intp),
            shapely.STRtree(piece_array),
        )

    def __len__(self) -> int:
        return len(self.geoms)

    def nearest(self, geoms: Objects) -> tuple[Floats, IntArray]:
        """Return the distance to, and index of, the nearest feature of each geometry.

        Distances are ``inf`` and indices ``-1`` when the set is empty.
        """
        distance = np.full(len(geoms), np.inf)
        index = np.full(len(geoms), -1, dtype=np.intp)
        if len(self) == 0 or len(geoms) == 0:
            return distance, index
        (src, dst), dist = self.tree.query_nearest(geoms, return_distance=True, all_matches=False)
        distance[src] = dist
        index[src] = self.owner[dst]
        return distance, index

    def overlaps(self, geoms: Objects) -> tuple[Floats, list[list[str]]]:
        """Return the total overlap of each geometry with the set (m²) and what it overlaps.

        Overlaps of :data:`OVERLAP_TOLERANCE_M2` or less (per feature) are ignored.
        """
        total = np.zeros(len(geoms))
        details: list[list[str]] = [[] for _ in range(len(geoms))]
        if len(self) == 0 or len(geoms) == 0:
            return total, details
        src, dst = self.tree.query(geoms, predicate="intersects")
        area = _overlap_area(geoms[src], self.pieces[dst])
        # add up the pieces of one feature
        key = src.astype(np.int64) * len(self.geoms) + self.owner[dst]
        keys, inverse = np.unique(key, return_inverse=True)
        area = np.bincount(inverse, weights=area).astype(float)
        src, dst = keys // len(self.geoms), keys % len(self.geoms)
        keep = area > OVERLAP_TOLERANCE_M2
        src, dst, area = src[keep], dst[keep], area[keep]
        np.add.at(total, src, area)
        for i, j, a in zip(src.tolist(), dst.tolist(), area.tolist(), strict=True):
            details[i].append(f"{self.labels[j]} ({a:,.0f} m²)")
        return total, details


def _tiles(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """Cut a polygon into the polygonal parts of a grid of :data:`PIECE_SIZE_M` squares."""
    minx, miny, maxx, maxy = shapely.bounds(geom)
    xs = np.arange(minx, maxx, PIECE_SIZE_M)
    ys = np.arange(miny, maxy, PIECE_SIZE_M)
    gx, gy = np.meshgrid(xs, ys)
    cells = shapely.box(
        gx.ravel(), gy.ravel(), gx.ravel() + PIECE_SIZE_M, gy.ravel() + PIECE_SIZE_M
    )
    parts = shapely.get_parts(shapely.intersection(geom, cells))
    polygonal = np.isin(shapely.get_type_id(parts), (3, 6)) & (shapely.area(parts) > 0)
    return list(parts[polygonal])


def _features(
    frame: gpd.GeoDataFrame, id_field: str, label: Callable[[pd.DataFrame], pd.Series]
) -> FeatureSet:
    geoms = frame.geometry.to_numpy()
    ids = frame[id_field].astype(str).to_numpy(dtype=object)
    labels = label(frame).astype(str).to_numpy(dtype=object) if len(frame) else ids.copy()
    return FeatureSet.build(geoms, ids, labels)


def _parcel_label(frame: pd.DataFrame) -> pd.Series:
    text = frame[s.PARCEL_ID].astype(str) + " (" + frame[s.STATUS].astype(str) + ")"
    if s.OCCUPANT not in frame.columns:
        return text
    occupant = frame[s.OCCUPANT].astype("string").fillna("").str.strip()
    return text.where(occupant.eq(""), text + " " + occupant)


def _constraint_label(frame: pd.DataFrame) -> pd.Series:
    return frame[s.CONSTRAINT_ID].astype(str) + " " + frame[s.NAME].astype(str)


@dataclass(frozen=True)
class NuisancePlants:
    """Developed and committed parcels whose occupant's industry has a health-protection distance.

    The plants are grouped by the rule that applies to their ``industry_code`` (the most
    specific prefix of the rulebook's ``health_distances``): ``groups[k]`` holds the plants of
    ``rules[k]``.
    """

    rules: tuple[HealthDistance, ...]
    groups: tuple[FeatureSet, ...]

    def __len__(self) -> int:
        return sum(len(g) for g in self.groups)

    def worst(self, geoms: Objects) -> tuple[Codes, Floats, IntArray, IntArray]:
        """Return, per geometry, the outcome against the plant that matters most.

        That is the plant with the worst status (a binding shortfall fails, an advisory one
        warns), then the smallest margin (distance minus the rule's distance): one nearest
        query per rule, vectorised over ``geoms``.

        Returns
        -------
        tuple of numpy.ndarray
            Status code (``_NA`` when there is no plant), distance in metres, index of the
            rule in :attr:`rules` and of the plant in its group (``-1`` when there is none).
        """
        n = len(geoms)
        if len(self) == 0 or n == 0:
            return (
                np.full(n, _NA, dtype=np.int8),
                np.full(n, np.inf),
                np.full(n, -1, dtype=np.intp),
                np.full(n, -1, dtype=np.intp),
            )
        found = [group.nearest(geoms) for group in self.groups]
        dist = np.vstack([d for d, _ in found])
        plant = np.vstack([i for _, i in found])
        required = np.array([r.distance_m for r in self.rules], dtype=float)[:, None]
        binding = np.array([r.binding for r in self.rules], dtype=bool)[:, None]
        status = np.where(plant >= 0, _judge(dist >= required, binding), _NA).astype(np.int8)
        top = status.max(axis=0)
        margin = np.where(status == top, dist - required, np.inf)
        rule = np.argmin(margin, axis=0).astype(np.intp)
        cols = np.arange(n)
        return top.astype(np.int8), dist[rule, cols], rule, plant[rule, cols]


def _nuisance_plants(park: Park) -> NuisancePlants:
    """Group the park's developed and committed nuisance plants by health-distance rule."""
    parcels = park.parcels
    rb = park.rulebook
    if s.INDUSTRY_CODE not in parcels.columns or not rb.health_distances:
        return NuisancePlants((), ())
    codes = parcels[s.INDUSTRY_CODE].astype("string").fillna("").str.strip()
    in_use = parcels[s.STATUS].astype(str).isin(list(IN_USE_STATUSES)).to_numpy(dtype=bool)
    rule_of_code = {
        c: rb.health_distance_for(c) for c in codes[in_use].unique().tolist() if c != ""
    }
    rule_ids = codes.map(lambda c: r.id if (r := rule_of_code.get(c)) else "").to_numpy()
    names = {i.code: i.name_en for i in rb.industries}
    rules: list[HealthDistance] = []
    groups: list[FeatureSet] = []
    for hd in rb.health_distances:
        mask = in_use & (rule_ids == hd.id)
        if not mask.any():
            continue
        frame = parcels[mask]
        plant_codes = codes[mask]
        industry = plant_codes + " " + plant_codes.map(lambda c: names.get(c, "")).str.strip()

        def label(f: pd.DataFrame, industry: pd.Series = industry) -> pd.Series:
            return _parcel_label(f) + ", industry " + industry.str.strip()

        rules.append(hd)
        groups.append(_features(frame, s.PARCEL_ID, label))
    return NuisancePlants(tuple(rules), tuple(groups))


@dataclass(frozen=True)
class ParkFacts:
    """What the fit rules need from a park, computed once per check.

    Build it with :func:`build_park_facts`; pass it to :func:`check` (``facts=``) to check
    several batches against one park without recomputing it.
    """

    park: Park
    zone_ids: Objects
    zone_labels: Objects
    zone_geoms: Objects
    zone_grown: Objects
    zone_tree: shapely.STRtree
    zone_order: IntArray
    zone_max_level: npt.NDArray[np.int64]
    zone_sensitive: tuple[tuple[str, ...], ...]
    park_union: shapely.Geometry
    park_grown: shapely.Geometry
    occupied: FeatureSet
    blocking: FeatureSet
    sensitive: FeatureSet
    producers: FeatureSet
    plants: NuisancePlants
    vacant: gpd.GeoDataFrame
    remaining: dict[str, tuple[Capacity, float, float]]

    @property
    def n_zones(self) -> int:
        """Number of zones."""
        return len(self.zone_ids)


def _sensitive_uses_of_zones(park: Park) -> tuple[tuple[str, ...], ...]:
    """Evidence that a zone is an industry-city integration area, per zone (empty if not).

    A zone is one when its ``permitted`` list admits an industry of the catalogue that needs
    sensitive land (homes, schools, clinics, care homes): the zone is *planned* for living.
    Sensitive parcels that merely lie in a zone do not make it one; the health-protection
    distances deal with them.
    """
    parcels = park.parcels
    sensitive = parcels[parcels[s.LAND_USE_CODE].astype(str).map(landuse.is_sensitive)]
    catalogue = park.rulebook.industries
    out: list[tuple[str, ...]] = []
    for zone_id, permitted in zip(park.zones[s.ZONE_ID], park.zones[s.PERMITTED], strict=True):
        homes = sorted(
            {
                str(p)
                for p in permitted
                for ind in catalogue
                if ind.code.startswith(str(p)) and landuse.is_sensitive(ind.land_use_code)
            }
        )
        if not homes:
            out.append(())
            continue
        evidence = [f"it permits sensitive uses (prefixes {', '.join(homes)})"]
        ids = tuple(sensitive.loc[sensitive[s.ZONE_ID] == zone_id, s.PARCEL_ID].astype(str))
        if ids:
            more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
            evidence.append(f"holds sensitive parcels {', '.join(ids[:3])}{more}")
        out.append(tuple(evidence))
    return tuple(out)


def build_park_facts(park: Park) -> ParkFacts:
    """Precompute what the fit rules need from ``park``: indexes, remainders, distances.

    Examples
    --------
    >>> import zoning
    >>> facts = build_park_facts(zoning.load_park())
    >>> sorted(facts.zone_ids)
    ['almg', 'bonded', 'incubation', 'integration']
    """
    rb = park.rulebook
    zones = park.zones
    parcels = park.parcels
    zone_geoms = zones.geometry.to_numpy()
    zone_grown = shapely.buffer(zone_geoms, BOUNDARY_TOLERANCE_M)
    park_union = shapely.union_all(zone_geoms)
    park_grown = shapely.buffer(park_union, BOUNDARY_TOLERANCE_M)
    shapely.prepare(park_grown)
    shapely.prepare(zone_grown)
    status = parcels[s.STATUS].astype(str)
    land_use = parcels[s.LAND_USE_CODE].astype(str)

    occupied = parcels[status.isin(list(OCCUPIED_STATUSES)).to_numpy()]
    kinds = park.constraints[s.KIND].astype(str)
    blocking = park.constraints[kinds.isin(list(BLOCKING_KINDS)).to_numpy()]
    sens_parcels = parcels[land_use.map(landuse.is_sensitive).to_numpy(dtype=bool)]
    sens_areas = park.constraints[(kinds == s.ConstraintKind.SENSITIVE_AREA).to_numpy()]
    sens_labels = pd.concat(
        [
            sens_parcels[s.PARCEL_ID].astype(str)
            + " ("
            + sens_parcels[s.STATUS].astype(str).replace({"vacant": "vacant, planned"})
            + ") "
            + sens_parcels[s.LAND_USE_CODE].astype(str).map(landuse.label),
            _constraint_label(sens_areas) if len(sens_areas) else pd.Series(dtype=str),
        ]
    )
    sens_geoms = np.concatenate(
        [sens_parcels.geometry.to_numpy(), sens_areas.geometry.to_numpy()]
    ).astype(object)
    sens_ids = np.concatenate(
        [
            sens_parcels[s.PARCEL_ID].astype(str).to_numpy(dtype=object),
            sens_areas[s.CONSTRAINT_ID].astype(str).to_numpy(dtype=object),
        ]
    ).astype(object)
    sensitive = FeatureSet.build(sens_geoms, sens_ids, sens_labels.to_numpy(dtype=object))

    product = rb.chain.product
    producer_codes = [i.code for i in rb.industries if product in i.produces]
    if s.INDUSTRY_CODE in parcels.columns:
        codes = parcels[s.INDUSTRY_CODE].astype("string").fillna("").str.strip()
        is_producer = (codes.isin(producer_codes) & status.isin(list(IN_USE_STATUSES))).to_numpy(
            dtype=bool
        )
    else:
        is_producer = np.zeros(len(parcels), dtype=bool)
    producers = _features(parcels[is_producer], s.PARCEL_ID, _parcel_label)

    vacant = parcels[(status == s.ParcelStatus.VACANT).to_numpy()].copy()
    zone_pos = {z: i for i, z in enumerate(zones[s.ZONE_ID].astype(str))}
    vacant["zone_pos"] = vacant[s.ZONE_ID].astype(str).map(zone_pos).fillna(-1).astype(int)
    vgeoms = vacant.geometry.to_numpy()
    vacant[s.SENSITIVE_DISTANCE_M], vacant["sensitive_index"] = sensitive.nearest(vgeoms)
    vacant[s.CHAIN_DISTANCE_M], vacant["producer_index"] = producers.nearest(vgeoms)
    plants = _nuisance_plants(park)
    (
        vacant[PLANT_STATUS],
        vacant["plant_distance_m"],
        vacant["plant_rule"],
        vacant["plant_index"],
    ) = plants.worst(vgeoms)
    vacant = vacant.reset_index(drop=True)

    in_use = parcels[status.isin(list(IN_USE_STATUSES)).to_numpy()]
    remaining: dict[str, tuple[Capacity, float, float]] = {}
    for key, capacity in rb.capacities.items():
        used = (
            float(pd.to_numeric(in_use[key], errors="coerce").fillna(0).sum())
            if key in in_use
            else 0.0
        )
        remaining[key] = (capacity, used, capacity.value - used)

    max_level = np.array(
        [landuse.nuisance_level(str(c)) or 3 for c in zones[s.MAX_INDUSTRIAL_CLASS]], dtype=np.int64
    )
    return ParkFacts(
        park=park,
        zone_ids=zones[s.ZONE_ID].astype(str).to_numpy(dtype=object),
        zone_labels=(zones[s.ZONE_ID].astype(str) + " " + zones[s.NAME_ZH].astype(str)).to_numpy(
            dtype=object
        ),
        zone_geoms=zone_geoms,
        zone_grown=zone_grown,
        zone_tree=shapely.STRtree(zone_geoms),
        zone_order=np.argsort(zones[s.PRIORITY].to_numpy(), kind="stable").argsort(),
        zone_max_level=max_level,
        zone_sensitive=_sensitive_uses_of_zones(park),
        park_union=park_union,
        park_grown=park_grown,
        occupied=_features(occupied, s.PARCEL_ID, _parcel_label),
        blocking=_features(blocking, s.CONSTRAINT_ID, _constraint_label),
        sensitive=sensitive,
        producers=producers,
        plants=plants,
        vacant=vacant,
        remaining=remaining,
    )


# --------------------------------------------------------------------------- batch layout
@dataclass(frozen=True)
class _Batch:
    """The usable projects and the (project, zone) pairs to evaluate."""

    projects: gpd.GeoDataFrame  # usable rows only, fresh index
    sites: Objects  # site per project (None without)
    has_site: Bools
    code_index: IntArray  # per project: index into codes
    codes: list[str]
    industries: list[Industry]
    pp: IntArray  # per pair: project position
    pz: IntArray  # per pair: zone position
    share: Floats  # per pair: share of the site in the zone (NaN without a site)
    covered: Bools  # per pair: site covered by the zone (within the tolerance)
    zone_distance: Floats  # per pair: distance from the site to the zone (0 if they overlap)
    site_zones: Objects  # per project: text "almg (80%), bonded (20%)"

    @property
    def n_pairs(self) -> int:
        return len(self.pp)


def _layout(facts: ParkFacts, projects: gpd.GeoDataFrame) -> _Batch:
    rb = facts.park.rulebook
    n = len(projects)
    sites = projects.geometry.to_numpy()
    has_site = ~shapely.is_missing(sites)
    code_index, uniques = pd.factorize(projects[s.INDUSTRY_CODE].astype(str))
    codes = [str(c) for c in uniques]
    industries = [rb.industry(c) for c in codes]
    nz = facts.n_zones

    siteless = np.flatnonzero(~has_site)
    pp_a = np.repeat(siteless, nz)
    pz_a = np.tile(np.arange(nz), len(siteless))

    sited = np.flatnonzero(has_site)
    geoms = sites[sited]
    src, dst = facts.zone_tree.query(geoms, predicate="intersects")
    # a site covered by a zone (within the tolerance) is in that zone alone; the overlay
    # (intersection areas) is computed only for the sites that are not
    covered_pair = shapely.covered_by(geoms[src], facts.zone_grown[dst])
    first = np.unique(src[covered_pair], return_index=True)[1]
    in_one = np.zeros(len(sited), dtype=bool)
    in_one[src[covered_pair]] = True
    c_src, c_dst = src[covered_pair][first], dst[covered_pair][first]
    open_pair = ~in_one[src]
    o_src, o_dst = src[open_pair], dst[open_pair]
    inter = _overlap_area(geoms[o_src], facts.zone_geoms[o_dst])
    keep = inter > OVERLAP_TOLERANCE_M2
    site_area = shapely.area(geoms)
    src = np.concatenate([c_src, o_src[keep]])
    dst = np.concatenate([c_dst, o_dst[keep]])
    share_b = np.concatenate([np.ones(len(c_src)), inter[keep] / site_area[o_src[keep]]])
    covered_b = np.concatenate([np.ones(len(c_src), dtype=bool), np.zeros(keep.sum(), bool)])
    lost = np.setdiff1d(np.arange(len(sited)), src)
    dist_b = np.zeros(len(src))
    if len(lost):
        (n_src, n_dst), n_dist = facts.zone_tree.query_nearest(
            geoms[lost], return_distance=True, all_matches=False
        )
        src = np.concatenate([src, lost[n_src]])
        dst = np.concatenate([dst, n_dst])
        share_b = np.concatenate([share_b, np.zeros(len(n_src))])
        covered_b = np.concatenate([covered_b, np.zeros(len(n_src), dtype=bool)])
        dist_b = np.concatenate([dist_b, n_dist])
    site_zones = np.full(n, "", dtype=object)
    # name the zones of the sites that touch more than one (for the site.zone message)
    multi = np.bincount(src, minlength=len(sited))[src] > 1 if len(src) else np.zeros(0, bool)
    if multi.any():
        src_m, dst_m, share_m = src[multi], dst[multi], share_b[multi]
        order = np.lexsort((-share_m, src_m))
        text = pd.Series(
            [
                f"{facts.zone_ids[z]} ({sh:.0%})"
                for z, sh in zip(dst_m[order], share_m[order], strict=True)
            ]
        )
        joined = text.groupby(src_m[order]).agg(", ".join)
        site_zones[sited[joined.index.to_numpy()]] = joined.to_numpy()

    return _Batch(
        projects=projects,
        sites=sites,
        has_site=has_site,
        code_index=code_index.astype(np.intp),
        codes=codes,
        industries=industries,
        pp=np.concatenate([pp_a, sited[src]]).astype(np.intp),
        pz=np.concatenate([pz_a, dst]).astype(np.intp),
        share=np.concatenate([np.full(len(pp_a), np.nan), share_b]),
        covered=np.concatenate([np.zeros(len(pp_a), dtype=bool), covered_b]),
        zone_distance=np.concatenate([np.zeros(len(pp_a)), dist_b]),
        site_zones=site_zones,
    )


# --------------------------------------------------------------------------- rule outcomes
@dataclass(frozen=True)
class _Outcome:
    """One rule over every pair: status code (-1 not applicable) and its finding."""

    status: Codes
    ref: IntArray
    findings: Sequence[Finding | None]


def _per_project(batch: _Batch, status: Codes, findings: Sequence[Finding | None]) -> _Outcome:
    return _Outcome(status[batch.pp], batch.pp, findings)


def _per_zone_code(batch: _Batch, status: Codes, findings: Sequence[Finding | None]) -> _Outcome:
    """Broadcast a table over (zone, code), flattened zone-major, to the pairs."""
    combo = batch.pz * len(batch.codes) + batch.code_index[batch.pp]
    return _Outcome(status[combo], combo, findings)


def _choose(mask: Bools, a: _Outcome, b: _Outcome) -> _Outcome:
    """Take ``a`` where ``mask`` holds, ``b`` elsewhere."""
    offset = len(a.findings)
    return _Outcome(
        np.where(mask, a.status, b.status).astype(np.int8),
        np.where(mask, a.ref, b.ref + offset),
        [*a.findings, *b.findings],
    )


def _industry_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    """``industry`` and ``land_use_class``, evaluated once per (zone, code)."""
    zones = facts.park.zones
    ind_status, ind_findings = [], []
    luc_status, luc_findings = [], []
    for z in range(facts.n_zones):
        row = zones.iloc[z]
        label = facts.zone_labels[z]
        lists = {k: [str(p) for p in row[k]] for k in (s.PERMITTED, s.CONDITIONAL, s.PROHIBITED)}
        zone_level = int(facts.zone_max_level[z])
        zone_class = str(row[s.MAX_INDUSTRIAL_CLASS])
        for code, industry in zip(batch.codes, batch.industries, strict=True):
            category, prefix = match_industry(
                code,
                permitted=lists[s.PERMITTED],
                conditional=lists[s.CONDITIONAL],
                prohibited=lists[s.PROHIBITED],
            )
            what = f"{code} {industry.name_zh} {industry.name_en}"
            if category == s.PERMITTED:
                code_ = _PASS
                msg = (
                    f"{what} is permitted in zone {label} (prefix '{prefix}' of the permitted list)"
                )
            elif category == s.CONDITIONAL:
                code_ = _WARN
                msg = (
                    f"{what} is conditional in zone {label} (prefix '{prefix}' of the conditional "
                    "list): admitted only on conditions set by the park administration"
                )
            elif category == s.PROHIBITED:
                code_ = _FAIL
                msg = (
                    f"{what} is prohibited in zone {label} "
                    f"(prefix '{prefix}' of the prohibited list)"
                )
            else:
                code_ = _FAIL
                msg = (
                    f"{what} is not listed in zone {label}: no prefix of its permitted or "
                    "conditional lists matches"
                )
            ind_status.append(code_)
            ind_findings.append(
                _finding(
                    FitRule.INDUSTRY,
                    code_,
                    msg,
                    category,
                    f"{s.PERMITTED} or {s.CONDITIONAL}",
                    None,
                    f"{_ZONES_SOURCE} (zone {facts.zone_ids[z]}); most specific prefix wins",
                )
            )
            level = landuse.nuisance_level(industry.land_use_code)
            needs = landuse.label(industry.land_use_code)
            source = (
                f"{_LAND_USE_SOURCE}; industry class: {industry.land_use_basis or industry.source}"
            )
            evidence = facts.zone_sensitive[z]
            if level is None:
                code_ = _PASS
                msg = (
                    f"{needs} is not an industrial or logistics class, so no nuisance class "
                    "applies; whether it belongs in the zone is decided by the industry rule"
                )
            elif level == 3 and evidence:
                code_ = _FAIL
                msg = (
                    f"class-3 industry ({needs}) is never admitted in zone {label}, an "
                    f"industry-city integration area ({'; '.join(evidence)})"
                )
            elif level > zone_level:
                code_ = _FAIL
                msg = f"needs {needs}, but zone {label} admits at most {landuse.label(zone_class)}"
            else:
                code_ = _PASS
                msg = f"needs {needs}; zone {label} admits up to {landuse.label(zone_class)}"
            luc_status.append(code_)
            luc_findings.append(
                _finding(
                    FitRule.LAND_USE_CLASS,
                    code_,
                    msg,
                    level if level is not None else industry.land_use_code,
                    zone_level,
                    "nuisance class (1-3)",
                    source,
                )
            )
    return [
        _per_zone_code(batch, np.array(ind_status, dtype=np.int8), ind_findings),
        _per_zone_code(batch, np.array(luc_status, dtype=np.int8), luc_findings),
    ]


def _indicator_table(
    batch: _Batch, kind: IndicatorKind, get: Callable[[IndicatorKind, str], Indicator | None]
) -> list[Indicator | None]:
    out: list[Indicator | None] = []
    for code, industry in zip(batch.codes, batch.industries, strict=True):
        ind = get(kind, code)
        if ind is not None and not industry.land_use_code.startswith(tuple(ind.land_use_prefixes)):
            ind = None
        out.append(ind)
    return out


def _intensity_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    """Control indicators, evaluated per project."""
    rb = facts.park.rulebook
    proj = batch.projects
    land_mu = np.where(
        batch.has_site, proj[s.SITE_AREA_MU].to_numpy(float), proj[s.AREA_MU].to_numpy(float)
    )
    out = []
    for kind, (rule, column, label) in INTENSITY_RULES.items():
        table = _indicator_table(batch, kind, rb.indicator_for)
        if not any(t is not None for t in table):
            continue
        per_code = np.array([t is not None for t in table])
        applies = per_code[batch.code_index]
        given = proj[column].to_numpy(float)
        per_mu = kind in _PER_MU_KINDS
        measured = given / land_mu if per_mu else given
        value = np.array([t.value if t else np.nan for t in table])[batch.code_index]
        binding = np.array([t.binding if t else False for t in table])[batch.code_index]
        provided = ~np.isnan(measured)
        ok = measured >= value if kind.is_minimum else measured <= value
        status = np.where(applies, np.where(provided, _judge(ok, binding), _WARN), _NA).astype(
            np.int8
        )
        share = kind in _SHARE_KINDS
        bound = "minimum" if kind.is_minimum else "maximum"
        side = "below the minimum" if kind.is_minimum else "above the maximum"

        def show(x: float, unit: str, share: bool = share, per_mu: bool = per_mu) -> str:
            if share:
                return f"{x:.0%}"
            return f"{x:,.1f} {unit}" if per_mu else f"{x:.2f}"

        # per industry code: the threshold as text, the source, and the shared finding of
        # the projects that give no value (findings 0 .. len(table)-1)
        threshold = [show(ind.value, ind.unit) if ind else "" for ind in table]
        sources = [
            _rule_source(ind.source, ind.id, ind.confidence, ind.binding) if ind else ""
            for ind in table
        ]
        advisory = [
            "" if ind is None or ind.binding else " (advisory threshold: a warning)"
            for ind in table
        ]
        findings: list[Finding | None] = [
            _finding(
                rule,
                _WARN,
                f"{column} not provided: the {label} {bound} {thr} ({ind.id}) cannot be checked",
                None,
                ind.value,
                ind.unit,
                src,
            )
            if ind
            else None
            for ind, thr, src in zip(table, threshold, sources, strict=True)
        ]
        ref = batch.code_index.copy()
        rows = np.flatnonzero(applies & provided)
        ref[rows] = np.arange(len(findings), len(findings) + len(rows))
        codes = batch.code_index[rows].tolist()
        m_l = measured[rows].tolist()
        if per_mu:
            unit_of = [ind.unit if ind else "" for ind in table]
            heads = [
                f"{label}: {g:,.0f} 万元 on {a:,.1f} mu = {m:,.1f} {unit_of[c]}"
                for g, a, m, c in zip(
                    given[rows].tolist(), land_mu[rows].tolist(), m_l, codes, strict=True
                )
            ]
        elif share:
            heads = [f"{label} {m:.0%}" for m in m_l]
        else:
            heads = [f"{label} {m:.2f}" for m in m_l]
        values = [ind.value if ind else np.nan for ind in table]
        units = [ind.unit if ind else "" for ind in table]
        rule_id = str(rule)
        for head, c, m, m_r, o, st in zip(
            heads,
            codes,
            m_l,
            np.round(measured[rows], 3).tolist(),
            ok[rows].tolist(),
            status[rows].tolist(),
            strict=True,
        ):
            v = values[c]
            if o:
                msg = f"{head} meets the {bound} {threshold[c]}"
            else:
                gap = abs(m - v)
                gap_text = f"{gap * 100:.0f} points" if share else show(gap, units[c])
                rel = f"{gap / v:.0%}" if v else "∞"
                msg = f"{head} is {side} {threshold[c]} by {gap_text} ({rel}){advisory[c]}"
            findings.append(
                Finding(
                    {
                        s.RULE: rule_id,
                        s.STATUS: _STATUS[st],
                        s.MESSAGE: msg,
                        s.MEASURED: m_r,
                        s.REQUIRED: v,
                        s.UNIT: units[c],
                        s.SOURCE: sources[c],
                    }
                )
            )
        out.append(_Outcome(status[batch.pp], ref[batch.pp], findings))
    return out


def _capacity_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    proj = batch.projects
    out = []
    for key, (capacity, used, left) in facts.remaining.items():
        if key not in proj.columns:
            continue
        rule = f"capacity.{key}"
        label = _CAPACITY_LABELS.get(key, key)
        demand = proj[key].to_numpy(float)
        provided = ~np.isnan(demand)
        ok = demand <= left
        status = np.where(provided, _judge(ok, capacity.binding), _WARN).astype(np.int8)
        source = _rule_source(
            capacity.source, f"capacities.{key}", capacity.confidence, capacity.binding
        )
        unit = capacity.unit
        budget = (
            f"the {_num(left, 1)} {unit} left of {_num(capacity.value)} {unit} "
            f"({_num(used, 1)} {unit} taken by developed and committed parcels)"
        )
        left_r = _round(left, 3)
        # one shared finding for every project that gives no value
        missing = _finding(
            rule,
            _WARN,
            f"{key} not provided: the project's {label} cannot be checked against {budget}",
            None,
            left_r,
            unit,
            source,
        )
        findings: list[Finding | None] = [missing]
        ref = np.zeros(len(proj), dtype=np.intp)
        rows = np.flatnonzero(provided)
        ref[rows] = np.arange(1, len(rows) + 1)
        demand_r = np.round(demand[rows], 3).tolist()
        within = f"{unit} fits within {budget}"
        for d, o, st in zip(demand_r, ok[rows].tolist(), status[rows].tolist(), strict=True):
            if o:
                msg = f"{label} {d:,.1f} {within}"
            else:
                msg = f"{label} {d:,.1f} {unit} exceeds {budget} by {d - left:,.1f} {unit}"
            findings.append(
                Finding(
                    {
                        s.RULE: rule,
                        s.STATUS: _STATUS[st],
                        s.MESSAGE: msg,
                        s.MEASURED: d,
                        s.REQUIRED: left_r,
                        s.UNIT: unit,
                        s.SOURCE: source,
                    }
                )
            )
        out.append(_Outcome(status[batch.pp], ref[batch.pp], findings))
    return out


def _site_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    """``site.*`` rules for projects with a site (one spatial query per layer)."""
    proj = batch.projects
    n = len(proj)
    sited = np.flatnonzero(batch.has_site)
    geoms = batch.sites[sited]
    site_m2 = shapely.area(geoms)
    out: list[_Outcome] = []

    # site.zone, per pair
    pair_sited = batch.has_site[batch.pp]
    n_zones_of_site = np.bincount(batch.pp[pair_sited], minlength=n)
    status = np.full(batch.n_pairs, _NA, dtype=np.int8)
    tol = (
        f"covered_by with a {BOUNDARY_TOLERANCE_M} m tolerance: "
        "an edge on the zone boundary is inside"
    )
    # the common case, a site covered by its zone, shares one finding per zone
    ref = batch.pz.copy()
    findings = [
        _finding(
            FitRule.SITE_ZONE,
            _PASS,
            f"the site lies in zone {facts.zone_labels[z]} ({tol})",
            1.0,
            1.0,
            "share of site area",
            _SITE_SOURCE,
        )
        for z in range(facts.n_zones)
    ]
    status[pair_sited & batch.covered] = _PASS
    for k in np.flatnonzero(pair_sited & ~batch.covered).tolist():
        p, z = int(batch.pp[k]), int(batch.pz[k])
        label = facts.zone_labels[z]
        share = float(batch.share[k])
        if share == 0.0:
            msg = (
                f"the site lies outside every zone, {_num(batch.zone_distance[k])} m from zone "
                f"{label}, the nearest; zone rules are evaluated against that zone"
            )
        elif n_zones_of_site[p] > 1:
            msg = (
                f"the site straddles zones {batch.site_zones[p]}: a site must lie in exactly one "
                "zone; move it or split the project"
            )
        else:
            msg = f"only {share:.0%} of the site lies in zone {label}; the rest is outside the park"
        status[k] = _FAIL
        ref[k] = len(findings)
        findings.append(
            _finding(
                FitRule.SITE_ZONE,
                _FAIL,
                msg,
                _round(share, 4),
                1.0,
                "share of site area",
                _SITE_SOURCE,
            )
        )
    out.append(_Outcome(status, ref, findings))

    # site.in_park, per project; a site covered by a zone is in the park
    inside = np.zeros(len(sited), dtype=bool)
    in_zone = np.zeros(n, dtype=bool)
    in_zone[batch.pp[pair_sited & batch.covered]] = True
    inside[in_zone[sited]] = True
    rest = np.flatnonzero(~inside)
    inside[rest] = shapely.covered_by(geoms[rest], facts.park_grown)
    outside_m2 = np.zeros(len(sited))
    if (~inside).any():
        outside_m2[~inside] = shapely.area(shapely.difference(geoms[~inside], facts.park_union))
    inside |= outside_m2 <= OVERLAP_TOLERANCE_M2
    st = np.full(n, _NA, dtype=np.int8)
    st[sited] = np.where(inside, _PASS, _FAIL)
    ref = np.zeros(n, dtype=np.intp)
    fs: list[Finding | None] = [
        _finding(
            FitRule.SITE_IN_PARK,
            _PASS,
            "the site lies inside the park",
            0.0,
            0.0,
            "m²",
            _SITE_SOURCE,
        )
    ]
    for j in np.flatnonzero(~inside).tolist():
        msg = (
            f"{_num(outside_m2[j])} m² of the site ({outside_m2[j] / site_m2[j]:.0%}) lies "
            "outside the park"
        )
        ref[sited[j]] = len(fs)
        fs.append(
            _finding(
                FitRule.SITE_IN_PARK, _FAIL, msg, _round(outside_m2[j], 1), 0.0, "m²", _SITE_SOURCE
            )
        )
    out.append(_Outcome(st[batch.pp], ref[batch.pp], fs))

    # site.area, per project, when an area was also given
    given_mu = proj[s.AREA_MU].to_numpy(float)
    site_mu = proj[s.SITE_AREA_MU].to_numpy(float)
    compare = batch.has_site & ~np.isclose(given_mu, site_mu, rtol=0, atol=1e-9)
    # area_mu equals the site area when it was not given: nothing to compare then
    diff = np.abs(site_mu - given_mu) / given_mu
    st = np.where(compare, np.where(diff <= SITE_AREA_TOLERANCE, _PASS, _WARN), _NA).astype(np.int8)
    fs = [None] * n
    for p in np.flatnonzero(compare).tolist():
        rel = (site_mu[p] - given_mu[p]) / given_mu[p]
        msg = (
            f"the site holds {_num(site_mu[p], 1)} mu for the {_num(given_mu[p], 1)} mu "
            f"asked ({rel:+.0%})"
        )
        if st[p] == _WARN:
            msg += "; per-mu indicators use the site area"
        fs[p] = _finding(
            FitRule.SITE_AREA,
            int(st[p]),
            msg,
            _round(site_mu[p], 2),
            _round(given_mu[p], 2),
            "mu",
            f"project area_mu; tolerance {SITE_AREA_TOLERANCE:.0%}",
        )
    out.append(_per_project(batch, st, fs))

    # site.parcels and site.constraints, per project
    for rule, layer, what, fix in (
        (
            FitRule.SITE_PARCELS,
            facts.occupied,
            "developed, committed or protected parcels",
            "move the site onto vacant land",
        ),
        (
            FitRule.SITE_CONSTRAINTS,
            facts.blocking,
            "river setbacks, ecological protection or no-build areas",
            "move the site clear of them",
        ),
    ):
        total, details = layer.overlaps(geoms)
        st = np.full(n, _NA, dtype=np.int8)
        st[sited] = np.where(total > 0, _FAIL, _PASS)
        ref = np.zeros(n, dtype=np.intp)
        fs = [_finding(rule, _PASS, f"the site overlaps no {what}", 0.0, 0.0, "m²", _SITE_SOURCE)]
        for j in np.flatnonzero(total > 0).tolist():
            msg = f"the site overlaps {'; '.join(details[j])}, {_num(total[j])} m² in all: {fix}"
            ref[sited[j]] = len(fs)
            fs.append(_finding(rule, _FAIL, msg, _round(total[j], 1), 0.0, "m²", _SITE_SOURCE))
        out.append(_Outcome(st[batch.pp], ref[batch.pp], fs))
    return out


def _distance_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    """``health_distance`` and ``chain``: from the site, or from the zone's vacant land."""
    rb = facts.park.rulebook
    n = len(batch.projects)
    sited = np.flatnonzero(batch.has_site)
    geoms = batch.sites[sited]
    vacant = facts.vacant
    v_zone = vacant["zone_pos"].to_numpy()
    v_mu = vacant[s.AREA_MU].to_numpy(float)
    v_ids = vacant[s.PARCEL_ID].astype(str).to_numpy(dtype=object)
    out: list[_Outcome] = []

    # health distance
    rules: list[HealthDistance | None] = [rb.health_distance_for(c) for c in batch.codes]
    if any(r is not None for r in rules):
        has_rule = np.array([r is not None for r in rules])[batch.code_index]
        need = has_rule & batch.has_site
        dist = np.full(n, np.nan)
        idx = np.full(n, -1, dtype=np.intp)
        rows = np.flatnonzero(need[sited])
        dist[sited[rows]], idx[sited[rows]] = facts.sensitive.nearest(geoms[rows])
        st = np.full(n, _NA, dtype=np.int8)
        fs: list[Finding | None] = [None] * n
        for p in np.flatnonzero(need).tolist():
            hd = rules[batch.code_index[p]]
            assert hd is not None
            source = _rule_source(hd.source, hd.id, hd.confidence, hd.binding)
            d = float(dist[p])
            if idx[p] < 0:
                code, msg, measured = (
                    _PASS,
                    "no sensitive use (homes, schools, clinics) in the park data",
                    None,
                )
            else:
                code = int(_judge(np.array(d >= hd.distance_m), hd.binding))
                measured = _round(d, 1)
                near = facts.sensitive.labels[idx[p]]
                if code == _PASS:
                    msg = (
                        f"the nearest sensitive use, {near}, is {_num(d)} m from the site "
                        f"(at least {_num(hd.distance_m)} m required)"
                    )
                else:
                    msg = (
                        f"the nearest sensitive use, {near}, is {_num(d)} m from the site: "
                        f"{_num(hd.distance_m - d)} m short of the {_num(hd.distance_m)} m "
                        f"health-protection distance ({hd.condition or hd.id})"
                    )
            st[p] = code
            fs[p] = _finding(
                FitRule.HEALTH_DISTANCE, code, msg, measured, hd.distance_m, "m", source
            )
        site_part = _per_project(batch, st, fs)

        zst: list[int] = []
        zfs: list[Finding | None] = []
        v_dist = vacant[s.SENSITIVE_DISTANCE_M].to_numpy(float)
        for z in range(facts.n_zones):
            in_zone = v_zone == z
            for hd in rules:
                if hd is None:
                    zst.append(_NA)
                    zfs.append(None)
                    continue
                source = _rule_source(hd.source, hd.id, hd.confidence, hd.binding)
                label = facts.zone_labels[z]
                if len(facts.sensitive) == 0:
                    zst.append(_PASS)
                    zfs.append(
                        _finding(
                            FitRule.HEALTH_DISTANCE,
                            _PASS,
                            "no site given; no sensitive use (homes, schools, clinics) in the "
                            "park data",
                            None,
                            hd.distance_m,
                            "m",
                            source,
                        )
                    )
                    continue
                far = in_zone & (v_dist >= hd.distance_m)
                farthest = float(v_dist[in_zone].max()) if in_zone.any() else np.nan
                if far.any():
                    code = _PASS
                    msg = (
                        f"no site given: {int(far.sum())} of {int(in_zone.sum())} vacant "
                        "parcels of "
                        f"zone {label} ({_num(v_mu[far].sum())} mu) lie at least "
                        f"{_num(hd.distance_m)} m from sensitive uses; the site must be one of them"
                    )
                elif in_zone.any():
                    code = int(_judge(np.array(False), hd.binding))
                    msg = (
                        f"no site given: no vacant parcel of zone {label} lies "
                        f"{_num(hd.distance_m)} m from sensitive uses (the farthest, "
                        f"{v_ids[in_zone][np.argmax(v_dist[in_zone])]}, is {_num(farthest)} m away)"
                    )
                else:
                    code = int(_judge(np.array(False), hd.binding))
                    msg = (
                        f"no site given and zone {label} has no vacant parcel to keep the "
                        "distance on"
                    )
                zst.append(code)
                zfs.append(
                    _finding(
                        FitRule.HEALTH_DISTANCE,
                        code,
                        msg,
                        _round(farthest, 1),
                        hd.distance_m,
                        "m",
                        source,
                    )
                )
        zone_part = _per_zone_code(batch, np.array(zst, dtype=np.int8), zfs)
        out.append(_choose(batch.has_site[batch.pp], site_part, zone_part))

    # chain fit (advisory)
    chain = rb.chain
    consumer = np.array([chain.product in i.consumes for i in batch.industries])
    if consumer.any():
        is_consumer = consumer[batch.code_index]
        limit = chain.max_distance_m
        source = _rule_source(chain.source, "chain.max_distance_m", "park policy", False)
        product = chain.product.replace("_", " ")
        need = is_consumer & batch.has_site
        rows = np.flatnonzero(need[sited])
        dist = np.full(n, np.nan)
        idx = np.full(n, -1, dtype=np.intp)
        dist[sited[rows]], idx[sited[rows]] = facts.producers.nearest(geoms[rows])
        no_producer = (
            f"no developed or committed parcel in the park data is occupied by a producer of "
            f"{product} (parcels' {s.INDUSTRY_CODE} with 'produces' in the rulebook), so direct "
            "supply cannot be assessed"
        )

        def judged(d: float, origin: str, near: str) -> tuple[int, str]:
            if d <= limit:
                return _PASS, (
                    f"note: {origin} is {_num(d)} m from the {product} producer {near}, within "
                    f"{_num(limit)} m: direct supply of molten metal (铝液直供) is possible"
                )
            return _WARN, (
                f"{origin} is {_num(d)} m from the nearest {product} producer {near}, beyond "
                f"{_num(limit)} m: metal would arrive as ingot to be re-melted, against the "
                "park's target of ≥ 95% local conversion of molten aluminium"
            )

        st = np.full(n, _NA, dtype=np.int8)
        fs = [None] * n
        for p in np.flatnonzero(need).tolist():
            if idx[p] < 0:
                code, msg, measured = _WARN, no_producer, None
            else:
                code, msg = judged(float(dist[p]), "the site", str(facts.producers.labels[idx[p]]))
                measured = _round(float(dist[p]), 1)
            st[p] = code
            fs[p] = _finding(FitRule.CHAIN, code, msg, measured, limit, "m", source)
        site_part = _per_project(batch, st, fs)

        v_dist = vacant[s.CHAIN_DISTANCE_M].to_numpy(float)
        v_prod = vacant["producer_index"].to_numpy()
        zst = []
        zfs = []
        for z in range(facts.n_zones):
            in_zone = np.flatnonzero(v_zone == z)
            label = facts.zone_labels[z]
            if len(facts.producers) == 0:
                zone_finding = _finding(
                    FitRule.CHAIN, _WARN, f"no site given; {no_producer}", None, limit, "m", source
                )
            elif len(in_zone) == 0:
                zone_finding = _finding(
                    FitRule.CHAIN,
                    _WARN,
                    f"no site given and zone {label} has no vacant land",
                    None,
                    limit,
                    "m",
                    source,
                )
            else:
                best = in_zone[np.argmin(v_dist[in_zone])]
                code, msg = judged(
                    float(v_dist[best]),
                    f"no site given: the nearest vacant parcel of zone {label}, {v_ids[best]},",
                    str(facts.producers.labels[v_prod[best]]),
                )
                zone_finding = _finding(
                    FitRule.CHAIN, code, msg, _round(float(v_dist[best]), 1), limit, "m", source
                )
            for is_cons in consumer.tolist():
                zst.append(_STATUS.index(zone_finding[s.STATUS]) if is_cons else _NA)
                zfs.append(zone_finding if is_cons else None)
        zone_part = _per_zone_code(batch, np.array(zst, dtype=np.int8), zfs)
        out.append(_choose(batch.has_site[batch.pp], site_part, zone_part))
    return out


def _sensitive_use_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    """``health_distance.sensitive_use``: a new sensitive use from existing nuisance plants.

    Applies to the projects whose industry needs sensitive land (:func:`landuse.is_sensitive`);
    no finding for the others. From the site (one nearest query per health-distance rule), or,
    without a site, from the zone's vacant parcels (precomputed in :func:`build_park_facts`).
    """
    sensitive = np.array([landuse.is_sensitive(i.land_use_code) for i in batch.industries])
    if not sensitive.any():
        return []
    plants = facts.plants
    rule_id = str(FitRule.HEALTH_DISTANCE_SENSITIVE_USE)
    n = len(batch.projects)
    none_here = (
        "no developed or committed parcel in the park data is occupied by an industry with a "
        f"health-protection distance (parcels' {s.INDUSTRY_CODE})"
    )

    def source(k: int) -> str:
        hd = plants.rules[k]
        return _rule_source(hd.source, hd.id, hd.confidence, hd.binding)

    def what(k: int, j: int) -> str:
        return str(plants.groups[k].labels[j])

    # with a site
    need = sensitive[batch.code_index] & batch.has_site
    rows = np.flatnonzero(need)
    st = np.full(n, _NA, dtype=np.int8)
    fs: list[Finding | None] = [None] * n
    if len(plants) == 0:
        st[rows] = _PASS
        shared = _finding(rule_id, _PASS, none_here, None, None, "m", "park layers (parcels)")
        fs = [shared if need[p] else None for p in range(n)]
    else:
        found, dist, rule, plant = plants.worst(batch.sites[rows])
        st[rows] = found
        for p, c, d, k, j in zip(
            rows.tolist(), found.tolist(), dist.tolist(), rule.tolist(), plant.tolist(), strict=True
        ):
            hd = plants.rules[k]
            r = hd.distance_m
            if c == _PASS:
                msg = (
                    f"the site keeps the health-protection distance of every nuisance plant; the "
                    f"smallest margin is to {what(k, j)}, {_num(d)} m away "
                    f"(at least {_num(r)} m required)"
                )
            else:
                msg = (
                    f"the site is {_num(d)} m from {what(k, j)}: {_num(r - d)} m short of the "
                    f"plant's {_num(r)} m health-protection distance ({hd.condition or hd.id}); "
                    "a new sensitive use must keep it as a new plant must"
                )
            fs[p] = _finding(rule_id, c, msg, _round(d, 1), r, "m", source(k))
    site_part = _per_project(batch, st, fs)

    # without a site: the zone's vacant land, one finding per zone
    vacant = facts.vacant
    v_zone = vacant["zone_pos"].to_numpy()
    v_status = vacant[PLANT_STATUS].to_numpy()
    v_dist = vacant["plant_distance_m"].to_numpy(float)
    v_rule = vacant["plant_rule"].to_numpy()
    v_plant = vacant["plant_index"].to_numpy()
    v_mu = vacant[s.AREA_MU].to_numpy(float)
    v_ids = vacant[s.PARCEL_ID].astype(str).to_numpy(dtype=object)
    required = np.array([hd.distance_m for hd in plants.rules], dtype=float)
    zone_findings: list[Finding] = []
    for z in range(facts.n_zones):
        label = facts.zone_labels[z]
        in_zone = np.flatnonzero(v_zone == z)
        if len(plants) == 0:
            zone_findings.append(
                _finding(
                    rule_id, _PASS, f"no site given; {none_here}", None, None, "m", "park layers"
                )
            )
            continue
        if len(in_zone) == 0:
            k = int(np.argmax(required))
            code = _FAIL if any(hd.binding for hd in plants.rules) else _WARN
            msg = (
                f"no site given and zone {label} has no vacant parcel to keep the "
                "health-protection distances of the park's nuisance plants on"
            )
            zone_findings.append(
                _finding(rule_id, code, msg, None, plants.rules[k].distance_m, "m", source(k))
            )
            continue
        # the best vacant parcel: the best status, then the largest margin
        margin = v_dist[in_zone] - required[v_rule[in_zone]]
        best_status = v_status[in_zone].min()
        best = in_zone[np.argmax(np.where(v_status[in_zone] == best_status, margin, -np.inf))]
        k, j, d = int(v_rule[best]), int(v_plant[best]), float(v_dist[best])
        clear = in_zone[v_status[in_zone] == _PASS]
        if len(clear):
            msg = (
                f"no site given: {len(clear)} of {len(in_zone)} vacant parcels of zone {label} "
                f"({_num(v_mu[clear].sum())} mu) lie outside the health-protection distance of "
                "every nuisance plant; the site must be one of them"
            )
        else:
            msg = (
                f"no site given: every vacant parcel of zone {label} lies within the "
                "health-protection distance of a nuisance plant (the best, "
                f"{v_ids[best]}, is {_num(d)} m from {what(k, j)}, "
                f"{_num(plants.rules[k].distance_m)} m required)"
            )
        zone_findings.append(
            _finding(
                rule_id,
                int(best_status),
                msg,
                _round(d, 1),
                plants.rules[k].distance_m,
                "m",
                source(k),
            )
        )
    zst: list[int] = []
    zfs: list[Finding | None] = []
    for z in range(facts.n_zones):
        for is_sensitive in sensitive.tolist():
            zf = zone_findings[z]
            zst.append(_STATUS.index(zf[s.STATUS]) if is_sensitive else _NA)
            zfs.append(zf if is_sensitive else None)
    zone_part = _per_zone_code(batch, np.array(zst, dtype=np.int8), zfs)
    return [_choose(batch.has_site[batch.pp], site_part, zone_part)]


def _zone_rules(facts: ParkFacts, batch: _Batch) -> list[_Outcome]:
    """``land.vacant`` (projects without a site) and ``zone.requested``."""
    proj = batch.projects
    out: list[_Outcome] = []
    vacant = facts.vacant
    zone_mu = np.bincount(
        vacant["zone_pos"].clip(lower=0).to_numpy(),
        weights=vacant[s.AREA_MU].to_numpy(float) * (vacant["zone_pos"].to_numpy() >= 0),
        minlength=facts.n_zones,
    )
    need = proj[s.AREA_MU].to_numpy(float)[batch.pp]
    avail = zone_mu[batch.pz]
    siteless = ~batch.has_site[batch.pp]
    status = np.where(siteless, np.where(avail >= need, _PASS, _FAIL), _NA).astype(np.int8)
    rows = np.flatnonzero(siteless)
    source = "parcels layer: vacant parcels of the zone"
    rule_id = str(FitRule.VACANT_LAND)
    zone_mu_r = np.round(zone_mu, 1).tolist()
    passing = [
        f"no site given: zone {label} has {a:,.0f} mu of vacant land for the "
        for label, a in zip(facts.zone_labels, zone_mu_r, strict=True)
    ]
    findings: list[Finding | None] = [None] * batch.n_pairs
    for k, z, nd, st in zip(
        rows.tolist(),
        batch.pz[rows].tolist(),
        np.round(need[rows], 2).tolist(),
        status[rows].tolist(),
        strict=True,
    ):
        a = zone_mu_r[z]
        if st == _PASS:
            msg = f"{passing[z]}{nd:,.1f} mu needed (see the candidate sites for contiguous land)"
        else:
            msg = (
                f"no site given: zone {facts.zone_labels[z]} has only {a:,.0f} mu of vacant "
                f"land, {nd - a:,.0f} mu short of the {nd:,.1f} mu needed"
            )
        findings[k] = Finding(
            {
                s.RULE: rule_id,
                s.STATUS: _STATUS[st],
                s.MESSAGE: msg,
                s.MEASURED: a,
                s.REQUIRED: nd,
                s.UNIT: "mu",
                s.SOURCE: source,
            }
        )
    out.append(_Outcome(status, np.arange(batch.n_pairs), findings))

    requested = proj[s.REQUESTED_ZONE].to_numpy(dtype=object)[batch.pp]
    zone_of_pair = facts.zone_ids[batch.pz]
    asked = requested != ""
    here = asked & (requested == zone_of_pair)
    elsewhere = asked & ~here & batch.has_site[batch.pp]
    status = np.where(here, _PASS, np.where(elsewhere, _WARN, _NA)).astype(np.int8)
    findings = [None] * batch.n_pairs
    for k in np.flatnonzero(here | elsewhere).tolist():
        if here[k]:
            msg = f"the applicant requested zone {zone_of_pair[k]}"
        else:
            msg = (
                f"the site lies in zone {zone_of_pair[k]}, but the applicant requested "
                f"zone {requested[k]}"
            )
        findings[k] = _finding(
            FitRule.REQUESTED_ZONE,
            int(status[k]),
            msg,
            zone_of_pair[k],
            requested[k],
            None,
            "project requested_zone",
        )
    out.append(_Outcome(status, np.arange(batch.n_pairs), findings))
    return out


# --------------------------------------------------------------------------- assembly
def _assemble(
    outcomes: Sequence[_Outcome], n_pairs: int
) -> tuple[list[list[Finding]], Codes, IntArray]:
    """Return the findings lists, the worst status and the number of warnings, per pair."""
    if not outcomes:
        return (
            [[] for _ in range(n_pairs)],
            np.zeros(n_pairs, dtype=np.int8),
            np.zeros(n_pairs, dtype=np.intp),
        )
    stack = np.vstack([o.status for o in outcomes])
    worst = stack.max(axis=0).clip(min=_PASS).astype(np.int8)
    n_warn = (stack == _WARN).sum(axis=0).astype(np.intp)
    columns = []
    for o in outcomes:
        # index len(findings) is None: the rows where the rule does not apply point there
        table = np.empty(len(o.findings) + 1, dtype=object)
        table[:-1] = o.findings
        columns.append(table[np.where(o.status >= 0, o.ref, len(o.findings))].tolist())
    findings = [list(filter(None, row)) for row in zip(*columns, strict=True)]
    return findings, worst, n_warn


def _best(projects: IntArray, verdict_code: Codes, n_warn: IntArray, requested: Bools) -> Bools:
    """Mark the recommended zone(s) of each project among the rows that fit or are conditional.

    The rows with the best verdict, then the fewest warnings; the requested zone breaks a tie.
    """
    placeable = verdict_code <= _WARN
    score = verdict_code.astype(np.int64) * 1_000_000 + n_warn.astype(np.int64) * 10 + ~requested
    frame = pd.DataFrame(
        {"p": projects, "score": np.where(placeable, score, np.iinfo(np.int64).max)}
    )
    top = (frame["score"] == frame.groupby("p")["score"].transform("min")).to_numpy(dtype=bool)
    return placeable & top


def _error_rows(bad: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    findings = [
        [
            _finding(FitRule.INPUT, _FAIL, reason, None, None, None, "projects table")
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
    park: Park, projects: pd.DataFrame, *, facts: ParkFacts | None = None
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
        Precomputed park facts (:func:`build_park_facts`), to check several batches against
        one park without recomputing them.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4543, columns :data:`RESULT_COLUMNS`: one row per (project, zone) considered
        — every zone for a project without a site, the zone(s) the site touches (or the
        nearest zone when it lies outside the park) for a project with one — and one row with
        ``zone_id == ""`` and verdict ``error`` for a row that could not be checked. Rows
        follow the input order of the projects, then zone priority. ``findings`` is a list of
        dicts with keys ``rule``, ``status``, ``message``, ``measured``, ``required``,
        ``unit``, ``source``; ``best`` marks the recommended zone(s); ``area_mu`` is the land
        the project needs (given, or the site's area); the geometry is the site (``None``
        without one).

    Raises
    ------
    ProjectInputError
        If the table cannot be used as a whole (no rows, missing required columns, empty or
        duplicate ids, sites without a CRS). A bad row is a result, not an error.
    """
    with _no_cyclic_gc():
        return _check(park, projects, facts)


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


def _check(park: Park, projects: pd.DataFrame, facts: ParkFacts | None) -> gpd.GeoDataFrame:
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
        batch = _layout(facts, good)
        outcomes = [
            *_industry_rules(facts, batch),
            *_zone_rules(facts, batch),
            *_site_rules(facts, batch),
            *_distance_rules(facts, batch),
            *_sensitive_use_rules(facts, batch),
            *_intensity_rules(facts, batch),
            *_capacity_rules(facts, batch),
        ]
        findings, worst, n_warn = _assemble(outcomes, batch.n_pairs)
        requested = (
            good[s.REQUESTED_ZONE].to_numpy(dtype=object)[batch.pp] == facts.zone_ids[batch.pz]
        )
        best = _best(batch.pp, worst, n_warn, requested)
        pairs = gpd.GeoDataFrame(
            {
                s.PROJECT_ID: good[s.PROJECT_ID].to_numpy(dtype=object)[batch.pp],
                s.NAME: good[s.NAME].to_numpy(dtype=object)[batch.pp],
                s.INDUSTRY_CODE: good[s.INDUSTRY_CODE].to_numpy(dtype=object)[batch.pp],
                s.ZONE_ID: facts.zone_ids[batch.pz],
                s.VERDICT: np.array(_VERDICT_OF_CODE, dtype=object)[worst],
                s.BEST: best,
                s.AREA_MU: good[s.AREA_MU].to_numpy(float)[batch.pp],
                s.FINDINGS: findings,
            },
            geometry=gpd.GeoSeries(batch.sites[batch.pp], crs=METRIC_CRS),
            crs=METRIC_CRS,
        )
        pairs["_z"] = facts.zone_order[batch.pz]
        parts.append(pairs)
    if (~usable).any():
        errors = _error_rows(table[~usable])
        errors["_z"] = -1
        parts.append(errors)
    result = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    result["_p"] = order_of.loc[result[s.PROJECT_ID]].to_numpy()
    result = result.sort_values(["_p", "_z"], kind="stable").drop(columns=["_p", "_z"])
    result = gpd.GeoDataFrame(result.reset_index(drop=True), geometry=s.GEOMETRY, crs=METRIC_CRS)
    return result[list(RESULT_COLUMNS)]


def rules_with_status(results: pd.DataFrame, status: FindingStatus | str) -> pd.Series:
    """Return, per result row, the rules whose finding has ``status`` (e.g. the failed rules).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"findings": [[{"rule": "industry", "status": "fail"},
    ...                                    {"rule": "chain", "status": "warn"}]]})
    >>> rules_with_status(rows, "fail").tolist()
    [['industry']]
    """
    wanted = str(status)
    return pd.Series(
        [[f[s.RULE] for f in fs if f[s.STATUS] == wanted] for fs in results[s.FINDINGS]],
        index=results.index,
        name=f"{wanted}_rules",
        dtype=object,
    )


def _plain(value: object) -> object:
    """Return ``value`` as a JSON-ready Python object (NaN becomes ``None``)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


#: the keys of one row in the JSON form of a check result
RECORD_KEYS: Final = tuple(c for c in RESULT_COLUMNS if c != s.GEOMETRY)


def to_records(results: pd.DataFrame) -> list[dict[str, Any]]:
    """Convert check results to JSON-ready dicts, one per row (no geometry).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"project_id": ["P1"], "name": [""], "industry_code": ["3831"],
    ...     "zone_id": ["almg"], "verdict": ["fits"], "best": [True],
    ...     "area_mu": [float("nan")], "findings": [[]]})
    >>> to_records(rows)[0]["area_mu"] is None
    True
    """
    keys = [k for k in RECORD_KEYS if k in results.columns]
    columns = [results[k].tolist() for k in keys]
    out: list[dict[str, Any]] = []
    for row in zip(*columns, strict=True):
        record = {k: _plain(v) for k, v in zip(keys, row, strict=True)}
        out.append(record)
    return out


def to_feature_collection(results: gpd.GeoDataFrame) -> dict[str, Any]:
    """Convert check results to a GeoJSON FeatureCollection in WGS84 (RFC 7946).

    The geometry of a feature is the project's site (``null`` without one); its properties
    are the JSON form of the row (:func:`to_records`), findings as an array.
    """
    records = to_records(results)
    if isinstance(results, gpd.GeoDataFrame) and results.crs is not None:
        geoms = results.geometry.to_crs("EPSG:4326").to_numpy()
    else:
        geoms = np.full(len(results), None, dtype=object)
    features = [
        {
            "type": "Feature",
            "properties": record,
            "geometry": None if shapely.is_missing(g) else shapely.geometry.mapping(g),
        }
        for record, g in zip(records, geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
