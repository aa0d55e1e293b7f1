"""`sdkreg registry coverage` and `import-libchecker` reports: pure functions of the core results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sdkreg.registry.coverage import CoverageReport, ProductCoverage, Tally
from sdkreg.registry.drafts import Draft
from sdkreg.registry.view import display_width

COVERAGE_SCHEMA_VERSION = "1"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _table(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> list[str]:
    """Columns padded by display width (CJK takes two columns); ``right`` columns right-aligned."""
    right = set(right)
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - display_width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _tally_row(name: str, tally: Tally) -> tuple[str, ...]:
    return (
        name, str(tally.products), str(tally.recognised), str(tally.excluded), str(tally.missing),
        _pct(tally.recognised, tally.products), f"{tally.rules_claimed} / {tally.rules}",
    )


_TALLY_HEADER = ("", "products", "covered", "excluded", "missing", "%", "rules claimed")


def coverage_text(report: CoverageReport) -> str:
    total = report.tally()
    service = report.tally(p for p in report.products if p.product.kind == "svc")
    in_scope = total.products - total.excluded
    lines = [
        f"Registry coverage of {report.source} (snapshot {report.snapshot}, {report.license}): "
        f"its Chinese-vendor products",
        f"registry {report.registry_version} ({report.registry_entries} entries)",
        "",
        f"Products: {total.recognised} of {total.products} covered ({_pct(total.recognised, total.products)})"
        f" — {total.covered} by registry entries, {total.packer} by the packer table; "
        f"{total.excluded} deliberately excluded, {total.missing} missing",
        f"  of the products in scope (all but the deliberate exclusions): {total.recognised} of "
        f"{in_scope} ({_pct(total.recognised, in_scope)})",
        f"  vendor service SDKs only: {service.recognised} of {service.products} "
        f"({_pct(service.recognised, service.products)})",
        f"Rules: {total.rules_claimed} of {total.rules} claimed ({_pct(total.rules_claimed, total.rules)})",
        "",
        "By vendor",
    ]
    lines += _table(
        [("vendor", *_TALLY_HEADER[1:]),
         *(_tally_row(report.vendors.get(v, v), t) for v, t in report.by("vendor").items())],
        right=range(1, 7),
    )
    lines += ["", "By category"]
    lines += _table(
        [("category", *_TALLY_HEADER[1:]), *(_tally_row(c, t) for c, t in report.by("category").items())],
        right=range(1, 7),
    )
    lines += ["", "Data lists of registry entries that need disclosure, by category"]
    rows: list[tuple[str, ...]] = [
        ("category", "entries", "sourced", "reason stated", "list, no source", "nothing")
    ]
    for d in report.data_lists:
        rows.append((d.category, str(d.disclosable), str(d.sourced), str(d.reason), str(d.unsourced),
                     str(d.none)))
    sums = [sum(getattr(d, k) for d in report.data_lists)
            for k in ("disclosable", "sourced", "reason", "unsourced", "none")]
    rows.append(("all", *(str(n) for n in sums)))
    lines += _table(rows, right=range(1, 6))
    lines.append(f"  sourced: {sums[1]} of {sums[0]} ({_pct(sums[1], sums[0])}); with a stated reason: "
                 f"{sums[2]}")
    uncovered = sorted(report.uncovered, key=lambda p: (p.status, p.product.vendor, p.product.label))
    lines += ["", f"Not covered ({len(uncovered)})"]
    if uncovered:
        lines += _table(
            [("vendor", "product", "category", "kind", "rules", "reason"),
             *((p.product.vendor, p.product.label, p.product.category, p.product.kind,
                str(len(p.rules)), p.reason) for p in uncovered)],
            right=(4,),
        )
    if report.stale_exclusions:
        lines += ["", "Stale exclusions (they match nothing to exclude any more; remove them):"]
        lines += [f"  {item}" for item in report.stale_exclusions]
    return "\n".join(lines) + "\n"


def _tally_dict(tally: Tally) -> dict[str, int]:
    return {
        "products": tally.products, "covered": tally.covered, "packer": tally.packer,
        "excluded": tally.excluded, "missing": tally.missing, "rules": tally.rules,
        "rules_claimed": tally.rules_claimed,
    }


def _product_dict(item: ProductCoverage) -> dict[str, Any]:
    return {
        "label": item.product.label,
        "vendor": item.product.vendor,
        "category": item.product.category,
        "kind": item.product.kind,
        "status": item.status,
        "reason": item.reason or None,
        "entries": list(item.entries),
        "named_by": list(item.named_by),
        "rules": [
            {"path": c.rule.path, "kind": c.rule.kind, "names": list(c.rule.names),
             "claimed_by": list(c.entries), "packer": c.packer, "left_out": c.left_out}
            for c in item.rules
        ],
    }


def coverage_document(report: CoverageReport) -> dict[str, Any]:
    def grouped(groups: Mapping[str, Tally]) -> dict[str, dict[str, int]]:
        return {name: _tally_dict(t) for name, t in groups.items()}

    return {
        "schema_version": COVERAGE_SCHEMA_VERSION,
        "reference": {"source": report.source, "snapshot": report.snapshot, "license": report.license},
        "registry": {"version": report.registry_version, "entries": report.registry_entries},
        "total": _tally_dict(report.tally()),
        "service_sdks": _tally_dict(report.tally(p for p in report.products if p.product.kind == "svc")),
        "by_vendor": grouped(report.by("vendor")),
        "by_category": grouped(report.by("category")),
        "data_lists": [
            {"category": d.category, "entries": d.disclosable, "sourced": d.sourced,
             "reason": d.reason, "unsourced": d.unsourced, "none": d.none}
            for d in report.data_lists
        ],
        "products": [_product_dict(p) for p in report.products],
        "stale_exclusions": list(report.stale_exclusions),
    }


def import_text(
    report: CoverageReport,
    drafts: Iterable[Draft],
    written_to: str,
    carried: Iterable[ProductCoverage],
    warnings: Iterable[str],
    index_path: str | None,
) -> str:
    drafts = list(drafts)
    carried = list(carried)
    total = report.tally()
    lines = [
        f"{report.source} {report.snapshot}: {total.products} Chinese-vendor products, {total.rules} rules; "
        f"the registry covers {total.recognised} ({_pct(total.recognised, total.products)}) and claims "
        f"{total.rules_claimed} rules",
        f"{len(drafts)} draft entries written to {written_to} (complete every TODO, then validate)",
    ]
    if index_path:
        lines.append(f"reference index written to {index_path}")
    if drafts:
        lines += _table([("draft", "product", "vendor", "rules"),
                         *((d.id, d.product.label, d.product.vendor, str(len(d.product.rules)))
                           for d in drafts)], right=(3,))
    lines += ["", f"Products the registry carries, with signals it does not claim ({len(carried)}):"]
    for item in carried:
        owners = ", ".join(item.entries or item.named_by)
        lines.append(f"  {item.product.label} ({owners}): {len(item.unclaimed)} unclaimed")
        for claim in item.unclaimed:
            lines.append(f"    {claim.rule.kind:<9} {', '.join(claim.rule.names)}  [{claim.rule.path}]")
    warnings = list(warnings)
    if warnings:
        lines += ["", f"Skipped while reading the checkout ({len(warnings)}):"]
        lines += [f"  {w}" for w in warnings]
    return "\n".join(lines) + "\n"
