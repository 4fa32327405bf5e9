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


def test_a_scene_starts_where_the_clock_moves():
    text = paragraphs(*MILL[:4], "It was half-past five when Mara came back to the mill. She lit the lamp.", *MILL[4:])
    assert cut_starts(text, 2) == ["It was half-past five whe"[:24]]


def test_a_time_jump_inside_the_opening_sentence_counts():
    text = paragraphs(*MILL[:5], "Mara, two days later, went down to the mill. The miller was still asleep.", *MILL[5:])
    assert cut_starts(text, 2) == ["Mara, two days later, wen"[:24]]


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
        "It was half-past five when Mara came back to the mill. She lit the lamp.",
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
