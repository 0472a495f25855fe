"""Stage 3a: who is named next to a speech cue.

A subject is looked for only in the cue's own clause (after ``;``, ``:`` or a dash), and a role
in apposition (``The captain, Ida Lund, said``) yields the name. Every function here reads the
text and the article's :class:`~.names.Registry` and returns a new :class:`Source`; none records
anything, so a speculative look ("does this clause open with a speaker?") changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from qa.core.types import Span
from qa.text.lexicon import (
    COMPANY_NOUNS,
    COMPANY_WORDS,
    DETERMINERS,
    GENERIC_PERSON_NOUNS,
    GOVERNMENT_BODY_WORDS,
    GROUP_NOUNS,
    IMPERSONAL_CUES,
    INSTITUTION_NOUNS,
    MODAL_ADVERBS,
    NOT_NAMES,
    ORG_NOUNS,
    ORG_WORDS,
    PARTICIPLES,
    PERSON_NOUNS,
    PRONOUNS,
    ROLE_NOUNS,
    SPOKESPERSON_NOUNS,
    TIME_DEIXIS,
    TIME_NOUNS,
    TITLE_WORDS,
)

from .names import NAME_RUN, is_premodifier, modifies_role, split_run
from .registry import Registry
from .stops import clause_end

__all__ = [
    "Source",
    "SourceSort",
    "cues_in",
    "frame_subject",
    "leading_subject",
    "object_after",
    "sentence_subject",
    "skip_space",
    "subject_of",
    "trailing_subject",
]

#: What a source names: a person by name, a pronoun, a body ("the ministry", "Pentagon
#: officials") or a described source ("the ad's narrator").
SourceSort = Literal["name", "pronoun", "body", "description"]

_PARENTHETICAL = re.compile(r"\s*\([^()]{1,40}\)\s*$")
# Where a clause starts inside a sentence: after a semicolon, a colon or a dash, so that
# "X said nothing; the mayor, Y, said" gives the second cue its own subject.
_CLAUSE_BREAK = re.compile(r"[;:]|[ \t\u00a0](?:--|\u2014|\u2013)[ \t\u00a0]")
_ADVERBIAL_OPENERS = frozenset(
    """during at in on after before since when while as following despite speaking addressing
    asked earlier later meanwhile still yet instead then now today yesterday with amid""".split()
)
# A participial phrase opening a sentence: "Pressed by analysts, X said", "Questioned on the
# timetable, X said". The function word after the participle tells it from a name ("Jared
# Kushner", "Browning, who").
_PARTICIPIAL_OPENER = re.compile(
    r"[A-Z][a-z]+(?:ed|ing)[ \t\u00a0]+(?:by|about|on|over|to|with|for|at|in|before|after|from"
    r"|during|whether|if|why|how|what|when|the|a|an|his|her|their|its)\b"
)
# "A spokesman for | the agency said": the body a spokesperson speaks for.
_SPOKESPERSON_FOR = re.compile(
    rf"\b(?:a|an|the|one)[ \t\u00a0]+(?:[\w\-]+[ \t\u00a0]+)?"
    rf"(?:{'|'.join(sorted(SPOKESPERSON_NOUNS))})[ \t\u00a0]+(?:for|of|at)[ \t\u00a0]+$",
    re.IGNORECASE,
)
# The preposition before a place that follows its subject's head: "Health authorities | in |
# Ireland said".
_BEFORE_PLACE = re.compile(
    r"[ \t\u00a0]+(?:in|at|from|near|across|outside|inside|around)[ \t\u00a0]+"
    r"(?:the[ \t\u00a0]+)?$",
    re.IGNORECASE,
)
# Words after which the name before a participle is who speaks: "footage of X saying",
# "with X saying", "quoted X as saying".
_PARTICIPLE_HOSTS = frozenset(
    """of with by showed shows showing heard hear hears saw see sees captured caught featuring
    features featured""".split()
)
# "was told by the board", "had been recalled by": a cue in the passive, whose subject is the
# one spoken to or about, never the one speaking.
_PASSIVE_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got|gotten)(?:[ \t\u00a0]+[a-z]+ly)?"
    r"[ \t\u00a0]+$",
    re.IGNORECASE,
)
_BY_AFTER = re.compile(r"[ \t\u00a0]+by\b")
# Nouns for whoever can speak: a described subject of an impersonal cue needs one of them.
_SPEAKER_NOUNS = (
    ROLE_NOUNS | GROUP_NOUNS | ORG_NOUNS | COMPANY_NOUNS | GENERIC_PERSON_NOUNS
    | SPOKESPERSON_NOUNS | PERSON_NOUNS | INSTITUTION_NOUNS | GOVERNMENT_BODY_WORDS | COMPANY_WORDS
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:through|in|at|on|of|from|with|by|to|for|into|across|over|under|near|behind|past"
    r"|outside|inside|around|along|against)[ \t\u00a0]+$",
    re.IGNORECASE,
)
_ROLE_THEN_NAME = re.compile(
    r"(?:the|a|an|our|their|its|his|her|another|one)[ \t\u00a0]+"
    r"(?:[\w\-.'\u2019]+[ \t\u00a0]+){0,3}?(?P<role>[\w\-]+),[ \t\u00a0]+(?=[A-Z])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Source:
    """A speech source: where it is named, how, the cue that introduces it (None for a
    signature line or a label), and ``key``, the canonical name, pronoun or description."""

    mention: Span
    cue: Span | None
    key: str
    sort: SourceSort = "name"

    def with_cue(self, cue: Span | None) -> Source:
        return replace(self, cue=cue)


def skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def cues_in(text: str, start: int, end: int, cues: frozenset[str]) -> Iterator[Span]:
    """Speech cues in text[start:end]: verbs from ``cues`` and "according to"."""
    for match in re.finditer(r"[A-Za-z]+(?:\s+to\b)?", text[start:end]):
        word = match.group().split()[0]
        lower = word.lower()
        if lower == "according" and match.group().lower().endswith("to"):
            yield Span(start + match.start(), start + match.end(), match.group())
        elif lower in cues and word[0].islower():
            s = start + match.start()
            yield Span(s, s + len(word), word)


def _name_source(text: str, start: int, end: int, registry: Registry, cue: Span | None
                 ) -> Source | None:
    name = split_run(text, start, end)
    if name is None or name.possessive:
        return None
    key = registry.canonical(name.name, name.start)
    return Source(Span(name.start, name.end, name.name), cue, key)


def trailing_subject(text: str, lo: int, hi: int, registry: Registry) -> Source | None:
    """The noun phrase ending right before ``hi`` (adverbs and auxiliaries skipped)."""
    party = _PARENTHETICAL.search(text, lo, hi)  # "Rep. Gwen Moore (D-Wis.) said"
    if party is not None:
        hi = party.start()
    words = _words_before_cue(text, lo, hi)
    if not words:
        return None
    cue = Span(hi, hi, "")
    last = words[-1]
    last_start, last_end = lo + last.start(), lo + last.end()
    if last.group().lower() in PRONOUNS:
        return Source(Span(last_start, last_end, last.group()), cue, last.group().lower(),
                      "pronoun")
    runs = [m for m in NAME_RUN.finditer(text, lo, last_end) if m.end() == last_end]
    if runs:
        run = runs[0]
        place = _place_start(text, lo, run)
        if place is not None:
            # "Health authorities in Ireland said": the phrase before the place speaks, or none.
            head = trailing_subject(text, lo, place, registry)
            return head.with_cue(cue) if head is not None else None
        found = _name_source(text, run.start(), run.end(), registry, cue)
        if found is None:
            found = _org_phrase(text, lo, run.start(), run.end())
        if found is not None:
            return found
    if last.group().lower() in ORG_NOUNS or last.group().lower() in GROUP_NOUNS:
        found = _org_phrase(text, lo, last_start, last_end)
    else:
        found = _description(text, lo, words)
    return None if found is None else _as_subject(text, lo, found, registry, cue)


def _words_before_cue(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """The words of ``text[lo:hi]`` up to the last one that may head the subject: sentence
    adverbs and time phrases between the subject and its cue are skipped ("Trump this week
    also said", "it further wrote"); none are left when a comma or any other word stands
    between them, as the subject must touch its cue."""
    words = list(re.finditer(r"[\w.\u2019'\-]+", text[lo:hi]))
    while words:
        if words[-1].group().lower() in MODAL_ADVERBS:
            words.pop()
        elif (len(words) > 1 and words[-1].group().lower() in TIME_NOUNS
              and words[-2].group().lower() in TIME_DEIXIS):
            del words[-2:]  # "Trump this week also said"
        else:
            break
    if not words:
        return []
    between = text[lo + words[-1].end() : hi]  # only the skipped words: "it further wrote"
    skippable = MODAL_ADVERBS | TIME_NOUNS | TIME_DEIXIS
    if "," in between or any(w.lower() not in skippable for w in between.split()):
        return []
    return words


def _place_start(text: str, lo: int, run: re.Match[str]) -> int | None:
    """Where the preposition before ``run`` starts when the run names a place after its
    subject's head ("Health authorities | in Ireland"), else None."""
    place = split_run(text, run.start(), run.end())
    before = _BEFORE_PLACE.search(text, lo, run.start())
    if place is not None and place.place and before is not None:
        return before.start()
    return None


def _as_subject(text: str, lo: int, found: Source, registry: Registry, cue: Span
                ) -> Source | None:
    """A body or description found before a cue, checked as its subject: after a preposition
    it is an object ("marching through the streets chanted"), unless a spokesperson speaks
    for it ("A spokesman for the agency said"); a name apposed before a description is the
    subject ("Omar Haddad, a ferry captain said")."""
    if _PREPOSITION_BEFORE.search(text, lo, found.mention.start):
        if found.sort == "body" and _SPOKESPERSON_FOR.search(text, lo, found.mention.start):
            return found
        return None
    if found.sort == "description":
        return _apposed_name(text, lo, found.mention.start, registry, cue) or found
    return found


def _apposed_name(text: str, lo: int, start: int, registry: Registry, cue: Span
                  ) -> Source | None:
    """``Omar Haddad, a ferry captain said``: the apposition's comma left out, the name that
    opens the clause is the subject, not the description next to the cue."""
    comma = re.compile(r",[ \t\u00a0]+$").search(text, lo, start)
    if comma is None:
        return None
    first = skip_space(text, lo, comma.start())
    run = NAME_RUN.match(text, first, comma.start())
    if run is None or run.end() != comma.start():
        return None
    name = split_run(text, run.start(), run.end())
    if name is None or name.place:
        return None
    key = registry.canonical(name.name, name.start)
    if " " not in key and key not in registry.titles and key not in registry.genders:
        return None  # "Overall, the fund predicted": a lone capital is no name
    return _name_source(text, run.start(), run.end(), registry, cue)


def _description(text: str, lo: int, words: list[re.Match[str]]) -> Source | None:
    """"the announcer", "the ad's narrator": a described source right before a cue."""
    last = words[-1].group()
    if not last.isalpha() or not last.islower() or last in PRONOUNS or last in NOT_NAMES:
        return None
    for back in range(len(words) - 2, max(-1, len(words) - 5), -1):
        word = words[back].group()
        gap = text[lo + words[back].end() : lo + words[back + 1].start()]
        if gap.strip():
            return None
        if word.lower() in DETERMINERS or word.endswith(("'s", "\u2019s")):
            start = lo + words[back].start()
            end = lo + words[-1].end()
            phrase = text[start:end]
            return Source(Span(start, end, phrase), None, phrase, "description")
        if not word.isalpha() and not word.endswith(("'s", "\u2019s")):
            return None
    return None


_QUANTIFIERS = frozenset({"some", "many", "most", "all", "both", "few", "several"})


def _org_phrase(text: str, lo: int, start: int, end: int) -> Source | None:
    """"the newspaper", "The White House", "Pentagon officials": a body speaking."""
    words = list(re.finditer(r"[\w.\u2019'\-]+", text[lo:start]))
    begin = start
    for match in reversed(words[-4:]):
        word = match.group()
        if word[0].isupper() and word.lower() in NOT_NAMES - DETERMINERS - _QUANTIFIERS:
            break  # "After campaign aides insisted": the sentence's first word is no name
        # "The mayor's office": the possessor belongs to the body, or "office" alone speaks.
        possessor = begin == start and word.endswith(("'s", "\u2019s"))
        lower = word.lower()
        if lower in {"the", "a"} or word[0].isupper() or lower in TITLE_WORDS or possessor:
            begin = lo + match.start()
            if word.lower() in {"the", "a"}:
                break
        else:
            break
    phrase = text[begin:end]
    head = text[start:end].split()[-1].lower()
    is_body = (
        phrase.lower().startswith(("the ", "a "))
        or head in GROUP_NOUNS
        or head.rstrip(".") in ORG_WORDS
    )
    if not is_body or phrase.lower() in {"the", "a"}:
        return None
    key = re.sub(r"^(?:the|a)\s+", "", phrase, flags=re.IGNORECASE)
    key = key[0].upper() + key[1:] if key and key[0].isupper() else phrase
    return Source(Span(begin, end, phrase), Span(end, end, ""), key, "body")


def _role_then_name(text: str, begin: int, limit: int, registry: Registry) -> Source | None:
    """``the captain, Ida Lund``: a role phrase with the speaker's name in apposition."""
    role = _ROLE_THEN_NAME.match(text, begin, limit)
    if role is None or role.group("role").lower() not in ROLE_NOUNS:
        return None
    run = NAME_RUN.match(text, role.end(), limit)
    if run is None:
        return None
    name = split_run(text, run.start(), run.end())
    if name is None or name.possessive or name.start != run.start():
        return None
    return Source(Span(name.start, name.end, name.name), None,
                  registry.canonical(name.name, name.start))


def _clause_start(text: str, lo: int, hi: int, inside: bytes) -> int:
    start = lo
    for match in _CLAUSE_BREAK.finditer(text, lo, hi):
        if not inside[match.start()]:
            start = match.end()
    return skip_space(text, start, hi)


def _skip_adverbial(text: str, lo: int, hi: int, inside: bytes) -> int:
    """``During a speech in Ohio, Trump said``, ``Pressed by analysts, Solberg said``: the
    subject follows a fronted adverbial or participial phrase."""
    first = re.match(r"[A-Za-z]+", text[lo:hi])
    if first is None:
        return lo
    if first.group().lower() not in _ADVERBIAL_OPENERS and not _PARTICIPIAL_OPENER.match(
        text, lo, hi
    ):
        return lo
    for comma in range(lo + first.end(), hi):
        if text[comma] == "," and not inside[comma]:
            return skip_space(text, comma + 1, hi)
    return lo


def leading_subject(
    text: str, lo: int, hi: int, registry: Registry, inside: bytes
) -> Source | None:
    """Subject at the start of a clause: ``Luo Dajin, director of ..., after ..., said``."""
    lo = _skip_adverbial(text, _clause_start(text, lo, hi, inside), hi, inside)
    cue = Span(hi, hi, "")
    apposed = _role_then_name(text, lo, hi, registry)
    if apposed is not None:
        return apposed.with_cue(cue)
    for match in NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()]:
            continue
        if is_premodifier(text, match.start(), match.end()) or modifies_role(text, match.end()):
            continue  # "Conservative economist Aparna Mathur": the name comes after the role
        found = _name_source(text, match.start(), match.end(), registry, cue)
        if found is not None:
            return found
        break
    pronoun = re.search(r"\b(he|she|they|we|it|He|She|They|We|It|I)\b", text[lo:hi])
    if pronoun and not inside[lo + pronoun.start()]:
        p0 = lo + pronoun.start()
        return Source(Span(p0, lo + pronoun.end(), pronoun.group()), cue,
                      pronoun.group().lower(), "pronoun")
    return None


def subject_of(
    text: str, clause_start: int, cue: Span, registry: Registry, inside: bytes
) -> Source | None:
    """Who utters ``cue``: the phrase right before it, or the clause subject before an
    apposition ("X, title, said") or a coordination ("he visited ... and instructed")."""
    if cue.text.lower().startswith("according"):
        source = object_after(text, cue.end, clause_end(text, cue.end), registry)
        return source.with_cue(cue) if source else None
    if _is_passive(text, clause_start, cue):
        return None
    source = None
    if cue.text not in PARTICIPLES:
        source = trailing_subject(text, clause_start, cue.start, registry)
    else:
        source = _participle_host(text, clause_start, cue, registry)
    if source is None:
        before = text[clause_start : cue.start].rstrip()
        words = [w for w in before.split() if w.lower() not in MODAL_ADVERBS]
        if before.endswith(",") or (words and words[-1] == "and"):
            source = leading_subject(text, clause_start, cue.start, registry, inside)
    if source is not None and not _can_utter(source, cue):
        return None
    return source.with_cue(cue) if source is not None else None


def _is_passive(text: str, lo: int, cue: Span) -> bool:
    """``was told by the board``: the cue is passive, so no one before it speaks."""
    return bool(_BY_AFTER.match(text, cue.end)) and bool(
        _PASSIVE_BEFORE.search(text, lo, cue.start)
    )


def _can_utter(source: Source, cue: Span) -> bool:
    """``that trend continued``, ``the surge in complaints suggested``: an impersonal cue makes
    speech only of a described subject that names a speaker ("the minister continued")."""
    if source.sort != "description" or cue.text.lower() not in IMPERSONAL_CUES:
        return True
    for word in re.findall(r"[A-Za-z\-]+", source.key.lower()):
        if word in _SPEAKER_NOUNS or (word.endswith("s") and word[:-1] in _SPEAKER_NOUNS):
            return True
    return False


def _participle_host(text: str, lo: int, cue: Span, registry: Registry) -> Source | None:
    """``footage of X saying``, ``with X saying``, ``quoted X as saying``: the name right
    before a participle speaks when a preposition or a verb of showing governs it."""
    end = cue.start
    quoted = re.search(r"[ \t\u00a0]as[ \t\u00a0]+$", text[lo:end])
    if quoted is not None:
        end = lo + quoted.start()
    source = trailing_subject(text, lo, end, registry)
    if source is None or source.sort not in ("name", "pronoun"):
        return None
    host = re.search(r"([A-Za-z]+)[ \t\u00a0]+$", text[lo : source.mention.start])
    if quoted is None and (host is None or host.group(1).lower() not in _PARTICIPLE_HOSTS):
        return None
    return source


def frame_subject(
    text: str, lo: int, hi: int, registry: Registry, inside: bytes
) -> Source | None:
    """Who opens a label or colon frame: ``X's reply:``, ``X, Outlet:``, ``X swiped at Y in
    tweets:``, ``His reply:``. A possessive counts: the reply is X's."""
    lo = _skip_adverbial(text, _clause_start(text, lo, hi, inside), hi, inside)
    owner = re.match(r"(His|Her|Their)\b", text[lo:hi])
    if owner is not None:  # "His reply:": the pronoun's owner
        pronoun = {"his": "he", "her": "she", "their": "they"}[owner.group(1).lower()]
        return Source(Span(lo, lo + owner.end(), owner.group(1)), Span(hi, hi, ""), pronoun,
                      "pronoun")
    for match in NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()] or is_premodifier(text, match.start(), match.end()):
            continue
        if text[lo : match.start()].strip(" \t\u00a0").lower() not in ("", "the", "a", "an"):
            return None  # the frame must open with its subject
        name = split_run(text, match.start(), match.end())
        cue = Span(hi, hi, "")
        if name is not None:
            key = registry.canonical(name.name, name.start)
            return Source(Span(name.start, name.end, name.name), cue, key)
        return _org_phrase(text, lo, match.start(), match.end())
    return None


def sentence_subject(
    text: str, lo: int, hi: int, registry: Registry, inside: bytes
) -> Source | None:
    """The person a sentence opens with, after any fronted adverbial: ``Councillor Tomas
    Reyes, who voted against it, was blunt.``, ``Asked about it, Reyes shrugged.`` A
    possessive ("Smith's rival"), a pronoun or a body is none."""
    lo = _skip_adverbial(text, lo, hi, inside)
    run = NAME_RUN.match(text, lo, hi)
    if run is None or modifies_role(text, run.end()):
        return None
    return _name_source(text, run.start(), run.end(), registry, None)


def object_after(text: str, start: int, limit: int, registry: Registry) -> Source | None:
    """The name after an inverted cue: ``said Jane Doe, a spokeswoman``, ``according to X``."""
    match = re.match(r"[ \t]+", text[start:limit])
    begin = start + (match.end() if match else 0)
    pronoun = re.match(r"(he|she|they|we|it)\b", text[begin:limit])
    if pronoun:
        return Source(Span(begin, begin + pronoun.end(), pronoun.group()), None,
                      pronoun.group(), "pronoun")
    apposed = _role_then_name(text, begin, limit, registry)
    if apposed is not None:
        return apposed
    premodified = re.match(r"(?:[a-z0-9/\-]+[ \u00a0]+){1,4}(?=[A-Z])", text[begin:limit])
    run = NAME_RUN.match(text, begin, limit)
    if run is None and premodified is not None:  # "said 9/11 widow Terry Strada"
        run = NAME_RUN.match(text, begin + premodified.end(), limit)
    if run is not None:
        found = _name_source(text, run.start(), run.end(), registry, None)
        if found is not None:
            return found
    phrase = re.match(r"(?:the|a|an)\s+(?:[\w\u2019'.\-]+\s+){0,3}?([\w\-]+)\b", text[begin:limit])
    if phrase is None:
        phrase = re.match(r"(?:[\w\u2019'.\-]+\s+){0,2}?([\w\-]+)\b", text[begin:limit])
    if phrase is not None:
        head = phrase.group(1).lower()
        if head in ORG_NOUNS or head in GROUP_NOUNS or head in ROLE_NOUNS:
            span = Span(begin, begin + phrase.end(), phrase.group())
            # A described body keeps the article's words: "the ministry".
            return Source(span, None, phrase.group(), "body")
    described = re.match(
        r"(?:the|a|an|one|another|his|her|their|its)\s+[^,.;:\u201c\u201d\"]{1,60}?(?=[,.;:]|$)",
        text[begin:limit],
    )
    if described is not None and not described.group().split()[1][0].isupper():
        span = Span(begin, begin + described.end(), described.group())
        return Source(span, None, span.text, "description")
    run2 = re.match(r"(?:the\s+)?(" + NAME_RUN.pattern + r")", text[begin:limit])
    if run2 is not None:
        span = Span(begin, begin + run2.end(), run2.group())
        return Source(span, None, run2.group(1), "body")
    return None
