"""`sdkreg scan`: detect registry SDKs inside an APK."""

from __future__ import annotations
