"""The console renderer: plain or bold text, control characters dropped, wrapped on a terminal."""

from base.reply import Answer, Reply, SourceRef
from base.text import HL_END, HL_START
from bot.adapters.console.render import render


def reply_with(title: str, line: str) -> Reply:
    return Reply(title="1 article", answers=[Answer(kind="article", title=title, lines=[line],
                                                      sources=[SourceRef(title=title, url="https://news.example/a")])])


def test_escape_sequences_from_article_text_cannot_drive_the_terminal():
    text = render(reply_with("Chips \x1b[2J\x1b]0;pwned\x07 deal", "MOU \x1b[31msigned"))
    assert "\x1b" not in text and "\x07" not in text
    assert "Chips [2J]0;pwned deal" in text and "MOU [31msigned" in text


def test_highlights_are_bold_only_in_colour():
    reply = reply_with("Forum", f"…on {HL_START}neuromorphic{HL_END} computing…")
    assert "on neuromorphic computing" in render(reply)
    assert "on \x1b[1mneuromorphic\x1b[0m computing" in render(reply, color=True)


def test_long_lines_wrap_at_the_terminal_width_keeping_the_answer_indent():
    line = " ".join(["semiconductor"] * 20)
    reply = Reply(title="2 articles", answers=[Answer(kind="article", title=f"A{i}", lines=[line]) for i in (1, 2)])
    text = render(reply, width=60)
    assert all(len(row) <= 60 for row in text.split("\n"))
    body = [row for row in text.split("\n") if "semiconductor" in row]
    assert len(body) > 2 and all(row.startswith("   ") for row in body)
    assert render(reply).count("\n") < text.count("\n")  # piped output is not wrapped
