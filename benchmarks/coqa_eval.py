"""Conversations nobody here wrote: the product on CoQA's crowd-written follow-ups, per source.

Each story under ``../shared/corpora/coqa-dev-other/<source>/`` (article + conversation) is
indexed and every turn is answered four ways, all ranking the same passages as the product:

- **in context**: the product, each turn asked in its conversation (:class:`qa.Conversation`);
- **no context**: the product, each turn asked on its own;
- **BM25, question**: plain BM25 over the question alone;
- **BM25, question + 2 previous**: plain BM25 over the question and the two questions before it.

Turns are pooled per source (stories differ a lot in length: Wikipedia averages 3.3 passages,
Gutenberg 8.9), and for each way: recall@1 over answerable turns, the turns whose right passage
is not first, and the share of answerable turns declined. ``--details DIR`` writes each turn of
the in-context run (resolved question, rank of the right passage) for reading failures.

    python benchmarks/coqa_eval.py [--stories 20] [--offset 0] [--sources wikipedia race]
                                   [--details /tmp/coqa] [--json]

The first 20 stories of each source are the ones the issue reports; fit anything on other
stories (``--offset``) and report on these, split by story.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.evaluation import (  # noqa: E402  # noqa: E402
    EvalQuestion,
    QuestionResult,
    evaluate,
    load_questions,
    summarise,
    write_details,
)

COQA = Path(os.environ.get("QA_SHARED", ROOT.parent / "shared")) / "corpora" / "coqa-dev-other"
SOURCES = ("wikipedia", "race", "mctest", "gutenberg")
WAYS = ("in context", "no context", "BM25, question", "BM25, question + 2 previous")


def _with_previous(questions: Sequence[EvalQuestion], n: int = 2) -> list[EvalQuestion]:
    """Each turn's question preceded by the ``n`` questions before it in its conversation."""
    out: list[EvalQuestion] = []
    history: list[str] = []
    for question in questions:
        if question.turn == 0:
            history = []
        text = " ".join([*history[-n:], question.question])
        out.append(replace(question, question=text))
        history.append(question.question)
    return out


def _story(folder: Path, encoder: Any) -> tuple[Pipeline, dict[str, tuple[QuestionResult, ...]]]:
    pipeline = Pipeline.build(folder / "article.txt", encoder=encoder)
    questions = load_questions(folder / "conversations.jsonl")
    runs = {
        "in context": evaluate(pipeline, questions, in_context=True)[1],
        "no context": evaluate(pipeline, questions, in_context=False)[1],
        "BM25, question": evaluate(pipeline, questions, retriever="bm25", in_context=False)[1],
        "BM25, question + 2 previous": evaluate(
            pipeline, _with_previous(questions), retriever="bm25", in_context=False
        )[1],
    }
    return pipeline, runs


def _figures(results: Sequence[QuestionResult]) -> dict[str, Any]:
    report = summarise(results)
    answerable = [r for r in results if not r.question.unanswerable]
    missed = sum(r.first_hit_rank != 1 for r in answerable)
    declined = sum(not r.answered for r in answerable)
    return {
        "answerable turns": len(answerable),
        "recall@1": round(report.recall_at_1 or 0.0, 3),
        "right passage not first": missed,
        "answerable declined": round(declined / max(1, len(answerable)), 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", nargs="+", choices=SOURCES, default=list(SOURCES))
    parser.add_argument("--stories", type=int, default=20, help="stories per source")
    parser.add_argument("--offset", type=int, default=0, help="skip this many stories first")
    parser.add_argument("--details", type=Path, help="folder for per-turn JSON lines")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    encoder = None
    table: dict[str, dict[str, Any]] = {}
    for source in args.sources:
        folders = sorted((COQA / source).iterdir())[args.offset : args.offset + args.stories]
        pooled: dict[str, list[QuestionResult]] = {way: [] for way in WAYS}
        started = time.perf_counter()
        for folder in folders:
            pipeline, runs = _story(folder, encoder)
            encoder = pipeline.encoder
            for way, results in runs.items():
                pooled[way].extend(results)
        table[source] = {way: _figures(results) for way, results in pooled.items()}
        if args.details:
            args.details.mkdir(parents=True, exist_ok=True)
            write_details(pooled["in context"], args.details / f"{source}.jsonl")
        print(f"  {source}: {len(folders)} stories in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    if args.json:
        print(json.dumps(table, indent=1))
        return 0
    print(f"{'source':10} {'way':28} {'turns':>5} {'r@1':>6} {'not first':>9} {'declined':>8}")
    for source, ways in table.items():
        for way, f in ways.items():
            print(f"{source:10} {way:28} {f['answerable turns']:5d} {f['recall@1']:6.3f} "
                  f"{f['right passage not first']:9d} {f['answerable declined']:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
