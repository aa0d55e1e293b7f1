"""A name as a policy writes it → registry ids.

The name is first folded (fold.py: width, NFKC, Traditional → Simplified); then, in order of
certainty:

1. a Java package in the text ("MiPush(com.xiaomi.push)") matched against the registry's
   ``detect.packages`` prefixes on package boundaries;
2. an exact alias (``Registry.lookup_alias``: width, case, spaces and trailing "SDK/服务" do not
   count), also after swapping English/Chinese product words ("小米 PUSH" → "小米推送") and
   dropping English filler words ("Vendor Mobile Analytics SDK for Android" → "Vendor Analytics");
3. a parenthesis: one that *contains* products ("某SDK(含A、B等)", "某导航sdk(内嵌另一厂商的语音
   SDK)", "某推送(含华为、小米厂商通道)") gives every product named, the outer name too when it
   is itself a product (not an umbrella such as "某厂商SDK" or a family); any other parenthesis
   is another name of the same product ("支付宝(Alipay)SDK", "Bugly(腾讯)") or, when it lists
   several, those products ("友盟+(U-App统计、U-Push推送)");
4. a list in one name ("高德地图3D、定位SDK", "华为推送、小米推送、OPPO推送"): each part
   resolved, the vendor word of the first part carried to later ones ("定位SDK" → "高德定位SDK")
   and the product word of the last carried back ("小米、华为推送" → "小米推送");
5. a bare vendor name completed by a product word of its context ("OPPO SDK" in a row about
   推送服务 → "OPPO推送");
6. the name without a trailing or leading code ("腾讯浏览服务TBS" → "腾讯浏览服务") or a
   platform/version note ("高德定位SDK（iOS版）");
7. rapidfuzz over the alias index, above a threshold measured by benchmarks/policy_threshold.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from sdkreg.policy.fold import Folder
from sdkreg.policy.model import Level, NameMatch
from sdkreg.policy.vocab import CATEGORY_WORDS, ENGLISH_CATEGORY_WORDS, EQUIVALENT_WORDS, PRODUCT_WORDS
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
_SPLIT = re.compile(r"\s*(?:、|/|,|，|;|；|&|以及|及|和|与|\band\b)\s*")
# "含A、B等" / "内嵌另一厂商的语音SDK" / "包括A和B": the parenthesis holds other products.
_CONTAINS = re.compile(
    r"^\s*(?:其|它|该\s*sdk)?\s*(?:可能|也|还|或)?\s*(?:会)?\s*(?:内含|含有|包含|包括|内嵌|嵌入|集成|内置|含|如)了?\s*",
    re.IGNORECASE,
)
_TRAILING_ETC = re.compile(r"\s*(?:等\s*(?:sdk|SDK|服务|产品)?|厂商通道|通道)\s*$")
# A platform or version note, never part of a product's identity.
_NOTE = re.compile(
    r"[(（]\s*(?:android|ios|安卓|苹果|鸿蒙|harmonyos)[^()（）]*[)）]|[(（][^()（）]*(?:版|端)\s*[)）]"
    r"|\bfor\s+(?:android|ios)\b|\b(?:android|ios)\b|安卓版|安卓端|android版|ios版",
    re.IGNORECASE,
)
# English words that do not tell one product from another: "Vendor Mobile Analytics SDK".
_ENGLISH_FILLER = re.compile(
    r"\b(?:mobile|android|ios|client|library|lib|kit|for|app|cloud|platform|open platform)\b", re.IGNORECASE
)
# Words after a vendor's name that do not make another product: "Qiniu Cloud Storage SDK".
_ENGLISH_GENERIC = frozenset(
    {
        "sdk", "kit", "cloud", "storage", "service", "services", "platform", "open", "mobile", "android",
        "ios", "client", "library", "lib", "app", "for", "api", "plugin", "module", "framework", "edition",
        "engine", "suite", "toolkit", "core",
    }
)
# A code written beside a Chinese name: "腾讯浏览服务TBS", "MTA腾讯移动分析".
_EDGE_CODE = re.compile(
    r"^[A-Za-z][A-Za-z0-9+\-]{1,11}(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[A-Za-z][A-Za-z0-9+\-]{1,11}$"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
# Where a vendor offers its products, not a product: "华为应用市场联运SDK" is 华为联运SDK, "小米开放平台"
# in a record about push is 小米推送.
_PLATFORM = re.compile(r"应用市场|应用商店|应用商城|开放平台|开发者平台|开发平台|官方")
_NOTE_SPLIT = re.compile(r"[;；,，、/]")
_WORD_AFTER_CODE = re.compile(r"(?<=[A-Za-z0-9])\s*(?:" + "|".join(PRODUCT_WORDS) + r")(?:sdk|SDK)?$")


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


def resolver_for(registry: Registry) -> NameResolver:
    """The registry's resolver: built once per registry object and owned by it."""
    return registry.derived("policy.resolver", NameResolver)


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
        self._folder = Folder()
        self._cache: dict[
            tuple[str, tuple[str, ...], tuple[str, ...], str], tuple[Resolution, ...]
        ] = {}
        # Family → its products with their categories; a component other products bundle
        # ("umeng-common") is never what a policy means by the family's name.
        self._members: dict[str, list[tuple[str, str]]] = {}
        for entry in registry.entries.values():
            if entry.family and not registry.bundled_by(entry.id):
                self._members.setdefault(entry.family, []).append((entry.id, entry.category))
        self._known: dict[str, bool] = {}  # known() is asked of every piece of prose after a verb
        # Registry vendors by their names as policies write them (normalised, Simplified).
        self._vendors: dict[str, list[str]] = {}
        for entry in registry.entries.values():
            family = registry.families.get(entry.family) if entry.family else None
            vendors = [entry.vendor, *([family.vendor] if family else [])]
            for vendor_name in (name for v in vendors for name in (v.name_zh, v.name_en)):
                key = self._folder.fold(normalize_name(vendor_name or ""))
                if len(key) >= 4 and entry.id not in self._vendors.get(key, []):
                    self._vendors.setdefault(key, []).append(entry.id)

    # ------------------------------------------------------------ public

    def resolve(
        self, name: str, *, context: str = "", packages: Iterable[str] = (), company: str = ""
    ) -> tuple[Resolution, ...]:
        """Resolve ``name``; ``context`` (its purpose or body text) may complete a bare vendor
        name, ``packages`` are Java packages found next to it, ``company`` (the record's company
        field) may tell which SDK a generic name ("统计SDK") is."""
        key = (name, _context_words(context), tuple(packages), normalize_name(company))
        cached = self._cache.get(key)
        if cached is None:
            folded = self._folder.fold(name)
            cached = self._resolve(folded, key[1], key[2])
            if cached == (UNRESOLVED,) and key[3]:
                cached = self._by_vendor(folded, key[3]) or cached
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def _by_vendor(self, name: str, company: str) -> tuple[Resolution, ...]:
        """A generic name ("统计SDK", "推送SDK": product words only) of a record whose company is a
        registry vendor: that vendor's one SDK of that kind (or the one family they all belong
        to)."""
        words = [w for w in PRODUCT_WORDS if w in name]
        rest = normalize_name(name)
        for word in sorted(words, key=len, reverse=True):
            rest = rest.replace(word, "")
        if rest or not words:
            return ()
        kinds = {kind for kind, kind_words in CATEGORY_WORDS.items() if any(w in kind_words for w in words)}
        ids = [i for i in self._vendors.get(self._folder.fold(company), ()) if self._category(i) in kinds]
        if len(ids) == 1:
            return (Resolution(ids[0], self.registry.level_of(ids[0]), NameMatch("fuzzy", 90.0, company)),)
        families = {self._family_of(i) for i in ids}
        if len(ids) > 1 and len(families) == 1 and None not in families:
            family = families.pop()
            assert family is not None
            return (Resolution(family, "family", NameMatch("fuzzy", 90.0, company)),)
        return ()

    def _category(self, sdk_id: str) -> str:
        entry = self.registry.entries.get(sdk_id)
        return entry.category if entry else ""

    def exact(self, name: str) -> tuple[Resolution, ...]:
        """Exact alias (after folding and normalising) only: cheap, for role scoring."""
        return self._exact(self._folder.fold(name))

    def known(self, name: str) -> bool:
        """Cheaply, whether the registry knows ``name``: an exact alias, or one of its
        parenthesis or the name without it ("Bugly(腾讯)") — not a bare vendor word before an
        unknown product ("OPPO(小布助手)")."""
        cached = self._known.get(name)
        if cached is None:
            cached = self._known_uncached(name)
            if len(self._known) > 50_000:
                self._known.clear()
            self._known[name] = cached
        return cached

    def _known_uncached(self, name: str) -> bool:
        folded = self._folder.fold(name)
        if any(r.sdk for r in self._exact(folded)):
            return True
        groups = [m.group(1).strip() for m in _PARENS.finditer(folded) if m.group(1).strip()]
        if not groups:
            return False
        bare = _PARENS.sub(" ", folded).strip()
        inner_known = any(any(r.sdk for r in self._exact(g)) for g in groups)
        if inner_known:
            return True
        if bare and any(r.sdk for r in self._exact(bare)):
            return not (len(normalize_name(bare)) <= 4 and _names_product(groups[0]))
        return False

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
                return self._noted(name, package, found) or self._with_name_before(name, package, found)
        without = PACKAGE_RE.sub("", name).replace("()", "").replace("（）", "").strip()
        if not normalize_name(without):
            return (UNRESOLVED,)  # a package the registry does not know is no misspelt alias
        name = without
        found = (
            self._exact(name) or self._bilingual(name) or self._parenthesised(name) or self._split(name)
        )
        if found:
            return self._member_by_kind(name, found, context) or found
        bare = _PARENS.sub(" ", name).strip() or name
        for stem in dict.fromkeys((normalize_name(bare), normalize_name(_PLATFORM.sub("", bare)))):
            for word in context if stem else ():
                found = self._exact(stem + word)
                if found:
                    return tuple(
                        Resolution(r.sdk, r.level, NameMatch("exact", 100.0, r.match.alias))
                        for r in found
                    )
        found = self._trimmed(bare) or self._english_head(bare) or self._containing(bare)
        if found:
            return found
        found = self._fuzzy(bare)
        if found:
            return found
        return (UNRESOLVED,)

    def _noted(self, name: str, package: str, found: tuple[Resolution, ...]) -> tuple[Resolution, ...]:
        """ "com.huawei.hms(华为;华为推送)": a package (a Maven group) that names a whole family,
        with a note naming the product — the product. A package naming a product is surer than
        any note."""
        if any(r.level == "product" for r in found):
            return ()
        at = name.find(package)
        note = _PARENS.match(name[at + len(package) :].lstrip(" :：")) if at >= 0 else None
        if note is None:
            return ()
        pieces = [p.strip() for p in _NOTE_SPLIT.split(note.group(1)) if p.strip()]
        products = [r for p in pieces for r in self._one(p) if r.sdk and r.level == "product"]
        return _unique(tuple(products))

    def _member_by_kind(
        self, name: str, found: tuple[Resolution, ...], context: tuple[str, ...]
    ) -> tuple[Resolution, ...]:
        """A name of a whole family ("友盟+SDK", "友盟平台") in a record about one kind of product
        ("以提供统计分析服务", 使用目的: 消息推送): the family's product of that kind, when the
        product words of the name and its record complete a family name to exactly one product
        ("友盟" + "统计" → 友盟统计). Several kinds, or none: the family as written."""
        families = {r.sdk for r in found if r.sdk}
        if len(families) != 1 or any(r.level != "family" for r in found):
            return ()
        if any(_product_word(r.match.alias or "") for r in found):
            return ()  # the family's own name says a kind ("高德地图SDK"): the registry reads it whole
        family_id = families.pop()
        assert family_id is not None
        family = self.registry.families.get(family_id)
        if family is None:
            return ()
        stems = {normalize_name(a) for a in (*family.aliases, family.name_zh or "") if _CJK.search(a)}
        words = tuple(dict.fromkeys((*(w for w in PRODUCT_WORDS if w in name), *context)))
        ids: dict[str, Resolution] = {}
        for word in words:
            for stem in sorted(stems):
                for r in self._exact(stem + word):
                    if r.sdk and r.level == "product" and self._family_of(r.sdk) == family_id:
                        match = NameMatch("exact", 100.0, stem + word)
                        ids.setdefault(r.sdk, Resolution(r.sdk, r.level, match))
        if len(ids) != 1:
            return ()
        (chosen,) = ids
        # Every word that speaks of a kind some member has must speak of the chosen one's: "统计…
        # 崩溃记录" is statistics and crash analysis (two products), "统计分析" statistics alone.
        members = self._members.get(family_id, ())
        for word in words:
            kinds = {i for i, category in members if word in CATEGORY_WORDS.get(category, ())}
            if kinds and chosen not in kinds:
                return ()
        return tuple(ids.values())

    def _with_name_before(
        self, name: str, package: str, found: tuple[Resolution, ...]
    ) -> tuple[Resolution, ...]:
        """"腾讯Bugly SDK com.tencent.stat(腾讯移动分析)": a cell naming one product, then another
        by its package — both. The name before a package that is its own ("某SDK(com.x)") adds
        nothing."""
        at = name.find(package)
        head = name[:at].strip().rstrip("(（:：,，、").strip() if at > 0 else ""
        if len(normalize_name(head)) < 2:
            return found
        before = tuple(r for r in self._one(head) if r.sdk and r.level == "product")
        ids = {r.sdk for r in found}
        families = {self._family_of(r.sdk) for r in found if r.sdk}
        extra = tuple(r for r in before if r.sdk not in ids and r.sdk not in families)
        return (*extra, *found) if extra else found

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
        if len(query) < MIN_FUZZY_CHARS or query in ENGLISH_CATEGORY_WORDS:
            return ()  # "analytics" is no misspelling of "janalytics"
        hit = process.extractOne(query, self._keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
        if hit is None:
            return ()
        score, key = float(hit[1]), hit[0]
        return self._from_targets(
            self.registry.alias_index[key], NameMatch("fuzzy", round(score, 1), key)
        )

    def _english_head(self, name: str) -> tuple[Resolution, ...]:
        """An English name whose first words are an alias and the rest generic words
        ("Qiniu Cloud Storage SDK" → Qiniu)."""
        if _CJK.search(name):
            return ()
        words = re.findall(r"[A-Za-z0-9][A-Za-z0-9+\-]*", name)
        for cut in range(len(words) - 1, 0, -1):
            if all(w.casefold() in _ENGLISH_GENERIC for w in words[cut:]):
                found = self._exact(" ".join(words[:cut]))
                if found:
                    return found
        return ()

    def _trimmed(self, name: str) -> tuple[Resolution, ...]:
        """Without a platform/version note, a code beside the Chinese name, or a product word
        after a code ("U-Push推送" → "U-Push")."""
        for pattern in (_NOTE, _EDGE_CODE, _WORD_AFTER_CODE, _PLATFORM):
            trimmed = pattern.sub(" ", name).strip()
            if trimmed and trimmed != name:
                found = self._exact(trimmed)
                if found:
                    return found
        return ()

    def _one(self, name: str) -> tuple[Resolution, ...]:
        """One product name, without structure: exact, trimmed, containing an alias, fuzzy."""
        return (
            self._exact(name)
            or self._trimmed(name)
            or self._english_head(name)
            or self._containing(name)
            or (self._fuzzy(name) if len(normalize_name(name)) >= 4 else ())
        )

    def _containing(self, name: str) -> tuple[Resolution, ...]:
        """A name that holds a long alias and little else ("科大讯飞语音合成SDK" holds "科大讯飞"
        and "讯飞语音合成"), every alias it holds naming the same one SDK. Short aliases ("OPPO",
        "小米") are not enough: "OPPO联运SDK" is not OPPO's push SDK."""
        key = normalize_name(name)
        if not key or len(key) > 24 or _SPLIT.search(name):
            return ()
        found: dict[str, tuple[AliasTarget, ...]] = {}
        for size in range(len(key) - 1, 2, -1):
            for start in range(0, len(key) - size + 1):
                piece = key[start : start + size]
                if piece in found:
                    continue
                targets = self.registry.alias_index.get(piece)
                if targets and ((_CJK.search(piece) and size >= 4) or size >= 6):
                    found[piece] = targets
                elif targets and _CJK.search(piece) and self._only_kind_words(key, piece, targets):
                    found[piece] = targets  # "广点通广告联盟": a short alias and words of its kind
        if not found:
            return ()
        ids = {t.id for targets in found.values() for t in targets}
        # What is left beside the alias must not name another product of the vendor
        # ("腾讯地图导航" is not Tencent Map), unless it only says what kind of product the SDK
        # is ("腾讯Bugly闪退统计SDK").
        clean = [
            a
            for a in found
            if not _product_word(key.replace(a, "", 1)) or self._only_kind_words(key, a, found[a])
        ]
        if len(ids) != 1 or not clean:
            return ()
        longest = max(clean, key=len)
        kind_only = self._only_kind_words(key, longest, found[longest])
        if len(key) - len(longest) > 8 or (2 * len(longest) < len(key) and not kind_only):
            return ()
        score = round(100 * len(longest) / len(key), 1)
        return self._from_targets(found[longest], NameMatch("fuzzy", score, longest))

    def _only_kind_words(self, key: str, alias: str, targets: tuple[AliasTarget, ...]) -> bool:
        """``key`` is ``alias`` and words of its entries' category only ("广点通" + "广告联盟")."""
        rest = key.replace(alias, "", 1).replace("sdk", "")
        if not rest:
            return False
        words: set[str] = set()
        for target in targets:
            entry = self.registry.entries.get(target.id)
            if entry is None:
                return False
            words.update(CATEGORY_WORDS.get(entry.category, ()))
        for word in sorted(words, key=len, reverse=True):
            rest = rest.replace(word, "")
        return bool(words) and not rest

    def _bilingual(self, name: str) -> tuple[Resolution, ...]:
        """"支付宝支付SDK Alipay SDK", "高德地图 AMap": a Chinese name and its English one."""
        split = _bilingual_split(name)
        if split is None:
            return ()
        chinese = self._one(split[0])
        english = self._one(split[1])
        if chinese and english and {r.sdk for r in chinese} != {r.sdk for r in english}:
            # Two names for one product: the more specific wins (a product over its family).
            products = [r for r in (*chinese, *english) if r.level == "product"]
            return tuple(products[:1]) if products else chinese
        return chinese or english

    def _parenthesised(self, name: str) -> tuple[Resolution, ...]:
        groups, bare = _outer_parentheses(name)
        if not groups:
            return ()
        inner = groups[0]
        outer = (self._one(bare) or self._split(bare)) if bare else ()
        contained = _CONTAINS.match(inner)
        if contained:
            listed = _TRAILING_ETC.sub("", inner[contained.end() :])
            parts = self._parts(listed, context_name=bare)
            if not any(r.sdk for r in parts):
                return outer
            # An umbrella ("某厂商SDK", a family) is not itself disclosed; a part the registry
            # does not know is a feature of the products around it ("微信SDK(含登录、分享、支付)").
            kept = [r for r in outer if r.level == "product"]
            return _unique((*kept, *(r for r in parts if r.sdk)))
        found = self._one(inner) or self._parts(inner, context_name=bare)
        if any(r.level == "product" for r in outer):
            # "支付宝(Alipay)SDK", "Bugly(腾讯)": another name, or the vendor. But a bare vendor
            # word before another product the registry does not know ("OPPO(小布助手)") says
            # only who makes it.
            if not any(r.sdk for r in found) and len(normalize_name(bare)) <= 4 and _names_product(inner):
                return (UNRESOLVED,)
            return outer
        if any(r.sdk for r in found):  # "友盟+(U-App统计、U-Push推送)": the products, not the family
            return tuple(r for r in found if r.sdk)
        return outer

    def _parts(self, text: str, context_name: str) -> tuple[Resolution, ...]:
        """Products listed in ``text`` (a parenthesis), completed with the vendor or the product
        word of the name around it: "含华为、小米厂商通道" in "个推推送sdk(…)" → 华为推送, 小米推送."""
        pieces = [p for p in (_TRAILING_ETC.sub("", q).strip() for q in _SPLIT.split(text)) if p]
        if not pieces:
            return ()
        vendor = _vendor_word(context_name) or _vendor_word(pieces[0])
        product = _product_suffix(context_name) or _product_word(context_name)
        out: list[Resolution] = []
        # Without a product word to find the vendor by ("火山引擎智能营销套件SDK(增长分析、A/B测试)"),
        # the outer name's first words may be it: "火山引擎" + "增长分析" (exact aliases only).
        heads = [context_name[:k] for k in (4, 3, 2) if len(context_name) > k]
        if _vendor_word(context_name):
            heads = []
        for piece in pieces:
            tries = [piece]
            if vendor and not piece.startswith(vendor):
                tries.append(vendor + piece)
            if product and _product_word(piece) is None:
                tries.append(piece + product)
                word = _product_word(context_name)
                if word and word != product:
                    tries.append(piece + word)
            found: tuple[Resolution, ...] = ()
            for attempt in tries:
                found = self._one(attempt)
                if found:
                    break
            for head in heads if not found else ():
                found = self._exact(head + piece)
                if found:
                    break
            out.extend(found or (Resolution(None, None, NameMatch("none", 0.0, piece)),))
        return _unique(tuple(out))

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
                found = (
                    self._exact(attempt)
                    or self._exact(_PLATFORM.sub("", attempt))
                    or (self._fuzzy(attempt) if len(normalize_name(attempt)) >= 4 else ())
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


def _outer_parentheses(name: str) -> tuple[list[str], str]:
    """The outermost parentheses of ``name`` (what they hold, stripped, non-empty ones) and the
    name without them: "友盟+SDK（统计分析SDK及应用性能检测（稳定性SDK））" holds one. An unbalanced
    name is read by its innermost pairs."""
    groups: list[str] = []
    outside: list[str] = []
    depth, start = 0, 0
    for position, ch in enumerate(name):
        if ch in "(（":
            if depth == 0:
                start = position + 1
                outside.append(" ")
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0 and name[start:position].strip():
                groups.append(name[start:position].strip())
        elif depth == 0:
            outside.append(ch)
    if depth:
        return [m.group(1).strip() for m in _PARENS.finditer(name) if m.group(1).strip()], _PARENS.sub(
            " ", name
        ).strip()
    return groups, "".join(outside).strip()


def _bilingual_split(name: str) -> tuple[str, str] | None:
    """"百度定位 Baidu Location" → ("百度定位", "Baidu Location"): the Chinese words, then an
    English name (the first space after which only English is left)."""
    if "(" in name or "（" in name:
        return None
    words = name.split()
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        if _CJK.search(left) and right[:1].isalpha() and right.isascii():
            return left, right
    return None


def _names_product(inner: str) -> bool:
    """A parenthesis that names something (not a note, a code or a company)."""
    stripped = inner.strip()
    return bool(_CJK.search(stripped)) and not _NOTE.search(f"({stripped})") and not stripped.endswith(
        ("公司", "集团")
    ) and len(normalize_name(stripped)) >= 2


def _unique(resolutions: tuple[Resolution, ...]) -> tuple[Resolution, ...]:
    """One resolution per id (unresolved parts kept, once each)."""
    seen: set[str] = set()
    out: list[Resolution] = []
    for resolution in resolutions:
        key = resolution.sdk or f"?{resolution.match.alias}"
        if key not in seen:
            seen.add(key)
            out.append(resolution)
    return tuple(out)


def _variants(name: str) -> list[str]:
    """Normalised spellings of ``name``: as is, without English filler words, and with English
    product words in Chinese and back ("小米push" ↔ "小米推送")."""
    base = normalize_name(name)
    if not base:
        return []
    out = [base]
    if not _CJK.search(name):
        plain = normalize_name(_ENGLISH_FILLER.sub(" ", name))
        if plain and plain not in out:
            out.append(plain)
    for english, chinese in EQUIVALENT_WORDS:
        for old, new in ((english, chinese), (chinese, english)):
            for value in list(out):
                # A bare product word stays itself: "分享" is no more "share" (ShareSDK) than
                # it is any other vendor's sharing SDK.
                if old in value and value != old:
                    swapped = normalize_name(value.replace(old, new))
                    if swapped and swapped not in out:
                        out.append(swapped)
    return out


@lru_cache(maxsize=4096)  # pure; a record's context is asked for once per name it holds
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
