"""Detections: what registry signatures matched in an APK, with their evidence.

A detection names a product (``level: product``), or — when the only evidence is evidence a
whole product line shares (a family's ``detect`` signatures, e.g. ``UMENG_APPKEY``) — the family
(``level: family``): such evidence never reports a specific product by itself. When a member
product is detected from its own evidence, the line's shared evidence is attached to it as
supporting evidence (``EvidenceItem.family`` names the line).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sdkreg.apk.model import AppInfo, Packer

EvidenceKind = Literal["code", "component", "meta_data", "native_lib", "asset", "domain"]
Confidence = Literal["high", "medium", "low"]
DetectionLevel = Literal["product", "family"]


@dataclass(frozen=True)
class EvidenceItem:
    kind: EvidenceKind
    detail: str  # human-readable: "312 classes under com.xiaomi.push"
    value: str  # the matched signature value
    count: int = 1
    via: str | None = None  # aggregator whose plug-in delivered it
    shared_with: tuple[str, ...] = ()  # other entries the same evidence also fits
    family: str | None = None  # the product line whose shared evidence this is (no one product's)


@dataclass(frozen=True)
class Detection:
    sdk: str
    family: str | None
    confidence: Confidence
    evidence: tuple[EvidenceItem, ...]
    requires_disclosure: bool = True
    level: DetectionLevel = "product"  # "family": only the line's shared evidence was found


@dataclass(frozen=True)
class UnrecognisedTree:
    package: str  # package prefix no registry entry claims
    classes: int


@dataclass(frozen=True)
class ScanResult:
    path: str
    sha256: str
    app: AppInfo
    sdks: tuple[Detection, ...]
    packer: Packer | None
    unrecognised: tuple[UnrecognisedTree, ...]
    class_count: int
    dex_count: int
    splits: tuple[str, ...] = ()  # member APKs of a .apks/.xapk container
    registry_version: str | None = None
    # False when a packer hides the real DEX: absent code evidence then proves nothing.
    code_evidence_complete: bool = True
