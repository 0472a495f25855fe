"""Rank passages for a question: BM25 + dense scores, fused, with speaker-aware boosts.

Scores from the two retrievers live on different scales (BM25 is unbounded, cosine is in
[-1, 1]), so each is min-max normalised over the candidate set before a weighted sum. The
weights were chosen by a cross-validated search on the shipped question set
(``benchmarks/tune_fusion.py``); they sit in :class:`FusionWeights` so nothing is hidden.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from qa.article import split_sentences
from qa.config import RetrieverName
from qa.types import Passage, Person

if TYPE_CHECKING:
    import bm25s

__all__ = [
    "Candidate",
    "FusionWeights",
    "LexicalIndex",
    "QueryEncoder",
    "Retriever",
    "SpeakerMatch",
    "VectorSearch",
    "best_sentence",
    "content_tokens",
    "match_speakers",
]

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

# Words that carry no topic: function words plus the interrogatives and light verbs
# questions are made of, so "What did Luo say about X" is judged on "Luo" and "X".
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom whose why will with would you your yours yourself
    yourselves according article tell told say says said saying mention mentioned mentions
    describe described does kind way ways thing things mean means something anything
    many much give given get got make made"""
    .split()
)


class QueryEncoder(Protocol):
    def encode_query(self, text: str) -> np.ndarray: ...


class VectorSearch(Protocol):
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer  # PyStemmer: the Snowball stemmer bm25s itself recommends

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """Lower-cased word tokens, possessive "'s" dropped."""
    tokens = []
    for match in _TOKEN.finditer(text.lower()):
        token = match.group()
        if token.endswith(("'s", "\u2019s")):
            token = token[:-2]
        tokens.append(token)
    return tokens


def content_tokens(text: str) -> list[str]:
    """Stemmed content words: what lexical matching and highlighting compare."""
    return [_stem(w) for w in words(text) if w not in _STOPWORDS]


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """How much each signal counts in the fused score (all on a 0..1 scale)."""

    dense: float = 0.5
    lexical: float = 0.5
    #: Added for passages whose speaker the question names ("What did Luo say ...").
    speaker: float = 0.25
    #: How many candidates each retriever contributes before fusion.
    candidates: int = 100


@dataclass(frozen=True, slots=True)
class Candidate:
    """One passage's evidence for a question."""

    passage_id: int
    score: float
    dense: float
    lexical: float
    speaker_match: bool


@dataclass(frozen=True, slots=True)
class SpeakerMatch:
    """A person the question refers to, and how: by ``name``, ``surname`` or ``title``."""

    person: Person
    how: str


class LexicalIndex:
    """BM25 (bm25s) over stemmed content words, plus the document frequencies the
    highlighter and the decline decision need."""

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s

        corpus = [content_tokens(text) for text in texts]
        self._bm25: bm25s.BM25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self.size = len(corpus)
        self._document_frequency: Counter[str] = Counter()
        for tokens in corpus:
            self._document_frequency.update(set(tokens))

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(list(tokens)), dtype=np.float32)

    def idf(self, token: str) -> float:
        """Smoothed idf; a word the article never uses gets the highest weight, which is
        what makes "population of Shanghai" look unanswered."""
        df = self._document_frequency.get(token, 0)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))


def _normalise(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min(initial=0.0)), float(values.max(initial=0.0))
    if high - low < 1e-9:
        return np.zeros_like(values) if high <= 0 else np.ones_like(values)
    return (values - low) / (high - low)


def match_speakers(question: str, people: Sequence[Person]) -> list[SpeakerMatch]:
    """People the question refers to, by full name, surname or (part of) their title.

    A title match needs at least two of the title's content words in the question and must
    beat every other person's title, so "the commission director" picks Luo Dajin while a
    bare "science" names nobody.
    """
    lowered = " ".join(words(question))
    found: list[SpeakerMatch] = []
    for person in people:
        name = " ".join(words(person.name))
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            found.append(SpeakerMatch(person, "name"))
            continue
        for alias in person.aliases:
            alias_words = " ".join(words(alias))
            if alias_words and len(alias_words.split()) == 1 and alias_words in name.split():
                if re.search(rf"\b{re.escape(alias_words)}\b", lowered):
                    found.append(SpeakerMatch(person, "surname"))
                    break
    if found:
        return found
    question_stems = set(content_tokens(question))
    title_overlap: list[tuple[int, Person]] = []
    for person in people:
        title_stems: set[str] = set()
        for phrase in (person.title or "", *person.aliases):
            title_stems.update(content_tokens(phrase))
        title_overlap.append((len(question_stems & title_stems), person))
    title_overlap.sort(key=lambda pair: -pair[0])
    if title_overlap and title_overlap[0][0] >= 2:
        if len(title_overlap) == 1 or title_overlap[0][0] > title_overlap[1][0]:
            return [SpeakerMatch(title_overlap[0][1], "title")]
    return []


def best_sentence(
    text: str, start: int, end: int, question_tokens: Sequence[str], idf: LexicalIndex
) -> tuple[int, int]:
    """Offsets of the sentence in ``text[start:end]`` sharing the most idf-weighted content
    words with the question (the first sentence when none shares any)."""
    sentences = split_sentences(text, start, end) or [(start, end)]
    wanted = set(question_tokens)
    best, best_score = sentences[0], 0.0
    for s_start, s_end in sentences:
        overlap = wanted.intersection(content_tokens(text[s_start:s_end]))
        score = sum(idf.idf(token) for token in overlap)
        if score > best_score + 1e-9:
            best, best_score = (s_start, s_end), score
    return best


class Retriever:
    """Hybrid ranking over one fixed set of passages. Read-only after construction, so one
    instance serves concurrent requests."""

    def __init__(
        self,
        passages: Sequence[Passage],
        vectors: VectorSearch,
        encoder: QueryEncoder,
        people: Sequence[Person] = (),
        *,
        weights: FusionWeights | None = None,
    ) -> None:
        self.passages = tuple(passages)
        self.people = tuple(people)
        self.lexical = LexicalIndex([p.text for p in self.passages])
        self._vectors = vectors
        self._encoder = encoder
        self.weights = weights or FusionWeights()

    def _dense_scores(self, query: np.ndarray, limit: int) -> dict[int, float]:
        scores, ids = self._vectors.search(query.reshape(1, -1), limit)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}

    def rank(
        self,
        question: str,
        k: int,
        *,
        mode: RetrieverName = "hybrid",
        speakers: Sequence[SpeakerMatch] = (),
    ) -> list[Candidate]:
        """The ``k`` best candidates, best first. ``mode`` picks the baseline to compare with."""
        n = len(self.passages)
        k = min(k, n)
        limit = min(n, max(self.weights.candidates, k))
        tokens = content_tokens(question)

        dense: dict[int, float] = {}
        query: np.ndarray | None = None
        if mode in ("hybrid", "dense"):
            query = self._encoder.encode_query(question)
            dense = self._dense_scores(query, limit)
        lexical_all = self.lexical.scores(tokens) if mode in ("hybrid", "bm25") else None
        lexical: dict[int, float] = {}
        if lexical_all is not None:
            top = np.argpartition(-lexical_all, limit - 1)[:limit] if limit < n else range(n)
            lexical = {int(i): float(lexical_all[i]) for i in top}
        if mode == "hybrid" and lexical_all is not None:
            # Dense candidates need lexical scores too (and vice versa) to fuse fairly.
            for i in dense:
                lexical.setdefault(i, float(lexical_all[i]))
            missing = [i for i in lexical if i not in dense]
            if missing and query is not None:
                dense.update(self._rescore_dense(query, missing))

        ids = sorted(set(dense) | set(lexical))
        dense_arr = np.array([dense.get(i, 0.0) for i in ids], dtype=np.float32)
        lexical_arr = np.array([lexical.get(i, 0.0) for i in ids], dtype=np.float32)
        speaker_names = {m.person.name for m in speakers}
        boost = np.array(
            [
                1.0
                if (sp := self.passages[i].speaker) is not None and sp.name in speaker_names
                else 0.0
                for i in ids
            ],
            dtype=np.float32,
        )
        w = self.weights
        if mode == "dense":
            fused = dense_arr
        elif mode == "bm25":
            fused = lexical_arr
        else:
            fused = (
                w.dense * _normalise(dense_arr)
                + w.lexical * _normalise(lexical_arr)
                + w.speaker * boost
            )
        order = np.argsort(-fused, kind="stable")[:k]
        return [
            Candidate(
                passage_id=ids[j],
                score=float(fused[j]),
                dense=float(dense_arr[j]),
                lexical=float(lexical_arr[j]),
                speaker_match=bool(boost[j]),
            )
            for j in order
        ]

    def _rescore_dense(self, query: np.ndarray, ids: Sequence[int]) -> dict[int, float]:
        matrix = getattr(self._vectors, "vectors", None)
        if matrix is None:
            return {}
        vectors = matrix()[np.asarray(ids)]
        return {i: float(s) for i, s in zip(ids, vectors @ query, strict=True)}
