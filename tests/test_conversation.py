"""Conversations: follow-up questions understood in the context of the earlier turns.

Understanding is tested through :func:`qa.dialogue.resolve` (pure: a question and a state
in, a self-contained question and ranking hints out) on a small fixture article about a
harbour wall, with named speakers, a quote over two paragraphs and three enumerated
priorities. Whole conversations, ``qa eval`` on conversation files and ``qa chat`` run on the
same article with the fast fake encoder; the seed article checks the real model end to end.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import embeddings.encoder
from qa.answering.pipeline import Pipeline
from qa.cli import main
from qa.core.errors import QuestionError, QuestionSetError
from qa.core.types import Answer, Person
from qa.dialogue import (
    MAX_HISTORY_TURNS,
    ArticleView,
    Conversation,
    DialogueState,
    Resolution,
    advance,
    resolve,
    validate_history,
)
from qa.dialogue.reply import indirect_question
from qa.evaluation import evaluate, load_questions

DATA = Path(__file__).resolve().parent / "data" / "conversation"
HARBOUR = DATA / "harbour.txt"

# Passage ids of the fixture (one passage per paragraph, paragraph = id + 1).
OLSEN_QUOTE, OLSEN_REPORTED, LANG_INTRO, LANG_STONE, LANG_COST = 1, 2, 3, 4, 5
PRIORITIES, FIRST, SECOND, THIRD, BECKER = 6, 7, 8, 9, 10


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    from conftest import FakeEncoder

    return Pipeline.build(HARBOUR, encoder=FakeEncoder())


@pytest.fixture(scope="module")
def view(pipeline: Pipeline) -> ArticleView:
    return ArticleView(pipeline.passages, pipeline.people, pipeline.retriever.match_speakers)


def person(view: ArticleView, name: str) -> Person:
    found = view.person_named(name)
    assert found is not None, name
    return found


def after(
    view: ArticleView,
    question: str,
    top: int,
    subject: str | None = None,
    shown: frozenset[int] = frozenset(),
) -> DialogueState:
    """The state after ``question`` was answered with passage ``top`` first."""
    who = person(view, subject) if subject else None
    return DialogueState(question, who, top, shown | {top})


def understood(view: ArticleView, question: str, state: DialogueState) -> Resolution:
    return resolve(question, state, view)


# -- pronouns and role references ------------------------------------------------------------


def test_a_first_question_is_asked_as_typed(view: ArticleView) -> None:
    resolution = understood(view, "What did he say?", DialogueState())
    assert resolution.resolved_question == "What did he say?"
    assert resolution.rule == "as-is" and not resolution.prefer and not resolution.demote


def test_he_names_the_person_the_previous_question_asked_about(view: ArticleView) -> None:
    state = after(view, "Who is Peter Lang?", LANG_INTRO, "Peter Lang")
    resolution = understood(view, "What did he say about the stone?", state)
    assert resolution.resolved_question == "What did Peter Lang say about the stone?"
    assert resolution.subject == person(view, "Peter Lang")


def test_his_becomes_the_possessive_of_the_name(view: ArticleView) -> None:
    state = after(view, "Who is Tom Becker?", BECKER, "Tom Becker")
    assert understood(view, "What is his title?", state).resolved_question == (
        "What is Tom Becker's title?"
    )


def test_without_a_person_asked_about_the_speaker_of_the_last_answer_is_in_focus(
    view: ArticleView, pipeline: Pipeline
) -> None:
    answer = pipeline.answer("When will the work begin?")
    assert answer.passages[0].passage.id == OLSEN_REPORTED
    resolution = understood(view, "When will the work begin?", DialogueState())
    state = advance(DialogueState(), resolution, answer, view)
    assert state.subject == person(view, "Maria Olsen")
    assert understood(view, "Why does she want to wait?", state).resolved_question == (
        "Why does Maria Olsen want to wait?"
    )


def test_the_focus_stays_on_a_person_while_the_answers_are_narration(
    view: ArticleView, pipeline: Pipeline
) -> None:
    state = after(view, "Who is Tom Becker?", BECKER, "Tom Becker")
    resolution = understood(view, "What priorities did the council list?", state)
    narration = pipeline.answer(resolution.resolved_question)
    assert narration.passages[0].speaker is None
    state = advance(state, resolution, narration, view)
    assert understood(view, "What does he want?", state).resolved_question == (
        "What does Tom Becker want?"
    )


@pytest.mark.parametrize("reference", ["this official", "the same person", "that woman"])
def test_role_references_name_the_person_in_focus(view: ArticleView, reference: str) -> None:
    state = after(view, "What did Maria Olsen say about the wall?", OLSEN_QUOTE, "Maria Olsen")
    resolution = understood(view, f"When does {reference} expect the work to begin?", state)
    assert resolution.resolved_question == "When does Maria Olsen expect the work to begin?"


def test_a_role_that_is_not_the_person_in_focus_is_left_alone(view: ArticleView) -> None:
    state = after(view, "What did Maria Olsen say about the wall?", OLSEN_QUOTE, "Maria Olsen")
    resolution = understood(view, "What did the engineer say?", state)
    assert resolution.resolved_question == "What did the engineer say?"


def test_a_pronoun_after_a_name_in_the_same_question_refers_to_that_name(
    view: ArticleView,
) -> None:
    state = after(view, "Who is Peter Lang?", LANG_INTRO, "Peter Lang")
    question = "Did Becker himself say what he wants?"
    assert understood(view, question, state).resolved_question == question


def test_a_question_that_names_its_own_subject_is_asked_as_it_stands(view: ArticleView) -> None:
    state = after(view, "Who is Peter Lang?", LANG_INTRO, "Peter Lang")
    for question in (
        "What did Maria Olsen say about the storms?",
        "Who is the chairman of the fishermen's association?",
        "When will the work on the harbour wall begin?",
        # Pronouns and "that" inside a question that says what it is about:
        "How much will it cost each year to maintain the new wall?",
        "Why do the fishermen think the works will close their harbour?",
        "Who said that the stone would come from Hollow Hill?",
        "Which boat owners would get more money?",
    ):
        resolution = understood(view, question, state)
        assert resolution.resolved_question == question
        assert resolution.rule == "as-is" and not resolution.prefer and not resolution.demote


@pytest.mark.parametrize(
    "question", ["Who wrote it?", "When was it published?", "What is it about?", "Summarise it"]
)
def test_questions_about_the_article_itself_ignore_the_person_in_focus(
    view: ArticleView, question: str
) -> None:
    state = after(view, "Who is Peter Lang?", LANG_INTRO, "Peter Lang")
    resolution = understood(view, question, state)
    assert resolution.resolved_question == question
    assert resolution.rule == "as-is" and not resolution.prefer and not resolution.demote


@pytest.mark.parametrize(
    "question", ["New question: what will the flood gate cost?", "Unrelated, but what will the "
                 "flood gate cost?"]
)
def test_a_topic_switch_drops_the_context(view: ArticleView, question: str) -> None:
    state = after(view, "Who is Peter Lang?", LANG_INTRO, "Peter Lang", frozenset({LANG_STONE}))
    resolution = understood(view, question, state)
    assert resolution.resolved_question == "What will the flood gate cost?"
    assert resolution.new_topic and not resolution.demote


# -- ellipsis ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("follow_up", "name"),
    [
        ("What about Lang?", "Peter Lang"),
        ("and Becker?", "Tom Becker"),
        ("Same question for the chief engineer", "Peter Lang"),
    ],
)
def test_ellipsis_asks_the_previous_question_about_the_new_person(
    view: ArticleView, follow_up: str, name: str
) -> None:
    state = after(view, "What did Maria Olsen say about the storms?", OLSEN_QUOTE, "Maria Olsen")
    resolution = understood(view, follow_up, state)
    assert resolution.resolved_question == f"What did {name} say about the storms?"
    assert resolution.subject == person(view, name)


def test_ellipsis_of_a_topic_keeps_the_previous_speaker(view: ArticleView) -> None:
    state = after(view, "What did Peter Lang say about the stone?", LANG_STONE, "Peter Lang")
    assert understood(view, "And about the cost?", state).resolved_question == (
        "What did Peter Lang say about the cost?"
    )


# -- more, go on ------------------------------------------------------------------------------


def test_go_on_reads_the_next_passage(view: ArticleView) -> None:
    state = after(view, "What did Peter Lang say about the stone?", LANG_STONE, "Peter Lang")
    resolution = understood(view, "go on", state)
    assert resolution.prefer == (LANG_COST,)
    assert LANG_STONE in resolution.demote


def test_what_comes_next_in_an_enumeration_is_the_next_point(view: ArticleView) -> None:
    state = after(view, "What is the first priority?", FIRST)
    assert understood(view, "What comes next?", state).prefer == (SECOND,)


def test_what_else_ranks_passages_already_shown_last(view: ArticleView) -> None:
    state = after(view, "Who is Peter Lang?", LANG_INTRO, "Peter Lang", frozenset({OLSEN_QUOTE}))
    resolution = understood(view, "What else did he say about the town?", state)
    assert resolution.resolved_question == "What did Peter Lang say about the town?"
    assert resolution.demote == {OLSEN_QUOTE, LANG_INTRO}


def test_anything_more_from_him_prefers_his_next_passage(view: ArticleView) -> None:
    state = after(view, "How much higher will the new wall be?", LANG_INTRO, "Peter Lang")
    resolution = understood(view, "anything more from him?", state)
    assert resolution.subject == person(view, "Peter Lang")
    assert resolution.prefer == (LANG_STONE,)
    assert LANG_INTRO in resolution.demote


# -- the previous answer: who said that, why, ordinals, demonstratives ------------------------


def test_who_said_that_asks_about_the_previous_answer(view: ArticleView) -> None:
    state = after(view, "How long has the wall protected the town?", OLSEN_QUOTE)
    resolution = understood(view, "Who said that?", state)
    assert resolution.prefer == (OLSEN_QUOTE,)
    assert resolution.resolved_question.startswith('Who said "The wall has protected')
    assert resolution.subject == person(view, "Maria Olsen")


def test_why_looks_at_the_previous_answer_and_its_neighbours(view: ArticleView) -> None:
    state = after(view, "What did Peter Lang say about the stone?", LANG_STONE, "Peter Lang")
    resolution = understood(view, "Why?", state)
    assert resolution.resolved_question == "Why (What did Peter Lang say about the stone)?"
    # The quote continues in the next paragraph; the intro before it is the same speaker.
    assert set(resolution.prefer) == {LANG_INTRO, LANG_STONE, LANG_COST}
    assert resolution.prefer[0] == LANG_STONE


@pytest.mark.parametrize(
    ("follow_up", "resolved", "passage"),
    [
        ("What is the first one?", "What is the first priority?", FIRST),
        ("And the last one?", "What about the third priority?", THIRD),
        ("Tell me more about the second point", "Tell me more about the second priority?",
         SECOND),
    ],
)
def test_ordinals_pick_the_enumerated_point(
    view: ArticleView, follow_up: str, resolved: str, passage: int
) -> None:
    state = after(view, "What priorities did the council list?", PRIORITIES)
    resolution = understood(view, follow_up, state)
    assert resolution.resolved_question == resolved
    assert resolution.prefer == (passage,)


def test_a_demonstrative_names_what_the_previous_answer_said(view: ArticleView) -> None:
    state = after(view, "What is the third priority?", THIRD)
    resolution = understood(view, "Why do these dunes matter?", state)
    assert resolution.resolved_question == "Why do the dunes matter?"
    assert resolution.prefer[0] == THIRD


def test_it_and_there_carry_the_previous_topic(view: ArticleView) -> None:
    state = after(view, "Where is the quarry?", LANG_STONE, "Peter Lang")
    resolution = understood(view, "What will it supply?", state)
    assert resolution.resolved_question == "What will it supply (the quarry)?"


# -- whole conversations -----------------------------------------------------------------------


def test_a_follow_up_about_a_person_gets_that_persons_words(pipeline: Pipeline) -> None:
    chat = Conversation(pipeline)
    assert chat.ask("Who is Peter Lang?").answered
    answer = chat.ask("What did he say about the stone?")
    assert answer.question == "What did he say about the stone?"
    assert answer.resolved_question == "What did Peter Lang say about the stone?"
    assert answer.passages[0].passage.id == LANG_STONE


def test_go_on_answers_with_the_next_point_whatever_the_decline_model_says(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A decline model that doubts everything: "what comes next?" has no words of its own.
    monkeypatch.setattr(type(pipeline.decline), "accepts", lambda *args, **kwargs: False)
    chat = Conversation(pipeline)
    first = chat.ask("What is the first priority for the harbour?")
    assert first.passages[0].passage.id == FIRST and not first.answered
    # The next point is the answer by construction, so it is given, not declined.
    for follow_up, point in (("what comes next?", SECOND), ("go on", THIRD)):
        answer = chat.ask(follow_up)
        assert answer.passages[0].passage.id == point
        assert answer.answered, follow_up
    # A follow-up that only says where to look ("Why?") is still the decline model's call.
    assert not chat.ask("Why?").answered


def test_a_declined_follow_up_says_whom_it_was_about(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Conversation(pipeline)
    chat.ask("Who is Peter Lang?")
    # Whether to decline is the pipeline's decision (qa.ranking.decline); here it declines.
    respond = pipeline.respond

    def declining(question: str, *args: Any, **kwargs: Any) -> tuple[Answer, Any]:
        generic = "The article does not seem to answer this."
        found, evidence = respond(question, *args, **kwargs)
        return replace(found, answered=False, reply=generic), evidence

    monkeypatch.setattr(pipeline, "respond", declining)
    assert chat.ask("Where did he study?").reply == (
        "The article does not say where Peter Lang studied; "
        "the closest passages are shown in case they help."
    )
    # A follow-up whose shape has no indirect form is quoted as understood.
    assert chat.ask("Is he married?").reply.startswith(
        'The article does not seem to answer "'
    )


@pytest.mark.parametrize(
    ("question", "indirect"),
    [
        ("Where did Peter Lang study?", "where Peter Lang studied"),
        ("When does Peter Lang retire?", "when Peter Lang retires"),
        ("How old is Peter Lang?", "how old Peter Lang is"),
        ("What did Peter Lang say about the gate?", "what Peter Lang said about the gate"),
        ("Is Peter Lang married?", None),
    ],
)
def test_declined_questions_are_restated_indirectly(
    view: ArticleView, question: str, indirect: str | None
) -> None:
    assert indirect_question(question, person(view, "Peter Lang")) == indirect


def test_turns_are_kept_in_order_and_reset_starts_over(pipeline: Pipeline) -> None:
    chat = Conversation(pipeline)
    chat.ask("Who is Peter Lang?")
    chat.ask("What did he say about the stone?")
    assert [t.question for t in chat.turns] == [
        "Who is Peter Lang?", "What did he say about the stone?"
    ]
    assert chat.turns[1].resolved_question == "What did Peter Lang say about the stone?"
    assert chat.turns[1].answer.resolved_question == chat.turns[1].resolved_question
    chat.reset()
    assert chat.turns == () and chat.state == DialogueState()
    assert chat.ask("What did he say?").resolved_question == "What did he say?"


def test_conversations_sharing_a_pipeline_never_mix(pipeline: Pipeline) -> None:
    first, second = Conversation(pipeline), Conversation(pipeline)
    first.ask("Who is Peter Lang?")
    second.ask("Who is Tom Becker?")
    assert first.ask("What did he say?").resolved_question == "What did Peter Lang say?"
    assert second.ask("What did he say?").resolved_question == "What did Tom Becker say?"


def test_a_replayed_history_understands_the_next_turn_like_the_original(
    pipeline: Pipeline,
) -> None:
    original = Conversation(pipeline)
    history = ["Who is Peter Lang?", "What did he say about the stone?"]
    for question in history:
        original.ask(question)
    replayed = Conversation.replay(pipeline, history)
    assert replayed.state == original.state
    assert replayed.ask("go on") == original.ask("go on")


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ("Who is Peter Lang?", "must be a list of earlier questions, not str"),
        ({"turns": []}, "not dict"),
        (["Who is Peter Lang?", 3], "history turn 2 must be text, not int"),
        (["ok"] * (MAX_HISTORY_TURNS + 1), f"the limit is {MAX_HISTORY_TURNS}"),
        (["x" * 1_001], "history turn 1 is 1,001 characters long; the limit is 1,000"),
        (["Who?", "   "], "history turn 2 is empty"),
    ],
)
def test_bad_history_is_refused_in_one_line(history: object, message: str) -> None:
    with pytest.raises(QuestionError, match=None) as error:
        validate_history(history, 1_000)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_good_history_is_returned_as_a_tuple() -> None:
    assert validate_history(["Who is Peter Lang?", "Why?"], 1_000) == ("Who is Peter Lang?", "Why?")


def test_an_empty_question_is_refused_without_changing_the_conversation(
    pipeline: Pipeline,
) -> None:
    chat = Conversation(pipeline)
    chat.ask("Who is Peter Lang?")
    state = chat.state
    with pytest.raises(QuestionError):
        chat.ask("   ")
    assert chat.state == state and len(chat.turns) == 1


# -- qa eval on conversation files -------------------------------------------------------------


def test_a_conversation_file_is_read_turn_by_turn(tmp_path: Path) -> None:
    questions = load_questions(DATA / "conversations.jsonl")
    assert [q.id for q in questions[:3]] == ["lang#1", "lang#2", "lang#3"]
    assert [q.turn for q in questions[:3]] == [0, 1, 2]
    assert {q.conversation for q in questions} == {"lang", "priorities"}


def test_a_malformed_conversation_names_its_line_and_turn(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "turns": [{"question": "Who is Peter Lang?", "answers": ["engineer"]}]}\n'
        '{"id": "b", "turns": [{"question": "Who?", "answers": ["x"]}, {"answers": ["y"]}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(QuestionSetError, match=r"line 2: 'question' must be .* \(turn 2\)"):
        load_questions(path)
    path.write_text('{"id": "c", "turns": []}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match="line 1: 'turns' must be a non-empty list"):
        load_questions(path)


def test_eval_asks_each_turn_in_its_conversation_and_counts_follow_ups(
    pipeline: Pipeline,
) -> None:
    questions = load_questions(DATA / "conversations.jsonl")
    in_context, results = evaluate(pipeline, questions)
    alone, _ = evaluate(pipeline, questions, in_context=False)
    assert in_context.n_answerable == alone.n_answerable == 5
    assert in_context.n_followups == 3
    assert in_context.to_dict()["n_followups"] == 3
    assert {"recall@1_followups", "recall@3_followups"} <= set(in_context.to_dict())
    assert in_context.recall_at_1_followups is not None and alone.recall_at_1_followups is not None
    assert in_context.recall_at_1_followups > alone.recall_at_1_followups
    turn = next(r for r in results if r.question.id == "lang#2")
    assert turn.resolved_question == "What did Peter Lang say about the stone?"
    assert turn.to_dict()["resolved_question"] == turn.resolved_question


def test_a_question_file_report_has_no_follow_up_keys(pipeline: Pipeline) -> None:
    questions = load_questions(DATA / "conversations.jsonl")
    plain = tuple(q for q in questions if q.turn == 0)
    report, _ = evaluate(pipeline, [type(q)(q.id, q.question, q.answers) for q in plain])
    assert "n_followups" not in report.to_dict()


# -- qa chat ------------------------------------------------------------------------------------


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from conftest import FakeEncoder

    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(embeddings.encoder, "Encoder", lambda *a, **k: FakeEncoder())


def chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    code = main(["chat", "--article", str(HARBOUR), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("fake_model")
def test_chat_reads_one_question_per_line_as_one_conversation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = chat(
        monkeypatch, capsys, "Who is Peter Lang?\nWhat did he say about the stone?\n", "--json"
    )
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["resolved_question"] == first["question"] == "Who is Peter Lang?"
    assert second["question"] == "What did he say about the stone?"
    assert second["resolved_question"] == "What did Peter Lang say about the stone?"
    assert len(second["passages"]) == 3


@pytest.mark.usefixtures("fake_model")
def test_chat_shows_how_a_follow_up_was_understood_and_new_starts_over(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = chat(
        monkeypatch, capsys, "Who is Peter Lang?\nWhat did he say?\n/new\nWhat did he say?\n"
    )
    assert code == 0
    assert out.count("Understood as: What did Peter Lang say?") == 1
    assert out.count("you> What did he say?") == 2


@pytest.mark.usefixtures("fake_model")
def test_chat_reports_a_bad_line_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = chat(monkeypatch, capsys, "x" * 1_001 + "\nWho is Peter Lang?\n", "--json")
    assert code == 2
    assert err.strip().startswith("error: the question is 1,001 characters long")
    assert json.loads(out)["question"] == "Who is Peter Lang?"


# -- the seed article, real model ---------------------------------------------------------------


def test_follow_ups_on_the_seed_article(seed_pipeline: Pipeline) -> None:
    chat = Conversation(seed_pipeline)
    chat.ask("Who is Xu Feng?")
    answer = chat.ask("What did he say?")
    assert answer.resolved_question == "What did Xu Feng say?"
    assert answer.answered and answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Xu Feng"
    answer = chat.ask("What about Luo Dajin?")
    assert answer.resolved_question == "What did Luo Dajin say?"
    assert answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Luo Dajin"


# -- who "she" and "he" are -------------------------------------------------------------------

INQUIRY = DATA / "inquiry.txt"
COMPLAINT, OBI, MARSH = 2, 3, 4  # passage ids of the inquiry fixture


@pytest.fixture(scope="module")
def inquiry() -> ArticleView:
    from conftest import FakeEncoder

    built = Pipeline.build(INQUIRY, encoder=FakeEncoder())
    return ArticleView(built.passages, built.people, built.retriever.match_speakers)


def test_she_after_a_man_names_the_woman_the_conversation_was_about(inquiry: ArticleView) -> None:
    obi, marsh = person(inquiry, "Grace Obi"), person(inquiry, "Henry Marsh")
    assert (obi.gender, marsh.gender) == ("f", "m")
    state = DialogueState("What did Henry Marsh say?", marsh, MARSH, frozenset({OBI, MARSH}),
                          recent=(marsh, obi))
    assert understood(inquiry, "When did she expect a report?", state).resolved_question == (
        "When did Grace Obi expect a report?"
    )
    # The pronoun that fits the person in focus still names them.
    assert understood(inquiry, "What did he promise?", state).resolved_question == (
        "What did Henry Marsh promise?"
    )


def test_the_people_in_focus_are_remembered_latest_first(inquiry: ArticleView) -> None:
    obi, marsh = person(inquiry, "Grace Obi"), person(inquiry, "Henry Marsh")
    first = understood(inquiry, "What did Grace Obi say?", DialogueState())
    state = advance(DialogueState(), first, _answer_with_top(inquiry, OBI), inquiry)
    second = understood(inquiry, "What did Henry Marsh say?", state)
    state = advance(state, second, _answer_with_top(inquiry, MARSH), inquiry)
    assert state.recent == (marsh, obi)


def test_a_who_question_answered_by_narration_puts_the_person_it_names_in_focus(
    inquiry: ArticleView,
) -> None:
    question = understood(inquiry, "Who filed the complaint?", DialogueState())
    state = advance(DialogueState(), question, _answer_with_top(inquiry, COMPLAINT), inquiry)
    assert state.subject == person(inquiry, "Diane Fox")
    assert understood(inquiry, "Why did she wait?", state).resolved_question == (
        "Why did Diane Fox wait?"
    )


def _answer_with_top(view: ArticleView, passage_id: int) -> Answer:
    """An answer whose first passage is ``passage_id`` (what :func:`advance` reads)."""
    from qa.core.types import RankedPassage, Span

    passage = view.passages[passage_id]
    ranked = RankedPassage(1, 1.0, passage, Span(passage.start, passage.end, passage.text))
    return Answer(question="", reply="", answered=True, passages=(ranked,))


def test_ask_with_evidence_gives_the_same_answer_and_what_it_rests_on(
    pipeline: Pipeline,
) -> None:
    plain, detailed = Conversation(pipeline), Conversation(pipeline)
    for question in ("Who is Peter Lang?", "What did he say about the stone?"):
        answer = plain.ask(question)
        same, evidence = detailed.ask_with_evidence(question)
        assert same == answer
        assert evidence is not None and 0.0 <= evidence.coverage <= 1.0
    # A question about the article itself is answered from its metadata: no evidence.
    assert detailed.ask_with_evidence("What is the article about?")[1] is None


def test_a_person_is_named_once_however_many_pronouns_refer_to_them(
    inquiry: ArticleView,
) -> None:
    obi = person(inquiry, "Grace Obi")
    state = DialogueState("What did Grace Obi say?", obi, OBI, frozenset({OBI}), recent=(obi,))
    resolution = understood(inquiry, "Has she said whether she will resign?", state)
    assert resolution.resolved_question == "Has Grace Obi said whether she will resign?"


def test_what_about_x_followed_by_its_own_question_asks_that_question_about_x(
    view: ArticleView,
) -> None:
    state = after(view, "When will the work begin?", OLSEN_REPORTED, "Maria Olsen")
    resolution = understood(view, "What about the flood gate, when will that be built?", state)
    assert resolution.resolved_question == "When will the flood gate be built?"
    assert resolution.rule == "ellipsis"


def test_asking_what_else_someone_said_after_all_of_it_says_there_is_nothing_more() -> None:
    from conftest import FakeEncoder

    replies = Path(__file__).resolve().parent / "data" / "replies" / "harbour.txt"
    chat = Conversation(Pipeline.build(replies, encoder=FakeEncoder()))
    first = chat.ask("What did Elena Brooks say?")
    assert first.passages[0].speaker is not None
    assert first.passages[0].speaker.name == "Elena Brooks"
    more = chat.ask("What else did she say?")
    assert more.answered
    assert more.reply == "The article quotes Elena Brooks only once; that passage is shown above."
    # Her one passage, not the closest passage of someone else.
    assert [p.passage.id for p in more.passages] == [first.passages[0].passage.id]


def test_asking_what_else_someone_said_reads_on_while_there_is_more() -> None:
    from conftest import FakeEncoder

    replies = Path(__file__).resolve().parent / "data" / "replies" / "harbour.txt"
    chat = Conversation(Pipeline.build(replies, encoder=FakeEncoder()))
    shown = {chat.ask("What did Xu Feng say?").passages[0].passage.id}
    for _ in range(2):  # he speaks in three passages
        answer = chat.ask("What else did he say?")
        top = answer.passages[0]
        assert top.speaker is not None and top.speaker.name == "Xu Feng"
        assert top.passage.id not in shown
        shown.add(top.passage.id)
    assert chat.ask("Anything more from him?").reply == (
        "The article quotes Xu Feng in 3 passages, all shown above; there is nothing more."
    )
