"""Run every benchmark script in benchmarks/ briefly, printing their tables (``make bench``).

Each script runs in its own process (so peak memory and cold start are per script), with the
short arguments below and a timeout; a script added later without an entry here runs with no
arguments. ``--full`` drops the short arguments (each script's own defaults: minutes to tens of
minutes on 2 cores). Exits non-zero if any script failed.

    .venv/bin/python benchmarks/run_all.py            # a few minutes
    .venv/bin/python benchmarks/run_all.py --only perf_warm perf_cold_start
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTION = "What are the three leading industries?"
# The shared corpora sit beside the checkout (as on CI), never inside it.
POLNEAR = HERE.parent.parent / "shared" / "corpora" / "polnear-dev"

# Short runs: enough to print every table, small enough for `make bench`.
BRIEF: dict[str, list[str]] = {
    "perf_cold_start": ["--repeats", "3"],
    "perf_warm": ["--repeats", "2"],
    "perf_ingest": ["--articles", "10", "--naive"],
    "perf_scale": ["--sizes", "1000", "10000", "--real", "300", "--questions", "20"],
    "naive_baseline": [QUESTION],
    "synthetic": ["{tmp}/synthetic", "--articles", "20"],
    "perf_conversation": ["--rounds", "1"],
    "ui_load": ["--callers", "4", "--per-caller", "5", "--max-seconds", "300"],
    "attribution_polnear": [str(POLNEAR)],
}
FULL: dict[str, list[str]] = {
    "naive_baseline": [QUESTION],
    "synthetic": ["{tmp}/synthetic"],
    "attribution_polnear": [str(POLNEAR)],
}
# Scripts that need data this machine may not have: skipped (and said so) when it is absent.
NEEDS = {"attribution_polnear": POLNEAR}
# Scripts that need something `make install` does not bring: refitting needs scikit-learn
# (`pip install -e '.[fit]'`), the second dense view a model folder given on its command line.
SKIP = {"run_all", "__init__", "fit_fusion", "second_view"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="each script's own defaults")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="script names (no .py)")
    parser.add_argument("--timeout", type=float, default=1_800.0, help="seconds per script")
    args = parser.parse_args(argv)
    scripts = [p for p in sorted(HERE.glob("*.py")) if p.stem not in SKIP]
    if args.only:
        scripts = [p for p in scripts if p.stem in args.only]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    summary: list[tuple[str, str, float]] = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        for script in scripts:
            table = FULL if args.full else BRIEF
            extra = [a.replace("{tmp}", tmp) for a in table.get(script.stem, [])]
            print(f"\n=== {script.name} {' '.join(extra)}", flush=True)
            needed = NEEDS.get(script.stem)
            if needed is not None and not needed.exists():
                print(f"skipped: {needed} is not on this machine")
                summary.append((script.stem, "skipped", 0.0))
                continue
            start = time.perf_counter()
            try:
                result = subprocess.run(
                    [sys.executable, str(script), *extra],
                    cwd=HERE.parent,
                    env=env,
                    timeout=args.timeout,
                    check=False,
                )
                status = "ok" if result.returncode == 0 else f"exit {result.returncode}"
            except subprocess.TimeoutExpired:
                status = f"timeout after {args.timeout:.0f} s"
            summary.append((script.stem, status, time.perf_counter() - start))
    print("\n=== summary")
    for name, status, seconds in summary:
        print(f"  {name:<22} {status:<24} {seconds:7.1f} s")
    return 0 if all(s in ("ok", "skipped") for _, s, _ in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())
