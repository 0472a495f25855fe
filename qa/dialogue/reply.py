"""Replies that say what a declined follow-up was understood to ask.

"Where did he study?" declined with "The article does not seem to answer this" leaves the
reader unsure whom the system thought "he" was; "The article does not say where Luo Dajin
studied" does not. Questions of the common shapes are turned into that indirect form; any
other keeps the resolved question in quotes.
"""

from __future__ import annotations

import re

from qa.answering.reply import MAX_REPLY_CHARS
from qa.core.types import Person

__all__ = ["decline_reply", "indirect_question"]

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
