"""Stage 4: from sources to people (coreference).

Surnames and pronouns resolve to the full name met elsewhere in the article ("he" and "she"
never to a place, "from the village of X", nor to a body or a word of a body's name), a definite
role ("the minister", or "the CEO" spelled out) to the one person whose title holds it, or
failing any such title to the one person who spoke earlier in its paragraph (a generic
category, "the scientist", also to the described person quoted just before); a definite body
("the carmaker") to the one named body of its kind that spoke before it ("the agency" to the one
government body named just before, whatever its kind word), and "Peabody" to the "Peabody
Energy" named elsewhere.
Names differing only in case ("The ministry", "the ministry") are one speaker, and so are an
acronym and the name the article defined it for ("the MSA").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qa.core.types import Article, Kind, Person, Quote, Speaker
from qa.text.lexicon import (
    COMPANY_NOUNS,
    COMPANY_WORDS,
    DETERMINERS,
    GENERIC_PERSON_NOUNS,
    GOVERNMENT_BODY_WORDS,
    NOT_NAMES,
    ORG_NOUNS,
    ORG_WORDS,
    PRONOUNS,
    ROLE_ABBREVIATIONS,
    ROLE_NOUNS,
)

from .names import Name
from .quotes import Layout
from .registry import Registry
from .reported import Reported
from .sources import Source
from .titles import COMPLEMENT, agentive_head

__all__ = ["attributed_quotes", "people_of"]

# Nouns of places, which a definite reference ("the state said") means as the place.
_PLACE_NOUNS = frozenset(
    """city area state states county district province republic kingdom street avenue road
    park river zone island islands sea ocean valley capital house day week month year""".split()
)
# Text ending a sentence, then what may open the next before its first word.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+[\"'\u201c\u2018(]*$")
# How many paragraphs back a named body may be for "the university" to be it.
_REACH_PARAGRAPHS = 3
# ... and for "the agency" to be a government body whose name ends otherwise ("Administration"):
# a looser match, so a nearer one.
_KIND_REACH_PARAGRAPHS = 2


def attributed_quotes(
    article: Article,
    marks: Layout,
    registry: Registry,
    sources: Sequence[Source | None],
    reported: Sequence[Reported],
    acronyms: Mapping[str, str],
) -> tuple[tuple[Quote, ...], frozenset[str]]:
    """Every direct quote with a source (``sources`` holds one per chain of ``marks``) and
    every piece of reported speech, with its speaker resolved; and the speakers that are
    bodies, not people. ``acronyms`` are those the article defined (acronym -> name)."""
    text = article.text
    # (source, start, end, kind) in the order coreference reads them: by mention.
    events: list[tuple[Source, int, int, Kind]] = [
        (source, segment.start, segment.end, "direct")
        for chain, source in zip(marks.chains, sources, strict=True)
        if source is not None
        for segment in chain
    ]
    events.extend((item.source, item.start, item.end, "indirect") for item in reported)
    events.sort(key=lambda e: (e[0].mention.start, e[1]))
    unique = list({(s.mention.start, s.key): s for s, *_ in events}.values())
    names, bodies = _resolve_sources(unique, registry, article.paragraphs, text, acronyms)
    name_of = {(s.mention.start, s.key): n for s, n in zip(unique, names, strict=True)}
    quotes: list[Quote] = []
    for source, start, end, kind in events:
        name = name_of[(source.mention.start, source.key)]
        speaker = _speaker_of(registry, name) if name else None
        quotes.append(Quote(start, end, text[start:end], kind, speaker,
                            source.mention if speaker else None, source.cue))
    return tuple(quotes), bodies


def _resolve_sources(
    sources: Sequence[Source],
    registry: Registry,
    paragraphs: tuple[tuple[int, int], ...],
    text: str,
    acronyms: Mapping[str, str],
) -> tuple[tuple[str | None, ...], frozenset[str]]:
    """The speaker name of every source (given in mention order) and the names that are
    bodies, not people. A source's resolution may use only the sources before it."""
    bodies = {s.key for s in sources if s.sort == "body"}
    descriptions = {s.key for s in sources if s.sort == "description"}
    resolver = _Resolver(registry, paragraphs, bodies, descriptions, text, acronyms)
    names = tuple(resolver.resolve(source) for source in sources)
    return names, frozenset(resolver.bodies)


@dataclass(slots=True)
class _Resolver:
    """State of one left-to-right pass over an article's sources; lives inside one call."""

    registry: Registry
    paragraphs: tuple[tuple[int, int], ...]
    bodies: set[str]
    descriptions: set[str]
    text: str
    acronyms: Mapping[str, str]
    genders: dict[str, str] = field(default_factory=dict)  # learnt from "he"/"she"
    history: list[tuple[int, str]] = field(default_factory=list)
    spoken: list[tuple[int, str]] = field(default_factory=list)
    spellings: dict[str, str] = field(default_factory=dict)  # casefold -> first spelling
    persons: list[tuple[int, str]] = field(default_factory=list)  # person mentions, in order

    def __post_init__(self) -> None:
        self.persons = [
            (mention.start, self.registry.canonical(mention.name, mention.start))
            for mention in self.registry.mentions
            if self._is_person(mention)
        ]

    def resolve(self, source: Source) -> str | None:
        key = self.spellings.setdefault(source.key.casefold(), source.key)
        at = source.mention.start
        name: str | None
        if source.sort == "pronoun" and key in PRONOUNS:
            name = self._pronoun(key, at)
        elif key in self.acronyms:
            name = self.acronyms[key]
            self.bodies.add(name)
            self.history.append((at, name))
        else:
            name = (
                self._by_abbreviation(source) or self._by_role(key, at) or self._by_kind(key, at)
                or self._business(key) or key
            )  # fmt: skip
            self.history.append((at, name))
        if name is not None:
            self.spoken.append((at, name))
        return name

    def _gender(self, name: str) -> str | None:
        return self.registry.genders.get(name) or self.genders.get(name)

    def _by_role(self, key: str, at: int) -> str | None:
        """``the minister`` after ``Health Minister Dana Whitfield``: a definite role phrase is
        the one person named earlier whose title holds all its words (none when several do).
        A role no title holds ("the union leader" for "who runs the union local") is the one
        person who has spoken earlier in the same paragraph: news copy varies its references
        to the speaker it is quoting. A generic category ("the scientist") no title holds
        may also be the person who spoke last in the previous paragraph."""
        words = key.lower().split()
        if key not in self.descriptions and key not in self.bodies:
            return None
        if len(words) < 2 or len(words) > 4 or words[0] != "the" or words[-1] not in ROLE_NOUNS:
            return None
        return self._titled(words[1:], at, generic=words[1:] == words[-1:]
                            and words[-1] in GENERIC_PERSON_NOUNS)

    def _by_abbreviation(self, source: Source) -> str | None:
        """``the CEO`` after ``Chief executive Henrik Solberg``: a role's abbreviation is the
        role spelled out."""
        role = ROLE_ABBREVIATIONS.get(source.key.lower())
        if role is None or not source.mention.text.lower().startswith("the "):
            return None
        return self._titled(role.split(), source.mention.start)

    def _titled(self, role: list[str], at: int, generic: bool = False) -> str | None:
        """The one person named before ``at`` whose title holds every word of ``role`` (a
        trailing "officer" may be left out), else the one who spoke earlier in the paragraph,
        else for a ``generic`` category the last speaker."""
        needed = [set(role)]
        if len(role) > 2 and role[-1] == "officer":  # "chief executive", not "officer" alone
            needed.append(set(role[:-1]))
        fits: set[str] = set()
        for _, name in self.persons[: bisect_left(self.persons, (at, ""))]:
            if name in self.bodies:
                continue
            title = " ".join(self.registry.titles.get(name, ())).lower()
            held = set(re.findall(r"[\w\u2019'\-]+", title))
            for word in list(held):  # "Acme CEO" holds "the chief executive"
                held.update(ROLE_ABBREVIATIONS.get(word, "").split())
            if any(words <= held for words in needed):
                fits.add(name)
        if fits:
            return fits.pop() if len(fits) == 1 else None
        if generic and not self._spoke_in_paragraph(at):
            return self._last_speaker(at)
        return self._paragraph_speaker(at)

    def _spoke_in_paragraph(self, at: int) -> bool:
        start = next((p0 for p0, p1 in self.paragraphs if p0 <= at < p1), at)
        return any(start <= offset < at for offset, _ in self.spoken)

    def _last_speaker(self, at: int) -> str | None:
        """``The scientist said`` in the paragraph after the quote of ``Dr Yvonne Marsh, a
        toxicologist at ...``: a generic category refers back to the person who spoke last in
        the previous paragraph, when the article described that person by a category ("a
        toxicologist"), which the reporter now varies. A person the article gave no such
        description, a body speaking last, or a speaker further back leaves it unresolved:
        "the scientist" is then as likely someone new."""
        before = [item for item in self.spoken if item[0] < at]
        if not before:
            return None
        offset, name = max(before)
        starts = [p0 for p0, _ in self.paragraphs]
        if bisect_left(starts, at + 1) - bisect_left(starts, offset + 1) > 1:
            return None
        described = any(
            re.match(r"(?:a|an)\s", title, re.IGNORECASE)
            for title in self.registry.titles.get(name, ())
        )
        return name if described and self._is_person_name(name) else None

    def _paragraph_speaker(self, at: int) -> str | None:
        """The one person who has spoken in the paragraph holding ``at`` before it. Not the
        previous paragraph's speaker: a role opening a paragraph as often brings in someone
        new ("The governor added" after a quote of another person)."""
        start = next((p0 for p0, p1 in self.paragraphs if p0 <= at < p1), at)
        people = {
            name for offset, name in self.spoken
            if start <= offset < at and self._is_person_name(name)
        }  # fmt: skip
        return people.pop() if len(people) == 1 else None

    def _by_kind(self, key: str, at: int) -> str | None:
        """``the company`` after ``Norland Motors said``: a definite body is the one named
        body of its kind that has spoken earlier (its name holds the noun, "the authority"
        for "Port Authority", or a business noun goes with a business name)."""
        noun = _kind_noun(key)
        if noun is None or (key not in self.bodies and key not in self.descriptions):
            return None
        fits = self._spoken_of_kind(key, noun)
        if not fits:
            fits = self._named_organisations(noun, at)
        if not fits and len(key.split()) == 2 and noun in GOVERNMENT_BODY_WORDS:
            fits = self._government_body(at)
        return fits.pop() if len(fits) == 1 else None

    def _spoken_of_kind(self, key: str, noun: str) -> set[str]:
        """Named bodies that have spoken whose name holds ``noun`` ("the airline": a body whose
        name holds "Airlines"), else for a business noun every business that has spoken."""
        named: set[str] = set()
        business: set[str] = set()
        for _, name in self.spoken:
            if name == key or not self._is_named_body(name):
                continue
            tokens = {t.lower().rstrip(".") for t in name.split()}
            if noun in tokens or f"{noun}s" in tokens:
                named.add(name)
            if noun in COMPANY_NOUNS and tokens & COMPANY_WORDS:
                business.add(name)
        return named or business

    def _named_organisations(self, noun: str, at: int) -> set[str]:
        """``the university`` after ``Northbridge University has suspended ...``: bodies the
        article named before ``at`` (spoken or not) whose name holds the noun; the one found
        becomes a body. A place's noun ("the state", "the city") more often means the place
        than a body named after it ("Ohio State"), and a body last named many paragraphs back
        is seldom the one meant ("Dish Network" for "the network", the channel it carries)."""
        if noun in _PLACE_NOUNS:
            return set()
        latest: dict[str, int] = {}
        for start, name in self.registry.organisations:
            tokens = {t.lower().rstrip(".") for t in name.split()}
            if start < at and {noun, f"{noun}s"} & tokens:
                latest[name] = start
        if len(latest) != 1:
            return set()
        name, start = latest.popitem()
        starts = [p0 for p0, _ in self.paragraphs]
        if bisect_left(starts, at) - bisect_left(starts, start) > _REACH_PARAGRAPHS:
            return set()
        self.bodies.add(name)
        return {name}

    def _government_body(self, at: int) -> set[str]:
        """``A spokesman for the agency`` after ``The Federal Transit Administration has set``:
        reporters vary the kind word of a government body, so "the agency" is the one body
        named in the last paragraphs whose name holds any such word; none when several are."""
        starts = [p0 for p0, _ in self.paragraphs]
        here = bisect_left(starts, at + 1)
        near = {
            name for start, name in self.registry.organisations
            if start < at and here - bisect_left(starts, start + 1) <= _KIND_REACH_PARAGRAPHS
            and not GOVERNMENT_BODY_WORDS.isdisjoint(t.lower() for t in name.split())
        }  # fmt: skip
        if len(near) != 1:
            return set()
        self.bodies.update(near)
        return near

    def _business(self, key: str) -> str | None:
        """``Peabody said`` in an article that names ``Peabody Energy``: the full name of the
        one business whose name opens with a lone word that names no person."""
        registry = self.registry
        if " " in key or not key[:1].isupper() or key in registry.genders or key in registry.titles:
            return None
        fits = {name for name in registry.businesses if name.split()[0] == key}
        if len(fits) != 1:
            return None
        name = fits.pop()
        self.bodies.add(name)
        return name

    def _is_named_body(self, name: str) -> bool:
        first = name.split()[0]
        return name in self.bodies and first[0].isupper() and first.lower() not in DETERMINERS

    def _pronoun(self, pronoun: str, at: int) -> str | None:
        gender = PRONOUNS[pronoun]
        if pronoun in {"we", "they", "it"}:
            for _, name in reversed(self._candidates(at)):
                if name in self.bodies or name in self.descriptions:
                    return name
            return None
        # "Okafor said the inquiry would be led by Whitcombe. She said ...": a pronoun that
        # opens the next sentence of the same paragraph goes on with the speaker, not with the
        # person last mentioned (news copy keeps its speaker as the subject). Within a
        # sentence ("Warren told Stumpf, after he admitted") the nearest mention stays.
        opens_sentence = _SENTENCE_END.search(self.text, max(0, at - 8), at) is not None
        speaker = self._paragraph_speaker(at) if opens_sentence else None
        candidates = self._candidates(at)
        if speaker is not None:
            candidates.append((at, speaker))
        for _, name in reversed(candidates):
            if not self._is_person_name(name):
                continue
            known = self._gender(name)
            if gender is None or known is None or known == gender:
                if gender and not known:
                    self.genders[name] = gender
                return name
        return None

    def _is_person_name(self, name: str) -> bool:
        """Not a body, a description, nor a word known only from a body's name ("Norland"
        of "Norland Motors"): "he" and "she" never stand for those."""
        registry = self.registry
        if name in self.bodies or name in self.descriptions:
            return False
        if name in registry.genders or name in registry.titles:
            return True
        tokens = name.split()
        for body in self.bodies:
            parts = body.split()
            if any(parts[i : i + len(tokens)] == tokens for i in range(len(parts))):
                return False
        return True

    def _is_person(self, mention: Name) -> bool:
        # A lone capitalised word ("Shanghai") is a person only once the article gives it a
        # full name, an honorific or a title.
        if mention.place:
            return False
        key = self.registry.canonical(mention.name, mention.start)
        return " " in key or key in self.registry.genders or key in self.registry.titles

    def _candidates(self, at: int) -> list[tuple[int, str]]:
        names = self.persons[: bisect_left(self.persons, (at, ""))]
        names.extend(item for item in self.history if item[0] < at)
        return sorted(names)


def _speaker_of(registry: Registry, name: str) -> Speaker:
    titles = registry.titles.get(name)
    return Speaker(name, ", ".join(titles) if titles else None)


def people_of(
    registry: Registry,
    quotes: Sequence[Quote],
    bodies: frozenset[str],
    acronyms: Mapping[str, str],
) -> tuple[Person, ...]:
    """One :class:`Person` per speaker of ``quotes``, in order of first speech; names that
    differ only in case are one person. A body is also known by the acronym the article
    defined for it."""
    short_of = {name: short for short, name in acronyms.items()}
    seen: dict[str, Person] = {}
    for quote in quotes:
        if quote.speaker is None or quote.speaker.name.casefold() in seen:
            continue
        name = quote.speaker.name
        titles = registry.titles.get(name, ())
        aliases = _aliases(name, titles, name in bodies)
        if name in short_of:
            aliases = (*aliases, short_of[name].lower())
        gender = None if name in bodies else _gender_of(name, registry, quotes)
        seen[name.casefold()] = Person(name, quote.speaker.title, aliases, name in bodies, gender)
    return tuple(seen.values())


def _gender_of(name: str, registry: Registry, quotes: Sequence[Quote]) -> str | None:
    """What the article shows of a speaker's gender: an honorific or gendered title first,
    else the pronouns by which it attributes their quotes ("..., she said"), when they agree."""
    known = registry.genders.get(name)
    if known:
        return known
    cued = {
        PRONOUNS.get(quote.mention.text.lower())
        for quote in quotes
        if quote.speaker is not None and quote.speaker.name == name and quote.mention is not None
    }
    cued.discard(None)
    return cued.pop() if len(cued) == 1 else None


def _aliases(name: str, titles: Sequence[str], organization: bool) -> tuple[str, ...]:
    """Lower-cased forms a reader uses for the speaker: name, surname and title phrases
    ("director of the X Commission" -> "director", "commission director")."""
    out: list[str] = [name.lower()]
    parts = [p for p in name.split() if p.lower() not in DETERMINERS]
    if not organization and len(parts) > 1:
        out.extend(p.lower() for p in (parts[0], parts[-1]))
    elif len(parts) > 1 and parts[-1].lower().rstrip(".") in COMPANY_WORDS:
        out.append(" ".join(parts[:-1]).lower())  # "Norland Motors" is "Norland" for short
    for title in titles:
        for piece in re.split(r",\s*|\s+and\s+(?=[a-z]+\s+of\b)", title):
            piece = re.sub(r"^(?:also|a|an|the|former)\s+", "", piece.strip(), flags=re.I)
            if not piece:
                continue
            out.append(piece.lower())
            out.extend(_role_aliases(piece))
            out.extend(_abbreviation_aliases(piece))
            match = re.match(r"([\w\-]+)\s+of\s+(.*?)(?:\s+(?:for|in|at|on|to|from|with)\s.*)?$",
                             piece)
            if match:
                match = re.match(r"(\S+).*?(\S+)$", f"{match.group(1)} {match.group(2)}")
            if match and match.group(2)[0].isupper():  # "Springfield mayor", not "two mother"
                out.append(match.group(1).lower())
                out.append(f"{match.group(2)} {match.group(1)}".lower())
    return tuple(dict.fromkeys(a for a in out if a))


def _abbreviation_aliases(piece: str) -> list[str]:
    """"Chief executive" is also "ceo", and "Acme CEO" "chief executive (officer)": a reader
    asks about "the CEO" of an article that spells the role out, and the other way round."""
    held = set(re.findall(r"[\w\-]+", piece.lower()))
    out: list[str] = []
    for short, role in ROLE_ABBREVIATIONS.items():
        words = role.split()
        if short in held:
            out.extend((role, " ".join(words[:-1])))
        elif set(words) <= held or set(words[:-1]) <= held:
            out.append(short)
    return out


def _role_aliases(piece: str) -> list[str]:
    """The role noun of a title and its modifier: "coastal engineer at X" -> "engineer",
    "coastal engineer"; "Health Minister" -> "minister", "health minister"."""
    head = COMPLEMENT.split(piece, maxsplit=1)[0].lower().split()
    for index in range(len(head) - 1, -1, -1):
        if head[index] in ROLE_NOUNS or (index == len(head) - 1 and agentive_head(f"a {piece}")):
            out = [head[index]]
            if index > 0 and head[index - 1].isalpha() and head[index - 1] not in NOT_NAMES:
                out.append(f"{head[index - 1]} {head[index]}")
            return out
    return []


def _kind_noun(key: str) -> str | None:
    """The kind noun of a definite reference to a body ("the company" -> "company"), or None.
    A possessive makes it someone's, not a named body: "the mayor's office" is the mayor's."""
    words = key.lower().split()
    if len(words) < 2 or len(words) > 4 or words[0] != "the":
        return None
    if any(word.endswith(("'s", "\u2019s")) for word in words):
        return None
    noun = words[-1]
    return noun if noun in COMPANY_NOUNS | ORG_WORDS | ORG_NOUNS else None
