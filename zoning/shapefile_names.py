"""Shapefile (dBASE) field names: at most 10 characters, unique, deterministic.

:func:`shapefile_field_names` maps full names to short ones: names that fit are kept, the
names in :data:`SHAPEFILE_ABBREVIATIONS` get their documented short form, any other long
name is shortened by a fixed rule (drop inner vowels, then cut), and a clash gets a numeric
suffix. :mod:`zoning.datadict` documents the result for every exported field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from zoning import schema as s

#: longest shapefile (dBASE) field name
SHAPEFILE_MAX_NAME: Final = 10

#: documented short names of the long field names (see :func:`shapefile_field_names`)
SHAPEFILE_ABBREVIATIONS: Final = {
    s.CONDITIONAL: "conditnl",
    s.MAX_INDUSTRIAL_CLASS: "max_ind_cl",
    s.DEVELOPMENT_MODE: "dev_mode",
    s.LAND_USE_CODE: "land_use",
    s.INDUSTRY_CODE: "indus_code",
    s.WASTEWATER_TPD: "wastew_tpd",
    s.CONSTRAINT_ID: "constr_id",
    s.CAPACITY_UNIT: "cap_unit",
    s.FAILED_RULES: "fail_rules",
    s.WARNED_RULES: "warn_rules",
    s.PHASE_REASON: "phase_why",
    s.RULEBOOK_VERSION: "rulebook_v",
    s.GENERATED_AT: "generated",
    s.SOFTWARE_VERSION: "software_v",
    s.ILLUSTRATIVE: "illustrat",
    s.PHASE_QUOTA_MU: "ph_quota",
    # label columns (the Chinese words beside a code) and the ledger
    "max_industrial_class_zh": "max_ind_zh",
    "development_mode_zh": "dev_mode_z",
    "land_use_name_zh": "lu_name_zh",
    "industry_name_zh": "indus_name",
    "phase_reason_zh": "ph_why_zh",
    "holder_name_zh": "holder_nm",
    "land_status": "land_stat",
    "land_status_zh": "land_st_zh",
    "land_reason_zh": "land_wh_zh",
    "land_reason_en": "land_wh_en",
    "land_next_due": "land_next",
    "land_article": "land_art",
    "ledger_as_of": "ledger_day",
    s.CANDIDATE_MU: "cand_mu",
    s.CHAIN_DISTANCE_M: "chain_m",
    s.SENSITIVE_DISTANCE_M: "sensitiv_m",
}


_SHAPEFILE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,9}$")


def _shorten(name: str) -> str:
    """Shorten one name to at most 10 characters by the fixed rule (no clash handling)."""
    clean = re.sub(r"[^a-z0-9_]", "_", name.lower()) or "field"
    if not clean[0].isalpha():
        clean = "f" + clean
    if len(clean) <= SHAPEFILE_MAX_NAME:
        return clean
    words = [w[0] + re.sub(r"[aeiou]", "", w[1:]) for w in clean.split("_") if w]
    joined = "_".join(words)
    if len(joined) > SHAPEFILE_MAX_NAME:
        joined = "".join(words)
    return joined[:SHAPEFILE_MAX_NAME]


def shapefile_field_names(names: Iterable[str]) -> dict[str, str]:
    """Map full field names to unique shapefile (dBASE) names of at most 10 characters.

    The mapping is deterministic and does not depend on the order of ``names``:

    1. a lower-case name of at most 10 letters, digits and underscores is kept;
    2. a name in :data:`SHAPEFILE_ABBREVIATIONS` takes its documented short form;
    3. any other name is lower-cased, other characters become ``_``, inner vowels of each
       word are dropped and the result is cut to 10 characters;
    4. a short name already taken (compared without case, as dBASE readers do) gets the
       suffix ``_1``, ``_2``, ... replacing its last characters.

    Parameters
    ----------
    names
        Full field names, unique.

    Returns
    -------
    dict
        Full name to short name, in the order of ``names``.

    Raises
    ------
    ValueError
        If ``names`` holds a name twice.

    Examples
    --------
    >>> shapefile_field_names(["wastewater_tpd", "power_mw"])
    {'wastewater_tpd': 'wastew_tpd', 'power_mw': 'power_mw'}
    >>> shapefile_field_names(["temperature_max", "temperature_min"])
    {'temperature_max': 'tmprtr_mx', 'temperature_min': 'tmprtr_mn'}
    >>> shapefile_field_names(["observation_a1", "observation_aa1"])
    {'observation_a1': 'obsrvtn_a1', 'observation_aa1': 'obsrvtn_1'}
    """
    ordered = list(names)
    if len(set(ordered)) != len(ordered):
        dupes = sorted({n for n in ordered if ordered.count(n) > 1})
        raise ValueError(f"field names must be unique, got {dupes} more than once")
    taken: set[str] = set()
    short: dict[str, str] = {}
    kept = sorted(n for n in ordered if _SHAPEFILE_NAME_RE.match(n))
    table = sorted(n for n in ordered if n not in kept and n in SHAPEFILE_ABBREVIATIONS)
    rest = sorted(n for n in ordered if n not in kept and n not in SHAPEFILE_ABBREVIATIONS)
    for group, rule in (
        (kept, str),
        (table, SHAPEFILE_ABBREVIATIONS.__getitem__),
        (rest, _shorten),
    ):
        for name in group:
            candidate = rule(name)
            counter = 0
            while candidate.lower() in taken:
                counter += 1
                suffix = f"_{counter}"
                candidate = rule(name)[: SHAPEFILE_MAX_NAME - len(suffix)].rstrip("_") + suffix
            taken.add(candidate.lower())
            short[name] = candidate
    return {name: short[name] for name in ordered}


__all__ = ["SHAPEFILE_ABBREVIATIONS", "SHAPEFILE_MAX_NAME", "shapefile_field_names"]
