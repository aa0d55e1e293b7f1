"""Text from untrusted input (a package, a file name), made safe to print, hash and store.

DEX and manifest strings and zip entry names may hold what no class or component name can:
control characters (an escape sequence would reach the user's terminal) and lone UTF-16
surrogates (no UTF-8 writer, hash or database accepts them). Each such character is kept
visibly, as the text ``\\uXXXX``.
"""

from __future__ import annotations

import re

# C0 controls but the line feed (the DEX reader's own separator, refused inside a name there),
# DEL, C1 controls, and surrogates.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def escape_unsafe(text: str) -> str:
    """``text`` with every control character and lone surrogate written as ``\\uXXXX``."""
    if _UNSAFE.search(text) is None:  # the usual case: one C-speed scan, no copy
        return text
    return _UNSAFE.sub(_escape, text)
