"""The Gradio web UI: a chat about one article, with who is speaking in each source passage.

Each browser tab has its own :class:`~ui.sessions.Session` (its article and its conversation)
in a ``gr.State``; built articles are shared through an :class:`~ui.sessions.ArticleLibrary`,
an LRU keyed by content hash. Handlers only translate between the pipeline and the page (HTML
comes from :mod:`ui.render`). :func:`launch` serves it with safe defaults: loopback, no share
link, no analytics, system fonts, so the page makes no request beyond the server it came from.

Programs call two endpoints on the server's own article::

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    client.predict("Who is Luo Dajin?", 3, api_name="/answer")     # same object as qa ask --json
    client.predict("What did he say?", ["Who is Luo Dajin?"], 3, api_name="/chat")

``/chat`` replays ``history`` (this conversation's earlier questions) before answering, so any
server process can answer any turn; it adds ``resolved_question`` to the ``/answer`` object.
The same answers come from ``POST /api/answer`` as plain JSON, without Gradio's queue
protocol (:mod:`ui.api`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.core.errors import ArticleError, QAError
from ui.api import json_routes
from ui.examples import article_examples
from ui.render import (
    answer_html,
    article_html,
    article_title,
    count_html,
    error_html,
    heading_html,
    note_html,
    question_html,
    status_html,
)
from ui.scripts import (
    COPY_CONVERSATION,
    HEAD,
    SCROLL_TO_HIT,
    SCROLL_TO_REPLY,
    count_script,
    page_script,
)
from ui.sessions import ArticleLibrary, Loaded, Session

if TYPE_CHECKING:
    import gradio as gr

    from qa.answering.pipeline import Pipeline
    from qa.core.types import Article

__all__ = [
    "CONCURRENCY",
    "LIBRARY_CAPACITY",
    "MAX_ARTICLE_CHARS",
    "MAX_UPLOAD_BYTES",
    "MIN_ARTICLE_WORDS",
    "article_library",
    "build_app",
    "launch",
    "read_paste",
    "read_upload",
]

#: Questions answered at once (the queue's default limit, so /answer and /chat too). Answers
#: take 10-60 ms and the pipeline is thread-safe for reads, so this is bounded by CPU, not
#: safety: above the core count, so a burst of short answers runs rather than queueing behind
#: one long /chat replay, and well under Gradio's 40 worker threads, which indexing and reading
#: also use. 4 and 16 measured the same under 20 callers (benchmarks/ui_load.py): CPU and
#: Gradio's own protocol set the pace, which is why POST /api/answer exists (ui.api).
CONCURRENCY = 16
#: Articles indexed at once: encoding takes every core, so more would only slow each one down.
#: The library enforces it, not Gradio's queue, so that a refused file or an article already
#: built never waits behind another visitor's indexing.
_INDEXING = 1
#: Uploaded or pasted files read (and refused) at once; reading is quick.
_READING = 4
#: Built articles kept in memory besides the server's own (see :class:`ui.sessions.ArticleLibrary`).
LIBRARY_CAPACITY = 4
MAX_UPLOAD_BYTES = 5_000_000
#: Longest article text accepted (about 10,000 words): indexing time grows with it.
MAX_ARTICLE_CHARS = 60_000
#: Fewest words accepted as an article: a word or a line is a mistake, not something to search.
MIN_ARTICLE_WORDS = 20
#: How long an idle tab's session is kept (seconds); Gradio also drops it when the tab closes.
_SESSION_TTL = 6 * 3600
_EXAMPLE_SLOTS = 5
#: What "Back to the sample article" puts in the pending state: the server's own article.
_DEFAULT = "default"
_MAX_K_SLIDER = 10
_PLACEHOLDER = "Ask a question"
_OPEN_IT = "open it under \u201cUse another article\u201d with \u201cOpen a file\u201d"
_PASTE_IT = "paste it under \u201cUse another article\u201d"
#: A question that is really an article to load, in this page's words.
_MISPLACED = {
    "url": f"that is a web address, and this app does not go online; save the page and {_OPEN_IT}",
    "html": f"that is the source of a web page, not a question; {_PASTE_IT}",
    "article": f"that looks like a pasted article, not a question; {_PASTE_IT}",
}
_INDEXING_NOW = "the new article is still being indexed; ask again once it is ready"
_FILE_TYPES = [".txt", ".html", ".htm", ".pdf"]
_SYSTEM_SANS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial",
                "sans-serif")
_SYSTEM_MONO = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono",
                "monospace")

Message = dict[str, Any]
_LOG = logging.getLogger(__name__)


def _css() -> str:
    return resources.files("ui").joinpath("style.css").read_text(encoding="utf-8")


def _theme() -> gr.themes.Base:
    import gradio as gr

    # Plain strings are system fonts; the default GoogleFont/LocalFont entries would be fetched.
    return gr.themes.Soft(primary_hue="amber", neutral_hue="slate", font=_SYSTEM_SANS,
                          font_mono=_SYSTEM_MONO)


def _loaded(article: Article, pipeline: Pipeline) -> Loaded:
    return Loaded((article,), pipeline, article_examples(pipeline))


def article_library(default: Loaded) -> ArticleLibrary[Loaded]:
    """The library a server keeps visitors' articles in, ``default`` pinned; new articles are
    built with ``default``'s configuration and encoder."""
    from qa.answering.pipeline import Pipeline

    pipeline = default.pipeline
    # One encoder for every article: the model is the largest thing in memory.
    encoder = pipeline.encoder

    def build(article: Article) -> Loaded:
        return _loaded(article, Pipeline.build(article, config=pipeline.config, encoder=encoder))

    return ArticleLibrary(build, capacity=LIBRARY_CAPACITY, max_building=_INDEXING,
                          pinned=(default.key, default))


def _check_length(article: Article) -> Article:
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"the article is {len(article.text):,} characters long; the limit is "
            f"{MAX_ARTICLE_CHARS:,} (load one article, not a collection)"
        )
    words = len(article.text.split())
    if words < MIN_ARTICLE_WORDS:
        raise ArticleError(
            f"{article.name}: {words} word{'s' * (words != 1)} is too short to be an article; "
            "paste the whole article, or open it with \u201cOpen a file\u201d"
        )
    return article


def read_upload(path: str | Path) -> Article:
    """The article in an uploaded file; ArticleError with a one-line message if it is not one."""
    from qa.ingest import load_article

    file = Path(path)
    if file.suffix.lower() not in _FILE_TYPES:
        raise ArticleError(
            f"{file.name}: {file.suffix or 'files without an extension'} files are not "
            "supported; open a web page (.html, .htm), a PDF or a plain-text file (.txt)"
        )
    size = file.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise ArticleError(
            f"{file.name}: the file is {size / 1e6:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB (save just the article, or paste its text)"
        )
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{file.name}: cannot read the upload ({exc.strerror})") from exc
    # From bytes, so messages name the file the visitor chose, not the server's temporary copy.
    return _check_length(load_article(raw, name=file.name, max_bytes=MAX_UPLOAD_BYTES))


def read_paste(text: str) -> Article:
    """The article in pasted text (plain text or a web page's HTML source)."""
    from qa.ingest import article_from_paste, misplaced_source

    # The server has no network: an address names the article but cannot fetch it.
    if misplaced_source(text) == "url":
        raise ArticleError(
            "that is a web address: save the page and open it with \u201cOpen a file\u201d "
            "(this app does not go online)"
        )
    return _check_length(article_from_paste(text, max_chars=MAX_UPLOAD_BYTES))


def _turn(session: Session, question: str, k: int) -> tuple[list[Message], Any]:
    """The messages one question adds to the chat, and the article HTML (None on user error).

    A rejected question is echoed as the user's message with the error as its own reply, so
    two errors in a row stay two visible exchanges.
    """
    from qa.dialogue import Conversation
    from qa.ingest import misplaced_source

    loaded = session.loaded
    misplaced = misplaced_source(question)
    if misplaced is not None:
        # Before the pipeline, whose message names the command line's way to load an article.
        return [
            {"role": "user", "content": question_html(question)},
            {"role": "assistant", "content": error_html(_MISPLACED[misplaced])},
        ], None
    try:
        # A tab can fire two questions at once (an example clicked while one is pending); a
        # conversation takes one at a time.
        with session.lock:
            if session.conversation is None:
                session.conversation = Conversation(loaded.pipeline)
            answer = session.conversation.ask(question, k=k)
    except QAError as exc:
        return [
            {"role": "user", "content": question_html(question)},
            {"role": "assistant", "content": error_html(str(exc))},
        ], None
    several = len(loaded.pipeline.corpus.articles) > 1
    return [
        {"role": "user", "content": question_html(answer.question)},
        {"role": "assistant", "content": answer_html(answer, name_articles=several)},
    ], article_html(loaded.pipeline.passages, answer)


def _asking(*, paused: bool | None, examples: Sequence[str] | None = None) -> list[Any]:
    """Updates for the question box, Ask and the example buttons: paused while an article is
    indexed (a question then would be answered from the article being replaced), enabled
    again after, with ``examples`` as the new buttons; ``paused=None`` leaves them be."""
    import gradio as gr

    if paused is None:
        return [gr.skip() for _ in range(2 + _EXAMPLE_SLOTS)]
    placeholder = "Indexing the new article…" if paused else _PLACEHOLDER
    controls: list[Any] = [gr.Textbox(interactive=not paused, placeholder=placeholder),
                           gr.Button(interactive=not paused)]
    if examples is None:
        return [*controls, *(gr.Button(interactive=not paused) for _ in range(_EXAMPLE_SLOTS))]
    shown = list(examples)[:_EXAMPLE_SLOTS]
    return [*controls, *(
        gr.Button(value=shown[i], visible=True, interactive=True) if i < len(shown)
        else gr.Button(visible=False)
        for i in range(_EXAMPLE_SLOTS)
    )]


def _new_article_note(articles: Sequence[Article]) -> str:
    title = article_title(articles[0]) if len(articles) == 1 else f"{len(articles)} articles"
    return f"New article loaded: {title}; the conversation starts afresh."


def _ready_message(articles: Sequence[Article]) -> str:
    words = sum(len(article.text.split()) for article in articles)
    return f"Ready: {words:,} words. Ask away, or pick an example."


def build_app(
    pipeline: Pipeline,
    *,
    examples: Sequence[str] | None = None,
    library: ArticleLibrary[Loaded] | None = None,
) -> gr.Blocks:
    """The chat UI and the ``/answer`` and ``/chat`` APIs over ``pipeline`` (already built),
    the article every new tab starts with; visitors may load their own."""
    import gradio as gr

    from qa.dialogue import Conversation, validate_history

    default = Loaded(
        pipeline.corpus.articles,
        pipeline,
        tuple(examples) if examples is not None else article_examples(pipeline),
    )
    library = library or article_library(default)
    default_k = pipeline.config.k

    def current(session: Session | None) -> Session:
        return session if session is not None else Session(default)

    def respond(question: str, k: float, chat: list[Message], session: Session | None,
                pending: Article | str | None = None) -> tuple[Any, ...]:
        if not question.strip():
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()  # an empty Enter asks nothing
        session = current(session)
        if pending is not None:
            # Asked in the moment before the page paused asking: the answer would come from
            # the article being replaced, so say why instead.
            messages: list[Message] = [
                {"role": "user", "content": question_html(question)},
                {"role": "assistant", "content": error_html(_INDEXING_NOW)},
            ]
            return [*chat, *messages], question, gr.skip(), session
        messages, panel = _turn(session, question, int(k))
        # Keep a rejected question in the box so it can be fixed; clear an asked one.
        box = question if panel is None else ""
        return [*chat, *messages], box, gr.skip() if panel is None else panel, session

    def ask_example(question: str, k: float, chat: list[Message], session: Session | None,
                    pending: Article | str | None) -> tuple[Any, ...]:
        chat_, _, panel_, session_ = respond(question, k, chat, session, pending)
        return chat_, panel_, session_

    def new_conversation(session: Session | None) -> tuple[Any, ...]:
        """The one reset, behind "New conversation" and the chat's own trash button alike."""
        session = current(session)
        with session.lock:
            if session.conversation is not None:
                session.conversation.reset()
        return [], article_html(session.loaded.pipeline.passages), "", session

    def read(reader: Callable[[Any], Article], source: Any) -> tuple[Any, ...]:
        if source is None or source == "":
            return gr.skip(), None, *_asking(paused=None)
        try:
            article = reader(source)
        except QAError as exc:
            return status_html(str(exc), error=True), None, *_asking(paused=None)
        return (status_html("Reading done; indexing the article…"), article,
                *_asking(paused=True))

    def use_paste(text: str) -> tuple[Any, ...]:
        return read(read_paste, text)

    def use_upload(path: str | None) -> tuple[Any, ...]:
        return read(read_upload, path)

    def use_default() -> tuple[Any, ...]:
        return status_html("Indexing the sample article…"), _DEFAULT, *_asking(paused=True)

    def switch(article: Article | str | None, session: Session | None,
               progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        if article is None:
            return tuple(gr.skip() for _ in range(7 + 2 + _EXAMPLE_SLOTS))
        progress(0.1, desc="Indexing the article")
        try:
            loaded = default if isinstance(article, str) else library.get(article)
        except Exception as exc:  # whatever fails, the page must not be left "indexing"
            if isinstance(exc, QAError):
                message = str(exc)
            else:
                # Not the visitor's fault: the trace goes to the log, a sentence to the page.
                name = "the sample article" if isinstance(article, str) else article.name
                _LOG.exception("indexing %s failed", name)
                message = f"{name}: this text could not be indexed; try another article"
            return (gr.skip(), gr.skip(), gr.skip(), status_html(message, error=True),
                    gr.skip(), None, gr.skip(), *_asking(paused=False))
        progress(1.0, desc="Ready")
        return (
            heading_html(loaded.articles),
            article_html(loaded.pipeline.passages),
            [{"role": "assistant", "content": note_html(_new_article_note(loaded.articles))}],
            status_html(_ready_message(loaded.articles)),
            Session(loaded),
            None,
            gr.Accordion(open=False),  # the chat gets its room back
            *_asking(paused=False, examples=loaded.examples),
        )

    def answer(question: str, k: int = default_k) -> dict[str, Any]:
        """Answer a question about the article: the reply and the k best passages, each with
        its speaker, kind (direct/indirect/narration), paragraph, score and highlight."""
        try:
            return pipeline.answer(question, k=k).to_dict()
        except QAError as exc:
            # A user error, not a server fault: no traceback in the server log.
            raise gr.Error(str(exc), print_exception=False) from exc

    def chat(question: str, history: list[str], k: int = default_k) -> dict[str, Any]:
        """Answer a question in the context of this conversation's earlier questions
        (``history``, oldest first, at most 20): the /answer object plus the
        ``resolved_question`` the search used, e.g. "What did Xu Feng say?" for "What did
        he say?" after "Who is Xu Feng?"."""
        try:
            earlier = validate_history(history, pipeline.config.max_question_chars)
            conversation = Conversation.replay(pipeline, earlier)
            return conversation.ask(question, k=k).to_dict()
        except QAError as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    with gr.Blocks(title="Ask the article", analytics_enabled=False) as demo:
        session = gr.State(None, time_to_live=_SESSION_TTL)
        pending = gr.State(None)  # an article read but not yet indexed
        header = gr.HTML(heading_html(default.articles), elem_id="qa-header")
        with gr.Accordion("Use another article: paste its text or open a file", open=False,
                          elem_id="qa-source-box") as source_box:
            paste = gr.Textbox(
                label="Paste the article (plain text, or a saved web page's HTML source)",
                lines=5,
                max_lines=8,
                max_length=MAX_UPLOAD_BYTES,
                elem_id="qa-paste",
            )
            with gr.Row():
                paste_button = gr.Button("Use the pasted text", variant="primary",
                                         elem_id="qa-use-paste", size="sm")
                upload = gr.UploadButton(
                    "Open a file (.txt, .html, .pdf — up to 5 MB)",
                    file_types=_FILE_TYPES,
                    type="filepath",
                    elem_id="qa-upload",
                    size="sm",
                )
                default_button = gr.Button("Back to the sample article", elem_id="qa-use-default",
                                           size="sm")
        status = gr.HTML("", elem_id="qa-status")
        with gr.Row(elem_id="qa-examples"):
            example_buttons = [
                gr.Button(
                    default.examples[i] if i < len(default.examples) else "",
                    visible=i < len(default.examples),
                    size="sm",
                    elem_classes=["qa-example"],
                    min_width=0,
                )
                for i in range(_EXAMPLE_SLOTS)
            ]
        with gr.Row(equal_height=False, elem_id="qa-main"):
            with gr.Column(scale=3, min_width=360, elem_id="qa-chat-column"):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    show_label=False,
                    elem_id="qa-chat",
                    height=560,
                    latex_delimiters=[],  # "$5 million and $6 million" is not maths
                    feedback_options=None,
                    # The chatbot's own "copy all" copies our HTML; COPY_CONVERSATION
                    # copies readable Markdown instead.
                    buttons=[],
                    group_consecutive_messages=False,
                    autoscroll=False,  # SCROLL_TO_REPLY shows a reply from its top
                    placeholder="Ask about the article: who said what, and where. "
                                "Follow-up questions (“What else did he say?”) work too.",
                )
                with gr.Row(equal_height=True, elem_id="qa-ask-row"):
                    box = gr.Textbox(
                        show_label=False,
                        placeholder=_PLACEHOLDER,
                        elem_id="qa-question",
                        scale=6,
                        lines=1,
                        max_lines=3,
                        # No max_length: the box would cut a long paste silently; the counter
                        # below says it is too long and the answer says by how much.
                    )
                    ask = gr.Button("Ask", variant="primary", elem_id="qa-ask", scale=1,
                                    min_width=80)
                gr.HTML(count_html(0, pipeline.config.max_question_chars), elem_id="qa-count")
                with gr.Row(equal_height=True):
                    k = gr.Slider(1, _MAX_K_SLIDER, value=default_k, step=1,
                                  label="Passages to show", elem_id="qa-k", scale=3)
                    new = gr.Button("New conversation", elem_id="qa-new", scale=1)
                    copy = gr.Button("Copy conversation", elem_id="qa-copy", scale=1)
            with gr.Column(scale=2, min_width=320, elem_id="qa-article-column"):  # noqa: SIM117
                with gr.Accordion("The article, paragraph by paragraph", open=True,
                                  elem_id="qa-article-box"):
                    panel = gr.HTML(article_html(pipeline.passages), elem_id="qa-article-panel",
                                    js_on_load=SCROLL_TO_HIT)

        chat_outputs = [chatbot, box, panel, session]
        for trigger in (box.submit, ask.click):
            trigger(respond, [box, k, chatbot, session, pending], chat_outputs,
                    api_visibility="private").then(None, js=SCROLL_TO_REPLY)
        for button in example_buttons:
            button.click(ask_example, [button, k, chatbot, session, pending],
                         [chatbot, panel, session],
                         api_visibility="private").then(None, js=SCROLL_TO_REPLY)
        for reset in (new.click, chatbot.clear):
            reset(new_conversation, [session], [chatbot, panel, box, session],
                  api_visibility="private")
        copy.click(None, js=COPY_CONVERSATION)
        # Client-side only: the count follows every keystroke without a server round trip.
        box.change(None, [box], None, js=count_script(pipeline.config.max_question_chars))

        asking = [box, ask, *example_buttons]
        read_outputs = [status, pending, *asking]
        switch_outputs = [header, panel, chatbot, status, session, pending, source_box, *asking]
        read_options: dict[str, Any] = {
            "api_visibility": "private", "concurrency_id": "read", "concurrency_limit": _READING,
        }
        switch_options: dict[str, Any] = {
            "api_visibility": "private", "concurrency_id": "index",
            "concurrency_limit": None, "show_progress_on": [panel],
        }
        paste_button.click(use_paste, [paste], read_outputs, **read_options).then(
            switch, [pending, session], switch_outputs, **switch_options)
        upload.upload(use_upload, [upload], read_outputs, **read_options).then(
            switch, [pending, session], switch_outputs, **switch_options)
        default_button.click(use_default, None, read_outputs, **read_options).then(
            switch, [pending, session], switch_outputs, **switch_options)

        gr.api(answer, api_name="answer")
        gr.api(chat, api_name="chat")
        demo.load(None, js=page_script(MAX_UPLOAD_BYTES))
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo


def launch(
    pipeline: Pipeline,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    prevent_thread_lock: bool = False,
    examples: Sequence[str] | None = None,
) -> gr.Blocks:
    """Warm the pipeline, then serve the UI on ``host:port``; returns the running app.

    With ``prevent_thread_lock`` the call returns once the server is up (``app.local_url``,
    ``app.close()``); otherwise it blocks until the server stops.
    """
    # One answer before serving loads the model's lazy parts so the first visitor does not wait.
    pipeline.answer("What is the article about?", k=1)
    demo = build_app(pipeline, examples=examples)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        prevent_thread_lock=prevent_thread_lock,
        inbrowser=False,
        ssr_mode=False,  # no Node.js server next to ours
        mcp_server=False,
        enable_monitoring=False,
        pwa=False,
        # The page refuses larger files before sending them (_PAGE_JS) and read_upload
        # explains the limit; this ceiling stops any other client from filling the disk.
        max_file_size=2 * MAX_UPLOAD_BYTES,
        theme=_theme(),
        css=_css(),
        head=HEAD,
        # POST /api/answer: one plain HTTP request per answer, for programs (see ui.api).
        app_kwargs={"routes": json_routes(pipeline)},
    )
    return demo
