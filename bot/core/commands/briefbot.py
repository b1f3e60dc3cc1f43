"""/briefbot: the umbrella command that reaches every other one, and help."""

from __future__ import annotations

from dataclasses import replace

from base.reply import Answer, Reply
from bot.core.errors import UsageError
from bot.core.registry import all_commands, command, get_command


def help_reply(name: str | None = None) -> Reply:
    """Help for every command, or for one."""
    if name:
        cmd = get_command(name)
        if cmd is None or cmd.name == "briefbot":
            raise UsageError(f"There is no command /{name.lstrip('/')}.")
        lines = [f"Usage: {cmd.synopsis}", f"Example: {cmd.example}"]
        if cmd.admin_note:
            lines.append(cmd.admin_note)
        return Reply(title=f"/{cmd.name}: {cmd.help}", lines=lines, kind="info")
    answers = [
        Answer(
            kind="help",
            title=cmd.synopsis,
            lines=[cmd.help, f"e.g. {cmd.example}"],
            data={"command": f"/{cmd.name}", "help": cmd.help, "example": cmd.example},
        )
        for cmd in all_commands()
        if cmd.name != "briefbot"
    ]
    return Reply(
        title="briefbot commands",
        lines=["Every command also works as /briefbot <command> …; add `public` at the end to "
               "post the answer to the channel."],
        answers=answers,
        kind="info",
    )


@command(
    "briefbot",
    usage="[help [command] | <command> …]",
    help="every command in one; help lists them",
    example="/briefbot find packaging MOU",
    max_text=2600,  # the command it names applies its own limit
    budget_s=30.0,
)
def briefbot(inv, ctx) -> Reply:
    from bot.core.dispatch import dispatch

    name, _, rest = inv.text.strip().partition(" ")
    name = name.lstrip("/").lower()
    if name in ("", "help", "?"):
        return help_reply(rest.strip() or None)
    if name == "briefbot" or get_command(name) is None:
        raise UsageError(f"There is no command /{name}. Try /briefbot help.")
    return dispatch(replace(inv, command=name, text=rest.strip()), ctx)
