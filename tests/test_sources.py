"""Articles from real sources: saved web pages, PDFs, plain text and pasted text.

The nine saved news pages of ``../shared/corpora/html-news/`` are read in place and checked
against its ``expected.json``; the small fixtures in ``tests/data/sources/`` cover the edge
cases (``make_fixtures.py`` there writes the PDFs).
"""

from __future__ import annotations

import contextlib
import html
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeEncoder

from qa.answering.pipeline import Pipeline, clean_question
from qa.cli import main
from qa.core.config import Config
from qa.core.errors import ArticleError, QuestionError
from qa.core.types import Article
from qa.ingest import article_from_paste, load_article
from qa.ingest.load import load_articles
from qa.text.sentences import split_paragraphs

DATA = Path(__file__).parent / "data" / "sources"
HTML_NEWS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "html-news"
EXPECTED: dict[str, dict[str, Any]] = json.loads((HTML_NEWS / "expected.json").read_text())


def _assert_offsets_exact(article: Article) -> None:
    assert article.paragraphs == split_paragraphs(article.text)
    for start, end in article.paragraphs:
        paragraph = article.text[start:end]
        assert paragraph == paragraph.strip() and "\n\n" not in paragraph


# -- saved news pages --------------------------------------------------------------------------


def _in_page(field: str, value: str, page: str) -> bool:
    """Whether the saved page itself states ``value`` (a date as ISO or day.month.year)."""
    raw = html.unescape((HTML_NEWS / page).read_text(encoding="utf-8", errors="replace"))
    if field != "date":
        return value in raw
    year, month, day = value.split("-")
    return value in raw or f"{day}.{month}.{year}" in raw


@pytest.mark.parametrize("field", ["title", "author", "date"])
@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_saved_news_page_gives_its_title_author_and_date_and_invents_none(
    page: str, field: str
) -> None:
    """Where expected.json gives a value it must be found exactly; where it gives none (the
    annotation says "where known"), a value found must be stated by the page itself."""
    expected = EXPECTED[page].get(field)
    found = getattr(load_article(HTML_NEWS / page).meta, field)
    if field == "title" and expected is not None:
        # expected.json cuts one title short ("... complex thinkin"): a prefix must match.
        assert found is not None and found.startswith(expected)
    elif expected is not None:
        assert found == expected
    elif found is not None:
        assert _in_page(field, found, page), f"{field} {found!r} is not in the page"


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_saved_news_page_gives_every_expected_string(page: str) -> None:
    article = load_article(HTML_NEWS / page)
    assert article.meta.format == "html"
    for wanted in EXPECTED[page]["with"]:
        assert wanted in article.text
    _assert_offsets_exact(article)


def test_saved_news_pages_leave_out_at_least_90_percent_of_the_page_furniture() -> None:
    present = [
        (page, unwanted)
        for page, expected in EXPECTED.items()
        for unwanted in expected["without"]
        if unwanted in load_article(HTML_NEWS / page).text
    ]
    total = sum(len(expected["without"]) for expected in EXPECTED.values())
    assert (total - len(present)) / total >= 0.9, present


def test_a_page_without_expectations_still_gives_its_article() -> None:
    article = load_article(HTML_NEWS / "kulu-media.com.meta-outage.html")
    assert article.meta.title == "Meta Outage Hits Facebook, Instagram and Messenger Worldwide"
    assert article.text.startswith("A widespread Meta outage")


def test_a_page_rendered_by_scripts_is_read_from_its_schema_org_body() -> None:
    # The page's visible body is one photo caption; the text is only in its JSON-LD.
    article = load_article(HTML_NEWS / "scmp.com.playbook.html")
    assert "Tsai triumphed using political shrewdness." in article.text
    assert len(article.paragraphs) > 3


# -- own HTML fixtures -------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_menus_banners_teasers_and_boxes() -> None:
    article = load_article(DATA / "furniture.html")
    text = article.text
    assert text.startswith("The city council approved a new ferry line")
    assert "said Maria Lopez, the council\u2019s transport director" in text
    assert "two years & three public hearings" in text  # entities decoded
    assert "\u201cThis line will take" in text
    for furniture in (
        "cookies",
        "City news",
        "Read more",
        "Bridge repairs",
        "newsletter",
        "Subscribe",
        "Related stories",
        "[\u2026]",
        "INLINE-SCRIPT-TEXT",
        "TRACKING-SCRIPT-TEXT",
        "STYLE-RULE-TEXT",
        "All rights reserved",
        "Photo: Jane Doe",
    ):
        assert furniture not in text
    assert len(article.paragraphs) == 4
    _assert_offsets_exact(article)


def test_html_metadata_prefers_the_printed_headline_to_the_social_title() -> None:
    meta = load_article(DATA / "furniture.html").meta
    assert meta.title == "Harbour ferry line approved"  # <h1>, not og:title "Ferry line ..."
    assert (meta.author, meta.date, meta.site) == ("Ana Ruiz", "2024-03-05", "The Harbour Gazette")
    assert meta.source == str(DATA / "furniture.html")


def test_a_page_with_no_article_is_an_article_error() -> None:
    with pytest.raises(ArticleError, match=r"no_article\.html: no article text found"):
        load_article(DATA / "no_article.html")


def test_the_users_file_is_never_modified() -> None:
    before = {path: path.read_bytes() for path in DATA.iterdir() if path.is_file()}
    for path in before:
        with contextlib.suppress(ArticleError):
            load_article(path)
    assert {path: path.read_bytes() for path in before} == before


# -- sniffing: the content decides, not the name -----------------------------------------------


def test_an_html_file_that_is_really_text_is_read_as_text() -> None:
    article = load_article(DATA / "plain_text.html")
    assert article.meta.format == "text"
    assert article.text == (DATA / "plain_text.html").read_text()
    assert article.meta.title == "Ferry fares cut for students"  # headline-like first line


def test_a_txt_file_that_is_a_web_page_is_read_as_html() -> None:
    article = load_article(DATA / "page_saved_as.txt")
    assert article.meta.format == "html"
    assert article.text == load_article(DATA / "furniture.html").text


def test_a_binary_file_renamed_html_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "photo.html"
    fake.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4)
    with pytest.raises(ArticleError, match=r"photo\.html: looks like a binary file \(a JPEG"):
        load_article(fake)


def test_junk_with_nul_bytes_is_refused_whatever_its_name(tmp_path: Path) -> None:
    junk = tmp_path / "article.html"
    junk.write_bytes(b"<html><body>" + b"\x00" * 64 + b"</body></html>")
    with pytest.raises(ArticleError, match="looks like a binary file"):
        load_article(junk)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"junk " * 1_200_000)  # 6 MB
    with pytest.raises(ArticleError, match=r"big\.txt: the file is 6\.0 MB; the limit is 5\.0 MB"):
        load_article(big)
    with pytest.raises(ArticleError, match=r"upload: the file is 6\.0 MB"):
        load_article(big.read_bytes())


def test_text_that_only_quotes_some_tags_stays_text(tmp_path: Path) -> None:
    # An article about web security: tags inside its sentences, but no page around them.
    story = tmp_path / "security.txt"
    story.write_text(
        'Researchers said a <script> tag in a comment box let <b>anyone</b> run code.\n\n'
        '"We found <img src=x> and <a href=#>links</a> too," said Ana Ruiz, a researcher.\n',
        encoding="utf-8",
    )
    article = load_article(story)
    assert article.meta.format == "text"
    assert article.text == story.read_text(encoding="utf-8")
    assert len(article.paragraphs) == 2


def test_uploaded_bytes_are_sniffed_like_files() -> None:
    raw = (DATA / "furniture.html").read_bytes()
    article = load_article(raw, name="gazette.html")
    assert (article.name, article.meta.format, article.path) == ("gazette.html", "html", None)
    pdf = load_article((DATA / "article.pdf").read_bytes(), name="upload.bin")
    assert pdf.meta.format == "pdf"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the article is empty"),
        (b"\xef\xbb\xbf  \n\n", "the article is empty"),
        (b"caf\xe9\n", r"not valid UTF-8 \(byte 3\)"),
        (b"PK\x03\x04" + bytes(64), r"a ZIP archive"),
    ],
)
def test_unusable_uploads_get_one_line_errors(content: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message) as info:
        load_article(content, name="upload.txt")
    assert "\n" not in str(info.value)


def test_a_byte_order_mark_is_dropped_from_plain_text() -> None:
    article = load_article("\ufeffHello there, this is the article.\n".encode())
    assert article.text == "Hello there, this is the article.\n"


# -- PDF ---------------------------------------------------------------------------------------


def test_a_pdf_gives_paragraphs_without_headers_page_numbers_or_broken_words() -> None:
    article = load_article(DATA / "article.pdf")
    paragraphs = [article.text[s:e] for s, e in article.paragraphs]
    assert paragraphs[0] == "Harbour ferry line approved"
    assert paragraphs[1] == (
        "The city council approved a new ferry line between the old harbour and the "
        "university campus on Tuesday, ending a debate that lasted more than two years."
    )
    assert "Shipyard workers welcome the order" in paragraphs  # heading of page 2
    assert paragraphs[-1] == (
        "The shipyard manager called the contract a turning point for the dockyard and its "
        "apprentices."
    )
    assert "Harbour Gazette" not in article.text  # running header on both pages
    assert "Page 1" not in article.text and "Page 2" not in article.text
    _assert_offsets_exact(article)


def test_a_pdf_gives_title_author_and_date_from_its_document_info() -> None:
    meta = load_article(DATA / "article.pdf").meta
    assert (meta.format, meta.title, meta.author, meta.date) == (
        "pdf",
        "Harbour ferry line approved",
        "Ana Ruiz",
        "2024-03-05",
    )


def test_a_two_column_pdf_reads_each_column_in_turn() -> None:
    article = load_article(DATA / "two_columns.pdf")
    paragraphs = [article.text[s:e] for s, e in article.paragraphs]
    assert paragraphs == [
        "Left column first paragraph about the river festival, which opened on Friday with a "
        "parade of boats along the embankment.",
        '"We expect thirty thousand visitors," said festival director Ines Marlow.',
        "Right column paragraph about the weather, which forecasters said would stay dry for "
        "the whole weekend.",
    ]


def test_a_pdf_without_a_text_layer_is_refused_with_a_hint() -> None:
    with pytest.raises(ArticleError, match=r"has no text layer \(a scanned PDF\?\)"):
        load_article(DATA / "scanned.pdf")


def test_a_broken_pdf_is_an_article_error() -> None:
    with pytest.raises(ArticleError, match="not a readable PDF"):
        load_article(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF", name="x.pdf")


# -- pasted text -------------------------------------------------------------------------------


def test_pasted_plain_text_is_kept_verbatim() -> None:
    text = "Ferry fares cut\n\nThe council cut fares on Monday, a spokesman said.\n"
    article = article_from_paste(text)
    assert article.text == text and article.meta.format == "text"
    assert article.meta.source == "pasted text"


def test_pasted_page_source_and_fragments_are_read_as_html() -> None:
    page = article_from_paste((DATA / "furniture.html").read_text())
    assert page.meta.title == "Harbour ferry line approved"
    fragment = article_from_paste(
        "<p>The council cut ferry fares for students on Monday, the director said.</p>"
        "<p>The new fares start in September.</p><p>Students welcomed the cut.</p>"
    )
    assert fragment.meta.format == "html"
    assert fragment.text.split("\n\n")[1] == "The new fares start in September."


def test_an_empty_paste_is_refused() -> None:
    with pytest.raises(ArticleError, match="nothing was pasted"):
        article_from_paste("  \n\t ")


# -- folders, CLI, pipeline --------------------------------------------------------------------


def test_a_folder_of_mixed_formats_loads_every_article(tmp_path: Path) -> None:
    for name in ("furniture.html", "article.pdf", "plain_text.html"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    (tmp_path / "notes.txt").write_text("A short note about the ferry, written by hand.\n")
    (tmp_path / "scan.pdf").write_bytes((DATA / "scanned.pdf").read_bytes())
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not an article suffix
    articles = load_articles(tmp_path)
    formats = {article.name: article.meta.format for article in articles}
    assert formats == {
        "article.pdf": "pdf",
        "furniture.html": "html",
        "notes.txt": "text",
        "plain_text.html": "text",
    }


def test_qa_article_json_shows_metadata_and_paragraphs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["article", str(DATA / "furniture.html"), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {
        "source", "format", "title", "author", "date", "site", "text", "paragraphs"
    }
    assert (record["format"], record["title"], record["author"]) == (
        "html",
        "Harbour ferry line approved",
        "Ana Ruiz",
    )
    for paragraph in record["paragraphs"]:
        assert record["text"][paragraph["start"] : paragraph["end"]] == paragraph["text"]
    assert [p["paragraph"] for p in record["paragraphs"]] == [1, 2, 3, 4]


def test_qa_article_prints_null_for_unknown_metadata_and_readable_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["article", str(DATA / "two_columns.pdf"), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] is None and record["site"] is None
    assert main(["article", str(DATA / "article.pdf")]) == 0
    out = capsys.readouterr().out
    assert "author: Ana Ruiz" in out and "¶1" in out


def test_qa_article_on_a_scanned_pdf_fails_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["article", str(DATA / "scanned.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no text layer" in err and err.count("\n") == 1


def test_pipeline_builds_from_an_article_object_and_reuses_its_cache(
    fake_encoder: FakeEncoder, tmp_path: Path
) -> None:
    config = Config.from_env(cache_dir=tmp_path)
    article = load_article(DATA / "furniture.html")
    pipeline = Pipeline.build(article, config=config, encoder=fake_encoder)
    answer = pipeline.answer("What did the student union leader say about the fares?")
    assert answer.passages[0].speaker is not None
    assert answer.passages[0].speaker.name == "Tom Baker"
    encoded = len(fake_encoder.encoded)
    again = Pipeline.build(
        load_article((DATA / "furniture.html").read_bytes(), name="upload.html"),
        config=config,
        encoder=fake_encoder,
    )
    assert len(fake_encoder.encoded) == encoded  # same content: nothing encoded again
    assert again.passages[0].article == "upload.html"


# -- questions that are really articles --------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("https://www.example.com/news/ferry-line-approved", "web address.*no network access"),
        ("www.example.com/story", "web address"),
        ((DATA / "furniture.html").read_text(), "source of a web page"),
        (
            " ".join(["The council approved the ferry line on Tuesday after a long debate."] * 12),
            "looks like a pasted article",
        ),
    ],
)
def test_a_url_or_a_pasted_article_as_a_question_says_how_to_load_it(
    question: str, message: str
) -> None:
    with pytest.raises(QuestionError, match=message) as info:
        clean_question(question, 1_000)
    assert "load it as the article" in str(info.value)


@pytest.mark.parametrize(
    "question",
    [
        "What does https://example.com say about the ferry?",
        "Who said the fares were too high? I read it twice. It was in the third paragraph.",
        "Why did the council approve the line?",
    ],
)
def test_ordinary_questions_are_not_mistaken_for_articles(question: str) -> None:
    assert clean_question(question, 1_000) == question


def test_an_article_over_the_word_limit_is_refused() -> None:
    with pytest.raises(ArticleError, match=r"pasted text: the article is 60,000 words long; the"):
        article_from_paste("word " * 60_000)
    twelve_words = b"one two three four five six seven eight nine ten eleven twelve"
    with pytest.raises(ArticleError, match=r"upload: the article is 12 words long; the limit"):
        load_article(twelve_words, max_words=10)


@pytest.mark.parametrize(
    "junk",
    [
        "x" * 100_000,  # one endless token
        "!!! ??? ... --- *** ###",  # no word at all
        "aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCBkYXRhIGFuZCBub3QgYW4gYXJ0aWNsZQ==" * 50,
    ],
)
def test_text_with_no_ordinary_words_is_not_an_article(junk: str) -> None:
    with pytest.raises(ArticleError, match="does not look like an article"):
        article_from_paste(junk)


# -- bylines of plain text and PDFs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Dana Whitfield", "Dana Whitfield"),
        ("BY DANA WHITFIELD", "DANA WHITFIELD"),
        ("By Dana Whitfield and Tom Hale", "Dana Whitfield and Tom Hale"),
        ("By Dana Whitfield, Reuters", "Dana Whitfield"),
        ("Dana Whitfield, Reuters", "Dana Whitfield"),
        ("By Dana Whitfield, Staff Writer", "Dana Whitfield"),
        ("By Reuters", None),
        ("By Friday", None),
        ("By noon the pumps at the new berths had stopped for good.", None),
    ],
)
def test_a_byline_line_near_the_top_of_plain_text_names_the_author(
    byline: str, author: str | None
) -> None:
    text = (
        "Harbour expansion stays on schedule\n"
        f"{byline}\n"
        "PORT ELLIS - Dredging of the new berths ended on Friday, the port authority said in "
        "a statement.\n"
    )
    assert article_from_paste(text).meta.author == author


def test_a_byline_deep_in_the_story_is_no_author() -> None:
    lines = [f"Paragraph {n} tells of the harbour works and the dredging." for n in range(8)]
    text = "\n\n".join([*lines, "By Dana Whitfield"]) + "\n"
    assert article_from_paste(text).meta.author is None


def test_a_pdf_without_an_author_field_takes_the_byline_on_its_first_page(
    tmp_path: Path,
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    lines = [
        (72, 720, "Harbour expansion stays on schedule"),
        (72, 700, "Dana Whitfield, Reuters"),
        (72, 680, "PORT ELLIS - Dredging of the new berths ended on Friday, the port"),
        (72, 666, "authority said in a statement issued late in the evening."),
    ]
    path = tmp_path / "story.pdf"
    fixtures.write_pdf(path, [fixtures._stream(lines)])
    assert load_article(path).meta.author == "Dana Whitfield"
    # The document info still wins where it names the author.
    assert load_article(DATA / "article.pdf").meta.author == "Ana Ruiz"
