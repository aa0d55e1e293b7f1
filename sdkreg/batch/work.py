"""What a Dask worker runs for ``sdkreg batch``: identify an item, then audit it.

The registry travels to each worker once, inside a ``WorkerPlugin``: Dask applies the plugin to
every worker of the cluster, including one that joins or is restarted later, and each task finds
the registry on its worker instead of loading (or receiving) it again. The plugin's name carries
the registry version, so batches with different registries can share one cluster.

Tasks never raise for a bad item: every ``SdkregError`` (and any other exception, which would be a
bug) comes back as an ``ItemError`` carrying the exit code ``sdkreg audit`` would give, so one
corrupt APK is one failed item and never a failed batch.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sys
from dataclasses import dataclass
from pathlib import Path

from distributed import Worker, WorkerPlugin, get_worker

from sdkreg.batch.manifest import POLICY_SUFFIXES, BatchItem
from sdkreg.errors import ExitCode, InputMissingError, SdkregError
from sdkreg.findings import Severity
from sdkreg.pipeline import run_audit
from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport
from sdkreg.store.batch import ItemError

_CHUNK = 1 << 20


def plugin_name(registry_version: str) -> str:
    return f"sdkreg-registry-{registry_version}"


class RegistryPlugin(WorkerPlugin):
    """Carries the client's registry to every worker, once."""

    # Registering the same registry version again (another batch, another client) is a no-op.
    idempotent = True

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.audits = 0  # audits this worker ran with this registry (tests and stats read it)

    def setup(self, worker: Worker) -> None:
        # Import the scanner now, so the first audit on a fresh worker is not the slow one.
        import sdkreg.apk  # noqa: F401


@dataclass(frozen=True)
class ItemIdentity:
    """The content hashes of an item's inputs; None for an input that cannot be read."""

    apk_sha256: str | None
    policy_sha256: str | None
    error: ItemError | None  # why an input cannot be read (the item fails without an audit)


@dataclass(frozen=True)
class ItemResult:
    report: AuditReport | None
    error: ItemError | None


def identify(item: BatchItem) -> ItemIdentity:
    """Hash both inputs (the batch key), reading each in blocks."""
    apk, apk_error = _hash(item.apk, "an APK")
    if item.policy is None:
        stem = os.path.splitext(item.apk)[0]
        tried = ", ".join(os.path.basename(stem) + s for s in POLICY_SUFFIXES)
        missing = InputMissingError(f"{item.apk}: no policy beside it (looked for {tried})")
        return ItemIdentity(apk, None, apk_error or _error(missing))
    policy, policy_error = _hash(item.policy, "a policy")
    return ItemIdentity(apk, policy, apk_error or policy_error)


def audit(item: BatchItem, registry_version: str, fail_on: Severity | None) -> ItemResult:
    """Audit one item exactly as ``sdkreg audit APK POLICY`` does, with the worker's registry."""
    plugin = get_worker().plugins.get(plugin_name(registry_version))
    if not isinstance(plugin, RegistryPlugin):
        # Not an item's fault: let the client see it as an engine failure.
        raise RuntimeError(f"registry {registry_version} is not loaded on this worker")
    plugin.audits += 1
    try:
        assert item.policy is not None  # identify() failed items without a policy
        report = run_audit(Path(item.apk), Path(item.policy), plugin.registry, fail_on=fail_on)
    except SdkregError as exc:
        return ItemResult(None, _error(exc))
    except Exception as exc:  # a bug in sdkreg on this input: record it, keep going
        return ItemResult(None, ItemError(type(exc).__name__, int(ExitCode.INTERNAL),
                                          f"internal error: {exc}"))
    return ItemResult(report, None)


def audits_run(registry_version: str, dask_worker: Worker) -> int:
    """How many audits this worker ran with a registry version (``client.run`` passes the worker
    as ``dask_worker``: it runs outside any task)."""
    plugin = dask_worker.plugins.get(plugin_name(registry_version))
    return plugin.audits if isinstance(plugin, RegistryPlugin) else 0


def peak_memory() -> int:
    """Peak resident memory of this process in bytes (run on each worker with ``client.run``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def tool_version() -> str:
    from sdkreg import __version__

    return __version__


def _hash(path: str, what: str) -> tuple[str | None, ItemError | None]:
    if os.path.isdir(path):
        return None, _error(InputMissingError(f"{path}: is a directory, not {what} file"))
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    except FileNotFoundError:
        return None, _error(InputMissingError(f"{path}: no such file"))
    except OSError as exc:
        return None, _error(InputMissingError(f"{path}: cannot read: {exc.strerror or exc}"))
    return digest.hexdigest(), None


def _error(exc: SdkregError) -> ItemError:
    return ItemError(type(exc).__name__, int(exc.exit_code), str(exc))
