"""Titles made from the first sentence of an article that has none."""

from base.titles import title_from_lead


def test_title_from_lead_keeps_words_of_the_text_and_stays_short():
    lead = (
        "On Tuesday, Samsung Electronics said it would build a new packaging plant in Cheonan "
        "worth 2 trillion won by 2027, officials said. The plant will employ 2,000 people."
    )
    title = title_from_lead(lead)
    assert lead.startswith(title) and len(title.split()) <= 18
    # no clean place to cut: the first words and an ellipsis
    assert title_from_lead("word " * 40 + ".") == " ".join(["word"] * 14) + "…"
    # a short lead is the title as it is
    assert title_from_lead("Hana Micron opens a test line. More follows.") == "Hana Micron opens a test line"
