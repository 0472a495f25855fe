"""Evidence checks: the kind of answer a question asks for, and whether a text holds one."""

from __future__ import annotations

import pytest

from qa.evidence import (
    DeclinePolicy,
    Evidence,
    asks_for_person_by_role,
    expected_answer_type,
    has_answer_type,
    missing_focus,
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many labs does the city have?", "number"),
        ("How much funding did it get?", "number"),
        ("What is the population of Shanghai?", "number"),
        ("What is the annual budget of the commission?", "number"),
        ("By what margin did the board approve the plan?", "number"),
        ("What share of the funding comes from grants?", "number"),
        ("When was the science city founded?", "time"),
        ("On what date did Xi arrive?", "time"),
        ("In which year did construction start?", "time"),
        ("Where did Luo go to university?", "place"),
        ("In which district is the science city?", "place"),
        ("How tall is the seawall?", "length"),
        ("How deep is the channel?", "length"),
        ("How far have lithium prices fallen?", None),
        ("How long did the hearing last?", "measure"),
        ("What are the three leading industries?", None),
        ("Who said the explorer program would be expanded?", None),
    ],
)
def test_expected_answer_type_follows_the_wording(question: str, expected: str | None) -> None:
    assert expected_answer_type(question) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The city runs 300 labs.", True),
        ("It cost $5.2 million.", True),
        ("Three leading industries.", True),
        ("The year of 2024 marks the 10th anniversary.", False),  # a year and an ordinal
        ("Smooth the two-way fast lane.", False),  # a compound, not a quantity
    ],
)
def test_a_quantity_is_a_number_but_not_a_year_or_an_ordinal(text: str, found: bool) -> None:
    assert has_answer_type(text, "number") is found


def test_a_date_needs_a_year_month_or_relative_day() -> None:
    assert has_answer_type("Construction began in 2014.", "time")
    assert has_answer_type("He arrived on Tuesday.", "time")
    assert not has_answer_type("During his recent trip he visited labs.", "time")


@pytest.mark.parametrize(
    "text",
    [
        "A builder will be chosen by the end of the year.",
        "The pumps must be upgraded within five years.",
        "The board meets again next month.",
        "The count finished shortly after midnight.",
    ],
)
def test_deadlines_and_relative_times_answer_when(text: str) -> None:
    assert has_answer_type(text, "time")


def test_a_length_needs_a_number_with_a_unit_of_length() -> None:
    assert has_answer_type("Each gate is 180 metres wide.", "length")
    assert has_answer_type("The wall stands four feet high.", "length")
    assert not has_answer_type("The council voted 9-2 on March 14.", "length")
    assert not has_answer_type("Debate went on for six years.", "length")
    assert has_answer_type("Debate went on for six years.", "measure")
    assert has_answer_type("Closing takes about ninety minutes.", "measure")


def test_a_place_is_a_proper_name_the_question_and_speakers_do_not_already_give() -> None:
    text = "Luo Dajin, director of the Shanghai Science Commission, said so."
    known = {"luo", "dajin", "director", "shanghai", "science", "commission"}
    assert not has_answer_type(text, "place", known)
    assert has_answer_type("He studied in the city of Wuhan.", "place", known)


def test_a_place_can_be_a_locative_phrase_without_a_name() -> None:
    assert has_answer_type("They sit open in dry docks on either side of the channel.", "place")
    assert not has_answer_type("They sit open for most of the year.", "place")


def test_who_is_the_role_asks_for_a_person() -> None:
    assert asks_for_person_by_role("Who is the mayor of Shanghai?")
    assert asks_for_person_by_role("What is the name of the chief executive?")
    assert not asks_for_person_by_role("Who said the program would expand?")
    assert not asks_for_person_by_role("What is the name of it?")


ARTICLE_WORDS = {"mayor", "gate", "harbour", "union", "worker", "jobs"}


def _known(phrase: str, head: str) -> bool:
    return head in ARTICLE_WORDS


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What did the state governor say about the vote?", "governor"),
        ("According to the governor, is the plan safe?", "governor"),
        ("What does the mayor think of the gate?", None),
        ("How many construction contracts will be signed?", "contracts"),
        ("How many jobs will the harbour gain?", None),
        ("Which state governor signed off on the grant?", "governor"),
        ("Which mayor approved the gate?", None),
        ("Which companies will build the gate?", None),  # things are named many ways
        ("What role will the harbour play?", None),
        # Plural and generic sources can be named in other words: no proof of absence.
        ("What did environmental groups say?", None),
        ("What did the experts say about the gate?", None),
        ("What did he say about the gate?", None),
        ("What will the gate cost?", None),
    ],
)
def test_the_focus_of_a_question_must_be_in_the_article(
    question: str, missing: str | None
) -> None:
    assert missing_focus(question, _known) == missing


def _evidence(**changes: object) -> Evidence:
    base: dict[str, object] = {
        "answer_type": None,
        "answer_type_found": False,
        "asks_for_person_by_role": False,
        "person_found": False,
        "coverage": 0.6,
        "similarity": 0.5,
    }
    return Evidence(**{**base, **changes})  # type: ignore[arg-type]


def test_the_policy_accepts_good_evidence_and_declines_each_failure() -> None:
    policy = DeclinePolicy()
    assert policy.accepts(_evidence())
    assert not policy.accepts(_evidence(answer_type="number"))
    assert policy.accepts(_evidence(answer_type="number", answer_type_found=True))
    assert not policy.accepts(_evidence(asks_for_person_by_role=True))
    assert policy.accepts(_evidence(asks_for_person_by_role=True, person_found=True))
    assert not policy.accepts(_evidence(missing_focus="governor"))


def test_the_less_similar_the_passage_the_more_words_it_must_share() -> None:
    policy = DeclinePolicy(floors=((0.2, 0.3), (0.5, 0.2)))
    assert policy.accepts(_evidence(coverage=0.0, similarity=0.35))  # similar enough alone
    assert policy.accepts(_evidence(coverage=0.3, similarity=0.25))
    assert not policy.accepts(_evidence(coverage=0.1, similarity=0.25))
    assert not policy.accepts(_evidence(coverage=0.42, similarity=0.07))  # "breakfast" case
    assert policy.accepts(_evidence(coverage=0.74, similarity=0.1))
