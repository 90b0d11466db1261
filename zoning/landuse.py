"""Land-use classification of 2023 (用地用海分类, 自然资发〔2023〕234号), the codes a park uses.

The subset below covers the urban and industrial classes a development zone works with.
Codes were read in two independent public dictionaries (see
``shared/reference/land_use_codes_2023.csv``); English names are ours.

Examples
--------
>>> LAND_USE_CLASSES["100103"].name_en
'Class-3 industrial land'
>>> nuisance_level("110102"), nuisance_level("0901")
(2, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from zoning.schema import SENSITIVE_LAND_USE_PREFIXES

SOURCE: Final = (
    "自然资源部《国土空间调查、规划、用途管制用地用海分类指南》自然资发〔2023〕234号; "
    "codes read in two independent public dictionaries"
)


@dataclass(frozen=True)
class LandUseClass:
    """One class of the 2023 land-use classification."""

    code: str
    name_zh: str
    name_en: str

    @property
    def level(self) -> int:
        """1, 2 or 3 for a 2-, 4- or 6-digit code."""
        return len(self.code) // 2

    @property
    def label(self) -> str:
        """Bilingual label, ``"100103 三类工业用地 Class-3 industrial land"``."""
        return f"{self.code} {self.name_zh} {self.name_en}"


_ROWS: Final = (
    ("07", "居住用地", "Residential land"),
    ("0701", "城镇住宅用地", "Urban housing land"),
    ("070101", "一类城镇住宅用地", "Class-1 urban housing land"),
    ("070102", "二类城镇住宅用地", "Class-2 urban housing land"),
    ("070103", "三类城镇住宅用地", "Class-3 urban housing land"),
    ("0702", "城镇社区服务设施用地", "Urban community service land"),
    ("08", "公共管理与公共服务用地", "Public administration and service land"),
    ("0801", "机关团体用地", "Government and organisations land"),
    ("0802", "科研用地", "Research land"),
    ("0803", "文化用地", "Cultural land"),
    ("0804", "教育用地", "Education land"),
    ("080401", "高等教育用地", "Higher education land"),
    ("080402", "中等职业教育用地", "Secondary vocational education land"),
    ("080403", "中小学用地", "Primary and secondary school land"),
    ("080404", "幼儿园用地", "Kindergarten land"),
    ("0805", "体育用地", "Sports land"),
    ("0806", "医疗卫生用地", "Medical and health land"),
    ("0807", "社会福利用地", "Social welfare land"),
    ("09", "商业服务业用地", "Commercial and service land"),
    ("0901", "商业用地", "Commercial land"),
    ("090101", "零售商业用地", "Retail land"),
    ("090102", "批发市场用地", "Wholesale market land"),
    ("090103", "餐饮用地", "Catering land"),
    ("090104", "旅馆用地", "Hotel land"),
    ("090105", "公用设施营业网点用地", "Utility service outlet land"),
    ("0902", "商务金融用地", "Business and finance land"),
    ("0903", "娱乐用地", "Entertainment land"),
    ("0904", "其他商业服务业用地", "Other commercial service land"),
    ("10", "工矿用地", "Industrial and mining land"),
    ("1001", "工业用地", "Industrial land"),
    ("100101", "一类工业用地", "Class-1 industrial land"),
    ("100102", "二类工业用地", "Class-2 industrial land"),
    ("100103", "三类工业用地", "Class-3 industrial land"),
    ("1002", "采矿用地", "Mining land"),
    ("1003", "盐田", "Salt pans"),
    ("11", "仓储用地", "Storage land"),
    ("1101", "物流仓储用地", "Logistics and warehousing land"),
    ("110101", "一类物流仓储用地", "Class-1 logistics and warehousing land"),
    ("110102", "二类物流仓储用地", "Class-2 logistics and warehousing land"),
    ("110103", "三类物流仓储用地", "Class-3 logistics and warehousing land"),
    ("1102", "储备库用地", "Reserve depot land"),
    ("12", "交通运输用地", "Transport land"),
    ("1201", "铁路用地", "Railway land"),
    ("1202", "公路用地", "Highway land"),
    ("1207", "城镇村道路用地", "Urban and village road land"),
    ("1208", "交通场站用地", "Transport station land"),
    ("120801", "对外交通场站用地", "External transport station land"),
    ("120802", "公共交通场站用地", "Public transport station land"),
    ("120803", "社会停车场用地", "Public car park land"),
    ("1209", "其他交通设施用地", "Other transport facility land"),
    ("13", "公用设施用地", "Public utility land"),
    ("1301", "供水用地", "Water supply land"),
    ("1302", "排水用地", "Drainage and wastewater land"),
    ("1303", "供电用地", "Power supply land"),
    ("1304", "供燃气用地", "Gas supply land"),
    ("1305", "供热用地", "Heat supply land"),
    ("1306", "通信用地", "Telecommunications land"),
    ("1307", "邮政用地", "Postal land"),
    ("1308", "广播电视设施用地", "Broadcasting facility land"),
    ("1309", "环卫用地", "Sanitation land"),
    ("1310", "消防用地", "Fire service land"),
    ("1311", "水工设施用地", "Hydraulic works land"),
    ("1312", "其他公用设施用地", "Other public utility land"),
    ("14", "绿地与开敞空间用地", "Green and open space land"),
    ("1401", "公园绿地", "Park green space"),
    ("1402", "防护绿地", "Protective green belt"),
    ("1403", "广场用地", "Square land"),
    ("16", "留白用地", "Reserved (white) land"),
    ("2301", "空闲地", "Idle land"),
)

#: every known class, by code
LAND_USE_CLASSES: Final = {code: LandUseClass(code, zh, en) for code, zh, en in _ROWS}

#: land-use families whose last digit is a nuisance level 1-3 (industrial, logistics)
_LEVELLED_FAMILIES: Final = ("1001", "1101")


def nuisance_level(code: str) -> int | None:
    """Return the nuisance level 1-3 of an industrial or logistics class, else ``None``.

    Class-1 land is "basically free of disturbance, pollution and safety hazards"; class 3
    has serious disturbance and needs protective separation.
    """
    if len(code) == 6 and code[:4] in _LEVELLED_FAMILIES and code[4:] in ("01", "02", "03"):
        return int(code[5])
    return None


def is_sensitive(code: str) -> bool:
    """Whether land of this class needs protection from industrial nuisance.

    Residential, education, medical and social-welfare land are sensitive uses, from which
    health-protection distances are measured.
    """
    return code.startswith(SENSITIVE_LAND_USE_PREFIXES)


def label(code: str) -> str:
    """Bilingual label of ``code``, or the code itself when unknown."""
    found = LAND_USE_CLASSES.get(code)
    return found.label if found else code
