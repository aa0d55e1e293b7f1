"""The language of everything sdkreg shows a person: a ``Translator`` chosen once per command.

Translations are gettext catalogs (``sdkreg/locale/<ll_CC>/LC_MESSAGES/sdkreg.po``), managed with
Babel (``scripts/i18n.sh``: extract, update, compile) and read at run time with the standard
library's ``gettext``. The compiled ``.mo`` files are committed beside their ``.po``, so an install
without Babel speaks Chinese too; ``tests/test_i18n.py`` fails when a ``.mo`` is stale or a
message lacks a translation.

Message ids are the English text itself (gettext's convention), so English output is the
untranslated source. Renderers receive a ``Translator``: no module-global language.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

Lang = Literal["en", "zh-CN"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DOMAIN = "sdkreg"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_GETTEXT_LOCALE: dict[Lang, str] = {"en": "en", "zh-CN": "zh_CN"}


def N_(message: str) -> str:  # gettext's name: "mark for extraction, translate later"
    """Marks a message for extraction (Babel keyword ``N_``); translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """``N_`` with a context (Babel keyword ``NP_:1c,2``): the same English word may need
    different Chinese in different places ("high" confidence vs. a "high" severity)."""
    return message


def lang_from_environment(environ: Mapping[str, str] | None = None) -> Lang:
    """The POSIX locale's language: the first set of LC_ALL, LC_MESSAGES, LANG.

    ``zh``, ``zh_CN.UTF-8``, ``zh_TW`` … → zh-CN (the only Chinese catalog); anything else → en.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    return "en"


def parse_lang(value: str) -> Lang | None:
    """``--lang`` spellings: zh-CN, zh_CN, zh, zh-cn → zh-CN; en, en-US, C → en."""
    folded = value.strip().replace("_", "-").lower()
    if folded == "zh" or folded.startswith("zh-"):
        return "zh-CN"
    if folded in ("en", "c", "posix") or folded.startswith("en-"):
        return "en"
    return None


@dataclass(frozen=True)
class Translator:
    lang: Lang
    catalog: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalog.pgettext(context, message)

    def join(self, items: Iterable[str]) -> str:
        """A list inside a sentence: 、 between Chinese items, ", " between English ones."""
        return ("、" if self.lang == "zh-CN" else ", ").join(items)

    @property
    def chinese(self) -> bool:
        return self.lang == "zh-CN"


def translator(lang: Lang = "en") -> Translator:
    if lang == "en":
        return Translator("en", gettext.NullTranslations())
    catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_GETTEXT_LOCALE[lang]])
    return Translator(lang, catalog)


ENGLISH = translator("en")
