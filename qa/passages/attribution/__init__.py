"""Who is speaking where: rule-based quote and speaker attribution for news articles.

News copy marks speech with a small set of conventions, so readable rules find the speaker of
most passages without a model. The work runs in stages, each a function from immutable inputs
to immutable results:

1. :mod:`.quotes` -- where the quote marks are (chains across paragraphs, the headline);
2. :mod:`.registry` -- the names the article mentions (:mod:`.names`) and the titles it gives
   them (:mod:`.titles`);
3. :mod:`.direct` and :mod:`.reported` -- the cue and source of each direct quote and each
   piece of reported speech (:mod:`.sources` finds the subject next to a cue);
4. :mod:`.people` -- sources resolved to speakers (surnames, pronouns, roles, bodies);
5. :mod:`.continuation` -- speech that names no speaker but goes on with one.

Every offset is a Python string index into ``article.text``; :mod:`.stops` says where a clause
ends, the one question the stages ask that sentence splitting does not answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.core.types import Article, Kind, Person, Quote, Speaker
from qa.text.lexicon import ROLE_NOUNS

from .acronyms import defined_acronyms
from .continuation import continuations
from .direct import direct_sources, embedded_sources
from .people import attributed_quotes, people_of
from .quotes import layout
from .registry import build_registry
from .reported import reported_speech

__all__ = ["ROLE_NOUNS", "Attribution", "attribute"]


@dataclass(frozen=True, slots=True)
class Attribution:
    """Every quote of an article (direct and indirect) and every speaker found in it."""

    quotes: tuple[Quote, ...]
    people: tuple[Person, ...]

    def span_speaker(self, start: int, end: int) -> tuple[Speaker | None, Kind]:
        """Speaker and kind of the passage ``text[start:end]``.

        The speaker is the one whose speech overlaps most characters of the span; the kind
        is ``direct`` when that speaker has a direct quote in the span, unless the passage is
        that speaker's reported speech with only a short phrase in quote marks (see
        :func:`_mostly_reported`).
        """
        overlap: dict[Speaker, int] = {}
        words: dict[tuple[Speaker, Kind], int] = {}
        unattributed = False
        for quote in self.quotes:
            first, last = max(start, quote.start), min(end, quote.end)
            if last <= first:
                continue
            if quote.speaker is None:
                unattributed = unattributed or quote.kind == "direct"
                continue
            overlap[quote.speaker] = overlap.get(quote.speaker, 0) + last - first
            inside = quote.text[first - quote.start : last - quote.start]
            key = (quote.speaker, quote.kind)
            words[key] = words.get(key, 0) + len(inside.split())
        if overlap:
            # max() keeps the first of equals, and quotes are in text order: deterministic.
            best = max(overlap, key=lambda s: overlap[s])
            quoted = words.get((best, "direct"), 0)
            if not quoted or _mostly_reported(quoted, words.get((best, "indirect"), 0)):
                return best, "indirect"
            return best, "direct"
        if unattributed:
            return None, "direct"
        return None, "narration"


#: The longest quoted phrase that can leave a passage reported speech: "calling the progress
#: \u201cvery encouraging\u201d" quotes a phrase; seven quoted words are a sentence of one's own.
_PHRASE_WORDS = 6


def _mostly_reported(quoted_words: int, reported_words: int) -> bool:
    """Whether a speaker's speech in a passage is reported speech carrying a short quoted
    phrase: the phrase is at most :data:`_PHRASE_WORDS` words and the reported words
    outnumber it at least two to one. Only the passage's label changes; the quote itself
    stays a direct quote."""
    return quoted_words <= _PHRASE_WORDS and reported_words >= 2 * quoted_words


def attribute(article: Article) -> Attribution:
    """Find every quote of ``article``, its speaker and kind. Pure and deterministic."""
    marks = layout(article)
    registry = build_registry(article, marks.inside, marks.headline)
    cued = direct_sources(article, marks, registry)
    used_cues = frozenset(s.cue.start for s in cued if s is not None and s.cue is not None)
    reported = reported_speech(article, marks, registry, used_cues)
    sources = embedded_sources(article, marks, registry, reported, cued)
    acronyms = defined_acronyms(article.text, marks.inside)
    attributed, bodies = attributed_quotes(article, marks, registry, sources, reported, acronyms)
    rest = continuations(article, marks, registry, sources, attributed)
    quotes = tuple(sorted((*attributed, *rest), key=lambda q: (q.start, q.end)))
    return Attribution(quotes, people_of(registry, quotes, bodies, acronyms))
