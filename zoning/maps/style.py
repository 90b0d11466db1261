"""The one colour system of the maps, the layer names and the sizes of things drawn.

The layers that are on together at start (zones, phases, project verdicts, the vector
background) use colours that never collide:

- the **background** is greys and a pale blue river, drawn under everything;
- **zones** are outlines in four hues that no other layer uses (purple, brown, magenta,
  slate), with their names written on the map and almost no fill;
- **phases** are one sequential scale of blues, dark (phase 1) to light;
- **verdicts** are traffic lights: green fits, amber conditional, red does not fit, grey
  input error; a project without a site is a hollow, dashed ring of its verdict's colour.

The detail layers, off at start, keep their customary colours and are drawn so that they
stay readable over the others: constraints as dashed outlines over a hatch-like faint fill,
candidate sites as black dashed outlines, parcels by status in neutral tones.

Examples
--------
>>> phase_colours(3)
['#08306b', '#4690c6', '#b4d4ea']
>>> site_colour(1), site_colour(5) == site_colour(3)
('#111111', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from zoning import schema as s

#: decimals kept in longitude/latitude: 1e-6° is 0.11 m north-south, 0.09 m east-west here
COORD_DECIMALS: Final = 6

# --------------------------------------------------------------------------- layer names
# bilingual on purpose: the layer control is read by Chinese and English speakers alike,
# and the names are the handles tests and users refer to
LAYER_BACKGROUND: Final = "底图 Background"
LAYER_CONTEXT: Final = "背景 Context (real data)"
LAYER_ZONES: Final = "分区 Zones"
LAYER_PARCELS_STATUS: Final = "地块现状 Parcels by status"
LAYER_PARCELS_LAND_USE: Final = "地块用地分类 Parcels by land-use class"
LAYER_CONSTRAINTS: Final = "限制区 Constraints"
LAYER_INFRASTRUCTURE: Final = "基础设施 Infrastructure"
LAYER_FIT: Final = "项目适配 Project fit"
LAYER_SITES: Final = "候选用地 Candidate sites"
LAYER_GRADES: Final = "亩均效益等级 Per-mu performance grades"
LAYER_IDLE_LAND: Final = "闲置低效用地 Idle and inefficient land"


def phase_layer_name(phase: int) -> str:
    """Name of the layer of one phase, as the layer control lists it.

    Examples
    --------
    >>> phase_layer_name(2)
    '第2期 Phase 2'
    """
    return f"第{phase}期 Phase {phase}"


# --------------------------------------------------------------------------- colours
#: zone outlines, in priority order: hues no other layer shown at start uses
ZONE_COLOURS: Final = (
    "#762a83",
    "#8c510a",
    "#c51b7d",
    "#35495e",
    "#b35806",
    "#542788",
    "#7f3b08",
    "#4d4d4d",
)
#: parcel status (a detail layer): neutral tones; vacant land is white ("free")
STATUS_COLOURS: Final[dict[str, str]] = {
    s.ParcelStatus.DEVELOPED: "#969696",
    s.ParcelStatus.COMMITTED: "#d4b48c",
    s.ParcelStatus.VACANT: "#ffffff",
    s.ParcelStatus.PROTECTED: "#b8d99b",
}
VERDICT_COLOURS: Final[dict[str, str]] = {
    s.Verdict.FITS: "#1a9850",
    s.Verdict.CONDITIONAL: "#f0a202",
    s.Verdict.DOES_NOT_FIT: "#d73027",
    s.Verdict.ERROR: "#737373",
}
CONSTRAINT_COLOURS: Final[dict[str, str]] = {
    s.ConstraintKind.RIVER_SETBACK: "#2b8cbe",
    s.ConstraintKind.ECOLOGICAL_PROTECTION: "#238443",
    s.ConstraintKind.NO_BUILD: "#e31a1c",
    s.ConstraintKind.SENSITIVE_AREA: "#984ea3",
}
INFRASTRUCTURE_COLOURS: Final[dict[str, str]] = {
    s.InfrastructureKind.ROAD: "#404040",
    s.InfrastructureKind.WATER_MAIN: "#0570b0",
    s.InfrastructureKind.POWER_LINE: "#e31a1c",
    s.InfrastructureKind.GAS_MAIN: "#ec7014",
    s.InfrastructureKind.WASTEWATER_PLANT: "#225ea8",
    s.InfrastructureKind.SUBSTATION: "#bd0026",
}
#: land-use colours by class prefix, longest prefix wins; close to the customary planning
#: palette (residential yellow, commercial red, industrial brown, storage purple, green green)
LAND_USE_COLOURS: Final[dict[str, str]] = {
    "07": "#ffff2d",
    "08": "#ff7fbf",
    "09": "#ff2d2d",
    "10": "#bb9674",
    "100101": "#d9bfa0",
    "100102": "#bb9674",
    "100103": "#8c6239",
    "11": "#8761d3",
    "12": "#a3a3a3",
    "13": "#0063ff",
    "14": "#30c030",
    "16": "#ffffff",
    "23": "#e0e0c0",
}
UNKNOWN_COLOUR: Final = "#bdbdbd"
#: the vector background: county line, built-up land, town, river, roads
BACKGROUND_COLOURS: Final[dict[str, str]] = {
    "county": "#7a7a7a",
    "built": "#dcdcdc",
    "town": "#ece3d0",
    "river": "#a6cee3",
    "road": "#b3b3b3",
}
#: the page behind the map when no tiles are drawn (a light paper grey)
PAPER_COLOUR: Final = "#f4f3ef"
#: context kinds drawn as power stations (dark dots); other points are towns (white dots)
CONTEXT_PLANT_KINDS: Final = frozenset({"coal_power_plant", "power_plant", "power_station"})
#: phase ramp (ColorBrewer Blues, dark to light): phase 1 is the darkest
PHASE_RAMP: Final = ("#08306b", "#2171b5", "#6baed6", "#b4d4ea")
#: per-mu grades of the holder of each parcel (a detail layer): one sequential scale from
#: dark teal (A) to yellow (D), viridis-like, away from the phases' blues, the verdicts'
#: traffic lights and the zones' hues; exempt enterprises (evaluated, not graded) a dusty
#: pink, land not producing yet (not evaluated) a white fill with a dashed outline
GRADE_COLOURS: Final[dict[str, str]] = {
    s.Grade.A: "#00524c",
    s.Grade.B: "#1f9e89",
    s.Grade.C: "#6ece58",
    s.Grade.D: "#fde725",
}
GRADE_OUTLINE: Final = "#00524c"
GRADE_EXEMPT_COLOUR: Final = "#e8a5b5"
GRADE_UNGRADED_COLOUR: Final = "#ffffff"
#: the land clock (a detail layer): a sequential olive-to-pale-yellow scale, most serious
#: darkest (recovery, fee, inefficient, late), apart from the verdicts' amber and red; the
#: two idle stages are outlined in black
LAND_STATUS_COLOURS: Final[dict[str, str]] = {
    s.LandStatus.IDLE_RECOVERY: "#3d3d00",
    s.LandStatus.IDLE_FEE: "#7f7f00",
    s.LandStatus.INEFFICIENT: "#b3b300",
    s.LandStatus.LATE_COMPLETION: "#f0f07a",
}
#: candidate-site outlines by rank, best strongest; later ranks reuse the last
SITE_RANK_COLOURS: Final = ("#111111", "#555555", "#8a8a8a")

# --------------------------------------------------------------------------- sizes
#: radius in pixels of point features
POINT_RADIUS_PX: Final = 7
#: map pane of point features, above every polygon and line (overlayPane is at 400)
POINT_PANE: Final = "zoning-points"
#: map panes of the vector background, under every overlay: built-up land, then the rest
BUILT_PANE: Final = "zoning-built"
BACKGROUND_PANE: Final = "zoning-background"
#: greatest height of a popup, as a share of the window's height (it scrolls inside)
POPUP_HEIGHT_SHARE: Final = 0.55
POPUP_MAX_WIDTH_PX: Final = 380


def interpolate_colour(ramp: Sequence[str], t: float) -> str:
    """Colour at ``t`` in [0, 1] along a ramp of hex colours.

    Examples
    --------
    >>> interpolate_colour(("#000000", "#ffffff"), 0.5)
    '#808080'
    """
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in ramp], dtype=float)
    pos = np.clip(t, 0.0, 1.0) * (len(ramp) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(ramp) - 1)
    mixed = rgb[lo] + (rgb[hi] - rgb[lo]) * (pos - lo)
    return "#" + "".join(f"{round(v):02x}" for v in mixed)


def phase_colours(n_phases: int) -> list[str]:
    """Colours of phases 1..n, dark to light along :data:`PHASE_RAMP`."""
    if n_phases <= 1:
        return [PHASE_RAMP[0]] * max(n_phases, 0)
    return [interpolate_colour(PHASE_RAMP, i / (n_phases - 1)) for i in range(n_phases)]


def site_colour(rank: int) -> str:
    """Outline colour of a candidate site of ``rank`` (1 is best, darkest)."""
    return SITE_RANK_COLOURS[min(max(rank, 1), len(SITE_RANK_COLOURS)) - 1]


def land_use_colour(code: str) -> str:
    """Colour of a land-use class: that of its longest known prefix.

    Examples
    --------
    >>> land_use_colour("100103"), land_use_colour("0701"), land_use_colour("99")
    ('#8c6239', '#ffff2d', '#bdbdbd')
    """
    for length in (6, 4, 2):
        colour = LAND_USE_COLOURS.get(code[:length]) if len(code) >= length else None
        if colour is not None:
            return colour
    return UNKNOWN_COLOUR
