"""Load test of the web UI's ``/answer`` and ``/chat`` APIs: concurrent gradio_client callers.

Starts ``qa serve`` on a free loopback port (or uses ``--url``), then runs ``--callers``
threads, each with its own client making ``--per-caller`` calls. ``/answer`` callers ask
questions drawn from the seed question set; ``/chat`` callers hold the seed conversations
(``seeds/conversations.jsonl``), sending each turn with the conversation's earlier questions
as its history, so the server replays them on every call. With ``--endpoint both`` (the
default) callers alternate between the two. A few bad inputs (empty, blank, over-long
question; for ``/chat`` also a history that is not a list) are mixed in and counted apart as
expected errors. Prints errors on valid calls (must be 0), timeouts, latency percentiles and
the server's resident memory before and after. Bounded: every call has a timeout and the
whole run a deadline.

    .venv/bin/python benchmarks/ui_load.py                 # 20 callers x 25 calls
    .venv/bin/python benchmarks/ui_load.py --endpoint chat --callers 8
    .venv/bin/python benchmarks/ui_load.py --url http://127.0.0.1:7860/ --pid 1234
    .venv/bin/python benchmarks/ui_load.py --json-route    # POST /api/answer, no gradio_client

With ``--json-route`` each caller holds one keep-alive HTTP connection and posts to the
server's plain JSON route (:mod:`ui.api`) instead: the same questions, histories and bad
inputs, so the two protocols are measured on the same work.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

import psutil

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "seeds" / "questions.jsonl"
CONVERSATIONS = ROOT / "seeds" / "conversations.jsonl"
BAD_INPUTS = ("", "   \n ", "x" * 1001)
#: A /chat history that is not a list of questions: the server must refuse it.
BAD_HISTORY = "not a list"
BAD_EVERY = 10  # one call in ten is a bad input
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Tally:
    """Outcomes of every call; appended to from many threads under ``lock``."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected_errors: int = 0
    unexpected_successes: int = 0
    timeouts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with status {process.returncode} before serving")
        try:
            with urlopen(url, timeout=2):
                return
        except (URLError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"server at {url} did not come up in time")


@contextmanager
def _server(article: str | None, startup_timeout: float) -> Iterator[tuple[str, int]]:
    port = _free_port()
    cmd = [sys.executable, "-m", "qa", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if article:
        cmd += ["--article", article]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, process, time.monotonic() + startup_timeout)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _questions(limit: int) -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:limit]


@dataclass(frozen=True)
class Call:
    """One API call: ``/answer`` when ``history`` is None, else ``/chat``."""

    question: str
    history: tuple[str, ...] | None = None
    bad_history: bool = False

    @property
    def bad(self) -> bool:
        return self.question in BAD_INPUTS or self.bad_history


def _chat_turns() -> list[tuple[str, tuple[str, ...]]]:
    """Every turn of the seed conversations with the questions before it, in order."""
    turns: list[tuple[str, tuple[str, ...]]] = []
    for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            questions = [turn["question"] for turn in json.loads(line)["turns"]]
            turns += [(q, tuple(questions[:i])) for i, q in enumerate(questions)]
    return turns


class _Refused(Exception):
    """The server refused the call (a user error), as gradio_client's AppError says."""


class _JsonClient:
    """POST /api/answer over one keep-alive connection (the route in ``ui.api``)."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        self._connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1",
                                                      parts.port or 80, timeout=timeout)

    def call(self, question: str, history: Any) -> Any:
        body: dict[str, Any] = {"question": question, "k": 3}
        if history is not None:
            body["history"] = history
        self._connection.request("POST", "/api/answer", json.dumps(body),
                                 {"Content-Type": "application/json"})
        response = self._connection.getresponse()
        payload = json.loads(response.read())
        if response.status == 400:
            raise _Refused(payload["error"])
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {payload}")
        return payload


def _caller(url: str, index: int, plan: Sequence[Call], tally: Tally, call_timeout: float,
            deadline: float, json_route: bool = False) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = None if json_route else Client(url, verbose=False)
    plain = _JsonClient(url, call_timeout) if json_route else None
    for call in plan:
        if time.monotonic() > deadline:
            return
        bad, question = call.bad, call.question
        history: Any = None if call.history is None else (
            BAD_HISTORY if call.bad_history else list(call.history))
        started = time.perf_counter()
        try:
            result: Any
            if plain is not None:
                result = plain.call(question, history)
            elif client is not None and history is None:
                result = client.submit(question, 3, api_name="/answer").result(
                    timeout=call_timeout)
            elif client is not None:
                result = client.submit(question, history, 3, api_name="/chat").result(
                    timeout=call_timeout)
        except TimeoutError:
            with tally.lock:
                tally.timeouts += 1
            continue
        except (AppError, _Refused) as exc:
            with tally.lock:
                if bad:
                    tally.expected_errors += 1
                else:
                    tally.errors.append(f"caller {index}: {question!r}: {exc}")
            continue
        except Exception as exc:  # a crash is an error on a valid question, never a pass
            with tally.lock:
                tally.errors.append(f"caller {index}: {question!r}: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        with tally.lock:
            if bad:
                tally.unexpected_successes += 1
            elif result.get("question") and result.get("passages"):
                tally.latencies.append(elapsed)
            else:
                tally.errors.append(f"caller {index}: {question!r}: malformed answer {result!r}")


def _plan(questions: Sequence[str], turns: Sequence[tuple[str, tuple[str, ...]]], chat: bool,
          caller: int, count: int) -> list[Call]:
    """``count`` calls for one caller: seed questions (``/answer``) or seed conversation turns
    with their history (``/chat``), one call in ``BAD_EVERY`` a bad input."""
    plan = []
    for i in range(count):
        n = caller * count + i
        if chat:
            question, history = turns[n % len(turns)]
            if n % BAD_EVERY == BAD_EVERY - 1:
                bad = n // BAD_EVERY % (len(BAD_INPUTS) + 1)
                plan.append(Call(question, history, bad_history=True) if bad == len(BAD_INPUTS)
                            else Call(BAD_INPUTS[bad], history))
            else:
                plan.append(Call(question, history))
        elif n % BAD_EVERY == BAD_EVERY - 1:
            plan.append(Call(BAD_INPUTS[n % len(BAD_INPUTS)]))
        else:
            plan.append(Call(questions[n % len(questions)]))
    return plan


def _is_chat(endpoint: str, caller: int) -> bool:
    return endpoint == "chat" or (endpoint == "both" and caller % 2 == 1)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def _rss_mib(pid: int | None) -> float | None:
    if pid is None:
        return None
    return psutil.Process(pid).memory_info().rss / 2**20


def run(url: str, pid: int | None, args: argparse.Namespace) -> dict[str, Any]:
    questions = _questions(args.questions)
    turns = _chat_turns()
    tally = Tally()
    rss_start = _rss_mib(pid)
    deadline = time.monotonic() + args.max_seconds
    started = time.perf_counter()
    with ThreadPoolExecutor(args.callers) as pool:
        futures = [
            pool.submit(_caller, url, c,
                        _plan(questions, turns, _is_chat(args.endpoint, c), c, args.per_caller),
                        tally, args.call_timeout, deadline, args.json_route)
            for c in range(args.callers)
        ]
        for future in futures:
            future.result()
    wall = time.perf_counter() - started
    lat = tally.latencies
    calls = len(lat) + len(tally.errors) + tally.expected_errors + tally.unexpected_successes
    return {
        "url": url,
        "endpoint": args.endpoint,
        "protocol": "json-route" if args.json_route else "gradio_client",
        "callers": args.callers,
        "per_caller": args.per_caller,
        "calls": calls + tally.timeouts,
        "valid_ok": len(lat),
        "valid_errors": len(tally.errors),
        "expected_errors": tally.expected_errors,
        "bad_inputs_accepted": tally.unexpected_successes,
        "timeouts": tally.timeouts,
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(lat) / wall, 2) if wall else None,
        "latency_s": {f"p{q}": round(_percentile(lat, q), 3) for q in (50, 95, 99)},
        "rss_mib": {
            "start": None if rss_start is None else round(rss_start, 1),
            "end": None if pid is None else round(_rss_mib(pid) or 0.0, 1),
        },
        "error_samples": tally.errors[:5],
    }


def _print(report: dict[str, Any]) -> None:
    lat, rss = report["latency_s"], report["rss_mib"]
    rows = [
        ("calls", report["calls"]),
        ("valid answered", report["valid_ok"]),
        ("errors on valid questions", report["valid_errors"]),
        ("expected errors (bad input)", report["expected_errors"]),
        ("bad inputs accepted", report["bad_inputs_accepted"]),
        ("timeouts", report["timeouts"]),
        ("wall time (s)", report["wall_s"]),
        ("throughput (answers/s)", report["throughput_per_s"]),
        ("latency p50 / p95 / p99 (s)", f"{lat['p50']} / {lat['p95']} / {lat['p99']}"),
        ("server RSS start -> end (MiB)", f"{rss['start']} -> {rss['end']}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for sample in report["error_samples"]:
        print(f"  error: {sample}")
    print(json.dumps(report, ensure_ascii=False))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an already running app (loopback only)")
    parser.add_argument("--pid", type=int, help="its server process, for RSS (with --url)")
    parser.add_argument("--article", help="article for the server this script starts")
    parser.add_argument("--endpoint", choices=["answer", "chat", "both"], default="both",
                        help="which API the callers use (both: every other caller uses /chat)")
    parser.add_argument("--json-route", action="store_true",
                        help="call POST /api/answer (plain JSON) instead of Gradio's API")
    parser.add_argument("--callers", type=int, default=20)
    parser.add_argument("--per-caller", type=int, default=25)
    parser.add_argument("--questions", type=int, default=40, help="seed questions to draw from")
    parser.add_argument("--call-timeout", type=float, default=120.0, help="seconds per call")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="deadline for the run")
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="repeat the load; memory is flat if RSS stops growing after round 1")
    args = parser.parse_args(argv)

    def rounds(url: str, pid: int | None) -> list[dict[str, Any]]:
        reports = []
        for number in range(1, args.rounds + 1):
            print(f"--- round {number} of {args.rounds}")
            reports.append(run(url, pid, args))
            _print(reports[-1])
        return reports

    if args.url:
        host = urlsplit(args.url).hostname or ""
        if host not in LOOPBACK:
            parser.error(f"--url must be a loopback address, not {host!r}")
        reports = rounds(args.url, args.pid)
    else:
        with _server(args.article, args.startup_timeout) as (url, pid):
            reports = rounds(url, pid)
    ends = [r["rss_mib"]["end"] for r in reports]
    print(f"server RSS after each round (MiB): {ends}")
    if len(ends) > 1 and all(e is not None for e in ends):
        # The first round warms caches and the allocator; what follows should stay flat.
        print(f"growth after the first round: {ends[-1] - ends[0]:+.1f} MiB "
              f"over {len(ends) - 1} more round{'s' * (len(ends) > 2)}")
    failed = any(r["valid_errors"] or r["bad_inputs_accepted"] for r in reports)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
