"""Question -> ranked, attributed passages, a one-line reply, highlights, and declining.

:class:`Pipeline` joins the attributed passages (:mod:`qa.passages.corpus`), the encoder, the cached
FAISS index and the hybrid retriever.
"""

from __future__ import annotations

import sys
import threading
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.answering.about import ABOUT_WORDS, answer_about
from qa.answering.reading import READ_PASSAGES, ReadRanking, read_and_rerank, reader_short_answer
from qa.answering.reply import compose_reply
from qa.answering.short_answer import asked_for, short_answer
from qa.core.config import Config, RetrieverName
from qa.core.errors import QuestionError
from qa.core.types import Answer, Article, Passage, Person, RankedPassage, Span
from qa.ingest import misplaced_source
from qa.passages.corpus import ArticleSource, Corpus, load_corpus
from qa.passages.corpus import source_key as corpus_source_key
from qa.ranking.decline import DeclinePolicy
from qa.ranking.evidence import gather_evidence
from qa.ranking.lexical import asks_for_nth_item, best_sentence, query_tokens
from qa.ranking.models import ReadingModel, default_reading
from qa.ranking.retriever import Retriever, VectorSearch
from qa.ranking.signals import Candidate, Evidence
from qa.reading.passages import PassageReading, SentenceReader
from qa.reading.reader import default_reader
from qa.text.sentences import split_sentences
from qa.text.spelling import Vocabulary
from qa.text.tokens import expand_chat_spellings

if TYPE_CHECKING:
    from embeddings.encoder import TextEncoder

__all__ = [
    "DeclinePolicy",
    "Pipeline",
    "clean_question",
    "default_pipeline",
]



def _as_document(passage: Passage) -> Passage:
    """The passage as the dense index sees it: prefixed with who speaks, so that a question
    about "the commission director" meets the director's words even when the paragraph
    itself only says "he said"."""
    if passage.speaker is None:
        return passage
    return replace(passage, text=f"{passage.speaker.label()}: {passage.text}")


def _sentences(corpus: Corpus) -> tuple[list[Passage], np.ndarray]:
    """Every sentence of every passage as a passage of its own, in passage order, and the
    id of the passage each belongs to."""
    sentences: list[Passage] = []
    owners: list[int] = []
    for passage in corpus.passages:
        text = corpus.text_of(passage)
        for start, end in split_sentences(text, passage.start, passage.end):
            sentence = replace(passage, id=len(sentences), start=start, end=end)
            sentences.append(replace(sentence, text=text[start:end]))
            owners.append(passage.id)
    return sentences, np.asarray(owners, dtype=np.int64)


# The product has no network: an address cannot be fetched, and a page or article pasted as
# a question belongs in the article box instead.
_LOAD_INSTEAD = (
    'load it as the article ("Open a file" in the web page, --article in the terminal)'
)
_MISPLACED = {
    "url": (
        "that is a web address, and this app has no network access; "
        f"save the page and {_LOAD_INSTEAD}"
    ),
    "html": (
        "that is the source of a web page, not a question; "
        f"paste it as the article, or save it and {_LOAD_INSTEAD}"
    ),
    "article": (
        "that looks like a pasted article, not a question; "
        f"paste it as the article, or save it and {_LOAD_INSTEAD}"
    ),
}


def clean_question(question: object, max_chars: int) -> str:
    """The question with control characters removed; QuestionError if nothing usable is left,
    or if it is really a web address, a web page or an article to load."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    misplaced = misplaced_source(question)
    if misplaced is not None:  # checked first: a pasted article is also over-long
        raise QuestionError(_MISPLACED[misplaced])
    if len(question) > max_chars:
        raise QuestionError(
            f"the question is {len(question):,} characters long; the limit is {max_chars:,}"
        )
    # Control characters (NUL, escape sequences, ...) only confuse tokenisers and terminals.
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") and not ch.isspace() else ch
        for ch in question
    )
    cleaned = " ".join(kept.split())
    if not cleaned:
        raise QuestionError("the question is empty; type a question about the article")
    return cleaned


class Pipeline:
    """The whole question-answering path over one article or folder. Thread-safe for reads."""

    def __init__(
        self,
        corpus: Corpus,
        retriever: Retriever,
        *,
        config: Config,
        decline: DeclinePolicy | None = None,
        index_status: str = "built",
        encoder: TextEncoder | None = None,
        reader: SentenceReader | None = None,
        reading: ReadingModel | None = None,
    ) -> None:
        self.corpus = corpus
        self.retriever = retriever
        self.config = config
        self._decline = decline
        self.index_status = index_status
        #: The trained reader and how its verdicts are used (second stage, short answers);
        #: None for a pipeline built by hand without one (tests, baselines).
        self.reader = reader
        self.reading = reading if reader is not None else None
        #: The model that encoded the passages (None when built by hand): a server reuses it
        #: for every article a visitor brings, as the model is the largest thing in memory.
        self.encoder = encoder
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_lock = threading.Lock()

    @property
    def decline(self) -> DeclinePolicy:
        """How the top passage is judged (the shipped decline model, read on first use)."""
        if self._decline is None:
            self._decline = DeclinePolicy()
        return self._decline

    @decline.setter
    def decline(self, policy: DeclinePolicy) -> None:
        self._decline = policy

    @property
    def vocabulary(self) -> Vocabulary:
        """The article's words, for correcting typos in questions (built on first use)."""
        with self._vocabulary_lock:
            if self._vocabulary is None:
                self._vocabulary = Vocabulary.from_words(
                    self.retriever.lexical.words | ABOUT_WORDS
                )
            return self._vocabulary

    def searched_text(self, question: str) -> str:
        """``question`` (already cleaned) as it is searched: chat spellings written out and
        typos of the article's words corrected ("whats the 3rd priorty" -> "what's the third
        priority")."""
        return self.vocabulary.correct(expand_chat_spellings(question))

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.corpus.passages

    @property
    def people(self) -> tuple[Person, ...]:
        return self.corpus.people

    @classmethod
    def build(
        cls,
        article: str | Path | Article | Sequence[Article] | None = None,
        *,
        config: Config | None = None,
        encoder: TextEncoder | None = None,
        progress: bool = False,
        read: bool = True,
    ) -> Pipeline:
        """Load the article, attribute it, and load (or build) its cached indexes.

        ``article`` is a file or folder (default: the configured article), or articles
        already loaded (:func:`qa.ingest.article_from_paste`, an upload); those are cached
        by content, so the same article given twice is attributed and encoded once.
        """
        config = config or Config.from_env()
        source: ArticleSource
        if article is None:
            source = config.article
        elif isinstance(article, Article):
            source = (article,)
        elif isinstance(article, str | Path):
            source = Path(article).expanduser()
        else:
            source = tuple(article)
        corpus = load_corpus(
            source, max_passage_words=config.max_passage_words, cache_dir=config.cache_dir
        )
        if encoder is None:
            from embeddings.encoder import Encoder

            encoder = Encoder(
                config.model,
                batch_size=config.batch_size,
                expected_sha256=config.model_sha256,
                cache_dir=config.cache_dir,
            )
        from embeddings.index import load_or_build

        def index(documents: Sequence[Passage], key: str) -> tuple[VectorSearch, str]:
            return load_or_build(
                documents,
                encoder,
                config.cache_dir,
                source_key=key,
                index_type=config.index_type,
                flat_max_passages=config.flat_max_passages,
                progress=progress,
            )

        source_key = corpus_source_key(source)
        vectors, status = index([_as_document(p) for p in corpus.passages], source_key)
        sentence_vectors: VectorSearch | None = None
        sentence_owner: np.ndarray | None = None
        if config.sentence_vectors:
            sentences, sentence_owner = _sentences(corpus)
            sentence_vectors, sentence_status = index(sentences, f"{source_key}#sentences")
            if status == "loaded" or sentence_status == "in-memory":
                status = sentence_status
        retriever = Retriever(
            corpus.passages,
            vectors,
            encoder,
            corpus.people,
            sentence_vectors=sentence_vectors,
            sentence_owner=sentence_owner,
            plain_vectors=lambda: index(corpus.passages, f"{source_key}#plain")[0],
        )
        reader, reading = (default_reader(), default_reading()) if read else (None, None)
        return cls(
            corpus, retriever, config=config, index_status=status, encoder=encoder,
            reader=reader, reading=reading,
        )

    def answer(
        self,
        question: str,
        k: int | None = None,
        *,
        retriever: RetrieverName | None = None,
        prefer: Sequence[int] = (),
        demote: Collection[int] = (),
        prefer_answers: bool = False,
    ) -> Answer:
        """The ``k`` best passages for ``question`` with speakers, highlights and a reply.

        ``prefer`` and ``demote`` are passage ids a conversation knows about (see
        :func:`_reordered`); a question asked on its own leaves both empty. With
        ``prefer_answers`` a preferred passage on top is an answer by construction ("go on"
        after the first of three points reads the second), whatever the decline model says
        of the words of the question.
        Questions about the article itself ("Who wrote this?", "What is it about?") are
        answered from its metadata and lead (:mod:`qa.answering.about`).
        """
        return self.respond(
            question, k, retriever=retriever, prefer=prefer, demote=demote,
            prefer_answers=prefer_answers,
        )[0]

    def respond(
        self,
        question: str,
        k: int | None = None,
        *,
        retriever: RetrieverName | None = None,
        prefer: Sequence[int] = (),
        demote: Collection[int] = (),
        prefer_answers: bool = False,
    ) -> tuple[Answer, Evidence | None]:
        """:meth:`answer`, plus the evidence the decision to answer or decline rests on (None
        for a question about the article itself, answered from its metadata)."""
        typed = clean_question(question, self.config.max_question_chars)
        # Searched and judged as written out and spelled right; the answer keeps what was typed.
        text = self.searched_text(typed)
        about = answer_about(text, self.corpus, k=self.config.k if k is None else k)
        if about is not None:
            return replace(about, question=typed), None
        return self._judged(
            typed, text, self._checked_k(k), retriever=retriever, prefer=prefer, demote=demote,
            prefer_answers=prefer_answers,
        )

    def answer_with_evidence(
        self,
        question: str,
        k: int | None = None,
        *,
        retriever: RetrieverName | None = None,
        prefer: Sequence[int] = (),
        demote: Collection[int] = (),
        prefer_answers: bool = False,
    ) -> tuple[Answer, Evidence]:
        """The retrieval answer to ``question`` (never one from the article's metadata) and
        the evidence the decision to answer or decline rests on."""
        k = self._checked_k(k)
        typed = clean_question(question, self.config.max_question_chars)
        return self._judged(
            typed, self.searched_text(typed), k, retriever=retriever, prefer=prefer,
            demote=demote, prefer_answers=prefer_answers,
        )

    def _checked_k(self, k: int | None) -> int:
        k = self.config.k if k is None else k
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise QuestionError(f"k must be a whole number of passages >= 1, not {k!r}")
        return k

    def _judged(
        self,
        typed: str,
        text: str,
        k: int,
        *,
        retriever: RetrieverName | None,
        prefer: Sequence[int],
        demote: Collection[int],
        prefer_answers: bool,
    ) -> tuple[Answer, Evidence]:
        """``text`` (``typed`` as searched) ranked, judged and answered."""
        mode = retriever or self.config.retriever
        if mode not in ("hybrid", "dense", "bm25"):
            raise QuestionError(f"unknown retriever {mode!r}; use hybrid, dense or bm25")
        speakers = self.retriever.match_speakers(text) if mode == "hybrid" else []
        tokens = query_tokens(text, speakers)

        if prefer or demote:
            # Every candidate is scored so the conversation's hints can reorder them.
            pool = self.retriever.rank(text, len(self.passages), mode=mode, speakers=speakers)
            pool = _reordered(pool, prefer, demote)
        else:
            pool = self.retriever.rank(text, max(k, READ_PASSAGES), mode=mode, speakers=speakers)
        read = self._read(text, pool, prefer, demote) if mode == "hybrid" else None
        candidates = (read.candidates if read is not None else tuple(pool))[:k]
        readings = read.readings if read is not None else {}
        ranked = tuple(
            self._ranked(rank, candidate, tokens, readings.get(candidate.passage_id))
            for rank, candidate in enumerate(candidates, start=1)
        )
        short = self._short_answer(text, ranked, readings) if ranked else None
        evidence = gather_evidence(
            text, tokens, candidates, ranked, speakers, self.retriever.lexical,
            self.retriever.known_words,
            typed_answer_missing=short is None and asked_for(text) is not None,
            reader=read.verdict() if read is not None else None,
        )
        # The decline model reads the hybrid ranker's scores; the baselines never decline.
        confidence = self.decline.confidence(evidence) if ranked and mode == "hybrid" else None
        answered = bool(ranked) and (
            confidence is None
            or self.decline.accepts(evidence, confidence)
            or (prefer_answers and ranked[0].passage.id in prefer)
        )
        # A short answer only for an answered question: a declined one has nothing to lead with.
        short = short if answered else None
        answer = Answer(
            question=typed,
            reply=compose_reply(
                text, ranked, answered, speakers, missing_focus=evidence.missing_focus,
                short=short, several_articles=len(self.corpus.articles) > 1,
            ),
            answered=answered,
            passages=ranked,
            confidence=confidence,
            short=short,
        )
        return answer, evidence

    def _read(
        self, text: str, pool: Sequence[Candidate], prefer: Sequence[int], demote: Collection[int]
    ) -> ReadRanking | None:
        """The reader's second stage over the top of ``pool`` (None without a reader)."""
        if self.reader is None or self.reading is None or asks_for_nth_item(text):
            # The reader sees one sentence at a time: "The second was cost" does not say it is
            # the second concern, which only the first stage's enumeration context knows.
            return None

        def located(passage_id: int) -> tuple[str, Passage]:
            passage = self.passages[passage_id]
            return self.corpus.text_of(passage), passage

        return read_and_rerank(
            self.reader, self.reading, text, pool, located,
            group=lambda c: _group(c, set(prefer), demote),
        )

    def _ranked(
        self,
        rank: int,
        candidate: Candidate,
        tokens: Sequence[str],
        reading: PassageReading | None = None,
    ) -> RankedPassage:
        passage = self.passages[candidate.passage_id]
        full_text = self.corpus.text_of(passage)
        # The sentence the reader found answers best, else the one sharing most words.
        start, end = reading.sentence if reading is not None else best_sentence(
            full_text, passage.start, passage.end, tokens, self.retriever.lexical
        )
        return RankedPassage(rank, candidate.score, passage, Span(start, end, full_text[start:end]))

    def _short_answer(
        self, text: str, ranked: Sequence[RankedPassage], readings: Mapping[int, PassageReading]
    ) -> Span | None:
        """The reader's span when its span head is sure and the question asks for a typed
        phrase, unless the rules of :mod:`qa.answering.short_answer` found the same answer
        in fuller words ("by 2028" around the reader's "2028"); otherwise the rules'."""
        top = ranked[0]
        full_text = self.corpus.text_of(top.passage)
        ruled = short_answer(text, full_text, top, self.people)
        if self.reading is None or asked_for(text) is None:
            return ruled
        read = reader_short_answer(readings.get(top.passage.id), full_text, self.reading)
        if read is None or (ruled is not None and _overlap(ruled, read)):
            return ruled
        return read


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _group(candidate: Candidate, preferred: Collection[int], demote: Collection[int]) -> int:
    """0 for a passage a conversation points to, 2 for one it has shown, else 1."""
    if candidate.passage_id in preferred:
        return 0
    return 2 if candidate.passage_id in demote else 1


def _reordered(
    candidates: Sequence[Candidate], prefer: Sequence[int], demote: Collection[int]
) -> list[Candidate]:
    """Conversation hints applied to a ranking (used by :mod:`qa.dialogue`).

    Passages in ``prefer`` (the neighbourhood a follow-up such as "Why?" or "go on" points
    to) come first and passages in ``demote`` (already shown in this conversation) last; the
    fused score orders each group, so the ranker still decides within it.
    """
    preferred = set(prefer)
    # Stable: score order within each group.
    return sorted(candidates, key=lambda c: _group(c, preferred, demote))


_DEFAULT_PIPELINES: dict[str, Pipeline] = {}
_DEFAULT_LOCK = threading.Lock()


def default_pipeline(article: str | Path | None = None) -> Pipeline:
    """The process-wide pipeline for ``article`` (default: the configured article), built once."""
    config = Config.from_env()
    source = Path(article).expanduser() if article is not None else config.article
    key = str(source.resolve())
    with _DEFAULT_LOCK:
        pipeline = _DEFAULT_PIPELINES.get(key)
        if pipeline is None:
            pipeline = Pipeline.build(source, config=config, progress=sys.stderr.isatty())
            _DEFAULT_PIPELINES[key] = pipeline
        return pipeline
