"""Write the outputs of ``zoning plan``, the map and the GeoJSON set, all or nothing.

Both are computed before this is called (the page rendered, the export layers gathered);
they are then written into a staging directory inside the output folder and moved into place
together, under the folder's lock (:func:`zoning.io.outputs.write_items`). If the second
cannot be put in place, the first is taken back and the previous map is restored: a failed
plan leaves the folder as it was.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from zoning.errors import ExportError
from zoning.i18n import _
from zoning.io._atomic import write_error_reason
from zoning.io.export import ExportBundle, ExportReport, export_items, write_geojson
from zoning.io.export.bundle import DEFAULT_CRS
from zoning.io.outputs import ItemWriter, output_path, write_items


def plan_map_name(park_id: str) -> str:
    """Return the file name of the plan's map.

    Examples
    --------
    >>> plan_map_name("北川")
    '北川_plan.html'
    """
    return f"{park_id}_plan.html"


def _page_writer(page_html: str) -> ItemWriter:
    def write(path: Path) -> list[str]:
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(page_html)
            fh.flush()
            os.fsync(fh.fileno())
        return []

    return write


def write_plan_outputs(
    out_dir: str | os.PathLike[str], *, page_html: str, bundle: ExportBundle
) -> tuple[Path, ExportReport]:
    """Write the plan's map (``<park_id>_plan.html``) and GeoJSON set into ``out_dir``.

    Parameters
    ----------
    out_dir
        The output folder (created if needed).
    page_html
        The rendered map page (:func:`zoning.io.maps.render_map`).
    bundle
        The export layers (:func:`zoning.io.export.to_export_bundle`).

    Returns
    -------
    tuple of (pathlib.Path, ExportReport)
        The map written, and what the GeoJSON export wrote (with any warning of the lock
        or of a recovery).

    Raises
    ------
    InputError
        If a name would lie outside ``out_dir``; nothing is written.
    ExportError
        If another run holds the folder, or a file cannot be written; the previous files
        are kept.
    """
    folder = Path(out_dir)
    map_name = plan_map_name(bundle.park_id)
    (geojson,) = export_items(bundle.park_id, ["geojson"], DEFAULT_CRS).values()
    html = output_path(folder, map_name)
    output_path(folder, geojson)
    writers: dict[str, ItemWriter] = {
        map_name: _page_writer(page_html),
        geojson: functools.partial(write_geojson, bundle),
    }
    try:
        _written, warnings = write_items(folder, writers)
    except ExportError:
        raise
    except OSError as exc:
        raise ExportError(
            _(
                "cannot write the plan into {folder}: {reason}; the previous files there are "
                "unchanged"
            ).format(folder=folder, reason=write_error_reason(exc))
        ) from exc
    counts = {name: len(frame) for name, frame in bundle.layers.items()}
    report = ExportReport(str(folder), (geojson,), counts, DEFAULT_CRS, tuple(warnings))
    return html, report
