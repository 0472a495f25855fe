"""The words and shapes follow-up questions are recognised by, and the passage lookups the
rules need (neighbours of a passage, enumerated points, the phrase a noun stands for).

Kept apart from :mod:`qa.dialogue.resolve` so the rules read as rules; everything here
is a constant or a pure function.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.core.types import Passage
from qa.ranking.speakers import SPEECH_WORDS
from qa.text import lexicon
from qa.text.lexicon import DIGIT_ORDINALS, ROLE_NOUNS
from qa.text.tokens import content_tokens, expand_chat_spellings

__all__ = [
    "ANAPHOR",
    "BARE_WH",
    "CONTINUE",
    "DEMONSTRATIVE",
    "ELLIPSIS",
    "ELSE",
    "GENERIC_ROLES",
    "LIGHT_STEMS",
    "MORE",
    "NEXT",
    "ORDINALS",
    "ORDINAL_PATTERN",
    "ORDINAL_REF",
    "PERSON_PRONOUN",
    "QUESTION_START",
    "QUOTE_REF",
    "ROLE_NOUNS",
    "ROLE_REF",
    "WHO_IS",
    "WHO_QUESTION",
    "WHO_SAID_THAT",
    "as_question",
    "enumeration",
    "has_content",
    "internal_reference",
    "neighbours",
    "next_passage",
    "normalise",
    "noun_phrase",
    "relative_that",
    "switch",
    "token_spans",
    "with_context",
]

TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

_SWITCH = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|right|alright|thanks|thank\s+you|cool|great)[\s,.!;:-]+)?"
    r"(?:new\s+(?:question|topic|subject)|different\s+(?:question|topic|subject)|"
    r"another\s+(?:question|topic|thing)|unrelated(?:\s+question)?|"
    r"(?:changing|change\s+of|switching)\s+(?:the\s+)?(?:topic|subject)s?|"
    r"on\s+(?:a|another)\s+(?:different\s+)?(?:note|topic|subject)|"
    r"separate\s+question|by\s+the\s+way|btw|moving\s+on|totally\s+different)"
    r"(?:\s*,?\s*but)?\s*[:,.;!\-\u2013\u2014]*\s*",
    re.I,
)
_FILLER = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|oh|ah|hmm+|right|alright|thanks|thank\s+you|great|cool|nice|"
    r"interesting|i\s+see|got\s+it|sure|well|yes|yeah|wow|so|now|also|then|but)\b[\s,.!;:-]*)+",
    re.I,
)

CONTINUE = re.compile(
    r"^\W*(?:and\s+)?(?:go\s+on|continue|keep\s+going|carry\s+on|and\s+then|then\s+what|"
    r"what\s+next|what(?:'s|\s+is|\s+was|\s+came|\s+comes)\s+(?:next|after\s+that)|"
    r"what\s+follows|next(?:\s+one)?|and\s+after\s+that)\W*$",
    re.I,
)
MORE = re.compile(
    r"^\W*(?:and\s+)?(?:tell\s+me\s+more|more|say\s+more|what\s+else|anything\s+else|"
    r"anything\s+more|something\s+else|what\s+more|any(?:thing)?\s+other|more\s+please|"
    r"(?:is\s+there|was\s+there)\s+(?:anything\s+)?(?:more|else))"
    r"(?:\s+(?:from|about|by|on)\s+(?P<who>.+?))?"
    r"(?:\s+(?:did|does|do|has|had|was|is)\s+(?P<who2>\S+(?:\s+\S+)?)\s+"
    r"(?:say|said|mention|add|tell\s+us|talk\s+about|have\s+to\s+say))?\W*$",
    re.I,
)
# "else" anywhere; "other", "more" ... only right after the question word ("What other plans
# did he mention?"), not as a plain adjective ("Which institutions will get more support?").
ELSE = re.compile(
    r"\belse\b|(?<=^what\s)(?:other|more|further|additional)\b"
    r"|(?<=^which\s)(?:other|further|additional)\b|\b(?<=any\s)(?:other|more|further)\b",
    re.I,
)
NEXT = re.compile(r"\b(?:next|afterwards|after\s+that|then)\W*$", re.I)
ELLIPSIS = (
    re.compile(r"^\W*(?:and\s+|but\s+)?(?:what|how)\s+(?:about|of)\s+(?P<x>.+?)\W*$", re.I),
    re.compile(
        r"^\W*(?:and\s+)?(?:the\s+)?same\s+(?:question\s+|thing\s+|goes\s+)?"
        r"(?:for|about|with)\s+(?P<x>.+?)\W*$",
        re.I,
    ),
    re.compile(r"^\W*(?:and\s+(?:for|about|what\s+of)|as\s+for|and|also)\s+(?P<x>.+?)\W*$", re.I),
    re.compile(r"^\W*(?:and\s+)?(?P<x>.+?)\s*,?\s+(?:too|as\s+well|also)\W*$", re.I),
)
QUESTION_START = re.compile(
    r"^(?:who|whom|whose|what|what's|which|when|where|why|how|is|are|was|were|do|does|did|"
    r"can|could|will|would|should|has|have|had|tell|explain|describe|give|list|name)\b",
    re.I,
)
WHO_QUESTION = re.compile(r"^\W*(?:who|whom|whose)\b", re.I)
WHO_IS = re.compile(r"^\W*who(?:'s|\s+is|\s+was|\s+are|\s+were)\s", re.I)
WHO_SAID_THAT = re.compile(
    r"^\W*(?:and\s+)?(?:(?:who(?:'s|\s+is|\s+was)?|whom)\s+(?:\w+\s+)?"
    r"(?:that|this|it|so|those|these)(?:\s+(?:quote|statement|remark|line|comment|words?|"
    r"view|idea|plan))?|says\s+who|according\s+to\s+whom|who\s+by|by\s+whom|"
    r"whose\s+(?:words|quote|view|opinion|idea)\s+(?:is|are|was|were)\s+(?:that|this|these))"
    r"\W*$",
    re.I,
)
#: Position of an item a follow-up points to ("the second one"); -1 is the last.
ORDINALS = {
    **{word: n for n, word in enumerate(lexicon.ORDINAL_WORDS, start=1)},
    **{digits: n for n, digits in enumerate(DIGIT_ORDINALS, start=1)},
    "last": -1, "final": -1, "latter": -1, "former": 1,
}
#: The keys of :data:`ORDINALS` as a regex alternation, longest first.
ORDINAL_PATTERN = "|".join(sorted(ORDINALS, key=len, reverse=True))
ORDINAL_REF = re.compile(
    rf"\b(?:the|that|this)\s+(?P<ord>{ORDINAL_PATTERN})(?:\s+(?P<noun>one|ones|point|points|"
    r"item|items|thing|things|part|step|priority|priorities|measure|task|goal|aspect|area|"
    r"pillar|plan|idea|element|option|reason|factor|[a-z]+(?=\s*(?:\?|$|was|is|were|are|"
    r"about|mean|involve|say|of\b))))?",
    re.I,
)
_ITEM_START = re.compile(rf"^\W*(?:the\s+)?(?P<ord>{ORDINAL_PATTERN})\b(?:\s+(?P<noun>[a-z]+))?",
                         re.I)
BARE_WH = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?(?P<wh>why(?:\s+not)?|how(?:\s+so|\s+come|\s+exactly)?|when|"
    r"where|which(?:\s+ones?)?|what\s+for|like\s+what|such\s+as|for\s+example|for\s+instance|"
    r"in\s+what\s+way|meaning|what\s+do\s+you\s+mean|what\s+does\s+(?:that|this|it)\s+mean|"
    r"what\s+(?:are|were|is|was)\s+(?:they|those|these|that|this|it)|"
    r"what(?:'s|\s+is|\s+was)\s+the\s+(?:point|purpose|goal|aim|reason|idea|rationale)"
    r"(?:\s+(?:of|behind)\s+(?:all\s+)?(?:that|this|it|them|those|these))?|"
    r"(?:can|could)\s+you\s+(?:explain|elaborate)(?:\s+(?:on\s+)?(?:that|this|it))?|explain|"
    r"elaborate|name\s+them|list\s+them|around\s+what|about\s+what|on\s+what|to\s+what|"
    r"in\s+which\s+\w+|of\s+what|for\s+what|with\s+what|by\s+how\s+much)\b(?P<rest>.*?)\W*$",
    re.I,
)
# Words a bare follow-up may add without naming a new topic: "Why is that?", "How will
# they do it?", "Why does he think so?".
_LIGHT = frozenset(
    """a an the is are was were be been do does did will would should could can has have had
    he she it they them him her his their its that this these those so there then think
    thinks believe believes say says said mean means matter matters important do doing done
    happen happens happened work works exactly really just about want wants need needs
    achieve achieved plan plans go going that's it's all""".split()
)
LIGHT_STEMS = frozenset(content_tokens(" ".join(_LIGHT)))
PERSON_PRONOUN = re.compile(
    r"\b(?P<p>he|she|him|his|hers|himself|herself|her)\b(?P<after>\s+(?P<next>[\w'\u2019]+))?",
    re.I,
)
GENERIC_ROLES = frozenset(
    "official officials man woman person guy gentleman lady speaker interviewee".split()
)
ROLE_REF = re.compile(
    r"\b(?P<det>this|that|the|said)\s+(?:same\s+)?(?:(?P<mod>[a-z-]+)\s+)?(?P<noun>[a-z-]+)\b",
    re.I,
)
DEMONSTRATIVE = re.compile(r"\b(?P<det>this|that|these|those)\s+(?P<noun>[a-z][a-z-]+)\b", re.I)
# A word standing for something said before: "react to that", "belong to it", "their names",
# "what did he see there" (not "is there", "there are").
ANAPHOR = re.compile(
    r"\b(?:it|its|they|them|their|theirs)\b"
    r"|(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bwere\s)\bthere\b"
    r"(?!\s+(?:is|are|was|were|will|has|have|had)\b)"
    r"|\b(?:that|this|those|these)\b(?=\s*(?:[?.!,;]|$|(?:mean|means|is|was|are|were|for|about"
    r"|again|exactly|view|one|ones)\b))",
    re.I,
)
_INTERROGATIVE = re.compile(
    r"^(?:\W*(?:(?:who's|whose|whom|who|what's|whats|what|which|when|where|why|how)(?:\s+(?:big|many|much|"
    r"long|old|far|tall|large|often|kind\s+of|sort\s+of|type\s+of|exactly))?|is|are|was|were|"
    r"do|does|did|has|have|had|can|could|will|would|should)\b\s*){1,2}",
    re.I,
)
_SAID_ABOUT = re.compile(
    r"\b(?:say|says|said|think|thinks|mention|mentions|mentioned|write|writes|wrote|report|"
    r"reports|reported)\s+(?:about|on|regarding|concerning)\s+(?P<topic>\S.*)$",
    re.I,
)
QUOTE_REF = re.compile(
    r"\b(?:that|this|the\s+same|the\s+last|that\s+last|this\s+last)\s+(?:quote|statement|"
    r"remark|passage|paragraph|answer)\b",
    re.I,
)
_PHRASE_END = re.compile(r"[,.;:!?\"\u201c\u201d()]")
_MAX_NEIGHBOURS = 1
#: A question with this many words of its own names its topic, whatever "it" it contains.
_SELF_CONTAINED_WORDS = 4


# --------------------------------------------------------------------------- text


def switch(question: str) -> str | None:
    """The question after a topic-switch marker ("New question: ..."), else None."""
    marker = _SWITCH.match(question)
    if marker is None or marker.end() == 0:
        return None
    return question[marker.end() :].strip() or None


def normalise(question: str) -> str:
    """The question without leading fillers ("ok, thanks. ...") and chat spellings."""
    filler = _FILLER.match(question)
    core = question[filler.end() :] if filler else question
    core = expand_chat_spellings(core)
    return core.strip() or question


def as_question(text: str) -> str:
    """``text`` capitalised with one question mark, without a leading "and"/"so"."""
    text = text.strip().rstrip("?.!;, ")
    text = re.sub(r"^(?:and|but|so)\s+(?=\w)", "", text, flags=re.I)
    return (text[:1].upper() + text[1:] if text else text) + "?"


def with_context(question: str, previous: str, *, topic_only: bool = False) -> str:
    """A follow-up that needs the previous question to make sense, kept readable:
    "Why?" after "What did Luo Dajin say?" reads "Why (What did Luo Dajin say)?".

    ``topic_only`` keeps only what the previous question was about ("the science city" of
    "How big is the science city?"), so its kind of answer (a size) is not asked again.
    """
    inner = re.search(r"\(([^()]*)\)", previous)
    previous = re.sub(r"\s*\([^()]*\)\s*", " ", previous).strip().rstrip("?.! ")
    if inner and ANAPHOR.search(previous):
        previous = inner.group(1)  # what the previous question's "it" or "they" stood for
    elif topic_only:
        previous = _INTERROGATIVE.sub("", previous) or previous
        # "(the petition)", not "(Marta Ruiz say about the petition)": only the topic.
        spoken_about = _SAID_ABOUT.search(previous)
        if spoken_about:
            previous = spoken_about.group("topic")
    return f"{as_question(question)[:-1]} ({previous})?"


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of :func:`qa.text.tokens.words` tokens (same tokenisation)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a case mapping changed the length: positions would drift
        lowered = text
    return [m.span() for m in TOKEN.finditer(lowered)]


def internal_reference(text: str, pronoun: re.Match[str]) -> bool:
    """Whether an "it"/"they" can refer to a noun earlier in the same question, which is
    then self-contained: "Where do the gates sit when they are open?"."""
    word = pronoun.group().lower()
    if word not in ("it", "its", "they", "them", "their", "theirs", "there"):
        return False  # "that", "this": things said before
    if has_content(text, _SELF_CONTAINED_WORDS):
        # "How much will it cost each year to maintain the barrier?" says what it is about.
        return True
    if word == "there":
        return False
    before = [w for w in TOKEN.findall(text[: pronoun.start()]) if has_content(w)]
    if not before or not has_content(text, 3):
        return False
    plural = [
        w for w in before
        if re.search(r"(?:[^s]s|men|people|children|police|staff)$", w.lower())
    ]
    return bool(plural) if word in ("they", "them", "their", "theirs") else True


def relative_that(text: str, match: re.Match[str]) -> bool:
    """Whether "that" at ``match`` follows a noun ("the review that led to ..."), so it
    introduces a clause instead of pointing back."""
    before = TOKEN.findall(text[: match.start()])
    if not before:
        return False
    word = before[-1].lower()
    return word in SPEECH_WORDS or word in ("so", "such", "now") or (
        word not in _LIGHT and has_content(word)
    )


def has_content(text: str, minimum: int = 1) -> bool:
    """Whether ``text`` carries at least ``minimum`` words of its own (not "is that so")."""
    return len([w for w in content_tokens(text) if w not in LIGHT_STEMS]) >= minimum


# --------------------------------------------------------------------------- passages


def neighbours(passages: Sequence[Passage], top: int) -> tuple[int, ...]:
    """``top`` and the adjacent passages continuing the same voice, nearest first."""
    anchor = passages[top]
    found = [top]
    for step in range(1, _MAX_NEIGHBOURS + 1):
        for other in (top + step, top - step):
            if 0 <= other < len(passages):
                passage = passages[other]
                if passage.article == anchor.article and passage.speaker == anchor.speaker:
                    found.append(other)
    return tuple(found)


def _ordinal_of(passage: Passage) -> int | None:
    item = _ITEM_START.match(passage.text)
    return ORDINALS.get(item.group("ord").lower()) if item else None


def enumeration(passages: Sequence[Passage], top: int) -> tuple[list[int], str | None]:
    """The enumerated points ("The first priority ... The second was ...") around ``top``:
    their passage ids in order and the head noun ("priority"), or ``([], None)``."""
    article = passages[top].article
    start = None
    # The enumeration holding top, or one starting just after it ("What priorities...?"
    # answered by the sentence announcing them).
    for pid in [*range(top, max(-1, top - 12), -1), *range(top + 1, min(len(passages), top + 3))]:
        if passages[pid].article == article and _ordinal_of(passages[pid]) == 1:
            start = pid
            break
    if start is None:
        return [], None
    first = _ITEM_START.match(passages[start].text)
    noun = first.group("noun") if first else None
    items = [start]
    for pid in range(start + 1, min(len(passages), start + 12)):
        if passages[pid].article != article:
            break
        if _ordinal_of(passages[pid]) == len(items) + 1:
            items.append(pid)
    if len(items) < 2 or (items[-1] < top and top - items[-1] > 2):
        return [], None
    return items, noun


def next_passage(passages: Sequence[Passage], top: int) -> int | None:
    """What "go on" after ``top`` reads: the next enumerated point if ``top`` is one, else
    the next passage of the same article."""
    items, _ = enumeration(passages, top)
    if top in items and items.index(top) + 1 < len(items):
        return items[items.index(top) + 1]
    following = top + 1
    if following < len(passages) and passages[following].article == passages[top].article:
        return following
    return None


def noun_phrase(text: str, noun: str) -> str | None:
    """The phrase around the first use of ``noun`` in ``text``, for "that goal": "the goal
    of building a top-notch talent high ground"; None if ``text`` does not use it."""
    stems = content_tokens(noun)
    if not stems or noun.lower() in ROLE_NOUNS:
        return None
    for m in TOKEN.finditer(text):
        if content_tokens(m.group())[:1] != stems[:1]:
            continue
        # From the nearest determiner within three words: "the three leading industries".
        before = text[max(0, m.start() - 60) : m.start()]
        lead = re.search(r"\b(?:the|a|an|its|their|our)\s+(?:[\w-]+\s+){0,2}$", before, re.I)
        start = m.start() - (len(lead.group()) if lead else 0)
        tail = text[m.end() : m.end() + 80]
        stop = _PHRASE_END.search(tail)
        tail_words = (tail[: stop.start()] if stop else tail).split()
        tail = ""
        if tail_words and tail_words[0].lower() in ("of", "for", "to", "on", "in"):
            tail = " " + " ".join(tail_words[:7])
        phrase = " ".join((text[start : m.end()] + tail).split())
        if not phrase.lower().startswith(("the ", "a ", "an ")):
            phrase = "the " + phrase
        return phrase
    return None
