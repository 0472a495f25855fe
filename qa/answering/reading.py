"""The reader in the answer: it reads the top passages, reorders them by a fitted second-stage
model, and lends its verdict to the decline decision, its sentence to the highlight and its span
to the short answer when it is sure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from qa.core.types import Passage, Span
from qa.ranking.models import ReadingModel
from qa.ranking.signals import Candidate, ReaderVerdict
from qa.reading.passages import PassageReading, SentenceReader, read_passages

__all__ = ["READ_PASSAGES", "ReadRanking", "read_and_rerank", "reader_short_answer"]

#: How many of the first stage's best passages the reader reads: where the answer is, nearly
#: always (recall@3 is about 0.99 on the development sets), at a cost that grows with each.
READ_PASSAGES = 3


@dataclass(frozen=True, slots=True)
class ReadRanking:
    """The candidates after the second stage, and what the reader found in each it read."""

    candidates: tuple[Candidate, ...]
    readings: Mapping[int, PassageReading]

    def verdict(self) -> ReaderVerdict | None:
        """What the reader says of the top passage, for the decline decision."""
        if not self.candidates:
            return None
        top = self.readings.get(self.candidates[0].passage_id)
        if top is None:
            return None
        others = [
            r.answerable for pid, r in self.readings.items()
            if pid != self.candidates[0].passage_id
        ]
        lead = top.answerable - max(others) if others else 0.0
        return ReaderVerdict(top.answerable, top.span_score, lead)


def read_and_rerank(
    reader: SentenceReader,
    model: ReadingModel,
    question: str,
    pool: Sequence[Candidate],
    passage_text: Callable[[int], tuple[str, Passage]],
    *,
    group: Callable[[Candidate], int] = lambda _: 0,
    read: int = READ_PASSAGES,
) -> ReadRanking:
    """Read the first ``read`` candidates of ``pool`` and order them by the second-stage
    score (within each ``group``: a conversation's preferred passages stay first)."""
    head = list(pool[:read])
    if not head:
        return ReadRanking(tuple(pool), {})
    located = [passage_text(c.passage_id) for c in head]
    found = read_passages(
        reader, question, [(text, p.start, p.end) for text, p in located]
    )
    readings = {c.passage_id: r for c, r in zip(head, found, strict=True) if r is not None}
    read_rows = [(i, r) for i, r in enumerate(found) if r is not None]
    if len(read_rows) < 2:
        return ReadRanking(tuple(pool), readings)
    scores = model.score(
        np.array([head[i].score for i, _ in read_rows]),
        np.array([r.answerable for _, r in read_rows]),
        np.array([r.span_score for _, r in read_rows]),
    )
    second = {i: float(score) for (i, _), score in zip(read_rows, scores, strict=True)}
    order = sorted(
        range(len(head)),
        key=lambda i: (group(head[i]), -second.get(i, -np.inf), i),
    )
    return ReadRanking(tuple([head[i] for i in order] + list(pool[read:])), readings)


def reader_short_answer(
    reading: PassageReading | None, text: str, model: ReadingModel
) -> Span | None:
    """The reader's span as the short answer, when its span head is at least as sure as the
    fitted threshold; None otherwise (the rules in :mod:`qa.answering.short_answer` decide)."""
    if reading is None or reading.span is None or reading.span_score < model.span_threshold:
        return None
    start, end = reading.span
    while start < end and not text[end - 1].isalnum() and text[end - 1] not in "%)$":
        end -= 1  # "in 2019." -> "in 2019"
    if start >= end:
        return None
    return Span(start, end, text[start:end])
