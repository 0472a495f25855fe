"""The cached FAISS index: built once, reused while valid, rebuilt (never trusted) when not."""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import FakeEncoder

from embeddings.index import (
    FORMAT_VERSION,
    Manifest,
    VectorIndex,
    content_hash,
    index_dir,
    load_or_build,
)
from qa.core.errors import IndexMismatchError
from qa.core.types import Kind, Passage, Speaker

TEXTS = (
    "The city will focus on integrated circuits, biopharmaceuticals and artificial intelligence.",
    "Luo Dajin said the new airport will open to passengers next spring.",
    "Rainfall this summer was the heaviest recorded in thirty years.",
    "The football club signed two young strikers from the regional academy.",
    "Officials expect tourism revenue to double by the end of the decade.",
)


def make_passages(texts: Sequence[str], speaker: Speaker | None = None) -> list[Passage]:
    passages, offset = [], 0
    for row, text in enumerate(texts):
        kind: Kind = "indirect" if speaker else "narration"
        passages.append(
            Passage(row, "article.txt", row + 1, offset, offset + len(text), text, speaker, kind)
        )
        offset += len(text) + 2
    return passages


def folder_of(cache: Path, encoder: FakeEncoder, source: str = "article.txt") -> Path:
    return index_dir(cache, source, encoder.name)


def build(
    cache: Path, encoder: FakeEncoder, texts: Sequence[str] = TEXTS, **kwargs: Any
) -> tuple[VectorIndex, str]:
    return load_or_build(make_passages(texts), encoder, cache, source_key="article.txt", **kwargs)


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# --- building, reusing, searching -------------------------------------------------------------


def test_first_call_builds_and_second_call_loads_the_same_index(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    first, status1 = build(tmp_path, fake_encoder)
    second, status2 = build(tmp_path, FakeEncoder())

    assert (status1, status2) == ("built", "loaded")
    assert second.passages == first.passages == tuple(make_passages(TEXTS))
    np.testing.assert_array_equal(second.vectors(), first.vectors())
    assert second.manifest == first.manifest


def test_folder_holds_manifest_passages_and_faiss_index(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    index, _ = build(tmp_path, fake_encoder)
    folder = folder_of(tmp_path, fake_encoder)

    lines = (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Passage.from_dict(json.loads(line)) for line in lines] == list(index.passages)
    manifest = Manifest.from_json((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest.model == fake_encoder.name
    assert manifest.weights_sha256 == fake_encoder.weights_sha256
    assert manifest.content_sha256 == content_hash(index.passages)
    assert (manifest.passage_count, manifest.dimension) == (5, 64)
    assert manifest.index_type == "flat"
    assert manifest.format_version == FORMAT_VERSION
    assert set(manifest.versions) == {"faiss", "sentence_transformers", "numpy", "article_qa"}
    index_bytes = (folder / "index.faiss").read_bytes()
    assert manifest.files["index.faiss"] == {
        "bytes": len(index_bytes),
        "sha256": hashlib.sha256(index_bytes).hexdigest(),
    }
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*.tmp"))


def test_manifest_round_trips_through_json(tmp_path: Path, fake_encoder: FakeEncoder) -> None:
    index, _ = build(tmp_path, fake_encoder)
    assert Manifest.from_json(index.manifest.to_json()) == index.manifest


def test_search_ranks_the_passage_sharing_the_question_words_first(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    index, _ = build(tmp_path, fake_encoder)
    query = fake_encoder.encode_query("when will the new airport open to passengers")

    scores, ids = index.search(query, 3)

    assert ids.shape == scores.shape == (1, 3)
    assert ids[0, 0] == 1
    assert list(scores[0]) == sorted(scores[0], reverse=True)
    # Scores are cosine similarities of unit vectors: the exact inner product.
    assert scores[0, 0] == pytest.approx(float(index.vectors()[1] @ query), abs=1e-5)


def test_search_clips_k_to_the_passage_count_and_accepts_a_batch(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    index, _ = build(tmp_path, fake_encoder)
    queries = fake_encoder.encode_queries(["airport", "rainfall", "football"])

    scores, ids = index.search(queries, 50)

    assert ids.shape == scores.shape == (3, 5)
    assert sorted(ids[0]) == [0, 1, 2, 3, 4]
    assert list(ids[:, 0]) == [1, 2, 3]


def test_a_question_from_another_model_is_an_index_mismatch(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    index, _ = build(tmp_path, fake_encoder)
    with pytest.raises(IndexMismatchError, match=r"64 dimensions.*rebuild it") as info:
        index.search(np.ones(384, dtype=np.float32), 3)
    assert "\n" not in str(info.value)


def test_vectors_are_read_only_unit_rows(tmp_path: Path, fake_encoder: FakeEncoder) -> None:
    index, _ = build(tmp_path, fake_encoder)
    vectors = index.vectors()
    assert vectors.shape == (5, 64) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError):
        vectors[0, 0] = 2.0


def test_an_empty_article_gives_an_empty_but_searchable_index(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder, texts=())
    index, status = build(tmp_path, fake_encoder, texts=())
    scores, ids = index.search(fake_encoder.encode_query("anything"), 3)
    assert status == "loaded"
    assert ids.shape == scores.shape == (1, 0)


def test_passage_ids_must_be_row_numbers(tmp_path: Path, fake_encoder: FakeEncoder) -> None:
    shuffled = make_passages(TEXTS)[::-1]
    with pytest.raises(ValueError, match="row 0 has id 4"):
        load_or_build(shuffled, fake_encoder, tmp_path, source_key="article.txt")


# --- hashing and folder naming ----------------------------------------------------------------


def test_content_hash_changes_with_any_field_including_speaker_and_kind() -> None:
    base = make_passages(TEXTS)
    variants = [
        make_passages(TEXTS, speaker=Speaker("Luo Dajin")),
        make_passages(TEXTS, speaker=Speaker("Luo Dajin", "director")),
        [*base[:-1], Passage(4, "other.txt", 5, base[4].start, base[4].end, TEXTS[4], None,
                             "narration")],
        [*base[:-1], Passage(4, "article.txt", 5, base[4].start, base[4].end, TEXTS[4], None,
                             "direct")],
        base[:-1],
    ]
    hashes = {content_hash(base), *(content_hash(v) for v in variants)}
    assert len(hashes) == 1 + len(variants)
    assert content_hash(make_passages(TEXTS)) == content_hash(base)


def test_index_dir_is_one_folder_per_source_and_model(tmp_path: Path) -> None:
    folders = {
        index_dir(tmp_path, source, model)
        for source in ("/news/a.txt", "/news/b.txt", "/other/a.txt")
        for model in ("all-MiniLM-L6-v2", "/models/other")
    }
    assert len(folders) == 6
    assert all(f.is_relative_to(tmp_path) for f in folders)
    assert index_dir(tmp_path, "/news/a.txt", "m") == index_dir(tmp_path, "/news/a.txt", "m")


# --- invalidation -----------------------------------------------------------------------------


def test_a_changed_article_is_rebuilt_and_finds_the_new_text(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder)
    edited = (*TEXTS[:4], "A new bridge across the river will be finished in May.")

    index, status = build(tmp_path, fake_encoder, texts=edited)

    assert status == "updated"
    _, ids = index.search(fake_encoder.encode_query("bridge across the river"), 1)
    assert index.passages[ids[0, 0]].text == edited[4]
    assert build(tmp_path, fake_encoder, texts=edited)[1] == "loaded"


def test_a_speaker_correction_alone_invalidates_without_re_encoding(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder)
    fake_encoder.encoded.clear()
    attributed = make_passages(TEXTS, speaker=Speaker("Luo Dajin", "director"))

    index, status = load_or_build(attributed, fake_encoder, tmp_path, source_key="article.txt")

    assert status == "updated"
    assert fake_encoder.encoded == []
    assert index.passages[0].speaker == Speaker("Luo Dajin", "director")


def test_another_model_gets_its_own_index_and_leaves_the_first_intact(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder)
    other = FakeEncoder(dimension=32, name="another-model")

    index, status = build(tmp_path, other)

    assert status == "built"
    assert other.encoded == list(TEXTS)
    assert index.manifest.model == "another-model" and index.vectors().shape == (5, 32)
    assert build(tmp_path, fake_encoder)[1] == "loaded"


def test_new_weights_under_the_same_model_name_rebuild_without_reusing_vectors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build(tmp_path, FakeEncoder(dimension=64, name="same-name"))
    retrained = FakeEncoder(dimension=48, name="same-name")  # different weights hash

    index, status = build(tmp_path, retrained)

    assert status == "built"
    assert retrained.encoded == list(TEXTS)
    assert index.manifest.weights_sha256 == retrained.weights_sha256
    assert any("weights" in w for w in warnings_of(caplog))


# --- incremental update -----------------------------------------------------------------------


def test_incremental_update_encodes_only_new_or_changed_texts(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder)
    fake_encoder.encoded.clear()
    # Passage 2 deleted, passage 3 edited, one passage added, one duplicated.
    edited = (TEXTS[0], TEXTS[1], TEXTS[3] + " Both are nineteen.", TEXTS[4], "Brand new text.",
              "Brand new text.")

    index, status = build(tmp_path, fake_encoder, texts=edited)

    assert status == "updated"
    assert fake_encoder.encoded == [TEXTS[3] + " Both are nineteen.", "Brand new text."]
    fresh, _ = build(tmp_path / "fresh", FakeEncoder(), texts=edited)
    np.testing.assert_allclose(index.vectors(), fresh.vectors(), rtol=1e-6)
    assert [p.text for p in index.passages] == list(edited)


def test_switching_index_type_reuses_every_vector(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder, index_type="flat")
    fake_encoder.encoded.clear()

    index, status = build(tmp_path, fake_encoder, index_type="hnsw")

    assert (status, index.manifest.index_type) == ("updated", "hnsw")
    assert fake_encoder.encoded == []


def test_auto_keeps_the_cached_index_type_the_user_chose(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder, index_type="hnsw")  # small enough that auto means flat

    index, status = build(tmp_path, fake_encoder, index_type="auto")

    assert (status, index.manifest.index_type) == ("loaded", "hnsw")


# --- damaged caches ---------------------------------------------------------------------------


def _truncate_index(folder: Path) -> None:
    data = (folder / "index.faiss").read_bytes()
    (folder / "index.faiss").write_bytes(data[: len(data) // 2])


def _flip_passage_byte(folder: Path) -> None:
    path = folder / "passages.jsonl"
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01
    path.write_bytes(bytes(data))


def _garbage_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_bytes(b"\x00\xffnot json at all{{")


def _empty_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_text("", encoding="utf-8")


def _mistyped_manifest(folder: Path) -> None:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data["passage_count"] = "five"
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def _future_format(folder: Path) -> None:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data["format_version"] = FORMAT_VERSION + 1
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def _killed_before_manifest(folder: Path) -> None:
    (folder / "manifest.json").unlink()
    (folder / ".index.faiss.abc123.tmp").write_bytes(b"half a file")


def _index_deleted(folder: Path) -> None:
    (folder / "index.faiss").unlink()


def _index_swapped(folder: Path) -> None:
    # A valid FAISS file of the right size but from other vectors: only the checksum catches it.
    import faiss

    other = faiss.IndexFlatIP(64)
    other.add(np.eye(5, 64, k=3, dtype=np.float32))
    blob = faiss.serialize_index(other).tobytes()
    assert len(blob) == (folder / "index.faiss").stat().st_size
    (folder / "index.faiss").write_bytes(blob)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_truncate_index, "index.faiss has"),
        (_index_deleted, "index.faiss is missing"),
        (_index_swapped, "index.faiss checksum"),
        (_flip_passage_byte, "passages.jsonl checksum"),
        (_garbage_manifest, "manifest"),
        (_empty_manifest, "manifest is not valid JSON"),
        (_mistyped_manifest, "'passage_count'"),
        (_future_format, "format version"),
        (_killed_before_manifest, "manifest.json is missing"),
    ],
)
def test_a_damaged_cache_is_rebuilt_with_a_one_line_warning(
    tmp_path: Path,
    fake_encoder: FakeEncoder,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
    reason: str,
) -> None:
    original, _ = build(tmp_path, fake_encoder)
    folder = folder_of(tmp_path, fake_encoder)
    damage(folder)

    index, status = build(tmp_path, fake_encoder)

    assert status in {"built", "updated"}
    (warning,) = warnings_of(caplog)
    assert reason in warning and "rebuilding" in warning and "\n" not in warning
    np.testing.assert_array_equal(index.vectors(), original.vectors())
    assert not list(folder.glob(".*.tmp"))
    assert build(tmp_path, fake_encoder)[1] == "loaded"


def test_rebuilding_a_corrupt_cache_touches_nothing_else_in_the_cache_dir(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    build(tmp_path, fake_encoder)
    other_model = FakeEncoder(name="other-model")
    build(tmp_path, other_model)
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    other_folder = folder_of(tmp_path, other_model)
    before = {p.name: p.read_bytes() for p in other_folder.iterdir()}
    _garbage_manifest(folder_of(tmp_path, fake_encoder))

    build(tmp_path, fake_encoder)

    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert {p.name: p.read_bytes() for p in other_folder.iterdir()} == before


# --- unwritable caches and concurrency --------------------------------------------------------


def test_an_unwritable_cache_dir_falls_back_to_an_in_memory_index(
    tmp_path: Path, fake_encoder: FakeEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir should be", encoding="utf-8")

    index, status = build(blocker / "cache", fake_encoder)

    assert status == "in-memory"
    (warning,) = warnings_of(caplog)
    assert "not writable" in warning and "in memory" in warning
    _, ids = index.search(fake_encoder.encode_query("rainfall summer"), 1)
    assert ids[0, 0] == 2


def test_a_failing_write_keeps_the_index_in_memory_and_leaves_no_manifest(
    tmp_path: Path,
    fake_encoder: FakeEncoder,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read_only_filesystem(src: object, dst: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("qa.core.files.os.replace", read_only_filesystem)

    index, status = build(tmp_path, fake_encoder)

    assert status == "in-memory" and len(index) == 5
    (warning,) = warnings_of(caplog)
    assert "Read-only file system" in warning and "in memory" in warning
    folder = folder_of(tmp_path, fake_encoder)
    assert not (folder / "manifest.json").exists()
    assert not list(folder.glob(".*.tmp"))


def test_a_valid_cache_in_an_unwritable_place_is_still_used(
    tmp_path: Path, fake_encoder: FakeEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, fake_encoder)

    def no_lock(folder: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("embeddings.index._build_lock", no_lock)
    assert build(tmp_path, fake_encoder)[1] == "loaded"


def test_an_edited_article_with_an_unwritable_cache_reuses_the_old_vectors_in_memory(
    tmp_path: Path,
    fake_encoder: FakeEncoder,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build(tmp_path, fake_encoder)
    fake_encoder.encoded.clear()

    def no_lock(folder: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("embeddings.index._build_lock", no_lock)
    edited = (*TEXTS[:4], "A new bridge across the river will be finished in May.")
    index, status = build(tmp_path, fake_encoder, texts=edited)

    assert status == "in-memory"
    assert fake_encoder.encoded == [edited[4]]
    assert [p.text for p in index.passages] == list(edited)
    (warning,) = warnings_of(caplog)
    assert "Permission denied" in warning and "in memory" in warning


class SlowFakeEncoder(FakeEncoder):
    """Slow enough that two unsynchronised builds would certainly overlap."""

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        import time

        time.sleep(1.0)
        return super().encode_passages(texts, progress=progress)


def _child(cache: str, barrier: Any, results: Any) -> None:
    encoder = SlowFakeEncoder()
    barrier.wait()
    results.put(build(Path(cache), encoder)[1])


def test_two_processes_building_the_same_cache_at_once_both_succeed(
    tmp_path: Path, fake_encoder: FakeEncoder
) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_child, args=(str(tmp_path), barrier, results)) for _ in "ab"]
    for worker in workers:
        worker.start()
    statuses = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)

    assert [w.exitcode for w in workers] == [0, 0]
    # The lock serialises them: one builds, the other waits and then loads its result.
    assert statuses == ["built", "loaded"]
    index, status = build(tmp_path, fake_encoder)
    assert status == "loaded" and len(index) == 5


# --- index type -------------------------------------------------------------------------------


class TableEncoder(FakeEncoder):
    """Maps the text "row N" to row N of a fixed matrix (for recall tests on random vectors)."""

    def __init__(self, table: np.ndarray) -> None:
        super().__init__(dimension=table.shape[1], name="table")
        self.table = table

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self.table[[int(t.split()[1]) for t in texts]]


def _unit_rows(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    rows = rng.standard_normal((n, d)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_auto_uses_flat_up_to_the_threshold_and_hnsw_above_with_high_recall(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(7)
    table = _unit_rows(rng, 3000, 64)
    texts = [f"row {i}" for i in range(len(table))]
    encoder = TableEncoder(table)

    at_threshold, _ = build(tmp_path / "a", encoder, texts=texts, flat_max_passages=3000)
    hnsw, _ = build(tmp_path / "b", encoder, texts=texts, flat_max_passages=2999)
    forced_flat, _ = build(tmp_path / "c", encoder, texts=texts, flat_max_passages=10,
                           index_type="flat")

    assert at_threshold.manifest.index_type == "flat"
    assert forced_flat.manifest.index_type == "flat"
    assert hnsw.manifest.index_type == "hnsw"
    queries = _unit_rows(rng, 200, 64)
    _, exact = at_threshold.search(queries, 10)
    _, approx = hnsw.search(queries, 10)
    recall = np.mean([len(set(e) & set(a)) / 10 for e, a in zip(exact, approx, strict=True)])
    assert recall >= 0.95
    reloaded, status = build(tmp_path / "b", encoder, texts=texts, flat_max_passages=2999)
    assert status == "loaded" and reloaded.manifest.index_type == "hnsw"
    np.testing.assert_array_equal(reloaded.search(queries, 10)[1], approx)
