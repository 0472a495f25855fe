"""A PDF's text layer -> paragraphs, plus title, author and date from its document info
(the author from a byline on the first page when the info does not say).

pypdf gives lines, not paragraphs. Paragraphs are rebuilt from the lines: a blank line, or a
short line that ends a sentence, ends a paragraph; a short line without final punctuation
followed by a capitalised one is a heading; lines of one paragraph are joined with a space,
and a word hyphenated at a line break is made whole again. Lines that repeat at the top or
bottom of most pages (running headers and footers) and bare page numbers are dropped. Where
pypdf reports positions, a wider gap between lines, larger type (a heading), a jump back
to the top of the page (the next column) and a list bullet end a paragraph too.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.core.errors import ArticleError
from qa.ingest.byline import byline_author
from qa.ingest.extract import Extract

if TYPE_CHECKING:
    from pypdf import PageObject

__all__ = ["extract_pdf"]

_PAGE_NUMBER = re.compile(
    r"^\W*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")
_BULLET = re.compile(r"^(?:[\u2022\u25e6\u25aa\u2023\u2043*\u2013-]|\d{1,2}[.)])\s")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
# A line this much shorter than the page's usual line ends its paragraph (if it ends a
# sentence) or is a heading (if it does not and the next line starts with a capital).
_SHORT_LINE = 0.8
_HEADING_LINE = 0.6
_EDGE_LINES = 2
# A gap between lines this much wider than the usual one separates paragraphs; type this
# much larger than the body's is a heading.
_PARAGRAPH_GAP = 1.4
_HEADING_SIZE = 1.15


def _normal(line: str) -> str:
    """A header or footer is the same line on every page except for its page number."""
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def _repeated_edges(pages: Sequence[list[str]]) -> set[str]:
    """Lines found among the first or last lines of at least half the pages (min. 2)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_normal(line) for line in (*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:])}
        counts.update(edges)
    needed = max(2, (len(pages) + 1) // 2)
    return {line for line, count in counts.items() if count >= needed}


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a page: its text, where it starts and how tall its type is."""

    text: str
    x: float
    y: float
    size: float


def _page_lines(page: PageObject) -> list[_Line]:
    """The lines of a page in content order, with positions (pypdf reports text pieces
    with their text and user-space matrices; a newline or a change of baseline ends a line)."""
    lines: list[_Line] = []
    parts: list[str] = []
    where: list[float] = []  # x, y, size of the line being built

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text and where:
            lines.append(_Line(text, where[0], where[1], where[2]))
        parts.clear()
        where.clear()

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], _font: object,
              size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = max(abs(tm[3] * cm[3]), abs(tm[0] * cm[0])) or 1.0
        for i, piece in enumerate(text.split("\n")):
            if i:
                flush()
            if not piece.strip():
                parts.append(piece)
                continue
            if where and abs(y - where[1]) > 0.5 * where[2]:
                flush()
            if not where:
                where.extend((x, y, float(size) * scale))
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _typical_width(lines: Sequence[_Line]) -> int:
    widths = sorted(len(line.text) for line in lines)
    return widths[int(0.8 * (len(widths) - 1))] if widths else 0


def _join(paragraph: str, line: str) -> str:
    if not paragraph:
        return line
    if _HYPHENATED.search(paragraph) and line[:1].islower():
        return paragraph[:-1] + line
    return f"{paragraph} {line}"


def _ends_paragraph(line: str, current: str, width: int, following: _Line | None) -> bool:
    """A short line that ends a sentence ends its paragraph; a short line that does not,
    alone in its paragraph and followed by a capital, is a heading."""
    if len(line) < _SHORT_LINE * width and _SENTENCE_END.search(line):
        return True
    return (
        len(line) < _HEADING_LINE * width
        and not _SENTENCE_END.search(line)
        and current == line
        and following is not None
        and following.text[:1].isupper()
    )


@dataclass(frozen=True, slots=True)
class _Page:
    """What is usual on one page, against which a line is judged: the width of a full line,
    the body's type size, the spacing of lines, and whether paragraphs are set apart by
    space (then a short line is just a short line, ragged right, and only pages without
    such space need the short-line rule)."""

    width: int
    body_size: float
    leading: float
    spaced: bool


def _page(kept: Sequence[_Line]) -> _Page:
    """Measure a page from its kept lines; gaps count only downwards (a column jump is none)."""
    gaps = [a.y - b.y for a, b in itertools.pairwise(kept) if a.y > b.y]
    leading = _median(gaps)
    return _Page(
        width=_typical_width(kept),
        body_size=_median([line.size for line in kept]),
        leading=leading,
        spaced=any(gap > _PARAGRAPH_GAP * leading for gap in gaps),
    )


def _kept_lines(lines: Sequence[_Line], drop: set[str]) -> list[_Line]:
    """A page's lines without running headers, footers and bare page numbers."""
    return [
        line
        for line in lines
        if _normal(line.text) not in drop and not _PAGE_NUMBER.match(line.text)
    ]


def _is_heading(line: _Line, page: _Page) -> bool:
    return line.size > _HEADING_SIZE * page.body_size


def _starts_paragraph(line: _Line, previous: _Line, current: str, page: _Page) -> bool:
    """Layout that puts ``line`` in a new paragraph: larger type, a wider gap above it, a jump
    back up the page (the top of the next column) after a finished sentence, or a bullet."""
    return (
        _is_heading(line, page)
        or bool(page.leading and previous.y - line.y > _PARAGRAPH_GAP * page.leading)
        or (line.y > previous.y and _SENTENCE_END.search(current) is not None)
        or _BULLET.match(line.text) is not None
    )


def _closes_paragraph(line: _Line, current: str, page: _Page, following: _Line | None) -> bool:
    """A heading is a paragraph of its own; on pages without space between paragraphs a
    short line may end one (:func:`_ends_paragraph`)."""
    return _is_heading(line, page) or (
        not page.spaced and _ends_paragraph(line.text, current, page.width, following)
    )


def _close(paragraphs: list[str], current: str) -> str:
    """Add the paragraph being built, if any, to ``paragraphs``; the next one starts empty."""
    if current:
        paragraphs.append(current)
    return ""


def _paragraphs(pages: Sequence[list[_Line]]) -> list[str]:
    drop = _repeated_edges([[line.text for line in lines] for lines in pages])
    paragraphs: list[str] = []
    current = ""
    for lines in pages:
        kept = _kept_lines(lines, drop)
        page = _page(kept)
        for i, line in enumerate(kept):
            if i and _starts_paragraph(line, kept[i - 1], current, page):
                current = _close(paragraphs, current)
            current = _join(current, line.text)
            following = kept[i + 1] if i + 1 < len(kept) else None
            if _closes_paragraph(line, current, page, following):
                current = _close(paragraphs, current)
        # A paragraph that ends a page without ending a sentence goes on on the next page.
        if current and _SENTENCE_END.search(current):
            current = _close(paragraphs, current)
    _close(paragraphs, current)
    return paragraphs


def _info_date(value: object) -> str | None:
    return value.date().isoformat() if hasattr(value, "date") else None


def extract_pdf(raw: bytes, name: str) -> Extract:
    """Text and document info of a PDF; ArticleError if it cannot be read or has no text."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArticleError(f"{name}: the PDF is password-protected; save an unprotected copy")
        pages = [_page_lines(page) for page in reader.pages]
        info = reader.metadata
    except ArticleError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ArticleError(f"{name}: not a readable PDF ({exc}); re-save or export it") from exc
    paragraphs = _paragraphs(pages)
    if not paragraphs:
        raise ArticleError(
            f"{name}: the PDF has no text layer (a scanned PDF?); "
            "run it through OCR, or copy its text and paste it"
        )
    title = author = date = None
    if info is not None:
        title = " ".join((info.title or "").split()) or None
        author = " ".join((info.author or "").split()) or None
        try:
            date = _info_date(info.creation_date)
        except (ValueError, TypeError):  # a malformed date string in the info dictionary
            date = None
    if author is None:
        # Most PDFs of news stories leave the Author field empty; the byline is on the page.
        author = byline_author(line.text for line in (pages[0] if pages else ()))
    return Extract(tuple(paragraphs), title, author, date)
