"""``sdkreg registry validate|list|show|coverage|import-libchecker|diff``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml

from sdkreg.cli import app
from sdkreg.cli.common import DataFormat, OutputOption, RegistryOption, emit, open_registry
from sdkreg.errors import ExitCode, NotFoundError
from sdkreg.registry import default_registry_dir, registry_from_lint
from sdkreg.registry.load import require_dir
from sdkreg.registry.view import data_list_summary, entry_as_dict, family_as_dict, registry_table

registry_app = typer.Typer(help="Inspect and validate the SDK registry.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@registry_app.command("validate")
def validate(
    directory: Annotated[
        Path | None, typer.Argument(help="Registry directory (default: the bundled registry).")
    ] = None,
) -> int:
    """Check every entry: schema, ids, aliases, signatures, vocabulary, URLs, and examples."""
    from sdkreg.registry.lint import lint_registry  # jsonschema: only `validate` pays its import

    root = require_dir((directory or default_registry_dir()).resolve())
    result = lint_registry(root)
    problems = list(result.problems)
    if not problems:
        # imported here: the examples run the APK and policy matchers, which `list`/`show` need not load
        from sdkreg.registry.examples import check_examples

        problems += check_examples(registry_from_lint(root, result))
    for problem in (*problems, *result.warnings):
        typer.echo(problem.render(root), err=True)
    entries = len(result.entries)
    typer.echo(data_list_summary(result.entries), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {root} ({entries} entries)", err=True)
        return int(ExitCode.REGISTRY_INVALID)
    warned = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    typer.echo(f"ok: {entries} entries, {len(result.families_data)} families, "
               f"{len(result.data_types_data)} data types in {root}{warned}", err=True)
    return int(ExitCode.OK)


@registry_app.command("list")
def list_entries(
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    family: Annotated[str | None, typer.Option(help="Only members of this family.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
    registry: RegistryOption = None,
) -> int:
    """List registry entries."""
    reg = open_registry(registry)
    entries = [
        e for e in reg.entries.values()
        if (category is None or e.category == category) and (family is None or e.family == family)
    ]
    if fmt is ListFormat.json:
        emit(json.dumps([entry_as_dict(e) for e in entries], ensure_ascii=False, indent=2), None)
    else:
        emit(registry_table(entries), None)
    return int(ExitCode.OK)


@registry_app.command("show")
def show(
    sdk_id: Annotated[str, typer.Argument(metavar="ID", help="Product or family id.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", help="yaml or json.")] = ShowFormat.yaml,
    registry: RegistryOption = None,
) -> int:
    """Show one entry (with what it bundles and what bundles it), or a family with its members."""
    reg = open_registry(registry)
    if sdk_id in reg.entries:
        data = entry_as_dict(reg.entries[sdk_id], full=True, bundled_by=reg.bundled_by(sdk_id))
    elif sdk_id in reg.families:
        data = family_as_dict(reg.families[sdk_id])
    else:
        raise NotFoundError(f"no registry entry or family with id '{sdk_id}'")
    if fmt is ShowFormat.json:
        emit(json.dumps(data, ensure_ascii=False, indent=2), None)
    else:
        emit(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), None)
    return int(ExitCode.OK)


def _reference_dir(registry: Path | None) -> Path:
    """The reference data beside the registry in use (the bundled one when it has none)."""
    from sdkreg.registry.reference import REFERENCE_DIR

    if registry is not None and (registry / REFERENCE_DIR).is_dir():
        return registry / REFERENCE_DIR
    return default_registry_dir() / REFERENCE_DIR


@registry_app.command("coverage")
def coverage(
    reference: Annotated[
        Path | None,
        typer.Option(help="Reference index (default: registry/reference/libchecker-cn.yaml).",
                     show_default=False),
    ] = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="text or json.")] = DataFormat.text,
    output: OutputOption = None,
    registry: RegistryOption = None,
) -> int:
    """How many of the reference rule set's Chinese-vendor products and rules the registry covers."""
    from sdkreg.registry.coverage import measure, read_exclusions
    from sdkreg.registry.reference import EXCLUSIONS_FILE, INDEX_FILE, read_index
    from sdkreg.report.coverage import coverage_document, coverage_text

    reg = open_registry(registry)
    index_path = reference or _reference_dir(registry) / INDEX_FILE
    report = measure(reg, read_index(index_path), read_exclusions(index_path.parent / EXCLUSIONS_FILE))
    if fmt is DataFormat.json:
        emit(json.dumps(coverage_document(report), ensure_ascii=False, indent=2), output)
    else:
        emit(coverage_text(report), output)
    return int(ExitCode.OK)


@registry_app.command("import-libchecker")
def import_libchecker(
    checkout: Annotated[
        Path, typer.Argument(metavar="LIBCHECKER_DIR", help="A LibChecker-Rules checkout.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for the draft entries.")],
    index_out: Annotated[
        Path | None,
        typer.Option("--index-out", help="Also write the reference index (for `registry coverage`).",
                     show_default=False),
    ] = None,
    snapshot: Annotated[
        str | None,
        typer.Option(help="Snapshot id for the index (default: the checkout's git commit).",
                     show_default=False),
    ] = None,
    registry: RegistryOption = None,
) -> int:
    """Draft entries for LibChecker products the registry lacks; list unclaimed signals of the rest."""
    from sdkreg.registry.drafts import import_checkout, write_drafts
    from sdkreg.registry.reference import write_index
    from sdkreg.report.coverage import import_text

    result = import_checkout(checkout, open_registry(registry), _reference_dir(registry), snapshot)
    write_drafts(result.drafts, out)
    if index_out is not None:
        write_index(result.index, index_out)
    emit(import_text(result.coverage, result.drafts, str(out), result.carried_gaps, result.warnings,
                     str(index_out) if index_out else None), None)
    return int(ExitCode.OK)


@registry_app.command("diff")
def diff(
    base: Annotated[Path, typer.Argument(metavar="BASE_DIR", help="The registry before the change.")],
    head: Annotated[
        Path | None,
        typer.Argument(metavar="[HEAD_DIR]", help="The registry after it (default: the bundled one).",
                       show_default=False),
    ] = None,
    apks: Annotated[
        Path | None,
        typer.Option(help="Directory of APKs (.apk/.apks/.xapk) whose detections to compare.",
                     file_okay=False, show_default=False),
    ] = None,
    policies: Annotated[
        Path | None,
        typer.Option(help="Directory of privacy policies whose resolutions to compare.",
                     file_okay=False, show_default=False),
    ] = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="text or json.")] = DataFormat.text,
    output: OutputOption = None,
) -> int:
    """What a registry change does: entries changed, collisions introduced, detections and policy
    resolutions that change across a corpus. Exit 3 when the head registry is invalid."""
    from sdkreg.errors import InputMissingError
    from sdkreg.registry.diff import APK_SUFFIXES, POLICY_SUFFIXES, corpus_files, diff_registries
    from sdkreg.report.registry_diff import diff_document, diff_text

    for directory in (apks, policies):
        if directory is not None and not directory.is_dir():
            raise InputMissingError(f"corpus directory not found: {directory}")
    result = diff_registries(
        base, head or default_registry_dir(),
        corpus_files(apks, APK_SUFFIXES), corpus_files(policies, POLICY_SUFFIXES),
    )
    if fmt is DataFormat.json:
        emit(json.dumps(diff_document(result), ensure_ascii=False, indent=2), output)
    else:
        emit(diff_text(result), output)
    return int(ExitCode.OK if result.head_valid else ExitCode.REGISTRY_INVALID)
