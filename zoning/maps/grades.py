"""The per-mu grade layer (a detail layer, off at start): each parcel in its holder's grade.

Each parcel held by an enterprise of the yearly ledger (:func:`zoning.ledger.evaluate`) is
filled in the grade of its holder (亩均效益等级, A best) on one sequential scale of teals;
enterprises that are evaluated but not graded (utilities, start-ups) are a warm grey, land
not producing yet (not evaluated) a white fill with a dashed outline. The popup gives the
enterprise, its score, the indicator that pulls it down and the parcel's area.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Final

import folium
import geopandas as gpd
import pandas as pd

from zoning import schema as s
from zoning.i18n import _, get_lang, translate
from zoning.ledger.evaluation import EXEMPTION_LABELS, NOT_PRODUCING
from zoning.ledger.records import indicator_label
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, POPUP, TIP, Display, add_geojson
from zoning.maps.style import (
    GRADE_COLOURS,
    GRADE_EXEMPT_COLOUR,
    GRADE_OUTLINE,
    GRADE_UNGRADED_COLOUR,
    LAYER_GRADES,
)
from zoning.maps.text import esc, mu, num, popup_html
from zoning.park import Park

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult

#: style keys of the parcels whose holder is exempt (scored, not graded) or not evaluated
EXEMPT: Final = "exempt"
UNGRADED: Final = "ungraded"


def ledger_parcels(park: Park, ledger: LedgerResult) -> gpd.GeoDataFrame:
    """Return the parcels of the ledger's land table with their geometry and holder.

    The land table (one row per held parcel, indexed by parcel id) is joined to the park's
    parcel geometry and to its holder's name, score, exemption and weakest indicator.
    Parcels the park does not have are left out.
    """
    land = ledger.land
    parcels = park.parcels.set_index(s.PARCEL_ID)
    ids = [p for p in land.index if p in parcels.index]
    holders = ledger.enterprises.reindex(land.loc[ids, s.ENTERPRISE_ID].to_numpy())
    frame = land.loc[ids].copy()
    for column in (s.NAME_ZH, s.NAME_EN, s.SCORE, s.EXEMPTION, s.PULLED_DOWN_BY):
        frame[column] = holders[column].to_numpy() if column in holders.columns else None
    return gpd.GeoDataFrame(
        frame, geometry=parcels.loc[ids].geometry.to_numpy(), crs=park.parcels.crs
    )


def holder_name(row: pd.Series) -> str:
    """Return the escaped "id name" of a parcel's holder, its name in the current language."""
    first, second = (s.NAME_ZH, s.NAME_EN) if get_lang() == "zh" else (s.NAME_EN, s.NAME_ZH)
    name = row.get(first) or row.get(second) or ""
    return esc(f"{row[s.ENTERPRISE_ID]} {name}".strip())


def grade_key(grade: object, exemption: object) -> str:
    """Return the style key of a parcel: its holder's grade, ``exempt`` or ``ungraded``.

    Examples
    --------
    >>> grade_key("A", ""), grade_key("B", "utility"), grade_key(None, "not_producing")
    ('A', 'exempt', 'ungraded')
    """
    if isinstance(exemption, str) and exemption and exemption != NOT_PRODUCING:
        return EXEMPT
    if isinstance(grade, str) and grade in GRADE_COLOURS and not exemption:
        return grade
    return UNGRADED


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    key = feature["properties"][KEY]
    if key == UNGRADED:
        return {
            "color": "#6b6b6b",
            "weight": 1.2,
            "dashArray": "4 3",
            "fillColor": GRADE_UNGRADED_COLOUR,
            "fillOpacity": 0.5,
        }
    fill = GRADE_EXEMPT_COLOUR if key == EXEMPT else GRADE_COLOURS[key]
    return {"color": GRADE_OUTLINE, "weight": 1, "fillColor": fill, "fillOpacity": 0.8}


def _grade_words(key: str, exemption: object) -> str:
    if key in (EXEMPT, UNGRADED):
        label = EXEMPTION_LABELS.get(str(exemption)) if exemption else None
        return esc(translate(label, get_lang())) if label else esc(_("not graded"))
    return esc(_("grade {grade}").format(grade=key))


def _popup(row: pd.Series, key: str) -> str:
    score = row[s.SCORE]
    pulled = row[s.PULLED_DOWN_BY]
    return popup_html(
        esc(_("Parcel {parcel}").format(parcel=row.name)),
        [
            (_("Enterprise"), holder_name(row)),
            (_("Per-mu grade"), _grade_words(key, row[s.EXEMPTION])),
            (_("Score"), num(float(score), decimals=1) if pd.notna(score) else ""),
            (
                _("Pulled down by"),
                esc(indicator_label(str(pulled), get_lang())) if isinstance(pulled, str) else "",
            ),
            (_("Area"), esc(mu(float(row[s.AREA_MU])))),
        ],
    )


def add_grades(m: folium.Map, park: Park, ledger: LedgerResult, display: Display) -> str:
    """Draw each held parcel in its holder's per-mu grade (off at start); return the legend."""
    parcels = ledger_parcels(park, ledger)
    if parcels.empty:
        return ""
    keys = [grade_key(g, e) for g, e in zip(parcels[s.GRADE], parcels[s.EXEMPTION], strict=True)]
    props = pd.DataFrame(
        {
            KEY: keys,
            TIP: [
                f"{esc(pid)} · {_grade_words(k, row[s.EXEMPTION])}<br>{holder_name(row)}"
                for (pid, row), k in zip(parcels.iterrows(), keys, strict=True)
            ],
            POPUP: [
                _popup(row, k) for (_pid, row), k in zip(parcels.iterrows(), keys, strict=True)
            ],
        }
    )
    group = folium.FeatureGroup(name=LAYER_GRADES, show=False)
    add_geojson(group, display.geometries(parcels), props, _style, name="grades")
    group.add_to(m)
    present = set(keys)
    area = parcels[s.AREA_MU].astype(float).groupby(pd.Series(keys, index=parcels.index)).sum()
    entries = [
        (
            swatch(GRADE_COLOURS[g]),
            html.escape(
                _("grade {grade}: {area}").format(grade=g, area=mu(float(area[g]), decimals=0))
            ),
        )
        for g in s.Grade
        if g in present
    ]
    if EXEMPT in present:
        entries.append(
            (swatch(GRADE_EXEMPT_COLOUR), html.escape(_("exempt: evaluated, not graded")))
        )
    if UNGRADED in present:
        entries.append(
            (
                swatch(GRADE_UNGRADED_COLOUR, "", "border-style:dashed"),
                html.escape(_("not producing yet: not evaluated")),
            )
        )
    entries.append(("", html.escape(_("A best; as of {day}").format(day=ledger.as_of))))
    return legend_section(LAYER_GRADES, entries, open_=False)
