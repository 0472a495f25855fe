"""Encoder benchmark: ONNX Runtime against sentence-transformers (torch); print a table.

Each engine runs in a fresh process of its own (so one engine's imports and thread pools do not
slow the other), on the same texts: ``--passages`` paragraphs of the synthetic collection
(benchmarks/synthetic.py) encoded as one bulk ``encode_passages`` call, as ``qa index`` does,
and every question of ``seeds/questions.jsonl`` encoded one at a time ``--repeats`` times, as
``qa ask`` and the UI do. Reported per engine: load time (construction + first question),
passages/s, question p50/p95, peak RSS, and whether torch was imported. The ONNX export is made
beforehand in the cache (its one-time cost is reported on its own row, measured in a
scratch cache). ``--numpy-rev REV`` also runs the hand-written NumPy encoder this project used
before ONNX, read from git at REV (e.g. a19f313), for the question-latency comparison.

    .venv/bin/python benchmarks/perf_encoder.py --passages 1000 --repeats 5 --numpy-rev a19f313
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: argv = [engine, cache_dir, texts.json, questions.json, repeats, module].
_CHILD = r"""
import importlib.util, json, resource, sys, time
import numpy as np
engine, cache, texts_path, questions_path, repeats, module_path = sys.argv[1:7]
texts = json.load(open(texts_path)); questions = json.load(open(questions_path))
start = time.perf_counter()
if engine == "numpy":
    spec = importlib.util.spec_from_file_location("old_encoder", module_path)
    old = importlib.util.module_from_spec(spec); sys.modules["old_encoder"] = old
    spec.loader.exec_module(old)
    encoder = old.Encoder(backend="numpy")
else:
    from embeddings.encoder import Encoder
    encoder = Encoder(backend=engine, cache_dir=cache)
encoder.encode_query(questions[0])
load = time.perf_counter() - start
encoder.encode_passages(texts[:64])  # warm-up: sessions, arenas, thread pools
start = time.perf_counter()
vectors = encoder.encode_passages(texts)
bulk = time.perf_counter() - start
times = []
for question in questions:
    encoder.encode_query(question)
for _ in range(int(repeats)):
    for question in questions:
        t = time.perf_counter(); encoder.encode_query(question)
        times.append(time.perf_counter() - t)
ms = np.asarray(times) * 1000
print(json.dumps({"load_s": load, "passages_per_s": len(texts) / bulk, "bulk_s": bulk,
    "p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "torch": "torch" in sys.modules, "shape": list(vectors.shape)}))
"""

_EXPORT = r"""
import sys, time
from embeddings.encoder import Encoder
start = time.perf_counter()
Encoder(cache_dir=sys.argv[1]).encode_query("warm the export")
print(time.perf_counter() - start)
"""


def _texts(count: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import article_text

    texts: list[str] = []
    article = 0
    while len(texts) < count:
        texts += [p.strip() for p in article_text(article).split("\n\n") if p.strip()]
        article += 1
    return texts[:count]


def _questions() -> list[str]:
    lines = (ROOT / "seeds" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _python(code: str, *args: str) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--numpy-rev", help="git revision holding the old NumPy encoder")
    parser.add_argument("--no-torch", action="store_true", help="skip sentence-transformers")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="qa-encoder-") as tmp:
        scratch = Path(tmp)
        texts, questions = scratch / "texts.json", scratch / "questions.json"
        texts.write_text(json.dumps(_texts(args.passages)), encoding="utf-8")
        questions.write_text(json.dumps(_questions()), encoding="utf-8")
        cache = scratch / "cache"
        export_s = float(_python(_EXPORT, str(cache)))  # also leaves the export for the runs
        old_module = ""
        engines = ["onnx"] + ([] if args.no_torch else ["sentence-transformers"])
        if args.numpy_rev:
            source = subprocess.run(
                ["git", "show", f"{args.numpy_rev}:embeddings/encoder.py"],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            old_module = str(scratch / "old_encoder.py")
            Path(old_module).write_text(source, encoding="utf-8")
            engines.append("numpy")
        results = {
            engine: json.loads(
                _python(
                    _CHILD,
                    engine,
                    str(cache),
                    str(texts),
                    str(questions),
                    str(args.repeats),
                    old_module,
                )
            )
            for engine in engines
        }

    print(
        f"encoder engines ({args.passages} passages in one call, {len(_questions())} questions "
        f"x {args.repeats}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})"
    )
    print(f"  one-time ONNX export (fresh cache, incl. imports): {export_s:.1f} s")
    header = ("engine", "load s", "passages/s", "q p50 ms", "q p95 ms", "peak RSS MB", "torch")
    print("  " + "  ".join(f"{h:>12}" for h in header))
    for engine, r in results.items():
        row = (
            engine,
            f"{r['load_s']:.2f}",
            f"{r['passages_per_s']:.1f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['rss_mb']:.0f}",
            str(r["torch"]),
        )
        print("  " + "  ".join(f"{c:>12}" for c in row))
    if "sentence-transformers" in results:
        ratio = (
            results["onnx"]["passages_per_s"] / results["sentence-transformers"]["passages_per_s"]
        )
        print(f"  passages/s onnx / torch: {ratio:.2f} (target >= 2)")
    if "numpy" in results:
        print(
            f"  question p50 onnx / old numpy: {results['onnx']['p50_ms']:.1f} / "
            f"{results['numpy']['p50_ms']:.1f} ms (target: onnx <= numpy)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
