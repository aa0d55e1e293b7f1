#!/usr/bin/env python3
"""Start-up of `sdkreg audit` on the demo: SQLAlchemy and Alembic are imported only by an audit
that records (issue 12). Prints the median wall time of the command as it runs now, against a
same-run baseline that first imports the history store (what every audit paid before), and the
import time ``python -X importtime`` attributes to sqlalchemy and alembic in each.

    python benchmarks/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIT = ["audit", str(ROOT / "samples" / "demo.apk"), str(ROOT / "samples" / "demo-policy.txt"),
         "--format", "json", "--lang", "en"]
NOW = "from sdkreg.cli import run; run({args!r})"
BASELINE = "import sdkreg.store; from sdkreg.cli import run; run({args!r})"


def timed(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def import_ms(code: str, env: dict[str, str], packages: tuple[str, ...]) -> float:
    """Cumulative import time (ms) of the top-level ``packages``, from -X importtime."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=env,
                          capture_output=True, text=True, check=False)
    total = 0
    for line in proc.stderr.splitlines():
        # "import time:  self [us] | cumulative | imported package"; a top-level package's
        # name is not indented
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if name in packages:
            total += int(cumulative)
    return total / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {**os.environ, "SDKREG_CACHE_DIR": tempfile.mkdtemp(prefix="sdkreg-bench-cache-")}
    now, baseline = NOW.format(args=AUDIT), BASELINE.format(args=AUDIT)
    timed(now, env)  # warm the registry cache and the OS file cache
    times: dict[str, list[float]] = {"baseline": [], "now": []}
    for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
        times["baseline"].append(timed(baseline, env))
        times["now"].append(timed(now, env))
    packages = ("sqlalchemy", "alembic")
    base_ms, now_ms = (statistics.median(times[k]) * 1000 for k in ("baseline", "now"))
    print(f"sdkreg audit on the demo (json), median of {args.runs} runs, registry cache warm:")
    print(f"  baseline (history store imported, as before): {base_ms:7.0f} ms   "
          f"sqlalchemy+alembic imports {import_ms(baseline, env, packages):6.0f} ms")
    print(f"  now (imported only with --record/--db):       {now_ms:7.0f} ms   "
          f"sqlalchemy+alembic imports {import_ms(now, env, packages):6.0f} ms")
    print(f"  saved: {base_ms - now_ms:.0f} ms ({100 * (base_ms - now_ms) / base_ms:.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
