"""`sdkreg policy` as text: a table of the disclosures found, then a summary line, in the reader's
language. (The JSON document stays in ``sdkreg.policy.report``.)"""

from __future__ import annotations

from sdkreg.i18n import ENGLISH, NP_, Translator
from sdkreg.policy.model import PolicyResult
from sdkreg.registry.view import display_width
from sdkreg.report.text import pad


def policy_text(result: PolicyResult, tr: Translator = ENGLISH) -> str:
    """A table: line, as written, sdk, level, how matched, data types; then a summary line."""
    _ = tr.gettext
    source = result.source
    out = [_("{path} ({format}, {encoding}, {count} lines)").format(
        path=source.path, format=source.format, encoding=source.encoding, count=len(source.lines))]
    if result.linked_from:
        out.append(_("SDK list read from {path}, linked from the policy {url}").format(
            path=source.path, url=result.linked_from))
    if not result.disclosures:
        if result.has_sdk_section:
            out.append(_("the policy has a third-party SDK section, but it names no SDK"))
        else:
            out.append(_("no third-party SDK list found in the policy"))
        return "\n".join(out) + "\n"
    header = (_("LINE"), _("AS WRITTEN"), _("SDK"), _("LEVEL"), _("MATCH"), _("DATA TYPES"))
    rows = [header]
    for d in result.disclosures:
        if d.match.method == "fuzzy":
            match = _("fuzzy {score:.0f}").format(score=d.match.score)
        else:
            match = tr.pgettext("match", _METHODS.get(d.match.method, d.match.method))
        rows.append(
            (
                str(d.line),
                _clip(d.as_written, 36),
                d.sdk or _("(unresolved)"),
                tr.pgettext("level", _LEVELS.get(d.level, d.level)) if d.level else "-",
                match,
                ", ".join(d.fields.data_types) or "-",
            )
        )
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    for row in rows:
        cells = [pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        out.append("  ".join([*cells, row[-1]]).rstrip())
    resolved = sum(1 for d in result.disclosures if d.sdk)
    sdks = len({d.sdk for d in result.disclosures if d.sdk})
    out.append(
        _("{count} disclosure(s): {resolved} resolved to {sdks} registry id(s), {unresolved} unresolved")
        .format(count=len(result.disclosures), resolved=resolved, sdks=sdks,
                unresolved=len(result.disclosures) - resolved)
    )
    return "\n".join(out) + "\n"


# The words of the LEVEL and MATCH columns (data values), marked for translation.
_LEVELS = {"product": NP_("level", "product"), "family": NP_("level", "family")}
_METHODS = {"package": NP_("match", "package"), "exact": NP_("match", "exact"),
            "none": NP_("match", "none")}


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def explain_text(result: PolicyResult, tr: Translator = ENGLISH) -> str:
    """``--explain``: every candidate a layout finder proposed, in line order, kept or dropped,
    and why."""
    _ = tr.gettext
    kept = sum(e.kept for e in result.explanations)
    out = [_("{count} candidate(s), {kept} kept:").format(count=len(result.explanations), kept=kept)]
    for e in result.explanations:
        verdict = _("KEEP") if e.kept else _("drop")
        sdks = ", ".join(s or _("(unresolved)") for s in e.sdks) or "-"
        roles = " ".join(f"{k}={v:g}" for k, v in e.roles) or "-"
        reason = _(e.reason_template).format(**dict(e.reason_params)) if e.reason_template else e.reason
        out.append(f"{e.line:>5}  {verdict}  {e.finder}/{e.strength}  {e.as_written}  -> {sdks}")
        out.append("       " + _("roles: {roles}; {reason}").format(roles=roles, reason=reason))
    return "\n".join(out) + "\n"
