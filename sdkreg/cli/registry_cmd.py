"""``sdkreg registry validate|list|show``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml

from sdkreg.cli import app
from sdkreg.cli.common import RegistryOption, emit, open_registry
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
    """Show one entry, or a family with its members."""
    reg = open_registry(registry)
    if sdk_id in reg.entries:
        data = entry_as_dict(reg.entries[sdk_id], full=True)
    elif sdk_id in reg.families:
        data = family_as_dict(reg.families[sdk_id])
    else:
        raise NotFoundError(f"no registry entry or family with id '{sdk_id}'")
    if fmt is ShowFormat.json:
        emit(json.dumps(data, ensure_ascii=False, indent=2), None)
    else:
        emit(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), None)
    return int(ExitCode.OK)
