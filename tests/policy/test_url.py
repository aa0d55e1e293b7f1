"""Policies given as http(s) URLs, against a local HTTP server the tests start on 127.0.0.1:
charsets from the header and from <meta>, redirects and redirect loops, HTTP errors, a server that
does not answer, oversized bodies, a policy page that links to its separate SDK list, and
``sdkreg audit APP URL`` end to end."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sdkreg.cli import run
from sdkreg.errors import ExitCode, PolicyUrlError
from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.policy.fetch import FetchLimits
from sdkreg.policy.linked import same_site, sdk_list_link
from sdkreg.policy.load import load_policy
from sdkreg.policy.sources import PageLink
from sdkreg.registry import Registry
from sdkreg.schemas import validator
from tests.conftest import REPO
from tests.policy.conftest import FIXTURES
from tests.policy.documents import blocks_from_text, build_docx, build_pdf

DEMO_APK = REPO / "samples" / "demo.apk"
DEMO_POLICY = REPO / "samples" / "demo-policy.txt"
HTML_TABLE = (FIXTURES / "html_table.html").read_text(encoding="utf-8")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the response starts
    repeat: int = 1  # the body is sent this many times (an endless-looking stream)
    length: bool = True  # send Content-Length


class LocalWeb:
    """A real HTTP server on a free loopback port; each test sets the pages it needs."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                web.requests.append(self.path)
                route = web.routes.get(self.path)
                if route is None:
                    route = Route(b"<h1>not here</h1>", status=404)
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    for key, value in route.headers.items():
                        self.send_header(key, value)
                    if route.length:
                        self.send_header("Content-Length", str(len(route.body) * route.repeat))
                    self.end_headers()
                    for _ in range(route.repeat):
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size cap): that is what the test wants

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def page(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
             **options: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, headers={"Content-Type": content_type}, **options)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": to})
        return self.url(path)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalWeb]:
    web = LocalWeb()
    web.thread.start()
    yield web
    web.server.shutdown()
    web.server.server_close()


@pytest.fixture
def web(server: LocalWeb) -> LocalWeb:
    server.routes.clear()
    server.requests.clear()
    return server


def disclosed(result: object) -> list[tuple[str, str | None]]:
    return [(d.as_written, d.sdk) for d in result.disclosures]  # type: ignore[attr-defined]


def expected_html_table(registry: Registry) -> list[tuple[str, str | None]]:
    return disclosed(extract_disclosures(read_policy(FIXTURES / "html_table.html"), registry))


# ---------------------------------------------------------------- charsets


def test_gbk_page_with_charset_in_the_header(web: LocalWeb, registry: Registry) -> None:
    html = HTML_TABLE.replace('<meta charset="utf-8">', "")
    url = web.page("/gbk.html", html.encode("gbk"), "text/html; charset=GBK")
    result = load_policy(url, registry)
    assert result.source.encoding == "gb18030"  # GBK read as its superset, as browsers do
    assert result.source.path == url and result.source.format == "html"
    assert "# 示例笔记隐私政策" in result.source.lines  # the <h1>, written as a Markdown heading
    assert disclosed(result) == expected_html_table(registry)


def test_gbk_page_with_charset_only_in_meta(web: LocalWeb, registry: Registry) -> None:
    html = HTML_TABLE.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    url = web.page("/meta.html", html.encode("gbk"), "text/html")
    result = load_policy(url, registry)
    assert result.source.encoding == "gb18030"
    assert disclosed(result) == expected_html_table(registry)


def test_declared_big5_is_used(web: LocalWeb, registry: Registry) -> None:
    html = "<html><body><h2>第三方SDK清單</h2><p>極光推送SDK：推送訊息</p></body></html>"
    url = web.page("/big5.html", html.encode("big5"), "text/html; charset=big5")
    result = load_policy(url, registry)
    assert result.source.encoding == "big5hkscs"  # the declaration, widened as WHATWG does
    assert "極光推送SDK：推送訊息" in result.source.lines


def test_a_server_default_latin1_is_not_believed(web: LocalWeb, registry: Registry) -> None:
    """Tomcat and others label every page ISO-8859-1: decoding a UTF-8 page as Latin-1 would
    turn every Chinese character into mojibake."""
    url = web.page("/tomcat.html", HTML_TABLE.encode("utf-8"), "text/html;charset=ISO-8859-1")
    result = load_policy(url, registry)
    assert result.source.encoding == "utf-8"
    assert disclosed(result) == expected_html_table(registry)


def test_a_wrong_declaration_falls_back_to_detection(web: LocalWeb, registry: Registry) -> None:
    html = HTML_TABLE.replace('<meta charset="utf-8">', "")
    url = web.page("/liar.html", html.encode("gbk"), "text/html; charset=utf-8")
    result = load_policy(url, registry)
    assert result.source.encoding == "gb18030"
    assert disclosed(result) == expected_html_table(registry)


# ---------------------------------------------------------------- redirects, errors, limits


def test_redirect_is_followed_and_the_final_url_reported(web: LocalWeb, registry: Registry) -> None:
    final = web.page("/privacy/v3.html", HTML_TABLE)
    start = web.redirect("/privacy", "/privacy/v3.html", status=301)
    result = load_policy(start, registry)
    assert result.source.path == final
    assert web.requests == ["/privacy", "/privacy/v3.html"]


def test_redirect_loop_stops(web: LocalWeb, registry: Registry) -> None:
    web.redirect("/a", "/b")
    url = web.redirect("/b", "/a")
    with pytest.raises(PolicyUrlError, match="more than 5 redirects"):
        load_policy(url, registry)
    assert len(web.requests) == 6  # the first request and five redirects, then it gives up


def test_http_404(web: LocalWeb, registry: Registry) -> None:
    with pytest.raises(PolicyUrlError, match=r"HTTP 404 Not Found"):
        load_policy(web.url("/gone.html"), registry)


def test_http_error_after_a_redirect_names_both(web: LocalWeb, registry: Registry) -> None:
    start = web.redirect("/moved.html", "/gone.html")
    message = r"moved.html: HTTP 404 Not Found \(redirected to .*/gone.html\)$"
    with pytest.raises(PolicyUrlError, match=message):
        load_policy(start, registry)


def test_server_error(web: LocalWeb, registry: Registry) -> None:
    url = web.page("/busy.html", "overloaded", status=503)
    with pytest.raises(PolicyUrlError, match=r"HTTP 503"):
        load_policy(url, registry)


def test_slow_server_times_out(web: LocalWeb, registry: Registry) -> None:
    url = web.page("/slow.html", HTML_TABLE, delay=3.0)
    limits = FetchLimits(connect_timeout=1.0, read_timeout=0.5)
    with pytest.raises(PolicyUrlError, match=r"the server sent nothing for 0.5 s"):
        load_policy(url, registry, limits)


def test_declared_oversized_body_is_refused_before_reading(web: LocalWeb, registry: Registry) -> None:
    # 21 MiB announced; refused on the header with the real 20 MB limit.
    url = web.page("/huge.html", b"<p>" + b"x" * 1024 * 1024, repeat=21)
    limit = r"21.0 MB is far larger than any privacy policy \(limit 20 MB\)"
    with pytest.raises(PolicyUrlError, match=limit):
        load_policy(url, registry)


def test_undeclared_oversized_body_stops_at_the_cap(web: LocalWeb, registry: Registry) -> None:
    url = web.page("/stream.html", b"<p>" + b"x" * 65536, repeat=64, length=False)
    with pytest.raises(PolicyUrlError, match=r"more is far larger than any privacy policy"):
        load_policy(url, registry, FetchLimits(max_bytes=1024 * 1024))


def test_gzip_bomb_stops_at_the_cap(web: LocalWeb, registry: Registry) -> None:
    bomb = gzip.compress(b"<p>" + bytes(8 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    web.routes["/bomb.html"] = Route(bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with pytest.raises(PolicyUrlError, match="far larger than any privacy policy"):
        load_policy(web.url("/bomb.html"), registry, FetchLimits(max_bytes=1024 * 1024))


def test_nothing_listening(registry: Registry) -> None:
    with pytest.raises(PolicyUrlError, match="cannot connect"):
        load_policy(f"http://127.0.0.1:{closed_port()}/policy.html", registry)


def test_credentials_in_the_url_are_not_repeated(web: LocalWeb, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://reader:s3cret@127.0.0.1:{web.port}/missing.html"
    assert run(["policy", url]) == ExitCode.POLICY_URL_FAILED
    err = capsys.readouterr().err
    assert "s3cret" not in err and "HTTP 404" in err and len(err.strip().splitlines()) == 1


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# ---------------------------------------------------------------- documents by URL


def test_pdf_and_docx_by_url(web: LocalWeb, registry: Registry) -> None:
    blocks = blocks_from_text(DEMO_POLICY)
    pdf = web.page("/policy.pdf", build_pdf(blocks), "application/pdf")
    word = web.page("/policy", build_docx(blocks), "application/octet-stream")  # no name, no type
    expected = disclosed(extract_disclosures(read_policy(DEMO_POLICY), registry))
    for url, kind in ((pdf, "pdf"), (word, "docx")):
        result = load_policy(url, registry)
        assert result.source.format == kind
        assert disclosed(result) == expected


# ---------------------------------------------------------------- the SDK list on its own page

POLICY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>隐私政策</title></head><body>
<h1>示例应用隐私政策</h1>
<p>我们会使用您的设备信息改进服务。</p>
<h2>第三方共享</h2>
<p>为实现部分功能，我们接入了第三方SDK，详见<a href="{href}">《第三方SDK清单》</a>。</p>
<p>更多帮助请访问<a href="/help.html">帮助中心</a>。</p>
</body></html>"""

SDK_LIST_PAGE = """<html><head><meta charset="gbk"></head><body><h1>第三方SDK清单</h1>
<table>
<tr><th>SDK名称</th><th>第三方名称</th><th>使用目的</th><th>收集个人信息类型</th></tr>
<tr><td>小米推送SDK</td><td>北京小米移动软件有限公司</td><td>推送消息</td><td>设备标识符（OAID）</td></tr>
<tr><td>高德定位SDK</td><td>北京高德图强科技有限公司</td><td>签到定位</td><td>位置信息</td></tr>
</table></body></html>"""


def test_policy_page_that_links_to_its_sdk_list(web: LocalWeb, registry: Registry) -> None:
    policy = web.page("/app/privacy.html", POLICY_PAGE.format(href="sdk-list.html"))
    listed = web.page("/app/sdk-list.html", SDK_LIST_PAGE.encode("gbk"), "text/html")
    result = load_policy(policy, registry)
    assert result.linked_from == policy
    assert result.source.path == listed and result.source.encoding == "gb18030"
    assert disclosed(result) == [("小米推送SDK", "xiaomi-push"), ("高德定位SDK", "amap-location")]
    assert web.requests == ["/app/privacy.html", "/app/sdk-list.html"]


def test_a_link_to_another_site_is_not_followed(web: LocalWeb, registry: Registry) -> None:
    elsewhere = web.url("/app/sdk-list.html", host="localhost")  # another host name
    policy = web.page("/app/privacy.html", POLICY_PAGE.format(href=elsewhere))
    web.page("/app/sdk-list.html", SDK_LIST_PAGE.encode("gbk"), "text/html")
    result = load_policy(policy, registry)
    assert result.linked_from is None and result.disclosures == ()
    assert web.requests == ["/app/privacy.html"]


def test_a_policy_with_its_own_list_follows_nothing(web: LocalWeb, registry: Registry) -> None:
    html = HTML_TABLE.replace("<h2>三、", '<p>另见<a href="/sdk-list.html">第三方SDK清单</a></p><h2>三、')
    policy = web.page("/privacy.html", html)
    result = load_policy(policy, registry)
    assert result.linked_from is None and disclosed(result) == expected_html_table(registry)
    assert web.requests == ["/privacy.html"]


def test_a_broken_sdk_list_link_is_an_error(web: LocalWeb, registry: Registry) -> None:
    policy = web.page("/app/privacy.html", POLICY_PAGE.format(href="/app/missing.html"))
    with pytest.raises(PolicyUrlError, match=r"^the SDK list the policy links to: .*HTTP 404"):
        load_policy(policy, registry)


def test_a_local_policy_never_touches_the_network(web: LocalWeb, registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "privacy.html"
    path.write_text(POLICY_PAGE.format(href=web.url("/app/sdk-list.html")), encoding="utf-8")
    web.page("/app/sdk-list.html", SDK_LIST_PAGE.encode("gbk"), "text/html")
    result = load_policy(str(path), registry)
    assert result.linked_from is None and result.disclosures == ()
    assert web.requests == []


@pytest.mark.parametrize(
    ("text", "before", "chosen"),
    [
        ("《第三方SDK清单》", "为实现部分功能，我们接入了第三方SDK，详见", True),
        ("第三方信息共享清单", "", True),
        ("Third-party SDK list", "", True),
        ("点击查看", "我们接入的第三方SDK目录请", True),  # the meaning is in the text before
        ("点击查看", "更多帮助请", False),
        ("帮助中心", "更多帮助请访问", False),
        ("SDK开发者文档", "", False),  # about SDKs, not a list of them
    ],
)
def test_which_link_names_an_sdk_list(text: str, before: str, chosen: bool) -> None:
    page = "https://www.example.com.cn/legal/privacy.html"
    target = "https://static.example.com.cn/legal/sdk.html"  # the same site, another host
    assert (sdk_list_link((PageLink(target, text, before),), page) == target) is chosen


def test_same_site() -> None:
    assert same_site("https://a.example.com/x", "http://b.example.com/y")
    assert same_site("https://a.example.com.cn/x", "https://www.example.com.cn/")
    assert not same_site("https://a.example.com.cn/x", "https://other.com.cn/")
    assert not same_site("http://127.0.0.1:8000/", "http://127.0.0.2:8000/")
    assert not same_site("http://localhost/", "http://127.0.0.1/")


# ---------------------------------------------------------------- the CLI, end to end


def test_audit_app_against_a_policy_url(web: LocalWeb, capsys: pytest.CaptureFixture[str]) -> None:
    url = web.page("/policy.txt", DEMO_POLICY.read_bytes(), "text/plain; charset=utf-8")
    local_code = run(["audit", str(DEMO_APK), str(DEMO_POLICY), "--format", "json"])
    local = json.loads(capsys.readouterr().out)
    assert run(["audit", str(DEMO_APK), url, "--format", "json"]) == local_code == ExitCode.FINDINGS
    remote = json.loads(capsys.readouterr().out)
    validator("audit").validate(remote)
    assert remote["policy"]["path"] == url and remote["policy"]["linked_from"] is None
    assert remote["policy"]["sha256"] == local["policy"]["sha256"]
    assert remote["findings"] == local["findings"]

    assert run(["audit", str(DEMO_APK), url]) == ExitCode.FINDINGS
    assert f"Policy:   {url} (utf-8, 3 disclosure(s))" in capsys.readouterr().out


def test_audit_reports_the_linked_sdk_list(web: LocalWeb, capsys: pytest.CaptureFixture[str]) -> None:
    policy = web.page("/app/privacy.html", POLICY_PAGE.format(href="sdk-list.html"))
    listed = web.page("/app/sdk-list.html", SDK_LIST_PAGE.encode("gbk"), "text/html")
    code = run(["audit", str(DEMO_APK), policy])
    out = capsys.readouterr().out
    assert code == ExitCode.FINDINGS
    assert f"SDK list read from {listed}, linked from the policy {policy}" in out
    run(["audit", str(DEMO_APK), policy, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    validator("audit").validate(document)
    assert (document["policy"]["path"], document["policy"]["linked_from"]) == (listed, policy)
    assert {d["sdk"] for d in document["disclosures"]} == {"xiaomi-push", "amap-location"}

    assert run(["policy", policy, "--format", "json"]) == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    validator("policy").validate(document)
    assert document["policy"]["linked_from"] == policy


def test_policy_url_errors_exit_23(web: LocalWeb, capsys: pytest.CaptureFixture[str]) -> None:
    web.redirect("/loop", "/loop")
    for url in (web.url("/nope.html"), web.url("/loop"), f"http://127.0.0.1:{closed_port()}/"):
        assert run(["audit", str(DEMO_APK), url]) == ExitCode.POLICY_URL_FAILED
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("sdkreg: error: http://127.0.0.1:"), err
