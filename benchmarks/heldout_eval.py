"""Quality on question and conversation sets beside the shipped ones, one table per set.

Each folder under the chosen root holds a ``questions.jsonl`` and/or a ``conversations.jsonl``
(the ``qa eval`` formats) and an ``article.txt`` (a folder without one is about the seed
article). Question sets are evaluated with the hybrid ranking and both baselines;
conversation sets in context, with no context (each turn asked alone) and, where a
``conversations_selfcontained.jsonl`` sits beside them, with every turn rewritten as a
self-contained question.

A new set written blind (by someone who read only its article) is run with this script once,
as a held-out set, and reported; it is development data from then on. Those already run are
in ``benchmarks/development/round1`` .. ``round3`` (see the README there); the probe set for
declining is ``benchmarks/probe``.

    .venv/bin/python benchmarks/heldout_eval.py --root benchmarks/development/round3 [--json]
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

from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.core.config import default_article  # noqa: E402
from qa.evaluation import (  # noqa: E402
    COMPARED_RETRIEVERS,
    QuestionResult,
    Report,
    evaluate,
    format_comparison,
    load_questions,
    summarise,
)


def _runs(folder: Path) -> list[tuple[str, Path, str, bool]]:
    """(label, file, retriever, in context) for every evaluation of a folder's sets."""
    runs: list[tuple[str, Path, str, bool]] = []
    questions = folder / "questions.jsonl"
    if questions.is_file():
        runs += [(f"questions / {r}", questions, r, True) for r in COMPARED_RETRIEVERS]
    conversations = folder / "conversations.jsonl"
    if conversations.is_file():
        runs += [
            ("conversations / in context", conversations, "hybrid", True),
            ("conversations / no context", conversations, "hybrid", False),
        ]
        rewritten = folder / "conversations_selfcontained.jsonl"
        if rewritten.is_file():
            runs.append(("conversations / rewritten", rewritten, "hybrid", False))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True,
                        help="folder of sets, e.g. benchmarks/development/round3")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = parser.parse_args(argv)

    folders = [f for f in sorted(args.root.iterdir()) if f.is_dir() and _runs(f)]
    if not folders:
        raise SystemExit(f"no question or conversation sets under {args.root}")
    pooled: dict[str, list[QuestionResult]] = {}
    tables: dict[str, dict[str, Report]] = {}
    for folder in folders:
        article = folder / "article.txt"
        pipeline = Pipeline.build(article if article.is_file() else default_article())
        for label, path, retriever, in_context in _runs(folder):
            kind, column = label.split(" / ")
            report, results = evaluate(
                pipeline, load_questions(path), retriever=retriever,  # type: ignore[arg-type]
                in_context=in_context,
            )
            tables.setdefault(f"{folder.name} {kind}", {})[column] = report
            pooled.setdefault(label, []).extend(results)
    for label, results in pooled.items():
        kind, column = label.split(" / ")
        tables.setdefault(f"all sets, {kind}", {})[column] = summarise(results)

    if args.json:
        print(json.dumps(
            {name: {column: report.to_dict() for column, report in reports.items()}
             for name, reports in tables.items()},
            indent=2,
        ))
        return 0
    for name, reports in tables.items():
        print(f"\n== {name}")
        print(format_comparison(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
