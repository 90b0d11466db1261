"""Chinese titles and descriptions of the exported fields, and the Chinese words of codes.

The receiving GIS shows a field's title instead of its name (QGIS reads the GeoPackage's
``gpkg_data_columns`` as aliases; PostGIS tools show column comments): the titles are the
names a Chinese planner uses (地块编号, 用地代码, 用地名称 …). :func:`field_title_zh` and
:func:`field_description_zh` give them; a field named alike in several layers has one
title unless the layer gives its own (``status`` is 现状 of a parcel, 建设状态 of a road).

Examples
--------
>>> field_title_zh("parcels", "land_use_name_zh"), field_title_zh("infrastructure", "status")
('用地名称', '建设状态')
>>> LAND_STATUS_ZH["idle_fee"]
'闲置满一年（征收土地闲置费）'
"""

from __future__ import annotations

from typing import Final

#: title and description of each field, by field name
_TEXTS: Final[dict[str, tuple[str, str]]] = {
    "zone_id": ("分区编号", "分区编号，园区内唯一"),
    "name_zh": ("中文名称", "中文名称"),
    "name_en": ("英文名称", "英文名称"),
    "purpose_zh": ("功能定位", "分区功能定位（中文）"),
    "purpose_en": ("功能定位（英文）", "分区功能定位（英文）"),
    "permitted": ("准入行业", "准入的国民经济行业分类（GB/T 4754-2017）代码前缀"),
    "conditional": ("有条件准入行业", "有条件准入的行业代码前缀"),
    "prohibited": ("禁止行业", "禁止进入的行业代码前缀"),
    "max_industrial_class": ("最高工业用地类别", "允许的最高工业用地类别（2023 年用地用海分类）"),
    "max_industrial_class_zh": ("最高工业用地类别名称", "最高工业用地类别的用地名称"),
    "priority": ("开发时序", "开发优先级，1 最先开发"),
    "development_mode": ("开发模式", "重点区域优先连片开发或维持现状功能"),
    "development_mode_zh": ("开发模式名称", "开发模式（中文）"),
    "area_m2": ("面积（平方米）", "面积，平方米（EPSG:4543 计算）"),
    "area_ha": ("面积（公顷）", "面积，公顷"),
    "area_mu": ("面积（亩）", "面积，亩（1 亩 = 10000/15 平方米）"),
    "parcel_id": ("地块编号", "地块编号，园区内唯一"),
    "land_use_code": ("用地代码", "用地用海分类代码（自然资发〔2023〕234号）"),
    "land_use_name_zh": ("用地名称", "用地代码对应的用地名称"),
    "status": ("现状", "地块现状：已建成、已供地、空闲或保护"),
    "status_zh": ("现状名称", "现状（中文）"),
    "occupant": ("使用单位", "使用单位或规划用途"),
    "industry_code": ("行业代码", "国民经济行业分类（GB/T 4754-2017）代码"),
    "industry_name_zh": ("行业名称", "行业代码对应的行业名称（规则库）"),
    "wastewater_tpd": ("污水排放量（吨/日）", "污水排放量，吨/日"),
    "power_mw": ("用电负荷（兆瓦）", "用电负荷，兆瓦"),
    "floor_area_m2": ("建筑面积（平方米）", "总建筑面积，平方米（已建地块）"),
    "footprint_m2": ("建筑基底面积（平方米）", "建筑物和构筑物基底面积，平方米（已建地块）"),
    "phase": ("开发期次", "分期开发方案中的期次，1 最先；不开发时为空"),
    "phase_reason": ("暂缓原因", "方案不开发空闲或保护地块的原因"),
    "phase_reason_zh": ("暂缓原因（中文）", "暂缓原因（中文）"),
    "holder_id": ("用地企业编号", "持有地块的企业编号（enterprises.csv）"),
    "holder_name_zh": ("用地企业名称", "持有地块的企业名称"),
    "grade": ("亩均效益等级", "用地企业的亩均效益评价等级，A 最优；未评级为空"),
    "land_status": (
        "土地状态",
        "台账日的土地状态：闲置满两年、闲置满一年、低效用地、逾期竣工或正常",
    ),
    "land_status_zh": ("土地状态名称", "土地状态（中文）"),
    "land_reason_zh": ("认定理由", "认定该土地状态的理由（中文）"),
    "land_reason_en": ("认定理由（英文）", "认定该土地状态的理由（英文）"),
    "land_due": ("认定日期", "该状态成立的日期（YYYY-MM-DD）"),
    "land_next_due": ("下一节点日期", "土地时钟下一次生效的日期（YYYY-MM-DD）"),
    "land_article": ("依据条款", "认定所依据的规定及条款"),
    "constraint_id": ("约束编号", "约束编号"),
    "kind": ("类型", "类型"),
    "kind_zh": ("类型名称", "类型（中文）"),
    "name": ("名称", "名称（中英文）"),
    "source": ("来源", "数据来源"),
    "note": ("备注", "备注"),
    "infra_id": ("设施编号", "基础设施编号"),
    "capacity": ("容量", "设计容量，单位见容量单位"),
    "capacity_unit": ("容量单位", "容量单位（吨/日、兆瓦、兆伏安）"),
    "width_m": ("宽度（米）", "道路或廊道宽度，米"),
    "context_id": ("要素编号", "参考要素编号"),
    "accuracy": ("位置精度", "来源给出的位置精度"),
    "licence": ("许可", "许可与署名"),
    "project_id": ("项目编号", "项目编号"),
    "verdict": ("审查结论", "项目在该分区的审查结论：符合、有条件符合、不符合或输入有误"),
    "verdict_zh": ("审查结论名称", "审查结论（中文）"),
    "best": ("最佳分区", "是否为项目的最佳分区"),
    "failed_rules": ("不符合规则", "项目在该分区不符合的规则编号"),
    "warned_rules": ("提示规则", "给出提示的规则编号"),
    "failures": ("不符合原因", "每条不符合规则的说明"),
    "findings": ("审查明细", "逐条规则的审查结果（JSON）"),
    "rank": ("推荐排序", "候选选址在本项目中的排序，1 最优"),
    "parcel_ids": ("地块编号列表", "所含地块编号"),
    "candidate_mu": ("候选用地（亩）", "候选选址的用地面积，亩"),
    "spare_mu": ("富余用地（亩）", "超出项目需要的用地面积，亩"),
    "chain_distance_m": ("距链主企业（米）", "距最近产业链上游企业的距离，米"),
    "sensitive_distance_m": ("距敏感用地（米）", "距最近敏感用地的距离，米"),
    "reason": ("理由", "排序或认定的理由"),
    "tract_id": ("片区编号", "连片开发片区编号 P<期次>-T<序号>"),
    "phase_share": ("占本期比例", "片区用地占本期供地的比例"),
    "compactness": ("紧凑度", "片区面积与其凸包面积之比（凸形为 1）"),
    "road_m": ("新建道路（米）", "本期为该片区新建的道路长度，米"),
    "water_main_m": ("新建给水干管（米）", "本期为该片区新建的给水干管长度，米"),
    "power_line_m": ("新建电力线路（米）", "本期为该片区新建的电力线路长度，米"),
    "gas_main_m": ("新建燃气干管（米）", "本期为该片区新建的燃气干管长度，米"),
    "infrastructure_cost_wan_yuan": ("基础设施投资（万元）", "上述管线按规则库单价的投资，万元"),
    "segment_ids": ("新建管线段", "为该片区新建的规划管线段编号"),
    "project_ids": ("项目编号列表", "安排在片区内的项目编号"),
    "why_zh": ("开发理由", "该片区在本期开发的理由（中文）"),
    "why_en": ("开发理由（英文）", "该片区在本期开发的理由（英文）"),
    "park_id": ("园区编号", "园区编号"),
    "park_name": ("园区名称", "园区名称（中英文）"),
    "rulebook_version": ("规则库版本", "园区规则库版本"),
    "generated_at": ("导出时间", "导出时间，ISO 8601，UTC"),
    "software_version": ("软件版本", "导出软件及版本"),
    "crs": ("坐标系", "本次导出几何的坐标参照系（GeoJSON 恒为 EPSG:4326）"),
    "phase_quota_mu": ("每期供地指标（亩）", "分期方案每期供地，亩；无方案时为空"),
    "phases": ("期数", "分期方案的期数；无方案时为空"),
    "max_tracts_per_phase": ("每期最多片区数", "分期方案每期最多开发的片区数；无方案时为空"),
    "plan_id": ("方案编号", "所含分期方案的指纹，与方案的 plan_id 相同；无方案时为空"),
    "ledger_as_of": ("台账日期", "地块所带等级与土地状态所属年度台账的日期；无企业表时为空"),
    "illustrative": ("示意数据", "布局是否为示意，而非法定规划"),
    "notice": ("使用说明", "使用数据时须一并显示的示意数据说明"),
    "credits": ("数据署名", "所含真实数据的署名（数据 — 来源 — 许可）"),
}

#: titles of fields that mean something else in one layer, by (layer, field)
_LAYER_TEXTS: Final[dict[tuple[str, str], tuple[str, str]]] = {
    ("constraints", "kind"): ("约束类型", "约束类型：河道蓝线、生态保护、禁建区、敏感区"),
    ("infrastructure", "kind"): (
        "设施类型",
        "基础设施类型：道路、给水、电力、燃气、污水厂、变电站",
    ),
    ("infrastructure", "status"): ("建设状态", "已建或规划"),
    ("infrastructure", "status_zh"): ("建设状态名称", "建设状态（中文）"),
    ("context", "kind"): ("要素类型", "参考要素类型"),
    ("tracts", "kind"): ("片区类型", "extension 外延拓展或 infill 内部填充"),
    ("fit_results", "name"): ("项目名称", "项目名称"),
    ("fit_results", "zone_id"): ("审查分区", "被审查的分区编号"),
    ("fit_results", "area_mu"): ("项目用地（亩）", "项目需要的用地，亩"),
    ("placements", "area_mu"): ("安排用地（亩）", "安排给项目的用地，亩"),
    ("placements", "parcel_ids"): ("安排地块", "安排给项目的地块编号"),
    ("tracts", "parcel_ids"): ("片区地块", "片区所含地块编号"),
    ("tracts", "area_mu"): ("片区用地（亩）", "片区用地，亩"),
}

#: Chinese words of the land clock's statuses (:class:`zoning.schema.LandStatus`)
LAND_STATUS_ZH: Final = {
    "idle_recovery": "闲置满两年（无偿收回）",
    "idle_fee": "闲置满一年（征收土地闲置费）",
    "inefficient": "低效用地",
    "late_completion": "逾期竣工",
    "normal": "正常",
}


def field_title_zh(layer: str, field: str) -> str:
    """Return the Chinese title of ``field`` in ``layer``.

    Raises
    ------
    KeyError
        If the field has no Chinese title (a test keeps every exported field covered).
    """
    return _LAYER_TEXTS.get((layer, field), _TEXTS[field])[0]


def field_description_zh(layer: str, field: str) -> str:
    """Return the Chinese description of ``field`` in ``layer``."""
    return _LAYER_TEXTS.get((layer, field), _TEXTS[field])[1]


def field_comment(layer: str, field: str, description_en: str) -> str:
    """Return the comment of a field in a receiving GIS: its title and both descriptions.

    Examples
    --------
    >>> field_comment("parcels", "parcel_id", "Parcel identifier.")
    '地块编号：地块编号，园区内唯一。Parcel identifier.'
    """
    return f"{field_title_zh(layer, field)}：{field_description_zh(layer, field)}。{description_en}"


__all__ = ["LAND_STATUS_ZH", "field_comment", "field_description_zh", "field_title_zh"]
