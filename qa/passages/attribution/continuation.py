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

from qa.core.types import Article, Quote

from .names import ABBREVIATION, Registry
from .quotes import Layout, Segment
from .sources import Source

__all__ = ["continuations"]

# The end of a sentence, a closing quote mark allowed after its stop.
_SENTENCE_STOP = re.compile(r"[.!?;][\u201d\u2019\"']?(?=\s|$)")
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
    speech = sorted((q for q in attributed if q.speaker is not None), key=lambda q: q.end)
    ends = [q.end for q in speech]
    paragraph_starts = [p0 for p0, _ in article.paragraphs]
    mentions = sorted(
        (m.start, registry.canonical(m.name, m.start)) for m in registry.mentions if not m.place
    )
    mention_starts = [start for start, _ in mentions]
    quote_starts = sorted(s.start for chain in marks.chains for s in chain)
    found: list[Quote] = []
    for chain in sorted(chains, key=lambda c: c[0].start):
        first = chain[0]
        p_start = paragraph_starts[first.paragraph - 1]
        if not (first.start == p_start or _OPENS_SENTENCE.search(text, p_start, first.start)):
            continue
        index = bisect_right(ends, first.start)
        host = speech[index - 1] if index else None
        if found and (host is None or found[-1].end > host.end):
            host = found[-1]
        if host is None or host.speaker is None:
            continue
        # Same paragraph, or the next one when the quote opens it.
        host_paragraph = bisect_right(paragraph_starts, host.start)
        if host_paragraph != first.paragraph and (
            first.paragraph != host_paragraph + 1 or first.start != p_start
        ):
            continue
        # Nobody else named, and no other quote, between the attribution and the quote.
        anchor = max(host.end, host.mention.end if host.mention else host.end)
        gap = _sentence_stop(text, anchor, first.start)
        lo, hi = bisect_left(mention_starts, gap), bisect_left(mention_starts, first.start)
        named = mentions[lo:hi]
        if any(name != host.speaker.name for _, name in named):
            continue
        if bisect_left(quote_starts, first.start) > bisect_left(quote_starts, gap):
            continue
        found.extend(
            Quote(s.start, s.end, text[s.start : s.end], "direct", host.speaker, host.mention,
                  host.cue)
            for s in chain
        )
    return tuple(found)


def _sentence_stop(text: str, start: int, limit: int) -> int:
    """Where the sentence holding ``start`` ends (after its closing quote mark), or ``limit``."""
    for stop in _SENTENCE_STOP.finditer(text, start, limit):
        at = stop.start()
        if text[at] != "." or not ABBREVIATION.search(text, max(0, at - 5), at):
            return stop.end()
    return limit
