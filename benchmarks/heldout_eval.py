"""Quality on articles the system was not built on: held-out sets beside the shipped one.

Each folder under ``benchmarks/heldout/`` holds an ``article.txt`` and a ``questions.jsonl``
(same format as ``seeds/questions.jsonl``), written by someone who had not seen the system's
output. Every set is evaluated with the hybrid ranking and both baselines; one table per
set plus one for all held-out questions together.

    .venv/bin/python benchmarks/heldout_eval.py [--json]
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

from qa.evaluate import (  # noqa: E402
    COMPARED_RETRIEVERS,
    QuestionResult,
    Report,
    evaluate,
    format_comparison,
    load_questions,
    summarise,
)
from qa.pipeline import Pipeline  # noqa: E402

HELDOUT = ROOT / "benchmarks" / "heldout"
SEED = ("seed (shipped, tuned on)", ROOT / "seeds" / "000_378344c681942944.txt",
        ROOT / "seeds" / "questions.jsonl")


def _sets() -> list[tuple[str, Path, Path]]:
    found = [
        (folder.name, folder / "article.txt", folder / "questions.jsonl")
        for folder in sorted(HELDOUT.iterdir())
        if (folder / "article.txt").is_file() and (folder / "questions.jsonl").is_file()
    ]
    if not found:
        raise SystemExit(f"no held-out sets (article.txt + questions.jsonl) under {HELDOUT}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = parser.parse_args(argv)

    pooled: dict[str, list[QuestionResult]] = {name: [] for name in COMPARED_RETRIEVERS}
    tables: dict[str, dict[str, Report]] = {}
    for name, article, questions_file in [SEED, *_sets()]:
        pipeline = Pipeline.build(article)
        questions = load_questions(questions_file)
        reports: dict[str, Report] = {}
        for retriever in COMPARED_RETRIEVERS:
            report, results = evaluate(pipeline, questions, retriever=retriever)
            reports[retriever] = report
            if name != SEED[0]:
                pooled[retriever].extend(results)
        tables[name] = reports
    tables["all held-out sets"] = {
        str(name): summarise(results) for name, results in pooled.items()
    }

    if args.json:
        print(json.dumps(
            {name: {r: rep.to_dict() for r, rep in reports.items()}
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
