"""The ``qa`` command: ask | index | quotes | article | eval | serve.

User errors (a QAError) print one line on stderr and exit with status 2; a traceback means a
bug. ``quotes`` never loads torch, so it stays fast over many files.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from qa.core.config import Config, RetrieverName
from qa.core.errors import ArticleError, QAError, QuestionError
from qa.core.types import Answer

if TYPE_CHECKING:
    from qa.evaluation import Report

__all__ = ["main"]

_RETRIEVERS = click.Choice(["hybrid", "dense", "bm25"])
_ARTICLE_HELP = (
    "Article: a .txt, .html or .pdf file, or a folder of them (default: the seed article)."
)


def _config(ctx: click.Context, **overrides: Any) -> Config:
    base: dict[str, Any] = ctx.obj or {}
    return Config.from_env(**{**base, **overrides})


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


# C0/C1 control characters and bidi overrides/isolates. Article text and file names reach the
# terminal verbatim otherwise, and an ESC or OSC sequence inside an article could recolour,
# retitle or rewrite the user's terminal; a bidi override could reorder what they read.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str, *, one_line: bool = False) -> str:
    """``text`` safe to print: control characters shown as U+FFFD (newlines too if one_line)."""
    text = _UNPRINTABLE.sub("\ufffd", text)
    return " ".join(text.splitlines()) if one_line else text


def _error(message: object) -> None:
    click.echo(f"error: {_printable(str(message), one_line=True)}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", help="sentence-transformers model name or path (env QA_MODEL).")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where indexes are cached (env QA_CACHE_DIR).",
)
@click.option(
    "--model-sha256",
    help="sha256 the model's weights must have (env QA_MODEL_SHA256).",
)
@click.version_option(package_name="article-qa", prog_name="qa")
@click.pass_context
def cli(
    ctx: click.Context, model: str | None, cache_dir: Path | None, model_sha256: str | None
) -> None:
    """Ask questions about a news article; get passages with who is speaking in each."""
    ctx.obj = {
        "model": model,
        "cache_dir": cache_dir,
        "model_sha256": model_sha256.strip().lower() if model_sha256 else None,
    }


def _format_answer(result: Answer, *, name_articles: bool) -> str:
    lines = [result.reply, ""]
    short = " ".join(result.short.text.split()) if result.short else None
    if short and short not in result.reply:
        # The reply leads with the short answer unless its own wording comes first.
        lines.insert(0, f"Short answer: {short}")
    for passage in result.passages:
        who = passage.speaker.label() if passage.speaker else "narration"
        kind = {"direct": "direct quote", "indirect": "reported speech"}.get(passage.kind, "")
        where = f"paragraph {passage.paragraph}"
        if name_articles:
            where = f"{passage.article}, {where}"
        header = f"[{passage.rank}] {where} · score {passage.score:.3f} · {who}"
        lines.append(header + (f" · {kind}" if kind else ""))
        body = " ".join(passage.text.split())
        lines.append(textwrap.indent(textwrap.fill(body, width=96), "    "))
        lines.append("")
    return "\n".join(lines).rstrip()


@cli.command()
@click.argument("question")
@click.option("--article", type=click.Path(path_type=Path), help=_ARTICLE_HELP)
@click.option("-k", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many passages to return.")
@click.option("--retriever", type=_RETRIEVERS, help="Ranking to use (default hybrid).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def ask(
    ctx: click.Context,
    question: str,
    article: Path | None,
    k: int,
    retriever: str | None,
    as_json: bool,
) -> None:
    """Answer QUESTION with the best passages of the article and who speaks in each."""
    from qa.answering.pipeline import Pipeline, clean_question

    config = _config(ctx)
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:  # argv bytes Python could not decode (surrogateescape)
        raise QuestionError(
            f"the question is not valid UTF-8 (character {exc.start + 1}); "
            "check the terminal's encoding"
        ) from exc
    clean_question(question, config.max_question_chars)  # fail fast, before loading a model
    pipeline = Pipeline.build(article, config=config, progress=sys.stderr.isatty())
    result = pipeline.answer(question, k=k, retriever=retriever)  # type: ignore[arg-type]
    if as_json:
        click.echo(_dump(result.to_dict()))
    else:
        several = len(pipeline.corpus.articles) > 1
        click.echo(_printable(_format_answer(result, name_articles=several)))


@cli.command()
@click.option("--article", type=click.Path(path_type=Path), help=_ARTICLE_HELP)
@click.option("--index-type", type=click.Choice(["auto", "flat", "hnsw"]),
              help="FAISS index: exact flat, approximate HNSW, or auto by size.")
@click.pass_context
def index(ctx: click.Context, article: Path | None, index_type: str | None) -> None:
    """Build or refresh the cached index (only new or changed passages are encoded)."""
    from qa.answering.pipeline import Pipeline

    config = _config(ctx, index_type=index_type)
    pipeline = Pipeline.build(article, config=config, progress=True)
    articles = len(pipeline.corpus.articles)
    counts = f"{len(pipeline.passages)} passages from {articles} article{'s' * (articles != 1)}"
    if pipeline.index_status == "in-memory":
        raise click.ClickException(
            f"index not saved: {counts}; the cache {config.cache_dir} cannot be written "
            "(set QA_CACHE_DIR to a writable folder)"
        )
    click.echo(f"index {pipeline.index_status}: {counts} (cache: {config.cache_dir})")


def _quotes_record(path: Path) -> dict[str, Any]:
    from qa.ingest.load import load_articles
    from qa.passages.attribution import attribute
    from qa.passages.chunk import chunk_article

    if path.is_dir():
        raise ArticleError(f"{path} is a folder; name its files instead (e.g. {path}/*.txt)")
    (article,) = load_articles(path)
    attribution = attribute(article)
    passages = []
    for chunk in chunk_article(article):
        speaker, kind = attribution.span_speaker(chunk.start, chunk.end)
        passages.append(
            {
                "paragraph": chunk.paragraph,
                "start": chunk.start,
                "end": chunk.end,
                "speaker": speaker.to_dict() if speaker else None,
                "kind": kind,
            }
        )
    return {
        "article": str(path),
        "passages": passages,
        "quotes": [quote.to_dict() for quote in attribution.quotes],
    }


def _format_quotes(record: dict[str, Any]) -> str:
    lines = [record["article"]]
    for passage in record["passages"]:
        speaker = passage["speaker"]
        who = "-" if speaker is None else speaker["name"]
        title = f" ({speaker['title']})" if speaker and speaker["title"] else ""
        lines.append(f"  ¶{passage['paragraph']:<3} {passage['kind']:<9} {who}{title}")
    return "\n".join(lines)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line.")
def quotes(files: Sequence[Path], as_json: bool) -> None:
    """Show who speaks in each paragraph of FILES, and every quote with its speaker."""
    failures = 0
    for path in files:
        try:
            record = _quotes_record(path)
        except QAError as exc:
            failures += 1
            _error(exc)
            continue
        click.echo(_dump(record) if as_json else _printable(_format_quotes(record)))
    if failures:
        raise click.exceptions.Exit(2)


def _article_record(path: Path) -> dict[str, Any]:
    from qa.ingest import load_article

    if path.is_dir():
        raise ArticleError(f"{path} is a folder; name one of its files instead")
    article = load_article(path)
    return {
        **article.meta.to_dict(),
        "text": article.text,
        "paragraphs": [
            {"paragraph": number, "start": start, "end": end, "text": article.text[start:end]}
            for number, (start, end) in enumerate(article.paragraphs, start=1)
        ],
    }


def _format_article(record: dict[str, Any]) -> str:
    lines = [f"{record['source']} ({record['format']})"]
    for key in ("title", "author", "date", "site"):
        value = record[key]
        lines.append(f"  {key + ':':<8}{value if value is not None else '-'}")
    words = len(record["text"].split())
    lines.append(f"  {len(record['paragraphs'])} paragraphs, {words:,} words")
    for paragraph in record["paragraphs"]:
        body = textwrap.fill(" ".join(paragraph["text"].split()), width=92)
        number = f"¶{paragraph['paragraph']:<3}"
        lines.append("")
        lines.append(number + textwrap.indent(body, "    ")[len(number) :])
    return "\n".join(lines)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def article(path: Path, as_json: bool) -> None:
    """Show what is read from PATH (.txt, .html or .pdf): metadata and paragraphs."""
    record = _article_record(path)
    click.echo(_dump(record) if as_json else _printable(_format_article(record)))


@cli.command(name="eval")
@click.argument("questions", type=click.Path(path_type=Path))
@click.option("--article", type=click.Path(path_type=Path), help=_ARTICLE_HELP)
@click.option("-k", "k", type=click.IntRange(min=10), default=10, show_default=True,
              help="Passages retrieved per question (>= 10: the metrics go to @10).")
@click.option("--retriever", type=_RETRIEVERS, help="Ranking to evaluate (default hybrid).")
@click.option("--compare", is_flag=True,
              help="Evaluate hybrid, dense and bm25 side by side (conversation sets: also each "
              "turn asked alone, as 'no context').")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
@click.option("--details", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one JSON line per question with its ranked passages.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    questions: Path,
    article: Path | None,
    k: int,
    retriever: str | None,
    compare: bool,
    as_json: bool,
    details: Path | None,
) -> None:
    """Evaluate against a question set (JSON Lines or CSV; see README)."""
    from qa import evaluation
    from qa.answering.pipeline import Pipeline

    question_set = evaluation.load_questions(questions)
    pipeline = Pipeline.build(article, config=_config(ctx), progress=sys.stderr.isatty())
    modes: list[RetrieverName] = (
        ["hybrid", "dense", "bm25"] if compare else [cast(RetrieverName, retriever or "hybrid")]
    )
    # (column, retriever, turns asked in their conversation): conversation sets compare
    # against the same turns asked alone.
    runs: list[tuple[str, RetrieverName, bool]] = [(mode, mode, True) for mode in modes]
    if compare and any(q.conversation is not None for q in question_set):
        runs.insert(1, ("no context", "hybrid", False))
    reports: dict[str, Report] = {}
    for label, mode, in_context in runs:
        report, results = evaluation.evaluate(
            pipeline, question_set, k=k, retriever=mode, in_context=in_context
        )
        reports[label] = report
        if details is not None and label == runs[0][0]:
            evaluation.write_details(results, details)
    if as_json and compare:
        click.echo(_dump({mode: report.to_dict() for mode, report in reports.items()}))
    elif as_json:
        click.echo(_dump(reports[modes[0]].to_dict()))
    elif compare:
        click.echo(evaluation.format_comparison(reports))
    else:
        click.echo(evaluation.format_report(reports[modes[0]]))


@cli.command()
@click.option("--article", type=click.Path(path_type=Path), help=_ARTICLE_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind; loopback unless you mean to expose it.")
@click.option("--port", type=click.IntRange(1, 65535), default=7860, show_default=True)
@click.pass_context
def serve(ctx: click.Context, article: Path | None, host: str, port: int) -> None:
    """Serve the chat web UI (model and index load before the page is served)."""
    from qa.answering.pipeline import Pipeline
    from ui.app import launch

    pipeline = Pipeline.build(article, config=_config(ctx), progress=sys.stderr.isatty())
    launch(pipeline, host=host, port=port)


def _format_chat_answer(result: Answer) -> str:
    """A chat turn: the reply, how the question was understood, then one line per source."""
    lines = [result.reply]
    if result.resolved_question != result.question:
        lines.append(f"  Understood as: {result.resolved_question}")
    for passage in result.passages:
        who = passage.speaker.name if passage.speaker else "narration"
        sentence = " ".join(passage.highlight.text.split())
        if len(sentence) > 90:
            sentence = sentence[:89].rstrip() + "\u2026"
        lines.append(f"  [{passage.rank}] \u00b6{passage.paragraph} {who}: {sentence}")
    return "\n".join(lines)


def _chat_lines(interactive: bool, history_file: Path) -> Iterator[str]:
    """Questions typed at a prompt (with line editing and history), or read one per line."""
    if not interactive:
        yield from (line.rstrip("\n") for line in sys.stdin)
        return
    import readline  # line editing and history for input()

    with contextlib.suppress(OSError):  # first run, or an unreadable file: no history yet
        readline.read_history_file(history_file)
    try:
        while True:
            try:
                yield input("you> ")
            except EOFError:
                click.echo()
                return
            except KeyboardInterrupt:
                click.echo()
    finally:
        try:
            history_file.parent.mkdir(parents=True, exist_ok=True)
            readline.set_history_length(1_000)
            readline.write_history_file(history_file)
        except OSError:
            pass  # history is a convenience; never fail the chat over it


@cli.command()
@click.option("--article", type=click.Path(path_type=Path), help=_ARTICLE_HELP)
@click.option("-k", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many passages to return per question.")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per question (as qa ask --json), one per line.")
@click.pass_context
def chat(ctx: click.Context, article: Path | None, k: int, as_json: bool) -> None:
    """Chat about the article: follow-up questions ("What did he say?", "Why?", "What about
    Luo?") are understood in the context of the earlier ones. Type /new to start over and
    Ctrl-D to leave. Without a terminal, reads one question per line as one conversation."""
    from qa.answering.pipeline import Pipeline
    from qa.dialogue import Conversation

    config = _config(ctx)
    interactive = sys.stdin.isatty() and not as_json
    pipeline = Pipeline.build(article, config=config, progress=sys.stderr.isatty())
    conversation = Conversation(pipeline)
    if interactive:
        click.echo("Ask about the article. /new starts a new conversation; Ctrl-D quits.")
    failed = False
    for line in _chat_lines(interactive, config.cache_dir / "chat_history"):
        question = line.strip()
        if not question:
            continue
        if question.lower() in ("/new", "/reset"):
            conversation.reset()
            if interactive:
                click.echo("(new conversation)")
            continue
        try:
            result = conversation.ask(question, k)
        except QuestionError as exc:
            failed = True
            _error(exc)
            continue
        if as_json:
            click.echo(_dump(result.to_dict()))
        elif interactive:
            click.echo(_printable(_format_chat_answer(result)) + "\n")
        else:  # a transcript: each question above its answer
            click.echo(_printable(f"you> {question}\n{_format_chat_answer(result)}\n"))
    if failed and not interactive:
        raise click.exceptions.Exit(2)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status instead of exiting (testable)."""
    try:
        # Without standalone mode click *returns* the code of a ``click.exceptions.Exit``
        # (e.g. ``quotes`` with a bad file) instead of raising it; dropping it would exit 0.
        status = cli.main(args=list(argv) if argv is not None else None, prog_name="qa",
                          standalone_mode=False)
    except QAError as exc:
        _error(exc)
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    return status if isinstance(status, int) else 0
