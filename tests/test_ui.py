"""The web UI without a browser: its ``/answer`` and ``/chat`` APIs as a program sees them, the
article library, reading uploads and pastes, example questions, and the HTML it renders.

The app runs in-process on a free loopback port over the real pipeline (real model) and a small
article written for these tests, and is called through ``gradio_client``, exactly as the README
tells programs to call it.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from qa.answering.pipeline import Pipeline
from qa.core.config import Config
from qa.core.errors import ArticleError
from qa.core.types import Answer, ArticleMeta, Passage, RankedPassage, Span, Speaker
from qa.dialogue import Conversation
from qa.ingest.text import article_from_text
from ui.app import (
    MAX_ARTICLE_CHARS,
    MAX_UPLOAD_BYTES,
    article_library,
    read_paste,
    read_upload,
)
from ui.examples import article_examples
from ui.render import (
    answer_html,
    article_html,
    article_title,
    error_html,
    heading_html,
    match_label,
    question_html,
)
from ui.sessions import ArticleLibrary, Loaded

pytestmark = pytest.mark.model

UI_DATA = Path(__file__).parent / "data" / "ui"
#: Three people with titles and quotes: Irene Castell (director of the water board), Omar
#: Haddad (union secretary, the only one to mention night shifts) and Lena Brandt (hydrologist).
RESERVOIR = Path(__file__).parent / "data" / "pipeline" / "reservoir.txt"
NIGHT_SHIFTS = "What did Omar Haddad say about night shifts?"
DIRECTOR = "Who is the director of the Marlow Valley Water Board?"
UNANSWERABLE = "What is the recipe for chocolate cake?"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    cache = tmp_path_factory.mktemp("ui-cache")
    return Pipeline.build(RESERVOIR, config=Config.from_env(cache_dir=cache))


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
    result = client.predict(NIGHT_SHIFTS, api_name="/answer")
    assert result == pipeline.answer(NIGHT_SHIFTS, k=3).to_dict()


def test_api_top_passage_is_where_the_person_asked_about_speaks(client: Any) -> None:
    result = client.predict(NIGHT_SHIFTS, api_name="/answer")
    top = result["passages"][0]
    assert (top["speaker"]["name"], top["kind"]) == ("Omar Haddad", "direct")
    assert "night shifts" in top["text"]
    assert result["answered"] is True
    start, end = top["highlight"]["start"], top["highlight"]["end"]
    assert top["start"] <= start < end <= top["end"]


def test_api_reply_names_the_director(client: Any) -> None:
    result = client.predict(DIRECTOR, api_name="/answer")
    assert result["reply"].startswith("Irene Castell, director of the Marlow Valley Water Board")


def test_api_k_defaults_to_three_and_can_be_given_by_name(client: Any) -> None:
    assert len(client.predict(NIGHT_SHIFTS, api_name="/answer")["passages"]) == 3
    result = client.predict(question=NIGHT_SHIFTS, k=5, api_name="/answer")
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
        client.predict(NIGHT_SHIFTS, 0, api_name="/answer")


def test_api_declines_an_unanswerable_question_but_still_shows_passages(client: Any) -> None:
    result = client.predict(UNANSWERABLE, api_name="/answer")
    assert result["answered"] is False
    assert len(result["passages"]) == 3


def test_api_answers_concurrent_callers_each_with_their_own_answer(client: Any) -> None:
    questions = [NIGHT_SHIFTS, DIRECTOR, UNANSWERABLE, NIGHT_SHIFTS, DIRECTOR, UNANSWERABLE]
    jobs = [client.submit(q, api_name="/answer") for q in questions]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda job: job.result(timeout=120), jobs))
    assert [r["question"] for r in results] == questions
    assert [r["answered"] for r in results] == [True, True, False] * 2


def test_only_the_answer_and_chat_endpoints_are_public(client: Any) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert sorted(endpoints) == ["/answer", "/chat"]


def test_launch_binds_loopback_without_share_link_or_analytics(app: Any) -> None:
    assert app.local_url.startswith("http://127.0.0.1:")
    assert app.share is False
    assert app.share_url is None
    assert app.analytics_enabled is False


# --- the /chat API --------------------------------------------------------------------------


def test_chat_resolves_a_follow_up_from_the_history_it_is_given(client: Any) -> None:
    result = client.predict("What did he say?", ["Who is Omar Haddad?"], 3, api_name="/chat")
    assert result["question"] == "What did he say?"
    assert result["resolved_question"] == "What did Omar Haddad say?"
    assert result["answered"] is True
    assert result["passages"][0]["speaker"]["name"] == "Omar Haddad"


def test_chat_returns_what_a_replayed_conversation_returns(
    client: Any, pipeline: Pipeline
) -> None:
    history = ["Who is Lena Brandt?", "What did she say about the leaks?"]
    expected = Conversation.replay(pipeline, history).ask("What else did she say?", k=2)
    result = client.predict("What else did she say?", history, 2, api_name="/chat")
    assert result == expected.to_dict()


def test_chat_with_no_history_answers_like_the_answer_endpoint(client: Any) -> None:
    chat = client.predict(NIGHT_SHIFTS, [], 3, api_name="/chat")
    single = client.predict(NIGHT_SHIFTS, 3, api_name="/answer")
    assert chat == single
    assert chat["resolved_question"] == NIGHT_SHIFTS


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ("Who is Omar Haddad?", "the history must be a list of earlier questions, not str"),
        (["Who is Omar Haddad?"] * 21, "21"),
        (["x" * 1001], "1,001 characters"),
        ([3], "int"),
    ],
    ids=["a-string", "21-turns", "over-long-turn", "not-text"],
)
def test_chat_rejects_bad_history_with_a_one_line_error(
    client: Any, history: object, message: str
) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as error:
        client.predict("What did he say?", history, 3, api_name="/chat")
    text = str(error.value)
    assert message in text
    assert "\n" not in text.strip()


# --- the plain JSON route ------------------------------------------------------------------


def _post(app: Any, body: bytes) -> tuple[int, Any]:
    """POST ``body`` to the server's /api/answer; the status and the decoded JSON reply."""
    import json
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    request = Request(f"{app.local_url}api/answer", data=body,
                      headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def test_json_route_answers_like_the_chat_api(app: Any, client: Any) -> None:
    import json

    status, result = _post(app, json.dumps({"question": NIGHT_SHIFTS}).encode())
    assert status == 200
    assert result == client.predict(NIGHT_SHIFTS, [], 3, api_name="/chat")
    history = ["Who is Lena Brandt?", "What did she say about the leaks?"]
    body = {"question": "What else did she say?", "history": history, "k": 2}
    status, result = _post(app, json.dumps(body).encode())
    assert status == 200
    assert result == client.predict("What else did she say?", history, 2, api_name="/chat")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"question": ""}', "the question is empty"),
        (b'{"question": "Who?", "history": "Who is Omar Haddad?"}',
         "the history must be a list of earlier questions, not str"),
        (b'{"question": "Who?", "k": "three"}', "k must be a whole number"),
        (b'{"question": "Who?", "top": 3}', "unknown field(s) top"),
        (b'["Who?"]', "the request must be a JSON object, not list"),
        (b"Who is Omar Haddad?", "the request body is not JSON"),
    ],
    ids=["empty-question", "history-not-a-list", "k-not-a-number", "unknown-field",
         "not-an-object", "not-json"],
)
def test_json_route_refuses_a_bad_request_with_400_and_one_line(
    app: Any, body: bytes, message: str
) -> None:
    status, result = _post(app, body)
    assert status == 400
    assert message in result["error"] and "\n" not in result["error"]


# --- the article library (no model) ---------------------------------------------------------


def _article(text: str) -> Any:
    return article_from_text(text, name="a.txt")


def test_library_builds_the_same_article_once() -> None:
    built: list[str] = []

    def build(article: Any) -> str:
        built.append(article.sha256)
        return str(article.text)

    library = ArticleLibrary(build, capacity=2)
    first = library.get(_article("One text.\n"))
    again = library.get(_article("One text.\n"))  # another object, the same content
    assert first == again == "One text.\n"
    assert len(built) == 1 and library.builds == 1


def test_library_drops_the_least_recently_used_article_beyond_its_capacity() -> None:
    library = ArticleLibrary(lambda a: a.text, capacity=2)
    a, b, c = _article("A.\n"), _article("B.\n"), _article("C.\n")
    library.get(a)
    library.get(b)
    library.get(a)  # a is now the most recently used
    library.get(c)
    assert library.lru_order() == [a.sha256, c.sha256]
    assert len(library) == 2


def test_library_never_builds_or_drops_the_pinned_article() -> None:
    pinned = _article("Default.\n")
    library = ArticleLibrary(lambda a: a.text, capacity=1, pinned=(pinned.sha256, "default"))
    library.get(_article("A.\n"))
    library.get(_article("B.\n"))
    assert library.get(pinned) == "default"
    assert library.builds == 2 and pinned.sha256 not in library.lru_order()


def test_library_shares_one_build_between_sessions_asking_at_once() -> None:
    calls: list[int] = []

    def slow(article: Any) -> str:
        calls.append(1)
        time.sleep(0.2)
        return str(article.text)

    library = ArticleLibrary(slow, capacity=4)
    article = _article("Shared.\n")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: library.get(article), range(4)))
    assert results == ["Shared.\n"] * 4 and len(calls) == 1


def test_library_builds_one_article_at_a_time() -> None:
    running: list[int] = []
    overlap: list[int] = []

    def build(article: Any) -> str:
        running.append(1)
        overlap.append(len(running))
        time.sleep(0.05)
        running.pop()
        return str(article.text)

    library = ArticleLibrary(build, capacity=8, max_building=1)
    articles = [_article(f"Article {i}.\n") for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(library.get, articles))
    assert library.builds == 4 and max(overlap) == 1


def test_library_serves_built_articles_while_another_is_being_built() -> None:
    release = threading.Event()

    def build(article: Any) -> str:
        if article.text.startswith("Slow"):
            release.wait(5)
        return str(article.text)

    library = ArticleLibrary(build, capacity=4)
    ready = _article("Ready.\n")
    library.get(ready)
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(library.get, _article("Slow.\n"))
        started = time.perf_counter()
        assert library.get(ready) == "Ready.\n"
        waited = time.perf_counter() - started
        release.set()
        assert slow.result() == "Slow.\n"
    assert waited < 1.0


# --- reading uploads and pastes (no model) --------------------------------------------------


def test_upload_of_a_saved_web_page_keeps_its_title_author_and_date() -> None:
    article = read_upload(UI_DATA / "harbour_vote.html")
    assert article.meta.title == "Port Ellis council backs harbour tunnel"
    assert article.meta.author == "Dana Whitfield"
    assert article.meta.date == "2024-03-14"
    assert "Sign up to our newsletter" not in article.text
    assert "softer than the early surveys" in article.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04" + bytes(200), ".docx files are not supported"),
        ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\n \n", "empty"),
        ("junk.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "the limit is 5 MB"),
    ],
    ids=["unsupported-type", "binary-renamed-html", "empty", "blank", "over-5-MB"],
)
def test_upload_refuses_what_is_not_an_article_with_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ArticleError) as error:
        read_upload(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert str(tmp_path) not in str(error.value)  # the visitor's file name, not the server's copy
    assert path.read_bytes() == content  # the user's file is never modified


def test_paste_refuses_an_article_over_the_length_limit() -> None:
    text = "A sentence about the harbour. " * (MAX_ARTICLE_CHARS // 30 + 10)
    with pytest.raises(ArticleError, match=f"the limit is {MAX_ARTICLE_CHARS:,}"):
        read_paste(text)


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("hello", "1 word is too short to be an article"),
        ("Council votes. Mayor agrees.", "4 words is too short to be an article"),
        ("https://example.com/news/harbour-tunnel.html", "that is a web address: save the page"),
        ("  www.example.com/story  ", "that is a web address: save the page"),
    ],
    ids=["one-word", "one-line", "web-address", "bare-www-address"],
)
def test_paste_refuses_what_cannot_be_an_article_before_indexing(
    pasted: str, message: str
) -> None:
    with pytest.raises(ArticleError) as error:
        read_paste(pasted)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert "--article" not in str(error.value)


def test_paste_of_plain_text_keeps_the_text_exactly() -> None:
    text = (UI_DATA / "orchard_library.txt").read_text(encoding="utf-8")
    article = read_paste(text)
    assert article.text == text
    assert article_title(article) == "Orchard Street library reopens after flood repairs"


# --- example questions ----------------------------------------------------------------------


def test_every_example_is_answered_by_the_article(pipeline: Pipeline) -> None:
    examples = article_examples(pipeline)
    assert len(examples) >= 3
    assert all(pipeline.answer(question, k=1).answered for question in examples)


def test_examples_ask_about_the_articles_own_speakers(pipeline: Pipeline) -> None:
    examples = article_examples(pipeline)
    names = {p.speaker.name for p in pipeline.passages if p.speaker is not None}
    assert any(name in question for question in examples for name in names)
    assert not any("," in question for question in examples)


def test_examples_ask_about_several_people_not_one_speakers_every_quote(
    pipeline: Pipeline,
) -> None:
    examples = article_examples(pipeline)
    names = {p.speaker.name for p in pipeline.passages if p.speaker is not None}
    per_name = {name: sum(name in question for question in examples) for name in names}
    assert max(per_name.values()) <= 2
    assert sum(count > 0 for count in per_name.values()) >= 2


def test_example_topics_are_things_not_pronouns_ordinals_or_verb_forms(tmp_path: Path) -> None:
    from conftest import FakeEncoder

    # Ines Varga's quotes repeat "everyone", "first" and "leaving" more than any noun.
    text = (
        "Dockers in Porto Vell voted on Monday to strike over the new port rota.\n\n"
        '"Everyone is leaving first, everyone, and the rota forces it," said Ines Varga, a union '
        "steward.\n\n"
        '"Everyone knows the first shift is leaving early because of the rota," Varga said.\n\n'
        '"We are leaving first thing, everyone of us, until the rota changes," she said.\n'
    )
    pipeline = Pipeline.build(
        article_from_text(text, "strike.txt"),
        config=Config.from_env(cache_dir=tmp_path),
        encoder=FakeEncoder(),
    )
    topics = [q.split(" say about ", 1)[1] for q in article_examples(pipeline, limit=10)
              if " say about " in q]
    assert topics == ["the rota?"]


def test_library_builds_an_uploaded_article_with_examples_naming_its_speakers(
    pipeline: Pipeline,
) -> None:
    library = article_library(Loaded(pipeline.corpus.articles, pipeline, ()))
    loaded = library.get(read_upload(UI_DATA / "harbour_vote.html"))
    other, examples = loaded.pipeline, loaded.examples
    assert other is not pipeline and other.corpus.articles[0].meta.author == "Dana Whitfield"
    assert examples and all(other.answer(q, k=1).answered for q in examples)
    assert any("Lopez" in q or "Berg" in q for q in examples)
    assert not any(name in q for q in examples for name in ("Castell", "Haddad", "Brandt"))


# --- rendering (no server) ------------------------------------------------------------------

_TEXT = 'He said, "Tax <b>cuts</b> now." Then he left & <script>x()</script> happened.'
_SPEAKER = Speaker("Ann <Lee>", 'head of "R&D"')


def _passage(pid: int = 0, speaker: Speaker | None = _SPEAKER) -> Passage:
    return Passage(pid, "a.txt", pid + 1, 0, len(_TEXT), _TEXT, speaker, "direct")


def _ranked(passage: Passage, rank: int = 1, start: int | None = None,
            end: int | None = None) -> RankedPassage:
    start = _TEXT.index("Tax") if start is None else start
    end = _TEXT.index(" Then") if end is None else end
    return RankedPassage(rank, 0.5, passage, Span(start, end, _TEXT[start:end]))


def _answer(passage: Passage, answered: bool = True, **changes: Any) -> Answer:
    answer = Answer("q?", 'Ann says: "<img src=x onerror=alert(1)>"', answered,
                    (_ranked(passage),))
    return replace(answer, **changes)


def test_cards_escape_article_text_and_mark_the_answering_sentence() -> None:
    html = answer_html(_answer(_passage()))
    assert '<mark class="qa-highlight">Tax &lt;b&gt;cuts&lt;/b&gt; now.&quot;</mark>' in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>" not in html and "<b>" not in html
    assert "Ann &lt;Lee&gt;" in html and "head of &quot;R&amp;D&quot;" in html
    assert "direct quote" in html and "¶1" in html


def test_cards_show_a_plain_match_label_instead_of_a_score() -> None:
    html = answer_html(_answer(_passage()))
    assert "strong match" in html
    assert "0.5" not in html and "score" not in html


def test_match_label_follows_confidence_and_steps_down_with_rank() -> None:
    passage = _passage()
    second = _ranked(passage, rank=2)
    assert match_label(_answer(passage, confidence=0.9), _ranked(passage)) == "strong match"
    assert match_label(_answer(passage, confidence=0.4), _ranked(passage)) == "possible match"
    assert match_label(_answer(passage, confidence=0.1), _ranked(passage)) == "weak match"
    assert match_label(_answer(passage, confidence=None), second) == "possible match"
    assert match_label(_answer(passage, confidence=0.4), second) == "possible match"
    assert match_label(_answer(passage, answered=False), _ranked(passage)) == "weak match"


def test_reply_is_escaped_and_cites_each_source_by_number() -> None:
    passages = (_ranked(_passage(0)), _ranked(_passage(1), rank=2))
    html = answer_html(replace(_answer(_passage()), passages=passages))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert re.findall(r'class="qa-cite qa-cite-(\d)"', html) == ["1", "2"]
    assert re.findall(r'class="qa-source qa-source-(\d)"', html) == ["1", "2"]
    # Only the first card is open; the others fold until their citation is clicked.
    assert html.count("<details") == 2 and html.count(" open>") == 1


def test_declined_reply_cites_nothing_and_calls_its_passages_closest() -> None:
    html = answer_html(_answer(_passage(), answered=False))
    assert "qa-declined" in html and "qa-cite" not in html
    assert "Closest passages" in html and "weak match" in html


def test_understood_as_shows_only_when_the_question_was_rewritten() -> None:
    plain = answer_html(
        _answer(_passage(), question="What did he say?", resolved_question="what did he say")
    )
    assert "Understood as" not in plain
    rewritten = answer_html(
        _answer(_passage(), question="What did he say?", resolved_question="What did <Ann> say?")
    )
    assert "Understood as: What did &lt;Ann&gt; say?" in rewritten


def test_highlight_is_one_sentence_even_when_the_span_covers_several() -> None:
    passage = _passage()
    whole = replace(_answer(passage), passages=(_ranked(passage, start=0, end=len(_TEXT)),))
    html = answer_html(whole)
    marked = re.findall(r'<mark class="qa-highlight">(.*?)</mark>', html)
    assert marked == ["He said, &quot;Tax &lt;b&gt;cuts&lt;/b&gt; now.&quot;"]


def test_short_answer_is_bold_inside_the_highlight() -> None:
    passage = _passage()
    start = _TEXT.index("cuts")
    html = answer_html(_answer(passage, short=Span(start, start + 4, "cuts")))
    assert '<strong class="qa-short">cuts</strong>' in html


def test_fragments_are_single_lines_so_markdown_leaves_them_alone() -> None:
    multiline = Passage(0, "a.txt", 1, 0, len(_TEXT) + 1, _TEXT + "\n", _SPEAKER, "direct")
    for html in (answer_html(_answer(multiline)), error_html("bad\nthing"), question_html("a\nb")):
        assert "\n" not in html


def test_error_and_empty_question_render_as_their_own_messages() -> None:
    assert "Could not ask that:</strong> the question is empty." in error_html(
        "the question is empty"
    )
    assert "(empty question)" in question_html("  ")


def test_article_marks_every_passage_with_its_speaker_and_lights_up_the_hits() -> None:
    passages = [_passage(0), _passage(1, speaker=None)]
    html = article_html(passages, _answer(passages[0]))
    assert html.count('<div class="qa-para"') == 1
    assert html.count('<div class="qa-para qa-hit" data-passage="0" data-rank="1">') == 1
    assert "narration" in html and "Ann &lt;Lee&gt;" in html
    assert "<script>" not in html


def test_article_lights_up_nothing_when_the_answer_is_declined() -> None:
    passages = [_passage(0), _passage(1)]
    html = article_html(passages, _answer(passages[0], answered=False))
    assert "qa-hit" not in html and "qa-highlight" not in html


def test_article_without_an_answer_has_no_hits(pipeline: Pipeline) -> None:
    html = article_html(pipeline.passages)
    assert "qa-hit" not in html
    assert html.count('class="qa-para"') == len(pipeline.passages)


def test_heading_shows_title_and_byline_escaped() -> None:
    article = read_upload(UI_DATA / "xss_page.html")
    html = heading_html([article])
    assert "Council &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; approves" in html
    assert "<img" not in html and "xss_page" not in html
    harbour = heading_html([read_upload(UI_DATA / "harbour_vote.html")])
    assert "By Dana Whitfield · 2024-03-14 · The Ellis Courier" in harbour


def test_heading_of_a_folder_counts_its_articles() -> None:
    articles = [article_from_text(f"Story number {i} opens here.\n", name=f"{i}.txt")
                for i in range(4)]
    html = heading_html(articles)
    assert ">4 articles</h1>" in html
    assert "Story number 0 opens here. · Story number 1" in html and "3.txt" not in html


def test_heading_without_a_title_uses_the_lead_words_never_the_file_name() -> None:
    article = article_from_text("word " * 60 + "\n", name="000_378344c681942944.txt")
    title = article_title(replace(article, meta=ArticleMeta(title=None)))
    assert title.startswith("word word") and title.endswith("\u2026") and len(title) <= 92
    assert "000_" not in heading_html([article])
