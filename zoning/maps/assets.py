"""The front-end assets of the maps, vendored in ``vendor/`` and inlined into every page.

``vendor/`` holds copies of the minified Leaflet and plugin files from the npm packages
pinned in ``package.json`` (``tools/vendor_map_assets.py`` copies them, ``MANIFEST.json``
records package, version, file and SHA-256). :func:`inline_html` returns them as ``<style>``
and ``<script>`` elements, with the images the stylesheets reference turned into ``data:``
URIs, so that one HTML file holds everything it needs and works copied alone to a machine
with no network.

Examples
--------
>>> page = inline_html()
>>> "L.version" in page or "Leaflet" in page, "url(images/" in page
(True, False)
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from importlib.resources import files
from pathlib import PurePosixPath
from typing import Any, Final

#: MIME types of the images the stylesheets reference
_MIME: Final = {".png": "image/png", ".svg": "image/svg+xml"}
_URL: Final = re.compile(r"url\((['\"]?)([^)'\"#][^)'\"]*)\1\)")


def _vendor() -> Any:
    return files("zoning.maps") / "vendor"


@cache
def manifest() -> list[dict[str, str]]:
    """Return the rows of ``vendor/MANIFEST.json``: package, version, file, path, role, sha256."""
    data = json.loads((_vendor() / "MANIFEST.json").read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = data["files"]
    return rows


def _read(path: str) -> bytes:
    data: bytes = (_vendor() / path).read_bytes()
    return data


def _inline_urls(css: str, css_path: str) -> str:
    """Replace the relative ``url(...)`` of a stylesheet by ``data:`` URIs of the files."""
    folder = PurePosixPath(css_path).parent

    def data_uri(match: re.Match[str]) -> str:
        target = PurePosixPath(*(folder / match.group(2)).parts)
        mime = _MIME.get(target.suffix)
        if mime is None:
            return match.group(0)
        encoded = base64.b64encode(_read(str(target))).decode("ascii")
        return f'url("data:{mime};base64,{encoded}")'

    return _URL.sub(data_uri, css)


def _data_uri(path: str) -> str:
    mime = _MIME[PurePosixPath(path).suffix]
    return f"data:{mime};base64,{base64.b64encode(_read(path)).decode('ascii')}"


def _default_icon_script() -> str:
    """Point Leaflet's default marker icon at inlined images (the measuring tool uses it).

    Leaflet finds its icons through the stylesheet's image path, which an inlined image
    does not have: without this, the page would ask for ``marker-icon.png`` beside itself.
    """
    urls = {
        "iconUrl": _data_uri("leaflet/images/marker-icon.png"),
        "iconRetinaUrl": _data_uri("leaflet/images/marker-icon-2x.png"),
        "shadowUrl": _data_uri("leaflet/images/marker-shadow.png"),
    }
    return (
        "<script>L.Icon.Default.mergeOptions("
        + json.dumps(urls)
        + ");L.Icon.Default.prototype._getIconUrl = L.Icon.prototype._getIconUrl;</script>"
    )


@cache
def inline_html() -> str:
    """Return the styles and scripts of the maps, as elements to put in the page's head."""
    styles, scripts = [], []
    for row in manifest():
        if row["role"] == "style":
            css = _inline_urls(_read(row["path"]).decode("utf-8"), row["path"])
            styles.append(f"<style>/* {row['package']} {row['version']} */\n{css}</style>")
        elif row["role"] == "script":
            js = _read(row["path"]).decode("utf-8").replace("</script", "<\\/script")
            scripts.append(f"<script>/* {row['package']} {row['version']} */\n{js}</script>")
    return "\n".join([*styles, *scripts, _default_icon_script()])
