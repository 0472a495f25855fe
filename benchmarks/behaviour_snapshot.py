"""Every answer the product gives on the development sets, as JSON lines, for diffing.

A refactoring that claims "behaviour unchanged" proves it by a snapshot before and after and an
empty diff (latencies are left out). Only the public API is used (``qa.Pipeline``,
``qa.dialogue``), so the same script runs on older trees:

    python benchmarks/behaviour_snapshot.py > after.jsonl
    PYTHONPATH=/path/to/old/tree python benchmarks/behaviour_snapshot.py > before.jsonl
    diff before.jsonl after.jsonl

Sets: the seed questions, the seed conversations (each turn in context) and the SQuAD 2.0
sample's check articles (``--squad``, slower).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("QA_SHARED", ROOT.parent / "shared"))
SQUAD = SHARED / "corpora" / "squad2-dev-sample"
CHECK_ARTICLES = (  # benchmarks/fit_fusion.py: never fitted on
    "intergovernmental-panel-on-climate-change", "normans", "sky-united-kingdom",
    "university-of-chicago", "warsaw",
)


def _record(answer: Any) -> dict[str, Any]:
    return {
        "reply": answer.reply,
        "answered": answer.answered,
        "confidence": None if answer.confidence is None else round(answer.confidence, 6),
        "short": None if answer.short is None else answer.short.text,
        "resolved": answer.resolved_question,
        "passages": [
            [p.rank, p.passage.id, round(p.score, 6), p.speaker.name if p.speaker else None,
             p.kind, p.highlight.start, p.highlight.end]
            for p in answer.passages
        ],
    }


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def snapshot(squad: bool) -> Iterator[dict[str, Any]]:
    import qa

    pipeline = qa.Pipeline.build(ROOT / "seeds")
    for item in _lines(ROOT / "seeds" / "questions.jsonl"):
        yield {"set": "questions", "id": item["id"], **_record(pipeline.answer(item["question"]))}
    for item in _lines(ROOT / "seeds" / "conversations.jsonl"):
        chat = qa.Conversation(pipeline)
        for number, turn in enumerate(item["turns"], start=1):
            answer = chat.ask(turn["question"])
            yield {"set": "conversations", "id": f"{item['id']}#{number}", **_record(answer)}
    if squad:
        for name in CHECK_ARTICLES:
            article = qa.Pipeline.build(SQUAD / f"{name}.txt")
            for item in _lines(SQUAD / f"{name}.jsonl"):
                record = _record(article.answer(item["question"]))
                yield {"set": f"squad/{name}", "id": item["id"], **record}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--squad", action="store_true", help="add the SQuAD check articles")
    args = parser.parse_args()
    for record in snapshot(args.squad):
        sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
