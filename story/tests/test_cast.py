"""The cast a storyboard artist draws from: one character per person, beings only, their looks. Texts written here."""

import re

import pytest

from story import segment


def cast(text: str, duration: int = 30) -> dict[str, tuple[list[str], str]]:
    return {c.name: (c.aliases, c.description) for c in segment(text, duration).characters}


def holders(found: dict[str, tuple[list[str], str]], *names: str) -> list[str]:
    """The characters that go by any of these names."""
    return [n for n, (aliases, _) in found.items() if set(names) & {n, *aliases}]


def every_name(text: str) -> set[str]:
    """The characters' names and aliases, all together."""
    return {name for main, (aliases, _) in cast(text).items() for name in [main, *aliases]}


def test_name_variants_titles_and_first_names_are_one_character():
    text = (
        "Tessa Moreau unlocked the shop. Tessa swept the floor while the kettle boiled.\n\n"
        "“Good morning, Miss Tessa,” said the postman. Moreau nodded and took the letters.\n\n"
        "Dr. Vane came in at ten. Arthur Vane was a thin man with round spectacles. Vane bought a map."
    )
    found = cast(text)
    tessa = holders(found, "Tessa")
    assert tessa == ["Tessa Moreau"]
    assert {"Miss Tessa", "Moreau"} <= set(found["Tessa Moreau"][0])
    vane = holders(found, "Vane")
    assert vane == ["Arthur Vane"]
    assert "Dr. Vane" in found["Arthur Vane"][0]


def test_a_title_that_may_be_someone_else_keeps_them_apart():
    text = "Arthur Vane read by the fire. Mrs. Vane knitted. Arthur Vane yawned. Mrs. Vane laughed at him."
    assert {"Arthur Vane", "Mrs. Vane"} <= set(cast(text))


def test_contractions_headlines_titles_clubs_and_directions_are_not_characters():
    text = (
        "“I'm Dev,” he said. “I've come about the room.” Dev set down his bag.\n\n"
        "The paper on the table said STORM CLOSES NORTHERN LINE. Dev had read “The Salt Road” twice.\n\n"
        "He rowed for the Harbour Rowing Club every Sunday. He looked East, toward the river. Dev smiled."
    )
    names = every_name(text)
    assert "Dev" in names
    assert not {"I'm Dev", "I've", "Salt Road", "The Salt Road", "Harbour Rowing Club", "Rowing Club", "East"} & names
    assert not any("STORM" in n or "Northern" in n for n in names)


def test_epithet_characters_and_named_animals_are_found():
    text = (
        "The Tin Soldier stood on the shelf. At midnight the Tin Soldier stepped down and marched to the door.\n\n"
        "“Who is there?” said the Widow. The Widow lifted her lamp.\n\n"
        "Behind her waited a dragon named Cinder. Cinder lifted her head and hissed. "
        "She had green scales and amber eyes."
    )
    found = cast(text)
    assert {"The Tin Soldier", "The Widow", "Cinder"} <= set(found)
    assert "a dragon" in found["Cinder"][1]
    assert "green scales" in found["Cinder"][1]


def test_looks_before_the_name_and_after_a_self_introduction_are_the_character_s():
    text = (
        "A tall man in a paint-spattered denim jacket came down the stairs. “I'm Dev,” he said. Dev smiled.\n\n"
        "“I'm Pell,” said the boy at the door. He was a thin boy with a torn grey coat. Pell waited."
    )
    found = cast(text)
    assert found["Dev"][1] == "a tall man in a paint-spattered denim jacket"
    assert "a thin boy with a torn grey coat" in found["Pell"][1]


def test_a_greeting_is_not_a_description_and_neighbours_keep_their_looks():
    text = (
        "“Hello, Tom, old man,” said Maud. Maud was young, with red hair. Tom laughed.\n\n"
        "Tom stood beside a stooped woman in a black shawl. Tom waved."
    )
    found = cast(text)
    assert "old" not in found["Tom"][1]
    assert "black" not in found["Tom"][1]
    assert "shawl" not in found["Tom"][1]
    assert "red hair" in found["Maud"][1]


def test_a_character_s_prompt_is_identical_in_every_scene():
    text = (
        "Ada Finch, a small woman in a yellow raincoat, crossed the bridge.\n\n"
        "The next day Ada Finch fed the ducks by the pond.\n\n"
        "That night Ada Finch locked the gate of the park."
    )
    result = segment(text, 30)
    pairs = [pair for s in result.scenes for pair in zip(s.characters, s.character_prompts, strict=True)]
    prompts = {p for n, p in pairs if n == "Ada Finch"}
    assert len(prompts) == 1
    assert "yellow raincoat" in next(iter(prompts))


def test_brothers_with_one_title_and_surname_stay_apart():
    text = (
        "Mr. Osric Vale opened the door. Mr. Osric Vale bowed. Mr. Edmund Vale sat by the fire. "
        "Mr. Edmund Vale coughed. Osric laughed."
    )
    found = cast(text)
    osric = holders(found, "Mr. Osric Vale")
    edmund = holders(found, "Mr. Edmund Vale")
    assert len(osric) == 1
    assert len(edmund) == 1
    assert osric != edmund


def test_a_capitalised_name_always_used_with_the_is_a_thing_unless_it_is_a_being():
    text = (
        "The Golden Anchor stood by the quay. Nell worked at the Golden Anchor. Nell laughed. "
        "The Golden Anchor was the oldest inn in town. The Iron Sailor stood in the square. At midnight the "
        "Iron Sailor spoke to Nell."
    )
    names = set(cast(text))
    assert "Golden Anchor" not in names
    assert "The Golden Anchor" not in names
    assert "The Iron Sailor" in names


def test_an_introduction_inside_a_sentence_counts_but_not_a_thing_shaped_like_a_being():
    text = (
        "The bell rang, and a stout man in a grey suit strode into the shop. “Inspector Brand,” said Brand. "
        "Brand sat down.\n\n"
        "A lamp in the shape of a silver swan hung over the counter. Ottilie lit it. Ottilie smiled."
    )
    found = cast(text)
    assert found["Brand"][1].startswith("a stout man in a grey suit")
    assert "swan" not in found["Ottilie"][1]


def test_features_the_narration_gives_a_character_with_his_or_her():
    text = (
        "Corvin sat at his ledger. The frost nipped his pointed nose and his thin lips, "
        "and he rolled back his shirt-cuff. Corvin frowned.\n\n"
        "Mara Quill wrapped her torn red shawl tighter. Mara laughed. “Your grey coat is wet,” she told Corvin."
    )
    found = cast(text)
    assert "pointed nose" in found["Corvin"][1]
    assert "thin lips" in found["Corvin"][1]
    assert "shirt" not in found["Corvin"][1]
    assert "grey coat" not in found["Corvin"][1]  # said by someone else, inside a quotation
    assert "torn red shawl" in found["Mara Quill"][1]


def test_short_and_long_forms_of_a_title_and_the_role_noun_are_one_character():
    text = (
        "Dr. Okafor set down his bag in the hall. Doctor Okafor had ridden all night.\n\n"
        "The doctor warmed his hands at the fire. Dr. Okafor said nothing for a while.\n\n"
        "Squire Hale came down the stairs. Mr. Hale shook the doctor's hand. The squire laughed.\n\n"
        "Mrs. Hale brought tea. Mrs. Hale smiled at them both."
    )
    found = cast(text)
    okafor = holders(found, "Dr. Okafor", "Doctor Okafor")
    assert okafor == ["Dr. Okafor"]
    assert {"Doctor Okafor", "the doctor"} <= set(found["Dr. Okafor"][0])
    hale = holders(found, "Squire Hale", "Mr. Hale")
    assert len(hale) == 1
    assert "the squire" in found[hale[0]][0]
    assert "Mrs. Hale" in found  # a female title on the surname may be his wife


def test_a_stray_capitalised_word_before_a_surname_is_not_a_second_first_name():
    text = (
        "Ebenezer Brand kept the ledger. Brand counted the coins twice. Brand locked the door.\n\n"
        "Whereat Brand frowned at the clock. Brand went home in the dark. Ebenezer Brand slept badly."
    )
    found = cast(text)
    brands = holders(found, "Brand")
    assert brands == ["Ebenezer Brand"]


def test_a_he_was_sentence_after_any_sentence_naming_only_that_character_is_theirs():
    text = (
        "The fog lay over the harbour. At the far table I saw Harlan Voss at last. "
        "He was very tall and broad, with a face as red as brick.\n\n"
        "Voss waved me over. I sat down beside Voss and the barman. He was a thin man with a pencil moustache."
    )
    found = cast(text)
    looks = found["Harlan Voss"][1]
    assert "very tall and broad" in looks
    assert "moustache" not in looks  # the next 'He was' follows a sentence that names the barman too


def test_a_common_noun_character_keeps_the_looks_the_narration_gives_it():
    text = (
        "The injured captain lay in the bow. The cook squatted in the bottom of the boat. "
        "His sleeves were rolled over his fat forearms.\n\n"
        "The cook bailed with a tin. The captain watched the waves. The cook said nothing."
    )
    found = cast(text)
    assert "fat forearms" in found["The Cook"][1]
    assert "injured" in found["The Captain"][1]
    assert "forearms" not in found["The Captain"][1]


def test_a_paragraph_about_one_character_gives_them_its_his_and_her_features():
    text = (
        "Oh, but he was a hard man, Silas Crane! Cold and close and silent. "
        "The cold within him nipped his pointed nose and turned his thin lips blue.\n\n"
        "Silas Crane counted the coins. Silas Crane locked the drawer.\n\n"
        "Later Silas Crane waited at the door when a stranger came up the road. "
        "He was a pale man with a crooked grey beard."
    )
    found = cast(text)
    looks = found["Silas Crane"][1]
    assert "pointed nose" in looks
    assert "thin lips" in looks
    assert "crooked grey beard" not in looks
    assert "pale man" not in looks


def test_her_features_are_not_his():
    text = (
        "Tobias Reed sat by the stove, and he rubbed his cold hands. Tobias Reed said nothing.\n\n"
        "Tobias Reed watched the road. Her long red scarf blew across the gate.\n\n"
        "He went to bed early. Tobias Reed slept."
    )
    looks = cast(text)["Tobias Reed"][1]
    assert "red scarf" not in looks


def test_a_pet_form_of_a_first_name_is_the_same_character():
    text = (
        "Billy Hobb came up the road with his sea-chest. Billy Hobb knocked at the inn door.\n\n"
        "“Bill,” said the landlord, “you are welcome.” Bill laughed and sat down by the fire."
    )
    found = cast(text)
    assert "Bill" not in found
    assert "Bill" in found["Billy Hobb"][0]


def test_the_blind_man_is_the_one_character_the_text_says_is_blind():
    text = (
        "Old Tapp came tapping along the road with his stick. Tapp was plainly blind.\n\n"
        "The blind man stopped at the door. The blind man raised his stick and struck the wood.\n\n"
        "Mira Stone opened the door. The blind man gripped her wrist. Mira cried out."
    )
    found = cast(text)
    assert "The Blind Man" not in found
    tapp = holders(found, "Tapp")
    assert len(tapp) == 1
    assert "the blind man" in found[tapp[0]][0]


def test_a_name_followed_by_a_place_noun_is_a_place_not_a_character():
    text = (
        "Six men stood at the bar of the Drowsy Traveller saloon. The Drowsy Traveller was quiet that night.\n\n"
        "Jed Harlow pushed open the door of the Drowsy Traveller saloon. Jed Harlow ordered a drink.\n\n"
        "Later the Drowsy Traveller closed. Jed Harlow walked home."
    )
    found = cast(text)
    assert not [n for n in found if "Traveller" in n]
    assert "Jed Harlow" in found


def test_carried_things_and_clothes_after_dressed_in_are_the_character_s_looks():
    text = (
        "Alas for Little Pim, he bore a small crutch, and his legs were weak. Little Pim smiled.\n\n"
        "Then up rose Mrs. Dorrit, Dorrit's wife, dressed out but poorly in a twice-turned gown. "
        "Mrs. Dorrit laid the cloth. Mr. Dorrit carved the goose. Dorrit laughed."
    )
    found = cast(text)
    assert "crutch" in found["Little Pim"][1]
    assert "twice-turned gown" in found["Mrs. Dorrit"][1]
    dorrit = holders(found, "Mr. Dorrit")
    assert len(dorrit) == 1
    assert "gown" not in found[dorrit[0]][1]  # 'Dorrit's wife, dressed in a gown' is hers


def test_a_short_form_of_a_first_name_is_the_same_character_when_only_one_fits():
    text = (
        "Theodora Vail climbed the fence. Theodora Vail laughed at the dog.\n\n"
        "“Theo!” called her aunt. Theo ran home across the field. Theo ate her supper."
    )
    found = cast(text)
    assert "Theo" not in found
    assert "Theo" in found["Theodora Vail"][0]


def test_looks_after_a_sentence_about_someone_else_are_not_the_subject_s():
    # 'looked at him': the next sentence's 'he' and 'his' are the man looked at, not the one looking.
    text = (
        "Lord Henry Wotton lit a cigarette in the garden. Lord Henry Wotton looked at him. "
        "Yes, he was handsome, with his finely curved scarlet lips and his crisp gold hair.\n\n"
        "Lord Henry Wotton smiled."
    )
    description = cast(text)["Lord Henry Wotton"][1]
    assert "scarlet lips" not in description
    assert "gold hair" not in description


def test_a_she_sentence_is_not_a_man_s_looks():
    # Matthew's pronoun is 'he' by his title; 'She wore a faded sailor hat' is the girl he meets.
    text = (
        "Mr. Matthew Cuthbert drove to the station. Matthew tied the mare.\n\n"
        "Matthew was not looking at the platform, but a porter would have seen this: a girl of about eleven. "
        "She wore a faded brown sailor hat over two red braids.\n\n"
        "Matthew walked to the bench."
    )
    matthew = [d for n, (aliases, d) in cast(text).items() if "Matthew" in [n, *aliases]]
    assert len(matthew) == 1
    assert "sailor hat" not in matthew[0]


def test_a_titled_first_name_and_a_pet_form_join_the_full_name():
    text = (
        "Lord Henry Wotton lay on the divan. Lord Henry smiled at the painter.\n\n"
        "“Harry, you talk nonsense,” said the painter. Harry laughed and Lord Henry lit a cigarette.\n\n"
        "James Vane packed his trunk. “Good-bye, Mother,” said Jim Vane. Jim Vane shut the door."
    )
    found = cast(text)
    assert len(holders(found, "Lord Henry")) == 1
    assert holders(found, "Lord Henry") == holders(found, "Lord Henry Wotton") == holders(found, "Harry")
    assert holders(found, "Jim Vane") == holders(found, "James Vane")
    assert len(holders(found, "James Vane")) == 1


def test_a_titled_surname_joins_the_one_first_name_of_its_sex():
    # Two Cuthberts: 'Miss Cuthbert' is the sister ('Aunt Marilla'), 'Mr. Cuthbert' the brother.
    text = (
        "Marilla Cuthbert knitted by the window. Aunt Marilla looked up. Matthew Cuthbert came in. "
        "Mr. Matthew Cuthbert hung up his hat.\n\n"
        "“Good evening, Miss Cuthbert,” said the minister. Miss Cuthbert nodded. "
        "“And Mr. Cuthbert?” Mr. Cuthbert waved from the porch.\n\n"
        "Marilla Cuthbert poured the tea. Matthew Cuthbert drank it."
    )
    found = cast(text)
    assert holders(found, "Miss Cuthbert") == holders(found, "Marilla Cuthbert")
    assert holders(found, "Mr. Cuthbert") == holders(found, "Matthew Cuthbert")
    assert holders(found, "Marilla Cuthbert") != holders(found, "Matthew Cuthbert")


def test_mrs_with_her_husband_s_first_name_is_the_same_mrs():
    text = (
        "Mrs. Alexander Spencer lived at White Sands. Mrs. Spencer came to the door. "
        "Richard Spencer had brought the child. Richard Spencer went home.\n\n"
        "“Dear, dear,” said Mrs. Spencer. Mrs. Alexander Spencer smiled."
    )
    found = cast(text)
    assert holders(found, "Mrs. Spencer") == holders(found, "Mrs. Alexander Spencer")
    assert holders(found, "Mrs. Spencer") != holders(found, "Richard Spencer")


def test_a_name_a_realm_its_people_or_its_ruler_are_of_is_a_place():
    text = (
        "Veldmark had a great fleet. Veldmark was an island across the channel. "
        "The emperor of Veldmark sent three ships, and the people of Veldmark cheered.\n\n"
        "Tomas Reyes watched the ships. Tomas said nothing. The empire of Veldmark was angry, "
        "and the inhabitants of Veldmark lit fires on the shore."
    )
    names = every_name(text)
    assert "Tomas Reyes" in names
    assert "Veldmark" not in names


def test_the_boy_of_a_story_that_names_no_one_is_a_character():
    text = (
        "The boy kept the sheep above the village. The boy was bored, and the boy cried out that a wolf had come.\n\n"
        "The villagers ran up the hill and found no wolf. The boy laughed at them."
    )
    assert "The Boy" in cast(text)


def test_a_surname_in_the_plural_is_the_family_not_another_character():
    text = (
        "Bob Cratchit carried the goose in. Two young Cratchits cheered. Young Cratchits danced about the table. "
        "Bob Cratchit carved, and Cratchits laughed. The Miss Cratchits sang. Miss Cratchits bowed.\n\n"
        "William Dobbin knocked at the door. Williams, the butler, let him in. Williams bowed."
    )
    names = every_name(text)
    assert "Bob Cratchit" in names
    assert "Cratchits" not in names
    assert "Miss Cratchits" not in names
    assert "Williams" in names  # a surname of its own, not the plural of William Dobbin's first name


def test_a_word_of_an_inn_s_name_is_not_a_person():
    text = (
        "My father kept the Admiral Benbow inn. A seaman came up to the Admiral Benbow at dusk.\n\n"
        "He stayed at the old Benbow all winter. Jim Hawkins served him rum. Jim watched the road."
    )
    names = every_name(text)
    assert "Jim Hawkins" in names
    assert not {"Benbow", "Admiral Benbow"} & names


def test_only_what_an_artist_can_draw_becomes_looks():
    text = (
        "Jack Potter, his ancient antagonist, walked down the street. Jack Potter stopped at the corner.\n\n"
        "Sibyl Vane was a psychological phenomenon of great interest. Sibyl Vane sang. "
        "Mara Quill, the old keeper, climbed the stair. Mara Quill lit the lamp."
    )
    found = cast(text)
    assert "antagonist" not in found["Jack Potter"][1]
    assert "phenomenon" not in found["Sibyl Vane"][1]
    assert "old keeper" in found["Mara Quill"][1]


def test_a_body_part_alone_is_not_a_look():
    text = (
        "Dorian Gray stood with his face to the wall. Dorian Gray was looking into the eyes of the portrait.\n\n"
        "Dorian Gray was a young man with brown agate eyes. Dorian Gray smiled."
    )
    looks = [piece.strip() for piece in cast(text)["Dorian Gray"][1].replace(";", ",").split(",")]
    assert "brown agate eyes" in " ".join(looks)
    assert "face" not in looks
    assert "eyes" not in looks


def test_a_newcomer_introduced_by_looks_gets_them_when_named_later():
    text = (
        "Holmes sat by the fire with his pipe. Holmes said nothing.\n\n"
        "The steps came nearer, and a very stout, portly man in a grey suit strode heavily into the room. "
        "He was red-faced and burly. He was closely followed by a constable and by the pale Thaddeus Sholto.\n\n"
        "“Here's a business!” he cried. “Who are all these?”\n\n"
        "“You must recollect me, Mr. Athelney Jones,” said Holmes. Athelney Jones laughed."
    )
    found = cast(text)
    jones = found["Mr. Athelney Jones"][1]
    assert "stout, portly man in a grey suit" in jones
    assert "red-faced and burly" in jones
    assert "burly" not in found["Holmes"][1]  # the 'He was…' after the newcomer came in is not the last one named
    assert "portly" not in found.get("Thaddeus Sholto", ([], ""))[1]  # he only followed the newcomer in


def test_an_introduction_is_not_given_to_someone_of_the_other_sex():
    text = (
        "Marilla sat knitting by the window. Marilla heard the gate.\n\n"
        "A tall man with a grey beard came up the path. “Good day,” said Mrs. Lynde at the gate. "
        "Mrs. Lynde knocked."
    )
    found = cast(text)
    assert "grey beard" not in found["Mrs. Lynde"][1]


def test_a_pet_form_beside_the_same_surname_is_the_same_person():
    text = (
        "Dunstan Cass came home late. Dunstan Cass whistled in the hall.\n\n"
        "“Where have you been, Dunsey Cass?” said Godfrey Cass. Dunsey Cass only laughed. Godfrey Cass frowned."
    )
    names = [n for n, (aliases, _) in cast(text).items() if "Dunsey Cass" in [n, *aliases] or n == "Dunstan Cass"]
    assert len(names) == 1


def test_a_capitalised_adjective_after_in_is_not_a_place():
    text = (
        "Thaddeus Sholto led us down a passage hung with a great picture in Indian tapestry. "
        "Thaddeus Sholto opened the door at the end.\n\nWe sat in the room and waited."
    )
    locations = [s.location or "" for s in segment(text, 10).scenes]
    assert not any("Indian" in place for place in locations)


def test_a_feast_day_or_a_language_is_not_a_place():
    text = (
        "Sir Walter meant to let the house at Michaelmas. Sir Walter said so in the library.\n\n"
        "The child answered in Greek. Sir Walter frowned at Michaelmas and at Greek alike."
    )
    locations = [s.location or "" for s in segment(text, 10).scenes]
    assert not any("Michaelmas" in place or "Greek" in place for place in locations)


def test_a_name_the_story_goes_to_is_a_place_unless_it_acts_as_a_person():
    text = (
        "Anne Elliot went to Uppercross in the autumn. Uppercross was a moderate-sized village. "
        "At Uppercross, Anne Elliot found her sister. Uppercross had a great house and a cottage.\n\n"
        "Olek waited by the boats. Ines waved to Olek, and Olek smiled."
    )
    names = every_name(text)
    assert "Uppercross" not in names
    assert "Olek" in names


def test_had_with_a_bare_body_part_is_no_look_but_had_been_and_an_aside_are_read():
    found = cast(
        "Sir Walter had eyes upon him which saw everything. Sir Walter had a red beard. Sir Walter smiled.\n\n"
        "Anne Elliot had been a very pretty girl. Anne Elliot sighed.\n\n"
        "Frederick Wentworth came home. He was, at that time, a remarkably tall young man. Frederick Wentworth bowed."
    )
    assert found["Sir Walter"][1] == "with a red beard"
    assert "a very pretty girl" in found["Anne Elliot"][1]
    assert "a remarkably tall young man" in found["Frederick Wentworth"][1]


def test_an_oath_before_a_name_is_not_part_of_it():
    text = (
        "The manager spoke of Mr. Kurtz again. I felt weary. Hang Kurtz, I thought. Kurtz was ill, he said.\n\n"
        "Kurtz smiled in the dark. Hang Kurtz, I thought once more, and Kurtz laughed."
    )
    names = every_name(text)
    assert "Kurtz" in names
    assert "Hang Kurtz" not in names


def test_a_pronoun_that_opens_sentences_is_not_a_name():
    text = (
        "Peza climbed the hill. None of the soldiers looked at him. None spoke, and None answered him.\n\n"
        "Peza called out. Nobody came. Somebody laughed, and Somebody waved."
    )
    names = every_name(text)
    assert "Peza" in names
    assert not {"None", "Somebody", "Nobody"} & names


def test_a_role_named_later_is_one_character_with_the_name():
    text = (
        "Mara Quill found the boy on the rocks below the tower. He was thin and pale, with a torn blue coat.\n\n"
        "Mara Quill carried him up to the lamp room. The boy only shivered.\n\n"
        "“I can help,” said the boy behind her. His name, he said, was Tom.\n\n"
        "At dawn Tom stood on the quay, waving."
    )
    found = cast(text)
    assert "The Boy" not in found
    aliases, looks = found["Tom"]
    assert "the boy" in aliases
    assert "torn blue coat" in looks


def test_looks_said_after_the_body_part_or_after_a_name_s_are_read():
    found = cast(
        "Ethan Frome walked down the street. Ethan's lean brown head was bare. Ethan Frome stopped.\n\n"
        "Queequeg sat on the bed. His face was tattooed all over with dark squares. Queequeg smoked.\n\n"
        "Fred came in from the fog. His face was ruddy and handsome. Fred laughed."
    )
    assert "lean brown head" in found["Ethan Frome"][1]
    assert "tattooed face" in found["Queequeg"][1]
    assert "ruddy and handsome face" in found["Fred"][1]


def test_a_phrase_whose_head_a_look_qualifies_is_drawn_and_a_time_phrase_is_not():
    found = cast(
        "Muff Potter, a ragged old drunkard, slept by the graves. Muff Potter snored.\n\n"
        "Ethan Frome came up the street. He was a ruin of a man, with a red gash across his forehead. "
        "Ethan Frome limped.\n\nSir Walter, a short time before, had left the house. Sir Walter sighed."
    )
    assert "a ragged old drunkard" in found["Muff Potter"][1]
    assert "a ruin of a man, with a red gash" in found["Ethan Frome"][1]
    assert "time" not in found["Sir Walter"][1]


def test_an_epithet_that_opens_on_a_place_the_story_goes_to_is_a_thing():
    text = (
        "Zeena drove to Bettsbridge to see the doctor. Zeena came back at night.\n\n"
        "The Bettsbridge Eagle lay on the table. The Bettsbridge Eagle said the roads were bad. "
        "Ethan read the Bettsbridge Eagle twice. Ethan went to bed."
    )
    names = every_name(text)
    assert {"Zeena", "Ethan"} <= names
    assert not any("Eagle" in n for n in names)


def test_the_cat_whose_name_the_text_gives_is_that_name():
    text = (
        "We had birds, gold fish, and a cat. The cat was black and very large. "
        "Pluto—this was the cat's name—was my favourite pet. Pluto followed me about the house. "
        "The cat slept by the fire."
    )
    found = cast(text)
    assert [n for n in found if "cat" in n.lower() or n == "Pluto"] == ["Pluto"]
    assert "the cat" in found["Pluto"][0]
    assert "black" in found["Pluto"][1]  # the looks stated while it was only the cat


# A name variant and the one character it must join, one rule each (round 5).
NAME_VARIANTS = {
    "a first name goes to the full name it opens, not to one it ends ('Mars Tom')": (
        "Tom Sawyer climbed the fence. Tom whistled and Tom ran down the lane.\n\n"
        "“Mars Tom, your aunt wants you,” said Jim. Tom laughed. Tom sat on the step.",
        "Tom",
        "Tom Sawyer",
    ),
    "'Tom' is the English pet form of Thomas": (
        "Tom Sawyer climbed the fence. Tom whistled. Thomas Sawyer was his Sunday name, and Tom hated it. Tom sat.",
        "Thomas Sawyer",
        "Tom Sawyer",
    ),
    "a kinship title and a first name join the titled full name": (
        "Mr. Bartholomew Sholto kept the tower. “Brother Bartholomew is upstairs,” said Thaddeus. "
        "Thaddeus walked to the stair. Bartholomew did not answer. Brother Bartholomew had locked his door. "
        "Thaddeus knocked again.",
        "Brother Bartholomew",
        "Mr. Bartholomew Sholto",
    ),
    "a bare surname a Mrs. also bears is the man the text names most": (
        "Ethan Frome drove the sledge to the mill. Frome said nothing on the way. Frome was a silent man.\n\n"
        "Mrs. Frome waited at the door. Zenobia Frome had been ill all winter. Ethan Frome nodded to her, "
        "and Frome went in. Frome sat by the stove. Zenobia coughed. Frome lit his pipe.",
        "Frome",
        "Ethan Frome",
    ),
    "a bare surname a family shares is the one of them the text names far most": (
        "Denis Eady drove past the church. Denis Eady waved to the girls on the steps. Denis Eady laughed. "
        "Michael Eady kept the store, and Michael Eady sold him the cutter. Eady cracked his whip and was gone. "
        "Denis Eady came back at nine.",
        "Eady",
        "Denis Eady",
    ),
    "a surname with a man's title is the one man of the family the text gives a man's title": (
        "Sir John Durbeyfield walked home from market. John Durbeyfield was a haggler. Joan Durbeyfield was at "
        "the tub, and Tess Durbeyfield came in from the dance. Joan Durbeyfield scolded her. “Mr. Durbeyfield "
        "is at Rolliver's,” said Tess. Tess Durbeyfield went to fetch him. Mr. Durbeyfield was asleep.",
        "Mr. Durbeyfield",
        "Sir John Durbeyfield",
    ),
    "a bare surname is the titled man of the family, not the girl named most": (
        "Becky Thatcher sat in the front row. Becky Thatcher smiled. Becky Thatcher looked away. Jeff Thatcher "
        "waved. Judge Thatcher came to the school. Thatcher was a great man in the county. Judge Thatcher bowed.",
        "Thatcher",
        "Judge Thatcher",
    ),
    "the head noun of the one epithet that ends on it is that epithet": (
        "The Mole met the Water Rat by the river. The Water Rat rowed him across. The Rat laughed, and the Rat "
        "sculled on. The Water Rat tied up the boat.",
        "the Rat",
        "The Water Rat",
    ),
    "a describing word before a first name is a nickname of the full name": (
        "John Silver kept the Spy-glass a long time. John Silver hopped a long way on his crutch. The men feared "
        "Long John, and everyone knew Long John by his long pole. Silver laughed.",
        "John",  # not a 'Long John' of his own, now that 'the Snow Queen' keeps its common first word
        "John Silver",
    ),
    "a role said of a name without an article is that name's": (
        "One passenger came ashore: Taylor Plunkett, sheriff of Chatham County. The sheriff sat down to dinner. "
        "Plunkett ate. The sheriff laughed. Plunkett slept.",
        "the sheriff",
        "Taylor Plunkett",
    ),
    "a role noun named right after it is that name's, and a compound noun is its last word": (
        "In those years such a linen-weaver, named Silas Marner, worked in a stone cottage. The weaver sat at his loom "
        "all day. Silas Marner sang. The weaver was pale. Silas went home.",
        "the weaver",
        "Silas Marner",
    ),
    "a role that names itself in its own speech is that name": (
        "A boy sat on the rocks. The boy looked up. “I am Pell,” said the boy. Pell laughed. The boy ran off. "
        "Pell came back.",
        "the boy",
        "Pell",
    ),
}


@pytest.mark.parametrize(("text", "variant", "owner"), NAME_VARIANTS.values(), ids=NAME_VARIANTS.keys())
def test_a_name_variant_joins_the_one_character_it_names(text, variant, owner):
    found = cast(text)
    assert len(holders(found, owner)) == 1
    assert holders(found, variant) == holders(found, owner)


# Looks a text states and the character they must reach, one rule each (round 5).
LOOKS_STATED = {
    "an appositive ends at its relative clause": (
        "Godfrey Cass, the eldest, a fine open-faced young man who was to inherit the farm, rode home. Godfrey sang.",
        "Godfrey Cass",
        "a fine open-faced young man",
    ),
    "an appositive may open with 'this'": (
        "The boy felt for Bill, this grimy sheep-herder, a sort of awe. Bill laughed. Bill ate.",
        "Bill",
        "this grimy sheep-herder",
    ),
    "a garment outside the first word lists": (
        "Karen walked to church. Karen had bare feet and wore red shoes. Karen sang.",
        "Karen",
        "red shoes",
    ),
    "a part of the body outside the first word lists": (
        "“That's my place,” said Frome, with a sideway jerk of his lame elbow. Frome drove on. Frome sighed.",
        "Frome",
        "lame elbow",
    ),
    "a title written without its full stop": (
        "Mrs Clay had freckles and a projecting tooth. Mrs Clay smiled at Sir Walter. Mrs Clay left the room.",
        "Mrs. Clay",
        "freckles",
    ),
    "a build stated as 'of a size'": (
        "Mrs Musgrove was of a comfortable, substantial size, fitted by nature for good cheer. Mrs Musgrove sat.",
        "Mrs. Musgrove",
        "of a comfortable, substantial size",
    ),
    "a common-noun character as it was brought in": (
        "In the cold and the darkness, a poor little girl, with bare head and naked feet, roamed through the "
        "streets. The girl carried matches in an old apron. The girl sat down in a corner.",
        "The Girl",
        "bare head",
    ),
}


@pytest.mark.parametrize(("text", "name", "look"), LOOKS_STATED.values(), ids=LOOKS_STATED.keys())
def test_looks_the_text_states_reach_the_character(text, name, look):
    assert look in cast(text)[name][1]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mrs Musgrove was of a cheerful disposition. Mrs Musgrove laughed. Mrs Musgrove sat.", "Mrs. Musgrove"),
        ("They say you cannot teach an old dog new tricks. The dog barked. The dog slept.", "The Dog"),
    ],
)
def test_a_temper_or_an_idiom_is_no_look(text, name):
    assert cast(text).get(name, ([], ""))[1] == ""


@pytest.mark.parametrize(
    "text",
    [
        "Goree watched the road, and Goree waited. Presently Goree rose. The sun went down presently.",
        "“W'at happened?” said Uncle Mortimer. “W'at happened to the cow?” asked Aunt Minty. He told w'at he saw.",
    ],
    ids=["an adverb", "a dialect word"],
)
def test_a_word_of_the_language_opening_a_sentence_is_not_a_name(text):
    assert not every_name(text) & {"Presently", "Presently Goree", "W'at"}


def test_a_name_with_accented_letters_is_read_whole():
    text = (
        "Grégoire Santien rode up to the cabin. Grégoire called to the old man. Émile Ledoux came out, "
        "and Émile shook his hand. “Mista Grégoire!” cried Émile. Seán O’Brien laughed. O’Brien sat down. "
        "McMurdo opened the gate. McMurdo bowed."
    )
    names = every_name(text)
    assert {"Grégoire Santien", "Émile Ledoux", "O’Brien", "McMurdo"} <= names
    assert not {n for n in names if n.split()[-1] in ("Gr", "Ledoux") and n != "Émile Ledoux"}


def test_a_capitalised_epithet_inside_a_sentence_is_a_character_though_its_word_is_common():
    text = (
        "Kay watched the snow fall. The snow was deep, and snow lay on the roofs. Then the Snow Queen came to "
        "the window. Kay saw that the Snow Queen was tall and white. Gerda looked for the Snow Queen everywhere."
    )
    assert "The Snow Queen" in cast(text)


def test_a_possessive_ends_a_name():
    text = (
        "Lionel rode out. Lionel laughed. The Hippogriff became the King's Own Rocking Horse, and Lionel's Own "
        "Guard cheered. Lionel's Own Guard marched home. Lionel waved."
    )
    assert not {n for n in every_name(text) if "Own" in n}
    bare = "We sat in Jones' rooms, and Jones' pipe was lit. “Come in,” said Jones' man. Jones' dog barked."
    assert "Jones" in every_name(bare)  # an apostrophe alone ends the name as "'s" does


def test_titles_of_other_languages_are_titles():
    text = (
        "Señora Quiroga sat on the hotel veranda. Mrs. Quiroga fanned herself and watched the harbour.\n\n"
        "M'sieur Ledoux rode up to the gallery. Mr. Ledoux tied his horse. Señora Quiroga waved to him."
    )
    found = cast(text)
    assert holders(found, "Señora Quiroga") == holders(found, "Mrs. Quiroga") != []
    assert holders(found, "M'sieur Ledoux") == holders(found, "Mr. Ledoux") != []
    assert "Señora" not in every_name(text)


def test_miss_and_mrs_on_one_surname_are_two_women():
    text = (
        "Mrs. Hale sewed by the lamp. Miss Hale came in with the post. Mrs. Hale took the letters.\n\n"
        "“Thank you,” said Mrs. Hale. Miss Hale sat down and opened a book."
    )
    found = cast(text)
    assert holders(found, "Miss Hale") != holders(found, "Mrs. Hale")


def test_a_pet_name_and_the_formal_name_are_one_person_unless_a_titled_name_claims_it():
    text = (
        "Meg brushed her hair by the fire. “Margaret,” said her mother, “the bread.” Margaret went out.\n\n"
        "Meg came back with the loaf. Aunt Polly was waiting at the door. Polly scolded her, and Mary laughed. "
        "Mary ran off."
    )
    found = cast(text)
    assert holders(found, "Meg") == holders(found, "Margaret") != []
    assert holders(found, "Polly") == holders(found, "Aunt Polly")
    assert holders(found, "Polly") != holders(found, "Mary")


def test_a_role_said_in_passing_in_a_story_that_names_its_people_is_not_a_character():
    text = (
        "Hester Vail walked down to the quay. Tomas Reyes was mending a net there. Hester Vail waved.\n\n"
        "She thought of the girl at the inn, and of the girl's red shawl. Tomas Reyes laughed at her.\n\n"
        "“The girl will wait,” said Tomas Reyes. Hester Vail looked past the girl's window to the boat.\n\n"
        "“Cross now,” said the keeper. The keeper pushed off, and Hester Vail sat in the stern."
    )
    found = cast(text)
    assert not holders(found, "The Girl")
    assert holders(found, "The Keeper") == ["The Keeper"]


def test_a_surname_that_is_a_place_word_is_a_person_when_it_acts_or_speaks():
    text = (
        "Lois Lane walked into the newsroom. Lois Lane opened her notebook and frowned.\n\n"
        "“Where is the editor?” asked Lois Lane. Perry White pointed at the stairs. Lois Lane climbed them.\n\n"
        "Baker Street was quiet. Perry White waited at the door."
    )
    found = cast(text)
    assert holders(found, "Lois Lane") == ["Lois Lane"]
    assert not holders(found, "Baker Street")


def test_an_appositive_may_end_the_sentence_run_long_with_looks_or_stand_between_name_and_verb():
    text = (
        "Valentin looked round the room. He saw her daughter, Lady Margaret Graham, a pale and pretty girl with "
        "an elfish face and copper-coloured hair. He saw Dr. Simon, a French scientist, with glasses, a pointed "
        "brown beard, and a forehead barred with wrinkles. The Duke of Chester, the vice-president, was a young "
        "and rising politician.\n\n"
        "Lady Margaret Graham laughed. Dr. Simon frowned. The Duke of Chester bowed to Dr. Simon.\n\n"
        "Mr. Bingley, his two sisters, and another young man came in. Mr. Bingley sat down."
    )
    found = cast(text)
    assert "copper-coloured hair" in found["Lady Margaret Graham"][1]
    assert "pointed brown beard" in found["Dr. Simon"][1]
    assert "young and rising politician" in found["Duke of Chester"][1]
    assert "sisters" not in found["Mr. Bingley"][1]


def test_an_introduction_may_put_its_place_and_verb_before_the_newcomer():
    text = (
        "The buggy came down the mountain road. On the front seat sat a gaunt, tall man, dressed in black "
        "broadcloth. He got down slowly.\n\n“Good day,” said Pike Garvey. Pike Garvey tied the mule and went in."
    )
    assert "gaunt, tall man" in cast(text)["Pike Garvey"][1]


def test_a_man_s_title_on_a_surname_does_not_join_a_woman_of_that_family():
    text = (
        "Miss Nancy Lammeter rode to the dance on a pillion. Nancy Lammeter smoothed her grey cloak.\n\n"
        "Mr. Lammeter handed her down at the door. Mr. Lammeter was a tall man. Nancy Lammeter thanked him."
    )
    found = cast(text)
    assert holders(found, "Mr. Lammeter") != holders(found, "Nancy Lammeter")


def test_a_county_a_grange_and_heights_are_places():
    text = (
        "Thrushcross Grange stood empty that winter. Chatham County had voted, and Wuthering Heights was dark.\n\n"
        "Nelly Dean walked from Thrushcross Grange to Wuthering Heights. Nelly Dean knocked twice."
    )
    names = every_name(text)
    assert not {"Thrushcross Grange", "Chatham County", "Wuthering Heights"} & names
    assert "Nelly Dean" in names


def test_numbers_and_nowhere_are_not_characters():
    text = (
        "Twelve! The bells struck, and Scrooge sat up. Nowhere was there a sound.\n\n"
        "Twelve, said the clock again. Scrooge listened. Nowhere could he find the Ghost."
    )
    assert not {"Twelve", "Nowhere"} & every_name(text)


def test_a_capitalised_being_after_the_is_a_character_not_a_place():
    # WordNet's first sense of 'giraffe' is an animal and of 'parsee' a person; of 'strand' a shore.
    text = (
        "The Giraffe ran across the High Veldt. The Giraffe stopped by the Parsee's hut.\n\n"
        "“Come in,” said the Parsee. The Parsee baked a cake. They walked down the Strand at noon."
    )
    names = every_name(text)
    assert {"The Giraffe", "The Parsee"} <= names
    assert not {"Strand", "The Strand"} & names


def test_young_before_a_name_does_not_make_every_young_man_that_person():
    text = (
        "Young Hindley came home from college. Hindley Earnshaw had married.\n\n"
        "The young man at the gate laughed. “Who are you?” asked the young man. The young man rode off.\n\n"
        "The young lady in the parlour sighed. The young lady said nothing. Hindley Earnshaw shrugged."
    )
    found = cast(text)
    assert "the young man" not in found["Hindley Earnshaw"][0]
    assert "the young lady" not in found["Hindley Earnshaw"][0]


def test_a_hyphenated_name_is_one_name():
    text = (
        "Stickly-Prickly Hedgehog curled up by the river. Eliza-Louisa ran down the lane.\n\n"
        "“Wait,” said Eliza-Louisa. Stickly-Prickly Hedgehog uncurled and waited for her."
    )
    names = every_name(text)
    assert {"Stickly-Prickly Hedgehog", "Eliza-Louisa"} <= names
    assert not {"Prickly Hedgehog", "Louisa"} & names


def test_dialect_forms_of_mister_and_master_are_titles():
    text = (
        "Grégoire Santien rode up to the cabin. “Mornin’, Mista Grégoire,” said the old woman. "
        "Mista Grégoire tipped his hat.\n\n"
        "Tom Sawyer ran down the lane. “Mars Tom, you come back here!” Mars Tom only laughed."
    )
    found = cast(text)
    assert holders(found, "Mista Grégoire") == holders(found, "Grégoire Santien") != []
    assert holders(found, "Mars Tom") == holders(found, "Tom Sawyer") != []


def test_words_spoken_across_sentences_of_one_quotation_are_not_a_look():
    text = (
        "Ida Brandt poured the tea and watched the rain. Ida Brandt sighed at the window.\n\n"
        "Mrs. Coyle put down her cup. “Listen to me. Take the word of an old woman, Miss Ida: go home.”\n\n"
        "Ida Brandt laughed and went out into the rain."
    )
    found = cast(text)
    assert "old" not in found["Ida Brandt"][1]
    # the same words said outside a quotation stay a look
    told = "An old woman, Ida Brandt, poured the tea. Ida Brandt sighed at the window. Ida Brandt went out."
    assert "old" in cast(told)["Ida Brandt"][1]


def test_a_given_name_tells_a_woman_from_a_man_of_her_surname():
    text = (
        "Nora Pell sat by the stove. Captain Pell came in from the yard and hung up his coat. "
        "Nora Pell laughed at him. Captain Pell frowned and sat down.\n\n"
        "Greta Holm arrived at noon. Miss Holm took off her gloves. Greta Holm smiled and Miss Holm sat."
    )
    found = cast(text)
    assert holders(found, "Captain Pell") != holders(found, "Nora Pell")  # her father, not her
    assert len(holders(found, "Miss Holm", "Greta Holm")) == 1


def test_a_mrs_is_the_one_woman_of_her_surname_unless_a_miss_is_her_daughter():
    wife = "Ada Brisk poured the tea. Colonel Brisk read his paper. Mrs. Brisk sighed. Ada Brisk left. Mrs. Brisk went."
    found = cast(wife)
    assert holders(found, "Mrs. Brisk") == holders(found, "Ada Brisk")
    assert holders(found, "Colonel Brisk") != holders(found, "Ada Brisk")
    mother = (
        "Lily Dunne ran in. Mrs. Dunne scolded her. Miss Dunne laughed and ran out. "
        "Mrs. Dunne sighed. Lily Dunne came back."
    )
    found = cast(mother)
    assert holders(found, "Mrs. Dunne") != holders(found, "Lily Dunne")


def test_a_man_s_title_keeps_his_looks_from_a_woman_s_possessive():
    text = (
        "Mr. Hobb came into the parlour and sat down. She was talking to Mr. Hobb, and as she spoke, her long "
        "narrow head drove backwards and forwards. Mr. Hobb nodded. Mr. Hobb went out."
    )
    assert "narrow head" not in cast(text)["Mr. Hobb"][1]


def test_a_man_s_title_on_a_surname_joins_a_clergyman_s_full_name():
    text = "Lucy met the Rev. Cuthbert Orme at the gate. Mr. Orme was pleased. Lucy saw the Rev. Cuthbert Orme bow."
    found = cast(text)
    assert len(holders(found, "Mr. Orme", "Cuthbert Orme")) == 1


def test_a_name_known_first_as_a_place_is_not_a_character():
    text = (
        "Anton Veld spread the map of Russia on the table. Russia had always frightened him. "
        "Anton Veld traced the border with his finger. Russia lay there, white and wide, and Russia waited.\n\n"
        "Florence came in with the lamp. Florence set it down and laughed at him."
    )
    names = every_name(text)
    assert "Russia" not in names
    assert "Florence" in names  # a given name too: the woman with the lamp


def test_an_appositive_ends_before_a_preposition_that_opens_a_clause():
    text = (
        "Framton wondered whether Mrs. Sappleton, the lady to whom he was presenting one of the letters of "
        "introduction, came into the nice division. Mrs. Sappleton came in. Mrs. Sappleton smiled."
    )
    assert not re.search(r"\bto\b", cast(text)["Mrs. Sappleton"][1])


def test_a_role_said_between_namings_of_one_person_of_its_sex_is_that_person():
    text = (
        "Nora Quill climbed the stairs to the attic. Tom Fenn was waiting at the top with a lamp.\n\n"
        "Nora Quill set down her basket. The girl was tired, and her boots were wet. Nora Quill sat on a trunk.\n\n"
        "Tom Fenn opened the window. Nora Quill looked at the roofs. The girl smiled at last.\n\n"
        "Tom Fenn laughed. Nora Quill took the lamp from him. The girl went down first, and Nora Quill "
        "called back to him from the landing.\n\n"
        "Tom Fenn locked the attic door behind them."
    )
    found = cast(text)
    assert set(found) == {"Nora Quill", "Tom Fenn"}
    assert holders(found, "The Girl", "the girl") == ["Nora Quill"]  # the one woman named around it


def test_a_role_who_comes_and_goes_apart_from_the_named_people_stays_someone():
    text = (
        "Nora Quill climbed the stairs to the attic. Tom Fenn was waiting at the top with a lamp.\n\n"
        "Nora Quill and Tom Fenn opened the trunk together. Tom Fenn laughed at the old hats.\n\n"
        "Down in the yard the old woman fed her hens. The old woman counted them twice. She scolded the rooster. "
        "She threw the last of the corn. The old woman went back into her kitchen and shut the door. "
        "The kettle was on. She sat by the stove.\n\n"
        "Nora Quill closed the trunk. Tom Fenn blew out the lamp."
    )
    found = cast(text)
    assert holders(found, "The Old Woman") == ["The Old Woman"]


def test_a_surname_particle_a_married_title_abroad_and_a_patronymic_keep_one_person():
    text = (
        "Antoinette de Mauban crossed the square. Madame de Mauban did not look back. Antoinette smiled.\n\n"
        "Fritz von Tarlenheim waited by the gate. Tarlenheim bowed to her. Fritz opened the gate.\n\n"
        "Stepan Stepanitch Zhilin came out of the inn. “Good evening,” said Stepan Stepanitch. Zhilin laughed.\n\n"
        "Commandant Neil O’Brien rode past. Commandant O’Brien saluted, and Neil O’Brien rode on."
    )
    found = cast(text)
    assert len(holders(found, "Madame de Mauban", "Antoinette de Mauban", "Antoinette")) == 1
    assert holders(found, "Tarlenheim", "Fritz") == ["Fritz von Tarlenheim"]
    assert holders(found, "Stepan Stepanitch", "Zhilin") == ["Stepan Stepanitch Zhilin"]
    assert len(holders(found, "Commandant O’Brien", "Neil O’Brien")) == 1


def test_names_with_an_elided_particle_or_a_saint_are_whole_and_a_woman_keeps_her_maiden_and_married_names():
    text = (
        "Alec d’Urberville lit a cigar on the lawn. The girl looked at d’Urberville. D’Urberville smiled at her, "
        "and d’Urberville walked off.\n\n"
        "Marguerite St. Just sang at the theatre in Paris. Marguerite St. Just bowed to the crowd.\n\n"
        "Years later Marguerite Blakeney sat in her carriage. Marguerite laughed. Marguerite Blakeney waved."
    )
    found = cast(text)
    assert holders(found, "d’Urberville", "D’Urberville") == ["Alec d’Urberville"]
    assert "Urberville" not in every_name(text)
    assert len(holders(found, "Marguerite", "Marguerite St. Just", "Marguerite Blakeney")) == 1
    assert not holders(found, "Marguerite St")


def test_a_wife_called_by_her_husbands_name_and_a_princess_by_her_style_are_who_they_are():
    text = (
        "Charles Musgrove went out with his gun. Mrs. Charles Musgrove stayed by the fire. "
        "Charles Musgrove came back at dusk, and Mrs. Charles Musgrove complained of her head.\n\n"
        "Mrs. Rachel Lynde sat at her window. Rachel Lynde saw everything that passed.\n\n"
        "Her Royal Highness the Princess Flavia entered the hall. Princess Flavia smiled at the King."
    )
    found = cast(text)
    assert holders(found, "Charles Musgrove") != holders(found, "Mrs. Charles Musgrove")
    assert len(holders(found, "Rachel Lynde", "Mrs. Rachel Lynde")) == 1
    assert holders(found, "Princess Flavia") == ["Princess Flavia"]
    assert not any("Highness" in name for name in every_name(text))


def test_a_plain_role_said_across_the_story_around_one_person_is_that_person_with_the_looks_it_came_in_with():
    text = (
        "A young man came out of his garret into the street. The young man was remarkably handsome, with "
        "dark eyes and a tall round hat. He walked towards the bridge.\n\n"
        "Raskolnikov stopped at the corner. Raskolnikov looked at the water. He went on.\n\n"
        "The young man turned into a tavern. He sat alone and drank.\n\n"
        "Raskolnikov paid. Nastasya the maid brought him tea later. Nastasya laughed, and she went out.\n\n"
        "The young man slept badly that night. In the morning Raskolnikov rose early."
    )
    found = cast(text)
    assert holders(found, "the young man", "The Young Man") == ["Raskolnikov"]
    assert "tall round hat" in found["Raskolnikov"][1]


def test_an_age_stated_after_the_name_and_a_with_appositive_are_looks():
    text = (
        "Marguerite Blakeney was then scarcely five-and-twenty, and her beauty was at its height. "
        "Marguerite Blakeney laughed.\n\n"
        "Miss Dearborn, who was only eighteen herself, sighed. Miss Dearborn rang the bell.\n\n"
        "Matilda Cuvering, with the alert eyes of thirteen years old, watched from the tree. "
        "Matilda Cuvering laughed.\n\n"
        "Tom Fenn was one of the grooms. Tom Fenn was ten minutes late. Tom Fenn ran off."
    )
    found = cast(text)
    assert "scarcely five-and-twenty" in found["Marguerite Blakeney"][1]
    assert "only eighteen" in found["Miss Dearborn"][1]
    assert "alert eyes" in found["Matilda Cuvering"][1]
    assert not re.search(r"\bone\b|\bten\b", found["Tom Fenn"][1])  # 'one of the grooms', 'ten minutes late'


def test_pet_forms_from_the_nickname_table_and_a_titled_pet_form_join_the_full_name():
    text = (
        "Rebecca Sharp came down the steps. Becky Sharp laughed at the gardener. Rebecca Sharp threw the book.\n\n"
        "Lord Antony Dewhurst bowed. Lord Tony laughed at the jest. Lord Antony drank his wine.\n\n"
        "Becky Sharp climbed into the coach. Lord Tony waved his hat."
    )
    found = cast(text)
    assert holders(found, "Becky Sharp") == holders(found, "Rebecca Sharp")
    assert len(holders(found, "Rebecca Sharp")) == 1
    assert holders(found, "Lord Tony") == holders(found, "Lord Antony")
    assert holders(found, "Lord Tony") != holders(found, "Rebecca Sharp")


def test_a_title_inside_a_run_of_capitals_opens_the_name():
    text = (
        "Amelia Sedley sat by the window. Joseph Sedley ate his dinner.\n\n"
        "“Send Miss Sedley's trunk down,” said the maid. Miss Sedley wept.\n\n"
        "Amelia Sedley waved. Joseph Sedley yawned."
    )
    assert not any(name.startswith("Send") for name in every_name(text))


def test_miss_and_a_surname_is_the_one_woman_of_that_surname_in_any_form_of_her_first_name():
    text = (
        "Rebecca Sharp came down the steps. Becky Sharp laughed. Rebecca Sharp threw the book out of the window.\n\n"
        "“Miss Sharp is a wicked girl,” said the teacher. Miss Sharp smiled. John Sharp, her father, was a painter. "
        "John Sharp drank.\n\n"
        "Becky Sharp climbed into the coach. Miss Sharp waved."
    )
    found = cast(text)
    assert holders(found, "Miss Sharp") == holders(found, "Rebecca Sharp") == holders(found, "Becky Sharp")
    assert holders(found, "Miss Sharp") != holders(found, "John Sharp")


def test_a_man_s_title_and_a_surname_is_the_one_man_of_that_surname_by_the_given_names():
    # 'Mary' is a woman's name and 'John' a man's, though the text titles neither.
    text = (
        "John Bold walked up the High Street. Mary Bold kept his house. John Bold opened the gate.\n\n"
        "“Good morning, Mr. Bold,” said the warden. Mr. Bold bowed. Mary Bold poured the tea.\n\n"
        "Mr. Bold left for London. Mary Bold stayed at home."
    )
    found = cast(text)
    assert holders(found, "Mr. Bold") == holders(found, "John Bold")
    assert holders(found, "Mr. Bold") != holders(found, "Mary Bold")


def test_mrs_and_a_surname_is_not_the_daughter_the_text_calls_miss():
    text = (
        "Mrs. Cratchit laid the cloth. Belinda Cratchit helped her. Bob Cratchit carried Tiny Tim.\n\n"
        "“Miss Belinda, the plates!” Mrs. Cratchit cried. Belinda Cratchit ran. Bob Cratchit laughed.\n\n"
        "Mrs. Cratchit brought in the pudding."
    )
    found = cast(text)
    assert holders(found, "Mrs. Cratchit") != holders(found, "Belinda Cratchit")


def test_a_place_gone_to_and_never_acting_is_not_a_character_nor_a_region_a_surname():
    text = (
        "Lotty Wilkins wanted to go to San Salvatore. Rose Arbuthnot said the castle at San Salvatore was "
        "small.\n\n"
        "They talked of Northern Italy. Italy was far. Lotty Wilkins wrote to San Salvatore at once.\n\n"
        "“'Tis a fine thing,” said Rose Arbuthnot. Lotty Wilkins laughed."
    )
    names = every_name(text)
    assert {"San Salvatore", "Italy", "Tis", "Northern Italy"}.isdisjoint(names)
    assert {"Lotty Wilkins", "Rose Arbuthnot"} <= names


def test_a_titled_name_gone_to_is_a_person_s_house_not_a_place():
    text = (
        "Anne walked to Mr. Musgrove's after breakfast. She dined at Mr. Musgrove's. Anne liked the house.\n\n"
        "Mr. Musgrove's dogs barked. Anne sat down at Mr. Musgrove's table."
    )
    assert "Mr. Musgrove" in every_name(text)


def test_a_compound_of_a_look_and_a_part_of_the_body_is_a_look():
    text = (
        "Chéri came running up the path to the cabin. He was a sunny-faced youngster of ten.\n\n"
        "Chéri laughed at the dog. Chéri ran home."
    )
    assert "sunny-faced youngster" in cast(text)["Chéri"][1]


def test_the_first_appositive_an_artist_can_draw_is_the_introduction():
    text = (
        "Anna Pavlovna, his ancient antagonist, poured the tea. Korolyov sat by the window.\n\n"
        "He looked at his wife, Anna Pavlovna, a little brunette of thirty, with a long nose. Korolyov sighed.\n\n"
        "Anna Pavlovna laughed."
    )
    looks = cast(text)["Anna Pavlovna"][1]
    assert "little brunette of thirty" in looks
    assert "antagonist" not in looks


def test_a_thing_worn_or_carried_is_drawn_after_the_described_features():
    text = (
        "Benaja Widdup wiped his spectacles and shifted his inkstand. Benaja Widdup read the paper.\n\n"
        "Benaja Widdup closed the book. Benaja Widdup, his grey eyes tired, looked at his hands."
    )
    looks = cast(text)["Benaja Widdup"][1]
    assert "spectacles" in looks
    assert "hands" not in looks.split(", ")  # a part of the body says nothing by itself


def test_a_role_noun_a_title_stands_for_is_the_one_bearer_of_the_title():
    text = (
        "Father Brown sat in the train. Valentin watched the little priest from the corner.\n\n"
        "The priest dropped his umbrella. The priest picked it up and smiled. Valentin frowned.\n\n"
        "Father Brown got out at Stratford. The priest walked away."
    )
    found = cast(text)
    assert holders(found, "the priest", "The Priest") == holders(found, "Father Brown") == ["Father Brown"]


def test_a_titled_short_form_joins_the_same_title_with_the_full_form():
    text = (
        "Aunt Minty plucked the fowl. Jacques watched her. Aunt Minty laughed.\n\n"
        "“It do look like a Brahma, Aunt Mint,” said Jacques. Aunt Mint nodded. Aunt Minty went in."
    )
    found = cast(text)
    assert holders(found, "Aunt Mint") == holders(found, "Aunt Minty")
    assert len(holders(found, "Aunt Minty")) == 1


def test_an_age_stated_in_a_he_was_sentence_after_the_name_is_a_look():
    text = (
        "Alexander Worple came into the room. He was fifty-one, and it seemed as if he might go to par.\n\n"
        "Alexander Worple sat down. Corky looked at the floor. Alexander Worple laughed."
    )
    assert "fifty-one" in cast(text)["Alexander Worple"][1]
