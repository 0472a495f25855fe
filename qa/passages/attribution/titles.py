"""Stage 2b: what an article says of a named person, read around the name's own sentence.

Title words before the name ("presidential nominee Donald Trump", "the captain, Ida Lund"), an
apposition after it (an age skipped, cut before a relative clause), or failing both a short
relative clause ("who chairs X"). :mod:`.registry` decides which of them a person keeps.
"""

from __future__ import annotations

import re

from qa.text.lexicon import (
    CLAUSE_CUTS,
    CUE_VERBS,
    DETERMINERS,
    GENERIC_MODIFIERS,
    NOT_NAMES,
    PARTICIPLES,
    ROLE_NOUNS,
    TITLE_WORDS,
)

from .names import is_title_word
from .stops import clause_end

__all__ = ["COMPLEMENT", "agentive_head", "apposition", "lowercase_premodifier", "relative_clause"]

_ROLE_BEFORE_NAME = re.compile(
    r"\b(?:the|a|an|our|their|its|his|her)[ \t\u00a0]+"
    r"(?P<role>(?:[\w\-.'\u2019]+[ \t\u00a0]+){0,3}?[\w\-]+),[ \t\u00a0]+$",
    re.IGNORECASE,
)
# Right before the first word of a sentence or paragraph (not of a quote's reporting clause:
# '," White House spokesman').
_SENTENCE_OPENS = re.compile(r"(?:^|\n|[.!?]['\"\u2019\u201d]*)[ \t\u00a0]*$")
# An age comes before the apposition: "Marta Ruiz, 34, a mother of two".
_AGE = re.compile(r",[ \t\u00a0]+\d{1,3}(?=,)")
# A relative clause ends a role phrase: "an obstetrician at X who chaired the review".
_RELATIVE = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]+(?:and[ \t\u00a0]+)?(?:who|whom|whose|which)\b")
# Words that open no apposition: a relative clause, or the next item of a list ("his wife,
# Heidi, and his father, Rafael").
_NOT_APPOSITION = frozenset({"who", "which", "that", "whose", "and", "or", "but", "nor"})
# Adverbs before an apposition's role, left out of the title: "Ms. Ruiz, now a councillor".
_APPOSITION_LEADS = frozenset({"also", "now", "then", "currently", "once", "formerly"})
_APPOSITION_END = (",", ";", "\u201c", "\u201d", '"', "\n", " said", " says", " told")
_MAX_CLAUSE_TITLE_WORDS = 12
_SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "we", "they"})
# Nouns for what someone does: "hydrologist", "campaigner", "historian", "consultant".
_AGENTIVE = re.compile(r"[a-z]{3,}(?:ist|ian|er|or|ant|ent)")
#: Where a role phrase ends and its complement begins: "coastal engineer | at the university".
COMPLEMENT = re.compile(r"\s+(?:for|at|of|in|on|with|from|to|near|who|whose|which|and)\s")


def lowercase_premodifier(text: str, name_start: int) -> str | None:
    """Lower-case title words right before a name: "presidential nominee Donald Trump", or a
    role in apposition before it: "the captain, Ida Lund"."""
    window_start = max(0, name_start - 80)
    role = _apposed_role(text, window_start, name_start)
    if role is not None:
        return role
    return _premodifier_title(_touching_title_words(text, window_start, name_start))


def _apposed_role(text: str, window_start: int, name_start: int) -> str | None:
    """``the captain, Ida Lund``: a role phrase set off by a comma right before the name, kept
    only when it is this sentence's (the role of "a welder at the yard. The captain, Ida Lund"
    is the last sentence's)."""
    apposed = _ROLE_BEFORE_NAME.search(text, window_start, name_start)
    if (
        apposed is None
        or apposed.group("role").split()[-1].lower() not in ROLE_NOUNS
        or clause_end(text, apposed.start("role")) < apposed.end("role")
    ):
        return None
    role = apposed.group("role")
    if re.match(r"\S+['\u2019]s\b", role):  # "the state's campaign chairman, Phil Lovas"
        return f"{apposed.group(0).split()[0].lower()} {role}"
    return role


def _touching_title_words(text: str, window_start: int, name_start: int) -> list[str]:
    """The words right before the name, nearest last, that may form its title: title words,
    and a capitalised run touching them that owns the role ("Clinton campaign manager")."""
    words = list(re.finditer(r"[\w.\-'\u2019]+", text[window_start:name_start]))
    kept: list[str] = []
    following = name_start
    owner = False  # inside the name that owns the role: "Hillary Clinton's | campaign manager"
    for match in reversed(words):
        word = match.group()
        # Title words touch the name: "the mayor. Lina Haddad" gives her no title.
        gap = text[window_start + match.end() : following]
        if gap.strip() or "\n" in gap:
            break
        if not is_title_word(word):
            # "White House spokesman", "retired Air Force general": a capitalised run
            # touching the role belongs to it, as far as the sentence's own words.
            if not kept or not _owner_word(text, window_start + match.start(), word):
                break
            owner = True
        elif owner and not word.islower():
            break  # "President | Obama adviser Ben Rhodes": the owner's own title is not hers
        following = window_start + match.start()
        kept.append(word)
    kept.reverse()
    return kept


def _premodifier_title(kept: list[str]) -> str | None:
    """The title the words before a name give, if they hold a role noun at all."""
    if kept and kept[-1].lower() == "of":
        return None  # "governor of Virginia": the name is the role's complement, not its holder
    while kept and kept[0].lower() in {"of", "the"}:
        kept.pop(0)
    if not any(w.lower() in ROLE_NOUNS for w in kept):
        return None
    if len(kept) > 1 and kept[0].lower() in GENERIC_MODIFIERS:
        # "Local councillor Brian Keane" opening a sentence: the capital is the sentence's.
        kept[0] = kept[0].lower()
    return " ".join(kept)


def _owner_word(text: str, at: int, word: str) -> bool:
    """``word`` at ``at`` is part of a name that owns a role ("Clinton campaign manager"):
    capitalised, no common word, and, opening a sentence, written with a capital in the middle
    of one too ("Conservative economist Aparna Rao": the capital is the sentence's)."""
    bare = re.sub(r"['\u2019]s?$", "", word)
    if not bare[:1].isupper() or bare.endswith(".") or bare.lower() in NOT_NAMES:
        return False
    if not _SENTENCE_OPENS.search(text, max(0, at - 6), at):
        return True
    return re.search(rf"[a-z,;:][ \t\u00a0]+{re.escape(bare)}\b", text) is not None


def _apposition_start(text: str, name_end: int, limit: int) -> int | None:
    party = re.compile(r"[ \t\u00a0]*\([^()]{1,40}\)").match(text, name_end, limit)
    if party is not None:  # "Rep. Gwen Moore (D-Wis.), head of ..."
        name_end = party.end()
    age = _AGE.match(text, name_end, limit)
    match = re.compile(r",\s+").match(text, age.end() if age else name_end, limit)
    return match.end() if match else None


def _phrase_until(text: str, start: int, limit: int) -> str:
    # A title is what one sentence says of a person: "Maria Alvarez, the transport director.
    # She has run ..." ends at the full stop ("St. Brendan's" and "U.S." are no full stops).
    stop = min(limit, clause_end(text, start))
    for sep in _APPOSITION_END:
        found = text.find(sep, start, stop)
        if found >= 0:
            stop = found
    return text[start:stop].rstrip(" .")


def apposition(text: str, name_end: int, limit: int) -> str | None:
    """``, director of the X Commission,`` after a name: the title the article gives."""
    start = _apposition_start(text, name_end, limit)
    if start is None:
        return None
    phrase = _phrase_until(text, start, limit)
    relative = _RELATIVE.search(phrase)
    if relative is not None and relative.start() > 0:
        phrase = phrase[: relative.start()]
    words = phrase.split()
    if not words or len(words) > 25 or words[0].lower() in _NOT_APPOSITION:
        return None
    lead = 0
    while lead < len(words) and words[lead].lower() in _APPOSITION_LEADS:
        lead += 1
    if _verb_phrase(words[lead:]):
        return None
    head = [w.lower().strip("().") for w in words[lead : lead + 5]]
    if not any(w in ROLE_NOUNS for w in head) and agentive_head(phrase) is None:
        return None
    if any(w.lower() in CUE_VERBS for w in words):
        return None
    return " ".join(words[lead:]) if lead else phrase


def _verb_phrase(words: list[str]) -> bool:
    """``Mrs. Clinton, succeeded the campaign manager as ...``: a lower-case word that is no
    title word, right before a determiner, is a verb and its object; an adjective never
    stands before "the" ("retired Air Force general" is a title)."""
    if len(words) < 2 or not words[0].islower() or words[0] in TITLE_WORDS | DETERMINERS:
        return False
    return words[1].lower() in DETERMINERS


def agentive_head(phrase: str) -> str | None:
    """``a hydrologist at the water board``: an indefinite phrase whose head noun names a
    person's occupation, for roles no word list can enumerate."""
    words = COMPLEMENT.split(phrase, maxsplit=1)[0].split()
    if len(words) < 2 or words[0].lower() not in {"a", "an"}:
        return None
    head = words[-1]
    return head if _AGENTIVE.fullmatch(head) else None


def relative_clause(text: str, name_end: int, limit: int) -> str | None:
    """``Owen Pryce, who leads the nurses' union branch,``: what someone does, as a title for
    a person the article gives no role noun."""
    start = _apposition_start(text, name_end, limit)
    if start is None or not re.compile(r"(?:who|whose)\b").match(text, start):
        return None
    phrase = _phrase_until(text, start, limit)
    phrase = re.split(r"[ \t\u00a0]*(?:\u2014|\u2013|--|\()", phrase, maxsplit=1)[0]
    second = _RELATIVE.search(phrase, 4)
    if second is not None:
        phrase = phrase[: second.start()]
    words = phrase.split()
    if any(w.lower().strip(".,") in CUE_VERBS | PARTICIPLES for w in words):
        return None  # "who said ..." is speech, not a description
    if any(w.lower() in _SUBJECT_PRONOUNS for w in words):
        return None  # "who had talked about the things she had come to believe": a story
    if len(words) > _MAX_CLAUSE_TITLE_WORDS:
        # Cut before the last complement that fits: "who served as ambassador to Burma
        # [from 2012 until earlier this year]"; "who sits on the board [and voted ...]".
        cuts = [i for i, w in enumerate(words[: _MAX_CLAUSE_TITLE_WORDS + 1])
                if i >= 3 and w.lower() in CLAUSE_CUTS]
        if not cuts:
            return None
        words = words[: cuts[-1]]
    while words and words[-1].lower().strip(",") in CLAUSE_CUTS | DETERMINERS:
        words.pop()  # "who works for RT and, ..." ends with its last content word
    return " ".join(words).rstrip(" ,") if len(words) > 1 else None

