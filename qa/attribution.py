"""Who is speaking where: rule-based quote and speaker attribution for news articles.

News copy marks speech with a small set of conventions, so a handful of readable rules finds
the speaker of most passages without a model (and without spaCy's start-up cost):

* direct quotes are runs between double quote marks (straight or curly); a paragraph that
  opens a quote without closing it continues into the next paragraph when that paragraph
  re-opens with a quote mark, and the whole run belongs to whoever is named at its end;
* a quote is attributed by a speech cue next to it: ``"...," X said``, ``"...," said X,
  title``, ``X, title, said, "..."``, ``according to X``;
* outside quotes, ``X said (that) ...`` is reported (indirect) speech up to the sentence end,
  or up to a coordinated clause with its own speaker (``..., and Y told reporters that ...``);
  ``..., said the mayor, Jane Doe.`` puts the speaker after the cue;
* a subject is looked for only in the cue's own clause (after ``;``, ``:`` or a dash), and a
  role in apposition (``The captain, Ida Lund, said``) yields the name and the title;
* surnames and pronouns resolve to the full name met elsewhere in the article ("he" and "she"
  never to a place, "from the village of X", nor to a body or a word of a body's name), a
  definite role ("the minister") to the one person whose title holds it, or failing any such
  title to the one person who spoke earlier in its paragraph; a definite body ("the
  carmaker") to the one named body of its kind that spoke before it, and "Peabody" to the
  "Peabody Energy" named elsewhere; names inside someone's quote never become speakers, and
  paragraphs enumerating the previous speaker's points ("The second was ...") stay with that
  speaker;
* a title is what the article says of a person: title words before the name ("Local
  councillor"), an apposition after it (an age skipped, cut before a relative clause), which
  beats a bare honorific ("Prof."), or failing both a short relative clause ("who chairs X").

Every offset is a Python string index into ``article.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from qa.article import split_sentences
from qa.types import Article, Kind, Person, Quote, Span, Speaker

__all__ = ["ROLE_NOUNS", "Attribution", "attribute"]

# --------------------------------------------------------------------------------------------
# Vocabulary. Lists of words, not of names: rules must generalise to unseen articles.
# --------------------------------------------------------------------------------------------



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce speech. Past and present forms; "say" covers "they say".
_CUE_VERBS = _words(
    """said says say told tells added adds wrote writes asked asks noted argued argues warned
    warns insisted insists stated explained explains tweeted replied replies responded responds
    continued declared declares announced claimed claims acknowledged admitted recalled recalls
    stressed emphasized emphasised suggested suggests countered conceded predicted observed
    remarked commented posted testified urged instructed promised vowed pledged joked quipped
    complained cautioned shouted yelled wondered mused boasted charged contended maintained
    concluded reiterated confirmed denied disclosed revealed reported reports exclaimed
    agreed recounted lamented tweets demanded yells yelled shouts sings sang read"""
)
# Cues that are also common nouns: trusted only right next to a quote.
_WEAK_CUES = frozenset({"reports", "tweets", "claims", "notes", "states", "posted", "charged"})
# Participles ("..., saying, "...") take the clause subject.
_PARTICIPLES = frozenset({"saying", "adding", "asking", "tweeting", "writing", "telling"})
_CUE_NEXT_TO_QUOTE = _CUE_VERBS | _PARTICIPLES | {"notes", "writes", "adds", "reads"}
_AUX = _words(
    "has have had would will also later then previously once again further recently "
    "repeatedly simply flatly quickly bluntly publicly privately"
)
_TIME_DEIXIS = _words("this last next on earlier later that")
_TIME_NOUNS = _words(
    """week month year morning afternoon evening night weekend day monday tuesday wednesday
    thursday friday saturday sunday"""
)
_PRONOUNS: dict[str, str | None] = {
    "he": "m", "she": "f", "they": None, "we": None, "i": None, "it": None,
}  # fmt: skip
_ORG_NOUNS = _words(
    """newspaper paper magazine ministry agency department company firm campaign committee
    commission council government administration office spokesman spokeswoman spokesperson
    statement report study group organization organisation union party court board bureau
    network station website site outlet channel police army military embassy university
    institute center centre foundation association league team club bank authority trust"""
)
_GROUP_NOUNS = _words(
    """officials analysts experts critics aides sources residents witnesses authorities
    researchers advocates supporters opponents democrats republicans voters lawmakers leaders
    economists investigators prosecutors scientists historians observers activists
    organizers organisers protesters"""
)
# Head nouns of a role: they make a phrase next to a name a title.
ROLE_NOUNS = _words(
    """president secretary director chairman chairwoman chair spokesman spokeswoman
    spokesperson senator governor mayor minister premier chancellor ambassador leader head
    chief officer executive ceo founder cofounder co-founder manager editor reporter
    correspondent columnist writer author analyst economist professor lecturer researcher
    scientist fellow adviser advisor aide strategist consultant lawyer attorney judge justice
    commissioner representative congressman congresswoman lawmaker candidate nominee member
    deputy vice general captain colonel sergeant lieutenant commander admiral king queen prince
    princess pope bishop pastor rabbi imam coach owner partner investor official diplomat
    spokesmen director-general secretary-general envoy councilman councilwoman treasurer
    speaker whip delegate activist organizer pollster historian expert specialist student
    teacher doctor physician nurse mother father son daughter wife husband sister brother
    resident voter supporter critic democrat republican independent host anchor producer
    actor actress singer artist musician comedian councillor councilor alderman engineer
    obstetrician surgeon midwife paramedic dentist pharmacist psychologist farmer fisherman
    worker driver pilot inspector superintendent constable detective planner architect
    parent grandmother grandfather chairperson trustee campaigner volunteer principal
    priest vicar"""
)
# Words that may stand before a name as a title ("Secretary of State John Kerry").
_TITLE_WORDS = ROLE_NOUNS | _words(
    """former then-president acting state general vice prime foreign defense defence finance
    interior house senate majority minority democratic republican presidential vice-presidential
    u.s. us federal national chief executive sen. rep. gov. gen. lt. col. sgt. capt. adm. cmdr.
    atty. supt. insp. dr. prof. rev. attorney first lady of sen rep gov gen dr prof local
    regional municipal provincial health junior senior assistant associate"""
)
# Modifiers of a role that are never proper adjectives ("Local councillor", not "Republican").
_GENERIC_MODIFIERS = _words(
    "local regional municipal provincial former acting deputy senior junior assistant associate"
)
# Honorifics that say less than any descriptive title: dropped when the article gives one.
_BARE_HONORIFICS = _words("dr. dr prof. prof professor rev. rev reverend sir dame")
_HONORIFICS = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f"}
_GENDERED_ROLES = {
    "spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f",
    "congressman": "m", "congresswoman": "f", "councilman": "m", "councilwoman": "f",
    "king": "m", "queen": "f", "prince": "m", "princess": "f", "actress": "f",
    "mother": "f", "father": "m", "wife": "f", "husband": "m", "son": "m", "daughter": "f",
    "grandmother": "f", "grandfather": "m", "fisherman": "m",
}  # fmt: skip
# Capitalised words that end a proper noun of a place or body, never a person's name.
_ORG_WORDS = _words(
    """city area center centre commission committee party council university college school
    institute foundation association house senate congress court department ministry agency
    office bureau company corporation corp inc group bank street avenue road park river
    province state states county district republic kingdom union nations news times post
    journal tribune network channel exhibition program programme zone station airport
    hospital church army navy force forces police campaign administration organization
    organisation fund bureau capital science technology initiative day week month year
    america europe asia africa york island islands sea ocean valley times herald springs
    heights falls authority trust alliance coalition federation society workers motors
    industries holdings airlines airways securities partners systems technologies
    pharmaceuticals energy ltd plc llc"""
)
# Name endings of a business, and the nouns an article uses for one later ("the carmaker"):
# "the company" is the one business that has spoken before it, when there is only one.
_COMPANY_WORDS = _words(
    """company corporation corp inc group bank motors industries holdings airlines airways
    securities partners systems technologies pharmaceuticals energy ltd plc llc"""
)
_COMPANY_NOUNS = _words(
    """company firm carmaker automaker manufacturer maker group business retailer airline
    insurer lender bank utility operator supplier producer developer conglomerate chain
    brokerage"""
)
# Capitalised words that start sentences or name dates, never part of a person's name.
_NOT_NAMES = _words(
    """the a an in on at of for to from by with during after before since when while but and
    or so yet if as this that these those there here it its his her their our my your we i
    he she they you meanwhile however although though because also still then now today
    yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december who what
    where why how according asked said says mr mrs ms dr some many most all both each every
    no not one two three first second third last next another other later earlier such
    over under about until unless without within into upon even just only instead once
    last"""
)
_ORDINAL_OPENERS = re.compile(
    r"""(?:(?:the|his|her|their|its)\s+)?
        (?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|final|last
          |firstly|secondly|thirdly|finally|another|other)\b""",
    re.IGNORECASE | re.VERBOSE,
)

_OPEN_MARKS = "\u201c"
_CLOSE_MARKS = "\u201d"
_STRAIGHT = '"'
_NAME_TOKEN = r"(?:[A-Z]\.(?:[A-Z]\.)*|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St)\.|[A-Z][\w\u2019'\-]*\w)"  # noqa: E501
_NAME_PARTICLE = r"(?:(?:de|da|di|van|von|der|den|bin|al|la|le|del|of)[ \t\u00a0]+)?"
_NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:[ \t\u00a0]+{_NAME_PARTICLE}{_NAME_TOKEN})*")
_GENERATIONAL = frozenset({"II", "III", "IV", "Jr.", "Sr."})
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_WORD = re.compile(r"[\w\u2019'.\-]*\w\.?|[\w]")
_MIN_UNATTRIBUTED_WORDS = 5
_MAX_SUBJECT_WORDS = 30
_MAX_INVERTED_WORDS = 20  # "said Jane Doe, a spokeswoman for ...": a name and its title


# --------------------------------------------------------------------------------------------
# Public result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribution:
    """Every quote of an article (direct and indirect) and every speaker found in it."""

    quotes: tuple[Quote, ...]
    people: tuple[Person, ...]

    def span_speaker(self, start: int, end: int) -> tuple[Speaker | None, Kind]:
        """Speaker and kind of the passage ``text[start:end]``.

        The speaker is the one whose speech overlaps most characters of the span; the kind
        is ``direct`` when that speaker has a direct quote in the span.
        """
        overlap: dict[Speaker, int] = {}
        direct: set[Speaker] = set()
        unattributed = False
        for quote in self.quotes:
            shared = min(end, quote.end) - max(start, quote.start)
            if shared <= 0:
                continue
            if quote.speaker is None:
                unattributed = unattributed or quote.kind == "direct"
                continue
            overlap[quote.speaker] = overlap.get(quote.speaker, 0) + shared
            if quote.kind == "direct":
                direct.add(quote.speaker)
        if overlap:
            # max() keeps the first of equals, and quotes are in text order: deterministic.
            best = max(overlap, key=lambda s: overlap[s])
            return best, "direct" if best in direct else "indirect"
        if unattributed:
            return None, "direct"
        return None, "narration"


# --------------------------------------------------------------------------------------------
# Internal records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """One stretch of quoted text inside a single paragraph (marks included)."""

    paragraph: int
    start: int
    end: int
    closed: bool


@dataclass(frozen=True, slots=True)
class _Name:
    """A proper-name occurrence outside quotes, split into title words and the name itself."""

    start: int
    end: int
    name: str
    title: str | None
    possessive: bool
    gender: str | None
    place: bool = False  # object of a locative phrase ("from the village of X"): never "she"


@dataclass(frozen=True, slots=True)
class _Source:
    """A resolved speech source: where it is named, how, and the cue that introduces it."""

    mention: Span
    cue: Span | None  # None for a signature line ("" ― Jane Doe)
    key: str  # canonical name, pronoun or description


@dataclass(slots=True)
class _Registry:
    """Names known to one article: full names, titles and genders. Lives inside attribute()."""

    text: str
    full_names: list[_Name] = field(default_factory=list)
    titles: dict[str, list[str]] = field(default_factory=dict)
    genders: dict[str, str] = field(default_factory=dict)
    organizations: set[str] = field(default_factory=set)
    mentions: list[_Name] = field(default_factory=list)
    descriptions: set[str] = field(default_factory=set)
    businesses: set[str] = field(default_factory=set)  # "Peabody Energy": for "Peabody said"

    def canonical(self, name: str, at: int) -> str:
        """Full name for a surname-only mention: the nearest full name containing it."""
        tokens = name.split()
        if len(tokens) > 1:
            return name
        best: _Name | None = None
        for full in self.full_names:
            parts = full.name.split()
            if len(parts) < 2 or name not in (parts[0], parts[-1]):
                continue
            if best is None or (full.start < at and (best.start > at or full.start > best.start)):
                best = full
        return best.name if best else name

    def add_title(self, key: str, title: str) -> None:
        known = self.titles.setdefault(key, [])
        folded = title.lower()
        if any(folded in existing.lower() for existing in known):
            return
        known.append(title)

    def note_gender(self, key: str, gender: str | None) -> None:
        if gender and key not in self.genders:
            self.genders[key] = gender


# --------------------------------------------------------------------------------------------
# Quote marks
# --------------------------------------------------------------------------------------------


def _paragraph_segments(text: str, number: int, start: int, end: int) -> list[_Segment]:
    """Quoted stretches of one paragraph; an unclosed quote runs to the paragraph end.

    Curly marks nest (``“he calls “hell” here”``) unless nesting leaves a quote open that the
    flat reading closes: a stray opening mark is a typo more often than a nested quote.
    """
    nested = _scan_marks(text, number, start, end, nest=True)
    if nested and not nested[-1].closed:
        flat = _scan_marks(text, number, start, end, nest=False)
        if not flat or flat[-1].closed:
            return flat
    return nested


def _scan_marks(text: str, number: int, start: int, end: int, nest: bool) -> list[_Segment]:
    segments: list[_Segment] = []
    open_at = -1
    depth = 0
    for i in range(start, end):
        char = text[i]
        if char in _OPEN_MARKS or (char == _STRAIGHT and open_at < 0):
            if open_at < 0:
                open_at = i
            depth += 1 if char in _OPEN_MARKS and nest else 0
        elif char in _CLOSE_MARKS and depth > 1:
            depth -= 1
        elif (char in _CLOSE_MARKS or char == _STRAIGHT) and open_at >= 0:
            segments.append(_Segment(number, open_at, i + 1, closed=True))
            open_at = -1
            depth = 0
    if open_at >= 0 and end - open_at > 1:
        segments.append(_Segment(number, open_at, end, closed=False))
    return segments


def _is_work_title(text: str, segment: _Segment) -> bool:
    """``"Fox News Sunday"``, ``"Morning Joe"``: a quoted name of a show or work, not speech."""
    words = re.findall(r"[A-Za-z][\w'\u2019\-]*", text[segment.start : segment.end])
    inner = text[segment.start + 1 : segment.end - 1].strip()
    return (
        0 < len(words) <= 6
        and all(w[0].isupper() or len(w) <= 3 for w in words)
        and not inner.endswith((".", ",", "!", "?"))
    )


def _quote_chains(article: Article) -> list[list[_Segment]]:
    """Quoted stretches grouped into runs: an open quote continues into a paragraph that
    starts with a quote mark (the news convention for multi-paragraph quotes)."""
    text = article.text
    chains: list[list[_Segment]] = []
    pending: list[_Segment] | None = None
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        segments = [
            s for s in _paragraph_segments(text, number, p_start, p_end)
            if not (s.closed and _is_work_title(text, s))
        ]
        for segment in segments:
            if pending is not None and segment.start == p_start:
                pending.append(segment)
            else:
                pending = [segment]
                chains.append(pending)
            pending = pending if not segment.closed else None
        if not segments or (pending is not None and pending[-1].paragraph != number):
            pending = None
    return chains


def _inside_quotes(chains: list[list[_Segment]], length: int) -> bytearray:
    mask = bytearray(length)
    for chain in chains:
        for segment in chain:
            mask[segment.start : segment.end] = b"\x01" * (segment.end - segment.start)
    return mask


# --------------------------------------------------------------------------------------------
# Names and titles
# --------------------------------------------------------------------------------------------


def _is_headline(article: Article) -> bool:
    """A short Title Case first line is a headline: it is not attributed."""
    start, end = article.paragraphs[0]
    line = article.text[start:end]
    if "\n" in line or len(article.paragraphs) < 2:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019]*", line) if len(w) > 3]
    if not words or len(words) > 20:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.6 or line.rstrip()[-1] not in ".!?\"\u201d"


# What may follow a name before the next space: a closing bracket, sentence punctuation and a
# closing quote mark, in news order. Anything else ("Robert');") is code or junk, not a name.
_NAME_TAIL = re.compile(
    r"(?:['\u2019]s?(?=[\s\u00a0]|$))?\.?[)\]]?[,.;:!?\u2026]{0,3}(?:''|[\u201d\u2019\"'])?[)\]]?"
    r"(?=[\s\u00a0\u2014\u2013/\-]|$)"
)


_NUMBERED = re.compile(r"[ \t\u00a0]+\d")


def _split_run(text: str, start: int, end: int) -> _Name | None:
    """A capitalised run as a person's name, or None when it names a place or a body."""
    if not _NAME_TAIL.match(text, end) or _is_premodifier(text, start, end):
        return None
    if _NUMBERED.match(text, end) and not text[start:end].endswith(("'s", "\u2019s")):
        return None  # "Steelworkers Local 88", "Route 9": a numbered thing, not a person
    run = text[start:end]
    possessive = run.endswith(("'s", "\u2019s"))
    if possessive:
        run = run[:-2]
    tokens = run.split()
    for index in range(1, len(tokens)):
        # "of" joins a title ("Secretary of State John Kerry"), never a name to a place.
        if tokens[index] == "of" and tokens[index - 1].lower() not in _TITLE_WORDS:
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
    while first < len(tokens) and tokens[first].lower().rstrip(".") in _NOT_NAMES:
        gender = _HONORIFICS.get(tokens[first].lower(), gender)
        first += 1
    title_end = first
    for index in range(first, len(tokens) - 1):
        # The last title word closes the pre-modifier: "Wells Fargo CEO John Stumpf".
        if tokens[index].lower() in _TITLE_WORDS and tokens[index] != "of":
            title_end = index + 1
    name_tokens = tokens[title_end:]
    if not name_tokens:
        return None
    if any(t.lower().rstrip(".") in _ORG_WORDS or t.lower() in _NOT_NAMES for t in name_tokens):
        return None
    if any(len(t) > 1 and t.isupper() and "." not in t and t not in _GENERATIONAL
           for t in name_tokens):
        return None  # acronyms name bodies (CPC, NATO), not people
    if first == 0 and re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 5) : start], re.I):
        return None
    title_tokens = [t for t in tokens[first:title_end] if t.lower() not in _HONORIFICS]
    title = " ".join(title_tokens) or None
    name_start = offsets[title_end]
    name_end = offsets[-1] + len(tokens[-1])
    # "praise from President Vladimir Putin": a titled name stays a person after a preposition.
    place = not title and not gender and _PLACE_BEFORE.search(text, max(0, start - 40), start)
    return _Name(name_start, name_end, text[name_start:name_end], title, possessive, gender,
                 bool(place))


# Words that make the name after them a place: "from the village of Dunmore Cross", "in Ely".
_PLACE_BEFORE = re.compile(
    r"""(?:\b(?:in|at|from|near|into|across|outside|inside|around|through|towards?|via)
         |\b(?:village|town|city|county|district|region|province|state|island|parish|borough
            |suburb|municipality|country)[ \t\u00a0]+of)
        [ \t\u00a0]+(?:the[ \t\u00a0]+)?$""",
    re.IGNORECASE | re.VERBOSE,
)


def _is_premodifier(text: str, start: int, end: int) -> bool:
    """``Local councillor Brian Keane``: a capitalised run of title words only, followed by
    lower-case title words and a name, is the name's title, not a name of its own."""
    tokens = text[start:end].split()
    if not all(t.lower() in _TITLE_WORDS for t in tokens):
        return False
    follow = re.match(r"((?:[ \t\u00a0]+[a-z][\w\-]*){1,3})[ \t\u00a0]+[A-Z]", text[end:])
    return follow is not None and all(w in _TITLE_WORDS for w in follow.group(1).split())


_ROLE_BEFORE_NAME = re.compile(
    r"\b(?:the|a|an|our|their|its|his|her)[ \t\u00a0]+"
    r"(?P<role>(?:[\w\-.'\u2019]+[ \t\u00a0]+){0,3}?[\w\-]+),[ \t\u00a0]+$",
    re.IGNORECASE,
)


def _lowercase_premodifier(text: str, name_start: int) -> str | None:
    """Lower-case title words right before a name: "presidential nominee Donald Trump", or a
    role in apposition before it: "the captain, Ida Lund"."""
    window_start = max(0, name_start - 80)
    apposed = _ROLE_BEFORE_NAME.search(text, window_start, name_start)
    if apposed is not None and apposed.group("role").split()[-1].lower() in ROLE_NOUNS:
        return apposed.group("role")
    words = list(re.finditer(r"[\w.\-]+", text[window_start:name_start]))
    kept: list[str] = []
    following = name_start
    for match in reversed(words):
        word = match.group()
        # Title words touch the name: "the mayor. Lina Haddad" gives her no title.
        if word.lower() not in _TITLE_WORDS or text[window_start + match.end() : following].strip():
            break
        following = window_start + match.start()
        kept.append(word)
    kept.reverse()
    while kept and kept[0].lower() in {"of", "the"}:
        kept.pop(0)
    if not any(w.lower() in ROLE_NOUNS for w in kept):
        return None
    if len(kept) > 1 and kept[0].lower() in _GENERIC_MODIFIERS:
        # "Local councillor Brian Keane" opening a sentence: the capital is the sentence's.
        kept[0] = kept[0].lower()
    return " ".join(kept)


# An age comes before the apposition: "Marta Ruiz, 34, a mother of two".
_AGE = re.compile(r",[ \t\u00a0]+\d{1,3}(?=,)")
# A relative clause ends a role phrase: "an obstetrician at X who chaired the review".
_RELATIVE = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]+(?:and[ \t\u00a0]+)?(?:who|whom|whose|which)\b")
_APPOSITION_END = (",", ";", "\u201c", "\u201d", '"', "\n", " said", " says", " told")
_MAX_CLAUSE_TITLE_WORDS = 12


def _apposition_start(text: str, name_end: int, limit: int) -> int | None:
    age = _AGE.match(text, name_end, limit)
    match = re.compile(r",\s+").match(text, age.end() if age else name_end, limit)
    return match.end() if match else None


def _phrase_until(text: str, start: int, limit: int) -> str:
    stop = limit
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
    if not words or len(words) > 25 or words[0].lower() in {"who", "which", "that", "whose"}:
        return None
    lead = 0
    while lead < len(words) and words[lead].lower() in {"also", "now", "then", "currently"}:
        lead += 1
    head = [w.lower().strip("().") for w in words[lead : lead + 5]]
    if not any(w in ROLE_NOUNS for w in head) and _agentive_head(phrase) is None:
        return None
    if any(w.lower() in _CUE_VERBS for w in words):
        return None
    return " ".join(words[lead:]) if lead else phrase


# Nouns for what someone does: "hydrologist", "campaigner", "historian", "consultant".
_AGENTIVE = re.compile(r"[a-z]{3,}(?:ist|ian|er|or|ant|ent)")


def _agentive_head(phrase: str) -> str | None:
    """``a hydrologist at the water board``: an indefinite phrase whose head noun names a
    person's occupation, for roles no word list can enumerate."""
    words = _COMPLEMENT.split(phrase, maxsplit=1)[0].split()
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
    phrase = _phrase_until(text, start, min(limit, _sentence_end(text, start)))
    phrase = re.split(r"[ \t\u00a0]*(?:\u2014|\u2013|--|\()", phrase, maxsplit=1)[0]
    second = _RELATIVE.search(phrase, 4)
    if second is not None:
        phrase = phrase[: second.start()]
    words = phrase.split()
    if any(w.lower().strip(".,") in _CUE_VERBS | _PARTICIPLES for w in words):
        return None  # "who said ..." is speech, not a description
    if len(words) > _MAX_CLAUSE_TITLE_WORDS:
        # Cut before the last complement that fits: "who served as ambassador to Burma
        # [from 2012 until earlier this year]"; "who sits on the board [and voted ...]".
        cuts = [i for i, w in enumerate(words[: _MAX_CLAUSE_TITLE_WORDS + 1])
                if i >= 3 and w.lower() in _CLAUSE_CUTS]
        if not cuts:
            return None
        words = words[: cuts[-1]]
    while words and words[-1].lower().strip(",") in _CLAUSE_CUTS | _DETERMINERS:
        words.pop()  # "who works for RT and, ..." ends with its last content word
    return " ".join(words).rstrip(" ,") if len(words) > 1 else None


_CLAUSE_CUTS = _words("and but in at from to for on of until since with under during by as")


def _names(text: str, lo: int, hi: int, inside: bytearray) -> Iterator[_Name]:
    for match in _NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()]:
            continue
        name = _split_run(text, match.start(), match.end())
        if name is not None:
            yield name


def _business_names(text: str, lo: int, hi: int, inside: bytearray) -> Iterator[str]:
    """Capitalised runs ending in a business word ("Peabody Energy", "Norland Motors")."""
    for match in _NAME_RUN.finditer(text, lo, hi):
        tokens = re.sub(r"['\u2019]s$", "", match.group()).split()
        while tokens and tokens[0].lower() in _NOT_NAMES:
            tokens.pop(0)
        business = len(tokens) > 1 and tokens[-1].lower().rstrip(".") in _COMPANY_WORDS
        if business and not inside[match.start()]:
            yield " ".join(tokens)


def _build_registry(article: Article, inside: bytearray, skip_first: bool) -> _Registry:
    """Collect full names, titles (pre-modifiers and appositions) and genders, in text order."""
    text = article.text
    registry = _Registry(text)
    paragraphs = article.paragraphs[1:] if skip_first else article.paragraphs
    all_names: list[tuple[_Name, int]] = []
    for p_start, p_end in paragraphs:
        registry.businesses.update(_business_names(text, p_start, p_end, inside))
        for name in _names(text, p_start, p_end, inside):
            registry.mentions.append(name)
            all_names.append((name, p_end))
            if len(name.name.split()) > 1:
                registry.full_names.append(name)
    clauses: dict[str, str] = {}
    for name, p_end in all_names:
        key = registry.canonical(name.name, name.start)
        registry.note_gender(key, name.gender)
        titles = [name.title, _lowercase_premodifier(text, name.start) if not name.title else None]
        if not name.possessive:
            titles.append(_apposition(text, name.end, p_end))
            clause = None if name.place else _relative_clause(text, name.end, p_end)
            if clause is not None:
                clauses.setdefault(key, clause)
        for title in titles:
            if title:
                registry.add_title(key, title)
                for word in title.lower().split():
                    registry.note_gender(key, _GENDERED_ROLES.get(word))
    for key, clause in clauses.items():
        if key not in registry.titles:
            registry.add_title(key, clause)
    for key, known in registry.titles.items():
        # "Prof., an obstetrician at X": the description says more than the honorific.
        described = [t for t in known if not _BARE_HONORIFICS.issuperset(t.lower().split())]
        registry.titles[key] = described or known
    return registry


# --------------------------------------------------------------------------------------------
# Sources: who is named next to a cue
# --------------------------------------------------------------------------------------------


def _cue_at(text: str, start: int, end: int, cues: frozenset[str]) -> Iterator[Span]:
    """Speech cues in text[start:end]: verbs from ``cues`` and "according to"."""
    for match in re.finditer(r"[A-Za-z]+(?:\s+to\b)?", text[start:end]):
        word = match.group().split()[0]
        lower = word.lower()
        if lower == "according" and match.group().lower().endswith("to"):
            yield Span(start + match.start(), start + match.end(), match.group())
        elif lower in cues and word[0].islower():
            s = start + match.start()
            yield Span(s, s + len(word), word)


def _trailing_subject(
    text: str, lo: int, hi: int, registry: _Registry, inside: bytearray
) -> _Source | None:
    """The noun phrase ending right before ``hi`` (adverbs and auxiliaries skipped)."""
    del inside
    party = _PARENTHETICAL.search(text, lo, hi)  # "Rep. Gwen Moore (D-Wis.) said"
    if party is not None:
        hi = party.start()
    words = list(re.finditer(r"[\w.\u2019'\-]+", text[lo:hi]))
    while words:
        if words[-1].group().lower() in _AUX:
            words.pop()
        elif (len(words) > 1 and words[-1].group().lower() in _TIME_NOUNS
              and words[-2].group().lower() in _TIME_DEIXIS):
            del words[-2:]  # "Trump this week also said"
        else:
            break
    if not words:
        return None
    last = words[-1]
    last_start, last_end = lo + last.start(), lo + last.end()
    between = text[last_end:hi]  # only the skipped words: "it further wrote"
    skippable = _AUX | _TIME_NOUNS | _TIME_DEIXIS
    if "," in between or any(w.lower() not in skippable for w in between.split()):
        return None
    word = last.group()
    if word.lower() in _PRONOUNS:
        return _Source(Span(last_start, last_end, word), Span(hi, hi, ""), word.lower())
    # A capitalised run ending at the last word.
    runs = [m for m in _NAME_RUN.finditer(text, lo, last_end) if m.end() == last_end]
    if runs:
        run = runs[0]
        name = _split_run(text, run.start(), run.end())
        if name is not None and not name.possessive:
            key = registry.canonical(name.name, name.start)
            return _Source(Span(name.start, name.end, name.name), Span(hi, hi, ""), key)
        org = _org_phrase(text, lo, run.start(), run.end())
        if org is not None:
            registry.organizations.add(org.key)
            return org
    lower = word.lower()
    if lower in _ORG_NOUNS or lower in _GROUP_NOUNS:
        return _org_phrase(text, lo, lo + last.start(), last_end, registry)
    return _description(text, lo, words, registry)


_DETERMINERS = _words("the a an his her their its our this that")


def _description(
    text: str, lo: int, words: list[re.Match[str]], registry: _Registry
) -> _Source | None:
    """"the announcer", "the ad's narrator": a described source right before a cue."""
    last = words[-1].group()
    if not last.isalpha() or not last.islower() or last in _PRONOUNS or last in _NOT_NAMES:
        return None
    for back in range(len(words) - 2, max(-1, len(words) - 5), -1):
        word = words[back].group()
        gap = text[lo + words[back].end() : lo + words[back + 1].start()]
        if gap.strip():
            return None
        if word.lower() in _DETERMINERS or word.endswith(("'s", "\u2019s")):
            start = lo + words[back].start()
            end = lo + words[-1].end()
            phrase = text[start:end]
            registry.descriptions.add(phrase)
            return _Source(Span(start, end, phrase), None, phrase)
        if not word.isalpha() and not word.endswith(("'s", "\u2019s")):
            return None
    return None


def _org_phrase(
    text: str, lo: int, start: int, end: int, registry: _Registry | None = None
) -> _Source | None:
    """"the newspaper", "The White House", "Pentagon officials": a body speaking."""
    words = list(re.finditer(r"[\w.\u2019'\-]+", text[lo:start]))
    begin = start
    for match in reversed(words[-4:]):
        word = match.group()
        if word.lower() in {"the", "a"} or word[0].isupper() or word.lower() in _TITLE_WORDS:
            begin = lo + match.start()
            if word.lower() in {"the", "a"}:
                break
        else:
            break
    phrase = text[begin:end]
    head = text[start:end].split()[-1].lower()
    is_body = (
        phrase.lower().startswith(("the ", "a "))
        or head in _GROUP_NOUNS
        or head.rstrip(".") in _ORG_WORDS
    )
    if not is_body or phrase.lower() in {"the", "a"}:
        return None
    key = re.sub(r"^(?:the|a)\s+", "", phrase, flags=re.IGNORECASE)
    key = key[0].upper() + key[1:] if key and key[0].isupper() else phrase
    if registry is not None:
        registry.organizations.add(key)
    return _Source(Span(begin, end, phrase), Span(end, end, ""), key)


_ROLE_THEN_NAME = re.compile(
    r"(?:the|a|an|our|their|its|his|her)[ \t\u00a0]+(?:[\w\-.'\u2019]+[ \t\u00a0]+){0,3}?"
    r"(?P<role>[\w\-]+),[ \t\u00a0]+(?=[A-Z])",
    re.IGNORECASE,
)


def _role_then_name(
    text: str, begin: int, limit: int, registry: _Registry
) -> _Source | None:
    """``the captain, Ida Lund``: a role phrase with the speaker's name in apposition."""
    role = _ROLE_THEN_NAME.match(text, begin, limit)
    if role is None or role.group("role").lower() not in ROLE_NOUNS:
        return None
    run = _NAME_RUN.match(text, role.end(), limit)
    if run is None:
        return None
    name = _split_run(text, run.start(), run.end())
    if name is None or name.possessive or name.start != run.start():
        return None
    key = registry.canonical(name.name, name.start)
    return _Source(Span(name.start, name.end, name.name), None, key)


# Where a clause starts inside a sentence: after a semicolon, a colon or a dash, so that
# "X said nothing; the mayor, Y, said" gives the second cue its own subject.
_CLAUSE_BREAK = re.compile(r"[;:]|[ \t\u00a0](?:--|\u2014|\u2013)[ \t\u00a0]")


def _clause_start(text: str, lo: int, hi: int, inside: bytearray) -> int:
    start = lo
    for match in _CLAUSE_BREAK.finditer(text, lo, hi):
        if not inside[match.start()]:
            start = match.end()
    return _skip_space(text, start, hi)


def _leading_subject(
    text: str, lo: int, hi: int, registry: _Registry, inside: bytearray
) -> _Source | None:
    """Subject at the start of a clause: ``Luo Dajin, director of ..., after ..., said``."""
    lo = _clause_start(text, lo, hi, inside)
    apposed = _role_then_name(text, lo, hi, registry)
    if apposed is not None:
        return _Source(apposed.mention, Span(hi, hi, ""), apposed.key)
    for match in _NAME_RUN.finditer(text, lo, hi):
        if inside[match.start()]:
            continue
        if _is_premodifier(text, match.start(), match.end()):
            continue
        name = _split_run(text, match.start(), match.end())
        if name is not None and not name.possessive:
            key = registry.canonical(name.name, name.start)
            return _Source(Span(name.start, name.end, name.name), Span(hi, hi, ""), key)
        break
    pronoun = re.search(r"\b(he|she|they|we|it|He|She|They|We|It|I)\b", text[lo:hi])
    if pronoun and not inside[lo + pronoun.start()]:
        p0 = lo + pronoun.start()
        return _Source(Span(p0, lo + pronoun.end(), pronoun.group()), Span(hi, hi, ""),
                       pronoun.group().lower())
    return None


def _subject_of(
    text: str, clause_start: int, cue: Span, registry: _Registry, inside: bytearray
) -> _Source | None:
    """Who utters ``cue``: the phrase right before it, or the clause subject before an
    apposition ("X, title, said") or a coordination ("he visited ... and instructed")."""
    if cue.text.lower().startswith("according"):
        source = _object_after(text, cue.end, _sentence_end(text, cue.end), registry)
        return _Source(source.mention, cue, source.key) if source else None
    source = None
    if cue.text not in _PARTICIPLES:
        source = _trailing_subject(text, clause_start, cue.start, registry, inside)
    if source is None:
        before = text[clause_start : cue.start].rstrip()
        words = before.split()
        if before.endswith(",") or (words and words[-1] == "and"):
            source = _leading_subject(text, clause_start, cue.start, registry, inside)
    if source is None:
        return None
    return _Source(source.mention, cue, source.key)


def _object_after(text: str, start: int, limit: int, registry: _Registry) -> _Source | None:
    """The name after an inverted cue: ``said Jane Doe, a spokeswoman``, ``according to X``."""
    match = re.match(r"[ \t]+", text[start:limit])
    begin = start + (match.end() if match else 0)
    pronoun = re.match(r"(he|she|they|we|it)\b", text[begin:limit])
    if pronoun:
        return _Source(Span(begin, begin + pronoun.end(), pronoun.group()), None,
                       pronoun.group())
    apposed = _role_then_name(text, begin, limit, registry)
    if apposed is not None:
        return apposed
    premodified = re.match(r"(?:[a-z0-9/\-]+[ \u00a0]+){1,4}(?=[A-Z])", text[begin:limit])
    run = _NAME_RUN.match(text, begin, limit)
    if run is None and premodified is not None:  # "said 9/11 widow Terry Strada"
        run = _NAME_RUN.match(text, begin + premodified.end(), limit)
    if run is not None:
        name = _split_run(text, run.start(), run.end())
        if name is not None and not name.possessive:
            key = registry.canonical(name.name, name.start)
            return _Source(Span(name.start, name.end, name.name), None, key)
    phrase = re.match(r"(?:the|a|an)\s+(?:[\w\u2019'.\-]+\s+){0,3}?([\w\-]+)\b", text[begin:limit])
    if phrase is None:
        phrase = re.match(r"(?:[\w\u2019'.\-]+\s+){0,2}?([\w\-]+)\b", text[begin:limit])
    if phrase is not None:
        head = phrase.group(1).lower()
        if head in _ORG_NOUNS or head in _GROUP_NOUNS or head in ROLE_NOUNS:
            span = Span(begin, begin + phrase.end(), phrase.group())
            key = phrase.group()  # a described body keeps the article's words: "the ministry"
            registry.organizations.add(key)
            return _Source(span, None, key)
    described = re.match(
        r"(?:the|a|an|one|another|his|her|their|its)\s+[^,.;:\u201c\u201d\"]{1,60}?(?=[,.;:]|$)",
        text[begin:limit],
    )
    if described is not None and not described.group().split()[1][0].isupper():
        span = Span(begin, begin + described.end(), described.group())
        registry.descriptions.add(span.text)
        return _Source(span, None, span.text)
    run2 = re.match(r"(?:the\s+)?(" + _NAME_RUN.pattern + r")", text[begin:limit])
    if run2 is not None:
        span = Span(begin, begin + run2.end(), run2.group())
        key = run2.group(1)
        registry.organizations.add(key)
        return _Source(span, None, key)
    return None


_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|St|Jr|Sr|Inc|Co|"
    r"Corp|Ltd|No|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|U\.K|D\.C|a\.m|p\.m)$"
)


def _sentence_end(text: str, start: int) -> int:
    """Offset of the end of the sentence that contains ``start`` (abbreviations skipped)."""
    for match in re.finditer(r"[.!?;](?=\s|$)|\n", text[start:]):
        at = start + match.start()
        if text[at] == "." and _ABBREVIATION.search(text, max(0, at - 5), at):
            continue
        return at
    return len(text)


# --------------------------------------------------------------------------------------------
# Rules for direct quotes
# --------------------------------------------------------------------------------------------


def _after_quote(
    text: str, segment: _Segment, limit: int, registry: _Registry, inside: bytearray
) -> _Source | None:
    """``"...," X said`` / ``"...," said X, title`` / ``"...," X, title, said``."""
    stop = min(limit, _sentence_end(text, segment.end) + 1)
    window = text[segment.end : stop]
    signed = re.match(r"[\s\u00a0]*[\u2014\u2015\u2013][\s\u00a0]*", text[segment.end : limit])
    if signed:  # "..." ― Jane Doe (a signature line)
        found = _object_after(text, segment.end + signed.end(), limit, registry)
        return _Source(found.mention, None, found.key) if found else None
    if not re.match(r"\s*[,\u2014\-]?\s*\S", window) or re.match(r"\s*[.!?]", window):
        return None
    cue_window = min(stop, segment.end + 160)
    for cue in _cue_at(text, segment.end, cue_window, _CUE_NEXT_TO_QUOTE):
        before = text[segment.end : cue.start]
        if before.strip(" ,\t\u2014-") == "":
            found = _object_after(text, cue.end, stop, registry)
        else:
            if len(before.split()) > _MAX_SUBJECT_WORDS and not re.match(r"\s*[A-Z]", before):
                return None
            lo = segment.end
            found = _trailing_subject(text, lo, cue.start, registry, inside)
            if found is None and before.rstrip().endswith(","):
                found = _leading_subject(text, lo, cue.start, registry, inside)
        if found is not None:
            return _Source(found.mention, cue, found.key)
    return None


def _before_quote(
    text: str, segment: _Segment, p_start: int, registry: _Registry, inside: bytearray
) -> _Source | None:
    """``X said, "..."`` / ``X, title, ... said: "..."`` / ``According to X, "..."``."""
    lo = p_start
    for prev in range(segment.start - 1, p_start - 1, -1):
        if inside[prev]:
            lo = prev + 1
            break
    sentences = split_sentences(text, lo, segment.start)
    if sentences:
        lo = sentences[-1][0]
    frame = text[lo : segment.start].rstrip()
    cues = list(_cue_at(text, lo, segment.start, _CUE_NEXT_TO_QUOTE))
    if not frame or not cues:
        return None
    tail = text[cues[-1].end : segment.start]
    if frame[-1] not in ",:" and not (tail.strip() == "" or len(tail.split()) <= 3):
        return None
    for cue in reversed(cues):
        found = _subject_of(text, lo, cue, registry, inside)
        if found is not None:
            return found
    return None


def _attribute_chain(
    article: Article,
    chain: list[_Segment],
    registry: _Registry,
    inside: bytearray,
) -> _Source | None:
    """Attribution of a multi-paragraph quote is found after its last segment or before its
    first; each segment's own surroundings are tried in between (split quotes)."""
    text = article.text
    for segment in reversed(chain):
        p_start, p_end = article.paragraphs[segment.paragraph - 1]
        limit = p_end
        for other in _segments_after(chain, segment):
            limit = min(limit, other.start)
        found = _after_quote(text, segment, limit, registry, inside)
        if found is None:
            found = _before_quote(text, segment, p_start, registry, inside)
        if found is not None:
            return found
    return _introduced_by_colon(article, chain[0], registry, inside)


def _introduced_by_colon(
    article: Article, segment: _Segment, registry: _Registry, inside: bytearray
) -> _Source | None:
    """``He said:`` closing the paragraph before a quote paragraph introduces it."""
    text = article.text
    p_start, _ = article.paragraphs[segment.paragraph - 1]
    if segment.start != p_start or segment.paragraph < 2:
        return None
    prev_start, prev_end = article.paragraphs[segment.paragraph - 2]
    if not text[prev_start:prev_end].endswith(":"):
        return None
    sentences = split_sentences(text, prev_start, prev_end)
    lo = sentences[-1][0] if sentences else prev_start
    for cue in reversed(list(_cue_at(text, lo, prev_end, _CUE_NEXT_TO_QUOTE))):
        found = _subject_of(text, lo, cue, registry, inside)
        if found is not None:
            return found
    return None


def _segments_after(chain: list[_Segment], segment: _Segment) -> Iterable[_Segment]:
    return [s for s in chain if s.start > segment.start and s.paragraph == segment.paragraph]


# --------------------------------------------------------------------------------------------
# Rules for indirect speech
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reported:
    start: int
    end: int
    source: _Source


def _reported_speech(
    text: str,
    s_start: int,
    s_end: int,
    registry: _Registry,
    inside: bytearray,
    used_cues: set[int],
) -> _Reported | None:
    """``X said (that) ...`` and ``..., X said.`` and ``according to X, ...`` outside quotes."""
    for cue in _cue_at(text, s_start, s_end, _CUE_VERBS - _WEAK_CUES):
        if inside[cue.start] or cue.start in used_cues:
            continue
        source = _subject_of(text, s_start, cue, registry, inside)
        if source is None:
            source = _inverted_subject(text, s_start, s_end, cue, registry)
        if source is None:
            continue
        end = s_end
        tail = text[source.mention.end : s_end].strip(" .,;")
        after_cue = text[cue.end : s_end].strip(" .,;")
        cue_first = source.mention.start > cue.start
        if cue_first:  # "according to X, ..." or "..., according to X."
            before = text[s_start : cue.start].rstrip(" ,")
            if before:
                return _Reported(s_start, s_start + len(before), source)
            comma = text.find(",", source.mention.end, s_end)
            if comma < 0:
                continue
            start = comma + 1
            return _Reported(_skip_space(text, start, end), end, source)
        if not after_cue or (len(after_cue.split()) <= 3 and not tail):
            # "..., X said." -> the content is what precedes the subject.
            content_end = text.rfind(",", s_start, source.mention.start)
            if content_end > s_start:
                return _Reported(s_start, content_end, source)
            continue
        start = cue.end
        # "told MSNBC's "Morning Joe" that ...": the addressee is not part of what was said.
        addressee = re.match(r"(?:\s+\S+){1,8}?\s+(?=that\b)", text[start:s_end])
        if addressee is not None and cue.text in {"told", "tells", "assured", "warned"}:
            start += addressee.end()
        that = re.match(r"\s*(?:that\b|,)?\s*", text[start:s_end])
        start += that.end() if that else 0
        return _Reported(start, end, source)
    return None


# A coordinated clause that may bring its own speaker: "A said X, and B told reporters Y".
_COORDINATION = re.compile(r"[,;][ \t\u00a0]+(?:and|but|while|whereas)[ \t\u00a0]+|;[ \t\u00a0]+")


def _speech_clauses(
    text: str, s_start: int, s_end: int, registry: _Registry, inside: bytearray
) -> list[tuple[int, int]]:
    """The sentence cut before every coordinated clause that opens with its own speaker and
    cue, so that each speaker keeps only what follows their own cue."""
    clauses: list[tuple[int, int]] = []
    start = s_start
    for joint in _COORDINATION.finditer(text, s_start, s_end):
        if inside[joint.start()] or not _opens_with_speaker(
            text, joint.end(), s_end, registry, inside
        ):
            continue
        clauses.append((start, joint.start()))
        start = joint.end()
    clauses.append((start, s_end))
    return clauses


def _opens_with_speaker(
    text: str, start: int, end: int, registry: _Registry, inside: bytearray
) -> bool:
    """``Bob Stone told reporters ...``: the clause's subject, right at its start, speaks."""
    for cue in _cue_at(text, start, min(end, start + 120), _CUE_VERBS - _WEAK_CUES):
        if inside[cue.start]:
            return False
        source = _trailing_subject(text, start, cue.start, registry, inside)
        if source is None:
            return False
        lead = text[start : source.mention.start].split()
        return all(w.lower() in _DETERMINERS or w.lower() in _TITLE_WORDS for w in lead)
    return False


def _inverted_subject(
    text: str, s_start: int, s_end: int, cue: Span, registry: _Registry
) -> _Source | None:
    """``..., said the mayor, Lina Haddad.``: the speaker follows the cue at a sentence end."""
    if cue.text in _PARTICIPLES or not text[s_start : cue.start].rstrip().endswith(","):
        return None
    if len(text[cue.end : s_end].split()) > _MAX_INVERTED_WORDS:
        return None
    found = _object_after(text, cue.end, s_end, registry)
    # Only a name and its apposition may follow: "..., said he cannot come" is a new clause.
    if found is None or not re.match(r"\s*(?:[,.;!?]|$)", text[found.mention.end : s_end]):
        return None
    return _Source(found.mention, cue, found.key)


def _mostly_quoted(inside: bytearray, start: int, end: int) -> bool:
    return end <= start or sum(inside[start:end]) * 2 > end - start


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _continues_enumeration(text: str, p_start: int) -> bool:
    """"The second was ...", "Third, ...": a paragraph going on with a list of points."""
    return _ORDINAL_OPENERS.match(text, p_start) is not None


# --------------------------------------------------------------------------------------------
# Resolution and assembly
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Resolver:
    """Turns source keys (names, surnames, pronouns, bodies) into canonical speakers."""

    registry: _Registry
    paragraphs: tuple[tuple[int, int], ...]
    history: list[tuple[int, str]] = field(default_factory=list)  # (offset, canonical name)
    spoken: list[tuple[int, str]] = field(default_factory=list)  # every resolved speaker

    def resolve(self, source: _Source) -> str | None:
        key = source.key
        at = source.mention.start
        name: str | None
        if key in _PRONOUNS:
            name = self._pronoun(key, at)
        else:
            name = self._by_role(key, at) or self._by_kind(key, at) or self._business(key) or key
            self.history.append((at, name))
        if name is not None:
            self.spoken.append((at, name))
        return name

    def _by_role(self, key: str, at: int) -> str | None:
        """``the minister`` after ``Health Minister Dana Whitfield``: a definite role phrase is
        the one person named earlier whose title holds all its words (none when several do).
        A role no title holds ("the union leader" for "who runs the union local") is the one
        person who has spoken earlier in the same paragraph: news copy varies its references
        to the speaker it is quoting."""
        words = key.lower().split()
        if key not in self.registry.descriptions and key not in self.registry.organizations:
            return None
        if len(words) < 2 or len(words) > 4 or words[0] != "the" or words[-1] not in ROLE_NOUNS:
            return None
        fits: set[str] = set()
        for mention in self.registry.mentions:
            if mention.start >= at or not self._is_person(mention):
                continue
            name = self.registry.canonical(mention.name, mention.start)
            if name in self.registry.organizations:
                continue
            title = " ".join(self.registry.titles.get(name, ())).lower()
            if set(words[1:]) <= set(re.findall(r"[\w\u2019'\-]+", title)):
                fits.add(name)
        if fits:
            return fits.pop() if len(fits) == 1 else None
        return self._paragraph_speaker(at)

    def _paragraph_speaker(self, at: int) -> str | None:
        """The one person who has spoken in the paragraph holding ``at`` before it. Not the
        previous paragraph's speaker: a role opening a paragraph as often brings in someone
        new ("The governor added" after a quote of another person)."""
        start = next((p0 for p0, p1 in self.paragraphs if p0 <= at < p1), at)
        people = {
            name for offset, name in self.spoken
            if start <= offset < at and self._is_person_name(name)
        }  # fmt: skip
        return people.pop() if len(people) == 1 else None

    def _by_kind(self, key: str, at: int) -> str | None:
        """``the company`` after ``Norland Motors said``: a definite body is the one named
        body of its kind that has spoken earlier (its name holds the noun, "the authority"
        for "Port Authority", or a business noun goes with a business name)."""
        words = key.lower().split()
        if len(words) < 2 or len(words) > 4 or words[0] != "the":
            return None
        noun = words[-1]
        known = key in self.registry.organizations or key in self.registry.descriptions
        if not known or (noun not in _COMPANY_NOUNS and noun not in _ORG_WORDS):
            return None
        named: set[str] = set()  # "the airline": a body whose name holds "Airlines"
        business: set[str] = set()  # "the company": any business name
        for _, name in self.spoken:
            if name == key or not self._is_named_body(name):
                continue
            tokens = {t.lower().rstrip(".") for t in name.split()}
            if noun in tokens or f"{noun}s" in tokens:
                named.add(name)
            if noun in _COMPANY_NOUNS and tokens & _COMPANY_WORDS:
                business.add(name)
        fits = named or business
        return fits.pop() if len(fits) == 1 else None

    def _business(self, key: str) -> str | None:
        """``Peabody said`` in an article that names ``Peabody Energy``: the full name of the
        one business whose name opens with a lone word that names no person."""
        registry = self.registry
        if " " in key or not key[:1].isupper() or key in registry.genders or key in registry.titles:
            return None
        fits = {name for name in registry.businesses if name.split()[0] == key}
        if len(fits) != 1:
            return None
        name = fits.pop()
        registry.organizations.add(name)
        return name

    def _is_named_body(self, name: str) -> bool:
        first = name.split()[0]
        return (
            name in self.registry.organizations
            and first[0].isupper()
            and first.lower() not in _DETERMINERS
        )

    def _pronoun(self, pronoun: str, at: int) -> str | None:
        gender = _PRONOUNS[pronoun]
        if pronoun in {"we", "they", "it"}:
            for _, name in reversed(self._candidates(at)):
                if name in self.registry.organizations or name in self.registry.descriptions:
                    return name
            return None
        for _, name in reversed(self._candidates(at)):
            if not self._is_person_name(name):
                continue
            known = self.registry.genders.get(name)
            if gender is None or known is None or known == gender:
                if gender and not known:
                    self.registry.genders[name] = gender
                return name
        return None

    def _is_person_name(self, name: str) -> bool:
        """Not a body, a description, nor a word known only from a body's name ("Norland"
        of "Norland Motors"): "he" and "she" never stand for those."""
        registry = self.registry
        if name in registry.organizations or name in registry.descriptions:
            return False
        if name in registry.genders or name in registry.titles:
            return True
        tokens = name.split()
        for body in registry.organizations:
            parts = body.split()
            if any(parts[i : i + len(tokens)] == tokens for i in range(len(parts))):
                return False
        return True

    def _is_person(self, mention: _Name) -> bool:
        # A lone capitalised word ("Shanghai") is a person only once the article gives it a
        # full name, an honorific or a title.
        if mention.place:
            return False
        key = self.registry.canonical(mention.name, mention.start)
        return " " in key or key in self.registry.genders or key in self.registry.titles

    def _candidates(self, at: int) -> list[tuple[int, str]]:
        names = [
            (mention.start, self.registry.canonical(mention.name, mention.start))
            for mention in self.registry.mentions
            if mention.start < at and self._is_person(mention)
        ]
        names.extend(item for item in self.history if item[0] < at)
        return sorted(names)


def attribute(article: Article) -> Attribution:
    """Find every quote of ``article``, its speaker and kind. Pure and deterministic."""
    text = article.text
    chains = _quote_chains(article)
    inside = _inside_quotes(chains, len(text))
    headline = _is_headline(article)
    registry = _build_registry(article, inside, headline)
    resolver = _Resolver(registry, article.paragraphs)

    used_cues: set[int] = set()
    direct_sources: dict[int, _Source | None] = {}
    for index, chain in enumerate(chains):
        if headline and chain[0].paragraph == 1:
            continue
        source = _attribute_chain(article, chain, registry, inside)
        direct_sources[index] = source
        if source is not None and source.cue is not None:
            used_cues.add(source.cue.start)

    reported: list[tuple[int, _Reported]] = []
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        if headline and number == 1:
            continue
        for s_start, s_end in split_sentences(text, p_start, p_end):
            if all(inside[i] for i in range(s_start, s_end) if not text[i].isspace()):
                continue
            for c_start, c_end in _speech_clauses(text, s_start, s_end, registry, inside):
                item = _reported_speech(text, c_start, c_end, registry, inside, used_cues)
                if item is not None and not _mostly_quoted(inside, item.start, item.end):
                    reported.append((number, item))

    events: list[tuple[int, str, _Source, int, int, str, int]] = []
    for index, chain in enumerate(chains):
        source = direct_sources.get(index)
        if source is not None:
            for segment in chain:
                events.append((source.mention.start, "d", source, segment.start, segment.end,
                               "direct", segment.paragraph))
    for number, item in reported:
        events.append((item.source.mention.start, "i", item.source, item.start, item.end,
                       "indirect", number))
    events.sort(key=lambda e: (e[0], e[3]))

    quotes: list[Quote] = []
    speakers_by_key: dict[str, str | None] = {}
    for _, _, source, start, end, kind, _ in events:
        ident = (source.mention.start, source.key)
        if str(ident) not in speakers_by_key:
            speakers_by_key[str(ident)] = resolver.resolve(source)
        name = speakers_by_key[str(ident)]
        speaker = _speaker(registry, name) if name else None
        quotes.append(Quote(start, end, text[start:end], kind,  # type: ignore[arg-type]
                            speaker, source.mention if speaker else None, source.cue))

    for index, chain in enumerate(chains):
        if headline and chain[0].paragraph == 1:
            continue
        if direct_sources.get(index) is not None:
            continue
        for segment in chain:
            host = _enclosing(quotes, segment.start, segment.end)
            if host is not None:
                quotes.append(Quote(segment.start, segment.end,
                                    text[segment.start:segment.end], "direct",
                                    host.speaker, host.mention, host.cue))
            elif len(text[segment.start : segment.end].split()) >= _MIN_UNATTRIBUTED_WORDS:
                quotes.append(Quote(segment.start, segment.end,
                                    text[segment.start:segment.end], "direct"))

    quotes.extend(_enumeration_quotes(article, quotes, headline))
    quotes.sort(key=lambda q: (q.start, q.end))
    return Attribution(tuple(quotes), _people(registry, quotes))


def _enclosing(quotes: list[Quote], start: int, end: int) -> Quote | None:
    for quote in quotes:
        if quote.kind == "indirect" and quote.speaker and quote.start <= start and end <= quote.end:
            return quote
    return None


def _enumeration_quotes(article: Article, quotes: list[Quote], headline: bool) -> list[Quote]:
    """Paragraphs without speech that go on with the previous speaker's numbered points."""
    text = article.text
    extra: list[Quote] = []
    previous: Quote | None = None
    for number, (p_start, p_end) in enumerate(article.paragraphs, start=1):
        if headline and number == 1:
            continue
        own = [q for q in quotes + extra if p_start <= q.start < p_end and q.speaker]
        if own:
            previous = own[-1]
            continue
        if previous is not None and _continues_enumeration(text, p_start):
            quote = Quote(p_start, p_end, text[p_start:p_end], "indirect", previous.speaker,
                          previous.mention, previous.cue)
            extra.append(quote)
            previous = quote
        else:
            previous = None
    return extra


def _speaker(registry: _Registry, name: str) -> Speaker:
    titles = registry.titles.get(name)
    return Speaker(name, ", ".join(titles) if titles else None)


def _people(registry: _Registry, quotes: list[Quote]) -> tuple[Person, ...]:
    seen: dict[str, Person] = {}
    for quote in quotes:
        if quote.speaker is None or quote.speaker.name in seen:
            continue
        name = quote.speaker.name
        titles = registry.titles.get(name, [])
        aliases = _aliases(name, titles, name in registry.organizations)
        seen[name] = Person(name, quote.speaker.title, aliases, name in registry.organizations)
    return tuple(seen.values())


# Where a role phrase ends and its complement begins: "coastal engineer | at the university".
_COMPLEMENT = re.compile(r"\s+(?:for|at|of|in|on|with|from|to|near|who|whose|which|and)\s")


def _aliases(name: str, titles: list[str], organization: bool) -> tuple[str, ...]:
    """Lower-cased forms a reader uses for the speaker: name, surname and title phrases
    ("director of the X Commission" -> "director", "commission director")."""
    out: list[str] = [name.lower()]
    parts = [p for p in name.split() if p.lower() not in _DETERMINERS]
    if not organization and len(parts) > 1:
        out.extend(p.lower() for p in (parts[0], parts[-1]))
    elif len(parts) > 1 and parts[-1].lower().rstrip(".") in _COMPANY_WORDS:
        out.append(" ".join(parts[:-1]).lower())  # "Norland Motors" is "Norland" for short
    for title in titles:
        for piece in re.split(r",\s*|\s+and\s+(?=[a-z]+\s+of\b)", title):
            piece = re.sub(r"^(?:also|a|an|the|former)\s+", "", piece.strip(), flags=re.I)
            if not piece:
                continue
            out.append(piece.lower())
            out.extend(_role_aliases(piece))
            match = re.match(r"([\w\-]+)\s+of\s+(.*?)(?:\s+(?:for|in|at|on|to|from|with)\s.*)?$",
                             piece)
            if match:
                match = re.match(r"(\S+).*?(\S+)$", f"{match.group(1)} {match.group(2)}")
            if match and match.group(2)[0].isupper():  # "Springfield mayor", not "two mother"
                out.append(match.group(1).lower())
                out.append(f"{match.group(2)} {match.group(1)}".lower())
    return tuple(dict.fromkeys(a for a in out if a))


def _role_aliases(piece: str) -> list[str]:
    """The role noun of a title and its modifier: "coastal engineer at X" -> "engineer",
    "coastal engineer"; "Health Minister" -> "minister", "health minister"."""
    head = _COMPLEMENT.split(piece, maxsplit=1)[0].lower().split()
    for index in range(len(head) - 1, -1, -1):
        if head[index] in ROLE_NOUNS or (index == len(head) - 1 and _agentive_head(f"a {piece}")):
            out = [head[index]]
            if index > 0 and head[index - 1].isalpha() and head[index - 1] not in _NOT_NAMES:
                out.append(f"{head[index - 1]} {head[index]}")
            return out
    return []
