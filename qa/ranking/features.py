"""The fitted models' inputs: per-candidate rank features from :class:`Signals`, and the decline
features of one question's :class:`Evidence`. Each model file names these columns in order."""

from __future__ import annotations

import math

import numpy as np

from qa.ranking.signals import Evidence, Signals

__all__ = [
    "DECLINE_FEATURES",
    "RANK_FEATURES",
    "READING_FEATURES",
    "decline_features",
    "rank_features",
    "reading_features",
]

#: Span scores are start + end logits; an empty span is -1e9. Clipped so that one odd value
#: cannot dominate a linear model.
_SPAN_RANGE = (-10.0, 30.0)


#: Per-candidate features of the fusion model, in column order.
RANK_FEATURES: tuple[str, ...] = (
    # Cosines, raw: they are on one scale for every question.
    "dense",
    "sentence",
    # Cosines below the best candidate's: how far behind the leader a passage is. Within one
    # question they differ from the raw cosines by a constant, so they do not change the
    # order, only the score's level, which the decline model reads.
    "dense_gap",
    "sentence_gap",
    # BM25 scores divided by the best candidate's (BM25 has no fixed scale across questions).
    "lexical",
    "phrase",
    "sentence_lexical",
    # Idf-weighted share of the question's content words in the passage, and in its best
    # sentence.
    "coverage",
    "sentence_coverage",
    "speaker",
    "title",
    "answer_type",
    # 1 / (1 + rank) under each retriever alone: reciprocal-rank fusion as a feature.
    "dense_rank",
    "sentence_rank",
    "lexical_rank",
    # The article's title line (see qa.ranking.retriever.is_headline).
    "headline",
)

#: Features of the decline model, in column order (see :func:`decline_features`).
DECLINE_FEATURES: tuple[str, ...] = (
    "score",
    "margin",
    "similarity",
    "dense",
    "coverage",
    "sentence_coverage",
    "article_coverage",
    "missing_idf",
    "entities_missing",
    "negation_mismatch",
    "answer_type_asked",
    "answer_type_missing",
    "role_missing",
    "focus_missing",
    "question_words",
    "typed_answer_missing",
    "speaker_mismatch",
    # The trained reader on the top passage: its logit, its span head's confidence, and its
    # lead over the other passages it read (all 0 when no reader read it).
    "reader",
    "reader_span",
    "reader_lead",
)


def _relative_to_best(values: np.ndarray) -> np.ndarray:
    """``values`` divided by the largest (so the best candidate has 1); zeros when none is
    positive. BM25 scores are >= 0, so this keeps 0 meaning "no word in common"."""
    high = float(values.max(initial=0.0))
    if high <= 1e-9:
        return np.zeros(len(values), dtype=np.float64)
    return np.asarray(values, dtype=np.float64) / high


def _reciprocal_rank(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-np.asarray(values), kind="stable")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(len(values), dtype=np.float64)
    return 1.0 / (1.0 + ranks)


def rank_features(signals: Signals) -> np.ndarray:
    """The fusion model's input: one row per candidate, columns as :data:`RANK_FEATURES`."""
    n = len(signals.ids)
    if n == 0:
        return np.zeros((0, len(RANK_FEATURES)), dtype=np.float64)
    dense = np.asarray(signals.dense, dtype=np.float64)
    sentence = np.asarray(signals.sentence, dtype=np.float64)
    columns = (
        dense,
        sentence,
        dense - dense.max(),
        sentence - sentence.max(),
        _relative_to_best(signals.lexical),
        _relative_to_best(signals.phrase),
        _relative_to_best(signals.sentence_lexical),
        signals.coverage,
        signals.sentence_coverage,
        signals.speaker,
        signals.title,
        signals.answer_type,
        _reciprocal_rank(dense),
        _reciprocal_rank(sentence),
        _reciprocal_rank(signals.lexical),
        signals.headline,
    )
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])


def decline_features(evidence: Evidence) -> np.ndarray:
    """The decline model's input for one question, columns as :data:`DECLINE_FEATURES`."""
    asked = evidence.answer_type is not None
    return np.array(
        [
            evidence.score,
            evidence.margin,
            evidence.similarity,
            evidence.dense,
            evidence.coverage,
            evidence.sentence_coverage,
            evidence.article_coverage,
            evidence.missing_idf,
            evidence.entities_missing,
            float(evidence.negation_mismatch),
            float(asked),
            float(asked and not evidence.answer_type_found),
            float(evidence.asks_for_person_by_role and not evidence.person_found),
            float(evidence.missing_focus is not None),
            math.log1p(evidence.question_words),
            float(evidence.typed_answer_missing),
            float(evidence.speaker_mismatch),
            *_reader_columns(evidence),
        ],
        dtype=np.float64,
    )


def _reader_columns(evidence: Evidence) -> tuple[float, float, float]:
    verdict = evidence.reader
    if verdict is None:
        return 0.0, 0.0, 0.0
    return verdict.answerable, _clipped_span(verdict.span_score), verdict.lead


def _clipped_span(score: float) -> float:
    return min(max(score, _SPAN_RANGE[0]), _SPAN_RANGE[1])


#: Features of the second-stage ranking of the passages the reader read, in column order.
READING_FEATURES: tuple[str, ...] = (
    # The fusion score below the best read passage's: the first stage's opinion.
    "fusion_gap",
    # The reader's logit for the passage's best sentence, and its span head's confidence.
    "reader",
    "reader_span",
)

def reading_features(
    scores: np.ndarray, answerable: np.ndarray, span_scores: np.ndarray
) -> np.ndarray:
    """The second-stage model's input: one row per read passage, columns as
    :data:`READING_FEATURES`."""
    scores = np.asarray(scores, dtype=np.float64)
    if not len(scores):
        return np.zeros((0, len(READING_FEATURES)), dtype=np.float64)
    return np.column_stack([
        scores - scores.max(),
        np.asarray(answerable, dtype=np.float64),
        np.clip(np.asarray(span_scores, dtype=np.float64), *_SPAN_RANGE),
    ])
