"""Words as every stage compares them: lower-cased tokens, stop words, Snowball stems."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["STOPWORDS", "content_tokens", "stem", "words"]

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

# Words that carry no topic: function words plus the interrogatives and light verbs
# questions are made of, so "What did Luo say about X" is judged on "Luo" and "X".
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom whose why will with would you your yours yourself
    yourselves according article tell told say says said saying mention mentioned mentions
    describe described does kind way ways thing things mean means something anything
    many much give given get got make made"""
    .split()
)


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer  # PyStemmer: the Snowball stemmer bm25s itself recommends

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball (English) stem of ``word``."""
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """Lower-cased word tokens, possessive "'s" dropped."""
    tokens = []
    for match in _TOKEN.finditer(text.lower()):
        token = match.group()
        if token.endswith(("'s", "\u2019s")):
            token = token[:-2]
        tokens.append(token)
    return tokens


def content_tokens(text: str) -> list[str]:
    """Stemmed content words: what lexical matching and highlighting compare."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]

