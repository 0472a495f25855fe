"""Typos in questions are corrected against the article's own words, and nothing else is."""

from __future__ import annotations

import pytest

from qa.text.spelling import Vocabulary, within_one_edit

ARTICLE = (
    "The council listed three priorities. The third priority is to replant the dunes near "
    "the exhibition hall in Zhangjiang. The county will pay for it, and Katyń is twinned."
)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.from_texts([ARTICLE])


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("whats the 3rd priorty?", "whats the third priority?"),
        ("What is near the exhbition hall?", "What is near the exhibition hall?"),
        ("Where is Zhangjian?", "Where is Zhangjiang?"),  # a dropped letter in a name
        ("Which town is Katyn twinned with?", "Which town is Katyń twinned with?"),
    ],
)
def test_a_word_one_edit_from_an_article_word_is_corrected_to_it(
    vocabulary: Vocabulary, typed: str, corrected: str
) -> None:
    assert vocabulary.correct(typed) == corrected


@pytest.mark.parametrize(
    "question",
    [
        "Which country pays for it?",  # an English word, not a typo of "county"
        "What are the priorities of the councils?",  # forms of the article's words
        "Who swims near the dunes?",  # an inflected English word
        "Is the form ready?",  # too short to correct safely
        "What does the 4th point say?",  # "fourth" is not in the article either
    ],
)
def test_real_words_and_short_words_are_left_alone(
    vocabulary: Vocabulary, question: str
) -> None:
    assert vocabulary.correct(question) == question


def test_one_edit_is_an_insertion_deletion_substitution_or_swap() -> None:
    assert within_one_edit("priorty", "priority")
    assert within_one_edit("exhibtion", "exhibition")
    assert within_one_edit("recieve", "receive")  # two neighbours swapped
    assert within_one_edit("county", "country")
    assert not within_one_edit("priority", "property")
    assert not within_one_edit("abc", "abcde")
