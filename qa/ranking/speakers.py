"""Which people a question refers to: by full name, surname or title, as speaker or topic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


class PeopleIndex:
    """Finds the people a question refers to, by full name, surname or title.

    Every form a person can be named by is prepared once, and inverted maps from name words,
    title stems and aliases to people mean a question only examines the people it could
    refer to: on a collection with thousands of speakers that is a handful, not all of them.
    """

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = tuple(people)
        single_aliases = Counter(
            alias for person in self.people for alias in set(person.aliases) if " " not in alias
        )
        self._forms: list[_PersonForms] = []
        self._by_word: dict[str, set[int]] = {}
        self._by_stem: dict[str, set[int]] = {}
        self._by_alias: dict[tuple[str, ...], set[int]] = {}
        self._longest_alias = 0
        for number, person in enumerate(self.people):
            name_words = tuple(words(person.name))
            surnames: tuple[str, ...] = ()
            if not person.is_organization:
                surnames = tuple(sorted({w for w in name_words if single_aliases[w] == 1}))
            exact_aliases = tuple(
                tuple(words(alias))
                for alias in dict.fromkeys(person.aliases)
                if (" " in alias or single_aliases[alias] == 1) and alias not in STOPWORDS
            )
            title_stems: set[str] = set()
            for phrase in (person.title or "", *person.aliases):
                title_stems.update(content_tokens(phrase))
            forms = _PersonForms(
                person,
                name_words,
                surnames,
                tuple(alias for alias in exact_aliases if alias),
                frozenset(title_stems - {_stem(w) for w in name_words}),
            )
            self._forms.append(forms)
            self._longest_alias = max(
                (self._longest_alias, *(len(alias) for alias in forms.exact_aliases))
            )
            for word in name_words:
                self._by_word.setdefault(word, set()).add(number)
            for stem in forms.title_stems:
                self._by_stem.setdefault(stem, set()).add(number)
            for alias in forms.exact_aliases:
                self._by_alias.setdefault(alias, set()).add(number)

    def _title_form(self, word: str) -> str:
        """The stem of ``word`` as title words are stored; an agent noun also matches the
        verb a title uses ("the union leader" -> "who leads the union branch")."""
        stem = _stem(word)
        if stem in self._by_stem or not stem.endswith(("er", "or")) or len(stem) < 5:
            return stem
        verb = stem[:-2]
        return verb if verb in self._by_stem else stem

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
        weight = idf or (lambda _stem: 1.0)
        question_words = words(question)
        stems = [self._title_form(w) if w not in STOPWORDS else "" for w in question_words]
        phrases = {
            tuple(question_words[i : i + size])
            for size in range(1, 1 + self._longest_alias)
            for i in range(len(question_words) - size + 1)
        }
        # Only people who could pass a test below are examined: a name word in the question,
        # two title words (a common one like "director" alone can be shared by thousands), or
        # one title word plus one of their exact aliases.
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
        found: list[SpeakerMatch] = []
        title_candidates: list[tuple[float, list[int], Person]] = []
        for number in sorted(nearby):
            forms = self._forms[number]
            full_name = _phrase_positions(question_words, forms.name_words)
            positions = list(full_name)
            for part in forms.surnames:
                positions += _phrase_positions(question_words, [part])
            if positions:
                positions = sorted(set(positions))
                role = any(_speaker_role(question_words, i, i) for i in positions)
                how = "name" if full_name else "surname"
                found.append(SpeakerMatch(forms.person, how, tuple(positions), role))
                continue
            overlap = [i for i, stem in enumerate(stems) if stem and stem in forms.title_stems]
            if not overlap:
                continue
            exact = any(alias in phrases for alias in forms.exact_aliases)
            if len(overlap) >= 2 or exact:
                score = sum(weight(stems[i]) for i in overlap) * (1.5 if exact else 1.0)
                title_candidates.append((score, overlap, forms.person))
        title_candidates.sort(key=lambda c: -c[0])
        if title_candidates and (
            len(title_candidates) == 1 or title_candidates[0][0] > title_candidates[1][0]
        ):
            _, overlap, person = title_candidates[0]
            role = _speaker_role(question_words, overlap[0], overlap[-1])
            found.append(SpeakerMatch(person, "title", tuple(overlap), role))
        return found


def match_speakers(
    question: str, people: Sequence[Person], idf: Callable[[str], float] | None = None
) -> list[SpeakerMatch]:
    """:meth:`PeopleIndex.match` for a one-off question; build a :class:`PeopleIndex` once
    to ask many."""
    return PeopleIndex(people).match(question, idf)
