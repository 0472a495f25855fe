"""The public surface: ``qa.answer`` and the pipeline on the real seed article and model."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import qa
from qa.answering.pipeline import Pipeline
from qa.evaluate import Report, evaluate, load_questions

pytestmark = pytest.mark.model


def test_public_surface_is_pinned() -> None:
    assert qa.__all__ == sorted(qa.__all__, key=lambda n: (not n[0].isupper(), n))
    assert set(qa.__all__) == {
        "Answer", "Article", "ArticleError", "Conversation", "IndexMismatchError", "Kind",
        "Passage", "Person", "Pipeline", "QAError", "Quote", "QuestionError", "QuestionSetError",
        "RankedPassage", "Span", "Speaker", "WeightsMismatchError", "answer", "conversation",
    }


def test_importing_qa_loads_no_heavy_library() -> None:
    code = (
        "import sys, qa, qa.answering.pipeline, qa.cli, qa.evaluate, qa.passages.attribution; "
        "heavy = {'torch', 'sentence_transformers', 'faiss', 'gradio', 'transformers'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_answer_returns_luo_dajins_paragraph_for_the_leading_industries() -> None:
    result = qa.answer("What are the three leading industries?")
    top = result.passages[0]
    assert result.answered
    assert (top.paragraph, top.kind) == (20, "direct")
    assert top.speaker is not None and top.speaker.name == "Luo Dajin"
    assert "integrated circuits" in top.highlight.text
    assert [p.rank for p in result.passages] == [1, 2, 3]


def test_the_default_pipeline_is_built_once_and_reused() -> None:
    from qa.answering.pipeline import default_pipeline

    assert default_pipeline() is default_pipeline()


def test_who_is_question_names_the_speaker_and_title(seed_pipeline: Pipeline) -> None:
    result = seed_pipeline.answer(
        "Who is the director of the Shanghai Science and Technology Commission?"
    )
    assert result.reply.startswith(
        "Luo Dajin, director of the Shanghai Science and Technology Commission"
    )
    assert result.passages[0].paragraph == 12


def test_who_said_question_names_the_speaker_of_the_quote(seed_pipeline: Pipeline) -> None:
    result = seed_pipeline.answer("Who said the explorer program would be expanded?")
    assert result.reply.startswith("Luo Dajin")
    assert result.passages[0].paragraph == 19


def test_a_speaker_named_by_title_only_gets_their_passages(seed_pipeline: Pipeline) -> None:
    result = seed_pipeline.answer(
        "What did the Party's science chief say about how researchers are assessed?"
    )
    assert result.passages[0].paragraph == 10
    assert result.passages[0].speaker is not None
    assert result.passages[0].speaker.name == "Xu Feng"


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Shanghai?",
        "Who is the mayor of Shanghai?",
        "How many national laboratories does Shanghai have?",
        "What did the president have for breakfast?",
        "What is the capital of France?",
    ],
)
def test_questions_the_article_does_not_answer_are_declined(
    seed_pipeline: Pipeline, question: str
) -> None:
    result = seed_pipeline.answer(question)
    assert not result.answered
    assert "does not seem to answer" in result.reply
    assert result.passages  # the closest passages are still shown


def test_a_question_about_someone_or_something_never_mentioned_says_what_is_missing(
    seed_pipeline: Pipeline,
) -> None:
    governor = seed_pipeline.answer("What did the state governor say about Xi's visit?")
    assert not governor.answered
    assert 'never mentions "governor"' in governor.reply
    robots = seed_pipeline.answer("How many robots were on show at the exhibition?")
    assert not robots.answered
    assert 'never mentions "robots"' in robots.reply
    # The same shapes about what the article does contain are answered.
    assert seed_pipeline.answer("What did the commission director say about industries?").answered
    assert seed_pipeline.answer("How many leading industries are there?").answered


def test_the_highlight_lies_inside_its_passage(seed_pipeline: Pipeline) -> None:
    for passage in seed_pipeline.answer("What will leading technology companies do?", k=5).passages:
        assert passage.start <= passage.highlight.start < passage.highlight.end <= passage.end


def test_who_said_something_nobody_in_the_article_says_is_declined(
    seed_pipeline: Pipeline,
) -> None:
    result = seed_pipeline.answer("Who said that basic research is the source of innovation?")
    assert not result.answered
    assert "nobody in it is quoted" in result.reply
    assert result.confidence is not None and 0.0 <= result.confidence <= 1.0


def test_confidence_is_a_probability_and_higher_for_answered_questions(
    seed_pipeline: Pipeline,
) -> None:
    answered = seed_pipeline.answer("What are the three leading industries?")
    declined = seed_pipeline.answer("What is the capital of France?")
    assert answered.confidence is not None and declined.confidence is not None
    assert 0.0 <= declined.confidence < answered.confidence <= 1.0
    assert seed_pipeline.answer("leading industries", retriever="bm25").confidence is None


SQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "squad2-dev-sample"
#: Two of the five SQuAD 2.0 articles benchmarks/fit_fusion.py never fits on (its check split).
CHECK_ARTICLES = ["normans", "sky-united-kingdom"]
# Floors a little under what these two articles measure (pooled recall@1 0.902, recall@3
# 0.988; 2.9% of answerable and 12.3% of unanswerable questions declined; the whole check
# split is in the README via benchmarks/squad_eval.py): a guard on unseen data, not a target.
RECALL_FLOOR = 0.87
RECALL_3_FLOOR = 0.96
WRONGLY_DECLINED_CEILING = 0.06
UNANSWERABLE_DECLINED_FLOOR = 0.08


@pytest.fixture(scope="module")
def check_reports() -> dict[str, Report]:
    return {
        name: evaluate(
            Pipeline.build(SQUAD / f"{name}.txt"), load_questions(SQUAD / f"{name}.jsonl"), k=10
        )[0]
        for name in CHECK_ARTICLES
    }


def test_ranking_holds_on_articles_the_models_were_not_fitted_on(
    check_reports: dict[str, Report],
) -> None:
    """A floor under generalisation, on data no weight or threshold was chosen on."""
    reports = check_reports.values()
    answerable = sum(r.n_answerable for r in reports)

    def pooled(rate: Callable[[Report], float | None]) -> float:
        return sum((rate(r) or 0.0) * r.n_answerable for r in reports) / answerable

    assert pooled(lambda r: r.recall_at_1) >= RECALL_FLOOR
    assert pooled(lambda r: r.recall_at_3) >= RECALL_3_FLOOR


def test_declining_separates_unanswerable_from_answerable_questions_not_fitted_on(
    check_reports: dict[str, Report],
) -> None:
    answerable = sum(r.n_answerable for r in check_reports.values())
    unanswerable = sum(r.n_unanswerable for r in check_reports.values())
    wrongly = sum(r.wrongly_declined for r in check_reports.values())
    declined = sum(r.declined_unanswerable for r in check_reports.values())
    assert wrongly <= WRONGLY_DECLINED_CEILING * answerable
    assert declined >= UNANSWERABLE_DECLINED_FLOOR * unanswerable


def test_chat_spellings_are_searched_written_out(seed_pipeline: Pipeline) -> None:
    typed = seed_pipeline.answer("and wat did luo say abt evaluation?")
    written = seed_pipeline.answer("and what did luo say about evaluation?")
    assert typed.question == "and wat did luo say abt evaluation?"  # kept as typed
    assert typed.answered and written.answered
    assert [p.passage.id for p in typed.passages] == [p.passage.id for p in written.passages]
    assert typed.passages[0].speaker is not None
    assert typed.passages[0].speaker.name == "Luo Dajin"


def test_what_did_someone_say_is_on_topic_when_they_speak_in_the_top_passage(
    seed_pipeline: Pipeline,
) -> None:
    """A question with no words beyond its speaker misses nothing the top passage could hold."""
    answer, evidence = seed_pipeline.answer_with_evidence("What did Xu Feng say?")
    assert answer.answered and answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Xu Feng"
    assert evidence.coverage == 1.0 and evidence.entities_missing == 0.0
    assert seed_pipeline.decline.broken_rule(evidence) is None


def test_typos_of_the_articles_words_are_searched_corrected(seed_pipeline: Pipeline) -> None:
    typed = seed_pipeline.answer("whats the 3rd priorty?")
    written = seed_pipeline.answer("What's the third priority?")
    assert typed.question == "whats the 3rd priorty?"
    assert typed.answered
    assert [p.passage.id for p in typed.passages] == [p.passage.id for p in written.passages]


def test_a_mistyped_question_about_the_article_itself_is_understood(
    seed_pipeline: Pipeline,
) -> None:
    """ "artcle" is corrected although the article never says "article"; the answer keeps
    the question as typed."""
    answer = seed_pipeline.answer("wat is the artcle about?")
    assert answer.question == "wat is the artcle about?"
    assert answer.answered
    assert answer.reply == seed_pipeline.answer("What is the article about?").reply
