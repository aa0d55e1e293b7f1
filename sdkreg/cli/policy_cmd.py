"""`sdkreg policy`: extract the SDK disclosures of a privacy policy."""

from __future__ import annotations
