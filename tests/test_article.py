"""Articles load from files, folders and strings into paragraphs with exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.core.config import default_article
from qa.core.errors import ArticleError
from qa.ingest.load import load_articles
from qa.ingest.text import article_from_text
from qa.passages.chunk import chunk_article
from qa.text.sentences import split_paragraphs, split_sentences

DATA = Path(__file__).parent / "data" / "article"


def test_blank_lines_separate_paragraphs_and_single_newlines_do_not() -> None:
    (article,) = load_articles(DATA / "blank_lines.txt")
    texts = [article.text[s:e] for s, e in article.paragraphs]
    assert texts == [
        "Headline of the day",
        "First paragraph line one\nstill first paragraph.",
        "Second paragraph.",
    ]


def test_whitespace_only_lines_count_as_blank() -> None:
    assert len(split_paragraphs("a\n \t \nb")) == 2


def test_crlf_offsets_index_the_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"One.\r\n\r\nTwo\r\nlines.\r\n")
    (article,) = load_articles(path)
    assert [article.text[s:e] for s, e in article.paragraphs] == ["One.", "Two\r\nlines."]


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfWith a BOM.\n\nNext.\n")
    (article,) = load_articles(path)
    assert article.text.startswith("With")


def test_seed_article_has_21_paragraphs_with_exact_offsets() -> None:
    (article,) = load_articles(default_article())
    assert len(article.paragraphs) == 21
    chunks = chunk_article(article)
    assert [c.paragraph for c in chunks] == list(range(1, 22))
    for chunk in chunks:
        text = article.text[chunk.start : chunk.end]
        assert text == text.strip() and text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b" \n\n\t\n", "empty"),
        (b"caf\xe9 in latin-1\n", "not valid UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_unusable_file_is_a_one_line_article_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        load_articles(path)
    assert "\n" not in str(info.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match=r"not found: .*nope\.txt"):
        load_articles(tmp_path / "nope.txt")


def test_folder_loads_every_txt_recursively_and_names_each_article(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Bee.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Ay.\n")
    (tmp_path / "notes.md").write_text("ignored\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("hidden\n")
    names = [a.name for a in load_articles(tmp_path)]
    assert names == ["b.txt", "sub/a.txt"]


def test_folder_skips_unreadable_files_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text("Fine.\n")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    assert [a.name for a in load_articles(tmp_path)] == ["good.txt"]
    assert "skipping" in capsys.readouterr().err


def test_folder_without_usable_articles_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match=r"no readable \.txt articles"):
        load_articles(tmp_path)


def test_sentences_do_not_break_after_abbreviations_or_initials() -> None:
    text = 'Mr. Smith met Dr. J. Doe in the U.S. capital. "It went well," he said. Done!'
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith met Dr. J. Doe in the U.S. capital.",
        '"It went well," he said.',
        "Done!",
    ]


def test_long_paragraph_splits_at_sentences_but_never_inside_a_quote() -> None:
    quote = '"' + " ".join(["Quoted words here."] * 30) + '"'
    narration = " ".join(["Plain narration sentence here."] * 30)
    article = article_from_text(f"{narration} {quote} {narration}")
    chunks = chunk_article(article, max_words=50)
    assert len(chunks) > 3
    assert all(c.paragraph == 1 for c in chunks)
    pieces = [article.text[c.start : c.end] for c in chunks]
    assert sum(quote in piece for piece in pieces) == 1  # the whole quote stays in one passage
    assert "".join(piece + " " for piece in pieces).strip() == article.text
