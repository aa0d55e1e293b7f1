"""Android packages: open safely, read manifest, DEX class names, native libraries, assets.

``inspect_apk`` gathers raw evidence; ``scan_apk`` matches it against a registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sdkreg import progress as steps
from sdkreg.apk.container import MANIFEST, ApkZip, Limits, open_package
from sdkreg.apk.dex import class_names, package_counts
from sdkreg.apk.manifest import ManifestInfo, parse_manifest
from sdkreg.apk.model import ApkEvidence, AppInfo, Component, Packer
from sdkreg.apk.packer import detect_packer
from sdkreg.errors import ApkNoManifestError

if TYPE_CHECKING:
    from sdkreg.detection import ScanResult
    from sdkreg.match import SignatureIndex
    from sdkreg.registry.registry import Registry

__all__ = ["ApkEvidence", "AppInfo", "Component", "Limits", "Packer", "inspect_apk", "scan_apk"]


def _selected_members(apks: list[ApkZip]) -> list[ApkZip]:
    """bundletool's .apks carries both ``splits/`` and, for old devices, ``standalones/``
    (each a full copy of the app): scan the splits only, or classes would count twice."""
    if any(a.member.startswith("splits/") for a in apks):
        return [a for a in apks if not a.member.startswith("standalones/")]
    return apks


def inspect_apk(
    path: Path, limits: Limits | None = None, progress: steps.Progress = steps.no_progress
) -> ApkEvidence:
    """Every signal in the package, all members of a split container merged into one app."""
    progress(steps.OPENING_APK, {"name": path.name})
    with open_package(path, limits) as package:
        apks = _selected_members(package.apks)
        manifests: list[tuple[ApkZip, ManifestInfo]] = [
            (apk, parse_manifest(apk.read(MANIFEST), f"{apk.label}!{MANIFEST}"))
            for apk in apks
            if apk.has_manifest
        ]
        # The base APK is the one whose manifest is not a split's.
        base = next((m for _, m in manifests if m.split is None), None)
        if base is None:
            raise ApkNoManifestError(f"{path}: no base APK (every member manifest is a split)")
        names: list[str] = []
        dex_files: list[str] = []
        libs: dict[str, None] = {}
        assets: dict[str, None] = {}
        total = sum(len(apk.dex_names()) for apk in apks)
        for apk in apks:
            prefix = f"{apk.member}!" if apk.member else ""
            for dex in apk.dex_names():
                progress(steps.READING_DEX,
                         {"name": prefix + dex, "done": len(dex_files) + 1, "total": total})
                names += class_names(apk.read(dex), f"{apk.label}!{dex}")
                dex_files.append(prefix + dex)
            for entry in apk.names:
                if entry.startswith("lib/") and entry.endswith(".so"):
                    libs[entry] = None
                elif entry.startswith("assets/") and not entry.endswith("/"):
                    assets[entry] = None
    components: dict[Component, None] = {}
    meta: dict[tuple[str, str], None] = {}
    permissions: dict[str, None] = {}
    for _, info in manifests:
        components.update(dict.fromkeys(info.components))
        meta.update(dict.fromkeys(info.meta_data))
        permissions.update(dict.fromkeys(info.permissions))
    packages = package_counts(names)
    packer = detect_packer(base.application, names, libs, assets, packages=packages)
    return ApkEvidence(
        path=str(path),
        sha256=package.sha256,
        app=base.app,
        permissions=tuple(permissions),
        components=tuple(components),
        meta_data=tuple(meta),
        class_names=tuple(names),
        native_libs=tuple(libs),
        assets=tuple(assets),
        dex_files=tuple(dex_files),
        splits=tuple(apk.member for apk in apks) if package.is_container else (),
        packer=packer,
        application=base.application,
        main_activity=base.main_activity,
        package_counts=packages,
    )


def scan_apk(
    path: Path,
    registry: Registry,
    limits: Limits | None = None,
    index: SignatureIndex | None = None,
    progress: steps.Progress = steps.no_progress,
) -> ScanResult:
    """Detect the registry's SDKs in the package at ``path``."""
    from sdkreg.match import detect

    evidence = inspect_apk(path, limits, progress)
    progress(steps.MATCHING, {"classes": len(evidence.class_names)})
    return detect(evidence, registry, index)
