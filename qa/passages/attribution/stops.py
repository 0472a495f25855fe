"""Where the clause around an offset ends, for the attribution stages.

This is not sentence splitting: :func:`qa.text.sentences.split_sentences` cuts a whole span
into sentences and wants a capital after a stop, while attribution asks, from one offset in
the middle of a paragraph, where the statement it is reading stops. For that a semicolon ends
the statement too ("X, the mayor; she said ...") and no capital need follow the stop.
"""

from __future__ import annotations

import re

__all__ = ["abbreviation_stop", "clause_end", "past_clause_end"]

# Words whose full stop ends no clause ("Mr.", "U.S.", "Jan.", an initial). Not the list of
# qa.text.sentences, which looks at a whole token: this one reads the five characters before a
# stop, as the attribution stages were tuned with.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St|Jr|Sr|Inc|Co|"
    r"Corp|Ltd|No|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|U\.K|D\.C|a\.m|p\.m|Del|"
    r"Mt|Ft|Ave|Blvd|Dept|Univ|vs)$"
)
# A line break ends a clause for titles and cue objects: a title never runs into the next line.
_CLAUSE_STOP = re.compile(r"[.!?;](?=\s|$)|\n")
# After an attribution, the stop may be followed by the quote mark that closes the sentence.
_CLAUSE_STOP_AND_MARK = re.compile(r"[.!?;][\u201d\u2019\"']?(?=\s|$)")


def abbreviation_stop(text: str, at: int) -> bool:
    """The full stop at ``at`` closes an abbreviation, so the clause goes on."""
    return text[at] == "." and _ABBREVIATION.search(text, max(0, at - 5), at) is not None


def clause_end(text: str, start: int) -> int:
    """Offset of the stop (``.!?;`` or a line break) that ends the clause holding ``start``,
    or the end of the text."""
    for match in _CLAUSE_STOP.finditer(text[start:]):
        at = start + match.start()
        if not abbreviation_stop(text, at):
            return at
    return len(text)


def past_clause_end(text: str, start: int, limit: int) -> int:
    """Offset just past the stop, and the closing quote mark after it, that ends the clause
    holding ``start``; ``limit`` when none comes before it.

    Past the mark, so that a quote closing the attribution's own sentence is not mistaken for
    a quote after it. Unlike :func:`clause_end`, a line break is no stop here: the stage that
    uses it was tuned (and scored on PolNeAR) with stops by punctuation only.
    """
    for stop in _CLAUSE_STOP_AND_MARK.finditer(text, start, limit):
        if not abbreviation_stop(text, stop.start()):
            return stop.end()
    return limit
