"""Follow-up questions made self-contained, by rules.

No language model ships offline, so a follow-up is understood with rules over its words,
what the conversation has established (:class:`DialogueState`: the previous self-contained
question, the person in focus, the passages already shown) and what the pipeline already
knows about the article (:class:`ArticleView`: its people, and how its passages follow each
other). Everything here is pure: :func:`resolve` maps a question and a state to a
:class:`Resolution`, :func:`advance` maps a state and an answer to the next state.

The rules, tried in this order (the first that applies wins):

1. a topic switch ("New question: ...", "Unrelated, but ...") drops the context;
2. "in that quote": the previous answer's own passage;
3. "go on", "what comes next", "tell me more", "anything more from him?": the previous
   question again, the next passage (the next enumerated point, or the person's next
   passage) first; "What else did he say (about X)?" likewise without "else"; passages
   already shown rank last;
4. ellipsis ("What about Luo Dajin?", "and Xi?", "same for the commission director"): the
   previous question about the new subject (or topic);
5. "Who said that?", ordinals ("the first one", "the last point"), bare questions about the
   previous answer ("Why?", "How so?", "Which ones?") and demonstratives ("that goal",
   "these plans"): the previous answer's passage and its neighbours first;
6. pronouns and role references ("he", "his", "the director", "this official") name the
   person in focus; "it", "they", "there" with no noun of their own in the question carry
   the previous question's topic; a short question made only of words of the previous
   answer ("What kind of talent exactly?") looks at that answer first.

A question none of these apply to is self-contained and asked exactly as typed: context
never rewrites a question that names its own subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from qa.answering.about import intent_of
from qa.core.types import Answer, Passage, Person
from qa.dialogue import patterns as L
from qa.ranking.speakers import SpeakerMatch
from qa.text.tokens import content_tokens

__all__ = [
    "ArticleView",
    "DialogueState",
    "Resolution",
    "Rule",
    "advance",
    "resolve",
]

#: Which rule made the question self-contained (``as-is`` when none was needed).
Rule = Literal[
    "as-is", "new-topic", "more", "ellipsis", "who-said", "ordinal", "previous-answer",
    "same-quote", "demonstrative", "pronoun",
]


@dataclass(frozen=True, slots=True)
class ArticleView:
    """What the rules may consult about the article: read-only, shared by conversations.

    ``match`` finds the people a text refers to
    (:meth:`qa.ranking.retriever.Retriever.match_speakers`);
    ``passages[i].id == i``.
    """

    passages: tuple[Passage, ...]
    people: tuple[Person, ...]
    match: Callable[[str], Sequence[SpeakerMatch]]

    def person_named(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)


@dataclass(frozen=True, slots=True)
class DialogueState:
    """What a conversation has established after its last turn (empty before the first).

    ``question`` is the last self-contained question; ``subject`` the person in focus (whom
    the last question asked about, else who speaks in the last answer's top passage);
    ``top`` that passage's id; ``shown`` the ids of every top passage shown so far.
    """

    question: str | None = None
    subject: Person | None = None
    top: int | None = None
    shown: frozenset[int] = field(default_factory=frozenset)
    #: People the conversation has been about (subjects and speakers), latest first: where
    #: "she" goes when the subject is a man.
    recent: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one question is to be asked.

    ``resolved_question`` is the self-contained question the search uses; ``subject`` the
    person it is about (None when it is about no one); ``prefer`` passage ids to rank first
    and ``demote`` ids to rank last (see :meth:`qa.answering.pipeline.Pipeline.answer`).
    """

    question: str
    resolved_question: str
    rule: Rule = "as-is"
    subject: Person | None = None
    prefer: tuple[int, ...] = ()
    demote: frozenset[int] = field(default_factory=frozenset)
    new_topic: bool = False
    #: The question later follow-ups build on, when not ``resolved_question``: "Why?" asked
    #: about "What did Luo say?" leaves "What did Luo say?" as the question to vary.
    carry: str | None = None


_MAX_NARROWING_WORDS = 6
#: How many people a conversation remembers for "she" and "he" (see :func:`_referent`).
_RECENT_PEOPLE = 6


# --------------------------------------------------------------------------- people


def _named(matches: Sequence[SpeakerMatch], text: str) -> SpeakerMatch | None:
    """The person a text is about: one asked about as a speaker, else one not named in the
    possessive ("Xi's visit" is a topic), else the first named."""
    if not matches:
        return None
    spans = L.token_spans(text)

    def possessive(match: SpeakerMatch) -> bool:
        last = max(match.words)
        return last < len(spans) and text[spans[last][0] : spans[last][1]].lower().endswith(
            ("'s", "\u2019s")
        )

    return min(matches, key=lambda m: (not m.as_speaker, possessive(m), min(m.words)))


def _name_in_place(text: str, match: SpeakerMatch, name: str) -> str:
    """``text`` with the words that referred to ``match`` replaced by ``name``."""
    spans = L.token_spans(text)
    positions = [i for i in match.words if i < len(spans)]
    if not positions:
        return text
    start, end = spans[min(positions)][0], spans[max(positions)][1]
    if text[start:end].lower().endswith(("'s", "\u2019s")):
        name += "'s"
    before = re.sub(r"\b(?:the|this|that)\s+$", "", text[:start], flags=re.I)
    return before + name + text[end:]


def _replaceable(text: str, match: SpeakerMatch) -> bool:
    """Whether the words naming ``match`` can be swapped for another person's name: a name,
    or a title after "the" ("the commission director"), not title words used as a topic."""
    if match.how != "title":
        return True
    spans = L.token_spans(text)
    first = min(match.words)
    return first < len(spans) and bool(
        re.search(r"\bthe\s+$", text[: spans[first][0]], flags=re.I)
    )


def _resolve_people(text: str, state: DialogueState, view: ArticleView) -> tuple[str, bool]:
    """Pronouns and role references to the person in focus named instead; whether any was.

    A pronoun after a name in the same question refers to that name ("Did Xi himself ..."),
    so such questions are left alone.
    """
    first_pronoun = L.PERSON_PRONOUN.search(text)
    subject = _referent(state, first_pronoun.group("p") if first_pronoun else None)
    if subject is None:
        return text, False
    matches = view.match(text)
    if matches and first_pronoun is not None:
        spans = L.token_spans(text)
        named_at = min(spans[min(m.words)][0] for m in matches if min(m.words) < len(spans))
        if named_at < first_pronoun.start():
            return text, False
    elif matches:
        return text, False
    changed = False

    def pronoun(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group("p").lower()
        after = m.group("after") or ""
        changed = True
        possessive = word in ("his", "hers") or (
            word == "her" and bool(content_tokens(m.group("next") or ""))
        )
        return f"{subject.name}'s{after}" if possessive else f"{subject.name}{after}"

    # Only the first pronoun: "Is he sure he has the votes?" -> "Is Daniel Okafor sure he has
    # the votes?" names him once, as a person would.
    text = L.PERSON_PRONOUN.sub(pronoun, text, count=1)
    title_words = set(content_tokens(subject.title or "")) | {
        w for alias in subject.aliases for w in content_tokens(alias)
    }

    def role(m: re.Match[str]) -> str:
        nonlocal changed
        det, mod, noun = m.group("det").lower(), m.group("mod"), m.group("noun").lower()
        tail = ""
        if noun not in L.ROLE_NOUNS and noun not in L.GENERIC_ROLES:
            if mod is None or mod.lower() not in L.ROLE_NOUNS | L.GENERIC_ROLES:
                return m.group()
            # "this official said": the modifier slot caught the role
            tail = m.group()[m.group().lower().rfind(noun) - 1 :]
            noun = mod.lower()
        fits = noun in L.GENERIC_ROLES or bool(set(content_tokens(noun)) & title_words)
        if det == "the" and not fits:
            return m.group()
        changed = True
        return subject.name + tail

    text = L.ROLE_REF.sub(role, text)
    return text, changed


_PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip


def _referent(state: DialogueState, pronoun: str | None) -> Person | None:
    """Whom a follow-up's person reference means: the person in focus, unless the pronoun's
    gender rules them out ("she" after a man), then the latest person of that gender the
    conversation has been about, else one whose gender the article does not show."""
    subject = state.subject
    gender = _PRONOUN_GENDER.get(pronoun.lower()) if pronoun else None
    if gender is None or (subject is not None and subject.gender in (gender, None)
                          and not subject.is_organization):
        return subject
    people = [p for p in state.recent if not p.is_organization and p != subject]
    return next(
        (p for p in people if p.gender == gender),
        next((p for p in people if p.gender is None), subject),
    )


# --------------------------------------------------------------------------- rules


def _same_passage(core: str, state: DialogueState, view: ArticleView) -> Resolution | None:
    """ "What else did he say in that quote?": the previous answer's own passage."""
    if state.top is None or not L.QUOTE_REF.search(core):
        return None
    text, _ = _resolve_people(L.ELSE.sub(" ", core), state, view)
    text = " ".join(L.QUOTE_REF.sub("the quote", text).split())
    return Resolution(
        core, L.as_question(text), "same-quote", state.subject, (state.top,),
        carry=state.question,
    )


def _more(core: str, state: DialogueState, view: ArticleView) -> Resolution | None:
    """ "go on", "tell me more", "anything more from him?", "What else did he say?"."""
    previous = state.question or core
    passages = view.passages
    prefer: tuple[int, ...] = ()
    if L.CONTINUE.match(core):
        following = L.next_passage(passages, state.top) if state.top is not None else None
        prefer = () if following is None else (following,)
        return Resolution(core, previous, "more", state.subject, prefer, state.shown)
    more = L.MORE.match(core)
    if more:
        subject = state.subject
        who_text = more.group("who") or more.group("who2")
        if who_text:
            named = _named(view.match(_resolve_people(who_text, state, view)[0]), who_text)
            if named is None:
                return None  # "tell me more about the first one": a topic, not a person
            subject = named.person
        resolved = previous
        before = _named(view.match(previous), previous)
        if subject is not None and (before is None or before.person != subject):
            resolved = f"What did {subject.name} say?"
        if state.top is not None and subject is not None:
            prefer = _next_from(passages, state.top, subject, state.shown)
        return Resolution(core, resolved, "more", subject, prefer, state.shown)
    if L.ELSE.search(core) and L.QUESTION_START.match(core):
        stripped = " ".join(L.ELSE.sub(" ", core).split())
        stripped = re.sub(r"\b(?:any|anything)\s*(?=\?|$)", "", stripped).strip()
        resolved, _ = _resolve_people(stripped, state, view)
        if not L.has_content(resolved):
            resolved = previous
        named = _named(view.match(resolved), resolved)
        subject = named.person if named else state.subject
        return Resolution(core, L.as_question(resolved), "more", subject, (), state.shown)
    return None


def _next_from(
    passages: Sequence[Passage], top: int, subject: Person, shown: frozenset[int]
) -> tuple[int, ...]:
    """The next passage after ``top`` in which ``subject`` speaks and that was not shown."""
    article = passages[top].article
    for pid in range(top + 1, min(len(passages), top + 8)):
        passage = passages[pid]
        if passage.article != article:
            break
        if passage.speaker and passage.speaker.name == subject.name and pid not in shown:
            return (pid,)
    return ()


def _ellipsis(core: str, state: DialogueState, view: ArticleView) -> Resolution | None:
    """ "What about Luo Dajin?", "and Xi?", "same for the commission director"."""
    previous = state.question or core
    for number, pattern in enumerate(L.ELLIPSIS):
        m = pattern.match(core)
        if m is None:
            continue
        x = m.group("x").strip()
        topic, _, asked = x.partition(",")
        if asked.strip() and L.QUESTION_START.match(asked.strip()):
            # "What about the sound walls, how much would those cost?": the question is
            # there, about the topic before the comma.
            return _topic_question(core, topic.strip(), asked.strip(), state)
        limit = 8 if number < 2 else 4  # "and"/"too" need a short phrase to be elliptical
        if not x or len(x.split()) > limit or L.QUESTION_START.match(x):
            continue
        if re.match(rf"(?:the\s+)?(?:{L.ORDINAL_PATTERN})\b", x, re.I):
            return None  # "what about the second one?": an ordinal
        x_resolved, _ = _resolve_people(x, state, view)
        named = _named(view.match(x_resolved), x_resolved)
        if named is not None and not _rest_has_content(x_resolved, named):
            person = named.person
            before = _named(view.match(previous), previous)
            if before is not None and _replaceable(previous, before):
                resolved = _name_in_place(previous, before, person.name)
            else:
                resolved = f"{previous.rstrip('?.! ')}, according to {person.name}?"
            return Resolution(core, L.as_question(resolved), "ellipsis", person)
        if not content_tokens(x):
            continue
        if L.has_content(x, 3):  # "what about their role in the ecosystem priority?"
            return Resolution(
                core, f"What does the article say about {x}?", "ellipsis", state.subject
            )
        about = re.search(
            r"\b(?:about|regarding|concerning)\s+(?P<topic>[^?]+?)\s*\??$", previous, re.I
        )
        before = _named(view.match(previous), previous)
        if about:
            resolved = previous[: about.start("topic")] + x
        elif before is not None:
            resolved = f"What did {before.person.name} say about {x}?"
        else:
            resolved = f"What does the article say about {x}?"
        subject = before.person if before else None
        return Resolution(core, L.as_question(resolved), "ellipsis", subject)
    return None


_TOPIC_PRONOUN = re.compile(r"\b(?:those|these|they|them|it|that|this)\b", re.I)


def _topic_question(core: str, topic: str, asked: str, state: DialogueState) -> Resolution:
    """``asked`` with its pronoun standing for ``topic`` (or the topic added after it)."""
    pronoun = _TOPIC_PRONOUN.search(asked)
    if pronoun is not None:
        resolved = asked[: pronoun.start()] + topic + asked[pronoun.end() :]
    else:
        resolved = f"{asked.rstrip('?.! ')} ({topic})"
    return Resolution(core, L.as_question(resolved), "ellipsis", state.subject)


def _rest_has_content(text: str, match: SpeakerMatch) -> bool:
    """Whether ``text`` says more than who ``match`` is ("Luo", "the commission director")."""
    spans = L.token_spans(text)
    rest = " ".join(
        text[start:end] for i, (start, end) in enumerate(spans) if i not in match.words
    )
    return L.has_content(rest)


def _about_previous_answer(
    core: str, state: DialogueState, view: ArticleView
) -> Resolution | None:
    """ "Who said that?", "the first one", "Why?", "these plans": the previous answer."""
    top = state.top
    if top is None or not 0 <= top < len(view.passages):
        return None
    if L.WHO_SAID_THAT.match(core):
        return _who_said_that(core, state, view, top)
    text, _ = _resolve_people(core, state, view)
    named = _named(view.match(text), text)
    follow_up = _FollowUp(
        core=core,
        text=text,
        previous=state.question or core,
        subject=named.person if named else state.subject,
        top=top,
        region=L.neighbours(view.passages, top),
    )
    # Most specific first: an ordinal picks one point of the answer, a bare "Why?" asks about
    # the whole answer, "these plans" about something the answer names.
    return (
        _ordinal_reference(follow_up, view.passages)
        or _bare_question(follow_up, named is None or named.person == state.subject)
        or _demonstrative_reference(follow_up, view.passages[top])
    )


@dataclass(frozen=True, slots=True)
class _FollowUp:
    """A question about the previous answer, as the rules for it need it."""

    core: str
    #: ``core`` with its pronouns and roles resolved to people.
    text: str
    #: The question the previous answer answered (the one a bare "Why?" continues).
    previous: str
    subject: Person | None
    #: The previous answer's top passage, and it with the passages continuing its voice.
    top: int
    region: tuple[int, ...]


def _who_said_that(core: str, state: DialogueState, view: ArticleView, top: int) -> Resolution:
    passage = view.passages[top]
    snippet = " ".join(passage.text.strip(" \"\u201c\u201d'").split()[:8])
    speaker = view.person_named(passage.speaker.name) if passage.speaker else None
    return Resolution(
        core, f'Who said "{snippet}..."?', "who-said", speaker, (top,),
        carry=state.question or core,
    )


#: Nouns that just count ("the second one", "the third point") rather than name the points.
_GENERIC_ITEMS = ("one", "ones", "point", "points", "item", "items", "thing", "things", "part")


def _ordinal_reference(follow_up: _FollowUp, passages: Sequence[Passage]) -> Resolution | None:
    """ "The second one", "and the last priority?": a point of the enumeration the previous
    answer is part of; or, with no enumeration, the previous answer's region."""
    text = follow_up.text
    ordinal = L.ORDINAL_REF.search(text)
    if ordinal is None:
        return None
    items, head = L.enumeration(passages, follow_up.top)
    position = L.ORDINALS[ordinal.group("ord").lower()]
    noun = (ordinal.group("noun") or "").lower()
    if items and (not noun or noun in _GENERIC_ITEMS or noun == head):
        chosen = items[position - 1] if 0 < position <= len(items) else items[-1]
        word = next(w for w, n in L.ORDINALS.items() if n == items.index(chosen) + 1)
        phrase = f"the {word} {head}" if head else f"the {word} one"
        resolved = L.as_question(text[: ordinal.start()] + phrase + text[ordinal.end() :])
        if not L.QUESTION_START.match(resolved):  # "And the last one?"
            resolved = f"What about {resolved[0].lower()}{resolved[1:]}"
        return Resolution(follow_up.core, resolved, "ordinal", follow_up.subject, (chosen,))
    if not L.has_content(text[: ordinal.start()] + text[ordinal.end() :]):
        return Resolution(
            follow_up.core, L.with_context(text, follow_up.previous), "ordinal",
            follow_up.subject, follow_up.region, carry=follow_up.previous,
        )
    return None


def _bare_question(follow_up: _FollowUp, same_subject: bool) -> Resolution | None:
    """ "Why?", "How?": a question word and nothing else continues the previous question,
    unless it names someone new ("Why Xu?")."""
    bare = L.BARE_WH.match(follow_up.text)
    if bare is None or L.has_content(bare.group("rest")) or not same_subject:
        return None
    return Resolution(
        follow_up.core, L.with_context(follow_up.text, follow_up.previous), "previous-answer",
        follow_up.subject, follow_up.region, carry=follow_up.previous,
    )


def _demonstrative_reference(follow_up: _FollowUp, passage: Passage) -> Resolution | None:
    """ "These plans", "that goal": the phrase of the previous answer's top ``passage`` the
    noun stands for, else the noun alone with the previous question as context."""
    text = follow_up.text
    demonstrative = L.DEMONSTRATIVE.search(text)
    if demonstrative is None or L.relative_that(text, demonstrative):
        return None
    noun = demonstrative.group("noun")
    # "that man", "this official" are people, left to the people rules.
    if noun.lower() in L.ROLE_NOUNS | L.GENERIC_ROLES or not content_tokens(noun):
        return None
    described = L.noun_phrase(passage.text, noun)
    if described is not None:
        resolved = text[: demonstrative.start()] + described + text[demonstrative.end() :]
        return Resolution(
            follow_up.core, L.as_question(resolved), "demonstrative", follow_up.subject,
            follow_up.region,
        )
    resolved = text[: demonstrative.start()] + "the " + text[demonstrative.end() - len(noun) :]
    return Resolution(
        follow_up.core, L.with_context(resolved, follow_up.previous, topic_only=True),
        "demonstrative", follow_up.subject, follow_up.region,
    )


def _anaphora(core: str, state: DialogueState, view: ArticleView) -> Resolution | None:
    """Pronouns and role references; "there", "it", "they" carry the previous question."""
    previous = state.question or core
    text, changed = _resolve_people(core, state, view)
    named = _named(view.match(text), text)
    subject = named.person if named else (state.subject if changed else None)
    prefer: tuple[int, ...] = ()
    if L.NEXT.search(text) and state.top is not None:
        following = L.next_passage(view.passages, state.top)
        prefer = () if following is None else (following,)
    anaphor = L.ANAPHOR.search(core)
    if anaphor is not None and not L.internal_reference(core, anaphor):
        resolved = L.with_context(text, previous, topic_only=True)
        return Resolution(core, resolved, "pronoun", subject, prefer, carry=resolved)
    if named is None and not changed and _narrows(text, state, view):
        # "What kind of talent exactly?" right after an answer about talent: that answer.
        resolved = L.with_context(text, previous, topic_only=True)
        region = L.neighbours(view.passages, state.top) if state.top is not None else ()
        return Resolution(core, resolved, "previous-answer", state.subject, region,
                          carry=previous)
    if prefer:
        # "What did the director promise next?": the passage after the last answer is the
        # answer, as for "go on".
        return Resolution(core, L.as_question(text), "more", subject, prefer)
    if changed:
        return Resolution(core, L.as_question(text), "pronoun", subject)
    return None


def _narrows(text: str, state: DialogueState, view: ArticleView) -> bool:
    """Whether a short question only picks up words of the previous answer's passage."""
    if state.top is None or len(text.split()) > _MAX_NARROWING_WORDS:
        return False
    own = set(content_tokens(text)) - L.LIGHT_STEMS
    return bool(own) and own <= set(content_tokens(view.passages[state.top].text))


def resolve(question: str, state: DialogueState, view: ArticleView) -> Resolution:
    """How to ask ``question`` given the conversation so far (pure)."""
    text = " ".join(question.split())
    rest = L.switch(text)
    if rest is not None:
        named = _named(view.match(rest), rest)
        return Resolution(
            text, L.as_question(rest), "new-topic", named.person if named else None,
            new_topic=True,
        )
    named = _named(view.match(text), text)
    as_is = Resolution(text, text, "as-is", named.person if named else None)
    # "Who wrote it?" and "What is it about?" are about the article itself
    # (qa.answering.about), never about the person or passage in focus, whatever their
    # pronouns seem to point to.
    if state.question is None or intent_of(text) is not None:
        return as_is
    core = L.normalise(text)
    for rule in (_same_passage, _more, _ellipsis, _about_previous_answer, _anaphora):
        resolution = rule(core, state, view)
        if resolution is not None:
            return replace(resolution, question=text)
    return as_is


def _first_person(view: ArticleView, passage_id: int) -> Person | None:
    """The first person (not an organisation) a passage names."""
    text = view.passages[passage_id].text
    people = [m for m in view.match(text) if not m.person.is_organization]
    return min(people, key=lambda m: min(m.words)).person if people else None


def advance(
    state: DialogueState, resolution: Resolution, answer: Answer, view: ArticleView
) -> DialogueState:
    """The state after ``answer`` was given to the question ``resolution`` describes (pure)."""
    top = answer.passages[0].passage.id if answer.passages else None
    subject = resolution.subject
    if subject is None and top is not None:
        speaker = view.passages[top].speaker
        subject = view.person_named(speaker.name) if speaker else None
    if top is not None and L.WHO_QUESTION.match(resolution.resolved_question) and not (
        L.WHO_IS.match(resolution.resolved_question) and resolution.subject is not None
    ):
        # "Who said ...?" asks about the speaker it finds, not the people it mentions; "Who
        # raised the allegations?" answered by narration is about the person it names.
        speaker = view.passages[top].speaker
        found = view.person_named(speaker.name) if speaker else _first_person(view, top)
        subject = found or subject
    if subject is None and not resolution.new_topic:
        subject = state.subject  # the reporter's own words: the focus stays where it was
    shown = frozenset() if resolution.new_topic else state.shown
    if top is not None:
        shown |= {top}
    question = resolution.carry or resolution.resolved_question
    speaker = view.passages[top].speaker if top is not None else None
    in_turn = (subject, view.person_named(speaker.name) if speaker else None)
    recent = tuple(dict.fromkeys(p for p in (*in_turn, *state.recent) if p is not None))
    return DialogueState(question, subject, top, shown, recent[:_RECENT_PEOPLE])
