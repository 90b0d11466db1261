"""Maintain the Chinese gettext catalogues with Babel: extract, update, compile, check.

    python tools/i18n.py update   # extract marked strings, merge into the .po files, compile .mo
    python tools/i18n.py check    # list untranslated strings and stale .mo files (exit 1 if any)

Each domain of :data:`zoning.i18n.DOMAINS` has one catalogue,
``zoning/locale/zh_CN/LC_MESSAGES/<domain>.po``. Translations are written by hand in the
``.po`` files (any PO editor works: Poedit, Lokalize, or a text editor); ``update`` keeps them,
adds new strings with an empty translation and drops strings no longer in the code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from zoning.i18n import CATALOGUE_LOCALE, DOMAINS  # noqa: E402

#: the functions whose first argument(s) are messages (see zoning.i18n)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "bilingual": (1,)}
LOCALE_DIR = REPO / "zoning" / "locale" / CATALOGUE_LOCALE / "LC_MESSAGES"
#: a fixed creation date keeps regenerated catalogues byte-identical
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def domain_files(domain: str) -> Iterator[Path]:
    """List the source files whose strings belong to ``domain``, in a stable order."""
    seen: set[Path] = set()
    for pattern in DOMAINS[domain]:
        for path in sorted(REPO.glob(pattern)):
            if path.is_file() and path not in seen:
                seen.add(path)
                yield path


def extract(domain: str) -> Catalog:
    """Extract a template catalogue of every message marked in the domain's source files."""
    template = Catalog(domain=domain, project="zoning", creation_date=EPOCH, fuzzy=False)
    for path in domain_files(domain):
        for lineno, message, comments, context in extract_from_file(
            "python", path, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            where = (path.relative_to(REPO).as_posix(), lineno)
            template.add(message, locations=[where], auto_comments=comments, context=context)
    return template


def po_path(domain: str) -> Path:
    """Where the domain's Chinese catalogue is."""
    return LOCALE_DIR / f"{domain}.po"


def read_catalogue(domain: str) -> Catalog:
    """Read the domain's Chinese catalogue (empty when it does not exist yet)."""
    path = po_path(domain)
    if not path.exists():
        return Catalog(locale=CATALOGUE_LOCALE, domain=domain, creation_date=EPOCH)
    with path.open("rb") as f:
        return read_po(f, locale=CATALOGUE_LOCALE, domain=domain)


def compiled(catalogue: Catalog) -> bytes:
    """Compile a catalogue to ``.mo`` bytes."""
    buffer = BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def update(domain: str) -> Catalog:
    """Merge the extracted strings into the domain's ``.po``, write it and its ``.mo``."""
    catalogue = read_catalogue(domain)
    catalogue.update(extract(domain), no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    catalogue.fuzzy = False
    catalogue.project, catalogue.version = "zoning", ""
    catalogue.copyright_holder = "zoning developers"
    catalogue.msgid_bugs_address = ""
    catalogue.last_translator = "zoning developers"
    catalogue.language_team = "zoning developers"
    catalogue.revision_date = EPOCH
    catalogue.creation_date = EPOCH
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with po_path(domain).open("wb") as f:
        write_po(f, catalogue, width=100, sort_output=False, omit_header=False)
    po_path(domain).with_suffix(".mo").write_bytes(compiled(catalogue))
    return catalogue


def _translations(catalogue: Catalog) -> dict[object, object]:
    return {m.id: m.string for m in catalogue if m.id}


def problems(domain: str) -> list[str]:
    """List what is wrong with one domain's catalogue; empty when it is complete and compiled."""
    found: list[str] = []
    catalogue = read_catalogue(domain)
    known = {m.id: m for m in catalogue if m.id}
    for message in extract(domain):
        if not message.id:
            continue
        entry = known.get(message.id)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if entry is None:
            found.append(f"{domain}: not in {po_path(domain).name}: {message.id!r} ({where})")
        elif not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            found.append(f"{domain}: no Chinese translation: {message.id!r} ({where})")
        elif entry.fuzzy:
            found.append(f"{domain}: fuzzy translation: {message.id!r} ({where})")
    mo = po_path(domain).with_suffix(".mo")
    if known and not mo.exists():
        found.append(f"{domain}: {mo.name} missing: run `make i18n`")
    elif mo.exists():
        with mo.open("rb") as f:
            if _translations(read_mo(f)) != _translations(catalogue):
                stale = f"{mo.name} is older than {po_path(domain).name}"
                found.append(f"{domain}: {stale}: run `make i18n`")
    return found


def clashes() -> list[str]:
    """List messages that two domains translate differently (the chained lookup hides one)."""
    seen: dict[str, dict[str, str]] = {}
    for domain in DOMAINS:
        for message in read_catalogue(domain):
            if message.id and isinstance(message.id, str) and message.string:
                seen.setdefault(message.id, {})[domain] = str(message.string)
    return [
        f"{msgid!r} is translated differently: "
        + ", ".join(f"{d}: {s!r}" for d, s in by_domain.items())
        for msgid, by_domain in seen.items()
        if len(set(by_domain.values())) > 1
    ]


def main(argv: list[str]) -> int:
    """Run ``update`` or ``check`` on every domain."""
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        for domain in DOMAINS:
            catalogue = update(domain)
            missing = sum(1 for m in catalogue if m.id and not m.string)
            print(f"{domain}: {len(catalogue)} messages, {missing} untranslated")
        return 0
    if command == "check":
        found = [p for domain in DOMAINS for p in problems(domain)] + clashes()
        print("\n".join(found) or "every catalogue complete and compiled")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
