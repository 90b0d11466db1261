"""The columns of a projects table as the administration writes them: aliases, units, checks.

Every documented column of a projects table (:data:`zoning.projects.PROJECT_FIELDS`) may be
given under a Chinese header (项目编号, 行业代码, 用地面积（亩）…) or under the 10-character
name a shapefile export gives it (``building_c`` …, :func:`zoning.datadict.shapefile_field_names`).
:func:`with_project_aliases` renames them to ours, converts a unit written in the header
(用地面积（公顷）, 总投资（亿元）) and reports every column it does not know with the nearest
known name, while the batch still runs. :func:`find_project_area_issues` warns when a stated
``area_mu`` disagrees with the site polygon or looks like hectares.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"项目编号": ["P1"], "行业代码": ["3252"], "用地面积（公顷）": [4.0],
...                       "building_ratio": ["0.4"]})
>>> out, problems = with_project_aliases(table)
>>> out[["project_id", "industry_code", "area_mu"]].values.tolist()
[['P1', '3252', 60.0]]
>>> [p.what for p in problems][-1]
"unknown column 'building_ratio' is ignored: did you mean building_coefficient?"
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.datadict import shapefile_field_names
from zoning.errors import Problem, Severity
from zoning.i18n import _
from zoning.projects import PROJECT_FIELD_NAMES
from zoning.units import METRIC_CRS, WGS84, mu_from_m2

#: our column -> the headers the administration commonly writes
PROJECT_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    s.PROJECT_ID: ("项目编号", "项目代码", "项目编码", "编号", "序号编号"),
    s.NAME: ("项目名称", "名称"),
    s.INDUSTRY_CODE: ("行业代码", "行业分类代码", "国民经济行业代码", "行业分类"),
    s.AREA_MU: ("用地面积", "用地规模", "占地面积", "面积", "拟用地面积"),
    s.INVESTMENT_WAN: ("投资", "总投资", "投资额", "固定资产投资", "计划总投资"),
    s.OUTPUT_WAN: ("产值", "年产值", "达产产值", "达产后年产值"),
    s.TAX_WAN: ("税收", "年税收", "达产税收", "达产后年税收"),
    s.FAR: ("容积率",),
    s.BUILDING_COEFFICIENT: ("建筑系数",),
    s.ADMIN_SHARE: ("行政办公及生活服务设施用地比例", "行政办公比例", "行政办公及生活服务设施比例"),
    s.GREEN_RATIO: ("绿地率",),
    s.WASTEWATER_TPD: ("污水排放量", "废水排放量", "排水量"),
    s.POWER_MW: ("用电负荷", "电力负荷"),
    s.REQUESTED_ZONE: ("意向分区", "申请分区", "拟选分区", "拟入驻分区"),
    s.NOTE: ("备注", "说明"),
    s.SITE_WKT: ("选址WKT", "红线WKT"),
}

#: unit words in a header -> factor to our unit, for the fields that have one
HEADER_UNITS: Final[dict[str, dict[str, float]]] = {
    s.AREA_MU: {
        "亩": 1.0,
        "MU": 1.0,
        "公顷": 15.0,
        "HA": 15.0,
        "平方米": 15.0 / 10000.0,
        "M2": 15.0 / 10000.0,
        "M²": 15.0 / 10000.0,
    },
    s.INVESTMENT_WAN: {"万元": 1.0, "亿元": 10000.0, "元": 1e-4},
    s.OUTPUT_WAN: {"万元": 1.0, "亿元": 10000.0, "元": 1e-4},
    s.TAX_WAN: {"万元": 1.0, "亿元": 10000.0, "元": 1e-4},
}
#: relative disagreement between area_mu and the site polygon that warns
AREA_TOLERANCE: Final = 0.05
#: columns a projects table may carry besides ours (geometry, reader's own)
_OTHER_KNOWN: Final = frozenset({s.GEOMETRY, s.INPUT_ERROR, "id", "fid"})
_BRACKET: Final = re.compile(r"[(\[](.*?)[)\]]")


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).upper()
    return re.sub(r"\s+", "", _BRACKET.sub("", text))


def _unit(name: str) -> str:
    found = _BRACKET.search(unicodedata.normalize("NFKC", str(name)).upper())
    return found.group(1).strip() if found else ""


def _lookup() -> dict[str, str]:
    table = {_norm(ours): ours for ours in PROJECT_FIELD_NAMES}
    for ours, short in shapefile_field_names(PROJECT_FIELD_NAMES).items():
        table.setdefault(_norm(short), ours)
    for ours, names in PROJECT_ALIASES.items():
        for alias in names:
            table.setdefault(_norm(alias), ours)
    return table


def _scaled(column: pd.Series, factor: float) -> pd.Series:
    numbers = pd.to_numeric(column, errors="coerce")
    return column.where(numbers.isna(), numbers * factor)


def with_project_aliases(table: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Rename known headers to our columns, convert header units, report unknown columns.

    Parameters
    ----------
    table
        A projects table as read (DataFrame or GeoDataFrame).

    Returns
    -------
    tuple
        The table with our column names (unknown columns kept, and ignored by the fit check),
        and the warnings: what was renamed or converted, every unknown column with the
        nearest known name.
    """
    lookup = _lookup()
    geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    renames: dict[str, str] = {}
    problems: list[Problem] = []
    out = table.copy()
    taken = {c for c in table.columns if c in PROJECT_FIELD_NAMES}
    for column in table.columns:
        if column == geometry or column in PROJECT_FIELD_NAMES or column in _OTHER_KNOWN:
            continue
        ours = lookup.get(_norm(str(column)))
        if ours is None:
            near = difflib.get_close_matches(
                str(column).lower(), list(PROJECT_FIELD_NAMES), n=1, cutoff=0.5
            )
            hint = (
                _("did you mean {name}?").format(name=near[0])
                if near
                else _("known columns: {names}").format(names=", ".join(PROJECT_FIELD_NAMES))
            )
            problems.append(
                Problem(
                    "projects",
                    _("unknown column {column!r} is ignored: {hint}").format(
                        column=str(column), hint=hint
                    ),
                    fix=_("rename the column to one of the documented names"),
                    severity=Severity.WARNING,
                )
            )
            continue
        if ours in taken:
            problems.append(
                Problem(
                    "projects",
                    _(
                        "column {column!r} means {ours}, which is given already: it is ignored"
                    ).format(column=str(column), ours=ours),
                    severity=Severity.WARNING,
                )
            )
            continue
        taken.add(ours)
        renames[str(column)] = ours
        unit = _unit(str(column))
        factors = HEADER_UNITS.get(ours, {})
        if unit and unit in factors and factors[unit] != 1.0:
            out[column] = _scaled(out[column], factors[unit])
            problems.append(
                Problem(
                    "projects",
                    _(
                        "column {column!r} is read as {ours}, converted from {unit} (×{factor:g})"
                    ).format(column=str(column), ours=ours, unit=unit, factor=factors[unit]),
                    severity=Severity.WARNING,
                )
            )
        elif unit and factors and unit not in factors:
            problems.append(
                Problem(
                    "projects",
                    _("column {column!r}: unknown unit {unit!r} for {ours}").format(
                        column=str(column), unit=unit, ours=ours
                    ),
                    expected=" | ".join(factors),
                    severity=Severity.WARNING,
                )
            )
    out = out.rename(columns=renames)
    return out, problems


def _site_area_mu(table: pd.DataFrame) -> np.ndarray:
    n = len(table)
    if isinstance(table, gpd.GeoDataFrame) and table.crs is not None:
        geoms = table.geometry.to_crs(METRIC_CRS).to_numpy()
    elif s.SITE_WKT in table.columns:
        texts = [str(v) if isinstance(v, str) and v.strip() else None for v in table[s.SITE_WKT]]
        wgs = shapely.from_wkt(texts, on_invalid="ignore")
        geoms = gpd.GeoSeries(wgs, crs=WGS84).to_crs(METRIC_CRS).to_numpy()
    else:
        return np.full(n, np.nan)
    area = np.asarray(shapely.area(geoms), dtype=float)
    area[~np.isfinite(area) | (area <= 0)] = np.nan
    return np.asarray(mu_from_m2(area), dtype=float)


def find_project_area_issues(table: pd.DataFrame) -> list[Problem]:
    """Warn where a stated ``area_mu`` disagrees with the site or looks like hectares.

    With a site, a stated area about 1/15 of the polygon's (in mu) is hectares; any other
    difference beyond :data:`AREA_TOLERANCE` warns. Without a site, an investment of more
    than 2 000 万元 per mu suggests that the area was given in hectares.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"project_id": ["P1"], "area_mu": ["5"], "investment_wan": [20000]})
    >>> [p.ids for p in find_project_area_issues(table)]
    [('P1',)]
    """
    if s.AREA_MU not in table.columns:
        return []
    stated = pd.to_numeric(table[s.AREA_MU], errors="coerce").to_numpy(dtype=float)
    ids = (
        table[s.PROJECT_ID].astype(str).to_numpy()
        if s.PROJECT_ID in table.columns
        else np.array([f"row {i + 1}" for i in range(len(table))])
    )
    site = _site_area_mu(table)
    both = np.isfinite(stated) & np.isfinite(site) & (stated > 0)
    ratio = np.where(both, site / np.where(both, stated, 1.0), np.nan)
    hectares = both & (np.abs(ratio / 15.0 - 1.0) < 0.1)
    off = both & ~hectares & (np.abs(ratio - 1.0) > AREA_TOLERANCE)
    problems: list[Problem] = []
    if hectares.any():
        problems.append(
            Problem(
                "projects",
                _(
                    "area_mu looks like hectares: the site polygon is about 15 times larger "
                    "(in mu) than the area stated"
                ),
                ids=tuple(ids[hectares]),
                fix=_(
                    "give area_mu in mu (1 ha = 15 mu), or leave it empty to use the site's area"
                ),
                severity=Severity.WARNING,
            )
        )
    if off.any():
        problems.append(
            Problem(
                "projects",
                _("area_mu differs from the site polygon's area by more than {tol:.0%}").format(
                    tol=AREA_TOLERANCE
                ),
                ids=tuple(
                    f"{i} ({a:.1f} vs {b:.1f} mu)"
                    for i, a, b in zip(ids[off], stated[off], site[off], strict=True)
                ),
                fix=_("correct area_mu or the site; the fit check uses area_mu"),
                severity=Severity.WARNING,
            )
        )
    if s.INVESTMENT_WAN in table.columns:
        money = pd.to_numeric(table[s.INVESTMENT_WAN], errors="coerce").to_numpy(dtype=float)
        alone = np.isfinite(stated) & (stated > 0) & ~np.isfinite(site) & np.isfinite(money)
        dense = alone & (money > 2000.0 * np.where(alone, stated, 1.0))
        if dense.any():
            problems.append(
                Problem(
                    "projects",
                    _(
                        "area_mu looks too small for the investment (more than 2 000 万元 per mu): "
                        "was it given in hectares?"
                    ),
                    ids=tuple(ids[dense]),
                    fix=_("give area_mu in mu (1 ha = 15 mu)"),
                    severity=Severity.WARNING,
                )
            )
    return problems
