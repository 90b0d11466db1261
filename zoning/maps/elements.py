"""The parts of a map page that are not layers: assets, CSS, legend, title box, controls.

- :func:`use_inline_assets` empties folium's CDN links (of the map and its plugins) and puts
  the vendored files inline in the page's head (:mod:`zoning.maps.assets`);
- :func:`legend_section` and :func:`add_legend` build the legend, one section per layer;
- :func:`add_title` the title box with the illustrative-data notice and the credits;
- :func:`add_controls` full screen, the measuring tool (metres, hectares and mu) and the
  layer control.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from zoning.i18n import _, get_lang
from zoning.maps.assets import inline_html
from zoning.maps.style import PAPER_COLOUR
from zoning.maps.text import esc
from zoning.park import Park

CSS: Final = """
<style>
.folium-map{background:PAPER}
.zoning-box{background:rgba(255,255,255,.95);padding:6px 9px;border-radius:5px;
 box-shadow:0 1px 5px rgba(0,0,0,.4);font:12px/1.35 "Noto Sans CJK SC","Microsoft YaHei",
 "PingFang SC",sans-serif;max-width:300px}
.zoning-box h4{margin:0 0 3px;font-size:14px;font-weight:600}
.zoning-legend{max-height:calc(100vh - 120px);overflow-y:auto;min-width:190px}
.zoning-legend::-webkit-scrollbar{width:8px}
.zoning-legend::-webkit-scrollbar-thumb{background:#999;border-radius:4px}
.zoning-legend summary{font-weight:600;cursor:pointer;margin-top:3px}
.zoning-legend i{display:inline-block;width:14px;height:11px;margin-right:5px;
 vertical-align:-1px;border:1px solid rgba(0,0,0,.45)}
.zoning-legend i.line{height:0;border-width:2px 0 0;border-style:solid;vertical-align:3px}
.zoning-legend i.dot{border-radius:50%;width:11px}
.zoning-legend i.ring{border-radius:50%;width:9px;height:9px;background:#fff;
 border-width:2px;border-style:dashed}
.zoning-legend i.outline{background:transparent;border-width:2px}
.zoning-notice{max-width:260px}
.zoning-notice .warn{color:#8a4b00;font-weight:600}
.zoning-notice details{margin-top:3px;max-height:30vh;overflow-y:auto}
.zoning-pop{font:12px/1.4 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:360px}
.zoning-pop h4{margin:0 0 4px;font-size:13px;font-weight:700}
.zoning-pop table{border-collapse:collapse}
.zoning-pop th{text-align:left;padding:1px 8px 1px 0;font-weight:600;vertical-align:top;
 white-space:nowrap}
.zoning-pop td{padding:1px 0;vertical-align:top}
.zoning-pop ul{margin:2px 0 0;padding-left:16px}
.zoning-pop li{margin-bottom:3px}
.zoning-pop .src{color:#555;font-size:11px}
.zoning-pop .nosite{color:#8a4b00;font-weight:600}
.leaflet-popup-content{margin:10px 12px}
.leaflet-interactive:focus{outline:none}
.leaflet-control-attribution{max-width:55vw;font-size:10px}
.leaflet-control-layers{font-size:12px}
.leaflet-control-layers-expanded{max-height:calc(100vh - 190px);overflow-y:auto}
.leaflet-control-layers-overlays label{margin-bottom:0}
.zoning-label{background:rgba(255,255,255,.82);border:0;box-shadow:none;padding:1px 4px;
 font:600 12px/1.2 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;white-space:nowrap}
.zoning-label:before{display:none}
.zoning-label.zone{font-size:13px;background:rgba(255,255,255,.7)}
.zoning-label.project{font-size:11px;padding:0 3px;border-radius:3px}
.zoning-label .nosite{font-style:italic;font-weight:400;font-size:10px;color:#6b4a00}
</style>
""".replace("PAPER", PAPER_COLOUR)

#: folium plugins this module adds, whose CDN links are replaced by the inlined assets
_PLUGINS: Final = (folium.plugins.Fullscreen, folium.plugins.MeasureControl, folium.plugins.MiniMap)


class HtmlControl(MacroElement):
    """A Leaflet control holding a block of (already escaped) HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.class_name|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str, class_name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.class_name = class_name


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (no feet, no miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.control.scale({metric: true, imperial: false, position: "bottomleft"})
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MetricScale"


class LabelDeclutter(MacroElement):
    """Moves the labels written on the map up or down until they no longer overlap.

    Labels are placed in the order they were added (zone names first, then project ids);
    each one that overlaps a label already placed is tried a little higher or lower, and
    left where it was when every try overlaps. Run again after every zoom, pan and layer
    switch.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var shifts = [0, -15, 15, -30, 30, -45, 45];
            var overlaps = function (a, b) {
                return a.left < b.right && b.left < a.right &&
                    a.top < b.bottom && b.top < a.bottom;
            };
            var declutter = function () {
                var placed = [];
                var labels = map.getPane("tooltipPane").querySelectorAll(".zoning-label");
                labels.forEach(function (el) {
                    el.style.marginTop = "0px";
                    var base = el.getBoundingClientRect();
                    for (var i = 0; i < shifts.length; i++) {
                        var r = {left: base.left, right: base.right,
                                 top: base.top + shifts[i], bottom: base.bottom + shifts[i]};
                        if (!placed.some(function (p) { return overlaps(p, r); })) {
                            el.style.marginTop = shifts[i] + "px";
                            placed.push(r);
                            return;
                        }
                    }
                    placed.push(base);
                });
            };
            var later = function () { setTimeout(declutter, 250); };
            map.on("zoomend moveend overlayadd overlayremove", later);
            map.whenReady(later);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LabelDeclutter"


def use_inline_assets(m: folium.Map) -> None:
    """Put the vendored Leaflet and plugin files inline in the page; link nothing online.

    Folium links its defaults (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers)
    and each plugin's files from CDNs. The maps need only Leaflet and three plugins; those
    are inlined, and every CDN link is emptied, on the map and on every plugin added later
    (:func:`drop_cdn_links`).
    """
    m.default_js = []
    m.default_css = []
    root = cast(Figure, m.get_root())
    root.header.add_child(Element(inline_html()), name="zoning_assets")
    root.header.add_child(Element(CSS), name="zoning_css")


def drop_cdn_links(m: folium.Map) -> None:
    """Empty the CDN links of every plugin on the map (their files are inlined)."""
    for child in m._children.values():
        if isinstance(child, _PLUGINS):
            child.default_js = []
            child.default_css = []


def legend_section(title: str, entries: Sequence[tuple[str, str]], *, open_: bool = True) -> str:
    """Return a collapsible legend section; ``entries`` are (swatch HTML, escaped label)."""
    if not entries:
        return ""
    items = "".join(f"<div>{swatch}{label}</div>" for swatch, label in entries)
    opened = " open" if open_ else ""
    return f"<details{opened}><summary>{html.escape(title)}</summary>{items}</details>"


def swatch(colour: str, kind: str = "", style: str = "") -> str:
    """Return the HTML of a legend swatch: a box, ``line``, ``dot``, ``ring`` or ``outline``."""
    prop = "background" if kind in ("", "dot") else "border-color"
    return f'<i class="{kind}" style="{prop}:{colour};{style}"></i>'


def add_legend(m: folium.Map, sections: Sequence[str]) -> None:
    """Add the legend (bottom left), scrolling inside when it is taller than the window."""
    words = _("Legend")
    title = f"<h4>{html.escape(words)}</h4>"
    m.add_child(
        HtmlControl(
            '<div class="zoning-legend">' + title + "".join(sections) + "</div>",
            position="bottomleft",
            class_name="zoning-box",
        )
    )


def add_title(m: folium.Map, park: Park) -> None:
    """Add the title box: the park's name, the illustrative-data notice, the credits."""
    parts = [f"<h4>{esc(park.name)}</h4>"]
    if park.notice:
        parts.append(
            '<div class="warn">⚠ '
            + html.escape(_("Illustrative data, not an official plan"))
            + "</div>"
        )
        credit_lines = "".join(f"<li>{esc(c)}</li>" for c in _credit_lines(park))
        summary = _("Notice and credits")
        parts.append(
            f"<details><summary>{html.escape(summary)}</summary>"
            f"<p>{esc(park.notice)}</p><ul>{credit_lines}</ul></details>"
        )
    m.add_child(
        HtmlControl("".join(parts), position="topright", class_name="zoning-box zoning-notice")
    )


def _credit_lines(park: Park) -> list[str]:
    raw = park.metadata.get("credits", [])
    lines = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, Mapping):
            text = " — ".join(str(item[k]) for k in ("data", "source", "licence") if item.get(k))
            lines.append(text)
        else:
            lines.append(str(item))
    return lines


def add_controls(m: folium.Map) -> None:
    """Add full screen, the measuring tool in metric units, and the layer control."""
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.add_child(MetricScale())
    m.add_child(LabelDeclutter())
    folium.plugins.Fullscreen(  # type: ignore[no-untyped-call]
        position="topleft", title=_("Full screen"), title_cancel=_("Exit full screen")
    ).add_to(m)
    options: dict[str, Any] = {
        "position": "topleft",
        "primary_length_unit": "meters",
        "secondary_length_unit": "kilometers",
        "primary_area_unit": "hectares",
        "secondary_area_unit": "mu",
        "units": {"mu": {"factor": 0.0015, "display": _("mu"), "decimals": 1}},
        "localization": "cn" if get_lang() == "zh" else "en",
    }
    folium.plugins.MeasureControl(**options).add_to(m)  # type: ignore[no-untyped-call]
