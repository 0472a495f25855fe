"""The web UI in a real browser: Debian's headless Chromium driven by Playwright.

What a journalist sees: the reply names the speaker, the sources expand to show badges and the
highlighted sentence, the article panel lights up the passages, errors read clearly, and an
article full of markup stays text. Assertions are on visibility, not mere presence in the DOM.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from qa.config import Config
from qa.pipeline import Pipeline

pytestmark = [pytest.mark.model, pytest.mark.browser]

UI_DATA = Path(__file__).parent / "data" / "ui"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCREENSHOT_FOR_LEAD = Path("/tmp/ui_screenshot.png")
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(article: Path | None, cache: Path) -> Iterator[str]:
    from ui.app import launch

    pipeline = Pipeline.build(article, config=Config.from_env(cache_dir=cache))
    demo = launch(pipeline, port=_free_port(), prevent_thread_lock=True)
    try:
        yield str(demo.local_url)
    finally:
        demo.close()


@pytest.fixture(scope="module")
def seed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(None, tmp_path_factory.mktemp("seed-cache"))


@pytest.fixture(scope="module")
def xss_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(UI_DATA / "xss.txt", tmp_path_factory.mktemp("xss-cache"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class Visit:
    """One browser page plus every URL it requested."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.set_default_timeout(TIMEOUT_MS)
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str) -> None:
        # A Gradio page keeps a connection open, so "networkidle" never comes.
        self.page.goto(url, wait_until="load")
        self.page.locator("#qa-question textarea").wait_for(state="visible")
        self.page.locator("#qa-article-panel .qa-para").first.wait_for(state="visible")

    def ask(self, question: str) -> Any:
        """Submit ``question``; returns the locator of its reply, once visible."""
        before = self.page.locator(".qa-reply").count()
        box = self.page.locator("#qa-question textarea")
        box.fill(question)
        self.page.locator("#qa-ask").click()
        reply = self.page.locator(".qa-reply").nth(before)
        reply.wait_for(state="visible")
        return reply

    def expand_sources(self) -> Any:
        self.page.get_by_text("Sources ·").last.click()
        self.page.locator(".qa-source").first.wait_for(state="visible")
        self.settle()
        return self.page.locator(".qa-sources").last

    def settle(self) -> None:
        """Wait for running animations (the accordion slides open) to end."""
        self.page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )

    def seen(self, locator: Any) -> bool:
        """True if ``locator``'s centre, once scrolled to, is not clipped or covered."""
        locator.scroll_into_view_if_needed()
        return bool(
            locator.evaluate(
                """el => {
                  // The first line box: a wrapped <mark>'s overall box also covers gaps.
                  const r = el.getClientRects()[0];
                  if (!r || r.width === 0 || r.height === 0) return false;
                  const top = document.elementFromPoint(r.left + r.width / 2,
                                                        r.top + r.height / 2);
                  return top !== null && (el === top || el.contains(top));
                }"""
            )
        )

    def hosts(self) -> set[str]:
        return {
            urlsplit(url).hostname or ""
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
        }


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    v.page.close()


def test_reply_names_the_speaker_and_sources_show_badges_and_highlight(
    visit: Visit, seed_url: str, tmp_path: Path
) -> None:
    visit.open(seed_url)
    reply = visit.ask("What are the three leading industries?")
    assert "Luo Dajin" in reply.inner_text()

    sources = visit.expand_sources()
    first = sources.locator(".qa-source").first
    badge = first.locator(".qa-badge")
    assert badge.is_visible() and badge.inner_text() == "Luo Dajin"
    assert first.locator(".qa-speaker-title").inner_text() == (
        "director of the Shanghai Science and Technology Commission"
    )
    assert first.locator(".qa-kind").inner_text().lower() == "direct quote"
    assert "¶20" in first.locator(".qa-meta").inner_text()
    highlight = first.locator("mark.qa-highlight")
    assert visit.seen(highlight)
    assert "three leading industries" in highlight.inner_text()
    assert sources.locator(".qa-source").count() == 3

    # The article panel lights up the same passage in place, scrolled into view.
    top_hit = visit.page.locator('#qa-article-panel .qa-hit[data-rank="1"]')
    top_hit.wait_for(state="visible")
    assert "¶20" in top_hit.locator(".qa-pnum").inner_text()
    assert top_hit.locator("mark.qa-highlight").is_visible()
    assert visit.page.locator("#qa-article-panel .qa-hit").count() == 3

    first.scroll_into_view_if_needed()
    visit.settle()
    shot = tmp_path / "luo_dajin_answer.png"
    visit.page.screenshot(path=str(shot))
    shutil.copyfile(shot, SCREENSHOT_FOR_LEAD)


def test_who_question_reply_names_the_director(visit: Visit, seed_url: str) -> None:
    visit.open(seed_url)
    reply = visit.ask("Who is the director of the Shanghai Science and Technology Commission?")
    assert "Luo Dajin" in reply.inner_text()


def test_article_panel_marks_every_paragraph_with_its_speaker(visit: Visit, seed_url: str) -> None:
    visit.open(seed_url)
    panel = visit.page.locator("#qa-article-panel")
    assert panel.is_visible()
    paragraphs = panel.locator(".qa-para")
    assert paragraphs.count() >= 20
    assert paragraphs.count() == panel.locator(".qa-para .qa-badge").count()
    first = paragraphs.first
    assert first.is_visible() and first.locator(".qa-badge").is_visible()


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "the question is empty"), ("x" * 1001, "1,001 characters long; the limit is 1,000")],
    ids=["empty", "too-long"],
)
def test_bad_question_gets_a_clear_message_in_the_chat(
    visit: Visit, seed_url: str, question: str, message: str
) -> None:
    visit.open(seed_url)
    reply = visit.ask(question)
    assert "qa-error" in (reply.get_attribute("class") or "")
    assert message in reply.inner_text()
    assert visit.page.locator(".qa-source").count() == 0


def test_unanswerable_question_says_so_and_still_offers_passages(
    visit: Visit, seed_url: str
) -> None:
    visit.open(seed_url)
    reply = visit.ask("What is the recipe for chocolate cake?")
    assert "does not seem to answer" in reply.inner_text()
    sources = visit.expand_sources()
    assert visit.seen(sources.locator(".qa-source .qa-badge").first)


def test_page_requests_nothing_beyond_loopback(visit: Visit, seed_url: str) -> None:
    visit.open(seed_url)
    visit.ask("What did Xu Feng say?")
    visit.expand_sources()
    visit.page.wait_for_timeout(500)  # let late font or image requests show up
    assert visit.requests, "the request recorder saw nothing"
    assert visit.hosts() <= LOOPBACK, f"non-loopback requests: {visit.hosts() - LOOPBACK}"


def test_article_markup_shows_as_text_and_runs_nothing(visit: Visit, xss_url: str) -> None:
    visit.open(xss_url)
    panel = visit.page.locator("#qa-article-panel")
    assert visit.seen(panel.get_by_text("<script>window.__xss=1</script>", exact=False))
    assert visit.seen(panel.get_by_text("{{constructor.constructor", exact=False))

    reply = visit.ask("What did Maria Lopez say about the vote?")
    assert '<img src=x onerror="window.__xss=1">' in reply.inner_text()
    sources = visit.expand_sources()
    assert "<img src=x" in sources.inner_text()
    # Markdown and maths syntax in the article stays literal too.
    assert "$5 million for *parks*" in panel.inner_text()

    visit.page.wait_for_timeout(500)  # give an onerror handler time to fire
    assert visit.page.evaluate("typeof window.__xss") == "undefined"
    injected = "#qa-article-panel script, #qa-article-panel img, #qa-chat .qa-source img"
    assert visit.page.locator(injected).count() == 0
