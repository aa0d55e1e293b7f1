"""`sdkreg policy`: text and JSON output (validated against the schema), and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sdkreg.cli import run
from sdkreg.errors import ExitCode
from tests.policy.conftest import FIXTURES, SEEDS

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "sdkreg" / "schemas" / "policy.schema.json"


def _json(capsys: pytest.CaptureFixture[str], path: Path) -> dict[str, object]:
    assert run(["policy", str(path), "--format", "json"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", ["html_table.html", "gbk_fields.txt", "traps.txt", "markdown_table.md"])
def test_json_output_matches_the_schema(capsys: pytest.CaptureFixture[str], name: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = _json(capsys, FIXTURES / name)
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=str)
    assert not errors, errors[0].message if errors else ""
    assert data["schema_version"] == "1"


def test_json_carries_fields_and_match(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, FIXTURES / "html_table.html")
    disclosures = data["disclosures"]
    assert isinstance(disclosures, list)
    umeng = next(d for d in disclosures if d["sdk"] == "umeng-analytics")
    assert umeng["match"] == {"method": "exact", "score": 100.0, "alias": "友盟统计"}
    assert umeng["fields"]["purpose"] == "统计应用使用情况"
    assert "ip-address" in umeng["fields"]["data_types"]
    unknown = next(d for d in disclosures if d["sdk"] is None)
    assert unknown["as_written"] == "某某客服组件" and unknown["match"]["method"] == "none"
    assert data["summary"] == {"disclosures": 5, "resolved": 4, "unresolved": 1,
                               "sdks": ["amap", "jpush", "tencent-tbs", "umeng-analytics"]}


@pytest.mark.skipif(not (SEEDS / "expected.yaml").is_file(), reason="real policies not available")
def test_seed_json_matches_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for path in sorted(SEEDS.glob("*.txt")):
        data = _json(capsys, path)
        assert not list(Draft202012Validator(schema).iter_errors(data)), path.name


def test_text_output_is_a_table_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", str(FIXTURES / "numbered_list.txt")]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "LINE" in out and "AS WRITTEN" in out and "MATCH" in out
    assert "amap-location" in out and "amap-map" in out
    assert out.strip().splitlines()[-1].startswith("6 disclosure(s): 6 resolved to 6 registry id(s)")


def test_text_output_says_when_there_is_no_sdk_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", str(FIXTURES / "traps.txt")]) == ExitCode.OK
    assert "no third-party SDK list found" in capsys.readouterr().out


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    assert run(["policy", str(FIXTURES / "gbk_fields.txt"), "-f", "json", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["policy"]["encoding"] == "gb18030"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, ExitCode.INPUT_MISSING),
        (b"", ExitCode.POLICY_EMPTY),
        (b" \n \n", ExitCode.POLICY_EMPTY),
        (b"%PDF-1.5\n", ExitCode.POLICY_BINARY),
        (b"PK\x03\x04rest", ExitCode.POLICY_BINARY),
        (b"abc\x00\x01\x02\x00def\x00", ExitCode.POLICY_BINARY),
        (bytes(range(0x80, 0x100)) * 20, ExitCode.POLICY_UNDECODABLE),
    ],
)
def test_error_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, code: ExitCode
) -> None:
    path = tmp_path / "policy.txt"
    if content is not None:
        path.write_bytes(content)
    assert run(["policy", str(path)]) == code
    err = capsys.readouterr().err
    assert err.startswith("sdkreg: error: ") and err.count("\n") == 1
    assert "policy.txt" in err


def test_directory_is_input_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", str(tmp_path)]) == ExitCode.INPUT_MISSING


def test_explain_shows_every_candidate_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", str(FIXTURES / "html_table.html"), "--explain"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "candidate(s)" in out
    assert "KEEP  table/90  友盟统计SDK  -> umeng-analytics" in out
    assert "the same name as the table candidate" in out  # the prose mention the table already has


def test_explain_in_json_matches_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert run(["policy", str(FIXTURES / "numbered_list.txt"), "-f", "json", "--explain"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert not list(Draft202012Validator(schema).iter_errors(data))
    explain = data["explain"]
    kept = [e for e in explain if e["kept"]]
    assert len(kept) == 5 and all(e["reason"] for e in explain)
    dropped = next(e for e in explain if e["as_written"] == "示例出行（com.example.travel）")
    assert dropped["finder"] == "inline" and "inside the items record" in dropped["reason"]


def test_json_without_explain_has_no_explain_key(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, FIXTURES / "numbered_list.txt")
    assert "explain" not in data
