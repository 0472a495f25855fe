"""Fixtures shared by every test module.

``fake_encoder`` stands in for the sentence-transformers model wherever the test is about
something other than the model itself: it is deterministic, needs no torch and encodes thousands
of texts per second, yet shares words -> similar vectors, so ranking tests stay meaningful.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from qa.answering.pipeline import Pipeline


class FakeEncoder:
    """Hashing bag-of-words encoder with the :class:`embeddings.encoder.Encoder` interface.

    Each lower-cased word adds +-1 to one of ``dimension`` buckets (chosen by a stable hash);
    rows are L2-normalised float32. ``encoded`` records every passage text it was asked to
    encode, so tests can assert what was (not) re-encoded.
    """

    def __init__(self, dimension: int = 64, name: str = "fake-hashing-encoder") -> None:
        self.name = name
        self._dimension = dimension
        self.encoded: list[str] = []

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def weights_sha256(self) -> str:
        return hashlib.sha256(f"{self.name}/{self._dimension}".encode()).hexdigest()

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self._dimension
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:  # no words: a fixed unit vector keeps every row normalised
            vector[0], norm = 1.0, 1.0
        return vector / norm

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.encoded.extend(texts)
        return self._matrix(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._matrix(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def _matrix(self, texts: Sequence[str]) -> np.ndarray:
        rows = [self._vector(t) for t in texts]
        return np.stack(rows) if rows else np.zeros((0, self._dimension), dtype=np.float32)


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    """A fresh :class:`FakeEncoder` (64 dimensions) per test."""
    return FakeEncoder()


@pytest.fixture(autouse=True, scope="session")
def _private_cache_and_offline(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's cache and never try a model hub."""
    os.environ["QA_CACHE_DIR"] = str(tmp_path_factory.mktemp("qa-cache"))
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"


@pytest.fixture(scope="session")
def seed_pipeline(_private_cache_and_offline: None) -> Pipeline:
    """The real pipeline (real model, offline) over the seed article, built once per run."""
    from qa.answering.pipeline import Pipeline

    return Pipeline.build()
