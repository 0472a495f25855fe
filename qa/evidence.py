"""Does the article answer the question? Evidence checks behind ``Answer.answered``.

Retrieval always returns *something*, so declining needs its own evidence. Two classic
question-answering checks carry most of the weight, because similarity scores alone cannot
tell "What are the plans for drug makers?" (answered, in other words) from "What is the
population of Shanghai?" (not answered, same topic):

- the expected answer type: a "how many" question needs a number in the passage, a "when"
  question a date, a "where" question a place name;
- a "who is the <role>" question needs a person the article gives that role.

A last floor catches questions about something else entirely: almost none of their content
words occur in the article and no sentence is semantically close.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AnswerType",
    "DeclinePolicy",
    "Evidence",
    "asks_for_person_by_role",
    "expected_answer_type",
    "has_answer_type",
]

AnswerType = Literal["number", "time", "place"]

_NUMBER_QUESTION = re.compile(
    r"\bhow\s+(?:many|much|long|far|old|big|large|often)\b"
    r"|\b(?:what|which)\s+(?:is|was|are|were)\s+the\s+(?:\w+\s+)?"
    r"(?:population|budget|cost|price|number|amount|size|revenue|salary|percentage|share|"
    r"rate|total|value|count|figure)\b",
    re.I,
)
_TIME_QUESTION = re.compile(
    r"^\W*when\b|\b(?:what|which)\s+(?:year|date|day|month|time|decade|century)\b"
    r"|\bon\s+what\s+(?:date|day)\b",
    re.I,
)
_PLACE_QUESTION = re.compile(
    r"^\W*where\b|\b(?:in|to)\s+(?:which|what)\s+"
    r"(?:city|cities|country|countries|town|place|district|province|region|state|area)\b",
    re.I,
)

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion dozen "
    "dozens half percent"
)
# A quantity: a number word outside compounds ("two-way" is not a quantity), or digits that
# are neither an ordinal ("10th") nor a bare year ("2024") — neither answers "how many".
_NUMBER_WORD = re.compile(rf"(?<![\w-])(?:{'|'.join(_NUMBER_WORDS.split())})(?![\w-])", re.I)
_DIGITS = re.compile(r"(?<![\w.])\d[\d,.]*(?:st|nd|rd|th)?(?![\w])", re.I)
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_MONTHS = (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_TIME = re.compile(
    rf"\b(?:1[5-9]\d\d|20\d\d)s?\b|\b(?:{'|'.join(_MONTHS.split())})\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|ago)\b"
    r"|\b(?:last|next|this|earlier|later)\s+(?:week|month|year|decade|century|spring|summer|"
    r"autumn|fall|winter)\b",
    re.I,
)
# A capitalised word that does not start a sentence or a quotation: a proper name.
_PROPER_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_WHO_IS_ROLE = re.compile(r"^\W*who(?:'s|\s+(?:is|was|are|were))\s+(?:the|a|an)\s+\w", re.I)


def expected_answer_type(question: str) -> AnswerType | None:
    """The kind of answer the question asks for, when the wording makes it plain."""
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
    if answer_type == "time":
        return bool(_TIME.search(text))
    return any(m.group().lower() not in known for m in _PROPER_NAME.finditer(text))


def asks_for_person_by_role(question: str) -> bool:
    """ "Who is the mayor of ...?": a question that names a role and wants its holder."""
    return bool(_WHO_IS_ROLE.match(question))


@dataclass(frozen=True, slots=True)
class DeclinePolicy:
    """The last-resort floor, as (minimum coverage, minimum sentence similarity) pairs: a
    question is declined when its best passage falls below *both* values of any pair.

    Coverage is the idf-weighted share of the question's content words found in the passage;
    similarity the cosine of the question with the passage's best sentence. The less similar
    the best sentence, the more of the question's words must be there: "What did the
    president have for breakfast?" shares "president" with the seed article, but nothing like
    it is said there. Chosen on the shipped question set, where every answerable question
    clears both floors with a margin (``benchmarks/tune_fusion.py`` prints the margins).
    """

    floors: tuple[tuple[float, float], ...] = ((0.2, 0.3), (0.5, 0.2))

    def accepts(self, evidence: Evidence) -> bool:
        """Whether ``evidence`` is enough to say the article answers the question."""
        if evidence.answer_type is not None and not evidence.answer_type_found:
            return False
        if evidence.asks_for_person_by_role and not evidence.person_found:
            return False
        return not any(
            evidence.coverage < coverage and evidence.similarity < similarity
            for coverage, similarity in self.floors
        )


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the best passage offers a question; :meth:`DeclinePolicy.accepts` judges it."""

    answer_type: AnswerType | None
    #: The best-matching sentence holds an answer of ``answer_type``.
    answer_type_found: bool
    asks_for_person_by_role: bool
    #: The question refers to a person the article knows (by name, surname or title).
    person_found: bool
    coverage: float
    similarity: float
