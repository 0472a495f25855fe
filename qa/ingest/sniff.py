"""What kind of document a byte string holds, judged by its content rather than its name.

A page saved as ``.txt``, a text file renamed ``.html`` or a PDF without an extension are
all common; the extension is only a hint in error messages.
"""

from __future__ import annotations

import re
from typing import Literal

from qa.core.errors import ArticleError

__all__ = ["Kind", "is_page_source", "sniff"]

Kind = Literal["text", "html", "pdf"]

#: Magic numbers of files people upload by mistake, so the error can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub is one)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_PDF_MAGIC = b"%PDF-"
# The PDF specification lets the header start anywhere in the first 1024 bytes.
_PDF_HEADER_WINDOW = 1024
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|article|main)\b",
    re.I | re.S,
)
_HTML_TAG = re.compile(
    rb"</?(?:p|div|span|a|br|h[1-6]|li|ul|ol|table|tr|td|article|section|script|style|img|em|"
    rb"strong|b|i|blockquote|figure|header|footer|nav)\b[^>]{0,400}>",
    re.I,
)
_SNIFF_BYTES = 65_536
# Pasted page source without a doctype: many tags, and tags take a good share of the bytes.
_MIN_TAGS = 4
_MIN_TAG_SHARE = 0.05


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def is_page_source(raw: bytes) -> bool:
    """Whether ``raw`` opens like a whole web page (a doctype, ``<html>``, ``<head>`` ...),
    rather than text that merely contains tags."""
    return bool(_HTML_START.match(raw[:_SNIFF_BYTES]))


def sniff(raw: bytes, name: str) -> Kind:
    """``pdf``, ``html`` or ``text``; ArticleError for binary files of other kinds."""
    if _PDF_MAGIC in raw[:_PDF_HEADER_WINDOW]:
        return "pdf"
    known = _binary_kind(raw[:16])
    if known is not None:
        raise ArticleError(
            f"{name}: looks like a binary file ({known}), not an article; "
            "open a web page (.html), a PDF or a plain-text file"
        )
    head = raw[:_SNIFF_BYTES]
    if b"\x00" in head or b"\x00" in raw:
        raise ArticleError(f"{name}: looks like a binary file (contains NUL bytes), not plain text")
    if _HTML_START.match(head):
        return "html"
    tags = _HTML_TAG.findall(head)
    if len(tags) >= _MIN_TAGS and sum(map(len, tags)) >= _MIN_TAG_SHARE * len(head):
        return "html"
    return "text"
