"""The trained reader (qa.reading) and how answers use it (qa.answering.reading)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qa.answering.reading import read_and_rerank, reader_short_answer
from qa.core.errors import WeightsMismatchError
from qa.core.types import Passage
from qa.ranking.features import READING_FEATURES
from qa.ranking.models import ReadingModel, _Linear
from qa.ranking.signals import Candidate
from qa.reading.passages import PassageReading, read_passages
from qa.reading.reader import Reader, Reading, best_span, default_reader


def _model(weights: Sequence[float], span_threshold: float = 5.0) -> ReadingModel:
    linear = _Linear("reading", READING_FEATURES, np.asarray(weights, dtype=float), 0.0, {})
    return ReadingModel(linear, span_threshold)


class KeywordReader:
    """A stand-in reader: a sentence answers when it holds ``keyword``; the span is the word."""

    def __init__(self, keyword: str) -> None:
        self.keyword = keyword
        self.calls: list[int] = []

    def read(self, question: str, sentences: Sequence[str]) -> tuple[Reading, ...]:
        self.calls.append(len(sentences))
        out = []
        for sentence in sentences:
            at = sentence.find(self.keyword)
            if at < 0:
                out.append(Reading(-3.0, None, -1e9))
            else:
                out.append(Reading(4.0, (at, at + len(self.keyword)), 12.0))
        return tuple(out)


TEXT = (
    "The harbour board met on Tuesday. It approved a new crane.\n\n"
    "The crane was built by Kessler Works in Hamburg. It cost four million euros.\n\n"
    "Dock workers welcomed the decision. Their union had asked for it."
)


def _passages() -> list[Passage]:
    spans = [(0, 58), (60, 135), (137, len(TEXT))]
    return [
        Passage(id=i, article="a.txt", paragraph=i + 1, start=s, end=e, text=TEXT[s:e],
                speaker=None, kind="narration")
        for i, (s, e) in enumerate(spans)
    ]


def _candidate(passage_id: int, score: float) -> Candidate:
    return Candidate(passage_id=passage_id, score=score, dense=0.0, sentence=0.0,
                     lexical=0.0, speaker_match=False)


# ------------------------------------------------------------------ reading passages


def test_each_passage_is_judged_by_its_best_sentence_with_offsets_into_the_article() -> None:
    passages = _passages()
    found = read_passages(
        KeywordReader("Kessler Works"), "Who built the crane?",
        [(TEXT, p.start, p.end) for p in passages],
    )
    assert found[0] is not None and found[0].answerable == -3.0
    second = found[1]
    assert second is not None and second.answerable == 4.0
    assert TEXT[second.sentence[0]:second.sentence[1]] == (
        "The crane was built by Kessler Works in Hamburg."
    )
    assert second.span is not None and TEXT[second.span[0]:second.span[1]] == "Kessler Works"


def test_sentences_beyond_the_budget_are_not_read_and_their_passage_has_no_verdict() -> None:
    reader = KeywordReader("crane")
    passages = _passages()
    found = read_passages(
        reader, "q", [(TEXT, p.start, p.end) for p in passages], max_sentences=3
    )
    assert reader.calls == [3]
    assert found[2] is None and found[0] is not None and found[1] is not None


# ------------------------------------------------------------------ second stage


def test_the_second_stage_puts_the_passage_the_reader_finds_the_answer_in_first() -> None:
    passages = _passages()
    pool = [_candidate(0, 2.0), _candidate(1, 1.5), _candidate(2, 1.0)]
    ranked = read_and_rerank(
        KeywordReader("Kessler"), _model([1.0, 1.0, 0.0]), "Who built the crane?", pool,
        lambda pid: (TEXT, passages[pid]),
    )
    assert [c.passage_id for c in ranked.candidates] == [1, 0, 2]
    verdict = ranked.verdict()
    assert verdict is not None and verdict.answerable == 4.0 and verdict.lead == 7.0


def test_a_conversations_preferred_passage_stays_first_whatever_the_reader_says() -> None:
    passages = _passages()
    pool = [_candidate(2, 0.5), _candidate(0, 2.0), _candidate(1, 1.5)]
    ranked = read_and_rerank(
        KeywordReader("Kessler"), _model([1.0, 1.0, 0.0]), "And then?", pool,
        lambda pid: (TEXT, passages[pid]), group=lambda c: 0 if c.passage_id == 2 else 1,
    )
    assert [c.passage_id for c in ranked.candidates] == [2, 1, 0]


def test_passages_beyond_the_read_ones_keep_the_first_stage_order() -> None:
    passages = _passages()
    pool = [_candidate(0, 2.0), _candidate(1, 1.5), _candidate(2, 1.0)]
    ranked = read_and_rerank(
        KeywordReader("union"), _model([1.0, 1.0, 0.0]), "q", pool,
        lambda pid: (TEXT, passages[pid]), read=2,
    )
    assert [c.passage_id for c in ranked.candidates] == [0, 1, 2]
    assert set(ranked.readings) == {0, 1}


# ------------------------------------------------------------------ short answers


def test_the_readers_span_is_the_short_answer_only_above_the_threshold() -> None:
    sure = PassageReading(4.0, (60, 107), (83, 96), 12.0)
    assert reader_short_answer(sure, TEXT, _model([0, 0, 0], span_threshold=10.0)) is not None
    assert reader_short_answer(sure, TEXT, _model([0, 0, 0], span_threshold=13.0)) is None
    assert reader_short_answer(None, TEXT, _model([0, 0, 0])) is None


def test_a_short_answer_span_loses_its_trailing_full_stop() -> None:
    reading = PassageReading(4.0, (60, 107), (100, 107), 12.0)  # "Hamburg."
    span = reader_short_answer(reading, TEXT, _model([0, 0, 0]))
    assert span is not None and span.text == "Hamburg"


def test_best_span_stays_inside_the_sentence_and_ends_after_it_starts() -> None:
    start = np.array([9.0, 1.0, 2.0, 0.0, 5.0])
    end = np.array([0.0, 0.5, 3.0, 9.0, 0.0])
    inside = np.array([False, True, True, True, False])  # token 0 is [CLS], 4 is [SEP]
    first, last, score = best_span(start, end, inside)
    assert (first, last) == (2, 3) and score == 11.0
    assert best_span(start, end, np.zeros(5, dtype=bool))[0] == -1


# ------------------------------------------------------------------ the shipped model


@pytest.fixture(scope="module")
def reader() -> Reader:
    return default_reader()


def test_the_shipped_model_matches_its_manifest_and_credits_squad(reader: Reader) -> None:
    manifest = reader.manifest
    assert (reader.model_dir / manifest["model"]).stat().st_size <= 30_000_000
    assert "SQuAD" in manifest["credit"] and "CC BY-SA 4.0" in manifest["credit"]
    assert manifest["training_data"]["sha256"]
    assert manifest["held_out"]["onnx_int8"]["auc"] > 0.5


def test_the_sentence_that_answers_scores_above_those_that_do_not(reader: Reader) -> None:
    cases = [
        ("Who founded the Acme paint company?",
         "Acme was founded in 1952 by the chemist Jane Doe.",
         "The company sells paint in twelve countries."),
        ("How many people live in Lowbridge?",
         "Lowbridge has a population of about 42,000 people.",
         "Lowbridge lies on the river Tam, north of the capital."),
        ("When did the bridge open?",
         "The bridge opened to traffic in March 1998.",
         "The bridge is painted red and spans the bay."),
    ]
    for question, answers, other in cases:
        right, wrong = reader.read(question, [answers, other])
        assert right.answerable > wrong.answerable, question


def test_the_span_head_finds_the_answer_words(reader: Reader) -> None:
    sentence = "Acme was founded in 1952 by the chemist Jane Doe."
    (reading,) = reader.read("In what year was Acme founded?", [sentence])
    assert reading.span is not None
    assert "1952" in sentence[reading.span[0]:reading.span[1]]


def test_a_model_file_that_does_not_match_its_manifest_is_refused(
    reader: Reader, tmp_path: Path
) -> None:
    copy = tmp_path / "model"
    shutil.copytree(reader.model_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["sha256"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(WeightsMismatchError, match="sha256"):
        Reader(copy).read("q", ["s"])


def test_a_missing_manifest_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WeightsMismatchError, match="manifest"):
        Reader(tmp_path).read("q", ["s"])


# ------------------------------------------------------------------ in the pipeline


CRANE = Path(__file__).parent / "data" / "reading" / "crane.txt"


@pytest.fixture
def crane_pipeline(tmp_path: Path) -> Any:
    from conftest import FakeEncoder

    from qa.answering.pipeline import Pipeline
    from qa.core.config import Config

    pipeline = Pipeline.build(
        CRANE, config=Config.from_env(cache_dir=tmp_path), encoder=FakeEncoder(), read=False
    )
    pipeline.reader = KeywordReader("Kessler Works")
    pipeline.reading = _model([0.0, 1.0, 0.0], span_threshold=5.0)
    return pipeline


def test_the_answer_highlights_the_sentence_the_reader_picks_and_leads_with_its_span(
    crane_pipeline: Any,
) -> None:
    answer = crane_pipeline.answer("Which company built the crane?")
    top = answer.passages[0]
    assert "Kessler Works" in top.highlight.text
    assert answer.short is not None and answer.short.text == "Kessler Works"
    assert answer.reply.startswith("Kessler Works.")


def test_the_readers_span_is_trusted_only_above_its_threshold(crane_pipeline: Any) -> None:
    # A reader that (wrongly) points at "Hamburg": trusted when sure, overruled when not.
    crane_pipeline.reader = KeywordReader("Hamburg")
    assert crane_pipeline.answer("Which company built the crane?").short.text == "Hamburg"
    crane_pipeline.reading = _model([0.0, 1.0, 0.0], span_threshold=50.0)
    short = crane_pipeline.answer("Which company built the crane?").short
    assert short is None or short.text != "Hamburg"


def test_an_untyped_question_gets_no_short_answer_from_the_reader(crane_pipeline: Any) -> None:
    answer = crane_pipeline.answer("Why is the harbour getting new equipment?")
    assert answer.short is None or answer.short.text != "Kessler Works"
