"""The byline of an article whose source has no author field: plain text and PDFs.

A byline is a short line of its own near the top: "By Dana Whitfield", "By DANA WHITFIELD
and Tom Hale", "By Dana Whitfield, Reuters" or "Dana Whitfield, Reuters" (a name followed by a
news agency or a staff role). Only such whole lines count, so a sentence that merely starts
with "By" ("By noon the pumps had stopped.") is never taken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["BYLINE_LINES", "byline_author"]

#: How many of the first non-empty lines may hold the byline (headline, kicker, dateline, ...).
BYLINE_LINES = 6

# Two to four words: "By Friday" on a line of its own is not a byline.
_NAME = r"[A-Z][\w'\u2019.-]+(?:\s+(?:[A-Z][\w'\u2019.-]+|van|von|de|da|del|di|le|la|bin)){1,3}"
_NAMES = rf"{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*"
_AGENCY = (
    r"(?:Reuters|Associated\s+Press|AP|AFP|Agence\s+France-Presse|Bloomberg(?:\s+News)?|dpa"
    r"|Xinhua|PA(?:\s+Media)?|Press\s+Association|Kyodo|ANSA|EFE|Canadian\s+Press|CNN|BBC"
    r"(?:\s+News)?)"
)
_ROLE = (
    r"(?:(?:senior\s+|chief\s+|staff\s+|special\s+|political\s+|business\s+|science\s+)?"
    r"(?:writer|reporter|correspondent|editor|journalist))"
)
_AFTER = (
    rf"(?:\s*[,|/\u2013\u2014-]\s*(?:{_AGENCY}|(?i:{_ROLE}))"
    r"|\s+(?i:for)\s+[A-Z].*)"
)
_BY = re.compile(rf"^(?i:by)\s+(?P<names>{_NAMES}?){_AFTER}?\s*$")
_AGENCY_LINE = re.compile(rf"^(?P<names>{_NAME}){_AFTER}\s*$")
# Agencies and roles are not people: "By Reuters" has no author to name.
_NOT_A_NAME = re.compile(rf"^(?:{_AGENCY}|(?i:{_ROLE}|staff|the\s+.*))$")


def byline_author(lines: Iterable[str]) -> str | None:
    """The author named by a byline among the first :data:`BYLINE_LINES` non-empty
    ``lines``: "Dana Whitfield" for "By Dana Whitfield" or "Dana Whitfield, Reuters"; None
    when there is none."""
    seen = 0
    for line in lines:
        text = " ".join(line.split())
        if not text:
            continue
        seen += 1
        if seen > BYLINE_LINES:
            return None
        match = _BY.match(text) or _AGENCY_LINE.match(text)
        if match is None:
            continue
        names = match.group("names").strip(" ,")
        if names and not _NOT_A_NAME.match(names):
            return names
    return None
