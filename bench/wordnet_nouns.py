"""Write story/data/wordnet_nouns.txt, the English nouns whose most frequent sense is a person or an animal,
and story/data/wordnet_places.txt, the proper names whose most frequent sense is a place ('Italy', 'Dover').

    .venv/bin/python bench/wordnet_nouns.py [--wordnet /usr/share/wordnet]

Read from Princeton WordNet 3.0 as Debian's `wordnet-base` package installs it (index.noun lists a
lemma's senses most frequent first; data.noun gives each sense's lexicographer file, 18 =
noun.person, 5 = noun.animal, 15 = noun.location). Only one-word lemmas of letters are kept as nouns;
a place is kept as WordNet capitalises it, with its spaces ('Great Britain'). The engine reads the
written list, so it needs neither the package nor any download at run time; the list keeps
WordNet's licence notice, which its terms ask of every copy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "story" / "data"
OUT = DATA / "wordnet_nouns.txt"
OUT_PLACES = DATA / "wordnet_places.txt"
KINDS = {18: "person", 5: "animal"}
LOCATION = 15
HEADER = """\
# Nouns whose most frequent WordNet sense is a person (noun.person) or an animal (noun.animal),
# one per line as '<kind> <lemma>', written by bench/wordnet_nouns.py from Debian's wordnet-base.
"""
PLACES_HEADER = """\
# Proper names whose most frequent WordNet sense is a place (noun.location), one per line as WordNet
# writes them, written by bench/wordnet_nouns.py from Debian's wordnet-base.
"""
NOTICE = """\
#
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
#
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
# WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
# OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS,
# COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
#
# The name of Princeton University or Princeton may not be used in advertising or publicity pertaining
# to distribution of the software and/or database. Title to copyright in this software, database and any
# associated documentation shall at all times remain with Princeton University and LICENSEE agrees to
# preserve same. (The full licence: /usr/share/doc/wordnet-base/copyright, or wordnet.princeton.edu.)
"""


def synsets(data_noun: Path) -> dict[str, tuple[int, list[str]]]:
    """Each noun synset's offset -> its lexicographer file and its words as WordNet writes them."""
    found = {}
    with data_noun.open(encoding="latin-1") as lines:
        for line in lines:
            if not line.startswith("  "):  # the licence header lines start with two spaces
                fields = line.split()
                count = int(fields[3], 16)
                found[fields[0]] = (int(fields[1]), [fields[4 + 2 * i] for i in range(count)])
    return found


def first_senses(wordnet: Path) -> list[tuple[str, int, list[str]]]:
    """Each noun lemma with its most frequent sense's lexicographer file and words."""
    senses_of = synsets(wordnet / "data.noun")
    found = []
    with (wordnet / "index.noun").open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, senses = fields[0], int(fields[2])
            found.append((lemma, *senses_of[fields[-senses]]))
    return found


def first_sense_kinds(senses: list[tuple[str, int, list[str]]]) -> list[tuple[str, str]]:
    return sorted(
        (KINDS[lex], lemma) for lemma, lex, _ in senses if lex in KINDS and lemma.isalpha() and lemma.isascii()
    )


def first_sense_places(senses: list[tuple[str, int, list[str]]]) -> list[str]:
    names = {
        word.replace("_", " ")
        for lemma, lex, words in senses
        if lex == LOCATION
        for word in words
        if word.lower() == lemma and word[0].isupper() and word.replace("_", "").isalpha() and word.isascii()
    }
    return sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    args = parser.parse_args()
    senses = first_senses(args.wordnet)
    pairs = first_sense_kinds(senses)
    places = first_sense_places(senses)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(HEADER + NOTICE + "".join(f"{kind} {lemma}\n" for kind, lemma in pairs), encoding="utf-8")
    OUT_PLACES.write_text(PLACES_HEADER + NOTICE + "".join(f"{name}\n" for name in places), encoding="utf-8")
    print(f"{OUT}: {sum(k == 'person' for k, _ in pairs)} person, {sum(k == 'animal' for k, _ in pairs)} animal nouns")
    print(f"{OUT_PLACES}: {len(places)} places")


if __name__ == "__main__":
    main()
