"""Languages of the interface: Chinese (``zh``) and English (``en``), through gettext.

Source strings are English. Mark a string with :func:`_` to translate it now, into the
current language, or with :func:`N_` to mark it for extraction and translate it later
(module-level tables, rule titles). Placeholders use ``str.format`` names, filled *after*
translation so that a translator can move them::

    _("{count} parcels opened").format(count=3)

The Chinese catalogues are gettext ``.po`` files under ``zoning/locale/zh_CN/LC_MESSAGES/``,
one per domain (see :data:`DOMAINS`), compiled to ``.mo`` beside them; both are committed, and
the ``.mo`` files ship in the wheel. ``make i18n`` re-extracts the marked strings with Babel,
updates the ``.po`` files and compiles them; a test fails when a marked string has no
translation or a ``.mo`` file is older than its ``.po``.

The current language is a context variable, set once by the command line from ``--lang`` or
the locale (:func:`lang_from_env`), and by :func:`use_lang` in code and tests; the default is
English. Data that leaves the program (JSON findings) carries both languages
(:func:`bilingual`), so its consumers choose.

Examples
--------
>>> translate("fits", "zh")
'符合'
>>> with use_lang("zh"):
...     _("fits")
'符合'
>>> _("fits")
'fits'
>>> lang_from_env({"LANG": "zh_CN.UTF-8"})
'zh'
>>> lang_from_env({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"})
'en'
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.resources import files
from typing import Literal, cast, get_args

Lang = Literal["zh", "en"]

#: the interface languages, Chinese first (the park administration's language)
LANGS: tuple[Lang, ...] = cast(tuple[Lang, ...], get_args(Lang))

#: gettext domain -> the source paths (relative to the repository) whose strings it holds;
#: each domain is one catalogue, so that work on one part of the program touches one file
DOMAINS: dict[str, tuple[str, ...]] = {
    "core": ("zoning/*.py", "zoning/io/**/*.py"),
    "rules": ("zoning/rules/**/*.py", "zoning/fit.py"),
    "planning": ("zoning/planning/**/*.py",),
    "maps": ("zoning/maps/**/*.py", "zoning/mapping.py"),
    "cli": ("zoning/cli/**/*.py",),
    "ledger": ("zoning/ledger/**/*.py", "zoning/cli/ledger.py"),
    "exchange": ("zoning/exchange/**/*.py",),
}

#: the gettext locale directory of the Chinese catalogues
CATALOGUE_LOCALE = "zh_CN"

_current: ContextVar[Lang] = ContextVar("zoning_lang", default="en")


def lang_from_env(environ: Mapping[str, str]) -> Lang:
    """Return the interface language a POSIX locale asks for: ``zh`` for any Chinese locale.

    Follows the C library's order: ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``; GNU's
    ``LANGUAGE`` list is honoured first unless the locale is ``C``/``POSIX``.

    Parameters
    ----------
    environ
        The environment, usually ``os.environ``.
    """
    locale = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    language = environ.get("LANGUAGE", "")
    if language and locale.split(".")[0] not in ("C", "POSIX"):
        locale = language.split(":")[0]
    return "zh" if locale.lower().startswith("zh") else "en"


def parse_lang(value: str) -> Lang:
    """Check a language code given by a user (``zh``, ``en``, ``zh_CN``, ``en-US`` …).

    Raises
    ------
    ValueError
        When the code names neither Chinese nor English.

    Examples
    --------
    >>> parse_lang("zh_CN")
    'zh'
    >>> parse_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fr': expected zh (中文) or en (English)
    """
    head = value.strip().lower().replace("-", "_").split("_")[0]
    if head in LANGS:
        return head
    raise ValueError(f"unknown language {value!r}: expected zh (中文) or en (English)")


@cache
def translations(lang: Lang) -> gettext.NullTranslations:
    """Return the gettext translations of one language, every domain chained together."""
    chain: gettext.NullTranslations = gettext.NullTranslations()
    if lang == "en":
        return chain
    localedir = files("zoning") / "locale"
    for domain in DOMAINS:
        found = gettext.translation(
            domain, localedir=str(localedir), languages=[CATALOGUE_LOCALE], fallback=True
        )
        if isinstance(found, gettext.GNUTranslations):
            found.add_fallback(chain)
            chain = found
    return chain


def get_lang() -> Lang:
    """Return the current interface language."""
    return _current.get()


def set_lang(lang: Lang) -> None:
    """Set the interface language for the rest of this context (the command line's choice)."""
    _current.set(parse_lang(lang))


@contextmanager
def use_lang(lang: Lang) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block, then restore the previous language."""
    token = _current.set(parse_lang(lang))
    try:
        yield
    finally:
        _current.reset(token)


def translate(message: str, lang: Lang) -> str:
    """``message`` (an English source string) in ``lang``; itself when untranslated."""
    if not message:
        return message
    return translations(lang).gettext(message)


def _(message: str) -> str:
    """Translate ``message`` into the current language (and mark it for extraction)."""
    return translate(message, get_lang())


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message`` for extraction without translating it (translate it later)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural form of a message in the current language."""
    return translations(get_lang()).ngettext(singular, plural, n)


def bilingual(message: str, /, **params: object) -> dict[Lang, str]:
    """``message`` in every language, placeholders filled: ``{"zh": …, "en": …}``.

    Examples
    --------
    >>> bilingual("{count} parcels", count=3)["en"]
    '3 parcels'
    """
    return {lang: translate(message, lang).format(**params) for lang in LANGS}
