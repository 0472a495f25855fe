"""Fit the fusion, reading and decline models on development questions; report them on a check
split.

Development data only:

* *fit*: the shipped seed set, the news sets in ``benchmarks/development/`` (three rounds, each
  written blind and run once as a held-out set, development data since) and ten SQuAD 2.0
  sample articles (:data:`FIT_ARTICLES`); declining is also reported on
  every turn of those articles' conversation sets, asked in its conversation;
* *check*: five other SQuAD 2.0 sample articles (:data:`CHECK_ARTICLES`), used for the
  figures below and never to choose anything.

Steps: every development question's candidate signals are computed once; the fusion model
(logistic regression over :data:`qa.ranking.models.RANK_FEATURES`, pairwise: relevant minus
irrelevant candidate of one question) is fitted on the fit split; per-signal ablations refit
without one signal at a time. Then every question is answered with the fitted ranker, and the
decline model (logistic regression over :data:`qa.ranking.models.DECLINE_FEATURES`; label: the top
passage holds an answer) is fitted on the fit split's answerable and unanswerable questions.
Its threshold is the probability below which :data:`DECLINED_SHARE` of the fit split's
answerable questions fall. Each hard decline rule is measured on top of the model. Between the
two, the trained reader (:mod:`qa.reading`) reads the first stage's top passages, and the
second-stage model and the span threshold are fitted (``benchmarks/fit_reading.py``); the
decline model then sees the reader's verdict too.

    python benchmarks/fit_fusion.py [--write] [--json FILE]

``--write`` stores the models in ``qa/ranking/fitted/``; without it nothing is written.
scikit-learn is needed here only; the package reads the JSON with NumPy.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_reading import (  # noqa: E402
    SPAN_EXACT_MATCH,
    CachedReader,
    fit_reading,
    read_top,
    reading_model,
    recall_at_1,
    span_outcomes,
    span_threshold,
)
from qa.answering.pipeline import Pipeline  # noqa: E402
from qa.evaluation import NARRATION, EvalQuestion, is_relevant, load_questions  # noqa: E402
from qa.ranking.decline import DeclinePolicy  # noqa: E402
from qa.ranking.features import (  # noqa: E402
    DECLINE_FEATURES,
    RANK_FEATURES,
    READING_FEATURES,
    decline_features,
    rank_features,
)
from qa.ranking.models import FORMAT_VERSION, DeclineModel, FusionModel, _Linear  # noqa: E402
from qa.ranking.signals import Evidence, Signals  # noqa: E402
from qa.reading.reader import Reader, default_reader  # noqa: E402

SQUAD = ROOT.parent / "shared" / "corpora" / "squad2-dev-sample"
FITTED = ROOT / "qa" / "ranking" / "fitted"
#: The decline features that come from the trained reader (dropped to measure what it adds).
READER_FEATURES = ("reader", "reader_span", "reader_lead")
#: Bumped when what this script fits, or how, changes (recorded in every model file).
SCRIPT_VERSION = "2"
#: The news development sets (benchmarks/development/README.md: each was written blind, run
#: once as a held-out set, and is development data since).
DEVELOPMENT = ROOT / "benchmarks" / "development"
SEED_ROUNDS = ("round2", "round3")
NEWS_ARTICLES = (
    ("round1", "battery"), ("round1", "harbour"), ("round1", "hospital"),
    ("round2", "serrano-drought"), ("round2", "northbridge-inquiry"),
    ("round3", "light-rail"), ("round3", "drug-recall"),
)
NEWS_SET_NAMES = [
    "seed", *(f"{r}/seed" for r in SEED_ROUNDS), *(f"{r}/{n}" for r, n in NEWS_ARTICLES),
]
#: Chosen once by article name before any fitting, and fixed: never tune on CHECK_ARTICLES.
FIT_ARTICLES = (
    "geology", "huguenot", "imperialism", "jacksonville-florida", "oxygen", "rhine",
    "scottish-parliament", "southern-california", "steam-engine", "yuan-dynasty",
)
CHECK_ARTICLES = (
    "intergovernmental-panel-on-climate-change", "normans", "sky-united-kingdom",
    "university-of-chicago", "warsaw",
)
#: Share of the fit split's answerable questions the decline threshold may decline.
DECLINED_SHARE = 0.03
#: Signal groups for the ablations: each drops every feature derived from one signal.
GROUPS: dict[str, tuple[str, ...]] = {
    "dense": ("dense", "dense_gap", "dense_rank"),
    "sentence": ("sentence", "sentence_gap", "sentence_rank"),
    "lexical": ("lexical", "lexical_rank"),
    "phrase": ("phrase",),
    "sentence_lexical": ("sentence_lexical",),
    "coverage": ("coverage", "sentence_coverage"),
    "speaker": ("speaker",),
    "title": ("title",),
    "answer_type": ("answer_type",),
    "headline": ("headline",),
}
#: Candidate weights of a news question relative to a SQuAD one in the ranking loss.
NEWS_WEIGHTS = (1.0, 8.0)
#: Inverse regularisation strengths tried for the ranker (features are standardised).
RANK_C = (0.003, 1.0)
#: Off-topic questions borrowed from another article per development set, and their id prefix.
FOREIGN_QUESTIONS = 15
FOREIGN = "foreign:"
#: Weights of a news question relative to a SQuAD one tried for the decline model.
DECLINE_NEWS_WEIGHTS = (1.0, 10.0)
#: A hard rule is kept when, on the fit split, it newly declines at least this many
#: unanswerable questions per answerable one.
RULE_ODDS = 3
#: Rules kept whatever they measure: behaviour the product promises.
REQUIRED_RULES = ("who_said",)
#: The hand weights this model replaces (each signal divided by its maximum), for comparison.
HAND = {"dense": 0.75, "sentence": 0.75, "lexical": 0.5, "phrase": 0.5, "speaker": 0.5,
        "title": 0.5, "answer_type": 0.5}


@dataclass(frozen=True)
class DevSet:
    name: str
    split: str  # "fit" or "check"
    kind: str  # "news" or "squad"
    article: Path
    questions: Path


def dev_sets() -> list[DevSet]:
    seed = ROOT / "seeds" / "000_378344c681942944.txt"
    sets = [DevSet("seed", "fit", "news", seed, ROOT / "seeds" / "questions.jsonl")]
    for round_name in SEED_ROUNDS:
        sets.append(DevSet(f"{round_name} seed", "fit", "news", seed,
                           DEVELOPMENT / round_name / "seed" / "questions.jsonl"))
    for round_name, name in NEWS_ARTICLES:
        folder = DEVELOPMENT / round_name / name
        sets.append(DevSet(name, "fit", "news", folder / "article.txt",
                           folder / "questions.jsonl"))
    for split, names in (("fit", FIT_ARTICLES), ("check", CHECK_ARTICLES)):
        for name in names:
            sets.append(DevSet(name, split, "squad", SQUAD / f"{name}.txt",
                               SQUAD / f"{name}.jsonl"))
    return sets


@dataclass
class Row:
    """One question: its candidates' features and relevance, and the baselines' top hits
    (a conversation turn has no candidates: it only teaches the decline model)."""

    dev: DevSet
    question: EvalQuestion
    signals: Signals | None
    features: np.ndarray
    relevant: np.ndarray
    right_speaker: np.ndarray | None
    bm25_hit: bool
    dense_hit: bool
    decline: np.ndarray = field(default_factory=lambda: np.zeros(0))
    evidence: Evidence | None = None
    top_hit: bool = False


def _foreign(dev: DevSet, sets: Sequence[DevSet]) -> list[EvalQuestion]:
    """Off-topic questions: the first answerable ones of the next set of the same kind and
    split, asked about this article (so unanswerable). SQuAD's unanswerable questions are all
    on topic; without these the decline model never sees a question about something else."""
    peers = [d for d in sets if d.kind == dev.kind and d.split == dev.split]
    other = peers[(peers.index(dev) + 1) % len(peers)]
    if other == dev:
        return []
    questions = [q for q in load_questions(other.questions) if not q.unanswerable]
    return [replace(q, id=f"{FOREIGN}{q.id}", answers=(), speaker=None, unanswerable=True)
            for q in questions[:FOREIGN_QUESTIONS]]


def collect(
    sets: Sequence[DevSet], limit: int = 0
) -> tuple[list[Row], dict[str, Pipeline]]:
    rows: list[Row] = []
    pipelines: dict[str, Pipeline] = {}
    for dev in sets:
        started = time.perf_counter()
        pipeline = Pipeline.build(dev.article, read=False)
        pipelines[dev.name] = pipeline
        retriever = pipeline.retriever
        questions = load_questions(dev.questions)
        for q in [*(questions[:limit] if limit else questions), *_foreign(dev, sets)]:
            speakers = retriever.match_speakers(q.question)
            signals = retriever.signals(q.question, speakers=speakers)
            passages = [pipeline.passages[int(i)] for i in signals.ids]
            relevant = np.array([is_relevant(p.text, q.answers) for p in passages], dtype=bool)
            right_speaker = None
            if q.speaker is not None:
                expected = None if q.speaker.casefold() == NARRATION else q.speaker.casefold()
                right_speaker = np.array(
                    [(p.speaker.name.casefold() if p.speaker else None) == expected
                     for p in passages]
                )
            bm25_hit = dense_hit = False
            if not q.unanswerable:
                for mode in ("bm25", "dense"):
                    top = retriever.rank(q.question, 1, mode=mode)
                    hit = bool(top) and is_relevant(
                        pipeline.passages[top[0].passage_id].text, q.answers
                    )
                    bm25_hit, dense_hit = (hit, dense_hit) if mode == "bm25" else (bm25_hit, hit)
            rows.append(Row(dev, q, signals, rank_features(signals), relevant, right_speaker,
                            bm25_hit, dense_hit))
        print(f"  {dev.name:42} {dev.split:5} {time.perf_counter() - started:5.1f} s",
              file=sys.stderr)
    return rows, pipelines


# ----------------------------------------------------------------------------- ranking


def _pairs(
    rows: Iterable[Row], columns: np.ndarray, news_weight: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relevant-minus-irrelevant feature differences (and their mirror images), weighted so
    that every question counts the same however many candidates it has, and a news question
    ``news_weight`` times a SQuAD one."""
    diffs, weights = [], []
    for row in rows:
        if row.question.unanswerable or not row.relevant.any() or row.relevant.all():
            continue
        x = row.features[:, columns]
        positive, negative = x[row.relevant], x[~row.relevant]
        pairs = (positive[:, None, :] - negative[None, :, :]).reshape(-1, len(columns))
        diffs.append(pairs)
        share = news_weight if row.dev.kind == "news" else 1.0
        weights.append(np.full(len(pairs), share / len(pairs)))
    stacked, weight = np.concatenate(diffs), np.concatenate(weights)
    labels = np.r_[np.ones(len(stacked)), np.zeros(len(stacked))]
    return np.concatenate([stacked, -stacked]), labels, np.concatenate([weight, weight])


def fit_ranker(
    rows: Sequence[Row], names: Sequence[str] = RANK_FEATURES, news_weight: float = 1.0,
    c: float = 1.0,
) -> np.ndarray:
    """Pairwise logistic regression; returns weights over RANK_FEATURES (0 for dropped)."""
    from sklearn.linear_model import LogisticRegression

    columns = np.array([RANK_FEATURES.index(n) for n in names])
    x, y, weight = _pairs(rows, columns, news_weight)
    scale = x.std(axis=0) + 1e-9
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(x / scale, y, sample_weight=weight * len(weight) / weight.sum())
    weights = np.zeros(len(RANK_FEATURES))
    weights[columns] = model.coef_[0] / scale
    return weights


def choose_news_weight(fit: Sequence[Row]) -> tuple[float, float]:
    """The news weight and regularisation C with the best leave-one-set-out recall@1 on the
    fit split (news and SQuAD averaged), so the check split plays no part in the choice."""
    names = sorted({r.dev.name for r in fit})
    best, best_score = (1.0, 1.0), -1.0
    for news_weight, c in itertools.product(NEWS_WEIGHTS, RANK_C):
        hits: dict[str, list[bool]] = {"news": [], "squad": []}
        for name in names:
            weights = fit_ranker([r for r in fit if r.dev.name != name], news_weight=news_weight,
                                 c=c)
            for row in fit:
                if row.dev.name == name and not row.question.unanswerable:
                    hits[row.dev.kind].append(bool(row.relevant[np.argmax(row.features @ weights)]))
        score = float(np.mean(hits["news"]) + np.mean(hits["squad"])) / 2
        print(f"  news weight {news_weight:4}, C {c:6}: leave-one-set-out r@1 news "
              f"{np.mean(hits['news']):.3f}, SQuAD {np.mean(hits['squad']):.3f}")
        if score > best_score + 1e-9:
            best, best_score = (news_weight, c), score
    return best


def _hand_scores(signals: Signals) -> np.ndarray:
    total = np.zeros(len(signals.ids))
    for name, weight in HAND.items():
        values = np.asarray(getattr(signals, name), dtype=np.float64)
        if name in ("speaker", "title", "answer_type"):
            total += weight * values
            continue
        high = max(float(values.max(initial=0.0)), 0.0)
        total += weight * (values / high if high > 1e-9 else np.zeros_like(values))
    return total


def ranking_figures(rows: Sequence[Row], scorer: Any) -> dict[str, float]:
    """recall@1, recall@3 and speaker accuracy@1 of ``scorer(row) -> scores``."""
    hits1 = hits3 = speakers = n_speakers = 0
    answerable = [r for r in rows if not r.question.unanswerable]
    for row in answerable:
        order = np.argsort(-scorer(row), kind="stable")
        hits1 += bool(row.relevant[order[0]])
        hits3 += bool(row.relevant[order[:3]].any())
        if row.right_speaker is not None:
            n_speakers += 1
            speakers += bool(row.right_speaker[order[0]])
    n = len(answerable) or 1
    figures = {"n": len(answerable), "recall@1": hits1 / n, "recall@3": hits3 / n}
    if n_speakers:
        figures["speaker@1"] = speakers / n_speakers
    return figures


def _linear(weights: np.ndarray) -> Any:
    return lambda row: row.features @ weights


# ----------------------------------------------------------------------------- declining


def _rules(rules: Iterable[str]) -> DeclinePolicy:
    """The hard rules alone: a neutral model stands in for the one being fitted (the shipped
    file may be for other features), since only the rules and the evidence are read."""
    neutral = DeclineModel(
        _Linear("decline", DECLINE_FEATURES, np.zeros(len(DECLINE_FEATURES)), 0.0, {}), 0.5
    )
    return DeclinePolicy(neutral, rules=set(rules))


def answer_all(rows: Sequence[Row], pipelines: dict[str, Pipeline], fusion: FusionModel) -> None:
    """Answer every question with ``fusion``; store the decline features and top relevance."""
    for pipeline in pipelines.values():
        pipeline.retriever.fusion = fusion
        pipeline.decline = _rules(())
    for row in rows:
        pipeline = pipelines[row.dev.name]
        answer, evidence = pipeline.answer_with_evidence(row.question.question, k=1)
        row.evidence = evidence
        row.decline = decline_features(evidence)
        row.top_hit = (not row.question.unanswerable) and is_relevant(
            answer.passages[0].text, row.question.answers
        )


def conversation_sets() -> list[DevSet]:
    """The development conversation sets, each named after the question set of its article
    (so it shares that set's pipeline)."""
    seed = ROOT / "seeds" / "000_378344c681942944.txt"
    sets = [DevSet("seed", "fit", "news", seed, ROOT / "seeds" / "conversations.jsonl")]
    for round_name in SEED_ROUNDS:
        sets.append(DevSet(f"{round_name} seed", "fit", "news", seed,
                           DEVELOPMENT / round_name / "seed" / "conversations.jsonl"))
    for round_name, name in NEWS_ARTICLES:
        folder = DEVELOPMENT / round_name / name
        sets.append(DevSet(name, "fit", "news", folder / "article.txt",
                           folder / "conversations.jsonl"))
    return sets


def conversation_rows(pipelines: dict[str, Pipeline]) -> list[Row]:
    """Every turn of the development conversations, asked in its conversation with the
    pipelines' current fusion model: the follow-ups users type, as the decline model meets
    them (resolved, with the conversation's hints). Questions about the article itself
    (answered from its metadata) and turns answered by pointing are left out."""
    from qa.dialogue import Conversation

    rows: list[Row] = []
    empty = np.zeros((0, len(RANK_FEATURES)))
    for dev in conversation_sets():
        pipeline = pipelines[dev.name]
        conversation: Conversation | None = None
        for q in load_questions(dev.questions):
            if q.turn == 0 or conversation is None:
                conversation = Conversation(pipeline)
            # "go on", "the second one": the passage the rules point to is answered whatever
            # the model says, so those turns do not teach it.
            pointed = conversation.understand(q.question).rule in ("more", "ordinal",
                                                                   "same-quote")
            answer, evidence = conversation.ask_with_evidence(q.question, k=1)
            if evidence is None or pointed:
                continue
            rows.append(Row(
                dev, q, None, empty, np.zeros(0, dtype=bool), None, False, False,
                decline=decline_features(evidence), evidence=evidence,
                top_hit=not q.unanswerable and is_relevant(answer.passages[0].text, q.answers),
            ))
    return rows


def fit_decline(
    rows: Sequence[Row], label: str, news_weight: float, without: Sequence[str] = ()
) -> tuple[np.ndarray, float]:
    """Logistic regression of ``label`` ("top passage answers" or "answerable") on the
    decline features (less those named in ``without``, whose weights are 0); a news question
    weighs ``news_weight`` SQuAD ones."""
    from sklearn.linear_model import LogisticRegression

    kept = np.array([name not in without for name in DECLINE_FEATURES])
    x = np.stack([r.decline for r in rows]) * kept
    if label == "answerable":
        y = np.array([not r.question.unanswerable for r in rows])
    else:
        y = np.array([r.top_hit for r in rows])
    weight = np.array([news_weight if r.dev.kind == "news" else 1.0 for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit((x - mean) / scale, y, sample_weight=weight)
    weights = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - (weights * mean).sum())
    return weights, intercept


def _probabilities(rows: Sequence[Row], weights: np.ndarray, intercept: float) -> np.ndarray:
    logits = np.stack([r.decline for r in rows]) @ weights + intercept
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))


def _threshold(
    rows: Sequence[Row], weights: np.ndarray, intercept: float, policy: DeclinePolicy
) -> float:
    """The highest threshold at which the model plus ``policy``'s rules decline at most
    :data:`DECLINED_SHARE` of ``rows``' answerable questions."""
    answerable = [r for r in rows if not r.question.unanswerable]
    p = _probabilities(answerable, weights, intercept)
    by_rule = np.array([policy.broken_rule(r.evidence) is not None  # type: ignore[arg-type]
                        for r in answerable])
    budget = int(DECLINED_SHARE * len(answerable)) - int(by_rule.sum())
    candidates = np.sort(p[~by_rule])
    if budget <= 0 or not len(candidates):
        return 0.0
    return float(candidates[min(budget, len(candidates)) - 1] + 1e-6)


def decline_figures(
    rows: Sequence[Row], probabilities: np.ndarray, threshold: float, policy: DeclinePolicy
) -> dict[str, float]:
    """Shares declined of answerable and unanswerable questions (model plus hard rules)."""
    declined = np.array([
        p < threshold or policy.broken_rule(r.evidence) is not None  # type: ignore[arg-type]
        for r, p in zip(rows, probabilities, strict=True)
    ])
    unanswerable = np.array([r.question.unanswerable for r in rows])
    return {
        "answerable declined": float(declined[~unanswerable].mean()) if (~unanswerable).any()
        else 0.0,
        "unanswerable declined": float(declined[unanswerable].mean()) if unanswerable.any()
        else 0.0,
        "n unanswerable": int(unanswerable.sum()),
    }


# ----------------------------------------------------------------------------- report


def _fmt(figures: dict[str, float]) -> str:
    return "  ".join(
        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="store the models in qa/ranking/fitted/")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--reuse-answers", action="store_true",
                        help="reuse the decline features cached by an earlier run")
    parser.add_argument("--out", type=Path, default=FITTED,
                        help="where --write stores the models (default qa/ranking/fitted/)")
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N questions of each set (a quick trial run; "
                             "never --write its models)")
    parser.add_argument("--cache", type=Path,
                        help="keep the computed signals in this file and reuse them")
    args = parser.parse_args(argv)
    if args.limit and args.write and args.out == FITTED:
        parser.error("--limit is for trial runs: write its models elsewhere with --out")
    report: dict[str, Any] = {}

    if args.cache and args.cache.exists():
        with args.cache.open("rb") as handle:
            rows = pickle.load(handle)
        pipelines = {d.name: Pipeline.build(d.article, read=False) for d in dev_sets()}
    else:
        print("computing signals for every development question ...", file=sys.stderr)
        rows, pipelines = collect(dev_sets(), limit=args.limit)
        if args.cache:
            with args.cache.open("wb") as handle:
                pickle.dump(rows, handle)
    off_topic = [r for r in rows if r.question.id.startswith(FOREIGN)]
    # The decline model is fitted on off-topic questions too; every figure below leaves them out.
    fit_all = [r for r in rows if r.dev.split == "fit"]
    fit = [r for r in fit_all if not r.question.id.startswith(FOREIGN)]
    check = [r for r in rows if r.dev.split == "check" and not r.question.id.startswith(FOREIGN)]
    groups = {
        "check (5 SQuAD articles)": check,
        "fit: SQuAD (10 articles)": [r for r in fit if r.dev.kind == "squad"],
        "fit: seed": [r for r in fit if r.dev.name == "seed"],
        "fit: other news sets (7 sets, 6 articles)": [r for r in fit if r.dev.kind == "news"
                                       and r.dev.name != "seed"],
    }

    print("\n== choosing the news weight (fit split only) ==")
    news_weight, rank_c = choose_news_weight(fit)
    weights = fit_ranker(fit, news_weight=news_weight, c=rank_c)
    print("\n== ranking (answerable questions) ==")
    for label, part in groups.items():
        learned = ranking_figures(part, _linear(weights))
        bm25 = sum(r.bm25_hit for r in part if not r.question.unanswerable) / max(
            1, sum(not r.question.unanswerable for r in part))
        dense = sum(r.dense_hit for r in part if not r.question.unanswerable) / max(
            1, sum(not r.question.unanswerable for r in part))
        hand = ranking_figures(part, lambda r: _hand_scores(r.signals))
        print(f"  {label:28} learned: {_fmt(learned)}")
        print(f"  {'':28} hand weights r@1 {hand['recall@1']:.3f}  bm25 r@1 {bm25:.3f}"
              f"  dense r@1 {dense:.3f}")
        report[f"ranking/{label}"] = {**learned, "hand r@1": hand["recall@1"],
                                      "bm25 r@1": bm25, "dense r@1": dense}
    seedless = fit_ranker([r for r in fit if r.dev.name != "seed"], news_weight=news_weight,
                          c=rank_c)
    seed_out = ranking_figures(groups["fit: seed"], _linear(seedless))
    print(f"  seed, ranker fitted without the seed set: {_fmt(seed_out)}")
    report["ranking/seed left out"] = seed_out

    print("\n== ablations: drop one signal, refit, check split recall@1 ==")
    full = ranking_figures(check, _linear(weights))["recall@1"]
    print(f"  {'all signals':14} {full:.3f}")
    for group, names in GROUPS.items():
        kept = [n for n in RANK_FEATURES if n not in names]
        refit = _linear(fit_ranker(fit, kept, news_weight, rank_c))
        score = ranking_figures(check, refit)["recall@1"]
        news = ranking_figures([r for r in fit if r.dev.kind == "news"], refit)["recall@1"]
        print(f"  - {group:12} {score:.3f} ({score - full:+.3f})   news sets (fitted) {news:.3f}")
        report[f"ablation/-{group}"] = {"check r@1": score, "news r@1 (fit)": news}

    fit_names = [*NEWS_SET_NAMES, *(f"squad2-dev-sample/{a}" for a in FIT_ARTICLES)]
    check_names = [f"squad2-dev-sample/{a}" for a in CHECK_ARTICLES]
    fusion = FusionModel(_Linear("fusion", RANK_FEATURES, weights, 0.0, {
        "fitted_by": "benchmarks/fit_fusion.py",
        "script_version": SCRIPT_VERSION,
        "fit": fit_names,
        "check": check_names,
        "news_weight": news_weight,
        "C": rank_c,
        "check recall@1": round(full, 4),
    }))

    print("\n== the reader: second stage over the first stage's top passages ==")
    reader = CachedReader(Reader(threads=os.cpu_count() or 1),
                          args.cache.with_suffix(".reader.pkl") if args.cache else None)
    started = time.perf_counter()
    reads = dict(zip(map(id, rows), read_top(rows, pipelines, fusion, reader), strict=True))
    reader.save()
    print(f"  read {len(reader.store):,} sentences in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)

    def read_of(part: Sequence[Row]) -> list[Any]:
        return [reads[id(r)] for r in part]

    r_weights = fit_reading(fit, read_of(fit), news_weight)
    for name, w in zip(READING_FEATURES, r_weights, strict=True):
        print(f"    {name:12} {w:+.3f}")
    for label, part in groups.items():
        before = recall_at_1(part, read_of(part), None)
        after = recall_at_1(part, read_of(part), r_weights)
        print(f"  {label:42} recall@1 first stage {before:.3f} -> read {after:.3f}")
        report[f"reading/{label}"] = {"first stage r@1": before, "read r@1": after}
    squad_fit_rows = [r for r in fit if r.dev.kind == "squad"]
    span_t, _ = span_threshold(squad_fit_rows, read_of(squad_fit_rows), r_weights, pipelines)
    check_spans = span_outcomes(check, read_of(check), r_weights, pipelines)
    given = [right for score, right in check_spans if score >= span_t]
    print(f"  span threshold {span_t:.2f}: check split spans given {len(given)}/"
          f"{len(check_spans)}, exact {np.mean(given) if given else 0:.3f}")
    check_read = recall_at_1(check, read_of(check), r_weights)
    reading = reading_model(r_weights, span_t, {
        "fitted_by": "benchmarks/fit_fusion.py (benchmarks/fit_reading.py)",
        "script_version": SCRIPT_VERSION,
        "reader": default_reader().manifest["sha256"],
        "fit": fit_names,
        "check": check_names,
        "news_weight": news_weight,
        "span_threshold": f"lowest at which the fit split's typed SQuAD spans reach "
                          f"{SPAN_EXACT_MATCH:.0%} exact match",
        "check recall@1": round(check_read, 4),
        "check spans given": len(given),
        "check spans exact": round(float(np.mean(given)) if given else 0.0, 4),
    })
    for pipeline in pipelines.values():
        pipeline.reader, pipeline.reading = reader, reading

    print("\n== declining ==", file=sys.stderr)
    answers_cache = args.cache.with_suffix(".answers.pkl") if args.cache else None
    if args.reuse_answers and answers_cache and answers_cache.exists():
        with answers_cache.open("rb") as handle:
            answered = pickle.load(handle)
        for row, (decline_row, evidence, top_hit) in zip(rows, answered, strict=True):
            row.decline, row.evidence, row.top_hit = decline_row, evidence, top_hit
    else:
        answer_all(rows, pipelines, fusion)
        if answers_cache:
            with answers_cache.open("wb") as handle:
                pickle.dump([(r.decline, r.evidence, r.top_hit) for r in rows], handle)

    # Reported, not fitted on: fitted on, follow-ups such as "Why?" (whose best passage is
    # chosen by the conversation and shares few words with the question) taught the model to
    # answer off-topic questions ("What did the president have for breakfast?").
    groups["conversation turns (not fitted)"] = conversation_rows(pipelines)
    print("\n== declining: choosing the label and the news weight (fit split only) ==")
    none = _rules(())
    news_fit = [r for r in fit if r.dev.kind == "news"]
    squad_fit = [r for r in fit if r.dev.kind == "squad"]
    best: tuple[float, str, float] | None = None
    for label in ("top passage answers", "answerable"):
        for news_weight in DECLINE_NEWS_WEIGHTS:
            d_weights, d_intercept = fit_decline(fit_all, label, news_weight)
            threshold = _threshold(fit, d_weights, d_intercept, none)
            rates = [decline_figures(part, _probabilities(part, d_weights, d_intercept),
                                     threshold, none) for part in (news_fit, squad_fit)]
            score = float(np.mean([r["unanswerable declined"] for r in rates]))
            print(f"  label {label!r:22} news weight {news_weight:4}: unanswerable declined "
                  f"news {rates[0]['unanswerable declined']:.3f} SQuAD "
                  f"{rates[1]['unanswerable declined']:.3f} (answerable declined news "
                  f"{rates[0]['answerable declined']:.3f} SQuAD "
                  f"{rates[1]['answerable declined']:.3f})")
            if best is None or score > best[0] + 1e-9:
                best = (score, label, news_weight)
    assert best is not None
    _, d_label, d_news_weight = best
    d_weights, d_intercept = fit_decline(fit_all, d_label, d_news_weight)
    threshold = _threshold(fit, d_weights, d_intercept, none)
    print(f"  chosen: label {d_label!r}, news weight {d_news_weight}")
    for name, w in zip(DECLINE_FEATURES, d_weights, strict=True):
        print(f"    {name:20} {w:+.3f}")
    print("  does the reader pay? the same fit without its features (no hard rules), check split:")
    for label, without in (("with the reader", ()), ("without the reader", READER_FEATURES)):
        w, b = fit_decline(fit_all, d_label, d_news_weight, without)
        t = _threshold(fit, w, b, none)
        figures = decline_figures(check, _probabilities(check, w, b), t, none)
        print(f"    {label:20} {_fmt(figures)}")
        report[f"decline/check {label}"] = figures

    print("  each hard rule on top of the model: newly declined unanswerable / answerable "
          "(counts)")
    kept = []
    rule_report = {}
    for rule in DeclinePolicy.RULES:
        policy = _rules({rule})
        cells = []
        gains = {}
        off_fit = [r for r in off_topic if r.dev.split == "fit"]
        for label, part in (("fit news", news_fit), ("fit SQuAD", squad_fit),
                            ("fit off-topic", off_fit), ("check", check)):
            p = _probabilities(part, d_weights, d_intercept)
            newly = [r for r, q in zip(part, p, strict=True)
                     if q >= threshold and policy.broken_rule(r.evidence) is not None]
            unanswerable = sum(r.question.unanswerable for r in newly)
            gains[label] = (unanswerable, len(newly) - unanswerable)
            cells.append(f"{label} +{unanswerable}/+{len(newly) - unanswerable}")
        fit_gain = [sum(gains[part][i] for part in ("fit news", "fit SQuAD", "fit off-topic"))
                    for i in (0, 1)]
        # "Who said X?" answered "nobody here says it" is a behaviour asked for, not a guess.
        keep = rule in REQUIRED_RULES or fit_gain[0] >= RULE_ODDS * max(fit_gain[1], 1)
        kept += [rule] if keep else []
        rule_report[rule] = {**gains, "kept": keep}
        print(f"    {rule:12} {'   '.join(cells)}   {'kept' if keep else 'dropped'}")
    report["decline rules"] = rule_report

    policy = _rules(kept)
    threshold = _threshold(fit, d_weights, d_intercept, policy)
    print(f"\n== declining: threshold {threshold:.3f} (model + kept rules decline "
          f"{DECLINED_SHARE:.0%} of the fit split's answerable questions) ==")
    for label, part in groups.items():
        figures = decline_figures(part, _probabilities(part, d_weights, d_intercept),
                                  threshold, policy)
        print(f"    {label:28} {_fmt(figures)}")
        report[f"decline/{label}"] = figures

    off = decline_figures(off_topic, _probabilities(off_topic, d_weights, d_intercept),
                          threshold, policy)
    print(f"    {'off-topic (another article)':28} unanswerable declined "
          f"{off['unanswerable declined']:.3f}  n {off['n unanswerable']}")
    report["decline/off-topic"] = off

    print("\n  trade-off on the check split (model + kept rules):\n"
          "    threshold  answerable declined  unanswerable declined")
    p_check = _probabilities(check, d_weights, d_intercept)
    curve = []
    for t in sorted({*np.round(np.arange(0.05, 0.96, 0.05), 2), round(threshold, 3)}):
        figures = decline_figures(check, p_check, t, policy)
        curve.append((t, figures["answerable declined"], figures["unanswerable declined"]))
        marker = "  <- shipped" if t == round(threshold, 3) else ""
        print(f"    {t:5.3f}      {figures['answerable declined']:.3f}"
              f"                {figures['unanswerable declined']:.3f}{marker}")
    report["curve/check"] = curve
    shipped = decline_figures(check, p_check, threshold, policy)

    decline = DeclineModel(_Linear("decline", DECLINE_FEATURES, d_weights, d_intercept, {
        "fitted_by": "benchmarks/fit_fusion.py",
        "script_version": SCRIPT_VERSION,
        "fit": [*fit_names, "off-topic questions from the next set of the same kind"],
        "check": check_names,
        "reader": default_reader().manifest["sha256"],
        "label": d_label,
        "news_weight": d_news_weight,
        "threshold": f"model + rules decline {DECLINED_SHARE:.0%} of the fit split's "
                     "answerable questions",
        "check answerable declined": round(shipped["answerable declined"], 4),
        "check unanswerable declined": round(shipped["unanswerable declined"], 4),
    }), threshold, tuple(kept))
    if args.write:
        models = args.out
        models.mkdir(parents=True, exist_ok=True)
        for name, model in (("fusion.json", fusion), ("decline.json", decline),
                            ("reading.json", reading)):
            data = model.to_dict()
            assert data["format"] == FORMAT_VERSION
            (models / name).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote fusion.json, decline.json and reading.json in {models}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
