"""Write a set of outputs into a folder: inside it, under its lock, all or nothing.

Every output name is checked to lie inside the folder asked for (:func:`output_path`), so
that no name from the data (a park id, say) can write elsewhere. :func:`write_items` then
holds the folder's lock (:mod:`zoning.io._lock`), finishes what killed runs left behind
(:func:`zoning.io._atomic.recover_staging`), writes every item into a staging directory
inside the folder, and moves them into place together (:func:`zoning.io._atomic.replace_items`):
a failure at any point leaves the previous outputs as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from zoning.errors import InputError, Problem
from zoning.i18n import _
from zoning.io._atomic import STAGING_PREFIX, checkpoint, is_pending, recover_staging, replace_items
from zoning.io._lock import folder_lock

#: writes one output at the path given (a file or a folder) and returns its warnings
ItemWriter = Callable[[Path], Sequence[str]]


def output_path(folder: str | os.PathLike[str], name: str) -> Path:
    """Return ``folder / name`` after checking that it lies inside ``folder``.

    ``name`` must be one file or folder name (no separator, not ``.`` or ``..``), and the
    path, resolved (symbolic links followed), must be directly inside the resolved folder.

    Raises
    ------
    InputError
        If the name would write outside the folder.

    Examples
    --------
    >>> output_path("maps", "北川_plan.html").as_posix()
    'maps/北川_plan.html'
    >>> try:
    ...     output_path("maps", "../escaped.html")
    ... except InputError as exc:
    ...     print(exc.problems[0].what)
    the output name '../escaped.html' does not lie inside maps
    """
    base = Path(folder)
    separators = {"/", "\\", "\0", os.sep, *([os.altsep] if os.altsep else [])}
    inside = bool(name) and name not in (".", "..") and not any(c in name for c in separators)
    if inside:
        inside = (base / name).resolve().parent == base.resolve()
    if not inside:
        raise InputError(
            _("cannot write outside the output folder"),
            [
                Problem(
                    str(base),
                    _("the output name {name!r} does not lie inside {folder}").format(
                        name=name, folder=base
                    ),
                    expected=_("one file or folder name, without separators or '..'"),
                    fix=_(
                        "check the park_id in metadata.json, and that no link in the folder "
                        "points elsewhere"
                    ),
                )
            ],
        )
    return base / name


def write_items(
    folder: str | os.PathLike[str],
    writers: Mapping[str, ItemWriter],
    *,
    wait_s: float | None = None,
) -> tuple[list[str], list[str]]:
    """Write the items named in ``writers`` into ``folder``, all or nothing.

    Parameters
    ----------
    folder
        The output folder (created if needed).
    writers
        For each item name (a file or folder inside ``folder``), the function that writes
        it at the path it is given.
    wait_s
        How long to wait for another run writing into the folder (default
        :func:`zoning.io._lock.lock_wait_s`).

    Returns
    -------
    tuple of (list of str, list of str)
        The items written, and the warnings of the writers and of the lock and recovery
        (a stale lock taken over, an interrupted export rolled back).

    Raises
    ------
    InputError
        If an item name would lie outside ``folder``; nothing is written.
    ExportError
        If another run holds the folder's lock.
    OSError
        If an item cannot be written or moved into place; the previous items are kept.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_items(folder, {"a.txt": lambda p: p.write_text("A") and []})
    (['a.txt'], [])
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    """
    target = Path(folder)
    for name in writers:
        output_path(target, name)
    target.mkdir(parents=True, exist_ok=True)
    with folder_lock(target, wait_s=wait_s) as notes:
        notes += recover_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
        try:
            for name, write in writers.items():
                notes += write(staging / name)
            checkpoint("written")
            replace_items(staging, target, list(writers))
        finally:
            if not is_pending(staging):  # else kept for the next run to roll back
                shutil.rmtree(staging, ignore_errors=True)
    return list(writers), notes
