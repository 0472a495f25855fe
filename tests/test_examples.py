"""Example questions for an article (``ui/examples.py``): asked about the article's own
speakers, answered before they are shown, and grammatical: a topic is a noun phrase the
speaker says ("the supply chain"), never a bare count noun ("chain") or a verb ("goes")."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEncoder

from qa.answering.pipeline import Pipeline
from qa.core.config import Config
from qa.ingest import load_article
from ui.examples import article_examples

STEEL = Path(__file__).parent / "data" / "replies" / "steel.txt"


@pytest.fixture
def steel(fake_encoder: FakeEncoder, tmp_path: Path) -> Pipeline:
    return Pipeline.build(
        load_article(STEEL), config=Config.from_env(cache_dir=tmp_path), encoder=fake_encoder
    )


def test_an_example_topic_is_the_noun_phrase_the_speaker_says(steel: Pipeline) -> None:
    # Xu Feng says "the supply chain", "the chain" and "a chain": the topic keeps its
    # determiner and modifier rather than asking about "chain".
    examples = article_examples(steel, limit=10)
    assert "What did Xu Feng say about the supply chain?" in examples
    assert all(steel.answer(question, k=1).answered for question in examples)


def test_a_word_the_speaker_never_uses_as_a_noun_is_no_topic(steel: Pipeline) -> None:
    # Natalya Lawrence repeats "goes" four times and no noun twice: she is asked about, but
    # about no topic.
    examples = article_examples(steel, limit=10)
    about = [q for q in examples if q.startswith("What did Natalya Lawrence say about")]
    assert about == []
    assert "What did Natalya Lawrence say?" in examples
