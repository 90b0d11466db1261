"""``site.*``: the site of a project is where it can be built (projects with a site).

**Checks**, for a project that gives its site polygon (one spatial query per layer for the
whole batch):

- ``site.zone``: the site is covered by exactly one zone. Boundary convention: shapely
  ``covered_by`` against the zone grown by :data:`~zoning.validation.BOUNDARY_TOLERANCE_M`
  (0.5 m), so a site whose edge runs along the zone boundary is inside; a site crossing it
  is not (``within`` would reject the first; the tolerance absorbs GeoJSON's 7-decimal
  rounding). **Fails** when it straddles zones (measured: the share in this zone) or lies
  outside every zone (its rows are then checked against the nearest zone).
- ``site.in_park``: the site lies inside the park. **Fails**; measured: the area outside, m².
- ``site.area``: the site holds the ``area_mu`` asked for, within
  :data:`SITE_AREA_TOLERANCE` (5%); **warns** (per-mu indicators then use the site area).
- ``site.parcels``: no overlap with developed, committed or protected parcels. **Fails**;
  the message names the parcels, statuses and occupants.
- ``site.constraints``: no overlap with river setbacks, ecological protection or no-build
  areas (:data:`zoning.schema.NO_BUILD_CONSTRAINTS`). **Fails**; the message names them.

Overlaps of :data:`~zoning.validation.OVERLAP_TOLERANCE_M2` (1 m²) or less are ignored, so a
site that only touches a developed parcel does not overlap it.

**Why**: a verdict about a zone means nothing for land that is taken, protected or outside
it. **Reads**: the zones, parcels and constraints layers (no rulebook threshold).

Examples
--------
>>> import geopandas as gpd
>>> from zoning.rules import RULES_BY_ID, check
>>> from zoning.rules.examples import box, two_zone_park
>>> sites = gpd.GeoDataFrame({"project_id": ["P1", "P2"], "industry_code": ["7010"] * 2},
...     geometry=[box(1400, 600, 1600, 700), box(900, 0, 1100, 100)], crs="EPSG:4543")
>>> rules = [RULES_BY_ID["site.zone"], RULES_BY_ID["site.parcels"]]
>>> result = check(two_zone_park(), sites, rules=rules)
>>> [(p, z, [f["reason"] for f in fs]) for p, z, fs in
...  zip(result.project_id, result.zone_id, result.findings)]
[('P1', 'b', ['in_zone', 'overlaps']), ('P2', 'a', ['straddles_zones', 'no_overlap']),
 ('P2', 'b', ['straddles_zones', 'no_overlap'])]
>>> result.findings[0][1]["message"]
'the site overlaps h1 (developed) (10,000 m²), 10,000 m² in all: move the site onto vacant land'
>>> result.findings[0][1]["message_zh"]
'场地占用 h1（已建成）（10,000 m²），共 10,000 m²：请将场地调整到空闲用地上'
"""

from __future__ import annotations

from typing import Final

import numpy as np
import shapely

from zoning import schema as s
from zoning._types import fmt_num
from zoning.i18n import N_
from zoning.rules.base import (
    FAIL,
    NA,
    PASS,
    WARN,
    Finding,
    Outcome,
    Reason,
    Rule,
    Template,
    make_finding,
    per_project,
    round_or_none,
)
from zoning.rules.batch import Batch
from zoning.rules.facts import ParkFacts
from zoning.rules.geometry import FeatureSet
from zoning.schema import FitRule
from zoning.validation import BOUNDARY_TOLERANCE_M, OVERLAP_TOLERANCE_M2

#: a site may differ from the area asked for by this share before ``site.area`` warns
SITE_AREA_TOLERANCE: Final = 0.05
SITE_SOURCE: Final = "park layers (zones, parcels, constraints)"

_IN_ZONE: Final = Template(
    N_(
        "the site lies in zone {zone} (covered_by with a {tolerance} m tolerance: an edge on "
        "the zone boundary is inside)"
    )
)
_OUTSIDE_ZONES: Final = Template(
    N_(
        "the site lies outside every zone, {distance} m from zone {zone}, the nearest; zone "
        "rules are evaluated against that zone"
    )
)
_STRADDLES: Final = Template(
    N_(
        "the site straddles zones {zones}: a site must lie in exactly one zone; move it or "
        "split the project"
    )
)
_PARTLY_OUTSIDE: Final = Template(
    N_("only {share:.0%} of the site lies in zone {zone}; the rest is outside the park")
)
_IN_PARK: Final = Template(N_("the site lies inside the park"))
_OUTSIDE_PARK: Final = Template(N_("{area} m² of the site ({share:.0%}) lies outside the park"))
_AREA: Final = Template(N_("the site holds {site} mu for the {given} mu asked ({rel:+.0%})"))
_AREA_DIFFERS: Final = Template(
    N_(
        "the site holds {site} mu for the {given} mu asked ({rel:+.0%}); per-mu indicators "
        "use the site area"
    )
)
_NO_OVERLAP: Final = Template(N_("the site overlaps no {what}"))
_OVERLAPS: Final = Template(N_("the site overlaps {details}, {area} m² in all: {fix}"))
_OCCUPIED: Final = (
    N_("developed, committed or protected parcels"),
    N_("move the site onto vacant land"),
)
_BLOCKING: Final = (
    N_("river setbacks, ecological protection or no-build areas"),
    N_("move the site clear of them"),
)


def site_zone_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``site.zone``, per pair."""
    pair_sited = batch.has_site[batch.pp]
    n_zones_of_site = np.bincount(batch.pp[pair_sited], minlength=len(batch.projects))
    status = np.full(batch.n_pairs, NA, dtype=np.int8)
    # the common case, a site covered by its zone, shares one finding per zone
    ref = batch.pz.copy()
    findings = [
        make_finding(
            FitRule.SITE_ZONE,
            PASS,
            Reason.IN_ZONE,
            _IN_ZONE.both(zone=facts.zone_labels[z], tolerance=BOUNDARY_TOLERANCE_M),
            1.0,
            1.0,
            "share of site area",
            SITE_SOURCE,
        )
        for z in range(facts.n_zones)
    ]
    status[pair_sited & batch.covered] = PASS
    for k in np.flatnonzero(pair_sited & ~batch.covered).tolist():
        p, z = int(batch.pp[k]), int(batch.pz[k])
        zone = facts.zone_labels[z]
        share = float(batch.share[k])
        if share == 0.0:
            reason = Reason.OUTSIDE_EVERY_ZONE
            msg = _OUTSIDE_ZONES.both(distance=fmt_num(batch.zone_distance[k]), zone=zone)
        elif n_zones_of_site[p] > 1:
            reason = Reason.STRADDLES_ZONES
            msg = _STRADDLES.both(zones=batch.site_zones[p])
        else:
            reason = Reason.PARTLY_OUTSIDE_PARK
            msg = _PARTLY_OUTSIDE.both(share=share, zone=zone)
        status[k] = FAIL
        ref[k] = len(findings)
        findings.append(
            make_finding(
                FitRule.SITE_ZONE,
                FAIL,
                reason,
                msg,
                round_or_none(share, 4),
                1.0,
                "share of site area",
                SITE_SOURCE,
            )
        )
    return [Outcome(status, ref, findings)]


def site_in_park_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``site.in_park``, per project; a site covered by a zone is in the park."""
    n = len(batch.projects)
    sited = np.flatnonzero(batch.has_site)
    geoms = batch.sites[sited]
    pair_sited = batch.has_site[batch.pp]
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
    st = np.full(n, NA, dtype=np.int8)
    st[sited] = np.where(inside, PASS, FAIL)
    ref = np.zeros(n, dtype=np.intp)
    fs: list[Finding | None] = [
        make_finding(
            FitRule.SITE_IN_PARK,
            PASS,
            Reason.IN_PARK,
            (_IN_PARK.en, _IN_PARK.zh),
            0.0,
            0.0,
            "m²",
            SITE_SOURCE,
        )
    ]
    site_m2 = shapely.area(geoms)
    for j in np.flatnonzero(~inside).tolist():
        msg = _OUTSIDE_PARK.both(area=fmt_num(outside_m2[j]), share=outside_m2[j] / site_m2[j])
        ref[sited[j]] = len(fs)
        fs.append(
            make_finding(
                FitRule.SITE_IN_PARK,
                FAIL,
                Reason.OUTSIDE_PARK,
                msg,
                round_or_none(outside_m2[j], 1),
                0.0,
                "m²",
                SITE_SOURCE,
            )
        )
    return [Outcome(st[batch.pp], ref[batch.pp], fs)]


def site_area_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``site.area``, per project, when an area was also given."""
    proj = batch.projects
    given_mu = proj[s.AREA_MU].to_numpy(float)
    site_mu = proj[s.SITE_AREA_MU].to_numpy(float)
    # area_mu equals the site area when it was not given: nothing to compare then
    compare = batch.has_site & ~np.isclose(given_mu, site_mu, rtol=0, atol=1e-9)
    diff = np.abs(site_mu - given_mu) / given_mu
    st = np.where(compare, np.where(diff <= SITE_AREA_TOLERANCE, PASS, WARN), NA).astype(np.int8)
    fs: list[Finding | None] = [None] * len(proj)
    for p in np.flatnonzero(compare).tolist():
        warn = st[p] == WARN
        params = {
            "site": fmt_num(site_mu[p], 1),
            "given": fmt_num(given_mu[p], 1),
            "rel": (site_mu[p] - given_mu[p]) / given_mu[p],
        }
        fs[p] = make_finding(
            FitRule.SITE_AREA,
            int(st[p]),
            Reason.AREA_DIFFERS if warn else Reason.AREA_MATCHES,
            (_AREA_DIFFERS if warn else _AREA).both(**params),
            round_or_none(site_mu[p], 2),
            round_or_none(given_mu[p], 2),
            "mu",
            f"project area_mu; tolerance {SITE_AREA_TOLERANCE:.0%}",
        )
    return [per_project(batch, st, fs)]


def _overlap_outcome(
    batch: Batch, rule: FitRule, layer: FeatureSet, words: tuple[str, str]
) -> Outcome:
    """Judge the sites against a layer they must not overlap, per project."""
    n = len(batch.projects)
    sited = np.flatnonzero(batch.has_site)
    total, details, details_zh = layer.overlaps_both(batch.sites[sited])
    what, fix = (Template(w) for w in words)
    st = np.full(n, NA, dtype=np.int8)
    st[sited] = np.where(total > 0, FAIL, PASS)
    ref = np.zeros(n, dtype=np.intp)
    none = (_NO_OVERLAP.en.format(what=what.en), _NO_OVERLAP.zh.format(what=what.zh))
    fs: list[Finding | None] = [
        make_finding(rule, PASS, Reason.NO_OVERLAP, none, 0.0, 0.0, "m²", SITE_SOURCE)
    ]
    for j in np.flatnonzero(total > 0).tolist():
        area = fmt_num(total[j])
        msg = (
            _OVERLAPS.en.format(fix=fix.en, details="; ".join(details[j]), area=area),
            _OVERLAPS.zh.format(fix=fix.zh, details="；".join(details_zh[j]), area=area),
        )
        ref[sited[j]] = len(fs)
        fs.append(
            make_finding(
                rule,
                FAIL,
                Reason.OVERLAPS,
                msg,
                round_or_none(total[j], 1),
                0.0,
                "m²",
                SITE_SOURCE,
            )
        )
    return Outcome(st[batch.pp], ref[batch.pp], fs)


def site_parcels_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``site.parcels``: no overlap with developed, committed or protected parcels."""
    return [_overlap_outcome(batch, FitRule.SITE_PARCELS, facts.occupied, _OCCUPIED)]


def site_constraints_rule(facts: ParkFacts, batch: Batch) -> list[Outcome]:
    """``site.constraints``: no overlap with no-build constraints."""
    return [_overlap_outcome(batch, FitRule.SITE_CONSTRAINTS, facts.blocking, _BLOCKING)]


_LAYERS: Final = ("zones", "parcels", "constraints")

RULES: Final = (
    Rule(FitRule.SITE_ZONE.value, N_("Site in exactly one zone"), _LAYERS[:1], site_zone_rule),
    Rule(FitRule.SITE_IN_PARK.value, N_("Site inside the park"), _LAYERS[:1], site_in_park_rule),
    Rule(FitRule.SITE_AREA.value, N_("Site holds the area asked for"), (), site_area_rule),
    Rule(
        FitRule.SITE_PARCELS.value,
        N_("Site clear of developed, committed and protected parcels"),
        ("parcels.status",),
        site_parcels_rule,
    ),
    Rule(
        FitRule.SITE_CONSTRAINTS.value,
        N_("Site clear of river setbacks, ecological protection and no-build areas"),
        ("constraints.kind",),
        site_constraints_rule,
    ),
)
