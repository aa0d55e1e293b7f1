"""The policy the user named → its SDK disclosures, following a policy page's link to its
separate SDK list when the page itself has none.

The one entry point for commands: ``load_policy(arg, registry)``. Network is used only when
``arg`` is an http(s) URL.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sdkreg.errors import PolicyUrlError
from sdkreg.policy.extract import extract_disclosures
from sdkreg.policy.fetch import FetchLimits
from sdkreg.policy.linked import sdk_list_link
from sdkreg.policy.model import PolicyResult
from sdkreg.policy.sources import open_policy, open_url
from sdkreg.registry import Registry


def load_policy(
    arg: str | Path, registry: Registry, limits: FetchLimits | None = None, *, explain: bool = False
) -> PolicyResult:
    """``explain``: also say why every candidate name was kept or dropped (``--explain``)."""
    source = open_policy(arg, limits)
    result = extract_disclosures(source.text, registry, explain=explain)
    if source.url is None or (result.has_sdk_section and result.disclosures):
        return result
    link = sdk_list_link(source.links, source.url)
    if link is None:
        return result
    try:
        linked = open_url(link, limits)
    except PolicyUrlError as exc:
        raise PolicyUrlError(f"the SDK list the policy links to: {exc}") from exc
    listed = extract_disclosures(linked.text, registry, explain=explain)
    if not listed.disclosures:
        return result  # the link promised a list and has none: the policy page stands
    return replace(listed, linked_from=source.url)
