"""Specification of qa.evaluation: question-set loading, the IR metrics, and evaluation runs.

The pipelines here are fakes over a five-paragraph fixture article (tests/data/eval), so no
model is loaded; the metric code is cross-checked against ir-measures.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import ir_measures
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ir_measures import RR, Success, nDCG

from qa.core.errors import QAError, QuestionSetError
from qa.core.types import Answer, Kind, Passage, RankedPassage, Span, Speaker
from qa.evaluation import (
    COMPARED_RETRIEVERS,
    EvalQuestion,
    PassageHit,
    QuestionResult,
    Report,
    Retriever,
    compare,
    evaluate,
    format_comparison,
    format_report,
    is_relevant,
    load_questions,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    summarise,
    write_details,
)
from qa.ingest.text import article_from_text

DATA = Path(__file__).parent / "data" / "eval"
ORTIZ = Speaker("Ana Ortiz", "Mayor")
BAKER = Speaker("Tom Baker", "Engineer")
# Who speaks in each paragraph of the fixture article, as attribution would report it.
SPEAKERS: dict[int, tuple[Speaker | None, Kind]] = {
    1: (None, "narration"),
    2: (ORTIZ, "direct"),
    3: (ORTIZ, "indirect"),
    4: (BAKER, "direct"),
    5: (None, "narration"),
}
JSON_KEYS = {
    "short_answers",
    "n_answerable",
    "recall@1",
    "recall@3",
    "recall@5",
    "mrr@10",
    "ndcg@10",
    "n_with_speaker",
    "speaker_accuracy@1",
    "n_unanswerable",
    "declined_unanswerable",
    "wrongly_declined",
    "latency_ms",
}


def fixture_passages() -> tuple[Passage, ...]:
    text = (DATA / "article.txt").read_text(encoding="utf-8")
    article = article_from_text(text, "article.txt")
    passages = []
    for number, (start, end) in enumerate(article.paragraphs, start=1):
        speaker, kind = SPEAKERS[number]
        passages.append(
            Passage(number - 1, "article.txt", number, start, end, text[start:end], speaker, kind)
        )
    return tuple(passages)


def _ranked(passages: Sequence[Passage], scores: Sequence[float]) -> tuple[RankedPassage, ...]:
    return tuple(
        RankedPassage(rank, score, passage, Span(passage.start, passage.end, passage.text))
        for rank, (passage, score) in enumerate(zip(passages, scores, strict=True), start=1)
    )


class OverlapPipeline:
    """Ranks paragraphs by how many content words they share with the question."""

    _STOP = frozenset(
        {"the", "a", "an", "of", "to", "in", "on", "and", "is", "will", "what", "when", "why"}
        | {"how", "did", "does", "do"}
    )

    def __init__(self, passages: tuple[Passage, ...]) -> None:
        self.passages = passages
        self.calls: list[tuple[str, int, Retriever | None]] = []

    def _words(self, text: str) -> set[str]:
        return set(re.findall(r"\w+", text.lower())) - self._STOP

    def answer(self, question: str, k: int = 3, *, retriever: Retriever | None = None) -> Answer:
        self.calls.append((question, k, retriever))
        asked = self._words(question)
        scored = sorted(
            ((len(asked & self._words(p.text)), -p.id, p) for p in self.passages), reverse=True
        )[:k]
        ranked = _ranked([p for _, _, p in scored], [float(s) for s, _, _ in scored])
        return Answer(question, "", scored[0][0] >= 2, ranked)


class ScriptedPipeline:
    """Returns, for each question, the paragraphs listed in ``script`` in that order."""

    def __init__(
        self,
        passages: tuple[Passage, ...],
        script: Mapping[str, Sequence[int]],
        declines: frozenset[str] = frozenset(),
    ) -> None:
        self.passages = passages
        self.script = script
        self.declines = declines

    def answer(self, question: str, k: int = 3, *, retriever: Retriever | None = None) -> Answer:
        chosen = [self.passages[number - 1] for number in self.script[question]][:k]
        ranked = _ranked(chosen, [1.0 / rank for rank in range(1, len(chosen) + 1)])
        return Answer(question, "", question not in self.declines, ranked)


@pytest.fixture
def questions() -> tuple[EvalQuestion, ...]:
    return load_questions(DATA / "questions.jsonl")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


GOOD = {"id": "q1", "question": "Who?", "answers": ["bridge"]}


# --------------------------------------------------------------------------- loading


def test_jsonl_set_loads_fields_defaults_and_physical_line_numbers(
    questions: tuple[EvalQuestion, ...],
) -> None:
    assert [q.id for q in questions] == ["bridge", "commute", "start", "piles", "budget"]
    assert [q.line for q in questions] == [1, 2, 4, 5, 6]  # line 3 is blank and skipped
    assert questions[0] == EvalQuestion(
        id="bridge",
        question="What did the council of Riverton approve?",
        answers=("a new bridge", "new public library"),
        speaker="none",
        unanswerable=False,
        line=1,
    )
    assert questions[3].speaker is None
    assert questions[4].unanswerable
    assert questions[4].answers == ()


def test_csv_with_the_same_columns_loads_the_same_questions(
    questions: tuple[EvalQuestion, ...],
) -> None:
    from_csv = load_questions(DATA / "questions.csv")

    def without_line(q: EvalQuestion) -> tuple[object, ...]:
        return (q.id, q.question, q.answers, q.speaker, q.unanswerable)

    assert [without_line(q) for q in from_csv] == [without_line(q) for q in questions]
    assert [q.line for q in from_csv] == [2, 3, 4, 5, 6]


def test_csv_line_numbers_count_quoted_cells_that_span_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "set.csv",
        'id,question,answers\nq1,"two\nline question",bridge\nq2,"",bridge\n',
    )
    with pytest.raises(QuestionSetError, match=r"set\.csv line 4: 'question' must be a non-empty"):
        load_questions(path)


def test_a_file_of_unknown_extension_is_recognised_by_its_content(tmp_path: Path) -> None:
    as_jsonl = write(tmp_path, "set.txt", jsonl(GOOD))
    as_csv = write(tmp_path, "set.data", "id,question,answers\nq1,Who?,bridge\n")
    assert load_questions(as_jsonl)[0].answers == ("bridge",)
    assert load_questions(as_csv)[0].answers == ("bridge",)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{not json"], r"line 2: not valid JSON \(.*\); expected one JSON object per line"),
        (['["q2", "Who?"]'], r"line 2: expected a JSON object .* got a JSON list"),
        ([{"id": "q2", "question": "Who?", "answers": "bridge"}], r"line 2: 'answers' must be"),
        ([{"id": "q2", "question": "Who?", "answers": []}], r"line 2: 'answers' must be a non-"),
        ([{"id": "q2", "question": "Who?"}], r"line 2: 'answers' must be a non-empty list"),
        ([{"id": "q2", "question": "Who?", "answers": [3]}], r"line 2: 'answers' must be"),
        ([{"id": "q2", "question": "Who?", "answers": [" "]}], r"line 2: 'answers' must be"),
        ([{"id": "q2", "question": "", "answers": ["x"]}], r"line 2: 'question' must be"),
        ([{"id": "q2", "question": " \t", "answers": ["x"]}], r"line 2: 'question' must be"),
        ([{"id": "q2", "question": 7, "answers": ["x"]}], r"line 2: 'question' must be"),
        ([{"question": "Who?", "answers": ["x"]}], r"line 2: 'id' must be a non-empty string"),
        ([{"id": "", "question": "Who?", "answers": ["x"]}], r"line 2: 'id' must be"),
        (
            [{"id": "q2", "question": "Who?", "answers": ["x"], "unanswerable": "yes"}],
            r"line 2: 'unanswerable' must be true or false, got 'yes'",
        ),
        (
            [{"id": "q2", "question": "Who?", "answers": ["x"], "unanswerable": True}],
            r"line 2: an unanswerable question must not list answers",
        ),
        (
            [{"id": "q2", "question": "Who?", "unanswerable": True, "speaker": "Ortiz"}],
            r"line 2: an unanswerable question has no expected speaker",
        ),
        (
            [{"id": "q2", "question": "Who?", "answers": ["x"], "speaker": 5}],
            r"line 2: 'speaker' must be a name or \"none\", got 5",
        ),
        ([GOOD], r"line 2: duplicate id 'q1' \(first used on line 1\)"),
    ],
)
def test_a_malformed_line_is_reported_by_number_in_one_line(
    tmp_path: Path, lines: list[object], message: str
) -> None:
    content = json.dumps(GOOD) + "\n" + "".join(
        (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines
    )
    path = write(tmp_path, "questions.jsonl", content)
    with pytest.raises(QuestionSetError, match=r"^.*questions\.jsonl " + message) as caught:
        load_questions(path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.jsonl", "", r"empty\.jsonl: the question set is empty"),
        ("blank.jsonl", "\n  \n", r"blank\.jsonl: the question set is empty"),
        ("latin1.jsonl", b'{"id": "q1", "question": "caf\xe9?"}\n', r"not UTF-8 text"),
        ("binary.jsonl", b"\x00\x01\x02{", r"looks like a binary file"),
        ("prose.txt", "Just some notes about questions.\n", r"prose\.txt: not a question set"),
        ("header.csv", "id,question,answers\n", r"header\.csv: .* header but no questions"),
        ("cols.csv", "name,text\nq1,Who?\n", r"cols\.csv line 1: CSV header lacks .*id, question"),
        (
            "flag.csv",
            "id,question,answers,unanswerable\nq1,Who?,x,maybe\n",
            r"flag\.csv line 2: 'unanswerable' must be true or false, got 'maybe'",
        ),
        (
            "wide.csv",
            "id,question,answers\nq1,Who?,x,extra\n",
            r"wide\.csv line 2: more cells than header columns",
        ),
        (
            "list.csv",
            'id,question,answers\nq1,Who?,"[""x"""\n',
            r"list\.csv line 2: 'answers' looks like a JSON list but is not valid JSON",
        ),
    ],
)
def test_unusable_files_raise_question_set_error(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(QuestionSetError, match=message) as caught:
        load_questions(path)
    assert "\n" not in str(caught.value)


def test_missing_file_and_directory_raise_question_set_error(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match=r"nope\.jsonl: no such question-set file"):
        load_questions(tmp_path / "nope.jsonl")
    with pytest.raises(QuestionSetError, match=r"is a directory"):
        load_questions(tmp_path)


# --------------------------------------------------------------------------- metrics


def test_relevance_ignores_case_and_runs_of_whitespace() -> None:
    text = 'He said "We will need\n  deep piles," calmly.'
    assert is_relevant(text, ["WE WILL NEED DEEP PILES"])
    assert is_relevant(text, ["nothing here", "deep   piles"])
    assert not is_relevant(text, ["shallow piles"])
    assert not is_relevant(text, [])


def test_recall_is_whether_any_of_the_top_k_is_relevant() -> None:
    ranking = [False, False, True, False]
    assert [recall_at(ranking, k) for k in (1, 2, 3, 5)] == [0.0, 0.0, 1.0, 1.0]
    assert recall_at([], 5) == 0.0


def test_reciprocal_rank_counts_only_the_first_relevant_within_the_cutoff() -> None:
    assert reciprocal_rank([True, True], 10) == 1.0
    assert reciprocal_rank([False, False, False, True, True], 10) == 0.25
    assert reciprocal_rank([False] * 10 + [True], 10) == 0.0
    assert reciprocal_rank([False, False, True], 2) == 0.0


def test_ndcg_hand_computed_cases() -> None:
    # Hits at ranks 2 and 4; three relevant passages in the article.
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at([False, True, False, True], 10, 3) == pytest.approx(dcg / ideal)
    assert ndcg_at([False, True, False, True], 10, 3) == pytest.approx(0.498189, abs=1e-6)
    # The ideal is capped at k: two hits in two slots is perfect however many exist.
    assert ndcg_at([True, True], 2, 5) == 1.0
    # A relevant passage beyond the cutoff earns nothing.
    assert ndcg_at([False, False, True], 2, 1) == 0.0
    assert ndcg_at([False, False], 10, 0) == 0.0
    # Retrieving only one of two relevant passages, at rank 1, is not perfect.
    assert ndcg_at([True, False], 10, 2) == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_cutoffs_below_one_are_rejected() -> None:
    for metric in (recall_at, reciprocal_rank):
        with pytest.raises(ValueError, match="at least 1"):
            metric([True], 0)
    with pytest.raises(ValueError, match="at least 1"):
        ndcg_at([True], 0, 1)


def _ir_measures_scores(
    rankings: Mapping[str, tuple[Sequence[bool], int]],
) -> dict[str, dict[str, float]]:
    """Per-query Success@1/3/5, RR@10 and nDCG@10 from ir-measures (pytrec_eval)."""
    qrels, run = [], []
    for query, (relevance, n_relevant) in rankings.items():
        retrieved_hits = 0
        for rank, hit in enumerate(relevance, start=1):
            run.append(ir_measures.ScoredDoc(query, f"d{rank}", float(len(relevance) - rank)))
            if hit:
                retrieved_hits += 1
                qrels.append(ir_measures.Qrel(query, f"d{rank}", 1))
        # Relevant passages that the ranking missed still count towards the ideal DCG.
        for extra in range(n_relevant - retrieved_hits):
            qrels.append(ir_measures.Qrel(query, f"missed{extra}", 1))
    measures = [Success @ 1, Success @ 3, Success @ 5, RR @ 10, nDCG @ 10]
    scores: dict[str, dict[str, float]] = {query: {} for query in rankings}
    for metric in ir_measures.iter_calc(measures, qrels, run):
        scores[metric.query_id][str(metric.measure)] = metric.value
    return scores


def _ours(relevance: Sequence[bool], n_relevant: int) -> dict[str, float]:
    return {
        "Success@1": recall_at(relevance, 1),
        "Success@3": recall_at(relevance, 3),
        "Success@5": recall_at(relevance, 5),
        "RR@10": reciprocal_rank(relevance, 10),
        "nDCG@10": ndcg_at(relevance, 10, n_relevant),
    }


HAND_MADE: dict[str, tuple[list[bool], int]] = {
    "first": ([True, False, False, False, False], 1),
    "second_of_two": ([False, True, False, False, True], 2),
    "missed_some": ([False, False, True, False, False, False], 4),
    "all_relevant": ([True, True, True], 3),
    "rank_ten": ([False] * 9 + [True], 1),
    "beyond_ten": ([False] * 10 + [True, True], 2),
    "nothing_found": ([False, False, False], 2),
    "many_exist": ([True, False, True] + [False] * 9, 15),
}


def test_metrics_agree_with_ir_measures_on_hand_made_rankings() -> None:
    reference = _ir_measures_scores(HAND_MADE)
    for query, (relevance, n_relevant) in HAND_MADE.items():
        ours = _ours(relevance, n_relevant)
        assert ours == pytest.approx(reference[query], abs=1e-9), query


@settings(max_examples=60, deadline=None)
@given(
    relevance=st.lists(st.booleans(), min_size=1, max_size=14),
    extra_relevant=st.integers(min_value=0, max_value=6),
)
def test_metrics_agree_with_ir_measures_on_any_ranking(
    relevance: list[bool], extra_relevant: int
) -> None:
    n_relevant = sum(relevance) + extra_relevant
    if n_relevant == 0:
        n_relevant = 1  # trec_eval ignores queries without a relevant document
    reference = _ir_measures_scores({"q": (relevance, n_relevant)})["q"]
    assert _ours(relevance, n_relevant) == pytest.approx(reference, abs=1e-9)


# --------------------------------------------------------------------------- evaluate

SCRIPT = {
    "What did the council of Riverton approve?": [2, 1, 3, 4, 5],
    "What will the bridge do to commuting times?": [2, 1, 3, 4, 5],
    "When will construction start?": [1, 2, 4, 5, 3],
    "Why does the river bed need deep piles?": [5, 1, 2, 3],
    "How much will the bridge cost?": [5, 1],
}
DECLINES = frozenset({"Why does the river bed need deep piles?", "How much will the bridge cost?"})


def test_report_of_a_scripted_run_matches_hand_computed_values(
    questions: tuple[EvalQuestion, ...],
) -> None:
    pipeline = ScriptedPipeline(fixture_passages(), SCRIPT, DECLINES)
    report, results = evaluate(pipeline, questions)

    # bridge: hits at 2 and 5 (paragraphs 1 and 5 both relevant); commute: hit at 1;
    # start: hit at 5; piles: its paragraph is never returned (and it is declined).
    bridge_ndcg = (1 / math.log2(3) + 1 / math.log2(6)) / (1 + 1 / math.log2(3))
    assert report.n_answerable == 4
    assert report.recall_at_1 == pytest.approx(1 / 4)
    assert report.recall_at_3 == pytest.approx(2 / 4)
    assert report.recall_at_5 == pytest.approx(3 / 4)
    assert report.mrr_at_10 == pytest.approx((1 / 2 + 1 + 1 / 5 + 0) / 4)
    assert report.ndcg_at_10 == pytest.approx((bridge_ndcg + 1 + 1 / math.log2(6) + 0) / 4)
    # Expected speakers: bridge "none" (top is Ortiz: miss), commute Ortiz (hit),
    # start Ortiz (top is narration: miss); piles gives no speaker.
    assert report.n_with_speaker == 3
    assert report.speaker_accuracy_at_1 == pytest.approx(1 / 3)
    assert report.n_unanswerable == 1
    assert report.declined_unanswerable == 1
    assert report.wrongly_declined == 1

    by_id = {r.question.id: r for r in results}
    assert by_id["bridge"].n_relevant == 2
    assert by_id["bridge"].relevance == (False, True, False, False, True)
    assert by_id["start"].first_hit_rank == 5
    assert by_id["piles"].first_hit_rank is None
    assert [r.speaker_hit for r in results] == [False, True, False, None, None]


def test_narration_none_matches_a_passage_without_speaker_and_names_ignore_case(
    questions: tuple[EvalQuestion, ...],
) -> None:
    script = dict(SCRIPT)
    script["What did the council of Riverton approve?"] = [1, 2]
    relabelled = [
        q if q.id != "start" else EvalQuestion(q.id, q.question, q.answers, "ana  ORTIZ")
        for q in questions
    ]
    script["When will construction start?"] = [3, 1]
    _, results = evaluate(ScriptedPipeline(fixture_passages(), script), relabelled)
    by_id = {r.question.id: r for r in results}
    assert by_id["bridge"].speaker_hit is True
    assert by_id["start"].speaker_hit is True


def test_every_question_is_asked_once_after_one_warm_up_with_the_given_k_and_retriever(
    questions: tuple[EvalQuestion, ...],
) -> None:
    pipeline = OverlapPipeline(fixture_passages())
    evaluate(pipeline, questions, k=12, retriever="bm25")
    asked = [q.question for q in questions]
    assert pipeline.calls == [(asked[0], 12, "bm25")] + [(q, 12, "bm25") for q in asked]


def test_evaluate_agrees_with_ir_measures_over_the_whole_fixture_set(
    questions: tuple[EvalQuestion, ...],
) -> None:
    pipeline = OverlapPipeline(fixture_passages())
    report, results = evaluate(pipeline, questions)

    qrels = [
        ir_measures.Qrel(q.id, str(p.id), 1)
        for q in questions
        if not q.unanswerable
        for p in pipeline.passages
        if is_relevant(p.text, q.answers)
    ]
    by_paragraph = {p.paragraph: p.id for p in pipeline.passages}
    run = [
        ir_measures.ScoredDoc(r.question.id, str(by_paragraph[hit.paragraph]), -float(hit.rank))
        for r in results
        if not r.question.unanswerable
        for hit in r.passages
    ]
    reference = ir_measures.calc_aggregate(
        [Success @ 1, Success @ 3, Success @ 5, RR @ 10, nDCG @ 10], qrels, run
    )
    assert report.recall_at_1 == pytest.approx(reference[Success @ 1])
    assert report.recall_at_3 == pytest.approx(reference[Success @ 3])
    assert report.recall_at_5 == pytest.approx(reference[Success @ 5])
    assert report.mrr_at_10 == pytest.approx(reference[RR @ 10])
    assert report.ndcg_at_10 == pytest.approx(reference[nDCG @ 10])
    # The overlap fake finds every fixture answer in its top 3.
    assert report.recall_at_3 == 1.0


def test_a_question_whose_answers_are_not_in_the_article_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "q.jsonl",
        jsonl(GOOD, {"id": "stray", "question": "Population?", "answers": ["ten million"]}),
    )
    pipeline = OverlapPipeline(fixture_passages())
    with pytest.raises(QuestionSetError, match=r"question 'stray' \(line 2\): none of its answers"):
        evaluate(pipeline, load_questions(path))
    assert pipeline.calls == []  # checked before any question is asked


def test_evaluate_needs_questions_and_a_depth_of_at_least_ten(
    questions: tuple[EvalQuestion, ...],
) -> None:
    pipeline = OverlapPipeline(fixture_passages())
    with pytest.raises(ValueError, match="no questions"):
        evaluate(pipeline, ())
    with pytest.raises(ValueError, match="at least 10"):
        evaluate(pipeline, questions, k=5)


def test_json_report_has_exactly_the_documented_keys(questions: tuple[EvalQuestion, ...]) -> None:
    report, _ = evaluate(OverlapPipeline(fixture_passages()), questions)
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) == JSON_KEYS
    assert set(data["latency_ms"]) == {"p50", "p95"}
    assert 0 <= data["latency_ms"]["p50"] <= data["latency_ms"]["p95"]
    assert data["n_answerable"] == 4 and data["n_unanswerable"] == 1


def _result(question_id: str, latency_ms: float, *, unanswerable: bool = False) -> QuestionResult:
    answers = () if unanswerable else ("x",)
    question = EvalQuestion(question_id, "?", answers, None, unanswerable)
    return QuestionResult(question, not unanswerable, (), 1, latency_ms)


def test_latency_percentiles_interpolate_between_ranks() -> None:
    report = summarise([_result(f"q{n}", float(n)) for n in range(20, 0, -1)])
    assert report.latency_p50_ms == pytest.approx(10.5)
    assert report.latency_p95_ms == pytest.approx(19.05)
    single = summarise([_result("q", 7.0)])
    assert (single.latency_p50_ms, single.latency_p95_ms) == (7.0, 7.0)


def test_rates_without_questions_to_count_are_none_and_shown_as_n_a() -> None:
    report = summarise([_result("u1", 1.0, unanswerable=True)])
    assert report.n_answerable == 0
    assert report.recall_at_1 is None and report.ndcg_at_10 is None
    assert report.speaker_accuracy_at_1 is None
    assert (report.n_unanswerable, report.declined_unanswerable) == (1, 1)
    assert re.search(r"recall@1\s+n/a", format_report(report))


def test_details_file_has_one_json_line_per_question_with_ranked_hits(
    tmp_path: Path, questions: tuple[EvalQuestion, ...]
) -> None:
    pipeline = ScriptedPipeline(fixture_passages(), SCRIPT, DECLINES)
    _, results = evaluate(pipeline, questions)
    path = tmp_path / "details.jsonl"
    path.write_text("old content\n", encoding="utf-8")
    write_details(results, path)

    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [q.id for q in questions]
    start = lines[2]
    assert start["answered"] is True and start["first_hit_rank"] == 5
    assert start["passages"][0] == {
        "rank": 1,
        "paragraph": 1,
        "article": "article.txt",
        "score": 1.0,
        "speaker": None,
        "kind": "narration",
        "hit": False,
    }
    assert start["passages"][4]["hit"] is True
    assert start["passages"][4]["speaker"] == "Ana Ortiz"
    assert lines[4]["unanswerable"] is True and lines[4]["answered"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["details.jsonl"]  # no temp file left


def test_details_to_an_impossible_path_is_a_qa_error(tmp_path: Path) -> None:
    result = _result("q", 1.0)
    with pytest.raises(QAError, match=r"cannot write the details file"):
        write_details([result], tmp_path / "missing" / "details.jsonl")


def test_readable_report_lists_every_metric_with_its_value() -> None:
    report = Report(4, 0.25, 0.5, 0.75, 0.425, 0.5, 3, 1 / 3, 1, 1, 1, 12.34, 56.78)
    text = format_report(report)
    for label, value in [
        ("recall@1", "0.250"),
        ("recall@3", "0.500"),
        ("recall@5", "0.750"),
        ("MRR@10", "0.425"),
        ("nDCG@10", "0.500"),
        ("speaker accuracy@1", "0.333"),
        ("declined unanswerable", "1 / 1"),
        ("wrongly declined", "1 / 4"),
        ("latency p50 (ms, warm)", "12.3"),
        ("latency p95 (ms, warm)", "56.8"),
    ]:
        assert re.search(rf"^{re.escape(label)}\s+{re.escape(value)}$", text, re.M), label


def test_compare_runs_each_retriever_and_prints_them_side_by_side(
    questions: tuple[EvalQuestion, ...],
) -> None:
    pipeline = OverlapPipeline(fixture_passages())
    reports = compare(pipeline, questions)
    assert list(reports) == list(COMPARED_RETRIEVERS) == ["hybrid", "dense", "bm25"]
    assert [call[2] for call in pipeline.calls] == [
        name for name in COMPARED_RETRIEVERS for _ in range(len(questions) + 1)
    ]

    table = format_comparison(reports).splitlines()
    assert table[0].split() == ["metric", "hybrid", "dense", "bm25"]
    recall_row = next(line for line in table if line.startswith("recall@3"))
    assert recall_row.split() == ["recall@3", "1.000", "1.000", "1.000"]


def test_passage_hit_rounds_scores_in_its_dict() -> None:
    hit = PassageHit(1, 2, "a.txt", 0.123456789, "Ana Ortiz", "direct", True)
    assert hit.to_dict()["score"] == 0.123457
