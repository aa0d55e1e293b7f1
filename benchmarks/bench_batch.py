#!/usr/bin/env python3
"""Benchmark `sdkreg batch` against a shell loop of `sdkreg audit`, on a corpus of >= 200 APKs.

The corpus is built from the fixtures with the machinery of scripts/build-fixtures.py (smali and
aapt): the SDK smali trees of the fixture APKs (Xiaomi push, AMap location, Bugly, AutoSize,
OkHttp, AndroidX, obfuscated code) plus, for variety, small SDK trees made from the registry's own
example classes (each entry proves itself with them). Every app combines 1-6 of these trees, each
in its own classes<N>.dex, with app code of one of three sizes (60, 600 or 3,000 classes) and an
asset of 0-2 MB; about 3 % of the APKs are truncated copies (items that fail). Each app's policy
discloses a random ~70 % of the SDKs a scan finds in it, in the layout of samples/demo-policy.txt,
sometimes with an SDK the app does not carry. Built once, cached in fixtures/build/bench-batch/.

Prints, from one run (the same corpus and machine for all three):
  * a shell loop (`while read …; do sdkreg audit APK POLICY --db …; done`) over the first
    ``--loop-items`` items, in APKs/s: one process per APK, recording like the batch does;
  * `sdkreg batch` with 1 worker and with 2 workers over the whole corpus, in APKs/s, wall time
    of the whole command (cluster start and shutdown included), and peak memory per worker;
  * the CPU each costs per APK (all processes: load-independent, unlike the rates on a shared
    machine);
  * the ratio batch(1 worker) / shell loop. Target: >= 5x.

    python benchmarks/bench_batch.py [--apps 240] [--loop-items 40] [--rebuild]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "build" / "bench-batch"
SDKREG = Path(sys.executable).with_name("sdkreg")
SEED = 11
FIXTURE_TREES = {  # (fixture, dex dir, top-level smali path): one SDK tree each
    "xiaomi-push": [("demo", "classes", "com/xiaomi")],
    "amap-location": [("demo", "classes", "com/amap"), ("demo", "classes", "com/autonavi"),
                      ("demo", "classes", "com/loc")],
    "bugly": [("demo", "classes", "com/tencent/bugly")],
    "autosize": [("multidex", "classes3", "me/jessyan")],
    "okhttp": [("multidex", "classes3", "okhttp3")],
    "androidx": [("multidex", "classes", "androidx")],
    "obfuscated": [("obfuscated", "classes", "a"), ("obfuscated", "classes", "b"),
                   ("obfuscated", "classes", "c")],
}
REGISTRY_TREES = 40  # registry entries whose example classes become SDK trees
APP_SIZES = (60, 600, 3000)  # app classes (bench_scan's class template: real method bodies)
STUB = """.class public L{name};
.super Ljava/lang/Object;
.source "{simple}.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {{p0}}, Ljava/lang/Object;-><init>()V
    return-void
.end method
"""
MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="{package}" android:versionCode="{code}" android:versionName="{code}.0">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="29"/>
    <application android:label="bench"><activity android:name=".MainActivity"/></application>
</manifest>
"""
POLICY_HEAD = "示例应用{n}隐私政策\n\n本政策由 sdkreg 基准测试生成。\n\n二、第三方SDK清单\n\n"
POLICY_ENTRY = ("{name}\n使用目的：{purpose}\n合作方主体：{company}\n"
                "涉及个人信息：设备标识符（Android ID、OAID）、设备信息（设备型号、系统版本）\n"
                "收集方式：SDK采集\n隐私政策链接：https://example.com/{sdk}/privacy\n\n")


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = load_module(ROOT / "scripts" / "build-fixtures.py", "build_fixtures")
BENCH_SCAN = load_module(ROOT / "benchmarks" / "bench_scan.py", "bench_scan")


# --- the corpus ------------------------------------------------------------------------------


def unit_dexes(smali: list[str], units_dir: Path) -> dict[str, Path]:
    """One DEX per SDK tree and per app size, assembled once with smali."""
    from sdkreg.registry import load_registry

    units_dir.mkdir(parents=True, exist_ok=True)
    sources: dict[str, list[tuple[Path, str]]] = {}  # unit → (smali file, relative path)
    for unit, trees in FIXTURE_TREES.items():
        files = []
        for fixture, dex, top in trees:
            base = ROOT / "fixtures" / "apks" / fixture / "smali" / dex
            files += [(p, str(p.relative_to(base))) for p in sorted((base / top).rglob("*.smali"))]
            if (base / f"{top}.smali").is_file():  # a one-class tree such as com/loc/fa
                files.append((base / f"{top}.smali", f"{top}.smali"))
        sources[f"fixture-{unit}"] = files
    registry = load_registry()
    rng = random.Random(SEED)
    with_examples = sorted(e.id for e in registry.entries.values() if e.examples.classes)
    stubs: dict[str, list[str]] = {}
    for sdk in rng.sample(with_examples, REGISTRY_TREES):
        classes = [c.replace(".", "/") for c in registry.entries[sdk].examples.classes]
        package = classes[0].rsplit("/", 1)[0]
        stubs[f"registry-{sdk}"] = classes + [f"{package}/internal/Impl{i}" for i in range(12)]
    built: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="sdkreg-bench-batch-") as tmp_name:
        tmp = Path(tmp_name)
        for unit in [*sources, *stubs, *(f"app-{n}" for n in APP_SIZES)]:
            out = units_dir / f"{unit}.dex"
            built[unit] = out
            if out.is_file():
                continue
            src = tmp / unit
            if unit in sources:
                for path, rel in sources[unit]:
                    (src / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, src / rel)
            elif unit in stubs:
                for name in stubs[unit]:
                    (src / f"{name}.smali").parent.mkdir(parents=True, exist_ok=True)
                    (src / f"{name}.smali").write_text(STUB.format(name=name, simple=name.rsplit("/", 1)[-1]))
            else:
                count = int(unit.split("-")[1])
                names = [f"com/bench/app/feature{i % 40}/Screen{i}" for i in range(count)]
                for i, name in enumerate(names):
                    (src / f"{name}.smali").parent.mkdir(parents=True, exist_ok=True)
                    (src / f"{name}.smali").write_text(BENCH_SCAN.CLASS_TEMPLATE.format(
                        name=name, simple=name.rsplit("/", 1)[-1], other=names[(i + 1) % count]))
            print(f"  assembling {unit}.dex", file=sys.stderr)
            BUILDER.assemble_dex(smali, src, out)
    return built


def build_corpus(apps: int, rebuild: bool) -> Path:
    """The manifest (CSV) of a corpus of ``apps`` items; built once per size."""
    corpus = OUT / f"corpus-{apps}"
    manifest = corpus / "manifest.csv"
    if manifest.is_file() and not rebuild:
        return manifest
    from sdkreg.apk import scan_apk
    from sdkreg.registry import load_registry

    smali = BUILDER.check_tools()
    units = unit_dexes(smali, OUT / "units")
    sdk_units = sorted(u for u in units if not u.startswith("app-"))
    registry = load_registry()
    rng = random.Random(SEED)
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    rows = ["apk,policy,labels"]
    print(f"building {apps} APKs and policies in {corpus.relative_to(ROOT)}…", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="sdkreg-bench-batch-") as tmp_name:
        tmp = Path(tmp_name)
        for n in range(apps):
            package = f"com.bench.app{n:04d}"
            (tmp / "AndroidManifest.xml").write_text(MANIFEST.format(package=package, code=n + 1))
            apk = corpus / f"app{n:04d}.apk"
            BUILDER.run(["aapt", "package", "-f", "-M", str(tmp / "AndroidManifest.xml"),
                         "-I", str(BUILDER.FRAMEWORK_RES), "-F", str(apk)])
            size = rng.choice(APP_SIZES)
            chosen = rng.sample(sdk_units, rng.randint(1, 6))
            with zipfile.ZipFile(apk, "a", zipfile.ZIP_DEFLATED) as zf:
                zf.write(units[f"app-{size}"], "classes.dex")
                for index, unit in enumerate(chosen, start=2):
                    zf.write(units[unit], f"classes{index}.dex")
                zf.writestr(zipfile.ZipInfo("assets/data.bin"), rng.randbytes(rng.randint(0, 2 << 20)),
                            compress_type=zipfile.ZIP_STORED)
            policy = corpus / f"app{n:04d}.txt"
            policy.write_text(policy_text(n, scan_apk(apk, registry), registry, rng), encoding="utf-8")
            if rng.random() < 0.03:  # a download cut short: recorded as failed, never stops the batch
                data = apk.read_bytes()
                apk.write_bytes(data[: len(data) * 6 // 10])
            rows.append(f"{apk.name},{policy.name},size-{size};sdks-{len(chosen)}")
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def policy_text(n: int, scan: Any, registry: Any, rng: random.Random) -> str:
    text = POLICY_HEAD.format(n=n)
    disclosable = [d.sdk for d in scan.sdks if d.requires_disclosure]
    named = [sdk for sdk in disclosable if rng.random() < 0.7]
    if rng.random() < 0.2:  # an SDK the app does not carry (over-disclosed)
        named.append(rng.choice(sorted(set(registry.entries) - set(disclosable))))
    for sdk in named:
        entry = registry.entries[sdk]
        text += POLICY_ENTRY.format(name=entry.name_zh or entry.name, purpose="实现相关功能",
                                    company=entry.vendor.name_zh, sdk=sdk)
    return text


# --- measurements ----------------------------------------------------------------------------


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs: Dask's worker processes too)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def shell_loop(manifest: Path, items: int, db: str) -> tuple[float, int]:
    """A real shell loop of `sdkreg audit`: wall time and items."""
    rows = manifest.read_text(encoding="utf-8").splitlines()[1 : items + 1]
    listing = manifest.parent / "loop.txt"
    listing.write_text("".join(f"{row.split(',')[0]} {row.split(',')[1]}\n" for row in rows))
    script = (f'cd "{manifest.parent}" && while read -r apk policy; do '
              f'"{SDKREG}" audit "$apk" "$policy" --db "{db}" >/dev/null 2>&1 || true; done < loop.txt')
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script], check=True)
    return time.perf_counter() - start, len(rows)


def batch(manifest: Path, workers: int, db: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([str(SDKREG), "batch", str(manifest), "--workers", str(workers), "--db", db,
                             "--jsonl", os.devnull], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"sdkreg batch failed ({result.returncode}): {result.stderr}")
    return wall, result.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=240)
    parser.add_argument("--loop-items", type=int, default=40,
                        help="items the shell loop audits (one process each: slow)")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.apps < 200:
        print("note: the target is stated for a corpus of >= 200 APKs", file=sys.stderr)
    manifest = build_corpus(args.apps, args.rebuild)
    sizes = [p.stat().st_size for p in manifest.parent.glob("*.apk")]
    print(f"corpus: {len(sizes)} APKs, {min(sizes) / 1e6:.2f}-{max(sizes) / 1e6:.2f} MB "
          f"(median {sorted(sizes)[len(sizes) // 2] / 1e6:.2f} MB), {manifest.relative_to(ROOT)}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start, "
          f"Python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory(prefix="sdkreg-bench-db-") as tmp_name:
        tmp = Path(tmp_name)
        # CPU per APK beside the rates: on a shared machine the wall-clock rates move with the
        # load of others, the CPU an audit costs does not.
        cpu = children_cpu()
        loop_wall, loop_items = shell_loop(manifest, args.loop_items, f"sqlite:///{tmp / 'loop.db'}")
        loop_rate = loop_items / loop_wall
        loop_cpu = (children_cpu() - cpu) / loop_items
        print(f"shell loop of `sdkreg audit --db` ({loop_items} items): {loop_wall:.1f} s, "
              f"{loop_rate:.2f} APKs/s, {loop_cpu * 1000:.0f} ms CPU per APK")
        rates = {}
        for workers in (1, 2):
            cpu = children_cpu()
            wall, summary = batch(manifest, workers, f"sqlite:///{tmp / f'batch{workers}.db'}")
            per_apk = (children_cpu() - cpu) / len(sizes)
            rates[workers] = len(sizes) / wall
            memory = re.search(r"peak memory per worker: (.*)", summary)
            counts = summary.splitlines()[0] if summary else ""
            print(f"sdkreg batch --workers {workers} ({len(sizes)} items): {wall:.1f} s, "
                  f"{rates[workers]:.2f} APKs/s, {per_apk * 1000:.0f} ms CPU per APK (client, "
                  f"scheduler and workers), peak memory per worker {memory.group(1) if memory else '?'}")
            print(f"  {counts}")
        ratio = rates[1] / loop_rate
        verdict = "met" if ratio >= 5 else "NOT met"
        print(f"batch 1 worker / shell loop: {ratio:.1f}x (target >= 5x: {verdict})")
        print(f"batch 2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")
    print(json.dumps({"loop_aps": round(loop_rate, 3), "batch1_aps": round(rates[1], 3),
                      "batch2_aps": round(rates[2], 3), "ratio": round(ratio, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
