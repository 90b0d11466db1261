"""The local (u, v) frame in metres and the real anchor points placed in it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Point


@dataclass(frozen=True)
class Frame:
    """The local (u, v) frame in metres, anchored in EPSG:4543."""

    origin: tuple[float, float]
    eu: tuple[float, float]
    ev: tuple[float, float]

    @classmethod
    def from_anchors(cls, town_xy: Sequence[float], phase2_xy: Sequence[float]) -> Frame:
        d = np.asarray(phase2_xy, dtype=float) - np.asarray(town_xy, dtype=float)
        eu = d / math.hypot(*d)
        return cls(
            (float(town_xy[0]), float(town_xy[1])),
            (float(eu[0]), float(eu[1])),
            (float(-eu[1]), float(eu[0])),
        )

    def uv_to_xy(self, uv: np.ndarray) -> np.ndarray:
        o, eu, ev = (np.asarray(a) for a in (self.origin, self.eu, self.ev))
        return o + uv[:, :1] * eu + uv[:, 1:2] * ev

    def xy_to_uv(self, xy: np.ndarray) -> np.ndarray:
        d = np.asarray(xy, dtype=float).reshape(-1, 2) - np.asarray(self.origin)
        return np.column_stack([d @ np.asarray(self.eu), d @ np.asarray(self.ev)])


@dataclass(frozen=True)
class Anchors:
    """The real points the layout is placed by, in the (u, v) frame."""

    plant: Point
    plant_phase2: Point
