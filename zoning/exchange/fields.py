"""Field mapping: the delivery's field names and values to the park's.

A :class:`LayerMapping` says, for one layer, which source field feeds which of our fields
(``fields``), how coded values translate (``values``), which values are the same for every
feature (``constants``), per-feature values by id (``rows``) and which field holds an area to
check against the geometry (``area_field``, ``area_unit``). It comes from the mapping file
(TOML, read by :mod:`zoning.io.importing`); what it leaves out is matched by the defaults:
our own names, then the usual Chinese names (:data:`DEFAULT_ALIASES`) and their values
(:data:`DEFAULT_VALUES`). Names are compared after Unicode NFKC normalisation, ignoring case,
spaces and a unit in brackets (``用地面积（亩）`` matches ``用地面积``).

Examples
--------
>>> import pandas as pd
>>> from zoning import schema as s
>>> frame = pd.DataFrame({"地块编号": ["P1"], "用地代码": ["M2"], "现状": ["已建"]})
>>> out, lines, problems = map_fields(frame, s.PARCELS, LayerMapping(), where="parcels.shp")
>>> out.to_dict("records")
[{'parcel_id': 'P1', 'land_use_code': 'M2', 'status': 'developed'}]
>>> problems
[]
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.errors import Problem, Severity
from zoning.i18n import _

#: our field -> the names the administration's files commonly give it, per layer
DEFAULT_ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "zones": {
        s.ZONE_ID: ("分区编号", "分区代码", "功能区编号", "片区编号", "编号", "FQBH", "FQDM"),
        s.NAME_ZH: ("分区名称", "功能区名称", "片区名称", "名称", "FQMC"),
        s.NAME_EN: ("英文名称", "英文名"),
        s.PURPOSE_ZH: ("功能定位", "主导功能", "发展方向"),
        s.PURPOSE_EN: ("英文功能定位",),
        s.PERMITTED: ("允许类", "准入产业", "允许行业", "鼓励类"),
        s.CONDITIONAL: ("限制类", "有条件准入", "条件准入"),
        s.PROHIBITED: ("禁止类", "禁止行业", "禁止准入"),
        s.MAX_INDUSTRIAL_CLASS: ("最高工业类别", "工业用地类别", "最高工业用地类别", "工业类别"),
        s.PRIORITY: ("开发时序", "开发优先级", "优先级", "时序"),
        s.DEVELOPMENT_MODE: ("开发模式", "开发方式"),
    },
    "parcels": {
        s.PARCEL_ID: ("地块编号", "地块编码", "地块号", "宗地编号", "宗地代码", "编号", "DKBH"),
        s.LAND_USE_CODE: (
            "用地代码",
            "用地性质",
            "用地类型",
            "用地分类",
            "地类代码",
            "地类编码",
            "YDDM",
            "YDXZ",
            "DLBM",
        ),
        s.STATUS: ("现状", "用地现状", "现状情况", "状态", "XZ"),
        s.OCCUPANT: ("使用权人", "权利人", "用地单位", "企业名称", "单位名称"),
        s.INDUSTRY_CODE: ("行业代码", "行业分类代码", "国民经济行业代码", "HYDM"),
        s.WASTEWATER_TPD: ("污水排放量", "废水排放量", "排水量"),
        s.POWER_MW: ("用电负荷", "电力负荷"),
        s.FLOOR_AREA_M2: ("建筑面积", "总建筑面积"),
        s.FOOTPRINT_M2: ("建筑基底面积", "基底面积", "建筑占地面积"),
    },
    "constraints": {
        s.CONSTRAINT_ID: ("编号", "管控编号", "约束编号"),
        s.KIND: ("类型", "管控类型", "约束类型"),
        s.NAME: ("名称",),
        s.SOURCE: ("来源", "数据来源", "依据"),
        s.NOTE: ("备注", "说明"),
    },
    "infrastructure": {
        s.INFRA_ID: ("编号", "设施编号"),
        s.KIND: ("设施类型", "类型"),
        s.NAME: ("名称", "设施名称"),
        s.STATUS: ("状态", "现状", "建设状态"),
        s.CAPACITY: ("规模", "容量", "设计规模"),
        s.CAPACITY_UNIT: ("单位", "容量单位", "规模单位"),
        s.WIDTH_M: ("宽度", "红线宽度", "道路宽度"),
        s.SOURCE: ("来源", "数据来源"),
    },
}

#: our field -> {their value: our value}, per layer (compared after stripping spaces)
DEFAULT_VALUES: Final[dict[str, dict[str, dict[str, str]]]] = {
    "zones": {
        s.DEVELOPMENT_MODE: {
            "重点区域优先连片开发": "priority_contiguous",
            "优先连片开发": "priority_contiguous",
            "连片开发": "priority_contiguous",
            "维持现状": "maintain_current",
            "维持现状功能": "maintain_current",
        },
    },
    "parcels": {
        s.STATUS: {
            "已建": "developed",
            "已建成": "developed",
            "建成": "developed",
            "现状建成": "developed",
            "现状": "developed",
            "已批": "committed",
            "已供": "committed",
            "已出让": "committed",
            "已批未建": "committed",
            "已供未建": "committed",
            "在建": "committed",
            "空闲": "vacant",
            "空地": "vacant",
            "未利用": "vacant",
            "未供": "vacant",
            "待供": "vacant",
            "储备": "vacant",
            "保护": "protected",
            "生态保护": "protected",
            "禁建": "protected",
        },
    },
    "constraints": {
        s.KIND: {
            "河道退让": "river_setback",
            "河道蓝线": "river_setback",
            "蓝线": "river_setback",
            "生态保护红线": "ecological_protection",
            "生态保护": "ecological_protection",
            "禁建区": "no_build",
            "禁止建设区": "no_build",
            "敏感区": "sensitive_area",
            "环境敏感区": "sensitive_area",
        },
    },
    "infrastructure": {
        s.KIND: {
            "道路": "road",
            "给水管": "water_main",
            "供水管": "water_main",
            "给水干管": "water_main",
            "电力线": "power_line",
            "输电线": "power_line",
            "高压线": "power_line",
            "燃气管": "gas_main",
            "燃气干管": "gas_main",
            "污水处理厂": "wastewater_plant",
            "变电站": "substation",
        },
        s.STATUS: {"已建": "built", "现状": "built", "建成": "built", "规划": "planned"},
    },
}

#: names of a field holding an area, checked against the geometry (never copied)
AREA_ALIASES: Final = ("面积", "用地面积", "地块面积", "占地面积", "MJ", "SHAPE_AREA", "AREA")
AREA_UNITS: Final = ("m2", "mu", "ha")
#: relative difference between a stated area and the geometry's that warns
AREA_TOLERANCE: Final = 0.01
_LIST_SPLIT: Final = re.compile(r"[;,、，；\s]+")
#: a unit written after an area field's name (面积亩, AREA_HA)
_UNIT_SUFFIX: Final = re.compile(r"(亩|公顷|平方米|_?M2|_?MU|_?HA)$")


@dataclass(frozen=True)
class LayerMapping:
    """How one delivered layer maps to ours (the mapping file's table for the layer)."""

    fields: Mapping[str, str] = field(default_factory=dict)
    value_tables: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)
    rows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    area_field: str | None = None
    area_unit: str | None = None


@dataclass(frozen=True)
class FieldMapping:
    """The whole mapping file: a :class:`LayerMapping` per layer and land-use code readings."""

    layers: Mapping[str, LayerMapping] = field(default_factory=dict)
    land_use_codes: Mapping[str, str] = field(default_factory=dict)

    def layer(self, name: str) -> LayerMapping:
        """Return the mapping of one layer (empty when the file says nothing about it)."""
        return self.layers.get(name, LayerMapping())


_LAYER_KEYS: Final = ("fields", "values", "constants", "rows", "area_field", "area_unit")


def mapping_from_dict(data: Mapping[str, Any], *, where: str) -> tuple[FieldMapping, list[Problem]]:
    """Build a :class:`FieldMapping` from the parsed mapping file; list every defect.

    Examples
    --------
    >>> m, problems = mapping_from_dict({"parcels": {"fields": {"parcel_id": "DKBH"}}},
    ...                                 where="map.toml")
    >>> m.layer("parcels").fields, problems
    ({'parcel_id': 'DKBH'}, [])
    """
    problems: list[Problem] = []
    layers: dict[str, LayerMapping] = {}
    codes: dict[str, str] = {}
    for key, table in data.items():
        if key == "land_use_codes" and isinstance(table, Mapping):
            codes = {str(k): str(v) for k, v in table.items()}
            continue
        if key not in DEFAULT_ALIASES or not isinstance(table, Mapping):
            problems.append(
                Problem(
                    where,
                    _("unknown table [{key}] in the mapping file").format(key=key),
                    expected=", ".join(f"[{k}]" for k in (*DEFAULT_ALIASES, "land_use_codes")),
                )
            )
            continue
        schema = s.LAYER_BY_NAME[key]
        ours = {f.name for f in schema.fields}
        for sub in table:
            if sub not in _LAYER_KEYS:
                problems.append(
                    Problem(
                        where,
                        _("unknown key {key}.{sub} in the mapping file").format(key=key, sub=sub),
                        expected=", ".join(_LAYER_KEYS),
                    )
                )
        named = {
            **dict(table.get("fields", {})),
            **dict(table.get("values", {})),
            **dict(table.get("constants", {})),
        }
        for target in named:
            if target not in ours:
                problems.append(
                    Problem(
                        where,
                        _("[{key}] names {target!r}, which is not a field of {key}").format(
                            key=key, target=target
                        ),
                        expected=", ".join(sorted(ours)),
                        fix=_nearest_hint(str(target), sorted(ours)),
                    )
                )
        unit = table.get("area_unit")
        if unit is not None and unit not in AREA_UNITS:
            problems.append(
                Problem(
                    where,
                    _("unknown area unit {unit!r}").format(unit=unit),
                    expected=" | ".join(AREA_UNITS),
                )
            )
        layers[key] = LayerMapping(
            fields={str(k): str(v) for k, v in dict(table.get("fields", {})).items()},
            value_tables={
                str(k): {str(a): str(b) for a, b in dict(v).items()}
                for k, v in dict(table.get("values", {})).items()
            },
            constants=dict(table.get("constants", {})),
            rows={str(k): dict(v) for k, v in dict(table.get("rows", {})).items()},
            area_field=table.get("area_field"),
            area_unit=unit,
        )
    return FieldMapping(layers, codes), problems


def normalise_name(name: str) -> str:
    """Return a field name as compared: NFKC, upper case, no spaces, no unit in brackets.

    Examples
    --------
    >>> normalise_name("用地面积（亩）"), normalise_name(" Parcel_ID ")
    ('用地面积', 'PARCEL_ID')
    """
    text = unicodedata.normalize("NFKC", name).upper()
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    return re.sub(r"\s+", "", text)


def _nearest_hint(name: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return _("did you mean {name}?").format(name=near[0]) if near else ""


def _to_str(col: pd.Series) -> pd.Series:
    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = str(value).strip()
        return text if text else None

    return col.map(one).astype(object)


def _to_list(value: object) -> list[str]:
    if isinstance(value, list | tuple | np.ndarray):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return [part for part in _LIST_SPLIT.split(text) if part]


def _typed(col: pd.Series, spec: s.FieldSpec) -> pd.Series:
    if spec.type == "str":
        return _to_str(col)
    if spec.type == "list[str]":
        return pd.Series([_to_list(v) for v in col], index=col.index, dtype=object)
    if spec.type in ("int", "float"):
        numbers = pd.to_numeric(col, errors="coerce")
        if numbers[col.notna()].notna().all():  # otherwise validation names the bad values
            return numbers
    return col


def map_fields(
    frame: pd.DataFrame, layer: s.LayerSchema, mapping: LayerMapping, *, where: str
) -> tuple[pd.DataFrame, list[str], list[Problem]]:
    """Rename and translate a delivered layer's attributes into ours.

    Parameters
    ----------
    frame
        The delivered attributes (a geometry column, if any, is kept as it is).
    layer
        Our schema of the layer.
    mapping
        The mapping file's table for this layer (may be empty: defaults apply).
    where
        The source, for messages.

    Returns
    -------
    tuple
        The frame with our column names and values (unmatched source fields dropped), the
        report lines (which field matched how, which values were translated) and the
        problems (a mapping naming a missing field, unknown values).
    """
    problems: list[Problem] = []
    lines: list[str] = []
    geometry = (
        frame.geometry.name
        if hasattr(frame, "geometry") and isinstance(getattr(frame, "geometry", None), pd.Series)
        else None
    )
    columns = [c for c in frame.columns if c != geometry]
    chosen = _fields_from_mapping(layer, mapping, columns, where=where, problems=problems)
    _match_by_name(layer, mapping, columns, chosen)
    out = _renamed(frame, layer, mapping, chosen, lines)
    if mapping.rows and layer.id_field in out.columns:
        problems += _apply_row_values(out, layer, mapping, where=where, lines=lines)
    for spec in layer.fields:
        if spec.name in out.columns:
            out[spec.name] = _typed(out[spec.name], spec)
    if s.MAX_INDUSTRIAL_CLASS in out.columns and layer is s.ZONES:
        _convert_industrial_classes(out, lines)
    problems += _translate_values(out, layer, mapping, where=where, lines=lines)
    used = {source for source, _how in chosen.values()}
    ignored = [c for c in columns if c not in used]
    area = _area_source(columns, mapping)
    if area is not None:
        ignored = [c for c in ignored if c != area]
    if ignored:
        lines.append("  " + _("not used: {fields}").format(fields=", ".join(map(str, ignored))))
    if area is not None:
        out.attrs["area_source"] = area
    if geometry is not None:
        out[geometry] = frame[geometry]
    return out, lines, problems


def _fields_from_mapping(
    layer: s.LayerSchema,
    mapping: LayerMapping,
    columns: list[Any],
    *,
    where: str,
    problems: list[Problem],
) -> dict[str, tuple[str, str]]:
    """Return the fields the mapping file names, ``{target: (source, how)}``; report the missing."""
    chosen: dict[str, tuple[str, str]] = {}
    for spec in layer.fields:
        target = spec.name
        if target not in mapping.fields:
            continue
        source = mapping.fields[target]
        if source in columns:
            chosen[target] = (source, _("mapping file"))
            continue
        problems.append(
            Problem(
                where,
                _(
                    "the mapping file maps {target} to the field {source!r}, which is "
                    "not in the file"
                ).format(target=target, source=source),
                expected=_("one of the file's fields: {fields}").format(
                    fields=", ".join(map(str, columns))
                ),
                fix=_nearest_hint(source, [str(c) for c in columns])
                or _("correct [{layer}.fields] in the mapping file").format(layer=layer.name),
            )
        )
    return chosen


def _match_by_name(
    layer: s.LayerSchema,
    mapping: LayerMapping,
    columns: list[Any],
    chosen: dict[str, tuple[str, str]],
) -> None:
    """Add to ``chosen`` the fields found by their own name or a default alias."""
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(normalise_name(str(c)), str(c))
    used = {source for source, _how in chosen.values()}
    aliases = DEFAULT_ALIASES.get(layer.name, {})
    for spec in layer.fields:
        target = spec.name
        if target in chosen or target in mapping.fields or target in mapping.constants:
            continue
        for how, names in (
            (_("same name"), (target,)),
            (_("default alias"), aliases.get(target, ())),
        ):
            hit = next(
                (
                    by_norm[normalise_name(n)]
                    for n in names
                    if normalise_name(n) in by_norm and by_norm[normalise_name(n)] not in used
                ),
                None,
            )
            if hit is not None:
                chosen[target] = (hit, str(how))
                used.add(hit)
                break


def _renamed(
    frame: pd.DataFrame,
    layer: s.LayerSchema,
    mapping: LayerMapping,
    chosen: dict[str, tuple[str, str]],
    lines: list[str],
) -> pd.DataFrame:
    """Return our columns: the chosen source fields renamed, the mapping file's constants."""
    out = pd.DataFrame(index=frame.index)
    for spec in layer.fields:
        target = spec.name
        if target in chosen:
            source, how = chosen[target]
            out[target] = frame[source]
            lines.append(f"  {target} ← {source} ({how})")
        elif target in mapping.constants:
            out[target] = [mapping.constants[target]] * len(frame)
            how = _("constant from the mapping file")
            lines.append(f"  {target} = {mapping.constants[target]!r} ({how})")
    return out


def _apply_row_values(
    out: pd.DataFrame, layer: s.LayerSchema, mapping: LayerMapping, *, where: str, lines: list[str]
) -> list[Problem]:
    """Write the mapping file's values by feature into ``out``; report ids not in the layer."""
    problems: list[Problem] = []
    ids = _to_str(out[layer.id_field])
    for row_id, values in mapping.rows.items():
        selected = (ids == row_id).to_numpy(dtype=bool)
        if not selected.any():
            problems.append(
                Problem(
                    where,
                    _(
                        "the mapping file gives values for {id!r}, which is not a feature "
                        "of the layer"
                    ).format(id=row_id),
                    fix=_nearest_hint(row_id, sorted({str(v) for v in ids.dropna()})),
                )
            )
            continue
        for key, value in values.items():
            if key not in out.columns:
                out[key] = None
            out[key] = out[key].astype(object)
            for i in out.index[selected]:
                out.loc[i, key] = value
    lines.append(
        "  "
        + _("values by feature from the mapping file for {n} feature(s)").format(
            n=len(mapping.rows)
        )
    )
    return problems


def _convert_industrial_classes(out: pd.DataFrame, lines: list[str]) -> None:
    """Convert the zones' highest industrial class to the 2023 classes, reporting changes."""
    from zoning.exchange.landcodes import convert_code

    given = out[s.MAX_INDUSTRIAL_CLASS]
    out[s.MAX_INDUSTRIAL_CLASS] = given.map(lambda v: v if v is None else convert_code(v)[0])
    changed = given.notna() & (given != out[s.MAX_INDUSTRIAL_CLASS])
    if changed.any():
        pairs = sorted(
            set(zip(given[changed], out.loc[changed, s.MAX_INDUSTRIAL_CLASS], strict=True))
        )
        lines.append(
            "  "
            + _("{field} converted to the 2023 classes: {pairs}").format(
                field=s.MAX_INDUSTRIAL_CLASS, pairs=", ".join(f"{a} → {b}" for a, b in pairs)
            )
        )


def _area_source(columns: list[str], mapping: LayerMapping) -> str | None:
    if mapping.area_field is not None:
        return mapping.area_field if mapping.area_field in columns else None
    by_norm = {re.sub(_UNIT_SUFFIX, "", normalise_name(str(c))): str(c) for c in columns}
    return next((by_norm[a] for a in map(normalise_name, AREA_ALIASES) if a in by_norm), None)


def _translate_values(
    out: pd.DataFrame,
    layer: s.LayerSchema,
    mapping: LayerMapping,
    *,
    where: str,
    lines: list[str],
) -> list[Problem]:
    problems: list[Problem] = []
    defaults = DEFAULT_VALUES.get(layer.name, {})
    for spec in layer.fields:
        if spec.name not in out.columns or not (spec.choices or spec.name in mapping.value_tables):
            continue
        table = {**defaults.get(spec.name, {}), **mapping.value_tables.get(spec.name, {})}
        col = out[spec.name]
        present = col.notna()
        text = col[present].map(lambda v: str(v).strip())
        mapped = text.map(lambda v, table=table: table.get(v, v))
        changed = mapped != text
        if changed.any():
            pairs = Counter(zip(text[changed], mapped[changed], strict=True))
            shown = ", ".join(f"{a} → {b} ({n})" for (a, b), n in pairs.most_common())
            lines.append("  " + _("{field} values: {pairs}").format(field=spec.name, pairs=shown))
        out.loc[present, spec.name] = mapped
        if spec.choices:
            bad = sorted(set(mapped) - set(spec.choices))
            if bad:
                ids = out.loc[present[present].index[~mapped.isin(spec.choices).to_numpy()]]
                id_values = (
                    tuple(str(v) for v in ids[layer.id_field])
                    if layer.id_field in out.columns
                    else ()
                )
                problems.append(
                    Problem(
                        where,
                        _("unknown value(s) {values} for {field}").format(
                            values=bad, field=spec.name
                        ),
                        ids=id_values,
                        expected=" | ".join(spec.choices),
                        fix=_(
                            "translate them in the mapping file: [{layer}.values.{field}] "
                            '"{value}" = "{choice}"'
                        ).format(
                            layer=layer.name, field=spec.name, value=bad[0], choice=spec.choices[0]
                        ),
                    )
                )
    return problems


def check_stated_area(
    stated: pd.Series,
    area_m2: pd.Series,
    ids: pd.Series,
    *,
    field_name: str,
    unit: str | None,
    where: str,
) -> tuple[str, list[Problem]]:
    """Compare a delivered area field with the geometry's area; warn where they differ.

    The unit is the mapping file's ``area_unit``, else read from the name (亩/mu, 公顷/ha),
    else m². When the values match another unit much better, the warning says so.

    Returns
    -------
    tuple
        A report line and the warnings.
    """
    if unit is None:
        suffix = _UNIT_SUFFIX.search(normalise_name(field_name))
        word = suffix.group(1).lstrip("_") if suffix else ""
        unit = (
            "mu"
            if ("亩" in field_name or word == "MU")
            else ("ha" if ("公顷" in field_name or word == "HA") else "m2")
        )
    per_m2 = {"m2": 1.0, "mu": 15.0 / 10000.0, "ha": 1.0 / 10000.0}
    values = pd.to_numeric(stated, errors="coerce")
    ok = values.notna() & (area_m2 > 0)
    if not ok.any():
        return _("  area field {field}: no numbers to check").format(field=field_name), []
    ratio = values[ok] / area_m2[ok]
    best = min(per_m2, key=lambda u: float(np.abs(np.log(ratio / per_m2[u])).median()))
    problems: list[Problem] = []
    rel = (values[ok] / per_m2[unit] - area_m2[ok]).abs() / area_m2[ok]
    off = rel > AREA_TOLERANCE
    if best != unit:
        problems.append(
            Problem(
                where,
                _(
                    "the area field {field} looks like it is in {best}, not {unit}: its values "
                    "match the geometry's area in {best}"
                ).format(field=field_name, best=best, unit=unit),
                fix=_('set area_unit = "{best}" in the mapping file').format(best=best),
                severity=Severity.WARNING,
            )
        )
    elif off.any():
        problems.append(
            Problem(
                where,
                _(
                    "{n} feature(s) state an area in {field} that differs from the geometry's by "
                    "more than {tol:.0%}"
                ).format(n=int(off.sum()), field=field_name, tol=AREA_TOLERANCE),
                ids=tuple(str(v) for v in ids[ok][off]),
                fix=_("the geometry is used; check the features named"),
                severity=Severity.WARNING,
            )
        )
    line = _(
        "  area field {field} ({unit}) checked against the geometry: {agree} of {n} agree "
        "within {tol:.0%}"
    ).format(
        field=field_name,
        unit=unit,
        agree=int((~off).sum()) if best == unit else 0,
        n=int(ok.sum()),
        tol=AREA_TOLERANCE,
    )
    return line, problems
