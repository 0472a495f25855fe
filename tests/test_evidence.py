"""Evidence checks: the kind of answer a question asks for, and whether a text holds one."""

from __future__ import annotations

import pytest

from qa.ranking.answer_types import expected_answer_type, has_answer_type
from qa.ranking.decline import DeclinePolicy
from qa.ranking.features import DECLINE_FEATURES
from qa.ranking.models import DeclineModel
from qa.ranking.question import (
    asks_for_person_by_role,
    asks_who_said,
    entity_words,
    has_negation,
    missing_focus,
)
from qa.ranking.signals import Evidence


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many labs does the city have?", "number"),
        ("How much funding did it get?", "number"),
        ("What is the population of Shanghai?", "number"),
        ("What is the GDP of Shanghai?", "number"),
        ("What is the annual budget of the commission?", "number"),
        ("By what margin did the board approve the plan?", "number"),
        ("What share of the funding comes from grants?", "number"),
        ("When was the science city founded?", "time"),
        ("On what date did Xi arrive?", "time"),
        ("In which year did construction start?", "time"),
        ("Where did Luo go to university?", "place"),
        ("Where in the article does AI come up?", None),
        ("Where else in this story is the budget mentioned?", None),
        ("In which district is the science city?", "place"),
        ("How old is Anika Rao?", "age"),
        ("What age was she when she joined?", "age"),
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


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('"I kept thinking," said Rao, 31, who now works in Lyon.', True),
        ("Dennis Harker, aged 52, runs the local.", True),
        ("A 40-year-old nurse was the first to resign.", True),
        ("The hospital opened its maternity ward in 1957.", True),
        ("The complaint was filed in November 2021 by Anika Rao.", False),  # a date, no age
        ("The plant will employ 2,400 people.", False),
    ],
)
def test_an_age_is_given_the_way_news_gives_ages(text: str, found: bool) -> None:
    assert has_answer_type(text, "age") is found


def test_a_date_needs_a_year_month_or_relative_day() -> None:
    assert has_answer_type("Construction began in 2014.", "time")
    assert has_answer_type("William invaded Scotland in 1072.", "time")
    assert has_answer_type("The wars of religion filled the 16th century.", "time")
    assert has_answer_type("The city was founded around 300 BC.", "time")
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
    # A thing's name is not a person's role.
    assert not asks_for_person_by_role("What is the name of the museum the university owns?")


def test_who_said_asks_who_uttered_something_not_who_wrote_a_book() -> None:
    assert asks_who_said("Who said that basic research is the source of innovation?")
    assert asks_who_said("Who has argued for a second bridge?")
    assert asks_who_said("Who told reporters the plan was dead?")
    assert not asks_who_said("Who wrote the Nong Shu?")
    assert not asks_who_said("What did Costa say?")


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


def _model(threshold: float = 0.5, **weights: float) -> DeclineModel:
    return DeclineModel.from_dict({
        "format": 1,
        "kind": "decline",
        "features": list(DECLINE_FEATURES),
        "weights": [weights.get(name, 0.0) for name in DECLINE_FEATURES],
        "intercept": 0.0,
        "threshold": threshold,
    })


def test_the_policy_declines_below_the_models_threshold() -> None:
    policy = DeclinePolicy(_model(threshold=0.6, coverage=2.0), rules=())
    assert policy.confidence(_evidence(coverage=0.0)) == pytest.approx(0.5)
    assert not policy.accepts(_evidence(coverage=0.0))
    assert policy.accepts(_evidence(coverage=0.6))


def test_each_hard_rule_declines_what_the_model_would_accept() -> None:
    policy = DeclinePolicy(_model(threshold=0.0), rules=set(DeclinePolicy.RULES))
    assert policy.accepts(_evidence())
    assert policy.broken_rule(_evidence(answer_type="number")) == "answer_type"
    assert policy.accepts(_evidence(answer_type="number", answer_type_found=True))
    assert policy.broken_rule(_evidence(asks_for_person_by_role=True)) == "role"
    assert policy.accepts(_evidence(asks_for_person_by_role=True, person_found=True))
    assert policy.broken_rule(_evidence(missing_focus="governor")) == "focus"
    assert policy.broken_rule(_evidence(nobody_quoted=True)) == "who_said"
    assert not policy.accepts(_evidence(nobody_quoted=True))
    # A question a rule declines has no chance of being answered by the top passage.
    assert policy.confidence(_evidence(nobody_quoted=True)) == 0.0
    assert policy.confidence(_evidence()) == pytest.approx(0.5)


def test_the_policy_applies_the_rules_its_model_file_lists_unless_told_otherwise() -> None:
    model = DeclineModel.from_dict({**_model().to_dict(), "rules": ["focus"]})
    assert DeclinePolicy(model).rules == {"focus"}
    assert DeclinePolicy(model, rules=()).rules == frozenset()


def test_an_off_topic_question_shares_few_words_and_no_meaning_with_the_passage() -> None:
    policy = DeclinePolicy(_model(threshold=0.0), rules={"off_topic"})
    assert policy.accepts(_evidence(coverage=0.0, similarity=0.35))  # similar enough alone
    assert policy.accepts(_evidence(coverage=0.3, similarity=0.25))
    assert policy.broken_rule(_evidence(coverage=0.1, similarity=0.25)) == "off_topic"
    assert not policy.accepts(_evidence(coverage=0.42, similarity=0.07))  # "breakfast" case
    assert policy.accepts(_evidence(coverage=0.74, similarity=0.1))


def test_a_policy_without_rules_leaves_everything_to_the_model() -> None:
    policy = DeclinePolicy(_model(threshold=0.0), rules=())
    assert policy.accepts(_evidence(answer_type="number", missing_focus="governor"))
    with pytest.raises(ValueError, match="unknown decline rules"):
        DeclinePolicy(rules={"gut feeling"})


def test_negations_and_names_are_found_in_questions() -> None:
    assert has_negation("Which ruler did not sign the treaty?")
    assert has_negation("Why didn't the council vote?")
    assert not has_negation("Which ruler signed the treaty?")
    assert entity_words("When did Rollo reach Normandy in 911?") == ["rollo", "normandy", "911"]
