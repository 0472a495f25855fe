"""What an evaluation run produced: per-question results and the aggregate :class:`Report`.

:func:`summarise` is pure, so a report can be recomputed from saved results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qa.answering.short_answer import asked_for
from qa.evaluation.metrics import (
    exact_match,
    mean,
    ndcg_at,
    normalise,
    percentile,
    recall_at,
    reciprocal_rank,
    token_f1,
)
from qa.evaluation.sets import NARRATION, EvalQuestion

__all__ = ["PassageHit", "QuestionResult", "Report", "summarise"]


@dataclass(frozen=True, slots=True)
class PassageHit:
    """One returned passage, as written to the details file."""

    rank: int
    paragraph: int
    article: str
    score: float
    speaker: str | None
    kind: str
    hit: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "paragraph": self.paragraph,
            "article": self.article,
            "score": round(self.score, 6),
            "speaker": self.speaker,
            "kind": self.kind,
            "hit": self.hit,
        }


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """What happened to one question: its ranking, relevance and timing."""

    question: EvalQuestion
    answered: bool
    passages: tuple[PassageHit, ...]
    n_relevant: int
    latency_ms: float
    #: For a turn asked in its conversation: the self-contained question that was searched.
    resolved_question: str | None = None
    #: The short answer the pipeline gave (``Answer.short``), if any.
    short: str | None = None

    @property
    def typed(self) -> bool:
        """Whether the question asks for a name, number, date, place or list by its wording."""
        return asked_for(self.question.question) is not None

    @property
    def short_answers(self) -> tuple[str, ...]:
        """What a short answer is scored against: the answers, and for a question about a
        speaker their name (a "who said" question is answered by the speaker)."""
        speaker = self.question.speaker
        named = () if speaker is None or speaker.casefold() == NARRATION else (speaker,)
        return (*self.question.answers, *named)

    @property
    def relevance(self) -> tuple[bool, ...]:
        return tuple(passage.hit for passage in self.passages)

    @property
    def first_hit_rank(self) -> int | None:
        return next((p.rank for p in self.passages if p.hit), None)

    @property
    def speaker_hit(self) -> bool | None:
        """Whether the top passage's speaker is the expected one; None if none is expected."""
        expected = self.question.speaker
        if expected is None or self.question.unanswerable:
            return None
        if not self.passages:
            return False
        actual = self.passages[0].speaker
        if expected.casefold() == NARRATION:
            return actual is None
        return actual is not None and normalise(actual) == normalise(expected)

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "id": q.id,
            "question": q.question,
            "unanswerable": q.unanswerable,
            "answers": list(q.answers),
            "expected_speaker": q.speaker,
            "answered": self.answered,
            "n_relevant": self.n_relevant,
            "first_hit_rank": self.first_hit_rank,
            "speaker_hit": self.speaker_hit,
            "short": self.short,
            "latency_ms": round(self.latency_ms, 3),
            **({} if q.conversation is None else {
                "conversation": q.conversation,
                "turn": q.turn + 1,
                "resolved_question": self.resolved_question or q.question,
            }),
            "passages": [passage.to_dict() for passage in self.passages],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Aggregate scores. A rate is None when no question counts towards it."""

    n_answerable: int
    recall_at_1: float | None
    recall_at_3: float | None
    recall_at_5: float | None
    mrr_at_10: float | None
    ndcg_at_10: float | None
    n_with_speaker: int
    speaker_accuracy_at_1: float | None
    n_unanswerable: int
    declined_unanswerable: int
    wrongly_declined: int
    latency_p50_ms: float
    latency_p95_ms: float
    #: Conversation sets only (None otherwise): answerable turns after the first of their
    #: conversation, and recall over them.
    n_followups: int | None = None
    recall_at_1_followups: float | None = None
    recall_at_3_followups: float | None = None
    #: Short answers, over answerable questions: how many ask for one by their wording
    #: (:func:`qa.answering.short_answer.asked_for`), how many got one, and SQuAD exact match
    #: and token F1 of those given.
    n_short_typed: int = 0
    n_short: int = 0
    short_exact_match: float | None = None
    short_f1: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of ``qa eval --json`` (the follow-up keys for conversation sets)."""
        followups: dict[str, Any] = {}
        if self.n_followups is not None:
            followups = {
                "n_followups": self.n_followups,
                "recall@1_followups": self.recall_at_1_followups,
                "recall@3_followups": self.recall_at_3_followups,
            }
        return {
            "n_answerable": self.n_answerable,
            "recall@1": self.recall_at_1,
            "recall@3": self.recall_at_3,
            "recall@5": self.recall_at_5,
            "mrr@10": self.mrr_at_10,
            "ndcg@10": self.ndcg_at_10,
            "n_with_speaker": self.n_with_speaker,
            "speaker_accuracy@1": self.speaker_accuracy_at_1,
            "n_unanswerable": self.n_unanswerable,
            "declined_unanswerable": self.declined_unanswerable,
            "wrongly_declined": self.wrongly_declined,
            "latency_ms": {"p50": self.latency_p50_ms, "p95": self.latency_p95_ms},
            **followups,
            # Always present, so the shape never depends on the data: a baseline retriever
            # gives no short answers (given 0, exact match and F1 null).
            "short_answers": {
                "typed": self.n_short_typed,
                "given": self.n_short,
                "exact_match": self.short_exact_match,
                "f1": self.short_f1,
            },
        }


def summarise(results: Sequence[QuestionResult]) -> Report:
    """The :class:`Report` of per-question results (pure; :func:`evaluate` calls it)."""
    if not results:
        raise ValueError("cannot summarise an empty list of results")
    answerable = [r for r in results if not r.question.unanswerable]
    unanswerable = [r for r in results if r.question.unanswerable]
    speaker_hits = [r.speaker_hit for r in answerable if r.speaker_hit is not None]
    latencies = [r.latency_ms for r in results]
    followups = [r for r in answerable if r.question.turn > 0]
    shorts = [r for r in answerable if r.short is not None]
    return Report(
        n_answerable=len(answerable),
        recall_at_1=_mean_recall(answerable, 1),
        recall_at_3=_mean_recall(answerable, 3),
        recall_at_5=_mean_recall(answerable, 5),
        mrr_at_10=mean(reciprocal_rank(r.relevance, 10) for r in answerable),
        ndcg_at_10=mean(ndcg_at(r.relevance, 10, r.n_relevant) for r in answerable),
        n_with_speaker=len(speaker_hits),
        speaker_accuracy_at_1=mean(1.0 if hit else 0.0 for hit in speaker_hits),
        n_unanswerable=len(unanswerable),
        declined_unanswerable=_n_declined(unanswerable),
        wrongly_declined=_n_declined(answerable),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        n_followups=len(followups) if _is_conversational(results) else None,
        recall_at_1_followups=_mean_recall(followups, 1),
        recall_at_3_followups=_mean_recall(followups, 3),
        n_short_typed=sum(r.typed for r in answerable),
        n_short=len(shorts),
        short_exact_match=_mean_short_score(shorts, exact_match),
        short_f1=_mean_short_score(shorts, token_f1),
    )


def _mean_recall(results: Sequence[QuestionResult], k: int) -> float | None:
    return mean(recall_at(r.relevance, k) for r in results)


def _n_declined(results: Sequence[QuestionResult]) -> int:
    return sum(not r.answered for r in results)


def _is_conversational(results: Sequence[QuestionResult]) -> bool:
    # The follow-up count is reported (even as 0) exactly when the set has conversations,
    # so a plain question set's report keeps its shape.
    return any(r.question.conversation is not None for r in results)


def _mean_short_score(
    shorts: Sequence[QuestionResult], score: Callable[[str, Sequence[str]], float]
) -> float | None:
    # An empty short answer counts as given but is not scored, as before the split.
    return mean(score(r.short, r.short_answers) for r in shorts if r.short)
