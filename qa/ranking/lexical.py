"""The lexical side of ranking: BM25 (bm25s) over stemmed content words and word pairs, the
question's tokens, and the sentence of a passage that best matches them."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from qa.core.errors import ArticleError
from qa.core.types import Passage
from qa.ranking.speakers import SpeakerMatch
from qa.text.lexicon import ORDINAL_WORDS
from qa.text.sentences import split_sentences
from qa.text.tokens import STOPWORDS, content_stems, content_tokens, stem, words

if TYPE_CHECKING:
    import bm25s

__all__ = [
    "LexicalIndex", "asks_for_nth_item", "best_sentence", "lexical_documents", "query_tokens",
]


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
        if not any(corpus):
            # bm25s fails on an index without a single word ("max() arg is an empty sequence").
            raise ArticleError("the article has no words to search (it is too short or not text)")
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


# Every ordinal but "first": the first item's own sentence names it ("The first concern").
_NTH_ITEM = re.compile(rf"\bthe\s+(?:{'|'.join(ORDINAL_WORDS[1:])})\s+[a-z]+", re.I)


def asks_for_nth_item(question: str) -> bool:
    """ "What was the second concern?": a question about a later item of an enumeration,
    whose sentence ("The second was cost") lacks the head noun :func:`lexical_documents`
    gives back to it."""
    return bool(_NTH_ITEM.search(question))
