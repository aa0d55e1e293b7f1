"""The ``sdkreg`` command. The only place that prints, parses arguments and chooses exit codes.

Each command module registers its commands on ``app``; ``main`` maps every ``SdkregError`` to its
exit code (see ``sdkreg.errors.ExitCode``) with a one-line message, never a traceback.
"""

from __future__ import annotations

import os
import sys

import typer
from typer.exceptions import TyperException

from sdkreg.cli.common import LangOption
from sdkreg.errors import EXIT_CODE_TITLES, ExitCode, SdkregError
from sdkreg.i18n import Translator, lang_from_environment, parse_lang, translator
from sdkreg.safe_text import escape_unsafe

app = typer.Typer(
    name="sdkreg",
    help="Cross-check the third-party SDKs inside an APK against its privacy policy's SDK list.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(lang: LangOption = None) -> None:
    """Cross-check the third-party SDKs inside an APK against its privacy policy's SDK list."""
    # `sdkreg --lang zh-CN COMMAND` sets the language of every command (cli.common.language).


# Command modules attach themselves to ``app`` on import.
from sdkreg.cli import (  # noqa: E402
    audit_cmd,  # noqa: F401
    batch_cmd,  # noqa: F401
    disclose_cmd,  # noqa: F401
    policy_cmd,  # noqa: F401
    registry_cmd,  # noqa: F401
    scan_cmd,  # noqa: F401
    stats_cmd,  # noqa: F401
)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns (and exits with) the process exit code."""
    code = run(argv)
    sys.exit(code)


def run(argv: list[str] | None = None) -> int:
    tr = _error_language(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=argv, standalone_mode=False, prog_name="sdkreg")
    except SdkregError as error:
        _fail(str(error), tr, error.exit_code)
        return int(error.exit_code)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        _fail("aborted", tr)
        return 130
    except TyperException as exc:  # bad option or argument: typer shows usage and the problem
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            _fail(str(exc), tr, ExitCode.USAGE)
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", tr)
        return 130
    except Exception as exc:  # a bug: still one line, unless the user asks for the traceback
        if os.environ.get("SDKREG_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set SDKREG_DEBUG=1 for a traceback)", tr,
              ExitCode.INTERNAL)
        return int(ExitCode.INTERNAL)
    return int(result) if isinstance(result, int) else int(ExitCode.OK)


def _error_language(argv: list[str]) -> Translator:
    """The language of an error line. Read from the raw arguments, because an error may come
    before or while typer parses them; an unknown value falls back to the locale (typer then
    reports it)."""
    lang = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            lang = parse_lang(argv[index + 1]) or lang
        elif arg.startswith("--lang="):
            lang = parse_lang(arg.removeprefix("--lang=")) or lang
    return translator(lang or lang_from_environment())


def _fail(message: str, tr: Translator, code: ExitCode | None = None) -> None:
    # Messages quote untrusted names (zip entries, paths): no control character reaches the terminal.
    first_line = escape_unsafe(message.splitlines()[0]) if message else "error"
    if not tr.chinese:
        typer.echo(f"sdkreg: error: {first_line}", err=True)
        return
    # The detail is the English sentence the core raised (it names the file and the problem);
    # the headline says in the reader's language what kind of failure it is.
    title = tr.gettext(EXIT_CODE_TITLES[code]) if code is not None else tr.gettext("error")
    typer.echo(tr.gettext("sdkreg: error: {title} ({detail})").format(title=title, detail=first_line),
               err=True)
