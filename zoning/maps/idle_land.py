"""The idle and inefficient land layer (a detail layer, off at start): the land clock.

Each parcel that the yearly ledger's land clock (:func:`zoning.ledger.evaluate`) does not
find normal is filled by its status, most serious darkest: idle two years (recovery without
compensation), idle one year (idle-land fee), inefficient land (低效用地), late completion.
The popup gives the status in words, the reason, the date it fell due, the next date the
clock acts on, the rule and the holder.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Final

import folium
import pandas as pd

from zoning import schema as s
from zoning.i18n import N_, _, get_lang, translate
from zoning.maps.elements import legend_section, swatch
from zoning.maps.features import KEY, POPUP, TIP, Display, add_geojson
from zoning.maps.grades import holder_name, ledger_parcels
from zoning.maps.style import LAND_STATUS_COLOURS, LAYER_IDLE_LAND
from zoning.maps.text import esc, mu, popup_html
from zoning.park import Park

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult

#: the words of each status on the map, most serious first
STATUS_WORDS: Final[dict[str, str]] = {
    s.LandStatus.IDLE_RECOVERY: N_("idle two years: to be recovered without compensation"),
    s.LandStatus.IDLE_FEE: N_("idle one year: idle-land fee due"),
    s.LandStatus.INEFFICIENT: N_("inefficient land"),
    s.LandStatus.LATE_COMPLETION: N_("completion overdue"),
}
#: the statuses outlined in black: idle land proper (闲置土地)
_IDLE: Final = frozenset({s.LandStatus.IDLE_RECOVERY, s.LandStatus.IDLE_FEE})


def status_words(status: str) -> str:
    """Return the escaped words of a land-clock status in the current language."""
    words = STATUS_WORDS.get(status)
    return esc(_(words)) if words else esc(status)


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    key = feature["properties"][KEY]
    return {
        "color": "#000000" if key in _IDLE else "#5c5c00",
        "weight": 2 if key in _IDLE else 1,
        "fillColor": LAND_STATUS_COLOURS[key],
        "fillOpacity": 0.8,
    }


def _text(value: object) -> str:
    """Return the escaped words of a bilingual value (``{"zh", "en"}``) or a message id."""
    lang = get_lang()
    if isinstance(value, dict):
        return esc(value.get(lang) or value.get("en") or "")
    return esc(translate(value, lang)) if isinstance(value, str) and value else ""


def _popup(row: pd.Series) -> str:
    due = row[s.DUE]
    next_due = row[s.NEXT_DUE]
    return popup_html(
        esc(_("Parcel {parcel}").format(parcel=row.name)),
        [
            (_("Status"), status_words(str(row[s.LAND_STATUS]))),
            (_("Reason"), _text(row[s.REASON])),
            (_("Due since"), esc(due) if isinstance(due, str) else ""),
            (_("Next due"), esc(next_due) if isinstance(next_due, str) else ""),
            (_("Rule"), _text(row[s.ARTICLE])),
            (_("Enterprise"), holder_name(row)),
            (_("Area"), esc(mu(float(row[s.AREA_MU])))),
        ],
    )


def add_idle_land(m: folium.Map, park: Park, ledger: LedgerResult, display: Display) -> str:
    """Draw the land the clock finds idle, inefficient or late (off at start); return the legend."""
    parcels = ledger_parcels(park, ledger)
    parcels = parcels[parcels[s.LAND_STATUS].isin(list(STATUS_WORDS))]
    if parcels.empty:
        return ""
    statuses = parcels[s.LAND_STATUS].astype(str)
    props = pd.DataFrame(
        {
            KEY: statuses.to_numpy(),
            TIP: [
                f"{esc(pid)} · {status_words(str(row[s.LAND_STATUS]))}<br>{holder_name(row)}"
                for pid, row in parcels.iterrows()
            ],
            POPUP: [_popup(row) for _pid, row in parcels.iterrows()],
        }
    )
    group = folium.FeatureGroup(name=LAYER_IDLE_LAND, show=False)
    add_geojson(group, display.geometries(parcels), props, _style, name="idle_land")
    group.add_to(m)
    area = parcels[s.AREA_MU].astype(float).groupby(statuses).sum()
    count = statuses.value_counts()
    entries = [
        (
            swatch(LAND_STATUS_COLOURS[st], "", "border-color:#000" if st in _IDLE else ""),
            html.escape(
                _("{status}: {parcels} parcel(s), {area}").format(
                    status=_(STATUS_WORDS[st]),
                    parcels=int(count[st]),
                    area=mu(float(area[st]), decimals=0),
                )
            ),
        )
        for st in STATUS_WORDS
        if st in count.index
    ]
    entries.append(("", html.escape(_("the land clock as of {day}").format(day=ledger.as_of))))
    return legend_section(LAYER_IDLE_LAND, entries, open_=False)
