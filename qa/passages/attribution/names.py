"""Stage 2a: the names an article mentions outside quotes.

A capitalised run is split into title words and a name ("Wells Fargo CEO | John Stumpf"), or
set aside when it names a place, a body or a numbered thing. What the article says of each
person is read by :mod:`.titles`, and :mod:`.registry` gathers both for the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from qa.text.lexicon import (
    COMPANY_WORDS,
    HONORIFICS,
    NOT_NAMES,
    ORG_NOUNS,
    ORG_WORDS,
    ROLE_NOUNS,
    TITLE_WORDS,
)

__all__ = [
    "NAME_RUN",
    "Name",
    "business_names",
    "is_premodifier",
    "is_title_word",
    "modifies_role",
    "names_in",
    "organisation_names",
    "split_run",
]

_NAME_TOKEN = r"(?:[A-Z]\.(?:[A-Z]\.)*|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St|Del)\.|[A-Z][\w\u2019'\-]*\w)"  # noqa: E501
# Up to two particles: "Pieter van der Berg".
_NAME_PARTICLE = r"(?:(?:de|da|di|van|von|der|den|bin|al|la|le|del|of)[ \t\u00a0]+){0,2}"
#: A capitalised run: the candidate for a name, a title and a name, or a body.
NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:[ \t\u00a0]+{_NAME_PARTICLE}{_NAME_TOKEN})*")
_HONORIFIC_WORDS = frozenset({"mr", "mrs", "ms", "dr"})
_GENERATIONAL = frozenset({"II", "III", "IV", "Jr.", "Sr."})
# What may follow a name before the next space: a closing bracket, sentence punctuation and a
# closing quote mark, in news order. Anything else ("Robert');") is code or junk, not a name.
_NAME_TAIL = re.compile(
    r"(?:['\u2019]s?(?=[\s\u00a0]|$))?\.?[)\]]?[,.;:!?\u2026]{0,3}(?:''|[\u201d\u2019\"'])?[)\]]?"
    r"(?=[\s\u00a0\u2014\u2013/\-]|$)"
)
_NUMBERED = re.compile(r"[ \t\u00a0]+\d")
_ROLE_AFTER = re.compile(r"[ \t\u00a0]+([a-z][a-z\-]*)\b")
# Words that make the name after them a place: "from the village of Dunmore Cross", "in Ely",
# and the state after its town: "in Herndon, Virginia".
_PLACE_BEFORE = re.compile(
    r"""(?:\b(?:in|at|from|near|into|across|outside|inside|around|through|towards?|via)
         |\b(?:village|town|city|county|district|region|province|state|island|parish|borough
            |suburb|municipality|country)[ \t\u00a0]+of)
        [ \t\u00a0]+(?:the[ \t\u00a0]+)?
        (?:[A-Z][\w.\-]*(?:[ \t\u00a0]+[A-Z][\w.\-]*)?,[ \t\u00a0]+)?$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Council on | Foreign Relations", "Center for | American Progress": a run after these is the
# rest of a body's name (the particle "of" is inside NAME_RUN already).
_BODY_BEFORE = re.compile(r"\b([A-Z][a-z]+)[ \t\u00a0]+(?:on|for)[ \t\u00a0]+$")
_TITLE_CASE_WORDS = 5  # long words a line needs before its capitals say "headline"


@dataclass(frozen=True, slots=True)
class Name:
    """A proper-name occurrence outside quotes, split into title words and the name itself."""

    start: int
    end: int
    name: str
    title: str | None
    possessive: bool
    gender: str | None
    place: bool = False  # object of a locative phrase ("from the village of X"): never "she"



def split_run(text: str, start: int, end: int) -> Name | None:
    """A capitalised run as a person's name, or None when it names a place or a body."""
    if not _may_hold_a_name(text, start, end):
        return None
    tokens, possessive = _run_tokens(text[start:end])
    first, gender = _name_start(tokens)
    title_end = _title_end(tokens, first)
    if _names_no_person(text, start, tokens, first, title_end):
        return None
    offsets = _token_offsets(text, start, tokens)
    title = " ".join(t for t in tokens[first:title_end] if t.lower() not in HONORIFICS) or None
    name_start = offsets[title_end]
    name_end = offsets[-1] + len(tokens[-1])
    # "praise from President Vladimir Putin": a titled name stays a person after a preposition.
    place = not title and not gender and _PLACE_BEFORE.search(text, max(0, start - 40), start)
    return Name(name_start, name_end, text[name_start:name_end], title, possessive, gender,
                bool(place))


def _may_hold_a_name(text: str, start: int, end: int) -> bool:
    """What stands around the run leaves room for a person's name in it."""
    if not _NAME_TAIL.match(text, end) or is_premodifier(text, start, end):
        return False
    if _NUMBERED.match(text, end) and not text[start:end].endswith(("'s", "\u2019s")):
        return False  # "Steelworkers Local 88", "Route 9": a numbered thing, not a person
    # "the former New Mexico governor": a place or body modifying a role.
    return not modifies_role(text, end)


def _run_tokens(run: str) -> tuple[list[str], bool]:
    """The run's words, without a possessive ending, and whether it had one."""
    possessive = run.endswith(("'s", "\u2019s"))
    if possessive:
        run = run[:-2]
    tokens = run.split()
    for index in range(1, len(tokens)):
        # "of" joins a title ("Secretary of State John Kerry"), never a name to a place.
        if tokens[index] == "of" and tokens[index - 1].lower() not in TITLE_WORDS:
            return tokens[:index], False
    return tokens, possessive


def _name_start(tokens: list[str]) -> tuple[int, str | None]:
    """Index of the first word that may belong to the title or the name, past an owner, a
    sentence's first word and honorifics; and the gender an honorific gives."""
    first = 0
    for index, token in enumerate(tokens[:-1]):
        if token.endswith(("'s", "\u2019s")):  # "NBC's Dante Chinni": the owner is no name
            first = index + 1
    first = _inner_honorific(tokens, first)
    gender: str | None = None
    while first < len(tokens) and tokens[first].lower().rstrip(".") in NOT_NAMES:
        gender = HONORIFICS.get(tokens[first].lower(), gender)
        first += 1
    return first, gender


def _inner_honorific(tokens: list[str], first: int) -> int:
    """``Should Mr. Clarke's company``: an honorific inside the run, after words that are no
    title, starts the name; what comes before it is a sentence's first word."""
    for index in range(first + 1, len(tokens) - 1):
        before = tokens[first:index]
        if tokens[index].lower().rstrip(".") in _HONORIFIC_WORDS and not all(
            t.lower() in TITLE_WORDS for t in before
        ):
            return index
    return first


def _title_end(tokens: list[str], first: int) -> int:
    """Index just past the last title word before the name's last word: the last title word
    closes the pre-modifier ("Wells Fargo CEO | John Stumpf")."""
    title_end = first
    for index in range(first, len(tokens) - 1):
        if is_title_word(tokens[index]) and tokens[index] != "of":
            title_end = index + 1
    return title_end


def _names_no_person(text: str, start: int, tokens: list[str], first: int, title_end: int
                     ) -> bool:
    """The words left for the name belong to a body, a place or an acronym, or to nothing."""
    name_tokens = tokens[title_end:]
    if not name_tokens:
        return True
    if any(t.lower().rstrip(".") in ORG_WORDS or t.lower() in NOT_NAMES for t in name_tokens):
        return True
    if any(_is_acronym(t) for t in name_tokens):
        return True  # acronyms name bodies (CPC, NATO), not people
    if first == 0 and re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 5) : start], re.I):
        return True
    body = _BODY_BEFORE.search(text, max(0, start - 30), start)
    # "Commission on Presidential Debates": the tail of a body's name.
    return body is not None and body.group(1).lower() in ORG_WORDS


def _is_acronym(token: str) -> bool:
    """``NATO``, ``CPC``: capitals only, no initials ("J.") and no generation ("III")."""
    return len(token) > 1 and token.isupper() and "." not in token and token not in _GENERATIONAL


def _token_offsets(text: str, start: int, tokens: list[str]) -> list[int]:
    """Where each of the run's words starts in ``text``."""
    offsets: list[int] = []
    cursor = start
    for token in tokens:
        cursor = text.index(token, cursor)
        offsets.append(cursor)
        cursor += len(token)
    return offsets


def is_title_word(word: str) -> bool:
    """A word that may stand in a title before a name, hyphenated ones included when every
    part is a title word: "Vice-Chancellor", "Attorney-General", "Deputy-Mayor"."""
    lower = word.lower()
    if lower in TITLE_WORDS:
        return True
    parts = lower.split("-")
    return len(parts) > 1 and all(part in TITLE_WORDS for part in parts)


def modifies_role(text: str, end: int) -> bool:
    """The capitalised run ending at ``end`` stands before a lower-case role noun."""
    role = _ROLE_AFTER.match(text, end)
    return role is not None and role.group(1) in ROLE_NOUNS


def is_premodifier(text: str, start: int, end: int) -> bool:
    """``Local councillor Brian Keane``: a capitalised run of title words only, followed by
    lower-case title words and a name, is the name's title, not a name of its own."""
    tokens = text[start:end].split()
    if not all(is_title_word(t) for t in tokens):
        return False
    follow = re.match(r"((?:[ \t\u00a0]+[a-z][\w\-]*){1,3})[ \t\u00a0]+[A-Z]", text[end:])
    return follow is not None and all(w in TITLE_WORDS for w in follow.group(1).split())


def _title_case_lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Lines of ``text[lo:hi]`` written in Title Case ("[Video: President Obama Speech at
    Black Caucus Foundation]"): capitals there mark no names, so runs in them are skipped."""
    lines: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[lo:hi]):
        long_words = re.findall(r"[^\W\d_][\w'\u2019\-]{3,}", line.group())
        capitals = sum(w[0].isupper() for w in long_words)
        if len(long_words) >= _TITLE_CASE_WORDS and capitals >= 0.8 * len(long_words):
            lines.append((lo + line.start(), lo + line.end()))
    return lines


def names_in(text: str, lo: int, hi: int, inside: bytes) -> Iterator[Name]:
    """People's names in ``text[lo:hi]``, outside quotes and Title Case lines."""
    title_case = _title_case_lines(text, lo, hi)
    for match in NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()] or any(a <= match.start() < b for a, b in title_case):
            continue
        name = split_run(text, match.start(), match.end())
        if name is not None:
            yield name


def business_names(text: str, lo: int, hi: int, inside: bytes) -> Iterator[str]:
    """Capitalised runs ending in a business word ("Peabody Energy", "Norland Motors")."""
    for match in NAME_RUN.finditer(text, lo, hi):
        tokens = _body_tokens(match.group())
        business = len(tokens) > 1 and tokens[-1].lower().rstrip(".") in COMPANY_WORDS
        if business and not inside[match.start()]:
            yield " ".join(tokens)


def organisation_names(text: str, lo: int, hi: int, inside: bytes
                       ) -> Iterator[tuple[int, str]]:
    """Capitalised runs that hold a body's word ("Northbridge University", "Ministry of
    Health"), cut before a title and name that follow ("Kelso Council | Chief Executive Ann
    Lee")."""
    org_words = ORG_WORDS | ORG_NOUNS
    for match in NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()] or split_run(text, match.start(), match.end()) is not None:
            continue  # "Secretary of State Jon Husted" is a person, whatever his title holds
        tokens = _body_tokens(match.group())
        at = next((i for i, t in enumerate(tokens) if t.lower().rstrip(".") in org_words), None)
        if at is None or len(tokens) < 2:
            continue
        end = _body_name_end(tokens, at)
        if end > 1:
            yield match.start(), " ".join(tokens[:end])


def _body_tokens(run: str) -> list[str]:
    """A run's words as a body's name: no possessive ending and no sentence's first word
    ("The", "After") before it."""
    tokens = re.sub(r"['\u2019]s$", "", run).split()
    while tokens and tokens[0].lower() in NOT_NAMES:
        tokens.pop(0)
    return tokens


def _body_name_end(tokens: list[str], at: int) -> int:
    """Where the body's name whose word is ``tokens[at]`` ends: before the first title word
    that opens a title and a name ("Kelso Council | Chief Executive Ann Lee"). A title word
    next to "of" is the body's own ("Ministry of Health"), and so are trailing title words
    with no name after them."""
    return next(
        (i for i in range(at + 1, len(tokens))
         if is_title_word(tokens[i]) and tokens[i] != "of" and tokens[i - 1] != "of"
         and not all(is_title_word(t) for t in tokens[i:])),
        len(tokens),
    )  # fmt: skip
