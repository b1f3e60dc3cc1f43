"""Reply → Block Kit: escaping, links from stored URLs only, Slack's limits, the share button."""

from __future__ import annotations

import json
import re

from base.reply import Answer, Reply, SourceRef
from base.text import HL_END, HL_START
from bot.adapters.slack.render import escape, link, plain, render, share_value
from tests.fakes.slack_api import block_errors

HOSTILE = "<!channel> <!here|here> <!everyone> <@U0BOSS01> <#C0PRIV01|secret> <https://evil.example|bank> & co"


def all_text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_escape_only_ampersand_and_angle_brackets():
    assert escape("a & b < c > d *bold* _it_") == "a &amp; b &lt; c &gt; d *bold* _it_"
    assert escape("tab\tnew\nline\x1b[31m\x07") == "tab\tnew\nline[31m"


def test_hostile_text_everywhere_in_a_reply_stays_inert():
    reply = Reply(
        title=HOSTILE,
        lines=[HOSTILE],
        answers=[Answer(kind="article", title=HOSTILE, lines=[HOSTILE], evidence=HOSTILE,
                        sources=[SourceRef(title=HOSTILE, url="https://news.example/a?b=<!here>|x", published="2025-03-25")])],
        footer=HOSTILE,
    )
    message = render(reply, share=share_value("find", HOSTILE))
    text = all_text(message)
    for markup in ("<!channel>", "<!here", "<!everyone>", "<@U0BOSS01>", "<#C0PRIV01", "<https://evil"):
        assert markup not in text
    assert message["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": plain(HOSTILE)}}
    assert "&lt;!channel&gt;" in message["blocks"][1]["text"]["text"]
    assert "<https://news.example/a?b=%3C!here%3E%7Cx|&lt;!channel&gt;" in text
    assert block_errors(message["blocks"]) == []


def test_links_only_for_http_urls():
    assert link("https://example.org/a b", "Title") == "<https://example.org/a%20b|Title>"
    assert link("javascript:alert(1)", "Click") == "Click"
    assert link("slack://channel?id=C1", "x") == "x"
    assert link(None, "<b>") == "&lt;b&gt;"


def test_highlights_become_bold():
    reply = Reply(title="t", answers=[Answer(kind="article", title="A", lines=[f"a {HL_START}chip{HL_END} & more"])])
    assert render(reply)["blocks"][1]["text"]["text"] == "*A*\na *chip* &amp; more"


def test_a_citation_without_url_names_the_file_not_the_server_path():
    reply = Reply(title="t", answers=[Answer(kind="article", title="A",
                                             sources=[SourceRef(title="A", path="/srv/bot/seeds/001.txt", published="2024-09-03T10:00:00")])])
    assert render(reply)["blocks"][2]["elements"][0]["text"] == "A · `001.txt` · 2024-09-03"


def test_long_sections_are_cut_within_3000_characters_with_and_n_more():
    lines = [f"line {i} " + "x" * 90 for i in range(100)]
    message = render(Reply(title="t", lines=lines))
    text = message["blocks"][1]["text"]["text"]
    assert len(text) <= 3000
    kept = text.count("\nline ") + 1
    assert text.endswith(f"…and {100 - kept} more lines")
    one_huge = render(Reply(title="t", answers=[Answer(kind="article", title="A", lines=["&" * 5000])]))
    body = one_huge["blocks"][1]["text"]["text"]
    assert len(body) <= 3000 and re.fullmatch(r"\*A\*\n(&amp;)+…", body)  # never half an entity


def test_many_answers_are_cut_to_50_blocks_with_and_n_more():
    answers = [Answer(kind="article", title=f"A{i}", lines=["x"], sources=[SourceRef(title=f"A{i}", url=f"https://e.org/{i}")])
               for i in range(40)]
    message = render(Reply(title="Forty", lines=["intro"], answers=answers, footer="foot"), share=share_value("find", "x"))
    blocks = message["blocks"]
    assert len(blocks) <= 50 and block_errors(blocks) == []
    shown = sum(1 for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("*"))
    assert [b["type"] for b in blocks[-3:]] == ["section", "context", "actions"]
    assert blocks[-3]["text"]["text"] == f"…and {40 - shown} more"
    assert blocks[-2]["elements"][0]["text"] == "foot"


def test_more_than_ten_sources_are_cut_with_and_n_more():
    sources = [SourceRef(title=f"S{i}", url=f"https://e.org/{i}") for i in range(14)]
    blocks = render(Reply(title="t", answers=[Answer(kind="agreement", title="MOU", sources=sources)]))["blocks"]
    elements = blocks[2]["elements"]
    assert len(elements) == 10 and elements[-1]["text"] == "…and 5 more sources"


def test_share_button_only_on_private_answers():
    answer = [Answer(kind="article", title="A")]
    value = share_value("find", "chips")
    assert render(Reply(title="t", answers=answer), share=value)["blocks"][-1]["elements"][0]["value"] == value
    assert render(Reply(title="t", answers=answer, private=False), share=value)["blocks"][-1]["type"] != "actions"
    assert share_value("find", "x" * 3000) is None


def test_a_refusal_is_rendered_plainly_without_a_share_button():
    refusal = Reply(title="Not allowed", kind="refusal",
                    lines=["Sorry, only briefbot admins can add sources. Admins are the users listed in BRIEFBOT_ADMINS."])
    message = render(refusal, share=share_value("sources", "add https://x"))
    assert [b["type"] for b in message["blocks"]] == ["header", "section"]
    assert message["text"] == "Not allowed"


def test_titles_longer_than_a_header_are_cut():
    message = render(Reply(title="T" * 400))
    assert message["blocks"][0]["text"]["text"] == "T" * 149 + "…"
    assert len(message["text"]) <= 300
