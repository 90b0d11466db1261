"""The park: validated layers in the metric CRS, with its rulebook.

:func:`build_park` turns layers (GeoDataFrames in any CRS) and a rulebook into a
:class:`Park`, after checking everything (:mod:`zoning.validation`). Layers are held in
CGCS2000 / Gauss-Krüger CM 102E (EPSG:4543), so every area and distance computed from a
park is in metres; parcels carry their derived ``zone_id`` and their area in m², ha and mu.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.i18n import _
from zoning.rulebook import MAX_PHASES_LIMIT, Rulebook
from zoning.units import METRIC_CRS, with_area_columns
from zoning.validation import derive_parcel_zones, find_park_issues, raise_for_problems


@dataclass(frozen=True)
class Park:
    """A validated industrial park.

    Attributes
    ----------
    zones, parcels, constraints, infrastructure, context
        The layers, in the metric CRS (EPSG:4543), with a default integer index and the
        id as a column. ``zones`` and ``parcels`` have area columns; ``parcels`` has the
        derived ``zone_id``.
    rulebook
        Industries, indicators, capacities and targets.
    metadata
        Free-form description of the data (name, illustrative notice, credits).
    warnings
        Problems that did not stop loading.
    """

    zones: gpd.GeoDataFrame
    parcels: gpd.GeoDataFrame
    constraints: gpd.GeoDataFrame
    infrastructure: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    rulebook: Rulebook
    metadata: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    @property
    def park_id(self) -> str:
        """Identifier of the park."""
        return str(self.metadata.get("park_id", self.rulebook.rulebook.park_id))

    @property
    def name(self) -> str:
        """Bilingual name of the park."""
        zh = self.metadata.get("name_zh", "")
        en = self.metadata.get("name_en", self.rulebook.rulebook.name)
        return f"{zh} {en}".strip()

    @property
    def illustrative(self) -> bool:
        """Whether the layout is illustrative rather than an official plan."""
        return bool(self.metadata.get("illustrative", self.rulebook.rulebook.illustrative))

    @property
    def notice(self) -> str:
        """The illustrative-data notice to show with any output, or an empty string."""
        return str(self.metadata.get("notice", "")) if self.illustrative else ""

    @property
    def credits(self) -> list[str]:
        """Credit lines of the real data the park includes."""
        raw = self.metadata.get("credits", [])
        if isinstance(raw, str):  # one credit given as a string, not a list of characters
            return [raw] if raw.strip() else []
        if not isinstance(raw, list | tuple):
            return [json.dumps(raw, ensure_ascii=False)] if raw else []
        return [c if isinstance(c, str) else json.dumps(c, ensure_ascii=False) for c in raw]

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """Return a layer by its name (``zones``, ``parcels``, ...)."""
        if name not in s.LAYER_BY_NAME:
            raise KeyError(f"unknown layer {name!r}; layers are {list(s.LAYER_BY_NAME)}")
        frame: gpd.GeoDataFrame = getattr(self, name)
        return frame


#: a park id: letters (Chinese included), digits, ``_``, ``-`` and ``.``, at most 64 characters,
#: starting with a letter, digit or ``_``; it names output files, so no separator and no
#: ``..`` can appear in it
PARK_ID_RE: Final = re.compile(r"[^\W][\w.-]{0,63}")
PARK_ID_MAX_CHARS: Final = 64


def park_id_problems(park_id: object, *, where: str = "metadata.json") -> list[Problem]:
    """Return the problem with a park id, if any (it names every output file).

    Examples
    --------
    >>> park_id_problems("北川"), park_id_problems("beichuan-2")
    ([], [])
    >>> [p.what for p in park_id_problems("../../escaped")]
    ["park_id '../../escaped' cannot name output files"]
    """
    if isinstance(park_id, str) and PARK_ID_RE.fullmatch(park_id) and ".." not in park_id:
        return []
    return [
        Problem(
            where,
            _("park_id {given} cannot name output files").format(given=repr(park_id)),
            expected=_(
                "1 to {n} letters (Chinese allowed), digits, '_', '-' or '.', starting with a "
                "letter or digit, without '/', '\\' or '..' (e.g. beichuan or 北川)"
            ).format(n=PARK_ID_MAX_CHARS),
            fix=_("set park_id in metadata.json (or in rulebook.toml [rulebook])"),
        )
    ]


def _as_prefix_list(value: object) -> list[str]:
    if isinstance(value, list | tuple | np.ndarray):
        return [str(v) for v in value]
    return []


def _normalise(gdf: gpd.GeoDataFrame, layer: s.LayerSchema) -> gpd.GeoDataFrame:
    out = gdf.to_crs(METRIC_CRS).reset_index(drop=True)
    for spec in layer.fields:
        if spec.name not in out.columns:
            if spec.type == "float":
                out[spec.name] = 0.0 if layer is s.PARCELS else np.nan
            elif spec.type == "list[str]":
                out[spec.name] = [[] for _ in range(len(out))]
            else:
                out[spec.name] = ""
            continue
        if spec.type == "str":
            out[spec.name] = out[spec.name].astype("string").fillna("").astype(str)
        elif spec.type == "int":
            out[spec.name] = pd.to_numeric(out[spec.name]).astype("int64")
        elif spec.type == "float":
            values = pd.to_numeric(out[spec.name]).astype(float)
            out[spec.name] = values.fillna(0.0) if layer is s.PARCELS else values
        elif spec.type == "list[str]":
            out[spec.name] = [_as_prefix_list(v) for v in out[spec.name]]
    return out


def empty_layer(layer: s.LayerSchema) -> gpd.GeoDataFrame:
    """Return an empty layer with the schema's columns, in the metric CRS."""
    return gpd.GeoDataFrame(
        {f.name: pd.Series(dtype=object) for f in layer.fields},
        geometry=gpd.GeoSeries([], crs=METRIC_CRS),
        crs=METRIC_CRS,
    )


def build_park(
    layers: Mapping[str, gpd.GeoDataFrame],
    rulebook: Rulebook,
    *,
    metadata: Mapping[str, Any] | None = None,
    extra_problems: tuple[Problem, ...] = (),
) -> Park:
    """Validate layers and a rulebook and assemble a :class:`Park`.

    Parameters
    ----------
    layers
        ``zones`` and ``parcels`` are required; ``constraints``, ``infrastructure`` and
        ``context`` may be missing (they are then empty). Any CRS; they are projected to
        EPSG:4543.
    rulebook
        The park's rulebook.
    metadata
        Description of the data (``park_id``, ``name_zh``, ``name_en``, ``illustrative``,
        ``notice``, ``credits``).
    extra_problems
        Problems found earlier (for instance while reading files), reported together with
        those found here.

    Raises
    ------
    ParkValidationError
        Listing every error found in the layers and rulebook.

    Examples
    --------
    >>> import shapely
    >>> from zoning.rulebook import build_rulebook
    >>> rb = build_rulebook({"rulebook": {"park_id": "demo", "name": "Demo", "version": "1"}})
    >>> zones = gpd.GeoDataFrame({"zone_id": ["z1"], "name_zh": ["一区"], "name_en": ["Zone 1"],
    ...     "permitted": [["3252"]], "conditional": [[]], "prohibited": [[]],
    ...     "max_industrial_class": ["100102"], "priority": [1],
    ...     "development_mode": ["priority_contiguous"]},
    ...     geometry=[shapely.box(500000, 4000000, 501000, 4001000)], crs="EPSG:4543")
    >>> parcels = gpd.GeoDataFrame({"parcel_id": ["p1"], "land_use_code": ["100102"],
    ...     "status": ["vacant"]}, geometry=[shapely.box(500000, 4000000, 500200, 4000100)],
    ...     crs="EPSG:4543")
    >>> park = build_park({"zones": zones, "parcels": parcels}, rb)
    >>> park.parcels[["zone_id", "area_mu"]].round(1).values.tolist()
    [['z1', 30.0]]
    """
    meta = dict(metadata or {})
    in_metadata = s.PARK_ID in meta
    park_id = meta[s.PARK_ID] if in_metadata else rulebook.rulebook.park_id
    problems = list(extra_problems) + park_id_problems(
        park_id, where="metadata.json" if in_metadata else "rulebook.toml"
    )
    problems += find_park_issues(layers, rulebook)
    warnings = raise_for_problems(problems, "the park data is invalid")
    normalised: dict[str, gpd.GeoDataFrame] = {}
    for layer in s.LAYERS:
        gdf = layers.get(layer.name)
        normalised[layer.name] = empty_layer(layer) if gdf is None else _normalise(gdf, layer)
    zones = with_area_columns(normalised["zones"])
    parcels = normalised["parcels"]
    parcels[s.ZONE_ID] = derive_parcel_zones(parcels, zones).astype(str)
    parcels = with_area_columns(parcels)
    return Park(
        zones=zones,
        parcels=parcels,
        constraints=normalised["constraints"],
        infrastructure=normalised["infrastructure"],
        context=normalised["context"],
        rulebook=rulebook,
        metadata=dict(metadata or {}),
        warnings=tuple(warnings),
    )


def check_phases(park: Park, phases: int | None) -> None:
    """Refuse a ``--phases`` beyond the rulebook's ``sequencing.max_phases``.

    Raises
    ------
    InputError
        Saying the allowed range and where to raise it.
    """
    limit = park.rulebook.sequencing.max_phases
    if phases is None or phases <= limit:  # fewer than 1: the planner says why
        return
    raise InputError(
        _("cannot make the phase plan"),
        [
            Problem(
                "--phases",
                _("number of phases too large: {given}").format(given=f"{phases:,}"),
                expected=_("1 to {limit} phases (the rulebook's sequencing.max_phases)").format(
                    limit=limit
                ),
                fix=_(
                    "ask for fewer phases, or raise max_phases in the [sequencing] table of "
                    "rulebook.toml (at most {most})"
                ).format(most=f"{MAX_PHASES_LIMIT:,}"),
            )
        ],
    )
