"""Errors a user can cause, as one hierarchy.

    QAError                      base class; ``str(err)`` is a one-line message for a person
    ├── ArticleError             missing, unreadable, non-UTF-8, binary or empty article
    ├── QuestionError            empty, whitespace-only or over-long question
    ├── QuestionSetError         malformed question-set file (names the line)
    ├── IndexMismatchError       a cached index that does not match its article or model
    └── WeightsMismatchError     model weights whose sha256 is not the expected one, or a
                                 fusion/decline model file that does not fit this code

Third-party exceptions are translated at the boundary (``raise ... from exc``) so the CLI,
the UI and library callers only ever need ``except QAError``.
"""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "IndexMismatchError",
    "QAError",
    "QuestionError",
    "QuestionSetError",
    "WeightsMismatchError",
]


class QAError(Exception):
    """Base class of every error this package raises on purpose."""


class ArticleError(QAError):
    """The article (file, folder or text) cannot be used."""


class QuestionError(QAError):
    """The question cannot be answered as given (empty, too long, ...)."""


class QuestionSetError(QAError):
    """A question-set file is malformed; the message names the line."""


class IndexMismatchError(QAError):
    """A saved index does not belong to the article or model it was asked for."""


class WeightsMismatchError(QAError):
    """Model weights on disk do not have the expected sha256, or a fitted ranking/declining
    model (``qa/ranking/fitted/*.json``) does not match the features this code computes."""
