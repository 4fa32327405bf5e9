"""Character extraction on real passages: places and adjectives kept out, family names kept apart."""

import pytest

from story import segment

from .conftest import eval_docs


def characters_of(doc_id: str) -> dict[str, list[str]]:
    docs = [d for d in eval_docs("prose") if d["id"] == doc_id]
    if not docs:
        pytest.skip("shared eval data not present")
    return {c.name: c.aliases for c in segment(docs[0]["text"], 60).characters}


def test_doyle_places_and_demonyms_are_not_characters():
    found = characters_of("pr_doyle_scandal_in_bohemia")
    names = set(found) | {a for aliases in found.values() for a in aliases}
    assert not names & {"Bohemian", "Temple", "Inner Temple", "Monica", "Bohemia", "Baker Street", "Briony Lodge"}
    assert "King of Bohemia" in found
    holmes = [name for name, aliases in found.items() if "Sherlock Holmes" in [name, *aliases]]
    assert len(holmes) == 1
    assert "Holmes" in [holmes[0], *found[holmes[0]]]


def test_austen_family_names_stay_apart():
    found = characters_of("pr_austen_pride_prejudice_ch1_12")
    assert "Bingley" in found["Mr. Bingley"]
    assert "Miss Bingley" in found
    assert "Bingley" not in found["Miss Bingley"]
    elizabeth = found["Elizabeth Bennet"]  # the fullest form names her; the text mostly says 'Elizabeth'
    assert "Elizabeth" in elizabeth
    assert "Miss Bennet" not in elizabeth
    assert {"Mr. Bennet", "Mrs. Bennet"} <= set(found)
    assert not set(found) & {"Scotch", "Pemberley", "James", "Bingley"}


def test_descriptions_take_only_words_tied_to_the_name():
    # Pride and Prejudice, chapter IX (public domain), with a sentence added about another person's looks.
    text = (
        "Lydia was a stout, well-grown girl of fifteen, with a fine complexion and good-humoured countenance. "
        "Lydia laughed. Kitty stood beside a tall officer in a red coat and a black hat. Kitty coughed."
    )
    found = {c.name: c.description for c in segment(text, 10).characters}
    assert "stout" in found["Lydia"]
    assert not {"tall", "red", "black", "hat"} & set(found["Kitty"].replace(",", " ").split())


def test_a_list_after_a_name_is_not_its_description():
    text = (
        "Mr. Bingley, his two sisters, the husband of the eldest, and another young man entered the room. "
        "Mr. Bingley was good-looking and tall. Mr. Bingley smiled."
    )
    bingley = next(c for c in segment(text, 10).characters if c.name == "Mr. Bingley")
    assert "sisters" not in bingley.description
    assert "tall" in bingley.description
