"""The binary AndroidManifest.xml, decoded with androguard's AXML parser.

Only androguard's AXML printer is used (not ``androguard.core.apk.APK``, which would reopen
the zip outside our limits and parse resources we do not need).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdkreg.apk.model import AppInfo, Component
from sdkreg.errors import ApkNoManifestError
from sdkreg.registry.model import COMPONENT_KINDS, ComponentKind
from sdkreg.safe_text import escape_unsafe

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
_NAME = ANDROID_NS + "name"
_MAIN = "android.intent.action.MAIN"
_LAUNCHER = "android.intent.category.LAUNCHER"


@dataclass(frozen=True)
class ManifestInfo:
    app: AppInfo
    permissions: tuple[str, ...]
    components: tuple[Component, ...]
    meta_data: tuple[tuple[str, str], ...]
    application: str | None
    main_activity: str | None
    split: str | None  # the `split` attribute of a configuration/feature split APK


def resolve_class(name: str, package: str | None) -> str:
    """Resolve a manifest class name: ``.Foo`` and bare ``Foo`` are relative to the package."""
    name = name.strip()
    if package and (name.startswith(".") or "." not in name):
        return f"{package}.{name.lstrip('.')}"
    return name


def parse_manifest(data: bytes, label: str) -> ManifestInfo:
    # Heavy imports, paid only when a scan runs. androguard logs through loguru at DEBUG and
    # WARNING level; a CLI must not leak that to stderr.
    from loguru import logger

    logger.disable("androguard")
    from androguard.core.axml import AXMLPrinter

    try:
        printer = AXMLPrinter(data)
        root: Any = printer.get_xml_obj()
    except Exception as exc:  # androguard raises anything from struct.error to ResParserError
        raise ApkNoManifestError(f"{label}: unreadable binary AndroidManifest.xml ({exc})") from exc
    if root is None or not printer.is_valid() or root.tag != "manifest":
        raise ApkNoManifestError(f"{label}: AndroidManifest.xml is not a binary Android manifest")

    package = _get(root, "package") or None
    app = AppInfo(
        package=package,
        version_name=_get(root, ANDROID_NS + "versionName"),
        version_code=_get(root, ANDROID_NS + "versionCode"),
    )
    permissions = tuple(
        dict.fromkeys(
            _get(el, _NAME)
            for tag in ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m")
            for el in root.iter(tag)
            if _get(el, _NAME)
        )
    )
    components: list[Component] = []
    main_activity: str | None = None
    application: str | None = None
    meta: list[tuple[str, str]] = []
    for app_el in root.iter("application"):
        if _get(app_el, _NAME):
            application = resolve_class(_get(app_el, _NAME), package)
        for el in app_el.iter():
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag == "meta-data" and _get(el, _NAME):
                # A value may be a resource reference (@7F0E005C): kept as written.
                value = _get(el, ANDROID_NS + "value") or _get(el, ANDROID_NS + "resource") or ""
                meta.append((_get(el, _NAME), value))
                continue
            kind = _component_kind(tag)
            if kind is None or not _get(el, _NAME):
                continue
            name = resolve_class(_get(el, _NAME), package)
            if tag == "activity-alias":
                target = _get(el, ANDROID_NS + "targetActivity")
                if main_activity is None and target and _is_launcher(el):
                    main_activity = resolve_class(target, package)
                continue  # an alias names no class of its own
            components.append(Component(kind, name))
            if kind == "activity" and main_activity is None and _is_launcher(el):
                main_activity = name
    return ManifestInfo(
        app=app,
        permissions=permissions,
        components=tuple(dict.fromkeys(components)),
        meta_data=tuple(dict.fromkeys(meta)),
        application=application,
        main_activity=main_activity,
        split=_get(root, "split") or None,
    )


def _get(element: Any, attribute: str) -> Any:
    """An attribute as text safe to print and store (``escape_unsafe``), or None."""
    value = element.get(attribute)
    return escape_unsafe(value) if isinstance(value, str) else value


def _component_kind(tag: str) -> ComponentKind | None:
    if tag == "activity-alias":
        return "activity"
    for kind in COMPONENT_KINDS:
        if tag == kind:
            return kind
    return None


def _is_launcher(el: Any) -> bool:
    for intent_filter in el.iter("intent-filter"):
        actions = {a.get(_NAME) for a in intent_filter.iter("action")}
        categories = {c.get(_NAME) for c in intent_filter.iter("category")}
        if _MAIN in actions and _LAUNCHER in categories:
            return True
    return False
