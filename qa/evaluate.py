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
"""

from __future__ import annotations

import csv
import io
import json
import math
import string
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from qa.answering.short_answer import asked_for
from qa.core.errors import QAError, QuestionSetError
from qa.core.files import write_atomically
from qa.core.types import Answer, Passage

if TYPE_CHECKING:
    from qa.dialogue import Conversation

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

Retriever = Literal["hybrid", "dense", "bm25"]

#: ``qa eval --compare``: the product's retriever first, then its two halves.
COMPARED_RETRIEVERS: tuple[Retriever, ...] = ("hybrid", "dense", "bm25")

#: The metric names are fixed by the report format, so the depth they need is too.
MIN_K = 10

#: The ``speaker`` value that means "the reporter's own voice" (a passage with no speaker).
NARRATION = "none"

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jl", ".json"})
_CSV_SUFFIXES = frozenset({".csv"})
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", ""})


class SupportsAnswer(Protocol):
    """The part of :class:`qa.answering.pipeline.Pipeline` that evaluation needs."""

    @property
    def passages(self) -> tuple[Passage, ...]: ...

    def answer(
        self, question: str, k: int = 3, *, retriever: Retriever | None = None
    ) -> Answer: ...


# --------------------------------------------------------------------------- question sets


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    """One question of a set. ``line`` is where it starts in the file, for messages."""

    id: str
    question: str
    answers: tuple[str, ...]
    speaker: str | None = None
    unanswerable: bool = False
    line: int = 0
    #: For a turn of a conversation: the conversation's id and the turn's index (0 = first).
    conversation: str | None = None
    turn: int = 0


def load_questions(path: Path) -> tuple[EvalQuestion, ...]:
    """The questions of a JSONL or CSV file, in file order.

    Raises :class:`QuestionSetError` (one line, naming the file and line) for a missing,
    unreadable, non-UTF-8 or empty file, a file that is neither JSONL nor CSV, a malformed
    record, or a repeated id. Unknown fields are ignored.
    """
    path = Path(path)
    try:
        # utf-8-sig: spreadsheet programs put a BOM in front of CSV exports.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise QuestionSetError(f"{path}: no such question-set file") from exc
    except IsADirectoryError as exc:
        raise QuestionSetError(f"{path}: is a directory, expected a .jsonl or .csv file") from exc
    except UnicodeDecodeError as exc:
        raise QuestionSetError(
            f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8"
        ) from exc
    except OSError as exc:
        raise QuestionSetError(f"{path}: cannot read the file ({exc.strerror})") from exc
    if "\x00" in text:
        raise QuestionSetError(f"{path}: looks like a binary file, expected JSONL or CSV text")
    if not text.strip():
        raise QuestionSetError(f"{path}: the question set is empty")

    records = _csv_records(path, text) if _is_csv(path, text) else _jsonl_records(path, text)
    questions: list[EvalQuestion] = []
    first_line: dict[str, int] = {}
    for line, record in records:
        parsed = (
            _parse_conversation(path, line, record)
            if "turns" in record
            else (_parse_record(path, line, record),)
        )
        for question in parsed:
            if question.id in first_line:
                raise QuestionSetError(
                    f"{path} line {line}: duplicate id {question.id!r} "
                    f"(first used on line {first_line[question.id]})"
                )
            first_line[question.id] = line
            questions.append(question)
    if not questions:
        raise QuestionSetError(f"{path}: the question set has a header but no questions")
    return tuple(questions)


def _is_csv(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return True
    if suffix in _JSONL_SUFFIXES:
        return False
    # Unknown extension: decide by content, so a set piped through a temp file still loads.
    first = text.lstrip()
    if first.startswith("{"):
        return False
    header = first.splitlines()[0].lower()
    if "question" in header and "," in header:
        return True
    raise QuestionSetError(
        f"{path}: not a question set; expected JSON Lines (one object per line) "
        "or CSV with a header row naming id,question,answers"
    )


def _jsonl_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(
                f"{path} line {number}: not valid JSON ({exc.msg} at column {exc.colno}); "
                "expected one JSON object per line"
            ) from exc
        if not isinstance(record, dict):
            raise QuestionSetError(
                f"{path} line {number}: expected a JSON object like "
                '{"id": "q1", "question": "...", "answers": ["..."]}, '
                f"got a JSON {type(record).__name__}"
            )
        yield number, record


def _csv_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fields = reader.fieldnames or []
        missing = [name for name in ("id", "question") if name not in fields]
        if missing:
            raise QuestionSetError(
                f"{path} line 1: CSV header lacks column(s) {', '.join(missing)}; "
                f"found {', '.join(fields) or 'nothing'}"
            )
        while True:
            # A quoted cell may span lines, so the record starts after the last one read.
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            if None in row:
                raise QuestionSetError(
                    f"{path} line {start}: more cells than header columns "
                    "(quote cells that contain commas)"
                )
            yield start, _csv_row_to_record(path, start, row)
    except csv.Error as exc:
        raise QuestionSetError(f"{path} line {reader.line_num}: malformed CSV ({exc})") from exc


def _csv_row_to_record(path: Path, line: int, row: Mapping[str, str | None]) -> dict[str, Any]:
    record: dict[str, Any] = {key: value for key, value in row.items() if value is not None}
    answers = (record.get("answers") or "").strip()
    if answers.startswith("["):
        try:
            record["answers"] = json.loads(answers)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(
                f"{path} line {line}: 'answers' looks like a JSON list but is not valid JSON "
                f"({exc.msg})"
            ) from exc
    else:
        # A bare cell holds one answer, or several separated by "|".
        record["answers"] = [part.strip() for part in answers.split("|") if part.strip()]
    flag = (record.get("unanswerable") or "").strip().lower()
    if flag in _TRUE:
        record["unanswerable"] = True
    elif flag in _FALSE:
        record["unanswerable"] = False
    else:
        raise QuestionSetError(
            f"{path} line {line}: 'unanswerable' must be true or false, got {flag!r}"
        )
    if not (record.get("speaker") or "").strip():
        record.pop("speaker", None)
    return record


def _parse_record(path: Path, line: int, record: Mapping[str, Any]) -> EvalQuestion:
    def fail(message: str) -> QuestionSetError:
        return QuestionSetError(f"{path} line {line}: {message}")

    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        raise fail("'id' must be a non-empty string")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise fail("'question' must be a non-empty string")
    unanswerable = record.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise fail(f"'unanswerable' must be true or false, got {unanswerable!r}")

    answers = record.get("answers", [])
    if answers is None:
        answers = []
    if not isinstance(answers, list) or not all(
        isinstance(answer, str) and answer.strip() for answer in answers
    ):
        raise fail("'answers' must be a list of non-empty strings")
    if unanswerable and answers:
        raise fail("an unanswerable question must not list answers")
    if not unanswerable and not answers:
        raise fail("'answers' must be a non-empty list of strings (or set \"unanswerable\": true)")

    speaker = record.get("speaker")
    if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
        raise fail(f"'speaker' must be a name or \"{NARRATION}\", got {speaker!r}")
    if unanswerable and speaker is not None:
        raise fail("an unanswerable question has no expected speaker")

    return EvalQuestion(
        id=str(raw_id).strip(),
        question=question.strip(),
        answers=tuple(answer.strip() for answer in answers),
        speaker=" ".join(speaker.split()) if speaker is not None else None,
        unanswerable=unanswerable,
        line=line,
    )


def _parse_conversation(
    path: Path, line: int, record: Mapping[str, Any]
) -> tuple[EvalQuestion, ...]:
    """The turns of a conversation line, as questions ``<id>#<n>`` (n from 1)."""
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        raise QuestionSetError(f"{path} line {line}: 'id' must be a non-empty string")
    turns = record.get("turns")
    if not isinstance(turns, list) or not turns:
        raise QuestionSetError(
            f"{path} line {line}: 'turns' must be a non-empty list of "
            '{"question": ..., "answers": [...]} objects'
        )
    conversation = str(raw_id).strip()
    questions = []
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict):
            raise QuestionSetError(
                f"{path} line {line}: turn {number} must be a JSON object, "
                f"got a JSON {type(turn).__name__}"
            )
        try:
            question = _parse_record(path, line, {**turn, "id": f"{conversation}#{number}"})
        except QuestionSetError as exc:
            raise QuestionSetError(f"{exc} (turn {number})") from exc
        questions.append(replace(question, conversation=conversation, turn=number - 1))
    return tuple(questions)


# --------------------------------------------------------------------------- metrics


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_relevant(text: str, answers: Sequence[str]) -> bool:
    """True if ``text`` contains one of ``answers``, ignoring case and runs of whitespace."""
    haystack = _normalise(text)
    return any(needle and needle in haystack for needle in map(_normalise, answers))


def _squad_tokens(text: str) -> list[str]:
    """The words of an answer as the official SQuAD script compares them: lower case, ASCII
    punctuation deleted ("non-Catholics" -> "noncatholics"), the articles a/an/the dropped."""
    kept = "".join(ch for ch in text.lower() if ch not in string.punctuation)
    return [word for word in kept.split() if word not in ("a", "an", "the")]


def exact_match(prediction: str, answers: Sequence[str]) -> float:
    """1.0 if ``prediction`` equals one of ``answers`` after SQuAD normalisation, else 0.0."""
    words = _squad_tokens(prediction)
    return 1.0 if any(words == _squad_tokens(answer) for answer in answers) else 0.0


def token_f1(prediction: str, answers: Sequence[str]) -> float:
    """The best token F1 of ``prediction`` against ``answers`` (SQuAD's bag-of-words F1)."""
    predicted = _squad_tokens(prediction)
    best = 0.0
    for answer in answers:
        gold = _squad_tokens(answer)
        common = sum((Counter(predicted) & Counter(gold)).values())
        if common:
            precision, recall = common / len(predicted), common / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"cutoff k must be at least 1, got {k}")


def recall_at(relevance: Sequence[bool], k: int) -> float:
    """Answer recall (a.k.a. success/hit rate): 1.0 if any of the top ``k`` is relevant."""
    _check_k(k)
    return 1.0 if any(relevance[:k]) else 0.0


def reciprocal_rank(relevance: Sequence[bool], k: int) -> float:
    """1 / rank of the first relevant passage within the top ``k``, else 0.0."""
    _check_k(k)
    for rank, hit in enumerate(relevance[:k], start=1):
        if hit:
            return 1.0 / rank
    return 0.0


def ndcg_at(relevance: Sequence[bool], k: int, n_relevant: int) -> float:
    """nDCG@k with binary gains.

    The ideal ranking puts ``n_relevant`` relevant passages (all those in the article, not
    just the retrieved ones) first, capped at ``k``; 0.0 when nothing is relevant.
    """
    _check_k(k)
    if n_relevant < 0:
        raise ValueError(f"n_relevant must be >= 0, got {n_relevant}")
    dcg = sum(1.0 / math.log2(rank + 1) for rank, hit in enumerate(relevance[:k], 1) if hit)
    # A ranking may repeat a passage's text (overlapping pieces); never let it exceed 1.0.
    ideal_hits = min(k, max(n_relevant, sum(bool(hit) for hit in relevance[:k])))
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal_hits + 1))
    return dcg / ideal if ideal else 0.0


def _percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default method)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class PassageHit:
    """One returned passage, as written to the details file."""

    rank: int
    paragraph: int
    article: str
    score: float
    speaker: str | None
    kind: str
    hit: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "paragraph": self.paragraph,
            "article": self.article,
            "score": round(self.score, 6),
            "speaker": self.speaker,
            "kind": self.kind,
            "hit": self.hit,
        }


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """What happened to one question: its ranking, relevance and timing."""

    question: EvalQuestion
    answered: bool
    passages: tuple[PassageHit, ...]
    n_relevant: int
    latency_ms: float
    #: For a turn asked in its conversation: the self-contained question that was searched.
    resolved_question: str | None = None
    #: The short answer the pipeline gave (``Answer.short``), if any.
    short: str | None = None

    @property
    def typed(self) -> bool:
        """Whether the question asks for a name, number, date, place or list by its wording."""
        return asked_for(self.question.question) is not None

    @property
    def short_answers(self) -> tuple[str, ...]:
        """What a short answer is scored against: the answers, and for a question about a
        speaker their name (a "who said" question is answered by the speaker)."""
        speaker = self.question.speaker
        named = () if speaker is None or speaker.casefold() == NARRATION else (speaker,)
        return (*self.question.answers, *named)

    @property
    def relevance(self) -> tuple[bool, ...]:
        return tuple(passage.hit for passage in self.passages)

    @property
    def first_hit_rank(self) -> int | None:
        return next((p.rank for p in self.passages if p.hit), None)

    @property
    def speaker_hit(self) -> bool | None:
        """Whether the top passage's speaker is the expected one; None if none is expected."""
        expected = self.question.speaker
        if expected is None or self.question.unanswerable:
            return None
        if not self.passages:
            return False
        actual = self.passages[0].speaker
        if expected.casefold() == NARRATION:
            return actual is None
        return actual is not None and _normalise(actual) == _normalise(expected)

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "id": q.id,
            "question": q.question,
            "unanswerable": q.unanswerable,
            "answers": list(q.answers),
            "expected_speaker": q.speaker,
            "answered": self.answered,
            "n_relevant": self.n_relevant,
            "first_hit_rank": self.first_hit_rank,
            "speaker_hit": self.speaker_hit,
            "short": self.short,
            "latency_ms": round(self.latency_ms, 3),
            **({} if q.conversation is None else {
                "conversation": q.conversation,
                "turn": q.turn + 1,
                "resolved_question": self.resolved_question or q.question,
            }),
            "passages": [passage.to_dict() for passage in self.passages],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Aggregate scores. A rate is None when no question counts towards it."""

    n_answerable: int
    recall_at_1: float | None
    recall_at_3: float | None
    recall_at_5: float | None
    mrr_at_10: float | None
    ndcg_at_10: float | None
    n_with_speaker: int
    speaker_accuracy_at_1: float | None
    n_unanswerable: int
    declined_unanswerable: int
    wrongly_declined: int
    latency_p50_ms: float
    latency_p95_ms: float
    #: Conversation sets only (None otherwise): answerable turns after the first of their
    #: conversation, and recall over them.
    n_followups: int | None = None
    recall_at_1_followups: float | None = None
    recall_at_3_followups: float | None = None
    #: Short answers, over answerable questions: how many ask for one by their wording
    #: (:func:`qa.answering.short_answer.asked_for`), how many got one, and SQuAD exact match and token
    #: F1 of those given.
    n_short_typed: int = 0
    n_short: int = 0
    short_exact_match: float | None = None
    short_f1: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of ``qa eval --json`` (the follow-up keys for conversation sets)."""
        followups: dict[str, Any] = {}
        if self.n_followups is not None:
            followups = {
                "n_followups": self.n_followups,
                "recall@1_followups": self.recall_at_1_followups,
                "recall@3_followups": self.recall_at_3_followups,
            }
        return {
            "n_answerable": self.n_answerable,
            "recall@1": self.recall_at_1,
            "recall@3": self.recall_at_3,
            "recall@5": self.recall_at_5,
            "mrr@10": self.mrr_at_10,
            "ndcg@10": self.ndcg_at_10,
            "n_with_speaker": self.n_with_speaker,
            "speaker_accuracy@1": self.speaker_accuracy_at_1,
            "n_unanswerable": self.n_unanswerable,
            "declined_unanswerable": self.declined_unanswerable,
            "wrongly_declined": self.wrongly_declined,
            "latency_ms": {"p50": self.latency_p50_ms, "p95": self.latency_p95_ms},
            **followups,
            # Always present, so the shape never depends on the data: a baseline retriever
            # gives no short answers (given 0, exact match and F1 null).
            "short_answers": {
                "typed": self.n_short_typed,
                "given": self.n_short,
                "exact_match": self.short_exact_match,
                "f1": self.short_f1,
            },
        }


def _mean(values: Iterable[float]) -> float | None:
    collected = list(values)
    return sum(collected) / len(collected) if collected else None


def summarise(results: Sequence[QuestionResult]) -> Report:
    """The :class:`Report` of per-question results (pure; :func:`evaluate` calls it)."""
    if not results:
        raise ValueError("cannot summarise an empty list of results")
    answerable = [r for r in results if not r.question.unanswerable]
    unanswerable = [r for r in results if r.question.unanswerable]
    speaker_hits = [r.speaker_hit for r in answerable if r.speaker_hit is not None]
    latencies = [r.latency_ms for r in results]

    def mean_of(metric: Callable[[QuestionResult], float]) -> float | None:
        return _mean(metric(r) for r in answerable)

    followups = [r for r in answerable if r.question.turn > 0]
    shorts = [r for r in answerable if r.short is not None]
    conversational = any(r.question.conversation is not None for r in results)

    return Report(
        n_answerable=len(answerable),
        recall_at_1=mean_of(lambda r: recall_at(r.relevance, 1)),
        recall_at_3=mean_of(lambda r: recall_at(r.relevance, 3)),
        recall_at_5=mean_of(lambda r: recall_at(r.relevance, 5)),
        mrr_at_10=mean_of(lambda r: reciprocal_rank(r.relevance, 10)),
        ndcg_at_10=mean_of(lambda r: ndcg_at(r.relevance, 10, r.n_relevant)),
        n_with_speaker=len(speaker_hits),
        speaker_accuracy_at_1=_mean(1.0 if hit else 0.0 for hit in speaker_hits),
        n_unanswerable=len(unanswerable),
        declined_unanswerable=sum(not r.answered for r in unanswerable),
        wrongly_declined=sum(not r.answered for r in answerable),
        latency_p50_ms=_percentile(latencies, 50),
        latency_p95_ms=_percentile(latencies, 95),
        n_followups=len(followups) if conversational else None,
        recall_at_1_followups=_mean(recall_at(r.relevance, 1) for r in followups),
        recall_at_3_followups=_mean(recall_at(r.relevance, 3) for r in followups),
        n_short_typed=sum(r.typed for r in answerable),
        n_short=len(shorts),
        short_exact_match=_mean(exact_match(r.short, r.short_answers) for r in shorts if r.short),
        short_f1=_mean(token_f1(r.short, r.short_answers) for r in shorts if r.short),
    )


# --------------------------------------------------------------------------- running


def _relevant_counts(
    passages: Sequence[Passage], questions: Sequence[EvalQuestion]
) -> dict[str, int]:
    """How many passages of the article answer each answerable question.

    A question none of whose answers occurs in any passage would silently score zero, which
    hides a question set written for another article; it is an error instead.
    """
    counts: dict[str, int] = {}
    for question in questions:
        if question.unanswerable:
            continue
        count = sum(is_relevant(passage.text, question.answers) for passage in passages)
        if count == 0:
            raise QuestionSetError(
                f"question {question.id!r} (line {question.line}): none of its answers "
                f"({', '.join(repr(a) for a in question.answers)}) occurs in the article; "
                "copy answers verbatim from the article this set is run against"
            )
        counts[question.id] = count
    return counts


def evaluate(
    pipeline: SupportsAnswer,
    questions: Sequence[EvalQuestion],
    *,
    k: int = MIN_K,
    retriever: Retriever | None = None,
    in_context: bool = True,
) -> tuple[Report, tuple[QuestionResult, ...]]:
    """Ask every question (top ``k`` passages) and score the rankings.

    The first question is asked once untimed before timing starts, so latency is warm (the
    model and indexes load lazily). Retrieval metrics are computed over the returned passages
    even when the pipeline declines: declining is scored separately. The turns of a
    conversation are asked in their conversation (needs a :class:`qa.answering.pipeline.Pipeline`),
    or each on its own when ``in_context`` is False.
    """
    if not questions:
        raise ValueError("no questions to evaluate")
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} so that mrr@10 and ndcg@10 are measured")
    n_relevant = _relevant_counts(pipeline.passages, questions)

    pipeline.answer(questions[0].question, k=k, retriever=retriever)
    results: list[QuestionResult] = []
    dialogue: Conversation | None = None
    for question in questions:
        started = time.perf_counter()
        if in_context and question.conversation is not None:
            if question.turn == 0 or dialogue is None:
                from qa.dialogue import Conversation

                # Conversations need the real pipeline (its people and passage hints).
                dialogue = Conversation(pipeline)  # type: ignore[arg-type]
            answer = dialogue.ask(question.question, k, retriever=retriever)
        else:
            answer = pipeline.answer(question.question, k=k, retriever=retriever)
        latency_ms = (time.perf_counter() - started) * 1000.0
        hits = tuple(
            PassageHit(
                rank=ranked.rank,
                paragraph=ranked.paragraph,
                article=ranked.article,
                score=ranked.score,
                speaker=ranked.speaker.name if ranked.speaker is not None else None,
                kind=ranked.kind,
                hit=not question.unanswerable and is_relevant(ranked.text, question.answers),
            )
            for ranked in sorted(answer.passages, key=lambda p: p.rank)
        )
        results.append(
            QuestionResult(
                question=question,
                answered=answer.answered,
                passages=hits,
                n_relevant=n_relevant.get(question.id, 0),
                latency_ms=latency_ms,
                resolved_question=answer.resolved_question,
                short=answer.short.text if answer.short is not None else None,
            )
        )
    return summarise(results), tuple(results)


def compare(
    pipeline: SupportsAnswer,
    questions: Sequence[EvalQuestion],
    *,
    k: int = MIN_K,
    retrievers: Sequence[Retriever] = COMPARED_RETRIEVERS,
) -> dict[str, Report]:
    """One :class:`Report` per retriever, same process, same pipeline, same questions."""
    return {
        name: evaluate(pipeline, questions, k=k, retriever=name)[0] for name in retrievers
    }


def write_details(results: Iterable[QuestionResult], path: Path) -> None:
    """Write one JSON line per question to ``path``, atomically (a reader never sees half).

    Raises :class:`QAError` if the file cannot be written.
    """
    path = Path(path)
    lines = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)
    try:
        write_atomically(path, lines.encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise QAError(f"{path}: cannot write the details file ({reason})") from exc


# --------------------------------------------------------------------------- formatting


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _rows(report: Report) -> list[tuple[str, str]]:
    return [
        ("answerable questions", str(report.n_answerable)),
        ("recall@1", _rate(report.recall_at_1)),
        ("recall@3", _rate(report.recall_at_3)),
        ("recall@5", _rate(report.recall_at_5)),
        ("MRR@10", _rate(report.mrr_at_10)),
        ("nDCG@10", _rate(report.ndcg_at_10)),
        ("wrongly declined", f"{report.wrongly_declined} / {report.n_answerable}"),
        ("questions with a speaker", str(report.n_with_speaker)),
        ("speaker accuracy@1", _rate(report.speaker_accuracy_at_1)),
        ("unanswerable questions", str(report.n_unanswerable)),
        ("declined unanswerable", f"{report.declined_unanswerable} / {report.n_unanswerable}"),
        ("short answers given", f"{report.n_short} / {report.n_short_typed} typed"),
        ("short answer exact match", _rate(report.short_exact_match)),
        ("short answer F1", _rate(report.short_f1)),
        ("latency p50 (ms, warm)", f"{report.latency_p50_ms:.1f}"),
        ("latency p95 (ms, warm)", f"{report.latency_p95_ms:.1f}"),
        *(
            []
            if report.n_followups is None
            else [
                ("follow-up questions", str(report.n_followups)),
                ("recall@1 follow-ups", _rate(report.recall_at_1_followups)),
                ("recall@3 follow-ups", _rate(report.recall_at_3_followups)),
            ]
        ),
    ]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def render(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *(render(row) for row in rows)])


def format_report(report: Report) -> str:
    """A plain-text table of one report."""
    return _table(("metric", "value"), _rows(report))


def format_comparison(reports: Mapping[str, Report]) -> str:
    """One plain-text table: a row per metric, a column per retriever."""
    if not reports:
        raise ValueError("no reports to compare")
    columns = [_rows(report) for report in reports.values()]
    rows = [
        [label, *(column[index][1] for column in columns)]
        for index, (label, _) in enumerate(columns[0])
    ]
    return _table(("metric", *reports), rows)
