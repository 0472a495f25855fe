"""Rank passages for a question: BM25, dense and speaker-aware signals, fused by a learned model.

:meth:`Retriever.signals` computes every signal for the candidate passages; the fusion model
(:mod:`qa.ranking.models`, a logistic regression fitted on development questions by
``benchmarks/fit_fusion.py``) turns them into one score. Cosines are used raw and as a gap to the
best candidate; BM25 scores, which have no fixed scale, are divided by the best candidate's.
The dense and BM25 baselines rank by their own score alone.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from qa.core.config import RetrieverName
from qa.core.types import Passage, Person
from qa.ranking.decline import expected_answer_type, has_answer_type
from qa.ranking.models import FusionModel, default_fusion
from qa.ranking.speakers import SPEECH_WORDS, PeopleIndex, SpeakerMatch, match_speakers
from qa.text.sentences import split_sentences
from qa.text.tokens import STOPWORDS, content_stems, content_tokens, stem, words

if TYPE_CHECKING:
    import bm25s

# Speaker matching (qa.ranking.speakers) and tokenisation (qa.text.tokens) are re-exported: callers find
# every retrieval building block here.
__all__ = [
    "SPEECH_WORDS",
    "Candidate",
    "LexicalIndex",
    "PeopleIndex",
    "QueryEncoder",
    "Retriever",
    "Signals",
    "SpeakerMatch",
    "VectorSearch",
    "best_sentence",
    "content_tokens",
    "lexical_documents",
    "match_speakers",
    "query_tokens",
    "words",
]

class QueryEncoder(Protocol):
    def encode_query(self, text: str) -> np.ndarray: ...


class VectorSearch(Protocol):
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def vectors(self) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """One passage's evidence for a question (raw signals, and its score)."""

    passage_id: int
    score: float
    dense: float
    sentence: float
    lexical: float
    speaker_match: bool
    #: Idf-weighted share of the question's content words in the passage and in its best
    #: sentence (hybrid ranking only).
    coverage: float = 0.0
    sentence_coverage: float = 0.0
    #: Score minus the best score among the *other* candidates: positive only for the top
    #: passage, and the larger the clearer its lead (hybrid ranking only).
    margin: float = 0.0


@dataclass(frozen=True, slots=True)
class Signals:
    """Every raw signal for a set of candidate passages (one array element per candidate),
    before fusion; the fitting script caches these and refits without model calls."""

    ids: np.ndarray
    #: Cosine of the question with the passage encoded together with its speaker's name and
    #: title, so "what did the commission director say" meets the director's passages.
    dense: np.ndarray
    #: Best cosine of the question with any one sentence of the passage: long paragraphs
    #: blur in one vector, while a question usually targets one sentence.
    sentence: np.ndarray
    #: BM25 over stemmed content words, without the words that only name the speaker.
    lexical: np.ndarray
    #: BM25 over adjacent pairs of those words: rewards keeping the question's words together.
    phrase: np.ndarray
    #: 1 for passages by the person the question asks about ("What did Luo say ...").
    speaker: np.ndarray
    #: For "who is"/"what post" questions: the share of the person's title in the passage.
    title: np.ndarray
    #: 1 for passages holding the kind of answer asked for (a number for "how many", ...).
    answer_type: np.ndarray
    #: BM25 of the passage's best sentence, sentences scored as documents of their own.
    sentence_lexical: np.ndarray
    #: Idf-weighted share of the question's content words found in the passage ...
    coverage: np.ndarray
    #: ... and in its best sentence for them.
    sentence_coverage: np.ndarray
    #: 1 for an article's headline (a short first line without a full stop): it restates
    #: the lead in fewer words, so it matches many questions and answers almost none.
    headline: np.ndarray


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


def _bigrams(tokens: Sequence[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


class LexicalIndex:
    """BM25 (bm25s) over stemmed content words and over their adjacent pairs, plus the
    document frequencies the highlighter and the decline decision need.

    The pair index rewards passages that keep the question's words together ("in response
    to Xi's speech" over a passage that has "response" and "speech" far apart): a cheap form
    of the term-proximity evidence that plain BM25 ignores.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s

        surface: set[str] = set()
        corpus: list[list[str]] = []
        for text in texts:
            text_words = words(text)
            surface.update(text_words)
            corpus.append(content_stems(text_words))
        #: Every word of the passages, lower-cased (what typo correction compares against).
        self.words = frozenset(surface)
        self._bm25: bm25s.BM25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._pairs: bm25s.BM25 = bm25s.BM25()
        self._pairs.index([_bigrams(tokens) for tokens in corpus], show_progress=False)
        self.size = len(corpus)
        self._document_frequency: Counter[str] = Counter()
        for tokens in corpus:
            self._document_frequency.update(set(tokens))
        self._tokens = [frozenset(tokens) for tokens in corpus]
        # Per passage, the content words of each sentence: a question usually targets one.
        sentences: list[list[str]] = []
        owner: list[int] = []
        self._sentence_tokens: list[list[frozenset[str]]] = []
        for number, text in enumerate(texts):
            spans = split_sentences(text, 0, len(text))
            parts = (
                [content_tokens(text[start:end]) for start, end in spans]
                if len(spans) > 1
                else [corpus[number]]
            )
            sentences.extend(parts)
            owner.extend([number] * len(parts))
            self._sentence_tokens.append([frozenset(part) for part in parts])
        self._sentences: bm25s.BM25 = bm25s.BM25()
        self._sentences.index(sentences, show_progress=False)
        self._sentence_owner = np.asarray(owner, dtype=np.int64)

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(list(tokens)), dtype=np.float32)

    def sentence_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Per passage, the BM25 score of its best sentence (sentences scored as documents)."""
        best = np.zeros(self.size, dtype=np.float32)
        if tokens:
            scores = np.asarray(self._sentences.get_scores(list(tokens)), dtype=np.float32)
            np.maximum.at(best, self._sentence_owner, scores)
        return best

    def pair_scores(self, tokens: Sequence[str]) -> np.ndarray:
        pairs = _bigrams(tokens)
        if not pairs:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._pairs.get_scores(pairs), dtype=np.float32)

    def coverage(self, tokens: Sequence[str], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each passage in ``ids``: the idf-weighted share of ``tokens`` it contains, and
        the same share for its best sentence."""
        wanted = {token: self.idf(token) for token in tokens}
        total = sum(wanted.values())
        passage = np.zeros(len(ids), dtype=np.float32)
        sentence = np.zeros(len(ids), dtype=np.float32)
        if total <= 0:
            return passage, sentence
        for row, passage_id in enumerate(ids):
            number = int(passage_id)
            found = self._tokens[number].intersection(wanted)
            if not found:
                continue
            passage[row] = sum(wanted[t] for t in found) / total
            sentence[row] = max(
                sum(wanted[t] for t in part.intersection(found))
                for part in self._sentence_tokens[number]
            ) / total
        return passage, sentence

    def contains(self, token: str) -> bool:
        """Whether any passage has this (stemmed) token."""
        return token in self._document_frequency

    @property
    def max_idf(self) -> float:
        """The idf of a word no passage uses: the highest :meth:`idf` can be."""
        return math.log(1.0 + (self.size + 0.5) / 0.5)

    def idf(self, token: str) -> float:
        """Smoothed idf; a word the article never uses gets the highest weight, which is
        what makes "population of Shanghai" look unanswered."""
        df = self._document_frequency.get(token, 0)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))


# Verbs and nouns that make the person next to them the source of what is asked about.
def query_tokens(question: str, speakers: Sequence[SpeakerMatch]) -> list[str]:
    """Content tokens for lexical matching, without the words that only name the speaker
    asked about: in "What did the Party's science chief say about assessment?", "Party" and
    "science" pick the speaker, so they must not pull in every paragraph about the Party."""
    skip = {i for match in speakers if match.as_speaker for i in match.words}
    return [
        stem(w)
        for i, w in enumerate(words(question))
        if i not in skip and w not in STOPWORDS
    ]


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


_FIRST_ITEM = re.compile(r"^\W*(?:the\s+)?first\s+([a-z]+)\b", re.I)
_LATER_ITEM = re.compile(
    r"^\W*(?:the\s+)?(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|"
    r"final|last)\s+(?:was|is|were|are|will|would|one)\b",
    re.I,
)


def lexical_documents(passages: Sequence[Passage]) -> list[str]:
    """Passage texts for BM25, with the head noun an enumeration leaves out restored.

    "The first priority was ... The second was ..." never says "priority" again, so a
    question about "the second priority" could not find the second item by its words. Each
    later item ("The second was", "The third is") gets the noun of the nearest preceding
    "The first <noun>" in the same article.
    """
    documents: list[str] = []
    head: str | None = None
    article: str | None = None
    for passage in passages:
        if passage.article != article:
            head, article = None, passage.article
        first = _FIRST_ITEM.match(passage.text)
        if first:
            head = first.group(1)
            documents.append(passage.text)
        elif head and _LATER_ITEM.match(passage.text):
            documents.append(f"{passage.text} ({head})")
        else:
            documents.append(passage.text)
    return documents


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
