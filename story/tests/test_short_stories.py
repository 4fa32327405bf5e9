"""Short texts as writers paste them: fables and short stories, their scenes, characters and places."""

from story import SegmentOptions, segment


def read(data_dir, name: str) -> str:
    return (data_dir / name).read_text(encoding="utf-8")


def scene_openings(text: str, result) -> list[str]:
    return [text[s.start_char : s.end_char].split(",")[0][:20] for s in result.scenes]


def by_name(result) -> dict:
    return {c.name: c for c in result.characters}


# Scene count and time changes


def test_each_paragraph_opening_with_a_time_change_is_a_scene(data_dir):
    text = read(data_dir, "fox_and_grapes_short.txt")
    result = segment(text, 15)
    assert scene_openings(text, result) == ["Once upon a time a h", "The next morning", "That night the fox s"]


def test_a_short_story_gets_a_scene_per_paragraph_when_each_moves_in_time(data_dir):
    text = read(data_dir, "lighthouse_keeper.txt")
    result = segment(text, 20)
    assert scene_openings(text, result) == [
        "Mara Quill ran the l",
        "One stormy night",
        "The next morning",
        "Years later",
    ]


def test_the_duration_still_caps_the_count(data_dir):
    text = read(data_dir, "lighthouse_keeper.txt")
    assert len(segment(text, 8).scenes) == 2
    assert len(segment(text, 20, SegmentOptions(max_scenes=3)).scenes) == 3


def test_dialogue_lines_do_not_count_as_paragraphs_for_the_scene_count():
    text = "\n\n".join(
        ["Anna opened the shop at dawn and swept the floor."]
        + [f"“Is it open?” asked boy number {i}." for i in range(8)]
    )
    assert len(segment(text, 60).scenes) <= 3  # 56 words: one scene per 25 words, not one per line


def test_time_changes_are_not_forced_into_chapter_sized_scenes():
    paragraph = "Anna walked to the mill and counted the sacks of flour in the loft. The wheel turned slowly.\n\n"
    text = paragraph * 10 + "The next morning the miller came back.\n\n" + paragraph * 10
    result = segment(text, 60, SegmentOptions(scene_count=2))
    assert len(result.scenes) == 2  # 21 paragraphs for 2 scenes: the cue competes, it is not imposed


# Common-noun characters


def test_aesop_capitalised_animals_are_characters(data_dir):
    result = segment(read(data_dir, "hare_and_tortoise.txt"), 30)
    assert {"The Hare", "The Tortoise", "The Fox"} <= set(by_name(result))
    assert not {c.name for c in result.characters} & {"The Wind", "The Race", "The Goal", "The Course"}
    first, second = result.scenes[0], result.scenes[1]
    assert {"The Hare", "The Tortoise", "The Fox"} <= set(first.characters)
    assert "The Tortoise" in second.characters
    assert "The Fox" not in second.characters


def test_definite_animals_that_act_are_characters_merged_with_their_modifiers(data_dir):
    text = read(data_dir, "fox_and_grapes_short.txt")
    result = segment(text, 15)
    found = by_name(result)
    assert set(found) == {"The Fox", "The Crow"}
    assert "the old crow" in found["The Crow"].aliases
    assert "old" in found["The Crow"].description
    assert [s.characters for s in result.scenes] == [["The Fox"], ["The Crow", "The Fox"], ["The Fox"]]


def test_townsend_lion_and_mouse(data_dir):
    result = segment(read(data_dir, "lion_and_mouse.txt"), 20)
    assert set(by_name(result)) == {"The Lion", "The Mouse"}


def test_fairy_tale_people_nouns_and_a_titled_name(data_dir):
    result = segment(read(data_dir, "millers_daughter.txt"), 40)
    found = by_name(result)
    assert {"The Miller", "The King", "The Little Man", "Greta"} <= set(found)
    assert "The Queen" not in found
    assert "the queen" in found["Greta"].aliases
    assert "tall girl" in found["Greta"].description
    # 'had a daughter named Greta, a tall girl': her looks, not his; 'wringing his cap' is his
    assert found["The Miller"].description == "cap"


def test_inanimate_or_lone_nouns_are_not_characters(data_dir):
    assert segment(read(data_dir, "wind_and_sun.txt"), 10).characters == []
    text = "The soldier lit a pipe. The wind rose. The girl's kite flew over the river. A dog barked once."
    assert segment(text, 10).characters == []  # each mentioned once: nobody recurs


def test_generic_person_nouns_need_a_modifier():
    text = (
        "The man walked in. The man sat down. The man left. The old woman smiled at the boy. "
        "The old woman poured the tea. Later the old woman slept."
    )
    assert [c.name for c in segment(text, 10).characters] == ["The Old Woman"]


def test_a_role_noun_before_a_name_describes_that_character_and_is_not_another_one(data_dir):
    result = segment(read(data_dir, "lighthouse_keeper.txt"), 20)
    found = by_name(result)
    assert set(found) == {"Mara Quill", "Tomas Reyes"}
    assert found["Tomas Reyes"].description == "fisherman"
    assert "fisherman" in found["Tomas Reyes"].prompt


def test_an_appositive_role_joins_its_named_character():
    text = (
        "Mara Quill, the old keeper, climbed the stairs. The keeper lit the lamp. "
        "Then the keeper watched the sea. Tomas waved from his boat. Tomas laughed."
    )
    found = by_name(segment(text, 10))
    assert "The Keeper" not in found
    assert "the keeper" in found["Mara Quill"].aliases
    assert "the old keeper" in found["Mara Quill"].description


def test_the_king_joins_the_one_king_named_in_the_text():
    text = (
        "King Harald rode to the river. The King was tired. The King drank. "
        "The queen waved from the tower. Harald smiled."
    )
    found = by_name(segment(text, 10))
    assert "The King" not in found
    assert "the King" in found["King Harald"].aliases


# Canonical names


def test_the_fullest_form_names_a_character_consistently(data_dir):
    found = by_name(segment(read(data_dir, "lighthouse_keeper.txt"), 20))
    assert found["Mara Quill"].aliases == ["Mara"]
    assert found["Tomas Reyes"].aliases == ["Tomas"]


def test_the_title_form_names_a_character_the_text_calls_by_title():
    text = (
        "Mr. Pemberton opened the shop. Mr. Pemberton counted the coins. Mr. Arthur Pemberton had been a "
        "sailor. Mr. Pemberton sighed. Pemberton closed the door."
    )
    found = by_name(segment(text, 10))
    assert set(found) == {"Mr. Pemberton"}
    assert {"Mr. Arthur Pemberton", "Pemberton"} <= set(found["Mr. Pemberton"].aliases)


# Locations


def test_settings_not_objects_and_carried_until_a_new_one(data_dir):
    text = read(data_dir, "lighthouse_keeper.txt")
    assert [s.location for s in segment(text, 20).scenes] == ["Gull Rock"] * 4  # not 'the door', not 'the reef'
    text = read(data_dir, "fox_and_grapes_short.txt")
    assert [s.location for s in segment(text, 15).scenes] == ["the forest", "the forest", "the river"]


def test_a_place_after_edge_of_or_in_a_is_the_setting():
    result = segment("A crow sat on the branch of an oak at the edge of the wood. She waited.", 5)
    assert result.scenes[0].location == "the wood"
    result = segment("There was once a miller who lived in a mill beside a river. He was poor.", 5)
    assert result.scenes[0].location == "the mill"


def test_a_sentence_opening_preposition_and_a_plural_setting_count():
    assert (
        segment("In the wood the girl met a wolf. The wolf ran ahead by a shorter road.", 5).scenes[0].location
        == "the wood"
    )  # the first of two settings named once each
    assert segment("The Emperor walked through the streets. He shivered.", 5).scenes[0].location == "the streets"
