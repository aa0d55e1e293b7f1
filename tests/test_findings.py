"""sdkreg/findings.py is the one definition of the finding kinds: the audit JSON schema, the SARIF
rules, README's findings table, the suppress config and the Chinese titles all agree with it."""

from __future__ import annotations

import re

from sdkreg.findings import FINDING_KIND_SPECS, FINDING_KINDS, Severity, kind_title, spec
from sdkreg.i18n import translator
from sdkreg.registry import Registry
from sdkreg.report import sarif
from sdkreg.schemas import load
from tests.audit.builders import policy, report, scan
from tests.conftest import REPO


def test_every_kind_has_one_spec_in_order() -> None:
    assert [s.kind for s in FINDING_KIND_SPECS] == list(FINDING_KINDS)
    assert len({s.sarif_name for s in FINDING_KIND_SPECS}) == len(FINDING_KINDS)


def test_the_audit_schema_enumerates_the_kinds() -> None:
    kind = load("audit")["$defs"]["finding"]["properties"]["kind"]
    assert kind["enum"] == list(FINDING_KINDS)


def test_sarif_rules_are_the_specs(registry: Registry) -> None:
    document = sarif.as_dict(report(registry, scan(), policy()))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["name"], r["shortDescription"]["text"], r["defaultConfiguration"]["level"])
            for r in rules] == [
        (s.kind, s.sarif_name, s.sarif_description, sarif.level(s.severity)) for s in FINDING_KIND_SPECS
    ]


def test_readme_findings_table_is_the_specs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Findings (`sdkreg audit`)", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z]+)[^|]*\|", section, flags=re.MULTILINE)
    assert [kind for kind, _ in rows] == list(FINDING_KINDS)
    for kind, severity in rows:  # the usual severity leads the column; README adds the exceptions
        assert Severity.parse(severity) is spec(kind).severity, kind  # type: ignore[arg-type]


def test_every_kind_has_a_chinese_title() -> None:
    zh, en = translator("zh-CN"), translator("en")
    for kind in FINDING_KINDS:
        assert kind_title(kind, zh) != kind_title(kind, en), kind
