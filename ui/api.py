"""A plain JSON route for programs, served by the same server as the web UI.

Gradio's own API (``/answer``, ``/chat`` through ``gradio_client``) goes through its queue: a
join request, then a server-sent event stream per call. For a program that only wants an
answer, that protocol, not the model, sets the latency under load (figures in the README,
``benchmarks/ui_load.py``). This route is one HTTP request per answer::

    POST /api/answer   {"question": "Who is Luo Dajin?", "k": 3, "history": []}
    200  the same object as ``qa ask --json`` (plus ``resolved_question``)
    400  {"error": "the question is empty; type a question about the article"}

``k`` and ``history`` (this conversation's earlier questions, oldest first) are optional; with
a history the question is answered as ``/chat`` answers it. Each call is answered in a worker
thread, off the server's event loop: the pipeline is thread-safe for reads and each call builds
its own conversation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa.core.errors import QAError, QuestionError

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from qa.answering.pipeline import Pipeline

__all__ = ["ANSWER_PATH", "answer_json", "json_routes"]

ANSWER_PATH = "/api/answer"
_FIELDS = {"question", "k", "history"}


def answer_json(pipeline: Pipeline, body: object) -> dict[str, Any]:
    """The answer to the request ``body`` (a JSON object); QAError with a one-line message
    for a body a program got wrong."""
    from qa.dialogue import Conversation

    if not isinstance(body, dict):
        raise QuestionError(f"the request must be a JSON object, not {type(body).__name__}")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise QuestionError(f"unknown field(s) {', '.join(unknown)}; use question, k, history")
    k = body.get("k", pipeline.config.k)
    if isinstance(k, bool) or not isinstance(k, int):
        raise QuestionError(f"k must be a whole number, not {k!r}")
    conversation = Conversation.replay(pipeline, body.get("history") or [])
    return conversation.ask(body.get("question"), k=k).to_dict()  # type: ignore[arg-type]


def json_routes(pipeline: Pipeline) -> list[BaseRoute]:
    """The routes to give the server's FastAPI app (``launch(app_kwargs={"routes": ...})``)."""
    from json import JSONDecodeError

    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def body_of(request: Request) -> object:
        try:
            return await request.json()
        except (JSONDecodeError, UnicodeDecodeError) as exc:
            raise QuestionError("the request body is not JSON") from exc

    async def answer(request: Request) -> JSONResponse:
        from anyio import to_thread

        try:
            body = await body_of(request)
            # Off the event loop: answering is CPU work, and the UI shares this loop.
            result = await to_thread.run_sync(answer_json, pipeline, body)
        except QAError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(result)

    # A plain Starlette route: FastAPI would read its parameters from the annotations, which
    # are strings here (``from __future__ import annotations``) naming function-local imports.
    return [Route(ANSWER_PATH, answer, methods=["POST"])]
