"""Word lists shared by the cue detectors, the describers and the character finder."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say one upon shall may might must much many also yet ever never
    every again still well even though thus indeed quite rather little great good very come came go went
    made make know knew think thought see saw look looked like time way thing things mr mrs miss""".split()
)

TIME_OF_DAY = {
    "dawn": ("dawn", "daybreak", "sunrise", "cockcrow"),
    "morning": ("morning", "breakfast", "forenoon"),
    "noon": ("noon", "midday", "luncheon", "lunch"),
    "afternoon": ("afternoon",),
    "evening": ("evening", "dusk", "sunset", "twilight", "dinner", "supper", "nightfall"),
    "night": ("night", "midnight", "moonlight", "moonlit", "tonight", "starlight"),
}

MOODS = {
    "joyful": "joy joyful happy happily delight delighted laugh laughed laughing laughter smile smiled merry cheerful glad celebrate celebration dance danced",
    "romantic": "love loved lover kiss kissed heart darling tender tenderly embrace embraced beloved romance blush blushed",
    "tense": "tense nervous anxious anxiety urgent hurry hurried uneasy worry worried pressure sharp tension",
    "suspenseful": "suddenly silence silent creep crept waiting wait hidden hide hid watch watched shadow shadows",
    "fearful": "fear afraid terror terrified horror scream screamed panic trembling trembled dread frightened",
    "ominous": "dark darkness storm threat menace doom ominous cold grim danger dangerous",
    "melancholic": "sad sadness sorrow grief tears wept weep cry cried alone lonely mourn loss lost funeral",
    "angry": "angry anger rage furious shout shouted yell yelled slam slammed fight fought hate hated",
    "mysterious": "mystery mysterious strange secret secrets puzzle riddle unknown curious clue whisper whispered",
    "peaceful": "quiet calm peace peaceful gentle gently soft softly still serene rest sunlight breeze",
    "humorous": "joke joked funny absurd ridiculous grin grinned chuckle chuckled silly comic",
    "hopeful": "hope hoped hopeful dream dreams promise wish wished bright future",
    "triumphant": "victory won win triumph triumphant cheer cheered hero glory proud",
    "action-packed": "run ran chase chased explode explosion crash crashed shot shoot gun punch leap leapt speed",
    "solemn": "solemn grave gravely serious duty honour honor oath prayer church",
}
MOOD_OF_WORD = {w: mood for mood, words in MOODS.items() for w in words.split()}

PLACE_NOUNS = frozenset(
    """kitchen garden gardens forest wood woods castle house home room bedroom parlour parlor drawing-room
    library study hall ballroom street road lane square market village town city field fields meadow
    river lake sea shore beach harbour harbor ship boat deck cave mountain hill hills valley bridge church
    chapel palace tower dungeon inn tavern pub bar cafe restaurant office shop store station train carriage
    coach cottage cabin hut farm barn stable school classroom hospital prison cell court courtroom park
    desert island jungle camp tent attic cellar basement stairs staircase corridor garage roof window
    door gate yard porch balcony terrace bank museum theatre theater hotel apartment flat factory
    temple shrine well pond swamp marsh cliff cliffs clearing glade orchard vineyard mill lighthouse reef
    wayside roadside coast bay heath moor grove thicket den lair burrow pasture stream brook pier quay
    wharf dock courtyard chamber""".split()
)
# Parts of a building a character passes by or touches, not a setting to draw a scene in.
PLACE_FIXTURES = frozenset("door doors window windows gate stairs staircase".split())

ANIMAL_NOUNS = frozenset(
    """fox crow wolf lion lioness mouse hare tortoise turtle ant grasshopper dog cat kitten puppy bird bear
    rabbit frog toad goose duck duckling hen cock rooster lamb sheep goat kid horse donkey ass mule ox bull
    cow calf pig boar mole owl eagle hawk kite snake serpent stork crane heron monkey ape elephant tiger
    leopard deer stag hind fawn mice rat weasel ferret badger otter beaver squirrel hedgehog bat lark
    nightingale sparrow swallow raven jackdaw magpie peacock swan dove pigeon parrot fly bee wasp gnat
    spider crab fish whale dolphin camel dragon unicorn""".split()
)
PERSON_NOUNS = frozenset(
    """king queen prince princess emperor empress witch wizard giant dwarf fairy troll ogre farmer miller
    woodcutter fisherman fishermen shepherd shepherdess merchant soldier knight sailor captain hunter
    huntsman tailor cobbler shoemaker baker blacksmith smith carpenter beggar thief robber peasant maiden
    girl boy child stranger traveller traveler priest monk nun doctor keeper innkeeper landlord landlady
    servant maid cook gardener nurse widow ferryman boatman pilot guard sentry sheriff judge mayor
    stepmother stepdaughter stepsister musician piper fiddler minister courtier chamberlain weaver swindler
    official""".split()
)
# Nouns that name a person only with a modifier: 'the old woman' is a character, 'the man' is any man,
# and in a novel 'the mother' or 'the wife' is someone already named.
GENERIC_PERSON_NOUNS = frozenset(
    """man woman lady gentleman person fellow mother father daughter son wife husband grandmother grandfather
    bride bridegroom""".split())
CHARACTER_NOUNS = ANIMAL_NOUNS | PERSON_NOUNS | GENERIC_PERSON_NOUNS
ROLE_ADJECTIVES = frozenset(
    """old young little big wise poor rich wicked good clever hungry proud tiny brave grey gray white black
    red kind cruel foolish sly lazy greedy beautiful ugly""".split()
)

APPEARANCE = frozenset(
    """tall short thin slim slender stout fat plump lean gaunt broad muscular small tiny huge giant
    old young elderly aged youthful pale fair dark tanned freckled bald bearded grey gray white black
    blond blonde brunette red-haired dark-haired fair-haired golden silver curly long-haired
    handsome beautiful pretty lovely ugly plain elegant shabby ragged wrinkled scarred lame
    beard moustache mustache spectacles glasses cloak coat hat gown dress uniform armour armor
    blue-eyed brown-eyed green-eyed grey-eyed red brown ginger bushy shaggy glossy spotted striped
    feathered furry hairy hooded masked barefoot hunched crooked""".split()
)
APPEARANCE_NOUNS = frozenset(
    "beard moustache mustache spectacles glasses cloak coat hat gown dress uniform armour armor giant".split())

TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Doctor", "Sir", "Lady", "Lord", "King", "Queen", "Prince",
    "Princess", "Captain", "Capt", "Colonel", "Col", "General", "Professor", "Prof", "Uncle", "Aunt",
    "Father", "Mother", "Sister", "Brother", "Saint", "Inspector", "Madame", "Monsieur", "Count",
    "Countess", "Duke", "Duchess", "Baron", "Emperor", "Empress", "Sergeant", "Lieutenant", "Detective",
    "Mister", "Missus", "Master", "Dame", "Reverend", "Rev",
)
TITLE_RE = "|".join(TITLES)

NOT_NAMES = frozenset(
    """I The A An He She It We They You His Her Its Our Their My Your This That These Those There Here
    When Then But And Or So If As At In On Of To For By With From Into Upon After Before While Yes No
    Not Oh Ah Well Now What Who Why How Where Which Nothing Something Everything Everyone Nobody All
    Some Any Each Every One Two Three Chapter Part Book Section Volume Act Scene Prologue Epilogue
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December God Heaven Lord Sir Madam Christmas Easter
    English French German Italian Spanish Russian American British Dear Good Pray Perhaps Indeed
    Mr Mrs Miss Ms Dr Let Do Does Did Is Was Are Were Have Has Had Will Would Shall Should Can Could
    May Might Must Such Very Only Even Still Just Yet Though Although Because Unless Until Since
    Whether Like Once Thus Hence However Therefore Meanwhile Besides Also Again Never Always Soon
    Later Today Tomorrow Yesterday Tonight Mrs. Mr. Dr. OK Okay Hello Hi Hey Please Thank Thanks
    Why Yeah Alas Hush Ha Hm Hmm Majesty Highness Excellency Lordship Ladyship Sire Precisely Exactly
    Certainly Quite Nonsense Capital Excellent Really Surely St Mt
    England Europe London France Paris America Scotland Ireland Wales Africa Asia India China Rome INT EXT EST CUT FADE THE END DAY NIGHT CONTINUOUS""".split()
)

PLACE_PREPOSITIONS = frozenset("at in to from near into towards toward through across inside outside reached entered".split())
PLACE_SUFFIXES = frozenset(
    """Street Park Hall House Road Lane Square Castle Abbey Court Lodge Place Town City River Mountain
    Forest Palace Church Station Hotel Inn Avenue Bridge Manor Farm Wood Woods Hill Island Bay Harbour
    Harbor Gardens Terrace Row Crescent Cathedral Tower Gate Valley Lake Sea Ocean Rock Point Cove Head
    Cape Cliffs Falls Creek Heath Moor""".split()
)

WORD_RE = re.compile(r"[A-Za-z][a-z'’-]*|[A-Z]+")
LOWER_WORD_RE = re.compile(r"[a-z][a-z'’-]+")


def stem(word: str) -> str:
    """A crude suffix stripper: enough to match 'walked'/'walks'/'walking' for cohesion."""
    for suffix in ("ingly", "edly", "ing", "ed", "ies", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word
