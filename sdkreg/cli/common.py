"""Options and helpers shared by the command modules."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sdkreg.errors import UsageError
from sdkreg.i18n import Translator, lang_from_environment, parse_lang, translator
from sdkreg.registry import Registry, load_registry


class DataFormat(StrEnum):
    """Report formats of the commands that print data (`scan`, `policy`, `history`)."""

    text = "text"
    json = "json"


class ScanFormat(StrEnum):
    """`sdkreg scan` formats: the data formats, and a page a person opens."""

    text = "text"
    json = "json"
    html = "html"


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Registry directory to use instead of the bundled one.",
        file_okay=False,
        show_default=False,
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help="Language of reports and messages: zh-CN or en. [default: from LC_ALL, LC_MESSAGES, LANG]",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE instead of stdout."),
]


def language(explicit: str | None, context: typer.Context | None = None) -> Translator:
    """The command's language: its own ``--lang``, else ``sdkreg --lang``, else the locale."""
    if explicit is None and context is not None:
        explicit = context.find_root().params.get("lang")
    if explicit is None:
        return translator(lang_from_environment())
    lang = parse_lang(explicit)
    if lang is None:
        raise UsageError(f"unknown language '{explicit}' for --lang (use zh-CN or en)")
    return translator(lang)


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


def emit_bytes(data: bytes, output: Path) -> None:
    """Write a binary report (a .docx) to ``output``."""
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
