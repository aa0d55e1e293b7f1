"""Rules added after diagnosing the held-out sets of real SDK lists (issue 8, round 2), each on
the smallest text of its layout and on the trap next to it. Fixtures of the full layouts are in
tests/policy/corpus (their sidecars name the real page each shape comes from)."""

from __future__ import annotations

from collections import Counter

import pytest

from sdkreg.policy.document import marker_of
from sdkreg.policy.labels import label_fields
from sdkreg.policy.resolve import resolver_for
from sdkreg.policy.roles import is_english_category, is_generic_product, purpose_score, role_reader
from sdkreg.registry import Registry
from tests.policy.reading import found, read_text, reason

# ---------------------------------------------------------------- prose


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # the app or its operator uses a registry name
        ("我们使用 Google Analytics 或 Firebase Crashlytics 进行统计分析。",
         {("Google Analytics", "firebase-analytics"), ("Firebase Crashlytics", "firebase-crashlytics")}),
        ("拾光相册使用软件质量服务商 Sentry 提供的平台收集异常信息。", {("Sentry", "sentry")}),
        ("PawTrail 使用 Google 提供之 AdMob 服務顯示廣告。", {("AdMob", "google-admob")}),
        ("PawTrail uses Firebase Crashlytics to collect crash reports.",
         {("Firebase Crashlytics", "firebase-crashlytics")}),
        ("PawTrail shows ads through AdMob provided by Google.", {("AdMob", "google-admob")}),
        ("本应用集成优量汇，穿山甲，Mintegral广告服务，用于广告投放。",
         {("优量汇", "tencent-gdt"), ("穿山甲", "bytedance-pangle"), ("Mintegral", "mintegral")}),
        ("本应用基于Flutter框架开发。", {("Flutter", "flutter")}),
        ("我们的应用使用腾讯Bugly收集崩溃信息。", {("腾讯Bugly", "tencent-bugly")}),
        ("我们采用阿里云OSS存储您上传的图片。", {("阿里云OSS", "aliyun-oss")}),
        ("本应用使用穿山甲及优量汇的广告服务。", {("穿山甲", "bytedance-pangle"), ("优量汇", "tencent-gdt")}),
        ("Crash reports are collected via Sentry.", {("Sentry", "sentry")}),
        # the reader uses it, a feature, an account, a negated clause
        ("您使用支付宝支付时，支付信息由支付宝处理。", set()),
        ("当您使用微信登录时，我们获取您的昵称。", set()),
        ("If you use Google Sign-In, we receive your email address.", set()),
        ("我们集成了微信登录功能。", set()),
        ("我们不使用友盟、Bugly 或其他统计服务。", set()),
        ("Notelet does not use analytics SDKs, advertising SDKs, or crash-reporting SDKs.", set()),
        ("Notelet 不使用统计 SDK、广告 SDK、跟踪 SDK 或云同步服务。", set()),
        ("我们使用您的设备型号进行适配。", set()),
        ("我们使用Cookie和同类技术来识别您的身份。", set()),
        ("我们使用OAID来识别您的设备。", set()),  # the identifier, not the MSA SDK
        ("如您使用QQ浏览器访问我们的网页，相关信息由浏览器厂商处理。", set()),
        ("You can sign in through WeChat or with your Apple ID.", set()),
        ("Users can share posts via WeChat.", set()),
    ],
)
def test_prose_names_what_the_app_uses(
    registry: Registry, sentence: str, names: set[tuple[str, str | None]]
) -> None:
    assert set(found(read_text(f"一、我们如何使用信息\n{sentence}\n", registry))) == names


def test_examples_and_third_party_colon_lists_count_registry_names(registry: Registry) -> None:
    result = read_text(
        "位置：我们通过 SDK 向地图服务商（如腾讯地图）提供经纬度。\n"
        "- Statistics go only to the certified third-party platforms: "
        "Mixpanel, Google Analytics and our server.\n"
        "- 设备标识符（IMEI、IDFA、MAC、OAID、VAID）\n",
        registry,
    )
    # Mixpanel and "our server" are unknown; OAID is an SDK's alias, but in a list of data types
    assert found(result) == Counter(
        {("腾讯地图", "tencent-map"): 1, ("Google Analytics", "firebase-analytics"): 1}
    )
    # the reader's accounts after "第三方登录：" are no SDK list
    assert not read_text("一、功能\n第三方登录：微信、QQ、微博\n", registry).disclosures


# ---------------------------------------------------------------- list items


def test_siblings_of_sdk_items_are_sdk_items(registry: Registry) -> None:
    result = read_text(
        "1.2 我们使用第三方SDK，具体如下。\n"
        "1.2.1 “个推推送”：该SDK由“每日互动股份有限公司”提供，用于推送。\n"
        "1.2.2 “神策分析”：该SDK由“神策网络科技（北京）有限公司”提供，用于统计。\n"
        "1.2.3 “华为推送”：由“华为终端有限公司”提供，用于接收推送。\n"
        "1.2.4 “星图白板”：由“上海星图教育科技有限公司”提供，用于白板书写。\n"
        "1.2.5 “MTA” 腾讯移动分析，由腾讯提供。\n"
        "2.1 “账号注册”：您注册时我们收集手机号。\n"
        "2.2 “微信登录”：您可以使用微信账号登录。\n",
        registry,
    )
    assert set(found(result)) == {
        ("个推推送", "getui-push"),
        ("神策分析", "sensorsdata"),
        ("华为推送", "huawei-push"),
        ("星图白板", None),  # a quoted name with its provider, in a list of SDKs
        ("MTA", "tencent-mta"),
    }


def test_a_lone_bullet_marks_the_next_line_and_category_words_are_no_names(registry: Registry) -> None:
    result = read_text(
        "Personal Data processed for the following purposes and using the following services:\n"
        "-\nAnalytics\n-\nFirebase Analytics\nPersonal Data: device information; Usage Data\n"
        "-\nAdjust\nPersonal Data: Trackers; Usage Data\n"
        "-\nGoogle Play Store\nPersonal Data: Usage Data\n",
        registry,
    )
    assert found(result) == Counter({("Firebase Analytics", "firebase-analytics"): 1, ("Adjust", None): 1})


def test_a_long_sentence_ending_a_paragraph_can_introduce_the_sdk_list(registry: Registry) -> None:
    result = read_text(
        "Some features rely on outside companies. The third-party service providers used by the app "
        "are listed below, with links to their privacy policies:\n\n"
        "*   [AdMob](https://policies.google.com/technologies/ads)\n"
        "*   [Tidal Data API](https://tidaldata.example/privacy)\n",
        registry,
        "markdown",
    )
    # a web API is reached server to server: no SDK in the app
    assert found(result) == Counter({("AdMob", "google-admob"): 1})


def test_the_items_a_sentence_introduces_as_sdks_are_names_if_written_as_names(registry: Registry) -> None:
    result = read_text(
        "Third-party SDKs\n\nThe app includes the following third-party SDKs:\n\n"
        "- AdMob\n- AppsFlyer\n- RevenueCat (in-app purchases)\n- Handling payments\n- Local storage\n",
        registry,
        "markdown",
    )
    assert set(found(result)) == {
        ("AdMob", "google-admob"), ("AppsFlyer", None), ("RevenueCat (in-app purchases)", None)
    }
    # the same items without the sentence: only registry names
    plain = read_text("## Third-party SDKs\n\n- AdMob\n- AppsFlyer\n", registry, "markdown")
    assert set(found(plain)) == {("AdMob", "google-admob")}


# ---------------------------------------------------------------- field blocks


def test_provider_fields_hold_companies_and_numbers_glue_to_names(registry: Registry) -> None:
    result = read_text(
        "二、第三方SDK\n3.1QQ SDK\n3.1.1应用场景：QQ登录。\n3.1.2第三方SDK提供方：腾讯。\n"
        "3.2极验SDK\n3.2.1应用场景：行为验证。\n3.2.2第三方SDK提供方：极验。\n",
        registry,
    )
    assert found(result) == Counter({("QQ SDK", "tencent-qq-connect"): 1, ("极验SDK", "geetest"): 1})


def test_a_field_without_value_takes_the_list_below_it(registry: Registry) -> None:
    result = read_text(
        "### 第三方SDK\n#### 2.3.1 推送\n- **SDK名称**: 荣耀推送SDK\n- **收集的个人信息**: \n"
        "  - 应用信息: 应用包名\n  - 推送Token\n- **功能用途**:\n+ 个性化广告推荐\n+ 卡顿与异常监控\n"
        "- **隐私政策链接**: https://developer.honor.com\n",
        registry,
        "markdown",
    )
    assert found(result) == Counter({("荣耀推送SDK", "honor-push"): 1})
    assert "推送Token" in result.disclosures[0].fields.data_text  # type: ignore[operator]


def test_a_generic_name_is_named_by_its_company(registry: Registry) -> None:
    result = read_text(
        "本应用接入的第三方SDK目录如下：\n"
        "5、推送SDK\n运营公司：每日互动股份有限公司\n功能/服务：推送消息\n"
        "6、统计SDK\n运营公司：星辰数据（杭州）有限公司\n功能/服务：统计\n",
        registry,
    )
    assert found(result) == Counter({("推送SDK", "getui-push"): 1, ("统计SDK", None): 1})
    # outside a list of SDKs a generic name counts only when its company resolves it
    outside = read_text("5、统计SDK\n运营公司：星辰数据（杭州）有限公司\n功能/服务：统计\n", registry)
    assert not outside.disclosures


def test_a_url_value_is_whole_and_okhttp_is_no_link(registry: Registry) -> None:
    result = read_text(
        "第三方SDK目录如下：\n③QQ分享SDK\n主体名称：腾讯科技（深圳）有限公司\n官网链接：https://wiki.connect.qq.com/\n"
        "④maasdk\n主体名称：网宿科技股份有限公司\n"
        "⑤Okhttp3 SDK\n功能：网络请求\n",
        registry,
    )
    assert [d.as_written for d in result.disclosures] == ["QQ分享SDK", "maasdk", "Okhttp3 SDK"]


# ---------------------------------------------------------------- tables and rows


def test_purpose_debris_rows_are_no_names(registry: Registry) -> None:
    result = read_text(
        "SDK名称 | 开发者 | 功能 | 信息类别 | 具体字段 | 使用目的 |\n"
        "优量汇SDK(com.qq.e) | 深圳市腾讯计算机系统有限公司 | 广告 | 设备信息 | 设备型号 |\n"
        "广告投放、广告监测归因、广告反作弊 | ||||\n"
        "摇一摇互动广告投放、广告反作弊 | |||\n",
        registry,
    )
    assert found(result) == Counter({("优量汇SDK(com.qq.e)", "tencent-gdt"): 1})


def test_a_partner_table_sent_server_to_server_discloses_nothing(registry: Registry) -> None:
    result = read_text(
        "序号 | 合作方名称 | 共享目的 | 共享方式 |\n"
        "1 | 入驻商家 | 订单交付 | 后台接口传输 |\n"
        "2 | 门店自提点 | 到店提货 | 通过自提点系统提供 |\n"
        "3 | 中通快递 | 订单配送 | 后台接口传输 |\n"
        "韵达快递 | 订单配送 | 后台接口传输 | |\n",
        registry,
    )
    assert not result.disclosures
    # the same table saying SDK is an SDK list
    sdk = read_text("序号 | SDK名称 | 共享方式 |\n1 | 友盟统计SDK | SDK本机采集 |\n", registry)
    assert found(sdk) == Counter({("友盟统计SDK", "umeng-analytics"): 1})
    # a table of SDKs and partners: the rows that say SDK keep the table an SDK list
    mixed = read_text(
        "第三方名称 | 共享信息 | 共享方式 |\n小米推送 | 设备标识符 | SDK本机采集 |\n"
        "顺丰速运 | 收货地址 | 后台接口传输 |\n中通快递 | 收货地址 | 后台接口传输 |\n",
        registry,
    )
    assert found(mixed) == Counter({("小米推送", "xiaomi-push"): 1})
    # a spanned number leaves its cell empty: the row keeps its place
    spanned = read_text(
        "序号 | SDK名称 | 共享方式 |\n1 | 友盟统计SDK | SDK本机采集 |\n | 极光推送SDK | SDK本机采集 |\n",
        registry,
    )
    assert found(spanned) == Counter({("友盟统计SDK", "umeng-analytics"): 1, ("极光推送SDK", "jpush"): 1})


def test_a_glued_row_goes_on_over_its_wrapped_cells(registry: Registry) -> None:
    result = read_text(
        "第三方SDK委托处理个人信息清单\n序号SDK名称第三方主体涉及的个人信息种类使用目的\n"
        "1GrowingIO Android SDK北京易数科技有限公司设备信息:设备型号\n"
        "行为信息:在集成GrowingIO SDK的应用中的页面浏览\n"
        "用于统计功能使用情况https://www.growingio.com/privacy\n"
        "2星轨推送SDK杭州星轨信息技术有限公司设备标识符\n",
        registry,
    )
    # "集成GrowingIO SDK" and the purpose line are cells of the first row
    assert found(result) == Counter({("GrowingIO Android SDK", "growingio"): 1, ("星轨推送SDK", None): 1})
    assert reason(result, "GrowingIO SDK").startswith("inside the spaced record")


# ---------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("广点通广告联盟", ["tencent-gdt"]),  # a short alias and words of its own kind
        ("腾讯Bugly闪退统计SDK", ["tencent-bugly"]),
        ("腾讯地图导航", [None]),  # a product word of another kind: another product
        ("腾讯Bugly SDK com.tencent.stat(腾讯移动分析)", ["tencent-bugly", "tencent-mta"]),
        ("高德地图SDK（com.amap.api）", ["amap"]),  # the name before its own package adds nothing
        ("阿里云移动研发平台SDK（移动推送、HTTPDNS）", ["aliyun-push", "aliyun-httpdns"]),
        ("Analytics", [None]),  # a category word is no misspelling of 'janalytics'
    ],
)
def test_resolution(registry: Registry, name: str, ids: list[str | None]) -> None:
    assert [r.sdk for r in resolver_for(registry).resolve(name)] == ids


def test_a_generic_name_resolves_by_a_registry_vendor(registry: Registry) -> None:
    resolver = resolver_for(registry)
    (found,) = resolver.resolve("统计SDK", company="神策网络科技（北京）有限公司")
    assert found.sdk == "sensorsdata"
    assert [r.sdk for r in resolver.resolve("统计SDK", company="星辰数据（杭州）有限公司")] == [None]
    assert [r.sdk for r in resolver.resolve("统计SDK")] == [None]


# ---------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("line", "kind", "text_start"),
    [
        ("2.1微信SDK", "num", 3),
        ("3.1QQ SDK", "num", 3),
        ("2.5万次下载", "num", 2),  # a quantity: not numbered 2.5
        ("+ 广告转化效果监测", "bullet", 2),
    ],
)
def test_markers(line: str, kind: str, text_start: int) -> None:
    marker = marker_of(line)
    assert (marker.kind, marker.end) == (kind, text_start)


def test_labels_read_past_pinyin_glosses_only() -> None:
    # labels are read on the folded text (Simplified)
    assert label_fields("声明/申请权(quán)限") == ("permission",)
    assert label_fields("隐私政策链(liàn)接(供参考)")[0] == "url"
    assert label_fields("某厂商SDK(含友盟统计SDK、极光推送SDK等)") == ()
    assert label_fields("运营公司") == ("company",)


def test_roles_of_purposes_categories_and_generic_names(registry: Registry) -> None:
    assert purpose_score("广告投放、广告监测归因、广告反作弊") >= 0.7
    assert purpose_score("广告转化效果监测") >= 0.7
    assert purpose_score("华为推送、小米推送、OPPO推送") == 0.0
    assert purpose_score("极光营销推送") == 0.0  # a vendor before the words: a name
    assert is_english_category("Push notifications") and not is_english_category("AdMob")
    assert is_generic_product("统计SDK") and not is_generic_product("友盟统计SDK")
    roles = role_reader(registry)
    assert roles.of("星河语音SDK").name > 0  # says SDK: a name, though 语音 reads as data
