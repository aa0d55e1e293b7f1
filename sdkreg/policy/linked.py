"""Which link of a policy page leads to its SDK list.

Many policies keep the 第三方SDK清单 on a page of its own and link to it ("详见《第三方SDK清单》",
"第三方信息共享清单", "Third-party SDK list"). When a policy read from a URL names no SDK list
itself, the loader follows one such link. Only a link on the same site is followed: the list is
the app operator's own document, and a policy must not send sdkreg anywhere else.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urldefrag, urlsplit

from sdkreg.policy.sources import PageLink

# Words that name a list of third parties: SDK清单/列表/目录, 第三方…清单, 信息共享清单.
_LIST_NAME = re.compile(
    r"(?:SDK|第三方|三方|合作方|合作伙伴).{0,12}?(?:清单|列表|目录|一览|说明)"
    r"|(?:信息)?共享(?:清单|列表)"
    r"|third[- ]party\s+(?:SDKs?|services?|partners?).{0,12}?(?:list|directory|table)"
    r"|SDK\s+(?:list|directory)",
    re.IGNORECASE,
)
# An anchor that says only "here" / "查看" takes its meaning from the text before it.
_SHORT_ANCHOR = 12
_POINTER = re.compile(r"详见|参见|请见|查看|点击|见|see", re.IGNORECASE)

# Public suffixes with two labels that Chinese app operators' sites use; a site is the label
# before the suffix. (The full Public Suffix List would mean a dependency or a download.)
_TWO_LABEL_SUFFIXES = frozenset({
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "com.hk", "org.hk", "edu.hk",
    "com.tw", "org.tw", "com.mo", "co.uk", "co.jp", "com.sg", "com.au", "co.kr",
})


def sdk_list_link(links: tuple[PageLink, ...], page_url: str) -> str | None:
    """The first link whose text names an SDK list (else the first short "详见/click here" link
    after text that does), on the page's own site and not back to the page itself."""
    page = urldefrag(page_url).url
    eligible = [
        link for link in links
        if urlsplit(link.url).scheme in ("http", "https")
        and same_site(link.url, page_url)
        and urldefrag(link.url).url != page
    ]
    for link in eligible:
        if _LIST_NAME.search(link.text):
            return link.url
    for link in eligible:
        if len(link.text) <= _SHORT_ANCHOR and _LIST_NAME.search(link.before) and (
            _POINTER.search(link.before[-12:]) or _POINTER.search(link.text)
        ):
            return link.url
    return None


def same_site(url: str, other: str) -> bool:
    site = _site(urlsplit(url).hostname)
    return site is not None and site == _site(urlsplit(other).hostname)


def _site(host: str | None) -> str | None:
    if not host:
        return None
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host  # an address is its own site
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])
