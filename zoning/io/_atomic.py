"""Atomic writes: text files, and sets of files and folders replaced all or nothing.

A text file is written to a temporary file beside the target, then renamed
(:func:`write_text_atomic`); a set of items staged in a directory inside the target is
moved into place together (:func:`replace_items`). A reader never sees half a file, and a
failure leaves the previous files as they were.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TextIO

from zoning.errors import ExportError
from zoning.i18n import _

#: words of GDAL's errors when a write fails because the disk is full
_GDAL_DISK_FULL: Final = ("Failure seeking", "Failure writing", "No space left", "disk full")


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full, as an OS or a GDAL error.

    Examples
    --------
    >>> import errno
    >>> is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    True
    >>> is_disk_full(RuntimeError("Failure seeking to position before writing DBF record 44"))
    True
    >>> is_disk_full(PermissionError(errno.EACCES, "Permission denied"))
    False
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return any(words in str(exc) for words in _GDAL_DISK_FULL)


def write_error_reason(exc: BaseException) -> str:
    """Return why a write failed, in words: "no space left on device" for a full disk.

    Examples
    --------
    >>> write_error_reason(RuntimeError("Failure writing DBF record 44"))
    'no space left on device'
    """
    if is_disk_full(exc):
        return "no space left on device"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def disk_full_message(target: Path) -> str:
    """Return the message of a write into ``target`` that failed on a full disk."""
    return _(
        "cannot write {target}: no space left on device; free space on that disk and try "
        "again (what was there before is unchanged)"
    ).format(target=target)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, create_dirs: bool = False
) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: a temporary file, then a rename.

    Parameters
    ----------
    path
        The target file.
    text
        What to write.
    create_dirs
        Create missing parent directories (otherwise a missing directory is an error).

    Raises
    ------
    ExportError
        If the directory does not exist or cannot be written; an existing file is left as is.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out" / "note.txt"
    >>> write_text_atomic(target, "北川", create_dirs=True).read_text(encoding="utf-8")
    '北川'
    """
    return write_atomic(Path(path), lambda fh: fh.write(text), create_dirs=create_dirs)


def write_atomic(
    target: Path, write: Callable[[TextIO], object], *, create_dirs: bool = False
) -> Path:
    """Call ``write`` on a temporary text file beside ``target``, then move it into place."""
    directory = target.parent if str(target.parent) else Path()
    if create_dirs:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                f"cannot create the directory {directory}: {exc.strerror or exc}"
            ) from None
    if not directory.is_dir():
        raise ExportError(
            f"cannot write {target}: directory {directory} does not exist; create it first"
        )
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(
            f"cannot write {target}: {write_error_reason(exc)}. Check that the directory is "
            "writable."
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if is_disk_full(exc):
            raise ExportError(disk_full_message(target)) from None
        raise ExportError(
            f"cannot write {target}: {exc.strerror or exc}. Check that the directory is "
            "writable and that the path is not a directory."
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def replace_items(staging: Path, target: Path, items: Sequence[str]) -> None:
    """Move the staged ``items`` (files or directories) into ``target``, all or nothing.

    Each item replaces the one of the same name in ``target`` (``os.replace``, atomic per
    item); the previous items are kept in ``staging/.previous`` until every item is in
    place. On failure, what this call put in place is removed and every previous item is
    put back, and the error is raised again. ``staging`` must be on the same file system
    as ``target`` (a directory inside it).

    Raises
    ------
    OSError
        If an item cannot be moved (after the previous items are restored).
    """
    previous = staging / ".previous"
    previous.mkdir()
    saved: list[str] = []
    placed: list[str] = []
    try:
        for item in items:
            dest = target / item
            if dest.is_file() and not dest.is_symlink():
                try:  # keep the old file for a roll-back; the replace below is atomic
                    os.link(dest, previous / item)
                except OSError:  # a file system without hard links
                    shutil.copy2(dest, previous / item)
                saved.append(item)
            elif dest.exists() or dest.is_symlink():
                os.replace(dest, previous / item)
                saved.append(item)
            os.replace(staging / item, dest)
            placed.append(item)
    except OSError:
        for item in placed:  # remove what this export put in place ...
            path = target / item
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif item not in saved:
                path.unlink(missing_ok=True)
        for item in saved:  # ... and put back what was there before
            try:
                os.replace(previous / item, target / item)
            except OSError:  # pragma: no cover - keep restoring the others
                continue
        raise
