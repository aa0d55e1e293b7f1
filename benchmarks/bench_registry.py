"""How long loading (and fully checking) the registry takes, now and at 1,000 entries.

Baseline in the same run: only parsing the same YAML files with libyaml. Prints figures; asserts
nothing (machines are noisy: compare the ratio).

    .venv/bin/python benchmarks/bench_registry.py
"""

from __future__ import annotations

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
                data["detect"][key] = [
                    f"{v if isinstance(v, str) else v['value']}.c{n}".replace(".so.c", "_c")
                    for v in values
                ]
            for key in ("classes", "not_classes", "components"):
                if key in data["examples"]:
                    data["examples"][key] = []
            data["examples"].setdefault("classes", [])
            data["examples"]["classes"] = [f"{data['detect']['packages'][0]}.Example"] if data[
                "detect"].get("packages") else []
            if not data["examples"]["classes"]:
                data["examples"]["components"] = [next(iter(data["detect"].values()))[0]]
            data["examples"]["policy"] = data["aliases"][:1] or [data["name"]]
            (target / "sdks" / f"{new_id}.yaml").write_text(
                yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
            )
    return target


def parse_only(root: Path) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in entry_paths(root):
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def main() -> int:
    shipped = len(entry_paths(REGISTRY))
    t_load = best_of(lambda: load_registry(REGISTRY))
    t_parse = best_of(lambda: parse_only(REGISTRY))
    print(f"shipped registry: {shipped} entries")
    print(f"  load+check: {t_load * 1000:8.1f} ms   yaml parse only: {t_parse * 1000:7.1f} ms   "
          f"ratio {t_load / t_parse:5.1f}x")
    with tempfile.TemporaryDirectory() as tmp:
        copies = max(2, -(-1000 // max(shipped, 1)))
        big = synthetic(Path(tmp), copies)
        count = len(entry_paths(big))
        t_big = best_of(lambda: load_registry(big), runs=3)
        t_big_parse = best_of(lambda: parse_only(big), runs=3)
        print(f"synthetic registry: {count} entries")
        print(f"  load+check: {t_big * 1000:8.1f} ms   yaml parse only: {t_big_parse * 1000:7.1f} ms   "
              f"ratio {t_big / t_big_parse:5.1f}x   per entry {t_big / count * 1e6:6.0f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
