"""Options and helpers shared by the command modules."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sdkreg.errors import UsageError
from sdkreg.registry import Registry, load_registry


class DataFormat(StrEnum):
    """Report formats of the commands that print data (`scan`, `policy`, `history`)."""

    text = "text"
    json = "json"


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Registry directory to use instead of the bundled one.",
        file_okay=False,
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE instead of stdout."),
]


def open_registry(path: Path | None) -> Registry:
    return load_registry(path)


def emit(text: str, output: Path | None) -> None:
    """Write a report: to ``output`` when given, else stdout. Always ends with a newline."""
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
