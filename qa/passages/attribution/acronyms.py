"""Acronyms an article defines in brackets: ``The Medicines Standards Agency (MSA) said``.

News copy spells a body out once with its acronym in brackets and uses the acronym after that,
so "the MSA said" is the body named in full, one speaker under one name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from qa.text.lexicon import NOT_NAMES

from .names import NAME_RUN

__all__ = ["defined_acronyms"]

_DEFINED = re.compile(rf"(?P<run>{NAME_RUN.pattern})[ \t\u00a0]+\((?P<short>[A-Z][A-Z&]{{1,9}})\)")


def defined_acronyms(text: str, inside: bytes) -> Mapping[str, str]:
    """Acronym -> the name it abbreviates, for every ``Name Of Body (NOB)`` outside quotes
    whose acronym is the initials of the name's last words (with or without its "of", "and"):
    the longest such name, so "The" is left out. An acronym given two names is neither."""
    found: dict[str, set[str]] = {}
    for match in _DEFINED.finditer(text):
        if inside[match.start()]:
            continue
        tokens = match.group("run").split()
        short = match.group("short").replace("&", "")
        for first in range(len(tokens) - 1):
            if tokens[first].lower() in NOT_NAMES:
                continue
            if _initials_fit(tokens[first:], short):
                found.setdefault(match.group("short"), set()).add(" ".join(tokens[first:]))
                break
    return MappingProxyType(
        {short: names.pop() for short, names in found.items() if len(names) == 1}
    )


def _initials_fit(tokens: list[str], short: str) -> bool:
    every = "".join(t[0] for t in tokens).upper()
    capitals = "".join(t[0] for t in tokens if t[0].isupper())
    return short in (every, capitals)
