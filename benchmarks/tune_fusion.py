"""Choose the fusion weights and the decline thresholds on a question set, honestly.

Signals are computed once per question, then every weight combination on a grid is scored by
re-fusing them (no model calls). The weights are chosen by k-fold cross-validation: for each
fold, the best grid point on the other folds is scored on the held-out fold, so the reported
recall is what the procedure achieves on questions it did not tune on.

    python benchmarks/tune_fusion.py [--questions seeds/questions.jsonl] [--folds 5]
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.evaluate import EvalQuestion, is_relevant, load_questions
from qa.pipeline import Pipeline
from qa.retrieval import FusionWeights, Signals, match_speakers

GRID = {
    "dense": [0.25, 0.5, 0.75],
    "sentence": [0.25, 0.5, 0.75],
    "lexical": [0.25, 0.5, 0.75, 1.0],
    "phrase": [0.0, 0.1, 0.25, 0.5],
    "speaker": [0.0, 0.25, 0.5],
    "title": [0.0, 0.25, 0.5],
    "answer_type": [0.0, 0.25, 0.5],
}


def _signals(pipeline: Pipeline, questions: list[EvalQuestion]) -> list[Signals]:
    retriever = pipeline.retriever
    out = []
    for q in questions:
        speakers = match_speakers(q.question, pipeline.people, retriever.lexical.idf)
        out.append(retriever.signals(q.question, speakers=speakers))
    return out


def _score(weights: FusionWeights, signals: list[Signals], relevant: list[np.ndarray],
           speaker_ok: list[np.ndarray | None], rows: list[int]) -> tuple[int, int, int, float]:
    """(hits@1, hits@3, right speakers@1, reciprocal-rank sum): compared in that order."""
    hits1 = hits3 = speakers = 0
    reciprocal = 0.0
    for i in rows:
        fused = signals[i].fuse(weights)
        order = np.argsort(-fused, kind="stable")
        ids = signals[i].ids[order]
        hits1 += bool(relevant[i][ids[0]])
        hits3 += bool(relevant[i][ids[:3]].any())
        found = np.flatnonzero(relevant[i][ids[:10]])
        reciprocal += 1.0 / (found[0] + 1) if len(found) else 0.0
        if speaker_ok[i] is not None:
            speakers += bool(speaker_ok[i][ids[0]])
    return hits1, hits3, speakers, reciprocal


def _print_misses(pipeline: Pipeline, questions: list[EvalQuestion], signals: list[Signals],
                  relevant: list[np.ndarray], weights: FusionWeights) -> None:
    for q, sig, rel in zip(questions, signals, relevant, strict=True):
        ids = sig.ids[np.argsort(-sig.fuse(weights), kind="stable")]
        if not rel[ids[0]]:
            top = [pipeline.passages[i].paragraph for i in ids[:3]]
            gold = [p.paragraph for p, r in zip(pipeline.passages, rel, strict=True) if r]
            print(f"  miss {q.id}: top {top} gold {gold}  {q.question}")


def _decline_report(pipeline: Pipeline, questions: list[EvalQuestion]) -> None:
    """How the decline rules split the set, and how close answerable questions come to them."""
    policy = pipeline.decline
    wrongly, declined, closest = 0, 0, []
    for q in questions:
        answer, evidence = pipeline.answer_with_evidence(q.question, k=3)
        if q.unanswerable:
            declined += not answer.answered
            continue
        wrongly += not answer.answered
        # Distance to the nearest floor: how far the question clears it on its better axis.
        margin = min(
            max(evidence.coverage - coverage, evidence.similarity - similarity)
            for coverage, similarity in policy.floors
        )
        closest.append((margin, q.id, evidence.coverage, evidence.similarity))
    n_unanswerable = sum(q.unanswerable for q in questions)
    print(f"declining with floors {policy.floors}: {declined}/{n_unanswerable} unanswerable "
          f"declined, {wrongly} answerable wrongly declined")
    for margin, qid, coverage, similarity in sorted(closest)[:3]:
        print(f"  closest answerable {qid}: coverage {coverage:.2f} similarity {similarity:.3f} "
              f"(clears the floors by {margin:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=Path("seeds/questions.jsonl"))
    parser.add_argument("--article", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    pipeline = Pipeline.build(args.article)
    everything_asked = list(load_questions(args.questions))
    _decline_report(pipeline, everything_asked)
    questions = [q for q in everything_asked if not q.unanswerable]
    passages = pipeline.passages
    relevant = [np.array([is_relevant(p.text, q.answers) for p in passages]) for q in questions]
    speaker_ok: list[np.ndarray | None] = []
    for q in questions:
        if q.speaker is None:
            speaker_ok.append(None)
        else:
            names = [p.speaker.name if p.speaker else "none" for p in passages]
            speaker_ok.append(np.array([n == q.speaker for n in names]))
    signals = _signals(pipeline, questions)

    base = pipeline.retriever.weights
    grid = [replace(base, **dict(zip(GRID, values, strict=True)))
            for values in itertools.product(*GRID.values())]
    everything = list(range(len(questions)))

    def best(rows: list[int]) -> FusionWeights:
        return max(grid, key=lambda w: _score(w, signals, relevant, speaker_ok, rows))

    rng = np.random.default_rng(0)
    folds = np.array_split(rng.permutation(len(questions)), args.folds)
    cv1 = cv3 = 0
    for fold in folds:
        held_out = set(fold.tolist())
        chosen = best([i for i in everything if i not in held_out])
        h1, h3, _, _ = _score(chosen, signals, relevant, speaker_ok, sorted(held_out))
        cv1, cv3 = cv1 + h1, cv3 + h3
    n = len(questions)
    n_speaker = sum(s is not None for s in speaker_ok)
    print(f"{n} answerable questions, {len(grid)} weight combinations, {args.folds}-fold CV")
    print(f"cross-validated recall@1 {cv1 / n:.3f}  recall@3 {cv3 / n:.3f}")
    for label, weights in (("current", base), ("best on all", best(everything))):
        h1, h3, sp, _ = _score(weights, signals, relevant, speaker_ok, everything)
        print(f"{label:12} recall@1 {h1 / n:.3f}  recall@3 {h3 / n:.3f}  "
              f"speaker@1 {sp / n_speaker:.3f}  {weights}")
        if label == "best on all":
            _print_misses(pipeline, questions, signals, relevant, weights)


if __name__ == "__main__":
    main()
