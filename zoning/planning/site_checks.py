"""The placement's land, checked and lined up: site checks at the placed parcels, candidate sites.

Two things tie the project placement (:mod:`zoning.planning.placement`) to the fit check:

**Site checks.** The fit check of a project without a site looks at a zone as a whole; once
the placement picks parcels, the rules that depend on *where* the land is are run again on
those parcels through the public fit-check API (:func:`zoning.rules.check` with the parcels'
union as the site): the no-build constraints (``site.constraints``) and the
health-protection distances both ways, from the placed plant to sensitive uses
(``health_distance``) and from existing nuisance plants to a placed home, school or clinic
(``health_distance.sensitive_use``). A placement on which one of them *fails* (a binding
rule) is not made; the project keeps the rule's own message as the reason, in both
languages. Advisory shortfalls (warnings) do not stop a placement. The check runs only on
a real fit-check result (one with ``industry_code``); a bare table of verdicts has nothing
to check the land against.

**Candidate sites.** :func:`~zoning.planning.siting.propose_sites` ranks the sites a
project could take; the placement tries them best first, so that the candidate sites, the
placement and the phases agree: a project lands on its best candidate, or on another one,
or on land grown from development, and then the plan says why the better ones were not
taken (held zone, taken by an earlier project, not reachable, a rule fails, no tract room,
quota, capacity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from zoning import schema as s
from zoning.i18n import LANGS, N_, Lang, translate
from zoning.park import Park
from zoning.planning.siting import propose_sites
from zoning.rules import RULES_BY_ID, ParkFacts, Rule, build_park_facts, check
from zoning.units import METRIC_CRS

#: the rules run again at the placed parcels: where the land is decides them
SITE_RULE_IDS: Final = ("site.constraints", "health_distance", "health_distance.sensitive_use")
#: candidate sites tried per project, best first
CANDIDATES_TRIED: Final = 3
#: the project fields a site check reads from the fit-check result
_INPUT_FIELDS: Final = (s.PROJECT_ID, s.NAME, s.INDUSTRY_CODE, s.AREA_MU)

_FAILS: Final = N_("a binding rule fails at parcels {parcels}: {messages}")


@dataclass(frozen=True)
class Candidate:
    """One candidate site of a project: its rank (1 is best), zone and parcels (nodes)."""

    rank: int
    zone_id: str
    nodes: tuple[int, ...]


@dataclass
class SiteChecks:
    """Runs the site rules on the parcels a placement would take (results are cached).

    Attributes
    ----------
    park, facts
        The park and its precomputed facts.
    inputs
        Per project id, the fields the rules read (id, name, industry code, area).
    geoms, ids
        Geometry and parcel id of each node (EPSG:4543).
    rules
        The rules run (:data:`SITE_RULE_IDS`).
    """

    park: Park
    facts: ParkFacts
    inputs: dict[str, dict[str, object]]
    geoms: npt.NDArray[np.object_]
    ids: npt.NDArray[np.str_] | npt.NDArray[np.object_]
    rules: tuple[Rule, ...] = tuple(RULES_BY_ID[r] for r in SITE_RULE_IDS)
    _seen: dict[tuple[str, tuple[int, ...]], dict[Lang, str] | None] = field(default_factory=dict)

    def failure(self, project_id: str, nodes: Sequence[int]) -> dict[Lang, str] | None:
        """Return why a binding rule fails with the project on ``nodes``, or ``None``.

        Parameters
        ----------
        project_id
            The project (one of :attr:`inputs`; another gets ``None``).
        nodes
            The parcels (node positions) that would be the project's site.

        Returns
        -------
        dict or None
            ``{"zh": …, "en": …}``: the parcels and the failing rules' messages.
        """
        key = (project_id, tuple(sorted(int(i) for i in nodes)))
        if key in self._seen:
            return self._seen[key]
        row = self.inputs.get(project_id)
        words = None
        if row is not None and key[1]:
            site = shapely.union_all(self.geoms[list(key[1])])
            frame = gpd.GeoDataFrame([row], geometry=[site], crs=METRIC_CRS)
            result = check(self.park, frame, facts=self.facts, rules=self.rules)
            failed = [
                f for findings in result[s.FINDINGS] for f in findings if f["status"] == "fail"
            ]
            if failed:
                words = _failure_words([str(self.ids[i]) for i in key[1]], failed)
        self._seen[key] = words
        return words


def _failure_words(parcel_ids: list[str], failed: list[dict[str, object]]) -> dict[Lang, str]:
    field_of: dict[Lang, str] = {"en": "message", "zh": "message_zh"}
    messages = {
        lang: "; ".join(dict.fromkeys(str(f[field_of[lang]]) for f in failed)) for lang in LANGS
    }
    return {
        lang: translate(_FAILS, lang).format(parcels=", ".join(parcel_ids), messages=messages[lang])
        for lang in LANGS
    }


def _inputs(results: pd.DataFrame) -> dict[str, dict[str, object]]:
    fields = [f for f in _INPUT_FIELDS if f in results]
    first = results.drop_duplicates(s.PROJECT_ID)
    return {
        str(pid): {f: row[f] for f in fields}
        for pid, (_, row) in zip(first[s.PROJECT_ID], first[fields].iterrows(), strict=True)
    }


def build_site_checks(
    park: Park,
    results: pd.DataFrame,
    ids: npt.NDArray[np.str_] | npt.NDArray[np.object_],
    geoms: npt.NDArray[np.object_],
) -> tuple[SiteChecks | None, dict[str, list[Candidate]]]:
    """Prepare the site checks and the candidate sites of a fit-check result.

    Parameters
    ----------
    park
        The park.
    results
        The fit-check result the placement reads (:func:`zoning.check`).
    ids, geoms
        Parcel id and geometry of each node of the planning problem (EPSG:4543).

    Returns
    -------
    tuple
        The site checks (``None`` when ``results`` is not a fit-check result with
        ``industry_code``: nothing to check against) and, per project without a site, its
        candidate sites best first.
    """
    if s.INDUSTRY_CODE not in results or not isinstance(results, gpd.GeoDataFrame):
        return None, {}
    facts = build_park_facts(park)
    checks = SiteChecks(park=park, facts=facts, inputs=_inputs(results), geoms=geoms, ids=ids)
    node_of = {str(pid): i for i, pid in enumerate(ids.tolist())}
    sites = propose_sites(park, results, facts=facts, max_candidates=CANDIDATES_TRIED)
    candidates: dict[str, list[Candidate]] = {}
    for row in sites.itertuples(index=False):
        nodes = tuple(sorted(node_of[str(p)] for p in getattr(row, s.PARCEL_IDS)))
        candidates.setdefault(str(getattr(row, s.PROJECT_ID)), []).append(
            Candidate(int(getattr(row, s.RANK)), str(getattr(row, s.ZONE_ID)), nodes)
        )
    return checks, candidates


__all__ = [
    "CANDIDATES_TRIED",
    "SITE_RULE_IDS",
    "Candidate",
    "SiteChecks",
    "build_site_checks",
]
