"""Rank passages for a question: BM25, dense and speaker-aware signals, fused by a learned model.

:meth:`Retriever.signals` computes every signal for the candidate passages; the fusion model
(:mod:`qa.ranking.models`, a logistic regression fitted on development questions by
``benchmarks/fit_fusion.py``) turns them into one score. Cosines are used raw and as a gap to the
best candidate; BM25 scores, which have no fixed scale, are divided by the best candidate's.
The dense and BM25 baselines rank by their own score alone.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from qa.core.config import RetrieverName
from qa.core.types import Passage, Person
from qa.ranking.answer_types import expected_answer_type, has_answer_type
from qa.ranking.lexical import LexicalIndex, lexical_documents, query_tokens
from qa.ranking.models import FusionModel, default_fusion
from qa.ranking.signals import Candidate, Signals
from qa.ranking.speakers import PeopleIndex, SpeakerMatch
from qa.text.tokens import content_tokens, stem, words

__all__ = ["QueryEncoder", "Retriever", "VectorSearch", "is_headline"]


class QueryEncoder(Protocol):
    def encode_query(self, text: str) -> np.ndarray: ...


class VectorSearch(Protocol):
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def vectors(self) -> np.ndarray: ...


_HEADLINE_MAX_WORDS = 25


def is_headline(passage: Passage) -> bool:
    """Whether ``passage`` is its article's title line: the first paragraph, short, with no
    sentence-ending punctuation."""
    text = passage.text.strip()
    return (
        passage.paragraph == 1
        and bool(text)
        and "\n" not in text
        and len(text.split()) <= _HEADLINE_MAX_WORDS
        and text[-1] not in ".!?:\"\u201d"
    )


_TITLE_QUESTION = re.compile(
    r"^\W*who(?:'s|\s+(?:is|was|are|were|heads?|leads?|runs?|chairs?|directs?))\b"
    r"|\b(?:posts?|positions?|titles?|jobs?|roles?|offices?|ranks?)\b",
    re.I,
)


def _title_signal(
    question: str, speakers: Sequence[SpeakerMatch], passages: Sequence[Passage], ids: np.ndarray
) -> np.ndarray:
    """For "who is ..." / "what posts does X hold" questions: the share of the person's title
    words found in each passage that also names them. The passage that introduces a person
    ("Luo Dajin, director of ...") is the evidence for who they are."""
    signal = np.zeros(len(ids), dtype=np.float32)
    if not speakers or not _TITLE_QUESTION.search(question):
        return signal
    for match in speakers:
        person = match.person
        title_stems = set(content_tokens(person.title or ""))
        name_words = set(words(person.name))
        if not title_stems:
            continue
        for row, passage_id in enumerate(ids):
            passage = passages[int(passage_id)]
            lowered = passage.text.lower()
            # A substring test first: tokenising every candidate is the slow part at scale.
            if not any(name in lowered for name in name_words):
                continue
            passage_words = words(passage.text)
            if not name_words.intersection(passage_words):
                continue
            found = title_stems.intersection(stem(w) for w in passage_words)
            signal[row] = max(signal[row], len(found) / len(title_stems))
    return signal


class Retriever:
    """Hybrid ranking over one fixed set of passages. Read-only after construction, so one
    instance serves concurrent requests.

    ``vectors`` index the passages as encoded for retrieval (row = passage id);
    ``sentence_vectors`` (optional) index every sentence, ``sentence_owner[row]`` naming the
    passage each sentence belongs to, in passage order. ``plain_vectors`` (optional, built on
    first use) index the bare passage texts for the dense baseline.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        vectors: VectorSearch,
        encoder: QueryEncoder,
        people: Sequence[Person] = (),
        *,
        sentence_vectors: VectorSearch | None = None,
        sentence_owner: np.ndarray | None = None,
        plain_vectors: Callable[[], VectorSearch] | None = None,
        fusion: FusionModel | None = None,
        candidates: int = 100,
    ) -> None:
        self.passages = tuple(passages)
        self.people = tuple(people)
        self.lexical = LexicalIndex(lexical_documents(self.passages))
        self.people_index = PeopleIndex(self.people)
        #: Names and titles of the article's people: never the answer to "where ...?".
        self.known_words = frozenset(
            w for person in self.people for w in words(f"{person.name} {person.title or ''}")
        )
        self._headlines = np.array([is_headline(p) for p in self.passages], dtype=np.float32)
        self.fusion = fusion or default_fusion()
        #: How many candidates each retriever contributes before fusion on large collections.
        self.candidates = candidates
        self._vectors = vectors
        self._encoder = encoder
        self._sentence_vectors = sentence_vectors
        self._plain_factory = plain_vectors
        self._plain: VectorSearch | None = None
        self._plain_lock = threading.Lock()
        self._sentence_owner: np.ndarray | None = None
        self._sentence_offsets: np.ndarray | None = None
        if sentence_vectors is not None and sentence_owner is not None:
            owner = np.asarray(sentence_owner, dtype=np.int64)
            self._sentence_owner = owner
            # Sentences are stored in passage order: passage j owns rows offsets[j]:offsets[j+1].
            self._sentence_offsets = np.searchsorted(owner, np.arange(len(self.passages) + 1))

    def match_speakers(self, question: str) -> list[SpeakerMatch]:
        """The people ``question`` refers to, title words weighted by this collection's idf."""
        return self.people_index.match(question, self.lexical.idf)

    def signals(self, question: str, *, speakers: Sequence[SpeakerMatch] = ()) -> Signals:
        """Candidate passages and their raw signals for ``question``."""
        n = len(self.passages)
        limit = min(n, self.candidates)
        tokens = query_tokens(question, speakers)
        query = self._encoder.encode_query(question)
        lexical_all = self.lexical.scores(tokens)
        pool: set[int] = set()
        if limit >= n:
            pool.update(range(n))
        else:
            # Candidates from each retriever, so fusion can lift what only one of them finds.
            pool.update(int(i) for i in np.argpartition(-lexical_all, limit - 1)[:limit])
            _, found = self._vectors.search(query.reshape(1, -1), limit)
            pool.update(int(i) for i in found[0] if i >= 0)
            if self._sentence_vectors is not None and self._sentence_owner is not None:
                _, rows = self._sentence_vectors.search(query.reshape(1, -1), limit)
                pool.update(int(self._sentence_owner[r]) for r in rows[0] if r >= 0)
        ids = np.array(sorted(pool), dtype=np.int64)

        dense = self._exact_dense(query, ids)
        sentence = self._best_sentence_dense(query, ids)
        lexical = lexical_all[ids]
        phrase = self.lexical.pair_scores(tokens)[ids]
        speaker_names = {m.person.name for m in speakers if m.as_speaker}
        speaker = np.array(
            [
                1.0
                if (sp := self.passages[i].speaker) is not None and sp.name in speaker_names
                else 0.0
                for i in ids
            ],
            dtype=np.float32,
        )
        title = _title_signal(question, speakers, self.passages, ids)
        answer_type = self._answer_type_signal(question, ids)
        coverage, sentence_coverage = self.lexical.coverage(tokens, ids)
        return Signals(
            ids, dense, sentence, lexical, phrase, speaker, title, answer_type,
            self.lexical.sentence_scores(tokens)[ids], coverage, sentence_coverage,
            self._headlines[ids],
        )

    def _answer_type_signal(self, question: str, ids: np.ndarray) -> np.ndarray:
        expected = expected_answer_type(question)
        signal = np.zeros(len(ids), dtype=np.float32)
        if expected is None:
            return signal
        known = self.known_words | set(words(question))
        for row, passage_id in enumerate(ids):
            signal[row] = has_answer_type(self.passages[int(passage_id)].text, expected, known)
        return signal

    def rank(
        self,
        question: str,
        k: int,
        *,
        mode: RetrieverName = "hybrid",
        speakers: Sequence[SpeakerMatch] = (),
    ) -> list[Candidate]:
        """The ``k`` best candidates, best first. ``mode`` picks the baseline to compare with:
        ``dense`` is plain FAISS cosine ranking of the bare passages, ``bm25`` plain BM25,
        ``hybrid`` the product."""
        if mode == "dense":
            return self._rank_dense_baseline(question, k)
        if mode == "bm25":
            return self._rank_bm25_baseline(question, k)
        signals = self.signals(question, speakers=speakers)
        fused = self.fusion.score(signals)
        ranking = np.argsort(-fused, kind="stable")
        order = ranking[: min(k, len(fused))]
        best = float(fused[ranking[0]]) if len(ranking) else 0.0
        runner_up = float(fused[ranking[1]]) if len(ranking) > 1 else best
        return [
            Candidate(
                passage_id=int(signals.ids[j]),
                score=float(fused[j]),
                dense=float(signals.dense[j]),
                sentence=float(signals.sentence[j]),
                lexical=float(signals.lexical[j]),
                speaker_match=bool(signals.speaker[j]),
                coverage=float(signals.coverage[j]),
                sentence_coverage=float(signals.sentence_coverage[j]),
                margin=float(fused[j]) - (runner_up if j == ranking[0] else best),
            )
            for j in order
        ]

    def _plain_vectors(self) -> VectorSearch:
        if self._plain_factory is None:
            return self._vectors
        with self._plain_lock:
            if self._plain is None:
                self._plain = self._plain_factory()
            return self._plain

    def _rank_dense_baseline(self, question: str, k: int) -> list[Candidate]:
        query = self._encoder.encode_query(question)
        scores, ids = self._plain_vectors().search(query.reshape(1, -1), min(k, len(self.passages)))
        return [
            Candidate(int(i), float(s), float(s), float(s), 0.0, False)
            for s, i in zip(scores[0], ids[0], strict=True)
            if i >= 0
        ]

    def _rank_bm25_baseline(self, question: str, k: int) -> list[Candidate]:
        scores = self.lexical.scores(content_tokens(question))
        order = np.argsort(-scores, kind="stable")[: min(k, len(self.passages))]
        return [Candidate(int(i), float(scores[i]), 0.0, 0.0, float(scores[i]), False)
                for i in order]

    def _exact_dense(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        matrix = self._vectors.vectors()
        return np.asarray(matrix[ids] @ query, dtype=np.float32)

    def _best_sentence_dense(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        if self._sentence_vectors is None or self._sentence_offsets is None:
            return self._exact_dense(query, ids)
        matrix = self._sentence_vectors.vectors()
        offsets = self._sentence_offsets
        best = np.empty(len(ids), dtype=np.float32)
        for row, passage_id in enumerate(ids):
            start, end = offsets[passage_id], offsets[passage_id + 1]
            best[row] = float((matrix[start:end] @ query).max()) if end > start else -1.0
        return best
