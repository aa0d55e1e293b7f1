"""Time and peak memory to extract the disclosures of a ~1 MB policy (target: under 1 s), and of
hostile inputs (issue 12): one line of 字段:值 pairs (1 MB and 19 MB, the cap is 20 MB) and HTML
nested 5,000 levels deep.

The policy is synthesised from our own fixtures (tests/policy/fixtures; never the real seeds):
their SDK sections and prose repeated to ~1 MB, so it holds hundreds of SDK lists, tables and
traps. Baseline in the same run: reading the bytes, decoding them and splitting lines — the
floor any extractor pays. Figures are the best of several runs; memory is measured in a
separate run under tracemalloc (which slows Python down). Hostile inputs run once each.

Run: .venv/bin/python benchmarks/bench_policy.py [--quick]   (--quick: no 19 MB input)
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.policy.html import html_to_lines
from sdkreg.policy.read import policy_from_bytes
from sdkreg.registry import Registry, load_registry

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "policy" / "fixtures"
TARGET_BYTES = 1_000_000
RUNS = 5


def synth_text() -> str:
    parts = [
        (FIXTURES / "numbered_list.txt").read_text(encoding="utf-8"),
        (FIXTURES / "gbk_fields.txt").read_bytes().decode("gbk"),
        (FIXTURES / "english_names.txt").read_text(encoding="utf-8"),
        (FIXTURES / "traps.txt").read_text(encoding="utf-8"),
    ]
    block = "\n".join(parts) + "\n"
    return block * (TARGET_BYTES // len(block.encode()) + 1)


def synth_html() -> str:
    page = (FIXTURES / "html_table.html").read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    copies = TARGET_BYTES // len(body.encode()) + 1
    return "<html><body>" + body * copies + "</body></html>"


def best_time(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1_048_576


RECORD = (
    "SDK名称:小米推送;使用目的:推送消息;合作方主体:北京小米移动软件有限公司;"
    "涉及个人信息:设备标识符、OAID;"
)


def _extract_bytes(data: bytes, name: str, registry: Registry) -> object:
    return extract_disclosures(policy_from_bytes(data, name), registry)


def hostile(registry: Registry, quick: bool) -> None:
    """One huge line of field pairs and a deeply nested page: linear time, bounded memory."""
    cases: list[tuple[str, bytes, str]] = []
    for megabytes in (1, 4) if quick else (1, 4, 19):
        data = (RECORD * (megabytes * 1_000_000 // len(RECORD.encode()))).encode()
        cases.append((f"one line of pairs, {megabytes} MB", data, "one-line.txt"))
    deep = "<html><body>" + "<div>" * 5000 + "<p>小米推送SDK</p>" + "</div>" * 5000 + "</body></html>"
    cases.append(("HTML nested 5,000 deep", deep.encode(), "deep.html"))
    for label, data, name in cases:
        start = time.perf_counter()
        result = extract_disclosures(policy_from_bytes(data, name), registry)
        elapsed = time.perf_counter() - start
        peak = peak_mib(partial(_extract_bytes, data, name, registry))
        print(
            f"     {label:28} {len(data) / 1e6:6.2f} MB: {elapsed:6.2f} s, peak {peak:6.1f} MiB, "
            f"{len(result.disclosures)} disclosures"
        )


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    registry = load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        text_path = Path(tmp) / "policy.txt"
        text_path.write_text(synth_text(), encoding="utf-8")
        html_path = Path(tmp) / "policy.html"
        html_path.write_text(synth_html(), encoding="utf-8")

        def baseline(path: Path) -> Callable[[], object]:
            return lambda: path.read_bytes().decode("utf-8").splitlines()

        def full(path: Path) -> Callable[[], object]:
            return lambda: extract_disclosures(read_policy(path), registry)

        extract_disclosures(read_policy(text_path), registry)  # warm the resolver's index once
        disclosures = len(extract_disclosures(read_policy(text_path), registry).disclosures)
        print(f"registry {registry.version}, {len(registry)} entries; best of {RUNS} runs")
        for label, path in (("text", text_path), ("html", html_path)):
            size = path.stat().st_size
            t_base = best_time(baseline(path))
            t_full = best_time(full(path))
            m_base = peak_mib(baseline(path))
            m_full = peak_mib(full(path))
            print(
                f"{label:4} {size / 1e6:5.2f} MB: extract {t_full * 1000:7.1f} ms "
                f"(baseline decode+split {t_base * 1000:6.1f} ms, ratio {t_full / t_base:6.1f}x); "
                f"peak {m_full:6.1f} MiB (baseline {m_base:5.1f} MiB)"
            )
        html_only = best_time(lambda: html_to_lines(html_path.read_text(encoding="utf-8")))
        print(f"     of which HTML flattening (lxml): {html_only * 1000:7.1f} ms")
        print(f"     disclosures found in the 1 MB text policy: {disclosures}")
    print("hostile inputs (each run once):")
    hostile(registry, quick)


if __name__ == "__main__":
    main()
