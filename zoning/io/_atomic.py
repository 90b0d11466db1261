"""Atomic writes: text files, and sets of files and folders replaced all or nothing.

A text file is written to a temporary file beside the target, then renamed
(:func:`write_text_atomic`); a set of items staged in a directory inside the target is
moved into place together (:func:`replace_items`). A reader never sees half a file, and a
failure leaves the previous files as they were.

Each item replaces its predecessor in one step where the platform allows (Linux:
``renameat2(RENAME_EXCHANGE)``, which swaps two paths atomically, folders included);
elsewhere the previous item is moved aside first. A journal in the staging directory
records the identity (device, inode) of every previous and new item before the first move,
so that a run killed half way is rolled back by the next one (:func:`recover_staging`):
each previous item is found by its identity, wherever the killed run left it, and put
back. :func:`checkpoint` lets a test stop, kill or fail a run between two of these steps.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

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


#: name prefix of the staging directories an export makes inside its target directory
STAGING_PREFIX: Final = ".zoning-export-"
#: the journal of a replacement, in its staging directory
JOURNAL_FILE: Final = "journal.json"
#: test hook: ``<checkpoint>:<action>`` makes the run stop, kill or fail itself there
CHECKPOINT_ENV: Final = "ZONING_TEST_CHECKPOINT"
#: test hook: a file where the run writes its pid when it reaches the checkpoint
CHECKPOINT_FILE_ENV: Final = "ZONING_TEST_CHECKPOINT_FILE"
#: test hook: any value makes replacements move the previous item aside (no exchange)
NO_EXCHANGE_ENV: Final = "ZONING_TEST_NO_EXCHANGE"

_AT_FDCWD: Final = -100
_RENAME_EXCHANGE: Final = 2
#: errno values of a file system or kernel that cannot exchange two paths
_NO_EXCHANGE: Final = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP})

_Identity = list[int]  # [st_dev, st_ino], as stored in the journal


def checkpoint(name: str) -> None:
    """Let a test stop, kill or fail this process at the point ``name`` of a replacement.

    Does nothing unless the environment variable ``ZONING_TEST_CHECKPOINT`` is
    ``<name>:<action>``, with action ``stop`` (SIGSTOP: the test resumes or kills the
    process), ``kill`` (SIGKILL) or ``fail`` (an ``OSError``). The pid is first written to
    the file named by ``ZONING_TEST_CHECKPOINT_FILE``, if set. The points are ``written``
    (all staged, nothing moved), ``replacing`` (journal written), ``aside-N`` (the N-th
    previous item moved aside, where there is no exchange) and ``placed-N``.

    Examples
    --------
    >>> checkpoint("placed-1")  # no hook set: nothing happens
    """
    point, _sep, action = os.environ.get(CHECKPOINT_ENV, "").partition(":")
    if point != name:
        return
    marker = os.environ.get(CHECKPOINT_FILE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="ascii")
    if action == "fail":
        raise OSError(errno.EIO, f"test hook: failure at {name}")
    if action in ("stop", "kill") and sys.platform != "win32":
        os.kill(os.getpid(), signal.SIGSTOP if action == "stop" else signal.SIGKILL)


@functools.cache
def _renameat2() -> Any:
    if sys.platform != "linux":
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no C library symbol (glibc before 2.28, musl)
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` (files or folders) in one step, if the platform can.

    Linux ``renameat2(RENAME_EXCHANGE)``: both must exist on the same file system; at no
    moment is either path missing. Return False where the platform or the file system
    cannot exchange (nothing was moved then).

    Raises
    ------
    OSError
        If the exchange is supported but fails (a path missing, permission).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_text("A"), (d / "b").write_text("B")
    >>> exchanged = exchange_paths(d / "a", d / "b")
    >>> (d / "a").read_text() == ("B" if exchanged else "A")
    True
    """
    func = _renameat2()
    if func is None or os.environ.get(NO_EXCHANGE_ENV):
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _identity(path: Path) -> _Identity | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _write_journal(staging: Path, journal: dict[str, Any]) -> None:
    write_text_atomic(staging / JOURNAL_FILE, json.dumps(journal))


def _read_journal(staging: Path) -> dict[str, Any] | None:
    try:
        journal = json.loads((staging / JOURNAL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return journal if isinstance(journal, dict) else None


def is_pending(staging: Path) -> bool:
    """Whether ``staging`` holds a replacement begun and not finished nor rolled back."""
    journal = _read_journal(staging)
    return journal is not None and journal.get("state") == "replacing"


def replace_items(staging: Path, target: Path, items: Sequence[str]) -> None:
    """Move the staged ``items`` (files or directories) into ``target``, all or nothing.

    Each item replaces the one of the same name in ``target``: exchanged with it in one
    step where the platform allows (the previous item then sits in ``staging``), otherwise
    moved aside into ``staging/.previous`` first. A journal written before the first move
    lets :func:`recover_staging` roll back a run killed half way. On failure, what this
    call put in place is removed, every previous item is put back, and the error is raised
    again. ``staging`` must be on the same file system as ``target`` (a directory inside
    it).

    Raises
    ------
    OSError
        If an item cannot be moved (after the previous items are restored).
    """
    previous = staging / ".previous"
    previous.mkdir()
    entries = [
        {"name": item, "new": _identity(staging / item), "old": _identity(target / item)}
        for item in items
    ]
    journal: dict[str, Any] = {"pid": os.getpid(), "state": "replacing", "items": entries}
    _write_journal(staging, journal)
    checkpoint("replacing")
    try:
        for number, item in enumerate(items, start=1):
            _place(staging / item, target / item, previous / item, number)
            checkpoint(f"placed-{number}")
    except OSError:
        if roll_back(staging, target, entries) is not None:
            _write_journal(staging, {**journal, "state": "rolled back"})
        raise
    _write_journal(staging, {**journal, "state": "replaced"})


def _place(new: Path, dest: Path, aside: Path, number: int) -> None:
    """Put ``new`` at ``dest``; the previous item ends in ``new``'s place or at ``aside``."""
    if (dest.exists() or dest.is_symlink()) and exchange_paths(new, dest):
        return
    file_by_file = dest.is_file() and not dest.is_symlink() and new.is_file()
    if file_by_file:
        try:  # keep the old file for a roll-back; the replace below is atomic
            os.link(dest, aside)
        except OSError:  # a file system without hard links
            os.replace(dest, aside)
    elif dest.exists() or dest.is_symlink():
        os.replace(dest, aside)
    checkpoint(f"aside-{number}")
    os.replace(new, dest)


def roll_back(staging: Path, target: Path, entries: Sequence[dict[str, Any]]) -> list[str] | None:
    """Undo a replacement recorded in ``entries``: each previous item back in ``target``.

    Each item is found by its identity in ``target``, in ``staging`` or in
    ``staging/.previous``; a new item without predecessor is removed. Safe to repeat (a
    roll-back killed half way is finished by the next). Return the names put back, or None
    if some previous item could not be restored (``staging`` must then be kept).
    """
    restored: list[str] = []
    complete = True
    for entry in reversed(entries):
        name, old, new = str(entry["name"]), entry.get("old"), entry.get("new")
        dest = target / name
        here = _identity(dest)
        try:
            if old is None or here == old:
                if old is None and here is not None and here == new:
                    _remove(dest)
                continue
            source = next(
                (p for p in (staging / name, staging / ".previous" / name) if _identity(p) == old),
                None,
            )
            if source is None:
                complete = False
                continue
            if here is None or not exchange_paths(source, dest):
                if here is not None:
                    os.replace(dest, staging / f".discarded-{name}")
                os.replace(source, dest)
            restored.append(name)
        except OSError:
            complete = False
    return restored if complete else None


def recover_staging(target: Path) -> list[str]:
    """Finish what killed runs left in ``target``; return what was done, as messages.

    A replacement that was under way is rolled back (the previous items are put back, even
    a folder that was missing from ``target``); every staging directory is then removed.
    Call it while holding the folder's lock (:func:`zoning.io._lock.folder_lock`), so that
    no staging directory belongs to a running export.
    """
    notes: list[str] = []
    removed = 0
    for staging in sorted(target.glob(STAGING_PREFIX + "*")):
        if not staging.is_dir() or staging.is_symlink():
            continue
        journal = _read_journal(staging)
        if journal is None:
            entries = [
                {"name": p.name, "old": _identity(p), "new": None}
                for p in sorted((staging / ".previous").glob("*"))
                if not (target / p.name).exists()
            ]
            pid: object = "?"
        else:
            entries = journal.get("items", []) if journal.get("state") == "replacing" else []
            pid = journal.get("pid", "?")
        restored = roll_back(staging, target, entries) if entries else []
        if restored is None:
            notes.append(
                _(
                    "could not restore every item of an interrupted export in {staging}; it "
                    "is kept: move the items of its .previous folder back by hand"
                ).format(staging=staging)
            )
            continue
        if restored:
            notes.append(
                _(
                    "an earlier export (pid {pid}) was interrupted while replacing its files; "
                    "the previous version was restored: {items}"
                ).format(pid=pid, items=", ".join(restored))
            )
        shutil.rmtree(staging, ignore_errors=True)
        removed += 1
    if removed:
        notes.append(
            _("removed {count} staging folder(s) left in {target} by interrupted exports").format(
                count=removed, target=target
            )
        )
    return notes
