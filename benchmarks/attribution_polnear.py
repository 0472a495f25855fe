"""Score qa.passages.attribution against PolNeAR direct-quote attributions (not a test).

Usage: .venv/bin/python benchmarks/attribution_polnear.py [PATH]
PATH defaults to /work/shared/corpora/polnear-dev (text/*.txt + attributions/*.ann in brat).

What is counted:
* gold: attribution relations whose Content starts with a quote mark (direct quotes) and that
  name a Source; pronoun sources ("he") count too, since the system reports the mention it
  read and a pronoun mention overlapping the gold pronoun is a correct attribution.
  Direct quotes without a Source are reported separately and not scored.
* quote recall: a system direct quote overlaps the gold Content.
* speaker accuracy (of recalled quotes): the best-overlapping system quote's mention overlaps
  the gold Source span, or its resolved name shares the surname (last word) with the Source.
* precision: system direct quotes that overlap the Content of any gold attribution (any kind,
  with or without Source) / all system direct quotes.
Articles with two annotators are counted once: the annotator whose id sorts first is used.
Speed: all texts attributed in one process, after one warm-up article.

These lenient (first) figures are printed next to the strict ones that count: the shared
scorer ``../shared/tools/polnear_score.py`` (v2, read its docstring) run on the same output, for
the whole split and for its two halves (alternate files), so that a rule that only fits some
articles shows as a gap between the halves.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from qa.core.types import Quote
from qa.ingest.text import article_from_text
from qa.passages.attribution import Attribution, attribute

_QUOTE_MARKS = ('"', "\u201c")
_DEFAULT = Path("/work/shared/corpora/polnear-dev")
_SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "polnear_score.py"


@dataclass(frozen=True, slots=True)
class Gold:
    article: str
    content: tuple[tuple[int, int], ...]
    content_text: str
    source: tuple[tuple[int, int], ...] | None
    source_text: str


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in field.split(";")))


def _read_ann(path: Path, article: str) -> list[Gold]:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...], str]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (kind, _spans(offsets), parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(item.split(":", 1) for item in parts[1].split())
            relations.append(roles)
    gold: list[Gold] = []
    for roles in relations:
        content_id = next((v for k, v in roles.items() if k.startswith("Content")), None)
        if content_id is None or content_id not in spans:
            continue
        _, content, content_text = spans[content_id]
        source_id = roles.get("Source")
        source = spans.get(source_id) if source_id else None
        gold.append(
            Gold(article, content, content_text, source[1] if source else None,
                 source[2] if source else "")
        )
    return gold


def _overlap(a: tuple[tuple[int, int], ...], start: int, end: int) -> int:
    return sum(max(0, min(e, end) - max(s, start)) for s, e in a)


def _surname_match(quote: Quote, source_text: str) -> bool:
    if quote.speaker is None:
        return False
    words = re.findall(r"[A-Za-z][\w\-]+", quote.speaker.name)
    return bool(words) and words[-1].lower() in source_text.lower().split()


def main(root: Path) -> int:
    texts = sorted((root / "text").glob("*.txt"))
    annotations: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        annotations.setdefault(name, ann)  # sorted: the first annotator id wins
    articles = [article_from_text(p.read_text(encoding="utf-8"), p.stem) for p in texts]
    attribute(articles[0])
    began = time.perf_counter()
    results = {a.name: attribute(a) for a in articles}
    elapsed = time.perf_counter() - began

    recalled = correct = gold_total = unsourced = 0
    system = matched = 0
    misses: list[tuple[int, str]] = []
    for article in articles:
        if article.name not in annotations:
            continue
        gold = _read_ann(annotations[article.name], article.name)
        quotes = [q for q in results[article.name].quotes if q.kind == "direct"]
        for quote in quotes:
            system += 1
            if any(_overlap(g.content, quote.start, quote.end) for g in gold):
                matched += 1
        for g in gold:
            if not g.content_text.startswith(_QUOTE_MARKS):
                continue
            if g.source is None:
                unsourced += 1
                continue
            gold_total += 1
            # A Content of several fragments may cover several system quotes: judge the
            # attributed one that overlaps most.
            best = max(
                quotes,
                key=lambda q: (q.speaker is not None and _overlap(g.content, q.start, q.end) > 0,
                               _overlap(g.content, q.start, q.end)),
                default=None,
            )
            if best is None or not _overlap(g.content, best.start, best.end):
                misses.append((len(g.content_text), f"{article.name}: NOT FOUND "
                               f"{g.content_text[:70]!r} <- {g.source_text!r}"))
                continue
            recalled += 1
            mention_hit = best.mention is not None and _overlap(
                g.source, best.mention.start, best.mention.end
            )
            if mention_hit or _surname_match(best, g.source_text):
                correct += 1
            else:
                got = best.speaker.name if best.speaker else None
                shown = best.mention.text if best.mention else None
                misses.append((len(g.content_text), f"{article.name}: SPEAKER {got!r} "
                               f"(mention {shown!r}) gold {g.source_text!r} for "
                               f"{g.content_text[:50]!r}"))

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f} ({a}/{b})" if b else "n/a"

    print(f"PolNeAR {root.name}: {len(articles)} texts, {len(annotations)} annotated "
          "(first annotator id per article)")
    print(f"{'metric':<28}{'value':>24}")
    print(f"{'quote recall':<28}{ratio(recalled, gold_total):>24}")
    print(f"{'speaker accuracy (recalled)':<28}{ratio(correct, recalled):>24}")
    print(f"{'speaker accuracy (all gold)':<28}{ratio(correct, gold_total):>24}")
    print(f"{'precision':<28}{ratio(matched, system):>24}")
    print(f"{'unsourced gold (unscored)':<28}{unsourced:>24}")
    print(f"{'speed (files/s)':<28}{len(articles) / elapsed:>24.1f}")
    print("\nten worst misses (longest gold quotes first):")
    for _, line in sorted(misses, key=lambda m: -m[0])[:10]:
        print(" ", line)
    _strict(root, texts, results)
    return 0


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("polnear_score", _SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the shared scorer {_SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _strict(root: Path, texts: list[Path], results: dict[str, Attribution]) -> None:
    """The shared strict scorer on the whole split and on its two halves."""
    scorer = _load_scorer()
    halves = {"all": texts, "half A (even files)": texts[::2], "half B (odd files)": texts[1::2]}
    print(f"\nstrict figures ({_SCORER.name}, v2):")
    print(f"{'split':<22}{'gold':>6}{'recall':>9}{'speaker':>9}{'precision':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, chosen in halves.items():
            figures = _score_subset(scorer, root, chosen, results, Path(tmp) / str(len(label)))
            print(f"{label:<22}{figures['gold_named_direct_quotes']:>6}"
                  f"{figures['quote_recall']:>9.3f}{figures['speaker_accuracy']:>9.3f}"
                  f"{figures['precision']:>11.3f}")


def _score_subset(
    scorer: ModuleType, root: Path, texts: list[Path], results: dict[str, Attribution],
    folder: Path,
) -> dict[str, Any]:
    """Score ``texts`` only: a split folder of links to them and their annotations, and the
    system output in the format of ``qa quotes --json``."""
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    lines = []
    for path in texts:
        (folder / "text" / path.name).symlink_to(path)
        for ann in (root / "attributions").glob(f"{path.stem}_*.ann"):
            (folder / "attributions" / ann.name).symlink_to(ann)
        quotes = [q.to_dict() for q in results[path.stem].quotes]
        lines.append(json.dumps({"article": path.name, "passages": [], "quotes": quotes}))
    system = folder / "system.jsonl"
    system.write_text("\n".join(lines) + "\n", encoding="utf-8")
    figures, _ = scorer.score(system, folder, 0)
    return dict(figures)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else _DEFAULT))
