"""The reader applied to passages: each passage's sentences read in one batch, and per passage the
sentence that best answers the question, with its short-answer span."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.reading.reader import Reading
from qa.text.sentences import split_sentences

__all__ = ["MAX_SENTENCES", "PassageReading", "SentenceReader", "read_passages"]

#: Most sentences read for one question: the reader's cost grows with them, and the first
#: sentences of the top passages are where answers are.
MAX_SENTENCES = 24


class SentenceReader(Protocol):
    def read(self, question: str, sentences: Sequence[str]) -> tuple[Reading, ...]: ...


@dataclass(frozen=True, slots=True)
class PassageReading:
    """The reader's verdict on one passage: its best sentence and how well it answers."""

    #: Logit that the best sentence answers the question (the passage's reader score).
    answerable: float
    #: Offsets of that sentence in the article's text.
    sentence: tuple[int, int]
    #: Offsets of the answer span the reader found in it, in the article's text (or None).
    span: tuple[int, int] | None
    #: How sure the span head is of that span (start + end logit).
    span_score: float


def read_passages(
    reader: SentenceReader,
    question: str,
    passages: Sequence[tuple[str, int, int]],
    *,
    max_sentences: int = MAX_SENTENCES,
) -> tuple[PassageReading | None, ...]:
    """For each passage (its article's text and its ``start``, ``end`` offsets in it), what the
    reader makes of its sentences; None for a passage none of whose sentences fit in
    ``max_sentences`` (passages are read in order, so the first get their sentences)."""
    owners: list[int] = []
    spans: list[tuple[int, int]] = []
    for number, (text, start, end) in enumerate(passages):
        for sentence in split_sentences(text, start, end) or [(start, end)]:
            if len(spans) < max_sentences:
                owners.append(number)
                spans.append(sentence)
    readings = reader.read(
        question, [passages[o][0][s:e] for o, (s, e) in zip(owners, spans, strict=True)]
    )
    best: list[PassageReading | None] = [None] * len(passages)
    for owner, (start, end), reading in zip(owners, spans, readings, strict=True):
        current = best[owner]
        if current is None or reading.answerable > current.answerable:
            span = reading.span
            best[owner] = PassageReading(
                answerable=reading.answerable,
                sentence=(start, end),
                span=None if span is None else (start + span[0], start + span[1]),
                span_score=reading.span_score,
            )
    return tuple(best)
