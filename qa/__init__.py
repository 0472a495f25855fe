"""Ask questions about a news article; get the best passages with who is speaking in each.

    >>> from qa import answer
    >>> result = answer("What are the three leading industries?")
    >>> result.passages[0].speaker.name
    'Luo Dajin'

Importing this package is cheap: torch, sentence-transformers, faiss and gradio load only
when the first question is answered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qa.core.errors import (
    ArticleError,
    IndexMismatchError,
    QAError,
    QuestionError,
    QuestionSetError,
    WeightsMismatchError,
)
from qa.core.types import (
    Answer,
    Article,
    Kind,
    Passage,
    Person,
    Quote,
    RankedPassage,
    Span,
    Speaker,
)

if TYPE_CHECKING:
    from qa.answering.pipeline import Pipeline
    from qa.dialogue import Conversation

__all__ = [
    "Answer",
    "Article",
    "ArticleError",
    "Conversation",
    "IndexMismatchError",
    "Kind",
    "Passage",
    "Person",
    "Pipeline",
    "QAError",
    "QuestionError",
    "QuestionSetError",
    "Quote",
    "RankedPassage",
    "Span",
    "Speaker",
    "WeightsMismatchError",
    "answer",
    "conversation",
]


def answer(question: str, k: int = 3, article: str | Path | None = None) -> Answer:
    """The ``k`` passages of ``article`` (default: the seed article) that best answer ``question``.

    The pipeline for each article is built on first use and reused for the life of the process.
    Raises :class:`QuestionError` for an empty or over-long question and :class:`ArticleError`
    for an unusable article.
    """
    from qa.answering.pipeline import default_pipeline

    return default_pipeline(article).answer(question, k=k)


def conversation(article: str | Path | None = None) -> Conversation:
    """A new conversation about ``article`` (default: the seed article): follow-up questions
    ("What did he say?", "Why?") are understood in the context of the earlier ones.

    Conversations share the pipeline :func:`answer` uses; each keeps only its own turns.
    """
    from qa.dialogue import conversation as start

    return start(article)


def __getattr__(name: str) -> object:
    if name == "Pipeline":
        from qa.answering.pipeline import Pipeline

        return Pipeline
    if name == "Conversation":
        from qa.dialogue import Conversation

        return Conversation
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
