"""Measure the fuzzy-name threshold of sdkreg/policy/resolve.py.

Positives: (a) every alias key of the registry, held out of the index in turn and matched
against the rest (does a wording the registry does not list still find its own entry?);
(b) policy wordings seen in practice that are not aliases. Negatives: data-type wordings,
generic policy phrases, and vendor × product combinations that are no SDK. For each threshold:
TP = best match above it is the right id; FP = a match to a wrong id (or any match for a
negative); recall = TP / positives, precision = TP / (TP + FP).

Run: .venv/bin/python benchmarks/policy_threshold.py
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from sdkreg.registry import load_registry
from sdkreg.registry.names import normalize_name

# Wordings from policies that the registry does not list verbatim (checked below).
POLICY_WORDINGS: tuple[tuple[str, str], ...] = (
    ("腾讯Bugly崩溃上报平台", "tencent-bugly"),
    ("小米推送服务SDK平台版", "xiaomi-push"),
    ("华为推送服务HMS", "huawei-push"),
    ("友盟统计分析平台SDK", "umeng-analytics"),
    ("友盟+消息推送", "umeng-push"),
    ("友盟社会化分享组件", "umeng-share"),
    ("极光推送服务SDK", "jpush"),
    ("个推消息推送服务", "getui-push"),
    ("高德定位服务SDK", "amap-location"),
    ("高德地图定位", "amap-location"),
    ("百度地图定位", "baidu-location"),
    ("百度移动统计分析", "baidu-mobstat"),
    ("腾讯浏览服务X5", "tencent-tbs"),
    ("腾讯X5浏览器内核", "tencent-tbs"),
    ("微信开放平台SDK分享", "wechat-opensdk"),
    ("支付宝SDK支付", "alipay-sdk"),
    ("环信即时通讯云服务", "easemob-im"),
    ("网易云信即时通讯", "netease-yunxin-im"),
    ("OPPO推送服务SDK", "oppo-push"),
    ("vivo推送服务平台", "vivo-push"),
    ("魅族Flyme推送", "meizu-push"),
    ("荣耀推送服务SDK", "honor-push"),
    ("穿山甲广告联盟", "bytedance-pangle"),
    ("腾讯优量汇广告", "tencent-gdt"),
    ("神策数据分析SDK", "sensorsdata"),
    ("阿里云移动推送服务", "aliyun-push"),
    ("新浪微博分享SDK", "sina-weibo-sdk"),
    ("QQ互联登录SDK", "tencent-qq-connect"),
    ("Firebase Crashlytics SDK", "firebase-crashlytics"),
    ("Umeng Analytics SDK", "umeng-analytics"),
)
GENERIC: tuple[str, ...] = (
    "第三方应用", "第三方服务", "第三方SDK", "推送服务", "地图服务", "定位服务", "统计分析",
    "微信账号登录", "支付宝账号", "QQ账号登录", "消息推送", "崩溃日志", "设备信息", "网络信息",
    "应用列表", "位置信息", "用户主动分享的数据", "腾讯公司", "百度公司", "阿里巴巴", "小米手机",
    "华为手机", "应用市场", "客服热线", "短信验证码", "一键登录", "实名认证", "人脸识别",
)
VENDORS = ("小米", "华为", "OPPO", "vivo", "魅族", "荣耀", "腾讯", "百度", "高德", "友盟", "极光", "个推",
           "阿里云", "网易", "新浪", "字节跳动", "快手", "美团", "京东", "讯飞")
PRODUCTS = ("推送", "地图", "定位", "统计", "分享", "登录", "支付", "广告", "即时通讯", "客服", "导航",
            "搜索", "直播", "语音", "浏览服务", "崩溃分析")
THRESHOLDS = (70, 75, 78, 80, 82, 84, 85, 86, 88, 90, 92, 95)


def main() -> None:
    registry = load_registry()
    index = registry.alias_index
    keys = list(index)

    def best(query: str, pool: list[str]) -> tuple[float, set[str]]:
        hit = process.extractOne(query, pool, scorer=fuzz.ratio)
        if hit is None:
            return 0.0, set()
        return float(hit[1]), {t.id for t in index[hit[0]]}

    positives: list[tuple[str, str, float, set[str]]] = []
    for key, targets in index.items():
        if len(key) < 3:
            continue
        pool = [k for k in keys if k != key]
        score, ids = best(key, pool)
        positives.append((key, targets[0].id, score, ids))
    curated = 0
    for wording, expected in POLICY_WORDINGS:
        key = normalize_name(wording)
        if key in index:
            continue  # already an alias: exact match, not a fuzzy question
        curated += 1
        score, ids = best(key, keys)
        positives.append((key, expected, score, ids))

    negatives: list[tuple[str, float]] = []
    wordings = [w for dt in registry.data_types.values() for w in dt.wordings]
    combos = [v + p for v in VENDORS for p in PRODUCTS]
    for phrase in (*GENERIC, *wordings, *combos):
        key = normalize_name(phrase)
        if len(key) < 3 or key in index:
            continue  # an exact alias is a real SDK name, not a negative
        score, _ = best(key, keys)
        negatives.append((key, score))

    print(f"registry {registry.version}: {len(keys)} alias keys; positives: "
          f"{len(positives) - curated} held-out aliases + {curated} policy wordings; "
          f"negatives: {len(negatives)}")
    print(f"{'threshold':>9} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    for threshold in THRESHOLDS:
        tp = sum(1 for _, exp, s, ids in positives if s >= threshold and exp in ids)
        fp = sum(1 for _, exp, s, ids in positives if s >= threshold and exp not in ids)
        fp += sum(1 for _, s in negatives if s >= threshold)
        fn = len(positives) - tp
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / len(positives)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{threshold:>9} {tp:>5} {fp:>5} {fn:>5} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f}")
    print("\nnegatives scoring >= 80 (closest lookalikes):")
    for key, score in sorted(negatives, key=lambda n: -n[1])[:12]:
        if score >= 80:
            print(f"  {score:5.1f}  {key}")


if __name__ == "__main__":
    main()
