"""Spatial building blocks of the fit rules: indexed feature sets and parallel overlays.

>>> import shapely, numpy as np
>>> fs = FeatureSet.build(np.array([shapely.box(0, 0, 10, 10)], dtype=object),
...     np.array(["a"], dtype=object), np.array(["a (vacant)"], dtype=object))
>>> d, i = fs.nearest(np.array([shapely.Point(20, 5)], dtype=object))
>>> float(d[0]), int(i[0])
(10.0, 0)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning._types import Floats, IntArray, Objects
from zoning.schema import label
from zoning.validation import OVERLAP_TOLERANCE_M2

#: overlays of at least this many pairs are split across threads
PARALLEL_MIN_PAIRS: Final = 20_000
#: most threads used for an overlay
MAX_THREADS: Final = 8
#: features with more vertices are cut into tiles for the spatial queries
MAX_PIECE_VERTICES: Final = 64
#: side of the tiles, metres
PIECE_SIZE_M: Final = 200.0


def overlap_area(a: Objects, b: Objects, *, min_pairs: int = PARALLEL_MIN_PAIRS) -> Floats:
    """Return the area of ``a[i] ∩ b[i]``; large batches run on every core.

    GEOS releases the GIL during the overlay, so chunks run in parallel threads; the result
    does not depend on the number of threads.
    """
    workers = min(os.cpu_count() or 1, MAX_THREADS)
    if len(a) < min_pairs or workers < 2:
        return np.asarray(shapely.area(shapely.intersection(a, b)), dtype=float)
    bounds = np.linspace(0, len(a), workers + 1).astype(int).tolist()

    def chunk(ij: tuple[int, int]) -> Floats:
        i, j = ij
        return np.asarray(shapely.area(shapely.intersection(a[i:j], b[i:j])), dtype=float)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(chunk, pairwise(bounds)))
    return np.concatenate(parts)


@dataclass(frozen=True)
class FeatureSet:
    """Geometries of one kind of park feature, with ids, labels and a spatial index.

    Features with many vertices (a river setback drawn along the valley) are cut into tiles
    of :data:`PIECE_SIZE_M` for the index, so that an overlay with a small site works on a
    few vertices; overlaps and distances are reported per whole feature.
    """

    geoms: Objects
    ids: Objects
    labels: Objects
    labels_zh: Objects
    pieces: Objects
    owner: IntArray
    tree: shapely.STRtree

    @classmethod
    def build(
        cls, geoms: Objects, ids: Objects, labels: Objects, labels_zh: Objects | None = None
    ) -> FeatureSet:
        """Index ``geoms``, tiling those of more than :data:`MAX_PIECE_VERTICES` vertices.

        ``labels`` name the features in messages (English), ``labels_zh`` in Chinese
        messages (default: the same).
        """
        pieces: list[shapely.Geometry] = []
        owner: list[int] = []
        for i, geom in enumerate(geoms):
            parts = (
                tiles(geom) if shapely.get_num_coordinates(geom) > MAX_PIECE_VERTICES else [geom]
            )
            pieces.extend(parts)
            owner.extend([i] * len(parts))
        piece_array = np.array(pieces, dtype=object)
        return cls(
            geoms,
            ids,
            labels,
            labels if labels_zh is None else labels_zh,
            piece_array,
            np.array(owner, dtype=np.intp),
            shapely.STRtree(piece_array),
        )

    def __len__(self) -> int:
        return len(self.geoms)

    def nearest(self, geoms: Objects) -> tuple[Floats, IntArray]:
        """Return the distance to, and index of, the nearest feature of each geometry.

        Distances are ``inf`` and indices ``-1`` when the set is empty.
        """
        distance = np.full(len(geoms), np.inf)
        index = np.full(len(geoms), -1, dtype=np.intp)
        if len(self) == 0 or len(geoms) == 0:
            return distance, index
        (src, dst), dist = self.tree.query_nearest(geoms, return_distance=True, all_matches=False)
        distance[src] = dist
        index[src] = self.owner[dst]
        return distance, index

    def overlaps(self, geoms: Objects) -> tuple[Floats, list[list[str]]]:
        """Return the total overlap of each geometry with the set (m²) and what it overlaps.

        Overlaps of :data:`~zoning.validation.OVERLAP_TOLERANCE_M2` or less (per feature)
        are ignored.
        """
        total, details, _ = self.overlaps_both(geoms)
        return total, details

    def overlaps_both(self, geoms: Objects) -> tuple[Floats, list[list[str]], list[list[str]]]:
        """:meth:`overlaps`, with what each geometry overlaps named in English and Chinese."""
        total = np.zeros(len(geoms))
        details: list[list[str]] = [[] for _ in range(len(geoms))]
        details_zh: list[list[str]] = [[] for _ in range(len(geoms))]
        if len(self) == 0 or len(geoms) == 0:
            return total, details, details_zh
        src, dst = self.tree.query(geoms, predicate="intersects")
        area = overlap_area(geoms[src], self.pieces[dst])
        # add up the pieces of one feature
        key = src.astype(np.int64) * len(self.geoms) + self.owner[dst]
        keys, inverse = np.unique(key, return_inverse=True)
        area = np.bincount(inverse, weights=area).astype(float)
        src, dst = keys // len(self.geoms), keys % len(self.geoms)
        keep = area > OVERLAP_TOLERANCE_M2
        src, dst, area = src[keep], dst[keep], area[keep]
        np.add.at(total, src, area)
        for i, j, a in zip(src.tolist(), dst.tolist(), area.tolist(), strict=True):
            details[i].append(f"{self.labels[j]} ({a:,.0f} m²)")
            details_zh[i].append(f"{self.labels_zh[j]}（{a:,.0f} m²）")
        return total, details, details_zh


def tiles(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """Cut a polygon into the polygonal parts of a grid of :data:`PIECE_SIZE_M` squares."""
    minx, miny, maxx, maxy = shapely.bounds(geom)
    xs = np.arange(minx, maxx, PIECE_SIZE_M)
    ys = np.arange(miny, maxy, PIECE_SIZE_M)
    gx, gy = np.meshgrid(xs, ys)
    cells = shapely.box(
        gx.ravel(), gy.ravel(), gx.ravel() + PIECE_SIZE_M, gy.ravel() + PIECE_SIZE_M
    )
    parts = shapely.get_parts(shapely.intersection(geom, cells))
    polygonal = np.isin(shapely.get_type_id(parts), (3, 6)) & (shapely.area(parts) > 0)
    return list(parts[polygonal])


Label = Callable[[pd.DataFrame], pd.Series]


def features(
    frame: gpd.GeoDataFrame, id_field: str, label: Label, label_zh: Label | None = None
) -> FeatureSet:
    """Index the rows of ``frame``, labelled by ``label(frame)`` (and ``label_zh(frame)``)."""
    geoms = frame.geometry.to_numpy()
    ids = frame[id_field].astype(str).to_numpy(dtype=object)

    def labels_of(make: Label) -> Objects:
        return make(frame).astype(str).to_numpy(dtype=object) if len(frame) else ids.copy()

    labels = labels_of(label)
    return FeatureSet.build(geoms, ids, labels, None if label_zh is None else labels_of(label_zh))


def parcel_label(frame: pd.DataFrame) -> pd.Series:
    """``"BC-0153 (developed) occupant"`` per parcel."""
    text = frame[s.PARCEL_ID].astype(str) + " (" + frame[s.STATUS].astype(str) + ")"
    if s.OCCUPANT not in frame.columns:
        return text
    occupant = frame[s.OCCUPANT].astype("string").fillna("").str.strip()
    return text.where(occupant.eq(""), text + " " + occupant)


def status_zh(statuses: pd.Series) -> pd.Series:
    """Return the Chinese words of parcel statuses (``developed`` → ``已建成``)."""
    words = {str(m): label(m, "zh") for m in s.ParcelStatus}
    return statuses.astype(str).map(lambda x: words.get(x, x))


def parcel_label_zh(frame: pd.DataFrame) -> pd.Series:
    """``"BC-0153（已建成）occupant"`` per parcel."""
    text = frame[s.PARCEL_ID].astype(str) + "（" + status_zh(frame[s.STATUS]) + "）"
    if s.OCCUPANT not in frame.columns:
        return text
    occupant = frame[s.OCCUPANT].astype("string").fillna("").str.strip()
    return text.where(occupant.eq(""), text + occupant)


def constraint_label(frame: pd.DataFrame) -> pd.Series:
    """``"C-RIVER name"`` per constraint."""
    return frame[s.CONSTRAINT_ID].astype(str) + " " + frame[s.NAME].astype(str)
