"""An :class:`Article` from text that is already decoded (a plain-text file, a paste, or
the paragraphs a web page or PDF yielded)."""

from __future__ import annotations

from pathlib import Path

from qa.core.errors import ArticleError
from qa.core.types import Article
from qa.text.sentences import split_paragraphs

__all__ = ["article_from_text"]


def article_from_text(text: str, name: str = "<text>", path: Path | None = None) -> Article:
    """An :class:`Article` from already decoded text. Raises ArticleError if it has no words."""
    if "\x00" in text:
        raise ArticleError(f"{name}: looks like a binary file (contains NUL bytes), not plain text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates, e.g. bytes smuggled in by surrogateescape
        raise ArticleError(
            f"{name}: not valid Unicode text (lone surrogate at character {exc.start})"
        ) from exc
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise ArticleError(f"{name}: the article is empty")
    return Article(name=name, text=text, paragraphs=paragraphs, path=path)
