"""The web UI: its ``/answer`` API as a program sees it, and the HTML it renders.

The app runs in-process on a free loopback port over the real pipeline and is called through
``gradio_client``, exactly as the README tells programs to call it.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.pipeline import Pipeline
from qa.types import Answer, Passage, RankedPassage, Span, Speaker
from ui.render import article_html, default_examples, reply_html, sources_html, sources_title

pytestmark = pytest.mark.model

UI_DATA = Path(__file__).parent / "data" / "ui"
INDUSTRIES = "What are the three leading industries?"
DIRECTOR = "Who is the director of the Shanghai Science and Technology Commission?"
UNANSWERABLE = "What is the recipe for chocolate cake?"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    cache = tmp_path_factory.mktemp("ui-cache")
    return Pipeline.build(config=Config.from_env(cache_dir=cache))


@pytest.fixture(scope="module")
def app(pipeline: Pipeline) -> Iterator[Any]:
    from ui.app import launch

    demo = launch(pipeline, port=_free_port(), prevent_thread_lock=True)
    yield demo
    demo.close()


@pytest.fixture(scope="module")
def client(app: Any) -> Any:
    from gradio_client import Client

    return Client(app.local_url, verbose=False)


# --- the /answer API ------------------------------------------------------------------------


def test_api_returns_the_same_object_as_qa_ask_json(client: Any, pipeline: Pipeline) -> None:
    result = client.predict(INDUSTRIES, api_name="/answer")
    assert result == pipeline.answer(INDUSTRIES, k=3).to_dict()


def test_api_top_passage_for_the_industries_question_is_luo_in_paragraph_20(client: Any) -> None:
    result = client.predict(INDUSTRIES, api_name="/answer")
    top = result["passages"][0]
    assert (top["paragraph"], top["speaker"]["name"], top["kind"]) == (20, "Luo Dajin", "direct")
    assert result["answered"] is True
    start, end = top["highlight"]["start"], top["highlight"]["end"]
    assert top["start"] <= start < end <= top["end"]


def test_api_reply_names_the_director(client: Any) -> None:
    result = client.predict(DIRECTOR, api_name="/answer")
    assert "Luo Dajin" in result["reply"]


def test_api_k_defaults_to_three_and_can_be_given_by_name(client: Any) -> None:
    assert len(client.predict(INDUSTRIES, api_name="/answer")["passages"]) == 3
    result = client.predict(question=INDUSTRIES, k=5, api_name="/answer")
    assert [p["rank"] for p in result["passages"]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty"),
        ("   \n\t ", "the question is empty"),
        ("x" * 1001, "the question is 1,001 characters long; the limit is 1,000"),
    ],
    ids=["empty", "whitespace", "1001-chars"],
)
def test_api_rejects_a_bad_question_with_a_clear_message(
    client: Any, question: str, message: str
) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=re.escape(message)):
        client.predict(question, api_name="/answer")


def test_api_rejects_a_bad_k_with_a_clear_message(client: Any) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="k must be a whole number of passages >= 1"):
        client.predict(INDUSTRIES, 0, api_name="/answer")


def test_api_declines_an_unanswerable_question_but_still_shows_passages(client: Any) -> None:
    result = client.predict(UNANSWERABLE, api_name="/answer")
    assert result["answered"] is False
    assert "does not seem to answer" in result["reply"]
    assert len(result["passages"]) == 3


def test_api_answers_concurrent_callers_each_with_their_own_answer(client: Any) -> None:
    questions = [INDUSTRIES, DIRECTOR, UNANSWERABLE, INDUSTRIES, DIRECTOR, UNANSWERABLE]
    jobs = [client.submit(q, api_name="/answer") for q in questions]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda job: job.result(timeout=120), jobs))
    assert [r["question"] for r in results] == questions
    assert [r["answered"] for r in results] == [True, True, False] * 2


def test_only_the_answer_endpoint_is_public(client: Any) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert list(endpoints) == ["/answer"]


def test_launch_binds_loopback_without_share_link_or_analytics(app: Any) -> None:
    assert app.local_url.startswith("http://127.0.0.1:")
    assert app.share is False
    assert app.share_url is None
    assert app.analytics_enabled is False


# --- rendering (no server) ------------------------------------------------------------------

_TEXT = 'He said, "Tax <b>cuts</b> now." Then he left & <script>x()</script> happened.'
_SPEAKER = Speaker("Ann <Lee>", 'head of "R&D"')


def _passage(pid: int = 0, speaker: Speaker | None = _SPEAKER) -> Passage:
    return Passage(pid, "a.txt", pid + 1, 0, len(_TEXT), _TEXT, speaker, "direct")


def _answer(passage: Passage, answered: bool = True) -> Answer:
    start = _TEXT.index("Tax")
    end = _TEXT.index(" Then")
    ranked = RankedPassage(1, 0.5, passage, Span(start, end, _TEXT[start:end]))
    return Answer("q?", 'Ann says: "<img src=x onerror=alert(1)>"', answered, (ranked,))


def test_sources_escape_article_text_and_mark_the_highlight_sentence() -> None:
    html = sources_html(_answer(_passage()))
    assert '<mark class="qa-highlight">Tax &lt;b&gt;cuts&lt;/b&gt; now.&quot;</mark>' in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>" not in html and "<b>" not in html
    assert "Ann &lt;Lee&gt;" in html and "head of &quot;R&amp;D&quot;" in html
    assert "direct quote" in html and "¶1" in html and "score 0.500" in html


def test_sources_say_narration_when_nobody_speaks() -> None:
    html = sources_html(_answer(_passage(speaker=None)))
    assert '<span class="qa-badge qa-tone-none">narration</span>' in html


def test_reply_is_escaped_and_marked_declined_when_unanswered() -> None:
    html = reply_html(_answer(_passage(), answered=False))
    assert "qa-declined" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html


def test_sources_title_counts_passages() -> None:
    assert sources_title(_answer(_passage())) == "Sources · 1 passage"


def test_fragments_are_single_lines_so_markdown_leaves_them_alone() -> None:
    multiline = Passage(0, "a.txt", 1, 0, len(_TEXT) + 1, _TEXT + "\n", _SPEAKER, "direct")
    for html in (sources_html(_answer(multiline)), reply_html(_answer(multiline))):
        assert "\n" not in html


def test_article_marks_every_passage_with_its_speaker_and_lights_up_the_hits() -> None:
    passages = [_passage(0), _passage(1, speaker=None)]
    html = article_html(passages, _answer(passages[0]))
    assert html.count('<div class="qa-para"') == 1
    assert html.count('<div class="qa-para qa-hit" data-passage="0" data-rank="1">') == 1
    assert "narration" in html and "Ann &lt;Lee&gt;" in html
    assert "<script>" not in html


def test_article_without_an_answer_has_no_hits(pipeline: Pipeline) -> None:
    html = article_html(pipeline.passages)
    assert "qa-hit" not in html
    assert html.count('class="qa-para"') == len(pipeline.passages)


def test_xss_fixture_article_renders_inert() -> None:
    from qa.corpus import build_corpus

    corpus = build_corpus(UI_DATA / "xss.txt")
    html = article_html(corpus.passages)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_default_examples_ask_about_the_articles_speakers(pipeline: Pipeline) -> None:
    examples = default_examples(pipeline.people)
    assert "What did Xi Jinping say?" in examples
    assert examples[-1] == "What is the article about?"
    # Compound titles ("President, general secretary ...") make unreadable questions.
    assert not any("," in e for e in examples)
