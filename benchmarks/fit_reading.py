"""How the product uses the trained reader, fitted on development questions (called by
``benchmarks/fit_fusion.py``, which owns the data split):

- the second stage: the first stage's best :data:`READ_PASSAGES` passages are read, and a
  pairwise logistic regression over :data:`qa.ranking.features.READING_FEATURES` (the first
  stage's score gap, the reader's logit, its span confidence) reorders them;
- the span threshold: the span head's confidence above which its span is the short answer,
  the lowest at which spans on the fit split's typed SQuAD questions reach
  :data:`SPAN_EXACT_MATCH` exact match.

The reader's outputs are cached by (question, sentence), so refitting reads each pair once.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.answering.pipeline import Pipeline
from qa.answering.reading import READ_PASSAGES
from qa.answering.short_answer import asked_for
from qa.evaluation import exact_match
from qa.ranking.features import READING_FEATURES, reading_features
from qa.ranking.models import FusionModel, ReadingModel, _Linear
from qa.reading.passages import PassageReading, read_passages
from qa.reading.reader import Reader, Reading

#: Exact match the reader's spans must reach (fit split) to be given as short answers.
SPAN_EXACT_MATCH = 0.8


class CachedReader:
    """The shipped reader with its outputs kept by (question, sentence)."""

    def __init__(self, reader: Reader, cache: Path | None = None) -> None:
        self._reader = reader
        self._path = cache
        self.store: dict[tuple[str, str], Reading] = {}
        if cache is not None and cache.exists():
            with cache.open("rb") as handle:
                self.store = pickle.load(handle)

    def read(self, question: str, sentences: Sequence[str]) -> tuple[Reading, ...]:
        missing = [s for s in dict.fromkeys(sentences) if (question, s) not in self.store]
        if missing:
            for sentence, reading in zip(
                missing, self._reader.read(question, missing), strict=True
            ):
                self.store[(question, sentence)] = reading
        return tuple(self.store[(question, s)] for s in sentences)

    def save(self) -> None:
        if self._path is not None:
            with self._path.open("wb") as handle:
                pickle.dump(self.store, handle)


@dataclass(frozen=True)
class Read:
    """One question's first-stage top passages as the reader saw them."""

    relevant: np.ndarray
    scores: np.ndarray
    readings: tuple[PassageReading, ...]

    def features(self) -> np.ndarray:
        return reading_features(
            self.scores,
            np.array([r.answerable for r in self.readings]),
            np.array([r.span_score for r in self.readings]),
        )


def read_top(
    rows: Sequence[Any], pipelines: dict[str, Pipeline], fusion: FusionModel, reader: Any
) -> list[Read | None]:
    """For each row with candidates: its first stage's top passages, read (None otherwise)."""
    reads: list[Read | None] = []
    for row in rows:
        if row.signals is None or not len(row.signals.ids):
            reads.append(None)
            continue
        pipeline = pipelines[row.dev.name]
        scores = fusion.score(row.signals)
        top = np.argsort(-scores, kind="stable")[:READ_PASSAGES]
        passages = [pipeline.passages[int(row.signals.ids[j])] for j in top]
        found = read_passages(
            reader, pipeline.searched_text(row.question.question),
            [(pipeline.corpus.text_of(p), p.start, p.end) for p in passages],
        )
        if any(f is None for f in found):
            reads.append(None)
            continue
        reads.append(Read(row.relevant[top], scores[top], tuple(found)))  # type: ignore[arg-type]
    return reads


def fit_reading(
    rows: Sequence[Any], reads: Sequence[Read | None], news_weight: float
) -> np.ndarray:
    """Pairwise logistic regression (relevant minus irrelevant read passage) over the rows
    given; a news question weighs ``news_weight`` SQuAD ones."""
    from sklearn.linear_model import LogisticRegression

    diffs, weights = [], []
    for row, read in zip(rows, reads, strict=True):
        if read is None or row.question.unanswerable:
            continue
        if not read.relevant.any() or read.relevant.all():
            continue
        x = read.features()
        pairs = (x[read.relevant][:, None, :] - x[~read.relevant][None, :, :]).reshape(
            -1, len(READING_FEATURES)
        )
        diffs.append(pairs)
        share = news_weight if row.dev.kind == "news" else 1.0
        weights.append(np.full(len(pairs), share / len(pairs)))
    stacked, weight = np.concatenate(diffs), np.concatenate(weights)
    x = np.concatenate([stacked, -stacked])
    y = np.r_[np.ones(len(stacked)), np.zeros(len(stacked))]
    weight = np.concatenate([weight, weight])
    scale = x.std(axis=0) + 1e-9
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=5000)
    model.fit(x / scale, y, sample_weight=weight * len(weight) / weight.sum())
    return model.coef_[0] / scale


def recall_at_1(
    rows: Sequence[Any], reads: Sequence[Read | None], weights: np.ndarray | None
) -> float:
    """recall@1 over the answerable rows: the first stage's (``weights`` None) or after the
    second stage reorders the read passages."""
    hits = []
    for row, read in zip(rows, reads, strict=True):
        if row.question.unanswerable or read is None:
            continue
        if weights is None:
            hits.append(bool(read.relevant[0]))
        else:
            hits.append(bool(read.relevant[int(np.argmax(read.features() @ weights))]))
    return float(np.mean(hits)) if hits else 0.0


def _top_reading(read: Read, weights: np.ndarray) -> PassageReading:
    return read.readings[int(np.argmax(read.features() @ weights))]


def span_threshold(
    rows: Sequence[Any],
    reads: Sequence[Read | None],
    weights: np.ndarray,
    pipelines: dict[str, Pipeline],
) -> tuple[float, list[tuple[float, bool]]]:
    """The lowest span confidence at which the top passage's spans reach
    :data:`SPAN_EXACT_MATCH` on typed answerable questions, and every (confidence, exact)."""
    scored = span_outcomes(rows, reads, weights, pipelines)
    ordered = sorted(scored, key=lambda item: -item[0])
    best = float("inf")
    exact = 0
    for n, (score, right) in enumerate(ordered, start=1):
        exact += right
        if n >= 20 and exact / n >= SPAN_EXACT_MATCH:
            best = score
    return best, scored


def span_outcomes(
    rows: Sequence[Any],
    reads: Sequence[Read | None],
    weights: np.ndarray,
    pipelines: dict[str, Pipeline],
) -> list[tuple[float, bool]]:
    """(span confidence, exact match) of the top passage's span for every answerable
    question whose wording asks for a typed phrase."""
    outcomes = []
    for row, read in zip(rows, reads, strict=True):
        if read is None or row.question.unanswerable or asked_for(row.question.question) is None:
            continue
        reading = _top_reading(read, weights)
        if reading.span is None:
            continue
        pipeline = pipelines[row.dev.name]
        text = pipeline.corpus.articles[0].text
        start, end = reading.span
        answer = text[start:end].strip(" .,;:")
        outcomes.append((reading.span_score, exact_match(answer, row.question.answers) > 0))
    return outcomes


def reading_model(
    weights: np.ndarray, threshold: float, provenance: dict[str, Any]
) -> ReadingModel:
    return ReadingModel(_Linear("reading", READING_FEATURES, weights, 0.0, provenance), threshold)
