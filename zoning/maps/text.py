"""Text on the maps: escaping, numbers, popups, the words for coded values, clean sources.

Every string that comes from data (names, notes, project names) is HTML-escaped here before
it reaches the page: folium's tooltips and popups insert values as HTML, so the values are
escaped once, by these helpers. Words are in the current language (:mod:`zoning.i18n`).

Examples
--------
>>> esc("<b>")
'&lt;b&gt;'
>>> num(1234.5)
'1,234.5'
>>> clean_source("2008 table (shared/reference/far_min.csv) [far_min.26; secondary; advisory]")
'2008 table (secondary source, advisory)'
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.i18n import _

#: a path to a file of the project, as source notes sometimes give it
_PATH: Final = re.compile(
    r"\(?\b(?:shared/reference|gis_data|zoning|tests|docs)/[\w./-]*\)?|"
    r"\b[\w.-]+(?:/[\w.-]+)+\.(?:py|csv|md|toml|json|geojson|topojson)\b"
)
#: a rulebook key with its confidence and binding, "[far_min.26; secondary; advisory]"
_RULEBOOK_TAG: Final = re.compile(r"\s*\[[\w.]+;\s*(\w+);\s*(\w+)\]")


def esc(value: object) -> str:
    """Escape a value for HTML; missing values become an empty string."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def num(value: object, *, decimals: int = 1) -> str:
    """Format a number with thousands separators, or escape whatever else it is."""
    if isinstance(value, bool):
        return esc(value)
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return f"{float(value):,.{decimals}f}"
    if isinstance(value, list | tuple):
        return ", ".join(num(v, decimals=decimals) for v in value)
    return esc(value)


def mu(value: float, *, decimals: int = 1) -> str:
    """Return an area in mu, with its unit in the current language."""
    return _("{area} mu").format(area=num(float(value), decimals=decimals))


def word(member_type: type[StrEnum], value: object) -> str:
    """Return the escaped words of a coded value in the current language (else the value)."""
    try:
        member = member_type(str(value))
    except ValueError:
        return esc(value)
    return html.escape(s.label(member))


def rows_html(rows: Iterable[tuple[str, str]]) -> str:
    """Return a table of (escaped header, escaped value) rows, skipping empty values."""
    body = "".join(f"<tr><th>{h}</th><td>{v}</td></tr>" for h, v in rows if v)
    return f"<table>{body}</table>"


def popup_html(title: str, rows: Iterable[tuple[str, str]], extra: str = "") -> str:
    """Return a popup: an escaped title, a table of rows and any extra (escaped) HTML."""
    return f'<div class="zoning-pop"><h4>{title}</h4>{rows_html(rows)}{extra}</div>'


def clean_source(text: object) -> str:
    """Return a source note as a planner reads it: no file paths, rulebook keys in words.

    Paths inside the project (``shared/reference/...``, ``gis_data/...``) mean nothing to a
    reader of the map; the rulebook tag ``[key; confidence; binding]`` becomes "(secondary
    source, advisory)". The result is plain text, not yet escaped.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    cleaned = _PATH.sub("", str(text))

    def tag(match: re.Match[str]) -> str:
        confidence, binding = match.group(1), match.group(2)
        words = {
            "secondary": _("secondary source"),
            "article": _("news article"),
            "primary": _("primary source"),
            "binding": _("binding"),
            "advisory": _("advisory"),
        }
        return f" ({words.get(confidence, confidence)}, {words.get(binding, binding)})"

    cleaned = _RULEBOOK_TAG.sub(tag, cleaned)
    cleaned = re.sub(r"\(\s*[;,]?\s*\)", "", cleaned)  # parentheses the paths emptied
    cleaned = re.sub(r"\(\s*[;,]\s*", "(", cleaned)
    cleaned = re.sub(r"\s*[;,]\s*\)", ")", cleaned)
    cleaned = re.sub(r"\s+([;,.])", r"\1", cleaned)
    return " ".join(cleaned.split()).strip(" ;,")


def js_string(text: str) -> str:
    r"""Return ``text`` as a JavaScript string literal that is safe inside a script element.

    Examples
    --------
    >>> js_string("</script>")
    '"<\\/script>"'
    """
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")
