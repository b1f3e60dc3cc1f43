"""The words extraction reads by: every rule and the hot-paragraph finder draw their word lists
and phrase patterns from here, so a new phrasing is one line in one place.

Patterns are strings (alternations without a group) for the rules to build on; word sets are
lower case, as ``Sentence.words`` holds them.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------- agreements

# The nouns that name an agreement ("memorandum of understanding" → MOU: see agreements.KINDS).
AGREEMENT_NOUN = (  # case-blind: real releases write "Memorandum of Understanding", "Loan Agreement"
    r"(?i:memorand(?:um|a|ums) of understanding|MOUs?|MoUs?|memorand(?:um|a|ums)|letters? of intent|LOIs?|"
    r"(?:joint )?statements? of intent|joint statements?|declarations? of intent|arrangements?|MOCs?|"
    r"exchanges? of notes|(?<=exchanged )notes|"
    r"agreements?|deals?|pacts?|partnerships?|contracts?|joint[ -]ventures?|JVs?|consortium|"
    r"consortia|alliances?|accords?|treaty|treaties|tie-ups?|compacts?)"
    # a named framework signed like an agreement ("signed the Trade and Investment Promotion
    # Framework"); "a framework for support" is not one, so only with its capital
    r"|Frameworks?"
)
# Talks about an agreement, not the agreement: "launched negotiations for an EPA".
TALKS = r"in talks|in negotiations|negotiat\w*|talks|discuss\w*|consult\w*"
# Every word an agreement rule starts from; a sentence with none of them states no agreement.
AGREEMENT_WORDS = _words("""
mou mous memorandum memoranda memorandums agreement agreements deal deals pact pacts partnership
partnerships partner partners partnered partnering contract contracts venture ventures jv jvs
consortium consortia alliance alliances allied allies accord accords treaty treaties tie ties
tied signatory signatories sign signs signed signing ink inks inked inking team teams teamed
hands forces collaborate collaborates collaborated loi lois intent arrangement arrangements
statement statements declaration declarations communique communiqué moc mocs notes framework frameworks negotiations negotiation talks
compact compacts
finalized finalised
""")
# Verbs that bring an agreement into being, in the forms news writes them ("signed an MOU",
# "struck a deal", "set up a joint venture", "has inked").
SIGN_VERB = (
    r"sign(?:s|ed|ing)?|ink(?:s|ed|ing)?|seal(?:s|ed|ing)?|str(?:uck|ike|ikes)|clinch(?:es|ed)?|"
    r"conclud(?:e|es|ed|ing)|forg(?:e|es|ed|ing)|finali[sz](?:e|es|ed)|enter(?:s|ed)? into|"
    r"form(?:s|ed|ing)?|establish(?:es|ed)?|launch(?:es|ed)?|set(?:s|ting)? up|creat(?:e|es|ed)|"
    r"announc(?:e|es|ed)|unveil(?:s|ed)|reach(?:es|ed)?|secur(?:e|es|ed)|w[io]n|wins|land(?:s|ed)|"
    r"bag(?:s|ged)|award(?:s|ed)?|penn?(?:ed)?|agreed to (?:form|set up|establish|create|launch|sign)|"
    r"ha(?:s|ve|d) (?:signed|inked|formed|struck|sealed)|renew(?:s|ed)|extend(?:s|ed)|expand(?:s|ed)|"
    r"exchang(?:e|es|ed)(?= notes\b)"  # "exchanged notes": governments conclude an agreement so
)
# The same verbs in the forms that say an agreement now exists (a sentence with none of them and
# no other rule names no signing).
SIGNED = (
    r"sign(?:s|ed|ing)?|ink(?:s|ed)|seal(?:s|ed)|struck|clinch(?:ed)?|conclude[sd]?|forged|formed|"
    r"establish(?:ed)?|launched|set up|reached|agreed|announc(?:ed|es|ing)"
)
# Past participles of a passive signing ("was signed by", "signed between").
SIGNED_PASSIVE = r"signed|inked|sealed|concluded|penned|agreed|struck|reached|formed|launched|established"
SIGNED_BETWEEN = r"signed|inked|concluded|reached|struck|sealed"
# "A signed with B": the verbs that take the other party with "with" and no noun.
SIGNED_WITH = r"signed|inked|concluded|sealed"
# A verb just before the planned-words window that says it happened after all ("has been
# expected … and was signed").
DONE_VERB = r"signed|inked|sealed|struck|clinched|concluded|formed|reached|agreed"
# The three stems of signing proper (not forming, launching or announcing).
SIGN_STEM = r"sign|ink|seal"
# Partnering verbs that take the other party with "with".
PARTNER_VERB = (
    r"partner(?:s|ed|ing)? with|team(?:s|ed|ing)? up with|join(?:s|ed|ing)? hands with|"
    r"tie(?:s|d)? up with|collaborat(?:e|es|ed|ing) with|join(?:s|ed)? forces with|"
    r"allie(?:s|d) with"
)
PARTNER_STEMS = ("partner", "team", "hands", "tie", "collaborat", "forces", "allie")
# Words before the signing verb that make it a plan, talks or a hope rather than a fact.
PLANNED = (
    r"expected to|plans? to|planning to|planned to|is set to|are set to|set to|will|would|"
    r"intends? to|aims? to|seeks? to|hopes? to|is to|are to|poised to|likely to|scheduled to|"
    r"preparing to|prepares to|in talks|in negotiations|negotiating|negotiate|considering|"
    r"mulling|may|might|could|yet to|proposed|potential|possible|upcoming|ahead of|agreed to|agree to|"
    r"decided to|decides to|due to|to be|are working to|working towards?"
)
# Adjectives before the agreement noun that make it a plan ("a proposed deal").
PROPOSED = r"proposed|planned|potential|possible|prospective|upcoming"
NEGATED = r"not|never|no longer|failed to|refused to|declined to|denied"
# "Terminated", "scrapped": an agreement that no longer holds.
# Statements issued, not signed: "the members adopted a joint ministerial statement".
ISSUED = r"adopt(?:s|ed)|issu(?:e|es|ed)|releas(?:e|es|ed)|publish(?:es|ed)"
STATEMENT = r"(?i:(?:joint\s+)?(?:[\w-]+\s+)?(?:statements?|declarations?|communiqu[eé]s?))"
ENDED = r"terminat(?:e|es|ed|ing)|scrap(?:s|ped)|cancel(?:s|led|ed)|withdr(?:ew|awn|aws) from|pull(?:s|ed) out of"

# ---------------------------------------------------------------- sentence openings

# Adverbials that open a sentence before its subject ("On Monday, …", "As part of the plan, …").
LEADING_ADVERBIALS = (
    "On", "In", "At", "During", "After", "Before", "Earlier", "Later", "Last", "This", "Meanwhile",
    "Separately", "Also", "However", "Additionally", "Moreover", "Furthermore", "Today",
    "Yesterday", "Recently", "Previously", "Under", "Through", "Following", "According to",
    "Since", "Back in", "As part of", "As a", "As an", "As the", "Building on", "Further to", "Ahead of",
    "Amid", "To", "Of",
)
LEADING_ADVERBIAL = "|".join(LEADING_ADVERBIALS)
# Words that, opening a sentence before a comma, are never a name ("Thirdly, …", "Additionally").
SENTENCE_ADVERBS = _words("""
firstly secondly thirdly fourthly finally lastly additionally moreover furthermore however
meanwhile separately also earlier later today yesterday recently previously notably
importantly specifically accordingly consequently therefore thus hence nonetheless
nevertheless likewise similarly overall besides indeed
""")
# Verbs of saying: their subject reports an agreement, it is not a party to it.
REPORTING_VERBS = _words("""
said says say told tells reported reports announced announces noted notes added adds stated
states confirmed confirms revealed reveals disclosed discloses according cited quoted
""")

# Proper nouns a date is written with: any other proper noun in what the entity recogniser calls
# a date is a name it swept in ("OSAKA, May 3, 2021 - Orion Holdings Co.").
CALENDAR_WORDS = _words("""
january february march april may june july august september october november december jan feb
mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
""")

# The fields an institution is "of" ("Ministry of Science and ICT", "Department of Industry,
# Science and Resources"): "of A and B" with B one of these is one name, not two parties.
FIELD_WORDS = _words("""
trade industry industries energy science sciences ict technology technologies finance economy
economic commerce agriculture food affairs environment labor labour employment health welfare
education culture sports tourism land infrastructure transport transportation oceans fisheries
justice security defense defence interior safety gender equality family smes startups unification
resources innovation development planning research communications information housing water power
mines mining minerals petroleum gas rural forestry engineering arts humanities statistics standards
competition investment investments budget management administration policy strategy future
""")

# ---------------------------------------------------------------- people and roles

# Titles a person is named with ("Science Minister Lee Jong-ho", "Kim Ki-nam, CEO of …").
TITLES = (
    r"Prime Minister|Vice Minister|Deputy Minister|Minister|Vice President|President|"
    r"Chief Executive Officer|Chief Executive|CEO|CTO|CFO|COO|Vice Chairman|Chairman|Chairwoman|"
    r"Chairperson|Director[- ]General|Managing Director|Director|Secretary|Governor|Mayor|"
    r"Ambassador|Commissioner|Chancellor|Premier|Administrator|Spokesperson|Spokesman|Founder|"
    r"Head|Chief"
)
ROLE_WORDS = _words("""
minister president ceo cto cfo coo chairman chairwoman chairperson chair director secretary
governor mayor ambassador commissioner chancellor premier administrator spokesperson spokesman
founder head chief executive
""")

# ---------------------------------------------------------------- events

EVENT_NOUN = (
    r"forums?|ceremony|ceremonies|conferences?|summits?|expos?|exhibitions?|symposi(?:um|a)|"
    r"seminars?|workshops?|fairs?|roundtables?|groundbreaking|inauguration|opening|launch event|"
    r"hearing|meeting"
)
EVENT_WORDS = _words("""
forum forums ceremony ceremonies conference conferences summit summits expo expos exhibition
exhibitions symposium symposia seminar seminars workshop workshops fair fairs roundtable
roundtables groundbreaking inauguration opening hearing meeting announced announces
announcement launch event
""")

# ---------------------------------------------------------------- money

CURRENCY_WORDS = _words("""
won dollar dollars euro euros yen yuan renminbi crore crores rupee rupees krw usd eur jpy inr
rmb cny gbp twd chf rs pound pounds ringgit baht dong riyals dirhams francs
""")
CURRENCY_SYMBOLS = "$€£¥₩₹"

# ---------------------------------------------------------------- the hot-paragraph finder

# A paragraph is read when it holds one of these words (or a number with a currency word or
# symbol): every rule above starts from one of them.
HOT_WORDS = AGREEMENT_WORDS | ROLE_WORDS | EVENT_WORDS
# Counts written as words that open a collective name ("twelve Member States").
NUMBER_WORDS = _words("""
two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty several many all both
""")
# Verbs a headline writes in Title Case, run into the name before them by a list ("Korea, Russia
# Take Substantial Step Forward With MOU", "… and the Ministry of Land Conclude an MOU").
HEADLINE_VERBS = _words("""
sign signs signed conclude concludes concluded take takes took agree agrees agreed ink inks inked
seal seals sealed launch launches launched forge forges forged join joins joined announce announces
announced unveil unveils step steps boost boosts expand expands strengthen strengthens deepen
deepens discuss discusses meet meets met renew renews renewed pledge pledges commit commits
""")
# The lower-case words that join the words of a name ("Bank of Korea", "Ministry of Trade,
# Industry and Energy", "Commission on …"); a name's run of words goes on through them.
CONNECTORS = _words("of and for on de du la le der des & the in to")
# Of those, the ones a name holds between its capitalised words wherever it stands, with the
# joiners of other languages ("Cassa di Risparmio di Bolzano"): not "on", "in" or "to", which end
# a name as often as they join one ("Japan on Tuesday").
NAME_JOINERS = (CONNECTORS - {"on", "in", "to"}) | _words("di del della van von den y e und")
# Common nouns that head a named body ("the German government", "Gyeonggi provincial office",
# "Sterlite group").
BODY_HEADS = _words("""
government governments ministry ministries department agency office council administration
authority commission committee province state city county municipality bureau association
institute university bank group company corporation consortium partners coalition alliance
""")

# Capital letters of the Latin scripts names are written in (a character class's inside), and a
# lower-case letter of them: "Teresa Czerwińska", "Hervé Jouanjean".
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LOWER = r"(?:(?![" + UPPER + r"])[^\W\d_])"

# The marks a list item opens with ("• EUR 300 million for …", "- The EIB …").
BULLET_MARKS = "•·▪◦‣*-–"
