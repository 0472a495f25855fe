"""Paragraphs and sentences of a text, as exact character offsets.

A paragraph is a run of non-blank lines; one or more blank (whitespace-only) lines separate
paragraphs, a single newline stays inside its paragraph. Offsets index the decoded text and
are never shifted by display clean-up: ``text[start:end]`` is always the passage verbatim.
"""

from __future__ import annotations

import re

__all__ = ["fold_whitespace", "quote_depths", "split_paragraphs", "split_sentences"]


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
