"""What a question is about, read from its wording: the source or thing it names, the role it
asks for, whether it asks who said something, its negation, its names and numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Set

from qa.text.lexicon import ASKED_SPEECH_VERBS, ROLE_NOUNS, UTTERED_VERBS
from qa.text.tokens import words

__all__ = [
    "asked_role",
    "asks_for_person_by_role",
    "asks_who_said",
    "entity_words",
    "has_negation",
    "missing_focus",
]

_WHO_IS_ROLE = re.compile(
    r"^\W*(?:who(?:'s|\s+(?:is|was|are|were))|what(?:'s|\s+is|\s+was)\s+the\s+name\s+of|name)"
    r"\s+(?:the|a|an)\s+(?P<role>(?:[\w'\u2019-]+\s+){0,2}[\w-]+)",
    re.I,
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


def asks_who_said(question: str, verbs: Set[str] = UTTERED_VERBS) -> bool:
    """ "Who said ...?", "Who told reporters ...?", "Who has argued ...?": a question whose
    answer is a speaker, not a name in the text. ``verbs`` are the verbs that make it one
    (default: verbs of uttering; the reply and the short answer also count opinion verbs such
    as "think", :data:`qa.text.lexicon.QUESTION_SPEECH_WORDS`)."""
    question_words = words(question)
    return (
        bool(question_words)
        and question_words[0] == "who"
        and any(w in verbs for w in question_words[1:3])
    )


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
