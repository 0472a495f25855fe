"""The scores of one ranking or one short answer: pure functions, cross-checked by the tests.

The ranking metrics take relevance by rank (a list of booleans), the short-answer metrics
follow the official SQuAD script.
"""

from __future__ import annotations

import math
import string
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = [
    "exact_match",
    "is_relevant",
    "mean",
    "ndcg_at",
    "normalise",
    "percentile",
    "recall_at",
    "reciprocal_rank",
    "token_f1",
]


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_relevant(text: str, answers: Sequence[str]) -> bool:
    """True if ``text`` contains one of ``answers``, ignoring case and runs of whitespace."""
    haystack = normalise(text)
    return any(needle and needle in haystack for needle in map(normalise, answers))


def _squad_tokens(text: str) -> list[str]:
    """The words of an answer as the official SQuAD script compares them: lower case, ASCII
    punctuation deleted ("non-Catholics" -> "noncatholics"), the articles a/an/the dropped."""
    kept = "".join(ch for ch in text.lower() if ch not in string.punctuation)
    return [word for word in kept.split() if word not in ("a", "an", "the")]


def exact_match(prediction: str, answers: Sequence[str]) -> float:
    """1.0 if ``prediction`` equals one of ``answers`` after SQuAD normalisation, else 0.0."""
    words = _squad_tokens(prediction)
    return 1.0 if any(words == _squad_tokens(answer) for answer in answers) else 0.0


def token_f1(prediction: str, answers: Sequence[str]) -> float:
    """The best token F1 of ``prediction`` against ``answers`` (SQuAD's bag-of-words F1)."""
    predicted = _squad_tokens(prediction)
    best = 0.0
    for answer in answers:
        gold = _squad_tokens(answer)
        common = sum((Counter(predicted) & Counter(gold)).values())
        if common:
            precision, recall = common / len(predicted), common / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"cutoff k must be at least 1, got {k}")


def recall_at(relevance: Sequence[bool], k: int) -> float:
    """Answer recall (a.k.a. success/hit rate): 1.0 if any of the top ``k`` is relevant."""
    _check_k(k)
    return 1.0 if any(relevance[:k]) else 0.0


def reciprocal_rank(relevance: Sequence[bool], k: int) -> float:
    """1 / rank of the first relevant passage within the top ``k``, else 0.0."""
    _check_k(k)
    for rank, hit in enumerate(relevance[:k], start=1):
        if hit:
            return 1.0 / rank
    return 0.0


def ndcg_at(relevance: Sequence[bool], k: int, n_relevant: int) -> float:
    """nDCG@k with binary gains.

    The ideal ranking puts ``n_relevant`` relevant passages (all those in the article, not
    just the retrieved ones) first, capped at ``k``; 0.0 when nothing is relevant.
    """
    _check_k(k)
    if n_relevant < 0:
        raise ValueError(f"n_relevant must be >= 0, got {n_relevant}")
    dcg = sum(1.0 / math.log2(rank + 1) for rank, hit in enumerate(relevance[:k], 1) if hit)
    # A ranking may repeat a passage's text (overlapping pieces); never let it exceed 1.0.
    ideal_hits = min(k, max(n_relevant, sum(bool(hit) for hit in relevance[:k])))
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal_hits + 1))
    return dcg / ideal if ideal else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default method)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float]) -> float | None:
    """The arithmetic mean; None when there is nothing to average (the report prints n/a)."""
    collected = list(values)
    return sum(collected) / len(collected) if collected else None
