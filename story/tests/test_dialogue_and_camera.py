"""Who says what in a scene, and the camera move a storyboard artist would pick. Texts written for these tests."""

from typing import Any

from story import CAMERA_MOVES, DialogueLine, SegmentOptions, segment
from story.dialogue import Speakers, prose_lines
from story.shots import ShotContext, camera_move

SCRIPT = """INT. BAKERY - NIGHT

Flour everywhere. NINA PARK, 30s, kneads dough.

NINA
(without looking up)
We open in four hours.

OMAR (O.S.)
Then we had better hurry.

INT. BAKERY - CONTINUOUS

Omar carries a tray of loaves to the window.

OMAR
Smell that.
"""


def test_screenplay_dialogue_comes_from_cues_without_parentheticals():
    result = segment(SCRIPT, 30)
    assert result.format == "screenplay"
    assert result.scenes[0].dialogue == [
        DialogueLine("Nina", "We open in four hours."),
        DialogueLine("Omar", "Then we had better hurry."),
    ]
    assert result.scenes[1].dialogue == [DialogueLine("Omar", "Smell that.")]


def test_continuous_heading_keeps_the_previous_scene_s_time():
    result = segment(SCRIPT, 30)
    assert [s.time_of_day for s in result.scenes] == ["night", "night"]


def _lines(text: str, aliases: dict[str, str]) -> list[tuple[str, str]]:
    return [(line.character, line.text) for line in prose_lines(text, 0, len(text), Speakers(aliases))]


def test_prose_speech_tags_after_and_before_the_quotation():
    text = (
        "“The tide is turning,” said Tessa.\n\n"
        "“Then we go now,” Arlo answered.\n\n"
        "Tessa said, “Bring the lamp.”\n\n"
        "“Who goes there?” called the Ferryman."
    )
    aliases = {"Tessa": "Tessa Moreau", "Tessa Moreau": "Tessa Moreau", "Arlo": "Arlo", "the Ferryman": "The Ferryman"}
    assert _lines(text, aliases) == [
        ("Tessa Moreau", "The tide is turning,"),
        ("Arlo", "Then we go now,"),
        ("Tessa Moreau", "Bring the lamp."),
        ("The Ferryman", "Who goes there?"),
    ]


def test_prose_pronoun_tag_and_untagged_turns_follow_the_exchange():
    text = (
        "Arlo pulled the boat onto the shingle.\n\n"
        "“Too late,” he muttered.\n\n"
        "“Never too late,” said Tessa.\n\n"
        "“The ferry has gone.”\n\n"
        "“Then we row.”"
    )
    aliases = {"Tessa": "Tessa", "Arlo": "Arlo"}
    assert _lines(text, aliases) == [
        ("Arlo", "Too late,"),
        ("Tessa", "Never too late,"),
        ("Arlo", "The ferry has gone."),
        ("Tessa", "Then we row."),
    ]


def test_prose_name_in_the_paragraph_and_a_continued_quotation_keep_their_speaker():
    text = "Arlo wiped his hands. “It’s done. We can’t stay.”\n\n“It is,” said Tessa. “Still, wait for me.”"
    assert _lines(text, {"Tessa": "Tessa", "Arlo": "Arlo"}) == [
        ("Arlo", "It’s done. We can’t stay."),
        ("Tessa", "It is,"),
        ("Tessa", "Still, wait for me."),
    ]


def test_unattributed_line_is_kept_with_no_speaker():
    assert _lines("“Is anyone there?”", {}) == [("", "Is anyone there?")]


def _shot(text: str, **kwargs: object) -> str:
    ctx: dict[str, Any] = {
        "dialogue_words": 0,
        "location": None,
        "previous_location": None,
        "first": False,
        "last": False,
    }
    ctx.update(kwargs)
    return camera_move(ShotContext(text=text, mood=None, **ctx))


def test_camera_rules():
    assert _shot("“Go.” “No.” “Please go.” “I will not.”", dialogue_words=6) == "static"
    assert _shot("They rode along the road and galloped past the farms toward the hills.") == "pan_right"
    assert _shot("They rode back along the road and returned home at last.") == "pan_left"
    assert _shot("She climbed the tower and looked up at the stars.") == "tilt_up"
    assert _shot("The bucket fell down the well and sank into the depths.") == "tilt_down"
    assert _shot("The harbour lay grey under the clouds.", location="the harbour", previous_location="the inn") == (
        "push_in"
    )
    assert _shot("The harbour lay grey under the clouds.", location="the harbour", previous_location="the harbour") == (
        "static"
    )
    assert _shot("The lamps were lit and the room was warm.", last=True) == "pull_out"


def test_every_scene_has_a_camera_move_and_dialogue_list():
    text = (
        "The village woke under snow. Mara opened the bakery door.\n\n"
        "“Bread for the whole street,” said Mara.\n\n"
        "Later she walked along the frozen road to the mill and back."
    )
    result = segment(text, 20, SegmentOptions(scene_count=3))
    assert all(s.camera in CAMERA_MOVES for s in result.scenes)
    assert any(line.text.startswith("Bread") for s in result.scenes for line in s.dialogue)


def test_a_titled_speaker_is_found_with_or_without_the_full_stop():
    text = (
        "“Good morning,” said Mr. Bingley. Mr. Bingley bowed.\n\n"
        "“Fine weather,” said Mrs Clay. Mrs Clay smiled.\n\n"
        "“Indeed,” said Dr Vane. Dr. Vane sat down."
    )
    lines = [line for scene in segment(text, 30).scenes for line in scene.dialogue]
    assert [line.character for line in lines] == ["Mr. Bingley", "Mrs. Clay", "Dr. Vane"]
