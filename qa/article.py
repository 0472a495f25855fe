"""Load articles and cut them into passages with exact character offsets.

A paragraph is a run of non-blank lines; one or more blank (whitespace-only) lines separate
paragraphs, a single newline stays inside its paragraph. Offsets index the decoded text and
are never shifted by display clean-up: ``text[start:end]`` is always the passage verbatim.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ArticleError
from qa.types import Article

__all__ = [
    "Chunk",
    "article_from_text",
    "chunk_article",
    "fold_whitespace",
    "load_articles",
    "quote_depths",
    "split_paragraphs",
    "split_sentences",
]

_NON_BLANK_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")

# Sentence ends: terminal punctuation, optional closing quotes/brackets, then whitespace and
# something that can start a sentence. A hand-written splitter because the candidates
# (pysbd, spaCy's senter) are either unmaintained or cost a second of start-up for a job
# that news prose makes easy; abbreviations below cover what wire copy actually uses.
_SENTENCE_END = re.compile(r"""[.!?]+['"\u2019\u201d)\]]*(?=\s+['"\u2018\u201c(\[]?[A-Z0-9])""")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov lt col gen sgt capt cmdr adm st jr sr inc corp co ltd
    vs etc no nos fig jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e
    a.m p.m d.c ph.d mt ft ave blvd dept est approx""".split()
)
_OPENING_QUOTES = "\u201c"
_CLOSING_QUOTES = "\u201d"
_STRAIGHT_QUOTE = '"'
_WORD = re.compile(r"\w+")


def fold_whitespace(text: str) -> str:
    """Collapse runs of whitespace for display; never use the result for offsets."""
    return " ".join(text.split())


def split_paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each paragraph, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = end = -1
    line_start = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            stripped_left = len(line) - len(line.lstrip())
            stripped_right = len(line.rstrip())
            if start < 0:
                start = line_start + stripped_left
            end = line_start + stripped_right
        elif start >= 0:
            spans.append((start, end))
            start = -1
        line_start += len(line)
    if start >= 0:
        spans.append((start, end))
    return tuple(spans)


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


def _read_article(path: Path, name: str) -> Article:
    from qa.sources import load_article  # qa.sources builds on this module

    # The word limit protects a server from pasted or uploaded text; a file the user names
    # on their own machine may be a long report, bounded by the byte limit alone.
    return load_article(path, name=name, max_words=None)


def _article_files(folder: Path) -> Iterator[Path]:
    from qa.sources import SUFFIXES

    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        # Everything but folders (whose files rglob visits anyway): a broken link or a FIFO
        # named *.txt is reported by _read_article instead of vanishing without a word.
        if path.suffix.lower() in SUFFIXES and not path.is_dir():
            yield path


def load_articles(source: str | Path) -> tuple[Article, ...]:
    """Load one article file, or every ``.txt``, ``.html``, ``.htm`` and ``.pdf`` file under a
    folder (sorted, recursive). The content decides how a file is read (see
    :func:`qa.sources.load_article`): a web page saved as ``.txt`` is still a web page.

    In a folder, files that cannot be read or decoded are skipped with a one-line warning on
    stderr, so one bad file does not stop a collection; a folder with no usable article is an
    error. A single file that cannot be used is always an error.
    """
    path = Path(source).expanduser()
    if path.is_dir():
        articles: list[Article] = []
        skipped = 0
        for file in _article_files(path):
            try:
                articles.append(_read_article(file, file.relative_to(path).as_posix()))
            except ArticleError as exc:
                skipped += 1
                print(f"warning: skipping {exc}", file=sys.stderr)
        if not articles:
            detail = f"{skipped} unusable; " if skipped else ""
            raise ArticleError(
                f"{path}: no readable .txt articles in this folder "
                f"({detail}.html, .htm and .pdf files are read too)"
            )
        return tuple(articles)
    return (_read_article(path, path.name),)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    token = text[start:dot].lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets into ``text`` of the sentences of ``text[start:end]``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sentence_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        one_dot = text[match.start()] == "." and match.end() - match.start() == 1
        if one_dot and _is_abbreviation(text, match.start()):
            continue
        spans.append((sentence_start, match.end()))
        sentence_start = match.end()
        while sentence_start < end and text[sentence_start].isspace():
            sentence_start += 1
    if sentence_start < end:
        tail_end = end
        while tail_end > sentence_start and text[tail_end - 1].isspace():
            tail_end -= 1
        if tail_end > sentence_start:
            spans.append((sentence_start, tail_end))
    return spans


def quote_depths(text: str, start: int, end: int) -> list[bool]:
    """For each offset in [start, end]: is it inside a double quotation?

    Curly quotes nest by direction; straight quotes toggle. Used so that a long paragraph is
    never split in the middle of someone's words.
    """
    inside = False
    flags = [False] * (end - start + 1)
    for i in range(start, end):
        flags[i - start] = inside
        char = text[i]
        if char in _OPENING_QUOTES:
            inside = True
        elif char in _CLOSING_QUOTES:
            inside = False
        elif char == _STRAIGHT_QUOTE:
            inside = not inside
    flags[end - start] = inside
    return flags


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
