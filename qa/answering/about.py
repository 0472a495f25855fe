"""Questions about the article itself, answered from its metadata and its lead.

"Who wrote this?", "When was it published?", "What is the headline?", "What site is this
from?" are answered from :class:`~qa.core.types.ArticleMeta` (and declined when the source does
not say); "What is the article about?" / "Summarise it" with the headline, the lead sentence
and who is quoted most; "Who is quoted?" with every speaker, their title and how many
passages each speaks in. Everything is taken from the article: no generated text.

Recognition is deliberately narrow: the whole question must be one of these requests (with
"this", "it", "the article", "the story", ... as its object), so that a question *about the
content* ("What is the article's claim about tuition?") goes to retrieval as usual. Only a
corpus of a single article has an "itself".
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Literal

from qa.answering.reply import clip
from qa.core.types import Answer, ArticleMeta, Passage, RankedPassage, Span
from qa.text.lexicon import MONTHS
from qa.text.sentences import fold_whitespace, split_sentences

if TYPE_CHECKING:
    from qa.passages.corpus import Corpus

__all__ = ["ABOUT_WORDS", "Intent", "answer_about", "intent_of"]

#: Words of questions about the article itself: typo correction (:mod:`qa.text.spelling`) knows
#: them even when the article never uses them ("artcle" is "article").
ABOUT_WORDS = frozenset(
    """article story piece report headline title author wrote written writer published
    publication summary summarise summarize""".split()
)

Intent = Literal["author", "date", "title", "site", "summary", "speakers"]

# Spelled with \s+ rather than spaces: the patterns below are verbose (re.X).
_IT = (
    r"(?:(?:the|this)\s+(?:article|story|piece|text|report|post|page|news|item)"
    r"|it|this|that)"
)
_POLITE = r"(?:(?:please|can\s+you|could\s+you|would\s+you|pls)\s+)?"
_PATTERNS: dict[Intent, re.Pattern[str]] = {
    "author": re.compile(
        rf"""^{_POLITE}(?:
            who\s+(?:wrote|authored|penned|reported|is\s+the\s+author\s+of)\s+{_IT}
          | who\s+(?:is|was)\s+(?:the\s+)?(?:author|writer|reporter|journalist)
                (?:\s+of\s+{_IT})?
          | who\s+(?:is|was)\s+{_IT}\s+(?:by|written\s+by)
          | (?:which|what)\s+(?:reporter|journalist|writer|author)\s+wrote\s+{_IT}
          | what\s+is\s+the\s+byline
          | (?:who|what)\s+is\s+the\s+(?:author|byline)(?:'s\s+name)?
          | who\s+is\s+the\s+author
        )$""",
        re.X,
    ),
    "date": re.compile(
        rf"""^{_POLITE}(?:
            when\s+(?:was|is)\s+{_IT}\s+(?:published|written|posted|dated|from|released)
          | when\s+did\s+{_IT}\s+(?:come\s+out|appear|run|get\s+published)
          | what\s+is\s+the\s+(?:publication\s+|publishing\s+)?date(?:\s+of\s+{_IT})?
          | (?:what|which)\s+(?:date|day|year)\s+(?:was|is)\s+{_IT}\s+(?:published|written|from)
          | how\s+old\s+is\s+{_IT}
          | when\s+(?:was|is)\s+{_IT}
        )$""",
        re.X,
    ),
    "title": re.compile(
        rf"""^{_POLITE}(?:
            what\s+(?:is|was)\s+the\s+(?:headline|title)(?:\s+of\s+{_IT})?
          | what\s+is\s+{_IT}\s+(?:called|titled|headlined|named)
          | (?:tell\s+me|give\s+me|show\s+me)\s+the\s+(?:headline|title)
          | (?:the\s+)?(?:headline|title)
        )$""",
        re.X,
    ),
    "site": re.compile(
        rf"""^{_POLITE}(?:
            (?:what|which)\s+(?:web\s*site|site|publication|newspaper|paper|outlet|source
                |news\s+site|magazine|publisher)\s+(?:is|was)\s+{_IT}\s+(?:from|in|on|published\s+(?:on|in|by))
          | (?:what|which)\s+(?:web\s*site|site|publication|newspaper|paper|outlet|magazine)
                \s+published\s+{_IT}
          | where\s+(?:is|was)\s+{_IT}\s+(?:from|published)
          | who\s+published\s+{_IT}
          | what\s+is\s+the\s+(?:source|publication|publisher|site|website)(?:\s+of\s+{_IT})?
        )$""",
        re.X,
    ),
    "summary": re.compile(
        rf"""^{_POLITE}(?:
            what\s+(?:is|was)\s+{_IT}\s+(?:about|on)
          | what\s+is\s+the\s+(?:gist|summary|main\s+point|point|story|topic|subject)
                (?:\s+of\s+{_IT})?
          | summari[sz]e(?:\s+{_IT})?(?:\s+for\s+me)?
          | (?:give|tell)\s+me\s+(?:a|the)\s+(?:short\s+|brief\s+|quick\s+)?
                (?:summary|gist|overview|rundown|tl;?dr)(?:\s+of\s+{_IT})?
          | sum\s+(?:it|this|{_IT})\s+up
          | tl;?dr
          | what\s+does\s+{_IT}\s+say
          | what\s+is\s+(?:going\s+on|happening)\s+in\s+{_IT}
          | what\s+happened(?:\s+in\s+{_IT})?
          | (?:a\s+)?summary(?:\s+of\s+{_IT})?(?:\s+please)?
        )$""",
        re.X,
    ),
    "speakers": re.compile(
        rf"""^{_POLITE}(?:
            (?:who|which\s+people|whom?)\s+(?:is|are|was|were|gets?|got)\s+(?:quoted|cited
                |interviewed)(?:\s+(?:in|by)\s+{_IT})?
          | (?:who|which\s+people)\s+(?:speaks?|talks?|spoke|is\s+speaking|are\s+speaking
                |has\s+a\s+say)(?:\s+in\s+{_IT})?
          | who(?:m)?\s+does\s+{_IT}\s+(?:quote|cite|interview)
          | who\s+(?:is|are)\s+(?:the\s+)?(?:speakers|sources|people\s+quoted)
                (?:\s+(?:in|of)\s+{_IT})?
          | (?:list|name|show\s+me)\s+(?:the\s+|all\s+the\s+)?(?:speakers|sources
                |people\s+quoted)(?:\s+in\s+{_IT})?
        )$""",
        re.X,
    ),
}
_QUOTED_PEOPLE = 3
#: The most speakers one reply lists; the rest are counted ("; and 4 more.").
_LISTED_SPEAKERS = 6
_LEAD_SENTENCE_CHARS = 240
_TITLE_MAX_WORDS = 12


def _normal(question: str) -> str:
    """Lower case, curly apostrophes straightened, "what's" spelled out, end punctuation and
    "please" dropped."""
    text = question.replace("\u2019", "'").lower()
    text = re.sub(r"[?!.\s]+$", "", text).strip()
    text = re.sub(r"[,\s]+please$", "", text)
    text = re.sub(r"\b(what|who|where|when|how|that)'s\b", r"\1 is", text)
    return " ".join(text.split())


def intent_of(question: str) -> Intent | None:
    """Which question about the article itself ``question`` is, or None for any other."""
    text = _normal(question)
    for intent, pattern in _PATTERNS.items():
        if pattern.match(text):
            return intent
    return None


def _readable_date(iso: str) -> str:
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[day.month - 1].title()} {day.year}"


def _lead_paragraphs(corpus: Corpus) -> list[int]:
    """Paragraph numbers of the lead: the first paragraphs of prose, past a headline or a
    byline that a plain-text or PDF article may start with."""
    article = corpus.articles[0]
    meta = article.meta
    skip = {fold_whitespace(t).lower() for t in (meta.title, meta.author) if t}
    numbers: list[int] = []
    for number, (start, end) in enumerate(article.paragraphs, start=1):
        text = fold_whitespace(article.text[start:end])
        if text.lower() in skip or (text.lower().startswith("by ") and len(text.split()) <= 6):
            continue
        if len(text.split()) < 8 and not numbers:  # a heading or a dateline
            continue
        numbers.append(number)
    return numbers or [1]


def _ranked(corpus: Corpus, paragraphs: list[int], k: int) -> tuple[RankedPassage, ...]:
    """The first passage of each lead paragraph, highlighting its first sentence."""
    text = corpus.articles[0].text
    chosen: list[Passage] = []
    for number in paragraphs:
        passage = next((p for p in corpus.passages if p.paragraph == number), None)
        if passage is not None:
            chosen.append(passage)
        if len(chosen) == k:
            break
    return tuple(
        RankedPassage(rank, 1.0 / rank, passage, _first_sentence(text, passage))
        for rank, passage in enumerate(chosen, start=1)
    )


def _short_title(title: str | None) -> str | None:
    """A title short enough for a one-line summary: its first sentence, and only its first
    clause when that is still long ("President, general secretary of ...")."""
    if not title:
        return None
    sentences = split_sentences(title)
    first = title[: sentences[0][1]] if sentences else title
    first = first.rstrip(" .;,")
    if len(first.split()) > _TITLE_MAX_WORDS:
        first = first.split(",")[0].strip()
    return first if 0 < len(first.split()) <= _TITLE_MAX_WORDS else None


def _quoted(corpus: Corpus) -> list[str]:
    """Who is quoted, most passages first: "Maria Lopez, transport director". Only full
    names: a lone capitalised word ("Critics") is too often not a person."""
    counts = Counter(p.speaker.name for p in corpus.passages if p.speaker is not None)
    people = {person.name: person for person in corpus.people}
    labels = []
    for name, _ in counts.most_common():
        person = people.get(name)
        if person is None or person.is_organization or len(name.split()) < 2:
            continue
        title = _short_title(person.title)
        labels.append(f"{name}, {title}" if title else name)
        if len(labels) == _QUOTED_PEOPLE:
            break
    return labels


def _summary(question: str, corpus: Corpus, k: int) -> Answer:
    meta = corpus.articles[0].meta
    passages = _ranked(corpus, _lead_paragraphs(corpus), k)
    parts = []
    if meta.title:
        parts.append(f"\u201c{meta.title}\u201d.")
    if passages:
        parts.append(clip(fold_whitespace(passages[0].highlight.text), _LEAD_SENTENCE_CHARS))
    quoted = _quoted(corpus)
    if quoted:
        parts.append("Quoted: " + "; ".join(quoted) + ".")
    return Answer(question, " ".join(parts), True, passages)


def _speakers(question: str, corpus: Corpus, k: int) -> Answer:
    """Who speaks in the article, most passages first, with their titles and how many
    passages each speaks in; each listed speaker's first passage is cited."""
    counts = Counter(p.speaker.name for p in corpus.passages if p.speaker is not None)
    if not counts:
        return Answer(
            question, "Nobody is quoted in the article: it is all the reporter's narration.",
            True, (),
        )
    titles = {person.name: person.title for person in corpus.people}
    listed = []
    for name, count in counts.most_common(_LISTED_SPEAKERS):
        title = _short_title(titles.get(name))
        passages = "1 passage" if count == 1 else f"{count} passages"
        listed.append(f"{name}, {title} ({passages})" if title else f"{name} ({passages})")
    rest = len(counts) - len(listed)
    people = "1 speaker" if len(counts) == 1 else f"{len(counts)} speakers"
    reply = f"The article quotes {people}: " + "; ".join(listed)
    reply += f"; and {rest} more." if rest else "."
    first: dict[str, Passage] = {}
    for passage in corpus.passages:
        if passage.speaker is not None:
            first.setdefault(passage.speaker.name, passage)
    text = corpus.articles[0].text
    ranked = tuple(
        RankedPassage(rank, 1.0 / rank, first[name], _first_sentence(text, first[name]))
        for rank, (name, _) in enumerate(counts.most_common(k), start=1)
    )
    return Answer(question, reply, True, ranked)


def _first_sentence(text: str, passage: Passage) -> Span:
    sentences = split_sentences(text, passage.start, passage.end)
    start, end = sentences[0] if sentences else (passage.start, passage.end)
    return Span(start, end, text[start:end])


def _where(corpus: Corpus, value: str) -> tuple[RankedPassage, ...]:
    """The paragraph that holds ``value`` verbatim (a headline or byline in the text)."""
    text = corpus.articles[0].text
    for passage in corpus.passages:
        found = passage.text.find(value)
        if found >= 0:
            start = passage.start + found
            span = Span(start, start + len(value), text[start : start + len(value)])
            return (RankedPassage(1, 1.0, passage, span),)
    return ()


def _from_meta(question: str, intent: Intent, meta: ArticleMeta, corpus: Corpus) -> Answer:
    value = {"author": meta.author, "date": meta.date, "title": meta.title, "site": meta.site}[
        intent
    ]
    if not value:
        missing = {
            "author": "who wrote it",
            "date": "when it was published",
            "title": "its headline",
            "site": "which site or publication it comes from",
        }[intent]
        return Answer(question, f"The article does not say {missing}.", False, ())
    reply = {
        "author": f"By {value}.",
        "date": f"Published {_readable_date(value)}.",
        "title": f"\u201c{value}\u201d",
        "site": f"From {value}.",
    }[intent]
    return Answer(question, reply, True, _where(corpus, value))


def answer_about(question: str, corpus: Corpus, *, k: int = 3) -> Answer | None:
    """The answer to a question about the article itself, or None when ``question`` is
    any other question (or the corpus holds several articles, or ``k`` is not valid)."""
    if len(corpus.articles) != 1 or not isinstance(k, int) or isinstance(k, bool) or k < 1:
        return None
    intent = intent_of(question)
    if intent is None:
        return None
    if intent == "summary":
        return _summary(question, corpus, k)
    if intent == "speakers":
        return _speakers(question, corpus, k)
    return _from_meta(question, intent, corpus.articles[0].meta, corpus)
