"""Dense retrieval building blocks: a verified offline sentence encoder and a cached FAISS index.

Importing this package is cheap: torch, sentence-transformers and faiss load on first use.
"""

from __future__ import annotations

from embeddings.encoder import DEFAULT_MODEL, EXPECTED_SHA256, Encoder, TextEncoder, verify_weights
from embeddings.index import Manifest, VectorIndex, content_hash, index_dir, load_or_build

__all__ = [
    "DEFAULT_MODEL",
    "EXPECTED_SHA256",
    "Encoder",
    "Manifest",
    "TextEncoder",
    "VectorIndex",
    "content_hash",
    "index_dir",
    "load_or_build",
    "verify_weights",
]
