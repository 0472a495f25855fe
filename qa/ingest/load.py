"""Articles from what people actually have: a plain-text file, a saved web page, a PDF, or
text pasted into a box.

:func:`load_article` reads a file (or uploaded bytes), decides by its content what it is
(:mod:`qa.ingest.sniff`), and extracts the article's text and metadata
(:mod:`qa.ingest.html`, :mod:`qa.ingest.pdf`). The extracted text is the
:attr:`Article.text` every offset refers to: paragraphs separated by blank lines. The user's
file is only ever read.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal

from qa.core.errors import ArticleError
from qa.core.types import Article, ArticleMeta
from qa.ingest.byline import byline_author
from qa.ingest.extract import Extract
from qa.ingest.sniff import Kind, is_page_source, sniff
from qa.ingest.text import article_from_text

__all__ = [
    "MAX_BYTES",
    "MAX_WORDS",
    "SUFFIXES",
    "article_from_paste",
    "load_article",
    "load_articles",
    "misplaced_source",
]

#: Largest file accepted (bytes): a long news article is well under 1 MB even as a saved page.
MAX_BYTES = 5_000_000
#: Longest article accepted (words): a long read is 10-20k words; far longer is a book or a
#: dump, slow to index and not what a question about "the article" means.
MAX_WORDS = 50_000
#: File name endings a folder is searched for (the content decides how each is read).
SUFFIXES = frozenset({".txt", ".html", ".htm", ".pdf"})

# A plain-text article often starts with its headline and a byline; both stay in the text.
_HEADLINE_MAX_WORDS = 20
# A "word" longer than this is a URL, a hash or encoded data rather than prose.
_LONGEST_WORD = 40
_WORDLIKE = re.compile(r"[^\W_]")
_ORDINARY_SHARE = 0.5
# The byline is among the first lines; no need to split a whole long article to find it.
_BYLINE_CHARS = 2_000


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _too_big(label: str, size: int, max_bytes: int) -> ArticleError:
    return ArticleError(
        f"{label}: the file is {_size(size)}; the limit is {_size(max_bytes)} "
        "(save just the article, or paste its text)"
    )


def _read(path: Path, max_bytes: int) -> bytes:
    # Opening a FIFO or a character device would block or never end; refuse before reading.
    if path.is_symlink() and not path.exists():
        raise ArticleError(f"cannot read article {path}: it is a broken symbolic link")
    if not path.exists():
        raise ArticleError(f"article not found: {path}")
    if not path.is_file():
        raise ArticleError(f"cannot read article {path}: not a regular file (FIFO, device, ...)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_big(str(path), size, max_bytes)
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise ArticleError(f"cannot read article {path}: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise _too_big(str(path), len(raw), max_bytes)
    return raw


def _plain_meta(article: Article) -> tuple[str | None, str | None]:
    """Headline and author of a plain-text article whose first lines are a headline and a
    byline ("By Jane Doe", "Jane Doe, Reuters"; see :mod:`qa.ingest.byline`); (None, None)
    when it starts with prose (most do)."""
    spans = article.paragraphs
    first = article.text[spans[0][0] : spans[0][1]]
    title = None
    headline_like = (
        len(spans) > 1
        and "\n" not in first
        and len(first.split()) <= _HEADLINE_MAX_WORDS
        and not first.rstrip().endswith((".", "!", "?", ":", '"', "\u201d"))
    )
    if headline_like:
        title = first.strip()
    # Lines, not paragraphs: a pasted story often has no blank line between its headline,
    # its byline and its first paragraph.
    author = byline_author(article.text[:_BYLINE_CHARS].splitlines())
    if author is not None and title is not None and title.lower().startswith("by "):
        title = None
    return title, author


def _from_text(text: str, name: str, path: Path | None, source: str) -> Article:
    article = article_from_text(text, name=name, path=path)
    title, author = _plain_meta(article)
    return replace(article, meta=ArticleMeta("text", source, title, author))


def _from_paragraphs(
    paragraphs: tuple[str, ...], name: str, path: Path | None, meta: ArticleMeta
) -> Article:
    article = article_from_text("\n\n".join(paragraphs) + "\n", name=name, path=path)
    return replace(article, meta=meta)


def _decode_text(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{label}: not valid UTF-8 (byte {exc.start}); re-save the article as UTF-8"
        ) from exc


def _load_bytes(raw: bytes, kind: Kind, name: str, label: str, path: Path | None) -> Article:
    source = str(path) if path is not None else name
    if kind == "text":
        return _from_text(_decode_text(raw, label), name, path, source)
    if kind == "html":
        from qa.ingest.html import extract_html

        page = extract_html(raw)
        if not page.paragraphs and not is_page_source(raw):
            # Text that only quotes some tags (an article about web security, a hostile
            # file) is judged by its tags alone; with no page around them it is just text.
            return _from_text(_decode_text(raw, label), name, path, source)
        if not page.paragraphs:
            raise ArticleError(
                f"{label}: no article text found in this web page; "
                "save the article's own page, or paste its text"
            )
        return _from_extract(page, "html", name, path, source)
    from qa.ingest.pdf import extract_pdf

    return _from_extract(extract_pdf(raw, label), "pdf", name, path, source)


def _from_extract(
    found: Extract, kind: Kind, name: str, path: Path | None, source: str
) -> Article:
    meta = ArticleMeta(kind, source, found.title, found.author, found.date, found.site)
    return _from_paragraphs(found.paragraphs, name, path, meta)


def load_article(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_words: int | None = MAX_WORDS,
) -> Article:
    """An article from a file path, or from the bytes of an uploaded file.

    The content decides the format (PDF, HTML or plain UTF-8 text), not the file name.
    ``name`` names the article in answers (default: the file name, or ``"upload"``).
    Raises :class:`ArticleError` with a one-line message for a missing, over-size, empty,
    binary, undecodable or text-less file, or an article over ``max_words`` words.
    """
    if isinstance(source, bytes):
        label = name or "upload"
        if len(source) > max_bytes:
            raise _too_big(label, len(source), max_bytes)
        article = _load_bytes(source, sniff(source, label), label, label, None)
    else:
        path = Path(source).expanduser()
        raw = _read(path, max_bytes)
        label = str(path)
        article = _load_bytes(raw, sniff(raw, label), name or path.name, label, path)
    return _within(article, label, max_words)


def _within(article: Article, label: str, max_words: int | None) -> Article:
    """The article, if it is of a size (None: any) and a make-up that can be an article."""
    words = article.text.split()
    if max_words is not None and len(words) > max_words:
        raise ArticleError(
            f"{label}: the article is {len(words):,} words long; the limit is {max_words:,} "
            "(split it into several files in a folder)"
        )
    # Encoded data, hashes or one endless token decode as text but hold no words to search.
    ordinary = sum(1 for word in words if len(word) <= _LONGEST_WORD and _WORDLIKE.search(word))
    if ordinary < _ORDINARY_SHARE * len(words):
        raise ArticleError(
            f"{label}: does not look like an article (too few ordinary words); "
            "open a web page (.html), a PDF or a plain-text file"
        )
    return article


def article_from_paste(
    text: str,
    *,
    name: str = "pasted text",
    max_chars: int = MAX_BYTES,
    max_words: int = MAX_WORDS,
) -> Article:
    """An article from text pasted into a box: plain text, or the source of a web page."""
    if not isinstance(text, str):
        raise ArticleError(f"{name}: pasted text must be a string, not {type(text).__name__}")
    if len(text) > max_chars:
        raise ArticleError(
            f"{name}: {len(text):,} characters pasted; the limit is {max_chars:,} "
            "(paste just the article)"
        )
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ArticleError(
            f"{name}: not valid Unicode text (lone surrogate at character {exc.start})"
        ) from exc
    if not text.strip():
        raise ArticleError(f"{name}: nothing was pasted; paste the article's text")
    kind = sniff(raw, name)
    if kind == "pdf":
        raise ArticleError(f"{name}: this is the inside of a PDF file; open the file instead")
    if kind == "text":
        # Keep exactly what was pasted (bar a byte-order mark), so offsets match it.
        article = _from_text(text.removeprefix("\ufeff"), name, None, name)
    else:
        article = _load_bytes(raw, kind, name, name, None)
    return _within(article, name, max_words)


_URL = re.compile(r"""^\W{0,3}(?:https?://|www\.)[^\s"'<>]+\W{0,3}$""", re.I)
_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]{0,300}>", re.I)
_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+[\"'\u201c\u2018(]?[A-Z]")
# Questions are short; a pasted article is long and has many sentences or paragraphs.
_ARTICLE_WORDS = 80
_PAGE_SOURCE_WORDS = 12
_ARTICLE_SENTENCES = 4
_PARAGRAPHS_WORDS = 40


def misplaced_source(text: str) -> Literal["url", "html", "article"] | None:
    """What a "question" really is when it is an article to load instead: a web address,
    the source of a web page, or an article's text; None for anything that may be a question.
    """
    stripped = text.strip()
    if _URL.match(stripped):
        return "url"
    head = stripped[:20_000]
    if head[:15].lower().startswith(("<!doctype", "<html")):
        return "html"
    # A few tags in a short line are a (strange) question; page source has words between them.
    prose = [w for w in _TAG.sub(" ", head).split() if any(c.isalpha() for c in w)]
    if len(_TAG.findall(head)) >= 3 and len(prose) >= _PAGE_SOURCE_WORDS:
        return "html"
    words = len(head.split())
    sentences = len(_SENTENCE.findall(head)) + 1
    paragraphs = len(re.findall(r"\S\s*\n\s*\n\s*\S", head)) + 1
    if words >= _ARTICLE_WORDS and sentences >= _ARTICLE_SENTENCES:
        return "article"
    if words >= _PARAGRAPHS_WORDS and paragraphs >= 2 and sentences >= 2:
        return "article"
    return None


def _read_article(path: Path, name: str) -> Article:
    # The word limit protects a server from pasted or uploaded text; a file the user names
    # on their own machine may be a long report, bounded by the byte limit alone.
    return load_article(path, name=name, max_words=None)


def _article_files(folder: Path) -> Iterator[Path]:
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
    :func:`load_article`): a web page saved as ``.txt`` is still a web page.

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
