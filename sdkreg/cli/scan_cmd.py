"""`sdkreg scan`: detect registry SDKs inside an APK (or a .apks/.xapk split container)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, assert_never

import typer

from sdkreg.cli import app
from sdkreg.cli.common import (
    LangOption,
    OutputOption,
    RegistryOption,
    ScanFormat,
    emit,
    language,
    open_registry,
)
from sdkreg.cli.progress import progress_for
from sdkreg.errors import ExitCode


@app.command("scan")
def scan_command(
    ctx: typer.Context,
    apk: Annotated[
        Path, typer.Argument(help="The .apk, or a .apks/.xapk split container, to scan.")
    ],
    fmt: Annotated[ScanFormat, typer.Option("--format", "-f", help="Report format.")] = (
        ScanFormat.text
    ),
    output: OutputOption = None,
    registry: RegistryOption = None,
    lang: LangOption = None,
) -> int:
    """Report which registry SDKs an Android package contains, and the evidence for each."""
    # Imported here: androguard and the DEX reader are needed by this command only.
    from sdkreg.apk import scan_apk
    from sdkreg.report.scan_json import scan_document, scan_text

    tr = language(lang, ctx)
    reg = open_registry(registry)
    with progress_for(fmt is not ScanFormat.json, tr) as progress:
        result = scan_apk(apk, reg, progress=progress)
    match fmt:
        case ScanFormat.json:
            text = json.dumps(scan_document(result), ensure_ascii=False, indent=2)
        case ScanFormat.html:
            from sdkreg.report.html import scan_html

            text = scan_html(result, reg, tr)
        case ScanFormat.text:
            text = scan_text(result, tr)
        case _:
            assert_never(fmt)
    emit(text, output)
    return int(ExitCode.OK)
