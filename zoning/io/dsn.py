"""PostgreSQL connection strings: recognised whatever the case of the scheme, passwords masked.

A target such as ``PostgreSQL://gis@db:5432/city`` is a database, never a folder: the scheme
is matched case-insensitively and written in lower case before it reaches libpq (which only
knows ``postgresql://`` and ``postgres://``). Passwords are found with the driver's own
parser (:func:`psycopg2.extensions.parse_dsn`), whether in the user part
(``gis:secret@``) or a query parameter (``?password=secret``), and masked in every message.

Examples
--------
>>> is_dsn("PostgreSQL://gis@db:5432/city"), is_dsn("out/postgresql")
(True, False)
>>> normalise_dsn("PostgreSQL://gis@db:5432/city")
'postgresql://gis@db:5432/city'
>>> mask_dsn("postgresql://u@h:1/db?password=SECRET")
'postgresql://u@h:1/db?password=***'
>>> mask_text("cannot connect to postgresql://u:s3cret@h/db", "postgresql://u:s3cret@h/db")
'cannot connect to postgresql://u:***@h/db'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final
from urllib.parse import quote, quote_plus

#: what replaces a password in messages
MASK: Final = "***"
_SCHEME: Final = re.compile(r"^(postgres(?:ql)?)://", re.IGNORECASE)
_QUERY_PASSWORD: Final = re.compile(r"(?i)([?&]password=)([^&#\s]*)")
_USER_PASSWORD: Final = re.compile(r"^([a-z]+://[^:/@?#\s]*):([^@/?#\s]*)@", re.IGNORECASE)
_KEYWORD_PASSWORD: Final = re.compile(r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")


def is_dsn(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database (``postgresql://`` in any case)."""
    return isinstance(target, str) and _SCHEME.match(target.strip()) is not None


def normalise_dsn(dsn: str) -> str:
    """Return ``dsn`` with its scheme in lower case (``PostgreSQL://`` → ``postgresql://``)."""
    dsn = dsn.strip()
    return _SCHEME.sub(lambda m: m.group(1).lower() + "://", dsn, count=1)


def dsn_passwords(dsn: str) -> list[str]:
    """Return the password(s) a DSN carries, as parsed and as written (possibly %-encoded)."""
    found: set[str] = set()
    try:
        from psycopg2.extensions import parse_dsn

        password = parse_dsn(normalise_dsn(dsn)).get("password")
    except Exception:  # psycopg2 missing or the DSN malformed: fall back to the patterns
        password = None
    if password:
        found.update({password, quote(password, safe=""), quote_plus(password)})
    for pattern in (_QUERY_PASSWORD, _USER_PASSWORD, _KEYWORD_PASSWORD):
        for match in pattern.finditer(dsn.strip()):
            if match.group(2):
                found.add(match.group(2))
    return sorted(found, key=len, reverse=True)


def mask_text(text: str, dsn: str) -> str:
    """Return ``text`` with every password of ``dsn`` replaced by ``***``."""
    for password in dsn_passwords(dsn):
        text = text.replace(password, MASK)
    return text


def mask_dsn(dsn: str) -> str:
    """Return ``dsn`` (scheme in lower case) with its password replaced by ``***``."""
    return mask_text(normalise_dsn(dsn), dsn)


__all__ = ["MASK", "dsn_passwords", "is_dsn", "mask_dsn", "mask_text", "normalise_dsn"]
