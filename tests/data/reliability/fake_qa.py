"""Run ``qa`` (``qa.cli.main``) in a process of its own, with the tests' fake encoder.

For reliability tests that need a real, separate process (one killed with SIGKILL, two racing
to build one cache) but not the real model. Usage: ``python fake_qa.py <qa arguments>``.

Environment knobs:
    FAKE_QA_ENCODING_MARKER   file created when passage encoding starts (the build lock is held)
    FAKE_QA_ENCODE_SECONDS    how long passage encoding takes (widens a race window)
    FAKE_QA_KILL_WRITING      cache file name (e.g. ``index.faiss``): SIGKILL this process while
                              that file is being written, after its bytes reach the temp file
                              and before it is renamed into place
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for conftest

from conftest import FakeEncoder

import embeddings.encoder
import embeddings.index
from qa.cli import main


class _SlowFakeEncoder(FakeEncoder):
    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        marker = os.environ.get("FAKE_QA_ENCODING_MARKER")
        if marker:
            Path(marker).touch()
        time.sleep(float(os.environ.get("FAKE_QA_ENCODE_SECONDS", "0")))
        return super().encode_passages(texts, progress=progress)


def _fake_encoder(
    model: str = "",
    *,
    batch_size: int = 64,
    expected_sha256: str | None = None,
    cache_dir: object = None,
) -> FakeEncoder:
    return _SlowFakeEncoder()


def _die_while_writing(victim: str) -> None:
    real_write = embeddings.index._atomic_write

    def write(folder: Path, name: str, data: bytes) -> None:
        if name == victim:
            # _atomic_write fsyncs the temp file once every byte is in it: die right there.
            os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
        real_write(folder, name, data)

    embeddings.index._atomic_write = write


if __name__ == "__main__":
    embeddings.encoder.Encoder = _fake_encoder  # type: ignore[assignment,misc]
    if os.environ.get("FAKE_QA_KILL_WRITING"):
        _die_while_writing(os.environ["FAKE_QA_KILL_WRITING"])
    sys.exit(main(sys.argv[1:]))
