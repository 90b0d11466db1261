"""The batch layout: which (project, zone) pairs a check evaluates, and how a site meets them.

A project without a site is paired with every zone. A project with a site is paired with
the zone that covers it (within :data:`~zoning.validation.BOUNDARY_TOLERANCE_M`), else with
every zone its site overlaps by more than :data:`~zoning.validation.OVERLAP_TOLERANCE_M2`,
else (a site outside the park) with the nearest zone. One spatial query for all sites; the
overlay with the zones is computed only for the sites no zone covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning._types import Bools, Floats, IntArray, Objects
from zoning.rulebook import Industry
from zoning.rules.facts import ParkFacts
from zoning.rules.geometry import overlap_area
from zoning.validation import OVERLAP_TOLERANCE_M2


@dataclass(frozen=True)
class Batch:
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
        """Number of (project, zone) pairs."""
        return len(self.pp)


@dataclass(frozen=True)
class _SitePairs:
    """Pairs of the sites (positions among the sited projects) and zones."""

    src: IntArray
    dst: IntArray
    share: Floats
    covered: Bools
    distance: Floats


def _site_pairs(facts: ParkFacts, geoms: Objects) -> _SitePairs:
    """Pair each site with the zone covering it, else the zones it overlaps, else the nearest."""
    src, dst = facts.zone_tree.query(geoms, predicate="intersects")
    # a site covered by a zone (within the tolerance) is in that zone alone; the overlay
    # (intersection areas) is computed only for the sites that are not
    covered_pair = shapely.covered_by(geoms[src], facts.zone_grown[dst])
    first = np.unique(src[covered_pair], return_index=True)[1]
    in_one = np.zeros(len(geoms), dtype=bool)
    in_one[src[covered_pair]] = True
    c_src, c_dst = src[covered_pair][first], dst[covered_pair][first]
    open_pair = ~in_one[src]
    o_src, o_dst = src[open_pair], dst[open_pair]
    inter = overlap_area(geoms[o_src], facts.zone_geoms[o_dst])
    keep = inter > OVERLAP_TOLERANCE_M2
    site_area = shapely.area(geoms)
    src = np.concatenate([c_src, o_src[keep]])
    dst = np.concatenate([c_dst, o_dst[keep]])
    share = np.concatenate([np.ones(len(c_src)), inter[keep] / site_area[o_src[keep]]])
    covered = np.concatenate([np.ones(len(c_src), dtype=bool), np.zeros(keep.sum(), bool)])
    lost = np.setdiff1d(np.arange(len(geoms)), src)
    distance = np.zeros(len(src))
    if len(lost):
        (n_src, n_dst), n_dist = facts.zone_tree.query_nearest(
            geoms[lost], return_distance=True, all_matches=False
        )
        src = np.concatenate([src, lost[n_src]])
        dst = np.concatenate([dst, n_dst])
        share = np.concatenate([share, np.zeros(len(n_src))])
        covered = np.concatenate([covered, np.zeros(len(n_src), dtype=bool)])
        distance = np.concatenate([distance, n_dist])
    return _SitePairs(src, dst, share, covered, distance)


def _site_zones_text(facts: ParkFacts, pairs: _SitePairs, sited: IntArray, n: int) -> Objects:
    """Name the zones of the sites that touch more than one (for the ``site.zone`` message)."""
    site_zones = np.full(n, "", dtype=object)
    src = pairs.src
    multi = np.bincount(src, minlength=len(sited))[src] > 1 if len(src) else np.zeros(0, bool)
    if multi.any():
        src_m, dst_m, share_m = src[multi], pairs.dst[multi], pairs.share[multi]
        order = np.lexsort((-share_m, src_m))
        text = pd.Series(
            [
                f"{facts.zone_ids[z]} ({sh:.0%})"
                for z, sh in zip(dst_m[order], share_m[order], strict=True)
            ]
        )
        joined = text.groupby(src_m[order]).agg(", ".join)
        site_zones[sited[joined.index.to_numpy()]] = joined.to_numpy()
    return site_zones


def layout(facts: ParkFacts, projects: gpd.GeoDataFrame) -> Batch:
    """Lay out the pairs of a batch of normalised, usable projects."""
    rb = facts.park.rulebook
    n = len(projects)
    sites = projects.geometry.to_numpy()
    has_site = ~shapely.is_missing(sites)
    code_index, uniques = pd.factorize(projects[s.INDUSTRY_CODE].astype(str))
    codes = [str(c) for c in uniques]
    nz = facts.n_zones
    siteless = np.flatnonzero(~has_site)
    pp_a = np.repeat(siteless, nz)
    pz_a = np.tile(np.arange(nz), len(siteless))
    sited = np.flatnonzero(has_site)
    pairs = _site_pairs(facts, sites[sited])
    return Batch(
        projects=projects,
        sites=sites,
        has_site=has_site,
        code_index=code_index.astype(np.intp),
        codes=codes,
        industries=[rb.industry(c) for c in codes],
        pp=np.concatenate([pp_a, sited[pairs.src]]).astype(np.intp),
        pz=np.concatenate([pz_a, pairs.dst]).astype(np.intp),
        share=np.concatenate([np.full(len(pp_a), np.nan), pairs.share]),
        covered=np.concatenate([np.zeros(len(pp_a), dtype=bool), pairs.covered]),
        zone_distance=np.concatenate([np.zeros(len(pp_a)), pairs.distance]),
        site_zones=_site_zones_text(facts, pairs, sited, n),
    )
