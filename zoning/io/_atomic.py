"""Atomic text files: written to a temporary file beside the target, then renamed.

A reader never sees half a file, and a failure leaves any previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from zoning.errors import ExportError


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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(
            f"cannot write {target}: {exc.strerror or exc}. Check that the directory is "
            "writable and that the path is not a directory."
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
