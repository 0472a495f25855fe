"""Speaker attribution: the seed article pinned paragraph by paragraph, and one small fixture
article per newswire convention (tests/data/attribution/*.txt)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qa.core.types import Article, Kind, Quote, Speaker
from qa.ingest.load import load_articles
from qa.ingest.text import article_from_text
from qa.passages.attribution import Attribution, attribute
from qa.passages.attribution.names import NAME_RUN, Name, split_run
from qa.passages.attribution.stops import clause_end, past_clause_end
from qa.ranking.speakers import match_speakers

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "attribution"
SEED = ROOT / "seeds" / "000_378344c681942944.txt"

XI = Speaker(
    "Xi Jinping",
    "President, general secretary of the Communist Party of China (CPC) Central Committee "
    "and chairman of the Central Military Commission",
)
XU = Speaker(
    "Xu Feng", "secretary of the municipal Party committee for science and technology works"
)
LUO = Speaker("Luo Dajin", "director of the Shanghai Science and Technology Commission")

SEED_GOLD: list[tuple[Speaker | None, Kind]] = [
    (XI, "indirect"), (None, "narration"), (XI, "direct"), (None, "narration"),
    (XU, "direct"), (XU, "direct"), (XU, "direct"), (XU, "indirect"), (XU, "indirect"),
    (XU, "direct"), (XU, "indirect"), (LUO, "direct"), (LUO, "indirect"), (LUO, "direct"),
    (LUO, "direct"), (LUO, "direct"), (LUO, "indirect"), (LUO, "direct"), (LUO, "direct"),
    (LUO, "direct"), (LUO, "direct"),
]  # fmt: skip


def _load(name: str) -> tuple[Article, Attribution]:
    article = load_articles(FIXTURES / name)[0]
    return article, attribute(article)


def _quote(article: Article, result: Attribution, words: str) -> Quote:
    """The quote whose span is exactly ``words`` (located in the text, so offsets are pinned)."""
    start = article.text.index(words)
    matches = [q for q in result.quotes if (q.start, q.end) == (start, start + len(words))]
    assert len(matches) == 1, f"no quote spans exactly {words!r}: {result.quotes}"
    assert matches[0].text == article.text[matches[0].start : matches[0].end]
    return matches[0]


def _paragraph(article: Article, result: Attribution, number: int) -> tuple[Speaker | None, Kind]:
    start, end = article.paragraphs[number - 1]
    return result.span_speaker(start, end)


def test_seed_every_paragraph_has_its_gold_speaker_title_and_kind() -> None:
    article = load_articles(SEED)[0]
    result = attribute(article)
    got = [result.span_speaker(start, end) for start, end in article.paragraphs]
    assert len(got) == 21
    for number, (actual, expected) in enumerate(zip(got, SEED_GOLD, strict=True), start=1):
        assert actual == expected, f"paragraph {number}"


def test_seed_people_carry_full_names_titles_and_reader_aliases() -> None:
    result = attribute(load_articles(SEED)[0])
    people = {p.name: p for p in result.people}
    assert set(people) == {"Xi Jinping", "Xu Feng", "Luo Dajin"}
    luo = people["Luo Dajin"]
    assert luo.title == LUO.title and not luo.is_organization
    for alias in ("luo dajin", "luo", "director of the shanghai science and technology commission",
                  "commission director"):
        assert alias in luo.aliases
    assert "president" in people["Xi Jinping"].aliases


def test_seed_pronoun_mention_is_kept_but_speaker_is_resolved() -> None:
    article = load_articles(SEED)[0]
    result = attribute(article)
    quote = _quote(article, result, article.text[article.paragraphs[13][0] :].split(" he said")[0])
    assert quote.speaker == LUO and quote.kind == "direct"
    assert quote.mention is not None and quote.mention.text == "he"
    assert quote.cue is not None and quote.cue.text == "said"


def test_name_inside_someone_elses_quote_is_not_a_speaker() -> None:
    _, result = _load("continued_quote.txt")
    assert all(q.speaker is None or q.speaker.name != "Anna Berg" for q in result.quotes)


def test_quote_continued_into_next_paragraph_belongs_to_speaker_named_at_its_end() -> None:
    article, result = _load("continued_quote.txt")
    otto = Speaker("Carl Otto", "director of the city health office")
    opening = _quote(article, result, article.text[: article.paragraphs[0][1]])
    closing = _quote(article, result, "“We did not listen, and now we must act quickly,”")
    assert (opening.speaker, opening.kind) == (otto, "direct")
    assert (closing.speaker, closing.kind) == (otto, "direct")
    assert _paragraph(article, result, 1) == (otto, "direct")


def test_enumerated_points_after_a_speaker_are_his_indirect_speech() -> None:
    article, result = _load("continued_quote.txt")
    otto = Speaker("Carl Otto", "director of the city health office")
    first = _quote(article, result, "The first step was to reopen the clinics.")
    assert (first.speaker, first.kind) == (otto, "indirect")
    assert _paragraph(article, result, 4) == (otto, "indirect")


def test_inverted_said_with_long_apposition_title() -> None:
    article, result = _load("inversion_and_titles.txt")
    quote = _quote(article, result, '"We will not back down from this fight,"')
    assert quote.speaker == Speaker("Jane Doe", "a spokeswoman for the agency")
    assert quote.mention is not None and quote.mention.text == "Jane Doe"
    assert quote.cue is not None and quote.cue.text == "said"


def test_premodifier_title_and_reported_speech() -> None:
    article, result = _load("inversion_and_titles.txt")
    quote = _quote(article, result, "the talks would resume next week.")
    assert (quote.speaker, quote.kind) == (Speaker("John Kerry", "Secretary of State"), "indirect")


def test_headline_is_not_attributed() -> None:
    article, result = _load("inversion_and_titles.txt")
    assert _paragraph(article, result, 1) == (None, "narration")
    assert all(q.start >= article.paragraphs[1][0] for q in result.quotes)


def test_according_to_an_organisation() -> None:
    article, result = _load("organisations.txt")
    quote = _quote(article, result, "The plant will close in May")
    assert (quote.speaker, quote.kind) == (Speaker("the ministry"), "indirect")
    assert quote.cue is not None and quote.cue.text == "according to"
    people = {p.name: p for p in result.people}
    assert people["the ministry"].is_organization


def test_organisation_writes_a_direct_quote() -> None:
    article, result = _load("organisations.txt")
    quote = _quote(article, result, '"The report is badly flawed and we reject it,"')
    assert (quote.speaker, quote.kind) == (Speaker("the newspaper"), "direct")
    assert quote.cue is not None and quote.cue.text == "wrote"


def test_split_quote_both_halves_go_to_the_pronoun_resolved_by_gender() -> None:
    article, result = _load("split_quote_and_pronouns.txt")
    lopez = Speaker("Maria Lopez")
    for words in ('"We will,"', '"win this election in the end."'):
        quote = _quote(article, result, words)
        assert (quote.speaker, quote.kind) == (lopez, "direct"), words
        assert quote.mention is not None and quote.mention.text == "she"


def test_he_resolves_to_the_male_person_not_the_nearest_speaker() -> None:
    article, result = _load("split_quote_and_pronouns.txt")
    quote = _quote(article, result, '"It was a useful meeting for both of us,"')
    assert quote.speaker == Speaker("Tom Reed")
    assert quote.cue is not None and quote.cue.text == "told"


def test_surname_quote_resolves_to_speaker_introduced_paragraphs_earlier() -> None:
    article, result = _load("earlier_speaker_and_nesting.txt")
    quote = _quote(article, result, "“Nobody told me ‘never again’ would be so hard to keep,”")
    assert quote.speaker == Speaker("Peter Walsh", "the mayor of Springfield")
    assert quote.mention is not None and quote.mention.text == "Walsh"
    assert quote.cue is not None and quote.cue.text == "added"
    assert _paragraph(article, result, 2) == (None, "narration")


def test_quote_opening_the_paragraph_after_a_speakers_quote_goes_on_with_that_speaker() -> None:
    article, result = _load("earlier_speaker_and_nesting.txt")
    quote = _quote(article, result, "“This was built by people who believed in this town.”")
    assert quote.speaker == Speaker("Peter Walsh", "the mayor of Springfield")
    assert quote.mention is not None and quote.mention.text == "Walsh"
    assert _paragraph(article, result, 4) == (quote.speaker, "direct")


def test_signature_line_after_a_quote_names_the_speaker() -> None:
    article, result = _load("signature.txt")
    quote = _quote(article, result, "“The markets are calm and the outlook is good for everyone.”")
    assert quote.speaker == Speaker("Lena Fischer") and quote.cue is None


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue"),
    [
        ('"Prices will fall," Ann Lee told reporters.', "Ann Lee", "told"),
        ('"Prices will fall," Ann Lee added.', "Ann Lee", "added"),
        ('"Prices will fall," Ann Lee warned.', "Ann Lee", "warned"),
        ('"Prices will fall," Ann Lee insisted.', "Ann Lee", "insisted"),
        ('"Prices will fall," Ann Lee tweeted.', "Ann Lee", "tweeted"),
        ('"Prices will fall," says Ann Lee.', "Ann Lee", "says"),
        ('Ann Lee wrote: "Prices will fall."', "Ann Lee", "wrote"),
        ('"Prices will fall," Ann Lee (D-Ohio) noted.', "Ann Lee", "noted"),
    ],
)
def test_speech_cues(sentence: str, speaker: str, cue: str) -> None:
    article = article_from_text(sentence)
    direct = [q for q in attribute(article).quotes if q.kind == "direct"]
    assert len(direct) == 1
    assert direct[0].speaker is not None and direct[0].speaker.name == speaker
    assert direct[0].cue is not None and direct[0].cue.text == cue
    start = sentence.index('"Prices')
    assert (direct[0].start, direct[0].end) == (start, sentence.index('"', start + 1) + 1)


def test_span_speaker_with_no_speech_is_narration() -> None:
    article, result = _load("earlier_speaker_and_nesting.txt")
    assert result.span_speaker(*article.paragraphs[1]) == (None, "narration")


def test_attribution_does_not_import_torch() -> None:
    code = "import sys, qa.passages.attribution; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


def test_quoted_title_of_a_show_is_not_a_quote() -> None:
    article = article_from_text('Ann Lee told MSNBC\'s "Morning Joe" that prices would fall.')
    result = attribute(article)
    assert [q.kind for q in result.quotes] == ["indirect"]
    assert result.quotes[0].text == "prices would fall."


def test_role_then_name_in_apposition_before_the_cue_is_the_speaker() -> None:
    article, result = _load("role_apposition.txt")
    quote = _quote(article, result, '"We will sail at dawn, whatever the weather does."')
    assert (quote.speaker, quote.kind) == (Speaker("Ida Lund", "captain"), "direct")
    assert quote.mention is not None and quote.mention.text == "Ida Lund"
    assert quote.mention.start == article.text.index("Ida Lund")
    assert quote.cue is not None and quote.cue.text == "said"


def test_reported_speech_with_the_role_and_name_after_an_inverted_cue() -> None:
    article, result = _load("role_apposition.txt")
    quote = _quote(article, result, "The harbour will stay closed until Friday")
    assert (quote.speaker, quote.kind) == (Speaker("Lina Haddad", "mayor"), "indirect")
    assert quote.mention is not None and quote.mention.text == "Lina Haddad"
    assert quote.cue is not None and quote.cue.text == "said"
    assert _paragraph(article, result, 2) == (Speaker("Lina Haddad", "mayor"), "indirect")


def test_the_cue_nearest_the_quote_with_its_own_subject_wins_over_junk_before_it() -> None:
    article, result = _load("junk_before_cue.txt")
    quote = _quote(article, result, '"We will open the bridge on Monday."')
    assert (quote.speaker, quote.kind) == (Speaker("Lina Haddad", "mayor"), "direct")
    assert quote.mention is not None and quote.mention.start == article.text.index("Lina")
    assert quote.cue is not None and quote.cue.start == article.text.rindex("said")
    assert [p.name for p in result.people] == ["Lina Haddad"]


@pytest.mark.parametrize(
    ("words", "speaker", "cue"),
    [
        ("prices would fall", "Ann Lee", "said"),
        ("wages would rise.", "Bob Stone", "told"),
        ("the strike would end", "The union", "said"),
        ("talks would resume.", "the minister", "said"),
    ],
)
def test_each_coordinated_reporting_clause_keeps_its_own_speaker(
    words: str, speaker: str, cue: str
) -> None:
    article, result = _load("coordinated_reports.txt")
    quote = _quote(article, result, words)
    assert quote.kind == "indirect"
    assert quote.speaker is not None and quote.speaker.name == speaker
    assert quote.mention is not None and quote.mention.text == speaker
    assert quote.cue is not None and quote.cue.text == cue


def test_adverb_between_pronoun_and_cue_still_resolves_the_pronoun() -> None:
    article, result = _load("adverbs_and_nesting.txt")
    quote = _quote(article, result, "“But since then, its fortunes have changed,”")
    assert (quote.speaker, quote.kind) == (Speaker("Times"), "direct")
    assert quote.mention is not None and quote.mention.text == "it"
    assert quote.cue is not None and quote.cue.text == "wrote"


def test_nested_curly_quote_does_not_cut_the_outer_quote_short() -> None:
    article, result = _load("adverbs_and_nesting.txt")
    words = "“I would rather live in what he calls “hell” than live there.”"
    quote = _quote(article, result, words)
    assert (quote.speaker, quote.kind) == (Speaker("Rosa Diaz"), "direct")
    assert quote.cue is None



def test_pronoun_resolves_to_the_person_not_the_place_in_her_apposition() -> None:
    article, result = _load("place_and_pronoun.txt")
    hannah = Speaker("Hannah Kowalczyk", "a retired teacher from the town of Bellmoor Heights")
    words = "the water rose faster than anyone on her street had expected."
    reported = _quote(article, result, words)
    assert (reported.speaker, reported.kind) == (hannah, "indirect")
    assert reported.mention is not None and reported.mention.text == "She"
    assert _paragraph(article, result, 1) == (hannah, "indirect")
    assert _paragraph(article, result, 2) == (hannah, "direct")
    assert "Bellmoor Heights" not in {p.name for p in result.people}


def test_pronoun_skips_a_place_named_after_a_locative_preposition() -> None:
    article, result = _load("place_and_pronoun.txt")
    quote = _quote(article, result, "the new pumps had failed within an hour.")
    assert (quote.speaker, quote.kind) == (Speaker("Tobias Grant"), "indirect")
    assert quote.mention is not None and quote.mention.text == "He"
    assert [p.name for p in result.people] == ["Hannah Kowalczyk", "Tobias Grant"]


def test_definite_role_resolves_to_the_one_person_whose_title_holds_it() -> None:
    article, result = _load("role_coreference.txt")
    brady = Speaker("Colm Brady", "Education Secretary")
    quote = _quote(article, result, "the first payments would reach schools in January.")
    assert (quote.speaker, quote.kind) == (brady, "indirect")
    assert quote.mention is not None and quote.mention.text == "The secretary"
    assert "The secretary" not in {p.name for p in result.people}


def test_definite_role_shared_by_two_people_is_not_guessed() -> None:
    article, result = _load("role_coreference.txt")
    quote = _quote(article, result, "the money would not cover the heating bills.")
    assert quote.speaker == Speaker("The director")


@pytest.mark.parametrize(
    ("introduction", "role", "speaker"),
    [
        ("Mayor Ines Varga opened the bridge on Friday.", "mayor",
         Speaker("Ines Varga", "Mayor")),
        ("Kofi Mensah, a structural engineer at the port, inspected the crane.", "engineer",
         Speaker("Kofi Mensah", "a structural engineer at the port")),
        ("Lotte Brandt, a spokesperson for the airline, apologised for the delays.",
         "spokesperson", Speaker("Lotte Brandt", "a spokesperson for the airline")),
    ],
)
def test_the_role_named_later_is_the_person_introduced_with_it(
    introduction: str, role: str, speaker: Speaker
) -> None:
    result = attribute(article_from_text(f"{introduction} The {role} said the tolls would end."))
    assert [(q.speaker, q.kind, q.text) for q in result.quotes] == [
        (speaker, "indirect", "the tolls would end.")
    ]


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        (1, Speaker("Petra Novak", "Alderman")),
        (2, Speaker("Joel Haddock", "senior engineer")),
        (3, Speaker("Amara Nwosu", "a hydrologist at the regional water board")),
        (4, Speaker("Grace Whitlow", "who runs a bakery on the quayside")),
    ],
)
def test_title_words_before_a_name_and_descriptions_after_it_become_the_title(
    paragraph: int, speaker: Speaker
) -> None:
    """Title words before the name are no part of it; a descriptive apposition beats a bare
    honorific and stops before its relative clause; a relative clause is the fallback."""
    article, result = _load("names_and_titles.txt")
    assert _paragraph(article, result, paragraph) == (speaker, "indirect")


def test_cue_followed_by_a_colon_attributes_the_quote() -> None:
    article, result = _load("names_and_titles.txt")
    words = '"We are being asked to approve a number that nobody has checked."'
    quote = _quote(article, result, words)
    assert (quote.speaker, quote.kind) == (Speaker("Petra Novak", "Alderman"), "direct")
    assert quote.mention is not None and quote.mention.text == "Novak"
    assert quote.cue is not None and quote.cue.text == "said"


def test_aliases_hold_the_surname_and_the_role_with_and_without_its_modifier() -> None:
    people = {p.name: p for p in _load("names_and_titles.txt")[1].people}
    assert {"haddock", "engineer", "senior engineer"} <= set(people["Joel Haddock"].aliases)
    assert {"nwosu", "hydrologist"} <= set(people["Amara Nwosu"].aliases)
    assert {"novak", "alderman"} <= set(people["Petra Novak"].aliases)
    brady = {p.name: p for p in _load("role_coreference.txt")[1].people}["Colm Brady"]
    assert {"brady", "secretary", "education secretary"} <= set(brady.aliases)
    assert all(not alias.startswith("prof") for alias in people["Amara Nwosu"].aliases)


def test_she_skips_a_business_and_a_numbered_union_local_named_nearer() -> None:
    article, result = _load("business_and_union.txt")
    quote = _quote(article, result, '"We have heard promises like this before and watched them '
                   'vanish within a year,"')
    assert quote.speaker is not None and quote.speaker.name == "Rosa Lindqvist"
    assert quote.mention is not None and quote.mention.text == "she"
    people = {p.name: p for p in result.people}
    assert set(people) == {"Halvard Motors", "Rosa Lindqvist"}
    assert people["Halvard Motors"].is_organization


def test_she_skips_a_place_known_only_as_part_of_a_body_that_spoke() -> None:
    article, result = _load("body_names.txt")
    quote = _quote(article, result, '"My passengers cannot drive to the mainland bridge, and '
                   'nobody has asked them what they need,"')
    assert quote.speaker is not None and quote.speaker.name == "Marit Olsen"


def test_the_carmaker_is_the_one_business_that_spoke_before() -> None:
    article, result = _load("business_and_union.txt")
    quote = _quote(article, result, "in a statement that it expected to employ about 600 people "
                   "once the line reached full speed.")
    assert (quote.speaker, quote.kind) == (Speaker("Halvard Motors"), "indirect")
    assert quote.mention is not None and quote.mention.text == "The carmaker"


def test_the_first_word_of_a_business_name_speaks_for_the_business() -> None:
    article, result = _load("business_and_union.txt")
    quote = _quote(article, result, "it would publish a wage scale before the ballot.")
    assert quote.speaker == Speaker("Halvard Motors")
    assert quote.mention is not None and quote.mention.text == "Halvard"


def test_a_body_noun_its_name_holds_picks_that_body_among_several() -> None:
    article, result = _load("body_names.txt")
    quote = _quote(article, result, "the first flight would leave in March.")
    assert quote.speaker == Speaker("Brennick Airlines")
    assert quote.mention is not None and quote.mention.text == "The airline"


def test_the_company_is_not_guessed_when_two_businesses_spoke() -> None:
    article, result = _load("body_names.txt")
    quote = _quote(article, result, "the lease would run for ten years.")
    assert quote.speaker == Speaker("The company")


def test_a_role_no_title_holds_is_the_one_person_who_spoke_earlier_in_the_paragraph() -> None:
    article, result = _load("business_and_union.txt")
    quote = _quote(article, result, '"Nobody here is going to sign a blank contract,"')
    assert quote.speaker is not None and quote.speaker.name == "Rosa Lindqvist"
    assert quote.mention is not None and quote.mention.text == "the veteran organizer"
    assert _paragraph(article, result, 5) == (quote.speaker, "direct")


@pytest.mark.parametrize(
    "text",
    [
        # Two people spoke before the role in its paragraph: no one to choose.
        'Ann Lee said prices would fall, and Bob Stone said wages would rise. "Both will '
        'happen at once," the economist said.',
        # The speaker of the previous paragraph is not carried over to a role opening the next.
        'Ann Lee said prices would fall.\n\n"Both will happen at once," the economist said.',
    ],
)
def test_a_role_no_title_holds_is_not_guessed_without_a_single_speaker_before_it(
    text: str,
) -> None:
    result = attribute(article_from_text(text))
    direct = [q for q in result.quotes if q.kind == "direct"]
    assert [q.speaker for q in direct] == [Speaker("the economist")]


def test_a_business_is_also_known_by_its_name_without_the_business_word() -> None:
    people = {p.name: p for p in _load("business_and_union.txt")[1].people}
    assert people["Halvard Motors"].aliases == ("halvard motors", "halvard")


# --- Continuation: quotes with no cue of their own ------------------------------------------


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        # the same paragraph, after "said X, title, who ... Mr. Brody ...": the title's own
        # names (and the "Mr." in it) do not end the run
        ('"We expect the channel to be open by the autumn."', "Nora Quist"),
        # the next paragraph, which opens with the quote
        ('"Nobody will lose a berth while we work."', "Nora Quist"),
        # after "X told reporters in Kelso on Monday.": a place is nobody speaking
        ('"Ships have waited long enough."', "Ivan Brody"),
    ],
)
def test_quote_without_a_cue_after_a_speakers_quote_continues_that_speaker(
    words: str, speaker: str
) -> None:
    article, result = _load("continuation.txt")
    quote = _quote(article, result, words)
    assert quote.speaker is not None and quote.speaker.name == speaker
    assert quote.kind == "direct"


@pytest.mark.parametrize(
    "words",
    [
        # two paragraphs after the last speaker, with another person named in between
        '"We have heard these promises before, every spring."',
        # another person is named between the attributed quote and this one
        '"They will fall by the summer, in my view."',
    ],
)
def test_quote_after_another_person_is_named_does_not_continue_the_speaker(words: str) -> None:
    article, result = _load("continuation.txt")
    quote = _quote(article, result, words)
    assert quote.speaker is None and quote.mention is None


# --- The open slot after a quote, frames, participles and embedded fragments -----------------


@pytest.mark.parametrize(
    ("words", "speaker", "cue"),
    [
        # "...," X VERBed: any verb-looking word after the subject is the cue
        ('"What a day for the whole town,"', "Mara Olsen", "gushed"),
        ('"Why should we pay for their mistakes?"', "Piet Vos", "groaned"),
        ('"Sign the petition before Friday,"', "Piet Vos", "implored"),
        # a label or colon frame opened by its source: no speech verb at all
        ('"We will not sell the quay to anyone."', "Mara Olsen", ""),
        ('"The council never listens to the harbour."', "Piet Vos", ""),
        # a capitalised cue opening the sentence
        ('"This is the best result we could have hoped for."', "Mara Olsen", "Said"),
        # participles: after a fronted adverbial, governed by "footage of", "quoted X as"
        ('"It will ruin the harbour for a generation."', "Piet Vos", "saying"),
        ('"We will win this fight in the end."', "Mara Olsen", "saying"),
        ('"Nothing will change on the quay."', "Piet Vos", "saying"),
        # short fragments built into a sentence, after a verb of naming or comparing
        ('"a slow shipwreck"', "Ada Lind", "likened"),
        ('"a gift to developers"', "Piet Vos", "called"),
        # a Title Case label after "hailed ... as" is a quote, not the title of a work
        ('"The Harbour Queen"', "Ada Lind", "hailed"),
        # a name right before a verb right before the quote: "X VERBed "..."", any verb
        ('"the quiet sale of the north quay to a developer."', "Ada Lind", "attacked"),
        # a chant: the subject of the sentence, not the object of "along the harbour wall"
        ('"Save our quay"', "Walkers", "chanted"),
    ],
)
def test_speech_without_a_listed_cue_next_to_the_quote(words: str, speaker: str, cue: str) -> None:
    article, result = _load("open_slot_and_frames.txt")
    quote = _quote(article, result, words)
    assert (quote.speaker and quote.speaker.name, quote.kind) == (speaker, "direct")
    assert quote.cue is not None and quote.cue.text == cue


def test_quote_ending_in_a_full_stop_does_not_open_a_reporting_slot() -> None:
    article, result = _load("open_slot_and_frames.txt")
    quote = _quote(article, result, '"The vote is next week."')
    assert quote.speaker is None


def test_a_body_named_with_and_without_a_capital_is_one_person() -> None:
    article, result = _load("open_slot_and_frames.txt")
    quote = _quote(article, result, '"We are ready for the vote,"')
    reported = _quote(article, result, "the quay would stay open.")
    assert quote.speaker == reported.speaker == Speaker("The ministry")
    assert [p.name for p in result.people if p.name.lower() == "the ministry"] == ["The ministry"]


def test_a_quote_inside_reported_speech_leaves_the_cue_to_the_reported_speech() -> None:
    article, result = _load("open_slot_and_frames.txt")
    reported = _quote(article, result, 'she would keep her "hold" rating on the shares until the '
                      "spring.")
    quote = _quote(article, result, '"hold"')
    assert reported.kind == "indirect" and reported.speaker == Speaker("Ada Lind")
    assert (quote.kind, quote.speaker) == ("direct", Speaker("Ada Lind"))


def test_a_state_after_its_town_and_the_place_a_role_is_of_are_not_speakers() -> None:
    # "in Kelso, Northshire" and "governor of Northshire": the pronoun skips Northshire.
    article, result = _load("places_are_not_people.txt")
    quote = _quote(article, result, '"a place where ships wait for weeks."')
    assert quote.speaker == Speaker("Ivan Brody")
    assert [p.name for p in result.people] == ["Ivan Brody"]


def test_a_capitalised_word_before_a_role_noun_modifies_the_role_and_speaks_for_nobody() -> None:
    article, result = _load("role_modifiers.txt")
    reported = _quote(article, result, "the fees were too high.")
    assert reported.speaker == Speaker("Aparna Rao", "economist")
    # "the former East Northshire governor": "He" is the governor, not East Northshire.
    quote = _quote(article, result, '"never felt better in his life"')
    assert quote.speaker is not None and quote.speaker.name == "Ivan Brody"


@pytest.mark.parametrize(
    ("words", "speaker", "cue", "mention"),
    [
        # the open slot with an apposition between the name and the verb
        ('"We were never asked about any of this,"', "Ann Lee", "grumbled", "Ann Lee"),
        # a possessive pronoun opening a colon frame
        ('"The fares will empty the island by winter."', "Tom Reed", "", "His"),
        # a pull quote signed inside its marks
        ('"The island deserves a ferry that runs on time. — Mayor Ida Lund"', "Ida Lund", None,
         "Ida Lund"),
        # a Title Case line whose verb, capitalised, stands before the colon
        ('"At these prices I will swim to work."', "Piet Vos", "Jokes", "Piet Vos"),
    ],
)
def test_layouts_that_are_not_plain_prose(
    words: str, speaker: str, cue: str | None, mention: str
) -> None:
    article, result = _load("more_layouts.txt")
    quote = _quote(article, result, words)
    assert quote.speaker is not None and quote.speaker.name == speaker
    assert (quote.cue.text if quote.cue else None) == cue
    assert quote.mention is not None and quote.mention.text == mention


def test_a_dash_inside_a_quote_is_no_signature() -> None:
    article = article_from_text('"That is right, Ann -- well done, everyone," Tom Reed said.\n\n'
                                '"We won \u2014 Harbour United, at last," Ida Lund said.')
    speakers = [q.speaker for q in attribute(article).quotes if q.kind == "direct"]
    assert speakers == [Speaker("Tom Reed"), Speaker("Ida Lund")]


@pytest.mark.parametrize(
    "sentence",
    [
        'Ann Lee wrote "Dreams Of The Quay" in the winter of 2019.',  # a book, not her words
        'Ann Lee runs "a tight ship" at the harbour office these days.',  # a habit, no speech
    ],
)
def test_a_work_or_an_idiom_in_quotes_gets_no_speaker(sentence: str) -> None:
    quotes = attribute(article_from_text(sentence)).quotes
    assert [q for q in quotes if q.kind == "direct" and q.speaker is not None] == []


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        # a sentence opening with a person's name introduces the quote after it
        ('"The numbers do not add up, and nobody has shown me the rest."', "Tomas Reyes"),
        # after a fronted adverbial ("Asked whether ..., Reyes shrugged.")
        ('"We will see what the auditors say."', "Tomas Reyes"),
        # a sentence opening with a pronoun is left to continuation: "She" is not the
        # governor named last, but the speaker of the quote before
        ('"Every year we wait, the bill gets bigger."', "Elena Marsh"),
    ],
)
def test_a_sentence_about_a_person_introduces_the_quote_after_it(words: str, speaker: str) -> None:
    article, result = _load("introduced.txt")
    quote = _quote(article, result, words)
    assert quote.speaker is not None and quote.speaker.name == speaker


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        # the title ends at the full stop, not at the next comma two sentences on
        ('"We will build it,"', Speaker("Maria Alvarez", "the council's transport director")),
        ('"The cranes are older than I am,"', Speaker("Tom Reed", "a welder at the yard")),
        # "St." and "Brendan's" stay inside the title: an abbreviation ends no sentence
        ('"Mothers will be safer,"',
         Speaker("Samuel Adeyemi", "an obstetrician at St. Brendan's hospital")),
        # the comma ends the title; so does the cue when no comma closes the apposition
        ("the channel needed dredging before the cranes arrive.",
         Speaker("Ida Lund", "a pilot at the port")),
        ('"The timetable will not change,"', Speaker("Omar Haddad", "a ferry captain")),
    ],
)
def test_an_apposed_title_ends_at_its_sentence_comma_or_cue(words: str, speaker: Speaker) -> None:
    article, result = _load("title_boundaries.txt")
    assert _quote(article, result, words).speaker == speaker


def _speaker_of(text: str, words: str) -> Speaker | None:
    """Speaker of the one quote of ``text`` (headline first) whose span is exactly ``words``."""
    article = article_from_text(f"Harbour News\n\n{text}")
    return _quote(article, attribute(article), words).speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # a paragraph ends a title as a sentence does
        ('Maria Alvarez, the council\'s transport director\n\n"We will build it," Alvarez said.',
         '"We will build it,"', Speaker("Maria Alvarez", "the council's transport director")),
        # the next item of a list is no title
        ('Tom Reed said the mayor had attacked his wife, Ann, and his father, Olaf.\n\n'
         '"We move on," Ann said.', '"We move on,"', Speaker("Ann", "wife")),
        # a verb and its object after a name are no apposition
        ("Ruth Hale, a former aide to Mrs. Vera Lund, succeeded the harbour director Jon Berg "
         'as president of the Port Trust.\n\n"The port must grow," Mrs. Lund said.',
         '"The port must grow,"', Speaker("Vera Lund")),
        # a clause with a subject of its own tells a story, it names no role
        ("Ann Lee said the rise of Tom Reed, who had talked about the things she had come to "
         'believe, changed her mind.\n\n"He gets it," Reed said.', '"He gets it,"',
         Speaker("Tom Reed")),
        # a sentence's first preposition is no title
        ('Like Mayor Ana Lopez, the council wants the port open.\n\n"It stays open," Lopez said.',
         '"It stays open,"', Speaker("Ana Lopez", "Mayor")),
        # the name that owns the role comes with it, also a few words long
        ('"We are ready," White House spokesman Ed Marsh said.', '"We are ready,"',
         Speaker("Ed Marsh", "White House spokesman")),
        ('"We are ready," retired Air Force general Lloyd Marsh said.', '"We are ready,"',
         Speaker("Lloyd Marsh", "retired Air Force general")),
        ("The state's campaign chairman, Phil Lovas, said he had not seen the letter.\n\n"
         '"I cannot comment," Lovas said.', '"I cannot comment,"',
         Speaker("Phil Lovas", "the state's campaign chairman")),
        # a role before a name starts in the name's sentence
        ("Ships wait at the yard. Harbour captain, Ida Lund, said the cranes were old.\n\n"
         '"They break," Lund said.', '"They break,"', Speaker("Ida Lund")),
        # a fuller title replaces the one it contains
        ("Republican Ann Lee opened the yard. Republican presidential nominee Ann Lee spoke "
         'later.\n\n"We won," Lee said.', '"We won,"',
         Speaker("Ann Lee", "Republican presidential nominee")),
    ],
)
def test_a_title_is_what_the_names_own_sentence_says_of_the_person(
    text: str, words: str, speaker: Speaker
) -> None:
    assert _speaker_of(text, words) == speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # "he" skips the tail of a body's name ("Foreign Relations" is no person)
        ("Nick Witney, a fellow at the European Council on Foreign Relations, spoke in Brussels."
         '\n\n"Plenty could be done," he said.', '"Plenty could be done,"',
         Speaker("Nick Witney", "a fellow at the European Council on Foreign Relations")),
        # "she" skips a group, which holds no title ("her fellow Democrats")
        ("Ann Lee was more careful than her fellow Democrats on the committee.\n\n"
         '"Any bank can fail," she said.', '"Any bank can fail,"', Speaker("Ann Lee")),
        # a sentence's first word before "Mr." is no part of his name
        ("Tom Clarke, a nursing home owner, bought the mine.\n\nShould Mr. Clarke's company "
         'fail, the state pays.\n\n"I will not fail," Mr. Clarke said.', '"I will not fail,"',
         Speaker("Tom Clarke", "a nursing home owner")),
        # a surname is the person the article named first, not a relative named later
        ("Former mayor Tom Reed spoke at the rally for his wife, Ann Reed, on Monday.\n\n"
         '"It is a crazy system," Reed said.', '"It is a crazy system,"',
         Speaker("Tom Reed", "former mayor")),
        # a titled surname met before a full name is a known person, the full name a relative
        ("President Lopez is rolling out a new message. He will campaign with the first lady, "
         'Maria Lopez.\n\n"It is about me," Lopez said.', '"It is about me,"',
         Speaker("Lopez", "President")),
        # capitals in a Title Case line mark no names: "Lopez Speech" is nobody
        ("Lopez is rolling out a new message.\n\n[Video: Full Speech: President Lopez Speech at "
         'Harbour Foundation in Kelso, Watch Online.]\n\n"It is about us," Lopez said.',
         '"It is about us,"', Speaker("Lopez")),
    ],
)
def test_junk_names_never_take_a_speakers_place(text: str, words: str, speaker: Speaker) -> None:
    assert _speaker_of(text, words) == speaker


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        ("But critics said the crane plan would fail.", "the crane plan would fail.",
         Speaker("critics")),
        ("After campaign aides said the port would wait, the mayor left.",
         "the port would wait, the mayor left.", Speaker("campaign aides")),
        # a lone capital before a description's comma is the sentence's, not a name's
        ("The Kelso Harbour Fund said trade was slowing.\n\nOverall, the fund said the port "
         "would grow.", "the port would grow.", Speaker("Kelso Harbour Fund")),
    ],
)
def test_a_sentence_opening_word_is_no_part_of_a_speaking_group(
    text: str, words: str, speaker: Speaker
) -> None:
    assert _speaker_of(text, words) == speaker


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ('"We cannot ask families to carry this alone,"',
         Speaker("Helen Okafor", "Vice-Chancellor")),
        ('"The numbers simply add up,"', Speaker("Priya Nair", "Deputy-Mayor")),
        # the surname alone later finds the person the hyphenated title introduced
        ('"Nothing in it breaks the law,"', Speaker("Tomas Keller", "Attorney-General")),
    ],
)
def test_a_hyphenated_title_before_a_name_is_a_title_not_part_of_the_name(
    words: str, speaker: Speaker
) -> None:
    article, result = _load("hyphenated_titles.txt")
    assert _quote(article, result, words).speaker == speaker


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ('"We are asking every household to save a little,"',
         Speaker("Elena Ruiz Marín", "the authority's director")),
        # two particles stay inside the name, and the particle-led surname finds it
        ('"The rain came late and it came hard,"',
         Speaker("Pieter van der Berg", "a hydrologist at the regional institute")),
        # a full name that shares only the last word is a different person
        ('"I have never seen the river this low,"', Speaker("Jorge Marín", "Farmer")),
    ],
)
def test_a_multi_word_surname_resolves_to_the_full_name_introduced_earlier(
    words: str, speaker: Speaker
) -> None:
    article, result = _load("compound_surnames.txt")
    assert _quote(article, result, words).speaker == speaker
    assert "Ruiz Marín" not in {p.name for p in result.people}


def test_an_organisation_noun_resolves_to_the_one_body_named_earlier_with_it() -> None:
    article, result = _load("organisation_roles.txt")
    quote = _quote(article, result, '"Conduct of this kind has no place on our campus,"')
    assert quote.speaker == Speaker("Northbridge University")
    people = {p.name: p for p in result.people}
    assert people["Northbridge University"].is_organization


def test_an_organisation_noun_two_named_bodies_share_stays_as_written() -> None:
    article, result = _load("organisation_roles.txt")
    quote = _quote(article, result, '"We will review our own rules,"')
    assert quote.speaker == Speaker("the association")


@pytest.mark.parametrize(
    ("body", "noun"),
    [("Kelso City Council", "council"), ("St Mary's Hospital", "hospital"),
     ("Riverside Football Club", "club"), ("Ministry of Health", "ministry")],
)
def test_any_organisation_noun_finds_the_one_body_whose_name_holds_it(body: str, noun: str) -> None:
    text = f'{body} approved the plan on Monday.\n\n"It is a good day," the {noun} said.'
    assert _speaker_of(text, '"It is a good day,"') == Speaker(body)


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # a longer name met after the short one took in a sentence's first word
        ('Ann Lee opened the yard on Monday.\n\nRival Ann Lee spoke later.\n\n"We won," '
         "Ann Lee said.", '"We won,"', Speaker("Ann Lee")),
        # a place's noun means the place, not a person whose title holds it
        ('Secretary of State Jon Husted spoke on Monday.\n\n"The count is fair," the state '
         "said.", '"The count is fair,"', Speaker("the state")),
    ],
)
def test_longer_names_and_named_bodies_take_no_mention_they_do_not_own(
    text: str, words: str, speaker: Speaker
) -> None:
    assert _speaker_of(text, words) == speaker


def test_a_pronoun_opening_the_next_sentence_goes_on_with_the_speaker() -> None:
    """ "Obi said the inquiry would be led by Henry Marsh. She said ...": "She" is Obi, the
    speaker, not Marsh, the person last mentioned; a wrong guess here would also teach the
    article the wrong gender for both and misattribute the "He said" after it."""
    article, result = _load("pronoun_continuity.txt")
    assert _quote(article, result, "she expected a report within six months.").speaker == (
        Speaker("Grace Obi", "Vice-Chancellor")
    )
    assert _quote(
        article, result, "it would interview all current members of the lab."
    ).speaker == Speaker("Henry Marsh", "a retired judge")


def test_people_carry_the_gender_the_article_shows() -> None:
    _, result = _load("pronoun_continuity.txt")
    genders = {person.name: person.gender for person in result.people}
    # "She said" after her report, "He said" after his, "he said" closing his quote;
    # nothing shows Diane Fox's, so none is guessed (never from a first name).
    assert genders == {
        "Northfield University": None,
        "Grace Obi": "f",
        "Henry Marsh": "m",
        "Alan Reed": "m",
        "Diane Fox": None,
    }


def test_an_acronym_defined_in_brackets_is_the_body_it_abbreviates() -> None:
    """ "The Northern Food Safety Agency (NFSA) said ... the NFSA said": one speaker, under
    the full name, so "the agency said" after it still finds the one agency; initials may
    skip "of" ("Department of Coastal Affairs (DCA)")."""
    article, result = _load("acronym_bodies.txt")
    agency = Speaker("Northern Food Safety Agency")
    assert _quote(article, result, '"No one with an allergy should eat these loaves,"').speaker == (
        agency
    )
    assert _quote(article, result, "the batch had been sold in 120 shops.").speaker == agency
    assert _quote(article, result, "it would publish its inspection report in May.").speaker == (
        agency
    )
    assert _quote(article, result, "the water would be tested again on Friday.").speaker == (
        Speaker("Department of Coastal Affairs")
    )
    people = {p.name: p for p in result.people}
    assert set(people) == {"Northern Food Safety Agency", "Department of Coastal Affairs"}
    assert "nfsa" in people["Northern Food Safety Agency"].aliases


def test_a_role_abbreviation_is_the_person_whose_title_spells_it_out() -> None:
    article, result = _load("role_abbreviations.txt")
    ceo = Speaker("Marit Oyelaran", "Chief executive")
    assert _quote(
        article, result, '"We are not leaving these towns because we want to,"'
    ).speaker == ceo
    assert _quote(
        article, result, '"We are leaving because the numbers are what they are."'
    ).speaker == ceo
    assert _quote(article, result, '"The savings start in the second quarter,"').speaker == (
        Speaker("Tobias Wren", "Chief financial officer")
    )


def test_a_question_about_the_ceo_finds_the_chief_executive() -> None:
    _, result = _load("role_abbreviations.txt")
    matches = match_speakers("What did the CEO say about the routes?", result.people)
    assert [(m.person.name, m.how, m.as_speaker) for m in matches] == [
        ("Marit Oyelaran", "title", True)
    ]


ACHEBE = Speaker("Rowan Achebe", "the port's finance director")


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("the delay was caused by flooding at the site.", Speaker("Ingrid Falke")),
        ("the budget had not changed.", Speaker("Ingrid Falke")),
        ("the board had set aside a reserve.", ACHEBE),
        ("the first berth would open in 2028.", Speaker("Ingrid Falke")),
        ('"not hiding anything."', ACHEBE),
    ],
)
def test_an_introductory_participial_phrase_is_skipped_to_find_the_subject(
    words: str, speaker: Speaker
) -> None:
    """ "Pressed by reporters, Ingrid Falke, 57, said": "Pressed" opens no name."""
    article, result = _load("introductory_phrases.txt")
    assert _quote(article, result, words).speaker == speaker
    assert {"Pressed", "Questioned"}.isdisjoint(p.name for p in result.people)


def test_an_unnamed_spokesperson_for_a_body_speaks_for_the_body() -> None:
    article, result = _load("spokesperson_for.txt")
    assert _quote(article, result, "it did not comment on reviews in progress.").speaker == (
        Speaker("Office of Rail Standards")
    )
    assert _quote(article, result, "the company would cooperate with the review.").speaker == (
        Speaker("Calder Rail Corp")
    )
    assert all(p.is_organization for p in result.people)


def test_accusing_and_alleging_attribute_the_quote_built_into_them() -> None:
    article, result = _load("accused_and_alleged.txt")
    pereira = Speaker("Nadia Pereira", "Councillor")
    assert _quote(article, result, '"treating the town like a cash machine."').speaker == pereira
    assert _quote(article, result, '"inventing traffic problems."').speaker == (
        Speaker("Tomasz Elling", "deputy mayor")
    )


def test_a_place_after_the_subjects_head_noun_is_not_the_subject() -> None:
    """ "Health authorities in Norland said": the group speaks, not the place."""
    article, result = _load("place_after_subject.txt")
    assert _quote(
        article, result, "late on Thursday that clinics would stay open on Sunday."
    ).speaker == Speaker("Health authorities")
    assert _quote(
        article, result, "the strain was no more severe than last year's."
    ).speaker == Speaker("Researchers")
    assert {"Norland", "Valebridge"}.isdisjoint(p.name for p in result.people)


def test_a_generic_description_refers_back_to_the_person_just_quoted() -> None:
    """ "Dr Helena Varga, a hydrologist ..." then "The scientist said": the person the article
    described by a category and quoted last, a paragraph back; not a speaker "The scientist"."""
    article, result = _load("description_of_last_speaker.txt")
    varga = _quote(article, result, "the levels measured in the reservoir were within national "
                   "limits.").speaker
    assert varga is not None and varga.name == "Helena Varga"
    assert _quote(article, result, "however, that the board should publish its test results "
                  "every month.").speaker == varga


def test_a_generic_description_far_from_any_speaker_or_newly_introduced_stays_unresolved(
) -> None:
    article, result = _load("description_of_last_speaker.txt")
    assert _quote(article, result, "the inlet samples were misleading.").speaker == (
        Speaker("The expert")
    )
    lab = article.text.index("A scientist at the regional laboratory")
    assert all(
        q.speaker is None or q.speaker.name != "Helena Varga" for q in result.quotes
        if q.start > lab
    )
    commissioner = Speaker("Peter Lindqvist", "Water Commissioner")
    assert _quote(article, result, "the review would take six weeks.").speaker == commissioner


def test_a_body_described_by_its_possessor_keeps_the_possessor() -> None:
    """ "The mayor's office said": the office of the mayor, neither "office" nor the mayor."""
    article, result = _load("possessed_body.txt")
    quote = _quote(article, result, "a revised timetable would be published before the vote.")
    assert quote.speaker == Speaker("The mayor's office")
    assert {"office", "Ruth Adeyemi"}.isdisjoint(p.name for p in result.people)


def test_the_agency_is_the_one_government_body_named_just_before_whatever_its_kind_word() -> None:
    """ "The Federal Maritime Administration ... A spokesman for the agency said": the one
    government body in reach, though its name says "Administration"; with two in reach, none."""
    article, result = _load("government_body_kind.txt")
    assert _quote(article, result, "it did not comment on pending applications.").speaker == (
        Speaker("Federal Maritime Administration")
    )
    assert _quote(article, result, "it had received no complaints.").speaker == (
        Speaker("the agency")
    )


def test_a_passive_cue_or_a_sentence_opening_adverb_makes_no_speaker() -> None:
    """ "Eventually recalled by the port board, Olsen ...", "The contractor was told by the
    board that ...": no one before a passive cue speaks, and an adverb is never a name."""
    article, result = _load("passive_cues.txt")
    assert [p.name for p in result.people] == ["Marta Olsen"]
    told = article.text.index("its contract would end in March.")
    recalled = article.text.index("by the port board")
    assert all(not q.start <= told < q.end and not q.start <= recalled < q.end
               for q in result.quotes)
    assert _quote(article, result, "the basin was deeper than at any time since the war."
                  ).speaker == Speaker("Marta Olsen", "the former harbour commissioner")


def test_a_thing_that_continued_or_suggested_is_not_a_speaker_but_people_and_bodies_are(
) -> None:
    """ "that trend continued", "The drop in output suggested", "As the plant closures
    continued": impersonal cues with a subject that cannot speak are not speech; "Officials
    suggested", "The company noted", "the fund predicted", "The economist continued" still
    are."""
    article, result = _load("nonperson_subjects.txt")
    names = {p.name for p in result.people}
    assert names.isdisjoint({"that trend", "The drop in output", "the plant closures"})
    assert {"Officials", "Others", "Northfield Power Company"} <= names
    assert _quote(article, result, "the remaining plants would close within five years."
                  ).speaker == Speaker("Officials")
    assert _quote(article, result, "it had already cut its workforce by a third.").speaker == (
        Speaker("Northfield Power Company")
    )
    assert _quote(article, result, "coal would supply a tenth of the grid by 2030.").speaker == (
        Speaker("the fund")
    )
    nair = Speaker("Priya Nair", "the grid's chief economist")
    assert _quote(article, result, "prices would fall by winter.").speaker == nair
    trend = article.text.index("through the spring")
    assert all(not q.start <= trend < q.end for q in result.quotes)


# --- the stages' own helpers: a capitalised run split into title and name, and clause ends


def _run_at(text: str, word: str) -> Name | None:
    """split_run on the capitalised run that starts at ``word``."""
    match = NAME_RUN.match(text, text.index(word))
    assert match is not None
    return split_run(text, match.start(), match.end())


def test_a_run_splits_into_the_title_before_the_name_and_the_name() -> None:
    name = _run_at("Wells Fargo CEO John Stumpf said.", "Wells")
    assert name is not None
    assert (name.name, name.title, name.start) == ("John Stumpf", "Wells Fargo CEO", 16)
    kerry = _run_at("Secretary of State John Kerry said.", "Secretary")
    assert kerry is not None and (kerry.name, kerry.title) == ("John Kerry", "Secretary of State")


def test_an_honorific_gives_a_gender_and_an_owner_is_left_out_of_the_name() -> None:
    ruiz = _run_at("Mrs. Ruiz said.", "Mrs.")
    assert ruiz is not None and (ruiz.name, ruiz.title, ruiz.gender) == ("Ruiz", None, "f")
    chinni = _run_at("NBC's Dante Chinni wrote.", "NBC")
    assert chinni is not None and (chinni.name, chinni.title) == ("Dante Chinni", None)


def test_numbered_things_acronyms_and_places_are_no_names() -> None:
    assert _run_at("They drove down Route 9 to town.", "Route") is None
    assert _run_at("Officials at NATO said.", "NATO") is None
    herndon = _run_at("He lives in Herndon now.", "Herndon")
    assert herndon is not None and herndon.place


def test_a_clause_ends_at_a_stop_that_is_no_abbreviation_or_at_a_line_break() -> None:
    text = "Dr. Ames, of the U.S. Navy; she said."
    assert clause_end(text, 0) == text.index(";")
    assert clause_end("No stop here\nstill going. Done", 0) == len("No stop here")
    assert clause_end("no stop at all", 3) == len("no stop at all")


def test_past_clause_end_takes_the_closing_mark_and_reads_through_line_breaks() -> None:
    text = 'He said: "It is over." Then more.'
    assert past_clause_end(text, 0, len(text)) == text.index(" Then")
    lines = "No stop here\nstill going. Done"
    assert past_clause_end(lines, 0, len(lines)) == lines.index(" Done")
    assert past_clause_end(lines, 0, 5) == 5
