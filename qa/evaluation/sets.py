"""Question and conversation sets: reading a JSONL or CSV file into :class:`EvalQuestion` s.

A question set is JSON Lines (one object per line) or CSV with the same columns; a line with
``turns`` instead of ``question`` is one conversation. Every malformed input is a
:class:`QuestionSetError` naming the file and line, so a user can fix the set by hand.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qa.core.errors import QuestionSetError

__all__ = ["NARRATION", "EvalQuestion", "load_questions"]

#: The ``speaker`` value that means "the reporter's own voice" (a passage with no speaker).
NARRATION = "none"

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jl", ".json"})
_CSV_SUFFIXES = frozenset({".csv"})
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", ""})


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
    # The fields are checked in this order so that a record with several faults always
    # reports the same (first) one.
    where = f"{path} line {line}"
    record_id = _record_id(where, record)
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise QuestionSetError(f"{where}: 'question' must be a non-empty string")
    unanswerable = record.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise QuestionSetError(
            f"{where}: 'unanswerable' must be true or false, got {unanswerable!r}"
        )
    return EvalQuestion(
        id=record_id,
        question=question.strip(),
        answers=_answers(where, record, unanswerable=unanswerable),
        speaker=_speaker(where, record, unanswerable=unanswerable),
        unanswerable=unanswerable,
        line=line,
    )


def _record_id(where: str, record: Mapping[str, Any]) -> str:
    raw_id = record.get("id")
    # bool is an int subclass, but `"id": true` is a mistake, not the id "True".
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        raise QuestionSetError(f"{where}: 'id' must be a non-empty string")
    return str(raw_id).strip()


def _answers(where: str, record: Mapping[str, Any], *, unanswerable: bool) -> tuple[str, ...]:
    answers = record.get("answers", [])
    if answers is None:
        answers = []
    if not isinstance(answers, list) or not all(
        isinstance(answer, str) and answer.strip() for answer in answers
    ):
        raise QuestionSetError(f"{where}: 'answers' must be a list of non-empty strings")
    if unanswerable and answers:
        raise QuestionSetError(f"{where}: an unanswerable question must not list answers")
    if not unanswerable and not answers:
        raise QuestionSetError(
            f"{where}: 'answers' must be a non-empty list of strings "
            '(or set "unanswerable": true)'
        )
    return tuple(answer.strip() for answer in answers)


def _speaker(where: str, record: Mapping[str, Any], *, unanswerable: bool) -> str | None:
    speaker = record.get("speaker")
    if speaker is None:
        return None
    if not isinstance(speaker, str) or not speaker.strip():
        raise QuestionSetError(
            f"{where}: 'speaker' must be a name or \"{NARRATION}\", got {speaker!r}"
        )
    if unanswerable:
        raise QuestionSetError(f"{where}: an unanswerable question has no expected speaker")
    # Runs of whitespace are not part of a name (the article's speakers are compared
    # normalised too).
    return " ".join(speaker.split())


def _parse_conversation(
    path: Path, line: int, record: Mapping[str, Any]
) -> tuple[EvalQuestion, ...]:
    """The turns of a conversation line, as questions ``<id>#<n>`` (n from 1)."""
    conversation = _record_id(f"{path} line {line}", record)
    turns = record.get("turns")
    if not isinstance(turns, list) or not turns:
        raise QuestionSetError(
            f"{path} line {line}: 'turns' must be a non-empty list of "
            '{"question": ..., "answers": [...]} objects'
        )
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
