"""Folium maps of a park: zones, phases, project verdicts, and the detail layers.

This package and the :mod:`zoning.mapping` shim are the only modules of zoning that import
folium. :func:`make_map` turns a :class:`~zoning.park.Park` (and, optionally, the results of
:func:`zoning.check`, a phase plan from :func:`zoning.sequence` and candidate sites from
:func:`zoning.siting.propose_sites`) into a :class:`folium.Map`; writing it to disk is
:func:`zoning.io.maps.write_map`'s job.

The page is self-contained: Leaflet and its plugins are inlined (:mod:`zoning.maps.assets`),
and a light vector background drawn from the park's own layers keeps the map readable when
no tiles load. At start the map shows what a planner reads first, the zones (labelled), the
phase plan and the project verdicts (ids labelled); the detail layers (context, parcels,
constraints, infrastructure, candidate sites) are listed in the layer control, off. One
module per layer, each returning its legend section; the colours are in
:mod:`zoning.maps.style`. Text is in the current language (:mod:`zoning.i18n`) or ``lang``.

Examples
--------
>>> import zoning
>>> m = make_map(zoning.load_park(), basemap="none")
>>> layer_names(m)[:3]
['底图 Background', '背景 Context (real data)', '分区 Zones']
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict, Unpack

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd

from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.i18n import Lang, _, get_lang, use_lang
from zoning.maps import checks, elements
from zoning.maps.basemaps import add_minimap, add_tiles, tile_layers
from zoning.maps.constraints import add_constraints
from zoning.maps.context import add_background, add_built_up, add_context, context_attribution
from zoning.maps.elements import HtmlControl
from zoning.maps.features import DerivedGeoJson, Display
from zoning.maps.grades import add_grades
from zoning.maps.idle_land import add_idle_land
from zoning.maps.infrastructure import add_infrastructure
from zoning.maps.parcels import add_parcels
from zoning.maps.phases import add_phases, plan_outlines
from zoning.maps.results import add_results
from zoning.maps.sites import add_sites
from zoning.maps.style import (
    COORD_DECIMALS,
    LAYER_BACKGROUND,
    LAYER_CONSTRAINTS,
    LAYER_CONTEXT,
    LAYER_FIT,
    LAYER_GRADES,
    LAYER_IDLE_LAND,
    LAYER_INFRASTRUCTURE,
    LAYER_PARCELS_LAND_USE,
    LAYER_PARCELS_STATUS,
    LAYER_SITES,
    LAYER_ZONES,
    POINT_PANE,
    STATUS_COLOURS,
    VERDICT_COLOURS,
    phase_colours,
    phase_layer_name,
    site_colour,
)
from zoning.maps.zones import add_zones
from zoning.park import Park

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult

__all__ = [
    "COORD_DECIMALS",
    "LAYER_BACKGROUND",
    "LAYER_CONSTRAINTS",
    "LAYER_CONTEXT",
    "LAYER_FIT",
    "LAYER_GRADES",
    "LAYER_IDLE_LAND",
    "LAYER_INFRASTRUCTURE",
    "LAYER_PARCELS_LAND_USE",
    "LAYER_PARCELS_STATUS",
    "LAYER_SITES",
    "LAYER_ZONES",
    "STATUS_COLOURS",
    "VERDICT_COLOURS",
    "Background",
    "BackgroundOverrides",
    "DerivedGeoJson",
    "HtmlControl",
    "context_attribution",
    "layer_names",
    "make_map",
    "phase_colours",
    "phase_layer_name",
    "plan_outlines",
    "site_colour",
]

#: the zoom the map opens at before fitting the park's bounds
_ZOOM_START = 14
_MAX_ZOOM = 19


class HasParcels(Protocol):
    """What the map needs of a phase plan: its parcels with an Int64 ``phase`` column."""

    @property
    def parcels(self) -> gpd.GeoDataFrame: ...


def _check_inputs(
    results: gpd.GeoDataFrame | None,
    plan: HasParcels | None,
    sites: gpd.GeoDataFrame | None,
    tiles_url: str | None,
) -> None:
    problems: list[Problem] = []
    if results is not None:
        problems += checks.result_issues(results)
    if plan is not None:
        problems += checks.plan_issues(plan)
    if sites is not None:
        problems += checks.site_issues(sites)
    if tiles_url is not None:
        problems += checks.check_tiles_url(tiles_url)
    if problems:
        raise InputError(_("cannot make the map"), problems)


@dataclass(frozen=True)
class Background:
    """What the map is drawn over: a basemap, or the tiles of an (intranet) tile service.

    Parameters
    ----------
    basemap
        ``osm`` (default), ``tianditu``, ``amap`` (overlays shifted to GCJ-02) or ``none``.
    tianditu_key
        Tianditu browser key; default: the ``ZONING_TIANDITU_KEY`` environment variable.
        It ends up in the HTML, as any browser key does.
    tiles_url, tiles_attribution
        A tile URL template of an (intranet) tile service, with ``{z}``, ``{x}``, ``{y}``
        (http, https or relative), and the attribution to show; it replaces the basemap's
        tiles (with ``basemap="amap"`` the tiles are taken to be in GCJ-02).

    Examples
    --------
    >>> Background(basemap="none").replace(tiles_url="/tiles/{z}/{x}/{y}.png").basemap
    'none'

    A field given by name to :func:`make_map` wins over the ``background``:

    >>> import zoning
    >>> make_map(zoning.load_park(), background=Background(basemap="amap"), basemap="none")
    <folium.folium.Map object at ...>
    """

    basemap: str | s.Basemap = s.Basemap.OSM
    tianditu_key: str | None = None
    tiles_url: str | None = None
    tiles_attribution: str | None = None

    def replace(self, **changes: Unpack[BackgroundOverrides]) -> Background:
        """Return a copy with the given fields changed."""
        return dataclasses.replace(self, **changes)


class BackgroundOverrides(TypedDict, total=False):
    """The fields of :class:`Background`, each one given by name to :func:`make_map`."""

    basemap: str | s.Basemap
    tianditu_key: str | None
    tiles_url: str | None
    tiles_attribution: str | None


def make_map(
    park: Park,
    *,
    results: gpd.GeoDataFrame | None = None,
    plan: HasParcels | None = None,
    sites: gpd.GeoDataFrame | None = None,
    background: Background | None = None,
    lang: Lang | None = None,
    ledger: LedgerResult | None = None,
    **overrides: Unpack[BackgroundOverrides],
) -> folium.Map:
    """Draw a park, and optionally fit results, a phase plan and candidate sites, on a map.

    Parameters
    ----------
    park
        The park to draw.
    results
        Output of :func:`zoning.check`. Each project is drawn once, from its best row: at
        its site, or on a vacant parcel of its best zone marked "no site yet".
    plan
        Output of :func:`zoning.sequence`: its ``parcels`` carry an Int64 ``phase``
        (<NA> = not opened). One layer per phase.
    sites
        Output of :func:`zoning.siting.propose_sites`: ranked candidate sites for the
        projects without one (a layer off at start; a project without a site is drawn at
        its best candidate).
    background
        The basemap or tile service drawn under the layers (:class:`Background`); default
        OpenStreetMap.
    lang
        Language of the map's text, ``zh`` or ``en``; default: the current language.
    ledger
        Output of :func:`zoning.ledger.evaluate`: draws the per-mu grade of each held
        parcel's enterprise and the idle and inefficient land, two layers off at start.
    **overrides
        Any field of :class:`Background` by name (``basemap="none"``, ``tianditu_key=…``,
        ``tiles_url=…``, ``tiles_attribution=…``); it replaces the value in ``background``.

    Returns
    -------
    folium.Map
        The map; write it with :func:`zoning.io.maps.write_map`.

    Raises
    ------
    InputError
        For an unknown basemap, a Tianditu basemap without a key, a tile URL template that
        Leaflet cannot use, or results, a plan or sites lacking the columns the map needs.
    """
    under = (background or Background()).replace(**overrides)
    with use_lang(lang or get_lang()):
        chosen, key = checks.resolve_basemap(
            under.basemap, under.tianditu_key, tiles_given=under.tiles_url is not None
        )
        _check_inputs(results, plan, sites, under.tiles_url)
        display = Display(gcj02=chosen is s.Basemap.AMAP)
        m, bounds = _new_map(park, display)
        tiles = tile_layers(chosen, key, under.tiles_url, under.tiles_attribution)
        add_tiles(m, tiles)
        _draw_layers(m, park, display, results=results, plan=plan, sites=sites, ledger=ledger)
        add_minimap(m, park, tiles, display)
        elements.drop_cdn_links(m)
        m.fit_bounds(bounds)
    return m


def _new_map(park: Park, display: Display) -> tuple[folium.Map, list[list[float]]]:
    """Return an empty map over the park, with the inlined assets; and the park's bounds."""
    extent = display.geometries(pd.concat([park.zones[["geometry"]], park.parcels[["geometry"]]]))
    minx, miny, maxx, maxy = extent.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=_ZOOM_START,
        tiles=None,
        control_scale=False,
        max_zoom=_MAX_ZOOM,
        zoom_snap=0.25,
    )
    elements.use_inline_assets(m)
    folium.map.CustomPane(POINT_PANE, z_index=450, pointer_events=True).add_to(m)
    return m, [[miny, minx], [maxy, maxx]]


def _draw_layers(
    m: folium.Map,
    park: Park,
    display: Display,
    *,
    results: gpd.GeoDataFrame | None,
    plan: HasParcels | None,
    sites: gpd.GeoDataFrame | None,
    ledger: LedgerResult | None = None,
) -> None:
    """Draw every layer, in the layer control's order; add the legend, title and controls."""
    background_group, background = add_background(m, park, display)
    context = add_context(m, park, display)
    zones = add_zones(m, park, display)
    parcels, parcels_layer = add_parcels(m, park, display)
    add_built_up(m, background_group, parcels_layer)
    constraints = add_constraints(m, park, display)
    infrastructure = add_infrastructure(m, park, display)
    phases = (
        add_phases(m, park, plan.parcels, display, **plan_outlines(plan))
        if plan is not None
        else ""
    )
    candidates = add_sites(m, park, sites, results, display) if sites is not None else ""
    fit = add_results(m, park, results, display, sites) if results is not None else ""
    grades = add_grades(m, park, ledger, display) if ledger is not None else ""
    idle_land = add_idle_land(m, park, ledger, display) if ledger is not None else ""
    elements.add_title(m, park)
    elements.add_controls(m)
    elements.add_legend(
        m,
        [
            zones,
            phases,
            fit,
            background,
            context,
            *parcels,
            constraints,
            infrastructure,
            candidates,
            grades,
            idle_land,
        ],
    )


def layer_names(m: folium.Map) -> list[str]:
    """Names of the overlay layers of a map made by :func:`make_map`, in drawing order."""
    return [
        child.layer_name
        for child in m._children.values()
        if isinstance(child, folium.FeatureGroup) and child.control
    ]
