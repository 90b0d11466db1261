"""Write a map made by :func:`zoning.maps.make_map` to an HTML file, atomically.

The page is rendered in memory and written to a temporary file beside the target, which then
replaces the target in one step (``os.replace``): a reader never sees half a map, and a failed
write leaves the previous map untouched. This module does not import folium: it only asks
the map to render itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from zoning.io._atomic import write_text_atomic


class _Root(Protocol):
    def render(self) -> str: ...


class RenderableMap(Protocol):
    """Anything that renders to a whole HTML page, as a :class:`folium.Map` does."""

    def get_root(self) -> _Root:
        """Return the page (a branca ``Figure``) the map belongs to."""
        ...


def render_map(m: RenderableMap) -> str:
    """Return the HTML page of a map.

    Examples
    --------
    >>> class Page:
    ...     def render(self) -> str:
    ...         return "<html></html>"
    >>> class Map:
    ...     def get_root(self) -> Page:
    ...         return Page()
    >>> render_map(Map())
    '<html></html>'
    """
    return m.get_root().render()


def write_map(m: RenderableMap, path: str | os.PathLike[str]) -> Path:
    """Render ``m`` and write it to ``path`` (UTF-8 HTML), replacing any previous file.

    Parent directories are created. The file is complete or absent: it is written to a
    temporary file in the same directory and moved into place with :func:`os.replace`.

    Parameters
    ----------
    m
        A map from :func:`zoning.maps.make_map`.
    path
        Target file, for example ``maps/beichuan_plan.html``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ExportError
        If the directory cannot be created or the file cannot be written; an existing
        file at ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, zoning
    >>> from zoning.maps import make_map
    >>> target = Path(tempfile.mkdtemp()) / "maps" / "beichuan.html"
    >>> write_map(make_map(zoning.load_park(), basemap="none"), target).name
    'beichuan.html'
    """
    return write_text_atomic(path, render_map(m), create_dirs=True)
