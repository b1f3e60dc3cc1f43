"""Reply → embeds: what a Discord user sees, within Discord's limits, with nothing pinging."""

from __future__ import annotations

import discord
import pytest

from base.reply import Answer, Reply, SourceRef
from base.text import HL_END, HL_START
from bot.adapters.discord.render import (
    COLOURS,
    FIELD_VALUE_MAX,
    TOTAL_MAX,
    fit,
    format_untrusted,
    message_size,
    render,
    render_embeds,
    safe_url,
)
from tests.fakes.discord_api import embed_limit_errors

MOU = SourceRef("Korea signs packaging MOU", url="https://news.example.org/2024/mou", published="2024-08-29T09:00:00")


def article(n: int, *, title: str = "Article", line: str = "snippet", **source) -> Answer:
    src = SourceRef(f"{title} {n}", **({"url": f"https://news.example.org/{n}"} | source))
    return Answer(kind="article", title=f"{title} {n}", lines=[line], sources=[src])


def test_a_small_answer_is_one_embed_with_a_cited_field():
    reply = Reply(title="1 article for “packaging”", answers=[Answer(
        kind="article", title="Korea signs packaging MOU", lines=[f"the {HL_START}packaging{HL_END} MOU"],
        sources=[MOU])])
    assert render_embeds(reply) == [{
        "title": "1 article for “packaging”",
        "color": COLOURS["answer"],
        "fields": [{
            "name": "Korea signs packaging MOU",
            "value": "the **packaging** MOU\n"
                     "Source: [Korea signs packaging MOU](https://news.example.org/2024/mou) · 2024-08-29",
            "inline": False,
        }],
    }]


def test_render_gives_discord_embeds_with_the_same_content():
    reply = Reply(title="t", lines=["a line"], answers=[article(1)], footer="f")
    embeds = render(reply)
    assert all(isinstance(e, discord.Embed) for e in embeds)
    assert [{k: v for k, v in e.to_dict().items() if k != "flags"} for e in embeds] == render_embeds(reply)


def test_mass_mentions_tags_and_markdown_from_articles_are_neutralised():
    text = format_untrusted("@everyone and @here: see <@123456789012345678> <@&42> <#7> <t:1:R> "
                            "[free chips](https://evil.example/x) **bold** __u__ ||spoiler|| `code`")
    assert "@everyone" not in text and "@\u200beveryone" in text and "@\u200bhere" in text
    for tag in ("\\<@123456789012345678>", "\\<@&42>", "\\<#7>", "\\<t:1:R>"):
        assert tag in text
    assert "\\[free chips\\](`https://evil.example/x`)" in text
    assert "\\*\\*bold\\*\\*" in text and "\\_\\_u\\_\\_" in text and "\\|\\|spoiler\\|\\|" in text
    assert "\\`code\\`" in text


def test_line_starts_cannot_make_headings_quotes_or_lists():
    text = format_untrusted("# Big\n> quoted\n>>> all quoted\n- item\n1. first\n-# small")
    assert text.split("\n") == ["\\# Big", "\\> quoted", "\\>>> all quoted", "\\- item", "1\\. first", "\\-# small"]


def test_plain_text_stays_readable():
    assert format_untrusted("Usage: /find <words> — $205 million (274.4 billion won)") == \
        "Usage: /find <words> — $205 million (274.4 billion won)"


def test_links_come_only_from_stored_source_urls():
    reply = Reply(title="t", answers=[Answer(
        kind="article", title="Deal [click](https://evil.example)", lines=["read https://evil.example/more."],
        sources=[SourceRef("Deal", url="https://news.example.org/a b(c)"), SourceRef("Bad", url="javascript:alert(1)"),
                 SourceRef("Local", path="/srv/seeds/000_e6b5f402e9bfc58c.txt", published="2025-03-25")])])
    value = render_embeds(reply)[0]["fields"][0]["value"]
    assert "[Deal](https://news.example.org/a%20b%28c%29)" in value
    assert "javascript" not in value and "Source: Bad" in value
    assert "Source: Local · 2025-03-25 · 000\\_e6b5f402e9bfc58c.txt" in value  # the file's name, not the path
    assert "`https://evil.example/more`." in value


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "https://", "", None, "https://x.org/" + "a" * 2000])
def test_unusable_urls_give_no_link(url):
    assert safe_url(url) is None


def test_many_answers_are_cut_with_a_count_of_the_rest():
    reply = Reply(title="Latest 50 articles", answers=[article(n, title="T" * 240, line="w " * 600) for n in range(50)])
    embeds = render_embeds(reply)
    payload = {"embeds": embeds}
    assert embed_limit_errors(payload) == []
    shown = sum(len(e.get("fields", [])) for e in embeds)
    assert 1 <= shown < 50
    assert embeds[-1]["footer"]["text"] == f"…and {50 - shown} more"
    assert all(len(f["value"]) <= FIELD_VALUE_MAX for e in embeds for f in e.get("fields", []))
    assert all("Source: [" in f["value"] for e in embeds for f in e.get("fields", []))  # citations kept


def test_more_than_25_short_answers_continue_in_a_second_embed():
    reply = Reply(title="Latest 40", answers=[article(n) for n in range(40)])
    embeds = render_embeds(reply)
    assert [len(e["fields"]) for e in embeds] == [25, 15]
    assert embed_limit_errors({"embeds": embeds}) == []
    assert "footer" not in embeds[-1]


def test_a_few_long_answers_get_an_embed_each_linked_to_their_source():
    evidence = "MOTIE, Samsung Electronics, SK hynix and eight others signed the MOU at Eltower. " * 10
    reply = Reply(title="Who signed", answers=[Answer(kind="agreement", title="Packaging MOU", lines=["x " * 400],
                                                      evidence=evidence, sources=[MOU]) for _ in range(3)])
    embeds = render_embeds(reply)
    assert embed_limit_errors({"embeds": embeds}) == []
    assert [e.get("title") for e in embeds][:2] == ["Who signed", "1. Packaging MOU"]
    assert embeds[1]["url"] == "https://news.example.org/2024/mou"
    assert "> “MOTIE, Samsung Electronics" in embeds[1]["description"]
    assert message_size(embeds) <= TOTAL_MAX


@pytest.mark.parametrize("size", [1, 300, 5000, 20000])
def test_any_size_of_title_lines_footer_stays_within_limits(size):
    reply = Reply(title="T" * size, lines=["line " * (size // 5 + 1)] * 3, footer="f" * size,
                  answers=[article(1, title="A" * size, line="x" * size)])
    embeds = render_embeds(reply)
    assert embed_limit_errors({"embeds": embeds}) == []
    assert embeds[0]["title"].endswith("…") == (size > 256)


def test_cuts_never_leave_open_markup():
    line = f"{HL_START}chip{HL_END} deal " * 30 + "see https://news.example.org/" + "a" * 300 + " [x] *y*" * 50
    for limit in range(30, 900, 7):
        text = fit(line, limit)
        assert len(text) <= limit and text.endswith("…")
        assert text.count("**") % 2 == 0, limit
        assert (text.count("`") - text.count("\\`")) % 2 == 0, limit
        assert not text[:-1].endswith("\\") or text[:-1].endswith("\\\\"), limit


def test_kinds_have_their_colours():
    assert render_embeds(Reply(title="Not allowed", kind="refusal"))[0]["color"] == COLOURS["refusal"]
    assert render_embeds(Reply(title="Usage", kind="usage"))[0]["color"] == COLOURS["usage"]
