"""``sdkreg batch``: audit every item of a manifest on a Dask cluster, recording each once.

Dask is the optional ``batch`` extra: it is imported only here, inside the command, and a
missing install is an engine error (exit 7) that says what to install.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from sdkreg.audit import Severity
from sdkreg.cli import app
from sdkreg.cli.audit_cmd import DbOption, FailOn
from sdkreg.cli.batch_progress import ProgressBar
from sdkreg.cli.common import RegistryOption, open_registry
from sdkreg.cli.progress import wanted
from sdkreg.errors import EngineError, ExitCode, UsageError

if TYPE_CHECKING:
    from sdkreg.batch.engine import BatchSummary


@app.command("batch")
def batch_command(
    manifest: Annotated[Path, typer.Argument(
        help="A .csv or .jsonl of apk,policy[,package,version,labels] rows, or a directory of APKs "
             "with their policies beside them (app.apk + app.txt|.html|.htm|.md).")],
    db: DbOption = None,
    jsonl: Annotated[Path | None, typer.Option(
        "--jsonl", help="Write each item's verdict as one JSON line to FILE ('-': stdout).",
        dir_okay=False, show_default=False)] = None,
    registry: RegistryOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        help="An item fails when it has a finding at or above this severity.")] = FailOn.error,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of an existing Dask scheduler, e.g. tcp://HOST:8786 (default: a local "
             "cluster of worker processes).", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Worker processes of the local cluster (default: one per core).",
        show_default=False)] = None,
    max_in_flight: Annotated[int | None, typer.Option(
        min=1, help="Items scheduled at once (default: four per worker thread).",
        show_default=False)] = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Audit again the items recorded as failed (errors), not only the "
                               "missing and stale ones.")] = False,
    connect_timeout: Annotated[float, typer.Option(
        min=0.1, help="Seconds to wait for the cluster to answer.")] = 30.0,
) -> int:
    """Audit many APKs against their policies on Dask; every audit is recorded in the history.

    Resumable: an item already recorded with the same APK, policy and registry is not audited
    again. Exit 0 when every item passes, 1 when any fails or cannot be audited.
    """
    from sdkreg.batch.manifest import Manifest
    from sdkreg.store import HistoryStore

    if scheduler and workers:
        raise UsageError("--workers sizes the local cluster; it cannot be used with --scheduler")
    items = Manifest(manifest)
    total = items.count()  # reads and checks every row before any work starts
    reg = open_registry(registry)
    store = HistoryStore(db)
    try:
        from sdkreg.batch.engine import BatchRunner, Tally, connect
        from sdkreg.store.batch import BatchLedger
    except ImportError as exc:
        raise EngineError(f"sdkreg batch needs Dask: pip install 'sdkreg[batch]' ({exc})") from exc
    from sdkreg.report.batch import item_document, summary_lines

    threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    verdicts = _open_jsonl(jsonl)
    tally = Tally()
    progress: ProgressBar | None = None
    started = time.monotonic()
    try:
        with connect(scheduler, workers, connect_timeout) as client:
            runner = BatchRunner(client, BatchLedger(store), reg, fail_on=threshold,
                                 max_in_flight=max_in_flight, retry_failed=retry_failed)
            # Like the scan's status line: a terminal only, never in CI logs. Started once the
            # cluster is up, so that its rate and ETA are the audits'.
            if wanted(True):
                progress = ProgressBar(total, sys.stderr)
                progress.update(0)
            for outcome in runner.run(items):
                tally.add(outcome)
                if verdicts is not None:
                    verdicts.write(json.dumps(item_document(outcome), ensure_ascii=False) + "\n")
                    verdicts.flush()  # a stream: a reader (or a crash) sees every finished item
                if progress is not None:
                    progress.update(tally.items)
            peak = runner.peak_memory()
    finally:
        if progress is not None:
            progress.close()
        if verdicts is not None and verdicts is not sys.stdout:
            verdicts.close()
    summary = tally.summary()
    for line in summary_lines(summary, time.monotonic() - started, peak):
        typer.echo(line, err=True)
    typer.echo(f"recorded in {store.engine.url.render_as_string(hide_password=True)}", err=True)
    return _exit_code(summary)


def _open_jsonl(path: Path | None) -> TextIO | None:
    if path is None:
        return None
    if str(path) == "-":
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _exit_code(summary: BatchSummary) -> int:
    failed = sum(n for verdict, n in summary.verdicts if verdict != "pass")
    return int(ExitCode.FINDINGS if failed else ExitCode.OK)
