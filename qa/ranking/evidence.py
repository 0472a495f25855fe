"""The evidence about the top passage that the decline decision reads, gathered as a pure
function of the question, the ranking and the lexical index (one small helper per signal)."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from qa.core.types import RankedPassage
from qa.ranking.answer_types import expected_answer_type, has_answer_type
from qa.ranking.lexical import LexicalIndex
from qa.ranking.question import (
    asked_role,
    asks_who_said,
    entity_words,
    has_negation,
    missing_focus,
)
from qa.ranking.signals import Candidate, Evidence, ReaderVerdict
from qa.ranking.speakers import SpeakerMatch
from qa.text.tokens import content_tokens, words

__all__ = ["gather_evidence"]


@dataclass(frozen=True, slots=True)
class _Coverage:
    """How much of the question's idf weight the top passage and the article hold."""

    total: float
    missing: tuple[float, ...]
    in_article: float

    def share(self) -> float:
        return (self.total - sum(self.missing)) / self.total if self.total else 0.0

    def article_share(self) -> float:
        return self.in_article / self.total if self.total else 0.0


def _coverage(tokens: Sequence[str], top_text: str, lexical: LexicalIndex) -> _Coverage:
    wanted = {token: lexical.idf(token) for token in tokens}
    top_tokens = set(content_tokens(top_text))
    return _Coverage(
        total=sum(wanted.values()),
        missing=tuple(idf for token, idf in wanted.items() if token not in top_tokens),
        in_article=sum(idf for token, idf in wanted.items() if lexical.contains(token)),
    )


def _spoken_words(
    question_words: Sequence[str], speakers: Sequence[SpeakerMatch], top_speaker: str | None
) -> set[str]:
    """Question words naming the top passage's speaker: "What did Luo Dajin say ...?"
    answered by a passage that says only "Luo said" has the name as its speaker."""
    return {
        question_words[i]
        for match in speakers
        if match.person.name == top_speaker
        for i in match.words
    }


def _entities_missing(question: str, top_words: Set[str], spoken: Set[str]) -> float:
    """Share of the question's names and numbers that the top passage lacks."""
    entities = entity_words(question)
    if not entities:
        return 0.0
    return sum(e not in top_words and e not in spoken for e in entities) / len(entities)


def _person_found(
    speakers: Sequence[SpeakerMatch], role: str | None, lexical: LexicalIndex
) -> bool:
    return bool(speakers) or (
        role is not None and any(map(lexical.contains, content_tokens(role)))
    )


def _is_known(
    question_words: Sequence[str], speakers: Sequence[SpeakerMatch], lexical: LexicalIndex
) -> Callable[[str, str], bool]:
    """Whether the article knows a phrase of the question (see :func:`missing_focus`)."""
    person_words = {question_words[i] for match in speakers for i in match.words}

    def is_known(phrase: str, head: str) -> bool:
        # "the municipal Party official" is known when it picked out a person by title.
        return bool(person_words.intersection(words(phrase))) or any(
            lexical.contains(token) for token in content_tokens(head)
        )

    return is_known


def _nothing_found(question: str, reader: ReaderVerdict | None) -> Evidence:
    """The evidence when there is no passage at all (an article with no text to search)."""
    answer_type = expected_answer_type(question)
    return Evidence(
        answer_type=answer_type, answer_type_found=False,
        asks_for_person_by_role=asked_role(question) is not None, person_found=False,
        coverage=0.0, similarity=0.0, reader=reader,
    )


def gather_evidence(
    question: str,
    tokens: Sequence[str],
    candidates: Sequence[Candidate],
    ranked: Sequence[RankedPassage],
    speakers: Sequence[SpeakerMatch],
    lexical: LexicalIndex,
    known_words: Set[str],
    *,
    typed_answer_missing: bool = False,
    reader: ReaderVerdict | None = None,
) -> Evidence:
    """What the top passage offers ``question`` (searched text; ``tokens`` its query tokens):
    the input of :class:`qa.ranking.decline.DeclinePolicy`."""
    if not candidates or not ranked:
        return _nothing_found(question, reader)
    top, first = candidates[0], ranked[0]
    question_words = words(question)
    top_speaker = first.speaker.name if first.speaker else None
    coverage = _coverage(tokens, first.text, lexical)
    spoken = _spoken_words(question_words, speakers, top_speaker)
    asked = {match.person.name for match in speakers if match.as_speaker}
    answer_type = expected_answer_type(question)
    # "What did Corinne Ashby say?" has no words beyond its speaker: when she speaks in the
    # top passage nothing asked is missing from it (not 0%, which reads as off topic).
    speaker_only = not coverage.total and top_speaker is not None and bool(spoken)
    if speaker_only:
        coverage = _Coverage(total=1.0, missing=(), in_article=1.0)
    role = asked_role(question)
    top_sentence = first.highlight.text
    return Evidence(
        missing_focus=missing_focus(question, _is_known(question_words, speakers, lexical)),
        answer_type=answer_type,
        # The sentence that best matches the question must hold the kind of answer asked for.
        answer_type_found=answer_type is not None
        and has_answer_type(top_sentence, answer_type, set(known_words) | set(question_words)),
        asks_for_person_by_role=role is not None,
        person_found=_person_found(speakers, role, lexical),
        coverage=coverage.share(),
        similarity=top.sentence,
        score=top.score,
        margin=top.margin,
        dense=top.dense,
        sentence_coverage=1.0 if speaker_only else top.sentence_coverage,
        article_coverage=coverage.article_share(),
        missing_idf=max(coverage.missing, default=0.0) / lexical.max_idf,
        entities_missing=_entities_missing(question, set(words(first.text)), spoken),
        negation_mismatch=has_negation(question) and not has_negation(top_sentence),
        question_words=len(set(tokens)),
        nobody_quoted=asks_who_said(question) and first.speaker is None,
        typed_answer_missing=typed_answer_missing,
        speaker_mismatch=bool(asked) and top_speaker not in asked,
        reader=reader,
    )
