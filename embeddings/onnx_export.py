"""A one-time ONNX export of a sentence model's transformer, cached beside the indexes.

The encoder runs every question and passage through ONNX Runtime, which needs the transformer
as an ``.onnx`` graph. That graph is made once, from the *verified* weights bytes, by
``torch.onnx.export`` (the TorchScript exporter, ``dynamo=False``: it traces in a few seconds
and needs no ``onnxscript``; it does need the ``onnx`` package), and cached as::

    <cache>/onnx/<first 16 hex digits of the weights' sha256>/
        model.onnx       the transformer's graph: input_ids, attention_mask[, token_type_ids]
                         (dynamic batch and sequence axes) -> last_hidden_state
        model.onnx.data  its weights, as ONNX external data: ONNX Runtime memory-maps them,
                         which builds a session in ~50 ms instead of ~150 ms (one 90 MB
                         protobuf to parse and copy) and lets the two sessions share the pages
        manifest.json    weights sha256, exporter versions, opset, input names, and the size
                         and sha256 of both files; written last, so it marks a complete export

An export is reused only if its manifest names the same weights and exporter versions and both
files still have the recorded sizes and sha256s; a missing, partial, corrupt or foreign export
is made again. Files are only ever replaced (temporary file + ``os.replace``), never rewritten
in place, so a session that mapped the weights keeps the bytes that were verified even if
another process re-exports meanwhile. A file lock keeps two processes from exporting at once;
the second one then reuses the first one's export.

torch, transformers and safetensors are imported only inside :func:`_export`: a process that
finds a valid export never imports them.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np

from qa.core.errors import QAError, WeightsMismatchError
from qa.core.files import TEMP_SUFFIX, write_atomically

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel

__all__ = ["OPSET", "OnnxModel", "load_or_export"]

_log = logging.getLogger(__name__)

#: ONNX opset of new exports: 17 has LayerNormalization as one op, which ONNX Runtime runs
#: fused; every onnxruntime >= 1.14 supports it.
OPSET = 17
_FORMAT = 2
_MODEL = "model.onnx"
_DATA = "model.onnx.data"
_FILES = (_MODEL, _DATA)
_MANIFEST = "manifest.json"
_LOCK = ".lock"
# The inputs a Hugging Face encoder may take, in the order the graph declares them.
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Observed: ~4 s to import torch + transformers and build the model, ~2.5 s to trace and save
# all-MiniLM-L6-v2 (90 MB) on 2 cores; the estimate in the log message scales with size.
_FIXED_SECONDS = 5.0
_BYTES_PER_SECOND = 35e6
# ONNX Runtime's fused kernels round differently from torch; measured differences on the probe
# are ~1e-6, so anything past this means the graph does not compute what the model does.
_PROBE_TOLERANCE = 1e-4


@dataclass(frozen=True)
class OnnxModel:
    """A verified export: the graph to give ONNX Runtime (its weights file lies beside it)."""

    path: Path
    inputs: tuple[str, ...]


def _file_facts(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def _exporter_versions() -> dict[str, str | None]:
    """Versions of the libraries an export depends on, read without importing them."""
    versions: dict[str, str | None] = {}
    for name in ("torch", "transformers"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _expected_manifest(weights_sha256: str) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "weights_sha256": weights_sha256,
        "opset": OPSET,
        **_exporter_versions(),
    }


def _read_verified(folder: Path, weights_sha256: str) -> tuple[OnnxModel | None, str]:
    """The export in ``folder`` if it is complete, intact and made from these weights by these
    exporter versions; else None and why not (for the log)."""
    manifest, reason = _read_manifest(folder)
    if manifest is None:
        return None, reason
    stale = _stale_keys(manifest, weights_sha256)
    if stale:
        return None, f"made for other {', '.join(stale)}"
    inputs = manifest.get("inputs")
    files = manifest.get("files")
    if not _lists_inputs(inputs) or not _lists_files(files):
        return None, "malformed manifest"
    reason = _damaged_file(folder, files)
    if reason:
        return None, reason
    return OnnxModel(path=folder / _MODEL, inputs=tuple(inputs)), ""


def _read_manifest(folder: Path) -> tuple[dict[str, Any] | None, str]:
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "no export yet"
    except (OSError, ValueError) as exc:
        return None, f"unreadable manifest ({exc})"
    if not isinstance(manifest, dict):
        return None, "malformed manifest"
    return manifest, ""


def _stale_keys(manifest: dict[str, Any], weights_sha256: str) -> list[str]:
    """The manifest entries (weights, format, opset, exporter versions) that differ from now."""
    expected = _expected_manifest(weights_sha256)
    if expected["torch"] is None:
        # No exporter installed: an export of these very weights is the best there can be.
        expected = {k: v for k, v in expected.items() if k not in ("torch", "transformers")}
    return sorted(k for k, v in expected.items() if manifest.get(k) != v)


def _lists_inputs(inputs: object) -> TypeGuard[list[str]]:
    return isinstance(inputs, list) and bool(inputs) and all(name in _INPUTS for name in inputs)


def _lists_files(files: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(files, dict) and sorted(files) == sorted(_FILES)


def _damaged_file(folder: Path, files: dict[str, Any]) -> str:
    """Why a file of the export is not the one its manifest records; "" if none is."""
    for name in _FILES:
        try:
            facts = _file_facts(folder / name)
        except OSError as exc:
            return f"unreadable {name} ({exc.strerror or exc})"
        if facts["bytes"] != files[name].get("bytes"):
            return f"{name} has {facts['bytes']} bytes, not {files[name].get('bytes')}"
        if facts["sha256"] != files[name].get("sha256"):
            return f"{name} does not have the sha256 its manifest records"
    return ""


def load_or_export(
    model_dir: Path, weights_file: Path, weights_sha256: str, cache_dir: Path
) -> OnnxModel:
    """The verified ONNX export of the model in ``model_dir`` whose weights (``weights_file``)
    have the already verified ``weights_sha256``: from the cache, else exported now (once,
    under a file lock). Raises QAError (WeightsMismatchError if the weights changed since
    they were verified)."""
    folder = Path(cache_dir) / "onnx" / weights_sha256[:16]
    found, _ = _read_verified(folder, weights_sha256)
    if found is not None:
        return found
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / _LOCK))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Generous: a second process waits for the first one's export rather than redoing it.
        lock.acquire(timeout=900)
    except Timeout as exc:
        raise QAError(
            f"timed out waiting for another process to export the model into {folder}; "
            f"if no other qa process is running, delete {folder / _LOCK}"
        ) from exc
    except OSError as exc:
        raise QAError(
            f"cannot write the ONNX export to {folder} ({exc.strerror or exc}); "
            "set QA_CACHE_DIR to a writable directory"
        ) from exc
    try:
        found, reason = _read_verified(folder, weights_sha256)
        if found is not None:
            return found
        if reason != "no export yet":
            _log.warning("ONNX export %s: %s; exporting again", folder, reason)
        return _export_into(folder, model_dir, weights_file, weights_sha256)
    except OSError as exc:
        raise QAError(
            f"cannot export the model to ONNX in {folder} "
            f"({exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}); "
            "check that the model directory is readable and the cache directory writable"
        ) from exc
    finally:
        lock.release()


def _export_into(
    folder: Path, model_dir: Path, weights_file: Path, weights_sha256: str
) -> OnnxModel:
    blob = weights_file.read_bytes()
    actual = hashlib.sha256(blob).hexdigest()
    if actual != weights_sha256:
        raise WeightsMismatchError(
            f"model weights {weights_file} changed while in use (sha256 {actual}, verified "
            f"{weights_sha256}); restore them and run again"
        )
    estimate = _FIXED_SECONDS + len(blob) / _BYTES_PER_SECOND
    _log.warning("exporting the model to ONNX (one time, ~%.0f s)", estimate)
    # Invalidate first: from here on, a crash leaves no manifest vouching for a stale graph.
    with contextlib.suppress(FileNotFoundError):
        (folder / _MANIFEST).unlink()
    scratch = Path(tempfile.mkdtemp(dir=folder, prefix=".export-", suffix=TEMP_SUFFIX))
    try:
        inputs = _export(model_dir, blob, scratch)
        del blob  # ~the model's size; the session built next needs the memory more
        facts = {name: _file_facts(scratch / name) for name in _FILES}
        # Weights first: the old graph never meets new weights under the names the manifest
        # (now absent) would vouch for, and the graph names its data file only by name.
        for name in (_DATA, _MODEL):
            os.replace(scratch / name, folder / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    manifest = {**_expected_manifest(weights_sha256), "inputs": list(inputs), "files": facts}
    write_atomically(folder / _MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    return OnnxModel(path=folder / _MODEL, inputs=inputs)


def _export(model_dir: Path, weights: bytes, target: Path) -> tuple[str, ...]:
    """Trace the transformer built from ``weights`` into the directory ``target`` (model.onnx
    + model.onnx.data); return the graph's input names.

    The graph is checked against the torch model it came from on a padded probe batch before
    it is accepted, so a model the tracer mishandles fails here, not as silently wrong vectors.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _require_exporter()
    import inspect

    import torch

    started = time.perf_counter()
    model, vocab = _build_model(model_dir, weights)
    accepted = inspect.signature(model.forward).parameters
    inputs = tuple(name for name in _INPUTS if name in accepted)
    probe = _probe(vocab, rows=2, length=11)
    wrapper = _last_hidden_state(model, inputs)
    # A second shape proves the batch and sequence axes really are dynamic.
    checks = [
        {k: v for k, v in p.items() if k in inputs}
        for p in (probe, _probe(vocab, rows=3, length=5))
    ]
    with torch.inference_mode():
        expected = [wrapper(*(torch.from_numpy(c[k]) for k in inputs)).numpy() for c in checks]
    _trace(wrapper, inputs, tuple(torch.from_numpy(probe[name]) for name in inputs), target)
    _split_weights(target / "traced.onnx", target)
    _check_against_torch(target / _MODEL, checks, expected, model_dir)
    _log.info("exported %s to ONNX in %.1f s", model_dir, time.perf_counter() - started)
    return inputs


def _require_exporter() -> None:
    import importlib.util

    # torch.onnx.export(dynamo=False) imports onnx only once the graph is traced; ask first.
    missing = [m for m in ("torch", "transformers", "onnx") if importlib.util.find_spec(m) is None]
    if missing:
        raise QAError(
            f"exporting the model to ONNX needs torch, transformers and onnx (not installed: "
            f"{', '.join(missing)}); install them, or use backend 'sentence-transformers'"
        )


def _build_model(model_dir: Path, weights: bytes) -> tuple[PreTrainedModel, int]:
    """The transformer of ``model_dir`` with ``weights`` loaded, in float32 eval mode, and
    its vocabulary size (for the probe's token ids)."""
    from transformers import AutoConfig, AutoModel

    try:
        config = AutoConfig.from_pretrained(str(model_dir), local_files_only=True)
        # Eager attention traces to plain MatMul/Softmax: no SDPA kernel choice baked in.
        model = AutoModel.from_config(config, attn_implementation="eager")
    except (OSError, ValueError, KeyError) as exc:
        raise QAError(
            f"cannot build the transformer of {model_dir} for ONNX export "
            f"({' '.join(str(exc).split())})"
        ) from exc
    _load_weights(model, weights, model_dir)
    return model.float().eval(), int(getattr(config, "vocab_size", 1000))


def _load_weights(model: PreTrainedModel, weights: bytes, model_dir: Path) -> None:
    from safetensors.torch import load as load_safetensors

    state = load_safetensors(weights)
    # A sentence-transformers checkpoint may store the bare transformer's tensors under the
    # full model's prefix ("bert."); the bare model expects them without it.
    prefix = f"{model.base_model_prefix}."
    if state and all(key.startswith(prefix) for key in state):
        state = {key[len(prefix) :]: value for key, value in state.items()}
    result = model.load_state_dict(state, strict=False)
    # Buffers (position ids) are rebuilt by the model itself, so their absence is harmless;
    # a missing parameter would leave random weights in the graph.
    buffers = {name for name, _ in model.named_buffers()}
    missing = [key for key in result.missing_keys if key not in buffers]
    if missing:
        raise QAError(
            f"model weights in {model_dir} lack {len(missing)} tensors the model "
            f"needs (e.g. {missing[0]}); use backend 'sentence-transformers'"
        )


def _last_hidden_state(model: torch.nn.Module, inputs: tuple[str, ...]) -> torch.nn.Module:
    """``model`` as the exporter wants it: positional tensor inputs, one tensor output."""
    import torch

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(inputs, args, strict=True))).last_hidden_state

    return _LastHiddenState(model).eval()


def _trace(
    wrapper: torch.nn.Module,
    inputs: tuple[str, ...],
    feeds: tuple[torch.Tensor, ...],
    target: Path,
) -> None:
    """Write the traced graph of ``wrapper`` to ``target``/traced.onnx (weights inline)."""
    import torch

    axes = {0: "batch", 1: "sequence"}
    # The tracer's warnings (Python bools read off tensors in transformers' mask helpers, the
    # legacy exporter's deprecation) are about code paths the probe check covers.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            feeds,
            str(target / "traced.onnx"),
            input_names=list(inputs),
            output_names=["last_hidden_state"],
            dynamic_axes={name: axes for name in (*inputs, "last_hidden_state")},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def _split_weights(traced: Path, target: Path) -> None:
    """Rewrite ``traced`` as ``target``/model.onnx with its weights in model.onnx.data."""
    import onnx

    graph = onnx.load(str(traced))
    traced.unlink()
    onnx.save_model(
        graph,
        str(target / _MODEL),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=_DATA,
        size_threshold=1024,  # small constants stay inline; every weight matrix goes out
    )


def _probe(vocab_size: int, rows: int, length: int) -> dict[str, np.ndarray]:
    """Rows of different lengths: tracing and checking with padding in the batch makes sure
    the attention mask is a real input of the graph, not folded into a constant."""
    input_ids = np.arange(rows * length, dtype=np.int64).reshape(rows, length) * 7 + 100
    input_ids %= max(vocab_size, 2)
    mask = np.ones_like(input_ids)
    for row in range(1, rows):
        mask[row, length - 2 * row :] = 0
    input_ids[mask == 0] = 0
    return {
        "input_ids": input_ids,
        "attention_mask": mask,
        "token_type_ids": np.zeros_like(input_ids),
    }


def _check_against_torch(
    path: Path, checks: list[dict[str, np.ndarray]], expected: list[np.ndarray], model_dir: Path
) -> None:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    difference = 0.0
    for feeds, wanted in zip(checks, expected, strict=True):
        (actual,) = session.run(["last_hidden_state"], feeds)
        # Padding positions are never pooled; only real tokens must match.
        real = feeds["attention_mask"].astype(bool)
        difference = max(difference, float(np.abs(actual[real] - wanted[real]).max()))
    if not difference <= _PROBE_TOLERANCE:
        raise QAError(
            f"the ONNX export of {model_dir} differs from the model by {difference:.1e}"
            "; use backend 'sentence-transformers' for this model"
        )
