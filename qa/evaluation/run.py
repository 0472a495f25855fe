"""Running a question set through a pipeline: ask each question or turn, time it, score it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from qa.core.errors import QAError, QuestionSetError
from qa.core.files import write_atomically
from qa.core.types import Answer, Passage
from qa.evaluation.metrics import is_relevant
from qa.evaluation.results import PassageHit, QuestionResult, Report, summarise
from qa.evaluation.sets import EvalQuestion

if TYPE_CHECKING:
    from qa.dialogue import Conversation

__all__ = [
    "COMPARED_RETRIEVERS",
    "MIN_K",
    "Retriever",
    "SupportsAnswer",
    "compare",
    "evaluate",
    "write_details",
]

Retriever = Literal["hybrid", "dense", "bm25"]

#: ``qa eval --compare``: the product's retriever first, then its two halves.
COMPARED_RETRIEVERS: tuple[Retriever, ...] = ("hybrid", "dense", "bm25")

#: The metric names are fixed by the report format, so the depth they need is too.
MIN_K = 10


class SupportsAnswer(Protocol):
    """The part of :class:`qa.answering.pipeline.Pipeline` that evaluation needs."""

    @property
    def passages(self) -> tuple[Passage, ...]: ...

    def answer(
        self, question: str, k: int = 3, *, retriever: Retriever | None = None
    ) -> Answer: ...



def _relevant_counts(
    passages: Sequence[Passage], questions: Sequence[EvalQuestion]
) -> dict[str, int]:
    """How many passages of the article answer each answerable question.

    A question none of whose answers occurs in any passage would silently score zero, which
    hides a question set written for another article; it is an error instead.
    """
    counts: dict[str, int] = {}
    for question in questions:
        if question.unanswerable:
            continue
        count = sum(is_relevant(passage.text, question.answers) for passage in passages)
        if count == 0:
            raise QuestionSetError(
                f"question {question.id!r} (line {question.line}): none of its answers "
                f"({', '.join(repr(a) for a in question.answers)}) occurs in the article; "
                "copy answers verbatim from the article this set is run against"
            )
        counts[question.id] = count
    return counts


def evaluate(
    pipeline: SupportsAnswer,
    questions: Sequence[EvalQuestion],
    *,
    k: int = MIN_K,
    retriever: Retriever | None = None,
    in_context: bool = True,
) -> tuple[Report, tuple[QuestionResult, ...]]:
    """Ask every question (top ``k`` passages) and score the rankings.

    The first question is asked once untimed before timing starts, so latency is warm (the
    model and indexes load lazily). Retrieval metrics are computed over the returned passages
    even when the pipeline declines: declining is scored separately. The turns of a
    conversation are asked in their conversation (needs a :class:`qa.answering.pipeline.Pipeline`),
    or each on its own when ``in_context`` is False.
    """
    if not questions:
        raise ValueError("no questions to evaluate")
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} so that mrr@10 and ndcg@10 are measured")
    n_relevant = _relevant_counts(pipeline.passages, questions)

    pipeline.answer(questions[0].question, k=k, retriever=retriever)
    results: list[QuestionResult] = []
    dialogue: Conversation | None = None
    for question in questions:
        started = time.perf_counter()
        if in_context and question.conversation is not None:
            if question.turn == 0 or dialogue is None:
                from qa.dialogue import Conversation

                # Conversations need the real pipeline (its people and passage hints).
                dialogue = Conversation(pipeline)  # type: ignore[arg-type]
            answer = dialogue.ask(question.question, k, retriever=retriever)
        else:
            answer = pipeline.answer(question.question, k=k, retriever=retriever)
        latency_ms = (time.perf_counter() - started) * 1000.0
        hits = tuple(
            PassageHit(
                rank=ranked.rank,
                paragraph=ranked.paragraph,
                article=ranked.article,
                score=ranked.score,
                speaker=ranked.speaker.name if ranked.speaker is not None else None,
                kind=ranked.kind,
                hit=not question.unanswerable and is_relevant(ranked.text, question.answers),
            )
            for ranked in sorted(answer.passages, key=lambda p: p.rank)
        )
        results.append(
            QuestionResult(
                question=question,
                answered=answer.answered,
                passages=hits,
                n_relevant=n_relevant.get(question.id, 0),
                latency_ms=latency_ms,
                resolved_question=answer.resolved_question,
                short=answer.short.text if answer.short is not None else None,
            )
        )
    return summarise(results), tuple(results)


def compare(
    pipeline: SupportsAnswer,
    questions: Sequence[EvalQuestion],
    *,
    k: int = MIN_K,
    retrievers: Sequence[Retriever] = COMPARED_RETRIEVERS,
) -> dict[str, Report]:
    """One :class:`Report` per retriever, same process, same pipeline, same questions."""
    return {
        name: evaluate(pipeline, questions, k=k, retriever=name)[0] for name in retrievers
    }


def write_details(results: Iterable[QuestionResult], path: Path) -> None:
    """Write one JSON line per question to ``path``, atomically (a reader never sees half).

    Raises :class:`QAError` if the file cannot be written.
    """
    path = Path(path)
    lines = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)
    try:
        write_atomically(path, lines.encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise QAError(f"{path}: cannot write the details file ({reason})") from exc
