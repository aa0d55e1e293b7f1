"""Waivers (config ignores with a reason and optional expiry) and baselines.

Config is read from ``sdkreg.toml`` or ``[tool.sdkreg]`` in ``pyproject.toml``::

    fail_on = "error"            # optional default for --fail-on
    [[ignore]]
    kind = "undisclosed"         # optional: a finding kind
    sdk = "tencent-bugly"        # optional: registry id or subject (unregistered name, package)
    reason = "loaded only in the debug flavour"   # required
    expires = 2027-01-31         # optional: the waiver stops applying after this date

A baseline is a JSON file of finding fingerprints (kind + subject, no line numbers), so only
findings that are new since the baseline fail a build.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkreg.audit import Finding
from sdkreg.errors import ConfigError
from sdkreg.findings import FINDING_KINDS, Severity

BASELINE_VERSION = 1


@dataclass(frozen=True)
class Waiver:
    reason: str
    kind: str | None = None
    sdk: str | None = None
    expires: dt.date | None = None
    source: str = ""  # "sdkreg.toml, ignore #2" — where the waiver was written

    def applies_to(self, finding: Finding) -> bool:
        if self.kind is not None and self.kind != finding.kind:
            return False
        return self.sdk is None or self.sdk in (finding.sdk, finding.subject)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True)
class Config:
    waivers: tuple[Waiver, ...] = ()
    fail_on: Severity | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    reason: str  # the waiver's reason, or "baseline"


@dataclass(frozen=True)
class Triage:
    active: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]
    expired_waivers: tuple[Waiver, ...]
    unused_waivers: tuple[Waiver, ...]


def find_config(start: Path) -> Path | None:
    for name in ("sdkreg.toml", "pyproject.toml"):
        candidate = start / name
        if candidate.is_file():
            if name == "pyproject.toml" and "sdkreg" not in _read_toml(candidate).get("tool", {}):
                continue
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("sdkreg", {})
    unknown = set(data) - {"ignore", "fail_on"}
    if unknown:
        raise ConfigError(f"config {path}: unknown key(s) {', '.join(sorted(unknown))}")
    fail_on = None
    if "fail_on" in data:
        fail_on = _severity(data["fail_on"], f"config {path}: fail_on")
    items = data.get("ignore", [])
    if not isinstance(items, list):
        raise ConfigError(f"config {path}: `ignore` must be an array of tables ([[ignore]])")
    return Config(tuple(_waiver(item, path, i) for i, item in enumerate(items, 1)), fail_on, path)


def _severity(value: object, where: str) -> Severity:
    if isinstance(value, str) and value.upper() in Severity.__members__:
        return Severity.parse(value)
    raise ConfigError(f"{where}: expected one of error, warning, info, got {value!r}")


def _waiver(item: object, path: Path, number: int) -> Waiver:
    where = f"config {path}: ignore #{number}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = set(item) - {"kind", "sdk", "reason", "expires"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where}: every ignore needs a non-empty `reason`")
    kind = item.get("kind")
    if kind is not None and kind not in FINDING_KINDS:
        raise ConfigError(f"{where}: unknown kind {kind!r} (one of {', '.join(FINDING_KINDS)})")
    sdk = item.get("sdk")
    if sdk is not None and not isinstance(sdk, str):
        raise ConfigError(f"{where}: `sdk` must be a string")
    if kind is None and sdk is None:
        raise ConfigError(f"{where}: give `kind`, `sdk` or both; an ignore of everything is refused")
    expires = item.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError as exc:
            raise ConfigError(f"{where}: `expires` must be a date like 2027-01-31") from exc
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if expires is not None and not isinstance(expires, dt.date):
        raise ConfigError(f"{where}: `expires` must be a date like 2027-01-31")
    return Waiver(reason.strip(), kind, sdk, expires, f"{path.name}, ignore #{number}")


def read_baseline(path: Path) -> frozenset[str]:
    if path.exists() and not path.is_file():  # a directory, FIFO or device: never opened
        raise ConfigError(f"baseline {path} is not a regular file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"baseline {path} does not exist (create it with --write-baseline)") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"baseline {path} is not a readable sdkreg baseline: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"baseline {path}: not an sdkreg baseline of version {BASELINE_VERSION}")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise ConfigError(f"baseline {path}: `findings` must list objects with a fingerprint")
    return frozenset(e["fingerprint"] for e in entries)


def baseline_document(findings: Iterable[Finding]) -> dict[str, Any]:
    return {
        "version": BASELINE_VERSION,
        "tool": "sdkreg",
        "findings": sorted(
            (
                {"fingerprint": f.fingerprint, "kind": f.kind, "subject": f.subject}
                for f in findings
            ),
            key=lambda e: (e["kind"], e["subject"]),
        ),
    }


def triage(
    findings: Iterable[Finding],
    waivers: Iterable[Waiver] = (),
    baseline: frozenset[str] = frozenset(),
    today: dt.date | None = None,
) -> Triage:
    today = today or dt.date.today()
    waivers = tuple(waivers)
    live = tuple(w for w in waivers if not w.expired(today))
    used: set[Waiver] = set()
    active: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        waiver = next((w for w in live if w.applies_to(finding)), None)
        if waiver is not None:
            used.add(waiver)
            suppressed.append(Suppressed(finding, waiver.reason))
        elif finding.fingerprint in baseline:
            suppressed.append(Suppressed(finding, "baseline"))
        else:
            active.append(finding)
    return Triage(
        tuple(active),
        tuple(suppressed),
        tuple(w for w in waivers if w.expired(today)),
        tuple(w for w in live if w not in used),
    )
