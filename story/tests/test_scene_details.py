"""Titles, background prompts, mood and the pronoun-only cast of prose scenes. Texts written for these tests."""

from story import SegmentOptions, segment
from story.describe import headline, mood, visible_details


def test_a_title_is_a_short_headline_without_time_phrase_or_ellipsis():
    assert headline(["The next morning, Ines walked to the bakery on Mill Lane and bought bread."]) == (
        "Ines walked to the bakery on Mill Lane"
    )
    assert headline(["At midnight the clock stopped, and nobody noticed."]) == "The clock stopped"
    assert headline(["“Leave the lamp,” said Olek.", "Ines shook her head in the dark hall."]) == (
        "Ines shook her head in the dark hall"
    )
    assert headline(["She carried him up the hundred and twelve steps to the lamp room."]) == "She carried him"
    assert headline(["The great Pullman was whirling onward with such dignity of motion."]) == (
        "The great Pullman was whirling onward"
    )
    title = headline(["A very long sentence that goes on and on about many things without any pause at all."])
    assert len(title.split()) <= 8
    assert not title.endswith(("…", "about", "the"))


def test_the_background_prompt_carries_weather_light_and_key_things():
    text = (
        "Snow fell on the square all evening. Under the streetlamps the fountain had frozen, "
        "and a cart stood abandoned by the fountain."
    )
    result = segment(text, 10, SegmentOptions(scene_count=1))
    prompt = result.scenes[0].background_prompt
    for seen in ("snow", "lamplight", "fountain", "cart"):
        assert seen in prompt
    assert visible_details("They talked about the weather and the truth.", None) == []


def test_mood_reads_the_whole_scene_and_strong_moods_outweigh_quiet_words():
    climax = (
        "The house was quiet and still. Then the scream came from the cellar. Terror took her; she panicked, "
        "trembling, and the dread grew as the thing crept up the stairs in the dark."
    )
    assert mood(climax) == "fearful"
    assert mood("She was not afraid. The garden was calm and peaceful in the gentle sunlight.") == "peaceful"


def test_a_character_referred_to_only_by_pronouns_stays_in_the_scene():
    text = (
        "Ines locked the bakery and walked to the harbour. Olek waited by the boats. Ines waved to Olek.\n\n"
        "She handed him the bread, and they sat on the wall to eat.\n\n"
        "Gulls circled the masts. The tide came in."
    )
    result = segment(text, 20, SegmentOptions(scene_count=3))
    assert set(result.scenes[1].characters) == {"Ines", "Olek"}
    assert result.scenes[2].characters == []  # nobody is referred to: an empty harbour


def test_a_pronoun_goes_to_the_last_person_of_its_sex_not_to_a_boy_for_she():
    text = (
        "Mara Quill climbed down to the rocks. Mara Quill looked around. There lay the boy, and the boy was still.\n\n"
        "She carried him up the stairs to the lamp room and wrapped him in a blanket. The fire crackled.\n\n"
        "The boy slept until morning. The boy woke and smiled."
    )
    result = segment(text, 30, SegmentOptions(scene_count=3))
    assert "Mara Quill" in result.scenes[1].characters
