"""The rulebook: every invalid entry reported, lookups by most specific prefix."""

from __future__ import annotations

from typing import Any

import pytest

from zoning import RulebookError, build_rulebook
from zoning.io import bundled_park_dir, read_rulebook
from zoning.rulebook import IndicatorKind


def _base() -> dict[str, Any]:
    return {"rulebook": {"park_id": "t", "name": "T", "version": "1"}}


def test_bundled_rulebook_loads_and_carries_provenance() -> None:
    rb = read_rulebook(bundled_park_dir() / "rulebook.toml")
    assert rb.rulebook.illustrative
    assert {"3216", "3252", "3670", "3831", "3091", "2613"} <= rb.industry_codes
    for indicator in rb.indicators:
        assert indicator.source
        assert indicator.confidence
    assert rb.capacities["wastewater_tpd"].value == 10_000


def test_most_specific_prefix_wins() -> None:
    rb = read_rulebook(bundled_park_dir() / "rulebook.toml")
    far = rb.indicator_for(IndicatorKind.FAR_MIN, "3252")
    assert far is not None
    assert (far.id, far.value) == ("far_min.32", 0.6)
    coefficient = rb.indicator_for(IndicatorKind.BUILDING_COEFFICIENT_MIN, "3252")
    assert coefficient is not None
    assert coefficient.value == 0.30
    assert rb.indicator_for(IndicatorKind.FAR_MIN, "5920") is None
    carbon = rb.health_distance_for("3091")
    assert carbon is not None
    assert carbon.distance_m == 1000


def test_every_invalid_entry_is_reported() -> None:
    data = _base() | {
        "industries": [
            {"code": "32", "name_zh": "x", "name_en": "x", "land_use_code": "100102"},
            {"code": "3252", "name_zh": "x", "name_en": "x", "land_use_code": "1001023"},
        ],
        "indicators": [
            {
                "id": "a",
                "kind": "far_minimum",
                "value": -1,
                "unit": "ratio",
                "confidence": "secondary",
                "source": "s",
            }
        ],
        "colour": "red",
    }
    with pytest.raises(RulebookError) as info:
        build_rulebook(data)
    text = str(info.value)
    assert "industries.0.code" in text
    assert "4 digits" in text
    assert "industries.1.land_use_code" in text
    assert "indicators.0.kind" in text
    assert "indicators.0.value" in text
    assert "unknown entry 'colour'" in text
    assert len(info.value.problems) == 5


def test_duplicate_codes_are_refused() -> None:
    item = {"code": "3252", "name_zh": "x", "name_en": "x", "land_use_code": "100102"}
    with pytest.raises(RulebookError, match=r"duplicate industry code\(s\): \['3252'\]"):
        build_rulebook(_base() | {"industries": [item, item]})


def test_missing_header_is_named() -> None:
    with pytest.raises(RulebookError, match="missing required entry 'rulebook'"):
        build_rulebook({})


def test_bundled_sources_cite_documents_not_internal_files() -> None:
    """A finding's source names the standard or document, never a path of this project."""
    import zoning

    rb = zoning.load_park().rulebook
    sources = [i.source for i in rb.indicators] + [h.source for h in rb.health_distances]
    sources += [c.source for c in rb.capacities.values()] + [rb.chain.source]
    sources += [r.source for r in rb.rules.values()] + [rb.rulebook.notes]
    sources += [i.source for i in rb.industries] + [i.land_use_basis for i in rb.industries]
    bad = [x for x in sources if "shared/" in x or "reference/" in x or ".csv" in x]
    assert bad == []
