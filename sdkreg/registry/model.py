"""The registry's data, as frozen dataclasses. Loading lives in ``load.py``, checks in ``lint.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ComponentKind = Literal["activity", "service", "receiver", "provider"]
# Where an entry's personal-data list stands (issue 13): taken from a cited vendor page, replaced
# by a stated reason, present without its page, absent, or not needed (a library).
DataListStatus = Literal["sourced", "reason", "unsourced", "missing", "not-required"]
COMPONENT_KINDS: tuple[ComponentKind, ...] = ("activity", "service", "receiver", "provider")


@dataclass(frozen=True)
class Signature:
    """One detection signature: a package prefix, a component class, a meta-data key, a file name.

    ``via`` names the aggregator whose plug-in delivers this SDK (e.g. a JPush receiver that
    carries Xiaomi push); ``shared_with`` names the other entries that ship the same code
    (Umeng push and Aliyun push both ship ``org.android.agoo``), so detection can say the
    evidence is ambiguous instead of guessing.
    """

    value: str
    via: str | None = None
    shared_with: tuple[str, ...] = ()
    note: str | None = field(default=None, compare=False)  # e.g. which SDK generation used it


@dataclass(frozen=True)
class Detect:
    packages: tuple[Signature, ...] = ()
    activities: tuple[Signature, ...] = ()
    services: tuple[Signature, ...] = ()
    receivers: tuple[Signature, ...] = ()
    providers: tuple[Signature, ...] = ()
    meta_data: tuple[Signature, ...] = ()
    native_libs: tuple[Signature, ...] = ()
    assets: tuple[Signature, ...] = ()
    domains: tuple[Signature, ...] = ()

    def components(self, kind: ComponentKind) -> tuple[Signature, ...]:
        return {
            "activity": self.activities,
            "service": self.services,
            "receiver": self.receivers,
            "provider": self.providers,
        }[kind]

    def by_key(self) -> tuple[tuple[str, tuple[Signature, ...]], ...]:
        """Each ``detect:`` key with its signatures, the component kinds last: the order
        `registry show` prints them in and `registry diff` compares them in."""
        return (
            ("packages", self.packages),
            ("meta_data", self.meta_data),
            ("native_libs", self.native_libs),
            ("assets", self.assets),
            ("domains", self.domains),
            ("activities", self.activities),
            ("services", self.services),
            ("receivers", self.receivers),
            ("providers", self.providers),
        )


@dataclass(frozen=True)
class Vendor:
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Links:
    website: str | None = None
    privacy_policy: str | None = None
    docs: str | None = None


@dataclass(frozen=True)
class Examples:
    """Proof an entry carries with it: run through the real matchers by the tests."""

    classes: tuple[str, ...] = ()  # class names that must be attributed to this entry
    not_classes: tuple[str, ...] = ()  # lookalikes that must not
    components: tuple[str, ...] = ()  # manifest component class names that must match
    native_libs: tuple[str, ...] = ()  # native library file names that must match
    meta_data: tuple[str, ...] = ()  # manifest meta-data keys that must match
    policy: tuple[str, ...] = ()  # policy phrases that must resolve to this entry


@dataclass(frozen=True)
class SdkEntry:
    id: str
    name: str
    name_zh: str | None
    family: str | None
    category: str
    vendor: Vendor
    aliases: tuple[str, ...]
    detect: Detect
    collects: tuple[str, ...]
    permissions: tuple[str, ...]
    links: Links
    sources: tuple[str, ...]
    examples: Examples
    # False for common libraries that collect nothing (androidx, okhttp, …): detected so they
    # are not "unrecognised", but never "undisclosed".
    requires_disclosure: bool = True
    notes: str | None = None
    path: Path | None = field(default=None, compare=False)
    # Entries this product always ships (its disclosure covers them): umeng-analytics → umeng-common.
    bundles: tuple[str, ...] = ()
    # Data the vendor lists as optional/configurable (collected only when the app enables it).
    collects_optional: tuple[str, ...] = ()
    # The vendor page the data lists come from (also in ``sources``), or why there is none.
    collects_source: str | None = None
    collects_unpublished: str | None = None
    # 使用目的 as a policy writes it; `sdkreg disclose` falls back to a category default.
    purpose_zh: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.name, *([self.name_zh] if self.name_zh else []), *self.aliases]
        return tuple(dict.fromkeys(names))

    @property
    def display_name(self) -> str:
        """The name Chinese compliance staff know it by (``name_zh``), else its name."""
        return self.name_zh or self.name

    @property
    def data_list(self) -> DataListStatus:
        if not self.requires_disclosure:
            return "not-required"
        if self.collects_unpublished:
            return "reason"
        if self.collects_source:  # an empty list with its page: the vendor says it collects nothing
            return "sourced"
        return "unsourced" if self.collects or self.collects_optional else "missing"


@dataclass(frozen=True)
class Family:
    """A product line (``amap``: map, location, search, navi). Members are derived from entries.

    ``detect`` holds evidence the whole line shares and no single product owns: the app key every
    generation of Umeng reads (``UMENG_APPKEY``), HMS's ``com.huawei.hms.client.appid``, the AMap
    API key of map, location and search alike. Such evidence supports the products detected from
    their own signals, and only on its own yields a detection of the family (``level: family``).
    """

    id: str
    name: str
    name_zh: str | None
    vendor: Vendor
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    links: Links = Links()
    detect: Detect = Detect()
    sources: tuple[str, ...] = ()
    notes: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.name, *([self.name_zh] if self.name_zh else []), *self.aliases]
        return tuple(dict.fromkeys(names))

    @property
    def display_name(self) -> str:
        """The name Chinese compliance staff know it by (``name_zh``), else its name."""
        return self.name_zh or self.name


@dataclass(frozen=True)
class DataType:
    """A personal-data type of the controlled vocabulary; ``parent`` is the broader term
    (``imei`` → ``device-identifiers``) so a policy naming the broader term covers it."""

    id: str
    name: str
    wordings: tuple[str, ...]
    parent: str | None = None
    # Phrases that contain a wording but do not name this data ("短信验证码" is not the SMS).
    not_wordings: tuple[str, ...] = ()
