"""Does the article answer the question? The evidence behind ``Answer.answered``.

Retrieval always returns *something*, so declining needs its own evidence, gathered here as
an :class:`Evidence` value and judged by :class:`DeclinePolicy`: a calibrated decline model
(:class:`qa.ranking.models.DeclineModel`, fitted on development questions) turns it into the
probability that the top passage answers the question, and the question is declined below the
model's threshold. The evidence combines the fusion score and its margin over the runner-up,
similarities, how much of the question the passage (and its best sentence, and the article)
covers, names and numbers of the question missing from the passage, a negation the passage
lacks, and classic question-answering checks that similarity alone cannot make:

- the expected answer type: a "how many" question needs a number in the passage, "how old"
  an age ("Rao, 31,", "aged 52") or a founding year, a "how tall/long" question a
  measurement (a number with a unit), a "when" question a date or time expression, a
  "where" question a place;
- a "who is the <role>" question needs a person the article gives that role;
- the thing asked about must be in the article: "what did the governor say" needs a governor,
  "how many jobs" needs jobs (:func:`missing_focus`);
- "who said X?" needs someone in the article to say it.

The last three can also act as hard rules beside the model, where measurement shows they add
to it (:class:`DeclinePolicy`).
"""

from __future__ import annotations

from collections.abc import Collection

from qa.ranking.models import DeclineModel, default_decline
from qa.ranking.signals import Evidence

__all__ = ["DeclinePolicy"]


class DeclinePolicy:
    """Decides whether the best passage answers the question.

    The calibrated decline model (:class:`qa.ranking.models.DeclineModel`) gives the probability;
    below its threshold the question is declined. ``rules`` names the hard rules applied
    beside it (default: those the model file lists, which ``benchmarks/fit_fusion.py`` keeps
    only when, on the fit split, each declines at least three unanswerable questions the
    model lets through per answerable one). The rules:
    ``answer_type`` (the best sentence lacks the kind of answer asked for), ``role`` (a "who
    is the <role>" question whose role nobody in the article has), ``focus`` (the source or
    thing counted is never mentioned), ``who_said`` (a "who said X?" question whose best
    passage quotes nobody), ``off_topic`` (see :attr:`OFF_TOPIC`).
    """

    RULES: tuple[str, ...] = ("answer_type", "role", "focus", "who_said", "off_topic")
    #: ``off_topic``: (minimum coverage, minimum similarity) pairs; a question is declined
    #: when its best passage falls below *both* values of any pair: almost none of its words
    #: are there and no sentence is close in meaning ("What is the capital of France?").
    OFF_TOPIC: tuple[tuple[float, float], ...] = ((0.2, 0.3), (0.5, 0.2))

    def __init__(
        self, model: DeclineModel | None = None, rules: Collection[str] | None = None
    ) -> None:
        self.model = model or default_decline()
        self.rules = frozenset(self.model.rules if rules is None else rules)
        unknown = self.rules.difference(self.RULES)
        if unknown:
            raise ValueError(f"unknown decline rules {sorted(unknown)}; known: {self.RULES}")

    def confidence(self, evidence: Evidence) -> float:
        """The probability, in [0, 1], that the top passage answers the question: the
        model's, or 0.0 when a hard rule says it does not."""
        if self.broken_rule(evidence) is not None:
            return 0.0
        return self.model.probability(evidence)

    def broken_rule(self, evidence: Evidence) -> str | None:
        """The first hard rule ``evidence`` fails, if any."""
        if (
            "answer_type" in self.rules
            and evidence.answer_type is not None
            and not evidence.answer_type_found
        ):
            return "answer_type"
        if "role" in self.rules and evidence.asks_for_person_by_role and not evidence.person_found:
            return "role"
        if "focus" in self.rules and evidence.missing_focus is not None:
            return "focus"
        if "who_said" in self.rules and evidence.nobody_quoted:
            return "who_said"
        if "off_topic" in self.rules and any(
            evidence.coverage < coverage and evidence.similarity < similarity
            for coverage, similarity in self.OFF_TOPIC
        ):
            return "off_topic"
        return None

    def accepts(self, evidence: Evidence, confidence: float | None = None) -> bool:
        """Whether ``evidence`` is enough to say the article answers the question."""
        if confidence is None:
            confidence = self.confidence(evidence)
        return confidence >= self.model.threshold and self.broken_rule(evidence) is None
