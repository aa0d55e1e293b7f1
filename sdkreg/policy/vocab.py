"""Generic vocabulary of Chinese (and English) privacy policies, as data.

Nothing here names a particular SDK or vendor: these are the words every policy uses for its
field labels, section headings and product categories. Everything about particular SDKs comes
from the registry.
"""

from __future__ import annotations

from typing import Literal

FieldName = Literal[
    "name", "company", "purpose", "data", "method", "url", "scene", "permission", "platform",
    "index", "other",
]

# A field label or column header ("合作方主体", "使用目的", "SDK名称", "产品/类型" …) speaks of
# every field whose words it contains, in this order: the first is what it most likely is
# ("隐私政策链接" is a URL before a name, "SDK收集的个人信息字段" data before a name,
# "第三方公司名称" a company before a name). A label naming two fields ("第三方名称": a company in
# one policy, the product in another; "合作方产品") is settled by its values' content (roles.py).
LABEL_RULES: tuple[tuple[FieldName, tuple[str, ...]], ...] = (
    # (a kind of service is a category, not a name: "服务类型: 社会化分享", "服务类别: 支付渠道服务")
    # (an SDK's package and version are facts about it, not its name: "SDK 包名", "当前接入版本")
    ("other", ("联系", "是否", "去标识", "合作类型", "安全能力", "备注", "更新时间", "版本号",
               "版本", "接入版本", "包名", "应用名称", "应用版本", "服务类型", "服务类别", "服务分类",
               "业务类型", "sdk类型", "sdk类别",
               "app name", "app version", "contact", "de-identif")),
    ("permission", ("权限", "permission")),
    ("url", ("链接", "连接", "网址", "官网", "网站", "url", "link", "website", "隐私政策", "隐私协议", "协议",
             "隐私声明", "隐私权政策", "处理规则", "保护规则", "隐私规则", "保护政策", "隐私条款", "隐私说明",
             "政策地址",
             "协议地址", "privacy", "policy")),
    ("method", ("方式", "手段", "method")),
    ("purpose", ("目的", "用途", "功能", "purpose", "function", "use of")),
    ("scene", ("场景", "scenario", "scene")),
    ("data", ("个人信息", "信息类型", "数据类型", "信息字段", "收集信息", "收集的信息", "收集数据",
              "收集范围", "共享信息", "共享的信息", "信息范围", "信息名称", "个人数据", "个人资料",
              "资料类型", "数据字段", "信息内容", "收集内容", "收集详情", "data", "information")),
    ("company", ("公司", "主体", "厂商", "厂家", "提供方", "提供者", "提供商", "运营方", "运营者", "接收方",
                 "开发者", "开发商", "所属", "合作方", "合作伙伴", "第三方名称", "供应商", "服务商",
                 "company", "companies", "provider", "providers", "vendor", "entity", "developer",
                 "operator", "third party", "third-party", "partner", "partners")),
    ("name", ("sdk", "名称", "产品", "插件", "组件", "工具包", "服务", "name", "names", "product",
              "products", "library", "libraries", "service", "services", "sdks")),
    ("platform", ("平台", "客户端", "操作系统", "终端", "platform", "os")),
    ("index", ("序号", "编号", "no.", "#")),
    # Last: "产品/类型" is a name column, "共享类型" / "合作类型" a kind of sharing.
    ("other", ("类型", "type")),
)
# A label is short; anything longer before a colon is a sentence, not a field.
MAX_LABEL_CHARS = 16
# English labels are words: "Personal information collected", "Type of data collected by …".
MAX_LABEL_WORDS = 9

# Section headings that announce a third-party SDK list ("本应用接入的第三方SDK如下").
SDK_HEADING_KEYS: tuple[str, ...] = (
    "sdk", "软件开发工具包", "开发工具包", "开发包", "第三方软件", "第三方服务", "第三方插件", "第三方代码",
    "第三方组件", "共享清单", "第三方清单", "合作方清单", "接入第三方", "第三方合作", "第三方共享",
    "third-party", "third party", "following services", "第三方提供的", "tools",
)

# Words that carry no identity: a line made only of these (after removing punctuation and list
# markers) is a heading or a generic phrase ("其他SDK及第三方服务", "第三方应用"), never a name.
GENERIC_WORDS: tuple[str, ...] = (
    "软件开发工具包", "软件工具开发包", "开发工具包", "工具开发包", "软件开发包", "开发包", "工具包",
    "个人信息", "用户信息", "第三方", "合作方", "合作伙伴",
    "本应用", "本软件", "本产品", "本平台", "我们", "我方", "以下", "如下", "清单", "列表",
    "目录", "一览", "说明", "情况", "概况", "名称", "接入", "集成", "嵌入", "引入", "使用", "涉及",
    "关于", "收集", "处理", "共享", "提供", "相关", "其他", "其它", "以及", "部分", "主要", "具体",
    "内容", "规则", "政策", "隐私", "应用", "服务", "插件", "组件", "代码", "软件", "信息", "平台",
    "产品", "功能", "类", "等", "的", "及", "和", "与", "中", "所", "在", "对", "为", "用", "之",
    "附录", "附件", "附表", "表格", "下表", "所示", "详见", "名单", "如何", "第三", "本", "表",
    "sdk", "sdks", "api", "app", "the", "of", "and", "third", "party", "list", "services", "service",
    "partners", "partner", "our", "we", "use", "used", "following", "integrated", "included",
)
# Words of headings and titles: platforms, scopes, categories ("Android端第三方SDK",
# "iOS操作系统第三方SDK", "推送类", "内嵌SDK信息共享").
HEADING_WORDS: tuple[str, ...] = (
    "android", "ios", "harmonyos", "鸿蒙", "安卓", "苹果", "操作系统", "系统", "端", "版", "客户端",
    "移动", "手机", "内嵌", "嵌入式", "接入的", "我们接入", "收集使用", "使用情况", "共享个人",
    "数据共享", "信息共享", "个人信息共享", "委托处理", "处理个人信息", "直接收集", "间接收集",
    "合作", "目录", "明细", "附", "使用了", "接入了", "集成了", "嵌入了",
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    "directory", "information", "sharing", "sdk list", "shared", "with", "other", "others",
    "for", "in", "on", "to", "by", "a", "an",
    # English titles of such lists: "Link to privacy policy of third party service providers
    # used by the app", "Tools we use", "Third-Party SDK Notice"
    "links", "link", "privacy", "policies", "policy", "providers", "provider", "tools", "tool", "notice",
)
# Words of the sections every English policy has ("Log Data", "Cookies", "Children's Privacy",
# "Changes to This Privacy Policy"): a line of only these is a heading, never a service's name.
ENGLISH_SECTION_WORDS: frozenset[str] = frozenset(
    {
        "log", "logs", "data", "cookie", "cookies", "security", "link", "links", "site", "sites", "other",
        "children", "children's", "childrens", "privacy", "policy", "change", "changes", "to", "this",
        "contact", "us", "information", "collection", "collected", "and", "use", "usage", "service",
        "services", "provider", "providers", "personal", "your", "our", "rights", "how", "we", "what", "the",
        "of", "in", "for", "with", "about", "update", "updates", "retention", "storage", "sharing",
        "disclosure", "definitions", "introduction", "consent", "terms", "conditions", "effective", "date",
        "account", "deletion", "permissions", "do", "not", "track", "international", "transfers", "who",
        "questions", "summary", "overview", "scope",
    }
)

# Product-category words. They split "高德地图3D、定位SDK" (the vendor word before the first one
# is carried to the next part) and complete a bare vendor name from its row ("OPPO SDK" in a row
# about 推送服务 → "OPPO推送").
PRODUCT_WORDS: tuple[str, ...] = (
    "一键登录", "即时通讯", "音视频", "地图", "定位", "推送", "统计", "分析", "分享", "登录", "支付",
    "搜索", "导航", "崩溃", "浏览", "广告", "客服", "直播", "语音", "人脸", "识别", "认证", "验证",
    "更新", "升级", "播放器", "短视频", "安全", "风控", "加固", "存储", "消息", "通道", "联运",
)
# English product words: "Vendor Mobile Analytics SDK", "Vendor PUSH".
ENGLISH_PRODUCT_WORDS: tuple[str, ...] = (
    "push", "analytics", "statistics", "map", "maps", "location", "share", "login", "pay",
    "payment", "ads", "ad", "crash", "crashlytics", "messaging", "im", "rtc", "player", "auth",
    "verification", "captcha", "sdk", "kit",
)

# Words that say what kind of product an SDK is, by registry category: after a name they add
# nothing ("广点通广告联盟" is 广点通's ads SDK, "腾讯Bugly闪退统计SDK" is Bugly), unlike a product
# word of another kind ("腾讯地图导航" is not Tencent's map SDK).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "ads": ("广告", "联盟", "变现", "投放"),
    "push": ("推送", "消息", "通道"),
    "analytics": ("统计", "分析", "数据"),
    "crash-reporting": ("崩溃", "闪退", "异常", "统计", "分析", "监控", "上报"),
    "apm": ("性能", "监控", "统计", "分析", "崩溃", "闪退", "异常"),
    "map": ("地图",),
    "location": ("定位",),
    "payment": ("支付",),
    "share": ("分享",),
    "share-login": ("分享", "登录"),
    "login": ("登录", "认证"),
    "storage": ("存储", "对象存储", "云存储"),
    "im": ("即时通讯", "通讯", "消息", "聊天"),
    "rtc": ("音视频", "通话"),
    "webview": ("浏览", "浏览器", "内核"),
    "face-recognition": ("人脸", "识别", "认证", "核身"),
    "customer-service": ("客服",),
    "live-streaming": ("直播",),
    "video": ("播放器", "视频"),
    "speech": ("语音", "识别"),
    "ocr": ("识别",),
    "game": ("联运", "游戏"),
}

# English words that name a kind of service, never one product: a line of them only
# ("Analytics", "Advertising", "Push notifications", "Crash reporting") is a category heading.
ENGLISH_CATEGORY_WORDS: frozenset[str] = frozenset(
    {
        *ENGLISH_PRODUCT_WORDS, "advertising", "advertisement", "advertisements", "analysis",
        "notification", "notifications", "payments", "authentication", "reporting", "report",
        "storage", "hosting", "monitoring", "marketing", "attribution", "tracking", "social",
        "sharing", "measurement", "performance", "testing", "messages", "message", "chat",
        "video", "audio", "streaming", "security", "captcha", "ocr", "speech", "translation",
        "and", "&", "of", "for", "the", "services", "service", "tools", "tool", "features",
    }
)

# Spellings of the same product word: "小米 PUSH" is "小米推送".
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
    # Taiwan usage, after folding to Simplified: 推播 = push, 登入 = log in, 云端 = cloud.
    ("推播", "推送"),
    ("登入", "登录"),
    ("云端", ""),
)

# A name containing one of these (and no "SDK") is an account or an app, not an SDK:
# "使用微信账号登录", "第三方应用".
INCIDENTAL_WORDS: tuple[str, ...] = (
    "账号", "帐号", "账户", "帐户", "小程序", "公众号", "网站", "权限", "account",
    "应用商店", "应用市场", "app store", "play store",  # where an app is sold, not code inside it
    "自有", "自研",  # the app's own code ("轻账本（自有功能）")
)

# Legal-entity endings: a line that ends so names a company (a data recipient), not an SDK.
COMPANY_ENDINGS: tuple[str, ...] = (
    "公司", "集团", "研究院", "研究所", "工作室", "事务所", "分公司", "中心", "co.,ltd", "co.,ltd.",
    "co.ltd", "co.ltd.", "co.", "ltd", "ltd.", "inc", "inc.", "llc", "corporation", "corp", "corp.",
    "gmbh", "limited", "pte.ltd", "pte.ltd.", "s.a.", "b.v.", "ag",
)
# A company's name in an English list often wraps before its ending ("Beijing Xiaomi Mobile
# Software Co.," / "Ltd."): a line that ends with one of these continues on the next.
COMPANY_WRAP_ENDINGS: tuple[str, ...] = ("co.,", "co.", "co", "technology", "software", "(")

# Words that introduce an inline list of SDKs ("其中包括A(com.a)、B(com.b)").
ENUMERATION_TRIGGERS: tuple[str, ...] = ("其中包括", "包括", "包含", "分别为", "分别是", "如下", "例如")


# Words that make a short line an SDK name by themselves.
SDK_WORDS: tuple[str, ...] = ("sdk", "软件开发工具包", "开发工具包", "开发包")  # 软件(工具)开发包

# Phrases that open a purpose ("用于推送消息", "为了统计…", "to deliver push notifications").
PURPOSE_OPENERS: tuple[str, ...] = (
    "用于", "为了", "为您", "为用户", "为向", "为保障", "为实现", "为提供", "提供", "实现", "帮助",
    "支持", "以便", "便于", "保障", "保证", "确保", "完成", "向您", "向用户", "在您", "当您", "当用户",
    "to ", "for ", "used to", "provide", "enable", "allow", "deliver", "support",
)

# What an SDK is used for, as nouns: with the product-category words they make purpose phrases
# ("广告投放、广告监测归因、广告反作弊", "广告转化效果监测", "个性化广告推荐"), which say what an
# SDK does, never which SDK it is.
ACTIVITY_WORDS: tuple[str, ...] = (
    "投放", "监测", "归因", "反作弊", "防作弊", "作弊", "反欺诈", "欺诈", "转化", "效果", "展示", "推荐",
    "个性化", "优化", "改进", "计费", "结算", "变现", "评估", "监控", "上报", "下发", "接收", "发送",
    "提醒", "通知", "检测", "排查", "诊断", "合作", "运营", "营销", "触达",
)

# What a cell holds when it holds nothing: "无 | 无 | 无", "/", "不涉及", "N/A".
EMPTY_VALUES: frozenset[str] = frozenset(
    {
        "无", "暂无", "没有", "不涉及", "不适用", "空", "无需", "不存在", "n/a", "na", "none", "nil", "null",
        "not applicable", "/", "-", "—", "--", "——",
    }
)

# 共享方式 / 共享类型 values saying the data goes server to server: such a partner is no SDK in
# the app ("后台接口传输", "API对接").
SERVER_SIDE_WORDS: tuple[str, ...] = (
    "后台接口", "接口传输", "接口对接", "api对接", "api接口", "api 接口", "api传输", "后台传输",
    "后台数据传输", "后台提供", "服务器", "服务端", "云端接口", "server", "backend", "api transmission",
)  # not "调用系统相关接口" (an SDK calling the phone's APIs)
