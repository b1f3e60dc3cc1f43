"""Field values to text: markup read by an HTML parser, plain text left as written."""

import pytest

from ingest.parse.htmltext import field_text, html_to_text, one_line, plain_text


@pytest.mark.parametrize(("markup", "text"), [
    ("Revenue < forecast as chip <b>demand</b> slows", "Revenue < forecast as chip demand slows"),
    ("x<y and z", "x<y and z"),  # "<y" opens no element: a browser shows it, so do we
    ("1 <3 you", "1 <3 you"),
    ("<p>One</p><p>Two<br>Three</p>", "One\n\nTwo\n\nThree"),
    ("<p>Kept text <a hr", "Kept text"),  # a tag cut off by a truncated payload
    ("<!-- a <b>comment</b> --> after", "after"),
    ('a <!-- wp:paragraph {"a":">"} --><p>b</p>', "a\n\nb"),
    ("<script>alert(1)</script>Hi<style>p { margin: 0 }</style>", "Hi"),
    ("safe<iframe src='x'> <b>description</b></iframe>", "safe description"),
    ("<math><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow></math>", "a+b"),
    ("&lt;b&gt; is a tag &amp; so is &lt;i&gt;", "<b> is a tag & so is <i>"),
])
def test_markup_reads_as_a_browser_shows_it(markup, text):
    assert html_to_text(markup) == text


def test_plain_text_is_never_read_as_markup():
    assert field_text("Memory <b>prices</b> < 2023 levels", "text/plain") == "Memory <b>prices</b> < 2023 levels"
    assert field_text("Memory <b>prices</b>", "application/xhtml+xml") == "Memory prices"
    assert plain_text("  one\n two \n\n\n three ") == "one two\n\nthree"


def test_a_title_is_one_line():
    assert one_line("SK hynix\n\nships  HBM4\t samples") == "SK hynix ships HBM4 samples"
