"""``sdkreg stats``: corpus statistics over the audit history."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sdkreg.cli import app
from sdkreg.cli.audit_cmd import DbOption
from sdkreg.cli.common import DataFormat, OutputOption, emit
from sdkreg.errors import ExitCode


@app.command("stats")
def stats_command(
    db: DbOption = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="Report format.")] = DataFormat.text,
    output: OutputOption = None,
    registry_version: Annotated[str | None, typer.Option(
        help="Describe the audits under this registry version (default: the latest recorded).",
        show_default=False)] = None,
    compare: Annotated[str | None, typer.Option(
        help="Show the changes from this registry version (default: the one recorded before).",
        show_default=False)] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows in the text tables.")] = 10,
) -> int:
    """SDK prevalence, undisclosed rate per SDK, apps with the most findings, and what changed
    between registry versions, over every app in the audit history."""
    from sdkreg.report.stats import stats_document, stats_text
    from sdkreg.store import HistoryStore
    from sdkreg.store.stats import corpus_stats

    stats = corpus_stats(HistoryStore(db), registry_version, compare, top=top)
    if fmt is DataFormat.json:
        emit(json.dumps(stats_document(stats), ensure_ascii=False, indent=2), output)
    else:
        emit(stats_text(stats, top), output)
    return int(ExitCode.OK)
