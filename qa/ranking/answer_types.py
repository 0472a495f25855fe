"""What kind of answer a question asks for, and whether a text holds one.

Classic question-answering checks that similarity alone cannot make: a "how many" question
needs a number, "how old" an age ("Rao, 31,", "aged 52") or a founding year, a "how tall/long"
question a measurement (a number with a unit), a "when" question a date or time expression, a
"where" question a place.
"""

from __future__ import annotations

import re
from collections.abc import Set
from typing import Literal

from qa.text.lexicon import MONTHS, QUANTITY_WORDS, WEEKDAYS

__all__ = ["AnswerType", "expected_answer_type", "has_answer_type"]


AnswerType = Literal["age", "number", "length", "measure", "time", "place"]

# Not "how far": it is as often figurative ("How far have prices fallen?") as a distance.
_LENGTH_QUESTION = re.compile(r"\bhow\s+(?:tall|high|wide|deep|thick)\b", re.I)
_MEASURE_QUESTION = re.compile(r"\bhow\s+(?:long|heavy)\b", re.I)
_AGE_QUESTION = re.compile(
    r"\bhow\s+old\b|\bwhat\s+age\b|\bwhat\s+(?:is|was)\s+(?:his|her|their|its)\s+age\b", re.I
)
_NUMBER_QUESTION = re.compile(
    r"\bhow\s+(?:many|much|big|large|often)\b"
    r"|\b(?:what|which)\s+(?:is|was|are|were)\s+the\s+(?:\w+\s+)?"
    r"(?:population|budget|cost|price|number|amount|size|revenue|salary|percentage|share|gdp|"
    r"income|profits?|turnover|debt|output|wages?|fees?|tax|capacity|age|"
    r"rate|total|value|count|figure)\b"
    r"|\bby\s+(?:what|which|how\s+(?:big|wide|large)\s+a)\s+(?:margin|amount|percentage|factor)\b"
    r"|\bwhat\s+(?:percentage|proportion|fraction|share)\s+of\b",
    re.I,
)
_TIME_QUESTION = re.compile(
    r"^\W*when\b|\b(?:what|which)\s+(?:year|date|day|month|time|decade|century)\b"
    r"|\bon\s+what\s+(?:date|day)\b",
    re.I,
)
_PLACE_QUESTION = re.compile(
    # Not "Where in the article does AI come up?": a question about the text itself.
    r"^\W*where\b(?!(?:\s+else)?\s+in\s+(?:the|this)\s+(?:article|text|story|piece|report)\b)|\b(?:in|to)\s+(?:which|what)\s+"
    r"(?:city|cities|country|countries|town|place|district|province|region|state|area)\b",
    re.I,
)

# A quantity: a number word outside compounds ("two-way" is not a quantity), or digits that
# are neither an ordinal ("10th") nor a bare year ("2024") — neither answers "how many".
_NUMBER_WORD = re.compile(rf"(?<![\w-])(?:{'|'.join(QUANTITY_WORDS)})(?![\w-])", re.I)
_DIGITS = re.compile(r"(?<![\w.])\d[\d,.]*(?:st|nd|rd|th)?(?![\w])", re.I)
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_PERIODS = (
    r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|spring|summer|autumn|fall|winter)"
)
_TIME = re.compile(
    # Years (1000-2099, and decades), centuries, and years counted from an era.
    rf"\b(?:1\d\d\d|20\d\d)s?\b|\b(?:{'|'.join(MONTHS + WEEKDAYS)})\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)[\s-]+centur(?:y|ies)\b|\b\d{1,4}\s*(?:BC|BCE|AD|CE)\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|ago|midnight|noon|soon|shortly)\b"
    rf"|\b(?:last|next|this|earlier|later|coming|past)\s+{_PERIODS}"
    # Deadlines and spans: "by the end of the year", "within five years", "in two weeks".
    rf"|\b(?:end|start|beginning|middle|rest|course)\s+of\s+(?:the|this|next|that)\s+{_PERIODS}"
    rf"|\b(?:within|in|after|for|over)\s+(?:the\s+)?(?:next\s+|past\s+|coming\s+)?"
    rf"(?:\d+|{'|'.join(QUANTITY_WORDS)}|a|a\s+few|several)\s+{_PERIODS}",
    re.I,
)
# An age as news gives it: "Rao, 31, said", "aged 52", "a 40-year-old", "at 70" is too
# loose; or, for a thing, the year it was founded, built or opened.
_AGE = re.compile(
    r"[A-Z][\w'\u2019-]*,\s+\d{1,3},|\baged?\s+\d{1,3}\b|\b\d{1,3}[\s-]years?[\s-]old\b"
    r"|\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:years?|decades?|centur(?:y|ies))\s+(?:old|ago)\b"
    r"|\b(?:founded|built|opened|established|created|set\s+up|dating|dates|since)\b"
    r"[^.;]{0,40}?\b(?:1\d\d\d|20\d\d)\b",
    re.I,
)
_LENGTH_UNITS = (
    "metres meters metre meter m km kilometres kilometers kilometre kilometer miles mile feet "
    "foot ft inches inch cm centimetres centimeters millimetres millimeters mm yards yard "
    "storeys stories floors"
)
_UNITS = (
    f"{_LENGTH_UNITS} tonnes tonne tons ton kg kilograms kilogram pounds lb lbs hectares acres "
    "degrees seconds second minutes minute hours hour days day weeks week months month years "
    "year decades knots mph kph km/h percent"
)


def _quantity_with(units: str) -> re.Pattern[str]:
    """A number followed (within one word) by one of ``units``: "180 metres", "about
    ninety minutes", "a 4.5-metre surge"."""
    return re.compile(
        rf"(?:(?<![\w.])\d[\d,.]*|\b(?:{'|'.join(QUANTITY_WORDS)}))"
        rf"(?:[\s-]+\w+)?[\s-]+(?:{'|'.join(map(re.escape, units.split()))})\b",
        re.I,
    )


_LENGTH = _quantity_with(_LENGTH_UNITS)
_MEASURE = _quantity_with(_UNITS)
# Where something is: a proper name, or a locative phrase ending in a word for a place
# ("in dry docks on either side of the channel").
_PLACE_NOUNS = (
    "side sides dock docks harbour harbor port street road bank banks coast shore river channel "
    "building hall chamber lobby centre center district zone park site square office room city "
    "town village country region area border island bay estuary mouth station stations "
    "airport base plant factory campus university school hospital ward wards neighbourhood "
    "neighborhood waterfront terminal marina headquarters basement floor field farm border "
    "capital province state county suburb suburbs coastline valley mountain mountains"
)
_LOCATIVE = re.compile(
    r"\b(?:in|at|on|near|inside|outside|beside|between|across|along|under|behind|around|"
    r"into|toward|towards)\s+(?:the\s+|a\s+|an\s+|either\s+|both\s+|each\s+|its\s+|their\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}(?:{'|'.join(_PLACE_NOUNS.split())})\b",
    re.I,
)
# A capitalised word that does not start a sentence or a quotation: a proper name.
_PROPER_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")


def expected_answer_type(question: str) -> AnswerType | None:
    """The kind of answer the question asks for, when the wording makes it plain."""
    if _AGE_QUESTION.search(question):
        return "age"
    if _LENGTH_QUESTION.search(question):
        return "length"
    if _MEASURE_QUESTION.search(question):
        return "measure"
    if _NUMBER_QUESTION.search(question):
        return "number"
    if _TIME_QUESTION.search(question):
        return "time"
    if _PLACE_QUESTION.search(question):
        return "place"
    return None


def has_answer_type(text: str, answer_type: AnswerType, known: Set[str] = frozenset()) -> bool:
    """Whether ``text`` contains anything that could be an answer of ``answer_type``.

    ``known`` holds lower-cased words that cannot be the answer to a "where" question: the
    question's own words and the article's people (their names and titles), so "Where did
    Luo go to university?" is not answered by "Luo Dajin, director of the Shanghai ...".
    """
    if answer_type == "number":
        return bool(_NUMBER_WORD.search(text)) or any(
            not token[-2:].isalpha() and not _YEAR.fullmatch(token)
            for token in (m.group().rstrip(".,") for m in _DIGITS.finditer(text))
        )
    if answer_type == "age":
        return bool(_AGE.search(text))
    if answer_type == "length":
        return bool(_LENGTH.search(text))
    if answer_type == "measure":
        return bool(_MEASURE.search(text))
    if answer_type == "time":
        return bool(_TIME.search(text))
    return bool(_LOCATIVE.search(text)) or any(
        m.group().lower() not in known for m in _PROPER_NAME.finditer(text)
    )
