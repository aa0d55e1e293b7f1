"""`sdkreg policy`: extract the SDK disclosures of a privacy policy."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sdkreg.cli import app
from sdkreg.cli.common import (
    DataFormat,
    LangOption,
    OutputOption,
    RegistryOption,
    emit,
    language,
    open_registry,
)
from sdkreg.errors import ExitCode


@app.command("policy")
def policy_command(
    ctx: typer.Context,
    policy: Annotated[
        str,
        typer.Argument(help="The privacy policy: a file (text in UTF-8/UTF-16/GBK, HTML, Markdown, "
                            ".docx, PDF) or an http(s):// URL."),
    ],
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="Report format.")] = (
        DataFormat.text
    ),
    output: OutputOption = None,
    registry: RegistryOption = None,
    lang: LangOption = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also show every candidate name: which layout proposed it, its role scores, "
            "and why it was kept or dropped.",
        ),
    ] = False,
) -> int:
    """List the third-party SDKs a privacy policy discloses, each resolved to a registry id."""
    from sdkreg.policy.load import load_policy
    from sdkreg.policy.report import policy_document
    from sdkreg.report.policy_text import explain_text, policy_text

    tr = language(lang, ctx)
    reg = open_registry(registry)
    result = load_policy(policy, reg, explain=explain)
    if fmt is DataFormat.json:
        text = json.dumps(policy_document(result, reg.version), ensure_ascii=False, indent=2)
    else:
        text = policy_text(result, tr) + ("\n" + explain_text(result, tr) if explain else "")
    emit(text, output)
    return int(ExitCode.OK)
