"""One arbiter settles what the layout finders proposed: which candidates are disclosures, and
why every other one is not.

In this order, each rule giving its reason:

0. a candidate under a heading saying its SDKs are not used ("七、当前未接入的第三方SDK"), or in
   the prose of an SDK vendor's own policy pasted into the document other than the name of that
   SDK, is no disclosure;
1. a field label or column header, or a heading or title, is never an SDK however SDK-like its
   words ("SDK名称", "第三方SDK信息共享清单", "Android端第三方SDK") — unless the registry knows it;
   A purpose or a data list ("用于广告投放、广告反作弊", "广告转化效果监测", "设备信息（IMEI、OAID）")
   is not a name either, unless the registry knows it;
2. a candidate whose layout alone does not make it a name (``needs_match``) counts only if it
   resolves to the registry;
3. overlaps: candidates are taken from the strongest finder down; one whose name line lies
   inside a record another finder already kept (a table row, a field block, a list item with
   its prose) is part of that record — a field value, a cell, a sentence of its body — not a
   disclosure of its own;
   A record whose data is shared server to server (共享方式: 后台接口传输, and no word of SDK)
   names a partner, not an SDK in the app: it holds its lines but discloses nothing;
4. ``only_if_new`` candidates (SDKs named in prose) count only if no kept disclosure names the
   same SDK (the same id, or a product and its family), and only once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sdkreg.i18n import N_
from sdkreg.policy.layouts.base import Candidate
from sdkreg.policy.resolve import Resolution
from sdkreg.policy.roles import has_sdk_word
from sdkreg.registry.names import normalize_name

# Why a candidate was kept or dropped: English templates (gettext message ids, translated where
# they are shown) with named parameters.
KEPT = N_("kept ({finder})")
LABEL = N_("a field label or column header, not a name")
HEADING = N_("a heading or title, not a name")
PURPOSE = N_("a purpose or a data list, not a name")
NEEDS_MATCH = N_("not in the registry, and a {finder} layout alone does not make it a name")
SAME_NAME = N_("the same name as the {finder} candidate")
INSIDE = N_("inside the {finder} record of '{name}' (lines {first}-{last}): part of it, not a disclosure")
SERVER_SIDE = N_("its data is shared server to server (共享方式: API/接口): not an SDK in the app")
REPEATS = N_("repeats '{name}' (line {line}), already disclosed")
EXCLUDED = N_("listed under a heading that says these SDKs are not used")
VENDOR_TEXT = N_("the words of an SDK's own policy pasted into the document, not a disclosure")


@dataclass(frozen=True)
class Verdict:
    candidate: Candidate
    resolutions: tuple[Resolution, ...]
    kept: bool
    template: str  # one of the reasons above
    params: tuple[tuple[str, str | int], ...] = ()

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.template.format(**dict(self.params))


Resolve = Callable[[Candidate], tuple[Resolution, ...]]
FamilyOf = Callable[[str], str | None]
LineOf = Callable[[int], int]  # document line index → the file's own line, for reasons


def arbitrate(
    candidates: list[Candidate], resolve: Resolve, family_of: FamilyOf, line_of: LineOf = lambda i: i + 1
) -> tuple[Verdict, ...]:
    resolved = {id(c): resolve(c) for c in candidates}
    verdicts: dict[int, Verdict] = {}

    def drop(candidate: Candidate, template: str, **params: str | int) -> None:
        verdicts[id(candidate)] = Verdict(
            candidate, resolved[id(candidate)], False, template, tuple(params.items())
        )

    survivors: list[Candidate] = []
    for candidate in candidates:
        resolutions = resolved[id(candidate)]
        known = any(r.sdk for r in resolutions)
        exact = any(r.sdk and r.match.method in ("exact", "package") for r in resolutions)
        if candidate.excluded:
            drop(candidate, EXCLUDED)
        elif candidate.vendor_text:
            drop(candidate, VENDOR_TEXT)
        elif candidate.roles.label and not exact:
            drop(candidate, LABEL)
        elif candidate.roles.heading and not exact:
            drop(candidate, HEADING)
        elif _purpose_or_data(candidate) and not known:
            drop(candidate, PURPOSE)
        elif candidate.needs_match and not known and not candidate.server_side:
            drop(candidate, NEEDS_MATCH, finder=candidate.finder)
        else:
            survivors.append(candidate)

    claims = _Claims()
    order = sorted(survivors, key=lambda c: (c.only_if_new, -c.strength, c.line, c.offset))
    disclosed = _Disclosed(family_of)
    for candidate in order:
        owner = claims.owner(candidate)
        if owner is not None:
            if owner.line == candidate.line and owner.offset == candidate.offset:
                drop(candidate, SAME_NAME, finder=owner.finder)
            else:
                first, last = line_of(owner.span[0]), line_of(owner.span[1])
                drop(candidate, INSIDE, finder=owner.finder, name=owner.name, first=first, last=last)
            continue
        resolutions = resolved[id(candidate)]
        if candidate.server_side:
            # The record is a partner's, not an SDK's: it still holds its lines (its heading
            # and values are not disclosures either).
            claims.add(candidate)
            drop(candidate, SERVER_SIDE)
            continue
        if candidate.only_if_new:
            earlier = disclosed.earlier(candidate, resolutions)
            if earlier is not None:
                drop(candidate, REPEATS, name=earlier.name, line=line_of(earlier.line))
                continue
        disclosed.add(candidate, resolutions)
        claims.add(candidate)
        verdicts[id(candidate)] = Verdict(candidate, resolutions, True, KEPT, (("finder", candidate.finder),))
    return tuple(
        sorted(verdicts.values(), key=lambda v: (v.candidate.line, v.candidate.offset, -v.candidate.strength))
    )


def _purpose_or_data(candidate: Candidate) -> bool:
    """A purpose ("用于广告SDK广告投放…", "广告投放、广告反作弊"), or — where the layout alone does not
    make it a name — a data list ("设备标识符（IMEI、OAID）"). A value a name field or column holds
    stays a name though it reads as data ("某某定位": 定位 is location data)."""
    roles = candidate.roles
    if roles.name >= 0.35:
        return False
    data = roles.data >= 0.5 and candidate.needs_match and not has_sdk_word(candidate.name)
    return roles.purpose >= 0.7 or data


class _Claims:
    """The lines kept records hold: a candidate of another finder on one of them is part of
    that record. Per line, the first record of each finder (a one-line policy of 10,000
    records must not make every look-up scan them all)."""

    def __init__(self) -> None:
        self._by_line: dict[int, dict[str, Candidate]] = {}
        self._by_position: dict[tuple[int, int], Candidate] = {}

    def add(self, candidate: Candidate) -> None:
        self._by_position.setdefault((candidate.line, candidate.offset), candidate)
        for line in range(candidate.span[0], candidate.span[1] + 1):
            self._by_line.setdefault(line, {}).setdefault(candidate.finder, candidate)

    def owner(self, candidate: Candidate) -> Candidate | None:
        same = self._by_position.get((candidate.line, candidate.offset))
        if same is not None:
            return same
        for finder, other in self._by_line.get(candidate.line, {}).items():
            if finder != candidate.finder:
                return other
        return None


class _Disclosed:
    """The SDKs kept disclosures name: ids, families named as such, and products by family."""

    def __init__(self, family_of: FamilyOf) -> None:
        self.family_of = family_of
        self._ids: dict[str, Candidate] = {}
        self._products_of: dict[str, Candidate] = {}  # family → a kept disclosure of a member

    def add(self, candidate: Candidate, resolutions: tuple[Resolution, ...]) -> None:
        for key in _keys(candidate, resolutions):
            self._ids.setdefault(key, candidate)
        for resolution in resolutions:
            family = self.family_of(resolution.sdk) if resolution.sdk else None
            if family:
                self._products_of.setdefault(family, candidate)

    def earlier(self, candidate: Candidate, resolutions: tuple[Resolution, ...]) -> Candidate | None:
        for key in _keys(candidate, resolutions):
            if key in self._ids:
                return self._ids[key]
            if key in self._products_of:  # a family named after one of its products
                return self._products_of[key]
            family = self.family_of(key)
            if family and family in self._ids:  # a product whose family was disclosed
                return self._ids[family]
        return None


def _keys(candidate: Candidate, resolutions: tuple[Resolution, ...]) -> list[str]:
    """The ids a disclosure names (an unresolved name: the name itself)."""
    keys = [r.sdk for r in resolutions if r.sdk]
    return keys or ["?" + normalize_name(candidate.lookup or candidate.name)]
