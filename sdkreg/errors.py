"""Every error the core can raise, each carrying the exit code the CLI turns it into.

Exit codes are a public API (see the table in README.md). This module is the one place
that defines them; the CLI maps an ``SdkregError`` to ``error.exit_code`` and nothing else.
Ranges are reserved so new codes never renumber old ones:
0-9 general, 10-19 APK/container input, 20-29 policy input.
"""

from __future__ import annotations

from enum import IntEnum

from sdkreg.i18n import N_


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # findings at or above --fail-on
    USAGE = 2  # bad arguments (typer/click also uses 2)
    REGISTRY_INVALID = 3  # registry cannot be loaded, or `registry validate` found errors
    CONFIG_INVALID = 4  # sdkreg.toml / baseline file unreadable or malformed
    STORAGE_FAILED = 5  # audit-history database unreachable or broken
    NOT_FOUND = 6  # a named record (registry id, recorded audit) does not exist
    ENGINE_FAILED = 7  # `batch`: Dask missing, its scheduler unreachable, or the cluster lost
    INPUT_MISSING = 10  # input path missing, or a directory, or unreadable
    APK_NOT_ZIP = 11  # not a zip container at all (not an APK)
    APK_CORRUPT = 12  # truncated or damaged zip
    APK_TOO_LARGE = 13  # exceeds decompression limits (zip bomb)
    APK_NO_MANIFEST = 14  # zip without a (readable) AndroidManifest.xml
    APK_BAD_DEX = 15  # a classes*.dex that cannot be read
    APK_ENCRYPTED = 16  # encrypted zip entries
    POLICY_EMPTY = 20  # empty or whitespace-only policy
    POLICY_BINARY = 21  # binary / unsupported document format
    POLICY_UNDECODABLE = 22  # text in no encoding we can identify
    POLICY_URL_FAILED = 23  # policy URL unreachable, timed out, too many redirects, or HTTP error
    POLICY_NO_TEXT_LAYER = 24  # a PDF without a text layer (a scan): nothing to read without OCR
    INTERNAL = 70  # a bug in sdkreg (EX_SOFTWARE); please report it


# What each exit code means, as README's table says it: the headline of the CLI's translated error
# line (kept beside the codes, so a new code gets its headline here; tests/test_i18n.py checks).
EXIT_CODE_TITLES: dict[ExitCode, str] = {
    ExitCode.OK: N_("success"),
    ExitCode.FINDINGS: N_("findings at or above --fail-on"),
    ExitCode.USAGE: N_("usage error (bad option or argument)"),
    ExitCode.REGISTRY_INVALID: N_("registry invalid"),
    ExitCode.CONFIG_INVALID: N_("config or baseline file invalid"),
    ExitCode.STORAGE_FAILED: N_("audit-history database unreachable or broken"),
    ExitCode.NOT_FOUND: N_("a named record does not exist"),
    ExitCode.ENGINE_FAILED: N_("batch engine (Dask) missing, unreachable or lost"),
    ExitCode.INPUT_MISSING: N_("input path missing, a directory, or unreadable"),
    ExitCode.APK_NOT_ZIP: N_("not a zip container (not an APK)"),
    ExitCode.APK_CORRUPT: N_("truncated or corrupt zip"),
    ExitCode.APK_TOO_LARGE: N_("exceeds decompression limits (zip bomb)"),
    ExitCode.APK_NO_MANIFEST: N_("no (readable) AndroidManifest.xml"),
    ExitCode.APK_BAD_DEX: N_("a classes*.dex that cannot be read"),
    ExitCode.APK_ENCRYPTED: N_("encrypted zip entries"),
    ExitCode.POLICY_EMPTY: N_("policy is empty"),
    ExitCode.POLICY_BINARY: N_("policy is binary or an unsupported format"),
    ExitCode.POLICY_UNDECODABLE: N_("policy text in no encoding we can identify"),
    ExitCode.POLICY_URL_FAILED: N_("policy URL unreachable, timed out, or an HTTP error"),
    ExitCode.POLICY_NO_TEXT_LAYER: N_("a PDF policy without a text layer (a scan)"),
    ExitCode.INTERNAL: N_("internal error (a bug: please report it)"),
}


def first_line(exc: BaseException) -> str:
    """The first line of a third-party exception's message (its class name when it has none):
    what a one-line error quotes of a library's failure."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class SdkregError(Exception):
    """Base class: a one-line, user-facing message plus an exit code."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(SdkregError):
    exit_code = ExitCode.USAGE


class RegistryError(SdkregError):
    exit_code = ExitCode.REGISTRY_INVALID


class ConfigError(SdkregError):
    exit_code = ExitCode.CONFIG_INVALID


class StorageError(SdkregError):
    exit_code = ExitCode.STORAGE_FAILED


class NotFoundError(SdkregError):
    exit_code = ExitCode.NOT_FOUND


class EngineError(SdkregError):
    exit_code = ExitCode.ENGINE_FAILED


class InputMissingError(SdkregError):
    exit_code = ExitCode.INPUT_MISSING


class ApkNotZipError(SdkregError):
    exit_code = ExitCode.APK_NOT_ZIP


class ApkCorruptError(SdkregError):
    exit_code = ExitCode.APK_CORRUPT


class ApkTooLargeError(SdkregError):
    exit_code = ExitCode.APK_TOO_LARGE


class ApkNoManifestError(SdkregError):
    exit_code = ExitCode.APK_NO_MANIFEST


class ApkBadDexError(SdkregError):
    exit_code = ExitCode.APK_BAD_DEX


class ApkEncryptedError(SdkregError):
    exit_code = ExitCode.APK_ENCRYPTED


class PolicyEmptyError(SdkregError):
    exit_code = ExitCode.POLICY_EMPTY


class PolicyBinaryError(SdkregError):
    exit_code = ExitCode.POLICY_BINARY


class PolicyUndecodableError(SdkregError):
    exit_code = ExitCode.POLICY_UNDECODABLE


class PolicyUrlError(SdkregError):
    """The policy (or the SDK list it links to) could not be fetched from the URL given."""

    exit_code = ExitCode.POLICY_URL_FAILED


class PolicyNoTextLayerError(SdkregError):
    """A PDF whose pages carry no text, only images: reading it would need OCR, and an empty
    disclosure list would wrongly report every SDK as undisclosed."""

    exit_code = ExitCode.POLICY_NO_TEXT_LAYER
