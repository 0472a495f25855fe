"""Stage 2: the names an article mentions outside quotes, and what it says of each.

A title is what the article says of a person, always inside the name's own sentence: title
words before the name ("Local councillor", "White House spokesman"), an apposition after it,
which beats a bare honorific ("Prof."), or failing both a short relative clause ("who chairs
X"). Names are found by :mod:`.names`, titles read by :mod:`.titles`.
The result, :class:`Registry`, is built once per article and never changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from qa.core.types import Article
from qa.text.lexicon import BARE_HONORIFICS, GENDERED_ROLES, GROUP_NOUNS

from .names import Name, business_names, names_in, organisation_names
from .titles import apposition, lowercase_premodifier, relative_clause

__all__ = ["Registry", "build_registry"]


@dataclass(frozen=True, slots=True)
class Registry:
    """Names known to one article: every mention, full names, titles, genders and businesses."""

    mentions: tuple[Name, ...]
    full_names: tuple[Name, ...]
    titles: Mapping[str, tuple[str, ...]]
    genders: Mapping[str, str]
    businesses: frozenset[str]  # "Peabody Energy": for "Peabody said"
    # Named bodies ("Northbridge University") by first mention, for "the university said".
    organisations: tuple[tuple[int, str], ...]
    # Full names by their first and last word, so a surname finds its full names at once.
    by_part: Mapping[str, tuple[Name, ...]]

    def canonical(self, name: str, at: int) -> str:
        """Full name for a surname-only mention: the first full name containing it that the
        article introduced before the mention. A relative named later ("Bill Clinton ... his
        wife Hillary Clinton ... Clinton said") does not take over the surname: news copy
        gives a second person of that name her full name or first name."""
        if " " in name:
            return self._longer(name, at)
        fulls = self.by_part.get(name, ())
        before = [full for full in fulls if full.start < at]
        return before[0].name if before else fulls[0].name if fulls else name

    def _longer(self, name: str, at: int) -> str:
        """``Ruiz Marín`` after ``Elena Ruiz Marín``: a name made of the trailing words of
        exactly one full name introduced before it is that person (a two-word surname). Not
        when the shorter name came first: "Hillary Clinton ... Rival Hillary Clinton" took in
        a sentence's first word, it introduced nobody new."""
        tokens = name.split()
        first = next((m.start for m in self.mentions if m.name == name), at)
        fits = {
            full.name for full in self.by_part.get(tokens[-1], ())
            if full.start < min(at, first) and len(full.name.split()) > len(tokens)
            and full.name.split()[-len(tokens):] == tokens
        }  # fmt: skip
        return fits.pop() if len(fits) == 1 else name


def build_registry(article: Article, inside: bytes, skip_first: bool) -> Registry:
    """Collect full names, titles (pre-modifiers and appositions) and genders, in text order."""
    text = article.text
    paragraphs = article.paragraphs[1:] if skip_first else article.paragraphs
    mentions: list[tuple[Name, int]] = []
    businesses: set[str] = set()
    organisations: list[tuple[int, str]] = []
    for p_start, p_end in paragraphs:
        businesses.update(business_names(text, p_start, p_end, inside))
        organisations.extend(organisation_names(text, p_start, p_end, inside))
        mentions.extend((name, p_end) for name in names_in(text, p_start, p_end, inside))
    full_names = tuple(name for name, _ in mentions if len(name.name.split()) > 1)
    index = _surname_index(tuple(name for name, _ in mentions), full_names)
    names_only = Registry(tuple(n for n, _ in mentions), full_names, {}, {}, frozenset(), (), index)
    titles, genders = _titles_and_genders(text, mentions, names_only)
    return Registry(
        names_only.mentions,
        full_names,
        MappingProxyType(_described(titles)),
        MappingProxyType(genders),
        frozenset(businesses),
        tuple(organisations),
        index,
    )


def _surname_index(mentions: Sequence[Name], full_names: Sequence[Name]
                   ) -> Mapping[str, tuple[Name, ...]]:
    """Full names by their first and last word, leaving out those of a person met before.

    A surname met first with a title ("President Obama") is a person the reader already
    knows: a full name introduced after it ("the first lady, Michelle Obama") is a relative.
    Not so after a bare honorific: an opinion piece may open on "Mr. Trump"."""
    introduced: dict[str, int] = {}
    for name in mentions:
        if " " not in name.name and name.title:
            introduced.setdefault(name.name, name.start)
    by_part: dict[str, list[Name]] = {}
    for full in full_names:
        parts = full.name.split()
        for part in {parts[0], parts[-1]}:
            if introduced.get(part, full.start) >= full.start:
                by_part.setdefault(part, []).append(full)
    return MappingProxyType({part: tuple(names) for part, names in by_part.items()})


def _titles_and_genders(text: str, mentions: Iterable[tuple[Name, int]], names: Registry
                        ) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Every title the article gives each person (by canonical name), and the gender an
    honorific or a gendered role gives; a relative clause serves only a person with no other
    title. ``mentions`` pair each name with the end of its paragraph."""
    titles: dict[str, list[str]] = {}
    genders: dict[str, str] = {}
    clauses: dict[str, str] = {}
    for name, p_end in mentions:
        key = names.canonical(name.name, name.start)
        if name.gender:
            genders.setdefault(key, name.gender)
        if key.lower() in GROUP_NOUNS:
            continue  # "her fellow Democrats": a group holds no title
        found, clause = _titles_at(text, name, p_end)
        if clause is not None:
            clauses.setdefault(key, clause)
        for title in found:
            _add_title(titles, key, title)
            gendered = (GENDERED_ROLES[w] for w in title.lower().split() if w in GENDERED_ROLES)
            for gender in gendered:
                genders.setdefault(key, gender)
    for key, clause in clauses.items():
        if key not in titles:
            _add_title(titles, key, clause)
    return titles, genders


def _titles_at(text: str, name: Name, p_end: int) -> tuple[list[str], str | None]:
    """The titles one mention gives its person, and a relative clause after it: none after a
    possessive ("Ruiz's mother, a nurse" describes the mother) and no clause after a place."""
    found = [name.title, lowercase_premodifier(text, name.start) if not name.title else None]
    clause = None
    if not name.possessive:
        found.append(apposition(text, name.end, p_end))
        clause = None if name.place else relative_clause(text, name.end, p_end)
    return [title for title in found if title], clause


def _described(titles: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Each person's titles, without bare honorifics where a description is known ("Prof.,
    an obstetrician at X": the description says more than the honorific)."""
    final: dict[str, tuple[str, ...]] = {}
    for key, known in titles.items():
        described = [t for t in known if not BARE_HONORIFICS.issuperset(t.lower().split())]
        final[key] = tuple(described or known)
    return final


def _add_title(titles: dict[str, list[str]], key: str, title: str) -> None:
    """Add ``title`` unless a known title says it already; a fuller title replaces the ones
    it contains ("Republican" gives way to "Republican presidential nominee")."""
    known = titles.setdefault(key, [])
    folded = _bare_title(title)
    if any(_contains(_bare_title(existing), folded) for existing in known):
        return
    kept = [existing for existing in known if not _contains(folded, _bare_title(existing))]
    known[:] = [*kept, title]


def _bare_title(title: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", title.lower())


def _contains(phrase: str, part: str) -> bool:
    """``part`` is a run of whole words of ``phrase``."""
    return re.search(rf"(?<![\w.]){re.escape(part)}(?![\w.])", phrase) is not None

