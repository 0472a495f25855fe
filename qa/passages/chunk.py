"""An article cut into passages: paragraphs, long ones split at sentence ends outside quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.types import Article
from qa.text.sentences import quote_depths, split_sentences

__all__ = ["Chunk", "chunk_article"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage before attribution: which paragraph it comes from and where it lies."""

    paragraph: int
    start: int
    end: int


def _word_count(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _WORD.finditer(text, start, end))


def chunk_article(article: Article, max_words: int = 120) -> list[Chunk]:
    """Paragraphs as passages; a paragraph over ``max_words`` is cut at sentence boundaries
    that lie outside quotations into pieces of at most about ``max_words`` words."""
    chunks: list[Chunk] = []
    text = article.text
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        if _word_count(text, p_start, p_end) <= max_words:
            chunks.append(Chunk(number, p_start, p_end))
            continue
        inside = quote_depths(text, p_start, p_end)
        piece_start = p_start
        piece_words = 0
        sentences = split_sentences(text, p_start, p_end)
        for s_start, s_end in sentences:
            words = _word_count(text, s_start, s_end)
            splittable = not inside[s_start - p_start] and s_start > piece_start
            if splittable and piece_words and piece_words + words > max_words:
                piece_end = s_start
                while text[piece_end - 1].isspace():
                    piece_end -= 1
                chunks.append(Chunk(number, piece_start, piece_end))
                piece_start, piece_words = s_start, 0
            piece_words += words
        chunks.append(Chunk(number, piece_start, p_end))
    return chunks
