"""HTML for the chat UI: the article heading, chat turns, source cards and the annotated article.

Pure functions from :mod:`qa.core.types` values to strings, so they are testable without Gradio.
Every piece of article or user text goes through :func:`html.escape` here and nowhere else is
HTML built, which is what keeps an article containing ``<script>`` inert.

The chat renders messages as Markdown; every fragment below is one line of HTML that starts
with a block-level tag, so Markdown passes it through untouched (no ``*`` or ``_`` in an
article turns into emphasis) and the chatbot's sanitiser only ever sees our own tags.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from html import escape
from typing import Literal

from qa.core.types import Answer, Article, Kind, Passage, RankedPassage, Span, Speaker
from qa.text.sentences import split_sentences

__all__ = [
    "Match",
    "answer_html",
    "answering_sentence",
    "article_html",
    "article_title",
    "count_html",
    "error_html",
    "heading_html",
    "match_label",
    "note_html",
    "question_html",
    "status_html",
]

Match = Literal["strong match", "possible match", "weak match"]

_KIND_LABELS: dict[Kind, str] = {
    "direct": "direct quote",
    "indirect": "reported speech",
    "narration": "narration",
}
#: Badge colours (see style.css); a speaker keeps the same colour in the chat and the article.
_PALETTE_SIZE = 6
#: Confidence at or above which the top passage is a strong (possible) match.
_STRONG, _POSSIBLE = 0.6, 0.3
_MATCHES: tuple[Match, ...] = ("strong match", "possible match", "weak match")
#: A heading made of the article's first words is cut at about this many characters.
_LEAD_CHARS = 90
_WHITESPACE = re.compile(r"\s+")


def _one_line(text: str) -> str:
    """Escaped text with newlines folded: a newline would end the Markdown HTML block."""
    return escape(" ".join(text.split()), quote=True)


def _speaker_tone(speaker: Speaker | None) -> str:
    if speaker is None:
        return "qa-tone-none"
    # crc32, not hash(): the colour must not change between processes (PYTHONHASHSEED).
    return f"qa-tone-{zlib.crc32(speaker.name.encode('utf-8')) % _PALETTE_SIZE}"


def _speaker_badge(speaker: Speaker | None, kind: Kind, *, show_title: bool = True) -> str:
    tone = _speaker_tone(speaker)
    if speaker is None:
        name = '<span class="qa-badge qa-tone-none">narration</span>'
    else:
        # A hidden title stays reachable as a tooltip on the badge.
        hover = f' title="{_one_line(speaker.title)}"' if speaker.title else ""
        title = (
            f'<span class="qa-speaker-title">{_one_line(speaker.title)}</span>'
            if speaker.title and show_title
            else ""
        )
        name = f'<span class="qa-badge {tone}"{hover}>{_one_line(speaker.name)}</span>{title}'
    label = _KIND_LABELS[kind]
    kind_tag = "" if speaker is None and kind == "narration" else (
        f'<span class="qa-kind qa-kind-{kind}">{label}</span>'
    )
    return f'<span class="qa-who">{name}{kind_tag}</span>'


def _segment(text: str) -> str:
    """Escaped ``text`` with whitespace runs folded to one space but kept at its edges, so the
    seams between marked and unmarked pieces keep their spaces."""
    return escape(_WHITESPACE.sub(" ", text), quote=True)


def _marked(text: str, highlight: tuple[int, int], short: tuple[int, int] | None = None) -> str:
    """``text`` escaped, the highlight in ``<mark>``, the short answer inside it in ``<strong>``.

    Offsets are relative to ``text`` and clamped to it; a short answer outside the highlight
    is not marked.
    """
    start = max(0, min(highlight[0], len(text)))
    end = max(start, min(highlight[1], len(text)))
    if start == end:
        return _one_line(text)
    inner = _segment(text[start:end])
    if short is not None and start <= short[0] < short[1] <= end:
        inner = (
            f"{_segment(text[start:short[0]])}<strong class=\"qa-short\">"
            f"{_one_line(text[short[0]:short[1]])}</strong>{_segment(text[short[1]:end])}"
        )
    return (
        f"{_segment(text[:start])}<mark class=\"qa-highlight\">{inner.strip()}</mark>"
        f"{_segment(text[end:])}"
    ).strip()


def answering_sentence(ranked: RankedPassage, short: Span | None = None) -> tuple[int, int]:
    """The one sentence to light up in ``ranked``, as offsets relative to its text.

    The pipeline's highlight is normally one sentence; when it spans several (a long quote),
    the sentence holding the short answer wins, else the first one, so the reader's eye goes
    to one sentence, never to a whole passage.
    """
    offset = ranked.passage.start
    start, end = ranked.highlight.start - offset, ranked.highlight.end - offset
    sentences = split_sentences(ranked.text, max(0, start), min(len(ranked.text), end))
    if len(sentences) <= 1:
        return start, end
    if short is not None:
        for s, e in sentences:
            if s <= short.start - offset and short.end - offset <= e:
                return s, e
    return sentences[0]


def _short_in(ranked: RankedPassage, short: Span | None) -> tuple[int, int] | None:
    if short is None or not (ranked.start <= short.start < short.end <= ranked.end):
        return None
    return short.start - ranked.start, short.end - ranked.start


def _highlighted_text(ranked: RankedPassage, short: Span | None = None) -> str:
    return _marked(ranked.text, answering_sentence(ranked, short), _short_in(ranked, short))


def match_label(answer: Answer, ranked: RankedPassage) -> Match:
    """A plain word for how well ``ranked`` matches, instead of a raw fused score.

    The top passage is judged by :attr:`Answer.confidence` when a model gave one, else by
    whether the question was answered; lower ranks are never rated above the top one and step
    down with their rank. Passages shown for a declined question are all weak matches.
    """
    if not answer.answered:
        return "weak match"
    if answer.confidence is None:
        top = 0
    else:
        top = 0 if answer.confidence >= _STRONG else 1 if answer.confidence >= _POSSIBLE else 2
    return _MATCHES[min(2, max(top, ranked.rank - 1))]


def question_html(question: str) -> str:
    """The user's question as shown in the chat (an empty one stays visible as such)."""
    if not question.strip():
        return '<div class="qa-question qa-empty">(empty question)</div>'
    return f'<div class="qa-question">{_one_line(question)}</div>'


def _same_question(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()).rstrip("?") == " ".join(b.casefold().split()).rstrip("?")


def _card(answer: Answer, ranked: RankedPassage, *, name_article: bool) -> str:
    where = f"¶{ranked.paragraph}"
    if name_article:
        where = f"{_one_line(ranked.article)} · {where}"
    label = match_label(answer, ranked)
    tone = label.split()[0]
    short = answer.short if ranked.rank == 1 and answer.answered else None
    # The top card is open: on a phone, the reply and its first source fit on one screen.
    # Numbers are in class names: the chatbot's sanitiser drops data-* attributes.
    is_open = " open" if ranked.rank == 1 else ""
    return (
        f'<details class="qa-source qa-source-{ranked.rank}"{is_open}>'
        '<summary class="qa-source-head">'
        f'<span class="qa-rank">{ranked.rank}</span>'
        f"{_speaker_badge(ranked.speaker, ranked.kind, show_title=ranked.rank == 1)}"
        f'<span class="qa-meta">{where}</span>'
        f'<span class="qa-match qa-match-{tone}">{label}</span>'
        "</summary>"
        f'<p class="qa-text">{_highlighted_text(ranked, short)}</p>'
        "</details>"
    )


def answer_html(answer: Answer, *, name_articles: bool = False) -> str:
    """One assistant turn: the reply with numbered citations, what the question was understood
    as (when that differs), and one card per passage (the first open, the others folded)."""
    state = "qa-answered" if answer.answered else "qa-declined"
    cites = ""
    if answer.answered and answer.passages:
        links = "".join(
            f'<a class="qa-cite qa-cite-{r.rank}" role="button" tabindex="0" '
            f'title="Show source {r.rank}">[{r.rank}]</a>'
            for r in answer.passages
        )
        cites = f'<span class="qa-cites">{links}</span>'
    parts = [f'<div class="qa-turn"><div class="qa-reply {state}">{_one_line(answer.reply)}'
             f"{cites}</div>"]
    if not _same_question(answer.resolved_question, answer.question):
        parts.append(
            f'<div class="qa-understood">Understood as: {_one_line(answer.resolved_question)}'
            "</div>"
        )
    if answer.passages:
        heading = "Sources" if answer.answered else "Closest passages"
        cards = "".join(_card(answer, r, name_article=name_articles) for r in answer.passages)
        parts.append(
            f'<div class="qa-sources"><div class="qa-sources-title">{heading}</div>{cards}</div>'
        )
    parts.append("</div>")
    return "".join(parts)


def count_html(chars: int, limit: int) -> str:
    """The question box's character count; past ``limit`` it says the question is too long
    (the page script keeps it current as the visitor types, see :func:`ui.scripts.count_script`).
    """
    if chars <= limit:
        return f'<div class="qa-count">{chars:,} / {limit:,}</div>'
    return (f'<div class="qa-count qa-count-over">{chars:,} / {limit:,}: too long, '
            f"shorten the question to {limit:,} characters</div>")


def error_html(message: str) -> str:
    """A user error (empty or over-long question, pasted link, bad history) as a chat reply."""
    text = message.rstrip(".")
    return (
        '<div class="qa-reply qa-error"><strong>Could not ask that:</strong> '
        f"{_one_line(text)}.</div>"
    )


def note_html(message: str) -> str:
    """A notice from the app in the chat (a new article was loaded), not an answer."""
    return f'<div class="qa-note">{_one_line(message)}</div>'


def status_html(message: str, *, error: bool = False) -> str:
    """The one-line status under the article controls (indexing done, or why a file was
    refused)."""
    kind = "qa-status-error" if error else "qa-status-ok"
    return f'<div class="qa-status {kind}">{_one_line(message)}</div>' if message else ""


def article_title(article: Article) -> str:
    """The article's title, else its first line cut to a heading's length (never a file name)."""
    if article.meta.title and article.meta.title.strip():
        return " ".join(article.meta.title.split())
    first = article.text[slice(*article.paragraphs[0])] if article.paragraphs else article.text
    first = " ".join(first.split())
    if len(first) <= _LEAD_CHARS:
        return first
    cut = first[:_LEAD_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}\u2026"


def heading_html(articles: Sequence[Article]) -> str:
    """The header of the page: the article's title, and its byline when author or date is
    known (for a folder, how many articles and the first titles)."""
    if len(articles) == 1:
        meta = articles[0].meta
        title = article_title(articles[0])
        byline = [f"By {meta.author}" if meta.author else "", meta.date or "", meta.site or ""]
    else:
        title = f"{len(articles)} articles"
        byline = [article_title(a) for a in articles[:3]] + ["\u2026"] * (len(articles) > 3)
    kept = " · ".join(_one_line(part) for part in byline if part)
    by = f'<p class="qa-byline">{kept}</p>' if kept else ""
    return (
        '<div class="qa-heading"><p class="qa-kicker">Ask the article</p>'
        f'<h1 class="qa-title">{_one_line(title)}</h1>{by}</div>'
    )


def article_html(passages: Sequence[Passage], answer: Answer | None = None) -> str:
    """The whole article, each passage marked with its speaker; ``answer``'s passages lit up.

    Passages are the article's paragraphs (long ones cut at sentence boundaries), so rendering
    them in order reproduces the article with a speaker on every paragraph. A declined answer
    lights up nothing: the panel shows where the answer is, and there is none.
    """
    lit = answer is not None and answer.answered
    hits = {r.passage.id: r for r in answer.passages} if answer is not None and lit else {}
    short = answer.short if answer is not None else None
    several = len({p.article for p in passages}) > 1
    parts: list[str] = ['<div class="qa-article">']
    current: str | None = None
    introduced: set[str] = set()  # speakers whose title was shown already, like a reporter would
    for passage in passages:
        if several and passage.article != current:
            current = passage.article
            parts.append(f'<h3 class="qa-article-name">{_one_line(passage.article)}</h3>')
        speaker = passage.speaker
        show_title = speaker is not None and speaker.name not in introduced
        if speaker is not None:
            introduced.add(speaker.name)
        ranked = hits.get(passage.id)
        if ranked is None:
            classes, rank, data_rank, body = "qa-para", "", "", _one_line(passage.text)
        else:
            classes = "qa-para qa-hit"
            rank = f'<span class="qa-rank" title="rank in the last answer">{ranked.rank}</span>'
            data_rank = f' data-rank="{ranked.rank}"'
            body = _highlighted_text(ranked, short if ranked.rank == 1 else None)
        parts.append(
            f'<div class="{classes}" data-passage="{passage.id}"{data_rank}>'
            '<div class="qa-para-head">'
            f"{rank}"
            f'<span class="qa-pnum">¶{passage.paragraph}</span>'
            f"{_speaker_badge(speaker, passage.kind, show_title=show_title)}"
            "</div>"
            f'<p class="qa-text">{body}</p>'
            "</div>"
        )
    parts.append("</div>")
    return "".join(parts)
