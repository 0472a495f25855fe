"""Stage 3c: indirect (reported) speech outside quotes.

``X said (that) ...`` is reported speech up to the sentence end, or up to a coordinated clause
with its own speaker (``..., and Y told reporters that ...``); ``..., said the mayor, Jane
Doe.`` puts the speaker after the cue; ``according to X, ...`` before or after the content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from qa.core.types import Article, Span
from qa.text.lexicon import CUE_VERBS, DETERMINERS, PARTICIPLES, TITLE_WORDS, WEAK_CUES
from qa.text.sentences import split_sentences

from .quotes import Layout
from .registry import Registry
from .sources import Source, cues_in, object_after, skip_space, subject_of, trailing_subject

__all__ = ["Reported", "reported_speech"]

_REPORTING = CUE_VERBS - WEAK_CUES
# A coordinated clause that may bring its own speaker: "A said X, and B told reporters Y".
_COORDINATION = re.compile(r"[,;][ \t\u00a0]+(?:and|but|while|whereas)[ \t\u00a0]+|;[ \t\u00a0]+")
_MAX_INVERTED_WORDS = 20  # "said Jane Doe, a spokeswoman for ...": a name and its title


@dataclass(frozen=True, slots=True)
class Reported:
    """Reported speech ``text[start:end]`` in paragraph ``paragraph`` and who reports it."""

    paragraph: int
    start: int
    end: int
    source: Source


def reported_speech(
    article: Article, quotes: Layout, registry: Registry, used_cues: frozenset[int]
) -> tuple[Reported, ...]:
    """Every reported-speech clause of the article outside quotes whose cue no direct quote
    has used already."""
    text, inside = article.text, quotes.inside
    found: list[Reported] = []
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        if quotes.headline and number == 1:
            continue
        for s_start, s_end in split_sentences(text, p_start, p_end):
            if all(inside[i] for i in range(s_start, s_end) if not text[i].isspace()):
                continue
            for c_start, c_end in _speech_clauses(text, s_start, s_end, registry, inside):
                item = _clause_speech(text, c_start, c_end, registry, inside, used_cues)
                if item is not None and not _mostly_quoted(inside, item[0], item[1]):
                    found.append(Reported(number, *item))
    return tuple(found)


def _clause_speech(
    text: str, s_start: int, s_end: int, registry: Registry, inside: bytes,
    used_cues: frozenset[int],
) -> tuple[int, int, Source] | None:
    """``X said (that) ...`` and ``..., X said.`` and ``according to X, ...`` in one clause."""
    for cue in cues_in(text, s_start, s_end, _REPORTING):
        if inside[cue.start] or cue.start in used_cues:
            continue
        source = subject_of(text, s_start, cue, registry, inside)
        if source is None:
            source = _inverted_subject(text, s_start, s_end, cue, registry)
        if source is None:
            continue
        tail = text[source.mention.end : s_end].strip(" .,;")
        after_cue = text[cue.end : s_end].strip(" .,;")
        if source.mention.start > cue.start:  # "according to X, ..." or "..., according to X."
            before = text[s_start : cue.start].rstrip(" ,")
            if before:
                return s_start, s_start + len(before), source
            comma = text.find(",", source.mention.end, s_end)
            if comma < 0:
                continue
            return skip_space(text, comma + 1, s_end), s_end, source
        if not after_cue or (len(after_cue.split()) <= 3 and not tail):
            # "..., X said." -> the content is what precedes the subject.
            content_end = text.rfind(",", s_start, source.mention.start)
            if content_end > s_start:
                return s_start, content_end, source
            continue
        start = cue.end
        # "told MSNBC's "Morning Joe" that ...": the addressee is not part of what was said.
        addressee = re.match(r"(?:\s+\S+){1,8}?\s+(?=that\b)", text[start:s_end])
        if addressee is not None and cue.text in {"told", "tells", "assured", "warned"}:
            start += addressee.end()
        that = re.match(r"\s*(?:that\b|,)?\s*", text[start:s_end])
        start += that.end() if that else 0
        return start, s_end, source
    return None


def _speech_clauses(
    text: str, s_start: int, s_end: int, registry: Registry, inside: bytes
) -> Iterator[tuple[int, int]]:
    """The sentence cut before every coordinated clause that opens with its own speaker and
    cue, so that each speaker keeps only what follows their own cue."""
    start = s_start
    for joint in _COORDINATION.finditer(text, s_start, s_end):
        if inside[joint.start()] or not _opens_with_speaker(
            text, joint.end(), s_end, registry, inside
        ):
            continue
        yield start, joint.start()
        start = joint.end()
    yield start, s_end


def _opens_with_speaker(
    text: str, start: int, end: int, registry: Registry, inside: bytes
) -> bool:
    """``Bob Stone told reporters ...``: the clause's subject, right at its start, speaks."""
    for cue in cues_in(text, start, min(end, start + 120), _REPORTING):
        if inside[cue.start]:
            return False
        source = trailing_subject(text, start, cue.start, registry)
        if source is None:
            return False
        lead = text[start : source.mention.start].split()
        return all(w.lower() in DETERMINERS or w.lower() in TITLE_WORDS for w in lead)
    return False


def _inverted_subject(
    text: str, s_start: int, s_end: int, cue: Span, registry: Registry
) -> Source | None:
    """``..., said the mayor, Lina Haddad.``: the speaker follows the cue at a sentence end."""
    if cue.text in PARTICIPLES or not text[s_start : cue.start].rstrip().endswith(","):
        return None
    if len(text[cue.end : s_end].split()) > _MAX_INVERTED_WORDS:
        return None
    found = object_after(text, cue.end, s_end, registry)
    # Only a name and its apposition may follow: "..., said he cannot come" is a new clause.
    if found is None or not re.match(r"\s*(?:[,.;!?]|$)", text[found.mention.end : s_end]):
        return None
    return found.with_cue(cue)


def _mostly_quoted(inside: bytes, start: int, end: int) -> bool:
    return end <= start or sum(inside[start:end]) * 2 > end - start
