"""Query latency vs collection size (1k, 10k, 100k passages), flat vs HNSW; print tables.

For each size a synthetic collection (``benchmarks/synthetic.py``) goes through the real
``Pipeline.build`` (sentence vectors off, ``index_type=auto``: flat up to 50k, HNSW above)
and ``Pipeline.answer`` is timed warm on synthetic questions. Encoding 100k passages would take
about an hour on 2 cores, so the passage vectors are made by an encoder that encodes the
first ``--real`` distinct texts for real (all of the 1k collection) and gives every later text
a real vector perturbed with Gaussian noise (cosine ~0.9 to its source), renormalised; this is
said in the output. Questions are always encoded for real.

A second table measures the vector search alone on the same vectors and real question
vectors: exact flat search vs HNSW (M=32, efConstruction=200) at several efSearch values,
with recall@10 of HNSW against the exact top 10. ``--random`` adds random unit vectors at the
largest size (the hard case for HNSW) for comparison.

    .venv/bin/python benchmarks/perf_scale.py                       # 1k, 10k, 100k (minutes)
    .venv/bin/python benchmarks/perf_scale.py --sizes 1000 10000    # quicker
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

from embeddings.encoder import Encoder  # noqa: E402
from embeddings.index import HNSW_EF_CONSTRUCTION, HNSW_M, VectorIndex  # noqa: E402
from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.core.config import Config  # noqa: E402

EF_SEARCH = (16, 32, 64, 128, 256, 512, 1024)
NOISE = 0.5  # noise vector norm; cos(v, v + noise) ~ 1 / sqrt(1 + 0.25) ~ 0.89


class PerturbingEncoder:
    """Real vectors for the first ``budget`` distinct texts, perturbed copies afterwards."""

    def __init__(self, real: Encoder, budget: int, seed: int = 0) -> None:
        self.real = real
        self.budget = budget
        self.known: dict[str, np.ndarray] = {}
        self.pool: list[np.ndarray] = []
        self.perturbed = 0
        self._rng = np.random.default_rng(seed)

    @property
    def name(self) -> str:
        return self.real.name

    @property
    def weights_sha256(self) -> str:
        return self.real.weights_sha256

    @property
    def dimension(self) -> int:
        return self.real.dimension

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        fresh = [t for t in dict.fromkeys(texts) if t not in self.known]
        real = fresh[: max(0, self.budget - len(self.pool))]
        if real:
            for text, vector in zip(real, self.real.encode_passages(real), strict=True):
                self.known[text] = vector
                self.pool.append(vector)
        rest = fresh[len(real) :]
        if rest:
            pool = np.stack(self.pool)
            picks = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) % len(pool) for t in rest]
            noise = self._rng.standard_normal((len(rest), pool.shape[1])).astype(np.float32)
            noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
            vectors = pool[picks] + noise
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            self.known.update(zip(rest, vectors, strict=True))
            self.perturbed += len(rest)
        return np.stack([self.known[t] for t in texts]).astype(np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.real.encode_queries(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self.real.encode_query(text)


def _questions(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    forms = (
        "How much will {city} invest in {field}?",
        "What does {city} plan for {field}?",
        "What worries residents of {place}?",
        "What did the {role} say about {field}?",
        "Why could the work in {place} be delayed?",
        "How many firms work on {field} in {city}?",
    )
    return [
        rng.choice(forms).format(
            city=rng.choice(synthetic._CITIES),
            field=rng.choice(synthetic._FIELDS),
            place=rng.choice(synthetic._PLACES),
            role=rng.choice(synthetic._ROLES),
        )
        for _ in range(count)
    ]


def _ms(values: Sequence[float]) -> tuple[float, float]:
    array = np.asarray(values) * 1000
    return float(np.percentile(array, 50)), float(np.percentile(array, 95))


def _time_search(index: Any, queries: np.ndarray, k: int = 10) -> tuple[list[float], np.ndarray]:
    times, found = [], []
    index.search(queries[:1], k)
    for query in queries:
        start = time.perf_counter()
        _, ids = index.search(query.reshape(1, -1), k)
        times.append(time.perf_counter() - start)
        found.append(ids[0])
    return times, np.stack(found)


def _recall(
    found: np.ndarray, vectors: np.ndarray, queries: np.ndarray, exact: np.ndarray
) -> float:
    """Share of the exact top-k matched, counting ties as matches: synthetic collections repeat
    some paragraphs verbatim, so several ids share the k-th score and either is correct."""
    hits = 0
    for ids, query, best in zip(found, queries, exact, strict=True):
        kth = float(vectors[best[-1]] @ query)
        scores = vectors[ids[ids >= 0]] @ query
        hits += min(len(best), int(np.sum(scores >= kth - 1e-6)))
    return hits / exact.size


def _vector_table(label: str, vectors: np.ndarray, queries: np.ndarray, hnsw: Any) -> list[str]:
    import faiss

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    flat_times, exact = _time_search(flat, queries)
    lines = [
        f"  {label:<28} flat         {_ms(flat_times)[0]:7.2f}  {_ms(flat_times)[1]:7.2f}   1.000"
    ]
    for ef in EF_SEARCH:
        hnsw.hnsw.efSearch = ef
        times, found = _time_search(hnsw, queries)
        p50, p95 = _ms(times)
        name = f"hnsw ef={ef}"
        recall = _recall(found, vectors, queries, exact)
        lines.append(f"  {label:<28} {name:<12} {p50:7.2f}  {p95:7.2f}   {recall:.3f}")
    return lines


def _hnsw(vectors: np.ndarray) -> tuple[Any, float]:
    import faiss

    start = time.perf_counter()
    index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(vectors)
    return index, time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--paragraphs", type=int, default=20)
    parser.add_argument("--real", type=int, default=1_000, help="texts encoded for real")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--random", action="store_true", help="also random vectors, largest size")
    args = parser.parse_args(argv)

    real = Encoder()
    encoder = PerturbingEncoder(real, args.real)
    questions = _questions(args.questions)
    queries = real.encode_queries(questions)
    pipeline_rows, vector_rows = [], []
    with tempfile.TemporaryDirectory(prefix="qa-scale-") as tmp:
        for size in sorted(args.sizes):
            folder = Path(tmp) / f"c{size}"
            synthetic.write_collection(folder, max(1, size // args.paragraphs), args.paragraphs)
            config = replace(
                Config.from_env(), cache_dir=Path(tmp) / "cache", sentence_vectors=False
            )
            before_real, before_fake = len(encoder.pool), encoder.perturbed
            start = time.perf_counter()
            pipeline = Pipeline.build(folder, config=config, encoder=encoder)
            build = time.perf_counter() - start
            index = cast(VectorIndex, pipeline.retriever._vectors)
            for question in questions[:3]:
                pipeline.answer(question)
            times = []
            for question in questions:
                t0 = time.perf_counter()
                pipeline.answer(question)
                times.append(time.perf_counter() - t0)
            p50, p95 = _ms(times)
            real_count = len(encoder.pool) - before_real
            fake_count = encoder.perturbed - before_fake
            pipeline_rows.append(
                f"  {len(pipeline.passages):>8,}  {index.manifest.index_type:<5}  {build:8.1f}"
                f"  {p50:7.1f}  {p95:7.1f}   vectors: {real_count:,} real, {fake_count:,} "
                "perturbed-real (rest reused)"
            )
            vectors = np.ascontiguousarray(index.vectors())
            if index.manifest.index_type == "hnsw":
                hnsw, built = index._faiss, "HNSW from Pipeline.build"
            else:
                hnsw, seconds = _hnsw(vectors)
                built = f"HNSW build {seconds:.1f} s"
            vector_rows.append(
                f"  -- {len(vectors):,} vectors ({real_count:,} real, {fake_count:,} "
                f"perturbed-real in this build); {built}"
            )
            vector_rows += _vector_table(f"{len(vectors):,} synthetic", vectors, queries, hnsw)
            del pipeline
        if args.random:
            n = max(args.sizes)
            rng = np.random.default_rng(1)
            vectors = rng.standard_normal((n, queries.shape[1])).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            hnsw, hnsw_build = _hnsw(vectors)
            vector_rows.append(f"  -- {n:,} random unit vectors; HNSW build {hnsw_build:.1f} s")
            vector_rows += _vector_table(f"{n:,} random", vectors, queries, hnsw)

    print(
        f"query latency vs collection size ({os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.2f}; {len(questions)} synthetic questions, warm)"
    )
    print("  Pipeline.answer (hybrid, sentence vectors off); build = Pipeline.build wall time")
    print(f"  {'passages':>8}  {'index':<5}  {'build s':>8}  {'p50 ms':>7}  {'p95 ms':>7}")
    print("\n".join(pipeline_rows))
    print("vector search alone, k=10, one query at a time; recall@10 vs exact flat search")
    print(f"  {'vectors':<28} {'index':<12} {'p50 ms':>7}  {'p95 ms':>7}  recall@10")
    print("\n".join(vector_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
