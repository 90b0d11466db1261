"""The ledger as data that leaves the program: JSON records and flat tables.

:func:`to_json_dict` gives the JSON document of ``zoning ledger --format json``::

    {"as_of": "2023-12-31",
     "enterprises": [{"enterprise_id", "score", "grade", ...}],
     "land": [{"parcel_id", "status", "reason", "due", ...}],
     "indicators": {"output_per_mu": {"value", "unit", "name", ...}, ...},
     "targets": [{"target_id", "target", "value", "gap", ...}]}

Words (reasons, names, definitions, articles) are ``{"zh": …, "en": …}``. In ``land``,
``status`` is the land-clock status and ``parcel_status`` the parcel's own status.
:func:`to_tables` gives flat tables in one language for CSV and spreadsheets.
"""

from __future__ import annotations

import math
from typing import Any, Final

import pandas as pd

from zoning import schema as s
from zoning.i18n import LANGS, N_, Lang, translate
from zoning.ledger.evaluation import EXEMPTION_LABELS, HELD_MU, INDICATOR_LABELS
from zoning.ledger.land_clock import FINDINGS, STATUS_LABELS
from zoning.ledger.run import LedgerResult
from zoning.ledger.settings import IndicatorId

#: the key of the parcel's own status in a land record (``status`` is the land clock's)
PARCEL_STATUS: Final = "parcel_status"
#: headers of the flat tables, by column (English source strings)
HEADERS: Final = {
    s.ENTERPRISE_ID: N_("enterprise"),
    s.NAME_ZH: N_("name (Chinese)"),
    s.NAME_EN: N_("name (English)"),
    s.INDUSTRY_CODE: N_("industry code"),
    s.PARCEL_IDS: N_("parcels"),
    s.PARCEL_ID: N_("parcel"),
    HELD_MU: N_("area held (mu)"),
    s.SCORE: N_("score"),
    s.GRADE: N_("grade"),
    s.EXEMPTION: N_("exemption"),
    s.PULLED_DOWN_BY: N_("pulled down by"),
    s.LAND_STATUS: N_("land status"),
    s.REASON: N_("reason"),
    s.DUE: N_("due"),
    s.NEXT_DUE: N_("next due"),
    s.ARTICLE: N_("rule"),
    s.INPUT_ERROR: N_("input error"),
    s.ZONE_ID: N_("zone"),
    PARCEL_STATUS: N_("parcel status"),
    s.AREA_MU: N_("area (mu)"),
    s.INDICATOR: N_("indicator"),
    s.VALUE: N_("value"),
    s.UNIT: N_("unit"),
    s.NAME: N_("name"),
    s.DEFINITION: N_("definition"),
    s.SOURCE: N_("source"),
    "reference": N_("national or article reference"),
    "reference_source": N_("reference source"),
    "target_id": N_("target"),
    s.TARGET: N_("target value"),
    "year": N_("year"),
    s.GAP: N_("gap"),
}
_ENTERPRISE_KEYS: Final = (
    s.ENTERPRISE_ID, s.NAME_ZH, s.NAME_EN, s.INDUSTRY_CODE, s.PARCEL_IDS, HELD_MU, s.SCORE,
    s.GRADE, s.EXEMPTION, s.PULLED_DOWN_BY, *(str(i) for i in IndicatorId),
    *s.ENTERPRISE_NUMBER_COLUMNS, *s.ENTERPRISE_DATE_COLUMNS, s.LAND_STATUS, s.REASON, s.DUE,
    s.NEXT_DUE, s.ARTICLE, FINDINGS, s.INPUT_ERROR,
)  # fmt: skip


def _plain(value: Any) -> Any:
    """Make a value JSON-ready: NaN/NaT to None, timestamps to dates, numpy to Python."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def both(message: str) -> dict[Lang, str]:
    """Translate a source string into every language (empty stays empty)."""
    return {lang: translate(message, lang) if message else "" for lang in LANGS}


def _enterprise_record(row: pd.Series) -> dict[str, Any]:
    record = {k: _plain(row.get(k)) for k in _ENTERPRISE_KEYS}
    record[s.ARTICLE] = both(str(row.get(s.ARTICLE) or ""))
    record[s.EXEMPTION] = row.get(s.EXEMPTION) or None
    record[FINDINGS] = [{**f, s.ARTICLE: both(f[s.ARTICLE])} for f in record[FINDINGS] or []]
    if not record[s.INPUT_ERROR]:
        record[s.INPUT_ERROR] = []
    return record


def to_json_dict(result: LedgerResult, *, park_id: str = "", notice: str = "") -> dict[str, Any]:
    """Return the ledger as one JSON-ready mapping (see the module docstring)."""
    enterprises = [_enterprise_record(row) for _, row in result.enterprises.iterrows()]
    land = []
    for parcel_id, row in result.land.iterrows():
        land.append(
            {
                s.PARCEL_ID: parcel_id,
                s.STATUS: row[s.LAND_STATUS],
                s.REASON: row[s.REASON],
                s.DUE: _plain(row[s.DUE]),
                s.NEXT_DUE: _plain(row[s.NEXT_DUE]),
                s.ARTICLE: both(str(row[s.ARTICLE] or "")),
                s.ENTERPRISE_ID: row[s.ENTERPRISE_ID],
                s.GRADE: _plain(row[s.GRADE]),
                s.ZONE_ID: row[s.ZONE_ID],
                PARCEL_STATUS: row[s.STATUS],
                s.AREA_MU: round(float(row[s.AREA_MU]), 2),
                FINDINGS: [{**f, s.ARTICLE: both(f[s.ARTICLE])} for f in _plain(row[FINDINGS])],
            }
        )
    indicators = {
        key: {
            s.VALUE: _plain(round(float(row[s.VALUE]), 4)),
            s.UNIT: row[s.UNIT],
            s.NAME: both(row[s.NAME]),
            s.DEFINITION: both(row[s.DEFINITION]),
            s.SOURCE: row[s.SOURCE],
            "reference": _plain(row["reference"]),
            "reference_source": row["reference_source"],
        }
        for key, row in result.indicators.iterrows()
    }
    targets = [{k: _plain(v) for k, v in row.items()} for _, row in result.targets.iterrows()]
    return {
        "as_of": result.as_of.isoformat(),
        "park_id": park_id,
        "notice": notice,
        "enterprises": enterprises,
        "land": land,
        "indicators": indicators,
        "targets": targets,
    }


def _words(value: Any, lang: Lang) -> str:
    if isinstance(value, dict):
        return str(value.get(lang, ""))
    if isinstance(value, list):
        return "; ".join(_words(v, lang) for v in value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def to_tables(result: LedgerResult, lang: Lang) -> dict[str, pd.DataFrame]:
    """Flat tables in one language: ``enterprises``, ``land``, ``indicators``, ``targets``.

    Lists are joined with ``;``, words are in ``lang``, dates are ISO text; the column names
    stay the data names (the headers a person reads are in :data:`HEADERS`).
    """
    e = result.enterprises
    columns = [c for c in _ENTERPRISE_KEYS if c in e.columns and c != FINDINGS]
    ent = e[columns].copy()
    ent[s.PARCEL_IDS] = ent[s.PARCEL_IDS].map(lambda v: ";".join(v) if isinstance(v, list) else "")
    for column in (s.REASON, s.INPUT_ERROR):
        ent[column] = ent[column].map(lambda v: _words(v, lang))
    ent[s.EXEMPTION] = ent[s.EXEMPTION].map(
        lambda v: translate(EXEMPTION_LABELS[v], lang) if v in EXEMPTION_LABELS else ""
    )
    ent[s.ARTICLE] = ent[s.ARTICLE].map(lambda v: translate(v, lang) if isinstance(v, str) else "")
    for column in s.ENTERPRISE_DATE_COLUMNS:
        ent[column] = ent[column].map(lambda v: "" if pd.isna(v) else pd.Timestamp(v).date())
    land = result.land.drop(columns=[FINDINGS]).rename(columns={s.STATUS: PARCEL_STATUS})
    land[s.REASON] = land[s.REASON].map(lambda v: _words(v, lang))
    land[s.ARTICLE] = land[s.ARTICLE].map(lambda v: translate(v, lang) if v else "")
    land = land.reset_index()
    ind = result.indicators.copy()
    ind[s.NAME] = ind[s.NAME].map(lambda v: translate(v, lang))
    ind[s.DEFINITION] = ind[s.DEFINITION].map(lambda v: translate(v, lang))
    return {
        "enterprises": ent.reset_index(drop=True),
        "land": land,
        "indicators": ind.reset_index(),
        "targets": result.targets.copy(),
    }


def status_label(status: str, lang: Lang) -> str:
    """Return the words of a land status in ``lang``."""
    return translate(STATUS_LABELS.get(s.LandStatus(status), status), lang)


def indicator_label(indicator: str | None, lang: Lang) -> str:
    """Return the words of an enterprise indicator in ``lang`` ('' for None)."""
    if not indicator:
        return ""
    words, _ = INDICATOR_LABELS[IndicatorId(indicator)]
    return translate(words, lang)
