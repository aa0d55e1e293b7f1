"""How long loading (and fully checking) the registry takes at 110 entries (the registry's size when
issue 9 was filed: a self-contained subset of the shipped entries), at the shipped size, at >= 300
(synthetic clones, where issue 9 takes it) and at about 1,000 entries.

Cold = parse + full lint (JSON Schema, cross-checks) on a cache miss; warm = served from the cache.
Baseline in the same run: only parsing the same YAML files with libyaml. Load time must stay flat
per entry as the registry grows: the last table prints µs/entry per size and its ratio to the
110-entry registry's. Prints figures; asserts nothing (machines are noisy: compare the ratios).

    .venv/bin/python benchmarks/bench_registry.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from sdkreg.registry import load_registry
from sdkreg.registry.load import entry_paths

REGISTRY = Path(__file__).resolve().parents[1] / "registry"


def best_of(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def subset(root: Path, size: int) -> Path:
    """A valid registry of ``size`` shipped entries: entries are taken in id order together with
    every entry they refer to (family, bundles, via, shared_with), families without members dropped."""
    target = root / "registry"
    shutil.copytree(REGISTRY, target)
    data = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in entry_paths(target)}

    def refs(entry: dict[str, object]) -> set[str]:
        found = set(entry.get("bundles") or ())  # type: ignore[arg-type]
        for values in (entry.get("detect") or {}).values():  # type: ignore[union-attr]
            for value in values:
                if isinstance(value, dict):
                    found |= {value["via"]} if value.get("via") else set()
                    found |= set(value.get("shared_with") or ())
        return found

    kept: set[str] = set()
    for sdk_id in sorted(data):
        closure, todo = set(), [sdk_id]
        while todo:
            current = todo.pop()
            if current not in closure and current in data:
                closure.add(current)
                todo += sorted(refs(data[current]))
        if len(kept | closure) <= size:
            kept |= closure
        if len(kept) == size:
            break
    for sdk_id in set(data) - kept:
        (target / "sdks" / f"{sdk_id}.yaml").unlink()
    families_path = target / "families.yaml"
    families = yaml.safe_load(families_path.read_text(encoding="utf-8"))
    used = {data[k].get("family") for k in kept}
    families["families"] = [f for f in families["families"] if f["id"] in used]
    families_path.write_text(yaml.safe_dump(families, allow_unicode=True), encoding="utf-8")
    return target


def synthetic(root: Path, copies: int) -> Path:
    """A registry with ``copies`` renamed clones of every shipped entry (unique ids, aliases,
    signatures), so checks scale like a real registry of that size."""
    target = root / "registry"
    shutil.copytree(REGISTRY, target)
    originals = entry_paths(target)
    for n in range(1, copies):
        for path in originals:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            new_id = f"{data['id']}-c{n}"
            data["id"] = new_id
            data.pop("family", None)
            data["name"] = f"{data['name']} c{n}"
            data.pop("name_zh", None)
            data["aliases"] = [f"{a} c{n}" for a in data.get("aliases", [])]
            for key, values in data["detect"].items():
                data["detect"][key] = [_renamed(v, n) for v in values]
            for key in ("classes", "not_classes", "components", "native_libs", "meta_data"):
                data["examples"].pop(key, None)
            packages = data["detect"].get("packages")
            if packages:
                data["examples"]["classes"] = [f"{_value(packages[0])}.Example"]
            else:
                # the first kind of signature the entry has, as the example of that kind
                kind, values = next(iter(data["detect"].items()))
                key = {"native_libs": "native_libs", "meta_data": "meta_data"}.get(kind, "components")
                data["examples"][key] = [_value(values[0]).rsplit("/", 1)[-1]]
            data["examples"]["policy"] = data["aliases"][:1] or [data["name"]]
            (target / "sdks" / f"{new_id}.yaml").write_text(
                yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
            )
    return target


def _value(signature: str | dict[str, object]) -> str:
    return signature if isinstance(signature, str) else str(signature["value"])


def _renamed(signature: str | dict[str, object], n: int) -> str | dict[str, object]:
    value = f"{_value(signature)}.c{n}".replace(".so.c", "_c")
    if isinstance(signature, str):
        return value
    renamed: dict[str, object] = {"value": value}
    if signature.get("via"):
        renamed["via"] = f"{signature['via']}-c{n}"
    if signature.get("shared_with"):
        renamed["shared_with"] = [f"{other}-c{n}" for other in signature["shared_with"]]  # type: ignore[attr-defined]
    return renamed


def parse_only(root: Path) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in entry_paths(root):
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def report(label: str, root: Path, count: int, runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SDKREG_CACHE_DIR"] = cache
        t_cold = best_of(lambda: load_registry(root, use_cache=False), runs=runs)
        load_registry(root)  # fills the cache
        t_warm = best_of(lambda: load_registry(root), runs=runs)
    t_parse = best_of(lambda: parse_only(root), runs=runs)
    print(f"{label}: {count} entries")
    print(f"  yaml parse only (baseline): {t_parse * 1000:8.1f} ms")
    print(f"  load + full check (cold):   {t_cold * 1000:8.1f} ms  {t_cold / t_parse:5.1f}x baseline  "
          f"{t_cold / count * 1e6:5.0f} µs/entry")
    print(f"  load from cache (warm):     {t_warm * 1000:8.1f} ms  {t_warm / t_parse:5.2f}x baseline  "
          f"{t_warm / count * 1e6:5.0f} µs/entry")
    return t_cold / count, t_warm / count


def main() -> int:
    shipped = len(entry_paths(REGISTRY))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        small = subset(Path(tmp), 110)
        count = len(entry_paths(small))
        rows.append((count, *report("issue 9's size (subset of the shipped entries)", small, count, runs=5)))
    rows.append((shipped, *report("shipped registry", REGISTRY, shipped, runs=5)))
    for copies in (max(2, -(-300 // max(shipped, 1))), max(4, -(-1000 // max(shipped, 1)))):
        with tempfile.TemporaryDirectory() as tmp:
            big = synthetic(Path(tmp), copies)
            count = len(entry_paths(big))
            rows.append((count, *report(f"synthetic registry ({copies}x)", big, count, runs=3)))
    base_cold, base_warm = rows[0][1], rows[0][2]
    print(f"per entry, relative to the {rows[0][0]}-entry registry (flat = 1.0):")
    for count, cold, warm in rows:
        print(f"  {count:5d} entries: cold {cold * 1e6:5.0f} µs/entry ({cold / base_cold:4.2f}x), "
              f"warm {warm * 1e6:4.0f} µs/entry ({warm / base_warm:4.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
