"""The dense-vector index of an article's passages, cached on disk as one folder.

A folder (see :func:`index_dir`) holds, per (article source, model)::

    passages.jsonl   one Passage.to_dict() per line; row number == passage id == FAISS id
    index.faiss      the FAISS index (flat inner product, or HNSW for large collections)
    manifest.json    what the index was built from, and the size + sha256 of every file above

The manifest is written last, so a folder without one is an interrupted build. On load every
recorded fact is checked (model, weights hash, content hash, counts, dimension, format version,
file sizes and checksums); anything missing, partial, corrupt or stale is rebuilt with a
one-line warning, never used and never fatal. Files are replaced atomically and a rebuild holds a
file lock, so concurrent processes sharing a cache cannot corrupt it. No pickle is involved:
FAISS's own serialisation and JSON only.

A rebuild after an edit is incremental: vectors of passages whose text is unchanged are taken
from the old index (if it is intact and from the same weights) and only new texts are encoded.
If the cache directory cannot be written, the index is built in memory instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from embeddings.encoder import TextEncoder
from qa.core.errors import IndexMismatchError
from qa.core.files import TEMP_SUFFIX, write_atomically
from qa.core.types import Passage

if TYPE_CHECKING:
    import faiss

__all__ = [
    "FORMAT_VERSION",
    "HNSW_EF_CONSTRUCTION",
    "HNSW_EF_SEARCH",
    "HNSW_M",
    "IndexType",
    "Manifest",
    "Status",
    "VectorIndex",
    "content_hash",
    "index_dir",
    "load_or_build",
]

_log = logging.getLogger(__name__)

#: Bump when the folder layout or the meaning of a manifest field changes.
FORMAT_VERSION = 1
IndexType = Literal["flat", "hnsw"]
Status = Literal["loaded", "built", "updated", "in-memory"]

# HNSW parameters, measured with benchmarks/perf_scale.py on 2 cores at 100k passages (real
# MiniLM vectors of 1k synthetic passages plus 99k noisy copies of them) with real questions.
# With M=32, recall@10 vs exact search stalled near 0.88-0.90 whatever efSearch: the 1k real
# vectors, half of every exact top 10, sit inside balls of their own near-copies, and 32 links
# reach too few of them; efConstruction=800 did not help (0.92), M=64 did: recall 0.94 at
# efSearch=512 and 0.98 at 1024, for 0.9 / 1.9 ms per query against 16 ms for exact flat
# search. (Uniform noisy copies alone reach 0.99 at 1024 even with M=32; random unit vectors,
# the worst case, 0.91 with M=32.) 1024 costs far less than the ~11 ms it takes to encode the
# question; M=64 costs 256 more bytes per vector and ~30% more build time.
HNSW_M = 64
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 1024

_MANIFEST = "manifest.json"
_PASSAGES = "passages.jsonl"
_INDEX = "index.faiss"
_LOCK = ".build.lock"


@dataclass(frozen=True)
class Manifest:
    """Everything an index was built from, plus the size and sha256 of each of its files."""

    format_version: int
    model: str
    weights_sha256: str
    content_sha256: str
    passage_count: int
    dimension: int
    index_type: IndexType
    #: faiss, sentence_transformers, numpy and article_qa versions, for diagnosis only.
    versions: dict[str, str] = field(hash=False)
    created: str
    #: file name -> {"bytes": size, "sha256": digest}
    files: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False)
    #: FAISS construction/search parameters (HNSW only).
    params: dict[str, int] = field(default_factory=dict, hash=False)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest; ValueError (with the reason) for anything malformed."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"manifest is not valid JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise ValueError("manifest is not a JSON object")
        expected = {
            "format_version": int,
            "model": str,
            "weights_sha256": str,
            "content_sha256": str,
            "passage_count": int,
            "dimension": int,
            "index_type": str,
            "versions": dict,
            "created": str,
            "files": dict,
            "params": dict,
        }
        for key, kind in expected.items():
            value = data.get(key)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ValueError(f"manifest field {key!r} is missing or not a {kind.__name__}")
        if data["index_type"] not in ("flat", "hnsw"):
            raise ValueError(f"manifest index_type {data['index_type']!r} is unknown")
        for name, facts in data["files"].items():
            if not (
                isinstance(facts, dict)
                and isinstance(facts.get("bytes"), int)
                and isinstance(facts.get("sha256"), str)
            ):
                raise ValueError(f"manifest entry for file {name!r} is malformed")
        return cls(**{key: data[key] for key in expected})


@dataclass(frozen=True)
class VectorIndex:
    """A searchable index over ``passages``; FAISS ids are positions in ``passages``."""

    manifest: Manifest
    passages: tuple[Passage, ...]
    _faiss: faiss.Index = field(repr=False, compare=False)
    _vectors: np.ndarray = field(repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.passages)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (scores, ids) per query row; scores are cosine similarities, best first.

        ``queries`` is (d,) or (n, d) of unit vectors. ``k`` is clipped to the passage count,
        so every returned id is a valid row of :attr:`passages`.
        """
        matrix = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[1] != self.manifest.dimension:
            # A question encoded by another model than the one that built the index.
            raise IndexMismatchError(
                f"the index was built by {self.manifest.model} with {self.manifest.dimension} "
                f"dimensions, but the question vector has shape {queries.shape}; rebuild it "
                "with `qa index` and the same model"
            )
        k = min(max(k, 0), len(self.passages))
        if k == 0:
            empty = np.zeros((matrix.shape[0], 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        scores, ids = self._faiss.search(matrix, k)
        return scores, ids

    def vectors(self) -> np.ndarray:
        """(n, d) read-only passage vectors, for exact re-scoring of a candidate subset."""
        return self._vectors


# ---------------------------------------------------------------------------------------------
# Hashing and paths


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _passage_line(passage: Passage) -> str:
    return json.dumps(passage.to_dict(), ensure_ascii=False, sort_keys=True)


def content_hash(passages: Sequence[Passage]) -> str:
    """sha256 over every field of every passage, in order (a speaker fix invalidates too)."""
    digest = hashlib.sha256()
    for passage in passages:
        digest.update(_passage_line(passage).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _slug(value: str, limit: int = 40) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("._") or "x"
    return cleaned[-limit:]


def index_dir(cache_dir: Path, source_key: str, model: str) -> Path:
    """The folder for one (article source, model) pair; readable names, collision-free hashes."""
    source = f"{_slug(source_key)}-{_text_key(source_key)[:12]}"
    model_part = f"{_slug(model)}-{_text_key(model)[:12]}"
    return Path(cache_dir) / "indexes" / source / model_part


def _versions() -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {
        "faiss": version("faiss-cpu"),
        "sentence_transformers": version("sentence-transformers"),
        "numpy": np.__version__,
        "article_qa": version("article-qa"),
    }


# ---------------------------------------------------------------------------------------------
# Building FAISS indexes


def _choose_type(requested: str, count: int, flat_max_passages: int) -> IndexType:
    if requested == "auto":
        return "flat" if count <= flat_max_passages else "hnsw"
    if requested not in ("flat", "hnsw"):
        raise ValueError(f"index_type must be 'auto', 'flat' or 'hnsw', got {requested!r}")
    return "flat" if requested == "flat" else "hnsw"


def _make_faiss(vectors: np.ndarray, index_type: IndexType) -> tuple[faiss.Index, dict[str, int]]:
    import faiss

    dim = vectors.shape[1]
    params: dict[str, int] = {}
    index: faiss.Index
    if index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        hnsw = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        hnsw.hnsw.efSearch = HNSW_EF_SEARCH
        index = hnsw
        params = {"M": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": HNSW_EF_SEARCH}
    if len(vectors):
        index.add(vectors)
    return index, params


def _readonly(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    vectors.setflags(write=False)
    return vectors


# ---------------------------------------------------------------------------------------------
# Reading a folder


class _Invalid(Exception):
    """Why an index folder cannot be used (message is the one-line reason)."""


def _read_checked(folder: Path, name: str, manifest: Manifest) -> bytes:
    facts = manifest.files.get(name)
    if facts is None:
        raise _Invalid(f"manifest does not list {name}")
    try:
        data = (folder / name).read_bytes()
    except FileNotFoundError as exc:
        raise _Invalid(f"{name} is missing") from exc
    except OSError as exc:
        raise _Invalid(f"{name} is unreadable ({exc.strerror})") from exc
    if len(data) != facts["bytes"]:
        raise _Invalid(f"{name} has {len(data)} bytes, manifest says {facts['bytes']}")
    if hashlib.sha256(data).hexdigest() != facts["sha256"]:
        raise _Invalid(f"{name} checksum does not match the manifest")
    return data


def _read_manifest(folder: Path) -> Manifest:
    try:
        text = (folder / _MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise _Invalid("manifest.json is missing (interrupted build?)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _Invalid(f"manifest.json is unreadable ({exc})") from exc
    try:
        manifest = Manifest.from_json(text)
    except ValueError as exc:
        raise _Invalid(str(exc)) from exc
    if manifest.format_version != FORMAT_VERSION:
        raise _Invalid(f"format version {manifest.format_version} is not {FORMAT_VERSION}")
    return manifest


def _read_folder(folder: Path) -> VectorIndex:
    """A fully verified index from ``folder``; _Invalid saying why it cannot be trusted."""
    import faiss

    manifest = _read_manifest(folder)
    passages_blob = _read_checked(folder, _PASSAGES, manifest)
    index_blob = _read_checked(folder, _INDEX, manifest)
    try:
        lines = passages_blob.decode("utf-8").splitlines()
        passages = tuple(Passage.from_dict(json.loads(line)) for line in lines)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise _Invalid(f"{_PASSAGES} is malformed ({exc})") from exc
    if any(p.id != row for row, p in enumerate(passages)):
        raise _Invalid(f"{_PASSAGES} passage ids are not their row numbers")
    if len(passages) != manifest.passage_count:
        raise _Invalid(
            f"{_PASSAGES} has {len(passages)} passages, manifest says {manifest.passage_count}"
        )
    if content_hash(passages) != manifest.content_sha256:
        raise _Invalid(f"{_PASSAGES} content does not match the manifest's content hash")
    try:
        index = faiss.deserialize_index(np.frombuffer(index_blob, dtype=np.uint8))
    except RuntimeError as exc:
        raise _Invalid(f"{_INDEX} cannot be read by FAISS") from exc
    if index.ntotal != manifest.passage_count or index.d != manifest.dimension:
        raise _Invalid(
            f"{_INDEX} holds {index.ntotal} vectors of dimension {index.d}, manifest says "
            f"{manifest.passage_count} of {manifest.dimension}"
        )
    if manifest.index_type == "hnsw":
        # efSearch is a query-time knob; set it from the manifest rather than trust defaults.
        hnsw: Any = faiss.downcast_index(index)
        hnsw.hnsw.efSearch = manifest.params.get("ef_search", HNSW_EF_SEARCH)
    vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else None
    if vectors is None:
        vectors = np.zeros((0, manifest.dimension), dtype=np.float32)
    return VectorIndex(manifest, passages, index, _readonly(vectors))


def _mismatch(manifest: Manifest, encoder: TextEncoder, passages: Sequence[Passage]) -> str | None:
    """Why a (verified) index does not belong to these passages and this encoder, if it doesn't."""
    if manifest.model != encoder.name:
        return f"it was built with model {manifest.model!r}, not {encoder.name!r}"
    if manifest.weights_sha256 != encoder.weights_sha256:
        return f"the weights of model {encoder.name!r} changed"
    if manifest.dimension != encoder.dimension:
        return f"its dimension {manifest.dimension} is not the model's {encoder.dimension}"
    if manifest.passage_count != len(passages):
        return f"it has {manifest.passage_count} passages, the article now has {len(passages)}"
    if manifest.content_sha256 != content_hash(passages):
        return "the article's passages changed"
    return None


# ---------------------------------------------------------------------------------------------
# Writing a folder


def _atomic_write(folder: Path, name: str, data: bytes) -> None:
    # One seam for every file of the folder: the crash tests kill the process inside it.
    write_atomically(folder / name, data)


def _remove_stale_temp_files(folder: Path) -> None:
    # Left by a process killed mid-write; only our own dot-prefixed temp names are touched.
    for stale in folder.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _write_folder(folder: Path, index: VectorIndex) -> Manifest:
    """Save ``index`` into ``folder``; returns its manifest completed with the file checksums."""
    import faiss

    # Drop the manifest first: until the new one lands, the folder reads as "interrupted".
    with contextlib.suppress(FileNotFoundError):
        (folder / _MANIFEST).unlink()
    blobs = {
        _PASSAGES: "".join(_passage_line(p) + "\n" for p in index.passages).encode("utf-8"),
        _INDEX: faiss.serialize_index(index._faiss).tobytes(),
    }
    for name, data in blobs.items():
        _atomic_write(folder, name, data)
    files = {
        name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in blobs.items()
    }
    manifest = replace(index.manifest, files=files)
    _atomic_write(folder, _MANIFEST, manifest.to_json().encode("utf-8"))
    return manifest


# ---------------------------------------------------------------------------------------------
# Public entry point


def _encode_reusing(
    passages: Sequence[Passage],
    encoder: TextEncoder,
    previous: VectorIndex | None,
    progress: bool,
) -> tuple[np.ndarray, int]:
    """Vectors for ``passages`` in order, and how many were reused from ``previous``."""
    known: dict[str, np.ndarray] = {}
    if previous is not None:
        old_vectors = previous.vectors()
        for row, passage in enumerate(previous.passages):
            known.setdefault(_text_key(passage.text), old_vectors[row])
    keys = [_text_key(p.text) for p in passages]
    # Each distinct new text is encoded once, even if it repeats.
    todo: dict[str, str] = {}
    for key, passage in zip(keys, passages, strict=True):
        if key not in known:
            todo.setdefault(key, passage.text)
    if todo:
        fresh = encoder.encode_passages(list(todo.values()), progress=progress)
        fresh = np.asarray(fresh, dtype=np.float32)
        if fresh.shape != (len(todo), encoder.dimension):
            raise ValueError(
                f"encoder returned shape {fresh.shape}, expected {(len(todo), encoder.dimension)}"
            )
        known.update(zip(todo, fresh, strict=True))
    vectors = np.empty((len(passages), encoder.dimension), dtype=np.float32)
    for row, key in enumerate(keys):
        vectors[row] = known[key]
    reused = sum(1 for key in keys if key not in todo)
    return vectors, reused


def _build(
    passages: Sequence[Passage],
    encoder: TextEncoder,
    index_type: IndexType,
    previous: VectorIndex | None,
    progress: bool,
) -> tuple[VectorIndex, int]:
    vectors, reused = _encode_reusing(passages, encoder, previous, progress)
    index, params = _make_faiss(vectors, index_type)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model=encoder.name,
        weights_sha256=encoder.weights_sha256,
        content_sha256=content_hash(passages),
        passage_count=len(passages),
        dimension=encoder.dimension,
        index_type=index_type,
        versions=_versions(),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        params=params,
    )
    return VectorIndex(manifest, tuple(passages), index, _readonly(vectors)), reused


def _try_load(
    folder: Path, passages: Sequence[Passage], encoder: TextEncoder
) -> tuple[VectorIndex | None, VectorIndex | None, str | None]:
    """(usable index, intact-but-stale index for reuse, reason the folder is not usable)."""
    try:
        found = _read_folder(folder)
    except _Invalid as exc:
        return None, None, str(exc)
    reason = _mismatch(found.manifest, encoder, passages)
    if reason is None:
        return found, None, None
    same_weights = (
        found.manifest.model == encoder.name
        and found.manifest.weights_sha256 == encoder.weights_sha256
        and found.manifest.dimension == encoder.dimension
    )
    return None, (found if same_weights else None), reason


@contextlib.contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    from filelock import FileLock

    # flock-based: released by the OS if the holder dies, so a crash never wedges the cache.
    with FileLock(str(folder / _LOCK)):
        yield


def _warn(folder: Path, reason: str, action: str) -> None:
    _log.warning("index cache %s: %s; %s", folder, reason, action)


def load_or_build(
    passages: Sequence[Passage],
    encoder: TextEncoder,
    cache_dir: Path,
    *,
    source_key: str,
    index_type: Literal["auto", "flat", "hnsw"] = "auto",
    flat_max_passages: int = 50_000,
    progress: bool = False,
) -> tuple[VectorIndex, Status]:
    """The index of ``passages`` under ``encoder``, from ``cache_dir`` if valid, else (re)built.

    Returns the index and ``"loaded"`` (cache hit), ``"built"`` (encoded from scratch),
    ``"updated"`` (rebuilt reusing vectors of unchanged passages from the previous index) or
    ``"in-memory"`` (built but not saved: the cache could not be written).
    ``passages[i].id`` must be ``i``. Never raises for cache problems: a bad cache is rebuilt
    and an unwritable one is replaced by an in-memory index, each with a one-line warning.
    """
    passages = tuple(passages)
    for row, passage in enumerate(passages):
        if passage.id != row:
            raise ValueError(f"passage ids must be 0..n-1 in order; row {row} has id {passage.id}")
    chosen = _choose_type(index_type, len(passages), flat_max_passages)
    folder = index_dir(cache_dir, source_key, encoder.name)

    def acceptable(index: VectorIndex) -> bool:
        # "auto" takes whichever valid index is cached: an index the user built as HNSW with
        # `qa index --index-type hnsw` must not be rebuilt flat by the next `qa ask`.
        return index_type in ("auto", index.manifest.index_type)

    # Fast path without the lock (readers never wait for each other); any inconsistency from a
    # concurrent writer fails a checksum and falls through to the locked path.
    found, stale, _ = _try_load(folder, passages, encoder)
    if found is not None and acceptable(found):
        return found, "loaded"

    stack = contextlib.ExitStack()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stack.enter_context(_build_lock(folder))
    except OSError as exc:
        _warn(folder, f"not writable ({exc.strerror or exc})", "keeping the index in memory")
        index, _ = _build(passages, encoder, chosen, stale or found, progress)
        return index, "in-memory"
    with stack:
        # Another process may have finished the same build while we waited for the lock.
        found, previous, reason = _try_load(folder, passages, encoder)
        if found is not None and not acceptable(found):
            previous, reason = found, f"it is {found.manifest.index_type}, {chosen} was asked for"
            found = None
        if found is not None:
            return found, "loaded"
        if reason is not None and _folder_has_index_files(folder):
            _warn(folder, reason, "rebuilding")
        _remove_stale_temp_files(folder)
        index, reused = _build(passages, encoder, chosen, previous, progress)
        try:
            index = replace(index, manifest=_write_folder(folder, index))
        except OSError as exc:
            _warn(folder, f"cannot save the index ({exc.strerror or exc})", "keeping it in memory")
            return index, "in-memory"
        return index, ("updated" if reused else "built")


def _folder_has_index_files(folder: Path) -> bool:
    return any((folder / name).exists() for name in (_MANIFEST, _PASSAGES, _INDEX))
