"""Choose the fusion weights and check the decline rules on several question sets, honestly.

Signals are computed once per question, then every weight combination on a grid is scored by
re-fusing them (no model calls). Two honest estimates are printed:

* leave-one-article-out: for each article, the best grid point on the *other* articles'
  questions is scored on this one's, which is what a new article can expect;
* k-fold cross-validation over all questions pooled.

The sets default to the shipped one plus every held-out set in ``benchmarks/heldout/``.

    python benchmarks/tune_fusion.py [--set ARTICLE QUESTIONS ...] [--folds 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import NARRATION, EvalQuestion, is_relevant, load_questions  # noqa: E402
from qa.pipeline import Pipeline  # noqa: E402
from qa.retrieval import FusionWeights, Signals  # noqa: E402

GRID = {
    "dense": [0.25, 0.5, 0.75],
    "sentence": [0.25, 0.5, 0.75],
    "lexical": [0.25, 0.5, 0.75, 1.0],
    "phrase": [0.0, 0.1, 0.25, 0.5],
    "speaker": [0.0, 0.25, 0.5],
    "title": [0.0, 0.25, 0.5],
    "answer_type": [0.0, 0.25, 0.5],
}


@dataclass
class _Question:
    """One answerable question's signals and, per candidate, whether it is right."""

    set_name: str
    question: EvalQuestion
    signals: Signals
    relevant: np.ndarray
    right_speaker: np.ndarray | None


def _default_sets() -> list[tuple[str, Path, Path]]:
    sets = [("seed", ROOT / "seeds" / "000_378344c681942944.txt",
             ROOT / "seeds" / "questions.jsonl")]
    heldout = ROOT / "benchmarks" / "heldout"
    for folder in sorted(p for p in heldout.iterdir() if p.is_dir()):
        sets.append((folder.name, folder / "article.txt", folder / "questions.jsonl"))
    return sets


def _load(name: str, pipeline: Pipeline, questions: Sequence[EvalQuestion]) -> list[_Question]:
    retriever = pipeline.retriever
    rows = []
    for q in questions:
        if q.unanswerable:
            continue
        signals = retriever.signals(q.question, speakers=retriever.match_speakers(q.question))
        passages = [pipeline.passages[int(i)] for i in signals.ids]
        relevant = np.array([is_relevant(p.text, q.answers) for p in passages])
        right_speaker = None
        if q.speaker is not None:
            expected = None if q.speaker.casefold() == NARRATION else q.speaker.casefold()
            right_speaker = np.array(
                [(p.speaker.name.casefold() if p.speaker else None) == expected for p in passages]
            )
        rows.append(_Question(name, q, signals, relevant, right_speaker))
    return rows


def _score(weights: FusionWeights, rows: Sequence[_Question]) -> tuple[int, int, int, float]:
    """(hits@1, hits@3, right speakers@1, reciprocal-rank sum): compared in that order."""
    hits1 = hits3 = speakers = 0
    reciprocal = 0.0
    for row in rows:
        order = np.argsort(-row.signals.fuse(weights), kind="stable")
        relevant = row.relevant[order]
        hits1 += bool(relevant[0])
        hits3 += bool(relevant[:3].any())
        found = np.flatnonzero(relevant[:10])
        reciprocal += 1.0 / (found[0] + 1) if len(found) else 0.0
        if row.right_speaker is not None:
            speakers += bool(row.right_speaker[order[0]])
    return hits1, hits3, speakers, reciprocal


def _decline_report(name: str, pipeline: Pipeline, questions: Sequence[EvalQuestion]) -> None:
    """How the decline rules split a set, and how close answerable questions come to them."""
    policy = pipeline.decline
    wrongly, declined, closest = [], 0, []
    for q in questions:
        answer, evidence = pipeline.answer_with_evidence(q.question, k=3)
        if q.unanswerable:
            declined += not answer.answered
            continue
        if not answer.answered:
            wrongly.append(q.id)
        margin = min(
            max(evidence.coverage - coverage, evidence.similarity - similarity)
            for coverage, similarity in policy.floors
        )
        closest.append((margin, q.id))
    n_unanswerable = sum(q.unanswerable for q in questions)
    tightest = ", ".join(f"{qid} by {margin:.3f}" for margin, qid in sorted(closest)[:2])
    print(f"  {name:10} declined {declined}/{n_unanswerable} unanswerable; wrongly declined "
          f"{len(wrongly)} {wrongly or ''}; closest answerable clear the floors: {tightest}")


def _rates(weights: FusionWeights, rows: Sequence[_Question]) -> str:
    h1, h3, speakers, _ = _score(weights, rows)
    n = len(rows)
    n_speaker = sum(r.right_speaker is not None for r in rows) or 1
    return f"r@1 {h1 / n:.3f}  r@3 {h3 / n:.3f}  speaker@1 {speakers / n_speaker:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", metavar=("ARTICLE", "QUESTIONS"),
                        type=Path, help="a question set and its article (repeatable)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    sets = ([(q.stem, a, q) for a, q in args.set] if args.set else _default_sets())

    rows: list[_Question] = []
    base: FusionWeights | None = None
    print("decline rules (qa.evidence) on each set:")
    for name, article, questions_file in sets:
        pipeline = Pipeline.build(article)
        base = pipeline.retriever.weights
        questions = load_questions(questions_file)
        _decline_report(name, pipeline, questions)
        rows += _load(name, pipeline, questions)
    assert base is not None
    grid = [replace(base, **dict(zip(GRID, values, strict=True)))  # type: ignore[arg-type]
            for values in itertools.product(*GRID.values())]

    def best(train: Sequence[_Question]) -> FusionWeights:
        return max(grid, key=lambda w: _score(w, train))

    names = list(dict.fromkeys(r.set_name for r in rows))
    print(f"\n{len(rows)} answerable questions, {len(grid)} weight combinations")
    print("shipped weights:")
    for name in names:
        print(f"  {name:10} {_rates(base, [r for r in rows if r.set_name == name])}")
    if len(names) > 1:
        print("leave-one-article-out (weights tuned on the other articles):")
        for name in names:
            chosen = best([r for r in rows if r.set_name != name])
            print(f"  {name:10} {_rates(chosen, [r for r in rows if r.set_name == name])}")

    rng = np.random.default_rng(0)
    folds = np.array_split(rng.permutation(len(rows)), args.folds)
    cv1 = cv3 = 0
    for fold in folds:
        held_out = set(fold.tolist())
        chosen = best([r for i, r in enumerate(rows) if i not in held_out])
        h1, h3, _, _ = _score(chosen, [rows[i] for i in sorted(held_out)])
        cv1, cv3 = cv1 + h1, cv3 + h3
    print(f"{args.folds}-fold cross-validation over all questions: recall@1 "
          f"{cv1 / len(rows):.3f}  recall@3 {cv3 / len(rows):.3f}")
    top = best(rows)
    print(f"best on everything: {_rates(top, rows)}\n  {top}")
    print(f"shipped:            {_rates(base, rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
