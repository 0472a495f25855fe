"""Checks that the development question sets still fit their articles (data checks, not tests).

A question set whose answers drift from its article makes ``qa eval`` measure nothing, so every
set is checked against its article's exact text:

* every line parses as a question or conversation (:func:`qa.evaluation.load_questions`);
* ids are unique and no question text is repeated within a file;
* every answer lies within one paragraph (passages never span paragraphs, so an answer across a
  paragraph break could never be hit);
* unanswerable questions have no answer and no speaker;
* a speaker is ``"none"`` (narration) or a name the article contains.

The shipped seed set, ``seeds/questions.jsonl``, must also stay broad: at least 80 questions of
which at least 10 unanswerable, every paragraph answering some question, every person the set
names plus narration asked about, and at least five who-said questions naming a speaker.

Usage::

    .venv/bin/python benchmarks/validate_sets.py            # every set under seeds/, benchmarks/
    .venv/bin/python benchmarks/validate_sets.py SET.jsonl ARTICLE.txt   # one set

Prints one line per problem (``file: message``) and a summary; exits 1 on any problem, else 0.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.core.errors import QAError
from qa.evaluation import NARRATION, EvalQuestion, is_relevant, load_questions
from qa.text.sentences import split_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "000_378344c681942944.txt"
SEED_QUESTIONS = ROOT / "seeds" / "questions.jsonl"
#: Folders of sets, each ``<name>/{questions,conversations}.jsonl`` beside ``article.txt``; a
#: folder named ``seed`` asks about the seed article instead.
SET_FOLDERS = ("development/round1", "development/round2", "development/round3", "probe")
SEED_MIN_QUESTIONS = 80
SEED_MIN_UNANSWERABLE = 10
SEED_MIN_WHO_SAID = 5


@dataclass(frozen=True)
class QuestionSet:
    """A question or conversation file and the article its answers are taken from."""

    questions: Path
    article: Path


def discover(root: Path = ROOT) -> list[QuestionSet]:
    """Every development set of the repository, seed sets first."""
    sets = [QuestionSet(path, SEED_ARTICLE) for path in sorted((root / "seeds").glob("*.jsonl"))]
    for folder in SET_FOLDERS:
        for path in sorted((root / "benchmarks" / folder).glob("*/*.jsonl")):
            article = SEED_ARTICLE if path.parent.name == "seed" else path.parent / "article.txt"
            sets.append(QuestionSet(path, article))
    return sets


def problems(qset: QuestionSet) -> Iterator[str]:
    """What is wrong with ``qset``, one message per problem."""
    if not qset.article.is_file():
        yield f"no article at {qset.article}"
        return
    try:
        questions = load_questions(qset.questions)
    except QAError as exc:
        yield str(exc)
        return
    text = qset.article.read_text(encoding="utf-8")
    paragraphs = [text[start:end] for start, end in split_paragraphs(text)]
    yield from _unique(questions)
    for q in questions:
        where = f"{q.id} (line {q.line})"
        if q.unanswerable:
            if q.answers or q.speaker is not None:
                yield f"{where}: unanswerable but has an answer or a speaker"
            continue
        for answer in q.answers:
            if not any(is_relevant(paragraph, [answer]) for paragraph in paragraphs):
                yield f"{where}: answer not within one paragraph of the article: {answer!r}"
        if q.speaker not in (None, NARRATION) and q.speaker not in text:
            yield f"{where}: speaker {q.speaker!r} is not named in the article"
    if qset.questions == SEED_QUESTIONS:
        yield from _seed_breadth(questions, paragraphs)


def _unique(questions: Sequence[EvalQuestion]) -> Iterator[str]:
    # A conversation's turns share its id; what must be unique is the id of each line.
    ids = Counter(q.conversation or q.id for q in questions if q.turn == 0)
    for repeated, count in ids.items():
        if count > 1:
            yield f"id {repeated!r} is used {count} times"
    texts = Counter(
        " ".join(q.question.lower().split()) for q in questions if q.conversation is None
    )
    for repeated, count in texts.items():
        if count > 1:
            yield f"question {repeated!r} is asked {count} times"


def _seed_breadth(questions: Sequence[EvalQuestion], paragraphs: Sequence[str]) -> Iterator[str]:
    unanswerable = sum(q.unanswerable for q in questions)
    if len(questions) < SEED_MIN_QUESTIONS or unanswerable < SEED_MIN_UNANSWERABLE:
        yield (
            f"{len(questions)} questions ({unanswerable} unanswerable); the seed set needs "
            f">= {SEED_MIN_QUESTIONS} ({SEED_MIN_UNANSWERABLE} unanswerable)"
        )
    answerable = [q for q in questions if not q.unanswerable]
    uncovered = [
        number
        for number, paragraph in enumerate(paragraphs, start=1)
        if not any(is_relevant(paragraph, q.answers) for q in answerable)
    ]
    if uncovered:
        yield f"paragraphs no question is answered by: {uncovered}"
    if NARRATION not in {q.speaker for q in questions}:
        yield "no question is answered by narration"
    who_said = [
        q for q in questions if q.question.lower().startswith(("who said", "who talked"))
    ]
    if sum(q.speaker not in (None, NARRATION) for q in who_said) < SEED_MIN_WHO_SAID:
        yield f"fewer than {SEED_MIN_WHO_SAID} who-said questions name their speaker"


def main(argv: Sequence[str]) -> int:
    if len(argv) == 2:
        sets = [QuestionSet(Path(argv[0]), Path(argv[1]))]
    elif not argv:
        sets = discover()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    found = 0
    for qset in sets:
        name = qset.questions.relative_to(ROOT) if qset.questions.is_relative_to(ROOT) else (
            qset.questions
        )
        for problem in problems(qset):
            found += 1
            print(f"{name}: {problem}")
    print(f"{len(sets)} sets checked, {found} problem{'s' if found != 1 else ''}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
