"""What inspecting an Android package produces: raw evidence, before registry matching."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sdkreg.registry.model import ComponentKind


@dataclass(frozen=True)
class AppInfo:
    package: str | None
    version_name: str | None
    version_code: str | None


@dataclass(frozen=True)
class Component:
    kind: ComponentKind
    name: str  # fully qualified class name


@dataclass(frozen=True)
class Packer:
    id: str  # e.g. "jiagu-360"
    name: str  # e.g. "360加固"
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ApkEvidence:
    """Everything observed in the package (all splits of a container merged)."""

    path: str
    sha256: str
    app: AppInfo
    permissions: tuple[str, ...]
    components: tuple[Component, ...]
    meta_data: tuple[tuple[str, str], ...]  # (key, value) — value may be a resource reference
    # class names from every classes*.dex, dotted (com.example.Foo); the app's own included
    class_names: tuple[str, ...] = field(repr=False)
    native_libs: tuple[str, ...]  # zip paths lib/<abi>/<name>.so
    assets: tuple[str, ...]  # zip paths under assets/
    dex_files: tuple[str, ...]
    splits: tuple[str, ...]  # member APK names for .apks/.xapk, empty for a plain APK
    packer: Packer | None
    extra: Mapping[str, str] = field(default_factory=dict)
    # The <application android:name> class and the launcher activity, fully qualified: they
    # locate the app's own code when it lives outside the manifest package.
    application: str | None = None
    main_activity: str | None = None
    # Classes per package, counted once while reading the DEX files (matching and packer
    # detection both work per package, not per class); empty = derive from class_names.
    package_counts: Mapping[str, int] = field(default_factory=dict, repr=False)
