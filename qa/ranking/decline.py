"""Does the article answer the question? The evidence behind ``Answer.answered``.

Retrieval always returns *something*, so declining needs its own evidence, gathered here as
an :class:`Evidence` value and judged by :class:`DeclinePolicy`: a calibrated decline model
(:class:`qa.ranking.models.DeclineModel`, fitted on development questions) turns it into the
probability that the top passage answers the question, and the question is declined below the
model's threshold. The evidence combines the fusion score and its margin over the runner-up,
similarities, how much of the question the passage (and its best sentence, and the article)
covers, names and numbers of the question missing from the passage, a negation the passage
lacks, and classic question-answering checks that similarity alone cannot make:

- the expected answer type: a "how many" question needs a number in the passage, "how old"
  an age ("Rao, 31,", "aged 52") or a founding year, a "how tall/long" question a
  measurement (a number with a unit), a "when" question a date or time expression, a
  "where" question a place;
- a "who is the <role>" question needs a person the article gives that role;
- the thing asked about must be in the article: "what did the governor say" needs a governor,
  "how many jobs" needs jobs (:func:`missing_focus`);
- "who said X?" needs someone in the article to say it.

The last three can also act as hard rules beside the model, where measurement shows they add
to it (:class:`DeclinePolicy`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Set
from dataclasses import dataclass
from typing import Literal

from qa.ranking.models import DeclineModel, default_decline
from qa.text.lexicon import ASKED_SPEECH_VERBS, ROLE_NOUNS

__all__ = [
    "AnswerType",
    "DeclinePolicy",
    "Evidence",
    "asked_role",
    "asks_for_person_by_role",
    "asks_who_said",
    "entity_words",
    "expected_answer_type",
    "has_answer_type",
    "has_negation",
    "missing_focus",
]

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
_PERIODS = (
    r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|spring|summer|autumn|fall|winter)"
)
_TIME = re.compile(
    # Years (1000-2099, and decades), centuries, and years counted from an era.
    rf"\b(?:1\d\d\d|20\d\d)s?\b|\b(?:{'|'.join(_MONTHS.split())})\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)[\s-]+centur(?:y|ies)\b|\b\d{1,4}\s*(?:BC|BCE|AD|CE)\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|ago|midnight|noon|soon|shortly)\b"
    rf"|\b(?:last|next|this|earlier|later|coming|past)\s+{_PERIODS}"
    # Deadlines and spans: "by the end of the year", "within five years", "in two weeks".
    rf"|\b(?:end|start|beginning|middle|rest|course)\s+of\s+(?:the|this|next|that)\s+{_PERIODS}"
    rf"|\b(?:within|in|after|for|over)\s+(?:the\s+)?(?:next\s+|past\s+|coming\s+)?"
    rf"(?:\d+|{'|'.join(_NUMBER_WORDS.split())}|a|a\s+few|several)\s+{_PERIODS}",
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
        rf"(?:(?<![\w.])\d[\d,.]*|\b(?:{'|'.join(_NUMBER_WORDS.split())}))"
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
_WHO_IS_ROLE = re.compile(
    r"^\W*(?:who(?:'s|\s+(?:is|was|are|were))|what(?:'s|\s+is|\s+was)\s+the\s+name\s+of|name)"
    r"\s+(?:the|a|an)\s+(?P<role>(?:[\w'\u2019-]+\s+){0,2}[\w-]+)",
    re.I,
)
# Verbs by which a "who ...?" question asks who uttered something (not who wrote a book or
# thought of an idea, which narration answers as often as a quote).
_UTTERED = frozenset(
    """say says said tell tells told state states stated claim claims claimed argue argues
    argued insist insists insisted stress stresses stressed warn warns warned promise promises
    promised add adds added vow vows vowed quote quoted""".split()
)


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


_WORD = r"[\w'\u2019-]+"
# "What did the state governor say ...", "How does the union feel ...": who is asked about.
_ASKS_WHAT_SOMEONE_SAID = re.compile(
    r"^\W*(?:what|how|why|when|where)\s+(?:did|does|do|has|have|had|will|would|is|was)\s+"
    rf"(?P<who>(?:{_WORD}\s+){{0,3}}?{_WORD})\s+(?:{'|'.join(sorted(ASKED_SPEECH_VERBS))})\b"
    rf"|\baccording\s+to\s+(?P<source>(?:{_WORD}\s+){{0,3}}?{_WORD})\s*(?:[,?]|$)",
    re.I,
)
# The verbs that end the noun phrase a "how many" / "which" question asks about.
_AUXILIARIES = frozenset(
    "are is was were do does did will would have has had can could should must might".split()
)
# "How many construction jobs will ...": what is to be counted.
_COUNTED = re.compile(
    rf"\bhow\s+many\s+(?P<what>(?:{_WORD}\s+){{0,3}}?{_WORD})\s+"
    rf"(?:{'|'.join(sorted(_AUXILIARIES))})\b"
    rf"|\bhow\s+many\s+(?P<head>{_WORD})",
    re.I,
)
# "Which Michigan governor signed ...": the words naming what is asked for, before any verb.
_WHICH = re.compile(rf"^\W*(?:which|what)\s+(?P<words>(?:{_WORD}\s+){{0,2}}{_WORD})", re.I)
# Heads too generic to prove anything by their absence: "what did critics say" may well be
# answered by an article that calls them opponents, "how many staff" by "38 midwives".
_GENERIC_SOURCES = frozenset(
    """he she it they we you i one someone anyone everyone people experts critics officials
    article report reporter author writer story text passage speaker source sources official
    leader head chief representative expert person man woman
    staff workers employees personnel members residents patients children adults""".split()
)


def _head(phrase: str) -> str:
    head = phrase.split()[-1].lower()
    return head[:-2] if head.endswith(("'s", "\u2019s")) else head


def missing_focus(question: str, is_known: Callable[[str, str], bool]) -> str | None:
    """The word naming who or what the question is about, when the article never uses it.

    Three shapes are checked: a source whose words are asked for ("What did the *governor*
    say ...", "according to the *governor*"), a role asked for ("Which *governor* signed
    ...") and the thing to count in "how many *jobs* ...". Plural sources are skipped (a
    group can be named many ways), as are pronouns and generic words. ``is_known(phrase,
    head)`` tells whether the article knows the phrase (``head`` is its last word,
    lower-cased).
    """
    asked = _ASKS_WHAT_SOMEONE_SAID.search(question)
    if asked:
        phrase = asked.group("who") or asked.group("source")
        head = _head(phrase)
        plural = head.endswith("s") and not head.endswith("ss")
        if head not in _GENERIC_SOURCES and not plural and not is_known(phrase, head):
            return head
    which = _WHICH.search(question)
    if which:
        # A person's role ("which governor") is rarely paraphrased the way things are.
        for word in which.group("words").split():
            word = word.lower()
            if word in _AUXILIARIES:
                break
            if word in ROLE_NOUNS and word not in _GENERIC_SOURCES and not is_known(word, word):
                return word
    counted = _COUNTED.search(question)
    if counted:
        phrase = counted.group("what") or counted.group("head")
        head = _head(phrase)
        if head not in _GENERIC_SOURCES and not is_known(phrase, head):
            return head
    return None


def asks_for_person_by_role(question: str) -> bool:
    """ "Who is the mayor of ...?", "What is the name of the city's mayor?": a question that
    names a person's role (a word of :data:`qa.text.lexicon.ROLE_NOUNS`) and wants its holder."""
    return asked_role(question) is not None


def asked_role(question: str) -> str | None:
    """The role word of a :func:`asks_for_person_by_role` question ("mayor"), if it is one."""
    match = _WHO_IS_ROLE.match(question)
    if match is None:
        return None
    return next(
        (
            word
            for word in (w.lower().removesuffix("'s") for w in match.group("role").split())
            if word in ROLE_NOUNS
        ),
        None,
    )


def asks_who_said(question: str) -> bool:
    """ "Who said ...?", "Who told reporters ...?", "Who has argued ...?": asks who uttered
    something."""
    words = re.findall(r"[\w']+", question.lower())
    return bool(words) and words[0] == "who" and any(w in _UTTERED for w in words[1:3])


_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|neither|without|cannot)\b|n['\u2019]t\b", re.I)
# Capitalised words after the first word, and numbers: the names and figures a question is
# pinned to. A question that swaps one of them ("Who ruled in 1066?" for 1067) keeps every
# other word, so its share missing from the passage is what gives it away.
_ENTITY = re.compile(r"(?<=\s)[A-Z][\w'\u2019-]*|\b\d[\d,.]*\b")


def has_negation(text: str) -> bool:
    """Whether ``text`` says "not", "never", "no", "didn't", ..."""
    return bool(_NEGATION.search(text))


def entity_words(question: str) -> list[str]:
    """Lower-cased names and numbers of ``question`` (capitalised words after the first)."""
    return [m.group().rstrip(".,").lower() for m in _ENTITY.finditer(question)]


class DeclinePolicy:
    """Decides whether the best passage answers the question.

    The calibrated decline model (:class:`qa.ranking.models.DeclineModel`) gives the probability;
    below its threshold the question is declined. ``rules`` names the hard rules applied
    beside it (default: those the model file lists, which ``benchmarks/fit_fusion.py`` keeps
    only when, on the fit split, each declines at least three unanswerable questions the
    model lets through per answerable one). The rules:
    ``answer_type`` (the best sentence lacks the kind of answer asked for), ``role`` (a "who
    is the <role>" question whose role nobody in the article has), ``focus`` (the source or
    thing counted is never mentioned), ``who_said`` (a "who said X?" question whose best
    passage quotes nobody), ``off_topic`` (see :attr:`OFF_TOPIC`).
    """

    RULES: tuple[str, ...] = ("answer_type", "role", "focus", "who_said", "off_topic")
    #: ``off_topic``: (minimum coverage, minimum similarity) pairs; a question is declined
    #: when its best passage falls below *both* values of any pair: almost none of its words
    #: are there and no sentence is close in meaning ("What is the capital of France?").
    OFF_TOPIC: tuple[tuple[float, float], ...] = ((0.2, 0.3), (0.5, 0.2))

    def __init__(
        self, model: DeclineModel | None = None, rules: Collection[str] | None = None
    ) -> None:
        self.model = model or default_decline()
        self.rules = frozenset(self.model.rules if rules is None else rules)
        unknown = self.rules.difference(self.RULES)
        if unknown:
            raise ValueError(f"unknown decline rules {sorted(unknown)}; known: {self.RULES}")

    def confidence(self, evidence: Evidence) -> float:
        """The probability, in [0, 1], that the top passage answers the question: the
        model's, or 0.0 when a hard rule says it does not."""
        if self.broken_rule(evidence) is not None:
            return 0.0
        return self.model.probability(evidence)

    def broken_rule(self, evidence: Evidence) -> str | None:
        """The first hard rule ``evidence`` fails, if any."""
        if (
            "answer_type" in self.rules
            and evidence.answer_type is not None
            and not evidence.answer_type_found
        ):
            return "answer_type"
        if "role" in self.rules and evidence.asks_for_person_by_role and not evidence.person_found:
            return "role"
        if "focus" in self.rules and evidence.missing_focus is not None:
            return "focus"
        if "who_said" in self.rules and evidence.nobody_quoted:
            return "who_said"
        if "off_topic" in self.rules and any(
            evidence.coverage < coverage and evidence.similarity < similarity
            for coverage, similarity in self.OFF_TOPIC
        ):
            return "off_topic"
        return None

    def accepts(self, evidence: Evidence, confidence: float | None = None) -> bool:
        """Whether ``evidence`` is enough to say the article answers the question."""
        if confidence is None:
            confidence = self.confidence(evidence)
        return confidence >= self.model.threshold and self.broken_rule(evidence) is None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the best passage offers a question; :class:`DeclinePolicy` judges it."""

    answer_type: AnswerType | None
    #: The best-matching sentence holds an answer of ``answer_type``.
    answer_type_found: bool
    asks_for_person_by_role: bool
    #: The question refers to a person the article knows (by name, surname or title), or
    #: the role it asks about is a word of the article ("Who is the mayor?" and a mayor is
    #: mentioned, if only in passing).
    person_found: bool
    #: Idf-weighted share of the question's content words in the passage.
    coverage: float
    #: Cosine of the question with the passage's best sentence.
    similarity: float
    #: What the question asks about that the article never mentions (see
    #: :func:`missing_focus`), if anything.
    missing_focus: str | None = None
    #: The fusion model's score for the passage, and its lead over the runner-up.
    score: float = 0.0
    margin: float = 0.0
    #: Cosine of the question with the passage (encoded with its speaker).
    dense: float = 0.0
    #: Idf-weighted share of the question's content words in the passage's best sentence ...
    sentence_coverage: float = 0.0
    #: ... and anywhere in the article.
    article_coverage: float = 0.0
    #: The highest idf among question words missing from the passage, over the highest
    #: possible idf (1.0: a word the article never uses).
    missing_idf: float = 0.0
    #: Share of the question's names and numbers (:func:`entity_words`) not in the passage.
    entities_missing: float = 0.0
    #: The question says "not"/"never" and the passage's best sentence does not.
    negation_mismatch: bool = False
    #: How many content words the question has.
    question_words: int = 0
    #: A "who said X?" question whose best passage is the article's own voice: nobody in
    #: the article is quoted saying X.
    nobody_quoted: bool = False
    #: The question asks for a person, organisation, place, number, date or list and the best
    #: sentence holds no clear candidate of that kind (:func:`qa.answering.short_answer.short_answer`).
    typed_answer_missing: bool = False
    #: The question asks for someone's words ("What did Xi say about ...?") and the best
    #: passage is someone else's or the article's own.
    speaker_mismatch: bool = False
