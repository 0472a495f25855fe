"""Specification of the shipped question set, seeds/questions.jsonl, against the seed article.

A question set whose answers drift from the article would make ``qa eval`` measure nothing,
so these checks pin the set to the article's exact text, paragraphs and speakers.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qa.evaluate import NARRATION, EvalQuestion, is_relevant, load_questions
from qa.text.sentences import split_paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = SEEDS / "000_378344c681942944.txt"
QUESTIONS = SEEDS / "questions.jsonl"
SPEAKERS = {"Xi Jinping", "Xu Feng", "Luo Dajin"}


@pytest.fixture(scope="module")
def questions() -> tuple[EvalQuestion, ...]:
    return load_questions(QUESTIONS)


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    text = ARTICLE.read_text(encoding="utf-8")
    return [text[start:end] for start, end in split_paragraphs(text)]


def _answerable(questions: tuple[EvalQuestion, ...]) -> list[EvalQuestion]:
    return [q for q in questions if not q.unanswerable]


def test_the_set_has_at_least_80_questions_of_which_at_least_10_unanswerable(
    questions: tuple[EvalQuestion, ...],
) -> None:
    assert len(questions) >= 80
    assert sum(q.unanswerable for q in questions) >= 10


def test_ids_are_unique(questions: tuple[EvalQuestion, ...]) -> None:
    repeated = [i for i, count in Counter(q.id for q in questions).items() if count > 1]
    assert repeated == []


def test_question_texts_are_not_repeated(questions: tuple[EvalQuestion, ...]) -> None:
    counts = Counter(" ".join(q.question.lower().split()) for q in questions)
    assert [text for text, count in counts.items() if count > 1] == []


def test_every_answer_lies_within_one_paragraph_of_the_article(
    questions: tuple[EvalQuestion, ...], paragraphs: list[str]
) -> None:
    # Passages never span paragraphs, so an answer across a paragraph break could never hit.
    missing = [
        (q.id, answer)
        for q in _answerable(questions)
        for answer in q.answers
        if not any(is_relevant(paragraph, [answer]) for paragraph in paragraphs)
    ]
    assert missing == []


def test_every_paragraph_answers_at_least_one_question(
    questions: tuple[EvalQuestion, ...], paragraphs: list[str]
) -> None:
    assert len(paragraphs) == 21
    covered = {
        number
        for q in _answerable(questions)
        for number, paragraph in enumerate(paragraphs, start=1)
        if is_relevant(paragraph, q.answers)
    }
    assert sorted(set(range(1, 22)) - covered) == []


def test_speakers_are_people_of_the_article_or_narration(
    questions: tuple[EvalQuestion, ...],
) -> None:
    used = {q.speaker for q in questions if q.speaker is not None}
    assert used <= SPEAKERS | {NARRATION}
    # Every speaker and narration is exercised, not just the most quoted person.
    assert used == SPEAKERS | {NARRATION}


def test_unanswerable_questions_have_no_answer_in_the_article(
    questions: tuple[EvalQuestion, ...],
) -> None:
    unanswerable = [q for q in questions if q.unanswerable]
    assert all(q.answers == () and q.speaker is None for q in unanswerable)


def test_who_said_questions_name_the_expected_speaker(
    questions: tuple[EvalQuestion, ...],
) -> None:
    who = [q for q in questions if q.question.lower().startswith(("who said", "who talked"))]
    assert len(who) >= 5
    assert all(q.speaker in SPEAKERS for q in who)
