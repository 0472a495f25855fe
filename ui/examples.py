"""Example questions for the current article, each one checked by asking it first.

An example the app cannot answer teaches a new user that the app does not work, so every
candidate is asked through the pipeline and only those it answers are shown. Candidates come
from the article itself: what it is about, who its speakers are, what they said, and what they
said about the topic their own quotes dwell on most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from qa.core.errors import QAError
from qa.text.tokens import content_tokens, words

if TYPE_CHECKING:
    from qa.answering.pipeline import Pipeline
    from qa.core.types import Person

__all__ = ["article_examples"]

ABOUT = "What is the article about?"
#: A title longer than this, or compound ("President, general secretary of ..."), reads badly.
_MAX_TITLE_CHARS = 60
#: How many candidates are asked at most: each costs one answer (tens of milliseconds).
_MAX_TRIES = 12
_TOPIC_WORD = re.compile(r"^[a-z][a-z-]{3,}$")
#: Frequent in quotes, but no topic: "What did she say about everyone?" reads as nonsense.
_NOT_TOPICS = frozenset(
    """everyone everybody everything someone somebody something anyone anybody anything nobody
    nothing people thing things time times year years way ways today lot lots part kind number
    numbers amount amounts
    really very also just even still already always never hundred thousand million billion
    trillion percent first second third last next""".split()
)
#: Verb and adverb forms ("leaving", "quickly"): a topic to ask about is a thing.
_NOT_TOPIC_ENDINGS = ("ing", "ly")


def _speakers_by_voice(pipeline: Pipeline) -> list[Person]:
    """People (not organisations) in order of how many passages they speak in, most first."""
    voiced = Counter(p.speaker.name for p in pipeline.passages if p.speaker is not None)
    people = [p for p in pipeline.people if not p.is_organization and voiced[p.name] > 0]
    return sorted(people, key=lambda p: -voiced[p.name])


def _topic(pipeline: Pipeline, person: Person) -> str | None:
    """The noun phrase ``person``'s own passages dwell on: the word they use most, weighted
    by rarity in the article, as they say it with its determiner ("the supply chain")."""
    own = [p.text for p in pipeline.passages if p.speaker is not None
           and p.speaker.name == person.name]
    naming = set(words(f"{person.name} {person.title or ''}"))
    counts, surface = _topic_stems(own, naming)
    idf = pipeline.retriever.lexical.idf
    # Once is no topic: a speaker who dwells on something says it at least twice.
    scored = sorted(((n * idf(stem), stem) for stem, n in counts.items() if n >= 2), reverse=True)
    for _, stem in scored:
        phrase = _noun_phrase(own, surface[stem], naming)
        if phrase is not None:
            return phrase
    return None


#: Words that open a noun phrase. A word the speaker never puts after one is no thing to ask
#: about: a verb form ("goes"), an adjective, or a count noun that needs one ("about chain").
# Not "this" or "that": as pronouns they come before verbs ("the work that goes into").
_DETERMINERS = "the|our|their|his|her|its|my|your|a|an"
_MODIFIER = re.compile(r"[a-z][a-z-]+")
_MAX_MODIFIERS = 2
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][a-z-]*)")


def _noun_phrase(texts: list[str], spellings: Counter[str], naming: set[str]) -> str | None:
    """The commonest way ``texts`` say one of ``spellings`` after a determiner, with the
    lower-case words between them ("the steel piles"), opened by "the" whatever the
    speaker's determiner ("our supply chain" is theirs, not the reader's); None when no
    spelling ever follows a determiner."""
    heads = "|".join(re.escape(word) for word in spellings)
    pattern = re.compile(
        rf"\b(?:{_DETERMINERS})\s+((?:[a-z][a-z-]+\s+){{0,{_MAX_MODIFIERS}}}?)({heads})\b",
        re.I,
    )
    found: Counter[str] = Counter()
    for text in texts:
        for match in pattern.finditer(text):
            modifiers = match.group(1).split()
            if any(
                not _MODIFIER.fullmatch(w) or w in naming or not content_tokens(w)
                for w in modifiers
            ):
                continue  # "the rota is": a stop word or a name is no modifier
            if not match.group(2).islower():
                continue  # "The International Pulsar Timing Array": part of a name
            after = _NEXT_WORD.match(text, match.end())
            if after is not None and (
                after.group(1) == "of" or not after.group(1).islower()
                or content_tokens(after.group(1))
            ):
                # "the port authority", "the last berth walls": not the head noun; "a sense
                # of mission", "the number of ships": the topic is what follows "of".
                continue
            found[" ".join(["the", *modifiers, match.group(2).lower()])] += 1
    return found.most_common(1)[0][0] if found else None


def _topic_stems(
    texts: list[str], naming: set[str]
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """How often each stem that could be a topic occurs in ``texts``, and the words that
    spelled it (the question shows the commonest spelling, not the stem)."""
    counts: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = {}
    for text in texts:
        for word in words(text):
            if not _could_be_topic(word, naming):
                continue
            stems = content_tokens(word)
            if not stems:
                continue  # a stop word
            counts[stems[0]] += 1
            surface.setdefault(stems[0], Counter())[word] += 1
    return counts, surface


def _could_be_topic(word: str, naming: set[str]) -> bool:
    # The speaker's own name or title is who they are, not what they talk about.
    return not (
        word in naming
        or word in _NOT_TOPICS
        or word.endswith(_NOT_TOPIC_ENDINGS)
        or not _TOPIC_WORD.match(word)
    )


def _candidates(pipeline: Pipeline) -> Iterator[tuple[str | None, str]]:
    """(who the question is about, question), best first."""
    yield None, ABOUT
    for person in _speakers_by_voice(pipeline)[:3]:
        title = person.title
        if title and len(title) <= _MAX_TITLE_CHARS and "," not in title:
            yield person.name, f"Who is {person.name}?"
        topic = _topic(pipeline, person)
        if topic is not None:
            yield person.name, f"What did {person.name} say about {topic}?"
        yield person.name, f"What did {person.name} say?"


def _answers(pipeline: Pipeline, question: str) -> bool:
    try:
        return pipeline.answer(question, k=1).answered
    except QAError:
        return False


def article_examples(pipeline: Pipeline, limit: int = 4) -> tuple[str, ...]:
    """Up to ``limit`` questions about ``pipeline``'s article that it answers.

    At most two per person, so the examples show the range of the article rather than one
    speaker's every quote.
    """
    chosen: list[str] = []
    per_person: Counter[str] = Counter()
    for tries, (who, question) in enumerate(_candidates(pipeline)):
        if len(chosen) >= limit or tries >= _MAX_TRIES:
            break
        if who is not None and per_person[who] >= 2:
            continue
        if _answers(pipeline, question):
            chosen.append(question)
            if who is not None:
                per_person[who] += 1
    return tuple(chosen)
