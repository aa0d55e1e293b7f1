"""`sdkreg scan` reports: the versioned JSON document (schema: sdkreg/schemas/scan.schema.json)
and the human-readable text, both pure functions of a ``ScanResult``."""

from __future__ import annotations

from typing import Any

from sdkreg import __version__
from sdkreg.detection import Detection, EvidenceItem, ScanResult
from sdkreg.i18n import ENGLISH, NP_, Translator
from sdkreg.messages import confidence_label

SCAN_SCHEMA_VERSION = "1"
_KIND_LABEL = {
    "component": NP_("evidence", "manifest"),
    "meta_data": NP_("evidence", "meta-data"),
    "native_lib": NP_("evidence", "native libraries"),
    "asset": NP_("evidence", "assets"),
    "code": NP_("evidence", "code"),
    "domain": NP_("evidence", "domains"),
}


def _evidence(item: EvidenceItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "detail": item.detail,
        "value": item.value,
        "count": item.count,
        "via": item.via,
        "shared_with": list(item.shared_with),
        "family": item.family,
    }


def detection_dict(d: Detection) -> dict[str, Any]:
    return {
        "id": d.sdk,
        "level": d.level,
        "family": d.family,
        "confidence": d.confidence,
        "requires_disclosure": d.requires_disclosure,
        "evidence": [_evidence(e) for e in d.evidence],
    }


def scan_document(result: ScanResult) -> dict[str, Any]:
    """The JSON report as a dict; schema_version changes only on incompatible changes."""
    packer = result.packer
    return {
        "schema_version": SCAN_SCHEMA_VERSION,
        "tool": {"name": "sdkreg", "version": __version__},
        "file": {"path": result.path, "sha256": result.sha256, "splits": list(result.splits)},
        "registry": {"version": result.registry_version},
        "app": {
            "package": result.app.package,
            "version_name": result.app.version_name,
            "version_code": result.app.version_code,
        },
        "packer": (
            {"id": packer.id, "name": packer.name, "evidence": list(packer.evidence)}
            if packer
            else None
        ),
        "code_evidence_complete": result.code_evidence_complete,
        "stats": {"classes": result.class_count, "dex_files": result.dex_count},
        "sdks": [detection_dict(d) for d in result.sdks],
        "unrecognised": [{"package": t.package, "classes": t.classes} for t in result.unrecognised],
    }


def evidence_label(kind: str, tr: Translator = ENGLISH) -> str:
    label = _KIND_LABEL.get(kind)
    return tr.pgettext("evidence", label) if label else kind


def scan_text(result: ScanResult, tr: Translator = ENGLISH) -> str:
    _ = tr.gettext
    app = result.app
    version = f" {app.version_name} ({app.version_code})" if app.version_name else ""
    lines = [f"{result.path}: {app.package or '?'}{version}"]
    lines.append(
        "  " + _("{classes} classes in {dex} DEX file(s)").format(
            classes=result.class_count, dex=result.dex_count)
        + (_(", {count} split APKs").format(count=len(result.splits)) if result.splits else "")
    )
    if result.packer:
        lines.append("  " + _(
            "packer: {name} ({evidence}) — code evidence is incomplete; manifest and native-library "
            "evidence still stand").format(name=result.packer.name,
                                           evidence="; ".join(result.packer.evidence)))
    lines.append("")
    if not result.sdks:
        lines.append(_("No registry SDK detected."))
    else:
        lines.append(_("SDKs detected: {count}").format(count=len(result.sdks)))
    for d in result.sdks:
        flags: list[str] = [confidence_label(d.confidence, tr)]
        if d.level == "family":
            flags.append(_("product line only: evidence its products share, none of one product"))
        elif d.family:
            flags.append(_("family {family}").format(family=d.family))
        if not d.requires_disclosure:
            flags.append(_("common library, no disclosure needed"))
        lines.append(f"  {d.sdk}  [{tr.join(flags)}]")
        groups: dict[str, list[EvidenceItem]] = {}
        for item in d.evidence:
            groups.setdefault(item.kind, []).append(item)
        for kind, items in groups.items():
            lines.append(f"    {evidence_label(kind, tr)}:")
            for item in items:
                notes = []
                if item.via:
                    notes.append(_("via {sdk}").format(sdk=item.via))
                if item.shared_with:
                    notes.append(_("also fits {sdks}").format(sdks=", ".join(item.shared_with)))
                if item.family and item.family != d.sdk:
                    notes.append(_("shared by the {family} product line").format(family=item.family))
                suffix = f"  ({'; '.join(notes)})" if notes else ""
                lines.append(f"      {item.detail}{suffix}")
    if result.unrecognised:
        lines.append("")
        lines.append(_("Unrecognised third-party code (no registry entry claims it):"))
        for tree in result.unrecognised:
            noun = _("class") if tree.classes == 1 else _("classes")
            lines.append(f"  {tree.package:<48} {tree.classes} {noun}")
    return "\n".join(lines) + "\n"
