"""Cold start benchmark: process start -> first answer, with the index cached; print a table.

Side by side, each in a fresh process, alternating, ``--repeats`` times (median reported):

* ``qa ask QUESTION`` with the seed article's index (and the model's ONNX export) already in a
  temporary cache, both made by a ``qa index`` run beforehand;
* ``benchmarks/naive_baseline.py QUESTION`` (imports sentence-transformers, encodes every
  passage, builds a FAISS flat index, searches);
* ``python -c pass`` and ``python -c "import qa"`` for scale.

Then one more fresh process breaks our path into steps (imports, corpus, index load, model
load, first and second answer) and reports whether torch / sentence-transformers were imported.

    .venv/bin/python benchmarks/perf_cold_start.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "What are the three leading industries?"

# Runs in the child: time each step of the cached path, in the order a first answer needs it.
_BREAKDOWN = r"""
import json, sys, time
t0 = time.perf_counter()
steps = []
def step(name):
    global t0
    now = time.perf_counter(); steps.append((name, now - t0)); t0 = now
import numpy; step("import numpy")
import qa.cli; step("import qa.cli (click, qa.core.config)")
import qa.answering.pipeline; step("import qa.answering.pipeline (attribution, ranking)")
import faiss; step("import faiss")
import bm25s; step("import bm25s (pulls numba, scipy.sparse if installed)")
from qa.core.config import Config
from qa.passages.corpus import build_corpus
from qa.answering.pipeline import Pipeline
config = Config.from_env()
build_corpus(config.article); step("build_corpus (load + attribute + chunk)")
from embeddings.encoder import Encoder
encoder = Encoder(config.model, batch_size=config.batch_size, cache_dir=config.cache_dir)
encoder.weights_sha256; step("read + sha256 model weights (pinned check)")
pipeline = Pipeline.build(config=config, encoder=encoder); step(
    "Pipeline.build rest (corpus again, 2 cached indexes, BM25)")
pipeline.answer(QUESTION); step("first answer (tokenizer, sha256 + ONNX session of export, encode)")
pipeline.answer(QUESTION); step("second answer (warm)")
print(json.dumps({"steps": steps, "status": pipeline.index_status, "engine": encoder.backend,
    "torch": "torch" in sys.modules,
    "sentence_transformers": "sentence_transformers" in sys.modules}))
"""


def _wall(command: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args(argv)
    python = sys.executable
    qa_bin = str(Path(python).with_name("qa"))

    with tempfile.TemporaryDirectory(prefix="qa-cold-") as cache:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "QA_CACHE_DIR": cache}
        subprocess.run([qa_bin, "index"], cwd=ROOT, env=env, check=True, capture_output=True)
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "python -c 'import qa'": [python, "-c", "import qa"],
            "qa ask (index cached)": [qa_bin, "ask", args.question],
            "naive_baseline.py": [python, "benchmarks/naive_baseline.py", args.question],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeats):
            for name, command in commands.items():
                times[name].append(_wall(command, env))
        code = _BREAKDOWN.replace("QUESTION", repr(args.question))
        child = subprocess.run(
            [python, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        breakdown = json.loads(child.stdout.strip().splitlines()[-1])

    ours = statistics.median(times["qa ask (index cached)"])
    naive = statistics.median(times["naive_baseline.py"])
    print(
        f"cold start: process start -> first answer ({os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.2f}, median of {args.repeats})"
    )
    width = max(map(len, commands))
    for name, values in times.items():
        spread = ", ".join(f"{v:.2f}" for v in values)
        print(f"  {name:<{width}}  {statistics.median(values):6.2f} s   ({spread})")
    print(f"  ratio qa ask / naive: {ours / naive:.2f} (target <= 0.60)")
    print(
        f"where our cold start goes (one run; index {breakdown['status']}; encoder engine: "
        f"{breakdown['engine']}; torch imported: "
        f"{breakdown['torch']}; sentence_transformers imported: "
        f"{breakdown['sentence_transformers']})"
    )
    width = max(len(name) for name, _ in breakdown["steps"])
    for name, seconds in breakdown["steps"]:
        print(f"  {name:<{width}}  {seconds * 1000:7.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
