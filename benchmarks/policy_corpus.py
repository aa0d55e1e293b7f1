"""Recall and precision of the policy reader on the development corpus (tests/policy/corpus),
per fixture and overall, (a) for finding the names and (b) for resolving them to the right id.
The real seed policies (../shared/seeds), when present, are measured on their own line.

(a) names: each distinct name as written counts once per disclosure record — a cell naming
    three products is one name; the same name listed under two platforms is two.
(b) ids: the multiset of (as written, registry id or null, level), as the tests compare it.

Run: .venv/bin/python benchmarks/policy_corpus.py [-v] [--corpus DIR]
     (-v lists what is missed and extra; --corpus measures another folder of fixtures)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "policy" / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"

Item = tuple[str, str | None, str | None]


def _names(items: Counter[Item]) -> Counter[str]:
    """Per name as written: the most times one (name, id) pair occurs (a multi-product cell
    counts once, a name listed twice counts twice)."""
    out: Counter[str] = Counter()
    for (name, _, _), count in items.items():
        out[name] = max(out[name], count)
    return out


def _expected(items: list[dict[str, Any]] | None) -> Counter[Item]:
    out: Counter[Item] = Counter()
    for item in items or []:
        level = item.get("level", "product") if item["sdk"] is not None else None
        out[(item["as_written"], item["sdk"], level)] += 1
    return out


def _score(tp: int, want: int, got: int) -> tuple[float, float]:
    recall = tp / want if want else 1.0
    precision = tp / got if got else 1.0
    return recall, precision


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    corpus = Path(argv[argv.index("--corpus") + 1]) if "--corpus" in argv else CORPUS
    registry = load_registry()
    cases: list[tuple[str, Path, Counter[Item]]] = []
    for sidecar in sorted(corpus.glob("*.expected.yaml")):
        slug = sidecar.name.removesuffix(".expected.yaml")
        policy = next(p for p in corpus.glob(slug + ".*") if p != sidecar)
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        cases.append((slug, policy, _expected(data.get("disclosures"))))
    seeds: list[tuple[str, Path, Counter[Item]]] = []
    if (SEEDS / "expected.yaml").is_file():
        data = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))
        seeds = [(f"seed {name[:3]}", SEEDS / name, _expected(items)) for name, items in data.items()]

    print(f"registry {registry.version}, {len(registry)} entries")
    print(f"{'fixture':48} {'names R':>8} {'names P':>8} {'ids R':>7} {'ids P':>7}")
    for label, group in (("corpus", cases), ("seeds", seeds)):
        totals = Counter[str]()
        failing = 0
        for slug, path, want in group:
            result = extract_disclosures(read_policy(path), registry)
            got: Counter[Item] = Counter((d.as_written, d.sdk, d.level) for d in result.disclosures)
            want_names, got_names = _names(want), _names(got)
            name_tp = sum((want_names & got_names).values())
            id_tp = sum((want & got).values())
            counts = {
                "name_tp": name_tp,
                "name_want": sum(want_names.values()),
                "name_got": sum(got_names.values()),
                "id_tp": id_tp,
                "id_want": sum(want.values()),
                "id_got": sum(got.values()),
            }
            totals.update(counts)
            nr, np_ = _score(name_tp, counts["name_want"], counts["name_got"])
            ir, ip = _score(id_tp, counts["id_want"], counts["id_got"])
            flag = "" if want == got else "  *"
            failing += bool(flag)
            print(f"{slug[:48]:48} {nr:8.2f} {np_:8.2f} {ir:7.2f} {ip:7.2f}{flag}")
            if verbose and flag:
                for item in sorted((want - got).elements(), key=str):
                    print(f"{'':8}missing {item}")
                for item in sorted((got - want).elements(), key=str):
                    print(f"{'':8}extra   {item}")
        if not group:
            continue
        nr, np_ = _score(totals["name_tp"], totals["name_want"], totals["name_got"])
        ir, ip = _score(totals["id_tp"], totals["id_want"], totals["id_got"])
        print(
            f"{'OVERALL ' + label + f' ({len(group)}, {failing} not exact)':48} "
            f"{nr:8.3f} {np_:8.3f} {ir:7.3f} {ip:7.3f}"
        )
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
