"""Retrieval: speaker references in questions, lexical signals, fusion and highlighting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEncoder

from qa.answering.pipeline import Pipeline
from qa.core.config import Config
from qa.core.types import Passage, Person
from qa.passages.corpus import build_corpus
from qa.ranking.lexical import LexicalIndex, best_sentence, lexical_documents, query_tokens
from qa.ranking.retriever import is_headline
from qa.ranking.speakers import PeopleIndex, match_speakers
from qa.text.tokens import content_tokens, expand_chat_spellings

COUNCIL = Path(__file__).parent / "data" / "retrieval" / "council.txt"
COSTA = Person("Maria Costa", "chair of the harbour council", ("maria costa", "costa", "chair"))
REYES = Person("Tom Reyes", "the island's fire chief", ("tom reyes", "reyes", "fire chief"))
PEOPLE = (COSTA, REYES)


def _names(question: str) -> list[tuple[str, str, bool]]:
    return [(m.person.name, m.how, m.as_speaker) for m in match_speakers(question, PEOPLE)]


def test_a_speaker_is_recognised_by_full_name_surname_or_title() -> None:
    assert _names("What did Maria Costa say about boats?") == [("Maria Costa", "name", True)]
    assert _names("What did Costa say about boats?") == [("Maria Costa", "surname", True)]
    assert _names("What did the fire chief warn about?") == [("Tom Reyes", "title", True)]
    assert _names("What does the council chair want?") == [("Maria Costa", "title", True)]


def test_a_bare_shared_word_names_nobody() -> None:
    assert _names("What is the harbour like?") == []


def test_a_person_mentioned_as_a_topic_is_not_taken_as_the_speaker() -> None:
    topic = match_speakers("Why was Reyes invited to the port?", PEOPLE)
    assert [(m.person.name, m.as_speaker) for m in topic] == [("Tom Reyes", False)]
    about = match_speakers("How long has Maria Costa chaired the council?", PEOPLE)
    assert [(m.person.name, m.as_speaker) for m in about] == [("Maria Costa", False)]


def test_a_persons_plan_or_views_are_asked_of_that_person_as_speaker() -> None:
    # "plan", like "priorities" or "views", is a speech word: the plan is what Costa proposed,
    # so the question asks for her words even though it is phrased as a reaction to them.
    matches = match_speakers("How did the island react to Costa's plan for boats?", PEOPLE)
    assert [(m.person.name, m.as_speaker) for m in matches] == [("Maria Costa", True)]


def test_words_that_only_name_the_speaker_do_not_count_as_topic_words() -> None:
    speakers = match_speakers("What did the fire chief say about ambulances?", PEOPLE)
    assert query_tokens("What did the fire chief say about ambulances?", speakers) == ["ambul"]
    assert content_tokens("What did the fire chief say about ambulances?") == [
        "fire",
        "chief",
        "ambul",
    ]


def test_later_items_of_an_enumeration_get_the_head_noun_back() -> None:
    def passage(i: int, text: str) -> Passage:
        return Passage(i, "a.txt", i + 1, 0, len(text), text, None, "narration")

    documents = lexical_documents(
        [
            passage(0, "The first concern was noise."),
            passage(1, "The second was parking."),
            passage(2, "Parking is scarce."),
        ]
    )
    assert documents == ["The first concern was noise.", "The second was parking. (concern)",
                         "Parking is scarce."]


def test_pair_scores_reward_words_that_stay_together() -> None:
    index = LexicalIndex(["response to the speech came later", "speech first, response last"])
    pairs = index.pair_scores(content_tokens("response to the speech"))
    assert pairs[0] > 0 and pairs[1] == 0


def test_an_unknown_word_weighs_more_than_a_common_one() -> None:
    index = LexicalIndex(["the port", "the port and boats", "the port at night"])
    assert index.idf("population") > index.idf("boat") > index.idf("port")


def test_best_sentence_is_the_one_sharing_the_rarest_question_words() -> None:
    text = "Boats were bought. Residents asked for quieter engines at night. Nothing else."
    index = LexicalIndex([text])
    start, end = best_sentence(text, 0, len(text), content_tokens("quiet engines?"), index)
    assert text[start:end] == "Residents asked for quieter engines at night."


def test_coverage_is_the_idf_weighted_share_of_question_words_in_passage_and_sentence() -> None:
    index = LexicalIndex(
        ["Quiet engines arrive. Boats follow at night.", "Boats at night.", "Nothing here."]
    )
    passage, sentence = index.coverage(content_tokens("quiet boats at night"), np.arange(3))
    assert passage[0] == pytest.approx(1.0)
    # "quiet" and "boats night" are in different sentences of the first passage.
    assert 0.0 < sentence[0] < 1.0
    assert passage[1] == sentence[1] < 1.0
    assert passage[2] == sentence[2] == 0.0


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    cache = tmp_path_factory.mktemp("cache")
    return Pipeline.build(COUNCIL, config=Config(cache_dir=cache), encoder=FakeEncoder())


def test_people_come_from_the_attribution(council: Pipeline) -> None:
    assert {p.name for p in council.people} >= {"Maria Costa", "Tom Reyes"}


def test_a_question_naming_a_speaker_by_title_ranks_their_passage_first(council: Pipeline) -> None:
    answer = council.answer("What did the fire chief warn about?", k=2)
    assert answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Tom Reyes"


def test_an_ordinal_question_finds_the_enumerated_item(council: Pipeline) -> None:
    assert council.answer("What was the second concern?", k=1).passages[0].paragraph == 6


def test_baselines_rank_by_their_own_score_alone(council: Pipeline) -> None:
    bm25 = council.answer("electric boats reserves", k=3, retriever="bm25").passages
    assert [p.score for p in bm25] == sorted((p.score for p in bm25), reverse=True)
    dense = council.answer("electric boats reserves", k=3, retriever="dense").passages
    assert all(-1.0 <= p.score <= 1.0 for p in dense)  # raw cosine, not a fused score


def test_baselines_stay_available(council: Pipeline) -> None:
    for mode in ("dense", "bm25", "hybrid"):
        ranked = council.answer("electric boats reserves", k=3, retriever=mode).passages
        assert [p.rank for p in ranked] == [1, 2, 3]
        assert ranked[0].paragraph == 4


def test_who_said_what_only_the_article_itself_says_is_declined(council: Pipeline) -> None:
    answer = council.answer("Who said the debate ran for three years?", k=1)
    assert answer.passages[0].speaker is None  # the narration about the debate
    assert not answer.answered
    assert "nobody in it is quoted saying so" in answer.reply


def test_corpus_passages_keep_exact_offsets() -> None:
    corpus = build_corpus(COUNCIL)
    text = corpus.articles[0].text
    assert all(text[p.start : p.end] == p.text for p in corpus.passages)


def test_an_agent_noun_in_a_question_finds_a_title_that_uses_the_verb() -> None:
    organiser = Person(
        "Ana Lima", "who leads the dockers' union branch", ("ana lima", "lima")
    )
    matches = match_speakers("What did the union leader say about pay?", (COSTA, organiser))
    assert [(m.person.name, m.how, m.as_speaker) for m in matches] == [
        ("Ana Lima", "title", True)
    ]


def test_the_person_a_question_names_is_found_among_hundreds() -> None:
    crowd = [Person(f"Person{i} Name{i}", f"clerk of ward {i}", (f"name{i}",)) for i in range(500)]
    index = PeopleIndex((*crowd, COSTA, REYES))
    assert [m.person.name for m in index.match("What did Costa say about boats?")] == [
        "Maria Costa"
    ]
    assert [m.person.name for m in index.match("What did Name7 say?")] == ["Person7 Name7"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("how many ppl does the company employ", "how many people does the company employ"),
        ("Whats the plan abt the wall?", "What's the plan about the wall?"),
        ("anythin more from the professor?", "anything more from the professor?"),
        # Capital single letters are initials and names; "U.S." and "R&D" are words.
        ("What did the U.S. say about R&D?", "What did the U.S. say about R&D?"),
        ("Is U better than r?", "Is U better than are?"),
    ],
)
def test_chat_spellings_are_written_out_and_nothing_else(typed: str, written: str) -> None:
    assert expand_chat_spellings(typed) == written


def test_a_short_first_line_without_a_full_stop_is_the_headline() -> None:
    def passage(text: str, paragraph: int = 1) -> Passage:
        return Passage(0, "a.txt", paragraph, 0, len(text), text, None, "narration")

    assert is_headline(passage("Health authority votes to close Carrowmore maternity ward"))
    assert not is_headline(passage("The council voted on Tuesday to close the ward."))
    assert not is_headline(passage("Votes to close the ward", paragraph=2))
    # A Wikipedia article starts with prose, never a title line.
    assert not is_headline(passage(" ".join(["word"] * 40)))


def test_a_person_named_with_a_complement_is_still_asked_for_their_words() -> None:
    mayor = Person("Teresa Galvan", "Mayor of Harlow Springs", ("teresa galvan", "mayor"))
    engineer = Person("Dan Roe", "chief engineer", ("dan roe", "engineer"))
    question = "What does the mayor of Harlow Springs think of the battery plant?"
    matches = match_speakers(question, [mayor, engineer])
    assert [(m.person.name, m.as_speaker) for m in matches] == [("Teresa Galvan", True)]
    # A person who is only the topic is not asked for their words.
    topic = match_speakers("How long has the mayor of Harlow Springs been in office?", [mayor])
    assert [m.as_speaker for m in topic] == [False]


def test_a_surname_two_people_share_names_neither_until_the_full_name_is_given() -> None:
    chens = (
        Person("Li Chen", "port engineer", ("li chen", "chen")),
        Person("Wei Chen", "school nurse", ("wei chen", "chen")),
    )
    assert match_speakers("What did Chen say about the works?", chens) == []
    matches = match_speakers("What did Wei Chen say about the works?", chens)
    assert [(m.person.name, m.how, m.words) for m in matches] == [("Wei Chen", "name", (2, 3))]


def test_a_title_two_people_fit_equally_well_names_neither() -> None:
    deputies = (
        Person("Ana Lima", "deputy mayor", ("ana lima", "lima")),
        Person("Rui Sousa", "deputy mayor for roads", ("rui sousa", "sousa")),
    )
    assert match_speakers("What did the deputy mayor say?", deputies) == []
    # One more word of one title breaks the tie.
    matches = match_speakers("What did the deputy mayor for roads say?", deputies)
    assert [(m.person.name, m.how, m.as_speaker) for m in matches] == [
        ("Rui Sousa", "title", True)
    ]


def test_an_article_with_no_searchable_words_is_a_clear_article_error() -> None:
    from qa.core.errors import ArticleError
    from qa.ranking.lexical import LexicalIndex

    with pytest.raises(ArticleError, match="no words to search"):
        LexicalIndex(["the of and", "a"])
