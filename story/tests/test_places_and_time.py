"""Where and when a prose scene happens. Texts written for these tests."""

from story import SegmentOptions, segment
from story.describe import location, time_of_day_evidence

PLATFORM = (
    "Ines stood in the waiting room in Brixton. It was eleven at night, and the rain had started at noon.\n\n"
    "The train to Harrow was late. Ines read the timetable twice and sighed.\n\n"
    "The next morning she woke in the hotel by the river, and breakfast was already cold."
)


def scenes(text: str, count: int):
    return segment(text, 30, SegmentOptions(scene_count=count)).scenes


def test_a_destination_is_not_the_setting_and_the_setting_carries_over():
    first, second, third = scenes(PLATFORM, 3)
    assert "Brixton" in (first.location or "")
    assert second.location == first.location  # 'the train to Harrow' does not move the story
    assert third.location == "the hotel"


def test_time_of_day_comes_from_evidence_and_carries_over():
    first, second, third = scenes(PLATFORM, 3)
    assert first.time_of_day == "night"  # not 'noon': the rain had started then
    assert second.time_of_day == "night"  # nothing says the clock moved
    assert third.time_of_day == "morning"


def test_scenes_before_the_story_first_says_when_it_is_are_at_that_time():
    text = (
        "Ines crossed the square with her suitcase and looked for the hotel.\n\n"
        "The porter took the suitcase. Ines signed the register with a borrowed pen.\n\n"
        "It was nearly midnight when she reached her room, and the street below was empty.\n\n"
        "At dawn the bells of the cathedral woke her."
    )
    times = [s.time_of_day for s in scenes(text, 4)]
    assert times == ["night", "night", "night", "dawn"]


def test_a_character_is_never_the_location():
    text = (
        "Marek waited by the well. “Come here,” said Marek.\n\n"
        "Olga ran to Marek and laughed. “You came,” Marek said.\n\n"
        "Marek and Olga walked home together in the dark."
    )
    result = segment(text, 20, SegmentOptions(scene_count=3))
    names = {c.name for c in result.characters}
    assert "Marek" in names
    assert all(s.location is None or "Marek" not in s.location for s in result.scenes)
    assert result.scenes[1].location == "the well"


def test_location_rules_directly():
    assert location("He took the road to Elmford.", {"Elmford"}) is None
    assert location("They met in Elmford at noon.", {"Elmford"}) == "Elmford"
    assert location("She ran to Olga.", {"Olga"}, frozenset({"Olga"})) is None
    assert location("She glanced toward the sea.", set(), previous="the cottage") == "the cottage"
    assert location("They sat in the kitchen and talked in the kitchen.", set(), previous="the garden") == "the kitchen"


def test_time_evidence_rules():
    assert time_of_day_evidence(["We met at 6 p.m. by the pier."]) == "evening"
    assert time_of_day_evidence(["She had slept all afternoon.", "Now she sat up."]) is None
    assert time_of_day_evidence(["Tomorrow morning we sail."]) is None
    assert time_of_day_evidence(["That night the owls called."]) == "night"


def test_places_in_speech_and_in_backstory_do_not_set_the_scene():
    speech = "The boat rose on the waves and the men in the boat bailed. “A soldier lay dying in Algiers,” he sang."
    assert location(speech, {"Algiers"}) == "the boat"
    backstory = "A newly married pair had boarded this train at San Antonio. They sat in the parlour car."
    assert "San Antonio" not in (location(backstory, {"San Antonio"}) or "")
    title = "I even put it in a small brochure called ‘A Study in Scarlet.’ We sat in the room till dark."
    assert location(title, {"Scarlet"}) == "the room"


def test_dialect_apostrophes_do_not_end_a_quotation_and_a_simile_is_no_place():
    speech = "We sat in the parlour. “I was his mate, I was, an’ he gave it me at Savannah, ’fore he died.”"
    assert location(speech, {"Savannah"}) == "the parlour"
    simile = "Fog filled the office, as if all the chimneys in Great Britain had caught fire. He sat in the office."
    assert location(simile, {"Great Britain"}) == "the office"


def test_a_story_told_over_several_paragraphs_of_speech_is_no_place_and_a_life_is_no_scene():
    told = (
        "We sat in the room. “I will tell you how it began,” he said. “My father came home ill.\n\n"
        "“He went to live at Larch Lodge in Upper Norwood, and he never left Larch Lodge again.”\n\n"
        "He stopped and looked at us."
    )
    assert location(told, {"Larch Lodge"}) == "the room"
    unclosed = "She stood in the hall. “Wait,\n\nThey rode at dawn to Ravenholm and slept at Ravenholm."
    assert location(unclosed, {"Ravenholm"}) == "Ravenholm"  # a quotation left open ends with its paragraph
    life = "I amused her with my adventures in Kandahar. The cab rattled on."
    assert location(life, {"Kandahar"}) is None


def test_a_scene_that_names_no_place_but_its_furniture_is_indoors():
    text = "He took the bottle from the mantel-piece and sank into the armchair by the table. He sighed."
    assert location(text, set()) == "a room"
    assert location("He took the bottle and sighed.", set()) is None


def test_a_scene_aboard_a_vehicle_that_names_no_place_is_drawn_aboard():
    text = "The great train was whirling onward. A married pair had boarded the train at dawn and sat very still."
    assert location(text, set()) == "the train"
    assert location("The train was far away. She walked on.", set()) is None  # said once: not enough


def test_a_time_said_in_speech_is_not_the_scene_s_time_but_a_greeting_is():
    plan = ["“We sail tonight, tonight at last,” he said.", "The noon sun beat down on the deck."]
    assert time_of_day_evidence(plan) == "noon"
    assert time_of_day_evidence(["“Good evening,” said the porter.", "He took her bag."]) == "evening"


def test_a_room_inside_the_town_the_scene_reaches_is_what_gets_drawn():
    text = (
        "The buggy came at last into Avonlea, and stopped in Avonlea by the post office. "
        "Marilla was waiting in the kitchen with the lamp lit. In the kitchen the kettle sang."
    )
    assert location(text, {"Avonlea"}) == "the kitchen, Avonlea"
    before = "She stood in the hall. Then they rode at dawn to Ravenholm and slept at Ravenholm."
    assert location(before, {"Ravenholm"}) == "Ravenholm"  # the hall was left behind, not a room in the town


def test_rocks_below_a_tower_are_a_place():
    assert location("The keeper found the boy on the rocks below the tower. The sea roared.", set()) in (
        "the rocks",
        "the tower",
    )


def test_a_scene_that_opens_by_going_somewhere_is_there():
    opening = "She carried him up the steps to the lamp room and wrapped him in a blanket. He slept."
    assert location(opening, set(), previous="the rocks") == "the lamp room"
    later = "She sat by the fire and mended the net. Tomorrow she would walk to the market."
    assert location(later, set(), previous="the kitchen") == "the kitchen"  # a plan, not a move
    planned = "She thought about going to the market one day. She sat by the fire."
    assert location(planned, set(), previous="the kitchen") == "the kitchen"


def test_a_plan_to_go_somewhere_is_no_evidence_of_being_there():
    text = (
        "Anne was set down at the cottage. Her father proposed removing to Bath in the spring, and Mary, "
        "instead of going to Bath, wanted her to stay. Elizabeth was engaged to go to Bath with him."
    )
    assert location(text, {"Bath"}) == "the cottage"


def test_a_town_often_gone_to_is_a_place_though_it_once_reads_as_acting():
    text = (
        "Sir Walter talked of Bath all winter. Anne disliked Bath, and Bath was to be their home. Lady Russell "
        "made Bath preferred. They would live in Bath. Anne had been at school in Bath. She went to Bath with "
        "her father, and they took rooms in Bath. Anne sighed."
    )
    names = {n for c in segment(text, 30).characters for n in [c.name, *c.aliases]}
    assert "Bath" not in names  # 'made Bath preferred' once, against six times gone to or stayed at
    assert "Anne" in names


def test_a_time_word_with_a_possessive_is_evidence():
    assert (
        time_of_day_evidence(["It was eleven o'clock when we reached the last stage of our night's adventures."])
        == "night"
    )
    assert time_of_day_evidence(["The morning’s post lay on the table and the tea was cold."]) == "morning"


def test_a_part_of_something_else_is_not_the_setting():
    mouth = "Tom whistled with the tongue on the roof of the mouth. He ran into the kitchen and whistled again."
    assert location(mouth, set()) == "the kitchen"
    house = "His garret was under the roof of a high house. He went out into the street and looked round."
    assert location(house, set()) == "the street"


def test_in_the_morning_without_an_hour_and_waking_up_say_when_a_scene_is():
    assert time_of_day_evidence(["When she opened her eyes in the morning the fire was lit.", "She sat up."]) == (
        "morning"
    )
    assert time_of_day_evidence(["He woke late, with a headache.", "The street below was loud."]) == "morning"
    assert time_of_day_evidence(["It was eleven at night.", "In the morning she would go."]) == "night"
