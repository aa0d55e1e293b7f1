"""The audit verdict: detections (APK) × disclosures (policy) → findings. Pure: no I/O.

Findings are matched on the product level wherever both sides name a product; a family-level
disclosure ("高德地图SDK") covers every product of the family but is reported as ``family_only``
so the engineer sees which products it stands for.

Two registry facts shape what counts as disclosed and as present:

- **Bundles.** A product's disclosure covers the entries it always ships (``bundles``,
  transitively): an app that discloses 友盟统计 is not told that ``umeng-common`` is undisclosed,
  nor one that discloses 华为推送 that ``huawei-hms-core`` is. A bundled component the policy names
  itself is not over-disclosed while a product that ships it is in the APK.
- **Family-level detections.** Evidence a whole product line shares (``UMENG_APPKEY``) yields a
  detection of the family only when no member product is found from its own evidence. It is
  undisclosed only when neither the family nor any of its products (nor a product that bundles
  one of them) is disclosed, and it keeps a disclosed member product from being over-disclosed:
  the line is in the APK, which product is not known.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdkreg.findings import FindingKind, Severity, spec
from sdkreg.messages import CONFIDENCE, POLICY_FIELDS, Named, Params, ParamValue, chinese_term
from sdkreg.messages import render as render_message

if TYPE_CHECKING:  # annotations only: importing the policy and APK packages costs start-up time
    from sdkreg.detection import Detection, ScanResult
    from sdkreg.policy.model import Disclosure, PolicyResult
    from sdkreg.registry import Registry

# Fields Chinese rules (GB/T 35273, App SDK guidance) expect for each disclosed SDK.
REQUIRED_FIELDS = ("company", "purpose", "data_types", "url")


@dataclass(frozen=True)
class PolicyRef:
    line: int
    as_written: str


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    severity: Severity
    sdk: str | None  # registry id, or None for unregistered/unrecognised/packer findings
    subject: str  # what the finding is about: an sdk id, an unregistered name, a package tree
    message: str
    apk_evidence: tuple[str, ...] = ()
    policy_evidence: tuple[PolicyRef, ...] = ()
    missing: tuple[str, ...] = ()  # missing fields or data types
    # The message as an id + parameters (sdkreg.messages), so a renderer can show it in the
    # reader's language; ``message`` is its English sentence.
    message_id: str = ""
    params: Params = ()

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: used by baselines and history."""
        digest = hashlib.sha256(f"{self.kind}\0{self.subject}".encode()).hexdigest()
        return digest[:16]


def _finding(
    kind: FindingKind,
    sdk: str | None,
    subject: str,
    message_id: str,
    params: dict[str, ParamValue],
    *,
    severity: Severity | None = None,  # the kind's usual one (sdkreg.findings) unless given
    apk_evidence: tuple[str, ...] = (),
    policy_evidence: tuple[PolicyRef, ...] = (),
    missing: tuple[str, ...] = (),
) -> Finding:
    items = tuple(params.items())
    return Finding(kind, severity or spec(kind).severity, sdk, subject, render_message(message_id, items),
                   apk_evidence=apk_evidence, policy_evidence=policy_evidence, missing=missing,
                   message_id=message_id, params=items)


def audit(scan: ScanResult, policy: PolicyResult, registry: Registry) -> tuple[Finding, ...]:
    detections = {d.sdk: d for d in scan.sdks}
    disclosed_products: dict[str, list[Disclosure]] = defaultdict(list)
    disclosed_families: dict[str, list[Disclosure]] = defaultdict(list)
    for disclosure in policy.disclosures:
        if disclosure.sdk is None:
            continue
        target = disclosed_products if disclosure.level == "product" else disclosed_families
        target[disclosure.sdk].append(disclosure)

    findings: list[Finding] = []
    findings += _undisclosed_and_family(detections, disclosed_products, disclosed_families, registry)
    findings += _over_disclosed(scan, detections, disclosed_products, disclosed_families, registry)
    # Product and family ids share one namespace (lint R004), so one mapping holds both.
    disclosed = dict(sorted({**disclosed_products, **disclosed_families}.items()))
    findings += _incomplete(disclosed, registry)
    findings += _data_under_disclosed(detections, disclosed, registry)
    findings += [
        _finding(
            "unregistered_disclosure",
            None,
            d.as_written,
            "unregistered_disclosure",
            {"name": d.as_written},
            policy_evidence=(PolicyRef(d.line, d.as_written),),
        )
        for d in policy.disclosures
        if d.sdk is None
    ]
    findings += [
        _finding(
            "unrecognised_code",
            None,
            tree.package,
            "unrecognised_code",
            {"classes": tree.classes, "package": tree.package},
            apk_evidence=(f"{tree.classes} classes under {tree.package}",),
        )
        for tree in scan.unrecognised
    ]
    if scan.packer is not None:
        findings.append(
            _finding(
                "packed_app",
                None,
                scan.packer.id,
                "packed_app",
                {"packer": scan.packer.name},
                apk_evidence=scan.packer.evidence,
            )
        )
    return tuple(sorted(findings, key=lambda f: (-f.severity, f.kind, f.subject)))


def _refs(disclosures: Iterable[Disclosure]) -> tuple[PolicyRef, ...]:
    return tuple(sorted({PolicyRef(d.line, d.as_written) for d in disclosures}, key=lambda r: r.line))


def _evidence_lines(detection: Detection) -> tuple[str, ...]:
    return tuple(item.detail for item in detection.evidence)


def is_ambiguous(detection: Detection) -> bool:
    """True when every piece of evidence is shared with other entries (e.g. org.android.agoo)."""
    return bool(detection.evidence) and all(item.shared_with for item in detection.evidence)


def alternatives(detection: Detection) -> set[str]:
    """The other entries the detection's evidence fits."""
    return {other for item in detection.evidence for other in item.shared_with}


def _label(registry: Registry, sdk_id: str) -> str:
    """``腾讯Bugly (tencent-bugly)``: the name a compliance engineer knows, and the id."""
    item = registry.get(sdk_id)
    name = item.display_name if item is not None else None
    return f"{name} ({sdk_id})" if name else sdk_id


def _undisclosed_message(registry: Registry, detection: Detection) -> tuple[str, dict[str, ParamValue]]:
    """The undisclosed message, with what to disclose (company, link) when the registry knows it."""
    params: dict[str, ParamValue] = {
        "sdk": _label(registry, detection.sdk),
        "confidence": CONFIDENCE.get(detection.confidence, detection.confidence),
    }
    entry = registry.entries.get(detection.sdk)
    if entry is None:
        return "undisclosed", params
    params["company"] = entry.vendor.name_zh
    link = entry.links.privacy_policy or entry.links.website
    if not link:
        return "undisclosed.company", params
    params["link"] = link
    return "undisclosed.company_link", params


def _covered_by_bundles(
    products: dict[str, list[Disclosure]], families: dict[str, list[Disclosure]], registry: Registry
) -> frozenset[str]:
    """Entries a disclosed product (or every product of a disclosed family) always ships."""
    roots = set(products) | {m for family in families for m in registry.family_members(family)}
    return registry.bundled(roots)


def _undisclosed_and_family(
    detections: dict[str, Detection],
    products: dict[str, list[Disclosure]],
    families: dict[str, list[Disclosure]],
    registry: Registry,
) -> list[Finding]:
    findings: list[Finding] = []
    family_cover: dict[str, list[Detection]] = defaultdict(list)
    reported_ambiguous: set[frozenset[str]] = set()
    bundled = _covered_by_bundles(products, families, registry)
    for sdk_id, detection in sorted(detections.items()):
        if not detection.requires_disclosure or sdk_id in products or sdk_id in bundled:
            continue
        if detection.level == "family":
            members = registry.family_members(sdk_id)
            if sdk_id in families or any(m in products or m in bundled for m in members):
                continue  # the line, or one of its products, is disclosed
            findings.append(
                _finding("undisclosed", sdk_id, sdk_id, "undisclosed.family",
                         {"family": _label(registry, sdk_id),
                          "confidence": CONFIDENCE.get(detection.confidence, detection.confidence),
                          "members": tuple(members)},
                         apk_evidence=_evidence_lines(detection))
            )
            continue
        if detection.family and detection.family in families:
            family_cover[detection.family].append(detection)
            continue
        if is_ambiguous(detection):
            group = frozenset({sdk_id, *alternatives(detection)})
            # Shared code fits several SDKs: disclosing any one of them is honest.
            if any(other in products for other in group) or group in reported_ambiguous:
                continue
            reported_ambiguous.add(group)
            findings.append(
                _finding("undisclosed", sdk_id, "|".join(sorted(group)),
                         "undisclosed.shared", {"names": tuple(sorted(group))},
                         apk_evidence=_evidence_lines(detection))
            )
            continue
        message_id, params = _undisclosed_message(registry, detection)
        findings.append(
            _finding("undisclosed", sdk_id, sdk_id, message_id, params,
                     apk_evidence=_evidence_lines(detection))
        )
    for family_id, covered in sorted(family_cover.items()):
        findings.append(
            _finding("family_only", family_id, family_id, "family_only",
                     {"family": _label(registry, family_id),
                      "names": tuple(_label(registry, d.sdk) for d in covered)},
                     apk_evidence=tuple(line for d in covered for line in _evidence_lines(d)),
                     policy_evidence=_refs(families[family_id]))
        )
    return findings


def _over_disclosed(
    scan: ScanResult,
    detections: dict[str, Detection],
    products: dict[str, list[Disclosure]],
    families: dict[str, list[Disclosure]],
    registry: Registry,
) -> list[Finding]:
    # When a packer hides the DEX, absence of code is not evidence of absence.
    severity = Severity.INFO if scan.packer else None
    packed: dict[str, ParamValue] = {"packer": scan.packer.name} if scan.packer else {}
    shared_alternatives = {
        other for d in detections.values() if is_ambiguous(d) for other in alternatives(d)
    }
    # Present without their own evidence: components a detected product always ships, and the
    # products of a line whose shared evidence alone was found.
    implied = registry.bundled(d.sdk for d in detections.values() if d.level == "product")
    implied |= {
        m for d in detections.values() if d.level == "family" for m in registry.family_members(d.sdk)
    }
    findings: list[Finding] = []
    for sdk_id, disclosures in sorted(products.items()):
        if sdk_id in detections or sdk_id in shared_alternatives or sdk_id in implied:
            continue
        findings.append(
            _finding("over_disclosed", sdk_id, sdk_id,
                     "over_disclosed.packed" if packed else "over_disclosed",
                     {"sdk": _label(registry, sdk_id), **packed},
                     severity=severity, policy_evidence=_refs(disclosures))
        )
    for family_id, disclosures in sorted(families.items()):
        members = registry.family_members(family_id)
        if family_id in detections or any(member in detections for member in members):
            continue
        findings.append(
            _finding("over_disclosed", family_id, family_id,
                     "over_disclosed.family_packed" if packed else "over_disclosed.family",
                     {"family": _label(registry, family_id), "members": tuple(members), **packed},
                     severity=severity, policy_evidence=_refs(disclosures))
        )
    return findings


def _incomplete(disclosed: dict[str, list[Disclosure]], registry: Registry) -> list[Finding]:
    findings: list[Finding] = []
    for sdk_id, disclosures in disclosed.items():
        entry = registry.entries.get(sdk_id)
        if entry is not None and not entry.requires_disclosure:
            continue
        # Fields may be spread over several mentions of the same SDK: judge their union.
        present = {
            name
            for d in disclosures
            for name in REQUIRED_FIELDS
            if getattr(d.fields, name)
        }
        missing = tuple(name for name in REQUIRED_FIELDS if name not in present)
        if missing:
            findings.append(
                _finding("incomplete_disclosure", sdk_id, sdk_id,
                         "incomplete_disclosure",
                         {"sdk": _label(registry, sdk_id),
                          "fields": tuple(POLICY_FIELDS[m] for m in missing)},
                         policy_evidence=_refs(disclosures), missing=missing)
            )
    return findings


def _data_under_disclosed(
    detections: dict[str, Detection],
    disclosed: dict[str, list[Disclosure]],
    registry: Registry,
) -> list[Finding]:
    """Data the vendor documents that the policy's data list omits.

    An omitted item the vendor says is always collected (``collects``) is a warning; one it lists
    as optional or configurable (``collects_optional``) is info, in a second finding whose
    subject is ``<id>#optional`` so each keeps its own stable fingerprint. A family disclosure is
    judged against the lists of the family's products found in the APK.
    """
    findings: list[Finding] = []
    for sdk_id, disclosures in disclosed.items():
        declared = {t for d in disclosures for t in d.fields.data_types}
        if not declared:
            continue  # no data list at all is an incomplete disclosure, reported above
        members = (sdk_id,) if sdk_id in registry.entries else tuple(
            m for m in registry.family_members(sdk_id) if m in detections
        )
        mandatory = {t for m in members for t in registry.entries[m].collects}
        optional = {t for m in members for t in registry.entries[m].collects_optional} - mandatory
        for severity, collected, subject, message_id in (
            (None, mandatory, sdk_id, "data_under_disclosed"),
            (Severity.INFO, optional, f"{sdk_id}#optional", "data_under_disclosed.optional"),
        ):
            missing = sorted(t for t in collected if not _covered(t, declared, registry))
            if not missing:
                continue
            findings.append(
                _finding("data_under_disclosed", sdk_id, subject, message_id,
                         {"sdk": _label(registry, sdk_id),
                          "data": tuple(_data_type_name(registry, t) for t in missing)},
                         severity=severity, policy_evidence=_refs(disclosures), missing=tuple(missing))
            )
    return findings


def _covered(type_id: str, declared: set[str], registry: Registry) -> bool:
    """A policy covers a type by naming it, a broader term ("设备标识符" covers IMEI), or, when
    the vendor documents only a broad term ("设备信息"), any narrower one ("设备型号")."""
    if any(a in declared for a in registry.data_type_ancestors(type_id)):
        return True
    return any(type_id in registry.data_type_ancestors(d) for d in declared)


def _data_type_name(registry: Registry, type_id: str) -> Named:
    data_type = registry.data_types[type_id]
    return Named(data_type.name, chinese_term(data_type.wordings, data_type.name))
