"""The product on the SQuAD 2.0 sample, split as the models were fitted: fit vs check articles.

Builds each article's pipeline once and runs ``qa.evaluate`` in-process for the product
(hybrid) and the two baselines, then pools the questions of each split. The check articles
(``benchmarks/fit_fusion.py``'s :data:`CHECK_ARTICLES`) were never used to choose a weight or
a threshold, so their figures are the honest ones.

    python benchmarks/squad_eval.py [--split check|fit|all] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_fusion import CHECK_ARTICLES, FIT_ARTICLES, SQUAD  # noqa: E402
from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.evaluation import Report, Retriever, evaluate, load_questions  # noqa: E402

MODES: tuple[Retriever, ...] = ("hybrid", "bm25", "dense")


def _pooled(reports: Sequence[Report]) -> dict[str, float]:
    answerable = sum(r.n_answerable for r in reports)
    unanswerable = sum(r.n_unanswerable for r in reports)

    def weighted(name: str) -> float:
        return sum((getattr(r, name) or 0.0) * r.n_answerable for r in reports) / answerable

    return {
        "answerable": answerable,
        "recall@1": weighted("recall_at_1"),
        "recall@3": weighted("recall_at_3"),
        "mrr@10": weighted("mrr_at_10"),
        "unanswerable": unanswerable,
        "unanswerable declined": sum(r.declined_unanswerable for r in reports) / unanswerable,
        "answerable declined": sum(r.wrongly_declined for r in reports) / answerable,
        "latency p50 ms": sorted(r.latency_p50_ms for r in reports)[len(reports) // 2],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("check", "fit", "all"), default="check")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    splits = {"check": CHECK_ARTICLES, "fit": FIT_ARTICLES}
    chosen = splits if args.split == "all" else {args.split: splits[args.split]}
    results: dict[str, dict[str, dict[str, float]]] = {}
    for split, names in chosen.items():
        reports: dict[str, list[Report]] = {mode: [] for mode in MODES}
        for name in names:
            pipeline = Pipeline.build(SQUAD / f"{name}.txt")
            questions = load_questions(SQUAD / f"{name}.jsonl")
            for mode in MODES:
                reports[mode].append(evaluate(pipeline, questions, k=10, retriever=mode)[0])
        results[split] = {mode: _pooled(reports[mode]) for mode in MODES}
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for split, by_mode in results.items():
        print(f"{split} articles ({by_mode['hybrid']['answerable']} answerable, "
              f"{by_mode['hybrid']['unanswerable']} unanswerable questions)")
        print(f"  {'retriever':8} {'r@1':>6} {'r@3':>6} {'mrr@10':>7} {'declined: unans.':>17} "
              f"{'answ.':>6} {'p50 ms':>7}")
        for name, f in by_mode.items():
            print(f"  {name:8} {f['recall@1']:6.3f} {f['recall@3']:6.3f} {f['mrr@10']:7.3f} "
                  f"{f['unanswerable declined']:17.3f} {f['answerable declined']:6.3f} "
                  f"{f['latency p50 ms']:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
