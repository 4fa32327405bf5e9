"""Finding the characters of a story, merging their aliases, and describing them."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .lexicon import (
    ABSTRACT_HEADS,
    ANIMAL_NOUNS,
    APPEARANCE_ADJECTIVES,
    BEING_NOUNS,
    BODY_PARTS,
    BORROWED_MEN_S_TITLES,
    BORROWED_WOMEN_S_TITLES,
    CHARACTER_NOUNS,
    GENERIC_PERSON_NOUNS,
    KNOWN_PLACES,
    LOOKS_NOUNS,
    LOWER,
    NOT_NAMES,
    NOT_PLACES,
    PERSON_NOUNS,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    PLACE_SUFFIXES,
    POSSESSIVE_S_RE,
    ROLE_ADJECTIVES,
    STOPWORDS,
    TITLE_RE,
    UPPER,
    WORN_OR_CARRIED,
    given_name_side,
    is_appearance,
    is_pet_form,
)
from .sentences import Unit

MAX_CHARACTERS = 40
MAX_DESCRIPTORS = 8
MAX_WORN = 2  # things worn or carried, after the described features

# A capital and lower-case letters, accented ones too ('Grégoire', 'Émile', 'Chêniers'), after an Irish O', a
# French d' or a Scots Mc ('O'Brien', "d'Urberville", 'McMurdo').
# A hyphen joins capitalised parts into one name ('Eliza-Louisa', 'Stickly-Prickly').
_NAME_WORD = (
    rf"(?:(?:{TITLE_RE})\.(?=\s)|(?:[OD]['’](?=[A-Z])|(?<![A-Za-z])d['’](?=[A-Z])|Ma?c(?=[A-Z]))?"
    rf"[{UPPER}][{LOWER}’']+(?:-[{UPPER}][{LOWER}’']+)*)"
)
# 'Marguerite St. Just': 'St.' inside a name is a word of it, not a sentence end.
_NAME = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+(?:(?:de|van|von|of|the)[ \t]+|St\.[ \t]+(?=[{UPPER}]))?{_NAME_WORD})*")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SPEAKER = re.compile(
    r"[,!?]['’”\"]\s+(?:said|cried|asked|replied|answered|shouted|whispered|exclaimed|returned)"
    rf"\s+((?:[{UPPER}][{LOWER}]+\.?\s+)?[{UPPER}][{LOWER}]+)"
)
_ADJECTIVE_SET = ROLE_ADJECTIVES | APPEARANCE_ADJECTIVES
# Words that make a nickname of a first name ('Long John', 'Little Nell'), built once: names are cleaned per mention.
_NICKNAME_WORDS = _ADJECTIVE_SET | frozenset(
    ["long", "short", "big", "little", "old", "young", "tall", "fat", "black", "red"]
)
_ADJECTIVES = sorted(_ADJECTIVE_SET, key=len, reverse=True)
_NOUNS = sorted(CHARACTER_NOUNS, key=len, reverse=True)
_ARTICLE_NOUN = re.compile(
    rf"\b(?P<art>[Tt]he|[Aa]n?)\s+(?P<adj>(?:(?:{'|'.join(map(re.escape, _ADJECTIVES))}),?\s+){{0,2}})"
    rf"(?:[a-z]++-)?"  # 'a linen-weaver' is a weaver
    rf"(?P<noun>{'|'.join(_NOUNS)}|{'|'.join(n.capitalize() for n in _NOUNS)})\b(?![’'-][a-z]{{2}})(?P<poss>['’]s?)?"
)
_EPITHET = re.compile(rf"\b({'|'.join(map(re.escape, _ADJECTIVES))})\s++([{UPPER}][{LOWER}’']++)")
_ROLE_BEFORE = re.compile(
    rf"\b(?:the|a|an|his|her|their|our|my)\s+(?:(?:{'|'.join(map(re.escape, _ADJECTIVES))})\s+){{0,2}}"
    rf"(?:{'|'.join(n for n in _NOUNS if n not in GENERIC_PERSON_NOUNS)})\s+$"
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|cried|asked|replied|answered|shouted|whispered|exclaimed|returned|called|"
    r"laughed|growled|croaked|sang|added|continued)\s+$"
)
_PAST_VERBS = frozenset(
    [
        "fell",
        "sat",
        "saw",
        "ran",
        "ate",
        "flew",
        "drank",
        "sang",
        "began",
        "caught",
        "brought",
        "found",
        "gave",
        "held",
        "kept",
        "left",
        "lay",
        "met",
        "rose",
        "shook",
        "slept",
        "spoke",
        "stole",
        "struck",
        "swam",
        "threw",
        "told",
        "took",
        "woke",
        "won",
        "bit",
        "crept",
        "fled",
        "fought",
        "hid",
        "knelt",
        "leapt",
        "lit",
        "meant",
        "rode",
        "rang",
        "sank",
        "sent",
        "shut",
        "stood",
        "swept",
        "taught",
        "tore",
        "wept",
        "went",
        "came",
        "got",
        "made",
        "heard",
        "knew",
        "thought",
        "felt",
        "grew",
        "hung",
        "sprang",
        "bade",
        "drew",
        "dug",
        "led",
        "lost",
        "paid",
        "sought",
        "sold",
        "wound",
        "chose",
        "strode",
        "burst",
        "broke",
        "drove",
        "stuck",
    ]
)
_TITLE_WORDS = frozenset(TITLE_RE.split("|"))
_APPOSITIVE_START = frozenset(["a", "an", "the", "his", "her", "their", "its", "our", "my", "this", "that"])
_VOCATIVE_START = frozenset(["my", "our", "your"])
# A person's size, a look even in 'a little brunette', where 'little' says nothing else.
_SIZE_WORDS = frozenset(["little", "big", "small", "tiny", "huge", "tall", "short"])
# What a described noun phrase must name for an artist to draw it: a being, or something worn or a part of the body.
_DRAWN_NOUNS = CHARACTER_NOUNS | LOOKS_NOUNS | frozenset(["creature", "figure", "youth", "lad", "lass"])
_CLAUSE_SUBJECTS = [[w] for w in ["he", "she", "it", "they", "we", "i", "you", "there", "then"]]
_SUBJECT_VERBS = frozenset(
    [
        "was",
        "is",
        "had",
        "has",
        "would",
        "could",
        "will",
        "did",
        "does",
        "said",
        "says",
        "replied",
        "answered",
        "cried",
        "asked",
        "looked",
        "seemed",
        "smiled",
        "laughed",
        "turned",
        "took",
        "came",
        "went",
        "stood",
        "sat",
        "felt",
        "knew",
        "thought",
        "saw",
        "heard",
        "spoke",
        "began",
        "walked",
        "ran",
        "wore",
        "must",
        "might",
        "may",
        "should",
        "shall",
        "can",
    ]
)
# What only a being does: a place 'was' or 'had', it never 'smiled', 'said' or 'waited'.
_PERSON_VERBS = frozenset(
    """said says replied answered cried asked looked smiled laughed turned took came went stood sat felt knew
    thought saw heard spoke began walked ran wore""".split()  # noqa: SIM905
)
_PLACE_VERBS = frozenset(
    """seemed appeared remained stretched lined surrounded contained included belonged existed covered
    extended""".split()  # noqa: SIM905
)
_MALE_TITLES = frozenset(
    {
        "Mr",
        "Mister",
        "Master",
        "Sir",
        "Lord",
        "King",
        "Prince",
        "Count",
        "Duke",
        "Baron",
        "Monsieur",
        *BORROWED_MEN_S_TITLES,
        "Uncle",
        "Father",
        "Brother",
        "Colonel",
        "Captain",
        "General",
        "Squire",
    }
)
_NOT_SURNAME = frozenset({"of", "the"})
_SURNAME_PARTICLES = frozenset({"de", "van", "von", "du", "der", "den", "ten", "ter", "le", "la", "di", "da"})
# A word in lower case, with its dialect elisions: "w'at", "an'", not "w" and "at".
_LOWER_WORD = re.compile(r"(?<![A-Za-z'’])[a-z]+(?:['’][a-z]+)*")
_WEAK_PLACE_PREPOSITIONS = frozenset(["to", "from", "towards", "toward", "near"])
_FEMALE_TITLES = frozenset(
    [
        *("Mrs", "Miss", "Ms", "Lady", "Madame", "Mme", "Mlle", "Countess", "Duchess", "Dame", "Aunt", "Sister"),
        *("Mother", "Princess", "Queen", "Empress", "Missus", "Missis", "Baroness"),
        *BORROWED_WOMEN_S_TITLES,
    ]
)
# A woman's titles before and after marriage: 'Miss March' is not 'Mrs. March' (her daughter, most often).
_MARRIED_TITLES = frozenset(["Mrs", "Missus", "Missis", "Madame", "Mme", "Señora", "Signora", "Frau"])
_UNMARRIED_TITLES = frozenset(["Miss", "Mlle", "Mademoiselle", "Mamzelle", "Señorita", "Signorina", "Fräulein"])
# The titles that open a name wherever they stand in a run of capitals: 'Send Miss Sedley's trunk'.
_HONORIFICS = frozenset(["Mr", "Mrs", "Miss", "Ms", "Dr", "Sir", "Lady", "Lord", "Madame", "Monsieur", "Mme", "Mlle"])
_DEGREE_WORDS = frozenset(["very", "rather", "quite", "so", "most", "too", "somewhat", "still", "also", "always"])
# Short and long forms of one title: 'Dr. Livesey' and 'Doctor Livesey' are one man, 'the doctor' too.
_TITLE_FORMS = {"Dr": "Doctor", "Capt": "Captain", "Col": "Colonel", "Prof": "Professor", "Rev": "Reverend"}
_TITLE_FORMS |= {"Mister": "Mr", "Missus": "Mrs", "Missis": "Mrs", "M'sieur": "Monsieur", "M’sieur": "Monsieur"}
_TITLE_FORMS |= {"Mista": "Mr", "Mars": "Master", "Marse": "Master", "Massa": "Master"}
_DESCRIBING_VERBS = frozenset(
    ["was", "is", "looked", "seemed", "appeared", "had", "has", "wore", "wearing", "stood", "sat", "bore", "carried"]
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|\d{1,2})"
)
# An age stated after the name: 'was then scarcely five-and-twenty', ', who was only eighteen', 'was thirty-nine'.
_AGE_STATED = re.compile(
    rf",?\s++(?:who\s++)?(?:was|is|had\s++turned|turned)\s++(?:(?:then|now|still|already|not\s++yet)\s++)?"
    rf"(?P<age>(?:(?:only|scarcely|barely|just|about|nearly|almost|over|under|past|hardly|some|perhaps|between)\s++)?"
    rf"{_NUMBER_WORD}(?:[- ](?:and[- ])?{_NUMBER_WORD})?(?:\s++years?(?:\s++of\s++age|\s++old)?)?)"
    r"(?=\s*+(?:[,.;:!?—–]|--|and\b|but\b|when\b|at\s++the\s++time|herself|himself|$))"
)
_VERB_AFTER_NAME = re.compile(r"(?:,\s++(?:he|she|it))?\s++(?:[a-z]++ly\s++)?([a-z]++)\b(\s++[a-z-]++)?")
# A capitalised word inside a clause: someone else, mostly.
_OTHER_NAME = re.compile(rf"(?<=[a-z,;] )[{UPPER}][{LOWER}]+")
_OTHER_PERSON = re.compile(rf"\b(?:him|her|them|[{UPPER}][{LOWER}]+)\b")
# Someone else right after the name: 'Lord Henry looked at him', 'Marilla turned to her' (oneself is 'himself').
_LOOKED_AT = re.compile(r"\s++(?:[a-z]++ly\s++)?[a-z]++\s++(?:(?:at|to|towards?|upon|after|on)\s++(?:him|her)|him)\b")
# One person: 'They were portly gentlemen' after 'Scrooge's nephew had let two other people in' is not Scrooge.
# 'He was, at that time, a remarkably fine young man': an aside between the verb and the looks.
# 'His name was Tom', 'Her name, she said, was Nell': a character named after being called by a role.
_NAME_GIVEN = re.compile(
    rf"\b(?P<pronoun>[Hh]is|[Hh]er)\s++name\s*+,?\s*+(?:[a-z]++\s++said\s*+,\s*+)?(?:was|is)\s++(?P<name>[{UPPER}][{LOWER}]++)\b"
)
# 'the cat's name was Pluto', 'Pluto—this was the cat's name': the role noun is the name.
_NOUN_NAMED = re.compile(
    rf"\bthe\s++(?P<noun>[a-z]++)['’]s\s++name\s++(?:was|is)\s++(?P<name>[{UPPER}][{LOWER}]++)\b"
    rf"|\b(?P<name2>[{UPPER}][{LOWER}]++)\s*+[—–,-]+\s*+(?:this|that|such)\s++(?:was|is)\s++the\s++(?P<noun2>[a-z]++)['’]s\s++name"
)
_ASIDE = re.compile(r"^(\W*+(?:He|She|It)\s++(?:was|had))\s*+,[^,]{1,40},\s*+")
_PRONOUN_DESCRIBED = re.compile(r"\W*+(?:He|She|It)\s++(?:was|had|looked|seemed|wore|stood)\b")
_BEING_NOUNS = "|".join(sorted(PERSON_NOUNS | GENERIC_PERSON_NOUNS | ANIMAL_NOUNS, key=len, reverse=True))
_INDEFINITE_PERSON = re.compile(rf"\b(?:A|An|a|an)\s++(?:[a-z-]++,?\s++){{0,4}}(?P<noun>{_BEING_NOUNS})\b[^.!?;]*+")
# In a story that names at least two of its people, a being it calls only by a lower-case noun ('the girl',
# 'the clerk') is a character of its own when it acts or speaks this many times.
ROLE_ACTS = 2
_ROLE_THEN = re.compile(r",\s*+(?:the|a|an|his|her|their)\s++[^,;:.!?]{1,60}?,(?=\s*+(?:was|looked|seemed|wore)\b)")
APPOSITIVE_WORDS = 14  # 'X, a pale and pretty girl with an elfish face and copper-coloured hair,'
_SENTENCE_END = re.compile(r"\s*[.!?;:]+[\"'”’)]*\s*$")
PLACE_ONLY_VOTES = 2  # a name gone to or stayed at this often, and never acting as a person, is a place
PLACE_ACTS = 3  # a name gone to or stayed at N times is a being when it acts like one N/3 times
# A newcomer is named within this many sentences of being introduced by looks; who was named in the
# sentences before the introduction was already there.
INTRODUCTION_REACH = 12
PRESENT_BEFORE = 8
_SIDE_OPENING = {side: re.compile(rf"\W*+{side}\b", re.IGNORECASE) for side in ("he", "she")}
_NOUN_SIDE = {
    **dict.fromkeys(["man", "gentleman", "fellow", "boy", "lad", "youth", "husband", "father", "son", "king"], "he"),
    **dict.fromkeys(["woman", "lady", "girl", "lass", "maid", "wife", "mother", "daughter", "queen"], "she"),
}
_LOOKS_NOUN_RE = "|".join(sorted(LOOKS_NOUNS, key=len, reverse=True))
_DRESSED_IN = re.compile(
    rf"\b(?:dressed|clad|clothed)(?:\s++[a-z]++,?){{0,3}}?\s++in\s++((?:[a-z-]++\s++){{0,3}}?(?:{_LOOKS_NOUN_RE}))(?![\w-])"
)
_POSSESSIVE_FEATURE = re.compile(
    rf"(?:\b(?P<pronoun>his|her|its)|^['’]s)\s++((?:[a-z-]++,?\s++){{1,3}}(?:{_LOOKS_NOUN_RE}))(?![\w-])"
)  # 'his pointed nose', and right after the name 'Ethan's lean brown head'
_POSSESSION = re.compile(
    rf"\b(?P<pronoun>his|her|its)\s++(?P<thing>{'|'.join(sorted(WORN_OR_CARRIED, key=len, reverse=True))})(?![\w-])"
)
# 'His face was tattooed all over', 'her hair was grey and thin': the look said after the body part.
_PREDICATE_FEATURE = re.compile(
    rf"(?:\b(?P<pronoun>[Hh]is|[Hh]er|[Ii]ts)|^['’]s)\s++(?P<noun>{_LOOKS_NOUN_RE})\s++(?:was|were)\s++"
    r"(?P<said>[a-z-]++(?:(?:,\s*+|\s++and\s++)[a-z-]++){0,2})"
)
_PREPOSITIONS = frozenset(
    ["of", "in", "with", "like", "from", "to", "at", "on", "by", "for", "into", "upon", "beside", "behind", "near"]
)
# 'On the front seat sat a gaunt, tall man', 'In the doorway stood a stout woman': the subject after its place.
_PLACE_THEN_VERB = re.compile(
    r"\W*+(?:On|In|At|By|Beside|Behind|Near|Under|Upon|Outside|Inside|Across|Beyond|Through|Into|From)\s"
    r"[^,.;:!?\"“”]{1,60}?\s(?:stood|sat|was|were|came|lay|waited|appeared|walked|rode|knelt|leaned)\s++$"
)
_THERE_BEFORE = re.compile(r"\bthere\s++(?:stood|sat|was|came|lay|waited|appeared)\s++$|\band\s++$")
# 'a dragon named Cinder', 'a small terrier called Biscuit'
_KIND_NAMED = re.compile(rf"\b(?:a|an)\s++((?:[a-z-]++\s++){{0,3}}(?:{_BEING_NOUNS}))\s++(?:named|called)\s++")
# Capitalised words that are never a being: compass points, and the last word of an institution's name.
DIRECTIONS = frozenset(
    ["North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest", "Up", "Down"]
)
ORGANISATION_SUFFIXES = frozenset(
    [
        *("Club", "Society", "Company", "Co", "Bank", "Line", "Railway", "Times", "Gazette", "Herald", "Post"),
        *("News", "Journal", "Review", "Chronicle", "Press", "School", "College", "University", "Museum"),
        *("Theatre", "Theater", "Library", "Hospital", "Institute", "League", "Party", "Council", "Committee"),
        *("Ministry", "Department", "Office", "Agency", "Corporation", "Limited", "Ltd", "Inc", "Association"),
    ]
)
_CONTRACTION = re.compile(r"[’'](?:m|s|ve|re|ll|d|t)$", re.IGNORECASE)
# 'a dragon named Cinder', 'a terrier called Biscuit': the name of a being the noun says is one.
_NAMED_BEING = re.compile(rf"\b(?:named|called)\s++([{UPPER}][{LOWER}’']++)")
_SELF_NAMED = re.compile(rf"\b(?:I['’]m|I am|[Mm]y name is|[Cc]all me|[Nn]ame['’]s)\s++([{UPPER}][{LOWER}’']++)")
_QUOTE_MARKS = "\"“”‘’'_*"
# '“I am Pell,” said the boy', '“Call me Ishmael,” the sailor said': the speaking role names itself.
_INTRODUCES_ITSELF = re.compile(
    rf"(?:I['’]m|I am|[Mm]y name is|[Cc]all me)\s++(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})*)[^”\"]{{0,80}}[”\"]\s*+"
    rf"(?:(?:said|cried|answered|replied|whispered|muttered)\s++the\s++(?:[a-z]++\s++)?(?P<noun>[a-z]++)\b"
    rf"|the\s++(?:[a-z]++\s++)?(?P<noun2>[a-z]++)\s++(?:said|cried|answered|replied|whispered|muttered)\b)"
)
# 'a weaver, named Silas Marner': the role noun's own name, right after it.
_CALLED = re.compile(rf",?\s++(?:named|called)\s++({_NAME_WORD}(?:[ \t]+{_NAME_WORD})*)")
# 'Taylor Plunkett, sheriff of Chatham County': a role said of a name without an article.
_BARE_APPOSITIVE = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})*),\s++"
    rf"(?P<noun>{'|'.join(n for n in _NOUNS if n not in GENERIC_PERSON_NOUNS)})\s++(?:of|to|at|in|from)\b"
)
_CAPS_INTRO = re.compile(r"\b([A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+)*),")


@dataclass
class Character:
    name: str
    aliases: dict[str, None] = field(default_factory=dict)
    units: list[int] = field(default_factory=list)
    mentions: int = 0
    description: str = ""
    common: bool = False  # named by a common noun ('the fox'), not a proper name


def find_prose_characters(text: str, units: list[Unit]) -> list[Character]:
    """Named characters (with titles and aliases merged) and the definite-article characters of fables."""
    sentences = _quotations_carried(text, units)
    lower_counts = Counter(w for s in sentences for w in _LOWER_WORD.findall(s))
    forms: dict[str, list[int]] = {}
    place_votes: defaultdict[str, float] = defaultdict(float)
    article_votes: Counter[str] = Counter()
    speakers: set[str] = set()
    acting: set[str] = set()
    acting_as_person: Counter[str] = Counter()  # 'Olek smiled', not 'Bath was'
    inside: dict[str, int] = {}
    epithets: set[str] = set()
    for idx, sentence in enumerate(sentences):
        for match in _NAME.finditer(sentence):
            name = _clean_name(match.group(0), match.start(), sentence, lower_counts)
            if not name:
                continue
            before = sentence[max(0, match.start() - 12) : match.start()].split()
            if before and before[-1].rstrip(".") in ("St", "Saint"):
                continue  # St. Monica, St. James's: churches, streets, palaces
            if name.lower() in CHARACTER_NOUNS and (
                match.group(0).split()[0] in ("The", "A", "An") or (before and before[-1].lower() in ("the", "a", "an"))
            ):
                continue  # Aesop's 'the Hare' is a common-noun character, found below
            if _is_quoted_title(sentence, match.start(), match.end()):
                continue  # a book, a song, a ship: 'she had read "The Silent Harbour"'
            with_article = match.group(0).split()[0] in ("The", "A", "An") or (
                before and before[-1].lower() in ("the", "a", "an")
            )
            if with_article:
                article_votes[name] += 1
            if (
                with_article
                and name.split()[0].rstrip(".") not in _TITLE_WORDS  # not 'the King of Bohemia'
                and _head_noun(name) in BEING_NOUNS  # 'the Tin Soldier', 'the Giraffe', not 'the Royal George'
            ):
                if name.split()[-1].lower() in PLACE_NOUNS:
                    continue  # 'the Grand Hotel', 'the Old Mill'
                epithets.add(name)
            forms.setdefault(name, []).append(idx)
            if sentence[: match.start()].strip(" \t\n\"'“‘(—-_*"):
                inside[name] = inside.get(name, 0) + 1
            if before and before[-1].lower() in PLACE_PREPOSITIONS:
                # 'talked to Olek', 'a letter from Olek': people are gone to as often as places
                place_votes[name] += 0.5 if before[-1].lower() in _WEAK_PLACE_PREPOSITIONS else 1
            if _named_as_place(sentence, match.end(), before) and not _POSSESSIVE.search(match.group(0)):
                place_votes[name] += 1  # 'the Weary Gentleman saloon', not 'the Parsee's hut' (his)
            if before and before[-1].lower() == "the" and " " not in name and name.lower() not in BEING_NOUNS:
                place_votes[name] += 1  # 'the Temple', 'the Strand': a person is not 'the Smith', a being 'the Giraffe'
            verb = _acts(sentence, match.end())
            if verb:
                acting.add(name)
                if verb in _PERSON_VERBS or (verb.endswith("ed") and verb not in _PLACE_VERBS):
                    acting_as_person[name] += 1
        for match in _SPEAKER.finditer(sentence):
            speakers.add(_POSSESSIVE.sub("", match.group(1)))
        for match in _SELF_NAMED.finditer(sentence):
            speakers.add(_POSSESSIVE.sub("", match.group(1)))  # '"I'm Pell," said the boy'
        for match in _NAMED_BEING.finditer(sentence):
            speakers.add(_POSSESSIVE.sub("", match.group(1)))  # 'a dragon named Cinder' is someone

    for name in [n for n in forms if n[:1] == "D" and n[1:2] in "'’" and "d" + n[1:] in forms]:
        forms["d" + name[1:]].extend(forms.pop(name))  # "D'Urberville" opening a sentence is "d'Urberville"
    # 'Northern Italy' does not make Italy someone's surname; 'Florence Italy' would
    surnames = {
        n.split()[-1]
        for n in forms
        if " " in n and (n.split()[-1] not in KNOWN_PLACES or _is_titled(n) or given_name_side(n.split()[0]))
    }

    def is_thing(name: str, mentions: int) -> bool:
        """A place, or a name mostly used with 'the' ('the Admiral Benbow', 'the Royal George': an inn, a ship),
        or an epithet that opens on a place the story goes to ('the Bettsbridge Eagle': a newspaper)."""
        if name in epithets and place_votes[name.split()[0]] > 0:
            return True
        # 'Hester Lane walked', '“…,” said Lois Lane': a surname can be a place word
        person = name in speakers or acting_as_person[name] >= PLACE_ACTS
        # 'Italy', 'Dover': a place by name, unless it is a given name too ('Florence') or someone's surname
        known_place = name in KNOWN_PLACES and not given_name_side(name.split()[0]) and name not in surnames
        return (
            (known_place and not person)
            or _is_place(name, mentions, place_votes[name], person)
            # gone to or stayed at, and never doing what a person does: 'at San Salvatore', 'to Yellow Sky'
            or (
                place_votes[name] >= PLACE_ONLY_VOTES
                and not acting_as_person[name]
                and name not in speakers
                and not _is_titled(name)  # 'at Mr. Musgrove's' is his house
            )
            or (
                article_votes[name] * 2 >= mentions
                and name.split()[0].rstrip(".") not in _TITLE_WORDS  # 'the King of Bohemia' is someone
                and _head_noun(name) not in BEING_NOUNS
                and name not in speakers
            )
        )

    # 'Benbow' is not made a person by the inn's name 'Admiral Benbow' it is a word of.
    in_longer = {w for n, idxs in forms.items() if " " in n and not is_thing(n, len(idxs)) for w in _personal_words(n)}
    people = {
        name: idxs
        for name, idxs in forms.items()
        if not is_thing(name, len(idxs))
        and not _family_of(name, surnames)
        and (
            " " in name
            or name in speakers
            or name in in_longer
            # a name also gone to or stayed at acts as a person does, not as 'Bath was' or 'Uppercross had'
            or (name in acting and (not place_votes[name] or PLACE_ACTS * acting_as_person[name] >= place_votes[name]))
        )
    }
    named = _merge_aliases(people)
    common = _common_characters(sentences, named)  # before the count: 'Mara Quill, the keeper,' adds mentions
    characters = [c for c in named if len(c.units) >= 2 or any(a in speakers for a in c.aliases)]
    for c in characters:
        if c.name in epithets and not c.name.startswith("The "):
            c.aliases.setdefault("the " + c.name, None)
            c.name = "The " + c.name  # 'the Tin Soldier', 'the Widow': an epithet is the character's name
    characters.extend(common)
    characters.sort(key=lambda c: (-c.mentions, c.units[0], c.name))
    kept = characters[:MAX_CHARACTERS]
    owners: dict[int, set[str]] = {}
    for c in kept:
        if not c.common:  # 'She was a blonde young lady': the common noun is the description, not someone else
            for u in c.units:
                owners.setdefault(u, set()).add(c.name)
    told = _paragraph_looks(kept, sentences, units, owners)
    introduced = _introductions(kept, sentences, owners)
    for c in kept:
        if c.common and c.name not in introduced:
            introduced[c.name] = _first_seen_as(c, sentences)
    for c in kept:
        c.description = _describe(c, sentences, owners, told.get(c.name, []), introduced.get(c.name, []))
    kept = _merge_described_epithets(kept)
    kept = _merge_epithet_heads(kept)
    kept = _merge_named_later(kept, sentences)
    kept = _resolve_shadow_roles(kept, sentences, units, owners)
    kept.sort(key=lambda c: (c.units[0], c.name))
    return kept


def _quotations_carried(text: str, units: list[Unit]) -> list[str]:
    """Each sentence's text, opened with the quotation mark of a quotation that an earlier sentence of its
    paragraph opened and did not close: in '"Come in. Take the word of an old woman, Miss Lucy."' both
    sentences are speech, so 'an old woman' is the speaker, not Lucy."""
    sentences = []
    mark = ""
    for unit in units:
        sentence = text[unit.start : unit.end]
        if unit.para_start or (sentence[:1] in '"“' and sentence[1:2].isalnum()):
            mark = ""  # a new paragraph, or a sentence that opens a quotation of its own
        sentence = mark + sentence
        sentences.append(sentence)
        mark = _open_quotation(sentence)
    return sentences


def _merge_described_epithets(characters: list[Character]) -> list[Character]:
    """'the blind man' is Pew when Pew is the one named character the text says is blind."""
    looks_of = {c.name: set(re.findall(r"[a-z][a-z-]+", c.description.lower())) for c in characters if not c.common}
    kept = []
    for c in characters:
        words = c.name.lower().split()
        if (
            c.common
            and len(words) == 3
            and words[-1] in GENERIC_PERSON_NOUNS
            and words[1] in APPEARANCE_ADJECTIVES - ROLE_ADJECTIVES  # 'blind', not 'young': many are young
        ):
            owners = [n for n, looks in looks_of.items() if words[1] in looks]
            if len(owners) == 1:
                target = next(t for t in characters if t.name == owners[0])
                target.units = sorted(set(target.units) | set(c.units))
                target.mentions += c.mentions
                target.aliases.update(dict.fromkeys(c.aliases))
                continue
        kept.append(c)
    return kept


def _merge_epithet_heads(characters: list[Character]) -> list[Character]:
    """'the Water Rat' is the Rat, and 'the Red Dragon' the dragon, when the story has one epithet ending on
    that noun: the head noun said alone ('Rat', 'the dragon') names the same being."""
    by_head: dict[str, list[Character]] = {}
    for c in characters:
        words = c.name.split()
        if words[0] == "The" and len(words) == 3 and not c.common:
            by_head.setdefault(words[-1].lower(), []).append(c)
    kept = []
    for c in characters:
        words = c.name.split()
        head = words[-1].lower() if len(words) == 1 or (len(words) == 2 and words[0] == "The") else ""
        epithets = by_head.get(head, [])
        if len(epithets) == 1 and epithets[0] is not c:
            _absorb(epithets[0], c)
            continue
        kept.append(c)
    return kept


def sex_by_name(character: Character) -> str:
    """'he' or 'she' when the name says it ('the boy', 'the widow', 'Mr. Vane', 'Miss Tessa', 'Emil'), else ''."""
    words = character.name.split()
    if character.common:
        return _NOUN_SIDE.get(words[-1].lower(), "")
    return _title_side(words[0]) or _given_side(character)


def _title_side(word: str) -> str:
    """'he' for 'Mr.' or 'Brother', 'she' for 'Mrs' or 'Aunt', '' for any other word ('Doctor')."""
    title = word.rstrip(".")
    return "he" if title in _MALE_TITLES else "she" if title in _FEMALE_TITLES else ""


def _merge_named_later(characters: list[Character], sentences: list[str]) -> list[Character]:
    """'…found the boy on the rocks. … His name, he said, was Tom': the boy is Tom. The one common-noun
    character named in the sentence or the two before, whose noun fits the pronoun, joins the name."""
    by_alias = {alias: c for c in characters if not c.common for alias in [c.name, *c.aliases]}
    merged: set[str] = set()
    for idx, sentence in enumerate(sentences):
        for match in _NAME_GIVEN.finditer(sentence):
            target = by_alias.get(match.group("name"))
            if target is None:
                continue
            side = "he" if match.group("pronoun").lower() == "his" else "she"
            recent = [
                c
                for c in characters
                if c.common
                and c.name not in merged
                and any(idx - 2 <= u <= idx for u in c.units)
                and _NOUN_SIDE.get(c.name.lower().split()[-1], side) == side
            ]
            if len(recent) != 1:
                continue
            (role,) = recent
            _absorb(target, role)  # with the looks stated when it was only 'the boy'
            merged.add(role.name)
        for match in [*_NOUN_NAMED.finditer(sentence), *_INTRODUCES_ITSELF.finditer(sentence)]:
            name, noun = match.group("name") or match.group("name2"), match.group("noun") or match.group("noun2")
            target = by_alias.get(name)
            roles = [c for c in characters if c.common and c.name not in merged and c.name.lower().split()[-1] == noun]
            if target is not None and len(roles) == 1:
                _absorb(target, roles[0])
                merged.add(roles[0].name)
    return [c for c in characters if c.name not in merged]


SHADOW_MIN = 3  # mentions: 'the keeper' said twice as a newcomer stays someone
SHADOW_SHARE = 0.5  # of the role's mentions said in a paragraph that names the person
SHADOW_APART = 0.34  # at most this share of those mentions name the person in the same sentence
SHADOW_WINDOW = 12  # sentences: a plain role said across the story is near a person named this close
SHADOW_PARAGRAPHS = 3  # a plain role is said across the story when said in this many paragraphs
SHADOW_DOMINANT = 2.0  # the person nearest the role this many times as often as anyone else is who it is
# Roles that say no more than a person's age and sex: the text's other name for someone it names.
_AGE_AND_SEX_NOUNS = frozenset(
    ["man", "woman", "lady", "gentleman", "fellow", "person", "girl", "boy", "child", "lad", "lass", "youth"]
)


def _resolve_shadow_roles(
    characters: list[Character], sentences: list[str], units: list[Unit], owners: dict[int, set[str]]
) -> list[Character]:
    """A role noun said mostly in paragraphs that name one person of its sex, and not in the sentences that
    name that person, is that person's other name ('Lucy sat down. The girl was tired. Lucy smiled'): a
    role the text uses beside the name instead of it. A role that says only age and sex ('the young man')
    and recurs across the story counts the person named within a few sentences as well. When one person is
    the nearest named one far more often than anyone else and the role says only age and sex, the role
    joins that person (with the looks it came in with); otherwise, as the text does not tell whose it is,
    the role is dropped rather than drawn as one more person. Roles written as names ('the Widow'), animals,
    and a role seen in one passage between namings ('the old woman' feeding her hens) stay."""
    named = [c for c in characters if not c.common]
    if len(named) < 2:
        return characters
    side = {c.name: _pronoun_side(c, sentences, owners) for c in named}
    paragraph = list(itertools.accumulate(int(i == 0 or u.para_start) for i, u in enumerate(units)))
    said_in = {c.name: set(c.units) for c in named}
    paragraphs_of = {c.name: {paragraph[u] for u in c.units} for c in named}
    kept = []
    for c in characters:
        noun = c.name.lower().split()[-1]
        if (
            not c.common
            or noun not in PERSON_NOUNS | GENERIC_PERSON_NOUNS
            or any(a.split()[-1][:1].isupper() for a in c.aliases)
            or len(c.units) < SHADOW_MIN
        ):
            kept.append(c)
            continue
        role_side = _NOUN_SIDE.get(noun, "")
        fitting = [n for n in named if not role_side or side[n.name] in (role_side, "")]
        plain = noun in _AGE_AND_SEX_NOUNS
        recurring = plain and len({paragraph[u] for u in c.units}) >= SHADOW_PARAGRAPHS
        near: Counter[str] = Counter()
        same: Counter[str] = Counter()
        nearest: Counter[str] = Counter()
        for idx in c.units:
            distance = {n.name: _distance(n.units, idx) for n in fitting if n.units}
            for n in fitting:
                if paragraph[idx] in paragraphs_of[n.name] or (recurring and distance[n.name] <= SHADOW_WINDOW):
                    near[n.name] += 1
                    same[n.name] += idx in said_in[n.name]
            closest = sorted(distance.items(), key=lambda kv: kv[1])[:2]
            if closest and (len(closest) == 1 or closest[0][1] < closest[1][1]):
                nearest[closest[0][0]] += 1
        if not any(k >= SHADOW_SHARE * len(c.units) and same[n] <= SHADOW_APART * k for n, k in near.items()):
            kept.append(c)
            continue
        ranked = [*nearest.most_common(2), ("", 0)]
        if plain and ranked[0][1] >= SHADOW_SHARE * len(c.units) and ranked[0][1] >= SHADOW_DOMINANT * ranked[1][1]:
            _absorb(next(n for n in named if n.name == ranked[0][0]), c)
    return kept


def _distance(units: list[int], idx: int) -> int:
    """How many sentences from `idx` to the nearest of `units` (sorted)."""
    at = bisect_left(units, idx)
    return min(abs(units[k] - idx) for k in (at - 1, at) if 0 <= k < len(units))


def _absorb(target: Character, role: Character) -> None:
    """The role's mentions and aliases become the named character's, and its looks when the role came first
    (a person is described as they come in: 'a young man came out of his garret … he was remarkably handsome')
    or they say more."""
    first = role.units[0] < target.units[0] if role.units and target.units else False
    target.units = sorted(set(target.units) | set(role.units))
    target.mentions += role.mentions
    target.aliases.update(dict.fromkeys([role.name.lower(), *role.aliases]))
    if role.description and (first or len(role.description) > len(target.description)):
        target.description = role.description


def place_names(text: str, units: list[Unit]) -> set[str]:
    """Capitalised names that read as places (after 'at', 'in', 'to'..., or ending in Street, Hall...)."""
    found: set[str] = set()
    for u in units:
        sentence = text[u.start : u.end]
        for match in _NAME.finditer(sentence):
            name = match.group(0)
            before = sentence[max(0, match.start() - 12) : match.start()].split()
            after = sentence[match.end() : match.end() + 24].split()[:1]
            if " " not in name and after and after[0][:1].islower() and after[0] not in STOPWORDS:
                continue  # an adjective: 'in Indian tapestry', 'in English fashion'
            if (
                before
                and before[-1].lower() in PLACE_PREPOSITIONS
                and name.split()[0] not in _TITLE_WORDS
                and name not in NOT_NAMES
                and name not in NOT_PLACES
            ) or name.split()[-1] in PLACE_SUFFIXES:
                found.add(_POSSESSIVE.sub("", name))
    return found


def _clean_name(raw: str, offset: int, sentence: str, lower_counts: Counter[str]) -> str:
    words = raw.split()
    owner = next((i for i, w in enumerate(words) if POSSESSIVE_S_RE.search(w)), len(words) - 1)
    words = [*words[:owner], _POSSESSIVE.sub("", words[owner])]  # "King's Own…" is the King's; "Holmes'" is Holmes
    initial = not sentence[:offset].strip(" \t\n\"'“‘(—-_*")
    while (
        words
        and (
            words[0] in NOT_NAMES
            or words[0] == "the"  # 'Highness the Princess Flavia' with 'Highness' gone
            or (words[0] in ("Royal", "Imperial", "Serene") and len(words) > 1 and words[1] in NOT_NAMES)
            or (initial and lower_counts[words[0].lower()] > 2)  # 'Then Tom', not 'the Snow Queen'
            or (_epithet_before_name(words) and lower_counts[words[0].lower()] > 2)  # 'Long John' is John
            or (_CONTRACTION.search(words[0]) is not None and len(words) > 1)  # "I'm Dev", "I've"
            or (initial and len(words) > 1 and _is_adverb(words[0], lower_counts))  # 'Presently Goree'
        )
        and words[0].rstrip(".") not in _TITLE_WORDS
    ):
        words.pop(0)
    if len(words) == 1 and ((_CONTRACTION.search(words[0]) and words[0][:1] in "IWYT") or words[0] in DIRECTIONS):
        return ""  # "I'm", "We'll", "You're", "East"
    if words and (words[-1] in ORGANISATION_SUFFIXES or words[-1] in DIRECTIONS):
        return ""  # 'the Rowing Club', 'the Northern Line', 'East
    honorific = next((i for i in range(1, len(words) - 1) if words[i].rstrip(".") in _HONORIFICS), 0)
    if honorific and words[honorific - 1].rstrip(".") not in _TITLE_WORDS:
        words = words[honorific:]  # 'Send Miss Sedley's books': a title opens the name
    while words and words[-1] in ("of", "the", "de", "van", "von"):
        words.pop()
    if not words or (len(words) == 1 and words[0].rstrip(".") in _TITLE_WORDS):
        return ""
    if len(words) == 1 and initial and lower_counts[words[0].lower()] > 0:
        return ""
    name = " ".join(words)
    if name in NOT_NAMES:
        return ""
    if words[0].rstrip(".") in _TITLE_WORDS and len(words) > 1:
        title = words[0].rstrip(".")
        name = " ".join([title + ("." if title in ("Mr", "Mrs", "Ms", "Dr") else ""), *words[1:]])
    return name


def _epithet_before_name(words: list[str]) -> bool:
    """'Long John', 'Little Nell': a describing word before a personal name, not before a noun that makes an
    epithet of its own ('the Red Dragon', 'the Snow Queen')."""
    return len(words) == 2 and words[0].lower() in _NICKNAME_WORDS and words[1].lower() not in CHARACTER_NOUNS


def _is_adverb(word: str, lower_counts: Counter[str]) -> bool:
    """'Presently', 'Suddenly', 'Happily', 'Gently': an -ly word the text also writes in lower case, or made from
    a word it does ('present', 'sudden', 'happy', 'gentle'); 'Molly', 'Billy' and 'Emily' are neither."""
    lower = word.lower()
    if not lower.endswith("ly") or len(lower) < 6:
        return False
    stem = lower[:-2]
    forms = (lower, stem, stem[:-1] + "y" if stem.endswith("i") else "", stem + "le")
    return any(lower_counts[form] for form in forms)


_NEXT_WORD = re.compile(r"[ \t]++([a-z]++)")


def _named_as_place(sentence: str, end: int, before: list[str]) -> bool:
    """A place noun right after the name ('the Admiral Benbow inn') or '<place noun> of' before it."""
    following = _NEXT_WORD.match(sentence, end)
    if following and following.group(1) in PLACE_NOUNS:
        return True
    if len(before) < 2 or before[-1] != "of":
        return False
    noun = before[-2].lower()
    return noun in PLACE_NOUNS or noun in _OF_A_PLACE or (noun.endswith("s") and noun[:-1] in _OF_A_PLACE)


# 'the emperor of Blefuscu', 'the people of Yellow Sky', 'out of Avonlea': a realm, its people or its ruler
# is 'of' a place, never 'of' a person.
_OF_A_PLACE = frozenset(
    [
        *("empire", "kingdom", "realm", "island", "province", "county", "state", "republic", "colony", "parish"),
        *("emperor", "empress", "king", "queen", "monarch", "governor", "mayor", "marshal", "town-marshal"),
        *("people", "inhabitant", "citizen", "native", "folk", "townsfolk", "population", "out"),
    ]
)


def _head_noun(name: str) -> str:
    """The noun a name is built on: 'Tin Soldier' -> 'soldier', 'Ghost of Christmas Past' -> 'ghost'."""
    words = name.split()
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    return words[-1].lower()


def _is_quoted_title(sentence: str, start: int, end: int) -> bool:
    """The name fills a quotation or an emphasis on its own ('"The Silent Harbour"', '_Tidewater_')."""
    before = sentence[max(0, start - 5) : start].rstrip()
    if before.lower().endswith(("the", "a")):
        before = before[:-3].rstrip() if before.lower().endswith("the") else before[:-1].rstrip()
    after = sentence[end : end + 2]
    return bool(before) and before[-1] in _QUOTE_MARKS and bool(after) and after[0] in _QUOTE_MARKS


def _acts(sentence: str, end: int) -> str:
    """The verb after the name, as after a sentence subject ('Bingley was', 'Holmes laughed'), or ''."""
    following = re.match(r"\s+([a-z]+)", sentence[end : end + 24])
    if not following:
        return ""
    word = following.group(1)
    return word if word in _SUBJECT_VERBS or (word.endswith("ed") and len(word) > 4) else ""


def _personal_words(name: str) -> list[str]:
    """The words of a name that can stand for the person alone: not titles, not what follows 'of'."""
    words = name.split()
    if "of" in words:
        words = words[: words.index("of")]
    # 'Madame de Mauban' is Antoinette de Mauban, 'Tarlenheim' Fritz von Tarlenheim: a particle is not the name
    return [
        w
        for i, w in enumerate(words)
        if w.rstrip(".") not in _TITLE_WORDS
        and w not in _NOT_SURNAME
        and not (w.lower() in _SURNAME_PARTICLES and i + 1 < len(words))
    ]


def _family_of(name: str, surnames: set[str]) -> bool:
    """'the Cratchits', 'the young Bennets', 'the Miss Musgroves': the plural of a surname is the family or
    the sisters, not one more character."""
    words = name.split()
    if len(words) > 2 or (len(words) == 2 and words[0].rstrip(".") not in _TITLE_WORDS):
        return False
    return any(words[-1].endswith(ending) and words[-1][: -len(ending)] in surnames for ending in ("s", "es"))


def _is_place(name: str, mentions: int, place_votes: float, person: bool = False) -> bool:
    """A place name: a place word ends it (unless it speaks or acts as a person does), or the text mostly puts it
    after 'at', 'in', 'into'... ('to' counts half)."""
    words = name.split()
    if words[0].rstrip(".") in _TITLE_WORDS:
        return False
    return (
        (words[-1] in PLACE_SUFFIXES or (len(words) > 1 and words[-1].lower() in PLACE_NOUNS)) and not person
    ) or place_votes * 2 >= mentions


def _merge_aliases(people: dict[str, list[int]]) -> list[Character]:
    """Merge 'Elizabeth' into 'Elizabeth Bennet', 'Holmes' into 'Sherlock Holmes', 'Mr. Holmes' too."""
    by_size = sorted(
        people,
        key=lambda n: (-len(n.split()), n.split()[0].rstrip(".") in _TITLE_WORDS, -len(people[n]), n),
    )
    groups: dict[str, Character] = {}
    owner: dict[str, str] = {}
    firsts = _first_names(people)
    genders = _first_name_genders(people, firsts)
    # the names the text gives a 'Miss' ('Miss Honeychurch', 'Miss Belinda'): a daughter, not the 'Mrs.'
    misses = frozenset(w for n in people if n.split()[0] in _UNMARRIED_TITLES for w in _personal_words(n))
    for name in by_size:
        target = _alias_target(name, groups, firsts, genders, misses)
        if target is None:
            groups[name] = Character(name=name)
            target = name
        owner[name] = target
        group = groups[target]
        group.aliases[name] = None
        group.units.extend(people[name])
        group.mentions += len(people[name])
    result = []
    for group in groups.values():
        group.units = sorted(set(group.units))
        group.name = _canonical_name(list(group.aliases), people)
        result.append(group)
    return result


def _canonical_name(aliases: list[str], people: dict[str, list[int]]) -> str:
    """The fullest form of a name ('Mara Quill' over 'Mara'), or the title form when the text uses it most
    ('Mr. Bingley', not 'Bingley' or 'Charles Bingley').

    Among forms as full as each other, the most used; then the alphabetically last, for determinism.
    """
    most_used = max(aliases, key=lambda a: (len(people[a]), a))
    titled = _is_titled(most_used)
    pool = [a for a in aliases if _is_titled(a) == titled]
    if titled:
        return max(pool, key=lambda a: (len(people[a]), len(_personal_words(a)), a))
    return max(pool or aliases, key=lambda a: (len(_personal_words(a)), len(people[a]), a))


def _alias_target(
    name: str,
    groups: dict[str, Character],
    firsts: dict[str, set[str]],
    genders: dict[str, str] | None = None,
    misses: frozenset[str] = frozenset(),
) -> str | None:
    """The group an alias belongs to, or None when no group, or more than one equally, fits.

    A surname alone or with a title ('Bennet', 'Miss Bennet') joins a full name only
    when one first name goes with that surname: five Miss Bennets are not Elizabeth.
    Among several 'Bingley's, a bare surname is the man ('Mr. Bingley', not 'Miss
    Bingley'), as narration names women by title or first name.
    """
    words = name.split()
    bare = _personal_words(name)
    if not bare:
        return None
    titled = words[0].rstrip(".") in _TITLE_WORDS
    candidates = []
    shared: list[str] = []
    men_of_family: list[str] = []
    pets: list[str] = []
    for key, group in groups.items():
        for alias in group.aliases:
            alias_words = alias.split()
            alias_bare = _personal_words(alias)
            if not alias_bare:
                continue
            shared_surname = len(alias_bare) > 1 and bare[-1] == alias_bare[-1] and len(bare) == 1
            unique_surname = len(firsts.get(bare[-1], ())) <= 1
            same_title = titled and _title_of(alias_words[0]) == _title_of(words[0])
            if (
                same_title
                and alias_bare[-1:] == bare[-1:]
                # one Mrs. per surname and husband: 'Mrs. Spencer' <- 'Mrs. Alexander Spencer' (two Miss Bennets)
                and (not shared_surname or unique_surname or _title_of(words[0]) == "Mrs")
                and not (len(bare) > 1 and len(alias_bare) > 1 and bare[:-1] != alias_bare[:-1])  # two brothers
            ):
                candidates.append(key)  # 'Mr. Holmes' <- 'Mr. Sherlock Holmes'
            elif (
                not titled
                and len(bare) == 1
                and len(alias_bare) > 1
                and (_same_first(bare[0], alias_bare[0]) or bare[0] == alias_bare[-1])
            ):
                if _same_first(bare[0], alias_bare[0]) or unique_surname:
                    candidates.append(key)  # 'Elizabeth' <- 'Elizabeth Bennet', 'Holmes' <- 'Sherlock Holmes'
                else:
                    shared.append(key)  # 'Frome' and Ethan Frome, Zenobia Frome
            elif len(bare) > 1 and alias_bare == bare and not _wife_of(words[0], alias_words[0], bare[0]):
                candidates.append(key)  # 'Sherlock Holmes' <-> 'Mr. Sherlock Holmes'
            elif (
                len(bare) > 1
                and len(alias_bare) > 1
                and bare[0] == alias_bare[0]
                and bare[-1] != alias_bare[-1]
                and given_name_side(bare[0]) == "she"
                and not titled
                and not _is_titled(alias)
            ):
                candidates.append(key)  # 'Marguerite Blakeney' <-> 'Marguerite St. Just': a maiden and married name
            elif len(bare) > 1 and len(alias_bare) > len(bare) and alias_bare[: len(bare)] == bare:
                candidates.append(key)  # 'Stepan Stepanitch' <- 'Stepan Stepanitch Zhilin': a name and patronymic
            elif (
                len(bare) == 2
                and len(alias_bare) == 2
                and bare[1] == alias_bare[1]
                and bare[0] != alias_bare[0]
                and (
                    _one_first_name(bare[0], alias_bare[0])
                    or _pet_of(bare[0], alias_bare[0])
                    or _pet_of(alias_bare[0], bare[0])
                )
            ):
                candidates.append(key)  # 'Jim Vane' <-> 'James Vane', 'Dunsey Cass' <-> 'Dunstan Cass': one first name
            elif same_title and len(bare) == 1 and len(alias_bare) > 1 and _same_first(bare[0], alias_bare[0]):
                if len(firsts_of(alias_bare[0], firsts)) <= 1:
                    candidates.append(key)  # 'Lord Henry' <- 'Lord Henry Wotton', 'Lord Tony' <- 'Lord Antony Dewhurst'
            elif (
                titled
                and len(bare) == 1
                and len(alias_bare) == 2
                and bare[0] == alias_bare[-1]
                and not unique_surname
                and _one_of_gender(words[0], alias_bare[0], firsts.get(bare[0], set()), genders or {})
                and not (_title_of(words[0]) == "Mrs" and alias_bare[0] in misses)  # a 'Miss Belinda' is a daughter
            ):
                candidates.append(key)  # 'Miss Cuthbert' -> Marilla Cuthbert, not her brother Matthew
            elif (
                titled
                and len(bare) == 1
                and len(alias_bare) > 1
                and (
                    # 'Miss Tessa' -> Tessa Moreau; 'Brother Bartholomew' -> Mr. Bartholomew Sholto
                    (
                        bare[0] == alias_bare[0]
                        and len(firsts_of(bare[0], firsts)) <= 1
                        and _same_sex_titles(words[0], alias_words[0])
                    )
                    or (
                        bare[0] == alias_bare[-1]
                        and unique_surname
                        and words[0].rstrip(".") not in _FEMALE_TITLES
                        # 'Mr. Eager' is 'Rev. Cuthbert Eager', not 'Mrs. John Eager'
                        and (not _is_titled(alias) or _title_side(alias_words[0]) == "")
                        and not _female_only(group)  # 'Mr. Lammeter' is not his daughter 'Miss Nancy Lammeter'
                    )
                )
            ):
                candidates.append(key)  # 'Dr. Vane' -> 'Arthur Vane' (not 'Mrs. Vane': his wife, maybe)
            elif (
                titled
                and len(bare) == 1
                and len(alias_bare) == 2
                and bare[0] == alias_bare[-1]
                and (
                    words[0].rstrip(".") in _UNMARRIED_TITLES
                    or (words[0].rstrip(".") in _MARRIED_TITLES and not {bare[0], alias_bare[0]} & misses)
                )
                and not _is_titled(alias)
                and _only_woman_of(alias_bare[0], firsts.get(bare[0], set()))
            ):
                # 'Miss Bartlett' is Charlotte Bartlett, the one woman of that surname, and so is 'Mrs. Hampton'
                # Mary Hampton, unless a 'Miss Hampton' tells a mother from her daughter
                candidates.append(key)
            elif (
                titled
                and len(bare) == 1
                and len(alias_bare) > 1
                and bare[0] == alias_bare[-1]
                and _title_side(words[0]) == "he"
                and any(_title_side(a.split()[0]) == "he" for a in group.aliases)
            ):
                men_of_family.append(key)  # 'Mr. Durbeyfield' -> Sir John Durbeyfield, not Joan or Tess
            elif not titled and len(bare) == 1 and alias_bare == bare and alias_words[0].rstrip(".") in _TITLE_WORDS:
                candidates.append(key)  # 'Bingley' <- 'Mr. Bingley'
            elif (
                len(bare) == 1
                and len(alias_bare) == 1
                and (same_title or not (titled or _is_titled(alias)))
                and bare != alias_bare
                and _one_first_name(bare[0], alias_bare[0])
            ):
                pets.append(key)  # 'Margaret' <-> 'Meg', 'Lord Tony' <-> 'Lord Antony', 'Aunt Mint' <-> 'Aunt Minty'
            elif (
                titled
                and len(bare) == 1
                and alias_bare == bare
                and alias_words[0].rstrip(".") in _TITLE_WORDS
                and (alias_words[0].rstrip(".") in _FEMALE_TITLES) == (words[0].rstrip(".") in _FEMALE_TITLES)
                and _one_marriage(alias_words[0], words[0])
                and unique_surname
            ):
                candidates.append(key)  # 'Squire Trelawney' <- 'Mr. Trelawney' (not 'Mrs. Trelawney')
    unique = list(dict.fromkeys(candidates))
    if not unique and len(set(men_of_family)) == 1:
        return men_of_family[0]  # the one man the family's surname is given with a man's title
    if not unique and not shared and len(set(pets)) == 1:
        return pets[0]  # not 'Polly' -> Mary when the text has an 'Aunt Polly'
    if len(unique) > 1 and not titled and len(bare) == 1:
        # 'Tom' is Tom Sawyer's first name before it is the last word of 'Mars Tom'
        by_first = [k for k in unique if any(_first_of_full(a) == bare[0] for a in groups[k].aliases)]
        if len(by_first) == 1:
            unique = by_first
        not_female = [k for k in unique if not _female_only(groups[k])]
        if len(not_female) == 1:
            unique = not_female
    if shared and all(_female_only(groups[k]) for k in unique):
        # a bare surname several of a family bear is the one of them the text names far most, and not a woman
        # it names by title: 'Frome' is Ethan Frome (40 times beside 'Mrs. Frome' once), 'Eady' is Denis Eady
        # (13 times beside his father Michael's 4), as narration names women by title or first name
        ranked = sorted(
            (k for k in dict.fromkeys(shared) if not _female_only(groups[k])), key=lambda k: (-groups[k].mentions, k)
        )
        titled_men = [k for k in ranked if any(_is_titled(a) for a in groups[k].aliases)]
        if len(titled_men) == 1:
            return titled_men[0]  # 'Thatcher' is Judge Thatcher, not Becky or Jeff
        if len(ranked) == 1 or (ranked and groups[ranked[0]].mentions >= 2 * groups[ranked[1]].mentions):
            return ranked[0]
    if len(unique) == 1:
        return unique[0]
    if len(unique) > 1:
        if not titled and len(bare) == 1:
            male = [k for k in unique if any(a.split()[0].rstrip(".") in _MALE_TITLES for a in groups[k].aliases)]
            if len(male) == 1:
                return male[0]
        ranked = sorted(unique, key=lambda k: (-groups[k].mentions, k))
        if groups[ranked[0]].mentions >= 2 * groups[ranked[1]].mentions:
            return ranked[0]
    return None


def _wife_of(title: str, other: str, first: str) -> bool:
    """'Mrs. Charles Musgrove' beside 'Charles Musgrove': a Mrs. with a man's first name bears her husband's
    ('Mrs. Rachel Lynde' bears her own)."""
    return (_title_of(title) == "Mrs") != (_title_of(other) == "Mrs") and given_name_side(first) == "he"


def _is_titled(name: str) -> bool:
    return name.split()[0].rstrip(".") in _TITLE_WORDS


def _female_only(group: Character) -> bool:
    """A woman by the group's titles, all a woman's ('Mrs. Frome'), or, without a title that tells, by its
    given names ('Mary Lennox': not her father 'Captain Lennox')."""
    sides = {_title_side(a.split()[0]) for a in group.aliases if _is_titled(a)} - {""}
    return sides == {"she"} if sides else _given_side(group) == "she"


def _given_side(group: Character) -> str:
    """'he' or 'she' when the group's given names ('Mary' of 'Mary Lennox', 'Emil') are all a man's or all a
    woman's; not a Mrs.'s ('Mrs. Alexander Spencer' bears her husband's), nor a surname said alone."""
    given = [
        _first_of_full(a) or (a if " " not in a and not _is_surname(a, group) else "")
        for a in group.aliases
        if not _is_titled(a) or _title_of(a.split()[0]) != "Mrs"
    ]
    sides = {given_name_side(g) for g in given if g}
    return sides.pop() if len(sides) == 1 else ""


def _is_surname(word: str, group: Character) -> bool:
    return any(len(a.split()) > 1 and a.split()[-1] == word for a in group.aliases)


def _only_woman_of(first: str, surname_firsts: set[str]) -> bool:
    """`first` is a woman's given name and every other given name seen with the surname a man's, or hers in
    another form ('Becky Sharp' and 'Rebecca Sharp' are one woman)."""
    others = {o for o in surname_firsts if not _one_first_name(o, first)}
    return given_name_side(first) == "she" and all(given_name_side(o) == "he" for o in others)


def _one_marriage(title: str, other: str) -> bool:
    """Two titles one person bears at once: not 'Miss' beside 'Mrs.' ('Miss March' is Mrs. March's daughter)."""
    return (title.rstrip(".") in _UNMARRIED_TITLES) == (other.rstrip(".") in _UNMARRIED_TITLES)


def _same_sex_titles(title: str, other: str) -> bool:
    """Two titles one person can bear: 'Brother' and 'Mr.', or any title beside an untitled name."""
    return len({_title_side(title), _title_side(other)} - {""}) <= 1


def _first_of_full(name: str) -> str:
    """'Tom' of 'Tom Sawyer' or 'Mr. Tom Sawyer'; '' for a name without a first name ('Mrs. Hawkins')."""
    words = _personal_words(name)
    return words[0] if len(words) > 1 else ""


def _same_first(short: str, full: str) -> bool:
    """One first name, or its short or pet form: 'Bill' and 'Billy', 'Tom' and 'Tommy', 'Huck' and 'Huckleberry',
    'Ben' and 'Benjamin' (a short form is the name's opening, three letters at least), and the English pet
    forms that are not an opening ('Jim' for James, 'Harry' for Henry)."""
    if short == full:
        return True
    if is_pet_form(short, full):
        return True
    return len(short) >= 3 and (full.startswith(short) or full in (short + "y", short + "ie", short + short[-1] + "y"))


def _one_first_name(one: str, other: str) -> bool:
    """Two forms of one first name, whichever is the short one: 'Becky' and 'Rebecca', 'Mint' and 'Minty'."""
    return _same_first(one, other) or _same_first(other, one)


def _pet_of(pet: str, full: str) -> bool:
    """'Dunsey' for Dunstan, 'Davy' for David: a pet ending on the name's opening (three letters at least),
    said only beside the same surname, where two brothers would not share that opening."""
    stem = re.sub(r"(?:ie|ey|y)$", "", pet)
    if len(stem) > 3 and stem[-1] == stem[-2]:
        stem = stem[:-1]  # 'Johnny' -> 'John'
    return stem != pet and len(stem) >= 3 and full.startswith(stem) and len(full) > len(stem)


def _first_name_genders(people: dict[str, list[int]], firsts: dict[str, set[str]]) -> dict[str, str]:
    """'he' or 'she' for a first name said after a title that tells ('Aunt Marilla', 'Mr. Matthew Cuthbert').

    'Mrs.' is left out: 'Mrs. Alexander Spencer' is her husband's first name.
    """
    known = {first for names in firsts.values() for first in names}
    votes: dict[str, set[str]] = {}
    for name in people:
        words = name.split()
        title = words[0].rstrip(".")
        bare = _personal_words(name)
        if _title_of(title) == "Mrs" or not bare or (len(bare) == 1 and bare[0] not in known):
            continue
        if title in _MALE_TITLES:
            votes.setdefault(bare[0], set()).add("he")
        elif title in _FEMALE_TITLES:
            votes.setdefault(bare[0], set()).add("she")
    return {first: side.pop() for first, side in votes.items() if len(side) == 1}


def _one_of_gender(title: str, first: str, surname_firsts: set[str], genders: dict[str, str]) -> bool:
    """`first` is the only first name with this surname that the title's sex fits, every other one known (by
    a title the text gives it, or else by the name itself: 'Mr. Bold' is John Bold, not Mary Bold)."""
    side = _title_side(title)

    def side_of(name: str) -> str:
        return genders.get(name) or given_name_side(name)

    if not side or side_of(first) != side:
        return False
    return all(side_of(other) not in ("", side) for other in surname_firsts - {first})


def _title_of(word: str) -> str:
    """One spelling per title: 'Dr.' and 'Doctor' -> 'Doctor', 'Mister' -> 'Mr'."""
    bare = word.rstrip(".")
    return _TITLE_FORMS.get(bare, bare)


def firsts_of(first: str, firsts: dict[str, set[str]]) -> set[str]:
    """The surnames seen with a first name ('Tessa' -> {'Moreau'})."""
    return {surname for surname, names in firsts.items() if first in names}


def _first_names(people: dict[str, list[int]]) -> dict[str, set[str]]:
    """Surname -> the first names seen with it ('Bennet' -> {'Jane', 'Elizabeth'}).

    A first name counts when it is someone's: said alone too, or its full name said
    twice. 'Whereat Scrooge' once at a sentence start, or 'Scrooge Scrooge', does not
    make a second Scrooge that would keep 'Scrooge' from 'Ebenezer Scrooge'.
    """
    alone = {name for name in people if " " not in name}
    firsts: dict[str, set[str]] = {}
    for name, idxs in people.items():
        bare = _personal_words(name)
        if len(bare) > 1 and bare[0] != bare[-1] and (bare[0] in alone or len(idxs) >= 2):
            firsts.setdefault(bare[-1], set()).add(bare[0])
    return firsts


def _common_characters(sentences: list[str], named: list[Character]) -> list[Character]:
    """Characters named by a common noun: Aesop's 'the Hare', a fable's 'the fox' or 'the old woman'.

    The noun must be animate (an animal or a person noun of the lexicon; 'man',
    'woman'... only with a modifier, which then tells two of them apart). A noun
    written with a capital ('the Tortoise') is used as a name and counts when it acts
    or recurs; a lower-case one when it acts and recurs, or recurs in three sentences,
    and, in a story that names two of its people or more, only when it acts twice
    ('the girl' said in passing there is someone named, or an extra). Acting is being
    a speaker ('said the crow'), the subject of a verb ('the fox returned', 'the Hare,
    lying down..., fell') or of 'who' ('the Tortoise, who replied'). Modifiers merge
    ('the old crow' is 'the crow'). A noun tied to one named character ('the fisherman
    Tomas Reyes', 'Mara Quill, the old keeper,', 'the King' with a 'King of Bohemia')
    is that character, not a new one.
    """
    by_alias = {alias: c for c in named for alias in c.aliases}
    groups: dict[str, Character] = {}
    sentence_sets: dict[str, set[int]] = {}
    acting: Counter[str] = Counter()
    capital: set[str] = set()
    links: dict[str, dict[str, Character]] = {}
    for idx, sentence in enumerate(sentences):
        for match in _ARTICLE_NOUN.finditer(sentence):
            noun = match.group("noun")
            adjectives = match.group("adj").split()
            if noun.lower() in GENERIC_PERSON_NOUNS and not adjectives:
                continue
            key = " ".join([*adjectives[-1:], noun.lower()]) if noun.lower() in GENERIC_PERSON_NOUNS else noun.lower()
            owner = _named_neighbour(sentence, match, by_alias)
            if owner is not None:
                links.setdefault(key, {})[owner.name] = owner
                if sentence[match.end() : match.end() + 1] != ",":
                    continue  # 'the fisherman Tomas Reyes' is a mention of Tomas Reyes
            group = groups.setdefault(key, Character(name=key))
            group.units.append(idx)
            group.mentions += 1
            if match.group("art").lower() != "the" and not noun[0].isupper():
                continue  # 'a hungry fox' places the fox in the scene but does not make it a character
            form = " ".join(["the", *adjectives, noun])
            group.aliases[form] = None
            sentence_sets.setdefault(key, set()).add(idx)
            if noun[0].isupper():
                capital.add(key)
            if _common_acts(sentence, match):
                acting[key] += 1
        for match in _BARE_APPOSITIVE.finditer(sentence):
            owner = by_alias.get(match.group("name"))
            if owner is not None:  # 'Taylor Plunkett, sheriff of Chatham County': the sheriff is Plunkett
                links.setdefault(match.group("noun").lower(), {})[owner.name] = owner
    title_owner = _title_owners(named)
    epithet_owner = _epithet_owners(sentences, by_alias)
    names_its_people = sum(1 for c in named if len(set(c.units)) >= 2) >= 2
    result = []
    for key, group in groups.items():
        recurs = len(sentence_sets.get(key, ()))
        if key in capital:
            qualifies = acting[key] > 0 or recurs >= 2
        elif names_its_people:
            qualifies = acting[key] >= ROLE_ACTS  # 'the girl' said in passing is someone named, or an extra
        else:
            qualifies = (acting[key] > 0 and recurs >= 2) or recurs >= 3
        linked = list(links.get(key, {}).values())
        target = (
            (linked[0] if len(linked) == 1 else None)
            or title_owner.get(key)
            # 'the blind man' is blind Pew; 'the young man' is not everyone the text calls 'young Hindley'
            or (
                epithet_owner.get(key.split()[0])
                if key.split()[-1] in GENERIC_PERSON_NOUNS and key.split()[0] not in ROLE_ADJECTIVES
                else None
            )
            or next((c for c in named if c.name.lower() == key), None)
        )
        if target is not None:
            target.units.extend(group.units)
            target.mentions += group.mentions
            for form in group.aliases:
                target.aliases.setdefault(form, None)
            continue
        if not qualifies:
            continue
        group.units = sorted(set(group.units))
        group.name = "The " + " ".join(w.capitalize() for w in key.split())
        group.common = True
        result.append(group)
    for c in named:
        c.units = sorted(set(c.units))
    return result


def _named_neighbour(sentence: str, match: re.Match[str], by_alias: dict[str, Character]) -> Character | None:
    """The named character a role noun is attached to: 'the fisherman Tomas Reyes', 'Mara Quill, the keeper,',
    'a weaver, named Silas Marner'."""
    after = _NAME.match(sentence, match.end() + 1) if sentence[match.end() : match.end() + 1] == " " else None
    if after and _POSSESSIVE.sub("", after.group(0)) in by_alias:
        return by_alias[_POSSESSIVE.sub("", after.group(0))]
    called = _CALLED.match(sentence, match.end())
    if called and called.group(1) in by_alias:
        return by_alias[called.group(1)]
    before = re.search(rf"((?:[{UPPER}][{LOWER}’'.]+\s)*[{UPPER}][{LOWER}’']+),\s*$", sentence[: match.start()])
    if before and before.group(1) in by_alias and sentence[match.end() : match.end() + 1] in (",", ".", ";"):
        return by_alias[before.group(1)]
    return None


def _common_acts(sentence: str, match: re.Match[str]) -> bool:
    if match.group("poss"):
        return False
    if _SPEECH_BEFORE.search(sentence[: match.start()]):
        return True
    rest = sentence[match.end() :]
    if re.match(r"\s*,\s*who\s+[a-z]+", rest):
        return True
    if rest[:1] == "," and not sentence[: match.start()].strip(" \t\n\"'“‘(—-_*"):
        return True  # 'The Hare, lying down by the wayside, fell fast asleep'
    following = re.match(r"\s+(?:(?:never|then|only|also|soon|still|just|once|[a-z]+ly)\s+)?([a-z]+)\b", rest)
    if not following:
        return False
    word = following.group(1)
    return word in _SUBJECT_VERBS or word in _PAST_VERBS or (word.endswith("ed") and len(word) > 4)


def _epithet_owners(sentences: list[str], by_alias: dict[str, Character]) -> dict[str, Character]:
    """'blind' -> Pew when the text says 'blind Pew' of him and of no one else: 'the blind man' is Pew."""
    owners: dict[str, dict[str, Character]] = {}
    for sentence in sentences:
        for match in _EPITHET.finditer(sentence):
            owner = by_alias.get(match.group(2))
            if owner is not None:
                owners.setdefault(match.group(1), {})[owner.name] = owner
    return {adj: next(iter(cs.values())) for adj, cs in owners.items() if len(cs) == 1}


# What a title says its bearer is, in the role nouns a text then calls them by.
_ROLE_OF_TITLE = {
    "father": ("priest",),
    "reverend": ("clergyman", "parson", "vicar", "rector", "curate", "minister", "chaplain"),
    "doctor": ("physician", "surgeon"),
    "inspector": ("detective",),
    "monsieur": ("frenchman",),
    "madame": ("frenchwoman",),
}


def _title_owners(named: list[Character]) -> dict[str, Character]:
    """'king' -> the one character titled King ('King of Bohemia'), when exactly one is, or one recurs."""
    owners: dict[str, list[Character]] = {}
    for c in named:
        titles = {_title_of(a.split()[0]).lower() for a in c.aliases if a.split()[0].rstrip(".") in _TITLE_WORDS}
        for title in titles:
            owners.setdefault(title, []).append(c)
    result = {}
    for title, cs in owners.items():
        recurring = [c for c in cs if len(set(c.units)) >= 2]  # not a 'King of Scandinavia' said in passing
        if len(cs) == 1 or len(recurring) == 1:
            result[title] = cs[0] if len(cs) == 1 else recurring[0]
    for title, roles in _ROLE_OF_TITLE.items():
        if title in result:
            for role in roles:
                result.setdefault(role, result[title])  # 'the priest' is Father Brown, 'the parson' Rev. Mr. Eager
    return result


def find_screenplay_characters(text: str, cues: list[tuple[str, int]], units: list[Unit]) -> list[Character]:
    """Speakers from the character cues, plus the full names they are introduced by in the action."""
    starts = [u.start for u in units]
    groups: dict[str, Character] = {}
    for raw, offset in cues:
        key = raw.upper()
        group = groups.setdefault(key, Character(name=_display(raw)))
        group.aliases[_display(raw)] = None
        group.units.append(max(0, bisect_right(starts, offset) - 1))
        group.mentions += 1
    _merge_screenplay_short_names(groups)
    caps_seen = dict.fromkeys(m.group(1) for u in units for m in _CAPS_INTRO.finditer(text, u.start, u.end))
    for key, group in groups.items():
        for caps in caps_seen:
            if caps != key and key in caps.split() and len(caps.split()) <= 3 and not _headingish(caps):
                group.aliases.setdefault(_display(caps), None)
    _add_mentions(text, units, groups)
    for group in groups.values():
        group.units = sorted(set(group.units))
        group.description = _describe_caps_intro(text, group)
    ordered = sorted(groups.values(), key=lambda c: (c.units[0], c.name))
    return ordered[:MAX_CHARACTERS]


def _headingish(caps: str) -> bool:
    return caps.split()[0].rstrip(".") in ("INT", "EXT", "EST", "CUT", "FADE", "I/E")


def _add_mentions(text: str, units: list[Unit], groups: dict[str, Character]) -> None:
    """Record the units where a screenplay character is named in the action, not only where they speak."""
    owner: dict[str, Character] = {}
    for group in groups.values():
        for alias in group.aliases:
            owner.setdefault(alias, group)
            owner.setdefault(alias.upper(), group)
    if not owner:
        return
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True)) + r")\b")
    for idx, u in enumerate(units):
        for match in pattern.finditer(text, u.start, u.end):
            group = owner[match.group(0)]
            if not group.units or group.units[-1] != idx:
                group.units.append(idx)


def _merge_screenplay_short_names(groups: dict[str, Character]) -> None:
    """'BOB' speaks in one scene and 'CYBER BOB' in another: the same person when only one name fits."""
    for key in sorted(groups, key=lambda k: (len(k.split()), k)):
        if len(key.split()) != 1 or key not in groups:
            continue
        longer = [k for k in groups if k != key and key in k.split()]
        if len(longer) == 1:
            target = groups[longer[0]]
            short = groups.pop(key)
            target.aliases.update(short.aliases)
            target.units.extend(short.units)
            target.mentions += short.mentions


def _display(raw: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in raw.split())


def _describe_caps_intro(text: str, group: Character) -> str:
    """The appositive after a character's first capitalised introduction: 'BOB, 40, a goofy man, ...'."""
    for alias in sorted(group.aliases, key=lambda a: (-len(a), a)):
        idx = text.find(alias.upper() + ",")
        if idx >= 0:
            sentence_end = re.search(r"[.!?](?:\s|$)", text[idx : idx + 400])
            chunk = text[idx + len(alias) + 1 : idx + (sentence_end.start() if sentence_end else 400)]
            return _appositive(chunk)
    return ""


def _appositive(chunk: str, *, prose: bool = False) -> str:
    """Leading comma-separated noun phrases: ', 40, a white man, goofy, strolls...' -> '40, a white man, goofy'.

    In prose, nothing when the phrases turn out to be a list ('Mr. Bingley, his two
    sisters, and another young man'), no vocative ('Lydia, my love') and no clause
    ('John, the coachman, to watch you'); a screenplay's capitalised introduction
    is a description by convention and is kept whole.
    """
    parts = [p.strip() for p in re.split(r",|--|—", " ".join(chunk.split()))]
    if prose and parts and _SENTENCE_END.search(parts[-1]):
        # 'Lady Margaret Graham, a pale and pretty girl with an elfish face.': the sentence's end closes it
        parts = [*parts[:-1], _SENTENCE_END.sub("", parts[-1]), ""]
    kept: list[str] = []
    for part in parts[:-1]:
        if prose:  # 'a fine open-faced young man who was to come into the land': the phrase ends at 'who'
            # and 'the lady to whom he was presenting a letter' at 'to whom'
            part = re.split(
                r"\s(?:(?:to|of|with|for|from|by|in|on|at|upon)\s++)?(?:who|whom|whose|which|that)\s", part, maxsplit=1
            )[0]
        words = part.split()
        first = words[0].lower() if words else ""
        # 'a choleric old man with a russet face like an apple': a being with its looks may run long
        drawn = _drawn_phrase(part.lower().split()[1 if first == "with" else 0 :])
        longest = APPOSITIVE_WORDS if first in ("a", "an", "with") and drawn else 7
        starts_phrase = (
            (first in _APPOSITIVE_START and not (prose and first in _VOCATIVE_START))
            or first[:1].isdigit()
            or is_appearance(first)
            # 'Matilda Cuvering, with the alert eyes of thirteen years old,'
            or (prose and not kept and first == "with" and bool(LOOKS_NOUNS & set(part.lower().split())))
        )
        continues = (
            bool(kept)
            and first[:1].islower()
            and (not prose or (len(words) <= 3 and first not in STOPWORDS and not first.endswith("ed")))
        ) or (prose and bool(kept) and first in ("with", "in") and bool(LOOKS_NOUNS & set(part.lower().split())))
        if (
            not words
            or len(words) > longest
            or any(q in part for q in '"“”‘’')
            or "said" in words
            or not (starts_phrase or continues)
        ):
            break
        kept.append(part)
    rest = parts[len(kept)] if len(kept) < len(parts) else ""
    if (
        prose
        and kept
        and rest.split()[:1] in (["and"], ["or"])
        and rest.split()[1:2] not in _CLAUSE_SUBJECTS
        and not LOOKS_NOUNS & set(rest.lower().split()[:5])
    ):
        return ""  # a list of people, not 'Greta, a tall girl, and he boasted...' nor '…, and a forehead barred…'

    return ", ".join(kept)


def _drawable_appositive(appositive: str) -> str:
    """The parts of an appositive an artist can draw: 'the old keeper', 'a tall man', 'grey-haired', not
    'his ancient antagonist' or 'a psychological phenomenon': a noun phrase must name a being or a look."""
    kept = []
    for part in appositive.split(", "):
        words = part.lower().split()
        if words and words[0] in _APPOSITIVE_START and not _drawn_phrase(words):
            continue
        kept.append(part)
    return ", ".join(kept)


def _drawn_phrase(words: list[str]) -> bool:
    """A noun phrase an artist can draw: it names a being, a garment or a part of the body ('the old
    keeper'), or its head is qualified by a look ('a ragged old drunkard', 'a giant of a man'); not 'his
    ancient antagonist', 'a psychological phenomenon of no small interest' or 'a short time before'."""
    head = list(itertools.takewhile(lambda w: w not in _PREPOSITIONS, words[:8]))
    if set(head) & _DRAWN_NOUNS:
        return True
    after_of = words[len(head) : len(head) + 4]
    if after_of[:1] == ["of"] and set(after_of[1:]) & _DRAWN_NOUNS:
        return True  # 'a ruin of a man', 'a wisp of a girl'
    if len(head) > 1 and head[-1] in BEING_NOUNS and any(w in _SIZE_WORDS for w in head[:-1]):
        return True  # 'a little brunette of thirty': a person's size is a look
    return len(head) > 1 and not set(head) & ABSTRACT_HEADS and any(is_appearance(w) for w in head[:-1])


def _describe(
    character: Character,
    sentences: list[str],
    owners: dict[int, set[str]] | None = None,
    told: list[str] | None = None,
    introduced: list[str] | None = None,
) -> str:
    """The looks the text states for a character, from wherever it states them, never from a neighbour.

    Read: an appositive after the name ('Mara Quill, the old keeper,'), a role noun
    right before it ('the fisherman Tomas Reyes'), appearance words a few tokens before
    it ('the tall Holmes'), the clause after it with a describing verb ('Holmes was a
    thin man with...', 'Anna wore a red cloak'), an introduction before the name is
    first said ('A tall man in a denim jacket came down the stairs. ... "I'm Dev"'),
    and a 'He was a...' sentence right after one that names only this character.
    Nothing from a mention inside a quotation ('Hello, Tom, old man' is a greeting),
    nor from a sentence that names someone else first.
    """
    owners = owners or {}
    found: dict[str, None] = {}
    roles: dict[str, None] = {}
    phrases: dict[str, None] = {}
    features: dict[str, None] = {}
    things: dict[str, None] = {}  # 'wiped his spectacles': drawn after the described features, if room is left
    intro = ""
    # Proper names first, so that 'Mara Quill, the old keeper,' is read from the name.
    aliases = sorted(character.aliases, key=lambda a: (a.startswith("the "), -len(a)))
    for alias in aliases:
        if character.common:  # 'the old crow': the modifiers are the crow's
            found.update((w, None) for w in alias.lower().split() if is_appearance(w))
        elif alias.startswith("the ") and alias.split()[-1].lower() not in character.name.lower():
            roles[" ".join(alias.split()[1:])] = None  # 'the keeper', joined through an appositive
    side = "" if character.common else _pronoun_side(character, sentences, owners)
    for looks in introduced or []:
        phrases[looks] = None
    for idx in character.units[:60]:
        sentence = sentences[idx]
        for alias in aliases:
            # 'Mrs. Clay' is also written 'Mrs Clay' (British usage)
            said = re.escape(alias).replace(r"\.", r"\.?")
            match = re.search(rf"(?<![A-Za-z]){said}(?![a-z])", sentence, re.IGNORECASE)
            if not match:
                continue
            title_before = sentence[max(0, match.start() - 12) : match.start()].split()[-1:]
            if (
                title_before
                and title_before[0].rstrip(".") in _TITLE_WORDS
                and f"{title_before[0]} {alias}" not in character.aliases
            ):
                continue  # 'Cratchit' inside 'Mrs. Cratchit' is his wife, not him
            if _inside_quotation(sentence, match.start()):
                if _SELF_NAMED.search(sentence[max(0, match.start() - 14) : match.end()]):
                    follow = _pronoun_description(idx, sentences, owners, character.name, "", side)
                    stated = _pronoun_looks(follow)
                    if stated and len(phrases) < 3:
                        phrases[stated] = None
                break  # a vocative or a name in someone's speech: 'Hello, Tom, old man'
            kind = _KIND_NAMED.search(sentence[max(0, match.start() - 60) : match.start()])
            if kind and kind.end() == min(match.start(), 60):
                phrases.setdefault("a " + kind.group(1), None)  # 'a dragon named Cinder'
            after = sentence[match.end() :]
            if not intro and after[:1] == ",":
                intro = _drawable_appositive(_appositive(after[1:], prose=True))  # the first one an artist can draw
            spans = [_modifiers_before(sentence[: match.start()])]
            role = None if character.common else _ROLE_BEFORE.search(sentence[: match.start()])
            if role and len(roles) < 2:
                roles[" ".join(role.group(0).split()[1:])] = None  # 'the fisherman Tomas Reyes' -> fisherman
            role_then = _ROLE_THEN.match(after)  # 'The Duke of Chester, the vice-president, was a young…'
            told_of = after[role_then.end() :] if role_then else after
            verb = _VERB_AFTER_NAME.match(told_of)  # 'Holmes was…', 'Tiny Tim, he bore a little crutch'
            verb_word, clause_at = (verb.group(1), verb.end(1)) if verb else ("", 0)
            if verb and verb_word in ("had", "has") and (verb.group(2) or "").strip() == "been":
                verb_word, clause_at = "was", verb.end(2)  # 'Anne Elliot had been a very pretty girl'
            age = _AGE_STATED.match(told_of)
            if age and len(phrases) < 3:
                phrases[age.group("age")] = None  # 'Marguerite Blakeney was then scarcely five-and-twenty'
            own = frozenset(w for a in aliases for w in a.split())
            dressed = _DRESSED_IN.search(_until_someone_else(after, own))
            possessive = bool(_POSSESSIVE.match(after[:2]))  # 'Cratchit's wife, dressed…' is hers
            if dressed and not possessive and not _inside_quotation(after, dressed.start()) and len(phrases) < 3:
                phrases["wearing " + dressed.group(1)] = None  # 'Mrs. Cratchit, …, dressed out but poorly in a gown'
            if (
                verb
                and verb_word in _DESCRIBING_VERBS
                and (
                    verb_word not in ("had", "has")
                    or (verb.group(2) or "").strip() in {"a", "an", "the", "no"}
                    or is_appearance((verb.group(2) or "").strip())
                )
            ):
                clause = _clause_head(told_of[clause_at:], 14)
                if verb_word not in ("had", "has") or not CHARACTER_NOUNS & set(clause.lower().split()):
                    spans.append(clause)  # not 'had a daughter named Greta, a tall girl': those are her looks
                    if _is_looks_phrase(clause, verb_word) and len(phrases) < 3:
                        phrases[_looks_text(verb_word, clause)] = None
            alone = (
                not (owners.get(idx, set()) - {character.name})
                and not _POSSESSIVE.match(sentence[match.end() : match.end() + 2])  # 'Scrooge's nephew'
                and not _ARTICLE_NOUN.search(sentence, match.end())
            )
            if idx == character.units[0] or not sentence[: match.start()].strip(" \t\n\"'“‘(—-_*") or alone:
                follow = _pronoun_description(idx, sentences, owners, character.name, sentence[match.end() :], side)
                if follow:
                    spans.append(follow)
                    stated = _pronoun_looks(follow)
                    if stated and len(phrases) < 3:
                        phrases[stated] = None
            subject = not sentence[: match.start()].strip(" \t\n\"'“‘(—-_*")
            others = owners.get(idx, set()) - {character.name}
            if (not character.common or subject) and not others and len(features) < 4:
                clause = _until_someone_else(sentence[match.end() :])
                following = sentences[idx + 1] if idx + 1 < len(sentences) and not owners.get(idx + 1) else ""
                if (
                    clause != sentence[match.end() :]
                    or _ARTICLE_NOUN.search(following)
                    or _LOOKED_AT.match(sentence, match.end())
                ):
                    following = ""  # 'Scrooge kept the coal-box … the clerk came in. The clerk put on his comforter'
                about, pronouns = clause + " " + following, _SIDE_PRONOUNS.get(side, ())
                for feature in _possessive_features(about, pronouns):
                    features.setdefault(feature, None)  # 'nipped his pointed nose, shrivelled his cheek'
                for thing in _worn_or_carried(about, pronouns):
                    things.setdefault(thing, None)
            for word in re.findall(r"[a-z][a-z-]+", " ".join(spans).lower()):
                if is_appearance(word) and len(found) < MAX_DESCRIPTORS:
                    found[word] = None
            break
    stated = " ".join([intro, *phrases])
    for feature in told or []:
        if len(features) < 4 and feature not in stated and not any(feature in f or f in feature for f in features):
            features[feature] = None
    role_text = ", ".join(r for r in roles if r not in intro)
    said_so_far = set(re.findall(r"[a-z-]+", " ".join([stated, *features]).lower()))
    worn = [t for t in things if t not in said_so_far]
    feature_text = ", ".join([*list(features)[:4], *worn[:MAX_WORN]])
    said = " ".join([intro, *phrases, feature_text]).lower()
    loose = ", ".join(w for w in found if w not in said and w not in BODY_PARTS)
    pieces = [p for p in (intro, *phrases, feature_text, role_text, loose) if p]
    return "; ".join(dict.fromkeys(pieces))


def _paragraph_looks(
    characters: list[Character], sentences: list[str], units: list[Unit], owners: dict[int, set[str]]
) -> dict[str, list[str]]:
    """Looks the narration states in a paragraph about one character: 'The cold within him froze his old
    features, nipped his pointed nose…', 'It was clothed in one simple deep green robe'.

    A paragraph counts for a character when it is the first one named or met there (by
    name or by its common noun), alone in its sentence, and until someone else is named
    or met; from its first mention on, the his/her/its features
    and the 'He was…' / 'It wore…' sentences outside quotations are that character's,
    when the pronoun fits what the text calls the character elsewhere (a man is 'he').
    """
    present: dict[int, set[str]] = {}
    for c in characters:
        for u in c.units:
            present.setdefault(u, set()).add(c.name)
    side = {c.name: _pronoun_side(c, sentences, owners) for c in characters}
    by_name = {c.name: c for c in characters}
    told: dict[str, list[str]] = {}
    starts = [i for i, u in enumerate(units) if i == 0 or u.para_start] + [len(units)]
    for a, b in itertools.pairwise(starts):
        first = next((i for i in range(a, b) if present.get(i)), b)
        if first == b or len(present[first]) != 1:
            continue
        (name,) = present[first]
        pronouns = _SIDE_PRONOUNS.get(side[name], ())
        if not pronouns:
            continue
        looks = told.setdefault(name, [])
        own = {a.split()[-1].lower() for a in by_name[name].aliases}
        for i in range(first, b):
            sentence = sentences[i]
            if present.get(i, set()) - {name}:
                break  # from here on the paragraph may be about someone else
            described = _PRONOUN_DESCRIBED.match(sentence)
            newcomer = any(
                m.group("noun").lower() not in own
                # 'He was a huge fellow, as fat as he was tall': the predicate is him, not someone new
                and not (described and i > first and m.start() <= described.end() + 1)
                for m in _ARTICLE_NOUN.finditer(sentence)
            )
            if any(_LOOKED_AT.match(sentence, m.end()) for m in _NAME.finditer(sentence)):
                newcomer = True  # 'Lord Henry looked at him. …his finely curved scarlet lips': the other man's
            if len(looks) >= 4 or newcomer:
                break  # 'a man stepped in … He was a pale, tallowy creature': the newcomer's looks
            if described and i > first and described.group(0).split()[-2].lower() in pronouns:
                verb, clause = _looks_clause(sentence[described.end() :], described.group(0).split()[-1].lower())
                if _is_looks_phrase(clause, verb) and not by_name[name].common:
                    looks.append(_looks_text(verb, _clause_head(clause, 12)))
            for match in _PRONOUN_FEATURE.finditer(sentence):
                if match.group(1).lower() in pronouns and not _inside_quotation(sentence, match.start()):
                    words = match.group(2).lower().split()
                    if len(words) >= 2 and all(w not in STOPWORDS for w in words):
                        looks.append(" ".join(words))
            looks.extend(_predicate_features(sentence, pronouns))
    return {name: list(dict.fromkeys(looks))[:4] for name, looks in told.items() if looks}


_BUILD_NOUNS = frozenset(["size", "height", "stature", "build", "figure", "frame", "complexion"])
_OF_A_BUILD = re.compile(rf"of\s+an?\s+[^.;]*?\b(?:{'|'.join(sorted(_BUILD_NOUNS))})\b")
_SIDE_PRONOUNS = {"he": ("he", "his"), "she": ("she", "her"), "it": ("it", "its")}
_PRONOUN_FEATURE = re.compile(
    rf"\b(his|her|its|His|Her|Its)\s++((?:[a-z-]++,?\s++){{1,3}}(?:{_LOOKS_NOUN_RE}))(?![\w-])"
)
_DRESSED = re.compile(r"\s*+(?:dressed|clothed|clad|wrapped|shrouded)\s++in\s++")


def _looks_clause(rest: str, verb: str) -> tuple[str, str]:
    """'was clothed in a green robe' reads as 'wearing a green robe'."""
    dressed = _DRESSED.match(rest)
    if verb == "was" and dressed:
        return "wearing", rest[dressed.end() :]
    return verb, rest


def _pronoun_side(character: Character, sentences: list[str], owners: dict[int, set[str]]) -> str:
    """'he', 'she' or 'it': the pronoun the text uses in the sentences that name only this character."""
    titles = {a.split()[0].rstrip(".") for a in character.aliases}
    by_title = "he" if titles & _MALE_TITLES and not titles & _FEMALE_TITLES else ""
    by_title = "she" if titles & _FEMALE_TITLES and not titles & _MALE_TITLES else by_title
    by_name = by_title or ("" if character.common else _given_side(character))
    if by_name:
        return by_name  # 'Mr. Beebe' is a he, however often the sentences naming him speak of a she
    votes: Counter[str] = Counter()
    for idx in character.units[:80]:
        if owners.get(idx, set()) - {character.name}:
            continue
        words = set(re.findall(r"[a-z]+", sentences[idx].lower()))
        votes["he"] += bool(words & {"he", "him", "his", "himself"})
        votes["she"] += bool(words & {"she", "her", "hers", "herself"})
        votes["it"] += bool(words & {"it", "its", "itself"}) and character.common
    if not votes:
        return ""
    (top, count), *rest = [*votes.most_common(2), ("", 0)]
    return top if count > 0 and count >= 2 * rest[0][1] else ""


def _until_someone_else(text: str, own: frozenset[str] = frozenset()) -> str:
    """The text after a name up to the next person it names ('… and the clerk came in with his shovel');
    words of the character's own name ('Mrs. Cratchit, Cratchit's wife,') are not someone else."""
    cut = len(text)
    person = _ARTICLE_NOUN.search(text)
    if person and person.group("noun").lower() not in ANIMAL_NOUNS:
        cut = person.start()
    other = next((m for m in _OTHER_NAME.finditer(text, 1, cut) if m.group(0) not in own), None)
    if other:
        cut = other.start()
    return text[:cut]


def _possessive_features(text: str, pronouns: tuple[str, ...] = ()) -> list[str]:
    """'his pointed nose', 'her torn red shawl' in the clause about a character: the body part or
    garment with the words that describe it (at least one), outside quotations; with `pronouns`, only
    theirs ('her long narrow head' is not Mr. Beebe's)."""
    out = []
    for match in _POSSESSIVE_FEATURE.finditer(text):
        pronoun = match.group("pronoun") or ""
        if (pronouns and pronoun and pronoun not in pronouns) or _inside_quotation(text, match.start()):
            continue
        words = match.group(2).lower().split()
        if len(words) >= 2 and all(w not in STOPWORDS and (is_appearance(w) or not w.endswith("ly")) for w in words):
            out.append(" ".join(words))
    out.extend(_predicate_features(text, pronouns or None))
    return out


def _worn_or_carried(text: str, pronouns: tuple[str, ...] = ()) -> list[str]:
    """'wiped his spectacles', 'flourishing her ear-trumpet': a thing worn or carried, drawn as it is, outside
    quotations; with `pronouns`, only theirs."""
    return [
        match.group("thing").lower()
        for match in _POSSESSION.finditer(text)
        if (not pronouns or match.group("pronoun") in pronouns) and not _inside_quotation(text, match.start())
    ]


def _predicate_features(text: str, pronouns: tuple[str, ...] | None = None) -> list[str]:
    """'His face was tattooed all over' -> 'tattooed face', 'her hair was grey and thin' -> 'grey and thin
    hair', outside quotations; with `pronouns`, only for those ('his' for a man)."""
    out = []
    for match in _PREDICATE_FEATURE.finditer(text):
        pronoun = (match.group("pronoun") or "").lower()
        if (pronouns is not None and pronoun and pronoun not in pronouns) or _inside_quotation(text, match.start()):
            continue
        said = re.split(r",\s*|\s+and\s+", match.group("said"))
        kept = list(itertools.takewhile(lambda w: w not in STOPWORDS and not w.endswith("ing"), said))
        if kept:
            out.append(f"{' and '.join(kept)} {match.group('noun').lower()}")
    return out


def _inside_quotation(sentence: str, pos: int) -> bool:
    return bool(_open_quotation(sentence[:pos]))


def _open_quotation(text: str) -> str:
    """The mark of a quotation `text` opens and does not close ('"' or '“'), or ''."""
    return '"' if text.count('"') % 2 else "“" if text.count("“") > text.count("”") else ""


def _is_looks_phrase(clause: str, verb: str = "was") -> bool:
    """'a thin man with round spectacles', 'tall and pale', 'a red cloak': looks, not 'a mistake' or 'a small fire'.

    After 'had'/'wore' the phrase must name something worn or a part of the body; after
    'was' it must open with an article or an appearance word and hold an appearance word.
    """
    words = clause.lower().replace(",", " ").split()
    while words and not is_appearance(words[0]) and (words[0] in _DEGREE_WORDS or words[0].endswith("ly")):
        words.pop(0)  # 'very tall and strong', 'plainly blind' (not 'burly' or 'curly': those are looks)
    if not words:
        return False
    if verb in ("had", "has", "wore", "wearing", "bore", "carried"):
        head = list(itertools.takewhile(lambda w: w not in _PREPOSITIONS, words[:8]))
        described = [w for w in head if w not in _APPOSITIVE_START and w not in LOOKS_NOUNS]
        # 'had a red beard', 'wore a cloak', not 'had enough recollection of the face' nor 'had eyes upon him'
        return any(w in LOOKS_NOUNS and (w not in BODY_PARTS or described) for w in head)
    if words[:1] == ["of"] and words[1:2] in (["a"], ["an"]):  # 'was of a comfortable, substantial size'
        return any(w in _BUILD_NOUNS for w in words[2:7])
    if words[0] in ("a", "an"):  # 'a thin man with…', 'a giant', not 'a psychological phenomenon of no small interest'
        return _drawn_phrase(words) and any(is_appearance(w) for w in words[:12])
    return is_appearance(words[0]) and any(is_appearance(w) for w in words[:8])


def _pronoun_looks(sentence: str) -> str:
    """The looks a 'He was a thin boy…' / 'She had been a very pretty girl' sentence states, or ''."""
    words = sentence.split(None, 3)
    if len(words) >= 3 and words[1].lower() in ("had", "has") and words[2].lower() == "been":
        words = [words[0], "was", *words[3:]]  # 'had been remarkably handsome' states looks as 'was' does
    else:
        words = sentence.split(None, 2)
    if len(words) == 3 and words[0].lower() in ("he", "she") and (age := _AGE_STATED.match(" " + " ".join(words[1:]))):
        return age.group("age")  # 'He was fifty-one', 'She was then scarcely eighteen'
    if len(words) != 3 or not _is_looks_phrase(words[2], words[1].lower()):
        return ""
    return _looks_text(words[1].lower(), words[2])


def _looks_text(verb: str, clause: str) -> str:
    """The stated looks as a prompt phrase: 'wore a red cloak' stays a verb phrase, 'was a tall man' a noun one."""
    clause = clause.strip(" ,;:")
    if verb in ("wore", "wearing"):
        return "wearing " + clause
    if verb in ("had", "has", "bore", "carried"):
        return "with " + clause
    build = _OF_A_BUILD.match(clause)
    return build.group(0) if build else clause  # 'of a comfortable, substantial size', not what follows


def _introductions(
    characters: list[Character], sentences: list[str], owners: dict[int, set[str]]
) -> dict[str, list[str]]:
    """Looks from an introduction: 'A very stout, portly man in a grey suit strode into the room. He was
    red-faced, burly and plethoric…' belongs to the newcomer, the next character named who was not
    named just before (so not to the people already in the room).

    The introduction is the first indefinite person phrase of a sentence, as its subject ('There stood
    a small man with a very high head'), outside quotations, stating looks; the person noun must fit
    the newcomer's pronoun (a 'man' is not Marilla), and a 'He was…' sentence right after it adds to it.
    """
    by_name = {c.name: c for c in characters if not c.common}
    sides: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    for idx, sentence in enumerate(sentences):
        match = _newcomer(sentence)
        if match is None:
            continue
        phrase = _before_verb(_clause_head(match.group(0), 14))
        if not _is_looks_phrase(phrase):
            continue
        noun_side = _NOUN_SIDE.get(match.group("noun").lower(), "")
        present = {n for j in range(max(0, idx - PRESENT_BEFORE), idx + 1) for n in owners.get(j, ())}
        newcomers: set[str] = set()
        for nxt in range(idx + 1, min(len(sentences), idx + 1 + INTRODUCTION_REACH)):
            if noun_side and _SIDE_OPENING[noun_side].match(sentences[nxt]):
                present |= owners.get(nxt, set())  # 'He was closely followed by … Thaddeus Sholto': someone else
                continue
            newcomers = owners.get(nxt, set()) - present
            if newcomers:
                break
        if len(newcomers) > 1:  # 'said Holmes' to the newcomer: of two, the one not named for longer is new
            newcomers -= {n for j in range(max(0, idx - 5 * PRESENT_BEFORE), idx) for n in owners.get(j, ())}
        if len(newcomers) != 1:
            continue
        (name,) = newcomers
        if name in found or name not in by_name:
            continue
        if name not in sides:
            sides[name] = _pronoun_side(by_name[name], sentences, owners)
        if sides[name] and noun_side and noun_side != sides[name]:
            continue  # 'a stout woman came in' is not Mr. Jones
        looks = [phrase[0].lower() + phrase[1:]]
        follow = _pronoun_description(idx, sentences, owners, name, "", sides[name]) if sides[name] else ""
        stated = _pronoun_looks(follow)
        if stated:
            looks.append(stated)
        found[name] = looks
    return found


def _first_seen_as(character: Character, sentences: list[str]) -> list[str]:
    """A common-noun character's looks where the story first brings it in: 'a poor little girl, with bare
    head and naked feet, roamed through the streets' is the little match girl the text then calls 'the girl'."""
    noun = character.name.lower().split()[-1]
    for idx in range(max(0, character.units[0] - INTRODUCTION_REACH), character.units[0] + 1):
        sentence = sentences[idx]
        for match in _INDEFINITE_PERSON.finditer(sentence):
            if match.group("noun").lower() != noun or _inside_quotation(sentence, match.start()):
                continue
            after = sentence[match.end("noun") :]
            if not _INTRODUCTION_GOES_ON.match(after):
                continue  # 'an old shoemaker's wife', 'teach an old dog new tricks'
            phrase = _before_verb(_clause_head(match.group(0), 14)).rstrip(" ,")
            phrase = _TRAILING_PARTICIPLE.sub("", phrase).rstrip(" ,")  # '…in a Welsh wig, sitting'
            return [phrase[0].lower() + phrase[1:]] if _is_looks_phrase(phrase) else []
    return []


# What may follow the noun of an introduction: nothing, a comma, or a phrase about the same being.
_INTRODUCTION_GOES_ON = re.compile(
    r"$|[,;.!?—]|\s++(?:with|in|of|dressed|clad|wearing|leaning|carrying|holding|who|out|came|stood|sat|was|had)\b"
)
_TRAILING_PARTICIPLE = re.compile(r",\s*+[a-z]{2,}?ing$")


def _newcomer(sentence: str) -> re.Match[str] | None:
    """'A small man stood in the doorway', 'there stood a small man', '…, and a stout man strode in': an
    indefinite person that is the subject of a clause of its own, outside quotations (not 'I fancied
    myself a remarkable young woman', nor 'hopping like a bird')."""
    match = _INDEFINITE_PERSON.search(sentence)
    if match is None or _inside_quotation(sentence, match.start()):
        return None
    opening = not sentence[: match.start()].strip(" \"“‘'(")
    there = _THERE_BEFORE.search(sentence[max(0, match.start() - 20) : match.start()]) or _PLACE_THEN_VERB.match(
        sentence[: match.start()]
    )
    previous = sentence[: match.start()].split()[-1:]
    head = _clause_head(match.group(0), 14)
    subject = (opening or there) and not (previous and previous[0].lower() in _PREPOSITIONS)
    return match if subject and _before_verb(head) != head else None


def _before_verb(phrase: str) -> str:
    """'A tall man in a denim jacket came down the stairs' -> 'A tall man in a denim jacket'."""
    words = phrase.split()
    for i, word in enumerate(words[2:], start=2):
        bare = word.lower().strip(",")
        verb_like = bare in _PAST_VERBS or bare in _SUBJECT_VERBS or (bare.endswith("ed") and "-" not in bare)
        if verb_like and words[i - 1].lower() not in ("a", "an", "the", "in", "with", "and", "of"):
            return " ".join(words[:i]).rstrip(",")
    return phrase


def _pronoun_description(
    idx: int,
    sentences: list[str],
    owners: dict[int, set[str]],
    name: str,
    rest_of_sentence: str,
    side: str = "",
) -> str:
    """'He was a thin boy with a torn grey coat.' in the next two sentences, when only `name` is named there.

    Not when the naming sentence puts someone else after the name ('Lord Henry looked at him. Yes, he was
    certainly wonderfully handsome': the one looked at), nor when the pronoun is not the character's
    (`side`: a man's looks are not in 'She wore a faded sailor hat').
    """
    rest = rest_of_sentence.replace(name, "")
    if _OTHER_PERSON.search(rest) and owners.get(idx, set()) - {name}:
        return ""
    if _LOOKED_AT.match(rest_of_sentence):
        return ""
    for nxt in range(idx + 1, min(len(sentences), idx + 3)):
        if owners.get(nxt, set()) - {name}:
            return ""
        if nxt > idx + 1 and (
            any(m.group("noun").lower() not in ANIMAL_NOUNS for m in _ARTICLE_NOUN.finditer(sentences[nxt - 1]))
            or _newcomer(sentences[nxt - 1])
        ):
            return ""  # 'I sat down beside Voss and the barman. He was a thin man': the barman's looks
        match = _PRONOUN_DESCRIBED.match(sentences[nxt])
        if match:
            pronoun = match.group(0).split()[-2].lower()
            if side and pronoun != side:
                return ""
            described = _ASIDE.sub(r"\1 ", sentences[nxt][match.start() :].strip(" \"“‘'"), count=1)
            return _clause_head(described, 16)
    return ""


def _modifiers_before(text: str) -> str:
    """The run of up to three content words right before a name ('the tall, thin Holmes' -> 'tall thin')."""
    kept: list[str] = []
    for word in reversed(text.split()[-4:]):
        bare = word.strip(",").lower()
        if (not bare.isalpha() and "-" not in bare) or bare in STOPWORDS or word.endswith((".", ";", ":", "!", "?")):
            break
        kept.append(bare)
        if len(kept) == 3:
            break
    return " ".join(reversed(kept))


def _clause_head(text: str, words: int) -> str:
    """The first words of a clause, up to its end or a quotation."""
    clause = re.split(
        r"[;.!?\"“”()—]|,\s+(?:and|but|while|when|who|which)\b"
        r"|\b(?:beside|near|behind|next|by|to|at|toward|towards|from|for|than|like|whom)\b",
        text,
    )[0]
    return " ".join(clause.split()[:words])
