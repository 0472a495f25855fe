"""Stage 2: the names an article mentions outside quotes, and what it says of each.

A title is what the article says of a person, always inside the name's own sentence: title
words before the name ("Local councillor", "White House spokesman"), an apposition after it (an
age skipped, cut before a relative clause), which beats a bare honorific ("Prof."), or failing
both a short relative clause ("who chairs X").
The result, :class:`Registry`, is built once per article and never changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from qa.core.types import Article
from qa.text.lexicon import (
    BARE_HONORIFICS,
    CLAUSE_CUTS,
    COMPANY_WORDS,
    CUE_VERBS,
    DETERMINERS,
    GENDERED_ROLES,
    GENERIC_MODIFIERS,
    GROUP_NOUNS,
    HONORIFICS,
    NOT_NAMES,
    ORG_NOUNS,
    ORG_WORDS,
    PARTICIPLES,
    ROLE_NOUNS,
    TITLE_WORDS,
)

__all__ = [
    "ABBREVIATION",
    "COMPLEMENT",
    "NAME_RUN",
    "Name",
    "Registry",
    "agentive_head",
    "build_registry",
    "is_premodifier",
    "is_title_word",
    "modifies_role",
    "sentence_end",
    "split_run",
]

_NAME_TOKEN = r"(?:[A-Z]\.(?:[A-Z]\.)*|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St|Del)\.|[A-Z][\w\u2019'\-]*\w)"  # noqa: E501
# Up to two particles: "Pieter van der Berg".
_NAME_PARTICLE = r"(?:(?:de|da|di|van|von|der|den|bin|al|la|le|del|of)[ \t\u00a0]+){0,2}"
#: A capitalised run: the candidate for a name, a title and a name, or a body.
NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:[ \t\u00a0]+{_NAME_PARTICLE}{_NAME_TOKEN})*")
_HONORIFIC_WORDS = frozenset({"mr", "mrs", "ms", "dr"})
_GENERATIONAL = frozenset({"II", "III", "IV", "Jr.", "Sr."})
# What may follow a name before the next space: a closing bracket, sentence punctuation and a
# closing quote mark, in news order. Anything else ("Robert');") is code or junk, not a name.
_NAME_TAIL = re.compile(
    r"(?:['\u2019]s?(?=[\s\u00a0]|$))?\.?[)\]]?[,.;:!?\u2026]{0,3}(?:''|[\u201d\u2019\"'])?[)\]]?"
    r"(?=[\s\u00a0\u2014\u2013/\-]|$)"
)
_NUMBERED = re.compile(r"[ \t\u00a0]+\d")
_ROLE_AFTER = re.compile(r"[ \t\u00a0]+([a-z][a-z\-]*)\b")
# Words that make the name after them a place: "from the village of Dunmore Cross", "in Ely",
# and the state after its town: "in Herndon, Virginia".
_PLACE_BEFORE = re.compile(
    r"""(?:\b(?:in|at|from|near|into|across|outside|inside|around|through|towards?|via)
         |\b(?:village|town|city|county|district|region|province|state|island|parish|borough
            |suburb|municipality|country)[ \t\u00a0]+of)
        [ \t\u00a0]+(?:the[ \t\u00a0]+)?
        (?:[A-Z][\w.\-]*(?:[ \t\u00a0]+[A-Z][\w.\-]*)?,[ \t\u00a0]+)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_ROLE_BEFORE_NAME = re.compile(
    r"\b(?:the|a|an|our|their|its|his|her)[ \t\u00a0]+"
    r"(?P<role>(?:[\w\-.'\u2019]+[ \t\u00a0]+){0,3}?[\w\-]+),[ \t\u00a0]+$",
    re.IGNORECASE,
)
# "Council on | Foreign Relations", "Center for | American Progress": a run after these is the
# rest of a body's name (the particle "of" is inside NAME_RUN already).
_BODY_BEFORE = re.compile(r"\b([A-Z][a-z]+)[ \t\u00a0]+(?:on|for)[ \t\u00a0]+$")
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
_TITLE_CASE_WORDS = 5  # long words a line needs before its capitals say "headline"
_SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "we", "they"})
# Nouns for what someone does: "hydrologist", "campaigner", "historian", "consultant".
_AGENTIVE = re.compile(r"[a-z]{3,}(?:ist|ian|er|or|ant|ent)")
#: Where a role phrase ends and its complement begins: "coastal engineer | at the university".
COMPLEMENT = re.compile(r"\s+(?:for|at|of|in|on|with|from|to|near|who|whose|which|and)\s")
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St|Jr|Sr|Inc|Co|"
    r"Corp|Ltd|No|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|U\.K|D\.C|a\.m|p\.m|Del|"
    r"Mt|Ft|Ave|Blvd|Dept|Univ|vs)$"
)


@dataclass(frozen=True, slots=True)
class Name:
    """A proper-name occurrence outside quotes, split into title words and the name itself."""

    start: int
    end: int
    name: str
    title: str | None
    possessive: bool
    gender: str | None
    place: bool = False  # object of a locative phrase ("from the village of X"): never "she"


@dataclass(frozen=True, slots=True)
class Registry:
    """Names known to one article: every mention, full names, titles, genders and businesses."""

    mentions: tuple[Name, ...]
    full_names: tuple[Name, ...]
    titles: Mapping[str, tuple[str, ...]]
    genders: Mapping[str, str]
    businesses: frozenset[str]  # "Peabody Energy": for "Peabody said"
    # Named bodies ("Northbridge University") by first mention, for "the university said".
    organisations: tuple[tuple[int, str], ...]
    # Full names by their first and last word, so a surname finds its full names at once.
    by_part: Mapping[str, tuple[Name, ...]]

    def canonical(self, name: str, at: int) -> str:
        """Full name for a surname-only mention: the first full name containing it that the
        article introduced before the mention. A relative named later ("Bill Clinton ... his
        wife Hillary Clinton ... Clinton said") does not take over the surname: news copy
        gives a second person of that name her full name or first name."""
        if " " in name:
            return self._longer(name, at)
        fulls = self.by_part.get(name, ())
        before = [full for full in fulls if full.start < at]
        return before[0].name if before else fulls[0].name if fulls else name


    def _longer(self, name: str, at: int) -> str:
        """``Ruiz Marín`` after ``Elena Ruiz Marín``: a name made of the trailing words of
        exactly one full name introduced before it is that person (a two-word surname). Not
        when the shorter name came first: "Hillary Clinton ... Rival Hillary Clinton" took in
        a sentence's first word, it introduced nobody new."""
        tokens = name.split()
        first = next((m.start for m in self.mentions if m.name == name), at)
        fits = {
            full.name for full in self.by_part.get(tokens[-1], ())
            if full.start < min(at, first) and len(full.name.split()) > len(tokens)
            and full.name.split()[-len(tokens):] == tokens
        }  # fmt: skip
        return fits.pop() if len(fits) == 1 else name


def sentence_end(text: str, start: int) -> int:
    """Offset of the end of the sentence that contains ``start`` (abbreviations skipped)."""
    for match in re.finditer(r"[.!?;](?=\s|$)|\n", text[start:]):
        at = start + match.start()
        if text[at] == "." and ABBREVIATION.search(text, max(0, at - 5), at):
            continue
        return at
    return len(text)


def split_run(text: str, start: int, end: int) -> Name | None:
    """A capitalised run as a person's name, or None when it names a place or a body."""
    if not _NAME_TAIL.match(text, end) or is_premodifier(text, start, end):
        return None
    if _NUMBERED.match(text, end) and not text[start:end].endswith(("'s", "\u2019s")):
        return None  # "Steelworkers Local 88", "Route 9": a numbered thing, not a person
    if modifies_role(text, end):
        return None  # "the former New Mexico governor": a place or body modifying a role
    run = text[start:end]
    possessive = run.endswith(("'s", "\u2019s"))
    if possessive:
        run = run[:-2]
    tokens = run.split()
    for index in range(1, len(tokens)):
        # "of" joins a title ("Secretary of State John Kerry"), never a name to a place.
        if tokens[index] == "of" and tokens[index - 1].lower() not in TITLE_WORDS:
            tokens = tokens[:index]
            possessive = False
            break
    offsets: list[int] = []
    cursor = start
    for token in tokens:
        cursor = text.index(token, cursor)
        offsets.append(cursor)
        cursor += len(token)
    gender: str | None = None
    first = 0
    for index, token in enumerate(tokens[:-1]):
        if token.endswith(("'s", "\u2019s")):  # "NBC's Dante Chinni": the owner is no name
            first = index + 1
    for index in range(first + 1, len(tokens) - 1):
        before = tokens[first:index]
        if tokens[index].lower().rstrip(".") in _HONORIFIC_WORDS and not all(
            t.lower() in TITLE_WORDS for t in before
        ):
            first = index  # "Should Mr. Clarke's company": a sentence's first word, no name
            break
    while first < len(tokens) and tokens[first].lower().rstrip(".") in NOT_NAMES:
        gender = HONORIFICS.get(tokens[first].lower(), gender)
        first += 1
    title_end = first
    for index in range(first, len(tokens) - 1):
        # The last title word closes the pre-modifier: "Wells Fargo CEO John Stumpf".
        if is_title_word(tokens[index]) and tokens[index] != "of":
            title_end = index + 1
    name_tokens = tokens[title_end:]
    if not name_tokens:
        return None
    if any(t.lower().rstrip(".") in ORG_WORDS or t.lower() in NOT_NAMES for t in name_tokens):
        return None
    if any(len(t) > 1 and t.isupper() and "." not in t and t not in _GENERATIONAL
           for t in name_tokens):
        return None  # acronyms name bodies (CPC, NATO), not people
    if first == 0 and re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 5) : start], re.I):
        return None
    body = _BODY_BEFORE.search(text, max(0, start - 30), start)
    if body is not None and body.group(1).lower() in ORG_WORDS:
        return None  # "Commission on Presidential Debates": the tail of a body's name
    title_tokens = [t for t in tokens[first:title_end] if t.lower() not in HONORIFICS]
    title = " ".join(title_tokens) or None
    name_start = offsets[title_end]
    name_end = offsets[-1] + len(tokens[-1])
    # "praise from President Vladimir Putin": a titled name stays a person after a preposition.
    place = not title and not gender and _PLACE_BEFORE.search(text, max(0, start - 40), start)
    return Name(name_start, name_end, text[name_start:name_end], title, possessive, gender,
                bool(place))


def is_title_word(word: str) -> bool:
    """A word that may stand in a title before a name, hyphenated ones included when every
    part is a title word: "Vice-Chancellor", "Attorney-General", "Deputy-Mayor"."""
    lower = word.lower()
    if lower in TITLE_WORDS:
        return True
    parts = lower.split("-")
    return len(parts) > 1 and all(part in TITLE_WORDS for part in parts)


def modifies_role(text: str, end: int) -> bool:
    """The capitalised run ending at ``end`` stands before a lower-case role noun."""
    role = _ROLE_AFTER.match(text, end)
    return role is not None and role.group(1) in ROLE_NOUNS


def is_premodifier(text: str, start: int, end: int) -> bool:
    """``Local councillor Brian Keane``: a capitalised run of title words only, followed by
    lower-case title words and a name, is the name's title, not a name of its own."""
    tokens = text[start:end].split()
    if not all(is_title_word(t) for t in tokens):
        return False
    follow = re.match(r"((?:[ \t\u00a0]+[a-z][\w\-]*){1,3})[ \t\u00a0]+[A-Z]", text[end:])
    return follow is not None and all(w in TITLE_WORDS for w in follow.group(1).split())


def _lowercase_premodifier(text: str, name_start: int) -> str | None:
    """Lower-case title words right before a name: "presidential nominee Donald Trump", or a
    role in apposition before it: "the captain, Ida Lund"."""
    window_start = max(0, name_start - 80)
    apposed = _ROLE_BEFORE_NAME.search(text, window_start, name_start)
    if (
        apposed is not None
        and apposed.group("role").split()[-1].lower() in ROLE_NOUNS
        # "a welder at the yard. The captain, Ida Lund": the role is the last sentence's.
        and sentence_end(text, apposed.start("role")) >= apposed.end("role")
    ):
        role = apposed.group("role")
        if re.match(r"\S+['\u2019]s\b", role):  # "the state's campaign chairman, Phil Lovas"
            return f"{apposed.group(0).split()[0].lower()} {role}"
        return role
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
    stop = min(limit, sentence_end(text, start))
    for sep in _APPOSITION_END:
        found = text.find(sep, start, stop)
        if found >= 0:
            stop = found
    return text[start:stop].rstrip(" .")


def _apposition(text: str, name_end: int, limit: int) -> str | None:
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


def _relative_clause(text: str, name_end: int, limit: int) -> str | None:
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


def _title_case_lines(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Lines of ``text[lo:hi]`` written in Title Case ("[Video: President Obama Speech at
    Black Caucus Foundation]"): capitals there mark no names, so runs in them are skipped."""
    lines: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[lo:hi]):
        long_words = re.findall(r"[^\W\d_][\w'\u2019\-]{3,}", line.group())
        capitals = sum(w[0].isupper() for w in long_words)
        if len(long_words) >= _TITLE_CASE_WORDS and capitals >= 0.8 * len(long_words):
            lines.append((lo + line.start(), lo + line.end()))
    return lines


def _names(text: str, lo: int, hi: int, inside: bytes) -> Iterator[Name]:
    title_case = _title_case_lines(text, lo, hi)
    for match in NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()] or any(a <= match.start() < b for a, b in title_case):
            continue
        name = split_run(text, match.start(), match.end())
        if name is not None:
            yield name


def _business_names(text: str, lo: int, hi: int, inside: bytes) -> Iterator[str]:
    """Capitalised runs ending in a business word ("Peabody Energy", "Norland Motors")."""
    for match in NAME_RUN.finditer(text, lo, hi):
        tokens = re.sub(r"['\u2019]s$", "", match.group()).split()
        while tokens and tokens[0].lower() in NOT_NAMES:
            tokens.pop(0)
        business = len(tokens) > 1 and tokens[-1].lower().rstrip(".") in COMPANY_WORDS
        if business and not inside[match.start()]:
            yield " ".join(tokens)


def _organisation_names(text: str, lo: int, hi: int, inside: bytes
                        ) -> Iterator[tuple[int, str]]:
    """Capitalised runs that hold a body's word ("Northbridge University", "Ministry of
    Health"), cut before a title and name that follow ("Kelso Council | Chief Executive Ann
    Lee"); a title word after "of" is the body's own ("Ministry of Health")."""
    org_words = ORG_WORDS | ORG_NOUNS
    for match in NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()] or split_run(text, match.start(), match.end()) is not None:
            continue  # "Secretary of State Jon Husted" is a person, whatever his title holds
        tokens = re.sub(r"['\u2019]s$", "", match.group()).split()
        while tokens and tokens[0].lower() in NOT_NAMES:
            tokens.pop(0)
        at = next((i for i, t in enumerate(tokens) if t.lower().rstrip(".") in org_words), None)
        if at is None or len(tokens) < 2:
            continue
        end = next(
            (i for i in range(at + 1, len(tokens))
             if is_title_word(tokens[i]) and tokens[i] != "of" and tokens[i - 1] != "of"
             and not all(is_title_word(t) for t in tokens[i:])),
            len(tokens),
        )  # fmt: skip
        if end > 1:
            yield match.start(), " ".join(tokens[:end])


def _add_title(titles: dict[str, list[str]], key: str, title: str) -> None:
    """Add ``title`` unless a known title says it already; a fuller title replaces the ones
    it contains ("Republican" gives way to "Republican presidential nominee")."""
    known = titles.setdefault(key, [])
    folded = _bare_title(title)
    if any(_contains(_bare_title(existing), folded) for existing in known):
        return
    kept = [existing for existing in known if not _contains(folded, _bare_title(existing))]
    known[:] = [*kept, title]


def _bare_title(title: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", title.lower())


def _contains(phrase: str, part: str) -> bool:
    """``part`` is a run of whole words of ``phrase``."""
    return re.search(rf"(?<![\w.]){re.escape(part)}(?![\w.])", phrase) is not None


def build_registry(article: Article, inside: bytes, skip_first: bool) -> Registry:
    """Collect full names, titles (pre-modifiers and appositions) and genders, in text order."""
    text = article.text
    paragraphs = article.paragraphs[1:] if skip_first else article.paragraphs
    mentions: list[tuple[Name, int]] = []
    businesses: set[str] = set()
    organisations: list[tuple[int, str]] = []
    for p_start, p_end in paragraphs:
        businesses.update(_business_names(text, p_start, p_end, inside))
        organisations.extend(_organisation_names(text, p_start, p_end, inside))
        mentions.extend((name, p_end) for name in _names(text, p_start, p_end, inside))
    full_names = tuple(name for name, _ in mentions if len(name.name.split()) > 1)
    # A surname met first with a title ("President Obama") is a person the reader already
    # knows: a full name introduced after it ("the first lady, Michelle Obama") is a relative.
    # Not so after a bare honorific: an opinion piece may open on "Mr. Trump".
    introduced: dict[str, int] = {}
    for name, _ in mentions:
        if " " not in name.name and name.title:
            introduced.setdefault(name.name, name.start)
    by_part: dict[str, list[Name]] = {}
    for full in full_names:
        parts = full.name.split()
        for part in {parts[0], parts[-1]}:
            if introduced.get(part, full.start) >= full.start:
                by_part.setdefault(part, []).append(full)
    index = MappingProxyType({part: tuple(names) for part, names in by_part.items()})
    names_only = Registry(tuple(n for n, _ in mentions), full_names, {}, {}, frozenset(), (), index)
    titles: dict[str, list[str]] = {}
    genders: dict[str, str] = {}
    clauses: dict[str, str] = {}
    for name, p_end in mentions:
        key = names_only.canonical(name.name, name.start)
        if name.gender:
            genders.setdefault(key, name.gender)
        if key.lower() in GROUP_NOUNS:
            continue  # "her fellow Democrats": a group holds no title
        found = [name.title, _lowercase_premodifier(text, name.start) if not name.title else None]
        if not name.possessive:
            found.append(_apposition(text, name.end, p_end))
            clause = None if name.place else _relative_clause(text, name.end, p_end)
            if clause is not None:
                clauses.setdefault(key, clause)
        for title in found:
            if title:
                _add_title(titles, key, title)
                for word in title.lower().split():
                    if word in GENDERED_ROLES:
                        genders.setdefault(key, GENDERED_ROLES[word])
    for key, clause in clauses.items():
        if key not in titles:
            _add_title(titles, key, clause)
    final: dict[str, tuple[str, ...]] = {}
    for key, known in titles.items():
        # "Prof., an obstetrician at X": the description says more than the honorific.
        described = [t for t in known if not BARE_HONORIFICS.issuperset(t.lower().split())]
        final[key] = tuple(described or known)
    return Registry(
        names_only.mentions,
        full_names,
        MappingProxyType(final),
        MappingProxyType(genders),
        frozenset(businesses),
        tuple(organisations),
        index,
    )
