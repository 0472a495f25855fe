"""Every word list the project reads text with, each defined once.

Lists of words, never of names: a rule that needs a name list would not generalise to unseen
articles. Attribution, retrieval and decline evidence import from here, so a verb added for one
is known to all.
"""

from __future__ import annotations

__all__ = [
    "ASKED_SPEECH_VERBS",
    "BARE_HONORIFICS",
    "CHAT_SPELLINGS",
    "CLAUSE_CUTS",
    "COMPANY_NOUNS",
    "COMPANY_WORDS",
    "CUE_VERBS",
    "DETERMINERS",
    "DIGIT_ORDINALS",
    "EMBEDDING_VERBS",
    "GENDERED_ROLES",
    "GENERIC_MODIFIERS",
    "GENERIC_PERSON_NOUNS",
    "GOVERNMENT_BODY_WORDS",
    "GROUP_NOUNS",
    "HONORIFICS",
    "IMPERSONAL_CUES",
    "INSTITUTION_NOUNS",
    "MODAL_ADVERBS",
    "MONTHS",
    "NAMING_VERBS",
    "NOT_NAMES",
    "NUMBER_WORDS",
    "ORDINAL_WORDS",
    "ORG_NOUNS",
    "ORG_WORDS",
    "PARTICIPLES",
    "PERSON_NOUNS",
    "PRONOUNS",
    "QUANTITY_WORDS",
    "QUESTION_SPEECH_WORDS",
    "ROLE_ABBREVIATIONS",
    "ROLE_NOUNS",
    "SENTENCE_ADVERBS",
    "SPEECH_VERBS",
    "SPOKESPERSON_NOUNS",
    "TIME_DEIXIS",
    "TIME_NOUNS",
    "TITLE_WORDS",
    "UTTERED_VERBS",
    "WEAK_CUES",
    "WEEKDAYS",
    "words",
]


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set (word lists are written as prose)."""
    return frozenset(text.split())


#: Month and weekday names, lower-case, in calendar order.
MONTHS: tuple[str, ...] = tuple(
    "january february march april may june july august september october november december".split()
)
WEEKDAYS: tuple[str, ...] = tuple(
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
#: Number words, as a count is written out ("three", "forty-two", "a dozen").
NUMBER_WORDS: tuple[str, ...] = tuple(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion trillion dozen""".split()
)
#: Words that make a text hold a quantity ("hundreds of", "half", "percent"): what a "how
#: many" question needs to find.
QUANTITY_WORDS: tuple[str, ...] = NUMBER_WORDS + tuple(
    "hundreds thousands millions billions dozens half percent".split()
)
#: Ordinals by position, as words and in digits: ``ORDINAL_WORDS[0]`` is "first", and
#: ``DIGIT_ORDINALS[0]`` "1st".
ORDINAL_WORDS: tuple[str, ...] = tuple(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split()
)
DIGIT_ORDINALS: tuple[str, ...] = tuple("1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th".split())


#: Verbs that introduce speech in attribution, past and present ("say" covers "they say"),
#: with the manner-of-speaking verbs reporters vary with. The open slot after a quote
#: (``"...," X gushed``) takes any verb, so this list matters only where no quote touches it.
CUE_VERBS = words(
    """said says say told tells added adds wrote writes asked asks noted argued argues warned
    warns insisted insists stated explained explains tweeted replied replies responded responds
    continued declared declares announced claimed claims acknowledged acknowledges admitted
    recalled recalls stressed emphasized emphasised suggested suggests countered conceded
    predicted observed remarked commented posted testified urged instructed promised vowed
    pledged joked quipped complained cautioned shouted yelled wondered mused boasted charged
    contended maintained concluded reiterated confirmed denied disclosed revealed reported
    exclaimed agreed recounted lamented tweets demanded yells shouts sings sang read reports
    gushed implored fumed interjected blurted chimed scoffed snapped retorted sighed
    whispered murmured pleaded bragged griped grumbled marveled marvelled raged ranted
    thundered reasoned opined proclaimed alleged alleges"""
)
#: Every form of a verb of saying: the base list retrieval and decline evidence share (they
#: add verbs of thinking and wanting); attribution reads the reporting forms above.
SPEECH_VERBS = CUE_VERBS | words(
    """saying telling adding writing asking noting arguing warning tweeting tell add write ask
    note argue warn insist state explain tweet reply respond declare announce claim
    acknowledge admit recall stress emphasize emphasise suggest predict promise vow pledge
    urge complain confirm deny reveal report speak speaks spoke talk talks talked mention
    mentions mentioned"""
)
#: Cues that are also common nouns: trusted only right next to a quote.
WEAK_CUES = words("reports tweets claims notes states posted charged")
#: Cues that take a thing for subject as readily as a speaker ("that trend continued", "the
#: data suggested"): they make speech only for a subject that can speak.
IMPERSONAL_CUES = words(
    """continued continues suggested suggests noted recalled recalls revealed confirmed
    concluded predicted reported observed added maintained"""
)
#: Participles (``..., saying, "..."``) take the clause subject.
PARTICIPLES = words("saying adding asking tweeting writing telling")
#: Verbs that build a short quoted fragment into a sentence: ``X called them "..."``.
EMBEDDING_VERBS = words(
    """called calls call dubbed dubs labeled labelled labels branded brands likened likens
    described describes termed terms hailed hails praised praises blasted blasts slammed slams
    denounced denounces decried decries mocked mocks derided derides dismissed dismisses
    deemed deems characterized characterised nicknamed promised promises vowed vows pledged
    referred refers compared compares chanted chant chanting cheered touted touts accused
    accuses"""
)

#: Verbs that give something a name: a Title Case quote after them is a quoted label ("hailed
#: him as "The Comeback Kid""), not the title of a work.
NAMING_VERBS = words(
    """called calls dubbed dubs labeled labelled labels branded brands nicknamed hailed hails
    termed terms"""
)

#: Adverbs of time and stance that open a sentence ("Eventually recalled by ..."): never a name.
SENTENCE_ADVERBS = words(
    """eventually finally ultimately initially subsequently afterwards afterward originally
    reportedly apparently allegedly separately similarly likewise additionally"""
)
#: Adverbs and auxiliaries that may stand between a subject and its cue.
MODAL_ADVERBS = SENTENCE_ADVERBS | words(
    "has have had would will also later then previously once again further recently "
    "repeatedly simply flatly quickly bluntly publicly privately still now often always even "
    "just never"
)
TIME_DEIXIS = words("this last next on earlier later that")
TIME_NOUNS = words(
    """week month year morning afternoon evening night weekend day monday tuesday wednesday
    thursday friday saturday sunday"""
)
#: Pronouns that may stand for a speaker, with the gender they imply.
PRONOUNS: dict[str, str | None] = {
    "he": "m", "she": "f", "they": None, "we": None, "i": None, "it": None,
}  # fmt: skip
ORG_NOUNS = words(
    """newspaper paper magazine ministry agency department company firm campaign committee
    commission council government administration office spokesman spokeswoman spokesperson
    statement report study group organization organisation union party court board bureau
    network station website site outlet channel police army military embassy university
    institute center centre foundation association league team club bank authority trust"""
)
GROUP_NOUNS = words(
    """officials analysts experts critics aides sources residents witnesses authorities
    researchers advocates supporters opponents democrats republicans voters lawmakers leaders
    economists investigators prosecutors scientists historians observers activists
    organizers organisers protesters"""
)
#: Nouns for people that are neither a role nor a group: a subject made of them can speak.
PERSON_NOUNS = words(
    """man men woman women person people persons boy boys girl girls child children others
    narrator announcer victim victims survivor survivors witness neighbour neighbor neighbours
    neighbors friend friends relative relatives family families patient patients customer
    customers user users fan fans passenger passengers employee employees staff crew
    colleague colleagues couple public crowd audience"""
)
#: Bodies that speak through their officers, beyond ORG_NOUNS: "the fund predicted".
INSTITUTION_NOUNS = words(
    """fund alliance coalition federation society institution charity watchdog regulator
    corporation nonprofit congress senate parliament legislature assembly"""
)
#: Head nouns of a role: they make a phrase next to a name a title.
ROLE_NOUNS = words(
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
#: Words that may stand before a name as a title ("Secretary of State John Kerry").
TITLE_WORDS = ROLE_NOUNS | words(
    """former then-president acting state general vice prime foreign defense defence finance
    interior house senate majority minority democratic republican presidential vice-presidential
    u.s. us federal national chief executive sen. rep. gov. gen. lt. col. sgt. capt. adm. cmdr.
    atty. supt. insp. dr. prof. rev. attorney first lady of sen rep gov gen dr prof local
    regional municipal provincial health junior senior assistant associate del. del retired
    campaign police financial operating technology"""
)
#: Abbreviations of a role, spelled out: "the CEO" is the person introduced as "Chief
#: executive" (a trailing "officer" is often left out of the written-out role).
ROLE_ABBREVIATIONS: dict[str, str] = {
    "ceo": "chief executive officer", "cfo": "chief financial officer",
    "coo": "chief operating officer", "cto": "chief technology officer",
}  # fmt: skip
#: People who speak for a body: "a spokesman for the agency said" is the agency speaking.
SPOKESPERSON_NOUNS = words(
    "spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople spokespersons"
)
#: Categories of person that news copy uses to refer back to the person it has just quoted
#: ("Dr Marsh, a toxicologist ..., said ... The scientist said"): never a rank or an office, which
#: picks out one person by title.
GENERIC_PERSON_NOUNS = words(
    """scientist expert researcher analyst economist official executive lawyer attorney activist
    campaigner doctor physician professor engineer academic specialist historian strategist
    consultant"""
)
#: Last words of a government body's name, one kind for "the agency" (the "Federal Transit
#: Administration" is "the agency" to a reporter, and so is an "Office" or a "Commission").
GOVERNMENT_BODY_WORDS = words(
    "agency administration authority commission department office bureau service regulator"
)
#: Modifiers of a role that are never proper adjectives ("Local councillor", not "Republican").
GENERIC_MODIFIERS = words(
    "local regional municipal provincial former acting deputy senior junior assistant associate"
)
#: Honorifics that say less than any descriptive title: dropped when the article gives one.
BARE_HONORIFICS = words("dr. dr prof. prof professor rev. rev reverend sir dame")
HONORIFICS = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f"}
GENDERED_ROLES = {
    "spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f",
    "congressman": "m", "congresswoman": "f", "councilman": "m", "councilwoman": "f",
    "king": "m", "queen": "f", "prince": "m", "princess": "f", "actress": "f",
    "mother": "f", "father": "m", "wife": "f", "husband": "m", "son": "m", "daughter": "f",
    "grandmother": "f", "grandfather": "m", "fisherman": "m",
}  # fmt: skip
#: Capitalised words that end a proper noun of a place or body, never a person's name.
ORG_WORDS = words(
    """city area center centre commission committee party council university college school
    institute foundation association house senate congress court department ministry agency
    office bureau company corporation corp inc group bank street avenue road park river
    province state states county district republic kingdom union nations news times post
    journal tribune network channel exhibition program programme zone station airport
    hospital church army navy force forces police campaign administration organization
    organisation fund bureau capital science technology initiative day week month year
    america europe asia africa york island islands sea ocean valley times herald springs
    heights falls authority trust alliance coalition federation society club workers motors
    industries holdings airlines airways securities partners systems technologies
    pharmaceuticals energy ltd plc llc"""
)
#: Name endings of a business.
COMPANY_WORDS = words(
    """company corporation corp inc group bank motors industries holdings airlines airways
    securities partners systems technologies pharmaceuticals energy ltd plc llc"""
)
#: The nouns an article uses for a business later ("the carmaker").
COMPANY_NOUNS = words(
    """company firm carmaker automaker manufacturer maker group business retailer airline
    insurer lender bank utility operator supplier producer developer conglomerate chain
    brokerage"""
)
#: Capitalised words that start sentences or name dates, never part of a person's name.
NOT_NAMES = words(
    """the a an in on at of for to from by with during after before since when while but and or so
    yet if as this that these those there here it its his her their our my your we i he she they
    you meanwhile however although though because also still then now today yesterday tomorrow
    who what where why how according asked said says mr mrs ms dr some many most all both each
    every no not one two three first second third last next another other later earlier such
    over under about until unless without within into upon even just only instead once last like
    unlike despite amid among against between toward towards via per"""
) | frozenset(MONTHS) | frozenset(WEEKDAYS) | SENTENCE_ADVERBS
DETERMINERS = words("the a an his her their its our this that")
#: Words at which a relative clause used as a title is cut ("who sits on the board [and ...]").
CLAUSE_CUTS = words("and but in at from to for on of until since with under during by as")


# Questions, not articles, use the two lists below. Both are wider than SPEECH_VERBS (the cues of
# reported speech) because a reader asks what someone "thinks", "wants", "plans" or "means".

#: Words after a person in a question that ask for that person's words or views ("What did Luo
#: say", "Xu's priorities"); retrieval then favours passages where that person speaks.
QUESTION_SPEECH_WORDS = frozenset(
    """say says said saying tell tells told think thinks thought believe believes want wants
    wanted urge urges urged call calls called argue argues argued stress stresses stressed
    emphasise emphasize emphasised emphasized note notes noted describe describes described
    mention mentions mentioned expect expects expected propose proposes proposed promise
    promises promised pledge pledged hope hopes feel feels consider considers suggest suggests
    suggested recommend recommends announce announced declare declared explain explains
    explained instruct instructs instructed ask asks asked demand demands demanded see sees
    view views opinion opinions remarks remark comments comment words message position stance
    priorities priority plans plan vision proposal proposals promise warn warns warned
    favour favor favours favors insist insists insisted add adds added claim claims claimed
    envision envisions envisage envisages outline outlines outlined list lists listed talk talks
    talked spoke speak speaks express expresses expressed quoted wrote write writes tweeted
    vowed vow vows predicted predict criticised criticized praised""".split()
)

#: Verbs of "What did <someone> say/think/want ..." questions, whose <someone> must be in the
#: article for the question to be answerable (qa.ranking.question.missing_focus).
ASKED_SPEECH_VERBS = frozenset(
    """say says said think thinks thought tell tells told want wants argue argues argued believe
    believes feel feels warn warns warned expect expects propose proposes proposed promise
    promises promised claim claims claimed suggest suggests suggested describe describes
    described stress stresses stressed urge urges urged mean means predict predicts predicted
    criticise criticize criticised criticized praise praised announce announced""".split()
)


#: Chat spellings a reader types for whole words ("wat did luo say abt it", "how many ppl").
#: Only spellings that are never an English word of their own: "tech" or "co" are left alone.
CHAT_SPELLINGS: dict[str, str] = {
    "wat": "what", "wht": "what", "whats": "what's", "abt": "about", "bout": "about",
    "u": "you", "ur": "your", "r": "are", "hows": "how's", "whos": "who's", "wheres": "where's",
    "whens": "when's", "thx": "thanks", "pls": "please", "plz": "please", "dont": "don't",
    "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "wasnt": "wasn't", "y": "why",
    "ppl": "people", "govt": "government", "gov't": "government", "yr": "year", "yrs": "years",
    "anythin": "anything", "somethin": "something", "nothin": "nothing", "bc": "because",
    "cuz": "because", "coz": "because", "b4": "before", "2day": "today",
    "tmrw": "tomorrow", "dept": "department", "intl": "international", "approx": "approximately",
    "info": "information", "wanna": "want to", "gonna": "going to",
    "shes": "she's", "hes": "he's", "theyre": "they're", "wont": "won't", "cant": "can't",
    "wouldnt": "wouldn't", "couldnt": "couldn't", "arent": "aren't", "werent": "weren't",
    "thru": "through", "tho": "though",
}  # fmt: skip

#: Verbs by which a "who ...?" question asks who uttered something (not who wrote a book or
#: thought of an idea, which narration answers as often as a quote): a "who said" question
#: whose best passage quotes nobody is declined.
UTTERED_VERBS = frozenset(
    """say says said tell tells told state states stated claim claims claimed argue argues
    argued insist insists insisted stress stresses stressed warn warns warned promise promises
    promised add adds added vow vows vowed quote quoted""".split()
)
