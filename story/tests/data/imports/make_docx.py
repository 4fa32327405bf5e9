"""Writes the two Word files the import tests read: `python story/tests/data/imports/make_docx.py`.

Both were written for the tests (no text from elsewhere) with python-docx, the way a writer
would type them in Word: the screenplay with capitals and indents and no screenplay styles,
the story with Word's built-in Title and Heading styles.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Inches

HERE = Path(__file__).resolve().parent


def screenplay() -> None:
    document = docx.Document()
    document.core_properties.title = "The Last Tram"

    def line(text: str, indent: float = 0.0) -> None:
        paragraph = document.add_paragraph(text)
        if indent:
            paragraph.paragraph_format.left_indent = Inches(indent)

    line("INT. TRAM DEPOT - NIGHT")
    line("Rows of sleeping trams. JONAS (60s, conductor's cap, silver moustache) polishes a brass rail.")
    line("JONAS", 2.0)
    line("(to himself)", 1.5)
    line("Forty years. Not one late departure.", 1.0)
    line("A door bangs. ELSA (20s, red scarf, soaked) runs in.")
    line("ELSA", 2.0)
    line("Is there still a tram to the river?", 1.0)
    line("EXT. CITY STREET - CONTINUOUS")
    line("The tram glides out under flickering street lamps. Elsa presses her face to the window.")
    line("INT. TRAM - MOMENTS LATER")
    line("Jonas rings the bell twice.")
    line("JONAS", 2.0)
    line("Next stop, the river.", 1.0)
    line("Hold on tight.", 1.0)
    line("Elsa laughs for the first time.")
    line("CUT TO:")
    line("EXT. RIVER EMBANKMENT - DAWN")
    line("Mist on the water. The empty tram waits at the end of the line.")
    document.save(str(HERE / "last_tram.docx"))


def story() -> None:
    document = docx.Document()
    document.add_paragraph("The Clockmaker's Apprentice", style="Title")
    document.add_paragraph("Chapter One", style="Heading 1")
    document.add_paragraph(
        "Ada swept the workshop every morning before the clocks struck seven. Old Master Brandt, "
        "a stooped man with a white beard and a jeweller's loupe on a chain, watched her from his bench."
    )
    document.add_paragraph("\u201cOne day you will mend the tower clock,\u201d he said.")
    document.add_paragraph("Chapter Two", style="Heading 1")
    document.add_paragraph(
        "That winter the tower clock stopped at midnight. Snow filled the square, and the town woke late."
    )
    document.add_paragraph(
        "Ada climbed the tower stairs with a lantern and a bag of tools, her breath white in the cold."
    )
    document.add_paragraph("Chapter Three", style="Heading 1")
    document.add_paragraph("At dawn the bells rang again. Brandt stood in the square below and took off his hat.")
    document.save(str(HERE / "clockmakers_apprentice.docx"))


if __name__ == "__main__":
    screenplay()
    story()
