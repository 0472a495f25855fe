"""HTML for the chat UI: reply lines, source cards and the annotated article.

Pure functions from :mod:`qa.types` values to strings, so they are testable without Gradio.
Every piece of article or user text goes through :func:`html.escape` here and nowhere else is
HTML built, which is what keeps an article containing ``<script>`` inert.

The chat renders messages as Markdown; every fragment below is one line of HTML that starts
with a block-level tag, so Markdown passes it through untouched (no ``*`` or ``_`` in an
article turns into emphasis) and the chatbot's sanitiser only ever sees our own tags.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from html import escape

from qa.types import Answer, Kind, Passage, Person, RankedPassage, Speaker

__all__ = [
    "article_html",
    "default_examples",
    "error_html",
    "question_html",
    "reply_html",
    "sources_html",
    "sources_title",
]

_KIND_LABELS: dict[Kind, str] = {
    "direct": "direct quote",
    "indirect": "reported speech",
    "narration": "narration",
}
#: Badge colours (see style.css); a speaker keeps the same colour in the chat and the article.
_PALETTE_SIZE = 6


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


def _marked(text: str, start: int, end: int) -> str:
    """``text`` escaped, with ``text[start:end]`` wrapped in ``<mark>`` (clamped to the text)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start == end:
        return _one_line(text)
    before, hit, after = text[:start], text[start:end], text[end:]
    # Keep the spaces at the seams that _one_line would otherwise strip.
    pad_before = " " if before[-1:].isspace() else ""
    pad_after = " " if after[:1].isspace() else ""
    return (
        f"{_one_line(before)}{pad_before}<mark class=\"qa-highlight\">{_one_line(hit)}</mark>"
        f"{pad_after}{_one_line(after)}"
    )


def _highlighted_text(ranked: RankedPassage) -> str:
    offset = ranked.passage.start
    return _marked(ranked.text, ranked.highlight.start - offset, ranked.highlight.end - offset)


def question_html(question: str) -> str:
    """The user's question as shown in the chat."""
    return f'<div class="qa-question">{_one_line(question)}</div>'


def reply_html(answer: Answer) -> str:
    """The one-line reply, styled as declined when the article does not answer the question."""
    state = "qa-answered" if answer.answered else "qa-declined"
    return f'<div class="qa-reply {state}">{_one_line(answer.reply)}</div>'


def error_html(message: str) -> str:
    """A user error (empty or over-long question) as a chat reply."""
    return (
        '<div class="qa-reply qa-error"><strong>Could not ask that:</strong> '
        f"{_one_line(message)}.</div>"
    )


def sources_title(answer: Answer) -> str:
    """Title of the collapsed sources message, e.g. ``Sources · 3 passages``."""
    count = len(answer.passages)
    return f"Sources · {count} passage{'s' if count != 1 else ''}"


def sources_html(answer: Answer, *, name_articles: bool = False) -> str:
    """One card per ranked passage: speaker badge, kind, paragraph, score, highlighted text."""
    cards = []
    for ranked in answer.passages:
        where = f"¶{ranked.paragraph}"
        if name_articles:
            where = f"{_one_line(ranked.article)} · {where}"
        cards.append(
            '<div class="qa-source">'
            '<div class="qa-source-head">'
            f'<span class="qa-rank">{ranked.rank}</span>'
            f"{_speaker_badge(ranked.speaker, ranked.kind)}"
            f'<span class="qa-meta">{where} · score {ranked.score:.3f}</span>'
            "</div>"
            f'<p class="qa-text">{_highlighted_text(ranked)}</p>'
            "</div>"
        )
    if not cards:
        return '<div class="qa-sources"><p class="qa-meta">No passages.</p></div>'
    return f'<div class="qa-sources">{"".join(cards)}</div>'


def article_html(passages: Sequence[Passage], answer: Answer | None = None) -> str:
    """The whole article, each passage marked with its speaker; ``answer``'s passages lit up.

    Passages are the article's paragraphs (long ones cut at sentence boundaries), so rendering
    them in order reproduces the article with a speaker on every paragraph.
    """
    hits = {r.passage.id: r for r in answer.passages} if answer is not None else {}
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
            body = _highlighted_text(ranked)
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


def default_examples(people: Sequence[Person], limit: int = 4) -> list[str]:
    """Example questions any article supports: who its titled speakers are and what they said."""
    examples: list[str] = []
    for person in people:
        if person.is_organization:
            continue
        # A long or compound title ("President, general secretary of ...") reads badly.
        if person.title and len(person.title) <= 80 and "," not in person.title:
            title = person.title
            if not title.lower().startswith(("the ", "a ", "an ")):
                title = f"the {title}"
            examples.append(f"Who is {title}?")
        examples.append(f"What did {person.name} say?")
    return [*examples[:limit], "What is the article about?"]
