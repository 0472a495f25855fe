"""Bytes or a path -> :class:`~qa.core.types.Article` with metadata: plain text, a saved web
page or a PDF, sniffed by content (:mod:`qa.ingest.load`)."""

from __future__ import annotations

from qa.ingest.load import (
    MAX_BYTES,
    MAX_WORDS,
    SUFFIXES,
    article_from_paste,
    load_article,
    load_articles,
    misplaced_source,
)
from qa.ingest.text import article_from_text

__all__ = [
    "MAX_BYTES",
    "MAX_WORDS",
    "SUFFIXES",
    "article_from_paste",
    "article_from_text",
    "load_article",
    "load_articles",
    "misplaced_source",
]
