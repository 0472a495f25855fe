"""A saved web page -> the article's own paragraphs and its title, author, date and site.

trafilatura finds the main text and the metadata; this module turns its output into
paragraphs (one per block, blank lines between them) and then removes what trafilatura is
known to let through on real news pages, with rules that hold for any site rather than
per-site patches:

* link teasers inside the body ("Read more: <link>", "Related: <link>");
* "related stories" boxes: a block whose paragraphs are mostly excerpts cut off with "[…]";
* photo captions and credits, copyright lines ("(Credit: Jane Doe / Agency)", "... Photo: AP");
* the headline repeated at the top of the body, with a section label or dateline above it;

and puts back what it is known to miss:

* the headline as printed (the page's ``<h1>``) when the ``<title>`` or the social-media
  title is a shortened or suffixed variant of it;
* a syndication note ("This post originally appeared on ...") outside the body it chose;
* the schema.org ``articleBody`` when the page renders its text with scripts, so that the
  body trafilatura sees is only a caption.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from qa.ingest.extract import Extract
from qa.text.sentences import split_sentences

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["extract_html"]

# A paragraph that only points elsewhere: a label, then (mostly) a link.
_TEASER_LABEL = re.compile(
    r"^\W*(?:read|see|watch|listen)(?:\s+(?:more|also|next|this))?\s*:"
    r"|^\W*(?:related|more|also read|further reading|recommended|editor'?s picks?)\s*:",
    re.I,
)
# An excerpt cut short by a listing page: "... and the [...]"; in a group of several, a bare
# ellipsis counts too (alone, a paragraph may end "..." on purpose).
_CUT_SHORT = re.compile(r"\[\s*(?:\u2026|\.\.\.)\s*\]\s*$")
_TRUNCATED = re.compile(r"(?:\[\s*(?:\u2026|\.\.\.)\s*\]|\u2026|\.\.\.)\s*$")
# A caption credit on its own line; long paragraphs that merely start this way are kept.
_CREDIT = re.compile(
    r"^\W*(?:(?:photo|image|picture|video|illustration|graphic)s?\s*)?"
    r"(?:credits?|courtesy|source)\s*:|^\W*(?:photo(?:graph)?|image|illustration)s?\s+by\b",
    re.I,
)
_CREDIT_MAX_WORDS = 16
# A photo caption ends with its credit: "... in Taipei on December 29. Photo: AP".
_CAPTION_END = re.compile(
    r"(?:photo(?:graph)?|image|picture|illustration)s?\s*:\s*[^.:]{1,60}\.?\s*$", re.I
)
_CAPTION_MAX_WORDS = 45
_COPYRIGHT = re.compile(r"^\W*(?:\u00a9|\(c\)\s|copyright\b)", re.I)
# "This post originally appeared on Grist." / "This story was first published by ...".
_SYNDICATION = re.compile(
    r"^\s*(?:this|the)\s+(?:post|story|article|piece|essay|report)\s+"
    r"(?:was\s+)?(?:originally|first)\s+(?:appeared|published|ran)\b",
    re.I,
)
_SYNDICATION_MAX_WORDS = 30
_BLOCKS = frozenset({"p", "head", "quote", "item", "code", "row"})
_CONTAINERS = frozenset({"div", "list", "main", "body", "section", "table", "cell", "hi"})
_PLAIN_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre"})
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "script", "style", "form"})
_SPACES = re.compile(r"[^\S\n]+")
_QUOTES = str.maketrans({"\u2032": "'", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|\u2013|\u2014|/|\u00b7|::)\s+")
# A schema.org body is used when the extracted body is this much shorter than it.
_BODY_RATIO = 0.5
_BODY_MIN_WORDS = 80
_PARAGRAPH_WORDS = 90
# A page whose extracted text has no paragraph this long holds no article (only a menu).
_PROSE_MIN_WORDS = 10
# The headline repeated in the body is looked for this near its top, below labels this short.
_HEADLINE_WITHIN = 3
_LABEL_MAX_WORDS = 6


def _normal(text: str) -> str:
    """For comparing headline variants: case, quote shapes and spacing do not count."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def _clean_block(text: str) -> str:
    """Spaces collapsed, lines trimmed, no blank line left (a blank line would end the
    paragraph in :func:`qa.text.sentences.split_paragraphs`)."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _block_text(element: HtmlElement) -> str:
    # trafilatura marks line breaks as <lb/>; everything else is running text.
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        parts.append("\n" if node.tag == "lb" else node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return _clean_block("".join(parts))


def _link_share(element: HtmlElement, text: str) -> float:
    linked = sum(len(" ".join(ref.itertext()).strip()) for ref in element.iter("ref"))
    return linked / max(1, len(text))


def _is_furniture(element: HtmlElement, text: str) -> bool:
    words = len(text.split())
    if _TEASER_LABEL.match(text) and (_link_share(element, text) >= 0.4 or words <= 15):
        return True
    if _CAPTION_END.search(text) and words <= _CAPTION_MAX_WORDS:
        return True
    return bool(_CREDIT.match(text) or _COPYRIGHT.match(text)) and words <= _CREDIT_MAX_WORDS


def _blocks(element: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """(element, text) of each paragraph-like block under ``element``, in order."""
    for child in element:
        if child.tag in _BLOCKS:
            text = _block_text(child)
            if text:
                yield child, text
        elif child.tag in _CONTAINERS or len(child):
            yield from _blocks(child)


def _is_teaser_box(container: HtmlElement) -> bool:
    """A group of several excerpts, most cut off with an ellipsis: a "related" list."""
    texts = [text for _, text in _blocks(container)]
    truncated = sum(1 for text in texts if _TRUNCATED.search(text))
    return len(texts) >= 3 and truncated * 2 >= len(texts)


def _body_paragraphs(body: HtmlElement) -> list[str]:
    for container in list(body.iter("div", "list", "section")):
        if container.getparent() is not None and _is_teaser_box(container):
            container.getparent().remove(container)
    paragraphs: list[str] = []
    for element, text in _blocks(body):
        if _is_furniture(element, text) or _CUT_SHORT.search(text):
            continue
        if paragraphs and paragraphs[-1] == text:  # a heading or pull quote repeated
            continue
        paragraphs.append(text)
    return paragraphs


def _plain_blocks(tree: HtmlElement) -> list[str]:
    """Paragraphs of a fragment too small for trafilatura (pasted ``<p>`` elements, say):
    the text of each paragraph-like element outside navigation and page furniture."""
    paragraphs: list[str] = []
    for element in tree.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre"):
        outside = all(a.tag not in _FURNITURE_TAGS for a in element.iterancestors())
        nested = any(c.tag in _PLAIN_BLOCKS for c in element.iterdescendants())
        text = _clean_block(element.text_content())
        if outside and not nested and text:  # a nested block is taken on its own
            paragraphs.append(text)
    return paragraphs


def _meta(tree: HtmlElement, *keys: str) -> list[str]:
    found: list[str] = []
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or ""
        content = (meta.get("content") or "").strip()
        if key.lower() in keys and content:
            found.append(content)
    return found


def _headline(tree: HtmlElement, extracted: str | None) -> str | None:
    """The headline as printed: an ``<h1>`` that the page's own titles confirm, else the
    extracted title without a trailing "| Site" suffix."""
    page_title = " ".join((tree.findtext(".//title") or "").split())
    titles = [t for t in (page_title, extracted, *_meta(tree, "og:title", "twitter:title")) if t]
    normal_titles = [_normal(t) for t in titles]
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if len(text.split()) < 3:
            continue
        normal = _normal(text)
        if any(t == normal or t.startswith(normal + " ") for t in normal_titles):
            return text
    if not extracted:
        return None
    parts = _TITLE_SEPARATOR.split(extracted)
    # Keep the leading part when what follows reads like a site name, section or date.
    suffixes_short = all(len(part.split()) <= 5 for part in parts[1:])
    if len(parts) > 1 and len(parts[0].split()) >= 3 and suffixes_short:
        return parts[0].strip()
    return extracted.strip()


def _without_headline(paragraphs: list[str], headline: str | None) -> list[str]:
    """The body without the headline repeated at its top (it is in the metadata), nor the
    section label or dateline above it ("Tech", "October 22, 2019")."""
    if not headline:
        return paragraphs
    wanted = _normal(headline)
    for i, paragraph in enumerate(paragraphs[:_HEADLINE_WITHIN]):
        if _normal(paragraph) == wanted:
            above = paragraphs[:i]
            if all(len(p.split()) <= _LABEL_MAX_WORDS for p in above) and paragraphs[i + 1 :]:
                return paragraphs[i + 1 :]
            break
    return paragraphs


def _json_ld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _schema_body(tree: HtmlElement) -> str | None:
    bodies = [
        item["articleBody"]
        for item in _json_ld(tree)
        if isinstance(item.get("articleBody"), str)
    ]
    return max(bodies, key=len) if bodies else None


def _split_body(body: str) -> list[str]:
    """A schema.org body as paragraphs: its own line breaks when it has them, otherwise
    runs of whole sentences of about ``_PARAGRAPH_WORDS`` words (it often has none)."""
    blocks = [_clean_block(b) for b in re.split(r"\n\s*\n|\n", body)]
    blocks = [b for b in blocks if b]
    if len(blocks) > 1:
        return blocks
    text = _clean_block(body)
    paragraphs: list[str] = []
    current: list[str] = []
    words = 0
    for start, end in split_sentences(text):
        sentence = text[start:end]
        current.append(sentence)
        words += len(sentence.split())
        if words >= _PARAGRAPH_WORDS:
            paragraphs.append(" ".join(current))
            current, words = [], 0
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _syndication_notes(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    present = "\n".join(paragraphs)
    notes: list[str] = []
    for element in tree.iter("p", "div", "span", "em", "i"):
        text = " ".join(element.text_content().split())
        if (
            _SYNDICATION.match(text)
            and len(text.split()) <= _SYNDICATION_MAX_WORDS
            and text not in present
            and text not in notes
        ):
            notes.append(text)
    return notes


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def extract_html(content: bytes | str) -> Extract:
    """The article in a web page; empty ``paragraphs`` when the page holds no article text."""
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    tree = load_html(content)
    extracted = trafilatura.bare_extraction(
        content,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_links=True,
        deduplicate=False,
    )
    # None when trafilatura finds no text (never a dict: as_dict is off).
    document = extracted if isinstance(extracted, Document) else None
    paragraphs = _body_paragraphs(document.body) if document is not None else []
    if not paragraphs and tree is not None:
        paragraphs = _plain_blocks(tree)
    if not any(len(p.split()) >= _PROSE_MIN_WORDS for p in paragraphs):
        paragraphs = []  # menu entries and link lists: no article here
    if tree is None:
        return Extract(tuple(paragraphs), None, None, None, None)
    schema_body = _schema_body(tree)
    if schema_body:
        schema_paragraphs = _split_body(schema_body)
        schema_words = _words(schema_paragraphs)
        if schema_words >= _BODY_MIN_WORDS and _words(paragraphs) < _BODY_RATIO * schema_words:
            paragraphs = schema_paragraphs
    if paragraphs:
        paragraphs += _syndication_notes(tree, paragraphs)
    title = author = date = site = None
    if document is not None:
        author, date, site = document.author, document.date, document.sitename
        title = document.title
    headline = _headline(tree, title)
    return Extract(
        paragraphs=tuple(_without_headline(paragraphs, headline)),
        title=headline,
        author=author or None,
        date=date or None,
        site=site or None,
    )
