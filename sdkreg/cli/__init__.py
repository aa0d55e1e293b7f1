"""The ``sdkreg`` command. The only place that prints, parses arguments and chooses exit codes.

Each command module registers its commands on ``app``; ``main`` maps every ``SdkregError`` to its
exit code (see ``sdkreg.errors.ExitCode``) with a one-line message, never a traceback.
"""

from __future__ import annotations

import os
import sys

import typer
from typer.exceptions import TyperException

from sdkreg.errors import ExitCode, SdkregError

app = typer.Typer(
    name="sdkreg",
    help="Cross-check the third-party SDKs inside an APK against its privacy policy's SDK list.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules attach themselves to ``app`` on import.
from sdkreg.cli import (  # noqa: E402
    audit_cmd,  # noqa: F401
    batch_cmd,  # noqa: F401
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
    try:
        result = app(args=argv, standalone_mode=False, prog_name="sdkreg")
    except SdkregError as error:
        _fail(str(error))
        return int(error.exit_code)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        _fail("aborted")
        return 130
    except TyperException as exc:  # bad option or argument: typer shows usage and the problem
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            _fail(str(exc))
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except Exception as exc:  # a bug: still one line, unless the user asks for the traceback
        if os.environ.get("SDKREG_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set SDKREG_DEBUG=1 for a traceback)")
        return int(ExitCode.INTERNAL)
    return int(result) if isinstance(result, int) else int(ExitCode.OK)


def _fail(message: str) -> None:
    first_line = message.splitlines()[0] if message else "error"
    typer.echo(f"sdkreg: error: {first_line}", err=True)
