"""Waivers with reasons and expiry, config discovery, and baselines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sdkreg.audit import Finding
from sdkreg.errors import ConfigError
from sdkreg.findings import Severity
from sdkreg.suppress import (
    baseline_document,
    find_config,
    load_config,
    read_baseline,
    triage,
)

BUGLY = Finding("undisclosed", Severity.ERROR, "tencent-bugly", "tencent-bugly", "m")
AMAP = Finding("over_disclosed", Severity.WARNING, "amap-map", "amap-map", "m")
TREE = Finding("unrecognised_code", Severity.INFO, None, "com.acme.tracker", "m")
TODAY = dt.date(2026, 11, 23)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_waiver_with_reason_and_expiry(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "sdkreg.toml", """
fail_on = "warning"
[[ignore]]
sdk = "tencent-bugly"
reason = "debug builds only"
expires = 2027-01-31
[[ignore]]
kind = "unrecognised_code"
reason = "tracked in REG-12"
expires = 2026-01-01
[[ignore]]
kind = "packed_app"
reason = "never happens"
"""))
    assert config.fail_on is Severity.WARNING
    result = triage([BUGLY, AMAP, TREE], config.waivers, today=TODAY)
    assert result.active == (AMAP, TREE)  # the expired waiver no longer hides TREE
    assert [(s.finding, s.reason) for s in result.suppressed] == [(BUGLY, "debug builds only")]
    assert [w.reason for w in result.expired_waivers] == ["tracked in REG-12"]
    assert [w.reason for w in result.unused_waivers] == ["never happens"]
    # after its expiry date the bugly waiver stops applying
    later = triage([BUGLY], config.waivers, today=dt.date(2027, 2, 1))
    assert later.active == (BUGLY,)


def test_waiver_kind_and_sdk_must_both_match(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "sdkreg.toml", """
[[ignore]]
kind = "over_disclosed"
sdk = "tencent-bugly"
reason = "r"
"""))
    assert triage([BUGLY, AMAP], config.waivers, today=TODAY).active == (BUGLY, AMAP)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[ignore]]\nsdk = "x"\n', "needs a non-empty `reason`"),
        ('[[ignore]]\nreason = "r"\n', "ignore of everything is refused"),
        ('[[ignore]]\nkind = "nope"\nreason = "r"\n', "unknown kind"),
        ('[[ignore]]\nsdk = "x"\nreason = "r"\nexpires = "soon"\n', "`expires` must be a date"),
        ('fail_on = "fatal"\n', "expected one of error, warning, info"),
        ('colour = true\n', "unknown key(s) colour"),
        ("[[ignore]\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        load_config(write(tmp_path / "sdkreg.toml", body))
    assert message in str(info.value) and "sdkreg.toml" in str(info.value)


def test_config_discovery_prefers_sdkreg_toml_then_pyproject(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None  # a pyproject without [tool.sdkreg] is not config
    write(tmp_path / "pyproject.toml", '[tool.sdkreg]\n[[tool.sdkreg.ignore]]\nsdk = "a"\nreason = "r"\n')
    found = find_config(tmp_path)
    assert found is not None and found.name == "pyproject.toml"
    assert load_config(found).waivers[0].sdk == "a"
    write(tmp_path / "sdkreg.toml", "")
    assert find_config(tmp_path) == tmp_path / "sdkreg.toml"


def test_baseline_round_trip_only_new_findings_stay(tmp_path: Path) -> None:
    path = write(tmp_path / "baseline.json", json.dumps(baseline_document([BUGLY, AMAP])))
    known = read_baseline(path)
    result = triage([BUGLY, AMAP, TREE], baseline=known, today=TODAY)
    assert result.active == (TREE,)
    assert {s.reason for s in result.suppressed} == {"baseline"}


def test_baseline_fingerprint_ignores_message_and_lines() -> None:
    moved = Finding("undisclosed", Severity.ERROR, "tencent-bugly", "tencent-bugly", "other text")
    assert moved.fingerprint == BUGLY.fingerprint != AMAP.fingerprint


@pytest.mark.parametrize("body", ["not json", "[]", '{"version": 9, "findings": []}',
                                  '{"version": 1, "findings": [{"kind": "x"}]}'])
def test_bad_baseline(tmp_path: Path, body: str) -> None:
    with pytest.raises(ConfigError, match="baseline"):
        read_baseline(write(tmp_path / "b.json", body))


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--write-baseline"):
        read_baseline(tmp_path / "missing.json")
