"""``sdkreg audit``, ``sdkreg history`` and ``sdkreg diff``.

The scanner (androguard) and the history store (SQLAlchemy, Alembic) are imported inside the
commands that use them, so that every other command starts fast.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    stdout_is_terminal,
)
from sdkreg.cli.progress import progress_for
from sdkreg.errors import ConfigError, ExitCode
from sdkreg.findings import Severity
from sdkreg.report import ReportFormat, render
from sdkreg.suppress import baseline_document, find_config, load_config, read_baseline

if TYPE_CHECKING:
    from sdkreg.store import AuditSummary


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


DB_ENV = "SDKREG_DB"
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        help="SQLAlchemy URL of the audit history (default: $SDKREG_DB, else SQLite in the user "
        "data directory).",
        show_default=False,
    ),
]
# `audit` writes only when asked: --record, or --db given on the command line. $SDKREG_DB only
# says where --record writes, so it is read by hand rather than as the option's envvar.
RecordDbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Record this audit in the history database at this SQLAlchemy URL (implies --record).",
        show_default=False,
    ),
]


@app.command("audit")
def audit_command(
    ctx: typer.Context,
    apk: Annotated[Path, typer.Argument(help="The .apk (or .apks/.xapk) to audit.", readable=False)],
    policy: Annotated[str, typer.Argument(
        help="The privacy policy: a file (text, HTML, Markdown, .docx, PDF) or an http(s):// URL.")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    output: OutputOption = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Exit 1 when a finding is at or above this severity. [default: error]",
                     show_default=False),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Waiver config (default: ./sdkreg.toml or [tool.sdkreg] in ./pyproject.toml).",
                     readable=False, show_default=False),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Only findings not in this baseline count.", readable=False)
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(help="Write every current finding to this baseline file.", readable=False),
    ] = None,
    registry: RegistryOption = None,
    record: Annotated[
        bool, typer.Option("--record", help="Record this audit in the history database.")
    ] = False,
    db: RecordDbOption = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour (default: on a terminal).")
    ] = None,
    lang: LangOption = None,
) -> int:
    """Cross-check an APK against its privacy policy and gate the release on the findings."""
    from sdkreg.pipeline import run_audit

    tr = language(lang, ctx)
    if config is not None and not config.is_file():
        what = "is not a file" if config.exists() else "not found"
        raise ConfigError(f"config file {config} {what}")
    settings = load_config(config or find_config(Path.cwd()))
    threshold: Severity | None
    if fail_on is None:
        threshold = settings.fail_on or Severity.ERROR
    else:
        threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    known = read_baseline(baseline) if baseline else frozenset()
    reg = open_registry(registry)
    human = fmt in (ReportFormat.text, ReportFormat.markdown, ReportFormat.html)
    with progress_for(human, tr) as progress:
        report = run_audit(apk, policy, reg, waivers=settings.waivers, baseline=known, fail_on=threshold,
                           progress=progress)
    if write_baseline is not None:
        everything = [*report.findings, *(s.finding for s in report.suppressed)]
        emit(json.dumps(baseline_document(everything), ensure_ascii=False, indent=2), write_baseline)
        typer.echo(tr.gettext("wrote {count} finding(s) to baseline {path}").format(
            count=len(everything), path=write_baseline), err=True)
    if record or db is not None:
        # SQLAlchemy and Alembic are imported only by an audit that records.
        from sdkreg.store import HistoryStore

        audit_id = HistoryStore(db or os.environ.get(DB_ENV) or None).record(report)
        typer.echo(tr.gettext("recorded as audit #{id}").format(id=audit_id), err=True)
    use_color = color if color is not None else (output is None and stdout_is_terminal())
    emit(render(report, fmt, color=use_color and fmt is ReportFormat.text, tr=tr), output)
    if fmt is not ReportFormat.text or output is not None:
        # Machine formats keep stdout clean; the verdict still reaches a human on stderr.
        typer.echo(report.summary_line(tr), err=True)
    if write_baseline is not None:
        return int(ExitCode.OK)
    return int(ExitCode.OK if report.passed else ExitCode.FINDINGS)


@app.command("history")
def history_command(
    ctx: typer.Context,
    package: Annotated[str, typer.Argument(help="Application package name.")],
    db: DbOption = None,
    fmt: Annotated[DataFormat, typer.Option("--format", help="Report format.")] = DataFormat.text,
    lang: LangOption = None,
) -> int:
    """List the recorded audits of an app, oldest first."""
    from sdkreg.report.text import pad
    from sdkreg.store import HistoryStore

    tr = language(lang, ctx)
    _ = tr.gettext
    audits = HistoryStore(db, create=False).history(package)
    if fmt is DataFormat.json:
        emit(json.dumps([
            {"id": a.id, "created_at": a.created_at.isoformat(), "version_name": a.version_name,
             "version_code": a.version_code, "apk_sha256": a.apk_sha256,
             "registry_version": a.registry_version, "passed": a.passed,
             "errors": a.errors, "warnings": a.warnings, "infos": a.infos, "sdks": list(a.sdks)}
            for a in audits
        ], ensure_ascii=False, indent=2), None)
        return int(ExitCode.OK)
    if not audits:
        typer.echo(_("no recorded audits of {package}").format(package=package), err=True)
        return int(ExitCode.OK)
    header = [("#", 5), (_("DATE"), 17), (_("VERSION"), 14), (_("APK"), 13), (_("REGISTRY"), 13),
              (_("VERDICT"), 8), (_("E/W/I"), 8), (_("SDKS"), 0)]
    lines = [" ".join(pad(title, width) for title, width in header)]
    for a in audits:
        version = f"{a.version_name or '-'} ({a.version_code or '-'})"
        verdict = pad(_("pass") if a.passed else _("FAIL"), 7)
        lines.append(
            f"{a.id:<5} {a.created_at:%Y-%m-%d %H:%M}  {version:<14} {a.apk_sha256[:12]}  "
            f"{a.registry_version:<12}  {verdict}  "
            f"{a.errors}/{a.warnings}/{a.infos:<4}  {len(a.sdks)}"
        )
    emit("\n".join(lines), None)
    return int(ExitCode.OK)


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    package: Annotated[str, typer.Argument(help="Application package name.")],
    before: Annotated[
        str | None, typer.Option("--from", help="Audit id (#N) or version; default: second latest.")
    ] = None,
    after: Annotated[
        str | None, typer.Option("--to", help="Audit id (#N) or version; default: latest.")
    ] = None,
    db: DbOption = None,
    lang: LangOption = None,
) -> int:
    """Show SDKs added and removed between two recorded builds of an app."""
    from sdkreg.store import HistoryStore

    tr = language(lang, ctx)
    change = HistoryStore(db, create=False).diff(package, before, after)

    def label(a: AuditSummary) -> str:
        return f"#{a.id} {a.version_name or '-'} ({a.version_code or '-'})"

    lines = [f"{package}: {label(change.before)} → {label(change.after)}"]
    lines += [f"+ {sdk}" for sdk in change.added]
    lines += [f"- {sdk}" for sdk in change.removed]
    if not change.added and not change.removed:
        lines.append(tr.gettext("no SDKs added or removed"))
    if change.disclosure_added or change.disclosure_removed:
        lines.append(tr.gettext("policy disclosures:"))
        lines += [f"  + {sdk}" for sdk in change.disclosure_added]
        lines += [f"  - {sdk}" for sdk in change.disclosure_removed]
    emit("\n".join(lines), None)
    return int(ExitCode.OK)
