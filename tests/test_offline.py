"""The whole product works with no network, and nothing in it even tries to reach one.

A child process builds the index from scratch with the real model, answers a question and lists
quotes, with two layers cutting it off:

* ``unshare -n`` puts it in a fresh network namespace (only a loopback device, and that one is
  down), so a connection attempt cannot succeed whatever library makes it;
* ``tests/data/reliability/no_network.py`` patches every Python socket entry point (connect,
  connect_ex, sendto, create_connection, getaddrinfo) to record the attempt and refuse it, so an
  attempt cannot go unnoticed either: the test requires the record to be empty, loopback
  included (nothing in the product legitimately uses a socket outside ``qa serve``).

``HF_HUB_OFFLINE`` is removed from the child's environment on purpose: the product must be
offline by itself, not because the caller remembered a variable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_378344c681942944.txt"
GUARD = Path(__file__).resolve().parent / "data" / "reliability" / "no_network.py"
RESERVOIR = Path(__file__).resolve().parent / "data" / "pipeline" / "reservoir.txt"
#: Asked of the default (seed) article: the point is that the default works offline.
QUESTION = "What did the director say about research?"


def _network_namespace_prefix() -> list[str]:
    """``["unshare", "-n"]`` where this machine allows it (it does as root); else the socket
    guard alone stands between the child and the network."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=30)
    return [unshare, "-n"] if probe.returncode == 0 else []


@dataclass(frozen=True)
class OfflineRun:
    exit_codes: list[int]
    attempts: list[list[str]]
    outputs: list[dict[str, Any]]
    stderr: str
    cache: Path


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory: pytest.TempPathFactory) -> OfflineRun:
    work = tmp_path_factory.mktemp("offline")
    report = work / "report.json"
    commands = [
        ["ask", "--json", "--article", str(SEED), QUESTION],
        ["quotes", "--json", str(RESERVOIR)],
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "QA_"))}
    env["QA_CACHE_DIR"] = str(work / "cache")
    prefix = _network_namespace_prefix()
    result = subprocess.run(
        [*prefix, sys.executable, str(GUARD), str(report), json.dumps(commands)],
        capture_output=True, text=True, timeout=600, env=env, cwd=work,
    )
    assert result.returncode == 0, result.stderr
    recorded = json.loads(report.read_text(encoding="utf-8"))
    return OfflineRun(
        exit_codes=recorded["exit_codes"],
        attempts=recorded["attempts"],
        outputs=[json.loads(line) for line in result.stdout.splitlines()],
        stderr=result.stderr,
        cache=work / "cache",
    )


def test_a_fresh_index_is_built_and_the_question_answered_offline(
    offline_run: OfflineRun,
) -> None:
    assert offline_run.exit_codes == [0, 0]
    answer = offline_run.outputs[0]
    assert answer["question"] == QUESTION and answer["reply"]
    assert [p["rank"] for p in answer["passages"]] == [1, 2, 3]
    assert all(p["kind"] in {"direct", "indirect", "narration"} for p in answer["passages"])
    manifests = list((offline_run.cache / "indexes").rglob("manifest.json"))
    assert manifests, "no index was written to the fresh cache"
    assert all(
        json.loads(m.read_text(encoding="utf-8"))["model"] == "all-MiniLM-L6-v2" for m in manifests
    )


def test_quotes_work_offline(offline_run: OfflineRun) -> None:
    quotes = offline_run.outputs[1]
    assert len(quotes["passages"]) == 12
    speakers = {p["speaker"]["name"] for p in quotes["passages"] if p["speaker"]}
    assert speakers == {"Irene Castell", "Omar Haddad", "Lena Brandt"}


def test_nothing_tries_to_open_a_network_connection(offline_run: OfflineRun) -> None:
    assert offline_run.attempts == []
    assert "network disabled by the test" not in offline_run.stderr


def test_the_network_really_was_cut() -> None:
    prefix = _network_namespace_prefix()
    probe = (
        "import socket\n"
        "s = socket.socket()\n"
        "s.settimeout(5)\n"
        "try:\n"
        "    s.connect(('1.1.1.1', 443))\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
        "else:\n"
        "    print('connected')\n"
    )
    # Through the guard alone, and through the namespace alone when there is one.
    install_guard = f"import sys\nsys.path.insert(0, {str(GUARD.parent)!r})\nimport no_network\n"
    guarded = subprocess.run(
        [sys.executable, "-c", install_guard + probe], capture_output=True, text=True, timeout=60
    )
    assert guarded.stdout.startswith("refused"), guarded.stderr
    if prefix:
        isolated = subprocess.run(
            [*prefix, sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
        )
        assert isolated.stdout.startswith("refused"), isolated.stderr
