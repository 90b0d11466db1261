"""The one reader layer: bytes, text, JSON, TOML and CSV from a user's file, or a clear error.

Every input file zoning reads (park layers, ``rulebook.toml``, ``metadata.json``, projects
files, ``enterprises.csv``) goes through a :class:`Reader`, which turns every failure of
reading, decoding, parsing or permission into the caller's :class:`~zoning.errors.InputError`
subclass, naming the file, what was expected and how to fix it:

- a missing file, a directory where a file was expected, a file without read permission or
  any other ``OSError``;
- an empty file; text that is UTF-16, GBK/GB18030 or not text at all (a UTF-8 byte-order
  mark is accepted);
- JSON that is invalid, nested deeper than :data:`MAX_JSON_DEPTH` (or deep enough for a
  ``RecursionError``), or holds a number Python refuses;
- TOML that is invalid or too deeply nested;
- CSV with a malformed row; cells up to :data:`CSV_FIELD_LIMIT` characters are accepted (a
  surveyed site of 6,000 vertices as WKT is about 170 KB, beyond the csv module's default).

Examples
--------
>>> from zoning.errors import RulebookError
>>> reader = Reader(RulebookError, "cannot read the rulebook")
>>> reader.parse_toml("a = 1", where="rulebook.toml")
{'a': 1}
>>> try:
...     reader.decode("名称".encode("gbk"), where="rulebook.toml")
... except RulebookError as exc:
...     print("GBK" in str(exc))
True
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from zoning.errors import InputError, Problem
from zoning.i18n import N_, _

#: deepest nesting of arrays and objects accepted in a JSON file (a GeoJSON MultiPolygon
#: inside a FeatureCollection is 7 deep)
MAX_JSON_DEPTH: Final = 64
#: largest CSV cell accepted, in characters (16 MiB)
CSV_FIELD_LIMIT: Final = 16 * 1024 * 1024

_SAVE_AS_UTF8: Final = N_(
    "save the file as UTF-8 (in Excel or WPS: 'Save as' → 'CSV UTF-8'; in a text editor: "
    "encoding UTF-8)"
)


def _raise_csv_limit() -> None:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


def json_depth(value: Any) -> int:
    """Return how deeply arrays and objects nest in a parsed JSON value (without recursion).

    Examples
    --------
    >>> json_depth({"a": [[1], 2]}), json_depth(3)
    (3, 0)
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth + 1)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((v, depth + 1) for v in item)
    return deepest


@dataclass(frozen=True)
class Reader:
    """Read user files, raising ``error(summary, [problem])`` for anything unreadable.

    Parameters
    ----------
    error
        The :class:`~zoning.errors.InputError` subclass to raise.
    summary
        Its one-line summary ("cannot read the projects file"), already translated.
    """

    error: type[InputError]
    summary: str

    def fail(self, where: str, what: str, *, expected: str = "", fix: str = "") -> InputError:
        """Return the error for one problem (to be raised by the caller)."""
        return self.error(self.summary, [Problem(where, what, expected=expected, fix=fix)])

    @contextmanager
    def _os_errors(
        self, path: Path, *, expected: str = "", fix_missing: str = ""
    ) -> Iterator[None]:
        """Turn the operating system's refusals to read ``path`` into this reader's error."""
        where = path.name or str(path)
        try:
            yield
        except FileNotFoundError:
            raise self.fail(
                where,
                _("file not found: {path}").format(path=path),
                expected=expected,
                fix=fix_missing,
            ) from None
        except IsADirectoryError:
            raise self.fail(
                where,
                _("{path} is a directory, not a file").format(path=path),
                expected=expected,
                fix=_("put the file itself at this path"),
            ) from None
        except PermissionError:
            raise self.fail(
                where,
                _("no permission to read {path}").format(path=path),
                fix=_(
                    "give the user running zoning read permission (chmod a+r, or the file's "
                    "Security tab on Windows)"
                ),
            ) from None
        except OSError as exc:
            raise self.fail(
                where,
                _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            ) from None

    def read_bytes(
        self, path: Path, *, expected: str = "", fix_missing: str = "", fix_empty: str = ""
    ) -> bytes:
        """Return the bytes of ``path``, or raise for a missing, unreadable or empty file."""
        with self._os_errors(path, expected=expected, fix_missing=fix_missing):
            data = path.read_bytes()
        if not data.strip():
            raise self.fail(
                path.name or str(path), _("the file is empty"), expected=expected, fix=fix_empty
            )
        return data

    def check_readable(self, path: Path, *, expected: str = "") -> None:
        """Raise unless ``path`` is a file that can be opened for reading (for GDAL formats)."""
        with self._os_errors(path, expected=expected), path.open("rb") as fh:
            fh.read(1)

    def decode(self, data: bytes, *, where: str, fix: str = "") -> str:
        """Decode UTF-8 text (a byte-order mark is dropped); name GBK or UTF-16 if found."""
        expected = _("UTF-8 text, with or without a byte-order mark")
        advice = fix or _(_SAVE_AS_UTF8)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(data) >= 4 and data.count(b"\x00") * 4 >= len(data)
        ):
            raise self.fail(
                where,
                _("the file is UTF-16 text (Excel's 'Unicode text'), not UTF-8"),
                expected=expected,
                fix=advice,
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            what = _("the file is not UTF-8 text (byte {byte}: {reason}).").format(
                byte=exc.start, reason=exc.reason
            )
            try:
                data.decode("gb18030")
                what += " " + _(
                    "It decodes as GBK/GB18030, the default of Excel and Notepad on Chinese "
                    "Windows."
                )
            except UnicodeDecodeError:
                pass
            raise self.fail(where, what, expected=expected, fix=advice) from None
        if "\x00" in text:
            raise self.fail(
                where, _("the file holds NUL characters: it is not a text file"), expected=expected
            )
        return text

    def read_text(self, path: Path, *, expected: str = "", fix_missing: str = "") -> str:
        """Return the UTF-8 text of ``path`` (see :meth:`read_bytes` and :meth:`decode`)."""
        data = self.read_bytes(path, expected=expected, fix_missing=fix_missing)
        return self.decode(data, where=path.name)

    def parse_json(self, text: str, *, where: str, expected: str = "") -> Any:
        """Parse JSON text, refusing invalid, too deeply nested or out-of-range documents."""
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise self.fail(
                where,
                _("invalid JSON at line {line} column {column} ({reason})").format(
                    line=exc.lineno, column=exc.colno, reason=exc.msg
                ),
                expected=expected,
            ) from None
        except RecursionError:
            value = None
            depth: int | None = None
        except ValueError as exc:  # an integer of more than 4300 digits
            raise self.fail(
                where, _("invalid JSON value: {reason}").format(reason=exc), expected=expected
            ) from None
        else:
            depth = json_depth(value)
        if depth is None or depth > MAX_JSON_DEPTH:
            raise self.fail(
                where,
                _("JSON nested too deeply (more than {limit} levels of arrays and objects)").format(
                    limit=MAX_JSON_DEPTH
                ),
                expected=expected,
                fix=_("check how the file was made: no park or projects file nests this deep"),
            )
        return value

    def parse_toml(self, text: str, *, where: str) -> dict[str, Any]:
        """Parse TOML text, refusing invalid or too deeply nested documents."""
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise self.fail(where, _("TOML syntax error: {reason}").format(reason=exc)) from None
        except (RecursionError, ValueError) as exc:
            raise self.fail(
                where, _("TOML cannot be read: {reason}").format(reason=type(exc).__name__)
            ) from None

    def csv_rows(self, text: str, *, where: str) -> list[list[str]]:
        """Split CSV text into rows of cells (cells up to :data:`CSV_FIELD_LIMIT` characters)."""
        _raise_csv_limit()
        reader = csv.reader(io.StringIO(text))
        try:
            return list(reader)
        except csv.Error as exc:
            raise self.fail(
                where,
                _("malformed CSV on line {line}: {reason}").format(
                    line=reader.line_num, reason=exc
                ),
                expected=_("comma-separated cells, text with commas or quotes in double quotes"),
                fix=_(_SAVE_AS_UTF8),
            ) from None


__all__ = ["CSV_FIELD_LIMIT", "MAX_JSON_DEPTH", "Reader", "json_depth"]
