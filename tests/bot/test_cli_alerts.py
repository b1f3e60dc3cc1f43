"""The command-line contract for watches: `ask "/watch …" --channel`, `alerts preview --json`,
`alerts run` (a second run posts nothing new), as a script would call them."""

from __future__ import annotations

import json

from tests.clirun import briefbot, clean_env
from tests.conftest import SEEDS
from tests.watches.newsroom import EU_SEED, MONEY_SEED, MOU_SEED


def test_watch_preview_and_run_from_the_command_line(tmp_path):
    env = clean_env(BRIEFBOT_DB=str(tmp_path / "b.db"))
    assert briefbot("ingest", str(SEEDS / EU_SEED), env=env).returncode == 0
    refused = briefbot("ask", '/watch add org:"SK hynix"', "--channel", "C1", env=env)
    assert refused.returncode == 2 and "only briefbot admins can add watches" in refused.stdout
    added = briefbot("ask", '/watch add org:"SK hynix" mention @policy', "--channel", "C1", "--as-admin", "--json", env=env)
    assert added.returncode == 0 and json.loads(added.stdout)["title"] == "Watch #1 added"
    other = briefbot("ask", "/watch list", "--channel", "C2", "--json", env=env)
    assert json.loads(other.stdout)["kind"] == "empty"  # watches belong to their channel

    assert briefbot("ingest", str(SEEDS / MOU_SEED), str(SEEDS / MONEY_SEED), env=env).returncode == 0
    preview = briefbot("alerts", "preview", "--channel", "C1", "--json", env=env)
    assert preview.returncode == 0, preview.stderr
    mou, money = json.loads(preview.stdout)["posts"]
    assert mou == {"key": "console:C1:article:2", "watches": [1], "mentions": ["@policy"], "thread_of": None,
                   "title": "The Korean government has formed a partnership with major Korean semiconductor giants",
                   "url": str(SEEDS / MOU_SEED), "matched": 'watch #1: org:SK hynix', "held_until": None}
    assert money["thread_of"] == "console:C1:article:2"  # the same story, from the other seed
    run = briefbot("alerts", "run", "--channel", "C1", env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("[#C1") == 2 and "[#C1 › thread of console-1] @policy" in run.stdout
    again = briefbot("alerts", "run", "--channel", "C1", env=env)
    assert again.returncode == 0 and again.stdout == "" and "nothing new to post" in again.stderr
    assert json.loads(briefbot("alerts", "preview", "--channel", "C1", "--json", env=env).stdout) == {"posts": []}
