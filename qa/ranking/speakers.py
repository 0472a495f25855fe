"""Which people a question refers to: by full name, surname or title, as speaker or topic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from qa.core.types import Person
from qa.text.lexicon import QUESTION_SPEECH_WORDS
from qa.text.tokens import STOPWORDS, content_tokens, words
from qa.text.tokens import stem as _stem

__all__ = ["SPEECH_WORDS", "PeopleIndex", "SpeakerMatch", "match_speakers"]

#: Words that make the person next to them in a question the source of what is asked about.
SPEECH_WORDS = QUESTION_SPEECH_WORDS


@dataclass(frozen=True, slots=True)
class SpeakerMatch:
    """A person the question refers to.

    ``how`` is ``name``, ``surname`` or ``title``; ``words`` the positions (in
    :func:`words` of the question) that refer to them; ``as_speaker`` whether the question
    asks what this person said or thinks ("What did Luo say ...", "according to the
    commission director") rather than mentioning them as a topic ("reactions to Xi's speech").
    """

    person: Person
    how: str
    words: tuple[int, ...]
    as_speaker: bool


# A complement ending the person's noun phrase: "the mayor of Harlow Springs [think]".
_COMPLEMENT_STARTS = frozenset("of at for from in with".split())


def _speaker_role(question_words: Sequence[str], first: int, last: int) -> bool:
    before = question_words[max(0, first - 5) : first]
    complement = last + 1 < len(question_words) and question_words[last + 1] in _COMPLEMENT_STARTS
    after = question_words[last + 1 : last + (7 if complement else 4)]
    text_before = " ".join(before)
    return "according to" in text_before or any(w in SPEECH_WORDS for w in after)


def _phrase_positions(haystack: Sequence[str], phrase: Sequence[str]) -> list[int]:
    size = len(phrase)
    if not size:
        return []
    phrase = list(phrase)
    return [
        j
        for i in range(len(haystack) - size + 1)
        if haystack[i] == phrase[0] and list(haystack[i : i + size]) == phrase
        for j in range(i, i + size)
    ]


@dataclass(frozen=True, slots=True)
class _PersonForms:
    """The word forms by which a question can refer to one person, computed once."""

    person: Person
    name_words: tuple[str, ...]
    #: Name words no other person answers to alone ("Luo" when one Luo is known).
    surnames: tuple[str, ...]
    #: Aliases (as word tuples) precise enough to name the person on their own.
    exact_aliases: tuple[tuple[str, ...], ...]
    #: Stems of the title and aliases, minus the name.
    title_stems: frozenset[str]


_Key = TypeVar("_Key")

#: A person whose title a question may refer to: (score, question word positions, person).
_TitleCandidate = tuple[float, list[int], Person]


def _single_alias_counts(people: Sequence[Person]) -> Counter[str]:
    """How many people answer to each one-word alias: a word only one of them answers to
    can name that person alone, one shared by several ("Chen" of two Chens) cannot."""
    return Counter(
        alias for person in people for alias in set(person.aliases) if " " not in alias
    )


def _surnames(
    person: Person, name_words: tuple[str, ...], single_aliases: Counter[str]
) -> tuple[str, ...]:
    # An organisation's name words ("Council") are not surnames: one word of its name
    # alone does not refer to it.
    if person.is_organization:
        return ()
    return tuple(sorted({w for w in name_words if single_aliases[w] == 1}))


def _exact_aliases(person: Person, single_aliases: Counter[str]) -> tuple[tuple[str, ...], ...]:
    # A multi-word alias is precise by itself; a one-word alias only when nobody else shares
    # it; a stopword alias ("he") would match almost any question.
    aliases = (
        tuple(words(alias))
        for alias in dict.fromkeys(person.aliases)
        if (" " in alias or single_aliases[alias] == 1) and alias not in STOPWORDS
    )
    # An alias with no words (punctuation only) would match every question.
    return tuple(alias for alias in aliases if alias)


def _title_stems(person: Person, name_words: tuple[str, ...]) -> frozenset[str]:
    # The name is left out so that naming a person is never mistaken for describing them.
    stems: set[str] = set()
    for phrase in (person.title or "", *person.aliases):
        stems.update(content_tokens(phrase))
    return frozenset(stems - {_stem(w) for w in name_words})


def _person_forms(person: Person, single_aliases: Counter[str]) -> _PersonForms:
    name_words = tuple(words(person.name))
    return _PersonForms(
        person,
        name_words,
        _surnames(person, name_words, single_aliases),
        _exact_aliases(person, single_aliases),
        _title_stems(person, name_words),
    )


def _invert(
    forms: Sequence[_PersonForms], keys: Callable[[_PersonForms], Iterable[_Key]]
) -> dict[_Key, set[int]]:
    """Each key -> the numbers of the people having it, so a question looks people up by
    its words instead of scanning everyone."""
    index: dict[_Key, set[int]] = {}
    for number, person_forms in enumerate(forms):
        for key in keys(person_forms):
            index.setdefault(key, set()).add(number)
    return index


def _question_phrases(question_words: Sequence[str], longest: int) -> set[tuple[str, ...]]:
    """Every run of up to ``longest`` question words: the only lengths an alias can have."""
    return {
        tuple(question_words[i : i + size])
        for size in range(1, 1 + longest)
        for i in range(len(question_words) - size + 1)
    }


def _name_match(forms: _PersonForms, question_words: Sequence[str]) -> SpeakerMatch | None:
    """The reference to this person by full name or surname, if the question has one."""
    full_name = _phrase_positions(question_words, forms.name_words)
    positions = list(full_name)
    for part in forms.surnames:
        positions += _phrase_positions(question_words, [part])
    if not positions:
        return None
    positions = sorted(set(positions))
    role = any(_speaker_role(question_words, i, i) for i in positions)
    how = "name" if full_name else "surname"
    return SpeakerMatch(forms.person, how, tuple(positions), role)


def _title_candidate(
    forms: _PersonForms,
    stems: Sequence[str],
    phrases: set[tuple[str, ...]],
    weight: Callable[[str], float],
) -> _TitleCandidate | None:
    """This person's claim to be the one the question describes by title, if strong enough:
    two title words, or one backed by an exact alias (which also counts for more)."""
    overlap = [i for i, stem in enumerate(stems) if stem and stem in forms.title_stems]
    if not overlap:
        return None
    exact = any(alias in phrases for alias in forms.exact_aliases)
    if len(overlap) < 2 and not exact:
        return None
    score = sum(weight(stems[i]) for i in overlap) * (1.5 if exact else 1.0)
    return score, overlap, forms.person


def _best_title_match(
    candidates: list[_TitleCandidate], question_words: Sequence[str]
) -> SpeakerMatch | None:
    """The title reference that beats every other; a tie means the title is ambiguous and
    names nobody."""
    ranked = sorted(candidates, key=lambda c: -c[0])
    # Written as "not beaten" rather than "<=" so that an idf giving NaN still names nobody.
    if not ranked or (len(ranked) > 1 and not ranked[0][0] > ranked[1][0]):
        return None
    _, overlap, person = ranked[0]
    role = _speaker_role(question_words, overlap[0], overlap[-1])
    return SpeakerMatch(person, "title", tuple(overlap), role)


def _unit_weight(_stem: str) -> float:
    return 1.0


class PeopleIndex:
    """Finds the people a question refers to, by full name, surname or title.

    Every form a person can be named by is prepared once, and inverted maps from name words,
    title stems and aliases to people mean a question only examines the people it could
    refer to: on a collection with thousands of speakers that is a handful, not all of them.
    """

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = tuple(people)
        single_aliases = _single_alias_counts(self.people)
        self._forms = [_person_forms(person, single_aliases) for person in self.people]
        self._by_word: dict[str, set[int]] = _invert(self._forms, lambda f: f.name_words)
        self._by_stem: dict[str, set[int]] = _invert(self._forms, lambda f: f.title_stems)
        self._by_alias: dict[tuple[str, ...], set[int]] = _invert(
            self._forms, lambda f: f.exact_aliases
        )
        # Questions are cut into phrases no longer than this to look aliases up.
        self._longest_alias = max(
            (len(alias) for forms in self._forms for alias in forms.exact_aliases), default=0
        )

    def _title_form(self, word: str) -> str:
        """The stem of ``word`` as title words are stored; an agent noun also matches the
        verb a title uses ("the union leader" -> "who leads the union branch")."""
        stem = _stem(word)
        if stem in self._by_stem or not stem.endswith(("er", "or")) or len(stem) < 5:
            return stem
        verb = stem[:-2]
        return verb if verb in self._by_stem else stem

    def _nearby(
        self,
        question_words: Sequence[str],
        stems: Sequence[str],
        phrases: set[tuple[str, ...]],
    ) -> set[int]:
        """The people who could pass a test in :meth:`match`: a name word in the question,
        two title words (a common one like "director" alone can be shared by thousands), or
        one title word plus one of their exact aliases."""
        nearby: set[int] = set()
        for word in question_words:
            nearby |= self._by_word.get(word, set())
        title_words: Counter[int] = Counter()
        for stem in stems:
            if stem:
                title_words.update(self._by_stem.get(stem, ()))
        nearby.update(number for number, count in title_words.items() if count >= 2)
        for phrase in phrases:
            nearby.update(n for n in self._by_alias.get(phrase, ()) if n in title_words)
        return nearby

    def match(
        self, question: str, idf: Callable[[str], float] | None = None
    ) -> list[SpeakerMatch]:
        """People ``question`` refers to: by full name or surname, else by their title.

        A title reference needs two content words of one person's title ("the commission
        director", "the general secretary") or one title word that is that person's alone
        ("the president"), and must beat every other person's title, words weighted by
        ``idf`` when given (so a shared, common word like the city's name counts little); a
        bare "science" names nobody.
        """
        weight = idf or _unit_weight
        question_words = words(question)
        stems = [self._title_form(w) if w not in STOPWORDS else "" for w in question_words]
        phrases = _question_phrases(question_words, self._longest_alias)
        found: list[SpeakerMatch] = []
        title_candidates: list[_TitleCandidate] = []
        for number in sorted(self._nearby(question_words, stems, phrases)):
            forms = self._forms[number]
            # Someone named outright is never also considered by title.
            by_name = _name_match(forms, question_words)
            if by_name is not None:
                found.append(by_name)
                continue
            candidate = _title_candidate(forms, stems, phrases, weight)
            if candidate is not None:
                title_candidates.append(candidate)
        by_title = _best_title_match(title_candidates, question_words)
        if by_title is not None:
            found.append(by_title)
        return found


def match_speakers(
    question: str, people: Sequence[Person], idf: Callable[[str], float] | None = None
) -> list[SpeakerMatch]:
    """:meth:`PeopleIndex.match` for a one-off question; build a :class:`PeopleIndex` once
    to ask many."""
    return PeopleIndex(people).match(question, idf)
