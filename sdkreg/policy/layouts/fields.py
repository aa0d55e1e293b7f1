"""Field blocks: ``字段:值`` lines, one record per SDK.

A record starts with

* its name field (``SDK名称:`` / ``第三方SDK名称:`` / ``产品名称:`` / ``SDK name:`` / ``Product(s):``),
* or its company (``第三方公司名称:`` / ``合作方:`` / ``Third party:``), the SDK then named by
  another field (``产品/类型: 某推送``) or inside one (``共享类型: 内嵌SDK(某某地图SDK)``),
* or a name line just above its fields ("小米 PUSH", then 涉及个人信息 / 使用目的 / 合作方主体 …).

A record ends where the next one starts: a name field or a name line when the record has its
name, or a label it already has ("第三方公司名称" again). A line that is no field continues the
value above it (a data list over several lines, a company name wrapped after "Co.,"), unless it
reads as the next record's name. The values of the other fields — company, URL, purpose, data,
scenario — are never disclosures; a record cut short after its name field still is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sdkreg.policy.document import Document, Line
from sdkreg.policy.labels import is_label, label_fields
from sdkreg.policy.layouts.base import (
    MAX_CANDIDATES,
    Candidate,
    Context,
    Fields,
    Pair,
    context_of,
    fields_from,
    label_pairs,
    make,
    server_side,
    value_span,
)
from sdkreg.policy.roles import has_sdk_word, is_company, is_generic_product, name_shaped
from sdkreg.policy.vocab import COMPANY_WRAP_ENDINGS, FieldName

STRENGTH = 80
NAME = "fields"

# "内嵌SDK(某某地图SDK)" / "SDK（数美设备指纹 SDK）" / "嵌入第三方SDK:某某": the value names the SDK.
_EMBEDDED = re.compile(
    r"(?:内嵌|嵌入|集成|接入)?\s*(?:第三方)?\s*sdk\s*(?:[(（]\s*([^()（）]{2,40}?)\s*[)）]|[:：]\s*(\S.{0,38}))",
    re.IGNORECASE,
)
# A list of examples closed by "等" and the kind they belong to: "A / B 等地图展示组件".
_EXAMPLES_OF_KIND = re.compile(r"[/、,，].*\S\s*等\s*[\u4e00-\u9fff]{1,12}$")
# Consecutive lines that are no field may continue a value; more than this ends the block.
_MAX_CONTINUATION = 12


@dataclass
class _Record:
    start: int
    name_line: int = -1
    name_start: int = 0
    name_end: int = 0
    name_kind: str = ""  # "field" | "line" | "embedded" | ""
    labels: set[str] = field(default_factory=set)
    pairs: list[tuple[FieldName, str]] = field(default_factory=list)
    end: int = -1
    open_value: bool = False  # the last field has no value yet: the next lines are its value
    # Where a field without a value stands (its line's indent, whether the line is a list item):
    # the list nested below it is that value, however its items read ("收集的个人信息:" over
    # "  - 设备信息: …", "  - 推送Token"). None when no such list is open.
    open_list: tuple[int, str] | None = None
    line_is_product: bool = False  # the name line is a registry name, not a feature heading
    waiting_name: bool = False  # a name label without value: the next line is the name

    @property
    def named(self) -> bool:
        return self.name_line >= 0

    def continue_value(self, index: int, written: str) -> None:
        """Line ``index`` (``written``: its text as written) goes on the last field's value."""
        self.end = index
        if self.pairs:
            kind, value = self.pairs[-1]
            self.pairs[-1] = (kind, f"{value}\n{written}".strip())


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    current: _Record | None = None
    pending: int = -1  # a name line waiting for its fields
    tentative: list[int] = []  # lines that continue the last value, if the record goes on
    gap = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            candidate = _candidate(doc, ctx, current)
            if candidate is not None:
                out.append(candidate)
        current = None

    for line in doc.lines:
        if len(out) >= MAX_CANDIDATES:
            break
        index = line.index
        if line.blank or line.text in ("|", "||"):
            continue
        if line.sdk_heading:
            close()
            pending, tentative, gap = -1, [], 0
            continue
        if current is not None and current.open_list is not None and _nested(line, current.open_list):
            current.continue_value(index, doc.raw(index, line.start, len(line.raw)))
            tentative, gap = [], 0
            continue
        if current is not None:
            current.open_list = None
        pairs = label_pairs(line.text) or _cell_pair(line.text) or _bare_label(line.text)
        if pairs:
            if current is not None and tentative:
                current.end = tentative[-1]
            tentative, gap = [], 0
            for pair in pairs:
                kind = _kind(pair, line.text)
                value = line.text[pair.start : pair.end]
                written = doc.raw(index, *value_span(doc, index, pair)) if value else ""
                if kind == "name" and value and current is not None and _titled(doc, ctx, current, pair):
                    current.name_line = -1  # the name field below names the record's SDK
                new_record = (
                    current is None
                    or pending >= 0
                    or pair.label in current.labels
                    or (kind == "name" and current.named)
                )
                if new_record:
                    close()
                    current = _Record(start=pending if pending >= 0 else index)
                    # A record that opens with its own name field was not named by the line
                    # above it: that line is a heading ("消息推送", "设备配网").
                    if pending >= 0 and kind != "name":
                        _name_from_line(doc, current, pending)
                        current.line_is_product = ctx.roles.of(doc.lines[pending].text).name >= 1.0
                    pending = -1
                assert current is not None
                current.labels.add(pair.label)
                current.end = index
                current.open_value = not value
                current.open_list = (_indent(line.raw), _bullet(line)) if not value else None
                current.waiting_name = False
                if kind == "name" and not current.named:
                    if value:
                        current.name_line = index
                        current.name_start, current.name_end = value_span(doc, index, pair)
                        current.name_kind = "field"
                    else:
                        current.waiting_name = True
                    continue
                if kind == "name":
                    continue
                current.pairs.append((kind, written))
                if not current.named or current.name_kind == "line":
                    _name_from_value(doc, current, index, pair, value)
            continue
        # A line that is no field.
        if current is not None and current.waiting_name:
            current.name_line, current.name_kind = index, "field"
            value = line.text.rstrip("|").rstrip()  # "SDK Name |" / "Sentry |": cells of a key-value table
            current.name_start, current.name_end = line.start, line.start + len(value)
            current.waiting_name, current.end = False, index
            continue
        if _is_name_line(ctx, line.text, current):
            if pending >= 0 and current is None:
                pending = -1  # two name lines in a row: the first was prose
            if current is not None and current.named:
                close()
            elif current is not None:
                # A company-first record without a name so far: this line may name the next.
                close()
            pending = index
            tentative, gap = [], 0
            continue
        if current is not None and gap < _MAX_CONTINUATION and not _ends_block(line.marker.rank):
            if current.open_value or _continues(current, line.text):
                current.continue_value(index, doc.raw(index, line.start, len(line.raw)))
                current.open_value = False
                continue
            tentative.append(index)
            gap += 1
            continue
        close()
        pending, tentative, gap = -1, [], 0
    close()
    return out[:MAX_CANDIDATES]


def _titled(doc: Document, ctx: Context, record: _Record, pair: Pair) -> bool:
    """A record named by one name field and, right below, by a name field of another label
    ("第三方SDK：某某渠道" / "SDK名称：某某游戏SDK"): the first is the record's title — a channel,
    a category — unless it reads as an SDK's name itself (says SDK, or the registry knows it)."""
    if record.name_kind != "field" or pair.label in record.labels:
        return False
    first = doc.lines[record.name_line].folded[record.name_start : record.name_end]
    return record.end == record.name_line and not has_sdk_word(first) and not ctx.roles.resolves(first)


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def _bullet(line: Line) -> str:
    """The character that marks a list item ("-", "+", "*", "•", "1"), "" for no item."""
    return line.raw.lstrip()[:1] if line.marker.kind else ""


def _nested(line: Line, open_list: tuple[int, str]) -> bool:
    """A list item below a field without a value: indented deeper than the field's line, or at
    its indent when that line is no list item ("**功能用途**：" then "+ 个性化广告推荐") or is an
    item of another bullet ("- **功能用途**:" then "+ 收集崩溃日志")."""
    if not line.marker.kind or line.marker.rank <= 1:
        return False
    indent, field_bullet = open_list
    here = _indent(line.raw)
    other_bullet = line.marker.kind == "bullet" and _bullet(line) != field_bullet
    return here > indent or (here == indent and other_bullet)


def _cell_pair(text: str) -> list[Pair]:
    """A two-cell row whose first cell is a label ("SDK名称 | 小米推送SDK"): one small table per
    SDK, its rows the record's fields."""
    label, bar, value = text.partition(" | ")
    if not bar or " | " in value:
        return []
    fields = label_fields(label)
    if not fields:
        return []
    start = len(label) + 3 + (len(value) - len(value.lstrip()))
    return [Pair(fields, label.strip(), start, len(text.rstrip(" |")))]


def _bare_label(text: str) -> list[Pair]:
    """A line that is only a label ("共享个人信息类型:", "SDK Name |"): its value follows."""
    stripped = text.strip()
    if not stripped.endswith((":", "：", "|")):
        return []
    label = stripped.rstrip("|").strip().rstrip(":：").strip()
    fields = label_fields(label)
    return [Pair(fields, label, len(text), len(text))] if fields else []


# Words that make a label speak of who provides the SDK, whatever else it says ("第三方SDK提供方",
# "SDK运营方"): its value is a company even when written as a bare brand ("腾讯", "火山引擎").
_COMPANY_LABEL_WORDS = (
    "公司", "主体", "厂商", "厂家", "提供方", "提供者", "提供商", "运营方", "运营者", "运营商", "开发者",
    "开发商", "供应商", "服务商", "所属", "company", "entity", "operator", "provider", "vendor", "developer",
)


def _kind(pair: Pair, text: str) -> FieldName:
    """The field a pair fills: a label naming both a company and a product ("第三方名称",
    "合作方") is settled by its value."""
    fields = pair.fields
    value = text[pair.start : pair.end]
    if "name" in fields and "company" in fields:
        label = pair.label.casefold()
        if is_company(value) or any(w in label for w in _COMPANY_LABEL_WORDS):
            return "company"
        return "name"
    if fields[0] == "name" and value and is_company(value):
        return "company"
    return fields[0]


def _name_from_line(doc: Document, record: _Record, index: int) -> None:
    line = doc.lines[index]
    text = line.text.rstrip("|").rstrip().rstrip(":").rstrip()
    record.name_line, record.name_kind = index, "line"
    record.name_start, record.name_end = line.start, line.start + len(text)


def _name_from_value(doc: Document, record: _Record, index: int, pair: Pair, value: str) -> None:
    """``共享类型: 内嵌SDK(某某地图SDK)`` names the record's SDK inside another field. It replaces
    a name line above that is a feature heading ("云端备份"), not one that is the product
    itself (resolve.py would give both the same id; the line is what the policy calls it)."""
    match = _EMBEDDED.search(value)
    if match is None:
        return
    group = 1 if match.group(1) else 2
    inner = match.group(group).strip()
    if not inner or is_label(inner):
        return
    if record.name_kind == "line" and record.line_is_product:
        return
    base = value_span(doc, index, pair)[0]
    record.name_line, record.name_kind = index, "embedded"
    record.name_start = base + match.start(group)
    record.name_end = base + match.start(group) + len(inner)


def _is_name_line(ctx: Context, text: str, current: _Record | None) -> bool:
    name = text.rstrip("|").strip().rstrip(":").strip()
    if is_generic_product(name) and ":" not in name and (current is None or not current.open_value):
        return True  # "9、统计SDK": named by its company (_candidate)
    if len(name) > 60 or ":" in name or not name_shaped(name, 60):
        return False  # a "联系地址:…" line is a field, whatever its label
    roles = ctx.roles.of(name)
    if roles.label or roles.company or roles.url or (roles.data >= 0.5 and roles.name < 1.0):
        return False
    if current is not None and (current.open_value or _continues(current, name)):
        return roles.name >= 1.0
    return roles.name >= 0.35


def _continues(record: _Record, text: str) -> bool:
    """A line that goes on with the value above: a wrapped company name, an open list."""
    if not record.pairs:
        return False
    kind, value = record.pairs[-1]
    tail = value.rstrip().casefold()
    if kind == "company" and (tail.endswith(COMPANY_WRAP_ENDINGS) or is_company(text)):
        return True
    if kind == "url":
        return False  # a link is whole on its line: "maasdk" below it names the next record
    if tail.endswith(("、", ",", "，", "(", "（", " and", " or", "及", "和")):
        return True
    return text[:1].islower() or text.casefold().startswith(("ltd", "co.", "limited", "inc"))


def _ends_block(rank: int) -> bool:
    return rank <= 1  # "第二部分" / "八、联系我们": a section heading


def _candidate(doc: Document, ctx: Context, record: _Record) -> Candidate | None:
    if not record.named:
        return None
    fields: Fields = fields_from(record.pairs)
    evidence = {kind for kind, value in record.pairs if value and kind not in ("scene", "other")}
    line = doc.lines[record.name_line]
    name_text = line.folded[record.name_start : record.name_end].strip()
    roles = ctx.roles.of(name_text)
    needs_match = False
    if record.name_kind == "field" and not name_shaped(name_text, 80) and roles.name < 1.0:
        return None  # "SDK：指软件开发工具包，由第三方提供…": a definition, not a name
    if record.name_kind == "line" and is_generic_product(name_text):
        # "统计SDK" over 运营公司: 某某科技有限公司 names an SDK by its maker: in a list of SDKs, a
        # disclosure (resolved when the registry knows that maker's one such SDK); elsewhere, only
        # if it resolves so.
        if not fields.company:
            return None
        needs_match = not line.in_sdk
    elif record.name_kind == "line":
        # A name line is a name by its words ("SDK", a product word, a registry alias) or, in a
        # third-party SDK section, by the fields below it. A section heading ("一、…", "I. …")
        # over fields is a category ("I. Push notification services"), unless the registry
        # knows it or it says SDK.
        if roles.name < 0.6 and not (line.in_sdk and evidence):
            return None
        # A heading that says SDK ("#### 某某认证SDK") over its fields is a name all the same.
        if (not evidence and roles.name < 1.0) or (line.marker.rank <= 1 and roles.name < 0.8):
            needs_match = True
        # "flutter_map / latlong2 等地图展示组件": examples of a kind of component, not one name.
        if _EXAMPLES_OF_KIND.search(name_text):
            needs_match = True
    return make(
        doc,
        record.name_line,
        record.name_start,
        record.name_end,
        finder=NAME,
        strength=STRENGTH,
        span=(min(record.start, record.name_line), max(record.end, record.name_line)),
        fields=fields,
        context=context_of(record.pairs),
        needs_match=needs_match,
        server_side=server_side(record.pairs),
        roles=roles,
        ctx=ctx,
    )
