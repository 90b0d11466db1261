"""Column names, categorical values and layer schemas: the data model in one place.

Every other module refers to a column through the constants defined here, never through
a string literal, so that renaming a field is a one-line change and the data dictionary
(:func:`layer_fields`) cannot drift from the code.

The park is made of six layers:

``zones``
    Polygons of the "one park, multiple zones" (一园多区) layout, each with the industries
    it permits and its development priority.
``parcels``
    Land parcels with their land-use code (2023 territorial planning classification) and
    status. The zone of a parcel is derived spatially (:data:`ZONE_ID` is never trusted
    from a column alone).
``constraints``
    No-build and restricted areas (river setback, ecological protection, sensitive uses).
``infrastructure``
    Roads, utility trunks, the wastewater plant and substations, with capacities.
``context``
    Real reference geodata drawn for orientation (county boundary, power-station points),
    each feature with its source and licence.
``rulebook``
    A TOML file of industries, control indicators, capacities and targets
    (see :mod:`zoning.rulebook`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from zoning.i18n import N_, Lang, get_lang, translate

# --------------------------------------------------------------------------- shared
GEOMETRY: Final = "geometry"
NAME: Final = "name"
NAME_ZH: Final = "name_zh"
NAME_EN: Final = "name_en"
KIND: Final = "kind"
SOURCE: Final = "source"
NOTE: Final = "note"
LICENCE: Final = "licence"
STATUS: Final = "status"

# derived measurements, added by the loader in the metric CRS
AREA_M2: Final = "area_m2"
AREA_HA: Final = "area_ha"
AREA_MU: Final = "area_mu"

# --------------------------------------------------------------------------- zones
ZONE_ID: Final = "zone_id"
PURPOSE_ZH: Final = "purpose_zh"
PURPOSE_EN: Final = "purpose_en"
PERMITTED: Final = "permitted"
CONDITIONAL: Final = "conditional"
PROHIBITED: Final = "prohibited"
MAX_INDUSTRIAL_CLASS: Final = "max_industrial_class"
PRIORITY: Final = "priority"
DEVELOPMENT_MODE: Final = "development_mode"

# --------------------------------------------------------------------------- parcels
PARCEL_ID: Final = "parcel_id"
LAND_USE_CODE: Final = "land_use_code"
OCCUPANT: Final = "occupant"
WASTEWATER_TPD: Final = "wastewater_tpd"
POWER_MW: Final = "power_mw"
FLOOR_AREA_M2: Final = "floor_area_m2"
FOOTPRINT_M2: Final = "footprint_m2"

# --------------------------------------------------------------------------- constraints
CONSTRAINT_ID: Final = "constraint_id"

# --------------------------------------------------------------------------- infrastructure
INFRA_ID: Final = "infra_id"
CAPACITY: Final = "capacity"
CAPACITY_UNIT: Final = "capacity_unit"
WIDTH_M: Final = "width_m"

# --------------------------------------------------------------------------- context
CONTEXT_ID: Final = "context_id"
ACCURACY: Final = "accuracy"

# --------------------------------------------------------------------------- projects and results
PROJECT_ID: Final = "project_id"
INDUSTRY_CODE: Final = "industry_code"
REQUESTED_ZONE: Final = "requested_zone"
INVESTMENT_WAN: Final = "investment_wan"
OUTPUT_WAN: Final = "output_wan"
TAX_WAN: Final = "tax_wan"
FAR: Final = "far"
BUILDING_COEFFICIENT: Final = "building_coefficient"
ADMIN_SHARE: Final = "admin_share"
GREEN_RATIO: Final = "green_ratio"
VERDICT: Final = "verdict"
FINDINGS: Final = "findings"
BEST: Final = "best"
PHASE: Final = "phase"
REASON: Final = "reason"
# keys of one finding (a dict in the FINDINGS list)
RULE: Final = "rule"
MESSAGE: Final = "message"
MEASURED: Final = "measured"
REQUIRED: Final = "required"
UNIT: Final = "unit"
MESSAGE_ZH: Final = "message_zh"
# REASON (above) is also a finding's key: the machine-readable why of its status

# list-valued columns (JSON arrays in GeoJSON, joined strings in shapefiles)
LIST_COLUMNS: Final = frozenset({PERMITTED, CONDITIONAL, PROHIBITED})


#: how far a value can be trusted: the scale of the rulebook's and the ledger's sources
class Confidence(StrEnum):
    """How far a value can be trusted."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    ARTICLE = "article"
    JUDGEMENT = "judgement"
    ILLUSTRATIVE = "illustrative"
    UNVERIFIED = "unverified"


class ParcelStatus(StrEnum):
    """What is on a parcel today."""

    DEVELOPED = "developed"
    COMMITTED = "committed"
    VACANT = "vacant"
    PROTECTED = "protected"


class DevelopmentMode(StrEnum):
    """How a zone is developed (重点区域优先连片开发 / 其他区域短期内维持现状功能)."""

    PRIORITY_CONTIGUOUS = "priority_contiguous"
    MAINTAIN_CURRENT = "maintain_current"


class ConstraintKind(StrEnum):
    """Kinds of constraint area."""

    RIVER_SETBACK = "river_setback"
    ECOLOGICAL_PROTECTION = "ecological_protection"
    NO_BUILD = "no_build"
    SENSITIVE_AREA = "sensitive_area"


class InfrastructureKind(StrEnum):
    """Kinds of infrastructure feature."""

    ROAD = "road"
    WATER_MAIN = "water_main"
    POWER_LINE = "power_line"
    GAS_MAIN = "gas_main"
    WASTEWATER_PLANT = "wastewater_plant"
    SUBSTATION = "substation"


class Verdict(StrEnum):
    """Outcome of checking one project against one zone."""

    FITS = "fits"
    CONDITIONAL = "conditional"
    DOES_NOT_FIT = "does_not_fit"
    ERROR = "error"


class FindingStatus(StrEnum):
    """Outcome of one rule."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


class InfrastructureStatus(StrEnum):
    """Whether an infrastructure feature is in service."""

    BUILT = "built"
    PLANNED = "planned"


#: infrastructure kinds that are linear trunks (serve the parcels they front)
LINEAR_INFRASTRUCTURE: Final = frozenset(
    {
        InfrastructureKind.ROAD,
        InfrastructureKind.WATER_MAIN,
        InfrastructureKind.POWER_LINE,
        InfrastructureKind.GAS_MAIN,
    }
)

#: constraint kinds on which nothing may be built (a site must stay clear of them)
NO_BUILD_CONSTRAINTS: Final = (
    ConstraintKind.RIVER_SETBACK,
    ConstraintKind.ECOLOGICAL_PROTECTION,
    ConstraintKind.NO_BUILD,
)

#: verdicts of the fit check under which a project may be placed in a zone
PLACEABLE_VERDICTS: Final = (Verdict.FITS, Verdict.CONDITIONAL)

#: the land-use classes of industrial land (2023 classification, 一类/二类/三类工业用地)
INDUSTRIAL_CLASSES: Final = ("100101", "100102", "100103")

#: land-use code prefixes of uses that need protection from industrial nuisance
#: (residential, education, medical, social welfare)
SENSITIVE_LAND_USE_PREFIXES: Final = ("07", "0804", "0806", "0807")

FieldType = Literal["str", "int", "float", "list[str]", "bool"]


@dataclass(frozen=True)
class FieldSpec:
    """One attribute of a layer.

    Parameters
    ----------
    name
        Column name.
    type
        Logical type of the values.
    required
        Whether every feature must carry a value.
    description
        What the field means, with unit where it has one.
    choices
        The allowed values, when the field is categorical.
    """

    name: str
    type: FieldType
    required: bool
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class LayerSchema:
    """The fields and geometry types of one park layer."""

    name: str
    id_field: str
    geometry_types: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    description: str

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required fields."""
        return tuple(f.name for f in self.fields if f.required)


_POLYGONAL = ("Polygon", "MultiPolygon")

ZONES = LayerSchema(
    name="zones",
    id_field=ZONE_ID,
    geometry_types=_POLYGONAL,
    description="Zones of the one-park-multiple-zones layout (一园多区).",
    fields=(
        FieldSpec(ZONE_ID, "str", True, "Zone identifier, unique in the park."),
        FieldSpec(NAME_ZH, "str", True, "Zone name in Chinese."),
        FieldSpec(NAME_EN, "str", True, "Zone name in English."),
        FieldSpec(PURPOSE_ZH, "str", False, "What the zone is for, in Chinese."),
        FieldSpec(PURPOSE_EN, "str", False, "What the zone is for, in English."),
        FieldSpec(PERMITTED, "list[str]", True, "GB/T 4754-2017 code prefixes permitted."),
        FieldSpec(
            CONDITIONAL, "list[str]", True, "GB/T 4754-2017 code prefixes allowed on conditions."
        ),
        FieldSpec(PROHIBITED, "list[str]", True, "GB/T 4754-2017 code prefixes prohibited."),
        FieldSpec(
            MAX_INDUSTRIAL_CLASS,
            "str",
            True,
            "Most disturbing industrial land-use class allowed (2023 classification).",
            INDUSTRIAL_CLASSES,
        ),
        FieldSpec(PRIORITY, "int", True, "Development priority; 1 is developed first."),
        FieldSpec(
            DEVELOPMENT_MODE,
            "str",
            True,
            "priority_contiguous (重点区域优先连片开发) or maintain_current (维持现状功能).",
            tuple(DevelopmentMode),
        ),
    ),
)

PARCELS = LayerSchema(
    name="parcels",
    id_field=PARCEL_ID,
    geometry_types=_POLYGONAL,
    description="Land parcels; their zone is derived spatially.",
    fields=(
        FieldSpec(PARCEL_ID, "str", True, "Parcel identifier, unique in the park."),
        FieldSpec(
            LAND_USE_CODE,
            "str",
            True,
            "Land-use code, 2023 classification (自然资发〔2023〕234号).",
        ),
        FieldSpec(STATUS, "str", True, "What is on the parcel today.", tuple(ParcelStatus)),
        FieldSpec(OCCUPANT, "str", False, "Occupant or planned use, free text."),
        FieldSpec(
            INDUSTRY_CODE,
            "str",
            False,
            "GB/T 4754-2017 code of the occupant's industry (developed or committed parcels).",
        ),
        FieldSpec(WASTEWATER_TPD, "float", False, "Wastewater discharge, tonnes per day."),
        FieldSpec(POWER_MW, "float", False, "Electric power demand, MW."),
        FieldSpec(FLOOR_AREA_M2, "float", False, "Gross floor area built, m² (developed parcels)."),
        FieldSpec(
            FOOTPRINT_M2,
            "float",
            False,
            "Ground area covered by buildings and structures, m² (developed parcels; the "
            "numerator of the building coefficient 建筑系数).",
        ),
    ),
)

CONSTRAINTS = LayerSchema(
    name="constraints",
    id_field=CONSTRAINT_ID,
    geometry_types=_POLYGONAL,
    description="No-build and restricted areas.",
    fields=(
        FieldSpec(CONSTRAINT_ID, "str", True, "Constraint identifier."),
        FieldSpec(KIND, "str", True, "Kind of constraint.", tuple(ConstraintKind)),
        FieldSpec(NAME, "str", True, "Name, Chinese and English."),
        FieldSpec(SOURCE, "str", True, "Where the constraint comes from."),
        FieldSpec(NOTE, "str", False, "Remarks."),
    ),
)

INFRASTRUCTURE = LayerSchema(
    name="infrastructure",
    id_field=INFRA_ID,
    geometry_types=("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
    description="Roads, utility trunks, plants and substations, with capacities.",
    fields=(
        FieldSpec(INFRA_ID, "str", True, "Infrastructure identifier."),
        FieldSpec(KIND, "str", True, "Kind of infrastructure.", tuple(InfrastructureKind)),
        FieldSpec(NAME, "str", True, "Name, Chinese and English."),
        FieldSpec(STATUS, "str", True, "In service or planned.", tuple(InfrastructureStatus)),
        FieldSpec(CAPACITY, "float", False, "Capacity, in capacity_unit."),
        FieldSpec(CAPACITY_UNIT, "str", False, "Unit of capacity (t/d, MW, MVA)."),
        FieldSpec(WIDTH_M, "float", False, "Width of a road or corridor, metres."),
        FieldSpec(SOURCE, "str", True, "Where the feature comes from."),
    ),
)

CONTEXT = LayerSchema(
    name="context",
    id_field=CONTEXT_ID,
    geometry_types=("Point", "Polygon", "MultiPolygon"),
    description="Real reference geodata (county boundary, plant points) with credits.",
    fields=(
        FieldSpec(CONTEXT_ID, "str", True, "Context feature identifier."),
        FieldSpec(
            KIND, "str", True, "What the feature is (county_boundary, coal_power_plant, ...)."
        ),
        FieldSpec(NAME, "str", True, "Name as published by the source."),
        FieldSpec(ACCURACY, "str", False, "Positional accuracy as stated by the source."),
        FieldSpec(SOURCE, "str", True, "Source of the feature."),
        FieldSpec(LICENCE, "str", True, "Licence and credit line."),
    ),
)

#: the geographic layers of a park, in load order
LAYERS: Final = (ZONES, PARCELS, CONSTRAINTS, INFRASTRUCTURE, CONTEXT)
LAYER_BY_NAME: Final = {layer.name: layer for layer in LAYERS}

# --------------------------------------------------------------------------- exports
# fields that exist only in the exported layers (zoning.io.export, zoning.datadict)
FAILED_RULES: Final = "failed_rules"
WARNED_RULES: Final = "warned_rules"
FAILURES: Final = "failures"
PHASE_REASON: Final = "phase_reason"
PARK_ID: Final = "park_id"
PARK_NAME: Final = "park_name"
RULEBOOK_VERSION: Final = "rulebook_version"
GENERATED_AT: Final = "generated_at"
SOFTWARE_VERSION: Final = "software_version"
CRS: Final = "crs"
ILLUSTRATIVE: Final = "illustrative"
NOTICE: Final = "notice"
CREDITS: Final = "credits"
# the key/value form of the metadata record in a shapefile set (one DBF row per part)
METADATA_KEY: Final = "key"
METADATA_PART: Final = "part"
METADATA_VALUE: Final = "value"
# the phase plan an export carries (metadata record)
PHASE_QUOTA_MU: Final = "phase_quota_mu"
PHASES: Final = "phases"

# --------------------------------------------------------------------------- fit check
# project fields beyond those above (zoning.projects, zoning.fit, zoning.siting)
SITE_WKT: Final = "site_wkt"
SITE_AREA_MU: Final = "site_area_mu"
INPUT_ERROR: Final = "input_error"
# candidate sites of a project without a site (zoning.siting)
RANK: Final = "rank"
PARCEL_IDS: Final = "parcel_ids"
CANDIDATE_MU: Final = "candidate_mu"
SPARE_MU: Final = "spare_mu"
CHAIN_DISTANCE_M: Final = "chain_distance_m"
SENSITIVE_DISTANCE_M: Final = "sensitive_distance_m"


class FitRule(StrEnum):
    """Identifiers of the fit-check rules (the ``rule`` key of a finding)."""

    INPUT = "input"
    INDUSTRY = "industry"
    LAND_USE_CLASS = "land_use_class"
    FAR = "intensity.far"
    BUILDING_COEFFICIENT = "intensity.building_coefficient"
    ADMIN_SHARE = "intensity.admin_share"
    GREEN_RATIO = "intensity.green_ratio"
    INVESTMENT_PER_MU = "intensity.investment_per_mu"
    OUTPUT_PER_MU = "intensity.output_per_mu"
    TAX_PER_MU = "intensity.tax_per_mu"
    REQUESTED_ZONE = "zone.requested"
    VACANT_LAND = "land.vacant"
    SITE_ZONE = "site.zone"
    SITE_IN_PARK = "site.in_park"
    SITE_AREA = "site.area"
    SITE_PARCELS = "site.parcels"
    SITE_CONSTRAINTS = "site.constraints"
    HEALTH_DISTANCE = "health_distance"
    CAPACITY_WASTEWATER = "capacity.wastewater_tpd"
    CAPACITY_POWER = "capacity.power_mw"
    CHAIN = "chain"
    #: a new sensitive use (homes, school, clinic, care home) from existing nuisance plants
    HEALTH_DISTANCE_SENSITIVE_USE = "health_distance.sensitive_use"


class Basemap(StrEnum):
    """Background tiles of the HTML map (see :mod:`zoning.mapping`)."""

    OSM = "osm"
    TIANDITU = "tianditu"
    AMAP = "amap"
    NONE = "none"


#: environment variable holding the Tianditu (天地图) browser key
TIANDITU_KEY_ENV: Final = "ZONING_TIANDITU_KEY"

# --------------------------------------------------------------------------- adjacency and phases
# parcel adjacency graph (zoning.adjacency) and phase plan (zoning.sequencing)
SHARED_LENGTH_M: Final = "shared_length_m"
N_PARCELS: Final = "parcels"
CUMULATIVE_MU: Final = "cumulative_mu"
BLOCKS: Final = "blocks"
PERIMETER_M: Final = "perimeter_m"
COMPACTNESS: Final = "compactness"
PRIORITY_SHARE: Final = "priority_share"


class AdjacencyKind(StrEnum):
    """Why two parcels are neighbours in the adjacency graph."""

    SHARED = "shared"
    ACROSS_ROAD = "across_road"


class SequencingMethod(StrEnum):
    """How a phase plan is computed."""

    HEURISTIC = "heuristic"
    EXACT = "exact"


class UnscheduledReason(StrEnum):
    """Why a vacant or protected parcel is not opened in any phase."""

    PROTECTED = "protected"
    ZONE_HELD = "zone_held"
    CONSTRAINED = "constrained"
    LARGER_THAN_QUOTA = "larger_than_quota"
    ISOLATED = "isolated"
    CAPACITY_EXHAUSTED = "capacity_exhausted"
    QUOTA_EXHAUSTED = "quota_exhausted"
    FRAGMENTING = "fragmenting"
    NOT_NEEDED = "not_needed"
    OUTSIDE_TRACTS = "outside_tracts"


class UnplacedReason(StrEnum):
    """Why a project of the pipeline gets no land in the phase plan."""

    NO_FITTING_ZONE = "no_fitting_zone"
    ZONE_HELD = "zone_held"
    NO_CONTIGUOUS_LAND = "no_contiguous_land"
    QUOTA_EXHAUSTED = "quota_exhausted"
    CAPACITY_EXHAUSTED = "capacity_exhausted"
    NO_AREA = "no_area"
    SITE_UNAVAILABLE = "site_unavailable"
    NO_TRACT_ROOM = "no_tract_room"
    SITE_FAILS_A_RULE = "site_fails_a_rule"


# --------------------------------------------------------------------------- words for codes
#: the plain words a planner reads for each coded value (English source strings, translated
#: by :mod:`zoning.i18n`; see :func:`label`)
LABELS: Final[dict[type[StrEnum], dict[str, str]]] = {
    Verdict: {
        Verdict.FITS: N_("fits"),
        Verdict.CONDITIONAL: N_("fits with conditions"),
        Verdict.DOES_NOT_FIT: N_("does not fit"),
        Verdict.ERROR: N_("input error"),
    },
    FindingStatus: {
        FindingStatus.PASS: N_("pass"),
        FindingStatus.WARN: N_("warning"),
        FindingStatus.FAIL: N_("fail"),
    },
    ParcelStatus: {
        ParcelStatus.DEVELOPED: N_("developed"),
        ParcelStatus.COMMITTED: N_("committed"),
        ParcelStatus.VACANT: N_("vacant"),
        ParcelStatus.PROTECTED: N_("protected"),
    },
    DevelopmentMode: {
        DevelopmentMode.PRIORITY_CONTIGUOUS: N_("key area, developed first in contiguous tracts"),
        DevelopmentMode.MAINTAIN_CURRENT: N_("kept in current use in the short term"),
    },
    ConstraintKind: {
        ConstraintKind.RIVER_SETBACK: N_("river setback"),
        ConstraintKind.ECOLOGICAL_PROTECTION: N_("ecological protection"),
        ConstraintKind.NO_BUILD: N_("no-build corridor"),
        ConstraintKind.SENSITIVE_AREA: N_("sensitive area"),
    },
    InfrastructureKind: {
        InfrastructureKind.ROAD: N_("road"),
        InfrastructureKind.WATER_MAIN: N_("water main"),
        InfrastructureKind.POWER_LINE: N_("power line"),
        InfrastructureKind.GAS_MAIN: N_("gas main"),
        InfrastructureKind.WASTEWATER_PLANT: N_("wastewater plant"),
        InfrastructureKind.SUBSTATION: N_("substation"),
    },
    InfrastructureStatus: {
        InfrastructureStatus.BUILT: N_("built"),
        InfrastructureStatus.PLANNED: N_("planned"),
    },
    UnscheduledReason: {
        UnscheduledReason.PROTECTED: N_("protected land"),
        UnscheduledReason.ZONE_HELD: N_("zone kept in current use"),
        UnscheduledReason.CONSTRAINED: N_("under a no-build constraint"),
        UnscheduledReason.LARGER_THAN_QUOTA: N_("larger than one phase's quota"),
        UnscheduledReason.ISOLATED: N_("not connected to developed land"),
        UnscheduledReason.CAPACITY_EXHAUSTED: N_("no utility capacity left"),
        UnscheduledReason.QUOTA_EXHAUSTED: N_("quota used up by earlier land"),
        UnscheduledReason.FRAGMENTING: N_("would leave scattered patches"),
        UnscheduledReason.NOT_NEEDED: N_("not needed in the planned phases"),
        # marked and translated in the planning catalogue (zoning/planning/plan.py)
        UnscheduledReason.OUTSIDE_TRACTS: "not reached by the tracts the phases open",
    },
    UnplacedReason: {
        UnplacedReason.NO_FITTING_ZONE: N_("no zone where it fits"),
        UnplacedReason.ZONE_HELD: N_("its zone is kept in current use"),
        UnplacedReason.NO_CONTIGUOUS_LAND: N_("no contiguous vacant land large enough"),
        UnplacedReason.QUOTA_EXHAUSTED: N_("the phases' quota is used up"),
        UnplacedReason.CAPACITY_EXHAUSTED: N_("no utility capacity left"),
        UnplacedReason.NO_AREA: N_("no land area given"),
        UnplacedReason.SITE_UNAVAILABLE: N_("its site is not available"),
        # marked and translated in the planning catalogue (zoning/planning/plan.py)
        UnplacedReason.NO_TRACT_ROOM: "its phase opens all its tracts elsewhere",
        UnplacedReason.SITE_FAILS_A_RULE: "a binding rule fails on the land it could take",
    },
}


def label(member: StrEnum, lang: Lang | None = None) -> str:
    """Return the plain words for a coded value, in ``lang`` (default: the current language).

    Examples
    --------
    >>> label(Verdict.DOES_NOT_FIT, "zh")
    '不符合'
    >>> label(Verdict.DOES_NOT_FIT, "en")
    'does not fit'
    """
    words = LABELS.get(type(member), {}).get(member, str(member))
    return translate(words, get_lang() if lang is None else lang)


# --------------------------------------------------------------------------- the yearly ledger
# the enterprise table of a park (enterprises.csv; zoning.io.enterprises, zoning.ledger)
ENTERPRISE_ID: Final = "enterprise_id"
VALUE_ADDED_WAN: Final = "value_added_wan"
ENERGY_TCE: Final = "energy_tce"
EMPLOYEES: Final = "employees"
RD_WAN: Final = "rd_wan"
INVESTMENT_CONTRACT_WAN: Final = "investment_contract_wan"
INVESTMENT_ACTUAL_WAN: Final = "investment_actual_wan"
SUPPLIED_ON: Final = "supplied_on"
CONTRACT_START_BY: Final = "contract_start_by"
STARTED_ON: Final = "started_on"
CONTRACT_COMPLETE_BY: Final = "contract_complete_by"
COMPLETED_ON: Final = "completed_on"
BUILT_SHARE: Final = "built_share"
STOPPED_SINCE: Final = "stopped_since"

#: the date columns of the enterprise table (ISO 8601, YYYY-MM-DD; empty when not yet)
ENTERPRISE_DATE_COLUMNS: Final = (
    SUPPLIED_ON,
    CONTRACT_START_BY,
    STARTED_ON,
    CONTRACT_COMPLETE_BY,
    COMPLETED_ON,
    STOPPED_SINCE,
)
#: the numeric columns of the enterprise table (never negative)
ENTERPRISE_NUMBER_COLUMNS: Final = (
    OUTPUT_WAN,
    VALUE_ADDED_WAN,
    TAX_WAN,
    ENERGY_TCE,
    EMPLOYEES,
    RD_WAN,
    INVESTMENT_CONTRACT_WAN,
    INVESTMENT_ACTUAL_WAN,
    BUILT_SHARE,
)
#: every column of the enterprise table, in file order
ENTERPRISE_COLUMNS: Final = (
    ENTERPRISE_ID,
    NAME_ZH,
    NAME_EN,
    INDUSTRY_CODE,
    PARCEL_IDS,
    OUTPUT_WAN,
    VALUE_ADDED_WAN,
    TAX_WAN,
    ENERGY_TCE,
    EMPLOYEES,
    RD_WAN,
    INVESTMENT_CONTRACT_WAN,
    INVESTMENT_ACTUAL_WAN,
    SUPPLIED_ON,
    CONTRACT_START_BY,
    STARTED_ON,
    CONTRACT_COMPLETE_BY,
    COMPLETED_ON,
    BUILT_SHARE,
    STOPPED_SINCE,
)
#: columns a file may leave out (optional remarks)
ENTERPRISE_OPTIONAL_COLUMNS: Final = (NOTE,)

# results of the ledger (zoning.ledger)
SCORE: Final = "score"
GRADE: Final = "grade"
EXEMPTION: Final = "exemption"
PULLED_DOWN_BY: Final = "pulled_down_by"
DUE: Final = "due"
NEXT_DUE: Final = "next_due"
ARTICLE: Final = "article"
LAND_STATUS: Final = "land_status"
#: the day a ledger (and the redevelopment supply taken from it) is for
AS_OF: Final = "as_of"
#: the status a redevelopment parcel had before the phase plan offered it again
FORMER_STATUS: Final = "former_status"
INDICATOR: Final = "indicator"
VALUE: Final = "value"
TARGET: Final = "target"
GAP: Final = "gap"
DEFINITION: Final = "definition"


class Grade(StrEnum):
    """Grades of the per-mu evaluation (亩均效益评价), A best."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class LandStatus(StrEnum):
    """Status of a parcel on the land clock, most serious first."""

    IDLE_RECOVERY = "idle_recovery"
    IDLE_FEE = "idle_fee"
    INEFFICIENT = "inefficient"
    LATE_COMPLETION = "late_completion"
    NORMAL = "normal"
