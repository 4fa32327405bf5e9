"""The cast a storyboard artist draws from: one character per person, beings only, their looks. Texts written here."""

from story import segment


def cast(text: str, duration: int = 30) -> dict[str, tuple[list[str], str]]:
    return {c.name: (c.aliases, c.description) for c in segment(text, duration).characters}


def test_name_variants_titles_and_first_names_are_one_character():
    text = (
        "Tessa Moreau unlocked the shop. Tessa swept the floor while the kettle boiled.\n\n"
        "“Good morning, Miss Tessa,” said the postman. Moreau nodded and took the letters.\n\n"
        "Dr. Vane came in at ten. Arthur Vane was a thin man with round spectacles. Vane bought a map."
    )
    found = cast(text)
    tessa = [n for n, (aliases, _) in found.items() if "Tessa" in [n, *aliases]]
    assert tessa == ["Tessa Moreau"]
    assert {"Miss Tessa", "Moreau"} <= set(found["Tessa Moreau"][0])
    vane = [n for n, (aliases, _) in found.items() if "Vane" in [n, *aliases]]
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
    names = {n for n, (aliases, _) in cast(text).items() for n in [n, *aliases]}
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
