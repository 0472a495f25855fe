"""Short answers: the one phrase of the asked-for kind in the best sentence, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.answering.pipeline import Pipeline
from qa.answering.short_answer import (
    AskedFor,
    asked_for,
    find_short_answer,
    reply_lead,
    speaker_span,
)
from qa.core.types import Span
from qa.evaluation import evaluate, exact_match, load_questions, token_f1
from qa.ranking.decline import DeclinePolicy
from qa.ranking.signals import Evidence
from qa.text.sentences import split_sentences

DATA = Path(__file__).parent / "data" / "short_answer"
ARTICLE = DATA / "harbour_plan.txt"
TEXT = ARTICLE.read_text(encoding="utf-8")


def sentence_with(fragment: str) -> tuple[int, int]:
    """The (start, end) of the fixture sentence containing ``fragment``."""
    at = TEXT.index(fragment)
    return next((s, e) for s, e in split_sentences(TEXT) if s <= at < e)


def short(question: str, fragment: str) -> Span | None:
    return find_short_answer(question, TEXT, sentence_with(fragment))


@pytest.mark.parametrize(
    ("question", "fragment", "expected"),
    [
        ("How much will the harbour plan cost?", "voted on March", "$4.5 billion"),
        ("How many midwives will the hospital wing employ?", "38 midwives", "38"),
        ("What percentage of people in the region were unemployed?", "Unemployment", "12 percent"),
        ("When is the rebuilding due to finish?", "Rebuilding will", "by the end of the year"),
        ("Which company drew up the plan?", "drawn up", "Harbourline Engineering Company"),
        ("Where will rebuilding begin?", "Rebuilding will", "Port of Ashby"),
        ("Who has led the council since 2016?", "biggest investment", "Elena Ortiz"),
        (
            "What are the council's three priorities?",
            "three priorities",
            "flood defences, public transport and affordable housing",
        ),
    ],
)
def test_each_kind_of_question_gets_the_one_phrase_of_that_kind(
    question: str, fragment: str, expected: str
) -> None:
    span = short(question, fragment)
    assert span is not None and span.text == expected
    assert TEXT[span.start : span.end] == span.text
    start, end = sentence_with(fragment)
    assert start <= span.start < span.end <= end


def test_two_candidates_of_the_asked_kind_give_no_short_answer() -> None:
    # "March 3" and "2019" are both dates; nothing in the question picks one.
    assert short("When did the council vote on the plan?", "voted on March") is None
    # 38 midwives and 1,200 builders: neither is counted as "workers".
    assert short("How many workers will be employed?", "38 midwives") is None


def test_a_phrase_the_question_already_names_is_never_the_answer() -> None:
    span = short("When did the debate that began in 2019 end?", "voted on March")
    assert span is not None and span.text == "March 3"


def test_the_counted_thing_picks_one_number_among_several() -> None:
    span = short("How many builders work on the harbour?", "38 midwives")
    assert span is not None and span.text == "1,200"


def test_questions_that_ask_for_no_typed_phrase_get_none() -> None:
    assert asked_for("Why did the council approve the plan?") is None
    assert asked_for("What did the mayor say about the plan?") is None
    # "Who is X?" asks what someone is, not for a name.
    assert asked_for("Who is Elena Ortiz?") is None
    assert short("Why did the council approve the plan?", "voted on March") is None


def test_question_wording_decides_the_kind() -> None:
    assert asked_for("How many jobs will the plan create?") == AskedFor("number")
    assert asked_for("In what year did the debate begin?") == AskedFor("time")
    assert asked_for("In which city is the harbour?") == AskedFor("place")
    assert asked_for("Which agency approved the plan?") == AskedFor("organisation")
    assert asked_for("Who said the plan was too costly?") == AskedFor("person")
    assert asked_for("What are the two options?") == AskedFor("list", 2)


def test_reply_lead_counts_a_list_and_ends_a_phrase() -> None:
    items = Span(0, 10, "a, b and c")
    assert reply_lead("What are the three options?", items) == "Three: a, b and c."
    assert reply_lead("How much will it cost?", Span(0, 12, "$4.5 billion")) == "$4.5 billion."
    when = Span(0, 22, "by the end of the year")
    assert reply_lead("When will it finish?", when) == "By the end of the year."


def test_a_list_is_cut_where_the_question_s_noun_introduces_it() -> None:
    text = (
        "We will focus on the three leading industries of integrated circuits, "
        "biopharmaceuticals, and artificial intelligence, accelerating the research of key "
        "technologies, promoting emerging industries, and strengthening future industries."
    )
    span = find_short_answer("What are the three leading industries?", text, (0, len(text)))
    assert span is not None
    assert span.text == "integrated circuits, biopharmaceuticals, and artificial intelligence"


def test_how_often_asks_for_a_frequency_not_a_number() -> None:
    assert asked_for("How often are consultants on call?") is None


def test_a_lone_candidate_must_have_the_form_the_wording_demands() -> None:
    # "How much will it cost?" wants money: a distance is no answer even when it is alone.
    text = "The ambulance must now drive 60 km to the next hospital."
    assert find_short_answer("How much will the closure cost?", text, (0, len(text))) is None


def test_a_speaker_cued_by_a_pronoun_is_named_where_the_article_last_named_them() -> None:
    text = 'Ana Ruiz spoke first. Ana Ruiz left. Then Tom Li arrived.\n\n"No," she said.'
    passage = (text.index('"No'), len(text))
    span = speaker_span(text, passage, "Ana Ruiz")
    assert span == Span(22, 30, "Ana Ruiz")  # the nearest mention before the passage
    assert speaker_span(text, passage, "Bo Chen") is None


# --------------------------------------------------------------------------- in the pipeline


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    from qa.core.config import Config
    from tests.conftest import FakeEncoder

    config = Config.from_env(cache_dir=tmp_path_factory.mktemp("short-answer-cache"))
    return Pipeline.build(ARTICLE, config=config, encoder=FakeEncoder())


def test_the_reply_leads_with_the_short_answer(pipeline: Pipeline) -> None:
    answer = pipeline.answer("What are the council's three priorities?")
    assert answer.answered and answer.short is not None
    assert answer.short.text == "flood defences, public transport and affordable housing"
    assert answer.reply.startswith(
        "Three: flood defences, public transport and affordable housing. "
    )
    assert answer.to_dict()["short"] == answer.short.to_dict()


def test_a_name_the_reply_already_opens_with_is_not_said_twice(pipeline: Pipeline) -> None:
    answer = pipeline.answer("Who has led the council since 2016?")
    assert answer.short is not None and answer.short.text == "Elena Ortiz"
    assert answer.reply.startswith("Elena Ortiz (direct quote, paragraph 4): ")


def test_who_said_is_answered_with_the_speaker_as_the_article_names_them(
    pipeline: Pipeline,
) -> None:
    answer = pipeline.answer("Who said this is the biggest investment the city has made?")
    assert answer.short is not None and answer.short.text == "Elena Ortiz"
    assert TEXT[answer.short.start : answer.short.end] == "Elena Ortiz"


class DeclineEverything(DeclinePolicy):
    def accepts(self, evidence: Evidence, confidence: float | None = None) -> bool:
        return False


def test_a_declined_question_has_no_short_answer(pipeline: Pipeline) -> None:
    question = "What are the council's three priorities?"
    declining = Pipeline(
        pipeline.corpus, pipeline.retriever, config=pipeline.config, decline=DeclineEverything()
    )
    declined = declining.answer(question)
    assert not declined.answered and declined.short is None
    assert pipeline.answer(question).short is not None  # the same question, answered


# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize(
    ("prediction", "answers", "em", "f1"),
    [
        ("The Normans", ["Normans"], 1.0, 1.0),  # articles and case are ignored
        ("$4.5 billion.", ["$4.5 billion"], 1.0, 1.0),  # punctuation is ignored
        ("38", ["38 midwives", "38"], 1.0, 1.0),  # the best of several answers
        ("in 1066", ["1066"], 0.0, 2 / 3),  # precision 1/2, recall 1
        ("France", ["Normandy"], 0.0, 0.0),
    ],
)
def test_exact_match_and_f1_follow_the_squad_script(
    prediction: str, answers: list[str], em: float, f1: float
) -> None:
    assert exact_match(prediction, answers) == em
    assert token_f1(prediction, answers) == pytest.approx(f1)


def test_evaluation_reports_how_often_a_short_answer_was_given_and_how_good(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"id": "a", "question": "What are the council\'s three priorities?", '
        '"answers": ["flood defences, public transport and affordable housing"]}\n'
        '{"id": "b", "question": "Why did the council vote?", '
        '"answers": ["rebuild the harbour"]}\n',
        encoding="utf-8",
    )
    report, results = evaluate(pipeline, load_questions(questions))
    assert report.n_short_typed == 1 and report.n_short == 1
    assert report.short_exact_match == 1.0 and report.short_f1 == 1.0
    assert report.to_dict()["short_answers"] == {
        "typed": 1, "given": 1, "exact_match": 1.0, "f1": 1.0,
    }  # fmt: skip
    assert [r.short for r in results] == [
        "flood defences, public transport and affordable housing",
        None,
    ]
