"""The CI integrations run the commands they claim: the GitHub Action's shell steps and the GitLab
template's script are executed here (with sdkreg from this checkout, against the demo sample and a
broken registry), and the pre-commit hook's entry validates a registry. Steps that only install
sdkreg or talk to GitHub (setup-python, pip, upload-sarif) are checked for shape, not run: tests
use no network."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REGISTRY_DIR, REPO, broken_registry

DEMO_APK = REPO / "samples" / "demo.apk"
DEMO_POLICY = REPO / "samples" / "demo-policy.txt"
FAMILY_POLICY = REPO / "tests" / "audit" / "policies" / "demo-family.txt"
BIN = Path(sys.executable).parent  # where this checkout's `sdkreg` console script lives


def load(path: str) -> Any:
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


def shell_env(tmp: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDKREG_", "GITHUB_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["SDKREG_CACHE_DIR"] = str(tmp / "cache")
    env.update(extra)
    return env


# ---------------------------------------------------------------- GitHub Action

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\||\(|\))|'([^']*)'|([A-Za-z_][\w.-]*))")


def evaluate(expression: str, context: dict[str, str]) -> str | bool:
    """The subset of GitHub's expression language action.yml uses: context values, string
    literals, ==, !=, &&, || and parentheses (compiled to Python over quoted values)."""
    python: list[str] = []
    position = 0
    while position < len(expression.rstrip()):
        match = _TOKEN.match(expression, position)
        assert match, f"unsupported expression: {expression[position:]!r}"
        operator, literal, name = match.groups()
        if operator:
            python.append({"&&": " and ", "||": " or "}.get(operator, f" {operator} "))
        elif literal is not None:
            python.append(repr(literal))
        else:
            assert name in context, f"unknown context value {name}"
            python.append(repr(context[name]))
        position = match.end()
    result = eval("".join(python), {"__builtins__": {}})  # only literals and operators above
    assert isinstance(result, str | bool)
    return result


def substitute(value: str, context: dict[str, str]) -> str:
    return _EXPRESSION.sub(lambda m: str(evaluate(m.group(1), context)), value)


def run_action(tmp: Path, inputs: dict[str, str]) -> tuple[dict[str, str], dict[str, int], dict[str, bool]]:
    """Run action.yml's shell steps in order the way the runner does: inputs with their defaults,
    env expressions evaluated, bash -e, outputs through $GITHUB_OUTPUT. Returns the audit step's
    outputs, each run step's exit code, and which `uses:` steps would run."""
    action = load("action.yml")
    context = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    context.update({f"inputs.{name}": value for name, value in inputs.items()})
    codes: dict[str, int] = {}
    used: dict[str, bool] = {}
    outputs: dict[str, str] = {}
    for step in action["runs"]["steps"]:
        step_id = step.get("id", step.get("uses", ""))
        condition = step.get("if")
        runs = True if condition is None else bool(evaluate(_EXPRESSION.sub(r"\1", condition), context))
        if "uses" in step:
            used[step_id] = runs
            continue
        if step_id == "install" or not runs:
            continue  # pip install from the network: not in tests (sdkreg is on PATH already)
        output_file = tmp / f"{step_id}.out"
        output_file.write_text("")
        env = shell_env(tmp, {k: substitute(str(v), context) for k, v in step.get("env", {}).items()})
        env.update(GITHUB_OUTPUT=str(output_file), RUNNER_TEMP=str(tmp), GITHUB_ACTION_PATH=str(REPO))
        done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
                              cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
        codes[step_id] = done.returncode
        for line in output_file.read_text().splitlines():
            key, _, value = line.partition("=")
            context[f"steps.{step_id}.outputs.{key}"] = value
            if step_id == "audit":
                outputs[key] = value
    return outputs, codes, used


def test_action_shape() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"apk", "policy", "fail-on", "registry", "sarif"} <= set(action["inputs"])
    assert action["inputs"]["apk"]["required"] and action["inputs"]["policy"]["required"]
    steps = action["runs"]["steps"]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif }}"
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach the shell as environment variables, never spliced into the script
            assert "${{" not in step["run"], step["id"]
    install = next(step for step in steps if step.get("id") == "install")
    assert '"${SDKREG_INSTALL:-$GITHUB_ACTION_PATH}"' in install["run"]


def test_action_fails_on_findings_after_uploading_the_sarif(tmp_path: Path) -> None:
    outputs, codes, used = run_action(tmp_path, {"apk": str(DEMO_APK), "policy": str(DEMO_POLICY)})
    assert outputs["exit-code"] == "1"
    assert used["upload"] is True and codes["gate"] == 1
    sarif = json.loads((tmp_path / "sdkreg.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    rules = {result["ruleId"] for result in sarif["runs"][0]["results"]}
    assert any("ndisclosed" in rule for rule in rules), rules


def test_action_passes_below_the_threshold(tmp_path: Path) -> None:
    outputs, codes, used = run_action(
        tmp_path, {"apk": str(DEMO_APK), "policy": str(DEMO_POLICY), "fail-on": "never",
                   "sarif": "reports/audit.sarif"})
    assert outputs["exit-code"] == "0" and codes["gate"] == 0 and used["upload"] is True
    assert not (tmp_path / "sdkreg.sarif").exists()
    assert json.loads((tmp_path / "reports" / "audit.sarif").read_text(encoding="utf-8"))["runs"]


def test_action_family_policy_passes(tmp_path: Path) -> None:
    outputs, codes, _ = run_action(tmp_path, {"apk": str(DEMO_APK), "policy": str(FAMILY_POLICY)})
    assert outputs["exit-code"] == "0" and codes["gate"] == 0


def test_action_with_a_broken_registry_fails_without_upload(tmp_path: Path) -> None:
    outputs, codes, used = run_action(
        tmp_path, {"apk": str(DEMO_APK), "policy": str(DEMO_POLICY),
                   "registry": str(broken_registry(tmp_path)), "upload-sarif": "true"})
    assert outputs["exit-code"] == "3" and codes["gate"] == 3 and used["upload"] is False


def test_action_does_not_upload_when_told_not_to(tmp_path: Path) -> None:
    _, codes, used = run_action(
        tmp_path, {"apk": str(DEMO_APK), "policy": str(DEMO_POLICY), "upload-sarif": "false"})
    assert used["upload"] is False and codes["gate"] == 1


def test_action_inputs_are_not_shell_code(tmp_path: Path) -> None:
    outputs, _, _ = run_action(tmp_path, {"apk": str(DEMO_APK), "policy": "$(touch pwned); `touch pwned2`"})
    assert outputs["exit-code"] == "10"  # a policy file of that odd name does not exist
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()


# ---------------------------------------------------------------- GitLab CI template


def run_gitlab(tmp: Path, variables: dict[str, str],
               part: str = "script") -> subprocess.CompletedProcess[str]:
    job = load("ci/gitlab/sdkreg.gitlab-ci.yml")[".sdkreg-audit"]
    env = shell_env(tmp, {**{k: str(v) for k, v in job["variables"].items()}, **variables})
    script = "\n".join(job[part])
    # python:3.11-slim runs the job with sh; POSIX sh (dash here) must be enough
    return subprocess.run(["sh", "-e", "-c", script], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=300)


def gitlab_artifact(tmp: Path, variables: dict[str, str]) -> Path:
    job = load("ci/gitlab/sdkreg.gitlab-ci.yml")[".sdkreg-audit"]
    assert job["artifacts"]["when"] == "always"  # the report is kept when the job fails
    values = {**job["variables"], **variables}
    (path,) = job["artifacts"]["paths"]
    return tmp / re.sub(r"\$(\w+)", lambda m: str(values[m.group(1)]), path)


def test_gitlab_job_fails_on_findings_and_keeps_the_sarif(tmp_path: Path) -> None:
    variables = {"SDKREG_APK": str(DEMO_APK), "SDKREG_POLICY": str(DEMO_POLICY)}
    done = run_gitlab(tmp_path, variables)
    assert done.returncode == 1, done.stderr
    assert "FAIL:" in done.stderr  # the one-line summary reaches the job log
    report = json.loads(gitlab_artifact(tmp_path, variables).read_text(encoding="utf-8"))
    assert report["version"] == "2.1.0" and report["runs"][0]["results"]


def test_gitlab_job_json_report_and_pass(tmp_path: Path) -> None:
    from sdkreg.schemas import validator

    variables = {"SDKREG_APK": str(DEMO_APK), "SDKREG_POLICY": str(DEMO_POLICY), "SDKREG_FAIL_ON": "never",
                 "SDKREG_FORMAT": "json", "SDKREG_REPORT": "sdkreg.json"}
    done = run_gitlab(tmp_path, variables)
    assert done.returncode == 0, done.stderr
    validator("audit").validate(json.loads(gitlab_artifact(tmp_path, variables).read_text(encoding="utf-8")))


def test_gitlab_job_with_a_broken_registry(tmp_path: Path) -> None:
    done = run_gitlab(tmp_path, {"SDKREG_APK": str(DEMO_APK), "SDKREG_POLICY": str(DEMO_POLICY),
                                 "SDKREG_REGISTRY": str(broken_registry(tmp_path))})
    assert done.returncode == 3 and done.stderr.startswith("sdkreg: error: "), done.stderr


def test_gitlab_job_says_how_to_install_sdkreg(tmp_path: Path) -> None:
    done = run_gitlab(tmp_path, {"SDKREG_INSTALL": ""}, part="before_script")
    assert done.returncode == 2 and "set SDKREG_INSTALL" in done.stderr


# ---------------------------------------------------------------- pre-commit hook


def hook() -> dict[str, Any]:
    hooks = load(".pre-commit-hooks.yaml")
    (found,) = [h for h in hooks if h["id"] == "sdkreg-registry-validate"]
    assert isinstance(found, dict)
    return found


def run_hook(cwd: Path, args: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    spec = hook()
    command = shlex.split(spec["entry"]) + (args if args is not None else spec.get("args", []))
    assert command[0] == "sdkreg"
    return subprocess.run([str(BIN / "sdkreg"), *command[1:]], cwd=cwd, env=shell_env(cwd, {}),
                          capture_output=True, text=True, timeout=300)


def test_pre_commit_hook_shape() -> None:
    spec = hook()
    assert spec["language"] == "python" and spec["pass_filenames"] is False
    # `language: python` pip-installs this repository: the entry's command is its console script
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^sdkreg = "sdkreg\.cli:main"$', pyproject, flags=re.MULTILINE)
    files = re.compile(spec["files"])
    assert files.search("registry/sdks/jpush.yaml") and files.search("registry/families.yaml")
    assert not files.search("sdkreg/cli/audit_cmd.py")


def test_pre_commit_hook_passes_on_a_valid_registry(tmp_path: Path) -> None:
    shutil.copytree(REGISTRY_DIR, tmp_path / "registry")
    done = run_hook(tmp_path)
    assert done.returncode == 0 and "ok: " in done.stderr, done.stderr


def test_pre_commit_hook_fails_on_a_broken_entry(tmp_path: Path) -> None:
    broken_registry(tmp_path)
    done = run_hook(tmp_path)
    assert done.returncode == 3 and "xiaomi-push.yaml" in done.stderr, done.stderr


def test_pre_commit_hook_args_point_at_another_layout(tmp_path: Path) -> None:
    shutil.copytree(REGISTRY_DIR, tmp_path / "company" / "sdk-registry")
    assert run_hook(tmp_path, ["company/sdk-registry"]).returncode == 0
    assert run_hook(tmp_path).returncode == 3  # no ./registry here: a clear error, not a pass


@pytest.mark.parametrize("path", ["action.yml", "ci/gitlab/sdkreg.gitlab-ci.yml", ".pre-commit-hooks.yaml"])
def test_readme_shows_each_integration(path: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## CI integrations", 1)[1].split("\n## ", 1)[0]
    assert path in section or Path(path).name in section
