"""The fidelity check over feedparser's 2,107 test feeds (kept in tests/ingest/corpora): every
entry with a title or text is stored, whole, without mojibake. A floor, like trafilatura's own
evaluation gate: a change that loses or garbles an entry fails here."""

from bench.fidelity import KEPT_FEEDS, FeedFigures, run_feeds


def test_every_entry_of_feedparsers_test_feeds_is_stored_whole():
    figures = FeedFigures()
    run_feeds(KEPT_FEEDS, figures, show=0)
    assert figures.files == 2107
    # every entry feedparser reads with a title or text; none refused (no corpus feed with entries
    # declares XML entities)
    assert figures.entries == 508 and figures.refused == 0
    assert figures.stored == figures.entries
    assert (figures.titles_cut, figures.bodies_cut, figures.markup_left) == (0, 0, 0)
    assert figures.encoding_files == 17 and figures.mojibake == 0
    # the one file of line noise (bytes valid in no charset) is stored with a warning
    assert figures.replaced == 1
    # Every value the tests state but one: a nested CDATA test whose expected value is
    # feedparser's sanitised markup ("<![CDATA[]]>"); a browser shows "]]>", as we store.
    assert figures.expected_met == figures.expected - 1 == 261
    assert [p.split(":")[0] for p in figures.problems] == [
        "encoding/bozo_linenoise.xml",
        "wellformed/sanitize/item_content_encoded_script_nested_cdata.xml",
    ]
