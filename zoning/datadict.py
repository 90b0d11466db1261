"""The exchange data model: every exported layer, its fields, and their names in each format.

The layers a park is exported as (:data:`EXPORT_LAYERS`) are the park's own layers
(:data:`zoning.schema.LAYERS`, field for field) plus what the planner derives (areas, the zone
of a parcel, its development phase), the fit results and a metadata record. This module
describes them; :mod:`zoning.io.export` writes them and :func:`render_data_dictionary` turns
the description into ``docs/data-dictionary.md``, so the document cannot drift from the code:

>>> print(render_data_dictionary().splitlines()[0])
# Data dictionary of the exported layers

Shapefile (dBASE) field names are limited to 10 characters.
:func:`~zoning.shapefile_names.shapefile_field_names` maps full names to short ones,
deterministically and uniquely: names that fit are kept, the names in
:data:`~zoning.shapefile_names.SHAPEFILE_ABBREVIATIONS` get their documented short form, any
other long name is shortened by a fixed rule (drop inner vowels, then cut), and a clash gets
a numeric suffix.

>>> shapefile_field_names(["zone_id", "max_industrial_class", "development_mode"])
{'zone_id': 'zone_id', 'max_industrial_class': 'max_ind_cl', 'development_mode': 'dev_mode'}

After changing the schema, write the text of :func:`render_data_dictionary` to
``docs/data-dictionary.md`` (the command is in ``docs/exports.md``); a test fails while the
committed document is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from zoning import schema as s
from zoning.datadict_zh import field_title_zh
from zoning.shapefile_names import shapefile_field_names

ExportFieldType = Literal["str", "int", "float", "bool", "list[str]", "json"]
GeometryFamily = Literal["point", "line", "polygon"]
FieldOrigin = Literal["input", "derived", "label", "plan", "check", "ledger", "export"]

#: separator of list values joined into one shapefile text field (the values are codes and
#: rule ids, which never contain it)
LIST_SEPARATOR: Final = ";"
#: longest text a dBASE (shapefile) field holds, in bytes of UTF-8
SHAPEFILE_MAX_TEXT_BYTES: Final = 254

#: the geometry types of each family; a mixed layer is split by family in GPKG, SHP, PostGIS
GEOMETRY_FAMILIES: Final[dict[GeometryFamily, tuple[str, ...]]] = {
    "point": ("Point", "MultiPoint"),
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
}


@dataclass(frozen=True)
class ExportField:
    """One attribute of an exported layer.

    Parameters
    ----------
    name
        Full field name (GeoJSON, GeoPackage, PostGIS).
    type
        Logical type; :data:`TYPE_MAPPING` gives its form in each format.
    required
        Whether every feature carries a value (otherwise it may be null).
    description
        What the field means, with its unit.
    choices
        Allowed values of a categorical field.
    origin
        Where the value comes from: ``input`` (the park's files), ``derived`` (computed
        when the park is loaded, in EPSG:4543), ``label`` (the Chinese words of a code beside
        it), ``plan`` (the phase plan), ``check`` (the fit check), ``ledger`` (the yearly
        ledger, :mod:`zoning.ledger`) or ``export`` (written by the exporter).
    in_shapefile
        ``False`` for a field a dBASE table cannot hold (structured JSON); the other formats
        carry it.
    """

    name: str
    type: ExportFieldType
    required: bool
    description: str
    choices: tuple[str, ...] = ()
    origin: FieldOrigin = "input"
    in_shapefile: bool = True


@dataclass(frozen=True)
class ExportLayer:
    """One exported layer.

    Parameters
    ----------
    name
        Layer name (GeoJSON file stem, GeoPackage layer, shapefile stem, PostGIS table).
    description
        What the layer holds.
    key
        Fields that identify a feature within a park.
    families
        Geometry families the layer may hold; empty for a table without geometry.
    fields
        The attributes, in output order.
    geometry_required
        Whether every feature has a geometry (fit results without a site have none).
    shapefile_key_value
        Whether a shapefile set holds the layer as a key/value table (``key``, ``part``,
        ``value``) rather than one column per field, so that long texts are kept whole.
    """

    name: str
    description: str
    key: tuple[str, ...]
    families: tuple[GeometryFamily, ...]
    fields: tuple[ExportField, ...]
    geometry_required: bool = True
    shapefile_key_value: bool = False

    @property
    def field_names(self) -> tuple[str, ...]:
        """The names of the fields, in output order."""
        return tuple(f.name for f in self.fields)

    @property
    def shapefile_fields(self) -> tuple[ExportField, ...]:
        """The fields a shapefile of this layer carries."""
        return tuple(f for f in self.fields if f.in_shapefile)

    def part_name(self, family: GeometryFamily) -> str:
        """Name of the part of this layer holding ``family`` in GPKG, SHP and PostGIS.

        A layer of one family keeps its name; a mixed layer (infrastructure: points and
        lines) is split into ``<layer>_point``, ``<layer>_line``, ``<layer>_polygon``.
        """
        return self.name if len(self.families) <= 1 else f"{self.name}_{family}"

    def field(self, name: str) -> ExportField:
        """Return the field called ``name``."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"layer {self.name!r} has no field {name!r}")


def _from_schema(spec: s.FieldSpec) -> ExportField:
    return ExportField(
        name=spec.name,
        type=spec.type,
        required=spec.required,
        description=spec.description,
        choices=spec.choices,
        origin="input",
    )


def _families(layer: s.LayerSchema) -> tuple[GeometryFamily, ...]:
    return tuple(
        family
        for family, types in GEOMETRY_FAMILIES.items()
        if any(t in types for t in layer.geometry_types)
    )


_AREA_FIELDS = (
    ExportField(s.AREA_M2, "float", True, "Area in square metres (EPSG:4543).", origin="derived"),
    ExportField(s.AREA_HA, "float", True, "Area in hectares.", origin="derived"),
    ExportField(s.AREA_MU, "float", True, "Area in mu (亩), 1 mu = 10000/15 m².", origin="derived"),
)


def _label(name: str, of: str, what: str) -> ExportField:
    """Return a label column: the Chinese words of the code column ``of``, or null."""
    return ExportField(
        name, "str", False, f"{what} of {of}, in Chinese; null when unknown.", origin="label"
    )


#: label columns inserted after their code column, per park layer
_LABELS: Final[dict[str, tuple[ExportField, ...]]] = {
    s.MAX_INDUSTRIAL_CLASS: (
        _label(f"{s.MAX_INDUSTRIAL_CLASS}_zh", s.MAX_INDUSTRIAL_CLASS, "Land-use name (用地名称)"),
    ),
    s.DEVELOPMENT_MODE: (_label(f"{s.DEVELOPMENT_MODE}_zh", s.DEVELOPMENT_MODE, "The words"),),
    s.LAND_USE_CODE: (_label("land_use_name_zh", s.LAND_USE_CODE, "Land-use name (用地名称)"),),
    s.INDUSTRY_CODE: (
        _label("industry_name_zh", s.INDUSTRY_CODE, "Industry name (rulebook; 行业名称)"),
    ),
}


def _with_labels(fields: list[ExportField]) -> list[ExportField]:
    out: list[ExportField] = []
    for spec in fields:
        out.append(spec)
        out += _LABELS.get(spec.name, ())
        if spec.choices and spec.name in (s.STATUS, "kind", s.VERDICT, s.PHASE_REASON):
            out.append(_label(f"{spec.name}_zh", spec.name, "The words"))
    return out


def _with_labels_of(*fields: ExportField) -> tuple[ExportField, ...]:
    return tuple(_with_labels(list(fields)))


def _park_layer(
    layer: s.LayerSchema, extra: tuple[ExportField, ...] = (), *, after: str | None = None
) -> ExportLayer:
    fields = [_from_schema(f) for f in layer.fields]
    position = len(fields) if after is None else [f.name for f in fields].index(after) + 1
    fields[position:position] = extra
    fields = _with_labels(fields)
    return ExportLayer(
        name=layer.name,
        description=layer.description,
        key=(layer.id_field,),
        families=_families(layer),
        fields=tuple(fields),
    )


ZONES: Final = _park_layer(s.ZONES, _AREA_FIELDS)

PARCELS: Final = _park_layer(
    s.PARCELS,
    (
        ExportField(
            s.ZONE_ID,
            "str",
            True,
            "Zone the parcel belongs to, derived spatially: the zone that covers it "
            "(covered_by, within 0.5 m).",
            origin="derived",
        ),
        *_AREA_FIELDS,
        ExportField(
            s.PHASE,
            "int",
            False,
            "Development phase of the phase plan (1 opens first); null when the parcel is "
            "not opened by the plan or no plan was made.",
            origin="plan",
        ),
        ExportField(
            s.PHASE_REASON,
            "str",
            False,
            "Why the plan leaves a vacant or protected parcel closed; null for parcels it "
            "opens, built parcels, and without a plan.",
            tuple(s.UnscheduledReason),
            origin="plan",
        ),
        *(
            ExportField(name, "str", False, text, choices, origin="ledger")
            for name, text, choices in (
                (
                    "holder_id",
                    "Enterprise holding the parcel (enterprises.csv); null when none holds it "
                    "or the park has no enterprise table.",
                    (),
                ),
                ("holder_name_zh", "Name of the holder, in Chinese.", ()),
                (
                    s.GRADE,
                    "Per-mu performance grade of the holder (亩均效益等级, A best); null when "
                    "not graded (exempt, not producing yet) or without a ledger.",
                    (),
                ),
                (
                    s.LAND_STATUS,
                    "Land clock of the parcel on the ledger's day: idle_recovery (idle two "
                    "years), idle_fee (idle one year), inefficient (低效用地), late_completion "
                    "or normal; null without a ledger.",
                    tuple(s.LandStatus),
                ),
                ("land_status_zh", "The words of land_status, in Chinese.", ()),
                ("land_reason_zh", "Why the land clock gives this status, in Chinese.", ()),
                ("land_reason_en", "Why the land clock gives this status, in English.", ()),
                ("land_due", "Day the status fell due, YYYY-MM-DD; null when none.", ()),
                (
                    "land_next_due",
                    "Next day the land clock acts on the parcel, YYYY-MM-DD; null when none.",
                    (),
                ),
                ("land_article", "The rule and article behind the status.", ()),
            )
        ),
    ),
)

CONSTRAINTS: Final = _park_layer(s.CONSTRAINTS)
INFRASTRUCTURE: Final = _park_layer(s.INFRASTRUCTURE)
CONTEXT: Final = _park_layer(s.CONTEXT)

FIT_RESULTS: Final = ExportLayer(
    name="fit_results",
    description=(
        "Fit check of each proposed project against each zone: the verdict and the rules "
        "that decide it. The geometry is the project's site when it has one, else null."
    ),
    key=(s.PROJECT_ID, s.ZONE_ID),
    families=("polygon",),
    geometry_required=False,
    fields=_with_labels_of(
        ExportField(s.PROJECT_ID, "str", True, "Project identifier.", origin="check"),
        ExportField(s.NAME, "str", True, "Project name.", origin="check"),
        ExportField(s.INDUSTRY_CODE, "str", True, "GB/T 4754-2017 industry code.", origin="check"),
        ExportField(s.ZONE_ID, "str", True, "Zone checked.", origin="check"),
        ExportField(
            s.VERDICT,
            "str",
            True,
            "Outcome for this zone: fits, conditional (fits with warnings or conditions), "
            "does_not_fit, or error (the project row itself is invalid).",
            tuple(s.Verdict),
            origin="check",
        ),
        ExportField(
            s.BEST, "bool", True, "Whether this zone is the project's best zone.", origin="check"
        ),
        ExportField(s.AREA_MU, "float", False, "Land the project needs, in mu.", origin="check"),
        ExportField(
            s.FAILED_RULES,
            "list[str]",
            True,
            "Identifiers of the rules the project fails in this zone.",
            origin="check",
        ),
        ExportField(
            s.WARNED_RULES,
            "list[str]",
            True,
            "Identifiers of the rules that give a warning (advisory thresholds, conditions).",
            origin="check",
        ),
        ExportField(
            s.FAILURES,
            "list[str]",
            True,
            "Why it fails: one 'rule: message' line per failed rule.",
            origin="check",
            in_shapefile=False,
        ),
        ExportField(
            s.FINDINGS,
            "json",
            True,
            "Every rule checked: array of objects with rule, status (pass/warn/fail), message, "
            "measured, required, unit and source.",
            origin="check",
            in_shapefile=False,
        ),
    ),
)

CANDIDATE_SITES: Final = ExportLayer(
    name="candidate_sites",
    description=(
        "Candidate sites proposed for the projects that have none (zoning.siting."
        "propose_sites): vacant parcels, alone or contiguous, ranked per project (1 best) "
        "with the reason. The geometry is the union of the parcels. Empty without projects."
    ),
    key=(s.PROJECT_ID, s.RANK),
    families=("polygon",),
    fields=(
        ExportField(s.PROJECT_ID, "str", True, "Project identifier.", origin="check"),
        ExportField(s.ZONE_ID, "str", True, "Zone of the candidate.", origin="check"),
        ExportField(s.RANK, "int", True, "Rank of the candidate for its project, 1 best.",
                    origin="check"),
        ExportField(s.PARCEL_IDS, "list[str]", True, "Vacant parcels of the candidate.",
                    origin="check"),
        ExportField(s.CANDIDATE_MU, "float", True, "Land of the candidate, mu.", origin="check"),
        ExportField(s.SPARE_MU, "float", True, "Land beyond the project's need, mu.",
                    origin="check"),
        ExportField(
            s.CHAIN_DISTANCE_M,
            "float",
            False,
            "Distance to the nearest producer of the chain product, m; null when none applies.",
            origin="check",
        ),
        ExportField(
            s.SENSITIVE_DISTANCE_M,
            "float",
            False,
            "Distance to the nearest sensitive use, m; null when none applies.",
            origin="check",
        ),
        ExportField(s.REASON, "str", True, "Why it ranks there (the terms of its score).",
                    origin="check"),
    ),
)  # fmt: skip


def _metres_field(kind: str, words: str) -> ExportField:
    return ExportField(
        f"{kind}_m",
        "float",
        True,
        f"Metres of planned {words} built for this tract in its phase (first tract of the phase "
        "that needs a segment pays it).",
        origin="plan",
    )


TRACTS: Final = ExportLayer(
    name="tracts",
    description=(
        "Tracts (连片地块) the phase plan opens: each a connected group of parcels opened in "
        "one phase (across local roads), with its own compactness, the planned roads and "
        "utility lines built for it, the projects placed on it and why it opens in its phase. "
        "The geometry is the union of its parcels. Empty without a plan."
    ),
    key=("tract_id",),
    families=("polygon",),
    fields=(
        ExportField("tract_id", "str", True, "Tract identifier, P<phase>-T<k>.", origin="plan"),
        ExportField(s.PHASE, "int", True, "Phase that opens the tract.", origin="plan"),
        ExportField(
            "kind",
            "str",
            True,
            "extension (grows the developed area) or infill (serviced gap inside the "
            "developed core).",
            ("extension", "infill"),
            origin="plan",
        ),
        ExportField(s.PARCEL_IDS, "list[str]", True, "Parcels of the tract.", origin="plan"),
        ExportField(s.AREA_MU, "float", True, "Land of the tract, mu.", origin="plan"),
        ExportField(
            "phase_share", "float", True, "Share of the phase's land in this tract.", origin="plan"
        ),
        ExportField(
            s.COMPACTNESS,
            "float",
            True,
            "Convex-hull ratio of the tract: its area over the area of its convex hull (1 for "
            "a convex tract).",
            origin="plan",
        ),
        _metres_field("road", "road"),
        _metres_field("water_main", "water main"),
        _metres_field("power_line", "power line"),
        _metres_field("gas_main", "gas main"),
        ExportField(
            "infrastructure_cost_wan_yuan",
            "float",
            True,
            "Cost of those lines at the rulebook's unit costs, 万元.",
            origin="plan",
        ),
        ExportField(
            "segment_ids",
            "list[str]",
            True,
            "Planned segments built for it (<infra_id>/<k>).",
            origin="plan",
        ),
        ExportField(
            "project_ids", "list[str]", True, "Projects placed on the tract.", origin="plan"
        ),
        ExportField(
            "why_zh",
            "str",
            True,
            "Why this tract opens in this phase, in Chinese.",
            origin="plan",
            in_shapefile=False,
        ),
        ExportField(
            "why_en",
            "str",
            True,
            "Why this tract opens in this phase, in English.",
            origin="plan",
            in_shapefile=False,
        ),
    ),
)

PLACEMENTS: Final = ExportLayer(
    name="placements",
    description=(
        "Projects the phase plan places: the land each gets, in which zone and phase, and the "
        "tract of that phase it lies in. The geometry is the union of its parcels. Empty "
        "without a plan or without projects."
    ),
    key=(s.PROJECT_ID,),
    families=("polygon",),
    fields=(
        ExportField(s.PROJECT_ID, "str", True, "Project identifier.", origin="plan"),
        ExportField(s.ZONE_ID, "str", True, "Zone the project is placed in.", origin="plan"),
        ExportField(s.PHASE, "int", True, "Phase whose land it gets.", origin="plan"),
        ExportField("tract_id", "str", False, "Tract the land lies in.", origin="plan"),
        ExportField(s.PARCEL_IDS, "list[str]", True, "Parcels given to it.", origin="plan"),
        ExportField(s.AREA_MU, "float", True, "Land given, mu.", origin="plan"),
    ),
)

METADATA: Final = ExportLayer(
    name="metadata",
    description=(
        "One record describing the export: the park, rulebook version, when and by which "
        "software it was made, the CRS of the coordinates, the illustrative-data notice and "
        "the credits of the real data included. In a shapefile set it is the key/value table "
        "metadata.dbf (fields key, part, value; a value longer than 254 bytes continues in "
        "the next rows, part 1, 2, ...)."
    ),
    key=(s.PARK_ID,),
    families=(),
    shapefile_key_value=True,
    fields=(
        ExportField(s.PARK_ID, "str", True, "Park identifier.", origin="export"),
        ExportField(s.PARK_NAME, "str", True, "Park name, Chinese and English.", origin="export"),
        ExportField(
            s.RULEBOOK_VERSION, "str", True, "Version of the park's rulebook.", origin="export"
        ),
        ExportField(
            s.GENERATED_AT,
            "str",
            True,
            "When the export was made, ISO 8601 in UTC (2026-01-31T08:00:00Z).",
            origin="export",
        ),
        ExportField(
            s.SOFTWARE_VERSION,
            "str",
            True,
            "Software and version that wrote the export (zoning 0.1.0).",
            origin="export",
        ),
        ExportField(
            s.CRS,
            "str",
            True,
            "Coordinate reference system of the geometries in this export (EPSG:4490, "
            "EPSG:4543 or EPSG:4326; always EPSG:4326 in GeoJSON).",
            origin="export",
        ),
        ExportField(
            s.PHASE_QUOTA_MU,
            "float",
            False,
            "Land opened per phase by the phase plan, mu; null without a plan.",
            origin="plan",
        ),
        ExportField(
            s.PHASES,
            "int",
            False,
            "Number of phases of the phase plan; null without a plan.",
            origin="plan",
        ),
        ExportField(
            "max_tracts_per_phase",
            "int",
            False,
            "Most tracts a phase of the plan may open; null without a plan.",
            origin="plan",
        ),
        ExportField(
            "plan_id",
            "str",
            False,
            "Fingerprint of the phase plan held (which parcel opens in which phase, which "
            "project where): the same as the plan's plan_id; null without a plan.",
            origin="plan",
        ),
        ExportField(
            "ledger_as_of",
            "str",
            False,
            "Day of the yearly ledger whose grades and land clock the parcels carry, "
            "YYYY-MM-DD; null when the park has no enterprise table.",
            origin="ledger",
        ),
        ExportField(
            s.ILLUSTRATIVE,
            "bool",
            True,
            "Whether the layout is illustrative rather than an official plan.",
            origin="export",
        ),
        ExportField(
            s.NOTICE,
            "str",
            False,
            "The illustrative-data notice to show with any use of the data.",
            origin="export",
        ),
        ExportField(
            s.CREDITS,
            "list[str]",
            True,
            "Credit lines of the real data included (data — source — licence).",
            origin="export",
        ),
    ),
)

#: the exported layers, in output order
EXPORT_LAYERS: Final = (
    ZONES,
    PARCELS,
    CONSTRAINTS,
    INFRASTRUCTURE,
    CONTEXT,
    FIT_RESULTS,
    CANDIDATE_SITES,
    TRACTS,
    PLACEMENTS,
    METADATA,
)
EXPORT_LAYER_BY_NAME: Final = {layer.name: layer for layer in EXPORT_LAYERS}

#: how each logical type is stored in each format
TYPE_MAPPING: Final[dict[ExportFieldType, tuple[str, str, str, str]]] = {
    "str": ("string", "TEXT", "C (text, up to 254 bytes)", "text"),
    "int": ("number", "INTEGER (64-bit)", "N (integer)", "bigint"),
    "float": ("number", "REAL", "N (24 digits, up to 15 decimals)", "double precision"),
    "bool": ("true / false", "INTEGER (Boolean subtype)", "L (T / F)", "boolean"),
    "list[str]": (
        "array of strings",
        "TEXT (JSON subtype): JSON array",
        f"C: values joined with '{LIST_SEPARATOR}'",
        "text[]",
    ),
    "json": ("array / object", "TEXT (JSON subtype)", "not written", "jsonb"),
}


def _describe(field: ExportField) -> str:
    text = field.description
    if field.choices:
        text += " One of: " + ", ".join(f"`{c}`" for c in field.choices) + "."
    return text.replace("|", "\\|")


def _layer_section(layer: ExportLayer) -> list[str]:
    lines = [f"## `{layer.name}`", "", layer.description, ""]
    if not layer.families:
        geometry = "none (a table of attributes)"
    else:
        types = " / ".join(t for fam in layer.families for t in GEOMETRY_FAMILIES[fam])
        geometry = types + ("" if layer.geometry_required else ", or null")
    lines.append(f"- **Geometry:** {geometry}")
    if len(layer.families) > 1:
        parts = ", ".join(f"`{layer.part_name(f)}`" for f in layer.families)
        lines.append(
            f"- **Split by geometry** in every format (one GeoJSON file, GeoPackage layer, "
            f"shapefile or PostGIS table per geometry type): {parts}."
        )
    lines.append("- **Key:** " + ", ".join(f"`{k}`" for k in layer.key))
    lines += [
        "",
        "| field | 标题 | type | required | origin | shapefile | description |",
        "|---|---|---|---|---|---|---|",
    ]
    short = shapefile_field_names(f.name for f in layer.shapefile_fields)
    for field in layer.fields:
        if layer.shapefile_key_value:
            shp = f"rows with key `{field.name}`"
        else:
            shp = f"`{short[field.name]}`" if field.name in short else "—"
        lines.append(
            f"| `{field.name}` | {field_title_zh(layer.name, field.name)} | {field.type} | "
            f"{'yes' if field.required else 'no'} | "
            f"{field.origin} | {shp} | {_describe(field)} |"
        )
    lines.append("")
    return lines


def render_data_dictionary() -> str:
    """Return the data dictionary of the exported layers as Markdown.

    The text is generated from :data:`EXPORT_LAYERS` (itself built from
    :data:`zoning.schema.LAYERS`), and is deterministic: ``docs/data-dictionary.md`` is
    exactly this text, and a test keeps it so.
    """
    lines = [
        "# Data dictionary of the exported layers",
        "",
        "<!-- Generated from zoning/schema.py and zoning/datadict.py by "
        "zoning.datadict.render_data_dictionary(); do not edit by hand. -->",
        "",
        "`zoning export` and `zoning.io.export.export_park` write these layers as GeoJSON "
        "(RFC 7946, WGS84), one GeoPackage, a set of shapefiles, or PostGIS tables; "
        "[exports.md](exports.md) explains the formats. Every field of every layer is "
        "listed here. The `shapefile` column gives the field's 10-character dBASE name "
        "(— when a shapefile does not carry the field); the same mapping ships with each "
        "shapefile set as `field_names.csv`. The `标题` column is the field's Chinese title "
        "(zoning/datadict_zh.py): the GeoPackage holds it with the Chinese and English "
        "descriptions in `gpkg_data_columns` (QGIS shows it as the field alias), PostGIS "
        "as the column comment.",
        "",
        "Null values: a missing value is null in every format (JSON `null`, SQL `NULL`, an "
        "empty dBASE value), never an empty text, so that `WHERE industry_code IS NULL` "
        "finds it. The `origin` column says where a value comes from: `input` (the "
        "park's files), `derived` (computed when the park is loaded, in EPSG:4543), `label` "
        "(the Chinese words of the code beside it), `plan` (the phase plan), `check` (the "
        "fit check and the candidate sites), `ledger` (the yearly ledger, when the park has "
        "`enterprises.csv`) or `export` (written by the exporter).",
        "",
        "## Types in each format",
        "",
        "| type | GeoJSON | GeoPackage | Shapefile (dBASE) | PostGIS |",
        "|---|---|---|---|---|",
    ]
    for type_name, (gj, gpkg, shp, pg) in TYPE_MAPPING.items():
        lines.append(f"| {type_name} | {gj} | {gpkg} | {shp} | {pg} |")
    lines += [
        "",
        "Geometry: GeoJSON keeps each feature's own type; GeoPackage, Shapefile and PostGIS "
        "store polygons as MultiPolygon and lines as MultiLineString, one geometry type per "
        "layer. In PostGIS every table also has a `park_id` column (text) and a `geom` "
        "geometry column; the key of each table is `park_id` plus the layer key.",
        "",
    ]
    for layer in EXPORT_LAYERS:
        lines += _layer_section(layer)
    return "\n".join(lines).rstrip("\n") + "\n"


__all__ = [
    "CANDIDATE_SITES",
    "CONSTRAINTS",
    "CONTEXT",
    "EXPORT_LAYERS",
    "EXPORT_LAYER_BY_NAME",
    "FIT_RESULTS",
    "GEOMETRY_FAMILIES",
    "INFRASTRUCTURE",
    "LIST_SEPARATOR",
    "METADATA",
    "PARCELS",
    "PLACEMENTS",
    "SHAPEFILE_MAX_TEXT_BYTES",
    "TRACTS",
    "TYPE_MAPPING",
    "ZONES",
    "ExportField",
    "ExportFieldType",
    "ExportLayer",
    "FieldOrigin",
    "GeometryFamily",
    "render_data_dictionary",
    "shapefile_field_names",
]
