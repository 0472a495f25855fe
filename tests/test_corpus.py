"""The corpus: attributed passages, and the attribution cache that makes restarts fast."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

import qa.passages.corpus
from qa.core.types import Article
from qa.passages.attribution import Attribution
from qa.passages.corpus import build_corpus, load_corpus

HARBOUR = """Harbour council backs new ferry

The harbour council voted on Monday to buy two electric ferries.

"We waited ten years for this," said Maria Costa, chair of the harbour council.

Costa said the first boat would sail in May.
"""

MARKET = """Market hall to reopen

The market hall reopens next week after repairs to its roof.

"Traders are ready," said Tom Reyes, the island's fire chief.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (articles / "market.txt").write_text(MARKET, encoding="utf-8")
    return articles


@pytest.fixture
def attributed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the articles attribution actually ran on, in order."""
    seen: list[str] = []
    real = qa.passages.corpus.attribute

    def counting(article: Article) -> Attribution:
        seen.append(article.name)
        return real(article)

    monkeypatch.setattr(qa.passages.corpus, "attribute", counting)
    return seen


def _cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "corpus").glob("*.json"))


def test_the_cached_corpus_is_the_same_as_a_fresh_one(folder: Path, tmp_path: Path) -> None:
    fresh = build_corpus(folder)
    first = load_corpus(folder, cache_dir=tmp_path / "cache")
    second = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert first.passages == fresh.passages == second.passages
    assert first.people == fresh.people == second.people
    speakers = {p.text.split(",")[0]: p.speaker and p.speaker.name for p in second.passages}
    assert speakers['"We waited ten years for this'] == "Maria Costa"


def test_unchanged_articles_are_not_attributed_again(
    folder: Path, tmp_path: Path, attributed: list[str]
) -> None:
    load_corpus(folder, cache_dir=tmp_path / "cache")
    assert attributed == ["harbour.txt", "market.txt"]
    attributed.clear()
    load_corpus(folder, cache_dir=tmp_path / "cache")
    assert attributed == []


def test_only_an_edited_article_is_attributed_again_and_a_deleted_one_is_dropped(
    folder: Path, tmp_path: Path, attributed: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache)
    attributed.clear()
    (folder / "harbour.txt").write_text(HARBOUR.replace("two", "three"), encoding="utf-8")
    corpus = load_corpus(folder, cache_dir=cache)
    assert attributed == ["harbour.txt"]
    assert "three electric ferries" in corpus.passages[0].text + corpus.passages[1].text

    (folder / "market.txt").unlink()
    corpus = load_corpus(folder, cache_dir=cache)
    assert {p.article for p in corpus.passages} == {"harbour.txt"}
    (cache_file,) = _cache_files(cache)
    assert len(json.loads(cache_file.read_text())["articles"]) == 1


def test_a_corrupt_cache_is_reported_and_replaced(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    expected = load_corpus(folder, cache_dir=cache)
    (cache_file,) = _cache_files(cache)
    cache_file.write_text('{"format": 1, "articles": {"abc": [', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        again = load_corpus(folder, cache_dir=cache)
    assert again.passages == expected.passages
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert json.loads(cache_file.read_text())["articles"]


def test_cached_offsets_that_do_not_fit_the_text_are_not_trusted(
    folder: Path, tmp_path: Path, attributed: list[str]
) -> None:
    cache = tmp_path / "cache"
    expected = load_corpus(folder, cache_dir=cache)
    (cache_file,) = _cache_files(cache)
    data = json.loads(cache_file.read_text())
    for entry in data["articles"].values():
        entry["chunks"][0][2] = 10_000_000
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    attributed.clear()
    assert load_corpus(folder, cache_dir=cache).passages == expected.passages
    assert sorted(attributed) == ["harbour.txt", "market.txt"]


def test_a_cache_written_by_other_code_is_ignored(
    folder: Path, tmp_path: Path, attributed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache)
    attributed.clear()
    monkeypatch.setattr(qa.passages.corpus, "_code_fingerprint", lambda: "other attribution code")
    load_corpus(folder, cache_dir=cache)
    assert sorted(attributed) == ["harbour.txt", "market.txt"]


def test_a_different_passage_size_is_cached_apart(
    folder: Path, tmp_path: Path, attributed: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache, max_passage_words=120)
    attributed.clear()
    small = load_corpus(folder, cache_dir=cache, max_passage_words=5)
    assert sorted(attributed) == ["harbour.txt", "market.txt"]
    assert small.passages == build_corpus(folder, max_passage_words=5).passages


def test_a_cache_path_that_is_a_file_only_costs_speed(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "not-a-directory"
    cache.write_text("x", encoding="utf-8")
    assert load_corpus(folder, cache_dir=cache).passages == build_corpus(folder).passages
