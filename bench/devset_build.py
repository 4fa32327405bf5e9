"""Rebuild story/tests/data/devset/ from plain-text Project Gutenberg editions.

    .venv/bin/python bench/devset_build.py --mirror /work/.mirror [--check]

Each work is read from a `gutenbergbooks/<n>` repository (a git snapshot at the
commit recorded in SOURCES.md). The Gutenberg header and licence are cut, hard
wrapped lines are joined into one line per paragraph (paragraphs separated by a
blank line, as a writer pastes them), `_italic_` marks and `[Illustration]`
(or `[Picture: ...]`) lines are dropped, and every author's chapter, part,
stave or numbered-section heading (with its subtitle line) is removed; the gold
boundary is the first paragraph after each removed heading, exactly like
../shared/eval's prose documents. A work may name paragraphs to leave out
wherever they stand (`drop`: epigraphs, printed footnotes, a tale's subtitle)
and marks to cut from every paragraph (`scrub`: footnote marks). Long novels keep their first `segments`
chapters. A collection (`titles`) joins the named tales, with a boundary at
each tale.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "story" / "tests" / "data" / "devset"
LICENSE = (
    "Public domain in the USA (Project Gutenberg eBook #{n}; the repository's LICENSE.txt: "
    "'confirmed to be in the PUBLIC DOMAIN IN THE UNITED STATES')"
)
GITENBERG_LICENSE = (
    "Public domain in the USA (Project Gutenberg eBook #{n}; the GITenberg repository's metadata.yaml: "
    "'rights: Public domain in the USA.')"
)

_HEADING_LINE = re.compile(
    r"^(?:(?:CHAPTER|Chapter|STAVE|PART|STORY\s+THE)\b.{0,90}|(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH)\s+STORY"
    r"|[IVXL]{1,6}\.?|\d{1,3}\.?)$"
)
_GUTENBERG = re.compile(r"Project Gutenberg|Transcriber's note|^\+-{5}", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019']?$")


@dataclass(frozen=True)
class Work:
    id: str
    gutenberg: int
    author: str
    title: str
    genre: str  # novel | novella | short_story | fairy_tale | collection
    start: str  # regex of the line where the body starts (its `skip`-th match)
    skip: int = 0
    end: str | None = None  # regex of the first line after the body
    segments: int = 99  # keep at most this many chapters
    drop_after: int = 0  # paragraphs after each heading that belong to it (a chapter argument)
    titles: tuple[str, ...] = field(default_factory=tuple)  # a collection: these tales, in this order
    path: str = ""  # the text's path in the repository when it is not <n>-0.txt
    repo: str = ""  # the mirror when it is not gutenbergbooks/<n> (GITenberg's)
    drop: str = ""  # regex of paragraphs left out wherever they stand (epigraphs, footnotes, a tale's subtitle)
    scrub: str = ""  # regex cut out of every paragraph (footnote marks)

    @property
    def text_path(self) -> str:
        return self.path or f"{self.gutenberg}-0.txt"

    @property
    def repository(self) -> str:
        return self.repo or f"gutenbergbooks/{self.gutenberg}"


WORKS: tuple[Work, ...] = (
    Work(
        "dv_austen_persuasion_ch1_8",
        105,
        "Jane Austen",
        "Persuasion, chapters 1-8",
        "novel",
        r"^CHAPTER I\.$",
        skip=1,
        segments=8,
    ),
    Work(
        "dv_stevenson_treasure_island_ch1_8",
        120,
        "Robert Louis Stevenson",
        "Treasure Island, chapters 1-8",
        "novel",
        r"^PART ONE--",
        segments=8,
    ),
    Work(
        "dv_james_turn_of_the_screw_ch0_8",
        209,
        "Henry James",
        "The Turn of the Screw, prologue and I-VIII",
        "novella",
        r"^The story had held us",
        segments=9,
    ),
    Work(
        "dv_doyle_sign_of_four_ch1_6",
        2097,
        "Arthur Conan Doyle",
        "The Sign of the Four, chapters 1-6",
        "novel",
        r"^Chapter I$",
        segments=6,
    ),
    Work("dv_conrad_heart_of_darkness", 219, "Joseph Conrad", "Heart of Darkness", "novella", r"^I$"),
    Work("dv_dickens_christmas_carol", 24022, "Charles Dickens", "A Christmas Carol", "novella", r"^STAVE ONE$"),
    Work(
        "dv_andersen_snow_queen",
        27200,
        "Hans Christian Andersen",
        "The Snow Queen (in seven stories)",
        "fairy_tale",
        r"^STORY THE FIRST$",
        end=r"^THE SNOWDROP$",
        drop_after=1,
    ),
    Work(
        "dv_montgomery_anne_ch1_8",
        45,
        "L. M. Montgomery",
        "Anne of Green Gables, chapters 1-8",
        "novel",
        r"^CHAPTER I\.",
        segments=8,
    ),
    Work(
        "dv_wharton_ethan_frome_ch0_5",
        4517,
        "Edith Wharton",
        "Ethan Frome, prologue and I-V",
        "novella",
        r"^I had the story, bit by bit",
        segments=6,
    ),
    Work(
        "dv_crane_open_boat",
        45524,
        "Stephen Crane",
        "The Open Boat",
        "short_story",
        r"^\s*I\s*$",
        end=r"^\s*A MAN AND SOME OTHERS\s*$",
    ),
    Work(
        "dv_crane_man_and_some_others",
        45524,
        "Stephen Crane",
        "A Man and Some Others",
        "short_story",
        r"^\s*A MAN AND SOME OTHERS\s*$",
        end=r"^\s*THE BRIDE COMES TO YELLOW SKY\s*$",
    ),
    Work(
        "dv_crane_bride_yellow_sky",
        45524,
        "Stephen Crane",
        "The Bride Comes to Yellow Sky",
        "short_story",
        r"^\s*THE BRIDE COMES TO YELLOW SKY\s*$",
        end=r"^\s*THE WISE MEN\s*$",
    ),
    Work(
        "dv_crane_death_and_the_child",
        45524,
        "Stephen Crane",
        "Death and the Child",
        "short_story",
        r"^\s*DEATH AND THE CHILD\s*$",
        end=r"^\s*(?:Part II|AN EXPERIMENT IN MISERY)\s*$",
    ),
    Work(
        "dv_eliot_silas_marner_ch1_6",
        550,
        "George Eliot",
        "Silas Marner, chapters 1-6",
        "novel",
        r"^CHAPTER I\.$",
        skip=1,
        segments=6,
    ),
    Work(
        "dv_twain_tom_sawyer_ch1_8",
        74,
        "Mark Twain",
        "The Adventures of Tom Sawyer, chapters 1-8",
        "novel",
        r"^CHAPTER I$",
        segments=8,
    ),
    Work(
        "dv_wilde_dorian_gray_ch1_6",
        174,
        "Oscar Wilde",
        "The Picture of Dorian Gray, chapters 1-6",
        "novel",
        r"^CHAPTER I\.$",
        skip=1,
        segments=6,
    ),
    Work(
        "dv_melville_moby_dick_ch1_12",
        2701,
        "Herman Melville",
        "Moby-Dick, chapters 1-12",
        "novel",
        r"^CHAPTER 1\. Loomings\.$",
        skip=1,
        segments=12,
    ),
    Work(
        "dv_swift_gulliver_lilliput_ch1_5",
        829,
        "Jonathan Swift",
        "Gulliver's Travels, Lilliput, chapters 1-5",
        "novel",
        r"^CHAPTER I\.$",
        segments=5,
        drop_after=1,
    ),
    Work(
        "dv_poe_tales",
        2148,
        "Edgar Allan Poe",
        "Four tales (The Black Cat; The Masque of the Red Death; The Cask of Amontillado; The Tell-Tale Heart)",
        "collection",
        r"^THE BLACK CAT\.?$",
        skip=1,
        titles=("THE BLACK CAT", "THE MASQUE OF THE RED DEATH", "THE CASK OF AMONTILLADO", "THE TELL-TALE HEART"),
    ),
    Work(
        "dv_andersen_short_tales",
        27200,
        "Hans Christian Andersen",
        "Five short tales (The Emperor's New Suit; "
        "The Little Match-seller; The Princess and the Pea; The Red Shoes; The Swineherd)",
        "collection",
        r"^THE EMPEROR'S NEW SUIT$",
        titles=(
            "THE EMPEROR'S NEW SUIT",
            "THE PRINCESS AND THE PEA",
            "THE LITTLE MATCH-SELLER",
            "THE SWINEHERD",
            "THE RED SHOES",
        ),
    ),
    # Round 5: works by authors new to the set, the held-out split from then on.
    Work(
        "dv_grahame_wind_willows_ch1_5",
        27805,
        "Kenneth Grahame",
        "The Wind in the Willows, chapters 1-5",
        "novel",
        r"^I$",
        segments=5,
    ),
    Work(
        "dv_hardy_tess_ch1_8",
        110,
        "Thomas Hardy",
        "Tess of the d'Urbervilles, chapters 1-8",
        "novel",
        r"^I$",
        segments=8,
    ),
    Work(
        "dv_dostoevsky_crime_punishment_ch1_5",
        2554,
        "Fyodor Dostoevsky",
        "Crime and Punishment, part I, chapters 1-5",
        "novel",
        r"^CHAPTER I$",
        segments=5,
    ),
    Work(
        "dv_alcott_little_women_ch1_6",
        37106,
        "Louisa May Alcott",
        "Little Women, chapters 1-6",
        "novel",
        r"^I\.$",
        segments=6,
        path="37106.txt",
        repo="GITenberg/Little-Women--Or-Meg-Jo-Beth-and-Amy_37106",
    ),
    Work(
        "dv_nesbit_book_of_dragons",
        23661,
        "E. Nesbit",
        "The Book of Dragons, five tales (The Book of Beasts; Uncle James, or The Purple Stranger; "
        "The Deliverers of Their Country; The Ice Dragon, or Do as You Are Told; The Island of the Nine Whirlpools)",
        "collection",
        r"^I\. The Book of Beasts$",
        end=r"^\[Illustration: VI$",
        titles=(
            "I. THE BOOK OF BEASTS",
            "II. UNCLE JAMES, OR THE PURPLE STRANGER",
            "III. THE DELIVERERS OF THEIR COUNTRY",
            "IV. THE ICE DRAGON, OR DO AS YOU ARE TOLD",
            "V. THE ISLAND OF THE NINE WHIRLPOOLS",
        ),
    ),
    Work(
        "dv_ohenry_whirligigs",
        1595,
        "O. Henry",
        "Five tales from Whirligigs (The World and the Door; The Theory and the Hound; "
        "The Whirligig of Life; The Roads We Take; A Blackjack Bargainer)",
        "collection",
        r"^I$",
        titles=(
            "I THE WORLD AND THE DOOR",
            "II THE THEORY AND THE HOUND",
            "XII THE WHIRLIGIG OF LIFE",
            "XIV THE ROADS WE TAKE",
            "XV A BLACKJACK BARGAINER",
        ),
    ),
    Work(
        "dv_chopin_bayou_folk",
        46650,
        "Kate Chopin",
        "Five tales from Bayou Folk "
        "(In Sabine; Beyond the Bayou; A Rude Awakening; Désirée's Baby; Love on the Bon-Dieu)",
        "collection",
        r"^IN SABINE\.$",
        titles=("IN SABINE", "BEYOND THE BAYOU", "A RUDE AWAKENING", "DÉSIRÉE'S BABY", "LOVE ON THE BON-DIEU"),
    ),
    # Round 6: six more works by authors new to the set (GITenberg's mirrors), the new held-out split.
    Work(
        "dv_burnett_secret_garden_ch1_6",
        113,
        "Frances Hodgson Burnett",
        "The Secret Garden, chapters 1-6",
        "novel",
        r"^CHAPTER I$",
        segments=6,
        drop_after=1,
        path="113-0.txt",
        repo="GITenberg/The-Secret-Garden_113",
    ),
    Work(
        "dv_bronte_wuthering_heights_ch1_6",
        768,
        "Emily Brontë",
        "Wuthering Heights, chapters 1-6",
        "novel",
        r"^CHAPTER I$",
        segments=6,
        path="768.txt",
        repo="GITenberg/Wuthering-Heights_768",
    ),
    Work(
        "dv_buchan_thirty_nine_steps_ch1_5",
        558,
        "John Buchan",
        "The Thirty-Nine Steps, chapters 1-5",
        "novel",
        r"^CHAPTER ONE$",
        segments=5,
        path="558.txt",
        repo="GITenberg/The-Thirty-Nine-Steps_558",
    ),
    Work(
        "dv_gaskell_cranford_ch1_5",
        394,
        "Elizabeth Gaskell",
        "Cranford, chapters 1-5",
        "novel",
        r"^CHAPTER I—OUR SOCIETY$",
        segments=5,
        path="394-0.txt",
        repo="GITenberg/Cranford_394",
    ),
    Work(
        "dv_chesterton_father_brown",
        204,
        "G. K. Chesterton",
        "Four tales from The Innocence of Father Brown "
        "(The Blue Cross; The Secret Garden; The Queer Feet; The Flying Stars)",
        "collection",
        r"^The Blue Cross$",
        skip=1,
        end=r"^The Invisible Man$",
        titles=("THE BLUE CROSS", "THE SECRET GARDEN", "THE QUEER FEET", "THE FLYING STARS"),
        path="204-0.txt",
        repo="GITenberg/The-Innocence-of-Father-Brown_204",
    ),
    Work(
        "dv_kipling_just_so_stories",
        2781,
        "Rudyard Kipling",
        "Seven tales from Just So Stories (How the Whale Got His Throat; How the Camel Got His Hump; "
        "How the Rhinoceros Got His Skin; How the Leopard Got His Spots; The Elephant's Child; "
        "The Sing-Song of Old Man Kangaroo; The Beginning of the Armadillos)",
        "collection",
        r"^HOW THE WHALE GOT HIS THROAT$",
        skip=1,
        titles=(
            "HOW THE WHALE GOT HIS THROAT",
            "HOW THE CAMEL GOT HIS HUMP",
            "HOW THE RHINOCEROS GOT HIS SKIN",
            "HOW THE LEOPARD GOT HIS SPOTS",
            "THE ELEPHANT\u2019S CHILD",
            "THE SING-SONG OF OLD MAN KANGAROO",
            "THE BEGINNING OF THE ARMADILLOS",
        ),
        path="2781-0.txt",
        repo="GITenberg/Just-So-Stories_2781",
    ),
    # Round 7: six more works by authors new to the set, the new held-out split.
    Work(
        "dv_wells_invisible_man_ch1_9",
        5230,
        "H. G. Wells",
        "The Invisible Man, chapters 1-9",
        "novel",
        r"^CHAPTER I$",
        segments=9,
        path="5230.txt",
        repo="GITenberg/The-Invisible-Man--A-Grotesque-Romance_5230",
    ),
    Work(
        "dv_jerome_three_men_boat_ch1_6",
        308,
        "Jerome K. Jerome",
        "Three Men in a Boat, chapters 1-6",
        "novel",
        r"^CHAPTER I\.$",
        segments=6,
        drop_after=1,
        path="308-0.txt",
        repo="GITenberg/Three-Men-in-a-Boat_308",
    ),
    Work(
        "dv_forster_room_with_view_ch1_5",
        2641,
        "E. M. Forster",
        "A Room with a View, chapters 1-5",
        "novel",
        r"^Chapter I$",
        end=r"^Chapter VI$",  # chapter VI's heading runs past 120 characters; stop before it
    ),
    Work(
        "dv_cather_o_pioneers_ch1_8",
        24,
        "Willa Cather",
        "O Pioneers!, part I (chapters I-V) and part II, chapters I-III",
        "novel",
        r"^PART I\. The Wild Land$",
        segments=8,
        path="24-0.txt",
        repo="GITenberg/O-Pioneers-_24",
    ),
    Work(
        "dv_saki_beasts_super_beasts",
        269,
        "Saki",
        "Seven tales from Beasts and Super-Beasts (The She-Wolf; Laura; The Boar-Pig; The Open Window; "
        "The Schartz-Metterklume Method; The Story-Teller; The Lumber Room)",
        "collection",
        r"^THE SHE-WOLF$",
        titles=(
            "THE SHE-WOLF",
            "LAURA",
            "THE BOAR-PIG",
            "THE OPEN WINDOW",
            "THE SCHARTZ-METTERKLUME METHOD",
            "THE STORY-TELLER",
            "THE LUMBER ROOM",
        ),
        path="269-0.txt",
        repo="GITenberg/Beasts-and-Super-Beasts_269",
    ),
    Work(
        "dv_hawthorne_twice_told_tales",
        13707,
        "Nathaniel Hawthorne",
        "Five tales from Twice-Told Tales (The Gray Champion; The Wedding-Knell; "
        "Mr. Higginbotham's Catastrophe; Wakefield; Dr. Heidegger's Experiment)",
        "collection",
        r"^THE GRAY CHAMPION\.$",
        titles=(
            "THE GRAY CHAMPION",
            "THE WEDDING-KNELL",
            "MR. HIGGINBOTHAM'S CATASTROPHE",
            "WAKEFIELD",
            "DR. HEIDEGGER'S EXPERIMENT",
        ),
        path="13707.txt",
        repo="GITenberg/Twice-Told-Tales_13707",
    ),
    # Round 8: six more works by authors new to the set (GITenberg's mirrors), the new held-out split.
    Work(
        "dv_trollope_warden_ch1_6",
        619,
        "Anthony Trollope",
        "The Warden, chapters 1-6",
        "novel",
        r"^Chapter I$",
        segments=6,
        path="619.txt",
        repo="GITenberg/The-Warden_619",
    ),
    Work(
        "dv_hope_prisoner_of_zenda_ch1_8",
        95,
        "Anthony Hope",
        "The Prisoner of Zenda, chapters 1-8",
        "novel",
        r"^CHAPTER 1$",
        segments=8,
        path="95-0.txt",
        repo="GITenberg/The-Prisoner-of-Zenda_95",
    ),
    Work(
        "dv_orczy_scarlet_pimpernel_ch1_7",
        60,
        "Baroness Orczy",
        "The Scarlet Pimpernel, chapters 1-7",
        "novel",
        r"^CHAPTER I PARIS: SEPTEMBER, 1792$",
        segments=7,
        path="60-0.txt",
        repo="GITenberg/The-Scarlet-Pimpernel_60",
    ),
    Work(
        "dv_woolf_night_and_day_ch1_5",
        1245,
        "Virginia Woolf",
        "Night and Day, chapters 1-5",
        "novel",
        r"^CHAPTER I$",
        segments=5,
        path="1245-0.txt",
        repo="GITenberg/Night-and-Day_1245",
    ),
    Work(
        "dv_chekhov_lady_with_dog_tales",
        13415,
        "Anton Chekhov",
        "Five tales from The Lady with the Dog and Other Stories "
        "(A Doctor's Visit; An Upheaval; The Head of the Family; Volodya; The Husband)",
        "collection",
        r"^A DOCTOR'S VISIT$",
        skip=1,
        titles=("A DOCTOR'S VISIT", "AN UPHEAVAL", "THE HEAD OF THE FAMILY", "VOLODYA", "THE HUSBAND"),
        path="13415.txt",
        repo="GITenberg/The-Lady-with-the-Dog-and-Other-Stories_13415",
    ),
    Work(
        "dv_irving_sketch_book_tales",
        2048,
        "Washington Irving",
        "Four tales from The Sketch-Book of Geoffrey Crayon "
        "(The Wife; Rip Van Winkle; The Spectre Bridegroom; The Legend of Sleepy Hollow)",
        "collection",
        r"^THE WIFE\.$",
        titles=("THE WIFE", "RIP VAN WINKLE", "THE SPECTRE BRIDEGROOM", "THE LEGEND OF SLEEPY HOLLOW"),
        # the tales' subtitles and verse epigraphs, and the footnotes printed inside the text
        drop=r"^(?:A POSTHUMOUS WRITING OF|A TRAVELLER\u2019S TALE|\(FOUND AMONG THE PAPERS)"
        r"|(?:MIDDLETON|CARTWRIGHT|SIR GRAY-STEEL)\.$|Castle of Indolence$|^[*+] ",
        scrub=r"(?<=[\w.,;\u2019\u201d])[*+]+(?=\s|$)|\(\*\)",  # "a wiser (*)man": a mark with no note
        path="2048-0.txt",
        repo="GITenberg/The-Sketch-Book-of-Geoffrey-Crayon_2048",
    ),
    # Round 9: six more works by authors new to the set (GITenberg's mirrors), the new held-out split.
    Work(
        "dv_arnim_enchanted_april_ch1_5",
        16389,
        "Elizabeth von Arnim",
        "The Enchanted April, chapters 1-5",
        "novel",
        r"^It began in a Woman's Club in London",  # chapter 1 has no heading
        segments=5,
        path="16389.txt",
        repo="GITenberg/The-Enchanted-April_16389",
    ),
    Work(
        "dv_wiggin_rebecca_ch1_8",
        498,
        "Kate Douglas Wiggin",
        "Rebecca of Sunnybrook Farm, chapters 1-8",
        "novel",
        r"^I$",
        segments=8,
        drop_after=1,  # each chapter's title ('"WE ARE SEVEN"' would read as text)
        path="498.txt",
        repo="GITenberg/Rebecca-of-Sunnybrook-Farm_498",
    ),
    Work(
        "dv_grey_riders_purple_sage_ch1_5",
        1300,
        "Zane Grey",
        "Riders of the Purple Sage, chapters 1-5",
        "novel",
        r"^CHAPTER I\. LASSITER$",
        segments=5,
        path="1300-0.txt",
        repo="GITenberg/Riders-of-the-Purple-Sage_1300",
    ),
    Work(
        "dv_collins_moonstone_ch1_8",
        155,
        "Wilkie Collins",
        "The Moonstone, first period, chapters 1-8",
        "novel",
        r"^CHAPTER I$",
        skip=4,  # the contents list it four times
        segments=8,
        path="155-0.txt",
        repo="GITenberg/The-Moonstone_155",
    ),
    Work(
        "dv_mansfield_garden_party_tales",
        1429,
        "Katherine Mansfield",
        "Six tales from The Garden Party and Other Stories (The Garden Party; Mr. and Mrs. Dove; "
        "Life of Ma Parker; Marriage \u00e0 la Mode; The Voyage; Miss Brill)",
        "collection",
        r"^2\. THE GARDEN PARTY\.$",
        titles=(
            "2. THE GARDEN PARTY",
            "4. MR. AND MRS. DOVE",
            "6. LIFE OF MA PARKER",
            "7. MARRIAGE A LA MODE",
            "8. THE VOYAGE",
            "9. MISS BRILL",
        ),
        path="1429-0.txt",
        repo="GITenberg/The-Garden-Party-and-Other-Stories_1429",
    ),
    Work(
        "dv_wodehouse_my_man_jeeves",
        8164,
        "P. G. Wodehouse",
        "Four tales from My Man Jeeves "
        "(Leave It to Jeeves; Jeeves and the Unbidden Guest; Absent Treatment; Helping Freddie)",
        "collection",
        r"^LEAVE IT TO JEEVES$",
        skip=1,
        titles=("LEAVE IT TO JEEVES", "JEEVES AND THE UNBIDDEN GUEST", "ABSENT TREATMENT", "HELPING FREDDIE"),
        path="8164.txt",
        repo="GITenberg/My-Man-Jeeves_8164",
    ),
    # Round 10: six more works by authors new to the set (GITenberg's mirrors), the new held-out split.
    Work(
        "dv_thackeray_vanity_fair_ch1_5",
        599,
        "William Makepeace Thackeray",
        "Vanity Fair, chapters 1-5",
        "novel",
        r"^CHAPTER I$",
        segments=5,
        drop_after=1,  # each chapter's title ('In Which Miss Sharp and Miss Sedley Prepare to Open the Campaign')
        path="599.txt",
        repo="GITenberg/Vanity-Fair_599",
    ),
    Work(
        "dv_verne_around_world_ch1_13",
        103,
        "Jules Verne",
        "Around the World in Eighty Days, chapters 1-13",
        "novel",
        r"^Chapter I$",
        segments=13,
        drop_after=1,  # each chapter's 'IN WHICH ...' title, some past is_subtitle's 80 characters
        path="103.txt",
        repo="GITenberg/Around-the-World-in-80-Days_103",
    ),
    Work(
        "dv_tarkington_ambersons_ch1_6",
        8867,
        "Booth Tarkington",
        "The Magnificent Ambersons, chapters 1-6",
        "novel",
        r"^Chapter I$",
        segments=6,
        path="8867-0.txt",
        repo="GITenberg/The-Magnificent-Ambersons_8867",
    ),
    Work(
        "dv_burroughs_princess_mars_ch1_8",
        62,
        "Edgar Rice Burroughs",
        "A Princess of Mars, chapters 1-8",
        "novel",
        r"^CHAPTER I$",  # after the foreword
        segments=8,
        path="62.txt",
        repo="GITenberg/A-Princess-of-Mars_62",
    ),
    Work(
        "dv_hornung_amateur_cracksman_tales",
        706,
        "E. W. Hornung",
        "Four tales from The Amateur Cracksman "
        "(A Costume Piece; Gentlemen and Players; Le Premier Pas; The Return Match)",
        "collection",
        r"^A COSTUME PIECE$",
        skip=1,
        # not Wilful Murder nor Nine Points of the Law: a shouted '"I?"' or '"WHAT?"' would read as a title
        titles=("A COSTUME PIECE", "GENTLEMEN AND PLAYERS", "LE PREMIER PAS", "THE RETURN MATCH"),
        path="706.txt",
        repo="GITenberg/The-Amateur-Cracksman_706",
    ),
    Work(
        "dv_mrjames_antiquary_tales",
        8486,
        "M. R. James",
        "Four tales from Ghost Stories of an Antiquary "
        "(Canon Alberic's Scrap-Book; Lost Hearts; The Mezzotint; The Ash-tree)",
        "collection",
        r"^CANON ALBERIC'S SCRAP-BOOK$",
        titles=("CANON ALBERIC'S SCRAP-BOOK", "LOST HEARTS", "THE MEZZOTINT", "THE ASH-TREE"),
        # Canon Alberic's three footnotes (the third, on the inscription, runs to three paragraphs)
        drop=r"^\[\d\] |^Saint Bertrand, who puttest|^The 'Gallia Christiana' gives",
        scrub=r"(?<=\S)\[\d\]",  # and their marks
        path="8486.txt",
        repo="GITenberg/Ghost-Stories-of-an-Antiquary_8486",
    ),
    # Round 11: six more works by authors new to the set (GITenberg's mirrors), the new held-out split.
    Work(
        "dv_abronte_agnes_grey_ch1_6",
        767,
        "Anne Brontë",
        "Agnes Grey, chapters 1-6",
        "novel",
        r"^CHAPTER I—THE PARSONAGE$",
        segments=6,
        path="767-0.txt",
        repo="GITenberg/Agnes-Grey_767",
    ),
    Work(
        "dv_sabatini_captain_blood_ch1_5",
        1965,
        "Rafael Sabatini",
        "Captain Blood, chapters 1-5",
        "novel",
        r"^CHAPTER I\. THE MESSENGER$",
        segments=5,
        path="1965-0.txt",
        repo="GITenberg/Captain-Blood_1965",
    ),
    Work(
        "dv_spyri_heidi_ch1_5",
        1448,
        "Johanna Spyri",
        "Heidi, chapters 1-5",
        "novel",
        r"^CHAPTER I\. UP THE MOUNTAIN TO ALM-UNCLE$",
        segments=5,
        path="1448.txt",
        repo="GITenberg/Heidi_1448",
    ),
    Work(
        "dv_jewett_pointed_firs_ch1_10",
        367,
        "Sarah Orne Jewett",
        "The Country of the Pointed Firs, chapters 1-10",
        "novel",
        r"^I\. The Return$",
        end=r"^XI\. The Old Singers$",
        # a heading with its title on the numeral's line ('I. The Return') is not one _HEADING_LINE matches,
        # so the chapters are named, as The Book of Dragons' tales are
        titles=(
            "I. THE RETURN",
            "II. MRS. TODD",
            "III. THE SCHOOLHOUSE",
            "IV. AT THE SCHOOLHOUSE WINDOW",
            "V. CAPTAIN LITTLEPAGE",
            "VI. THE WAITING PLACE",
            "VII. THE OUTER ISLAND",
            "VIII. GREEN ISLAND",
            "IX. WILLIAM",
            "X. WHERE PENNYROYAL GREW",
        ),
        path="367.txt",
        repo="GITenberg/The-Country-of-the-Pointed-Firs_367",
    ),
    Work(
        "dv_maupassant_original_short_stories",
        3077,
        "Guy de Maupassant",
        "Six tales from Original Short Stories, volume I (Two Friends; The Prisoners; Two Little Soldiers; "
        "Father Milon; A Coup d'Etat; Mademoiselle Fifi)",
        "collection",
        r"^TWO FRIENDS$",
        skip=1,  # after the contents list
        titles=(
            "TWO FRIENDS",
            "THE PRISONERS",
            "TWO LITTLE SOLDIERS",
            "FATHER MILON",
            "A COUP D'ETAT",
            "MADEMOISELLE FIFI",
        ),
        path="3077.txt",
        repo="GITenberg/Original-Short-Stories---Volume-01_3077",
    ),
    Work(
        "dv_garland_main_travelled_roads",
        2809,
        "Hamlin Garland",
        "Four tales from Main-Travelled Roads "
        "(Under the Lion's Paw; The Creamery Man; Mrs. Ripley's Trip; Uncle Ethan Ripley)",
        "collection",
        r"^UNDER THE LION'S PAW$",
        # the first etext (2809.txt): 2809-0.txt, the later Border Edition, gives Under the Lion's Paw
        # numbered sections and its titles in mixed case; not A Day's Pleasure nor the tales with sections
        titles=("UNDER THE LION'S PAW", "THE CREAMERY MAN", "MRS. RIPLEY'S TRIP", "UNCLE ETHAN RIPLEY"),
        # each tale's quoted epigraph
        drop=r'^"(?:Along the main-travelled road trailed|Along these woods in storm|And in winter the winds'
        r"|Like the Main-Travelled Road of Life)",
        path="2809.txt",
        repo="GITenberg/Main-Travelled-Roads_2809",
    ),
)


def gutenberg_text(mirror: Path, repository: str, path: str) -> tuple[str, str]:
    repo = mirror / repository.replace("/", "+") / "repo"
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    raw = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    start = re.search(r"^\*\*\* ?START OF TH(?:E|IS) PROJECT GUTENBERG.*$", text, re.M)
    end = re.search(r"^\*\*\* ?END OF TH(?:E|IS) PROJECT GUTENBERG.*$", text, re.M)
    return text[start.end() if start else 0 : end.start() if end else len(text)], commit


def body_lines(text: str, work: Work) -> list[str]:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if re.search(work.start, line.strip())]
    first = starts[work.skip]
    last = len(lines)
    if work.end:
        last = next(i for i in range(first + 1, len(lines)) if re.search(work.end, lines[i]))
    return lines[first:last]


def paragraphs(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def clean(par: list[str]) -> str:
    joined = " ".join(par)
    joined = re.sub(r"\[(?:Illustration|Picture:)[^\]]*\]", "", joined)
    joined = re.sub(r"(?<!\w)_(?=\S)|(?<=\S)_(?!\w)", "", joined)
    return re.sub(r"\s+", " ", joined).strip()


def is_heading(par: list[str], work: Work) -> bool:
    if work.titles:
        return clean(par).rstrip(".").upper() in work.titles
    return len(" ".join(par)) <= 120 and bool(_HEADING_LINE.match(par[0].strip()))


def is_subtitle(par: str) -> bool:
    letters = [c for c in par if c.isalpha()]
    if not letters or len(par) > 80 or par[0] in "\"\u201c\u2018'":
        return False
    return all(c.isupper() for c in letters) or not _SENTENCE_END.search(par)


def build(work: Work, mirror: Path) -> dict:
    raw, commit = gutenberg_text(mirror, work.repository, work.text_path)
    pars = paragraphs(body_lines(raw, work))
    kept: list[str] = []
    boundaries_at: list[int] = []  # index in `kept` where a segment starts
    headings = 0  # chapters already complete
    inside = not work.titles  # a collection keeps only the named tales
    i = 0
    while i < len(pars):
        if is_heading(pars[i], work):
            if kept and (not boundaries_at or boundaries_at[-1] != len(kept)):
                headings += 1
            if headings >= work.segments:
                break
            i += 1
            dropped = 0
            while i < len(pars) and dropped < work.drop_after:
                i += 1
                dropped += 1
            while i < len(pars) and not work.titles and not is_heading(pars[i], work):
                par = clean(pars[i])
                if par and not is_subtitle(par):
                    break
                i += 1
            inside = True
            if kept and (not boundaries_at or boundaries_at[-1] != len(kept)):
                boundaries_at.append(len(kept))
            continue
        par = clean(pars[i])
        i += 1
        if work.scrub:
            par = re.sub(work.scrub, "", par)
        if work.drop and re.search(work.drop, par):
            continue
        if work.titles and par.isupper() and len(par) < 60:
            inside = False  # another tale's title: skip to the next named one
            if len(boundaries_at) + 1 >= len(work.titles):
                break
            continue
        if not kept and is_subtitle(par):
            continue  # the story's own title line
        if inside and par and not re.fullmatch(r"[\s*.·•-]+", par) and not _GUTENBERG.search(par):
            kept.append(par)
    text = ""
    offsets = []
    for j, par in enumerate(kept):
        if j:
            text += "\n\n"
        offsets.append(len(text))
        text += par
    return {
        "id": work.id,
        "kind": "prose",
        "genre": work.genre,
        "author": work.author,
        "source": f"{work.repository}:{work.text_path}@{commit}",
        "license": (GITENBERG_LICENSE if work.repo.startswith("GITenberg/") else LICENSE).format(n=work.gutenberg),
        "title": f"{work.author}, {work.title}",
        "text": text + "\n",
        "boundaries": sorted({offsets[j] for j in boundaries_at if j < len(kept)}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path, required=True, help="folder holding gutenbergbooks+<n>/repo")
    parser.add_argument("--check", action="store_true", help="print each boundary's first words, write nothing")
    parser.add_argument("--only", nargs="*", metavar="ID", help="rebuild only these works")
    args = parser.parse_args()
    for work in WORKS:
        if args.only and work.id not in args.only:
            continue
        doc = build(work, args.mirror)
        words = len(doc["text"].split())
        print(f"{doc['id']}: {words} words, {len(doc['boundaries'])} boundaries", file=sys.stderr)
        if args.check:
            t = doc["text"]
            print("   START", t[:70].replace("\n", " | "), file=sys.stderr)
            for b in doc["boundaries"]:
                print(
                    "   ",
                    t[max(0, b - 40) : b].replace("\n", " | "),
                    "||",
                    t[b : b + 60].replace("\n", " | "),
                    file=sys.stderr,
                )
            print("   END", t[-70:].replace("\n", " | "), file=sys.stderr)
            continue
        (OUT / f"{doc['id']}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
