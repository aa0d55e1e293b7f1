"""The remedy: the 第三方SDK清单 rows a policy needs for the SDKs an APK carries. Pure: no I/O
beyond the package's own category table.

One row per SDK that needs disclosure: its name as Chinese policies write it, the vendor's legal
name, the purpose (the entry's ``purpose_zh``, else its category's default — flagged, so the author
replaces it), the personal data in the vocabulary's Chinese terms, the collection method, and the
SDK's privacy-policy link. ``sdkreg disclose`` prints the whole list; ``sdkreg audit`` prints the
rows for its ``undisclosed`` findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml

from sdkreg.audit import alternatives, is_ambiguous
from sdkreg.messages import chinese_term

if TYPE_CHECKING:
    from sdkreg.detection import Detection
    from sdkreg.registry import Registry

PurposeSource = Literal["registry", "category-default"]
LinkKind = Literal["privacy-policy", "website"]

CATEGORY_PURPOSES_FILE = Path(__file__).resolve().parent / "category_purposes.yaml"
# How the SDK gets the data: almost every SDK in the registry reads it on the device itself.
DEFAULT_METHOD = "SDK自行采集"


@dataclass(frozen=True)
class DisclosureRow:
    sdk: str  # registry id
    name: str  # as Chinese policies write it (name_zh, else the English name)
    company: str  # the vendor's legal name
    purpose: str  # 使用目的
    purpose_source: PurposeSource
    data: tuple[str, ...]  # personal data the vendor documents, as Chinese terms
    data_optional: tuple[str, ...]  # collected only when the app enables the feature
    data_unpublished: str | None  # the registry's note when the vendor publishes no list
    method: str  # 收集方式
    link: str | None
    link_kind: LinkKind | None  # "website" when the registry knows no privacy-policy page
    category: str | None
    also_fits: tuple[str, ...] = ()  # shared code: the evidence fits these entries too
    # The vendor states the SDK collects no personal data (an empty, sourced list).
    data_stated_none: bool = False


def category_purposes() -> Mapping[str, str]:
    data = yaml.safe_load(CATEGORY_PURPOSES_FILE.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.items()}


def _data_terms(registry: Registry, type_ids: Iterable[str]) -> tuple[str, ...]:
    terms = []
    for type_id in type_ids:
        data_type = registry.data_types.get(type_id)
        terms.append(chinese_term(data_type.wordings, data_type.name) if data_type else type_id)
    return tuple(dict.fromkeys(terms))


def disclosure_row(
    registry: Registry,
    sdk_id: str,
    purposes: Mapping[str, str],
    also_fits: tuple[str, ...] = (),
) -> DisclosureRow | None:
    """The row for one registry id (an entry, or a family detected as a whole); None if unknown."""
    entry = registry.entries.get(sdk_id)
    if entry is not None:
        category: str | None = entry.category
        own_purpose = entry.purpose_zh
        links = entry.links
        name = entry.display_name
        vendor = entry.vendor
        data = _data_terms(registry, entry.collects)
        optional = _data_terms(registry, entry.collects_optional)
        unpublished = entry.collects_unpublished
        stated_none = bool(entry.collects_source) and not entry.collects and not entry.collects_optional
    else:
        family = registry.families.get(sdk_id)
        if family is None:
            return None
        category, own_purpose, links, vendor = None, None, family.links, family.vendor
        name = family.display_name
        # A product line: what its products document together.
        members = [registry.entries[m] for m in family.members if m in registry.entries]
        data = _data_terms(registry, [t for m in members for t in m.collects])
        optional = _data_terms(registry, [t for m in members for t in m.collects_optional])
        optional = tuple(t for t in optional if t not in data)
        unpublished, stated_none = None, False
    source: PurposeSource
    if own_purpose:
        purpose, source = own_purpose, "registry"
    else:
        purpose, source = purposes.get(category or "other", purposes["other"]), "category-default"
    link_kind: LinkKind | None = None
    if links.privacy_policy:
        link, link_kind = links.privacy_policy, "privacy-policy"
    elif links.website:
        link, link_kind = links.website, "website"
    else:
        link = None
    return DisclosureRow(
        sdk=sdk_id, name=name, company=vendor.name_zh, purpose=purpose,
        purpose_source=source,
        data=data, data_optional=optional, data_unpublished=unpublished, method=DEFAULT_METHOD,
        link=link, link_kind=link_kind, category=category, also_fits=also_fits,
        data_stated_none=stated_none,
    )


def disclosure_rows(detections: Iterable[Detection], registry: Registry) -> tuple[DisclosureRow, ...]:
    """The SDK list for these detections: those that need disclosure, minus components that a
    detected product bundles (its disclosure covers them), in the order given."""
    detections = [d for d in detections if d.requires_disclosure]
    bundled = registry.bundled(d.sdk for d in detections)
    purposes = category_purposes()
    rows = []
    for detection in detections:
        if detection.sdk in bundled:
            continue
        # Shared code: the other entries it fits, as the audit judges it.
        also_fits = tuple(sorted(alternatives(detection))) if is_ambiguous(detection) else ()
        row = disclosure_row(registry, detection.sdk, purposes, also_fits)
        if row is not None:
            rows.append(row)
    return tuple(rows)
