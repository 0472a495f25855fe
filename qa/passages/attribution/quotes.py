"""Stage 1: where the quote marks are.

Direct quotes are runs between double quote marks (straight or curly). A paragraph that opens a
quote without closing it continues into the next paragraph when that paragraph re-opens with a
quote mark (the news convention for multi-paragraph quotes); such a run is a *chain*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.types import Article
from qa.text.lexicon import CUE_VERBS, NAMING_VERBS

__all__ = ["Layout", "Segment", "layout"]

_OPEN_MARKS = "\u201c"
_CLOSE_MARKS = "\u201d"
_STRAIGHT = '"'
# Verbs whose object is as often a work as words: told a show, wrote a book, sang a song.
_VERBS_OF_WORKS = frozenset("told tells wrote writes read reads sang sings posted".split())
_MARK = re.compile('["\u201c\u201d]')


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of quoted text inside a single paragraph (marks included)."""

    paragraph: int
    start: int
    end: int
    closed: bool


@dataclass(frozen=True, slots=True)
class Layout:
    """The quote chains of an article, which characters lie inside quotes, and whether its first
    paragraph is a headline (never attributed)."""

    chains: tuple[tuple[Segment, ...], ...]
    inside: bytes
    headline: bool


def layout(article: Article) -> Layout:
    chains = _quote_chains(article)
    mask = bytearray(len(article.text))
    for chain in chains:
        for segment in chain:
            mask[segment.start : segment.end] = b"\x01" * (segment.end - segment.start)
    return Layout(chains, bytes(mask), _is_headline(article))


def _paragraph_segments(text: str, number: int, start: int, end: int) -> list[Segment]:
    """Quoted stretches of one paragraph; an unclosed quote runs to the paragraph end.

    Curly marks nest (``“he calls “hell” here”``) unless nesting leaves a quote open that the
    flat reading closes: a stray opening mark is a typo more often than a nested quote.
    """
    nested = _scan_marks(text, number, start, end, nest=True)
    if nested and not nested[-1].closed:
        flat = _scan_marks(text, number, start, end, nest=False)
        if not flat or flat[-1].closed:
            return flat
    return nested


def _scan_marks(text: str, number: int, start: int, end: int, nest: bool) -> list[Segment]:
    segments: list[Segment] = []
    open_at = -1
    depth = 0
    for mark in _MARK.finditer(text, start, end):  # only the marks matter: skip the words
        i = mark.start()
        char = text[i]
        if char in _OPEN_MARKS or (char == _STRAIGHT and open_at < 0):
            if open_at < 0:
                open_at = i
            depth += 1 if char in _OPEN_MARKS and nest else 0
        elif char in _CLOSE_MARKS and depth > 1:
            depth -= 1
        elif (char in _CLOSE_MARKS or char == _STRAIGHT) and open_at >= 0:
            segments.append(Segment(number, open_at, i + 1, closed=True))
            open_at = -1
            depth = 0
    if open_at >= 0 and end - open_at > 1:
        segments.append(Segment(number, open_at, end, closed=False))
    return segments


def _is_work_title(text: str, segment: Segment) -> bool:
    """``"Fox News Sunday"``, ``"Morning Joe"``: a quoted name of a show or work, not speech."""
    words = re.findall(r"[A-Za-z][\w'\u2019\-]*", text[segment.start : segment.end])
    inner = text[segment.start + 1 : segment.end - 1].strip()
    return (
        0 < len(words) <= 6
        and all(w[0].isupper() or len(w) <= 3 for w in words)
        and not inner.endswith((".", ",", "!", "?"))
    )


def _quoted_label(text: str, p_start: int, segment: Segment) -> bool:
    """``hailed him as "The Comeback Kid"``, ``claimed "Trump Exaggerates"``: Title Case words
    right after a verb of naming or saying are someone's words, not the title of a work (but
    ``told "Meet the Press"``, ``wrote "Dreams From My Father"`` name a show and a book)."""
    before = re.findall(r"[A-Za-z]+", text[max(p_start, segment.start - 60) : segment.start])
    if before and before[-1] in CUE_VERBS and before[-1] not in _VERBS_OF_WORKS:
        return True
    return any(word in NAMING_VERBS for word in before[-4:])


def _quote_chains(article: Article) -> tuple[tuple[Segment, ...], ...]:
    text = article.text
    chains: list[list[Segment]] = []
    pending: list[Segment] | None = None
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        segments = [
            s for s in _paragraph_segments(text, number, p_start, p_end)
            if not (s.closed and _is_work_title(text, s) and not _quoted_label(text, p_start, s))
        ]  # fmt: skip
        for segment in segments:
            if pending is not None and segment.start == p_start:
                pending.append(segment)
            else:
                pending = [segment]
                chains.append(pending)
            pending = pending if not segment.closed else None
        if not segments or (pending is not None and pending[-1].paragraph != number):
            pending = None
    return tuple(tuple(chain) for chain in chains)


def _is_headline(article: Article) -> bool:
    """A short Title Case first line is a headline: it is not attributed."""
    start, end = article.paragraphs[0]
    line = article.text[start:end]
    if "\n" in line or len(article.paragraphs) < 2:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019]*", line) if len(w) > 3]
    if not words or len(words) > 20:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.6 or line.rstrip()[-1] not in ".!?\"\u201d"
