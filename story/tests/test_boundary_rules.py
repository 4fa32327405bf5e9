"""The prose cut rules, each pinned on a short text written for the test."""

import pytest

from story import SegmentOptions, segment
from story import boundaries as bd
from story.sentences import split_units

# Narration about one place in paragraphs of two sentences, so that only the rule under test tells the
# paragraphs apart.
MILL = [
    "The mill stood at the bend of the river. Its wheel turned slowly in the brown water.",
    "Mara swept the floor of the mill. The stones ground the barley into a fine grey flour.",
    "The miller counted the sacks by the door. He wrote the numbers on a slate with a stub of chalk.",
    "Dust hung in the light from the high window. It settled on the beams of the old mill.",
    "Mara carried the full sacks to the cart. The miller tied each one with a length of cord.",
    "The wheel creaked and the water foamed under the race. The barley went into the hopper.",
    "The miller sharpened the grooves of the stone with a small hammer. Mara held the lamp.",
    "The flour was good that year. The farmers came from the hills with their grain.",
]


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts) + "\n"


def cut_starts(text: str, scenes: int) -> list[str]:
    result = segment(text, 30, SegmentOptions(scene_count=scenes, format="prose"))
    return [text[s.start_char : s.start_char + 24] for s in result.scenes[1:]]


def paragraph_score(text: str, opening: str) -> float:
    units = split_units(text)
    scores = bd.gap_scores(text, units, len(units) / 2)
    return next(scores[i] for i, u in enumerate(units) if text[u.start : u.end].startswith(opening))


def rise(opening: str, plain: str, at: int = 4) -> float:
    """How much a paragraph's opening raises its score over the same paragraph opened plainly."""
    rest = " She lit the lamp by the door and hung her shawl on the hook."
    with_cue = paragraph_score(paragraphs(*MILL[:at], opening + rest, *MILL[at:]), opening)
    without = paragraph_score(paragraphs(*MILL[:at], plain + rest, *MILL[at:]), plain)
    return with_cue - without


def test_a_scene_starts_where_the_clock_moves():
    cue = rise(
        "It was half-past five when Mara came back to the mill.", "It was plain that Mara came back to the mill."
    )
    assert cue >= 0.9  # the clock's point (the valley moves a little with the words)
    long_opening = "It was half-past five when Mara came back to the mill. " + MILL[2] + " " + MILL[6]
    assert cut_starts(paragraphs(*MILL[:4], long_opening, *MILL[4:]), 2) == ["It was half-past five whe"[:24]]


def test_a_time_jump_inside_the_opening_sentence_counts():
    cue = rise("Mara, two days later, went down to the mill.", "Mara, with a basket, went down to the mill.", at=5)
    assert cue >= 0.9


@pytest.mark.parametrize(
    "sentence",
    [
        "It was nearly eleven o'clock when we reached the gate.",
        "About noon I stopped at the captain's door.",
        "When the keeper awoke it was so dark that he could not see the lamp.",
        "One afternoon, a month later, she sat in the library.",
        "A very few days more, and the captain was known to be at the farm.",
        "From this time the two of them were often in the same room.",
        "When I had done breakfasting the squire gave me a note.",
        "Monday morning found the miller in a bad temper.",
        "The sun rose upon the quiet village.",
        "Night fell before the cart reached the ford.",
    ],
)
def test_clock_moves(sentence):
    assert bd.clock_moves(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The clock on the wall had stopped years ago.",
        "She said that the morning light was the best for painting.",
        "He waited by the door and said nothing.",
    ],
)
def test_the_clock_stays(sentence):
    assert not bd.clock_moves(sentence)


def test_a_new_tale_starts_a_scene():
    text = paragraphs(*MILL[:4], "Once upon a time there was a prince who lived by the sea. He had a boat.", *MILL[4:])
    assert cut_starts(text, 2) == ["Once upon a time there w"]


@pytest.mark.parametrize(
    "sentence",
    ["Once upon a time there was a prince.", "There was once a poor tailor.", "Long, long ago a king ruled here."],
)
def test_tale_openings(sentence):
    assert bd.opens_a_tale(sentence)


def test_a_tale_opening_is_a_paragraph_s_first_words_only():
    assert not bd.opens_a_tale("The miller said that once upon a time the mill had two wheels.")


def test_the_night_passes_after_someone_falls_asleep():
    asleep = "Mara put out the lamp and lay down. She fell asleep at once."
    assert cut_starts(paragraphs(*MILL[:4], asleep, *MILL[4:]), 2) == [MILL[4][:24]]
    assert bd.falls_asleep("The child cried herself to sleep.")
    assert not bd.falls_asleep("The miller counted the sacks by the door.")


def test_small_capitals_open_sections_when_the_text_uses_them():
    text = paragraphs(
        "MARA Quill lit the lamp at the top of the lighthouse. She watched the sea.",
        *MILL[:3],
        "THE fishing boats came in late. Their sails were torn by the wind off the point.",
        *MILL[3:6],
        "WHEN the storm had passed the village counted its boats. None was missing.",
        *MILL[6:],
    )
    assert cut_starts(text, 3) == ["THE fishing boats came i", "WHEN the storm had passe"]


def test_one_acronym_is_not_a_section_opening():
    text = paragraphs(
        *MILL[:2],
        "NASA engineers once visited the valley. They measured the river for a survey of the old mills.",
        *MILL[2:5],
        "It was half-past five when Mara came back to the mill. She lit the lamp by the door.",
        *MILL[5:],
    )
    assert cut_starts(text, 2) == ["It was half-past five whe"[:24]]
    assert not bd.opens_in_small_caps("TOM!")
    assert not bd.opens_in_small_caps("I went down to the river.")


def test_a_reply_ranks_below_the_same_words_in_narration():
    reply = '"The flour was good that year," said the miller. The farmers from the hills nodded.'
    narration = "The flour was good that year, the miller told them. The farmers from the hills nodded."
    text = paragraphs(*MILL[:3], reply, *MILL[3:6], narration, *MILL[6:])
    assert paragraph_score(text, '"The flour') < paragraph_score(text, "The flour was good that year, the")


def test_a_block_of_narration_ranks_above_a_short_line():
    long_par = (
        "Mara walked along the river to the ford, where the willows leaned over the water and the "
        "stones of the old crossing showed pale under the current, and she stopped there a long while "
        "to watch the herons fish in the shallows below the mill. The herons did not mind her."
    )
    short_par = "Mara walked along the river to the ford. The herons did not mind her."
    text = paragraphs(*MILL[:3], short_par, *MILL[3:6], long_par, *MILL[6:])
    assert paragraph_score(text, "Mara walked along the river to the ford,") > paragraph_score(
        text, "Mara walked along the river to the ford."
    )


def test_paragraphed_scenes_keep_wider_spacing():
    paragraphed = split_units(paragraphs(*MILL))
    plain = split_units(" ".join(MILL))
    assert bd.min_gap(paragraphed, 10) == int(10 * bd.PARAGRAPH_GAP_FACTOR)
    assert bd.min_gap(plain, 10) == int(10 * bd.GAP_FACTOR)


def test_markers_still_win_over_cues():
    text = paragraphs(
        *MILL[:3], "* * *", *MILL[3:5], "It was half-past five when Mara came back. She lit the lamp.", *MILL[5:]
    )
    assert cut_starts(text, 2) == ["* * *\n\n" + MILL[3][:17]]


def test_a_departure_at_the_end_of_a_paragraph_raises_the_next_one():
    gone = "The mill was quiet. Mara took her shawl from the hook and went home."
    stays = "The mill was quiet. Mara took her shawl from the hook and sat down."
    after_gone = paragraph_score(paragraphs(*MILL[:4], gone, *MILL[4:]), MILL[4][:20])
    after_stays = paragraph_score(paragraphs(*MILL[:4], stays, *MILL[4:]), MILL[4][:20])
    assert after_gone - after_stays >= 0.4  # the leaving's half point; the valley barely moves


def tale(first: str, second: str) -> list[str]:
    """Four paragraphs of the mill's work, told of two people named mid-sentence in each."""
    return [
        f"At dawn the wheel turned, and {first} opened the sluice. The water ran while {second} watched it.",
        f"The stones ground the barley. So {first} swept the floor and {second} filled the sacks.",
        f"By noon the cart was full. Then {second} tied the sacks while {first} counted them.",
        f"In the evening {first} banked the fire. The lamp hung by the door, where {second} had left it.",
    ]


def test_a_new_tale_starts_where_the_people_change():
    # Two tales told in the same words; in the first, a night passes and the clock moves. Only the people
    # named tell the tales apart, and a wholly new cast outweighs a night and a clock move together.
    evening = [*tale("Mara", "Tobin")[:3], "In the evening Mara banked the fire. Then Tobin went home to sleep."]
    dawn, *day = tale("Mara", "Tobin")
    later = ["Two days later" + dawn[len("At dawn") :], *day]
    text = paragraphs(*evening, *later, *tale("Ilse", "Corwin"), *tale("Ilse", "Corwin"))
    cut = segment(text, 30, SegmentOptions(scene_count=2)).scenes[1].start_char
    assert cut == text.index("At dawn the wheel turned, and Ilse")


def test_cast_turnover_counts_names_that_never_return():
    names = [["Mara", "Tobin"]] * 4 + [["Ilse", "Corwin"]] * 4
    turnover = bd.cast_turnovers(names, window=3)
    assert turnover[4] == 1.0  # no one before is named again, no one after was named before
    assert max(turnover[:4] + turnover[5:]) < bd.CAST_TURNOVER
    assert bd.cast_turnovers([["Mara", "Tobin"], ["Ilse"], ["Mara", "Ilse"]], window=1) == [0.0, 0.0, 0.0]  # too few
