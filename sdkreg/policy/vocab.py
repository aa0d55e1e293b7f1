"""Generic vocabulary of Chinese privacy policies, as data.

Nothing here names a particular SDK or vendor: these are the words every policy uses for its
field labels, section headings and product categories. Everything about particular SDKs comes
from the registry.
"""

from __future__ import annotations

from typing import Literal

FieldName = Literal["name", "company", "purpose", "data", "method", "url", "scene", "skip"]

# A field label ("合作方主体", "使用目的", "SDK名称" …) is classified by the first rule whose
# keyword it contains. Order matters: "隐私政策链接" is a URL before it is a name, "公司名称"
# a company before a name, "收集方式" a method before collected data.
LABEL_RULES: tuple[tuple[FieldName, tuple[str, ...]], ...] = (
    # An app-permission list ("权限名称: 相机 / 使用目的: …") has the same shape as an SDK list.
    ("skip", ("权限", "permission")),
    ("url", ("隐私", "链接", "网址", "官网", "协议", "地址(", "url", "link", "privacy")),
    ("method", ("方式", "手段", "method")),
    ("purpose", ("目的", "用途", "功能", "purpose")),
    ("scene", ("场景",)),
    ("data", ("个人信息", "信息类型", "数据类型", "信息字段", "收集信息", "收集的信息", "收集数据",
              "收集范围", "共享信息", "信息范围", "data", "information")),
    ("company", ("主体", "公司", "合作方", "提供方", "运营方", "开发者", "第三方名称", "所属",
                 "company", "provider", "vendor")),
    ("name", ("sdk", "名称", "插件", "组件", "工具包", "name")),
)
# A label is short; anything longer before a colon is a sentence, not a field.
MAX_LABEL_CHARS = 14

# Section headings that announce a third-party SDK list ("本应用接入的第三方SDK如下").
SDK_HEADING_KEYS: tuple[str, ...] = (
    "sdk", "软件开发工具包", "开发工具包", "第三方软件", "第三方服务", "第三方插件", "第三方代码",
    "第三方组件", "共享清单", "第三方清单", "合作方清单", "接入第三方", "第三方合作",
)

# Words that carry no identity: a line made only of these (after removing punctuation and list
# markers) is a heading or a generic phrase ("其他SDK及第三方服务", "第三方应用"), never a name.
GENERIC_WORDS: tuple[str, ...] = (
    "软件开发工具包", "开发工具包", "工具包", "个人信息", "用户信息", "第三方", "合作方", "合作伙伴",
    "本应用", "本软件", "本产品", "本平台", "我们", "我方", "以下", "如下", "清单", "列表",
    "目录", "一览", "说明", "情况", "概况", "名称", "接入", "集成", "嵌入", "引入", "使用", "涉及",
    "关于", "收集", "处理", "共享", "提供", "相关", "其他", "其它", "以及", "部分", "主要", "具体",
    "内容", "规则", "政策", "隐私", "应用", "服务", "插件", "组件", "代码", "软件", "信息", "平台",
    "产品", "功能", "类", "等", "的", "及", "和", "与", "中", "所", "在", "对", "为", "用", "之",
    "附录", "附件", "附表", "表格", "下表", "所示", "详见", "名单", "如何", "第三", "本", "表",
    "sdk", "api", "app", "the", "of", "and", "third", "party", "list", "services", "service",
)

# Product-category words. They split "高德地图3D、定位SDK" (the vendor word before the first one
# is carried to the next part) and complete a bare vendor name from its row ("OPPO SDK" in a row
# about 推送服务 → "OPPO推送").
PRODUCT_WORDS: tuple[str, ...] = (
    "一键登录", "即时通讯", "音视频", "地图", "定位", "推送", "统计", "分析", "分享", "登录", "支付",
    "搜索", "导航", "崩溃", "浏览", "广告", "客服", "直播", "语音", "人脸", "识别", "认证", "验证",
    "更新", "升级", "播放器", "短视频", "安全", "风控", "加固", "存储", "消息",
)

# English ↔ Chinese spellings of the same product word: "小米 PUSH" is "小米推送".
EQUIVALENT_WORDS: tuple[tuple[str, str], ...] = (
    ("push", "推送"),
    ("map", "地图"),
    ("maps", "地图"),
    ("location", "定位"),
    ("share", "分享"),
    ("login", "登录"),
    ("pay", "支付"),
    ("payment", "支付"),
    ("analytics", "统计"),
    ("statistics", "统计"),
    ("search", "搜索"),
    ("navi", "导航"),
    ("navigation", "导航"),
)

# A name containing one of these (and no "SDK") is an account or an app, not an SDK:
# "使用微信账号登录", "第三方应用".
INCIDENTAL_WORDS: tuple[str, ...] = (
    "账号", "帐号", "账户", "帐户", "小程序", "公众号", "网站", "权限",
)

# Legal-entity endings: a line that ends so names a company (a data recipient), not an SDK.
COMPANY_ENDINGS: tuple[str, ...] = (
    "公司", "集团", "研究院", "研究所", "工作室", "事务所", "分公司", "co.,ltd", "co.,ltd.", "ltd",
    "ltd.", "inc", "inc.", "llc", "corporation", "corp", "corp.", "gmbh", "limited",
)

# Words that introduce an inline list of SDKs ("其中包括A(com.a)、B(com.b)").
ENUMERATION_TRIGGERS: tuple[str, ...] = ("其中包括", "包括", "包含", "分别为", "分别是", "如下", "例如")

# Verbs that introduce SDK names in prose ("本应用接入了A、B和C"). Prose often repeats names the
# policy already lists, so these count only when the policy lists its SDKs nowhere else.
INTEGRATION_VERBS: tuple[str, ...] = ("接入了", "集成了", "嵌入了", "使用了", "引入了", "采用了")

# Words that mark the SDK name when the row or block gives none explicitly: words of a product
# generic name ("SDK") whose presence makes a short line name-like.
SDK_WORDS: tuple[str, ...] = ("sdk", "软件开发工具包", "开发工具包")
