"""Rank passages for a question: BM25 + dense scores, fused, with speaker-aware boosts.

Scores from the two retrievers live on different scales (BM25 is unbounded, cosine is in
[-1, 1]), so each is min-max normalised over the candidate set before a weighted sum. The
weights were chosen by a grid search over the shipped question set and two held-out ones,
checked by leave-one-article-out and k-fold cross-validation (``benchmarks/tune_fusion.py``);
they sit in :class:`FusionWeights` so nothing is hidden.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from qa.article import split_sentences
from qa.config import RetrieverName
from qa.evidence import expected_answer_type, has_answer_type
from qa.types import Passage, Person

if TYPE_CHECKING:
    import bm25s

__all__ = [
    "SPEECH_WORDS",
    "Candidate",
    "FusionWeights",
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

    def vectors(self) -> np.ndarray: ...


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
    """How much each signal counts in the fused score. Each signal is min-max normalised
    over the candidates first, so the weights are comparable."""

    #: Cosine of the question with the passage encoded together with its speaker's name and
    #: title, so "what did the commission director say" meets the director's passages.
    dense: float = 0.75
    #: Best cosine of the question with any one sentence of the passage: long paragraphs
    #: blur in one vector, while a question usually targets one sentence.
    sentence: float = 0.75
    #: BM25 over stemmed content words, without the words that only name the speaker.
    lexical: float = 0.5
    #: BM25 over adjacent pairs of those words: rewards keeping the question's words together.
    phrase: float = 0.5
    #: Added for passages by the person the question asks about ("What did Luo say ...").
    speaker: float = 0.5
    #: Added for passages that give the title of the person a "who is"/"what post" question
    #: asks about.
    title: float = 0.5
    #: Added for passages holding the kind of answer the question asks for: a number for
    #: "how many", a date for "when", a place name for "where" (see qa.evidence).
    answer_type: float = 0.5
    #: How many candidates each retriever contributes before fusion on large collections.
    candidates: int = 100


@dataclass(frozen=True, slots=True)
class Candidate:
    """One passage's evidence for a question (raw, unnormalised signals)."""

    passage_id: int
    score: float
    dense: float
    sentence: float
    lexical: float
    speaker_match: bool


@dataclass(frozen=True, slots=True)
class Signals:
    """Every signal for a set of candidate passages, before fusion; cheap to re-fuse
    with other weights (the tuning benchmark relies on that)."""

    ids: np.ndarray
    dense: np.ndarray
    sentence: np.ndarray
    lexical: np.ndarray
    phrase: np.ndarray
    speaker: np.ndarray
    title: np.ndarray
    answer_type: np.ndarray

    def fuse(self, weights: FusionWeights) -> np.ndarray:
        return (
            weights.dense * _normalise(self.dense)
            + weights.sentence * _normalise(self.sentence)
            + weights.lexical * _normalise(self.lexical)
            + weights.phrase * _normalise(self.phrase)
            + weights.speaker * self.speaker
            + weights.title * self.title
            + weights.answer_type * self.answer_type
        )


@dataclass(frozen=True, slots=True)
class SpeakerMatch:
    """A person the question refers to.

    ``how`` is ``name``, ``surname`` or ``title``; ``words`` the positions (in
    :func:`words` of the question) that refer to them; ``as_speaker`` whether the question
    asks what this person said or thinks ("What did Luo say ...", "according to the
    commission director") rather than mentioning them as a topic ("reactions to Xi's speech").
    """

    person: Person
    how: str
    words: tuple[int, ...]
    as_speaker: bool


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

        corpus = [content_tokens(text) for text in texts]
        self._bm25: bm25s.BM25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self._pairs: bm25s.BM25 = bm25s.BM25()
        self._pairs.index([_bigrams(tokens) for tokens in corpus], show_progress=False)
        self.size = len(corpus)
        self._document_frequency: Counter[str] = Counter()
        for tokens in corpus:
            self._document_frequency.update(set(tokens))

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(list(tokens)), dtype=np.float32)

    def pair_scores(self, tokens: Sequence[str]) -> np.ndarray:
        pairs = _bigrams(tokens)
        if not pairs:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._pairs.get_scores(pairs), dtype=np.float32)

    def contains(self, token: str) -> bool:
        """Whether any passage has this (stemmed) token."""
        return token in self._document_frequency

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


# Verbs and nouns that make the person next to them the source of what is asked about.
SPEECH_WORDS = frozenset(
    """say says said saying tell tells told think thinks thought believe believes want wants
    wanted urge urges urged call calls called argue argues argued stress stresses stressed
    emphasise emphasize emphasised emphasized note notes noted describe describes described
    mention mentions mentioned expect expects expected propose proposes proposed promise
    promises promised pledge pledged hope hopes feel feels consider considers suggest suggests
    suggested recommend recommends announce announced declare declared explain explains
    explained instruct instructs instructed ask asks asked demand demands demanded see sees
    view views opinion opinions remarks remark comments comment words message position stance
    priorities priority plans plan vision proposal proposals promise warn warns warned
    favour favor favours favors insist insists insisted add adds added claim claims claimed
    envision envisions envisage envisages outline outlines outlined list lists listed talk talks
    talked spoke speak speaks express expresses expressed quoted wrote write writes tweeted
    vowed vow vows predicted predict criticised criticized praised""".split()
)


def _speaker_role(question_words: Sequence[str], first: int, last: int) -> bool:
    before = question_words[max(0, first - 5) : first]
    after = question_words[last + 1 : last + 4]
    text_before = " ".join(before)
    return "according to" in text_before or any(w in SPEECH_WORDS for w in after)


def _phrase_positions(haystack: Sequence[str], phrase: Sequence[str]) -> list[int]:
    size = len(phrase)
    if not size:
        return []
    phrase = list(phrase)
    return [
        j
        for i in range(len(haystack) - size + 1)
        if haystack[i] == phrase[0] and list(haystack[i : i + size]) == phrase
        for j in range(i, i + size)
    ]


@dataclass(frozen=True, slots=True)
class _PersonForms:
    """The word forms by which a question can refer to one person, computed once."""

    person: Person
    name_words: tuple[str, ...]
    #: Name words no other person answers to alone ("Luo" when one Luo is known).
    surnames: tuple[str, ...]
    #: Aliases (as word tuples) precise enough to name the person on their own.
    exact_aliases: tuple[tuple[str, ...], ...]
    #: Stems of the title and aliases, minus the name.
    title_stems: frozenset[str]


class PeopleIndex:
    """Finds the people a question refers to, by full name, surname or title.

    Every form a person can be named by is prepared once, and inverted maps from name words,
    title stems and aliases to people mean a question only examines the people it could
    refer to: on a collection with thousands of speakers that is a handful, not all of them.
    """

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = tuple(people)
        single_aliases = Counter(
            alias for person in self.people for alias in set(person.aliases) if " " not in alias
        )
        self._forms: list[_PersonForms] = []
        self._by_word: dict[str, set[int]] = {}
        self._by_stem: dict[str, set[int]] = {}
        self._by_alias: dict[tuple[str, ...], set[int]] = {}
        self._longest_alias = 0
        for number, person in enumerate(self.people):
            name_words = tuple(words(person.name))
            surnames: tuple[str, ...] = ()
            if not person.is_organization:
                surnames = tuple(sorted({w for w in name_words if single_aliases[w] == 1}))
            exact_aliases = tuple(
                tuple(words(alias))
                for alias in dict.fromkeys(person.aliases)
                if (" " in alias or single_aliases[alias] == 1) and alias not in _STOPWORDS
            )
            title_stems: set[str] = set()
            for phrase in (person.title or "", *person.aliases):
                title_stems.update(content_tokens(phrase))
            forms = _PersonForms(
                person,
                name_words,
                surnames,
                tuple(alias for alias in exact_aliases if alias),
                frozenset(title_stems - {_stem(w) for w in name_words}),
            )
            self._forms.append(forms)
            self._longest_alias = max(
                (self._longest_alias, *(len(alias) for alias in forms.exact_aliases))
            )
            for word in name_words:
                self._by_word.setdefault(word, set()).add(number)
            for stem in forms.title_stems:
                self._by_stem.setdefault(stem, set()).add(number)
            for alias in forms.exact_aliases:
                self._by_alias.setdefault(alias, set()).add(number)

    def _title_form(self, word: str) -> str:
        """The stem of ``word`` as title words are stored; an agent noun also matches the
        verb a title uses ("the union leader" -> "who leads the union branch")."""
        stem = _stem(word)
        if stem in self._by_stem or not stem.endswith(("er", "or")) or len(stem) < 5:
            return stem
        verb = stem[:-2]
        return verb if verb in self._by_stem else stem

    def match(
        self, question: str, idf: Callable[[str], float] | None = None
    ) -> list[SpeakerMatch]:
        """People ``question`` refers to: by full name or surname, else by their title.

        A title reference needs two content words of one person's title ("the commission
        director", "the general secretary") or one title word that is that person's alone
        ("the president"), and must beat every other person's title, words weighted by
        ``idf`` when given (so a shared, common word like the city's name counts little); a
        bare "science" names nobody.
        """
        weight = idf or (lambda _stem: 1.0)
        question_words = words(question)
        stems = [self._title_form(w) if w not in _STOPWORDS else "" for w in question_words]
        phrases = {
            tuple(question_words[i : i + size])
            for size in range(1, 1 + self._longest_alias)
            for i in range(len(question_words) - size + 1)
        }
        # Only people who could pass a test below are examined: a name word in the question,
        # two title words (a common one like "director" alone can be shared by thousands), or
        # one title word plus one of their exact aliases.
        nearby: set[int] = set()
        for word in question_words:
            nearby |= self._by_word.get(word, set())
        title_words: Counter[int] = Counter()
        for stem in stems:
            if stem:
                title_words.update(self._by_stem.get(stem, ()))
        nearby.update(number for number, count in title_words.items() if count >= 2)
        for phrase in phrases:
            nearby.update(n for n in self._by_alias.get(phrase, ()) if n in title_words)
        found: list[SpeakerMatch] = []
        title_candidates: list[tuple[float, list[int], Person]] = []
        for number in sorted(nearby):
            forms = self._forms[number]
            full_name = _phrase_positions(question_words, forms.name_words)
            positions = list(full_name)
            for part in forms.surnames:
                positions += _phrase_positions(question_words, [part])
            if positions:
                positions = sorted(set(positions))
                role = any(_speaker_role(question_words, i, i) for i in positions)
                how = "name" if full_name else "surname"
                found.append(SpeakerMatch(forms.person, how, tuple(positions), role))
                continue
            overlap = [i for i, stem in enumerate(stems) if stem and stem in forms.title_stems]
            if not overlap:
                continue
            exact = any(alias in phrases for alias in forms.exact_aliases)
            if len(overlap) >= 2 or exact:
                score = sum(weight(stems[i]) for i in overlap) * (1.5 if exact else 1.0)
                title_candidates.append((score, overlap, forms.person))
        title_candidates.sort(key=lambda c: -c[0])
        if title_candidates and (
            len(title_candidates) == 1 or title_candidates[0][0] > title_candidates[1][0]
        ):
            _, overlap, person = title_candidates[0]
            role = _speaker_role(question_words, overlap[0], overlap[-1])
            found.append(SpeakerMatch(person, "title", tuple(overlap), role))
        return found


def match_speakers(
    question: str, people: Sequence[Person], idf: Callable[[str], float] | None = None
) -> list[SpeakerMatch]:
    """:meth:`PeopleIndex.match` for a one-off question; build a :class:`PeopleIndex` once
    to ask many."""
    return PeopleIndex(people).match(question, idf)


def query_tokens(question: str, speakers: Sequence[SpeakerMatch]) -> list[str]:
    """Content tokens for lexical matching, without the words that only name the speaker
    asked about: in "What did the Party's science chief say about assessment?", "Party" and
    "science" pick the speaker, so they must not pull in every paragraph about the Party."""
    skip = {i for match in speakers if match.as_speaker for i in match.words}
    return [
        _stem(w)
        for i, w in enumerate(words(question))
        if i not in skip and w not in _STOPWORDS
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
            found = title_stems.intersection(_stem(w) for w in passage_words)
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
        weights: FusionWeights | None = None,
    ) -> None:
        self.passages = tuple(passages)
        self.people = tuple(people)
        self.lexical = LexicalIndex(lexical_documents(self.passages))
        self.people_index = PeopleIndex(self.people)
        #: Names and titles of the article's people: never the answer to "where ...?".
        self.known_words = frozenset(
            w for person in self.people for w in words(f"{person.name} {person.title or ''}")
        )
        self.weights = weights or FusionWeights()
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
        limit = min(n, self.weights.candidates)
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
        return Signals(ids, dense, sentence, lexical, phrase, speaker, title, answer_type)

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
        fused = signals.fuse(self.weights)
        order = np.argsort(-fused, kind="stable")[: min(k, len(fused))]
        return [
            Candidate(
                passage_id=int(signals.ids[j]),
                score=float(fused[j]),
                dense=float(signals.dense[j]),
                sentence=float(signals.sentence[j]),
                lexical=float(signals.lexical[j]),
                speaker_match=bool(signals.speaker[j]),
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
