"""The one-line reply that leads an answer: the short answer, who speaks, where, and the
sentence that answers; or why the question is declined."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answering.short_answer import reply_lead
from qa.core.types import RankedPassage, Span
from qa.ranking.question import asks_who_said
from qa.ranking.speakers import SPEECH_WORDS, SpeakerMatch
from qa.text.sentences import fold_whitespace

__all__ = ["MAX_REPLY_CHARS", "clip", "compose_reply"]

_WHO_IS = re.compile(r"^\W*who(?:'s|\s+(?:is|was|are|were))\b", re.I)
#: Longest reply line; longer ones are cut with an ellipsis.
MAX_REPLY_CHARS = 280
_KINDS = {"direct": "direct quote", "indirect": "reported speech"}


def compose_reply(
    question: str,
    ranked: Sequence[RankedPassage],
    answered: bool,
    speakers: Sequence[SpeakerMatch],
    *,
    missing_focus: str | None = None,
    short: Span | None = None,
    several_articles: bool = False,
) -> str:
    """The reply to ``question`` (as searched) given its ranked passages."""
    if not ranked:
        return "The article has no passages to search."
    if not answered:
        return clip(_declined(question, ranked[0], missing_focus))
    top = ranked[0]
    where = f"paragraph {top.paragraph}" + (f" of {top.article}" if several_articles else "")
    who_is = _who_is(question, speakers, where)
    if who_is is not None:
        return clip(_capitalised(who_is))
    kind = _KINDS.get(top.kind, "narration")
    if asks_who_said(question, SPEECH_WORDS) and top.speaker is not None:
        # A "who said" question whose best passage quotes nobody is declined (see
        # DeclinePolicy's "who_said" rule), never answered "the article itself".
        return clip(_capitalised(f"{top.speaker.label()} ({kind}, {where})."))
    return clip(_capitalised(_answered(question, top, kind, where, short)))


def _declined(question: str, top: RankedPassage, missing_focus: str | None) -> str:
    because = f' (it never mentions "{missing_focus}")' if missing_focus else ""
    if not because and asks_who_said(question) and top.speaker is None:
        because = " (nobody in it is quoted saying so)"
    return (
        f"The article does not seem to answer this{because}; "
        "the closest passages are shown in case they help."
    )


def _who_is(question: str, speakers: Sequence[SpeakerMatch], where: str) -> str | None:
    """ "Who is X?" answered by the person's name and title, when the article gives them."""
    if not _WHO_IS.match(question) or not speakers:
        return None
    person = speakers[0].person
    if speakers[0].how == "title":
        return f"{person.speaker.label()} ({where})."
    if person.title:
        return f"{person.name} is {person.title} ({where})."
    return None


def _answered(
    question: str, top: RankedPassage, kind: str, where: str, short: Span | None
) -> str:
    sentence = fold_whitespace(top.highlight.text)
    # The speaker's name opens the reply anyway: "Xu. Xu Feng (...)" would say it twice.
    named = short is not None and top.speaker is not None and short.text in top.speaker.name
    lead = f"{reply_lead(question, short)} " if short is not None and not named else ""
    if top.speaker is None:
        return f"{lead}Narration ({where}): {sentence}"
    return f"{lead}{_capitalised(top.speaker.name)} ({kind}, {where}): {sentence}"


def _capitalised(reply: str) -> str:
    """The reply opening with a capital: a speaker the article names in lower case ("the
    port authority") still starts a sentence."""
    return reply[:1].upper() + reply[1:]


def clip(text: str, limit: int = MAX_REPLY_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters with an ellipsis, at a word boundary:
    "for the devel…" reads as a fault, "for the…" as a shortened line."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut[-1:].isalnum() and text[limit - 1].isalnum():  # the cut falls inside a word
        head, space, _ = cut.rpartition(" ")
        # A line without a space in its second half is one long token (an address): cut it.
        if space and len(head) > limit // 2:
            cut = head
    return cut.rstrip(" ,;:-\u2013\u2014(\u201c\"'") + "\u2026"
