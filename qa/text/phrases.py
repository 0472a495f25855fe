"""Candidate answer phrases in a sentence: proper names, numbers, dates and enumerations.

General rules over a sentence's own shape, never lists of names, so they carry to articles
nobody looked at: a capitalised run of words is a name ("Bank of England"), a number keeps
its currency, scale and unit ("$4.5 billion", "1,230 km"), a date its parts ("March 3,
2019", "the 16th century", "by the end of the year"). Each function returns (start, end)
offsets into the article text; :mod:`qa.answering.short_answer` chooses among them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from qa.core.types import Person
from qa.text.lexicon import (
    BARE_HONORIFICS,
    HONORIFICS,
    MONTHS,
    NOT_NAMES,
    NUMBER_WORDS,
    ORG_WORDS,
    ROLE_NOUNS,
    TITLE_WORDS,
    WEEKDAYS,
)

__all__ = [
    "WORD",
    "YEAR",
    "dates",
    "enumerations",
    "is_org",
    "is_person_like",
    "is_place_like",
    "known_person",
    "names",
    "numbers",
    "untitled",
]

#: A word: letters and digits, with inner apostrophes, dots and hyphens ("U.S.", "Rhine-Meuse").
WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*", re.UNICODE)

# Lower-case words that may stand inside a proper name: "University of Chicago", "Rhine-Meuse".
_NAME_JOINERS = frozenset("of de du da del der den van von la le al bin y the".split())
_CAPITAL = re.compile(r"(?:[A-Z]|[\u00c0-\u00de])[\w'\u2019.&-]*")
_MONTHS = frozenset(MONTHS)
_WEEKDAYS = frozenset(WEEKDAYS)


def _name_runs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of capitalised words in ``text[start:end]``, lower-case joiners
    such as "of" allowed between them ("Bank of England")."""
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end)]
    i = 0
    while i < len(tokens):
        if not _CAPITAL.fullmatch(tokens[i][2]):
            i += 1
            continue
        first = i
        last = i
        j = i + 1
        while j < len(tokens):
            gap = text[tokens[j - 1][1] : tokens[j][0]]
            initial = len(tokens[j - 1][2]) == 1 and tokens[j - 1][2].isupper()
            if gap not in (" ", "-", " & ") and not (initial and gap == ". "):  # "John D. Ro"
                break
            word = tokens[j][2]
            if _CAPITAL.fullmatch(word):
                last = j
                j += 1
            elif word in _NAME_JOINERS and j + 1 < len(tokens) and _CAPITAL.fullmatch(
                tokens[j + 1][2]
            ) and text[tokens[j][1] : tokens[j + 1][0]] == " ":
                j += 1
            else:
                break
        yield tokens[first][0], tokens[last][1]
        i = last + 1


def _is_sentence_start(text: str, start: int, sentence_start: int) -> bool:
    before = text[sentence_start:start].strip()
    return not before or before[-1] in "\"'\u201c\u2018(:;\u2014-"


def _occurs(word: str, text: str, before: Callable[[str], bool]) -> bool:
    """Whether ``word`` occurs in ``text`` as a whole word whose preceding text passes
    ``before``. A plain substring search first: a regex over a long article per sentence
    costs milliseconds."""
    at = text.find(word)
    while at != -1:
        end = at + len(word)
        whole = (at == 0 or not _is_word_char(text[at - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        )
        if whole and before(text[max(0, at - 2) : at]):
            return True
        at = text.find(word, at + 1)
    return False


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "-_"


def _appears_lower(word: str, article: str) -> bool:
    """Whether the article also uses ``word`` in lower case: a common word, not a name."""
    return _occurs(word.lower(), article, lambda _: True)


def _appears_inside_sentence(word: str, article: str) -> bool:
    """Whether the article writes ``word`` capitalised after a lower-case word: a name."""
    return _occurs(
        word, article, lambda before: len(before) == 2 and before[1] == " " and (
            before[0].islower() or before[0] in ",;"
        )
    )


def names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Proper-name spans of the sentence: capitalised runs without a sentence-initial common
    word ("The", "However", "Geology" when the article also writes "geology"), without dates."""
    found: list[tuple[int, int]] = []
    for run_start, run_end in _name_runs(text, start, end):
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, run_start, run_end)]
        while words:
            word = words[0][2]
            lowered = word.lower()
            common = lowered in NOT_NAMES or lowered in _MONTHS or lowered in _WEEKDAYS
            if not common and _is_sentence_start(text, words[0][0], start):
                # Only the article's other uses tell "Paris" from "Work" at a sentence start.
                common = _appears_lower(word, text) or (
                    len(words) == 1 and not _appears_inside_sentence(word, text)
                )
            if not common and lowered not in _NAME_JOINERS:
                break
            words.pop(0)
        while words and words[-1][2].lower() in _NAME_JOINERS | _MONTHS | _WEEKDAYS:
            words.pop()
        if words:
            found.append((words[0][0], words[-1][1]))
    return found


# Words before a name that are a title ("Mayor", "Sen.", "Dr"), not adjectives ("National").
_TITLES = (ROLE_NOUNS | BARE_HONORIFICS | set(HONORIFICS)) | {
    word for word in TITLE_WORDS if word.endswith(".")
} | {"lord", "lady", "saint", "st.", "sir", "dame"}


def untitled(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A person's name without the title in front ("Mayor Elena Ortiz" -> "Elena Ortiz")."""
    start, end = span
    for match in WORD.finditer(text, start, end):
        word, rest = match.group(), text[match.end() : end].split()
        # Only a capitalised title followed by a capitalised name: "King of England" stays.
        if word.lower() not in _TITLES or not word[:1].isupper() or not rest:
            break
        if not rest[0][:1].isupper():
            break
        start = match.end() + 1
    return start, end


def is_org(name: str) -> bool:
    """A name with a word of an organisation or place in it ("Harbourline Engineering
    Company", "Bank of England"), or an acronym ("IPCC")."""
    parts = name.split()
    last = parts[-1].lower().rstrip(".")
    return last in ORG_WORDS or any(p.lower() in ORG_WORDS for p in parts) or (
        len(parts) == 1 and len(name) >= 2 and name.isupper()
    )


def is_person_like(name: str, people: Sequence[Person]) -> bool:
    """A name that reads as a person's: one the article gives a speaker, or two to four
    capitalised words with no word of an organisation or place, no digits, no acronym."""
    if known_person(name, people):
        return True
    parts = name.split()
    return (
        2 <= len(parts) <= 4
        and not is_org(name)
        and not any(ch.isdigit() for ch in name)
        and not any(len(p) > 1 and p.isupper() for p in parts)
        and all(p.lower() not in _NOT_PERSON for p in parts)
        and parts[-1].lower() not in ROLE_NOUNS
        # "King of England", "Duke of Normandy": a title, not a name.
        and not (parts[0].lower() in TITLE_WORDS and parts[1] == "of")
        and parts[0].lower() not in _NUMBER_WORDS
    )


# Words of capitalised runs that are events, eras or things, never people.
_NOT_PERSON = frozenset(
    """war wars battle revolution empire dynasty age era period act treaty i ii iii iv
    north south east west northern southern eastern western great new old""".split()
)


# --------------------------------------------------------------------------- numbers and dates

# Numbers: digits (with separators), or number words, with a currency sign, a scale word and a
# unit that belong to them: "$4.5 billion", "38", "12 percent", "three", "1,230 km".
_NUMBER_WORDS = NUMBER_WORDS
_NUMBER_WORD = rf"(?:{'|'.join(_NUMBER_WORDS)})(?:-(?:{'|'.join(_NUMBER_WORDS)}))?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|m)"
_UNIT = (
    r"(?:per\s*cent|percent|%|m3/s|cu\s+ft/s|\u00b0\s?[CF]?\b|km2|sq\s*mi|"
    r"square\s+(?:miles|kilometres|kilometers|feet|metres|meters)|"
    r"km|kilometres|kilometers|miles|mi|metres|meters|m|feet|ft|inches|cm|mm|kg|"
    r"tonnes|tons|pounds|lb|degrees|mph|km/h|acres|hectares|dollars|euros|yuan|"
    r"years|months|weeks|days|hours|minutes|seconds|times)"
)
_FRACTION = (
    r"(?:halves|half|thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
)
_ONE_NUMBER = (
    rf"(?:(?:US|A|C|HK)?[$\u20ac\u00a3\u00a5]\s?)?"
    rf"(?:(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:(?:bn|m|k)\b|(?![\w]))"
    rf"|\b{_NUMBER_WORD}\b)"
    rf"(?:(?:\s+|-){_NUMBER_WORD}\b)*"
    rf"(?:(?:\s+|-){_FRACTION}\b)?"
    rf"(?:\s*-?\s*{_SCALE}\b)?"
    rf"(?:\s*-?\s*{_UNIT}(?![\w]))?"
)
# A range is one answer: "5,000 to 30,000", "30%\u201350%", "between 1.4 and 5.8 \u00b0C".
_NUMBER = re.compile(
    rf"(?:between\s+{_ONE_NUMBER}\s+and\s+|{_ONE_NUMBER}\s*(?:to|\u2013|-)\s*)?{_ONE_NUMBER}",
    re.I,
)
YEAR = re.compile(r"\d{3,4}s?")
_DATE = re.compile(
    r"\b(?:(?:early|mid|late|the\s+early|the\s+mid|the\s+late)[\s-]+)?"
    r"(?:"
    # "March 3, 2019", "March 2019", "3 March 2019", "March 3"
    rf"(?:\d{{1,2}}\s+)?(?:{'|'.join(m.title() for m in MONTHS)})"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{3,4})?"
    # "1066", "the 1990s", "AD 70", "1914-1918", "between 1914 and 1918"
    r"|(?:AD\s+)?\d{3,4}s?(?:\s*(?:AD|BC|BCE|CE)\b)?"
    r"(?:\s*(?:-|\u2013|to|and|until)\s*\d{2,4}s?)?"
    # "the 16th century", "the third century BC"
    r"|(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth|twenty-first)"
    r"(?:\s+and\s+\d{1,2}(?:st|nd|rd|th))?\s+(?:century|centuries|millennium)"
    r"(?:\s+(?:BC|AD|BCE|CE))?"
    # "yesterday", "last week", "by the end of the year"
    r"|(?:yesterday|today|tomorrow|tonight)"
    r"|(?:last|next|this|earlier\s+this|later\s+this)\s+(?:week|month|year|spring|summer|autumn|"
    r"fall|winter|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:by\s+)?the\s+(?:end|start|beginning|middle)\s+of\s+(?:the\s+|this\s+|next\s+)?"
    r"(?:year|month|week|decade|century|\d{4})"
    r")\b",
)


def numbers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Each amount in ``text[start:end]`` with its currency, scale and unit; a range counts as
    one amount, a bare year as none."""
    found: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(text, start, end):
        phrase = match.group().rstrip()
        core = phrase.lower()
        if YEAR.fullmatch(core) and 1000 <= int(core.rstrip("s")) <= 2100:
            continue  # a bare year is a date, not an amount
        if core in ("one", "m") or core in _SCALE_WORDS:
            continue  # "one of the ...", a stray initial: rarely a count
        if core.startswith("between "):
            match_start = match.start() + len("between ")
        else:
            match_start = match.start()
        # "1,230 km (760 mi)": the figure in brackets restates the one before it.
        if found and re.fullmatch(r"\s*\(\s*", text[found[-1][1] : match_start]):
            continue
        found.append((match_start, match.start() + len(phrase)))
    return found


_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen"})


def dates(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Each date or time expression in ``text[start:end]``: years, days, centuries, ranges
    of years, and deictic times ("last week", "by the end of the year")."""
    found: list[tuple[int, int]] = []
    for match in _DATE.finditer(text, start, end):
        phrase = match.group()
        if re.search(r"\d[,.]$", text[max(0, match.start() - 2) : match.start()]):
            continue  # the tail of "1,230" or "3.500" is no year
        if phrase.isdigit() and not 100 <= int(phrase) <= 2100:
            continue
        if phrase.isdigit() and _next_word(text, match.end()) in _UNIT_WORDS:
            continue  # "1,230 km", "300 people": an amount
        found.append((match.start(), match.end()))
    return found


_UNIT_WORDS = frozenset("km miles metres meters feet people percent % tonnes tons".split())


def _next_word(text: str, index: int) -> str:
    match = WORD.search(text, index, min(len(text), index + 30))
    if match is None or text[index : match.start()].strip(" ,") not in ("", "%"):
        return ""
    return match.group().lower()


# --------------------------------------------------------------------------- enumerations

_MAX_ITEM_WORDS = 6
_ITEM = r"[^,;:.()\"\u201c\u201d]+?"
_LEAD_CUTS = frozenset(
    """of as include includes including included are were is was be namely such like on in
    into for from with between among to by""".split()
)


def enumerations(text: str, start: int, end: int, count: int) -> list[tuple[int, int]]:
    """Each "A, B(,) and C" of exactly ``count`` items in the sentence, as (start, end)."""
    pattern = re.compile(
        rf"(?P<first>{_ITEM})" + rf",\s+{_ITEM}" * (count - 2) + r",?\s+(?:and|or)\s+"
        r"(?P<last>[^,;:.()\"\u201c\u201d]+?)(?=[,;:.()\"\u201c\u201d]|$|\s+(?:and|or|to|which|"
        r"that|who|were|are|was|is|in|with|for)\b)"
    )
    found = []
    segment = text[start:end]
    for match in pattern.finditer(segment):
        items = [part.strip() for part in re.split(r",\s*|\s+(?:and|or)\s+", match.group())]
        items = [item for item in items if item and item not in ("and", "or")]
        # Items of more than a few words are clauses, whose edges the pattern cannot find (the
        # first is cut to its siblings' length below).
        if len(items) != count or any(len(i.split()) > _MAX_ITEM_WORDS for i in items[1:]):
            continue
        # The first item has no left edge in the pattern: cut it back to the last word that
        # introduces a list ("industries of", "such as") and to about its siblings' length.
        first = match.group("first")
        first_words = first.split()
        longest = max(len(item.split()) for item in items[1:])
        keep = len(first_words)
        for index in range(len(first_words) - 1, -1, -1):
            if first_words[index].lower() in _LEAD_CUTS:
                keep = len(first_words) - index - 1
                break
        keep = min(keep, longest + 1)
        if keep == 0:
            continue
        lead = " ".join(first_words[-keep:])
        item_start = start + match.start("first") + first.rfind(lead)
        found.append((item_start, start + match.end("last")))
    # Items that are sentence shapes, not nouns ("he said, she said and they left") are rare in
    # a sentence retrieved for the question; the count check does the rest.
    return found


# --------------------------------------------------------------------------- kinds of names

_ADJECTIVE = re.compile(r"[A-Z]\w+(?:ish|ese|ian|ic)")
_EVENTS = frozenset("war wars battle revolution treaty act age period era".split())


def is_place_like(name: str) -> bool:
    """A name that can stand for a place: not a possessive ("Earth's" qualifies something
    else), not an adjective ("Scottish rivers"), not an event ("World War II")."""
    if name.endswith(("'s", "\u2019s")) or _ADJECTIVE.fullmatch(name):
        return False
    words = {w.lower() for w in name.split()}
    return not words & _EVENTS and not {w.rstrip("s") for w in words} & _WEEKDAYS


def known_person(name: str, people: Sequence[Person]) -> bool:
    """``name`` is, or is part of, the name of a person the article quotes. Only names that
    read as names count: attribution may call a group or a phrase a speaker."""
    lowered = name.lower()
    for person in people:
        parts = person.name.split()
        if (
            person.is_organization
            or len(parts) < 2
            or not all(p[:1].isupper() and not _ADJECTIVE.fullmatch(p) for p in parts)
            or parts[-1].endswith("s")
        ):
            continue
        if lowered == person.name.lower() or lowered in (p.lower() for p in parts):
            return True
    return False
