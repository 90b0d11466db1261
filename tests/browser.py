"""Open a generated map in headless Chromium, offline, and look at it as a person would.

The browser is Debian's Chromium driven by Playwright for Python (no browser download).
Every request but the page itself is aborted and recorded, as on an intranet with no
internet: the map must render from the one HTML file, and a test can see what it asked for
(tiles, when a basemap is chosen).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("ZONING_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1400, "height": 900}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when everything is in place."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed"
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ZONING_CHROMIUM)"
    return None


@dataclass
class PageLog:
    """What happened while the page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)


_INIT_SCRIPT = """
window.__alerts = [];
for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (message) => { window.__alerts.push(name + ":" + String(message)); };
}
"""

# the overlays of the layer control, by name, with the feature layers inside each
_JS_OVERLAYS = """
() => {
    const key = Object.keys(window).find(
        (k) => k.endsWith("_layers") && window[k] && window[k].overlays);
    const map = Object.values(window).find((v) => v instanceof L.Map);
    const out = {};
    for (const [name, group] of Object.entries(window[key].overlays)) {
        let features = 0, inDom = 0, visible = 0;
        const visit = (layer) => {
            if (layer.getLayers && !layer.feature) { layer.getLayers().forEach(visit); return; }
            features += 1;
            const path = layer._path;
            if (path && path.isConnected) {
                inDom += 1;
                const d = path.getAttribute("d") || "";
                if (d && d !== "M0 0") visible += 1;
            }
        };
        visit(group);
        out[name] = {features: features, in_dom: inDom, visible: visible,
                     on_map: map.hasLayer(group)};
    }
    return out;
}
"""

_JS_FILLS = """
(name) => {
    const key = Object.keys(window).find(
        (k) => k.endsWith("_layers") && window[k] && window[k].overlays);
    const out = [];
    const visit = (layer) => {
        if (layer.getLayers && !layer.feature) { layer.getLayers().forEach(visit); return; }
        if (layer._path && layer._path.isConnected) out.push(layer._path.getAttribute("fill"));
    };
    visit(window[key].overlays[name]);
    return out;
}
"""

_JS_POINT = """
([lat, lon]) => {
    const map = Object.values(window).find((v) => v instanceof L.Map);
    const p = map.latLngToContainerPoint([lat, lon]);
    const rect = map.getContainer().getBoundingClientRect();
    const x = rect.left + p.x, y = rect.top + p.y;
    const el = document.elementFromPoint(x, y);
    return {x: x, y: y, tag: el ? el.tagName.toLowerCase() : null,
            interactive: !!(el && el.classList && el.classList.contains("leaflet-interactive"))};
}
"""


class MapPage:
    """A map open in the browser, with the helpers a test needs to look at it."""

    def __init__(self, page: Any, log: PageLog) -> None:
        self.page = page
        self.log = log

    def overlay_labels(self) -> list[str]:
        """The overlay names the layer control shows, top to bottom."""
        labels = self.page.locator(".leaflet-control-layers-overlays label")
        return [text.strip() for text in labels.all_inner_texts()]

    def overlays(self) -> dict[str, dict[str, Any]]:
        """Per overlay: feature layers, shapes in the DOM, shapes drawn, shown or not."""
        result: dict[str, dict[str, Any]] = self.page.evaluate(_JS_OVERLAYS)
        return result

    def fills(self, name: str) -> list[str]:
        """The fill colours of the shapes drawn for an overlay, in feature order."""
        fills: list[str] = self.page.evaluate(_JS_FILLS, name)
        return fills

    def set_overlay(self, name: str, *, shown: bool) -> None:
        """Tick or untick an overlay in the layer control, as a person would."""
        label = self.page.locator(".leaflet-control-layers-overlays label", has_text=name)
        box = label.locator("input")
        if box.is_checked() != shown:
            box.click()

    def show_only(self, names: set[str]) -> None:
        """Show the named overlays and hide every other one."""
        for name in self.overlay_labels():
            self.set_overlay(name, shown=name in names)

    def screen_point(self, lat: float, lon: float) -> dict[str, Any]:
        """The page position of a map point and what element lies there."""
        result: dict[str, Any] = self.page.evaluate(_JS_POINT, [lat, lon])
        return result

    def center_on(self, lat: float, lon: float, zoom: int) -> None:
        """Zoom the map to a point, as a person zooms in to look at something."""
        self.page.evaluate(
            "([lat, lon, zoom]) => Object.values(window).find((v) => v instanceof L.Map)"
            ".setView([lat, lon], zoom, {animate: false})",
            [lat, lon, zoom],
        )
        self.page.wait_for_timeout(200)

    def click(self, lat: float, lon: float) -> str:
        """Click a map point; return the text of the popup that opens."""
        point = self.screen_point(lat, lon)
        self.page.mouse.click(point["x"], point["y"])
        popup = self.page.locator(".leaflet-popup-content")
        popup.wait_for(state="visible", timeout=5000)
        return str(popup.inner_text())

    def hover(self, lat: float, lon: float) -> str:
        """Move the mouse over a map point; return the tooltip's text."""
        point = self.screen_point(lat, lon)
        self.page.mouse.move(point["x"] - 3, point["y"] - 3)
        self.page.mouse.move(point["x"], point["y"])
        tooltip = self.page.locator(".leaflet-tooltip")
        tooltip.last.wait_for(state="visible", timeout=5000)
        return str(tooltip.last.inner_text())

    def close_popups(self) -> None:
        """Close any open popup."""
        self.page.evaluate(
            "() => Object.values(window).find((v) => v instanceof L.Map).closePopup()"
        )
        self.page.wait_for_timeout(100)

    def alerts(self) -> list[str]:
        """Calls to alert/confirm/prompt made by the page."""
        calls: list[str] = self.page.evaluate("window.__alerts")
        return calls + self.log.dialogs


@contextmanager
def open_map(
    html_path: Path, *, viewport: dict[str, int] | None = None, lang: str = "zh-CN"
) -> Iterator[MapPage]:
    """Open ``html_path`` in headless Chromium with every network request failing.

    The page itself is the only request served; every other one (scripts, styles, tiles,
    fonts, anything) is aborted and recorded in ``log.aborted``: the map must draw from
    what the one HTML file holds.
    """
    from playwright.sync_api import sync_playwright

    log = PageLog()
    page_url = html_path.resolve().as_uri()

    def route(route: Any) -> None:
        if route.request.url == page_url:
            route.continue_()
            return
        log.aborted.append(route.request.url)
        route.abort()

    with tempfile.TemporaryDirectory(prefix="zoning-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport=viewport or VIEWPORT,
            locale=lang,
        )
        try:
            context.route("**/*", route)
            context.add_init_script(_INIT_SCRIPT)
            page = context.new_page()
            page.on(
                "console",
                lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
            )
            page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

            def on_dialog(dialog: Any) -> None:
                log.dialogs.append(f"{dialog.type}:{dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(page_url, wait_until="load")
            page.wait_for_function("() => Object.values(window).some((v) => v instanceof L.Map)")
            page.wait_for_timeout(300)  # let Leaflet finish fitting the bounds
            yield MapPage(page, log)
        finally:
            context.close()
