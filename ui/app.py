"""The Gradio web UI: a chat whose replies show who is speaking in each source passage.

:func:`build_app` wires a ready :class:`~qa.pipeline.Pipeline` into a ``gr.Blocks``; the
handlers only translate between the pipeline and the page (HTML comes from :mod:`ui.render`).
:func:`launch` serves it with safe defaults: loopback, no share link, no analytics, system
fonts, so the page makes no request beyond the server it came from.

Programs call the ``/answer`` endpoint, which returns the same JSON object as
``qa ask --json``::

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("Who is Luo Dajin?", 3, api_name="/answer")
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from qa.errors import QAError
from ui.render import (
    article_html,
    default_examples,
    error_html,
    question_html,
    reply_html,
    sources_html,
    sources_title,
)

if TYPE_CHECKING:
    import gradio as gr

    from qa.pipeline import Pipeline

__all__ = ["CONCURRENCY", "build_app", "launch"]

#: Requests answered at once. The retriever is read-only, so this is bounded by CPU, not safety.
CONCURRENCY = 4
#: Upper end of the passages slider (the API accepts any k the pipeline accepts).
_MAX_K_SLIDER = 10
_SYSTEM_SANS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial",
                "sans-serif")
_SYSTEM_MONO = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono",
                "monospace")

Message = dict[str, Any]


# Bring the top passage of the latest answer into view inside the panel (not the page).
_SCROLL_TO_HIT = """
watch('value', () => {
  const hit = element.querySelector('.qa-hit[data-rank="1"]');
  const panel = element.closest('#qa-article-panel') || element;
  if (hit) {
    panel.scrollTop += hit.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
  }
});
"""


def _css() -> str:
    return resources.files("ui").joinpath("style.css").read_text(encoding="utf-8")


def _theme() -> gr.themes.Base:
    import gradio as gr

    # Plain strings are system fonts; the default GoogleFont/LocalFont entries would be fetched.
    return gr.themes.Soft(primary_hue="amber", neutral_hue="slate", font=_SYSTEM_SANS,
                          font_mono=_SYSTEM_MONO)


def _chat_turn(pipeline: Pipeline, question: str, k: int) -> tuple[list[Message], str | None]:
    """The messages one question adds to the chat, and the article HTML (None on user error).

    The reply has no metadata so it stays visible; the sources follow in their own message
    whose metadata title makes the chatbot render it as a collapsed accordion.
    """
    try:
        answer = pipeline.answer(question, k=k)
    except QAError as exc:
        return [{"role": "assistant", "content": error_html(str(exc))}], None
    several = len(pipeline.corpus.articles) > 1
    messages: list[Message] = [
        {"role": "user", "content": question_html(answer.question)},
        {"role": "assistant", "content": reply_html(answer)},
    ]
    if answer.passages:
        messages.append(
            {
                "role": "assistant",
                "content": sources_html(answer, name_articles=several),
                "metadata": {"title": sources_title(answer), "status": "done"},
            }
        )
    return messages, article_html(pipeline.passages, answer)


def build_app(pipeline: Pipeline, *, examples: Sequence[str] | None = None) -> gr.Blocks:
    """The chat UI and the ``/answer`` API over ``pipeline`` (which must already be built)."""
    import gradio as gr

    default_k = pipeline.config.k
    names = ", ".join(a.name for a in pipeline.corpus.articles)
    example_questions = list(examples) if examples is not None else default_examples(
        pipeline.people
    )

    def respond(question: str, k: float, history: list[Message]) -> tuple[Any, ...]:
        messages, article = _chat_turn(pipeline, question, int(k))
        # Keep a rejected question in the box so it can be fixed; clear an asked one.
        box = question if article is None else ""
        return [*history, *messages], box, gr.skip() if article is None else article

    def answer(question: str, k: int = default_k) -> dict[str, Any]:
        """Answer a question about the article: the reply and the k best passages, each with
        its speaker, kind (direct/indirect/narration), paragraph, score and highlight."""
        try:
            return pipeline.answer(question, k=k).to_dict()
        except QAError as exc:
            # A user error, not a server fault: no traceback in the server log.
            raise gr.Error(str(exc), print_exception=False) from exc

    with gr.Blocks(title="Ask the article", analytics_enabled=False) as demo:
        gr.Markdown(
            "# Ask the article\n"
            f"Questions about **{names}** — every source shows who is speaking.",
            elem_id="qa-header",
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="qa-chat",
                    height=620,
                    latex_delimiters=[],  # "$5 million and $6 million" is not maths
                    feedback_options=None,
                    buttons=["copy_all"],
                    placeholder="Ask about the article: who said what, and where.",
                )
                with gr.Row(equal_height=True):
                    box = gr.Textbox(
                        show_label=False,
                        placeholder="Type a question and press Enter",
                        elem_id="qa-question",
                        scale=6,
                        autofocus=True,
                    )
                    ask = gr.Button("Ask", variant="primary", elem_id="qa-ask", scale=1,
                                    min_width=80)
                with gr.Row(equal_height=True):
                    k = gr.Slider(1, max(1, min(_MAX_K_SLIDER, len(pipeline.passages))),
                                  value=default_k, step=1, label="Passages to show",
                                  elem_id="qa-k", scale=3)
                    gr.ClearButton([chatbot, box], value="New conversation", scale=1)
                gr.Examples(example_questions, inputs=[box], label="Try one of these",
                            cache_examples=False)
            with gr.Column(scale=2, min_width=340):
                gr.Markdown("### The article, paragraph by paragraph")
                article = gr.HTML(article_html(pipeline.passages), elem_id="qa-article-panel",
                                  js_on_load=_SCROLL_TO_HIT)
        for trigger in (box.submit, ask.click):
            trigger(respond, [box, k, chatbot], [chatbot, box, article], api_visibility="private")
        gr.api(answer, api_name="answer")
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
        theme=_theme(),
        css=_css(),
    )
    return demo
