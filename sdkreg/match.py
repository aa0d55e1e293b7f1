"""Registry signatures × APK evidence → detections.

The index is built once per registry and answers every question with dictionary look-ups:
a class name is classified by walking its dotted segments (``com`` → ``com.xiaomi`` →
``com.xiaomi.push`` …) and keeping the longest registered prefix, so the cost per class is
O(segments) whatever the registry size — never a loop of patterns per class. Matching on
whole segments is what keeps ``com.umeng`` from claiming ``com.umengx``.

Evidence that backs a product, and evidence that does not: a family's own ``detect`` signatures
(families.yaml) are evidence the whole product line shares — the ``UMENG_APPKEY`` every Umeng
generation reads, HMS's ``com.huawei.hms.client.appid``, the AMap API key. They are indexed under
the family's id and never report a product by themselves: when a member product is detected from
its own evidence they are attached to it as supporting evidence; when none is, they yield one
detection of the family (``level: family``), which the audit treats as undisclosed only when
neither the family nor any of its products is disclosed.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sdkreg.apk.dex import package_counts
from sdkreg.apk.model import ApkEvidence
from sdkreg.detection import (
    Confidence,
    Detection,
    EvidenceItem,
    EvidenceKind,
    ScanResult,
    UnrecognisedTree,
)
from sdkreg.registry.model import COMPONENT_KINDS, ComponentKind, Detect, Signature
from sdkreg.registry.registry import Registry


@dataclass(frozen=True)
class Claim:
    """One entry's claim on a signature value (several claims on one value = shared)."""

    sdk: str
    signature: Signature


Claims = tuple[Claim, ...]


def _add(index: dict[str, list[Claim]], key: str, claim: Claim) -> None:
    # One entry may list a value twice with different ``via`` (a receiver that two
    # aggregators' plug-ins both ship): each becomes its own evidence item.
    claims = index.setdefault(key, [])
    if all((c.sdk, c.signature.via) != (claim.sdk, claim.signature.via) for c in claims):
        claims.append(claim)


def _freeze(index: dict[str, list[Claim]]) -> dict[str, Claims]:
    return {key: tuple(claims) for key, claims in index.items()}


class SignatureIndex:
    """Every detect signature of a registry, keyed for constant-time look-up."""

    def __init__(self, registry: Registry) -> None:
        prefixes: dict[str, list[Claim]] = {}
        components: dict[ComponentKind, dict[str, list[Claim]]] = {k: {} for k in COMPONENT_KINDS}
        any_component: dict[str, list[Claim]] = {}
        meta_data: dict[str, list[Claim]] = {}
        libs: dict[str, list[Claim]] = {}
        assets: dict[str, list[Claim]] = {}
        lib_patterns: list[tuple[str, Claim]] = []
        asset_patterns: list[tuple[str, Claim]] = []
        owners: list[tuple[str, Detect]] = [(e.id, e.detect) for e in registry.entries.values()]
        owners += [(f.id, f.detect) for f in registry.families.values()]
        for owner, detect in owners:
            for sig in detect.packages:
                _add(prefixes, sig.value, Claim(owner, sig))
            for kind in COMPONENT_KINDS:
                for sig in detect.components(kind):
                    _add(components[kind], sig.value, Claim(owner, sig))
                    _add(any_component, sig.value, Claim(owner, sig))
            for sig in detect.meta_data:
                _add(meta_data, sig.value, Claim(owner, sig))
            for sig in detect.native_libs:
                name = sig.value.rsplit("/", 1)[-1]
                if _is_pattern(name):
                    lib_patterns.append((name, Claim(owner, sig)))
                else:
                    _add(libs, name, Claim(owner, sig))
            for sig in detect.assets:
                path = sig.value.removeprefix("assets/")
                if _is_pattern(path):
                    asset_patterns.append((path, Claim(owner, sig)))
                else:
                    _add(assets, path, Claim(owner, sig))
        self.prefixes: Mapping[str, Claims] = _freeze(prefixes)
        self.components: Mapping[ComponentKind, Mapping[str, Claims]] = {
            kind: _freeze(table) for kind, table in components.items()
        }
        self.any_component: Mapping[str, Claims] = _freeze(any_component)
        self.meta_data: Mapping[str, Claims] = _freeze(meta_data)
        self.native_libs: Mapping[str, Claims] = _freeze(libs)
        self.assets: Mapping[str, Claims] = _freeze(assets)
        # Glob signatures (``libshella-*.so``) are rare; they are tried only against the few
        # file names of an APK, never against classes.
        self.lib_patterns = tuple(lib_patterns)
        self.asset_patterns = tuple(asset_patterns)
        # Every proper prefix of a registered prefix: a package listed here may hold classes
        # a deeper signature claims one by one (a signature can name a class, not a package).
        inner: set[str] = set()
        for value in self.prefixes:
            parts = value.split(".")
            for i in range(1, len(parts)):
                inner.add(".".join(parts[:i]))
        self.inner_prefixes: frozenset[str] = frozenset(inner)
        self.requires_disclosure = {e.id: e.requires_disclosure for e in registry.entries.values()}
        self.families = {e.id: e.family for e in registry.entries.values()}
        # Family ids that own signatures: their evidence is the line's, not one product's.
        self.family_ids: frozenset[str] = frozenset(
            f.id for f in registry.families.values() if f.detect != Detect()
        )
        for family in self.family_ids:
            members = registry.families[family].members
            self.requires_disclosure[family] = any(self.requires_disclosure[m] for m in members)

    # --- look-ups -------------------------------------------------------------------------

    def prefix_claims(self, name: str) -> tuple[str, Claims]:
        """Longest registered prefix of the dotted ``name`` (on segment boundaries) and its
        claims; ``("", ())`` when none. ``name`` itself counts as a prefix."""
        best: tuple[str, Claims] = ("", ())
        prefixes = self.prefixes
        end = name.find(".")
        while True:
            key = name if end < 0 else name[:end]
            claims = prefixes.get(key)
            if claims is not None:
                best = (key, claims)
            if end < 0:
                return best
            end = name.find(".", end + 1)

    def package_owner_memo(self) -> Callable[[str], str]:
        """A memoising ``package → longest registered prefix ("" for none)`` for one scan:
        sibling packages share their parents' answers, so each distinct package costs about
        one dictionary look-up."""
        prefixes = self.prefixes
        memo: dict[str, str] = {"": ""}

        def owner(package: str) -> str:
            found = memo.get(package)
            if found is not None:
                return found
            found = package if package in prefixes else owner(package.rpartition(".")[0])
            memo[package] = found
            return found

        return owner

    def classify_class(self, name: str) -> tuple[str, ...]:
        """Entry ids claiming a dotted class name by its longest registered package prefix."""
        return tuple(dict.fromkeys(c.sdk for c in self.prefix_claims(name)[1]))

    def component_claims(self, name: str, kind: ComponentKind | None = None) -> tuple[str, Claims]:
        """Exact component signatures first (of ``kind`` when given), else package prefix."""
        table = self.components[kind] if kind is not None else self.any_component
        claims = table.get(name)
        if claims is None and kind is not None:
            # A registry may list a class under another kind than the APK declares it
            # (an activity-alias, a receiver doubling as a service): still the SDK's class.
            claims = self.any_component.get(name)
        if claims is not None:
            return name, claims
        return self.prefix_claims(name)

    def classify_component(self, name: str) -> tuple[str, ...]:
        """Entry ids for a manifest component class name."""
        return tuple(dict.fromkeys(c.sdk for c in self.component_claims(name)[1]))

    def lib_claims(self, file_name: str) -> Claims:
        claims = list(self.native_libs.get(file_name, ()))
        claims += [c for pattern, c in self.lib_patterns if fnmatch.fnmatchcase(file_name, pattern)]
        return tuple(claims)

    def asset_claims(self, path: str) -> tuple[str, Claims]:
        """Claims on an asset path (relative to assets/): exact file, a directory signature
        ending in ``/`` that contains it, or a glob."""
        rel = path.removeprefix("assets/")
        claims = self.assets.get(rel)
        if claims is not None:
            return rel, claims
        end = rel.find("/")
        while end >= 0:
            directory = rel[: end + 1]
            claims = self.assets.get(directory)
            if claims is not None:
                return directory, claims
            end = rel.find("/", end + 1)
        for pattern, claim in self.asset_patterns:
            if fnmatch.fnmatchcase(rel, pattern):
                return pattern, (claim,)
        return "", ()


def signature_index(registry: Registry) -> SignatureIndex:
    """The registry's signature index, built once per registry object and owned by it."""
    return registry.derived("match.signature-index", SignatureIndex)


def _is_pattern(value: str) -> bool:
    return any(ch in value for ch in "*?[")


# --- detection --------------------------------------------------------------------------------

# Runtime and platform packages every app carries: left out of "unrecognised code" (unless a
# registry entry claims them, in which case they are simply detected).
RUNTIME_PREFIXES: tuple[str, ...] = (
    "android", "androidx", "dalvik", "java", "javax", "kotlin", "kotlinx", "sun", "libcore",
    "org.w3c.dom", "org.xml.sax", "org.json", "org.apache.http", "org.intellij.lang.annotations",
    "org.jetbrains.annotations", "junit", "org.junit",
)
UNRECOGNISED_DEPTH = 3
UNRECOGNISED_LIMIT = 20
# Classes under one prefix above which code alone is strong evidence (a whole SDK, not a stray
# helper class copied into the app).
MANY_CLASSES = 20

_RANK: dict[Confidence, int] = {"high": 0, "medium": 1, "low": 2}
_KIND_ORDER: dict[EvidenceKind, int] = {
    "component": 0, "meta_data": 1, "native_lib": 2, "asset": 3, "code": 4, "domain": 5,
}


@dataclass(frozen=True)
class _Hit:
    """One piece of evidence for one entry before grouping; ``owners`` = all claimants."""

    sdk: str
    kind: EvidenceKind
    detail: str
    value: str
    count: int
    via: str | None
    owners: tuple[str, ...]

    @property
    def shared(self) -> bool:
        return len(self.owners) > 1


def _hits(
    claims: Claims, kind: EvidenceKind, detail: str, value: str, count: int = 1
) -> list[_Hit]:
    owners = tuple(c.sdk for c in claims)
    declared = {s for c in claims for s in c.signature.shared_with}
    owners = tuple(dict.fromkeys((*owners, *sorted(declared))))
    return [_Hit(c.sdk, kind, detail, value, count, c.signature.via, owners) for c in claims]


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def app_code_roots(evidence: ApkEvidence, index: SignatureIndex) -> tuple[str, ...]:
    """Packages holding the app's own code: its manifest package, and the packages of its
    Application class and launcher activity when no registry entry claims them (the code
    package often differs from the applicationId)."""
    roots: list[str] = []
    if evidence.app.package:
        roots.append(evidence.app.package)
    for cls in (evidence.application, evidence.main_activity):
        if cls and "." in cls and not index.prefix_claims(cls)[1]:
            package = cls.rsplit(".", 1)[0]
            if package.count(".") >= 1:  # never a one-segment root like "com"
                roots.append(package)
    return tuple(dict.fromkeys(roots))


def _app_owned(prefix: str, package: str, roots: tuple[str, ...]) -> bool:
    """Code under an app root is the app's own unless the matched registry prefix lies
    strictly deeper than that root (an app ``com.baidu.someapp`` is not the Baidu SDK, but
    ``com.tencent.mm.opensdk`` inside WeChat is the SDK)."""
    for root in roots:
        deeper = bool(prefix) and len(prefix) > len(root) and _under(prefix, root)
        if _under(package, root) and not deeper:
            return True
    return False


def detect(
    evidence: ApkEvidence, registry: Registry, index: SignatureIndex | None = None
) -> ScanResult:
    """Match every kind of evidence against the registry's signatures."""
    index = index or signature_index(registry)
    roots = app_code_roots(evidence, index)
    hits: list[_Hit] = []

    # Code: count classes per package first, so matching costs one walk per distinct package.
    per_package = evidence.package_counts or package_counts(evidence.class_names)
    per_prefix: Counter[str] = Counter()
    unclaimed: Counter[str] = Counter()
    # A package that is a proper prefix of a signature may hold single classes a deeper
    # signature names (a signature can name a class): those few packages are classified per
    # class, gathered in one extra pass.
    split = {p for p in per_package if p in index.inner_prefixes}
    per_class: dict[str, Counter[str]] = {p: Counter() for p in split}
    if split:
        for name in evidence.class_names:
            package = name.rpartition(".")[0]
            if package in split:
                per_class[package][index.prefix_claims(name)[0]] += 1
    owner_of = index.package_owner_memo()
    for package, count in per_package.items():
        owners = per_class.get(package)
        pairs = owners.items() if owners is not None else ((owner_of(package), count),)
        for prefix, n in pairs:
            if roots and _app_owned(prefix, package, roots):
                continue
            if prefix:
                per_prefix[prefix] += n
            else:
                unclaimed[package] += n
    for prefix, n in per_prefix.items():
        noun = "class" if n == 1 else "classes"
        hits += _hits(index.prefixes[prefix], "code", f"{n} {noun} under {prefix}", prefix, n)

    # Manifest components: they keep their real names in obfuscated apps.
    for component in evidence.components:
        value, claims = index.component_claims(component.name, component.kind)
        exact = value == component.name
        if claims and (exact or not _app_owned(value, component.name, roots)):
            hits += _hits(claims, "component", f"{component.kind} {component.name}", value)
    for key, _value in evidence.meta_data:
        meta_claims = index.meta_data.get(key)
        if meta_claims:
            hits += _hits(meta_claims, "meta_data", f"meta-data {key}", key)
    libs: dict[str, list[str]] = {}
    for path in evidence.native_libs:
        libs.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    for file_name, paths in sorted(libs.items()):
        claims = index.lib_claims(file_name)
        if claims:
            hits += _hits(claims, "native_lib", ", ".join(sorted(paths)), file_name, len(paths))
    assets: dict[str, list[str]] = {}
    asset_claims: dict[str, Claims] = {}
    for path in evidence.assets:
        value, claims = index.asset_claims(path)
        if claims:
            assets.setdefault(value, []).append(path)
            asset_claims[value] = claims
    for value, paths in sorted(assets.items()):
        detail = paths[0] if len(paths) == 1 else f"{len(paths)} files under assets/{value}"
        hits += _hits(asset_claims[value], "asset", detail, value, len(paths))

    detections = _detections(hits, index)
    return ScanResult(
        path=evidence.path,
        sha256=evidence.sha256,
        app=evidence.app,
        sdks=detections,
        packer=evidence.packer,
        unrecognised=_unrecognised(unclaimed),
        class_count=len(evidence.class_names),
        dex_count=len(evidence.dex_files),
        splits=evidence.splits,
        registry_version=registry.version,
        code_evidence_complete=evidence.packer is None,
    )


def _detections(hits: list[_Hit], index: SignatureIndex) -> tuple[Detection, ...]:
    by_sdk: dict[str, list[_Hit]] = {}
    by_family: dict[str, list[_Hit]] = {}
    for hit in hits:
        target = by_family if hit.sdk in index.family_ids else by_sdk
        target.setdefault(hit.sdk, []).append(hit)
    singled_out = {sdk for sdk, items in by_sdk.items() if any(not h.shared for h in items)}
    result = []
    for sdk, items in by_sdk.items():
        if sdk not in singled_out and all(
            any(o in singled_out for o in h.owners if o != sdk) for h in items
        ):
            # Every piece of its evidence is shared with an entry that other evidence singles
            # out: that entry explains it, so this one is not reported.
            continue
        family = index.families.get(sdk)
        # The line's shared evidence supports each of its products found from their own.
        support = by_family.get(family, []) if family else []
        items = sorted([*items, *support], key=lambda h: (_KIND_ORDER[h.kind], -h.count, h.detail))
        result.append(
            Detection(
                sdk=sdk,
                family=family,
                confidence=_confidence(items, sdk in singled_out),
                evidence=_evidence_items(sdk, items, index),
                requires_disclosure=index.requires_disclosure.get(sdk, True),
            )
        )
    found_families = {d.family for d in result if d.family}
    for family, items in by_family.items():
        if family in found_families:
            continue
        # Only evidence the whole line shares: the line is there, which product is not known.
        items.sort(key=lambda h: (_KIND_ORDER[h.kind], -h.count, h.detail))
        result.append(
            Detection(
                sdk=family,
                family=family,
                confidence=_confidence(items, True),
                evidence=_evidence_items(family, items, index),
                requires_disclosure=index.requires_disclosure.get(family, True),
                level="family",
            )
        )
    result.sort(key=lambda d: (_RANK[d.confidence], d.sdk))
    return tuple(result)


def _evidence_items(sdk: str, items: list[_Hit], index: SignatureIndex) -> tuple[EvidenceItem, ...]:
    return tuple(
        EvidenceItem(
            kind=h.kind, detail=h.detail, value=h.value, count=h.count, via=h.via,
            shared_with=tuple(o for o in h.owners if o != sdk and o not in index.family_ids),
            family=h.sdk if h.sdk in index.family_ids else None,
        )
        for h in items
    )


def _confidence(items: list[_Hit], singled_out: bool) -> Confidence:
    """high: code plus a manifest/native/asset signal, or a whole SDK's worth of classes;
    medium: one kind only; low: nothing but evidence other entries share."""
    if not singled_out:
        return "low"
    has_code = any(h.kind == "code" for h in items)
    has_other = any(h.kind != "code" for h in items)
    unshared_classes = sum(h.count for h in items if h.kind == "code" and not h.shared)
    if (has_code and has_other) or unshared_classes >= MANY_CLASSES:
        return "high"
    return "medium"


_RUNTIME = frozenset(RUNTIME_PREFIXES)


def _is_runtime(package: str) -> bool:
    while package:
        if package in _RUNTIME:
            return True
        package = package.rpartition(".")[0]
    return False


def _unrecognised(unclaimed: Mapping[str, int]) -> tuple[UnrecognisedTree, ...]:
    # Group into trees first (a handful), then judge each tree once.
    trees: Counter[str] = Counter()
    for package, count in unclaimed.items():
        trees[".".join(package.split(".", UNRECOGNISED_DEPTH)[:UNRECOGNISED_DEPTH])] += count
    kept = []
    for tree, count in trees.items():
        parts = tree.split(".")
        # Obfuscated trees (``a.b.c``, ``com.a.b``) say nothing a maintainer could register.
        if len(parts) < 2 or any(len(p) == 1 for p in parts) or _is_runtime(tree):
            continue
        kept.append((tree, count))
    ranked = sorted(kept, key=lambda kv: (-kv[1], kv[0]))[:UNRECOGNISED_LIMIT]
    return tuple(UnrecognisedTree(package=p, classes=n) for p, n in ranked)
