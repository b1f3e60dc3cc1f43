"""The optional LLM reader in the background of `serve`: when an OpenAI-compatible server is
configured, articles with an agreement or an amount are read by it too, a few at a time and
never in the way of an ingest, a poll or a command (see ``ingest.extract.run.read_new``)."""

from __future__ import annotations

import logging
from datetime import timedelta

log = logging.getLogger("briefbot.llm")

JOB_ID = "llm-reader"
INTERVAL_SECONDS = 300
TIMEOUT_SECONDS = 60.0  # one question; the pass stops at the first the server does not answer


def register_jobs(services, scheduler) -> None:
    """Add the reader's job when an LLM is configured (called by ``Services.start_background``)."""
    if not services.settings.llm_enabled:
        return
    scheduler.add_job(
        read_pass, "interval", seconds=INTERVAL_SECONDS, args=[services], id=JOB_ID, replace_existing=True,
        coalesce=True, max_instances=1, misfire_grace_time=INTERVAL_SECONDS,
        next_run_time=services.clock() + timedelta(seconds=60),
    )


def read_pass(services) -> None:
    """One pass over the next articles the LLM has not read."""
    from digests.summarize import chat_json, make_client
    from ingest.extract.run import read_new

    settings = services.settings
    client, model = make_client(settings), settings.llm_model

    def ask(system: str, user: str, schema: dict) -> dict:
        return chat_json(client, model=model, system=system, user=user, schema=schema,
                         timeout=TIMEOUT_SECONDS, max_tokens=1500).data

    report = read_new(services.db, ask, model, clock=services.clock)
    if report.articles or report.rejected or report.stopped:
        log.info("LLM reader (%s): %d article(s) read, %d answer(s) not used%s", model, report.articles,
                 report.rejected, f"; stopped: {report.stopped}" if report.stopped else "")
