"""The rulebook: industries, control indicators, capacities and targets as editable data.

The park administration edits a TOML file (``rulebook.toml`` beside the park's layers)
without touching code; this module defines what that file may contain and checks it.
Reading the file is the I/O layer's job (:func:`zoning.io.read_rulebook`); here the
rulebook is built from an already-parsed mapping by :func:`build_rulebook`.

Every threshold carries its ``source``, its ``confidence`` and whether it is ``binding``.
A threshold that is not binding produces a warning in a verdict, never a hard failure;
values copied from secondary sources are advisory unless the park marks them binding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from zoning.errors import Problem, RulebookError
from zoning.i18n import _
from zoning.ledger.settings import LedgerSettings
from zoning.schema import Confidence

INDUSTRY_CODE_RE = re.compile(r"^[0-9]{4}\Z")
CODE_PREFIX_RE = re.compile(r"^[0-9]{1,4}\Z")
LAND_USE_CODE_RE = re.compile(r"^[0-9]{2}([0-9]{2}){0,2}\Z")


class IndicatorKind(StrEnum):
    """The land-use intensity indicators a project is measured against."""

    FAR_MIN = "far_min"
    BUILDING_COEFFICIENT_MIN = "building_coefficient_min"
    ADMIN_SHARE_MAX = "admin_share_max"
    GREEN_RATIO_MAX = "green_ratio_max"
    INVESTMENT_PER_MU_MIN = "investment_per_mu_min"
    OUTPUT_PER_MU_MIN = "output_per_mu_min"
    TAX_PER_MU_MIN = "tax_per_mu_min"

    @property
    def is_minimum(self) -> bool:
        """Whether the measured value must be at least (not at most) the threshold."""
        return self.value.endswith("_min")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_prefixes(values: list[str]) -> list[str]:
    bad = [v for v in values if not CODE_PREFIX_RE.match(v)]
    if bad:
        raise ValueError(f"code prefixes must be 1 to 4 digits, got {bad}")
    return values


class Industry(_Strict):
    """One industry of the catalogue (GB/T 4754-2017 four-digit class)."""

    code: str = Field(description="GB/T 4754-2017 four-digit code")
    name_zh: str
    name_en: str
    land_use_code: str = Field(
        description="land-use class the industry needs (2023 classification), "
        "e.g. 100103 for class-3 industrial land"
    )
    land_use_basis: str = Field(default="", description="why this class (judgement or source)")
    produces: list[str] = Field(default_factory=list, description="chain products it supplies")
    consumes: list[str] = Field(default_factory=list, description="chain products it takes in")
    source: str = ""
    confidence: Confidence = Confidence.SECONDARY

    @field_validator("code")
    @classmethod
    def _four_digits(cls, value: str) -> str:
        if not INDUSTRY_CODE_RE.match(value):
            raise ValueError(f"industry code must be 4 digits (GB/T 4754-2017), got {value!r}")
        return value

    @field_validator("land_use_code")
    @classmethod
    def _land_use(cls, value: str) -> str:
        if not LAND_USE_CODE_RE.match(value):
            raise ValueError(f"land-use code must have 2, 4 or 6 digits, got {value!r}")
        return value


class Indicator(_Strict):
    """A control indicator with its threshold and provenance."""

    id: str
    kind: IndicatorKind
    name: str = ""
    value: float = Field(ge=0)
    unit: str
    applies_to: list[str] = Field(
        default_factory=list,
        description="GB/T 4754-2017 code prefixes; empty means every industry",
    )
    land_use_prefixes: list[str] = Field(
        default_factory=lambda: ["1001"],
        description="land-use code prefixes of the projects it applies to (default industrial)",
    )
    binding: bool = False
    confidence: Confidence
    source: str

    _prefixes = field_validator("applies_to")(_check_prefixes)


class HealthDistance(_Strict):
    """A health-protection distance (卫生防护距离) from sensitive uses."""

    id: str
    applies_to: list[str] = Field(min_length=1)
    distance_m: float = Field(gt=0)
    condition: str = ""
    binding: bool = False
    confidence: Confidence
    source: str

    _prefixes = field_validator("applies_to")(_check_prefixes)


class Capacity(_Strict):
    """A park-wide infrastructure capacity budget."""

    value: float = Field(gt=0)
    unit: str
    binding: bool = True
    confidence: Confidence
    source: str


class Target(_Strict):
    """A park target from its plans."""

    id: str
    name_zh: str
    name_en: str
    value: float
    unit: str
    year: int
    source: str


class ChainSettings(_Strict):
    """Settings of the industry-chain fit (铝液直供, molten aluminium direct supply)."""

    product: str = "molten_aluminium"
    max_distance_m: float = Field(default=3000.0, gt=0)
    source: str = ""


class RuleSetting(_Strict):
    """The force and source of a fit rule whose settings need no model of their own.

    A rule of :mod:`zoning.rules` that reads ``rules."<rule id>"`` runs only when the
    rulebook has that entry; what ``applies_to`` and ``value`` mean is the rule's to say
    (its module docstring, ``zoning rules <rule id>``).
    """

    value: float | None = Field(default=None, ge=0)
    unit: str = ""
    applies_to: list[str] = Field(
        default_factory=list, description="code prefixes the rule applies to (see the rule)"
    )
    binding: bool = False
    confidence: Confidence
    source: str
    note: str = ""


#: the default of ``sequencing.max_phases``
DEFAULT_MAX_PHASES: Final = 50
#: the largest ``sequencing.max_phases`` a rulebook may set
MAX_PHASES_LIMIT: Final = 1000


class SequencingSettings(_Strict):
    """Settings of the phase plan."""

    default_quota_mu: float = Field(default=1500.0, gt=0)
    default_phases: int = Field(default=5, ge=1, le=MAX_PHASES_LIMIT)
    max_phases: int = Field(
        default=DEFAULT_MAX_PHASES,
        ge=1,
        le=MAX_PHASES_LIMIT,
        description="most phases a plan may have (zoning sequence/plan --phases)",
    )
    min_shared_boundary_m: float = Field(default=10.0, ge=0)
    max_road_gap_m: float = Field(default=45.0, ge=0)
    open_from_phase: dict[str, Annotated[int, Field(ge=1, le=MAX_PHASES_LIMIT)]] = Field(
        default_factory=dict,
        description="zones in maintain_current mode that may open from the given phase; "
        "a maintain_current zone not listed is never opened",
    )
    max_tracts_per_phase: int = Field(
        default=3,
        ge=1,
        description="most tracts (连片地块: connected groups of parcels sharing one extension "
        "of roads and utilities) a phase may open",
    )
    infrastructure_cost_wan_yuan_per_km: dict[str, float] = Field(
        default_factory=lambda: {
            "road": 1500.0,
            "water_main": 300.0,
            "power_line": 250.0,
            "gas_main": 200.0,
        },
        description="cost of building 1 km of a planned road or utility line, 万元 per km",
    )
    infrastructure_cost_source: str = Field(
        default="illustrative",
        description="where the unit costs come from ('illustrative' when assumed)",
    )

    @field_validator("infrastructure_cost_wan_yuan_per_km")
    @classmethod
    def _known_kinds(cls, value: dict[str, float]) -> dict[str, float]:
        kinds = ("road", "water_main", "power_line", "gas_main")
        unknown = sorted(set(value) - set(kinds))
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(unknown)}; expected {', '.join(kinds)}")
        negative = sorted(k for k, v in value.items() if v < 0)
        if negative:
            raise ValueError(f"unit costs must be >= 0 万元 per km, got negative {negative}")
        return value


class Meta(_Strict):
    """Identification of the rulebook."""

    park_id: str
    name: str
    version: str
    illustrative: bool = False
    notes: str = ""


class Rulebook(_Strict):
    """All the park's rules, values and targets.

    Examples
    --------
    >>> rb = build_rulebook({
    ...     "rulebook": {"park_id": "demo", "name": "Demo", "version": "1"},
    ...     "industries": [{"code": "3252", "name_zh": "铝压延加工",
    ...                     "name_en": "Aluminium rolling", "land_use_code": "100102"}],
    ... })
    >>> rb.industry("3252").name_en
    'Aluminium rolling'
    """

    rulebook: Meta
    industries: list[Industry] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    health_distances: list[HealthDistance] = Field(default_factory=list)
    capacities: dict[str, Capacity] = Field(default_factory=dict)
    targets: list[Target] = Field(default_factory=list)
    chain: ChainSettings = Field(default_factory=ChainSettings)
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict, description="settings of fit rules, by rule id"
    )
    sequencing: SequencingSettings = Field(default_factory=SequencingSettings)
    ledger: LedgerSettings | None = Field(
        default=None, description="the yearly ledger: per-mu evaluation and land clock"
    )

    @model_validator(mode="after")
    def _unique(self) -> Rulebook:
        for label, ids in (
            ("industry code", [i.code for i in self.industries]),
            ("indicator id", [i.id for i in self.indicators]),
            ("health distance id", [h.id for h in self.health_distances]),
            ("target id", [t.id for t in self.targets]),
        ):
            dupes = sorted({x for x in ids if ids.count(x) > 1})
            if dupes:
                raise ValueError(f"duplicate {label}(s): {dupes}")
        return self

    @property
    def version(self) -> str:
        """The rulebook's version string."""
        return self.rulebook.version

    def industry(self, code: str) -> Industry:
        """Return the catalogue entry of ``code``.

        Raises
        ------
        KeyError
            If the code is not in the catalogue.
        """
        for item in self.industries:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def industry_codes(self) -> frozenset[str]:
        """The four-digit codes of the catalogue."""
        return frozenset(i.code for i in self.industries)

    def indicator_for(self, kind: IndicatorKind, code: str) -> Indicator | None:
        """Return the indicator of ``kind`` that applies to ``code``, most specific first.

        An indicator whose ``applies_to`` lists a longer matching prefix wins over one with a
        shorter prefix, which wins over one that applies to every industry.
        """
        return _most_specific((i for i in self.indicators if i.kind is kind), code)

    def health_distance_for(self, code: str) -> HealthDistance | None:
        """Return the health-protection distance rule for ``code``, if any."""
        return _most_specific(iter(self.health_distances), code)


_Rule = TypeVar("_Rule", Indicator, HealthDistance)


def _most_specific(items: Iterable[_Rule], code: str) -> _Rule | None:
    best: _Rule | None = None
    best_len = -1
    for item in items:
        prefixes = item.applies_to or [""]
        for prefix in prefixes:
            if code.startswith(prefix) and len(prefix) > best_len:
                best, best_len = item, len(prefix)
    return best


def build_rulebook(data: Mapping[str, Any], *, where: str = "rulebook") -> Rulebook:
    """Build a :class:`Rulebook` from a parsed TOML mapping, collecting every problem.

    Parameters
    ----------
    data
        The parsed TOML document.
    where
        Name used in problem messages (usually the file name).

    Raises
    ------
    RulebookError
        Listing every invalid entry, with its location in the file and how to fix it.
    """
    try:
        return Rulebook.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(err, where) for err in exc.errors()]
        raise RulebookError(_("the rulebook is invalid"), problems) from None


def _problem_from_pydantic(err: Mapping[str, Any], where: str) -> Problem:
    loc = ".".join(str(part) for part in err.get("loc", ()))
    kind: Literal["missing", "extra_forbidden"] | str = err.get("type", "")
    if kind == "missing":
        return Problem(
            where,
            _("missing required entry '{entry}'").format(entry=loc),
            fix=_("add '{entry}' to the file").format(entry=loc),
        )
    if kind == "extra_forbidden":
        return Problem(
            where,
            _("unknown entry '{entry}'").format(entry=loc),
            fix=_("check the spelling; see docs/data-model.md for the entries a rulebook may hold"),
        )
    given = err.get("input")
    given_text = (
        ""
        if isinstance(given, dict | list)
        else " " + _("(given: {value})").format(value=repr(given))
    )
    message = err.get("msg") or _("invalid value")
    return Problem(where, f"'{loc}': {message}{given_text}")
