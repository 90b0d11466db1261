"""The exclusive lock of an output folder: one export (or plan) writes into a folder at a time.

The lock is a file in the folder, ``.zoning-export.lock``, holding the holder's pid, host
and start time, and locked with ``flock`` (POSIX) while the holder runs. The operating
system releases an ``flock`` when its process dies, however it dies, so a lock file left by
a killed run is recognised as stale, taken over, and reported. Where there is no ``flock``
(Windows) the file is created exclusively and a stale one is recognised by its pid.

A second writer waits up to ``ZONING_EXPORT_LOCK_WAIT_S`` seconds (default 10), then fails
with the holder's pid and what to do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from zoning.errors import ExportError
from zoning.i18n import _

#: the lock file in the output folder
LOCK_FILE: Final = ".zoning-export.lock"
#: environment variable: how long a second writer waits for the lock, in seconds
LOCK_WAIT_ENV: Final = "ZONING_EXPORT_LOCK_WAIT_S"
#: how long a second writer waits for the lock by default, in seconds
DEFAULT_LOCK_WAIT_S: Final = 10.0
_POLL_S: Final = 0.1


def lock_wait_s() -> float:
    """Return the wait for a held lock: ``$ZONING_EXPORT_LOCK_WAIT_S`` or 10 seconds.

    Examples
    --------
    >>> lock_wait_s() >= 0
    True
    """
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT_S)))
    except ValueError:
        return DEFAULT_LOCK_WAIT_S


def _holder_text() -> str:
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": started})


def _holder(text: str) -> dict[str, object]:
    try:
        holder = json.loads(text)
    except ValueError:
        return {}
    return holder if isinstance(holder, dict) else {}


def _describe(holder: dict[str, object]) -> str:
    return _("pid {pid} on {host}, since {started}").format(
        pid=holder.get("pid", "?"), host=holder.get("host", "?"), started=holder.get("started", "?")
    )


def _busy(folder: Path, lock: Path) -> ExportError:
    try:
        holder = _holder(lock.read_text(encoding="utf-8"))
    except OSError:
        holder = {}
    return ExportError(
        _(
            "another export ({holder}) is writing {folder}; wait for it to finish and try "
            "again, or, if no such export is running, remove the stale lock {lock}"
        ).format(holder=_describe(holder), folder=folder, lock=lock)
    )


def _taken_over(folder: Path, text: str) -> list[str]:
    if not text.strip():
        return []
    return [
        _(
            "took over the lock of {folder} left by an export that stopped without "
            "releasing it ({holder})"
        ).format(folder=folder, holder=_describe(_holder(text)))
    ]


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _acquire(folder: Path, lock: Path, deadline: float) -> tuple[int, list[str]]:
    """Open and lock ``lock``; return its descriptor and the stale-lock note, if any."""
    while True:
        if sys.platform == "win32":
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                try:
                    holder = _holder(lock.read_text(encoding="utf-8"))
                except OSError:  # released meanwhile
                    continue
                same_host = holder.get("host") == socket.gethostname()
                if same_host and not _pid_alive(holder.get("pid")):
                    note = _taken_over(folder, json.dumps(holder))
                    lock.unlink(missing_ok=True)
                    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                    return fd, note
            else:
                return fd, []
        else:
            import fcntl

            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
            else:
                if _same_file(fd, lock):
                    return fd, _taken_over(folder, os.read(fd, 4096).decode("utf-8", "replace"))
                os.close(fd)  # the holder removed it on release: lock the new one
                continue
        if time.monotonic() >= deadline:
            raise _busy(folder, lock)
        time.sleep(_POLL_S)


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (opened.st_dev, opened.st_ino)


@contextlib.contextmanager
def folder_lock(folder: Path, *, wait_s: float | None = None) -> Iterator[list[str]]:
    """Hold the exclusive export lock of ``folder`` (which must exist) for the block.

    Parameters
    ----------
    folder
        The output folder.
    wait_s
        How long to wait for a lock held by another run; default :func:`lock_wait_s`.

    Yields
    ------
    list of str
        Notes for the user (a stale lock taken over); the block may add its own.

    Raises
    ------
    ExportError
        If another run holds the lock after ``wait_s`` seconds: its pid, host and start
        time, and what to do.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with folder_lock(folder) as notes:
    ...     (folder / LOCK_FILE).is_file(), notes
    (True, [])
    >>> (folder / LOCK_FILE).exists()
    False
    """
    lock = folder / LOCK_FILE
    wait = lock_wait_s() if wait_s is None else wait_s
    fd, notes = _acquire(folder, lock, time.monotonic() + wait)
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, _holder_text().encode("utf-8"))
        os.fsync(fd)
        yield notes
    finally:
        lock.unlink(missing_ok=True)  # before the unlock: a waiter then locks a new file
        os.close(fd)
