"""Property-based tests: arbitrary questions and arbitrary article text never break invariants.

``answer()`` runs on one pipeline built once with the conftest fake encoder (the invariants are
about offsets, ranks and errors, not about the model); attribution runs on text generated from a
vocabulary rich in what trips parsers up (curly and straight quotes, speech verbs, names,
titles, abbreviations, blank lines) mixed with arbitrary characters. Example counts are bounded so
the module stays fast.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pytest
from conftest import FakeEncoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.answering.pipeline import Pipeline
from qa.core.config import Config
from qa.core.errors import ArticleError, QuestionError
from qa.ingest import misplaced_source
from qa.ingest.text import article_from_text
from qa.passages.attribution import attribute
from qa.passages.chunk import chunk_article
from qa.text.sentences import split_sentences

HARBOUR = Path(__file__).resolve().parent / "data" / "reliability" / "harbour.txt"
MAX_CHARS = Config().max_question_chars


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    config = Config(cache_dir=tmp_path_factory.mktemp("cache"))
    return Pipeline.build(HARBOUR, config=config, encoder=FakeEncoder())


def _is_blank(question: str) -> bool:
    """Nothing but whitespace, control and format characters: nothing to search for."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in question)


QUESTIONS = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(" \t\n\x00\x1b\u200b\u202e?"), max_size=20),
    st.lists(
        st.sampled_from(["Who", "said", "ferry", "harbour", "Ortiz", "\u201c", '"', "?", "🚢",
                         "<script>", "'; DROP", "مرحبا", "\x07", " "]),
        max_size=15,
    ).map(" ".join),
    st.text(min_size=MAX_CHARS - 2, max_size=MAX_CHARS + 2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTIONS, k=st.integers(min_value=1, max_value=8))
def test_answer_keeps_its_invariants_for_any_question(
    pipeline: Pipeline, question: str, k: int
) -> None:
    try:
        answer = pipeline.answer(question, k=k)
    except QuestionError:
        # Refused only when too long, blank, or really an address or page to load instead.
        assert (
            len(question) > MAX_CHARS or _is_blank(question) or misplaced_source(question)
        )
        return
    assert len(question) <= MAX_CHARS and not _is_blank(question)
    assert answer.question and answer.question == answer.question.strip()
    assert answer.reply and "\n" not in answer.reply
    assert [p.rank for p in answer.passages] == list(range(1, min(k, len(pipeline.passages)) + 1))
    for ranked in answer.passages:
        text = pipeline.corpus.text_of(ranked.passage)
        assert math.isfinite(ranked.score)
        assert 0 <= ranked.start < ranked.end <= len(text)
        assert text[ranked.start : ranked.end] == ranked.text
        assert ranked.start <= ranked.highlight.start <= ranked.highlight.end <= ranked.end
        assert text[ranked.highlight.start : ranked.highlight.end] == ranked.highlight.text
        assert ranked.kind in ("direct", "indirect", "narration")


ARTICLE_PIECES = st.sampled_from(
    [
        "\u201c", "\u201d", '"', "'", "\u2018", "\u2019", " said ", " says ", " told reporters ",
        " according to ", "Ana Ortiz", "Ortiz", "Mr. Berg", "she", "he", "the mayor",
        ", the council's head of transport,", "Dr.", "U.S.", ".", ". ", "! ", "? ", ", ", "\n",
        "\n\n", "\n \n", "The ferry will run.", "We will build it", "It is late",
        "\u00e9", "\u05e9\u05dc\u05d5\u05dd", "🚢", "<b>", "\t", "-- ", "(", ")",
    ]
)
ARTICLES = st.lists(st.one_of(ARTICLE_PIECES, st.text(max_size=4)), max_size=60).map("".join)


def _check_span(text: str, start: int, end: int, value: str) -> None:
    assert 0 <= start <= end <= len(text)
    assert text[start:end] == value


@settings(max_examples=300, deadline=None)
@given(text=ARTICLES)
def test_attribution_offsets_always_point_at_the_text_they_claim(text: str) -> None:
    try:
        article = article_from_text(text, name="generated")
    except ArticleError:
        assert "\x00" in text or not text.strip()
        return
    result = attribute(article)
    for quote in result.quotes:
        _check_span(text, quote.start, quote.end, quote.text)
        assert quote.start < quote.end
        assert quote.kind in ("direct", "indirect")
        for span in (quote.mention, quote.cue):
            if span is not None:
                _check_span(text, span.start, span.end, span.text)
        if quote.speaker is not None:
            assert quote.speaker.name.strip()
    previous_end = 0
    for chunk in chunk_article(article, max_words=12):
        p_start, p_end = article.paragraphs[chunk.paragraph - 1]
        assert p_start <= chunk.start < chunk.end <= p_end
        assert chunk.start >= previous_end
        previous_end = chunk.end
        speaker, kind = result.span_speaker(chunk.start, chunk.end)
        assert kind in ("direct", "indirect", "narration")
        assert speaker is None or kind != "narration"
    for p_start, p_end in article.paragraphs:
        assert text[p_start:p_end].strip() == text[p_start:p_end]
        for s_start, s_end in split_sentences(text, p_start, p_end):
            assert p_start <= s_start < s_end <= p_end
