"""Words as every stage compares them: lower-cased tokens, stop words, Snowball stems."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from qa.text.lexicon import CHAT_SPELLINGS

__all__ = [
    "STOPWORDS", "content_stems", "content_tokens", "expand_chat_spellings", "stem", "words",
]

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


# A chat spelling stands alone: not inside "U.S.", "R&D" or "Y-shaped".
_CHAT_WORD = re.compile(
    rf"(?<![\w'&./-])(?:{'|'.join(map(re.escape, sorted(CHAT_SPELLINGS, key=len, reverse=True)))})"
    r"(?=[\s?!,;:]|$)",
    re.I,
)


def expand_chat_spellings(text: str) -> str:
    """``text`` with chat spellings written out ("wat did luo say abt ppl" -> "what did luo
    say about people"); a capital single letter ("U", "R") is a name or initial and stays."""

    def written_out(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) == 1 and word.isupper():
            return word
        full = CHAT_SPELLINGS[word.lower()]
        return full[:1].upper() + full[1:] if word[:1].isupper() else full

    return _CHAT_WORD.sub(written_out, text)


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
    return content_stems(words(text))


def content_stems(text_words: Iterable[str]) -> list[str]:
    """:func:`content_tokens` of words already split off by :func:`words`."""
    return [stem(w) for w in text_words if w not in STOPWORDS]

