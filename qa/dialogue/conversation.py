"""A conversation: follow-up questions answered in the context of the earlier ones.

    >>> from qa import conversation
    >>> chat = conversation()
    >>> chat.ask("Who is Xu Feng?").answered
    True
    >>> chat.ask("What did he say?").resolved_question
    'What did Xu Feng say?'

A :class:`Conversation` holds only its turns and the :class:`~qa.dialogue.resolve.
DialogueState` derived from them; understanding a follow-up is the pure function
:func:`~qa.dialogue.resolve.resolve`, and ranking stays the pipeline's job (the
conversation only passes it the self-contained question and which passages to put first or
last). Many conversations share one pipeline; each is safe to use from one thread at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from qa.core.config import Config, RetrieverName
from qa.core.errors import QuestionError
from qa.core.types import Answer
from qa.dialogue.reply import decline_reply, nothing_more
from qa.dialogue.resolve import (
    ArticleView,
    DialogueState,
    Resolution,
    advance,
    resolve,
)
from qa.ranking.signals import Evidence

if TYPE_CHECKING:
    from qa.answering.pipeline import Pipeline

__all__ = ["MAX_HISTORY_TURNS", "Conversation", "Turn", "conversation", "validate_history"]

#: The most earlier questions a replayed conversation may carry (each costs one search).
MAX_HISTORY_TURNS = 20


@dataclass(frozen=True, slots=True)
class Turn:
    """One question of a conversation, the self-contained question it was understood as,
    and the answer it got."""

    question: str
    resolved_question: str
    answer: Answer


class Conversation:
    """A dialogue over one pipeline: each question is understood in the light of the earlier
    ones (see :mod:`qa.dialogue.resolve`) and answered by the pipeline."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self._view = ArticleView(
            pipeline.passages, pipeline.people, pipeline.retriever.match_speakers
        )
        self._turns: list[Turn] = []
        self._state = DialogueState()

    @property
    def pipeline(self) -> Pipeline:
        return self._pipeline

    @property
    def view(self) -> ArticleView:
        """What the rules consult about the article (shared, read-only)."""
        return self._view

    @property
    def turns(self) -> tuple[Turn, ...]:
        return tuple(self._turns)

    @property
    def state(self) -> DialogueState:
        """What the conversation has established so far (immutable)."""
        return self._state

    def reset(self) -> None:
        """Start over: the next question is understood on its own."""
        self._turns.clear()
        self._state = DialogueState()

    def understand(self, question: str) -> Resolution:
        """How ``question`` would be asked next, without asking it."""
        from qa.answering.pipeline import clean_question

        text = clean_question(question, self._pipeline.config.max_question_chars)
        return resolve(text, self._state, self._view)

    def ask(
        self, question: str, k: int | None = None, *, retriever: RetrieverName | None = None
    ) -> Answer:
        """Answer ``question`` in this conversation; ``resolved_question`` says how it was
        understood. Raises :class:`QuestionError` for an empty or over-long question."""
        return self.ask_with_evidence(question, k, retriever=retriever)[0]

    def ask_with_evidence(
        self, question: str, k: int | None = None, *, retriever: RetrieverName | None = None
    ) -> tuple[Answer, Evidence | None]:
        """:meth:`ask`, plus the evidence the decision to answer or decline rests on (None
        for a question about the article itself, answered from its metadata)."""
        resolution = self.understand(question)
        answer, evidence = self._pipeline.respond(
            resolution.resolved_question,
            k,
            retriever=retriever,
            prefer=resolution.prefer,
            demote=resolution.demote,
            # "go on", "anything more from him?", "the second one", "in that quote": the
            # passage the rules point to is the answer; "Why?" and demonstratives only say
            # where to look.
            prefer_answers=resolution.rule in ("more", "ordinal", "same-quote"),
        )
        reply = answer.reply
        # "What else did she say?" after all she says: retrieval would offer someone else.
        more = None
        if resolution.rule == "more":
            more = nothing_more(
                resolution.question, resolution.subject, self._view.passages, resolution.demote
            )
        if more is not None:
            reply = more[0]
            answer = replace(answer, answered=True, passages=more[1], confidence=None, short=None)
        elif not answer.answered and answer.passages and resolution.rule != "as-is":
            reply = decline_reply(resolution.resolved_question, resolution.subject, reply)
        answer = replace(
            answer,
            question=resolution.question,
            resolved_question=resolution.resolved_question,
            reply=reply,
        )
        self._turns.append(Turn(resolution.question, resolution.resolved_question, answer))
        self._state = advance(self._state, resolution, answer, self._view)
        return answer, evidence

    @classmethod
    def replay(cls, pipeline: Pipeline, history: Sequence[str]) -> Conversation:
        """A conversation that has already asked ``history`` (earlier questions, in order),
        so any process holding the pipeline can answer the next turn."""
        conversation = cls(pipeline)
        for question in validate_history(history, pipeline.config.max_question_chars):
            conversation.ask(question)
        return conversation


def validate_history(history: object, max_chars: int | None = None) -> tuple[str, ...]:
    """``history`` as a tuple of questions; :class:`QuestionError` (one line) if it is not a
    list of at most :data:`MAX_HISTORY_TURNS` non-empty strings within the length limit."""
    limit = Config().max_question_chars if max_chars is None else max_chars
    if not isinstance(history, list | tuple):
        raise QuestionError(
            f"the history must be a list of earlier questions, not {type(history).__name__}"
        )
    if len(history) > MAX_HISTORY_TURNS:
        raise QuestionError(
            f"the history has {len(history)} turns; the limit is {MAX_HISTORY_TURNS} "
            "(start a new conversation)"
        )
    for number, turn in enumerate(history, start=1):
        if not isinstance(turn, str):
            raise QuestionError(
                f"history turn {number} must be text, not {type(turn).__name__}"
            )
        if len(turn) > limit:
            raise QuestionError(
                f"history turn {number} is {len(turn):,} characters long; the limit is {limit:,}"
            )
        if not turn.strip():
            raise QuestionError(f"history turn {number} is empty")
    return tuple(history)


def conversation(article: str | Path | None = None) -> Conversation:
    """A new conversation over ``article`` (default: the seed article), sharing the
    process-wide pipeline that :func:`qa.answer` uses."""
    from qa.answering.pipeline import default_pipeline

    return Conversation(default_pipeline(article))
