"""Measure how well a pipeline answers a question set about its article.

A question set is JSON Lines (one object per line) or CSV with the same columns::

    {"id": "q1", "question": "...", "answers": ["..."], "speaker": "Luo Dajin"}
    {"id": "q2", "question": "...", "unanswerable": true}

A line with ``turns`` instead of ``question`` is one conversation: each turn (with the same
fields as a question) is asked in the context of the turns before it (:mod:`qa.dialogue`)::

    {"id": "c1", "turns": [{"question": "Who is Xu Feng?", "answers": ["..."]},
                           {"question": "What did he say?", "answers": ["..."]}]}

Relevance follows the DPR "answer recall" convention: a returned passage is relevant when it
contains one of the question's answer strings (case-insensitive, whitespace-normalised), so
no passage ids need to be annotated and the set survives changes to how the article is cut.

:func:`evaluate` reports recall@1/3/5, MRR@10 and nDCG@10 over answerable questions, the
accuracy of the top passage's speaker, how declining behaves on answerable and unanswerable
questions, and warm query latency. The metric functions are pure and take a list of booleans
(relevance by rank), which is what the tests cross-check against ir-measures.

The modules, in the order a run uses them: :mod:`~qa.evaluation.sets` (reading a set),
:mod:`~qa.evaluation.run` (asking it), :mod:`~qa.evaluation.metrics` and
:mod:`~qa.evaluation.results` (scoring), :mod:`~qa.evaluation.report` (tables).
"""

from __future__ import annotations

from qa.evaluation.metrics import (
    exact_match,
    is_relevant,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    token_f1,
)
from qa.evaluation.report import format_comparison, format_report
from qa.evaluation.results import PassageHit, QuestionResult, Report, summarise
from qa.evaluation.run import (
    COMPARED_RETRIEVERS,
    MIN_K,
    Retriever,
    SupportsAnswer,
    compare,
    evaluate,
    write_details,
)
from qa.evaluation.sets import NARRATION, EvalQuestion, load_questions

__all__ = [
    "COMPARED_RETRIEVERS",
    "MIN_K",
    "NARRATION",
    "EvalQuestion",
    "PassageHit",
    "QuestionResult",
    "Report",
    "Retriever",
    "SupportsAnswer",
    "compare",
    "evaluate",
    "exact_match",
    "format_comparison",
    "format_report",
    "is_relevant",
    "load_questions",
    "ndcg_at",
    "recall_at",
    "reciprocal_rank",
    "summarise",
    "token_f1",
    "write_details",
]
