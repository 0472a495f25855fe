"""Frozen dataclasses shared by every stage of the pipeline.

article -> :class:`Article` -> :class:`Passage` (with :class:`Speaker` and kind)
-> :class:`RankedPassage` inside an :class:`Answer`.

Offsets are always Python string indices into the article's decoded text, so
``article.text[p.start:p.end] == p.text`` holds for every passage and span.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Answer",
    "Article",
    "ArticleMeta",
    "Kind",
    "Passage",
    "Person",
    "Quote",
    "RankedPassage",
    "SourceFormat",
    "Span",
    "Speaker",
]

#: How the words of a passage relate to its speaker.
#: ``direct``: quoted words; ``indirect``: reported speech; ``narration``: the reporter's own voice.
Kind = Literal["direct", "indirect", "narration"]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of an article's text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who speaks: canonical full name and the title the article gives them (if any)."""

    name: str
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title}

    def label(self) -> str:
        """``"Luo Dajin, director of ..."`` for display."""
        return f"{self.name}, {self.title}" if self.title else self.name


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker known to an article, with the strings a reader may use to refer to them.

    ``aliases`` holds surname, full name and title phrases (lower-cased); question
    understanding matches against them.
    """

    name: str
    title: str | None = None
    aliases: tuple[str, ...] = ()
    is_organization: bool = False
    #: "f" or "m" where the article shows it (an honorific, a gendered title such as
    #: "spokeswoman", or "she said" after the name); None when it does not. A follow-up's
    #: "she" never means a person known to be "m".
    gender: str | None = None

    @property
    def speaker(self) -> Speaker:
        return Speaker(self.name, self.title)


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed (or unattributed) piece of speech found in an article.

    ``kind`` is ``direct`` for words in quote marks, ``indirect`` for reported speech.
    ``speaker`` is None when the article does not say who spoke (never guessed).
    ``mention`` is the span naming the speaker where it is cued (may be a pronoun).
    """

    start: int
    end: int
    text: str
    kind: Kind
    speaker: Speaker | None = None
    mention: Span | None = None
    cue: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        speaker: dict[str, Any] | None = None
        if self.speaker is not None:
            speaker = self.speaker.to_dict()
            speaker["mention"] = self.mention.to_dict() if self.mention else None
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "speaker": speaker,
            "cue": self.cue.to_dict() if self.cue else None,
        }


#: Where an article's text came from.
SourceFormat = Literal["text", "html", "pdf"]


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known about an article besides its text; None where the source does not say.

    ``format`` is how the text was extracted (plain text, a saved web page, a PDF); ``source``
    the file or label the user gave. Offsets never refer to the original file, only to
    :attr:`Article.text`, the extracted text.
    """

    format: SourceFormat = "text"
    source: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "site": self.site,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """One decoded article: plain text, or the text extracted from a web page or PDF.

    ``name`` identifies it in answers (file name, relative to the folder for a folder).
    ``paragraphs`` are (start, end) offsets of each non-empty paragraph, 1-based by position.
    ``meta`` holds title, author, date and site where the source gives them.
    """

    name: str
    text: str
    paragraphs: tuple[tuple[int, int], ...]
    path: Path | None = None
    sha256: str = field(default="", compare=False)
    meta: ArticleMeta = field(default_factory=ArticleMeta, compare=False)

    def __post_init__(self) -> None:
        if not self.sha256:
            digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
            object.__setattr__(self, "sha256", digest)


@dataclass(frozen=True, slots=True)
class Passage:
    """The unit of retrieval: a paragraph (or a sentence-aligned piece of a long one)."""

    id: int
    article: str
    paragraph: int
    start: int
    end: int
    text: str
    speaker: Speaker | None
    kind: Kind

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        speaker = data.get("speaker")
        return cls(
            id=int(data["id"]),
            article=str(data["article"]),
            paragraph=int(data["paragraph"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            speaker=Speaker(speaker["name"], speaker.get("title")) if speaker else None,
            kind=data["kind"],
        )


@dataclass(frozen=True, slots=True)
class RankedPassage:
    """A passage as returned in an answer: its rank, fused score and best sentence."""

    rank: int
    score: float
    passage: Passage
    highlight: Span

    # The flat attributes callers reach for; the passage stays the one source of truth.
    @property
    def article(self) -> str:
        return self.passage.article

    @property
    def paragraph(self) -> int:
        return self.passage.paragraph

    @property
    def start(self) -> int:
        return self.passage.start

    @property
    def end(self) -> int:
        return self.passage.end

    @property
    def text(self) -> str:
        return self.passage.text

    @property
    def speaker(self) -> Speaker | None:
        return self.passage.speaker

    @property
    def kind(self) -> Kind:
        return self.passage.kind

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 6),
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "kind": self.kind,
            "article": self.article,
            "highlight": {"start": self.highlight.start, "end": self.highlight.end},
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """What :func:`qa.answer` returns: a one-line reply and the ranked, attributed passages.

    ``answered`` is False when the article does not seem to answer the question; the
    closest passages are still returned so a reader can judge.
    ``resolved_question`` is the self-contained question the search used: in a conversation
    "What did he say?" may become "What did Xu Feng say?"; otherwise it equals ``question``.
    ``confidence`` is the probability, in [0, 1], that the top passage answers the question
    (None when no model judged it). ``short`` is the answering phrase in the top passage
    (a name, number, date, place, ...) when the question asks for one and the passage holds
    a clear candidate; None otherwise.
    """

    question: str
    reply: str
    answered: bool
    passages: tuple[RankedPassage, ...]
    resolved_question: str = ""
    confidence: float | None = None
    short: Span | None = None

    def __post_init__(self) -> None:
        if not self.resolved_question:
            object.__setattr__(self, "resolved_question", self.question)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "answered": self.answered,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "short": self.short.to_dict() if self.short else None,
            "reply": self.reply,
            "passages": [p.to_dict() for p in self.passages],
        }
