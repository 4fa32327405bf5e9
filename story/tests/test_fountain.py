"""Fountain parsing and screenplay segmentation."""

import pytest

from story import SegmentOptions, segment
from story.fountain import cue_name, looks_like_screenplay, parse, parse_heading

from .conftest import eval_docs


def test_elements_of_the_test_script(data_dir):
    text = (data_dir / "lighthouse.fountain").read_text(encoding="utf-8")
    elements = parse(text)
    kinds = [e.kind for e in elements]
    assert kinds[0] == "title_page"
    headings = [e.text for e in elements if e.kind == "heading"]
    assert headings == [
        "EXT. LIGHTHOUSE - NIGHT",
        "INT. LAMP ROOM - CONTINUOUS",
        "I/E. MARTHA'S BOAT - NIGHT",
        "EST. HARBOUR TOWN - DAWN",
        "INT./EXT. HARBOUR MASTER'S OFFICE - MORNING",
        ".FLASHBACK - THE FIRST STORM",
        "EXT. LIGHTHOUSE - DAY",
    ]
    cues = [cue_name(e.text) for e in elements if e.kind == "character"]
    assert cues == ["MARTHA", "MARTHA", "McCLANE", "MARTHA", "MCCLANE", "MCCLANE", "MARTHA"]
    assert "section" in kinds
    assert "synopsis" in kinds
    assert "centered" in kinds
    assert "transition" in kinds
    assert "parenthetical" in kinds
    assert "dialogue" in kinds
    assert not any("NOWHERE" in e.text for e in elements)  # boneyard ignored
    assert not any("note that must" in e.text for e in elements)
    assert looks_like_screenplay(elements)


def test_heading_details():
    h = parse_heading("EXT. BRICK'S PATIO - DAY")
    assert (h.title, h.location, h.time_of_day) == ("EXT. BRICK'S PATIO - DAY", "Brick's Patio", "day")
    h = parse_heading(".SNIPER SCOPE POV #12#")
    assert h.title == "SNIPER SCOPE POV"
    assert h.time_of_day is None


def test_one_scene_per_heading_and_the_title_page_and_transitions_join_the_first(data_dir):
    text = (data_dir / "lighthouse.fountain").read_text(encoding="utf-8")
    result = segment(text, 60)
    assert result.format == "screenplay"
    assert len(result.scenes) == 7
    first = result.scenes[0]
    # The title page, FADE IN: and a note come before the first heading: nothing to draw, so
    # they join the first scene (the contract's one scene per scene heading).
    assert first.start_char == 0
    assert "Title: The Last Keeper" in first.text
    assert "FADE IN:" in first.text
    assert "EXT. LIGHTHOUSE - NIGHT" in first.text
    assert first.title == "EXT. LIGHTHOUSE - NIGHT"
    assert first.location == "Lighthouse"
    assert first.time_of_day == "night"
    assert result.scenes[5].title == "FLASHBACK - THE FIRST STORM"
    assert "Martha Okafor" in [c.name for c in result.characters] or any(
        "Martha Okafor" in c.aliases for c in result.characters
    )


def test_a_title_page_alone_belongs_to_the_first_scene(data_dir):
    text = (data_dir / "lighthouse.fountain").read_text(encoding="utf-8").replace("FADE IN:\n\n", "", 1)
    result = segment(text, 60)
    assert len(result.scenes) == 7
    first = result.scenes[0]
    assert first.start_char == 0
    assert "Title: The Last Keeper" in first.text
    assert first.title == "EXT. LIGHTHOUSE - NIGHT"


def test_fade_in_and_a_title_line_before_the_first_heading_join_the_first_scene():
    text = (
        "THE KETTLE\n\nFADE IN:\n\nINT. KITCHEN - DAY\n\nANNA pours tea.\n\nANNA\nMorning.\n\n"
        "EXT. GARDEN - NIGHT\n\nOwls.\n"
    )
    result = segment(text, 20)
    assert [s.start_char for s in result.scenes] == [0, text.index("EXT.")]
    assert result.scenes[0].location == "Kitchen"


def test_action_before_the_first_heading_is_a_scene_of_its_own():
    text = (
        "FADE IN:\n\nA kettle whistles in the dark.\n\nINT. KITCHEN - DAY\n\nANNA pours tea.\n\n"
        "EXT. GARDEN - NIGHT\n\nOwls.\n"
    )
    result = segment(text, 20)
    assert [s.start_char for s in result.scenes] == [0, text.index("INT."), text.index("EXT.")]


def test_fewer_scenes_merge_neighbours_and_more_split_inside(data_dir):
    text = (data_dir / "lighthouse.fountain").read_text(encoding="utf-8")
    assert len(segment(text, 60, SegmentOptions(max_scenes=3)).scenes) == 3
    assert len(segment(text, 60, SegmentOptions(scene_count=2)).scenes) == 2
    more = segment(text, 60, SegmentOptions(scene_count=12))
    assert len(more.scenes) == 12
    natural = {s.start_char for s in segment(text, 60).scenes}
    assert natural <= {s.start_char for s in more.scenes}


@pytest.mark.parametrize("doc", eval_docs("screenplay"), ids=lambda d: d["id"])
def test_eval_screenplays_are_cut_at_every_heading(doc):
    result = segment(doc["text"], 60)
    assert result.format == "screenplay"
    assert [s.start_char for s in result.scenes[1:]] == doc["boundaries"]


def test_forcing_prose_on_a_screenplay(data_dir):
    text = (data_dir / "lighthouse.fountain").read_text(encoding="utf-8")
    assert segment(text, 60, SegmentOptions(format="prose")).format == "prose"


FORCED_ONLY = """.ROOFTOP

Rain on the tiles. MIRA crouches by the chimney.

MIRA
They are late.

TOM
(whispering)
They are never late.

.THE STAIRWELL
Tom runs down, three steps at a time.

TOM
Mira! Wait!

.STREET - LATER

Mira is gone. Only her hat lies in the gutter.
"""


def test_a_script_with_only_forced_headings_is_a_screenplay():
    result = segment(FORCED_ONLY, 30)
    assert result.format == "screenplay"
    assert [s.title for s in result.scenes] == ["ROOFTOP", "THE STAIRWELL", "STREET - LATER"]
    assert {"Mira", "Tom"} <= {c.name for c in result.characters}


def test_a_heading_without_a_blank_line_before_it_still_starts_a_scene():
    text = (
        "INT. KITCHEN - DAY\n\nAnna cuts bread.\n\nANNA\nWho is there?\nEXT. GARDEN - NIGHT\n\n"
        "The gate swings open.\n\nBEN\nOnly me.\n"
    )
    result = segment(text, 20)
    assert result.format == "screenplay"
    assert [s.location for s in result.scenes] == ["Kitchen", "Garden"]
    assert result.scenes[1].text.startswith("EXT. GARDEN")


def test_prose_with_lines_starting_with_a_dot_stays_prose():
    text = (
        "The framework was new to her.\n\n.NET was what the bank used, and she had a week to learn it.\n\n"
        ".htaccess files, he said, were the least of her worries.\n\n"
        "She read until midnight. The next morning she wrote her first service.\n\n"
        "“Done?” asked Sam.\n\n“Done,” she said.\n"
    )
    assert segment(text, 20).format == "prose"


def test_heading_tags_stay_out_of_the_location():
    h = parse_heading("INT. SAN DIEGO APARTMENT - DAY")
    assert (h.location, h.time_of_day) == ("San Diego Apartment", "day")
    h = parse_heading("INT. HARBOR HOTEL RM 12 - SAME")
    assert (h.location, h.time_of_day, h.continuous) == ("Harbor Hotel Room 12", None, True)
    h = parse_heading("EXT. FARMHOUSE (1985) - NIGHT")
    assert (h.location, h.time_of_day, h.year) == ("Farmhouse", "night", "1985")
    h = parse_heading("INT. MCDONALD'S -- MOMENTS LATER")
    assert (h.location, h.continuous) == ("McDonald's", True)
    h = parse_heading("EXT. HOUSE OF THE SEVEN OAKS - DUSK (FLASHBACK) #4A#")
    assert (h.location, h.time_of_day) == ("House of the Seven Oaks", "evening")


def test_heading_and_cue_parsing_is_linear_in_the_line():
    h = parse_heading("INT. A" + " " * 200_000 + "B - DAY")
    assert (h.location, h.time_of_day) == ("A B", "day")
    assert cue_name("BOB" + "(x)" * 100_000) == "BOB"


def test_screenplay_durations_follow_content_without_a_flattening_floor():
    long_action = "Rain lashes the quay while the crew hauls rope and shouts over the storm. " * 6
    scenes = [f"INT. ROOM {i} - DAY\n\nA cup.\n" for i in range(12)]
    text = "\n".join([f"EXT. QUAY - NIGHT\n\n{long_action}\n\nMAX\nPull! Pull harder, all of you!\n", *scenes])
    result = segment(text, 30)
    assert len(result.scenes) == 13
    durations = [s.duration_ms for s in result.scenes]
    assert sum(durations) == 30_000
    assert durations[0] > 5 * durations[1]  # the storm scene holds far more than a cup
    assert len(set(durations[1:])) <= 2  # equal content, equal time (up to rounding)
    # The natural length: 84 action words at 3 words/s, 6 spoken at 2.5, and 13 establishing beats.
    assert result.natural_duration_ms == sum(
        round(a / 3.0 * 1000 + d / 2.5 * 1000) + 1000 for a, d in [(84 + 0, 6), *[(2, 0)] * 12]
    )
