"""The public surface, ``qa.answer``, and the pipeline with the real model: on a small article
written for these tests (``tests/data/pipeline/reservoir.txt``), on the default article where
the point is that the default works, and on SQuAD articles no model was fitted on."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import qa
from qa.answering.pipeline import Pipeline
from qa.core.config import Config
from qa.evaluation import Report, evaluate, load_questions

pytestmark = pytest.mark.model

RESERVOIR = Path(__file__).parent / "data" / "pipeline" / "reservoir.txt"


def test_public_surface_is_pinned() -> None:
    assert qa.__all__ == sorted(qa.__all__, key=lambda n: (not n[0].isupper(), n))
    assert set(qa.__all__) == {
        "Answer", "Article", "ArticleError", "Conversation", "IndexMismatchError", "Kind",
        "Passage", "Person", "Pipeline", "QAError", "Quote", "QuestionError", "QuestionSetError",
        "RankedPassage", "Span", "Speaker", "WeightsMismatchError", "answer", "conversation",
    }


def test_importing_qa_loads_no_heavy_library() -> None:
    code = (
        "import sys, qa, qa.answering.pipeline, qa.cli, qa.evaluation, qa.passages.attribution; "
        "heavy = {'torch', 'sentence_transformers', 'faiss', 'gradio', 'transformers'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_answer_on_the_default_article_returns_ranked_attributed_passages() -> None:
    """The default works: ``qa.answer`` with no article answers from the shipped one."""
    result = qa.answer("What did the director say about research?")
    assert [p.rank for p in result.passages] == [1, 2, 3]
    for ranked in result.passages:
        assert ranked.kind in {"direct", "indirect", "narration"}
        assert (ranked.speaker is None) == (ranked.kind == "narration")
        assert ranked.start <= ranked.highlight.start < ranked.highlight.end <= ranked.end
    assert result.reply


def test_answer_reads_the_article_it_is_given() -> None:
    result = qa.answer("What did Omar Haddad say about night shifts?", article=RESERVOIR)
    top = result.passages[0]
    assert result.answered
    assert top.speaker is not None and top.speaker.name == "Omar Haddad"
    assert "night shifts" in top.highlight.text


def test_the_default_pipeline_is_built_once_and_reused() -> None:
    from qa.answering.pipeline import default_pipeline

    assert default_pipeline() is default_pipeline()


@pytest.fixture(scope="module")
def reservoir(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """The real pipeline (real model) over a small article written for these tests."""
    cache = tmp_path_factory.mktemp("pipeline-cache")
    return Pipeline.build(RESERVOIR, config=Config.from_env(cache_dir=cache))


def test_a_question_naming_a_person_returns_a_passage_where_that_person_speaks(
    reservoir: Pipeline,
) -> None:
    # "night shifts" occurs only in Haddad's quote; the other speakers talk about other things.
    result = reservoir.answer("What did Omar Haddad say about night shifts?")
    top = result.passages[0]
    assert result.answered
    assert top.speaker is not None and top.speaker.name == "Omar Haddad"
    assert top.kind == "direct"


def test_who_is_question_names_the_person_and_their_title(reservoir: Pipeline) -> None:
    result = reservoir.answer("Who is the director of the Marlow Valley Water Board?")
    assert result.answered
    assert result.reply.startswith("Irene Castell, director of the Marlow Valley Water Board")
    top = result.passages[0]
    assert top.speaker is not None and top.speaker.name == "Irene Castell"


def test_who_said_question_names_the_speaker_of_the_quote(reservoir: Pipeline) -> None:
    result = reservoir.answer("Who said the reservoir would be full by August?")
    assert result.answered
    assert result.reply.startswith("Irene Castell, director of the Marlow Valley Water Board")
    top = result.passages[0]
    assert top.speaker is not None and top.speaker.name == "Irene Castell"
    assert "full again by August" in top.passage.text


def test_a_speaker_named_by_title_only_gets_their_passages(reservoir: Pipeline) -> None:
    # The leaks are also the narrator's subject (paragraph 2); the title picks the hydrologist.
    result = reservoir.answer("What did the hydrologist say about the leaks?")
    assert result.answered
    assert result.passages[0].speaker is not None
    assert result.passages[0].speaker.name == "Lena Brandt"


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Ashgrove?",
        "Who is the mayor of Ashgrove?",
        "What did the president have for breakfast?",
        "What is the capital of France?",
        "What is the recipe for chocolate cake?",
    ],
)
def test_questions_the_article_does_not_answer_are_declined(
    reservoir: Pipeline, question: str
) -> None:
    result = reservoir.answer(question)
    assert not result.answered
    assert "does not seem to answer" in result.reply
    assert result.passages  # the closest passages are still shown


def test_a_question_about_someone_or_something_never_mentioned_says_what_is_missing(
    reservoir: Pipeline,
) -> None:
    governor = reservoir.answer("What did the governor say about the dam?")
    assert not governor.answered
    assert 'never mentions "governor"' in governor.reply
    tractors = reservoir.answer("How many tractors did the farms buy?")
    assert not tractors.answered
    assert 'never mentions "tractors"' in tractors.reply
    # The same shapes about what the article does contain are answered.
    assert reservoir.answer("What did the board director say about the reservoir?").answered
    assert reservoir.answer("How many kilometres of pipes will be replaced?").answered


def test_the_highlight_lies_inside_its_passage(reservoir: Pipeline) -> None:
    for passage in reservoir.answer("What will the board replace?", k=5).passages:
        assert passage.start <= passage.highlight.start < passage.highlight.end <= passage.end
        assert passage.highlight.text == reservoir.corpus.articles[0].text[
            passage.highlight.start : passage.highlight.end
        ]


def test_who_said_something_only_the_narrator_says_is_declined(reservoir: Pipeline) -> None:
    # The building year is narration (paragraph 2): nobody is quoted saying it.
    result = reservoir.answer("Who said the reservoir was built in 1962?")
    assert not result.answered
    assert "nobody in it is quoted" in result.reply
    assert result.confidence is not None and 0.0 <= result.confidence <= 1.0


def test_confidence_is_a_probability_and_higher_for_answered_questions(
    reservoir: Pipeline,
) -> None:
    answered = reservoir.answer("How many kilometres of pipes will be replaced?")
    declined = reservoir.answer("What is the capital of France?")
    assert answered.answered and not declined.answered
    assert answered.confidence is not None and declined.confidence is not None
    assert 0.0 <= declined.confidence < answered.confidence <= 1.0
    assert reservoir.answer("corroded pipes", retriever="bm25").confidence is None


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


def test_chat_spellings_are_searched_written_out(reservoir: Pipeline) -> None:
    typed = reservoir.answer("and wat did castell say abt the pipes?")
    written = reservoir.answer("and what did castell say about the pipes?")
    assert typed.question == "and wat did castell say abt the pipes?"  # kept as typed
    assert typed.answered and written.answered
    assert [p.passage.id for p in typed.passages] == [p.passage.id for p in written.passages]
    assert typed.passages[0].speaker is not None
    assert typed.passages[0].speaker.name == "Irene Castell"


def test_what_did_someone_say_is_on_topic_when_they_speak_in_the_top_passage(
    reservoir: Pipeline,
) -> None:
    """A question with no words beyond its speaker misses nothing the top passage could hold."""
    answer, evidence = reservoir.answer_with_evidence("What did Lena Brandt say?")
    assert answer.answered and answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Lena Brandt"
    assert evidence.coverage == 1.0 and evidence.entities_missing == 0.0
    assert reservoir.decline.broken_rule(evidence) is None


def test_typos_of_the_articles_words_are_searched_corrected(reservoir: Pipeline) -> None:
    typed = reservoir.answer("wat did the hydrologst say abt the aquifr?")
    written = reservoir.answer("What did the hydrologist say about the aquifer?")
    assert typed.question == "wat did the hydrologst say abt the aquifr?"
    assert typed.answered
    assert [p.passage.id for p in typed.passages] == [p.passage.id for p in written.passages]
    assert typed.passages[0].speaker is not None
    assert typed.passages[0].speaker.name == "Lena Brandt"


def test_a_mistyped_question_about_the_article_itself_is_understood(
    reservoir: Pipeline,
) -> None:
    """ "artcle" is corrected although the article never says "article"; the answer keeps
    the question as typed."""
    answer = reservoir.answer("wat is the artcle about?")
    assert answer.question == "wat is the artcle about?"
    assert answer.answered
    assert answer.reply == reservoir.answer("What is the article about?").reply
    assert "Marlow Valley water board approves reservoir repairs" in answer.reply


# -- the reply line (tests/data/replies/) ---------------------------------------------------

REPLIES = Path(__file__).parent / "data" / "replies"


def _reply_to(question: str, sentence: str, speaker: str | None, kind: str = "indirect") -> str:
    from qa.answering.reply import compose_reply
    from qa.core.types import Passage, RankedPassage, Span, Speaker

    passage = Passage(
        0, "story.txt", 3, 0, len(sentence), sentence,
        Speaker(speaker) if speaker else None, kind,  # type: ignore[arg-type]
    )
    ranked = RankedPassage(1, 1.0, passage, Span(0, len(sentence), sentence))
    return compose_reply(question, [ranked], True, [])


def test_a_long_reply_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    from qa.answering.reply import MAX_REPLY_CHARS

    sentence = (
        "The board will spend the money on laboratories, training and grants, and "
        "it will set aside a further share of the budget for the development of new "
        "materials, for the modernisation of the city's older research institutes and for "
        "the development of small companies that turn research into products for the "
        "market over the next ten years."
    )
    reply = _reply_to("What will the money be spent on?", sentence, "Luo Dajin")
    assert len(reply) <= MAX_REPLY_CHARS
    assert reply.endswith("\u2026")
    cut = reply.removesuffix("\u2026")
    # The last word shown is a whole word of the sentence, not "devel" or "moderni".
    assert cut.split()[-1].strip(",") in sentence.replace(",", " ").split()
    assert sentence.startswith(cut.split(": ", 1)[1])


def test_a_reply_starts_with_a_capital_when_the_speaker_is_named_in_lower_case() -> None:
    reply = _reply_to(
        "What did the port authority say about the terminal?",
        "The terminal will be finished soon, the port authority said.",
        "the port authority",
    )
    assert reply.startswith("The port authority (reported speech, paragraph 3): ")


def test_when_something_will_finish_is_answered_by_its_deadline(tmp_path: Path) -> None:
    from conftest import FakeEncoder

    from qa.ingest import load_article

    harbour = Pipeline.build(
        load_article(REPLIES / "harbour.txt"), config=Config.from_env(cache_dir=tmp_path),
        encoder=FakeEncoder(),
    )
    # The sentence also holds 2019, when the authority took over the terminal: the deadline
    # on "finish" is the answer.
    answer = harbour.answer("When will construction finish?")
    assert answer.answered
    assert answer.short is not None and answer.short.text == "by 2028"
    assert answer.reply.startswith("By 2028. ")
    # The speaker the article names in lower case ("the port authority") opens a sentence.
    assert answer.reply.removeprefix("By 2028. ")[0].isupper()


def test_reported_speech_with_a_short_quoted_phrase_is_labelled_reported_speech() -> None:
    from qa.passages.corpus import build_corpus

    corpus = build_corpus(REPLIES / "harbour.txt")
    kinds = {p.paragraph: (p.speaker.name if p.speaker else None, p.kind) for p in corpus.passages}
    # '... said the dredging had gone smoothly and that crews were ahead ..., calling the
    # progress "very encouraging".': two quoted words in a reported sentence.
    assert kinds[4] == ("Xu Feng", "indirect")
    # Whole quoted sentences stay direct quotes, with or without reported speech beside them.
    assert kinds[5] == ("Xu Feng", "direct")
    assert kinds[6] == ("Elena Brooks", "direct")
    # The quote itself is still found: only the passage's label changed.
    from qa.ingest import load_article
    from qa.passages.attribution import attribute

    quotes = attribute(load_article(REPLIES / "harbour.txt")).quotes
    assert ("direct", '"very encouraging"') in [(q.kind, q.text) for q in quotes]
