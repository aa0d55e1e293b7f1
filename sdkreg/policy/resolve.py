"""A name as a policy writes it → registry ids.

In order of certainty:
1. a Java package in the text ("MiPush(com.xiaomi.push)") matched against the registry's
   ``detect.packages`` prefixes on package boundaries;
2. an exact alias (``Registry.lookup_alias``: width, case, spaces and trailing "SDK/服务" do not
   count), also after swapping English/Chinese product words ("小米 PUSH" → "小米推送");
3. a list in one name ("高德地图3D、定位SDK"): each part resolved, the vendor word of the first
   part carried to the later ones ("定位SDK" → "高德定位SDK");
4. a bare vendor name completed by a product word of its context ("OPPO SDK" in a row about
   推送服务 → "OPPO推送");
5. rapidfuzz over the alias index, above a threshold measured by benchmarks/policy_threshold.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from sdkreg.policy.model import Level, NameMatch
from sdkreg.policy.vocab import EQUIVALENT_WORDS, PRODUCT_WORDS
from sdkreg.registry.names import normalize_name
from sdkreg.registry.registry import AliasTarget, Registry

# Measured with benchmarks/policy_threshold.py (registry 31c0b76993cb, 508 alias keys): every
# alias held out of the index in turn plus 13 policy wordings that are not aliases (506
# positives); 482 negatives (data-type wordings, generic phrases, vendor × product-word names
# that are no SDK). Scorer fuzz.ratio on normalised names:
#   threshold    TP   FP  precision  recall
#          80   236   85      0.735   0.466
#          86    80   13      0.860   0.158
#          88    66    8      0.892   0.130
#          90    54    7      0.885   0.107   ("tencenttbs" ~ "tencentlbs" = 90: two products)
#          92    33    0      1.000   0.065
# WRatio and a containment scorer were measured too and are worse at every threshold (precision
# <= 0.76 up to 90). An invented match hides a real audit gap, so precision decides: 92, the
# lowest threshold with no false match. Package, exact-alias and context steps come first and
# carry the recall; fuzzy only forgives small misspellings of long names.
FUZZY_THRESHOLD = 92.0
# Names this short (after normalisation) are matched exactly only: two characters of "百度"
# against "百度地图" say nothing.
MIN_FUZZY_CHARS = 3

# A Java package: starts with a common top-level segment, then at least one more.
PACKAGE_RE = re.compile(
    r"(?<![A-Za-z0-9_.])((?:com|cn|org|net|io|me|tv|co|android|androidx|dev|top|vip|xyz|so|im)"
    r"(?:\.[a-z_][a-z0-9_]*)+)(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
_PARENS = re.compile(r"[(（]([^()（）]*)[)）]")
_SPLIT = re.compile(r"\s*(?:、|/|,|，|;|；|&|以及|及|和|与)\s*")


@dataclass(frozen=True)
class Resolution:
    sdk: str | None
    level: Level | None
    match: NameMatch


UNRESOLVED = Resolution(None, None, NameMatch("none", 0.0))


def resolve_name(name: str, registry: Registry) -> tuple[Resolution, ...]:
    """Registry ids a policy name refers to (one per product for "A、B" names); a single
    unresolved ``Resolution`` when nothing fits."""
    return resolver_for(registry).resolve(name)


_RESOLVERS: dict[int, tuple[Registry, NameResolver]] = {}


def resolver_for(registry: Registry) -> NameResolver:
    """One resolver per registry object (the registry is immutable; building the index each call
    would redo the work for every name of a policy)."""
    cached = _RESOLVERS.get(id(registry))
    if cached is not None and cached[0] is registry:
        return cached[1]
    resolver = NameResolver(registry)
    if len(_RESOLVERS) > 8:
        _RESOLVERS.clear()
    _RESOLVERS[id(registry)] = (registry, resolver)
    return resolver


class NameResolver:
    def __init__(self, registry: Registry, threshold: float = FUZZY_THRESHOLD) -> None:
        self.registry = registry
        self.threshold = threshold
        self._prefixes: dict[str, list[str]] = {}
        for entry in registry.entries.values():
            for signature in entry.detect.packages:
                ids = self._prefixes.setdefault(signature.value.lower(), [])
                if entry.id not in ids:
                    ids.append(entry.id)
        self._keys = list(registry.alias_index)
        self._cache: dict[
            tuple[str, tuple[str, ...], tuple[str, ...]], tuple[Resolution, ...]
        ] = {}

    # ------------------------------------------------------------ public

    def resolve(
        self, name: str, *, context: str = "", packages: Iterable[str] = ()
    ) -> tuple[Resolution, ...]:
        """Resolve ``name``; ``context`` (its purpose or body text) may complete a bare vendor
        name, ``packages`` are Java packages found next to it."""
        key = (name, _context_words(context), tuple(packages))
        cached = self._cache.get(key)
        if cached is None:
            cached = self._resolve(name, key[1], key[2])
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def by_package(self, package: str) -> tuple[Resolution, ...]:
        package = package.lower().rstrip(".")
        # The text names a package inside an SDK's prefix: the longest prefix wins.
        parts = package.split(".")
        for cut in range(len(parts), 1, -1):
            prefix = ".".join(parts[:cut])
            ids = self._prefixes.get(prefix)
            if ids:
                return self._package_resolutions(tuple(ids), prefix)
        # The text names a broader package than the SDK's prefixes ("com.umeng"): all entries
        # under it, if they are one product or one family.
        under = sorted(
            {i for p, ids in self._prefixes.items() if p.startswith(package + ".") for i in ids}
        )
        if not under:
            return ()
        if len(under) == 1:
            return self._package_resolutions((under[0],), package)
        families = {self._family_of(i) for i in under}
        if len(families) == 1 and None not in families:
            family = families.pop()
            assert family is not None
            return (Resolution(family, "family", NameMatch("package", 100.0, package)),)
        return ()

    # ------------------------------------------------------------ steps

    def _resolve(
        self, name: str, context: tuple[str, ...], packages: tuple[str, ...]
    ) -> tuple[Resolution, ...]:
        for package in (*PACKAGE_RE.findall(name), *packages):
            found = self.by_package(package)
            if found:
                return found
        bare = _PARENS.sub(" ", name).strip() or name
        inner = [m.strip() for m in _PARENS.findall(name) if m.strip()]
        for candidate in (name, bare, *inner):
            found = self._exact(candidate)
            if found:
                return found
        parts = self._split(bare)
        if parts:
            return parts
        for word in context:
            found = self._exact(normalize_name(bare) + word)
            if found:
                return tuple(
                    Resolution(r.sdk, r.level, NameMatch("exact", 100.0, r.match.alias))
                    for r in found
                )
        found = self._fuzzy(bare)
        if found:
            return found
        return (UNRESOLVED,)

    def _exact(self, name: str) -> tuple[Resolution, ...]:
        for variant in _variants(name):
            targets = self.registry.alias_index.get(variant, ())
            if targets:
                return self._from_targets(targets, NameMatch("exact", 100.0, variant))
        return ()

    def _fuzzy(self, name: str) -> tuple[Resolution, ...]:
        # The name as normalised only: the English/Chinese swaps of _variants make short
        # ASCII strings ("推送" → "push") that sit close to unrelated English aliases ("jpush").
        query = normalize_name(name)
        if len(query) < MIN_FUZZY_CHARS:
            return ()
        hit = process.extractOne(query, self._keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
        if hit is None:
            return ()
        score, key = float(hit[1]), hit[0]
        return self._from_targets(
            self.registry.alias_index[key], NameMatch("fuzzy", round(score, 1), key)
        )

    def _split(self, name: str) -> tuple[Resolution, ...]:
        """"高德地图3D、定位SDK" → 高德地图3D + 高德定位SDK; "小米、华为推送" → 小米推送 + 华为推送."""
        folded = unicodedata.normalize("NFKC", name)
        parts = [p for p in _SPLIT.split(folded) if p]
        if len(parts) < 2 or any(len(normalize_name(p)) < 2 and not _product_word(p) for p in parts):
            return ()
        first_vendor = _vendor_word(parts[0])
        last_product = _product_suffix(parts[-1])
        resolved: list[Resolution] = []
        hits = 0
        for index, part in enumerate(parts):
            tries = [part]
            if index > 0 and first_vendor and not part.startswith(first_vendor):
                tries.append(first_vendor + part)
            if index < len(parts) - 1 and last_product and _vendor_word(part) is None:
                tries.append(part + last_product)
            found: tuple[Resolution, ...] = ()
            for attempt in tries:
                found = self._exact(attempt) or (
                    self._fuzzy(attempt) if len(normalize_name(attempt)) >= 4 else ()
                )
                if found:
                    break
            if found:
                hits += 1
                resolved.extend(r for r in found if r not in resolved)
            else:
                resolved.append(Resolution(None, None, NameMatch("none", 0.0, part)))
        if hits < 2:
            return ()
        return tuple(resolved)

    # ------------------------------------------------------------ helpers

    def _family_of(self, sdk_id: str) -> str | None:
        entry = self.registry.entries.get(sdk_id)
        return entry.family if entry else None

    def _package_resolutions(self, ids: tuple[str, ...], prefix: str) -> tuple[Resolution, ...]:
        return tuple(
            Resolution(i, self.registry.level_of(i), NameMatch("package", 100.0, prefix))
            for i in ids
        )

    def _from_targets(
        self, targets: tuple[AliasTarget, ...], match: NameMatch
    ) -> tuple[Resolution, ...]:
        return tuple(Resolution(t.id, t.level, match) for t in targets)


def _variants(name: str) -> list[str]:
    """Normalised spellings of ``name``: as is, and with English product words in Chinese and
    back ("小米push" ↔ "小米推送")."""
    base = normalize_name(name)
    if not base:
        return []
    out = [base]
    for english, chinese in EQUIVALENT_WORDS:
        for old, new in ((english, chinese), (chinese, english)):
            for value in list(out):
                if old in value:
                    swapped = normalize_name(value.replace(old, new))
                    if swapped and swapped not in out:
                        out.append(swapped)
    return out


def _context_words(context: str) -> tuple[str, ...]:
    """Product words of the context, most frequent first (ties: first seen)."""
    if not context:
        return ()
    counts = [(context.count(w), context.find(w), w) for w in PRODUCT_WORDS if w in context]
    return tuple(w for _, _, w in sorted(counts, key=lambda c: (-c[0], c[1])))


def _product_word(text: str) -> str | None:
    positions = [(text.find(w), -len(w), w) for w in PRODUCT_WORDS if w in text]
    return min(positions)[2] if positions else None


def _vendor_word(part: str) -> str | None:
    """The text before the first product word of ``part`` ("高德地图3D" → "高德")."""
    positions = [part.find(w) for w in PRODUCT_WORDS if w in part]
    if not positions:
        return None
    start = min(positions)
    vendor = part[:start].strip()
    return vendor if len(normalize_name(vendor)) >= 2 else None


def _product_suffix(part: str) -> str | None:
    """The product word and what follows it in the last part ("OPPO推送SDK" → "推送SDK")."""
    positions = [part.find(w) for w in PRODUCT_WORDS if w in part]
    if not positions:
        return None
    start = min(positions)
    return part[start:] if start > 0 else None
