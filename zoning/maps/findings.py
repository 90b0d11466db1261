"""The findings of the fit check as a planner reads them in a popup.

Each failing or warning finding is shown with the name of its rule in words (容积率, not
``intensity.far``), the status, the message in the current language (``message_zh`` when
the check provides it), the measured and required values with their unit, and the source
without file paths. Passing rules are left out, to keep the popup short.

Examples
--------
>>> rule_title("intensity.far")
'Floor area ratio'
>>> rule_title("capacity.new_thing")
'Utility capacity'
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Final

from zoning import schema as s
from zoning.i18n import N_, _, get_lang
from zoning.maps.text import clean_source, esc, num

#: the rule ids of the fit check, in words; a rule not listed takes its group's words
RULE_TITLES: Final[dict[str, str]] = {
    "input": N_("Input data"),
    "industry": N_("Industry allowed in the zone"),
    "land_use_class": N_("Industrial land class"),
    "land.vacant": N_("Vacant land available"),
    "intensity": N_("Land-use intensity"),
    "intensity.far": N_("Floor area ratio"),
    "intensity.building_coefficient": N_("Building coverage ratio"),
    "intensity.green_ratio": N_("Green space ratio"),
    "intensity.admin_share": N_("Share of office and living facilities"),
    "intensity.investment_per_mu": N_("Investment per mu"),
    "intensity.output_per_mu": N_("Output per mu"),
    "intensity.tax_per_mu": N_("Tax per mu"),
    "capacity": N_("Utility capacity"),
    "capacity.power_mw": N_("Power supply capacity"),
    "capacity.wastewater_tpd": N_("Wastewater treatment capacity"),
    "capacity.water_tpd": N_("Water supply capacity"),
    "capacity.gas_m3_per_day": N_("Gas supply capacity"),
    "chain": N_("Industry chain links"),
    "health_distance": N_("Health protection distance"),
    "health_distance.sensitive_use": N_("Health protection distance from existing plants"),
    "site": N_("Site"),
    "site.constraints": N_("Site clear of constraints"),
    "site.in_park": N_("Site inside the park"),
    "site.parcels": N_("Site parcels"),
    "site.zone": N_("Site inside the zone"),
    "zone": N_("Zone"),
    "zone.requested": N_("Requested zone"),
}
_MARKS: Final[dict[str, str]] = {
    s.FindingStatus.FAIL: "✗",
    s.FindingStatus.WARN: "⚠",
    s.FindingStatus.PASS: "✓",
}


def rule_title(rule: str) -> str:
    """Return the words of a rule id in the current language (its group's, or the id itself)."""
    words = RULE_TITLES.get(rule) or RULE_TITLES.get(rule.split(".")[0])
    return _(words) if words else rule


def finding_message(finding: Mapping[str, Any]) -> str:
    """Return the message of a finding in the current language, when the check gives it."""
    if get_lang() == "zh" and finding.get("message_zh"):
        return str(finding["message_zh"])
    return str(finding.get(s.MESSAGE) or "")


def finding_html(finding: Mapping[str, Any]) -> str:
    """One finding as a list item of escaped HTML."""
    status = str(finding.get(s.STATUS, ""))
    try:
        status_words = s.label(s.FindingStatus(status))
    except ValueError:
        status_words = status
    rule = str(finding.get(s.RULE) or "")
    unit = esc(finding.get(s.UNIT))
    measured, required = finding.get(s.MEASURED), finding.get(s.REQUIRED)
    numbers = ""
    if measured is not None or required is not None:
        numbers = (
            "<br>" + html.escape(_("measured")) + f" <b>{num(measured, decimals=2)}</b> {unit} · "
        )
        numbers += html.escape(_("required")) + f" <b>{num(required, decimals=2)}</b> {unit}"
    source = esc(clean_source(finding.get(s.SOURCE)))
    source_words = html.escape(_("source"))
    source_html = f'<br><span class="src">{source_words}: {source}</span>' if source else ""
    return (
        f"<li>{_MARKS.get(status, '')} <b>{html.escape(rule_title(rule))}</b> "
        f"({html.escape(status_words)}): {esc(finding_message(finding))}{numbers}{source_html}</li>"
    )


def findings_html(findings: object) -> str:
    """Return the failing, then the warning findings of a verdict, as an escaped HTML list."""
    if not isinstance(findings, list | tuple):
        return ""
    shown = [
        f
        for f in findings
        if isinstance(f, Mapping)
        and str(f.get(s.STATUS)) in (s.FindingStatus.FAIL, s.FindingStatus.WARN)
    ]
    shown.sort(key=lambda f: 0 if str(f.get(s.STATUS)) == s.FindingStatus.FAIL else 1)
    if not shown:
        words = _("every rule passes")
        return f"<p>{html.escape(words)}</p>"
    return "<ul>" + "".join(finding_html(f) for f in shown) + "</ul>"
