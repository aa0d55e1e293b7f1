"""Options and helpers shared by the command modules."""

from __future__ import annotations

import os
import secrets
import stat
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
        readable=False,
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
    typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.", readable=False),
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
    # Encoded before the file is touched: a failure leaves it as it was.
    emit_bytes(text.encode("utf-8"), output)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: into a new file beside it, then renamed over it,
    so a reader (or a failure half-way) never sees a truncated report. A path that is not a
    regular file (``/dev/stdout``, a pipe) is written directly; a symlink's target is replaced."""
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with path.open("wb") as handle:
            handle.write(data)
        return
    target = path.resolve() if path.is_symlink() else path
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    # The new file gets the old one's permissions, or the usual ones under the user's umask.
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if info is not None:
            os.chmod(temporary, mode)  # O_CREAT's mode was reduced by the umask
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def emit_bytes(data: bytes, output: Path) -> None:
    """Write a report's bytes (a .docx, or ``emit``'s encoded text) to ``output``."""
    try:
        replace_file(output, data)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
