"""Finding messages as ids + parameters, rendered in the reader's language at render time.

The audit builds each finding's message from a stable ``message_id`` (kept in JSON reports, so
tools can key on it) and typed parameters; ``render`` turns them into a sentence through a
``Translator``. The English template is the gettext message id, so the English sentence —
``Finding.message`` — is the untranslated template with its parameters, exactly as before.

Parameters are plain text (names, ids, counts), lists (joined as the language joins lists),
``Term`` (one of our own words, translated: a confidence, a policy field) or ``Named`` (registry
data written in both languages, such as a data type's English name and its Chinese policy term).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Union

from sdkreg.i18n import ENGLISH, N_, NP_, Translator


@dataclass(frozen=True)
class Term:
    """One of sdkreg's own words, translated with its context (``NP_`` marks them below)."""

    context: str
    word: str


@dataclass(frozen=True)
class Named:
    """Registry data that has a name in each language."""

    en: str
    zh: str


ParamValue = Union[str, int, Term, Named, tuple["ParamValue", ...]]  # noqa: UP007 - recursive alias
Params = tuple[tuple[str, ParamValue], ...]

# message id → English template (the gettext msgid). Ids are a public contract of the JSON report:
# add new ones, never rename.
FINDING_MESSAGES: Mapping[str, str] = {
    "undisclosed": N_(
        "{sdk} is in the APK ({confidence} confidence) but the policy does not disclose it"),
    "undisclosed.company": N_(
        "{sdk} is in the APK ({confidence} confidence) but the policy does not disclose it; "
        "disclose it with company {company}"),
    "undisclosed.company_link": N_(
        "{sdk} is in the APK ({confidence} confidence) but the policy does not disclose it; "
        "disclose it with company {company} and link {link}"),
    "undisclosed.family": N_(
        "the APK carries evidence the {family} product line shares ({confidence} confidence; no single "
        "product's own), and the policy discloses neither the line nor any of its products ({members})"),
    "undisclosed.shared": N_(
        "APK carries code shared by {names}, and the policy discloses none of them"),
    "family_only": N_(
        "policy names only the product line {family}; in the APK it covers: {names}"),
    "over_disclosed": N_("policy discloses {sdk} but the APK shows no trace of it"),
    "over_disclosed.packed": N_(
        "policy discloses {sdk} but the APK shows no trace of it (the app is packed with {packer}: "
        "it may be hidden)"),
    "over_disclosed.family": N_(
        "policy discloses the {family} product line but the APK carries none of its products "
        "({members})"),
    "over_disclosed.family_packed": N_(
        "policy discloses the {family} product line but the APK carries none of its products "
        "({members}) (the app is packed with {packer}: it may be hidden)"),
    "incomplete_disclosure": N_("disclosure of {sdk} lacks: {fields}"),
    "data_under_disclosed": N_(
        "policy lists personal data for {sdk} but omits what its vendor documents it collects: {data}"),
    "data_under_disclosed.optional": N_(
        "policy lists personal data for {sdk} but omits what its vendor documents it may collect when "
        "the app enables it: {data}"),
    "unregistered_disclosure": N_("policy discloses '{name}', which the registry does not know"),
    "unrecognised_code": N_("{classes} classes under {package} belong to no registry entry"),
    "packed_app": N_(
        "packed with {packer}: code evidence is incomplete; manifest and native-library evidence "
        "still stand"),
}

CONFIDENCE: Mapping[str, Term] = {
    "high": Term("confidence", NP_("confidence", "high")),
    "medium": Term("confidence", NP_("confidence", "medium")),
    "low": Term("confidence", NP_("confidence", "low")),
}

# The fields Chinese rules expect of a disclosed SDK (audit.REQUIRED_FIELDS), as a report names them.
POLICY_FIELDS: Mapping[str, Term] = {
    "company": Term("policy field", NP_("policy field", "company (合作方主体)")),
    "purpose": Term("policy field", NP_("policy field", "purpose (使用目的)")),
    "data_types": Term("policy field", NP_("policy field", "personal-data types (收集个人信息类型)")),
    "url": Term("policy field", NP_("policy field", "privacy-policy link (隐私政策链接)")),
}

SEVERITY_LABELS: Mapping[str, Term] = {
    "error": Term("severity", NP_("severity", "error")),
    "warning": Term("severity", NP_("severity", "warning")),
    "info": Term("severity", NP_("severity", "info")),
}

def word(term: Term, tr: Translator) -> str:
    return tr.pgettext(term.context, term.word)


def severity_label(label: str, tr: Translator) -> str:
    term = SEVERITY_LABELS.get(label)
    return word(term, tr) if term else label


def confidence_label(confidence: str, tr: Translator) -> str:
    term = CONFIDENCE.get(confidence)
    return word(term, tr) if term else confidence


def _value(value: ParamValue, tr: Translator) -> str:
    if isinstance(value, Term):
        return word(value, tr)
    if isinstance(value, Named):
        return value.zh if tr.chinese else value.en
    if isinstance(value, tuple):
        return tr.join(_value(item, tr) for item in value)
    return str(value)


def render(message_id: str, params: Params, tr: Translator = ENGLISH) -> str:
    """The sentence for ``message_id`` in ``tr``'s language (English for an unknown id: a message
    added to the audit without a template still shows, as its id)."""
    template = FINDING_MESSAGES.get(message_id)
    if template is None:
        return message_id
    return tr.gettext(template).format(**{name: _value(value, tr) for name, value in params})


def plain(params: Params) -> dict[str, object]:
    """Parameters as JSON values, in English (``Named`` → its English name)."""
    def convert(value: ParamValue) -> object:
        if isinstance(value, Term):
            return value.word
        if isinstance(value, Named):
            return value.en
        if isinstance(value, tuple):
            return [convert(item) for item in value]
        return value

    return {name: convert(value) for name, value in params}


def chinese_term(wordings: tuple[str, ...], fallback: str) -> str:
    """A data type as a Chinese policy writes it: the vocabulary's first wording in Chinese
    characters (广告标识符 rather than GAID), else its first wording (MEID), else ``fallback``."""
    for wording in wordings:
        if any("\u4e00" <= ch <= "\u9fff" for ch in wording):
            return wording
    return wordings[0] if wordings else fallback
