#!/usr/bin/env python3
"""Benchmark `sdkreg scan` on a generated 100k-class, multi-DEX APK.

Prints, from one run:
  * the wall time and peak RSS of the whole `sdkreg scan` process (median of several runs);
  * the baseline: androguard's own full DEX parse (``androguard.core.dex.DEX``) of the same
    DEX files, and the ratio between the two;
  * matching cost against the shipped registry and against a synthetic registry of thousands
    of signatures (matching must not slow down as the registry grows).

The APK is generated with smali + aapt (the real toolchain) and cached under
fixtures/build/bench/. Targets: scan < 1.5 s wall, >= 10x faster than the baseline, < 200 MB.

    python benchmarks/bench_scan.py [--classes 100000] [--dex 10] [--runs 5] [--rebuild]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "fixtures" / "build" / "bench"
FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")
SDKREG = Path(sys.executable).with_name("sdkreg")

# Each generated class has the shape of ordinary app code: four fields, a constructor and four
# methods (~25 instructions, string constants, calls into a neighbouring class). Smaller stubs
# would flatter the baseline, which parses every method body; sdkreg reads none of them.
CLASS_TEMPLATE = """.class public L{name};
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;
.source "{simple}.java"

.field private static final TAG:Ljava/lang/String; = "{simple}"
.field private count:I
.field private label:Ljava/lang/String;
.field private next:L{other};

.method public constructor <init>()V
    .registers 2
    invoke-direct {{p0}}, Ljava/lang/Object;-><init>()V
    const-string v0, "{simple}"
    iput-object v0, p0, L{name};->label:Ljava/lang/String;
    return-void
.end method

.method public getCount()I
    .registers 2
    iget v0, p0, L{name};->count:I
    return v0
.end method

.method public next(I)I
    .registers 4
    iget v0, p0, L{name};->count:I
    add-int/2addr v0, p1
    const/16 v1, 0x64
    if-le v0, v1, :cond_0
    const/4 v0, 0x0
    :cond_0
    iput v0, p0, L{name};->count:I
    return v0
.end method

.method public run()V
    .registers 3
    iget-object v0, p0, L{name};->next:L{other};
    if-eqz v0, :cond_0
    const/4 v1, 0x1
    invoke-virtual {{v0, v1}}, L{other};->next(I)I
    :cond_0
    return-void
.end method

.method public toString()Ljava/lang/String;
    .registers 3
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {{v0}}, Ljava/lang/StringBuilder;-><init>()V
    iget-object v1, p0, L{name};->label:Ljava/lang/String;
    invoke-virtual {{v0, v1}}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    iget v1, p0, L{name};->count:I
    invoke-virtual {{v0, v1}}, Ljava/lang/StringBuilder;->append(I)Ljava/lang/StringBuilder;
    invoke-virtual {{v0}}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
"""

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.bench" android:versionCode="1" android:versionName="1.0">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="29"/>
    <application android:name=".App" android:label="bench">
        <activity android:name=".MainActivity"/>
{components}
    </application>
</manifest>
"""


def registry_prefixes() -> list[tuple[str, list[str]]]:
    """(entry id, package prefixes) of the shipped registry: SDK code in the generated APK is
    placed under real registry prefixes so detection does real work."""
    from sdkreg.registry import load_registry

    registry = load_registry()
    return [
        (e.id, [s.value for s in e.detect.packages])
        for e in registry.entries.values()
        if e.detect.packages
    ]


def class_plan(total: int, seed: int = 7) -> list[str]:
    """Slash-separated class names: app code, obfuscated code, registry SDK code, third-party
    trees no entry claims, and runtime libraries — roughly the mix of a large Chinese app."""
    rng = random.Random(seed)
    names: list[str] = []
    sdk = registry_prefixes()
    share = {"app": 0.30, "obfuscated": 0.25, "sdk": 0.30, "other": 0.10, "runtime": 0.05}
    n_app = int(total * share["app"])
    for i in range(n_app):
        names.append(f"com/example/bench/feature{i % 150}/sub{i % 7}/Screen{i}")
    n_obf = int(total * share["obfuscated"])
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(n_obf):
        a, b, c = letters[i % 26], letters[(i // 26) % 26], letters[(i // 676) % 26]
        names.append(f"{a}/{b}/{c}/C{i}")
    n_sdk = int(total * share["sdk"])
    picked = rng.sample(sdk, min(40, len(sdk)))
    for i in range(n_sdk):
        _, prefixes = picked[i % len(picked)]
        prefix = prefixes[i % len(prefixes)].replace(".", "/")
        names.append(f"{prefix}/internal{i % 13}/Impl{i}")
    n_other = int(total * share["other"])
    for i in range(n_other):
        names.append(f"bench/thirdparty/vendor{i % 25}/lib{i % 5}/Util{i}")
    while len(names) < total:
        i = len(names)
        names.append(f"androidx/bench{i % 11}/widget/View{i}")
    return names


def build_apk(total: int, dex_count: int, out: Path) -> None:
    smali = ["smali"] if shutil.which("smali") else ["java", "-jar", "/usr/share/java/smali.jar"]
    names = class_plan(total)
    with tempfile.TemporaryDirectory(prefix="sdkreg-bench-") as tmp_name:
        tmp = Path(tmp_name)
        dex_files = []
        per_dex = -(-len(names) // dex_count)
        for d in range(dex_count):
            src = tmp / f"smali{d}"
            chunk = names[d * per_dex : (d + 1) * per_dex]
            for i, name in enumerate(chunk):
                other = chunk[(i + 1) % len(chunk)]  # a neighbour in the same DEX
                path = src / f"{name}.smali"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(CLASS_TEMPLATE.format(
                    name=name, simple=name.rsplit("/", 1)[-1], other=other))
            dex_name = "classes.dex" if d == 0 else f"classes{d + 1}.dex"
            print(f"  assembling {dex_name} ({min(per_dex, len(names) - d * per_dex)} classes)…",
                  file=sys.stderr)
            subprocess.run([*smali, "assemble", "--api", "21", "-j", "2", "-o",
                            str(tmp / dex_name), str(src)], check=True)
            shutil.rmtree(src)
            dex_files.append(dex_name)
        components = "\n".join(
            f'        <service android:name="{p}.BenchService{i}"/>'
            for i, (_, prefixes) in enumerate(registry_prefixes()[:20])
            for p in prefixes[:1]
        )
        (tmp / "AndroidManifest.xml").write_text(MANIFEST.format(components=components))
        apk = tmp / "bench.apk"
        subprocess.run(["aapt", "package", "-f", "-M", str(tmp / "AndroidManifest.xml"),
                        "-I", str(FRAMEWORK_RES), "-F", str(apk)], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["aapt", "add", str(apk), *dex_files], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(apk, out)


def ensure_apk(total: int, dex_count: int, rebuild: bool) -> Path:
    out = BENCH_DIR / f"bench-{total}x{dex_count}.apk"
    if rebuild or not out.is_file():
        print(f"generating {out.relative_to(ROOT)} ({total} classes, {dex_count} DEX)…",
              file=sys.stderr)
        build_apk(total, dex_count, out)
    return out


# A tiny wrapper process: its RUSAGE_CHILDREN covers exactly one `sdkreg scan` run.
_MEASURE = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "wall": wall, "rss_mb": rss_kb / 1024}))
"""


def measure_cli(apk: Path, runs: int) -> tuple[float, float]:
    walls, rss = [], []
    for _ in range(runs):
        raw = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(SDKREG), "scan", str(apk), "--format", "json"],
            capture_output=True, text=True, check=True,
        ).stdout
        figures = json.loads(raw)
        if figures["code"] != 0:
            raise SystemExit(f"sdkreg scan failed with exit code {figures['code']}")
        walls.append(figures["wall"])
        rss.append(figures["rss_mb"])
    return statistics.median(walls), max(rss)


def baseline_androguard(apk: Path) -> tuple[float, int]:
    """androguard's full parse of every classes*.dex (what a naive scanner would do)."""
    from loguru import logger

    logger.disable("androguard")
    from androguard.core.dex import DEX

    with zipfile.ZipFile(apk) as zf:
        blobs = [zf.read(n) for n in zf.namelist() if n.startswith("classes") and n.endswith(".dex")]
    gc.collect()
    start = time.perf_counter()
    classes = 0
    for data in blobs:
        dex = DEX(data)
        classes += len(dex.get_classes())
    return time.perf_counter() - start, classes


def synthetic_registry(base: object, extra_entries: int) -> object:
    """The shipped registry plus ``extra_entries`` fake entries of 3 prefixes each, to show
    matching cost does not grow with the number of signatures (bench data, not registry facts)."""
    from sdkreg.registry.model import Detect, Signature

    entries = dict(base.entries)  # type: ignore[attr-defined]
    template = next(iter(entries.values()))
    for i in range(extra_entries):
        sid = f"bench-sdk-{i}"
        prefixes = tuple(Signature(f"bench.vendor{i}.sdk{j}") for j in range(3))
        entries[sid] = replace(template, id=sid, family=None, detect=Detect(packages=prefixes))
    return replace(base, entries=entries)  # type: ignore[type-var]


def time_matching(apk: Path) -> dict[str, float]:
    from sdkreg.apk import inspect_apk
    from sdkreg.match import SignatureIndex, detect
    from sdkreg.registry import load_registry

    registry = load_registry()
    start = time.perf_counter()
    evidence = inspect_apk(apk)
    inspect_s = time.perf_counter() - start
    figures = {"inspect_s": inspect_s, "classes": float(len(evidence.class_names))}
    for label, reg in (("shipped", registry), ("synthetic", synthetic_registry(registry, 5000))):
        index = SignatureIndex(reg)  # type: ignore[arg-type]
        start = time.perf_counter()
        for _ in range(3):
            result = detect(evidence, reg, index)  # type: ignore[arg-type]
        figures[f"match_{label}_s"] = (time.perf_counter() - start) / 3
        figures[f"signatures_{label}"] = float(sum(len(e.detect.packages) for e in reg.entries.values()))  # type: ignore[attr-defined]
        figures[f"sdks_{label}"] = float(len(result.sdks))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=100_000)
    parser.add_argument("--dex", type=int, default=10)  # 5 methods/class: <64K refs per DEX
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.dex < 5 or args.classes < 100_000:
        print("note: the target is stated for >= 100,000 classes over >= 5 DEX files",
              file=sys.stderr)
    apk = ensure_apk(args.classes, args.dex, args.rebuild)
    with zipfile.ZipFile(apk) as zf:
        dex_names = [n for n in zf.namelist() if n.endswith(".dex")]
    size_mb = apk.stat().st_size / 1e6
    print(f"APK: {apk.relative_to(ROOT)}  {size_mb:.1f} MB, {len(dex_names)} DEX files")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")

    wall, rss = measure_cli(apk, args.runs)
    match = time_matching(apk)
    base_s, base_classes = baseline_androguard(apk)

    print(f"classes: sdkreg {int(match['classes'])}, androguard {base_classes}")
    print(f"sdkreg scan (whole process, median of {args.runs}): {wall:.3f} s wall, "
          f"peak RSS {rss:.0f} MB")
    print(f"  in-process inspect_apk (zip + manifest + DEX names): {match['inspect_s']:.3f} s")
    print(f"  detect() vs shipped registry ({int(match['signatures_shipped'])} package "
          f"signatures): {match['match_shipped_s'] * 1000:.1f} ms")
    print(f"  detect() vs +5000 synthetic entries ({int(match['signatures_synthetic'])} package "
          f"signatures): {match['match_synthetic_s'] * 1000:.1f} ms")
    print(f"baseline androguard DEX(data) full parse: {base_s:.3f} s")
    ratio = base_s / wall
    print(f"ratio baseline / sdkreg scan: {ratio:.1f}x")
    ok = wall < 1.5 and ratio >= 10 and rss < 200
    print(f"targets (<1.5 s, >=10x, <200 MB): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
