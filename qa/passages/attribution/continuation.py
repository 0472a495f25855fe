"""Stage 5: speech that names no speaker of its own but goes on with one already speaking.

* a quote inside someone's reported speech is theirs;
* a quote with no cue of its own that opens a sentence after someone's attributed speech,
  with no other person named in between, goes on with that speaker: ``"A," said X, title.
  "B."``; across a paragraph break too when the new paragraph opens with the quote (news
  copy names the speaker once and then lets the quotes run);
* paragraphs enumerating the previous speaker's points ("The second was ...") stay with that
  speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from qa.core.types import Article, Quote

from .quotes import Layout, Segment
from .registry import Registry
from .sources import Source
from .stops import past_clause_end

__all__ = ["continuations"]

# What may stand before a quote that opens a sentence: a stop (and a closing mark) and space.
_OPENS_SENTENCE = re.compile(r"(?:[.!?:][\u201d\u2019\"']?|[\u201d\"])[ \t\u00a0]*$")

_MIN_UNATTRIBUTED_WORDS = 5  # shorter quotes nobody claims are names, titles, scare quotes
_ORDINAL_OPENERS = re.compile(
    r"""(?:(?:the|his|her|their|its)\s+)?
        (?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|final|last
          |firstly|secondly|thirdly|finally|another|other)\b""",
    re.IGNORECASE | re.VERBOSE,
)


def continuations(
    article: Article,
    marks: Layout,
    registry: Registry,
    sources: Sequence[Source | None],
    attributed: Sequence[Quote],
) -> tuple[Quote, ...]:
    """The quotes of the chains no cue attributed (``sources`` holds one per chain of
    ``marks``), each given the speaker it goes on with or none, and the paragraphs that go on
    with a speaker's enumerated points; ``attributed`` are the quotes found so far."""
    text = article.text
    orphans = [
        chain for chain, source in zip(marks.chains, sources, strict=True)
        if source is None and not (marks.headline and chain[0].paragraph == 1)
    ]  # fmt: skip
    found: list[Quote] = []
    for chain in orphans:
        for segment in chain:
            host = _enclosing(attributed, segment.start, segment.end)
            if host is not None:
                found.append(Quote(segment.start, segment.end, text[segment.start : segment.end],
                                   "direct", host.speaker, host.mention, host.cue))
    taken = {(q.start, q.end) for q in found}
    orphans = [c for c in orphans if (c[0].start, c[0].end) not in taken]
    found.extend(_continued_quotes(article, marks, registry, (*attributed, *found), orphans))
    taken = {(q.start, q.end) for q in found}
    for chain in orphans:
        for segment in chain:
            words = text[segment.start : segment.end]
            if (segment.start, segment.end) not in taken and (
                len(words.split()) >= _MIN_UNATTRIBUTED_WORDS
            ):
                found.append(Quote(segment.start, segment.end, words, "direct"))
    found.extend(_enumeration_quotes(article, (*attributed, *found), marks.headline))
    return tuple(found)


def _enclosing(quotes: Sequence[Quote], start: int, end: int) -> Quote | None:
    """The attributed reported speech that holds ``text[start:end]``, if any."""
    for quote in quotes:
        if quote.kind == "indirect" and quote.speaker and quote.start <= start and end <= quote.end:
            return quote
    return None


def _enumeration_quotes(
    article: Article, quotes: Sequence[Quote], headline: bool
) -> tuple[Quote, ...]:
    """Paragraphs without speech that go on with the previous speaker's numbered points."""
    text = article.text
    extra: list[Quote] = []
    previous: Quote | None = None
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        if headline and number == 1:
            continue
        own = [q for q in (*quotes, *extra) if p_start <= q.start < p_end and q.speaker]
        if own:
            previous = own[-1]
            continue
        if previous is not None and _ORDINAL_OPENERS.match(text, p_start) is not None:
            quote = Quote(p_start, p_end, text[p_start:p_end], "indirect", previous.speaker,
                          previous.mention, previous.cue)
            extra.append(quote)
            previous = quote
        else:
            previous = None
    return tuple(extra)


def _continued_quotes(
    article: Article,
    marks: Layout,
    registry: Registry,
    attributed: Sequence[Quote],
    chains: Sequence[tuple[Segment, ...]],
) -> tuple[Quote, ...]:
    """Quotes of the unattributed ``chains`` that go on with the speaker of the attributed
    speech before them (see the module docstring), in text order."""
    text = article.text
    offsets = _offsets(article, marks, registry, attributed)
    found: list[Quote] = []
    for chain in sorted(chains, key=lambda c: c[0].start):
        host = _host(offsets, chain[0].start, found[-1] if found else None)
        if host is None or not _goes_on(text, offsets, host, chain[0]):
            continue
        found.extend(
            Quote(s.start, s.end, text[s.start : s.end], "direct", host.speaker, host.mention,
                  host.cue)
            for s in chain
        )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class _Offsets:
    """Sorted offsets of an article's speech, paragraphs, person mentions and quotes, so that
    each unattributed quote looks back by bisection."""

    speech: tuple[Quote, ...]  # attributed speech with a speaker, by end
    speech_ends: tuple[int, ...]
    paragraph_starts: tuple[int, ...]
    mentions: tuple[tuple[int, str], ...]  # (start, canonical name) of people, not places
    mention_starts: tuple[int, ...]
    quote_starts: tuple[int, ...]


def _offsets(article: Article, marks: Layout, registry: Registry, attributed: Sequence[Quote]
            ) -> _Offsets:
    """The lookups of one article, built once for all of its unattributed quotes."""
    speech = tuple(sorted((q for q in attributed if q.speaker is not None), key=lambda q: q.end))
    mentions = tuple(sorted(
        (m.start, registry.canonical(m.name, m.start)) for m in registry.mentions if not m.place
    ))  # fmt: skip
    return _Offsets(
        speech=speech,
        speech_ends=tuple(q.end for q in speech),
        paragraph_starts=tuple(p0 for p0, _ in article.paragraphs),
        mentions=mentions,
        mention_starts=tuple(start for start, _ in mentions),
        quote_starts=tuple(sorted(s.start for chain in marks.chains for s in chain)),
    )


def _host(offsets: _Offsets, at: int, last_found: Quote | None) -> Quote | None:
    """The attributed speech a quote at ``at`` would go on with: the last one ending before
    it, or the last quote this pass already continued when that ends later (a run of
    quotes goes on with one speaker); None when that speech has no speaker."""
    index = bisect_right(offsets.speech_ends, at)
    host = offsets.speech[index - 1] if index else None
    if last_found is not None and (host is None or last_found.end > host.end):
        host = last_found
    return host if host is not None and host.speaker is not None else None


def _goes_on(text: str, offsets: _Offsets, host: Quote, first: Segment) -> bool:
    """The quote whose first segment is ``first`` goes on with ``host``: it opens a sentence,
    in the host's paragraph or opening the next, with nobody else named and no other quote
    between the attribution and it."""
    p_start = offsets.paragraph_starts[first.paragraph - 1]
    if not (first.start == p_start or _OPENS_SENTENCE.search(text, p_start, first.start)):
        return False
    host_paragraph = bisect_right(offsets.paragraph_starts, host.start)
    if host_paragraph != first.paragraph and (
        first.paragraph != host_paragraph + 1 or first.start != p_start
    ):
        return False
    return _nothing_between(text, offsets, host, first.start)


def _nothing_between(text: str, offsets: _Offsets, host: Quote, at: int) -> bool:
    """No person other than the host's speaker is named, and no other quote opens, from the
    end of the host's sentence to ``at``."""
    anchor = max(host.end, host.mention.end if host.mention else host.end)
    gap = past_clause_end(text, anchor, at)
    lo, hi = bisect_left(offsets.mention_starts, gap), bisect_left(offsets.mention_starts, at)
    speaker = host.speaker.name if host.speaker is not None else None
    if any(name != speaker for _, name in offsets.mentions[lo:hi]):
        return False
    return bisect_left(offsets.quote_starts, at) <= bisect_left(offsets.quote_starts, gap)
