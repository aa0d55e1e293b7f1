"""Lines of a policy → SDK disclosures: prepare the document once, let every layout finder
propose candidates, let the arbiter keep the disclosures, resolve and describe them."""

from __future__ import annotations

from sdkreg.policy.arbiter import Verdict, arbitrate
from sdkreg.policy.datatypes import DataTypeMatcher
from sdkreg.policy.document import Document, prepare
from sdkreg.policy.layouts import FINDERS, Candidate, Context
from sdkreg.policy.model import Disclosure, DisclosureFields, Explanation, PolicyResult, PolicyText
from sdkreg.policy.resolve import Resolution, resolver_for
from sdkreg.policy.roles import role_reader
from sdkreg.registry.registry import Registry


def extract_disclosures(text: PolicyText, registry: Registry, *, explain: bool = False) -> PolicyResult:
    """The SDK disclosures of a policy; with ``explain``, also why every candidate was kept or
    dropped."""
    doc = prepare(text)
    ctx = Context(role_reader(registry))
    candidates = [c for finder in FINDERS for c in finder.find(doc, ctx)]
    resolver = resolver_for(registry)

    def resolve(candidate: Candidate) -> tuple[Resolution, ...]:
        return resolver.resolve(
            candidate.lookup or candidate.name,
            context=candidate.context,
            packages=candidate.packages,
            company=candidate.fields.company or "",
        )

    def family_of(sdk_id: str) -> str | None:
        entry = registry.entries.get(sdk_id)
        return entry.family if entry else None

    verdicts = arbitrate(candidates, resolve, family_of, doc.source_line)
    matcher = registry.derived("policy.datatypes", DataTypeMatcher)
    disclosures = tuple(
        disclosure
        for verdict in verdicts
        if verdict.kept
        for disclosure in _disclosures(doc, verdict, matcher)
    )
    return PolicyResult(
        source=text,
        disclosures=disclosures,
        has_sdk_section=any(line.sdk_heading for line in doc.lines) or bool(disclosures),
        explanations=tuple(_explanation(doc, v) for v in verdicts) if explain else (),
    )


def _disclosures(doc: Document, verdict: Verdict, matcher: DataTypeMatcher) -> list[Disclosure]:
    candidate = verdict.candidate
    found = candidate.fields
    fields = DisclosureFields(
        company=found.company,
        purpose=found.purpose,
        data_text=found.data,
        data_types=matcher.find(found.data),
        method=found.method,
        url=found.url,
    )
    line = doc.source_line(candidate.line, candidate.offset)
    return [
        Disclosure(
            as_written=candidate.name,
            line=line,
            sdk=resolution.sdk,
            level=resolution.level,
            match=resolution.match,
            fields=fields,
        )
        for resolution in verdict.resolutions
    ]


def _explanation(doc: Document, verdict: Verdict) -> Explanation:
    candidate = verdict.candidate
    return Explanation(
        as_written=candidate.name,
        line=doc.source_line(candidate.line, candidate.offset),
        finder=candidate.finder,
        strength=candidate.strength,
        roles=tuple((k, v) for k, v in candidate.roles.as_dict().items() if v),
        sdks=tuple(r.sdk for r in verdict.resolutions),
        kept=verdict.kept,
        reason=verdict.reason,
        reason_template=verdict.template,
        reason_params=verdict.params,
    )
