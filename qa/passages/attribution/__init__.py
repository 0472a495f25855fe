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
        is ``direct`` when that speaker has a direct quote in the span.
        """
        overlap: dict[Speaker, int] = {}
        direct: set[Speaker] = set()
        unattributed = False
        for quote in self.quotes:
            shared = min(end, quote.end) - max(start, quote.start)
            if shared <= 0:
                continue
            if quote.speaker is None:
                unattributed = unattributed or quote.kind == "direct"
                continue
            overlap[quote.speaker] = overlap.get(quote.speaker, 0) + shared
            if quote.kind == "direct":
                direct.add(quote.speaker)
        if overlap:
            # max() keeps the first of equals, and quotes are in text order: deterministic.
            best = max(overlap, key=lambda s: overlap[s])
            return best, "direct" if best in direct else "indirect"
        if unattributed:
            return None, "direct"
        return None, "narration"


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
