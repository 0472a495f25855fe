"""What ranking and declining read: the raw signals of candidate passages, one candidate's
evidence, and the evidence about the top passage that decides whether to decline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.ranking.answer_types import AnswerType

__all__ = ["Candidate", "Evidence", "ReaderVerdict", "Signals"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One passage's evidence for a question (raw signals, and its score)."""

    passage_id: int
    score: float
    dense: float
    sentence: float
    lexical: float
    speaker_match: bool
    #: Idf-weighted share of the question's content words in the passage and in its best
    #: sentence (hybrid ranking only).
    coverage: float = 0.0
    sentence_coverage: float = 0.0
    #: Score minus the best score among the *other* candidates: positive only for the top
    #: passage, and the larger the clearer its lead (hybrid ranking only).
    margin: float = 0.0


@dataclass(frozen=True, slots=True)
class Signals:
    """Every raw signal for a set of candidate passages (one array element per candidate),
    before fusion; the fitting script caches these and refits without model calls."""

    ids: np.ndarray
    #: Cosine of the question with the passage encoded together with its speaker's name and
    #: title, so "what did the commission director say" meets the director's passages.
    dense: np.ndarray
    #: Best cosine of the question with any one sentence of the passage: long paragraphs
    #: blur in one vector, while a question usually targets one sentence.
    sentence: np.ndarray
    #: BM25 over stemmed content words, without the words that only name the speaker.
    lexical: np.ndarray
    #: BM25 over adjacent pairs of those words: rewards keeping the question's words together.
    phrase: np.ndarray
    #: 1 for passages by the person the question asks about ("What did Luo say ...").
    speaker: np.ndarray
    #: For "who is"/"what post" questions: the share of the person's title in the passage.
    title: np.ndarray
    #: 1 for passages holding the kind of answer asked for (a number for "how many", ...).
    answer_type: np.ndarray
    #: BM25 of the passage's best sentence, sentences scored as documents of their own.
    sentence_lexical: np.ndarray
    #: Idf-weighted share of the question's content words found in the passage ...
    coverage: np.ndarray
    #: ... and in its best sentence for them.
    sentence_coverage: np.ndarray
    #: 1 for an article's headline (a short first line without a full stop): it restates
    #: the lead in fewer words, so it matches many questions and answers almost none.
    headline: np.ndarray


@dataclass(frozen=True, slots=True)
class ReaderVerdict:
    """What the trained reader (:mod:`qa.reading`) says of the top passage."""

    #: Logit that the passage's best sentence answers the question.
    answerable: float
    #: How sure its span head is of the answer's words (start + end logit).
    span_score: float
    #: ``answerable`` minus the best of the other passages read: is the top one clearly it?
    lead: float


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the best passage offers a question; :class:`DeclinePolicy` judges it."""

    answer_type: AnswerType | None
    #: The best-matching sentence holds an answer of ``answer_type``.
    answer_type_found: bool
    asks_for_person_by_role: bool
    #: The question refers to a person the article knows (by name, surname or title), or
    #: the role it asks about is a word of the article ("Who is the mayor?" and a mayor is
    #: mentioned, if only in passing).
    person_found: bool
    #: Idf-weighted share of the question's content words in the passage.
    coverage: float
    #: Cosine of the question with the passage's best sentence.
    similarity: float
    #: What the question asks about that the article never mentions (see
    #: :func:`missing_focus`), if anything.
    missing_focus: str | None = None
    #: The fusion model's score for the passage, and its lead over the runner-up.
    score: float = 0.0
    margin: float = 0.0
    #: Cosine of the question with the passage (encoded with its speaker).
    dense: float = 0.0
    #: Idf-weighted share of the question's content words in the passage's best sentence ...
    sentence_coverage: float = 0.0
    #: ... and anywhere in the article.
    article_coverage: float = 0.0
    #: The highest idf among question words missing from the passage, over the highest
    #: possible idf (1.0: a word the article never uses).
    missing_idf: float = 0.0
    #: Share of the question's names and numbers (:func:`entity_words`) not in the passage.
    entities_missing: float = 0.0
    #: The question says "not"/"never" and the passage's best sentence does not.
    negation_mismatch: bool = False
    #: How many content words the question has.
    question_words: int = 0
    #: A "who said X?" question whose best passage is the article's own voice: nobody in
    #: the article is quoted saying X.
    nobody_quoted: bool = False
    #: The question asks for a person, organisation, place, number, date or list and the best
    #: sentence holds no clear candidate of that kind (the short-answer finder found none).
    typed_answer_missing: bool = False
    #: The question asks for someone's words ("What did Xi say about ...?") and the best
    #: passage is someone else's or the article's own.
    speaker_mismatch: bool = False
    #: The reader's verdict on the top passage (None when no reader read it).
    reader: ReaderVerdict | None = None
