"""Questions about the article itself: who wrote it, when, its headline, its site, its gist.

Answered from the article's metadata and its lead, never generated; declined when the source
does not say; and never taking over an ordinary question about the article's content.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEncoder

from qa.answering.about import answer_about, intent_of
from qa.answering.pipeline import Pipeline
from qa.core.config import Config
from qa.ingest import load_article
from qa.passages.corpus import build_corpus

DATA = Path(__file__).parent / "data" / "sources"


@pytest.fixture
def seed(fake_encoder: FakeEncoder, tmp_path: Path) -> Pipeline:
    return Pipeline.build(config=Config.from_env(cache_dir=tmp_path), encoder=fake_encoder)


@pytest.fixture
def gazette(fake_encoder: FakeEncoder, tmp_path: Path) -> Pipeline:
    """The saved web page fixture: title, author, date and site are all known."""
    article = load_article(DATA / "furniture.html")
    return Pipeline.build(article, config=Config.from_env(cache_dir=tmp_path), encoder=fake_encoder)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Who wrote this?", "author"),
        ("Who's the author of this article?", "author"),
        ("When was it published?", "date"),
        ("What is the publication date?", "date"),
        ("What is the headline?", "title"),
        ("What\u2019s the title?", "title"),
        ("What site is this from?", "site"),
        ("Which newspaper is the article from?", "site"),
        ("What is the article about?", "summary"),
        ("Summarise it", "summary"),
        ("Summarize the story please", "summary"),
        ("What's the gist?", "summary"),
        ("Give me a summary", "summary"),
        ("Can you summarize this for me?", "summary"),
    ],
)
def test_questions_about_the_article_itself_are_recognised(question: str, intent: str) -> None:
    assert intent_of(question) == intent


@pytest.mark.parametrize(
    "question",
    [
        "What is the article's claim about the ferry line?",
        "What is the article about the ferry line saying?",
        "Who wrote the letter to the council?",
        "Who is the author of the report on emissions?",
        "When was the ferry line approved?",
        "What is the title of the transport director?",
        "What happened in Shanghai?",
        "What is the main point of Luo's speech?",
        "What site was chosen for the telescope?",
        "Who published the study?",
    ],
)
def test_ordinary_questions_are_not_taken_for_questions_about_the_article(question: str) -> None:
    assert intent_of(question) is None


def test_the_gist_of_the_seed_is_its_lead_sentence_and_who_is_quoted(seed: Pipeline) -> None:
    answer = seed.answer("What is the article about?")
    assert answer.answered
    text = seed.corpus.articles[0].text
    lead = answer.passages[0]
    assert lead.paragraph == 1 and lead.rank == 1
    assert lead.highlight.text.startswith("During President Xi Jinping's recent inspection trip")
    assert lead.highlight.text.endswith("exert their intelligence.")
    assert text[lead.highlight.start : lead.highlight.end] == lead.highlight.text
    assert answer.reply.startswith("During President Xi Jinping's recent inspection trip")
    assert "Quoted: Luo Dajin, director of the Shanghai Science and Technology Commission" in (
        answer.reply
    )
    assert [p.paragraph for p in answer.passages] == [1, 2, 3]


def test_metadata_the_seed_does_not_have_is_declined(seed: Pipeline) -> None:
    for question, says in [
        ("Who wrote this?", "who wrote it"),
        ("When was it published?", "when it was published"),
        ("What is the headline?", "its headline"),
    ]:
        answer = seed.answer(question)
        assert not answer.answered
        assert answer.reply == f"The article does not say {says}."
        assert answer.passages == ()


def test_metadata_of_a_saved_page_answers_author_date_headline_and_site(
    gazette: Pipeline,
) -> None:
    replies = {
        question: gazette.answer(question)
        for question in (
            "Who wrote this?",
            "When was it published?",
            "What is the headline?",
            "What site is this from?",
        )
    }
    assert all(answer.answered for answer in replies.values())
    assert replies["Who wrote this?"].reply == "By Ana Ruiz."
    assert replies["When was it published?"].reply == "Published 5 March 2024."
    assert replies["What is the headline?"].reply == "\u201cHarbour ferry line approved\u201d"
    assert replies["What site is this from?"].reply == "From The Harbour Gazette."


def test_the_gist_of_a_saved_page_leads_with_its_headline(gazette: Pipeline) -> None:
    answer = gazette.answer("Summarise it")
    assert answer.reply.startswith(
        "\u201cHarbour ferry line approved\u201d. The city council approved a new ferry line"
    )
    assert answer.reply.endswith(
        "Quoted: Maria Lopez, the council\u2019s transport director; "
        "Tom Baker, who leads the student union."
    )
    assert answer.confidence is None


def test_a_headline_printed_in_the_text_is_cited(fake_encoder: FakeEncoder, tmp_path: Path) -> None:
    pdf = Pipeline.build(
        load_article(DATA / "article.pdf"),
        config=Config.from_env(cache_dir=tmp_path),
        encoder=fake_encoder,
    )
    answer = pdf.answer("What is the headline?")
    assert answer.passages[0].paragraph == 1
    assert answer.passages[0].highlight.text == "Harbour ferry line approved"
    # The lead of a PDF that starts with its headline is the first paragraph of prose.
    assert pdf.answer("Summarise it").passages[0].paragraph == 2


def test_an_ordinary_question_still_goes_to_retrieval(gazette: Pipeline) -> None:
    answer = gazette.answer("What did the student union leader say about the fares?")
    assert answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Tom Baker"
    assert not answer.reply.startswith("\u201cHarbour ferry line approved\u201d")


def test_a_folder_of_articles_has_no_itself(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The council met on Monday to discuss the ferry.\n")
    (tmp_path / "b.txt").write_text("The mayor opened the bridge on Tuesday morning.\n")
    assert answer_about("What is the article about?", build_corpus(tmp_path)) is None


REPLIES = Path(__file__).parent / "data" / "replies"


def test_a_byline_on_the_third_line_of_a_pasted_story_names_its_author(
    fake_encoder: FakeEncoder, tmp_path: Path
) -> None:
    from qa.ingest import article_from_paste

    pasted = (
        "Harbour expansion stays on schedule\n"
        "Published on Friday\n"
        "By Dana Whitfield\n"
        "PORT ELLIS - Dredging of the new berths ended on Friday, the port authority said.\n"
        '"We are ahead of the timetable," said Xu Feng, the harbour master.\n'
    )
    pipeline = Pipeline.build(
        article_from_paste(pasted), config=Config.from_env(cache_dir=tmp_path),
        encoder=fake_encoder,
    )
    answer = pipeline.answer("Who wrote this?")
    assert answer.answered
    assert answer.reply == "By Dana Whitfield."


@pytest.mark.parametrize(
    "question",
    ["Who is quoted?", "Who speaks in this article?", "Who is quoted in the article?",
     "Who does the story quote?", "Who are the sources?"],
)
def test_who_is_quoted_is_a_question_about_the_article(question: str) -> None:
    assert intent_of(question) == "speakers"


def test_who_is_quoted_names_every_speaker_with_title_and_how_often_they_speak(
    fake_encoder: FakeEncoder, tmp_path: Path
) -> None:
    pipeline = Pipeline.build(
        load_article(REPLIES / "harbour.txt"), config=Config.from_env(cache_dir=tmp_path),
        encoder=fake_encoder,
    )
    answer = pipeline.answer("Who is quoted?")
    assert answer.answered
    speaking = [p for p in pipeline.passages if p.speaker is not None]
    xu = sum(p.speaker is not None and p.speaker.name == "Xu Feng" for p in speaking)
    assert xu == 3
    assert answer.reply.startswith("The article quotes 3 speakers: Xu Feng (3 passages); ")
    assert (
        "Elena Brooks, chair of the Port Ellis Residents' Association (1 passage)" in answer.reply
    )
    # Each speaker's first passage is cited, most quoted first.
    cited = [p.speaker.name for p in answer.passages if p.speaker is not None]
    assert cited[0] == "Xu Feng" and "Elena Brooks" in cited
    # The question asked in a conversation gets the same answer.
    from qa.dialogue import Conversation

    assert Conversation(pipeline).ask("Who speaks in this article?").reply == (
        pipeline.answer("Who speaks in this article?").reply
    )
