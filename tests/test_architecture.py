"""Data flows one way, checked on the source (the AST of every module, imports inside functions
and under TYPE_CHECKING included): readers produce evidence and never import the matcher or the
audit; the registry depends on neither the matcher nor the policy reader; only the CLI parses
arguments, prints and exits; ``sdkreg.pipeline`` composes read → evidence → match → audit."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "sdkreg"

# module prefix → module prefixes it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "sdkreg.apk": ("sdkreg.match", "sdkreg.detection", "sdkreg.audit", "sdkreg.policy", "sdkreg.report",
                   "sdkreg.store", "sdkreg.pipeline", "sdkreg.curation", "sdkreg.suppress",
                   "sdkreg.registry.registry", "sdkreg.registry.lint", "sdkreg.registry.load"),
    "sdkreg.registry": ("sdkreg.match", "sdkreg.policy", "sdkreg.apk", "sdkreg.detection", "sdkreg.audit",
                        "sdkreg.report", "sdkreg.store", "sdkreg.pipeline", "sdkreg.curation"),
    "sdkreg.policy": ("sdkreg.match", "sdkreg.apk", "sdkreg.detection", "sdkreg.audit", "sdkreg.report",
                      "sdkreg.store", "sdkreg.pipeline", "sdkreg.curation"),
    "sdkreg.match": ("sdkreg.policy", "sdkreg.audit", "sdkreg.report", "sdkreg.store", "sdkreg.pipeline"),
    "sdkreg.audit": ("sdkreg.apk.container", "sdkreg.apk.dex", "sdkreg.apk.manifest", "sdkreg.match",
                     "sdkreg.policy.read", "sdkreg.policy.extract", "sdkreg.report", "sdkreg.store",
                     "sdkreg.pipeline"),
    "sdkreg.report": ("sdkreg.pipeline", "sdkreg.match", "sqlalchemy", "alembic"),
    "sdkreg.store": ("sdkreg.pipeline", "sdkreg.match", "sdkreg.apk", "sdkreg.policy"),
}
CLI = ("sdkreg.cli", "sdkreg.__main__")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imports(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from x import submodule`
    return found


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


MODULES = list(modules())


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_imports_flow_one_way(name: str, path: Path) -> None:
    found = imports(name, path)
    for prefix, forbidden in FORBIDDEN.items():
        if _under(name, prefix):
            bad = sorted(m for m in found for f in forbidden if _under(m, f))
            assert not bad, f"{name} imports {bad}"
    if not any(_under(name, cli) for cli in CLI):
        assert not any(_under(m, "sdkreg.cli") or _under(m, "typer") or _under(m, "click") for m in found), (
            f"{name}: only the CLI parses arguments"
        )


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_only_the_cli_prints_and_exits(name: str, path: Path) -> None:
    if any(_under(name, cli) for cli in CLI):
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            function = node.func
            called = function.id if isinstance(function, ast.Name) else (
                f"{getattr(function.value, 'id', '')}.{function.attr}" if isinstance(function, ast.Attribute)
                else "")
            assert called not in ("print", "sys.exit", "exit", "quit"), f"{name}:{node.lineno} calls {called}"


def test_the_pipeline_composes_readers_matcher_and_audit() -> None:
    found = imports("sdkreg.pipeline", PACKAGE / "pipeline.py")
    for needed in ("sdkreg.apk", "sdkreg.match", "sdkreg.policy.load", "sdkreg.audit", "sdkreg.suppress"):
        assert any(_under(m, needed) for m in found), needed
    for command in ("scan_cmd", "policy_cmd", "audit_cmd"):
        assert "sdkreg.pipeline" in imports(f"sdkreg.cli.{command}", PACKAGE / "cli" / f"{command}.py")
