"""Replies that say what a follow-up was understood to ask, when retrieval cannot.

"Where did he study?" declined with "The article does not seem to answer this" leaves the
reader unsure whom the system thought "he" was; "The article does not say where Luo Dajin
studied" does not. Questions of the common shapes are turned into that indirect form; any
other keeps the resolved question in quotes.

"What else did she say?" when everything she says was shown already has a true answer that
retrieval cannot give, "nothing more": :func:`nothing_more` says so, with her passages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from qa.answering.reply import MAX_REPLY_CHARS
from qa.core.types import Passage, Person, RankedPassage, Span
from qa.dialogue import patterns as L
from qa.ranking.speakers import SPEECH_WORDS

__all__ = ["decline_reply", "indirect_question", "nothing_more"]

_SHAPE = re.compile(
    r"^(?P<wh>(?:what|which|how\s+many|how\s+much)(?:\s+[a-z-]+)?|"
    r"how\s+(?:old|long|far|big|tall|often|large|soon)|who|whom|where|when|why|how)"
    r"\s+(?P<aux>did|does|do|was|were|is|are|has|have|had|will|would|can|could|should)"
    r"\s+(?P<rest>.+?)\s*\?*$",
    re.I,
)
_IRREGULAR_PAST = {
    "say": "said", "tell": "told", "go": "went", "get": "got", "grow": "grew", "make": "made",
    "meet": "met", "see": "saw", "take": "took", "give": "gave", "come": "came", "do": "did",
    "have": "had", "think": "thought", "speak": "spoke", "write": "wrote", "begin": "began",
    "become": "became", "leave": "left", "find": "found", "know": "knew", "hold": "held",
    "lead": "led", "win": "won", "build": "built", "send": "sent", "spend": "spent",
    "teach": "taught", "bring": "brought", "buy": "bought", "run": "ran", "be": "was",
}  # fmt: skip
_MODALS = frozenset("will would can could should".split())


def _past(verb: str) -> str:
    lowered = verb.lower()
    if lowered in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lowered]
    if lowered.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", lowered):
        return verb[:-1] + "ied"
    return verb + "ed"


def _present(verb: str) -> str:
    lowered = verb.lower()
    if lowered == "have":
        return "has"
    if re.search(r"(?:s|sh|ch|x|z|o)$", lowered):
        return verb + "es"
    if re.search(r"[^aeiou]y$", lowered):
        return verb[:-1] + "ies"
    return verb + "s"


def indirect_question(question: str, subject: Person | None) -> str | None:
    """ "where Luo Dajin studied" for "Where did Luo Dajin study?", when the question has
    the shape wh-word, auxiliary, the subject's name, verb; None otherwise."""
    shape = _SHAPE.match(question.strip())
    if shape is None or subject is None:
        return None
    rest = shape.group("rest")
    if not rest.lower().startswith(subject.name.lower()):
        return None
    name, after = rest[: len(subject.name)], rest[len(subject.name) :].strip()
    wh, aux = shape.group("wh").lower(), shape.group("aux").lower()
    if aux in ("did", "does", "do"):
        if not after:
            return None
        verb, _, tail = after.partition(" ")
        verb = _past(verb) if aux == "did" else _present(verb) if aux == "does" else verb
        clause = f"{name} {verb} {tail}".strip()
    else:
        clause = f"{name} {aux} {after}".strip()
    return f"{wh} {clause}"


def decline_reply(resolved_question: str, subject: Person | None, fallback: str) -> str:
    """The reply for a declined follow-up, naming what it was understood to ask."""
    indirect = indirect_question(resolved_question, subject)
    if indirect is not None:
        text = (
            f"The article does not say {indirect}; "
            "the closest passages are shown in case they help."
        )
    else:
        quoted = resolved_question.strip()
        text = (
            f'The article does not seem to answer "{quoted}"; '
            "the closest passages are shown in case they help."
        )
    if len(text) > MAX_REPLY_CHARS:
        return fallback
    return text


_WORDS = re.compile(r"[a-z]+")


def _asks_for_more_speech(question: str) -> bool:
    """ "What else did she say?", "Anything more from her?", "What other things did he
    mention?": more of someone's words (not "go on", which reads on whoever speaks next)."""
    if L.MORE.match(question):
        return True
    if not (L.ELSE.search(question) and L.QUESTION_START.match(question)):
        return False
    words = set(_WORDS.findall(question.lower()))
    return bool(words & (SPEECH_WORDS | {"say", "said", "tell", "told", "quote", "quoted"}))


def nothing_more(
    question: str,
    subject: Person | None,
    passages: Sequence[Passage],
    shown: Collection[int],
) -> tuple[str, tuple[RankedPassage, ...]] | None:
    """The reply to a request for more of ``subject``'s words (``question``, as asked) when
    every passage where they speak is among the ``shown`` passage ids, with those passages;
    None when there is more to show, or the question asks for something else."""
    if subject is None or not _asks_for_more_speech(question):
        return None
    theirs = [p for p in passages if p.speaker is not None and p.speaker.name == subject.name]
    if not theirs or any(p.id not in shown for p in theirs):
        return None
    if len(theirs) == 1:
        reply = f"The article quotes {subject.name} only once; that passage is shown above."
    else:
        reply = (
            f"The article quotes {subject.name} in {len(theirs)} passages, all shown above; "
            "there is nothing more."
        )
    ranked = tuple(
        RankedPassage(rank, 1.0, p, Span(p.start, p.end, p.text))
        for rank, p in enumerate(theirs, start=1)
    )
    return reply, ranked
