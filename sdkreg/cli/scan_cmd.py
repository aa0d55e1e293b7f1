"""`sdkreg scan`: detect registry SDKs inside an APK (or a .apks/.xapk split container)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sdkreg.cli import app
from sdkreg.cli.common import DataFormat, OutputOption, RegistryOption, emit, open_registry
from sdkreg.errors import ExitCode


@app.command("scan")
def scan_command(
    apk: Annotated[
        Path,
        typer.Argument(help="The .apk, or a .apks/.xapk split container, to scan.", readable=False),
    ],
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="Report format.")] = (
        DataFormat.text
    ),
    output: OutputOption = None,
    registry: RegistryOption = None,
) -> int:
    """Report which registry SDKs an Android package contains, and the evidence for each."""
    # Imported here: androguard and the DEX reader are needed by this command only.
    from sdkreg.apk import scan_apk
    from sdkreg.report.scan_json import scan_document, scan_text

    reg = open_registry(registry)
    result = scan_apk(apk, reg)
    if fmt is DataFormat.json:
        text = json.dumps(scan_document(result), ensure_ascii=False, indent=2)
    else:
        text = scan_text(result)
    emit(text, output)
    return int(ExitCode.OK)
