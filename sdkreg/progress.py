"""Progress of long work, as events the core reports and only the CLI shows.

The core calls ``progress(template, params)`` at each step (the template is an English message
marked for translation); the CLI decides whether and how to show it (a status line on a terminal,
nothing in CI logs or machine-readable runs). The default does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sdkreg.i18n import N_

Progress = Callable[[str, Mapping[str, object]], None]


def no_progress(template: str, params: Mapping[str, object]) -> None:
    """Report nothing (the default everywhere)."""


READING_POLICY = N_("reading the policy {name}")
OPENING_APK = N_("opening {name}")
READING_DEX = N_("reading {name} ({done}/{total})")
MATCHING = N_("matching {classes} classes against the registry")
AUDITING = N_("cross-checking the APK and the policy")
