"""The interface languages: the catalogues are complete and compiled, and the language follows
the locale or ``--lang``."""

from __future__ import annotations

import pytest

from tools import i18n as catalogues
from zoning import schema as s
from zoning.i18n import DOMAINS, bilingual, lang_from_env, parse_lang, translate, use_lang


@pytest.mark.parametrize("domain", list(DOMAINS))
def test_catalogue_is_complete_and_compiled(domain: str) -> None:
    assert catalogues.problems(domain) == []


def test_no_message_is_translated_two_ways() -> None:
    assert catalogues.clashes() == []


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.GBK"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),
        ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, "en"),
    ],
    ids=lambda v: str(v),
)
def test_language_follows_the_locale(environ: dict[str, str], expected: str) -> None:
    assert lang_from_env(environ) == expected


def test_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown language 'de'.*zh.*en"):
        parse_lang("de")


def test_every_coded_value_has_words_in_both_languages() -> None:
    for enum, words in s.LABELS.items():
        assert set(words) == {m.value for m in enum}, enum.__name__
        for member in enum:
            zh, en = s.label(member, "zh"), s.label(member, "en")
            assert en, (enum.__name__, member)
            assert zh != en, (enum.__name__, member)
            assert any("\u4e00" <= c <= "\u9fff" for c in zh), (member, zh)


def test_current_language_is_scoped() -> None:
    assert s.label(s.Verdict.FITS) == "fits"
    with use_lang("zh"):
        assert s.label(s.Verdict.FITS) == "符合"
        with use_lang("en"):
            assert s.label(s.Verdict.FITS) == "fits"
        assert s.label(s.Verdict.FITS) == "符合"
    assert s.label(s.Verdict.FITS) == "fits"


def test_bilingual_fills_placeholders_after_translating() -> None:
    assert bilingual("does not fit") == {"zh": "不符合", "en": "does not fit"}
    assert translate("", "zh") == ""
