"""Short answers (``Answer.short``): how often one is given, and how often it is right.

For each development set (the shipped seed set, the sets in ``benchmarks/development/round1/``,
the SQuAD 2.0 sample's fit articles) and for its check articles, over answerable questions:
how many ask for a typed phrase by their wording, how many got a short answer (share of the
typed questions and of all), and SQuAD exact match and token F1 of those given, by kind of
question too.

The SQuAD sample is split as ``benchmarks/fit_fusion.py`` splits it: the reader's span
threshold (and every other fitted value) comes from the fit articles, never the check ones.
On the seed and news sets the ``answers`` are passage-finding strings, often a whole clause,
so exact match there understates: "inside an answer" counts short answers contained in one
of them.

    .venv/bin/python benchmarks/short_answers.py [--json] [--floor]

``--floor`` exits with status 1 unless the check split meets the targets (short answers for
>= 60% of typed questions, exact match >= 0.75 where given).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_fusion import CHECK_ARTICLES, FIT_ARTICLES  # noqa: E402
from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.answering.short_answer import asked_for  # noqa: E402
from qa.evaluation import EvalQuestion, exact_match, load_questions, token_f1  # noqa: E402

SQUAD = ROOT.parent / "shared" / "corpora" / "squad2-dev-sample"
SEED = (ROOT / "seeds" / "000_378344c681942944.txt", ROOT / "seeds" / "questions.jsonl")
COVERAGE_TARGET = 0.60
EXACT_MATCH_TARGET = 0.75


@dataclass
class Tally:
    """Counts over the answerable questions of one group of sets."""

    answerable: int = 0
    typed: int = 0
    given: int = 0
    exact: float = 0.0
    f1: float = 0.0
    inside: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, question: EvalQuestion, short: str | None) -> None:
        self.answerable += 1
        asked = asked_for(question.question)
        if asked is None:
            return
        self.typed += 1
        if short is None:
            return
        # A "who said" question is answered by the speaker (see QuestionResult.short_answers).
        speaker = question.speaker
        gold = (*question.answers, *(() if speaker in (None, "none") else (speaker,)))
        em = exact_match(short, gold)
        self.given += 1
        self.exact += em
        self.f1 += token_f1(short, gold)
        self.inside += any(short.casefold() in answer.casefold() for answer in gold)
        self.by_kind[asked.kind][0] += 1
        self.by_kind[asked.kind][1] += em

    def figures(self) -> dict[str, object]:
        given = self.given or 1
        return {
            "answerable": self.answerable,
            "typed": self.typed,
            "given": self.given,
            "given/typed": round(self.given / self.typed, 3) if self.typed else None,
            "given/all": round(self.given / self.answerable, 3) if self.answerable else None,
            "exact_match": round(self.exact / given, 3) if self.given else None,
            "f1": round(self.f1 / given, 3) if self.given else None,
            "inside_an_answer": round(self.inside / given, 3) if self.given else None,
            "exact_by_kind": {k: f"{int(v[1])}/{v[0]}" for k, v in sorted(self.by_kind.items())},
        }


def _sets() -> list[tuple[str, Path, Path]]:
    sets = [("seed", *SEED)]
    for folder in sorted((ROOT / "benchmarks" / "development" / "round1").iterdir()):
        if (folder / "article.txt").is_file() and (folder / "questions.jsonl").is_file():
            sets.append(("development round 1", folder / "article.txt",
                         folder / "questions.jsonl"))
    for group, names in (("squad fit (10)", FIT_ARTICLES), ("squad check (5)", CHECK_ARTICLES)):
        for name in names:
            sets.append((group, SQUAD / f"{name}.txt", SQUAD / f"{name}.jsonl"))
    return sets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--floor", action="store_true", help="fail below the targets")
    args = parser.parse_args(argv)

    tallies: dict[str, Tally] = defaultdict(Tally)
    for group, article, questions_file in _sets():
        pipeline = Pipeline.build(article)
        for question in load_questions(questions_file):
            if question.unanswerable:
                continue
            answer = pipeline.answer(question.question)
            tallies[group].add(question, answer.short.text if answer.short else None)
        print(f"  done: {article.name}", file=sys.stderr, flush=True)

    figures = {group: tally.figures() for group, tally in tallies.items()}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        header = f"{'set':32} {'typed':>6} {'given':>6} {'/typed':>7} {'/all':>6} "
        print(header + f"{'EM':>6} {'F1':>6} {'inside':>7}  EM by kind")
        for group, row in figures.items():
            def rate(key: str, row: dict[str, object] = row) -> str:
                value = row[key]
                return "n/a" if value is None else f"{value:.3f}"

            print(
                f"{group:32} {row['typed']:>6} {row['given']:>6} {rate('given/typed'):>7} "
                f"{rate('given/all'):>6} {rate('exact_match'):>6} {rate('f1'):>6} "
                f"{rate('inside_an_answer'):>7}  {row['exact_by_kind']}"
            )
    if args.floor:
        check = tallies["squad check (5)"]
        coverage = check.given / check.typed if check.typed else 0.0
        em = check.exact / check.given if check.given else 0.0
        if coverage < COVERAGE_TARGET or em < EXACT_MATCH_TARGET:
            print(f"below target on the check split: given/typed {coverage:.3f}, EM {em:.3f}",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
