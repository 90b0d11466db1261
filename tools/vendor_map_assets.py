"""Copy the maps' front-end assets from node_modules into ``zoning/maps/vendor/``.

Run ``npm ci`` at the repository root, then ``python tools/vendor_map_assets.py``. The files
listed in :data:`ASSETS` are copied unchanged (the versions are the ones pinned in
``package.json``), each package's licence beside them, and ``MANIFEST.json`` records for
every file its npm package, version, path in the package, path in ``vendor/``, role and
SHA-256. ``tests/test_map_assets.py`` checks the copies against node_modules byte for byte.

Only what the maps use is vendored: Leaflet, and the full-screen, measure and mini-map
controls. Folium's other defaults (jQuery, Bootstrap, Font Awesome, awesome-markers) are left
out of the maps altogether.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
VENDOR = REPO / "zoning" / "maps" / "vendor"

#: (npm package, file in the package, role), in the order the page loads them: the styles
#: and scripts of Leaflet first, then its plugins; images are inlined into the styles that
#: reference them; licences ship beside the files
ASSETS: tuple[tuple[str, str, str], ...] = (
    ("leaflet", "dist/leaflet.css", "style"),
    ("leaflet", "dist/images/layers.png", "image"),
    ("leaflet", "dist/images/layers-2x.png", "image"),
    ("leaflet", "dist/images/marker-icon.png", "image"),
    ("leaflet", "dist/images/marker-icon-2x.png", "image"),
    ("leaflet", "dist/images/marker-shadow.png", "image"),
    ("leaflet", "dist/leaflet.js", "script"),
    ("leaflet", "LICENSE", "licence"),
    ("leaflet.fullscreen", "Control.FullScreen.css", "style"),
    ("leaflet.fullscreen", "icon-fullscreen.svg", "image"),
    ("leaflet.fullscreen", "Control.FullScreen.js", "script"),
    ("leaflet.fullscreen", "LICENSE", "licence"),
    ("leaflet-measure", "dist/leaflet-measure.css", "style"),
    *(
        ("leaflet-measure", f"dist/images/{name}{scale}.png", "image")
        for name in ("cancel", "check", "focus", "rulers", "start", "trash")
        for scale in ("", "_@2X")
    ),
    ("leaflet-measure", "dist/leaflet-measure.min.js", "script"),
    ("leaflet-measure", "LICENSE", "licence"),
    ("leaflet-minimap", "dist/Control.MiniMap.min.css", "style"),
    ("leaflet-minimap", "dist/images/toggle.png", "image"),
    ("leaflet-minimap", "dist/images/toggle.svg", "image"),
    ("leaflet-minimap", "dist/Control.MiniMap.min.js", "script"),
    ("leaflet-minimap", "LICENSE.txt", "licence"),
)


def package_version(package: str) -> str:
    """Version of an installed npm package, from its package.json."""
    meta = json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))
    return str(meta["version"])


def manifest_entries() -> list[dict[str, str]]:
    """Return the manifest rows of :data:`ASSETS`, as node_modules holds them now."""
    rows = []
    for package, file, role in ASSETS:
        data = (NODE_MODULES / package / file).read_bytes()
        rows.append(
            {
                "package": package,
                "version": package_version(package),
                "file": file,
                # "dist/" is dropped: the repository ignores every folder of that name
                "path": f"{package}/{file.removeprefix('dist/')}",
                "role": role,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return rows


def main() -> int:
    """Copy the assets and write the manifest; return the exit code."""
    missing = [f"{p}/{f}" for p, f, _ in ASSETS if not (NODE_MODULES / p / f).is_file()]
    if missing:
        print("missing in node_modules (run `npm ci`): " + ", ".join(missing), file=sys.stderr)
        return 2
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    rows = manifest_entries()
    for row in rows:
        target = VENDOR / row["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE_MODULES / row["package"] / row["file"], target)
    manifest = {"source": "npm packages pinned in package.json", "files": rows}
    (VENDOR / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(rows)} files vendored into {VENDOR.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
