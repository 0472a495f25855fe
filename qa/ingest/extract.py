"""What every format's extractor returns, so loading treats a web page and a PDF alike."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Extract"]


@dataclass(frozen=True, slots=True)
class Extract:
    """The article's paragraphs (no blank lines inside) and its metadata (None where the
    source does not say)."""

    paragraphs: tuple[str, ...]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
