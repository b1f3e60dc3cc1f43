"""Dispatch: find the command, run it, turn every failure into a polite Reply."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from base.reply import Reply, redact_reply
from bot.core.context import Budget, Context, current_budget, is_interrupt
from bot.core.errors import Refusal, UsageError
from bot.core.invocation import Invocation
from bot.core.registry import get_command

log = logging.getLogger("briefbot.commands")
PUBLIC_FLAG = "public"


def split_command(line: str) -> tuple[str, str]:
    """``"/find chip MOU"`` → ``("find", "chip MOU")``; the slash is optional."""
    line = line.strip()
    name, _, rest = line.partition(" ")
    return name.lstrip("/").lower(), rest.strip()


def strip_public(text: str) -> tuple[str, bool]:
    """A trailing word ``public`` asks for the answer to be posted to the channel."""
    words = text.split()
    if len(words) > 1 and words[-1].lower() == PUBLIC_FLAG:
        return " ".join(words[:-1]), True
    if words == [PUBLIC_FLAG]:
        return "", True
    return text, False


def usage_reply(cmd, message: str) -> Reply:
    """A short usage message for ``cmd`` after a bad call."""
    lines = [message] if message else []
    lines += [f"Usage: {cmd.synopsis}", f"Example: {cmd.example}"]
    return Reply(title=f"/{cmd.name}: {cmd.help}", lines=lines, kind="usage")


def too_long_reply(cmd, length: int) -> Reply:
    """The refusal of an argument longer than the command reads."""
    return Reply(
        title=f"/{cmd.name}: that is {length:,} characters, too long",
        lines=[f"/{cmd.name} reads at most {cmd.max_text:,} characters: a few words, a name or a topic. "
               "Shorten it and send it again; nothing was run.",
               f"Usage: {cmd.synopsis}", f"Example: {cmd.example}"],
        kind="usage",
    )


def cut_note(budget: Budget) -> str:
    """What a reply cut short by its time budget says at its foot."""
    return (f"Stopped after {budget.seconds:g} s: this is what was found by then. "
            "A narrower topic (fewer words, a name) answers in full.")


def _run(cmd, call: Invocation, ctx: Context) -> Reply:
    """The command's handler under its time budget: past it, SQLite stops the read in progress
    (reads only: a write in a transaction is never stopped halfway) and the command answers with
    what it found, noted at the foot; a command stopped with nothing to show says so."""
    budget = ctx.budget = Budget(cmd.budget_s if ctx.budget_s is None else ctx.budget_s)
    conn = getattr(ctx.db, "conn", None)
    token = current_budget.set(budget)
    if conn is not None:
        conn.set_progress_handler(lambda: 1 if not conn.in_transaction and budget.stop_reading() else 0, 2000)
    try:
        reply = cmd.handler(call, ctx)
    except Exception as exc:
        if not is_interrupt(exc):
            raise
        log.warning("command /%s stopped after %.1f s", cmd.name, budget.seconds)
        return Reply(title=f"/{cmd.name} took too long",
                     lines=[f"It was stopped after {budget.seconds:g} s before it found anything to show. "
                            "A narrower topic (fewer words, a name) answers faster."], kind="empty")
    finally:
        current_budget.reset(token)
        if conn is not None:
            conn.set_progress_handler(None, 0)
    if budget.cut:
        reply.footer = "\n".join(filter(None, [reply.footer, cut_note(budget)]))
    return reply


def dispatch(inv: Invocation, ctx: Context) -> Reply:
    """Run one invocation; never raises (a failure becomes an error Reply, logged)."""
    started = time.perf_counter()
    cmd = get_command(inv.command)
    text, public = strip_public(inv.text)
    if cmd is None:
        reply = Reply(
            title=f"Unknown command /{inv.command}",
            lines=["Try /briefbot help for the list of commands."],
            kind="usage",
        )
    elif len(text) > cmd.max_text:  # refused where it enters: no query sees it
        reply = too_long_reply(cmd, len(text))
    else:
        call = replace(inv, command=cmd.name, text=text, public=public or inv.public)
        try:
            reply = _run(cmd, call, ctx)
        except UsageError as exc:
            reply = usage_reply(cmd, str(exc))
        except Refusal as exc:
            reply = Reply(title="Not allowed", lines=[str(exc)], kind="refusal")
        except Exception:
            log.exception("command /%s failed", cmd.name)
            reply = Reply(
                title=f"Sorry, /{cmd.name} failed",
                lines=["Something went wrong on our side; it has been logged. Please try again, "
                       "or tell an admin if it keeps happening."],
                kind="error",
            )
    reply = redact_reply(reply)
    reply.command = reply.command or (cmd.name if cmd else inv.command)
    reply.query = reply.query or text[:500]
    if public or inv.public:
        reply.private = False
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.info(
        "command /%s by %s on %s: %s in %.1f ms",
        reply.command, inv.user_id, inv.platform, reply.kind, elapsed_ms,
        extra={"platform": inv.platform, "user_id": inv.user_id, "command": reply.command,
               "latency_ms": round(elapsed_ms, 1), "outcome": reply.kind},
    )
    return reply


def run_line(line: str, ctx: Context, **fields) -> Reply:
    """Dispatch a command line as typed (``"/find chips"``) with invocation ``fields``."""
    name, rest = split_command(line)
    if not name:
        return Reply(title="Type a command", lines=["Try /briefbot help."], kind="usage")
    if name in ("help", "?") and get_command(name) is None:  # typed at the console or in `ask`
        name, rest = "briefbot", f"help {rest}".strip()
    return dispatch(Invocation(command=name, text=rest, **fields), ctx)
