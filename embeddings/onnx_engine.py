"""Running an exported sentence model: tokenizer, ONNX Runtime sessions, mean pooling.

:class:`OnnxRunner` turns texts into the unit vectors sentence-transformers would compute for a
Transformer -> Pooling(mean) [-> Normalize] model, from the graph :mod:`embeddings.onnx_export`
made of its transformer. onnxruntime and tokenizers are imported on first use.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from embeddings.onnx_export import OnnxModel
from qa.core.errors import QAError

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Encoding, Tokenizer

__all__ = ["OnnxRunner", "OnnxSpec", "available_cores", "load_tokenizer"]


def available_cores() -> int:
    """Cores this process may run on (sched_getaffinity honours container CPU limits)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


@dataclass(frozen=True)
class OnnxSpec:
    """What the ONNX path must reproduce of sentence-transformers' handling of a model."""

    max_length: int
    dimension: int
    lower_case: bool


class OnnxRunner:
    """Tokenizer + ONNX Runtime + mean pooling + L2 normalisation for one exported model.

    Threads, on purpose: two sessions over the same graph. The question session has one intra-op
    thread, so a question runs on its caller's thread alone and concurrent UI requests each use
    one core instead of all of them fighting over every core (measured with torch: 18 ms with 1
    thread, 150-360 ms with 2 on a busy 2-core machine); ``run`` is thread-safe, so questions are
    not serialised. The passage session uses every core for bulk indexing, one bulk encode at a
    time (``_bulk_lock``), and its workers do not spin between operators, so an idle pool does
    not hold the core a concurrent question needs. Per-call RunOptions cannot change a session's
    pool size, hence two sessions (each holds its own copy of the weights, ~100 MB for
    all-MiniLM-L6-v2; the second is only created when first needed). Inter-op threads are 1
    (sequential execution: a transformer is a chain). No BLAS pool is involved: pooling uses
    einsum and elementwise NumPy, never matmul.
    """

    def __init__(
        self,
        model: OnnxModel,
        spec: OnnxSpec,
        tokenizer: Tokenizer,
        reload: Callable[[], OnnxModel],
    ) -> None:
        self.spec = spec
        self._inputs = model.inputs
        self._tokenizer = tokenizer
        # The export verified at load serves the first session; a second one, perhaps created
        # much later, verifies the files again.
        self._pending: OnnxModel | None = model
        self._reload = reload
        self._sessions: dict[bool, InferenceSession] = {}
        self._session_lock = threading.Lock()
        self._bulk_lock = threading.Lock()

    def _session(self, bulk: bool) -> InferenceSession:
        session = self._sessions.get(bulk)
        if session is not None:
            return session
        with self._session_lock:
            if bulk not in self._sessions:
                model, self._pending = self._pending or self._reload(), None
                threads = available_cores() if bulk else 1
                self._sessions[bulk] = _new_session(str(model.path), threads)
            return self._sessions[bulk]

    def encode(self, texts: list[str], batch_size: int, bulk: bool, progress: bool) -> np.ndarray:
        # sentence-transformers strips (and, if the model says so, lower-cases) every text.
        texts = [t.strip().lower() if self.spec.lower_case else t.strip() for t in texts]
        ids, types = self._tokenize(texts)
        # Longest first, as sentence-transformers does: batches of similar length pad little.
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        out = np.empty((len(ids), self.spec.dimension), dtype=np.float32)
        session = self._session(bulk)
        starts: Sequence[int] = range(0, len(order), batch_size)
        if progress:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc="Batches", unit="batch")
        with self._bulk_lock if bulk else contextlib.nullcontext():
            for start in starts:
                rows = order[start : start + batch_size]
                out[rows] = self._run(session, [ids[i] for i in rows], [types[i] for i in rows])
        return out

    def _tokenize(self, texts: list[str]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Token ids and token type ids of each text, truncated at the model's limit."""
        slices: Iterable[list[Encoding]]
        if len(texts) == 1:  # one question: no thread pool
            slices = [[self._tokenizer.encode(texts[0])]]
        else:
            # Slice by slice, keeping only the ids: an Encoding also holds tokens, offsets and
            # masks (measured: 10,000 passages' Encodings at once, +97 MB).
            slices = (
                self._tokenizer.encode_batch(texts[start : start + _TOKENIZE_SLICE])
                for start in range(0, len(texts), _TOKENIZE_SLICE)
            )
        ids: list[np.ndarray] = []
        types: list[np.ndarray] = []
        for encodings in slices:
            ids += [np.asarray(e.ids, dtype=np.int64) for e in encodings]
            types += [np.asarray(e.type_ids, dtype=np.int64) for e in encodings]
        return ids, types

    def _run(
        self, session: InferenceSession, ids: list[np.ndarray], types: list[np.ndarray]
    ) -> np.ndarray:
        length = max(map(len, ids))
        feeds = {name: np.zeros((len(ids), length), dtype=np.int64) for name in _FEED_NAMES}
        for row, (row_ids, row_types) in enumerate(zip(ids, types, strict=True)):
            feeds["input_ids"][row, : len(row_ids)] = row_ids
            feeds["attention_mask"][row, : len(row_ids)] = 1
            feeds["token_type_ids"][row, : len(row_ids)] = row_types
        (tokens,) = session.run(["last_hidden_state"], {k: feeds[k] for k in self._inputs})
        mask = feeds["attention_mask"].astype(np.float32)
        # Mean over real tokens only (padding carries weight 0), then unit length.
        pooled = np.einsum("blh,bl->bh", tokens, mask)
        pooled /= np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.sqrt(np.einsum("bh,bh->b", pooled, pooled))[:, None], 1e-12)
        return pooled


_FEED_NAMES = ("input_ids", "attention_mask", "token_type_ids")
_TOKENIZE_SLICE = 512


def _new_session(graph: str, threads: int) -> InferenceSession:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # its warnings about unused initialisers are not ours
    return ort.InferenceSession(graph, sess_options=options, providers=["CPUExecutionProvider"])


def load_tokenizer(model_dir: Path, max_length: int) -> Tokenizer:
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    except Exception as exc:  # tokenizers raises a bare Exception for malformed files
        raise QAError(f"cannot read {model_dir / 'tokenizer.json'} ({exc})") from exc
    # tokenizer.json carries its own padding/truncation presets (128 for MiniLM); the model's
    # limit is what sentence-transformers applies, and padding happens per batch in _run.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer
