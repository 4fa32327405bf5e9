"""The sentence splitter's hard cases."""

from story.sentences import MAX_UNIT_CHARS, split_units


def pieces(text: str) -> list[str]:
    return [text[u.start : u.end] for u in split_units(text)]


def test_titles_and_initials_do_not_end_sentences():
    assert pieces("Mr. Smith met Dr. J. R. Watson at St. Paul's. They talked.") == [
        "Mr. Smith met Dr. J. R. Watson at St. Paul's.",
        "They talked.",
    ]


def test_quoted_dialogue_stays_with_its_attribution():
    assert pieces("“Stop!” he cried. “Why?” She did not answer.") == [
        "“Stop!” he cried.",
        "“Why?”",
        "She did not answer.",
    ]


def test_ellipsis_before_lowercase_continues_and_before_capital_ends():
    assert pieces("I waited... and waited... Then the door opened.") == [
        "I waited... and waited...",
        "Then the door opened.",
    ]


def test_abbreviations_like_eg_do_not_split():
    assert pieces("Bring tools, e.g. a hammer. Go now.") == ["Bring tools, e.g. a hammer.", "Go now."]


def test_lines_without_punctuation_are_units():
    assert pieces("a heading without stop\nanother line\n\nA sentence.") == [
        "a heading without stop",
        "another line",
        "A sentence.",
    ]


def test_hard_wrapped_prose_joins_lines():
    text = "It was a dark and\nstormy night, and the\nrain fell in torrents. The\nwind howled over the moor.\n"
    assert pieces(text) == [
        "It was a dark and\nstormy night, and the\nrain fell in torrents.",
        "The\nwind howled over the moor.",
    ]


def test_cjk_sentences_split_on_full_stops():
    assert pieces("猫が寝ている。犬が走った！") == ["猫が寝ている。", "犬が走った！"]


def test_a_huge_line_without_punctuation_is_chunked_linearly():
    text = "word " * 100_000
    units = split_units(text)
    assert len(units) >= len(text) // MAX_UNIT_CHARS
    assert all(u.end - u.start <= MAX_UNIT_CHARS for u in units)


def test_a_huge_token_without_spaces_is_chunked():
    text = "x" * 500_000
    units = split_units(text)
    assert units[0].start == 0
    assert units[-1].end == len(text)
    assert sum(u.end - u.start for u in units) == len(text)


def test_emoji_sequences_are_not_cut_in_the_middle():
    family = "👨\u200d👩\u200d👧"
    text = family * 400
    for u in split_units(text):
        assert text[u.start] != "\u200d"
        assert text[u.end - 1] != "\u200d"
