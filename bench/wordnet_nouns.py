"""Write story/data/wordnet_nouns.txt: the English nouns whose most frequent sense is a person or an animal.

    .venv/bin/python bench/wordnet_nouns.py [--wordnet /usr/share/wordnet]

Read from Princeton WordNet 3.0 as Debian's `wordnet-base` package installs it (index.noun lists a
lemma's senses most frequent first; data.noun gives each sense's lexicographer file, 18 =
noun.person, 5 = noun.animal). Only one-word lemmas of letters are kept. The engine reads the
written list, so it needs neither the package nor any download at run time; the list keeps
WordNet's licence notice, which its terms ask of every copy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "story" / "data" / "wordnet_nouns.txt"
KINDS = {18: "person", 5: "animal"}
NOTICE = """\
# Nouns whose most frequent WordNet sense is a person (noun.person) or an animal (noun.animal),
# one per line as '<kind> <lemma>', written by bench/wordnet_nouns.py from Debian's wordnet-base.
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


def lexicographer_files(data_noun: Path) -> dict[str, int]:
    files = {}
    with data_noun.open(encoding="latin-1") as lines:
        for line in lines:
            if not line.startswith("  "):  # the licence header lines start with two spaces
                offset, lex_file = line.split(maxsplit=2)[:2]
                files[offset] = int(lex_file)
    return files


def first_sense_kinds(wordnet: Path) -> list[tuple[str, str]]:
    files = lexicographer_files(wordnet / "data.noun")
    found = []
    with (wordnet / "index.noun").open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, senses = fields[0], int(fields[2])
            kind = KINDS.get(files[fields[-senses]])
            if kind and lemma.isalpha() and lemma.isascii():
                found.append((kind, lemma))
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    args = parser.parse_args()
    pairs = first_sense_kinds(args.wordnet)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(NOTICE + "".join(f"{kind} {lemma}\n" for kind, lemma in pairs), encoding="utf-8")
    print(f"{OUT}: {sum(k == 'person' for k, _ in pairs)} person, {sum(k == 'animal' for k, _ in pairs)} animal nouns")


if __name__ == "__main__":
    main()
