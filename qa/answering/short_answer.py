"""Short answers: the phrase that answers a typed question, picked out of the best sentence.

"How many ...?" wants a number, "When ...?" a date, "Who ...?" a person, "Which company ...?"
an organisation, "Where ...?" a place, "What are the three ...?" a list of three. When the
question asks for one of these and the best sentence of the top passage holds exactly ONE
candidate of that kind that the question does not already name, that candidate is the short
answer; otherwise there is none. Two candidates are a guess, and a wrong short answer at the
head of the reply is worse than none, so the rules are built for precision.

Candidates come from general rules over the sentence's own shape (capitalised name runs,
number phrases with their units, date expressions, enumerations), never from lists of names;
the article's known people only help to recognise a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from qa.core.types import Person, RankedPassage, Span
from qa.ranking.answer_types import expected_answer_type
from qa.ranking.question import asks_who_said
from qa.text import phrases
from qa.text.lexicon import ROLE_NOUNS, SPEECH_VERBS
from qa.text.tokens import STOPWORDS, stem

__all__ = [
    "AskedFor",
    "ShortKind",
    "asked_for",
    "find_short_answer",
    "reply_lead",
    "short_answer",
    "speaker_span",
]

#: What a typed question asks for.
ShortKind = Literal["person", "organisation", "place", "number", "time", "list"]


@dataclass(frozen=True, slots=True)
class AskedFor:
    """The kind of phrase a question asks for; ``count`` is the number of items of a list."""

    kind: ShortKind
    count: int | None = None


_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10,
}  # fmt: skip
_COUNT = "|".join(_NUMBERS)
# "What are the three leading industries?", "Which two cities ...", "Name the four ...".
_LIST_QUESTION = re.compile(
    rf"^\W*(?:(?:what|which)\s+(?:(?:are|were)\s+)?|name\s+)(?:the\s+)?(?:\w+['\u2019]s\s+)?"
    rf"(?P<count>{_COUNT})\s+(?P<what>[\w\s'-]+)",
    re.I,
)
_HOW_OFTEN = re.compile(r"\bhow\s+often\b", re.I)
_WHO = re.compile(r"^\W*(?:who|whom)\b|^\W*\w+(?:\s+\w+)?\s+whom\b", re.I)
# "Who is Dennis Harker?" asks what someone is, not for a name.
_WHO_IS_NAME = re.compile(r"^\W*[Ww]ho(?:'s|\s+(?:is|was))\s+(?:[A-Z][\w'.-]*\s*)+\W*$")
# Nouns after "which"/"what" that ask for a person or an organisation by kind.
_PERSON_NOUNS = (
    ROLE_NOUNS
    | {"person", "man", "woman", "people", "ruler", "leader", "leaders", "colleague", "colleagues"}
) - {
    "member", "head", "chief", "general", "independent", "host", "partner", "speaker",
}  # fmt: skip
# Kinds of organisation a question may ask for by name ("Which company ...").
_ORG_NOUNS = frozenset(
    """company companies firm agency university universities college school institute
    institution organisation organization corporation newspaper broadcaster publisher airline
    manufacturer charity church ministry department committee commission council court bank
    foundation association bureau""".split()
)
# Kinds of place asked for by "which": a place name answers them ("Which other cities ...").
_PLACE_KINDS = frozenset(
    "city cities town towns country countries region regions province district village".split()
)
# "Which (senior) colleague", "What (construction) company": the noun within three words.
_WHICH_NOUN = re.compile(
    r"(?:^|\b(?:in|at|by|from|to|of|for|with|on)\s+)\W*(?:which|what)\s+"
    r"(?P<words>\w+(?:\s+\w+){0,2})",
    re.I,
)
_VERBS_AFTER_WHICH = frozenset(
    """is are was were do does did will would has have had can could should may might
    must""".split()
)
def asked_for(question: str) -> AskedFor | None:
    """What the question asks for, when its wording says so plainly; None otherwise."""
    listed = _LIST_QUESTION.search(question)
    if listed:
        return AskedFor("list", _NUMBERS[listed.group("count").lower()])
    if _HOW_OFTEN.search(question):
        return None  # a frequency ("every other night"), rarely a bare number
    answer_type = expected_answer_type(question)
    if answer_type in ("number", "length", "measure", "age"):
        return AskedFor("number")
    if answer_type == "time":
        return AskedFor("time")
    if answer_type == "place":
        return AskedFor("place")
    if _WHO.search(question):
        return None if _WHO_IS_NAME.match(question) else AskedFor("person")
    which = _WHICH_NOUN.search(question)
    if which:
        for noun in which.group("words").lower().split():
            if noun in _VERBS_AFTER_WHICH:
                break
            singular = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
            if {noun, singular} & _ORG_NOUNS:
                return AskedFor("organisation")
            if {noun, singular} & _PERSON_NOUNS:
                return AskedFor("person")
            if noun in _PLACE_KINDS:
                return AskedFor("place")
    return None


# --------------------------------------------------------------------------- question words

def _content(text: str) -> set[str]:
    return {stem(w.lower()) for w in phrases.WORD.findall(text)} - STOPWORDS


def _in_question(phrase: str, question_words: set[str]) -> bool:
    """The question already names the phrase: every content word of it is in the question."""
    words = _content(phrase)
    return not words or words <= question_words


# --------------------------------------------------------------------------- the answer


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding punctuation or a possessive "'s"."""
    while start < end and text[start] in " ,;:\"'\u201c\u201d(":
        start += 1
    if text[start:end].endswith(("'s", "\u2019s")):
        end -= 2
    while end > start and text[end - 1] in " ,;:\"'\u201c\u201d).":
        end -= 1
    return start, end


_THE_BEFORE = re.compile(r"\b[Tt]he $")


def _candidates(
    kind: ShortKind, text: str, start: int, end: int, people: Sequence[Person]
) -> list[tuple[int, int]]:
    if kind == "number":
        # "March 3", "in 2019": the digits of a date are not an amount.
        dates = phrases.dates(text, start, end)
        return [
            (s, e) for s, e in phrases.numbers(text, start, end)
            if not any(d_start <= s and e <= d_end for d_start, d_end in dates)
        ]  # fmt: skip
    if kind == "time":
        return phrases.dates(text, start, end)
    found = [
        (s, e) for s, e in phrases.names(text, start, end)
        if not phrases.YEAR.fullmatch(text[s:e])
    ]  # fmt: skip
    if kind == "person":
        # "the Scottish Parliament", "the Low Countries": a person's name takes no article.
        return [
            phrases.untitled(text, (s, e)) for s, e in found
            if phrases.is_person_like(text[s:e], people)
            and not _THE_BEFORE.search(text, max(0, s - 4), s)
        ]  # fmt: skip
    if kind == "organisation":
        return [(s, e) for s, e in found if phrases.is_org(text[s:e])]
    # Places: proper names that are not the article's people, events or adjectives.
    return [
        (s, e) for s, e in found
        if not phrases.known_person(text[s:e], people) and phrases.is_place_like(text[s:e])
    ]  # fmt: skip


def _dedupe(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with those inside another dropped."""
    kept: list[tuple[int, int]] = []
    for span in sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0]))):
        if kept and span[0] >= kept[-1][0] and span[1] <= kept[-1][1]:
            continue
        kept.append(span)
    return kept


_PERCENT_QUESTION = re.compile(r"\b(?:percent(?:age)?|per\s+cent|proportion)\b", re.I)
_PERCENT = re.compile(r"%|\bper\s*cent\b|\bpercent\b", re.I)
_LENGTH_QUESTION = re.compile(r"\bhow\s+(?:long|tall|high|wide|deep|far|thick)\b", re.I)
_LENGTH_UNIT = re.compile(
    r"\b(?:km|kilomet(?:re|er)s?|miles?|mi|met(?:re|er)s?|m|feet|ft|inches|cm|mm)\b", re.I
)
_TIME_UNIT = re.compile(r"\b(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b", re.I)
_MONEY_QUESTION = re.compile(
    r"\bhow\s+much\b.*\b(?:money|cost|costs|pay|paid|bid|spend|spent|worth|price|fund|"
    r"funding|budget|sell|sold|buy|bought|raise|raised|earn|earned|charge)|\b(?:cost|price|"
    r"budget|revenue|salary|value)\b",
    re.I,
)
_MONEY = re.compile(
    r"[$\u20ac\u00a3\u00a5]|\b(?:dollars|euros|pounds|yuan|pence|francs)\b", re.I
)
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<what>(?:[\w-]+\s+){0,2}?[\w-]+)\b", re.I)
_YEAR_QUESTION = re.compile(r"\b(?:what|which)\s+year\b", re.I)
_CENTURY_QUESTION = re.compile(r"\b(?:what|which)\s+century\b", re.I)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|to|into|across|through|outside|inside|towards?|within)\s+"
    r"(?:the\s+)?$",
    re.I,
)


_DEADLINE = re.compile(r"(?:by|before|until|till)\s", re.I)
_DEADLINE_BEFORE = re.compile(r"\b(?:by|before|until|till)\s+$", re.I)


# Wordings whose answer must have a precise form even when it is the only candidate.
_STRICT = re.compile(
    r"\b(?:what|which)\s+(?:year|century)\b|\bpercent(?:age)?\b"
    r"|\bhow\s+(?:tall|high|wide|deep|long|far)\b|" + _MONEY_QUESTION.pattern,
    re.I,
)


def _fits(question: str, text: str, span: tuple[int, int], kind: ShortKind) -> bool:
    """Whether a candidate fits what the wording of the question adds to its kind: a
    percentage for "what percentage", a length for "how long", a sum of money for "how much
    did it cost", the counted thing for "how many X", a year for "what year", a deadline on
    a word of the question for "when" ("finish by 2028"), a place after "in"/"at" for
    "where". It picks one candidate among several, and checks the only one when the wording
    demands a precise form (:data:`_STRICT`)."""
    phrase = text[span[0] : span[1]]
    if kind == "number":
        if _PERCENT_QUESTION.search(question):
            return bool(_PERCENT.search(phrase))
        if _LENGTH_QUESTION.search(question):
            return bool(_LENGTH_UNIT.search(phrase) or _TIME_UNIT.search(phrase))
        if _MONEY_QUESTION.search(question):
            return bool(_MONEY.search(phrase))
        counted = _HOW_MANY.search(question)
        if counted:
            wanted = {stem(w.lower()) for w in counted.group("what").split()} - STOPWORDS
            after = phrases.WORD.findall(text, span[1], min(len(text), span[1] + 40))[:3]
            inside = phrases.WORD.findall(phrase)
            return bool(wanted & {stem(w.lower()) for w in after + inside})
        return False
    if kind == "time":
        if _YEAR_QUESTION.search(question):
            return re.fullmatch(r"(?:AD\s+)?\d{3,4}(?:\s*(?:AD|BC|BCE|CE))?", phrase) is not None
        if _CENTURY_QUESTION.search(question):
            return "centur" in phrase.lower()
        # "began in 2024 and will finish by 2028" for "When will it finish?": a deadline
        # set on the question's own word, "finish by", picks one date of several.
        begin = _deadline_start(text, span)
        if begin is None:
            return False
        before = phrases.WORD.findall(text, max(0, begin - 30), begin)[-1:]
        return bool(_content(question) & {stem(w.lower()) for w in before})
    if kind == "list":
        # "the three leading industries of A, B and C": the list the question's noun leads.
        listed = _LIST_QUESTION.search(question)
        lead_in = phrases.WORD.findall(text, max(0, span[0] - 60), span[0])[-6:]
        wanted = _content(listed.group("what")) if listed else set()
        return bool(wanted & {stem(w.lower()) for w in lead_in})
    if kind == "place":
        return _LOCATIVE_BEFORE.search(text[max(0, span[0] - 20) : span[0]]) is not None
    return False


def find_short_answer(
    question: str,
    text: str,
    sentence: tuple[int, int],
    *,
    people: Sequence[Person] = (),
) -> Span | None:
    """The one phrase in ``text[sentence[0]:sentence[1]]`` of the kind the question asks for.

    None when the question is not typed, or the sentence holds no candidate or several
    candidates of that kind the question does not already name.
    """
    asked = asked_for(question)
    if asked is None:
        return None
    start, end = sentence
    question_words = _content(question)
    if asked.kind == "list" and asked.count:
        spans = phrases.enumerations(text, start, end, asked.count)
    else:
        spans = _candidates(asked.kind, text, start, end, people)
    spans = _dedupe(
        [
            _strip_span(text, s, e)
            for s, e in spans
            if not _in_question(text[s:e], question_words)
        ]
    )
    spans = [(s, e) for s, e in spans if e > s]
    if len(spans) > 1 or _STRICT.search(question):
        spans = [span for span in spans if _fits(question, text, span, asked.kind)]
    if len(spans) != 1:
        return None
    s, e = spans[0]
    if asked.kind == "time":
        # "by 2028" is a deadline, "2028" alone a year it happens in: keep the word.
        s = _deadline_start(text, (s, e)) or s
    return Span(s, e, text[s:e])


def _deadline_start(text: str, span: tuple[int, int]) -> int | None:
    """Where the deadline of a date begins ("by 2028", "by the end of the year"); None when
    the date is no deadline."""
    if _DEADLINE.match(text, span[0], span[1]):
        return span[0]
    before = _DEADLINE_BEFORE.search(text, max(0, span[0] - 8), span[0])
    return before.start() if before is not None else None


def short_answer(
    question: str, text: str, top: RankedPassage, people: Sequence[Person] = ()
) -> Span | None:
    """The short answer to ``question`` in the top passage ``top`` of the article ``text``.

    "Who said ...?" is answered by the passage's speaker, named where the article names them;
    every other typed question by :func:`find_short_answer` on the passage's best sentence.
    """
    if asks_who_said(question, SPEECH_VERBS):
        if top.speaker is None:
            return None
        return speaker_span(text, (top.start, top.end), top.speaker.name)
    sentence = (top.highlight.start, top.highlight.end)
    return find_short_answer(question, text, sentence, people=people)


def reply_lead(question: str, short: Span) -> str:
    """How a reply opens with the short answer: "Three: A, B and C." for a list question,
    "$4.5 billion." otherwise."""
    phrase = " ".join(short.text.split())
    asked = asked_for(question)
    if asked is not None and asked.kind == "list" and asked.count is not None:
        count = next(word for word, n in _NUMBERS.items() if n == asked.count)
        return f"{count.capitalize()}: {phrase}."
    phrase = phrase[:1].upper() + phrase[1:]  # "By the end of the year."
    return phrase if phrase.endswith((".", "!", "?")) else f"{phrase}."


def speaker_span(text: str, passage: tuple[int, int], name: str) -> Span | None:
    """Where the article names the speaker ``name``: in the passage if it does, else its
    nearest earlier mention, else its first. None if the full name never occurs."""
    occurrences = [m.start() for m in re.finditer(re.escape(name), text)]
    if not occurrences:
        return None
    inside = [o for o in occurrences if passage[0] <= o < passage[1]]
    before = [o for o in occurrences if o < passage[0]]
    at = inside[0] if inside else before[-1] if before else occurrences[0]
    return Span(at, at + len(name), text[at : at + len(name)])
