"""Stage 3b: the cue and source of each direct quote.

A quote is attributed by a speech cue next to it: ``"...," X said``, ``"...," said X,
title``, ``X, title, said, "..."``, ``according to X``, or a signature line after it
(``"..." ― Jane Doe``). A multi-paragraph quote belongs to whoever is named at its end.
Where no listed verb stands next to the quote, the shape of the sentence still tells:

* the slot right after a quote in reporting position is a reporting slot whatever the verb:
  ``"...," X gushed``, ``"...?" X groaned``;
* a capitalised cue opening a sentence or in a Title Case line: ``Said X: "..."``;
* a label or colon frame opened by its source: ``X's reply: "..."``, ``X, Outlet: "..."``;
* a fragment built into a sentence (:func:`embedded_sources`, asked after reported speech):
  ``X likened the rules to "..."``, ``X called them "..."``, ``X attacked "..."``;
* a quote right after a sentence that opens with a person's name: ``X was blunt. "..."``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.core.types import Article, Span
from qa.text.lexicon import CUE_VERBS, EMBEDDING_VERBS, PARTICIPLES, words
from qa.text.sentences import split_sentences

from .quotes import Layout, Segment
from .registry import Registry
from .reported import Reported
from .sources import (
    Source,
    cues_in,
    frame_subject,
    leading_subject,
    object_after,
    sentence_subject,
    subject_of,
    trailing_subject,
)
from .stops import abbreviation_stop, clause_end

__all__ = ["direct_sources", "embedded_sources"]

_CUE_NEXT_TO_QUOTE = CUE_VERBS | PARTICIPLES | words("notes writes adds reads")
_MAX_SUBJECT_WORDS = 30
_MAX_FRAME_WORDS = 40
_MAX_EMBEDDING_GAP = 6  # words between "likened the rules to" and the quote
# The slot after a quote in reporting position: ``"...," X gushed``. The subject (a name, a
# pronoun or a short described phrase) comes first, an adverb may follow, then a word that
# looks like a verb in the past or present tense, whatever the verb.
_OPEN_SLOT = re.compile(
    r"[ \t\u00a0]*(?:,|\u2014|--)?[ \t\u00a0]*"
    r"(?P<subject>[^\s,.;:!?\u201c\u201d\"]+(?:[ \t\u00a0]+[^\s,.;:!?\u201c\u201d\"]+){0,4}?)"
    r"(?:[ \t\u00a0]+[a-z]+ly)?[ \t\u00a0]+(?P<verb>[a-z]{3,}(?:ed|es|s))(?=[\s.,;:!?]|$)"
)
# A name, a bracketed party and an apposition between commas, up to the verb of the slot.
_APPOSED = re.compile(
    r"[ \t\u00a0]*,?[ \t\u00a0]*(?P<name>(?:[A-Z][\w.'\u2019\-]*[ \t\u00a0]+){0,3}[A-Z][\w.\-]*)"
    r"(?:[ \t\u00a0]*\([^()]{1,40}\))?,[^,;:\u201c\u201d\"]{1,80},(?:[ \t\u00a0]+[a-z]+ly)?"
    r"[ \t\u00a0]+$"
)
# A signature inside the closing mark: a sentence, a dash, a capitalised name (and a title).
_INNER_SIGNATURE = re.compile(
    r"[.!?][\s\u00a0]*[\u2014\u2015\u2013][\s\u00a0]*"
    r"(?P<who>(?:[A-Z][\w.'\u2019\-]*[ \t\u00a0]+){0,4}[A-Z][\w.'\u2019\-]*)"
    r"(?:,[^\"\u201c\u201d]{1,60})?[.\s\u00a0]*[\"\u201d]$"
)
_NOT_VERBS = words("was has is does his this its thus us yes plus bus less unless across always")


def direct_sources(article: Article, quotes: Layout, registry: Registry
                   ) -> tuple[Source | None, ...]:
    """The source of every quote chain of ``quotes.chains`` (None where no cue names one)."""
    return tuple(
        None if quotes.headline and chain[0].paragraph == 1
        else _attribute_chain(article, chain, registry, quotes.inside)
        for chain in quotes.chains
    )


def _attribute_chain(
    article: Article, chain: tuple[Segment, ...], registry: Registry, inside: bytes
) -> Source | None:
    """Attribution of a multi-paragraph quote is found after its last segment or before its
    first; each segment's own surroundings are tried in between (split quotes)."""
    text = article.text
    for segment in reversed(chain):
        p_start, p_end = article.paragraphs[segment.paragraph - 1]
        limit = p_end
        for other in chain:
            if other.start > segment.start and other.paragraph == segment.paragraph:
                limit = min(limit, other.start)
        found = _after_quote(text, segment, limit, registry, inside)
        if found is None:
            found = _before_quote(text, segment, p_start, registry, inside)
        if found is not None:
            return found
    found = _introduced_by_colon(article, chain[0], registry, inside)
    if found is None:
        p_start = article.paragraphs[chain[0].paragraph - 1][0]
        found = _framed(text, chain[0], p_start, registry, inside)
    return found


def _after_quote(
    text: str, segment: Segment, limit: int, registry: Registry, inside: bytes
) -> Source | None:
    """``"...," X said`` / ``"...," said X, title`` / ``"...," X, title, said``."""
    stop = min(limit, clause_end(text, segment.end) + 1)
    window = text[segment.end : stop]
    signed = re.match(r"[\s\u00a0]*[\u2014\u2015\u2013][\s\u00a0]*", text[segment.end : limit])
    if signed:  # "..." ― Jane Doe (a signature line)
        found = object_after(text, segment.end + signed.end(), limit, registry)
        return found.with_cue(None) if found else None
    inner = _INNER_SIGNATURE.search(text, segment.start, segment.end)
    if inner is not None:  # a pull quote signed inside its marks: "... ― Jane Doe"
        found = object_after(text, inner.start("who"), inner.end("who"), registry)
        return found.with_cue(None) if found else None
    if not re.match(r"\s*[,\u2014\-]?\s*\S", window) or re.match(r"\s*[.!?]", window):
        return None
    cue_window = min(stop, segment.end + 160)
    for cue in cues_in(text, segment.end, cue_window, _CUE_NEXT_TO_QUOTE):
        before = text[segment.end : cue.start]
        if before.strip(" ,\t\u2014-") == "":
            found = object_after(text, cue.end, stop, registry)
        else:
            if len(before.split()) > _MAX_SUBJECT_WORDS and not re.match(r"\s*[A-Z]", before):
                return None
            found = trailing_subject(text, segment.end, cue.start, registry)
            if found is None and before.rstrip().endswith(","):
                found = leading_subject(text, segment.end, cue.start, registry, inside)
        if found is not None:
            return found.with_cue(cue)
    return _open_slot(text, segment, stop, registry)


def _open_slot(text: str, segment: Segment, stop: int, registry: Registry) -> Source | None:
    """``"...," X gushed``: right after a quote that ends in a comma, a question or an
    exclamation, a subject followed by a verb is the attribution, whatever the verb."""
    inner_end = text[segment.start : segment.end - 1].rstrip()
    reporting = inner_end.endswith((",", "?", "!")) or text.startswith(",", segment.end)
    slot = _OPEN_SLOT.match(text, segment.end, stop)
    if slot is None or not reporting:
        return None
    verb = slot.group("verb")
    if not _looks_like_verb(verb):
        return None
    cue_start = slot.start("verb")
    found = trailing_subject(text, segment.end, _adverb_start(text, segment.end, cue_start),
                             registry)
    if found is None:
        found = _apposed_subject(text, segment.end, cue_start, registry)
    if found is None or text[segment.end : found.mention.start].strip(" ,\t\u00a0\u2014-"):
        return None
    return found.with_cue(Span(cue_start, slot.end("verb"), verb))


def _looks_like_verb(word: str) -> bool:
    return word not in _NOT_VERBS and not word.endswith(("ss", "us", "is"))


def _apposed_subject(text: str, lo: int, cue_start: int, registry: Registry) -> Source | None:
    """``"...," Ann Lee, a farmer, grumbled``: a name and its apposition fill the slot."""
    apposed = _APPOSED.match(text, lo, cue_start)
    if apposed is None:
        return None
    return trailing_subject(text, lo, apposed.end("name"), registry)


def _adverb_start(text: str, lo: int, cue_start: int) -> int:
    adverb = re.search(r"[ \t\u00a0]+[a-z]+ly[ \t\u00a0]+$", text[lo:cue_start])
    return lo + adverb.start() if adverb else cue_start


def _before_quote(
    text: str, segment: Segment, p_start: int, registry: Registry, inside: bytes
) -> Source | None:
    """``X said, "..."`` / ``X, title, ... said: "..."`` / ``According to X, "..."``."""
    lo = _frame_start(text, segment, p_start, inside)
    frame = text[lo : segment.start].rstrip()
    cues = list(cues_in(text, lo, segment.start, _CUE_NEXT_TO_QUOTE))
    if frame and not cues:
        return _capitalised_cue(text, lo, segment.start, registry)
    if not frame or not cues:
        return None
    tail = text[cues[-1].end : segment.start]
    if frame[-1] not in ",:" and not (tail.strip() == "" or len(tail.split()) <= 3):
        return None
    for cue in reversed(cues):
        found = subject_of(text, lo, cue, registry, inside)
        if found is not None:
            return found
    return None


def _capitalised_cue(text: str, lo: int, hi: int, registry: Registry) -> Source | None:
    """``Said X: "..."`` opening a sentence, or ``X Joked: "..."`` in a Title Case line: a
    cue is capitalised when it opens the sentence or the line capitalises every word."""
    frame = text[lo:hi].rstrip()
    if not frame.endswith((":", ",")):
        return None
    for match in re.finditer(r"[A-Z][a-z]+", frame):
        word = match.group().lower()
        title_verb = (  # "Mayor Ann Lee Jokes:": the verb of a Title Case line before its colon
            match.end() == len(frame) - 1 and frame.endswith(":")
            and re.fullmatch(r"[a-z]{3,}(?:ed|es|s)", word) is not None and _looks_like_verb(word)
        )
        if word not in _CUE_NEXT_TO_QUOTE and not title_verb:
            continue
        cue = Span(lo + match.start(), lo + match.end(), match.group())
        if match.start() == 0:
            found = object_after(text, cue.end, hi, registry)
        else:
            found = trailing_subject(text, lo, cue.start, registry)
        return found.with_cue(cue) if found is not None else None
    return None


def _frame_start(text: str, segment: Segment, p_start: int, inside: bytes) -> int:
    """Start of the sentence before ``segment``, after any earlier quote of its paragraph."""
    lo = p_start
    for prev in range(segment.start - 1, p_start - 1, -1):
        if inside[prev]:
            lo = prev + 1
            break
    sentences = split_sentences(text, lo, segment.start)
    return sentences[-1][0] if sentences else lo


def _framed(
    text: str, segment: Segment, p_start: int, registry: Registry, inside: bytes
) -> Source | None:
    """A quote without a speech verb after a colon that closes a frame opened by its source:
    ``X's reply: "..."``, ``X, Outlet: "..."``, ``X swiped at Y in posts: "..."``."""
    lo = _frame_start(text, segment, p_start, inside)
    frame = text[lo : segment.start].rstrip()
    if not frame.endswith(":"):
        return None
    return frame_subject(text, lo, lo + len(frame) - 1, registry, inside)


def embedded_sources(
    article: Article,
    marks: Layout,
    registry: Registry,
    reported: Sequence[Reported],
    sources: Sequence[Source | None],
) -> tuple[Source | None, ...]:
    """``sources`` (one per chain of ``marks``) with the quotes no cue attributed given the
    subject of the verb they are built into, or the person whose sentence introduces them.
    Asked only of one-segment quotes that no reported speech holds: reported speech gives its
    own speaker to the quotes inside it."""
    found: list[Source | None] = []
    for chain, source in zip(marks.chains, sources, strict=True):
        segment = chain[0]
        alone = len(chain) == 1 and not (marks.headline and segment.paragraph == 1)
        held = any(r.start <= segment.start and segment.end <= r.end for r in reported)
        if source is None and alone and not held:
            source = _embedded_source(article, segment, registry, marks.inside)
        if source is None and not (marks.headline and segment.paragraph == 1):
            source = _introduced_source(article, segment, registry, marks.inside)
        found.append(source)
    return tuple(found)


def _introduced_source(
    article: Article, segment: Segment, registry: Registry, inside: bytes
) -> Source | None:
    """``Councillor Tomas Reyes was blunt. "The numbers do not add up."``: a quote opening a
    sentence right after a whole sentence of its paragraph that opens with a person's name:
    that person speaks. (A pronoun opening it is left to continuation, which knows who spoke.)"""
    text = article.text
    p_start = article.paragraphs[segment.paragraph - 1][0]
    lo = _frame_start(text, segment, p_start, inside)
    frame = text[lo : segment.start].rstrip()
    if not frame.endswith((".", "!", "?")) or len(frame.split()) > _MAX_FRAME_WORDS:
        return None
    before = text[p_start:lo].rstrip()
    if before and not _ends_sentence(text, p_start, len(before) + p_start):
        return None  # the frame is the tail of a sentence ("said the Rev. X"), not a sentence
    return sentence_subject(text, lo, lo + len(frame), registry, inside)


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` ends with a full stop (not an abbreviation's) and any closing mark."""
    stop = re.search(r"[.!?][\u201d\u2019\"']?$", text[start:end])
    if stop is None:
        return False
    at = start + stop.start()
    return not abbreviation_stop(text, at)


def _embedded_source(
    article: Article, segment: Segment, registry: Registry, inside: bytes
) -> Source | None:
    """A short quote built into a sentence after a verb of naming, comparing or speaking:
    ``X likened the rules to "..."``, ``X called them "..."``: the verb's subject. (Never a
    cue reported speech needs: ``X said he would keep his "hold" rating`` is X's reported
    speech, and the quote inside it X's.)"""
    text = article.text
    p_start = article.paragraphs[segment.paragraph - 1][0]
    lo = _frame_start(text, segment, p_start, inside)
    frame = text[lo : segment.start].rstrip()
    if not frame or len(frame.split()) > _MAX_FRAME_WORDS:
        return None
    words = list(re.finditer(r"[A-Za-z][\w\-]*", frame))
    for index in range(len(words) - 1, max(-1, len(words) - 1 - _MAX_EMBEDDING_GAP), -1):
        word = words[index].group()
        if word in EMBEDDING_VERBS or word in CUE_VERBS:
            cue = Span(lo + words[index].start(), lo + words[index].end(), word)
            found = subject_of(text, lo, cue, registry, inside)
            if found is None and word in EMBEDDING_VERBS:
                # "Walkers marching along the wall chanted": the subject of the sentence.
                found = leading_subject(text, lo, cue.start, registry, inside)
            return found.with_cue(cue) if found is not None else None
    return _verb_before(text, lo, lo + len(frame), words, registry)


def _verb_before(
    text: str, lo: int, hi: int, words: list[re.Match[str]], registry: Registry
) -> Source | None:
    """``X attacked "..."``: a verb in the past tense right before the quote whose subject,
    right before it, is a name or a pronoun (the mirror of the open slot after a quote)."""
    if len(words) < 2 or text[lo + words[-1].end() : hi].strip():
        return None
    verb = words[-1].group()
    # Past tense only: a present tense before a quote is as often a habit ("X runs "a tight
    # ship"") as speech.
    if not re.fullmatch(r"[a-z]{3,}ed", verb):
        return None
    cue = Span(lo + words[-1].start(), lo + words[-1].end(), verb)
    found = trailing_subject(text, lo, _adverb_start(text, lo, cue.start), registry)
    if found is None or found.sort not in ("name", "pronoun"):
        return None
    return found.with_cue(cue)


def _introduced_by_colon(
    article: Article, segment: Segment, registry: Registry, inside: bytes
) -> Source | None:
    """``He said:`` closing the paragraph before a quote paragraph introduces it."""
    text = article.text
    p_start, _ = article.paragraphs[segment.paragraph - 1]
    if segment.start != p_start or segment.paragraph < 2:
        return None
    prev_start, prev_end = article.paragraphs[segment.paragraph - 2]
    if not text[prev_start:prev_end].endswith(":"):
        return None
    sentences = split_sentences(text, prev_start, prev_end)
    lo = sentences[-1][0] if sentences else prev_start
    for cue in reversed(list(cues_in(text, lo, prev_end, _CUE_NEXT_TO_QUOTE))):
        found = subject_of(text, lo, cue, registry, inside)
        if found is not None:
            return found
    return None
