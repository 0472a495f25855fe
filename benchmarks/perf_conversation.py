"""What understanding a follow-up costs: resolution alone, and a turn asked in its
conversation against the same self-contained question asked alone.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/perf_conversation.py [--json]

Every turn of ``seeds/conversations.jsonl`` is replayed ``--rounds`` times. For each turn:
``resolve`` is timed on its own (the pure rules, with the state the conversation had), then
``Conversation.ask`` and ``Pipeline.answer`` of the resolved question with the same hints
(alternating, so neither enjoys a warmer cache). Target: resolving adds <= 5 ms at p50.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from qa.answering.pipeline import Pipeline
from qa.dialogue import Conversation, resolve
from qa.evaluation import load_questions

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = ROOT / "seeds" / "conversations.jsonl"


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    pipeline = Pipeline.build()
    turns = load_questions(CONVERSATIONS)
    pipeline.answer(turns[0].question)  # load the model and indexes before timing

    resolving: list[float] = []
    in_conversation: list[float] = []
    alone: list[float] = []
    for _ in range(args.rounds):
        chat = Conversation(pipeline)
        for turn in turns:
            if turn.turn == 0:
                chat.reset()
            started = time.perf_counter()
            resolution = resolve(turn.question, chat.state, chat.view)
            resolving.append(_ms(started))

            started = time.perf_counter()
            pipeline.answer(
                resolution.resolved_question, prefer=resolution.prefer, demote=resolution.demote
            )
            alone.append(_ms(started))

            started = time.perf_counter()
            chat.ask(turn.question)
            in_conversation.append(_ms(started))

    overhead = [c - a for c, a in zip(in_conversation, alone, strict=True)]
    result = {
        "turns": len(resolving),
        "resolve_ms": {"p50": _p(resolving, 50), "p95": _p(resolving, 95)},
        "ask_in_conversation_ms": {"p50": _p(in_conversation, 50), "p95": _p(in_conversation, 95)},
        "answer_resolved_alone_ms": {"p50": _p(alone, 50), "p95": _p(alone, 95)},
        "overhead_ms": {"p50": _p(overhead, 50)},
        "target_p50_ms": 5.0,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"turns timed                     {result['turns']}")
    for key in ("resolve_ms", "ask_in_conversation_ms", "answer_resolved_alone_ms"):
        row = result[key]
        assert isinstance(row, dict)
        print(f"{key:30}  p50 {row['p50']:7.2f}  p95 {row['p95']:7.2f}")
    print(f"{'overhead_ms (ask - answer)':30}  p50 {_p(overhead, 50):7.2f}  (target <= 5 ms)")


if __name__ == "__main__":
    main()
