"""The web UI in a real browser: Debian's headless Chromium driven by Playwright.

What a reader sees: the reply leads, cites its sources by number and names the speaker; the
article panel lights up the answering sentence; follow-ups say what they were understood as;
each tab has its own article (pasted or uploaded) and conversation; errors read clearly; a
page full of markup stays text; and a phone shows the reply and its first source on screen.
Assertions are on visibility, not mere presence in the DOM.

One server serves the whole module, its default article a small one written for these tests
(``tests/data/pipeline/reservoir.txt``: Irene Castell, director of the water board; Omar Haddad,
a union secretary and the only one to mention night shifts; Lena Brandt, a hydrologist); tests
that load other articles do so in their own browser context, which is what a separate visitor is.
"""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from qa.answering.pipeline import Pipeline
from qa.core.config import Config

pytestmark = [pytest.mark.model, pytest.mark.browser]

UI_DATA = Path(__file__).parent / "data" / "ui"
RESERVOIR = Path(__file__).parent / "data" / "pipeline" / "reservoir.txt"
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
SCREENSHOTS = Path("/tmp")
TIMEOUT_MS = 60_000
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
DEFAULT_TITLE_START = "Marlow Valley water board"
NIGHT_SHIFTS = "What did Omar Haddad say about night shifts?"
DIRECTOR = "Who is the director of the Marlow Valley Water Board?"
#: A question of 1,222 characters (one sentence, so not taken for a pasted article).
LONG_QUESTION = "What did Omar Haddad say about " + "the pumps and the night shifts and " * 34 + "?"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from ui.app import launch

    cache = tmp_path_factory.mktemp("browser-cache")
    pipeline = Pipeline.build(RESERVOIR, config=Config.from_env(cache_dir=cache))
    demo = launch(pipeline, port=_free_port(), prevent_thread_lock=True)
    try:
        yield str(demo.local_url)
    finally:
        demo.close()


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
    """One visitor: their own browser context (cookies, session) and page, plus every URL
    the page requested."""

    def __init__(self, browser: Any, viewport: dict[str, int] = DESKTOP) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str) -> Visit:
        # A Gradio page keeps a connection open, so "networkidle" never comes.
        self.page.goto(url, wait_until="load")
        self.page.locator("#qa-question textarea").wait_for(state="visible")
        self.page.locator("#qa-article-panel .qa-para").first.wait_for(state="attached")
        return self

    def close(self) -> None:
        self.context.close()

    @property
    def title(self) -> str:
        return str(self.page.locator("#qa-header .qa-title").inner_text())

    def ask(self, question: str) -> Any:
        """Submit ``question``; returns the locator of the reply it got, once visible."""
        before = self.page.locator(".qa-reply").count()
        self.page.locator("#qa-question textarea").fill(question)
        self.page.locator("#qa-ask").click()
        reply = self.page.locator(".qa-reply").nth(before)
        reply.wait_for(state="visible")
        return reply

    def last_turn(self) -> Any:
        return self.page.locator("#qa-chat .qa-turn").last

    def open_article_box(self) -> None:
        paste = self.page.locator("#qa-paste textarea")
        if not paste.is_visible():
            self.page.locator("#qa-source-box > button").first.click()
        paste.wait_for(state="visible")

    def load_article(self, action: Any, title_start: str) -> None:
        """Run ``action`` (a paste or an upload), then wait until the header shows the new
        article's title."""
        self.open_article_box()
        action()
        self.page.locator("#qa-status .qa-status-ok", has_text="Ready").wait_for(
            state="visible"
        )
        self.page.locator("#qa-header .qa-title", has_text=title_start).wait_for(
            state="visible"
        )

    def paste(self, text: str, title_start: str) -> None:
        def action() -> None:
            self.page.locator("#qa-paste textarea").fill(text)
            self.page.locator("#qa-use-paste").click()

        self.load_article(action, title_start)

    def upload(self, path: Path) -> None:
        self.open_article_box()
        with self.page.expect_file_chooser() as chooser:
            self.page.locator("#qa-upload").click()
        chooser.value.set_files(str(path))

    def settle(self) -> None:
        """Wait for running animations (an accordion sliding open, a card flashing) to end."""
        self.page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )

    def seen(self, locator: Any) -> bool:
        """True if ``locator``'s centre, once scrolled to, is not clipped or covered."""
        locator.scroll_into_view_if_needed()
        return self.on_screen(locator)

    def on_screen(self, locator: Any) -> bool:
        """True if ``locator``'s first line is inside the viewport now, uncovered."""
        return bool(
            locator.evaluate(
                """el => {
                  // The first line box: a wrapped <mark>'s overall box also covers gaps.
                  const r = el.getClientRects()[0];
                  if (!r || r.width === 0 || r.height === 0) return false;
                  const x = r.left + Math.min(r.width / 2, 40), y = r.top + r.height / 2;
                  if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) {
                    return false;
                  }
                  const top = document.elementFromPoint(x, y);
                  return top !== null && (el === top || el.contains(top));
                }"""
            )
        )

    def in_panel(self, locator: Any) -> bool:
        """True if ``locator``'s first line shows inside the article panel's scrolled box now."""
        return bool(
            locator.evaluate(
                """el => {
                  const r = el.getClientRects()[0];
                  const box = document.querySelector('#qa-article-panel').getBoundingClientRect();
                  return !!r && r.top >= box.top && r.bottom <= box.bottom;
                }"""
            )
        )

    def hosts(self) -> set[str]:
        return {
            urlsplit(request).hostname or ""
            for request in self.requests
            if urlsplit(request).scheme in ("http", "https", "ws", "wss")
        }


@pytest.fixture
def visit(browser: Any, url: str) -> Iterator[Visit]:
    v = Visit(browser).open(url)
    yield v
    v.close()


@pytest.fixture
def phone(browser: Any, url: str) -> Iterator[Visit]:
    v = Visit(browser, PHONE).open(url)
    yield v
    v.close()


# --- asking ---------------------------------------------------------------------------------


def test_reply_names_the_speaker_cites_sources_and_lights_up_the_sentence(visit: Visit) -> None:
    reply = visit.ask(NIGHT_SHIFTS)
    assert "Omar Haddad" in reply.inner_text()
    turn = visit.last_turn()

    first = turn.locator(".qa-source").first
    assert visit.seen(first.locator(".qa-badge"))
    assert first.locator(".qa-badge").inner_text() == "Omar Haddad"
    assert first.locator(".qa-kind").inner_text().lower() == "direct quote"
    paragraph = re.search(r"¶(\d+)", first.locator(".qa-meta").inner_text())
    assert paragraph is not None
    assert first.locator(".qa-match").inner_text() in ("strong match", "possible match")
    assert "score" not in turn.inner_text()
    highlight = first.locator("mark.qa-highlight")
    assert visit.seen(highlight)
    assert "night shifts" in highlight.inner_text()

    # The article panel lights up the same sentence in place, scrolled into view.
    top_hit = visit.page.locator('#qa-article-panel .qa-hit[data-rank="1"]')
    top_hit.wait_for(state="visible")
    assert paragraph.group(0) in top_hit.locator(".qa-pnum").inner_text()
    assert "night shifts" in top_hit.locator("mark.qa-highlight").inner_text()
    assert visit.seen(top_hit.locator("mark.qa-highlight"))
    visit.page.screenshot(path=str(SCREENSHOTS / "ui_answer_desktop.png"))


def test_citation_opens_its_folded_source_card(visit: Visit) -> None:
    visit.ask(NIGHT_SHIFTS)
    turn = visit.last_turn()
    second = turn.locator(".qa-source-2")
    assert second.get_attribute("open") is None
    assert not second.locator(".qa-text").is_visible()
    turn.locator(".qa-cite-2").click()
    visit.settle()
    assert second.get_attribute("open") is not None
    assert visit.on_screen(second.locator(".qa-text"))


def test_follow_up_says_what_it_was_understood_as(visit: Visit) -> None:
    visit.ask("Who is Omar Haddad?")
    assert visit.last_turn().locator(".qa-understood").count() == 0
    visit.ask("What did he say?")
    understood = visit.last_turn().locator(".qa-understood")
    assert visit.seen(understood)
    assert understood.inner_text() == "Understood as: What did Omar Haddad say?"
    assert visit.last_turn().locator(".qa-source-1 .qa-badge").inner_text() == "Omar Haddad"


def test_new_reply_scrolls_into_view_from_its_top(visit: Visit) -> None:
    for question in ("Who is Omar Haddad?", "What did he say?", NIGHT_SHIFTS):
        visit.ask(question)
    visit.settle()
    assert visit.on_screen(visit.last_turn().locator(".qa-reply"))
    visit.page.screenshot(path=str(SCREENSHOTS / "ui_desktop_after_turns.png"))


def test_declined_question_lights_up_nothing_in_the_article(visit: Visit) -> None:
    visit.ask(NIGHT_SHIFTS)
    visit.page.locator("#qa-article-panel .qa-hit").first.wait_for(state="visible")
    reply = visit.ask("What is the capital of Peru?")
    assert "qa-declined" in (reply.get_attribute("class") or "")
    visit.page.locator("#qa-article-panel .qa-hit").first.wait_for(state="detached")
    assert visit.page.locator("#qa-article-panel mark").count() == 0
    assert visit.last_turn().locator(".qa-cite").count() == 0


@pytest.mark.parametrize("control", ["new-conversation", "chat-trash-button"])
def test_new_conversation_clears_the_chat_and_the_highlights(visit: Visit, control: str) -> None:
    visit.ask("Who is Omar Haddad?")
    visit.page.locator("#qa-article-panel .qa-hit").first.wait_for(state="visible")
    if control == "new-conversation":
        visit.page.locator("#qa-new").click()
    else:
        visit.page.locator("#qa-chat").get_by_role("button", name="Clear").click()
    visit.page.locator("#qa-article-panel .qa-hit").first.wait_for(state="detached")
    assert visit.page.locator("#qa-chat .qa-reply").count() == 0
    # The conversation starts over: "he" no longer refers to Omar Haddad.
    visit.ask("What did he say?")
    understood = visit.last_turn().locator(".qa-understood")
    assert understood.count() == 0 or "Omar Haddad" not in understood.inner_text()


def test_an_empty_enter_does_nothing(visit: Visit) -> None:
    box = visit.page.locator("#qa-question textarea")
    for blank in ("", "   "):
        box.fill(blank)
        box.press("Enter")
    visit.page.locator("#qa-ask").click()
    visit.page.wait_for_timeout(1_000)  # a reply, had one been sent, is back by now
    assert visit.page.locator("#qa-chat .qa-question, #qa-chat .qa-reply").count() == 0
    assert visit.page.get_by_text("Error", exact=True).count() == 0


def test_rejected_questions_are_echoed_each_with_its_own_error(visit: Visit) -> None:
    first = visit.ask("https://example.com/news/harbour-tunnel.html")
    second = visit.ask(LONG_QUESTION)
    for reply in (first, second):
        assert "qa-error" in (reply.get_attribute("class") or "")
    assert "the limit is 1,000" in second.inner_text()
    errors = visit.page.locator("#qa-chat .qa-error")
    box = [errors.nth(i).bounding_box() for i in range(2)]
    assert box[0] is not None and box[1] is not None
    assert box[1]["y"] >= box[0]["y"] + box[0]["height"]  # two bubbles, not one


def test_a_pasted_link_says_how_to_load_an_article_instead(visit: Visit) -> None:
    link = "https://example.com/news/harbour-tunnel.html"
    reply = visit.ask(link)
    assert "qa-error" in (reply.get_attribute("class") or "")
    assert "web address" in reply.inner_text() and "Open a file" in reply.inner_text()
    # Words of this page, not of the command line.
    assert "--article" not in reply.inner_text() and "Open button" not in reply.inner_text()
    assert visit.page.locator("#qa-chat .qa-question").last.inner_text() == link


def test_question_box_counts_characters_and_says_so_when_a_question_is_too_long(
    visit: Visit,
) -> None:
    box = visit.page.locator("#qa-question textarea")
    counter = visit.page.locator("#qa-count .qa-count")
    box.fill("Who is Omar Haddad?")
    assert visit.seen(counter)
    # The counter follows the box from the page's input events: wait for it, never race it.
    expect(counter).to_have_text("19 / 1,000")
    box.fill(LONG_QUESTION)
    assert box.input_value() == LONG_QUESTION  # nothing cut silently
    expect(counter).to_contain_text("1,222 / 1,000")
    expect(counter).to_contain_text("too long")
    expect(counter).to_have_class(re.compile(r"\bqa-count-over\b"))
    height = box.bounding_box()["height"]
    assert height < 160, f"the question box grew to {height}px"
    assert visit.seen(visit.page.locator("#qa-ask"))
    reply = visit.ask(LONG_QUESTION)
    assert "the limit is 1,000" in reply.inner_text()
    assert box.input_value() == LONG_QUESTION  # kept, to be shortened
    box.fill("")
    expect(counter).to_have_text("0 / 1,000")


def test_clicking_an_example_asks_it(visit: Visit) -> None:
    examples = visit.page.locator("#qa-examples button.qa-example")
    assert examples.count() >= 3
    first = examples.first
    assert visit.on_screen(first)  # above the fold
    label = first.inner_text()
    assert not label.endswith("…") and label.endswith("?")
    first.click()
    reply = visit.page.locator(".qa-reply").first
    reply.wait_for(state="visible")
    assert visit.page.locator("#qa-chat .qa-question").first.inner_text() == label
    assert "qa-answered" in (reply.get_attribute("class") or "")


def test_copy_conversation_copies_readable_markdown(browser: Any, url: str) -> None:
    v = Visit(browser)
    v.context.grant_permissions(["clipboard-read", "clipboard-write"])
    v.open(url)
    try:
        v.ask("Who is Omar Haddad?")
        v.ask("What did he say?")
        v.page.get_by_role("button", name="Copy conversation").click()
        v.page.wait_for_timeout(300)
        copied = str(v.page.evaluate("navigator.clipboard.readText()"))
        assert "<" not in copied and "qa-" not in copied
        assert "**Q:** Who is Omar Haddad?" in copied
        assert "**Q:** What did he say?" in copied
        assert "_Understood as: What did Omar Haddad say?_" in copied
        assert re.search(r"^1\. \*\*Omar Haddad\*\*", copied, re.M), copied
        assert copied.index("Who is Omar Haddad?") < copied.index("What did he say?")
    finally:
        v.close()


def test_keyboard_focus_shows_a_clear_ring_on_the_question_box_and_citations(
    visit: Visit,
) -> None:
    def ring(locator: Any) -> bool:
        return bool(locator.evaluate(
            """el => {
              const s = getComputedStyle(el);
              return el.matches(':focus-visible') && s.outlineStyle !== 'none'
                && parseFloat(s.outlineWidth) >= 2;
            }"""
        ))

    visit.ask(NIGHT_SHIFTS)
    box = visit.page.locator("#qa-question textarea")
    box.focus()
    assert ring(box)
    cite = visit.last_turn().locator(".qa-cite-1")
    visit.page.keyboard.press("Shift")  # keyboard use: focus is shown from here on
    cite.focus()
    assert ring(cite)


# --- bringing your own article --------------------------------------------------------------


def test_pasted_article_replaces_the_default_for_this_visitor(visit: Visit) -> None:
    assert visit.title.startswith(DEFAULT_TITLE_START)
    text = (UI_DATA / "orchard_library.txt").read_text(encoding="utf-8")
    visit.paste(text, "Orchard Street library reopens")
    assert visit.page.locator("#qa-article-panel", has_text="Helen Okafor").is_visible()
    examples = visit.page.locator("#qa-examples button.qa-example")
    assert any("Okafor" in examples.nth(i).inner_text() or "Reyes" in examples.nth(i).inner_text()
               for i in range(examples.count()))
    reply = visit.ask("How much did the appeal raise?")
    assert "240,000" in visit.last_turn().inner_text(), reply.inner_text()

    visit.load_article(lambda: visit.page.locator("#qa-use-default").click(), DEFAULT_TITLE_START)
    assert visit.page.locator("#qa-chat .qa-reply").count() == 0  # a new article, a new chat
    assert "Irene Castell" in visit.ask(DIRECTOR).inner_text()


def test_uploaded_web_page_shows_its_title_and_byline_not_a_file_name(visit: Visit) -> None:
    visit.load_article(lambda: visit.upload(UI_DATA / "harbour_vote.html"),
                       "Port Ellis council backs harbour tunnel")
    byline = visit.page.locator("#qa-header .qa-byline").inner_text()
    assert "Dana Whitfield" in byline and "2024-03-14" in byline
    assert "harbour_vote" not in visit.page.locator("#qa-header").inner_text()
    panel = visit.page.locator("#qa-article-panel").inner_text()
    assert "newsletter" not in panel and "cookies" not in panel
    visit.ask("What did Tomas Berg warn about?")
    assert visit.last_turn().locator(".qa-source-1 .qa-badge").inner_text() == "Tomas Berg"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(4000), "binary file"),
        ("empty.txt", b"", "empty"),
        ("junk.html", b"junk " * 1_100_000, "junk.html: the file is 5.5 MB; the limit is 5 MB"),
    ],
    ids=["binary-renamed-html", "empty", "over-5-MB"],
)
def test_unusable_upload_is_refused_with_one_line_and_keeps_the_article(
    visit: Visit, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    visit.upload(path)
    error = visit.page.locator("#qa-status .qa-status-error")
    error.wait_for(state="visible")
    assert message in error.inner_text() and "\n" not in error.inner_text()
    assert visit.title.startswith(DEFAULT_TITLE_START)
    assert "Irene Castell" in visit.ask(DIRECTOR).inner_text()


def test_asking_pauses_while_a_new_article_is_indexed_and_the_chat_says_it_changed(
    visit: Visit,
) -> None:
    visit.ask(DIRECTOR)
    # Records whether the question box and Ask were ever off, saying why, during the switch.
    visit.page.evaluate(
        """() => {
          window.__paused = false;
          new MutationObserver(() => {
            const box = document.querySelector('#qa-question textarea');
            const ask = document.querySelector('#qa-ask');
            if (box && box.disabled && /indexing/i.test(box.placeholder) && ask.disabled) {
              window.__paused = true;
            }
          }).observe(document.body, {attributes: true, childList: true, subtree: true});
        }"""
    )
    visit.paste((UI_DATA / "orchard_library.txt").read_text(encoding="utf-8"),
                "Orchard Street library reopens")
    assert visit.page.evaluate("window.__paused") is True
    note = visit.page.locator("#qa-chat .qa-note")
    note.wait_for(state="visible")
    assert note.inner_text() == (
        "New article loaded: Orchard Street library reopens after flood repairs; "
        "the conversation starts afresh."
    )
    assert visit.page.locator("#qa-chat .qa-question, #qa-chat .qa-reply").count() == 0
    assert visit.page.locator("#qa-question textarea").is_enabled()
    assert "240,000" in visit.ask("How much did the appeal raise?").inner_text()


def test_article_panel_follows_the_cited_passage_and_starts_at_the_top_for_a_new_article(
    visit: Visit,
) -> None:
    # A short panel, so that any article is longer than it and scrolling shows.
    visit.page.add_style_tag(content="#qa-article-panel { max-height: 180px !important; }")
    panel = visit.page.locator("#qa-article-panel")
    visit.ask(NIGHT_SHIFTS)
    first = panel.locator('.qa-hit[data-rank="1"]')
    first.wait_for(state="visible")
    visit.page.wait_for_timeout(300)
    assert visit.in_panel(first.locator("mark.qa-highlight"))

    second = panel.locator('.qa-hit[data-rank="2"]')
    panel.evaluate("el => { el.scrollTop = 0; }")
    if visit.in_panel(second):
        panel.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    assert not visit.in_panel(second)
    visit.last_turn().locator(".qa-cite-2").click()
    visit.page.wait_for_timeout(300)
    assert visit.in_panel(second)

    visit.paste((UI_DATA / "orchard_library.txt").read_text(encoding="utf-8"),
                "Orchard Street library reopens")
    visit.page.wait_for_timeout(300)
    assert panel.evaluate("el => el.scrollTop") == 0
    # The article box closes once its article is loaded, giving the chat its room back.
    assert not visit.page.locator("#qa-paste textarea").is_visible()


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("hello", "too short to be an article"),
        ("https://example.com/news/harbour-tunnel.html",
         "that is a web address: save the page and open it"),
    ],
    ids=["one-word", "web-address"],
)
def test_paste_that_is_not_an_article_says_why_in_one_line_and_keeps_the_article(
    visit: Visit, pasted: str, message: str
) -> None:
    visit.open_article_box()
    visit.page.locator("#qa-paste textarea").fill(pasted)
    visit.page.locator("#qa-use-paste").click()
    error = visit.page.locator("#qa-status .qa-status-error")
    error.wait_for(state="visible")
    assert message in error.inner_text() and "\n" not in error.inner_text()
    visit.page.wait_for_timeout(500)  # an indexing step that was started would show by now
    assert "indexing" not in visit.page.locator("#qa-status").inner_text()
    assert visit.page.get_by_text("Error", exact=True).count() == 0  # no bare red pill
    assert visit.title.startswith(DEFAULT_TITLE_START)
    assert "Irene Castell" in visit.ask(DIRECTOR).inner_text()


def test_article_markup_shows_as_text_and_runs_nothing(visit: Visit) -> None:
    visit.load_article(lambda: visit.upload(UI_DATA / "xss_page.html"), "Council <img")
    panel = visit.page.locator("#qa-article-panel")
    assert visit.seen(panel.get_by_text("<script>window.__xss=1</script>", exact=False))
    assert visit.seen(panel.get_by_text("{{constructor.constructor", exact=False))
    assert "$5 million for *parks*" in panel.inner_text()

    visit.ask("What did Maria Lopez say about the vote?")
    assert '<img src=x onerror="window.__xss=1">' in visit.last_turn().inner_text()
    visit.page.wait_for_timeout(500)  # give an onerror handler time to fire
    assert visit.page.evaluate("typeof window.__xss") == "undefined"
    injected = "#qa-header img, #qa-article-panel script, #qa-article-panel img, #qa-chat img"
    assert visit.page.locator(injected).count() == 0


# --- two visitors ---------------------------------------------------------------------------


def test_two_visitors_keep_their_own_conversations(browser: Any, url: str) -> None:
    ann, bob = Visit(browser).open(url), Visit(browser).open(url)
    try:
        ann.ask("Who is Omar Haddad?")
        bob.ask("Who is Irene Castell?")
        ann.ask("What did he say?")
        bob.ask("What did she say?")
        assert ann.last_turn().locator(".qa-understood").inner_text() == (
            "Understood as: What did Omar Haddad say?"
        )
        assert bob.last_turn().locator(".qa-understood").inner_text() == (
            "Understood as: What did Irene Castell say?"
        )
        assert ann.page.locator("#qa-chat .qa-question").count() == 2
        assert "Irene Castell" not in ann.page.locator("#qa-chat .qa-question").all_inner_texts()[0]
    finally:
        ann.close()
        bob.close()


def test_two_visitors_keep_their_own_articles(browser: Any, url: str) -> None:
    ann, bob = Visit(browser).open(url), Visit(browser).open(url)
    try:
        bob.paste((UI_DATA / "orchard_library.txt").read_text(encoding="utf-8"),
                  "Orchard Street library reopens")
        ann.page.reload(wait_until="load")
        ann.page.locator("#qa-question textarea").wait_for(state="visible")
        assert ann.title.startswith(DEFAULT_TITLE_START)
        assert "Okafor" not in ann.page.locator("#qa-article-panel").inner_text()
        ann.ask("What did Helen Okafor say?")
        bob.ask("What did Helen Okafor say?")
        assert "Okafor" not in ann.last_turn().locator(".qa-source-1").inner_text()
        assert bob.last_turn().locator(".qa-source-1 .qa-badge").inner_text() == "Helen Okafor"
        assert bob.title.startswith("Orchard Street")
    finally:
        ann.close()
        bob.close()


# --- layout ---------------------------------------------------------------------------------


def test_phone_shows_the_reply_and_its_first_source_before_the_article(phone: Visit) -> None:
    examples = phone.page.locator("#qa-examples button.qa-example")
    assert phone.on_screen(examples.first)
    phone.page.screenshot(path=str(SCREENSHOTS / "ui_phone_start.png"))
    phone.ask(NIGHT_SHIFTS)
    phone.settle()
    turn = phone.last_turn()
    assert phone.on_screen(turn.locator(".qa-reply"))
    assert phone.on_screen(turn.locator(".qa-source-1 .qa-badge"))
    assert phone.on_screen(turn.locator(".qa-source-1 mark.qa-highlight"))
    # The article panel comes after the chat, folded.
    assert not phone.page.locator("#qa-article-panel").is_visible()
    phone.page.screenshot(path=str(SCREENSHOTS / "ui_phone_answer.png"))
    shutil.copyfile(SCREENSHOTS / "ui_phone_answer.png", SCREENSHOTS / "ui_screenshot.png")


def test_desktop_shows_the_conversation_controls_above_the_fold_and_no_arrow_over_text(
    visit: Visit,
) -> None:
    for question in ("Who is Omar Haddad?", "What did he say?", NIGHT_SHIFTS):
        visit.ask(question)
    visit.settle()
    visit.page.evaluate("window.scrollTo(0, 0)")
    assert visit.on_screen(visit.page.locator("#qa-new"))
    assert visit.on_screen(visit.page.locator("#qa-k input[type=range]"))
    # Scrolled up, the chat offers its jump-to-the-end arrow: beside the messages, not on them.
    visit.page.locator("#qa-chat .qa-turn").last.hover()
    visit.page.mouse.wheel(0, -400)
    arrow = visit.page.locator("#qa-chat .scroll-down-button-container button")
    arrow.wait_for(state="visible")
    box = arrow.bounding_box()
    assert box is not None
    for turn in visit.page.locator("#qa-chat .qa-turn").all():
        rect = turn.bounding_box()
        if rect is None:
            continue
        overlaps = (box["x"] < rect["x"] + rect["width"] and rect["x"] < box["x"] + box["width"]
                    and box["y"] < rect["y"] + rect["height"]
                    and rect["y"] < box["y"] + box["height"])
        assert not overlaps, f"the arrow {box} covers a reply {rect}"


def test_page_requests_nothing_beyond_loopback(visit: Visit) -> None:
    visit.ask("What did Omar Haddad say?")
    visit.page.wait_for_timeout(500)  # let late font or image requests show up
    assert visit.requests, "the request recorder saw nothing"
    assert visit.hosts() <= LOOPBACK, f"non-loopback requests: {visit.hosts() - LOOPBACK}"
